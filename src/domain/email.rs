//! Mail addresses, lower-cased for comparison.

use serde::{Deserialize, Serialize};

use super::ParseError;

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct EmailAddress(String);

impl EmailAddress {
    /// Accepts `local@domain.tld` (also inside `Name <…>`); lower-cases it.
    pub fn parse(raw: &str) -> Result<Self, ParseError> {
        let bad = |reason| ParseError::new("mail address", raw, reason);
        let s = raw.trim();
        let s = match (s.rfind('<'), s.rfind('>')) {
            (Some(a), Some(b)) if a < b => &s[a + 1..b],
            _ => s,
        };
        let s = s.trim().to_lowercase();
        let (local, domain) = s.rsplit_once('@').ok_or_else(|| bad("has no @"))?;
        if local.is_empty() || local.len() > 64 {
            return Err(bad("has an empty or overlong local part"));
        }
        if !domain.contains('.')
            || domain.starts_with('.')
            || domain.ends_with('.')
            || domain.contains("..")
            || !domain.chars().all(|c| c.is_alphanumeric() || c == '-' || c == '.')
        {
            return Err(bad("has an invalid domain"));
        }
        if local
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || c == '<' || c == '>')
        {
            return Err(bad("has an invalid local part"));
        }
        Ok(Self(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn domain(&self) -> &str {
        self.0.rsplit_once('@').map_or("", |(_, d)| d)
    }
}

impl TryFrom<String> for EmailAddress {
    type Error = ParseError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<EmailAddress> for String {
    fn from(value: EmailAddress) -> Self {
        value.0
    }
}

impl std::fmt::Display for EmailAddress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_bare_and_named() {
        let a = EmailAddress::parse("Farah Aziz <Farah.Aziz@SentosaMainten.com.sg>").expect("valid");
        assert_eq!(a.as_str(), "farah.aziz@sentosamainten.com.sg");
        assert_eq!(a.domain(), "sentosamainten.com.sg");
        assert!(EmailAddress::parse("sales@horme.example").is_ok());
    }

    #[test]
    fn refuses_invalid() {
        for bad in ["", "no-at-sign", "@x.com", "a@b", "a@.b.com", "a b@c.com", "a@b..com"] {
            assert!(EmailAddress::parse(bad).is_err(), "{bad}");
        }
    }
}
