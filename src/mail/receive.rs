//! A fetched mail into the database: parsed, classified, stored (raw bytes kept, deduplicated
//! on Message-ID), and — in the same transaction — its consequence: a new request with the
//! acknowledgement queued, a command for the quotation it answers, or nothing (auto-replies,
//! bounces, our own mail, conversation). Unparseable mail is stored and visible, never dropped.
//! A request one of our colleagues forwarded is stored as the original sender's
//! (`mail::forwarded`), so that the acknowledgement and the quotation go to the customer.

use channels::email::ParsedMail;
use channels::email::imap::{Content, Fetched};
use channels::{ChannelKind, InboundMessage, Sender, ThreadRef};
use serde_json::json;
use sha2::{Digest, Sha256};
use sqlx::PgConnection;
use uuid::Uuid;

use super::classify::{self, Decision};
use super::forwarded;
use super::replies::{self, CustomerThread, ToCustomer};
use super::staff::Staff;
use super::threading::Token;
use crate::ingest;
use crate::jobs::queue::{self, NewJob};
use crate::startup::App;

/// Stores one fetched mail. Errors are database errors only (the poller retries them).
#[tracing::instrument(skip_all, fields(mailbox = %mailbox, uid = f.uid))]
pub async fn receive(app: &App, mailbox: &str, f: Fetched) -> Result<(), sqlx::Error> {
    let (raw, too_large) = match f.content {
        Content::Full(raw) => (raw, None),
        Content::TooLarge { header, size } => (header, Some(size)),
    };
    match channels::email::parse(&raw) {
        Ok(mut parsed) => {
            if too_large.is_some() {
                // only the header was fetched: there is no body to read
                parsed.message.text.clear();
                parsed.message.html = None;
                parsed.message.attachments.clear();
            }
            clean_headers(&mut parsed);
            match receive_parsed(app, mailbox, f.uid, parsed, too_large).await {
                // The database refused what the mail holds: keep it as unparseable, with the
                // reason, so that the mailbox moves on (its UID advances) instead of
                // fetching it again forever.
                Err(sqlx::Error::Database(e)) if is_data_error(e.code().as_deref()) => {
                    let reason = format!("cannot be stored: {}", e.message());
                    store_unparseable(app, mailbox, f.uid, raw, &reason).await
                }
                other => other,
            }
        }
        Err(e) => {
            let reason = match too_large {
                Some(size) => format!("{size} bytes (over the limit); header unreadable: {e}"),
                None => e.to_string(),
            };
            store_unparseable(app, mailbox, f.uid, raw, &reason).await
        }
    }
}

/// Header values outside the message (Message-ID, threading) without NUL; the message
/// itself is cleaned by `ingest`.
fn clean_headers(parsed: &mut ParsedMail) {
    use crate::text_hygiene::clean;
    parsed.message_id = clean(&parsed.message_id).into_owned();
    for id in parsed.in_reply_to.iter_mut().chain(parsed.references.iter_mut()) {
        *id = clean(id).into_owned();
    }
    if let Some(r) = parsed.no_reply_reason.as_mut() {
        *r = clean(r).into_owned();
    }
}

/// SQLSTATE class 22 (data exception: a character or value the database refuses), which no
/// retry fixes, unlike a lost connection.
fn is_data_error(code: Option<&str>) -> bool {
    code.is_some_and(|c| c.starts_with("22"))
}

async fn receive_parsed(
    app: &App,
    mailbox: &str,
    uid: u32,
    parsed: ParsedMail,
    too_large: Option<u32>,
) -> Result<(), sqlx::Error> {
    let decision = classify::decide(app, &parsed, too_large.is_some()).await?;
    // a request a colleague forwarded is stored as the original sender's
    let request = match decision {
        Decision::Rfp => Some(forwarded::attribute(&parsed, &Staff::load(app).await?)),
        _ => None,
    };
    let msg = request.as_ref().unwrap_or(&parsed.message);
    let mut tx = app.pool.begin().await?;
    let Some(message_id) = ingest::insert_message(&mut tx, msg).await? else {
        tx.rollback().await?;
        tracing::info!(message_id = %parsed.message_id, "already stored: duplicate delivery ignored");
        return Ok(());
    };
    let mut rfp_id = None;
    let mut quotation_id = None;
    let (kind, reason) = match decision {
        Decision::Ignore(reason) => ("ignored", Some(reason)),
        Decision::TooLarge => {
            let size = too_large.unwrap_or(0);
            let c = customer(None, message_id, msg);
            answer_too_large(&mut tx, app, &c).await?;
            ("too_large", Some(format!("{size} bytes")))
        }
        Decision::Rfp => {
            let id = ingest::start_rfp(&mut tx, message_id, msg, app.settings.workers.max_attempts).await?;
            rfp_id = Some(id);
            // One answer per mail: a request is acknowledged at once; anything else is
            // answered by its outcome alone (the quotation, or "no items found").
            if crate::pipeline::sources::looks_like_request(&crate::pipeline::sources::Content::of_message(msg)) {
                acknowledge(&mut tx, app, &customer(Some(id), id, msg)).await?;
                ("rfp", None)
            } else {
                (
                    "rfp",
                    Some("not acknowledged: no document and no item-like line".to_string()),
                )
            }
        }
        Decision::Command { quotation, role } => {
            quotation_id = Some(quotation);
            queue::enqueue(
                &mut tx,
                NewJob {
                    kind: super::jobs::COMMAND,
                    payload: json!({"inbound_message_id": message_id, "role": role}),
                    rfp_id: None,
                    dedupe_key: Some(format!("{}:{message_id}", super::jobs::COMMAND)),
                    priority: 1,
                    max_attempts: app.settings.workers.max_attempts,
                },
            )
            .await?;
            ("command", Some(role.to_string()))
        }
        Decision::Conversation { quotation } => {
            quotation_id = quotation;
            ("conversation", None)
        }
        Decision::NotApprover { quotation } => {
            quotation_id = Some(quotation);
            let number = answer_sender(
                &mut tx,
                app,
                &parsed,
                "not_approver",
                "not_an_approver.txt",
                Some(quotation),
            )
            .await?;
            crate::audit::record(
                &mut tx,
                crate::audit::Entry {
                    entity: "quotation",
                    entity_id: &number,
                    action: "command_refused",
                    actor: &parsed.message.sender.address.to_ascii_lowercase(),
                    channel: "email",
                    detail: json!({"why": "not an approver", "message_id": parsed.message_id}),
                },
            )
            .await?;
            ("conversation", Some("not an approver: answered".to_string()))
        }
        Decision::UnknownQuotation => {
            answer_sender(
                &mut tx,
                app,
                &parsed,
                "unknown_quotation",
                "unknown_quotation.txt",
                None,
            )
            .await?;
            (
                "conversation",
                Some("an approver's command naming no quotation of ours".to_string()),
            )
        }
    };
    sqlx::query!(
        r#"insert into mail_inbound (inbound_message_id, mailbox, uid, message_id, in_reply_to, refs, kind,
                                     reason, rfp_id, quotation_id)
           values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"#,
        message_id,
        mailbox,
        i64::from(uid),
        parsed.message_id,
        &parsed.in_reply_to,
        &parsed.references,
        kind,
        reason,
        rfp_id,
        quotation_id
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    metrics::counter!("horme_mail_received_total", "kind" => kind).increment(1);
    tracing::info!(message_id = %parsed.message_id, kind, reason = reason.as_deref().unwrap_or(""), "mail stored");
    Ok(())
}

/// A short answer in the sender's own thread (a command we cannot act on); the number of the
/// quotation it is about (empty when none).
async fn answer_sender(
    conn: &mut PgConnection,
    app: &App,
    parsed: &ParsedMail,
    kind: &str,
    template: &str,
    quotation: Option<Uuid>,
) -> Result<String, sqlx::Error> {
    let number = match quotation {
        Some(id) => sqlx::query_scalar!("select number from quotations where id = $1", id)
            .fetch_optional(&mut *conn)
            .await?
            .unwrap_or_default(),
        None => String::new(),
    };
    let sender = &parsed.message.sender;
    let vars = vec![
        (
            "name",
            sender
                .display_name
                .clone()
                .filter(|n| !n.trim().is_empty())
                .unwrap_or_else(|| sender.address.clone()),
        ),
        ("number", number.clone()),
        ("company", app.settings.company.name.clone()),
    ];
    let mut refs = parsed.references.clone();
    refs.push(parsed.message_id.clone());
    replies::to_staff(
        conn,
        app,
        replies::ToStaff {
            key: format!("email:{kind}:{}", parsed.message_id),
            to: sender.address.clone(),
            kind,
            template,
            vars,
            token: Token::Request(Uuid::now_v7()),
            quotation_id: quotation,
            rfp_id: None,
            attach_pdf: false,
            parent: Some((
                parsed.message_id.clone(),
                refs,
                parsed.message.subject.clone().unwrap_or_default(),
            )),
            approval_token: None,
        },
    )
    .await?;
    Ok(number)
}

fn customer(rfp_id: Option<Uuid>, reference_id: Uuid, msg: &InboundMessage) -> CustomerThread {
    CustomerThread {
        rfp_id,
        reference_id,
        thread: msg.thread.clone(),
        name: msg.sender.display_name.clone(),
        sender: msg.sender.address.clone(),
    }
}

/// The acknowledgement, with the request's reference, queued with the request itself.
async fn acknowledge(conn: &mut PgConnection, app: &App, c: &CustomerThread) -> Result<(), sqlx::Error> {
    replies::to_customer(
        conn,
        app,
        c,
        ToCustomer {
            kind: "ack",
            template: "ack.txt",
            vars: replies::customer_vars(app, c),
            token: Token::Request(c.reference_id),
            key_suffix: String::new(),
            quotation_id: None,
            attach_pdf: false,
            automatic: true,
        },
    )
    .await
    .map(|_| ())
}

async fn answer_too_large(conn: &mut PgConnection, app: &App, c: &CustomerThread) -> Result<(), sqlx::Error> {
    let mut vars = replies::customer_vars(app, c);
    vars.push(("limit", megabytes(u64::from(app.settings.mail.max_message_bytes))));
    replies::to_customer(
        conn,
        app,
        c,
        ToCustomer {
            kind: "too_large",
            template: "too_large.txt",
            vars,
            token: Token::Request(c.reference_id),
            key_suffix: String::new(),
            quotation_id: None,
            attach_pdf: false,
            automatic: true,
        },
    )
    .await
    .map(|_| ())
}

/// "25 MB" for a byte limit.
pub fn megabytes(bytes: u64) -> String {
    format!("{} MB", (bytes as f64 / (1024.0 * 1024.0)).round() as u64)
}

/// Keeps a mail that cannot be parsed, under an id derived from its bytes.
async fn store_unparseable(app: &App, mailbox: &str, uid: u32, raw: Vec<u8>, reason: &str) -> Result<(), sqlx::Error> {
    let id = format!("sha256-{}@horme.invalid", hex::encode(Sha256::digest(&raw)));
    let msg = InboundMessage {
        channel: ChannelKind::Email,
        external_id: id.clone(),
        thread: ThreadRef::Email {
            message_id: String::new(),
            references: Vec::new(),
            subject: String::new(),
            reply_to: String::new(),
        },
        sender: Sender {
            address: String::new(),
            display_name: None,
        },
        subject: None,
        text: String::new(),
        html: None,
        attachments: Vec::new(),
        raw: Some(raw),
        forwarded_by: None,
    };
    let mut tx = app.pool.begin().await?;
    if let Some(message_id) = ingest::insert_message(&mut tx, &msg).await? {
        sqlx::query!(
            r#"insert into mail_inbound (inbound_message_id, mailbox, uid, message_id, kind, reason)
               values ($1, $2, $3, $4, 'unparseable', $5)"#,
            message_id,
            mailbox,
            i64::from(uid),
            id,
            reason
        )
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    tracing::warn!(%reason, "unparseable mail stored");
    Ok(())
}
