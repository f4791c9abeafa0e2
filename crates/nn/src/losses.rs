//! Losses (divergences) between a network's output `Y` and the desired output `d`.
//!
//! The tensor losses return one divergence per sample (shape `[N]`) or per element, and
//! [`empirical_risk`] averages them: the reduction `(1/N) Σ_i div(f(W; x_i), d_i)` stays
//! explicit, as in the lecture. Every loss is a composition of autograd primitives.

use autograd::OrPanic;
use autograd::{Float, Real, Shape, Tensor, TensorVar};

use crate::data::check_label;
use crate::error::{Error, Result};
use crate::softmax::log_softmax;

/// The max-margin (hinge) loss of a score `s` for a label `d ∈ {-1, +1}`:
/// `Div(s, d) = max(0, 1 - d·s)`.
///
/// Zero once the score has the right sign with a margin of at least 1; otherwise it grows
/// linearly. Its derivative is `-d` inside the margin and 0 outside (0 on the hinge itself,
/// by `relu'(0) = 0`).
///
/// ```
/// use nn::losses::hinge;
///
/// assert_eq!(hinge(2.0, 1.0), 0.0); // right side, outside the margin
/// assert_eq!(hinge(0.25, 1.0), 0.75); // right side, inside the margin
/// assert_eq!(hinge(0.5, -1.0), 1.5); // wrong side
/// ```
#[track_caller]
pub fn hinge<R: Real>(score: R, label: f64) -> R {
    score.affine(-label, 1.0).relu()
}

/// The empirical risk under the hinge loss: `(1/N) Σᵢ max(0, 1 - dᵢ sᵢ)` over scores `sᵢ`
/// and labels `dᵢ ∈ {-1, +1}` (micrograd's demo loss, before regularisation).
///
/// # Panics
/// If `scores` is empty or the lengths differ.
///
/// ```
/// use nn::losses::mean_hinge;
///
/// // one right with margin (0), one inside the margin (0.5), one wrong (1.5)
/// assert_eq!(mean_hinge(&[2.0, 0.5, 0.5], &[1.0, 1.0, -1.0]), (0.0 + 0.5 + 1.5) / 3.0);
/// ```
#[track_caller]
pub fn mean_hinge<R: Real>(scores: &[R], labels: &[f64]) -> R {
    assert_eq!(
        scores.len(),
        labels.len(),
        "mean_hinge: {} scores but {} labels",
        scores.len(),
        labels.len()
    );
    let mut terms = scores.iter().zip(labels).map(|(s, &d)| hinge(s.clone(), d));
    let first = terms.next().expect("mean_hinge: no scores given");
    terms.fold(first, |sum, term| sum + term) * (1.0 / scores.len() as f64)
}

/// The empirical risk: the mean of the per-sample divergences, `(1/N) Σ_i div_i`.
///
/// ```
/// use autograd::{Tape, Tensor};
/// let tape = Tape::new();
/// let divs = tape.tensor(Tensor::<f64>::from_vec(vec![1.0, 3.0], [2]).unwrap());
/// assert_eq!(nn::losses::empirical_risk(divs).value().item().unwrap(), 2.0);
/// ```
#[track_caller]
pub fn empirical_risk<F: Float>(divergences: TensorVar<'_, F>) -> TensorVar<'_, F> {
    divergences.mean()
}

/// The L2 divergence of each sample, `Div(Y, d) = ½ ‖Y − d‖²` over the feature axis: `y` and
/// `d` of shape `[N, K]` give `[N]`. Its derivative is `Y − d`.
///
/// # Panics
/// If the shapes differ, naming both.
///
/// ```
/// use autograd::{Tape, Tensor};
/// let tape = Tape::new();
/// let y = tape.tensor(Tensor::<f64>::from_vec(vec![1.0, 2.0, 0.0, 0.0], [2, 2]).unwrap());
/// let d = tape.constant_tensor(Tensor::<f64>::from_vec(vec![1.0, 0.0, 1.0, 1.0], [2, 2]).unwrap());
/// let div = nn::losses::l2_divergence(y, d);
/// assert_eq!(div.value().to_vec(), vec![2.0, 1.0]);
/// assert_eq!(div.sum().backward().wrt(y).to_vec(), vec![0.0, 2.0, -1.0, -1.0]); // Y − d
/// ```
#[track_caller]
pub fn l2_divergence<'t, F: Float>(y: TensorVar<'t, F>, d: TensorVar<'t, F>) -> TensorVar<'t, F> {
    same_shape("l2_divergence", y, d);
    let last = y.dims().len().saturating_sub(1);
    ((y - d).powi(2) * 0.5).sum_axes(&[last], false)
}

/// The mean squared error over all elements, `(1/n) Σ (y − d)²` (PyTorch's `MSELoss`).
///
/// ```
/// use autograd::{Tape, Tensor};
/// let tape = Tape::new();
/// let y = tape.tensor(Tensor::<f64>::from_vec(vec![1.0, 3.0], [2]).unwrap());
/// let d = tape.constant_tensor(Tensor::<f64>::zeros([2]));
/// assert_eq!(nn::losses::mse(y, d).value().item().unwrap(), 5.0);
/// ```
#[track_caller]
pub fn mse<'t, F: Float>(y: TensorVar<'t, F>, d: TensorVar<'t, F>) -> TensorVar<'t, F> {
    same_shape("mse", y, d);
    (y - d).powi(2).mean()
}

/// Binary cross-entropy of probabilities `p ∈ [0, 1]` against targets `d ∈ [0, 1]`, per
/// element: `−(d ln p + (1 − d) ln(1 − p))`, each log clamped to at least −100 as in PyTorch's
/// `BCELoss`, so the loss is finite even at `p = 0` or `1` (an `f32` sigmoid is exactly 1
/// above about 17). The gradient is that of this clamped expression: finite everywhere, 0
/// where a log is clamped, and `−d/p + (1 − d)/(1 − p)` elsewhere (so `−1` at `p = d = 1`
/// and `1` at `p = d = 0`, where PyTorch's formula reads 0; through a sigmoid both give 0).
/// A `p` outside `[0, 1]` gives NaN. Prefer [`binary_cross_entropy_with_logits`] when you
/// have the logits: it loses nothing to rounding.
///
/// ```
/// use autograd::{Tape, Tensor};
/// let tape = Tape::new();
/// let p = tape.tensor(Tensor::<f64>::from_vec(vec![0.5, 1.0, 0.0], [3]).unwrap());
/// let d = tape.constant_tensor(Tensor::<f64>::from_vec(vec![1.0, 1.0, 1.0], [3]).unwrap());
/// let loss = nn::losses::binary_cross_entropy(p, d);
/// assert_eq!(loss.value().to_vec(), vec![2f64.ln(), 0.0, 100.0]);
/// assert_eq!(loss.sum().backward().wrt(p).to_vec(), vec![-2.0, -1.0, 0.0]);
/// ```
#[track_caller]
pub fn binary_cross_entropy<'t, F: Float>(
    p: TensorVar<'t, F>,
    d: TensorVar<'t, F>,
) -> TensorVar<'t, F> {
    same_shape("binary_cross_entropy", p, d);
    -(d * clamped_ln(p) + (1.0 - d) * clamped_ln(1.0 - p))
}

/// `max(ln q, −100)`, with `ln 0` taken as −100 and no gradient there. A zero `q` is kept
/// away from `ln`, whose rule would compute `0 / 0` even for the zero gradient of the branch
/// not taken; a NaN or negative `q` still reaches it and gives NaN.
fn clamped_ln<'t, F: Float>(q: TensorVar<'t, F>) -> TensorVar<'t, F> {
    let constant = |v: f64| q.tape().constant_tensor(Tensor::scalar(F::from_f64(v)));
    let (floor, one) = (constant(LOG_FLOOR), constant(1.0));
    let zero = q.eq(constant(0.0));
    zero.select(floor, zero.select(one, q).ln().max(floor))
}

/// PyTorch's `BCELoss` floor for each log term.
const LOG_FLOOR: f64 = -100.0;

/// Binary cross-entropy from logits `z` (so `p = σ(z)`), per element, computed stably as
/// `max(z, 0) − z d + ln1p(e^−|z|)` (PyTorch's `BCEWithLogitsLoss`). Its derivative is
/// `σ(z) − d`, finite for every `z` including `±∞` (where the loss is 0 on the right side
/// and `∞` on the wrong one).
///
/// ```
/// use autograd::{Tape, Tensor};
/// let tape = Tape::new();
/// let z = tape.tensor(Tensor::<f64>::from_vec(vec![0.0, 1000.0, f64::INFINITY], [3]).unwrap());
/// let d = tape.constant_tensor(Tensor::<f64>::from_vec(vec![1.0, 0.0, 1.0], [3]).unwrap());
/// let loss = nn::losses::binary_cross_entropy_with_logits(z, d);
/// assert_eq!(loss.value().to_vec(), vec![2f64.ln(), 1000.0, 0.0]);
/// assert_eq!(loss.sum().backward().wrt(z).to_vec(), vec![-0.5, 1.0, 0.0]); // σ(z) − d
/// ```
#[track_caller]
pub fn binary_cross_entropy_with_logits<'t, F: Float>(
    z: TensorVar<'t, F>,
    d: TensorVar<'t, F>,
) -> TensorVar<'t, F> {
    same_shape("binary_cross_entropy_with_logits", z, d);
    let zero = z.tape().constant_tensor(Tensor::scalar(F::ZERO));
    // max(z, 0) − z d = (1 − d) max(z, 0) + d max(−z, 0): no ∞ − ∞ at z = ±∞. `max`, not
    // relu: it splits its tie at 0, which the slope σ(0) − d = ½ − d needs.
    let linear = weighted(1.0 - d, z.max(zero)) + weighted(d, (-z).max(zero));
    linear + (-z.abs()).exp().ln_1p()
}

/// `w · x`, exactly 0 where `w = 0` even if `x` is infinite (`0 · ∞` is NaN), with no
/// gradient reaching `x` there.
fn weighted<'t, F: Float>(w: TensorVar<'t, F>, x: TensorVar<'t, F>) -> TensorVar<'t, F> {
    let zero = w.tape().constant_tensor(Tensor::scalar(F::ZERO));
    w * w.eq(zero).select(zero, x)
}

/// Cross-entropy of each sample from logits `[N, C]` and class indices (`N` of them, each
/// `< C`): `−ln softmax(z)_{class}`, stable for any logits. Its derivative is
/// `softmax(z) − onehot(class)`. An error if `logits` is not `[N, C]` or `classes` has not
/// `N` entries, or naming the row of a class that is `≥ C`.
///
/// ```
/// use autograd::{Tape, Tensor};
/// let tape = Tape::new();
/// let z = tape.tensor(Tensor::<f64>::from_vec(vec![0.0, 0.0, 0.0, 5.0, -5.0, 0.0], [2, 3]).unwrap());
/// let div = nn::losses::try_cross_entropy(z, &[2, 0]).unwrap();
/// assert!((div.value().at(&[0]) - 3f64.ln()).abs() < 1e-12);
/// let err = nn::losses::try_cross_entropy(z, &[2, 3]).unwrap_err();
/// assert_eq!(err.to_string(), "cross_entropy: row 1: label 3 is not a class (a whole number in 0..3)");
/// ```
pub fn try_cross_entropy<'t, F: Float>(
    logits: TensorVar<'t, F>,
    classes: &[usize],
) -> Result<TensorVar<'t, F>> {
    check_classes("cross_entropy", "logits", &logits.shape(), classes)?;
    Ok(pick(log_softmax(logits, 1), classes))
}

/// [`try_cross_entropy`] that panics with the same message.
///
/// ```
/// use autograd::{Tape, Tensor};
/// let tape = Tape::new();
/// let z = tape.tensor(Tensor::<f64>::zeros([1, 4]));
/// assert!((nn::losses::cross_entropy(z, &[3]).value().at(&[0]) - 4f64.ln()).abs() < 1e-12);
/// ```
#[track_caller]
pub fn cross_entropy<'t, F: Float>(
    logits: TensorVar<'t, F>,
    classes: &[usize],
) -> TensorVar<'t, F> {
    try_cross_entropy(logits, classes).or_panic()
}

/// Cross-entropy of each sample from logits `[N, C]` and one-hot (or any probability)
/// targets `[N, C]`: `−Σ_c d_c ln softmax(z)_c`.
///
/// ```
/// use autograd::{Tape, Tensor};
/// let tape = Tape::new();
/// let z = tape.tensor(Tensor::<f64>::zeros([1, 4]));
/// let d = tape.constant_tensor(Tensor::<f64>::from_vec(vec![0.0, 1.0, 0.0, 0.0], [1, 4]).unwrap());
/// let div = nn::losses::cross_entropy_one_hot(z, d);
/// assert!((div.value().item().unwrap() - 4f64.ln()).abs() < 1e-12);
/// ```
#[track_caller]
pub fn cross_entropy_one_hot<'t, F: Float>(
    logits: TensorVar<'t, F>,
    targets: TensorVar<'t, F>,
) -> TensorVar<'t, F> {
    same_shape("cross_entropy_one_hot", logits, targets);
    -(targets * log_softmax(logits, 1)).sum_axes(&[1], false)
}

/// The negative log-likelihood of each sample: `−log_probs[i, class_i]` from log-probabilities
/// `[N, C]` (for instance [`log_softmax`]). Errors as [`try_cross_entropy`].
///
/// ```
/// use autograd::{Tape, Tensor};
/// let tape = Tape::new();
/// let lp = tape.tensor(Tensor::<f64>::from_vec(vec![-0.1, -2.0, -3.0, -0.2], [2, 2]).unwrap());
/// assert_eq!(nn::losses::try_nll(lp, &[0, 1]).unwrap().value().to_vec(), vec![0.1, 0.2]);
/// let err = nn::losses::try_nll(lp, &[0]).unwrap_err();
/// assert_eq!(err.to_string(), "nll: 2 rows but 1 classes");
/// ```
pub fn try_nll<'t, F: Float>(
    log_probs: TensorVar<'t, F>,
    classes: &[usize],
) -> Result<TensorVar<'t, F>> {
    check_classes("nll", "log-probabilities", &log_probs.shape(), classes)?;
    Ok(pick(log_probs, classes))
}

/// [`try_nll`] that panics with the same message.
///
/// ```
/// use autograd::{Tape, Tensor};
/// let tape = Tape::new();
/// let lp = tape.tensor(Tensor::<f64>::from_vec(vec![-0.1, -2.0, -3.0, -0.2], [2, 2]).unwrap());
/// assert_eq!(nn::losses::nll(lp, &[0, 1]).value().to_vec(), vec![0.1, 0.2]);
/// ```
#[track_caller]
pub fn nll<'t, F: Float>(log_probs: TensorVar<'t, F>, classes: &[usize]) -> TensorVar<'t, F> {
    try_nll(log_probs, classes).or_panic()
}

/// Scores `[N, C]` and `N` classes, each passing the shared label check against `C`.
fn check_classes(
    context: &'static str,
    what: &'static str,
    shape: &Shape,
    classes: &[usize],
) -> Result<()> {
    let dims = shape.dims();
    if dims.len() != 2 {
        return Err(Error::Shape {
            context,
            what,
            expected: "[N, C]".into(),
            found: shape.clone(),
        });
    }
    if dims[0] != classes.len() {
        return Err(Error::CountMismatch {
            context,
            left: dims[0],
            left_what: "rows",
            right: classes.len(),
            right_what: "classes",
        });
    }
    for (row, &c) in classes.iter().enumerate() {
        check_label(context, row, c as f64, dims[1])?;
    }
    Ok(())
}

/// `−log_probs[i, class_i]` for classes already checked.
fn pick<'t, F: Float>(log_probs: TensorVar<'t, F>, classes: &[usize]) -> TensorVar<'t, F> {
    let picked = log_probs.gather(1, classes, &Shape::from([classes.len(), 1]));
    -picked.reshape([classes.len()])
}

/// The max-margin (hinge) loss of scores against labels in `{−1, +1}`, per element:
/// `max(0, 1 − d s)` (the tensor form of [`hinge`]).
///
/// ```
/// use autograd::{Tape, Tensor};
/// let tape = Tape::new();
/// let s = tape.tensor(Tensor::<f64>::from_vec(vec![2.0, 0.25, 0.5], [3]).unwrap());
/// let d = tape.constant_tensor(Tensor::<f64>::from_vec(vec![1.0, 1.0, -1.0], [3]).unwrap());
/// assert_eq!(nn::losses::max_margin(s, d).value().to_vec(), vec![0.0, 0.75, 1.5]);
/// ```
#[track_caller]
pub fn max_margin<'t, F: Float>(
    scores: TensorVar<'t, F>,
    labels: TensorVar<'t, F>,
) -> TensorVar<'t, F> {
    same_shape("max_margin", scores, labels);
    (1.0 - labels * scores).relu()
}

/// Panics naming both shapes unless they are equal (losses do not broadcast silently).
#[track_caller]
fn same_shape<F: Float>(op: &str, a: TensorVar<'_, F>, b: TensorVar<'_, F>) {
    let (a, b) = (a.shape(), b.shape());
    assert!(a == b, "{op}: shape mismatch: output {a}, target {b}");
}

#[cfg(test)]
mod tests {
    use super::*;
    use autograd::{Tape, Tensor};

    use autograd::{GradCheck, check_tensor_gradients, tensor_function};

    #[test]
    fn cross_entropy_gradient_is_softmax_minus_one_hot_and_the_forms_agree() {
        let tape = Tape::new();
        let raw = Tensor::<f64>::from_vec(vec![0.5, -1.0, 2.0, 0.0, 0.3, -0.7], [2, 3]).unwrap();
        let z = tape.tensor(raw.clone());
        let by_index = cross_entropy(z, &[2, 1]);
        let targets = tape.constant_tensor(crate::data::one_hot(&[2, 1], 3));
        let by_one_hot = cross_entropy_one_hot(z, targets);
        assert_eq!(by_index.value().to_vec(), by_one_hot.value().to_vec());
        let grad = by_index.sum().backward().wrt(z);
        let p = crate::softmax::softmax(z, 1).value();
        let onehot = crate::data::one_hot::<f64>(&[2, 1], 3);
        for (k, g) in grad.as_slice().iter().enumerate() {
            assert!((g - (p.as_slice()[k] - onehot.as_slice()[k])).abs() < 1e-12);
        }
    }

    #[test]
    fn every_tensor_loss_passes_the_gradient_check() {
        let z = Tensor::<f64>::from_vec(vec![0.4, -1.3, 2.2, 0.1, -0.6, 0.9], [2, 3]).unwrap();
        let p = z.map(|v| 1.0 / (1.0 + (-v).exp()));
        let d = Tensor::<f64>::from_vec(vec![1.0, 0.0, 0.0, 0.0, 1.0, 1.0], [2, 3]).unwrap();
        let signs = d.map(|v| 2.0 * v - 1.0);
        let c = GradCheck::default();
        fn target<'t>(v: &[TensorVar<'t, f64>], t: &Tensor<f64>) -> TensorVar<'t, f64> {
            v[0].tape().constant_tensor(t.clone())
        }
        let check = |name: &str, f: &dyn Fn(&[Tensor<f64>]) -> autograd::Result<autograd::GradCheckReport>| {
            let report = f(std::slice::from_ref(&z)).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(report.compared() + report.near_kink(), 6, "{name}");
        };
        check("l2", &|x| {
            check_tensor_gradients(
                |v| empirical_risk(l2_divergence(v[0], target(v, &d))),
                x,
                &c,
            )
        });
        check("mse", &|x| {
            check_tensor_gradients(|v| mse(v[0], target(v, &d)), x, &c)
        });
        check("bce logits", &|x| {
            check_tensor_gradients(
                |v| binary_cross_entropy_with_logits(v[0], target(v, &d)).mean(),
                x,
                &c,
            )
        });
        check("ce", &|x| {
            check_tensor_gradients(|v| empirical_risk(cross_entropy(v[0], &[0, 2])), x, &c)
        });
        check("ce one-hot", &|x| {
            check_tensor_gradients(
                |v| empirical_risk(cross_entropy_one_hot(v[0], target(v, &d) * 0.5)),
                x,
                &c,
            )
        });
        check("max margin", &|x| {
            check_tensor_gradients(|v| max_margin(v[0], target(v, &signs)).mean(), x, &c)
        });
        let bce = tensor_function(|v| binary_cross_entropy(v[0], target(v, &d)).mean());
        check_tensor_gradients(bce, &[p], &c).unwrap();
    }

    #[test]
    #[should_panic(expected = "mse: shape mismatch: output [2], target [3]")]
    fn losses_refuse_mismatched_shapes() {
        let tape = Tape::new();
        let _ = mse(
            tape.tensor(Tensor::<f64>::zeros([2])),
            tape.tensor(Tensor::<f64>::zeros([3])),
        );
    }

    #[test]
    #[should_panic(expected = "2 scores but 1 labels")]
    fn mismatched_lengths_are_named() {
        let _ = mean_hinge(&[1.0, 2.0], &[1.0]);
    }

    #[test]
    fn hinge_gradient_is_minus_the_label_inside_the_margin() {
        let tape = Tape::new();
        let s = tape.var(0.25);
        // Div = 1 - d·s = 0.75, dDiv/ds = -d = -1
        let loss = hinge(s, 1.0);
        assert_eq!(loss.value(), 0.75);
        assert_eq!(loss.backward().wrt(s), -1.0);
        // outside the margin nothing flows back
        let s = tape.var(3.0);
        assert_eq!(hinge(s, 1.0).backward().wrt(s), 0.0);
    }
}
