//! An approver's button under a draft (a message component whose `custom_id` is
//! `approve:<number>`, `reject:<number>` or `change:<number>`, as in Telegram). The presser is known by the
//! Discord user id of the interaction (never a display name) and must be an approver
//! (`approvers` row `discord:<id>` or `approval.approvers`); the decision goes through the
//! same lifecycle functions as an approval by mail. The interaction is always answered: a
//! decision edits the draft (the decision noted, the buttons gone); a refusal or a decision
//! not taken is told to the presser alone, and a refusal is audited.

use channels::discord::{self, Bot, Interaction};
use serde_json::json;

use super::receive::ReceiveError;
use crate::quotations::buttons::Decision;
use crate::quotations::{Actor, Adjustments, LifecycleError, lifecycle, pending_edits};
use crate::startup::App;

/// Interaction type of a message component (a button).
const MESSAGE_COMPONENT: u8 = 3;

#[tracing::instrument(skip_all, fields(interaction = i.id, custom_id = ?i.data.as_ref().map(|d| &d.custom_id)))]
pub async fn on_interaction(app: &App, bot: &Bot, i: &Interaction) -> Result<(), ReceiveError> {
    if i.kind != MESSAGE_COMPONENT {
        return Ok(());
    }
    let Some(user) = i.user() else {
        return Ok(());
    };
    let Some(decision) = i.data.as_ref().and_then(|d| Decision::parse(&d.custom_id)) else {
        answer(bot, i, "This button is no longer valid.").await;
        return Ok(());
    };
    let identity = discord::identity(user);
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
                channel: "discord",
                detail: json!({"why": "not an approver", "name": user.display_name()}),
            },
        )
        .await?;
        answer(bot, i, "Sorry, only approvers may decide on quotations.").await;
        return Ok(());
    }
    drop(conn);
    let actor = Actor::person(&identity);
    let result = match &decision {
        Decision::Approve(n) => lifecycle::approve(app, n, &actor, "discord", &Adjustments::default()).await,
        Decision::Reject(n) => lifecycle::reject(app, n, &actor, "discord", Some("rejected in Discord")).await,
        Decision::Change(n) => {
            let Some(channel) = i.channel_id else {
                answer(bot, i, "This button is no longer valid.").await;
                return Ok(());
            };
            pending_edits::open(&app.pool, "discord", &channel.to_string(), &identity, n).await?;
            let vars = pending_edits::prompt_vars(n);
            answer(bot, i, &super::replies::render(app, "change_prompt.md", &vars)).await;
            return Ok(());
        }
    };
    match result {
        Ok(t) => {
            // the draft shows the decision and loses its buttons; without it, only the presser hears
            let note = format!("**{}** is now {} (by <@{}>).", t.number, t.to, user.id);
            let draft = i.message.as_ref().map(|m| m.content.trim()).filter(|c| !c.is_empty());
            let done = match draft {
                Some(d) => bot
                    .update_interaction_message(i.id, &i.token, &format!("{d}\n\n{note}"))
                    .await
                    .map_err(|e| tracing::warn!(error = %e, "cannot update the draft; answering the presser only"))
                    .is_ok(),
                None => false,
            };
            if !done {
                answer(bot, i, &note).await;
            }
            Ok(())
        }
        Err(LifecycleError::Database(e)) => Err(e.into()),
        Err(e) => {
            tracing::info!(%number, error = %e, "button decision not taken");
            answer(bot, i, &format!("Not done: {e}")).await;
            Ok(())
        }
    }
}

/// Answers the interaction; a failure only leaves Discord's "interaction failed" notice, so
/// it is logged, not retried (an interaction token answers once, within three seconds).
async fn answer(bot: &Bot, i: &Interaction, text: &str) {
    if let Err(e) = bot.respond_to_interaction(i.id, &i.token, text).await {
        tracing::warn!(error = %e, "cannot answer the interaction");
    }
}
