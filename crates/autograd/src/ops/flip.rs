//! `flip`: the elements in reverse order along some axes (a convolution's kernel flip, a
//! sequence read backwards). Recorded by `TensorVar::try_flip`; the kernel is
//! `Tensor::try_flip` (axis checks). Its own adjoint: the gradient of a flip is the same flip.

use std::fmt;

use smallvec::{SmallVec, smallvec};

use super::structural::{ReverseContext, StructuralOp, TangentContext};
use crate::ops::op::Kink;
use crate::ops::real::TensorAlgebra;
use crate::ops::{NodeId, Param};
use crate::shape::Dims;

/// The input reversed along the axes in parameter `axes`.
///
/// ```
/// use autograd::{Op, Tape, Tensor, ops::Flip};
/// let tape = Tape::new();
/// let x = tape.tensor(Tensor::<f64>::arange(0.0, 3.0, 1.0));
/// let y = x.flip(&[0]);
/// let Op::Flip(Flip { axes, .. }) = y.op() else { unreachable!() };
/// assert_eq!(tape.param(axes), vec![0]);
/// assert_eq!(y.value().to_vec(), vec![2.0, 1.0, 0.0]);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Flip {
    /// The input.
    pub x: NodeId,
    /// The flipped axes, stored on the tape: read them with
    /// [`Tape::param`](crate::Tape::param).
    pub axes: Param,
}

impl fmt::Display for Flip {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "flip(#{}, axes {})", { self.x }, self.axes)
    }
}

impl StructuralOp for Flip {
    fn name(self) -> &'static str {
        "flip"
    }

    fn inputs(self, _: &[Dims]) -> SmallVec<[NodeId; 3]> {
        smallvec![self.x]
    }

    fn kink(self) -> Option<Kink> {
        None // smooth
    }

    fn reverse<T: TensorAlgebra>(self, cx: &mut impl ReverseContext<T>, g: T) {
        // y[i] = x[mirror(i)], so ∂/∂x[j] = g[mirror(j)]: the same flip
        let axes = cx.param(self.axes);
        cx.acc(self.x, g.flip(&axes));
    }

    fn tangent<T: TensorAlgebra<Scalar = f64>>(self, cx: &impl TangentContext<T>) -> T {
        cx.or_zeros(self.x).flip(&cx.param(self.axes))
    }
}
