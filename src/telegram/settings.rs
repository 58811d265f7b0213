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
    /// Updates by webhook instead of long polling: the public HTTPS address of this service's
    /// `POST /telegram/webhook` (empty: long polling).
    #[serde(default)]
    pub webhook_url: String,
    /// The secret Telegram sends with each webhook call (1–256 of A–Z a–z 0–9 _ -).
    #[serde(default, serialize_with = "redact")]
    pub webhook_secret: SecretString,
    /// A file holding the webhook secret (wins over `webhook_secret`).
    #[serde(default)]
    pub webhook_secret_file: Option<PathBuf>,
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

    /// Whether updates come by webhook.
    pub fn uses_webhook(&self) -> bool {
        !self.webhook_url.trim().is_empty()
    }

    /// The webhook's secret, from the file when one is named, else from the setting.
    pub fn webhook_secret(&self) -> Result<SecretString, String> {
        let secret = match &self.webhook_secret_file {
            Some(path) if !path.as_os_str().is_empty() => std::fs::read_to_string(path)
                .map_err(|e| format!("telegram.webhook_secret_file {}: {e}", path.display()))?
                .trim()
                .to_string(),
            _ => self.webhook_secret.expose_secret().trim().to_string(),
        };
        let valid = (1..=256).contains(&secret.len())
            && secret
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
        if !valid {
            return Err(
                "telegram.webhook_url needs a webhook secret of 1 to 256 characters A-Z a-z 0-9 _ - \
                 (HORME__TELEGRAM__WEBHOOK_SECRET or telegram.webhook_secret_file)"
                    .into(),
            );
        }
        Ok(SecretString::from(secret))
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
        if self.uses_webhook() {
            let host = self.webhook_url.trim().strip_prefix("https://").unwrap_or("");
            if host.is_empty() || host.starts_with('/') {
                return Err("telegram.webhook_url must be an https:// address (Telegram calls only HTTPS)".into());
            }
            self.webhook_secret()?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    fn settings(url: &str, secret: &str) -> super::TelegramSettings {
        let mut t = crate::config::Settings::builtin().expect("defaults").telegram;
        t.enabled = true;
        t.bot_token = "123:abc".to_string().into();
        t.webhook_url = url.into();
        t.webhook_secret = secret.to_string().into();
        t
    }

    #[test]
    fn a_webhook_needs_https_and_a_well_formed_secret() {
        assert!(settings("", "").validate().is_ok(), "long polling needs neither");
        assert!(
            settings("https://quotes.example.com/telegram/webhook", "s3cret_-X")
                .validate()
                .is_ok()
        );
        for (url, secret) in [
            ("http://quotes.example.com/telegram/webhook", "s3cret"),
            ("https://", "s3cret"),
            ("https://quotes.example.com/telegram/webhook", ""),
            ("https://quotes.example.com/telegram/webhook", "has space"),
            ("https://quotes.example.com/telegram/webhook", &"x".repeat(257)),
        ] {
            assert!(settings(url, secret).validate().is_err(), "{url} {secret:?}");
        }
    }
}
