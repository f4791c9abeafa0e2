//! The bridge between scalars and tensors: `to_tensor` (a scalar variable as a 0-d tensor)
//! and `item` (the only element of a one-element tensor as a scalar variable). Recorded by
//! `Var::to_tensor` and `TensorVar::try_item` (an error unless the tensor has one element).

use std::fmt;

use smallvec::{SmallVec, smallvec};

use super::structural::{ReverseContext, StructuralOp, TangentContext};
use crate::ops::NodeId;
use crate::ops::op::Kink;
use crate::ops::real::TensorAlgebra;
use crate::shape::{Dims, Shape};

/// A scalar variable as a 0-d tensor.
///
/// ```
/// use autograd::{Op, Tape, ops::ToTensor};
/// let tape = Tape::new();
/// let s = tape.var(2.0);
/// assert_eq!(s.to_tensor::<f32>().op(), Op::ToTensor(ToTensor { x: 0 }));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ToTensor {
    /// The scalar input.
    pub x: NodeId,
}

impl fmt::Display for ToTensor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "to_tensor(#{})", { self.x })
    }
}

impl StructuralOp for ToTensor {
    fn name(self) -> &'static str {
        "to_tensor"
    }
    fn inputs(self, _: &[Dims]) -> SmallVec<[NodeId; 3]> {
        smallvec![self.x]
    }

    fn kink(self) -> Option<Kink> {
        None // smooth
    }
    fn reverse<T: TensorAlgebra>(self, cx: &mut impl ReverseContext<T>, g: T) {
        cx.acc_scalar(self.x, g.item());
    }
    fn tangent<T: TensorAlgebra<Scalar = f64>>(self, cx: &impl TangentContext<T>) -> T {
        let t = cx.scalar_tangent(self.x).unwrap_or(0.0);
        cx.output().scalar_like(t).reshape(&cx.output_shape())
    }
}

/// The reverse rule of `Op::Item(t)`, a scalar node: the scalar gradient `g` goes back to `t`
/// as a tensor of `t`'s shape. (Its tangent rule is the tensor tangent's only element.)
pub(crate) fn item_reverse<T: TensorAlgebra>(t: T, shape: &Shape, g: T::Scalar) -> T {
    t.scalar_like(g).reshape(shape)
}
