//! `horme calibrate [--pairs N] [--seed S]`: fits the calibrated match confidence to the
//! catalog in the database and measures it. Generates labelled requests from sampled
//! products (`catalog::search::pairs`), matches each through the index as the matcher does,
//! fits the logistic regression on the requests made from one half of the products and
//! measures it on the other half: the coefficients (to paste into
//! `catalog/search/calibration.rs`), the reliability table, `matched` at candidate review
//! thresholds, the lowest threshold that keeps precision at the target, and what the
//! unmatched threshold costs.

use std::collections::{BTreeMap, HashSet};

use anyhow::Context;
use clap::Args;

use crate::catalog::search::calibration::{self, DIM, NAMES};
use crate::catalog::search::pairs::rng::{Rng, mix};
use crate::catalog::search::pairs::{self, Kind, Source};
use crate::catalog::search::reliability::{self, Sample};
use crate::catalog::search::{self, index::CatalogIndex, logistic};
use crate::config::Settings;

/// The penalty that keeps coefficients finite when a feature separates the labels.
const RIDGE: f64 = 1e-3;
/// The review threshold on the raw score before calibration, for comparison.
const RAW_THRESHOLD: f64 = 0.6;
/// Review thresholds shown besides the chosen one.
const SHOWN: &[f64] = &[0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95, 0.97, 0.99];
/// Unmatched thresholds (on the score) shown.
const UNMATCHED: &[f64] = &[0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5];

#[derive(Debug, Args)]
pub struct CalibrateArgs {
    /// Labelled requests to generate.
    #[arg(long, default_value_t = 30_000)]
    pub pairs: usize,
    /// Seed of the generator: the same seed and catalog give the same requests.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Precision that `matched` must keep on the held-out requests.
    #[arg(long, default_value_t = 0.99)]
    pub precision: f64,
    /// Print this many generated requests of each kind with the best product found.
    #[arg(long, default_value_t = 0)]
    pub examples: usize,
}

pub async fn run(settings: Settings, args: CalibrateArgs) -> anyhow::Result<()> {
    let app = super::app(settings).await?;
    let policy = app.match_policy();
    let index = app.catalog_index().await?;
    anyhow::ensure!(index.products() > 1, "the catalog is empty: import products first");
    let mut rng = Rng::new(args.seed);
    let sources = sample_sources(&app.pool, &index, args.pairs, &mut rng).await?;
    let pairs = pairs::generate(&index, &sources, args.pairs, &mut rng);
    print_examples(&index, &pairs, args.examples);
    let (index2, pairs) = (index.clone(), std::sync::Arc::new(pairs));
    let pairs2 = pairs.clone();
    let samples = tokio::task::spawn_blocking(move || label(&index2, &pairs2))
        .await
        .context("matching the generated requests")?;
    let (train, test): (Vec<_>, Vec<_>) = samples
        .into_iter()
        .partition(|(i, _)| mix(u64::from(pairs[*i].source) ^ args.seed) & 1 == 0);
    let train: Vec<Sample> = train.into_iter().map(|(_, s)| s).collect();
    let (held_out, test): (Vec<usize>, Vec<Sample>) = test.into_iter().unzip();
    let x: Vec<[f64; DIM]> = train.iter().map(|s| s.features.vector()).collect();
    let y: Vec<bool> = train.iter().map(|s| s.right).collect();
    let w = logistic::fit_signed(&x, &y, RIDGE, &calibration::SIGNS);

    println!(
        "catalog: {} products; {} labelled requests from {} sampled products (seed {}): {} to fit, {} held out",
        index.products(),
        train.len() + test.len(),
        sources.len(),
        args.seed,
        train.len(),
        test.len()
    );
    print_kinds(&test);
    println!("\npub const COEFFICIENTS: [f64; DIM] = [");
    for (name, c) in NAMES.iter().zip(w) {
        println!("    {c:.4}, // {name}");
    }
    println!("];");
    println!("\nreliability on the held-out requests (best product per request):");
    println!("  confidence   requests   mean conf   share right");
    for b in reliability::table(&test, &w) {
        println!(
            "  {:.1}–{:.1}   {:>9}   {:>9.3}   {:>11.3}",
            b.from,
            b.to,
            b.count,
            b.mean_confidence(),
            b.share_right()
        );
    }
    let chosen = reliability::threshold_for(&test, &w, args.precision, policy.unmatched_threshold);
    println!(
        "\n`matched` at review thresholds (unmatched below score {}, near-ties to review):",
        policy.unmatched_threshold
    );
    println!("  threshold   quoted   precision   recall   silently wrong");
    let mut thresholds: Vec<f64> = SHOWN.to_vec();
    thresholds.extend(chosen);
    thresholds.push(policy.review_threshold);
    thresholds.sort_by(f64::total_cmp);
    thresholds.dedup();
    for t in thresholds {
        let op = reliability::at(&test, &w, t, policy.unmatched_threshold);
        println!(
            "  {t:>9.2}   {:>6}   {:>9.4}   {:>6.3}   {:>13.4}{}",
            op.quoted,
            op.precision(),
            op.recall(),
            op.silently_wrong(),
            if Some(t) == chosen {
                "   ← lowest with the target precision"
            } else {
                ""
            }
        );
    }
    if args.examples > 0 {
        println!("\nheld-out requests quoted wrong at the chosen threshold:");
        let t = chosen.unwrap_or(1.0);
        for (i, smp) in held_out.iter().zip(&test) {
            let c = calibration::probability(&w, &smp.features);
            if !smp.right && c >= t && smp.features.margin >= crate::pipeline::matching::TIE_MARGIN {
                println!(
                    "  {:.3} {:?} {:?} {:?}",
                    c, pairs[*i].kind, pairs[*i].request, smp.features
                );
            }
        }
    }
    match chosen {
        Some(t) => println!("\nreview threshold for precision ≥ {}: {t:.2}", args.precision),
        None => println!("\nno threshold reaches precision {}", args.precision),
    }
    println!("\nshare with nothing offered at unmatched thresholds (on the score):");
    println!("  threshold   buyer   ambiguous   other size   foreign");
    for u in UNMATCHED {
        println!(
            "  {u:>9.2}   {:>5.3}   {:>9.3}   {:>10.3}   {:>7.3}",
            reliability::below_score(&test, Kind::Buyer, *u),
            reliability::below_score(&test, Kind::Ambiguous, *u),
            reliability::below_score(&test, Kind::OtherSize, *u),
            reliability::below_score(&test, Kind::Foreign, *u)
        );
    }
    let compiled = reliability::at(
        &test,
        &calibration::COEFFICIENTS,
        policy.review_threshold,
        policy.unmatched_threshold,
    );
    let raw = reliability::at_with(&test, |f| f.score, RAW_THRESHOLD, policy.unmatched_threshold);
    println!(
        "\ncompiled-in coefficients at the configured review threshold {}: precision {:.4}, recall {:.3}, silently wrong {:.4}",
        policy.review_threshold,
        compiled.precision(),
        compiled.recall(),
        compiled.silently_wrong()
    );
    println!(
        "uncalibrated (the raw score as confidence, review below {RAW_THRESHOLD}): precision {:.4}, recall {:.3}, silently wrong {:.4}",
        raw.precision(),
        raw.recall(),
        raw.silently_wrong()
    );
    Ok(())
}

/// Up to `n` distinct products, drawn at random, with their names.
async fn sample_sources(
    pool: &sqlx::PgPool,
    index: &CatalogIndex,
    n: usize,
    rng: &mut Rng,
) -> anyhow::Result<Vec<Source>> {
    let skus: Vec<(u32, &str)> = index.skus().collect();
    let mut picked: HashSet<u32> = HashSet::new();
    let want = n.min(skus.len());
    let mut chosen: Vec<(u32, String)> = Vec::with_capacity(want);
    while chosen.len() < want {
        let (doc, sku) = skus[rng.below(skus.len())];
        if picked.insert(doc) {
            chosen.push((doc, sku.to_string()));
        }
    }
    let mut sources = Vec::with_capacity(chosen.len());
    for chunk in chosen.chunks(10_000) {
        let skus: Vec<String> = chunk.iter().map(|(_, s)| s.clone()).collect();
        let found = search::products(pool, &skus)
            .await
            .context("reading sampled products")?;
        sources.extend(chunk.iter().filter_map(|(doc, sku)| {
            let p = found.get(sku)?;
            Some(Source {
                doc: *doc,
                name: p.name.clone(),
                brand: p.brand.clone(),
            })
        }));
    }
    Ok(sources)
}

/// Each request matched through the index: its source product and its best product's
/// features and label (requests with no candidate at all have nothing to calibrate).
fn label(index: &CatalogIndex, pairs: &[pairs::Pair]) -> Vec<(usize, Sample)> {
    pairs
        .iter()
        .enumerate()
        .filter_map(|(i, p)| {
            let q = index.query_tokens(&p.request);
            let e = index.expansions(&q);
            let top = index.rank(&q, &e, search::CANDIDATES).into_iter().next()?;
            Some((
                i,
                Sample {
                    kind: p.kind,
                    features: top.features,
                    right: p.answered_by(index, top.doc),
                },
            ))
        })
        .collect()
}

fn print_kinds(samples: &[Sample]) {
    let mut kinds: BTreeMap<Kind, (usize, usize)> = BTreeMap::new();
    for s in samples {
        let e = kinds.entry(s.kind).or_default();
        e.0 += 1;
        e.1 += usize::from(s.right);
    }
    for (k, (n, right)) in kinds {
        println!("  held out {k:?}: {n} requests, best product right for {right}");
    }
}

fn print_examples(index: &CatalogIndex, pairs: &[pairs::Pair], per_kind: usize) {
    let mut shown: BTreeMap<Kind, usize> = BTreeMap::new();
    for p in pairs {
        let n = shown.entry(p.kind).or_default();
        if *n >= per_kind {
            continue;
        }
        *n += 1;
        let q = index.query_tokens(&p.request);
        let e = index.expansions(&q);
        let top = index.rank(&q, &e, search::CANDIDATES).into_iter().next();
        let source: Vec<&str> = index.terms(p.source).collect();
        match top {
            Some(t) => println!(
                "{:?} {:?} [{}] → {} {:.3}/{:.3} {}",
                p.kind,
                p.request,
                source.join(" "),
                t.sku,
                t.score,
                t.confidence,
                if p.answered_by(index, t.doc) { "right" } else { "wrong" }
            ),
            None => println!("{:?} {:?} [{}] → nothing", p.kind, p.request, source.join(" ")),
        }
    }
}
