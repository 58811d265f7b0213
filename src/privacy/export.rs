//! `horme customers export EMAIL`: everything stored about a person as one JSON document —
//! their customer record, messages (with attachments' names and checksums; with
//! `with_content` the raw messages, documents and PDFs themselves, base64), requests with
//! the lines read from them, quotations with lines and history, and the replies sent.

use base64::Engine;
use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::Serialize;
use sqlx::PgConnection;
use uuid::Uuid;

use super::subject::{self, Subject};

#[derive(Debug, Serialize)]
pub struct Export {
    pub email: String,
    pub exported_at: DateTime<Utc>,
    pub customer: Option<CustomerOut>,
    pub chat_identities: Vec<String>,
    pub messages: Vec<MessageOut>,
    pub requests: Vec<RequestOut>,
    pub quotations: Vec<QuotationOut>,
    pub replies: Vec<ReplyOut>,
}

#[derive(Debug, Serialize)]
pub struct CustomerOut {
    pub name: String,
    pub email: Option<String>,
    pub discount_pct: Decimal,
}

#[derive(Debug, Serialize, sqlx::FromRow)]
pub struct MessageOut {
    pub id: Uuid,
    pub channel: String,
    pub received_at: DateTime<Utc>,
    pub sender: String,
    pub sender_name: Option<String>,
    pub subject: Option<String>,
    pub body_text: String,
    pub body_html: Option<String>,
    pub raw_bytes: Option<i64>,
    pub raw_purged_at: Option<DateTime<Utc>>,
    #[serde(skip)]
    pub raw: Option<Vec<u8>>,
    #[sqlx(skip)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub raw_base64: Option<String>,
    #[sqlx(skip)]
    pub documents: Vec<DocumentOut>,
}

#[derive(Debug, Serialize, sqlx::FromRow)]
pub struct DocumentOut {
    #[serde(skip)]
    pub inbound_message_id: Uuid,
    pub filename: String,
    pub media_type: String,
    pub size_bytes: i64,
    pub sha256: String,
    pub purged_at: Option<DateTime<Utc>>,
    #[serde(skip)]
    pub content: Option<Vec<u8>>,
    #[sqlx(skip)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub content_base64: Option<String>,
}

#[derive(Debug, Serialize, sqlx::FromRow)]
pub struct RequestOut {
    pub id: Uuid,
    pub status: String,
    pub failure_reason: Option<String>,
    pub source_name: String,
    pub customer: serde_json::Value,
    pub documents: serde_json::Value,
    pub created_at: DateTime<Utc>,
    #[sqlx(skip)]
    pub lines: Vec<RequirementOut>,
}

#[derive(Debug, Serialize, sqlx::FromRow)]
pub struct RequirementOut {
    #[serde(skip)]
    pub rfp_id: Uuid,
    pub line_no: i32,
    pub description: String,
    pub quantity: Decimal,
    pub unit: String,
    pub match_status: Option<String>,
    pub matched_sku: Option<String>,
}

#[derive(Debug, Serialize, sqlx::FromRow)]
pub struct QuotationOut {
    #[serde(skip)]
    pub id: Uuid,
    pub number: String,
    pub revision: i32,
    pub status: String,
    pub created_at: DateTime<Utc>,
    pub valid_until: NaiveDate,
    pub customer: serde_json::Value,
    pub currency: String,
    pub subtotal: Decimal,
    pub tax_rate: Decimal,
    pub tax: Decimal,
    pub total: Decimal,
    pub decided_at: Option<DateTime<Utc>>,
    pub sent_at: Option<DateTime<Utc>>,
    pub closed_at: Option<DateTime<Utc>>,
    pub has_pdf: bool,
    #[serde(skip)]
    pub pdf: Option<Vec<u8>>,
    #[sqlx(skip)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pdf_base64: Option<String>,
    #[sqlx(skip)]
    pub lines: Vec<QuotationLineOut>,
    #[sqlx(skip)]
    pub history: Vec<HistoryOut>,
}

#[derive(Debug, Serialize, sqlx::FromRow)]
pub struct QuotationLineOut {
    #[serde(skip)]
    pub quotation_id: Uuid,
    pub line_no: i32,
    pub description: String,
    pub quantity: Decimal,
    pub unit: String,
    pub status: String,
    pub sku: Option<String>,
    pub product_name: Option<String>,
    pub list_price: Option<Decimal>,
    pub discount_pct: Option<Decimal>,
    pub unit_price: Option<Decimal>,
    pub line_total: Option<Decimal>,
}

#[derive(Debug, Serialize, sqlx::FromRow)]
pub struct HistoryOut {
    #[serde(skip)]
    pub entity_id: String,
    pub at: DateTime<Utc>,
    pub action: String,
    pub actor: String,
    pub channel: String,
}

#[derive(Debug, Serialize, sqlx::FromRow)]
pub struct ReplyOut {
    pub channel: String,
    pub kind: String,
    pub subject: Option<String>,
    pub body: String,
    pub status: String,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
}

fn b64(bytes: Option<Vec<u8>>) -> Option<String> {
    bytes.map(|b| base64::engine::general_purpose::STANDARD.encode(b))
}

/// Everything stored about `email` (lower-case). With `with_content`, the bytes too.
pub async fn export(conn: &mut PgConnection, email: &str, with_content: bool) -> Result<Export, sqlx::Error> {
    let s: Subject = subject::find(&mut *conn, email).await?;
    let mut messages: Vec<MessageOut> = sqlx::query_as(
        r#"select id, channel, received_at, sender, sender_name, subject, body_text, body_html,
                  octet_length(raw)::int8 as raw_bytes, raw_purged_at,
                  case when $2 then raw end as raw
           from inbound_messages where id = any($1) order by received_at, id"#,
    )
    .bind(&s.messages)
    .bind(with_content)
    .fetch_all(&mut *conn)
    .await?;
    let mut documents: Vec<DocumentOut> = sqlx::query_as(
        r#"select inbound_message_id, filename, media_type, size_bytes, encode(sha256, 'hex') as sha256,
                  purged_at, case when $2 and purged_at is null then content end as content
           from documents where inbound_message_id = any($1) order by inbound_message_id, ordinal"#,
    )
    .bind(&s.messages)
    .bind(with_content)
    .fetch_all(&mut *conn)
    .await?;
    for d in &mut documents {
        d.content_base64 = b64(d.content.take());
    }
    for m in &mut messages {
        m.raw_base64 = b64(m.raw.take());
        let (mine, rest): (Vec<_>, Vec<_>) = documents.into_iter().partition(|d| d.inbound_message_id == m.id);
        m.documents = mine;
        documents = rest;
    }

    let mut requests: Vec<RequestOut> = sqlx::query_as(
        r#"select id, status, failure_reason, source_name, customer, documents, created_at
           from rfps where id = any($1) order by created_at, id"#,
    )
    .bind(&s.requests)
    .fetch_all(&mut *conn)
    .await?;
    let mut lines: Vec<RequirementOut> = sqlx::query_as(
        r#"select rfp_id, line_no, description, quantity, unit, match_status, matched_sku
           from requirement_lines where rfp_id = any($1) order by rfp_id, line_no"#,
    )
    .bind(&s.requests)
    .fetch_all(&mut *conn)
    .await?;
    for r in &mut requests {
        let (mine, rest): (Vec<_>, Vec<_>) = lines.into_iter().partition(|l| l.rfp_id == r.id);
        r.lines = mine;
        lines = rest;
    }

    let quotations = quotations(&mut *conn, &s.quotations, with_content).await?;
    let replies: Vec<ReplyOut> = sqlx::query_as(
        r#"select channel, kind, subject, body, status, created_at, sent_at
           from outbox where id = any($1) order by created_at, id"#,
    )
    .bind(&s.replies)
    .fetch_all(&mut *conn)
    .await?;
    Ok(Export {
        email: s.email.clone(),
        exported_at: Utc::now(),
        customer: s.customer.map(|c| CustomerOut {
            name: c.name,
            email: c.email,
            discount_pct: c.discount_pct.normalize(),
        }),
        chat_identities: s.chat_identities,
        messages,
        requests,
        quotations,
        replies,
    })
}

async fn quotations(
    conn: &mut PgConnection,
    ids: &[Uuid],
    with_content: bool,
) -> Result<Vec<QuotationOut>, sqlx::Error> {
    let mut out: Vec<QuotationOut> = sqlx::query_as(
        r#"select id, number, revision, status, created_at, valid_until, customer, currency, subtotal,
                  tax_rate, tax, total, decided_at, sent_at, closed_at, pdf is not null as has_pdf,
                  case when $2 then pdf end as pdf
           from quotations where id = any($1) order by base_number, revision"#,
    )
    .bind(ids)
    .bind(with_content)
    .fetch_all(&mut *conn)
    .await?;
    let mut lines: Vec<QuotationLineOut> = sqlx::query_as(
        r#"select quotation_id, line_no, description, quantity, unit, status, sku, product_name,
                  list_price, discount_pct, unit_price, line_total
           from quotation_lines where quotation_id = any($1) order by quotation_id, line_no"#,
    )
    .bind(ids)
    .fetch_all(&mut *conn)
    .await?;
    let numbers: Vec<String> = out.iter().map(|q| q.number.clone()).collect();
    let mut history: Vec<HistoryOut> = sqlx::query_as(
        r#"select entity_id, created_at as at, action, actor, channel from audit_log
           where entity = 'quotation' and entity_id = any($1) order by id"#,
    )
    .bind(&numbers)
    .fetch_all(&mut *conn)
    .await?;
    for q in &mut out {
        q.pdf_base64 = b64(q.pdf.take());
        let (mine, rest): (Vec<_>, Vec<_>) = lines.into_iter().partition(|l| l.quotation_id == q.id);
        q.lines = mine;
        lines = rest;
        let (mine, rest): (Vec<_>, Vec<_>) = history.into_iter().partition(|h| h.entity_id == q.number);
        q.history = mine;
        history = rest;
    }
    Ok(out)
}
