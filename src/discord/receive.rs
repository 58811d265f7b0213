//! The receiver: one gateway session per bot across every process, held by a PostgreSQL
//! advisory lock. Events are handled one at a time in the order Discord dispatched them — a
//! message stored (idempotent on `discord` + `channel_id:message_id`) with its request and
//! acknowledgement, a refusal or a "too large" queued, a button press decided — and an event
//! whose handling failed for a reason that may pass (the database away) is tried again
//! before the next one, so nothing that arrived is dropped while the process lives. A
//! resumed session's replayed events and duplicates answer once (ingest and reply keys); after
//! a fresh session the allowed channels are read back ([`super::catch_up`]).

use std::time::Duration;

use channels::discord::{self, Bot, Event, GatewayConfig, Message, Signal};
use channels::{Attachment, ChannelError, ThreadRef};
use sha2::{Digest, Sha256};
use sqlx::{Connection, PgConnection};
use tokio::sync::mpsc;
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
    /// Whether handling the same event again may succeed.
    fn is_retryable(&self) -> bool {
        match self {
            Self::Database(_) => true,
            Self::Channel(e) => e.is_retryable(),
        }
    }
}

fn lock_key(bot: &str) -> i64 {
    let d = Sha256::digest(format!("horme.discord.gateway:{bot}").as_bytes());
    i64::from_be_bytes(d[..8].try_into().unwrap_or([0; 8]))
}

async fn pause(shutdown: &CancellationToken, d: Duration) -> bool {
    tokio::select! {
        _ = shutdown.cancelled() => false,
        _ = tokio::time::sleep(d) => true,
    }
}

/// Holds the gateway session whenever this process holds the bot's lock; otherwise stands by.
pub async fn run_singleton(app: App, bot: Bot, shutdown: CancellationToken) {
    let me = loop {
        match bot.get_me().await {
            Ok(me) => break me,
            Err(e) => {
                tracing::warn!(error = %e, "discord users/@me failed; retrying");
                if !pause(&shutdown, Duration::from_secs(5)).await {
                    return;
                }
            }
        }
    };
    let key = lock_key(&me.id.to_string());
    while !shutdown.is_cancelled() {
        match lock(&app, key).await {
            Ok(Some(conn)) => {
                tracing::info!(bot = me.id, "holding the discord gateway lock");
                session(&app, &bot, conn, key, &shutdown).await;
            }
            Ok(None) => tracing::debug!("another process holds this bot's gateway; standing by"),
            Err(e) => tracing::warn!(error = %e, "cannot take the discord gateway lock"),
        }
        if !pause(&shutdown, Duration::from_secs(5)).await {
            return;
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

/// Runs the gateway and handles its events; returns when the lock's connection is lost, the
/// gateway ends, or at shutdown.
async fn session(app: &App, bot: &Bot, mut conn: PgConnection, key: i64, shutdown: &CancellationToken) {
    let configured = app.settings.discord.gateway_url.trim().to_string();
    let url = if configured.is_empty() {
        match bot.gateway_url().await {
            Ok(u) => u,
            Err(e) => {
                tracing::warn!(error = %e, "discord gateway/bot failed");
                release(conn, key).await;
                return;
            }
        }
    } else {
        configured
    };
    let cfg = GatewayConfig {
        url,
        token: bot.config().token.clone(),
        intents: discord::INTENTS,
    };
    let (tx, mut rx) = mpsc::unbounded_channel();
    let stop = shutdown.child_token();
    let gateway = tokio::spawn(discord::gateway::run(cfg, tx, stop.clone()));
    let mut ping = tokio::time::interval(Duration::from_secs(5));
    loop {
        tokio::select! {
            _ = shutdown.cancelled() => break,
            _ = ping.tick() => {
                if let Err(e) = conn.ping().await {
                    tracing::error!(error = %e, "lost the discord gateway lock's connection: stopping");
                    break;
                }
            }
            signal = rx.recv() => match signal {
                Some(Signal::Event(e)) => handle_until_done(app, bot, *e, shutdown).await,
                Some(Signal::Ready { resumed: false }) => super::catch_up::run(app, bot, shutdown).await,
                Some(Signal::Ready { resumed: true }) => {}
                None => break,
            }
        }
    }
    stop.cancel();
    match gateway.await {
        Ok(Err(e)) => tracing::error!(error = %e, "discord gateway ended"),
        Err(e) => tracing::error!(error = %e, "discord gateway task failed"),
        Ok(Ok(())) => {}
    }
    release(conn, key).await;
}

async fn release(mut conn: PgConnection, key: i64) {
    let _ = sqlx::query!("select pg_advisory_unlock($1) as \"released!\"", key)
        .fetch_one(&mut conn)
        .await;
    let _ = conn.close().await;
}

/// Handles one event, trying again while the failure may pass.
pub(super) async fn handle_until_done(app: &App, bot: &Bot, event: Event, shutdown: &CancellationToken) {
    let mut wait = Duration::from_millis(500);
    loop {
        match handle(app, bot, &event).await {
            Ok(()) => return,
            Err(e) if e.is_retryable() => {
                if let ReceiveError::Channel(ChannelError::RateLimited { retry_after }) = &e {
                    metrics::counter!("horme_channel_rate_limited_total", "channel" => "discord").increment(1);
                    wait = *retry_after;
                }
                tracing::warn!(error = %e, retry_in_ms = wait.as_millis() as u64, "discord event not handled; will retry");
                if !pause(shutdown, wait).await {
                    return;
                }
                wait = (wait * 2).min(Duration::from_secs(30));
            }
            Err(e) => {
                tracing::error!(error = %e, "discord event cannot be handled; skipped");
                return;
            }
        }
    }
}

/// Acts on one event.
pub async fn handle(app: &App, bot: &Bot, event: &Event) -> Result<(), ReceiveError> {
    match event {
        Event::MessageCreate(m) if m.is_request() => on_message(app, bot, m).await,
        Event::MessageCreate(_) => Ok(()),
        Event::InteractionCreate(i) => super::callbacks::on_interaction(app, bot, i).await,
    }
}

fn name_of(m: &Message) -> String {
    let n = m.author.display_name();
    if n.trim().is_empty() { "there".into() } else { n }
}

/// Whether the message's channel, author or server may submit requests:
/// `discord.allowed_channels`, the `chat_access` table (scope chat, user or workspace = the
/// guild id), or a thread the bot answers a request in.
pub async fn may_submit(app: &App, m: &Message) -> Result<bool, sqlx::Error> {
    if app.settings.discord.allowed_channels.contains(&m.channel_id) {
        return Ok(true);
    }
    let found: Option<bool> = sqlx::query_scalar(
        "select true from chat_access where channel = 'discord'
             and ((scope = 'chat' and subject_id = $1) or (scope = 'user' and subject_id = $2)
                  or (scope = 'workspace' and subject_id = $3))
           union all
           select true from inbound_messages where channel = 'discord' and thread->>'message_id' = $1
           limit 1",
    )
    .bind(m.channel_id.to_string())
    .bind(m.author.id.to_string())
    .bind(m.guild_id.map(|g| g.to_string()).unwrap_or_default())
    .fetch_optional(&app.pool)
    .await?;
    Ok(found.is_some())
}

#[tracing::instrument(skip_all, fields(channel = m.channel_id, message = m.id))]
async fn on_message(app: &App, bot: &Bot, m: &Message) -> Result<(), ReceiveError> {
    let ext = discord::external_id(m);
    let thread = discord::thread_of(m);
    // a refusal or a "too large" answers the message itself, without opening a thread on it
    let plain = ThreadRef::Discord {
        channel_id: m.channel_id,
        message_id: m.id,
        guild_id: None,
    };
    let simple = |kind: &'static str, template: &'static str, extra: Vec<(&'static str, String)>| {
        let mut vars = vec![("name", name_of(m)), ("company", app.settings.company.name.clone())];
        vars.extend(extra);
        ChatReply {
            key: format!("{kind}:{ext}"),
            thread: plain.clone(),
            kind,
            template,
            vars,
            quotation_id: None,
            rfp_id: None,
            attach_pdf: false,
            buttons: Vec::new(),
        }
    };
    // an approver who pressed Change: their next message here is the changes
    let actor = discord::identity(&m.author);
    let conversation = m.channel_id.to_string();
    if m.attachments.is_empty() && pending_edits::is_open(&app.pool, "discord", &conversation, &actor).await? {
        // stored like every message; a redelivered one stops here
        let mut tx = app.pool.begin().await?;
        if crate::ingest::insert_message(&mut tx, &discord::inbound(m, Vec::new()))
            .await?
            .is_none()
        {
            return Ok(());
        }
        tx.commit().await?;
        if let Some(outcome) = pending_edits::on_message(app, "discord", &conversation, &actor, &m.content).await? {
            let (kind, extra) = outcome.reply();
            let template = if kind == "change_done" {
                "change_done.md"
            } else {
                "change_refused.md"
            };
            let mut conn = app.pool.acquire().await?;
            replies::queue(&mut conn, app, simple(kind, template, extra)).await?;
        }
        return Ok(());
    }
    if !may_submit(app, m).await? {
        tracing::info!(
            user = m.author.id,
            "message from a channel that may not submit: refused"
        );
        let mut conn = app.pool.acquire().await?;
        crate::audit::record(
            &mut conn,
            crate::audit::Entry {
                entity: "discord_channel",
                entity_id: &m.channel_id.to_string(),
                action: "submission_refused",
                actor: &discord::identity(&m.author),
                channel: "discord",
                detail: serde_json::json!({"message": ext, "name": m.author.display_name()}),
            },
        )
        .await?;
        replies::queue(&mut conn, app, simple("refused", "refused.md", vec![])).await?;
        return Ok(());
    }
    let limit = app.settings.discord.max_download_bytes;
    let too_large = |filename: &str| {
        simple(
            "too_large",
            "too_large.md",
            vec![
                ("filename", filename.to_string()),
                ("limit", format!("{} MB", limit / (1024 * 1024))),
            ],
        )
    };
    if let Some(big) = m.attachments.iter().find(|a| a.size > limit) {
        tracing::info!(bytes = big.size, "attachment over the download limit: answered");
        let mut conn = app.pool.acquire().await?;
        replies::queue(&mut conn, app, too_large(&big.filename)).await?;
        return Ok(());
    }
    if already_stored(app, &ext).await? {
        tracing::info!("duplicate message: already stored");
        return Ok(());
    }
    let mut files = Vec::new();
    for a in &m.attachments {
        let content = match bot.download(&a.url, limit).await {
            Ok(c) => c,
            Err(ChannelError::Permanent(why)) if why.contains("download limit") => {
                let mut conn = app.pool.acquire().await?;
                replies::queue(&mut conn, app, too_large(&a.filename)).await?;
                return Ok(());
            }
            Err(e) => return Err(e.into()),
        };
        files.push(Attachment {
            filename: a.filename.clone(),
            media_type: a
                .content_type
                .clone()
                .map(|t| t.split(';').next().unwrap_or_default().trim().to_string())
                .filter(|t| !t.is_empty())
                .unwrap_or_else(|| "application/octet-stream".into()),
            content,
        });
    }
    let msg = discord::inbound(m, files);
    let mut tx = app.pool.begin().await?;
    let Some(stored) = crate::ingest::insert_message(&mut tx, &msg).await? else {
        tx.rollback().await?;
        tracing::info!("duplicate message: already stored");
        return Ok(());
    };
    let rfp = crate::ingest::start_rfp(&mut tx, stored, &msg, app.settings.workers.max_attempts).await?;
    let ack = ChatReply {
        thread,
        rfp_id: Some(rfp),
        ..simple(
            "ack",
            "ack.md",
            vec![("reference", crate::mail::replies::reference(rfp))],
        )
    };
    replies::queue(&mut tx, app, ack).await?;
    tx.commit().await?;
    tracing::info!(%rfp, "request stored and acknowledged");
    Ok(())
}

async fn already_stored(app: &App, ext: &str) -> Result<bool, sqlx::Error> {
    let n = sqlx::query_scalar!(
        r#"select count(*) as "n!" from inbound_messages where channel = 'discord' and external_id = $1"#,
        ext
    )
    .fetch_one(&app.pool)
    .await?;
    Ok(n > 0)
}
