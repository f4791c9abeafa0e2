//! `unfold` and `fold`: the windows of a batch of images as columns (im2col) and columns
//! summed back into images (col2im), each the other's adjoint. Recorded by
//! `TensorVar::try_unfold` and `TensorVar::try_fold`; the kernels and the window are in
//! `tensor/window.rs`. A convolution is a matrix product with `unfold`'s columns, so its
//! reverse rules (for input, weight and bias) come from these two and `matmul`'s.

use std::fmt;

use smallvec::{SmallVec, smallvec};

use super::structural::{ReverseContext, StructuralOp, TangentContext};
use crate::ops::op::Kink;
use crate::ops::real::TensorAlgebra;
use crate::ops::{NodeId, Param};
use crate::shape::Dims;

/// The windows of images `[N, C, H, W]` as columns `[N, C · kh · kw, OH · OW]`.
///
/// ```
/// use autograd::{Op, Tape, Tensor, Window2d, ops::Unfold};
/// let tape = Tape::new();
/// let x = tape.tensor(Tensor::<f64>::ones([1, 1, 3, 3]));
/// let cols = x.unfold(Window2d::new([2, 2]));
/// assert!(matches!(cols.op(), Op::Unfold(Unfold { .. })));
/// assert_eq!(cols.dims(), &[1, 4, 4]);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Unfold {
    /// The images.
    pub x: NodeId,
    /// The window and the images' size, stored on the tape (kernel, stride, padding,
    /// dilation, then `[H, W]`): read them with [`Tape::param`](crate::Tape::param).
    pub window: Param,
}

/// Columns `[N, C · kh · kw, L]` summed back into images `[N, C, H, W]`: `unfold`'s adjoint.
///
/// ```
/// use autograd::{Op, Tape, Tensor, Window2d, ops::Fold};
/// let tape = Tape::new();
/// let cols = tape.tensor(Tensor::<f64>::ones([1, 4, 4]));
/// let image = cols.fold(Window2d::new([2, 2]), [3, 3]);
/// assert!(matches!(image.op(), Op::Fold(Fold { .. })));
/// assert_eq!(image.value().to_vec()[4], 4.0); // the centre is in all four windows
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Fold {
    /// The columns.
    pub x: NodeId,
    /// The window and the images' size, as for [`Unfold`].
    pub window: Param,
}

impl fmt::Display for Unfold {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unfold(#{}, window {})", { self.x }, self.window)
    }
}

impl fmt::Display for Fold {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "fold(#{}, window {})", { self.x }, self.window)
    }
}

impl StructuralOp for Unfold {
    fn name(self) -> &'static str {
        "unfold"
    }

    fn inputs(self, _: &[Dims]) -> SmallVec<[NodeId; 3]> {
        smallvec![self.x]
    }

    fn kink(self) -> Option<Kink> {
        None // linear
    }

    fn reverse<T: TensorAlgebra>(self, cx: &mut impl ReverseContext<T>, g: T) {
        // linear, so its gradient is its adjoint applied to g
        cx.acc(self.x, g.fold(&cx.param(self.window)));
    }

    fn tangent<T: TensorAlgebra<Scalar = f64>>(self, cx: &impl TangentContext<T>) -> T {
        cx.or_zeros(self.x).unfold(&cx.param(self.window))
    }
}

impl StructuralOp for Fold {
    fn name(self) -> &'static str {
        "fold"
    }

    fn inputs(self, _: &[Dims]) -> SmallVec<[NodeId; 3]> {
        smallvec![self.x]
    }

    fn kink(self) -> Option<Kink> {
        None // linear
    }

    fn reverse<T: TensorAlgebra>(self, cx: &mut impl ReverseContext<T>, g: T) {
        cx.acc(self.x, g.unfold(&cx.param(self.window)));
    }

    fn tangent<T: TensorAlgebra<Scalar = f64>>(self, cx: &impl TangentContext<T>) -> T {
        cx.or_zeros(self.x).fold(&cx.param(self.window))
    }
}
