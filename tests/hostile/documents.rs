//! Documents built to exhaust memory or time: each fails alone with its specific reason,
//! read in the `horme parse-document` child with the default limits; this process stays up
//! and small.

use std::time::{Duration, Instant};

use horme::pipeline::text::{Limits, TextError, extract};

use super::bombs;
use super::common;

/// The limits the service uses (the child is the real `horme` binary).
fn limits() -> Limits {
    Limits::from_settings(&common::settings().pipeline)
}

/// Peak resident memory of this process (the test binary reading every bomb): documents
/// are read in children, so it stays far below what one bomb needs (5–8 GB in-process).
const PEAK_RSS_BOUND_MIB: u64 = 1024;

fn peak_rss_mib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("status");
    let kib: u64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .expect("VmHWM");
    kib / 1024
}

/// Reads a hostile document and returns its error, checking the bounds on the way.
fn refused(name: &str, bytes: &[u8]) -> TextError {
    let started = Instant::now();
    let e = extract(name, None, bytes, &limits()).expect_err("a hostile document must fail");
    let limits = limits();
    let sandbox = limits.sandbox.as_ref().expect("sandboxed");
    assert!(
        started.elapsed() < sandbox.timeout + Duration::from_secs(5),
        "{name}: took {:?}",
        started.elapsed()
    );
    let peak = peak_rss_mib();
    assert!(peak < PEAK_RSS_BOUND_MIB, "{name}: peak RSS {peak} MiB");
    eprintln!(
        "{name} ({} KiB): {e} [{:?}, peak RSS {peak} MiB]",
        bytes.len() / 1024,
        started.elapsed()
    );
    e
}

/// One of the reasons a resource-exhausting document may get: the in-parser byte counts
/// usually stop it first, the child's limits otherwise.
fn is_a_limit(e: &TextError) -> bool {
    matches!(
        e,
        TextError::OutOfMemory { limit_mib: 512, .. }
            | TextError::TimedOut { .. }
            | TextError::Bomb { .. }
            | TextError::TooMuchText { .. }
    )
}

#[test]
fn a_pdf_stream_of_120_mib_of_path_operators() {
    let pdf = bombs::pdf_path_bomb(120);
    assert!(pdf.len() < 2 * 1024 * 1024, "small on disk: {}", pdf.len());
    let e = refused("paths.pdf", &pdf);
    assert!(is_a_limit(&e), "{e}");
}

#[test]
fn a_docx_of_200_mib_of_xml_under_the_zip_ratio() {
    let docx = bombs::docx_xml_bomb(200);
    assert!(docx.len() < 16 * 1024 * 1024, "small on disk: {}", docx.len());
    let e = refused("big.docx", &docx);
    assert!(matches!(e, TextError::TooMuchText { .. }), "{e}");
}

#[test]
fn an_ods_of_repeated_rows_and_columns() {
    let ods = bombs::ods_repeat_bomb(1_048_576, 16_384);
    assert!(ods.len() < 4096, "tiny on disk: {}", ods.len());
    let e = refused("repeat.ods", &ods);
    // calamine counts the cells a repeat asks for before it allocates them
    let counted =
        matches!(&e, TextError::Corrupt { format: "ODS", detail, .. } if detail.contains("Cell limit exceeded"));
    assert!(is_a_limit(&e) || counted, "{e}");
}

#[test]
fn an_xlsx_shared_strings_table_of_150_mib() {
    let e = refused("strings.xlsx", &bombs::xlsx_shared_strings_bomb(150));
    assert!(
        matches!(e, TextError::TooMuchText { .. } | TextError::Bomb { .. }),
        "{e}"
    );
}

/// What the child's limits catch when the byte counts are generous: the path operators of
/// a PDF make no text at all, so only memory or time stop them.
#[test]
fn without_text_limits_the_reader_limits_still_hold() {
    let l = Limits {
        max_text_bytes: usize::MAX / 64,
        ..limits()
    };
    let docx = bombs::docx_xml_bomb(200);
    let e = extract("big.docx", None, &docx, &l).expect_err("a limit");
    assert!(
        matches!(
            e,
            TextError::OutOfMemory { limit_mib: 512, .. } | TextError::TimedOut { .. }
        ),
        "{e}"
    );
    assert!(peak_rss_mib() < PEAK_RSS_BOUND_MIB);
}

#[test]
fn a_zip_inside_a_zip_inside_a_docx_is_not_opened() {
    let e = refused("nested.docx", &bombs::nested_zip());
    assert!(
        matches!(e, TextError::Corrupt { format: "DOCX", .. } | TextError::Bomb { .. }),
        "{e}"
    );
}

#[test]
fn a_reader_over_its_memory_limit_fails_with_the_limit_named() {
    let mut l = limits();
    l.sandbox.as_mut().expect("sandboxed").memory_mib = 24;
    let pdf = std::fs::read(common::repo().join("tests/fixtures/corpus/rfps/rfp-001.pdf")).expect("fixture");
    let e = extract("rfp-001.pdf", None, &pdf, &l).expect_err("cannot be read in 24 MiB");
    assert_eq!(
        e.to_string(),
        "rfp-001.pdf: the document needs more than 24 MiB to read"
    );
}

#[test]
fn a_reader_over_its_time_is_killed() {
    let mut l = limits();
    l.sandbox.as_mut().expect("sandboxed").timeout = Duration::ZERO;
    let pdf = std::fs::read(common::repo().join("tests/fixtures/corpus/rfps/rfp-001.pdf")).expect("fixture");
    let e = extract("rfp-001.pdf", None, &pdf, &l).expect_err("no time at all");
    assert_eq!(e.to_string(), "rfp-001.pdf: reading the document took longer than 0 s");
}

#[test]
fn ordinary_documents_read_the_same_in_the_child() {
    let sandboxed = limits();
    for f in ["rfp-001.pdf", "rfp-002.docx", "rfp-003.xlsx"] {
        let bytes = std::fs::read(common::repo().join("tests/fixtures/corpus/rfps").join(f)).expect("fixture");
        let child = extract(f, None, &bytes, &sandboxed).expect("reads in the child");
        let here = extract(f, None, &bytes, &Limits::default()).expect("reads in-process");
        assert_eq!(child, here, "{f}");
    }
}

#[test]
fn a_damaged_pdf_is_damaged_and_says_nothing_on_stderr() {
    let e = extract("junk.pdf", None, b"%PDF-1.4\n1 0 obj <<", &limits()).expect_err("damaged");
    assert!(matches!(e, TextError::Corrupt { format: "PDF", .. }), "{e}");
}

#[test]
fn text_over_the_text_limit_is_refused_in_every_format() {
    let l = Limits {
        max_text_bytes: 1024,
        ..limits()
    };
    let txt = "Nitrile gloves 20 pcs\n".repeat(100);
    assert!(matches!(
        extract("a.txt", None, txt.as_bytes(), &l),
        Err(TextError::TooMuchText { limit: 1024, .. })
    ));
    let csv = "Item,Qty\n".to_string() + &"Nitrile gloves,20\n".repeat(100);
    assert!(matches!(
        extract("a.csv", None, csv.as_bytes(), &l),
        Err(TextError::TooMuchText { limit: 1024, .. })
    ));
}
