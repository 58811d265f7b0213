//! `horme bench-match LINES`: match latency per requested line against the catalog in the
//! database (any size: the corpus catalog, or a generated million products). Reports the
//! index build time, then p50/p95/p99 per line of the whole match (index search, scoring, and
//! reading the chosen products from PostgreSQL) and of the index search alone.

use std::path::PathBuf;
use std::time::Instant;

use anyhow::Context;
use clap::Args;

use crate::catalog::search;
use crate::config::Settings;

#[derive(Debug, Args)]
pub struct BenchMatchArgs {
    /// A text file with one requested description per line.
    pub lines: PathBuf,
    /// Passes over all lines (the first one also warms up caches and is not counted).
    #[arg(long, default_value_t = 4)]
    pub runs: usize,
}

pub async fn run(settings: Settings, args: BenchMatchArgs) -> anyhow::Result<()> {
    let app = super::app(settings).await?;
    let text = std::fs::read_to_string(&args.lines).with_context(|| format!("reading {}", args.lines.display()))?;
    let lines: Vec<&str> = text.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
    anyhow::ensure!(!lines.is_empty(), "{} has no lines", args.lines.display());
    let clock = Instant::now();
    let index = app.catalog_index().await?;
    let build = clock.elapsed();
    println!(
        "index: {} products, {} terms, built in {:.2} s",
        index.products(),
        index.vocabulary().len(),
        build.as_secs_f64()
    );
    let policy = app.match_policy();
    let (mut whole, mut rank, mut spelling) = (Vec::new(), Vec::new(), Vec::new());
    let mut statuses = std::collections::BTreeMap::<&str, usize>::new();
    for run in 0..args.runs.max(2) {
        for l in &lines {
            let clock = Instant::now();
            let q = index.query_tokens(l);
            let e = index.expansions(&q);
            let x = clock.elapsed().as_secs_f64() * 1000.0;
            let _ = index.rank(&q, &e, search::CANDIDATES);
            let r = clock.elapsed().as_secs_f64() * 1000.0;
            let clock = Instant::now();
            let m = search::match_description(&app.pool, &index, l, &policy).await?;
            let w = clock.elapsed().as_secs_f64() * 1000.0;
            if run > 0 {
                rank.push(r);
                whole.push(w);
                spelling.push(x);
            } else {
                *statuses.entry(m.status.as_str()).or_default() += 1;
            }
        }
    }
    println!(
        "{} lines × {} runs (first run not counted); statuses: {statuses:?}",
        lines.len(),
        args.runs.max(2) - 1
    );
    for (name, mut v) in [
        ("match per line", whole),
        ("index search", rank),
        ("of it spelling", spelling),
    ] {
        v.sort_by(f64::total_cmp);
        println!(
            "  {name:<15} p50 {:>7.3} ms  p95 {:>7.3} ms  p99 {:>7.3} ms  max {:>7.3} ms",
            pct(&v, 50.0),
            pct(&v, 95.0),
            pct(&v, 99.0),
            v.last().copied().unwrap_or(0.0)
        );
    }
    Ok(())
}

fn pct(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    sorted[(((p / 100.0) * (sorted.len() - 1) as f64).round() as usize).min(sorted.len() - 1)]
}
