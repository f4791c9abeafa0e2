//! Generated two-class sets in the plane ([`TwoClasses`]): two concentric circles
//! (scikit-learn's `make_circles`) and two interleaved spirals, labelled `-1` and `+1` as
//! [`two_moons`].
//!
//! [`two_moons`]: super::two_moons

use std::f64::consts::{PI, TAU};

use rand::Rng;

/// Points in the plane with a label of `-1` or `+1` each: what [`two_moons`](super::two_moons), [`circles`]
/// and [`spirals`] return.
///
/// ```
/// use nn::data::{TwoClasses, circles, two_moons};
/// use rand::{SeedableRng, rngs::StdRng};
///
/// let rings = circles(8, 0.0, 0.5, &mut StdRng::seed_from_u64(0));
/// assert_eq!(rings.labels.iter().filter(|&&y| y > 0.0).count(), 4);
/// let moons: TwoClasses = two_moons(6, 0.0, &mut StdRng::seed_from_u64(0));
/// assert_eq!(moons.len(), 6);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct TwoClasses {
    /// The points `(x₁, x₂)`.
    pub points: Vec<[f64; 2]>,
    /// `-1` or `+1`.
    pub labels: Vec<f64>,
}

impl TwoClasses {
    /// Number of points.
    ///
    /// ```
    /// # use rand::{SeedableRng, rngs::StdRng};
    /// assert_eq!(nn::data::spirals(9, 0.1, &mut StdRng::seed_from_u64(0)).len(), 9);
    /// ```
    pub fn len(&self) -> usize {
        self.points.len()
    }

    /// `true` when there are no points.
    ///
    /// ```
    /// # use rand::{SeedableRng, rngs::StdRng};
    /// assert!(nn::data::circles(0, 0.1, 0.5, &mut StdRng::seed_from_u64(0)).is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.points.is_empty()
    }
}

/// `n` points on two concentric circles, with Gaussian noise of standard deviation `noise`
/// added to each coordinate: the outer circle (radius 1, label `-1`) and the inner one (radius
/// `factor`, label `+1`).
///
/// As in `make_circles`, the outer circle gets `n/2` points rounded down and the inner the
/// rest, each at angles evenly spaced in `[0, 2π)`. No line separates the classes; a ring does.
///
/// ```
/// use nn::data::circles;
/// use rand::{SeedableRng, rngs::StdRng};
///
/// let rings = circles(100, 0.0, 0.3, &mut StdRng::seed_from_u64(1));
/// assert_eq!(rings.len(), 100);
/// assert_eq!(rings.points[0], [1.0, 0.0]); // the outer circle starts at angle 0
/// let r = |p: [f64; 2]| p[0].hypot(p[1]);
/// assert!(rings.points.iter().zip(&rings.labels).all(|(&p, &y)| {
///     (r(p) - if y < 0.0 { 1.0 } else { 0.3 }).abs() < 1e-12
/// }));
/// ```
pub fn circles(n: usize, noise: f64, factor: f64, rng: &mut impl Rng) -> TwoClasses {
    let outer = n / 2;
    let inner = n - outer;
    let mut points = Vec::with_capacity(n);
    let mut labels = Vec::with_capacity(n);
    for (count, radius, label) in [(outer, 1.0, -1.0), (inner, factor, 1.0)] {
        for i in 0..count {
            let angle = TAU * i as f64 / count as f64;
            points.push([radius * angle.cos(), radius * angle.sin()]);
            labels.push(label);
        }
    }
    add_noise(&mut points, noise, rng);
    TwoClasses { points, labels }
}

/// `n` points on two interleaved spirals, with Gaussian noise of standard deviation `noise`
/// added to each coordinate.
///
/// The first arm (label `-1`) is `r (cos θ, sin θ)` with `r = t` and `θ = 3π t`: one and a
/// half turns out from the origin to radius 1, for `t = 1/m, 2/m, …, 1` with `m` its point
/// count. The second arm (label `+1`) is the first turned by half a turn, `-r (cos θ, sin θ)`.
/// The first arm gets `n/2` points rounded down and the second the rest. Along any ray from
/// the origin the arms alternate, 1/3 apart: the classic hard case for a small network.
///
/// ```
/// use nn::data::spirals;
/// use rand::{SeedableRng, rngs::StdRng};
///
/// let arms = spirals(4, 0.0, &mut StdRng::seed_from_u64(0));
/// assert_eq!(arms.labels, vec![-1.0, -1.0, 1.0, 1.0]);
/// // each arm ends at radius 1, after 1.5 turns: (cos 3π, sin 3π) = (-1, 0), and (1, 0)
/// assert!((arms.points[1][0] + 1.0).abs() < 1e-12 && (arms.points[3][0] - 1.0).abs() < 1e-12);
/// ```
pub fn spirals(n: usize, noise: f64, rng: &mut impl Rng) -> TwoClasses {
    let first = n / 2;
    let second = n - first;
    let mut points = Vec::with_capacity(n);
    let mut labels = Vec::with_capacity(n);
    for (count, sign, label) in [(first, 1.0, -1.0), (second, -1.0, 1.0)] {
        for i in 0..count {
            let t = (i + 1) as f64 / count as f64;
            let angle = 3.0 * PI * t;
            points.push([sign * t * angle.cos(), sign * t * angle.sin()]);
            labels.push(label);
        }
    }
    add_noise(&mut points, noise, rng);
    TwoClasses { points, labels }
}

/// Adds N(0, noise²) to every coordinate.
fn add_noise(points: &mut [[f64; 2]], noise: f64, rng: &mut impl Rng) {
    for p in points {
        p[0] += noise * standard_normal(rng);
        p[1] += noise * standard_normal(rng);
    }
}

/// One draw from N(0, 1) (`rand_distr`'s ziggurat sampler).
pub(super) fn standard_normal(rng: &mut impl Rng) -> f64 {
    rng.sample(rand_distr::StandardNormal)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{SeedableRng, rngs::StdRng};

    fn radius(p: [f64; 2]) -> f64 {
        p[0].hypot(p[1])
    }

    #[test]
    fn circles_split_the_points_and_keep_their_radii() {
        let rings = circles(11, 0.0, 0.5, &mut StdRng::seed_from_u64(0));
        assert_eq!(rings.len(), 11);
        assert_eq!(rings.labels.iter().filter(|&&y| y < 0.0).count(), 5);
        for (&p, &y) in rings.points.iter().zip(&rings.labels) {
            let r = if y < 0.0 { 1.0 } else { 0.5 };
            assert!((radius(p) - r).abs() < 1e-12, "{p:?} is off its circle");
        }
    }

    #[test]
    fn spiral_arms_are_point_reflections_of_each_other() {
        let arms = spirals(10, 0.0, &mut StdRng::seed_from_u64(0));
        for i in 0..5 {
            let (a, b) = (arms.points[i], arms.points[i + 5]);
            assert!((a[0] + b[0]).abs() < 1e-12 && (a[1] + b[1]).abs() < 1e-12);
            assert!((radius(a) - (i + 1) as f64 / 5.0).abs() < 1e-12);
        }
        assert_eq!(arms.labels[..5], [-1.0; 5]);
        assert_eq!(arms.labels[5..], [1.0; 5]);
    }

    #[test]
    fn same_seed_same_points_and_noise_moves_them() {
        let a = spirals(20, 0.1, &mut StdRng::seed_from_u64(3));
        let b = spirals(20, 0.1, &mut StdRng::seed_from_u64(3));
        assert_eq!(a, b);
        let clean = spirals(20, 0.0, &mut StdRng::seed_from_u64(3));
        assert_ne!(a.points, clean.points);
        assert_eq!(a.labels, clean.labels);
        let c = circles(20, 0.1, 0.5, &mut StdRng::seed_from_u64(3));
        assert_eq!(c, circles(20, 0.1, 0.5, &mut StdRng::seed_from_u64(3)));
    }

    #[test]
    fn odd_counts_give_the_extra_point_to_the_second_class() {
        let arms = spirals(7, 0.0, &mut StdRng::seed_from_u64(0));
        assert_eq!(arms.labels.iter().filter(|&&y| y > 0.0).count(), 4);
        let rings = circles(1, 0.0, 0.5, &mut StdRng::seed_from_u64(0));
        assert_eq!(rings.labels, vec![1.0]);
    }
}
