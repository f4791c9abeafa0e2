//! `index_select` and its adjoint `index_add`: whole slices picked along an axis, and slices
//! added back at their indices. Recorded by `TensorVar::try_index_select` (and internally
//! `try_index_add`, its recorded gradient); the kernels are the raw `Tensor` ones (index
//! checks).

use std::fmt;

use smallvec::{SmallVec, smallvec};

use super::structural::{ReverseContext, StructuralOp, TangentContext};
use crate::ops::op::Kink;
use crate::ops::real::TensorAlgebra;
use crate::ops::{NodeId, Param};
use crate::shape::Dims;

/// The slices at the indices in parameter `indices` along `axis`.
///
/// ```
/// use autograd::{Op, Tape, Tensor, ops::IndexSelect};
/// let tape = Tape::new();
/// let x = tape.tensor(Tensor::<f64>::arange(0.0, 3.0, 1.0));
/// let y = x.index_select(0, &[2, 2]);
/// let Op::IndexSelect(IndexSelect { indices, .. }) = y.op() else { unreachable!() };
/// assert_eq!(tape.param(indices), vec![2, 2]);
/// assert_eq!(y.sum().backward().wrt(x).to_vec(), vec![0.0, 0.0, 2.0]);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct IndexSelect {
    /// The input.
    pub x: NodeId,
    /// The axis.
    pub axis: u32,
    /// The index list, stored on the tape: read it with [`Tape::param`](crate::Tape::param).
    pub indices: Param,
}

/// Slice `i` added at `indices[i]` along `axis` into zeros of length `size` (index_select's
/// gradient, recorded so that second order works).
///
/// ```
/// use autograd::{Op, Tape, Tensor, ops::IndexAdd};
/// let tape = Tape::new();
/// let x = tape.tensor(Tensor::<f64>::arange(0.0, 3.0, 1.0));
/// let dydx = x.index_select(0, &[1]).sum().backward_graph().wrt(x);
/// assert!(matches!(dydx.op(), Op::IndexAdd(IndexAdd { size: 3, .. })));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct IndexAdd {
    /// The input.
    pub x: NodeId,
    /// The axis.
    pub axis: u32,
    /// The index list, stored on the tape: read it with [`Tape::param`](crate::Tape::param).
    pub indices: Param,
    /// The length along `axis` of the result.
    pub size: u32,
}

impl fmt::Display for IndexSelect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (x, axis, indices) = (self.x, self.axis, self.indices);
        write!(f, "index_select(#{x}, axis {axis}, indices {indices})")
    }
}

impl fmt::Display for IndexAdd {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (x, axis, indices) = (self.x, self.axis, self.indices);
        write!(f, "index_add(#{x}, axis {axis}, indices {indices})")
    }
}

impl StructuralOp for IndexSelect {
    fn name(self) -> &'static str {
        "index_select"
    }
    fn inputs(self, _: &[Dims]) -> SmallVec<[NodeId; 3]> {
        smallvec![self.x]
    }

    fn kink(self) -> Option<Kink> {
        None // smooth
    }
    fn reverse<T: TensorAlgebra>(self, cx: &mut impl ReverseContext<T>, g: T) {
        let axis = self.axis as usize;
        let size = cx.shape(self.x).dims()[axis];
        cx.acc(self.x, g.index_add(axis, &cx.param(self.indices), size));
    }
    fn tangent<T: TensorAlgebra<Scalar = f64>>(self, cx: &impl TangentContext<T>) -> T {
        cx.or_zeros(self.x)
            .index_select(self.axis as usize, &cx.param(self.indices))
    }
}

impl StructuralOp for IndexAdd {
    fn name(self) -> &'static str {
        "index_add"
    }
    fn inputs(self, _: &[Dims]) -> SmallVec<[NodeId; 3]> {
        smallvec![self.x]
    }

    fn kink(self) -> Option<Kink> {
        None // smooth
    }
    fn reverse<T: TensorAlgebra>(self, cx: &mut impl ReverseContext<T>, g: T) {
        cx.acc(
            self.x,
            g.index_select(self.axis as usize, &cx.param(self.indices)),
        );
    }
    fn tangent<T: TensorAlgebra<Scalar = f64>>(self, cx: &impl TangentContext<T>) -> T {
        cx.or_zeros(self.x).index_add(
            self.axis as usize,
            &cx.param(self.indices),
            self.size as usize,
        )
    }
}
