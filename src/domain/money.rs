//! Money: `rust_decimal` amounts with their currency. Never a float.

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

/// Rounds half away from zero to `dp` places: 0.005 → 0.01 (DESIGN §4 "round half up";
/// amounts here are never negative, so away from zero is up).
pub fn round_half_up(value: Decimal, dp: u32) -> Decimal {
    value.round_dp_with_strategy(dp, RoundingStrategy::MidpointAwayFromZero)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Money {
    #[serde(with = "rust_decimal::serde::str")]
    pub amount: Decimal,
    pub currency: [u8; 3],
}

impl Money {
    pub fn new(amount: Decimal, currency: &str) -> Option<Self> {
        let bytes = currency.as_bytes();
        if bytes.len() != 3 || !bytes.iter().all(u8::is_ascii_uppercase) {
            return None;
        }
        Some(Self {
            amount,
            currency: [bytes[0], bytes[1], bytes[2]],
        })
    }

    pub fn currency(&self) -> &str {
        std::str::from_utf8(&self.currency).unwrap_or("???")
    }

    /// `SGD 1,234.50`: two decimals, thousands separated, as printed on a quotation.
    pub fn display(&self) -> String {
        format!("{} {}", self.currency(), format_amount(self.amount))
    }
}

/// `1234.5` → `1,234.50`.
pub fn format_amount(amount: Decimal) -> String {
    let rounded = round_half_up(amount, 2);
    let s = format!("{rounded:.2}");
    let (sign, s) = s.strip_prefix('-').map_or(("", s.as_str()), |r| ("-", r));
    let (int, frac) = s.split_once('.').unwrap_or((s, "00"));
    let mut grouped = String::with_capacity(int.len() + int.len() / 3);
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("{sign}{grouped}.{frac}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).expect("decimal")
    }

    #[test]
    fn half_up_at_the_midpoint() {
        assert_eq!(round_half_up(d("0.005"), 2), d("0.01"));
        assert_eq!(round_half_up(d("0.0049"), 2), d("0.00"));
        assert_eq!(round_half_up(d("18.885"), 2), d("18.89"));
        assert_eq!(round_half_up(d("18.884999"), 2), d("18.88"));
        assert_eq!(round_half_up(d("2.5"), 0), d("3"));
    }

    #[test]
    fn formats_with_grouping() {
        assert_eq!(format_amount(d("1234.5")), "1,234.50");
        assert_eq!(format_amount(d("0")), "0.00");
        assert_eq!(format_amount(d("1000000")), "1,000,000.00");
        assert_eq!(format_amount(d("999.999")), "1,000.00");
        assert_eq!(format_amount(d("-12.3")), "-12.30");
    }

    #[test]
    fn currency_must_be_iso() {
        assert!(Money::new(d("1"), "SGD").is_some());
        assert!(Money::new(d("1"), "sgd").is_none());
        assert!(Money::new(d("1"), "SG").is_none());
        assert_eq!(Money::new(d("5"), "SGD").map(|m| m.display()), Some("SGD 5.00".into()));
    }
}
