//! Revisions: an approver's changes (an extra discount, another SKU for a line) produce a new
//! quotation `Q-…-R2` priced by the same rule (DESIGN §4), rendered, and approved; the
//! previous revision stays as history with status `revised`.
//!
//! A revision is priced by the pipeline's own line pricing (`pipeline::pricing::
//! price_quote_line`), from the current catalog record of each line's final product (so a
//! swapped SKU brings its own price, stock and lead time). The extra discount `e` is applied on
//! top of a line's discount `d` (the tier discount, or the customer's when better, or 0 on a
//! contract price): `unit_price = round_half_up(list_price × (1 − d/100) × (1 − e/100), 2)`,
//! shown as the combined discount `100 − (100 − d)(100 − e)/100`.
//!
//! A SKU the approver chooses for a line is remembered for the quotation's customer
//! (`catalog::corrections`), so the next identical request is matched to it.

use std::collections::HashMap;

use chrono::{Days, Utc};
use rust_decimal::Decimal;
use serde_json::json;
use sqlx::PgConnection;
use uuid::Uuid;

use super::document;
use super::lifecycle::{self, Actor, Change, Head, LifecycleError, Transition};
use super::status::Status;
use super::store;
use crate::catalog::{Product, corrections, search, tiers};
use crate::customers;
use crate::domain::QuoteNumber;
use crate::pipeline::matching::MatchStatus;
use crate::pipeline::pricing::{self, PricingContext};
use crate::pipeline::quotation::{ProductRef, Quotation};
use crate::startup::App;

/// What an approver changes while approving.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Adjustments {
    /// An extra discount in percent on every priced line.
    pub extra_discount_pct: Option<Decimal>,
    /// (line number, SKU): the product to quote on that line instead.
    pub skus: Vec<(u32, String)>,
    /// (line number, quantity): the quantity to quote on that line instead.
    pub quantities: Vec<(u32, Decimal)>,
}

impl Adjustments {
    pub fn is_empty(&self) -> bool {
        self.extra_discount_pct.is_none_or(|d| d.is_zero()) && self.skus.is_empty() && self.quantities.is_empty()
    }
}

/// Every SKU a revision is priced with: the approver's choices and the lines' matches.
pub fn final_skus(view: &Quotation, adj: &Adjustments) -> Vec<String> {
    let mut skus: Vec<String> = adj.skus.iter().map(|(_, s)| s.clone()).collect();
    skus.extend(
        view.lines
            .iter()
            .filter_map(|l| l.matched.as_ref().map(|m| m.sku.clone())),
    );
    skus.sort();
    skus.dedup();
    skus
}

/// Re-prices `view` with the adjustments through the pipeline's own line pricing
/// ([`pricing::price_quote_line`]): every line from the current catalog record of the product it
/// ends up with (price, stock, lead time), the customer layer and tiers of `ctx`, the extra
/// discount last. `products` must hold every SKU of [`final_skus`].
pub fn reprice(
    view: &Quotation,
    adj: &Adjustments,
    products: &HashMap<String, Product>,
    ctx: &PricingContext<'_>,
) -> Result<Quotation, LifecycleError> {
    let extra = adj.extra_discount_pct.unwrap_or(Decimal::ZERO);
    if extra < Decimal::ZERO || extra >= Decimal::ONE_HUNDRED {
        return Err(LifecycleError::InvalidAdjustment(format!(
            "an extra discount must be at least 0 and below 100 percent, not {extra}"
        )));
    }
    let mut q = view.clone();
    for (line_no, sku) in &adj.skus {
        let line = q
            .lines
            .iter_mut()
            .find(|l| l.line == *line_no)
            .ok_or_else(|| LifecycleError::InvalidAdjustment(format!("there is no line {line_no}")))?;
        let p = products
            .get(sku)
            .ok_or_else(|| LifecycleError::InvalidAdjustment(format!("no product with SKU {sku} in the catalog")))?;
        line.matched = Some(ProductRef {
            sku: p.sku.clone(),
            name: p.name.clone(),
            confidence: 1.0,
        });
        // a person chose it: priced like a confident match (price on request without a price)
        line.status = MatchStatus::Matched;
    }
    for (line_no, quantity) in &adj.quantities {
        if *quantity <= Decimal::ZERO {
            return Err(LifecycleError::InvalidAdjustment(format!(
                "line {line_no}: a quantity must be above 0, not {quantity}"
            )));
        }
        let line = q
            .lines
            .iter_mut()
            .find(|l| l.line == *line_no)
            .ok_or_else(|| LifecycleError::InvalidAdjustment(format!("there is no line {line_no}")))?;
        line.requested.quantity = *quantity;
    }
    let ctx = PricingContext {
        extra_discount_pct: extra,
        ..ctx.clone()
    };
    for line in &mut q.lines {
        let product = match &line.matched {
            Some(m) => Some(products.get(&m.sku).ok_or_else(|| {
                LifecycleError::InvalidAdjustment(format!(
                    "line {}: SKU {} is no longer in the catalog",
                    line.line, m.sku
                ))
            })?),
            None => None,
        };
        pricing::price_quote_line(line, product, &ctx);
    }
    q.total_up();
    Ok(q)
}

/// Inside `lifecycle::approve`: the pending quotation `head` becomes `revised`, its successor
/// is stored, rendered and approved.
pub(super) async fn approve_revised(
    conn: &mut PgConnection,
    app: &App,
    head: &Head,
    actor: &Actor,
    channel: &str,
    adj: &Adjustments,
) -> Result<Transition, LifecycleError> {
    if head.status != Status::PendingApproval {
        return Err(LifecycleError::InvalidTransition {
            number: head.number.clone(),
            from: head.status,
            to: Status::Approved,
        });
    }
    let current = store::load_in(conn, head.id)
        .await?
        .ok_or_else(|| LifecycleError::NotFound(head.number.clone()))?;
    let products = search::products(&app.pool, &final_skus(&current.view, adj)).await?;
    let tier_list = tiers::load(&app.pool).await?;
    let customer_id = store::customer_id(conn, head.id).await?;
    let terms = match customer_id {
        Some(cid) => match customers::get(&app.pool, cid).await? {
            Some(c) => Some(customers::prices::terms(&app.pool, &c, &current.view.currency).await?),
            None => None,
        },
        None => None,
    };
    let ctx = PricingContext {
        tiers: &tier_list,
        tax_rate: current.view.tax_rate,
        currency: &current.view.currency,
        default_lead_time_days: app.settings.pricing.default_lead_time_days,
        customer: terms.as_ref(),
        extra_discount_pct: Decimal::ZERO,
    };
    let mut next = reprice(&current.view, adj, &products, &ctx)?;

    let base = QuoteNumber::parse(&head.number)
        .map_err(|e| LifecycleError::InvalidAdjustment(e.to_string()))?
        .with_revision(1);
    let revision = sqlx::query_scalar!(
        r#"select coalesce(max(revision), 1) + 1 as "n!" from quotations where base_number = $1"#,
        base.base()
    )
    .fetch_one(&mut *conn)
    .await?;
    let number = base.with_revision(revision).to_string();
    let today = Utc::now().date_naive();
    let valid_until = today
        .checked_add_days(Days::new(u64::from(app.settings.pricing.validity_days)))
        .unwrap_or(today);
    next.number = Some(number.clone());
    next.date = Some(today);
    next.valid_until = Some(valid_until);
    let id = Uuid::now_v7();
    store::insert_revision(
        conn,
        store::NewRevision {
            id,
            number: &number,
            base_number: &base.base(),
            revision,
            rfp_id: head.rfp_id,
            revised_from: head.id,
            extra_discount_pct: adj.extra_discount_pct.unwrap_or(Decimal::ZERO),
            valid_until,
        },
        &next,
    )
    .await?;
    let pdf = document::render_pdf(app.settings.clone(), next.clone())
        .await
        .map_err(|e| LifecycleError::Render(e.to_string()))?;
    store::set_pdf(conn, id, &pdf).await?;
    store::set_customer_id(conn, id, customer_id).await?;
    remember_choices(conn, &current.view, adj, customer_id, actor, channel).await?;

    let changes = json!({
        "revision": number,
        "extra_discount_pct": adj.extra_discount_pct.map(|d| d.to_string()),
        "skus": adj.skus.iter().map(|(l, s)| json!({"line": l, "sku": s})).collect::<Vec<_>>(),
        "quantities": adj.quantities.iter().map(|(l, q)| json!({"line": l, "quantity": q.to_string()})).collect::<Vec<_>>(),
    });
    lifecycle::apply(
        conn,
        app,
        head,
        Change {
            to: Status::Revised,
            actor,
            channel,
            reason: None,
            detail: changes.clone(),
        },
    )
    .await?;
    let new_head = lifecycle::lock(conn, &number).await?;
    let mut detail = changes;
    detail["revised_from"] = json!(head.number);
    detail["total"] = json!(next.total.to_string());
    let mut t = lifecycle::apply(
        conn,
        app,
        &new_head,
        Change {
            to: Status::Approved,
            actor,
            channel,
            reason: None,
            detail,
        },
    )
    .await?;
    t.revision = Some(number);
    t.from = head.status;
    t.number = head.number.clone();
    Ok(t)
}

/// Remembers each SKU the approver chose for the description of its line.
async fn remember_choices(
    conn: &mut PgConnection,
    view: &Quotation,
    adj: &Adjustments,
    customer_id: Option<i64>,
    actor: &Actor,
    channel: &str,
) -> Result<(), LifecycleError> {
    for (line_no, sku) in &adj.skus {
        let Some(line) = view.lines.iter().find(|l| l.line == *line_no) else {
            continue;
        };
        match corrections::record(
            conn,
            customer_id,
            &line.requested.description,
            sku,
            &actor.label(),
            channel,
        )
        .await
        {
            Ok(()) | Err(corrections::CorrectionError::EmptyDescription(_)) => {}
            Err(corrections::CorrectionError::Database(e)) => return Err(e.into()),
            Err(e) => return Err(LifecycleError::InvalidAdjustment(e.to_string())),
        }
    }
    Ok(())
}
