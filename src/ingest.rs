//! Ingest: an [`InboundMessage`] is stored (raw bytes, every attachment with its sha256) and
//! its processing enqueued in one transaction, before the channel acknowledges it. Storing is
//! idempotent on `(channel, external_id)`: the same message delivered twice is stored once.

use channels::InboundMessage;
use serde_json::json;
use sha2::{Digest, Sha256};
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use crate::jobs::queue::{self, NewJob};
use crate::jobs::steps;
use crate::text_hygiene;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ingested {
    pub message_id: Uuid,
    pub rfp_id: Uuid,
    /// True when this message had been stored before (nothing new was written).
    pub duplicate: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    #[error("database error while storing the message: {0}")]
    Database(#[from] sqlx::Error),
}

/// Stores the message and enqueues the pipeline for it.
#[tracing::instrument(skip_all, fields(channel = %msg.channel, external_id = %msg.external_id))]
pub async fn store(pool: &PgPool, msg: &InboundMessage, max_attempts: i32) -> Result<Ingested, IngestError> {
    let mut tx = pool.begin().await?;
    let Some(message_id) = insert_message(&mut tx, msg).await? else {
        tx.rollback().await?;
        return Ok(existing(pool, msg).await?);
    };
    let rfp_id = start_rfp(&mut tx, message_id, msg, max_attempts).await?;
    tx.commit().await?;
    Ok(Ingested {
        message_id,
        rfp_id,
        duplicate: false,
    })
}

/// The stored message with the same `(channel, external_id)` and its request, if any.
pub async fn existing(pool: &PgPool, msg: &InboundMessage) -> Result<Ingested, sqlx::Error> {
    let existing = sqlx::query!(
        r#"select m.id, r.id as "rfp_id?" from inbound_messages m left join rfps r on r.inbound_message_id = m.id
           where m.channel = $1 and m.external_id = $2"#,
        msg.channel.as_str(),
        msg.external_id
    )
    .fetch_one(pool)
    .await?;
    Ok(Ingested {
        message_id: existing.id,
        rfp_id: existing.rfp_id.unwrap_or_default(),
        duplicate: true,
    })
}

/// Stores the message and its attachments in the caller's transaction. `None` when a message
/// with the same `(channel, external_id)` is already stored (nothing was written).
/// Text is cleaned first (`text_hygiene`): a NUL anywhere must not make the message unstorable.
pub async fn insert_message(conn: &mut PgConnection, msg: &InboundMessage) -> Result<Option<Uuid>, sqlx::Error> {
    let msg = &*text_hygiene::clean_message(msg);
    let message_id = Uuid::now_v7();
    let thread = text_hygiene::clean_json(serde_json::to_value(&msg.thread).unwrap_or_default());
    let inserted = sqlx::query_scalar!(
        r#"insert into inbound_messages (id, channel, external_id, thread, sender, sender_name,
                                         subject, body_text, body_html, raw, forwarded_by)
           values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
           on conflict (channel, external_id) do nothing
           returning id"#,
        message_id,
        msg.channel.as_str(),
        msg.external_id,
        thread,
        msg.sender.address,
        msg.sender.display_name,
        msg.subject,
        msg.text,
        msg.html,
        msg.raw.as_deref(),
        msg.forwarded_by.as_ref().map(|f| f.address.as_str())
    )
    .fetch_optional(&mut *conn)
    .await?;
    let Some(message_id) = inserted else {
        return Ok(None);
    };
    for (i, a) in msg.attachments.iter().enumerate() {
        let digest = Sha256::digest(&a.content);
        sqlx::query!(
            r#"insert into documents (id, inbound_message_id, ordinal, filename, media_type, size_bytes, sha256, content)
               values ($1, $2, $3, $4, $5, $6, $7, $8)"#,
            Uuid::now_v7(),
            message_id,
            i as i32,
            a.filename,
            a.media_type,
            a.content.len() as i64,
            digest.as_slice(),
            a.content
        )
        .execute(&mut *conn)
        .await?;
    }
    metrics::counter!("horme_inbound_messages_total", "channel" => msg.channel.as_str()).increment(1);
    Ok(Some(message_id))
}

/// Opens the request for a stored message and enqueues its first step, in the caller's
/// transaction.
pub async fn start_rfp(
    conn: &mut PgConnection,
    message_id: Uuid,
    msg: &InboundMessage,
    max_attempts: i32,
) -> Result<Uuid, sqlx::Error> {
    let msg = &*text_hygiene::clean_message(msg);
    let rfp_id = Uuid::now_v7();
    let source_name = msg
        .attachments
        .iter()
        .map(|a| a.filename.as_str())
        .find(|_| msg.attachments.len() == 1)
        .map(str::to_string)
        .or_else(|| msg.subject.clone().filter(|s| !s.trim().is_empty()))
        .unwrap_or_else(|| format!("{} message from {}", msg.channel, msg.sender.address));
    sqlx::query!(
        "insert into rfps (id, inbound_message_id, source_name) values ($1, $2, $3)",
        rfp_id,
        message_id,
        source_name
    )
    .execute(&mut *conn)
    .await?;
    queue::enqueue(
        &mut *conn,
        NewJob {
            kind: steps::EXTRACT,
            payload: json!({}),
            rfp_id: Some(rfp_id),
            dedupe_key: Some(format!("{}:{rfp_id}", steps::EXTRACT)),
            priority: 0,
            max_attempts,
        },
    )
    .await?;
    Ok(rfp_id)
}
