//! The `horme.toml` that `horme init` writes: only what differs from the built-in defaults,
//! every key with a comment saying what it is, and commented-out examples of the keys an
//! installation usually sets next. Secrets are named by where they come from (a `*_file`
//! path, or the environment variable the loader reads); one is written only when it was
//! given explicitly (`value:…`).

use secrecy::ExposeSecret;
use toml::Value;

use super::answers::Answers;
use super::input::{
    DISCORD_TOKEN_VAR, MAILBOX_PASSWORD_VAR, SLACK_SIGNING_VAR, SLACK_TOKEN_VAR, SMTP_PASSWORD_VAR, SecretSource,
    TELEGRAM_TOKEN_VAR,
};
use crate::config::Settings;

/// A TOML document written line by line, so that comments sit where a reader needs them.
#[derive(Default)]
struct Doc(String);

impl Doc {
    fn line(&mut self, line: &str) {
        self.0.push_str(line);
        self.0.push('\n');
    }

    fn comment(&mut self, text: &str) {
        for l in text.lines() {
            self.line(format!("# {l}").trim_end());
        }
    }

    fn section(&mut self, name: &str, about: &str) {
        self.line("");
        self.comment(about);
        self.line(&format!("[{name}]"));
    }

    /// `key = value` under a comment explaining it.
    fn key(&mut self, about: &str, key: &str, value: impl Into<Value>) {
        self.comment(about);
        self.line(&format!("{key} = {}", value.into()));
    }

    /// A commented-out example of a key left at its default.
    fn example(&mut self, about: &str, key: &str, value: impl Into<Value>) {
        self.comment(about);
        self.line(&format!("# {key} = {}", value.into()));
    }

    /// A secret key: its `*_file` form, the environment, or (given explicitly) its value.
    fn secret(&mut self, what: &str, key: &str, file_key: Option<&str>, source: &SecretSource, var: &str) {
        match (source, file_key) {
            (SecretSource::File(path), Some(file_key)) => self.key(
                &format!("{what} is read from this file at start-up (never printed or logged)."),
                file_key,
                path.display().to_string(),
            ),
            (SecretSource::Value(v), _) => self.key(
                &format!(
                    "{what}, written here because it was given explicitly: keep this file private, or\n\
                     remove the line and set {var} in the service's environment instead."
                ),
                key,
                v.expose_secret(),
            ),
            (SecretSource::Env, Some(file_key)) => self.comment(&format!(
                "{what} comes from the environment: {var} (or name a file: {file_key} = \"/run/secrets/…\")."
            )),
            _ => self.comment(&format!("{what} comes from the environment: {var}.")),
        }
    }
}

fn strings(v: &[String]) -> Value {
    Value::Array(v.iter().cloned().map(Value::String).collect())
}

/// The text of the configuration file.
pub fn render(a: &Answers, defaults: &Settings) -> String {
    let mut d = Doc::default();
    d.comment(
        "Horme configuration, written by `horme init`; check it with `horme config check`.\n\
         \n\
         Only what differs from the built-in defaults is set here (deploy/config/defaults.toml in\n\
         the source; `horme config check` prints the whole effective configuration). Environment\n\
         variables win over this file: HORME__SECTION__KEY (lists comma-separated), and DATABASE_URL\n\
         for database.url. Secrets are not written here unless given explicitly: they come from\n\
         files (the *_file keys) or from the environment.",
    );
    database(&mut d, a, defaults);
    company(&mut d, a);
    approval(&mut d, a);
    if a.mail.is_some() {
        mail(&mut d, a);
    }
    chats(&mut d, a);
    d.0
}

fn database(d: &mut Doc, a: &Answers, defaults: &Settings) {
    d.section(
        "database",
        "PostgreSQL: requests, the job queue, the catalog and quotations (`horme migrate` creates the tables).",
    );
    let default = defaults.database.url.expose_secret();
    match a.database_url.as_deref().filter(|u| *u != default) {
        Some(url) => {
            let private = if crate::config::dsn_passwords(url).is_empty() {
                ""
            } else {
                "\nIt carries a password, so this file is readable by its owner only; DATABASE_URL keeps it out."
            };
            d.key(
                &format!("The database to use; DATABASE_URL, when set, wins.{private}"),
                "url",
                url,
            );
        }
        None => d.example(
            "The database to use (this is the default); DATABASE_URL, when set, wins.",
            "url",
            default,
        ),
    }
}

fn company(d: &mut Doc, a: &Answers) {
    d.section(
        "company",
        "Who we are: the company block of every quotation and the signature of every reply.",
    );
    if a.company_name.is_empty() {
        d.example(
            "The company name (quotations carry no company block without it).",
            "name",
            "Example Supplies Pte Ltd",
        );
    } else {
        d.key(
            "The company name, at the top of every quotation and under every reply.",
            "name",
            a.company_name.as_str(),
        );
    }
    match &a.sales_email {
        Some(e) => d.key("Our sales address, printed on quotations.", "email", e.as_str()),
        None => d.example(
            "Our sales address, printed on quotations.",
            "email",
            "sales@example.com",
        ),
    }
    d.example(
        "Lines of the postal address in the company block.",
        "address",
        strings(&["1 Example Road #01-01".into(), "Singapore 000000".into()]),
    );
    d.example(
        "Printed in the company block, like website, registration_no and gst_no.",
        "phone",
        "+65 6000 0000",
    );
    d.example(
        "A PNG or JPEG logo for the quotation's header.",
        "logo",
        "/etc/horme/logo.png",
    );
    d.example(
        "The language of the reply texts: texts under templates/locales/<locale>/ replace the English ones.",
        "locale",
        "en",
    );
}

fn approval(d: &mut Doc, a: &Answers) {
    d.section(
        "approval",
        "Who approves a draft before it goes to the customer (auto_approve lets small, confident ones through).",
    );
    let about = "Mail addresses and chat identities (telegram:USER_ID, slack:USER_ID, discord:USER_ID)\n\
                 allowed to approve; `horme approvers add` adds more.";
    if a.approvers.is_empty() {
        d.example(about, "approvers", strings(&["sales.lead@example.com".into()]));
    } else {
        d.key(about, "approvers", strings(&a.approvers));
    }
}

fn mail(d: &mut Doc, a: &Answers) {
    let Some(m) = &a.mail else { return };
    let from = a.sales_email.as_ref().map(|e| e.as_str()).unwrap_or_default();
    d.section(
        "mail",
        "Requests by mail (README \"Mail\"): the mailbox below is watched over IMAP, replies go out\n\
         over SMTP in the customer's thread.",
    );
    d.key("The mail channel is on.", "enabled", true);
    d.key(
        "Replies are sent from this address (our Message-IDs carry its domain).",
        "from_address",
        from,
    );
    if !a.company_name.is_empty() {
        d.key("The name shown with it.", "from_name", a.company_name.as_str());
    }
    d.example(
        "Where drafts for approval go; unset: to each approver with a mail address.",
        "approvals_address",
        "sales-approvals@example.com",
    );
    d.example(
        "Advised: the authserv-id your mail server writes into Authentication-Results (Gmail:\n\
         \"mx.google.com\"); an approval by mail then needs a passing DKIM or SPF result.",
        "trusted_authserv_ids",
        strings(&["mx.example.com".into()]),
    );

    d.section("mail.smtp", "The server replies are sent through.");
    d.key("Its host name.", "host", m.smtp_host.as_str());
    if m.smtp_port != 587 {
        let security = if m.smtp_port == 465 { "tls" } else { "starttls" };
        d.key(
            "Its port (the default is 587 with STARTTLS).",
            "port",
            i64::from(m.smtp_port),
        );
        d.key(
            "tls: encrypted from the first byte (465); starttls: upgraded after connecting (587).",
            "security",
            security,
        );
    }
    if m.smtp_user.is_empty() {
        d.comment("No login: a relay that accepts our mail without one.");
    } else {
        d.key("The login.", "username", m.smtp_user.as_str());
        d.secret("Its password", "password", None, &m.smtp_password, SMTP_PASSWORD_VAR);
    }

    d.section(
        "mail.mailboxes.sales",
        "The mailbox customers write to. Use a dedicated one: everything unseen in its folder is read\n\
         as mail to answer.",
    );
    d.key("The IMAP server's host name.", "host", m.imap_host.as_str());
    if m.imap_port != 993 {
        let security = if m.imap_port == 143 { "starttls" } else { "tls" };
        d.key(
            "Its port (the default is 993 with TLS).",
            "port",
            i64::from(m.imap_port),
        );
        d.key(
            "tls: encrypted from the first byte (993); starttls: upgraded after connecting (143).",
            "security",
            security,
        );
    }
    d.key("The login.", "username", m.imap_user.as_str());
    d.secret(
        "Its password",
        "password",
        Some("password_file"),
        &m.imap_password,
        MAILBOX_PASSWORD_VAR,
    );
    d.example(
        "After a mail is stored it is moved here; unset: it is marked \\Seen.",
        "move_to",
        "Horme/Processed",
    );
}

fn chats(d: &mut Doc, a: &Answers) {
    if let Some(t) = &a.telegram {
        d.section(
            "telegram",
            "Requests from a Telegram bot (README \"Telegram\"): answered in the chat, drafts to the approvers' group.",
        );
        d.key("The Telegram channel is on.", "enabled", true);
        d.secret(
            "The bot token",
            "bot_token",
            Some("bot_token_file"),
            &t.token,
            TELEGRAM_TOKEN_VAR,
        );
        let about = "The approvers' group: drafts are posted there with Approve / Reject buttons.";
        match t.approvals_chat_id {
            Some(id) => d.key(about, "approvals_chat_id", id),
            None => d.example(about, "approvals_chat_id", -1001234567890_i64),
        }
        d.example(
            "Chats whose members may send requests (the chat_access table adds more).",
            "allowed_chats",
            Value::Array(vec![Value::Integer(-1001234567891)]),
        );
    }
    if let Some(s) = &a.slack {
        d.section(
            "slack",
            "Requests from Slack (README \"Slack\"): events arrive at /slack/events on the HTTP server.",
        );
        d.key("The Slack channel is on.", "enabled", true);
        d.secret(
            "The bot token (xoxb-…)",
            "bot_token",
            Some("bot_token_file"),
            &s.token,
            SLACK_TOKEN_VAR,
        );
        d.secret(
            "The app's signing secret",
            "signing_secret",
            Some("signing_secret_file"),
            &s.signing_secret,
            SLACK_SIGNING_VAR,
        );
        let about = "The approvers' channel id: drafts are posted there with Approve / Reject buttons.";
        match &s.approvals_channel {
            Some(c) => d.key(about, "approvals_channel", c.as_str()),
            None => d.example(about, "approvals_channel", "C0123456789"),
        }
        d.example(
            "Channel ids whose members may send requests (the chat_access table adds more).",
            "allowed_channels",
            strings(&["C0123456780".into()]),
        );
    }
    if let Some(c) = &a.discord {
        d.section(
            "discord",
            "Requests from a Discord bot (README \"Discord\"): answered in a thread on the message.",
        );
        d.key("The Discord channel is on.", "enabled", true);
        d.secret(
            "The bot token",
            "bot_token",
            Some("bot_token_file"),
            &c.token,
            DISCORD_TOKEN_VAR,
        );
        let about = "The approvers' channel id: drafts are posted there with Approve / Reject buttons.";
        match c.approvals_channel_id {
            Some(id) => d.key(about, "approvals_channel_id", id),
            None => d.example(about, "approvals_channel_id", 1234567890123456789_i64),
        }
        d.example(
            "Channel ids whose members may send requests (the chat_access table adds more).",
            "allowed_channels",
            Value::Array(vec![Value::Integer(1234567890123456780)]),
        );
    }
    let off: Vec<&str> = [
        ("Telegram", a.telegram.is_none()),
        ("Slack", a.slack.is_none()),
        ("Discord", a.discord.is_none()),
    ]
    .into_iter()
    .filter_map(|(name, off)| off.then_some(name))
    .collect();
    let (last, rest) = match off.split_last() {
        Some(split) => split,
        None => return,
    };
    let (names, verb) = match rest {
        [] => (last.to_string(), "stays"),
        _ => (format!("{} and {last}", rest.join(", ")), "stay"),
    };
    d.line("");
    d.comment(&format!(
        "{names} {verb} off; deploy/config/example.toml and the README show their settings."
    ));
}
