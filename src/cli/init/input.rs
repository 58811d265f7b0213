//! The checks every answer of `horme init` goes through, as a flag or typed at a question:
//! mail addresses parse, the database URL is a PostgreSQL URL, hosts are host names, approvers
//! are addresses or chat identities, every secret names where it comes from. A bad answer is
//! an [`InputError`] naming the flag; nothing is written, and the question loop asks again.

use std::path::PathBuf;
use std::str::FromStr;

use secrecy::SecretString;

use crate::domain::{EmailAddress, ParseError};

/// An answer `horme init` cannot use.
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    #[error("--{flag}: {source}")]
    Address { flag: &'static str, source: ParseError },
    #[error("--database-url {url:?}: {reason}")]
    DatabaseUrl { url: String, reason: String },
    #[error("--{flag} {value:?}: give a host name such as mail.example.com (no scheme, port or path)")]
    Host { flag: &'static str, value: String },
    #[error(
        "--{flag}: give `env` (the secret comes from {var}), `file:PATH` or `value:SECRET` (written into the file)"
    )]
    SecretSource { flag: &'static str, var: &'static str },
    #[error("--{flag}: {what} has no file setting; give `env` ({var}) or `value:SECRET`")]
    NoFileForm {
        flag: &'static str,
        what: &'static str,
        var: &'static str,
    },
    #[error(
        "--approvers {0:?}: neither a mail address nor a chat identity such as telegram:123456789, \
         slack:U0123ABCDEF or discord:123456789012345678"
    )]
    Approver(String),
    #[error("--{flag} {value:?}: {reason}")]
    Invalid {
        flag: &'static str,
        value: String,
        reason: &'static str,
    },
    #[error("--{flag} needs --{needs}: {why}")]
    Needs {
        flag: &'static str,
        needs: &'static str,
        why: &'static str,
    },
}

/// Where a secret comes from.
#[derive(Debug, Clone)]
pub enum SecretSource {
    /// The environment variable the configuration loader reads for that key.
    Env,
    /// A file read at start-up (the key's `*_file` form).
    File(PathBuf),
    /// Given explicitly: written into the configuration file.
    Value(SecretString),
}

impl SecretSource {
    /// `env`, `file:PATH` or `value:SECRET`; the error never repeats what was given (it may be
    /// the secret itself, typed where its source was asked for).
    pub fn parse(raw: &str, flag: &'static str, var: &'static str) -> Result<Self, InputError> {
        let raw = raw.trim();
        if raw == "env" {
            return Ok(Self::Env);
        }
        if let Some(path) = raw.strip_prefix("file:").filter(|p| !p.trim().is_empty()) {
            return Ok(Self::File(PathBuf::from(path.trim())));
        }
        if let Some(value) = raw.strip_prefix("value:").filter(|v| !v.is_empty()) {
            return Ok(Self::Value(SecretString::from(value)));
        }
        Err(InputError::SecretSource { flag, var })
    }
}

/// The sales mailbox and the SMTP server replies go out through.
pub const MAILBOX_PASSWORD_VAR: &str = "HORME__MAIL__MAILBOXES__SALES__PASSWORD";
pub const SMTP_PASSWORD_VAR: &str = "HORME__MAIL__SMTP__PASSWORD";
pub const TELEGRAM_TOKEN_VAR: &str = "HORME__TELEGRAM__BOT_TOKEN";
pub const SLACK_TOKEN_VAR: &str = "HORME__SLACK__BOT_TOKEN";
pub const SLACK_SIGNING_VAR: &str = "HORME__SLACK__SIGNING_SECRET";
pub const DISCORD_TOKEN_VAR: &str = "HORME__DISCORD__BOT_TOKEN";

pub fn email(flag: &'static str, raw: &str) -> Result<EmailAddress, InputError> {
    EmailAddress::parse(raw).map_err(|source| InputError::Address { flag, source })
}

/// A PostgreSQL URL (`postgres://` or `postgresql://`) that the driver accepts. The error shows
/// the URL with its password redacted.
pub fn database_url(raw: &str) -> Result<String, InputError> {
    let url = raw.trim();
    let bad = |reason: String| InputError::DatabaseUrl {
        url: crate::config::redacted_url(url),
        reason,
    };
    if !(url.starts_with("postgres://") || url.starts_with("postgresql://")) {
        return Err(bad(
            "not a PostgreSQL URL; expected postgres://USER@HOST:PORT/DATABASE".into()
        ));
    }
    if url.chars().any(char::is_whitespace) {
        return Err(bad("a URL has no spaces".into()));
    }
    sqlx::postgres::PgConnectOptions::from_str(url)
        .map_err(|e| bad(crate::config::scrub_dsn_secrets(&e.to_string(), url)))?;
    Ok(url.to_string())
}

pub fn host(flag: &'static str, raw: &str) -> Result<String, InputError> {
    let h = raw.trim();
    let ok = !h.is_empty()
        && h.len() <= 253
        && h.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.')
        && !h.starts_with(['.', '-'])
        && !h.ends_with(['.', '-']);
    if ok {
        Ok(h.to_ascii_lowercase())
    } else {
        Err(InputError::Host {
            flag,
            value: raw.to_string(),
        })
    }
}

/// A mail address, or a chat identity (`telegram:`, `slack:` or `discord:` and the user id),
/// as the approvers list compares it (lowercase).
pub fn approver(raw: &str) -> Result<String, InputError> {
    let a = raw.trim();
    if let Some((channel, id)) = a.split_once(':') {
        let channel = channel.to_ascii_lowercase();
        let ok = match channel.as_str() {
            "telegram" | "discord" => !id.is_empty() && id.chars().all(|c| c.is_ascii_digit()),
            "slack" => !id.is_empty() && id.chars().all(|c| c.is_ascii_alphanumeric()),
            _ => false,
        };
        return if ok {
            Ok(crate::quotations::approval::normalize_identity(a))
        } else {
            Err(InputError::Approver(a.to_string()))
        };
    }
    EmailAddress::parse(a)
        .map(|e| e.to_string())
        .map_err(|_| InputError::Approver(a.to_string()))
}

/// A Slack channel id: `C…` or `G…`, letters and digits.
pub fn slack_channel(raw: &str) -> Result<String, InputError> {
    let c = raw.trim();
    if c.len() >= 2 && c.starts_with(['C', 'G']) && c.chars().all(|ch| ch.is_ascii_uppercase() || ch.is_ascii_digit()) {
        Ok(c.to_string())
    } else {
        Err(InputError::Invalid {
            flag: "slack-approvals-channel",
            value: raw.to_string(),
            reason: "a channel id such as C0123456789 (channel details → the id at the bottom)",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_sources_are_named_and_never_echoed() {
        assert!(matches!(SecretSource::parse("env", "x", "V"), Ok(SecretSource::Env)));
        assert!(
            matches!(SecretSource::parse("file:/run/secrets/t", "x", "V"), Ok(SecretSource::File(p)) if p == std::path::Path::new("/run/secrets/t"))
        );
        assert!(matches!(
            SecretSource::parse("value:s3cret", "x", "V"),
            Ok(SecretSource::Value(_))
        ));
        let err = SecretSource::parse("123456:AAH-very-secret", "telegram-token", "HORME__TELEGRAM__BOT_TOKEN")
            .expect_err("a bare token is no source")
            .to_string();
        assert!(!err.contains("very-secret"), "{err}");
        assert!(err.contains("--telegram-token") && err.contains("file:PATH"), "{err}");
        assert!(SecretSource::parse("file:", "x", "V").is_err());
    }

    #[test]
    fn database_urls_are_postgresql_urls_and_their_passwords_stay_hidden() {
        assert_eq!(
            database_url(" postgres://horme@db:5432/horme ").expect("valid"),
            "postgres://horme@db:5432/horme"
        );
        assert!(database_url("postgresql://u:p@db/horme?sslmode=require").is_ok());
        let err = database_url("mysql://u:very-secret@db/horme")
            .expect_err("not postgres")
            .to_string();
        assert!(
            err.contains("not a PostgreSQL URL") && !err.contains("very-secret"),
            "{err}"
        );
        assert!(database_url("postgres://db:notaport/horme").is_err());
        assert!(database_url("db.example.com").is_err());
    }

    #[test]
    fn hosts_and_approvers_are_checked() {
        assert_eq!(
            host("imap-host", "IMAP.Example.com").expect("valid"),
            "imap.example.com"
        );
        for bad in ["imaps://imap.example.com", "imap.example.com:993", "", "a b"] {
            assert!(host("imap-host", bad).is_err(), "{bad}");
        }
        assert_eq!(approver("Lead@Example.com").expect("mail"), "lead@example.com");
        assert_eq!(approver("slack:U0123ABC").expect("slack"), "slack:u0123abc");
        assert_eq!(approver("telegram:123456789").expect("telegram"), "telegram:123456789");
        for bad in ["lead", "telegram:@lena", "teams:123", "discord:"] {
            assert!(approver(bad).is_err(), "{bad}");
        }
        assert!(slack_channel("C0123456789").is_ok());
        assert!(slack_channel("#sales").is_err());
    }
}
