//! An approver's button under a draft (`block_actions` with the value `approve:<number>`,
//! `reject:<number>` or `change:<number>`, which asks for the changes). The presser is known by the Slack user id in the signed payload (never
//! a display name) and must be an approver (`approvers` row `slack:<id>` or
//! `approval.approvers`); the decision goes through the same lifecycle functions as an
//! approval by mail or Telegram. The presser gets an ephemeral answer; a refusal is audited.

use channels::slack::{self, BlockActions, SlackClient};
use serde_json::json;

use super::jobs::begin;
use crate::jobs::StepError;
use crate::jobs::queue::{self, Job};
use crate::quotations::buttons::Decision;
use crate::quotations::{Actor, Adjustments, LifecycleError, lifecycle, pending_edits};
use crate::startup::App;

pub async fn on_interaction(app: &App, client: &SlackClient, job: &Job) -> Result<(), StepError> {
    let p: BlockActions = serde_json::from_value(job.payload.clone())
        .map_err(|e| StepError::Permanent(format!("malformed Slack interaction: {e}")))?;
    let decision = p
        .actions
        .iter()
        .find_map(|a| a.value.as_deref().and_then(Decision::parse));
    if p.kind == "block_actions"
        && let Some(decision) = decision
    {
        decide(app, client, &p, decision).await?;
    }
    let mut tx = begin(app, job).await?;
    queue::complete(&mut tx, job).await?;
    tx.commit().await?;
    Ok(())
}

#[tracing::instrument(skip_all, fields(user = %p.user.id, decision = ?decision))]
async fn decide(app: &App, client: &SlackClient, p: &BlockActions, decision: Decision) -> Result<(), StepError> {
    let identity = slack::identity(&p.user.id);
    let number = decision.number().to_string();
    let mut conn = app.pool.acquire().await?;
    let approver = crate::quotations::approval::is_approver(&mut conn, &app.settings.approval, &identity).await?;
    if !approver {
        tracing::warn!(%number, %identity, "button pressed by someone who is not an approver: refused");
        crate::audit::record(
            &mut conn,
            crate::audit::Entry {
                entity: "quotation",
                entity_id: &number,
                action: "approval_refused",
                actor: &identity,
                channel: "slack",
                detail: json!({"why": "not an approver", "team": p.team.as_ref().map(|t| t.id.clone())}),
            },
        )
        .await?;
        answer(client, p, "Sorry, only approvers may decide on quotations.").await;
        return Ok(());
    }
    drop(conn);
    let actor = Actor::person(&identity);
    let result = match &decision {
        Decision::Approve(n) => lifecycle::approve(app, n, &actor, "slack", &Adjustments::default()).await,
        Decision::Reject(n) => lifecycle::reject(app, n, &actor, "slack", Some("rejected in Slack")).await,
        Decision::Change(n) => {
            let Some(channel) = p.channel.as_ref().map(|c| c.id.clone()) else {
                answer(client, p, "This button is no longer valid.").await;
                return Ok(());
            };
            pending_edits::open(&app.pool, "slack", &channel, &identity, n).await?;
            let vars = pending_edits::prompt_vars(n);
            answer(client, p, &super::replies::render(app, "change_prompt.txt", &vars)).await;
            return Ok(());
        }
    };
    match result {
        Ok(t) => answer(client, p, &format!("{} is now {}.", t.number, t.to)).await,
        Err(LifecycleError::Database(e)) => return Err(e.into()),
        Err(e) => {
            tracing::info!(%number, error = %e, "button decision not taken");
            answer(client, p, &format!("Not done: {e}")).await;
        }
    }
    Ok(())
}

/// Answers the presser; a failure only loses a notice, so it is logged, not retried.
async fn answer(client: &SlackClient, p: &BlockActions, text: &str) {
    let Some(url) = p.response_url.as_deref() else { return };
    if let Err(e) = client.respond(url, text).await {
        tracing::warn!(error = %e, "cannot answer the button press");
    }
}
