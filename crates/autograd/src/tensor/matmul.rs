//! Matrix products over the last two axes, with the leading (batch) axes broadcast.

use super::Tensor;
use crate::dtype::Float;
use crate::error::{Error, Result};
use crate::shape::Shape;

impl<T: Float> Tensor<T> {
    /// `self · rhs` over the last two axes: `[..., m, k] · [..., k, n] → [..., m, n]`, the
    /// leading axes broadcast as numpy's `matmul` does. Both operands need two axes or more
    /// (see `TensorVar::matvec` and `outer` for vectors).
    ///
    /// ```
    /// use autograd::Tensor;
    ///
    /// let a = Tensor::<f64>::from_vec(vec![1.0, 2.0, 3.0, 4.0], [2, 2]).unwrap();
    /// let b = Tensor::<f64>::eye(2);
    /// assert_eq!(a.try_matmul(&b).unwrap().to_vec(), a.to_vec());
    /// let err = a.try_matmul(&Tensor::zeros([3, 1])).unwrap_err();
    /// assert_eq!(err.to_string(), "shape mismatch in matmul: lhs [2, 2], rhs [3, 1]");
    /// ```
    pub fn try_matmul(&self, rhs: &Tensor<T>) -> Result<Tensor<T>> {
        self.try_matmul_transposed(rhs, false, false)
    }

    /// `op(self) · op(rhs)` where `op` transposes the last two axes of an operand whose flag
    /// is set: the transposes are read through strides, never copied. The backward pass of
    /// matmul uses it (`∂/∂A = G Bᵀ`).
    pub(crate) fn try_matmul_transposed(
        &self,
        rhs: &Tensor<T>,
        lhs_transposed: bool,
        rhs_transposed: bool,
    ) -> Result<Tensor<T>> {
        let mismatch = || Error::ShapeMismatch {
            op: "matmul",
            lhs: self.shape().clone(),
            rhs: rhs.shape().clone(),
        };
        let (a, b) = (self.dims(), rhs.dims());
        if a.len() < 2 || b.len() < 2 {
            return Err(mismatch());
        }
        // Stored matrices are ra × ca and rb × cb; the logical product is (m × k)·(k × n).
        let (ra, ca) = (a[a.len() - 2], a[a.len() - 1]);
        let (rb, cb) = (b[b.len() - 2], b[b.len() - 1]);
        let (m, k) = if lhs_transposed { (ca, ra) } else { (ra, ca) };
        let (k_rhs, n) = if rhs_transposed { (cb, rb) } else { (rb, cb) };
        if k != k_rhs {
            return Err(mismatch());
        }
        let a_strides = if lhs_transposed { [1, ca] } else { [ca, 1] };
        let b_strides = if rhs_transposed { [1, cb] } else { [cb, 1] };
        let a_batch = Shape::new(&a[..a.len() - 2]);
        let b_batch = Shape::new(&b[..b.len() - 2]);
        let batch = a_batch.broadcast(&b_batch).ok_or_else(mismatch)?;
        let (sa, sb) = (
            a_batch.broadcast_strides(&batch),
            b_batch.broadcast_strides(&batch),
        );
        let mut dims = batch.dims().to_vec();
        dims.extend([m, n]);
        let shape = Shape::from(dims);
        // [0, M] · [M, N]-style products of empty operands can still ask for a huge output.
        let out = super::empty_vec("matmul", &shape)?;
        // the elements of a and b that each product of the batch reads, batch index by
        // batch index (an iterator: no list is allocated)
        let mut index = vec![0; batch.ndim()];
        let blocks = (0..batch.numel()).map(|_| {
            let oa: usize = index.iter().zip(&sa).map(|(i, s)| i * s).sum();
            let ob: usize = index.iter().zip(&sb).map(|(i, s)| i * s).sum();
            for d in (0..index.len()).rev() {
                index[d] += 1;
                if index[d] < batch.dims()[d] {
                    break;
                }
                index[d] = 0;
            }
            (
                oa * ra * ca..(oa + 1) * ra * ca,
                ob * rb * cb..(ob + 1) * rb * cb,
            )
        });
        let out = super::gemm::batched(
            [m, k, n],
            (self.as_slice(), a_strides),
            (rhs.as_slice(), b_strides),
            batch.numel(),
            blocks,
            out,
        );
        Ok(Tensor::from_parts(out, shape))
    }
}

#[cfg(test)]
mod tests {
    use crate::Tensor;

    #[test]
    fn batched_with_broadcast_matches_per_batch_products() {
        let a = Tensor::<f64>::from_fn([2, 3, 4], |i| (i[0] + 2 * i[1] + 3 * i[2]) as f64);
        let b = Tensor::<f64>::from_fn([4, 5], |i| (i[0] * 5 + i[1]) as f64 * 0.1);
        let c = a.try_matmul(&b).unwrap();
        assert_eq!(c.dims(), &[2, 3, 5]);
        for batch in 0..2 {
            for i in 0..3 {
                for j in 0..5 {
                    let expected: f64 = (0..4).map(|p| a.at(&[batch, i, p]) * b.at(&[p, j])).sum();
                    assert!((c.at(&[batch, i, j]) - expected).abs() < 1e-12);
                }
            }
        }
    }

    #[test]
    fn transposed_operands_match_explicit_transposes() {
        let a = Tensor::<f64>::from_fn([2, 3, 4], |i| (i[0] * 12 + i[1] * 4 + i[2]) as f64 * 0.1);
        let b = Tensor::<f64>::from_fn([5, 4], |i| (i[0] + 2 * i[1]) as f64 - 3.0);
        let direct = a.try_matmul(&b.try_transpose().unwrap()).unwrap();
        let strided = a.try_matmul_transposed(&b, false, true).unwrap();
        assert_eq!(direct.to_vec(), strided.to_vec());
        let at = a.try_transpose().unwrap(); // [2, 4, 3]
        let c = at
            .try_matmul_transposed(&Tensor::eye(4), true, false)
            .unwrap();
        assert_eq!(c.to_vec(), a.to_vec());
    }

    #[test]
    fn empty_dimensions() {
        let a = Tensor::<f32>::zeros([0, 3]);
        let b = Tensor::<f32>::ones([3, 2]);
        assert_eq!(a.try_matmul(&b).unwrap().dims(), &[0, 2]);
        let c = Tensor::<f32>::ones([2, 0])
            .try_matmul(&Tensor::ones([0, 2]))
            .unwrap();
        assert_eq!(c.to_vec(), vec![0.0; 4]);
    }
}
