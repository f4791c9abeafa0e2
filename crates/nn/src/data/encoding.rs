//! One-hot encoding of class labels, and back.

use autograd::{Float, Tensor};

/// One-hot rows for class indices: `[N, classes]`, a 1 at each index.
///
/// # Panics
/// If an index is `≥ classes`.
///
/// ```
/// let t = nn::data::one_hot::<f64>(&[2, 0], 3);
/// assert_eq!(t.to_vec(), vec![0.0, 0.0, 1.0, 1.0, 0.0, 0.0]);
/// ```
#[track_caller]
pub fn one_hot<F: Float>(indices: &[usize], classes: usize) -> Tensor<F> {
    if let Some(bad) = indices.iter().find(|&&i| i >= classes) {
        panic!("one_hot: index {bad} is out of range for {classes} classes");
    }
    Tensor::from_fn([indices.len(), classes], |i| {
        if indices[i[0]] == i[1] {
            F::ONE
        } else {
            F::ZERO
        }
    })
}

/// The class of each row: the index of its largest score (the inverse of [`one_hot`], and
/// the prediction of a classifier from its logits or probabilities).
///
/// # Panics
/// If `scores` is not a matrix `[N, C]`.
///
/// ```
/// use nn::data::{classes_of, one_hot};
/// assert_eq!(classes_of(&one_hot::<f32>(&[1, 0, 2], 3)), vec![1, 0, 2]);
/// ```
#[track_caller]
pub fn classes_of<F: Float>(scores: &Tensor<F>) -> Vec<usize> {
    assert_eq!(
        scores.ndim(),
        2,
        "classes_of: scores must be [N, C], got {}",
        scores.shape()
    );
    scores.try_argmax(1).expect("axis 1 exists")
}
