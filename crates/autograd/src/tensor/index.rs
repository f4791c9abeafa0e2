//! Indexing along an axis: `index_select` (whole slices by index) and `gather` (one element
//! per position, as class-index picking for cross-entropy), with their scatter-add inverses,
//! which are their gradients.

use super::Tensor;
use crate::dtype::Float;
use crate::error::{Error, Result};
use crate::shape::Shape;

impl<T: Float> Tensor<T> {
    /// The slices at `indices` along `axis`, in that order (repeats allowed):
    /// `out[.., i, ..] = self[.., indices[i], ..]`.
    ///
    /// ```
    /// use autograd::Tensor;
    ///
    /// let t = Tensor::<f64>::from_fn([3, 2], |i| (i[0] * 10 + i[1]) as f64);
    /// let rows = t.try_index_select(0, &[2, 0, 2]).unwrap();
    /// assert_eq!(rows.to_vec(), vec![20.0, 21.0, 0.0, 1.0, 20.0, 21.0]);
    /// assert!(t.try_index_select(0, &[3]).is_err());
    /// ```
    pub fn try_index_select(&self, axis: usize, indices: &[usize]) -> Result<Tensor<T>> {
        self.check_axis("index_select", axis)?;
        let (outer, size, inner) = self.shape().split_at_axis(axis);
        if let Some(&bad) = indices.iter().find(|&&i| i >= size) {
            return Err(Error::IndexOutOfBounds {
                op: "index_select",
                index: vec![bad],
                shape: self.shape().clone(),
            });
        }
        let mut dims = self.dims().to_vec();
        dims[axis] = indices.len();
        let shape = Shape::from(dims);
        let mut data = super::empty_vec("index_select", &shape)?;
        for o in 0..outer {
            for &i in indices {
                let base = (o * size + i) * inner;
                data.extend_from_slice(&self.as_slice()[base..base + inner]);
            }
        }
        Ok(Tensor::from_parts(data, shape))
    }

    /// The inverse of `index_select` for gradients: zeros of length `size` along `axis`, with
    /// slice `i` of this tensor added at `indices[i]` (repeats add up).
    pub(crate) fn try_index_add(
        &self,
        axis: usize,
        indices: &[usize],
        size: usize,
    ) -> Result<Tensor<T>> {
        self.check_axis("index_add", axis)?;
        let (outer, len, inner) = self.shape().split_at_axis(axis);
        if len != indices.len() || indices.iter().any(|&i| i >= size) {
            return Err(Error::IndexOutOfBounds {
                op: "index_add",
                index: indices.to_vec(),
                shape: self.shape().clone(),
            });
        }
        let mut dims = self.dims().to_vec();
        dims[axis] = size;
        let shape = Shape::from(dims);
        let mut data = super::filled_vec("index_add", &shape, T::ZERO)?;
        for o in 0..outer {
            for (k, &i) in indices.iter().enumerate() {
                let (from, to) = ((o * len + k) * inner, (o * size + i) * inner);
                for j in 0..inner {
                    data[to + j] += self.as_slice()[from + j];
                }
            }
        }
        Ok(Tensor::from_parts(data, shape))
    }

    /// One element per position along `axis`, chosen by `index` (of shape `index_shape`,
    /// which equals this shape except along `axis`): `out[i][j] = self[i][index[i][j]]` for
    /// `axis = 1` (PyTorch's `gather`). With one index per row it picks each sample's class
    /// score, as cross-entropy needs.
    ///
    /// ```
    /// use autograd::{Shape, Tensor};
    ///
    /// let logits = Tensor::<f64>::from_vec(vec![0.1, 0.7, 0.2, 0.5, 0.3, 0.2], [2, 3]).unwrap();
    /// let picked = logits.try_gather(1, &[1, 0], &Shape::from([2, 1])).unwrap();
    /// assert_eq!(picked.to_vec(), vec![0.7, 0.5]);
    /// assert!(logits.try_gather(1, &[3, 0], &Shape::from([2, 1])).is_err());
    /// ```
    pub fn try_gather(
        &self,
        axis: usize,
        index: &[usize],
        index_shape: &Shape,
    ) -> Result<Tensor<T>> {
        self.check_gather("gather", axis, index, index_shape, self.shape())?;
        let (outer, size, inner) = self.shape().split_at_axis(axis);
        let len = index_shape.dims()[axis];
        let mut data = Vec::with_capacity(index.len());
        for o in 0..outer {
            for k in 0..len {
                for j in 0..inner {
                    let i = index[(o * len + k) * inner + j];
                    data.push(self.as_slice()[(o * size + i) * inner + j]);
                }
            }
        }
        Ok(Tensor::from_parts(data, index_shape.clone()))
    }

    /// The inverse of `gather` for gradients: zeros of shape `target`, with each element of
    /// this tensor added where `index` took it from.
    pub(crate) fn try_scatter_add(
        &self,
        axis: usize,
        index: &[usize],
        target: &Shape,
    ) -> Result<Tensor<T>> {
        self.check_gather("scatter_add", axis, index, self.shape(), target)?;
        let (outer, size, inner) = target.split_at_axis(axis);
        let len = self.dims()[axis];
        let mut data = vec![T::ZERO; target.numel()];
        for o in 0..outer {
            for k in 0..len {
                for j in 0..inner {
                    let at = (o * len + k) * inner + j;
                    data[(o * size + index[at]) * inner + j] += self.as_slice()[at];
                }
            }
        }
        Ok(Tensor::from_parts(data, target.clone()))
    }

    /// The checks shared by gather and scatter: `index` fills `index_shape`, which matches
    /// `source` on every axis but `axis`, and every index is inside `source` along `axis`.
    fn check_gather(
        &self,
        op: &'static str,
        axis: usize,
        index: &[usize],
        index_shape: &Shape,
        source: &Shape,
    ) -> Result<()> {
        if axis >= source.ndim() {
            return Err(Error::InvalidAxis {
                op,
                axis,
                shape: source.clone(),
            });
        }
        let fits = index_shape.ndim() == source.ndim()
            && index.len() == index_shape.checked_size(op, size_of::<usize>())?
            && (0..source.ndim()).all(|d| d == axis || index_shape.dims()[d] == source.dims()[d]);
        if !fits {
            return Err(Error::ShapeMismatch {
                op,
                lhs: source.clone(),
                rhs: index_shape.clone(),
            });
        }
        if let Some(&bad) = index.iter().find(|&&i| i >= source.dims()[axis]) {
            return Err(Error::IndexOutOfBounds {
                op,
                index: vec![bad],
                shape: source.clone(),
            });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::{Shape, Tensor};

    #[test]
    fn index_add_sums_repeated_indices() {
        let g = Tensor::<f64>::from_vec(vec![1.0, 2.0, 3.0], [3]).unwrap();
        let back = g.try_index_add(0, &[1, 1, 0], 3).unwrap();
        assert_eq!(back.to_vec(), vec![3.0, 3.0, 0.0]);
    }

    #[test]
    fn scatter_add_inverts_gather_positions() {
        let x = Tensor::<f64>::from_fn([2, 3], |i| (i[0] * 3 + i[1]) as f64);
        let shape = Shape::from([2, 2]);
        let index = [2, 2, 0, 1];
        let picked = x.try_gather(1, &index, &shape).unwrap();
        assert_eq!(picked.to_vec(), vec![2.0, 2.0, 3.0, 4.0]);
        let back = Tensor::<f64>::ones([2, 2])
            .try_scatter_add(1, &index, x.shape())
            .unwrap();
        assert_eq!(back.to_vec(), vec![0.0, 0.0, 2.0, 1.0, 1.0, 0.0]);
    }
}
