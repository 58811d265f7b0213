//! A small Discord REST client (reqwest, rustls): the calls the bot makes, each answer
//! classified as the crate's [`ChannelError`] — a 429 becomes `RateLimited` with Discord's
//! `retry_after`. The token travels in the `Authorization` header only: it never reaches an
//! error message, a log line or `Debug` output.

use std::time::Duration;

use reqwest::{Method, RequestBuilder};
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use super::types::{Channel, ErrorBody, GatewayBot, Message, User};
use crate::{Attachment, ChannelError, ReplyButton};

/// Longest content of a message.
pub const MAX_CONTENT_CHARS: usize = 2000;
/// Longest thread name.
pub const MAX_THREAD_NAME_CHARS: usize = 100;
/// Discord's error codes we act on.
pub const UNKNOWN_CHANNEL: u32 = 10003;
pub const THREAD_ALREADY_CREATED: u32 = 160004;

/// How to reach Discord's REST API.
#[derive(Clone)]
pub struct DiscordConfig {
    /// `https://discord.com/api/v10` (a fake server in tests).
    pub api_url: String,
    pub token: String,
    pub request_timeout: Duration,
}

impl std::fmt::Debug for DiscordConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DiscordConfig")
            .field("api_url", &self.api_url)
            .field("token", &"[redacted]")
            .finish()
    }
}

/// What a REST call answered, before it is reduced to a [`ChannelError`]: the thread logic
/// needs Discord's error code.
#[derive(Debug)]
pub enum ApiError {
    Transport(String),
    Status {
        status: u16,
        code: u32,
        message: String,
        retry_after: Option<Duration>,
    },
}

impl ApiError {
    pub fn code(&self) -> Option<u32> {
        match self {
            Self::Status { code, .. } => Some(*code),
            Self::Transport(_) => None,
        }
    }

    pub fn status(&self) -> Option<u16> {
        match self {
            Self::Status { status, .. } => Some(*status),
            Self::Transport(_) => None,
        }
    }
}

impl From<ApiError> for ChannelError {
    fn from(e: ApiError) -> Self {
        match e {
            ApiError::Transport(m) => ChannelError::Transient(format!("discord: {m}")),
            ApiError::Status {
                status: 429,
                retry_after,
                ..
            } => ChannelError::RateLimited {
                retry_after: retry_after.unwrap_or(Duration::from_secs(1)),
            },
            ApiError::Status {
                status, code, message, ..
            } if status >= 500 || status == 408 => {
                ChannelError::Transient(format!("discord: {status} {code} {message}"))
            }
            ApiError::Status {
                status, code, message, ..
            } => ChannelError::Permanent(format!("discord: {status} {code} {message}")),
        }
    }
}

/// One message to create.
#[derive(Debug, Clone, Default)]
pub struct NewMessage<'a> {
    pub content: &'a str,
    /// The message this one answers (a reply in the same channel).
    pub reply_to: Option<u64>,
    pub buttons: &'a [ReplyButton],
    pub files: &'a [Attachment],
}

#[derive(Clone)]
pub struct Bot {
    cfg: DiscordConfig,
    http: reqwest::Client,
}

impl std::fmt::Debug for Bot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Bot").field("cfg", &self.cfg).finish()
    }
}

fn transport(e: reqwest::Error) -> ApiError {
    ApiError::Transport(e.without_url().to_string())
}

impl Bot {
    pub fn new(cfg: DiscordConfig) -> Result<Self, ChannelError> {
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(10))
            .user_agent("DiscordBot (https://github.com/horme/horme, 0.1)")
            .build()
            .map_err(|e| ChannelError::Permanent(format!("discord client: {}", e.without_url())))?;
        Ok(Self { cfg, http })
    }

    pub fn config(&self) -> &DiscordConfig {
        &self.cfg
    }

    fn request(&self, method: Method, path: &str) -> RequestBuilder {
        self.http
            .request(method, format!("{}{path}", self.cfg.api_url.trim_end_matches('/')))
            .header("Authorization", format!("Bot {}", self.cfg.token))
            .timeout(self.cfg.request_timeout)
    }

    /// The bot's own user (`GET /users/@me`): checks the token.
    pub async fn get_me(&self) -> Result<User, ChannelError> {
        Ok(answer(
            self.request(Method::GET, "/users/@me")
                .send()
                .await
                .map_err(transport)?,
        )
        .await?)
    }

    /// Where to open the gateway websocket (`GET /gateway/bot`).
    pub async fn gateway_url(&self) -> Result<String, ChannelError> {
        let g: GatewayBot = answer(
            self.request(Method::GET, "/gateway/bot")
                .send()
                .await
                .map_err(transport)?,
        )
        .await?;
        Ok(g.url)
    }

    /// A channel (`GET /channels/{id}`): its guild.
    pub async fn channel(&self, channel_id: u64) -> Result<Channel, ChannelError> {
        let req = self.request(Method::GET, &format!("/channels/{channel_id}"));
        Ok(answer(req.send().await.map_err(transport)?).await?)
    }

    /// Up to `limit` (≤ 100) messages of a channel after `after`, newest first
    /// (`GET /channels/{id}/messages?after=…`). Their `guild_id` is not set: REST leaves it out.
    pub async fn messages_after(&self, channel_id: u64, after: u64, limit: u8) -> Result<Vec<Message>, ChannelError> {
        let req = self
            .request(Method::GET, &format!("/channels/{channel_id}/messages"))
            .query(&[("after", after.to_string()), ("limit", limit.clamp(1, 100).to_string())]);
        Ok(answer(req.send().await.map_err(transport)?).await?)
    }

    /// Creates a message (`POST /channels/{id}/messages`): JSON, or multipart with
    /// `payload_json` and `files[n]` when files go with it.
    pub async fn create_message(&self, channel_id: u64, m: &NewMessage<'_>) -> Result<Message, ApiError> {
        let payload = payload(m);
        let req = self.request(Method::POST, &format!("/channels/{channel_id}/messages"));
        let req = if m.files.is_empty() {
            req.json(&payload)
        } else {
            let mut form = reqwest::multipart::Form::new().text("payload_json", payload.to_string());
            for (i, f) in m.files.iter().enumerate() {
                let part = reqwest::multipart::Part::bytes(f.content.clone())
                    .file_name(f.filename.clone())
                    .mime_str(&f.media_type)
                    .map_err(|e| ApiError::Transport(format!("media type: {}", e.without_url())))?;
                form = form.part(format!("files[{i}]"), part);
            }
            req.timeout(self.cfg.request_timeout * 6).multipart(form)
        };
        answer(req.send().await.map_err(transport)?).await
    }

    /// Starts a public thread on a message (`POST /channels/{id}/messages/{id}/threads`); the
    /// thread's id is the message's.
    pub async fn start_thread(&self, channel_id: u64, message_id: u64, name: &str) -> Result<Channel, ApiError> {
        let body = json!({"name": clip(name, MAX_THREAD_NAME_CHARS), "auto_archive_duration": 10080});
        let req = self
            .request(
                Method::POST,
                &format!("/channels/{channel_id}/messages/{message_id}/threads"),
            )
            .json(&body);
        answer(req.send().await.map_err(transport)?).await
    }

    /// Answers a button press (`POST /interactions/{id}/{token}/callback`, type 4) with a
    /// message only the presser sees.
    pub async fn respond_to_interaction(&self, id: u64, token: &str, text: &str) -> Result<(), ChannelError> {
        let body = json!({"type": 4, "data": {"content": clip(text, MAX_CONTENT_CHARS), "flags": 64}});
        let resp = self
            .request(Method::POST, &format!("/interactions/{id}/{token}/callback"))
            .json(&body)
            .send()
            .await
            .map_err(transport)?;
        let status = resp.status().as_u16();
        if (200..300).contains(&status) {
            return Ok(());
        }
        Err(failure(status, resp).await.into())
    }

    /// Answers a button press by editing the message it is under (type 7): the new text, and
    /// no buttons any more (a decided draft cannot be decided again by mistake).
    pub async fn update_interaction_message(&self, id: u64, token: &str, text: &str) -> Result<(), ChannelError> {
        let body = json!({"type": 7, "data": {"content": clip(text, MAX_CONTENT_CHARS), "components": [],
                          "allowed_mentions": {"parse": []}}});
        let resp = self
            .request(Method::POST, &format!("/interactions/{id}/{token}/callback"))
            .json(&body)
            .send()
            .await
            .map_err(transport)?;
        let status = resp.status().as_u16();
        if (200..300).contains(&status) {
            return Ok(());
        }
        Err(failure(status, resp).await.into())
    }

    /// Downloads an attachment from its CDN url. Over `max_bytes` is `Permanent`.
    pub async fn download(&self, url: &str, max_bytes: u64) -> Result<Vec<u8>, ChannelError> {
        let resp = self
            .http
            .get(url)
            .timeout(self.cfg.request_timeout * 6)
            .send()
            .await
            .map_err(transport)?;
        let status = resp.status().as_u16();
        if !(200..300).contains(&status) {
            return Err(failure(status, resp).await.into());
        }
        if resp.content_length().unwrap_or(0) > max_bytes {
            return Err(ChannelError::Permanent("the file is over the download limit".into()));
        }
        let bytes = resp.bytes().await.map_err(transport)?;
        if bytes.len() as u64 > max_bytes {
            return Err(ChannelError::Permanent("the file is over the download limit".into()));
        }
        Ok(bytes.to_vec())
    }
}

/// The JSON of a message: content, reply reference, a row of buttons, attachment slots.
fn payload(m: &NewMessage<'_>) -> Value {
    let mut body = json!({"content": clip(m.content, MAX_CONTENT_CHARS), "allowed_mentions": {"parse": []}});
    if let Some(id) = m.reply_to {
        body["message_reference"] = json!({"message_id": id.to_string(), "fail_if_not_exists": false});
    }
    if !m.buttons.is_empty() {
        // a row holds at most five buttons; custom_id at most 100 characters
        let row: Vec<Value> = m
            .buttons
            .iter()
            .take(5)
            .enumerate()
            .map(|(i, b)| {
                json!({"type": 2, "style": if i == 0 { 1 } else { 2 }, "label": clip(&b.label, 80),
                       "custom_id": clip(&b.data, 100)})
            })
            .collect();
        body["components"] = json!([{"type": 1, "components": row}]);
    }
    if !m.files.is_empty() {
        let slots: Vec<Value> = m
            .files
            .iter()
            .enumerate()
            .map(|(i, f)| json!({"id": i, "filename": f.filename}))
            .collect();
        body["attachments"] = Value::Array(slots);
    }
    body
}

pub(crate) fn clip(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut out: String = text.chars().take(max - 1).collect();
    out.push('…');
    out
}

async fn answer<T: DeserializeOwned>(resp: reqwest::Response) -> Result<T, ApiError> {
    let status = resp.status().as_u16();
    if !(200..300).contains(&status) {
        return Err(failure(status, resp).await);
    }
    let body = resp.bytes().await.map_err(transport)?;
    serde_json::from_slice(&body).map_err(|e| ApiError::Transport(format!("unreadable answer ({e})")))
}

/// An error answer: Discord's code and message, and a 429's delay (body, else header).
async fn failure(status: u16, resp: reqwest::Response) -> ApiError {
    let header = resp
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<f64>().ok());
    let body: ErrorBody = resp
        .bytes()
        .await
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or_default();
    let retry_after = body
        .retry_after
        .or(header)
        .filter(|s| s.is_finite() && *s >= 0.0)
        .map(|s| Duration::from_secs_f64(s.min(3600.0)));
    ApiError::Status {
        status,
        code: body.code,
        message: clip(&body.message, 200),
        retry_after,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_429_carries_its_retry_after() {
        let e: ChannelError = ApiError::Status {
            status: 429,
            code: 0,
            message: "You are being rate limited.".into(),
            retry_after: Some(Duration::from_millis(1500)),
        }
        .into();
        assert_eq!(e.retry_after(), Some(Duration::from_millis(1500)));
        let server: ChannelError = ApiError::Status {
            status: 502,
            code: 0,
            message: String::new(),
            retry_after: None,
        }
        .into();
        assert!(server.is_retryable());
        let forbidden: ChannelError = ApiError::Status {
            status: 403,
            code: 50013,
            message: "Missing Permissions".into(),
            retry_after: None,
        }
        .into();
        assert!(!forbidden.is_retryable());
    }

    #[test]
    fn the_token_is_not_in_debug_output() {
        let bot = Bot::new(DiscordConfig {
            api_url: "https://discord.com/api/v10".into(),
            token: "very-secret-token".into(),
            request_timeout: Duration::from_secs(1),
        })
        .expect("bot");
        assert!(!format!("{bot:?}").contains("very-secret"));
    }

    #[test]
    fn a_message_with_a_file_and_buttons() {
        let files = [Attachment {
            filename: "Q-1.pdf".into(),
            media_type: "application/pdf".into(),
            content: b"%PDF".to_vec(),
        }];
        let buttons = [
            ReplyButton {
                label: "Approve".into(),
                data: "approve:Q-1".into(),
            },
            ReplyButton {
                label: "Reject".into(),
                data: "reject:Q-1".into(),
            },
        ];
        let p = payload(&NewMessage {
            content: "Draft",
            reply_to: Some(42),
            buttons: &buttons,
            files: &files,
        });
        assert_eq!(p["message_reference"]["message_id"], "42");
        assert_eq!(p["components"][0]["type"], 1);
        assert_eq!(p["components"][0]["components"][1]["custom_id"], "reject:Q-1");
        assert_eq!(p["attachments"][0]["filename"], "Q-1.pdf");
        assert_eq!(p["allowed_mentions"]["parse"], json!([]));
    }
}
