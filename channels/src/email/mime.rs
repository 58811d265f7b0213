//! Raw RFC 5322 mail → [`InboundMessage`], through mail-parser.
//!
//! Attachments keep their RFC 2231 names; inline `cid:` images are not RFPs and are dropped;
//! a nested message (a forwarded RFP) is kept as a `message/rfc822` attachment so the
//! pipeline can open it; HTML-only mail keeps its HTML (tables) and a text rendering.

use mail_parser::{MessageParser, MimeHeaders, PartType};
use sha2::{Digest, Sha256};

use crate::{Attachment, ChannelKind, InboundMessage, Sender, ThreadRef};

/// A parsed mail: the channel-neutral message plus what mail threading and loop protection
/// need.
#[derive(Debug, Clone)]
pub struct ParsedMail {
    pub message: InboundMessage,
    pub message_id: String,
    pub in_reply_to: Vec<String>,
    pub references: Vec<String>,
    /// Why this mail must not get an automatic answer (auto-reply, bounce, list …), if any.
    pub no_reply_reason: Option<String>,
    /// The `Authentication-Results` header values, for approver checks.
    pub authentication_results: Vec<String>,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum MimeError {
    #[error("the message is empty")]
    Empty,
    #[error("the message cannot be parsed as mail")]
    Unparseable,
    #[error("the message has no sender address (From)")]
    NoSender,
}

/// Parses a raw message. A missing Message-ID is replaced by one derived from the bytes, so
/// that the same mail delivered twice is still recognised.
pub fn parse(raw: &[u8]) -> Result<ParsedMail, MimeError> {
    if raw.iter().all(u8::is_ascii_whitespace) {
        return Err(MimeError::Empty);
    }
    let msg = MessageParser::default().parse(raw).ok_or(MimeError::Unparseable)?;
    if msg.headers().is_empty() {
        return Err(MimeError::Unparseable);
    }
    let from = msg
        .reply_to()
        .and_then(|a| a.first())
        .or_else(|| msg.from().and_then(|a| a.first()))
        .and_then(|a| Some((a.address()?.to_string(), a.name().map(str::to_string))));
    let author = msg.from().and_then(|a| a.first());
    let (sender_address, sender_name) = match author {
        Some(a) => (
            a.address().ok_or(MimeError::NoSender)?.to_string(),
            a.name().map(str::to_string),
        ),
        None => return Err(MimeError::NoSender),
    };
    let reply_to = from.map(|(a, _)| a).unwrap_or_else(|| sender_address.clone());
    let message_id = match msg.message_id() {
        Some(id) if !id.trim().is_empty() => id.trim().to_string(),
        _ => format!("sha256-{}@horme.invalid", hex::encode(Sha256::digest(raw))),
    };
    let subject = msg.subject().map(|s| s.trim().to_string());
    let in_reply_to = header_ids(msg.in_reply_to());
    let references = header_ids(msg.references());

    // mail-parser renders text parts as HTML too: keep only a real text/html part.
    let html = msg
        .html_part(0)
        .filter(|p| matches!(p.body, PartType::Html(_)))
        .and_then(|_| msg.body_html(0))
        .map(|h| h.into_owned());
    let text = msg.body_text(0).map(|t| t.into_owned()).unwrap_or_default();

    let mut attachments = Vec::new();
    for (i, part) in msg.attachments().enumerate() {
        let media_type = part
            .content_type()
            .map(|ct| match ct.subtype() {
                Some(sub) => format!("{}/{}", ct.ctype(), sub),
                None => ct.ctype().to_string(),
            })
            .unwrap_or_else(|| "application/octet-stream".into())
            .to_ascii_lowercase();
        let inline = part
            .content_disposition()
            .is_some_and(|d| d.ctype().eq_ignore_ascii_case("inline"));
        // Inline images referenced from the HTML (cid:) are decoration, not documents.
        if media_type.starts_with("image/") && (inline || part.content_id().is_some()) {
            continue;
        }
        let (content, default_name) = match &part.body {
            PartType::Message(nested) => (nested.raw_message().to_vec(), format!("forwarded-{}.eml", i + 1)),
            PartType::Binary(b) | PartType::InlineBinary(b) => (b.to_vec(), format!("attachment-{}", i + 1)),
            PartType::Text(t) | PartType::Html(t) => (t.as_bytes().to_vec(), format!("attachment-{}.txt", i + 1)),
            PartType::Multipart(_) => continue,
        };
        let filename = part
            .attachment_name()
            .map(sanitize_filename)
            .filter(|n| !n.is_empty())
            .unwrap_or(default_name);
        attachments.push(Attachment {
            filename,
            media_type,
            content,
        });
    }

    let no_reply_reason = no_reply_reason(&msg, &sender_address);
    let authentication_results = msg
        .header_values("Authentication-Results")
        .filter_map(|v| v.as_text().map(str::to_string))
        .collect();

    let mut thread_refs = references.clone();
    if thread_refs.is_empty() {
        thread_refs.extend(in_reply_to.iter().cloned());
    }
    let message = InboundMessage {
        channel: ChannelKind::Email,
        external_id: message_id.clone(),
        thread: ThreadRef::Email {
            message_id: message_id.clone(),
            references: thread_refs,
            subject: subject.clone().unwrap_or_default(),
            reply_to,
        },
        sender: Sender {
            address: sender_address.to_ascii_lowercase(),
            display_name: sender_name,
        },
        subject,
        text,
        html,
        attachments,
        raw: Some(raw.to_vec()),
    };
    Ok(ParsedMail {
        message,
        message_id,
        in_reply_to,
        references,
        no_reply_reason,
        authentication_results,
    })
}

fn header_ids(v: &mail_parser::HeaderValue<'_>) -> Vec<String> {
    match v {
        mail_parser::HeaderValue::Text(t) => vec![t.trim().to_string()],
        mail_parser::HeaderValue::TextList(l) => l.iter().map(|t| t.trim().to_string()).collect(),
        _ => Vec::new(),
    }
}

/// Keeps the last path component and drops control characters.
fn sanitize_filename(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    base.chars()
        .filter(|c| !c.is_control())
        .collect::<String>()
        .trim()
        .to_string()
}

/// DESIGN §6: never answer auto-replies, bounces, lists, bulk mail or robots.
fn no_reply_reason(msg: &mail_parser::Message<'_>, sender: &str) -> Option<String> {
    let text = |name: &str| msg.header_raw(name).map(|v| v.trim().to_ascii_lowercase());
    if let Some(v) = text("Auto-Submitted")
        && v != "no"
    {
        return Some(format!("Auto-Submitted: {v}"));
    }
    if msg.header_raw("X-Auto-Response-Suppress").is_some() {
        return Some("X-Auto-Response-Suppress".into());
    }
    if let Some(v) = text("Precedence")
        && matches!(v.as_str(), "bulk" | "list" | "junk" | "auto_reply")
    {
        return Some(format!("Precedence: {v}"));
    }
    if msg.header_raw("X-Loop").is_some() {
        return Some("X-Loop".into());
    }
    if msg
        .headers_raw()
        .any(|(name, _)| name.to_ascii_lowercase().starts_with("list-"))
    {
        return Some("mailing list (List-*)".into());
    }
    if msg.content_type().is_some_and(|ct| {
        ct.ctype().eq_ignore_ascii_case("multipart") && ct.subtype().is_some_and(|s| s.eq_ignore_ascii_case("report"))
    }) {
        return Some("delivery report (multipart/report)".into());
    }
    let local = sender.split('@').next().unwrap_or("").to_ascii_lowercase();
    if matches!(local.as_str(), "mailer-daemon" | "postmaster")
        || local.starts_with("noreply")
        || local.starts_with("no-reply")
        || local.starts_with("do-not-reply")
        || local.starts_with("donotreply")
    {
        return Some(format!("robot sender {sender}"));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const PLAIN: &[u8] = b"From: Marcus Chua <marcus.chua@jurong.example>\r\n\
To: sales@horme.example\r\n\
Subject: RFQ RFQ-1826/2026\r\n\
Message-ID: <abc@jurong.example>\r\n\
Content-Type: text/plain; charset=\"utf-8\"\r\n\
Content-Transfer-Encoding: quoted-printable\r\n\
\r\n\
1. Polishing Buff 8 Inch =\r\n\
(qty: 5 sets)\r\n";

    #[test]
    fn plain_mail_becomes_an_inbound_message() {
        let m = parse(PLAIN).expect("parses");
        assert_eq!(m.message.external_id, "abc@jurong.example");
        assert_eq!(m.message.sender.address, "marcus.chua@jurong.example");
        assert_eq!(m.message.sender.display_name.as_deref(), Some("Marcus Chua"));
        assert_eq!(m.message.subject.as_deref(), Some("RFQ RFQ-1826/2026"));
        assert!(m.message.text.contains("Polishing Buff 8 Inch (qty: 5 sets)"));
        assert!(m.message.html.is_none());
        assert_eq!(m.no_reply_reason, None);
        assert!(
            matches!(m.message.thread, ThreadRef::Email { ref reply_to, .. } if reply_to == "marcus.chua@jurong.example")
        );
    }

    #[test]
    fn rfc2231_names_and_inline_images() {
        let raw = b"From: a@b.example\r\nMessage-ID: <x@b.example>\r\nMIME-Version: 1.0\r\n\
Content-Type: multipart/mixed; boundary=\"B\"\r\n\r\n\
--B\r\nContent-Type: text/plain\r\n\r\nsee attached\r\n\
--B\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; filename*=UTF-8''Anfrage%20Gr%C3%B6%C3%9Fe.pdf\r\nContent-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQK\r\n\
--B\r\nContent-Type: image/png\r\nContent-ID: <logo>\r\nContent-Disposition: inline\r\nContent-Transfer-Encoding: base64\r\n\r\niVBORw0KGgo=\r\n\
--B--\r\n";
        let m = parse(raw).expect("parses");
        assert_eq!(m.message.attachments.len(), 1);
        assert_eq!(m.message.attachments[0].filename, "Anfrage Größe.pdf");
        assert_eq!(m.message.attachments[0].media_type, "application/pdf");
        assert!(m.message.attachments[0].content.starts_with(b"%PDF"));
    }

    #[test]
    fn missing_message_id_is_derived_from_the_bytes() {
        let raw = b"From: a@b.example\r\nSubject: x\r\n\r\nhello\r\n";
        let a = parse(raw).expect("parses");
        let b = parse(raw).expect("parses");
        assert_eq!(a.message.external_id, b.message.external_id);
        assert!(a.message.external_id.starts_with("sha256-"));
    }

    #[test]
    fn robots_and_auto_replies_are_flagged() {
        let auto = b"From: a@b.example\r\nAuto-Submitted: auto-replied\r\n\r\nOut of office\r\n";
        assert!(parse(auto).expect("parses").no_reply_reason.is_some());
        let daemon = b"From: MAILER-DAEMON@b.example\r\n\r\nUndeliverable\r\n";
        assert!(parse(daemon).expect("parses").no_reply_reason.is_some());
        let list = b"From: a@b.example\r\nList-Id: <x.lists.example>\r\n\r\nhi\r\n";
        assert!(parse(list).expect("parses").no_reply_reason.is_some());
        let human = b"From: a@b.example\r\nAuto-Submitted: no\r\n\r\nhi\r\n";
        assert_eq!(parse(human).expect("parses").no_reply_reason, None);
    }

    #[test]
    fn garbage_is_refused_with_a_reason() {
        assert_eq!(parse(b"").err(), Some(MimeError::Empty));
        assert!(parse(b"\x00\x01\x02 not a mail").is_err());
    }
}
