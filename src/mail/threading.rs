//! Our Message-IDs and how replies find their way back (DESIGN §6).
//!
//! Every mail we send has the Message-ID `horme.<kind>.<token>.<hash>@<domain>`: `token` is
//! the quotation number once there is one (`Q-2026-000123`), else `r<request id>`; `hash` is
//! derived from the reply's idempotency key, so a resent reply keeps its Message-ID (and a
//! client that already has it drops the copy). A received mail belongs to one of our threads
//! when its `In-Reply-To`/`References` name one of our Message-IDs, or when its subject names
//! an existing quotation number.
//!
//! Threading is not authority: quotation numbers are sequential, and the customer sees the
//! Message-IDs of the mails sent to them. A draft sent to the approvers therefore carries an
//! unguessable approval token ([`new_approval_token`]) in its Message-ID
//! (`horme.approvalrequest.<number>.<hash>.<token>@<domain>`) and as a subject tag
//! (`[approval <token>]`); only a reply that carries it can approve ([`carries_approval_token`]).

use regex::Regex;
use sha2::{Digest, Sha256};
use uuid::Uuid;

/// What one of our Message-IDs points at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Token {
    Quotation(String),
    Request(Uuid),
}

/// The Message-ID (without angle brackets) of a reply.
pub fn message_id(kind: &str, token: &Token, idempotency_key: &str, domain: &str) -> String {
    let hash = hex::encode(&Sha256::digest(idempotency_key.as_bytes())[..6]);
    let token = match token {
        Token::Quotation(n) => n.clone(),
        Token::Request(id) => format!("r{}", id.simple()),
    };
    let kind: String = kind.chars().filter(char::is_ascii_alphanumeric).collect();
    format!("horme.{kind}.{token}.{hash}@{domain}")
}

/// The token of one of our Message-IDs (`None` for anybody else's).
pub fn token_of(id: &str, domain: &str) -> Option<Token> {
    let id = id.trim().trim_start_matches('<').trim_end_matches('>');
    let (local, d) = id.rsplit_once('@')?;
    if !d.eq_ignore_ascii_case(domain) {
        return None;
    }
    let mut parts = local.split('.');
    if parts.next()? != "horme" {
        return None;
    }
    let _kind = parts.next()?;
    let token = parts.next()?;
    if let Some(hex) = token.strip_prefix('r') {
        return Uuid::parse_str(hex).ok().map(Token::Request);
    }
    crate::domain::QuoteNumber::parse(token)
        .ok()
        .map(|n| Token::Quotation(n.to_string()))
}

/// A fresh approval token: 20 characters of lowercase base32, 100 random bits.
pub fn new_approval_token() -> String {
    use rand::Rng;
    const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz234567";
    let mut rng = rand::rng();
    (0..20)
        .map(|_| char::from(ALPHABET[rng.random_range(0..ALPHABET.len())]))
        .collect()
}

/// The Message-ID of a mail that asks approvers to decide: [`message_id`] with the approval
/// token as one more dot-separated part of the local part.
pub fn approval_message_id(
    kind: &str,
    number: &str,
    approval_token: &str,
    idempotency_key: &str,
    domain: &str,
) -> String {
    let id = message_id(kind, &Token::Quotation(number.to_string()), idempotency_key, domain);
    match id.rsplit_once('@') {
        Some((local, d)) => format!("{local}.{approval_token}@{d}"),
        None => id,
    }
}

/// The subject tag that carries an approval token.
pub fn approval_tag(approval_token: &str) -> String {
    format!("[approval {approval_token}]")
}

/// Whether a received mail answers the approval request whose token is `approval_token`:
/// one of its `In-Reply-To`/`References` is one of our Message-IDs carrying the token, or its
/// subject carries the token's tag. A quotation number alone never is.
pub fn carries_approval_token(ids: &[String], subject: &str, approval_token: &str, domain: &str) -> bool {
    if approval_token.len() < 16 {
        return false;
    }
    let in_ids = ids.iter().any(|id| {
        let id = id.trim().trim_start_matches('<').trim_end_matches('>');
        let Some((local, d)) = id.rsplit_once('@') else {
            return false;
        };
        d.eq_ignore_ascii_case(domain)
            && local.starts_with("horme.")
            && local
                .split('.')
                .skip(3)
                .any(|part| constant_time_eq(part, approval_token))
    });
    in_ids || subject.contains(&approval_tag(approval_token))
}

fn constant_time_eq(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Quotation numbers mentioned in a subject ("Re: Quotation Q-2026-000123").
pub fn numbers_in(subject: &str) -> Vec<String> {
    static RE: std::sync::OnceLock<Regex> = std::sync::OnceLock::new();
    let re = RE.get_or_init(|| Regex::new(r"(?i)\bQ-\d{4}-\d{6,}(?:-R\d+)?\b").expect("static regex"));
    re.find_iter(subject)
        .filter_map(|m| crate::domain::QuoteNumber::parse(m.as_str()).ok())
        .map(|n| n.to_string())
        .collect()
}

/// `Re: <original subject>`, without piling up prefixes.
pub fn reply_subject(original: &str) -> String {
    let s = original.trim();
    if s.is_empty() {
        return "Re: your request".into();
    }
    let lower = s.to_ascii_lowercase();
    if lower.starts_with("re:") || lower.starts_with("aw:") || lower.starts_with("sv:") {
        s.to_string()
    } else {
        format!("Re: {s}")
    }
}

/// The `References` of a reply: the parent's references, then the parent (no duplicates).
pub fn references(parent_refs: &[String], parent: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for r in parent_refs.iter().map(String::as_str).chain(std::iter::once(parent)) {
        let r = r.trim().trim_start_matches('<').trim_end_matches('>');
        if !r.is_empty() && !out.iter().any(|o| o == r) {
            out.push(r.to_string());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_ids_carry_their_token_and_are_stable() {
        let q = Token::Quotation("Q-2026-000123".into());
        let a = message_id("quote", &q, "quote:abc", "horme.example");
        assert_eq!(a, message_id("quote", &q, "quote:abc", "horme.example"));
        assert_ne!(a, message_id("quote", &q, "quote:abd", "horme.example"));
        assert!(a.starts_with("horme.quote.Q-2026-000123."), "{a}");
        assert_eq!(token_of(&format!("<{a}>"), "horme.example"), Some(q));
        assert_eq!(token_of(&a, "other.example"), None);

        let id = Uuid::now_v7();
        let r = message_id("ack", &Token::Request(id), "ack:x", "horme.example");
        assert_eq!(token_of(&r, "HORME.example"), Some(Token::Request(id)));
        assert_eq!(token_of("abc@horme.example", "horme.example"), None);
        assert_eq!(token_of("horme.ack.nonsense.1@horme.example", "horme.example"), None);
    }

    #[test]
    fn approval_tokens_are_needed_to_approve() {
        let t = new_approval_token();
        assert_eq!(t.len(), 20);
        assert_ne!(t, new_approval_token());
        let id = approval_message_id("approval_request", "Q-2026-000002", &t, "k", "horme.example");
        assert!(id.starts_with("horme.approvalrequest.Q-2026-000002."), "{id}");
        // the token does not change what the Message-ID points at
        assert_eq!(
            token_of(&id, "horme.example"),
            Some(Token::Quotation("Q-2026-000002".into()))
        );
        assert!(carries_approval_token(&[format!("<{id}>")], "", &t, "horme.example"));
        assert!(carries_approval_token(
            &[],
            &format!("Re: Approval needed: Q-2026-000002 {}", approval_tag(&t)),
            &t,
            "horme.example"
        ));
        // the number alone, another domain, another token, the customer's thread: no
        assert!(!carries_approval_token(&[], "Re: Q-2026-000002", &t, "horme.example"));
        assert!(!carries_approval_token(&[format!("<{id}>")], "", &t, "evil.example"));
        let other = approval_message_id(
            "approval_request",
            "Q-2026-000002",
            &new_approval_token(),
            "k",
            "horme.example",
        );
        assert!(!carries_approval_token(&[other], "", &t, "horme.example"));
        let quote = message_id(
            "quotation",
            &Token::Quotation("Q-2026-000002".into()),
            "k",
            "horme.example",
        );
        assert!(!carries_approval_token(&[quote], "", &t, "horme.example"));
        assert!(!carries_approval_token(&[], "[approval ]", "", "horme.example"));
    }

    #[test]
    fn subjects_and_references() {
        assert_eq!(reply_subject("RFQ 12"), "Re: RFQ 12");
        assert_eq!(reply_subject("RE: RFQ 12"), "RE: RFQ 12");
        assert_eq!(reply_subject(""), "Re: your request");
        assert_eq!(
            numbers_in("Re: Quotation Q-2026-000123 and q-2026-000124-R2"),
            vec!["Q-2026-000123".to_string(), "Q-2026-000124-R2".to_string()]
        );
        assert!(numbers_in("Order 2026-000123").is_empty());
        assert_eq!(
            references(&["<a@x>".into(), "b@x".into()], "<b@x>"),
            vec!["a@x".to_string(), "b@x".to_string()]
        );
    }
}
