//! The elementwise primitives as values: [`Unary`] and [`Binary`], generated from the one
//! table in `table.rs`, with each primitive's value on one element, its derivative, its kink
//! and the domains its property tests sample.
//!
//! ```
//! use autograd::{Binary, Unary};
//! assert_eq!(Unary::Exp.eval(0.0f32), 1.0);
//! assert_eq!(Unary::PowI { n: 3 }.eval(2.0), 8.0);
//! assert_eq!(Binary::Max.eval(1.0, f64::NAN).is_nan(), true);
//! assert_eq!(Unary::Relu.name(), "relu");
//! ```

mod table;

use std::fmt;

use crate::dtype::Float;
use crate::ops::real::Real;
use crate::tensor::Tensor;
use crate::tensor::vector_math::VectorFn;

pub(crate) use table::elementwise_primitives;

/// A real constant of an op (affine's scale and shift, powf's exponent): an `f64` stored
/// with 4-byte alignment, so that a node on the tape stays 32 bytes.
///
/// ```
/// use autograd::{Constant, Op, Tape};
/// let tape = Tape::new();
/// let x = tape.var(1.0);
/// let Op::Affine { scale, shift, .. } = x.affine(2.0, 1.0).op() else { unreachable!() };
/// assert_eq!((scale.get(), shift), (2.0, Constant::new(1.0)));
/// ```
#[derive(Clone, Copy)]
#[repr(C, packed(4))]
pub struct Constant(f64);

impl Constant {
    /// The constant `value`.
    ///
    /// ```
    /// assert_eq!(autograd::Constant::new(0.5).get(), 0.5);
    /// ```
    pub const fn new(value: f64) -> Constant {
        Constant(value)
    }

    /// Its value.
    ///
    /// ```
    /// assert_eq!(autograd::Constant::from(2.0).get(), 2.0);
    /// ```
    pub const fn get(self) -> f64 {
        self.0
    }
}

impl From<f64> for Constant {
    fn from(value: f64) -> Constant {
        Constant(value)
    }
}

impl PartialEq for Constant {
    fn eq(&self, other: &Constant) -> bool {
        self.get() == other.get()
    }
}

impl fmt::Debug for Constant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.get(), f)
    }
}

impl fmt::Display for Constant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.get(), f)
    }
}

/// How a table parameter is stored in the op (`i32` as itself, `f64` as a [`Constant`]).
pub(crate) trait StoredParam: Copy {
    /// The type methods take.
    type Arg;
    fn store(arg: Self::Arg) -> Self;
    fn load(self) -> Self::Arg;
}

impl StoredParam for i32 {
    type Arg = i32;
    #[inline(always)]
    fn store(arg: i32) -> i32 {
        arg
    }
    #[inline(always)]
    fn load(self) -> i32 {
        self
    }
}

impl StoredParam for Constant {
    type Arg = f64;
    #[inline(always)]
    fn store(arg: f64) -> Constant {
        Constant(arg)
    }
    #[inline(always)]
    fn load(self) -> f64 {
        self.get()
    }
}

/// Where a primitive's property tests sample an input: `lo ≤ x ≤ hi`, skipping
/// `|x| < min_abs` (a pole at zero).
///
/// ```
/// use autograd::{Domain, Unary};
/// let (op, domain) = Unary::test_cases().into_iter().find(|(op, _)| *op == Unary::Ln).unwrap();
/// assert_eq!(op.name(), "ln");
/// assert!(domain.lo > 0.0 && domain.contains(1.0) && !domain.contains(0.0));
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Domain {
    /// The smallest input.
    pub lo: f64,
    /// The largest input.
    pub hi: f64,
    /// Inputs closer to zero than this are skipped.
    pub min_abs: f64,
}

impl Domain {
    /// `lo ≤ x ≤ hi`.
    ///
    /// ```
    /// assert!(autograd::Domain::between(-1.0, 1.0).contains(0.0));
    /// ```
    pub const fn between(lo: f64, hi: f64) -> Domain {
        Domain {
            lo,
            hi,
            min_abs: 0.0,
        }
    }

    /// `min_abs ≤ |x| ≤ max_abs`, either sign.
    ///
    /// ```
    /// let d = autograd::Domain::away_from_zero(0.1, 3.0);
    /// assert!(d.contains(-2.0) && !d.contains(0.05));
    /// ```
    pub const fn away_from_zero(min_abs: f64, max_abs: f64) -> Domain {
        Domain {
            lo: -max_abs,
            hi: max_abs,
            min_abs,
        }
    }

    /// `true` if `x` is in the domain.
    ///
    /// ```
    /// assert!(!autograd::Domain::between(0.0, 1.0).contains(2.0));
    /// ```
    pub fn contains(&self, x: f64) -> bool {
        self.lo <= x && x <= self.hi && x.abs() >= self.min_abs
    }

    /// The point of the domain at `t` in `[0, 1]` (a sampler's uniform draw), and its
    /// mirror image across zero when `negative` and the domain spans both signs.
    ///
    /// ```
    /// let d = autograd::Domain::away_from_zero(1.0, 3.0);
    /// assert_eq!((d.at(0.0, false), d.at(1.0, true)), (1.0, -3.0));
    /// ```
    pub fn at(&self, t: f64, negative: bool) -> f64 {
        if self.min_abs > 0.0 {
            let magnitude = self.min_abs + t * (self.hi.abs().max(self.lo.abs()) - self.min_abs);
            if negative && self.lo < 0.0 {
                -magnitude
            } else {
                magnitude
            }
        } else {
            self.lo + t * (self.hi - self.lo)
        }
    }
}

/// Binds a derivative's argument to its name, or skips computing it where the table wrote
/// `_` (the scalar sweep then reads no value it does not need).
macro_rules! bind {
    (_ = $value:expr) => {};
    ($name:ident = $value:expr) => {
        let $name = $value;
    };
}

/// The kink words of the table: whether the primitive has one.
macro_rules! has_kink {
    (unary none) => {
        false
    };
    (unary sign) => {
        true
    };
    (binary none) => {
        false
    };
    (binary difference) => {
        true
    };
}

/// The ops layer's part of the table: the enums and everything about one element.
macro_rules! define_elementwise {
    (
        unary { $(
            $(#[doc = $udoc:expr])*
            $(#[cfg($ucfg:meta)])?
            $uname:ident => $U:ident $({ $($up:ident : $upt:ty as $ust:ty),+ })? [$ukind:ident] {
                example: ($uin:expr $(, $uarg:expr)*) => $uout:expr, slope $uslope:expr,
                value: |$ux:ident| $uvalue:expr,
                derivative: |$ug:tt, $udx:tt, $udy:tt| $uderiv:expr,
                kink: $ukink:ident,
                tests: [$($ucase:expr => $udomain:expr),+ $(,)?],
            }
        )* }
        binary { $(
            $(#[doc = $bdoc:expr])*
            $(#[cfg($bcfg:meta)])?
            $bname:ident | $btry:ident => $B:ident [$bkind:ident] {
                example: ($bain:expr, $bbin:expr) => $bout:expr, slopes ($bsa:expr, $bsb:expr),
                value: |$ba:ident, $bb:ident| $bvalue:expr,
                derivative: |$bg:tt, $bda:tt, $bdb:tt, $bdy:tt| $bderiv:expr,
                kink: $bkink:ident,
                tests: [$($bcase:expr => $bdomain:expr),+ $(,)?],
            }
        )* }
    ) => {
        /// An elementwise primitive of one input, with its constant parameters: one entry of
        /// the table in `ops/elementwise/table.rs`, without its input (`Op` has a variant per entry,
        /// with the input: see [`Op::as_unary`](crate::Op::as_unary)).
        ///
        /// ```
        /// use autograd::{Op, Tape, Unary};
        /// let tape = Tape::new();
        /// let x = tape.var(2.0);
        /// assert_eq!(x.powi(3).op().as_unary(), Some((Unary::PowI { n: 3 }, 0)));
        /// assert_eq!(x.powi(3).op(), Op::PowI { x: 0, n: 3 });
        /// assert_eq!(x.powi(3).op().to_string(), "powi(#0, n = 3)");
        /// ```
        #[derive(Debug, Clone, Copy, PartialEq)]
        #[non_exhaustive]
        pub enum Unary {
            $(
                $(#[cfg($ucfg)])?
                $(#[doc = $udoc])*
                $U $({ $(
                    #[doc = concat!("The parameter `", stringify!($up), "`.")]
                    $up: $ust
                ),+ })?,
            )*
        }

        /// An elementwise primitive of two inputs, broadcasting: one entry of the table in
        /// `ops/elementwise/table.rs`, without its inputs (see
        /// [`Op::as_binary`](crate::Op::as_binary)).
        ///
        /// ```
        /// use autograd::{Binary, Op, Tape};
        /// let tape = Tape::new();
        /// let (a, b) = (tape.var(2.0), tape.var(3.0));
        /// assert_eq!((a * b).op(), Op::Mul { a: 0, b: 1 });
        /// assert_eq!((a * b).op().as_binary(), Some((Binary::Mul, 0, 1)));
        /// ```
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum Binary {
            $(
                $(#[cfg($bcfg)])?
                $(#[doc = $bdoc])*
                $B,
            )*
        }

        /// Each primitive's value on one element, written once for both dtypes.
        #[allow(clippy::too_many_arguments)]
        pub(crate) mod unary_value {
            use crate::dtype::Float;
            $(
                $(#[cfg($ucfg)])?
                #[inline(always)]
                pub(crate) fn $uname<T: Float>($ux: T $($(, $up: $upt)+)?) -> T {
                    $uvalue
                }
            )*
        }

        /// Each binary primitive's value on a pair of elements.
        pub(crate) mod binary_value {
            use crate::dtype::Float;
            $(
                $(#[cfg($bcfg)])?
                #[inline(always)]
                pub(crate) fn $bname<T: Float>($ba: T, $bb: T) -> T {
                    $bvalue
                }
            )*
        }

        impl Unary {
            /// The method name: `"exp"`, `"powi"`.
            ///
            /// ```
            /// assert_eq!(autograd::Unary::Ln1p.name(), "ln_1p");
            /// ```
            pub fn name(self) -> &'static str {
                match self {
                    $( $(#[cfg($ucfg)])? Unary::$U { .. } => stringify!($uname), )*
                }
            }

            /// The value on one element (the same function the tape and tensors use).
            ///
            /// ```
            /// assert_eq!(autograd::Unary::Sigmoid.eval(0.0f32), 0.5);
            /// ```
            #[inline(always)]
            pub fn eval<T: Float>(self, x: T) -> T {
                match self {
                    $( $(#[cfg($ucfg)])?
                       Unary::$U $({ $($up),+ })? => {
                           $($( let $up: $upt = StoredParam::load($up); )+)?
                           unary_value::$uname(x $($(, $up)+)?)
                       } )*
                }
            }

            /// The value on every element of `t` (the op is matched once, outside the loop).
            pub(crate) fn map<T: Float>(self, t: &Tensor<T>) -> Tensor<T> {
                if let Some(y) = self.vectorised().and_then(|f| t.map_vectorised(f)) {
                    return y;
                }
                match self {
                    $( $(#[cfg($ucfg)])?
                       Unary::$U $({ $($up),+ })? => {
                           $($( let $up: $upt = StoredParam::load($up); )+)?
                           t.map(|x| unary_value::$uname(x $($(, $up)+)?))
                       } )*
                }
            }

            /// The chain rule: what the upstream gradient `g` contributes to the input `x`,
            /// given the op's value `y`; `None` where the derivative is zero everywhere.
            #[inline(always)]
            #[allow(unused_variables)]
            pub(crate) fn derivative<V: Real>(
                self,
                g: V,
                x: impl FnOnce() -> V,
                y: impl FnOnce() -> V,
            ) -> Option<V> {
                match self {
                    $( $(#[cfg($ucfg)])?
                       Unary::$U $({ $($up),+ })? => {
                           $($( let $up: $upt = StoredParam::load($up); )+)?
                           bind!($ug = g);
                           bind!($udx = x());
                           bind!($udy = y());
                           $uderiv
                       } )*
                }
            }

            /// `true` if the primitive is not differentiable where its input changes sign.
            pub(crate) fn has_kink(self) -> bool {
                match self {
                    $( $(#[cfg($ucfg)])? Unary::$U { .. } => has_kink!(unary $ukink), )*
                }
            }

            /// Prints the constant parameters, `, n = 3`, after the input.
            fn fmt_params(self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                match self {
                    $( $(#[cfg($ucfg)])?
                       Unary::$U $({ $($up),+ })? => {
                           $($( let $up: $upt = StoredParam::load($up); )+)?
                           $($( write!(f, ", {} = {}", stringify!($up), $up)?; )+)?
                           Ok(())
                       } )*
                }
            }

            /// Every primitive (once per tested parameter value) with the domain its
            /// property tests sample: the generated test suites iterate over this.
            ///
            /// ```
            /// let cases = autograd::Unary::test_cases();
            /// assert!(cases.iter().any(|(op, _)| op.name() == "erf"));
            /// ```
            pub fn test_cases() -> Vec<(Unary, Domain)> {
                #[allow(unused_imports)]
                use Unary::*;
                let mut cases = Vec::new();
                $( $(#[cfg($ucfg)])? cases.extend([$(($ucase, $udomain)),+]); )*
                cases
            }
        }

        impl Binary {
            /// The method name: `"add"`, `"xlogy"`.
            ///
            /// ```
            /// assert_eq!(autograd::Binary::XLogY.name(), "xlogy");
            /// ```
            pub fn name(self) -> &'static str {
                match self {
                    $( $(#[cfg($bcfg)])? Binary::$B => stringify!($bname), )*
                }
            }

            /// The value on one pair of elements.
            ///
            /// ```
            /// assert_eq!(autograd::Binary::XLogY.eval(0.0, 0.0), 0.0);
            /// ```
            #[inline(always)]
            pub fn eval<T: Float>(self, a: T, b: T) -> T {
                match self {
                    $( $(#[cfg($bcfg)])? Binary::$B => binary_value::$bname(a, b), )*
                }
            }

            /// The chain rule: what `g` contributes to `a` and to `b`, given the op's value
            /// `y`.
            #[inline(always)]
            #[allow(unused_variables)]
            pub(crate) fn derivative<V: Real>(
                self,
                g: V,
                a: impl FnOnce() -> V,
                b: impl FnOnce() -> V,
                y: impl FnOnce() -> V,
            ) -> (Option<V>, Option<V>) {
                match self {
                    $( $(#[cfg($bcfg)])?
                       Binary::$B => {
                           bind!($bg = g);
                           bind!($bda = a());
                           bind!($bdb = b());
                           bind!($bdy = y());
                           $bderiv
                       } )*
                }
            }

            /// `true` if the primitive is not differentiable where `a - b` changes sign.
            pub(crate) fn has_kink(self) -> bool {
                match self {
                    $( $(#[cfg($bcfg)])? Binary::$B => has_kink!(binary $bkink), )*
                }
            }

            /// Every primitive with the domains of its two inputs for property tests.
            ///
            /// ```
            /// assert!(autograd::Binary::test_cases().iter().any(|(op, _)| op.name() == "pow"));
            /// ```
            pub fn test_cases() -> Vec<(Binary, (Domain, Domain))> {
                #[allow(unused_imports)]
                use Binary::*;
                let mut cases = Vec::new();
                $( $(#[cfg($bcfg)])? cases.extend([$(($bcase, $bdomain)),+]); )*
                cases
            }
        }
    };
}

elementwise_primitives!(define_elementwise);

impl Unary {
    /// The vectorised kernel that computes this primitive's value on `f32` tensors, if one
    /// exists (`tensor/vector_math/`; each within 2 ulp of the exact value, where libm's
    /// scalar function, used for the rest, is within 1).
    fn vectorised(self) -> Option<VectorFn> {
        match self {
            Unary::Exp => Some(VectorFn::Exp),
            Unary::Tanh => Some(VectorFn::Tanh),
            Unary::Sigmoid => Some(VectorFn::Sigmoid),
            Unary::Ln => Some(VectorFn::Ln),
            Unary::Erf => Some(VectorFn::Erf),
            _ => None,
        }
    }

    /// Prints `name(#input, params)`.
    pub(crate) fn fmt_applied(self, f: &mut fmt::Formatter<'_>, input: u32) -> fmt::Result {
        write!(f, "{}(#{input}", self.name())?;
        self.fmt_params(f)?;
        write!(f, ")")
    }
}

#[cfg(test)]
mod tests;
