//! The Events API's events, processed on the job queue (`slack.event` jobs, one per event id):
//! a message with files or text from a channel or person that may submit is stored through the
//! same ingest as mail (idempotent on `slack` + `channel:ts`) with its request and an
//! acknowledgement in its thread, in the job's own transaction; others get a polite refusal,
//! files over the limit a "too large". A `file_shared` event is resolved to the message that
//! shared the file, so that both events of one upload make one request.

use channels::slack::{self, File, Incoming, MessageEvent, SlackClient};
use channels::{Attachment, ChannelError};
use serde_json::json;

use super::jobs::{begin, channel_error};
use super::replies::{self, ChatReply};
use crate::jobs::StepError;
use crate::jobs::queue::{self, Job};
use crate::quotations::pending_edits;
use crate::startup::App;

/// Acts on one `event_callback` envelope.
pub async fn on_event(app: &App, client: &SlackClient, job: &Job) -> Result<(), StepError> {
    let envelope: slack::EventCallback = serde_json::from_value(job.payload.clone())
        .map_err(|e| StepError::Permanent(format!("malformed Slack event: {e}")))?;
    let incoming = Incoming::of(&envelope.event);
    // Our own uploads (the PDFs) come back as file_shared events and file_share messages:
    // never a request. The bot's user id is the token's (auth.test); our text messages carry
    // a bot_id and are ignored already.
    let author = match &incoming {
        Incoming::Message(m) if !m.files.is_empty() => m.user.clone(),
        Incoming::FileShared(f) => Some(f.user_id.clone()),
        _ => None,
    };
    let ours = match author {
        Some(user) => client.auth_test().await.map_err(channel_error)?.user_id == user,
        None => false,
    };
    match incoming {
        _ if ours => {
            let mut tx = begin(app, job).await?;
            queue::complete(&mut tx, job).await?;
            tx.commit().await?;
            Ok(())
        }
        Incoming::Message(m) => on_message(app, client, job, &envelope.team_id, m).await,
        Incoming::FileShared(f) => {
            let file = client.file_info(&f.file_id).await.map_err(channel_error)?;
            let Some((ts, thread_ts)) = file.share_in(&f.channel_id) else {
                // shares are filled in asynchronously: ask again later
                return Err(StepError::Transient(anyhow::anyhow!(
                    "file {} is not shared in {} yet",
                    f.file_id,
                    f.channel_id
                )));
            };
            let m = MessageEvent {
                subtype: Some("file_share".into()),
                channel: f.channel_id,
                channel_type: None,
                user: Some(f.user_id),
                bot_id: None,
                team: None,
                text: String::new(),
                ts,
                thread_ts,
                files: vec![file],
            };
            on_message(app, client, job, &envelope.team_id, m).await
        }
        Incoming::Ignored => {
            let mut tx = begin(app, job).await?;
            queue::complete(&mut tx, job).await?;
            tx.commit().await?;
            Ok(())
        }
    }
}

/// Whether the message's channel, sender or workspace may submit requests: the `slack`
/// allow-lists or the `chat_access` table (scope chat, user or workspace = the team id).
pub async fn may_submit(app: &App, team: &str, m: &MessageEvent) -> Result<bool, sqlx::Error> {
    let s = &app.settings.slack;
    let user = m.user.clone().unwrap_or_default();
    let team = m.team.as_deref().unwrap_or(team);
    if s.allowed_channels.contains(&m.channel)
        || (!user.is_empty() && s.allowed_users.contains(&user))
        || (!team.is_empty() && s.allowed_teams.iter().any(|t| t == team))
    {
        return Ok(true);
    }
    let found: Option<bool> = sqlx::query_scalar(
        "select true from chat_access where channel = 'slack'
           and ((scope = 'chat' and subject_id = $1) or (scope = 'user' and subject_id = $2)
                or (scope = 'workspace' and subject_id = $3))
         limit 1",
    )
    .bind(&m.channel)
    .bind(&user)
    .bind(team)
    .fetch_optional(&app.pool)
    .await?;
    Ok(found.is_some())
}

#[tracing::instrument(skip_all, fields(channel = %m.channel, ts = %m.ts))]
async fn on_message(app: &App, client: &SlackClient, job: &Job, team: &str, m: MessageEvent) -> Result<(), StepError> {
    let ext = slack::external_id(&m);
    let thread = slack::thread_of(&m);
    let user = m.user.clone().unwrap_or_default();
    let vars = |extra: Vec<(&'static str, String)>| {
        let mut v = vec![
            ("name", format!("<@{user}>")),
            ("company", app.settings.company.name.clone()),
        ];
        v.extend(extra);
        v
    };
    let simple = |key: String, kind: &'static str, template: &'static str, extra| ChatReply {
        key,
        thread: thread.clone(),
        kind,
        template,
        vars: vars(extra),
        quotation_id: None,
        rfp_id: None,
        attach_pdf: false,
        buttons: Vec::new(),
    };
    // an approver who pressed Change: their next message here is the changes
    if m.files.is_empty()
        && !user.is_empty()
        && pending_edits::is_open(&app.pool, "slack", &m.channel, &slack::identity(&user)).await?
    {
        let actor = slack::identity(&user);
        let mut tx = begin(app, job).await?;
        // stored like every message; a redelivered event stops here
        if crate::ingest::insert_message(&mut tx, &slack::inbound(&m, Vec::new()))
            .await?
            .is_some()
        {
            tx.commit().await?;
            let outcome = pending_edits::on_message(app, "slack", &m.channel, &actor, &m.text).await?;
            tx = begin(app, job).await?;
            if let Some(outcome) = outcome {
                let (kind, extra) = outcome.reply();
                let r = simple(format!("{kind}:{ext}"), kind, change_template(kind), extra);
                replies::queue(&mut tx, app, r).await?;
            }
        }
        queue::complete(&mut tx, job).await?;
        tx.commit().await?;
        return Ok(());
    }
    let s = &app.settings.slack;
    if m.channel == s.approvals_channel && !s.allowed_channels.contains(&m.channel) {
        // approvers talk among themselves there: neither a request nor a refusal
        let mut tx = begin(app, job).await?;
        queue::complete(&mut tx, job).await?;
        tx.commit().await?;
        return Ok(());
    }
    if !may_submit(app, team, &m).await? {
        tracing::info!(%user, "message from a channel or person that may not submit: refused");
        let mut tx = begin(app, job).await?;
        crate::audit::record(
            &mut tx,
            crate::audit::Entry {
                entity: "slack_channel",
                entity_id: &m.channel,
                action: "submission_refused",
                actor: &slack::identity(&user),
                channel: "slack",
                detail: json!({"message": ext, "team": team}),
            },
        )
        .await?;
        let r = simple(format!("refused:{ext}"), "refused", "refused.txt", vec![]);
        replies::queue(&mut tx, app, r).await?;
        queue::complete(&mut tx, job).await?;
        tx.commit().await?;
        return Ok(());
    }
    let limit = app.settings.slack.max_download_bytes;
    let too_large = |f: &File| {
        simple(
            format!("too_large:{ext}:{}", f.id),
            "too_large",
            "too_large.txt",
            vec![
                ("filename", f.filename()),
                ("limit", format!("{} MB", limit / (1024 * 1024))),
            ],
        )
    };
    let (big, files): (Vec<&File>, Vec<&File>) = m.files.iter().partition(|f| f.size.unwrap_or(0) > limit);
    let mut refused: Vec<&File> = big;
    if !refused.is_empty() {
        tracing::info!(files = refused.len(), "files over the download limit: answered");
    }
    // One job at a time per message (the `message` and `file_shared` events of one upload run
    // on different workers): the second waits, then finds it stored and downloads nothing.
    // The lock is the transaction's: it ends with `turn`, on every return.
    let mut turn = app.pool.begin().await?;
    sqlx::query!(
        "select pg_advisory_xact_lock(hashtextextended('horme.slack.message:' || $1, 0))",
        ext
    )
    .execute(&mut *turn)
    .await?;
    let stored = already_stored(app, &ext).await?;
    let mut attachments = Vec::new();
    if !stored {
        for f in files {
            match client.download(f, limit).await {
                Ok(content) => attachments.push(Attachment {
                    filename: f.filename(),
                    media_type: f.mimetype.clone().unwrap_or_else(|| "application/octet-stream".into()),
                    content,
                }),
                Err(ChannelError::Permanent(why)) if why.contains("download limit") => refused.push(f),
                Err(e) => return Err(channel_error(e)),
            }
        }
    }
    let mut tx = begin(app, job).await?;
    for f in &refused {
        replies::queue(&mut tx, app, too_large(f)).await?;
    }
    // a file that could not be taken and nothing else to read: the answer is all there is
    let nothing_left = !refused.is_empty() && attachments.is_empty();
    if stored || nothing_left {
        if stored {
            tracing::info!("duplicate event: already stored");
        }
        queue::complete(&mut tx, job).await?;
        tx.commit().await?;
        return Ok(());
    }
    let msg = slack::inbound(&m, attachments);
    let Some(message) = crate::ingest::insert_message(&mut tx, &msg).await? else {
        tracing::info!("duplicate event: already stored");
        queue::complete(&mut tx, job).await?;
        tx.commit().await?;
        return Ok(());
    };
    let rfp = crate::ingest::start_rfp(&mut tx, message, &msg, app.settings.workers.max_attempts).await?;
    let ack = ChatReply {
        rfp_id: Some(rfp),
        ..simple(
            format!("ack:{ext}"),
            "ack",
            "ack.txt",
            vec![("reference", crate::mail::replies::reference(rfp))],
        )
    };
    replies::queue(&mut tx, app, ack).await?;
    queue::complete(&mut tx, job).await?;
    tx.commit().await?;
    tracing::info!(%rfp, "request stored and acknowledged");
    Ok(())
}

/// The template of a `pending_edits` outcome.
fn change_template(kind: &str) -> &'static str {
    if kind == "change_done" {
        "change_done.txt"
    } else {
        "change_refused.txt"
    }
}

async fn already_stored(app: &App, ext: &str) -> Result<bool, sqlx::Error> {
    let n = sqlx::query_scalar!(
        r#"select count(*) as "n!" from inbound_messages where channel = 'slack' and external_id = $1"#,
        ext
    )
    .fetch_one(&app.pool)
    .await?;
    Ok(n > 0)
}
