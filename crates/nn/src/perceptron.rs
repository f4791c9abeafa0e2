//! The perceptron (Rosenblatt, 1958): a threshold unit `y = 1 if w·x + b > 0 else 0` and its
//! learning rule `w ← w + η (d − y) x`, applied one sample at a time. No gradients: the
//! threshold has none, which is why multi-layer networks needed backpropagation and smooth
//! activations.

/// A threshold unit over `n` inputs.
///
/// ```
/// use nn::Perceptron;
///
/// // AND: fires only when both inputs are on
/// let and = Perceptron::with_weights(vec![1.0, 1.0], -1.5);
/// assert_eq!(and.predict(&[1.0, 1.0]), 1.0);
/// assert_eq!(and.predict(&[1.0, 0.0]), 0.0);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Perceptron {
    weights: Vec<f64>,
    bias: f64,
}

/// How training ended.
///
/// ```
/// use nn::perceptron::{Perceptron, Training};
/// let outcome = Perceptron::new(1).train(&[[1.0], [-1.0]], &[1.0, 0.0], 1.0, 10);
/// assert!(matches!(outcome, Training::Converged { .. }));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Training {
    /// An epoch went by without a mistake: every sample is classified correctly.
    Converged {
        /// Epochs run, including the last one without mistakes.
        epochs: usize,
        /// Weight updates made in all.
        updates: usize,
    },
    /// Still making mistakes after the allowed epochs: the data may not be linearly
    /// separable (XOR is not), or the margin is too small for the epochs given.
    DidNotConverge {
        /// The epochs allowed.
        epochs: usize,
        /// Mistakes in the last epoch.
        mistakes: usize,
    },
}

impl Perceptron {
    /// A unit with zero weights and bias.
    ///
    /// ```
    /// assert_eq!(nn::Perceptron::new(3).weights(), &[0.0, 0.0, 0.0]);
    /// ```
    pub fn new(inputs: usize) -> Self {
        Perceptron {
            weights: vec![0.0; inputs],
            bias: 0.0,
        }
    }

    /// A unit with the given weights and bias (a hand-built gate).
    ///
    /// ```
    /// let not = nn::Perceptron::with_weights(vec![-1.0], 0.5);
    /// assert_eq!((not.predict(&[0.0]), not.predict(&[1.0])), (1.0, 0.0));
    /// ```
    pub fn with_weights(weights: Vec<f64>, bias: f64) -> Self {
        Perceptron { weights, bias }
    }

    /// The weights `w`.
    ///
    /// ```
    /// assert_eq!(nn::Perceptron::with_weights(vec![2.0], 0.0).weights(), &[2.0]);
    /// ```
    pub fn weights(&self) -> &[f64] {
        &self.weights
    }

    /// The bias `b`.
    ///
    /// ```
    /// assert_eq!(nn::Perceptron::with_weights(vec![2.0], -1.0).bias(), -1.0);
    /// ```
    pub fn bias(&self) -> f64 {
        self.bias
    }

    /// `w·x + b`, the unit's input before the threshold.
    ///
    /// # Panics
    /// If `x` has the wrong length.
    ///
    /// ```
    /// let p = nn::Perceptron::with_weights(vec![1.0, -1.0], 0.5);
    /// assert_eq!(p.activation(&[2.0, 1.0]), 1.5);
    /// ```
    #[track_caller]
    pub fn activation(&self, x: &[f64]) -> f64 {
        assert_eq!(
            x.len(),
            self.weights.len(),
            "Perceptron: {} inputs expected, got {}",
            self.weights.len(),
            x.len()
        );
        self.weights.iter().zip(x).map(|(w, x)| w * x).sum::<f64>() + self.bias
    }

    /// `1 if w·x + b > 0 else 0`.
    ///
    /// ```
    /// let or = nn::Perceptron::with_weights(vec![1.0, 1.0], -0.5);
    /// assert_eq!(or.predict(&[0.0, 1.0]), 1.0);
    /// ```
    #[track_caller]
    pub fn predict(&self, x: &[f64]) -> f64 {
        if self.activation(x) > 0.0 { 1.0 } else { 0.0 }
    }

    /// Rosenblatt's rule, sample by sample in the given order: on a mistake,
    /// `w ← w + η (d − y) x` and `b ← b + η (d − y)`. Stops after the first epoch without a
    /// mistake, or after `max_epochs`.
    ///
    /// # Panics
    /// If `inputs` and `targets` differ in length, or a target is not 0 or 1.
    ///
    /// ```
    /// use nn::perceptron::{Perceptron, Training};
    ///
    /// let x = [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]];
    /// let mut or = Perceptron::new(2);
    /// assert!(matches!(or.train(&x, &[0.0, 1.0, 1.0, 1.0], 1.0, 100), Training::Converged { .. }));
    /// let mut xor = Perceptron::new(2);
    /// let outcome = xor.train(&x, &[0.0, 1.0, 1.0, 0.0], 1.0, 100);
    /// assert!(matches!(outcome, Training::DidNotConverge { epochs: 100, .. }));
    /// ```
    #[track_caller]
    pub fn train<X: AsRef<[f64]>>(
        &mut self,
        inputs: &[X],
        targets: &[f64],
        learning_rate: f64,
        max_epochs: usize,
    ) -> Training {
        assert_eq!(
            inputs.len(),
            targets.len(),
            "Perceptron::train: {} inputs but {} targets",
            inputs.len(),
            targets.len()
        );
        if let Some(bad) = targets.iter().find(|&&d| d != 0.0 && d != 1.0) {
            panic!("Perceptron::train: targets must be 0 or 1, got {bad}");
        }
        let mut updates = 0;
        let mut mistakes = 0;
        for epoch in 1..=max_epochs {
            mistakes = 0;
            for (x, &d) in inputs.iter().zip(targets) {
                let x = x.as_ref();
                let error = d - self.predict(x);
                if error != 0.0 {
                    for (w, &x) in self.weights.iter_mut().zip(x) {
                        *w += learning_rate * error * x;
                    }
                    self.bias += learning_rate * error;
                    mistakes += 1;
                    updates += 1;
                }
            }
            if mistakes == 0 {
                return Training::Converged {
                    epochs: epoch,
                    updates,
                };
            }
        }
        Training::DidNotConverge {
            epochs: max_epochs,
            mistakes,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng, rngs::StdRng};

    #[test]
    fn converges_within_the_perceptron_convergence_bound() {
        // Novikoff: with ‖x‖ ≤ R (bias as an extra input of 1) and a separating unit vector
        // u with margin γ, the rule makes at most (R/γ)² mistakes.
        let mut rng = StdRng::seed_from_u64(4);
        for _ in 0..20 {
            let truth: [f64; 3] = [
                rng.random_range(-1.0..1.0),
                rng.random_range(-1.0..1.0),
                rng.random_range(-0.5..0.5),
            ];
            let norm = (truth[0] * truth[0] + truth[1] * truth[1] + truth[2] * truth[2]).sqrt();
            let u = truth.map(|t| t / norm);
            let mut x = Vec::new();
            let mut d = Vec::new();
            while x.len() < 100 {
                let p: [f64; 2] = [rng.random_range(-1.0..1.0), rng.random_range(-1.0..1.0)];
                let margin = u[0] * p[0] + u[1] * p[1] + u[2];
                if margin.abs() < 0.05 {
                    continue; // keep a margin γ ≥ 0.05
                }
                x.push(p);
                d.push(if margin > 0.0 { 1.0 } else { 0.0 });
            }
            let r_squared = x
                .iter()
                .map(|p| p[0] * p[0] + p[1] * p[1] + 1.0)
                .fold(0.0, f64::max);
            let bound = (r_squared / (0.05f64 * 0.05)).ceil() as usize;
            let mut unit = Perceptron::new(2);
            match unit.train(&x, &d, 1.0, 10_000) {
                Training::Converged { updates, .. } => {
                    assert!(updates <= bound, "{updates} updates > bound {bound}");
                }
                other => panic!("separable data did not converge: {other:?}"),
            }
            assert!(x.iter().zip(&d).all(|(p, &d)| unit.predict(p) == d));
        }
    }

    #[test]
    #[should_panic(expected = "targets must be 0 or 1, got -1")]
    fn targets_must_be_binary() {
        Perceptron::new(1).train(&[[1.0]], &[-1.0], 1.0, 1);
    }
}
