//! A multi-layer perceptron built neuron by neuron from scalars, as in micrograd and the
//! lecture: `z_j = b_j + Σᵢ w_ji y_i`, `y_j = f(z_j)`.
//!
//! The parameters live outside the tape, in a flat `Vec<f64>`, so they survive from one
//! training step to the next; each step records them as variables on a fresh or cleared tape.

use autograd::{Real, Tape, Var};

use crate::activations::Activation;
use rand::Rng;

/// A fully connected network of scalar neurons: `in_dim` inputs, then one layer per entry
/// of `widths`; every layer but the last applies the hidden activation.
///
/// Parameters are stored layer by layer, neuron by neuron, each neuron's weights then its
/// bias (micrograd's order).
///
/// ```
/// use nn::{Activation, ScalarMlp};
/// use rand::{SeedableRng, rngs::StdRng};
///
/// // micrograd's demo network: 2 inputs, two hidden layers of 16, one output
/// let model = ScalarMlp::new(2, &[16, 16, 1], Activation::Relu, &mut StdRng::seed_from_u64(1));
/// assert_eq!(model.num_parameters(), 337);
/// // Written over `Real`, so it also runs on plain numbers, without a tape.
/// let out = model.forward(model.parameters(), &[0.5, 0.25]);
/// assert_eq!(out.len(), 1);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct ScalarMlp {
    in_dim: usize,
    widths: Vec<usize>,
    hidden: Activation,
    params: Vec<f64>,
}

impl ScalarMlp {
    /// A network with weights drawn uniformly from `[-1, 1]` and zero biases (micrograd's
    /// initialisation).
    ///
    /// # Panics
    /// If `widths` is empty or any width is zero.
    ///
    /// ```
    /// use nn::{Activation, ScalarMlp};
    /// use rand::{SeedableRng, rngs::StdRng};
    ///
    /// let model = ScalarMlp::new(3, &[4, 2], Activation::Tanh, &mut StdRng::seed_from_u64(0));
    /// assert_eq!((model.in_dim(), model.out_dim()), (3, 2));
    /// assert_eq!(model.num_parameters(), 4 * (3 + 1) + 2 * (4 + 1));
    /// assert!(model.parameters().iter().all(|w| (-1.0..=1.0).contains(w)));
    /// ```
    #[track_caller]
    pub fn new(in_dim: usize, widths: &[usize], hidden: Activation, rng: &mut impl Rng) -> Self {
        assert!(
            !widths.is_empty() && widths.iter().all(|&w| w > 0),
            "ScalarMlp::new: layer widths must be non-empty and positive, got {widths:?}"
        );
        let mut params = Vec::new();
        let mut fan_in = in_dim;
        for &width in widths {
            for _ in 0..width {
                params.extend((0..fan_in).map(|_| rng.random_range(-1.0..=1.0)));
                params.push(0.0);
            }
            fan_in = width;
        }
        ScalarMlp {
            in_dim,
            widths: widths.to_vec(),
            hidden,
            params,
        }
    }

    /// Number of inputs.
    ///
    /// ```
    /// # use nn::{Activation, ScalarMlp};
    /// # use rand::{SeedableRng, rngs::StdRng};
    /// let model = ScalarMlp::new(2, &[3, 1], Activation::Relu, &mut StdRng::seed_from_u64(0));
    /// assert_eq!(model.in_dim(), 2);
    /// ```
    pub fn in_dim(&self) -> usize {
        self.in_dim
    }

    /// Number of outputs.
    ///
    /// ```
    /// # use nn::{Activation, ScalarMlp};
    /// # use rand::{SeedableRng, rngs::StdRng};
    /// let model = ScalarMlp::new(2, &[3, 1], Activation::Relu, &mut StdRng::seed_from_u64(0));
    /// assert_eq!(model.out_dim(), 1);
    /// ```
    pub fn out_dim(&self) -> usize {
        *self.widths.last().expect("at least one layer")
    }

    /// The total number of weights and biases.
    ///
    /// ```
    /// # use nn::{Activation, ScalarMlp};
    /// # use rand::{SeedableRng, rngs::StdRng};
    /// let model = ScalarMlp::new(2, &[3, 1], Activation::Relu, &mut StdRng::seed_from_u64(0));
    /// assert_eq!(model.num_parameters(), 13);
    /// ```
    pub fn num_parameters(&self) -> usize {
        self.params.len()
    }

    /// The parameters, in storage order: per layer, per neuron, its weights then its bias.
    ///
    /// ```
    /// # use nn::{Activation, ScalarMlp};
    /// # use rand::{SeedableRng, rngs::StdRng};
    /// let model = ScalarMlp::new(2, &[1], Activation::Relu, &mut StdRng::seed_from_u64(0));
    /// assert_eq!(model.parameters()[2], 0.0); // the bias starts at zero
    /// ```
    pub fn parameters(&self) -> &[f64] {
        &self.params
    }

    /// The parameters, to update in place (an optimiser step).
    ///
    /// ```
    /// # use nn::{Activation, ScalarMlp};
    /// # use rand::{SeedableRng, rngs::StdRng};
    /// let mut model = ScalarMlp::new(1, &[1], Activation::Relu, &mut StdRng::seed_from_u64(0));
    /// model.parameters_mut().copy_from_slice(&[2.0, 1.0]); // y = 2x + 1
    /// assert_eq!(model.forward(model.parameters(), &[3.0]), vec![7.0]);
    /// ```
    pub fn parameters_mut(&mut self) -> &mut [f64] {
        &mut self.params
    }

    /// Records every parameter as a variable on `tape`, in storage order.
    ///
    /// ```
    /// # use nn::{Activation, ScalarMlp};
    /// # use rand::{SeedableRng, rngs::StdRng};
    /// let model = ScalarMlp::new(2, &[1], Activation::Relu, &mut StdRng::seed_from_u64(0));
    /// let tape = autograd::Tape::new();
    /// let params = model.param_vars(&tape);
    /// assert_eq!(params.len(), 3);
    /// assert_eq!(params[0].value(), model.parameters()[0]);
    /// ```
    pub fn param_vars<'t>(&self, tape: &'t Tape) -> Vec<Var<'t>> {
        tape.vars(&self.params)
    }

    /// The network's outputs for one input, computed neuron by neuron from `params` (numbers
    /// or variables, in storage order).
    ///
    /// # Panics
    /// If `params` or `x` has the wrong length.
    ///
    /// ```
    /// # use nn::{Activation, ScalarMlp};
    /// # use rand::{SeedableRng, rngs::StdRng};
    /// let model = ScalarMlp::new(2, &[3, 1], Activation::Tanh, &mut StdRng::seed_from_u64(0));
    /// let tape = autograd::Tape::new();
    /// let params = model.param_vars(&tape);
    /// let x = tape.vars(&[0.5, -0.5]);
    /// let y = model.forward(&params, &x)[0];
    /// // the same network on plain numbers gives the same value
    /// assert_eq!(y.value(), model.forward(model.parameters(), &[0.5, -0.5])[0]);
    /// ```
    #[track_caller]
    pub fn forward<R: Real + Copy>(&self, params: &[R], x: &[R]) -> Vec<R> {
        assert_eq!(
            params.len(),
            self.params.len(),
            "ScalarMlp::forward: expected {} parameters, got {}",
            self.params.len(),
            params.len()
        );
        assert_eq!(
            x.len(),
            self.in_dim,
            "ScalarMlp::forward: expected {} inputs, got {}",
            self.in_dim,
            x.len()
        );
        let mut y = x.to_vec();
        let mut next = Vec::new();
        let mut offset = 0;
        for (layer, &width) in self.widths.iter().enumerate() {
            let is_output = layer + 1 == self.widths.len();
            next.clear();
            for _ in 0..width {
                let (w, b) = (&params[offset..offset + y.len()], params[offset + y.len()]);
                offset += y.len() + 1;
                // z = b + Σ wᵢ yᵢ, summed in micrograd's order
                let z = w.iter().zip(&y).fold(b, |z, (&w_i, &y_i)| z + w_i * y_i);
                next.push(if is_output { z } else { self.hidden.apply(z) });
            }
            std::mem::swap(&mut y, &mut next);
        }
        y
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use autograd::{GradCheck, check_gradients};
    use rand::{SeedableRng, rngs::StdRng};

    #[test]
    fn a_hand_set_network_computes_the_formula() {
        // One hidden relu neuron z = 1 + 2x₀ - x₁, then the output 0.5 + 3·relu(z).
        let mut model = ScalarMlp::new(2, &[1, 1], Activation::Relu, &mut StdRng::seed_from_u64(0));
        model
            .parameters_mut()
            .copy_from_slice(&[2.0, -1.0, 1.0, 3.0, 0.5]);
        assert_eq!(model.forward(model.parameters(), &[1.0, 1.0]), vec![6.5]);
        assert_eq!(model.forward(model.parameters(), &[-1.0, 1.0]), vec![0.5]);
    }

    #[test]
    fn tape_and_numbers_agree_and_gradients_check() {
        let model = ScalarMlp::new(3, &[4, 2], Activation::Tanh, &mut StdRng::seed_from_u64(7));
        let x = [0.3, -0.2, 0.9];
        let plain = model.forward(model.parameters(), &x);
        let tape = Tape::new();
        let params = model.param_vars(&tape);
        let inputs = tape.vars(&x);
        let recorded = model.forward(&params, &inputs);
        for (p, r) in plain.iter().zip(&recorded) {
            assert_eq!(*p, r.value());
        }
        // Every parameter's gradient of the sum of outputs against finite differences.
        let report = check_gradients(
            |p| {
                let x: Vec<_> = x.iter().map(|&v| p[0].tape().constant(v)).collect();
                let out = model.forward(p, &x);
                out[0] + out[1]
            },
            model.parameters(),
            &GradCheck::default(),
        )
        .unwrap();
        assert_eq!(report.compared(), model.num_parameters());
    }

    #[test]
    #[should_panic(expected = "expected 3 inputs, got 2")]
    fn wrong_input_length_is_named() {
        let model = ScalarMlp::new(3, &[1], Activation::Relu, &mut StdRng::seed_from_u64(0));
        let _ = model.forward(model.parameters(), &[1.0, 2.0]);
    }
}
