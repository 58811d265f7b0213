//! The `[discord]` section. The bot token is a secret: from the environment
//! (`HORME__DISCORD__BOT_TOKEN`) or a file (`bot_token_file`, e.g. a container secret), never
//! printed, never logged.

use std::path::PathBuf;
use std::time::Duration;

use channels::discord::DiscordConfig;
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize, Serializer};

/// Larger downloads are refused whatever the setting says.
pub const MAX_DOWNLOAD_LIMIT: u64 = 500 * 1024 * 1024;

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct DiscordSettings {
    pub enabled: bool,
    /// The REST API's base URL, with its version (a fake server in tests).
    pub api_url: String,
    /// The gateway websocket; empty: the one `GET /gateway/bot` names.
    pub gateway_url: String,
    #[serde(serialize_with = "redact")]
    pub bot_token: SecretString,
    /// A file holding the token (read at start-up; wins over `bot_token`).
    pub bot_token_file: Option<PathBuf>,
    /// The channel where drafts for approval are posted with Approve / Reject buttons.
    pub approvals_channel_id: u64,
    /// Channels whose members may submit requests (besides the `chat_access` table).
    pub allowed_channels: Vec<u64>,
    pub request_timeout_seconds: u64,
    /// Larger attachments are answered politely and not fetched.
    pub max_download_bytes: u64,
}

fn redact<S: Serializer>(_: &SecretString, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str("[redacted]")
}

impl DiscordSettings {
    /// The token, from the file when one is named, else from the setting.
    pub fn token(&self) -> Result<SecretString, String> {
        let token = match &self.bot_token_file {
            Some(path) if !path.as_os_str().is_empty() => std::fs::read_to_string(path)
                .map_err(|e| format!("discord.bot_token_file {}: {e}", path.display()))?
                .trim()
                .to_string(),
            _ => self.bot_token.expose_secret().trim().to_string(),
        };
        if token.is_empty() {
            return Err(
                "discord.enabled needs a bot token (HORME__DISCORD__BOT_TOKEN or discord.bot_token_file)".into(),
            );
        }
        Ok(SecretString::from(token))
    }

    pub fn client_config(&self) -> Result<DiscordConfig, String> {
        Ok(DiscordConfig {
            api_url: self.api_url.trim_end_matches('/').to_string(),
            token: self.token()?.expose_secret().to_string(),
            request_timeout: Duration::from_secs(self.request_timeout_seconds.max(1)),
        })
    }

    pub fn validate(&self) -> Result<(), String> {
        self.token()?;
        if self.api_url.trim().is_empty() {
            return Err("discord.api_url must not be empty".into());
        }
        let g = self.gateway_url.trim();
        if !g.is_empty() && !g.starts_with("wss://") && !g.starts_with("ws://") {
            return Err("discord.gateway_url must be a ws:// or wss:// URL (or empty)".into());
        }
        if self.max_download_bytes == 0 || self.max_download_bytes > MAX_DOWNLOAD_LIMIT {
            return Err(format!(
                "discord.max_download_bytes must lie in 1..={MAX_DOWNLOAD_LIMIT}"
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings() -> DiscordSettings {
        DiscordSettings {
            enabled: true,
            api_url: "https://discord.com/api/v10".into(),
            gateway_url: String::new(),
            bot_token: SecretString::from("MTIz.secret-token"),
            bot_token_file: None,
            approvals_channel_id: 1,
            allowed_channels: vec![2],
            request_timeout_seconds: 15,
            max_download_bytes: 25 * 1024 * 1024,
        }
    }

    #[test]
    fn the_token_is_never_serialised() {
        let s = settings();
        let json = serde_json::to_string(&s).expect("json");
        assert!(!json.contains("secret-token"));
        assert!(!format!("{s:?}").contains("secret-token"));
        assert!(s.validate().is_ok());
    }

    #[test]
    fn a_missing_token_or_a_bad_gateway_is_refused() {
        let mut s = settings();
        s.bot_token = SecretString::from("");
        assert!(s.validate().is_err());
        let mut s = settings();
        s.gateway_url = "http://x".into();
        assert!(s.validate().is_err());
    }
}
