//! Remembered match corrections: when a person says which product a requested description
//! means (`horme catalog correct`, or another SKU chosen for a line while approving), the
//! choice is kept and the matching step uses it the next time the same description comes
//! in — for that customer first, then for everybody (a correction without a customer).
//!
//! Descriptions are compared by `catalog::search::normalize::normalize`, so case, spacing and
//! punctuation differences do not matter.

use std::collections::HashMap;

use serde::Serialize;
use serde_json::json;
use sqlx::{PgConnection, PgPool};

use super::Product;
use crate::audit;
use crate::catalog::search::normalize::normalize;
use crate::pipeline::matching::{LineMatch, MatchStatus, Scored};

#[derive(Debug, thiserror::Error)]
pub enum CorrectionError {
    #[error("no product with SKU {0} in the catalog")]
    UnknownSku(String),
    #[error("the description {0:?} has no words to remember")]
    EmptyDescription(String),
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
}

/// Remembers that `description` means `sku` (for `customer_id`, or for everybody); a later
/// correction of the same description replaces it. Audited.
#[tracing::instrument(skip_all, fields(customer_id = ?customer_id, sku = %sku))]
pub async fn record(
    conn: &mut PgConnection,
    customer_id: Option<i64>,
    description: &str,
    sku: &str,
    actor: &str,
    channel: &str,
) -> Result<(), CorrectionError> {
    let key = normalize(description);
    if key.is_empty() {
        return Err(CorrectionError::EmptyDescription(description.to_string()));
    }
    let known = sqlx::query_scalar!(r#"select exists(select 1 from products where sku = $1) as "e!""#, sku)
        .fetch_one(&mut *conn)
        .await?;
    if !known {
        return Err(CorrectionError::UnknownSku(sku.to_string()));
    }
    let id = sqlx::query_scalar!(
        r#"insert into match_corrections (customer_id, description_key, sku, actor, channel, description)
           values ($1, $2, $3, $4, $5, $6)
           on conflict ((coalesce(customer_id, 0)), description_key)
           do update set sku = excluded.sku, actor = excluded.actor, channel = excluded.channel,
                         description = excluded.description
           returning id"#,
        customer_id,
        key,
        sku,
        actor,
        channel,
        description
    )
    .fetch_one(&mut *conn)
    .await?;
    audit::record(
        conn,
        audit::Entry {
            entity: "match_correction",
            entity_id: &id.to_string(),
            action: "recorded",
            actor,
            channel,
            detail: json!({"customer_id": customer_id, "description": description, "description_key": key, "sku": sku}),
        },
    )
    .await?;
    tracing::info!(id, "match correction recorded");
    Ok(())
}

/// The remembered SKU for `description`: the customer's own correction first, then a
/// correction for everybody; only active products.
pub async fn lookup(pool: &PgPool, customer_id: Option<i64>, description: &str) -> Result<Option<String>, sqlx::Error> {
    let key = normalize(description);
    if key.is_empty() {
        return Ok(None);
    }
    sqlx::query_scalar!(
        r#"select c.sku from match_corrections c join products p on p.sku = c.sku
           where c.description_key = $2 and p.active and (c.customer_id = $1 or c.customer_id is null)
           order by c.customer_id is null
           limit 1"#,
        customer_id,
        key
    )
    .fetch_optional(pool)
    .await
}

/// What staff chose before for the lines of a request, for every customer at once: read
/// before the request's customer is known, so that the lookup runs beside the customer's
/// (see `jobs::match_lines`); [`Remembered::for_customer`] then picks.
#[derive(Debug, Default)]
pub struct Remembered {
    /// Each line's normalised description ("" when nothing is left to remember).
    keys: Vec<String>,
    /// Description key → (customer the choice was made for, none = everyone's; SKU).
    choices: HashMap<String, Vec<(Option<i64>, String)>>,
}

impl Remembered {
    /// Line index → remembered SKU for `customer_id`: that customer's own choice first, then
    /// a choice made for everyone (as [`lookup`]).
    pub fn for_customer(&self, customer_id: Option<i64>) -> HashMap<usize, String> {
        self.keys
            .iter()
            .enumerate()
            .filter(|(_, k)| !k.is_empty())
            .filter_map(|(i, k)| {
                let choices = self.choices.get(k)?;
                let own = customer_id.and_then(|id| choices.iter().find(|(c, _)| *c == Some(id)));
                let everyone = || choices.iter().find(|(c, _)| c.is_none());
                own.or_else(everyone).map(|(_, sku)| (i, sku.clone()))
            })
            .collect()
    }
}

/// The remembered choices for every line of a request, for all customers, in one query
/// (active products only).
pub async fn lookup_all(pool: &PgPool, descriptions: &[&str]) -> Result<Remembered, sqlx::Error> {
    let keys: Vec<String> = descriptions.iter().map(|d| normalize(d)).collect();
    let rows: Vec<(String, Option<i64>, String)> = sqlx::query_as(
        "select c.description_key, c.customer_id, c.sku
           from match_corrections c join products p on p.sku = c.sku
          where c.description_key = any($1) and p.active",
    )
    .bind(&keys)
    .fetch_all(pool)
    .await?;
    let mut choices: HashMap<String, Vec<(Option<i64>, String)>> = HashMap::new();
    for (key, customer, sku) in rows {
        choices.entry(key).or_default().push((customer, sku));
    }
    Ok(Remembered { keys, choices })
}

/// The match of a line whose product was remembered: that product with full confidence
/// (`matched`, or `price_on_request` without a price), the searched candidates as
/// alternatives.
pub fn remembered(product: Product, searched: LineMatch, max_alternatives: usize) -> LineMatch {
    let status = if product.price.is_some() {
        MatchStatus::Matched
    } else {
        MatchStatus::PriceOnRequest
    };
    let alternatives = searched
        .best
        .into_iter()
        .chain(searched.alternatives)
        .filter(|s| s.product.sku != product.sku)
        .take(max_alternatives)
        .collect();
    LineMatch {
        status,
        best: Some(Scored {
            product,
            confidence: 1.0,
        }),
        alternatives,
    }
}

/// One remembered correction as listed.
#[derive(Debug, Clone, Serialize)]
pub struct Correction {
    pub customer: Option<String>,
    pub description_key: String,
    pub sku: String,
    pub actor: String,
    pub channel: String,
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

pub async fn list(pool: &PgPool) -> Result<Vec<Correction>, sqlx::Error> {
    sqlx::query_as!(
        Correction,
        r#"select coalesce(cu.email, cu.domain) as customer, c.description_key, c.sku, c.actor, c.channel,
                  c.updated_at
           from match_corrections c left join customers cu on cu.id = c.customer_id
           order by c.updated_at desc, c.id desc"#
    )
    .fetch_all(pool)
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_customers_own_choice_wins_then_everyones() {
        let remembered = Remembered {
            keys: vec!["bolt m8".into(), "".into(), "nut m8".into(), "washer".into()],
            choices: HashMap::from([
                (
                    "bolt m8".to_string(),
                    vec![(None, "B-ALL".to_string()), (Some(7), "B-7".to_string())],
                ),
                ("nut m8".to_string(), vec![(Some(9), "N-9".to_string())]),
            ]),
        };
        assert_eq!(
            remembered.for_customer(Some(7)),
            HashMap::from([(0, "B-7".to_string())])
        );
        assert_eq!(
            remembered.for_customer(Some(9)),
            HashMap::from([(0, "B-ALL".to_string()), (2, "N-9".to_string())])
        );
        assert_eq!(remembered.for_customer(None), HashMap::from([(0, "B-ALL".to_string())]));
    }

    fn product(sku: &str, price: Option<rust_decimal::Decimal>) -> Product {
        Product {
            sku: sku.into(),
            name: sku.into(),
            brand: None,
            category: None,
            unit: "pc".into(),
            price,
            currency: "SGD".into(),
            stock: None,
            lead_time_days: None,
            tokens: vec![],
            active: true,
        }
    }

    fn scored(sku: &str, confidence: f64) -> Scored {
        Scored {
            product: product(sku, None),
            confidence,
        }
    }

    #[test]
    fn the_remembered_product_wins_and_the_search_becomes_alternatives() {
        let searched = LineMatch {
            status: MatchStatus::NeedsReview,
            best: Some(scored("a", 0.7)),
            alternatives: vec![scored("b", 0.6), scored("c", 0.5)],
        };
        let m = remembered(product("b", Some(rust_decimal::Decimal::ONE)), searched, 5);
        assert_eq!(m.status, MatchStatus::Matched);
        assert_eq!(
            m.best.as_ref().map(|b| (b.product.sku.as_str(), b.confidence)),
            Some(("b", 1.0))
        );
        let alts: Vec<&str> = m.alternatives.iter().map(|a| a.product.sku.as_str()).collect();
        assert_eq!(alts, ["a", "c"]);
        let none = LineMatch {
            status: MatchStatus::Unmatched,
            best: None,
            alternatives: vec![],
        };
        assert_eq!(
            remembered(product("x", None), none, 5).status,
            MatchStatus::PriceOnRequest
        );
    }
}
