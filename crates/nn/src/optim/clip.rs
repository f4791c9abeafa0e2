//! Gradient clipping by the joint L2 norm, and that norm computed without losing precision.

use autograd::OrPanic;
use autograd::{Float, Tensor};

use super::checks::non_negative;
use crate::error::Result;

/// Scales the gradients in place so that their joint L2 norm is at most `max_norm`, and
/// returns the norm they had (PyTorch's `clip_grad_norm_`). An error if `max_norm` is
/// negative or not finite. The norm is exact to `f64` rounding for any number of elements of
/// either type, and neither overflows nor underflows (`f64` gradients of 1e200 have a norm,
/// not `∞`). A NaN or infinite norm (from a NaN or infinite gradient) is returned with the
/// gradients untouched: scaling would zero them or spread the NaN, hiding where it came from.
///
/// ```
/// use autograd::Tensor;
/// let mut grads = vec![Tensor::<f64>::from_vec(vec![3.0, 4.0], [2]).unwrap()];
/// let norm = nn::optim::try_clip_grad_norm(&mut grads, 1.0).unwrap();
/// assert_eq!(norm, 5.0);
/// let clipped = grads[0].to_vec();
/// assert!((clipped[0] - 0.6).abs() < 1e-15 && (clipped[1] - 0.8).abs() < 1e-15);
/// let err = nn::optim::try_clip_grad_norm(&mut grads, -1.0).unwrap_err();
/// assert_eq!(err.to_string(), "clip_grad_norm: max_norm must be finite and ≥ 0, got -1");
/// ```
pub fn try_clip_grad_norm<F: Float>(grads: &mut [Tensor<F>], max_norm: f64) -> Result<f64> {
    non_negative("clip_grad_norm", "max_norm", max_norm)?;
    let norm = l2_norm(grads);
    if norm.is_finite() && norm > max_norm {
        let scale = F::from_f64(max_norm / norm);
        for g in grads.iter_mut() {
            for x in g.as_mut_slice() {
                *x *= scale;
            }
        }
    }
    Ok(norm)
}

/// [`try_clip_grad_norm`] that panics with the same message.
///
/// ```
/// use autograd::Tensor;
/// let mut grads = vec![Tensor::<f32>::from_vec(vec![0.3], [1]).unwrap()];
/// assert_eq!(nn::optim::clip_grad_norm(&mut grads, 1.0), 0.30000001192092896); // untouched
/// ```
#[track_caller]
pub fn clip_grad_norm<F: Float>(grads: &mut [Tensor<F>], max_norm: f64) -> f64 {
    try_clip_grad_norm(grads, max_norm).or_panic()
}

/// Elements summed in `f64` before the running total takes them: the rounding error then
/// grows with `BLOCK + n / BLOCK`, not with `n`.
const BLOCK: usize = 1024;

/// The joint L2 norm, in `f64`. The largest magnitude is factored out first (as BLAS's `nrm2`
/// does), so that no square overflows or underflows; NaN if any element is NaN.
pub(crate) fn l2_norm<F: Float>(tensors: &[Tensor<F>]) -> f64 {
    let mut largest = 0.0f64;
    for x in tensors.iter().flat_map(|t| t.as_slice()) {
        let magnitude = x.to_f64().abs();
        if magnitude.is_nan() {
            return f64::NAN;
        }
        largest = largest.max(magnitude);
    }
    if largest == 0.0 || largest.is_infinite() {
        return largest;
    }
    let mut sum = 0.0;
    for block in tensors.iter().flat_map(|t| t.as_slice().chunks(BLOCK)) {
        sum += block
            .iter()
            .map(|x| (x.to_f64() / largest).powi(2))
            .sum::<f64>();
    }
    largest * sum.sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_gradients_are_left_alone() {
        let mut grads = vec![Tensor::<f64>::from_vec(vec![0.3], [1]).unwrap()];
        assert_eq!(clip_grad_norm(&mut grads, 1.0), 0.3);
        assert_eq!(grads[0].as_slice()[0], 0.3);
    }

    #[test]
    fn huge_and_tiny_f64_gradients_have_a_norm() {
        // the squares of 1e200 overflow and those of 1e-200 underflow in f64
        for scale in [1e200, 1e-200] {
            let mut grads =
                vec![Tensor::<f64>::from_vec(vec![3.0 * scale, 4.0 * scale], [2]).unwrap()];
            let norm = clip_grad_norm(&mut grads, 1.0);
            assert!((norm / (5.0 * scale) - 1.0).abs() < 1e-15, "{norm}");
            if scale > 1.0 {
                let clipped = grads[0].to_vec();
                assert!((clipped[0] - 0.6).abs() < 1e-15 && (clipped[1] - 0.8).abs() < 1e-15);
            }
        }
    }

    #[test]
    fn a_nan_or_infinite_gradient_is_reported_and_left_alone() {
        for bad in [f64::NAN, f64::INFINITY] {
            let mut grads = vec![Tensor::<f64>::from_vec(vec![bad, 1.0], [2]).unwrap()];
            let norm = clip_grad_norm(&mut grads, 1.0);
            assert_eq!(norm.is_nan(), bad.is_nan());
            assert_eq!(grads[0].as_slice()[1], 1.0);
        }
    }

    #[test]
    fn max_norm_must_be_finite_and_non_negative() {
        let mut grads = vec![Tensor::<f32>::ones([1])];
        for bad in [-0.5, f64::NAN, f64::INFINITY] {
            assert!(try_clip_grad_norm(&mut grads, bad).is_err(), "{bad}");
        }
        assert_eq!(grads[0].as_slice()[0], 1.0);
    }
}
