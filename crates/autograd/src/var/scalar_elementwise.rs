//! The elementwise primitives as methods of [`Var`] (and its [`Real`] implementation),
//! generated from the table in `ops/elementwise/table.rs`: one node each, its value the
//! table's function on `f64`.

use crate::ops::elementwise::{Binary, StoredParam, Unary, elementwise_primitives};
use crate::ops::real::{Real, if_method};
use crate::ops::{NodeId, Op};
use crate::var::Var;

macro_rules! define_var_methods {
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
        impl<'t> Var<'t> {
            $( if_method!($ukind;
                $(#[cfg($ucfg)])?
                $(#[doc = $udoc])*
                ///
                /// ```
                /// let tape = autograd::Tape::new();
                #[doc = concat!("let x = tape.var(", stringify!($uin), ");")]
                #[doc = concat!("let y = x.", stringify!($uname), "(", stringify!($($uarg),*), ");")]
                #[doc = concat!("assert_eq!(y.value(), ", stringify!($uout), ");")]
                #[doc = concat!("assert_eq!(y.backward().wrt(x), ", stringify!($uslope), "); // the slope")]
                /// ```
                #[inline]
                #[track_caller]
                pub fn $uname(self $($(, $up: $upt)+)?) -> Var<'t> {
                    self.unary(Unary::$U $({ $($up: StoredParam::store($up)),+ })?)
                }
            ); )*
            $( if_method!($bkind;
                $(#[cfg($bcfg)])?
                $(#[doc = $bdoc])*
                ///
                /// ```
                /// let tape = autograd::Tape::new();
                #[doc = concat!("let (a, b) = (tape.var(", stringify!($bain), "), tape.var(", stringify!($bbin), "));")]
                #[doc = concat!("let y = a.", stringify!($bname), "(b);")]
                #[doc = concat!("assert_eq!(y.value(), ", stringify!($bout), ");")]
                /// let grads = y.backward();
                #[doc = concat!("assert_eq!((grads.wrt(a), grads.wrt(b)), (", stringify!($bsa), ", ", stringify!($bsb), "));")]
                /// ```
                #[inline]
                #[track_caller]
                pub fn $bname(self, other: Var<'t>) -> Var<'t> {
                    self.binary(other, Binary::$B)
                }
            ); )*
        }

        impl Real for Var<'_> {
            $( if_method!($ukind;
                $(#[cfg($ucfg)])?
                #[inline]
                #[track_caller]
                fn $uname(self $($(, $up: $upt)+)?) -> Self {
                    Var::$uname(self $($(, $up)+)?)
                }
            ); )*
            $( if_method!($bkind;
                $(#[cfg($bcfg)])?
                #[inline]
                #[track_caller]
                fn $bname(self, other: Self) -> Self {
                    Var::$bname(self, other)
                }
            ); )*
        }
    };
}

elementwise_primitives!(define_var_methods);

impl<'t> Var<'t> {
    /// Records the elementwise primitive `op` applied to this variable: `x.apply(Unary::Exp)`
    /// is `x.exp()`, for code that picks the primitive at run time.
    ///
    /// ```
    /// use autograd::{Tape, Unary};
    /// let tape = Tape::new();
    /// let x = tape.var(2.0);
    /// assert_eq!(x.apply(Unary::PowI { n: 2 }).value(), x.powi(2).value());
    /// ```
    #[inline(always)]
    #[track_caller]
    pub fn apply(self, op: Unary) -> Var<'t> {
        self.unary(op)
    }

    /// Records the binary elementwise primitive `op` on this variable and `other`.
    ///
    /// ```
    /// use autograd::{Binary, Tape};
    /// let tape = Tape::new();
    /// let (a, b) = (tape.var(2.0), tape.var(3.0));
    /// assert_eq!(a.apply_binary(Binary::Mul, b).value(), 6.0);
    /// ```
    #[inline(always)]
    #[track_caller]
    pub fn apply_binary(self, op: Binary, other: Var<'t>) -> Var<'t> {
        self.binary(other, op)
    }

    #[inline(always)]
    #[track_caller]
    pub(crate) fn unary(self, op: Unary) -> Var<'t> {
        self.tape().record(Op::unary(op, self.node_id()))
    }

    #[inline(always)]
    #[track_caller]
    pub(crate) fn binary(self, rhs: Var<'t>, op: Binary) -> Var<'t> {
        self.same_tape(rhs);
        let ids: (NodeId, NodeId) = (self.node_id(), rhs.node_id());
        self.tape().record(Op::binary(op, ids.0, ids.1))
    }
}
