//! Class labels: the one check that a number is a class, one-hot encoding, and back.
//!
//! Labels are stored as numbers (a dataset's targets are a float tensor), so `-1`, `NaN` or
//! `1.7` can turn up where a class is expected. Every entry point (datasets, losses, the
//! training loop, metrics) goes through [`check_label`], so each rejects the same labels with
//! the same message, naming the row and the value.

use autograd::OrPanic;
use autograd::{Float, Tensor};

use crate::error::{Error, Result};

/// The class a label stands for: `label` must be a finite, non-negative whole number below
/// `classes`; otherwise an error naming `context`, the row and the value.
pub(crate) fn check_label(
    context: &'static str,
    row: usize,
    label: f64,
    classes: usize,
) -> Result<usize> {
    // `fract` is NaN for NaN and ±inf, so the first test also rejects those
    if label.fract() == 0.0 && label >= 0.0 && label < classes as f64 {
        Ok(label as usize)
    } else {
        Err(Error::Label {
            context,
            row,
            value: label,
            classes,
        })
    }
}

/// [`check_label`] over a list of labels stored as numbers.
pub(crate) fn labels_to_classes<F: Float>(
    context: &'static str,
    labels: &[F],
    classes: usize,
) -> Result<Vec<usize>> {
    labels
        .iter()
        .enumerate()
        .map(|(row, &l)| {
            check_label(context, row, l.to_f64(), classes).map_err(|_| Error::Label {
                context,
                row,
                value: as_written(l),
                classes,
            })
        })
        .collect()
}

/// The `f64` with the digits of `x` as its own type prints them: an `f32` label 1.7 is
/// reported as 1.7, not as 1.7000000476837158.
fn as_written<F: Float>(x: F) -> f64 {
    x.to_string().parse().unwrap_or(x.to_f64())
}

/// The classes of labels stored as numbers (a dataset's targets, one per row): an error
/// naming the row and the value unless each is a whole number in `0..classes`.
///
/// ```
/// use autograd::Tensor;
/// let labels = Tensor::<f32>::from_vec(vec![2.0, 0.0, 1.7], [3]).unwrap();
/// let err = nn::data::class_indices(&labels, 3).unwrap_err();
/// assert_eq!(err.to_string(), "class_indices: row 2: label 1.7 is not a class (a whole number in 0..3)");
/// let labels = Tensor::<f32>::from_vec(vec![2.0, 0.0], [2]).unwrap();
/// assert_eq!(nn::data::class_indices(&labels, 3).unwrap(), vec![2, 0]);
/// ```
pub fn class_indices<F: Float>(labels: &Tensor<F>, classes: usize) -> Result<Vec<usize>> {
    labels_to_classes("class_indices", labels.as_slice(), classes)
}

/// One-hot rows for class indices: `[N, classes]`, a 1 at each index; an error naming the
/// row if an index is `≥ classes`.
///
/// ```
/// let t = nn::data::try_one_hot::<f64>(&[2, 0], 3).unwrap();
/// assert_eq!(t.to_vec(), vec![0.0, 0.0, 1.0, 1.0, 0.0, 0.0]);
/// let err = nn::data::try_one_hot::<f64>(&[0, 3], 3).unwrap_err();
/// assert_eq!(err.to_string(), "one_hot: row 1: label 3 is not a class (a whole number in 0..3)");
/// ```
pub fn try_one_hot<F: Float>(indices: &[usize], classes: usize) -> Result<Tensor<F>> {
    for (row, &i) in indices.iter().enumerate() {
        check_label("one_hot", row, i as f64, classes)?;
    }
    // try_: a class count too large to hold is an error, not a panic
    Ok(Tensor::try_from_fn([indices.len(), classes], |i| {
        if indices[i[0]] == i[1] {
            F::ONE
        } else {
            F::ZERO
        }
    })?)
}

/// [`try_one_hot`] that panics with the same message.
///
/// ```
/// let t = nn::data::one_hot::<f64>(&[2, 0], 3);
/// assert_eq!(t.to_vec(), vec![0.0, 0.0, 1.0, 1.0, 0.0, 0.0]);
/// ```
#[track_caller]
pub fn one_hot<F: Float>(indices: &[usize], classes: usize) -> Tensor<F> {
    try_one_hot(indices, classes).or_panic()
}

/// The class of each row: the index of its largest score (the inverse of [`one_hot`], and the
/// prediction of a classifier from its logits or probabilities; the first on a tie). An error
/// if `scores` is not `[N, C]` with `C ≥ 1`, or a row holds a NaN (it has no largest score).
///
/// ```
/// use autograd::Tensor;
/// use nn::data::{one_hot, try_classes_of};
/// assert_eq!(try_classes_of(&one_hot::<f32>(&[1, 0, 2], 3)).unwrap(), vec![1, 0, 2]);
/// let nan = Tensor::<f64>::from_vec(vec![0.0, 1.0, f64::NAN, 0.0], [2, 2]).unwrap();
/// assert_eq!(try_classes_of(&nan).unwrap_err().to_string(), "classes_of: row 1 has a NaN score, so it names no class");
/// ```
pub fn try_classes_of<F: Float>(scores: &Tensor<F>) -> Result<Vec<usize>> {
    classes_in("classes_of", scores)
}

/// [`try_classes_of`] that panics with the same message.
///
/// ```
/// use nn::data::{classes_of, one_hot};
/// assert_eq!(classes_of(&one_hot::<f32>(&[1, 0, 2], 3)), vec![1, 0, 2]);
/// ```
#[track_caller]
pub fn classes_of<F: Float>(scores: &Tensor<F>) -> Vec<usize> {
    try_classes_of(scores).or_panic()
}

/// [`try_classes_of`], its errors naming `context`.
pub(crate) fn classes_in<F: Float>(
    context: &'static str,
    scores: &Tensor<F>,
) -> Result<Vec<usize>> {
    let dims = scores.dims();
    if dims.len() != 2 || (dims[1] == 0 && dims[0] > 0) {
        return Err(Error::Shape {
            context,
            what: "scores",
            expected: "[N, C] with C ≥ 1".into(),
            found: scores.shape().clone(),
        });
    }
    let columns = dims[1].max(1);
    if let Some(row) = scores
        .as_slice()
        .chunks(columns)
        .position(|r| r.iter().any(|s| s.is_nan()))
    {
        return Err(Error::NanScore { context, row });
    }
    if dims[0] == 0 {
        return Ok(Vec::new()); // no rows: no classes, even with no columns to take them from
    }
    Ok(scores.try_argmax(1)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_label_is_a_finite_non_negative_whole_number_below_the_class_count() {
        for bad in [
            -1.0,
            f64::NAN,
            1.7,
            3.0,
            f64::INFINITY,
            f64::NEG_INFINITY,
            1e300,
        ] {
            let err = check_label("test", 4, bad, 3).unwrap_err();
            assert!(
                matches!(
                    err,
                    Error::Label {
                        row: 4,
                        classes: 3,
                        ..
                    }
                ),
                "{bad}"
            );
        }
        assert_eq!(check_label("test", 0, 2.0, 3).unwrap(), 2);
        assert_eq!(check_label("test", 0, -0.0, 3).unwrap(), 0);
        let err = check_label("t", 0, 1e300, 3).unwrap_err().to_string();
        assert_eq!(
            err,
            "t: row 0: label 1e300 is not a class (a whole number in 0..3)"
        );
    }

    #[test]
    #[should_panic(expected = "one_hot: row 0: label 5 is not a class (a whole number in 0..2)")]
    fn one_hot_panics_with_the_shared_message() {
        one_hot::<f64>(&[5], 2);
    }

    #[test]
    fn classes_of_needs_a_matrix_with_columns() {
        let err = try_classes_of(&Tensor::<f64>::zeros([2, 0])).unwrap_err();
        assert_eq!(
            err.to_string(),
            "classes_of: scores must be [N, C] with C ≥ 1, got [2, 0]"
        );
        assert!(try_classes_of(&Tensor::<f64>::zeros([3])).is_err());
        assert!(
            try_classes_of(&Tensor::<f64>::zeros([0, 0]))
                .unwrap()
                .is_empty()
        );
    }
}
