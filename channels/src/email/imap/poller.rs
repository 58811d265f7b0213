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
/// and followed by a reconnect after a backoff.
#[tracing::instrument(skip_all, fields(mailbox = %cfg.name))]
pub async fn run<S: MailboxStore>(cfg: ImapConfig, store: S, shutdown: CancellationToken) {
    let mut backoff = cfg.backoff_min;
    tracing::info!(host = %cfg.host, folder = %cfg.folder, "IMAP poller started");
    loop {
        let mut healthy = false;
        match session(&cfg, &store, &shutdown, &mut healthy).await {
            Ok(()) => break,
            Err(e) => {
                if healthy {
                    backoff = cfg.backoff_min;
                }
                let wait = match &e {
                    ChannelError::Permanent(_) => {
                        tracing::error!(error = %e, "IMAP mailbox unusable; retrying later");
                        cfg.backoff_max
                    }
                    _ => {
                        tracing::warn!(error = %e, retry_in_ms = backoff.as_millis() as u64, "IMAP session ended");
                        backoff
                    }
                };
                tokio::select! {
                    _ = shutdown.cancelled() => break,
                    _ = tokio::time::sleep(wait) => {}
                }
                backoff = (backoff * 2).min(cfg.backoff_max);
            }
        }
    }
    tracing::info!("IMAP poller stopped");
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
    healthy: &mut bool,
) -> Result<(), ChannelError> {
    let mut s = match connect(cfg).await {
        Ok(s) => {
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
        *healthy = true;
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
