//! The one drainer of the outbox: claims due replies of every channel that has a sender in the
//! [`Registry`] with a lease, hands each to its channel's [`ReplySender`] and records the
//! outcome — sent; retried with exponential backoff after a transient error (a 4xx, a network
//! error) or after the delay a platform asked for (a 429's `retry_after`); failed for good
//! after a permanent one (kept with the platform's answer, audited, announced to sales).
//!
//! Exactly once: a row is written once (idempotency key), claimed by one drainer at a time
//! (lease), and marked sent only by the holder of the lease. The remaining window — the
//! server accepted the mail and the process died before recording it — resends the same
//! Message-ID after the lease expires, which mail clients drop as a duplicate.

use std::sync::Arc;
use std::time::Duration;

use channels::email::smtp::SmtpSender;
use channels::{Attachment, ChannelError, OutboundReply, Outgoing, ReplyButton, ThreadRef};
use futures::StreamExt;
use serde_json::json;
use sqlx::postgres::PgListener;
use tokio::sync::Notify;
use tokio_util::sync::CancellationToken;
use uuid::Uuid;

use super::email::MailReplySender;
use super::{OUTBOX_CHANNEL, Registry, Row};
use crate::jobs::queue::Backoff;
use crate::startup::App;

/// Drains the replies of the mail channel alone until `shutdown` (a registry holding only
/// the mail sender).
pub async fn run(app: App, sender: SmtpSender, shutdown: CancellationToken) {
    let mut registry = Registry::new();
    registry.register(Arc::new(MailReplySender::new(sender, app.settings.mail.clone())));
    run_all(app, registry, shutdown).await
}

/// Drains the replies of every channel in `registry` until `shutdown`. The lease, backoff,
/// batch and concurrency settings are `mail.outbox_*` (they predate other channels).
pub async fn run_all(app: App, registry: Registry, shutdown: CancellationToken) {
    let channels = registry.channels();
    let wake = Arc::new(Notify::new());
    let listener = tokio::spawn(listen(app.clone(), wake.clone(), shutdown.clone()));
    let m = &app.settings.mail;
    let poll = Duration::from_millis(m.outbox_poll_interval_ms.max(50));
    let lease = Duration::from_secs(m.outbox_lease_seconds.max(10));
    tracing::info!(?channels, "outbox drainer started");
    while !shutdown.is_cancelled() {
        let notified = wake.notified();
        let token = Uuid::new_v4();
        match claim(&app, &channels, lease, token, (m.outbox_concurrency * 4) as i64).await {
            Ok(rows) if !rows.is_empty() => {
                futures::stream::iter(rows)
                    .for_each_concurrent(m.outbox_concurrency, |row| deliver(&app, &registry, row, token))
                    .await;
            }
            Ok(_) => {
                tokio::select! {
                    _ = shutdown.cancelled() => break,
                    _ = notified => {}
                    _ = tokio::time::sleep(poll) => {}
                }
            }
            Err(e) => {
                tracing::warn!(error = %e, "cannot claim outbox rows");
                tokio::select! {
                    _ = shutdown.cancelled() => break,
                    _ = tokio::time::sleep(poll) => {}
                }
            }
        }
    }
    listener.abort();
    tracing::info!("outbox drainer stopped");
}

async fn listen(app: App, wake: Arc<Notify>, shutdown: CancellationToken) {
    loop {
        if let Ok(mut l) = PgListener::connect_with(&app.pool).await
            && l.listen(OUTBOX_CHANNEL).await.is_ok()
        {
            loop {
                tokio::select! {
                    _ = shutdown.cancelled() => return,
                    n = l.recv() => match n {
                        Ok(_) => wake.notify_waiters(),
                        Err(_) => break,
                    }
                }
            }
        }
        tokio::select! {
            _ = shutdown.cancelled() => return,
            _ = tokio::time::sleep(Duration::from_secs(2)) => {}
        }
    }
}

async fn claim(
    app: &App,
    channels: &[String],
    lease: Duration,
    token: Uuid,
    limit: i64,
) -> Result<Vec<(Row, i32)>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"update outbox o set status = 'sending', attempts = o.attempts + 1,
                  locked_until = now() + make_interval(secs => $1), lease_token = $2
           where o.id in (
               select id from outbox
               where channel = any($4) and status in ('pending', 'sending') and next_attempt_at <= now()
                 and (locked_until is null or locked_until < now())
               order by next_attempt_at, created_at
               for update skip locked
               limit $3)
           returning o.id, o.channel, o.kind, o.thread, o.subject, o.body, o.quotation_id, o.attach_pdf,
                     o.external_id, o.idempotency_key, o.attempts, o.buttons"#,
        lease.as_secs_f64(),
        token,
        limit,
        channels
    )
    .fetch_all(&app.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            (
                Row {
                    id: r.id,
                    channel: r.channel,
                    kind: r.kind,
                    thread: r.thread,
                    subject: r.subject,
                    body: r.body,
                    quotation_id: r.quotation_id,
                    attach_pdf: r.attach_pdf,
                    external_id: r.external_id,
                    idempotency_key: r.idempotency_key,
                    buttons: r.buttons,
                },
                r.attempts,
            )
        })
        .collect())
}

#[tracing::instrument(skip_all, fields(outbox = %row.id, channel = %row.channel, kind = %row.kind, attempt))]
async fn deliver(app: &App, registry: &Registry, (row, attempt): (Row, i32), token: Uuid) {
    tracing::Span::current().record("attempt", attempt);
    let result = match (registry.get(&row.channel), outgoing(&app.pool, &row).await) {
        (Some(sender), Ok(out)) => sender.send(&out).await,
        (None, _) => Err(ChannelError::Transient(format!(
            "no sender for channel {}",
            row.channel
        ))),
        (_, Err(e)) => Err(e),
    };
    if let Err(ChannelError::RateLimited { retry_after }) = &result {
        metrics::counter!("horme_channel_rate_limited_total", "channel" => row.channel.clone()).increment(1);
        tracing::warn!(
            retry_after_s = retry_after.as_secs_f64(),
            "rate limited by the platform"
        );
    }
    let recorded = match result {
        Ok(()) => record_sent(app, &row, token).await,
        Err(e) => record_failure(app, &row, attempt, token, &e).await,
    };
    if let Err(e) = recorded {
        tracing::error!(error = %e, "cannot record the outcome of a send; the lease will expire and it may be retried");
    }
}

async fn record_sent(app: &App, row: &Row, token: Uuid) -> Result<(), sqlx::Error> {
    let mut tx = app.pool.begin().await?;
    let updated = sqlx::query!(
        r#"update outbox set status = 'sent', sent_at = now(), locked_until = null, lease_token = null,
                  last_error = null
           where id = $1 and lease_token = $2"#,
        row.id,
        token
    )
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if updated == 1 {
        super::delivered::after_sent(&mut tx, app, row).await?;
    }
    tx.commit().await?;
    metrics::counter!("horme_outbox_sent_total", "channel" => row.channel.clone(), "kind" => row.kind.clone())
        .increment(1);
    tracing::info!("reply sent");
    Ok(())
}

async fn record_failure(app: &App, row: &Row, attempt: i32, token: Uuid, e: &ChannelError) -> Result<(), sqlx::Error> {
    let m = &app.settings.mail;
    let permanent = !e.is_retryable() || attempt >= m.outbox_max_attempts;
    let delay = e.retry_after().unwrap_or_else(|| {
        Backoff {
            base: Duration::from_secs(m.outbox_backoff_base_seconds),
            max: Duration::from_secs(m.outbox_backoff_max_seconds),
        }
        .delay(attempt)
    });
    let error = e.to_string();
    let mut tx = app.pool.begin().await?;
    let updated = sqlx::query!(
        r#"update outbox set
               status = case when $3 then 'failed' else 'pending' end,
               next_attempt_at = case when $3 then next_attempt_at else now() + make_interval(secs => $4) end,
               locked_until = null, lease_token = null, last_error = $5
           where id = $1 and lease_token = $2"#,
        row.id,
        token,
        permanent,
        delay.as_secs_f64(),
        error
    )
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if updated == 1 && permanent {
        crate::audit::record(
            &mut tx,
            crate::audit::Entry {
                entity: "outbox",
                entity_id: &row.id.to_string(),
                action: "delivery_failed",
                actor: "system",
                channel: &row.channel,
                detail: json!({"kind": row.kind, "error": error, "attempts": attempt}),
            },
        )
        .await?;
        // Sales hear of it by mail (when mail runs): the only staff notice channel so far.
        if app.settings.mail.enabled {
            crate::mail::replies::delivery_failed(&mut tx, app, row, &error).await?;
        }
    }
    tx.commit().await?;
    if permanent {
        metrics::counter!("horme_outbox_failed_total", "channel" => row.channel.clone()).increment(1);
        tracing::error!(error = %error, "reply failed permanently");
    } else {
        tracing::warn!(error = %error, retry_in_s = delay.as_secs_f64(), "reply not sent, will retry");
    }
    Ok(())
}

/// The reply of a claimed row: its thread, text and buttons, and the quotation PDF when the
/// row asks for it. A PDF that is not there yet is `Transient` (it is being rendered); a row
/// that can never be sent is `Permanent`.
pub async fn outgoing(pool: &sqlx::PgPool, row: &Row) -> Result<Outgoing, ChannelError> {
    let thread: ThreadRef = serde_json::from_value(row.thread.clone())
        .map_err(|e| ChannelError::Permanent(format!("outbox row has no usable thread: {e}")))?;
    let buttons: Vec<ReplyButton> = serde_json::from_value(row.buttons.clone()).unwrap_or_default();
    let mut attachments = Vec::new();
    if row.attach_pdf {
        let q = row
            .quotation_id
            .ok_or_else(|| ChannelError::Permanent("a PDF was asked for without a quotation".into()))?;
        let found = sqlx::query!("select number, pdf from quotations where id = $1", q)
            .fetch_optional(pool)
            .await
            .map_err(|e| ChannelError::Transient(format!("loading the quotation PDF: {e}")))?
            .ok_or_else(|| ChannelError::Permanent(format!("quotation {q} no longer exists")))?;
        let pdf = found
            .pdf
            .ok_or_else(|| ChannelError::Transient(format!("the PDF of {} is not rendered yet", found.number)))?;
        attachments.push(Attachment {
            filename: format!("{}.pdf", found.number),
            media_type: "application/pdf".into(),
            content: pdf,
        });
    }
    Ok(Outgoing {
        reply: OutboundReply {
            thread,
            text: row.body.clone(),
            attachments,
            buttons,
        },
        kind: row.kind.clone(),
        subject: row.subject.clone(),
        external_id: row.external_id.clone(),
        idempotency_key: row.idempotency_key.clone(),
    })
}
