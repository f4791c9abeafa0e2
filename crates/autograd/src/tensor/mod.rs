//! [`Tensor`]: an n-dimensional array of `f32` or `f64`, row-major, with shared storage.
//!
//! A `Tensor` is a value: cloning it shares the storage (an `Arc`), and every operation
//! returns a new tensor. Gradients of tensor computations come from recording them on a
//! [`Tape`](crate::Tape).

mod any;
mod display;
mod elementwise;
pub(crate) mod gemm;
mod index;
mod join;
mod matmul;
mod movement;
mod real;
mod reduce;
mod select;

pub(crate) use any::AnyTensor;

use std::sync::Arc;

use rand::Rng;

use crate::element::Float;
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
    data: Arc<Vec<T>>,
    shape: Shape,
}

impl<T: Float> Tensor<T> {
    /// A tensor from row-major data; an error if the length does not match the shape.
    ///
    /// ```
    /// use autograd::Tensor;
    ///
    /// let err = Tensor::<f32>::from_vec(vec![1.0; 5], [2, 3]).unwrap_err();
    /// assert_eq!(err.to_string(), "from_vec: shape [2, 3] holds 6 elements, got 5");
    /// ```
    pub fn from_vec(data: Vec<T>, shape: impl Into<Shape>) -> Result<Self> {
        let shape = shape.into();
        if data.len() != shape.numel() {
            return Err(Error::LengthMismatch {
                op: "from_vec",
                shape,
                len: data.len(),
            });
        }
        Ok(Tensor {
            data: Arc::new(data),
            shape,
        })
    }

    /// Internal constructor for data already known to fit the shape.
    pub(crate) fn from_parts(data: Vec<T>, shape: Shape) -> Self {
        debug_assert_eq!(data.len(), shape.numel(), "{shape}");
        Tensor {
            data: Arc::new(data),
            shape,
        }
    }

    /// A 0-d tensor holding one value.
    ///
    /// ```
    /// let t = autograd::Tensor::scalar(2.5f64);
    /// assert_eq!((t.ndim(), t.item().unwrap()), (0, 2.5));
    /// ```
    pub fn scalar(value: T) -> Self {
        Self::from_parts(vec![value], Shape::scalar())
    }

    /// Every element `value`.
    ///
    /// ```
    /// let t = autograd::Tensor::full([2, 2], 7.0f32);
    /// assert_eq!(t.to_vec(), vec![7.0; 4]);
    /// ```
    pub fn full(shape: impl Into<Shape>, value: T) -> Self {
        let shape = shape.into();
        Self::from_parts(vec![value; shape.numel()], shape)
    }

    /// Every element 0.
    ///
    /// ```
    /// assert_eq!(autograd::Tensor::<f64>::zeros([3]).to_vec(), vec![0.0; 3]);
    /// ```
    pub fn zeros(shape: impl Into<Shape>) -> Self {
        Self::full(shape, T::ZERO)
    }

    /// Every element 1.
    ///
    /// ```
    /// assert_eq!(autograd::Tensor::<f64>::ones([2]).to_vec(), vec![1.0, 1.0]);
    /// ```
    pub fn ones(shape: impl Into<Shape>) -> Self {
        Self::full(shape, T::ONE)
    }

    /// Zeros of this tensor's shape.
    ///
    /// ```
    /// let t = autograd::Tensor::<f64>::ones([2, 3]);
    /// assert_eq!(t.zeros_like().dims(), &[2, 3]);
    /// ```
    pub fn zeros_like(&self) -> Self {
        Self::zeros(self.shape.clone())
    }

    /// Element `f(index)` at every index, in row-major order.
    ///
    /// ```
    /// let t = autograd::Tensor::<f64>::from_fn([2, 3], |i| (10 * i[0] + i[1]) as f64);
    /// assert_eq!(t.to_vec(), vec![0.0, 1.0, 2.0, 10.0, 11.0, 12.0]);
    /// ```
    pub fn from_fn(shape: impl Into<Shape>, mut f: impl FnMut(&[usize]) -> T) -> Self {
        let shape = shape.into();
        let mut index = vec![0; shape.ndim()];
        let mut data = Vec::with_capacity(shape.numel());
        for _ in 0..shape.numel() {
            data.push(f(&index));
            // odometer increment, last dimension fastest
            for d in (0..index.len()).rev() {
                index[d] += 1;
                if index[d] < shape.dims()[d] {
                    break;
                }
                index[d] = 0;
            }
        }
        Self::from_parts(data, shape)
    }

    /// `start, start + step, ...` up to but excluding `end`, as a 1-d tensor (numpy's
    /// `arange`).
    ///
    /// ```
    /// let t = autograd::Tensor::<f64>::arange(0.0, 1.0, 0.25);
    /// assert_eq!(t.to_vec(), vec![0.0, 0.25, 0.5, 0.75]);
    /// ```
    ///
    /// # Panics
    /// If `start`, `end` or `step` is not finite.
    #[track_caller]
    pub fn arange(start: T, end: T, step: T) -> Self {
        let (s, e, d) = (start.to_f64(), end.to_f64(), step.to_f64());
        assert!(
            s.is_finite() && e.is_finite() && d.is_finite(),
            "arange: start {s}, end {e} and step {d} must be finite"
        );
        let n = if d != 0.0 && (e - s) / d > 0.0 {
            ((e - s) / d).ceil() as usize
        } else {
            0
        };
        let data = (0..n).map(|i| T::from_f64(s + d * i as f64)).collect();
        Self::from_parts(data, Shape::from([n]))
    }

    /// `n` evenly spaced values from `start` to `end`, both included (numpy's `linspace`).
    ///
    /// ```
    /// let t = autograd::Tensor::<f64>::linspace(0.0, 1.0, 5);
    /// assert_eq!(t.to_vec(), vec![0.0, 0.25, 0.5, 0.75, 1.0]);
    /// ```
    pub fn linspace(start: T, end: T, n: usize) -> Self {
        let (s, e) = (start.to_f64(), end.to_f64());
        let data = (0..n)
            .map(|i| {
                if n == 1 {
                    start
                } else if i + 1 == n {
                    end
                } else {
                    T::from_f64(s + (e - s) * i as f64 / (n - 1) as f64)
                }
            })
            .collect();
        Self::from_parts(data, Shape::from([n]))
    }

    /// The `n × n` identity matrix.
    ///
    /// ```
    /// let i = autograd::Tensor::<f32>::eye(2);
    /// assert_eq!(i.to_vec(), vec![1.0, 0.0, 0.0, 1.0]);
    /// ```
    pub fn eye(n: usize) -> Self {
        Self::from_fn([n, n], |i| if i[0] == i[1] { T::ONE } else { T::ZERO })
    }

    /// Elements drawn uniformly from `[low, high)` with the given generator (seed it for
    /// reproducible runs).
    ///
    /// ```
    /// use autograd::Tensor;
    /// use rand::{SeedableRng, rngs::StdRng};
    ///
    /// let t = Tensor::<f64>::rand_uniform([100], -1.0, 1.0, &mut StdRng::seed_from_u64(0));
    /// assert!(t.to_vec().iter().all(|x| (-1.0..1.0).contains(x)));
    /// let again = Tensor::<f64>::rand_uniform([100], -1.0, 1.0, &mut StdRng::seed_from_u64(0));
    /// assert_eq!(t.to_vec(), again.to_vec());
    /// ```
    pub fn rand_uniform(shape: impl Into<Shape>, low: T, high: T, rng: &mut impl Rng) -> Self {
        let shape = shape.into();
        let (lo, hi) = (low.to_f64(), high.to_f64());
        let data = (0..shape.numel())
            .map(|_| {
                loop {
                    // Rounding to f32 can reach `high`: draw again to keep the interval half-open.
                    let x = T::from_f64(lo + (hi - lo) * rng.random::<f64>());
                    if x < high || low >= high {
                        break x;
                    }
                }
            })
            .collect();
        Self::from_parts(data, shape)
    }

    /// Elements drawn from the normal distribution N(`mean`, `std`²), by Box–Muller.
    ///
    /// ```
    /// use autograd::Tensor;
    /// use rand::{SeedableRng, rngs::StdRng};
    ///
    /// let t = Tensor::<f64>::rand_normal([10_000], 0.0, 2.0, &mut StdRng::seed_from_u64(1));
    /// let mean = t.to_vec().iter().sum::<f64>() / 10_000.0;
    /// assert!(mean.abs() < 0.1);
    /// ```
    pub fn rand_normal(shape: impl Into<Shape>, mean: T, std: T, rng: &mut impl Rng) -> Self {
        let shape = shape.into();
        let (m, s) = (mean.to_f64(), std.to_f64());
        let data = (0..shape.numel())
            .map(|_| {
                // 1 - u lies in (0, 1], so the logarithm is finite.
                let u1: f64 = 1.0 - rng.random::<f64>();
                let u2: f64 = rng.random();
                let z = (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos();
                T::from_f64(m + s * z)
            })
            .collect();
        Self::from_parts(data, shape)
    }

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
        Arc::try_unwrap(self.data).unwrap_or_else(|shared| shared.to_vec())
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
        self.get(index).unwrap_or_else(|err| panic!("{err}"))
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
