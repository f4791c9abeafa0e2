//! Losses (divergences) between a network's output and the desired output.

use autograd::Real;

/// The max-margin (hinge) loss of a score `s` for a label `d ∈ {-1, +1}`:
/// `Div(s, d) = max(0, 1 - d·s)`.
///
/// Zero once the score has the right sign with a margin of at least 1; otherwise it grows
/// linearly. Its derivative is `-d` inside the margin and 0 outside (0 on the hinge itself,
/// by `relu'(0) = 0`).
///
/// ```
/// use nn::losses::hinge;
///
/// assert_eq!(hinge(2.0, 1.0), 0.0); // right side, outside the margin
/// assert_eq!(hinge(0.25, 1.0), 0.75); // right side, inside the margin
/// assert_eq!(hinge(0.5, -1.0), 1.5); // wrong side
/// ```
pub fn hinge<R: Real>(score: R, label: f64) -> R {
    score.affine(-label, 1.0).relu()
}

/// The empirical risk under the hinge loss: `(1/N) Σᵢ max(0, 1 - dᵢ sᵢ)` over scores `sᵢ`
/// and labels `dᵢ ∈ {-1, +1}` (micrograd's demo loss, before regularisation).
///
/// # Panics
/// If `scores` is empty or the lengths differ.
///
/// ```
/// use nn::losses::mean_hinge;
///
/// // one right with margin (0), one inside the margin (0.5), one wrong (1.5)
/// assert_eq!(mean_hinge(&[2.0, 0.5, 0.5], &[1.0, 1.0, -1.0]), (0.0 + 0.5 + 1.5) / 3.0);
/// ```
#[track_caller]
pub fn mean_hinge<R: Real>(scores: &[R], labels: &[f64]) -> R {
    assert_eq!(
        scores.len(),
        labels.len(),
        "mean_hinge: {} scores but {} labels",
        scores.len(),
        labels.len()
    );
    let mut terms = scores.iter().zip(labels).map(|(s, &d)| hinge(s.clone(), d));
    let first = terms.next().expect("mean_hinge: no scores given");
    terms.fold(first, |sum, term| sum + term) * (1.0 / scores.len() as f64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use autograd::Tape;

    #[test]
    #[should_panic(expected = "2 scores but 1 labels")]
    fn mismatched_lengths_are_named() {
        let _ = mean_hinge(&[1.0, 2.0], &[1.0]);
    }

    #[test]
    fn hinge_gradient_is_minus_the_label_inside_the_margin() {
        let tape = Tape::new();
        let s = tape.var(0.25);
        // Div = 1 - d·s = 0.75, dDiv/ds = -d = -1
        let loss = hinge(s, 1.0);
        assert_eq!(loss.value(), 0.75);
        assert_eq!(loss.backward().wrt(s), -1.0);
        // outside the margin nothing flows back
        let s = tape.var(3.0);
        assert_eq!(hinge(s, 1.0).backward().wrt(s), 0.0);
    }
}
