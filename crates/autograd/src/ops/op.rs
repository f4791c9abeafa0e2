//! [`Op`]: the closed list of primitives the tape records.
//!
//! Every node on the tape is one `Op` naming the nodes it reads. The enum is generated: one
//! variant per entry of the elementwise table (`ops/elementwise/table.rs`) and one per line of
//! the registry of structural tensor primitives below, each with its own file in `ops/`
//! (its struct, reverse rule and tangent rule side by side).
//! `docs/ARCHITECTURE.md` walks through adding one of each.

use std::fmt;

use smallvec::{SmallVec, smallvec};

use super::concat::Concat;
use super::extreme::Extreme;
use super::flip::Flip;
use super::gather::{Gather, ScatterAdd};
use super::index_select::{IndexAdd, IndexSelect};
use super::matmul::MatMul;
use super::movement::{BroadcastTo, Permute, Reshape, SumToShape};
use super::narrow::{Narrow, Pad};
use super::select::Where;
use super::structural::{ReverseContext, StructuralOp, TangentContext};
use super::sum::Sum;
use super::to_tensor::ToTensor;
use super::unfold::{Fold, Unfold};
use crate::ops::elementwise::{Binary, Constant, Unary, elementwise_primitives};
use crate::ops::real::Real;
use crate::ops::real::TensorAlgebra;
use crate::shape::Dims;

/// Index of a node on its tape; also its position in topological order.
///
/// ```
/// let tape = autograd::Tape::new();
/// let x = tape.var(1.0);
/// assert_eq!(x.exp().op(), autograd::Op::Exp { x: x.id() as autograd::NodeId });
/// ```
pub type NodeId = u32;

/// An op parameter that does not fit in the op (a shape, an axis list, an index list),
/// stored on the tape that recorded the op. Read it with [`Tape::param`](crate::Tape::param);
/// it prints as `params[i]`.
///
/// ```
/// use autograd::{Op, Tape, Tensor, ops::Sum};
/// let tape = Tape::new();
/// let x = tape.tensor(Tensor::<f64>::ones([2, 3]));
/// let Op::Sum(Sum { axes, keepdim, .. }) = x.sum_axes(&[1], true).op() else { unreachable!() };
/// assert_eq!((tape.param(axes), keepdim), (vec![1], true));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Param(pub(crate) u32);

impl fmt::Display for Param {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "params[{}]", self.0)
    }
}

/// The `Op` enum and every dispatch over it, from the registry of structural primitives
/// below and the table of elementwise ones: one flat enum, so a sweep dispatches on one tag.
macro_rules! define_op {
    (
        structural { $( $(#[doc = $sdoc:expr])* $V:ident($T:ident), )* }
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
        /// One primitive operation with the ids of its inputs (and any constant parameters).
        ///
        /// Constants that are part of the operation (the `2` in `x * 2`, the exponent of
        /// `powi`) live inside the op, so `2.0 * x` records one node, not two. There is one
        /// variant per elementwise primitive of the table (`ops/elementwise/table.rs`; the
        /// primitive alone is a [`Unary`] or [`Binary`]: see [`Op::as_unary`]) and one per
        /// structural primitive, carrying its struct from [`autograd::ops`](crate::ops).
        ///
        /// ```
        /// use autograd::{Op, Tape, Unary};
        ///
        /// let tape = Tape::new();
        /// let x = tape.var(1.0);
        /// assert_eq!((2.0 * x).op(), Op::Affine { x: 0, scale: 2.0.into(), shift: 0.0.into() });
        /// assert_eq!((x * x).op(), Op::Mul { a: 0, b: 0 });
        /// assert_eq!(x.exp().op().as_unary(), Some((Unary::Exp, 0)));
        /// ```
        #[derive(Debug, Clone, Copy, PartialEq)]
        #[non_exhaustive]
        pub enum Op {
            /// A leaf: a variable or a constant; it reads nothing.
            Leaf,
            $(
                $(#[doc = $udoc])*
                $(#[cfg($ucfg)])?
                $U {
                    /// The input.
                    x: NodeId,
                    $($(
                        #[doc = concat!("The parameter `", stringify!($up), "`.")]
                        $up: $ust,
                    )+)?
                },
            )*
            $(
                $(#[doc = $bdoc])*
                $(#[cfg($bcfg)])?
                $B {
                    /// The first input.
                    a: NodeId,
                    /// The second input.
                    b: NodeId,
                },
            )*
            /// The only element of a one-element tensor, as a scalar variable.
            Item(NodeId),
            $( $(#[doc = $sdoc])* $V($T), )*
        }

        impl Op {
            /// The op that applies `op` to node `x`.
            #[inline(always)]
            pub(crate) fn unary(op: Unary, x: NodeId) -> Op {
                match op {
                    $( $(#[cfg($ucfg)])?
                       Unary::$U $({ $($up),+ })? => Op::$U { x $($(, $up)+)? }, )*
                }
            }

            /// The op that applies `op` to nodes `a` and `b`.
            #[inline(always)]
            pub(crate) fn binary(op: Binary, a: NodeId, b: NodeId) -> Op {
                match op {
                    $( $(#[cfg($bcfg)])? Binary::$B => Op::$B { a, b }, )*
                }
            }

            /// The elementwise primitive of one input and its input, if this is one.
            ///
            /// ```
            /// use autograd::{Tape, Unary};
            /// let tape = Tape::new();
            /// let x = tape.var(2.0);
            /// assert_eq!(x.powi(3).op().as_unary(), Some((Unary::PowI { n: 3 }, 0)));
            /// assert_eq!((x + x).op().as_unary(), None);
            /// ```
            pub fn as_unary(self) -> Option<(Unary, NodeId)> {
                match self {
                    $( $(#[cfg($ucfg)])?
                       Op::$U { x $($(, $up)+)? } => Some((Unary::$U $({ $($up),+ })?, x)), )*
                    _ => None,
                }
            }

            /// The elementwise primitive of two inputs and its inputs, if this is one.
            ///
            /// ```
            /// use autograd::{Binary, Tape};
            /// let tape = Tape::new();
            /// let x = tape.var(2.0);
            /// assert_eq!((x * x).op().as_binary(), Some((Binary::Mul, 0, 0)));
            /// ```
            pub fn as_binary(self) -> Option<(Binary, NodeId, NodeId)> {
                match self {
                    $( $(#[cfg($bcfg)])? Op::$B { a, b } => Some((Binary::$B, a, b)), )*
                    _ => None,
                }
            }

            /// The nodes this op reads (for `Concat`, from its parameter on the tape).
            pub(crate) fn inputs(self, params: &[Dims]) -> SmallVec<[NodeId; 3]> {
                match self {
                    Op::Leaf => smallvec![],
                    Op::Item(a) => smallvec![a],
                    $( $(#[cfg($ucfg)])? Op::$U { x, .. } => smallvec![x], )*
                    $( $(#[cfg($bcfg)])? Op::$B { a, b } => smallvec![a, b], )*
                    $( Op::$V(op) => op.inputs(params), )*
                }
            }

            /// The short name of the op, as printed in reports and graph pictures.
            ///
            /// ```
            /// use autograd::Op;
            /// assert_eq!(Op::Tanh { x: 0 }.name(), "tanh");
            /// ```
            pub fn name(self) -> &'static str {
                match self {
                    Op::Leaf => "leaf",
                    Op::Item(_) => "item",
                    $( $(#[cfg($ucfg)])? Op::$U { .. } => stringify!($uname), )*
                    $( $(#[cfg($bcfg)])? Op::$B { .. } => stringify!($bname), )*
                    $( Op::$V(op) => op.name(), )*
                }
            }

            /// The value of a scalar node, given the values of the nodes it reads: the
            /// table's function on `f64`, so a number and a recorded variable always agree to
            /// the last bit.
            #[inline(always)]
            pub(crate) fn eval(self, value: impl Fn(NodeId) -> f64) -> f64 {
                match self {
                    $( $(#[cfg($ucfg)])?
                       Op::$U { x $($(, $up)+)? } => (Unary::$U $({ $($up),+ })?).eval(value(x)), )*
                    $( $(#[cfg($bcfg)])? Op::$B { a, b } => Binary::$B.eval(value(a), value(b)), )*
                    Op::Leaf => unreachable!("a leaf's value is given, not computed"),
                    _ => unreachable!("{} is computed on tensors", self.name()),
                }
            }

            /// The chain rule of the elementwise primitives, for scalars and tensors alike:
            /// how `g` flows from a node with value `y()` to its inputs (values `x(i)`),
            /// through `acc`, by the table's derivatives. One flat match: the sweep's hottest
            /// branch. Gives the op back if it is not elementwise.
            #[inline(always)]
            pub(crate) fn elementwise_rule<R: Real>(
                self,
                g: R,
                y: impl Fn() -> R,
                x: impl Fn(NodeId) -> R,
                acc: &mut impl FnMut(NodeId, R),
            ) -> Result<(), Op> {
                match self {
                    Op::Leaf => {}
                    $( $(#[cfg($ucfg)])?
                       Op::$U { x: input $($(, $up)+)? } => {
                           let f = Unary::$U $({ $($up),+ })?;
                           if let Some(contribution) = f.derivative(g, || x(input), &y) {
                               acc(input, contribution);
                           }
                       } )*
                    $( $(#[cfg($bcfg)])?
                       Op::$B { a, b } => {
                           let (to_a, to_b) = Binary::$B.derivative(g, || x(a), || x(b), &y);
                           if let Some(contribution) = to_a {
                               acc(a, contribution);
                           }
                           if let Some(contribution) = to_b {
                               acc(b, contribution);
                           }
                       } )*
                    _ => return Err(self),
                }
                Ok(())
            }

            /// Where this op is not differentiable: what decides which side of its kink (or
            /// which piece of its piecewise definition) a value is on; `None` for smooth ops.
            /// The gradient checker uses it to stay off kinks.
            pub(crate) fn kink(self) -> Option<Kink> {
                if let Some((f, a)) = self.as_unary() {
                    return f.has_kink().then_some(Kink::SignOf(a));
                }
                if let Some((f, a, b)) = self.as_binary() {
                    return f.has_kink().then_some(Kink::SignOfDifference(a, b));
                }
                match self {
                    $( Op::$V(op) => op.kink(), )*
                    _ => None,
                }
            }

            /// The reverse rule of a structural op; gives the op back if it is not one.
            #[inline(never)]
            pub(crate) fn structural_reverse<T: TensorAlgebra>(
                self,
                cx: &mut impl ReverseContext<T>,
                g: T,
            ) -> Result<(), Op> {
                match self {
                    $( Op::$V(op) => op.reverse(cx, g), )*
                    _ => return Err(self),
                }
                Ok(())
            }

            /// The tangent rule of a structural op; gives the op back if it is not one.
            pub(crate) fn structural_tangent<T: TensorAlgebra<Scalar = f64>>(
                self,
                cx: &impl TangentContext<T>,
            ) -> Result<T, Op> {
                match self {
                    $( Op::$V(op) => Ok(op.tangent(cx)), )*
                    _ => Err(self),
                }
            }
        }

        impl fmt::Display for Op {
            /// The op with its inputs as node references: `mul(#0, #1)`, `powi(#3, n = 2)`;
            /// a parameter stored on the tape as `params[i]` (read it with `Tape::param`).
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                if let Some((op, a)) = self.as_unary() {
                    return op.fmt_applied(f, a);
                }
                if let Some((op, a, b)) = self.as_binary() {
                    return write!(f, "{}(#{a}, #{b})", op.name());
                }
                match *self {
                    Op::Leaf => write!(f, "leaf"),
                    Op::Item(a) => write!(f, "item(#{a})"),
                    $( Op::$V(op) => fmt::Display::fmt(&op, f), )*
                    _ => unreachable!("every elementwise op is handled above"),
                }
            }
        }
    };
}

elementwise_primitives! {
    define_op
    // The registry of structural tensor primitives: one line each (its variant, its struct
    // in its own file).
    structural {
        /// Sum over axes (`ops/sum.rs`).
        Sum(Sum),
        /// Matrix product (`ops/matmul.rs`).
        MatMul(MatMul),
        /// The same elements in a new shape (`ops/movement.rs`).
        Reshape(Reshape),
        /// Repeated along broadcast axes (`ops/movement.rs`).
        BroadcastTo(BroadcastTo),
        /// Summed down to a shape, broadcasting's adjoint (`ops/movement.rs`).
        SumToShape(SumToShape),
        /// Axes reordered (`ops/movement.rs`).
        Permute(Permute),
        /// Reversed along axes (`ops/flip.rs`).
        Flip(Flip),
        /// Windows of images as columns, im2col (`ops/unfold.rs`).
        Unfold(Unfold),
        /// Columns summed back into images, unfold's adjoint (`ops/unfold.rs`).
        Fold(Fold),
        /// A select by a mask (`ops/select.rs`).
        Where(Where),
        /// The maximum or minimum over axes (`ops/extreme.rs`).
        Extreme(Extreme),
        /// A range of an axis (`ops/narrow.rs`).
        Narrow(Narrow),
        /// Placed in zeros along an axis, narrow's adjoint (`ops/narrow.rs`).
        Pad(Pad),
        /// Tensors joined along an axis (`ops/concat.rs`).
        Concat(Concat),
        /// Slices picked along an axis (`ops/index_select.rs`).
        IndexSelect(IndexSelect),
        /// Slices added at indices, index_select's adjoint (`ops/index_select.rs`).
        IndexAdd(IndexAdd),
        /// One element per position, by an index tensor (`ops/gather.rs`).
        Gather(Gather),
        /// Elements added where an index points, gather's adjoint (`ops/gather.rs`).
        ScatterAdd(ScatterAdd),
        /// A scalar variable as a 0-d tensor (`ops/to_tensor.rs`).
        ToTensor(ToTensor),
    }
}

/// What decides the side of a kink (see [`Op::kink`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Kink {
    /// The sign of one input (`relu`, `abs`, `step`, `sign`).
    SignOf(NodeId),
    /// The sign of `a - b` (`max`, `min`).
    SignOfDifference(NodeId, NodeId),
    /// Which elements of `x` are the extreme over the axes in parameter `axes`.
    Extreme {
        /// The reduced input.
        x: NodeId,
        /// The axis list, stored on the tape: read it with [`Tape::param`](crate::Tape::param).
        axes: Param,
        /// `true` for the maximum, `false` for the minimum.
        max: bool,
    },
}

#[cfg(test)]
mod tests {
    use super::{Op, Sum};

    #[test]
    fn ops_print_with_their_inputs() {
        assert_eq!(Op::Mul { a: 0, b: 1 }.to_string(), "mul(#0, #1)");
        assert_eq!(Op::Exp { x: 3 }.to_string(), "exp(#3)");
        let affine = Op::Affine {
            x: 2,
            scale: 2.0.into(),
            shift: 1.0.into(),
        };
        assert_eq!(affine.to_string(), "affine(#2, scale = 2, shift = 1)");
        assert_eq!(Op::PowI { x: 4, n: -1 }.to_string(), "powi(#4, n = -1)");
        assert_eq!(Op::Leaf.to_string(), "leaf");
        let axes = super::Param(3);
        let sum = Op::Sum(Sum {
            x: 1,
            axes,
            keepdim: true,
        });
        assert_eq!(sum.to_string(), "sum(#1, axes params[3], keepdim = true)");
    }
}
