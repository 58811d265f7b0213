//! Scheduled housekeeping: quotations past their validity expire; approvers are reminded of
//! drafts that wait too long. Both are safe to run from several processes at once.

use chrono::{NaiveDate, Utc};
use serde_json::json;

use super::events::{self, Event, EventPayload};
use super::lifecycle::{self, Actor, Change, LifecycleError, Transition};
use super::status::Status;
use crate::audit;
use crate::startup::App;

/// Expires every open quotation whose validity ended before `today`.
pub async fn expire_due(app: &App, today: NaiveDate) -> Result<Vec<Transition>, LifecycleError> {
    let due = sqlx::query_scalar!(
        r#"select number from quotations
           where status in ('pending_approval', 'approved', 'sent') and valid_until < $1
           order by valid_until, number"#,
        today
    )
    .fetch_all(&app.pool)
    .await?;
    let actor = Actor::system("scheduler");
    let mut done = Vec::new();
    for number in due {
        let mut tx = app.pool.begin().await?;
        let head = lifecycle::lock(&mut tx, &number).await?;
        // Another process may have moved it meanwhile: only open ones expire.
        if !head.status.can_become(Status::Expired) {
            continue;
        }
        let detail = json!({"valid_until_before": today.to_string()});
        let t = lifecycle::apply(
            &mut tx,
            app,
            &head,
            Change {
                to: Status::Expired,
                actor: &actor,
                channel: "scheduler",
                reason: None,
                detail,
            },
        )
        .await?;
        tx.commit().await?;
        done.push(t);
    }
    Ok(done)
}

/// Reminds approvers (through a `approval_reminder` event) of every quotation waiting for
/// approval longer than the configured time, at most once per that interval.
pub async fn remind_due(app: &App) -> Result<Vec<String>, LifecycleError> {
    let hours = f64::from(app.settings.approval.remind_after_hours);
    let mut tx = app.pool.begin().await?;
    let due = sqlx::query!(
        r#"update quotations set reminded_at = now()
           where id in (select id from quotations
                        where status = 'pending_approval'
                          and coalesce(reminded_at, submitted_at) < now() - make_interval(secs => $1::float8 * 3600)
                        for update skip locked)
           returning id, number, submitted_at"#,
        hours
    )
    .fetch_all(&mut *tx)
    .await?;
    let stamp = Utc::now().format("%Y%m%dT%H%M%S").to_string();
    let mut numbers = Vec::with_capacity(due.len());
    for q in due {
        let waiting_hours = q
            .submitted_at
            .map(|s| (Utc::now() - s).num_minutes() as f64 / 60.0)
            .unwrap_or_default();
        let detail = json!({"waiting_hours": (waiting_hours * 10.0).round() / 10.0});
        audit::record(
            &mut tx,
            audit::Entry {
                entity: "quotation",
                entity_id: &q.number,
                action: "approval_reminder",
                actor: "system:scheduler",
                channel: "scheduler",
                detail: detail.clone(),
            },
        )
        .await?;
        let payload = EventPayload {
            event: Event::ApprovalReminder,
            quotation_id: q.id,
            number: q.number.clone(),
            actor: "system:scheduler".into(),
            channel: "scheduler".into(),
            detail,
        };
        events::enqueue(&mut tx, &payload, &stamp, app.settings.workers.max_attempts).await?;
        numbers.push(q.number);
    }
    tx.commit().await?;
    Ok(numbers)
}
