//! Bot commands in a chat: `/help` (or `/start`) says what the bot does, `/status Q-…` tells
//! where a quotation stands. A quotation's status is shown in the chat its request came from,
//! and to approvers anywhere; other chats are told it is not theirs to see.

use channels::telegram::{self, Message};

use crate::startup::App;

/// A command the bot answers instead of taking the message as a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    Help,
    /// `/status` with the quotation number (None: none given).
    Status(Option<String>),
}

/// The command in a message's text: `/help`, `/start`, `/status Q-2026-000123`, also with
/// the bot's name (`/status@horme_bot …`). Anything else is no command.
pub fn parse(text: &str) -> Option<Command> {
    let mut words = text.split_whitespace();
    let first = words.next()?.strip_prefix('/')?;
    let name = first.split('@').next().unwrap_or(first).to_ascii_lowercase();
    match name.as_str() {
        "help" | "start" => Some(Command::Help),
        "status" => Some(Command::Status(words.next().map(|n| n.trim().to_ascii_uppercase()))),
        _ => None,
    }
}

/// What `/status NUMBER` answers: a template and its placeholders.
pub async fn status(
    app: &App,
    m: &Message,
    number: Option<&str>,
) -> Result<(&'static str, Vec<(&'static str, String)>), sqlx::Error> {
    let Some(number) = number.filter(|n| !n.is_empty()) else {
        return Ok(("status_usage.txt", vec![]));
    };
    let row = sqlx::query!(
        r#"select q.status, q.total, q.currency, q.valid_until,
                  (im.channel = 'telegram' and im.thread->>'chat_id' = $2) as "same_chat!"
           from quotations q
           left join rfps r on r.id = q.rfp_id
           left join inbound_messages im on im.id = r.inbound_message_id
           where q.number = $1"#,
        number,
        m.chat.id.to_string()
    )
    .fetch_optional(&app.pool)
    .await?;
    let approver = match &m.from {
        Some(u) => {
            let mut conn = app.pool.acquire().await?;
            crate::quotations::approval::is_approver(&mut conn, &app.settings.approval, &telegram::identity(u)).await?
        }
        None => false,
    };
    let vars = |extra: Vec<(&'static str, String)>| {
        let mut v = vec![("number", number.to_string())];
        v.extend(extra);
        v
    };
    Ok(match row {
        // the same answer whether it does not exist or is another chat's: numbers are sequential
        None => ("status_unknown.txt", vars(vec![])),
        Some(r) if !(r.same_chat || approver) => ("status_unknown.txt", vars(vec![])),
        Some(r) => (
            "status.txt",
            vars(vec![
                ("status", r.status.replace('_', " ")),
                ("currency", r.currency),
                ("total", crate::domain::format_amount(r.total)),
                ("valid_until", r.valid_until.format("%-d %B %Y").to_string()),
            ]),
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_are_read_with_or_without_the_bots_name() {
        assert_eq!(parse("/help"), Some(Command::Help));
        assert_eq!(parse("/start"), Some(Command::Help));
        assert_eq!(parse("/HELP@horme_bot"), Some(Command::Help));
        assert_eq!(
            parse("/status q-2026-000123"),
            Some(Command::Status(Some("Q-2026-000123".into())))
        );
        assert_eq!(parse("/status@horme_bot"), Some(Command::Status(None)));
        assert_eq!(parse("please quote 20 gloves"), None);
        assert_eq!(parse("/unknown thing"), None);
        assert_eq!(parse(""), None);
    }
}
