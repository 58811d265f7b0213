//! The embedded Unicode fonts (DejaVu Sans, Bitstream Vera licence: templates/fonts) and text
//! measuring for wrapping and right alignment.

use std::sync::LazyLock;

use printpdf::ParsedFont;

static REGULAR_TTF: &[u8] = include_bytes!("../../../templates/fonts/DejaVuSans.ttf");
static BOLD_TTF: &[u8] = include_bytes!("../../../templates/fonts/DejaVuSans-Bold.ttf");

pub struct Fonts {
    pub regular: ParsedFont,
    pub bold: ParsedFont,
}

/// Parsed once per process: parsing a TTF costs milliseconds, rendering must not.
pub static FONTS: LazyLock<Option<Fonts>> = LazyLock::new(|| {
    Some(Fonts {
        regular: reduced(REGULAR_TTF)?,
        bold: reduced(BOLD_TTF)?,
    })
});

/// The Unicode blocks a quotation prints: Latin (with its extensions), Greek and Cyrillic,
/// punctuation, currency, letterlike symbols and number forms, arrows, mathematical operators
/// and geometric shapes (bullets).
const KEPT: &[(u32, u32)] = &[
    (0x0020, 0x007E),
    (0x00A0, 0x024F),
    (0x0370, 0x03FF),
    (0x0400, 0x04FF),
    (0x2000, 0x206F),
    (0x20A0, 0x20CF),
    (0x2100, 0x218F),
    (0x2190, 0x21FF),
    (0x2200, 0x22FF),
    (0x25A0, 0x25FF),
];

/// The font cut down to the blocks in [`KEPT`] (a fifth of DejaVu's 6,000 glyphs), once per
/// process: every quotation's own subset is then made from it, and subsetting walks the whole
/// character map of its source, which was most of the rendering time. Falls back to the full
/// font if cutting fails.
fn reduced(ttf: &[u8]) -> Option<ParsedFont> {
    use allsorts::binary::read::ReadScope;
    use allsorts::font_data::FontData;
    use allsorts::subset::{CmapTarget, SubsetProfile, subset};
    let full = ParsedFont::from_bytes(ttf, 0, &mut Vec::new())?;
    let mut ids: Vec<u16> = KEPT
        .iter()
        .flat_map(|&(from, to)| from..=to)
        .filter_map(|c| full.lookup_glyph_index(c))
        .collect();
    ids.push(0); // .notdef first
    ids.sort_unstable();
    ids.dedup();
    let cut = ReadScope::new(ttf)
        .read::<FontData<'_>>()
        .ok()
        .and_then(|data| data.table_provider(0).ok())
        .and_then(|provider| subset(&provider, &ids, &SubsetProfile::Pdf, CmapTarget::Unicode).ok())
        .and_then(|bytes| ParsedFont::from_bytes(&bytes, 0, &mut Vec::new()));
    if cut.is_none() {
        tracing::warn!("cannot cut the quotation font down: rendering with the whole font");
    }
    Some(cut.unwrap_or(full))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Weight {
    Regular,
    Bold,
}

impl Fonts {
    pub fn font(&self, w: Weight) -> &ParsedFont {
        match w {
            Weight::Regular => &self.regular,
            Weight::Bold => &self.bold,
        }
    }

    /// Width of `text` in points at `size`.
    pub fn width(&self, text: &str, size: f32, w: Weight) -> f32 {
        let font = self.font(w);
        let upem = f32::from(font.font_metrics.units_per_em.max(1));
        let units: u32 = text
            .chars()
            .map(|c| {
                font.lookup_glyph_index(c as u32)
                    .and_then(|g| font.get_glyph_width_internal(g))
                    .map_or(600, |w| w as u32)
            })
            .sum();
        units as f32 / upem * size
    }

    /// Greedy word wrap to `max` points; over-long words are broken by characters.
    pub fn wrap(&self, text: &str, size: f32, w: Weight, max: f32) -> Vec<String> {
        let mut lines = Vec::new();
        let mut line = String::new();
        for word in text.split_whitespace() {
            let candidate = if line.is_empty() {
                word.to_string()
            } else {
                format!("{line} {word}")
            };
            if self.width(&candidate, size, w) <= max {
                line = candidate;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            if self.width(word, size, w) <= max {
                line = word.to_string();
                continue;
            }
            for c in word.chars() {
                line.push(c);
                if self.width(&line, size, w) > max {
                    line.pop();
                    lines.push(std::mem::take(&mut line));
                    line.push(c);
                }
            }
        }
        if !line.is_empty() || lines.is_empty() {
            lines.push(line);
        }
        lines
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fonts_parse_and_cover_symbols() {
        let f = FONTS.as_ref().expect("fonts parse");
        for c in ['®', '–', '’', 'ø', '²', '€', 'Ω', 'Ж', '±', '≤', '•', '→', '№', '½'] {
            assert!(f.regular.lookup_glyph_index(c as u32).is_some(), "{c}");
            assert!(f.bold.lookup_glyph_index(c as u32).is_some(), "{c}");
        }
        let kept = f.regular.lookup_glyph_index('W' as u32).expect("W");
        assert!(f.regular.get_glyph_width_internal(kept).is_some_and(|w| w > 0));
        assert!(f.width("WWW", 10.0, Weight::Bold) > f.width("iii", 10.0, Weight::Regular));
    }

    #[test]
    fn wraps_within_width() {
        let f = FONTS.as_ref().expect("fonts parse");
        let lines = f.wrap(
            "WEICON WEICONLOCK® AN 302-25 200 ML PIPE AND THREAD SEALING",
            9.0,
            Weight::Regular,
            120.0,
        );
        assert!(lines.len() >= 2);
        assert!(lines.iter().all(|l| f.width(l, 9.0, Weight::Regular) <= 120.0));
        assert_eq!(
            lines.join(" "),
            "WEICON WEICONLOCK® AN 302-25 200 ML PIPE AND THREAD SEALING"
        );
        let long = f.wrap(&"X".repeat(200), 9.0, Weight::Regular, 50.0);
        assert!(long.len() > 3);
    }
}
