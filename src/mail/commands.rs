//! What a reply in one of our threads asks for: an approver's "approve", "approve with 5%
//! discount" or "reject <reason>", a customer's "accept"/"confirm" or "reject". Only the new
//! text counts (quoted history and signatures are cut off), and only a clean command: a
//! sentence that merely contains "approve" is conversation, never an approval.

use rust_decimal::Decimal;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApproverCommand {
    Approve { discount_pct: Option<Decimal> },
    Reject { reason: String },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CustomerCommand {
    Accept,
    Reject { reason: String },
}

/// The text a person wrote above the quoted message.
pub fn new_text(body: &str) -> String {
    let mut out = Vec::new();
    for line in body.lines() {
        let t = line.trim();
        let lower = t.to_ascii_lowercase();
        let quote_header = (lower.starts_with("on ") && lower.ends_with("wrote:"))
            || lower.starts_with("-----original message")
            || lower.starts_with("________________")
            || (lower.starts_with("from:") && !out.is_empty());
        if quote_header || t == "--" || line.starts_with("-- ") {
            break;
        }
        if t.starts_with('>') {
            continue;
        }
        out.push(t);
    }
    out.join("\n").trim().to_string()
}

fn first_line(body: &str) -> String {
    new_text(body)
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("")
        .to_string()
}

fn words(s: &str) -> Vec<String> {
    s.split(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | ':' | '!' | '(' | ')'))
        .map(|w| w.trim_matches(|c: char| c == '.' || c == '-').to_ascii_lowercase())
        .filter(|w| !w.is_empty())
        .collect()
}

fn percent(word: &str) -> Option<Decimal> {
    let n = word.strip_suffix('%')?.replace(',', ".");
    let d: Decimal = n.parse().ok()?;
    (d > Decimal::ZERO && d < Decimal::ONE_HUNDRED).then_some(d)
}

/// The rest of a line after its first word, as a reason.
fn after_verb(line: &str) -> String {
    let rest = line
        .trim()
        .split_once(|c: char| c.is_whitespace() || c == ':' || c == ',')
        .map(|(_, r)| r)
        .unwrap_or("");
    rest.trim_start_matches(|c: char| c.is_whitespace() || matches!(c, ':' | ',' | '-' | '.'))
        .trim()
        .to_string()
}

const POLITE: &[&str] = &[
    "please", "pls", "thanks", "thank", "you", "ok", "okay", "and", "regards", "cheers",
];

pub fn parse_approver(body: &str) -> Option<ApproverCommand> {
    let line = first_line(body);
    let w = words(&line);
    let verb = w.first()?.as_str();
    match verb {
        "approve" | "approved" => {
            let mut discount = None;
            for word in &w[1..] {
                if let Some(d) = percent(word) {
                    if discount.is_some() {
                        return None; // two discounts: ambiguous
                    }
                    discount = Some(d);
                } else if !matches!(
                    word.as_str(),
                    "with"
                        | "a"
                        | "an"
                        | "extra"
                        | "additional"
                        | "discount"
                        | "off"
                        | "at"
                        | "of"
                        | "incl"
                        | "including"
                ) && !POLITE.contains(&word.as_str())
                {
                    return None;
                }
            }
            Some(ApproverCommand::Approve { discount_pct: discount })
        }
        "reject" | "rejected" | "decline" | "declined" => Some(ApproverCommand::Reject {
            reason: after_verb(&line),
        }),
        _ => None,
    }
}

pub fn parse_customer(body: &str) -> Option<CustomerCommand> {
    let line = first_line(body);
    let w = words(&line);
    let mut i = 0;
    while i < w.len()
        && matches!(
            w[i].as_str(),
            "yes" | "we" | "i" | "hereby" | "hi" | "dear" | "ok" | "okay"
        )
    {
        i += 1;
    }
    let verb = w.get(i)?.as_str();
    match verb {
        "accept" | "accepted" | "confirm" | "confirmed" => {
            let clean = w[i + 1..].iter().all(|word| {
                matches!(
                    word.as_str(),
                    "the"
                        | "this"
                        | "your"
                        | "our"
                        | "quotation"
                        | "quote"
                        | "offer"
                        | "order"
                        | "proceed"
                        | "with"
                        | "it"
                ) || POLITE.contains(&word.as_str())
                    || crate::domain::QuoteNumber::parse(word).is_ok()
            });
            clean.then_some(CustomerCommand::Accept)
        }
        "reject" | "rejected" | "decline" | "declined" => {
            let pos = line.to_ascii_lowercase().find(verb).unwrap_or(0);
            Some(CustomerCommand::Reject {
                reason: after_verb(&line[pos..]),
            })
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn approvers_commands() {
        assert_eq!(
            parse_approver("approve"),
            Some(ApproverCommand::Approve { discount_pct: None })
        );
        assert_eq!(
            parse_approver("Approved, thanks!\n\n-- \nAnna"),
            Some(ApproverCommand::Approve { discount_pct: None })
        );
        assert_eq!(
            parse_approver("approve with 5% discount"),
            Some(ApproverCommand::Approve {
                discount_pct: Some(Decimal::new(5, 0))
            })
        );
        assert_eq!(
            parse_approver("Approve, 2.5% extra discount please"),
            Some(ApproverCommand::Approve {
                discount_pct: Some(Decimal::new(25, 1))
            })
        );
        assert_eq!(
            parse_approver("reject: prices are outdated\n> quoted"),
            Some(ApproverCommand::Reject {
                reason: "prices are outdated".into()
            })
        );
        assert_eq!(
            parse_approver("Reject"),
            Some(ApproverCommand::Reject { reason: String::new() })
        );
    }

    #[test]
    fn anything_unclear_is_not_a_command() {
        for text in [
            "",
            "I would not approve this",
            "approve after you fix line 3",
            "approve with 5% and 10% discount",
            "approve with 150% discount",
            "> approve\nthanks",
            "Looks fine.\napprove",
        ] {
            assert_eq!(parse_approver(text), None, "{text:?}");
        }
    }

    #[test]
    fn customer_commands() {
        assert_eq!(parse_customer("Accept"), Some(CustomerCommand::Accept));
        assert_eq!(
            parse_customer("We confirm the order, please proceed."),
            Some(CustomerCommand::Accept)
        );
        assert_eq!(
            parse_customer("Yes, we accept Q-2026-000001. Thanks"),
            Some(CustomerCommand::Accept)
        );
        assert_eq!(
            parse_customer("confirm\n\nOn Mon, 1 Dec 2026 Sales wrote:\n> reject"),
            Some(CustomerCommand::Accept)
        );
        assert_eq!(
            parse_customer("We decline: too expensive"),
            Some(CustomerCommand::Reject {
                reason: "too expensive".into()
            })
        );
        assert_eq!(parse_customer("Can you confirm the lead time?"), None);
        assert_eq!(parse_customer("accept if you can deliver by Friday"), None);
    }
}
