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
//! 5. **Last**, an approver's extra discount `e` on a revision (`quotations::revision`), on
//!    every priced line, contract lines included: the line's discount `d` becomes
//!    `100 − (100 − d)(100 − e)/100`, i.e. `unit_price = round_half_up(list × (1 − d/100) ×
//!    (1 − e/100), 2)`.
//!
//! [`price_quote_line`] is the one place where a quotation line gets its price and lead time:
//! the pipeline's draft (`quotation::build`, for `horme quote`, `horme bench` and the jobs) and
//! an approver's revision both call it with the product the line ends up with.

use std::collections::HashMap;

use rust_decimal::Decimal;

use super::matching::MatchStatus;
use super::quotation::QuoteLine;
use crate::catalog::Product;
use crate::catalog::tiers::Tier;
use crate::domain::round_half_up;

/// What pricing needs to know besides the lines.
#[derive(Debug, Clone)]
pub struct PricingContext<'a> {
    pub tiers: &'a [Tier],
    pub tax_rate: Decimal,
    pub currency: &'a str,
    /// Lead time quoted when the product has none.
    pub default_lead_time_days: i32,
    /// The known customer's discount and contract prices (see the module documentation).
    pub customer: Option<&'a CustomerTerms>,
    /// An approver's extra discount in percent (0 for the pipeline's draft), applied last.
    pub extra_discount_pct: Decimal,
}

/// Prices one line from `product`, the product it is quoted with (`None`: nothing matched):
/// lead time from its stock and lead time, then the customer layer and tiers, the extra
/// discount last. Only lines that are `matched` or `price_on_request` are priced; a line that
/// gets a price is `matched`, one that cannot is `price_on_request`.
pub fn price_quote_line(line: &mut QuoteLine, product: Option<&Product>, ctx: &PricingContext<'_>) {
    line.list_price = None;
    line.discount_pct = None;
    line.unit_price = None;
    line.line_total = None;
    line.lead_time_days = None;
    let Some(p) = product else {
        return;
    };
    let quantity = line.requested.quantity;
    line.lead_time_days = Some(lead_time(
        p.stock,
        p.lead_time_days,
        quantity,
        ctx.default_lead_time_days,
    ));
    if !matches!(line.status, MatchStatus::Matched | MatchStatus::PriceOnRequest) {
        return;
    }
    let tier_d = tier_discount(&p.sku, p.category.as_deref(), quantity, ctx.tiers);
    let Some((list, d)) = customer_basis(&p.sku, p.price, tier_d, ctx.customer) else {
        line.status = MatchStatus::PriceOnRequest;
        return;
    };
    let d = combined_discount(d, ctx.extra_discount_pct);
    let priced = price_line(list, d, quantity);
    line.status = MatchStatus::Matched;
    line.list_price = Some(list);
    line.discount_pct = Some(d);
    line.unit_price = Some(priced.unit_price);
    line.line_total = Some(priced.line_total);
}

/// The combined discount of a discount `d` and an extra discount `e` (percent), normalised.
pub fn combined_discount(d: Decimal, e: Decimal) -> Decimal {
    let hundred = Decimal::ONE_HUNDRED;
    (hundred - (hundred - d) * (hundred - e) / hundred).normalize()
}

/// Delivery estimate: from stock when enough is on hand, else the product's lead time, else
/// the configured default.
pub fn lead_time(stock: Option<i32>, lead: Option<i32>, quantity: Decimal, default: i32) -> i32 {
    match stock {
        Some(s) if Decimal::from(s) >= quantity => 1,
        _ => lead.unwrap_or(default),
    }
}

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

/// Unit price and line total, in cents with exactly two places (as stored and printed).
pub fn price_line(list_price: Decimal, discount_pct: Decimal, quantity: Decimal) -> LinePrice {
    let cents = |v: Decimal| {
        let mut v = round_half_up(v, 2);
        v.rescale(2);
        v
    };
    let unit_price = cents(list_price * (Decimal::ONE - discount_pct / Decimal::ONE_HUNDRED));
    LinePrice {
        list_price,
        discount_pct,
        unit_price,
        line_total: cents(unit_price * quantity),
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
    fn discounts_combine_multiplicatively() {
        assert_eq!(combined_discount(d("0"), d("5")), d("5"));
        assert_eq!(combined_discount(d("6"), d("0")), d("6"));
        // 6 % then 5 %: 1 − 0.94 × 0.95 = 10.7 %
        assert_eq!(combined_discount(d("6"), d("5")), d("10.7"));
    }

    #[test]
    fn no_lines_no_money() {
        let t = totals([], d("0.09"));
        assert_eq!((t.subtotal, t.tax, t.total), (d("0"), d("0"), d("0")));
    }
}
