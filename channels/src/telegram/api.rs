//! A small Telegram Bot API client over HTTPS (reqwest, rustls): the methods the bot uses,
//! each answer classified as the crate's [`ChannelError`] — a 429 becomes `RateLimited` with
//! the platform's `retry_after`. The token is part of every URL: it never reaches an error
//! message, a log line or `Debug` output.

use std::time::Duration;

use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use super::types::{ApiResponse, File, Message, Update, User};
use crate::{ChannelError, ReplyButton};

/// The Bot API's limit on files a bot may download (getFile).
pub const MAX_DOWNLOAD_BYTES: u64 = 20 * 1024 * 1024;
/// Longest text of a message and of a document's caption.
pub const MAX_TEXT_CHARS: usize = 4096;
pub const MAX_CAPTION_CHARS: usize = 1024;

/// How to reach the Bot API.
#[derive(Clone)]
pub struct TelegramConfig {
    /// `https://api.telegram.org` (a fake server in tests).
    pub api_url: String,
    pub token: String,
    /// Long-poll wait of `getUpdates`.
    pub poll_timeout: Duration,
    /// Timeout of every other call.
    pub request_timeout: Duration,
}

impl std::fmt::Debug for TelegramConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TelegramConfig")
            .field("api_url", &self.api_url)
            .field("token", &"[redacted]")
            .finish()
    }
}

/// Where a message goes: a chat, a forum topic in it, the message it answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Target {
    pub chat_id: i64,
    pub message_thread_id: Option<i64>,
    /// 0: not a reply.
    pub reply_to: i64,
}

#[derive(Clone)]
pub struct Bot {
    cfg: TelegramConfig,
    http: reqwest::Client,
}

impl std::fmt::Debug for Bot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Bot").field("cfg", &self.cfg).finish()
    }
}

fn transport(e: reqwest::Error) -> ChannelError {
    // without_url: the URL holds the token
    ChannelError::Transient(format!("telegram: {}", e.without_url()))
}

impl Bot {
    pub fn new(cfg: TelegramConfig) -> Result<Self, ChannelError> {
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(10))
            .build()
            .map_err(|e| ChannelError::Permanent(format!("telegram client: {}", e.without_url())))?;
        Ok(Self { cfg, http })
    }

    fn url(&self, method: &str) -> String {
        format!(
            "{}/bot{}/{method}",
            self.cfg.api_url.trim_end_matches('/'),
            self.cfg.token
        )
    }

    async fn call<T: DeserializeOwned>(
        &self,
        method: &str,
        body: &Value,
        timeout: Duration,
    ) -> Result<T, ChannelError> {
        let resp = self
            .http
            .post(self.url(method))
            .timeout(timeout)
            .json(body)
            .send()
            .await
            .map_err(transport)?;
        answer(method, resp).await
    }

    /// The bot itself: checks the token.
    pub async fn get_me(&self) -> Result<User, ChannelError> {
        self.call("getMe", &json!({}), self.cfg.request_timeout).await
    }

    /// Tells Telegram to POST updates to `url` (HTTPS in production) with `secret` in the
    /// `X-Telegram-Bot-Api-Secret-Token` header; long polling stops working meanwhile.
    pub async fn set_webhook(&self, url: &str, secret: &str) -> Result<(), ChannelError> {
        let _: bool = self
            .call(
                "setWebhook",
                &json!({"url": url, "secret_token": secret, "allowed_updates": ["message", "callback_query"],
                        "drop_pending_updates": false}),
                self.cfg.request_timeout,
            )
            .await?;
        Ok(())
    }

    /// Removes a webhook (pending updates are kept for getUpdates).
    pub async fn delete_webhook(&self) -> Result<(), ChannelError> {
        let _: bool = self
            .call(
                "deleteWebhook",
                &json!({"drop_pending_updates": false}),
                self.cfg.request_timeout,
            )
            .await?;
        Ok(())
    }

    /// Updates after `offset` (which confirms every earlier one), waiting up to the poll timeout.
    pub async fn get_updates(&self, offset: i64) -> Result<Vec<Update>, ChannelError> {
        let wait = self.cfg.poll_timeout;
        self.call(
            "getUpdates",
            &json!({"offset": offset, "timeout": wait.as_secs(), "allowed_updates": ["message", "callback_query"]}),
            wait + self.cfg.request_timeout,
        )
        .await
    }

    /// Downloads a file (getFile, then the file path). Over `max_bytes` is `Permanent`.
    pub async fn download(&self, file_id: &str, max_bytes: u64) -> Result<Vec<u8>, ChannelError> {
        let file: File = self
            .call("getFile", &json!({"file_id": file_id}), self.cfg.request_timeout)
            .await?;
        if file.file_size.unwrap_or(0) > max_bytes {
            return Err(ChannelError::Permanent("the file is over the download limit".into()));
        }
        let path = file
            .file_path
            .ok_or_else(|| ChannelError::Permanent("telegram gave no file path".into()))?;
        let url = format!(
            "{}/file/bot{}/{}",
            self.cfg.api_url.trim_end_matches('/'),
            self.cfg.token,
            path.trim_start_matches('/')
        );
        let resp = self
            .http
            .get(url)
            .timeout(self.cfg.request_timeout * 6)
            .send()
            .await
            .map_err(transport)?;
        let status = resp.status();
        if !status.is_success() {
            return Err(classify(status.as_u16(), None, "file download failed"));
        }
        let bytes = resp.bytes().await.map_err(transport)?;
        if bytes.len() as u64 > max_bytes {
            return Err(ChannelError::Permanent("the file is over the download limit".into()));
        }
        Ok(bytes.to_vec())
    }

    /// A text message, optionally with an inline keyboard.
    pub async fn send_message(&self, to: Target, text: &str, buttons: &[ReplyButton]) -> Result<Message, ChannelError> {
        let mut body = json!({"chat_id": to.chat_id, "text": clip(text, MAX_TEXT_CHARS)});
        extend(&mut body, to, buttons);
        self.call("sendMessage", &body, self.cfg.request_timeout).await
    }

    /// A document (multipart upload) with a caption, optionally with an inline keyboard.
    pub async fn send_document(
        &self,
        to: Target,
        filename: &str,
        media_type: &str,
        content: Vec<u8>,
        caption: &str,
        buttons: &[ReplyButton],
    ) -> Result<Message, ChannelError> {
        let part = reqwest::multipart::Part::bytes(content)
            .file_name(filename.to_string())
            .mime_str(media_type)
            .map_err(|e| ChannelError::Permanent(format!("telegram: media type: {}", e.without_url())))?;
        let mut extra = json!({});
        extend(&mut extra, to, buttons);
        let mut form = reqwest::multipart::Form::new()
            .text("chat_id", to.chat_id.to_string())
            .part("document", part);
        if !caption.trim().is_empty() {
            form = form.text("caption", clip(caption, MAX_CAPTION_CHARS));
        }
        if let Value::Object(map) = extra {
            for (k, v) in map {
                let v = match v {
                    Value::String(s) => s,
                    other => other.to_string(),
                };
                form = form.text(k, v);
            }
        }
        let resp = self
            .http
            .post(self.url("sendDocument"))
            .timeout(self.cfg.request_timeout * 6)
            .multipart(form)
            .send()
            .await
            .map_err(transport)?;
        answer("sendDocument", resp).await
    }

    /// Answers a button press (the client stops its spinner; `text` shows as a notice).
    pub async fn answer_callback_query(&self, id: &str, text: &str, alert: bool) -> Result<(), ChannelError> {
        let _: bool = self
            .call(
                "answerCallbackQuery",
                &json!({"callback_query_id": id, "text": clip(text, 200), "show_alert": alert}),
                self.cfg.request_timeout,
            )
            .await?;
        Ok(())
    }
}

/// Reply target, forum topic and keyboard of a send.
fn extend(body: &mut Value, to: Target, buttons: &[ReplyButton]) {
    if let Some(t) = to.message_thread_id {
        body["message_thread_id"] = json!(t);
    }
    if to.reply_to > 0 {
        body["reply_parameters"] = json!({"message_id": to.reply_to, "allow_sending_without_reply": true});
    }
    if !buttons.is_empty() {
        let row: Vec<Value> = buttons
            .iter()
            .map(|b| json!({"text": b.label, "callback_data": b.data}))
            .collect();
        body["reply_markup"] = json!({"inline_keyboard": [row]});
    }
}

fn clip(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut out: String = text.chars().take(max - 1).collect();
    out.push('…');
    out
}

async fn answer<T: DeserializeOwned>(method: &str, resp: reqwest::Response) -> Result<T, ChannelError> {
    let status = resp.status().as_u16();
    let body = resp.bytes().await.map_err(transport)?;
    let parsed: ApiResponse<T> = match serde_json::from_slice(&body) {
        Ok(p) => p,
        Err(e) => return Err(classify(status, None, &format!("{method}: unreadable answer ({e})"))),
    };
    if parsed.ok
        && let Some(result) = parsed.result
    {
        return Ok(result);
    }
    let code = parsed.error_code.unwrap_or(status);
    let retry_after = parsed.parameters.and_then(|p| p.retry_after);
    let description = parsed.description.unwrap_or_else(|| "no description".into());
    Err(classify(code, retry_after, &format!("{method}: {code} {description}")))
}

/// A Bot API error by what to do next.
fn classify(code: u16, retry_after: Option<u64>, what: &str) -> ChannelError {
    match code {
        429 => ChannelError::RateLimited {
            retry_after: Duration::from_secs(retry_after.unwrap_or(1).max(1)),
        },
        500..=599 | 0 => ChannelError::Transient(format!("telegram {what}")),
        // 409: another getUpdates (or a webhook) is active; it may end
        409 => ChannelError::Transient(format!("telegram {what}")),
        _ => ChannelError::Permanent(format!("telegram {what}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn too_many_requests_carries_its_delay() {
        let e = classify(429, Some(7), "sendMessage");
        assert_eq!(e.retry_after(), Some(Duration::from_secs(7)));
        assert!(classify(502, None, "x").is_retryable());
        assert!(!classify(400, None, "x").is_retryable());
    }

    #[test]
    fn the_token_is_not_in_debug_output() {
        let cfg = TelegramConfig {
            api_url: "https://api.telegram.org".into(),
            token: "123:very-secret".into(),
            poll_timeout: Duration::from_secs(1),
            request_timeout: Duration::from_secs(1),
        };
        let bot = Bot::new(cfg).expect("bot");
        assert!(!format!("{bot:?}").contains("very-secret"));
    }

    #[test]
    fn long_texts_are_clipped() {
        assert_eq!(clip("abc", 5), "abc");
        assert_eq!(clip("abcdef", 4).chars().count(), 4);
    }

    #[test]
    fn a_reply_in_a_topic_with_buttons() {
        let mut body = json!({});
        let to = Target {
            chat_id: -100,
            message_thread_id: Some(7),
            reply_to: 42,
        };
        let b = [ReplyButton {
            label: "Approve".into(),
            data: "approve:Q-1".into(),
        }];
        extend(&mut body, to, &b);
        assert_eq!(body["message_thread_id"], 7);
        assert_eq!(body["reply_parameters"]["message_id"], 42);
        assert_eq!(
            body["reply_markup"]["inline_keyboard"][0][0]["callback_data"],
            "approve:Q-1"
        );
    }
}
