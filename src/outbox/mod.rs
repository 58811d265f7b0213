//! The outbox: every reply of every channel is written here, in the same transaction as the
//! state change that causes it, under an idempotency key (a retried job cannot write it twice),
//! and sent later by the one drainer ([`drain`]), which claims due rows with a lease, hands
//! each to the [`channels::ReplySender`] registered for its channel ([`Registry`]) and records
//! the outcome fenced by the lease token. A process that dies between rendering and sending
//! loses nothing: the row waits.

pub mod delivered;
pub mod drain;
pub mod email;
pub mod registry;

pub use registry::Registry;

use channels::{ChannelKind, ReplyButton, ThreadRef};
use serde_json::json;
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

/// `NOTIFY` channel announcing new replies to the drainers.
pub const OUTBOX_CHANNEL: &str = "horme_outbox";

/// A reply to queue.
#[derive(Debug, Clone)]
pub struct NewReply {
    pub idempotency_key: String,
    pub channel: ChannelKind,
    pub thread: ThreadRef,
    /// What the reply is (`ack`, `quotation`, `no_items` …).
    pub kind: String,
    /// For a mail that starts a thread; replies derive `Re: <subject>` from the thread.
    pub subject: Option<String>,
    pub body: String,
    pub quotation_id: Option<Uuid>,
    pub rfp_id: Option<Uuid>,
    pub attach_pdf: bool,
    /// Lower-cased address (or chat id) the reply goes to.
    pub recipient: Option<String>,
    /// An automatic notice (counted by the per-sender rate limit).
    pub automatic: bool,
    /// The id the platform will know the reply by, when we choose it (our Message-ID).
    pub external_id: Option<String>,
}

/// Queues a reply in the caller's transaction; false if one with the same key exists.
pub async fn enqueue(conn: &mut PgConnection, r: &NewReply) -> Result<bool, sqlx::Error> {
    enqueue_with_buttons(conn, r, &[]).await
}

/// [`enqueue`] with buttons under the reply (chat channels; mail ignores them).
pub async fn enqueue_with_buttons(
    conn: &mut PgConnection,
    r: &NewReply,
    buttons: &[ReplyButton],
) -> Result<bool, sqlx::Error> {
    let id = sqlx::query_scalar!(
        r#"insert into outbox (id, idempotency_key, channel, thread, kind, subject, body, quotation_id,
                               attach_pdf, rfp_id, recipient, automatic, external_id, buttons)
           values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
           on conflict (idempotency_key) do nothing
           returning id"#,
        Uuid::now_v7(),
        r.idempotency_key,
        r.channel.as_str(),
        serde_json::to_value(&r.thread).unwrap_or_else(|_| json!({})),
        r.kind,
        r.subject,
        r.body,
        r.quotation_id,
        r.attach_pdf,
        r.rfp_id,
        r.recipient.as_deref().map(str::to_ascii_lowercase),
        r.automatic,
        r.external_id,
        serde_json::to_value(buttons).unwrap_or_else(|_| serde_json::Value::Array(Vec::new()))
    )
    .fetch_optional(&mut *conn)
    .await?;
    if id.is_some() {
        sqlx::query!("select pg_notify($1, $2)", OUTBOX_CHANNEL, r.channel.as_str())
            .execute(&mut *conn)
            .await?;
    }
    Ok(id.is_some())
}

/// How many automatic notices went to `recipient` in the last hour (after taking a lock on
/// the recipient for the rest of the transaction, so that concurrent checks serialise).
pub async fn automatic_in_last_hour(conn: &mut PgConnection, recipient: &str) -> Result<i64, sqlx::Error> {
    let r = recipient.to_ascii_lowercase();
    sqlx::query!(
        "select pg_advisory_xact_lock(hashtextextended('horme.outbox:' || $1, 0))",
        r
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query_scalar!(
        r#"select count(*) as "n!" from outbox
           where recipient = $1 and automatic and created_at > now() - interval '1 hour'"#,
        r
    )
    .fetch_one(&mut *conn)
    .await
}

/// A reply that could not be delivered, for `horme mail outbox`.
#[derive(Debug, Clone, serde::Serialize)]
pub struct FailedReply {
    pub id: Uuid,
    pub channel: String,
    pub kind: String,
    pub recipient: Option<String>,
    pub attempts: i32,
    pub last_error: Option<String>,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

pub async fn failed(pool: &PgPool, limit: i64) -> Result<Vec<FailedReply>, sqlx::Error> {
    sqlx::query_as!(
        FailedReply,
        r#"select id, channel, kind, recipient, attempts, last_error, created_at from outbox
           where status = 'failed' order by created_at desc limit $1"#,
        limit
    )
    .fetch_all(pool)
    .await
}

/// Reply counts by channel and status, for metrics and `horme mail outbox`.
pub async fn counts(pool: &PgPool) -> Result<Vec<(String, String, i64)>, sqlx::Error> {
    let rows = sqlx::query!(r#"select channel, status, count(*) as "n!" from outbox group by 1, 2 order by 1, 2"#)
        .fetch_all(pool)
        .await?;
    Ok(rows.into_iter().map(|r| (r.channel, r.status, r.n)).collect())
}

/// A claimed row, as the drainer reads it.
#[derive(Debug, Clone)]
pub struct Row {
    pub id: Uuid,
    pub channel: String,
    pub kind: String,
    pub thread: serde_json::Value,
    pub subject: Option<String>,
    pub body: String,
    pub quotation_id: Option<Uuid>,
    pub attach_pdf: bool,
    pub external_id: Option<String>,
    pub idempotency_key: String,
    pub buttons: serde_json::Value,
}
