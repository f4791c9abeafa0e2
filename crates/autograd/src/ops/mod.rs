//! The primitives: the closed list of operations the tape records ([`Op`]), the table of the
//! elementwise ones, one file per structural one (its struct, its reverse and tangent rules),
//! and the arithmetic traits their rules are written in.
//!
//! The structs here are what the structural [`Op`] variants carry:
//!
//! ```
//! use autograd::{Op, Tape, Tensor, ops::MatMul};
//! let tape = Tape::new();
//! let (a, b) = (tape.tensor(Tensor::<f64>::ones([2, 3])), tape.tensor(Tensor::<f64>::ones([3, 1])));
//! let Op::MatMul(MatMul { a_transposed, .. }) = a.matmul(b).op() else { unreachable!() };
//! assert!(!a_transposed);
//! ```

mod concat;
pub(crate) mod elementwise;
mod extreme;
mod flip;
mod gather;
mod index_select;
mod matmul;
mod movement;
mod narrow;
mod op;
pub(crate) mod real;
mod select;
pub(crate) mod structural;
mod sum;
mod to_tensor;
mod unfold;

pub use concat::Concat;
pub use elementwise::{Binary, Constant, Domain, Unary};
pub use extreme::Extreme;
pub use flip::Flip;
pub use gather::{Gather, ScatterAdd};
pub use index_select::{IndexAdd, IndexSelect};
pub use matmul::MatMul;
pub use movement::{BroadcastTo, Permute, Reshape, SumToShape};
pub use narrow::{Narrow, Pad};
pub(crate) use op::Kink;
pub use op::{NodeId, Op, Param};
pub use select::Where;
pub use sum::Sum;
pub use to_tensor::ToTensor;
pub(crate) use to_tensor::item_reverse;
pub use unfold::{Fold, Unfold};
