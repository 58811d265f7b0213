//! Writing the catalog: batched upserts by SKU, then a new catalog version and a
//! `NOTIFY horme_catalog` so that running workers rebuild their search index.

use rust_decimal::Decimal;
use serde::Serialize;
use sqlx::PgPool;

use super::import::{ImportError, ProductRow, Rejection, TierRow};
use crate::catalog::search::normalize;

/// The channel on which catalog changes are announced.
pub const CATALOG_CHANNEL: &str = "horme_catalog";

const BATCH: usize = 2_000;

/// What an import did.
#[derive(Debug, Default, Serialize)]
pub struct ImportReport {
    pub rows_read: usize,
    pub imported: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub without_price: usize,
    pub rejected: Vec<Rejection>,
    pub tiers_imported: usize,
    pub tiers_rejected: Vec<Rejection>,
}

/// Upserts products by SKU in batches; `progress` is called with (done, total).
#[tracing::instrument(skip_all, fields(rows = rows.len()))]
pub async fn upsert_products(
    pool: &PgPool,
    rows: &[ProductRow],
    default_currency: &str,
    mut progress: impl FnMut(usize, usize),
) -> Result<(usize, usize), ImportError> {
    let (mut inserted, mut updated) = (0usize, 0usize);
    for (n, chunk) in rows.chunks(BATCH).enumerate() {
        let mut b = Batch::default();
        for r in chunk {
            let tokens = normalize::tokens(&r.name);
            b.tokens.push(format_text_array(&tokens));
            b.sku.push(r.sku.as_str().to_string());
            b.name.push(r.name.clone());
            b.brand.push(r.brand.clone());
            b.category.push(r.category.clone());
            b.description.push(r.description.clone());
            b.unit.push(r.unit.clone().unwrap_or_else(|| "pc".into()));
            b.price.push(r.price);
            b.currency
                .push(r.currency.clone().unwrap_or_else(|| default_currency.to_string()));
            b.stock.push(r.stock);
            b.lead.push(r.lead_time_days);
        }
        let results = sqlx::query_scalar!(
            r#"
            insert into products (sku, name, brand, category, description, unit, price, currency,
                                  stock, lead_time_days, search_tokens)
            select sku, name, brand, category, description, unit, price, currency, stock, lead,
                   tokens::text[]
            from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[],
                        $7::numeric[], $8::text[], $9::int4[], $10::int4[], $11::text[])
                 as t(sku, name, brand, category, description, unit, price, currency, stock, lead,
                      tokens)
            on conflict (sku) do update set
                name = excluded.name, brand = excluded.brand, category = excluded.category,
                description = excluded.description, unit = excluded.unit, price = excluded.price,
                currency = excluded.currency, stock = excluded.stock,
                lead_time_days = excluded.lead_time_days, search_tokens = excluded.search_tokens,
                active = true
            where (products.name, products.brand, products.category, products.description,
                   products.unit, products.price, products.currency, products.stock,
                   products.lead_time_days, products.active)
                  is distinct from
                  (excluded.name, excluded.brand, excluded.category, excluded.description,
                   excluded.unit, excluded.price, excluded.currency, excluded.stock,
                   excluded.lead_time_days, true)
            returning (xmax = 0) as "inserted!"
            "#,
            &b.sku,
            &b.name,
            &b.brand as &[Option<String>],
            &b.category as &[Option<String>],
            &b.description as &[Option<String>],
            &b.unit,
            &b.price as &[Option<Decimal>],
            &b.currency,
            &b.stock as &[Option<i32>],
            &b.lead as &[Option<i32>],
            &b.tokens,
        )
        .fetch_all(pool)
        .await?;
        inserted += results.iter().filter(|i| **i).count();
        updated += results.iter().filter(|i| !**i).count();
        progress(((n + 1) * BATCH).min(rows.len()), rows.len());
    }
    Ok((inserted, updated))
}

#[derive(Default)]
struct Batch {
    sku: Vec<String>,
    name: Vec<String>,
    brand: Vec<Option<String>>,
    category: Vec<Option<String>>,
    description: Vec<Option<String>>,
    unit: Vec<String>,
    price: Vec<Option<Decimal>>,
    currency: Vec<String>,
    stock: Vec<Option<i32>>,
    lead: Vec<Option<i32>>,
    tokens: Vec<String>,
}

/// A PostgreSQL array literal of texts: `{"a","b\"c"}`.
pub(crate) fn format_text_array(items: &[String]) -> String {
    let mut s = String::from("{");
    for (i, t) in items.iter().enumerate() {
        if i > 0 {
            s.push(',');
        }
        s.push('"');
        s.push_str(&t.replace('\\', "\\\\").replace('"', "\\\""));
        s.push('"');
    }
    s.push('}');
    s
}

/// Upserts tiers by (scope, min_qty).
pub async fn upsert_tiers(pool: &PgPool, rows: &[TierRow]) -> Result<usize, ImportError> {
    let scope: Vec<String> = rows.iter().map(|r| r.scope.clone()).collect();
    let min: Vec<Decimal> = rows.iter().map(|r| r.min_qty).collect();
    let pct: Vec<Decimal> = rows.iter().map(|r| r.discount_pct).collect();
    let n = sqlx::query!(
        r#"
        insert into price_tiers (scope, min_qty, discount_pct)
        select * from unnest($1::text[], $2::numeric[], $3::numeric[])
        on conflict (scope, min_qty) do update set discount_pct = excluded.discount_pct
        "#,
        &scope,
        &min,
        &pct,
    )
    .execute(pool)
    .await?
    .rows_affected();
    Ok(n as usize)
}

/// Ends an import: bumps the catalog version so that every worker rebuilds its search index
/// (`catalog::search::index`) before its next match, and wakes the ones listening.
#[tracing::instrument(skip_all)]
pub async fn finish_import(pool: &PgPool) -> Result<(), sqlx::Error> {
    let mut tx = pool.begin().await?;
    announce_change(&mut tx).await?;
    tx.commit().await
}

/// Bumps the catalog version and notifies `horme_catalog`, both seen by others when `tx`
/// commits, together with the change they announce. Concurrent announcers queue on the row.
pub async fn announce_change(tx: &mut sqlx::PgConnection) -> Result<(), sqlx::Error> {
    let version: i64 = sqlx::query_scalar("update catalog_state set version = version + 1 returning version")
        .fetch_one(&mut *tx)
        .await?;
    sqlx::query!("select pg_notify($1, $2)", CATALOG_CHANNEL, version.to_string())
        .execute(&mut *tx)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn array_literal_escapes() {
        assert_eq!(
            format_text_array(&["a".into(), "b\"c".into(), "1/2in".into()]),
            r#"{"a","b\"c","1/2in"}"#
        );
        assert_eq!(format_text_array(&[]), "{}");
    }
}
