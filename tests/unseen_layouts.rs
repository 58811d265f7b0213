//! Requests written for these tests, in layouts, list styles and languages the development
//! corpus does not have (tests/fixtures/unseen/, expected lines in expected.json): the rules
//! extractor must read every line exactly, and nothing else.

mod common;

use horme::pipeline::requirements::extract_rules;
use horme::pipeline::text::{Limits, extract};
use rust_decimal::Decimal;
use serde_json::Value;

#[test]
fn unseen_layouts_give_exactly_the_expected_lines() {
    let dir = common::fixture("unseen");
    let expected: serde_json::Map<String, Value> =
        serde_json::from_str(&std::fs::read_to_string(dir.join("expected.json")).expect("expected.json"))
            .expect("json");
    let mut failures = Vec::new();
    for (file, lines) in &expected {
        let bytes = std::fs::read(dir.join(file)).expect("fixture");
        let doc = extract(file, None, &bytes, &Limits::default()).expect("readable");
        let got: Vec<(String, Decimal, String)> = extract_rules(&[doc])
            .unwrap_or_default()
            .into_iter()
            .map(|r| (r.description, r.quantity, r.unit))
            .collect();
        let want: Vec<(String, Decimal, String)> = lines
            .as_array()
            .expect("lines")
            .iter()
            .map(|l| {
                (
                    l[0].as_str().expect("description").to_string(),
                    l[1].to_string().parse().expect("quantity"),
                    l[2].as_str().expect("unit").to_string(),
                )
            })
            .collect();
        if got != want {
            failures.push(format!("{file}:\n  want {want:?}\n  got  {got:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
