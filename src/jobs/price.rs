//! Step 3: price the matched lines (DESIGN §4, with the customer layer of
//! `pipeline::pricing`) and create the numbered draft quotation.

use chrono::{Days, Utc};
use rust_decimal::Decimal;
use serde_json::json;

use super::queue::Job;
use super::steps::{self, StepError};
use crate::audit;
use crate::catalog::{search, tiers};
use crate::customers::{self, Customer};
use crate::pipeline::customer::CustomerInfo;
use crate::pipeline::matching::{LineMatch, MatchStatus, Scored};
use crate::pipeline::quotation::{self, PricingContext, Quotation};
use crate::pipeline::requirements::Requirement;
use crate::quotations::store;
use crate::startup::App;

pub(super) async fn run(app: &App, job: &Job) -> Result<(), StepError> {
    let Some(rfp) = steps::begin(app, job, &["pricing"], "pricing").await? else {
        return steps::skip(app, job).await;
    };
    let head = sqlx::query!("select source_name, customer from rfps where id = $1", rfp)
        .fetch_one(&app.pool)
        .await?;
    let rows = sqlx::query!(
        r#"select description, quantity, unit, match_status, matched_sku, confidence, alternatives
           from requirement_lines where rfp_id = $1 order by line_no"#,
        rfp
    )
    .fetch_all(&app.pool)
    .await?;
    let mut skus: Vec<String> = Vec::new();
    for r in &rows {
        skus.extend(r.matched_sku.clone());
        skus.extend(alternative_refs(&r.alternatives).into_iter().map(|(s, _)| s));
    }
    let products = search::products(&app.pool, &skus).await?;

    let lines: Vec<(Requirement, LineMatch)> = rows
        .into_iter()
        .map(|r| {
            let scored = |sku: &str, confidence: f64| {
                products.get(sku).map(|p| Scored {
                    product: p.clone(),
                    confidence,
                })
            };
            let best = r
                .matched_sku
                .as_deref()
                .and_then(|s| scored(s, r.confidence.unwrap_or(0.0)));
            let alternatives = alternative_refs(&r.alternatives)
                .into_iter()
                .filter_map(|(s, c)| scored(&s, c))
                .collect();
            let status = match (&best, r.match_status.as_deref().and_then(MatchStatus::parse)) {
                (None, _) => MatchStatus::Unmatched,
                (Some(_), Some(s)) => s,
                (Some(_), None) => MatchStatus::NeedsReview,
            };
            let req = Requirement {
                description: r.description,
                quantity: r.quantity.normalize(),
                unit: r.unit,
            };
            (
                req,
                LineMatch {
                    status,
                    best,
                    alternatives,
                },
            )
        })
        .collect();
    let settings = &app.settings.pricing;
    let customer = customers::for_rfp(&app.pool, rfp).await?;
    let info: CustomerInfo = serde_json::from_value(head.customer).unwrap_or_default();
    let q = price_draft(app, &head.source_name, info, customer.as_ref(), lines).await?;
    let today = Utc::now().date_naive();
    let valid_until = today
        .checked_add_days(Days::new(u64::from(settings.validity_days)))
        .unwrap_or(today);

    let mut tx = steps::commit_tx(app, job).await?;
    let (id, number) = store::save_draft(&mut tx, rfp, &q, today, valid_until).await?;
    store::set_customer_id(&mut tx, id, customer.as_ref().map(|c| c.id)).await?;
    audit::record(
        &mut tx,
        audit::Entry {
            entity: "quotation",
            entity_id: &number,
            action: "created",
            actor: "pipeline",
            channel: "worker",
            detail: json!({"rfp": rfp, "quotation_id": id, "total": q.total.to_string(), "lines": q.lines.len(),
                "customer_id": customer.as_ref().map(|c| c.id)}),
        },
    )
    .await?;
    steps::finish(&mut tx, app, job, rfp, "rendering", Some(steps::RENDER)).await?;
    tx.commit().await?;
    tracing::info!(%number, total = %q.total, "quotation priced");
    Ok(())
}

/// The draft quotation of matched lines, priced for `customer` (their discount and contract
/// prices) with the current tiers. The price step and `horme bench` both call this.
pub async fn price_draft(
    app: &App,
    source: &str,
    info: CustomerInfo,
    customer: Option<&Customer>,
    lines: Vec<(Requirement, LineMatch)>,
) -> Result<Quotation, sqlx::Error> {
    let settings = &app.settings.pricing;
    // The tiers and the customer's terms are independent: one wait for both.
    let terms = async {
        match customer {
            Some(c) => customers::prices::terms(&app.pool, c, &settings.currency)
                .await
                .map(Some),
            None => Ok(None),
        }
    };
    let (tiers, terms) = tokio::try_join!(tiers::load(&app.pool), terms)?;
    let ctx = PricingContext {
        tiers: &tiers,
        tax_rate: settings.tax_rate,
        currency: &settings.currency,
        default_lead_time_days: settings.default_lead_time_days,
        customer: terms.as_ref(),
        extra_discount_pct: Decimal::ZERO,
    };
    Ok(quotation::build(source, info, lines, &ctx))
}

fn alternative_refs(v: &serde_json::Value) -> Vec<(String, f64)> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|x| Some((x.get("sku")?.as_str()?.to_string(), x.get("confidence")?.as_f64()?)))
                .collect()
        })
        .unwrap_or_default()
}
