//! Text at the database boundary: PostgreSQL rejects NUL in `text` and `\u0000` in `jsonb`
//! (Rust strings cannot hold the other things it rejects: invalid UTF-8, lone surrogates).
//! One NUL in a subject must not stop a mailbox or turn an upload into a 500, so every text
//! and JSON value that comes from outside is cleaned before it is stored.

use std::borrow::Cow;

use channels::InboundMessage;
use serde_json::Value;

/// NUL removed. Borrowed when there is none (the usual case).
pub fn clean(s: &str) -> Cow<'_, str> {
    if s.contains('\0') {
        Cow::Owned(s.replace('\0', ""))
    } else {
        Cow::Borrowed(s)
    }
}

/// An optional text, cleaned.
pub fn clean_opt(s: &Option<String>) -> Option<String> {
    s.as_deref().map(|s| clean(s).into_owned())
}

/// Every string and key of a JSON value, cleaned.
pub fn clean_json(v: Value) -> Value {
    match v {
        Value::String(s) if s.contains('\0') => Value::String(s.replace('\0', "")),
        Value::Array(a) => Value::Array(a.into_iter().map(clean_json).collect()),
        Value::Object(o) => Value::Object(
            o.into_iter()
                .map(|(k, v)| (clean(&k).into_owned(), clean_json(v)))
                .collect(),
        ),
        other => other,
    }
}

/// A message with NUL removed from every text field (the raw bytes stay as received).
/// Borrowed when it holds none.
pub fn clean_message(msg: &InboundMessage) -> Cow<'_, InboundMessage> {
    let texts = [
        Some(msg.external_id.as_str()),
        Some(msg.sender.address.as_str()),
        msg.sender.display_name.as_deref(),
        msg.subject.as_deref(),
        Some(msg.text.as_str()),
        msg.html.as_deref(),
        msg.forwarded_by.as_ref().map(|f| f.address.as_str()),
        msg.forwarded_by.as_ref().and_then(|f| f.display_name.as_deref()),
    ];
    let thread_dirty = serde_json::to_string(&msg.thread).is_ok_and(|t| t.contains("\\u0000"));
    let dirty = thread_dirty
        || texts.iter().flatten().any(|t| t.contains('\0'))
        || msg
            .attachments
            .iter()
            .any(|a| a.filename.contains('\0') || a.media_type.contains('\0'));
    if !dirty {
        return Cow::Borrowed(msg);
    }
    let mut m = msg.clone();
    m.external_id = clean(&m.external_id).into_owned();
    m.sender.address = clean(&m.sender.address).into_owned();
    m.sender.display_name = clean_opt(&m.sender.display_name);
    m.subject = clean_opt(&m.subject);
    m.text = clean(&m.text).into_owned();
    m.html = clean_opt(&m.html);
    if let Some(f) = m.forwarded_by.as_mut() {
        f.address = clean(&f.address).into_owned();
        f.display_name = clean_opt(&f.display_name);
    }
    for a in &mut m.attachments {
        a.filename = clean(&a.filename).into_owned();
        a.media_type = clean(&a.media_type).into_owned();
    }
    if thread_dirty
        && let Ok(t) = serde_json::to_value(&m.thread)
        && let Ok(t) = serde_json::from_value(clean_json(t))
    {
        m.thread = t;
    }
    Cow::Owned(m)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn nul_is_removed_everywhere() {
        assert_eq!(clean("RFQ \0x"), "RFQ x");
        assert!(matches!(clean("plain"), Cow::Borrowed(_)));
        assert_eq!(
            clean_json(json!({"a\0": ["x\0y", 1, {"b": "\0"}]})),
            json!({"a": ["xy", 1, {"b": ""}]})
        );
    }
}
