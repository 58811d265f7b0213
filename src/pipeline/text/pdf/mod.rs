//! PDF text through pdf-extract, with our own layout analysis: glyph positions become lines,
//! lines become cells split at wide gaps, and aligned lines become tables (multi-line cells
//! joined, headers repeated on later pages dropped).
//!
//! pdf-extract and lopdf can panic or recurse deeply on hostile files: parsing runs isolated
//! (see `guard`), after a cheap structural pre-scan.

mod columns;
mod device;
mod grid;
mod layout;
mod ocr;
mod paths;
mod rules;
mod scan;
mod words;

use device::Collector;

use super::{Block, Limits, TextError};

pub(super) use layout::{Glyph, Segment};

pub(super) fn extract(name: &str, bytes: &[u8], limits: &Limits) -> Result<Vec<Block>, TextError> {
    let corrupt = |detail: String| TextError::Corrupt {
        name: name.into(),
        format: "PDF",
        detail,
    };
    scan::check(bytes).map_err(|d| corrupt(d.into()))?;
    let (glyphs, segments, pages) =
        parse(bytes, limits.max_pdf_pages, limits.max_text_bytes).map_err(|e| e.into_text_error(name, limits))?;
    if glyphs.iter().any(|g| !g.text.trim().is_empty()) {
        return Ok(layout::blocks(glyphs, &segments));
    }
    // No text layer: a scan. Read it with OCR when the tools are there.
    if !ocr::available() {
        return Err(TextError::Scanned { name: name.into() });
    }
    if pages > ocr::MAX_PAGES {
        return Err(TextError::TooManyPages {
            name: name.into(),
            pages,
            limit: ocr::MAX_PAGES,
        });
    }
    let words = ocr::read(bytes, pages).map_err(|detail| TextError::Ocr {
        name: name.into(),
        detail,
    })?;
    if words.is_empty() {
        return Err(TextError::Scanned { name: name.into() });
    }
    Ok(layout::blocks(words, &[]))
}

enum ParseError {
    Corrupt(String),
    Encrypted,
    TooManyPages(usize),
    TooMuchText,
}

impl ParseError {
    fn into_text_error(self, name: &str, limits: &Limits) -> TextError {
        match self {
            Self::Corrupt(detail) => TextError::Corrupt {
                name: name.into(),
                format: "PDF",
                detail,
            },
            Self::Encrypted => TextError::Encrypted { name: name.into() },
            Self::TooManyPages(pages) => TextError::TooManyPages {
                name: name.into(),
                pages,
                limit: limits.max_pdf_pages,
            },
            Self::TooMuchText => TextError::Bomb {
                name: name.into(),
                limit: limits.max_text_bytes,
            },
        }
    }
}

/// The glyphs and ruling segments of every page, and the page count.
fn parse(bytes: &[u8], max_pages: usize, max_glyphs: usize) -> Result<(Vec<Glyph>, Vec<Segment>, usize), ParseError> {
    let mut doc = pdf_extract::Document::load_mem(bytes).map_err(|e| ParseError::Corrupt(e.to_string()))?;
    if doc.is_encrypted() && doc.decrypt("").is_err() {
        return Err(ParseError::Encrypted);
    }
    let pages = doc.get_pages();
    if pages.is_empty() {
        return Err(ParseError::Corrupt("no pages".into()));
    }
    if pages.len() > max_pages {
        return Err(ParseError::TooManyPages(pages.len()));
    }
    let rotation = |id| {
        paths::inherited(&doc, id, b"Rotate")
            .and_then(paths::number)
            .unwrap_or(0.0) as i64
    };
    let rotations = pages.iter().map(|(n, id)| (*n, rotation(*id))).collect();
    let mut collector = Collector::new(rotations, max_glyphs);
    match pdf_extract::output_doc(&doc, &mut collector) {
        Ok(()) => {}
        Err(_) if collector.glyphs.len() >= max_glyphs => return Err(ParseError::TooMuchText),
        Err(e) => return Err(ParseError::Corrupt(e.to_string())),
    }
    let mut segments = Vec::new();
    for (n, id) in &pages {
        let media: Vec<f64> = paths::inherited(&doc, *id, b"MediaBox")
            .and_then(|o| o.as_array().ok())
            .map(|a| a.iter().filter_map(paths::number).collect())
            .unwrap_or_default();
        if let [llx, lly, urx, ury] = media[..] {
            let view = device::View::new(&pdf_extract::MediaBox { llx, lly, urx, ury }, rotation(*id));
            segments.extend(paths::page_segments(&doc, *n, *id, &view));
        }
    }
    Ok((collector.glyphs, segments, pages.len()))
}
