//! The `[telegram]` section. The bot token is a secret: from the environment
//! (`HORME__TELEGRAM__BOT_TOKEN`) or a file (`bot_token_file`, e.g. a container secret),
//! never printed, never logged.

use std::path::PathBuf;
use std::time::Duration;

use channels::telegram::TelegramConfig;
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize, Serializer};

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct TelegramSettings {
    pub enabled: bool,
    /// The Bot API's base URL (a proxy, or a fake server in tests).
    pub api_url: String,
    #[serde(serialize_with = "redact")]
    pub bot_token: SecretString,
    /// A file holding the token (read at start-up; wins over `bot_token`).
    pub bot_token_file: Option<PathBuf>,
    /// The chat where drafts for approval are posted with Approve / Reject buttons.
    pub approvals_chat_id: i64,
    /// Chats whose members may submit requests (besides the `chat_access` table).
    pub allowed_chats: Vec<i64>,
    pub poll_timeout_seconds: u64,
    pub request_timeout_seconds: u64,
    /// Larger documents are answered politely and not fetched (the Bot API's limit is 20 MB).
    pub max_download_bytes: u64,
}

fn redact<S: Serializer>(_: &SecretString, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str("[redacted]")
}

impl TelegramSettings {
    /// The token, from the file when one is named, else from the setting.
    pub fn token(&self) -> Result<SecretString, String> {
        let token = match &self.bot_token_file {
            Some(path) if !path.as_os_str().is_empty() => std::fs::read_to_string(path)
                .map_err(|e| format!("telegram.bot_token_file {}: {e}", path.display()))?
                .trim()
                .to_string(),
            _ => self.bot_token.expose_secret().trim().to_string(),
        };
        if token.is_empty() {
            return Err(
                "telegram.enabled needs a bot token (HORME__TELEGRAM__BOT_TOKEN or telegram.bot_token_file)".into(),
            );
        }
        Ok(SecretString::from(token))
    }

    pub fn client_config(&self) -> Result<TelegramConfig, String> {
        Ok(TelegramConfig {
            api_url: self.api_url.trim_end_matches('/').to_string(),
            token: self.token()?.expose_secret().to_string(),
            poll_timeout: Duration::from_secs(self.poll_timeout_seconds),
            request_timeout: Duration::from_secs(self.request_timeout_seconds.max(1)),
        })
    }

    pub fn validate(&self) -> Result<(), String> {
        self.token()?;
        if self.api_url.trim().is_empty() {
            return Err("telegram.api_url must not be empty".into());
        }
        if self.max_download_bytes == 0 || self.max_download_bytes > channels::telegram::MAX_DOWNLOAD_BYTES {
            return Err("telegram.max_download_bytes must lie in 1..=20971520 (the Bot API's limit)".into());
        }
        Ok(())
    }
}
