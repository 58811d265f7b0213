//! `horme quote FILE` and `horme extract FILE`.

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, bail};
use channels::{Attachment, ChannelKind, InboundMessage, Sender, ThreadRef};
use clap::Args;
use uuid::Uuid;

use crate::config::Settings;
use crate::domain::EmailAddress;
use crate::jobs::{steps, worker};
use crate::mail::forwarded;
use crate::mail::staff::Staff;
use crate::pipeline::customer::{self, SenderHint};
use crate::pipeline::requirements::Extractor;
use crate::pipeline::sources::{self, Content};
use crate::pipeline::text::Format;
use crate::quotations::store::{self, QuotationRecord};
use crate::startup::App;

#[derive(Debug, Args)]
pub struct QuoteArgs {
    pub file: PathBuf,
    /// Print the quotation as one JSON object (DESIGN §3).
    #[arg(long)]
    pub json: bool,
    /// Write the quotation PDF here.
    #[arg(long, value_name = "OUT.pdf")]
    pub pdf: Option<PathBuf>,
    /// The customer's mail address (for customer-specific prices).
    #[arg(long, value_name = "EMAIL")]
    pub customer: Option<String>,
}

#[derive(Debug, Args)]
pub struct ExtractArgs {
    pub file: PathBuf,
    /// Print JSON (the only output format).
    #[arg(long)]
    pub json: bool,
    /// Also print the structured text that was read (lines and table rows).
    #[arg(long)]
    pub blocks: bool,
}

/// Reads the file into the message a channel would have delivered; a mail one of `staff`
/// forwarded becomes the original sender's, as the mail channel stores it.
pub fn message_from_file(path: &Path, customer: Option<&str>, staff: &Staff) -> anyhow::Result<InboundMessage> {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .map(str::to_string)
        .with_context(|| format!("{}: not a file name", path.display()))?;
    let bytes = std::fs::read(path).map_err(|e| anyhow::anyhow!("cannot read {}: {e}", path.display()))?;
    let format = Format::from_name(&name).with_context(|| {
        format!("{name}: unsupported file type (we read .pdf .docx .xlsx .xls .ods .csv .txt .html .eml)")
    })?;
    if bytes.is_empty() {
        bail!("{name}: the file is empty");
    }
    let run_id = Uuid::now_v7().to_string();
    let mut msg = if format == Format::Eml {
        let mail = channels::email::parse(&bytes).map_err(|e| anyhow::anyhow!("{name}: {e}"))?;
        InboundMessage {
            channel: ChannelKind::Cli,
            external_id: run_id.clone(),
            thread: ThreadRef::Cli { run_id },
            ..forwarded::attribute(&mail, staff)
        }
    } else {
        InboundMessage {
            channel: ChannelKind::Cli,
            external_id: run_id.clone(),
            thread: ThreadRef::Cli { run_id },
            sender: Sender {
                address: "cli".into(),
                display_name: None,
            },
            subject: None,
            text: String::new(),
            html: None,
            attachments: vec![Attachment {
                filename: name,
                media_type: "application/octet-stream".into(),
                content: bytes,
            }],
            raw: None,
            forwarded_by: None,
        }
    };
    if let Some(c) = customer {
        msg.sender.address = EmailAddress::parse(c)?.to_string();
    }
    Ok(msg)
}

pub async fn quote(settings: Settings, args: QuoteArgs) -> anyhow::Result<()> {
    let app = super::app(settings).await?;
    let rfp = submit(&app, &args.file, args.customer.as_deref()).await?;
    // Interrupted, the request fails here rather than waiting in the shared queue for a
    // `serve` to take it over.
    let q = tokio::select! {
        q = finish(&app, rfp) => q?,
        signal = stop_signal() => {
            steps::abandon(&app, rfp, &format!("the command was interrupted ({signal})")).await?;
            bail!("interrupted ({signal}): the request is marked failed");
        }
    };
    if let Some(out) = &args.pdf {
        let pdf = store::pdf(&app.pool, &q.number)
            .await?
            .context("the quotation has no PDF")?;
        std::fs::write(out, pdf).with_context(|| format!("writing {}", out.display()))?;
        eprintln!("quotation {} written to {}", q.number, out.display());
    }
    if args.json {
        println!("{}", serde_json::to_string(&q.view)?);
    } else {
        print_summary(&q.view);
    }
    Ok(())
}

/// The one-shot pipeline: stores the file as a message received from the command line, runs
/// its jobs to the end in this process and returns the quotation (or the request's failure).
pub async fn quote_once(app: &App, file: &Path, customer: Option<&str>) -> anyhow::Result<QuotationRecord> {
    let rfp = submit(app, file, customer).await?;
    finish(app, rfp).await
}

/// Stores the file as a request; returns the request's id.
async fn submit(app: &App, file: &Path, customer: Option<&str>) -> anyhow::Result<Uuid> {
    // Refused before reading: a 1-GB file is not read into memory to be refused afterwards.
    let size = std::fs::metadata(file).map(|m| m.len()).unwrap_or(0);
    let limit = app.settings.pipeline.max_document_bytes as u64;
    if size > limit {
        let name = file.file_name().map(|n| n.to_string_lossy()).unwrap_or_default();
        bail!("{name}: the file is {size} bytes, more than the limit of {limit} bytes");
    }
    let msg = message_from_file(file, customer, &Staff::load(app).await?)?;
    Ok(crate::ingest::store(&app.pool, &msg, app.settings.workers.max_attempts)
        .await?
        .rfp_id)
}

/// Runs the request's jobs here to the end. On an error the request is marked failed (when
/// the database still answers), so that it is not left `running` for another process.
async fn finish(app: &App, rfp: Uuid) -> anyhow::Result<QuotationRecord> {
    let status = match worker::drain_rfp(app, rfp, Duration::from_secs(600)).await {
        Ok(status) => status,
        Err(e) => {
            let reason = format!("the command stopped: {e}");
            if let Err(e2) = steps::abandon(app, rfp, &reason).await {
                tracing::warn!(error = %e2, "cannot mark the request failed");
            }
            return Err(e.into());
        }
    };
    if status != "done" {
        if status != "failed" {
            steps::abandon(
                app,
                rfp,
                &format!("the request did not finish in time (status {status})"),
            )
            .await?;
        }
        let reason: Option<String> = sqlx::query_scalar!("select failure_reason from rfps where id = $1", rfp)
            .fetch_one(&app.pool)
            .await?;
        bail!(
            "{}",
            reason.unwrap_or_else(|| format!("the request did not finish (status {status})"))
        );
    }
    store::load_by_rfp(&app.pool, rfp)
        .await?
        .context("the quotation disappeared")
}

/// Waits for SIGINT or SIGTERM; names the one that came.
async fn stop_signal() -> &'static str {
    use tokio::signal::unix::{SignalKind, signal};
    let Ok(mut term) = signal(SignalKind::terminate()) else {
        let _ = tokio::signal::ctrl_c().await;
        return "SIGINT";
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => "SIGINT",
        _ = term.recv() => "SIGTERM",
    }
}

/// One row per quotation line: number, status, quantity, unit, total, product or request.
pub(super) fn print_lines(lines: &[crate::pipeline::quotation::QuoteLine]) {
    for l in lines {
        println!(
            "{:>3}  {:<16} {:>8} {:<5} {:>10}  {}",
            l.line,
            l.status.as_str(),
            l.requested.quantity,
            l.requested.unit,
            l.line_total.map(|t| t.to_string()).unwrap_or_default(),
            l.matched
                .as_ref()
                .map(|m| format!("{} {}", m.sku, m.name))
                .unwrap_or_else(|| l.requested.description.clone())
        );
    }
}

fn print_summary(q: &crate::pipeline::quotation::Quotation) {
    println!(
        "Quotation {} for {} ({} lines)",
        q.number.as_deref().unwrap_or("-"),
        q.customer.company.as_deref().unwrap_or("unknown customer"),
        q.lines.len()
    );
    print_lines(&q.lines);
    println!(
        "subtotal {} {}  tax {}  total {}",
        q.currency, q.subtotal, q.tax, q.total
    );
}

/// Extraction only: no database needed.
pub async fn extract(settings: Settings, args: ExtractArgs) -> anyhow::Result<()> {
    let msg = message_from_file(&args.file, None, &Staff::from_settings(&settings))?;
    let limits = crate::pipeline::text::Limits::from_settings(&settings.pipeline);
    let content = Content::of_message(&msg);
    let read = tokio::task::spawn_blocking(move || sources::read(&content, &limits)).await?;
    let hint = SenderHint {
        address: Some(msg.sender.address.clone()).filter(|a| a.contains('@')),
        display_name: msg.sender.display_name.clone(),
        subject: msg.subject.clone(),
        own_domains: Staff::from_settings(&settings).own_domains(&settings),
        forwarded_by: msg.forwarded_by.as_ref().map(|f| f.address.clone()),
    };
    let info = customer::extract(&read.documents, &hint);
    // The configured extractor, as the worker uses it; an LLM failure is the command's error.
    let extractor = Extractor::from_settings(&settings)?;
    let extraction = extractor.extract(&read.documents).await;
    let lines = match extraction.items {
        Ok(lines) => lines,
        Err(e) if args.blocks => {
            println!("{}", serde_json::to_string_pretty(&read.documents)?);
            bail!(e)
        }
        Err(e) => {
            let mut reason = e.to_string();
            for err in &read.errors {
                reason.push_str(&format!("; {err}"));
            }
            bail!(reason);
        }
    };
    let out = serde_json::json!({
        "source": args.file.file_name().and_then(|n| n.to_str()).unwrap_or(""),
        "customer": info,
        "lines": lines,
        "unreadable": read.errors.iter().map(ToString::to_string).collect::<Vec<_>>(),
        "skipped": read.skipped,
        "extractor": extractor.kind(),
    });
    let mut out = out;
    if !extraction.usage.is_empty() {
        out["llm_usage"] = serde_json::to_value(&extraction.usage)?;
        out["rejected"] = extraction.rejected.iter().map(ToString::to_string).collect();
    }
    if args.blocks {
        out["documents"] = serde_json::to_value(&read.documents)?;
    }
    println!("{}", serde_json::to_string(&out)?);
    Ok(())
}
