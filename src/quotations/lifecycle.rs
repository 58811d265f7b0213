//! The quotation lifecycle (DESIGN §5): every state change goes through here, whoever asks
//! (the pipeline, the CLI, a mail reply, a chat button, the HTTP API). Each change locks the
//! quotation row, checks the transition and the actor's right to make it, and writes the new
//! state, an audit entry and a `quotation.event` job in one transaction.

use serde_json::json;
use sqlx::PgConnection;
use uuid::Uuid;

use super::approval;
use super::events::{self, Event, EventPayload};
use super::revision::{self, Adjustments};
use super::status::Status;
use crate::audit;
use crate::pipeline::quotation::Quotation;
use crate::startup::App;

/// Who asks for a change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Actor {
    /// A component of the bot itself ("pipeline", "scheduler", "outbox").
    System(String),
    /// A person: a mail address or a chat identity such as "telegram:12345".
    Person(String),
}

impl Actor {
    pub fn system(component: &str) -> Self {
        Self::System(component.to_string())
    }

    pub fn person(identity: &str) -> Self {
        Self::Person(approval::normalize_identity(identity))
    }

    /// How the actor appears in the audit log.
    pub fn label(&self) -> String {
        match self {
            Self::System(c) => format!("system:{c}"),
            Self::Person(p) => p.clone(),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum LifecycleError {
    #[error("no quotation {0}")]
    NotFound(String),
    #[error("quotation {number} is {from} and cannot become {to}")]
    InvalidTransition { number: String, from: Status, to: Status },
    #[error("{actor} may not {action} quotation {number}: {reason}")]
    NotAllowed {
        actor: String,
        action: &'static str,
        number: String,
        reason: String,
    },
    #[error("{0}")]
    InvalidAdjustment(String),
    #[error("cannot render the quotation: {0}")]
    Render(String),
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
}

/// A change that was made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transition {
    pub number: String,
    pub from: Status,
    pub to: Status,
    /// The new revision's number when an approval with changes replaced the quotation.
    pub revision: Option<String>,
}

/// A quotation row locked for a change, with who it belongs to.
#[derive(Debug, Clone)]
pub(super) struct Head {
    pub id: Uuid,
    pub number: String,
    pub status: Status,
    pub rfp_id: Option<Uuid>,
    /// Lowercase addresses of the customer: the request's sender and the address it gave.
    pub owners: Vec<String>,
}

pub(super) async fn lock(conn: &mut PgConnection, number: &str) -> Result<Head, LifecycleError> {
    let row = sqlx::query!(
        r#"select q.id, q.number, q.status, q.rfp_id, q.customer->>'email' as customer_email,
                  m.sender as "sender?"
           from quotations q
           left join rfps r on r.id = q.rfp_id
           left join inbound_messages m on m.id = r.inbound_message_id
           where q.number = $1
           for update of q"#,
        number
    )
    .fetch_optional(&mut *conn)
    .await?
    .ok_or_else(|| LifecycleError::NotFound(number.to_string()))?;
    let owners = [row.sender, row.customer_email]
        .into_iter()
        .flatten()
        .map(|a| approval::normalize_identity(&a))
        .filter(|a| a.contains('@'))
        .collect();
    Ok(Head {
        id: row.id,
        status: Status::parse(&row.status).unwrap_or(Status::Failed),
        number: row.number,
        rfp_id: row.rfp_id,
        owners,
    })
}

/// One requested state change.
pub(super) struct Change<'a> {
    pub to: Status,
    pub actor: &'a Actor,
    pub channel: &'a str,
    pub reason: Option<&'a str>,
    pub detail: serde_json::Value,
}

/// Writes `head → to`: the state, its timestamps, the audit entry and the event.
pub(super) async fn apply(
    conn: &mut PgConnection,
    app: &App,
    head: &Head,
    change: Change<'_>,
) -> Result<Transition, LifecycleError> {
    let Change {
        to,
        actor,
        channel,
        reason,
        detail,
    } = change;
    if !head.status.can_become(to) {
        return Err(LifecycleError::InvalidTransition {
            number: head.number.clone(),
            from: head.status,
            to,
        });
    }
    let decided = matches!(head.status, Status::Draft | Status::PendingApproval)
        && matches!(to, Status::Approved | Status::Rejected);
    sqlx::query!(
        r#"update quotations set
               status = $2,
               submitted_at = case when $2 = 'pending_approval' then now() else submitted_at end,
               decided_at = case when $3 then now() else decided_at end,
               decided_by = case when $3 then $4 else decided_by end,
               sent_at = case when $2 = 'sent' then now() else sent_at end,
               closed_at = case when $2 in ('accepted', 'rejected', 'expired', 'revised', 'failed')
                                then now() else closed_at end,
               reason = coalesce($5, reason)
           where id = $1"#,
        head.id,
        to.as_str(),
        decided,
        actor.label(),
        reason
    )
    .execute(&mut *conn)
    .await?;
    let mut detail = detail;
    detail["from"] = json!(head.status.as_str());
    if let Some(r) = reason {
        detail["reason"] = json!(r);
    }
    audit::record(
        &mut *conn,
        audit::Entry {
            entity: "quotation",
            entity_id: &head.number,
            action: to.as_str(),
            actor: &actor.label(),
            channel,
            detail: detail.clone(),
        },
    )
    .await?;
    if let Some(event) = event_for(to) {
        let payload = EventPayload {
            event,
            quotation_id: head.id,
            number: head.number.clone(),
            actor: actor.label(),
            channel: channel.to_string(),
            detail,
        };
        events::enqueue(&mut *conn, &payload, "1", app.settings.workers.max_attempts).await?;
    }
    tracing::info!(number = %head.number, from = %head.status, %to, actor = %actor.label(), channel, "quotation transition");
    metrics::counter!("horme_quotation_transitions_total", "to" => to.as_str()).increment(1);
    Ok(Transition {
        number: head.number.clone(),
        from: head.status,
        to,
        revision: None,
    })
}

fn event_for(to: Status) -> Option<Event> {
    Some(match to {
        Status::PendingApproval => Event::PendingApproval,
        Status::Approved => Event::Approved,
        Status::Rejected => Event::Rejected,
        Status::Sent => Event::Sent,
        Status::Accepted => Event::Accepted,
        Status::Expired => Event::Expired,
        Status::Failed => Event::Failed,
        Status::Draft | Status::Revised => return None,
    })
}

fn not_allowed(actor: &Actor, action: &'static str, head: &Head, reason: &str) -> LifecycleError {
    LifecycleError::NotAllowed {
        actor: actor.label(),
        action,
        number: head.number.clone(),
        reason: reason.to_string(),
    }
}

async fn require_approver(
    conn: &mut PgConnection,
    app: &App,
    actor: &Actor,
    action: &'static str,
    head: &Head,
) -> Result<(), LifecycleError> {
    match actor {
        Actor::Person(p) if approval::is_approver(conn, &app.settings.approval, p).await? => Ok(()),
        Actor::Person(_) => Err(not_allowed(actor, action, head, "not an approver")),
        Actor::System(_) => Err(not_allowed(actor, action, head, "only a person may do this")),
    }
}

/// After rendering, inside the pipeline's transaction: the draft waits for a person, or is
/// approved at once when the auto-approval policy allows it.
pub async fn submit_for_approval(
    conn: &mut PgConnection,
    app: &App,
    number: &str,
    view: &Quotation,
) -> Result<Transition, LifecycleError> {
    let head = lock(conn, number).await?;
    let actor = Actor::system("pipeline");
    match approval::auto_approval_blocker(&app.settings.approval, view) {
        None => {
            let detail = json!({"auto_approved": true, "total": view.total.to_string()});
            apply(
                conn,
                app,
                &head,
                Change {
                    to: Status::Approved,
                    actor: &actor,
                    channel: "worker",
                    reason: None,
                    detail,
                },
            )
            .await
        }
        Some(why) => {
            let detail = json!({"needs_approval_because": why});
            let change = Change {
                to: Status::PendingApproval,
                actor: &actor,
                channel: "worker",
                reason: None,
                detail,
            };
            apply(conn, app, &head, change).await
        }
    }
}

/// An approver approves; with adjustments (an extra discount, other SKUs) a new revision is
/// priced, rendered and approved in the same step, and this one becomes `revised`. An extra
/// discount above the approver's limit ([`approval::max_discount_pct`]) is refused, except
/// on the CLI (whoever runs it holds the database already).
pub async fn approve(
    app: &App,
    number: &str,
    actor: &Actor,
    channel: &str,
    adjustments: &Adjustments,
) -> Result<Transition, LifecycleError> {
    let mut tx = app.pool.begin().await?;
    let head = lock(&mut tx, number).await?;
    require_approver(&mut tx, app, actor, "approve", &head).await?;
    if let (Some(d), Actor::Person(p)) = (adjustments.extra_discount_pct, actor)
        && channel != "cli"
    {
        let cap = approval::max_discount_pct(&mut tx, &app.settings.approval, p).await?;
        if d > cap {
            return Err(not_allowed(
                actor,
                "approve",
                &head,
                &format!(
                    "a discount of {}% is over the limit of {}% for this approver",
                    d.normalize(),
                    cap.normalize()
                ),
            ));
        }
    }
    let t = if adjustments.is_empty() {
        apply(
            &mut tx,
            app,
            &head,
            Change {
                to: Status::Approved,
                actor,
                channel,
                reason: None,
                detail: json!({}),
            },
        )
        .await?
    } else {
        revision::approve_revised(&mut tx, app, &head, actor, channel, adjustments).await?
    };
    tx.commit().await?;
    Ok(t)
}

/// An approver rejects a draft; or the customer (or an approver on their behalf) declines a
/// sent quotation.
pub async fn reject(
    app: &App,
    number: &str,
    actor: &Actor,
    channel: &str,
    reason: Option<&str>,
) -> Result<Transition, LifecycleError> {
    let mut tx = app.pool.begin().await?;
    let head = lock(&mut tx, number).await?;
    match head.status {
        Status::Sent => require_customer_or_approver(&mut tx, app, actor, "reject", &head).await?,
        _ => require_approver(&mut tx, app, actor, "reject", &head).await?,
    }
    let t = apply(
        &mut tx,
        app,
        &head,
        Change {
            to: Status::Rejected,
            actor,
            channel,
            reason,
            detail: json!({}),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(t)
}

/// The approved quotation reached the customer: a channel delivered it (system), or a person
/// records that it was handed over another way.
pub async fn mark_sent(app: &App, number: &str, actor: &Actor, channel: &str) -> Result<Transition, LifecycleError> {
    let mut tx = app.pool.begin().await?;
    let head = lock(&mut tx, number).await?;
    if let Actor::Person(_) = actor {
        require_approver(&mut tx, app, actor, "send", &head).await?;
    }
    let t = apply(
        &mut tx,
        app,
        &head,
        Change {
            to: Status::Sent,
            actor,
            channel,
            reason: None,
            detail: json!({}),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(t)
}

/// The customer accepts their quotation (or an approver records their acceptance).
pub async fn accept(app: &App, number: &str, actor: &Actor, channel: &str) -> Result<Transition, LifecycleError> {
    let mut tx = app.pool.begin().await?;
    let head = lock(&mut tx, number).await?;
    require_customer_or_approver(&mut tx, app, actor, "accept", &head).await?;
    let t = apply(
        &mut tx,
        app,
        &head,
        Change {
            to: Status::Accepted,
            actor,
            channel,
            reason: None,
            detail: json!({}),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(t)
}

async fn require_customer_or_approver(
    conn: &mut PgConnection,
    app: &App,
    actor: &Actor,
    action: &'static str,
    head: &Head,
) -> Result<(), LifecycleError> {
    match actor {
        Actor::Person(p) if head.owners.iter().any(|o| o == p) => Ok(()),
        Actor::Person(p) if approval::is_approver(conn, &app.settings.approval, p).await? => Ok(()),
        Actor::Person(_) => Err(not_allowed(
            actor,
            action,
            head,
            "only the customer it was sent to or an approver may",
        )),
        Actor::System(_) => Err(not_allowed(actor, action, head, "only a person may do this")),
    }
}

/// A quotation whose document could not be produced.
pub async fn fail(
    conn: &mut PgConnection,
    app: &App,
    number: &str,
    reason: &str,
) -> Result<Transition, LifecycleError> {
    let head = lock(conn, number).await?;
    let actor = Actor::system("pipeline");
    let change = Change {
        to: Status::Failed,
        actor: &actor,
        channel: "worker",
        reason: Some(reason),
        detail: json!({}),
    };
    apply(conn, app, &head, change).await
}
