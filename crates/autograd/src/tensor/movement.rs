//! Movement: reshape, broadcast, transpose and permute. Tensors are always contiguous, so
//! these copy where the element order changes and share storage where it does not.

use super::Tensor;
use crate::dtype::Float;
use crate::error::{Error, Result};
use crate::shape::Shape;

impl<T: Float> Tensor<T> {
    /// The same elements in a new shape with the same number of elements (shares storage).
    ///
    /// ```
    /// use autograd::Tensor;
    ///
    /// let t = Tensor::<f64>::arange(0.0, 6.0, 1.0);
    /// assert_eq!(t.try_reshape([2, 3]).unwrap().at(&[1, 0]), 3.0);
    /// let err = t.try_reshape([4]).unwrap_err();
    /// assert_eq!(err.to_string(), "reshape: shape [6] (6 elements) cannot become [4] (4 elements)");
    /// ```
    pub fn try_reshape(&self, shape: impl Into<Shape>) -> Result<Tensor<T>> {
        let shape = shape.into();
        if shape.checked_size("reshape", size_of::<T>())? != self.numel() {
            return Err(Error::ElementCountMismatch {
                op: "reshape",
                from: self.shape().clone(),
                to: shape,
            });
        }
        Ok(Tensor {
            data: self.data.clone(),
            shape,
        })
    }

    /// This tensor repeated along broadcast dimensions to `shape` (numpy's `broadcast_to`).
    ///
    /// ```
    /// use autograd::Tensor;
    ///
    /// let row = Tensor::<f64>::from_vec(vec![1.0, 2.0], [2]).unwrap();
    /// assert_eq!(row.try_broadcast_to([2, 2]).unwrap().to_vec(), vec![1.0, 2.0, 1.0, 2.0]);
    /// assert!(row.try_broadcast_to([3]).is_err());
    /// ```
    pub fn try_broadcast_to(&self, shape: impl Into<Shape>) -> Result<Tensor<T>> {
        let shape = shape.into();
        if !self.shape().broadcasts_to(&shape) {
            return Err(Error::ShapeMismatch {
                op: "broadcast_to",
                lhs: self.shape().clone(),
                rhs: shape,
            });
        }
        if &shape == self.shape() {
            return Ok(self.clone());
        }
        // Adding to zeros of the target shape is the broadcasting loop itself.
        let zeros = Tensor::from_parts(super::filled_vec("broadcast_to", &shape, T::ZERO)?, shape);
        Ok(zeros.zip("broadcast_to", self, |_, x| x))
    }

    /// The axes reordered: axis `i` of the result is axis `axes[i]` of this tensor.
    ///
    /// ```
    /// use autograd::Tensor;
    ///
    /// let t = Tensor::<f64>::from_fn([2, 3, 4], |i| (i[0] * 100 + i[1] * 10 + i[2]) as f64);
    /// let p = t.try_permute(&[2, 0, 1]).unwrap();
    /// assert_eq!(p.dims(), &[4, 2, 3]);
    /// assert_eq!(p.at(&[3, 1, 2]), 123.0);
    /// assert!(t.try_permute(&[0, 0, 1]).is_err());
    /// ```
    pub fn try_permute(&self, axes: &[usize]) -> Result<Tensor<T>> {
        let mut seen = vec![false; self.ndim()];
        let valid = axes.len() == self.ndim()
            && axes
                .iter()
                .all(|&a| a < self.ndim() && !std::mem::replace(&mut seen[a], true));
        if !valid {
            return Err(Error::InvalidPermutation {
                op: "permute",
                axes: axes.to_vec(),
                shape: self.shape().clone(),
            });
        }
        let dims: Vec<usize> = axes.iter().map(|&a| self.dims()[a]).collect();
        let strides = self.shape().strides();
        let source: Vec<usize> = axes.iter().map(|&a| strides[a]).collect();
        let data = self.as_slice();
        let numel = self.numel();
        // (from the buffer cache when large: a fresh large buffer page-faults in)
        let mut out = super::empty_vec("permute", self.shape())?;
        if numel > 0 && !dims.is_empty() {
            // Walk the output in order: an odometer over the outer axes moves the source
            // offset incrementally, and the last axis is a strided inner loop.
            let last = dims.len() - 1;
            let (inner, step) = (dims[last], source[last]);
            let mut index = vec![0; last];
            let mut offset = 0;
            for _ in 0..numel / inner {
                if step == 1 {
                    // the last axis stays last: whole runs (a conv's [O, N, L] → [N, O, L])
                    out.extend_from_slice(&data[offset..offset + inner]);
                } else {
                    out.extend((0..inner).map(|k| data[offset + k * step]));
                }
                for d in (0..last).rev() {
                    index[d] += 1;
                    offset += source[d];
                    if index[d] < dims[d] {
                        break;
                    }
                    offset -= source[d] * dims[d];
                    index[d] = 0;
                }
            }
        } else if numel > 0 {
            out.push(data[0]);
        }
        Ok(Tensor::from_parts(out, Shape::from(dims)))
    }

    /// The elements in reverse order along each of `axes` (numpy's `flip`); an error for an
    /// axis the tensor does not have, or one named twice.
    ///
    /// ```
    /// use autograd::Tensor;
    /// let t = Tensor::<f64>::from_vec(vec![1.0, 2.0, 3.0, 4.0, 5.0, 6.0], [2, 3]).unwrap();
    /// assert_eq!(t.try_flip(&[1]).unwrap().to_vec(), vec![3.0, 2.0, 1.0, 6.0, 5.0, 4.0]);
    /// assert_eq!(t.try_flip(&[0, 1]).unwrap().to_vec(), vec![6.0, 5.0, 4.0, 3.0, 2.0, 1.0]);
    /// assert!(t.try_flip(&[2]).is_err() && t.try_flip(&[0, 0]).is_err());
    /// ```
    pub fn try_flip(&self, axes: &[usize]) -> Result<Tensor<T>> {
        let flipped = self.reduced_axes("flip", axes)?;
        let (dims, strides, data) = (self.dims(), self.shape().strides(), self.as_slice());
        let numel = self.numel();
        let mut out = Vec::with_capacity(numel);
        if numel > 0 && !dims.is_empty() {
            // Row by row: the offset of a row from its (possibly mirrored) outer indices, and
            // the last axis, contiguous, copied forwards or backwards.
            let last = dims.len() - 1;
            let inner = dims[last];
            let mut index = vec![0; last];
            for _ in 0..numel / inner {
                let base: usize = (0..last)
                    .map(|d| {
                        let i = if flipped[d] {
                            dims[d] - 1 - index[d]
                        } else {
                            index[d]
                        };
                        i * strides[d]
                    })
                    .sum();
                let row = &data[base..base + inner];
                if flipped[last] {
                    out.extend(row.iter().rev());
                } else {
                    out.extend_from_slice(row);
                }
                for d in (0..last).rev() {
                    index[d] += 1;
                    if index[d] < dims[d] {
                        break;
                    }
                    index[d] = 0;
                }
            }
        } else if numel > 0 {
            out.push(data[0]);
        }
        Ok(Tensor::from_parts(out, self.shape().clone()))
    }

    /// The last two axes swapped (the matrix transpose, batched over leading axes).
    ///
    /// ```
    /// use autograd::Tensor;
    ///
    /// let m = Tensor::<f64>::from_fn([2, 3], |i| (i[0] * 3 + i[1]) as f64);
    /// let t = m.try_transpose().unwrap();
    /// assert_eq!((t.dims(), t.at(&[2, 1])), (&[3, 2][..], 5.0));
    /// assert!(Tensor::<f64>::zeros([3]).try_transpose().is_err());
    /// ```
    pub fn try_transpose(&self) -> Result<Tensor<T>> {
        let n = self.ndim();
        if n < 2 {
            return Err(Error::InvalidAxis {
                op: "transpose",
                axis: 1,
                shape: self.shape().clone(),
            });
        }
        let mut axes: Vec<usize> = (0..n).collect();
        axes.swap(n - 2, n - 1);
        self.try_permute(&axes)
    }
}
