//! Protocol edge of the Horme quote bot.
//!
//! This crate turns platform events (a mail in an IMAP mailbox, a Telegram update, a Slack
//! event, an HTTP upload) into [`InboundMessage`]s and sends [`OutboundReply`]s back into the
//! same thread. It knows nothing of the database or the quotation pipeline: the application
//! stores what arrives before acknowledging it and drains an outbox through these senders.

pub mod discord;
pub mod email;
pub mod error;
pub mod message;
pub mod sender;
pub mod slack;
pub mod telegram;

pub use error::ChannelError;
pub use message::{Attachment, ChannelKind, InboundMessage, OutboundReply, ReplyButton, Sender, ThreadRef};
pub use sender::{Outgoing, ReplySender};
