//! The quotation PDF says what the JSON says: `pdftotext -layout` of the rendered document
//! holds the quotation number, every priced line total and the total, for quotations of 1, 60
//! and 250 lines (page breaks, repeated headers and "Page n of m" included).

mod common;

use std::process::Command;

use serde_json::Value;
use sqlx::PgPool;

/// An RFP asking for `n` priced products of the demo catalog, spread over the catalog.
fn rfp_text(n: usize) -> String {
    let file =
        horme::catalog::import::read_products(&common::repo().join("deploy/demo/products.csv")).expect("demo catalog");
    let priced: Vec<_> = file.rows.iter().filter(|r| r.price.is_some()).collect();
    let step = (priced.len() / n.max(1)).max(1);
    let mut out = String::from("Request for quotation\nPlease quote the following items:\n");
    for (i, p) in priced.iter().step_by(step).take(n).enumerate() {
        out.push_str(&format!("{}. {} - {} pcs\n", i + 1, p.name, 1 + i % 9));
    }
    out
}

fn pdf_text(pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("q.pdf");
    std::fs::write(&path, pdf).expect("write");
    let out = Command::new("pdftotext")
        .arg("-layout")
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is installed by scripts/test");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    // Thousands separators are for readers: compare digits.
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let mut plain = String::with_capacity(text.len());
    let chars: Vec<char> = text.chars().collect();
    for (i, c) in chars.iter().enumerate() {
        let between_digits =
            *c == ',' && i > 0 && chars[i - 1].is_ascii_digit() && chars.get(i + 1).is_some_and(|n| n.is_ascii_digit());
        if !between_digits {
            plain.push(*c);
        }
    }
    plain
}

async fn check(pool: PgPool, n: usize) {
    let app = common::app(pool).await;
    common::import_demo_catalog(&app).await;
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join(format!("rfp-{n}.txt"));
    std::fs::write(&file, rfp_text(n)).expect("write");
    let q: Value = common::quote_file(&app, &file).await.expect("quote");
    let lines = q["lines"].as_array().expect("lines");
    assert_eq!(lines.len(), n, "every requested line is on the quotation");
    let number = q["number"].as_str().expect("number");
    let pdf = horme::quotations::store::pdf(&app.pool, number)
        .await
        .expect("db")
        .expect("pdf");
    let text = pdf_text(&pdf);
    assert!(text.contains(number), "number {number} missing");
    let priced: Vec<&str> = lines.iter().filter_map(|l| l["line_total"].as_str()).collect();
    assert!(!priced.is_empty());
    for total in &priced {
        assert!(text.contains(total), "line total {total} missing from the PDF");
    }
    for key in ["subtotal", "tax", "total"] {
        let v = q[key].as_str().expect("money");
        assert!(text.contains(v), "{key} {v} missing from the PDF");
    }
    let pages = text.matches('\u{c}').count().max(1);
    assert!(
        text.contains(&format!("Page {pages} of {pages}")),
        "last page footer of {pages} pages"
    );
    if n > 1 {
        // Lines that are not priced are listed to be confirmed, never priced silently.
        let open = lines.iter().filter(|l| l["status"] != "matched").count();
        if open > 0 {
            assert!(text.contains("To be confirmed"), "{open} open lines need their section");
        }
    }
}

#[sqlx::test]
async fn one_line(pool: PgPool) {
    check(pool, 1).await;
}

#[sqlx::test]
async fn sixty_lines(pool: PgPool) {
    check(pool, 60).await;
}

#[sqlx::test]
async fn two_hundred_fifty_lines(pool: PgPool) {
    check(pool, 250).await;
}

#[sqlx::test]
async fn the_configured_logo_is_embedded(pool: PgPool) {
    let mut settings = common::settings();
    settings.company.logo = Some(common::fixture("logo.png"));
    let app = common::app_with(pool, settings).await;
    common::import_demo_catalog(&app).await;
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("rfp.txt");
    std::fs::write(&file, rfp_text(2)).expect("write");
    let q: Value = common::quote_file(&app, &file).await.expect("quote");
    let number = q["number"].as_str().expect("number");
    let pdf = horme::quotations::store::pdf(&app.pool, number)
        .await
        .expect("db")
        .expect("pdf");
    let path = dir.path().join("q.pdf");
    std::fs::write(&path, &pdf).expect("write");
    let out = Command::new("pdfimages")
        .arg("-list")
        .arg(&path)
        .output()
        .expect("pdfimages");
    let list = String::from_utf8_lossy(&out.stdout);
    // A header line, a rule, and one image of the logo's size on page 1.
    let images: Vec<&str> = list.lines().skip(2).collect();
    assert_eq!(images.len(), 1, "{list}");
    let cols: Vec<&str> = images[0].split_whitespace().collect();
    assert_eq!((cols[0], cols[3], cols[4]), ("1", "300", "100"), "{list}");
}
