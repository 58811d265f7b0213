//! The parts of Discord's JSON we read (https://discord.com/developers/docs/resources/message,
//! …/interactions/receiving-and-responding, …/events/gateway). Ids ("snowflakes") arrive as
//! strings and are kept as `u64`.

use serde::{Deserialize, Deserializer, Serialize};

/// A snowflake: a string of digits in the JSON (a number is accepted too).
pub fn snowflake<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Id {
        S(String),
        N(u64),
    }
    match Id::deserialize(d)? {
        Id::S(s) => s.parse().map_err(serde::de::Error::custom),
        Id::N(n) => Ok(n),
    }
}

fn opt_snowflake<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    #[derive(Deserialize)]
    struct W(#[serde(deserialize_with = "snowflake")] u64);
    Ok(Option::<W>::deserialize(d)?.map(|w| w.0))
}

fn ser_id<S: serde::Serializer>(id: &u64, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&id.to_string())
}

fn ser_opt_id<S: serde::Serializer>(id: &Option<u64>, s: S) -> Result<S::Ok, S::Error> {
    match id {
        Some(id) => s.serialize_str(&id.to_string()),
        None => s.serialize_none(),
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct User {
    #[serde(deserialize_with = "snowflake", serialize_with = "ser_id")]
    pub id: u64,
    #[serde(default)]
    pub username: String,
    pub global_name: Option<String>,
    #[serde(default)]
    pub bot: bool,
}

impl User {
    /// What people see: the display name, else the user name.
    pub fn display_name(&self) -> String {
        self.global_name
            .clone()
            .filter(|n| !n.trim().is_empty())
            .unwrap_or_else(|| self.username.clone())
    }
}

/// A file attached to a message; `url` is where it is downloaded from (no auth needed).
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct MessageAttachment {
    #[serde(deserialize_with = "snowflake", serialize_with = "ser_id")]
    pub id: u64,
    pub filename: String,
    pub content_type: Option<String>,
    #[serde(default)]
    pub size: u64,
    pub url: String,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Message {
    #[serde(deserialize_with = "snowflake", serialize_with = "ser_id")]
    pub id: u64,
    #[serde(deserialize_with = "snowflake", serialize_with = "ser_id")]
    pub channel_id: u64,
    /// None in a direct message.
    #[serde(
        default,
        deserialize_with = "opt_snowflake",
        serialize_with = "ser_opt_id",
        skip_serializing_if = "Option::is_none"
    )]
    pub guild_id: Option<u64>,
    pub author: User,
    #[serde(default)]
    pub content: String,
    #[serde(default)]
    pub attachments: Vec<MessageAttachment>,
    /// 0: a normal message, 19: a reply; system messages have other types.
    #[serde(rename = "type", default)]
    pub kind: u8,
}

impl Message {
    /// A person's message with a file or some text.
    pub fn is_request(&self) -> bool {
        !self.author.bot
            && matches!(self.kind, 0 | 19)
            && (!self.attachments.is_empty() || !self.content.trim().is_empty())
    }
}

/// A channel (a thread is one) as REST returns it.
#[derive(Debug, Clone, Deserialize)]
pub struct Channel {
    #[serde(deserialize_with = "snowflake")]
    pub id: u64,
    /// None for a direct message channel.
    #[serde(default, deserialize_with = "opt_snowflake")]
    pub guild_id: Option<u64>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Member {
    pub user: Option<User>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct ComponentData {
    #[serde(default)]
    pub custom_id: String,
    #[serde(default)]
    pub component_type: u8,
}

/// The message a pressed button is under (the part we read).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct ComponentMessage {
    #[serde(default)]
    pub content: String,
}

/// An interaction: for us, a button pressed (type 3, a message component).
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Interaction {
    #[serde(deserialize_with = "snowflake", serialize_with = "ser_id")]
    pub id: u64,
    #[serde(rename = "type")]
    pub kind: u8,
    pub token: String,
    pub data: Option<ComponentData>,
    /// In a guild: the member who pressed (with its user) …
    pub member: Option<Member>,
    /// … in a direct message: the user.
    pub user: Option<User>,
    #[serde(
        default,
        deserialize_with = "opt_snowflake",
        serialize_with = "ser_opt_id",
        skip_serializing_if = "Option::is_none"
    )]
    pub channel_id: Option<u64>,
    /// The message the pressed button is under.
    pub message: Option<ComponentMessage>,
}

impl Interaction {
    /// Who pressed: the platform's user, never a display name.
    pub fn user(&self) -> Option<&User> {
        self.member
            .as_ref()
            .and_then(|m| m.user.as_ref())
            .or(self.user.as_ref())
    }
}

/// `GET /gateway/bot`.
#[derive(Debug, Clone, Deserialize)]
pub struct GatewayBot {
    pub url: String,
}

/// An error answer: `{"code": 10003, "message": "Unknown Channel"}`, or a 429's
/// `{"message": …, "retry_after": 0.5, "global": false}`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ErrorBody {
    #[serde(default)]
    pub code: u32,
    #[serde(default)]
    pub message: String,
    pub retry_after: Option<f64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snowflakes_are_strings_in_the_json() {
        let m: Message = serde_json::from_value(serde_json::json!({
            "id": "1200000000000000001", "channel_id": "1100000000000000001",
            "author": {"id": "900000000000000001", "username": "marcus", "global_name": "Marcus"},
            "content": "10 gloves", "attachments": [], "type": 0
        }))
        .expect("message");
        assert_eq!(m.id, 1_200_000_000_000_000_001);
        assert_eq!(m.guild_id, None);
        assert!(m.is_request());
        let back = serde_json::to_value(&m).expect("json");
        assert_eq!(back["id"], "1200000000000000001");
    }

    #[test]
    fn the_presser_of_a_guild_button_is_the_member_user() {
        let i: Interaction = serde_json::from_value(serde_json::json!({
            "id": "5", "type": 3, "token": "t", "data": {"custom_id": "approve:Q-1", "component_type": 2},
            "member": {"user": {"id": "77", "username": "lead"}}, "channel_id": "9"
        }))
        .expect("interaction");
        assert_eq!(i.user().map(|u| u.id), Some(77));
    }
}
