//! [`Dropout`]: inverted dropout, seeded. In training each element is kept with probability
//! `1 − p` and scaled by `1 / (1 − p)` (so evaluation needs no rescaling), zeroed otherwise;
//! in evaluation it is the identity. The mask is a constant tensor on the tape: the gradient
//! is the same mask, from autograd's multiplication rule.

use std::sync::atomic::{AtomicU64, Ordering};

use autograd::{Float, Tensor, TensorVar};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::module::{Bound, Module, Parameters};

/// Inverted dropout with drop probability `p` (PyTorch's `nn.Dropout`), its masks drawn from
/// a generator seeded by `seed` and the number of training passes so far: two runs with the
/// same seed drop the same elements.
///
/// ```
/// use autograd::{Tape, Tensor};
/// use nn::{Dropout, Mode, Module, Parameters};
///
/// let dropout = Dropout::new(0.5, 7);
/// let params = Parameters::<f64>::new();
/// let tape = Tape::new();
/// let x = tape.constant_tensor(Tensor::ones([1000]));
/// let kept = dropout.forward(&params.record(&tape), x).value().to_vec();
/// // each element 0 or 2 (kept and scaled by 1 / (1 − 0.5)), about half of each
/// assert!(kept.iter().all(|&v| v == 0.0 || v == 2.0));
/// let mean = kept.iter().sum::<f64>() / 1000.0;
/// assert!((mean - 1.0).abs() < 0.1);
/// // evaluation: the identity
/// let same = dropout.forward(&params.record_for(&tape, Mode::Eval), x);
/// assert_eq!(same.value().to_vec(), vec![1.0; 1000]);
/// ```
#[derive(Debug)]
pub struct Dropout {
    p: f64,
    seed: u64,
    passes: AtomicU64,
}

impl Dropout {
    /// Dropout of probability `p`, seeded.
    ///
    /// # Panics
    /// If `p` is not in `[0, 1)` (1 would drop everything and scale by infinity).
    ///
    /// ```
    /// assert_eq!(nn::Dropout::new(0.25, 0).p(), 0.25);
    /// ```
    #[track_caller]
    pub fn new(p: f64, seed: u64) -> Self {
        assert!(
            (0.0..1.0).contains(&p),
            "Dropout: p = {p}, but it must be in [0, 1)"
        );
        Dropout {
            p,
            seed,
            passes: AtomicU64::new(0),
        }
    }

    /// The drop probability.
    ///
    /// ```
    /// assert_eq!(nn::Dropout::new(0.1, 0).p(), 0.1);
    /// ```
    pub fn p(&self) -> f64 {
        self.p
    }
}

impl<F: Float> Module<F> for Dropout {
    #[track_caller]
    fn forward<'t>(&self, p: &Bound<'t, F>, x: TensorVar<'t, F>) -> TensorVar<'t, F> {
        if !p.is_training() || self.p == 0.0 {
            return x;
        }
        let pass = self.passes.fetch_add(1, Ordering::Relaxed);
        // a stream per pass, from the seed and the pass number (SplitMix-style mixing)
        let mut rng = StdRng::seed_from_u64(self.seed ^ pass.wrapping_mul(0x9E37_79B9_7F4A_7C15));
        let scale = F::from_f64(1.0 / (1.0 - self.p));
        let mask = Tensor::<F>::from_fn(x.shape(), |_| {
            if rng.random::<f64>() < self.p {
                F::ZERO
            } else {
                scale
            }
        });
        x * x.tape().constant_tensor(mask)
    }

    fn param_count(&self, _: &Parameters<F>) -> Option<usize> {
        Some(0)
    }
}
