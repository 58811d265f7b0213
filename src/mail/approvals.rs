//! Command mails in a quotation's thread: an approver's "approve" / "approve with 5%
//! discount" / "reject <reason>", a customer's "accept" / "confirm" / "reject". The lifecycle
//! decides who may do what; here the command is read, an approver's mail must answer the
//! approval request (carry its token, see [`super::threading`]) and pass the trusted
//! `Authentication-Results` check, and the outcome is recorded on the received mail. A refused
//! approver command is audited and told to the configured approvers, never to the sender.
//! Also: a delivered quotation mail marks the quotation sent.

use serde_json::json;
use uuid::Uuid;

use super::authres::{self, Verdict};
use super::commands::{self, ApproverCommand, CustomerCommand};
use super::jobs;
use super::threading;
use crate::jobs::StepError;
use crate::jobs::queue::{self, Job};
use crate::quotations::{Actor, Adjustments, LifecycleError, lifecycle};
use crate::startup::App;

/// Runs one `mail.command` job.
pub async fn run(app: &App, job: &Job) -> Result<(), StepError> {
    let message = jobs::payload_uuid(job, "inbound_message_id")?;
    let row = sqlx::query!(
        r#"select m.sender, m.body_text, m.raw, i.quotation_id, q.number as "number?",
                  q.approval_token as "approval_token?"
           from inbound_messages m join mail_inbound i on i.inbound_message_id = m.id
           left join quotations q on q.id = i.quotation_id
           where m.id = $1"#,
        message
    )
    .fetch_optional(&app.pool)
    .await?
    .ok_or_else(|| StepError::Permanent(format!("message {message} is gone")))?;
    let Some(number) = row.number else {
        return record(app, job, message, "the quotation no longer exists").await;
    };
    let actor = Actor::person(&row.sender);
    let role = job.payload.get("role").and_then(|r| r.as_str()).unwrap_or("");
    let result = match role {
        "approver" => {
            let Some(cmd) = commands::parse_approver(&row.body_text) else {
                return record(app, job, message, "no approver command found").await;
            };
            let parsed = row.raw.as_deref().and_then(|r| channels::email::parse(r).ok());
            if let Err(why) = answers_approval_request(app, parsed.as_ref(), row.approval_token.as_deref()) {
                return refuse(app, job, message, &number, &row.sender, &why).await;
            }
            let headers = parsed.map(|p| p.authentication_results).unwrap_or_default();
            if let Verdict::Fail(why) = authres::evaluate(&headers, &app.settings.mail.trusted_authserv_ids) {
                let why = format!("the mail failed the authentication check ({why})");
                return refuse(app, job, message, &number, &row.sender, &why).await;
            }
            match cmd {
                ApproverCommand::Approve { discount_pct } => {
                    let adj = Adjustments {
                        extra_discount_pct: discount_pct,
                        ..Adjustments::default()
                    };
                    lifecycle::approve(app, &number, &actor, "email", &adj).await
                }
                ApproverCommand::Reject { reason } => {
                    let reason = Some(reason.as_str()).filter(|r| !r.is_empty());
                    lifecycle::reject(app, &number, &actor, "email", reason).await
                }
            }
        }
        "customer" => match commands::parse_customer(&row.body_text) {
            Some(CustomerCommand::Accept) => lifecycle::accept(app, &number, &actor, "email").await,
            Some(CustomerCommand::Reject { reason }) => {
                let reason = Some(reason.as_str()).filter(|r| !r.is_empty());
                lifecycle::reject(app, &number, &actor, "email", reason).await
            }
            None => return record(app, job, message, "no customer command found").await,
        },
        other => return Err(StepError::Permanent(format!("unknown command role {other:?}"))),
    };
    match result {
        Ok(t) => {
            let to = t.revision.as_deref().map(|r| format!(" as {r}")).unwrap_or_default();
            record(app, job, message, &format!("{} → {}{to}", t.from, t.to)).await
        }
        Err(LifecycleError::Database(e)) => Err(e.into()),
        Err(e @ LifecycleError::NotAllowed { .. }) if role == "approver" => {
            refuse(app, job, message, &number, &row.sender, &e.to_string()).await
        }
        Err(e) => {
            tracing::warn!(%number, sender = %row.sender, error = %e, "mail command refused");
            record(app, job, message, &format!("refused: {e}")).await
        }
    }
}

/// Writes what came of the command on the received mail and completes the job.
async fn record(app: &App, job: &Job, message: Uuid, outcome: &str) -> Result<(), StepError> {
    let mut tx = jobs::commit_tx(app, job).await?;
    sqlx::query!(
        "update mail_inbound set reason = coalesce(reason, '') || ': ' || $2 where inbound_message_id = $1",
        message,
        outcome
    )
    .execute(&mut *tx)
    .await?;
    queue::complete(&mut tx, job).await?;
    tx.commit().await?;
    tracing::info!(%outcome, "mail command handled");
    Ok(())
}

/// Whether an approver's mail answers the approval request of its quotation: it must carry the
/// quotation's approval token (In-Reply-To/References or the subject tag).
fn answers_approval_request(
    app: &App,
    mail: Option<&channels::email::ParsedMail>,
    approval_token: Option<&str>,
) -> Result<(), String> {
    let Some(token) = approval_token else {
        return Err(
            "the quotation has no approval token (its draft predates them): answer the next reminder, \
             or use horme quotation approve"
                .into(),
        );
    };
    let Some(mail) = mail else {
        return Err("the mail cannot be read".into());
    };
    let ids: Vec<String> = mail.in_reply_to.iter().chain(&mail.references).cloned().collect();
    let subject = mail.message.subject.as_deref().unwrap_or("");
    if threading::carries_approval_token(&ids, subject, token, &app.settings.mail.id_domain()) {
        Ok(())
    } else {
        Err("the mail does not answer the approval request (reply to the approval mail itself)".into())
    }
}

/// The approval token of a quotation, made when its first draft goes to the approvers.
pub async fn approval_token(conn: &mut sqlx::PgConnection, quotation: Uuid) -> Result<String, sqlx::Error> {
    let fresh = threading::new_approval_token();
    sqlx::query_scalar!(
        r#"update quotations set approval_token = coalesce(approval_token, $2) where id = $1
           returning approval_token as "token!""#,
        quotation,
        fresh
    )
    .fetch_one(conn)
    .await
}

/// An approver's command that was refused (not answering the approval request, failing the
/// authentication check, over the discount limit): nothing changes; the refusal is audited and
/// the configured approvers are told — never the address the mail claims to come from.
async fn refuse(app: &App, job: &Job, message: Uuid, number: &str, sender: &str, why: &str) -> Result<(), StepError> {
    tracing::warn!(%number, %sender, %why, "approver command by mail refused");
    let mut tx = jobs::commit_tx(app, job).await?;
    crate::audit::record(
        &mut tx,
        crate::audit::Entry {
            entity: "quotation",
            entity_id: number,
            action: "approval_refused",
            actor: sender,
            channel: "email",
            detail: json!({"why": why, "inbound_message_id": message}),
        },
    )
    .await?;
    super::notify::decision(
        &mut tx,
        app,
        number,
        "an approval was refused",
        sender,
        &format!("The mail claiming to come from {sender} was refused: {why}. Nothing was changed."),
        &format!("refused:{message}"),
    )
    .await?;
    sqlx::query!(
        "update mail_inbound set reason = coalesce(reason, '') || ': refused: ' || $2 where inbound_message_id = $1",
        message,
        why
    )
    .execute(&mut *tx)
    .await?;
    queue::complete(&mut tx, job).await?;
    tx.commit().await?;
    Ok(())
}

/// The quotation mail was delivered: the quotation is now sent.
pub async fn after_delivery(app: &App, job: &Job) -> Result<(), StepError> {
    let q = jobs::payload_uuid(job, "quotation_id")?;
    let number = sqlx::query_scalar!("select number from quotations where id = $1", q)
        .fetch_optional(&app.pool)
        .await?;
    if let Some(number) = number {
        match lifecycle::mark_sent(app, &number, &Actor::system("outbox"), "email").await {
            Ok(_) | Err(LifecycleError::InvalidTransition { .. }) | Err(LifecycleError::NotFound(_)) => {}
            Err(LifecycleError::Database(e)) => return Err(e.into()),
            Err(e) => return Err(StepError::Permanent(e.to_string())),
        }
    }
    jobs::finish(app, job).await
}
