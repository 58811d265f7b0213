//! The quantity grammar shared by item tables and item lines: how a requested quantity is
//! written ("1,000", "1,000.00", "12.0", "250 NOS", "five (5) NO.", "twelve (12) UNITS",
//! "Qty: 60 pcs" on a line of its own) and what is never a quantity (serial numbers such
//! as "1.1", part numbers, phone numbers, dates).

use std::borrow::Cow;
use std::sync::LazyLock;

use regex::Regex;

use super::units;
use crate::domain::Quantity;

/// Number words buyers spell out, with their value.
const NUMBER_WORDS: &[(&str, u32)] = &[
    ("one", 1),
    ("two", 2),
    ("three", 3),
    ("four", 4),
    ("five", 5),
    ("six", 6),
    ("seven", 7),
    ("eight", 8),
    ("nine", 9),
    ("ten", 10),
    ("eleven", 11),
    ("twelve", 12),
    ("thirteen", 13),
    ("fourteen", 14),
    ("fifteen", 15),
    ("sixteen", 16),
    ("seventeen", 17),
    ("eighteen", 18),
    ("nineteen", 19),
    ("twenty", 20),
    ("thirty", 30),
    ("forty", 40),
    ("fifty", 50),
    ("sixty", 60),
    ("seventy", 70),
    ("eighty", 80),
    ("ninety", 90),
];

/// A spelled number as a pattern: "twelve", "twenty-five", "one hundred and fifty", "a
/// hundred", "a dozen", "half a dozen", "two dozen".
static SPELLED: LazyLock<String> = LazyLock::new(|| {
    let ones = "one|two|three|four|five|six|seven|eight|nine";
    let teens = "ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen";
    let tens = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety";
    let below_hundred = format!(r"(?:(?:{tens})(?:[-\s](?:{ones}))?|{teens}|{ones})");
    format!(
        r"(?:(?:half\s+a|a|{ones}|ten|twelve)\s+dozen|(?:a|{ones})\s+hundred(?:\s+(?:and\s+)?{below_hundred}\b)?|hundred|{below_hundred})"
    )
});

/// "five (5)", "twelve (12)", "TWO HUNDRED (200)", "(5) five", "2 (two)": the figure is the
/// quantity, the words its spelling.
static WORD_AND_FIGURE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)\b(?:{s})\s*\(\s*(?P<n>\d{{1,7}})\s*\)|\(\s*(?P<m>\d{{1,7}})\s*\)\s*(?:{s})\b|\b(?P<f>\d{{1,7}})\s*\(\s*(?:{s})\s*\)",
        s = *SPELLED
    ))
    .expect("regex")
});
/// A figure repeated in brackets, as in contracts: "36 (36)".
static FIGURE_TWICE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b(?P<a>\d{1,7})\s*\(\s*(?P<b>\d{1,7})\s*\)").expect("regex"));
/// A number word directly before a unit of count: "two sets", "a dozen pcs".
static WORD_BEFORE_UNIT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!(r"(?i)\b(?P<w>{})\s+(?P<u>[a-z]{{2,8}}\.?)", *SPELLED)).expect("regex"));
/// A spelled number that begins a text: "twelve Rexco 50 lubricant", "a dozen brooms".
static SPELLED_FIRST: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!(r"(?i)^(?P<w>{})\s+(?P<rest>\S.*)$", *SPELLED)).expect("regex"));

/// A quantity cell, possibly with its unit and a label: "24", "1,000", "1,000.00", "1 000",
/// "24 PCS", "2.5 kg", "Qty: 12 nos".
static CELL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(?:(?:qty|quantity)\s*[:.]?\s*)?(?P<q>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d{1,3}(?: \d{3})+|\d+(?:[.,]\d+)?)\s*(?P<u>[a-z]{1,10}\.?)?\s*$")
        .expect("regex")
});

/// A quantity on a line of its own, labelled: "Quantity: 60 pcs", "Qty required - 12 nos",
/// "QTY: 4 sets", "Quantity (pcs): 60", "Required quantity = 5".
static LABELLED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?ix)^\s*[-•*]?\s*
        # the label in another language first, as bilingual forms write it: 'SL / Qty:'
        (?:(?:[^\W\d_]{1,12}\.?\s+){0,2}[^\W\d_]{1,12}\.?\s*/\s*)?
        (?:(?:required|requested|order(?:ed)?|total)\s+)?
        (?:qty|q'ty|qnty|quantity|quantities|nos\s+required|no\.\s+of\s+(?:units|pcs|pieces))
        (?:\s+(?:required|req'?d|reqd|needed|requested|ordered|wanted))?
        # or after it: 'Qty / Jumlah:'
        (?:\s*/\s*[^\W\d_]{1,12}\.?)?
        \s*(?:\((?P<u1>[a-z]{1,8})\))?
        \s*[:.=\-–]?\s*
        (?P<q>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)
        # the unit, or the unit in another language with its English in brackets: '120 đôi (pairs)'
        \s*(?:(?P<u>[a-z]{1,10}\.?)|[^\W\d_]{1,10}\s*\((?P<u2>[a-z]{1,10})\.?\))?\s*\.?
        # a remark of words in brackets: 'Qty: 2 EA  (one each for the HS and MS shops)'
        (?:\s*\([^()\s]{1,40}\s[^()]{1,80}\))?
        # another field of the record on the same line: 'Quantity: 6.000 EA  Need by: 16/12'
        (?:\s*[,;|]?\s+(?P<next>[a-z][a-z.'/]*(?:\s+[a-z][a-z.'/]*){0,3})\s*:.*)?
        \s*$",
    )
    .expect("regex")
});

/// Outline numbers: "1", "1.", "1.1", "1.2.3", "2)", "(4)", "A1", "a)", "iv.".
static SERIAL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^\s*(?:\(?\d{1,4}(?:\.\d{1,3}){0,3}[.)]?\)?|[a-z]{1,2}\d{0,3}[.)]?|\([a-z]{1,4}\)|[ivx]{1,5}[.)])\s*$",
    )
    .expect("regex")
});

/// Dozens counted in pieces: "5 dozen" → "60 pcs", "1 dozen packs" → "12 packs", "two dozen
/// pairs" → "24 pairs", "3 doz." → "36 pcs". The catalog sells by the piece (its unit column);
/// the few products sold by the dozen say so in their names ("TOWEL (DOZ)").
static DOZENS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(?:(?P<n>\d{1,4})\s*(?:dozens?\b|doz\b\.?|dz\b)|(?P<w>(?:half\s+a|a|one|two|three|four|five|six|seven|eight|nine|ten|twelve)\s+dozens?)\b)(?P<after>\s+(?:of\s+)?(?P<u>[a-z]{2,8}\.?))?",
    )
    .expect("regex")
});
/// "6 of them", "4 of these": a count of what the sentence names ("25 of each month" is a
/// date).
static OF_THEM: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\b(?P<n>\d{1,5})\s+of\s+(?:them|these|those)\b").expect("regex"));

/// A product sold by the dozen: "Face towel (doz)", "per dozen", "/doz".
static SOLD_BY_DOZEN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\(\s*(?:doz|dozen|dz)\.?\s*\)|\bper\s+(?:doz|dozen)\b|/\s*(?:doz|dozen|dz)\b").expect("regex")
});

/// `text` with dozens of a unit written in that unit ("3 doz. pairs" → "36 pairs"), dozens
/// spelled out in pieces ("two dozen" → "24 pcs") and "6 of them" as "6 pcs". A figure of
/// dozens alone stays as written, the quantity in dozens ("Soudal foam - 2 doz" is two
/// dozen, as a unit column would say it): the quantity is what the buyer wrote, in the unit
/// the buyer wrote.
fn counted(text: &str) -> Cow<'_, str> {
    let by_dozen = SOLD_BY_DOZEN.is_match(text);
    let step = DOZENS.replace_all(text, |c: &regex::Captures<'_>| {
        let unit_after = c.name("u").is_some_and(|u| units::canonical(u.as_str()).is_some());
        if c.name("n").is_some() && (by_dozen || !unit_after) {
            return c[0].to_string();
        }
        let value = match (c.name("n"), c.name("w")) {
            (Some(n), _) => n.as_str().parse::<u32>().ok().map(|n| n * 12),
            (None, Some(w)) => number_word(w.as_str().trim_end_matches(['s', 'S'])),
            _ => None,
        };
        let Some(value) = value else {
            return c[0].to_string();
        };
        let after = c.name("after").map_or("", |m| m.as_str());
        match c.name("u") {
            Some(u) if units::canonical(u.as_str()).is_some() => format!("{value}{after}"),
            // "a dozen toilet brushes" is left to the spelled numbers (a weak item), "a dozen
            // suppliers" to prose
            Some(_) if c.name("w").is_some() => c[0].to_string(),
            _ => format!("{value} pcs{after}"),
        }
    });
    match step {
        Cow::Borrowed(_) => OF_THEM.replace_all(text, "$n pcs"),
        Cow::Owned(s) => Cow::Owned(OF_THEM.replace_all(&s, "$n pcs").into_owned()),
    }
}

/// The text with spelled-out quantities written as figures: "five (5) NO." → "5 NO.",
/// "two sets of" → "2 sets of", "two dozen" → "24 pcs". Other number words ("one-way valve")
/// stay.
pub(super) fn figures(text: &str) -> Cow<'_, str> {
    let step = match counted(text) {
        Cow::Borrowed(_) => spelled(text),
        Cow::Owned(s) => Cow::Owned(spelled(&s).into_owned()),
    };
    match step {
        Cow::Borrowed(_) => lakhs(text),
        Cow::Owned(s) => Cow::Owned(lakhs(&s).into_owned()),
    }
}

/// Figures grouped the Indian way, in lakhs and crores ("1,00,000", "12,50,000.00"),
/// written plain ("100000"). A group of two digits tells them from thousands grouped in
/// threes.
fn lakhs(text: &str) -> Cow<'_, str> {
    static INDIAN: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\b\d{1,2}(?:,\d{2})+,\d{3}\b").expect("regex"));
    INDIAN.replace_all(text, |c: &regex::Captures<'_>| c[0].replace(',', ""))
}

/// `figures` but for dozens.
fn spelled(text: &str) -> Cow<'_, str> {
    let lower_has_paren = text.contains('(');
    let step: Cow<'_, str> = if lower_has_paren {
        WORD_AND_FIGURE.replace_all(text, |c: &regex::Captures<'_>| {
            let whole = &c[0];
            let n = c
                .name("n")
                .or_else(|| c.name("m"))
                .or_else(|| c.name("f"))
                .map_or("", |m| m.as_str());
            // Only when the word is the number's spelling: "Glue (3M)" and "size (8)" stay.
            let word = whole
                .split(['(', ')'])
                .map(str::trim)
                .find(|p| !p.is_empty() && !p.bytes().all(|b| b.is_ascii_digit()))
                .unwrap_or("");
            if number_word(word).is_some_and(|v| v.to_string() == n) {
                n.to_string()
            } else {
                whole.to_string()
            }
        })
    } else {
        Cow::Borrowed(text)
    };
    let step: Cow<'_, str> = if lower_has_paren {
        match FIGURE_TWICE.replace_all(&step, |c: &regex::Captures<'_>| {
            if c["a"] == c["b"] {
                c["a"].to_string()
            } else {
                c[0].to_string()
            }
        }) {
            Cow::Borrowed(_) => step,
            Cow::Owned(s) => Cow::Owned(s),
        }
    } else {
        step
    };
    match WORD_BEFORE_UNIT.replace_all(&step, |c: &regex::Captures<'_>| match number_word(&c["w"]) {
        Some(v) if units::canonical(&c["u"]).is_some() => format!("{v} {}", &c["u"]),
        _ => c[0].to_string(),
    }) {
        Cow::Borrowed(_) => step,
        Cow::Owned(s) => Cow::Owned(s),
    }
}

/// The value of a spelled number: "five", "twelve", "twenty-five", "one hundred and fifty",
/// "a dozen", "half a dozen".
fn number_word(phrase: &str) -> Option<u32> {
    let lower = phrase.to_ascii_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| c.is_whitespace() || c == '-')
        .filter(|w| !w.is_empty() && *w != "and")
        .collect();
    let small = |w: &str| NUMBER_WORDS.iter().find(|(k, _)| *k == w).map(|(_, v)| *v);
    let one_or = |w: &str| if w == "a" { Some(1) } else { small(w) };
    let below_hundred = |ws: &[&str]| match ws {
        [] => Some(0),
        [w] => small(w),
        [t, o] => {
            let (t, o) = (small(t)?, small(o)?);
            (t >= 20 && t % 10 == 0 && o < 10).then_some(t + o)
        }
        _ => None,
    };
    let value = match words.as_slice() {
        ["half", "a", "dozen"] => 6,
        [n, "dozen"] => one_or(n)? * 12,
        ["hundred"] => 100,
        [n, "hundred", rest @ ..] => one_or(n)? * 100 + below_hundred(rest)?,
        ws => below_hundred(ws)?,
    };
    (value > 0).then_some(value)
}

/// A text that begins with a spelled number: its value and the rest ("a dozen brooms" →
/// (12, "brooms")).
pub(super) fn spelled_first(text: &str) -> Option<(u32, &str)> {
    let c = SPELLED_FIRST.captures(text)?;
    Some((number_word(&c["w"])?, c.name("rest")?.as_str()))
}

/// A quantity cell: the quantity and the unit written in it (None: no unit, or a word
/// that is not a unit). Serial numbers and codes are not cells of this form.
pub(super) fn cell(text: &str) -> Option<(Quantity, Option<&'static str>)> {
    let text = figures(text);
    let c = CELL.captures(&text)?;
    let q = Quantity::parse(&c["q"]).ok()?;
    let unit = match c.name("u") {
        Some(u) => Some(units::canonical_any(u.as_str())?),
        None => None,
    };
    Some((q, unit))
}

/// A cell of an explicit quantity column: as [`cell`], and units of time or service too
/// ("5 DAYS").
pub(super) fn column_cell(text: &str) -> Option<(Quantity, Option<&'static str>)> {
    cell(text).or_else(|| {
        let text = figures(text);
        let c = CELL.captures(&text)?;
        let unit = units::service(c.name("u")?.as_str())?;
        Some((Quantity::parse(&c["q"]).ok()?, Some(unit)))
    })
}

/// A quantity and its unit of count at the start of a cell that holds more ("12 PCS Estate
/// 4 store", where the layout joined the next column): read only in a column whose header
/// says it holds quantities.
pub(super) fn cell_prefix(text: &str) -> Option<(Quantity, &'static str)> {
    static PREFIX: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^\s*(?P<q>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*(?P<u>[A-Za-z]{1,10})\.?\s+\S")
            .expect("regex")
    });
    let text = figures(text);
    let c = PREFIX.captures(&text)?;
    let unit = units::canonical(&c["u"]).or_else(|| units::service(&c["u"]))?;
    Some((Quantity::parse(&c["q"]).ok()?, unit))
}

/// A labelled quantity line ("Quantity: 60 pcs"): the quantity and its unit.
pub(super) fn labelled(text: &str) -> Option<(Quantity, Option<&'static str>)> {
    let text = figures(text);
    let c = LABELLED.captures(&text)?;
    // "QTY 3 UNITS: Milwaukee …" is an item line, its unit no field's label
    if let Some(next) = c.name("next")
        && next
            .as_str()
            .split_whitespace()
            .next()
            .is_some_and(|w| units::canonical_any(w).is_some())
    {
        return None;
    }
    let q = Quantity::parse(&c["q"]).ok()?;
    let unit = match c.name("u").or_else(|| c.name("u2")).or_else(|| c.name("u1")) {
        Some(u) => Some(units::canonical_any(u.as_str())?),
        None => None,
    };
    Some((q, unit))
}

/// An outline or serial number ("1.1", "2)", "A3").
pub(super) fn is_serial(text: &str) -> bool {
    let t = text.trim();
    !t.is_empty() && SERIAL.is_match(t)
}

/// A buyer's item, material or stock code: five digits or more, alone or after a short
/// prefix ("4000123456", "MAT-100234", "SC/00123"); model numbers ("DCU180Z") have fewer.
pub(super) fn is_item_code(token: &str) -> bool {
    static CODE: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^(?:[A-Za-z]{1,5}[-/.]?)?\d{5,}(?:[-/]\d{1,4})?$").expect("regex"));
    CODE.is_match(token.trim_matches(|c: char| matches!(c, '(' | ')' | '[' | ']' | ',' | ';')))
}

/// Parts of an outline number: "1.2" → [1, 2]; None when it is not one.
/// A buyer's item code written after the description: as [`is_item_code`], but letters glued
/// to the digits ("KC06511", "RH150038") are the maker's model code, which buyers copy at the
/// end of a line, and so are five or six figures alone (Kimberly-Clark's "93495", 3M's
/// "95412", Ansell's "56411"); the buyer's own codes there are longer runs of figures or
/// have a separator ("4000123456", "MAT-100234").
pub(super) fn is_trailing_item_code(token: &str) -> bool {
    let t = token.trim_matches(|c: char| matches!(c, '(' | ')' | '[' | ']' | ',' | ';'));
    let catalog_number = t.len() <= 6 && t.bytes().all(|b| b.is_ascii_digit());
    is_item_code(t)
        && !catalog_number
        && (!t.starts_with(|c: char| c.is_ascii_alphabetic()) || t.contains(['-', '/', '.']))
}

/// Parts of an outline number: "1.2" → [1, 2]; None when it is not one.
pub(super) fn outline(text: &str) -> Option<Vec<u32>> {
    let t = text.trim().trim_matches(|c: char| matches!(c, '(' | ')' | '.')).trim();
    if t.is_empty() {
        return None;
    }
    t.split('.').map(|p| p.parse().ok()).collect()
}

/// Whether `next` can follow `prev` in an outline: 1 → 2, 1.1 → 1.2, 1.2 → 2, 1 → 1.1,
/// 1.9 → 2.1.
pub(super) fn follows(prev: &[u32], next: &[u32]) -> bool {
    let fresh = |rest: &[u32]| rest.iter().all(|p| *p <= 1);
    match prev.iter().zip(next).position(|(a, b)| a != b) {
        Some(k) => next[k] == prev[k] + 1 && fresh(&next[k + 1..]),
        None => next.len() > prev.len() && fresh(&next[prev.len()..]),
    }
}

/// A figure in decimal-comma notation, alone or before a unit: "1.200,000", "25,000 BX",
/// "0,61".
static COMMA_FIGURE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?P<n>\d{1,3}(?:\.\d{3})+,\d+|\d+,\d+)(?P<rest>\s*[A-Za-z].*)?$").expect("regex"));

/// The rows of a table written in decimal-comma notation (as ERP systems set to European
/// number formats export them: "1.200,000" for 1200, "48,00" for 48), with its figures in
/// decimal points; None when the table is not in that notation. A table is, when two or more
/// of its figures can be read only so (a price "0,61"), or one with thousands in points
/// ("1.200,000"), and none only the other way ("1,200.00", "48.50"); then "25,000" is 25, not
/// twenty-five thousand.
pub(super) fn in_decimal_points(rows: &[Vec<String>]) -> Option<Vec<Vec<String>>> {
    static GROUPED: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^\d{1,3}(?:\.\d{3})+,\d+$").expect("regex"));
    static ONLY_COMMA: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^\d+,\d{1,2}$").expect("regex"));
    static ONLY_POINT: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^(?:\d{1,3}(?:,\d{3})+\.\d+|\d+\.\d{2})$").expect("regex"));
    let (mut comma, mut point) = (0usize, false);
    for cell in rows.iter().flatten() {
        let t = cell.trim();
        if !t.starts_with(|c: char| c.is_ascii_digit()) {
            continue;
        }
        comma += if GROUPED.is_match(t) {
            2
        } else {
            usize::from(ONLY_COMMA.is_match(t))
        };
        point |= ONLY_POINT.is_match(t);
    }
    // two such figures at least: one cell "5,10" (two sizes) says nothing of the table
    if comma < 2 || point {
        return None;
    }
    let convert = |cell: &String| match COMMA_FIGURE.captures(cell.trim()) {
        Some(c) => {
            let n = c["n"].replace('.', "").replace(',', ".");
            format!("{n}{}", c.name("rest").map_or("", |r| r.as_str()))
        }
        None => cell.clone(),
    };
    Some(rows.iter().map(|r| r.iter().map(convert).collect()).collect())
}

/// The rows with thousands grouped by points read whole in a column of whole numbers: "1.000"
/// among "500", "100", "50" is a thousand (Indonesian and European forms), where an ERP's
/// column of "6.000", "12.000" is of quantities with three decimals. None when no column is
/// so.
pub(super) fn thousands_in_points(rows: &[Vec<String>]) -> Option<Vec<Vec<String>>> {
    static GROUPED: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^(?P<n>\d{1,3}(?:\.\d{3})+)(?P<rest>\s*[A-Za-z]{1,10}\.?)?$").expect("regex"));
    static WHOLE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^\d{1,3}(?:\s*[A-Za-z]{1,10}\.?)?$").expect("regex"));
    static OTHER_DECIMAL: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^\d+[.,]\d+").expect("regex"));
    let width = rows.iter().map(Vec::len).max()?;
    let columns: Vec<usize> = (0..width)
        .filter(|&c| {
            let cells = || rows.iter().filter_map(|r| r.get(c)).map(|t| t.trim());
            let grouped = cells().filter(|t| GROUPED.is_match(t)).count();
            let whole = cells().filter(|t| WHOLE.is_match(t)).count();
            let other = cells()
                .filter(|t| !GROUPED.is_match(t) && OTHER_DECIMAL.is_match(t))
                .count();
            grouped >= 1 && whole >= 2 * grouped && whole >= 3 && other == 0
        })
        .collect();
    if columns.is_empty() {
        return None;
    }
    Some(
        rows.iter()
            .map(|r| {
                r.iter()
                    .enumerate()
                    .map(|(c, cell)| match GROUPED.captures(cell.trim()) {
                        Some(g) if columns.contains(&c) => {
                            format!(
                                "{}{}",
                                g["n"].replace('.', ""),
                                g.name("rest").map_or("", |m| m.as_str())
                            )
                        }
                        _ => cell.clone(),
                    })
                    .collect()
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::requirements::grid as rows;

    #[test]
    fn thousands_grouped_by_points_among_whole_numbers() {
        let table = rows(&[
            &["1", "Batu potong 4\"", "500", "PCS"],
            &["2", "Batu potong 14\"", "100", "PCS"],
            &["3", "Batu potong 105x1.2x16", "1.000", "PCS"],
            &["4", "Kawat las RB26 3.2MM", "200", "KG"],
        ]);
        let read = thousands_in_points(&table).expect("a column of whole numbers");
        assert_eq!(read[2][2], "1000");
        assert_eq!(read[2][1], "Batu potong 105x1.2x16");
        // an ERP's quantities with three decimals stay as they are
        let erp = rows(&[
            &["1", "Gloves", "6.000"],
            &["2", "Helmet", "12.000"],
            &["3", "Boots", "1.000"],
        ]);
        assert_eq!(thousands_in_points(&erp), None);
        let mixed = rows(&[
            &["1", "A", "2"],
            &["2", "B", "3"],
            &["3", "C", "4"],
            &["4", "D", "1.500"],
            &["5", "E", "2.5"],
        ]);
        assert_eq!(thousands_in_points(&mixed), None);
    }

    #[test]
    fn figures_grouped_in_lakhs_are_read_whole() {
        let (q, unit) = cell("1,00,000").expect("a quantity");
        assert_eq!(q, Quantity::parse("100000").expect("q"));
        assert_eq!(unit, None);
        let (q, unit) = cell("12,50,000 Nos.").expect("a quantity");
        assert_eq!(q, Quantity::parse("1250000").expect("q"));
        assert_eq!(unit, Some("nos"));
        // thousands in threes and plain figures stay as they are
        assert_eq!(cell("100,000").map(|c| c.0), Quantity::parse("100000").ok());
        assert_eq!(
            figures("Rs. 19,79,494.00 for 2,000 pairs"),
            "Rs. 1979494.00 for 2,000 pairs"
        );
    }

    #[test]
    fn a_table_in_decimal_commas_reads_its_figures_so() {
        let t = rows(&[
            &["Item", "Short Text", "Quantity", "Un", "Valn Price"],
            &["00010", "RESPIRATOR N95", "25,000", "BX", "48,00"],
            &["00040", "EARPLUG FOAM", "1.200,000", "PR", "0,61"],
            &["00050", "SEALANT", "6,000 EA", "", "22.06.2026"],
        ]);
        let fixed = in_decimal_points(&t).expect("decimal commas");
        assert_eq!(fixed[1][2], "25.000");
        assert_eq!(fixed[1][4], "48.00");
        assert_eq!(fixed[2][2], "1200.000");
        assert_eq!(fixed[3][2], "6.000 EA");
        assert_eq!(fixed[3][4], "22.06.2026");
        assert_eq!(fixed[1][0], "00010");
    }

    #[test]
    fn one_figure_with_thousands_in_points_is_enough() {
        // an SAP export set to Indonesian figures: "40,000" is forty
        let t = rows(&[
            &["Item", "Deskripsi", "Jumlah", "Satuan", "Tgl. Kirim"],
            &["00010", "3M 6003 CARTRIDGE", "40,000", "PR", "15.04.2026"],
            &["00080", "MASKER N95", "1.200,000", "PC", "15.04.2026"],
        ]);
        let fixed = in_decimal_points(&t).expect("decimal commas");
        assert_eq!(fixed[1][2], "40.000");
        assert_eq!(fixed[2][2], "1200.000");
        // a lone "0,61" says nothing yet: it may be two sizes
        let t = rows(&[&["Item", "Qty"], &["Gloves", "1,000"], &["Shims", "0,61"]]);
        assert!(in_decimal_points(&t).is_none());
    }

    #[test]
    fn thousands_commas_stay_thousands() {
        // "1,000" alone could be either; a price in points says which
        let t = rows(&[
            &["Description", "Qty", "Price"],
            &["Gloves", "1,000", "12.50"],
            &["Masks", "2,500", "0,75"],
        ]);
        assert!(in_decimal_points(&t).is_none());
        let t = rows(&[&["Description", "Qty"], &["Gloves", "1,000"], &["Masks", "250"]]);
        assert!(in_decimal_points(&t).is_none());
        let t = rows(&[
            &["Description", "Sizes", "Qty"],
            &["Gloves", "8,9", "1,000"],
            &["Masks", "", "250"],
        ]);
        assert!(in_decimal_points(&t).is_none());
    }

    fn c(s: &str) -> Option<(String, Option<&'static str>)> {
        cell(s).map(|(q, u)| (q.to_string(), u))
    }

    #[test]
    fn quantity_cells_in_their_many_forms() {
        assert_eq!(c("250 NOS"), Some(("250".into(), Some("nos"))));
        assert_eq!(c("1,000 EA"), Some(("1000".into(), Some("ea"))));
        assert_eq!(c("1,000.00"), Some(("1000".into(), None)));
        assert_eq!(c("12.0"), Some(("12".into(), None)));
        assert_eq!(c("five (5) NO."), Some(("5".into(), Some("nos"))));
        assert_eq!(c("25 (twenty-five)"), Some(("25".into(), None)));
        assert_eq!(c("TWO HUNDRED (200) PRS"), Some(("200".into(), Some("pairs"))));
        assert_eq!(c("twelve (12) UNITS"), Some(("12".into(), Some("units"))));
        assert_eq!(c("(6) six"), Some(("6".into(), None)));
        assert_eq!(c("Qty: 12 nos"), Some(("12".into(), Some("nos"))));
        assert_eq!(c("20 m"), Some(("20".into(), Some("m"))));
    }

    #[test]
    fn codes_dates_and_phones_are_not_quantity_cells() {
        for s in [
            "MAT-00123",
            "12/01/2027",
            "+65 6123 4567",
            "6123-4567",
            "AB12",
            "5 days",
        ] {
            assert_eq!(c(s), None, "{s}");
        }
    }

    #[test]
    fn spelled_numbers_become_figures_only_when_they_are_numbers() {
        assert_eq!(figures("five (5) NO."), "5 NO.");
        assert_eq!(figures("2 (two)"), "2");
        assert_eq!(figures("25 (twenty-five) pcs"), "25 pcs");
        assert_eq!(figures("3 (four)"), "3 (four)");
        assert_eq!(figures("We need two sets of keys"), "We need 2 sets of keys");
        assert_eq!(figures("Glue (3M or equivalent)"), "Glue (3M or equivalent)");
        assert_eq!(figures("one-way valve (2)"), "one-way valve (2)");
        assert_eq!(figures("Size (8)"), "Size (8)");
        assert_eq!(figures("Face shield five (5) pcs"), "Face shield 5 pcs");
        assert_eq!(figures("Toilet cleaner – 36 (36) btl"), "Toilet cleaner – 36 btl");
        assert_eq!(figures("Bin 660 (120) litre"), "Bin 660 (120) litre");
        assert_eq!(figures("twenty-five (25)"), "25");
        assert_eq!(figures("one hundred pcs Sibax silicone"), "100 pcs Sibax silicone");
        assert_eq!(figures("two hundred and fifty nos"), "250 nos");
        assert_eq!(figures("half a dozen boxes"), "6 boxes");
        // a figure of dozens is the quantity, in dozens
        assert_eq!(figures("Nylon broom head - 1 dozen."), "Nylon broom head - 1 dozen.");
        assert_eq!(figures("5 dozen"), "5 dozen");
        assert_eq!(figures("Soudal foam 750ml - 2 doz"), "Soudal foam 750ml - 2 doz");
        // sold by the dozen, ten dozen stay ten
        assert_eq!(
            figures("Face towel 325mm x 650mm (doz) - 10 doz"),
            "Face towel 325mm x 650mm (doz) - 10 doz"
        );
        assert_eq!(
            figures("Cotton gloves per dozen - 5 dozen"),
            "Cotton gloves per dozen - 5 dozen"
        );
        assert_eq!(figures("3 doz. pairs of gloves"), "36 pairs of gloves");
        assert_eq!(figures("two dozen"), "24 pcs");
        assert_eq!(figures("a dozen toilet brushes"), "a dozen toilet brushes");
        assert_eq!(figures("a dozen pairs of gloves"), "12 pairs of gloves");
        assert_eq!(figures("window wiper 35 cm - 6 of them"), "window wiper 35 cm - 6 pcs");
        assert_eq!(
            figures("on the 10 and 25 of each month"),
            "on the 10 and 25 of each month"
        );
        assert_eq!(c("5 dozen"), Some(("5".into(), Some("dozen"))));
    }

    #[test]
    fn spelled_numbers_before_a_description() {
        assert_eq!(spelled_first("a dozen toilet brushes"), Some((12, "toilet brushes")));
        assert_eq!(spelled_first("forty N95 respirators"), Some((40, "N95 respirators")));
        assert_eq!(spelled_first("twenty-four mop heads"), Some((24, "mop heads")));
        assert_eq!(spelled_first("one hundred and twenty gloves"), Some((120, "gloves")));
        assert_eq!(spelled_first("seventeen rolls"), Some((17, "rolls")));
        assert_eq!(spelled_first("someone said"), None);
        assert_eq!(spelled_first("tenant notice"), None);
    }

    #[test]
    fn labelled_quantity_lines() {
        let l = |s: &str| labelled(s).map(|(q, u)| (q.to_string(), u));
        assert_eq!(l("Quantity: 60 pcs"), Some(("60".into(), Some("pcs"))));
        assert_eq!(l("Qty required - 12 nos"), Some(("12".into(), Some("nos"))));
        assert_eq!(l("QTY: 4 sets"), Some(("4".into(), Some("sets"))));
        assert_eq!(l("Quantity (pairs): 30"), Some(("30".into(), Some("pairs"))));
        assert_eq!(l("Required quantity = 1,200"), Some(("1200".into(), None)));
        assert_eq!(l("Quantity: twelve (12) units"), Some(("12".into(), Some("units"))));
        // a remark in brackets after it
        assert_eq!(
            l("Qty: 2 EA  (one each for the HS and MS custodial shops)"),
            Some(("2".into(), Some("ea")))
        );
        assert_eq!(
            l("Quantity: 500 pairs (individually wrapped preferred)"),
            Some(("500".into(), Some("pairs")))
        );
        assert_eq!(l("Quantity of gloves: 5"), None);
        assert_eq!(l("Qty: 5 days"), None);
        // the record's next field on the same line
        assert_eq!(
            l("Quantity: 6.000 EA Need by: 16/12/2026"),
            Some(("6".into(), Some("ea")))
        );
        assert_eq!(
            l("Qty: 12 pcs, Delivery date: within 2 weeks"),
            Some(("12".into(), Some("pcs")))
        );
        assert_eq!(l("Quantity 40 | Ship to: Tuas store"), Some(("40".into(), None)));
        assert_eq!(l("Qty: 5 days, Delivery: asap"), None);
        assert_eq!(l("QTY 3 UNITS: Milwaukee M18 hammer drill"), None);
        assert_eq!(
            l("Quantity: 60.000 PAK  Need by: 27/12/2026"),
            Some(("60".into(), Some("packs")))
        );
        // bilingual labels and units: the English unit in brackets is the one read
        assert_eq!(l("SL / Qty: 120 đôi (pairs)"), Some(("120".into(), Some("pairs"))));
        assert_eq!(l("Số lượng / Qty: 60 cái (pcs)"), Some(("60".into(), Some("pcs"))));
        assert_eq!(l("Qty / Jumlah: 24 unit"), Some(("24".into(), Some("units"))));
        assert_eq!(l("Kuantiti/Qty: 10 helai (pcs)"), Some(("10".into(), Some("pcs"))));
    }

    #[test]
    fn a_quantity_before_a_neighbouring_column() {
        let p = |s: &str| cell_prefix(s).map(|(q, u)| (q.to_string(), u));
        assert_eq!(p("12 PCS Estate 4 store"), Some(("12".into(), "pcs")));
        assert_eq!(p("5 DAYS Estate 4 store"), Some(("5".into(), "days")));
        assert_eq!(p("12 Estate 4 store"), None);
        assert_eq!(p("12 PCS"), None);
    }

    #[test]
    fn item_codes() {
        for s in ["4000123456", "MAT-100234", "SC/00123", "(0425111206500)"] {
            assert!(is_item_code(s), "{s}");
        }
        for s in ["DCU180Z", "W3000-10", "M10", "2024", "300mm"] {
            assert!(!is_item_code(s), "{s}");
        }
        for s in ["4000123456", "MAT-100234", "SC/00123", "(0425111206500)"] {
            assert!(is_trailing_item_code(s), "{s}");
        }
        // a maker's code copied at the end of the line
        for s in ["KC06511", "RH150038", "(KC70260)", "93495", "(956412)"] {
            assert!(is_item_code(s) && !is_trailing_item_code(s), "{s}");
        }
    }

    #[test]
    fn serial_numbers_and_outlines() {
        for s in ["1", "1.", "1.1", "2.10", "3)", "(4)", "A1", "a)", "iv."] {
            assert!(is_serial(s), "{s}");
        }
        for s in ["Gloves", "250 NOS", "MAT-001"] {
            assert!(!is_serial(s), "{s}");
        }
        let o = |s: &str| outline(s).expect("outline");
        assert!(follows(&o("1"), &o("2")));
        assert!(follows(&o("1.1"), &o("1.2")));
        assert!(follows(&o("1.2"), &o("2")));
        assert!(follows(&o("1"), &o("1.1")));
        assert!(follows(&o("1.9"), &o("2.1")));
        assert!(!follows(&o("1.1"), &o("1.1")));
        assert!(!follows(&o("10"), &o("50")));
        assert!(!follows(&o("24"), &o("12")));
    }
}
