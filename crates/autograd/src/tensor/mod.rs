//! [`Tensor`]: an n-dimensional array of `f32` or `f64`, row-major, with shared storage.
//!
//! A `Tensor` is a value: cloning it shares the storage (an `Arc`), and every operation
//! returns a new tensor. Gradients of tensor computations come from recording them on a
//! [`Tape`](crate::Tape).

mod any;
mod create;
mod display;
mod elementwise;
pub(crate) mod families;
pub(crate) mod gemm;
mod index;
pub(crate) mod isa;
mod join;
mod matmul;
mod movement;
mod parallel;
pub(crate) mod pool;
mod reduce;
mod select;
mod summation;
pub(crate) mod vector_math;
pub(crate) mod window;

pub use window::{ConvOptions, Window2d};

pub(crate) use any::AnyTensor;
pub(crate) use create::{empty_vec, filled_vec};

use crate::error::OrPanic;
use std::sync::Arc;

use crate::dtype::Float;
use crate::error::{Error, Result};
use crate::shape::Shape;

/// An n-dimensional array of `T` (`f32` or `f64`), row-major and contiguous.
///
/// ```
/// use autograd::Tensor;
///
/// let a = Tensor::<f64>::from_vec(vec![1.0, 2.0, 3.0, 4.0, 5.0, 6.0], [2, 3]).unwrap();
/// assert_eq!(a.dims(), &[2, 3]);
/// assert_eq!(a.at(&[1, 2]), 6.0);
/// let b = &a * 2.0 + 1.0;
/// assert_eq!(b.to_vec(), vec![3.0, 5.0, 7.0, 9.0, 11.0, 13.0]);
/// ```
#[derive(Clone)]
pub struct Tensor<T: Float> {
    data: Arc<pool::Buffer<T>>,
    shape: Shape,
}

impl<T: Float> Tensor<T> {
    /// The shape.
    ///
    /// ```
    /// let t = autograd::Tensor::<f64>::zeros([2, 3]);
    /// assert_eq!(t.shape(), &autograd::Shape::from([2, 3]));
    /// ```
    pub fn shape(&self) -> &Shape {
        &self.shape
    }

    /// The dimensions.
    ///
    /// ```
    /// assert_eq!(autograd::Tensor::<f64>::zeros([4, 1]).dims(), &[4, 1]);
    /// ```
    pub fn dims(&self) -> &[usize] {
        self.shape.dims()
    }

    /// Number of dimensions.
    ///
    /// ```
    /// assert_eq!(autograd::Tensor::<f64>::zeros([4, 1]).ndim(), 2);
    /// ```
    pub fn ndim(&self) -> usize {
        self.shape.ndim()
    }

    /// Number of elements.
    ///
    /// ```
    /// assert_eq!(autograd::Tensor::<f64>::zeros([4, 3]).numel(), 12);
    /// ```
    pub fn numel(&self) -> usize {
        self.data.len()
    }

    /// The elements in row-major order.
    ///
    /// ```
    /// let t = autograd::Tensor::<f64>::eye(2);
    /// assert_eq!(t.as_slice(), &[1.0, 0.0, 0.0, 1.0]);
    /// ```
    pub fn as_slice(&self) -> &[T] {
        &self.data
    }

    /// The elements, to change in place (an optimiser's update). Storage shared with clones
    /// is copied first, so no other tensor sees the change.
    ///
    /// ```
    /// let mut w = autograd::Tensor::<f64>::ones([2]);
    /// let before = w.clone();
    /// w.as_mut_slice()[0] = 5.0;
    /// assert_eq!((w.to_vec(), before.to_vec()), (vec![5.0, 1.0], vec![1.0, 1.0]));
    /// ```
    pub fn as_mut_slice(&mut self) -> &mut [T] {
        Arc::make_mut(&mut self.data).as_mut_slice()
    }

    /// A copy of the elements in row-major order.
    ///
    /// ```
    /// assert_eq!(autograd::Tensor::<f64>::ones([2]).to_vec(), vec![1.0, 1.0]);
    /// ```
    pub fn to_vec(&self) -> Vec<T> {
        self.data.to_vec()
    }

    /// The elements, taking the storage without a copy when it is not shared.
    pub(crate) fn into_vec(self) -> Vec<T> {
        Arc::try_unwrap(self.data).map_or_else(|shared| shared.to_vec(), pool::Buffer::into_inner)
    }

    /// The element at `index`, or an error naming the index and the shape.
    ///
    /// ```
    /// let t = autograd::Tensor::<f64>::eye(3);
    /// assert_eq!(t.get(&[1, 1]).unwrap(), 1.0);
    /// assert!(t.get(&[3, 0]).is_err());
    /// ```
    pub fn get(&self, index: &[usize]) -> Result<T> {
        let out_of_bounds =
            index.len() != self.ndim() || index.iter().zip(self.dims()).any(|(&i, &d)| i >= d);
        if out_of_bounds {
            return Err(Error::IndexOutOfBounds {
                op: "get",
                index: index.to_vec(),
                shape: self.shape.clone(),
            });
        }
        let offset: usize = index
            .iter()
            .zip(self.shape.strides())
            .map(|(i, s)| i * s)
            .sum();
        Ok(self.data[offset])
    }

    /// The element at `index`; panics with the index and the shape if it is outside.
    ///
    /// ```
    /// let t = autograd::Tensor::<f64>::from_fn([2, 2], |i| i[1] as f64);
    /// assert_eq!(t.at(&[0, 1]), 1.0);
    /// ```
    #[track_caller]
    pub fn at(&self, index: &[usize]) -> T {
        self.get(index).or_panic()
    }

    /// The only element of a one-element tensor (any shape), or an error naming the shape.
    ///
    /// ```
    /// use autograd::Tensor;
    /// assert_eq!(Tensor::full([1, 1], 3.0f64).item().unwrap(), 3.0);
    /// assert!(Tensor::<f64>::zeros([2]).item().is_err());
    /// ```
    pub fn item(&self) -> Result<T> {
        if self.numel() != 1 {
            return Err(Error::NotOneElement {
                op: "item",
                shape: self.shape.clone(),
            });
        }
        Ok(self.data[0])
    }

    /// The same elements converted to another element type.
    ///
    /// ```
    /// let t = autograd::Tensor::<f64>::full([2], 0.5);
    /// assert_eq!(t.cast::<f32>().to_vec(), vec![0.5f32, 0.5]);
    /// ```
    pub fn cast<U: Float>(&self) -> Tensor<U> {
        let data = self.data.iter().map(|x| U::from_f64(x.to_f64())).collect();
        Tensor::from_parts(data, self.shape.clone())
    }

    /// The address of the storage: equal for tensors that share it.
    pub(crate) fn storage_address(&self) -> usize {
        Arc::as_ptr(&self.data) as usize
    }

    /// `true` if both tensors share one storage (a clone of each other).
    #[cfg(test)]
    pub(crate) fn shares_storage(&self, other: &Tensor<T>) -> bool {
        Arc::ptr_eq(&self.data, &other.data)
    }
}

/// Equal shapes and equal elements (so a NaN makes tensors unequal, as for numbers).
///
/// ```
/// use autograd::Tensor;
/// assert_eq!(Tensor::<f64>::ones([2]), Tensor::from_vec(vec![1.0, 1.0], [2]).unwrap());
/// assert_ne!(Tensor::<f64>::ones([2]), Tensor::ones([2, 1]));
/// ```
impl<T: Float> PartialEq for Tensor<T> {
    fn eq(&self, other: &Self) -> bool {
        self.shape == other.shape && self.as_slice() == other.as_slice()
    }
}

impl<F: Float> crate::dtype::sealed::Sealed for Tensor<F> {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clones_share_storage() {
        let a = Tensor::<f64>::ones([1000]);
        let b = a.clone();
        assert!(a.shares_storage(&b));
        assert_eq!(b.into_vec().len(), 1000);
    }

    #[test]
    fn arange_and_linspace_edge_cases() {
        assert_eq!(Tensor::<f64>::arange(0.0, 0.0, 1.0).numel(), 0);
        assert_eq!(
            Tensor::<f64>::arange(3.0, 0.0, -1.0).to_vec(),
            vec![3.0, 2.0, 1.0]
        );
        assert_eq!(Tensor::<f64>::linspace(2.0, 3.0, 1).to_vec(), vec![2.0]);
        assert_eq!(Tensor::<f64>::linspace(2.0, 3.0, 0).numel(), 0);
    }

    #[test]
    fn index_errors_name_index_and_shape() {
        let t = Tensor::<f32>::zeros([2, 3]);
        let err = t.get(&[0, 3]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "get: index [0, 3] is out of bounds for shape [2, 3]"
        );
        assert!(t.get(&[0]).is_err());
    }
}
