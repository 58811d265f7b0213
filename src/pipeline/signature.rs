//! Who signed a request and for which company, without job titles: "Procurement Executive |
//! Bukit Timah Construction", "Jane Tan, Purchasing Manager, Acme Pte Ltd", "Regards,\nJane
//! Tan\nSenior Buyer\nAcme Engineering Pte Ltd\nTel …".
//!
//! A line is cut into segments at the separators people put between name, title and company
//! ("|", " – ", " - ", "•", ";", and commas when a comma part is a job title). Each segment is a
//! **job title** (a word of the title vocabulary: manager, buyer, procurement, …; "Engineering
//! Manager" is a title, its head word decides), a **company** (it ends with a company marker:
//! a legal form such as Pte Ltd, Sdn Bhd, GmbH, or a trade word such as Construction,
//! Engineering, Services), a person's **name**, or something else. Titles are never a company
//! or a contact; in a signature the company is the marked segment, else what follows the name
//! and the title.

use std::sync::LazyLock;

use regex::Regex;

/// Words that make a segment a job title or a department (lowercase).
const TITLE_WORDS: &[&str] = &[
    "executive",
    "exec",
    "manager",
    "mgr",
    "officer",
    "buyer",
    "purchaser",
    "procurement",
    "purchasing",
    "engineer",
    "director",
    "assistant",
    "asst",
    "coordinator",
    "co-ordinator",
    "supervisor",
    "head",
    "specialist",
    "analyst",
    "administrator",
    "admin",
    "clerk",
    "secretary",
    "ceo",
    "cfo",
    "coo",
    "cto",
    "gm",
    "president",
    "vp",
    "chief",
    "controller",
    "superintendent",
    "foreman",
    "planner",
    "storekeeper",
    "technician",
    "consultant",
    "representative",
    "associate",
    "dept",
    "department",
    "intern",
    "founder",
    "owner",
    "accountant",
    "estimator",
    "surveyor",
    "inspector",
    "sourcing",
    "leader",
    "team",
    "senior",
    "junior",
    "deputy",
    "principal",
    "vice",
];

/// Honorifics before or after a name.
const HONORIFICS: &[&str] = &["mr", "mrs", "ms", "miss", "mdm", "dr", "ir", "er", "sir", "madam"];

/// A company marker at the end: legal forms and the trade words companies name themselves with.
pub static COMPANY_SUFFIX: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:pte\.?\s*ltd|ltd|limited|llc|llp|plc|inc|gmbh|ag|bv|s\.?a|sdn\.?\s*bhd|bhd|co\.|corp(?:oration)?|company|services|engineering|construction|contractors?|enterprises?|industries|industrial|holdings|trading|supplies|supply|works|management|fabrication|components|marine|shipyard|logistics|group|solutions|technologies|manufacturing|builders|development)\b\.?$").expect("regex")
});
/// A legal form alone, left over when a comma was taken as a separator ("Acme Co., Ltd").
static LEGAL_ONLY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:pte\.?\s*ltd|ltd|limited|llc|llp|plc|inc|gmbh|sdn\.?\s*bhd|bhd)\.?$").expect("regex")
});
static STRONG_SEPARATOR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\s*(?:\||•|·|;|\s[–—-]\s)\s*").expect("regex"));
static PARENTHESES: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\s*\([^)]*\)").expect("regex"));

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Title,
    Company,
    Name,
    Other,
}

fn words(s: &str) -> Vec<String> {
    s.split_whitespace()
        .map(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric() && c != '-')
                .to_lowercase()
        })
        .filter(|w| !w.is_empty())
        .collect()
}

fn is_title_word(w: &str) -> bool {
    TITLE_WORDS.contains(&w)
}

fn kind(segment: &str) -> Kind {
    let w = words(segment);
    let Some(last) = w.last() else {
        return Kind::Other;
    };
    if COMPANY_SUFFIX.is_match(segment) && !is_title_word(last) {
        return Kind::Company;
    }
    if w.iter().any(|x| is_title_word(x)) {
        return Kind::Title;
    }
    if looks_like_name(segment) {
        return Kind::Name;
    }
    Kind::Other
}

/// One to four capitalised words without digits: "Jane Tan", "Farah binte Aziz" is Other.
pub fn looks_like_name(s: &str) -> bool {
    let words: Vec<&str> = s.split_whitespace().collect();
    (1..=5).contains(&words.len())
        && words.iter().all(|w| w.chars().next().is_some_and(char::is_uppercase))
        && !s.chars().any(|c| c.is_ascii_digit())
}

/// Drops "(Ms)", "(Procurement)": parentheses around an honorific or a title ("(S)" stays).
fn without_title_parentheses(s: &str) -> String {
    PARENTHESES
        .replace_all(s, |c: &regex::Captures<'_>| {
            let w = words(&c[0]);
            if w.iter().any(|x| is_title_word(x) || HONORIFICS.contains(&x.as_str())) {
                String::new()
            } else {
                c[0].to_string()
            }
        })
        .into_owned()
}

/// The segments of a line, with what each is.
fn segments(line: &str) -> Vec<(String, Kind)> {
    let line = without_title_parentheses(line);
    let mut out: Vec<(String, Kind)> = Vec::new();
    for piece in STRONG_SEPARATOR.split(line.trim()) {
        let parts: Vec<&str> = piece.split(',').map(str::trim).collect();
        // commas separate only when one side is a title: "Chemicals, Adhesives & Lubricants" stays
        let split = parts.len() > 1 && parts.iter().any(|p| kind(p) == Kind::Title);
        let parts = if split { parts } else { vec![piece.trim()] };
        for p in parts.into_iter().filter(|p| !p.is_empty()) {
            match out.last_mut() {
                Some((prev, k)) if split && LEGAL_ONLY.is_match(p) => {
                    prev.push_str(", ");
                    prev.push_str(p);
                    *k = kind(prev);
                }
                _ => out.push((p.to_string(), kind(p))),
            }
        }
    }
    out
}

/// The company a line names, without job titles and names: the segment with a company
/// marker, else the last segment after a title; a line of one segment that is not a title is
/// itself. None when the line is only a title and a name.
pub fn company_of(line: &str) -> Option<String> {
    let segs = segments(line);
    if let Some((c, _)) = segs.iter().find(|(_, k)| *k == Kind::Company) {
        return Some(c.clone());
    }
    match segs.as_slice() {
        [(only, k)] if *k != Kind::Title => Some(only.clone()),
        [] | [_] => None,
        _ => {
            let after_title = segs.iter().rposition(|(_, k)| *k == Kind::Title)?;
            segs[after_title + 1..]
                .iter()
                .find(|(_, k)| *k != Kind::Title)
                .map(|(s, _)| s.clone())
        }
    }
}

/// A person's name from "Jane Tan", "Ms Jane Tan (Procurement)", "Jane Tan, Purchasing
/// Manager", "Jane Tan Procurement Executive"; None for a title alone.
pub fn contact_of(s: &str) -> Option<String> {
    segments(s).into_iter().find_map(|(seg, _)| {
        let mut w: Vec<&str> = seg.split_whitespace().collect();
        while w.last().is_some_and(|x| is_title_word(&x.to_lowercase())) {
            w.pop();
        }
        while w.len() > 1
            && w.first()
                .is_some_and(|x| HONORIFICS.contains(&x.trim_end_matches('.').to_lowercase().as_str()))
        {
            w.remove(0);
        }
        let name = w.join(" ");
        (!name.is_empty() && kind(&name) == Kind::Name).then_some(name)
    })
}

/// The lines after a sign-off ("Regards,"), contact details already removed → (contact,
/// company): the first name, and the first company (else the first segment after the name
/// that is neither a title nor has digits).
pub fn block(lines: &[&str]) -> (Option<String>, Option<String>) {
    let mut contact = None;
    let mut company = None;
    let mut fallback = None;
    for line in lines.iter().take(5) {
        let had_title = segments(line).iter().any(|(_, k)| *k == Kind::Title);
        for (seg, k) in segments(line) {
            match k {
                Kind::Company if company.is_none() => company = Some(seg),
                Kind::Name if contact.is_none() && company.is_none() && fallback.is_none() => {
                    contact = contact_of(&seg);
                }
                Kind::Name | Kind::Other
                    if fallback.is_none()
                        && (contact.is_some() || had_title)
                        && seg.len() < 80
                        && !seg.chars().any(|c| c.is_ascii_digit()) =>
                {
                    fallback = Some(seg);
                }
                _ => {}
            }
        }
    }
    (contact, company.or(fallback))
}

#[cfg(test)]
mod tests;
