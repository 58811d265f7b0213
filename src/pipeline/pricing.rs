//! Pricing exactly per DESIGN §4.
//!
//! `d` = the largest `discount_pct` among tiers whose scope is the line's SKU, its category or
//! `*`, and whose `min_qty ≤ quantity` (0 if none);
//! `unit_price = round_half_up(list_price × (1 − d/100), 2)`; `line_total = unit_price ×
//! quantity` (rounded half up to cents, which changes nothing for whole quantities);
//! `subtotal = Σ line_total` over priced lines; `tax = round_half_up(subtotal × tax_rate, 2)`;
//! `total = subtotal + tax`.

use rust_decimal::Decimal;

use crate::catalog::tiers::Tier;
use crate::domain::round_half_up;

/// The tier discount for a line.
pub fn tier_discount(sku: &str, category: Option<&str>, quantity: Decimal, tiers: &[Tier]) -> Decimal {
    tiers
        .iter()
        .filter(|t| t.scope == "*" || t.scope == sku || Some(t.scope.as_str()) == category)
        .filter(|t| t.min_qty <= quantity)
        .map(|t| t.discount_pct)
        .max()
        .unwrap_or(Decimal::ZERO)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LinePrice {
    pub list_price: Decimal,
    pub discount_pct: Decimal,
    pub unit_price: Decimal,
    pub line_total: Decimal,
}

pub fn price_line(list_price: Decimal, discount_pct: Decimal, quantity: Decimal) -> LinePrice {
    let unit_price = round_half_up(list_price * (Decimal::ONE - discount_pct / Decimal::ONE_HUNDRED), 2);
    LinePrice {
        list_price,
        discount_pct,
        unit_price,
        line_total: round_half_up(unit_price * quantity, 2),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Totals {
    pub subtotal: Decimal,
    pub tax_rate: Decimal,
    pub tax: Decimal,
    pub total: Decimal,
}

pub fn totals(line_totals: impl IntoIterator<Item = Decimal>, tax_rate: Decimal) -> Totals {
    let subtotal: Decimal = line_totals.into_iter().sum();
    let tax = round_half_up(subtotal * tax_rate, 2);
    Totals {
        subtotal,
        tax_rate,
        tax,
        total: subtotal + tax,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).expect("decimal")
    }

    fn tier(scope: &str, min: &str, pct: &str) -> Tier {
        Tier {
            scope: scope.into(),
            min_qty: d(min),
            discount_pct: d(pct),
        }
    }

    fn corpus_tiers() -> Vec<Tier> {
        vec![
            tier("*", "10", "2"),
            tier("*", "50", "5"),
            tier("*", "200", "8"),
            tier("Abrasives", "100", "12"),
            tier("Abrasives", "500", "18"),
            tier("Chemicals, Adhesives & Lubricants", "24", "6"),
            tier("0100000079", "5", "15"),
        ]
    }

    #[test]
    fn best_tier_by_scope() {
        let t = corpus_tiers();
        assert_eq!(tier_discount("x", Some("Abrasives"), d("9"), &t), d("0"));
        assert_eq!(tier_discount("x", Some("Abrasives"), d("10"), &t), d("2"));
        assert_eq!(tier_discount("x", Some("Abrasives"), d("100"), &t), d("12"));
        assert_eq!(tier_discount("x", Some("Abrasives"), d("250"), &t), d("12"));
        assert_eq!(tier_discount("x", Some("Castors"), d("250"), &t), d("8"));
        assert_eq!(
            tier_discount("x", Some("Chemicals, Adhesives & Lubricants"), d("24"), &t),
            d("6")
        );
        // A SKU-scoped tier beats the general ones when larger.
        assert_eq!(tier_discount("0100000079", Some("Abrasives"), d("5"), &t), d("15"));
        assert_eq!(tier_discount("x", None, d("1"), &[]), d("0"));
    }

    #[test]
    fn the_example_of_the_design() {
        // list 20.0917, 6 % off, 24 pcs → 18.89 each, 453.36; GST 9 % → 40.80; 494.16.
        let p = price_line(d("20.0917"), d("6"), d("24"));
        assert_eq!(p.unit_price, d("18.89"));
        assert_eq!(p.line_total, d("453.36"));
        let t = totals([p.line_total], d("0.09"));
        assert_eq!((t.subtotal, t.tax, t.total), (d("453.36"), d("40.80"), d("494.16")));
    }

    #[test]
    fn half_up_at_half_a_cent() {
        // 0.5556 × 0.91 = 0.505596 → 0.51; 10.005 → 10.01 (not banker's 10.00).
        assert_eq!(price_line(d("0.5556"), d("9"), d("1")).unit_price, d("0.51"));
        assert_eq!(price_line(d("10.005"), d("0"), d("1")).unit_price, d("10.01"));
        assert_eq!(price_line(d("10.0049"), d("0"), d("1")).unit_price, d("10.00"));
        assert_eq!(totals([d("0.50")], d("0.01")).tax, d("0.01"));
    }

    #[test]
    fn no_lines_no_money() {
        let t = totals([], d("0.09"));
        assert_eq!((t.subtotal, t.tax, t.total), (d("0"), d("0"), d("0")));
    }
}
