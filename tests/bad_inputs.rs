//! Hostile and broken files: each gets its own specific error (or, where the file is fine
//! underneath, its content), never a panic, a hang or memory exhaustion.

mod common;

use std::io::Write;

use horme::pipeline::requirements::extract_rules;
use horme::pipeline::text::{Limits, TextError, extract};

fn read_fixture(rel: &str) -> Vec<u8> {
    std::fs::read(common::fixture(rel)).expect("fixture")
}

/// A PDF with `pages` pages (one short line each) and a correct cross-reference table.
fn pdf_with_pages(pages: usize) -> Vec<u8> {
    let mut objects: Vec<String> = vec![
        "<< /Type /Catalog /Pages 2 0 R >>".into(),
        format!(
            "<< /Type /Pages /Kids [{}] /Count {pages} >>",
            (0..pages)
                .map(|i| format!("{} 0 R", 5 + i))
                .collect::<Vec<_>>()
                .join(" ")
        ),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".into(),
        "<< /Length 44 >>\nstream\nBT /F1 12 Tf 72 720 Td (Gloves 20 pcs) Tj ET\nendstream".into(),
    ];
    for _ in 0..pages {
        objects.push(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents 4 0 R >>"
                .into(),
        );
    }
    let mut pdf = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.extend(format!("{} 0 obj\n{body}\nendobj\n", i + 1).bytes());
    }
    let xref = pdf.len();
    pdf.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).bytes());
    for off in offsets {
        pdf.extend(format!("{off:010} 00000 n \n").bytes());
    }
    pdf.extend(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .bytes(),
    );
    pdf
}

fn zip(entries: &[(&str, &[u8])], method: zip::CompressionMethod) -> Vec<u8> {
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut w = zip::ZipWriter::new(&mut buf);
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(method)
            .large_file(false);
        for (name, data) in entries {
            w.start_file(*name, opts).expect("start");
            w.write_all(data).expect("write");
        }
        w.finish().expect("finish");
    }
    buf.into_inner()
}

/// A minimal XLSX whose only sheet has the given XML rows (inline strings and numbers).
fn xlsx(sheet_rows: &str, last_row: usize) -> Vec<u8> {
    let sheet = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="A1:C{last_row}"/><sheetData>{sheet_rows}</sheetData></worksheet>"#
    );
    zip(
        &[
            (
                "[Content_Types].xml",
                br#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#,
            ),
            (
                "_rels/.rels",
                br#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#,
            ),
            (
                "xl/workbook.xml",
                br#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="RFQ" sheetId="1" r:id="rId1"/></sheets></workbook>"#,
            ),
            (
                "xl/_rels/workbook.xml.rels",
                br#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#,
            ),
            ("xl/worksheets/sheet1.xml", sheet.as_bytes()),
        ],
        zip::CompressionMethod::Deflated,
    )
}

fn err(name: &str, bytes: &[u8]) -> TextError {
    extract(name, None, bytes, &Limits::default()).expect_err("must fail")
}

#[test]
fn encrypted_pdfs_are_named_as_such() {
    for f in ["bad/encrypted.pdf", "bad/encrypted-rc4.pdf"] {
        let e = err("rfq.pdf", &read_fixture(f));
        assert_eq!(e, TextError::Encrypted { name: "rfq.pdf".into() }, "{f}");
        assert!(e.to_string().contains("password-protected"));
    }
}

#[test]
fn a_truncated_pdf_is_damaged() {
    let whole = read_fixture("corpus/rfps/rfp-001.pdf");
    for cut in [whole.len() / 2, whole.len() / 5, 40] {
        let e = err("rfq.pdf", &whole[..cut]);
        assert!(
            matches!(e, TextError::Corrupt { format: "PDF", .. } | TextError::Scanned { .. }),
            "{cut}: {e:?}"
        );
    }
}

#[test]
fn absurd_page_counts_are_refused() {
    let ok = extract("ok.pdf", None, &pdf_with_pages(3), &Limits::default()).expect("3 pages read");
    assert!(ok.plain_text().contains("Gloves 20 pcs"));
    let e = err("many.pdf", &pdf_with_pages(600));
    assert_eq!(
        e,
        TextError::TooManyPages {
            name: "many.pdf".into(),
            pages: 600,
            limit: 500
        }
    );
}

#[test]
fn deeply_nested_pdf_objects_are_refused_before_parsing() {
    let mut deep = b"%PDF-1.7\n1 0 obj\n".to_vec();
    deep.extend(std::iter::repeat_n(b'[', 200_000));
    let e = err("deep.pdf", &deep);
    assert!(
        matches!(&e, TextError::Corrupt { detail, .. } if detail.contains("nested too deeply")),
        "{e:?}"
    );
    let mut dicts = b"%PDF-1.7\n1 0 obj\n".to_vec();
    dicts.extend(b"<< /A ".repeat(100_000));
    assert!(matches!(err("deep.pdf", &dicts), TextError::Corrupt { .. }));
}

#[test]
fn docx_zip_bombs_are_refused_by_ratio_and_by_size() {
    // One entry expanding 1000 times.
    let zeros = vec![0u8; 64 * 1024 * 1024];
    let ratio = zip(&[("word/document.xml", &zeros)], zip::CompressionMethod::Deflated);
    assert!(ratio.len() < 1024 * 1024);
    assert!(matches!(err("bomb.docx", &ratio), TextError::Bomb { .. }));
    // Many entries, each too small for the ratio rule, together far too large.
    let mib = vec![b'a'; 1024 * 1024];
    let names: Vec<String> = (0..300).map(|i| format!("word/media/part{i}.xml")).collect();
    let entries: Vec<(&str, &[u8])> = names.iter().map(|n| (n.as_str(), &mib[..1024 * 1024 - 1])).collect();
    let size = zip(&entries, zip::CompressionMethod::Deflated);
    let e = err("bomb.docx", &size);
    assert!(matches!(e, TextError::Bomb { .. }), "{e:?}");
    assert!(e.to_string().contains("compression bomb"));
}

#[test]
fn an_xlsx_with_a_million_empty_rows_is_read_by_its_cells() {
    const ROWS: usize = 1_000_000;
    let mut rows = String::from(
        r#"<row r="1"><c r="A1" t="inlineStr"><is><t>Description</t></is></c><c r="B1" t="inlineStr"><is><t>Qty</t></is></c></row>"#,
    );
    for r in 2..=ROWS {
        rows.push_str(&format!(r#"<row r="{r}"><c r="A{r}"/></row>"#));
    }
    let last = ROWS + 1;
    rows.push_str(&format!(
        r#"<row r="{last}"><c r="A{last}" t="inlineStr"><is><t>Cable ties 200mm</t></is></c><c r="B{last}"><v>40</v></c></row>"#
    ));
    let doc = extract("big.xlsx", None, &xlsx(&rows, last), &Limits::default()).expect("reads");
    let items = extract_rules(&[doc]).expect("an item");
    assert_eq!(items.len(), 1);
    assert_eq!(items[0].description, "Cable ties 200mm");

    let empty: String = (1..=ROWS).map(|r| format!(r#"<row r="{r}"/>"#)).collect();
    assert_eq!(
        err("empty.xlsx", &xlsx(&empty, ROWS)),
        TextError::NoText {
            name: "empty.xlsx".into()
        }
    );
}

#[test]
fn empty_files_junk_and_invalid_utf8() {
    for name in ["a.pdf", "a.docx", "a.xlsx", "a.csv", "a.txt", "a.html"] {
        assert_eq!(err(name, b""), TextError::Empty { name: name.into() });
    }
    let junk: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    let e = err("junk.pdf", &junk);
    assert!(
        matches!(&e, TextError::Corrupt { detail, .. } if detail.contains("not a PDF")),
        "{e:?}"
    );
    for name in ["junk.docx", "junk.xlsx", "junk.ods", "junk.xls"] {
        assert!(matches!(err(name, &junk), TextError::Corrupt { .. }), "{name}");
    }
    // Invalid UTF-8 that is binary: refused; that is Windows-1252 text: read as such.
    for name in ["junk.txt", "junk.csv", "junk.html"] {
        let e = err(name, &junk);
        assert!(
            matches!(&e, TextError::Corrupt { detail, .. } if detail.contains("binary data")),
            "{name}: {e:?}"
        );
    }
    let latin = extract(
        "latin.txt",
        None,
        b"Caf\xe9 chairs x 4\nSchraube M8 \xd8 8mm - 100 pcs\n",
        &Limits::default(),
    )
    .expect("windows-1252");
    assert!(latin.plain_text().contains("Café chairs x 4"));
    assert!(latin.plain_text().contains("Ø 8mm"));
    let broken_utf8 = b"Gloves \xc3\x28 nitrile - 20 pcs\n";
    assert!(extract("b.txt", None, broken_utf8, &Limits::default()).is_ok());
}

#[test]
fn a_scanned_pdf_is_read_by_ocr_or_named_as_a_scan() {
    let scanned = read_fixture("bad/scanned.pdf");
    let ocr_tools = ["pdftoppm", "tesseract"].iter().all(|t| {
        std::process::Command::new(t)
            .arg(if *t == "pdftoppm" { "-v" } else { "--version" })
            .output()
            .is_ok_and(|o| o.status.success())
    });
    match extract("scan.pdf", None, &scanned, &Limits::default()) {
        Ok(doc) => {
            assert!(ocr_tools, "text without OCR tools?");
            let items = extract_rules(&[doc]).expect("items from the scan");
            let found: Vec<(&str, String)> = items
                .iter()
                .map(|r| (r.description.as_str(), r.quantity.to_string()))
                .collect();
            assert!(found.contains(&("Toilet brush", "10".to_string())), "{found:?}");
            assert!(
                found
                    .iter()
                    .any(|(d, q)| d.contains("KOYO FIBER SAND DISC") && q == "4"),
                "{found:?}"
            );
            assert!(items.len() >= 6, "{found:?}");
        }
        Err(e) => {
            assert!(!ocr_tools, "OCR is installed but failed: {e}");
            assert_eq!(e.to_string(), "scan.pdf: scanned document without a text layer");
        }
    }
}

#[test]
fn without_ocr_a_scan_fails_with_that_reason() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_horme"))
        .args(["extract", "--json"])
        .arg(common::fixture("bad/scanned.pdf"))
        .env("HORME_OCR", "off")
        .env("HORME_CONFIG", common::fixture("horme-test.toml"))
        .env_remove("RUST_LOG")
        .output()
        .expect("run horme");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(out.stdout.is_empty());
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(
        stderr.contains("scanned.pdf: scanned document without a text layer"),
        "{stderr}"
    );
}
