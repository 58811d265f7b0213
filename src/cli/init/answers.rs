//! What `horme init` was told, as one checked set: which channels are on, with what, and
//! where each secret comes from (see `input` for the checks of each answer).

use super::InitArgs;
use super::input::{
    DISCORD_TOKEN_VAR, InputError, MAILBOX_PASSWORD_VAR, SLACK_SIGNING_VAR, SLACK_TOKEN_VAR, SMTP_PASSWORD_VAR,
    SecretSource, TELEGRAM_TOKEN_VAR, approver, database_url, email, host, slack_channel,
};
use crate::domain::EmailAddress;

#[derive(Debug, Clone)]
pub struct Mail {
    pub imap_host: String,
    pub imap_port: u16,
    pub imap_user: String,
    pub imap_password: SecretSource,
    pub smtp_host: String,
    pub smtp_port: u16,
    /// Empty: no login (a relay on this machine).
    pub smtp_user: String,
    pub smtp_password: SecretSource,
}

#[derive(Debug, Clone)]
pub struct Telegram {
    pub token: SecretSource,
    pub approvals_chat_id: Option<i64>,
}

#[derive(Debug, Clone)]
pub struct Slack {
    pub token: SecretSource,
    pub signing_secret: SecretSource,
    pub approvals_channel: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Discord {
    pub token: SecretSource,
    /// A snowflake (below 2^63, so a TOML integer holds it).
    pub approvals_channel_id: Option<i64>,
}

/// Every answer, valid. `None` and empty mean "keep the default".
#[derive(Debug, Clone)]
pub struct Answers {
    pub company_name: String,
    pub sales_email: Option<EmailAddress>,
    pub database_url: Option<String>,
    pub mail: Option<Mail>,
    pub approvers: Vec<String>,
    pub telegram: Option<Telegram>,
    pub slack: Option<Slack>,
    pub discord: Option<Discord>,
}

/// `Some(trimmed)` unless absent or blank.
fn given(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// None of `flags` may be given without the flag they depend on (`needs`, absent here).
fn none_given(
    flags: &[(&'static str, &Option<String>)],
    needs: &'static str,
    why: &'static str,
) -> Result<(), InputError> {
    match flags.iter().find(|(_, v)| given(v).is_some()) {
        Some(&(flag, _)) => Err(InputError::Needs { flag, needs, why }),
        None => Ok(()),
    }
}

impl Answers {
    pub fn from_args(a: &InitArgs) -> Result<Self, InputError> {
        let sales_email = given(&a.sales_email).map(|e| email("sales-email", e)).transpose()?;
        let database_url = given(&a.database_url).map(database_url).transpose()?;
        let company_name = given(&a.company_name).unwrap_or_default().to_string();
        if company_name.contains(['\n', '\r']) {
            return Err(InputError::Invalid {
                flag: "company-name",
                value: company_name,
                reason: "one line, please",
            });
        }
        let approvers = a
            .approvers
            .iter()
            .map(|s| s.trim())
            .filter(|s| !s.is_empty())
            .map(approver)
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Self {
            mail: mail(a, sales_email.as_ref())?,
            telegram: telegram(a)?,
            slack: slack(a)?,
            discord: discord(a)?,
            company_name,
            sales_email,
            database_url,
            approvers,
        })
    }

    /// Whether the file will hold a secret (then only its owner may read it).
    pub fn holds_secret(&self) -> bool {
        let literal = |s: &SecretSource| matches!(s, SecretSource::Value(_));
        let db = self
            .database_url
            .as_deref()
            .is_some_and(|u| !crate::config::dsn_passwords(u).is_empty());
        db || self
            .mail
            .as_ref()
            .is_some_and(|m| literal(&m.imap_password) || (!m.smtp_user.is_empty() && literal(&m.smtp_password)))
            || self.telegram.as_ref().is_some_and(|t| literal(&t.token))
            || self
                .slack
                .as_ref()
                .is_some_and(|s| literal(&s.token) || literal(&s.signing_secret))
            || self.discord.as_ref().is_some_and(|d| literal(&d.token))
    }

    /// The environment variables the service needs for secrets that come from there.
    pub fn env_secrets(&self) -> Vec<&'static str> {
        let mut out = Vec::new();
        let mut env = |s: &SecretSource, var| {
            if matches!(s, SecretSource::Env) {
                out.push(var);
            }
        };
        if let Some(m) = &self.mail {
            env(&m.imap_password, MAILBOX_PASSWORD_VAR);
            if !m.smtp_user.is_empty() {
                env(&m.smtp_password, SMTP_PASSWORD_VAR);
            }
        }
        if let Some(t) = &self.telegram {
            env(&t.token, TELEGRAM_TOKEN_VAR);
        }
        if let Some(s) = &self.slack {
            env(&s.token, SLACK_TOKEN_VAR);
            env(&s.signing_secret, SLACK_SIGNING_VAR);
        }
        if let Some(d) = &self.discord {
            env(&d.token, DISCORD_TOKEN_VAR);
        }
        out
    }
}

fn mail(a: &InitArgs, sales_email: Option<&EmailAddress>) -> Result<Option<Mail>, InputError> {
    let Some(imap_host) = given(&a.imap_host) else {
        none_given(
            &[
                ("smtp-host", &a.smtp_host),
                ("imap-user", &a.imap_user),
                ("imap-password", &a.imap_password),
            ],
            "imap-host",
            "the mail channel reads requests from a mailbox",
        )?;
        return Ok(None);
    };
    let imap_host = host("imap-host", imap_host)?;
    let Some(from) = sales_email else {
        return Err(InputError::Needs {
            flag: "imap-host",
            needs: "sales-email",
            why: "replies are sent from the sales address",
        });
    };
    let Some(smtp_host) = given(&a.smtp_host) else {
        return Err(InputError::Needs {
            flag: "imap-host",
            needs: "smtp-host",
            why: "replies go out over SMTP",
        });
    };
    let imap_user = given(&a.imap_user).unwrap_or(from.as_str()).to_string();
    let imap_password = match given(&a.imap_password) {
        Some(s) => SecretSource::parse(s, "imap-password", MAILBOX_PASSWORD_VAR)?,
        None => SecretSource::Env,
    };
    // an explicit empty --smtp-user: no login
    let smtp_user = match &a.smtp_user {
        Some(u) => u.trim().to_string(),
        None => imap_user.clone(),
    };
    let smtp_password = match given(&a.smtp_password) {
        Some(s) => match SecretSource::parse(s, "smtp-password", SMTP_PASSWORD_VAR)? {
            SecretSource::File(_) => {
                return Err(InputError::NoFileForm {
                    flag: "smtp-password",
                    what: "mail.smtp",
                    var: SMTP_PASSWORD_VAR,
                });
            }
            other => other,
        },
        None => SecretSource::Env,
    };
    Ok(Some(Mail {
        imap_host,
        imap_port: a.imap_port.unwrap_or(993),
        imap_user,
        imap_password,
        smtp_host: host("smtp-host", smtp_host)?,
        smtp_port: a.smtp_port.unwrap_or(587),
        smtp_user,
        smtp_password,
    }))
}

fn telegram(a: &InitArgs) -> Result<Option<Telegram>, InputError> {
    let Some(token) = given(&a.telegram_token) else {
        return match a.telegram_approvals_chat {
            Some(_) => Err(InputError::Needs {
                flag: "telegram-approvals-chat",
                needs: "telegram-token",
                why: "the bot needs its token",
            }),
            None => Ok(None),
        };
    };
    Ok(Some(Telegram {
        token: SecretSource::parse(token, "telegram-token", TELEGRAM_TOKEN_VAR)?,
        approvals_chat_id: a.telegram_approvals_chat,
    }))
}

fn slack(a: &InitArgs) -> Result<Option<Slack>, InputError> {
    let Some(token) = given(&a.slack_token) else {
        none_given(
            &[
                ("slack-signing-secret", &a.slack_signing_secret),
                ("slack-approvals-channel", &a.slack_approvals_channel),
            ],
            "slack-token",
            "the app needs its bot token",
        )?;
        return Ok(None);
    };
    Ok(Some(Slack {
        token: SecretSource::parse(token, "slack-token", SLACK_TOKEN_VAR)?,
        signing_secret: match given(&a.slack_signing_secret) {
            Some(s) => SecretSource::parse(s, "slack-signing-secret", SLACK_SIGNING_VAR)?,
            None => SecretSource::Env,
        },
        approvals_channel: given(&a.slack_approvals_channel).map(slack_channel).transpose()?,
    }))
}

fn discord(a: &InitArgs) -> Result<Option<Discord>, InputError> {
    let Some(token) = given(&a.discord_token) else {
        return match a.discord_approvals_channel {
            Some(_) => Err(InputError::Needs {
                flag: "discord-approvals-channel",
                needs: "discord-token",
                why: "the bot needs its token",
            }),
            None => Ok(None),
        };
    };
    let approvals_channel_id = a
        .discord_approvals_channel
        .map(|id| {
            i64::try_from(id).map_err(|_| InputError::Invalid {
                flag: "discord-approvals-channel",
                value: id.to_string(),
                reason: "not a Discord id (right click the channel → Copy ID)",
            })
        })
        .transpose()?;
    Ok(Some(Discord {
        token: SecretSource::parse(token, "discord-token", DISCORD_TOKEN_VAR)?,
        approvals_channel_id,
    }))
}
