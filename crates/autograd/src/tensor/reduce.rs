//! Reductions: sums, means and extremes over all elements or chosen axes, and `sum_to_shape`,
//! the un-broadcast that gradients of broadcast operations need.

use super::Tensor;
use crate::dtype::Float;
use crate::error::{Error, Result};
use crate::shape::Shape;

use super::summation;

impl<T: Float> Tensor<T> {
    /// Sum over `axes` (each at most once), keeping them as size-1 dimensions if `keepdim`.
    ///
    /// ```
    /// use autograd::Tensor;
    ///
    /// let t = Tensor::<f64>::from_fn([2, 3], |i| (i[0] * 3 + i[1]) as f64);
    /// assert_eq!(t.try_sum_axes(&[1], false).unwrap().to_vec(), vec![3.0, 12.0]);
    /// assert_eq!(t.try_sum_axes(&[0], true).unwrap().dims(), &[1, 3]);
    /// assert!(t.try_sum_axes(&[2], false).is_err());
    /// ```
    pub fn try_sum_axes(&self, axes: &[usize], keepdim: bool) -> Result<Tensor<T>> {
        let reduced = self.reduced_axes("sum", axes)?;
        // Runs of adjacent summed axes merge into one; the runs are summed last to first,
        // each pairwise (summation.rs), so the error bound stays that of one pairwise sum.
        let mut dims = self.dims().to_vec();
        let mut data = None::<Vec<T>>;
        let mut end = dims.len();
        while end > 0 {
            if !reduced[end - 1] {
                end -= 1;
                continue;
            }
            let mut start = end - 1;
            while start > 0 && reduced[start - 1] {
                start -= 1;
            }
            let outer: usize = dims[..start].iter().product();
            let len: usize = dims[start..end].iter().product();
            let inner: usize = dims[end..].iter().product();
            let source = data.as_deref().unwrap_or(self.as_slice());
            dims[start..end].fill(1);
            // Summing an empty axis can give more elements than the input has ([2⁴⁰, 0]
            // summed over its last axis is 2⁴⁰ zeros): allocate through the checked path.
            let mut out = super::filled_vec("sum", &Shape::from(dims.clone()), T::ZERO)?;
            summation::sum_middle_axis(source, outer, len, inner, &mut out);
            data = Some(out);
            end = start;
        }
        let data = data.unwrap_or_else(|| self.as_slice().to_vec());
        Ok(Tensor::from_parts(
            data,
            self.reduced_shape(&reduced, keepdim),
        ))
    }

    /// The largest element over `axes`, NaN if any is NaN.
    ///
    /// ```
    /// use autograd::Tensor;
    /// let t = Tensor::<f64>::from_vec(vec![1.0, 5.0, -2.0, 3.0], [2, 2]).unwrap();
    /// assert_eq!(t.try_max_axes(&[1], false).unwrap().to_vec(), vec![5.0, 3.0]);
    /// ```
    pub fn try_max_axes(&self, axes: &[usize], keepdim: bool) -> Result<Tensor<T>> {
        let init = T::from_f64(f64::NEG_INFINITY);
        self.try_reduce("max", axes, keepdim, init, Float::max)
    }

    /// The smallest element over `axes`, NaN if any is NaN.
    ///
    /// ```
    /// use autograd::Tensor;
    /// let t = Tensor::<f64>::from_vec(vec![1.0, 5.0, -2.0, 3.0], [2, 2]).unwrap();
    /// assert_eq!(t.try_min_axes(&[0], false).unwrap().to_vec(), vec![-2.0, 3.0]);
    /// ```
    pub fn try_min_axes(&self, axes: &[usize], keepdim: bool) -> Result<Tensor<T>> {
        let init = T::from_f64(f64::INFINITY);
        self.try_reduce("min", axes, keepdim, init, Float::min)
    }

    /// The sum of all elements, as a 0-d tensor.
    ///
    /// ```
    /// assert_eq!(autograd::Tensor::<f64>::ones([2, 3]).sum_all().item().unwrap(), 6.0);
    /// ```
    pub fn sum_all(&self) -> Tensor<T> {
        Tensor::scalar(summation::pairwise_sum(self.as_slice()))
    }

    /// Sums this tensor down to `target`, the inverse of broadcasting `target` up to this
    /// shape: leading dimensions are summed away and dimensions where `target` has 1 are
    /// summed with keepdim. An error if `target` does not broadcast to this shape.
    ///
    /// ```
    /// use autograd::{Shape, Tensor};
    ///
    /// let g = Tensor::<f64>::ones([4, 2, 3]);
    /// assert_eq!(g.try_sum_to_shape(&Shape::from([2, 1])).unwrap().to_vec(), vec![12.0, 12.0]);
    /// assert!(g.try_sum_to_shape(&Shape::from([3, 3])).is_err());
    /// ```
    pub fn try_sum_to_shape(&self, target: &Shape) -> Result<Tensor<T>> {
        if self.shape() == target {
            return Ok(self.clone());
        }
        if !target.broadcasts_to(self.shape()) {
            return Err(Error::ShapeMismatch {
                op: "sum_to_shape",
                lhs: self.shape().clone(),
                rhs: target.clone(),
            });
        }
        let offset = self.ndim() - target.ndim();
        let axes: Vec<usize> = (0..self.ndim())
            .filter(|&i| i < offset || (target.dims()[i - offset] == 1 && self.dims()[i] != 1))
            .collect();
        let summed = self.try_sum_axes(&axes, true)?;
        Ok(Tensor::from_parts(summed.into_vec(), target.clone()))
    }

    /// The index of the largest element along `axis` for every position of the other axes,
    /// in row-major order (the first index on a tie; a NaN counts as the largest). No
    /// gradient: it is a choice, not a value.
    ///
    /// ```
    /// use autograd::Tensor;
    ///
    /// let scores = Tensor::<f64>::from_vec(vec![0.1, 0.7, 0.2, 0.5, 0.3, 0.2], [2, 3]).unwrap();
    /// assert_eq!(scores.try_argmax(1).unwrap(), vec![1, 0]);
    /// assert_eq!(scores.try_argmax(0).unwrap(), vec![1, 0, 0]);
    /// ```
    pub fn try_argmax(&self, axis: usize) -> Result<Vec<usize>> {
        self.check_axis("argmax", axis)?;
        let (outer, size, inner) = self.shape().split_at_axis(axis);
        if size == 0 {
            return Err(Error::EmptyReduction {
                op: "argmax",
                axis,
                shape: self.shape().clone(),
            });
        }
        let data = self.as_slice();
        let mut out = Vec::with_capacity(outer * inner);
        for o in 0..outer {
            for i in 0..inner {
                let at = |k: usize| data[(o * size + k) * inner + i];
                let mut best = 0;
                for k in 1..size {
                    let (x, b) = (at(k), at(best));
                    if x > b || (x.is_nan() && !b.is_nan()) {
                        best = k;
                    }
                }
                out.push(best);
            }
        }
        Ok(out)
    }

    /// Folds `f` over the elements along `axes` (which must not be empty: `f` has no
    /// identity), starting each output element at `init`.
    fn try_reduce(
        &self,
        op: &'static str,
        axes: &[usize],
        keepdim: bool,
        init: T,
        f: impl Fn(T, T) -> T,
    ) -> Result<Tensor<T>> {
        let reduced = self.reduced_axes(op, axes)?;
        if let Some(axis) = (0..self.ndim()).find(|&i| reduced[i] && self.dims()[i] == 0) {
            return Err(Error::EmptyReduction {
                op,
                axis,
                shape: self.shape().clone(),
            });
        }
        let kept = self.reduced_shape(&reduced, true);
        let mut out = super::filled_vec(op, &kept, init)?;
        if self.ndim() == 0 {
            out[0] = f(out[0], self.as_slice()[0]);
        } else if self.numel() > 0 {
            // Walk the input in order, a run of the last axis at a time (into one output
            // element if that axis is reduced, else along a run of the output); the output
            // offset moves with stride 0 on reduced axes. Each output element meets its
            // inputs in the input's order, as one element at a time would.
            let strides = kept.broadcast_strides(self.shape());
            let dims = self.dims();
            let last = dims.len() - 1;
            let mut index = vec![0; last];
            let mut offset = 0;
            for run in self.as_slice().chunks_exact(dims[last]) {
                if reduced[last] {
                    let acc = &mut out[offset];
                    *acc = run.iter().fold(*acc, |a, &x| f(a, x));
                } else {
                    for (o, &x) in out[offset..offset + run.len()].iter_mut().zip(run) {
                        *o = f(*o, x);
                    }
                }
                for d in (0..last).rev() {
                    index[d] += 1;
                    offset += strides[d];
                    if index[d] < dims[d] {
                        break;
                    }
                    offset -= strides[d] * dims[d];
                    index[d] = 0;
                }
            }
        }
        Ok(Tensor::from_parts(
            out,
            self.reduced_shape(&reduced, keepdim),
        ))
    }

    /// Which axes `axes` names, or an error for an axis out of range or named twice.
    pub(crate) fn reduced_axes(&self, op: &'static str, axes: &[usize]) -> Result<Vec<bool>> {
        let mut reduced = vec![false; self.ndim()];
        for &axis in axes {
            self.check_axis(op, axis)?;
            if std::mem::replace(&mut reduced[axis], true) {
                return Err(Error::DuplicateAxis {
                    op,
                    axis,
                    axes: axes.to_vec(),
                    shape: self.shape().clone(),
                });
            }
        }
        Ok(reduced)
    }

    /// The shape after reducing the `reduced` axes: kept as 1 if `keepdim`, else removed.
    fn reduced_shape(&self, reduced: &[bool], keepdim: bool) -> Shape {
        let dims = self.dims().iter().zip(reduced);
        if keepdim {
            dims.map(|(&d, &r)| if r { 1 } else { d })
                .collect::<Vec<_>>()
                .into()
        } else {
            dims.filter(|(_, r)| !**r)
                .map(|(&d, _)| d)
                .collect::<Vec<_>>()
                .into()
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::{Shape, Tensor};

    #[test]
    fn sum_over_several_axes_matches_a_direct_loop() {
        let t = Tensor::<f64>::from_fn([2, 3, 4], |i| (i[0] * 100 + i[1] * 10 + i[2]) as f64);
        let s = t.try_sum_axes(&[0, 2], false).unwrap();
        assert_eq!(s.dims(), &[3]);
        for j in 0..3 {
            let expected: f64 = (0..2)
                .flat_map(|i| (0..4).map(move |k| (i * 100 + j * 10 + k) as f64))
                .sum();
            assert_eq!(s.at(&[j]), expected);
        }
    }

    #[test]
    fn reductions_of_empty_and_zero_d_tensors() {
        let empty = Tensor::<f64>::zeros([0, 3]);
        assert_eq!(
            empty.try_sum_axes(&[0], false).unwrap().to_vec(),
            vec![0.0; 3]
        );
        assert_eq!(empty.try_sum_axes(&[1], false).unwrap().dims(), &[0]);
        let s = Tensor::scalar(4.0f64);
        assert_eq!(s.try_sum_axes(&[], false).unwrap().item().unwrap(), 4.0);
        assert_eq!(
            s.try_sum_to_shape(&Shape::scalar())
                .unwrap()
                .item()
                .unwrap(),
            4.0
        );
    }

    #[test]
    fn a_repeated_axis_is_refused() {
        let t = Tensor::<f64>::zeros([2, 2]);
        assert!(t.try_sum_axes(&[0, 0], false).is_err());
    }
}
