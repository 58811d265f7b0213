//! Shared body of the fuzz targets: one untrusted file through the same path an attachment
//! takes (format detection, the parser, then the requirement and customer extractors on
//! whatever text came out). Any panic, hang or runaway allocation is a finding.

use horme::pipeline::customer::{self, SenderHint};
use horme::pipeline::requirements;
use horme::pipeline::sources::{self, Content, Source};
use horme::pipeline::text::Limits;

/// Small enough limits that one input cannot take the fuzzer's whole memory budget.
fn limits() -> Limits {
    Limits {
        max_document_bytes: 4 * 1024 * 1024,
        max_text_bytes: 1024 * 1024,
        max_pdf_pages: 200,
    }
}

/// libFuzzer's panic hook aborts on every panic. Panics on the parser threads are part of
/// the design (third-party parsers run behind `catch_unwind` and their panic becomes a
/// "damaged file" error), so only those are let through; any other panic still aborts.
fn contain_parser_panics() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let abort = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !std::thread::current().name().is_some_and(|n| n.starts_with("parse-")) {
                abort(info);
            }
        }));
    });
}

/// Reads `data` as an attachment called `name` and runs the extractors over the result.
pub fn run(name: &str, data: &[u8]) {
    contain_parser_panics();
    let content = Content {
        text: String::new(),
        html: None,
        attachments: vec![Source {
            name: name.to_string(),
            media_type: None,
            bytes: data.to_vec(),
        }],
    };
    let read = sources::read(&content, &limits());
    let _ = requirements::extract_rules(&read.documents);
    let _ = customer::extract(&read.documents, &SenderHint::default());
    for doc in &read.documents {
        let _ = doc.plain_text();
    }
}
