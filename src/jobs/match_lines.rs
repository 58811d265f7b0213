//! Step 2: match every requested line against the catalog. A product a person chose for the
//! same description before (`catalog::corrections`) wins over the search.

use serde_json::json;

use super::queue::Job;
use super::steps::{self, StepError};
use crate::catalog::{corrections, search};
use crate::customers;
use crate::startup::App;

pub(super) async fn run(app: &App, job: &Job) -> Result<(), StepError> {
    let Some(rfp) = steps::begin(app, job, &["matching"], "matching").await? else {
        return steps::skip(app, job).await;
    };
    let lines = sqlx::query!(
        "select line_no, description from requirement_lines where rfp_id = $1 order by line_no",
        rfp
    )
    .fetch_all(&app.pool)
    .await?;
    let vocab = app.vocabulary();
    let policy = app.match_policy();
    let customer_id = customers::for_rfp(&app.pool, rfp).await?.map(|c| c.id);
    let mut results = Vec::with_capacity(lines.len());
    for l in &lines {
        let mut m = search::match_description(&app.pool, &vocab, &l.description, &policy).await?;
        if let Some(sku) = corrections::lookup(&app.pool, customer_id, &l.description).await?
            && let Some(p) = search::products(&app.pool, std::slice::from_ref(&sku))
                .await?
                .remove(&sku)
        {
            tracing::debug!(line = l.line_no, %sku, "remembered correction");
            m = corrections::remembered(p, m, policy.max_alternatives);
        }
        results.push((l.line_no, m));
    }
    let mut tx = steps::commit_tx(app, job).await?;
    for (line_no, m) in &results {
        let alternatives = json!(
            m.alternatives
                .iter()
                .map(|a| json!({"sku": a.product.sku, "confidence": a.confidence}))
                .collect::<Vec<_>>()
        );
        sqlx::query!(
            r#"update requirement_lines set match_status = $3, matched_sku = $4, confidence = $5, alternatives = $6
               where rfp_id = $1 and line_no = $2"#,
            rfp,
            line_no,
            m.status.as_str(),
            m.best.as_ref().map(|b| b.product.sku.clone()),
            m.best.as_ref().map(|b| b.confidence),
            alternatives
        )
        .execute(&mut *tx)
        .await?;
    }
    steps::finish(&mut tx, app, job, rfp, "pricing", Some(steps::PRICE)).await?;
    tx.commit().await?;
    Ok(())
}
