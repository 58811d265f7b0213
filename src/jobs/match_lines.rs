//! Step 2: match every requested line against the catalog. A product a person chose for the
//! same description before (`catalog::corrections`) wins over the search.

use serde_json::json;

use super::queue::Job;
use super::steps::{self, StepError};
use crate::catalog::{corrections, search};
use crate::customers;
use crate::pipeline::matching::{self, LineMatch};
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
    let customer_id = customers::for_rfp(&app.pool, rfp).await?.map(|c| c.id);
    let descriptions: Vec<String> = lines.iter().map(|l| l.description.clone()).collect();
    // Scoring is CPU work: off the async threads (see `off_runtime`).
    let owned = app.clone();
    let matches = super::off_runtime(async move {
        let refs: Vec<&str> = descriptions.iter().map(String::as_str).collect();
        match_descriptions(&owned, customer_id, &refs).await
    })
    .await
    .map_err(|e| StepError::Transient(anyhow::Error::new(e).context("matching")))??;
    let results: Vec<(i32, _)> = lines.iter().map(|l| l.line_no).zip(matches).collect();
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

/// Matches requested descriptions against the catalog; a product staff chose before for the
/// same description (this customer's first) wins over the search. The match step and
/// `horme bench` both call this.
pub async fn match_descriptions(
    app: &App,
    customer_id: Option<i64>,
    descriptions: &[&str],
) -> Result<Vec<LineMatch>, sqlx::Error> {
    // the index's version check and the remembered choices are independent: one wait for both
    let (index, remembered) = tokio::try_join!(
        app.catalog_index(),
        corrections::lookup_many(&app.pool, customer_id, descriptions)
    )?;
    let policy = app.match_policy();
    let mut matches = search::match_descriptions(&app.pool, &index, descriptions, &policy).await?;
    if !remembered.is_empty() {
        let skus: Vec<String> = remembered.values().cloned().collect();
        let products = search::products(&app.pool, &skus).await?;
        for (i, m) in matches.iter_mut().enumerate() {
            if let Some(p) = remembered.get(&i).and_then(|sku| products.get(sku)) {
                tracing::debug!(line = i + 1, sku = %p.sku, "remembered correction");
                *m = corrections::remembered(
                    p.clone(),
                    std::mem::replace(m, matching::decide(Vec::new(), &policy)),
                    policy.max_alternatives,
                );
            }
        }
    }
    Ok(matches)
}
