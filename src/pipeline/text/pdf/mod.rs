//! PDF text through pdf-extract, with our own layout analysis: glyph positions become lines,
//! lines become cells split at wide gaps, and aligned lines become tables (multi-line cells
//! joined, headers repeated on later pages dropped).
//!
//! pdf-extract and lopdf can panic or recurse deeply on hostile files: parsing runs isolated
//! (see `guard`), after a cheap structural pre-scan.

mod layout;
mod ocr;
mod scan;

use pdf_extract::{MediaBox, OutputDev, OutputError, Transform};

use super::{Block, Limits, TextError};

pub(super) use layout::Glyph;

pub(super) fn extract(name: &str, bytes: &[u8], limits: &Limits) -> Result<Vec<Block>, TextError> {
    let corrupt = |detail: String| TextError::Corrupt {
        name: name.into(),
        format: "PDF",
        detail,
    };
    scan::check(bytes).map_err(|d| corrupt(d.into()))?;
    let (glyphs, pages) =
        parse(bytes, limits.max_pdf_pages, limits.max_text_bytes).map_err(|e| e.into_text_error(name, limits))?;
    if glyphs.iter().any(|g| !g.text.trim().is_empty()) {
        return Ok(layout::blocks(glyphs));
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
    Ok(layout::blocks(words))
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

/// The glyphs of every page, and the page count.
fn parse(bytes: &[u8], max_pages: usize, max_glyphs: usize) -> Result<(Vec<Glyph>, usize), ParseError> {
    let mut doc = pdf_extract::Document::load_mem(bytes).map_err(|e| ParseError::Corrupt(e.to_string()))?;
    if doc.is_encrypted() && doc.decrypt("").is_err() {
        return Err(ParseError::Encrypted);
    }
    let pages = doc.get_pages().len();
    if pages == 0 {
        return Err(ParseError::Corrupt("no pages".into()));
    }
    if pages > max_pages {
        return Err(ParseError::TooManyPages(pages));
    }
    let mut collector = Collector {
        glyphs: Vec::new(),
        page: 0,
        page_height: 0.0,
        max_glyphs,
    };
    match pdf_extract::output_doc(&doc, &mut collector) {
        Ok(()) => Ok((collector.glyphs, pages)),
        Err(_) if collector.glyphs.len() >= max_glyphs => Err(ParseError::TooMuchText),
        Err(e) => Err(ParseError::Corrupt(e.to_string())),
    }
}

/// Records every glyph with its position (origin top-left, y downwards).
struct Collector {
    glyphs: Vec<Glyph>,
    page: u32,
    page_height: f64,
    max_glyphs: usize,
}

impl OutputDev for Collector {
    fn begin_page(
        &mut self,
        page_num: u32,
        media_box: &MediaBox,
        _: Option<(f64, f64, f64, f64)>,
    ) -> Result<(), OutputError> {
        self.page = page_num;
        self.page_height = media_box.ury - media_box.lly;
        Ok(())
    }

    fn end_page(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn output_character(
        &mut self,
        trm: &Transform,
        width: f64,
        _spacing: f64,
        font_size: f64,
        text: &str,
    ) -> Result<(), OutputError> {
        if self.glyphs.len() >= self.max_glyphs {
            return Err(OutputError::FormatError(std::fmt::Error));
        }
        // The same arithmetic as pdf-extract's plain-text output: flip y, scale the font size.
        let fx = font_size * (trm.m11 + trm.m21);
        let fy = font_size * (trm.m12 + trm.m22);
        let size = (fx * fy).abs().sqrt();
        let x = trm.m31;
        let y = self.page_height - trm.m32;
        if !size.is_finite() || !x.is_finite() || !y.is_finite() || size <= 0.0 {
            return Ok(());
        }
        self.glyphs.push(Glyph {
            page: self.page,
            x,
            y,
            width: width * size,
            size,
            text: text.to_string(),
        });
        Ok(())
    }

    fn begin_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn end_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn end_line(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
}
