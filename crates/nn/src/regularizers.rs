//! Regularisers `γ(w)`: penalties on the parameters added to the empirical risk.

use autograd::{Float, Real, TensorVar};

/// The L2 penalty `Σ wᵢ²` (multiply by `λ` yourself: `λ · sum_of_squares(w)`).
///
/// Its gradient is `2w`, so gradient descent on it shrinks every weight towards zero
/// ("weight decay").
///
/// # Panics
/// If `params` is empty: a variable cannot be made from nothing.
///
/// ```
/// use nn::regularizers::sum_of_squares;
///
/// assert_eq!(sum_of_squares(&[3.0, -4.0]), 25.0);
/// ```
#[track_caller]
pub fn sum_of_squares<R: Real>(params: &[R]) -> R {
    let (first, rest) = params
        .split_first()
        .expect("sum_of_squares: no parameters given");
    let square = |w: &R| w.clone() * w.clone();
    rest.iter().fold(square(first), |sum, w| sum + square(w))
}

/// The L2 penalty `γ(w) = λ/2 Σ ‖W‖²` over several parameter tensors (gradient `λ W`: weight
/// decay).
///
/// # Panics
/// If `params` is empty.
///
/// ```
/// use autograd::{Tape, Tensor};
/// let tape = Tape::new();
/// let w = tape.tensor(Tensor::<f64>::from_vec(vec![1.0, -2.0], [2]).unwrap());
/// let penalty = nn::regularizers::l2(&[w], 0.1);
/// assert!((penalty.value().item().unwrap() - 0.25).abs() < 1e-15);
/// assert_eq!(penalty.backward().wrt(w).to_vec(), vec![0.1, -0.2]);
/// ```
#[track_caller]
pub fn l2<'t, F: Float>(params: &[TensorVar<'t, F>], lambda: f64) -> TensorVar<'t, F> {
    let total = params
        .iter()
        .map(|&w| (w * w).sum())
        .reduce(|a, b| a + b)
        .expect("l2: no parameters given");
    total * (0.5 * lambda)
}

/// The L1 penalty `γ(w) = λ Σ |W|` (gradient `λ sign W`: it pushes small weights to exactly
/// zero).
///
/// # Panics
/// If `params` is empty.
///
/// ```
/// use autograd::{Tape, Tensor};
/// let tape = Tape::new();
/// let w = tape.tensor(Tensor::<f64>::from_vec(vec![1.0, -2.0], [2]).unwrap());
/// let penalty = nn::regularizers::l1(&[w], 0.1);
/// assert!((penalty.value().item().unwrap() - 0.3).abs() < 1e-15);
/// assert_eq!(penalty.backward().wrt(w).to_vec(), vec![0.1, -0.1]);
/// ```
#[track_caller]
pub fn l1<'t, F: Float>(params: &[TensorVar<'t, F>], lambda: f64) -> TensorVar<'t, F> {
    let total = params
        .iter()
        .map(|&w| w.abs().sum())
        .reduce(|a, b| a + b)
        .expect("l1: no parameters given");
    total * lambda
}

#[cfg(test)]
mod tests {
    use super::*;
    use autograd::Tape;

    #[test]
    fn gradient_is_twice_the_weight() {
        let tape = Tape::new();
        let w = tape.vars(&[1.5, -2.0]);
        let grads = sum_of_squares(&w).backward();
        assert_eq!(grads.wrt_all(&w), vec![3.0, -4.0]);
    }

    #[test]
    #[should_panic(expected = "no parameters")]
    fn empty_is_refused() {
        let _ = sum_of_squares::<f64>(&[]);
    }
}
