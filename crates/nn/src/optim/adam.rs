//! Adam and AdamW: per-parameter step sizes from running moments of the gradient.

use autograd::{Float, Tensor};

use super::checks::{Owner, decay_rate, non_negative};
use super::{Optimizer, Schedule, check_pairs};
use crate::error::Result;
use crate::module::Parameters;

/// Adam (Kingma & Ba, 2015): `m ← β₁ m + (1 − β₁) g`, `v ← β₂ v + (1 − β₂) g²`, and
/// `w ← w − η^t m̂ / (√v̂ + ε)` with the bias-corrected `m̂ = m / (1 − β₁^t)`,
/// `v̂ = v / (1 − β₂^t)`. Weight decay is either added to the gradient (Adam's L2) or
/// decoupled, `w ← w − η λ w` (AdamW, Loshchilov & Hutter, 2019).
///
/// The moments belong to the parameter set of the first step; another set is an error (see
/// [`optim`](crate::optim)). Each step checks `η^t ≥ 0`, `0 ≤ β₁, β₂ < 1`, `ε ≥ 0` and
/// `λ ≥ 0` (all finite), as PyTorch does.
///
/// ```
/// use autograd::Tensor;
/// use nn::Parameters;
/// use nn::optim::{Adam, Optimizer};
///
/// // the first step of Adam moves every weight by about η, whatever the gradient's scale
/// let mut params = Parameters::new();
/// let w = params.add("w", Tensor::<f64>::zeros([2]));
/// let g = vec![Tensor::<f64>::from_vec(vec![1000.0, -0.001], [2]).unwrap()];
/// Adam::new(0.01).try_step(&mut params, &g).unwrap();
/// assert!((params.get(w).as_slice()[0] + 0.01).abs() < 1e-6);
/// assert!((params.get(w).as_slice()[1] - 0.01).abs() < 1e-4);
/// ```
#[derive(Debug, Clone)]
pub struct Adam<F: Float> {
    schedule: Schedule,
    beta1: f64,
    beta2: f64,
    epsilon: f64,
    weight_decay: f64,
    decoupled: bool,
    owner: Owner,
    m: Vec<Tensor<F>>,
    v: Vec<Tensor<F>>,
    t: usize,
}

impl<F: Float> Adam<F> {
    /// Adam with the usual constants: `β₁ = 0.9`, `β₂ = 0.999`, `ε = 1e-8`. The learning
    /// rate may be an `f32` or an `f64` (it is kept as `f64`).
    ///
    /// ```
    /// let adam = nn::optim::Adam::<f32>::new(1e-3);
    /// let lr: f32 = 0.5;
    /// assert_eq!(nn::optim::Adam::<f32>::new(lr).learning_rate(), 0.5);
    /// ```
    pub fn new(learning_rate: impl Into<f64>) -> Self {
        Adam {
            schedule: Schedule::Constant(learning_rate.into()),
            beta1: 0.9,
            beta2: 0.999,
            epsilon: 1e-8,
            weight_decay: 0.0,
            decoupled: false,
            owner: Owner::default(),
            m: Vec::new(),
            v: Vec::new(),
            t: 0,
        }
    }

    /// AdamW: Adam with decoupled weight decay `λ`.
    ///
    /// ```
    /// let adamw = nn::optim::Adam::<f64>::adamw(1e-3, 1e-2);
    /// ```
    pub fn adamw(learning_rate: impl Into<f64>, weight_decay: impl Into<f64>) -> Self {
        Adam {
            weight_decay: weight_decay.into(),
            decoupled: true,
            ..Self::new(learning_rate)
        }
    }

    /// With other moment decays `β₁`, `β₂`.
    ///
    /// ```
    /// let adam = nn::optim::Adam::<f64>::new(1e-3).with_betas(0.8, 0.99);
    /// ```
    pub fn with_betas(mut self, beta1: f64, beta2: f64) -> Self {
        self.beta1 = beta1;
        self.beta2 = beta2;
        self
    }

    /// With L2 weight decay `λ` added to the gradient (classic Adam).
    ///
    /// ```
    /// let adam = nn::optim::Adam::<f64>::new(1e-3).with_weight_decay(1e-4);
    /// ```
    pub fn with_weight_decay(mut self, weight_decay: f64) -> Self {
        self.weight_decay = weight_decay;
        self.decoupled = false;
        self
    }

    /// With a learning-rate schedule.
    ///
    /// ```
    /// use nn::optim::{Adam, Schedule};
    /// let adam = Adam::<f64>::new(1e-3).with_schedule(Schedule::Exponential { initial: 1e-3, gamma: 0.99 });
    /// ```
    pub fn with_schedule(mut self, schedule: Schedule) -> Self {
        self.schedule = schedule;
        self
    }

    /// The learning rate of the next step (the schedule's rate at the step count).
    ///
    /// ```
    /// assert_eq!(nn::optim::Adam::<f32>::new(0.5f32).learning_rate(), 0.5);
    /// ```
    pub fn learning_rate(&self) -> f64 {
        self.schedule.rate(self.t)
    }

    /// Forgets the moments and the step count, so that the next step starts afresh (on any
    /// parameters).
    ///
    /// ```
    /// use autograd::Tensor;
    /// use nn::{Parameters, optim::{Adam, Optimizer}};
    /// let (mut a, mut b) = (Parameters::new(), Parameters::new());
    /// a.add("w", Tensor::<f64>::zeros([2]));
    /// b.add("w", Tensor::<f64>::zeros([2]));
    /// let mut adam = Adam::new(0.1);
    /// adam.try_step(&mut a, &[Tensor::ones([2])]).unwrap();
    /// assert!(adam.try_step(&mut b, &[Tensor::ones([2])]).is_err()); // a's moments
    /// adam.reset();
    /// adam.try_step(&mut b, &[Tensor::ones([2])]).unwrap();
    /// ```
    pub fn reset(&mut self) {
        self.owner = Owner::default();
        self.m.clear();
        self.v.clear();
        self.t = 0;
    }

    /// An error naming the first option out of range at learning rate `lr`.
    fn check_options(&self, lr: f64) -> Result<()> {
        non_negative("Adam", "learning rate", lr)?;
        decay_rate("Adam", "beta1", self.beta1)?;
        decay_rate("Adam", "beta2", self.beta2)?;
        non_negative("Adam", "epsilon", self.epsilon)?;
        non_negative("Adam", "weight decay", self.weight_decay)
    }
}

impl<F: Float> Optimizer<F> for Adam<F> {
    fn try_step(&mut self, params: &mut Parameters<F>, grads: &[Tensor<F>]) -> Result<()> {
        check_pairs("Adam", params, grads)?;
        let lr = self.schedule.rate(self.t);
        self.check_options(lr)?;
        self.owner
            .fit("Adam", params, &mut [&mut self.m, &mut self.v])?;
        self.t += 1;
        let (b1, b2) = (self.beta1, self.beta2);
        let correction1 = 1.0 - b1.powi(self.t as i32);
        let correction2 = 1.0 - b2.powi(self.t as i32);
        let f = F::from_f64;
        let (tensors, trainable) = params.tensors_and_trainable_mut();
        for ((((w, g), m), v), &trained) in tensors
            .iter_mut()
            .zip(grads)
            .zip(&mut self.m)
            .zip(&mut self.v)
            .zip(trainable)
        {
            if !trained {
                continue; // a buffer: not the optimiser's to change
            }
            // one pass over w, g, m and v, split over the thread pool for large tensors
            // (the shapes were checked by `fit` above: the error is unreachable)
            let decoupled = self.decoupled;
            let (weight_decay, epsilon) = (self.weight_decay, self.epsilon);
            w.try_update_with_state(g, [m, v], |mut w, g, m, v| {
                let g = if decoupled {
                    w = w - f(lr * weight_decay) * w;
                    g
                } else {
                    g + f(weight_decay) * w
                };
                *m = f(b1) * *m + f(1.0 - b1) * g;
                *v = f(b2) * *v + f(1.0 - b2) * g * g;
                let m_hat = m.to_f64() / correction1;
                let v_hat = v.to_f64() / correction2;
                w - f(lr * m_hat / (v_hat.sqrt() + epsilon))
            })?;
        }
        Ok(())
    }
}
