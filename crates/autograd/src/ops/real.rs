//! [`Real`]: the arithmetic shared by plain numbers, tensors and tape variables, generated
//! from the table of elementwise primitives; and `TensorAlgebra`, what tensor chain rules
//! need beyond it.
//!
//! The chain rules are written once against these traits. Run with `f64` and raw tensors
//! they compute gradients as numbers (the fast first-order path); run with [`Var`] and
//! [`TensorVar`] they record the backward pass on the tape, so gradients can be
//! differentiated again. Your own code can do the same: write a function once, evaluate it on
//! numbers or differentiate it.
//!
//! [`Var`]: crate::Var
//! [`TensorVar`]: crate::TensorVar

use std::ops::{Add, Div, Mul, Neg, Sub};

use crate::dtype::Float;
use crate::error::OrPanic;
use crate::ops::elementwise::{
    StoredParam, Unary, binary_value, elementwise_primitives, unary_value,
};
use crate::shape::Shape;
use crate::tensor::{Tensor, Window2d};

/// Emits the items after `method;` only for entries of kind `method` (an `[operator]` entry
/// is spelled with a `std::ops` operator instead).
macro_rules! if_method {
    (method; $($item:tt)*) => { $($item)* };
    (operator; $($item:tt)*) => {};
}
pub(crate) use if_method;

/// The `Real` trait and its implementations for `f64` and raw tensors, from the table.
macro_rules! define_real {
    (
        unary { $(
            $(#[doc = $udoc:expr])*
            $(#[cfg($ucfg:meta)])?
            $uname:ident => $U:ident $({ $($up:ident : $upt:ty as $ust:ty),+ })? [$ukind:ident] {
                $($ubody:tt)*
            }
        )* }
        binary { $(
            $(#[doc = $bdoc:expr])*
            $(#[cfg($bcfg:meta)])?
            $bname:ident | $btry:ident => $B:ident [$bkind:ident] {
                $($bbody:tt)*
            }
        )* }
    ) => {
        /// A real number you can compute with: a plain `f64`, a raw [`Tensor`], or a
        /// [`Var`](crate::Var) or [`TensorVar`](crate::TensorVar) on a tape. Sealed:
        /// implemented by those four kinds only. Its methods are the table of elementwise
        /// primitives (`ops/elementwise/table.rs`), so a new primitive appears here by itself.
        ///
        /// Conventions, the same for all (see `docs/ARCHITECTURE.md`):
        /// - NaN in, NaN out: every op propagates NaN, unlike `f64::max`, so a NaN is never
        ///   hidden.
        /// - Domain errors follow IEEE: `ln(-1)` and `sqrt(-1)` are NaN, `ln(0)` is `-inf`.
        /// - The bound is `Clone`, not `Copy`, so that tensors can be `Real` too. Scalar code
        ///   can ask for `R: Real + Copy` and use values freely; code for tensors clones what
        ///   it reuses.
        /// - At kinks, derivatives take one documented value: `relu'(0) = 0`, `|x|'(0) = 0`,
        ///   `step' = sign' = 0`, and `max`/`min` split a tie's gradient equally between both
        ///   sides.
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
            $( if_method!($ukind;
                $(#[cfg($ucfg)])?
                $(#[doc = $udoc])*
                fn $uname(self $($(, $up: $upt)+)?) -> Self;
            ); )*
            $( if_method!($bkind;
                $(#[cfg($bcfg)])?
                $(#[doc = $bdoc])*
                fn $bname(self, other: Self) -> Self;
            ); )*
        }

        /// The arithmetic of `f64` scalars is the table's, so scalars and tensor elements
        /// agree to the bit.
        impl Real for f64 {
            $( if_method!($ukind;
                $(#[cfg($ucfg)])?
                #[inline]
                fn $uname(self $($(, $up: $upt)+)?) -> f64 {
                    unary_value::$uname(self $($(, $up)+)?)
                }
            ); )*
            $( if_method!($bkind;
                $(#[cfg($bcfg)])?
                #[inline]
                fn $bname(self, other: f64) -> f64 {
                    binary_value::$bname(self, other)
                }
            ); )*
        }

        /// Elementwise functions of raw tensors, with the same conventions as scalars. Binary
        /// ones broadcast and panic naming both shapes if they cannot.
        ///
        /// ```
        /// use autograd::{Real, Tensor};
        ///
        /// let t = Tensor::<f64>::from_vec(vec![-1.0, 0.0, 2.0], [3]).unwrap();
        /// assert_eq!(t.clone().relu().to_vec(), vec![0.0, 0.0, 2.0]);
        /// assert_eq!(t.clone().max(Tensor::scalar(1.0)).to_vec(), vec![1.0, 1.0, 2.0]);
        /// ```
        impl<F: Float> Real for Tensor<F> {
            $( if_method!($ukind;
                $(#[cfg($ucfg)])?
                fn $uname(self $($(, $up: $upt)+)?) -> Self {
                    Unary::$U $({ $($up: StoredParam::store($up)),+ })?.map(&self)
                }
            ); )*
            $( if_method!($bkind;
                $(#[cfg($bcfg)])?
                #[track_caller]
                fn $bname(self, other: Self) -> Self {
                    self.zip(stringify!($bname), &other, binary_value::$bname)
                }
            ); )*
        }
    };
}

elementwise_primitives!(define_real);

/// What tensor chain rules need beyond [`Real`]: shapes, movement, reductions and matrix
/// products. Implemented for raw [`Tensor`]s (gradients as numbers) and for
/// [`TensorVar`](crate::TensorVar)s (the backward pass recorded), so tensor rules too are
/// written once.
pub(crate) trait TensorAlgebra: Real {
    /// The scalar kind that goes with it: `f64` for tensors, `Var` for tensor variables.
    type Scalar: Real;
    fn shape(&self) -> Shape;
    /// Sums down to `shape` (which broadcasts to this one): the un-broadcast.
    fn sum_to_shape(self, shape: &Shape) -> Self;
    fn broadcast_to(self, shape: &Shape) -> Self;
    fn reshape(self, shape: &Shape) -> Self;
    fn permute(self, axes: &[usize]) -> Self;
    fn flip(self, axes: &[usize]) -> Self;
    /// `unfold` with the window and image size of an op parameter (`Window2d::to_param`).
    fn unfold(self, window: &[usize]) -> Self;
    /// `fold` with the window and image size of an op parameter.
    fn fold(self, window: &[usize]) -> Self;
    /// `op(self) · op(rhs)`, `op` transposing an operand whose flag is set.
    fn matmul_transposed(self, rhs: Self, lhs_transposed: bool, rhs_transposed: bool) -> Self;
    fn sum_axes(self, axes: &[usize], keepdim: bool) -> Self;
    fn narrow(self, axis: usize, start: usize, len: usize) -> Self;
    fn pad(self, axis: usize, start: usize, total: usize) -> Self;
    fn index_select(self, axis: usize, indices: &[usize]) -> Self;
    fn index_add(self, axis: usize, indices: &[usize], size: usize) -> Self;
    fn gather(self, axis: usize, index: &[usize], index_shape: &Shape) -> Self;
    fn scatter_add(self, axis: usize, index: &[usize], target: &Shape) -> Self;
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

impl<F: Float> TensorAlgebra for Tensor<F> {
    type Scalar = f64;

    fn shape(&self) -> Shape {
        Tensor::shape(self).clone()
    }
    fn sum_to_shape(self, shape: &Shape) -> Self {
        self.try_sum_to_shape(shape).or_panic()
    }
    fn broadcast_to(self, shape: &Shape) -> Self {
        self.try_broadcast_to(shape).or_panic()
    }
    fn reshape(self, shape: &Shape) -> Self {
        self.try_reshape(shape).or_panic()
    }
    fn permute(self, axes: &[usize]) -> Self {
        self.try_permute(axes).or_panic()
    }
    fn flip(self, axes: &[usize]) -> Self {
        self.try_flip(axes).or_panic()
    }
    fn unfold(self, window: &[usize]) -> Self {
        let (window, _, layout) = Window2d::from_param(window);
        self.unfold_as(window, layout).or_panic()
    }
    fn fold(self, window: &[usize]) -> Self {
        let (window, size, layout) = Window2d::from_param(window);
        self.fold_as(window, size, layout).or_panic()
    }
    fn matmul_transposed(self, rhs: Self, lhs_transposed: bool, rhs_transposed: bool) -> Self {
        self.try_matmul_transposed(&rhs, lhs_transposed, rhs_transposed)
            .or_panic()
    }
    fn sum_axes(self, axes: &[usize], keepdim: bool) -> Self {
        self.try_sum_axes(axes, keepdim).or_panic()
    }
    fn narrow(self, axis: usize, start: usize, len: usize) -> Self {
        self.try_narrow(axis, start, len).or_panic()
    }
    fn pad(self, axis: usize, start: usize, total: usize) -> Self {
        self.try_pad(axis, start, total).or_panic()
    }
    fn index_select(self, axis: usize, indices: &[usize]) -> Self {
        self.try_index_select(axis, indices).or_panic()
    }
    fn index_add(self, axis: usize, indices: &[usize], size: usize) -> Self {
        self.try_index_add(axis, indices, size).or_panic()
    }
    fn gather(self, axis: usize, index: &[usize], index_shape: &Shape) -> Self {
        self.try_gather(axis, index, index_shape).or_panic()
    }
    fn scatter_add(self, axis: usize, index: &[usize], target: &Shape) -> Self {
        self.try_scatter_add(axis, index, target).or_panic()
    }
    fn zeros_like(&self) -> Self {
        Tensor::zeros_like(self)
    }
    fn eq_mask(self, other: Self) -> Self {
        self.try_eq(&other).or_panic()
    }
    fn select(self, on_true: Self, on_false: Self) -> Self {
        self.try_select(&on_true, &on_false).or_panic()
    }
    fn item(self) -> f64 {
        Tensor::item(&self).or_panic().to_f64()
    }
    fn scalar_like(&self, value: f64) -> Self {
        Tensor::scalar(F::from_f64(value))
    }
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
