//! Spreadsheets (XLSX, XLS, ODS) through calamine. XLSX is streamed cell by cell so that a
//! sheet claiming a million rows costs only the cells that hold something.

use std::collections::BTreeMap;
use std::io::Cursor;

use calamine::{Data, DataRef, Reader};

use super::{Block, Format, Limits, TextError, zipguard};

/// More non-empty cells than this in one workbook is not an RFQ.
const MAX_CELLS: usize = 500_000;
/// Columns beyond this are ignored (item lists are narrow).
const MAX_COLUMNS: u32 = 256;

type Sparse = BTreeMap<u32, BTreeMap<u32, String>>;

pub(super) fn extract(name: &str, format: Format, bytes: &[u8], limits: &Limits) -> Result<Vec<Block>, TextError> {
    let label = match format {
        Format::Xls => "XLS",
        Format::Ods => "ODS",
        _ => "XLSX",
    };
    let corrupt = |detail: String| TextError::Corrupt {
        name: name.into(),
        format: label,
        detail,
    };
    let mut budget = Budget {
        name,
        cells: 0,
        bytes: 0,
        max_bytes: limits.max_text_bytes,
    };
    let mut sheets: Vec<Sparse> = Vec::new();
    match format {
        Format::Xls => {
            let mut wb = calamine::Xls::new(Cursor::new(bytes)).map_err(|e| corrupt(e.to_string()))?;
            for sheet in wb.sheet_names() {
                let range = wb.worksheet_range(&sheet).map_err(|e| corrupt(e.to_string()))?;
                sheets.push(from_range(&range, &mut budget)?);
            }
        }
        Format::Ods => {
            zipguard::check(name, label, bytes, limits.max_text_bytes)?;
            let mut wb = calamine::Ods::new(Cursor::new(bytes)).map_err(|e| corrupt(e.to_string()))?;
            for sheet in wb.sheet_names() {
                let range = wb.worksheet_range(&sheet).map_err(|e| corrupt(e.to_string()))?;
                sheets.push(from_range(&range, &mut budget)?);
            }
        }
        _ => {
            zipguard::check(name, label, bytes, limits.max_text_bytes)?;
            let mut wb = calamine::Xlsx::new(Cursor::new(bytes)).map_err(|e| corrupt(e.to_string()))?;
            for sheet in wb.sheet_names() {
                let mut cells = match wb.worksheet_cells_reader(&sheet) {
                    Ok(reader) => reader,
                    Err(calamine::XlsxError::NotAWorksheet(_)) => continue,
                    Err(e) => return Err(corrupt(e.to_string())),
                };
                let mut sparse = Sparse::new();
                while let Some(cell) = cells.next_cell().map_err(|e| corrupt(e.to_string()))? {
                    let (row, col) = cell.get_position();
                    let text = data_ref_text(cell.get_value());
                    budget.add(&mut sparse, row, col, text)?;
                }
                sheets.push(sparse);
            }
        }
    }
    Ok(sheets.into_iter().filter(|s| !s.is_empty()).map(to_table).collect())
}

struct Budget<'a> {
    name: &'a str,
    cells: usize,
    bytes: usize,
    max_bytes: usize,
}

impl Budget<'_> {
    fn add(&mut self, sheet: &mut Sparse, row: u32, col: u32, text: String) -> Result<(), TextError> {
        let text = text.replace('\u{a0}', " ").trim().to_string();
        if text.is_empty() || col >= MAX_COLUMNS {
            return Ok(());
        }
        self.cells += 1;
        self.bytes += text.len();
        if self.cells > MAX_CELLS || self.bytes > self.max_bytes {
            return Err(TextError::Bomb {
                name: self.name.into(),
                limit: self.max_bytes,
            });
        }
        sheet.entry(row).or_default().insert(col, text);
        Ok(())
    }
}

fn from_range(range: &calamine::Range<Data>, budget: &mut Budget<'_>) -> Result<Sparse, TextError> {
    let mut sparse = Sparse::new();
    for (row, col, value) in range.used_cells() {
        budget.add(&mut sparse, row as u32, col as u32, value.to_string())?;
    }
    Ok(sparse)
}

/// Dense rows from the first to the last used column; a run of empty rows as one.
fn to_table(sheet: Sparse) -> Block {
    let first = sheet
        .values()
        .filter_map(|r| r.keys().next())
        .min()
        .copied()
        .unwrap_or(0);
    let last = sheet
        .values()
        .filter_map(|r| r.keys().next_back())
        .max()
        .copied()
        .unwrap_or(0);
    let mut rows: Vec<Vec<String>> = Vec::with_capacity(sheet.len());
    let mut previous: Option<u32> = None;
    for (row, cells) in sheet {
        // empty rows collapse into one: it ends a wrapped description
        if previous.is_some_and(|p| row > p + 1) {
            rows.push(vec![String::new(); (last - first + 1) as usize]);
        }
        previous = Some(row);
        rows.push(
            (first..=last)
                .map(|c| cells.get(&c).cloned().unwrap_or_default())
                .collect(),
        );
    }
    Block::Table { rows }
}

fn data_ref_text(value: &DataRef<'_>) -> String {
    match value {
        DataRef::Int(i) => i.to_string(),
        DataRef::Float(f) => float_text(*f),
        DataRef::String(s) => s.clone(),
        DataRef::SharedString(s) => (*s).to_string(),
        DataRef::Bool(b) => b.to_string(),
        DataRef::DateTime(d) => excel_date(d.as_f64()),
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.clone(),
        DataRef::Error(_) | DataRef::Empty => String::new(),
    }
}

/// An Excel serial date (days since 1899-12-30) as an ISO date.
fn excel_date(serial: f64) -> String {
    let epoch = chrono::NaiveDate::from_ymd_opt(1899, 12, 30);
    epoch
        .and_then(|e| e.checked_add_days(chrono::Days::new(serial.max(0.0) as u64)))
        .map(|d| d.to_string())
        .unwrap_or_else(|| float_text(serial))
}

/// 24.0 → "24"; 2.5 → "2.5"; float noise (0.30000000000000004) rounded away.
fn float_text(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        let s = format!("{f:.6}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_print_like_people_write_them() {
        assert_eq!(float_text(24.0), "24");
        assert_eq!(float_text(2.5), "2.5");
        assert_eq!(float_text(0.1 + 0.2), "0.3");
    }

    #[test]
    fn sparse_cells_become_dense_rows() {
        let mut s = Sparse::new();
        s.entry(3).or_default().insert(1, "Qty".to_string());
        s.entry(3).or_default().insert(3, "Unit".to_string());
        s.entry(9).or_default().insert(2, "x".to_string());
        let Block::Table { rows } = to_table(s) else {
            panic!("table")
        };
        // the empty rows between them as one
        assert_eq!(rows, vec![vec!["Qty", "", "Unit"], vec!["", "", ""], vec!["", "x", ""]]);
    }

    #[test]
    fn refuses_junk_named_xlsx() {
        let r = extract("a.xlsx", Format::Xlsx, b"junk junk junk", &Limits::default());
        assert!(matches!(r, Err(TextError::Corrupt { .. })), "{r:?}");
    }
}
