//! [`Op`]: the closed list of primitives the tape records.
//!
//! Every node on the tape is one `Op` naming the nodes it reads. The elementwise primitives
//! are two variants, [`Op::Unary`] and [`Op::Binary`], whose table is
//! `ops/elementwise/table.rs`; every other variant is a structural tensor primitive with its
//! own file in `ops/` (shape check, kernel call, reverse rule and tangent rule side by side).
//! `docs/ARCHITECTURE.md` walks through adding one of each.

use std::fmt;

use crate::ops::elementwise::{Binary, Unary};

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
/// use autograd::{Op, Tape, Tensor};
/// let tape = Tape::new();
/// let x = tape.tensor(Tensor::<f64>::ones([2, 3]));
/// let Op::Sum { axes, keepdim, .. } = x.sum_axes(&[1], true).op() else { unreachable!() };
/// assert_eq!((tape.param(axes), keepdim), (vec![1], true));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Param(pub(crate) u32);

impl fmt::Display for Param {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "params[{}]", self.0)
    }
}

/// One primitive operation with the ids of its inputs (and any constant parameters).
///
/// Constants that are part of the operation (the `2` in `x * 2`, the exponent of `powi`) live
/// inside the op, so `2.0 * x` records one node, not two.
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
    /// An elementwise primitive of one input (`exp`, `relu`, `powi`, ...): the table's
    /// entry and the input.
    Unary(Unary, NodeId),
    /// An elementwise primitive of two inputs, broadcasting (`+`, `max`, `xlogy`, ...).
    Binary(Binary, NodeId, NodeId),

    // Tensor ops. Parameters that do not fit (shapes, axis lists) are stored on the tape, and
    // the op holds a `Param` naming them (`Tape::param` reads one).
    /// Sum over the axes in parameter `axes`, keeping them as size-1 dimensions if `keepdim`.
    Sum {
        /// The input.
        x: NodeId,
        /// The axis list, stored on the tape: read it with [`Tape::param`](crate::Tape::param).
        axes: Param,
        /// Keep the summed axes as size-1 dimensions.
        keepdim: bool,
    },
    /// Matrix product over the last two axes, leading axes broadcast; an operand whose flag
    /// is set is transposed (read through strides).
    MatMul {
        /// The left operand.
        a: NodeId,
        /// The right operand.
        b: NodeId,
        /// Use `aᵀ`.
        a_transposed: bool,
        /// Use `bᵀ`.
        b_transposed: bool,
    },
    /// The same elements in the shape stored at `shape`.
    Reshape {
        /// The input.
        x: NodeId,
        /// The target shape, stored on the tape: read it with [`Tape::param`](crate::Tape::param).
        shape: Param,
    },
    /// Repeated along broadcast axes to the shape stored at `shape`.
    BroadcastTo {
        /// The input.
        x: NodeId,
        /// The target shape, stored on the tape: read it with [`Tape::param`](crate::Tape::param).
        shape: Param,
    },
    /// Summed down to the shape stored at `shape` (the inverse of broadcasting).
    SumToShape {
        /// The input.
        x: NodeId,
        /// The target shape, stored on the tape: read it with [`Tape::param`](crate::Tape::param).
        shape: Param,
    },
    /// Axes reordered by the permutation stored at `axes`.
    Permute {
        /// The input.
        x: NodeId,
        /// The permutation, stored on the tape: read it with [`Tape::param`](crate::Tape::param).
        axes: Param,
    },
    /// `a` where the mask `cond` is non-zero, `b` elsewhere (a select: the branch not taken
    /// receives no gradient, not even a NaN).
    Where {
        /// The mask (a constant: no gradient flows to it).
        cond: NodeId,
        /// Taken where the mask is non-zero.
        a: NodeId,
        /// Taken elsewhere.
        b: NodeId,
    },
    /// The largest element over the axes in parameter `axes`.
    MaxAxes {
        /// The input.
        x: NodeId,
        /// The axis list, stored on the tape: read it with [`Tape::param`](crate::Tape::param).
        axes: Param,
        /// Keep the reduced axes as size-1 dimensions.
        keepdim: bool,
    },
    /// The smallest element over the axes in parameter `axes`.
    MinAxes {
        /// The input.
        x: NodeId,
        /// The axis list, stored on the tape: read it with [`Tape::param`](crate::Tape::param).
        axes: Param,
        /// Keep the reduced axes as size-1 dimensions.
        keepdim: bool,
    },
    /// Elements `start .. start + len` along `axis`.
    Narrow {
        /// The input.
        x: NodeId,
        /// The axis.
        axis: u32,
        /// The first element kept.
        start: u32,
        /// How many are kept.
        len: u32,
    },
    /// The input placed at `start` along `axis` in zeros of length `total` (narrow's inverse).
    Pad {
        /// The input.
        x: NodeId,
        /// The axis.
        axis: u32,
        /// Where the input starts.
        start: u32,
        /// The length along `axis` after padding.
        total: u32,
    },
    /// The tensors listed (as node ids) in parameter `inputs`, joined along `axis`.
    Concat {
        /// The input list, stored on the tape: read it with [`Tape::param`](crate::Tape::param).
        inputs: Param,
        /// The axis.
        axis: u32,
    },
    /// The slices at the indices in parameter `indices` along `axis`.
    IndexSelect {
        /// The input.
        x: NodeId,
        /// The axis.
        axis: u32,
        /// The index list, stored on the tape: read it with [`Tape::param`](crate::Tape::param).
        indices: Param,
    },
    /// Slice `i` added at `indices[i]` along `axis` into zeros of length `size`
    /// (index_select's gradient).
    IndexAdd {
        /// The input.
        x: NodeId,
        /// The axis.
        axis: u32,
        /// The index list, stored on the tape: read it with [`Tape::param`](crate::Tape::param).
        indices: Param,
        /// The length along `axis` of the result.
        size: u32,
    },
    /// One element per position along `axis`, chosen by the index tensor in parameter
    /// `index` (shaped like the result).
    Gather {
        /// The input.
        x: NodeId,
        /// The axis.
        axis: u32,
        /// The (flattened) index tensor, stored on the tape: read it with [`Tape::param`](crate::Tape::param).
        index: Param,
    },
    /// Each element added where `index` points, into zeros of the shape in parameter
    /// `target` (gather's gradient).
    ScatterAdd {
        /// The input.
        x: NodeId,
        /// The axis.
        axis: u32,
        /// The (flattened) index tensor, stored on the tape: read it with [`Tape::param`](crate::Tape::param).
        index: Param,
        /// The result's shape, stored on the tape: read it with [`Tape::param`](crate::Tape::param).
        target: Param,
    },
    /// A scalar variable as a 0-d tensor.
    ToTensor(NodeId),
    /// The only element of a one-element tensor, as a scalar variable.
    Item(NodeId),
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

    /// The nodes this op reads (for `Concat`, from its parameter on the tape).
    pub(crate) fn inputs(self, params: &[crate::shape::Dims]) -> smallvec::SmallVec<[NodeId; 3]> {
        use smallvec::smallvec;
        match self {
            Op::Leaf => smallvec![],
            Op::Binary(_, a, b) | Op::MatMul { a, b, .. } => smallvec![a, b],
            Op::Where { cond, a, b } => smallvec![cond, a, b],
            Op::Unary(_, a)
            | Op::ToTensor(a)
            | Op::Item(a)
            | Op::Sum { x: a, .. }
            | Op::MaxAxes { x: a, .. }
            | Op::MinAxes { x: a, .. }
            | Op::Reshape { x: a, .. }
            | Op::BroadcastTo { x: a, .. }
            | Op::SumToShape { x: a, .. }
            | Op::Permute { x: a, .. }
            | Op::Narrow { x: a, .. }
            | Op::Pad { x: a, .. }
            | Op::IndexSelect { x: a, .. }
            | Op::IndexAdd { x: a, .. }
            | Op::Gather { x: a, .. }
            | Op::ScatterAdd { x: a, .. } => smallvec![a],
            Op::Concat { inputs, .. } => params[inputs.0 as usize]
                .iter()
                .map(|&i| i as NodeId)
                .collect(),
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
            Op::Sum { .. } => "sum",
            Op::MatMul { .. } => "matmul",
            Op::Reshape { .. } => "reshape",
            Op::BroadcastTo { .. } => "broadcast_to",
            Op::SumToShape { .. } => "sum_to_shape",
            Op::Permute { .. } => "permute",
            Op::Where { .. } => "where",
            Op::MaxAxes { .. } => "max_axes",
            Op::MinAxes { .. } => "min_axes",
            Op::Narrow { .. } => "narrow",
            Op::Pad { .. } => "pad",
            Op::Concat { .. } => "concat",
            Op::IndexSelect { .. } => "index_select",
            Op::IndexAdd { .. } => "index_add",
            Op::Gather { .. } => "gather",
            Op::ScatterAdd { .. } => "scatter_add",
            Op::ToTensor(..) => "to_tensor",
            Op::Item(..) => "item",
        }
    }

    /// Where this op is not differentiable: what decides which side of its kink (or which
    /// piece of its piecewise definition) a value is on; `None` for smooth ops.
    ///
    /// The gradient checker uses it to stay off kinks.
    pub(crate) fn kink(self) -> Option<Kink> {
        match self {
            Op::Unary(f, a) => f.has_kink().then_some(Kink::SignOf(a)),
            Op::Binary(f, a, b) => f.has_kink().then_some(Kink::SignOfDifference(a, b)),
            Op::MaxAxes { x, axes, .. } => Some(Kink::Extreme { x, axes, max: true }),
            Op::MinAxes { x, axes, .. } => Some(Kink::Extreme {
                x,
                axes,
                max: false,
            }),
            // Which branch is taken flips with the mask (a comparison recorded as a leaf).
            Op::Where { cond, .. } => Some(Kink::SignOf(cond)),
            // Listed, not `_`, so that a new op must say whether it has a kink.
            Op::Leaf
            | Op::Sum { .. }
            | Op::MatMul { .. }
            | Op::Reshape { .. }
            | Op::BroadcastTo { .. }
            | Op::SumToShape { .. }
            | Op::Permute { .. }
            | Op::Narrow { .. }
            | Op::Pad { .. }
            | Op::Concat { .. }
            | Op::IndexSelect { .. }
            | Op::IndexAdd { .. }
            | Op::Gather { .. }
            | Op::ScatterAdd { .. }
            | Op::ToTensor(..)
            | Op::Item(..) => None,
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

impl fmt::Display for Op {
    /// The op with its inputs as node references: `mul(#0, #1)`, `powi(#3, n = 2)`; a
    /// parameter stored on the tape as `params[i]` (read it with `Tape::param`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = self.name();
        match *self {
            Op::Leaf => write!(f, "leaf"),
            Op::Unary(op, a) => op.fmt_applied(f, a),
            Op::Binary(_, a, b) => write!(f, "{name}(#{a}, #{b})"),
            Op::MatMul {
                a,
                b,
                a_transposed,
                b_transposed,
            } => {
                let mark = |t: bool| if t { "ᵀ" } else { "" };
                write!(
                    f,
                    "matmul(#{a}{}, #{b}{})",
                    mark(a_transposed),
                    mark(b_transposed)
                )
            }
            Op::Sum { x, axes, keepdim }
            | Op::MaxAxes { x, axes, keepdim }
            | Op::MinAxes { x, axes, keepdim } => {
                write!(f, "{name}(#{x}, axes {axes}, keepdim = {keepdim})")
            }
            Op::Where { cond, a, b } => write!(f, "where(#{cond}, #{a}, #{b})"),
            Op::Narrow {
                x,
                axis,
                start,
                len,
            } => {
                write!(f, "narrow(#{x}, axis {axis}, {start}..{})", start + len)
            }
            Op::Pad {
                x,
                axis,
                start,
                total,
            } => {
                write!(f, "pad(#{x}, axis {axis}, at {start} of {total})")
            }
            Op::Concat { inputs, axis } => write!(f, "concat({inputs}, axis {axis})"),
            Op::IndexSelect { x, axis, indices }
            | Op::IndexAdd {
                x, axis, indices, ..
            } => {
                write!(f, "{name}(#{x}, axis {axis}, indices {indices})")
            }
            Op::Gather { x, axis, index } | Op::ScatterAdd { x, axis, index, .. } => {
                write!(f, "{name}(#{x}, axis {axis}, index {index})")
            }
            Op::Reshape { x, shape }
            | Op::BroadcastTo { x, shape }
            | Op::SumToShape { x, shape } => write!(f, "{name}(#{x}, shape {shape})"),
            Op::Permute { x, axes } => write!(f, "{name}(#{x}, axes {axes})"),
            Op::ToTensor(a) | Op::Item(a) => write!(f, "{name}(#{a})"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Op;
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
        let sum = Op::Sum {
            x: 1,
            axes,
            keepdim: true,
        };
        assert_eq!(sum.to_string(), "sum(#1, axes params[3], keepdim = true)");
    }
}
