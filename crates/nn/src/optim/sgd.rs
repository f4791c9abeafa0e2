//! Stochastic gradient descent, with momentum, Nesterov's lookahead and weight decay.

use autograd::{Float, Tensor};

use super::checks::{Owner, non_negative};
use super::{Optimizer, Schedule, check_pairs};
use crate::error::Result;
use crate::module::Parameters;

/// SGD: `w ← w − η^t d`, where (with `g` the gradient plus `λ w` for weight decay `λ`)
/// `v ← μ v + g` and `d = v` (momentum), `d = g + μ v` (Nesterov) or `d = g` (`μ = 0`), as
/// PyTorch's `SGD`.
///
/// With momentum, the velocities belong to the parameter set of the first step; another set
/// is an error (see [`optim`](crate::optim)). Each step checks `η^t ≥ 0`, `μ ≥ 0` and
/// `λ ≥ 0` (all finite).
///
/// ```
/// use autograd::Tensor;
/// use nn::Parameters;
/// use nn::optim::{Optimizer, Sgd};
///
/// let mut params = Parameters::new();
/// let w = params.add("w", Tensor::<f64>::ones([1]));
/// let g = vec![Tensor::<f64>::from_vec(vec![2.0], [1]).unwrap()];
/// let mut sgd = Sgd::new(0.1).with_momentum(0.9);
/// sgd.try_step(&mut params, &g).unwrap(); // v = 2, w = 1 − 0.2
/// sgd.try_step(&mut params, &g).unwrap(); // v = 0.9·2 + 2 = 3.8, w = 0.8 − 0.38
/// assert!((params.get(w).as_slice()[0] - 0.42).abs() < 1e-12);
/// ```
#[derive(Debug, Clone)]
pub struct Sgd<F: Float> {
    schedule: Schedule,
    momentum: f64,
    nesterov: bool,
    weight_decay: f64,
    owner: Owner,
    velocity: Vec<Tensor<F>>,
    t: usize,
}

impl<F: Float> Sgd<F> {
    /// Plain gradient descent with a constant learning rate, an `f32` or an `f64` (kept as
    /// `f64`).
    ///
    /// ```
    /// let sgd = nn::optim::Sgd::<f32>::new(0.01);
    /// assert_eq!(sgd.learning_rate(), 0.01);
    /// let lr: f32 = 0.25;
    /// assert_eq!(nn::optim::Sgd::<f32>::new(lr).learning_rate(), 0.25);
    /// ```
    pub fn new(learning_rate: impl Into<f64>) -> Self {
        Self::with_schedule(Schedule::Constant(learning_rate.into()))
    }

    /// Gradient descent with the learning rate `η^t` of a schedule.
    ///
    /// ```
    /// use nn::optim::{Schedule, Sgd};
    /// let sgd = Sgd::<f64>::with_schedule(Schedule::Exponential { initial: 1.0, gamma: 0.5 });
    /// assert_eq!(sgd.learning_rate(), 1.0);
    /// ```
    pub fn with_schedule(schedule: Schedule) -> Self {
        Sgd {
            schedule,
            momentum: 0.0,
            nesterov: false,
            weight_decay: 0.0,
            owner: Owner::default(),
            velocity: Vec::new(),
            t: 0,
        }
    }

    /// With momentum `μ` (typically 0.9).
    ///
    /// ```
    /// let sgd = nn::optim::Sgd::<f64>::new(0.1).with_momentum(0.9);
    /// ```
    pub fn with_momentum(mut self, momentum: f64) -> Self {
        self.momentum = momentum;
        self
    }

    /// With Nesterov momentum `μ`: the step looks ahead along the velocity.
    ///
    /// ```
    /// let sgd = nn::optim::Sgd::<f64>::new(0.1).with_nesterov(0.9);
    /// ```
    pub fn with_nesterov(mut self, momentum: f64) -> Self {
        self.momentum = momentum;
        self.nesterov = true;
        self
    }

    /// With L2 weight decay `λ`: the gradient of `½ λ ‖w‖²` is added to every gradient.
    ///
    /// ```
    /// let sgd = nn::optim::Sgd::<f64>::new(0.1).with_weight_decay(1e-4);
    /// ```
    pub fn with_weight_decay(mut self, weight_decay: f64) -> Self {
        self.weight_decay = weight_decay;
        self
    }

    /// The learning rate the next step will use.
    ///
    /// ```
    /// use nn::optim::{Optimizer, Schedule, Sgd};
    /// use autograd::Tensor;
    /// let mut params = nn::Parameters::new();
    /// params.add("w", Tensor::zeros([1]));
    /// let mut sgd = Sgd::<f64>::with_schedule(Schedule::InverseTime { initial: 1.0, decay: 1.0 });
    /// sgd.try_step(&mut params, &[Tensor::zeros([1])]).unwrap();
    /// assert_eq!(sgd.learning_rate(), 0.5);
    /// ```
    pub fn learning_rate(&self) -> f64 {
        self.schedule.rate(self.t)
    }

    /// Forgets the velocities and the step count, so that the next step starts afresh (on
    /// any parameters).
    ///
    /// ```
    /// use autograd::Tensor;
    /// use nn::{Parameters, optim::{Optimizer, Sgd}};
    /// let (mut a, mut b) = (Parameters::new(), Parameters::new());
    /// a.add("w", Tensor::<f64>::zeros([2]));
    /// b.add("w", Tensor::<f64>::zeros([2]));
    /// let mut sgd = Sgd::new(0.1).with_momentum(0.9);
    /// sgd.try_step(&mut a, &[Tensor::ones([2])]).unwrap();
    /// assert!(sgd.try_step(&mut b, &[Tensor::ones([2])]).is_err()); // a's velocities
    /// sgd.reset();
    /// sgd.try_step(&mut b, &[Tensor::ones([2])]).unwrap();
    /// ```
    pub fn reset(&mut self) {
        self.owner = Owner::default();
        self.velocity.clear();
        self.t = 0;
    }
}

impl<F: Float> Optimizer<F> for Sgd<F> {
    fn try_step(&mut self, params: &mut Parameters<F>, grads: &[Tensor<F>]) -> Result<()> {
        check_pairs("Sgd", params, grads)?;
        non_negative("Sgd", "learning rate", self.learning_rate())?;
        non_negative("Sgd", "momentum", self.momentum)?;
        non_negative("Sgd", "weight decay", self.weight_decay)?;
        let lr = F::from_f64(self.learning_rate());
        let (mu, decay) = (F::from_f64(self.momentum), F::from_f64(self.weight_decay));
        if self.momentum == 0.0 {
            // plain SGD: no velocity to read or write (the step is memory-bound), no state
            // to tie to these parameters
            let (tensors, trainable) = params.tensors_and_trainable_mut();
            for ((w, g), &trained) in tensors.iter_mut().zip(grads).zip(trainable) {
                if !trained {
                    continue; // a buffer: not the optimiser's to change
                }
                // one pass, in place or (while a tape still holds w) into a new buffer
                w.try_update(g, |w, g| w - lr * (g + decay * w))?;
            }
            self.t += 1;
            return Ok(());
        }
        self.owner.fit("Sgd", params, &mut [&mut self.velocity])?;
        let (tensors, trainable) = params.tensors_and_trainable_mut();
        let tensors = tensors.iter_mut();
        for (((w, g), v), &trained) in tensors.zip(grads).zip(&mut self.velocity).zip(trainable) {
            if !trained {
                continue; // a buffer: not the optimiser's to change
            }
            let (w, v) = (w.as_mut_slice(), v.as_mut_slice());
            for ((w, &g), v) in w.iter_mut().zip(g.as_slice()).zip(v.iter_mut()) {
                let g = g + decay * *w;
                *v = mu * *v + g;
                let d = if self.nesterov { g + mu * *v } else { *v };
                *w = *w - lr * d;
            }
        }
        self.t += 1;
        Ok(())
    }
}
