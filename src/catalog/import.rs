//! Reading catalog files (CSV or XLSX): header names matched case- and space-insensitively,
//! every row validated, every rejection kept with its reason.

use std::collections::HashMap;
use std::path::Path;

use calamine::{Data, Reader};
use rust_decimal::Decimal;
use serde::Serialize;

use crate::domain::Sku;

/// A validated catalog row.
#[derive(Debug, Clone, PartialEq)]
pub struct ProductRow {
    pub sku: Sku,
    pub name: String,
    pub brand: Option<String>,
    pub category: Option<String>,
    pub description: Option<String>,
    pub unit: Option<String>,
    pub price: Option<Decimal>,
    pub currency: Option<String>,
    pub stock: Option<i32>,
    pub lead_time_days: Option<i32>,
}

/// A validated price tier row.
#[derive(Debug, Clone, PartialEq)]
pub struct TierRow {
    pub scope: String,
    pub min_qty: Decimal,
    pub discount_pct: Decimal,
}

/// A row that was not imported, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rejection {
    /// 1-based line of the file (header = 1).
    pub row: usize,
    pub sku: Option<String>,
    pub reason: String,
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("cannot read {path}: {source}")]
    Io { path: String, source: std::io::Error },
    #[error("{path}: unsupported catalog file type (use .csv or .xlsx)")]
    UnsupportedType { path: String },
    #[error("{path}: {detail}")]
    Malformed { path: String, detail: String },
    #[error("{path}: no header row with the columns {missing} (found: {found})")]
    MissingColumns {
        path: String,
        missing: String,
        found: String,
    },
    #[error("database error while importing: {0}")]
    Database(#[from] sqlx::Error),
}

/// The rows of a catalog file below its header.
struct RawTable {
    header: Vec<String>,
    body: Vec<Vec<String>>,
    /// How many rows precede the first body row (title rows and the header).
    offset: usize,
}

/// Reads a file into raw rows (header included) from CSV or the first XLSX sheet that has the
/// wanted columns.
fn read_rows(path: &Path, wanted: &[Field]) -> Result<RawTable, ImportError> {
    let shown = path.display().to_string();
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    let io = |source| ImportError::Io {
        path: shown.clone(),
        source,
    };
    let sheets: Vec<Vec<Vec<String>>> = match ext.as_str() {
        "csv" | "tsv" | "txt" => {
            let bytes = std::fs::read(path).map_err(io)?;
            let text = crate::pipeline::text::decode_text(&shown, &bytes).map_err(|e| ImportError::Malformed {
                path: shown.clone(),
                detail: e.to_string(),
            })?;
            let delimiter = if ext == "tsv"
                || text
                    .lines()
                    .next()
                    .is_some_and(|l| l.contains('\t') && !l.contains(','))
            {
                b'\t'
            } else if text
                .lines()
                .next()
                .is_some_and(|l| l.matches(';').count() > l.matches(',').count())
            {
                b';'
            } else {
                b','
            };
            let mut reader = csv::ReaderBuilder::new()
                .has_headers(false)
                .flexible(true)
                .delimiter(delimiter)
                .from_reader(text.as_bytes());
            let mut rows = Vec::new();
            for r in reader.records() {
                let r = r.map_err(|e| ImportError::Malformed {
                    path: shown.clone(),
                    detail: e.to_string(),
                })?;
                rows.push(r.iter().map(clean).collect());
            }
            vec![rows]
        }
        "xlsx" | "xlsm" | "xls" | "ods" => {
            let mut wb = calamine::open_workbook_auto(path).map_err(|e| ImportError::Malformed {
                path: shown.clone(),
                detail: e.to_string(),
            })?;
            let mut sheets = Vec::new();
            for name in wb.sheet_names() {
                let range = wb.worksheet_range(&name).map_err(|e| ImportError::Malformed {
                    path: shown.clone(),
                    detail: e.to_string(),
                })?;
                sheets.push(range.rows().map(|r| r.iter().map(cell_text).collect()).collect());
            }
            sheets
        }
        _ => return Err(ImportError::UnsupportedType { path: shown }),
    };
    let mut seen_headers = Vec::new();
    for rows in sheets {
        // The header is one of the first ten rows.
        for (i, row) in rows.iter().enumerate().take(10) {
            let map = header_map(row);
            if wanted.iter().all(|f| map.contains_key(f)) {
                let header = row.clone();
                let offset = i + 1;
                let body = rows.into_iter().skip(offset).collect();
                return Ok(RawTable { header, body, offset });
            }
            if i == 0 {
                seen_headers.push(row.join(", "));
            }
        }
    }
    Err(ImportError::MissingColumns {
        path: shown,
        missing: wanted.iter().map(|f| f.name()).collect::<Vec<_>>().join(", "),
        found: seen_headers.join(" / "),
    })
}

/// Catalog columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Field {
    Sku,
    Name,
    Brand,
    Category,
    Description,
    Unit,
    Price,
    Currency,
    Stock,
    LeadTime,
    Scope,
    MinQty,
    Discount,
}

impl Field {
    fn name(self) -> &'static str {
        match self {
            Self::Sku => "sku",
            Self::Name => "name",
            Self::Brand => "brand",
            Self::Category => "category",
            Self::Description => "description",
            Self::Unit => "unit",
            Self::Price => "price",
            Self::Currency => "currency",
            Self::Stock => "stock",
            Self::LeadTime => "lead_time_days",
            Self::Scope => "scope",
            Self::MinQty => "min_qty",
            Self::Discount => "discount_pct",
        }
    }
}

/// Maps header cells to fields: "Product SKU", "Category ", "lead_time_days", "Unit Price" …
/// A lone "Description" column is the name.
fn header_map(row: &[String]) -> HashMap<Field, usize> {
    let mut map = HashMap::new();
    for (i, cell) in row.iter().enumerate() {
        let key: String = cell
            .to_ascii_lowercase()
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
            .collect::<String>()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        let field = match key.as_str() {
            "sku" | "product sku" | "item code" | "product code" | "code" | "part no" | "part number"
            | "article no" => Field::Sku,
            "name" | "product name" | "item name" | "title" => Field::Name,
            "description" | "product description" | "item description" | "long description" => Field::Description,
            "brand" | "manufacturer" | "make" => Field::Brand,
            "category" | "product category" | "category name" => Field::Category,
            "unit" | "uom" | "unit of measure" => Field::Unit,
            "price" | "unit price" | "list price" | "selling price" | "price sgd" => Field::Price,
            "currency" | "ccy" => Field::Currency,
            "stock" | "stock qty" | "on hand" | "qty on hand" => Field::Stock,
            "lead time days" | "lead time" | "leadtime" | "lead time d" => Field::LeadTime,
            "scope" => Field::Scope,
            "min qty" | "minimum qty" | "min quantity" | "minimum quantity" => Field::MinQty,
            "discount pct" | "discount" | "discount percent" | "discount %" => Field::Discount,
            _ => continue,
        };
        map.entry(field).or_insert(i);
    }
    if !map.contains_key(&Field::Name)
        && let Some(d) = map.remove(&Field::Description)
    {
        map.insert(Field::Name, d);
    }
    map
}

/// Trims, turns non-breaking spaces into spaces and collapses runs of whitespace.
fn clean(s: &str) -> String {
    s.replace('\u{a0}', " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn cell_text(d: &Data) -> String {
    match d {
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        other => clean(&other.to_string()),
    }
}

/// The outcome of reading a products file.
#[derive(Debug, Default)]
pub struct ProductFile {
    pub rows: Vec<ProductRow>,
    pub rejected: Vec<Rejection>,
    pub without_price: usize,
}

/// Reads and validates a products file. Duplicate SKUs keep the first row and reject the rest.
pub fn read_products(path: &Path) -> Result<ProductFile, ImportError> {
    let RawTable { header, body, offset } = read_rows(path, &[Field::Sku, Field::Name])?;
    let map = header_map(&header);
    let col = |f: Field, row: &[String]| {
        map.get(&f)
            .and_then(|i| row.get(*i))
            .map(|s| clean(s))
            .filter(|s| !s.is_empty())
    };
    let mut out = ProductFile::default();
    let mut first_row: HashMap<String, usize> = HashMap::new();
    for (i, row) in body.iter().enumerate() {
        let line = offset + i + 1;
        if row.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let raw_sku = col(Field::Sku, row);
        let reject = |reason: String| Rejection {
            row: line,
            sku: raw_sku.clone(),
            reason,
        };
        let sku = match raw_sku.as_deref().map(Sku::parse) {
            Some(Ok(s)) => s,
            Some(Err(e)) => {
                out.rejected.push(reject(e.to_string()));
                continue;
            }
            None => {
                out.rejected.push(reject("missing SKU".into()));
                continue;
            }
        };
        if let Some(first) = first_row.get(sku.as_str()) {
            out.rejected
                .push(reject(format!("duplicate SKU (first on row {first})")));
            continue;
        }
        let Some(name) = col(Field::Name, row) else {
            out.rejected.push(reject("missing name".into()));
            continue;
        };
        let price = match col(Field::Price, row).map(|p| parse_price(&p)) {
            None | Some(Ok(None)) => None,
            Some(Ok(Some(p))) => Some(p),
            Some(Err(reason)) => {
                out.rejected.push(reject(reason));
                continue;
            }
        };
        let int = |f: Field| -> Result<Option<i32>, String> {
            match col(f, row) {
                None => Ok(None),
                Some(v) => v
                    .replace(',', "")
                    .parse::<f64>()
                    .ok()
                    .filter(|n| n.fract() == 0.0 && *n >= 0.0 && *n < 1e9)
                    .map(|n| Some(n as i32))
                    .ok_or_else(|| format!("{} {v:?} is not a whole number", f.name())),
            }
        };
        let (stock, lead_time_days) = match (int(Field::Stock), int(Field::LeadTime)) {
            (Ok(s), Ok(l)) => (s, l),
            (Err(reason), _) | (_, Err(reason)) => {
                out.rejected.push(reject(reason));
                continue;
            }
        };
        let currency = col(Field::Currency, row).map(|c| c.to_ascii_uppercase());
        if let Some(c) = &currency
            && (c.len() != 3 || !c.chars().all(|ch| ch.is_ascii_uppercase()))
        {
            out.rejected
                .push(reject(format!("currency {c:?} is not an ISO 4217 code")));
            continue;
        }
        if price.is_none() {
            out.without_price += 1;
        }
        first_row.insert(sku.as_str().to_string(), line);
        out.rows.push(ProductRow {
            sku,
            name,
            brand: col(Field::Brand, row).filter(|b| !b.eq_ignore_ascii_case("no brand")),
            category: col(Field::Category, row).map(|c| strip_category_code(&c)),
            description: map
                .get(&Field::Description)
                .filter(|i| Some(**i) != map.get(&Field::Name).copied())
                .and_then(|i| row.get(*i))
                .map(|s| clean(s))
                .filter(|s| !s.is_empty()),
            unit: col(Field::Unit, row),
            price,
            currency,
            stock,
            lead_time_days,
        });
    }
    Ok(out)
}

/// "21 - Safety Products" → "Safety Products" (an ERP's numeric category code prefix).
fn strip_category_code(c: &str) -> String {
    let trimmed = c.trim_start_matches(|ch: char| ch.is_ascii_digit());
    match trimmed.trim_start().strip_prefix('-') {
        Some(rest) if trimmed.len() < c.len() && !rest.trim().is_empty() => rest.trim().to_string(),
        _ => c.to_string(),
    }
}

/// "12.50", "SGD 1,234.5", "$3" → Some; "", "POA", "on request", "-" → None (price on request).
pub fn parse_price(raw: &str) -> Result<Option<Decimal>, String> {
    let s = raw.trim();
    let lower = s.to_ascii_lowercase();
    if s.is_empty() || s == "-" || lower == "poa" || lower.contains("request") || lower == "tba" || lower == "n/a" {
        return Ok(None);
    }
    let digits: String = s
        .trim_start_matches(|c: char| c.is_ascii_alphabetic() || c == '$' || c.is_whitespace())
        .replace(',', "");
    let value: Decimal = digits
        .trim()
        .parse()
        .map_err(|_| format!("price {s:?} is not a number"))?;
    if value.is_sign_negative() {
        return Err(format!("price {s:?} is negative"));
    }
    if value.scale() > 4 {
        return Err(format!("price {s:?} has more than four decimals"));
    }
    Ok(Some(value))
}

/// The outcome of reading a price tiers file.
#[derive(Debug, Default)]
pub struct TierFile {
    pub rows: Vec<TierRow>,
    pub rejected: Vec<Rejection>,
}

pub fn read_tiers(path: &Path) -> Result<TierFile, ImportError> {
    let wanted = [Field::Scope, Field::MinQty, Field::Discount];
    let RawTable { header, body, offset } = read_rows(path, &wanted)?;
    let map = header_map(&header);
    let mut out = TierFile::default();
    for (i, row) in body.iter().enumerate() {
        let line = offset + i + 1;
        if row.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let get = |f: Field| {
            map.get(&f)
                .and_then(|i| row.get(*i))
                .map(|s| clean(s))
                .unwrap_or_default()
        };
        let scope = get(Field::Scope);
        let reject = |reason: String| Rejection {
            row: line,
            sku: Some(scope.clone()),
            reason,
        };
        if scope.is_empty() {
            out.rejected.push(reject("missing scope".into()));
            continue;
        }
        let min_qty = match get(Field::MinQty).parse::<Decimal>() {
            Ok(q) if q >= Decimal::ZERO => q,
            _ => {
                out.rejected.push(reject(format!(
                    "min_qty {:?} is not a non-negative number",
                    get(Field::MinQty)
                )));
                continue;
            }
        };
        let discount_pct = match get(Field::Discount).trim_end_matches('%').parse::<Decimal>() {
            Ok(d) if d >= Decimal::ZERO && d <= Decimal::ONE_HUNDRED => d,
            _ => {
                out.rejected.push(reject(format!(
                    "discount_pct {:?} is not between 0 and 100",
                    get(Field::Discount)
                )));
                continue;
            }
        };
        out.rows.push(TierRow {
            scope,
            min_qty,
            discount_pct,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn csv_file(content: &str) -> tempfile::NamedTempFile {
        let mut f = tempfile::Builder::new().suffix(".csv").tempfile().expect("temp file");
        f.write_all(content.as_bytes()).expect("write");
        f
    }

    #[test]
    fn reads_validates_and_reports() {
        let f = csv_file(
            "SKU ,Name,Brand,Category,Unit,Price,Currency\n\
             0100000079,CUT OFF WHEEL 14\"\u{a0}355,NO BRAND,01 - Abrasives,pc,5.0000,SGD\n\
             0100000079,duplicate,,Abrasives,pc,1,SGD\n\
             ,no sku,,,,1,SGD\n\
             0200,no price,,,,,\n\
             0300,bad price,,,,abc,\n\
             0400,negative,,,,-1,\n\
             0500,bad currency,,,,1,dollars\n",
        );
        let r = read_products(f.path()).expect("reads");
        assert_eq!(r.rows.len(), 2);
        assert_eq!(r.rows[0].sku.as_str(), "0100000079");
        assert_eq!(r.rows[0].name, "CUT OFF WHEEL 14\" 355");
        assert_eq!(r.rows[0].brand, None);
        assert_eq!(r.rows[0].category.as_deref(), Some("Abrasives"));
        assert_eq!(r.rows[1].price, None);
        assert_eq!(r.without_price, 1);
        let reasons: Vec<_> = r.rejected.iter().map(|x| (x.row, x.reason.as_str())).collect();
        assert_eq!(
            reasons,
            vec![
                (3, "duplicate SKU (first on row 2)"),
                (4, "missing SKU"),
                (6, "price \"abc\" is not a number"),
                (7, "price \"-1\" is negative"),
                (8, "currency \"DOLLARS\" is not an ISO 4217 code"),
            ]
        );
    }

    #[test]
    fn missing_columns_are_named() {
        let f = csv_file("code_x,title_y\n1,2\n");
        let e = read_products(f.path()).expect_err("no columns");
        assert!(e.to_string().contains("sku, name"), "{e}");
    }

    #[test]
    fn prices() {
        assert_eq!(parse_price("SGD 1,234.50"), Ok(Some(Decimal::new(123450, 2))));
        assert_eq!(parse_price("POA"), Ok(None));
        assert_eq!(parse_price("Price on request"), Ok(None));
        assert!(parse_price("1.23456").is_err());
    }

    #[test]
    fn tiers() {
        let f = csv_file("scope,min_qty,discount_pct\n*,10,2\nAbrasives,100,12\n*,x,1\n*,5,120\n");
        let t = read_tiers(f.path()).expect("reads");
        assert_eq!(t.rows.len(), 2);
        assert_eq!(t.rejected.len(), 2);
    }
}
