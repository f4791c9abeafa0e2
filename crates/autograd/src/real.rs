//! [`Real`]: the arithmetic shared by plain numbers and tape variables.
//!
//! The chain-rule table in `backward.rs` is written once against this trait. Run with `f64`
//! it computes gradients as numbers (the fast first-order path); run with [`Var`] it records
//! the backward pass on the tape, so gradients can be differentiated again. Your own code can
//! do the same: write a function once, evaluate it on numbers or differentiate it.

use std::ops::{Add, Div, Mul, Neg, Sub};

use crate::element::Float;

/// A real number you can compute with: a plain `f64` or a [`Var`](crate::Var) on a tape (and
/// tensors, raw or recorded). Sealed: implemented by those four kinds only.
///
/// Conventions, the same for both (see `docs/ARCHITECTURE.md`):
/// - NaN in, NaN out: every op propagates NaN, unlike `f64::max`, so a NaN is never hidden.
/// - Domain errors follow IEEE: `ln(-1)` and `sqrt(-1)` are NaN, `ln(0)` is `-inf`.
/// - The bound is `Clone`, not `Copy`, so that tensors can be `Real` too. Scalar code can ask
///   for `R: Real + Copy` and use values freely; code for tensors clones what it reuses.
/// - At kinks, derivatives take one documented value: `relu'(0) = 0`, `|x|'(0) = 0`,
///   `step' = sign' = 0`, and `max`/`min` split a tie's gradient equally between both sides.
///
/// ```
/// use autograd::{Real, Tape};
///
/// // y = x^2 + 5x + 4, written once
/// fn f<R: Real + Copy>(x: R) -> R {
///     x * x + x.affine(5.0, 4.0)
/// }
///
/// assert_eq!(f(2.0), 18.0);
/// let tape = Tape::new();
/// let x = tape.var(2.0);
/// let y = f(x);
/// assert_eq!(y.value(), 18.0);
/// assert_eq!(y.backward().wrt(x), 9.0); // dy/dx = 2x + 5
/// ```
pub trait Real:
    crate::dtype::sealed::Sealed
    + Clone
    + Add<Output = Self>
    + Sub<Output = Self>
    + Mul<Output = Self>
    + Div<Output = Self>
    + Neg<Output = Self>
    + Add<f64, Output = Self>
    + Sub<f64, Output = Self>
    + Mul<f64, Output = Self>
    + Div<f64, Output = Self>
{
    /// `scale * self + shift`
    fn affine(self, scale: f64, shift: f64) -> Self;
    /// `e^self`
    fn exp(self) -> Self;
    /// Natural logarithm; NaN below zero, `-inf` at zero.
    fn ln(self) -> Self;
    /// Square root; NaN below zero.
    fn sqrt(self) -> Self;
    /// `self^n` for an integer `n`.
    fn powi(self, n: i32) -> Self;
    /// `self^p` for a constant real `p`.
    fn powf(self, p: f64) -> Self;
    /// `self^exponent` with a variable exponent.
    fn pow(self, exponent: Self) -> Self;
    /// Sine.
    fn sin(self) -> Self;
    /// Cosine.
    fn cos(self) -> Self;
    /// Hyperbolic tangent.
    fn tanh(self) -> Self;
    /// Logistic sigmoid `1 / (1 + e^-x)`, computed without overflow for any `x`.
    fn sigmoid(self) -> Self;
    /// `ln(1 + x)`, accurate where `x` is small (`ln(1 + 1e-20)` is `1e-20`, not 0).
    fn ln_1p(self) -> Self;
    /// `e^x - 1`, accurate where `x` is small.
    fn exp_m1(self) -> Self;
    /// The error function `erf(x) = 2/√π ∫₀^x e^(-t²) dt`; `erf'(x) = 2/√π e^(-x²)`.
    fn erf(self) -> Self;
    /// `max(0, x)`; `relu'(0) = 0`.
    fn relu(self) -> Self;
    /// `|x|`; `|x|'(0) = 0`.
    fn abs(self) -> Self;
    /// The larger of two; a tie sends half the gradient each way.
    fn max(self, other: Self) -> Self;
    /// The smaller of two; a tie sends half the gradient each way.
    fn min(self, other: Self) -> Self;
    /// The threshold unit: `1 if x > 0 else 0` (so `step(0) = 0`); derivative zero.
    fn step(self) -> Self;
    /// `-1`, `0` or `1` by the sign of `x`, with `sign(0) = 0`; derivative zero.
    fn sign(self) -> Self;
    /// `x · ln y`, defined as 0 where `x = 0` (whatever `y`): the limit entropies need.
    fn xlogy(self, y: Self) -> Self;
}

/// The arithmetic of `f64` scalars is [`Float`]'s, so scalars and tensor elements agree.
impl Real for f64 {
    #[inline]
    fn affine(self, scale: f64, shift: f64) -> f64 {
        scale * self + shift
    }
    #[inline]
    fn exp(self) -> f64 {
        Float::exp(self)
    }
    #[inline]
    fn ln(self) -> f64 {
        Float::ln(self)
    }
    #[inline]
    fn sqrt(self) -> f64 {
        Float::sqrt(self)
    }
    #[inline]
    fn powi(self, n: i32) -> f64 {
        Float::powi(self, n)
    }
    #[inline]
    fn powf(self, p: f64) -> f64 {
        Float::powf(self, p)
    }
    #[inline]
    fn pow(self, exponent: f64) -> f64 {
        Float::powf(self, exponent)
    }
    #[inline]
    fn sin(self) -> f64 {
        Float::sin(self)
    }
    #[inline]
    fn cos(self) -> f64 {
        Float::cos(self)
    }
    #[inline]
    fn tanh(self) -> f64 {
        Float::tanh(self)
    }
    #[inline]
    fn sigmoid(self) -> f64 {
        Float::sigmoid(self)
    }
    #[inline]
    fn ln_1p(self) -> f64 {
        Float::ln_1p(self)
    }
    #[inline]
    fn exp_m1(self) -> f64 {
        Float::exp_m1(self)
    }
    #[inline]
    fn erf(self) -> f64 {
        Float::erf(self)
    }
    #[inline]
    fn relu(self) -> f64 {
        Float::relu(self)
    }
    #[inline]
    fn abs(self) -> f64 {
        Float::abs(self)
    }
    #[inline]
    fn max(self, other: f64) -> f64 {
        Float::max(self, other)
    }
    #[inline]
    fn min(self, other: f64) -> f64 {
        Float::min(self, other)
    }
    #[inline]
    fn step(self) -> f64 {
        Float::step(self)
    }
    #[inline]
    fn sign(self) -> f64 {
        Float::sign(self)
    }
    #[inline]
    fn xlogy(self, y: f64) -> f64 {
        Float::xlogy(self, y)
    }
}

/// What tensor chain rules need beyond [`Real`]: shapes, movement, reductions and matrix
/// products. Implemented for raw [`Tensor`](crate::Tensor)s (gradients as numbers) and for
/// [`TensorVar`](crate::TensorVar)s (the backward pass recorded), so tensor rules too are
/// written once.
pub(crate) trait TensorAlgebra: Real {
    /// The scalar kind that goes with it: `f64` for tensors, `Var` for tensor variables.
    type Scalar: Real;
    fn shape(&self) -> crate::Shape;
    /// Sums down to `shape` (which broadcasts to this one): the un-broadcast.
    fn sum_to_shape(self, shape: &crate::Shape) -> Self;
    fn broadcast_to(self, shape: &crate::Shape) -> Self;
    fn reshape(self, shape: &crate::Shape) -> Self;
    fn permute(self, axes: &[usize]) -> Self;
    /// `op(self) · op(rhs)`, `op` transposing an operand whose flag is set.
    fn matmul_transposed(self, rhs: Self, lhs_transposed: bool, rhs_transposed: bool) -> Self;
    fn sum_axes(self, axes: &[usize], keepdim: bool) -> Self;
    fn narrow(self, axis: usize, start: usize, len: usize) -> Self;
    fn pad(self, axis: usize, start: usize, total: usize) -> Self;
    fn index_select(self, axis: usize, indices: &[usize]) -> Self;
    fn index_add(self, axis: usize, indices: &[usize], size: usize) -> Self;
    fn gather(self, axis: usize, index: &[usize], index_shape: &crate::Shape) -> Self;
    fn scatter_add(self, axis: usize, index: &[usize], target: &crate::Shape) -> Self;
    /// Zeros of this shape (a constant).
    fn zeros_like(&self) -> Self;
    /// A constant mask: 1 where `self == other` (broadcasting), else 0.
    fn eq_mask(self, other: Self) -> Self;
    /// `on_true` where this mask is non-zero, `on_false` elsewhere.
    fn select(self, on_true: Self, on_false: Self) -> Self;
    /// The only element of a one-element tensor.
    fn item(self) -> Self::Scalar;
    /// A 0-d tensor holding `value`, on the same tape as `self` where there is one.
    fn scalar_like(&self, value: Self::Scalar) -> Self;
}

#[cfg(test)]
mod tests {
    use super::Real;

    #[test]
    fn sigmoid_is_finite_and_symmetric_far_out() {
        assert_eq!(Real::sigmoid(1000.0), 1.0);
        assert_eq!(Real::sigmoid(-1000.0), 0.0);
        assert_eq!(Real::sigmoid(0.0), 0.5);
        let x = 3.7_f64;
        assert!((Real::sigmoid(x) + Real::sigmoid(-x) - 1.0).abs() < 1e-15);
    }

    #[test]
    fn nan_propagates_through_every_selecting_op() {
        let nan = f64::NAN;
        assert!(Real::relu(nan).is_nan());
        assert!(Real::max(nan, 1.0).is_nan());
        assert!(Real::max(1.0, nan).is_nan());
        assert!(Real::min(nan, 1.0).is_nan());
        assert!(Real::step(nan).is_nan());
        assert!(Real::sign(nan).is_nan());
    }

    #[test]
    fn kink_conventions() {
        assert_eq!(Real::relu(0.0), 0.0);
        assert_eq!(Real::relu(-2.0), 0.0);
        assert_eq!(Real::relu(f64::NEG_INFINITY), 0.0);
        assert_eq!(Real::step(0.0), 0.0);
        assert_eq!(Real::step(1e-300), 1.0);
        assert_eq!(Real::sign(0.0), 0.0);
        assert_eq!(Real::sign(-0.5), -1.0);
    }
}
