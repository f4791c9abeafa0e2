//! `narrow` and its adjoint `pad`: a range of an axis, and an input placed in zeros along an
//! axis. Recorded by `TensorVar::try_narrow` / `try_pad`; the kernels are `Tensor::try_narrow`
//! / `try_pad` (range and axis checks).

use std::fmt;

use smallvec::{SmallVec, smallvec};

use super::structural::{ReverseContext, StructuralOp, TangentContext};
use crate::ops::NodeId;
use crate::ops::op::Kink;
use crate::ops::real::TensorAlgebra;
use crate::shape::Dims;

/// Elements `start .. start + len` along `axis`.
///
/// ```
/// use autograd::{Op, Tape, Tensor, ops::Narrow};
/// let tape = Tape::new();
/// let x = tape.tensor(Tensor::<f64>::arange(0.0, 5.0, 1.0));
/// let y = x.narrow(0, 1, 2);
/// assert_eq!(y.op(), Op::Narrow(Narrow { x: 0, axis: 0, start: 1, len: 2 }));
/// assert_eq!(y.op().to_string(), "narrow(#0, axis 0, 1..3)");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Narrow {
    /// The input.
    pub x: NodeId,
    /// The axis.
    pub axis: u32,
    /// The first element kept.
    pub start: u32,
    /// How many are kept.
    pub len: u32,
}

/// The input placed at `start` along `axis` in zeros of length `total` (narrow's adjoint).
///
/// ```
/// use autograd::{Op, Tape, Tensor, ops::Pad};
/// let tape = Tape::new();
/// let x = tape.tensor(Tensor::<f64>::ones([2]));
/// let y = x.pad(0, 1, 4);
/// assert_eq!(y.op(), Op::Pad(Pad { x: 0, axis: 0, start: 1, total: 4 }));
/// assert_eq!(y.value().to_vec(), vec![0.0, 1.0, 1.0, 0.0]);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Pad {
    /// The input.
    pub x: NodeId,
    /// The axis.
    pub axis: u32,
    /// Where the input starts.
    pub start: u32,
    /// The length along `axis` after padding.
    pub total: u32,
}

impl fmt::Display for Narrow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (x, axis, start, len) = (self.x, self.axis, self.start, self.len);
        write!(f, "narrow(#{x}, axis {axis}, {start}..{})", start + len)
    }
}

impl fmt::Display for Pad {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (x, axis, start, total) = (self.x, self.axis, self.start, self.total);
        write!(f, "pad(#{x}, axis {axis}, at {start} of {total})")
    }
}

impl StructuralOp for Narrow {
    fn name(self) -> &'static str {
        "narrow"
    }
    fn inputs(self, _: &[Dims]) -> SmallVec<[NodeId; 3]> {
        smallvec![self.x]
    }

    fn kink(self) -> Option<Kink> {
        None // smooth
    }
    fn reverse<T: TensorAlgebra>(self, cx: &mut impl ReverseContext<T>, g: T) {
        let axis = self.axis as usize;
        let total = cx.shape(self.x).dims()[axis];
        cx.acc(self.x, g.pad(axis, self.start as usize, total));
    }
    fn tangent<T: TensorAlgebra<Scalar = f64>>(self, cx: &impl TangentContext<T>) -> T {
        cx.or_zeros(self.x)
            .narrow(self.axis as usize, self.start as usize, self.len as usize)
    }
}

impl StructuralOp for Pad {
    fn name(self) -> &'static str {
        "pad"
    }
    fn inputs(self, _: &[Dims]) -> SmallVec<[NodeId; 3]> {
        smallvec![self.x]
    }

    fn kink(self) -> Option<Kink> {
        None // smooth
    }
    fn reverse<T: TensorAlgebra>(self, cx: &mut impl ReverseContext<T>, g: T) {
        let axis = self.axis as usize;
        let len = cx.shape(self.x).dims()[axis];
        cx.acc(self.x, g.narrow(axis, self.start as usize, len));
    }
    fn tangent<T: TensorAlgebra<Scalar = f64>>(self, cx: &impl TangentContext<T>) -> T {
        cx.or_zeros(self.x)
            .pad(self.axis as usize, self.start as usize, self.total as usize)
    }
}
