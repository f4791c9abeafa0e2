//! Softmax, the vector activation: `y_i = e^{z_i} / Σ_j e^{z_j}` over one axis, and its
//! logarithm. Unlike a scalar activation, each output depends on every input of its row:
//! `∂y_j/∂z_i = y_i (δ_ij − y_j)`.

use autograd::{Float, OrPanic, TensorVar};

/// `softmax(z)` along `axis`: non-negative, summing to 1 along `axis`. Computed as
/// `exp(log_softmax(z))`, so logits of ±1000 give finite values and gradients.
///
/// # Panics
/// If `axis` is not an axis of `z`.
///
/// ```
/// use autograd::{Tape, Tensor};
///
/// let tape = Tape::new();
/// let z = tape.tensor(Tensor::<f64>::from_vec(vec![1000.0, 1000.0, -1000.0], [1, 3]).unwrap());
/// let y = nn::softmax::softmax(z, 1).value();
/// assert!((y.at(&[0, 0]) - 0.5).abs() < 1e-12 && (y.at(&[0, 1]) - 0.5).abs() < 1e-12);
/// assert_eq!(y.at(&[0, 2]), 0.0);
/// ```
#[track_caller]
pub fn softmax<F: Float>(z: TensorVar<'_, F>, axis: usize) -> TensorVar<'_, F> {
    try_softmax(z, axis).or_panic()
}

/// `ln softmax(z) = z − logsumexp(z)` along `axis`, stable for any logits: the form
/// cross-entropy wants.
///
/// # Panics
/// If `axis` is not an axis of `z`.
///
/// ```
/// use autograd::{Tape, Tensor};
///
/// let tape = Tape::new();
/// let z = tape.tensor(Tensor::<f64>::from_vec(vec![0.0, 0.0], [2]).unwrap());
/// let y = nn::softmax::log_softmax(z, 0);
/// assert_eq!(y.value().to_vec(), vec![-2f64.ln(), -2f64.ln()]);
/// ```
#[track_caller]
pub fn log_softmax<F: Float>(z: TensorVar<'_, F>, axis: usize) -> TensorVar<'_, F> {
    try_log_softmax(z, axis).or_panic()
}

/// [`softmax`], or an error naming `softmax` and the shape if `axis` is not an axis of `z`.
///
/// ```
/// use autograd::{Tape, Tensor};
///
/// let tape = Tape::new();
/// let err = nn::softmax::try_softmax(tape.tensor(Tensor::<f64>::scalar(1.0)), 0).unwrap_err();
/// assert_eq!(err.to_string(), "softmax: axis 0 is out of range for a tensor of shape []");
/// ```
#[track_caller]
pub fn try_softmax<F: Float>(
    z: TensorVar<'_, F>,
    axis: usize,
) -> autograd::Result<TensorVar<'_, F>> {
    Ok(try_log_softmax_named("softmax", z, axis)?.exp())
}

/// [`log_softmax`], or an error naming `log_softmax` and the shape if `axis` is not an axis
/// of `z`.
///
/// ```
/// use autograd::{Tape, Tensor};
///
/// let tape = Tape::new();
/// assert!(nn::softmax::try_log_softmax(tape.tensor(Tensor::<f64>::zeros([2])), 1).is_err());
/// ```
#[track_caller]
pub fn try_log_softmax<F: Float>(
    z: TensorVar<'_, F>,
    axis: usize,
) -> autograd::Result<TensorVar<'_, F>> {
    try_log_softmax_named("log_softmax", z, axis)
}

#[track_caller]
fn try_log_softmax_named<'t, F: Float>(
    op: &'static str,
    z: TensorVar<'t, F>,
    axis: usize,
) -> autograd::Result<TensorVar<'t, F>> {
    if axis >= z.value().ndim() {
        return Err(autograd::Error::InvalidAxis {
            op,
            axis,
            shape: z.shape(),
        });
    }
    Ok(z - z.try_logsumexp(&[axis], true)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use autograd::{Tape, Tensor};

    #[test]
    fn backward_equals_the_explicit_jacobian_applied_to_the_upstream_gradient() {
        // L = Σ_j u_j y_j with y = softmax(z): ∂L/∂z_i = Σ_j u_j y_i (δ_ij − y_j)
        let tape = Tape::new();
        let z0 = [0.3, -1.2, 2.0, 0.5];
        let u = [1.0, -2.0, 0.5, 3.0];
        let z = tape.tensor(Tensor::<f64>::from_vec(z0.to_vec(), [4]).unwrap());
        let y = softmax(z, 0);
        let upstream = tape.constant_tensor(Tensor::from_vec(u.to_vec(), [4]).unwrap());
        let grad = (y * upstream).sum().backward().wrt(z);
        let y = y.value().to_vec();
        for i in 0..4 {
            let jacobian_row: f64 = (0..4)
                .map(|j| u[j] * y[i] * (if i == j { 1.0 } else { 0.0 } - y[j]))
                .sum();
            assert!((grad.at(&[i]) - jacobian_row).abs() < 1e-12, "∂L/∂z_{i}");
        }
    }

    #[test]
    fn rows_sum_to_one_and_huge_logits_stay_finite() {
        let tape = Tape::new();
        let z = tape.tensor(
            Tensor::<f64>::from_vec(vec![1000.0, -1000.0, 0.0, 5.0, 5.0, 5.0], [2, 3]).unwrap(),
        );
        let y = softmax(z, 1);
        let sums = y.sum_axes(&[1], false).value().to_vec();
        assert!(sums.iter().all(|s| (s - 1.0).abs() < 1e-12));
        let grad = log_softmax(z, 1).sum().backward().wrt(z);
        assert!(grad.as_slice().iter().all(|g| g.is_finite()));
    }
}
