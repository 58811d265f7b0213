//! The embedded Unicode fonts (DejaVu Sans, Bitstream Vera licence: templates/fonts) and text
//! measuring for wrapping and right alignment.

use std::sync::LazyLock;

use printpdf::ParsedFont;

static REGULAR_TTF: &[u8] = include_bytes!("../../../templates/fonts/DejaVuSans.ttf");
static BOLD_TTF: &[u8] = include_bytes!("../../../templates/fonts/DejaVuSans-Bold.ttf");

pub struct Fonts {
    pub regular: ParsedFont,
    pub bold: ParsedFont,
    /// The same faces cut down further to [`COMMON`], regular then bold, embedded whole and
    /// compressed once per process: a quotation written only in these characters (nearly
    /// all of them) is neither subset nor compressed font by font. `None` if cutting failed.
    pub common: Option<[Prepacked; 2]>,
    /// Advance widths (font units) of the printable ASCII characters, regular then bold:
    /// nearly every character measured, looked up without a character-map search.
    ascii: [[u32; ASCII_LEN]; 2],
}

/// The printable ASCII characters, whose widths [`Fonts`] keeps at hand.
const ASCII: std::ops::RangeInclusive<u8> = 0x20..=0x7E;
/// How many characters [`ASCII`] holds.
const ASCII_LEN: usize = 0x7E - 0x20 + 1;

/// The width, in font units, of a character the font lacks.
const MISSING_WIDTH: u32 = 600;

/// Parsed once per process: parsing a TTF costs milliseconds, rendering must not.
pub static FONTS: LazyLock<Option<Fonts>> = LazyLock::new(|| {
    let regular = reduced(REGULAR_TTF)?;
    let bold = reduced(BOLD_TTF)?;
    let table = |font: &ParsedFont| {
        let mut t = [0; ASCII_LEN];
        for (slot, c) in t.iter_mut().zip(ASCII) {
            *slot = glyph_width(font, char::from(c));
        }
        t
    };
    let ascii = [table(&regular), table(&bold)];
    let common = Prepacked::new(REGULAR_TTF)
        .zip(Prepacked::new(BOLD_TTF))
        .map(|(r, b)| [r, b]);
    if common.is_none() {
        tracing::warn!("cannot prepare the common quotation font: every quotation subsets its own");
    }
    Some(Fonts {
        regular,
        bold,
        common,
        ascii,
    })
});

/// The characters nearly every quotation is written in, which [`Prepacked`] fonts hold: ASCII,
/// Latin-1 and Latin Extended-A, general punctuation, currency signs and letterlike symbols
/// (™, №).
const COMMON: &[(u32, u32)] = &[
    (0x0020, 0x007E),
    (0x00A0, 0x017F),
    (0x2000, 0x206F),
    (0x20A0, 0x20CF),
    (0x2100, 0x214F),
];

/// Whether every character of `text` is one of [`COMMON`].
pub fn is_common(text: &str) -> bool {
    text.chars().all(|c| {
        let c = u32::from(c);
        COMMON.iter().any(|&(from, to)| (from..=to).contains(&c))
    })
}

/// A face cut down to [`COMMON`] once per process, with its font program already compressed.
pub struct Prepacked {
    pub font: ParsedFont,
    /// The font program (sfnt) as printpdf writes it into a PDF…
    program: Vec<u8>,
    /// …and the same zlib-compressed.
    packed: Vec<u8>,
}

impl Prepacked {
    fn new(ttf: &[u8]) -> Option<Self> {
        let program = cut(ttf, COMMON)?;
        let font = ParsedFont::from_bytes(&program, 0, &mut Vec::new())?;
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
        std::io::Write::write_all(&mut z, &program).ok()?;
        let packed = z.finish().ok()?;
        Some(Self { font, program, packed })
    }

    /// The compressed program if `content` is this font's program.
    pub fn packed_for(&self, content: &[u8]) -> Option<&[u8]> {
        (content == self.program.as_slice()).then_some(self.packed.as_slice())
    }
}

fn glyph_width(font: &ParsedFont, c: char) -> u32 {
    font.lookup_glyph_index(c as u32)
        .and_then(|g| font.get_glyph_width_internal(g))
        .map_or(MISSING_WIDTH, |w| w as u32)
}

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
    let cut = cut(ttf, KEPT).and_then(|bytes| ParsedFont::from_bytes(&bytes, 0, &mut Vec::new()));
    if cut.is_none() {
        tracing::warn!("cannot cut the quotation font down: rendering with the whole font");
    }
    cut.or_else(|| ParsedFont::from_bytes(ttf, 0, &mut Vec::new()))
}

/// The font program of `ttf` holding only the glyphs of the characters in `ranges` (and
/// .notdef).
fn cut(ttf: &[u8], ranges: &[(u32, u32)]) -> Option<Vec<u8>> {
    use allsorts::binary::read::ReadScope;
    use allsorts::font_data::FontData;
    use allsorts::subset::{CmapTarget, SubsetProfile, subset};
    let full = ParsedFont::from_bytes(ttf, 0, &mut Vec::new())?;
    let mut ids: Vec<u16> = ranges
        .iter()
        .flat_map(|&(from, to)| from..=to)
        .filter_map(|c| full.lookup_glyph_index(c))
        .collect();
    ids.push(0); // .notdef first
    ids.sort_unstable();
    ids.dedup();
    let data = ReadScope::new(ttf).read::<FontData<'_>>().ok()?;
    let provider = data.table_provider(0).ok()?;
    subset(&provider, &ids, &SubsetProfile::Pdf, CmapTarget::Unicode).ok()
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
        self.points(self.units(text, w), size, w)
    }

    /// Width of `text` in font units (widths add up: the layout applies no kerning).
    fn units(&self, text: &str, w: Weight) -> u32 {
        let (font, ascii) = match w {
            Weight::Regular => (&self.regular, &self.ascii[0]),
            Weight::Bold => (&self.bold, &self.ascii[1]),
        };
        text.chars()
            .map(|c| match u8::try_from(c) {
                Ok(b) if ASCII.contains(&b) => ascii[usize::from(b - ASCII.start())],
                _ => glyph_width(font, c),
            })
            .sum()
    }

    fn points(&self, units: u32, size: f32, w: Weight) -> f32 {
        let upem = f32::from(self.font(w).font_metrics.units_per_em.max(1));
        units as f32 / upem * size
    }

    /// Greedy word wrap to `max` points; over-long words are broken by characters.
    pub fn wrap(&self, text: &str, size: f32, w: Weight, max: f32) -> Vec<String> {
        let fits = |units: u32| self.points(units, size, w) <= max;
        let space = self.units(" ", w);
        let mut lines = Vec::new();
        let mut line = String::new();
        let mut line_units = 0;
        for word in text.split_whitespace() {
            let word_units = self.units(word, w);
            if !line.is_empty() && fits(line_units + space + word_units) {
                line.push(' ');
                line.push_str(word);
                line_units += space + word_units;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            if fits(word_units) {
                line.push_str(word);
                line_units = word_units;
                continue;
            }
            line_units = 0;
            for c in word.chars() {
                let c_units = self.units(c.encode_utf8(&mut [0; 4]), w);
                if !line.is_empty() && !fits(line_units + c_units) {
                    lines.push(std::mem::take(&mut line));
                    line_units = 0;
                }
                line.push(c);
                line_units += c_units;
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
        assert!(
            long.iter()
                .all(|l| !l.is_empty() && f.width(l, 9.0, Weight::Regular) <= 50.0)
        );
        assert_eq!(long.concat(), "X".repeat(200));
    }

    #[test]
    fn every_line_is_as_full_as_it_can_be() {
        let f = FONTS.as_ref().expect("fonts parse");
        let text = "Safety helmet ÖKO Ж-type with 4-point ratchet suspension, EN 397 ±2 mm, \
                    hi-vis yellow – pack of 20 (twenty) units per carton";
        let widest = text
            .split_whitespace()
            .map(|w| f.width(w, 8.0, Weight::Bold))
            .fold(0.0, f32::max);
        for max in [widest, 80.0_f32.max(widest), 150.0, 400.0] {
            let lines = f.wrap(text, 8.0, Weight::Bold, max);
            assert_eq!(
                lines.join(" ").split_whitespace().collect::<Vec<_>>(),
                text.split_whitespace().collect::<Vec<_>>()
            );
            for pair in lines.windows(2) {
                let next_word = pair[1].split(' ').next().unwrap_or_default();
                let joined = format!("{} {next_word}", pair[0]);
                assert!(f.width(&joined, 8.0, Weight::Bold) > max, "{joined:?} fits {max}");
            }
        }
        let mixed = f.width("Aé€x", 10.0, Weight::Regular);
        let parts = ["A", "é", "€", "x"]
            .iter()
            .map(|c| f.width(c, 10.0, Weight::Regular))
            .sum::<f32>();
        assert!((mixed - parts).abs() < 1e-3);
    }
}
