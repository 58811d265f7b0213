//! `GET /api/quotations/{number}` and its PDF.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::IntoResponse;
use serde_json::{Value, json};

use super::auth::ApiToken;
use super::{ApiError, HttpState};
use crate::domain::QuoteNumber;
use crate::quotations::store;

fn parse(number: &str) -> Result<String, ApiError> {
    QuoteNumber::parse(number)
        .map(|n| n.to_string())
        .map_err(|e| ApiError::NotFound(e.to_string()))
}

pub async fn show(
    State(state): State<HttpState>,
    _token: ApiToken,
    Path(number): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let number = parse(&number)?;
    let q = store::load_by_number(&state.app.pool, &number)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("no quotation {number}")))?;
    let mut v = serde_json::to_value(&q.view).map_err(|e| ApiError::Internal(e.into()))?;
    v["status"] = json!(q.status);
    Ok(Json(v))
}

pub async fn pdf(
    State(state): State<HttpState>,
    _token: ApiToken,
    Path(number): Path<String>,
) -> Result<impl IntoResponse, ApiError> {
    let number = parse(&number)?;
    let bytes = match store::pdf_or_purged(&state.app.pool, &number).await? {
        store::StoredPdf::Bytes(b) => b,
        store::StoredPdf::Purged(on) => {
            return Err(ApiError::Gone(format!(
                "the PDF of quotation {number} was removed on {} under the retention settings; \
                 the quotation's lines and totals are kept",
                on.format("%-d %B %Y")
            )));
        }
        store::StoredPdf::None => return Err(ApiError::NotFound(format!("no PDF for quotation {number} (yet)"))),
    };
    Ok((
        [
            (header::CONTENT_TYPE, "application/pdf".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("inline; filename=\"{number}.pdf\""),
            ),
        ],
        bytes,
    ))
}
