//! The `[mail]` section: mailboxes to watch, the SMTP server to send through, our addresses,
//! limits and the outbox timing. Passwords are secrets (environment:
//! `HORME__MAIL__SMTP__PASSWORD`, `HORME__MAIL__MAILBOXES__<NAME>__PASSWORD`, or a file named by
//! `password_file`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use channels::email::Security;
use channels::email::imap::{AfterStore, ImapConfig};
use channels::email::smtp::SmtpConfig;
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize, Serializer};

use crate::domain::EmailAddress;

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct MailSettings {
    pub enabled: bool,
    pub from_address: String,
    pub from_name: String,
    /// The right-hand side of our Message-IDs; empty: the domain of `from_address`.
    pub message_id_domain: String,
    /// More addresses of ours (aliases, the approvals list): mail from them is never answered.
    pub own_addresses: Vec<String>,
    /// Mail domains of our colleagues (`mail::staff`): a request one of them forwards is the
    /// original sender's, not theirs.
    pub staff_domains: Vec<String>,
    pub approvals_address: String,
    pub sales_address: String,
    pub max_message_bytes: u32,
    pub auto_replies_per_sender_per_hour: u32,
    /// A mail that does not look like a request (no document, no item-like line) is not
    /// acknowledged; if the pipeline finds no items in it either, it gets one polite "we could
    /// not find items" (true) or no answer at all (false).
    pub answer_non_requests: bool,
    /// `Authentication-Results` headers from these servers (authserv-id) are believed.
    pub trusted_authserv_ids: Vec<String>,
    pub outbox_poll_interval_ms: u64,
    pub outbox_lease_seconds: u64,
    pub outbox_max_attempts: i32,
    pub outbox_backoff_base_seconds: u64,
    pub outbox_backoff_max_seconds: u64,
    pub outbox_concurrency: usize,
    pub smtp: SmtpSettings,
    pub imap: ImapDefaults,
    pub mailboxes: BTreeMap<String, MailboxSettings>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SmtpSettings {
    pub host: String,
    pub port: u16,
    pub security: Security,
    /// Empty: mail is sent without logging in (a relay that trusts us).
    pub username: String,
    /// Required with a `username` by the channel only (`serve`, `config check`).
    #[serde(default = "no_secret", serialize_with = "redact")]
    pub password: SecretString,
    /// A file holding the password (read at start-up), instead of `password`.
    #[serde(default)]
    pub password_file: Option<PathBuf>,
    #[serde(default)]
    pub ca_file: Option<PathBuf>,
    pub timeout_seconds: u64,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ImapDefaults {
    pub idle: bool,
    pub poll_interval_seconds: u64,
    pub idle_timeout_seconds: u64,
    pub connect_timeout_seconds: u64,
    pub command_timeout_seconds: u64,
    pub backoff_min_ms: u64,
    pub backoff_max_seconds: u64,
    /// After the server refused the credentials, the next login waits this long.
    pub auth_failure_backoff_seconds: u64,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct MailboxSettings {
    pub host: String,
    #[serde(default = "imaps_port")]
    pub port: u16,
    #[serde(default = "tls")]
    pub security: Security,
    pub username: String,
    /// Required by the channel only (`serve`, `config check`): other commands run without it.
    #[serde(default = "no_secret", serialize_with = "redact")]
    pub password: SecretString,
    /// A file holding the password (read at start-up), instead of `password`.
    #[serde(default)]
    pub password_file: Option<PathBuf>,
    #[serde(default = "inbox")]
    pub folder: String,
    /// Move stored mail to this folder; empty or absent: mark it `\Seen` instead.
    #[serde(default)]
    pub move_to: Option<String>,
    #[serde(default)]
    pub ca_file: Option<PathBuf>,
}

fn no_secret() -> SecretString {
    SecretString::from("")
}

/// A password given as the setting `{key}.password` (usually from the environment) or in the
/// file `{key}.password_file`, read now; the file's trailing line break is not part of it.
/// `None` when neither is set. Both at once is an error: one of them would be silently ignored,
/// and it may be the one the operator just changed.
fn password_from(key: &str, password: &SecretString, file: Option<&Path>) -> Result<Option<SecretString>, String> {
    let given = !password.expose_secret().is_empty();
    match file.filter(|f| !f.as_os_str().is_empty()) {
        Some(path) if given => Err(format!(
            "{key}.password (or its environment variable) and {key}.password_file {} are both set: keep one",
            path.display()
        )),
        Some(path) => {
            let text =
                std::fs::read_to_string(path).map_err(|e| format!("{key}.password_file {}: {e}", path.display()))?;
            let password = text.trim_end_matches(['\r', '\n']);
            if password.is_empty() {
                return Err(format!("{key}.password_file {} is empty", path.display()));
            }
            Ok(Some(SecretString::from(password.to_string())))
        }
        None if given => Ok(Some(password.clone())),
        None => Ok(None),
    }
}

impl MailboxSettings {
    /// The password, from `password` or `password_file` ([`password_from`]); required.
    pub fn password(&self, name: &str) -> Result<SecretString, String> {
        let key = format!("mail.mailboxes.{name}");
        password_from(&key, &self.password, self.password_file.as_deref())?.ok_or_else(|| {
            format!(
                "{key} has no password: set HORME__MAIL__MAILBOXES__{}__PASSWORD or {key}.password_file",
                name.to_ascii_uppercase()
            )
        })
    }
}

impl SmtpSettings {
    /// The password, from `password` or `password_file` ([`password_from`]): required when a
    /// `username` is set (else we would send without logging in and not notice), unused
    /// without one.
    pub fn password(&self) -> Result<Option<SecretString>, String> {
        let password = password_from("mail.smtp", &self.password, self.password_file.as_deref())?;
        if password.is_none() && !self.username.is_empty() {
            return Err("mail.smtp.username is set but no password: set mail.smtp.password or \
                 mail.smtp.password_file (in the environment: HORME__MAIL__SMTP__PASSWORD)"
                .into());
        }
        Ok(password)
    }
}

fn imaps_port() -> u16 {
    993
}
fn tls() -> Security {
    Security::Tls
}
fn inbox() -> String {
    "INBOX".into()
}

fn redact<S: Serializer>(_: &SecretString, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str("[redacted]")
}

impl MailSettings {
    pub fn validate(&self) -> Result<(), String> {
        EmailAddress::parse(&self.from_address).map_err(|e| format!("mail.from_address: {e}"))?;
        if self.smtp.host.trim().is_empty() {
            return Err("mail.smtp.host is required when mail is enabled".into());
        }
        for (name, m) in &self.mailboxes {
            if m.host.trim().is_empty() || m.username.trim().is_empty() {
                return Err(format!("mail.mailboxes.{name}: host and username are required"));
            }
        }
        for (key, v) in [
            ("approvals_address", &self.approvals_address),
            ("sales_address", &self.sales_address),
        ] {
            if !v.is_empty() {
                EmailAddress::parse(v).map_err(|e| format!("mail.{key}: {e}"))?;
            }
        }
        if self.outbox_max_attempts < 1 || self.outbox_concurrency < 1 {
            return Err("mail.outbox_max_attempts and mail.outbox_concurrency must be at least 1".into());
        }
        Ok(())
    }

    /// The domain of our Message-IDs.
    pub fn id_domain(&self) -> String {
        if !self.message_id_domain.trim().is_empty() {
            return self.message_id_domain.trim().to_ascii_lowercase();
        }
        self.from_address
            .rsplit_once('@')
            .map(|(_, d)| d.to_ascii_lowercase())
            .unwrap_or_else(|| "horme.invalid".into())
    }

    /// Every address that is us: mail from these is never answered.
    pub fn is_own_address(&self, address: &str) -> bool {
        let a = address.trim().to_ascii_lowercase();
        a == self.from_address.to_ascii_lowercase()
            || self.own_addresses.iter().any(|o| o.eq_ignore_ascii_case(&a))
            || self.mailboxes.values().any(|m| m.username.eq_ignore_ascii_case(&a))
    }

    /// The sender configuration; an error names a missing password (a `username` without
    /// one) or an unreadable `password_file`.
    pub fn smtp_config(&self) -> Result<SmtpConfig, String> {
        let s = &self.smtp;
        let password = s.password()?;
        // credentials go together: a password without a user name logs in as nobody
        let (username, password) = match password {
            Some(p) if !s.username.is_empty() => (Some(s.username.clone()), Some(p.expose_secret().to_string())),
            _ => (None, None),
        };
        Ok(SmtpConfig {
            host: s.host.clone(),
            port: s.port,
            security: s.security,
            username,
            password,
            ca_file: s.ca_file.clone(),
            timeout: Duration::from_secs(s.timeout_seconds),
        })
    }

    /// The poller configuration of one mailbox; an error names a missing password.
    pub fn imap_config(&self, name: &str, m: &MailboxSettings) -> Result<ImapConfig, String> {
        let d = &self.imap;
        Ok(ImapConfig {
            name: name.to_string(),
            host: m.host.clone(),
            port: m.port,
            security: m.security,
            username: m.username.clone(),
            password: m.password(name)?.expose_secret().to_string(),
            ca_file: m.ca_file.clone(),
            folder: m.folder.clone(),
            after_store: match m.move_to.as_deref().map(str::trim) {
                Some(f) if !f.is_empty() => AfterStore::MoveTo(f.to_string()),
                _ => AfterStore::MarkSeen,
            },
            idle: d.idle,
            poll_interval: Duration::from_secs(d.poll_interval_seconds.max(1)),
            idle_timeout: Duration::from_secs(d.idle_timeout_seconds.clamp(10, 29 * 60)),
            max_message_bytes: self.max_message_bytes,
            connect_timeout: Duration::from_secs(d.connect_timeout_seconds.max(1)),
            command_timeout: Duration::from_secs(d.command_timeout_seconds.max(1)),
            backoff_min: Duration::from_millis(d.backoff_min_ms.max(10)),
            backoff_max: Duration::from_secs(d.backoff_max_seconds.max(1)),
            auth_failure_backoff: Duration::from_secs(d.auth_failure_backoff_seconds.max(1)),
        })
    }
}

/// The stable identity of a watched folder, for its cursor and its poller lock.
pub fn mailbox_key(m: &MailboxSettings) -> String {
    format!(
        "{}@{}:{}/{}",
        m.username.to_ascii_lowercase(),
        m.host.to_ascii_lowercase(),
        m.port,
        m.folder
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn smtp(username: &str, password: &str, file: Option<&Path>) -> SmtpSettings {
        SmtpSettings {
            host: "smtp.example.com".into(),
            port: 587,
            security: Security::Starttls,
            username: username.into(),
            password: SecretString::from(password),
            password_file: file.map(Path::to_path_buf),
            ca_file: None,
            timeout_seconds: 30,
        }
    }

    #[test]
    fn an_smtp_user_name_needs_a_password() {
        let err = smtp("sales@example.com", "", None).password().expect_err("no password");
        assert!(
            err.starts_with(
                "mail.smtp.username is set but no password: set mail.smtp.password or mail.smtp.password_file"
            ),
            "{err}"
        );
        assert!(smtp("", "", None).password().expect("no login").is_none());
        let p = smtp("sales@example.com", "s3cret", None).password().expect("given");
        assert_eq!(p.map(|p| p.expose_secret().to_string()).as_deref(), Some("s3cret"));
    }

    #[test]
    fn a_password_file_is_read_without_its_line_break() {
        let dir = tempfile::tempdir().expect("tempdir");
        let file = dir.path().join("smtp-password");
        std::fs::write(&file, "s3cret with spaces \n").expect("write");
        let p = smtp("sales@example.com", "", Some(&file)).password().expect("read");
        assert_eq!(
            p.map(|p| p.expose_secret().to_string()).as_deref(),
            Some("s3cret with spaces ")
        );

        let err = smtp("sales@example.com", "other", Some(&file))
            .password()
            .expect_err("both");
        assert!(err.contains("mail.smtp.password") && err.contains("both set"), "{err}");
        assert!(!err.contains("other") && !err.contains("s3cret"), "{err}");

        let missing = dir.path().join("missing");
        let err = smtp("sales@example.com", "", Some(&missing))
            .password()
            .expect_err("unreadable");
        assert!(
            err.starts_with("mail.smtp.password_file ") && err.contains(&*missing.to_string_lossy()),
            "{err}"
        );

        std::fs::write(&file, "\n").expect("write");
        let err = smtp("sales@example.com", "", Some(&file))
            .password()
            .expect_err("empty");
        assert!(err.contains("is empty"), "{err}");
    }

    #[test]
    fn a_mailbox_password_comes_from_one_place() {
        let dir = tempfile::tempdir().expect("tempdir");
        let file = dir.path().join("sales-password");
        std::fs::write(&file, "from-file\r\n").expect("write");
        let mut m = MailboxSettings {
            host: "imap.example.com".into(),
            port: 993,
            security: Security::Tls,
            username: "sales@example.com".into(),
            password: SecretString::from(""),
            password_file: Some(file),
            folder: "INBOX".into(),
            move_to: None,
            ca_file: None,
        };
        assert_eq!(m.password("sales").expect("file").expose_secret(), "from-file");
        m.password = SecretString::from("from-env");
        let err = m.password("sales").expect_err("both");
        assert!(
            err.contains("mail.mailboxes.sales.password_file") && err.contains("both set"),
            "{err}"
        );
        m.password_file = None;
        assert_eq!(m.password("sales").expect("setting").expose_secret(), "from-env");
        m.password = SecretString::from("");
        assert!(
            m.password("sales")
                .expect_err("none")
                .contains("HORME__MAIL__MAILBOXES__SALES__PASSWORD")
        );
    }
}
