//! [`Indices`]: whole numbers below a bound, with a shape: class labels (`[N]`, below the
//! number of classes) and token ids (`[N, T]`, below the vocabulary size). Checked once,
//! where they are made, so a loss or an embedding never meets −1, 1.7 or NaN read as a
//! class.

use std::sync::Arc;

use autograd::{Float, Shape, Tensor};

use super::encoding::labels_to_classes;
use super::samples::Samples;
use crate::error::{Error, Result};

/// An integer tensor of indices, each below [`bound`](Self::bound); the first axis counts
/// samples. Clones share the values.
///
/// ```
/// use nn::data::Indices;
/// let labels = Indices::labels(vec![0, 2, 1], 3).unwrap();
/// assert_eq!((labels.as_slice(), labels.bound()), (&[0, 2, 1][..], 3));
/// let err = Indices::labels(vec![0, 3], 3).unwrap_err();
/// assert_eq!(err.to_string(), "Indices::labels: row 1: label 3 is not a class (a whole number in 0..3)");
/// // token ids: two sequences of three tokens from a vocabulary of 10
/// let tokens = Indices::new(vec![1, 2, 3, 9, 0, 4], [2, 3], 10).unwrap();
/// assert_eq!(tokens.dims(), &[2, 3]);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Indices {
    values: Arc<[usize]>,
    shape: Shape,
    bound: usize,
}

impl Indices {
    /// Indices of shape `dims` (row-major, first axis: samples), each below `bound`; an
    /// error naming the position and the value of the first that is not, or the counts if
    /// `values` does not fill `dims`.
    ///
    /// ```
    /// use nn::data::Indices;
    /// let err = Indices::new(vec![1, 2, 30, 4], [2, 2], 10).unwrap_err();
    /// assert_eq!(err.to_string(), "Indices::new: index 30 at [1, 0] is not below 10");
    /// assert!(Indices::new(vec![1, 2, 3], [2, 2], 10).is_err()); // 3 values for 4 places
    /// ```
    pub fn new(values: Vec<usize>, dims: impl Into<Shape>, bound: usize) -> Result<Self> {
        let shape: Shape = dims.into();
        if shape.ndim() == 0 {
            return Err(Error::NoSampleAxis { what: "indices" });
        }
        if values.len() != shape.numel() {
            return Err(Error::CountMismatch {
                context: "Indices::new",
                left: values.len(),
                left_what: "values",
                right: shape.numel(),
                right_what: "places in the shape",
            });
        }
        if let Some(at) = values.iter().position(|&v| v >= bound) {
            return Err(Error::Index {
                context: "Indices::new",
                position: unravel(at, shape.dims()),
                value: values[at],
                bound,
            });
        }
        Ok(Indices {
            values: values.into(),
            shape,
            bound,
        })
    }

    /// Class labels, one per sample (`[N]`), each below `classes`; an error naming the row
    /// and the value of the first that is not.
    ///
    /// ```
    /// let labels = nn::data::Indices::labels(vec![1, 0, 1], 2).unwrap();
    /// assert_eq!((labels.len(), labels.dims()), (3, &[3][..]));
    /// ```
    pub fn labels(values: Vec<usize>, classes: usize) -> Result<Self> {
        if let Some(row) = values.iter().position(|&v| v >= classes) {
            return Err(Error::Label {
                context: "Indices::labels",
                row,
                value: values[row] as f64,
                classes,
            });
        }
        let n = values.len();
        Ok(Indices {
            values: values.into(),
            shape: Shape::from([n]),
            bound: classes,
        })
    }

    /// Class labels stored as numbers (`[N]` or `[N, 1]`), as files and older code keep
    /// them: an error naming the row and the value unless each is a whole number in
    /// `0..classes` (−1, NaN and 1.7 are not classes).
    ///
    /// ```
    /// use autograd::Tensor;
    /// use nn::data::Indices;
    /// let labels = Indices::from_float_labels(&Tensor::<f32>::from_vec(vec![2.0, 0.0], [2]).unwrap(), 3).unwrap();
    /// assert_eq!(labels.as_slice(), &[2, 0]);
    /// let err = Indices::from_float_labels(&Tensor::<f32>::from_vec(vec![1.7], [1]).unwrap(), 3).unwrap_err();
    /// assert_eq!(err.to_string(), "Indices::from_float_labels: row 0: label 1.7 is not a class (a whole number in 0..3)");
    /// ```
    pub fn from_float_labels<F: Float>(labels: &Tensor<F>, classes: usize) -> Result<Self> {
        Self::from_floats_in("Indices::from_float_labels", labels, classes)
    }

    /// [`from_float_labels`](Self::from_float_labels) with the caller's name in errors.
    pub(crate) fn from_floats_in<F: Float>(
        context: &'static str,
        labels: &Tensor<F>,
        classes: usize,
    ) -> Result<Self> {
        let dims = labels.dims();
        if dims.is_empty() || dims.len() > 2 || dims.get(1).is_some_and(|&d| d != 1) {
            return Err(Error::Shape {
                context,
                what: "labels",
                expected: "[N] or [N, 1] (one label per sample)".into(),
                found: labels.shape().clone(),
            });
        }
        let values = labels_to_classes(context, labels.as_slice(), classes)?;
        let n = values.len();
        Ok(Indices {
            values: values.into(),
            shape: Shape::from([n]),
            bound: classes,
        })
    }

    /// The indices, row-major.
    ///
    /// ```
    /// assert_eq!(nn::data::Indices::labels(vec![1, 0], 2).unwrap().as_slice(), &[1, 0]);
    /// ```
    pub fn as_slice(&self) -> &[usize] {
        &self.values
    }

    /// The shape (first axis: samples).
    ///
    /// ```
    /// assert_eq!(nn::data::Indices::new(vec![0; 6], [3, 2], 1).unwrap().dims(), &[3, 2]);
    /// ```
    pub fn dims(&self) -> &[usize] {
        self.shape.dims()
    }

    /// The shape, as a [`Shape`].
    ///
    /// ```
    /// assert_eq!(nn::data::Indices::labels(vec![0, 0], 1).unwrap().shape().dims(), &[2]);
    /// ```
    pub fn shape(&self) -> &Shape {
        &self.shape
    }

    /// Every index is below this: the number of classes, or the vocabulary's size.
    ///
    /// ```
    /// assert_eq!(nn::data::Indices::labels(vec![0], 10).unwrap().bound(), 10);
    /// ```
    pub fn bound(&self) -> usize {
        self.bound
    }

    /// The number of indices (all of them, not the samples).
    ///
    /// ```
    /// assert_eq!(nn::data::Indices::new(vec![0; 6], [3, 2], 1).unwrap().len(), 6);
    /// ```
    pub fn len(&self) -> usize {
        self.values.len()
    }

    /// `true` with no indices.
    ///
    /// ```
    /// assert!(nn::data::Indices::labels(vec![], 2).unwrap().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// The indices as numbers (for a tensor of targets, or a plot).
    ///
    /// ```
    /// let labels = nn::data::Indices::labels(vec![1, 0], 2).unwrap();
    /// assert_eq!(labels.to_tensor::<f32>().to_vec(), vec![1.0, 0.0]);
    /// ```
    pub fn to_tensor<F: Float>(&self) -> Tensor<F> {
        let values = self.values.iter().map(|&v| F::from_f64(v as f64)).collect();
        Tensor::from_vec(values, self.shape.clone()).expect("one value per place")
    }
}

impl Samples for Indices {
    fn samples(&self) -> Result<usize> {
        Ok(self.dims()[0])
    }
    fn select_samples(&self, indices: &[usize]) -> Result<Self> {
        let rows = self.dims()[0];
        let per_row = self.len().checked_div(rows).unwrap_or(0);
        let mut values = Vec::with_capacity(indices.len().saturating_mul(per_row));
        for &i in indices {
            if i >= rows {
                return Err(Error::Index {
                    context: "Indices::select_samples",
                    position: vec![i],
                    value: i,
                    bound: rows,
                });
            }
            values.extend_from_slice(&self.values[i * per_row..(i + 1) * per_row]);
        }
        let mut dims = self.dims().to_vec();
        dims[0] = indices.len();
        Ok(Indices {
            values: values.into(),
            shape: Shape::from(dims),
            bound: self.bound,
        })
    }
    fn describe(&self) -> String {
        format!("{} indices < {}", self.shape, self.bound)
    }
}

/// The position of flat index `at` in a row-major array of `dims`.
fn unravel(mut at: usize, dims: &[usize]) -> Vec<usize> {
    let mut position = vec![0; dims.len()];
    for (p, &d) in position.iter_mut().zip(dims).rev() {
        *p = at % d;
        at /= d;
    }
    position
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selecting_rows_keeps_each_rows_indices_and_the_bound() {
        let tokens = Indices::new((0..6).collect(), [3, 2], 6).unwrap();
        let picked = tokens.select_samples(&[2, 0, 2]).unwrap();
        assert_eq!(picked.as_slice(), &[4, 5, 0, 1, 4, 5]);
        assert_eq!((picked.dims(), picked.bound()), (&[3, 2][..], 6));
        let err = tokens.select_samples(&[3]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "Indices::select_samples: index 3 at [3] is not below 3"
        );
    }

    #[test]
    fn float_labels_of_the_wrong_shape_or_value_are_refused() {
        let wide = Tensor::<f64>::zeros([2, 2]);
        assert!(matches!(
            Indices::from_float_labels(&wide, 2),
            Err(Error::Shape { .. })
        ));
        for bad in [-1.0, f64::NAN, 0.5, 2.0, f64::INFINITY] {
            let t = Tensor::from_vec(vec![0.0, bad], [2, 1]).unwrap();
            assert!(
                matches!(
                    Indices::from_float_labels(&t, 2),
                    Err(Error::Label { row: 1, .. })
                ),
                "{bad}"
            );
        }
    }

    #[test]
    fn a_zero_dimensional_shape_has_no_sample_axis() {
        assert!(matches!(
            Indices::new(vec![0], Shape::scalar(), 1),
            Err(Error::NoSampleAxis { .. })
        ));
        assert_eq!(unravel(5, &[2, 3]), vec![1, 2]);
    }
}
