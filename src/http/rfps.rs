//! `POST /api/rfps` (multipart upload) and `GET /api/rfps/{id}`.

use axum::Json;
use axum::extract::{Multipart, Path, State};
use axum::http::{HeaderMap, StatusCode};
use channels::{Attachment, ChannelKind, InboundMessage, Sender, ThreadRef};
use serde_json::{Value, json};
use uuid::Uuid;

use super::auth::ApiToken;
use super::{ApiError, HttpState, idempotency};
use crate::domain::EmailAddress;
use crate::ingest;
use crate::pipeline::text::Format;
use crate::quotations::store;

/// Accepts one or more `file` parts, an optional `customer` (mail address) and `text`
/// (a message body). Answers 202 with the request id; processing is asynchronous. An
/// `Idempotency-Key` is the client's: scoped to its token, bound to the content (see
/// [`idempotency`]).
pub async fn upload(
    State(state): State<HttpState>,
    token: ApiToken,
    headers: HeaderMap,
    mut multipart: Multipart,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let limit = state.app.settings.http.max_upload_bytes;
    let mut attachments = Vec::new();
    let mut customer: Option<EmailAddress> = None;
    let mut text = String::new();
    while let Some(field) = multipart.next_field().await.map_err(multipart_error)? {
        let name = field.name().unwrap_or("").to_string();
        match name.as_str() {
            "file" => {
                let filename = field
                    .file_name()
                    .map(str::to_string)
                    .ok_or_else(|| ApiError::BadRequest("the file part has no file name".into()))?;
                let media_type = field.content_type().unwrap_or("application/octet-stream").to_string();
                if Format::from_name(&filename).is_none() {
                    return Err(ApiError::UnsupportedMediaType(format!(
                        "{filename}: unsupported file type (we read .pdf .docx .xlsx .xls .ods .csv .txt .html .eml)"
                    )));
                }
                let content = field.bytes().await.map_err(multipart_error)?;
                if content.is_empty() {
                    return Err(ApiError::BadRequest(format!("{filename}: the file is empty")));
                }
                if content.len() > limit {
                    return Err(ApiError::PayloadTooLarge(format!(
                        "{filename}: larger than the limit of {limit} bytes"
                    )));
                }
                attachments.push(Attachment {
                    filename,
                    media_type,
                    content: content.to_vec(),
                });
            }
            "customer" => {
                let v = field.text().await.map_err(multipart_error)?;
                customer = Some(EmailAddress::parse(&v).map_err(|e| ApiError::BadRequest(e.to_string()))?);
            }
            "text" => text = field.text().await.map_err(multipart_error)?,
            other => {
                return Err(ApiError::BadRequest(format!(
                    "unexpected form field {other:?} (use file, customer, text)"
                )));
            }
        }
    }
    if attachments.is_empty() && text.trim().is_empty() {
        return Err(ApiError::BadRequest(
            "nothing to quote: send at least one file part (or a text part)".into(),
        ));
    }
    let key = match headers.get("idempotency-key") {
        None => None,
        Some(v) => Some(
            v.to_str()
                .ok()
                .map(str::trim)
                .filter(|k| !k.is_empty() && k.len() <= 200)
                .ok_or_else(|| {
                    ApiError::BadRequest("Idempotency-Key must be 1 to 200 visible ASCII characters".into())
                })?
                .to_string(),
        ),
    };
    let request_id = match &key {
        Some(key) => {
            let mut content = idempotency::ContentHash::default();
            content.part(
                "customer",
                customer.as_ref().map(|c| c.to_string()).unwrap_or_default().as_bytes(),
            );
            content.part("text", text.as_bytes());
            for a in &attachments {
                content.part("filename", a.filename.as_bytes());
                content.part("file", &a.content);
            }
            let claim = idempotency::claim(&state.app.pool, token.fingerprint(), key, &content.finish()).await?;
            if claim == idempotency::Claim::Conflict {
                return Err(ApiError::Conflict(format!(
                    "Idempotency-Key {key:?} was already used for a different request; \
                     use a new key for new content"
                )));
            }
            format!("{}:{key}", token.fingerprint())
        }
        None => Uuid::now_v7().to_string(),
    };
    let msg = InboundMessage {
        channel: ChannelKind::Http,
        external_id: request_id.clone(),
        thread: ThreadRef::Http { request_id },
        sender: Sender {
            address: customer.map(|c| c.to_string()).unwrap_or_else(|| "api".into()),
            display_name: None,
        },
        subject: None,
        text,
        html: None,
        attachments,
        raw: None,
        forwarded_by: None,
    };
    let stored = ingest::store(&state.app.pool, &msg, state.app.settings.workers.max_attempts)
        .await
        .map_err(|e| ApiError::Internal(e.into()))?;
    Ok((
        StatusCode::ACCEPTED,
        Json(json!({
            "id": stored.rfp_id,
            "status": "received",
            "duplicate": stored.duplicate,
            "status_url": format!("/api/rfps/{}", stored.rfp_id),
        })),
    ))
}

fn multipart_error(e: axum::extract::multipart::MultipartError) -> ApiError {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        ApiError::PayloadTooLarge("the upload is larger than the configured limit".into())
    } else {
        ApiError::BadRequest(format!("malformed multipart body: {}", e.body_text()))
    }
}

/// The request's status and, when done, its quotation (the JSON of `horme quote --json`).
pub async fn status(
    State(state): State<HttpState>,
    _token: ApiToken,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let id = Uuid::parse_str(&id).map_err(|_| ApiError::NotFound(format!("no request {id}")))?;
    let row = sqlx::query!(
        "select status, failure_reason, source_name, documents from rfps where id = $1",
        id
    )
    .fetch_optional(&state.app.pool)
    .await?
    .ok_or_else(|| ApiError::NotFound(format!("no request {id}")))?;
    let mut body = json!({
        "id": id,
        "status": row.status,
        "source": row.source_name,
        "failure_reason": row.failure_reason,
        // every attachment: read, or skipped with the reason (known once extraction ran)
        "documents": row.documents,
    });
    if row.status == "done"
        && let Some(q) = store::load_by_rfp(&state.app.pool, id).await?
    {
        body["quotation"] = serde_json::to_value(&q.view).map_err(|e| ApiError::Internal(e.into()))?;
        body["quotation_status"] = json!(q.status);
        body["pdf_url"] = json!(format!("/api/quotations/{}/pdf", q.number));
    }
    Ok(Json(body))
}
