//! The questions `horme init` asks on a terminal when no answer was given as a flag. Each
//! answer is checked as it is given (the same checks as the flags') and asked again when it
//! does not do; an empty answer takes the default shown in brackets.

use std::io::{self, BufRead, Write};

use super::InitArgs;
use super::input::{self, InputError, SecretSource};

/// A question-and-answer session over any input and output (stdin/stderr, or a test's script).
pub struct Prompt<'a> {
    input: &'a mut dyn BufRead,
    output: &'a mut dyn Write,
}

impl<'a> Prompt<'a> {
    pub fn new(input: &'a mut dyn BufRead, output: &'a mut dyn Write) -> Self {
        Self { input, output }
    }

    /// One answer, trimmed; `default` when it is empty. The end of the input is an error: a
    /// question nobody can answer is not asked forever.
    fn ask(&mut self, question: &str, default: &str) -> io::Result<String> {
        if default.is_empty() {
            write!(self.output, "{question}: ")?;
        } else {
            write!(self.output, "{question} [{default}]: ")?;
        }
        self.output.flush()?;
        let mut line = String::new();
        if self.input.read_line(&mut line)? == 0 {
            return Err(io::Error::new(io::ErrorKind::UnexpectedEof, "no answer (end of input)"));
        }
        let answer = line.trim();
        Ok(if answer.is_empty() { default } else { answer }.to_string())
    }

    /// Asks until `check` accepts the answer (an empty answer is accepted as "none").
    fn ask_checked<T>(
        &mut self,
        question: &str,
        default: &str,
        check: impl Fn(&str) -> Result<T, InputError>,
    ) -> io::Result<String> {
        loop {
            let answer = self.ask(question, default)?;
            match check(&answer) {
                _ if answer.is_empty() => return Ok(answer),
                Ok(_) => return Ok(answer),
                Err(e) => writeln!(self.output, "  {e}")?,
            }
        }
    }
}

/// Fills every answer that no flag gave.
pub fn ask(a: &mut InitArgs, p: &mut Prompt<'_>) -> io::Result<()> {
    writeln!(
        p.output,
        "A few questions for the configuration file (Enter takes the [default]; empty: none)."
    )?;
    a.company_name = Some(p.ask("Company name, printed on quotations", "")?);
    a.sales_email = Some(p.ask_checked("Sales mail address (customers write to it)", "", |v| {
        input::email("sales-email", v)
    })?);
    a.database_url = Some(p.ask_checked(
        "PostgreSQL URL (a password is better given later in DATABASE_URL)",
        "postgres://127.0.0.1:5432/horme",
        input::database_url,
    )?);
    mail(a, p)?;
    let approvers = p.ask_checked(
        "Approvers: mail addresses or telegram:/slack:/discord: user ids, comma-separated",
        "",
        |v| {
            v.split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .try_for_each(|s| input::approver(s).map(drop))
        },
    )?;
    a.approvers = approvers
        .split(',')
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect();
    chats(a, p)
}

const SOURCE: &str = "env, file:PATH or value:SECRET";

fn mail(a: &mut InitArgs, p: &mut Prompt<'_>) -> io::Result<()> {
    let imap = p.ask_checked("IMAP host of the sales mailbox (empty: no mail channel)", "", |v| {
        input::host("imap-host", v)
    })?;
    a.imap_host = Some(imap.clone());
    if imap.is_empty() {
        return Ok(());
    }
    let sales = a.sales_email.clone().unwrap_or_default();
    let user = p.ask("IMAP user", &sales)?;
    a.imap_password = Some(p.ask_checked(&format!("IMAP password from ({SOURCE})"), "env", |v| {
        SecretSource::parse(v, "imap-password", input::MAILBOX_PASSWORD_VAR)
    })?);
    let smtp_default = imap
        .strip_prefix("imap.")
        .map(|d| format!("smtp.{d}"))
        .unwrap_or_default();
    a.smtp_host = Some(p.ask_checked("SMTP host for the replies", &smtp_default, |v| {
        input::host("smtp-host", v)
    })?);
    let smtp_user = p.ask("SMTP user (\"-\": no login)", &user)?;
    a.imap_user = Some(user);
    if smtp_user == "-" {
        a.smtp_user = Some(String::new());
        return Ok(());
    }
    a.smtp_user = Some(smtp_user);
    a.smtp_password = Some(p.ask_checked("SMTP password from (env or value:SECRET)", "env", |v| {
        SecretSource::parse(v, "smtp-password", input::SMTP_PASSWORD_VAR)
    })?);
    Ok(())
}

fn chats(a: &mut InitArgs, p: &mut Prompt<'_>) -> io::Result<()> {
    let token = |p: &mut Prompt<'_>, what: &str, flag: &'static str, var: &'static str| {
        p.ask_checked(&format!("{what} from ({SOURCE}; empty: off)"), "", move |v| {
            SecretSource::parse(v, flag, var)
        })
    };
    let telegram = token(p, "Telegram bot token", "telegram-token", input::TELEGRAM_TOKEN_VAR)?;
    if !telegram.is_empty() {
        let chat = p.ask_checked("Telegram approvers' chat id (empty: set it later)", "", |v| {
            v.parse::<i64>().map_err(|_| InputError::Invalid {
                flag: "telegram-approvals-chat",
                value: v.to_string(),
                reason: "a chat id such as -1001234567890",
            })
        })?;
        a.telegram_approvals_chat = chat.parse().ok();
        a.telegram_token = Some(telegram);
    }
    let slack = token(p, "Slack bot token", "slack-token", input::SLACK_TOKEN_VAR)?;
    if !slack.is_empty() {
        a.slack_signing_secret = Some(
            p.ask_checked(&format!("Slack signing secret from ({SOURCE})"), "env", |v| {
                SecretSource::parse(v, "slack-signing-secret", input::SLACK_SIGNING_VAR)
            })?,
        );
        a.slack_approvals_channel = Some(p.ask_checked(
            "Slack approvers' channel id (empty: set it later)",
            "",
            input::slack_channel,
        )?);
        a.slack_token = Some(slack);
    }
    let discord = token(p, "Discord bot token", "discord-token", input::DISCORD_TOKEN_VAR)?;
    if !discord.is_empty() {
        let channel = p.ask_checked("Discord approvers' channel id (empty: set it later)", "", |v| {
            v.parse::<i64>().ok().filter(|id| *id > 0).ok_or(InputError::Invalid {
                flag: "discord-approvals-channel",
                value: v.to_string(),
                reason: "a channel id such as 1234567890123456789",
            })
        })?;
        a.discord_approvals_channel = channel.parse().ok();
        a.discord_token = Some(discord);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::super::answers;
    use super::*;

    fn args() -> InitArgs {
        #[derive(Parser)]
        struct Cli {
            #[command(flatten)]
            init: InitArgs,
        }
        Cli::parse_from(["horme"]).init
    }

    #[test]
    fn answers_are_checked_and_asked_again() {
        let script = "Acme Supplies Pte Ltd\n\
                      sales at acme\n\
                      sales@acme.example\n\
                      \n\
                      imap.acme.example\n\
                      \n\
                      file:/run/secrets/imap\n\
                      \n\
                      \n\
                      \n\
                      lead@acme.example, telegram:@lena\n\
                      lead@acme.example, telegram:123456789\n\
                      123456:not-a-source\n\
                      file:/run/secrets/telegram\n\
                      -1001234567890\n\
                      \n\
                      \n";
        let mut input = script.as_bytes();
        let mut output = Vec::new();
        let mut a = args();
        ask(&mut a, &mut Prompt::new(&mut input, &mut output)).expect("answered");
        let shown = String::from_utf8(output).expect("utf-8");
        assert!(shown.contains("mail address \"sales at acme\""), "{shown}");
        assert!(shown.contains("telegram:@lena"), "{shown}");
        assert!(
            !shown.contains("not-a-source"),
            "a mistyped secret is not echoed: {shown}"
        );
        assert!(
            shown.contains("SMTP host for the replies [smtp.acme.example]"),
            "{shown}"
        );

        let answers = answers::Answers::from_args(&a).expect("valid");
        assert_eq!(answers.company_name, "Acme Supplies Pte Ltd");
        assert_eq!(answers.database_url.as_deref(), Some("postgres://127.0.0.1:5432/horme"));
        let mail = answers.mail.expect("mail");
        assert_eq!(
            (mail.imap_user.as_str(), mail.smtp_user.as_str()),
            ("sales@acme.example", "sales@acme.example")
        );
        assert_eq!(mail.smtp_host, "smtp.acme.example");
        assert!(matches!(mail.smtp_password, SecretSource::Env));
        assert_eq!(answers.approvers, ["lead@acme.example", "telegram:123456789"]);
        let telegram = answers.telegram.expect("telegram");
        assert_eq!(telegram.approvals_chat_id, Some(-1001234567890));
        assert!(answers.slack.is_none() && answers.discord.is_none());
    }

    #[test]
    fn the_end_of_the_input_stops_the_questions() {
        let mut input = "Acme\n".as_bytes();
        let mut output = Vec::new();
        let err = ask(&mut args(), &mut Prompt::new(&mut input, &mut output)).expect_err("no more answers");
        assert_eq!(err.kind(), io::ErrorKind::UnexpectedEof);
    }
}
