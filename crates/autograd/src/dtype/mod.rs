//! The one dtype seam: how code generic over [`Float`] reaches the f32 or the f64 side of a
//! pair of containers (the tape's tensor column, the gradient store's two columns, a hook's
//! kind, a seed), with no `TypeId`, no `Box<dyn Any>` and no string compare.
//!
//! [`Float::split`] turns a `W::Of<F>` into [`ByDtype::F32`] or [`ByDtype::F64`] of the same
//! value, and [`Float::join_f32`] / [`Float::join_f64`] turn one side back into `W::Of<F>`
//! (or `None` for the other dtype). `W` is a [`Family`]: "a tensor of", "a reference to a
//! tensor of", "a tensor variable of", ... Each implementation is the identity, resolved at
//! compile time. The traits are sealed: f32 and f64 are the only dtypes.

mod float;

pub use float::Float;

/// The element type of a tensor, as a value (for file formats and messages).
///
/// ```
/// use autograd::{DType, Float};
/// assert_eq!(<f32 as Float>::DTYPE, DType::F32);
/// assert_eq!(DType::F64.size_in_bytes(), 8);
/// assert_eq!(DType::F32.to_string(), "f32");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DType {
    /// 32-bit IEEE floating point.
    F32,
    /// 64-bit IEEE floating point.
    F64,
}

impl DType {
    /// Bytes per element.
    ///
    /// ```
    /// assert_eq!(autograd::DType::F32.size_in_bytes(), 4);
    /// ```
    pub fn size_in_bytes(self) -> usize {
        match self {
            DType::F32 => 4,
            DType::F64 => 8,
        }
    }
}

impl std::fmt::Display for DType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            DType::F32 => "f32",
            DType::F64 => "f64",
        })
    }
}

/// A type constructor over the dtypes: `Of<F>` is "the thing, for elements `F`".
#[doc(hidden)]
pub trait Family {
    /// The thing for elements `F`.
    type Of<F: Float>;
}

/// One value of a [`Family`], on the side of its dtype.
#[doc(hidden)]
pub enum ByDtype<W: Family> {
    /// The f32 side.
    F32(W::Of<f32>),
    /// The f64 side.
    F64(W::Of<f64>),
}

impl<W: Family> ByDtype<W> {
    /// Which side this value is on.
    pub fn dtype(&self) -> DType {
        match self {
            ByDtype::F32(_) => DType::F32,
            ByDtype::F64(_) => DType::F64,
        }
    }
}

/// `Float` and [`Real`](crate::Real) are sealed: the engine's rules, kernels and this seam
/// know exactly f32 and f64 (and `Real`'s four value kinds), so a type from outside could only
/// break them. Implementing either outside this crate is a compile error.
pub(crate) mod sealed {
    pub trait Sealed {}
    impl Sealed for f32 {}
    impl Sealed for f64 {}
    // and each value kind of `Real` in its own layer: `Tensor`, `Var`, `TensorVar`
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Tensor;
    use crate::tensor::families::{MaybeTensors, Tensors};

    #[test]
    fn split_and_join_are_the_identity_on_their_own_side() {
        let t = Tensor::<f32>::ones([2]);
        match f32::split::<Tensors>(t.clone()) {
            ByDtype::F32(same) => assert!(same.shares_storage(&t)),
            ByDtype::F64(_) => panic!("an f32 tensor went to the f64 side"),
        }
        assert!(
            f32::join_f32::<MaybeTensors>(Some(t.clone()))
                .flatten()
                .is_some()
        );
        assert!(f64::join_f32::<MaybeTensors>(Some(t)).is_none());
        assert!(f64::join_f64::<MaybeTensors>(Some(Tensor::ones([1]))).is_some());
    }
}
