//! [`Samples`]: anything with a first axis of samples that a data set can hold, shuffle and
//! cut into mini-batches: a float tensor, [`Indices`](super::Indices) (class labels, token
//! ids), or a pair of them (a model with two inputs, inputs with a mask).

use autograd::{Float, Tensor};

use crate::error::{Error, Result};

/// A collection of samples along a first axis: what a [`Dataset`](super::Dataset) holds as
/// inputs or targets.
///
/// ```
/// use autograd::Tensor;
/// use nn::data::{Indices, Samples};
/// let x = Tensor::<f64>::from_vec(vec![1.0, 2.0, 3.0, 4.0, 5.0, 6.0], [3, 2]).unwrap();
/// assert_eq!(x.samples().unwrap(), 3);
/// assert_eq!(x.select_samples(&[2, 0]).unwrap().to_vec(), vec![5.0, 6.0, 1.0, 2.0]);
/// // a pair of inputs: a row is a row of each
/// let pair = (x, Indices::labels(vec![0, 2, 1], 3).unwrap());
/// let picked = pair.select_samples(&[1]).unwrap();
/// assert_eq!(picked.1.as_slice(), &[2]);
/// assert_eq!(pair.describe(), "([3, 2], [3] indices < 3)");
/// ```
pub trait Samples: Clone {
    /// The number of samples; an error for data with no first axis (a 0-d tensor) or a pair
    /// whose parts disagree.
    fn samples(&self) -> Result<usize>;
    /// The samples at `indices`, in that order; an error for an index out of range.
    fn select_samples(&self, indices: &[usize]) -> Result<Self>;
    /// A short description for summaries and errors (the shape).
    fn describe(&self) -> String;
}

impl<F: Float> Samples for Tensor<F> {
    fn samples(&self) -> Result<usize> {
        self.dims()
            .first()
            .copied()
            .ok_or(Error::NoSampleAxis { what: "a tensor" })
    }
    fn select_samples(&self, indices: &[usize]) -> Result<Self> {
        Ok(self.try_index_select(0, indices)?)
    }
    fn describe(&self) -> String {
        self.shape().to_string()
    }
}

impl<A: Samples, B: Samples> Samples for (A, B) {
    fn samples(&self) -> Result<usize> {
        let (a, b) = (self.0.samples()?, self.1.samples()?);
        if a != b {
            return Err(Error::CountMismatch {
                context: "a pair of inputs",
                left: a,
                left_what: "samples in the first",
                right: b,
                right_what: "in the second",
            });
        }
        Ok(a)
    }
    fn select_samples(&self, indices: &[usize]) -> Result<Self> {
        Ok((
            self.0.select_samples(indices)?,
            self.1.select_samples(indices)?,
        ))
    }
    fn describe(&self) -> String {
        format!("({}, {})", self.0.describe(), self.1.describe())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::Indices;

    #[test]
    fn a_pair_whose_parts_disagree_is_an_error_naming_both_counts() {
        let pair = (
            Tensor::<f32>::zeros([3, 2]),
            Indices::labels(vec![0, 1], 2).unwrap(),
        );
        assert_eq!(
            pair.samples().unwrap_err().to_string(),
            "a pair of inputs: 3 samples in the first but 2 in the second"
        );
    }

    #[test]
    fn a_scalar_tensor_has_no_samples() {
        assert!(matches!(
            Tensor::<f64>::scalar(1.0).samples(),
            Err(Error::NoSampleAxis { .. })
        ));
        assert!(Tensor::<f64>::zeros([2, 1]).select_samples(&[2]).is_err());
    }
}
