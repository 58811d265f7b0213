//! Measuring a calibration on labelled requests (`pairs`): the reliability table (confidence
//! bucket → share right), what `matched` would be at a review threshold (precision, recall,
//! silent errors), the lowest threshold that keeps precision at a target, and what an
//! unmatched threshold on the score would cost.

use super::calibration::{self, DIM, Features};
use super::pairs::Kind;
use crate::pipeline::matching::TIE_MARGIN;

/// The matcher's best product for one labelled request.
#[derive(Debug, Clone, Copy)]
pub struct Sample {
    pub kind: Kind,
    pub features: Features,
    /// Whether the best product answers the request.
    pub right: bool,
}

impl Sample {
    /// Whether the line would be quoted without a person: a score above the unmatched
    /// threshold, no near-tie, a confidence at least `threshold`.
    fn quoted(&self, confidence: f64, threshold: f64, unmatched: f64) -> bool {
        self.features.score >= unmatched && self.features.margin >= TIE_MARGIN && confidence >= threshold
    }
}

/// One row of the reliability table.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Bucket {
    pub from: f64,
    pub to: f64,
    pub count: usize,
    pub right: usize,
    pub confidence_sum: f64,
}

impl Bucket {
    pub fn share_right(&self) -> f64 {
        ratio(self.right, self.count)
    }

    pub fn mean_confidence(&self) -> f64 {
        if self.count == 0 {
            0.0
        } else {
            self.confidence_sum / self.count as f64
        }
    }
}

/// Ten buckets of confidence (0.0–0.1 … 0.9–1.0): how many requests, how many right.
pub fn table(samples: &[Sample], coefficients: &[f64; DIM]) -> Vec<Bucket> {
    let mut out: Vec<Bucket> = (0..10)
        .map(|i| Bucket {
            from: f64::from(i) / 10.0,
            to: f64::from(i + 1) / 10.0,
            ..Bucket::default()
        })
        .collect();
    for s in samples {
        let c = calibration::probability(coefficients, &s.features);
        let b = &mut out[((c * 10.0) as usize).min(9)];
        b.count += 1;
        b.right += usize::from(s.right);
        b.confidence_sum += c;
    }
    out
}

/// What `matched` would be at one review threshold.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Operating {
    pub threshold: f64,
    /// Quoted without a person.
    pub quoted: usize,
    /// Quoted and right.
    pub right: usize,
    /// Requests a product answers (the buyer requests).
    pub answerable: usize,
    /// All requests.
    pub requests: usize,
}

impl Operating {
    pub fn precision(&self) -> f64 {
        if self.quoted == 0 {
            1.0
        } else {
            ratio(self.right, self.quoted)
        }
    }

    /// The share of answerable requests quoted right without a person.
    pub fn recall(&self) -> f64 {
        ratio(self.right, self.answerable)
    }

    /// The share of all requests quoted as a wrong product (or quoted when nothing answers).
    pub fn silently_wrong(&self) -> f64 {
        ratio(self.quoted - self.right, self.requests)
    }
}

pub fn at(samples: &[Sample], coefficients: &[f64; DIM], threshold: f64, unmatched: f64) -> Operating {
    at_with(
        samples,
        |f| calibration::probability(coefficients, f),
        threshold,
        unmatched,
    )
}

/// `at` with any confidence (the raw score, to compare with what `matched` was before).
pub fn at_with(samples: &[Sample], confidence: impl Fn(&Features) -> f64, threshold: f64, unmatched: f64) -> Operating {
    let mut op = Operating {
        threshold,
        quoted: 0,
        right: 0,
        answerable: 0,
        requests: samples.len(),
    };
    for s in samples {
        op.answerable += usize::from(s.kind == Kind::Buyer);
        let c = confidence(&s.features);
        if s.quoted(c, threshold, unmatched) {
            op.quoted += 1;
            op.right += usize::from(s.right);
        }
    }
    op
}

/// The lowest threshold (in steps of 0.01) from which every higher one keeps precision at
/// least `min_precision`; None when even 0.99 does not.
pub fn threshold_for(samples: &[Sample], coefficients: &[f64; DIM], min_precision: f64, unmatched: f64) -> Option<f64> {
    let mut lowest = None;
    for step in (1..=99).rev() {
        let t = f64::from(step) / 100.0;
        if at(samples, coefficients, t, unmatched).precision() < min_precision {
            break;
        }
        lowest = Some(t);
    }
    lowest
}

/// What an unmatched threshold on the score costs: per kind, the share of requests whose best
/// product scores below it (nothing offered).
pub fn below_score(samples: &[Sample], kind: Kind, unmatched: f64) -> f64 {
    let of_kind: Vec<&Sample> = samples.iter().filter(|s| s.kind == kind).collect();
    ratio(
        of_kind.iter().filter(|s| s.features.score < unmatched).count(),
        of_kind.len(),
    )
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 0.0 } else { a as f64 / b as f64 }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(score: f64, margin: f64, right: bool) -> Sample {
        Sample {
            kind: if right { Kind::Buyer } else { Kind::Foreign },
            features: Features {
                score,
                recall: score,
                precision: score,
                margin,
                tokens: 3,
                ..Features::default()
            },
            right,
        }
    }

    /// With the score as the only evidence, the table and the threshold follow it.
    #[test]
    fn thresholds_keep_precision() {
        let mut w = [0.0; DIM];
        (w[0], w[1]) = (-10.0, 20.0); // confidence 0.5 at score 0.5
        let mut samples = Vec::new();
        for i in 0..100 {
            let s = f64::from(i) / 100.0;
            samples.push(sample(s, 0.5, s >= 0.7));
        }
        samples.push(sample(0.95, 0.0, false)); // a tie: never quoted
        let op = at(&samples, &w, 0.5, 0.35);
        assert_eq!((op.quoted, op.right), (50, 30));
        let t = threshold_for(&samples, &w, 0.99, 0.35).expect("some threshold");
        assert!(at(&samples, &w, t, 0.35).precision() >= 0.99);
        assert!(at(&samples, &w, t - 0.01, 0.35).precision() < 0.99, "{t}");
        let rows = table(&samples, &w);
        assert_eq!(rows.iter().map(|b| b.count).sum::<usize>(), samples.len());
        assert!(rows[9].share_right() > rows[0].share_right());
        assert!((below_score(&samples, Kind::Buyer, 0.8) - 10.0 / 30.0).abs() < 1e-9);
    }
}
