//! PDFs written for these tests (tests/fixtures/pdf-layout/, made by its generate.py) read
//! through the path an attachment takes: lines set closer than their font size, pages
//! turned by /Rotate or drawn with a rotated text matrix, and a 25-column table with and
//! without rules. Rows and cells must come out whole, never interleaved.

mod common;

use horme::pipeline::text::{Block, Limits, extract};

fn tables(file: &str) -> Vec<Vec<Vec<String>>> {
    let bytes = std::fs::read(common::fixture("pdf-layout").join(file)).expect("fixture");
    let doc = extract(file, None, &bytes, &Limits::default()).expect("readable");
    doc.blocks
        .into_iter()
        .filter_map(|b| match b {
            Block::Table { rows } => Some(rows),
            _ => None,
        })
        .collect()
}

fn items() -> Vec<Vec<String>> {
    [
        ["No.", "Description", "Unit", "Qty"],
        ["1", "Hex bolt M8 x 40 zinc plated", "PCS", "200"],
        ["2", "Ball valve 1/2 in BRASS full bore", "PCS", "12"],
        ["3", "Cable tie 300 mm black UV resistant", "BAG", "40"],
        ["4", "Safety gloves nitrile size L", "PAIR", "150"],
    ]
    .iter()
    .map(|r| r.iter().map(|c| c.to_string()).collect())
    .collect()
}

#[test]
fn wrapped_cells_at_tight_leading_are_neither_interleaved_nor_split() {
    assert_eq!(tables("tight-leading.pdf"), vec![items()]);
}

#[test]
fn turned_pages_and_rotated_text_read_like_upright_ones() {
    // /Rotate 90, a rotated text matrix on an upright page, /Rotate 270.
    assert_eq!(tables("rotated-page.pdf"), vec![items(), items(), items()]);
}

#[test]
fn a_25_column_table_keeps_its_columns_with_or_without_rules() {
    let t = tables("wide-table.pdf");
    // Unruled, on page 1.
    assert_eq!(t[0].len(), 13);
    assert!(t[0].iter().all(|r| r.len() == 25));
    assert_eq!(t[0][1][0], "Region 1");
    assert_eq!(t[0][1][24], "3,013");
    // Ruled, pages 2 and 3: one table, the repeated header dropped.
    let ruled = t.last().expect("ruled table");
    assert_eq!(ruled.len(), 25);
    assert_eq!(ruled[0], t[0][0]);
    assert!(ruled.iter().all(|r| r.len() == 25));
    assert_eq!(ruled[1..13], t[0][1..]);
    assert_eq!(ruled[13..], t[0][1..]);
}
