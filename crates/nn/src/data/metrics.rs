//! How good a classifier is: accuracy and the confusion matrix.

use autograd::OrPanic;
use std::fmt;

use super::encoding::check_label;
use crate::error::{Error, Result};

/// The fraction of predictions equal to their labels (`NaN` for none); an error if the
/// lengths differ.
///
/// ```
/// assert_eq!(nn::data::try_accuracy(&[0, 1, 2, 2], &[0, 1, 1, 2]).unwrap(), 0.75);
/// let err = nn::data::try_accuracy(&[0, 1], &[0]).unwrap_err();
/// assert_eq!(err.to_string(), "accuracy: 2 predictions but 1 labels");
/// ```
pub fn try_accuracy(predicted: &[usize], labels: &[usize]) -> Result<f64> {
    same_length("accuracy", predicted, labels)?;
    let correct = predicted.iter().zip(labels).filter(|(p, l)| p == l).count();
    Ok(correct as f64 / labels.len() as f64)
}

/// [`try_accuracy`] that panics with the same message.
///
/// ```
/// assert_eq!(nn::data::accuracy(&[0, 1, 2, 2], &[0, 1, 1, 2]), 0.75);
/// ```
#[track_caller]
pub fn accuracy(predicted: &[usize], labels: &[usize]) -> f64 {
    try_accuracy(predicted, labels).or_panic()
}

fn same_length(context: &'static str, predicted: &[usize], labels: &[usize]) -> Result<()> {
    if predicted.len() == labels.len() {
        return Ok(());
    }
    Err(Error::CountMismatch {
        context,
        left: predicted.len(),
        left_what: "predictions",
        right: labels.len(),
        right_what: "labels",
    })
}

/// Counts of (true class, predicted class) pairs: row `i`, column `j` counts samples of class
/// `i` predicted as `j`. The diagonal holds the correct ones.
///
/// ```
/// use nn::data::ConfusionMatrix;
///
/// // predicted, then the true labels
/// let m = ConfusionMatrix::new(&[0, 1, 1, 2], &[0, 1, 2, 2], 3);
/// assert_eq!(m.count(2, 1), 1); // one sample of class 2 was predicted as 1
/// assert_eq!(m.count(1, 2), 0);
/// assert_eq!(m.accuracy(), 0.75);
/// println!("{m}");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfusionMatrix {
    classes: usize,
    counts: Vec<usize>,
}

impl ConfusionMatrix {
    /// The matrix of `predicted` against `labels` over `classes` classes: an error if the
    /// lengths differ, or naming the row and the value of a class that is `≥ classes`.
    ///
    /// ```
    /// let m = nn::data::ConfusionMatrix::try_new(&[1], &[1], 2).unwrap();
    /// assert_eq!(m.count(1, 1), 1);
    /// let err = nn::data::ConfusionMatrix::try_new(&[0, 1], &[0, 2], 2).unwrap_err();
    /// assert_eq!(err.to_string(), "ConfusionMatrix labels: row 1: label 2 is not a class (a whole number in 0..2)");
    /// ```
    pub fn try_new(predicted: &[usize], labels: &[usize], classes: usize) -> Result<Self> {
        same_length("ConfusionMatrix", predicted, labels)?;
        let mut counts = count_table(classes)?;
        for (row, (&p, &l)) in predicted.iter().zip(labels).enumerate() {
            check_label("ConfusionMatrix predictions", row, p as f64, classes)?;
            check_label("ConfusionMatrix labels", row, l as f64, classes)?;
            counts[l * classes + p] += 1;
        }
        Ok(ConfusionMatrix { classes, counts })
    }

    /// [`try_new`](Self::try_new) that panics with the same message.
    ///
    /// ```
    /// let m = nn::data::ConfusionMatrix::new(&[1], &[1], 2);
    /// assert_eq!(m.count(1, 1), 1);
    /// ```
    #[track_caller]
    pub fn new(predicted: &[usize], labels: &[usize], classes: usize) -> Self {
        Self::try_new(predicted, labels, classes).or_panic()
    }

    /// Samples of class `truth` predicted as `predicted`.
    ///
    /// ```
    /// let m = nn::data::ConfusionMatrix::new(&[0, 0], &[1, 0], 2);
    /// assert_eq!((m.count(1, 0), m.count(0, 0)), (1, 1));
    /// ```
    pub fn count(&self, truth: usize, predicted: usize) -> usize {
        self.counts[truth * self.classes + predicted]
    }

    /// The fraction on the diagonal.
    ///
    /// ```
    /// let m = nn::data::ConfusionMatrix::new(&[0, 1], &[0, 0], 2);
    /// assert_eq!(m.accuracy(), 0.5);
    /// ```
    pub fn accuracy(&self) -> f64 {
        let correct: usize = (0..self.classes).map(|c| self.count(c, c)).sum();
        correct as f64 / self.counts.iter().sum::<usize>() as f64
    }
}

impl fmt::Display for ConfusionMatrix {
    /// A table: one row per true class, one column per predicted class.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let width = self
            .counts
            .iter()
            .max()
            .map_or(1, |m| m.to_string().len())
            .max(3);
        write!(f, "{:>8}", "true\\pred")?;
        for p in 0..self.classes {
            write!(f, " {p:>width$}")?;
        }
        for t in 0..self.classes {
            write!(f, "\n{t:>9}")?;
            for p in 0..self.classes {
                write!(f, " {:>width$}", self.count(t, p))?;
            }
        }
        Ok(())
    }
}
/// A `classes × classes` table of zero counts, or an error if it cannot be held (the size
/// is checked, and the allocation may fail without aborting).
fn count_table(classes: usize) -> Result<Vec<usize>> {
    let shape = autograd::Shape::from([classes, classes]);
    let too_large = || {
        crate::Error::from(autograd::Error::SizeOverflow {
            op: "ConfusionMatrix",
            shape: shape.clone(),
            elem_bytes: size_of::<usize>(),
        })
    };
    let cells = shape
        .checked_numel()
        .filter(|&n| n <= isize::MAX as usize / size_of::<usize>())
        .ok_or_else(too_large)?;
    let mut counts = Vec::new();
    counts.try_reserve_exact(cells).map_err(|_| too_large())?;
    counts.resize(cells, 0);
    Ok(counts)
}
