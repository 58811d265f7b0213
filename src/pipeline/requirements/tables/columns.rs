//! What a table column holds, read from its cells: quantities (with or without their unit),
//! serial numbers counting up ("1.1", "1.2" …), item or material codes, money, or text.
//! Header words say what a column is called; the cells say what it is.

use std::sync::LazyLock;

use regex::Regex;

use super::super::{quantity, units};

/// A single code-like token: "MAT-00123", "4000123456", "HX-M10-50", "0425111206500".
static CODE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^[A-Za-z0-9][A-Za-z0-9._/#-]{2,29}$").expect("regex"));
/// Money as it is written in a price column: "12.50", "1,234.00", "$ 12.50", "SGD 3.20".
static MONEY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^(?:[$€£]|s\$|sgd|usd|eur|myr|rm)?\s*\d{1,3}(?:,\d{3})*\.\d{2}$|^(?:[$€£]|s\$|sgd|usd|eur|myr|rm)\s*\d",
    )
    .expect("regex")
});

/// The cell statistics of one column over a table's item rows.
#[derive(Debug, Default, Clone, Copy)]
pub(super) struct Profile {
    pub filled: usize,
    pub quantities: usize,
    /// Quantity cells that carry their unit ("250 NOS").
    pub with_unit: usize,
    pub serials: usize,
    /// Consecutive serial cells that follow each other as an outline does.
    pub steps: usize,
    pub codes: usize,
    pub money: usize,
    pub units: usize,
    pub letters: usize,
}

impl Profile {
    pub fn of(rows: &[Vec<String>], col: usize) -> Self {
        let mut p = Self::default();
        let mut last_outline: Option<Vec<u32>> = None;
        for row in rows {
            let cell = row.get(col).map(|c| c.trim()).unwrap_or("");
            if says_none(cell) {
                continue;
            }
            p.filled += 1;
            p.letters += cell.chars().filter(|c| c.is_alphabetic()).count();
            if let Some((_, unit)) = quantity::cell(cell) {
                p.quantities += 1;
                p.with_unit += usize::from(unit.is_some());
            }
            if quantity::is_serial(cell) {
                p.serials += 1;
                let here = quantity::outline(cell);
                if let (Some(prev), Some(next)) = (&last_outline, &here)
                    && quantity::follows(prev, next)
                {
                    p.steps += 1;
                }
                last_outline = here;
            }
            if is_code(cell) {
                p.codes += 1;
            }
            if MONEY.is_match(cell) {
                p.money += 1;
            }
            if units::canonical_any(cell).is_some() {
                p.units += 1;
            }
        }
        p
    }

    fn mostly(&self, n: usize) -> bool {
        self.filled > 0 && n * 10 >= self.filled * 7
    }

    /// Serial numbers counting up: "1, 2, 3" or "1.1, 1.2, 2.1".
    pub fn is_serial(&self) -> bool {
        self.mostly(self.serials) && (self.filled < 2 || self.steps * 10 >= (self.filled - 1) * 6)
    }

    pub fn is_code(&self) -> bool {
        self.mostly(self.codes) && !self.mostly(self.quantities)
    }

    pub fn is_money(&self) -> bool {
        self.mostly(self.money)
    }

    pub fn is_quantity(&self) -> bool {
        self.mostly(self.quantities) && !self.is_money()
    }

    pub fn is_unit(&self) -> bool {
        self.mostly(self.units)
    }

    /// Letters per filled cell: how much of a description the column holds.
    pub fn text_weight(&self) -> usize {
        self.letters
    }
}

/// An item or part code: one token with a digit, not a quantity or a measure.
pub(super) fn is_code(cell: &str) -> bool {
    let c = cell.trim();
    CODE.is_match(c)
        && c.bytes().any(|b| b.is_ascii_digit())
        && quantity::cell(c).is_none()
        && !quantity::is_serial(c)
        && (c.bytes().filter(u8::is_ascii_digit).count() >= 4
            || c.contains(['-', '/', '.'])
            || has_letters_and_digits(c))
}

/// Whether a column's cells are the buyer's own stock or item codes, not makers' part
/// numbers: every filled cell (at least two) one token of the same shape under the same
/// letters ("STK-00421", "STK-00017"; "BCW-2210", "BCW-2211"), with at least three digits,
/// or numbers of one length, at least six digits long ("4000123456"). A
/// maker's part numbers differ in shape ("DHP486Z", "GA5030", "6200") or carry no prefix.
pub(super) fn internal_codes(rows: &[Vec<String>], col: usize) -> bool {
    let mut seen: Option<(String, String)> = None;
    let mut filled = 0usize;
    for row in rows {
        let cell = row.get(col).map(|c| c.trim()).unwrap_or("");
        if cell.is_empty() {
            continue;
        }
        let prefix: String = cell.chars().take_while(char::is_ascii_alphabetic).collect();
        let shape: String = cell
            .chars()
            .map(|c| match c {
                '0'..='9' => '9',
                c if c.is_ascii_alphabetic() => 'A',
                c => c,
            })
            .collect();
        let digits = cell.bytes().filter(u8::is_ascii_digit).count();
        // "STK-00421", or a long number of an ERP ("4000123456")
        let ok = CODE.is_match(cell)
            && ((prefix.len() >= 2 && digits >= 3) || (digits >= 6 && digits == cell.len()))
            && seen
                .as_ref()
                .is_none_or(|(p, s)| *p == prefix.to_ascii_uppercase() && *s == shape);
        if !ok {
            return false;
        }
        seen = Some((prefix.to_ascii_uppercase(), shape));
        filled += 1;
    }
    filled >= 2
}

/// A cell that says "none": empty, a dash or a zero, as good as empty.
fn says_none(cell: &str) -> bool {
    cell.chars().all(|c| matches!(c, '-' | '–' | '—')) || cell.bytes().all(|b| b == b'0')
}

/// Of quantity columns split per site, phase or month and their total, the total: the
/// column whose figure is, on every row with figures (two rows at least), the sum of the
/// others' (an empty cell, a dash or a zero is none), or the only figure (the split left
/// blank; one row at least adds up). None when no column adds the others up.
pub(super) fn total_of(rows: &[Vec<String>], cols: &[usize]) -> Option<usize> {
    use rust_decimal::Decimal;
    if cols.len() < 3 {
        return None;
    }
    // a cell's figure: Some(None) when empty, a dash or a zero, None when it holds text
    let value = |row: &Vec<String>, c: usize| -> Option<Option<Decimal>> {
        let cell = row.get(c).map(|s| s.trim()).unwrap_or("");
        if says_none(cell) {
            return Some(None);
        }
        quantity::cell(cell).map(|(q, _)| Some(q.value()))
    };
    // the figures of the rows that hold any, read once (a row of text, the sites' names
    // under a merged header, adds nothing up)
    let mut grid: Vec<Vec<Option<Option<Decimal>>>> = Vec::new();
    for row in rows {
        let figures: Vec<Option<Option<Decimal>>> = cols.iter().map(|&c| value(row, c)).collect();
        if figures.iter().any(|f| matches!(f, Some(Some(_)))) {
            if figures.iter().any(Option::is_none) {
                return None;
            }
            grid.push(figures);
        }
    }
    if grid.len() < 2 {
        return None;
    }
    // a row with the total alone has its split left blank; the other rows must add up, one
    // at least
    let adds_up = |total: usize| {
        let mut summed = 0;
        for figures in &grid {
            let parts = figures
                .iter()
                .enumerate()
                .filter(|(k, _)| *k != total)
                .filter_map(|(_, f)| f.flatten());
            let (count, sum) = parts.fold((0usize, Decimal::ZERO), |(n, s), v| (n + 1, s + v));
            match (count, figures[total].flatten()) {
                (0, Some(_)) => {}
                (_, Some(t)) if t == sum => summed += 1,
                _ => return false,
            }
        }
        summed >= 1
    };
    (0..cols.len()).find(|&total| adds_up(total)).map(|k| cols[k])
}

fn has_letters_and_digits(c: &str) -> bool {
    c.bytes().any(|b| b.is_ascii_alphabetic()) && c.bytes().any(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn col(cells: &[&str]) -> Profile {
        let rows: Vec<Vec<String>> = cells.iter().map(|c| vec![c.to_string()]).collect();
        Profile::of(&rows, 0)
    }

    #[test]
    fn serial_columns_count_up() {
        assert!(col(&["1.1", "1.2", "1.3", "2.1"]).is_serial());
        assert!(col(&["1", "2", "3", "4"]).is_serial());
        assert!(!col(&["10", "50", "5", "200"]).is_serial());
    }

    #[test]
    fn code_quantity_and_money_columns() {
        assert!(col(&["MAT-00123", "MAT-00124", "4000123456"]).is_code());
        assert!(!col(&["250 NOS", "12", "1,000 EA"]).is_code());
        assert!(col(&["250 NOS", "12", "1,000 EA"]).is_quantity());
        assert!(col(&["12.50", "1,234.00", "3.20"]).is_money());
        assert!(!col(&["12.50", "1,234.00", "3.20"]).is_quantity());
        assert!(col(&["EA", "PCS", "Rolls"]).is_unit());
        assert!(!is_code("Gloves"));
        assert!(!is_code("250"));
    }

    #[test]
    fn a_buyers_stock_codes_share_one_shape_a_makers_part_numbers_do_not() {
        let rows = |cells: &[&str]| -> Vec<Vec<String>> { cells.iter().map(|c| vec![c.to_string()]).collect() };
        assert!(internal_codes(&rows(&["STK-00421", "STK-00017", "", "STK-10230"]), 0));
        assert!(internal_codes(&rows(&["YC5000", "YC5001"]), 0));
        assert!(internal_codes(&rows(&["4000123456", "4000123470"]), 0));
        assert!(!internal_codes(&rows(&["DHP486Z", "DGA404Z", "M8103KX2B"]), 0));
        assert!(!internal_codes(&rows(&["6200", "6001"]), 0));
        assert!(!internal_codes(&rows(&["UK7", "UK8", "UK9"]), 0));
        assert!(!internal_codes(&rows(&["STK-00421"]), 0));
        assert!(!internal_codes(&rows(&["K5 Premium", "AERO 21-01"]), 0));
    }
}
