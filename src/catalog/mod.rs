//! The product catalog: import, synonyms, the in-process search index and its vocabulary,
//! matching a description, and quantity price tiers. PostgreSQL is the source of truth for
//! all of it; the index is rebuilt from it when the catalog version changes.

pub mod corrections;
pub mod import;
pub mod search;
pub mod store;
pub mod synonyms;
pub mod tiers;

use std::path::Path;

use rust_decimal::Decimal;
use serde::Serialize;
use sqlx::PgPool;

use self::import::ImportError;
use self::store::ImportReport;

/// A catalog product as matching and pricing see it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Product {
    pub sku: String,
    pub name: String,
    pub brand: Option<String>,
    pub category: Option<String>,
    pub unit: String,
    /// None: price on request.
    pub price: Option<Decimal>,
    pub currency: String,
    pub stock: Option<i32>,
    pub lead_time_days: Option<i32>,
    /// Normalised name tokens (see `catalog::search::normalize`).
    pub tokens: Vec<String>,
    /// Still offered (an inactive product stays for old quotations but is never matched).
    #[serde(skip)]
    pub active: bool,
}

/// Imports a products file and/or a price tiers file (CSV or XLSX): reads and validates every
/// row, upserts by SKU, refreshes the search vocabulary and announces the change. `progress`
/// is called with (rows written, rows to write).
pub async fn import_files(
    pool: &PgPool,
    products: Option<&Path>,
    tiers: Option<&Path>,
    default_currency: &str,
    progress: impl FnMut(usize, usize),
) -> Result<ImportReport, ImportError> {
    let mut report = ImportReport::default();
    if let Some(path) = products {
        let path = path.to_path_buf();
        let file = tokio::task::spawn_blocking(move || import::read_products(&path))
            .await
            .map_err(|e| ImportError::Malformed {
                path: "(reader task)".into(),
                detail: e.to_string(),
            })??;
        report.rows_read = file.rows.len() + file.rejected.len();
        report.without_price = file.without_price;
        report.rejected = file.rejected;
        let (inserted, updated) = store::upsert_products(pool, &file.rows, default_currency, progress).await?;
        report.imported = inserted;
        report.updated = updated;
        report.unchanged = file.rows.len() - inserted - updated;
        store::finish_import(pool).await?;
    }
    if let Some(path) = tiers {
        let file = import::read_tiers(path)?;
        report.tiers_imported = store::upsert_tiers(pool, &file.rows).await?;
        report.tiers_rejected = file.rejected;
    }
    Ok(report)
}
