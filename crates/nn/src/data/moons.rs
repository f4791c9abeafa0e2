//! The two-moons toy data set: two interleaved half circles, as scikit-learn's `make_moons`.

use rand::Rng;

use super::TwoClasses;
use super::shapes::standard_normal;

/// The two moons: points in the plane labelled `-1` (upper moon) or `+1` (lower), a
/// [`TwoClasses`] like every generated set here.
///
/// ```
/// use nn::data::two_moons;
/// use rand::{SeedableRng, rngs::StdRng};
///
/// let moons = two_moons(4, 0.0, &mut StdRng::seed_from_u64(0));
/// assert_eq!(moons.points[0], [1.0, 0.0]); // the upper moon starts at (cos 0, sin 0)
/// assert_eq!(moons.labels, vec![-1.0, -1.0, 1.0, 1.0]);
/// ```
pub type Moons = TwoClasses;

/// `n` points on two interleaved half circles, with Gaussian noise of standard deviation
/// `noise` added to each coordinate.
///
/// The upper moon is `(cos t, sin t)`, the lower `(1 - cos t, 1/2 - sin t)`, for `t` evenly
/// spaced in `[0, π]`. As in `make_moons`, the upper moon gets `n/2` points rounded down and
/// the lower the rest.
///
/// ```
/// use nn::data::two_moons;
/// use rand::{SeedableRng, rngs::StdRng};
///
/// let moons = two_moons(100, 0.1, &mut StdRng::seed_from_u64(1));
/// assert_eq!(moons.len(), 100);
/// assert_eq!(moons.labels.iter().filter(|&&y| y > 0.0).count(), 50);
/// ```
pub fn two_moons(n: usize, noise: f64, rng: &mut impl Rng) -> Moons {
    let upper = n / 2;
    let lower = n - upper;
    let angle = |i: usize, count: usize| {
        if count > 1 {
            std::f64::consts::PI * i as f64 / (count - 1) as f64
        } else {
            0.0
        }
    };
    let mut points = Vec::with_capacity(n);
    let mut labels = Vec::with_capacity(n);
    for i in 0..upper {
        let t = angle(i, upper);
        points.push([t.cos(), t.sin()]);
        labels.push(-1.0);
    }
    for i in 0..lower {
        let t = angle(i, lower);
        points.push([1.0 - t.cos(), 0.5 - t.sin()]);
        labels.push(1.0);
    }
    for p in &mut points {
        p[0] += noise * standard_normal(rng);
        p[1] += noise * standard_normal(rng);
    }
    Moons { points, labels }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{SeedableRng, rngs::StdRng};

    #[test]
    fn without_noise_the_points_lie_on_the_circles() {
        let moons = two_moons(10, 0.0, &mut StdRng::seed_from_u64(0));
        for (p, &y) in moons.points.iter().zip(&moons.labels) {
            let centre = if y < 0.0 { [0.0, 0.0] } else { [1.0, 0.5] };
            let r = ((p[0] - centre[0]).powi(2) + (p[1] - centre[1]).powi(2)).sqrt();
            assert!((r - 1.0).abs() < 1e-12, "{p:?} is off its circle");
        }
    }

    #[test]
    fn same_seed_same_points() {
        let a = two_moons(7, 0.1, &mut StdRng::seed_from_u64(3));
        let b = two_moons(7, 0.1, &mut StdRng::seed_from_u64(3));
        assert_eq!(a, b);
        assert_eq!(a.len(), 7);
    }

    #[test]
    fn noise_has_the_requested_spread() {
        let mut rng = StdRng::seed_from_u64(5);
        let draws: Vec<f64> = (0..20_000).map(|_| standard_normal(&mut rng)).collect();
        let mean = draws.iter().sum::<f64>() / draws.len() as f64;
        let var = draws.iter().map(|d| (d - mean).powi(2)).sum::<f64>() / draws.len() as f64;
        assert!(mean.abs() < 0.03, "mean {mean}");
        assert!((var - 1.0).abs() < 0.05, "variance {var}");
    }
}
