//! Optimisers: they update parameters in place from their gradients.
//!
//! Parameters and gradients are plain tensors, in the same order: record the parameters on
//! a tape each step, ask the gradient store for their gradients, and hand both to
//! [`Optimizer::step`].
//!
//! ```
//! use autograd::{Tape, Tensor};
//! use nn::optim::{Optimizer, Sgd};
//!
//! // minimise f(w) = Σ (w − 3)² by gradient descent
//! let mut params = vec![Tensor::<f64>::zeros([2])];
//! let mut sgd = Sgd::new(0.1);
//! for _ in 0..100 {
//!     let tape = Tape::new();
//!     let w = tape.tensor(params[0].clone());
//!     let grads = (w - 3.0).powi(2).sum().backward();
//!     sgd.step(&mut params, &[grads.wrt(w)]);
//! }
//! assert!(params[0].as_slice().iter().all(|w| (w - 3.0).abs() < 1e-6));
//! ```

mod adam;
mod schedule;
mod sgd;

use autograd::{Float, Tensor};

pub use adam::Adam;
pub use schedule::{Schedule, StoppingRule};
pub use sgd::Sgd;

/// A rule that updates parameters from their gradients.
///
/// ```
/// use autograd::Tensor;
/// use nn::optim::{Optimizer, Sgd};
/// let mut w = vec![Tensor::<f64>::ones([1])];
/// let mut opt: Box<dyn Optimizer<f64>> = Box::new(Sgd::new(0.5));
/// opt.step(&mut w, &[Tensor::ones([1])]);
/// assert_eq!(w[0].to_vec(), vec![0.5]);
/// ```
pub trait Optimizer<F: Float> {
    /// One update of every parameter from its gradient (same order, same shapes).
    ///
    /// # Panics
    /// If the counts or the shapes of `params` and `grads` differ.
    fn step(&mut self, params: &mut [Tensor<F>], grads: &[Tensor<F>]);
}

/// Panics naming the mismatch unless every gradient fits its parameter.
#[track_caller]
fn check_pairs<F: Float>(params: &[Tensor<F>], grads: &[Tensor<F>]) {
    assert_eq!(
        params.len(),
        grads.len(),
        "optimiser: {} parameters but {} gradients",
        params.len(),
        grads.len()
    );
    for (i, (p, g)) in params.iter().zip(grads).enumerate() {
        assert_eq!(
            p.shape(),
            g.shape(),
            "optimiser: parameter {i} has shape {}, its gradient {}",
            p.shape(),
            g.shape()
        );
    }
}

/// Scales the gradients in place so that their joint L2 norm is at most `max_norm`, and
/// returns the norm they had (PyTorch's `clip_grad_norm_`).
///
/// ```
/// use autograd::Tensor;
/// let mut grads = vec![Tensor::<f64>::from_vec(vec![3.0, 4.0], [2]).unwrap()];
/// let norm = nn::optim::clip_grad_norm(&mut grads, 1.0);
/// assert_eq!(norm, 5.0);
/// let clipped = grads[0].to_vec();
/// assert!((clipped[0] - 0.6).abs() < 1e-15 && (clipped[1] - 0.8).abs() < 1e-15);
/// ```
pub fn clip_grad_norm<F: Float>(grads: &mut [Tensor<F>], max_norm: f64) -> f64 {
    let norm = grads
        .iter()
        .flat_map(|g| g.as_slice())
        .map(|x| x.to_f64().powi(2))
        .sum::<f64>()
        .sqrt();
    if norm > max_norm {
        let scale = F::from_f64(max_norm / norm);
        for g in grads.iter_mut() {
            for x in g.as_mut_slice() {
                *x *= scale;
            }
        }
    }
    norm
}

#[cfg(test)]
mod tests {
    use super::*;
    use autograd::Tape;

    fn scalar(x: f64) -> Tensor<f64> {
        Tensor::from_vec(vec![x], [1]).unwrap()
    }

    #[test]
    fn nesterov_looks_ahead() {
        // g = 1 each step, μ = 0.5, η = 1: v = 1, d = 1 + 0.5 = 1.5; v = 1.5, d = 1 + 0.75
        let mut w = vec![scalar(0.0)];
        let mut sgd = Sgd::new(1.0).with_nesterov(0.5);
        sgd.step(&mut w, &[scalar(1.0)]);
        assert_eq!(w[0].as_slice()[0], -1.5);
        sgd.step(&mut w, &[scalar(1.0)]);
        assert_eq!(w[0].as_slice()[0], -3.25);
    }

    #[test]
    fn adam_matches_its_formula_over_several_steps() {
        let (lr, b1, b2, eps) = (0.1, 0.9, 0.999, 1e-8);
        let grads = [0.5, -1.0, 2.0, 0.25];
        let mut w = vec![scalar(1.0)];
        let mut adam = Adam::new(lr);
        let (mut m, mut v, mut expected) = (0.0f64, 0.0f64, 1.0f64);
        for (t, &g) in grads.iter().enumerate() {
            adam.step(&mut w, &[scalar(g)]);
            m = b1 * m + (1.0 - b1) * g;
            v = b2 * v + (1.0 - b2) * g * g;
            let (m_hat, v_hat) = (
                m / (1.0 - b1.powi(t as i32 + 1)),
                v / (1.0 - b2.powi(t as i32 + 1)),
            );
            expected -= lr * m_hat / (v_hat.sqrt() + eps);
            assert!((w[0].as_slice()[0] - expected).abs() < 1e-12, "step {t}");
        }
    }

    #[test]
    fn adamw_decays_weights_even_without_gradient() {
        let mut w = vec![scalar(2.0)];
        Adam::adamw(0.1, 0.5).step(&mut w, &[scalar(0.0)]);
        // w ← w − η λ w = 2 − 0.1
        assert!((w[0].as_slice()[0] - 1.9).abs() < 1e-12);
    }

    #[test]
    fn every_optimiser_minimises_a_quadratic() {
        // f(w) = Σ c_i (w_i − t_i)², badly scaled
        let (c, target) = ([1.0, 10.0], [3.0, -1.0]);
        let optimisers: Vec<(&str, Box<dyn Optimizer<f64>>, usize)> = vec![
            ("sgd", Box::new(Sgd::new(0.04)), 500),
            ("momentum", Box::new(Sgd::new(0.02).with_momentum(0.9)), 500),
            ("nesterov", Box::new(Sgd::new(0.02).with_nesterov(0.9)), 500),
            ("adam", Box::new(Adam::new(0.05)), 2000),
        ];
        for (name, mut optimiser, steps) in optimisers {
            let mut params = vec![Tensor::<f64>::zeros([2])];
            for _ in 0..steps {
                let tape = Tape::new();
                let w = tape.tensor(params[0].clone());
                let c = tape.constant_tensor(Tensor::from_vec(c.to_vec(), [2]).unwrap());
                let t = tape.constant_tensor(Tensor::from_vec(target.to_vec(), [2]).unwrap());
                let grads = ((w - t).powi(2) * c).sum().backward();
                optimiser.step(&mut params, &[grads.wrt(w)]);
            }
            for (w, t) in params[0].as_slice().iter().zip(target) {
                assert!((w - t).abs() < 1e-3, "{name}: {w} vs {t}");
            }
        }
    }

    #[test]
    #[should_panic(expected = "parameter 0 has shape [2], its gradient [3]")]
    fn mismatched_gradients_are_named() {
        Sgd::new(0.1).step(&mut [Tensor::<f64>::zeros([2])], &[Tensor::zeros([3])]);
    }

    #[test]
    fn clipping_leaves_small_gradients_alone() {
        let mut grads = vec![scalar(0.3)];
        assert_eq!(clip_grad_norm(&mut grads, 1.0), 0.3);
        assert_eq!(grads[0].as_slice()[0], 0.3);
    }
}
