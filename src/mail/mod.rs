//! The mail channel of the application: IMAP pollers (one per mailbox, singleton across
//! processes) storing what arrives, the classification and threading of received mail, the
//! replies it causes, and the SMTP drainer of the outbox. The protocol work itself is in the
//! `channels` crate; this side owns the database.

pub mod approvals;
pub mod authres;
pub mod classify;
pub mod commands;
pub mod forwarded;
pub mod jobs;
pub mod mailbox;
pub mod notify;
pub mod receive;
pub mod replies;
pub mod settings;
pub mod staff;
pub mod threading;

use channels::email::smtp::SmtpSender;
use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;

use crate::startup::App;

/// Outbox kinds addressed to staff: never answered with a delivery-failure notice.
pub const STAFF_KINDS: &[&str] = &["approval_request", "decision", "accepted_sales", "delivery_failed"];

/// Whether `address` may approve quotations (configuration or the approvers table).
pub async fn is_approver(app: &App, address: &str) -> Result<bool, sqlx::Error> {
    let mut conn = app.pool.acquire().await?;
    crate::quotations::approval::is_approver(&mut conn, &app.settings.approval, address).await
}

/// Where drafts for approval go: `mail.approvals_address`, else every approver with a mail
/// address (configuration and the approvers table).
pub async fn approval_recipients(conn: &mut sqlx::PgConnection, app: &App) -> Result<Vec<String>, sqlx::Error> {
    let m = &app.settings.mail;
    if !m.approvals_address.trim().is_empty() {
        return Ok(vec![m.approvals_address.trim().to_ascii_lowercase()]);
    }
    let mut out: Vec<String> = app
        .settings
        .approval
        .approvers
        .iter()
        .map(|a| a.trim().to_ascii_lowercase())
        .filter(|a| a.contains('@'))
        .collect();
    let table = sqlx::query_scalar!("select identity from approvers where identity like '%@%' order by identity")
        .fetch_all(&mut *conn)
        .await?;
    for a in table {
        if !out.contains(&a) {
            out.push(a);
        }
    }
    Ok(out)
}

/// The mail channel's reply sender, for the outbox registry (when `mail.enabled`); an error
/// names what is missing (a user name without a password, an unreadable `password_file`).
pub fn reply_sender(app: &App) -> anyhow::Result<Option<crate::outbox::email::MailReplySender>> {
    let m = &app.settings.mail;
    if !m.enabled {
        return Ok(None);
    }
    let cfg = m.smtp_config().map_err(|e| anyhow::anyhow!(e))?;
    let smtp = SmtpSender::new(&cfg).map_err(|e| anyhow::anyhow!("mail.smtp: {e}"))?;
    Ok(Some(crate::outbox::email::MailReplySender::new(smtp, m.clone())))
}

/// Starts the mail channel alone (when `mail.enabled`): its pollers and an outbox drainer for
/// mail replies only. `serve` starts every channel with one drainer instead
/// ([`crate::startup::spawn_channels`]).
pub fn spawn(app: &App, shutdown: &CancellationToken) -> anyhow::Result<JoinSet<()>> {
    // the sender first: a configuration that cannot send starts no poller either
    let sender = reply_sender(app)?;
    let mut tasks = spawn_pollers(app, shutdown)?;
    if let Some(sender) = sender {
        let mut registry = crate::outbox::Registry::new();
        registry.register(std::sync::Arc::new(sender));
        tasks.spawn(crate::outbox::drain::run_all(app.clone(), registry, shutdown.clone()));
    }
    Ok(tasks)
}

/// Starts a poller per mailbox (when `mail.enabled`); they end when `shutdown` is cancelled.
/// Every mailbox's settings are checked (its password present) before any poller starts.
pub fn spawn_pollers(app: &App, shutdown: &CancellationToken) -> anyhow::Result<JoinSet<()>> {
    let mut tasks = JoinSet::new();
    let m = &app.settings.mail;
    if !m.enabled {
        return Ok(tasks);
    }
    let configs = m
        .mailboxes
        .iter()
        .map(|(name, mailbox)| Ok((m.imap_config(name, mailbox)?, settings::mailbox_key(mailbox))))
        .collect::<Result<Vec<_>, String>>()
        .map_err(|e| anyhow::anyhow!(e))?;
    for (cfg, key) in configs {
        tasks.spawn(mailbox::run_singleton(app.clone(), key, cfg, shutdown.clone()));
    }
    tracing::info!(mailboxes = m.mailboxes.len(), "mail channel started");
    Ok(tasks)
}
