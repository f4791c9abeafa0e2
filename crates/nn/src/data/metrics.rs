//! How good a classifier is: accuracy and the confusion matrix.

use std::fmt;

/// The fraction of predictions equal to their labels (`NaN` for none).
///
/// # Panics
/// If the lengths differ.
///
/// ```
/// assert_eq!(nn::data::accuracy(&[0, 1, 2, 2], &[0, 1, 1, 2]), 0.75);
/// ```
#[track_caller]
pub fn accuracy(predicted: &[usize], labels: &[usize]) -> f64 {
    assert_eq!(
        predicted.len(),
        labels.len(),
        "accuracy: {} predictions but {} labels",
        predicted.len(),
        labels.len()
    );
    let correct = predicted.iter().zip(labels).filter(|(p, l)| p == l).count();
    correct as f64 / labels.len() as f64
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
    /// The matrix of `predicted` against `labels` over `classes` classes.
    ///
    /// # Panics
    /// If the lengths differ or a class is `≥ classes`.
    ///
    /// ```
    /// let m = nn::data::ConfusionMatrix::new(&[1], &[1], 2);
    /// assert_eq!(m.count(1, 1), 1);
    /// ```
    #[track_caller]
    pub fn new(predicted: &[usize], labels: &[usize], classes: usize) -> Self {
        assert_eq!(
            predicted.len(),
            labels.len(),
            "ConfusionMatrix: {} predictions but {} labels",
            predicted.len(),
            labels.len()
        );
        let mut counts = vec![0; classes * classes];
        for (&p, &l) in predicted.iter().zip(labels) {
            assert!(
                p < classes && l < classes,
                "ConfusionMatrix: class {} out of range for {classes} classes",
                p.max(l)
            );
            counts[l * classes + p] += 1;
        }
        ConfusionMatrix { classes, counts }
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
