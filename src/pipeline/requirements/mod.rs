//! Requirement extraction: the line items a request asks for, as written.
//!
//! Two extractors sit behind [`Extractor`]: `rules` (offline, deterministic: tables with a
//! quantity column, list lines in the many ways buyers write them) and `llm` (an
//! OpenAI-compatible model with structured output). Both return the same [`Requirement`]s.

mod clauses;
mod description;
mod extractor;
mod lines;
mod listed;
mod quantity;
mod remarks;
mod schedule;
mod sizes;
mod splits;
mod tables;
pub mod units;
mod wrapped;

pub use extractor::{Extraction, Extractor};

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::text::{Block, ExtractedDocument};
use crate::domain::Quantity;

/// One requested item: the description exactly as the buyer wrote it, a quantity and a unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Requirement {
    pub description: String,
    #[serde(with = "quantity_json")]
    pub quantity: Decimal,
    pub unit: String,
}

impl Requirement {
    pub(crate) fn new(description: &str, quantity: Quantity, unit: &str) -> Option<Self> {
        let description = tidy_description(description);
        if !(names_something(&description)) || description.len() > 400 {
            return None;
        }
        Some(Self {
            description,
            quantity: quantity.value(),
            unit: unit.to_string(),
        })
    }
}

/// Whether a description can name a product: two letters at least, or a maker's name of one
/// letter and figures beside a model number ("3M 8210").
fn names_something(description: &str) -> bool {
    // a word of the document's own ("Specification sheet 1", "Annex 2", "Page 3") names none
    const DOCUMENT_WORDS: [&str; 14] = [
        "specification",
        "specifications",
        "schedule",
        "annex",
        "appendix",
        "section",
        "page",
        "part",
        "attachment",
        "item",
        "items",
        "form",
        "table",
        "lot",
    ];
    if DOCUMENT_WORDS.contains(&description.trim().to_lowercase().as_str()) {
        return false;
    }
    // a phrase cut short before its object ("Delivery in", "Preambles to") names nothing
    const OPEN_ENDED: [&str; 10] = ["in", "of", "for", "to", "with", "by", "at", "on", "from", "within"];
    if description
        .split_whitespace()
        .last()
        .is_some_and(|w| OPEN_ENDED.contains(&w.to_lowercase().as_str()))
    {
        return false;
    }
    let letters = description.chars().filter(|c| c.is_alphabetic()).count();
    letters >= 2 || (letters == 1 && maker_and_model(description))
}

/// "3M 8210", "3M 1860": a maker's name of a figure and a letter, then a model number of
/// three figures or more (not "3m 12", a length and a count).
pub(super) fn maker_and_model(description: &str) -> bool {
    let words: Vec<&str> = description.split_whitespace().collect();
    words.windows(2).any(|w| {
        w[0].chars().any(char::is_alphabetic)
            && w[0].chars().any(|c| c.is_ascii_digit())
            && w[1].len() >= 3
            && w[1].chars().all(|c| c.is_ascii_digit())
    })
}

/// Quantities are JSON numbers: whole ones print without a decimal point (24, not 24.0).
mod quantity_json {
    use rust_decimal::Decimal;
    use rust_decimal::prelude::ToPrimitive;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(v: &Decimal, s: S) -> Result<S::Ok, S::Error> {
        match (v.fract().is_zero(), v.to_i64(), v.to_f64()) {
            (true, Some(i), _) => s.serialize_i64(i),
            (_, _, Some(f)) => s.serialize_f64(f),
            _ => s.serialize_str(&v.to_string()),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Decimal, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Num {
            F(f64),
            S(String),
        }
        match Num::deserialize(d)? {
            Num::F(f) => Decimal::try_from(f)
                .map(|d| d.normalize())
                .map_err(serde::de::Error::custom),
            Num::S(s) => s.parse().map_err(serde::de::Error::custom),
        }
    }
}

/// A total, or a note of the document, glued onto the last item by the layout: "… TOTAL
/// (excl. GST)", "… Delivery: FOB Tuas, within 2 weeks".
static TRAILING_TOTAL: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(r"(?i)\s+(?:(?:sub[- ]?total|grand\s+total)\b.*|total\s*\(?\s*(?:excl|incl|excluding|including|before|after|w/o|without|with)\b.*|(?:(?:notes?|remarks?|comments?)(?:\s+(?:to|for)\s+(?:the\s+)?(?:supplier|vendor|bidder|tenderer|seller))?|delivery|payment|validity|terms|closing\s+date|deadline|n\.b\.)\s*:\s.*)$")
        .expect("regex")
});

/// Strips separators, sentence punctuation and empty brackets left behind when the quantity
/// was cut out ("Face shield." → "Face shield").
fn tidy_description(s: &str) -> String {
    let mut d = s.split_whitespace().collect::<Vec<_>>().join(" ");
    // A total row glued onto the last item by the layout ("… 500 sheets TOTAL (excl. GST)").
    if let Some(m) = TRAILING_TOTAL.find(&d)
        && d[..m.start()].split_whitespace().count() >= 2
    {
        d.truncate(m.start());
    }
    loop {
        let before = d.len();
        d = d
            .trim_matches(|c: char| c.is_whitespace() || matches!(c, '-' | '–' | '—' | ':' | ',' | ';' | '|' | '='))
            .trim_end_matches(['.', '!', '?'])
            .to_string();
        for empty in ["()", "[]", "( )"] {
            if let Some(rest) = d.strip_suffix(empty) {
                d = rest.to_string();
            }
        }
        if d.len() == before {
            return d;
        }
    }
}

/// Why no requirements could be extracted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExtractError {
    #[error("no line items found")]
    NoItems,
    #[error("no line items found: the {proposed} lines the LLM proposed failed validation (first: {first})")]
    NoValidItems { proposed: usize, first: String },
    #[error(transparent)]
    Llm(#[from] crate::llm::LlmError),
    #[error(
        "the request lists {count} items, more than the {limit} we can quote in one request; please send it in parts of at most {limit} items"
    )]
    TooManyLines { count: usize, limit: usize },
}

/// `pipeline.max_lines`: a request with more lines is refused with a polite reason (a
/// million CSV rows would otherwise be inserted, matched and priced one by one).
pub fn check_line_count(items: &[Requirement], limit: usize) -> Result<(), ExtractError> {
    if items.len() > limit {
        return Err(ExtractError::TooManyLines {
            count: items.len(),
            limit,
        });
    }
    Ok(())
}

impl ExtractError {
    /// Whether trying again later may succeed (an LLM outage, not the document).
    pub fn is_transient(&self) -> bool {
        matches!(self, Self::Llm(e) if e.is_transient())
    }
}

/// The `rules` extractor: tables first (they are explicit), then item lines; a quantity on
/// a labelled line of its own ("Quantity: 60 pcs") belongs to the description before it.
/// Items read from tables that do not say they list quantities (names beside numbers, rows
/// of tables that are not item lists) count only in documents that ask for a quotation
/// ([`asks_for_quotation`]): a report of employees per company is not a request. In a
/// request, lines of prose wrapped at the margin are read as the sentences they were.
pub fn extract_rules(docs: &[ExtractedDocument]) -> Result<Vec<Requirement>, ExtractError> {
    let mut out = Vec::new();
    let mut implicit = Vec::new();
    // Weak items kept in `out` (a quantity without a unit, believed because of its list).
    let mut weak_kept = 0;
    let request = asks_for_quotation(docs);
    // each item table's lines in `out` (a run's weak lines, removed when it ends, all stand
    // after the last table read)
    let mut table_lines: Vec<std::ops::Range<usize>> = Vec::new();
    // the definitions of the documents whose price schedule named its items by them
    let mut scheduled: Vec<schedule::Definitions> = Vec::new();
    for doc in docs {
        let mut pending: Option<String> = None;
        // The last line that named a product without a quantity: the parent of sub-items
        // that only give a size ("1. Safety shoes Otter OWT993" / "a) size 7 x 10 pairs").
        let mut parent: Option<String> = None;
        // The run of item lines we are in: its weak items (a quantity without a unit) are
        // items once it holds two or more.
        let mut run = Run::default();
        // An item block: the description pending has taken in specification lines
        // ("Voltage: 18V"), so that an unlabelled note ("Dust bag included") is one too.
        let mut in_block = false;
        // The item a labelled quantity closed, whose specification may go on below it.
        let mut block_item: Option<usize> = None;
        // The item the line above was, whose long text may follow on the next line.
        let mut line_item_above: Option<usize> = None;
        // The line above: a marked line of a list that named a product without a quantity
        // ("* Mirka Gold velcro sanding disc"), whose item goes on on an unmarked line ("5\"
        // grit 120 — 500 pcs").
        let mut marked_above: Option<String> = None;
        // The header of the last item table, for its rows that a layout left as lines.
        let mut item_header: Option<Vec<String>> = None;
        // prose wrapped at the margin is read as its sentences where the documents ask for a
        // quotation (a paper's paragraphs hold no items, joined or not)
        let blocks = if request {
            wrapped::joined(&doc.blocks)
        } else {
            std::borrow::Cow::Borrowed(doc.blocks.as_slice())
        };
        // items defined in the text ("2.1 Item 1: …") that a price schedule names by number
        let definitions = schedule::Definitions::of(&blocks);
        let mut schedule_read = false;
        for (b, block) in blocks.iter().enumerate() {
            let item_above = line_item_above.take();
            let marked = marked_above.take();
            // what the line says for the lines after it, read once
            let ctx = match block {
                Block::Line { text } | Block::ListItem { text } => lines::context(text),
                Block::Table { .. } => lines::Context::Other,
            };
            let line_items = match block {
                Block::Line { text } | Block::ListItem { text } => Some(clauses::read(text)),
                Block::Table { .. } => None,
            };
            // a list line marked otherwise than the run's lines begins another run (a line
            // whose count closes it stays in the run it is in)
            if line_items
                .as_ref()
                .is_some_and(|l| !l.items.is_empty() || l.weak.is_some())
                && !line_items
                    .as_ref()
                    .is_some_and(|l| l.items.is_empty() && listed::count_closes(block_text(block)))
            {
                run.mark(lines::marker_kind(block_text(block)), &mut out, &mut weak_kept);
            }
            // a line of the specification of the item above ("• Make/model: TTS Luxe 30") is
            // no item of its own, though it ends in a figure
            let specifies_above = (pending.is_some() || block_item.is_some())
                && line_items.is_some()
                && matches!(ctx, lines::Context::Spec(_) | lines::Context::Attribute(Some(_)));
            // Inside an item block its specification's figures are no items ("Supply: 230V
            // AC", "Accessories: earth clamp, 3m cables"), unless the line counts something
            // ("Face shield: 5 pcs").
            let mut line_items = line_items;
            if specifies_above
                && !lines::counts_something(block_text(block))
                && let Some(l) = line_items.as_mut()
            {
                l.items.clear();
            }
            // a row of the item table above that a layout left as a line
            if line_items.as_ref().is_some_and(|l| l.items.is_empty())
                && let Some(item) = item_header
                    .as_deref()
                    .and_then(|h| tables::row_under(h, block_text(block)))
            {
                run.end(&mut out, &mut weak_kept);
                out.push(item);
                pending = None;
                (in_block, block_item) = (false, None);
                continue;
            }
            // "Quantity required: 3 units" with no description above it names nothing
            if quantity::labelled(block_text(block)).is_some()
                && let Some(l) = line_items.as_mut()
            {
                l.items.clear();
                l.weak = None;
            }
            if let Some(clauses::LineItems {
                items,
                weak: Some(weak),
            }) = &line_items
                && items.is_empty()
                && !specifies_above
                && pending
                    .as_deref()
                    .and_then(|d| lines::with_labelled_quantity(d, block_text(block)))
                    .is_none()
                && described_above_quantity(block_text(block), &ctx, blocks.get(b + 1)).is_none()
            {
                run.weak_at.push(out.len());
                out.push(weak.clone());
                run.items += 1;
                pending = None;
                block_item = None;
                continue;
            }
            if line_items.as_ref().is_none_or(|l| l.items.is_empty()) {
                run.end(&mut out, &mut weak_kept);
            }
            match block {
                Block::Table { rows } => {
                    pending = None;
                    parent = None;
                    block_item = None;
                    let read = tables::read(rows).filter(|t| !t.items.is_empty()).or_else(|| {
                        let t = tables::read(&definitions.described(rows)?)?;
                        schedule_read = true;
                        Some(t)
                    });
                    match read {
                        Some(t) if !t.items.is_empty() => {
                            item_header = rows.first().filter(|h| h.len() >= 3).cloned();
                            if t.explicit {
                                let from = out.len();
                                out.extend(t.items);
                                table_lines.push(from..out.len());
                            } else {
                                implicit.extend(t.items);
                            }
                        }
                        // a form of labelled fields ("Vessels | Launches EA 11, EA 12 and EA
                        // 15", "Office | +65 6545 1187"): no item lines
                        _ if tables::is_form(rows) => {}
                        // Not an item table: its rows may still be item lines ("Gloves 20 pcs").
                        _ => implicit.extend(rows.iter().filter_map(|r| lines::item(r.join(" ").trim()))),
                    }
                }
                Block::Line { text } | Block::ListItem { text } => {
                    let spec = match &ctx {
                        lines::Context::Spec(s) if line_items.as_ref().is_none_or(|l| l.items.is_empty()) => {
                            Some(s.clone())
                        }
                        _ => None,
                    };
                    if let Some(item) = pending.as_deref().and_then(|d| lines::with_labelled_quantity(d, text)) {
                        out.push(item);
                        block_item = Some(out.len() - 1);
                        pending = None;
                        in_block = false;
                    } else if let (Some(d), Some(s)) = (pending.as_mut(), spec.as_deref()) {
                        // "Cordless drill driver" / "Voltage: 18V Li-ion" / … / "Quantity: 6"
                        *d = format!("{d}; {s}");
                        in_block = true;
                    } else if let (Some(i), Some(s)) = (block_item, spec.as_deref()) {
                        // the specification goes on below the quantity
                        if let Some(item) = out.get_mut(i)
                            && item.description.len() + s.len() < 400
                        {
                            item.description = format!("{}; {s}", item.description);
                        }
                    } else if in_block
                        && let Some(d) = pending.as_mut()
                        && let lines::Context::Description(note) = &ctx
                        && quantity::labelled(text).is_none()
                        && line_items.as_ref().is_none_or(|l| l.items.is_empty())
                        && !lines::begins_item(text)
                    {
                        // an unlabelled note inside the block: "Dust bag included"
                        *d = format!("{d}; {note}");
                    } else if let Some(d) = described_above_quantity(text, &ctx, blocks.get(b + 1)) {
                        // "Description: toilet roll 10 rolls x 300 sheets" over "Quantity: 40
                        // pkt": the numbers in the description are part of it.
                        parent = Some(d.clone());
                        pending = Some(d);
                        (in_block, block_item) = (false, None);
                    } else if let Some(found @ [_, ..]) = line_items.as_ref().map(|l| l.items.as_slice()) {
                        match (found, marked.as_deref()) {
                            ([item], Some(head)) if !is_marked(block) => {
                                out.push(lines::continuing(head, item));
                            }
                            _ => out.extend(found.iter().map(|item| lines::under_parent(item, parent.as_deref()))),
                        }
                        run.items += found.len();
                        pending = None;
                        (in_block, block_item) = (false, None);
                        // (a bulleted item has no long text under it: what follows a bullet is
                        // the buyer's next words)
                        let bulleted = match block {
                            Block::ListItem { .. } => true,
                            Block::Line { text } => lines::marker_kind(text) == "bullet",
                            Block::Table { .. } => false,
                        };
                        line_item_above = (found.len() == 1 && !bulleted).then(|| out.len() - 1);
                    } else {
                        match ctx {
                            // the long text under an ERP's short text ("REEL,AIR HOSE,RETRACT,15M
                            // 3.000 EA" / "SGS retractable PVC mesh air hose reel … 15m")
                            lines::Context::Description(d)
                                if let Some(i) = item_above
                                    && let Some(item) = out.get_mut(i)
                                    && (description::shared_words(&item.description, &d) >= 2
                                        || description::erp_short_text(&item.description))
                                    && !lines::begins_item(text)
                                    && !lines::begins_admin(text)
                                    && !quantity_below(&d, blocks.get(b + 1))
                                    && item.description.len() + d.len() < 400 =>
                            {
                                item.description = format!("{} {d}", item.description);
                                line_item_above = Some(i);
                            }
                            lines::Context::Description(d) | lines::Context::Spec(d) => {
                                if is_marked(block) {
                                    marked_above = Some(d.clone());
                                }
                                parent = Some(d.clone());
                                pending = Some(d);
                                (in_block, block_item) = (false, None);
                            }
                            lines::Context::Attribute(maker) => {
                                // "Makita planer 82mm" / "P/N: M1901G" / "Qty: 2 units"
                                let above = match (pending.as_mut(), block_item) {
                                    (Some(d), _) => Some(d),
                                    (None, Some(i)) => out.get_mut(i).map(|item| &mut item.description),
                                    (None, None) => None,
                                };
                                if let (Some(d), Some(v)) = (above, maker)
                                    && !d.to_lowercase().contains(&v.to_lowercase())
                                    && d.len() + v.len() < 400
                                {
                                    *d = format!("{d} {v}");
                                }
                            }
                            lines::Context::Other => {
                                pending = None;
                                parent = None;
                                (in_block, block_item) = (false, None);
                            }
                        }
                    }
                }
            }
        }
        run.end(&mut out, &mut weak_kept);
        if schedule_read {
            scheduled.push(definitions);
        }
    }
    // sheets per month or site that add up to a summary sheet say how it is delivered
    let splits: std::collections::HashSet<usize> = splits::delivery_splits(&out, &table_lines).into_iter().collect();
    if !splits.is_empty() {
        let mut i = 0;
        out.retain(|_| {
            i += 1;
            !splits.contains(&(i - 1))
        });
    }
    // the lines defining the items of a price schedule ("Item 3: Zeca hose reel … x 24 m") are
    // no items beside the schedule's
    if !scheduled.is_empty() {
        let defined = |r: &Requirement| scheduled.iter().any(|d| d.defines(&r.description));
        out.retain(|r| !defined(r));
        implicit.retain(|r| !defined(r));
    }
    // Weak items alone count only where the documents ask for a quotation.
    if weak_kept > 0 && weak_kept == out.len() && !request {
        out.clear();
    }
    if !implicit.is_empty() && request {
        out.extend(implicit);
    }
    if out.is_empty() {
        return Err(ExtractError::NoItems);
    }
    Ok(out)
}

/// A description whose quantity is on the labelled line below it: the whole line, numbers
/// and all, is the description.
fn described_above_quantity(text: &str, ctx: &lines::Context, next: Option<&Block>) -> Option<String> {
    let Some(Block::Line { text: next } | Block::ListItem { text: next }) = next else {
        return None;
    };
    quantity::labelled(next)?;
    match ctx {
        lines::Context::Description(d) if quantity::labelled(text).is_none() => Some(d.clone()),
        _ => None,
    }
}

/// Whether the next block gives the quantity of `description` on a line of its own ("hans
/// yellow air hose 3/8 100m" / "2 roll"): the description begins an item of its own.
fn quantity_below(description: &str, next: Option<&Block>) -> bool {
    matches!(next, Some(Block::Line { text } | Block::ListItem { text })
        if lines::with_labelled_quantity(description, text).is_some())
}

/// A run of item lines in a row: how many items it holds, and where its weak items (a
/// quantity without a unit) stand in the output.
#[derive(Default)]
struct Run {
    items: usize,
    weak_at: Vec<usize>,
    /// How its lines are marked ([`lines::marker_kind`]).
    marker: Option<&'static str>,
}

impl Run {
    /// A line marked `kind` joins the run, or ends it and begins the next.
    fn mark(&mut self, kind: &'static str, out: &mut Vec<Requirement>, kept: &mut usize) {
        if self.marker.is_some_and(|m| m != kind) {
            self.end(out, kept);
        }
        self.marker = Some(kind);
    }

    /// Ends the run: with two or more items it is a list, and its weak items stay; alone, a
    /// weak item is no item.
    fn end(&mut self, out: &mut Vec<Requirement>, kept: &mut usize) {
        if self.items >= 2 {
            *kept += self.weak_at.len();
        } else {
            for &i in self.weak_at.iter().rev() {
                out.remove(i);
            }
        }
        self.weak_at.clear();
        self.items = 0;
        self.marker = None;
    }
}

/// A list's item: an HTML list item or a line marked with a bullet, number or letter.
fn is_marked(block: &Block) -> bool {
    match block {
        Block::ListItem { .. } => true,
        Block::Line { text } => lines::marker_kind(text) != "none",
        Block::Table { .. } => false,
    }
}

/// The text of a line block ("" for a table).
fn block_text(block: &Block) -> &str {
    match block {
        Block::Line { text } | Block::ListItem { text } => text,
        Block::Table { .. } => "",
    }
}

/// Whether a line of text asks for at least one item ("Kindly quote 20 pcs safety helmet").
pub fn names_an_item(line: &str) -> bool {
    !clauses::items_in(line).is_empty()
}

/// Whether a text asks for items: a line that names one, or two lines or more that list
/// items without a unit ("ace helmet yellow 30" / "zebra tape 12").
pub fn lists_items(text: &str) -> bool {
    let mut weak = 0;
    for line in text.lines() {
        let read = clauses::read(line);
        if !read.items.is_empty() {
            return true;
        }
        weak += usize::from(read.weak.is_some());
    }
    weak >= 2
}

/// Words only a request for quotation (or its item list) uses.
static REQUEST_WORDS: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(r"(?i)\b(?:rfq|rfp|rfi|quot(?:e|ed|es|ing|ation|ations)|enquiry|enquiries|inquiry|tender|requisition|procurement|purchasing|qty|q'ty|quantity|quantities|uom|pls\s+supply|please\s+supply|kindly\s+supply)\b")
        .expect("regex")
});

/// Whether the documents (a mail and its attachments together) ask for a quotation.
pub fn asks_for_quotation(docs: &[ExtractedDocument]) -> bool {
    docs.iter().flat_map(|d| &d.blocks).any(|b| match b {
        Block::Line { text } | Block::ListItem { text } => REQUEST_WORDS.is_match(text),
        Block::Table { rows } => rows.iter().flatten().any(|c| REQUEST_WORDS.is_match(c)),
    })
}

/// A table's rows from string literals, for the tests of this module and its children.
#[cfg(test)]
pub(super) fn grid(cells: &[&[&str]]) -> Vec<Vec<String>> {
    cells
        .iter()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tidies_leftover_separators() {
        assert_eq!(tidy_description(" Ear plugs - "), "Ear plugs");
        assert_eq!(tidy_description("Glue (  ) "), "Glue");
        assert_eq!(tidy_description("Gloves ()"), "Gloves");
        assert_eq!(tidy_description("Glue (3M or equivalent)"), "Glue (3M or equivalent)");
        assert_eq!(tidy_description("Face shield."), "Face shield");
        assert_eq!(
            tidy_description("A4 copier paper 80gsm TOTAL (excl. GST)"),
            "A4 copier paper 80gsm"
        );
        assert_eq!(tidy_description("Copier paper Grand Total"), "Copier paper");
        assert_eq!(
            tidy_description("Ear muffs Delivery: FOB Tuas Yard, Singapore"),
            "Ear muffs"
        );
        assert_eq!(
            tidy_description("JAPAN PU CASTOR FIXED 200MM Note to Supplier: deliver to site store, call +65 6265 3391"),
            "JAPAN PU CASTOR FIXED 200MM"
        );
        assert_eq!(
            tidy_description("Total Quartz 5W-30 engine oil"),
            "Total Quartz 5W-30 engine oil"
        );
    }

    #[test]
    fn a_maker_of_one_letter_and_a_model_number_name_a_product() {
        assert!(names_something("3M 8210"));
        assert!(names_something("Ear plugs"));
        assert!(!names_something("2 x 4"));
        assert!(!names_something("3M"));
        assert!(!names_something("5M 12"));
        assert!(!names_something("Specification"));
    }

    #[test]
    fn a_part_number_on_its_own_line_joins_the_description_above_its_quantity() {
        let got = extract_rules(&[doc(vec![
            line("Please quote the following:"),
            line("Item 1: Makita planer 82mm"),
            line("P/N: M1901G"),
            line("Qty: 2 units"),
            line("Item 2: Bostitch stapling plier"),
            line("Colour: black"),
            line("Qty: 10 pcs"),
        ])])
        .expect("read");
        let got: Vec<(&str, String)> = got
            .iter()
            .map(|r| (r.description.as_str(), r.quantity.to_string()))
            .collect();
        assert_eq!(
            got,
            vec![
                ("Makita planer 82mm M1901G", "2".to_string()),
                ("Bostitch stapling plier; Colour: black", "10".to_string())
            ]
        );
    }

    #[test]
    fn an_item_block_takes_in_its_specification_wherever_the_quantity_stands() {
        let got = read_lines(&[
            "TECHNICAL SPECIFICATIONS",
            "Item 1: Cordless drill driver",
            "Make/Model: Makita DDF482RTE or equivalent",
            "Voltage: 18V Li-ion",
            "Dust bag included",
            "Ship to: Tuas store",
            "Quantity required: 6 units",
            "Item 2: Heat gun",
            "Qty: 4 sets",
            "Model: Bosch GHG 20-63",
            "Power: 2000W",
            "Item 3: Random orbit sander 125mm",
            "Pad dia.: 125mm",
            "Quantity: 3 units",
            "Warranty: 2 years",
        ]);
        assert_eq!(
            got,
            vec![
                (
                    "Cordless drill driver; Make/Model: Makita DDF482RTE or equivalent; Voltage: 18V Li-ion; Dust bag included".to_string(),
                    "6".to_string()
                ),
                ("Heat gun Bosch GHG 20-63; Power: 2000W".to_string(), "4".to_string()),
                (
                    "Random orbit sander 125mm; Pad dia.: 125mm; Warranty: 2 years".to_string(),
                    "3".to_string()
                ),
            ]
        );
    }

    fn doc(blocks: Vec<Block>) -> ExtractedDocument {
        ExtractedDocument {
            name: "a.pdf".into(),
            format: crate::pipeline::text::Format::Pdf,
            blocks,
        }
    }

    fn line(t: &str) -> Block {
        Block::Line { text: t.into() }
    }

    /// The (description, quantity) pairs read from lines of running text.
    fn read_lines(lines: &[&str]) -> Vec<(String, String)> {
        let blocks = lines.iter().map(|t| line(t)).collect();
        extract_rules(&[doc(blocks)])
            .expect("items")
            .iter()
            .map(|r| (r.description.clone(), r.quantity.to_string()))
            .collect()
    }

    fn table(rows: &[&[&str]]) -> Block {
        Block::Table { rows: grid(rows) }
    }

    #[test]
    fn names_beside_numbers_are_items_only_in_a_request() {
        let report = table(&[
            &["Maxim Integrated Products", "San Jose", "150"],
            &["Long Beach Memorial Medical Center", "Long Beach", "90"],
        ]);
        assert_eq!(extract_rules(&[doc(vec![report.clone()])]), Err(ExtractError::NoItems));
        let asked = Block::Line {
            text: "Please quote for the following:".into(),
        };
        let lines = extract_rules(&[doc(vec![asked, report])]).expect("items");
        assert_eq!(lines.len(), 2);
        // A named quantity column is an item list wherever it stands.
        let list = table(&[&["Item", "Qty"], &["Nitrile gloves", "20"], &["Mop head", "5"]]);
        assert_eq!(extract_rules(&[doc(vec![list])]).map(|l| l.len()), Ok(2));
    }

    #[test]
    fn numbers_in_a_description_above_its_labelled_quantity_stay_in_it() {
        let read = read_lines(&[
            "Item 5",
            "Description : Tender Soft toilet roll 10 rolls x 300 sheets",
            "Quantity    : 40 pkt",
            "Item 6",
            "Description : IPA wipes 70%, 20 x 20cm, 100 pcs/bag",
            "Qty: 20 bags",
        ]);
        assert_eq!(
            read,
            [
                (
                    "Tender Soft toilet roll 10 rolls x 300 sheets".to_string(),
                    "40".to_string()
                ),
                ("IPA wipes 70%, 20 x 20cm, 100 pcs/bag".into(), "20".into()),
            ]
        );
    }

    #[test]
    fn a_list_of_lines_ending_in_a_bracketed_figure_in_a_request() {
        let read = read_lines(&[
            "hi, pls quote for our kopitiam:",
            "kitchen degreaser spray (6)",
            "glass cleaner 5L (4)",
            "water dispenser hot/cold (1)",
            "Jenny Lau - Hougang Kopitiam Management",
        ]);
        assert_eq!(
            read,
            [
                ("kitchen degreaser spray".to_string(), "6".to_string()),
                ("glass cleaner 5L".into(), "4".into()),
                ("water dispenser hot/cold".into(), "1".into())
            ]
        );
        // one such line is no list, and a size in brackets is no quantity
        let one = vec![line("Please quote:"), line("Nitrile glove size L (9)"), line("Mop (4)")];
        assert_eq!(extract_rules(&[doc(one)]), Err(ExtractError::NoItems));
    }

    /// A list whose lines are marked every which way ("1.", "2)", "-", none): a line whose count
    /// closes it ("… (2)") is one of its items; a figure opening an unmarked line after the list
    /// is not ("15 Benoi Sector").
    #[test]
    fn a_closing_count_belongs_to_the_list_however_it_is_marked() {
        let read = read_lines(&[
            "PLS QUOTE FOLLOWING ITEMS.",
            "1. CASTOR, SWIVEL, 4in, PU, W/BRAKE - qty: 8 pcs",
            "2) SKK H/D PU CASTOR RIGID 6in 360KG  4nos",
            "- Nansin PU caster swivel 100mm x6",
            "SPARE WHEEL 8in FOR CYL TROLLEY (2)",
            "5. PU CASTOR 5in SWIVEL W/BRAKE - qty: 4 pcs",
            "- PADLOCK BRASS 50MM x10",
            "SKK ball castor TG-50B flat top (12)",
            "",
            "15 Benoi Sector",
        ]);
        let got: Vec<(&str, &str)> = read.iter().map(|(d, q)| (d.as_str(), q.as_str())).collect();
        assert!(got.contains(&("SPARE WHEEL 8in FOR CYL TROLLEY", "2")), "{got:?}");
        assert!(got.contains(&("SKK ball castor TG-50B flat top", "12")), "{got:?}");
        assert_eq!(got.len(), 7, "{got:?}");
    }

    #[test]
    fn quantities_without_a_unit_count_in_a_list() {
        let read = read_lines(&[
            "MEMO / REQUEST FOR QUOTATION",
            "Hi, for our fit-out job we need the following. Prices valid till end June 2026.",
            "• 6 Ingco 4V cordless screwdriver c/w 10 bits",
            "• 4 Makita slide switch grinder M9507G",
            "• 3 sets Jumbo wheel set 4\"",
            "Deliver to: Hangar 5, 25 Airline Road, Singapore 819830",
            "Kindly deliver to the loading bay, 10 Bayfront Avenue B2, between 9am and 11am.",
            "Site: 1 Tampines Walk, loading bay 2. Contact Mr Rajan 9123 0077.",
            "15 Benoi Sector, Singapore 629851",
        ]);
        let descriptions: Vec<&str> = read.iter().map(|(d, _)| d.as_str()).collect();
        assert_eq!(
            descriptions,
            [
                "Ingco 4V cordless screwdriver c/w 10 bits",
                "Makita slide switch grinder M9507G",
                "Jumbo wheel set 4\""
            ]
        );
        // a sentence that lists several, figures and spelled numbers
        let read = read_lines(&[
            "need these by Fri if can: twelve Rexco 50 lubricant 500ml, a dozen CRC contact cleaner 350g and six tubes of Bostik No More Nail 320g.",
        ]);
        assert_eq!(
            read,
            [
                ("Rexco 50 lubricant 500ml".to_string(), "12".to_string()),
                ("CRC contact cleaner 350g".into(), "12".into()),
                ("Bostik No More Nail 320g".into(), "6".into()),
            ]
        );
        // the figure after the description, in a list of such lines
        let read = read_lines(&[
            "hi, can u quote below",
            "- floor squeegee plastic 22\" w handle - 6",
            "- SS window squeegee 35cm - 4",
        ]);
        assert_eq!(read.len(), 2);
        // alone, a figure before words is an address or a model, not an item
        let alone = vec![line("Please quote and deliver to:"), line("15 Benoi Sector")];
        assert_eq!(extract_rules(&[doc(alone)]), Err(ExtractError::NoItems));
        // a list without a unit in a document that asks for nothing is no request
        let notes = vec![line("12 Angry Men"), line("7 Samurai")];
        assert_eq!(extract_rules(&[doc(notes)]), Err(ExtractError::NoItems));
    }

    #[test]
    fn sub_items_that_only_give_a_size_belong_to_the_line_above() {
        let line = |t: &str| Block::ListItem { text: t.into() };
        let list = vec![
            line("1. Safety shoes Otter OWT993"),
            line("a) size 7 x 10 pairs"),
            line("b) size 9 x 8 pairs"),
            line("2. Microfibre cloths - 50 pcs"),
        ];
        let got = extract_rules(&[doc(list)]).expect("items");
        let read: Vec<&str> = got.iter().map(|r| r.description.as_str()).collect();
        assert_eq!(
            read,
            [
                "Safety shoes Otter OWT993 size 7",
                "Safety shoes Otter OWT993 size 9",
                "Microfibre cloths"
            ]
        );
    }

    #[test]
    fn an_item_goes_on_from_a_marked_line_onto_an_unmarked_one() {
        let got = read_lines(&[
            "Pls quote for our workshop, thanks.",
            "* Mirka Gold velcro sanding disc",
            "5\" grit 120  — 500 pcs",
            "* 3M foam sanding sponge",
            "fine  — 50 pcs",
            "* Nylon hand brush - 30 pcs",
            "brass hose end 1/2 x 3/8 - 50pcs",
            "hans yellow air hose 3/8 100m",
            "2 roll",
        ]);
        assert_eq!(
            got,
            [
                (
                    "Mirka Gold velcro sanding disc 5\" grit 120".to_string(),
                    "500".to_string()
                ),
                ("3M foam sanding sponge fine".to_string(), "50".to_string()),
                ("Nylon hand brush".to_string(), "30".to_string()),
                ("brass hose end 1/2 x 3/8".to_string(), "50".to_string()),
                ("hans yellow air hose 3/8 100m".to_string(), "2".to_string()),
            ]
        );
    }

    #[test]
    fn lines_after_an_item_table_are_read_under_its_header() {
        let blocks = vec![
            table(&[
                &[
                    "Line",
                    "Item Description",
                    "Category",
                    "UOM",
                    "Quantity",
                    "Need-By Date",
                    "Price",
                ],
                &[
                    "1",
                    "Worksafe kernmantle rope 12mm x 10m",
                    "HSE.FALL",
                    "Each",
                    "6",
                    "06-APR-2026",
                    "",
                ],
            ]),
            line("Requester: Ahmad Hafiz Source: RFQ Organization: MPS"),
            line("2  Worksafe full body harness WSFAB170-01  HSE.FALL  Each  10  06-APR-2026"),
            line("Requester: Ahmad Hafiz Source: RFQ Organization: MPS"),
            line("Page 1 of 2  Printed 12-MAR-2026  Oracle iProcurement"),
        ];
        let got: Vec<(String, String)> = extract_rules(&[doc(blocks)])
            .expect("items")
            .iter()
            .map(|r| (r.description.clone(), r.quantity.to_string()))
            .collect();
        assert_eq!(
            got,
            [
                ("Worksafe kernmantle rope 12mm x 10m".to_string(), "6".to_string()),
                ("Worksafe full body harness WSFAB170-01".to_string(), "10".to_string()),
            ]
        );
    }

    #[test]
    fn rows_that_only_give_a_size_belong_to_the_row_above() {
        let rows = table(&[
            &["Item", "Qty", "Unit", "Description"],
            &["1", "", "", "Quebee coverall c/w reflective, orange:"],
            &["1.1", "10", "pcs", "(L)"],
            &["1.2", "5", "pcs", "(XL)"],
            &["2", "30", "pcs", "Safety goggles anti-fog"],
            &["3", "", "", "King's safety shoe KWD805 black"],
            &["3.1", "6", "prs", "- UK9"],
        ]);
        let got = extract_rules(&[doc(vec![rows])]).expect("items");
        let read: Vec<(&str, String)> = got
            .iter()
            .map(|r| (r.description.as_str(), r.quantity.to_string()))
            .collect();
        assert_eq!(
            read,
            [
                ("Quebee coverall c/w reflective, orange: (L)", "10".into()),
                ("Quebee coverall c/w reflective, orange: (XL)", "5".into()),
                ("Safety goggles anti-fog", "30".into()),
                ("King's safety shoe KWD805 black UK9", "6".into()),
            ]
        );
    }

    #[test]
    fn no_items_is_an_error() {
        let doc = ExtractedDocument {
            name: "a.txt".into(),
            format: crate::pipeline::text::Format::Txt,
            blocks: vec![Block::Line {
                text: "Dear Sir, please call me.".into(),
            }],
        };
        assert_eq!(extract_rules(&[doc]), Err(ExtractError::NoItems));
    }
}
