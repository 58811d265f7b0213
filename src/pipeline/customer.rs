//! The customer block of a request: company, contact, mail address, phone, RFQ reference and
//! due date, from mail headers and from the text itself (letterheads, signatures, labels).

use std::sync::LazyLock;

use chrono::NaiveDate;
use regex::Regex;
use serde::{Deserialize, Serialize};

use super::signature::{self, COMPANY_SUFFIX};
use super::text::{Block, ExtractedDocument};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerInfo {
    pub company: Option<String>,
    pub contact: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub reference: Option<String>,
    pub due_date: Option<NaiveDate>,
    /// The colleague who forwarded the request to us (never the customer).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub forwarded_by: Option<String>,
}

/// What the channel already knows about the sender.
#[derive(Debug, Clone, Default)]
pub struct SenderHint {
    pub address: Option<String>,
    pub display_name: Option<String>,
    pub subject: Option<String>,
    /// Our own addresses: never the customer's.
    pub own_domains: Vec<String>,
    /// The colleague who forwarded the request (recorded, never the customer).
    pub forwarded_by: Option<String>,
}

static EMAIL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\b[a-z0-9._%+-]+@[a-z0-9.-]+\.[a-z]{2,}\b").expect("regex"));
static PHONE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:\b(?:tel|phone|mobile|mob|hp|ph|contact|fax)\b\.?\s*(?:no\.?)?\s*[:.]?\s*|)(?P<p>\+\d{1,3}[\s-]?\(?\d{1,4}\)?[\s-]?\d{3,4}[\s-]?\d{3,4}|\(?\b\d{3,4}\)?[\s-]\d{3,4}[\s-]?\d{3,4}\b)")
        .expect("regex")
});
static PHONE_LABEL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\b(?:tel|phone|mobile|mob|hp|ph)\b").expect("regex"));
static REFERENCE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:our\s+ref(?:erence)?|ref(?:erence)?(?:\s+no\.?)?|rfq\s*(?:no\.?|number|#)?|rfp\s*(?:no\.?|#)?|enquiry\s+no\.?|inquiry\s+no\.?|pr\s+no\.?)(?:\s*[:#.]\s*|\s+)(?P<r>[A-Z]{0,6}[-/#]?[A-Z0-9]*\d[A-Z0-9/_.-]*[A-Z0-9])")
        .expect("regex")
});
static REFERENCE_BARE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b(?P<r>(?:RFQ|RFP|RFI|PR|ENQ|INQ|REQ)[-/#]?\d[\dA-Z/_.-]*\d)\b").expect("regex"));
static DUE_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:quote\s+by|quotation\s+by|respond\s+by|reply\s+by|submit(?:ted)?\s+by|closing\s+date|due(?:\s+date)?|deadline|before|no\s+later\s+than|by)\s*[:.]?\s*(?P<d>\d{1,2}(?:st|nd|rd|th)?[\s./-]+(?:[a-z]{3,9}|\d{1,2})[\s./-]+\d{2,4}|\d{4}-\d{2}-\d{2}|[a-z]{3,9}\s+\d{1,2},?\s+\d{4})")
        .expect("regex")
});
static CONTACT_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:contact(?:\s+person)?|attn|attention|requested\s+by|buyer)\s*[:.]\s*(?P<n>[A-Z][A-Za-z.'-]+(?:\s+[A-Z][A-Za-z.'-]+){0,3})").expect("regex")
});
static SIGN_OFF: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:best\s+|kind\s+|warm\s+)?(?:regards|thanks|thank\s+you|sincerely|yours\s+(?:faithfully|sincerely|truly)|cheers)[,.!]?$").expect("regex")
});
/// The name of a field in a form or a sheet's header block, in a cell of its own before its
/// value ("Company | Acme Pte Ltd", "Contact Person | Jane Tan").
static FIELD_NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(?:(?:company|customer|client|organi[sz]ation|vendor|supplier|buyer|requester|requestor)(?:\s+name)?|contact(?:\s+(?:person|name|no\.?|number))?|name|attn|attention|e-?mail(?:\s+address)?|tel(?:ephone)?(?:\s+no\.?)?|phone|mobile|fax|address|(?:delivery|billing|site)\s+address|ship\s+to|bill\s+to|date|(?:due|closing|required|delivery)\s+date|ref(?:erence)?(?:\s+no\.?)?|(?:rfq|rfp|po|pr|enquiry|inquiry)\s*(?:no\.?|number|#|ref(?:erence)?)?|project|site|department|dept|requested\s+by|currency|payment\s+terms|terms)\s*[:.]?\s*$")
        .expect("regex")
});
/// A company named by its field ("Company: Acme Pte Ltd", "Customer Name - Acme").
static COMPANY_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(?:company|customer|client|organi[sz]ation|requesting\s+company|bill\s+to)(?:\s+name)?\s*[:\-–]\s*(?P<c>\S.{1,80})$")
        .expect("regex")
});
static INTENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?P<c>[A-Z][\w&.,' -]{2,80}?)\s+(?:would like|wishes|is pleased|requests|invites)\b").expect("regex")
});

/// Reads the customer block from the documents, preferring what the channel knows for sure.
pub fn extract(docs: &[ExtractedDocument], hint: &SenderHint) -> CustomerInfo {
    let lines: Vec<String> = docs.iter().flat_map(text_lines).collect();
    let mut info = CustomerInfo {
        email: hint.address.clone().filter(|a| !is_own(a, hint)),
        forwarded_by: hint.forwarded_by.clone(),
        ..Default::default()
    };
    for line in &lines {
        if info.email.is_none() {
            info.email = EMAIL
                .find_iter(line)
                .map(|m| m.as_str().to_ascii_lowercase())
                .find(|a| !is_own(a, hint));
        }
        if info.phone.is_none() {
            info.phone = phone(line);
        }
        if info.reference.is_none() {
            info.reference = REFERENCE
                .captures(line)
                .or_else(|| REFERENCE_BARE.captures(line))
                .map(|c| c["r"].trim_end_matches(['.', ',']).to_string());
        }
        if info.due_date.is_none() {
            info.due_date = DUE_LABEL.captures(line).and_then(|c| parse_date(&c["d"]));
        }
        if info.contact.is_none() {
            info.contact = CONTACT_LABEL
                .captures(line)
                .and_then(|c| signature::contact_of(c["n"].trim()));
        }
        if info.company.is_none() {
            info.company = COMPANY_LABEL
                .captures(line)
                .or_else(|| INTENT.captures(line))
                .and_then(|c| signature::company_of(c["c"].trim()));
        }
    }
    if info.reference.is_none() {
        info.reference = hint
            .subject
            .as_deref()
            .and_then(|s| REFERENCE.captures(s).or_else(|| REFERENCE_BARE.captures(s)))
            .map(|c| c["r"].to_string());
    }
    let (sig_contact, sig_company) = signature(&lines);
    info.contact = info
        .contact
        .or(sig_contact)
        .or_else(|| hint.display_name.clone().filter(|n| !n.contains('@')));
    info.company = info.company.or(sig_company).or_else(|| letterhead(docs)).or_else(|| {
        lines
            .iter()
            // "Requested by Mohd Hafiz - Klang Valley Scaffolding Sdn Bhd - hafiz@…": the
            // segment with the suffix
            .filter(|l| l.len() < 200)
            .find_map(|l| signature::company_of(l).filter(|c| COMPANY_SUFFIX.is_match(c)))
    });
    info
}

fn is_own(address: &str, hint: &SenderHint) -> bool {
    let domain = address.rsplit('@').next().unwrap_or("").to_ascii_lowercase();
    hint.own_domains.iter().any(|d| d.eq_ignore_ascii_case(&domain))
}

fn text_lines(doc: &ExtractedDocument) -> Vec<String> {
    doc.blocks
        .iter()
        .flat_map(|b| match b {
            Block::Line { text } | Block::ListItem { text } => vec![text.clone()],
            // Short tables (contact blocks) are read whole; of an item table only the title
            // rows above and below the items (a sheet's "RFQ … buyer@… Tel …" lines) and rows
            // giving a mail address, so that item numbers are never taken for phones.
            Block::Table { rows } if rows.len() <= 6 => rows.iter().map(|r| row_text(r)).collect(),
            Block::Table { rows } => rows
                .iter()
                .enumerate()
                .filter(|(i, r)| {
                    let filled = r.iter().filter(|c| !c.trim().is_empty()).count();
                    let edge = *i < 8 || *i + 4 >= rows.len();
                    (edge && filled <= 2) || r.iter().any(|c| c.contains('@'))
                })
                .map(|(_, r)| row_text(r))
                .collect(),
        })
        .collect()
}

/// A table row as a line; a field and its value as "Field: value", so that the labels read
/// in text read in forms too ("Contact Person | Jane Tan" → "Contact Person: Jane Tan").
fn row_text(row: &[String]) -> String {
    let filled: Vec<&str> = row.iter().map(|c| c.trim()).filter(|c| !c.is_empty()).collect();
    match filled.as_slice() {
        [field, value] if FIELD_NAME.is_match(field) => {
            format!("{}: {value}", field.trim_end_matches([':', '.', ' ']))
        }
        _ => row.join(" "),
    }
}

fn phone(line: &str) -> Option<String> {
    let c = PHONE.captures(line)?;
    let p = c.name("p")?.as_str().trim();
    let digits = p.chars().filter(char::is_ascii_digit).count();
    // Without a country code, trust only numbers that carry a label.
    if !(8..=15).contains(&digits) || (!p.starts_with('+') && !PHONE_LABEL.is_match(line)) {
        return None;
    }
    Some(p.to_string())
}

/// "Regards,\nFarah Aziz\nSentosa Maintenance Services" → (contact, company), job titles left
/// out (see `pipeline::signature`).
fn signature(lines: &[String]) -> (Option<String>, Option<String>) {
    let Some(at) = lines.iter().rposition(|l| SIGN_OFF.is_match(l.trim())) else {
        return (None, None);
    };
    let rest: Vec<&str> = lines[at + 1..]
        .iter()
        .map(|l| l.trim())
        .filter(|l| !l.is_empty() && !EMAIL.is_match(l) && phone(l).is_none() && !l.starts_with('+'))
        .collect();
    signature::block(&rest)
}

/// A document's first line when it reads like an organisation name (title of a letterhead).
fn letterhead(docs: &[ExtractedDocument]) -> Option<String> {
    docs.iter().find_map(|d| {
        let first = d.blocks.iter().find_map(|b| match b {
            Block::Line { text } => Some(text.clone()),
            // a sheet's title row holds a cell or two; a header row ("No", "Description",
            // "Qty" …) names no organisation
            Block::Table { rows } => rows
                .first()
                .filter(|r| r.iter().filter(|c| !c.trim().is_empty()).count() <= 2)
                .and_then(|r| r.iter().find(|c| !c.is_empty()).cloned())
                // a field's name ("Company | Acme") is no organisation
                .filter(|c| !FIELD_NAME.is_match(c)),
            Block::ListItem { .. } => None,
        })?;
        let lower = first.to_ascii_lowercase();
        let generic = [
            "request for",
            "quotation",
            "dear",
            "hi",
            "hello",
            "rfq",
            "purchase",
            "enquiry",
            "inquiry",
        ];
        // a sentence of the request ("Kindly quote 20 pcs safety helmet") names no organisation
        let first_word = lower.split(|c: char| !c.is_alphanumeric()).next().unwrap_or("");
        let sentence = [
            "please", "pls", "kindly", "need", "we", "i", "could", "can", "would", "our", "my", "attached", "find",
            "thanks", "thank", "good",
        ]
        .contains(&first_word);
        (first.len() < 80
            && !sentence
            && !crate::pipeline::requirements::names_an_item(&first)
            && !generic.iter().any(|g| lower.starts_with(g))
            && first.split_whitespace().count() <= 8
            && first.chars().next().is_some_and(char::is_uppercase)
            && !first.contains(':'))
        .then(|| signature::company_of(&first))
        .flatten()
    })
}

/// A day's ordinal suffix ("24th"), compiled once: this ran for every date a request gave.
static ORDINAL: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(\d)(?:st|nd|rd|th)").expect("regex"));

/// "24 Jan 2027", "24/01/2027" (day first), "2027-01-24", "January 24, 2027".
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim().replace(',', "");
    let s = ORDINAL.replace_all(&s, "$1").into_owned();
    for fmt in [
        "%d %b %Y", "%d %B %Y", "%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y", "%d-%m-%Y", "%d-%b-%Y", "%b %d %Y", "%B %d %Y",
        "%d %b %y", "%d/%m/%y",
    ] {
        if let Ok(d) = NaiveDate::parse_from_str(&s, fmt) {
            return Some(d);
        }
    }
    None
}

#[cfg(test)]
mod tests;
