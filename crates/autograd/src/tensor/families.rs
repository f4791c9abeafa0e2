//! The dtype families of raw tensors (see the seam in `dtype/mod.rs`).

use crate::dtype::{Family, Float};
use crate::tensor::Tensor;

/// `Tensor<F>`.
pub(crate) struct Tensors;
impl Family for Tensors {
    type Of<F: Float> = Tensor<F>;
}

/// `Option<Tensor<F>>`.
pub(crate) struct MaybeTensors;
impl Family for MaybeTensors {
    type Of<F: Float> = Option<Tensor<F>>;
}

/// `&'a Tensor<F>`.
pub(crate) struct TensorRefs<'a>(std::marker::PhantomData<&'a ()>);
impl<'a> Family for TensorRefs<'a> {
    type Of<F: Float> = &'a Tensor<F>;
}

/// `&'a [F]`.
pub(crate) struct Slices<'a>(std::marker::PhantomData<&'a ()>);
impl<'a> Family for Slices<'a> {
    type Of<F: Float> = &'a [F];
}

/// `&'a mut [MaybeUninit<F>]`: an output buffer not yet written.
pub(crate) struct UninitSlicesMut<'a>(std::marker::PhantomData<&'a ()>);
impl<'a> Family for UninitSlicesMut<'a> {
    type Of<F: Float> = &'a mut [std::mem::MaybeUninit<F>];
}

/// `Vec<F>`.
pub(crate) struct Vecs;
impl Family for Vecs {
    type Of<F: Float> = Vec<F>;
}
