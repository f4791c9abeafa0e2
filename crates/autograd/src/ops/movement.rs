//! The ops that move elements without arithmetic: `reshape`, `permute`, and the pair
//! `broadcast_to` / `sum_to_shape` (each the other's adjoint). Recorded by the `TensorVar`
//! methods of the same names; the kernels are the raw `Tensor` ones (shape checks included).

use std::fmt;

use smallvec::{SmallVec, smallvec};

use super::structural::{ReverseContext, StructuralOp, TangentContext};
use crate::ops::op::Kink;
use crate::ops::real::TensorAlgebra;
use crate::ops::{NodeId, Param};
use crate::shape::Dims;

/// The same elements in the shape stored at `shape`.
///
/// ```
/// use autograd::{Op, Tape, Tensor, ops::Reshape};
/// let tape = Tape::new();
/// let x = tape.tensor(Tensor::<f64>::zeros([2, 3]));
/// let Op::Reshape(Reshape { shape, .. }) = x.reshape([3, 2]).op() else { unreachable!() };
/// assert_eq!(tape.param(shape), vec![3, 2]);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Reshape {
    /// The input.
    pub x: NodeId,
    /// The target shape, stored on the tape: read it with [`Tape::param`](crate::Tape::param).
    pub shape: Param,
}

/// Repeated along broadcast axes to the shape stored at `shape`.
///
/// ```
/// use autograd::{Op, Tape, Tensor, ops::BroadcastTo};
/// let tape = Tape::new();
/// let x = tape.tensor(Tensor::<f64>::ones([3]));
/// assert!(matches!(x.broadcast_to([2, 3]).op(), Op::BroadcastTo(BroadcastTo { x: 0, .. })));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct BroadcastTo {
    /// The input.
    pub x: NodeId,
    /// The target shape, stored on the tape: read it with [`Tape::param`](crate::Tape::param).
    pub shape: Param,
}

/// Summed down to the shape stored at `shape` (the inverse of broadcasting).
///
/// ```
/// use autograd::{Op, Tape, Tensor, ops::SumToShape};
/// let tape = Tape::new();
/// let x = tape.tensor(Tensor::<f64>::ones([2, 3]));
/// assert!(matches!(x.sum_to_shape([3]).op(), Op::SumToShape(SumToShape { x: 0, .. })));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SumToShape {
    /// The input.
    pub x: NodeId,
    /// The target shape, stored on the tape: read it with [`Tape::param`](crate::Tape::param).
    pub shape: Param,
}

/// Axes reordered by the permutation stored at `axes`: axis `i` of the result is axis
/// `axes[i]` of the input.
///
/// ```
/// use autograd::{Op, Tape, Tensor, ops::Permute};
/// let tape = Tape::new();
/// let x = tape.tensor(Tensor::<f64>::zeros([2, 3]));
/// let Op::Permute(Permute { axes, .. }) = x.transpose().op() else { unreachable!() };
/// assert_eq!(tape.param(axes), vec![1, 0]);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Permute {
    /// The input.
    pub x: NodeId,
    /// The permutation, stored on the tape: read it with [`Tape::param`](crate::Tape::param).
    pub axes: Param,
}

impl fmt::Display for Reshape {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "reshape(#{}, shape {})", { self.x }, self.shape)
    }
}

impl fmt::Display for BroadcastTo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "broadcast_to(#{}, shape {})", { self.x }, self.shape)
    }
}

impl fmt::Display for SumToShape {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "sum_to_shape(#{}, shape {})", { self.x }, self.shape)
    }
}

impl fmt::Display for Permute {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "permute(#{}, axes {})", { self.x }, self.axes)
    }
}

impl StructuralOp for Reshape {
    fn name(self) -> &'static str {
        "reshape"
    }
    fn inputs(self, _: &[Dims]) -> SmallVec<[NodeId; 3]> {
        smallvec![self.x]
    }

    fn kink(self) -> Option<Kink> {
        None // smooth
    }
    fn reverse<T: TensorAlgebra>(self, cx: &mut impl ReverseContext<T>, g: T) {
        let shape = cx.shape(self.x);
        cx.acc(self.x, g.reshape(&shape));
    }
    fn tangent<T: TensorAlgebra<Scalar = f64>>(self, cx: &impl TangentContext<T>) -> T {
        cx.or_zeros(self.x).reshape(&cx.output_shape())
    }
}

impl StructuralOp for BroadcastTo {
    fn name(self) -> &'static str {
        "broadcast_to"
    }
    fn inputs(self, _: &[Dims]) -> SmallVec<[NodeId; 3]> {
        smallvec![self.x]
    }

    fn kink(self) -> Option<Kink> {
        None // smooth
    }
    fn reverse<T: TensorAlgebra>(self, cx: &mut impl ReverseContext<T>, g: T) {
        // acc sums the broadcast axes back: that is the whole rule
        cx.acc(self.x, g);
    }
    fn tangent<T: TensorAlgebra<Scalar = f64>>(self, cx: &impl TangentContext<T>) -> T {
        cx.or_zeros(self.x).broadcast_to(&cx.output_shape())
    }
}

impl StructuralOp for SumToShape {
    fn name(self) -> &'static str {
        "sum_to_shape"
    }
    fn inputs(self, _: &[Dims]) -> SmallVec<[NodeId; 3]> {
        smallvec![self.x]
    }

    fn kink(self) -> Option<Kink> {
        None // smooth
    }
    fn reverse<T: TensorAlgebra>(self, cx: &mut impl ReverseContext<T>, g: T) {
        let shape = cx.shape(self.x);
        cx.acc(self.x, g.broadcast_to(&shape));
    }
    fn tangent<T: TensorAlgebra<Scalar = f64>>(self, cx: &impl TangentContext<T>) -> T {
        cx.or_zeros(self.x).sum_to_shape(&cx.output_shape())
    }
}

impl StructuralOp for Permute {
    fn name(self) -> &'static str {
        "permute"
    }
    fn inputs(self, _: &[Dims]) -> SmallVec<[NodeId; 3]> {
        smallvec![self.x]
    }

    fn kink(self) -> Option<Kink> {
        None // smooth
    }
    fn reverse<T: TensorAlgebra>(self, cx: &mut impl ReverseContext<T>, g: T) {
        let axes = cx.param(self.axes);
        let mut inverse = vec![0; axes.len()];
        for (i, &a) in axes.iter().enumerate() {
            inverse[a] = i;
        }
        cx.acc(self.x, g.permute(&inverse));
    }
    fn tangent<T: TensorAlgebra<Scalar = f64>>(self, cx: &impl TangentContext<T>) -> T {
        cx.or_zeros(self.x).permute(&cx.param(self.axes))
    }
}
