//! Binary cross-entropy at the edges, in f32 and f64: probabilities of exactly 0 and 1 (an
//! f32 sigmoid is exactly 1 above about 17) and logits of ±∞. The loss follows PyTorch (each
//! log clamped at −100; BCEWithLogits is 0 on the right side of ±∞ and ∞ on the wrong one);
//! every gradient is exactly the derivative of that expression, and never NaN.

use autograd::{Float, Tape, Tensor};
use nn::losses::{binary_cross_entropy, binary_cross_entropy_with_logits};

const INF: f64 = f64::INFINITY;

/// The per-element loss and its gradient with respect to the first argument.
fn loss_and_gradient<F: Float>(
    loss: for<'t> fn(
        autograd::TensorVar<'t, F>,
        autograd::TensorVar<'t, F>,
    ) -> autograd::TensorVar<'t, F>,
    x: &[f64],
    d: &[f64],
    through_sigmoid: bool,
) -> (Vec<f64>, Vec<f64>) {
    let tensor = |v: &[f64]| {
        Tensor::<F>::from_vec(v.iter().map(|&v| F::from_f64(v)).collect(), [v.len()]).unwrap()
    };
    let tape = Tape::new();
    let input = tape.tensor(tensor(x));
    let first = if through_sigmoid {
        input.sigmoid()
    } else {
        input
    };
    let per_element = loss(first, tape.constant_tensor(tensor(d)));
    let gradient = per_element.sum().backward().wrt(input);
    let wide = |t: Tensor<F>| t.as_slice().iter().map(|v| v.to_f64()).collect::<Vec<_>>();
    (wide(per_element.value()), wide(gradient))
}

/// Exact equality (infinities included), and every gradient finite.
fn check(name: &str, (loss, grad): (Vec<f64>, Vec<f64>), expected: &[(f64, f64)]) {
    for (i, &(l, g)) in expected.iter().enumerate() {
        assert_eq!(loss[i], l, "{name}: loss of case {i}");
        assert_eq!(grad[i], g, "{name}: gradient of case {i}");
        assert!(grad[i].is_finite(), "{name}: gradient of case {i}");
    }
}

fn probabilities<F: Float>() {
    // (p, d): p = d = 1 and p = d = 0 are right (loss 0, slope ∓1 of −ln p, −ln(1 − p));
    // p = 0, d = 1 and p = 1, d = 0 are clamped (loss 100, slope 0); a soft target at p = 1
    // keeps the unclamped term's slope only
    let p = [1.0, 0.0, 0.0, 1.0, 0.5, 1.0];
    let d = [1.0, 0.0, 1.0, 0.0, 1.0, 0.5];
    let expected = [
        (0.0, -1.0),
        (0.0, 1.0),
        (100.0, 0.0),
        (100.0, 0.0),
        (0.0, -2.0),
        (50.0, -0.5),
    ];
    let (mut loss, grad) = loss_and_gradient::<F>(binary_cross_entropy, &p, &d, false);
    assert!((loss[4] - 2f64.ln()).abs() < 1e-6, "{}: ln 2", F::NAME);
    loss[4] = 0.0;
    check(F::NAME, (loss, grad), &expected);
}

fn probabilities_from_saturated_sigmoids<F: Float>() {
    // σ(40) is exactly 1 and σ(−1000) exactly 0 in both types: the gradient with respect to
    // the logit is 0 (σ' = 0 there), as in PyTorch, never NaN
    let z = [40.0, -1000.0, -1000.0, 40.0];
    let d = [1.0, 0.0, 1.0, 0.0];
    let expected = [(0.0, 0.0), (0.0, 0.0), (100.0, 0.0), (100.0, 0.0)];
    let result = loss_and_gradient::<F>(binary_cross_entropy, &z, &d, true);
    check(F::NAME, result, &expected);
}

fn logits<F: Float>() {
    // (z, d): the gradient is σ(z) − d, also at ±∞
    let z = [INF, INF, -INF, -INF, INF, 0.0];
    let d = [1.0, 0.0, 0.0, 1.0, 0.5, 1.0];
    let expected = [
        (0.0, 0.0),
        (INF, 1.0),
        (0.0, 0.0),
        (INF, -1.0),
        (INF, 0.5),
        (0.0, -0.5),
    ];
    let (mut loss, grad) = loss_and_gradient::<F>(binary_cross_entropy_with_logits, &z, &d, false);
    assert!((loss[5] - 2f64.ln()).abs() < 1e-6, "{}: ln 2", F::NAME);
    loss[5] = 0.0;
    check(F::NAME, (loss, grad), &expected);
}

#[test]
fn bce_of_probabilities_at_0_and_1() {
    probabilities::<f32>();
    probabilities::<f64>();
}

#[test]
fn bce_of_saturated_sigmoids() {
    probabilities_from_saturated_sigmoids::<f32>();
    probabilities_from_saturated_sigmoids::<f64>();
}

#[test]
fn bce_with_logits_at_infinity() {
    logits::<f32>();
    logits::<f64>();
}

#[test]
fn a_probability_outside_0_1_or_nan_gives_nan() {
    let (loss, _) = loss_and_gradient::<f64>(
        binary_cross_entropy,
        &[1.5, -0.5, f64::NAN],
        &[1.0, 0.0, 1.0],
        false,
    );
    assert!(loss.iter().all(|l| l.is_nan()), "{loss:?}");
}
