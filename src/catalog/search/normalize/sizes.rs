//! Sizes as catalogs and buyers write them, read into one token: "SIZE:08" = "size 8" = a
//! trailing "- 08" = "MIDSOLE-10" = "US 8" → "size8"; letter sizes too ("size XL" = "- XL" =
//! "XL" = "(XL)" → "sizexl"; "SIZE 9/L" is both).

use std::sync::LazyLock;

use regex::Regex;

use crate::catalog::search::units;

/// Letter sizes of clothing, gloves and boots.
const LETTER_SIZES: &str = "xxxl|xxl|xl|xs|s|m|l|2xl|3xl|4xl|5xl";
/// A size at the end of a name or before a bracket: " - 08", " - XL", or hyphened to a word
/// of four letters or more ("MIDSOLE-10"; "WD-40" is a name).
static RE_TRAILING_SIZE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?:\s-\s*|(?P<w>[a-z]{{4}})-)(?P<s>\d{{1,2}}|{LETTER_SIZES})\s*(?:\(|$)"
    ))
    .expect("regex")
});
static RE_SIZE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"\b(?:size|sz)\s*[:.]?\s*(?:(?:uk|eu|us)\s*[-:]?\s*)?(?:0*(\d{{1,2}})|({LETTER_SIZES}))\b|\b(?:uk|us|eu)\s*-?\s*0*(\d{{1,2}})\b"
    ))
    .expect("regex")
});
/// A letter size spelt out where a size is written: after "size", in brackets, after a
/// trailing " - ": "SIZE SMALL-7", "(EXTRA LARGE)", "- X-LARGE".
static RE_SIZE_WORD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?P<at>\bsize\s*[:.]?\s*|\(\s*|\s-\s*)(?P<w>extra[\s-]?small|extra[\s-]?large|xx[\s-]?large|x[\s-]?large|small|medium|large)\b")
        .expect("regex")
});
/// A letter size in brackets, not a label glued to a measure ("BROOM (L)95CM").
static RE_BRACKETED_SIZE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!(r"\(\s*({LETTER_SIZES})\s*\)(?:\s|$|[,;.])")).expect("regex"));
/// Letter sizes that mean nothing else ("XL", "XXL", "2XL"; not "M", "L" or "S").
static RE_BARE_SIZE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:^|[\s,(/-])(xs|xl|xxl|xxxl|[2-5]xl)\b").expect("regex"));
/// A size in numbers and letters: "SIZE 9/L", "SIZE:8/M" → both sizes.
static RE_DUAL_SIZE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"\b(?:size|sz)\s*[:.]?\s*0*(\d{{1,2}})\s*/\s*({LETTER_SIZES})\b"
    ))
    .expect("regex")
});

/// What follows a number makes it a measure, not a size: decimals ("10.3MM") or a length
/// unit ("SIZE: 12 MM", "SIZE 3\"").
fn continues_as_measure(rest: &str) -> bool {
    let mut chars = rest.chars();
    if chars.next() == Some('.') && chars.next().is_some_and(|c| c.is_ascii_digit()) {
        return true;
    }
    let next = rest.trim_start();
    if next.starts_with(['"', '”', '\'']) {
        return true;
    }
    let word: String = next.chars().take_while(char::is_ascii_alphabetic).collect();
    // "SIZE 7 M" is a shoe size and width, not seven metres
    word.len() >= 2 && units::measure(&word).is_some_and(|m| units::is_length(m.symbol))
}

/// A letter size as the normaliser writes it after "size" ("xl", "m").
pub fn is_letter_size(t: &str) -> bool {
    LETTER_SIZES.split('|').any(|s| s == t)
}

/// The text with every size it names written "size8", "sizexl".
pub(super) fn mark(text: &str) -> String {
    // "size small", "(LARGE)", "- EXTRA LARGE" → the letter size
    let text = &RE_SIZE_WORD
        .replace_all(text, |c: &regex::Captures<'_>| {
            let word = c["w"].replace([' ', '-'], "");
            let letters = match word.as_str() {
                "extrasmall" => "xs",
                "small" => "s",
                "medium" => "m",
                "large" => "l",
                "xlarge" | "extralarge" => "xl",
                _ => "xxl",
            };
            format!("{}{letters}", &c["at"])
        })
        .into_owned();
    // A trailing " - 08" or "-XL" (or before a bracket) is a size in shoe, glove and
    // clothing names.
    let s = RE_TRAILING_SIZE.replace_all(text, "${w} size ${s} ").into_owned();
    // "size 9/L" → "size9 sizel"
    let s = RE_DUAL_SIZE.replace_all(&s, " size${1} size${2} ").into_owned();
    // "size:08", "size uk-8", "uk-8" → "size8"; not a measure labelled size ("HOLE
    // SIZE:10.3MM", "SIZE: 12MM"), which stays a measure.
    let s = RE_SIZE
        .replace_all(&s, |c: &regex::Captures<'_>| {
            let whole = c.get(0).map_or("", |m| m.as_str());
            let rest = &s[c.get(0).map_or(0, |m| m.end())..];
            if c.get(2).is_none() && continues_as_measure(rest) {
                return whole.replace(':', " ");
            }
            let size = c.get(1).or_else(|| c.get(2)).or_else(|| c.get(3));
            format!(" size{} ", size.map_or("", |m| m.as_str()))
        })
        .into_owned();
    // "(M)", "(XL)": a letter size in brackets; "XL", "XXL", "2XL" alone are sizes too
    let s = RE_BRACKETED_SIZE.replace_all(&s, " size${1} ").into_owned();
    RE_BARE_SIZE.replace_all(&s, " size${1} ").into_owned()
}
