//! The plain spellings of the shape-checked ops whose `try_` forms live in the other files:
//! each panics, at the caller's line, with the message its `try_` form returns.

use super::TensorVar;
use crate::dtype::Float;
use crate::error::OrPanic;
use crate::shape::Shape;
use crate::tensor::{ConvOptions, Window2d};

macro_rules! plain_forms {
    ($($name:ident => $try_name:ident($($arg:ident: $ty:ty),*) -> $ret:ty;)+) => {
        impl<'t, F: Float> TensorVar<'t, F> {
            $(
                #[doc = concat!("[`", stringify!($try_name), "`](Self::", stringify!($try_name),
                    ") that panics with the same message.")]
                #[track_caller]
                pub fn $name(self, $($arg: $ty),*) -> $ret {
                    self.$try_name($($arg),*).or_panic()
                }
            )+
        }
    };
}

plain_forms! {
    max_axes => try_max_axes(axes: &[usize], keepdim: bool) -> Self;
    min_axes => try_min_axes(axes: &[usize], keepdim: bool) -> Self;
    logsumexp => try_logsumexp(axes: &[usize], keepdim: bool) -> Self;
    argmax => try_argmax(axis: usize) -> Vec<usize>;
    gt => try_gt(other: TensorVar<'t, F>) -> Self;
    ge => try_ge(other: TensorVar<'t, F>) -> Self;
    lt => try_lt(other: TensorVar<'t, F>) -> Self;
    le => try_le(other: TensorVar<'t, F>) -> Self;
    eq => try_eq(other: TensorVar<'t, F>) -> Self;
    narrow => try_narrow(axis: usize, start: usize, len: usize) -> Self;
    pad => try_pad(axis: usize, start: usize, total: usize) -> Self;
    unsqueeze => try_unsqueeze(axis: usize) -> Self;
    flip => try_flip(axes: &[usize]) -> Self;
    unfold => try_unfold(window: Window2d) -> Self;
    fold => try_fold(window: Window2d, size: [usize; 2]) -> Self;
    unfold_batched => try_unfold_batched(window: Window2d) -> Self;
    fold_batched => try_fold_batched(window: Window2d, size: [usize; 2]) -> Self;
    max_pool2d => try_max_pool2d(window: Window2d) -> Self;
    avg_pool2d => try_avg_pool2d(window: Window2d) -> Self;
    global_avg_pool2d => try_global_avg_pool2d() -> Self;
    conv2d => try_conv2d(weight: TensorVar<'t, F>, bias: Option<TensorVar<'t, F>>, options: ConvOptions) -> Self;
    conv1d => try_conv1d(weight: TensorVar<'t, F>, bias: Option<TensorVar<'t, F>>, options: ConvOptions) -> Self;
    squeeze => try_squeeze(axis: usize) -> Self;
    matvec => try_matvec(v: TensorVar<'t, F>) -> Self;
    outer => try_outer(v: TensorVar<'t, F>) -> Self;
    index_select => try_index_select(axis: usize, indices: &[usize]) -> Self;
    gather => try_gather(axis: usize, index: &[usize], index_shape: &Shape) -> Self;
    matmul_transposed => try_matmul_transposed(rhs: TensorVar<'t, F>, transpose_lhs: bool, transpose_rhs: bool) -> Self;
}

impl<'t, F: Float> TensorVar<'t, F> {
    /// [`try_concat`](Self::try_concat) that panics with the same message.
    #[track_caller]
    pub fn concat(tensors: &[TensorVar<'t, F>], axis: usize) -> Self {
        Self::try_concat(tensors, axis).or_panic()
    }

    /// [`try_stack`](Self::try_stack) that panics with the same message.
    #[track_caller]
    pub fn stack(tensors: &[TensorVar<'t, F>], axis: usize) -> Self {
        Self::try_stack(tensors, axis).or_panic()
    }
}
