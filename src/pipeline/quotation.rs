//! The quotation as data: what `horme quote --json` prints (DESIGN §3), what the API returns
//! and what the PDF shows. Built from requirements, matches and pricing by one function.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::customer::CustomerInfo;
use super::matching::{LineMatch, MatchStatus, Scored};
pub use super::pricing::PricingContext;
use super::pricing::{self, Totals};
use super::requirements::Requirement;
use super::sources::DocumentOutcome;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Quotation {
    /// The quotation number (`Q-2026-000123`), once one was taken.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub number: Option<String>,
    pub source: String,
    pub customer: CustomerInfo,
    pub lines: Vec<QuoteLine>,
    #[serde(with = "money")]
    pub subtotal: Decimal,
    #[serde(with = "rust_decimal::serde::str")]
    pub tax_rate: Decimal,
    #[serde(with = "money")]
    pub tax: Decimal,
    #[serde(with = "money")]
    pub total: Decimal,
    pub currency: String,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub date: Option<NaiveDate>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub valid_until: Option<NaiveDate>,
    /// Every attachment of the request: read, or skipped with the reason.
    #[serde(default)]
    pub documents: Vec<DocumentOutcome>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuoteLine {
    pub line: u32,
    pub requested: Requirement,
    #[serde(rename = "match")]
    pub matched: Option<ProductRef>,
    pub alternatives: Vec<ProductRef>,
    pub status: MatchStatus,
    #[serde(with = "rust_decimal::serde::str_option")]
    pub list_price: Option<Decimal>,
    #[serde(with = "rust_decimal::serde::str_option")]
    pub discount_pct: Option<Decimal>,
    #[serde(with = "rust_decimal::serde::str_option")]
    pub unit_price: Option<Decimal>,
    #[serde(with = "rust_decimal::serde::str_option")]
    pub line_total: Option<Decimal>,
    pub lead_time_days: Option<i32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProductRef {
    pub sku: String,
    pub name: String,
    pub confidence: f64,
}

impl ProductRef {
    fn from_scored(s: &Scored) -> Self {
        Self {
            sku: s.product.sku.clone(),
            name: s.product.name.clone(),
            confidence: (s.confidence * 1000.0).round() / 1000.0,
        }
    }
}

/// Money as a decimal string with exactly two places ("0.00", "40.80").
mod money {
    use rust_decimal::Decimal;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(v: &Decimal, s: S) -> Result<S::Ok, S::Error> {
        let mut v = *v;
        v.rescale(2);
        s.serialize_str(&v.to_string())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Decimal, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// Prices matched lines and totals the quotation. Only `matched` lines carry prices; each
/// line is priced by [`pricing::price_quote_line`] with the product it was matched to.
pub fn build(
    source: &str,
    customer: CustomerInfo,
    lines: Vec<(Requirement, LineMatch)>,
    ctx: &PricingContext<'_>,
) -> Quotation {
    let mut out = Vec::with_capacity(lines.len());
    for (i, (req, m)) in lines.into_iter().enumerate() {
        let mut line = QuoteLine {
            line: i as u32 + 1,
            matched: m.best.as_ref().map(ProductRef::from_scored),
            alternatives: m.alternatives.iter().map(ProductRef::from_scored).collect(),
            status: m.status,
            list_price: None,
            discount_pct: None,
            unit_price: None,
            line_total: None,
            lead_time_days: None,
            requested: req,
        };
        pricing::price_quote_line(&mut line, m.best.as_ref().map(|b| &b.product), ctx);
        out.push(line);
    }
    let mut q = Quotation {
        number: None,
        source: source.to_string(),
        customer,
        lines: out,
        subtotal: Decimal::ZERO,
        tax_rate: ctx.tax_rate,
        tax: Decimal::ZERO,
        total: Decimal::ZERO,
        currency: ctx.currency.to_string(),
        date: None,
        valid_until: None,
        documents: Vec::new(),
    };
    q.total_up();
    q
}

impl Quotation {
    /// Subtotal, tax and total from the priced lines (DESIGN §4).
    pub fn total_up(&mut self) {
        let Totals {
            subtotal, tax, total, ..
        } = pricing::totals(self.lines.iter().filter_map(|l| l.line_total), self.tax_rate);
        self.subtotal = subtotal;
        self.tax = tax;
        self.total = total;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Product;
    use crate::catalog::tiers::Tier;

    fn req(q: i64) -> Requirement {
        Requirement {
            description: "thing".into(),
            quantity: Decimal::from(q),
            unit: "pcs".into(),
        }
    }

    fn matched(status: MatchStatus, price: Option<Decimal>) -> LineMatch {
        LineMatch {
            status,
            best: Some(Scored {
                product: Product {
                    sku: "0425111206500".into(),
                    name: "WEICON".into(),
                    brand: None,
                    category: Some("Chemicals, Adhesives & Lubricants".into()),
                    unit: "pc".into(),
                    price,
                    currency: "SGD".into(),
                    stock: None,
                    lead_time_days: Some(7),
                    tokens: vec![],
                    active: true,
                },
                confidence: 0.93,
            }),
            alternatives: vec![],
        }
    }

    #[test]
    fn json_contract_of_the_design() {
        let tiers = [Tier {
            scope: "Chemicals, Adhesives & Lubricants".into(),
            min_qty: Decimal::from(24),
            discount_pct: Decimal::new(60000, 4),
        }];
        let ctx = PricingContext {
            tiers: &tiers,
            tax_rate: Decimal::new(9, 2),
            currency: "SGD",
            default_lead_time_days: 14,
            customer: None,
            extra_discount_pct: Decimal::ZERO,
        };
        let q = build(
            "rfp-001.pdf",
            CustomerInfo::default(),
            vec![
                (req(24), matched(MatchStatus::Matched, Some(Decimal::new(200917, 4)))),
                (req(3), matched(MatchStatus::PriceOnRequest, None)),
                (
                    req(1),
                    LineMatch {
                        status: MatchStatus::Unmatched,
                        best: None,
                        alternatives: vec![],
                    },
                ),
            ],
            &ctx,
        );
        let j = serde_json::to_value(&q).expect("json");
        let l = &j["lines"][0];
        assert_eq!(l["requested"]["quantity"], serde_json::json!(24));
        assert_eq!(l["match"]["sku"], "0425111206500");
        assert_eq!(l["list_price"], "20.0917");
        assert_eq!(l["discount_pct"], "6");
        assert_eq!(l["unit_price"], "18.89");
        assert_eq!(l["line_total"], "453.36");
        assert_eq!(l["lead_time_days"], 7);
        assert_eq!(j["lines"][1]["status"], "price_on_request");
        assert!(j["lines"][1]["unit_price"].is_null());
        assert!(j["lines"][2]["match"].is_null());
        assert_eq!(j["subtotal"], "453.36");
        assert_eq!(j["tax_rate"], "0.09");
        assert_eq!(j["tax"], "40.80");
        assert_eq!(j["total"], "494.16");
        assert_eq!(j["currency"], "SGD");
    }

    #[test]
    fn zero_money_prints_with_cents() {
        let ctx = PricingContext {
            tiers: &[],
            tax_rate: Decimal::new(9, 2),
            currency: "SGD",
            default_lead_time_days: 14,
            customer: None,
            extra_discount_pct: Decimal::ZERO,
        };
        let q = build("x", CustomerInfo::default(), vec![], &ctx);
        let j = serde_json::to_value(&q).expect("json");
        assert_eq!(j["total"], "0.00");
    }
}
