//! What a buyer writes around an item that is no part of it: remarks after the quantity (a
//! bracket with the buyer's own words, whom or where it is for, courtesy and urgency), and the
//! words before a quantity given in a clause of its own ("say 5 boxes", "We would take 24
//! bottles").

use std::sync::LazyLock;

use regex::Regex;

use super::{quantity, units};

/// What a buyer writes after an item that is no part of it, at the end of the text: a
/// remark in brackets ("(we have batteries)", "(site runs on 110V transformers)"), whom or
/// where it is for ("for the pool area", "for our site team at Tuas"), courtesy and urgency
/// ("please", "urgently", "if possible"). A bracket that names the product ("(C048)",
/// "(3M or equivalent)") and a purpose with a figure ("for the Makita DGA404") stay.
static REMARK_TAIL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?ix)(?:
            \s*[(\[](?P<b>[^()\[\]]{3,})[)\]]
          | [,;]?\s+(?P<p>(?:for|to|at)\s+(?:the|our|your|their|my|this|that|these|those|every|use\s+(?:at|in|on|by))\s+[^()\d,;]*)
          | (?:\s+[-–—]\s*|[,;]?\s+)(?:please|pls|plz|kindly|thanks|thx|tq|thank\s+you|asap|also|too|as\s+well|urgent|urgently|if\s+possible|if\s+available|as\s+usual|as\s+before
                     |same\s+as\s+(?:last\s+(?:time|order|round|month)|before|previous(?:\s+order)?|usual|the\s+last\s+(?:one|order))
                     |if\s+in\s+stock|if\s+(?:you|u)\s+(?:have|carry|stock)(?:\s+(?:it|them|one))?
                     |any\s+(?:make|brand|colou?r|model|supplier|manufacturer)(?:\s+(?:ok|okay|is\s+ok|is\s+fine|fine|also\s+can|can|will\s+do))?)
        )\s*[.!…]*\s*$",
    )
    .expect("regex")
});

/// Words that make a bracket a remark of the buyer's rather than part of the product's
/// name: pronouns, verbs, "site", "existing", "replacement".
const REMARK_WORDS: &[&str] = &[
    "we",
    "our",
    "us",
    "i",
    "my",
    "you",
    "your",
    "site",
    "please",
    "pls",
    "will",
    "is",
    "are",
    "was",
    "were",
    "have",
    "has",
    "had",
    "need",
    "needs",
    "existing",
    "spare",
    "replacement",
    "replacements",
    "same",
    "previous",
    "last",
    "asap",
    "urgent",
    "already",
    "tbc",
    "see",
    "refer",
    "attached",
    "optional",
    "if",
];

/// Places and people an item is for: a purpose tail naming one ("for the pool area", "for
/// our site team") is the buyer's remark; one naming a product ("for the Makita grinder")
/// says what the item fits and stays in a description.
const PLACE_WORDS: &[&str] = &[
    "site",
    "sites",
    "area",
    "areas",
    "office",
    "team",
    "teams",
    "store",
    "stores",
    "stall",
    "stalls",
    "kitchen",
    "pantry",
    "lobby",
    "lane",
    "deck",
    "centre",
    "center",
    "corridor",
    "entrance",
    "reception",
    "basement",
    "rooftop",
    "residents",
    "tenants",
    "estate",
    "gym",
    "toilet",
    "toilets",
    "workshop",
    "staff",
    "workers",
    "contractor",
    "contractors",
    "project",
    "department",
    "building",
    "block",
    "yard",
    "warehouse",
    "canteen",
    "guardhouse",
    "pool",
    "carpark",
    "bay",
    "plant",
    "factory",
    "farm",
    "school",
    "hotel",
    "clinic",
    "ward",
    "rooms",
    "room",
    "floors",
    "level",
    "levels",
    "premises",
    "branch",
    "outlet",
    "outlets",
    "crew",
    "cleaners",
    "housekeeping",
    "maintenance",
    "use",
    "stock",
    "restock",
    "quarter",
    "month",
    "year",
    "event",
    "renovation",
];

/// The text without the remarks a buyer wrote after the item (`REMARK_TAIL`), when words of
/// the item are left.
pub(super) fn without_remark(text: &str) -> &str {
    strip_remarks(text, false)
}

/// `without_remark` for a description read whole: a purpose is a remark only when it names a
/// place or people (`PLACE_WORDS`).
pub(super) fn without_remark_in_description(text: &str) -> &str {
    strip_remarks(text, true)
}

/// A bracket of prose, not of the product's name: eight words or more, or, without figures,
/// five words or clauses of four ("(genset room, SCDF audit)"); a product's bracket is
/// short or gives its figures ("(3M or equivalent)", "(with 2 x 3.0Ah batteries and
/// charger)", "(100/roll)").
fn is_prose(bracket: &str) -> bool {
    let words = bracket
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| w.chars().any(char::is_alphabetic) && !w.chars().any(|c| c.is_ascii_digit()))
        .count();
    let figures = bracket.chars().any(|c| c.is_ascii_digit());
    words >= 8 || (!figures && (words >= 5 || (bracket.contains(',') && words >= 4)))
}

/// Whether `text` has one of `words` (lower case) as a word.
fn names_any(text: &str, words: &[&str]) -> bool {
    text.to_ascii_lowercase()
        .split(|ch: char| !ch.is_ascii_alphabetic())
        .any(|w| words.contains(&w) || singular(w).is_some_and(|s| words.contains(&s.as_str())))
}

/// An English plural's singular ("lobbies" → "lobby", "lanes" → "lane"); None for a word
/// that is no plural.
fn singular(word: &str) -> Option<String> {
    if let Some(stem) = word.strip_suffix("ies") {
        return Some(format!("{stem}y"));
    }
    word.strip_suffix('s')
        .filter(|s| s.len() >= 3 && !s.ends_with('s'))
        .map(str::to_string)
}

fn strip_remarks(text: &str, places_only: bool) -> &str {
    let mut t = text.trim_end();
    while let Some(c) = REMARK_TAIL.captures(t) {
        let whole = c.get(0).map_or(0..0, |m| m.range());
        // a bracket is a remark in the buyer's words; a purpose in a description read whole
        // only when it names a place or people
        let remark = match (c.name("b"), c.name("p")) {
            (Some(b), _) => names_any(b.as_str(), REMARK_WORDS) || is_prose(b.as_str()),
            (None, Some(p)) if places_only => names_any(p.as_str(), PLACE_WORDS),
            _ => true,
        };
        if !remark {
            break;
        }
        let rest = t[..whole.start].trim_end();
        if !rest.chars().any(char::is_alphabetic) {
            break;
        }
        t = rest;
    }
    t
}

/// Words before a quantity that stands in a clause of its own: "say 5 boxes", "we would take
/// 24 bottles", "about 30 pcs", "any make ...... 24 units".
static QUANTITY_OPENING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^\s*(?:(?:(?:we|i)\s+)?(?:(?:would|will|'d|’d|shall|can|also)\s+)*(?:take|need|require|want|order)|say|about|approx\.?|approximately|around|roughly|maybe|qty|quantity|any\s+(?:make|brand|colou?r|model|supplier|manufacturer)(?:\s*(?:[-–—:]|\.{2,}))?)\s*:?\s+",
    )
    .expect("regex")
});

/// A clause that only gives a quantity and its unit of count, for the clause before it:
/// "24 pcs", "say 5 boxes", "We would take 24 bottles", "30 bottles please". The quantity as
/// it can follow a description.
pub(super) fn quantity_only(clause: &str) -> Option<&str> {
    static LABELLED: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?i)^\s*(?:qty|quantity)\s*[:.=]?\s*\d").expect("regex"));
    let whole = without_remark(clause);
    let t = match QUANTITY_OPENING.find(whole) {
        Some(m) => &whole[m.end()..],
        None => whole,
    };
    let t = t.trim().trim_end_matches(['.', '!']);
    // "qty: 30": the label says it is the count, with or without a unit
    if LABELLED.is_match(whole) && quantity::cell(t).is_some() {
        return Some(whole.trim().trim_end_matches(['.', '!']));
    }
    quantity::cell(t)
        .is_some_and(|(_, u)| u.is_some_and(|u| units::canonical(u).is_some()))
        .then_some(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_clause_of_only_a_quantity() {
        assert_eq!(quantity_only("We would take 24 bottles."), Some("24 bottles"));
        assert_eq!(quantity_only("say 5 boxes please"), Some("5 boxes"));
        assert_eq!(quantity_only("about 30 pcs"), Some("30 pcs"));
        assert_eq!(quantity_only("any make ........ 24 units"), Some("24 units"));
        assert_eq!(quantity_only("any brand - 6 pcs"), Some("6 pcs"));
        assert_eq!(quantity_only("we need them by Friday"), None);
        assert_eq!(quantity_only("10 Bayfront Avenue"), None);
        assert_eq!(quantity_only("qty: 30."), Some("qty: 30"));
        assert_eq!(quantity_only("Level 30"), None);
    }

    #[test]
    fn a_bracket_is_a_remark_only_in_the_buyers_words() {
        assert_eq!(without_remark("Drill x 2 (we have batteries)"), "Drill x 2");
        assert_eq!(
            without_remark("MSA helmet white – 15nos – same as last time"),
            "MSA helmet white – 15nos"
        );
        assert_eq!(without_remark("silicone spray - any brand ok"), "silicone spray");
        assert_eq!(without_remark("Nitto 20PF x 20 also"), "Nitto 20PF x 20");
        assert_eq!(
            without_remark("corded ear plugs - 5 box (any brand ok, must be SS/CE marked)"),
            "corded ear plugs - 5 box"
        );
        assert_eq!(
            without_remark("OSS oil/fuel spill kit 20L pail (genset room, SCDF audit)"),
            "OSS oil/fuel spill kit 20L pail"
        );
        assert_eq!(
            without_remark("Makita hammer drill (with 2 x 3.0Ah batteries and charger)"),
            "Makita hammer drill (with 2 x 3.0Ah batteries and charger)"
        );
        assert_eq!(
            without_remark("Glue x 10 (3M or equivalent)"),
            "Glue x 10 (3M or equivalent)"
        );
        assert_eq!(
            without_remark_in_description("spare blades for the Stanley knife"),
            "spare blades for the Stanley knife"
        );
        assert_eq!(
            without_remark_in_description("wet floor signs for the new site at Changi"),
            "wet floor signs"
        );
        assert_eq!(
            without_remark_in_description("pressure washer for the back lanes"),
            "pressure washer"
        );
        assert_eq!(
            without_remark_in_description("open top bins for the lift lobbies"),
            "open top bins"
        );
    }
}
