//! Cutting and joining along an axis: `narrow` (a slice), `pad` (its inverse, with zeros),
//! and `concat`.

use super::Tensor;
use crate::dtype::Float;
use crate::error::{Error, Result};
use crate::shape::Shape;

impl<T: Float> Tensor<T> {
    /// Elements `start .. start + len` along `axis` (a slice; numpy's `x[:, start:start+len]`).
    ///
    /// ```
    /// use autograd::Tensor;
    ///
    /// let t = Tensor::<f64>::from_fn([2, 4], |i| (i[0] * 4 + i[1]) as f64);
    /// assert_eq!(t.try_narrow(1, 1, 2).unwrap().to_vec(), vec![1.0, 2.0, 5.0, 6.0]);
    /// let err = t.try_narrow(1, 3, 2).unwrap_err();
    /// assert_eq!(
    ///     err.to_string(),
    ///     "narrow: positions 3.. (+2) along axis 1 do not fit in its 4 (shape [2, 4])"
    /// );
    /// assert!(t.try_narrow(1, usize::MAX, 2).is_err()); // start + len overflows: an error
    /// ```
    pub fn try_narrow(&self, axis: usize, start: usize, len: usize) -> Result<Tensor<T>> {
        self.check_axis("narrow", axis)?;
        self.check_range("narrow", axis, start, len, self.dims()[axis])?;
        let (outer, size, inner) = self.shape().split_at_axis(axis);
        let mut data = Vec::with_capacity(outer * len * inner);
        for o in 0..outer {
            let base = o * size * inner + start * inner;
            data.extend_from_slice(&self.as_slice()[base..base + len * inner]);
        }
        let mut dims = self.dims().to_vec();
        dims[axis] = len;
        Ok(Tensor::from_parts(data, Shape::from(dims)))
    }

    /// This tensor placed at `start` along `axis` inside zeros of length `total`: the inverse
    /// of [`try_narrow`](Self::try_narrow) (and its gradient).
    ///
    /// ```
    /// use autograd::Tensor;
    ///
    /// let t = Tensor::<f64>::ones([1, 2]);
    /// assert_eq!(t.try_pad(1, 1, 4).unwrap().to_vec(), vec![0.0, 1.0, 1.0, 0.0]);
    /// ```
    pub fn try_pad(&self, axis: usize, start: usize, total: usize) -> Result<Tensor<T>> {
        self.check_axis("pad", axis)?;
        let (outer, len, inner) = self.shape().split_at_axis(axis);
        self.check_range("pad", axis, start, len, total)?;
        let mut dims = self.dims().to_vec();
        dims[axis] = total;
        let shape = Shape::from(dims);
        let mut data = super::filled_vec("pad", &shape, T::ZERO)?;
        for o in 0..outer {
            let source = &self.as_slice()[o * len * inner..(o + 1) * len * inner];
            let base = o * total * inner + start * inner;
            data[base..base + len * inner].copy_from_slice(source);
        }
        Ok(Tensor::from_parts(data, shape))
    }

    /// The tensors joined along `axis`; all other dimensions must agree.
    ///
    /// ```
    /// use autograd::Tensor;
    ///
    /// let a = Tensor::<f64>::zeros([2, 1]);
    /// let b = Tensor::<f64>::ones([2, 2]);
    /// let c = Tensor::try_concat(&[a.clone(), b], 1).unwrap();
    /// assert_eq!(c.to_vec(), vec![0.0, 1.0, 1.0, 0.0, 1.0, 1.0]);
    /// let err = Tensor::try_concat(&[a, Tensor::zeros([3, 1])], 1).unwrap_err();
    /// assert_eq!(err.to_string(), "shape mismatch in concat: lhs [2, 1], rhs [3, 1]");
    /// ```
    pub fn try_concat(tensors: &[Tensor<T>], axis: usize) -> Result<Tensor<T>> {
        let first = tensors.first().ok_or(Error::NoTensors { op: "concat" })?;
        first.check_axis("concat", axis)?;
        for t in tensors {
            let same = t.ndim() == first.ndim()
                && (0..first.ndim()).all(|i| i == axis || t.dims()[i] == first.dims()[i]);
            if !same {
                return Err(Error::ShapeMismatch {
                    op: "concat",
                    lhs: first.shape().clone(),
                    rhs: t.shape().clone(),
                });
            }
        }
        let (outer, _, inner) = first.shape().split_at_axis(axis);
        let total = tensors
            .iter()
            .try_fold(0usize, |n, t| n.checked_add(t.dims()[axis]))
            .unwrap_or(usize::MAX);
        let mut dims = first.dims().to_vec();
        dims[axis] = total;
        let shape = Shape::from(dims);
        let mut data = super::empty_vec("concat", &shape)?;
        for o in 0..outer {
            for t in tensors {
                let chunk = t.dims()[axis] * inner;
                data.extend_from_slice(&t.as_slice()[o * chunk..(o + 1) * chunk]);
            }
        }
        Ok(Tensor::from_parts(data, shape))
    }

    /// An error unless positions `start .. start + len` fit in `size` (checked: no overflow).
    pub(crate) fn check_range(
        &self,
        op: &'static str,
        axis: usize,
        start: usize,
        len: usize,
        size: usize,
    ) -> Result<()> {
        if start.checked_add(len).is_none_or(|end| end > size) {
            return Err(Error::RangeOutOfBounds {
                op,
                axis,
                start,
                len,
                size,
                shape: self.shape().clone(),
            });
        }
        Ok(())
    }

    /// An error unless `axis` is one of this tensor's axes.
    pub(crate) fn check_axis(&self, op: &'static str, axis: usize) -> Result<()> {
        if axis >= self.ndim() {
            return Err(Error::InvalidAxis {
                op,
                axis,
                shape: self.shape().clone(),
            });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::Tensor;

    #[test]
    fn narrow_then_pad_restores_the_slice_in_place() {
        let t = Tensor::<f64>::from_fn([2, 3, 4], |i| (i[0] * 100 + i[1] * 10 + i[2]) as f64);
        let slice = t.try_narrow(1, 1, 2).unwrap();
        let back = slice.try_pad(1, 1, 3).unwrap();
        for i in 0..2 {
            for j in 0..3 {
                for k in 0..4 {
                    let expected = if j >= 1 { t.at(&[i, j, k]) } else { 0.0 };
                    assert_eq!(back.at(&[i, j, k]), expected);
                }
            }
        }
    }

    #[test]
    fn concat_along_the_first_axis_and_empty_parts() {
        let a = Tensor::<f64>::ones([1, 2]);
        let empty = Tensor::<f64>::zeros([0, 2]);
        let c = Tensor::try_concat(&[a.clone(), empty, a], 0).unwrap();
        assert_eq!(c.dims(), &[2, 2]);
        assert!(Tensor::<f64>::try_concat(&[], 0).is_err());
    }
}
