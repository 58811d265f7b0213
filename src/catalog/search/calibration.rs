//! Calibrated match confidence: the probability that a ranked product is the one the buyer
//! asked for, from what the scorer saw (its score, the recall and precision parts, the margin
//! to the best *different* product, conflicting and agreeing attributes, the share of the
//! request no product explains, the request's length), through a logistic regression.
//!
//! Why: the raw score is a similarity, not a probability. An exact request for a product with
//! a long name can score 0.5 while a two-word request scores 0.9 against one of ten products
//! that fit it; a threshold on the raw score sends the first to review and quotes the second.
//! The probability lets `matching.review_threshold` say what it means: "quote without a
//! person when at least this share of such matches is right".
//!
//! The coefficients below were fitted by `horme calibrate --pairs 60000 --seed 1` on the
//! demo catalog (`deploy/demo/products.csv`, 20,790 products): labelled requests generated
//! from the catalog itself (`pairs`), fitted on the requests of half of the sampled products,
//! measured on the other half (the reliability table is in the README, "Catalog search"). No
//! request for quotation of any corpus was used. Refit after a large catalog change with the
//! same command and paste its output here.

use super::logistic;
use super::scoring::{Parts, QueryScorer};

/// How many numbers `Features::vector` has (the intercept included).
pub const DIM: usize = 17;

/// The names of the coefficients, in `Features::vector`'s order.
pub const NAMES: [&str; DIM] = [
    "intercept",
    "score",
    "recall",
    "precision",
    "margin",
    "ln_margin",
    "recall_margin",
    "singled_out",
    "exact_name",
    "conflicts",
    "unknown_share",
    "ln_tokens",
    "attribute_exact",
    "attributes_missed",
    "codes_missed",
    "code_named",
    "plain_variant",
];

/// What the fit may assume of each coefficient's sign: an unexplained word, a conflicting or
/// missing size never makes a match more likely, a margin or an agreeing size never less
/// (0: no assumption). Generated requests cannot show every way a request goes wrong (their
/// foreign words are all catalog words), so the fit is kept from learning the opposite.
pub const SIGNS: [i8; DIM] = [0, 1, 0, 0, 1, 1, 1, 1, 1, -1, -1, 0, 1, -1, -1, 1, 1];

/// Fitted by `horme calibrate --pairs 60000 --seed 1` (see the module doc).
pub const COEFFICIENTS: [f64; DIM] = [
    -0.9986, // intercept
    8.7241,  // score
    -9.5189, // recall
    3.4941,  // precision
    0.0000,  // margin
    1.0518,  // ln_margin
    8.5396,  // recall_margin
    4.3245,  // singled_out
    0.5757,  // exact_name
    -4.7121, // conflicts
    -3.5517, // unknown_share
    0.6775,  // ln_tokens
    0.8382,  // attribute_exact
    -0.9553, // attributes_missed
    -0.6718, // codes_missed
    1.4164,  // code_named
    10.7660, // plain_variant
];

/// Margins below this weigh as this one in `ln_margin` (a near-tie is left to a person anyway).
const MARGIN_FLOOR: f64 = 0.01;
/// The recall margin from which a request that one product explains (nearly) whole singles
/// it out, and the recall that counts as nearly whole (a code read as the catalog's longer
/// code, "G3001" for "G3001NUV", earns a little less than full credit).
const SINGLED_OUT: f64 = 0.05;
const NEARLY_WHOLE: f64 = 0.95;
/// Recall and precision from which the request names the product whole and nothing else.
const EXACT: f64 = 0.999;
/// Products whose recall is within this of a product's hold the request as well as it does.
const AS_WELL: f64 = 0.01;

/// What the calibration knows of one ranked product.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Features {
    pub score: f64,
    pub recall: f64,
    pub precision: f64,
    /// Score minus the best score of a product with another name (negative below it).
    pub margin: f64,
    /// Recall minus the best recall of a product with another name: whether the request's
    /// words single this product out (0 when another product holds them as well).
    pub recall_margin: f64,
    pub conflicts: u8,
    /// The share of the request's weight in words no product uses.
    pub unknown_share: f64,
    /// Distinct request terms.
    pub tokens: usize,
    /// The request states a size, volume, grit … and the product states the same.
    pub attribute_exact: bool,
    /// Sizes, volumes, grits … of the request the product does not have.
    pub attributes_missed: u8,
    /// Model and part numbers of the request the product does not have.
    pub codes_missed: u8,
    /// The product names a model or part number of the request exactly.
    pub code_named: bool,
    /// The product holds the request (nearly) whole, and every product with another name that
    /// holds it as well is this one with words added (`Margin::plain`).
    pub plain_variant: bool,
}

impl Features {
    pub fn new(parts: Parts, margin: Margin, query: &QueryScorer<'_>) -> Self {
        Self {
            score: parts.score,
            recall: parts.recall,
            precision: parts.precision,
            margin: margin.score,
            recall_margin: margin.recall,
            conflicts: parts.conflicts,
            unknown_share: query.unknown_share(),
            tokens: query.len(),
            attribute_exact: parts.agreeing > 0,
            attributes_missed: parts.missed,
            codes_missed: parts.codes_missed,
            code_named: parts.codes_hit > 0,
            plain_variant: margin.plain,
        }
    }

    /// The regression's inputs, in `NAMES`' order; the margin also as a logarithm (0.02 and
    /// 0.05 differ more than 0.3 and 0.6), and whether the request names the product exactly.
    pub fn vector(&self) -> [f64; DIM] {
        [
            1.0,
            self.score,
            self.recall,
            self.precision,
            self.margin,
            self.margin.max(MARGIN_FLOOR).ln(),
            self.recall_margin,
            if self.recall >= NEARLY_WHOLE && self.recall_margin >= SINGLED_OUT {
                1.0
            } else {
                0.0
            },
            if self.recall >= EXACT && self.precision >= EXACT {
                1.0
            } else {
                0.0
            },
            f64::from(self.conflicts),
            self.unknown_share,
            (self.tokens.max(1) as f64).ln(),
            if self.attribute_exact { 1.0 } else { 0.0 },
            f64::from(self.attributes_missed),
            f64::from(self.codes_missed),
            if self.code_named { 1.0 } else { 0.0 },
            if self.plain_variant { 1.0 } else { 0.0 },
        ]
    }
}

/// The calibrated confidence of one ranked product.
pub fn confidence(features: &Features) -> f64 {
    probability(&COEFFICIENTS, features)
}

/// The logistic model with the given coefficients.
pub fn probability(coefficients: &[f64; DIM], features: &Features) -> f64 {
    logistic::sigmoid(logistic::dot(coefficients, &features.vector()))
}

/// How far one ranked product stands ahead of the best product with another name.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Margin {
    /// Score minus the best score of another name (the best product alone: its score).
    pub score: f64,
    /// Recall minus the best recall of another name (the best product alone: its recall).
    pub recall: f64,
    /// The product holds the request nearly whole, and every product with another name that
    /// holds it as well has every word of this one's name and more: "Hikoki G10SS2" asks for
    /// the G10SS2, not the G10SS2 110V, and "hose end 1/4" for the HOSE END 1/4", not the HOSE
    /// END MALE 1/4". A request that two names hold each with a word the other lacks ("Brand
    /// CODE" of a 50 ml and a 200 ml) is not plain.
    pub plain: bool,
}

/// What `margins` asks of the catalog about two products (index ids).
pub trait Names {
    /// Whether the two have the same name.
    fn same_name(&self, a: u32, b: u32) -> bool;
    /// Whether `b`'s name has every word of `a`'s and more.
    fn extends(&self, a: u32, b: u32) -> bool;
}

/// For each ranked product (best first, with its index id and score parts), its margins to
/// the best product with another name.
pub fn margins(ranked: &[(u32, Parts)], names: &impl Names) -> Vec<Margin> {
    let mut by_recall: Vec<usize> = (0..ranked.len()).collect();
    by_recall.sort_by(|a, b| ranked[*b].1.recall.total_cmp(&ranked[*a].1.recall).then(a.cmp(b)));
    // For product i: is j a product with another name? (The first in an order is the best.)
    let other = |i: usize| move |j: &usize| *j != i && !names.same_name(ranked[i].0, ranked[*j].0);
    ranked
        .iter()
        .enumerate()
        .map(|(i, (_, parts))| {
            let score = (0..ranked.len()).find(other(i)).map_or(0.0, |j| ranked[j].1.score);
            let recall = by_recall
                .iter()
                .copied()
                .find(other(i))
                .map_or(0.0, |j| ranked[j].1.recall);
            let mut as_well = by_recall
                .iter()
                .copied()
                .filter(other(i))
                .take_while(|j| ranked[*j].1.recall >= parts.recall - AS_WELL)
                .peekable();
            let plain = parts.recall >= NEARLY_WHOLE
                && as_well.peek().is_some()
                && as_well.all(|j| names.extends(ranked[i].0, ranked[j].0));
            Margin {
                score: parts.score - score,
                recall: parts.recall - recall,
                plain,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Product names as word lists, by index id.
    struct Catalog(Vec<Vec<&'static str>>);

    impl Names for Catalog {
        fn same_name(&self, a: u32, b: u32) -> bool {
            self.0[a as usize] == self.0[b as usize]
        }
        fn extends(&self, a: u32, b: u32) -> bool {
            let (a, b) = (&self.0[a as usize], &self.0[b as usize]);
            a.iter().all(|w| b.contains(w)) && b.iter().any(|w| !a.contains(w))
        }
    }

    fn parts(score: f64) -> Parts {
        Parts {
            score,
            recall: score,
            precision: score,
            conflicts: 0,
            agreeing: 0,
            missed: 0,
            codes_missed: 0,
            codes_hit: 0,
        }
    }

    #[test]
    fn margins_are_to_the_best_other_name() {
        // 0 and 1 share a name; 2 is another product.
        let ranked = [(0, parts(0.9)), (1, parts(0.9)), (2, parts(0.7))];
        let names = Catalog(vec![vec!["a"], vec!["a"], vec!["b"]]);
        let m: Vec<f64> = margins(&ranked, &names).iter().map(|m| m.score).collect();
        assert!((m[0] - 0.2).abs() < 1e-9 && (m[1] - 0.2).abs() < 1e-9, "{m:?}");
        assert!((m[2] + 0.2).abs() < 1e-9, "{m:?}");
        let alone = margins(&[(2, parts(0.6))], &names);
        assert!((alone[0].score - 0.6).abs() < 1e-9 && (alone[0].recall - 0.6).abs() < 1e-9);
    }

    /// The recall margin asks whether another product holds the request's words as well,
    /// whatever the scores: a product that names them all, ranked below one with a shorter
    /// name, leaves the best no recall margin.
    #[test]
    fn recall_margins_are_to_the_best_other_recall() {
        let short = Parts {
            recall: 1.0,
            ..parts(0.9)
        };
        let long = Parts {
            recall: 1.0,
            precision: 0.5,
            ..parts(0.7)
        };
        let partial = Parts {
            recall: 0.6,
            ..parts(0.6)
        };
        let names = Catalog(vec![vec!["x"], vec!["y"], vec!["z"]]);
        let m = margins(&[(0, short), (1, long), (2, partial)], &names);
        assert!(m[0].recall.abs() < 1e-9 && m[1].recall.abs() < 1e-9, "{m:?}");
        assert!((m[2].recall + 0.4).abs() < 1e-9, "{m:?}");
        let m = margins(&[(0, short), (2, partial)], &names);
        assert!((m[0].recall - 0.4).abs() < 1e-9, "{m:?}");
    }

    /// A request every contender holds is plain for the one the others only add words to:
    /// "hikoki g10ss2" for the G10SS2 beside the G10SS2 110V, not beside another model.
    #[test]
    fn the_plain_variant_is_the_one_the_others_add_words_to() {
        let whole = Parts {
            recall: 1.0,
            ..parts(0.8)
        };
        let names = Catalog(vec![
            vec!["hikoki", "g10ss2", "grinder"],
            vec!["hikoki", "g10ss2", "grinder", "110v"],
            vec!["hikoki", "g12ss2", "grinder"],
            vec!["hikoki", "g10ss2", "grinder", "240v"],
        ]);
        let m = margins(&[(0, whole), (1, whole)], &names);
        assert!(m[0].plain && !m[1].plain, "{m:?}");
        // Another model holds the request as well: nothing is plain.
        let m = margins(&[(0, whole), (1, whole), (2, whole)], &names);
        assert!(!m[0].plain, "{m:?}");
        // Two variants each add a word: the plain one is still the one both extend.
        let m = margins(&[(0, whole), (1, whole), (3, whole)], &names);
        assert!(m[0].plain && !m[1].plain && !m[2].plain, "{m:?}");
        // A product that does not hold the request whole is no plain variant, and a product
        // that holds it less well is no contender.
        let partial = Parts {
            recall: 0.7,
            ..parts(0.6)
        };
        let m = margins(&[(0, partial), (1, partial)], &names);
        assert!(!m[0].plain, "{m:?}");
        let m = margins(&[(0, whole), (2, partial)], &names);
        assert!(!m[0].plain, "no contender: the recall margin says it: {m:?}");
    }

    #[test]
    fn confidence_is_a_probability_that_grows_with_the_evidence() {
        let weak = Features {
            score: 0.4,
            recall: 0.5,
            precision: 0.3,
            margin: 0.01,
            tokens: 3,
            ..Features::default()
        };
        let strong = Features {
            score: 0.95,
            recall: 1.0,
            precision: 0.9,
            margin: 0.5,
            tokens: 5,
            attribute_exact: true,
            ..Features::default()
        };
        let (w, s) = (confidence(&weak), confidence(&strong));
        assert!((0.0..=1.0).contains(&w) && (0.0..=1.0).contains(&s));
        assert!(s > w, "{s} {w}");
        let conflicting = Features { conflicts: 1, ..strong };
        assert!(confidence(&conflicting) < s);
    }
}
