//! `max_axes` and `min_axes`: the largest or smallest element over a list of axes. Recorded
//! by `TensorVar::try_max_axes` / `try_min_axes`; the kernels are `Tensor::try_max_axes` /
//! `try_min_axes` (an error for an empty axis).

use std::fmt;

use smallvec::{SmallVec, smallvec};

use super::structural::{ReverseContext, StructuralOp, TangentContext, kept_shape};
use crate::ops::op::Kink;
use crate::ops::real::TensorAlgebra;
use crate::ops::{NodeId, Param};
use crate::shape::Dims;

/// The extreme (largest if `max`, else smallest) over the axes in parameter `axes`. The
/// gradient goes to the elements equal to it, split equally among ties.
///
/// ```
/// use autograd::{Op, Tape, Tensor, ops::Extreme};
/// let tape = Tape::new();
/// let x = tape.tensor(Tensor::<f64>::from_vec(vec![1.0, 3.0, 3.0], [3]).unwrap());
/// let m = x.max_axes(&[0], false);
/// assert!(matches!(m.op(), Op::Extreme(Extreme { max: true, .. })));
/// assert_eq!(m.backward().wrt(x).to_vec(), vec![0.0, 0.5, 0.5]);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Extreme {
    /// The input.
    pub x: NodeId,
    /// The axis list, stored on the tape: read it with [`Tape::param`](crate::Tape::param).
    pub axes: Param,
    /// Keep the reduced axes as size-1 dimensions.
    pub keepdim: bool,
    /// `true` for the maximum, `false` for the minimum.
    pub max: bool,
}

impl Extreme {
    /// The mask of the elements equal to the extreme, divided by their count (ties share).
    fn share<T: TensorAlgebra>(
        self,
        x: T,
        extreme: T,
        x_shape: &crate::Shape,
        axes: &[usize],
    ) -> (T, T) {
        let kept = kept_shape(x_shape, axes);
        let extreme = if self.keepdim {
            extreme
        } else {
            extreme.reshape(&kept)
        };
        let mask = x.eq_mask(extreme);
        let ties = mask.clone().sum_axes(axes, true);
        (mask, ties)
    }
}

impl fmt::Display for Extreme {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (x, axes, keepdim) = (self.x, self.axes, self.keepdim);
        write!(f, "{}(#{x}, axes {axes}, keepdim = {keepdim})", self.name())
    }
}

impl StructuralOp for Extreme {
    fn name(self) -> &'static str {
        if self.max { "max_axes" } else { "min_axes" }
    }

    fn inputs(self, _: &[Dims]) -> SmallVec<[NodeId; 3]> {
        smallvec![self.x]
    }

    fn kink(self) -> Option<Kink> {
        Some(Kink::Extreme {
            x: self.x,
            axes: self.axes,
            max: self.max,
        })
    }

    fn reverse<T: TensorAlgebra>(self, cx: &mut impl ReverseContext<T>, g: T) {
        let axes = cx.param(self.axes);
        let x_shape = cx.shape(self.x);
        let (mask, ties) = self.share(cx.primal(self.x), cx.output(), &x_shape, &axes);
        let g = if self.keepdim {
            g
        } else {
            g.reshape(&kept_shape(&x_shape, &axes))
        };
        cx.acc(self.x, g * mask / ties);
    }

    fn tangent<T: TensorAlgebra<Scalar = f64>>(self, cx: &impl TangentContext<T>) -> T {
        // the same split among ties as the reverse rule: J has mask / ties
        let axes = cx.param(self.axes);
        let x_shape = cx.shape(self.x);
        let (mask, ties) = self.share(cx.primal(self.x), cx.output(), &x_shape, &axes);
        (cx.or_zeros(self.x) * mask / ties).sum_axes(&axes, self.keepdim)
    }
}
