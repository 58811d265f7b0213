//! The approval buttons every chat channel puts under a draft: `approve:<number>`,
//! `reject:<number>` or `change:<number>` as the button's data (Telegram's callback data,
//! Slack's action value, Discord's custom id). Change opens an edit of the draft
//! (`quotations::pending_edits`).

use channels::ReplyButton;

/// What a button asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    Approve(String),
    Reject(String),
    Change(String),
}

/// Approve / Reject / Change for the draft `number`.
pub fn approval_buttons(number: &str) -> Vec<ReplyButton> {
    [
        ("Approve", Decision::Approve(number.to_string())),
        ("Reject", Decision::Reject(number.to_string())),
        ("Change", Decision::Change(number.to_string())),
    ]
    .into_iter()
    .map(|(label, d)| ReplyButton {
        label: label.into(),
        data: d.data(),
    })
    .collect()
}

impl Decision {
    pub fn parse(data: &str) -> Option<Self> {
        let (verb, number) = data.split_once(':')?;
        let number = number.trim();
        if number.is_empty() {
            return None;
        }
        match verb {
            "approve" => Some(Self::Approve(number.to_string())),
            "reject" => Some(Self::Reject(number.to_string())),
            "change" => Some(Self::Change(number.to_string())),
            _ => None,
        }
    }

    /// The button's callback data (at most 64 bytes: a quotation number fits).
    pub fn data(&self) -> String {
        match self {
            Self::Approve(n) => format!("approve:{n}"),
            Self::Reject(n) => format!("reject:{n}"),
            Self::Change(n) => format!("change:{n}"),
        }
    }

    /// The quotation the button is for.
    pub fn number(&self) -> &str {
        match self {
            Self::Approve(n) | Self::Reject(n) | Self::Change(n) => n,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn button_data_round_trips() {
        for d in [
            Decision::Approve("Q-2026-000123".into()),
            Decision::Reject("Q-2026-000123-R2".into()),
            Decision::Change("Q-2026-000123-R12".into()),
        ] {
            assert!(d.data().len() <= 64);
            assert_eq!(Decision::parse(&d.data()), Some(d));
        }
        assert_eq!(Decision::parse("approve:"), None);
        assert_eq!(Decision::parse("delete:Q-1"), None);
    }
}
