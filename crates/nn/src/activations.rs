//! Activation functions `y = f(z)`, each written once over [`Real`] so that it runs on plain
//! numbers, scalar variables and tensors alike, built only from autograd primitives (their
//! derivatives come from the tape; the tests check them against finite differences).

use autograd::Real;

/// The threshold unit of the perceptron: `y = 1 if z > 0 else 0`. Its derivative is 0
/// wherever it exists (and taken as 0 at the jump), so no gradient flows through it: a
/// network of threshold units cannot be trained by backpropagation.
///
/// ```
/// assert_eq!(nn::activations::threshold(0.3), 1.0);
/// assert_eq!(nn::activations::threshold(0.0), 0.0);
/// ```
#[track_caller]
pub fn threshold<R: Real>(z: R) -> R {
    z.step()
}

/// The logistic sigmoid `σ(z) = 1 / (1 + e^-z)`, in `(0, 1)`; `σ' = σ (1 − σ)`.
///
/// ```
/// assert_eq!(nn::activations::sigmoid(0.0), 0.5);
/// ```
#[track_caller]
pub fn sigmoid<R: Real>(z: R) -> R {
    z.sigmoid()
}

/// `tanh z`, in `(−1, 1)` and zero-centred; `tanh' = 1 − tanh²`.
///
/// ```
/// assert_eq!(nn::activations::tanh(0.0), 0.0);
/// ```
#[track_caller]
pub fn tanh<R: Real>(z: R) -> R {
    z.tanh()
}

/// The rectified linear unit `max(0, z)`; `relu'(z) = 1 for z > 0, else 0` (0 at 0).
///
/// ```
/// assert_eq!(nn::activations::relu(-1.5), 0.0);
/// ```
#[track_caller]
pub fn relu<R: Real>(z: R) -> R {
    z.relu()
}

/// The leaky ReLU `z if z > 0 else α z` (for `0 ≤ α < 1`), written `max(z, α z)`: a small
/// slope `α` on the negative side keeps gradients alive.
///
/// ```
/// assert_eq!(nn::activations::leaky_relu(-2.0, 0.01), -0.02);
/// assert_eq!(nn::activations::leaky_relu(3.0, 0.01), 3.0);
/// ```
#[track_caller]
pub fn leaky_relu<R: Real>(z: R, alpha: f64) -> R {
    z.clone().max(z.affine(alpha, 0.0))
}

/// The exponential linear unit `z if z > 0 else α (e^z − 1)`: smooth below zero, saturating
/// at `−α`. Written `max(z, 0) + α (e^min(z, 0) − 1)`, so `e^z` never overflows and the
/// gradient stays finite for large `z`; at 0, `max` and `min` split their tie, so the slope
/// there is `(1 + α)/2` (1 for the usual `α = 1`, where ELU is smooth).
///
/// ```
/// let y = nn::activations::elu(-1.0, 1.0);
/// assert!((y - ((-1f64).exp() - 1.0)).abs() < 1e-15);
/// assert_eq!(nn::activations::elu(2.0, 1.0), 2.0);
/// ```
#[track_caller]
pub fn elu<R: Real>(z: R, alpha: f64) -> R {
    let zero = z.clone().affine(0.0, 0.0);
    let negative_part = z.clone().min(zero.clone());
    z.max(zero) + negative_part.exp().affine(alpha, -alpha)
}

/// The softplus `ln(1 + e^z)`, a smooth ReLU; `softplus' = σ`. Computed as
/// `max(z, 0) + ln(1 + e^-|z|)`, so it does not overflow for large `z`. The two kinks cancel:
/// at 0, `max` splits its tie (½) and `|z|'` is 0, so the slope is `σ(0) = ½` as it should be
/// (the second derivative there reads 0 instead of ¼: a point of measure zero).
///
/// ```
/// assert!((nn::activations::softplus(0.0) - 2f64.ln()).abs() < 1e-15);
/// assert_eq!(nn::activations::softplus(1000.0), 1000.0);
/// ```
#[track_caller]
pub fn softplus<R: Real>(z: R) -> R {
    let zero = z.clone().affine(0.0, 0.0);
    z.clone().max(zero) + (-z.abs()).exp().affine(1.0, 1.0).ln()
}

/// The Gaussian error linear unit, in its tanh form (as PyTorch's `gelu(approximate="tanh")`):
/// `½ z (1 + tanh(√(2/π) (z + 0.044715 z³)))`.
///
/// ```
/// assert_eq!(nn::activations::gelu(0.0), 0.0);
/// assert!((nn::activations::gelu(3.0) - 3.0).abs() < 0.01);
/// ```
#[track_caller]
pub fn gelu<R: Real>(z: R) -> R {
    let c = (2.0 / std::f64::consts::PI).sqrt();
    let inner = (z.clone() + z.clone().powi(3).affine(0.044715, 0.0)).affine(c, 0.0);
    z * inner.tanh().affine(0.5, 0.5)
}

/// The identity `y = z` (a linear output layer).
///
/// ```
/// assert_eq!(nn::activations::identity(1.25), 1.25);
/// ```
#[track_caller]
pub fn identity<R: Real>(z: R) -> R {
    z
}

/// A choice of activation, to configure a layer.
///
/// ```
/// use nn::Activation;
/// assert_eq!(Activation::Relu.apply(-2.0), 0.0);
/// assert_eq!(Activation::LeakyRelu(0.1).apply(-2.0), -0.2);
/// assert_eq!(Activation::Sigmoid.apply(0.0), 0.5);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Activation {
    /// [`threshold`]: `1 if z > 0 else 0`.
    Threshold,
    /// [`identity`]: `z`.
    Identity,
    /// [`sigmoid`]: `1 / (1 + e^-z)`.
    Sigmoid,
    /// [`tanh`].
    Tanh,
    /// [`relu`]: `max(0, z)`.
    Relu,
    /// [`leaky_relu`] with its slope `α`.
    LeakyRelu(f64),
    /// [`elu`] with its scale `α`.
    Elu(f64),
    /// [`softplus`]: `ln(1 + e^z)`.
    Softplus,
    /// [`gelu`] (tanh form).
    Gelu,
}

impl Activation {
    /// `f(z)` for this activation.
    ///
    /// ```
    /// use nn::Activation;
    /// assert_eq!(Activation::Identity.apply(3.0), 3.0);
    /// ```
    #[track_caller]
    pub fn apply<R: Real>(self, z: R) -> R {
        match self {
            Activation::Threshold => threshold(z),
            Activation::Identity => identity(z),
            Activation::Sigmoid => sigmoid(z),
            Activation::Tanh => tanh(z),
            Activation::Relu => relu(z),
            Activation::LeakyRelu(alpha) => leaky_relu(z, alpha),
            Activation::Elu(alpha) => elu(z, alpha),
            Activation::Softplus => softplus(z),
            Activation::Gelu => gelu(z),
        }
    }

    /// Every activation (with the usual constants), for tables and tests.
    ///
    /// ```
    /// assert_eq!(nn::Activation::ALL.len(), 9);
    /// ```
    pub const ALL: [Activation; 9] = [
        Activation::Threshold,
        Activation::Identity,
        Activation::Sigmoid,
        Activation::Tanh,
        Activation::Relu,
        Activation::LeakyRelu(0.01),
        Activation::Elu(1.0),
        Activation::Softplus,
        Activation::Gelu,
    ];
}

#[cfg(test)]
mod tests {
    use super::*;
    use autograd::Tape;

    /// The derivative from the tape at `z`.
    fn slope(activation: Activation, z: f64) -> f64 {
        let tape = Tape::new();
        let x = tape.var(z);
        activation.apply(x).backward().wrt(x)
    }

    #[test]
    fn derivatives_match_their_formulas() {
        let s = |z: f64| 1.0 / (1.0 + (-z).exp());
        // and at 0, where softplus and ELU are smooth although written with kinks
        assert_eq!(slope(Activation::Softplus, 0.0), 0.5);
        assert_eq!(slope(Activation::Elu(1.0), 0.0), 1.0);
        for z in [-2.5, -0.3, 0.4, 1.7] {
            assert!((slope(Activation::Sigmoid, z) - s(z) * (1.0 - s(z))).abs() < 1e-12);
            assert!((slope(Activation::Tanh, z) - (1.0 - z.tanh().powi(2))).abs() < 1e-12);
            assert!((slope(Activation::Softplus, z) - s(z)).abs() < 1e-12);
            let elu = if z > 0.0 { 1.0 } else { z.exp() };
            assert!((slope(Activation::Elu(1.0), z) - elu).abs() < 1e-12);
            let leaky = if z > 0.0 { 1.0 } else { 0.01 };
            assert!((slope(Activation::LeakyRelu(0.01), z) - leaky).abs() < 1e-12);
            assert_eq!(slope(Activation::Threshold, z), 0.0);
            assert_eq!(slope(Activation::Identity, z), 1.0);
        }
    }

    #[test]
    fn softplus_and_sigmoid_are_finite_far_out() {
        for z in [-1000.0, 1000.0] {
            for activation in Activation::ALL {
                let y = activation.apply(z);
                assert!(!y.is_nan(), "{activation:?}({z}) = {y}");
                assert!(slope(activation, z).is_finite(), "{activation:?}'({z})");
            }
        }
    }
}
