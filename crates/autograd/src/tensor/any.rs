//! [`AnyTensor`]: a tensor of either element type, as the tape stores it.

use super::Tensor;
use crate::dtype::ByDtype;
use crate::dtype::Float;
use crate::shape::Shape;
use crate::tensor::families::{TensorRefs, Tensors};

/// A tensor of `f32` or `f64`. Generic code reaches the typed tensor through
/// [`get`](AnyTensor::get), through the dtype seam (`dtype.rs`).
#[derive(Debug, Clone)]
pub(crate) enum AnyTensor {
    F32(Tensor<f32>),
    F64(Tensor<f64>),
}

impl AnyTensor {
    pub(crate) fn new<F: Float>(tensor: Tensor<F>) -> Self {
        match F::split::<Tensors>(tensor) {
            ByDtype::F32(t) => AnyTensor::F32(t),
            ByDtype::F64(t) => AnyTensor::F64(t),
        }
    }

    /// The tensor as `Tensor<F>`; a node's element type never changes, so a mismatch is a bug.
    pub(crate) fn get<F: Float>(&self) -> &Tensor<F> {
        let typed = match self {
            AnyTensor::F32(t) => F::join_f32::<TensorRefs<'_>>(t),
            AnyTensor::F64(t) => F::join_f64::<TensorRefs<'_>>(t),
        };
        typed.unwrap_or_else(|| panic!("a {} tensor was read as {}", self.dtype(), F::NAME))
    }

    pub(crate) fn shape(&self) -> &Shape {
        match self {
            AnyTensor::F32(t) => t.shape(),
            AnyTensor::F64(t) => t.shape(),
        }
    }

    pub(crate) fn dtype(&self) -> &'static str {
        match self {
            AnyTensor::F32(_) => f32::NAME,
            AnyTensor::F64(_) => f64::NAME,
        }
    }

    /// The elements widened to `f64`.
    pub(crate) fn to_f64(&self) -> Tensor<f64> {
        match self {
            AnyTensor::F32(t) => t.cast(),
            AnyTensor::F64(t) => t.clone(),
        }
    }

    /// Bytes of element storage, and the address that identifies the storage (tensors that
    /// share storage, as after a reshape, have the same one).
    pub(crate) fn storage(&self) -> (usize, usize) {
        match self {
            AnyTensor::F32(t) => (t.numel() * 4, t.storage_address()),
            AnyTensor::F64(t) => (t.numel() * 8, t.storage_address()),
        }
    }
}
