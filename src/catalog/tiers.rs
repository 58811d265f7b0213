//! Quantity price tiers (DESIGN §4), loaded once per pricing run.

use rust_decimal::Decimal;
use sqlx::PgPool;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tier {
    /// A SKU, a category name, or `*`.
    pub scope: String,
    pub min_qty: Decimal,
    pub discount_pct: Decimal,
}

pub async fn load(pool: &PgPool) -> Result<Vec<Tier>, sqlx::Error> {
    sqlx::query_as!(
        Tier,
        "select scope, min_qty, discount_pct from price_tiers order by scope, min_qty"
    )
    .fetch_all(pool)
    .await
}
