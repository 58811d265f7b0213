//! `horme customers forget EMAIL`: erases a person's data and keeps what accounting needs.
//!
//! Erased: the customer record keyed by their address (with its contract prices and
//! corrections), their messages' senders, names, subjects, bodies and raw bytes, the
//! documents (rows and bytes), the customer block and file names of their requests, the
//! replies' texts and addresses, the quotations' customer block and PDF, and their address
//! and chat identities wherever the audit log and the job queue name them; chat access
//! granted to those identities is revoked. Kept: the rows of requests, the requested lines,
//! the quotations with number, status, lines and totals (anonymised, numbering untouched),
//! and the audit history without the person. One transaction; audited under a random
//! erasure reference, without any personal data.
//!
//! Refused while anything of theirs is in progress (a request being processed, a job, a
//! reply waiting to be sent) or a quotation is still open: erasing under a running pipeline
//! or an open offer would leave either broken.

use serde_json::{Value, json};
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use super::PrivacyError;
use super::subject::{self, Subject};
use crate::audit;

/// What stands in for erased text.
pub const ERASED: &str = "[forgotten]";

#[derive(Debug, Clone)]
pub struct ForgetReport {
    /// The audit log's reference for this erasure (no personal data in it).
    pub reference: Uuid,
    pub messages: usize,
    pub documents: u64,
    pub requests: usize,
    /// The anonymised quotations' numbers.
    pub quotations: Vec<String>,
    pub replies: usize,
    pub chat_identities: usize,
    pub customer_record_deleted: bool,
    pub chat_access_revoked: u64,
}

/// What is stored about `email` (lower-case) and what stands in the way of erasing it.
pub async fn preview(pool: &PgPool, email: &str) -> Result<(Subject, Vec<String>), PrivacyError> {
    let mut conn = pool.acquire().await?;
    let s = subject::find(&mut conn, email).await?;
    let blockers = blockers(&mut conn, &s).await?;
    Ok((s, blockers))
}

/// Erases everything stored about `email` (lower-case), in one transaction.
#[tracing::instrument(skip_all)]
pub async fn forget(pool: &PgPool, email: &str, actor: &str) -> Result<ForgetReport, PrivacyError> {
    let mut tx = pool.begin().await?;
    let s = subject::find(&mut tx, email).await?;
    if s.is_empty() {
        return Err(PrivacyError::NothingStored(email.to_string()));
    }
    // hold the requests and quotations: nothing may start on them meanwhile
    sqlx::query("select 1 from rfps where id = any($1) for update")
        .bind(&s.requests)
        .execute(&mut *tx)
        .await?;
    sqlx::query("select 1 from quotations where id = any($1) for update")
        .bind(&s.quotations)
        .execute(&mut *tx)
        .await?;
    let blockers = blockers(&mut tx, &s).await?;
    if !blockers.is_empty() {
        return Err(PrivacyError::Busy(blockers));
    }
    let identities = s.identities();
    let filenames: Vec<String> = sqlx::query_scalar(
        "select distinct filename from documents where inbound_message_id = any($1) and length(filename) >= 3",
    )
    .bind(&s.messages)
    .fetch_all(&mut *tx)
    .await?;

    let documents = sqlx::query("delete from documents where inbound_message_id = any($1)")
        .bind(&s.messages)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    sqlx::query(
        r#"update inbound_messages set sender = $2, sender_name = null, subject = null, body_text = '',
               body_html = null, raw = null, thread = jsonb_build_object('kind', thread->'kind', 'forgotten', true),
               forgotten_at = now()
           where id = any($1)"#,
    )
    .bind(&s.messages)
    .bind(ERASED)
    .execute(&mut *tx)
    .await?;
    erase_requests(&mut tx, &s.requests, &identities, &filenames).await?;
    let quotations: Vec<String> = sqlx::query_scalar(
        r#"update quotations set customer = '{}', customer_id = null, pdf = null, source = $2,
               reason = case when lower(decided_by) = any($3) then null else reason end,
               decided_by = case when lower(decided_by) = any($3) then $2 else decided_by end,
               forgotten_at = now()
           where id = any($1) returning number"#,
    )
    .bind(&s.quotations)
    .bind(ERASED)
    .bind(&identities)
    .fetch_all(&mut *tx)
    .await?;
    sqlx::query(
        r#"update outbox set subject = null, body = $2, recipient = null, buttons = '[]', last_error = null,
               thread = jsonb_build_object('kind', thread->'kind', 'forgotten', true)
           where id = any($1)"#,
    )
    .bind(&s.replies)
    .bind(ERASED)
    .execute(&mut *tx)
    .await?;
    for identity in &identities {
        scrub_free_text(&mut tx, &s.messages, identity).await?;
    }
    let chat_access_revoked =
        sqlx::query("delete from chat_access where scope = 'user' and lower(channel || ':' || subject_id) = any($1)")
            .bind(&identities)
            .execute(&mut *tx)
            .await?
            .rows_affected();
    let customer_record_deleted = match &s.customer {
        Some(c) => {
            sqlx::query("update quotations set customer_id = null where customer_id = $1")
                .bind(c.id)
                .execute(&mut *tx)
                .await?;
            sqlx::query("delete from customers where id = $1")
                .bind(c.id)
                .execute(&mut *tx)
                .await?;
            true
        }
        None => false,
    };

    let report = ForgetReport {
        reference: Uuid::new_v4(),
        messages: s.messages.len(),
        documents,
        requests: s.requests.len(),
        quotations,
        replies: s.replies.len(),
        chat_identities: s.chat_identities.len(),
        customer_record_deleted,
        chat_access_revoked,
    };
    record(&mut tx, &report, actor).await?;
    tx.commit().await?;
    tracing::info!(reference = %report.reference, "personal data erased");
    Ok(report)
}

/// Requests in progress, jobs, replies waiting, open quotations: each in words.
async fn blockers(conn: &mut PgConnection, s: &Subject) -> Result<Vec<String>, sqlx::Error> {
    let mut out: Vec<String> = sqlx::query_scalar(
        r#"select 'request ' || id || ' is ' || status || ' (still being processed)' from rfps
           where id = any($1) and status not in ('done', 'failed')
           union all
           select 'a ' || kind || ' job of request ' || rfp_id || ' is ' || status from jobs
           where rfp_id = any($1) and status in ('queued', 'running')
           union all
           select 'a ' || kind || ' reply is still to be sent (' || status || ')' from outbox
           where id = any($2) and status in ('pending', 'sending')"#,
    )
    .bind(&s.requests)
    .bind(&s.replies)
    .fetch_all(&mut *conn)
    .await?;
    let open: Vec<(String, String)> = sqlx::query_as(
        r#"select number, status from quotations
           where id = any($1) and status in ('draft', 'pending_approval', 'approved', 'sent')
           order by number"#,
    )
    .bind(&s.quotations)
    .fetch_all(&mut *conn)
    .await?;
    out.extend(open.into_iter().map(|(number, status)| {
        let how = match status.as_str() {
            "pending_approval" | "sent" => {
                format!("close it first: horme quotation reject {number} --by APPROVER --reason \"data erasure\"")
            }
            "approved" => "it expires on its validity date, or send it and record the decline".to_string(),
            _ => "its request is still being processed".to_string(),
        };
        format!("quotation {number} is open ({status}): {how}")
    }));
    Ok(out)
}

/// Customer block, source name and document names of the requests; file names and
/// addresses in their failure reasons.
async fn erase_requests(
    conn: &mut PgConnection,
    ids: &[Uuid],
    identities: &[String],
    filenames: &[String],
) -> Result<(), sqlx::Error> {
    let rows: Vec<(Uuid, Option<String>, Value)> =
        sqlx::query_as("select id, failure_reason, documents from rfps where id = any($1)")
            .bind(ids)
            .fetch_all(&mut *conn)
            .await?;
    let scrub = |text: &str| {
        let mut t = text.to_string();
        for f in filenames {
            t = t.replace(f.as_str(), ERASED);
        }
        for i in identities {
            t = replace_ignoring_case(&t, i, ERASED);
        }
        t
    };
    for (id, reason, documents) in rows {
        let documents: Vec<Value> = match documents {
            Value::Array(items) => items
                .into_iter()
                .map(|mut d| {
                    if let Some(o) = d.as_object_mut() {
                        o.insert("name".into(), json!(ERASED));
                        if let Some(Value::String(r)) = o.get("reason").cloned() {
                            o.insert("reason".into(), json!(scrub(&r)));
                        }
                    }
                    d
                })
                .collect(),
            _ => Vec::new(),
        };
        sqlx::query(
            r#"update rfps set customer = '{}', source_name = $2, failure_reason = $3, documents = $4,
                   forgotten_at = now()
               where id = $1"#,
        )
        .bind(id)
        .bind(ERASED)
        .bind(reason.as_deref().map(scrub))
        .bind(Value::Array(documents))
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// The identity (an address or chat identity) out of free-form columns: audit actors,
/// subjects and details (a chat name beside a chat identity goes too), job payloads and
/// errors, mail classification reasons.
async fn scrub_free_text(conn: &mut PgConnection, messages: &[Uuid], identity: &str) -> Result<(), sqlx::Error> {
    let pattern = identity_pattern(identity);
    sqlx::query(
        r#"update audit_log set
               detail = case when actor ~* $1 then detail - 'name' else detail end,
               actor = regexp_replace(actor, $1, $2, 'gi'),
               entity_id = regexp_replace(entity_id, $1, $2, 'gi')
           where actor ~* $1 or entity_id ~* $1"#,
    )
    .bind(&pattern)
    .bind(ERASED)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        r#"update audit_log set detail = regexp_replace(detail::text, $1, $2, 'gi')::jsonb
           where detail::text ~* $1"#,
    )
    .bind(&pattern)
    .bind(ERASED)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        r#"update jobs set payload = regexp_replace(payload::text, $1, $2, 'gi')::jsonb,
               last_error = regexp_replace(last_error, $1, $2, 'gi')
           where payload::text ~* $1 or last_error ~* $1"#,
    )
    .bind(&pattern)
    .bind(ERASED)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        r#"update mail_inbound set reason = regexp_replace(reason, $1, $2, 'gi')
           where inbound_message_id = any($3) and reason ~* $1"#,
    )
    .bind(&pattern)
    .bind(ERASED)
    .bind(messages)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// A PostgreSQL regular expression matching `identity` as a whole token: `a@b.com` does not
/// match inside `aa@b.com` or `a@b.com.sg`, `telegram:12` not inside `telegram:123`.
pub fn identity_pattern(identity: &str) -> String {
    format!(
        r"(?<![A-Za-z0-9._%+-]){}(?![A-Za-z0-9_-]|\.[A-Za-z0-9])",
        regex::escape(identity)
    )
}

fn replace_ignoring_case(text: &str, needle: &str, with: &str) -> String {
    match regex::RegexBuilder::new(&regex::escape(needle))
        .case_insensitive(true)
        .build()
    {
        Ok(re) => re.replace_all(text, with).into_owned(),
        Err(_) => text.to_string(),
    }
}

async fn record(conn: &mut PgConnection, r: &ForgetReport, actor: &str) -> Result<(), sqlx::Error> {
    audit::record(
        conn,
        audit::Entry {
            entity: "customer",
            entity_id: &format!("erasure-{}", r.reference),
            action: "forgotten",
            actor,
            channel: "cli",
            detail: json!({
                "messages": r.messages,
                "documents": r.documents,
                "requests": r.requests,
                "quotations_anonymised": r.quotations,
                "replies": r.replies,
                "chat_identities": r.chat_identities,
                "customer_record_deleted": r.customer_record_deleted,
                "chat_access_revoked": r.chat_access_revoked,
            }),
        },
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identities_are_replaced_whatever_their_case() {
        assert_eq!(
            replace_ignoring_case("from A.B@Acme.test: x", "a.b@acme.test", ERASED),
            "from [forgotten]: x"
        );
        assert_eq!(replace_ignoring_case("a+b@x.test", "a+b@x.test", "-"), "-");
    }

    #[test]
    fn identity_patterns_escape_the_address() {
        // matched by PostgreSQL (lookbehind/lookahead); tests/customer_privacy.rs runs it
        let p = identity_pattern("a.b+c@acme.test");
        assert!(p.contains(r"a\.b\+c@acme\.test"), "{p}");
        assert!(p.starts_with("(?<!"));
    }
}
