//! Items that only a list makes believable. Buyers often write a quantity without a unit:
//! a bare figure or a spelled number before the description ("• 6 Ingco cordless
//! screwdriver", "twelve Rexco 50 lubricant 500ml", "a dozen toilet brushes"), a bare figure
//! after it ("floor squeegee 22\" - 6"), or one in brackets ("kitchen degreaser (6)"). Alone,
//! such a line may be an address ("15 Benoi Sector"), a model ("Makita 9218") or a size
//! ("glove size L (9)"); two or more items in one list, or in one sentence, are a list, and
//! its weak lines are read as items.

use std::sync::LazyLock;

use regex::Regex;

use super::{Requirement, lines, quantity, units};
use crate::domain::Quantity;

/// What a clause may say before its quantity: a chat or mail lead-in ending in a colon ("need
/// these by Fri if can:"), joining words ("also", "plus", "and lastly").
static BEFORE_QUANTITY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?ix)^(?:[^:\d]{{0,60}}:\s+)?
        (?:(?:{}|as\s+well\s+as|together\s+with|with)[,]?\s+)*",
        lines::JOIN_WORDS
    ))
    .expect("regex")
});

/// A field of an address or a header, never a weak item: "Site: 1 Tampines Walk", "Tel: …".
static FIELD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:site|address|addr|location|venue|deliver(?:y)?(?:\s+to)?|ship\s+to|attn|attention|tel|phone|fax|mobile|hp|date|ref|po|from|to|cc|subject)\s*:")
        .expect("regex")
});

/// An address written on one line: a postal code ("Singapore 609277", "S(567760)"), or a unit
/// number ("#03-12") with a street word. "5 Ang Mo Kio Industrial Park 2A, #03-12" is no
/// item.
static ADDRESS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?ix)\b(?:singapore|s)\s*\(?\d{6}\)?(?:\W|$)
        | \#\d{2,3}-\d{2,5}\b.*\b(?:road|rd|street|st|avenue|ave|park|drive|dr|lane|crescent|industrial|sector|way|walk|link|loop|building|bldg|tower|centre|center|blk|block|estate)\b
        | \b(?:road|rd|street|st|avenue|ave|park|drive|dr|lane|crescent|industrial|sector|way|walk|link|loop|building|bldg|tower|centre|center|blk|block|estate)\b.*\#\d{2,3}-\d{2,5}\b",
    )
    .expect("regex")
});

/// A bare figure before the description: less than a thousand, or written with thousands
/// separators (a bare "2026" is a year, "6861" a phone number).
static FIGURE_FIRST: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?P<q>\d{1,3}(?:,\d{3})*)\s+(?P<d>\S.*?)\.?$").expect("regex"));

/// A bare figure after the description, set apart by a dash ("-", "--", "->"), a colon, dot
/// leaders or a tab.
static FIGURE_LAST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?P<d>.*?[A-Za-z].*?)\s*(?:\s(?:[-–—=]{1,3}>?|→)|:|\.{2,}|\t)\s*(?P<q>\d{1,3}(?:,\d{3})*)\s*\.?$")
        .expect("regex")
});

/// A bare figure ending the line after a space only: "ace helmet yellow 30", "3m foam earplug
/// 1100 200". The weakest form: the figure may be a size or a grade ("steel 304"), so the
/// words before it are checked and only a list makes it an item.
static BARE_LAST: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?P<d>.*?[A-Za-z].*?)\s+(?P<q>\d{1,3}(?:,\d{3})*)\s*$").expect("regex"));

/// Words before a bare last figure that make it a size, grade, series or street number.
const NOT_COUNT_BEFORE: &[&str] = &[
    "uk", "us", "eu", "type", "class", "grade", "series", "ss", "sus", "ral", "din", "iso", "en", "astm", "pn", "sch",
    "schedule", "cat", "category", "ip", "no", "nr", "ave", "avenue", "st", "street", "rd", "road", "drive", "dr",
    "lane", "sector", "way", "walk", "link", "loop", "crescent", "tower", "at", "by", "before", "after", "in", "on",
    "from", "until", "till", "about", "around", "x", "×", "m", "mark", "gen", "v", "ver", "vol", "of", "chapter",
    "tier", "zone", "pier", "berth", "wharf", "hall",
];

/// The most words a weak item's description has; more is a sentence, not a list line.
const MAX_WORDS: usize = 14;

/// A sentence break inside a description ("… loading bay 2. Contact Mr Rajan").
pub(super) static SENTENCE_BREAK: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"[.!?]\s+[A-Z]").expect("regex"));
/// A finite verb: what follows a weak count is a sentence about things ("Six trolleys are due
/// for wheel replacement"), not a product's name.
static FINITE_VERB: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\b(?:are|is|was|were|will|have|has|had)\b").expect("regex"));

/// Words after a number that make it a date, a time, an address or a term, not an item.
const NOT_ITEM_AFTER: &[&str] = &[
    "jan",
    "january",
    "feb",
    "february",
    "mar",
    "march",
    "apr",
    "april",
    "may",
    "jun",
    "june",
    "jul",
    "july",
    "aug",
    "august",
    "sep",
    "sept",
    "september",
    "oct",
    "october",
    "nov",
    "november",
    "dec",
    "december",
    "am",
    "pm",
    "years",
    "year",
    "yrs",
    "minutes",
    "mins",
    "min",
    "seconds",
    "percent",
    "%",
    "of",
    "to",
    "or",
    "and",
    "per",
    "more",
    "less",
    "people",
    "persons",
    "staff",
    "workers",
    "men",
    "sites",
    "floors",
    "storey",
    "storeys",
];

/// Whether a figure before `word` counts no item: a date, a time, a term, people or
/// places ("3 months", "2 weeks'", "40 workers").
pub(super) fn counts_no_item(word: &str) -> bool {
    let word = word.to_ascii_lowercase();
    NOT_ITEM_AFTER.contains(&word.as_str()) || lines::is_term(&word)
}

/// Words before a bare figure that make it a label's value, not a quantity: "Tel - 6778",
/// "Level: 3", "Page 2", "Bay - 4".
const NOT_ITEM_BEFORE: &[&str] = &[
    "tel",
    "phone",
    "fax",
    "hp",
    "mobile",
    "mob",
    "ext",
    "page",
    "level",
    "lvl",
    "floor",
    "bay",
    "block",
    "blk",
    "unit",
    "room",
    "lot",
    "site",
    "gate",
    "door",
    "ref",
    "no",
    "item",
    "items",
    "line",
    "lines",
    "size",
    "grit",
    "model",
    "rev",
    "version",
    "step",
    "part",
    "section",
    "batch",
    "po",
    "pr",
    "week",
    "day",
    "days",
    "total",
    "subtotal",
    "sum",
    "count",
    "number",
    "dated",
    "date",
    "year",
    "zone",
    "area",
    "stage",
    "phase",
    "pax",
    "qty",
    "quantity",
    "quantities",
    "amount",
];

/// A total or a count of the list, not an item: "TOTAL ITEMS - 8", "Grand total: 120".
static TOTAL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^\s*(?:sub[- ]?total|grand\s+total|total|no\.?\s+of)\b").expect("regex"));

/// A line or clause read as an item with a quantity but no unit, if it is written as one.
pub(super) fn weak_item(text: &str) -> Option<Requirement> {
    weak(text, true)
}

/// `weak_item` for a clause of a line ("…Toyogo 292, any brand …… 10 pcs"): a bare figure
/// closing a clause is the description's ("Toyogo 292", "pack of 100"), never its count.
pub(super) fn weak_clause(text: &str) -> Option<Requirement> {
    weak(text, false)
}

fn weak(text: &str, whole_line: bool) -> Option<Requirement> {
    let text = lines::without_marker(text);
    if FIELD.is_match(&text) || ADDRESS.is_match(&text) {
        return None;
    }
    let text = lines::without_request_verb(&text);
    let text = BEFORE_QUANTITY.replace(text, "");
    let text = text.trim();
    figure_first(text)
        .or_else(|| spelled_first(text))
        .or_else(|| figure_last(text))
        .or_else(|| lines::bracketed_count(text))
        .or_else(|| whole_line.then(|| bare_last(text)).flatten())
        .filter(|r| {
            r.description.split_whitespace().count() <= MAX_WORDS
                && !SENTENCE_BREAK.is_match(&r.description)
                && !FINITE_VERB.is_match(&r.description)
        })
}

/// Whether the line's count closes it ("SKK ball castor TG-50B (12)", "floor squeegee 22\" -
/// 6"): such a line is an item of the list around it however that list marks its lines (a
/// figure opening a line may be an address: "15 Benoi Sector").
pub(super) fn count_closes(text: &str) -> bool {
    let text = lines::without_marker(text);
    let text = text.trim();
    figure_first(text).is_none() && (figure_last(text).is_some() || lines::bracketed_count(text).is_some())
}

/// "6 Ingco 4V cordless screwdriver".
fn figure_first(text: &str) -> Option<Requirement> {
    let c = FIGURE_FIRST.captures(text)?;
    described(c.name("d")?.as_str(), Quantity::parse(&c["q"]).ok()?)
}

/// "twelve Rexco 50 lubricant", "a dozen CRC contact cleaner 350g".
fn spelled_first(text: &str) -> Option<Requirement> {
    let (n, rest) = quantity::spelled_first(text)?;
    described(rest.trim_end_matches('.'), Quantity::parse(&n.to_string()).ok()?)
}

/// "floor squeegee plastic 22\" C036 w handle - 6", "nylon broom ...... 10".
fn figure_last(text: &str) -> Option<Requirement> {
    let c = FIGURE_LAST.captures(text)?;
    let d = c.name("d")?.as_str().trim();
    let last = d.split_whitespace().last()?.to_ascii_lowercase();
    let last = last.trim_matches(|c: char| !c.is_alphanumeric());
    if NOT_ITEM_BEFORE.contains(&last) || lines::is_attribute(d) || d.contains(':') || TOTAL.is_match(d) {
        return None;
    }
    let letter_words = d
        .split_whitespace()
        .filter(|w| w.chars().filter(|c| c.is_alphabetic()).count() >= 2);
    if letter_words.count() < 2 {
        return None;
    }
    Requirement::new(d, Quantity::parse(&c["q"]).ok()?, "pcs")
}

/// "ace helmet yellow 30": a count after the description with nothing between but a space.
fn bare_last(text: &str) -> Option<Requirement> {
    let c = BARE_LAST.captures(text)?;
    let d = c.name("d")?.as_str().trim();
    let last = d.split_whitespace().last()?.to_ascii_lowercase();
    let last_word = last.trim_matches(|c: char| !c.is_alphanumeric());
    // a word in quotes or brackets is no label ("'Caution Wet Floor' 6")
    let quoted = last.ends_with(['\'', '"', ')', '’', '”']);
    // a dimension or range ("4 x 8", "10-20"), a label's value, a row of figures ("12 24
    // 36"; "1100 200" is a model and a count)
    if last.ends_with(['-', '/', ':', '#', '=', '+'])
        || NOT_COUNT_BEFORE.contains(&last_word)
        || (NOT_ITEM_BEFORE.contains(&last_word) && !quoted)
        || lines::is_attribute(d)
        || d.contains(':')
        || TOTAL.is_match(d)
        || d.split_whitespace()
            .rev()
            .take(2)
            .all(|w| w.chars().all(|c| c.is_ascii_digit() || c == ','))
    {
        return None;
    }
    let letter_words = d
        .split_whitespace()
        .filter(|w| w.chars().filter(|c| c.is_alphabetic()).count() >= 2)
        .count();
    if letter_words < 2 {
        return None;
    }
    Requirement::new(d, Quantity::parse(&c["q"]).ok()?, "pcs")
}

/// The description after a leading quantity, unless its first word makes the number a date,
/// a time, a size or a term ("15 March", "3 days", "20 mm thick").
fn described(d: &str, quantity: Quantity) -> Option<Requirement> {
    let first = d.split_whitespace().next()?;
    // "sheets/ream": a unit of the pack, not a description
    let word = first
        .split(|c: char| !c.is_alphanumeric() && c != '%')
        .find(|w| !w.is_empty())
        .unwrap_or("")
        .to_ascii_lowercase();
    if word.is_empty()
        || NOT_ITEM_AFTER.contains(&word.as_str())
        || lines::is_term(&word)
        || crate::catalog::search::units::measure(&word).is_some()
        || units::canonical(&word).is_some()
        || matches!(word.as_str(), "x" | "×")
    {
        return None;
    }
    // a word of letters somewhere: "6 Ingco …", "20 3M 1110 earplugs"
    if !d
        .split_whitespace()
        .any(|w| w.chars().filter(|c| c.is_alphabetic()).count() >= 3)
    {
        return None;
    }
    // "telescopic pole, 2 section, 3.6 m": a count of more than one before a lone singular
    // noun is a compound ("2-section", "3-phase", "4-wheel"), not so many of it
    if let [word] = d.split_whitespace().collect::<Vec<_>>().as_slice()
        && quantity.value() > rust_decimal::Decimal::ONE
        && !word.to_ascii_lowercase().ends_with('s')
    {
        return None;
    }
    Requirement::new(d, quantity, "pcs")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(line: &str) -> Option<(String, String)> {
        weak_item(line).map(|r| (r.description, r.quantity.to_string()))
    }

    fn some(d: &str, q: &str) -> Option<(String, String)> {
        Some((d.into(), q.into()))
    }

    #[test]
    fn a_count_before_a_sentence_about_things_is_no_item() {
        assert_eq!(w("Six trolleys are due for wheel replacement."), None);
        assert_eq!(w("3 pallets were damaged in transit"), None);
        assert_eq!(w("six trolley wheels 200mm"), some("trolley wheels 200mm", "6"));
    }

    #[test]
    fn a_count_before_a_lone_singular_noun_is_a_compound() {
        assert_eq!(w("2 section"), None);
        assert_eq!(w("3 ply"), None);
        assert_eq!(w("4 mop buckets"), some("mop buckets", "4"));
    }

    #[test]
    fn a_quantity_without_a_unit_before_or_after_the_description() {
        assert_eq!(
            w("• 6 Ingco 4V cordless screwdriver c/w 10 bits (CSDLI0401)"),
            some("Ingco 4V cordless screwdriver c/w 10 bits (CSDLI0401)", "6")
        );
        assert_eq!(w("also a dozen toilet brushes"), some("toilet brushes", "12"));
        assert_eq!(
            w("need these by Fri if can: twelve Rexco 50 lubricant 500ml"),
            some("Rexco 50 lubricant 500ml", "12")
        );
        assert_eq!(
            w("We'd like 3 single mop trolleys 20L"),
            some("single mop trolleys 20L", "3")
        );
        assert_eq!(
            w("- floor squeegee plastic 22\" C036 w handle - 6"),
            some("floor squeegee plastic 22\" C036 w handle", "6")
        );
        assert_eq!(
            w("nylon broom with handle ...... 10"),
            some("nylon broom with handle", "10")
        );
        assert_eq!(w("kitchen degreaser spray (6)"), some("kitchen degreaser spray", "6"));
        assert_eq!(
            w("twenty 3M 1110 corded earplugs"),
            some("3M 1110 corded earplugs", "20")
        );
        assert_eq!(
            w("Haws 7500 portable eyewash -- 2"),
            some("Haws 7500 portable eyewash", "2")
        );
        assert_eq!(
            w("N95 disposable respirators --> 300"),
            some("N95 disposable respirators", "300")
        );
        assert_eq!(w("ace helmet yellow 30"), some("ace helmet yellow", "30"));
        assert_eq!(w("3m foam earplug 1100 200"), some("3m foam earplug 1100", "200"));
    }

    #[test]
    fn dates_addresses_labels_and_terms_are_no_weak_items() {
        for s in [
            "15 March 2026",
            "30 days credit",
            "2026 budget for consumables",
            "Tel - 6778",
            "Level: 3",
            "Page - 2",
            "Delivery: 2",
            "20 mm thick plate",
            "one of our sites",
            "9123 4567",
            "Sizes: S - 2",
            "3 x",
            "Bay 4 - 2",
            "2 inch swivel castor with brake",
            "500 sheets/ream if you have",
            "TOTAL QUANTITY - 120",
            "Total line items - 8",
            "No. of items ..... 7",
            "Our workshop: 5 Ang Mo Kio Industrial Park 2A, #03-12 AMK Tech II, S(567760).",
            "12 Tuas Avenue 5, Singapore 639340",
            "Site office - 3 Jalan Kilang, #02-11 Kilang Building",
            "stainless steel grade 304",
            "safety boots UK 8",
            "Tampines Ave 5",
            "plywood 4 x 8",
            "figures 12 24 36",
            "see you at 10",
        ] {
            assert_eq!(w(s), None, "{s}");
        }
    }
}
