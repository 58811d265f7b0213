//! Requested quantities: positive, bounded, at most three decimals.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::ParseError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "Decimal", into = "Decimal")]
pub struct Quantity(Decimal);

impl Quantity {
    /// Nobody orders a billion of anything from a hardware store: larger is a misread number.
    pub const MAX: Decimal = Decimal::from_parts(1_000_000_000, 0, 0, false, 0);

    pub fn new(value: Decimal) -> Result<Self, ParseError> {
        let shown = value.to_string();
        if value <= Decimal::ZERO {
            return Err(ParseError::new("quantity", &shown, "must be positive"));
        }
        if value > Self::MAX {
            return Err(ParseError::new("quantity", &shown, "is implausibly large"));
        }
        if value.normalize().scale() > 3 {
            return Err(ParseError::new("quantity", &shown, "has more than three decimals"));
        }
        Ok(Self(value.normalize()))
    }

    /// Parses "24", "1,000", "1 000", "2.5"; a comma followed by exactly three digits is a
    /// thousands separator, otherwise a decimal comma ("2,5").
    pub fn parse(raw: &str) -> Result<Self, ParseError> {
        let s: String = raw
            .trim()
            .chars()
            .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\''))
            .collect();
        if s.is_empty() {
            return Err(ParseError::new("quantity", raw, "is empty"));
        }
        let normalised = if let Some((int, frac)) = s.split_once(',') {
            if s.contains('.')
                || frac
                    .split(',')
                    .all(|g| g.len() == 3 && g.bytes().all(|b| b.is_ascii_digit()))
            {
                s.replace(',', "")
            } else if !frac.contains(',') {
                format!("{int}.{frac}")
            } else {
                return Err(ParseError::new("quantity", raw, "is not a number"));
            }
        } else {
            s
        };
        if !normalised.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
            return Err(ParseError::new("quantity", raw, "is not a number"));
        }
        let value: Decimal = normalised
            .parse()
            .map_err(|_| ParseError::new("quantity", raw, "is not a number"))?;
        Self::new(value)
    }

    pub fn value(self) -> Decimal {
        self.0
    }
}

impl TryFrom<Decimal> for Quantity {
    type Error = ParseError;
    fn try_from(value: Decimal) -> Result<Self, Self::Error> {
        Self::new(value)
    }
}

impl From<Quantity> for Decimal {
    fn from(value: Quantity) -> Self {
        value.0
    }
}

impl std::fmt::Display for Quantity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(s: &str) -> Option<String> {
        Quantity::parse(s).ok().map(|q| q.to_string())
    }

    #[test]
    fn parses_plain_and_grouped_numbers() {
        assert_eq!(q("24"), Some("24".into()));
        assert_eq!(q("1,000"), Some("1000".into()));
        assert_eq!(q("1 000"), Some("1000".into()));
        assert_eq!(q("12,500,000"), Some("12500000".into()));
        assert_eq!(q("2.50"), Some("2.5".into()));
        assert_eq!(q("2,5"), Some("2.5".into()));
    }

    #[test]
    fn refuses_nonsense() {
        assert_eq!(q("0"), None);
        assert_eq!(q("-3"), None);
        assert_eq!(q("abc"), None);
        assert_eq!(q(""), None);
        assert_eq!(q("1.2345"), None);
        assert_eq!(q("99999999999"), None);
    }
}
