//! Scoring catalog candidates against a requested description, and deciding what the line
//! is: `matched`, `needs_review`, `unmatched` or `price_on_request`.
//!
//! The score is an F-measure of two idf-weighted coverages: how much of the request the
//! product explains (recall, weighted more) and how much of the product's name the request
//! mentions (precision). Conflicting attributes (100mm vs 125mm, 200ml vs 50ml, G120 vs
//! G240, size 8 vs 9) halve it. A near-tie between different products means the request does
//! not say which one: a person must choose.

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use regex::Regex;
use serde::{Deserialize, Serialize};

use crate::catalog::Product;
use crate::catalog::vocabulary::Vocabulary;

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

/// Recall counts this many times more than precision.
const BETA: f64 = 1.6;
/// Each conflicting attribute multiplies the score by this.
const CONFLICT_FACTOR: f64 = 0.5;
/// Two different products closer than this are a tie the request cannot break.
const TIE_MARGIN: f64 = 0.02;
/// Alternatives below this score are not worth showing.
const ALTERNATIVE_FLOOR: f64 = 0.3;

static MEASURE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:\d+(?:\.\d+)?|(?:\d+-)?\d+/\d+)(?P<u>mm|cm|m|km|in|ft|ml|l|g|kg|oz|lb|w|kw|v|a|ah|mah|hp|bar|psi|rpm|cc|hz|kva|mpa|nm)$")
        .expect("regex")
});

/// The attribute class of a token whose value must agree between request and product.
fn attribute_class(t: &str) -> Option<String> {
    if let Some(c) = MEASURE.captures(t) {
        return Some(c["u"].to_string());
    }
    if t.len() >= 2 && t.starts_with('g') && t[1..].bytes().all(|b| b.is_ascii_digit()) {
        return Some("grit".into());
    }
    if t.starts_with("size") && t.len() > 4 && t[4..].bytes().all(|b| b.is_ascii_digit()) {
        return Some("size".into());
    }
    if t.contains('x') && t.split('x').count() >= 2 && t.split('x').all(|p| p.starts_with(|c: char| c.is_ascii_digit()))
    {
        return Some(format!("dims{}", t.split('x').count()));
    }
    None
}

/// How well `product` answers `query` (both normalised tokens), in 0..=1.
pub fn score(
    query: &[String],
    product: &[String],
    vocab: &Vocabulary,
    expansions: &HashMap<String, Vec<String>>,
) -> f64 {
    let q: HashSet<&str> = query.iter().map(String::as_str).collect();
    let p: HashSet<&str> = product.iter().map(String::as_str).collect();
    if q.is_empty() || p.is_empty() {
        return 0.0;
    }
    let mut matched_p: HashSet<&str> = HashSet::new();
    let (mut wq, mut mq) = (0.0, 0.0);
    for t in &q {
        let w = vocab.idf(t);
        wq += w;
        let (credit, hit) = token_credit(t, &p, expansions);
        mq += w * credit;
        if let Some(h) = hit {
            matched_p.insert(h);
        }
    }
    let (mut wp, mut mp) = (0.0, 0.0);
    for t in &p {
        let w = vocab.idf(t);
        wp += w;
        if matched_p.contains(t) {
            mp += w;
        }
    }
    let recall = mq / wq;
    let precision = mp / wp;
    if recall <= 0.0 || precision <= 0.0 {
        return 0.0;
    }
    let b2 = BETA * BETA;
    let f = (1.0 + b2) * precision * recall / (b2 * precision + recall);
    f * CONFLICT_FACTOR.powi(conflicts(&q, &p) as i32)
}

/// Credit for one request token: exact 1.0, a catalog term it was mapped to 0.85, a
/// near-spelling or a plural/prefix 0.7; and the product token it hit.
fn token_credit<'p>(
    t: &str,
    p: &HashSet<&'p str>,
    expansions: &HashMap<String, Vec<String>>,
) -> (f64, Option<&'p str>) {
    if let Some(hit) = p.get(t) {
        return (1.0, Some(hit));
    }
    if let Some(exp) = expansions.get(t)
        && let Some(hit) = exp.iter().find_map(|e| p.get(e.as_str()))
    {
        return (0.85, Some(hit));
    }
    if t.chars().count() >= 4 && attribute_class(t).is_none() {
        for cand in p {
            let close =
                (cand.len() >= 4 && (cand.starts_with(t) || t.starts_with(*cand)) && cand.len().abs_diff(t.len()) <= 2)
                    || (t.chars().count() >= 5 && edit_distance_at_most_one(t, cand));
            if close && attribute_class(cand).is_none() {
                return (0.7, Some(cand));
            }
        }
    }
    (0.0, None)
}

/// Attribute classes both sides state with no value in common.
fn conflicts(q: &HashSet<&str>, p: &HashSet<&str>) -> usize {
    let classes = |s: &HashSet<&str>| {
        let mut m: HashMap<String, HashSet<String>> = HashMap::new();
        for t in s {
            if let Some(c) = attribute_class(t) {
                m.entry(c).or_default().insert((*t).to_string());
            }
        }
        m
    };
    let (cq, cp) = (classes(q), classes(p));
    cq.iter()
        .filter(|(class, values)| cp.get(*class).is_some_and(|pv| pv.is_disjoint(values)))
        .count()
}

fn edit_distance_at_most_one(a: &str, b: &str) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    if a.len().abs_diff(b.len()) > 1 || a == b {
        return a == b;
    }
    let (short, long) = if a.len() <= b.len() { (&a, &b) } else { (&b, &a) };
    let mut i = 0;
    while i < short.len() && short[i] == long[i] {
        i += 1;
    }
    if short.len() == long.len() {
        // one substitution, or one transposition
        short[i + 1..] == long[i + 1..]
            || (i + 1 < short.len()
                && short[i] == long[i + 1]
                && short[i + 1] == long[i]
                && short[i + 2..] == long[i + 2..])
    } else {
        short[i..] == long[i + 1..]
    }
}

/// Scores every candidate and decides the line's status.
pub fn classify(
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
    use crate::pipeline::normalize::tokens;

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
    fn conflicting_volume_is_penalised() {
        let v = vocab(&["WEICON SPRAY 400ML", "WEICON SPRAY 200ML"]);
        let s400 = score(
            &tokens("weicon spray 400 ml"),
            &tokens("WEICON SPRAY 400ML"),
            &v,
            &HashMap::new(),
        );
        let s200 = score(
            &tokens("weicon spray 400 ml"),
            &tokens("WEICON SPRAY 200ML"),
            &v,
            &HashMap::new(),
        );
        assert!(s400 > 0.9 && s200 < 0.5 * s400 + 1e-9, "{s400} {s200}");
    }

    #[test]
    fn typos_still_match() {
        assert!(edit_distance_at_most_one("ginder", "grinder"));
        assert!(edit_distance_at_most_one("hydraulc", "hydraulic"));
        assert!(edit_distance_at_most_one("lesfric", "lesrfic"));
        assert!(!edit_distance_at_most_one("disc", "dust"));
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
