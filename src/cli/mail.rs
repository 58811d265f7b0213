//! `horme mail outbox` (replies by state, and the ones that failed with the server's answer),
//! `horme mail inbound` (received mail by kind, what was not a request and why) and
//! `horme mail bench` (see [`super::mail_bench`]).

use clap::{Args, Subcommand};

use crate::config::Settings;

#[derive(Debug, Subcommand)]
pub enum MailCommand {
    /// Replies by channel and state, and the latest that could not be delivered.
    Outbox(OutboxArgs),
    /// Received mail by kind (rfp, command, conversation, ignored, unparseable, too_large),
    /// and the latest that were not processed as requests, with the reason.
    Inbound(OutboxArgs),
    /// Append RFP mails to a loopback mailbox and measure the bot end to end.
    Bench(super::mail_bench::MailBenchArgs),
}

#[derive(Debug, Args)]
pub struct OutboxArgs {
    /// How many failed replies to list.
    #[arg(long, default_value_t = 20)]
    pub limit: i64,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

pub async fn run(settings: Settings, command: MailCommand) -> anyhow::Result<()> {
    match command {
        MailCommand::Outbox(args) => outbox(settings, args).await,
        MailCommand::Inbound(args) => inbound(settings, args).await,
        MailCommand::Bench(args) => super::mail_bench::run(settings, args).await,
    }
}

async fn outbox(settings: Settings, args: OutboxArgs) -> anyhow::Result<()> {
    let app = super::app(settings).await?;
    let counts = crate::outbox::counts(&app.pool).await?;
    let failed = crate::outbox::failed(&app.pool, args.limit).await?;
    if args.json {
        let counts: Vec<_> = counts
            .iter()
            .map(|(c, s, n)| serde_json::json!({"channel": c, "status": s, "count": n}))
            .collect();
        println!("{}", serde_json::json!({"counts": counts, "failed": failed}));
        return Ok(());
    }
    for (channel, status, n) in &counts {
        println!("{channel:<10} {status:<8} {n:>8}");
    }
    if !failed.is_empty() {
        println!("\nnot delivered (latest first):");
    }
    for f in &failed {
        println!(
            "{}  {:<8} {:<18} to {:<32} after {} attempt(s): {}",
            f.created_at.format("%Y-%m-%d %H:%M"),
            f.channel,
            f.kind,
            f.recipient.as_deref().unwrap_or("-"),
            f.attempts,
            f.last_error.as_deref().unwrap_or("")
        );
    }
    Ok(())
}

async fn inbound(settings: Settings, args: OutboxArgs) -> anyhow::Result<()> {
    let app = super::app(settings).await?;
    let counts = sqlx::query!(r#"select kind, count(*) as "n!" from mail_inbound group by kind order by kind"#)
        .fetch_all(&app.pool)
        .await?;
    let latest = sqlx::query!(
        r#"select i.created_at, i.kind, i.reason, i.message_id, m.sender, m.subject
           from mail_inbound i join inbound_messages m on m.id = i.inbound_message_id
           where i.kind in ('ignored', 'unparseable', 'too_large', 'conversation', 'command')
           order by i.created_at desc limit $1"#,
        args.limit
    )
    .fetch_all(&app.pool)
    .await?;
    if args.json {
        let counts: Vec<_> = counts
            .iter()
            .map(|r| serde_json::json!({"kind": r.kind, "count": r.n}))
            .collect();
        let latest: Vec<_> = latest
            .iter()
            .map(|r| {
                serde_json::json!({"at": r.created_at, "kind": r.kind, "reason": r.reason,
                                   "message_id": r.message_id, "sender": r.sender, "subject": r.subject})
            })
            .collect();
        println!("{}", serde_json::json!({"counts": counts, "latest": latest}));
        return Ok(());
    }
    for r in &counts {
        println!("{:<14} {:>8}", r.kind, r.n);
    }
    if !latest.is_empty() {
        println!("\nnot requests (latest first):");
    }
    for r in &latest {
        println!(
            "{}  {:<12} from {:<32} {:<40} {}",
            r.created_at.format("%Y-%m-%d %H:%M"),
            r.kind,
            r.sender,
            r.subject.as_deref().unwrap_or(""),
            r.reason.as_deref().unwrap_or("")
        );
    }
    Ok(())
}
