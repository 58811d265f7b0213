//! The `[slack]` section. The bot token and the signing secret are secrets: from the
//! environment (`HORME__SLACK__BOT_TOKEN`, `HORME__SLACK__SIGNING_SECRET`) or files
//! (`bot_token_file`, `signing_secret_file`, e.g. container secrets), never printed, never
//! logged.

use std::path::{Path, PathBuf};
use std::time::Duration;

use channels::slack::SlackConfig;
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize, Serializer};

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SlackSettings {
    pub enabled: bool,
    /// The Web API's base URL (a fake server in tests).
    pub api_url: String,
    #[serde(serialize_with = "redact")]
    pub bot_token: SecretString,
    /// A file holding the bot token (wins over `bot_token`).
    pub bot_token_file: Option<PathBuf>,
    /// Signs every request Slack makes to `/slack/events` and `/slack/interactions`.
    #[serde(serialize_with = "redact")]
    pub signing_secret: SecretString,
    /// A file holding the signing secret (wins over `signing_secret`).
    pub signing_secret_file: Option<PathBuf>,
    /// Receive over a Socket Mode websocket instead of the public HTTP endpoints.
    pub socket_mode: bool,
    /// The app-level token (`xapp-…`, scope `connections:write`) Socket Mode connects with.
    #[serde(serialize_with = "redact")]
    pub app_token: SecretString,
    /// A file holding the app-level token (wins over `app_token`).
    pub app_token_file: Option<PathBuf>,
    /// The channel id where drafts for approval are posted with Approve / Reject buttons.
    pub approvals_channel: String,
    /// Channel ids whose members may submit requests (besides the `chat_access` table).
    pub allowed_channels: Vec<String>,
    /// User ids who may submit from any channel (besides the `chat_access` table).
    pub allowed_users: Vec<String>,
    /// Workspace (team) ids whose every member may submit.
    pub allowed_teams: Vec<String>,
    pub request_timeout_seconds: u64,
    /// Larger files are answered politely and not fetched.
    pub max_download_bytes: u64,
}

fn redact<S: Serializer>(_: &SecretString, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str("[redacted]")
}

/// A secret from its file when one is named, else from the setting.
fn secret(value: &SecretString, file: Option<&Path>, what: &str) -> Result<SecretString, String> {
    let v = match file {
        Some(path) if !path.as_os_str().is_empty() => std::fs::read_to_string(path)
            .map_err(|e| format!("slack.{what}_file {}: {e}", path.display()))?
            .trim()
            .to_string(),
        _ => value.expose_secret().trim().to_string(),
    };
    if v.is_empty() {
        return Err(format!(
            "slack.enabled needs a {what} (HORME__SLACK__{} or slack.{what}_file)",
            what.to_ascii_uppercase()
        ));
    }
    Ok(SecretString::from(v))
}

impl SlackSettings {
    pub fn token(&self) -> Result<SecretString, String> {
        secret(&self.bot_token, self.bot_token_file.as_deref(), "bot_token")
    }

    pub fn signing_secret(&self) -> Result<SecretString, String> {
        secret(
            &self.signing_secret,
            self.signing_secret_file.as_deref(),
            "signing_secret",
        )
    }

    pub fn app_token(&self) -> Result<SecretString, String> {
        secret(&self.app_token, self.app_token_file.as_deref(), "app_token")
    }

    pub fn client_config(&self) -> Result<SlackConfig, String> {
        Ok(SlackConfig {
            api_url: self.api_url.trim_end_matches('/').to_string(),
            token: self.token()?.expose_secret().to_string(),
            request_timeout: Duration::from_secs(self.request_timeout_seconds.max(1)),
        })
    }

    pub fn validate(&self) -> Result<(), String> {
        self.token()?;
        if self.socket_mode {
            self.app_token()?;
        } else {
            self.signing_secret()?;
        }
        if self.api_url.trim().is_empty() {
            return Err("slack.api_url must not be empty".into());
        }
        if self.max_download_bytes == 0 {
            return Err("slack.max_download_bytes must be at least 1".into());
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_not_printed_and_files_win() {
        let mut s = crate::config::Settings::builtin().expect("defaults").slack;
        s.bot_token = SecretString::from("xoxb-very-secret");
        s.signing_secret = SecretString::from("signing-very-secret");
        s.app_token = SecretString::from("xapp-very-secret");
        assert!(s.validate().is_ok());
        let printed = toml::to_string(&s).expect("toml");
        assert!(!printed.contains("very-secret"), "{printed}");
        assert!(!format!("{s:?}").contains("very-secret"));
        let dir = tempfile::tempdir().expect("tempdir");
        let f = dir.path().join("secret");
        std::fs::write(&f, "from-file\n").expect("write");
        s.signing_secret_file = Some(f);
        assert_eq!(s.signing_secret().expect("secret").expose_secret(), "from-file");
        s.socket_mode = true;
        s.app_token = SecretString::from("");
        assert!(
            s.validate()
                .expect_err("no app token")
                .contains("HORME__SLACK__APP_TOKEN")
        );
        s.bot_token = SecretString::from(" ");
        assert!(s.validate().expect_err("no token").contains("HORME__SLACK__BOT_TOKEN"));
    }
}
