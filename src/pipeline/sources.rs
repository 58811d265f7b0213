//! The readable sources of one inbound message: the mail body (HTML tables kept) and every
//! attachment, forwarded mails opened recursively. A source that cannot be read is reported
//! with its specific reason; the others are still read.

use serde::{Deserialize, Serialize};

use super::text::{self, Block, ExtractedDocument, Format, Limits, TextError};

/// A file as received.
#[derive(Debug, Clone)]
pub struct Source {
    pub name: String,
    pub media_type: Option<String>,
    pub bytes: Vec<u8>,
}

/// What a message carries.
#[derive(Debug, Clone, Default)]
pub struct Content {
    pub text: String,
    pub html: Option<String>,
    pub attachments: Vec<Source>,
}

impl Content {
    /// The body and attachments of a message as a channel delivered it.
    pub fn of_message(msg: &channels::InboundMessage) -> Self {
        Self {
            text: msg.text.clone(),
            html: msg.html.clone(),
            attachments: msg
                .attachments
                .iter()
                .map(|a| Source {
                    name: a.filename.clone(),
                    media_type: Some(a.media_type.clone()),
                    bytes: a.content.clone(),
                })
                .collect(),
        }
    }
}

/// Everything readable, plus what could not be read and why.
#[derive(Debug, Default)]
pub struct Read {
    pub documents: Vec<ExtractedDocument>,
    pub errors: Vec<TextError>,
    /// Attachments that are not documents (images, archives …): skipped, but named.
    pub skipped: Vec<String>,
    /// Every attachment (forwarded mails' ones included), in order: read, or skipped and why.
    pub attachments: Vec<DocumentOutcome>,
}

/// What became of one attachment: stored with the request, shown in the quotation JSON, the
/// API status and the replies, so that nothing is dropped silently.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentOutcome {
    pub name: String,
    pub status: DocumentStatus,
    /// Why it was skipped, in the reader's words (without the file name).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub reason: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocumentStatus {
    Read,
    Skipped,
}

impl DocumentOutcome {
    fn read(name: &str) -> Self {
        Self {
            name: name.into(),
            status: DocumentStatus::Read,
            reason: None,
        }
    }

    fn skipped(name: &str, reason: &str) -> Self {
        // The reader's messages start with "<name>: "; the name is a field of its own here.
        let reason = reason.strip_prefix(&format!("{name}: ")).unwrap_or(reason);
        Self {
            name: name.into(),
            status: DocumentStatus::Skipped,
            reason: Some(reason.into()),
        }
    }

    fn failed(name: &str, e: &TextError) -> Self {
        Self::skipped(name, &e.to_string())
    }
}

/// "We could not read X: reason." per skipped attachment, one a line, each after a newline
/// (empty when every attachment was read): the line the replies and drafts carry.
pub fn skipped_lines(outcomes: &[DocumentOutcome]) -> String {
    outcomes
        .iter()
        .filter(|o| o.status == DocumentStatus::Skipped)
        .map(|o| {
            let reason = o.reason.as_deref().unwrap_or("unknown reason");
            format!("\nWe could not read {}: {}.", o.name, reason.trim_end_matches('.'))
        })
        .collect()
}

/// Forwarded mails inside forwarded mails are opened this deep.
const MAX_NESTING: usize = 3;

pub fn read(content: &Content, limits: &Limits) -> Read {
    let mut out = Read::default();
    read_into(content, limits, 0, &mut out);
    for doc in &mut out.documents {
        clean_blocks(&mut doc.blocks);
    }
    out
}

/// Text read from documents is stored later (lines, customer details): no NUL in it.
fn clean_blocks(blocks: &mut [text::Block]) {
    use crate::text_hygiene::clean;
    let fix = |s: &mut String| {
        if s.contains('\0') {
            *s = clean(s).into_owned();
        }
    };
    for b in blocks {
        match b {
            text::Block::Line { text } | text::Block::ListItem { text } => fix(text),
            text::Block::Table { rows } => rows.iter_mut().flatten().for_each(fix),
        }
    }
}

fn read_into(content: &Content, limits: &Limits, depth: usize, out: &mut Read) {
    if let Some(body) = body(content) {
        out.documents.push(body);
    }
    for a in &content.attachments {
        let format = Format::from_name(&a.name).or_else(|| a.media_type.as_deref().and_then(Format::from_media_type));
        match format {
            None => {
                let e = TextError::Unsupported { name: a.name.clone() };
                out.attachments.push(DocumentOutcome::failed(&a.name, &e));
                out.skipped.push(a.name.clone());
            }
            Some(Format::Eml) if depth < MAX_NESTING => match channels::email::parse(&a.bytes) {
                Ok(mail) => {
                    out.attachments.push(DocumentOutcome::read(&a.name));
                    let m = mail.message;
                    let nested = Content {
                        text: m.text,
                        html: m.html,
                        attachments: m
                            .attachments
                            .into_iter()
                            .map(|x| Source {
                                name: x.filename,
                                media_type: Some(x.media_type),
                                bytes: x.content,
                            })
                            .collect(),
                    };
                    read_into(&nested, limits, depth + 1, out);
                }
                Err(e) => {
                    let e = TextError::Corrupt {
                        name: a.name.clone(),
                        format: "mail",
                        detail: e.to_string(),
                    };
                    out.attachments.push(DocumentOutcome::failed(&a.name, &e));
                    out.errors.push(e);
                }
            },
            Some(Format::Eml) => {
                out.attachments.push(DocumentOutcome::skipped(
                    &a.name,
                    &format!("a mail forwarded more than {MAX_NESTING} levels deep"),
                ));
                out.skipped.push(a.name.clone());
            }
            Some(_) => match text::extract(&a.name, a.media_type.as_deref(), &a.bytes, limits) {
                Ok(doc) => {
                    out.attachments.push(DocumentOutcome::read(&a.name));
                    out.documents.push(doc);
                }
                Err(e) => {
                    out.attachments.push(DocumentOutcome::failed(&a.name, &e));
                    out.errors.push(e);
                }
            },
        }
    }
}

/// Whether a message looks like a request at first sight: a document attached (any format
/// we read), or a body with item-like lines as the rules extractor reads them. Such a message
/// is acknowledged at once; anything else gets a single answer once the pipeline has run.
pub fn looks_like_request(content: &Content) -> bool {
    content.attachments.iter().any(|a| {
        Format::from_name(&a.name)
            .or_else(|| a.media_type.as_deref().and_then(Format::from_media_type))
            .is_some()
    }) || body(content).is_some_and(|doc| super::requirements::extract_rules(std::slice::from_ref(&doc)).is_ok())
}

/// The mail body: its HTML when that holds a table (items are often a table there) or when
/// the text part is only a stub ("Please see the HTML version of this message"), otherwise
/// its text.
fn body(content: &Content) -> Option<ExtractedDocument> {
    let html_blocks = content.html.as_deref().map(text::html_to_blocks);
    let words = |blocks: &[Block]| -> usize {
        blocks
            .iter()
            .map(|b| match b {
                Block::Line { text } | Block::ListItem { text } => text.split_whitespace().count(),
                Block::Table { rows } => rows.iter().flatten().map(|c| c.split_whitespace().count()).sum(),
            })
            .sum()
    };
    let has_table = content
        .html
        .as_deref()
        .is_some_and(|h| h.to_ascii_lowercase().contains("<table"));
    let blocks = match html_blocks {
        Some(html) if has_table || content.text.trim().is_empty() => html,
        Some(html) => {
            let text = text::lines(&content.text);
            // a text part with less than half the HTML's words is a stub or a summary; one
            // with fewer lines than the HTML's blocks lost the line breaks of lists and
            // blocks (a rendering that breaks only at <br> and </p>, as a text part made
            // from an HTML-only mail is); a list is structure the HTML keeps for sure
            let listed = html.iter().any(|b| matches!(b, Block::ListItem { .. }));
            if words(&text) * 2 < words(&html) || text.len() * 4 < html.len() * 3 || listed {
                html
            } else {
                text
            }
        }
        None => text::lines(&content.text),
    };
    let doc = ExtractedDocument {
        name: "message body".into(),
        format: if content.html.is_some() {
            Format::Html
        } else {
            Format::Txt
        },
        blocks,
    };
    (!doc.is_empty()).then_some(doc)
}

#[cfg(test)]
mod looks_like_request_tests {
    use super::*;

    fn text(body: &str) -> Content {
        Content {
            text: body.into(),
            ..Content::default()
        }
    }

    #[test]
    fn item_lines_or_a_document_make_a_request_and_a_letter_does_not() {
        assert!(looks_like_request(&text(
            "Hi,\nplease quote:\n1. Nitrile gloves size L - 20 boxes\n2. Ear plugs 200 pairs\n"
        )));
        assert!(looks_like_request(&text(
            "Need 5 pcs of 3/4 inch ball valve, brass, asap"
        )));
        assert!(!looks_like_request(&text(
            "Dear team,\nplease call me back about our account.\nRegards, Tan"
        )));
        assert!(!looks_like_request(&text("")));
        let with_file = Content {
            attachments: vec![Source {
                name: "RFQ-77.xlsx".into(),
                media_type: None,
                bytes: vec![1, 2, 3],
            }],
            ..text("See attached.")
        };
        assert!(looks_like_request(&with_file));
        let with_picture = Content {
            attachments: vec![Source {
                name: "logo.png".into(),
                media_type: Some("image/png".into()),
                bytes: vec![1, 2, 3],
            }],
            ..text("Thanks for the call!")
        };
        assert!(!looks_like_request(&with_picture));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn body_prefers_html_tables_and_attachments_are_read() {
        let c = Content {
            text: "see table".into(),
            html: Some(
                "<p>x</p><table><tr><td>Item</td><td>Qty</td></tr><tr><td>Mop</td><td>2</td></tr></table>".into(),
            ),
            attachments: vec![
                Source {
                    name: "logo.png".into(),
                    media_type: Some("image/png".into()),
                    bytes: vec![1, 2],
                },
                Source {
                    name: "list.csv".into(),
                    media_type: None,
                    bytes: b"Item,Qty\nGloves,5\n".to_vec(),
                },
                Source {
                    name: "broken.pdf".into(),
                    media_type: None,
                    bytes: b"junk".to_vec(),
                },
            ],
        };
        let r = read(&c, &Limits::default());
        assert_eq!(r.documents.len(), 2);
        assert_eq!(r.documents[0].format, Format::Html);
        assert_eq!(r.skipped, vec!["logo.png".to_string()]);
        assert!(matches!(r.errors.as_slice(), [TextError::Corrupt { name, .. }] if name == "broken.pdf"));
        let outcomes: Vec<_> = r.attachments.iter().map(|o| (o.name.as_str(), o.status)).collect();
        assert_eq!(
            outcomes,
            [
                ("logo.png", DocumentStatus::Skipped),
                ("list.csv", DocumentStatus::Read),
                ("broken.pdf", DocumentStatus::Skipped),
            ]
        );
        let reason = r.attachments[2].reason.as_deref().expect("a reason");
        assert!(reason.starts_with("the file is damaged"), "{reason}");
        let lines = skipped_lines(&r.attachments);
        assert!(
            lines.starts_with("\nWe could not read logo.png: unsupported file type"),
            "{lines}"
        );
        assert!(
            lines.contains("\nWe could not read broken.pdf: the file is damaged"),
            "{lines}"
        );
        assert!(!lines.contains("list.csv"));
    }

    #[test]
    fn oversize_attachment_is_named_with_its_reason_next_to_a_read_one() {
        let c = Content {
            attachments: vec![
                Source {
                    name: "drawings.pdf".into(),
                    media_type: Some("application/pdf".into()),
                    bytes: vec![b'x'; 64],
                },
                Source {
                    name: "items.txt".into(),
                    media_type: Some("text/plain".into()),
                    bytes: b"10 x Nitrile gloves".to_vec(),
                },
            ],
            ..Content::default()
        };
        let limits = Limits {
            max_document_bytes: 32,
            ..Limits::default()
        };
        let r = read(&c, &limits);
        assert_eq!(r.documents.len(), 1);
        let json = serde_json::to_value(&r.attachments).expect("json");
        assert_eq!(
            json,
            serde_json::json!([
                {"name": "drawings.pdf", "status": "skipped",
                 "reason": "the file is 64 bytes, more than the limit of 32 bytes"},
                {"name": "items.txt", "status": "read"},
            ])
        );
    }

    /// An HTML-only mail: the text mail-parser renders from it breaks only at <br> and </p>,
    /// so its list items run together; the HTML is read.
    #[test]
    fn an_html_list_is_read_from_the_html() {
        let c = Content {
            text: "Hello,\nPlease quote:Gloves size L - 5 boxesEar plugs - 2 boxes\nThanks".into(),
            html: Some(
                "<div>Hello,</div><p>Please quote:</p><ol><li><div>Gloves size L - 5 boxes</div></li>\
                 <li><div>Ear plugs - 2 boxes</div></li></ol><div>Thanks</div>"
                    .into(),
            ),
            ..Content::default()
        };
        let r = read(&c, &Limits::default());
        assert_eq!(r.documents[0].format, Format::Html);
        assert!(
            r.documents[0]
                .blocks
                .iter()
                .any(|b| matches!(b, Block::ListItem { text } if text == "Ear plugs - 2 boxes")),
            "{:?}",
            r.documents[0].blocks
        );
    }
}
