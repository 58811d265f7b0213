//! Every input a fuzz target found crashing (tests/fixtures/fuzz/TARGET/), run through the
//! same path as the fuzz harness: read as an attachment, then both extractors. They must
//! end as documents or specific errors, never as a panic.

mod common;

use horme::pipeline::customer::{self, SenderHint};
use horme::pipeline::requirements::extract_rules;
use horme::pipeline::sources::{self, Content, Source};
use horme::pipeline::text::Limits;

#[test]
fn fuzz_findings_stay_fixed() {
    let root = common::fixture("fuzz");
    let mut seen = 0;
    for dir in std::fs::read_dir(&root).expect("fuzz fixtures") {
        let dir = dir.expect("entry").path();
        let target = dir.file_name().and_then(|n| n.to_str()).expect("name").to_string();
        for file in std::fs::read_dir(&dir).expect("target dir") {
            let path = file.expect("entry").path();
            let content = Content {
                attachments: vec![Source {
                    name: format!("finding.{target}"),
                    media_type: None,
                    bytes: std::fs::read(&path).expect("finding"),
                }],
                ..Content::default()
            };
            let read = sources::read(&content, &Limits::default());
            let _ = extract_rules(&read.documents);
            let _ = customer::extract(&read.documents, &SenderHint::default());
            assert!(
                !read.documents.is_empty() || !read.errors.is_empty() || !read.skipped.is_empty(),
                "{}: neither read nor refused",
                path.display()
            );
            seen += 1;
        }
    }
    assert!(seen >= 4, "{seen} findings");
}
