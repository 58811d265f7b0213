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
        regular: ParsedFont::from_bytes(REGULAR_TTF, 0, &mut Vec::new())?,
        bold: ParsedFont::from_bytes(BOLD_TTF, 0, &mut Vec::new())?,
    })
});

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
        for c in ['®', '–', '’', 'ø', '²', '€'] {
            assert!(f.regular.lookup_glyph_index(c as u32).is_some(), "{c}");
        }
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
