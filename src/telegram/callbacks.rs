//! An approver's button under a draft: `approve:<number>`, `reject:<number>` or
//! `change:<number>` (the approver is asked for the changes, `quotations::pending_edits`). The presser
//! is known by the Telegram user id the Bot API reports (never a display name) and must be an
//! approver (`approvers` row `telegram:<id>` or `approval.approvers`); the decision goes
//! through the same lifecycle functions as an approval by mail. The button press is always
//! answered; a refusal is audited.

use channels::telegram::{self, Bot, CallbackQuery};
use serde_json::json;

use super::receive::ReceiveError;
use crate::quotations::buttons::Decision;
use crate::quotations::{Actor, Adjustments, LifecycleError, lifecycle, pending_edits};
use crate::startup::App;

#[tracing::instrument(skip_all, fields(user = q.from.id, data = ?q.data))]
pub async fn on_callback(app: &App, bot: &Bot, q: &CallbackQuery) -> Result<(), ReceiveError> {
    let Some(decision) = q.data.as_deref().and_then(Decision::parse) else {
        answer(bot, q, "This button is no longer valid.", false).await;
        return Ok(());
    };
    let identity = telegram::identity(&q.from);
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
                channel: "telegram",
                detail: json!({"why": "not an approver", "name": q.from.display_name()}),
            },
        )
        .await?;
        answer(bot, q, "Sorry, only approvers may decide on quotations.", true).await;
        return Ok(());
    }
    drop(conn);
    let actor = Actor::person(&identity);
    let result = match &decision {
        Decision::Approve(n) => lifecycle::approve(app, n, &actor, "telegram", &Adjustments::default()).await,
        Decision::Reject(n) => lifecycle::reject(app, n, &actor, "telegram", Some("rejected in Telegram")).await,
        Decision::Change(n) => {
            let Some(chat) = q.message.as_ref().map(|m| m.chat.id.to_string()) else {
                answer(bot, q, "This button is no longer valid.", false).await;
                return Ok(());
            };
            pending_edits::open(&app.pool, "telegram", &chat, &identity, n).await?;
            let prompt = super::replies::render(app, "change_prompt.txt", &pending_edits::prompt_vars(n));
            answer(bot, q, &prompt, true).await;
            return Ok(());
        }
    };
    match result {
        Ok(t) => {
            answer(bot, q, &format!("{} is now {}.", t.number, t.to), false).await;
            Ok(())
        }
        Err(LifecycleError::Database(e)) => Err(e.into()),
        Err(e) => {
            tracing::info!(%number, error = %e, "button decision not taken");
            answer(bot, q, &format!("Not done: {e}"), true).await;
            Ok(())
        }
    }
}

/// Answers the button press; a failure only stops a spinner, so it is logged, not retried.
async fn answer(bot: &Bot, q: &CallbackQuery, text: &str, alert: bool) {
    if let Err(e) = bot.answer_callback_query(&q.id, text, alert).await {
        tracing::warn!(error = %e, "cannot answer the callback query");
    }
}
