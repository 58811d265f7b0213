//! What the mail channel does on quotation lifecycle events (`quotation.event` jobs) for
//! quotations whose request came by mail: the draft with its PDF to the approvers when it
//! waits for approval (and again as a reminder); the quotation with its PDF to the customer,
//! in the customer's original thread, once approved; a notice to sales and a thank-you to the
//! customer on acceptance; a polite notice if the quotation could not be produced.

use sqlx::PgConnection;

use super::jobs::customer_thread;
use super::replies::{self, Queued, ToCustomer, ToStaff};
use super::threading::Token;
use crate::pipeline::matching::MatchStatus;
use crate::quotations::events::{Event, EventPayload};
use crate::quotations::store;
use crate::startup::App;

/// What an event's replies are about: the quotation and the customer's mail thread.
pub struct Subject {
    q: store::QuotationRecord,
    customer: replies::CustomerThread,
}

/// Reads what the replies need, before the job's transaction (so that no connection is held
/// while another is taken from the pool). `None`: nothing to do by mail.
pub async fn prepare(app: &App, e: &EventPayload) -> Result<Option<Subject>, sqlx::Error> {
    if !app.settings.mail.enabled {
        return Ok(None);
    }
    let Some(q) = store::load(&app.pool, e.quotation_id).await? else {
        return Ok(None);
    };
    let customer = match q.rfp_id {
        Some(rfp) => customer_thread(app, rfp).await?,
        None => None,
    };
    // not a mail request: its own channel answers
    Ok(customer.map(|customer| Subject { q, customer }))
}

/// Writes the replies an event calls for, in the event job's transaction.
pub async fn on_event(
    conn: &mut PgConnection,
    app: &App,
    e: &EventPayload,
    subject: Subject,
    job_id: i64,
) -> Result<(), sqlx::Error> {
    let Subject { q, customer } = subject;
    let person = !e.actor.starts_with("system:");
    match e.event {
        Event::PendingApproval | Event::ApprovalReminder => {
            let occurrence = if e.event == Event::ApprovalReminder {
                format!(":reminder:{job_id}")
            } else {
                String::new()
            };
            let vars = quotation_vars(app, &customer, &q);
            let approval_token = super::approvals::approval_token(conn, q.id).await?;
            for to in super::approval_recipients(conn, app).await? {
                replies::to_staff(
                    conn,
                    app,
                    ToStaff {
                        key: format!("email:approval_request:{}:{to}{occurrence}", q.id),
                        to,
                        kind: "approval_request",
                        template: "approval_request.txt",
                        vars: vars.clone(),
                        token: Token::Quotation(q.number.clone()),
                        quotation_id: Some(q.id),
                        rfp_id: q.rfp_id,
                        attach_pdf: true,
                        parent: None,
                        approval_token: Some(approval_token.clone()),
                    },
                )
                .await?;
            }
        }
        Event::Approved => {
            send_quotation(conn, app, &customer, &q).await?;
            if person {
                let detail = match e.detail.get("revised_from").and_then(|v| v.as_str()) {
                    Some(from) => format!("It replaces {from}; the customer gets this revision."),
                    None => "It goes to the customer now.".into(),
                };
                decision(conn, app, &q.number, "approved", &e.actor, &detail, "approved").await?;
            }
        }
        Event::Rejected => {
            let reason = e
                .detail
                .get("reason")
                .and_then(|v| v.as_str())
                .unwrap_or("no reason given");
            let who = if customer.sender.eq_ignore_ascii_case(&e.actor) {
                "rejected by the customer"
            } else {
                "rejected"
            };
            decision(
                conn,
                app,
                &q.number,
                who,
                &e.actor,
                &format!("Reason: {reason}"),
                "rejected",
            )
            .await?;
        }
        Event::Accepted => {
            let vars = quotation_vars(app, &customer, &q);
            for to in replies::sales_recipients(conn, app).await? {
                let parent = draft_thread(conn, &q.number, &to).await?;
                replies::to_staff(
                    conn,
                    app,
                    ToStaff {
                        key: format!("email:accepted_sales:{}:{to}", q.id),
                        to,
                        kind: "accepted_sales",
                        template: "accepted_sales.txt",
                        vars: vars.clone(),
                        token: Token::Quotation(q.number.clone()),
                        quotation_id: Some(q.id),
                        rfp_id: q.rfp_id,
                        attach_pdf: false,
                        parent,
                        approval_token: None,
                    },
                )
                .await?;
            }
            let mut vars = replies::customer_vars(app, &customer);
            vars.push(("number", q.number.clone()));
            replies::to_customer(
                conn,
                app,
                &customer,
                ToCustomer {
                    kind: "accepted",
                    template: "accepted_customer.txt",
                    vars,
                    token: Token::Quotation(q.number.clone()),
                    key_suffix: format!(":{}", q.id),
                    quotation_id: Some(q.id),
                    attach_pdf: false,
                    automatic: false,
                },
            )
            .await?;
        }
        Event::Failed => {
            replies::to_customer(
                conn,
                app,
                &customer,
                ToCustomer {
                    kind: "processing_failed",
                    template: "processing_failed.txt",
                    vars: replies::customer_vars(app, &customer),
                    token: Token::Quotation(q.number.clone()),
                    key_suffix: format!(":{}", q.id),
                    quotation_id: Some(q.id),
                    attach_pdf: false,
                    automatic: true,
                },
            )
            .await?;
        }
        Event::Sent | Event::Expired => {}
    }
    Ok(())
}

/// Queues the quotation with its PDF into the customer's thread.
pub async fn send_quotation(
    conn: &mut PgConnection,
    app: &App,
    customer: &replies::CustomerThread,
    q: &store::QuotationRecord,
) -> Result<Queued, sqlx::Error> {
    let vars = quotation_vars(app, customer, q);
    replies::to_customer(
        conn,
        app,
        customer,
        ToCustomer {
            kind: "quotation",
            template: "quotation.txt",
            vars,
            token: Token::Quotation(q.number.clone()),
            key_suffix: format!(":{}", q.id),
            quotation_id: Some(q.id),
            attach_pdf: true,
            automatic: false,
        },
    )
    .await
}

/// Placeholders about a quotation. A customer the mail did not name is greeted by the contact
/// their document names ("Attn: Ravi Kumar"); the customer is shown by company, else contact,
/// else address.
fn approvals_vars(app: &App, q: &store::QuotationRecord) -> Vec<(&'static str, String)> {
    let v = &q.view;
    let given = |s: &Option<String>| s.clone().filter(|s| !s.trim().is_empty());
    let mut vars = Vec::new();
    if let Some(contact) = given(&v.customer.contact) {
        vars.push(("contact", contact));
    }
    vars.extend([
        ("number", q.number.clone()),
        ("currency", v.currency.clone()),
        ("total", crate::domain::format_amount(v.total)),
        ("tax_label", app.settings.pricing.tax_label.clone()),
        (
            "valid_until",
            v.valid_until
                .map(|d| d.format("%-d %B %Y").to_string())
                .unwrap_or_default(),
        ),
        ("summary", summary(q)),
        ("skipped", crate::pipeline::sources::skipped_lines(&v.documents)),
        (
            "customer",
            given(&v.customer.company)
                .or_else(|| given(&v.customer.contact))
                .or_else(|| given(&v.customer.email))
                .unwrap_or_else(|| "the customer".into()),
        ),
    ]);
    vars
}

/// Customer and quotation placeholders together: the greeting takes the document's contact
/// when the mail gave no name.
fn quotation_vars(
    app: &App,
    customer: &replies::CustomerThread,
    q: &store::QuotationRecord,
) -> Vec<(&'static str, String)> {
    let mut vars = replies::customer_vars(app, customer);
    let about = approvals_vars(app, q);
    if let Some((_, contact)) = about.iter().find(|(k, _)| *k == "contact")
        && let Some(name) = vars.iter_mut().find(|(k, v)| *k == "name" && v == replies::NO_NAME)
    {
        name.1 = contact.clone();
    }
    vars.extend(about.into_iter().filter(|(k, _)| *k != "contact"));
    vars
}

/// "12 items: 10 priced, 1 to be confirmed by our team, 1 not in our range." and the like.
pub fn summary(q: &store::QuotationRecord) -> String {
    let lines = &q.view.lines;
    let count = |s: MatchStatus| lines.iter().filter(|l| l.status == s).count();
    let mut parts = vec![format!("{} priced", count(MatchStatus::Matched))];
    for (status, text) in [
        (MatchStatus::NeedsReview, "to be confirmed by our team"),
        (MatchStatus::PriceOnRequest, "price on request"),
        (MatchStatus::Unmatched, "not in our range"),
    ] {
        let n = count(status);
        if n > 0 {
            parts.push(format!("{n} {text}"));
        }
    }
    format!(
        "{} item{}: {}.",
        lines.len(),
        if lines.len() == 1 { "" } else { "s" },
        parts.join(", ")
    )
}

/// A short notice to the approvers: a decision taken (or refused) on a quotation.
pub async fn decision(
    conn: &mut PgConnection,
    app: &App,
    number: &str,
    decision: &str,
    actor: &str,
    detail: &str,
    occurrence: &str,
) -> Result<(), sqlx::Error> {
    let token = Token::Quotation(number.to_string());
    let vars = vec![
        ("number", number.to_string()),
        ("decision", decision.to_string()),
        ("actor", actor.to_string()),
        ("detail", detail.to_string()),
    ];
    for to in super::approval_recipients(conn, app).await? {
        let parent = draft_thread(conn, number, &to).await?;
        replies::to_staff(
            conn,
            app,
            ToStaff {
                key: format!("email:decision:{number}:{occurrence}:{to}"),
                to,
                kind: "decision",
                template: "decision.txt",
                vars: vars.clone(),
                token: token.clone(),
                quotation_id: None,
                rfp_id: None,
                attach_pdf: false,
                parent,
                approval_token: None,
            },
        )
        .await?;
    }
    Ok(())
}

/// The thread of the latest draft of quotation `number` sent to `to` (Message-ID, references,
/// subject): notices about the quotation answer it, so that its story stays in one thread.
async fn draft_thread(
    conn: &mut PgConnection,
    number: &str,
    to: &str,
) -> Result<Option<(String, Vec<String>, String)>, sqlx::Error> {
    let row = sqlx::query!(
        r#"select o.external_id as "external_id!", coalesce(o.subject, '') as "subject!"
           from outbox o join quotations q on q.id = o.quotation_id
           where q.number = $1 and o.kind = 'approval_request' and o.recipient = $2
             and o.external_id is not null
           order by o.created_at desc limit 1"#,
        number,
        to.to_ascii_lowercase()
    )
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row.map(|r| (r.external_id.clone(), vec![r.external_id], r.subject)))
}
