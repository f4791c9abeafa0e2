//! `matmul`: the matrix product over the last two axes, leading axes broadcast, either
//! operand read transposed through strides. Recorded by `TensorVar::try_matmul_transposed`;
//! the kernel is `Tensor::try_matmul_transposed` (shape check) over `tensor/gemm/`.

use std::fmt;

use smallvec::{SmallVec, smallvec};

use super::structural::{ReverseContext, StructuralOp, TangentContext};
use crate::ops::NodeId;
use crate::ops::op::Kink;
use crate::ops::real::TensorAlgebra;
use crate::shape::Dims;

/// `op(a) · op(b)` over the last two axes, `op` transposing an operand whose flag is set.
///
/// ```
/// use autograd::{Op, Tape, Tensor, ops::MatMul};
/// let tape = Tape::new();
/// let x = tape.tensor(Tensor::<f64>::ones([2, 3]));
/// let w = tape.tensor(Tensor::<f64>::ones([4, 3]));
/// let y = x.matmul_transposed(w, false, true);
/// assert_eq!(y.op(), Op::MatMul(MatMul { a: 0, b: 1, a_transposed: false, b_transposed: true }));
/// assert_eq!(y.op().to_string(), "matmul(#0, #1ᵀ)");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct MatMul {
    /// The left operand.
    pub a: NodeId,
    /// The right operand.
    pub b: NodeId,
    /// Use `aᵀ`.
    pub a_transposed: bool,
    /// Use `bᵀ`.
    pub b_transposed: bool,
}

impl fmt::Display for MatMul {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mark = |t: bool| if t { "ᵀ" } else { "" };
        let (a, b) = (self.a, self.b);
        write!(
            f,
            "matmul(#{a}{}, #{b}{})",
            mark(self.a_transposed),
            mark(self.b_transposed)
        )
    }
}

impl StructuralOp for MatMul {
    fn name(self) -> &'static str {
        "matmul"
    }

    fn inputs(self, _: &[Dims]) -> SmallVec<[NodeId; 3]> {
        smallvec![self.a, self.b]
    }

    fn kink(self) -> Option<Kink> {
        None // smooth
    }

    fn reverse<T: TensorAlgebra>(self, cx: &mut impl ReverseContext<T>, g: T) {
        let (a, b, ta, tb) = (self.a, self.b, self.a_transposed, self.b_transposed);
        // C = A'B' with A' = op(A), B' = op(B): ∂/∂A' = G B'ᵀ and ∂/∂B' = A'ᵀ G, then undo op.
        // Transposes are flags (strides), not copies; acc sums batch axes back. The two
        // products are the bulk of a network's backward pass: skip the one whose operand is a
        // constant (an input batch), whose gradient would be dropped anyway.
        let (lhs, rhs) = (cx.primal(a), cx.primal(b));
        if !cx.is_constant(a) {
            let grad_a = if ta {
                rhs.clone().matmul_transposed(g.clone(), tb, true) // (G B'ᵀ)ᵀ = B' Gᵀ
            } else {
                g.clone().matmul_transposed(rhs, false, !tb) // G B'ᵀ
            };
            cx.acc(a, grad_a);
        }
        if !cx.is_constant(b) {
            let grad_b = if tb {
                g.matmul_transposed(lhs, true, ta) // (A'ᵀ G)ᵀ = Gᵀ A'
            } else {
                lhs.matmul_transposed(g, !ta, false) // A'ᵀ G
            };
            cx.acc(b, grad_b);
        }
    }

    fn tangent<T: TensorAlgebra<Scalar = f64>>(self, cx: &impl TangentContext<T>) -> T {
        let (ta, tb) = (self.a_transposed, self.b_transposed);
        // d(A'B') = dA' B' + A' dB'; the transposes stay flags
        let from_a = cx
            .tangent(self.a)
            .map(|t| t.matmul_transposed(cx.primal(self.b), ta, tb));
        let from_b = cx
            .tangent(self.b)
            .map(|t| cx.primal(self.a).matmul_transposed(t, ta, tb));
        match (from_a, from_b) {
            (Some(p), Some(q)) => p + q,
            (Some(p), None) | (None, Some(p)) => p,
            (None, None) => unreachable!("the sweep checks that some input has a tangent"),
        }
    }
}
