//! Reading and writing quotations and their lines.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use super::numbering;
use crate::pipeline::customer::CustomerInfo;
use crate::pipeline::matching::MatchStatus;
use crate::pipeline::quotation::{ProductRef, Quotation, QuoteLine};
use crate::pipeline::requirements::Requirement;

/// A stored quotation with its lifecycle state.
#[derive(Debug, Clone)]
pub struct QuotationRecord {
    pub id: Uuid,
    pub number: String,
    pub status: String,
    pub rfp_id: Option<Uuid>,
    pub has_pdf: bool,
    pub view: Quotation,
}

/// Creates the draft quotation of a request, taking a number; when the pricing step runs
/// again for the same request (a retry after a crash), the existing draft is refreshed and
/// keeps its number.
pub async fn save_draft(
    conn: &mut PgConnection,
    rfp_id: Uuid,
    q: &Quotation,
    date: NaiveDate,
    valid_until: NaiveDate,
) -> Result<(Uuid, String), sqlx::Error> {
    let customer = serde_json::to_value(&q.customer).unwrap_or_default();
    let existing = sqlx::query!(
        "select id, number from quotations where rfp_id = $1 and revision = 1 for update",
        rfp_id
    )
    .fetch_optional(&mut *conn)
    .await?;
    let (id, number) = match existing {
        Some(row) => {
            sqlx::query!(
                r#"update quotations set customer = $2, currency = $3, subtotal = $4, tax_rate = $5,
                       tax = $6, total = $7, valid_until = $8, source = $9, pdf = null
                   where id = $1"#,
                row.id,
                customer,
                q.currency,
                q.subtotal,
                q.tax_rate,
                q.tax,
                q.total,
                valid_until,
                q.source
            )
            .execute(&mut *conn)
            .await?;
            sqlx::query!("delete from quotation_lines where quotation_id = $1", row.id)
                .execute(&mut *conn)
                .await?;
            (row.id, row.number)
        }
        None => {
            let number = numbering::next(&mut *conn, chrono::Datelike::year(&date)).await?;
            let id = Uuid::now_v7();
            sqlx::query!(
                r#"insert into quotations (id, number, base_number, revision, rfp_id, source, status,
                       customer, currency, subtotal, tax_rate, tax, total, valid_until, created_at)
                   values ($1, $2, $3, 1, $4, $5, 'draft', $6, $7, $8, $9, $10, $11, $12, $13)"#,
                id,
                number.to_string(),
                number.base(),
                rfp_id,
                q.source,
                customer,
                q.currency,
                q.subtotal,
                q.tax_rate,
                q.tax,
                q.total,
                valid_until,
                date.and_hms_opt(0, 0, 0)
                    .map(|d| d.and_utc())
                    .unwrap_or_else(chrono::Utc::now)
            )
            .execute(&mut *conn)
            .await?;
            (id, number.to_string())
        }
    };
    insert_lines(conn, id, &q.lines).await?;
    Ok((id, number))
}

/// Records which known customer (`customers`) the quotation was priced for.
pub async fn set_customer_id(conn: &mut PgConnection, id: Uuid, customer_id: Option<i64>) -> Result<(), sqlx::Error> {
    sqlx::query!("update quotations set customer_id = $2 where id = $1", id, customer_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// The known customer a quotation was priced for.
pub async fn customer_id(conn: &mut PgConnection, id: Uuid) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar!("select customer_id from quotations where id = $1", id)
        .fetch_optional(conn)
        .await
        .map(Option::flatten)
}

/// A revision about to be stored.
pub struct NewRevision<'a> {
    pub id: Uuid,
    pub number: &'a str,
    pub base_number: &'a str,
    pub revision: i32,
    pub rfp_id: Option<Uuid>,
    pub revised_from: Uuid,
    pub extra_discount_pct: Decimal,
    pub valid_until: NaiveDate,
}

/// Stores a revision (status `draft` until the lifecycle moves it) with its lines.
pub async fn insert_revision(conn: &mut PgConnection, r: NewRevision<'_>, q: &Quotation) -> Result<(), sqlx::Error> {
    let customer = serde_json::to_value(&q.customer).unwrap_or_default();
    sqlx::query!(
        r#"insert into quotations (id, number, base_number, revision, rfp_id, source, status, customer,
               currency, subtotal, tax_rate, tax, total, valid_until, extra_discount_pct, revised_from)
           values ($1, $2, $3, $4, $5, $6, 'draft', $7, $8, $9, $10, $11, $12, $13, $14, $15)"#,
        r.id,
        r.number,
        r.base_number,
        r.revision,
        r.rfp_id,
        q.source,
        customer,
        q.currency,
        q.subtotal,
        q.tax_rate,
        q.tax,
        q.total,
        r.valid_until,
        r.extra_discount_pct,
        r.revised_from
    )
    .execute(&mut *conn)
    .await?;
    insert_lines(conn, r.id, &q.lines).await
}

async fn insert_lines(conn: &mut PgConnection, id: Uuid, lines: &[QuoteLine]) -> Result<(), sqlx::Error> {
    let mut b = LineArrays::default();
    for l in lines {
        b.line_no.push(l.line as i32);
        b.description.push(l.requested.description.clone());
        b.quantity.push(l.requested.quantity);
        b.unit.push(l.requested.unit.clone());
        b.status.push(l.status.as_str().to_string());
        b.sku.push(l.matched.as_ref().map(|m| m.sku.clone()));
        b.name.push(l.matched.as_ref().map(|m| m.name.clone()));
        b.confidence.push(l.matched.as_ref().map(|m| m.confidence));
        b.alternatives
            .push(serde_json::to_string(&l.alternatives).unwrap_or_else(|_| "[]".into()));
        b.list_price.push(l.list_price);
        b.discount.push(l.discount_pct);
        b.unit_price.push(l.unit_price);
        b.line_total.push(l.line_total);
        b.lead.push(l.lead_time_days);
    }
    sqlx::query!(
        r#"
        insert into quotation_lines (quotation_id, line_no, description, quantity, unit, status, sku,
            product_name, confidence, alternatives, list_price, discount_pct, unit_price, line_total,
            lead_time_days)
        select $1, line_no, description, quantity, unit, status, sku, name, confidence,
               alternatives::jsonb, list_price, discount, unit_price, line_total, lead
        from unnest($2::int4[], $3::text[], $4::numeric[], $5::text[], $6::text[],
            $7::text[], $8::text[], $9::float8[], $10::text[], $11::numeric[], $12::numeric[],
            $13::numeric[], $14::numeric[], $15::int4[])
            as t(line_no, description, quantity, unit, status, sku, name, confidence, alternatives,
                 list_price, discount, unit_price, line_total, lead)
        "#,
        id,
        &b.line_no,
        &b.description,
        &b.quantity,
        &b.unit,
        &b.status,
        &b.sku as &[Option<String>],
        &b.name as &[Option<String>],
        &b.confidence as &[Option<f64>],
        &b.alternatives,
        &b.list_price as &[Option<Decimal>],
        &b.discount as &[Option<Decimal>],
        &b.unit_price as &[Option<Decimal>],
        &b.line_total as &[Option<Decimal>],
        &b.lead as &[Option<i32>],
    )
    .execute(conn)
    .await?;
    Ok(())
}

#[derive(Default)]
struct LineArrays {
    line_no: Vec<i32>,
    description: Vec<String>,
    quantity: Vec<Decimal>,
    unit: Vec<String>,
    status: Vec<String>,
    sku: Vec<Option<String>>,
    name: Vec<Option<String>>,
    confidence: Vec<Option<f64>>,
    alternatives: Vec<String>,
    list_price: Vec<Option<Decimal>>,
    discount: Vec<Option<Decimal>>,
    unit_price: Vec<Option<Decimal>>,
    line_total: Vec<Option<Decimal>>,
    lead: Vec<Option<i32>>,
}

pub async fn set_pdf(conn: &mut PgConnection, id: Uuid, pdf: &[u8]) -> Result<(), sqlx::Error> {
    sqlx::query!("update quotations set pdf = $2 where id = $1", id, pdf)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn pdf(pool: &PgPool, number: &str) -> Result<Option<Vec<u8>>, sqlx::Error> {
    Ok(
        sqlx::query_scalar!("select pdf from quotations where number = $1", number)
            .fetch_optional(pool)
            .await?
            .flatten(),
    )
}

/// A quotation's PDF as kept: its bytes, removed by the retention purge (when), or none yet.
pub enum StoredPdf {
    Bytes(Vec<u8>),
    Purged(chrono::DateTime<chrono::Utc>),
    None,
}

pub async fn pdf_or_purged(pool: &PgPool, number: &str) -> Result<StoredPdf, sqlx::Error> {
    type Row = (Option<Vec<u8>>, Option<chrono::DateTime<chrono::Utc>>);
    let row: Option<Row> = sqlx::query_as("select pdf, pdf_purged_at from quotations where number = $1")
        .bind(number)
        .fetch_optional(pool)
        .await?;
    Ok(match row {
        Some((Some(bytes), _)) if !bytes.is_empty() => StoredPdf::Bytes(bytes),
        Some((_, Some(on))) => StoredPdf::Purged(on),
        _ => StoredPdf::None,
    })
}

pub async fn load_by_number(pool: &PgPool, number: &str) -> Result<Option<QuotationRecord>, sqlx::Error> {
    let id = sqlx::query_scalar!("select id from quotations where number = $1", number)
        .fetch_optional(pool)
        .await?;
    match id {
        Some(id) => load(pool, id).await,
        None => Ok(None),
    }
}

/// The latest revision of the quotation made for a request.
pub async fn load_by_rfp(pool: &PgPool, rfp_id: Uuid) -> Result<Option<QuotationRecord>, sqlx::Error> {
    let id = sqlx::query_scalar!(
        "select id from quotations where rfp_id = $1 order by revision desc limit 1",
        rfp_id
    )
    .fetch_optional(pool)
    .await?;
    match id {
        Some(id) => load(pool, id).await,
        None => Ok(None),
    }
}

pub async fn load(pool: &PgPool, id: Uuid) -> Result<Option<QuotationRecord>, sqlx::Error> {
    let mut conn = pool.acquire().await?;
    load_in(&mut conn, id).await
}

/// [`load`] on a given connection (inside a transaction that holds the row).
pub async fn load_in(conn: &mut PgConnection, id: Uuid) -> Result<Option<QuotationRecord>, sqlx::Error> {
    let Some(h) = sqlx::query!(
        r#"select id, number, status, rfp_id, source, customer, currency, subtotal, tax_rate, tax,
                  total, valid_until, created_at, pdf is not null as "has_pdf!",
                  (select r.documents from rfps r where r.id = quotations.rfp_id) as documents
           from quotations where id = $1"#,
        id
    )
    .fetch_optional(&mut *conn)
    .await?
    else {
        return Ok(None);
    };
    let lines = sqlx::query!(
        r#"select line_no, description, quantity, unit, status, sku, product_name, confidence,
                  alternatives, list_price, discount_pct, unit_price, line_total, lead_time_days
           from quotation_lines where quotation_id = $1 order by line_no"#,
        id
    )
    .fetch_all(&mut *conn)
    .await?;
    let lines = lines
        .into_iter()
        .map(|l| QuoteLine {
            line: l.line_no as u32,
            requested: Requirement {
                description: l.description,
                quantity: l.quantity.normalize(),
                unit: l.unit,
            },
            matched: match (l.sku, l.product_name) {
                (Some(sku), Some(name)) => Some(ProductRef {
                    sku,
                    name,
                    confidence: l.confidence.unwrap_or(0.0),
                }),
                _ => None,
            },
            alternatives: serde_json::from_value(l.alternatives).unwrap_or_default(),
            status: MatchStatus::parse(&l.status).unwrap_or(MatchStatus::NeedsReview),
            list_price: l.list_price.map(|p| p.normalize()),
            discount_pct: l.discount_pct.map(|d| d.normalize()),
            unit_price: l.unit_price,
            line_total: l.line_total,
            lead_time_days: l.lead_time_days,
        })
        .collect();
    let view = Quotation {
        number: Some(h.number.clone()),
        source: h.source,
        customer: serde_json::from_value::<CustomerInfo>(h.customer).unwrap_or_default(),
        lines,
        subtotal: h.subtotal,
        tax_rate: h.tax_rate.normalize(),
        tax: h.tax,
        total: h.total,
        currency: h.currency,
        date: Some(h.created_at.date_naive()),
        valid_until: Some(h.valid_until),
        documents: h
            .documents
            .and_then(|d| serde_json::from_value(d).ok())
            .unwrap_or_default(),
    };
    Ok(Some(QuotationRecord {
        id: h.id,
        number: h.number,
        status: h.status,
        rfp_id: h.rfp_id,
        has_pdf: h.has_pdf,
        view,
    }))
}
