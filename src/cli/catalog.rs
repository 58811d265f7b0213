//! `horme catalog import` and `horme catalog search`.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::Instant;

use anyhow::Context;
use clap::Args;

use crate::catalog::import::Rejection;
use crate::catalog::search;
use crate::catalog::search::normalize;
use crate::catalog::store::ImportReport;
use crate::config::Settings;

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// Products file (CSV or XLSX): sku, name/description, brand, category, unit, price,
    /// currency, stock, lead_time_days.
    #[arg(long, value_name = "FILE")]
    pub products: Option<PathBuf>,
    /// Price tiers file (CSV or XLSX): scope, min_qty, discount_pct.
    #[arg(long, value_name = "FILE")]
    pub tiers: Option<PathBuf>,
    /// Print the report as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct SearchArgs {
    /// What a buyer wrote.
    pub text: String,
    #[arg(long, default_value_t = 5)]
    pub limit: usize,
}

pub async fn import(settings: Settings, args: ImportArgs) -> anyhow::Result<()> {
    if args.products.is_none() && args.tiers.is_none() {
        anyhow::bail!("nothing to import: give --products FILE and/or --tiers FILE");
    }
    let currency = settings.pricing.currency.clone();
    let app = super::app(settings).await?;
    let started = Instant::now();
    let bar = progress_bar();
    let report = crate::catalog::import_files(
        &app.pool,
        args.products.as_deref(),
        args.tiers.as_deref(),
        &currency,
        |done, total| {
            if let Some(b) = &bar {
                b.set_length(total as u64);
                b.set_position(done as u64);
            }
        },
    )
    .await
    .context("importing the catalog")?;
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print_report(&report, started.elapsed().as_secs_f64());
    }
    Ok(())
}

fn progress_bar() -> Option<indicatif::ProgressBar> {
    if !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = indicatif::ProgressBar::new(0);
    if let Ok(style) = indicatif::ProgressStyle::with_template("importing {bar:40} {pos}/{len} rows ({per_sec}, {eta})")
    {
        bar.set_style(style);
    }
    Some(bar)
}

fn print_report(r: &ImportReport, seconds: f64) {
    if r.rows_read > 0 {
        println!(
            "products: {} rows read in {seconds:.1} s: {} imported, {} updated, {} unchanged, {} rejected; {} without a price (price on request)",
            r.rows_read,
            r.imported,
            r.updated,
            r.unchanged,
            r.rejected.len(),
            r.without_price
        );
        print_rejections(&r.rejected);
    }
    if r.tiers_imported > 0 || !r.tiers_rejected.is_empty() {
        println!(
            "price tiers: {} imported, {} rejected",
            r.tiers_imported,
            r.tiers_rejected.len()
        );
        print_rejections(&r.tiers_rejected);
    }
}

fn print_rejections(rejected: &[Rejection]) {
    const SHOWN: usize = 20;
    for x in rejected.iter().take(SHOWN) {
        println!("  row {}: {} ({})", x.row, x.reason, x.sku.as_deref().unwrap_or("-"));
    }
    if rejected.len() > SHOWN {
        println!("  … and {} more (use --json for all)", rejected.len() - SHOWN);
    }
}

pub async fn search(settings: Settings, args: SearchArgs) -> anyhow::Result<()> {
    let app = super::app(settings).await?;
    let index = app.catalog_index().await?;
    let e = search::explain_all(&app.pool, &index, &[args.text.as_str()], &app.match_policy())
        .await?
        .pop()
        .context("no result")?;
    println!("tokens: {}", e.tokens.join(" "));
    if !e.expansions.is_empty() {
        println!("read as: {:?}", e.expansions);
    }
    let m = &e.line;
    println!("status: {}", m.status.as_str());
    println!(
        "confidence (score recall precision margin recall-margin conflicts unknown sizes-missed codes-missed)  sku  price  name"
    );
    for s in m.best.iter().chain(m.alternatives.iter()).take(args.limit) {
        let f = e.features.get(&s.product.sku).copied().unwrap_or_default();
        println!(
            "{:.3} ({:.2} {:.2} {:.2} {:+.2} {:+.2} {} {:.2} {} {})  {:<16} {}  {}",
            s.confidence,
            f.score,
            f.recall,
            f.precision,
            f.margin,
            f.recall_margin,
            f.conflicts,
            f.unknown_share,
            f.attributes_missed,
            f.codes_missed,
            s.product.sku,
            s.product.price.map(|p| p.to_string()).unwrap_or_else(|| "POR".into()),
            s.product.name
        );
    }
    Ok(())
}

#[derive(Debug, Args)]
pub struct CorrectArgs {
    /// The requested description, as buyers write it.
    #[arg(long)]
    pub description: String,
    /// The product it means.
    #[arg(long)]
    pub sku: String,
    /// Only for this customer (mail address or domain); without it, for everybody.
    #[arg(long, value_name = "EMAIL_OR_DOMAIN")]
    pub customer: Option<String>,
    /// Who makes the correction (for the audit log).
    #[arg(long, value_name = "IDENTITY", default_value = "cli")]
    pub by: String,
}

/// `horme catalog correct`: remembers which product a description means.
pub async fn correct(settings: Settings, args: CorrectArgs) -> anyhow::Result<()> {
    let app = super::app(settings).await?;
    let sku = crate::domain::Sku::parse(&args.sku)?;
    let mut tx = app.pool.begin().await?;
    let customer = match &args.customer {
        Some(raw) => {
            let key = crate::customers::CustomerKey::parse(raw)?;
            Some(crate::customers::find(&mut tx, &key).await?)
        }
        None => None,
    };
    crate::catalog::corrections::record(
        &mut tx,
        customer.as_ref().map(|c| c.id),
        &args.description,
        sku.as_str(),
        &crate::quotations::approval::normalize_identity(&args.by),
        "cli",
    )
    .await?;
    tx.commit().await.context("saving the correction")?;
    println!(
        "{:?} → {} for {}",
        normalize::normalize(&args.description),
        sku.as_str(),
        customer.map_or_else(|| "everybody".to_string(), |c| c.name)
    );
    Ok(())
}

/// `horme catalog corrections list`.
pub async fn corrections(settings: Settings) -> anyhow::Result<()> {
    let app = super::app(settings).await?;
    for c in crate::catalog::corrections::list(&app.pool).await? {
        println!(
            "{:<24} {:<16} {:<40} by {} via {} {}",
            c.customer.as_deref().unwrap_or("(everybody)"),
            c.sku,
            c.description_key,
            c.actor,
            c.channel,
            c.updated_at.format("%Y-%m-%d")
        );
    }
    Ok(())
}
