//! Item lines in running text, in the many ways buyers write them:
//! "1. desc - 20 pcs", "desc x 20", "desc (qty: 20 pcs)", "- 4 ea desc", "(3) 4 pcs of desc",
//! "need 20 pcs of desc", "Item: desc; Qty: 20". A quantity needs a unit of count or an
//! explicit marker (x, Qty) so that phone numbers, dates, sizes and budgets are not items.

use std::sync::LazyLock;

use regex::{Captures, Regex};

use super::{Requirement, units};
use crate::domain::Quantity;

/// A quantity: "1,000", "1 000" is not accepted in lines (ambiguous), "2.5".
const NUM: &str = r"(?P<q>\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)";
/// A unit word (checked against the unit table afterwards).
const UNIT: &str = r"(?P<u>[A-Za-z]{1,8}\.?)";

static MARKER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?ix)^\s*(?:
            [-–•*·▪◦►>]+ |
            \(?\d{1,3}[.)]\)? |
            \(\d{1,3}\) |
            [a-h][.)] |
            (?:item|line|s/?n|no\.?)\s*\#?\s*\d{1,3}\s*[:.)-]
        )\s+",
    )
    .expect("regex")
});

static PATTERNS: LazyLock<Vec<(Regex, UnitRule)>> = LazyLock::new(|| {
    let p = |re: String, rule| (Regex::new(&re).expect("regex"), rule);
    vec![
        // "Item: desc; Qty: 20; Unit: pcs"
        p(
            format!(
                r"(?i)^(?:item|description|product|material)\s*[:=]\s*(?P<d>.+?)\s*[;,|]\s*(?:qty|quantity|q'ty)\s*[:=]?\s*{NUM}\s*(?:{UNIT})?\s*(?:[;,|]\s*(?:unit|uom)\s*[:=]\s*(?P<u2>[A-Za-z]+))?\s*$"
            ),
            UnitRule::Optional,
        ),
        // "desc (qty: 10 pcs)" / "desc [Qty 10]"
        p(
            format!(r"(?i)^(?P<d>.+?)\s*[(\[]\s*(?:qty|quantity|q'ty)\s*[:.=]?\s*{NUM}\s*(?:{UNIT})?\s*[)\]]\s*\.?$"),
            UnitRule::OptionalWithMeasures,
        ),
        // "desc - Qty: 10 pcs" / "desc, quantity 10"
        p(
            format!(r"(?i)^(?P<d>.+?)\s*[-–—,;:|]?\s*\b(?:qty|quantity|q'ty)\s*[:.=]?\s*{NUM}\s*(?:{UNIT})?\s*\.?$"),
            UnitRule::OptionalWithMeasures,
        ),
        // "desc x 10 nos" / "desc x10"
        p(
            format!(r"(?i)^(?P<d>.+?)\s+[x×]\s*{NUM}\s*(?:{UNIT})?\s*\.?$"),
            UnitRule::Optional,
        ),
        // "desc - 100 sets" / "desc: 100 sets" / "desc .... 100 sets"
        p(
            format!(r"(?i)^(?P<d>.+?)\s*(?:\s[-–—=]|:|\.{{2,}}|\t)\s*{NUM}\s*{UNIT}\s*\.?$"),
            UnitRule::Required,
        ),
        // "desc 20 pcs"
        p(format!(r"(?i)^(?P<d>.+?)\s+{NUM}\s*{UNIT}\s*\.?$"), UnitRule::Required),
        // "Qty 20 pcs desc" / "need 20 pcs of desc" / "please supply 20 units desc"
        p(
            format!(
                r"(?i)^(?:(?:(?:also|and|plus|additionally|in\s+addition)[,]?\s+)?(?:(?:we|i)\s+(?:also\s+|will\s+|would\s+)?)?(?:please\s+|kindly\s+|pls\s+)?(?:need|require|want|supply|send|quote|provide|order)(?:\s+us)?(?:\s+for)?|qty|quantity|q'ty)\s*[:.=]?\s*{NUM}\s*(?:{UNIT}\s+)?(?:of\s+|x\s+|[-–:]\s*)?(?P<d>.+?)\.?$"
            ),
            UnitRule::Optional,
        ),
        // "4 ea desc" / "4 pcs of desc" / "4 pcs - desc"
        p(
            format!(r"(?i)^{NUM}\s*{UNIT}\s+(?:of\s+|x\s+|[-–:]\s*)?(?P<d>.+)$"),
            UnitRule::Required,
        ),
        // "20 x desc"
        p(format!(r"(?i)^{NUM}\s*[x×]\s+(?P<d>.+)$"), UnitRule::Optional),
    ]
});

#[derive(Clone, Copy, PartialEq, Eq)]
enum UnitRule {
    /// A unit of count must follow the number.
    Required,
    /// The number is marked as a quantity (x, Qty); a unit of count may follow.
    Optional,
    /// Marked by "Qty": a measure unit (m, kg, l) is believable too.
    OptionalWithMeasures,
}

/// Reads one line as an item, if it is one.
pub(super) fn item(line: &str) -> Option<Requirement> {
    let text = MARKER.replace(line.trim(), "");
    let text = text.trim();
    if text.len() < 3 {
        return None;
    }
    PATTERNS
        .iter()
        .find_map(|(re, rule)| re.captures(text).and_then(|c| accept(&c, *rule)))
}

fn accept(c: &Captures<'_>, rule: UnitRule) -> Option<Requirement> {
    let quantity = Quantity::parse(c.name("q")?.as_str()).ok()?;
    let unit_word = c.name("u2").or_else(|| c.name("u")).map(|m| m.as_str());
    let unit = match (unit_word, rule) {
        (Some(w), UnitRule::OptionalWithMeasures) => units::canonical_any(w)?,
        (Some(w), _) => units::canonical(w)?,
        (None, UnitRule::Required) => return None,
        (None, _) => "pcs",
    };
    let description = c.name("d")?.as_str();
    // A description that is only a number or a date fragment is not an item.
    if description
        .split_whitespace()
        .all(|w| w.chars().all(|ch| !ch.is_alphabetic()))
    {
        return None;
    }
    Requirement::new(description, quantity, unit)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(line: &str) -> Option<(String, String, String)> {
        item(line).map(|r| (r.description, r.quantity.to_string(), r.unit))
    }

    fn some(d: &str, q: &str, u: &str) -> Option<(String, String, String)> {
        Some((d.into(), q.into(), u.into()))
    }

    #[test]
    fn the_many_ways_of_writing_an_item() {
        assert_eq!(
            r("1. MAKITA VACUUM DVC151LZ (qty: 10 pcs)"),
            some("MAKITA VACUUM DVC151LZ", "10", "pcs")
        );
        assert_eq!(
            r("- 4 ea Stanley Cutting Disc 4Inx2.5Mm-Sta4520Fa"),
            some("Stanley Cutting Disc 4Inx2.5Mm-Sta4520Fa", "4", "ea")
        );
        assert_eq!(
            r("3) Instant Glue 1Oz (3M Or Equivalent) x 10 nos"),
            some("Instant Glue 1Oz (3M Or Equivalent)", "10", "nos")
        );
        assert_eq!(
            r("4. SPRAY CAN WSD 400 - 100 sets"),
            some("SPRAY CAN WSD 400", "100", "sets")
        );
        assert_eq!(
            r("18. crack testing agent 500ml - 1,000 nos"),
            some("crack testing agent 500ml", "1000", "nos")
        );
        assert_eq!(r("Gloves x 20"), some("Gloves", "20", "pcs"));
        assert_eq!(r("(3) 4 pcs of nitrile gloves"), some("nitrile gloves", "4", "pcs"));
        assert_eq!(
            r("We need 20 pcs of safety helmets"),
            some("safety helmets", "20", "pcs")
        );
        assert_eq!(r("Qty 20 - toilet brush"), some("toilet brush", "20", "pcs"));
        assert_eq!(
            r("Also need 3 sets of allen keys (metric)."),
            some("allen keys (metric)", "3", "sets")
        );
        assert_eq!(r("And we need 4 units of ladder 6ft"), some("ladder 6ft", "4", "units"));
        assert_eq!(r("Item: Mop head; Qty: 5; Unit: sets"), some("Mop head", "5", "sets"));
        assert_eq!(r("Hose reel 15M - Qty: 2 rolls"), some("Hose reel 15M", "2", "rolls"));
        assert_eq!(r("20 x Gloves, nitrile"), some("Gloves, nitrile", "20", "pcs"));
        assert_eq!(r("Ear plugs 50 PRS"), some("Ear plugs", "50", "pairs"));
    }

    #[test]
    fn a_number_in_the_description_is_not_the_quantity() {
        assert_eq!(
            r("8. 2 Wheeled Bin 80L 480W X 560D (Mgb80L) Green - 12 ea"),
            some("2 Wheeled Bin 80L 480W X 560D (Mgb80L) Green", "12", "ea")
        );
        assert_eq!(
            r("Pu Air Tubing Hose Black 4Mm - Meter x 20 nos"),
            some("Pu Air Tubing Hose Black 4Mm - Meter", "20", "nos")
        );
        assert_eq!(
            r("weicon bio-cut 5 l (qty: 48 pcs)"),
            some("weicon bio-cut 5 l", "48", "pcs")
        );
    }

    #[test]
    fn noise_is_not_an_item() {
        for line in [
            "Contact: Farah Aziz, +65 68812311",
            "Delivery to: 21 Tuas Avenue 3, Singapore 639420 (Gate 2, 8am-5pm)",
            "Budget approved up to SGD 52,000. Payment 30 days.",
            "Please quote by 24 Jan 2027; delivery within 14 days of PO.",
            "Dear Sales Team,",
            "Reference: RFQ-6933/2026 Closing date: 09 Dec 2026",
            "Tel: 6123 4567",
            "Weicon Citrus Cleaner 28 L",
            "Air hose 15 m",
        ] {
            assert_eq!(r(line), None, "{line}");
        }
    }
}
