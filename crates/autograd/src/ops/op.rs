//! [`Op`]: the closed list of primitives the tape records.
//!
//! Every node on the tape is one `Op` naming the nodes it reads. The elementwise primitives
//! are two variants, [`Op::Unary`] and [`Op::Binary`], whose table is
//! `ops/elementwise/table.rs`; every other variant is a structural tensor primitive with its
//! own file in `ops/` (shape check, kernel call, reverse rule and tangent rule side by side).
//! `docs/ARCHITECTURE.md` walks through adding one of each.

use std::fmt;

use smallvec::{SmallVec, smallvec};

use super::concat::Concat;
use super::extreme::Extreme;
use super::gather::{Gather, ScatterAdd};
use super::index_select::{IndexAdd, IndexSelect};
use super::matmul::MatMul;
use super::movement::{BroadcastTo, Permute, Reshape, SumToShape};
use super::narrow::{Narrow, Pad};
use super::select::Where;
use super::structural::{ReverseContext, StructuralOp, TangentContext};
use super::sum::Sum;
use super::to_tensor::ToTensor;
use crate::ops::elementwise::{Binary, Unary};
use crate::ops::real::TensorAlgebra;
use crate::shape::Dims;

/// Index of a node on its tape; also its position in topological order.
///
/// ```
/// let tape = autograd::Tape::new();
/// let x = tape.var(1.0);
/// assert_eq!(x.exp().op(), autograd::Op::Unary(autograd::Unary::Exp, x.id() as autograd::NodeId));
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

/// The registry of structural tensor primitives: one line each (its variant, its struct in
/// its own file), from which the `Op` enum and every dispatch over it are generated.
macro_rules! structural_ops {
    ($( $(#[doc = $doc:expr])* $V:ident($T:ident), )*) => {
        /// One primitive operation with the ids of its inputs (and any constant parameters).
        ///
        /// Constants that are part of the operation (the `2` in `x * 2`, the exponent of
        /// `powi`) live inside the op, so `2.0 * x` records one node, not two. The
        /// elementwise primitives are [`Op::Unary`] and [`Op::Binary`]; each structural one
        /// carries its struct from [`autograd::ops`](crate::ops).
        ///
        /// ```
        /// use autograd::{Binary, Op, Tape, Unary};
        ///
        /// let tape = Tape::new();
        /// let x = tape.var(1.0);
        /// let affine = Unary::Affine { scale: 2.0.into(), shift: 0.0.into() };
        /// assert_eq!((2.0 * x).op(), Op::Unary(affine, 0));
        /// assert_eq!((x * x).op(), Op::Binary(Binary::Mul, 0, 0));
        /// ```
        #[derive(Debug, Clone, Copy, PartialEq)]
        #[non_exhaustive]
        pub enum Op {
            /// A leaf: a variable or a constant; it reads nothing.
            Leaf,
            /// An elementwise primitive of one input (`exp`, `relu`, `powi`, ...): the
            /// table's entry and the input.
            Unary(Unary, NodeId),
            /// An elementwise primitive of two inputs, broadcasting (`+`, `max`, `xlogy`, ...).
            Binary(Binary, NodeId, NodeId),
            /// The only element of a one-element tensor, as a scalar variable.
            Item(NodeId),
            $( $(#[doc = $doc])* $V($T), )*
        }

        impl Op {
            /// The nodes this op reads (for `Concat`, from its parameter on the tape).
            pub(crate) fn inputs(self, params: &[Dims]) -> SmallVec<[NodeId; 3]> {
                match self {
                    Op::Leaf => smallvec![],
                    Op::Unary(_, a) | Op::Item(a) => smallvec![a],
                    Op::Binary(_, a, b) => smallvec![a, b],
                    $( Op::$V(op) => op.inputs(params), )*
                }
            }

            /// The short name of the op, as printed in reports and graph pictures.
            ///
            /// ```
            /// use autograd::{Op, Unary};
            /// assert_eq!(Op::Unary(Unary::Tanh, 0).name(), "tanh");
            /// ```
            pub fn name(self) -> &'static str {
                match self {
                    Op::Leaf => "leaf",
                    Op::Unary(f, _) => f.name(),
                    Op::Binary(f, ..) => f.name(),
                    Op::Item(_) => "item",
                    $( Op::$V(op) => op.name(), )*
                }
            }

            /// Where this op is not differentiable: what decides which side of its kink (or
            /// which piece of its piecewise definition) a value is on; `None` for smooth ops.
            /// The gradient checker uses it to stay off kinks.
            pub(crate) fn kink(self) -> Option<Kink> {
                match self {
                    Op::Leaf | Op::Item(_) => None,
                    Op::Unary(f, a) => f.has_kink().then_some(Kink::SignOf(a)),
                    Op::Binary(f, a, b) => f.has_kink().then_some(Kink::SignOfDifference(a, b)),
                    $( Op::$V(op) => op.kink(), )*
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
                    Op::Leaf | Op::Unary(..) | Op::Binary(..) | Op::Item(_) => return Err(self),
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
                    Op::Leaf | Op::Unary(..) | Op::Binary(..) | Op::Item(_) => Err(self),
                }
            }
        }

        impl fmt::Display for Op {
            /// The op with its inputs as node references: `mul(#0, #1)`, `powi(#3, n = 2)`;
            /// a parameter stored on the tape as `params[i]` (read it with `Tape::param`).
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                match *self {
                    Op::Leaf => write!(f, "leaf"),
                    Op::Unary(op, a) => op.fmt_applied(f, a),
                    Op::Binary(op, a, b) => write!(f, "{}(#{a}, #{b})", op.name()),
                    Op::Item(a) => write!(f, "item(#{a})"),
                    $( Op::$V(op) => fmt::Display::fmt(&op, f), )*
                }
            }
        }
    };
}

structural_ops! {
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

impl Op {
    /// The value of a scalar node, given the values of the nodes it reads: the table's
    /// function on `f64`, so a number and a recorded variable always agree to the last bit.
    #[inline(always)]
    pub(crate) fn eval(self, value: impl Fn(NodeId) -> f64) -> f64 {
        match self {
            Op::Unary(f, a) => f.eval(value(a)),
            Op::Binary(f, a, b) => f.eval(value(a), value(b)),
            Op::Leaf => unreachable!("a leaf's value is given, not computed"),
            _ => unreachable!("{} is computed on tensors", self.name()),
        }
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
    use crate::ops::elementwise::{Binary, Unary};

    #[test]
    fn ops_print_with_their_inputs() {
        assert_eq!(Op::Binary(Binary::Mul, 0, 1).to_string(), "mul(#0, #1)");
        assert_eq!(Op::Unary(Unary::Exp, 3).to_string(), "exp(#3)");
        let affine = Unary::Affine {
            scale: 2.0.into(),
            shift: 1.0.into(),
        };
        assert_eq!(
            Op::Unary(affine, 2).to_string(),
            "affine(#2, scale = 2, shift = 1)"
        );
        assert_eq!(
            Op::Unary(Unary::PowI { n: -1 }, 4).to_string(),
            "powi(#4, n = -1)"
        );
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
