//! Raw RFC 5322 mail → [`InboundMessage`], through mail-parser.
//!
//! Attachments keep their RFC 2231 names; inline `cid:` images are not RFPs and are dropped;
//! a nested message (a forwarded RFP) is kept as a `message/rfc822` attachment so the
//! pipeline can open it, and described with any inline forward in [`ParsedMail::forwarded`];
//! HTML-only mail keeps its HTML (tables) and a text rendering.

use mail_parser::{MessageParser, MimeHeaders, PartType};
use sha2::{Digest, Sha256};

use super::forward::{self, Forwarded};
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
    /// The messages this one forwards, outermost first: inline (see [`forward`]) or, when
    /// the body forwards nothing, the first attached `message/rfc822` and what it forwards.
    pub forwarded: Vec<Forwarded>,
}

/// Attached messages inside attached messages are described this deep.
const MAX_NESTING: usize = 4;

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
    parse_at(raw, 0)
}

fn parse_at(raw: &[u8], depth: usize) -> Result<ParsedMail, MimeError> {
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
    let mut attached_mail = None;
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
            PartType::Message(nested) => {
                attached_mail.get_or_insert(attachments.len());
                (nested.raw_message().to_vec(), format!("forwarded-{}.eml", i + 1))
            }
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

    let mut forwarded = forward::inline(&text, html.as_deref(), &attachments);
    if forwarded.is_empty()
        && depth < MAX_NESTING
        && let Some(at) = attached_mail
        && let Ok(inner) = parse_at(&attachments[at].content, depth + 1)
    {
        forwarded = attached(inner, &attachments, at);
    }

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
        forwarded_by: None,
    };
    Ok(ParsedMail {
        message,
        message_id,
        in_reply_to,
        references,
        no_reply_reason,
        authentication_results,
        forwarded,
    })
}

/// The chain of an attached message: the message itself (with the other files of the mail
/// that carried it), then what it forwards.
fn attached(inner: ParsedMail, outer: &[Attachment], at: usize) -> Vec<Forwarded> {
    let m = inner.message;
    let mut files = m.attachments;
    files.extend(
        outer
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != at)
            .map(|(_, a)| a.clone()),
    );
    let mut chain = vec![Forwarded {
        sender: Some(m.sender),
        subject: m.subject,
        message_id: Some(inner.message_id).filter(|id| !id.ends_with("@horme.invalid")),
        text: m.text,
        html: m.html,
        attachments: files,
    }];
    chain.extend(inner.forwarded);
    chain
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
mod tests;
