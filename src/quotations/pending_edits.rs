//! The Change button under a draft in chat: the approver who pressed it is asked for the
//! changes, and their next message in that conversation (within [`LAPSE_MINUTES`]) is read as
//! them (`quotations::edits`): the revision is priced, rendered and approved through
//! `lifecycle::approve`, exactly as "approve with …" by mail, and goes to the customer. What is
//! not understood is answered and the edit stays open for another try. Every chat channel
//! uses this; the channel only knows how to name its conversations and to answer.

use sqlx::PgPool;

use super::edits;
use super::lifecycle::{self, Actor, LifecycleError};
use crate::startup::App;

/// How long a pressed Change waits for the changes.
pub const LAPSE_MINUTES: i32 = 30;

/// What came of a message read as changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The revision `revision` of `number` was made and approved.
    Revised { number: String, revision: String },
    /// Nothing was changed, for `reason`; the edit stays open.
    Refused { number: String, reason: String },
}

/// Opens (or re-opens) an edit of `number` for `actor` in `conversation`.
pub async fn open(
    pool: &PgPool,
    channel: &str,
    conversation: &str,
    actor: &str,
    number: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "insert into pending_edits (channel, conversation, actor, number) values ($1, $2, $3, $4)
         on conflict (channel, conversation, actor) do update set number = excluded.number, opened_at = now()",
    )
    .bind(channel)
    .bind(conversation)
    .bind(actor)
    .bind(number)
    .execute(pool)
    .await?;
    Ok(())
}

/// Whether `actor` has an edit open in `conversation` (their next message is read as changes).
pub async fn is_open(pool: &PgPool, channel: &str, conversation: &str, actor: &str) -> Result<bool, sqlx::Error> {
    let open: Option<i32> = sqlx::query_scalar(
        "select 1 from pending_edits where channel = $1 and conversation = $2 and actor = $3
           and opened_at > now() - make_interval(mins => $4)",
    )
    .bind(channel)
    .bind(conversation)
    .bind(actor)
    .bind(LAPSE_MINUTES)
    .fetch_optional(pool)
    .await?;
    Ok(open.is_some())
}

/// The quotation `actor` is changing in `conversation`, if they pressed Change there lately;
/// the edit is closed.
async fn take(pool: &PgPool, channel: &str, conversation: &str, actor: &str) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar(
        "with gone as (
             delete from pending_edits where channel = $1 and conversation = $2 and actor = $3
             returning number, opened_at)
         select number from gone where opened_at > now() - make_interval(mins => $4)",
    )
    .bind(channel)
    .bind(conversation)
    .bind(actor)
    .bind(LAPSE_MINUTES)
    .fetch_optional(pool)
    .await
}

/// A message `text` from `actor` in `conversation`: `None` when they have no open edit there
/// (the message is whatever it is), else what came of reading it as the changes.
pub async fn on_message(
    app: &App,
    channel: &str,
    conversation: &str,
    actor: &str,
    text: &str,
) -> Result<Option<Outcome>, sqlx::Error> {
    let Some(number) = take(&app.pool, channel, conversation, actor).await? else {
        return Ok(None);
    };
    let refused = |reason: String| Outcome::Refused {
        number: number.clone(),
        reason,
    };
    let adjustments = match edits::parse(text) {
        Ok(a) => a,
        Err(e) => {
            open(&app.pool, channel, conversation, actor, &number).await?;
            return Ok(Some(refused(e.to_string())));
        }
    };
    match lifecycle::approve(app, &number, &Actor::person(actor), channel, &adjustments).await {
        Ok(t) => {
            tracing::info!(%number, revision = ?t.revision, %actor, channel, "changed in chat and approved");
            Ok(Some(Outcome::Revised {
                revision: t.revision.unwrap_or_else(|| t.number.clone()),
                number,
            }))
        }
        Err(LifecycleError::Database(e)) => {
            open(&app.pool, channel, conversation, actor, &number).await?;
            Err(e)
        }
        Err(e @ LifecycleError::InvalidAdjustment(_)) => {
            open(&app.pool, channel, conversation, actor, &number).await?;
            Ok(Some(refused(e.to_string())))
        }
        Err(e) => Ok(Some(refused(e.to_string()))),
    }
}

/// The variables of the `change_prompt` template, which asks for the changes to `number`.
pub fn prompt_vars(number: &str) -> Vec<(&'static str, String)> {
    vec![("number", number.to_string()), ("minutes", LAPSE_MINUTES.to_string())]
}

impl Outcome {
    /// The reply template (`change_done` or `change_refused`) and its variables.
    pub fn reply(&self) -> (&'static str, Vec<(&'static str, String)>) {
        match self {
            Self::Revised { number, revision } => (
                "change_done",
                vec![("number", number.clone()), ("revision", revision.clone())],
            ),
            Self::Refused { number, reason } => (
                "change_refused",
                vec![("number", number.clone()), ("reason", reason.clone())],
            ),
        }
    }
}
