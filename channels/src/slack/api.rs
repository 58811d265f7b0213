//! A small Slack Web API client over HTTPS (reqwest, rustls): the methods the bot uses, each
//! answer classified as the crate's [`ChannelError`] — an HTTP 429 becomes `RateLimited` with
//! the `Retry-After` Slack sent. The bot token travels in the `Authorization` header only, and
//! only to Slack (the API's own origin or `files.slack.com`); it never reaches an error
//! message, a log line or `Debug` output.

use std::time::Duration;

use reqwest::header::{AUTHORIZATION, CONTENT_TYPE, RETRY_AFTER};
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use super::types::{AuthTest, File, FileInfo, Posted, UploadUrl};
use crate::{ChannelError, ReplyButton};

/// Longest text of a section block (the message's `text` may be longer, but is only the
/// notification fallback when there are blocks).
pub const MAX_SECTION_CHARS: usize = 3000;
/// Longest text we post in one message (Slack truncates at 40,000).
pub const MAX_TEXT_CHARS: usize = 39_000;

/// How to reach the Web API.
#[derive(Clone)]
pub struct SlackConfig {
    /// `https://slack.com/api` (a fake server in tests).
    pub api_url: String,
    /// The bot token (`xoxb-…`).
    pub token: String,
    pub request_timeout: Duration,
}

impl std::fmt::Debug for SlackConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SlackConfig")
            .field("api_url", &self.api_url)
            .field("token", &"[redacted]")
            .finish()
    }
}

#[derive(Clone)]
pub struct SlackClient {
    cfg: SlackConfig,
    http: reqwest::Client,
}

impl std::fmt::Debug for SlackClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SlackClient").field("cfg", &self.cfg).finish()
    }
}

fn transport(e: reqwest::Error) -> ChannelError {
    // without_url: an upload or response URL is itself a credential
    ChannelError::Transient(format!("slack: {}", e.without_url()))
}

impl SlackClient {
    pub fn new(cfg: SlackConfig) -> Result<Self, ChannelError> {
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(10))
            .build()
            .map_err(|e| ChannelError::Permanent(format!("slack client: {}", e.without_url())))?;
        Ok(Self { cfg, http })
    }

    fn url(&self, method: &str) -> String {
        format!("{}/{method}", self.cfg.api_url.trim_end_matches('/'))
    }

    fn bearer(&self) -> String {
        format!("Bearer {}", self.cfg.token)
    }

    /// A method with a JSON body.
    async fn call<T: DeserializeOwned>(&self, method: &str, body: &Value) -> Result<T, ChannelError> {
        self.call_with(&self.cfg.token, method, body).await
    }

    /// A method with a JSON body and another token (the app-level token of Socket Mode).
    pub(super) async fn call_with<T: DeserializeOwned>(
        &self,
        token: &str,
        method: &str,
        body: &Value,
    ) -> Result<T, ChannelError> {
        let resp = self
            .http
            .post(self.url(method))
            .header(AUTHORIZATION, format!("Bearer {token}"))
            .timeout(self.cfg.request_timeout)
            .json(body)
            .send()
            .await
            .map_err(transport)?;
        answer(method, resp).await
    }

    /// A method with a form body (`files.getUploadURLExternal` refuses JSON).
    async fn call_form<T: DeserializeOwned>(&self, method: &str, fields: &[(&str, String)]) -> Result<T, ChannelError> {
        let body = serde_urlencoded::to_string(fields)
            .map_err(|e| ChannelError::Permanent(format!("slack {method}: cannot encode the form: {e}")))?;
        let resp = self
            .http
            .post(self.url(method))
            .header(AUTHORIZATION, self.bearer())
            .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
            .timeout(self.cfg.request_timeout)
            .body(body)
            .send()
            .await
            .map_err(transport)?;
        answer(method, resp).await
    }

    /// The token's bot user and workspace: checks the token.
    pub async fn auth_test(&self) -> Result<AuthTest, ChannelError> {
        self.call("auth.test", &json!({})).await
    }

    /// A message in `channel` (in the thread `thread_ts` when given), with buttons under it.
    pub async fn post_message(
        &self,
        channel: &str,
        thread_ts: Option<&str>,
        text: &str,
        buttons: &[ReplyButton],
    ) -> Result<Posted, ChannelError> {
        self.call("chat.postMessage", &message_body(channel, thread_ts, text, buttons))
            .await
    }

    /// Deletes one of the bot's messages.
    pub async fn delete_message(&self, channel: &str, ts: &str) -> Result<(), ChannelError> {
        let _: Value = self.call("chat.delete", &json!({"channel": channel, "ts": ts})).await?;
        Ok(())
    }

    /// Uploads a file into `channel` (its thread `thread_ts` when given), with `comment` as
    /// its message: `files.getUploadURLExternal`, the bytes to the upload URL, then
    /// `files.completeUploadExternal`. Returns the file's id.
    pub async fn upload(
        &self,
        channel: &str,
        thread_ts: Option<&str>,
        filename: &str,
        content: Vec<u8>,
        comment: &str,
    ) -> Result<String, ChannelError> {
        let slot: UploadUrl = self
            .call_form(
                "files.getUploadURLExternal",
                &[
                    ("filename", filename.to_string()),
                    ("length", content.len().to_string()),
                ],
            )
            .await?;
        let resp = self
            .http
            .post(&slot.upload_url)
            .header(CONTENT_TYPE, "application/octet-stream")
            .timeout(self.cfg.request_timeout * 6)
            .body(content)
            .send()
            .await
            .map_err(transport)?;
        let status = resp.status().as_u16();
        if !(200..300).contains(&status) {
            return Err(classify(
                status,
                retry_after(&resp),
                "upload: the file was not accepted",
            ));
        }
        let mut body = json!({
            "files": [{"id": slot.file_id, "title": filename}],
            "channel_id": channel,
        });
        if let Some(ts) = thread_ts {
            body["thread_ts"] = json!(ts);
        }
        if !comment.trim().is_empty() {
            body["initial_comment"] = json!(clip(comment, MAX_TEXT_CHARS));
        }
        let _: Value = self.call("files.completeUploadExternal", &body).await?;
        Ok(slot.file_id)
    }

    /// A file's details, with where it was shared.
    pub async fn file_info(&self, file_id: &str) -> Result<File, ChannelError> {
        let info: FileInfo = self.call_form("files.info", &[("file", file_id.to_string())]).await?;
        Ok(info.file)
    }

    /// Downloads a file with the bot token. Over `max_bytes` is `Permanent`.
    pub async fn download(&self, file: &File, max_bytes: u64) -> Result<Vec<u8>, ChannelError> {
        if file.size.unwrap_or(0) > max_bytes {
            return Err(ChannelError::Permanent("the file is over the download limit".into()));
        }
        let url = file
            .url_private_download
            .as_deref()
            .or(file.url_private.as_deref())
            .ok_or_else(|| ChannelError::Permanent("slack gave no download URL for the file".into()))?;
        if !self.is_slack(url) {
            return Err(ChannelError::Permanent(
                "the file's download URL is not Slack's: the bot token is not sent there".into(),
            ));
        }
        let mut resp = self
            .http
            .get(url)
            .header(AUTHORIZATION, self.bearer())
            .timeout(self.cfg.request_timeout * 6)
            .send()
            .await
            .map_err(transport)?;
        let status = resp.status().as_u16();
        if !(200..300).contains(&status) {
            return Err(classify(status, retry_after(&resp), "file download failed"));
        }
        // Without files:read, Slack answers a file URL with its sign-in page.
        let html = resp
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("text/html"));
        if html && !file.mimetype.as_deref().is_some_and(|m| m.contains("html")) {
            return Err(ChannelError::Permanent(
                "slack answered the file download with a web page: does the app have the files:read scope?".into(),
            ));
        }
        let mut out = Vec::new();
        while let Some(chunk) = resp.chunk().await.map_err(transport)? {
            if (out.len() + chunk.len()) as u64 > max_bytes {
                return Err(ChannelError::Permanent("the file is over the download limit".into()));
            }
            out.extend_from_slice(&chunk);
        }
        Ok(out)
    }

    /// An ephemeral answer to the person who pressed a button (through the interaction's
    /// `response_url`, which needs no token).
    pub async fn respond(&self, response_url: &str, text: &str) -> Result<(), ChannelError> {
        let resp = self
            .http
            .post(response_url)
            .timeout(self.cfg.request_timeout)
            .json(&json!({"response_type": "ephemeral", "replace_original": false, "text": clip(text, 3000)}))
            .send()
            .await
            .map_err(transport)?;
        let status = resp.status().as_u16();
        if (200..300).contains(&status) {
            Ok(())
        } else {
            Err(classify(status, retry_after(&resp), "response_url refused the answer"))
        }
    }

    /// Whether the bot token may be sent to `url`: Slack's file host, or the API's own origin.
    fn is_slack(&self, url: &str) -> bool {
        let (Ok(u), Ok(api)) = (reqwest::Url::parse(url), reqwest::Url::parse(&self.cfg.api_url)) else {
            return false;
        };
        let same_origin = u.scheme() == api.scheme()
            && u.host_str() == api.host_str()
            && u.port_or_known_default() == api.port_or_known_default();
        let slack_files = u.scheme() == "https" && u.host_str() == Some("files.slack.com");
        same_origin || slack_files
    }
}

/// `chat.postMessage`'s body: mrkdwn text, and with buttons a section plus an actions block.
fn message_body(channel: &str, thread_ts: Option<&str>, text: &str, buttons: &[ReplyButton]) -> Value {
    let mut body = json!({
        "channel": channel,
        "text": clip(text, MAX_TEXT_CHARS),
        "unfurl_links": false,
        "unfurl_media": false,
    });
    if let Some(ts) = thread_ts {
        body["thread_ts"] = json!(ts);
    }
    if !buttons.is_empty() {
        let elements: Vec<Value> = buttons
            .iter()
            .map(|b| {
                let verb = b.data.split(':').next().unwrap_or("button");
                let mut e = json!({
                    "type": "button",
                    "text": {"type": "plain_text", "text": clip(&b.label, 75)},
                    "action_id": format!("horme_{verb}"),
                    "value": b.data,
                });
                match verb {
                    "approve" => e["style"] = json!("primary"),
                    "reject" => e["style"] = json!("danger"),
                    _ => {}
                }
                e
            })
            .collect();
        body["blocks"] = json!([
            {"type": "section", "text": {"type": "mrkdwn", "text": clip(text, MAX_SECTION_CHARS)}},
            {"type": "actions", "block_id": "horme_decision", "elements": elements},
        ]);
    }
    body
}

fn clip(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut out: String = text.chars().take(max - 1).collect();
    out.push('…');
    out
}

fn retry_after(resp: &reqwest::Response) -> Option<u64> {
    resp.headers()
        .get(RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse().ok())
}

/// Errors Slack answers with `ok: false` that a later attempt may get past.
const TRANSIENT_ERRORS: &[&str] = &[
    "internal_error",
    "fatal_error",
    "service_unavailable",
    "request_timeout",
    "team_added_to_org",
];

async fn answer<T: DeserializeOwned>(method: &str, resp: reqwest::Response) -> Result<T, ChannelError> {
    let status = resp.status().as_u16();
    let after = retry_after(&resp);
    if status == 429 {
        return Err(classify(429, after, method));
    }
    let body = resp.bytes().await.map_err(transport)?;
    let parsed: Value = match serde_json::from_slice(&body) {
        Ok(v) => v,
        Err(e) => return Err(classify(status, after, &format!("{method}: unreadable answer ({e})"))),
    };
    if parsed.get("ok").and_then(Value::as_bool) == Some(true) {
        return serde_json::from_value(parsed)
            .map_err(|e| ChannelError::Permanent(format!("slack {method}: unexpected answer ({e})")));
    }
    let error = parsed.get("error").and_then(Value::as_str).unwrap_or("no error given");
    let what = format!("{method}: {error}");
    if error == "ratelimited" {
        return Err(classify(429, after, &what));
    }
    if status >= 500 || TRANSIENT_ERRORS.contains(&error) {
        return Err(ChannelError::Transient(format!("slack {what}")));
    }
    Err(classify(status.max(400), after, &what))
}

/// A Web API error by what to do next.
fn classify(code: u16, retry_after: Option<u64>, what: &str) -> ChannelError {
    match code {
        429 => ChannelError::RateLimited {
            retry_after: Duration::from_secs(retry_after.unwrap_or(1).max(1)),
        },
        500..=599 | 0 | 408 => ChannelError::Transient(format!("slack {what}")),
        _ => ChannelError::Permanent(format!("slack {what}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn client(api: &str) -> SlackClient {
        SlackClient::new(SlackConfig {
            api_url: api.into(),
            token: "xoxb-very-secret".into(),
            request_timeout: Duration::from_secs(1),
        })
        .expect("client")
    }

    #[test]
    fn too_many_requests_carries_its_delay() {
        assert_eq!(classify(429, Some(7), "x").retry_after(), Some(Duration::from_secs(7)));
        assert_eq!(classify(429, None, "x").retry_after(), Some(Duration::from_secs(1)));
        assert!(classify(503, None, "x").is_retryable());
        assert!(!classify(400, None, "x").is_retryable());
    }

    #[test]
    fn the_token_is_not_in_debug_output() {
        assert!(!format!("{:?}", client("https://slack.com/api")).contains("very-secret"));
    }

    #[test]
    fn the_token_goes_to_slack_only() {
        let c = client("https://slack.com/api");
        assert!(c.is_slack("https://files.slack.com/files-pri/T1-F1/download/rfq.pdf"));
        assert!(c.is_slack("https://slack.com/files/x"));
        assert!(!c.is_slack("https://files.slack.com.evil.example/x"));
        assert!(!c.is_slack("http://files.slack.com/x"));
        let local = client("http://127.0.0.1:4000/api");
        assert!(local.is_slack("http://127.0.0.1:4000/files/F1/rfq.pdf"));
        assert!(!local.is_slack("http://127.0.0.1:4001/files/F1/rfq.pdf"));
    }

    #[test]
    fn buttons_become_an_actions_block_in_the_thread() {
        let b = [
            ReplyButton {
                label: "Approve".into(),
                data: "approve:Q-1".into(),
            },
            ReplyButton {
                label: "Reject".into(),
                data: "reject:Q-1".into(),
            },
        ];
        let body = message_body("C1", Some("1.2"), "*Draft*", &b);
        assert_eq!(body["thread_ts"], "1.2");
        assert_eq!(body["blocks"][0]["text"]["type"], "mrkdwn");
        let e = &body["blocks"][1]["elements"];
        assert_eq!(e[0]["value"], "approve:Q-1");
        assert_eq!(e[0]["style"], "primary");
        assert_eq!(e[1]["action_id"], "horme_reject");
        let plain = message_body("C1", None, "hi", &[]);
        assert!(plain.get("blocks").is_none() && plain.get("thread_ts").is_none());
    }
}
