//! Retention: the bytes of settled requests — raw received messages, documents' contents,
//! rendered PDFs — are purged once older than `[retention]` says (0: kept forever).
//!
//! Only bytes go. The rows stay, marked (`raw_purged_at`, `documents.purged_at` with the
//! content emptied, `pdf_purged_at`): quotation numbers, lines, totals, the customer block,
//! extracted text and the audit log are what accounting needs. Nothing of a request in
//! progress or of an open quotation is touched ([`candidates`] says what "settled" means).
//! Each purged item is written to the audit log. The scheduled maintenance job runs
//! [`purge`]; `horme purge --dry-run` shows [`plan`].

pub mod candidates;

use chrono::{DateTime, Duration, Utc};
use serde::Serialize;
use serde_json::json;
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

pub use candidates::Candidate;

use crate::audit;
use crate::config::RetentionSettings;

/// Items purged per transaction.
const BATCH: i64 = 200;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    RawMail,
    Document,
    RenderedPdf,
}

impl Kind {
    pub const ALL: [Kind; 3] = [Kind::RawMail, Kind::Document, Kind::RenderedPdf];

    /// The setting that governs it.
    pub fn setting(self) -> &'static str {
        match self {
            Self::RawMail => "retention.raw_mail_days",
            Self::Document => "retention.documents_days",
            Self::RenderedPdf => "retention.rendered_pdf_days",
        }
    }

    pub fn days(self, s: &RetentionSettings) -> u32 {
        match self {
            Self::RawMail => s.raw_mail_days,
            Self::Document => s.documents_days,
            Self::RenderedPdf => s.rendered_pdf_days,
        }
    }

    /// Plural, for reports.
    pub fn label(self) -> &'static str {
        match self {
            Self::RawMail => "raw messages",
            Self::Document => "documents",
            Self::RenderedPdf => "rendered PDFs",
        }
    }

    /// Purged items settled before this; `None` when kept forever.
    pub fn cutoff(self, s: &RetentionSettings, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        match self.days(s) {
            0 => None,
            d => Some(now - Duration::days(i64::from(d))),
        }
    }
}

/// An item purged, or that would be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub kind: Kind,
    pub candidate: Candidate,
}

/// What a purge at `now` would remove, oldest first per kind (nothing is changed).
pub async fn plan(pool: &PgPool, settings: &RetentionSettings, now: DateTime<Utc>) -> Result<Vec<Item>, sqlx::Error> {
    let mut conn = pool.acquire().await?;
    let mut out = Vec::new();
    for kind in Kind::ALL {
        let Some(cutoff) = kind.cutoff(settings, now) else {
            continue;
        };
        let found = candidates::list(&mut conn, kind, cutoff, i64::MAX).await?;
        out.extend(found.into_iter().map(|candidate| Item { kind, candidate }));
    }
    Ok(out)
}

/// Purges everything [`plan`] lists, in batches of one transaction each (the audit entries
/// in the same transaction); returns what was purged. Safe to run from several processes
/// at once and again: what is gone is not listed any more.
#[tracing::instrument(skip_all, fields(actor = %actor))]
pub async fn purge(
    pool: &PgPool,
    settings: &RetentionSettings,
    now: DateTime<Utc>,
    actor: &str,
    channel: &str,
) -> Result<Vec<Item>, sqlx::Error> {
    let mut purged = Vec::new();
    for kind in Kind::ALL {
        let Some(cutoff) = kind.cutoff(settings, now) else {
            continue;
        };
        loop {
            let mut tx = pool.begin().await?;
            let batch = candidates::list(&mut tx, kind, cutoff, BATCH).await?;
            if batch.is_empty() {
                break;
            }
            let ids: Vec<Uuid> = batch.iter().map(|c| c.id).collect();
            let done = remove(&mut tx, kind, &ids).await?;
            let rule = format!("{} = {}", kind.setting(), kind.days(settings));
            for c in batch.into_iter().filter(|c| done.contains(&c.id)) {
                record(&mut tx, kind, &c, &rule, actor, channel).await?;
                purged.push(Item { kind, candidate: c });
            }
            tx.commit().await?;
            if done.is_empty() {
                break;
            }
        }
    }
    if !purged.is_empty() {
        tracing::info!(
            items = purged.len(),
            bytes = purged.iter().map(|i| i.candidate.bytes).sum::<i64>(),
            "retention purge done"
        );
    }
    Ok(purged)
}

/// Removes the bytes of `ids`; returns those that still had them.
async fn remove(conn: &mut PgConnection, kind: Kind, ids: &[Uuid]) -> Result<Vec<Uuid>, sqlx::Error> {
    let sql = match kind {
        Kind::RawMail => {
            "update inbound_messages set raw = null, raw_purged_at = now()
             where id = any($1) and raw is not null returning id"
        }
        Kind::Document => {
            "update documents set content = ''::bytea, purged_at = now()
             where id = any($1) and purged_at is null returning id"
        }
        Kind::RenderedPdf => {
            "update quotations set pdf = null, pdf_purged_at = now()
             where id = any($1) and pdf is not null returning id"
        }
    };
    sqlx::query_scalar(sql).bind(ids).fetch_all(conn).await
}

async fn record(
    conn: &mut PgConnection,
    kind: Kind,
    c: &Candidate,
    rule: &str,
    actor: &str,
    channel: &str,
) -> Result<(), sqlx::Error> {
    let id = c.id.to_string();
    let (entity, entity_id, action) = match kind {
        Kind::RawMail => ("inbound_message", id.as_str(), "raw_purged"),
        Kind::Document => ("document", id.as_str(), "content_purged"),
        // quotations are audited under their number, as their lifecycle is
        Kind::RenderedPdf => ("quotation", c.label.as_str(), "pdf_purged"),
    };
    audit::record(
        conn,
        audit::Entry {
            entity,
            entity_id,
            action,
            actor,
            channel,
            detail: json!({
                "bytes": c.bytes,
                "settled_at": c.settled_at.to_rfc3339(),
                "rule": rule,
            }),
        },
    )
    .await
}
