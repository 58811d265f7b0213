//! Item lines in running text, in the many ways buyers write them:
//! "1. desc - 20 pcs", "desc x 20", "desc 2x", "desc (qty: 20 pcs)", "- 4 ea desc",
//! "(3) 4 pcs of desc", "need 20 pcs of desc", "Item: desc; Qty: 20". A quantity needs a unit of count or an
//! explicit marker (x, Qty) so that phone numbers, dates, sizes and budgets are not items.

use std::sync::LazyLock;

use regex::{Captures, Regex};

use super::{Requirement, description, quantity, remarks, units};
use crate::domain::Quantity;

mod context;

pub(super) use context::{Context, begins_admin, begins_item, context, counts_something, with_labelled_quantity};

/// A quantity: "1,000", "1 000" is not accepted in lines (ambiguous), "2.5".
const NUM: &str = r"(?P<q>\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)";
/// Words a request sentence puts before its verb: "please also", "we would like to", "and".
const FILLER: &str = r"(?:also|and|plus|additionally|in\s+addition|further(?:more)?|then|we|i|will|would|like\s+to|please|kindly|pls|could\s+you|can\s+you|to)";
/// A unit word (checked against the unit table afterwards).
const UNIT: &str = r"(?P<u>[A-Za-z]{1,10}\.?)";
/// What a pack after its unit holds: "10 boxes of 20", "2 ctn x 12 btl", "1 ctn (12 btl)".
/// The quantity is the packs.
const PACK: &str = r"(?:\s*(?:of|x)\s*\d[\d,]*(?:\s*(?:pcs|pc|pieces|nos|'s|btls?|bottles?|pairs?|prs|sheets?|shts|rolls?|cans?|tubes?|sets?|units?|ea)\b)?|\s*[(\[]\s*\d[\d,]*\s*[A-Za-z'.]+(?:\s*/\s*[A-Za-z]+)?\s*[)\]])";

static MARKER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?ix)^\s*(?:
            [-–•*·▪◦►>]+ |
            \(?\d{1,3}(?:\.\d{1,3}){1,3}[.)]?\)? |
            \(?\d{1,3}[.)]\)? |
            \(\d{1,3}\) |
            \(?[a-h][.)] |
            \(?(?:i|ii|iii|iv|v|vi|vii|viii|ix|x)[.)] |
            # Item 3:, Line 2), No. 4 -, Pos. 1: (a position, as continental orders say)
            (?:item|line|s/?n|no\.?|pos(?:ition)?\.?)\s*\#?\s*\d{1,3}(?:\.\d{1,3})?\s*[:.)-] |
            # Item 3.2.1, or Item 4 set apart by two spaces or a tab
            (?:item|line|pos(?:ition)?\.?)\s*\#?\s*\d{1,3}(?:\.\d{1,3}){1,3}[:.)-]? |
            (?:item|line|pos(?:ition)?\.?)\s*\#?\s*\d{1,3}[\t\x20] |
            # a bill's item reference set apart by two spaces or a tab: A1, B12, C2.1
            [a-z]{1,2}\d{1,2}(?:\.\d{1,2})?[\t\x20]
        )\s+",
    )
    .expect("regex")
});
/// A description that only names the quantity.
pub(super) static QUANTITY_WORDS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(?:(?:required|requested|order(?:ed)?|total)\s+)?(?:qty|q'ty|qnty|quantity|quantities|nos)(?:\s+(?:required|req'?d|reqd|needed|requested|ordered))?\s*$")
        .expect("regex")
});
/// A label before a description: "Description: …", "Item name - …".
pub(super) static DESCRIPTION_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(?:item\s+description|description|desc\.?|item(?:\s+name)?|product(?:\s+name)?|material|article|requirement)\s*[:=\-–]\s*")
        .expect("regex")
});
/// An attribute line between a description and its quantity ("Brand: 3M", "Size: L").
static ATTRIBUTE_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(?:brand|make|manufacturer|colou?r|size|model|remarks?|notes?|spec(?:ification)?s?|unit|uom|delivery|packing|pack size|part\s*(?:no\.?|number)|p/n|mpn|mfr\.?\s*(?:part\s*)?(?:no\.?|p/n|number)?|model\s*(?:no\.?|number)|code|standard|grade|finish|material code|item code|stock code)\s*[:=\-–]")
        .expect("regex")
});
/// An attribute line naming who makes the product or its model or part number ("Brand: 3M",
/// "P/N: M1901G", "Model No. - DHP486Z"): its value belongs to the description above it.
static MAKER_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(?:brand|make|manufacturer|model|part\s*(?:no\.?|number)|p/n|mpn|mfr\.?\s*(?:part\s*)?(?:no\.?|p/n|number)?|model\s*(?:no\.?|number))\s*[:=\-–]\s*(?P<v>\S.{0,60}?)\s*$")
        .expect("regex")
});

static PATTERNS: LazyLock<Vec<(Regex, UnitRule)>> = LazyLock::new(|| {
    let p = |re: String, rule| (Regex::new(&re).expect("regex"), rule);
    vec![
        // "QTY 4 SETS: desc …": a labelled quantity that opens the line is the quantity, whatever
        // figures the description ends in ("… screwdriver set 10pcs")
        p(
            format!(r"(?i)^(?:qty|quantity|q'ty)\s*[:.=\-–]?\s*{NUM}\s*(?:{UNIT})?\s*[:\-–]\s*(?P<d>.+?)\.?$"),
            UnitRule::Optional,
        ),
        // "Item: desc; Qty: 20; Unit: pcs"
        p(
            format!(
                r"(?i)^(?:item|description|product|material)\s*[:=]\s*(?P<d>.+?)\s*[;,|]\s*(?:qty|quantity|q'ty)\s*[:=]?\s*{NUM}\s*(?:{UNIT})?\s*(?:[;,|]\s*(?:unit|uom)\s*[:=]\s*(?P<u2>[A-Za-z]+))?\s*$"
            ),
            UnitRule::Optional,
        ),
        // "desc (qty: 10 pcs)" / "desc [Qty 10]" / "desc (need 24)"
        p(
            format!(
                r"(?i)^(?P<d>.+?)\s*[(\[]\s*(?:qty|quantity|q'ty|need|needs|needed|req(?:uired|'?d)?)\s*[:.=\-–]?\s*{NUM}\s*(?:{UNIT})?\s*[)\]]\s*\.?$"
            ),
            UnitRule::OptionalWithMeasures,
        ),
        // "desc (4 nos)" / "desc [12 pcs]"
        p(
            format!(r"(?i)^(?P<d>.+?)\s*[(\[]\s*{NUM}\s*{UNIT}\s*[)\]]\s*\.?$"),
            UnitRule::Required,
        ),
        // "desc - Qty: 10 pcs" / "desc, quantity 10"
        p(
            format!(
                r"(?i)^(?P<d>.+?)\s*[-–—,;:|]?\s*\b(?:qty|quantity|q'ty)\s*[:.=\-–]?\s*{NUM}\s*(?:{UNIT}{PACK}?)?\s*\.?$"
            ),
            UnitRule::OptionalWithMeasures,
        ),
        // "desc x 10 nos" / "desc x10" / "tubing 8mm black x100m"
        p(
            format!(r"(?i)^(?P<d>.+?)\s+[x×]\s*{NUM}\s*(?:{UNIT})?\s*\.?$"),
            UnitRule::OptionalOrLength,
        ),
        // "desc 2x" / "desc - 2x": the count before its "x" closing the line
        p(
            format!(r"(?i)^(?P<d>.+?)\s*(?:\s[-–—]|[,:])?\s+{NUM}\s*[x×]\s*\.?$"),
            UnitRule::Optional,
        ),
        // "desc - 100 sets" / "desc: 100 sets" / "desc .... 100 sets" / "desc -- 100 sets"
        p(
            format!(r"(?i)^(?P<d>.+?)\s*(?:\s(?:[-–—=]{{1,3}}>?|→)|:|\.{{2,}}|\t)\s*{NUM}\s*{UNIT}{PACK}?\s*\.?$"),
            UnitRule::Required,
        ),
        // "desc 20 pcs"
        p(
            format!(r"(?i)^(?P<d>.+?)\s+{NUM}\s*{UNIT}{PACK}?\s*\.?$"),
            UnitRule::Required,
        ),
        // "Qty 20 pcs desc" / "need 20 pcs of desc" / "please also quote 20 units of the desc"
        p(
            format!(
                r"(?i)^(?:(?:{FILLER}[,]?\s+)*(?:need|needs|require|requires|want|supply|send|quote|provide|order|buy|purchase|include|add)(?:\s*(?:,|&|and)\s*(?:supply|deliver|install|provide|fix|commission))*(?:\s+(?:us|me|for)){{0,2}}(?:\s+(?:a\s+)?(?:quotation|quote|price|prices|pricing)\s+(?:for|on))?|qty|quantity|q'ty)\s*[:.=]?\s*{NUM}\s*(?:{UNIT}(?:\s*[:\-–]\s*|\s+))?(?:of\s+|x\s+|[-–:]\s*)?(?:the\s+)?(?P<d>.+?)\.?$"
            ),
            UnitRule::Optional,
        ),
        // "4 ea desc" / "4 pcs of desc" / "4 pcs - desc" / "And 15 boxes of desc"
        p(
            format!(
                r"(?i)^(?:(?:and|also|plus|then)[,]?\s+)?{NUM}\s*{UNIT}(?:{PACK}\s)?\s*(?:of\s+|x\s+|[-–:]\s*)?(?:the\s+|an?\s+)?(?P<d>.+?)\.?$"
            ),
            UnitRule::RequiredOrBulk,
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
    /// As `Optional`; a length ordered by "x" closing the line ("tubing 8mm black x100m") too,
    /// unless it is a dimension's last side ("tape 24mm x 25m") or the line starts with its
    /// own quantity ("10 rolls tape x 25m").
    OptionalOrLength,
    /// As `Required`, the count opening the line; a bulk measure set apart from its figure
    /// too ("20 kg Shell grease", "12 gal. Clorox bleach 4L"), where a figure glued to it
    /// ("5L bleach") is the product's size.
    RequiredOrBulk,
}

/// A greeting and a request's lead-in before the first item on the same line: "Hi, please
/// quote:", "Kindly supply the following -", "RFQ:", "We need".
static LEAD_IN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?ix)^\s*
        (?:(?:hi|hello|dear\s+\w+|good\s+(?:morning|afternoon|day))(?:\s+\w+)?[,!.]\s+)?
        (?:{FILLER}[,]?\s+)*
        (?:quote|supply|provide|send|need|needs|require|order|rfq|rfp|request\s+for\s+quot\w*|enquiry|inquiry)
        (?:\s+(?:us|me))?
        (?:\s+(?:a\s+)?(?:quotation|quote|price|prices|pricing)\s+(?:for|on)|\s+for)?
        (?:\s+(?:the\s+following|as\s+follows|below))?
        \s*[:\-–]?\s+"
    ))
    .expect("regex")
});

/// Words that join a clause to the one before ("Lastly, 3 drums of …", "Oh and 2 cartons …"),
/// as a pattern's alternatives.
pub(super) const JOIN_WORDS: &str = "and|also|plus|then|lastly|finally|oh|additionally";

pub(super) static JOINERS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
            r"(?i)^(?:(?:{JOIN_WORDS}|besides|next|in\s+addition|on\s+top\s+of\s+that|as\s+well\s+as|about|approx\.?|approximately|around|roughly)[,]?\s+)+"
        ))
        .expect("regex")
});

/// A request verb inside a sentence, after a few words: "Our site team has also asked for 6
/// units of …", "we would also like 20 sheets of …", "we would like you to quote 24 cans of
/// …", "could you please quote 3 units of …". Tried only when the clause is not an
/// item as it stands; what follows must still read as an item with its quantity first.
static ASK_IN_SENTENCE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^[^\d:]{0,60}?\b(?:need|needs|require|requires|want|wants|(?:would|'d|’d)\s+(?:also\s+)?like(?:\s+(?:you|u)\s+to\s+(?:quote|supply|provide)(?:\s+(?:us|me))?(?:\s+for)?)?|(?:could|can|would)\s+(?:you|u)\s+(?:please\s+|pls\s+|also\s+)*(?:quote|supply|provide)(?:\s+(?:us|me))?(?:\s+for)?|(?:has|have)\s+(?:also\s+)?asked\s+for|asked\s+for|(?:please|pls\.?|plz\.?|kindly)\s+(?:also\s+)?(?:quote|include|supply|add)|(?:can|could|pls|please)\s+(?:you\s+|u\s+)?(?:also\s+)?(?:add|include))\s+(?:us\s+|me\s+)?",
    )
    .expect("regex")
});

/// One clause (or line) read as an item: as it stands or after the buyer's remarks at its
/// end (`remarks::without_remark`: "… x 5 (we have batteries)", "…, 30 bottles please").
pub(super) fn item_in_clause(text: &str) -> Option<Requirement> {
    static TRAILING_BRACKET: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"\s*(?P<b>\([^()]+\)|\[[^\[\]]+\])\s*[.!]?\s*$").expect("regex"));
    item_as_written(text).or_else(|| {
        let rest = remarks::without_remark(text);
        if rest.len() < text.len()
            && let Some(found) = item_as_written(rest)
        {
            return Some(found);
        }
        // "Grinding disc 4 inch x 10 (for PW5001C)", "Nitrile gloves x 10 (size M)": a bracket
        // after the quantity that is no remark still describes the product
        let c = TRAILING_BRACKET.captures(rest)?;
        let mut found = item_as_written(&rest[..c.get(0)?.start()])?;
        found.description = format!("{} {}", found.description, &c["b"]);
        Some(found)
    })
}

/// One clause (or line) read as an item: as it stands; after the words that join it to the
/// one before ("Lastly, 3 drums of …"); after its lead-in ("Please quote: 10 x gloves"); after
/// a request verb inside a sentence ("our site team has also asked for 6 units of …").
fn item_as_written(text: &str) -> Option<Requirement> {
    item(text)
        .or_else(|| {
            let rest = JOINERS.replace(text, "");
            (rest.len() < text.len()).then(|| item(&rest)).flatten()
        })
        .or_else(|| {
            let rest = LEAD_IN.replace(text, "");
            (rest.len() < text.len()).then(|| item(&rest)).flatten()
        })
        .or_else(|| {
            let rest = ASK_IN_SENTENCE.replace(text, "");
            if rest.len() == text.len() {
                return None;
            }
            // its count first ("… asked for 6 units of …", "… need 5 of the …"), or after it as
            // an item line writes it ("please also add disposable PE aprons - 5 packs")
            if quantity::figures(&rest).starts_with(|c: char| c.is_ascii_digit()) {
                item(&rest).or_else(|| requested_count(&rest))
            } else {
                item(&rest)
            }
        })
}

/// What follows a request verb inside a sentence, its count first: the verb marks the figure
/// as the quantity, so no unit need follow it ("for the bin centre we need 5 of the 120L
/// wheeled bins", "our team would like 3 stainless steel open top bins").
fn requested_count(rest: &str) -> Option<Requirement> {
    static COUNT_FIRST: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(&format!(
            r"(?i)^{NUM}\s*(?:{UNIT}(?:\s*[:\-–]\s*|\s+))?(?:of\s+|x\s+|[-–:]\s*)?(?:the\s+|an?\s+)?(?P<d>.+?)\.?$"
        ))
        .expect("regex")
    });
    let text = quantity::figures(rest.trim());
    let found = accept(&COUNT_FIRST.captures(&text)?, UnitRule::Optional)?;
    let first = found
        .description
        .split(|c: char| !c.is_alphanumeric())
        .find(|w| !w.is_empty())?;
    (!super::listed::counts_no_item(first)).then_some(found)
}

/// The line without its list marker ("1)", "•", "a.").
pub(super) fn without_marker(line: &str) -> std::borrow::Cow<'_, str> {
    MARKER.replace(line.trim(), "")
}

/// How a list line is marked: "•", "-" and the like; "1.", "2)", "1.1"; "a)", "(b)"; or not.
pub(super) fn marker_kind(line: &str) -> &'static str {
    let Some(m) = MARKER.find(line.trim_start()) else {
        return "none";
    };
    let m = m.as_str().trim();
    if m.starts_with(|c: char| c.is_ascii_digit())
        || m.starts_with("(") && m[1..].starts_with(|c: char| c.is_ascii_digit())
    {
        "number"
    } else if m.chars().any(|c| c.is_alphabetic()) {
        "letter"
    } else {
        "bullet"
    }
}

/// The line without a greeting and request verb before its first item ("Hi, please quote:",
/// "we would also like"): a suffix of it.
pub(super) fn without_request_verb(line: &str) -> &str {
    let rest = match LEAD_IN.find(line) {
        Some(m) => &line[m.end()..],
        None => line,
    };
    match ASK_IN_SENTENCE.find(rest) {
        Some(m) => &rest[m.end()..],
        None => rest,
    }
}

/// An attribute label ("Brand: 3M", "Size: L").
pub(super) fn is_attribute(text: &str) -> bool {
    ATTRIBUTE_LABEL.is_match(text)
}

/// A quantity closing a line with "only" after it: "- 1 unit only", "2 pcs only."
static TRAILING_ONLY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\s(?P<q>\d[\d,.]*\s*(?P<u>[a-z]{1,8})\.?)\s+only\s*[.!]?\s*$").expect("regex"));

/// A date closing a line, apart from what is before it by wide space, with the ERP's short
/// codes after it (plant, storage location): "  28.12.2026", "  2027-01-15", "  15/01/2027",
/// "  08.04.2026 TK01 0002".
static TRAILING_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:\s{2,}|\t)(?:\d{1,2}[./-]\d{1,2}[./-]\d{2,4}|\d{4}-\d{2}-\d{2})(?:\s+[A-Za-z0-9]{1,6}){0,3}\s*$")
        .expect("regex")
});

/// A line without the buyer's material number before its description ("00010 31407527
/// REEL,AIR HOSE,RETRACT,15M 3.000 EA"): seven characters or more, after a line number or
/// first, and not a count of a unit.
fn without_leading_code(text: std::borrow::Cow<'_, str>) -> std::borrow::Cow<'_, str> {
    let words: Vec<&str> = text.split_whitespace().take(3).collect();
    let is_code = |i: usize| {
        words.get(i).is_some_and(|w| quantity::is_item_code(w) && w.len() >= 7)
            && words.get(i + 1).is_some_and(|next| {
                units::canonical_any(next).is_none()
                    && !next.eq_ignore_ascii_case("x")
                    && next.chars().any(char::is_alphabetic)
            })
    };
    let line_number = words
        .first()
        .is_some_and(|w| w.len() <= 6 && w.chars().all(|c| c.is_ascii_digit()));
    let at = if is_code(0) {
        0
    } else if line_number && is_code(1) {
        1
    } else {
        return text;
    };
    // the ERP's line number goes with it ("00010 31407527 …")
    let code = words[at];
    let Some(pos) = text.find(code) else {
        return text;
    };
    std::borrow::Cow::Owned(text[pos + code.len()..].trim_start().to_string())
}

/// Reads one line as an item, if it is one.
pub(super) fn item(line: &str) -> Option<Requirement> {
    /// "[5 btl] thread locker …", "(4 pcs) epoxy …": the quantity and its unit in brackets first.
    static BRACKETED_FIRST: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^[\[(]\s*(?P<q>\d[\d,.]*\s*[A-Za-z.]{1,8})\s*[\])]\s*").expect("regex"));
    /// "- (3) Makita drill kit": a count in brackets after a bullet (an outline's "(3)" has no
    /// bullet before it).
    static BULLETED_COUNT: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^[-–•*·▪◦►]\s*\(\s*(?P<q>\d{1,4})\s*\)\s+(?P<d>[A-Za-z].*)$").expect("regex"));
    let spelled = quantity::figures(line.trim());
    let bulleted = BULLETED_COUNT
        .captures(&spelled)
        .map(|c| format!("{} x {}", &c["q"], &c["d"]));
    let spelled = bulleted.map_or(spelled, std::borrow::Cow::Owned);
    let text = MARKER.replace(&spelled, "");
    let text = without_leading_code(text);
    let text = match BRACKETED_FIRST.captures(text.trim()) {
        Some(c) if quantity::cell(&c["q"]).is_some_and(|(_, u)| u.is_some()) => std::borrow::Cow::Owned(format!(
            "{} {}",
            &c["q"],
            &text.trim()[c.get(0).map_or(0, |m| m.end())..]
        )),
        _ => text,
    };
    // a list written as one sentence: "desc (4 pcs);", "desc - 2 nos,"
    let text = text.trim().trim_end_matches([';', ',']).trim_end();
    // an ERP's delivery date column after the quantity ("… 3.000 EA  28.12.2026")
    let text = match TRAILING_DATE.find(text) {
        Some(m)
            if text[..m.start()]
                .trim_end()
                .ends_with(|c: char| c.is_ascii_alphabetic()) =>
        {
            text[..m.start()].trim_end()
        }
        _ => text,
    };
    // "… - 1 unit only": no more than the quantity written ("WHEEL ONLY" names a product)
    let text: std::borrow::Cow<'_, str> = match TRAILING_ONLY.captures(text) {
        Some(c) if c.name("u").is_some_and(|u| units::canonical(u.as_str()).is_some()) => {
            let before = text[..c.get(0).map_or(text.len(), |m| m.start())].trim_end();
            format!("{before} {}", &c["q"]).into()
        }
        _ => text.into(),
    };
    let text = text.as_ref();
    if text.len() < 3 {
        return None;
    }
    // "… 3 ctn (12 btl)": what each pack holds, after the packs ordered
    let text = match PACK_AFTER_COUNT.captures(text) {
        Some(c)
            if quantity::cell(&c["count"]).is_some_and(|(_, u)| u.is_some_and(|u| units::canonical(u).is_some())) =>
        {
            c.name("head").map_or(text, |m| m.as_str())
        }
        _ => text,
    };
    PATTERNS
        .iter()
        .find_map(|(re, rule)| {
            re.captures(text)
                .filter(|c| {
                    !c.name("q").is_some_and(|q| {
                        price_basis(&text[..q.start()]) || text[q.end()..].trim_start().starts_with('%')
                    })
                })
                .and_then(|c| accept(&c, *rule))
        })
        .or_else(|| unit_then_quantity(text))
}

/// Whether a figure after this text is the basis of a price, not a quantity ordered:
/// "Valuation price: 0.00 SGD / 1 EA", "S$ 4.50 per 1 pc".
fn price_basis(before: &str) -> bool {
    let before = before.trim_end();
    before.ends_with('/')
        || before
            .rsplit(char::is_whitespace)
            .next()
            .is_some_and(|w| w.eq_ignore_ascii_case("per"))
}

/// A bill's line: the description, then its unit and its quantity apart from it by dot
/// leaders or wide spaces ("Safety vest, orange ........ no. .... 30", "Backer rod 10mm
/// lm   500"), or a unit of count after a space ("Floor squeegee 24\" nos 6").
static UNIT_THEN_QUANTITY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?P<d>.*?[A-Za-z].*?)(?P<sep>\s*\.{2,}\s*|\s{2,}|\t|\s)(?P<u>[A-Za-z][A-Za-z0-9²]{0,6})\.?(?:\s*\.{2,}\s*|\s+)(?P<q>\d{1,3}(?:,\d{3})+|\d{1,6})(?:\.\d{1,3})?\s*$")
        .expect("regex")
});

fn unit_then_quantity(text: &str) -> Option<Requirement> {
    let c = UNIT_THEN_QUANTITY.captures(text)?;
    // "Bill No. 7", "Lot 2231, Jalan Kapar" (an address's plot): a number's label, not a
    // unit; nor is "Delivery: …" a description, but a field
    let label = c["u"].eq_ignore_ascii_case("no") || c["u"].eq_ignore_ascii_case("lot");
    if (c["sep"].len() == 1 && label) || c["d"].trim_end().ends_with(':') {
        return None;
    }
    // after a single space only a unit of count ("… handle nos 6"); a measure needs the
    // bill's leaders or columns ("… dia   lm   500"), else it is a size ("… M 10")
    let unit = if c["sep"].len() == 1 {
        units::canonical(&c["u"])?
    } else {
        units::canonical_any(&c["u"])?
    };
    let figure = c.get(0)?.as_str()[c.name("q")?.start() - c.get(0)?.start()..].trim();
    let quantity = Quantity::parse(figure).ok()?;
    let description = c["d"].trim_end_matches(['.', ' ', '-', '–']);
    Requirement::new(description::of_item(description)?, quantity, unit)
}

/// A count of packs and, in brackets, what each holds: "3 ctn (12 btl)", "60 tubes (2 cartons)".
static PACK_AFTER_COUNT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?P<head>.*?\b(?P<count>\d[\d,]*\s*[A-Za-z]{1,8}\.?))\s*[(\[]\s*\d[\d,]*\s*[A-Za-z'.]+(?:\s*/\s*[A-Za-z]+)?\s*[)\]]\s*\.?$")
        .expect("regex")
});
/// "kitchen degreaser spray (6)": a figure alone in brackets ends the line.
static TRAILING_COUNT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?P<d>.*[A-Za-z].*?)\s*\(\s*(?P<q>\d{1,5})\s*\)\s*\.?\s*$").expect("regex"));
/// A size's label closing the text: the figure after it is the size, whatever it is.
static SIZE_WORD_BEFORE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\b(?:size|sz|uk|us|eu|no|#)\.?\s*$").expect("regex"));
static SIZE_BEFORE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\b(?:size|sz|uk|us|eu|xs|s|m|l|xl|xxl|xxxl|no|#)\.?\s*$").expect("regex"));

/// A line ending in a figure alone in brackets, read as "description (quantity)". Alone such a
/// figure may be a size or a model ("glove size L (9)"): the caller takes these only from a
/// list of two or more such lines in a request.
pub(super) fn bracketed_count(line: &str) -> Option<Requirement> {
    let text = MARKER.replace(line.trim(), "");
    let c = TRAILING_COUNT.captures(text.trim())?;
    let description = c.name("d")?.as_str().trim();
    let figure = c.name("q")?.as_str();
    // "glove size L (9)": after a letter size, a figure a glove or garment size can be is that
    // size; "half mask M/L (20)" is twenty of them
    let size_like = figure.parse::<u32>().is_ok_and(|n| n <= 13) || SIZE_WORD_BEFORE.is_match(description);
    if (SIZE_BEFORE.is_match(description) && size_like) || QUANTITY_WORDS.is_match(description) || description.len() < 3
    {
        return None;
    }
    let quantity = Quantity::parse(figure).ok()?;
    Requirement::new(description::without_item_codes(description), quantity, "pcs")
}

/// A sub-item that only gives a size or colour ("size 7", "colour: blue", "XL", "(XXL)",
/// "UK8", "LY/2XL", "white") names the product of the line above it.
static ATTRIBUTE_ONLY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^\s*\(?\s*(?:(?:size|sz|colou?r|uk|us|eu|length|grade)\b\s*[:.\-]?\s*\S{1,8}|(?:uk|us|eu)\d{1,2}(?:\.5)?|(?:[a-z]{1,3}\s*/\s*)?(?:xs|s|m|l|xl|xxl|xxxl|[2-5]xl)|white|black|blue|red|yellow|green|orange|grey|gray|navy|brown|pink|purple|silver|clear)\s*\)?\s*$",
    )
    .expect("regex")
});

/// Whether a description only gives a size or colour (see [`under_parent`]).
pub(super) fn attribute_only(description: &str) -> bool {
    ATTRIBUTE_ONLY.is_match(description)
}

/// `item` with the parent line's description in front when it only gives a size.
pub(super) fn under_parent(item: &Requirement, parent: Option<&str>) -> Requirement {
    match parent {
        Some(p) if ATTRIBUTE_ONLY.is_match(&item.description) => Requirement {
            description: super::tidy_description(&format!("{p} {}", item.description)),
            ..item.clone()
        },
        _ => item.clone(),
    }
}

/// An item on an unmarked line that goes on from the marked line of a list above it ("*
/// Mirka Gold velcro sanding disc" / "5\" grit 120 — 500 pcs"): one item.
pub(super) fn continuing(head: &str, item: &Requirement) -> Requirement {
    Requirement {
        description: super::tidy_description(&format!("{head} {}", item.description)),
        ..item.clone()
    }
}

/// "per metre", "per kg", "/ltr": the description says how the item is sold.
static SOLD_PER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:\bper\s*|/\s*)(?P<u>m|mtr|mtrs|metre|meter|metres|meters|kg|kgs|kilo|l|ltr|ltrs|litre|liter)\b")
        .expect("regex")
});

/// A measure as the quantity's unit when the description says the item is sold by it: "PU
/// air tubing 10mm (per metre) - 100 m". Elsewhere "- 300 mm" is a size, not a quantity.
fn sold_per(description: &str, word: &str) -> Option<&'static str> {
    let unit = units::canonical_measure(word)?;
    (SOLD_PER
        .captures_iter(description)
        .any(|c| units::canonical_measure(&c["u"]) == Some(unit))
        || (unit == "m" && LENGTH_GOODS.is_match(description) && !CABLE_TIES.is_match(description)))
    .then_some(unit)
}

/// Goods cut to length from a coil or drum: "pu tubing black 10mm - 100 mtr" orders metres
/// (a hose is sold in lengths: "air hose 8mm - 20 m" is its size).
static LENGTH_GOODS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:tubing|cables?|wires?|ropes?|chains?|conduits?|trunking|webbing|cords?|netting)\b")
        .expect("regex")
});
static CABLE_TIES: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\bcable\s+(?:ties|tie|clips?|markers?|lugs?|glands?)\b").expect("regex"));

/// Words after a number that make it a term, not an item: "quote 30 days validity", "need
/// 3 working days".
pub(super) fn is_term(word: &str) -> bool {
    units::service(word).is_some()
        || [
            "working",
            "business",
            "calendar",
            "copies",
            "copy",
            "percent",
            "quotations",
            "quotes",
        ]
        .contains(&word.to_ascii_lowercase().as_str())
}

fn accept(c: &Captures<'_>, rule: UnitRule) -> Option<Requirement> {
    let quantity = Quantity::parse(c.name("q")?.as_str()).ok()?;
    let whole = c.get(0)?;
    let (d, u) = (c.name("d")?, c.name("u2").or_else(|| c.name("u")));
    let mut description = d.as_str();
    let unit = match (u.map(|m| m.as_str()), rule) {
        (Some(w), UnitRule::OptionalWithMeasures) => units::canonical_any(w)?,
        (Some(w), UnitRule::OptionalOrLength) => match units::canonical(w) {
            Some(unit) => unit,
            None => ordered_length(description, w)?,
        },
        (Some(w), UnitRule::Optional) => match units::canonical(w) {
            Some(unit) => unit,
            // "add 12 mosaic brooms": the word after the number is the description's first
            // word, not a unit, when the unit was optional and stood before the description
            None if u.is_some_and(|u| u.end() <= d.start()) && !is_term(w) && !w.eq_ignore_ascii_case("x") => {
                // "need 12 of the red helmets": "of" joins the number to the description
                if !w.eq_ignore_ascii_case("of") {
                    let from = u.map_or(d.start(), |u| u.start()) - whole.start();
                    description = &whole.as_str()[from..d.end() - whole.start()];
                }
                "pcs"
            }
            None => return None,
        },
        (Some(w), UnitRule::RequiredOrBulk) => {
            units::canonical(w).or_else(|| sold_per(d.as_str(), w)).or_else(|| {
                let apart = u.is_some_and(|u| c.name("q").is_some_and(|q| q.end() < u.start()));
                units::canonical_measure(w).filter(|m| apart && matches!(*m, "kg" | "l" | "gal" | "lb"))
            })?
        }
        (Some(w), _) => units::canonical(w).or_else(|| sold_per(d.as_str(), w))?,
        (None, UnitRule::Required | UnitRule::RequiredOrBulk) => return None,
        // "25 x cut off wheel 355 x 3 x 25.4": the figure after the last "x" is a side of
        // the dimension before it, not a count, when the line counts itself first, the
        // dimension's sides are bare figures, or the figure is a fraction
        (None, UnitRule::OptionalOrLength) if dimension_side(description, c.name("q")?.as_str()) => return None,
        (None, _) => "pcs",
    };
    if is_street(description) {
        return None;
    }
    Requirement::new(description::of_item(description)?, quantity, unit)
}

/// A street's name, the figure before it its number ("18 Tin Hau Road", "Jalan Utas 15/7"):
/// a name of four words at most ending in a street word after a capitalised one, or opening
/// with "Jalan" or "Lorong"; the places after it in capitals too ("18 Tin Hau Road, Tuen Mun,
/// New Territories").
fn is_street(description: &str) -> bool {
    if let Some((street, places)) = description.split_once(',')
        && places
            .split(|c: char| c.is_whitespace() || c == ',')
            .filter(|w| !w.is_empty())
            .all(|w| w.starts_with(|c: char| c.is_uppercase() || c.is_ascii_digit()))
        && is_street(street)
    {
        return true;
    }
    const STREET: &[&str] = &[
        "road",
        "rd",
        "street",
        "st",
        "avenue",
        "ave",
        "lane",
        "drive",
        "highway",
        "hwy",
        "boulevard",
        "blvd",
        "crescent",
        "terrace",
        "parade",
    ];
    let words: Vec<&str> = description.split_whitespace().collect();
    let opens = words
        .first()
        .is_some_and(|w| ["jalan", "jln", "jl.", "lorong", "lrg"].contains(&w.to_lowercase().as_str()));
    let ends = match words.as_slice() {
        [.., name, last] => {
            STREET.contains(&last.trim_end_matches('.').to_lowercase().as_str())
                && last.starts_with(|c: char| c.is_uppercase())
                && name.starts_with(|c: char| c.is_uppercase())
        }
        _ => false,
    };
    words.len() <= 4 && (opens || ends)
}

/// Whether a bare figure after "desc x" is the last side of a dimension: the description
/// starts with its own count ("25 x …"), ends in bare sides ("… 355 x 3"), or the figure is no
/// whole number ("… x 25.4").
fn dimension_side(description: &str, figure: &str) -> bool {
    static BARE_SIDES: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\d\s*[x×]\s*\d+(?:\.\d+)?$").expect("regex"));
    static COUNTED: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^\d{1,5}\s*[x×]\s").expect("regex"));
    COUNTED.is_match(description) || BARE_SIDES.is_match(description.trim_end()) || figure.contains('.')
}

/// A length closing "desc x 100m": the metres ordered, when the description before the "x"
/// neither ends in a size (a dimension's last side) nor starts with a figure (its own
/// quantity), nor counts itself on the way ("Need a quote for 2 x hose reel 10mm ID x 15m":
/// the reel is 15 m long).
fn ordered_length(description: &str, unit: &str) -> Option<&'static str> {
    let symbol = units::canonical_measure(unit)?;
    let words: Vec<&str> = description.split_whitespace().collect();
    let (first, last) = (words.first()?, words.last()?);
    let figure = |w: &str| w.bytes().any(|b| b.is_ascii_digit());
    let counted = words
        .windows(2)
        .any(|w| w[0].bytes().all(|b| b.is_ascii_digit()) && (w[1].eq_ignore_ascii_case("x") || w[1] == "×"));
    (crate::catalog::search::units::is_length(symbol)
        && !figure(last)
        && !first.starts_with(|c: char| c.is_ascii_digit())
        && !counted)
        .then_some(symbol)
}

#[cfg(test)]
mod tests;
