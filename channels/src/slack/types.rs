//! The parts of Slack's JSON we read: Events API envelopes and events
//! (https://api.slack.com/apis/events-api), Block Kit interaction payloads
//! (https://api.slack.com/reference/interaction-payloads/block-actions) and Web API answers.

use serde::{Deserialize, Serialize};

/// An Events API `event_callback` envelope (the `url_verification` handshake is answered
/// before anything is parsed into this).
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct EventCallback {
    #[serde(default)]
    pub team_id: String,
    pub event_id: String,
    #[serde(default)]
    pub event_time: i64,
    pub event: serde_json::Value,
}

/// A file as Slack describes it in a message event or `files.info`.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct File {
    pub id: String,
    pub name: Option<String>,
    pub title: Option<String>,
    pub mimetype: Option<String>,
    pub size: Option<u64>,
    pub url_private_download: Option<String>,
    pub url_private: Option<String>,
    /// `{"public": {"C…": [{"ts": …, "thread_ts": …}]}, "private": {…}}` (files.info only).
    pub shares: Option<serde_json::Value>,
}

impl File {
    pub fn filename(&self) -> String {
        self.name
            .clone()
            .or_else(|| self.title.clone())
            .filter(|n| !n.trim().is_empty())
            .unwrap_or_else(|| "document".into())
    }

    /// The message that shared this file in `channel`: its `ts` and thread.
    pub fn share_in(&self, channel: &str) -> Option<(String, Option<String>)> {
        let shares = self.shares.as_ref()?;
        ["public", "private"].iter().find_map(|kind| {
            let s = shares.get(kind)?.get(channel)?.get(0)?;
            let ts = s.get("ts")?.as_str()?.to_string();
            let thread = s.get("thread_ts").and_then(|t| t.as_str()).map(str::to_string);
            Some((ts, thread))
        })
    }
}

/// A `message` event (in a channel, a private channel or a direct message).
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct MessageEvent {
    pub subtype: Option<String>,
    pub channel: String,
    pub channel_type: Option<String>,
    pub user: Option<String>,
    pub bot_id: Option<String>,
    pub team: Option<String>,
    #[serde(default)]
    pub text: String,
    pub ts: String,
    /// Set when the message is inside a thread (the thread's first message's ts).
    pub thread_ts: Option<String>,
    #[serde(default)]
    pub files: Vec<File>,
}

impl MessageEvent {
    /// The thread replies go into: the message's own thread, or a new one under it.
    pub fn reply_thread_ts(&self) -> &str {
        self.thread_ts.as_deref().unwrap_or(&self.ts)
    }
}

/// A `file_shared` event: a file was shared in a conversation the bot is in.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct FileSharedEvent {
    pub file_id: String,
    pub user_id: String,
    pub channel_id: String,
    #[serde(default)]
    pub event_ts: String,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct IdRef {
    pub id: String,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct InteractionUser {
    pub id: String,
    pub username: Option<String>,
    pub name: Option<String>,
    pub team_id: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Action {
    #[serde(default)]
    pub action_id: String,
    pub value: Option<String>,
}

/// A `block_actions` payload: someone pressed a button under one of our messages.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct BlockActions {
    #[serde(rename = "type")]
    pub kind: String,
    pub user: InteractionUser,
    pub team: Option<IdRef>,
    pub channel: Option<IdRef>,
    #[serde(default)]
    pub actions: Vec<Action>,
    /// Where to answer the presser (an ephemeral message), valid for 30 minutes.
    pub response_url: Option<String>,
    pub trigger_id: Option<String>,
}

/// `auth.test`: whose token this is.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct AuthTest {
    #[serde(default)]
    pub user_id: String,
    #[serde(default)]
    pub user: String,
    #[serde(default)]
    pub team_id: String,
    #[serde(default)]
    pub team: String,
    pub bot_id: Option<String>,
}

/// `chat.postMessage`: where the message went.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Posted {
    pub channel: String,
    pub ts: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct UploadUrl {
    pub upload_url: String,
    pub file_id: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct FileInfo {
    pub file: File,
}
