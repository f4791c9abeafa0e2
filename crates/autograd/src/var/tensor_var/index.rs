//! Indexing along an axis on tensor variables: `index_select` and `gather`, with their
//! scatter-add inverses (their gradients, recorded so that second order works).

use super::TensorVar;
use crate::dtype::Float;
use crate::error::Result;
use crate::ops::{Gather, IndexAdd, IndexSelect, Op, ScatterAdd};
use crate::shape::Shape;

/// Converts a dimension to the `u32` an op stores.
#[track_caller]
/// An axis (or a size from a backward rule), already checked against the tensor.
fn small(n: usize) -> u32 {
    u32::try_from(n).expect("an axis index fits in u32")
}

impl<'t, F: Float> TensorVar<'t, F> {
    /// The slices at `indices` along `axis`, in that order (repeats allowed); their
    /// gradients add up where an index repeats.
    ///
    /// ```
    /// use autograd::{Tape, Tensor};
    ///
    /// let tape = Tape::new();
    /// let table = tape.tensor(Tensor::<f64>::from_fn([3, 2], |i| (i[0] * 10 + i[1]) as f64));
    /// let rows = table.try_index_select(0, &[2, 2, 0]).unwrap();
    /// assert_eq!(rows.value().to_vec(), vec![20.0, 21.0, 20.0, 21.0, 0.0, 1.0]);
    /// let grad = rows.sum().backward().wrt(table);
    /// assert_eq!(grad.to_vec(), vec![1.0, 1.0, 0.0, 0.0, 2.0, 2.0]);
    /// ```
    #[track_caller]
    pub fn try_index_select(self, axis: usize, indices: &[usize]) -> Result<Self> {
        let value = self.value().try_index_select(axis, indices)?;
        let (x, axis) = (self.node_id(), small(axis));
        Ok(self.with_param(
            indices,
            |indices| Op::IndexSelect(IndexSelect { x, axis, indices }),
            value,
        ))
    }

    /// Slice `i` added at `indices[i]` along `axis` into zeros of length `size`.
    #[track_caller]
    pub(crate) fn try_index_add(self, axis: usize, indices: &[usize], size: usize) -> Result<Self> {
        let value = self.value().try_index_add(axis, indices, size)?;
        let (x, axis, size) = (self.node_id(), small(axis), small(size));
        Ok(self.with_param(
            indices,
            |indices| {
                Op::IndexAdd(IndexAdd {
                    x,
                    axis,
                    indices,
                    size,
                })
            },
            value,
        ))
    }

    /// One element per position along `axis`, chosen by `index` (row-major, of shape
    /// `index_shape`, which equals this shape except along `axis`). With one index per row
    /// it picks each sample's score for its class, as cross-entropy needs.
    ///
    /// ```
    /// use autograd::{Shape, Tape, Tensor};
    ///
    /// // −mean of the log-probabilities of the right classes (cross-entropy)
    /// let tape = Tape::new();
    /// let logits = tape.tensor(Tensor::<f64>::from_vec(vec![2.0, 0.0, 0.0, 1.0], [2, 2]).unwrap());
    /// let log_probs = logits - logits.try_logsumexp(&[1], true).unwrap();
    /// let picked = log_probs.try_gather(1, &[0, 1], &Shape::from([2, 1])).unwrap();
    /// let loss = -picked.mean();
    /// let grad = loss.backward().wrt(logits); // (softmax − one-hot) / N
    /// let p = 1.0 / (1.0 + (-2f64).exp());
    /// assert!((grad.at(&[0, 0]) - (p - 1.0) / 2.0).abs() < 1e-12);
    /// ```
    #[track_caller]
    pub fn try_gather(self, axis: usize, index: &[usize], index_shape: &Shape) -> Result<Self> {
        let value = self.value().try_gather(axis, index, index_shape)?;
        let (x, axis) = (self.node_id(), small(axis));
        Ok(self.with_param(index, |index| Op::Gather(Gather { x, axis, index }), value))
    }

    /// Each element added where `index` points, into zeros of shape `target`.
    #[track_caller]
    pub(crate) fn try_scatter_add(
        self,
        axis: usize,
        index: &[usize],
        target: &Shape,
    ) -> Result<Self> {
        let value = self.value().try_scatter_add(axis, index, target)?;
        let (x, axis) = (self.node_id(), small(axis));
        let target = self.tape().push_param(target.dims());
        Ok(self.with_param(
            index,
            |index| {
                Op::ScatterAdd(ScatterAdd {
                    x,
                    axis,
                    index,
                    target,
                })
            },
            value,
        ))
    }
}
