//! Weight initialisers. Every one takes the random generator explicitly: seed it and a run
//! is reproducible bit for bit.
//!
//! `fan_in` is the number of inputs of a unit, `fan_out` the number of units fed; for a
//! dense layer's weight `W` of shape `[out, in]` they are `in` and `out`.

use autograd::{Float, Shape, Tensor};
use rand::Rng;

/// Uniform in `[low, high)`.
///
/// ```
/// use rand::{SeedableRng, rngs::StdRng};
/// let w = nn::init::uniform::<f32>([3, 2], -0.1, 0.1, &mut StdRng::seed_from_u64(0));
/// assert!(w.as_slice().iter().all(|x| (-0.1..0.1).contains(x)));
/// ```
pub fn uniform<F: Float>(
    shape: impl Into<Shape>,
    low: f64,
    high: f64,
    rng: &mut impl Rng,
) -> Tensor<F> {
    Tensor::rand_uniform(shape, F::from_f64(low), F::from_f64(high), rng)
}

/// Normal with mean `mean` and standard deviation `std`.
///
/// ```
/// use rand::{SeedableRng, rngs::StdRng};
/// let w = nn::init::normal::<f64>([1000], 0.0, 0.01, &mut StdRng::seed_from_u64(0));
/// assert!(w.as_slice().iter().all(|x| x.abs() < 0.06));
/// ```
pub fn normal<F: Float>(
    shape: impl Into<Shape>,
    mean: f64,
    std: f64,
    rng: &mut impl Rng,
) -> Tensor<F> {
    Tensor::rand_normal(shape, F::from_f64(mean), F::from_f64(std), rng)
}

/// Xavier/Glorot uniform: `U(−a, a)` with `a = √(6 / (fan_in + fan_out))`, which keeps the
/// variance of activations and of gradients about equal across tanh or sigmoid layers.
///
/// ```
/// use rand::{SeedableRng, rngs::StdRng};
/// let w = nn::init::xavier_uniform::<f64>(300, 100, &mut StdRng::seed_from_u64(0));
/// assert_eq!(w.dims(), &[100, 300]);
/// let a = (6.0f64 / 400.0).sqrt();
/// assert!(w.as_slice().iter().all(|x| x.abs() <= a));
/// ```
pub fn xavier_uniform<F: Float>(fan_in: usize, fan_out: usize, rng: &mut impl Rng) -> Tensor<F> {
    let a = (6.0 / (fan_in + fan_out) as f64).sqrt();
    uniform([fan_out, fan_in], -a, a, rng)
}

/// Xavier/Glorot normal: `N(0, 2 / (fan_in + fan_out))`.
///
/// ```
/// use rand::{SeedableRng, rngs::StdRng};
/// let w = nn::init::xavier_normal::<f32>(4, 4, &mut StdRng::seed_from_u64(0));
/// assert_eq!(w.dims(), &[4, 4]);
/// ```
pub fn xavier_normal<F: Float>(fan_in: usize, fan_out: usize, rng: &mut impl Rng) -> Tensor<F> {
    let std = (2.0 / (fan_in + fan_out) as f64).sqrt();
    normal([fan_out, fan_in], 0.0, std, rng)
}

/// He/Kaiming uniform for ReLU layers: `U(−a, a)` with `a = √(6 / fan_in)` (variance
/// `2 / fan_in`, making up for ReLU zeroing half of its inputs).
///
/// ```
/// use rand::{SeedableRng, rngs::StdRng};
/// let w = nn::init::he_uniform::<f64>(50, 10, &mut StdRng::seed_from_u64(0));
/// assert!(w.as_slice().iter().all(|x| x.abs() <= (6.0f64 / 50.0).sqrt()));
/// ```
pub fn he_uniform<F: Float>(fan_in: usize, fan_out: usize, rng: &mut impl Rng) -> Tensor<F> {
    let a = (6.0 / fan_in as f64).sqrt();
    uniform([fan_out, fan_in], -a, a, rng)
}

/// He/Kaiming normal for ReLU layers: `N(0, 2 / fan_in)`.
///
/// ```
/// use rand::{SeedableRng, rngs::StdRng};
/// let w = nn::init::he_normal::<f64>(8, 3, &mut StdRng::seed_from_u64(0));
/// assert_eq!(w.dims(), &[3, 8]);
/// ```
pub fn he_normal<F: Float>(fan_in: usize, fan_out: usize, rng: &mut impl Rng) -> Tensor<F> {
    normal([fan_out, fan_in], 0.0, (2.0 / fan_in as f64).sqrt(), rng)
}

/// PyTorch's default for the weights and biases of its layers (`Linear`, `Conv1d`,
/// `Conv2d`: `kaiming_uniform_` with `a = √5`): uniform in `±1 / √fan_in`, for a tensor of
/// any `shape` (a convolution's weight `[out, in / groups, kh, kw]` has `fan_in = in / groups
/// · kh · kw`). A port from PyTorch that keeps its initialisation trains the same way.
///
/// ```
/// use rand::{SeedableRng, rngs::StdRng};
/// let w = nn::init::pytorch_uniform::<f64>([6, 1, 5, 5], 25, &mut StdRng::seed_from_u64(0));
/// assert!(w.as_slice().iter().all(|x| x.abs() <= 0.2)); // 1 / √25
/// ```
pub fn pytorch_uniform<F: Float>(
    shape: impl Into<Shape>,
    fan_in: usize,
    rng: &mut impl Rng,
) -> Tensor<F> {
    let bound = 1.0 / (fan_in.max(1) as f64).sqrt();
    uniform(shape, -bound, bound, rng)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{SeedableRng, rngs::StdRng};

    fn variance(t: &Tensor<f64>) -> f64 {
        let n = t.numel() as f64;
        let mean = t.as_slice().iter().sum::<f64>() / n;
        t.as_slice().iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n
    }

    #[test]
    fn variances_are_as_designed() {
        let mut rng = StdRng::seed_from_u64(11);
        let (fan_in, fan_out) = (400, 200);
        let cases = [
            (xavier_uniform(fan_in, fan_out, &mut rng), 2.0 / 600.0),
            (xavier_normal(fan_in, fan_out, &mut rng), 2.0 / 600.0),
            (he_uniform(fan_in, fan_out, &mut rng), 2.0 / 400.0),
            (he_normal(fan_in, fan_out, &mut rng), 2.0 / 400.0),
        ];
        for (k, (w, expected)) in cases.iter().enumerate() {
            let v = variance(w);
            assert!(
                (v / expected - 1.0).abs() < 0.05,
                "case {k}: variance {v}, expected {expected}"
            );
        }
    }

    #[test]
    fn the_same_seed_gives_the_same_weights() {
        let a = he_normal::<f32>(5, 5, &mut StdRng::seed_from_u64(3));
        let b = he_normal::<f32>(5, 5, &mut StdRng::seed_from_u64(3));
        assert_eq!(a.to_vec(), b.to_vec());
    }
}
