//! A generated 50-page request (one table, its header repeated on every page, 500 rows):
//! every row comes out once, in order, none lost to page breaks or length limits.

use horme::pipeline::requirements::extract_rules;
use horme::pipeline::text::{Block, Limits, extract};

#[test]
fn a_table_across_fifty_pages_gives_all_its_rows() {
    let pdf = horme::cli::synthetic_pdf(50);
    let doc = extract("long.pdf", None, &pdf, &Limits::default()).expect("reads");
    let tables: Vec<&Vec<Vec<String>>> = doc
        .blocks
        .iter()
        .filter_map(|b| match b {
            Block::Table { rows } => Some(rows),
            _ => None,
        })
        .collect();
    assert_eq!(tables.len(), 1, "one table, continued over the pages");
    assert_eq!(tables[0].len(), 501, "the header once and 500 rows");
    let items = extract_rules(&[doc]).expect("items");
    assert_eq!(items.len(), 500);
    for (i, item) in items.iter().enumerate() {
        let n = i + 1;
        assert_eq!(
            item.description,
            format!("Stainless steel hex bolt M{} x {} mm grade A2", 6 + n % 10, 20 + n % 80)
        );
        assert_eq!(item.quantity, rust_decimal::Decimal::from(n % 97 + 1));
    }
}
