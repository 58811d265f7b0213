//! Which bytes are old enough to purge: the SQL of "settled".
//!
//! A request is **settled** when it is `done` or `failed`, no job of it is queued or running,
//! no reply of it waits in the outbox, and none of its quotations is open (`draft`,
//! `pending_approval`, `approved`, `sent`; expiry runs before the purge). It settled when its
//! last quotation closed (or was created, for one that never closed); a request without a
//! quotation, when its message arrived. A message belongs to its own request and to the
//! request or quotation a reply was linked to (`mail_inbound`); it may go when all of those
//! are settled and the latest of them (and its own arrival) lies before the cut-off.

use chrono::{DateTime, Utc};
use sqlx::PgConnection;
use uuid::Uuid;

use super::Kind;

const OPEN: &str = "('draft', 'pending_approval', 'approved', 'sent')";

/// Settled requests with the time they settled (null: no quotation).
fn settled() -> String {
    format!(
        r#"settled as (
            select r.id, max(coalesce(q.closed_at, q.created_at)) as settled_at
            from rfps r left join quotations q on q.rfp_id = r.id
            where r.status in ('done', 'failed')
              and not exists (select 1 from jobs j where j.rfp_id = r.id and j.status in ('queued', 'running'))
              and not exists (select 1 from outbox o where o.rfp_id = r.id and o.status in ('pending', 'sending'))
              and not exists (select 1 from outbox o join quotations oq on oq.id = o.quotation_id
                              where oq.rfp_id = r.id and o.status in ('pending', 'sending'))
            group by r.id
            having bool_and(q.id is null or q.status not in {OPEN})
        )"#
    )
}

/// Messages whose requests (and linked quotation) are all settled, with when the last of
/// them settled.
fn messages() -> String {
    format!(
        r#"messages as (
            select m.id,
                   greatest(m.received_at, s1.settled_at, s2.settled_at,
                            coalesce(iq.closed_at, iq.created_at), s3.settled_at) as settled_at
            from inbound_messages m
            left join rfps r on r.inbound_message_id = m.id
            left join settled s1 on s1.id = r.id
            left join mail_inbound i on i.inbound_message_id = m.id
            left join settled s2 on s2.id = i.rfp_id
            left join quotations iq on iq.id = i.quotation_id
            left join settled s3 on s3.id = iq.rfp_id
            -- settled_at is never before received_at: later messages cannot qualify
            where m.received_at < $1
              and (r.id is null or s1.id is not null)
              and (i.rfp_id is null or s2.id is not null)
              and (iq.id is null or (iq.status not in {OPEN} and (iq.rfp_id is null or s3.id is not null)))
        )"#
    )
}

/// The query listing the purgeable items of `kind`: (id, bytes, settled at, label), oldest
/// first; `$1` is the cut-off, `$2` the most rows to return.
fn query(kind: Kind) -> String {
    let (settled, messages) = (settled(), messages());
    match kind {
        Kind::RawMail => format!(
            r#"with {settled}, {messages}
               select m.id, octet_length(m.raw)::int8, x.settled_at,
                      m.channel || ' message received ' || to_char(m.received_at at time zone 'UTC', 'YYYY-MM-DD')
               from messages x join inbound_messages m on m.id = x.id
               where m.raw is not null and x.settled_at < $1
               order by x.settled_at, m.id limit $2"#
        ),
        Kind::Document => format!(
            r#"with {settled}, {messages}
               select d.id, octet_length(d.content)::int8, x.settled_at, d.filename
               from messages x join documents d on d.inbound_message_id = x.id
               where d.purged_at is null and x.settled_at < $1
               order by x.settled_at, d.id limit $2"#
        ),
        Kind::RenderedPdf => format!(
            r#"with {settled}, pdfs as (
                   select q.id, q.number, octet_length(q.pdf)::int8 as bytes,
                          greatest(coalesce(q.closed_at, q.created_at), s.settled_at) as settled_at
                   from quotations q left join settled s on s.id = q.rfp_id
                   where q.pdf is not null and q.status not in {OPEN}
                     and coalesce(q.closed_at, q.created_at) < $1
                     and (q.rfp_id is null or s.id is not null)
                     and not exists (select 1 from outbox o where o.quotation_id = q.id
                                     and o.status in ('pending', 'sending'))
               )
               select id, bytes, settled_at, number from pdfs
               where settled_at < $1
               order by settled_at, id limit $2"#
        ),
    }
}

/// One item the purge may take.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub id: Uuid,
    pub bytes: i64,
    pub settled_at: DateTime<Utc>,
    /// What an operator recognises it by: the channel and day of a message, a document's
    /// file name, a quotation number.
    pub label: String,
}

/// The purgeable items of `kind` settled before `cutoff`, oldest first, at most `limit`.
pub async fn list(
    conn: &mut PgConnection,
    kind: Kind,
    cutoff: DateTime<Utc>,
    limit: i64,
) -> Result<Vec<Candidate>, sqlx::Error> {
    // built from the constants above only: nothing from outside goes into the text
    let sql = sqlx::AssertSqlSafe(query(kind));
    let rows: Vec<(Uuid, Option<i64>, DateTime<Utc>, String)> =
        sqlx::query_as(sql).bind(cutoff).bind(limit).fetch_all(conn).await?;
    Ok(rows
        .into_iter()
        .map(|(id, bytes, settled_at, label)| Candidate {
            id,
            bytes: bytes.unwrap_or(0),
            settled_at,
            label,
        })
        .collect())
}
