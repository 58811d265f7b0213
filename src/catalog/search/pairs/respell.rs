//! Buyer-like rewritings of a catalog name's words, for the generated requests of `pairs`:
//! sizes in another spelling (400ML → 400 mls, 4" → 4-inch, 100*1.2*16 → 100 x 1.2 x 16,
//! SIZE:08 → size 8, #120 → grit 120), trade abbreviations, one typo in a long word, and the
//! case buyers type in. Every rewriting is one the normaliser is meant to read the same way,
//! or a mistake a person makes: the calibration learns how often the matcher survives them.

use std::sync::LazyLock;

use regex::Regex;

use super::rng::Rng;
use crate::catalog::search::units;

/// A number glued to a unit ("400ML", "2.5KG", "100MM").
static GLUED: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^(\d+(?:\.\d+)?)([A-Za-z]{1,6})\.?$").expect("regex"));
/// Inches written with quotes ("4\"", "3/4''").
static INCHES: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"^((?:\d+-)?\d+(?:[./]\d+)?)(?:"|''|”|″)$"#).expect("regex"));
/// Dimensions ("100*1.2*16", "125X22MM").
static DIMENSIONS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(\d+(?:\.\d+)?(?:[*xX×]\d+(?:\.\d+)?)+)([A-Za-z]{0,2})$").expect("regex"));
/// A glove or shoe size ("SIZE:08", "SIZE8").
static SIZE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?i)^size[:.]?0*(\d{1,2})$").expect("regex"));
/// A grit ("#120", "G120").
static GRIT: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^(?:#|[Gg])(\d{2,4})$").expect("regex"));

/// A number in a word.
static NUMBER: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\d+(?:\.\d+)?").expect("regex"));

/// Words buyers shorten, and how.
const ABBREVIATIONS: &[(&str, &[&str])] = &[
    ("assembly", &["assy"]),
    ("adjustable", &["adj", "adj."]),
    ("aluminium", &["alu", "alum"]),
    ("galvanised", &["galv", "galv."]),
    ("galvanized", &["galv"]),
    ("standard", &["std"]),
    ("diameter", &["dia", "dia."]),
    ("hexagon", &["hex"]),
    ("stainless", &["ss", "s/s"]),
    ("pneumatic", &["pneu", "pneum."]),
    ("black", &["blk"]),
    ("white", &["wht"]),
    ("with", &["w/"]),
    ("without", &["w/o"]),
    ("heavy", &["h/d"]),
    ("medium", &["med"]),
    ("large", &["lg"]),
    ("small", &["sml"]),
    ("extra", &["x"]),
    ("quantity", &["qty"]),
    ("package", &["pkg"]),
    ("battery", &["batt"]),
    ("cordless", &["c/less"]),
    ("replacement", &["repl"]),
];

/// Another way of writing one word's size, volume, grit or dimensions; None when the word
/// is none of them.
pub fn size(word: &str, rng: &mut Rng) -> Option<String> {
    if let Some(c) = INCHES.captures(word) {
        let n = &c[1];
        let unit = *rng.pick(&[" inch", "-inch", " in", "in", " inches", "\""]);
        return Some(format!("{n}{unit}"));
    }
    if let Some(c) = DIMENSIONS.captures(word) {
        let sep = *rng.pick(&[" x ", "x", "*", " X ", " × "]);
        let parts: Vec<&str> = c[1].split(['*', 'x', 'X', '×']).collect();
        let unit = c[2].to_lowercase();
        let space = if unit.is_empty() || rng.chance(0.5) { "" } else { " " };
        return Some(format!("{}{space}{unit}", parts.join(sep)));
    }
    if let Some(c) = SIZE.captures(word) {
        let n: u32 = c[1].parse().ok()?;
        let form = *rng.pick(&["size {}", "Size: {}", "size {:02}", "sz {}", "SIZE {}"]);
        return Some(match form {
            "size {:02}" => format!("size {n:02}"),
            f => f.replace("{}", &n.to_string()),
        });
    }
    if let Some(c) = GRIT.captures(word) {
        let n = &c[1];
        return Some(match rng.below(3) {
            0 => format!("grit {n}"),
            1 => format!("#{n}"),
            _ => format!("G{n}"),
        });
    }
    let c = GLUED.captures(word)?;
    let symbol = units::measure(&c[2])?.symbol;
    let spellings: Vec<&str> = units::spellings_longest_first()
        .into_iter()
        .filter(|s| units::measure(s).is_some_and(|m| m.symbol == symbol))
        .collect();
    let unit = *rng.pick(&spellings);
    let space = *rng.pick(&["", " ", " "]);
    Some(format!("{}{space}{unit}", &c[1]))
}

/// The word with its first number changed (half, double, half again, one more): a size,
/// volume or grit next to the catalog's.
pub fn other_number(word: &str, rng: &mut Rng) -> Option<String> {
    if word.contains('/') {
        // 3/4" → 30/4" is no size a buyer writes.
        return None;
    }
    let m = NUMBER.find(word)?;
    let v: f64 = m.as_str().parse().ok()?;
    let new = if rng.chance(0.3) {
        v + 1.0
    } else {
        v * *rng.pick(&[0.5, 2.0, 1.5])
    };
    let text = if new.fract() == 0.0 {
        format!("{new:.0}")
    } else {
        format!("{new:.2}").trim_end_matches('0').to_string()
    };
    if new <= 0.0 || text == m.as_str() {
        return None;
    }
    Some(format!("{}{text}{}", &word[..m.start()], &word[m.end()..]))
}

/// A trade abbreviation of the word, if buyers shorten it.
pub fn abbreviation(word: &str, rng: &mut Rng) -> Option<String> {
    let lower = word.to_lowercase();
    let (_, short) = ABBREVIATIONS.iter().find(|(w, _)| *w == lower)?;
    Some(rng.pick(short).to_string())
}

/// One typo in a word of at least six letters: a letter dropped, doubled or replaced, or two
/// neighbours swapped (never the first letter).
pub fn typo(word: &str, rng: &mut Rng) -> Option<String> {
    let chars: Vec<char> = word.chars().collect();
    if chars.len() < 6 || !chars.iter().all(|c| c.is_alphabetic()) {
        return None;
    }
    let i = 1 + rng.below(chars.len() - 2);
    let mut out = chars.clone();
    match rng.below(4) {
        0 => {
            out.remove(i);
        }
        1 => out.insert(i, chars[i]),
        2 => out.swap(i, i + 1),
        _ => {
            let vowels = ['a', 'e', 'i', 'o', 'u'];
            let lower = chars[i].to_ascii_lowercase();
            let others: Vec<char> = vowels.iter().copied().filter(|v| *v != lower).collect();
            let v = *rng.pick(&others);
            out[i] = if chars[i].is_uppercase() {
                v.to_ascii_uppercase()
            } else {
                v
            };
        }
    }
    let typed: String = out.into_iter().collect();
    (typed != word).then_some(typed)
}

/// The whole request in the case a buyer might type it in.
pub fn case(text: &str, rng: &mut Rng) -> String {
    match rng.below(5) {
        0 | 1 => text.to_lowercase(),
        2 => text
            .split(' ')
            .map(|w| {
                let mut c = w.chars();
                c.next()
                    .map(|f| f.to_uppercase().chain(c.flat_map(char::to_lowercase)).collect())
                    .unwrap_or_default()
            })
            .collect::<Vec<String>>()
            .join(" "),
        _ => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::search::normalize::tokens;

    /// Every respelling of a size reads as the same tokens.
    #[test]
    fn respelled_sizes_normalise_alike() {
        let mut rng = Rng::new(3);
        for word in [
            "400ML",
            "2.5KG",
            "100MM",
            "4\"",
            "3/4\"",
            "100*1.2*16",
            "125X22MM",
            "SIZE:08",
            "#120",
            "G240",
        ] {
            for _ in 0..12 {
                let other = size(word, &mut rng).unwrap_or_else(|| panic!("{word}"));
                assert_eq!(tokens(&other), tokens(word), "{word} → {other}");
            }
        }
        assert_eq!(size("WHEEL", &mut rng), None);
        assert_eq!(size("AN302", &mut rng), None);
    }

    #[test]
    fn other_numbers_change_the_size_only() {
        let mut rng = Rng::new(9);
        for word in ["400ML", "SIZE:08", "100*1.2*16", "#120"] {
            for _ in 0..10 {
                let other = other_number(word, &mut rng).expect(word);
                assert_ne!(tokens(&other), tokens(word), "{word} → {other}");
            }
        }
        assert_eq!(other_number("WHEEL", &mut rng), None);
    }

    #[test]
    fn abbreviations_and_typos() {
        let mut rng = Rng::new(5);
        assert_eq!(abbreviation("ASSEMBLY", &mut rng).as_deref(), Some("assy"));
        assert_eq!(abbreviation("wheel", &mut rng), None);
        for _ in 0..50 {
            let t = typo("GRINDER", &mut rng).expect("typo");
            assert_ne!(t, "GRINDER");
            assert!(t.starts_with('G') && t.len().abs_diff(7) <= 1, "{t}");
        }
        assert_eq!(typo("DISC", &mut rng), None);
        assert_eq!(typo("W3000-10", &mut rng), None);
    }
}
