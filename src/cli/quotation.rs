//! `horme quotation show|list|approve|reject|send|accept` and `horme approvers …`: the same
//! lifecycle functions that mail replies, chat buttons and the HTTP API call.

use std::str::FromStr;

use anyhow::{Context, bail};
use clap::{Args, Subcommand};
use rust_decimal::Decimal;

use crate::config::Settings;
use crate::quotations::{self, Actor, Adjustments, Transition, lifecycle, store};

#[derive(Debug, Subcommand)]
pub enum QuotationCommand {
    /// Show a quotation with its status and history.
    Show {
        number: String,
        #[arg(long)]
        json: bool,
    },
    /// List recent quotations, optionally of one status.
    List {
        #[arg(long)]
        status: Option<String>,
        #[arg(long, default_value_t = 20)]
        limit: i64,
    },
    /// Approve a quotation waiting for approval (optionally with changes: a new revision).
    Approve(ApproveArgs),
    /// Reject a quotation (an approver), or record the customer's refusal of a sent one.
    Reject {
        number: String,
        #[arg(long, value_name = "IDENTITY")]
        by: String,
        #[arg(long)]
        reason: Option<String>,
    },
    /// Record that an approved quotation was handed to the customer outside the channels.
    Send {
        number: String,
        #[arg(long, value_name = "IDENTITY")]
        by: String,
    },
    /// Record the customer's acceptance.
    Accept {
        number: String,
        #[arg(long, value_name = "IDENTITY")]
        by: String,
    },
}

#[derive(Debug, Args)]
pub struct ApproveArgs {
    pub number: String,
    /// Who approves (must be a configured approver).
    #[arg(long, value_name = "IDENTITY")]
    pub by: String,
    /// An extra discount in percent on every priced line.
    #[arg(long, value_name = "PCT")]
    pub discount: Option<Decimal>,
    /// Quote another product on a line: LINE=SKU (repeatable).
    #[arg(long = "line", value_name = "LINE=SKU")]
    pub lines: Vec<String>,
}

#[derive(Debug, Subcommand)]
pub enum ApproversCommand {
    /// List approvers (configuration and database).
    List,
    /// Allow an identity (mail address or chat identity) to approve.
    Add {
        identity: String,
        #[arg(long)]
        name: Option<String>,
        /// The largest extra discount (percent) this approver may grant by mail, chat or API;
        /// default: approval.max_discount_pct.
        #[arg(long, value_name = "PCT")]
        max_discount: Option<Decimal>,
    },
    /// Remove an approver from the database.
    Remove { identity: String },
}

const CHANNEL: &str = "cli";

pub async fn run(settings: Settings, command: QuotationCommand) -> anyhow::Result<()> {
    let app = super::app(settings).await?;
    let t = match command {
        QuotationCommand::Show { number, json } => return show(&app, &number, json).await,
        QuotationCommand::List { status, limit } => return list(&app, status.as_deref(), limit).await,
        QuotationCommand::Approve(a) => {
            let adjustments = Adjustments {
                extra_discount_pct: a.discount,
                skus: a.lines.iter().map(|l| parse_line(l)).collect::<anyhow::Result<_>>()?,
                quantities: Vec::new(),
            };
            lifecycle::approve(&app, &a.number, &Actor::person(&a.by), CHANNEL, &adjustments).await?
        }
        QuotationCommand::Reject { number, by, reason } => {
            lifecycle::reject(&app, &number, &Actor::person(&by), CHANNEL, reason.as_deref()).await?
        }
        QuotationCommand::Send { number, by } => {
            lifecycle::mark_sent(&app, &number, &Actor::person(&by), CHANNEL).await?
        }
        QuotationCommand::Accept { number, by } => {
            lifecycle::accept(&app, &number, &Actor::person(&by), CHANNEL).await?
        }
    };
    print_transition(&t);
    Ok(())
}

fn parse_line(raw: &str) -> anyhow::Result<(u32, String)> {
    let (line, sku) = raw
        .split_once('=')
        .with_context(|| format!("--line {raw:?}: expected LINE=SKU"))?;
    let line = u32::from_str(line.trim()).with_context(|| format!("--line {raw:?}: {line:?} is not a line number"))?;
    let sku = crate::domain::Sku::parse(sku)?;
    Ok((line, sku.as_str().to_string()))
}

fn print_transition(t: &Transition) {
    match &t.revision {
        Some(r) => println!("{}: {} → revised; {r} approved", t.number, t.from),
        None => println!("{}: {} → {}", t.number, t.from, t.to),
    }
}

async fn show(app: &crate::startup::App, number: &str, json: bool) -> anyhow::Result<()> {
    let q = store::load_by_number(&app.pool, number)
        .await?
        .with_context(|| format!("no quotation {number}"))?;
    let history = sqlx::query!(
        r#"select action, actor, channel, created_at, detail from audit_log
           where entity = 'quotation' and entity_id = $1 order by id"#,
        number
    )
    .fetch_all(&app.pool)
    .await?;
    if json {
        let mut v = serde_json::to_value(&q.view)?;
        v["status"] = serde_json::json!(q.status);
        v["history"] = history
            .iter()
            .map(|h| serde_json::json!({"action": h.action, "actor": h.actor, "channel": h.channel, "at": h.created_at, "detail": h.detail}))
            .collect();
        println!("{}", serde_json::to_string_pretty(&v)?);
        return Ok(());
    }
    let v = &q.view;
    println!(
        "{}  {}  {} {} (subtotal {}, {} {})",
        q.number, q.status, v.currency, v.total, v.subtotal, app.settings.pricing.tax_label, v.tax
    );
    println!(
        "customer: {}",
        v.customer
            .company
            .as_deref()
            .or(v.customer.email.as_deref())
            .unwrap_or("-")
    );
    super::quote::print_lines(&v.lines);
    println!("history:");
    for h in history {
        println!(
            "  {}  {:<18} {:<28} via {}",
            h.created_at.format("%Y-%m-%d %H:%M:%S"),
            h.action,
            h.actor,
            h.channel
        );
    }
    Ok(())
}

async fn list(app: &crate::startup::App, status: Option<&str>, limit: i64) -> anyhow::Result<()> {
    if let Some(s) = status
        && quotations::Status::parse(s).is_none()
    {
        bail!("unknown status {s:?}");
    }
    let rows = sqlx::query!(
        r#"select number, status, currency, total, customer->>'company' as company, created_at
           from quotations where ($1::text is null or status = $1)
           order by created_at desc, number desc limit $2"#,
        status,
        limit
    )
    .fetch_all(&app.pool)
    .await?;
    for r in rows {
        println!(
            "{:<20} {:<17} {} {:>12}  {}  {}",
            r.number,
            r.status,
            r.currency,
            r.total,
            r.created_at.format("%Y-%m-%d"),
            r.company.unwrap_or_default()
        );
    }
    Ok(())
}

pub async fn approvers(settings: Settings, command: ApproversCommand) -> anyhow::Result<()> {
    let app = super::app(settings).await?;
    match command {
        ApproversCommand::List => {
            for a in &app.settings.approval.approvers {
                println!("{a}  (configuration)");
            }
            for r in sqlx::query!("select identity, name from approvers order by identity")
                .fetch_all(&app.pool)
                .await?
            {
                println!("{}  {}", r.identity, r.name.unwrap_or_default());
            }
        }
        ApproversCommand::Add {
            identity,
            name,
            max_discount,
        } => {
            let id = quotations::approval::normalize_identity(&identity);
            if id.is_empty() {
                bail!("an approver needs an identity");
            }
            if max_discount.is_some_and(|d| d < Decimal::ZERO || d >= Decimal::ONE_HUNDRED) {
                bail!("--max-discount must lie in 0..100");
            }
            sqlx::query!(
                "insert into approvers (identity, name, max_discount_pct) values ($1, $2, $3)
                 on conflict (identity) do update set name = excluded.name, max_discount_pct = excluded.max_discount_pct",
                id,
                name,
                max_discount
            )
            .execute(&app.pool)
            .await?;
            println!("{id} may approve quotations");
        }
        ApproversCommand::Remove { identity } => {
            let id = quotations::approval::normalize_identity(&identity);
            let n = sqlx::query!("delete from approvers where identity = $1", id)
                .execute(&app.pool)
                .await?
                .rows_affected();
            if n == 0 {
                bail!("{id} is not an approver in the database");
            }
            println!("{id} removed");
        }
    }
    Ok(())
}
