//! One of the crate's two `unsafe` modules (with `vector_math.rs`): calls into
//! `matrixmultiply`'s `sgemm`/`dgemm`.
//!
//! Why: the plain i-k-j loop reaches 9 GFLOP/s at n = 256 in f32; matrixmultiply's packed
//! AVX2/FMA kernels reach about 100-130 GFLOP/s in f32 and 45-60 in f64 on the project's
//! 2-core machine (`benches/tensor.rs`, `docs/PERFORMANCE.md`). Its API takes raw pointers
//! and strides, so the call is `unsafe`.
//!
//! Invariants, checked before each call by [`check`] with checked arithmetic (a violation
//! panics, never reaches the kernel; an offset that would overflow counts as a violation):
//! - every element the kernel reads, `a[i·rsa + p·csa]` for `i < m`, `p < k` (and likewise
//!   for `b` over `k × n`), lies inside its slice;
//! - every element it writes, `c[i·n + j]`, lies inside `c`, which is row-major `m × n`;
//! - `c` does not overlap `a` or `b`: guaranteed by the borrow checker (`&mut` vs `&`);
//! - `c` need not be initialised: with β = 0 the kernel writes every element of it and reads
//!   none (matrixmultiply: "if β is zero, then C does not need to be initialized"; with
//!   k = 0 it writes zeros), so [`batched`] hands it an output buffer's spare capacity and
//!   sets the length after, instead of zeroing memory the kernel then overwrites.
//!
//! Strides are in elements and non-negative, so a transposed operand is the same slice read
//! with its strides swapped: no copy.

#![allow(unsafe_code)]

use std::mem::MaybeUninit;
use std::ops::Range;

use crate::dtype::{ByDtype, Float};
use crate::tensor::families::{Slices, UninitSlicesMut};

/// A matrix operand: its elements and the strides of its rows and columns.
#[derive(Clone, Copy)]
pub(crate) struct Operand<'a, T> {
    pub(crate) data: &'a [T],
    pub(crate) row_stride: usize,
    pub(crate) col_stride: usize,
}

impl<'a, T> Operand<'a, T> {
    pub(crate) fn new(data: &'a [T], [row_stride, col_stride]: [usize; 2]) -> Self {
        Operand {
            data,
            row_stride,
            col_stride,
        }
    }
}

/// Panics unless every element of a `rows × cols` operand lies inside its slice, and every
/// stride fits in `isize` (the kernel's type). Checked arithmetic: an offset that would
/// overflow `usize` is an overrun, never a wrap.
fn check<T>(name: &str, operand: &Operand<'_, T>, rows: usize, cols: usize) {
    if rows == 0 || cols == 0 {
        return;
    }
    let last = (rows - 1)
        .checked_mul(operand.row_stride)
        .zip((cols - 1).checked_mul(operand.col_stride))
        .and_then(|(r, c)| r.checked_add(c));
    let fits_isize =
        isize::try_from(operand.row_stride).is_ok() && isize::try_from(operand.col_stride).is_ok();
    assert!(
        fits_isize && last.is_some_and(|last| last < operand.data.len()),
        "gemm: operand {name} ({rows} × {cols}, strides {}, {}) overruns its {} elements",
        operand.row_stride,
        operand.col_stride,
        operand.data.len()
    );
}

macro_rules! checked_gemm {
    ($name:ident, $t:ty, $kernel:path) => {
        /// `c = a · b` for an `m × k` operand `a`, a `k × n` operand `b` and a row-major
        /// `m × n` output `c`, every element of which is written (it need not be
        /// initialised).
        pub(crate) fn $name(
            m: usize,
            k: usize,
            n: usize,
            a: Operand<'_, $t>,
            b: Operand<'_, $t>,
            c: &mut [MaybeUninit<$t>],
        ) {
            check("a", &a, m, k);
            check("b", &b, k, n);
            assert!(
                m.checked_mul(n).is_some_and(|mn| c.len() >= mn) && isize::try_from(n).is_ok(),
                "gemm: output holds {} < {m} × {n}",
                c.len()
            );
            if m == 0 || n == 0 {
                return;
            }
            // Checked above: every stride fits.
            let stride = |s: usize| s as isize;
            // SAFETY: `check` proved every element read from `a` and `b` in bounds and the
            // assert every element written to `c`; `c` is borrowed mutably, so it overlaps
            // neither input. With beta = 0 the kernel reads nothing of `c` (it may be
            // uninitialised) and writes all of it (with k = 0, zeros).
            unsafe {
                $kernel(
                    m,
                    k,
                    n,
                    1.0,
                    a.data.as_ptr(),
                    stride(a.row_stride),
                    stride(a.col_stride),
                    b.data.as_ptr(),
                    stride(b.row_stride),
                    stride(b.col_stride),
                    0.0,
                    c.as_mut_ptr().cast::<$t>(),
                    stride(n),
                    1,
                );
            }
        }
    };
}

checked_gemm!(sgemm, f32, matrixmultiply::sgemm);
checked_gemm!(dgemm, f64, matrixmultiply::dgemm);

/// `c = a · b` with the kernel of `F`: `a` is `m × k` read with strides `[row, column]`, `b`
/// is `k × n`, `c` is row-major `m × n`, all of it written. The dtype is picked through the
/// seam of `dtype/mod.rs`, resolved at compile time.
fn gemm<F: Float>(
    [m, k, n]: [usize; 3],
    a: &[F],
    a_strides: [usize; 2],
    b: &[F],
    b_strides: [usize; 2],
    c: &mut [MaybeUninit<F>],
) {
    match (
        F::split::<Slices<'_>>(a),
        F::split::<Slices<'_>>(b),
        F::split::<UninitSlicesMut<'_>>(c),
    ) {
        (ByDtype::F32(a), ByDtype::F32(b), ByDtype::F32(c)) => sgemm(
            m,
            k,
            n,
            Operand::new(a, a_strides),
            Operand::new(b, b_strides),
            c,
        ),
        (ByDtype::F64(a), ByDtype::F64(b), ByDtype::F64(c)) => dgemm(
            m,
            k,
            n,
            Operand::new(a, a_strides),
            Operand::new(b, b_strides),
            c,
        ),
        _ => unreachable!("the three operands have one element type"),
    }
}

/// One product `a[block.0] · b[block.1]` (each `m × k` by `k × n`, read with the strides
/// given) per block, one after another in `out`, which must be empty with room for
/// `count` of them: written once by the kernel, never zeroed first. Panics if `out` is not
/// empty or too small, or if `blocks` does not give `count` blocks.
pub(crate) fn batched<F: Float>(
    [m, k, n]: [usize; 3],
    (a, a_strides): (&[F], [usize; 2]),
    (b, b_strides): (&[F], [usize; 2]),
    count: usize,
    blocks: impl IntoIterator<Item = (Range<usize>, Range<usize>)>,
    mut out: Vec<F>,
) -> Vec<F> {
    let size = m
        .checked_mul(n)
        .expect("the caller checked the output's size");
    let total = size
        .checked_mul(count)
        .expect("the caller checked the output's size");
    assert!(
        out.is_empty() && out.capacity() >= total,
        "gemm: an output of {} with room for {} cannot take {total} elements",
        out.len(),
        out.capacity()
    );
    let spare = &mut out.spare_capacity_mut()[..total];
    let mut written = 0;
    for (c, (ra, rb)) in spare.chunks_exact_mut(size.max(1)).zip(blocks) {
        gemm([m, k, n], &a[ra], a_strides, &b[rb], b_strides, c);
        written += c.len();
    }
    // (the count checks the split: exactly one kernel call per chunk, no chunk left over
    // when `blocks` runs short)
    assert_eq!(written, total, "gemm: every output element is written");
    // SAFETY: the first `total` elements are written: for size 0, total is 0; otherwise the
    // `total = size · count` spare elements split into exactly `count` chunks of `size`,
    // and each chunk was handed to one kernel call (beta = 0, m, n > 0), which writes all
    // of it.
    unsafe { out.set_len(total) };
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transposed_operands_through_strides() {
        // a = [[1, 2], [3, 4]] stored row-major; read as aᵀ by swapping strides
        let a = [1.0, 2.0, 3.0, 4.0];
        let eye = [1.0, 0.0, 0.0, 1.0];
        let mut c = [MaybeUninit::new(f64::NAN); 4];
        let at = Operand {
            data: &a,
            row_stride: 1,
            col_stride: 2,
        };
        let id = Operand {
            data: &eye,
            row_stride: 2,
            col_stride: 1,
        };
        dgemm(2, 2, 2, at, id, &mut c);
        // SAFETY (test): dgemm wrote all four (the NaNs it would have read are gone)
        let c = c.map(|x| unsafe { x.assume_init() });
        assert_eq!(c, [1.0, 3.0, 2.0, 4.0]);
    }

    #[test]
    fn a_batched_product_writes_every_element_and_reads_none() {
        // k = 0: the products are zeros, written over a buffer that held NaN
        let mut poisoned = vec![f32::NAN; 6];
        poisoned.clear();
        let zeros = batched::<f32>(
            [2, 0, 3],
            (&[], [0, 1]),
            (&[], [3, 1]),
            1,
            [(0..0, 0..0)],
            poisoned,
        );
        assert_eq!(zeros, vec![0.0; 6]);
        // two blocks of [1, 2] · [2, 1]
        let a = [1.0, 2.0, 3.0, 4.0];
        let b = [10.0, 1.0];
        let blocks = [(0..2, 0..2), (2..4, 0..2)];
        let c = batched::<f64>(
            [1, 2, 1],
            (&a, [2, 1]),
            (&b, [1, 1]),
            2,
            blocks.clone(),
            Vec::with_capacity(2),
        );
        assert_eq!(c, vec![12.0, 34.0]);
        // empty products need no room
        assert!(
            batched::<f64>([0, 2, 5], (&a, [2, 1]), (&b, [1, 1]), 2, blocks, Vec::new()).is_empty()
        );
    }

    #[test]
    #[should_panic(expected = "cannot take")]
    fn an_output_without_room_is_refused_before_the_kernel() {
        let a = [1.0f32; 4];
        batched::<f32>(
            [2, 2, 1],
            (&a, [2, 1]),
            (&a, [1, 1]),
            1,
            [(0..4, 0..2)],
            Vec::new(),
        );
    }

    #[test]
    #[should_panic(expected = "overruns")]
    fn an_operand_too_short_is_refused_before_the_kernel() {
        let a = [1.0f32; 3];
        let mut c = [MaybeUninit::new(0.0f32); 4];
        let op = Operand {
            data: &a,
            row_stride: 2,
            col_stride: 1,
        };
        sgemm(2, 2, 2, op, op, &mut c);
    }
}
