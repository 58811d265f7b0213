//! Logistic regression fitted by Newton's method (iteratively reweighted least squares), for
//! the calibrated confidence: a handful of features and tens of thousands of labelled
//! requests fit in milliseconds, so a few lines here replace a numerical dependency.

/// Newton steps at most; the fit usually converges in under ten.
const MAX_STEPS: usize = 50;

/// Coefficients `w` maximising the likelihood of `y` under `P(y) = 1 / (1 + e^(−w·x))`, with
/// an L2 penalty `ridge` on every coefficient but the first (the intercept: `x[0]` is 1),
/// which keeps the fit finite when a feature separates the labels perfectly.
pub fn fit<const D: usize>(x: &[[f64; D]], y: &[bool], ridge: f64) -> [f64; D] {
    fit_fixed(x, y, ridge, &[false; D])
}

/// `fit` with a sign assumed for some coefficients (1: ≥ 0, −1: ≤ 0, 0: none): a coefficient
/// that comes out with the wrong sign is held at 0 and the rest refitted, until none does.
pub fn fit_signed<const D: usize>(x: &[[f64; D]], y: &[bool], ridge: f64, signs: &[i8; D]) -> [f64; D] {
    let mut fixed = [false; D];
    loop {
        let w = fit_fixed(x, y, ridge, &fixed);
        let wrong = (0..D)
            .filter(|a| !fixed[*a] && f64::from(signs[*a]) * w[*a] < 0.0)
            .max_by(|a, b| w[*a].abs().total_cmp(&w[*b].abs()));
        match wrong {
            Some(a) => fixed[a] = true,
            None => return w,
        }
    }
}

/// Newton's method with the `fixed` coefficients held at 0.
fn fit_fixed<const D: usize>(x: &[[f64; D]], y: &[bool], ridge: f64, fixed: &[bool; D]) -> [f64; D] {
    let mut w = [0.0; D];
    for _ in 0..MAX_STEPS {
        let mut gradient = [0.0; D];
        let mut hessian = [[0.0; D]; D];
        for (xi, yi) in x.iter().zip(y) {
            let p = sigmoid(dot(&w, xi));
            let r = if *yi { 1.0 } else { 0.0 } - p;
            let s = (p * (1.0 - p)).max(1e-9);
            for a in 0..D {
                gradient[a] += r * xi[a];
                for b in 0..D {
                    hessian[a][b] += s * xi[a] * xi[b];
                }
            }
        }
        for a in 1..D {
            gradient[a] -= ridge * w[a];
            hessian[a][a] += ridge;
        }
        for a in (0..D).filter(|a| fixed[*a]) {
            gradient[a] = 0.0;
            hessian[a] = [0.0; D];
            for row in hessian.iter_mut() {
                row[a] = 0.0;
            }
            hessian[a][a] = 1.0;
        }
        let Some(step) = solve(hessian, gradient) else {
            break;
        };
        let mut largest: f64 = 0.0;
        for a in 0..D {
            w[a] += step[a];
            largest = largest.max(step[a].abs());
        }
        if largest < 1e-9 {
            break;
        }
    }
    w
}

pub fn sigmoid(z: f64) -> f64 {
    1.0 / (1.0 + (-z).exp())
}

pub fn dot<const D: usize>(w: &[f64; D], x: &[f64; D]) -> f64 {
    w.iter().zip(x).map(|(a, b)| a * b).sum()
}

/// `a · s = b` by Gaussian elimination with partial pivoting; None when `a` is singular.
fn solve<const D: usize>(mut a: [[f64; D]; D], mut b: [f64; D]) -> Option<[f64; D]> {
    for col in 0..D {
        let pivot = (col..D).max_by(|i, j| a[*i][col].abs().total_cmp(&a[*j][col].abs()))?;
        if a[pivot][col].abs() < 1e-12 {
            return None;
        }
        a.swap(col, pivot);
        b.swap(col, pivot);
        let pivot_row = a[col];
        for row in col + 1..D {
            let f = a[row][col] / pivot_row[col];
            for (x, p) in a[row].iter_mut().zip(pivot_row).skip(col) {
                *x -= f * p;
            }
            b[row] -= f * b[col];
        }
    }
    let mut s = [0.0; D];
    for row in (0..D).rev() {
        let rest: f64 = (row + 1..D).map(|k| a[row][k] * s[k]).sum();
        s[row] = (b[row] - rest) / a[row][row];
    }
    Some(s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::search::pairs::rng::Rng;

    #[test]
    fn solves_a_small_system() {
        let s = solve([[2.0, 1.0], [1.0, 3.0]], [3.0, 5.0]).expect("regular");
        assert!((s[0] - 0.8).abs() < 1e-12 && (s[1] - 1.4).abs() < 1e-12, "{s:?}");
        assert!(solve([[1.0, 2.0], [2.0, 4.0]], [1.0, 2.0]).is_none());
    }

    /// Labels drawn from known coefficients give those coefficients back.
    #[test]
    fn recovers_known_coefficients() {
        let truth = [-1.0, 3.0, -2.0];
        let mut rng = Rng::new(11);
        let mut uniform = || (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
        let (mut x, mut y) = (Vec::new(), Vec::new());
        for _ in 0..20_000 {
            let xi = [1.0, uniform() * 2.0 - 1.0, uniform() * 2.0 - 1.0];
            let p = sigmoid(dot(&truth, &xi));
            y.push(uniform() < p);
            x.push(xi);
        }
        let w = fit(&x, &y, 1e-6);
        for (a, b) in w.iter().zip(truth) {
            assert!((a - b).abs() < 0.15, "{w:?}");
        }
        // Assuming the last coefficient is positive holds it at 0; the others still fit.
        let w = fit_signed(&x, &y, 1e-6, &[0, 0, 1]);
        assert_eq!(w[2], 0.0);
        assert!((w[1] - 3.0).abs() < 0.5, "{w:?}");
    }
}
