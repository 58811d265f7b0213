//! Matching one requested description: candidates and scores from the in-process catalog
//! index (`catalog::search::index`), then the few products the line ends up with read from
//! PostgreSQL, so that prices, stock and lead times are always current. Deciding the line's
//! status is the matcher's job (`pipeline::matching`).

pub mod abbreviations;
pub mod bilingual;
pub mod brands;
pub mod calibration;
pub mod compounds;
pub mod focus;
pub mod head;
pub mod host;
pub mod index;
pub mod instructions;
pub mod logistic;
pub mod normalize;
pub mod pairs;
pub mod reliability;
pub mod retokenize;
pub mod scoring;
pub mod specs;
pub mod trigrams;
pub mod units;
pub mod vocabulary;

use std::collections::HashMap;

use sqlx::PgPool;

use self::index::CatalogIndex;
use crate::catalog::Product;
use crate::pipeline::matching::{self, Candidate, LineMatch, MatchPolicy};

/// How many products the index scores exactly per line.
pub const CANDIDATES: usize = 60;
/// Scored products read beyond the best and its alternatives, for the near-tie check.
const TIE_WINDOW: usize = 8;
/// Products read beyond the best and its alternatives, in case some were deactivated since
/// the index was built (the index holds active products only, so this is rare).
const INACTIVE_SLACK: usize = 2;

/// The match for one requested description, with what the scorer saw (for `catalog search`).
#[derive(Debug)]
pub struct Explained {
    pub tokens: Vec<String>,
    pub expansions: HashMap<String, Vec<String>>,
    /// What the confidence of each ranked product was computed from, by SKU.
    pub features: HashMap<String, calibration::Features>,
    pub line: LineMatch,
}

/// Candidates for one requested description, scored and classified.
pub async fn match_description(
    pool: &PgPool,
    index: &CatalogIndex,
    description: &str,
    policy: &MatchPolicy,
) -> Result<LineMatch, sqlx::Error> {
    Ok(explain_all(pool, index, &[description], policy)
        .await?
        .pop()
        .map(|e| e.line)
        .unwrap_or_else(|| matching::decide(Vec::new(), policy)))
}

/// Every line of a request searched in the index, then the products they can show read from
/// PostgreSQL in one query; with what the scorer saw (`catalog search`). The match step runs
/// the same parts with its waits overlapped (`jobs::match_lines`).
#[tracing::instrument(skip_all, fields(lines = descriptions.len()))]
pub async fn explain_all(
    pool: &PgPool,
    index: &CatalogIndex,
    descriptions: &[&str],
    policy: &MatchPolicy,
) -> Result<Vec<Explained>, sqlx::Error> {
    let searched = search_lines(index, descriptions, policy);
    let found = products(pool, &shown_skus(&searched, policy)).await?;
    Ok(explain_searched(searched, &found, policy))
}

/// The products searched lines can show (best and alternatives, with some slack): the only
/// ones read from the database, the rest of the ranking counts through its features
/// (margins, ties) alone.
pub fn shown_skus(searched: &[Searched], policy: &MatchPolicy) -> Vec<String> {
    let shown = 1 + policy.max_alternatives + INACTIVE_SLACK;
    let mut skus: Vec<String> = searched
        .iter()
        .flat_map(|(_, _, r)| r.iter().take(shown).map(|r| r.sku.clone()))
        .collect();
    skus.sort_unstable();
    skus.dedup();
    skus
}

/// Searched lines decided with the products read for them (`found`, by SKU). A product
/// deactivated since the index was built is no longer offered.
pub fn explain_searched(
    searched: Vec<Searched>,
    found: &HashMap<String, Product>,
    policy: &MatchPolicy,
) -> Vec<Explained> {
    searched
        .into_iter()
        .map(|(tokens, expansions, ranked)| {
            let features = ranked.iter().map(|r| (r.sku.clone(), r.features)).collect();
            let candidates: Vec<Candidate> = ranked
                .into_iter()
                .filter_map(|r| {
                    let product = found.get(&r.sku).filter(|p| p.active)?.clone();
                    Some(Candidate {
                        product,
                        score: r.score,
                        margin: r.features.margin,
                        confidence: r.confidence,
                    })
                })
                .collect();
            Explained {
                tokens,
                expansions,
                features,
                line: matching::decide(candidates, policy),
            }
        })
        .collect()
}

/// One searched line: its tokens, their expansions and the ranked products.
pub type Searched = (Vec<String>, HashMap<String, Vec<String>>, Vec<index::Ranked>);

/// Lines of one request ranked in the index, spread over the machine's cores when there are
/// enough of them to pay for a thread (scoring is pure CPU work on a shared, read-only index).
pub fn search_lines(index: &CatalogIndex, descriptions: &[&str], policy: &MatchPolicy) -> Vec<Searched> {
    let keep = 1 + policy.max_alternatives + TIE_WINDOW;
    let one = |d: &&str| -> Searched {
        let d = specs::identity(d);
        let d = instructions::without_instructions(&d);
        let d = bilingual::without_foreign_half(d, index);
        let d = d.as_ref();
        let tokens = focus::focused(index.query_tokens(d));
        let mut expansions = index.expansions(&tokens);
        for (cut, words) in abbreviations::expansions(d, &tokens, index.vocabulary()) {
            expansions.entry(cut).or_default().extend(words);
        }
        let host = host::of(d, index);
        let mut ranked = index.rank_for(&tokens, host.as_ref(), &expansions, CANDIDATES);
        // nothing worth offering for the whole line: what its name alone finds, for a person
        if ranked.first().is_none_or(|r| r.score < policy.unmatched_threshold)
            && let Some(name) = head::of(d)
        {
            let name_tokens = focus::focused(index.query_tokens(name));
            let mut by_name = index.rank_for(&name_tokens, None, &index.expansions(&name_tokens), CANDIDATES);
            if by_name.first().is_some_and(|r| r.score >= policy.unmatched_threshold) {
                for r in &mut by_name {
                    r.confidence = 0.0;
                }
                ranked = by_name;
            }
        }
        ranked.truncate(keep);
        (tokens, expansions, ranked)
    };
    let threads = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .min(descriptions.len() / LINES_PER_THREAD)
        .max(1);
    if threads == 1 {
        return descriptions.iter().map(one).collect();
    }
    let chunk = descriptions.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let parts: Vec<_> = descriptions
            .chunks(chunk)
            .map(|part| scope.spawn(move || part.iter().map(one).collect::<Vec<_>>()))
            .collect();
        parts
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
            .collect()
    })
}

/// Lines a thread must have to be worth starting. A line ranks in 0.1-0.2 ms, but a thread
/// started per request costs its start and cold caches (the regular expressions' lazy DFAs):
/// on the corpus (`horme bench`, 2 cores) 4 lines per thread gave a median of 5.6-6.0 ms per
/// document, 16 lines 5.1-5.5 ms, and one thread for all 5.2-5.5 ms with a worse p95.
const LINES_PER_THREAD: usize = 16;

/// A product as stored (the columns [`Product`] needs).
#[derive(sqlx::FromRow)]
pub(crate) struct ProductRow {
    sku: String,
    name: String,
    brand: Option<String>,
    category: Option<String>,
    unit: String,
    price: Option<rust_decimal::Decimal>,
    currency: String,
    stock: Option<i32>,
    lead_time_days: Option<i32>,
    search_tokens: Vec<String>,
    active: bool,
}

impl ProductRow {
    pub(crate) fn into_product(self) -> Product {
        Product {
            sku: self.sku,
            name: self.name,
            brand: self.brand,
            category: self.category,
            unit: self.unit,
            price: self.price,
            currency: self.currency,
            stock: self.stock,
            lead_time_days: self.lead_time_days,
            tokens: self.search_tokens,
            active: self.active,
        }
    }
}

/// Products by SKU (inactive ones included: a quotation may refer to them).
pub async fn products(pool: &PgPool, skus: &[String]) -> Result<HashMap<String, Product>, sqlx::Error> {
    let rows: Vec<ProductRow> = sqlx::query_as(
        "select sku, name, brand, category, unit, price, currency, stock, lead_time_days,
                search_tokens, active
           from products where sku = any($1)",
    )
    .bind(skus)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let p = r.into_product();
            (p.sku.clone(), p)
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::synonyms::Synonyms;

    #[test]
    fn a_line_whose_specification_outweighs_its_name_is_offered_what_the_name_finds() {
        let names = [
            ("F1", "FACE SHIELD FCM8"),
            ("F2", "SPLASH PROTECTION FULL FACE SAFETY FACE SHIELD ANTI FOG"),
            ("G1", "NITRILE GLOVE SIZE L"),
        ];
        let index = CatalogIndex::build_with_brands(
            names.iter().map(|(s, n)| (s.to_string(), normalize::tokens(n), None)),
            Synonyms::default(),
            1,
        );
        let policy = MatchPolicy {
            review_threshold: 0.84,
            unmatched_threshold: 0.35,
            max_alternatives: 3,
        };
        let line = "face shields (polycarbonate visor, ratchet headgear, EN166 marked, chin guard, replaceable)";
        let searched = search_lines(&index, &[line], &policy);
        let ranked = &searched[0].2;
        assert!(ranked.first().is_some_and(|r| r.sku.starts_with('F')), "{ranked:?}");
        // offered to a person, never quoted
        assert!(ranked.iter().all(|r| r.confidence == 0.0), "{ranked:?}");
    }
}
