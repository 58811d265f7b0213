//! `horme config check`'s logins: every configured service is reached and logged in to with
//! the configured credentials (the database, each IMAP mailbox, the SMTP server, every chat
//! bot, the LLM endpoint), one row each: feature, target, result.

use std::time::Duration;

use channels::email::smtp::{SmtpCheck, SmtpSender};
use secrecy::ExposeSecret;

use crate::config::{ExtractorKind, Settings};

/// One line of the table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub feature: String,
    pub target: String,
    /// `Ok(what)` or `Err(reason)`.
    pub result: Result<String, String>,
}

impl Row {
    fn new(feature: impl Into<String>, target: impl Into<String>, result: Result<String, String>) -> Self {
        Self {
            feature: feature.into(),
            target: target.into(),
            result,
        }
    }
}

/// Tries every configured login; disabled features get no row.
pub async fn check_all(settings: &Settings) -> Vec<Row> {
    let mut rows = vec![database(settings).await];
    let m = &settings.mail;
    if m.enabled {
        for (name, mailbox) in &m.mailboxes {
            let target = format!("{}@{}:{}", mailbox.username, mailbox.host, mailbox.port);
            let result = match m.imap_config(name, mailbox) {
                Err(e) => Err(e),
                Ok(cfg) => match channels::email::imap::connect(&cfg).await {
                    Ok(mut session) => {
                        let _ = session.logout().await;
                        Ok("logged in".to_string())
                    }
                    Err(e) => Err(e.to_string()),
                },
            };
            rows.push(Row::new(format!("mail: mailbox {name}"), target, result));
        }
        let target = match m.smtp.username.as_str() {
            "" => format!("{}:{}", m.smtp.host, m.smtp.port),
            user => format!("{user}@{}:{}", m.smtp.host, m.smtp.port),
        };
        rows.push(Row::new("mail: smtp", target, smtp(m).await));
    }
    if settings.telegram.enabled {
        let t = &settings.telegram;
        let result = match t
            .client_config()
            .map_err(|e| e.to_string())
            .and_then(|cfg| channels::telegram::Bot::new(cfg).map_err(|e| e.to_string()))
        {
            Err(e) => Err(e),
            Ok(bot) => bot
                .get_me()
                .await
                .map(|me| format!("live as @{}", me.username.unwrap_or_default()))
                .map_err(|e| e.to_string()),
        };
        rows.push(Row::new("telegram", t.api_url.clone(), result));
    }
    if let Some(line) = crate::slack::live(settings).await {
        let result = match line.strip_prefix("NOT live: ") {
            Some(reason) => Err(reason.to_string()),
            None => Ok(line),
        };
        rows.push(Row::new("slack", settings.slack.api_url.clone(), result));
    }
    if settings.discord.enabled {
        let line = crate::discord::check(settings).await;
        let result = match line.strip_prefix("not live: ") {
            Some(reason) => Err(reason.to_string()),
            None => Ok(line),
        };
        rows.push(Row::new("discord", settings.discord.api_url.clone(), result));
    }
    if settings.pipeline.extractor == ExtractorKind::Llm {
        rows.push(llm(settings).await);
    }
    rows
}

/// The SMTP server: "logged in" only when it accepted our credentials, "connected" when none
/// are configured (a relay that trusts us); a user name without a password fails here as it
/// fails `serve`.
async fn smtp(m: &crate::mail::settings::MailSettings) -> Result<String, String> {
    let cfg = m.smtp_config()?;
    let smtp = SmtpSender::new(&cfg).map_err(|e| e.to_string())?;
    match smtp.check().await.map_err(|e| e.to_string())? {
        SmtpCheck::LoggedIn => Ok("logged in".into()),
        SmtpCheck::Connected => Ok("connected (no login: mail.smtp.username is empty)".into()),
    }
}

async fn database(settings: &Settings) -> Row {
    let target = crate::config::redacted_url(settings.database.url.expose_secret());
    let result = match crate::db::connect(&settings.database).await {
        Err(e) => Err(e.to_string()),
        Ok(pool) => sqlx::query_scalar::<_, String>("select version()")
            .fetch_one(&pool)
            .await
            .map(|v| v.split(" on ").next().unwrap_or(&v).to_string())
            .map_err(|e| e.to_string()),
    };
    Row::new("database", target, result)
}

/// The LLM endpoint: its model list, with the configured key (a wrong key is a 401 there).
async fn llm(settings: &Settings) -> Row {
    let l = &settings.llm;
    let base = l.base_url.trim_end_matches('/');
    let target = crate::config::redacted_url(base);
    let client = match reqwest13::Client::builder()
        .timeout(Duration::from_secs(l.timeout_seconds.clamp(1, 30)))
        .build()
    {
        Ok(c) => c,
        Err(e) => return Row::new("llm", target, Err(e.to_string())),
    };
    let url = match &l.azure_api_version {
        Some(v) => format!("{base}/models?api-version={v}"),
        None => format!("{base}/models"),
    };
    let key = l.api_key.expose_secret();
    let mut req = client.get(url);
    if !key.is_empty() {
        req = if l.azure_api_version.is_some() {
            req.header("api-key", key)
        } else {
            req.bearer_auth(key)
        };
    }
    let result = match req.send().await {
        Ok(r) if r.status().is_success() => Ok(format!("reachable, model {}", l.model)),
        Ok(r) => Err(format!("the endpoint answered {}", r.status())),
        Err(e) => Err(format!("unreachable: {e}")),
    };
    Row::new("llm", target, result)
}

/// The rows as an aligned table.
pub fn table(rows: &[Row]) -> String {
    let w_feature = rows.iter().map(|r| r.feature.len()).max().unwrap_or(0).max(7);
    let w_target = rows.iter().map(|r| r.target.len()).max().unwrap_or(0).max(6);
    let mut out = format!("{:<w_feature$}  {:<w_target$}  result\n", "feature", "target");
    for r in rows {
        let result = match &r.result {
            Ok(what) => format!("ok: {what}"),
            Err(why) => format!("failed: {why}"),
        };
        out.push_str(&format!(
            "{:<w_feature$}  {:<w_target$}  {result}\n",
            r.feature, r.target
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_names_each_failure() {
        let rows = vec![
            Row::new(
                "database",
                "postgres://u:[redacted]@db/horme",
                Ok("PostgreSQL 15.19".into()),
            ),
            Row::new(
                "mail: mailbox sales",
                "sales@mx:993",
                Err("IMAP login: authentication failed".into()),
            ),
        ];
        let t = table(&rows);
        let lines: Vec<&str> = t.lines().collect();
        assert_eq!(lines.len(), 3);
        assert!(lines[0].starts_with("feature"));
        assert!(lines[1].ends_with("ok: PostgreSQL 15.19"));
        assert!(lines[2].contains("sales@mx:993") && lines[2].ends_with("failed: IMAP login: authentication failed"));
        assert_eq!(lines[1].find("postgres"), lines[2].find("sales@"), "aligned");
    }
}
