//! `gather` and its adjoint `scatter_add`: one element per position along an axis, chosen by
//! an index tensor, and elements added back where the index points. Recorded by
//! `TensorVar::try_gather` (and internally `try_scatter_add`, its recorded gradient); the
//! kernels are the raw `Tensor` ones (index and shape checks).

use std::fmt;

use smallvec::{SmallVec, smallvec};

use super::structural::{ReverseContext, StructuralOp, TangentContext};
use crate::ops::op::Kink;
use crate::ops::real::TensorAlgebra;
use crate::ops::{NodeId, Param};
use crate::shape::Dims;

/// One element per position along `axis`, chosen by the index tensor in parameter `index`
/// (shaped like the result).
///
/// ```
/// use autograd::{Op, Shape, Tape, Tensor, ops::Gather};
/// let tape = Tape::new();
/// let x = tape.tensor(Tensor::<f64>::from_vec(vec![1.0, 2.0, 3.0, 4.0], [2, 2]).unwrap());
/// let y = x.gather(1, &[1, 0], &Shape::from([2, 1]));
/// assert!(matches!(y.op(), Op::Gather(Gather { axis: 1, .. })));
/// assert_eq!(y.value().to_vec(), vec![2.0, 3.0]);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Gather {
    /// The input.
    pub x: NodeId,
    /// The axis.
    pub axis: u32,
    /// The (flattened) index tensor, stored on the tape: read it with
    /// [`Tape::param`](crate::Tape::param).
    pub index: Param,
}

/// Each element added where `index` points, into zeros of the shape in parameter `target`
/// (gather's gradient, recorded so that second order works).
///
/// ```
/// use autograd::{Op, Shape, Tape, Tensor, ops::ScatterAdd};
/// let tape = Tape::new();
/// let x = tape.tensor(Tensor::<f64>::ones([2, 2]));
/// let y = x.gather(1, &[1, 1], &Shape::from([2, 1])).sum();
/// let dydx = y.backward_graph().wrt(x);
/// assert!(matches!(dydx.op(), Op::ScatterAdd(ScatterAdd { axis: 1, .. })));
/// assert_eq!(dydx.value().to_vec(), vec![0.0, 1.0, 0.0, 1.0]);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ScatterAdd {
    /// The input.
    pub x: NodeId,
    /// The axis.
    pub axis: u32,
    /// The (flattened) index tensor, stored on the tape: read it with
    /// [`Tape::param`](crate::Tape::param).
    pub index: Param,
    /// The result's shape, stored on the tape: read it with
    /// [`Tape::param`](crate::Tape::param).
    pub target: Param,
}

impl fmt::Display for Gather {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (x, axis, index) = (self.x, self.axis, self.index);
        write!(f, "gather(#{x}, axis {axis}, index {index})")
    }
}

impl fmt::Display for ScatterAdd {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (x, axis, index) = (self.x, self.axis, self.index);
        write!(f, "scatter_add(#{x}, axis {axis}, index {index})")
    }
}

impl StructuralOp for Gather {
    fn name(self) -> &'static str {
        "gather"
    }
    fn inputs(self, _: &[Dims]) -> SmallVec<[NodeId; 3]> {
        smallvec![self.x]
    }

    fn kink(self) -> Option<Kink> {
        None // smooth
    }
    fn reverse<T: TensorAlgebra>(self, cx: &mut impl ReverseContext<T>, g: T) {
        let shape = cx.shape(self.x);
        let index = cx.param(self.index);
        cx.acc(self.x, g.scatter_add(self.axis as usize, &index, &shape));
    }
    fn tangent<T: TensorAlgebra<Scalar = f64>>(self, cx: &impl TangentContext<T>) -> T {
        cx.or_zeros(self.x).gather(
            self.axis as usize,
            &cx.param(self.index),
            &cx.output_shape(),
        )
    }
}

impl StructuralOp for ScatterAdd {
    fn name(self) -> &'static str {
        "scatter_add"
    }
    fn inputs(self, _: &[Dims]) -> SmallVec<[NodeId; 3]> {
        smallvec![self.x]
    }

    fn kink(self) -> Option<Kink> {
        None // smooth
    }
    fn reverse<T: TensorAlgebra>(self, cx: &mut impl ReverseContext<T>, g: T) {
        let shape = cx.shape(self.x);
        let index = cx.param(self.index);
        cx.acc(self.x, g.gather(self.axis as usize, &index, &shape));
    }
    fn tangent<T: TensorAlgebra<Scalar = f64>>(self, cx: &impl TangentContext<T>) -> T {
        cx.or_zeros(self.x).scatter_add(
            self.axis as usize,
            &cx.param(self.index),
            &cx.output_shape(),
        )
    }
}
