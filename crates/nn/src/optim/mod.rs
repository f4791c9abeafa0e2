//! Optimisers: they update parameters in place from their gradients.
//!
//! Record the parameters on a tape each step, ask the gradient store for their gradients,
//! and hand the [`Parameters`] and the gradients (in the same order) to
//! [`Optimizer::step`]. An optimiser with per-parameter state (Adam's moments, momentum's
//! velocities) ties that state to the store it first stepped: another store, or a store whose
//! parameters changed in number or shape, is an error ([`Error::OptimizerState`]), never
//! stale moments; [`Adam::reset`] and [`Sgd::reset`] start afresh. Options are checked on
//! every step: a learning rate, beta, epsilon, momentum or weight decay that is negative or
//! not finite is an error naming it ([`Error::BadOption`]), before anything is changed.
//!
//! ```
//! use autograd::{Tape, Tensor};
//! use nn::Parameters;
//! use nn::optim::{Optimizer, Sgd};
//!
//! // minimise f(w) = Σ (w − 3)² by gradient descent
//! let mut params = Parameters::new();
//! let w = params.add("w", Tensor::<f64>::zeros([2]));
//! let mut sgd = Sgd::new(0.1);
//! let mut tape = Tape::new();
//! for _ in 0..100 {
//!     tape.clear();
//!     let p = params.record(&tape);
//!     let grads = (p.get(w) - 3.0).powi(2).sum().backward();
//!     sgd.try_step(&mut params, &p.gradients(&grads)).unwrap();
//! }
//! assert!(params.get(w).as_slice().iter().all(|w| (w - 3.0).abs() < 1e-6));
//! ```

mod adam;
mod checks;
mod clip;
mod schedule;
mod sgd;

use autograd::OrPanic;
use autograd::{Float, Tensor};

pub use adam::Adam;
pub use clip::{clip_grad_norm, try_clip_grad_norm};
pub use schedule::{Schedule, StoppingRule};
pub use sgd::Sgd;

use crate::error::{Error, Result};
use crate::module::Parameters;

/// A rule that updates parameters from their gradients.
///
/// ```
/// use autograd::Tensor;
/// use nn::Parameters;
/// use nn::optim::{Optimizer, Sgd};
/// let mut params = Parameters::new();
/// let w = params.add("w", Tensor::<f64>::ones([1]));
/// let mut opt: Box<dyn Optimizer<f64>> = Box::new(Sgd::new(0.5));
/// opt.try_step(&mut params, &[Tensor::ones([1])]).unwrap();
/// assert_eq!(params.get(w).to_vec(), vec![0.5]);
/// ```
pub trait Optimizer<F: Float> {
    /// One update of every parameter from its gradient (same order, same shapes). An error,
    /// with nothing changed, if the gradients do not fit the parameters (their count or a
    /// shape), an option is out of range, or the optimiser's state was made for other
    /// parameters.
    fn try_step(&mut self, params: &mut Parameters<F>, grads: &[Tensor<F>]) -> Result<()>;

    /// [`try_step`](Self::try_step) that panics with the same message.
    #[track_caller]
    fn step(&mut self, params: &mut Parameters<F>, grads: &[Tensor<F>]) {
        self.try_step(params, grads).or_panic()
    }
}

/// An error naming the mismatch unless every gradient fits its parameter.
fn check_pairs<F: Float>(
    optimizer: &'static str,
    params: &Parameters<F>,
    grads: &[Tensor<F>],
) -> Result<()> {
    if params.len() != grads.len() {
        return Err(Error::CountMismatch {
            context: optimizer,
            left: params.len(),
            left_what: "parameters",
            right: grads.len(),
            right_what: "gradients",
        });
    }
    let named = params.names().iter().zip(params.tensors());
    for ((name, p), g) in named.zip(grads) {
        if p.shape() != g.shape() {
            return Err(Error::GradientShape {
                name: name.clone(),
                param: p.shape().clone(),
                grad: g.shape().clone(),
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ParamId;
    use autograd::Tape;

    /// A store of one parameter `w` of one element.
    fn one(x: f64) -> (Parameters<f64>, ParamId) {
        let mut params = Parameters::new();
        let w = params.add("w", scalar(x));
        (params, w)
    }

    fn scalar(x: f64) -> Tensor<f64> {
        Tensor::from_vec(vec![x], [1]).unwrap()
    }

    #[test]
    fn nesterov_looks_ahead() {
        // g = 1 each step, μ = 0.5, η = 1: v = 1, d = 1 + 0.5 = 1.5; v = 1.5, d = 1 + 0.75
        let (mut params, w) = one(0.0);
        let mut sgd = Sgd::new(1.0).with_nesterov(0.5);
        sgd.step(&mut params, &[scalar(1.0)]);
        assert_eq!(params.get(w).as_slice()[0], -1.5);
        sgd.step(&mut params, &[scalar(1.0)]);
        assert_eq!(params.get(w).as_slice()[0], -3.25);
    }

    #[test]
    fn adam_matches_its_formula_over_several_steps() {
        let (lr, b1, b2, eps) = (0.1, 0.9, 0.999, 1e-8);
        let grads = [0.5, -1.0, 2.0, 0.25];
        let (mut params, w) = one(1.0);
        let mut adam = Adam::new(lr);
        let (mut m, mut v, mut expected) = (0.0f64, 0.0f64, 1.0f64);
        for (t, &g) in grads.iter().enumerate() {
            adam.step(&mut params, &[scalar(g)]);
            m = b1 * m + (1.0 - b1) * g;
            v = b2 * v + (1.0 - b2) * g * g;
            let (m_hat, v_hat) = (
                m / (1.0 - b1.powi(t as i32 + 1)),
                v / (1.0 - b2.powi(t as i32 + 1)),
            );
            expected -= lr * m_hat / (v_hat.sqrt() + eps);
            assert!(
                (params.get(w).as_slice()[0] - expected).abs() < 1e-12,
                "step {t}"
            );
        }
    }

    #[test]
    fn adamw_decays_weights_even_without_gradient() {
        let (mut params, w) = one(2.0);
        Adam::adamw(0.1, 0.5).step(&mut params, &[scalar(0.0)]);
        // w ← w − η λ w = 2 − 0.1
        assert!((params.get(w).as_slice()[0] - 1.9).abs() < 1e-12);
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
            let mut params = Parameters::new();
            let w = params.add("w", Tensor::<f64>::zeros([2]));
            let mut tape = Tape::new();
            for _ in 0..steps {
                tape.clear();
                let p = params.record(&tape);
                let c = tape.constant_tensor(Tensor::from_vec(c.to_vec(), [2]).unwrap());
                let t = tape.constant_tensor(Tensor::from_vec(target.to_vec(), [2]).unwrap());
                let grads = ((p.get(w) - t).powi(2) * c).sum().backward();
                optimiser.step(&mut params, &p.gradients(&grads));
            }
            for (w, t) in params.get(w).as_slice().iter().zip(target) {
                assert!((w - t).abs() < 1e-3, "{name}: {w} vs {t}");
            }
        }
    }

    #[test]
    #[should_panic(expected = "optimiser: parameter w has shape [1], its gradient [3]")]
    fn mismatched_gradients_are_named() {
        Sgd::new(0.1).step(&mut one(0.0).0, &[Tensor::zeros([3])]);
    }

    #[test]
    fn nothing_changes_when_a_step_is_refused() {
        let (mut params, w) = one(1.0);
        let mut adam = Adam::new(0.1);
        assert!(adam.try_step(&mut params, &[]).is_err());
        assert!(adam.try_step(&mut params, &[Tensor::zeros([2])]).is_err());
        assert_eq!(params.get(w).as_slice()[0], 1.0);
        // the refused steps neither made state nor counted: the first real step is step 1
        adam.step(&mut params, &[scalar(1.0)]);
        assert!((params.get(w).as_slice()[0] - 0.9).abs() < 1e-6);
    }
}
