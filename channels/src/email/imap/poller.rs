//! The poll loop of one mailbox: connect, sync new messages by UID, wait (IDLE or poll),
//! repeat; reconnect with backoff after any error.

use std::future::Future;
use std::time::Duration;

use async_imap::types::UnsolicitedResponse;
use futures::TryStreamExt;
use tokio_util::sync::CancellationToken;

use super::connect::{ImapSession, connect, transient};
use super::{AfterStore, Content, Cursor, Fetched, ImapConfig, MailboxStore};
use crate::ChannelError;

/// Watches one mailbox until `shutdown` is cancelled. Never returns early: errors are logged
/// and followed by a reconnect after a backoff ([`Retry`]).
#[tracing::instrument(skip_all, fields(mailbox = %cfg.name))]
pub async fn run<S: MailboxStore>(cfg: ImapConfig, store: S, shutdown: CancellationToken) {
    let mut retry = Retry::new(&cfg);
    tracing::info!(host = %cfg.host, folder = %cfg.folder, "IMAP poller started");
    loop {
        match session(&cfg, &store, &shutdown, &mut retry).await {
            Ok(()) => break,
            Err(e) => {
                let wait = retry.after(&cfg, &e);
                tokio::select! {
                    _ = shutdown.cancelled() => break,
                    _ = tokio::time::sleep(wait) => {}
                }
            }
        }
    }
    tracing::info!("IMAP poller stopped");
}

/// When to connect again, and what has been said about it. Network trouble is retried soon,
/// with exponential backoff from `backoff_min` (back to it once a session worked) up to
/// `backoff_max`. Refused credentials are retried only after `auth_failure_backoff` — quick
/// retries with a wrong password get accounts locked — and logged at ERROR with the server's
/// answer once per change (a new answer, or after a successful login), not at every attempt.
#[derive(Debug)]
struct Retry {
    backoff: Duration,
    /// The server's answer while it refuses the credentials.
    refused: Option<String>,
}

impl Retry {
    fn new(cfg: &ImapConfig) -> Self {
        Self {
            backoff: cfg.backoff_min,
            refused: None,
        }
    }

    /// The server accepted the credentials.
    fn logged_in(&mut self) {
        if self.refused.take().is_some() {
            tracing::info!("IMAP login accepted again");
        }
    }

    /// A session synced: the next network error is retried after `backoff_min` again.
    fn healthy(&mut self, cfg: &ImapConfig) {
        self.backoff = cfg.backoff_min;
    }

    /// Logs `e` and returns how long to wait before connecting again.
    fn after(&mut self, cfg: &ImapConfig, e: &ChannelError) -> Duration {
        match e {
            ChannelError::Unauthorized(answer) => {
                let wait = cfg.auth_failure_backoff;
                if self.refused.as_ref() != Some(answer) {
                    tracing::error!(
                        error = %e,
                        retry_in_s = wait.as_secs(),
                        "the IMAP server refused the credentials; fix the password (or the account), \
                         the next attempt is not made sooner, so that the account is not locked"
                    );
                    self.refused = Some(answer.clone());
                } else {
                    tracing::debug!(error = %e, retry_in_s = wait.as_secs(), "credentials still refused");
                }
                wait
            }
            ChannelError::Permanent(_) => {
                tracing::error!(error = %e, "IMAP mailbox unusable; retrying later");
                cfg.backoff_max
            }
            _ => {
                let wait = self.backoff;
                tracing::warn!(error = %e, retry_in_ms = wait.as_millis() as u64, "IMAP session ended");
                self.backoff = (self.backoff * 2).min(cfg.backoff_max);
                wait
            }
        }
    }
}

/// Runs `fut` within the command timeout.
async fn timed<T, F>(cfg: &ImapConfig, what: &'static str, fut: F) -> Result<T, ChannelError>
where
    F: Future<Output = Result<T, async_imap::error::Error>>,
{
    match tokio::time::timeout(cfg.command_timeout, fut).await {
        Ok(r) => r.map_err(transient(what)),
        Err(_) => Err(ChannelError::Transient(format!(
            "IMAP {what} timed out after {:?}",
            cfg.command_timeout
        ))),
    }
}

/// One connection's life. `Ok` only at shutdown.
async fn session<S: MailboxStore>(
    cfg: &ImapConfig,
    store: &S,
    shutdown: &CancellationToken,
    retry: &mut Retry,
) -> Result<(), ChannelError> {
    let mut s = match connect(cfg).await {
        Ok(s) => {
            retry.logged_in();
            store.logged_in(Ok(()));
            s
        }
        Err(e) => {
            store.logged_in(Err(&e));
            return Err(e);
        }
    };
    let caps = timed(cfg, "CAPABILITY", s.capabilities()).await?;
    let can_idle = cfg.idle && caps.has_str("IDLE");
    let mover = Mover {
        can_move: caps.has_str("MOVE"),
        can_uid_expunge: caps.has_str("UIDPLUS"),
    };
    if let AfterStore::MoveTo(folder) = &cfg.after_store {
        // NO means it exists already; any real problem shows up at the first move.
        let _ = timed(cfg, "CREATE", s.create(folder)).await;
    }
    let mailbox = timed(cfg, "SELECT", s.select(&cfg.folder)).await?;
    let uid_validity = mailbox
        .uid_validity
        .ok_or_else(|| ChannelError::Permanent(format!("{} has no UIDVALIDITY", cfg.folder)))?;
    tracing::debug!(
        uid_validity,
        exists = mailbox.exists,
        idle = can_idle,
        "mailbox selected"
    );
    let mut uid_next = mailbox.uid_next;
    // IDLE is re-issued at least this often: a safety net for any missed notification.
    let idle_for = cfg.idle_timeout.min(cfg.poll_interval.max(Duration::from_secs(5)));
    loop {
        sync(&mut s, cfg, store, uid_validity, uid_next.take(), &mover).await?;
        retry.healthy(cfg);
        if shutdown.is_cancelled() {
            let _ = s.logout().await;
            return Ok(());
        }
        // New mail announced while we were busy (an EXISTS in a FETCH or STORE response):
        // look again at once instead of waiting for a notification that already came.
        if announced_new_mail(&s) {
            continue;
        }
        if can_idle {
            let mut idle = s.idle();
            timed(cfg, "IDLE", idle.init()).await?;
            let stopped = {
                let (wait, _interrupt) = idle.wait_with_timeout(idle_for);
                tokio::select! {
                    r = tokio::time::timeout(idle_for, wait) => match r {
                        Ok(Err(e)) => return Err(transient("IDLE")(e)),
                        _ => false,
                    },
                    _ = shutdown.cancelled() => true,
                }
            };
            s = timed(cfg, "DONE", idle.done()).await?;
            if stopped {
                let _ = s.logout().await;
                return Ok(());
            }
        } else {
            tokio::select! {
                _ = shutdown.cancelled() => {
                    let _ = s.logout().await;
                    return Ok(());
                }
                _ = tokio::time::sleep(cfg.poll_interval) => {}
            }
            timed(cfg, "NOOP", s.noop()).await?;
        }
    }
}

/// Drains the unsolicited responses; true if one of them announced new messages.
fn announced_new_mail(s: &ImapSession) -> bool {
    let mut new = false;
    while let Ok(r) = s.unsolicited_responses.try_recv() {
        new |= matches!(r, UnsolicitedResponse::Exists(_) | UnsolicitedResponse::Recent(_));
    }
    new
}

/// Fetches, hands over and marks every message after the cursor.
async fn sync<S: MailboxStore>(
    s: &mut ImapSession,
    cfg: &ImapConfig,
    store: &S,
    uid_validity: u32,
    uid_next: Option<u32>,
    mover: &Mover,
) -> Result<(), ChannelError> {
    let cursor = store.cursor().await?;
    let move_mode = matches!(cfg.after_store, AfterStore::MoveTo(_));
    let (query, floor, fresh) = match cursor {
        Some(c) if c.uid_validity == uid_validity => {
            (format!("UID {}:*", c.last_uid.saturating_add(1)), c.last_uid, false)
        }
        other => {
            if other.is_some() {
                tracing::warn!(uid_validity, "UIDVALIDITY changed: taking the unseen messages again");
            }
            let q = if move_mode { "ALL" } else { "UNSEEN" };
            (q.to_string(), 0, true)
        }
    };
    let mut uids: Vec<u32> = timed(cfg, "SEARCH", s.uid_search(&query))
        .await?
        .into_iter()
        .filter(|u| *u > floor)
        .collect();
    uids.sort_unstable();
    let mut last = floor;
    for uid in uids {
        let Some(content) = fetch(s, cfg, uid).await? else {
            continue; // expunged meanwhile
        };
        store
            .store(Fetched {
                uid,
                uid_validity,
                content,
            })
            .await?;
        mover.mark(s, cfg, uid).await?;
        last = uid;
        // On a fresh start the unseen flag is the progress marker; the cursor comes at the end.
        if !fresh {
            store
                .save_cursor(Cursor {
                    uid_validity,
                    last_uid: uid,
                })
                .await?;
        }
    }
    if fresh {
        let top = uid_next.map(|n| n.saturating_sub(1)).unwrap_or(last).max(last);
        store
            .save_cursor(Cursor {
                uid_validity,
                last_uid: top,
            })
            .await?;
    }
    Ok(())
}

/// The message's bytes (`BODY.PEEK[]`, so nothing is marked before it is stored), or only its
/// header when it is larger than the limit. `None` when the message is gone.
async fn fetch(s: &mut ImapSession, cfg: &ImapConfig, uid: u32) -> Result<Option<Content>, ChannelError> {
    let set = uid.to_string();
    let meta = timed(cfg, "FETCH size", async {
        s.uid_fetch(&set, "(UID RFC822.SIZE)")
            .await?
            .try_collect::<Vec<_>>()
            .await
    })
    .await?;
    let Some(size) = meta.iter().find(|f| f.uid == Some(uid)).map(|f| f.size.unwrap_or(0)) else {
        return Ok(None);
    };
    if size > cfg.max_message_bytes {
        let got = timed(cfg, "FETCH header", async {
            s.uid_fetch(&set, "(UID BODY.PEEK[HEADER])")
                .await?
                .try_collect::<Vec<_>>()
                .await
        })
        .await?;
        let header = got
            .iter()
            .find(|f| f.uid == Some(uid))
            .and_then(|f| f.header())
            .map(<[u8]>::to_vec);
        return Ok(header.map(|header| Content::TooLarge { header, size }));
    }
    let got = timed(cfg, "FETCH body", async {
        s.uid_fetch(&set, "(UID BODY.PEEK[])")
            .await?
            .try_collect::<Vec<_>>()
            .await
    })
    .await?;
    Ok(got
        .iter()
        .find(|f| f.uid == Some(uid))
        .and_then(|f| f.body())
        .map(|b| Content::Full(b.to_vec())))
}

/// Marks a stored message: `\Seen`, or moved (MOVE, else COPY + `\Deleted` + UID EXPUNGE).
struct Mover {
    can_move: bool,
    can_uid_expunge: bool,
}

impl Mover {
    async fn mark(&self, s: &mut ImapSession, cfg: &ImapConfig, uid: u32) -> Result<(), ChannelError> {
        let set = uid.to_string();
        match &cfg.after_store {
            AfterStore::MoveTo(folder) if self.can_move => timed(cfg, "MOVE", s.uid_mv(&set, folder)).await,
            AfterStore::MoveTo(folder) if self.can_uid_expunge => {
                timed(cfg, "COPY", s.uid_copy(&set, folder)).await?;
                set_flag(s, cfg, &set, "\\Deleted").await?;
                timed(cfg, "EXPUNGE", async {
                    s.uid_expunge(&set).await?.try_collect::<Vec<_>>().await
                })
                .await
                .map(|_| ())
            }
            AfterStore::MoveTo(folder) => {
                tracing::warn!(%folder, "server has neither MOVE nor UIDPLUS: marking \\Seen instead of moving");
                set_flag(s, cfg, &set, "\\Seen").await
            }
            AfterStore::MarkSeen => set_flag(s, cfg, &set, "\\Seen").await,
        }
    }
}

async fn set_flag(s: &mut ImapSession, cfg: &ImapConfig, set: &str, flag: &str) -> Result<(), ChannelError> {
    let query = format!("+FLAGS.SILENT ({flag})");
    timed(cfg, "STORE", async {
        s.uid_store(set, &query).await?.try_collect::<Vec<_>>().await
    })
    .await
    .map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg() -> ImapConfig {
        ImapConfig {
            name: "sales".into(),
            host: "imap.example.com".into(),
            port: 993,
            security: crate::email::Security::Tls,
            username: "sales@example.com".into(),
            password: "secret".into(),
            ca_file: None,
            folder: "INBOX".into(),
            after_store: AfterStore::MarkSeen,
            idle: true,
            poll_interval: Duration::from_secs(60),
            idle_timeout: Duration::from_secs(1500),
            max_message_bytes: 1 << 20,
            connect_timeout: Duration::from_secs(30),
            command_timeout: Duration::from_secs(120),
            backoff_min: Duration::from_millis(100),
            backoff_max: Duration::from_secs(15),
            auth_failure_backoff: Duration::from_secs(300),
        }
    }

    #[test]
    fn network_trouble_is_retried_soon_and_refused_credentials_rarely() {
        let cfg = cfg();
        let mut retry = Retry::new(&cfg);
        let reset = ChannelError::Transient("connection reset".into());
        assert_eq!(retry.after(&cfg, &reset), Duration::from_millis(100));
        assert_eq!(retry.after(&cfg, &reset), Duration::from_millis(200));

        let refused = ChannelError::Unauthorized("[AUTHENTICATIONFAILED] Authentication failed.".into());
        assert_eq!(retry.after(&cfg, &refused), Duration::from_secs(300));
        assert_eq!(
            retry.refused.as_deref(),
            Some("[AUTHENTICATIONFAILED] Authentication failed."),
            "remembered, so the same answer is not logged at ERROR again"
        );
        assert_eq!(retry.after(&cfg, &refused), Duration::from_secs(300));

        retry.logged_in();
        assert_eq!(retry.refused, None, "a successful login ends the refusal");
        retry.healthy(&cfg);
        assert_eq!(retry.after(&cfg, &reset), Duration::from_millis(100));
        for _ in 0..10 {
            retry.after(&cfg, &reset);
        }
        assert_eq!(retry.after(&cfg, &reset), Duration::from_secs(15), "capped");
    }
}
