//! Stock-keeping units: text, never numbers, because leading zeros are part of the code.

use serde::{Deserialize, Serialize};

use super::ParseError;

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Sku(String);

impl Sku {
    pub const MAX_LEN: usize = 64;

    /// Trims surrounding (also non-breaking) spaces; refuses empty codes, inner whitespace and
    /// control characters.
    pub fn parse(raw: &str) -> Result<Self, ParseError> {
        let s = raw.trim_matches(|c: char| c.is_whitespace() || c == '\u{a0}');
        if s.is_empty() {
            return Err(ParseError::new("SKU", raw, "is empty"));
        }
        if s.chars().count() > Self::MAX_LEN {
            return Err(ParseError::new("SKU", raw, "is longer than 64 characters"));
        }
        if s.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(ParseError::new("SKU", raw, "contains spaces or control characters"));
        }
        Ok(Self(s.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Sku {
    type Error = ParseError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<Sku> for String {
    fn from(value: Sku) -> Self {
        value.0
    }
}

impl std::fmt::Display for Sku {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_leading_zeros() {
        assert_eq!(Sku::parse("0425111206500").map(|s| s.0), Ok("0425111206500".into()));
    }

    #[test]
    fn trims_spaces_including_nbsp() {
        assert_eq!(Sku::parse(" \u{a0}010000008 ").map(|s| s.0), Ok("010000008".into()));
    }

    #[test]
    fn refuses_empty_and_inner_space() {
        assert!(Sku::parse("  ").is_err());
        assert!(Sku::parse("01 02").is_err());
        assert!(Sku::parse("a\u{7}b").is_err());
        assert!(Sku::parse(&"9".repeat(65)).is_err());
    }
}
