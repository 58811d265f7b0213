//! `horme mail bench DIR --count 500`: the mail channel end to end under load. Runs the bot
//! in this process (workers, the IMAP poller, the outbox drainer), APPENDs `count` RFP mails
//! made from the files in DIR (round robin; `.eml` as they are, other files attached) to the
//! configured mailbox, and waits until every request has its quotation mail sent (the draft
//! to the approvers, or the quotation itself when approved at once) or has failed. Reports
//! mails per minute and the median and p95 time from APPEND to the acknowledgement and to the
//! quotation mail being sent. Loopback servers only: it writes test mail into the mailbox.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use base64::Engine;
use chrono::{DateTime, Utc};
use clap::Args;
use tokio_util::sync::CancellationToken;

use crate::config::Settings;
use crate::mail::settings::mailbox_key;
use crate::pipeline::text::Format;

#[derive(Debug, Args)]
pub struct MailBenchArgs {
    /// Directory of RFP files.
    pub dir: PathBuf,
    /// How many mails to append.
    #[arg(long, default_value_t = 500)]
    pub count: usize,
    /// The configured mailbox to append to (default: the first).
    #[arg(long)]
    pub mailbox: Option<String>,
    /// Give up waiting after this long.
    #[arg(long, default_value_t = 1800)]
    pub timeout_seconds: u64,
}

pub async fn run(settings: Settings, args: MailBenchArgs) -> anyhow::Result<()> {
    let m = &settings.mail;
    if !m.enabled {
        bail!("mail.enabled is false: configure the mail channel (see README, Mail)");
    }
    let (name, mailbox) = match &args.mailbox {
        Some(n) => (
            n.clone(),
            m.mailboxes.get(n).with_context(|| format!("no mailbox {n:?}"))?.clone(),
        ),
        None => m
            .mailboxes
            .iter()
            .next()
            .map(|(n, b)| (n.clone(), b.clone()))
            .context("no mailbox configured")?,
    };
    if !channels::email::is_loopback(&mailbox.host) || !channels::email::is_loopback(&m.smtp.host) {
        bail!("the mail benchmark writes test mail: it runs against loopback servers only (scripts/bench-mail)");
    }
    let files = rfp_files(&args.dir)?;
    let imap_cfg = m.imap_config(&name, &mailbox).map_err(|e| anyhow::anyhow!(e))?;
    let key = mailbox_key(&mailbox);
    let app = super::app(settings).await?;
    let mut conn = app.pool.acquire().await?;
    if crate::mail::approval_recipients(&mut conn, &app).await?.is_empty() && !app.settings.approval.auto_approve {
        bail!("no approver with a mail address and no auto-approval: drafts would go nowhere");
    }
    drop(conn);

    let shutdown = CancellationToken::new();
    let mut tasks = crate::mail::spawn(&app, &shutdown)?;
    tasks.spawn(crate::jobs::worker::run_pool(
        app.clone(),
        app.settings.workers.count,
        shutdown.clone(),
    ));
    wait_for_poller(&app, &key).await?;

    let run = uuid::Uuid::new_v4().simple().to_string()[..8].to_string();
    let mut session = channels::email::imap::connect(&imap_cfg).await?;
    let mut appended: HashMap<String, DateTime<Utc>> = HashMap::new();
    let started = Instant::now();
    for i in 0..args.count {
        let path = &files[i % files.len()];
        let id = format!("bench-{run}-{i}@bench.horme.invalid");
        let reply_to = format!("buyer-{run}-{i}@bench.horme.invalid");
        let raw = rfp_mail(path, &reply_to, &id)?;
        session
            .append(&mailbox.folder, None, None, &raw)
            .await
            .with_context(|| format!("APPEND {}", path.display()))?;
        appended.insert(id, Utc::now());
    }
    let _ = session.logout().await;
    let append_s = started.elapsed().as_secs_f64();
    eprintln!(
        "appended {} mails in {append_s:.1} s; waiting for the replies",
        args.count
    );

    let deadline = Instant::now() + Duration::from_secs(args.timeout_seconds);
    let rows = loop {
        let rows = progress(&app, &run).await?;
        let finished = rows.iter().filter(|r| r.quoted.is_some() || r.failed).count();
        if finished >= args.count {
            break rows;
        }
        if Instant::now() > deadline {
            shutdown.cancel();
            bail!("timed out: {finished} of {} requests finished", args.count);
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    };
    shutdown.cancel();
    while tasks.join_next().await.is_some() {}
    report(&rows, &appended, args.count);
    Ok(())
}

fn rfp_files(dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_context(|| format!("reading {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .and_then(Format::from_name)
                .is_some()
        })
        .collect();
    files.sort();
    if files.is_empty() {
        bail!("no RFP files in {}", dir.display());
    }
    Ok(files)
}

async fn wait_for_poller(app: &crate::startup::App, key: &str) -> anyhow::Result<()> {
    for _ in 0..600 {
        let ready = sqlx::query_scalar!(
            "select exists(select 1 from mail_mailboxes where mailbox = $1) as \"r!\"",
            key
        )
        .fetch_one(&app.pool)
        .await?;
        if ready {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    bail!("the IMAP poller did not start within a minute")
}

struct Row {
    id: String,
    ack: Option<DateTime<Utc>>,
    quoted: Option<DateTime<Utc>>,
    failed: bool,
}

async fn progress(app: &crate::startup::App, run: &str) -> anyhow::Result<Vec<Row>> {
    let pattern = format!("bench-{run}-%");
    let rows = sqlx::query!(
        r#"select m.external_id, r.status,
                  (select min(o.sent_at) from outbox o where o.rfp_id = r.id and o.kind = 'ack') as ack,
                  (select min(o.sent_at) from outbox o where o.rfp_id = r.id
                      and o.kind in ('approval_request', 'quotation')) as quoted
           from inbound_messages m join rfps r on r.inbound_message_id = m.id
           where m.external_id like $1"#,
        pattern
    )
    .fetch_all(&app.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| Row {
            id: r.external_id,
            ack: r.ack,
            quoted: r.quoted,
            failed: r.status == "failed",
        })
        .collect())
}

fn report(rows: &[Row], appended: &HashMap<String, DateTime<Utc>>, count: usize) {
    let ms = |t: Option<DateTime<Utc>>, id: &str| {
        let a = appended.get(id)?;
        Some((t? - *a).num_milliseconds().max(0) as f64)
    };
    let mut acks: Vec<f64> = rows.iter().filter_map(|r| ms(r.ack, &r.id)).collect();
    let mut quotes: Vec<f64> = rows.iter().filter_map(|r| ms(r.quoted, &r.id)).collect();
    acks.sort_by(f64::total_cmp);
    quotes.sort_by(f64::total_cmp);
    let first = appended.values().min().copied();
    let last = rows.iter().filter_map(|r| r.quoted.or(r.ack)).max();
    let minutes = match (first, last) {
        (Some(a), Some(b)) => (b - a).num_milliseconds() as f64 / 60_000.0,
        _ => 0.0,
    };
    let failed = rows.iter().filter(|r| r.failed).count();
    println!("{count} mails: {} quoted, {failed} failed", quotes.len());
    if minutes > 0.0 {
        println!(
            "throughput: {:.0} mails per minute (first APPEND to last quotation mail sent)",
            count as f64 / minutes
        );
    }
    println!(
        "APPEND → acknowledgement sent:  median {:>8.0} ms  p95 {:>8.0} ms",
        pct(&acks, 50.0),
        pct(&acks, 95.0)
    );
    println!(
        "APPEND → quotation mail sent:   median {:>8.0} ms  p95 {:>8.0} ms",
        pct(&quotes, 50.0),
        pct(&quotes, 95.0)
    );
}

fn pct(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((p / 100.0) * (sorted.len() - 1) as f64).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

/// An RFP file as a customer's mail: `.eml` as it is (with our Message-ID and a Reply-To),
/// other files attached to a short message.
fn rfp_mail(path: &Path, reply_to: &str, message_id: &str) -> anyhow::Result<Vec<u8>> {
    let name = path.file_name().and_then(|n| n.to_str()).context("file name")?;
    let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    if Format::from_name(name) == Some(Format::Eml) {
        let text = String::from_utf8_lossy(&bytes);
        let body: String = text
            .split_inclusive('\n')
            .filter(|l| !l.to_ascii_lowercase().starts_with("message-id:"))
            .collect();
        return Ok(format!("Message-ID: <{message_id}>\r\nReply-To: {reply_to}\r\n{body}").into_bytes());
    }
    let mut out = format!(
        "From: Bench Buyer <{reply_to}>\r\nTo: sales\r\nSubject: Request for quotation ({name})\r\n\
         Message-ID: <{message_id}>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"BENCH\"\r\n\r\n\
         --BENCH\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nPlease quote the attached.\r\n\
         --BENCH\r\nContent-Type: application/octet-stream; name=\"{name}\"\r\n\
         Content-Disposition: attachment; filename=\"{name}\"\r\nContent-Transfer-Encoding: base64\r\n\r\n"
    )
    .into_bytes();
    for line in base64::engine::general_purpose::STANDARD
        .encode(&bytes)
        .as_bytes()
        .chunks(76)
    {
        out.extend_from_slice(line);
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(b"--BENCH--\r\n");
    Ok(out)
}
