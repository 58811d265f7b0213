//! What a received mail is: a new request, a command in one of our quotation threads, plain
//! conversation, or something never to answer (DESIGN §6: auto-replies, bounces, lists, robots,
//! our own address).

use channels::email::ParsedMail;
use uuid::Uuid;

use super::commands;
use super::threading::{self, Token};
use crate::pipeline::text::Format;
use crate::startup::App;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// Stored, never answered, not processed.
    Ignore(String),
    /// Only the header was fetched: answered with the size limit.
    TooLarge,
    /// A request for quotation: the pipeline runs, an acknowledgement goes out.
    Rfp,
    /// "approve", "accept" … in the thread of this quotation, by an approver or the customer.
    Command { quotation: Uuid, role: &'static str },
    /// A reply in one of our threads that is neither a command nor a new request.
    Conversation { quotation: Option<Uuid> },
    /// "approve" or "reject" in a quotation's thread from someone who is not an approver:
    /// not acted on, answered politely.
    NotApprover { quotation: Uuid },
    /// An approver's command outside any thread of ours, naming no quotation we have:
    /// answered to the approver, never taken for a customer's request.
    UnknownQuotation,
}

pub async fn decide(app: &App, mail: &ParsedMail, too_large: bool) -> Result<Decision, sqlx::Error> {
    let m = &app.settings.mail;
    let sender = &mail.message.sender.address;
    if m.is_own_address(sender) {
        return Ok(Decision::Ignore(format!("from our own address {sender}")));
    }
    if let Some(reason) = &mail.no_reply_reason {
        return Ok(Decision::Ignore(reason.clone()));
    }
    if too_large {
        return Ok(Decision::TooLarge);
    }
    let Some(thread) = find_thread(app, mail).await? else {
        if !has_documents(mail)
            && commands::parse_approver(&mail.message.text).is_some()
            && super::is_approver(app, sender).await?
        {
            return Ok(Decision::UnknownQuotation);
        }
        return Ok(Decision::Rfp);
    };
    if let Some(quotation) = thread {
        let text = &mail.message.text;
        if super::is_approver(app, sender).await? {
            if commands::parse_approver(text).is_some() {
                return Ok(Decision::Command {
                    quotation,
                    role: "approver",
                });
            }
        } else if commands::parse_customer(text).is_some() {
            return Ok(Decision::Command {
                quotation,
                role: "customer",
            });
        } else if commands::parse_approver(text).is_some() {
            return Ok(Decision::NotApprover { quotation });
        }
    }
    if has_documents(mail) {
        // new files in an existing thread: a new (revised) request
        return Ok(Decision::Rfp);
    }
    Ok(Decision::Conversation { quotation: thread })
}

fn has_documents(mail: &ParsedMail) -> bool {
    mail.message.attachments.iter().any(|a| {
        Format::from_name(&a.filename)
            .or_else(|| Format::from_media_type(&a.media_type))
            .is_some()
    })
}

/// `Some(quotation)` when the mail answers one of our mails (or names one of our quotations in
/// its subject); `Some(None)` when it answers a request whose quotation does not exist yet.
pub async fn find_thread(app: &App, mail: &ParsedMail) -> Result<Option<Option<Uuid>>, sqlx::Error> {
    let ids: Vec<String> = mail
        .in_reply_to
        .iter()
        .chain(mail.references.iter())
        .map(|i| i.trim().trim_start_matches('<').trim_end_matches('>').to_string())
        .filter(|i| !i.is_empty())
        .collect();
    let mut request: Option<Uuid> = None;
    if !ids.is_empty() {
        let rows = sqlx::query!(
            "select rfp_id, quotation_id from outbox where channel = 'email' and external_id = any($1)",
            &ids
        )
        .fetch_all(&app.pool)
        .await?;
        if let Some(q) = rows.iter().find_map(|r| r.quotation_id) {
            return Ok(Some(Some(q)));
        }
        request = rows.iter().find_map(|r| r.rfp_id);
        let domain = app.settings.mail.id_domain();
        for id in &ids {
            match threading::token_of(id, &domain) {
                Some(Token::Quotation(n)) => {
                    if let Some(q) = quotation_by_number(app, &n).await? {
                        return Ok(Some(Some(q)));
                    }
                }
                Some(Token::Request(r)) => request = request.or(Some(r)),
                None => {}
            }
        }
    }
    if let Some(r) = request {
        let q = sqlx::query_scalar!(
            "select id from quotations where rfp_id = $1 order by revision desc limit 1",
            r
        )
        .fetch_optional(&app.pool)
        .await?;
        let exists = sqlx::query_scalar!("select exists(select 1 from rfps where id = $1) as \"e!\"", r)
            .fetch_one(&app.pool)
            .await?;
        if q.is_some() || exists {
            return Ok(Some(q));
        }
    }
    for n in threading::numbers_in(mail.message.subject.as_deref().unwrap_or("")) {
        if let Some(q) = quotation_by_number(app, &n).await? {
            return Ok(Some(Some(q)));
        }
    }
    Ok(None)
}

async fn quotation_by_number(app: &App, number: &str) -> Result<Option<Uuid>, sqlx::Error> {
    sqlx::query_scalar!("select id from quotations where number = $1", number)
        .fetch_optional(&app.pool)
        .await
}
