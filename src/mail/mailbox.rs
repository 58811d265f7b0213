//! One IMAP poller per mailbox across every process: the poller runs only while this process
//! holds a PostgreSQL advisory lock for the mailbox, on a connection of its own (the lock goes
//! with the connection when the process dies). The cursor (UIDVALIDITY, last UID) lives in
//! `mail_mailboxes`; received mail goes through [`super::receive`].

use std::time::Duration;

use channels::ChannelError;
use channels::email::imap::{self, Cursor, Fetched, ImapConfig, MailboxStore};
use sha2::{Digest, Sha256};
use sqlx::{Connection, PgConnection};
use tokio_util::sync::CancellationToken;

use crate::startup::App;

/// The application's side of one poller.
#[derive(Clone)]
pub struct PgMailboxStore {
    pub app: App,
    /// `user@host:port/folder`
    pub key: String,
    /// The mailbox's name in the configuration (`mail.mailboxes.NAME`).
    pub name: String,
    /// How its login is named for readiness: "mailbox NAME".
    pub login: String,
}

fn db(e: sqlx::Error) -> ChannelError {
    ChannelError::Transient(format!("database: {e}"))
}

impl MailboxStore for PgMailboxStore {
    async fn cursor(&self) -> Result<Option<Cursor>, ChannelError> {
        let row = sqlx::query!(
            "select uid_validity, last_uid from mail_mailboxes where mailbox = $1",
            self.key
        )
        .fetch_optional(&self.app.pool)
        .await
        .map_err(db)?;
        Ok(row.map(|r| Cursor {
            uid_validity: r.uid_validity as u32,
            last_uid: r.last_uid as u32,
        }))
    }

    async fn store(&self, mail: Fetched) -> Result<(), ChannelError> {
        super::receive::receive(&self.app, &self.key, mail).await.map_err(db)
    }

    /// Readiness, and `horme_imap_login_failures_total{mailbox, reason}` per failed attempt
    /// (`reason`: `refused` when the server refused the credentials, else `error`).
    fn logged_in(&self, result: Result<(), &ChannelError>) {
        if let Err(e) = result {
            let reason = match e {
                ChannelError::Unauthorized(_) => "refused",
                _ => "error",
            };
            metrics::counter!("horme_imap_login_failures_total", "mailbox" => self.name.clone(), "reason" => reason)
                .increment(1);
        }
        self.app.logins.record(&self.login, result.map_err(|e| e.to_string()));
    }

    async fn save_cursor(&self, c: Cursor) -> Result<(), ChannelError> {
        sqlx::query!(
            r#"insert into mail_mailboxes (mailbox, uid_validity, last_uid) values ($1, $2, $3)
               on conflict (mailbox) do update set uid_validity = excluded.uid_validity,
                   last_uid = case when mail_mailboxes.uid_validity = excluded.uid_validity
                                   then greatest(mail_mailboxes.last_uid, excluded.last_uid)
                                   else excluded.last_uid end"#,
            self.key,
            i64::from(c.uid_validity),
            i64::from(c.last_uid)
        )
        .execute(&self.app.pool)
        .await
        .map_err(db)?;
        Ok(())
    }
}

/// The advisory lock key of a mailbox.
fn lock_key(mailbox: &str) -> i64 {
    let d = Sha256::digest(format!("horme.mail.poller:{mailbox}").as_bytes());
    i64::from_be_bytes(d[..8].try_into().unwrap_or([0; 8]))
}

/// Runs the poller of one mailbox whenever this process holds its lock; otherwise waits as a
/// standby and tries again.
#[tracing::instrument(skip_all, fields(mailbox = %cfg.name))]
pub async fn run_singleton(app: App, key: String, cfg: ImapConfig, shutdown: CancellationToken) {
    let standby = Duration::from_secs(5);
    while !shutdown.is_cancelled() {
        match lock(&app, &key).await {
            Ok(Some(conn)) => {
                tracing::info!("holding the poller lock of this mailbox");
                hold_and_poll(&app, &key, &cfg, conn, &shutdown).await;
            }
            Ok(None) => tracing::debug!("another process polls this mailbox; standing by"),
            Err(e) => tracing::warn!(error = %e, "cannot take the poller lock"),
        }
        tokio::select! {
            _ = shutdown.cancelled() => return,
            _ = tokio::time::sleep(standby) => {}
        }
    }
}

async fn lock(app: &App, key: &str) -> Result<Option<PgConnection>, sqlx::Error> {
    let mut conn = PgConnection::connect_with(&app.pool.connect_options()).await?;
    let got = sqlx::query_scalar!("select pg_try_advisory_lock($1) as \"got!\"", lock_key(key))
        .fetch_one(&mut conn)
        .await?;
    if got {
        Ok(Some(conn))
    } else {
        let _ = conn.close().await;
        Ok(None)
    }
}

/// Polls while the lock connection is alive; a lost connection (the lock with it) stops the
/// poller, so that two processes never poll the same mailbox.
async fn hold_and_poll(app: &App, key: &str, cfg: &ImapConfig, mut conn: PgConnection, shutdown: &CancellationToken) {
    let stop = shutdown.child_token();
    let store = PgMailboxStore {
        app: app.clone(),
        key: key.to_string(),
        name: cfg.name.clone(),
        login: format!("mailbox {}", cfg.name),
    };
    let mut poller = tokio::spawn(imap::run(cfg.clone(), store, stop.clone()));
    let mut check = tokio::time::interval(Duration::from_secs(10));
    check.tick().await;
    loop {
        tokio::select! {
            _ = &mut poller => break,
            _ = check.tick() => {
                if let Err(e) = conn.ping().await {
                    tracing::error!(error = %e, "lost the poller lock's connection: stopping this poller");
                    stop.cancel();
                    let _ = (&mut poller).await;
                    return;
                }
            }
        }
    }
    let _ = sqlx::query!("select pg_advisory_unlock($1) as \"released!\"", lock_key(key))
        .fetch_one(&mut conn)
        .await;
    let _ = conn.close().await;
}
