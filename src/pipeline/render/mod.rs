//! The quotation PDF (A4, printpdf, embedded Unicode fonts): company and customer blocks,
//! the priced lines with wrapped descriptions and a header repeated on every page, totals with
//! the tax rate used, the lines still to be confirmed (never priced silently), the terms, and
//! "Page n of m" on every page.

mod canvas;
mod fonts;

use std::cell::RefCell;

use chrono::NaiveDate;
use flate2::{Compress, Compression, FlushCompress, Status};
use printpdf::{FontEmbeddingMode, Mm, PdfDocument, PdfPage, PdfSaveOptions};
use rust_decimal::Decimal;

use super::matching::MatchStatus;
use super::quotation::{Quotation, QuoteLine};
use crate::config::CompanySettings;
use crate::domain::format_amount;
use canvas::{ACCENT, BLACK, Canvas, FOOTER as FOOTER_SPACE, GREY, MARGIN, PAGE_H, PAGE_W};
pub use fonts::Weight;
use fonts::{FONTS, Prepacked};

#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error("the embedded fonts could not be parsed")]
    Fonts,
    #[error("the quotation PDF could not be written: {0}")]
    Write(String),
}

/// Everything the document shows besides the quotation itself.
pub struct RenderContext<'a> {
    pub company: &'a CompanySettings,
    /// "GST", "VAT" …
    pub tax_label: &'a str,
    /// Terms and conditions, one paragraph per line (from `templates/`).
    pub terms: &'a str,
    /// The company logo, decoded once per process (see `quotations::document`).
    pub logo: Option<&'a printpdf::RawImage>,
}

const BODY: f32 = 8.5;
const SMALL: f32 = 7.3;
const LINE: f32 = 3.9; // mm per body line
const SMALL_LINE: f32 = 3.4;

/// Table columns: (left edge mm, width mm, header, right-aligned).
const COLS: [(f32, f32, &str, bool); 7] = [
    (MARGIN, 9.0, "No.", false),
    (MARGIN + 9.0, 86.0, "Description", false),
    (MARGIN + 95.0, 14.0, "Qty", true),
    (MARGIN + 109.0, 13.0, "Unit", false),
    (MARGIN + 122.0, 22.0, "Unit price", true),
    (MARGIN + 144.0, 12.0, "Disc.", true),
    (MARGIN + 156.0, 24.0, "Amount", true),
];

pub fn render(q: &Quotation, ctx: &RenderContext<'_>) -> Result<Vec<u8>, RenderError> {
    let fonts = FONTS.as_ref().ok_or(RenderError::Fonts)?;
    let number = q.number.clone().unwrap_or_else(|| "DRAFT".into());
    let mut doc = PdfDocument::new(&format!("Quotation {number}"));
    let ids = [doc.add_font(&fonts.regular), doc.add_font(&fonts.bold)];
    let common_ids = fonts
        .common
        .as_ref()
        .map(|faces| faces.each_ref().map(|f| embed_whole(&mut doc, f)));
    let logo = ctx.logo.map(|img| (doc.add_image(img), (img.width, img.height)));
    let mut c = Canvas::new(fonts, ids, common_ids);

    header(&mut c, q, ctx, &number, logo);
    customer(&mut c, q);
    let priced: Vec<&QuoteLine> = q.lines.iter().filter(|l| l.status == MatchStatus::Matched).collect();
    let open: Vec<&QuoteLine> = q.lines.iter().filter(|l| l.status != MatchStatus::Matched).collect();
    priced_table(&mut c, &priced, &q.currency);
    totals(&mut c, q, ctx.tax_label);
    if !open.is_empty() {
        to_be_confirmed(&mut c, &open);
    }
    terms(&mut c, ctx.terms);
    footers(&mut c, ctx.company, &number);

    let pages = c
        .finish()
        .into_iter()
        .map(|ops| PdfPage::new(Mm(PAGE_W), Mm(PAGE_H), ops))
        .collect();
    save(doc.with_pages(pages), fonts.common.as_ref())
}

/// Adds a prepacked face to be embedded whole (a font nothing is drawn with is left out).
fn embed_whole(doc: &mut PdfDocument, face: &Prepacked) -> printpdf::FontId {
    let id = doc.add_font(&face.font);
    if let Some(font) = doc.resources.fonts.map.get_mut(&id) {
        font.meta.embedding_mode = FontEmbeddingMode::Full;
        font.meta.requires_subsetting = false;
    }
    id
}

/// The document's bytes, streams deflated at a fast level: printpdf's own `save` compresses
/// with zlib's best level, which costs more than laying out the whole quotation, for files a
/// few percent smaller. Fonts are still subset, except the prepacked ones (`common`), whose
/// programs are swapped for the bytes compressed once per process.
fn save(doc: &PdfDocument, common: Option<&[Prepacked; 2]>) -> Result<Vec<u8>, RenderError> {
    let opts = PdfSaveOptions {
        optimize: false,
        ..PdfSaveOptions::default()
    };
    let mut pdf = doc.to_lopdf_document(&opts, &mut Vec::new());
    for object in pdf.objects.values_mut() {
        if let lopdf::Object::Stream(stream) = object
            && stream.dict.get(b"Filter").is_err()
            && let Some(packed) = common.into_iter().flatten().find_map(|f| f.packed_for(&stream.content))
        {
            stream.dict.set("Filter", "FlateDecode");
            stream.set_content(packed.to_vec());
            continue;
        }
        if let lopdf::Object::Stream(stream) = object
            && stream.allows_compression
            && stream.dict.get(b"Filter").is_err()
            && let Some(packed) = deflate(&stream.content)
        {
            stream.dict.set("Filter", "FlateDecode");
            stream.set_content(packed);
        }
    }
    let mut out = Vec::new();
    pdf.save_to(&mut out).map_err(|e| RenderError::Write(e.to_string()))?;
    Ok(out)
}

thread_local! {
    /// One deflater per thread, reset between streams: setting one up zeroes half a megabyte
    /// of tables, which cost more than compressing a quotation's small streams.
    static DEFLATER: RefCell<Compress> = RefCell::new(Compress::new(Compression::fast(), true));
}

/// `data` zlib-compressed, when that makes it smaller.
fn deflate(data: &[u8]) -> Option<Vec<u8>> {
    DEFLATER.with_borrow_mut(|z| {
        z.reset();
        // Output no larger than the input, or it is not worth keeping.
        let mut packed = Vec::with_capacity(data.len());
        match z.compress_vec(data, &mut packed, FlushCompress::Finish) {
            Ok(Status::StreamEnd) if packed.len() < data.len() => Some(packed),
            _ => None,
        }
    })
}

/// Height of the logo in the company block, mm.
const LOGO_H: f32 = 14.0;

fn header(
    c: &mut Canvas<'_>,
    q: &Quotation,
    ctx: &RenderContext<'_>,
    number: &str,
    logo: Option<(printpdf::XObjectId, (usize, usize))>,
) {
    let co = ctx.company;
    let top = c.y;
    let mut y = top;
    if let Some((id, px)) = logo {
        c.image(id, px, MARGIN, top, LOGO_H);
        y += LOGO_H + 2.0;
    }
    c.text(MARGIN, y, &co.name, 15.0, Weight::Bold, ACCENT);
    y += 7.0;
    for line in &co.address {
        c.text(MARGIN, y, line, BODY, Weight::Regular, BLACK);
        y += LINE;
    }
    let reg: Vec<String> = [("Co. Reg. No.", &co.registration_no), ("GST Reg. No.", &co.gst_no)]
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k} {v}"))
        .collect();
    if !reg.is_empty() {
        c.text(MARGIN, y, &reg.join("   "), SMALL, Weight::Regular, GREY);
        y += SMALL_LINE;
    }
    let contact: Vec<&str> = [co.phone.as_str(), co.email.as_str(), co.website.as_str()]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect();
    if !contact.is_empty() {
        c.text(MARGIN, y, &contact.join("   "), SMALL, Weight::Regular, GREY);
        y += SMALL_LINE;
    }

    let right = PAGE_W - MARGIN;
    let mut ry = top;
    c.text_right(right, ry, "QUOTATION", 17.0, Weight::Bold, ACCENT);
    ry += 8.5;
    let date = |d: Option<NaiveDate>| d.map(|d| d.format("%d %b %Y").to_string());
    let rows = [
        ("Number", Some(number.to_string())),
        ("Date", date(q.date)),
        ("Valid until", date(q.valid_until)),
        ("Your reference", q.customer.reference.clone()),
        ("Your closing date", date(q.customer.due_date)),
    ];
    for (k, v) in rows {
        if let Some(v) = v {
            c.text(right - 70.0, ry, k, BODY, Weight::Regular, GREY);
            c.text_right(right, ry, &v, BODY, Weight::Bold, BLACK);
            ry += LINE;
        }
    }
    c.y = y.max(ry) + 3.0;
    c.hline(MARGIN, right, c.y, 0.8, ACCENT);
    c.y += 4.0;
}

fn customer(c: &mut Canvas<'_>, q: &Quotation) {
    c.text(MARGIN, c.y, "Quotation for", SMALL, Weight::Regular, GREY);
    c.y += SMALL_LINE + 0.5;
    let cu = &q.customer;
    let name = cu
        .company
        .clone()
        .or_else(|| cu.contact.clone())
        .unwrap_or_else(|| "—".into());
    c.text(MARGIN, c.y, &name, 10.0, Weight::Bold, BLACK);
    c.y += 4.8;
    let attn = cu
        .contact
        .as_ref()
        .filter(|_| cu.company.is_some())
        .map(|n| format!("Attn: {n}"));
    for line in [attn, cu.email.clone(), cu.phone.clone()].into_iter().flatten() {
        c.text(MARGIN, c.y, &line, BODY, Weight::Regular, BLACK);
        c.y += LINE;
    }
    c.text(
        MARGIN,
        c.y,
        &format!("Source: {}", q.source),
        SMALL,
        Weight::Regular,
        GREY,
    );
    c.y += SMALL_LINE + 4.0;
}

fn table_header(c: &mut Canvas<'_>, cols: &[(f32, f32, &str, bool)]) {
    c.fill_rect(MARGIN, c.y, PAGE_W - 2.0 * MARGIN, 6.0, (0.9, 0.92, 0.95));
    for (x, w, title, right) in cols {
        if *right {
            c.text_right(x + w - 1.0, c.y + 1.3, title, BODY, Weight::Bold, BLACK);
        } else {
            c.text(x + 1.0, c.y + 1.3, title, BODY, Weight::Bold, BLACK);
        }
    }
    c.y += 7.0;
}

fn priced_table(c: &mut Canvas<'_>, lines: &[&QuoteLine], currency: &str) {
    c.ensure(20.0);
    c.text(
        MARGIN,
        c.y,
        &format!("Quoted items (prices in {currency})"),
        10.0,
        Weight::Bold,
        ACCENT,
    );
    c.y += 6.0;
    table_header(c, &COLS);
    if lines.is_empty() {
        c.text(
            MARGIN + 1.0,
            c.y,
            "No item could be priced yet: see the items to be confirmed below.",
            BODY,
            Weight::Regular,
            GREY,
        );
        c.y += LINE + 2.0;
        return;
    }
    for l in lines {
        let desc_w = (COLS[1].1 - 2.0) / 0.3528;
        let name = l.matched.as_ref().map(|m| m.name.clone()).unwrap_or_default();
        let name_lines = c.fonts.wrap(&name, BODY, Weight::Regular, desc_w);
        let mut detail = vec![format!(
            "SKU {}{}",
            l.matched.as_ref().map(|m| m.sku.as_str()).unwrap_or(""),
            l.lead_time_days
                .map(|d| format!(" · delivery about {d} days"))
                .unwrap_or_default()
        )];
        detail.extend(c.fonts.wrap(
            &format!("Your item: {}", l.requested.description),
            SMALL,
            Weight::Regular,
            desc_w,
        ));
        let height = name_lines.len() as f32 * LINE + detail.len() as f32 * SMALL_LINE + 1.5;
        if c.ensure(height) {
            table_header(c, &COLS);
        }
        let top = c.y;
        let cells = [
            // The request's own line number: the same in both tables and in the customer's list.
            l.line.to_string(),
            String::new(),
            fmt_qty(l.requested.quantity),
            l.requested.unit.clone(),
            l.unit_price.map(format_amount).unwrap_or_default(),
            l.discount_pct
                .filter(|d| !d.is_zero())
                .map(|d| format!("{d}%"))
                .unwrap_or_default(),
            l.line_total.map(format_amount).unwrap_or_default(),
        ];
        for (i, (x, w, _, right)) in COLS.iter().enumerate() {
            if i == 1 {
                continue;
            }
            if *right {
                c.text_right(x + w - 1.0, top, &cells[i], BODY, Weight::Regular, BLACK);
            } else {
                c.text(x + 1.0, top, &cells[i], BODY, Weight::Regular, BLACK);
            }
        }
        let mut y = top;
        for s in &name_lines {
            c.text(COLS[1].0 + 1.0, y, s, BODY, Weight::Regular, BLACK);
            y += LINE;
        }
        for s in &detail {
            c.text(COLS[1].0 + 1.0, y, s, SMALL, Weight::Regular, GREY);
            y += SMALL_LINE;
        }
        c.y = top + height;
        c.hline(MARGIN, PAGE_W - MARGIN, c.y - 0.8, 0.3, (0.8, 0.8, 0.8));
    }
}

fn totals(c: &mut Canvas<'_>, q: &Quotation, tax_label: &str) {
    c.ensure(20.0);
    c.y += 2.0;
    let right = PAGE_W - MARGIN;
    let label_x = right - 75.0;
    let pct = (q.tax_rate * Decimal::ONE_HUNDRED).normalize();
    let rows = [
        ("Subtotal".to_string(), format_amount(q.subtotal), Weight::Regular),
        (format!("{tax_label} {pct}%"), format_amount(q.tax), Weight::Regular),
        (format!("Total ({})", q.currency), format_amount(q.total), Weight::Bold),
    ];
    for (i, (label, value, w)) in rows.iter().enumerate() {
        if i == 2 {
            c.hline(label_x, right, c.y - 0.5, 0.6, BLACK);
            c.y += 0.8;
        }
        c.text(label_x, c.y, label, if i == 2 { 10.0 } else { BODY }, *w, BLACK);
        c.text_right(right, c.y, value, if i == 2 { 10.0 } else { BODY }, *w, BLACK);
        c.y += if i == 2 { 5.0 } else { LINE + 0.5 };
    }
    c.y += 4.0;
}

fn to_be_confirmed(c: &mut Canvas<'_>, lines: &[&QuoteLine]) {
    let cols: [(f32, f32, &str, bool); 4] = [
        (MARGIN, 9.0, "No.", false),
        (MARGIN + 9.0, 130.0, "Requested item and our proposal", false),
        (MARGIN + 139.0, 18.0, "Qty", true),
        (MARGIN + 157.0, 23.0, "Unit", false),
    ];
    c.ensure(26.0);
    c.text(
        MARGIN,
        c.y,
        "To be confirmed (not included in the total)",
        10.0,
        Weight::Bold,
        ACCENT,
    );
    c.y += 5.0;
    for s in c.fonts.wrap(
        "We will confirm these items separately: prices on request, items that need your confirmation, and items outside our range.",
        SMALL,
        Weight::Regular,
        (PAGE_W - 2.0 * MARGIN) / 0.3528,
    ) {
        c.text(MARGIN, c.y, &s, SMALL, Weight::Regular, GREY);
        c.y += SMALL_LINE;
    }
    c.y += 1.5;
    table_header(c, &cols);
    for l in lines {
        let w = (cols[1].1 - 2.0) / 0.3528;
        let mut body = c.fonts.wrap(&l.requested.description, BODY, Weight::Regular, w);
        let first_len = body.len();
        let proposal = match (l.status, &l.matched) {
            (MatchStatus::PriceOnRequest, Some(m)) => format!("Offered: {} (SKU {}) — price on request", m.name, m.sku),
            (MatchStatus::NeedsReview, Some(m)) => format!("Proposed: {} (SKU {}) — please confirm", m.name, m.sku),
            _ => "Not in our current range — we will advise an alternative if available".into(),
        };
        body.extend(c.fonts.wrap(&proposal, SMALL, Weight::Regular, w));
        for a in &l.alternatives {
            body.extend(c.fonts.wrap(
                &format!("Option: {} (SKU {})", a.name, a.sku),
                SMALL,
                Weight::Regular,
                w,
            ));
        }
        let height = first_len as f32 * LINE + (body.len() - first_len) as f32 * SMALL_LINE + 1.5;
        if c.ensure(height) {
            table_header(c, &cols);
        }
        let top = c.y;
        c.text(cols[0].0 + 1.0, top, &l.line.to_string(), BODY, Weight::Regular, BLACK);
        c.text_right(
            cols[2].0 + cols[2].1 - 1.0,
            top,
            &fmt_qty(l.requested.quantity),
            BODY,
            Weight::Regular,
            BLACK,
        );
        c.text(cols[3].0 + 1.0, top, &l.requested.unit, BODY, Weight::Regular, BLACK);
        let mut y = top;
        for (i, s) in body.iter().enumerate() {
            let (size, color, step) = if i < first_len {
                (BODY, BLACK, LINE)
            } else {
                (SMALL, GREY, SMALL_LINE)
            };
            c.text(cols[1].0 + 1.0, y, s, size, Weight::Regular, color);
            y += step;
        }
        c.y = top + height;
        c.hline(MARGIN, PAGE_W - MARGIN, c.y - 0.8, 0.3, (0.8, 0.8, 0.8));
    }
    c.y += 4.0;
}

fn terms(c: &mut Canvas<'_>, terms: &str) {
    if terms.trim().is_empty() {
        return;
    }
    let width = (PAGE_W - 2.0 * MARGIN) / 0.3528;
    let paragraphs: Vec<Vec<String>> = terms
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|p| c.fonts.wrap(p.trim(), SMALL, Weight::Regular, width))
        .collect();
    // The terms stay together on one page when they fit on one.
    let height = 4.5
        + paragraphs
            .iter()
            .map(|p| p.len() as f32 * SMALL_LINE + 0.8)
            .sum::<f32>();
    c.ensure(height.min(PAGE_H - 2.0 * MARGIN - FOOTER_SPACE));
    c.text(MARGIN, c.y, "Terms and conditions", 9.0, Weight::Bold, ACCENT);
    c.y += 4.5;
    for para in paragraphs {
        for s in para {
            c.ensure(SMALL_LINE);
            c.text(MARGIN, c.y, &s, SMALL, Weight::Regular, BLACK);
            c.y += SMALL_LINE;
        }
        c.y += 0.8;
    }
}

fn footers(c: &mut Canvas<'_>, company: &CompanySettings, number: &str) {
    let total = c.pages.len();
    for i in 0..total {
        c.page = i;
        let y = PAGE_H - MARGIN - 4.0;
        c.hline(MARGIN, PAGE_W - MARGIN, y - 1.5, 0.3, GREY);
        let left = if company.name.is_empty() {
            format!("Quotation {number}")
        } else {
            format!("{} · Quotation {number}", company.name)
        };
        c.text(MARGIN, y, &left, SMALL, Weight::Regular, GREY);
        c.text_right(
            PAGE_W - MARGIN,
            y,
            &format!("Page {} of {total}", i + 1),
            SMALL,
            Weight::Regular,
            GREY,
        );
    }
}

fn fmt_qty(q: Decimal) -> String {
    q.normalize().to_string()
}

#[cfg(test)]
mod tests;
