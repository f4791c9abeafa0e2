//! The elementwise primitives as methods of [`TensorVar`] (and its [`Real`] implementation),
//! generated from the table in `ops/elementwise/table.rs`: one node each, its value the
//! table's function mapped over the elements (binary ones broadcasting, with `try_` forms
//! that return the shape error).

use super::TensorVar;
use crate::dtype::Float;
use crate::error::{OrPanic, Result};
use crate::ops::elementwise::{Binary, StoredParam, Unary, binary_value, elementwise_primitives};
use crate::ops::real::{Real, if_method};
use crate::ops::{NodeId, Op};

macro_rules! define_tensor_var_methods {
    (
        unary { $(
            $(#[doc = $udoc:expr])*
            $(#[cfg($ucfg:meta)])?
            $uname:ident => $U:ident $({ $($up:ident : $upt:ty as $ust:ty),+ })? [$ukind:ident] {
                example: ($uin:expr $(, $uarg:expr)*) => $uout:expr, slope $uslope:expr,
                $($urest:tt)*
            }
        )* }
        binary { $(
            $(#[doc = $bdoc:expr])*
            $(#[cfg($bcfg:meta)])?
            $bname:ident | $btry:ident => $B:ident [$bkind:ident] {
                example: ($bain:expr, $bbin:expr) => $bout:expr, slopes ($bsa:expr, $bsb:expr),
                $($brest:tt)*
            }
        )* }
    ) => {
        impl<'t, F: Float> TensorVar<'t, F> {
            $( if_method!($ukind;
                $(#[cfg($ucfg)])?
                $(#[doc = $udoc])*
                /// Elementwise.
                ///
                /// ```
                /// use autograd::{Tape, Tensor};
                /// let tape = Tape::new();
                #[doc = concat!("let x = tape.tensor(Tensor::<f64>::full([2], ", stringify!($uin), "));")]
                #[doc = concat!("let y = x.", stringify!($uname), "(", stringify!($($uarg),*), ");")]
                #[doc = concat!("assert_eq!(y.value().to_vec(), vec![", stringify!($uout), "; 2]);")]
                #[doc = concat!("assert_eq!(y.sum().backward().wrt(x).to_vec(), vec![", stringify!($uslope), "; 2]);")]
                /// ```
                #[track_caller]
                pub fn $uname(self $($(, $up: $upt)+)?) -> Self {
                    self.apply(Unary::$U $({ $($up: StoredParam::store($up)),+ })?)
                }
            ); )*
            $(
                $(#[cfg($bcfg)])?
                $(#[doc = $bdoc])*
                /// Elementwise, broadcasting; an error naming both shapes if they do not
                /// broadcast, or if the operands are on two tapes.
                ///
                /// ```
                /// use autograd::{Tape, Tensor};
                /// let tape = Tape::new();
                #[doc = concat!("let a = tape.tensor(Tensor::<f64>::full([2, 3], ", stringify!($bain), "));")]
                #[doc = concat!("let b = tape.tensor(Tensor::<f64>::full([3], ", stringify!($bbin), ")); // broadcast over the rows")]
                #[doc = concat!("let y = a.", stringify!($btry), "(b).unwrap();")]
                #[doc = concat!("assert_eq!(y.value().to_vec(), vec![", stringify!($bout), "; 6]);")]
                /// let grads = y.sum().backward();
                #[doc = concat!("assert_eq!(grads.wrt(a).to_vec(), vec![", stringify!($bsa), "; 6]);")]
                #[doc = concat!("assert_eq!(grads.wrt(b).to_vec(), vec![2.0 * (", stringify!($bsb), "); 3]); // summed over the rows")]
                /// let c = tape.tensor(Tensor::<f64>::zeros([2]));
                #[doc = concat!("let err = a.", stringify!($btry), "(c).unwrap_err();")]
                #[doc = concat!("assert_eq!(err.to_string(), \"shape mismatch in ", stringify!($bname), ": lhs [2, 3], rhs [2]\");")]
                /// ```
                #[track_caller]
                pub fn $btry(self, other: TensorVar<'t, F>) -> Result<Self> {
                    self.try_binary(other, Binary::$B, binary_value::$bname)
                }
            )*
            $( if_method!($bkind;
                $(#[cfg($bcfg)])?
                #[doc = concat!("[`", stringify!($btry), "`](Self::", stringify!($btry),
                    ") that panics with the same message, at the caller's line.")]
                ///
                /// ```
                /// use autograd::{Tape, Tensor};
                /// let tape = Tape::new();
                #[doc = concat!("let a = tape.tensor(Tensor::<f64>::full([2], ", stringify!($bain), "));")]
                #[doc = concat!("let b = tape.tensor(Tensor::<f64>::scalar(", stringify!($bbin), "));")]
                #[doc = concat!("assert_eq!(a.", stringify!($bname), "(b).value().to_vec(), vec![", stringify!($bout), "; 2]);")]
                /// ```
                #[track_caller]
                pub fn $bname(self, other: TensorVar<'t, F>) -> Self {
                    self.$btry(other).or_panic()
                }
            ); )*
        }

        impl<F: Float> Real for TensorVar<'_, F> {
            $( if_method!($ukind;
                $(#[cfg($ucfg)])?
                #[track_caller]
                fn $uname(self $($(, $up: $upt)+)?) -> Self {
                    TensorVar::$uname(self $($(, $up)+)?)
                }
            ); )*
            $( if_method!($bkind;
                $(#[cfg($bcfg)])?
                #[track_caller]
                fn $bname(self, other: Self) -> Self {
                    TensorVar::$bname(self, other)
                }
            ); )*
        }
    };
}

elementwise_primitives!(define_tensor_var_methods);

impl<'t, F: Float> TensorVar<'t, F> {
    /// Records the elementwise primitive `op` applied to every element: `x.apply(Unary::Exp)`
    /// is `x.exp()`, for code that picks the primitive at run time.
    ///
    /// ```
    /// use autograd::{Tape, Tensor, Unary};
    /// let tape = Tape::new();
    /// let x = tape.tensor(Tensor::<f32>::full([3], 2.0));
    /// assert_eq!(x.apply(Unary::PowI { n: 2 }).value().to_vec(), vec![4.0; 3]);
    /// ```
    #[track_caller]
    pub fn apply(self, op: Unary) -> Self {
        let value = op.map(&self.value());
        self.tape.push_tensor(Op::unary(op, self.id), value)
    }

    /// Records the binary elementwise primitive `op` on this tensor and `other`,
    /// broadcasting; an error naming both shapes if they do not broadcast.
    ///
    /// ```
    /// use autograd::{Binary, Tape, Tensor};
    /// let tape = Tape::new();
    /// let a = tape.tensor(Tensor::<f64>::full([2], 3.0));
    /// let y = a.try_apply_binary(Binary::Mul, a).unwrap();
    /// assert_eq!(y.value().to_vec(), vec![9.0, 9.0]);
    /// ```
    #[track_caller]
    pub fn try_apply_binary(self, op: Binary, other: TensorVar<'t, F>) -> Result<Self> {
        self.try_binary(other, op, |a, b| op.eval(a, b))
    }

    /// Records a broadcasting binary primitive after checking tapes and shapes.
    #[track_caller]
    fn try_binary(
        self,
        rhs: TensorVar<'t, F>,
        op: Binary,
        // generic, not a `fn` pointer: each op's function inlines into the loop and vectorises
        f: impl Fn(F, F) -> F + Sync,
    ) -> Result<Self> {
        self.same_tape(rhs.tape, rhs.id)?;
        let value = self.value().try_zip(op.name(), &rhs.value(), f)?;
        let ids: (NodeId, NodeId) = (self.id, rhs.id);
        Ok(self.tape.push_tensor(Op::binary(op, ids.0, ids.1), value))
    }
}
