//! `horme init`: writes a commented `horme.toml` from flags, or from a few questions on a
//! terminal, then loads it through the real configuration loader (the validation `serve`
//! does) and runs `horme config check` on it — or, while the database cannot be reached yet,
//! says to run that once it can. An existing file is replaced only with `--force`.

mod answers;
mod file;
mod input;
mod questions;

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use anyhow::Context;
use clap::Args;

use crate::config::Settings;
use crate::telemetry::Verbosity;

/// Flags of `horme init`. Secrets are given by where they come from: `env` (the variable the
/// loader reads), `file:PATH` (read at start-up), or `value:SECRET` (written into the file).
#[derive(Debug, Args)]
pub struct InitArgs {
    /// Ask nothing: what no flag gives keeps its default. Also the case when any answer is
    /// given as a flag, or stdin is not a terminal.
    #[arg(long, short = 'y', visible_alias = "yes")]
    pub non_interactive: bool,
    /// Replace an existing configuration file.
    #[arg(long)]
    pub force: bool,
    /// The company name, printed on quotations and under replies.
    #[arg(long, value_name = "NAME")]
    pub company_name: Option<String>,
    /// The sales mail address: printed on quotations, and the address replies come from.
    #[arg(long, value_name = "ADDRESS")]
    pub sales_email: Option<String>,
    /// postgres://USER@HOST:PORT/DATABASE (a password is better given in DATABASE_URL).
    #[arg(long, value_name = "URL")]
    pub database_url: Option<String>,
    /// The IMAP server of the sales mailbox: turns the mail channel on.
    #[arg(long, value_name = "HOST")]
    pub imap_host: Option<String>,
    /// Default 993 (TLS); 143 uses STARTTLS.
    #[arg(long, value_name = "PORT")]
    pub imap_port: Option<u16>,
    /// Default: the sales address.
    #[arg(long, value_name = "USER")]
    pub imap_user: Option<String>,
    /// env (HORME__MAIL__MAILBOXES__SALES__PASSWORD, the default), file:PATH or value:PASSWORD.
    #[arg(long, value_name = "SOURCE")]
    pub imap_password: Option<String>,
    /// The SMTP server replies go out through (needed with --imap-host).
    #[arg(long, value_name = "HOST")]
    pub smtp_host: Option<String>,
    /// Default 587 (STARTTLS); 465 uses TLS.
    #[arg(long, value_name = "PORT")]
    pub smtp_port: Option<u16>,
    /// Default: the IMAP user; "" for a relay without login.
    #[arg(long, value_name = "USER")]
    pub smtp_user: Option<String>,
    /// env (HORME__MAIL__SMTP__PASSWORD, the default) or value:PASSWORD.
    #[arg(long, value_name = "SOURCE")]
    pub smtp_password: Option<String>,
    /// Who may approve: mail addresses or telegram:/slack:/discord: user ids, comma-separated.
    #[arg(long, value_name = "LIST", value_delimiter = ',')]
    pub approvers: Vec<String>,
    /// Turns Telegram on: env (HORME__TELEGRAM__BOT_TOKEN), file:PATH or value:TOKEN.
    #[arg(long, value_name = "SOURCE")]
    pub telegram_token: Option<String>,
    /// The approvers' group chat id (e.g. -1001234567890).
    #[arg(long, value_name = "ID", allow_negative_numbers = true)]
    pub telegram_approvals_chat: Option<i64>,
    /// Turns Slack on: env (HORME__SLACK__BOT_TOKEN), file:PATH or value:TOKEN.
    #[arg(long, value_name = "SOURCE")]
    pub slack_token: Option<String>,
    /// env (HORME__SLACK__SIGNING_SECRET, the default), file:PATH or value:SECRET.
    #[arg(long, value_name = "SOURCE")]
    pub slack_signing_secret: Option<String>,
    /// The approvers' channel id (e.g. C0123456789).
    #[arg(long, value_name = "ID")]
    pub slack_approvals_channel: Option<String>,
    /// Turns Discord on: env (HORME__DISCORD__BOT_TOKEN), file:PATH or value:TOKEN.
    #[arg(long, value_name = "SOURCE")]
    pub discord_token: Option<String>,
    /// The approvers' channel id (e.g. 1234567890123456789).
    #[arg(long, value_name = "ID")]
    pub discord_approvals_channel: Option<u64>,
}

impl InitArgs {
    /// Whether any answer came as a flag (then no question is asked).
    fn gives_answers(&self) -> bool {
        let strings = [
            &self.company_name,
            &self.sales_email,
            &self.database_url,
            &self.imap_host,
            &self.imap_user,
            &self.imap_password,
            &self.smtp_host,
            &self.smtp_user,
            &self.smtp_password,
            &self.telegram_token,
            &self.slack_token,
            &self.slack_signing_secret,
            &self.slack_approvals_channel,
            &self.discord_token,
        ];
        strings.iter().any(|s| s.is_some())
            || !self.approvers.is_empty()
            || self.imap_port.is_some()
            || self.smtp_port.is_some()
            || self.telegram_approvals_chat.is_some()
            || self.discord_approvals_channel.is_some()
    }
}

/// The file to write: `--config`, else `$HORME_CONFIG`, else `./horme.toml` — where `serve`
/// will look for it.
fn target(config: Option<&Path>) -> PathBuf {
    config
        .map(Path::to_path_buf)
        .or_else(|| std::env::var_os("HORME_CONFIG").map(PathBuf::from))
        .unwrap_or_else(|| PathBuf::from("horme.toml"))
}

pub async fn run(mut args: InitArgs, config: Option<&Path>) -> anyhow::Result<()> {
    let path = target(config);
    if path.exists() && !args.force {
        anyhow::bail!(
            "{} exists already and was left as it is (--force replaces it)",
            path.display()
        );
    }
    if !(args.non_interactive || args.gives_answers()) && std::io::stdin().is_terminal() {
        let (mut stdin, mut stderr) = (std::io::stdin().lock(), std::io::stderr());
        questions::ask(&mut args, &mut questions::Prompt::new(&mut stdin, &mut stderr))
            .context("asking for the configuration")?;
    }
    let answers = answers::Answers::from_args(&args)?;
    let defaults = Settings::builtin().context("loading the built-in defaults")?;
    let text = file::render(&answers, &defaults);
    write(&path, &text, args.force, answers.holds_secret()).with_context(|| format!("writing {}", path.display()))?;
    eprintln!("wrote {}", path.display());
    if answers.holds_secret() {
        eprintln!("  it holds a secret given explicitly: only its owner may read it");
    }
    for var in answers.env_secrets() {
        eprintln!("  set {var} in the service's environment");
    }
    let check = check_command(&path, config.is_some());
    let settings = Settings::load(Some(&path)).with_context(|| {
        format!(
            "{} is written but does not load; edit it (or run `horme init --force` again), then `{check}`",
            path.display()
        )
    })?;
    crate::telemetry::init(&settings.log, Verbosity::OneShot);
    // The logins need the database first; before it exists there is nothing to check yet.
    match reachable(&settings.database).await {
        Err(why) => {
            eprintln!("not checked yet: {why}; once it is reachable, run `{check}`");
            Ok(())
        }
        Ok(()) => {
            eprintln!("checking it as `{check}` does:\n");
            super::config_check::run(settings)
                .await
                .with_context(|| format!("{} is written, but its check failed", path.display()))
        }
    }
}

/// Whether the database answers: one connection, at most five seconds (a pool would wait out
/// its acquire timeout and name no reason). The error shows no password.
async fn reachable(db: &crate::config::DatabaseSettings) -> Result<(), String> {
    use secrecy::ExposeSecret;
    use sqlx::Connection;
    let url = db.url.expose_secret();
    let shown = crate::config::redacted_url(url);
    let options = sqlx::postgres::PgConnectOptions::from_str(url)
        .map_err(|e| format!("{shown}: {}", crate::config::scrub_dsn_secrets(&e.to_string(), url)))?;
    match tokio::time::timeout(Duration::from_secs(5), sqlx::PgConnection::connect_with(&options)).await {
        Err(_) => Err(format!("the database at {shown} did not answer within 5 s")),
        Ok(Err(e)) => Err(format!(
            "the database at {shown} is not reachable ({})",
            crate::config::scrub_dsn_secrets(&e.to_string(), url)
        )),
        Ok(Ok(conn)) => {
            let _ = conn.close().await;
            Ok(())
        }
    }
}

/// `horme config check`, with `--config` when the file is not where it is looked for anyway.
fn check_command(path: &Path, named: bool) -> String {
    if named {
        format!("horme --config {} config check", path.display())
    } else {
        "horme config check".to_string()
    }
}

/// Writes the file: never over an existing one unless `force`; readable by its owner only
/// when it holds a secret.
fn write(path: &Path, text: &str, force: bool, private: bool) -> std::io::Result<()> {
    use std::io::Write;
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true);
    if force {
        options.create(true).truncate(true);
    } else {
        options.create_new(true);
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(if private { 0o600 } else { 0o644 });
    }
    let mut f = options.open(path)?;
    #[cfg(unix)]
    if private {
        // a replaced file keeps its mode otherwise
        use std::os::unix::fs::PermissionsExt;
        f.set_permissions(std::fs::Permissions::from_mode(0o600))?;
    }
    f.write_all(text.as_bytes())?;
    f.sync_all()
}
