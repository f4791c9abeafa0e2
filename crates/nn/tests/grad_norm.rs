//! The gradient norm of `clip_grad_norm` against an f64 reference: f32 gradients of a large
//! model lose nothing to an f32 running sum, and f64 gradients whose squares overflow (or
//! underflow) still have a norm. Written against the API that existed before, so that the
//! overflow test failed there (the norm was ∞ and the gradients were zeroed).

use autograd::Tensor;
use nn::optim::clip_grad_norm;
use rand::{Rng, SeedableRng, rngs::StdRng};

/// Σ x² in f64, compensated (Neumaier): the reference, exact to a few f64 roundings.
fn reference(values: impl Iterator<Item = f64>) -> f64 {
    let (mut sum, mut carry) = (0.0f64, 0.0f64);
    for v in values {
        let square = v * v;
        let t = sum + square;
        carry += if sum.abs() >= square {
            (sum - t) + square
        } else {
            (square - t) + sum
        };
        sum = t;
    }
    (sum + carry).sqrt()
}

#[test]
fn f32_gradients_of_a_large_model_match_an_f64_reference() {
    // one large gradient, then a million small ones: an f32 running sum of squares stops
    // growing after the first (1e8 + 0.01 rounds to 1e8), losing 5e-5 of the norm
    let mut rng = StdRng::seed_from_u64(3);
    let mut small: Vec<f32> = (0..1_000_000)
        .map(|_| rng.random_range(-0.2f32..0.2))
        .collect();
    small[0] = 1e4;
    let grads = vec![
        Tensor::from_vec(small, [1000, 1000]).unwrap(),
        Tensor::<f32>::from_vec((0..4096).map(|i| (i as f32).sin()).collect(), [4096]).unwrap(),
    ];
    let exact = reference(
        grads
            .iter()
            .flat_map(|g| g.as_slice())
            .map(|&x| f64::from(x)),
    );
    let norm = clip_grad_norm(&mut grads.clone(), f64::MAX); // measured, not clipped
    assert!((norm - exact).abs() / exact < 1e-13, "{norm} vs {exact}");
}

#[test]
fn f64_gradients_whose_squares_overflow_or_underflow_have_a_norm() {
    for scale in [1e200, 1e-200] {
        let values: Vec<f64> = (1..=1000).map(|i| scale * (i as f64).cos()).collect();
        let exact = scale * reference(values.iter().map(|v| v / scale));
        let mut grads = vec![Tensor::from_vec(values, [1000]).unwrap()];
        let norm = clip_grad_norm(&mut grads, 1.0);
        assert!((norm - exact).abs() / exact < 1e-13, "{norm} vs {exact}");
        if scale > 1.0 {
            let clipped = reference(grads[0].as_slice().iter().copied());
            assert!((clipped - 1.0).abs() < 1e-13, "clipped to norm {clipped}");
        }
    }
}
