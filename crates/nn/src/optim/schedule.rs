//! Learning-rate schedules `η^t` and the stopping rule of gradient descent.

/// The learning rate `η^t` at step `t` (counting from 0).
///
/// ```
/// use nn::optim::Schedule;
/// assert_eq!(Schedule::Constant(0.1).rate(7), 0.1);
/// assert_eq!(Schedule::Step { initial: 1.0, every: 10, factor: 0.5 }.rate(25), 0.25);
/// assert_eq!(Schedule::InverseTime { initial: 1.0, decay: 1.0 }.rate(3), 0.25);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Schedule {
    /// `η^t = η`.
    Constant(f64),
    /// `η^t = η₀ · factor^⌊t / every⌋`.
    Step {
        /// `η₀`.
        initial: f64,
        /// Steps between two decays.
        every: usize,
        /// The factor applied at each decay.
        factor: f64,
    },
    /// `η^t = η₀ · γ^t`.
    Exponential {
        /// `η₀`.
        initial: f64,
        /// `γ`.
        gamma: f64,
    },
    /// `η^t = η₀ / (1 + decay · t)`: decreasing like `1/t`, as the convergence theorems of
    /// stochastic gradient descent ask (`Σ η^t = ∞`, `Σ (η^t)² < ∞`).
    InverseTime {
        /// `η₀`.
        initial: f64,
        /// How fast it decays.
        decay: f64,
    },
    /// From `initial` to `last` in a straight line over `steps`, then `last` (micrograd's
    /// demo: `η^t = 1 − 0.9 t / 100`).
    Linear {
        /// `η₀`.
        initial: f64,
        /// `η` at `t = steps`.
        last: f64,
        /// The number of steps.
        steps: usize,
    },
}

impl Schedule {
    /// `η^t`.
    ///
    /// ```
    /// use nn::optim::Schedule;
    /// let s = Schedule::Linear { initial: 1.0, last: 0.1, steps: 100 };
    /// assert_eq!((s.rate(0), s.rate(100)), (1.0, 0.1));
    /// ```
    pub fn rate(self, t: usize) -> f64 {
        match self {
            Schedule::Constant(eta) => eta,
            Schedule::Step {
                initial,
                every,
                factor,
            } => initial * factor.powi((t / every.max(1)) as i32),
            Schedule::Exponential { initial, gamma } => initial * gamma.powi(t as i32),
            Schedule::InverseTime { initial, decay } => initial / (1.0 + decay * t as f64),
            Schedule::Linear {
                initial,
                last,
                steps,
            } => {
                let progress = (t as f64 / steps.max(1) as f64).min(1.0);
                initial * (1.0 - progress) + last * progress
            }
        }
    }
}

/// Gradient descent's stopping rule: stop once `|f(w_t) − f(w_{t−1})| < ε`.
///
/// ```
/// use nn::optim::StoppingRule;
/// let mut rule = StoppingRule::new(1e-3);
/// assert!(!rule.should_stop(10.0)); // the first value has nothing to compare with
/// assert!(!rule.should_stop(9.0));
/// assert!(rule.should_stop(8.9995));
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StoppingRule {
    epsilon: f64,
    previous: Option<f64>,
}

impl StoppingRule {
    /// A rule with threshold `ε`.
    ///
    /// ```
    /// let rule = nn::optim::StoppingRule::new(1e-6);
    /// assert_eq!(rule.epsilon(), 1e-6);
    /// ```
    pub fn new(epsilon: f64) -> Self {
        StoppingRule {
            epsilon,
            previous: None,
        }
    }

    /// The threshold `ε`.
    ///
    /// ```
    /// assert_eq!(nn::optim::StoppingRule::new(0.5).epsilon(), 0.5);
    /// ```
    pub fn epsilon(self) -> f64 {
        self.epsilon
    }

    /// Records `f(w_t)` and says whether it changed by less than `ε` since the last call.
    /// A NaN or infinite objective stops too: descent has diverged.
    ///
    /// ```
    /// let mut rule = nn::optim::StoppingRule::new(1e-3);
    /// rule.should_stop(1.0);
    /// assert!(rule.should_stop(f64::NAN));
    /// assert!(nn::optim::StoppingRule::new(1e-3).should_stop(f64::INFINITY));
    /// ```
    pub fn should_stop(&mut self, value: f64) -> bool {
        let stop = !value.is_finite()
            || self
                .previous
                .is_some_and(|previous| (value - previous).abs() < self.epsilon);
        self.previous = Some(value);
        stop
    }
}
