//! `concat`: tensors joined along an axis. Recorded by `TensorVar::try_concat` (and `stack`);
//! the kernel is `Tensor::try_concat` (shapes must agree off the axis).

use std::fmt;

use smallvec::SmallVec;

use super::structural::{ReverseContext, StructuralOp, TangentContext};
use crate::ops::op::Kink;
use crate::ops::real::TensorAlgebra;
use crate::ops::{NodeId, Param};
use crate::shape::Dims;

/// The tensors listed (as node ids) in parameter `inputs`, joined along `axis`.
///
/// ```
/// use autograd::{Op, Tape, Tensor, TensorVar, ops::Concat};
/// let tape = Tape::new();
/// let (a, b) = (tape.tensor(Tensor::<f64>::ones([2])), tape.tensor(Tensor::<f64>::zeros([3])));
/// let Op::Concat(Concat { inputs, axis }) = TensorVar::concat(&[a, b], 0).op() else { unreachable!() };
/// assert_eq!((tape.param(inputs), axis), (vec![0, 1], 0));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Concat {
    /// The input list, stored on the tape: read it with [`Tape::param`](crate::Tape::param).
    pub inputs: Param,
    /// The axis.
    pub axis: u32,
}

impl fmt::Display for Concat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "concat({}, axis {})", self.inputs, { self.axis })
    }
}

impl StructuralOp for Concat {
    fn name(self) -> &'static str {
        "concat"
    }

    fn inputs(self, params: &[Dims]) -> SmallVec<[NodeId; 3]> {
        params[self.inputs.0 as usize]
            .iter()
            .map(|&i| i as NodeId)
            .collect()
    }

    fn kink(self) -> Option<Kink> {
        None // smooth
    }

    fn reverse<T: TensorAlgebra>(self, cx: &mut impl ReverseContext<T>, g: T) {
        let axis = self.axis as usize;
        let mut offset = 0;
        for input in cx.param(self.inputs) {
            let input = input as NodeId;
            let len = cx.shape(input).dims()[axis];
            cx.acc(input, g.clone().narrow(axis, offset, len));
            offset += len;
        }
    }

    fn tangent<T: TensorAlgebra<Scalar = f64>>(self, cx: &impl TangentContext<T>) -> T {
        // each input's tangent placed at its offset in zeros, then added
        let axis = self.axis as usize;
        let total = cx.output_shape().dims()[axis];
        let mut offset = 0;
        let mut joined: Option<T> = None;
        for input in cx.param(self.inputs) {
            let input = input as NodeId;
            let len = cx.shape(input).dims()[axis];
            if let Some(t) = cx.tangent(input) {
                let placed = t.pad(axis, offset, total);
                joined = Some(match joined.take() {
                    Some(j) => j + placed,
                    None => placed,
                });
            }
            offset += len;
        }
        joined.expect("the sweep checks that some input has a tangent")
    }
}
