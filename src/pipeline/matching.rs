//! Deciding what a requested line is from its scored candidates: `matched`,
//! `needs_review`, `unmatched` or `price_on_request` (the score itself is
//! `catalog::search::scoring`). A near-tie between different products means the request does not
//! say which one: a person must choose.

use serde::{Deserialize, Serialize};

use crate::catalog::Product;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, sqlx::Type)]
#[serde(rename_all = "snake_case")]
pub enum MatchStatus {
    Matched,
    NeedsReview,
    Unmatched,
    PriceOnRequest,
}

impl MatchStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Matched => "matched",
            Self::NeedsReview => "needs_review",
            Self::Unmatched => "unmatched",
            Self::PriceOnRequest => "price_on_request",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "matched" => Self::Matched,
            "needs_review" => Self::NeedsReview,
            "unmatched" => Self::Unmatched,
            "price_on_request" => Self::PriceOnRequest,
            _ => return None,
        })
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Scored {
    pub product: Product,
    pub confidence: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct LineMatch {
    pub status: MatchStatus,
    pub best: Option<Scored>,
    pub alternatives: Vec<Scored>,
}

#[derive(Debug, Clone, Copy)]
pub struct MatchPolicy {
    pub review_threshold: f64,
    pub unmatched_threshold: f64,
    pub max_alternatives: usize,
}

/// Two different products closer than this are a tie the request cannot break.
const TIE_MARGIN: f64 = 0.02;
/// Alternatives below this score are not worth showing.
const ALTERNATIVE_FLOOR: f64 = 0.3;

/// The line's status from its scored candidates (best first): below the unmatched threshold
/// nothing is offered; below the review threshold, or with a near-tie between different
/// products, a person chooses; a confident match without a price is price on request.
pub fn decide(scored: Vec<Scored>, policy: &MatchPolicy) -> LineMatch {
    let Some(best) = scored.first().cloned() else {
        return LineMatch {
            status: MatchStatus::Unmatched,
            best: None,
            alternatives: Vec::new(),
        };
    };
    if best.confidence < policy.unmatched_threshold {
        return LineMatch {
            status: MatchStatus::Unmatched,
            best: None,
            alternatives: Vec::new(),
        };
    }
    let tie = scored
        .iter()
        .skip(1)
        .any(|s| s.product.tokens != best.product.tokens && best.confidence - s.confidence < TIE_MARGIN);
    let alternatives: Vec<Scored> = scored
        .into_iter()
        .skip(1)
        .filter(|s| s.confidence >= ALTERNATIVE_FLOOR)
        .take(policy.max_alternatives)
        .collect();
    let status = if best.confidence < policy.review_threshold || tie {
        MatchStatus::NeedsReview
    } else if best.product.price.is_none() {
        MatchStatus::PriceOnRequest
    } else {
        MatchStatus::Matched
    };
    LineMatch {
        status,
        best: Some(best),
        alternatives,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::search::normalize::tokens;
    use crate::catalog::search::scoring::score;
    use crate::catalog::search::vocabulary::Vocabulary;
    use std::collections::HashMap;
    use std::collections::HashSet;

    /// Scores every candidate and decides the line's status.
    fn classify(
        query: &[String],
        candidates: Vec<Product>,
        expansions: &HashMap<String, Vec<String>>,
        vocab: &Vocabulary,
        policy: &MatchPolicy,
    ) -> LineMatch {
        let mut scored: Vec<Scored> = candidates
            .into_iter()
            .map(|product| {
                let confidence = score(query, &product.tokens, vocab, expansions);
                Scored { product, confidence }
            })
            .collect();
        scored.sort_by(|a, b| {
            b.confidence
                .total_cmp(&a.confidence)
                .then(a.product.sku.cmp(&b.product.sku))
        });
        decide(scored, policy)
    }

    fn vocab(names: &[&str]) -> Vocabulary {
        let mut df: HashMap<String, u32> = HashMap::new();
        for n in names {
            for t in tokens(n).into_iter().collect::<HashSet<_>>() {
                *df.entry(t).or_default() += 1;
            }
        }
        Vocabulary::new(df, names.len() as u32)
    }

    fn product(sku: &str, name: &str, price: Option<i64>) -> Product {
        Product {
            sku: sku.into(),
            name: name.into(),
            brand: None,
            category: None,
            unit: "pc".into(),
            price: price.map(|p| rust_decimal::Decimal::new(p, 2)),
            currency: "SGD".into(),
            stock: None,
            lead_time_days: None,
            tokens: tokens(name),
            active: true,
        }
    }

    const POLICY: MatchPolicy = MatchPolicy {
        review_threshold: 0.6,
        unmatched_threshold: 0.35,
        max_alternatives: 3,
    };

    #[test]
    fn sizes_decide_between_variants() {
        let names = ["FLAP DISC 100MM #120", "FLAP DISC 125MM #120", "FLAP DISC 100MM #240"];
        let v = vocab(&names);
        let cands: Vec<Product> = names
            .iter()
            .enumerate()
            .map(|(i, n)| product(&i.to_string(), n, Some(100)))
            .collect();
        let m = classify(
            &tokens("flap disc 4 inch 100 mm grit 240"),
            cands,
            &HashMap::new(),
            &v,
            &POLICY,
        );
        assert_eq!(m.best.map(|b| b.product.name), Some("FLAP DISC 100MM #240".to_string()));
    }

    #[test]
    fn price_on_request_and_unmatched() {
        let names = ["MAKITA VACUUM CLEANER DVC151LZ", "BOSCH DRILL GSB 13"];
        let v = vocab(&names);
        let m = classify(
            &tokens("Makita vacuum cleaner DVC151LZ"),
            vec![product("1", names[0], None)],
            &HashMap::new(),
            &v,
            &POLICY,
        );
        assert_eq!(m.status, MatchStatus::PriceOnRequest);
        let m = classify(
            &tokens("Laptop 14 inch 16GB RAM"),
            vec![product("2", names[1], Some(5))],
            &HashMap::new(),
            &v,
            &POLICY,
        );
        assert_eq!(m.status, MatchStatus::Unmatched);
        assert!(m.best.is_none());
    }

    #[test]
    fn a_generic_request_needs_review() {
        let names = ["NITRILE GLOVES BLUE", "NITRILE GLOVES BLACK", "COTTON GLOVES"];
        let v = vocab(&names);
        let cands = names
            .iter()
            .enumerate()
            .map(|(i, n)| product(&i.to_string(), n, Some(100)))
            .collect();
        let m = classify(&tokens("Nitrile gloves"), cands, &HashMap::new(), &v, &POLICY);
        assert_eq!(m.status, MatchStatus::NeedsReview);
        assert!(!m.alternatives.is_empty());
    }
}
