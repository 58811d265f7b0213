//! Item tables: find the header row, the quantity column (whatever it is called and wherever
//! it stands), the description and unit columns; read each row. Rows without a quantity,
//! TOTAL rows and tables that are not item lists are skipped.

use std::sync::LazyLock;

use regex::Regex;

use super::{Requirement, units};
use crate::domain::Quantity;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Quantity,
    Description,
    Unit,
    /// Columns whose numbers must never be read as quantities or descriptions.
    Other,
}

static QTY_HEADER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(?:q'?ty|qnty|qtty|quantity|quantities|qty\.|no\.?s\.?|nos\.?|no\.? of (?:units|pcs|pieces|items)|pcs|order(?:ed)? qty|req(?:uired|\.)? qty|count|menge|anzahl|cantidad|quantit[ée]|qt[ée]|quantità|kuantiti|jumlah|bilangan)(?:\b|$)")
        .expect("regex")
});
static DESC_HEADER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:description|desc\.?|item(?:s)?(?: name| description)?|product(?:s)?(?: name| description)?|particulars|material(?:s)?|goods|specification|spec|details|name|article|requirement|service|bezeichnung|artikelbezeichnung|beschreibung|artikel|descripci[óo]n|d[ée]signation|descrizione|articolo|keterangan|barang|perkara)\b")
        .expect("regex")
});
static UNIT_HEADER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(?:unit(?:s)?|uom|u/m|u\.o\.m\.?|unit of (?:measure|issue)|pack(?:ing)?|measure|einheit|mengeneinheit|me|unidad|unit[ée]|unità|satuan|unit[ée] de mesure)\s*$")
        .expect("regex")
});
static OTHER_HEADER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:price|rate|amount|total|cost|value|remark|remarks|note|notes|comment|lead|delivery|date|code|part|sku|ref|brand|s/?n|no\.?$|#|item no|line)\b")
        .expect("regex")
});
static TOTAL_ROW: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^\s*(?:sub[- ]?)?total\b|^\s*grand total|^\s*gst\b|^\s*vat\b").expect("regex"));
/// A quantity cell, possibly with its unit: "24", "1,000", "24 PCS", "2.5 kg".
static QTY_CELL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(?P<q>\d{1,3}(?:[, ]\d{3})+|\d+(?:[.,]\d+)?)\s*(?P<u>[A-Za-z]{1,10}\.?)?\s*$").expect("regex")
});

/// The items of a table, or None when the table is not an item list.
pub(super) fn items(rows: &[Vec<String>]) -> Option<Vec<Requirement>> {
    let (first_item, roles) = find_header(rows).or_else(|| infer_columns(rows))?;
    let qty_col = roles.iter().position(|r| *r == Role::Quantity)?;
    let desc_col = roles.iter().position(|r| *r == Role::Description)?;
    let unit_col = roles.iter().position(|r| *r == Role::Unit);
    let mut items = Vec::new();
    for row in &rows[first_item..] {
        let cell = |i: usize| row.get(i).map(String::as_str).unwrap_or("").trim();
        let description = cell(desc_col);
        if description.is_empty() || TOTAL_ROW.is_match(description) {
            continue;
        }
        let Some(c) = QTY_CELL.captures(cell(qty_col)) else {
            continue;
        };
        let Ok(quantity) = Quantity::parse(&c["q"]) else {
            continue;
        };
        let unit = unit_col
            .and_then(|i| units::canonical_any(cell(i)))
            .or_else(|| c.name("u").and_then(|u| units::canonical_any(u.as_str())))
            .unwrap_or("pcs");
        items.extend(Requirement::new(description, quantity, unit));
    }
    Some(items)
}

/// The first row (of the first ten) that names a quantity column and a description column;
/// returns the index of the first item row and the column roles.
fn find_header(rows: &[Vec<String>]) -> Option<(usize, Vec<Role>)> {
    rows.iter().take(10).enumerate().find_map(|(i, row)| {
        let mut roles: Vec<Role> = row.iter().map(|c| header_role(c)).collect();
        let qty = roles.iter().position(|r| *r == Role::Quantity)?;
        // Rows below may be wider than the header: their extra columns are unnamed.
        let width = rows.iter().map(Vec::len).max().unwrap_or(0);
        if roles.len() < width {
            roles.resize(width, Role::Other);
        }
        if !roles.contains(&Role::Description) {
            // Unnamed description column: the widest text column in the rows below.
            let widest = widest_text_column(&rows[i + 1..], &roles)?;
            roles[widest] = Role::Description;
        } else if roles.iter().filter(|r| **r == Role::Description).count() > 1 {
            // Several candidates ("Item" numbers beside "Description"): the one holding text.
            let candidates: Vec<Role> = roles
                .iter()
                .map(|r| {
                    if *r == Role::Description {
                        Role::Other
                    } else {
                        Role::Quantity
                    }
                })
                .collect();
            let best = widest_text_column(&rows[i + 1..], &candidates)?;
            for (c, r) in roles.iter_mut().enumerate() {
                if *r == Role::Description && c != best {
                    *r = Role::Other;
                }
            }
        }
        // Only one quantity column: prefer the first.
        for r in roles.iter_mut().skip(qty + 1) {
            if *r == Role::Quantity {
                *r = Role::Other;
            }
        }
        Some((i + 1, roles))
    })
}

fn header_role(cell: &str) -> Role {
    let c = cell.trim();
    if c.is_empty() {
        return Role::Other;
    }
    if UNIT_HEADER.is_match(c) {
        return Role::Unit;
    }
    if QTY_HEADER.is_match(c) && !c.to_ascii_lowercase().contains("price") {
        return Role::Quantity;
    }
    if DESC_HEADER.is_match(c) && !OTHER_HEADER.is_match(c) {
        return Role::Description;
    }
    if DESC_HEADER.is_match(c) && c.to_ascii_lowercase().contains("description") {
        return Role::Description;
    }
    Role::Other
}

/// A header-less item table: one column of quantities beside one column of text; items
/// start at the first row.
fn infer_columns(rows: &[Vec<String>]) -> Option<(usize, Vec<Role>)> {
    if rows.len() < 2 {
        return None;
    }
    let width = rows.iter().map(Vec::len).max()?;
    let numeric_share = |col: usize| {
        let filled: Vec<&str> = rows
            .iter()
            .filter_map(|r| r.get(col))
            .map(|c| c.trim())
            .filter(|c| !c.is_empty())
            .collect();
        let numeric = filled.iter().filter(|c| QTY_CELL.is_match(c)).count();
        (numeric, filled.len())
    };
    // The quantity column: the right-most column that is mostly numbers; a first column
    // counting 1, 2, 3 … is the item number.
    let qty = (0..width).rev().find(|&c| {
        let (numeric, filled) = numeric_share(c);
        filled >= 2 && numeric * 10 >= filled * 8 && !is_sequence(rows, c)
    })?;
    let mut roles = vec![Role::Other; width];
    roles[qty] = Role::Quantity;
    let desc = widest_text_column(rows, &roles)?;
    roles[desc] = Role::Description;
    Some((0, roles))
}

fn is_sequence(rows: &[Vec<String>], col: usize) -> bool {
    let nums: Vec<u64> = rows
        .iter()
        .filter_map(|r| r.get(col)?.trim().trim_end_matches('.').parse().ok())
        .collect();
    nums.len() >= 2 && nums.windows(2).all(|w| w[1] == w[0] + 1)
}

fn widest_text_column(rows: &[Vec<String>], roles: &[Role]) -> Option<usize> {
    let width = rows.iter().map(Vec::len).max()?.max(roles.len());
    (0..width)
        .filter(|c| roles.get(*c).is_none_or(|r| *r == Role::Other))
        .map(|c| {
            let letters: usize = rows
                .iter()
                .filter_map(|r| r.get(c))
                .map(|t| t.chars().filter(|ch| ch.is_alphabetic()).count())
                .sum();
            (c, letters)
        })
        .filter(|(_, letters)| *letters > 0)
        .max_by_key(|(_, letters)| *letters)
        .map(|(c, _)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(rows: &[&[&str]]) -> Option<Vec<(String, String, String)>> {
        let rows: Vec<Vec<String>> = rows.iter().map(|r| r.iter().map(|c| c.to_string()).collect()).collect();
        items(&rows).map(|v| {
            v.into_iter()
                .map(|r| (r.description, r.quantity.to_string(), r.unit))
                .collect()
        })
    }

    fn one(d: &str, q: &str, u: &str) -> (String, String, String) {
        (d.into(), q.into(), u.into())
    }

    #[test]
    fn header_below_title_rows_and_any_column_order() {
        let got = t(&[
            &["Changi Aero Components", "", ""],
            &["RFQ RFQ-5410/2026", "", "Due 27 Dec 2026"],
            &["UOM", "QTY REQ'D", "Item Description", "Remarks"],
            &["pcs", "30", "Cutting Disc 5 Inch", "urgent"],
            &["ea", "1,000", "Nipple 3/4 inch", ""],
            &["", "1030", "TOTAL", ""],
        ]);
        assert_eq!(
            got,
            Some(vec![
                one("Cutting Disc 5 Inch", "30", "pcs"),
                one("Nipple 3/4 inch", "1000", "ea")
            ])
        );
    }

    #[test]
    fn quantity_cells_with_their_unit() {
        let got = t(&[
            &["S/N", "Description", "Nos"],
            &["1", "Gloves", "24 PCS"],
            &["2", "Mop", "3 sets"],
        ]);
        assert_eq!(got, Some(vec![one("Gloves", "24", "pcs"), one("Mop", "3", "sets")]));
    }

    #[test]
    fn price_and_number_columns_are_not_quantities() {
        let got = t(&[
            &["No.", "Item", "Unit Price", "Quantity", "Amount"],
            &["1", "Brush", "", "5", ""],
        ]);
        assert_eq!(got, Some(vec![one("Brush", "5", "pcs")]));
    }

    #[test]
    fn headerless_item_table() {
        let got = t(&[&["1", "Gloves nitrile", "20"], &["2", "Toilet brush", "5"]]);
        assert_eq!(
            got,
            Some(vec![
                one("Gloves nitrile", "20", "pcs"),
                one("Toilet brush", "5", "pcs")
            ])
        );
    }

    #[test]
    fn of_several_description_like_columns_the_one_with_text_wins() {
        let got = t(&[
            &["ITEM", "PART NO", "DESCRIPTION", "QTY", "UOM"],
            &["0010", "HX-M10-50", "Hex bolt M10 x 50", "200", "EA"],
            &["0020", "WSH-M10", "Flat washer M10", "400", "EA"],
        ]);
        assert_eq!(
            got,
            Some(vec![
                one("Hex bolt M10 x 50", "200", "ea"),
                one("Flat washer M10", "400", "ea")
            ])
        );
    }

    #[test]
    fn rows_wider_than_their_header() {
        // Found by the csv fuzz target: the description column lies beyond the header.
        let got = t(&[&["Qty"], &["5", "Mop head cotton"], &["2", "Bucket 10 l"]]);
        assert_eq!(
            got,
            Some(vec![one("Mop head cotton", "5", "pcs"), one("Bucket 10 l", "2", "pcs")])
        );
    }

    #[test]
    fn a_contact_table_is_not_an_item_list() {
        assert_eq!(
            t(&[&["Company", "Sentosa Services"], &["Phone", "+65 6123 4567"]]),
            None
        );
    }
}
