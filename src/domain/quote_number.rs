//! Quotation numbers: `Q-2026-000123`, revisions `Q-2026-000123-R2`.

use serde::{Deserialize, Serialize};

use super::ParseError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct QuoteNumber {
    pub year: i32,
    pub sequence: i64,
    /// 1 for the original; 2 and up print as `-R2`…
    pub revision: i32,
}

impl QuoteNumber {
    pub fn new(year: i32, sequence: i64) -> Self {
        Self {
            year,
            sequence,
            revision: 1,
        }
    }

    pub fn with_revision(self, revision: i32) -> Self {
        Self { revision, ..self }
    }

    /// The number without its revision suffix.
    pub fn base(&self) -> String {
        format!("Q-{}-{:06}", self.year, self.sequence)
    }

    pub fn parse(raw: &str) -> Result<Self, ParseError> {
        let bad = |reason| ParseError::new("quotation number", raw, reason);
        let s = raw.trim().to_ascii_uppercase();
        let rest = s.strip_prefix("Q-").ok_or_else(|| bad("must start with Q-"))?;
        let mut parts = rest.split('-');
        let year = parts
            .next()
            .filter(|y| y.len() == 4)
            .and_then(|y| y.parse::<i32>().ok())
            .ok_or_else(|| bad("needs a four-digit year"))?;
        let sequence = parts
            .next()
            .filter(|n| n.len() >= 6 && n.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|n| n.parse::<i64>().ok())
            .filter(|n| *n > 0)
            .ok_or_else(|| bad("needs a six-digit sequence"))?;
        let revision = match parts.next() {
            None => 1,
            Some(r) => r
                .strip_prefix('R')
                .and_then(|n| n.parse::<i32>().ok())
                .filter(|n| *n >= 2)
                .ok_or_else(|| bad("has a revision that is not R2 or higher"))?,
        };
        if parts.next().is_some() {
            return Err(bad("has trailing parts"));
        }
        Ok(Self {
            year,
            sequence,
            revision,
        })
    }
}

impl std::fmt::Display for QuoteNumber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.revision > 1 {
            write!(f, "{}-R{}", self.base(), self.revision)
        } else {
            f.write_str(&self.base())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_and_parses() {
        let n = QuoteNumber::new(2026, 123);
        assert_eq!(n.to_string(), "Q-2026-000123");
        assert_eq!(n.with_revision(2).to_string(), "Q-2026-000123-R2");
        assert_eq!(QuoteNumber::parse("Q-2026-000123"), Ok(n));
        assert_eq!(QuoteNumber::parse("q-2026-000123-r3"), Ok(n.with_revision(3)));
        assert_eq!(QuoteNumber::new(2027, 1234567).to_string(), "Q-2027-1234567");
    }

    #[test]
    fn refuses_malformed() {
        for bad in [
            "2026-000123",
            "Q-26-000123",
            "Q-2026-12",
            "Q-2026-000123-R1",
            "Q-2026-000123-X",
            "Q-2026-000000",
        ] {
            assert!(QuoteNumber::parse(bad).is_err(), "{bad}");
        }
    }
}
