//! The receiver: `getUpdates` long polling while this process holds the bot's advisory lock.
//! Each update is handled in order and the offset advanced past it only once it is handled —
//! a message stored (idempotent on `telegram` + `chat_id:message_id`) with its request and
//! acknowledgement, a refusal or a "too large" queued — so a crash loses nothing and a
//! redelivered update answers once.

use std::time::Duration;

use channels::telegram::{self, Bot, Incoming, Message};
use channels::{Attachment, ChannelError};
use sha2::{Digest, Sha256};
use sqlx::{Connection, PgConnection};
use tokio_util::sync::CancellationToken;

use super::replies::{self, ChatReply};
use crate::quotations::pending_edits;
use crate::startup::App;

#[derive(Debug, thiserror::Error)]
pub enum ReceiveError {
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    #[error(transparent)]
    Channel(#[from] ChannelError),
}

impl ReceiveError {
    /// Whether handling the same update again may succeed.
    pub fn is_retryable(&self) -> bool {
        match self {
            Self::Database(_) => true,
            Self::Channel(e) => e.is_retryable(),
        }
    }
}

fn lock_key(bot: &str) -> i64 {
    let d = Sha256::digest(format!("horme.telegram.poller:{bot}").as_bytes());
    i64::from_be_bytes(d[..8].try_into().unwrap_or([0; 8]))
}

/// Polls whenever this process holds the bot's lock; otherwise stands by and tries again.
pub async fn run_singleton(app: App, bot: Bot, shutdown: CancellationToken) {
    // the lock is per bot: the numeric id before the token's colon names it
    let me = loop {
        match bot.get_me().await {
            Ok(me) => break me,
            Err(e) => {
                tracing::warn!(error = %e, "telegram getMe failed; retrying");
                tokio::select! {
                    _ = shutdown.cancelled() => return,
                    _ = tokio::time::sleep(Duration::from_secs(5)) => {}
                }
            }
        }
    };
    let key = lock_key(&me.id.to_string());
    // a webhook left from an earlier set-up makes getUpdates answer 409: long polling removes it
    if let Err(e) = bot.delete_webhook().await {
        tracing::warn!(error = %e, "telegram deleteWebhook failed; getUpdates may be refused while a webhook is set");
    }
    while !shutdown.is_cancelled() {
        match lock(&app, key).await {
            Ok(Some(conn)) => {
                tracing::info!(bot = me.id, "holding the telegram poller lock");
                poll(&app, &bot, conn, key, &shutdown).await;
            }
            Ok(None) => tracing::debug!("another process polls this bot; standing by"),
            Err(e) => tracing::warn!(error = %e, "cannot take the telegram poller lock"),
        }
        tokio::select! {
            _ = shutdown.cancelled() => return,
            _ = tokio::time::sleep(Duration::from_secs(5)) => {}
        }
    }
}

async fn lock(app: &App, key: i64) -> Result<Option<PgConnection>, sqlx::Error> {
    let mut conn = PgConnection::connect_with(&app.pool.connect_options()).await?;
    let got = sqlx::query_scalar!("select pg_try_advisory_lock($1) as \"got!\"", key)
        .fetch_one(&mut conn)
        .await?;
    if got {
        Ok(Some(conn))
    } else {
        let _ = conn.close().await;
        Ok(None)
    }
}

/// The poll loop; returns when the lock's connection is lost or at shutdown.
async fn poll(app: &App, bot: &Bot, mut conn: PgConnection, key: i64, shutdown: &CancellationToken) {
    let mut offset = 0i64;
    let mut pause = Duration::from_millis(500);
    while !shutdown.is_cancelled() {
        if let Err(e) = conn.ping().await {
            tracing::error!(error = %e, "lost the telegram poller lock's connection: stopping");
            return;
        }
        let updates = tokio::select! {
            _ = shutdown.cancelled() => break,
            u = bot.get_updates(offset) => u,
        };
        let wait = match updates {
            Ok(updates) => {
                pause = Duration::from_millis(500);
                let mut wait = None;
                for u in updates {
                    let id = u.update_id;
                    match handle(app, bot, Incoming::of(u)).await {
                        Ok(()) => offset = id + 1,
                        Err(e) if e.is_retryable() => {
                            tracing::warn!(update = id, error = %e, "update not handled; will retry");
                            wait = Some(pause);
                            break;
                        }
                        Err(e) => {
                            tracing::error!(update = id, error = %e, "update cannot be handled; skipped");
                            offset = id + 1;
                        }
                    }
                }
                wait
            }
            Err(ChannelError::RateLimited { retry_after }) => {
                metrics::counter!("horme_channel_rate_limited_total", "channel" => "telegram").increment(1);
                Some(retry_after)
            }
            Err(e) => {
                tracing::warn!(error = %e, "getUpdates failed");
                pause = (pause * 2).min(Duration::from_secs(30));
                Some(pause)
            }
        };
        if let Some(wait) = wait {
            tokio::select! {
                _ = shutdown.cancelled() => break,
                _ = tokio::time::sleep(wait) => {}
            }
        }
    }
    let _ = sqlx::query!("select pg_advisory_unlock($1) as \"released!\"", key)
        .fetch_one(&mut conn)
        .await;
    let _ = conn.close().await;
}

/// Acts on one update.
pub async fn handle(app: &App, bot: &Bot, incoming: Incoming) -> Result<(), ReceiveError> {
    match incoming {
        Incoming::Message(m) => on_message(app, bot, &m).await,
        Incoming::Callback(q) => super::callbacks::on_callback(app, bot, &q).await,
        Incoming::Ignored => Ok(()),
    }
}

fn name_of(m: &Message) -> String {
    m.from
        .as_ref()
        .map(|u| u.first_name.clone())
        .filter(|n| !n.trim().is_empty())
        .unwrap_or_else(|| "there".into())
}

/// Whether the message's chat (or its sender) may submit requests: `telegram.allowed_chats`
/// or the `chat_access` table.
pub async fn may_submit(app: &App, m: &Message) -> Result<bool, sqlx::Error> {
    if app.settings.telegram.allowed_chats.contains(&m.chat.id) {
        return Ok(true);
    }
    let user = m.from.as_ref().map(|u| u.id.to_string()).unwrap_or_default();
    let found = sqlx::query_scalar!(
        r#"select true as "found!" from chat_access where channel = 'telegram'
           and ((scope = 'chat' and subject_id = $1) or (scope = 'user' and subject_id = $2))"#,
        m.chat.id.to_string(),
        user
    )
    .fetch_optional(&app.pool)
    .await?;
    Ok(found.is_some())
}

#[tracing::instrument(skip_all, fields(chat = m.chat.id, message = m.message_id))]
async fn on_message(app: &App, bot: &Bot, m: &Message) -> Result<(), ReceiveError> {
    let ext = telegram::external_id(m);
    let thread = telegram::thread_of(m);
    let vars = |extra: Vec<(&'static str, String)>| {
        let mut v = vec![("name", name_of(m)), ("company", app.settings.company.name.clone())];
        v.extend(extra);
        v
    };
    let simple = |kind: &'static str, extra| ChatReply {
        key: format!("{kind}:{ext}"),
        thread: thread.clone(),
        kind,
        template: "",
        vars: vars(extra),
        quotation_id: None,
        rfp_id: None,
        attach_pdf: false,
        buttons: Vec::new(),
    };
    // an approver who pressed Change: their next message here is the changes (whatever may submit)
    if m.document.is_none()
        && let (Some(text), Some(from)) = (m.text.as_deref(), m.from.as_ref())
    {
        let actor = telegram::identity(from);
        let chat = m.chat.id.to_string();
        if pending_edits::is_open(&app.pool, "telegram", &chat, &actor).await? {
            // stored like every message (a duplicate update is dropped here), then read as changes
            let mut tx = app.pool.begin().await?;
            if crate::ingest::insert_message(&mut tx, &telegram::inbound(m, None))
                .await?
                .is_none()
            {
                return Ok(());
            }
            tx.commit().await?;
            if let Some(outcome) = pending_edits::on_message(app, "telegram", &chat, &actor, text).await? {
                let (kind, vars) = outcome.reply();
                let mut conn = app.pool.acquire().await?;
                replies::queue(
                    &mut conn,
                    app,
                    ChatReply {
                        template: &format!("{kind}.txt"),
                        ..simple(kind, vars)
                    },
                )
                .await?;
            }
            return Ok(());
        }
    }
    if !may_submit(app, m).await? {
        tracing::info!(user = ?m.from.as_ref().map(|u| u.id), "message from a chat that may not submit: refused");
        let mut conn = app.pool.acquire().await?;
        crate::audit::record(
            &mut conn,
            crate::audit::Entry {
                entity: "telegram_chat",
                entity_id: &m.chat.id.to_string(),
                action: "submission_refused",
                actor: &m.from.as_ref().map(telegram::identity).unwrap_or_default(),
                channel: "telegram",
                detail: serde_json::json!({"message": ext}),
            },
        )
        .await?;
        replies::queue(
            &mut conn,
            app,
            ChatReply {
                template: "refused.txt",
                ..simple("refused", vec![])
            },
        )
        .await?;
        return Ok(());
    }
    if m.document.is_none()
        && let Some(command) = m.text.as_deref().and_then(super::commands::parse)
    {
        let (template, extra) = match &command {
            super::commands::Command::Help => ("help.txt", vec![]),
            super::commands::Command::Status(number) => super::commands::status(app, m, number.as_deref()).await?,
        };
        let mut conn = app.pool.acquire().await?;
        replies::queue(
            &mut conn,
            app,
            ChatReply {
                template,
                ..simple("command", extra)
            },
        )
        .await?;
        return Ok(());
    }
    let limit = app.settings.telegram.max_download_bytes;
    let too_large = |filename: &str| ChatReply {
        template: "too_large.txt",
        ..simple(
            "too_large",
            vec![
                ("filename", filename.to_string()),
                ("limit", format!("{} MB", limit / (1024 * 1024))),
            ],
        )
    };
    let mut attachment = None;
    if let Some(doc) = &m.document {
        let filename = doc.file_name.clone().unwrap_or_else(|| "document".into());
        if doc.file_size.unwrap_or(0) > limit {
            tracing::info!(bytes = doc.file_size, "document over the download limit: answered");
            let mut conn = app.pool.acquire().await?;
            replies::queue(&mut conn, app, too_large(&filename)).await?;
            return Ok(());
        }
        if already_stored(app, &ext).await? {
            return Ok(());
        }
        let content = match bot.download(&doc.file_id, limit).await {
            Ok(c) => c,
            Err(ChannelError::Permanent(why)) if why.contains("download limit") => {
                let mut conn = app.pool.acquire().await?;
                replies::queue(&mut conn, app, too_large(&filename)).await?;
                return Ok(());
            }
            Err(e) => return Err(e.into()),
        };
        attachment = Some(Attachment {
            filename,
            media_type: doc
                .mime_type
                .clone()
                .unwrap_or_else(|| "application/octet-stream".into()),
            content,
        });
    }
    let msg = telegram::inbound(m, attachment);
    let mut tx = app.pool.begin().await?;
    let Some(stored) = crate::ingest::insert_message(&mut tx, &msg).await? else {
        tx.rollback().await?;
        tracing::info!("duplicate update: already stored");
        return Ok(());
    };
    let rfp = crate::ingest::start_rfp(&mut tx, stored, &msg, app.settings.workers.max_attempts).await?;
    replies::queue(
        &mut tx,
        app,
        ChatReply {
            template: "ack.txt",
            rfp_id: Some(rfp),
            ..simple("ack", vec![("reference", crate::mail::replies::reference(rfp))])
        },
    )
    .await?;
    tx.commit().await?;
    tracing::info!(%rfp, "request stored and acknowledged");
    Ok(())
}

async fn already_stored(app: &App, ext: &str) -> Result<bool, sqlx::Error> {
    let n = sqlx::query_scalar!(
        r#"select count(*) as "n!" from inbound_messages where channel = 'telegram' and external_id = $1"#,
        ext
    )
    .fetch_one(&app.pool)
    .await?;
    Ok(n > 0)
}
