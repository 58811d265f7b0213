//! Step 2: match every requested line against the catalog. A product a person chose for the
//! same description before (`catalog::corrections`) wins over the search.

use std::collections::HashMap;
use std::future::Future;
use std::sync::Arc;

use serde_json::json;

use super::queue::Job;
use super::steps::{self, StepError};
use crate::catalog::search::index::{self, CatalogIndex};
use crate::catalog::{corrections, search};
use crate::customers;
use crate::pipeline::matching::{self, LineMatch, MatchPolicy};
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
    let descriptions: Vec<String> = lines.iter().map(|l| l.description.clone()).collect();
    // Scoring is CPU work: off the async threads (see `off_runtime`).
    let owned = app.clone();
    let matches = super::off_runtime(async move {
        let refs: Vec<&str> = descriptions.iter().map(String::as_str).collect();
        let customer = async { Ok(customers::for_rfp(&owned.pool, rfp).await?.map(|c| c.id)) };
        match_descriptions(&owned, customer, &refs).await
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
///
/// The waits overlap: finding the customer (`customer`), the remembered choices (read for
/// every customer, picked once the customer is known), the catalog version, and the search
/// itself, CPU work on a blocking thread with the index as last built. When the version
/// differs from the index's (an import or a synonym change since), the index is rebuilt and
/// the lines searched again, so a match never uses an outdated catalog. The products shown
/// come from the index that found them, read in the same snapshot as its version.
pub async fn match_descriptions<C>(app: &App, customer: C, descriptions: &[&str]) -> Result<Vec<LineMatch>, sqlx::Error>
where
    C: Future<Output = Result<Option<i64>, sqlx::Error>>,
{
    let policy = app.match_policy();
    let searching = async { search_off_runtime(app.last_index().await?, descriptions, policy).await };
    let (searched, customer_id, remembered, version) = tokio::try_join!(
        searching,
        customer,
        corrections::lookup_all(&app.pool, descriptions),
        index::current_version(&app.pool)
    )?;
    let remembered = remembered.for_customer(customer_id);
    let (mut searched, mut index) = searched;
    if version != index.version() {
        tracing::debug!(
            index_version = index.version(),
            version,
            "catalog changed since the index was built: searching again"
        );
        (searched, index) = search_off_runtime(app.index_at(version).await?, descriptions, policy).await?;
    }
    let products = index.products_by_sku(&shown(&searched, &remembered, &policy));
    let mut matches: Vec<LineMatch> = search::explain_searched(searched, &products, &policy)
        .into_iter()
        .map(|e| e.line)
        .collect();
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
    Ok(matches)
}

/// The lines searched in `index` on a blocking thread (scoring is CPU work), and the index.
async fn search_off_runtime(
    index: Arc<CatalogIndex>,
    descriptions: &[&str],
    policy: MatchPolicy,
) -> Result<(Vec<search::Searched>, Arc<CatalogIndex>), sqlx::Error> {
    let owned: Vec<String> = descriptions.iter().map(|d| (*d).to_string()).collect();
    let searched = tokio::task::spawn_blocking(move || {
        let refs: Vec<&str> = owned.iter().map(String::as_str).collect();
        let searched = search::search_lines(&index, &refs, &policy);
        (searched, index)
    })
    .await
    .unwrap_or_else(|e| std::panic::resume_unwind(e.into_panic()));
    Ok(searched)
}

/// The SKUs to show: those the searched lines can show and the remembered ones.
fn shown(searched: &[search::Searched], remembered: &HashMap<usize, String>, policy: &MatchPolicy) -> Vec<String> {
    let mut skus = search::shown_skus(searched, policy);
    skus.extend(remembered.values().cloned());
    skus.sort_unstable();
    skus.dedup();
    skus
}
