//! The mail channel's jobs on the shared queue: telling the customer why a request failed,
//! acting on a command mail, and marking a quotation sent once its mail was delivered. (The
//! quotation itself goes out on its lifecycle events: see [`super::notify`].)
//! Each writes its outbox rows and completes itself in one transaction, fenced by its lease.

use std::time::Duration;

use serde_json::json;
use sqlx::PgConnection;
use uuid::Uuid;

use super::replies::{self, CustomerThread, ToCustomer};
use super::threading::Token;
use crate::jobs::StepError;
use crate::jobs::queue::{self, Backoff, Failure, Job, NewJob};
use crate::startup::App;

/// A request that came by mail failed: tell the customer why.
pub const RFP_FAILED: &str = "mail.rfp_failed";
/// An approver's or customer's command mail.
pub const COMMAND: &str = "mail.command";
/// A reply was delivered (jobs queued before `outbox.sent` replaced this kind).
pub const SENT: &str = "mail.sent";

/// Whether the queue's job `kind` belongs here.
pub fn owns(kind: &str) -> bool {
    matches!(kind, RFP_FAILED | COMMAND | SENT)
}

/// Runs one claimed mail job to its end.
#[tracing::instrument(skip_all, fields(job = job.id, kind = %job.kind, attempt = job.attempts))]
pub async fn run(app: &App, job: &Job) -> Result<(), sqlx::Error> {
    let result = match job.kind.as_str() {
        RFP_FAILED => rfp_failed(app, job).await,
        COMMAND => super::approvals::run(app, job).await,
        SENT => super::approvals::after_delivery(app, job).await,
        other => Err(StepError::Permanent(format!("unknown mail job {other:?}"))),
    };
    let (error, retryable) = match result {
        Ok(()) | Err(StepError::LeaseLost) => return Ok(()),
        Err(StepError::Permanent(e)) => (e, false),
        Err(StepError::Transient(e)) => (format!("{e:#}"), true),
    };
    let w = &app.settings.workers;
    let backoff = Backoff {
        base: Duration::from_secs(w.backoff_base_seconds),
        max: Duration::from_secs(w.backoff_max_seconds),
    };
    match queue::fail(&app.pool, job, &error, retryable, &backoff).await? {
        Failure::Retry(after) => {
            tracing::warn!(%error, retry_in_s = after.as_secs_f64(), "mail job failed, will retry")
        }
        Failure::Dead => tracing::error!(%error, "mail job failed for good"),
        Failure::LeaseLost => {}
    }
    Ok(())
}

/// In the transaction that fails a request: when it came by mail, queue the job that tells
/// the customer.
pub async fn on_rfp_failed(conn: &mut PgConnection, rfp: Uuid, max_attempts: i32) -> Result<(), sqlx::Error> {
    let by_mail = sqlx::query_scalar!(
        r#"select m.channel = 'email' as "email!" from rfps r join inbound_messages m on m.id = r.inbound_message_id
           where r.id = $1"#,
        rfp
    )
    .fetch_optional(&mut *conn)
    .await?
    .unwrap_or(false);
    if by_mail {
        queue::enqueue(
            conn,
            NewJob {
                kind: RFP_FAILED,
                payload: json!({"rfp_id": rfp}),
                rfp_id: None,
                dedupe_key: Some(format!("{RFP_FAILED}:{rfp}")),
                priority: 1,
                max_attempts,
            },
        )
        .await?;
    }
    Ok(())
}

pub(super) fn payload_uuid(job: &Job, key: &str) -> Result<Uuid, StepError> {
    job.payload
        .get(key)
        .and_then(|v| v.as_str())
        .and_then(|s| Uuid::parse_str(s).ok())
        .ok_or_else(|| StepError::Permanent(format!("job payload has no {key}")))
}

/// Loads the customer's thread of a request that came by mail.
pub async fn customer_thread(app: &App, rfp: Uuid) -> Result<Option<CustomerThread>, sqlx::Error> {
    let row = sqlx::query!(
        r#"select m.channel, m.thread, m.sender, m.sender_name from rfps r
           join inbound_messages m on m.id = r.inbound_message_id where r.id = $1"#,
        rfp
    )
    .fetch_optional(&app.pool)
    .await?;
    Ok(row.filter(|r| r.channel == "email").and_then(|r| {
        Some(CustomerThread {
            rfp_id: Some(rfp),
            reference_id: rfp,
            thread: serde_json::from_value(r.thread).ok()?,
            name: r.sender_name,
            sender: r.sender,
        })
    }))
}

/// Opens the job's final transaction, refusing if the lease was lost meanwhile.
pub(super) async fn commit_tx<'a>(app: &'a App, job: &Job) -> Result<sqlx::Transaction<'a, sqlx::Postgres>, StepError> {
    let mut tx = app.pool.begin().await?;
    if !queue::hold_lease(&mut tx, job).await? {
        return Err(StepError::LeaseLost);
    }
    Ok(tx)
}

async fn rfp_failed(app: &App, job: &Job) -> Result<(), StepError> {
    let rfp = payload_uuid(job, "rfp_id")?;
    let reason = sqlx::query_scalar!("select failure_reason from rfps where id = $1", rfp)
        .fetch_optional(&app.pool)
        .await?
        .ok_or_else(|| StepError::Permanent(format!("request {rfp} no longer exists")))?
        .unwrap_or_default();
    let Some(customer) = customer_thread(app, rfp).await? else {
        return finish(app, job).await;
    };
    let (template, details) = failure_template(app, rfp, &reason).await?;
    if template == "no_items.txt" && !app.settings.mail.answer_non_requests && !acknowledged(app, rfp).await? {
        tracing::info!(%rfp, "no items in a mail that did not look like a request: not answered (mail.answer_non_requests = false)");
        return finish(app, job).await;
    }
    let mut vars = replies::customer_vars(app, &customer);
    vars.push(("details", details));
    vars.push((
        "limit",
        super::receive::megabytes(app.settings.pipeline.max_document_bytes as u64),
    ));
    let mut tx = commit_tx(app, job).await?;
    replies::to_customer(
        &mut tx,
        app,
        &customer,
        ToCustomer {
            kind: template.trim_end_matches(".txt"),
            template,
            vars,
            token: Token::Request(rfp),
            key_suffix: String::new(),
            quotation_id: None,
            attach_pdf: false,
            automatic: true,
        },
    )
    .await?;
    queue::complete(&mut tx, job).await?;
    tx.commit().await?;
    Ok(())
}

/// Whether the request's sender was told we received it (an acknowledgement queued).
async fn acknowledged(app: &App, rfp: Uuid) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar!(
        r#"select exists(select 1 from outbox where rfp_id = $1 and kind = 'ack') as "e!""#,
        rfp
    )
    .fetch_one(&app.pool)
    .await
}

/// Completes a job that has nothing (more) to do.
pub(super) async fn finish(app: &App, job: &Job) -> Result<(), StepError> {
    let mut tx = commit_tx(app, job).await?;
    queue::complete(&mut tx, job).await?;
    tx.commit().await?;
    Ok(())
}

/// Which notice explains a failed request: a file over the size limit, files that could not
/// be read (with the reader's own words), nothing to quote, or a failure of ours.
async fn failure_template(app: &App, rfp: Uuid, reason: &str) -> Result<(&'static str, String), sqlx::Error> {
    let limit = app.settings.pipeline.max_document_bytes as i64;
    let oversized = sqlx::query_scalar!(
        r#"select count(*) as "n!" from documents d join rfps r on r.inbound_message_id = d.inbound_message_id
           where r.id = $1 and d.size_bytes > $2"#,
        rfp,
        limit
    )
    .fetch_one(&app.pool)
    .await?;
    if oversized > 0 {
        return Ok(("too_large.txt", String::new()));
    }
    let no_items = crate::pipeline::requirements::ExtractError::NoItems.to_string();
    let Some(rest) = reason.strip_prefix(no_items.as_str()) else {
        return Ok(("processing_failed.txt", String::new()));
    };
    let details: Vec<&str> = rest
        .split("; ")
        .map(str::trim)
        .filter(|d| !d.is_empty() && *d != "the message is empty" && !d.starts_with("no readable document"))
        .collect();
    if details.is_empty() {
        Ok(("no_items.txt", String::new()))
    } else {
        Ok((
            "unreadable.txt",
            details
                .iter()
                .map(|d| format!("  - {d}"))
                .collect::<Vec<_>>()
                .join("\n"),
        ))
    }
}
