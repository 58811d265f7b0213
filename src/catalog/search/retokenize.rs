//! Keeps what PostgreSQL stores in the search normaliser's words current: the products'
//! `search_tokens` and the corrections' keys are made by `normalize`, so when a newer binary
//! reads sizes or units differently (its [`normalize::VERSION`] is higher than the one
//! recorded) they are made again, once, before an index is built from them.

use sqlx::PgPool;

use super::normalize;
use crate::catalog::store;

/// Rows re-tokenised per statement.
const BATCH: i64 = 5_000;

/// Re-tokenises the catalog and re-keys the corrections if they were made by an older
/// normaliser. Concurrent workers wait for the one doing it (the state row is locked).
#[tracing::instrument(skip_all)]
pub async fn ensure_current(pool: &PgPool) -> Result<(), sqlx::Error> {
    let current = i32::from(normalize::VERSION);
    let stored = sqlx::query_scalar!("select normaliser_version from search_state")
        .fetch_optional(pool)
        .await?;
    if stored.is_some_and(|v| v >= current) {
        return Ok(());
    }
    let started = std::time::Instant::now();
    let mut tx = pool.begin().await?;
    let locked = sqlx::query_scalar!("select normaliser_version from search_state for update")
        .fetch_optional(&mut *tx)
        .await?;
    if locked.is_some_and(|v| v >= current) {
        return Ok(());
    }
    let mut after = String::new();
    let mut products = 0usize;
    loop {
        let rows = sqlx::query!(
            "select sku, name from products where sku > $1 order by sku limit $2",
            after,
            BATCH
        )
        .fetch_all(&mut *tx)
        .await?;
        let Some(last) = rows.last() else { break };
        after = last.sku.clone();
        products += rows.len();
        let skus: Vec<String> = rows.iter().map(|r| r.sku.clone()).collect();
        let tokens: Vec<String> = rows
            .iter()
            .map(|r| store::format_text_array(&normalize::tokens(&r.name)))
            .collect();
        sqlx::query!(
            "update products p set search_tokens = t.tokens::text[]
             from unnest($1::text[], $2::text[]) as t(sku, tokens)
             where p.sku = t.sku and p.search_tokens is distinct from t.tokens::text[]",
            &skus,
            &tokens
        )
        .execute(&mut *tx)
        .await?;
    }
    let corrections = sqlx::query!("select id, description from match_corrections where description is not null")
        .fetch_all(&mut *tx)
        .await?;
    for c in &corrections {
        let key = normalize::normalize(c.description.as_deref().unwrap_or_default());
        if key.is_empty() {
            continue;
        }
        // A clash with a newer correction of the same key keeps the newer one.
        sqlx::query!(
            "update match_corrections m set description_key = $2 where id = $1
             and not exists (select 1 from match_corrections o
                             where o.id <> m.id and coalesce(o.customer_id, 0) = coalesce(m.customer_id, 0)
                               and o.description_key = $2)",
            c.id,
            key
        )
        .execute(&mut *tx)
        .await?;
    }
    sqlx::query!("update search_state set normaliser_version = $1", current)
        .execute(&mut *tx)
        .await?;
    store::announce_change(&mut tx).await?;
    tx.commit().await?;
    tracing::info!(
        products,
        corrections = corrections.len(),
        version = current,
        ms = started.elapsed().as_millis() as u64,
        "search tokens made again by the current normaliser"
    );
    Ok(())
}
