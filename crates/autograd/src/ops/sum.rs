//! `sum`: the sum over a list of axes. Recorded by `TensorVar::try_sum_axes` (and `sum`,
//! `mean`, `mean_axes`); the kernel is `Tensor::try_sum_axes`, pairwise summation.

use std::fmt;

use smallvec::{SmallVec, smallvec};

use super::structural::{ReverseContext, StructuralOp, TangentContext, kept_shape};
use crate::ops::op::Kink;
use crate::ops::real::TensorAlgebra;
use crate::ops::{NodeId, Param};
use crate::shape::Dims;

/// The sum over the axes in parameter `axes`, keeping them as size-1 dimensions if `keepdim`.
///
/// ```
/// use autograd::{Op, Tape, Tensor, ops::Sum};
/// let tape = Tape::new();
/// let x = tape.tensor(Tensor::<f64>::ones([2, 3]));
/// let Op::Sum(Sum { axes, keepdim, .. }) = x.sum_axes(&[1], true).op() else { unreachable!() };
/// assert_eq!((tape.param(axes), keepdim), (vec![1], true));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Sum {
    /// The input.
    pub x: NodeId,
    /// The axis list, stored on the tape: read it with [`Tape::param`](crate::Tape::param).
    pub axes: Param,
    /// Keep the summed axes as size-1 dimensions.
    pub keepdim: bool,
}

impl fmt::Display for Sum {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (x, axes, keepdim) = (self.x, self.axes, self.keepdim);
        write!(f, "sum(#{x}, axes {axes}, keepdim = {keepdim})")
    }
}

impl StructuralOp for Sum {
    fn name(self) -> &'static str {
        "sum"
    }

    fn inputs(self, _: &[Dims]) -> SmallVec<[NodeId; 3]> {
        smallvec![self.x]
    }

    fn kink(self) -> Option<Kink> {
        None // smooth
    }

    fn reverse<T: TensorAlgebra>(self, cx: &mut impl ReverseContext<T>, g: T) {
        // Every summed element gets g: put the summed axes back (size 1) and broadcast.
        let x_shape = cx.shape(self.x);
        let kept = kept_shape(&x_shape, &cx.param(self.axes));
        let g = if self.keepdim { g } else { g.reshape(&kept) };
        cx.acc(self.x, g.broadcast_to(&x_shape));
    }

    fn tangent<T: TensorAlgebra<Scalar = f64>>(self, cx: &impl TangentContext<T>) -> T {
        cx.or_zeros(self.x)
            .sum_axes(&cx.param(self.axes), self.keepdim)
    }
}
