//! The IMAP side of the mail channel: a poller per mailbox that hands every new message, as
//! raw bytes, to the application to store, and only then marks it `\Seen` or moves it away.
//!
//! New mail is found by UID: the application keeps, per mailbox, the UIDVALIDITY and the last
//! UID it has finished; the poller asks for `UID last+1:*`. A message stored but not yet marked
//! when the process died is fetched again, stored again (the application dedupes on
//! Message-ID) and then marked. When UIDVALIDITY changes, or on the very first run, the poller
//! takes the unseen messages only (all messages in move mode), so a mailbox's history is not
//! answered. Waiting uses IDLE when the server offers it, else polling; any error drops the
//! connection and reconnects with exponential backoff, except that refused credentials are
//! tried again only after `auth_failure_backoff`.

mod connect;
mod poller;

use std::future::Future;
use std::path::PathBuf;
use std::time::Duration;

pub use async_imap;
pub use connect::{ImapSession, MailStream, connect};
pub use poller::run;

use super::Security;
use crate::ChannelError;

/// What happens to a message once the application has stored it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AfterStore {
    /// Set `\Seen` and leave it in the folder.
    MarkSeen,
    /// Move it to this folder (created when missing).
    MoveTo(String),
}

/// One mailbox to watch.
#[derive(Clone)]
pub struct ImapConfig {
    /// A name for logs and for the application's state ("sales").
    pub name: String,
    pub host: String,
    pub port: u16,
    pub security: Security,
    pub username: String,
    pub password: String,
    /// Extra trusted CA certificates (PEM) for a server with its own CA.
    pub ca_file: Option<PathBuf>,
    /// The folder to watch, usually `INBOX`.
    pub folder: String,
    pub after_store: AfterStore,
    /// Use IDLE when the server supports it (else poll).
    pub idle: bool,
    /// How often to look for mail without IDLE.
    pub poll_interval: Duration,
    /// IDLE is re-issued after this long (servers drop idle clients after 30 minutes).
    pub idle_timeout: Duration,
    /// Larger messages are not downloaded: only their header is handed over.
    pub max_message_bytes: u32,
    pub connect_timeout: Duration,
    /// Upper bound for one command (a large FETCH included).
    pub command_timeout: Duration,
    /// Reconnects after network trouble wait from `backoff_min`, doubling up to `backoff_max`.
    pub backoff_min: Duration,
    pub backoff_max: Duration,
    /// The wait after the server refused the credentials: long, so that a wrong password does
    /// not get the account locked (Gmail, Microsoft 365 lock after repeated failures).
    pub auth_failure_backoff: Duration,
}

impl std::fmt::Debug for ImapConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ImapConfig")
            .field("name", &self.name)
            .field("host", &self.host)
            .field("port", &self.port)
            .field("security", &self.security)
            .field("username", &self.username)
            .field("password", &"[redacted]")
            .field("folder", &self.folder)
            .field("after_store", &self.after_store)
            .finish_non_exhaustive()
    }
}

/// Where the poller stands in a mailbox, as persisted by the application.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cursor {
    pub uid_validity: u32,
    /// Every message up to this UID is stored and marked.
    pub last_uid: u32,
}

/// What was fetched for one message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Content {
    /// The whole message (`BODY.PEEK[]`).
    Full(Vec<u8>),
    /// The message exceeds the size limit: its header only, and its size.
    TooLarge { header: Vec<u8>, size: u32 },
}

/// One message fetched from the mailbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fetched {
    pub uid: u32,
    pub uid_validity: u32,
    pub content: Content,
}

/// The application's side of a poller: it keeps the cursor and stores messages. `store` must
/// be durable and idempotent before it returns: the message is marked right after.
pub trait MailboxStore: Send + Sync {
    fn cursor(&self) -> impl Future<Output = Result<Option<Cursor>, ChannelError>> + Send;
    fn store(&self, mail: Fetched) -> impl Future<Output = Result<(), ChannelError>> + Send;
    fn save_cursor(&self, cursor: Cursor) -> impl Future<Output = Result<(), ChannelError>> + Send;
    /// Told after every connect-and-login: `Ok` once logged in, else why not (for readiness).
    fn logged_in(&self, _result: Result<(), &ChannelError>) {}
}
