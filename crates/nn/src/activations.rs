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
/// at `−α`. Written `max(z, 0) + α expm1(min(z, 0))`, so `e^z` never overflows, `e^z − 1`
/// keeps its precision for small negative `z` (f32 `elu(-1e-9)` is `-1e-9`, not 0), and the
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
    z.max(zero) + negative_part.exp_m1().affine(alpha, 0.0)
}

/// The softplus `ln(1 + e^z)`, a smooth ReLU; `softplus' = σ`. Computed as
/// `max(z, 0) + ln1p(e^-|z|)`, so it does not overflow for large `z` and keeps its precision
/// for very negative `z` (f32 `softplus(-17)` is `4.14e-8`, where `ln(1 + e^z)` gives 0, as
/// PyTorch's `softplus` does). The two kinks cancel:
/// at 0, `max` splits its tie (½) and `|z|'` is 0, so the slope is `σ(0) = ½` as it should be
/// (the second derivative there reads 0 instead of ¼: a point of measure zero).
///
/// ```
/// assert!((nn::activations::softplus(0.0) - 2f64.ln()).abs() < 1e-15);
/// assert_eq!(nn::activations::softplus(1000.0), 1000.0);
/// let tiny = nn::activations::softplus(-17.0f64);
/// assert!((tiny - 4.139937633089e-8).abs() < 1e-19); // ln(1 + e^-17), not 0
/// ```
#[track_caller]
pub fn softplus<R: Real>(z: R) -> R {
    let zero = z.clone().affine(0.0, 0.0);
    z.clone().max(zero) + (-z.abs()).exp().ln_1p()
}

/// The Gaussian error linear unit `z Φ(z) = ½ z (1 + erf(z / √2))`, exact (PyTorch's default
/// `gelu`); `gelu'(z) = Φ(z) + z φ(z)`. [`gelu_tanh`] is the tanh approximation.
///
/// ```
/// use nn::activations::gelu;
/// assert_eq!(gelu(0.0), 0.0);
/// // PyTorch: torch.nn.functional.gelu(torch.tensor(1.0, dtype=torch.float64))
/// assert!((gelu(1.0) - 0.8413447460685429).abs() < 1e-15);
/// ```
#[track_caller]
pub fn gelu<R: Real>(z: R) -> R {
    z.clone()
        * z.affine(std::f64::consts::FRAC_1_SQRT_2, 0.0)
            .erf()
            .affine(0.5, 0.5)
}

/// The Gaussian error linear unit in its tanh form (PyTorch's `gelu(approximate="tanh")`):
/// `½ z (1 + tanh(√(2/π) (z + 0.044715 z³)))`, within 5e-4 of [`gelu`].
///
/// ```
/// use nn::activations::{gelu, gelu_tanh};
/// assert_eq!(gelu_tanh(0.0), 0.0);
/// assert!((gelu_tanh(1.0) - gelu(1.0)).abs() < 5e-4);
/// ```
#[track_caller]
pub fn gelu_tanh<R: Real>(z: R) -> R {
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
    /// [`gelu`]: `z Φ(z)`, exact (with erf).
    Gelu,
    /// [`gelu_tanh`]: the tanh approximation of GELU.
    GeluTanh,
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
            Activation::GeluTanh => gelu_tanh(z),
        }
    }

    /// Every activation (with the usual constants), for tables and tests.
    ///
    /// ```
    /// assert_eq!(nn::Activation::ALL.len(), 10);
    /// ```
    pub const ALL: [Activation; 10] = [
        Activation::Threshold,
        Activation::Identity,
        Activation::Sigmoid,
        Activation::Tanh,
        Activation::Relu,
        Activation::LeakyRelu(0.01),
        Activation::Elu(1.0),
        Activation::Softplus,
        Activation::Gelu,
        Activation::GeluTanh,
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
    fn softplus_elu_and_gelu_keep_precision_where_naive_forms_lose_it() {
        use autograd::{Tensor, TensorVar};
        // PyTorch (f32): softplus(-17) = 4.1399e-08, elu(-1e-9) = -1e-9,
        // gelu(-3) = -0.0040496, gelu'(-3) = -0.0119
        let tape = Tape::new();
        let x = tape.tensor(Tensor::<f32>::from_vec(vec![-17.0, -1e-9, -3.0], [3]).unwrap());
        let value = |y: TensorVar<'_, f32>| y.value().to_vec();
        let softplus = value(Activation::Softplus.apply(x));
        assert!((softplus[0] - 4.139938e-8).abs() < 1e-13, "{softplus:?}");
        assert_eq!(value(Activation::Elu(1.0).apply(x))[1], -1e-9);
        let gelu = value(Activation::Gelu.apply(x))[2];
        assert!((gelu - -0.004049696).abs() < 1e-8, "{gelu}");
        // exact GELU's slope: Φ(z) + z φ(z)
        let z = -3.0f64;
        let phi = (-z * z / 2.0).exp() / (2.0 * std::f64::consts::PI).sqrt();
        let cdf = 0.5 * (1.0 + autograd::Real::erf(z / std::f64::consts::SQRT_2));
        assert!((slope(Activation::Gelu, z) - (cdf + z * phi)).abs() < 1e-15);
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
