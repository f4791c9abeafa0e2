//! [`AnyTensor`]: a tensor of either element type, as the tape stores it: the dtype seam's
//! own enum (`ByDtype` of tensors), so run-time and compile-time dispatch are one mechanism.

use super::Tensor;
use crate::dtype::ByDtype;
use crate::dtype::Float;
use crate::shape::Shape;
use crate::tensor::families::{TensorRefs, Tensors};

/// A tensor of `f32` or `f64`. Generic code reaches the typed tensor through
/// [`get`](AnyTensor::get), through the dtype seam (`dtype/mod.rs`).
pub(crate) type AnyTensor = ByDtype<Tensors>;

impl Clone for AnyTensor {
    fn clone(&self) -> Self {
        match self {
            AnyTensor::F32(t) => AnyTensor::F32(t.clone()),
            AnyTensor::F64(t) => AnyTensor::F64(t.clone()),
        }
    }
}

impl std::fmt::Debug for AnyTensor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AnyTensor::F32(t) => t.fmt(f),
            AnyTensor::F64(t) => t.fmt(f),
        }
    }
}

impl AnyTensor {
    pub(crate) fn new<F: Float>(tensor: Tensor<F>) -> Self {
        F::split::<Tensors>(tensor)
    }

    /// The tensor as `Tensor<F>`; a node's element type never changes, so a mismatch is a bug.
    pub(crate) fn get<F: Float>(&self) -> &Tensor<F> {
        let typed = match self {
            AnyTensor::F32(t) => F::join_f32::<TensorRefs<'_>>(t),
            AnyTensor::F64(t) => F::join_f64::<TensorRefs<'_>>(t),
        };
        typed.unwrap_or_else(|| panic!("a {} tensor was read as {}", self.dtype(), F::DTYPE))
    }

    pub(crate) fn shape(&self) -> &Shape {
        match self {
            AnyTensor::F32(t) => t.shape(),
            AnyTensor::F64(t) => t.shape(),
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
