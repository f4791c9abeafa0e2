//! Regularisers `γ(w)`: penalties on the parameters added to the empirical risk.

use autograd::Real;

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
