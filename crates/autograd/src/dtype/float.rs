//! [`Float`]: the element types a tensor can hold (`f32`, `f64`); sealed. How generic code
//! reaches a dtype's side of the engine's containers is the seam in `dtype.rs`.
//!
//! `Float` is the dtype's maths library: the IEEE functions the table of elementwise
//! primitives (`ops/elementwise/table.rs`) builds its values from, once for both types, plus
//! a `max`/`min` that propagate NaN (as the engine's conventions want). The primitives
//! themselves (`sigmoid`, `relu`, `step`, ...) are table entries, not methods here.

use std::fmt::{Debug, Display};
use std::iter::Sum;
use std::ops::{Add, AddAssign, Div, Mul, MulAssign, Neg, Sub};

use crate::dtype::{ByDtype, DType, Family};

/// An element type of tensors: `f32` or `f64`. Sealed: no other type can implement it.
///
/// ```
/// use autograd::Float;
///
/// fn mean<T: Float>(xs: &[T]) -> T {
///     xs.iter().copied().sum::<T>() / T::from_f64(xs.len() as f64)
/// }
/// assert_eq!(mean(&[1.0f32, 2.0, 6.0]), 3.0);
/// assert_eq!(<f64 as Float>::max(1.0, f64::NAN).is_nan(), true);
/// ```
pub trait Float:
    crate::dtype::sealed::Sealed
    + Copy
    + Debug
    + Display
    + Default
    + PartialEq
    + PartialOrd
    + Send
    + Sync
    + 'static
    + Add<Output = Self>
    + Sub<Output = Self>
    + Mul<Output = Self>
    + Div<Output = Self>
    + Neg<Output = Self>
    + AddAssign
    + MulAssign
    + Sum
{
    /// `"f32"` or `"f64"`, for messages.
    const NAME: &'static str;
    /// This element type as a value.
    const DTYPE: DType;
    /// The dtype seam (`dtype.rs`): `value` on the side of this type.
    #[doc(hidden)]
    fn split<W: Family>(value: W::Of<Self>) -> ByDtype<W>;
    /// The dtype seam: an f32-side value as this type's, `None` if this is f64.
    #[doc(hidden)]
    fn join_f32<W: Family>(value: W::Of<f32>) -> Option<W::Of<Self>>;
    /// The dtype seam: an f64-side value as this type's, `None` if this is f32.
    #[doc(hidden)]
    fn join_f64<W: Family>(value: W::Of<f64>) -> Option<W::Of<Self>>;
    /// 0
    const ZERO: Self;
    /// 1
    const ONE: Self;
    /// The nearest value of this type.
    fn from_f64(x: f64) -> Self;
    /// Widened to `f64` (exact).
    fn to_f64(self) -> f64;
    /// `e^x`
    fn exp(self) -> Self;
    /// Natural logarithm (NaN below 0, `-inf` at 0).
    fn ln(self) -> Self;
    /// Square root (NaN below 0).
    fn sqrt(self) -> Self;
    /// `x^n`
    fn powi(self, n: i32) -> Self;
    /// `x^p`
    fn powf(self, p: Self) -> Self;
    /// Sine.
    fn sin(self) -> Self;
    /// Cosine.
    fn cos(self) -> Self;
    /// Hyperbolic tangent.
    fn tanh(self) -> Self;
    /// `|x|`
    fn abs(self) -> Self;
    /// `ln(1 + x)`, accurate for small `x`.
    fn ln_1p(self) -> Self;
    /// `e^x - 1`, accurate for small `x`.
    fn exp_m1(self) -> Self;
    /// The error function (libm's, correctly rounded to within an ulp or so).
    fn erf(self) -> Self;
    /// The larger; NaN if either is NaN.
    fn max(self, other: Self) -> Self;
    /// The smaller; NaN if either is NaN.
    fn min(self, other: Self) -> Self;
    /// `true` for NaN.
    fn is_nan(self) -> bool;
}

macro_rules! impl_float {
    ($t:ident, $dtype:ident, $erf:path) => {
        impl Float for $t {
            const NAME: &'static str = stringify!($t);
            const DTYPE: DType = DType::$dtype;
            #[inline(always)]
            fn split<W: Family>(value: W::Of<Self>) -> ByDtype<W> {
                ByDtype::$dtype(value)
            }
            #[inline(always)]
            fn join_f32<W: Family>(value: W::Of<f32>) -> Option<W::Of<Self>> {
                // the pattern binds only on this type's own side, where the types are equal
                match ByDtype::<W>::F32(value) {
                    ByDtype::$dtype(same) => Some(same),
                    #[allow(unreachable_patterns)]
                    _ => None,
                }
            }
            #[inline(always)]
            fn join_f64<W: Family>(value: W::Of<f64>) -> Option<W::Of<Self>> {
                match ByDtype::<W>::F64(value) {
                    ByDtype::$dtype(same) => Some(same),
                    #[allow(unreachable_patterns)]
                    _ => None,
                }
            }
            const ZERO: Self = 0.0;
            const ONE: Self = 1.0;
            #[inline]
            fn from_f64(x: f64) -> Self {
                x as $t
            }
            #[inline]
            fn to_f64(self) -> f64 {
                f64::from(self)
            }
            #[inline]
            fn exp(self) -> Self {
                $t::exp(self)
            }
            #[inline]
            fn ln(self) -> Self {
                $t::ln(self)
            }
            #[inline]
            fn sqrt(self) -> Self {
                $t::sqrt(self)
            }
            #[inline]
            fn powi(self, n: i32) -> Self {
                $t::powi(self, n)
            }
            #[inline]
            fn powf(self, p: Self) -> Self {
                $t::powf(self, p)
            }
            #[inline]
            fn sin(self) -> Self {
                $t::sin(self)
            }
            #[inline]
            fn cos(self) -> Self {
                $t::cos(self)
            }
            #[inline]
            fn tanh(self) -> Self {
                $t::tanh(self)
            }
            #[inline]
            fn abs(self) -> Self {
                $t::abs(self)
            }
            #[inline]
            fn ln_1p(self) -> Self {
                $t::ln_1p(self)
            }
            #[inline]
            fn exp_m1(self) -> Self {
                $t::exp_m1(self)
            }
            #[inline]
            fn erf(self) -> Self {
                $erf(self)
            }
            #[inline]
            fn max(self, other: Self) -> Self {
                if self.is_nan() || other.is_nan() {
                    Self::NAN
                } else {
                    $t::max(self, other)
                }
            }
            #[inline]
            fn min(self, other: Self) -> Self {
                if self.is_nan() || other.is_nan() {
                    Self::NAN
                } else {
                    $t::min(self, other)
                }
            }
            #[inline]
            fn is_nan(self) -> bool {
                $t::is_nan(self)
            }
        }
    };
}

impl_float!(f32, F32, libm::erff);
impl_float!(f64, F64, libm::erf);

#[cfg(test)]
mod tests {
    use super::Float;

    fn conventions<T: Float>() {
        let (zero, one, nan) = (T::ZERO, T::ONE, T::from_f64(f64::NAN));
        assert!(nan.max(one).is_nan() && one.min(nan).is_nan() && one.max(nan).is_nan());
        assert_eq!((zero.max(one), zero.min(one)), (one, zero));
    }

    #[test]
    fn both_types_follow_the_conventions() {
        conventions::<f32>();
        conventions::<f64>();
    }
}
