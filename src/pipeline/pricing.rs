//! Pricing exactly per DESIGN §4, with the customer layer on top.
//!
//! `d` = the largest `discount_pct` among tiers whose scope is the line's SKU, its category or
//! `*`, and whose `min_qty ≤ quantity` (0 if none);
//! `unit_price = round_half_up(list_price × (1 − d/100), 2)`; `line_total = unit_price ×
//! quantity` (rounded half up to cents, which changes nothing for whole quantities);
//! `subtotal = Σ line_total` over priced lines; `tax = round_half_up(subtotal × tax_rate, 2)`;
//! `total = subtotal + tax`.
//!
//! # Customer layer (issue 4), in this order
//!
//! 1. **Who**: the request's customer address (the document's, else the sender's) is looked
//!    up in `customers`: an exact `email` first, else the address's lowercase `domain`. No
//!    customer: the rule above, unchanged.
//! 2. **Contract price**: when `customer_prices` holds a price for that customer and SKU, it
//!    replaces the list price and is net: no tier and no customer discount apply on top
//!    (`discount_pct` is 0, `list_price` shows the contract price). A contract price also
//!    prices a product that has no list price (it is no longer price on request).
//! 3. **Otherwise** `d = max(tier discount, customer.discount_pct)`: the better of the two,
//!    never both stacked; then the §4 formula above.
//! 4. A product without a list price and without a contract price stays price on request,
//!    whatever the customer's discount.
//!
//! An approver's extra discount on a revision (`quotations::revision`) comes after all of
//! this, on every priced line, contract lines included.

use std::collections::HashMap;

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

/// What a known customer changes in pricing: a standing discount and contract prices.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CustomerTerms {
    /// The customer's standing discount in percent (best-of with the tiers, not stacked).
    pub discount_pct: Decimal,
    /// SKU → contract (net) price, in the quotation's currency.
    pub contract_prices: HashMap<String, Decimal>,
}

/// The list price and discount a line is priced with, per the customer layer above; None:
/// price on request. `tier_d` is the line's tier discount.
pub fn customer_basis(
    sku: &str,
    list_price: Option<Decimal>,
    tier_d: Decimal,
    customer: Option<&CustomerTerms>,
) -> Option<(Decimal, Decimal)> {
    let Some(c) = customer else {
        return list_price.map(|l| (l, tier_d));
    };
    if let Some(net) = c.contract_prices.get(sku) {
        return Some((*net, Decimal::ZERO));
    }
    list_price.map(|l| (l, tier_d.max(c.discount_pct)))
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

    fn terms(discount: &str, contracts: &[(&str, &str)]) -> CustomerTerms {
        CustomerTerms {
            discount_pct: d(discount),
            contract_prices: contracts.iter().map(|(s, p)| (s.to_string(), d(p))).collect(),
        }
    }

    #[test]
    fn customer_discount_is_best_of_not_stacked() {
        let c = terms("4", &[]);
        assert_eq!(
            customer_basis("x", Some(d("10")), d("6"), Some(&c)),
            Some((d("10"), d("6")))
        );
        assert_eq!(
            customer_basis("x", Some(d("10")), d("2"), Some(&c)),
            Some((d("10"), d("4")))
        );
        assert_eq!(
            customer_basis("x", Some(d("10")), d("2"), None),
            Some((d("10"), d("2")))
        );
    }

    #[test]
    fn contract_price_is_net_and_prices_what_had_no_price() {
        let c = terms("9", &[("x", "7.5")]);
        assert_eq!(
            customer_basis("x", Some(d("10")), d("12"), Some(&c)),
            Some((d("7.5"), d("0")))
        );
        assert_eq!(customer_basis("x", None, d("0"), Some(&c)), Some((d("7.5"), d("0"))));
        assert_eq!(customer_basis("y", None, d("0"), Some(&c)), None);
    }

    #[test]
    fn no_lines_no_money() {
        let t = totals([], d("0.09"));
        assert_eq!((t.subtotal, t.tax, t.total), (d("0"), d("0"), d("0")));
    }
}
