//! Sizes as catalogs and buyers write them, read into one token: "SIZE:08" = "size 8" = a
//! trailing "- 08" = "MIDSOLE-10" = "US 8" → "size8"; letter sizes too ("size XL" = "- XL" =
//! "XL" = "(XL)" → "sizexl"; "SIZE 9/L" is both).

use std::sync::LazyLock;

use regex::Regex;

use crate::catalog::search::units;

/// Letter sizes of clothing, gloves and boots.
const LETTER_SIZES: &str = "xxxl|xxl|xl|xs|s|m|l|2xl|3xl|4xl|5xl";
/// A size at the end of a name or before a bracket: " - 08", " - XL", or hyphened to a word
/// of four letters or more ("MIDSOLE-10", "MID-SOLE- 11"; "WD-40" is a name) or to a colour
/// written short ("YEL-03"); a shoe's UK and EU sizes together (" - 10/44", "-6/40").
static RE_TRAILING_SIZE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?:\s-\s*|(?P<w>[a-z]{{4}}|{COLOURS_SHORT})-\s*)(?P<s>\d{{1,2}}|{LETTER_SIZES})(?:\s*/\s*(?P<eu>\d{{2}}))?\s*(?:\(|$)"
    ))
    .expect("regex")
});
/// A letter size hyphened to a model code: "RC35-L", "HD3512-XXL" (the code, then the size;
/// a figure after the hyphen is the code's own: "W3000-10").
static RE_CODE_LETTER_SIZE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"\b(?P<code>[a-z]+\d+[a-z]*)-(?P<s>{LETTER_SIZES})(?P<end>[\s,(]|$)"
    ))
    .expect("regex")
});
/// Colours as catalogs write them short before a size ("KV20 YEL-03").
const COLOURS_SHORT: &str = "yel|blk|wht|blu|grn|red|org|gry|brn";
/// A letter size closing a description after a word ("COVERALL GREY M", "raincoat blu S",
/// "gloves, large"), or before the pack in brackets that closes it ("GLOVES M (100PC/BOX)"):
/// the last word of a garment's, glove's or boot's name. After a number it is a unit or a
/// model's variant ("PAIL 7009 L", "5 M").
static RE_CLOSING_SIZE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?P<before>[a-z][a-z']*[\s,]+)(?P<s>{LETTER_SIZES}|extra[\s-]?small|extra[\s-]?large|x[\s-]?large|small|medium|large)(?P<after>\s*\([^()]*\))?\s*\.?\s*$"
    ))
    .expect("regex")
});
static RE_SIZE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"\b(?:size|sz)\s*[:.]?\s*(?:(?:uk|eu|us|au)\s*[-:]?\s*)?(?:0*(\d{{1,2}})|({LETTER_SIZES}))\b|\b(?:uk|us|eu|au)\s*-?\s*0*(\d{{1,2}})\b"
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
/// "size2xl" → "sizexxl": the same size.
static RE_NUMBERED_XL: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\bsize([2-3])xl\b").expect("regex"));
/// A shoe's two sizes written as a pair, labelled or not: EU and the next EU size ("SIZE
/// 41/42", "OXYSAFE (BLACK) 41/42"), UK and EU ("SIZE:10/44", "08/42").
static RE_SIZE_PAIR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?P<pre>^|[\s,(:])(?:(?:size|sz)\s*[:.]?\s*)?0*(?P<a>\d{1,2}(?:\.5)?)\s*/\s*(?P<b>\d{2})(?P<end>$|[\s,)])",
    )
    .expect("regex")
});
/// A size in numbers and letters: "SIZE 9/L", "SIZE:8/M" → both sizes; unlabelled too where
/// the number is a glove's (5 to 12): "impact glove black 9/L".
static RE_DUAL_SIZE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"\b(?:(?:size|sz)\s*[:.]?\s*0*(?P<n>\d{{1,2}})|(?P<g>[5-9]|1[0-2]))\s*/\s*(?P<l>{LETTER_SIZES})\b"
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

/// The other ways one side may write a size the other writes: "size10" and a bare "10" (a
/// catalog's "KJ404SX-08", a buyer's "Ecofitz S1P 41"), "sizem" and "m" or "medium" (a
/// buyer's "coverall blu S", a catalog's "SPONGE MEDIUM" in the middle of a name).
pub fn size_equivalents(t: &str) -> Vec<String> {
    const SPELT: &[(&str, &str)] = &[("s", "small"), ("m", "medium"), ("l", "large")];
    let numeric =
        |s: &str| !s.is_empty() && s.len() <= 2 && s.bytes().all(|b| b.is_ascii_digit()) && !s.starts_with('0');
    if let Some(size) = t.strip_prefix("size") {
        let mut out = vec![size.to_string()];
        out.extend(SPELT.iter().filter(|(l, _)| *l == size).map(|(_, w)| w.to_string()));
        // a glove's "S9" in a catalog's name
        if numeric(size) {
            out.push(format!("s{size}"));
        }
        return out.into_iter().filter(|s| !s.is_empty()).collect();
    }
    if let Some(size) = t.strip_prefix('s').filter(|s| numeric(s)) {
        return vec![format!("size{size}")];
    }
    if numeric(t) || is_letter_size(t) {
        return vec![mark(&format!("size{t}")).trim().to_string()];
    }
    SPELT
        .iter()
        .filter(|(_, w)| *w == t)
        .map(|(l, _)| format!("size{l}"))
        .collect()
}

/// A letter size as the normaliser writes it after "size" ("xl", "m").
pub fn is_letter_size(t: &str) -> bool {
    LETTER_SIZES.split('|').any(|s| s == t)
}

/// A letter size spelt out, as the normaliser writes it ("medium" → "m").
fn letters_of(word: &str) -> &str {
    match word.replace([' ', '-'], "").as_str() {
        "extrasmall" => "xs",
        "small" => "s",
        "medium" => "m",
        "large" => "l",
        "xlarge" | "extralarge" => "xl",
        "xxlarge" => "xxl",
        _ => word,
    }
}

/// "RC35-L" → "rc35 sizel": before a unit can read "35-L" as litres.
pub(super) fn code_letter_size(text: &str) -> String {
    RE_CODE_LETTER_SIZE
        .replace_all(text, "${code} size${s}${end}")
        .into_owned()
}

/// The text with every size it names written "size8", "sizexl".
pub(super) fn mark(text: &str) -> String {
    // "size small", "(LARGE)", "- EXTRA LARGE" → the letter size
    let text = &RE_SIZE_WORD
        .replace_all(text, |c: &regex::Captures<'_>| {
            format!("{}{}", &c["at"], letters_of(&c["w"]))
        })
        .into_owned();
    // A trailing " - 08" or "-XL" (or before a bracket) is a size in shoe, glove and
    // clothing names.
    let s = RE_TRAILING_SIZE
        .replace_all(text, |c: &regex::Captures<'_>| {
            let word = c.name("w").map_or("", |m| m.as_str());
            match c.name("eu").map(|m| m.as_str()) {
                // UK then EU sizes (EU = UK + 33 or so); other pairs are a code ("-06/22")
                Some(eu) if eu.parse::<u8>().is_ok_and(|v| (30..=50).contains(&v)) => {
                    format!("{word} size {} size {eu} ", &c["s"])
                }
                Some(_) => c[0].to_string(),
                None => format!("{word} size {} ", &c["s"]),
            }
        })
        .into_owned();
    // "size 41/42", "41/42", "10/44" → "size41 size42", "size10 size44"
    let s = RE_SIZE_PAIR
        .replace_all(&s, |c: &regex::Captures<'_>| {
            let (a, b) = (&c["a"], &c["b"]);
            let pair = match (a.parse::<f64>(), b.parse::<f64>()) {
                (Ok(x), Ok(y)) => (34.0..=50.0).contains(&y) && (x == y - 1.0 || (1.0..=14.0).contains(&x)),
                _ => false,
            };
            if pair {
                format!("{} size{a} size{b} {}", &c["pre"], &c["end"])
            } else {
                c[0].to_string()
            }
        })
        .into_owned();
    // "size 9/L", "9/L" → "size9 sizel"
    let s = RE_DUAL_SIZE
        .replace_all(&s, |c: &regex::Captures<'_>| {
            let n = c.name("n").or_else(|| c.name("g")).map_or("", |m| m.as_str());
            format!(" size{n} size{} ", &c["l"])
        })
        .into_owned();
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
    let s = RE_BARE_SIZE.replace_all(&s, " size${1} ").into_owned();
    // "COVERALL GREY M", "gloves, large": the closing word
    let s = RE_CLOSING_SIZE
        .replace(&s, |c: &regex::Captures<'_>| {
            // "size XL" was read above
            if matches!(c["before"].trim_end_matches([' ', ',']), "size" | "sz") {
                return c[0].to_string();
            }
            let after = c.name("after").map_or("", |m| m.as_str());
            format!("{} size{}{after}", &c["before"], letters_of(&c["s"]))
        })
        .into_owned();
    // "2XL" = "XXL", "3XL" = "XXXL"
    RE_NUMBERED_XL
        .replace_all(&s, |c: &regex::Captures<'_>| {
            format!("size{}l", "x".repeat(c[1].parse::<usize>().unwrap_or(1)))
        })
        .into_owned()
}
