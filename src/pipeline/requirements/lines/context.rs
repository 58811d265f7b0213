//! What a line that is not an item says for the lines after it: a description, an
//! attribute, a line of a specification, or nothing.

use std::sync::LazyLock;

use regex::Regex;

use super::super::{Requirement, quantity, remarks, units};
use super::{ATTRIBUTE_LABEL, DESCRIPTION_LABEL, MAKER_LABEL, MARKER, QUANTITY_WORDS};

/// What a line that is not an item says for the line after it.
#[derive(Debug, PartialEq, Eq)]
pub(in crate::pipeline::requirements) enum Context {
    /// Text that may be the description of a quantity given on a later line.
    Description(String),
    /// An attribute ("Brand: 3M", "Colour: red") between a description and its quantity;
    /// with the value that names the product ("3M", "M1901G"), to be joined to the
    /// description.
    Attribute(Option<String>),
    /// A line of the item's specification ("Voltage: 18V Li-ion", "Colour: Blue", "Chuck:
    /// 13mm keyless"): joined to the description it follows, as written.
    Spec(String),
    /// Anything else.
    Other,
}

/// "Label: value", a label of one to four words without figures ("Make/Model:", "Max.
/// drilling dia.:", "Colour:"): a line of an item's specification. Labels of the request's
/// administration ("Ship to:", "Need by:", "Account:") are no part of it.
static SPEC_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?P<label>[A-Za-z][A-Za-z.'/&()-]*(?:\s+[A-Za-z.'/&()-]+){0,3})\s*:\s*(?P<value>\S.{0,119})$")
        .expect("regex")
});
static ADMIN_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(?:ship(?:ping)?|deliver\w*|need(?:ed)?|required\s+by|due|date|account|cost|plant|storage|requisition\w*|req|requisnr|po|pr|contact|tel|telephone|phone|mobile|fax|e-?mail|attn|attention|address|remarks?|notes?|comments?|buyer|requester|requestor|budget|site|location|dept|department|currency|tax|gst|terms?|payment|validity|lead|reference|ref|tracking|unit|uom|packaging\s+unit|code|stock|price|rate|amount|total|page|closing|subject|from|to|cc)\b",
    )
    .expect("regex")
});

/// A line that begins an item of a numbered list or schedule ("Item 2: …", "3.1 …", "4) …").
pub(in crate::pipeline::requirements) fn begins_item(line: &str) -> bool {
    static ITEM_START: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)^\s*(?:(?:item|line|lot|no\.?)\s*\d{1,3}(?:\.\d{1,3})*\b|\(?\d{1,3}(?:\.\d{1,3})*[.):]\s|\d{1,3}(?:\.\d{1,3})+\s)")
            .expect("regex")
    });
    ITEM_START.is_match(line)
}

/// Whether a line counts something in a unit of count: "5 pcs", "20 prs", "x 12 nos".
pub(in crate::pipeline::requirements) fn counts_something(line: &str) -> bool {
    static COUNT: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?i)\b\d+(?:\.\d+)?\s*(?P<u>[a-z]{1,8})\b\.?").expect("regex"));
    COUNT.captures_iter(line).any(|c| units::canonical(&c["u"]).is_some())
}

/// Whether a line begins with a word of the request's administration ("Delivery date …",
/// "Plant 3100", "Ship to …").
pub(in crate::pipeline::requirements) fn begins_admin(line: &str) -> bool {
    let head: Vec<&str> = line.split_whitespace().take(2).collect();
    ADMIN_LABEL.is_match(&head.join(" "))
}

/// A line of an item's specification, or None.
fn spec_line(text: &str) -> Option<String> {
    let c = SPEC_LINE.captures(text.trim())?;
    let label = &c["label"];
    if ADMIN_LABEL.is_match(label) || QUANTITY_WORDS.is_match(label) || quantity::labelled(text).is_some() {
        return None;
    }
    Some(text.trim().to_string())
}

/// Reads a line that is not an item: a possible description (marker and label removed).
pub(in crate::pipeline::requirements) fn context(line: &str) -> Context {
    let text = MARKER.replace(line.trim(), "");
    if ATTRIBUTE_LABEL.is_match(&text) {
        let maker = MAKER_LABEL.captures(&text).map(|c| c["v"].to_string()).filter(|v| {
            !matches!(
                v.to_ascii_lowercase().as_str(),
                "-" | "n/a" | "na" | "nil" | "any" | "tbc" | "tba"
            )
        });
        if maker.is_none()
            && let Some(spec) = spec_line(&text)
        {
            return Context::Spec(spec);
        }
        return Context::Attribute(maker);
    }
    if !DESCRIPTION_LABEL.is_match(&text) {
        if let Some(spec) = spec_line(&text) {
            return Context::Spec(spec);
        }
        // "Ship to: …", "Need by: 16/12/2026" between a description and its quantity
        if SPEC_LINE.is_match(text.trim()) && quantity::labelled(&text).is_none() {
            return Context::Attribute(None);
        }
    }
    let text = DESCRIPTION_LABEL.replace(&text, "");
    let text = text.trim();
    let letters = text.chars().filter(|c| c.is_alphabetic()).count();
    let words = text.split_whitespace().count();
    // a numbered line is a list's item: its description may be long, written in two
    // languages ("1. Găng tay chống cắt cấp 5, phủ nitrile / Cut resistant gloves level 5,
    // nitrile coated, size 9")
    let (most_chars, most_words) = if begins_item(line) { (240, 28) } else { (160, 16) };
    if letters < 3 || text.chars().count() > most_chars || words > most_words || text.ends_with([':', ',', '?', '!']) {
        return Context::Other;
    }
    Context::Description(text.to_string())
}

/// A quantity on its own line, labelled or a count of a unit ("Quantity: 60 pcs", "2
/// roll", "say 5 boxes"), joined to the description read before it.
pub(in crate::pipeline::requirements) fn with_labelled_quantity(description: &str, line: &str) -> Option<Requirement> {
    let (q, unit) = quantity::labelled(line)
        .or_else(|| remarks::quantity_only(line).and_then(quantity::cell))
        .or_else(|| {
            // "x 2", "x2"
            let rest = line.trim().strip_prefix(['x', 'X'])?;
            quantity::cell(rest.trim()).filter(|(_, u)| u.is_none_or(|u| units::canonical(u).is_some()))
        })?;
    Requirement::new(description, q, unit.unwrap_or("pcs"))
}
