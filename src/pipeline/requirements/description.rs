//! The description of an item read from a line, without what the buyer wrote around it: a
//! label ("Item:"), the words joining it to the sentence and asking for it ("And", "We also
//! need"), a line number, a purpose ("For the laundry:", "… for the new site"), the buyer's
//! own item code; and no description at all when what is left is a size, a quantity or a
//! number.

use std::sync::LazyLock;

use regex::Regex;

use super::lines::{DESCRIPTION_LABEL, JOINERS, QUANTITY_WORDS};
use super::{quantity, remarks, units};

/// A sentence's opening that asks for what follows, before a description: "We also need",
/// "I would like", "Could you also quote us for", "Please include". Narrower than `LEAD_IN`,
/// whose bare verbs ("order", "supply") begin product names too ("supply hose").
static ASKING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?ix)^\s*(?:(?:and|also|so|then|oh)[,]?\s+)*
        (?:
            (?:we|i)\s+(?:(?:would|will|'d|’d|do|also|still|shall|really|urgently|additionally)\s+)*
                (?:need|require|want|like)(?:\s+to\s+(?:order|buy|get|have))?
          | (?:could|can|would)\s+(?:you\s+)?(?:(?:also|please|kindly|help\s+to)\s+)*(?:quote|supply|send|provide|add|include)(?:\s+(?:us|me))?(?:\s+for)?
          | (?:we|i)\s+(?:currently\s+|also\s+)?(?:use|are\s+using|have)\s+the
          | (?:please|pls|kindly)\s+(?:also\s+)?(?:quote|supply|include|add|send|provide)(?:\s+(?:us|me))?(?:\s+for)?
          | (?:our|my|the)\s+(?:[a-z]+\s+){0,3}?(?:has\s+|have\s+)?(?:also\s+)?(?:asked|requested)\s+for
        )\s+",
    )
    .expect("regex")
});

/// A line number with a leading zero ("05 "), a line number and the buyer's code ("6 SG-4106 …",
/// a one-row section of an aligned table read as a line), or a purpose before a colon ("For the
/// laundry:"), at the start of a description.
static NUMBERED_OR_FOR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^\s*(?:0[1-9]\d?\s+|\d{1,3}\s+[a-z]{1,6}[-/]?\d{3,}[a-z]?\s+|(?:for|to)\s+(?:the|our|my|your)\s+[^:\d]{1,30}:\s*)",
    )
    .expect("regex")
});

/// A description that ends in a quantity and its unit after a dash or colon ("— 60 tubes").
static ENDS_IN_QUANTITY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\s[-–—:]\s*\d[\d,]*\s*(?P<u>[a-z]{2,8})\.?$").expect("regex"));

/// The description of an item line as the catalog should see it; None when it is no
/// description.
pub(super) fn of_item(mut description: &str) -> Option<&str> {
    // "Item: Goo Gone 16 oz      Qty: 6": the label is no part of the description
    if let Some(label) = DESCRIPTION_LABEL.find(description)
        && description[label.end()..].chars().any(char::is_alphabetic)
    {
        description = &description[label.end()..];
    }
    // "And Magiclean floor cleaner 2L, 30 bottles", "We also need Bosch jigsaw GST 700 x 2":
    // the joining word and the request verb; "05 Pferd flap wheel …": a line number written
    // with a leading zero (a quantity is never written so); "For the laundry: Top detergent
    // …": a purpose before a colon. None of them is part of the description.
    for opening in [&*JOINERS, &*ASKING, &*NUMBERED_OR_FOR] {
        if let Some(m) = opening.find(description)
            && description[m.end()..].split_whitespace().count() >= 2
        {
            description = &description[m.end()..];
        }
    }
    // "… wet floor signs for the new site at Changi": the purpose is no part of it
    description = remarks::without_remark_in_description(description);
    // '4" cutting disc': a figure with an inch or foot mark is a size, and a description that
    // still ends in a quantity ("Dowsil 791 — 60 tubes (2 cartons)") is read another way
    // ('"Caution wet floor" sign board' opens a quotation: a letter follows the mark)
    let mut chars = description.chars();
    let inch_mark = chars.next().is_some_and(|c| matches!(c, '"' | '\'' | '”' | '″' | '′'))
        && !chars.next().is_some_and(char::is_alphabetic);
    if inch_mark
        || ENDS_IN_QUANTITY
            .captures(description)
            .is_some_and(|c| units::canonical(&c["u"]).is_some())
    {
        return None;
    }
    // "Quantity: 60 pcs" on its own is a quantity without a description, not an item called
    // "Quantity" or "pcs".
    if QUANTITY_WORDS.is_match(description) || units::canonical(description).is_some() {
        return None;
    }
    // A description that is only a number or a date fragment is not an item, nor one that is
    // only a size ("3 x 25.4 mm", the rest of "disc 405 x 3 x 25.4 mm" after a comma).
    if description
        .split_whitespace()
        .all(|w| w.chars().all(|ch| !ch.is_alphabetic()) || is_size_word(w))
        && !super::maker_and_model(description)
    {
        return None;
    }
    Some(without_item_codes(description))
}

/// A dimension's "x", a unit of measure, or a figure with one ("25.4mm", "mm", "x").
/// How many words (three characters or more, or with a figure) two descriptions share, in
/// any case: the long text under an ERP's short text repeats it.
pub(super) fn shared_words(a: &str, b: &str) -> usize {
    const COMMON: [&str; 8] = ["and", "for", "the", "with", "c/w", "per", "size", "type"];
    let words = |s: &str| -> std::collections::HashSet<String> {
        s.split(|c: char| !(c.is_alphanumeric() || c == '/'))
            .map(str::to_lowercase)
            .filter(|w| {
                (w.chars().count() >= 3 || w.chars().any(|c| c.is_ascii_digit())) && !COMMON.contains(&w.as_str())
            })
            .collect()
    };
    words(a).intersection(&words(b)).count()
}

/// An ERP's short text: capitals, the noun first and its qualifiers after commas without
/// spaces ("REEL,AIR HOSE,RETRACT,15M", "GLOVE,CHEM,NITRILE,GRN,33CM").
pub(super) fn erp_short_text(s: &str) -> bool {
    !s.chars().any(char::is_lowercase) && s.matches(',').count() >= 2 && !s.contains(", ")
}

fn is_size_word(word: &str) -> bool {
    let w = word.trim_matches(|c: char| matches!(c, ',' | '.' | '(' | ')'));
    let unit = w.trim_start_matches(|c: char| c.is_ascii_digit() || c == '.' || c == '/');
    matches!(unit, "x" | "X" | "×") || crate::catalog::search::units::measure(&unit.to_ascii_lowercase()).is_some()
}

/// The description without the buyer's own item or material code written before or after
/// it ("MAT-100234 Hex bolt M10", "Hex bolt M10 4000123456"): such codes mean nothing to the
/// catalog. Model numbers ("DVC151LZ", "W3000-10") have fewer digits and stay, and so does a
/// maker's code at the end ("… jumbo roll tissue KC06511", "… WypAll X60 93495").
pub(super) fn without_item_codes(description: &str) -> &str {
    let mut d = description.trim();
    let words = |s: &str| {
        s.split_whitespace()
            .filter(|w| w.chars().filter(|c| c.is_alphabetic()).count() >= 2)
            .count()
    };
    if let Some((first, rest)) = d.split_once(char::is_whitespace)
        && quantity::is_item_code(first)
        && words(rest) >= 2
    {
        d = rest.trim_start();
    }
    if let Some((rest, last)) = d.rsplit_once(char::is_whitespace)
        && quantity::is_trailing_item_code(last)
        && words(rest) >= 2
    {
        d = rest.trim_end();
    }
    d
}
