//! What the Discord channel does on quotation lifecycle events for requests that came by
//! Discord: the draft with its PDF and Approve / Reject buttons to the approvers' channel
//! while it waits for approval (again as a reminder); the quotation with its PDF in the
//! requester's thread once approved; a decision note to the approvers' channel; a polite
//! notice if the quotation could not be produced. (The same reactions as Telegram's, with
//! Discord's templates and threads.)

use channels::ThreadRef;
use sqlx::PgConnection;

use super::replies::{self, ChatReply};
use crate::quotations::buttons::approval_buttons;
use crate::quotations::events::{Event, EventPayload};
use crate::quotations::store::{self, QuotationRecord};
use crate::startup::App;

/// What an event's replies are about: the quotation and the requester's thread.
pub struct Subject {
    q: QuotationRecord,
    thread: ThreadRef,
    name: String,
    sender: String,
}

/// Reads what the replies need before the job's transaction. `None`: not a Discord request
/// (or the channel is off).
pub async fn prepare(app: &App, e: &EventPayload) -> Result<Option<Subject>, sqlx::Error> {
    if !app.settings.discord.enabled {
        return Ok(None);
    }
    let Some(q) = store::load(&app.pool, e.quotation_id).await? else {
        return Ok(None);
    };
    let Some(rfp) = q.rfp_id else { return Ok(None) };
    let row = sqlx::query!(
        r#"select m.thread, m.sender, m.sender_name from rfps r
           join inbound_messages m on m.id = r.inbound_message_id
           where r.id = $1 and m.channel = 'discord'"#,
        rfp
    )
    .fetch_optional(&app.pool)
    .await?;
    Ok(row.and_then(|r| {
        Some(Subject {
            thread: serde_json::from_value(r.thread).ok()?,
            name: r
                .sender_name
                .filter(|n| !n.trim().is_empty())
                .unwrap_or_else(|| "there".into()),
            sender: r.sender,
            q,
        })
    }))
}

/// Writes the replies an event calls for, in the event job's transaction.
pub async fn on_event(
    conn: &mut PgConnection,
    app: &App,
    e: &EventPayload,
    s: Subject,
    job_id: i64,
) -> Result<(), sqlx::Error> {
    let q = &s.q;
    let vars = vars(app, &s);
    let approvals = approvals_thread(app);
    let reply = |key: String, thread: ThreadRef, kind: &'static str, template: &'static str| ChatReply {
        key,
        thread,
        kind,
        template,
        vars: vars.clone(),
        quotation_id: Some(q.id),
        rfp_id: q.rfp_id,
        attach_pdf: false,
        buttons: Vec::new(),
    };
    match e.event {
        Event::PendingApproval | Event::ApprovalReminder => {
            let Some(chat) = approvals else {
                tracing::warn!(number = %q.number, "discord.approvals_channel_id is not set: the draft is not posted");
                return Ok(());
            };
            let occurrence = if e.event == Event::ApprovalReminder {
                format!(":reminder:{job_id}")
            } else {
                String::new()
            };
            let buttons = approval_buttons(&q.number);
            let r = ChatReply {
                attach_pdf: true,
                buttons,
                ..reply(
                    format!("approval_request:{}{occurrence}", q.id),
                    chat,
                    "approval_request",
                    "approval_request.md",
                )
            };
            replies::queue(conn, app, r).await?;
        }
        Event::Approved => {
            let r = ChatReply {
                attach_pdf: true,
                ..reply(
                    format!("quotation:{}", q.id),
                    s.thread.clone(),
                    "quotation",
                    "quotation.md",
                )
            };
            replies::queue(conn, app, r).await?;
            decision(conn, app, &s, e, "approved").await?;
        }
        Event::Rejected => decision(conn, app, &s, e, "rejected").await?,
        Event::Failed => {
            let r = reply(
                format!("processing_failed:{}", q.id),
                s.thread.clone(),
                "processing_failed",
                "processing_failed.md",
            );
            replies::queue(conn, app, r).await?;
        }
        Event::Sent | Event::Accepted | Event::Expired => {}
    }
    Ok(())
}

/// A note in the approvers' chat that a person decided.
async fn decision(
    conn: &mut PgConnection,
    app: &App,
    s: &Subject,
    e: &EventPayload,
    what: &str,
) -> Result<(), sqlx::Error> {
    let Some(chat) = approvals_thread(app) else {
        return Ok(());
    };
    if e.actor.starts_with("system:") {
        return Ok(());
    }
    let mut vars = vars(app, s);
    vars.push(("decision", what.to_string()));
    vars.push(("actor", e.actor.clone()));
    replies::queue(
        conn,
        app,
        ChatReply {
            key: format!("decision:{}:{what}", s.q.id),
            thread: chat,
            kind: "decision",
            template: "decision.md",
            vars,
            quotation_id: None,
            rfp_id: s.q.rfp_id,
            attach_pdf: false,
            buttons: Vec::new(),
        },
    )
    .await?;
    Ok(())
}

fn approvals_thread(app: &App) -> Option<ThreadRef> {
    let channel_id = app.settings.discord.approvals_channel_id;
    (channel_id != 0).then_some(ThreadRef::Discord {
        channel_id,
        message_id: 0,
        guild_id: None,
    })
}

fn vars(app: &App, s: &Subject) -> Vec<(&'static str, String)> {
    let v = &s.q.view;
    vec![
        ("name", s.name.clone()),
        ("sender", s.sender.clone()),
        ("number", s.q.number.clone()),
        (
            "reference",
            s.q.rfp_id.map(crate::mail::replies::reference).unwrap_or_default(),
        ),
        ("currency", v.currency.clone()),
        ("total", crate::domain::format_amount(v.total)),
        ("tax_label", app.settings.pricing.tax_label.clone()),
        (
            "valid_until",
            v.valid_until
                .map(|d| d.format("%-d %B %Y").to_string())
                .unwrap_or_default(),
        ),
        ("summary", crate::mail::notify::summary(&s.q)),
        (
            "customer",
            v.customer
                .company
                .clone()
                .filter(|c| !c.is_empty())
                .unwrap_or_else(|| "the customer".into()),
        ),
        ("company", app.settings.company.name.clone()),
    ]
}

/// In the transaction that fails a request: when it came by Discord, tell the requester in
/// their thread (nothing to quote in it, or a failure of ours) — once, by its idempotency key.
pub async fn on_rfp_failed(
    conn: &mut PgConnection,
    app: &App,
    rfp: uuid::Uuid,
    reason: &str,
) -> Result<(), sqlx::Error> {
    if !app.settings.discord.enabled {
        return Ok(());
    }
    let row = sqlx::query!(
        r#"select m.thread, m.sender_name from rfps r join inbound_messages m on m.id = r.inbound_message_id
           where r.id = $1 and m.channel = 'discord'"#,
        rfp
    )
    .fetch_optional(&mut *conn)
    .await?;
    let Some(row) = row else { return Ok(()) };
    let Ok(thread) = serde_json::from_value::<ThreadRef>(row.thread) else {
        return Ok(());
    };
    let no_items = crate::pipeline::requirements::ExtractError::NoItems.to_string();
    let template = if reason.starts_with(no_items.as_str()) {
        "no_items.md"
    } else {
        "processing_failed.md"
    };
    let vars = vec![
        (
            "name",
            row.sender_name
                .filter(|n| !n.trim().is_empty())
                .unwrap_or_else(|| "there".into()),
        ),
        ("reference", crate::mail::replies::reference(rfp)),
        ("company", app.settings.company.name.clone()),
    ];
    replies::queue(
        conn,
        app,
        ChatReply {
            key: format!("rfp_failed:{rfp}"),
            thread,
            kind: template.trim_end_matches(".md"),
            template,
            vars,
            quotation_id: None,
            rfp_id: Some(rfp),
            attach_pdf: false,
            buttons: Vec::new(),
        },
    )
    .await?;
    Ok(())
}
