//! Candidate search in PostgreSQL: weighted full-text search over the normalised tokens, with
//! misspelt or unknown request words mapped onto catalog terms by trigram similarity.
//! Scoring the candidates is the matcher's job (`pipeline::matching`).

use std::collections::HashMap;

use sqlx::PgPool;

use super::Product;
use super::vocabulary::Vocabulary;

/// The most informative query terms that go into the full-text query.
const MAX_TERMS: usize = 10;

/// Candidates for one request, and how unknown words were read.
#[derive(Debug, Default)]
pub struct Candidates {
    pub products: Vec<Product>,
    /// Unknown request word → catalog terms it probably means ("ginder" → "grinder").
    pub expansions: HashMap<String, Vec<String>>,
}

#[tracing::instrument(skip_all, fields(terms = query.len()))]
pub async fn candidates(
    pool: &PgPool,
    query: &[String],
    vocab: &Vocabulary,
    limit: i64,
) -> Result<Candidates, sqlx::Error> {
    let mut unknown: Vec<String> = query
        .iter()
        .filter(|t| !vocab.contains(t) && t.chars().count() >= 4)
        .cloned()
        .collect();
    unknown.dedup();
    let mut expansions: HashMap<String, Vec<String>> = HashMap::new();
    if !unknown.is_empty() {
        let rows = sqlx::query!(
            r#"
            select q as "q!", s.term as "term!"
            from unnest($1::text[]) as q,
                 lateral (select term from search_terms
                          where term % q
                          order by similarity(term, q) desc, term
                          limit 3) s
            "#,
            &unknown
        )
        .fetch_all(pool)
        .await?;
        for r in rows {
            expansions.entry(r.q).or_default().push(r.term);
        }
    }
    let mut terms: Vec<&str> = query
        .iter()
        .map(String::as_str)
        .filter(|t| vocab.contains(t))
        .chain(expansions.values().flatten().map(String::as_str))
        .collect();
    terms.sort_by(|a, b| vocab.idf(b).total_cmp(&vocab.idf(a)).then(a.cmp(b)));
    terms.dedup();
    terms.truncate(MAX_TERMS);
    if terms.is_empty() {
        return Ok(Candidates {
            products: Vec::new(),
            expansions,
        });
    }
    let tsquery = terms
        .iter()
        .map(|t| format!("'{}'", t.replace('\\', "\\\\").replace('\'', "''")))
        .collect::<Vec<_>>()
        .join(" | ");
    let products = sqlx::query!(
        r#"
        select sku, name, brand, category, unit, price, currency, stock, lead_time_days,
               search_tokens
        from products, cast($1::text as tsquery) q
        where active and search_vector @@ q
        order by ts_rank(search_vector, q) desc, sku
        limit $2
        "#,
        tsquery,
        limit
    )
    .fetch_all(pool)
    .await?
    .into_iter()
    .map(|r| Product {
        sku: r.sku,
        name: r.name,
        brand: r.brand,
        category: r.category,
        unit: r.unit,
        price: r.price,
        currency: r.currency,
        stock: r.stock,
        lead_time_days: r.lead_time_days,
        tokens: r.search_tokens,
    })
    .collect();
    Ok(Candidates { products, expansions })
}

/// Candidates for one requested description, scored and classified.
pub async fn match_description(
    pool: &PgPool,
    vocab: &Vocabulary,
    description: &str,
    policy: &crate::pipeline::matching::MatchPolicy,
) -> Result<crate::pipeline::matching::LineMatch, sqlx::Error> {
    let query = crate::pipeline::normalize::tokens(description);
    let c = candidates(pool, &query, vocab, CANDIDATES).await?;
    Ok(crate::pipeline::matching::classify(
        &query,
        c.products,
        &c.expansions,
        vocab,
        policy,
    ))
}

/// How many candidates the full-text query hands to the scorer.
pub const CANDIDATES: i64 = 150;

/// Products by SKU (inactive ones included: a quotation may refer to them).
pub async fn products(pool: &PgPool, skus: &[String]) -> Result<HashMap<String, Product>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"select sku, name, brand, category, unit, price, currency, stock, lead_time_days, search_tokens
           from products where sku = any($1)"#,
        skus
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            (
                r.sku.clone(),
                Product {
                    sku: r.sku,
                    name: r.name,
                    brand: r.brand,
                    category: r.category,
                    unit: r.unit,
                    price: r.price,
                    currency: r.currency,
                    stock: r.stock,
                    lead_time_days: r.lead_time_days,
                    tokens: r.search_tokens,
                },
            )
        })
        .collect())
}
