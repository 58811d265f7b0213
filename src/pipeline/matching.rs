//! Deciding what a requested line is from its ranked candidates: `matched`,
//! `needs_review`, `unmatched` or `price_on_request`. Two numbers per candidate: the
//! similarity score (`catalog::search::scoring`), which says whether the catalog has anything
//! like the request at all, and the calibrated confidence (`catalog::search::calibration`),
//! the probability that the product is the one asked for, which says whether it can be quoted
//! without a person. A near-tie between different products means the request does not say
//! which one: a person must choose, whatever the confidence.

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

/// A ranked product as the search hands it to `decide`.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    pub product: Product,
    /// The scorer's similarity in 0..=1.
    pub score: f64,
    /// Score minus the best score of a product with another name.
    pub margin: f64,
    /// The calibrated probability that this is the product asked for.
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
    /// Below this confidence a person reviews the line.
    pub review_threshold: f64,
    /// Below this similarity score nothing is offered.
    pub unmatched_threshold: f64,
    pub max_alternatives: usize,
}

/// Two different products whose scores are closer than this are a tie the request cannot
/// break.
pub const TIE_MARGIN: f64 = 0.02;
/// Alternatives below this score are not worth showing.
const ALTERNATIVE_FLOOR: f64 = 0.3;

/// The line's status from its ranked candidates (best score first): below the unmatched
/// threshold (a score) nothing is offered; below the review threshold (a confidence), or with
/// a near-tie between different products, a person chooses; a confident match without a
/// price is price on request.
pub fn decide(candidates: Vec<Candidate>, policy: &MatchPolicy) -> LineMatch {
    let unmatched = LineMatch {
        status: MatchStatus::Unmatched,
        best: None,
        alternatives: Vec::new(),
    };
    let Some(best) = candidates.first() else {
        return unmatched;
    };
    if best.score < policy.unmatched_threshold {
        return unmatched;
    }
    let tie = best.margin < TIE_MARGIN;
    let status = if best.confidence < policy.review_threshold || tie {
        MatchStatus::NeedsReview
    } else if best.product.price.is_none() {
        MatchStatus::PriceOnRequest
    } else {
        MatchStatus::Matched
    };
    let mut ranked = candidates.into_iter().map(|c| {
        let score = c.score;
        (
            score,
            Scored {
                product: c.product,
                confidence: c.confidence,
            },
        )
    });
    let best = ranked.next().map(|(_, s)| s);
    let alternatives: Vec<Scored> = ranked
        .filter(|(score, _)| *score >= ALTERNATIVE_FLOOR)
        .map(|(_, s)| s)
        .take(policy.max_alternatives)
        .collect();
    LineMatch {
        status,
        best,
        alternatives,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::search::calibration::{self, Features};
    use crate::catalog::search::normalize::tokens;
    use crate::catalog::search::scoring::{ProductTerm, QueryScorer, attribute_class};
    use crate::catalog::search::vocabulary::Vocabulary;
    use std::collections::HashMap;
    use std::collections::HashSet;

    /// The candidates' names as the index compares them.
    struct Names<'a>(&'a [Product]);

    impl calibration::Names for Names<'_> {
        fn same_name(&self, a: u32, b: u32) -> bool {
            self.0[a as usize].tokens == self.0[b as usize].tokens
        }
        fn extends(&self, a: u32, b: u32) -> bool {
            let (a, b) = (&self.0[a as usize].tokens, &self.0[b as usize].tokens);
            a.iter().all(|t| b.contains(t)) && b.iter().any(|t| !a.contains(t))
        }
    }

    /// Scores, ranks and calibrates every candidate as the index does, and decides the line's
    /// status.
    fn classify(query: &[String], candidates: Vec<Product>, vocab: &Vocabulary, policy: &MatchPolicy) -> LineMatch {
        let expansions = HashMap::new();
        let scorer = QueryScorer::new(query, vocab, &expansions);
        let mut parts: Vec<_> = candidates
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let mut terms: Vec<&String> = p.tokens.iter().collect();
                terms.sort();
                terms.dedup();
                let classes: Vec<Option<String>> = terms.iter().map(|t| attribute_class(t)).collect();
                let terms: Vec<ProductTerm<'_>> = terms
                    .iter()
                    .zip(&classes)
                    .map(|(t, c)| ProductTerm {
                        text: t,
                        idf: vocab.idf(t),
                        class: c.as_deref(),
                    })
                    .collect();
                (i as u32, scorer.parts(&terms))
            })
            .collect();
        parts.sort_by(|a, b| b.1.score.total_cmp(&a.1.score).then(a.0.cmp(&b.0)));
        let margins = calibration::margins(&parts, &Names(&candidates));
        let ranked = parts
            .iter()
            .zip(margins)
            .map(|((i, p), margin)| {
                let features = Features::new(*p, margin, &scorer);
                Candidate {
                    product: candidates[*i as usize].clone(),
                    score: p.score,
                    margin: margin.score,
                    confidence: calibration::confidence(&features),
                }
            })
            .collect();
        decide(ranked, policy)
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
        review_threshold: 0.9,
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
        let m = classify(&tokens("flap disc 4 inch 100 mm grit 240"), cands, &v, &POLICY);
        assert_eq!(m.best.map(|b| b.product.name), Some("FLAP DISC 100MM #240".to_string()));
    }

    #[test]
    fn price_on_request_and_unmatched() {
        let names = ["MAKITA VACUUM CLEANER DVC151LZ", "BOSCH DRILL GSB 13"];
        let v = vocab(&names);
        let m = classify(
            &tokens("Makita vacuum cleaner DVC151LZ"),
            vec![product("1", names[0], None)],
            &v,
            &POLICY,
        );
        assert_eq!(m.status, MatchStatus::PriceOnRequest);
        let m = classify(
            &tokens("Laptop 14 inch 16GB RAM"),
            vec![product("2", names[1], Some(5))],
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
        let m = classify(&tokens("Nitrile gloves"), cands, &v, &POLICY);
        assert_eq!(m.status, MatchStatus::NeedsReview);
        assert!(!m.alternatives.is_empty());
    }

    /// "Brand CODE" shared by two sizes does not say which: both are offered to a person,
    /// however the request is written and however confident each looks alone.
    #[test]
    fn a_code_shared_by_two_sizes_needs_review_with_both() {
        let names = [
            "WEICON WEICONLOCK AN 302-25 200 ML PIPE SEALING",
            "WEICON WEICONLOCK AN 302-25 50 ML PIPE SEALING",
            "WEICON WEICONLOCK AN 302-43 50 ML THREAD LOCKING",
            "LOCTITE 243 THREADLOCKER 50 ML",
        ];
        let v = vocab(&names);
        for request in [
            "Weicon AN 302-25",
            "weiconlock an 302-25",
            "AN 302-25 (Weicon or equivalent)",
        ] {
            let cands = names
                .iter()
                .enumerate()
                .map(|(i, n)| product(&i.to_string(), n, Some(100)))
                .collect();
            let m = classify(&tokens(request), cands, &v, &POLICY);
            assert_eq!(m.status, MatchStatus::NeedsReview, "{request}: {m:?}");
            let offered: HashSet<String> = m
                .best
                .iter()
                .chain(&m.alternatives)
                .map(|s| s.product.sku.clone())
                .collect();
            assert!(offered.contains("0") && offered.contains("1"), "{request}: {offered:?}");
        }
        // The size decides as soon as it is written.
        let cands = names
            .iter()
            .enumerate()
            .map(|(i, n)| product(&i.to_string(), n, Some(100)))
            .collect();
        let m = classify(&tokens("Weiconlock AN 302-25 50ml"), cands, &v, &POLICY);
        assert_eq!(m.best.map(|b| b.product.sku).as_deref(), Some("1"));
    }
}
