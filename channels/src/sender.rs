//! The one interface the outbox drainer sends through: each channel that answers registers a
//! [`ReplySender`], and the drainer hands it every due reply of its channel.

use futures::future::BoxFuture;

use crate::{ChannelError, ChannelKind, OutboundReply};

/// A reply claimed from the outbox, ready to go out.
#[derive(Debug, Clone)]
pub struct Outgoing {
    pub reply: OutboundReply,
    /// What the reply is (`ack`, `quotation`, `approval_request` …).
    pub kind: String,
    /// A subject for channels that have one (a mail starting a thread).
    pub subject: Option<String>,
    /// The id the platform will know the reply by, when we choose it (our Message-ID).
    pub external_id: Option<String>,
    /// Unique per reply: a platform that deduplicates sends can use it.
    pub idempotency_key: String,
}

/// Sends replies of one channel. `Transient` and `RateLimited` errors are retried by the
/// drainer (after `retry_after` for the latter); `Permanent` ones are final.
pub trait ReplySender: Send + Sync {
    fn channel(&self) -> ChannelKind;
    fn send<'a>(&'a self, out: &'a Outgoing) -> BoxFuture<'a, Result<(), ChannelError>>;
}
