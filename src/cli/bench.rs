//! `horme bench DIR`: the one-shot pipeline (read → extract → match → price → render) over a
//! directory of RFPs, timed per step, through the same functions the jobs run (so the
//! configured extractor, remembered corrections and customer prices count). Nothing is written
//! to the database. Reports, over the documents, the median and p95 of each document's median
//! time across runs.

use std::path::PathBuf;
use std::time::Instant;

use anyhow::Context;
use clap::Args;

use channels::InboundMessage;

use crate::config::Settings;
use crate::customers;
use crate::jobs::{extract, match_lines, price};
use crate::mail::staff::Staff;
use crate::pipeline::quotation::Quotation;
use crate::pipeline::sources::Content;
use crate::quotations::document;
use crate::startup::App;

#[derive(Debug, Args)]
pub struct BenchArgs {
    /// Directory of RFP files.
    pub dir: PathBuf,
    /// Runs per document.
    #[arg(long, default_value_t = 5)]
    pub runs: usize,
    /// Time document understanding only (read, rules extractor, customer block): no
    /// database; medians per format.
    #[arg(long)]
    pub extract_only: bool,
    /// With --extract-only: also generate and time a PDF of this many pages (ten item rows each).
    #[arg(long, value_name = "PAGES", requires = "extract_only")]
    pub synthetic_pages: Option<usize>,
}

const STEPS: [&str; 5] = ["read", "extract", "match", "price", "render"];

pub async fn run(settings: Settings, args: BenchArgs) -> anyhow::Result<()> {
    if args.extract_only {
        return tokio::task::spawn_blocking(move || super::bench_extract::run(&settings, &args)).await?;
    }
    let app = super::app(settings).await?;
    let mut files: Vec<PathBuf> = std::fs::read_dir(&args.dir)
        .with_context(|| format!("reading {}", args.dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    let staff = Staff::load(&app).await?;
    // per document: per run: per step milliseconds
    let mut per_doc: Vec<(String, usize, Vec<[f64; 5]>)> = Vec::new();
    for path in &files {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("?").to_string();
        let msg = match super::quote::message_from_file(path, None, &staff) {
            Ok(m) => m,
            Err(e) => {
                eprintln!("skipping {name}: {e:#}");
                continue;
            }
        };
        let mut runs = Vec::with_capacity(args.runs);
        let mut lines = 0;
        for _ in 0..args.runs.max(1) {
            match quote_in_memory(&app, &name, &msg).await {
                Ok((q, t)) => {
                    lines = q.lines.len();
                    runs.push(t);
                }
                Err(e) => {
                    eprintln!("skipping {name}: {e:#}");
                    break;
                }
            }
        }
        if !runs.is_empty() {
            per_doc.push((name, lines, runs));
        }
    }
    report(&per_doc, args.runs);
    Ok(())
}

/// One message through the functions the pipeline's jobs run (`jobs::extract`,
/// `jobs::match_lines`, `jobs::price`, the quotation document), with the customer's prices
/// and remembered corrections, but without storing anything: the quotation `horme quote`
/// would make (number and dates aside) and the milliseconds of each step.
pub async fn quote_in_memory(app: &App, source: &str, msg: &InboundMessage) -> anyhow::Result<(Quotation, [f64; 5])> {
    let mut t = [0.0; 5];
    let clock = Instant::now();
    let content = Content::of_message(msg);
    let read = extract::read_documents(app, content).await?;
    t[0] = ms(clock);
    let clock = Instant::now();
    let hint = extract::sender_hint(
        app,
        Some(msg.sender.address.clone()),
        msg.sender.display_name.clone(),
        msg.subject.clone(),
        msg.forwarded_by.as_ref().map(|f| f.address.clone()),
    );
    let understood = extract::understand(app, &read, &hint).await?;
    let items = understood.extraction.items.map_err(|e| anyhow::anyhow!("{e}"))?;
    let info = understood.info;
    t[1] = ms(clock);
    let clock = Instant::now();
    let mut customer = None;
    let finding = async {
        customer =
            customers::for_addresses(&app.pool, &[info.email.as_deref(), Some(msg.sender.address.as_str())]).await?;
        Ok(customer.as_ref().map(|c| c.id))
    };
    let descriptions: Vec<&str> = items.iter().map(|i| i.description.as_str()).collect();
    let matches = match_lines::match_descriptions(app, finding, &descriptions).await?;
    let matched: Vec<_> = items.into_iter().zip(matches).collect();
    t[2] = ms(clock);
    let clock = Instant::now();
    let mut q = price::price_draft(app, source, info, customer.as_ref(), matched).await?;
    q.documents = read.attachments;
    t[3] = ms(clock);
    let clock = Instant::now();
    document::render_pdf(app.settings.clone(), q.clone()).await?;
    t[4] = ms(clock);
    Ok((q, t))
}

fn ms(since: Instant) -> f64 {
    since.elapsed().as_secs_f64() * 1000.0
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let idx = ((p / 100.0) * (sorted.len() - 1) as f64).round() as usize;
    sorted[idx.min(sorted.len() - 1)]
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    percentile(&v, 50.0)
}

fn report(per_doc: &[(String, usize, Vec<[f64; 5]>)], runs: usize) {
    println!(
        "{:<24} {:>5} {:>8} {:>8} {:>8} {:>8} {:>8} {:>8}",
        "document", "lines", STEPS[0], STEPS[1], STEPS[2], STEPS[3], STEPS[4], "total"
    );
    let mut totals = Vec::new();
    let mut steps: [Vec<f64>; 5] = Default::default();
    for (name, lines, doc_runs) in per_doc {
        let step_medians: Vec<f64> = (0..5)
            .map(|s| median(doc_runs.iter().map(|r| r[s]).collect()))
            .collect();
        let total = median(doc_runs.iter().map(|r| r.iter().sum()).collect());
        println!(
            "{:<24} {:>5} {:>8.2} {:>8.2} {:>8.2} {:>8.2} {:>8.2} {:>8.2}",
            name, lines, step_medians[0], step_medians[1], step_medians[2], step_medians[3], step_medians[4], total
        );
        for (s, m) in step_medians.into_iter().enumerate() {
            steps[s].push(m);
        }
        totals.push(total);
    }
    totals.sort_by(f64::total_cmp);
    println!();
    println!(
        "{} documents, {runs} runs each (median of runs per document), milliseconds:",
        per_doc.len()
    );
    for (s, v) in steps.iter_mut().enumerate() {
        v.sort_by(f64::total_cmp);
        println!(
            "  {:<8} median {:>8.2}  p95 {:>8.2}",
            STEPS[s],
            percentile(v, 50.0),
            percentile(v, 95.0)
        );
    }
    println!(
        "  {:<8} median {:>8.2}  p95 {:>8.2}",
        "total",
        percentile(&totals, 50.0),
        percentile(&totals, 95.0)
    );
}
