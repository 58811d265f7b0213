//! Delivery splits of a summary table. A workbook may give the items ordered on one sheet
//! with their total quantities, and the same items again on a sheet per month, site or
//! phase ("Summary", "Apr", "May", "Jun"): the other sheets say how the order is delivered,
//! not more of it. A table is such a split when another table names every item it names,
//! and the quantities of two or more such tables add up, item by item, to that table's.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use rust_decimal::Decimal;

use super::Requirement;

/// Lists a document may hold for splits to be looked for.
const MAX_LISTS: usize = 64;

/// An item's description as compared between tables: case and spacing aside.
fn key(description: &str) -> String {
    description
        .split_whitespace()
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ")
}

/// The quantity per item of one table's lines.
fn totals(items: &[Requirement]) -> HashMap<String, Decimal> {
    let mut out: HashMap<String, Decimal> = HashMap::new();
    for r in items {
        *out.entry(key(&r.description)).or_default() += r.quantity;
    }
    out
}

/// A table's lines as the lists it holds: one list ends where an item it named comes again
/// (a split printed page after page reads as one table continued).
fn lists(items: &[Requirement], table: Range<usize>) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut from = table.start;
    let mut seen: HashSet<String> = HashSet::new();
    for i in table.clone() {
        let k = key(&items[i].description);
        if seen.contains(&k) {
            out.push(from..i);
            from = i;
            seen.clear();
            if out.len() > MAX_LISTS {
                break;
            }
        }
        seen.insert(k);
    }
    out.push(from..table.end);
    out
}

/// The lines (indices into `items`) of the tables that are delivery splits of another one,
/// `tables` being each table's lines in `items`.
pub(super) fn delivery_splits(items: &[Requirement], tables: &[Range<usize>]) -> Vec<usize> {
    let tables: Vec<Range<usize>> = tables.iter().flat_map(|t| lists(items, t.clone())).collect();
    // lists are compared pairwise: a document of more is no workbook of splits (a hostile
    // one of a million rows of the same item must cost no more than reading it)
    if tables.len() > MAX_LISTS {
        return Vec::new();
    }
    let sums: Vec<HashMap<String, Decimal>> = tables.iter().map(|r| totals(&items[r.clone()])).collect();
    for (s, summary) in sums.iter().enumerate() {
        let covered: Vec<usize> = (0..sums.len())
            .filter(|&t| t != s && !sums[t].is_empty() && sums[t].keys().all(|k| summary.contains_key(k)))
            .collect();
        if covered.len() < 2 {
            continue;
        }
        let adds_up = summary.iter().all(|(k, total)| {
            covered
                .iter()
                .map(|&t| sums[t].get(k).copied().unwrap_or_default())
                .sum::<Decimal>()
                == *total
        });
        if adds_up {
            return covered.iter().flat_map(|&t| tables[t].clone()).collect();
        }
    }
    Vec::new()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(items: &[(&str, i64)]) -> Vec<Requirement> {
        items
            .iter()
            .map(|(d, q)| Requirement {
                description: (*d).into(),
                quantity: Decimal::from(*q),
                unit: "pcs".into(),
            })
            .collect()
    }

    #[test]
    fn month_sheets_adding_up_to_the_summary_are_its_delivery_splits() {
        let mut items = lines(&[
            ("Pine disinfectant 5L", 28),
            ("Bleach 5L", 18),
            ("Floor stripper 20L", 2),
        ]);
        items.extend(lines(&[
            ("Pine disinfectant 5L", 10),
            ("Bleach 5L", 6),
            ("Floor stripper 20L", 1),
        ]));
        items.extend(lines(&[("pine disinfectant  5l", 8), ("Bleach 5L", 6)]));
        items.extend(lines(&[
            ("Pine disinfectant 5L", 10),
            ("Bleach 5L", 6),
            ("Floor stripper 20L", 1),
        ]));
        let got = delivery_splits(&items, &[0..3, 3..6, 6..8, 8..11]);
        assert_eq!(got, (3..11).collect::<Vec<_>>());
    }

    #[test]
    fn splits_printed_one_after_another_are_lists_of_their_own() {
        let mut items = lines(&[("Dust mop 100cm", 6), ("Spin mop set", 5)]);
        items.extend(lines(&[("Dust mop 100cm", 3), ("Spin mop set", 2)]));
        items.extend(lines(&[("Dust mop 100cm", 2), ("Spin mop set", 2)]));
        items.extend(lines(&[("Dust mop 100cm", 1), ("Spin mop set", 1)]));
        assert_eq!(delivery_splits(&items, &[0..2, 2..8]), (2..8).collect::<Vec<_>>());
    }

    #[test]
    fn a_million_rows_of_one_item_are_no_splits_and_cost_no_more_than_reading() {
        let items = lines(&vec![("ab", 1); 1_000_000]);
        let whole = 0..items.len();
        assert!(delivery_splits(&items, std::slice::from_ref(&whole)).is_empty());
    }

    #[test]
    fn sheets_that_do_not_add_up_are_orders_of_their_own() {
        // one site's sheet, another site's sheet, and a third list: no table is the sum
        let mut items = lines(&[("Mop head", 10), ("Gloves L", 5)]);
        items.extend(lines(&[("Mop head", 4), ("Gloves L", 5)]));
        items.extend(lines(&[("Mop head", 4)]));
        assert!(delivery_splits(&items, &[0..2, 2..4, 4..5]).is_empty());
        // a summary over one other sheet alone is not read as its split
        let mut items = lines(&[("Mop head", 10)]);
        items.extend(lines(&[("Mop head", 10)]));
        assert!(delivery_splits(&items, &[0..1, 1..2]).is_empty());
    }
}
