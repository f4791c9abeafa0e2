//! Pairwise summation: the kernels behind every sum, mean and un-broadcast.
//!
//! Adding n numbers one at a time loses up to n·ε of the total (f32: the mean of 1e8 ones
//! comes out 0.168, since 2^24 + 1 rounds back to 2^24). Summing the two halves separately
//! and then adding the results (numpy's and PyTorch's scheme) bounds the error by about
//! log₂(n)·ε. Below [`BLOCK`] elements a block is summed in [`LANES`] independent
//! accumulators: no worse than plain addition over 128 elements, and the compiler turns the
//! lanes into vector adds.

use crate::dtype::Float;

/// Elements summed by the straight loop before the sum splits in two.
const BLOCK: usize = 128;
/// Independent accumulators in a block (one vector register of f32 on AVX2).
const LANES: usize = 8;
/// Rows added one after another before a row sum splits in two.
const ROW_BLOCK: usize = 8;

/// The sum of `xs`, pairwise: error about log₂(n)·ε·Σ|x|.
pub(crate) fn pairwise_sum<T: Float>(xs: &[T]) -> T {
    if xs.len() <= BLOCK {
        return block_sum(xs);
    }
    let (left, right) = xs.split_at(xs.len() / 2);
    pairwise_sum(left) + pairwise_sum(right)
}

/// At most [`BLOCK`] elements in [`LANES`] accumulators, then the lanes pairwise.
fn block_sum<T: Float>(xs: &[T]) -> T {
    let mut lanes = [T::ZERO; LANES];
    let mut chunks = xs.chunks_exact(LANES);
    for chunk in &mut chunks {
        for (lane, &x) in lanes.iter_mut().zip(chunk) {
            *lane += x;
        }
    }
    for (lane, &x) in lanes.iter_mut().zip(chunks.remainder()) {
        *lane += x;
    }
    let mut width = LANES;
    while width > 1 {
        width /= 2;
        for i in 0..width {
            let upper = lanes[i + width];
            lanes[i] += upper;
        }
    }
    lanes[0]
}

/// Scratch for [`sum_rows_with`] over `count` rows: one row per level of right halves, so
/// a whole sum allocates once, not once per split.
fn row_scratch<T: Float>(count: usize, inner: usize) -> Vec<T> {
    let mut levels = 0;
    let mut rows = count;
    while rows > ROW_BLOCK {
        rows -= rows / 2; // the right half, the larger one
        levels += 1;
    }
    vec![T::ZERO; levels * inner]
}

/// `out[j] = Σ_r rows[r·inner + j]`: the sum of `rows.len() / inner` rows of `inner`
/// elements, pairwise over the rows (each row added whole, so the adds are vector adds).
/// `out` has `inner` elements and is overwritten; `scratch` is [`row_scratch`]'s.
fn sum_rows_with<T: Float>(rows: &[T], inner: usize, out: &mut [T], scratch: &mut [T]) {
    debug_assert!(inner > 0 && rows.len().is_multiple_of(inner) && out.len() == inner);
    let count = rows.len() / inner;
    if count <= ROW_BLOCK {
        out.fill(T::ZERO);
        for row in rows.chunks_exact(inner) {
            for (o, &x) in out.iter_mut().zip(row) {
                *o += x;
            }
        }
        return;
    }
    let (left, right) = rows.split_at(count / 2 * inner);
    // the left half is done before the right one needs the scratch, so it may use all of it
    sum_rows_with(left, inner, out, scratch);
    let (rest, deeper) = scratch.split_at_mut(inner);
    sum_rows_with(right, inner, rest, deeper);
    for (o, &r) in out.iter_mut().zip(rest.iter()) {
        *o += r;
    }
}

/// Sums a row-major block of `outer × len × inner` elements over its middle axis into
/// `out`, which holds `outer × inner` zeros.
pub(crate) fn sum_middle_axis<T: Float>(
    data: &[T],
    outer: usize,
    len: usize,
    inner: usize,
    out: &mut [T],
) {
    debug_assert_eq!(out.len(), outer * inner);
    if len == 0 || inner == 0 {
        return;
    }
    let block = len * inner;
    let mut scratch = if inner == 1 {
        Vec::new()
    } else {
        row_scratch(len, inner)
    };
    for (source, target) in data.chunks_exact(block).zip(out.chunks_exact_mut(inner)) {
        if inner == 1 {
            target[0] = pairwise_sum(source);
        } else {
            sum_rows_with(source, inner, target, &mut scratch);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Terms whose running sum a naive f32 loop gets badly wrong.
    fn hard_terms(n: usize) -> Vec<f32> {
        (0..n).map(|i| 0.1 + (i % 7) as f32 * 1e-3).collect()
    }

    fn exact(xs: &[f32]) -> f64 {
        xs.iter().map(|&x| x as f64).sum()
    }

    #[test]
    fn pairwise_error_grows_like_log_n() {
        for n in [0, 1, 7, 8, 9, 127, 128, 129, 1000, 1 << 20, 3_000_001] {
            let xs = hard_terms(n);
            let reference = exact(&xs);
            let got = pairwise_sum(&xs) as f64;
            // (BLOCK/LANES + log2 n) ε Σ|x|, with Σ|x| = the reference here (all terms > 0)
            let bound = (16.0 + (n.max(2) as f64).log2()) * f32::EPSILON as f64 * reference;
            assert!(
                (got - reference).abs() <= bound,
                "n = {n}: {got} vs {reference}"
            );
        }
    }

    #[test]
    fn row_sums_agree_with_pairwise_column_sums() {
        let (count, inner) = (1001, 3);
        let rows: Vec<f32> = (0..count * inner).map(|i| 0.1 + (i % 5) as f32).collect();
        let mut out = vec![f32::NAN; inner];
        sum_middle_axis(&rows, 1, count, inner, &mut out);
        for (j, &o) in out.iter().enumerate() {
            let column: Vec<f32> = rows.iter().skip(j).step_by(inner).copied().collect();
            let reference = exact(&column);
            assert!((o as f64 - reference).abs() <= 20.0 * f32::EPSILON as f64 * reference);
        }
    }

    #[test]
    fn middle_axis_of_empty_blocks_sums_to_zero() {
        let sum = |data: &[f64], outer, len, inner| {
            let mut out = vec![0.0; outer * inner];
            sum_middle_axis(data, outer, len, inner, &mut out);
            out
        };
        assert_eq!(sum(&[], 2, 0, 3), vec![0.0; 6]);
        assert_eq!(sum(&[], 0, 4, 3), Vec::<f64>::new());
        let data = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0];
        assert_eq!(sum(&data, 1, 3, 2), vec![9.0, 12.0]);
        assert_eq!(sum(&data, 2, 3, 1), vec![6.0, 15.0]);
    }
}
