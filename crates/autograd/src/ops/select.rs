//! `where`: a select by a mask, `a` where the mask is non-zero, `b` elsewhere. Recorded by
//! `TensorVar::try_select` (and `clamp`); the kernel is `Tensor::try_select` (the three shapes
//! broadcast).

use std::fmt;

use smallvec::{SmallVec, smallvec};

use super::structural::{ReverseContext, StructuralOp, TangentContext};
use crate::ops::NodeId;
use crate::ops::op::Kink;
use crate::ops::real::TensorAlgebra;
use crate::shape::Dims;

/// `a` where the mask `cond` is non-zero, `b` elsewhere: the branch not taken receives no
/// gradient, not even a NaN.
///
/// ```
/// use autograd::{Op, Tape, Tensor, ops::Where};
/// let tape = Tape::new();
/// let mask = tape.constant_tensor(Tensor::<f64>::from_vec(vec![1.0, 0.0], [2]).unwrap());
/// let (a, b) = (tape.tensor(Tensor::full([2], 2.0)), tape.tensor(Tensor::full([2], 3.0)));
/// let y = mask.select(a, b);
/// assert_eq!(y.op(), Op::Where(Where { cond: 0, a: 1, b: 2 }));
/// assert_eq!(y.value().to_vec(), vec![2.0, 3.0]);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Where {
    /// The mask (a constant: no gradient flows to it).
    pub cond: NodeId,
    /// Taken where the mask is non-zero.
    pub a: NodeId,
    /// Taken elsewhere.
    pub b: NodeId,
}

impl fmt::Display for Where {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (cond, a, b) = (self.cond, self.a, self.b);
        write!(f, "where(#{cond}, #{a}, #{b})")
    }
}

impl StructuralOp for Where {
    fn name(self) -> &'static str {
        "where"
    }

    fn inputs(self, _: &[Dims]) -> SmallVec<[NodeId; 3]> {
        smallvec![self.cond, self.a, self.b]
    }

    fn kink(self) -> Option<Kink> {
        // which branch is taken flips with the mask (a comparison recorded as a leaf)
        Some(Kink::SignOf(self.cond))
    }

    fn reverse<T: TensorAlgebra>(self, cx: &mut impl ReverseContext<T>, g: T) {
        // select, don't multiply: the branch not taken gets exact zeros, never 0 · NaN
        let mask = cx.primal(self.cond);
        let zeros = g.zeros_like();
        cx.acc(self.a, mask.clone().select(g.clone(), zeros.clone()));
        cx.acc(self.b, mask.select(zeros, g));
    }

    fn tangent<T: TensorAlgebra<Scalar = f64>>(self, cx: &impl TangentContext<T>) -> T {
        let shape = cx.output_shape();
        cx.primal(self.cond).select(
            cx.or_zeros(self.a).broadcast_to(&shape),
            cx.or_zeros(self.b).broadcast_to(&shape),
        )
    }
}
