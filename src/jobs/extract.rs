//! Step 1: read the message and its attachments, extract the customer block and the
//! requested items. Zero items is a failure with a reason, never an empty quotation.

use anyhow::Context;

use super::queue::Job;
use super::steps::{self, StepError};
use crate::config::ExtractorKind;
use crate::llm::Usage;
use crate::pipeline::customer::{self, CustomerInfo, SenderHint};
use crate::pipeline::requirements::{Extraction, Extractor, Requirement, check_line_count};
use crate::pipeline::sources::{self, Content, Source};
use crate::startup::App;

pub(super) async fn run(app: &App, job: &Job) -> Result<(), StepError> {
    let Some(rfp) = steps::begin(app, job, &["received", "extracting"], "extracting").await? else {
        return steps::skip(app, job).await;
    };
    let msg = sqlx::query!(
        r#"select m.id, m.sender, m.sender_name, m.subject, m.body_text, m.body_html, m.forwarded_by
           from rfps r join inbound_messages m on m.id = r.inbound_message_id where r.id = $1"#,
        rfp
    )
    .fetch_one(&app.pool)
    .await?;
    let docs = sqlx::query!(
        "select filename, media_type, content from documents where inbound_message_id = $1 order by ordinal",
        msg.id
    )
    .fetch_all(&app.pool)
    .await?;
    let content = Content {
        text: msg.body_text,
        html: msg.body_html,
        attachments: docs
            .into_iter()
            .map(|d| Source {
                name: d.filename,
                media_type: Some(d.media_type),
                bytes: d.content,
            })
            .collect(),
    };
    let hint = sender_hint(app, Some(msg.sender), msg.sender_name, msg.subject, msg.forwarded_by);
    let read = read_documents(app, content).await?;
    record_documents(app, rfp, &read).await?;
    let Understood {
        extraction,
        info,
        extractor,
    } = understand(app, &read, &hint).await?;
    // Tokens are spent whether or not the extraction succeeded: record them first.
    record_usage(app, rfp, job.id, &extraction.usage).await?;
    let items: Vec<Requirement> = match extraction.items {
        Ok(items) => items,
        Err(e) if e.is_transient() => return Err(StepError::Transient(anyhow::Error::new(e))),
        Err(e) => return Err(StepError::Permanent(failure_reason(&e.to_string(), &read))),
    };
    check_line_count(&items, app.settings.pipeline.max_lines).map_err(|e| StepError::Permanent(e.to_string()))?;

    let mut tx = steps::commit_tx(app, job).await?;
    sqlx::query!("delete from requirement_lines where rfp_id = $1", rfp)
        .execute(&mut *tx)
        .await?;
    // One statement for all lines (row-by-row inserts took a minute for large requests).
    let line_nos: Vec<i32> = (1..=items.len() as i32).collect();
    let descriptions: Vec<String> = items
        .iter()
        .map(|i| crate::text_hygiene::clean(&i.description).into_owned())
        .collect();
    let quantities: Vec<rust_decimal::Decimal> = items.iter().map(|i| i.quantity).collect();
    let units: Vec<String> = items
        .iter()
        .map(|i| crate::text_hygiene::clean(&i.unit).into_owned())
        .collect();
    sqlx::query!(
        r#"insert into requirement_lines (rfp_id, line_no, description, quantity, unit)
           select $1, * from unnest($2::int4[], $3::text[], $4::numeric[], $5::text[])"#,
        rfp,
        &line_nos,
        &descriptions,
        &quantities,
        &units
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        "update rfps set customer = $2, extractor = $3 where id = $1",
        rfp,
        crate::text_hygiene::clean_json(serde_json::to_value(&info).unwrap_or_default()),
        match extractor {
            ExtractorKind::Rules => "rules",
            ExtractorKind::Llm => "llm",
        }
    )
    .execute(&mut *tx)
    .await?;
    steps::finish(&mut tx, app, job, rfp, "matching", Some(steps::MATCH)).await?;
    tx.commit().await?;
    tracing::info!(
        items = items.len(),
        rejected = extraction.rejected.len(),
        unreadable = read.errors.len(),
        "requirements extracted"
    );
    Ok(())
}

/// Why no lines came out: what could not be read when nothing was read (without a "no line
/// items found" in front of it), else the extractor's reason and what could not be read.
fn failure_reason(reason: &str, read: &sources::Read) -> String {
    if read.documents.is_empty() && !read.errors.is_empty() {
        return read
            .errors
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("; ");
    }
    let mut parts = vec![reason.to_string()];
    parts.extend(read.errors.iter().map(ToString::to_string));
    if read.documents.is_empty() && read.errors.is_empty() {
        parts.push(if read.skipped.is_empty() {
            "the message is empty".into()
        } else {
            format!("no readable document (skipped: {})", read.skipped.join(", "))
        });
    }
    parts.join("; ")
}

/// Stores what became of each attachment with the request, whatever the extraction makes of
/// them: the same on every run, so a retry simply writes it again.
async fn record_documents(app: &App, rfp: uuid::Uuid, read: &sources::Read) -> Result<(), StepError> {
    let documents = serde_json::to_value(&read.attachments).context("encoding the attachment list")?;
    sqlx::query!(
        "update rfps set documents = $2 where id = $1",
        rfp,
        crate::text_hygiene::clean_json(documents)
    )
    .execute(&app.pool)
    .await?;
    let skipped = read.attachments.iter().filter(|a| a.reason.is_some()).count();
    if skipped > 0 {
        tracing::info!(skipped, attachments = read.attachments.len(), "attachments skipped");
    }
    Ok(())
}

/// One `llm_usage` row per request the `llm` extractor made.
async fn record_usage(app: &App, rfp: uuid::Uuid, job: i64, usage: &[Usage]) -> Result<(), StepError> {
    let count = usage.len() as i32;
    for u in usage {
        sqlx::query!(
            r#"insert into llm_usage (rfp_id, job_id, model, prompt_version, chunk_no, chunk_count,
                   prompt_tokens, completion_tokens, total_tokens, duration_ms)
               values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"#,
            rfp,
            job,
            u.model,
            u.prompt_version,
            u.chunk_no as i32,
            count,
            u.prompt_tokens as i32,
            u.completion_tokens as i32,
            u.total_tokens as i32,
            u.duration_ms as i32
        )
        .execute(&app.pool)
        .await?;
    }
    Ok(())
}

/// Reads the documents of a message. The extract step and `horme bench` both call this.
pub async fn read_documents(app: &App, content: Content) -> Result<sources::Read, StepError> {
    let limits = app.limits();
    // Parsing is CPU work on untrusted bytes: keep it off the async threads.
    Ok(tokio::task::spawn_blocking(move || sources::read(&content, &limits))
        .await
        .context("reading the documents")?)
}

/// What the extract step makes of the documents.
pub struct Understood {
    pub extraction: Extraction,
    pub info: CustomerInfo,
    pub extractor: ExtractorKind,
}

/// Extracts the requested items with the configured extractor, and the customer block. The
/// extract step and `horme bench` both call this.
pub async fn understand(app: &App, read: &sources::Read, hint: &SenderHint) -> Result<Understood, StepError> {
    let extractor = Extractor::from_settings(&app.settings).map_err(|e| StepError::Permanent(e.to_string()))?;
    let kind = extractor.kind();
    // The rules extractor is CPU work proportional to the document: off the async threads.
    let docs = read.documents.clone();
    let extraction = super::off_runtime(async move { extractor.extract(&docs).await })
        .await
        .context("extracting the requested lines")?;
    Ok(Understood {
        extraction,
        info: customer::extract(&read.documents, hint),
        extractor: kind,
    })
}

/// What the channel tells about the customer: the sender (when it is a mail address), the
/// subject and the colleague who forwarded the request; our own domains, which are never the
/// customer's.
pub fn sender_hint(
    app: &App,
    sender: Option<String>,
    name: Option<String>,
    subject: Option<String>,
    forwarded_by: Option<String>,
) -> SenderHint {
    SenderHint {
        address: sender.filter(|s| s.contains('@')),
        display_name: name,
        subject,
        forwarded_by,
        own_domains: crate::mail::staff::Staff::from_settings(&app.settings).own_domains(&app.settings),
    }
}
