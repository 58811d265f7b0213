//! Discord: a REST client ([`Bot`]), the gateway websocket ([`gateway`]) turned into what the
//! application acts on, and the channel's [`ReplySender`] — replies in a thread started on
//! the request message (in a direct message: a reply to it), files as attachments of the
//! message, buttons as message components.
//!
//! Why not serenity (which the issue named): serenity 0.12 brings its own HTTP and TLS stack
//! (reqwest 0.12, rustls 0.22, tungstenite 0.21 — a second copy of what is in the tree, on a
//! build machine of two shared cores), and its HTTP client waits out 429s inside the call,
//! where the outbox must see them (`ChannelError::RateLimited`: the lease, the retry and the
//! metric live there). A REST client on the reqwest 0.13 already in the tree, and a gateway
//! client on tokio-tungstenite (handshake only) are a few hundred lines, pointed at fakes by
//! base URL in the tests exactly as in production.

pub mod api;
pub mod gateway;
pub mod types;

use futures::future::BoxFuture;

pub use api::{ApiError, Bot, DiscordConfig, NewMessage};
pub use gateway::{Event, GatewayConfig, INTENTS, Signal};
pub use types::{Interaction, Message, MessageAttachment, User};

use crate::{Attachment, ChannelError, ChannelKind, InboundMessage, Outgoing, ReplySender, Sender, ThreadRef};

/// The dedupe key of a message: `channel_id:message_id`.
pub fn external_id(m: &Message) -> String {
    format!("{}:{}", m.channel_id, m.id)
}

/// The thread that answers `m`: a thread on it in a guild, a reply to it in a DM.
pub fn thread_of(m: &Message) -> ThreadRef {
    ThreadRef::Discord {
        channel_id: m.channel_id,
        message_id: m.id,
        guild_id: m.guild_id,
    }
}

/// The sender's identity as approvers and allow-lists know it: `discord:<user id>`.
pub fn identity(u: &User) -> String {
    format!("discord:{}", u.id)
}

/// The message as the application stores it, with its downloaded attachments.
pub fn inbound(m: &Message, attachments: Vec<Attachment>) -> InboundMessage {
    InboundMessage {
        channel: ChannelKind::Discord,
        external_id: external_id(m),
        thread: thread_of(m),
        sender: Sender {
            address: identity(&m.author),
            display_name: Some(m.author.display_name()),
        },
        subject: None,
        text: m.content.clone(),
        html: None,
        attachments,
        raw: serde_json::to_vec(m).ok(),
        forwarded_by: None,
    }
}

/// Splits a text into pieces a message can hold, at line ends where possible.
fn chunks(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for line in text.split_inclusive('\n') {
        if cur.chars().count() + line.chars().count() > api::MAX_CONTENT_CHARS && !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
        if line.chars().count() > api::MAX_CONTENT_CHARS {
            out.push(api::clip(line, api::MAX_CONTENT_CHARS));
        } else {
            cur.push_str(line);
        }
    }
    if !cur.trim().is_empty() || out.is_empty() {
        out.push(cur);
    }
    out
}

impl Bot {
    /// Where the replies to a request go, and whether they answer its message: the request's
    /// thread (started on it now if need be); a reply in the channel when no thread can be
    /// had (a DM, a message that is in a thread itself, no permission to create threads).
    async fn target(&self, thread: &ThreadRef, name: &str) -> Result<(u64, Option<u64>), ChannelError> {
        let ThreadRef::Discord {
            channel_id,
            message_id,
            guild_id,
        } = *thread
        else {
            return Err(ChannelError::Permanent("not a Discord thread".into()));
        };
        if message_id == 0 {
            return Ok((channel_id, None));
        }
        if guild_id.is_none() {
            return Ok((channel_id, Some(message_id)));
        }
        match self.start_thread(channel_id, message_id, name).await {
            // a thread started on a message has the message's id
            Ok(t) => Ok((t.id, None)),
            Err(e) if e.code() == Some(api::THREAD_ALREADY_CREATED) => Ok((message_id, None)),
            Err(e) if matches!(e.status(), Some(400 | 403)) => {
                tracing::info!(error = ?e, "discord: no thread on the request; replying in its channel");
                Ok((channel_id, Some(message_id)))
            }
            Err(e) => Err(e.into()),
        }
    }
}

impl ReplySender for Bot {
    fn channel(&self) -> ChannelKind {
        ChannelKind::Discord
    }

    /// The text (in pieces of 2000 characters), the files and the buttons go with the last
    /// piece. The thread is created on the first reply; later ones learn from Discord's
    /// "already created" (160004) that it exists, and its id is the request message's. A
    /// thread that cannot be written to any more (deleted: 404, locked: 403) gives way to a
    /// reply to the request in its channel.
    fn send<'a>(&'a self, out: &'a Outgoing) -> BoxFuture<'a, Result<(), ChannelError>> {
        Box::pin(async move {
            let r = &out.reply;
            let name = out.subject.as_deref().unwrap_or("Request for quotation");
            let (mut channel, mut reply_to) = self.target(&r.thread, name).await?;
            let parent = match r.thread {
                ThreadRef::Discord {
                    channel_id,
                    message_id,
                    guild_id: Some(_),
                } if message_id != 0 && channel != channel_id => Some((channel_id, message_id)),
                _ => None,
            };
            let pieces = chunks(&r.text);
            let last = pieces.len() - 1;
            for (i, piece) in pieces.iter().enumerate() {
                let m = |channel_reply: Option<u64>| NewMessage {
                    content: piece,
                    reply_to: if i == 0 { channel_reply } else { None },
                    buttons: if i == last { &r.buttons } else { &[] },
                    files: if i == last { &r.attachments } else { &[] },
                };
                match self.create_message(channel, &m(reply_to)).await {
                    Ok(_) => {}
                    Err(e) if i == 0 && parent.is_some() && matches!(e.status(), Some(403 | 404)) => {
                        let Some((parent_channel, request)) = parent else {
                            return Err(e.into());
                        };
                        tracing::info!(error = ?e, "discord: the request's thread is gone; replying in its channel");
                        (channel, reply_to) = (parent_channel, Some(request));
                        self.create_message(channel, &m(reply_to)).await?;
                    }
                    Err(e) => return Err(e.into()),
                }
            }
            Ok(())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_texts_are_split_at_line_ends() {
        let line = format!("{}\n", "x".repeat(150));
        let text = line.repeat(30);
        let parts = chunks(&text);
        assert_eq!(parts.len(), 3);
        assert!(parts.iter().all(|p| p.chars().count() <= api::MAX_CONTENT_CHARS));
        assert_eq!(parts.concat(), text);
        assert_eq!(chunks("hi"), vec!["hi".to_string()]);
    }
}
