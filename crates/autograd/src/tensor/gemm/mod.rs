//! Matrix products: `c = a · b` over strided operands, on our micro-kernels where the CPU
//! has AVX-512 or AVX2 with FMA (`kernels.rs`, blocked and packed by `driver.rs`), on
//! matrixmultiply's elsewhere, split over the thread pool (`threads.rs`) when large enough.
//!
//! With `unsafe` in `kernels.rs`, `driver.rs` and `vector_math/`, this is one of the
//! crate's unsafe places: the kernels take raw pointers. Invariants, checked here before any
//! kernel runs, by [`check`] with checked arithmetic (a violation panics, never reaches a
//! kernel; an offset that would overflow counts as a violation):
//! - every element read, `a[i·rsa + p·csa]` for `i < m`, `p < k` (and likewise for `b` over
//!   `k × n`), lies inside its slice;
//! - every element written, `c[i·n + j]`, lies inside `c`, which is row-major `m × n`;
//! - `c` does not overlap `a` or `b`: guaranteed by the borrow checker (`&mut` vs `&`);
//! - threads write disjoint rectangles of `c` ([`Split`]) and are joined before it is
//!   returned;
//! - `c` need not be initialised: every element is written before any is read (the first
//!   block of `k` stores, later ones add; `k = 0` writes zeros; matrixmultiply with β = 0
//!   likewise), so [`batched`] hands it an output buffer's spare capacity and sets the
//!   length after, instead of zeroing memory the kernel then overwrites.
//!
//! Strides are in elements and non-negative, so a transposed operand is the same slice read
//! with its strides swapped: no copy.

#![allow(unsafe_code)]

mod driver;
mod kernels;

use std::mem::MaybeUninit;
use std::ops::Range;

use self::driver::{Out, Packable};
use self::kernels::Micro;
use super::isa::{Isa, detected};
use crate::dtype::{ByDtype, Float};
use crate::tensor::families::{Slices, UninitSlicesMut};
use crate::threads;

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

    /// The operand from row `i` and column `j` on (in bounds: `check` passed and the
    /// caller's `i`, `j` are below the operand's rows and columns).
    fn from(self, i: usize, j: usize) -> Self {
        Operand {
            data: &self.data[i * self.row_stride + j * self.col_stride..],
            ..self
        }
    }
}

/// Panics unless every element of a `rows × cols` operand lies inside its slice, and every
/// stride fits in `isize` (matrixmultiply's type). Checked arithmetic: an offset that would
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

/// matrixmultiply's `sgemm` / `dgemm`: `(m, k, n, α, a, rsa, csa, b, rsb, csb, β, c, rsc,
/// csc)`.
type Portable<T> = unsafe fn(
    usize,
    usize,
    usize,
    T,
    *const T,
    isize,
    isize,
    *const T,
    isize,
    isize,
    T,
    *mut T,
    isize,
    isize,
);

/// What computes a product: one of our micro-kernels, or matrixmultiply's on CPUs without one.
#[derive(Clone, Copy)]
enum Engine<T: 'static> {
    Micro(Micro<T>),
    Portable(Portable<T>),
}

/// Multiply-adds per part below which a product is not split across threads (about 10 µs
/// of one core's work: waking a worker costs a few).
const GRAIN: usize = 1 << 19;

/// How a product is cut between threads: along `n` (each part packs all of A and its own
/// columns of B) when A is the smaller operand, else along `m`; in whole tiles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Split {
    along_n: bool,
    /// elements of the split dimension per unit (a tile's rows or columns)
    unit: usize,
    units: usize,
    parts: usize,
}

impl Split {
    /// The split for `threads` threads, none of whose parts has fewer than `grain`
    /// multiply-adds (unless there is only one).
    fn plan([m, k, n]: [usize; 3], tile: [usize; 2], threads: usize, grain: usize) -> Split {
        let along_n = m < n;
        let (extent, unit) = if along_n { (n, tile[1]) } else { (m, tile[0]) };
        let units = extent.div_ceil(unit);
        let work = m.saturating_mul(n).saturating_mul(k);
        let parts = (work / grain.max(1)).clamp(1, threads).min(units.max(1));
        Split {
            along_n,
            unit,
            units,
            parts,
        }
    }

    /// Part `t`'s range of the split dimension, of `extent` elements.
    fn range(&self, t: usize, extent: usize) -> Range<usize> {
        let edge = |t: usize| (t * self.units / self.parts * self.unit).min(extent);
        edge(t)..edge(t + 1)
    }
}

/// `c = a · b` for an `m × k` operand `a`, a `k × n` operand `b` and a row-major `m × n`
/// output `c`, every element of which is written (it need not be initialised), by `engine`
/// on up to `threads` threads, in parts of at least `grain` multiply-adds.
fn product<T: Packable>(
    engine: Engine<T>,
    (threads, grain): (usize, usize),
    [m, k, n]: [usize; 3],
    a: Operand<'_, T>,
    b: Operand<'_, T>,
    c: &mut [MaybeUninit<T>],
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
    let tile = match engine {
        Engine::Micro(micro) => [micro.mr, micro.nr],
        Engine::Portable(_) => [16, 16],
    };
    let split = Split::plan([m, k, n], tile, threads, grain);
    let out = Out {
        ptr: c.as_mut_ptr().cast::<T>(),
        ldc: n,
    };
    threads::run_parts(split.parts, |t| {
        let (rows, cols) = if split.along_n {
            (0..m, split.range(t, n))
        } else {
            (split.range(t, m), 0..n)
        };
        if rows.is_empty() || cols.is_empty() {
            return;
        }
        let shape = [rows.len(), k, cols.len()];
        let (a, b) = (a.from(rows.start, 0), b.from(0, cols.start));
        let c = out.at(rows.start, cols.start);
        match engine {
            // SAFETY: the engine is one this CPU runs (`engine_for`); the part's rectangle
            // of `c` is inside it (the assert above) and no other part's (`Split::range`
            // cuts one dimension into disjoint ranges); the operands' reads are in bounds
            // (`check`, and the sub-operands start inside them).
            Engine::Micro(micro) => unsafe { driver::product(&micro, shape, a, b, c) },
            Engine::Portable(kernel) => {
                // Checked above: every stride and n fit in isize.
                let stride = |s: usize| s as isize;
                // SAFETY: as above; with beta = 0 matrixmultiply reads nothing of `c` and
                // writes all of the part's rectangle (with k = 0, zeros).
                unsafe {
                    kernel(
                        shape[0],
                        k,
                        shape[2],
                        T::ONE,
                        a.data.as_ptr(),
                        stride(a.row_stride),
                        stride(a.col_stride),
                        b.data.as_ptr(),
                        stride(b.row_stride),
                        stride(b.col_stride),
                        T::ZERO,
                        c.ptr,
                        stride(n),
                        1,
                    )
                }
            }
        }
    });
}

/// The f32 engine for `isa` (which this CPU must run).
fn f32_engine(isa: Isa) -> Engine<f32> {
    kernels::f32_kernel(isa).map_or(Engine::Portable(matrixmultiply::sgemm), Engine::Micro)
}

/// The f64 engine for `isa` (which this CPU must run).
fn f64_engine(isa: Isa) -> Engine<f64> {
    kernels::f64_kernel(isa).map_or(Engine::Portable(matrixmultiply::dgemm), Engine::Micro)
}

/// `c = a · b` with the kernel of `F`: `a` is `m × k` read with strides `[row, column]`, `b`
/// is `k × n`, `c` is row-major `m × n`, all of it written. The dtype is picked through the
/// seam of `dtype/mod.rs`, resolved at compile time.
fn gemm<F: Float>(
    shape: [usize; 3],
    a: &[F],
    a_strides: [usize; 2],
    b: &[F],
    b_strides: [usize; 2],
    c: &mut [MaybeUninit<F>],
) {
    let threads = threads::num_threads();
    match (
        F::split::<Slices<'_>>(a),
        F::split::<Slices<'_>>(b),
        F::split::<UninitSlicesMut<'_>>(c),
    ) {
        (ByDtype::F32(a), ByDtype::F32(b), ByDtype::F32(c)) => product(
            f32_engine(detected()),
            (threads, GRAIN),
            shape,
            Operand::new(a, a_strides),
            Operand::new(b, b_strides),
            c,
        ),
        (ByDtype::F64(a), ByDtype::F64(b), ByDtype::F64(c)) => product(
            f64_engine(detected()),
            (threads, GRAIN),
            shape,
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
        product(
            f64_engine(detected()),
            (1, GRAIN),
            [2, 2, 2],
            at,
            id,
            &mut c,
        );
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
        product(
            f32_engine(detected()),
            (1, GRAIN),
            [2, 2, 2],
            op,
            op,
            &mut c,
        );
    }

    /// How an operand is laid out in memory.
    #[derive(Debug, Clone, Copy)]
    enum Layout {
        RowMajor,
        Transposed,
        /// both strides above 1, rows padded
        Strided,
    }

    /// A `rows × cols` operand of `layout` with element (i, j) = value(i, j), and its strides.
    fn operand(
        rows: usize,
        cols: usize,
        layout: Layout,
        value: impl Fn(usize, usize) -> f64,
    ) -> (Vec<f64>, [usize; 2]) {
        let strides = match layout {
            Layout::RowMajor => [cols, 1],
            Layout::Transposed => [1, rows],
            Layout::Strided => [2 * cols + 3, 2],
        };
        let len = rows * strides[0] + cols * strides[1] + 1;
        let mut data = vec![f64::NAN; len];
        for i in 0..rows {
            for j in 0..cols {
                data[i * strides[0] + j * strides[1]] = value(i, j);
            }
        }
        (data, strides)
    }

    /// Every engine this CPU runs, as (name, f32 engine, f64 engine).
    fn engines() -> Vec<(String, Engine<f32>, Engine<f64>)> {
        let mut all: Vec<_> = crate::tensor::isa::available()
            .into_iter()
            .map(|isa| (format!("{isa:?}"), f32_engine(isa), f64_engine(isa)))
            .collect();
        all.push((
            "matrixmultiply".into(),
            Engine::Portable(matrixmultiply::sgemm),
            Engine::Portable(matrixmultiply::dgemm),
        ));
        all
    }

    /// Checks `a · b` of every engine, in f32 and f64, on `threads` threads (split however
    /// small), against the
    /// naive triple loop in f64: small whole numbers, so every product is exact in f64 and
    /// in f32 (below 2²⁴).
    fn agrees([m, k, n]: [usize; 3], layouts: (Layout, Layout), threads: usize) {
        let va = |i: usize, p: usize| ((i * 7 + p * 3) % 11) as f64 - 5.0;
        let vb = |p: usize, j: usize| ((p * 5 + j * 2) % 9) as f64 - 4.0;
        let (a, sa) = operand(m, k, layouts.0, va);
        let (b, sb) = operand(k, n, layouts.1, vb);
        let expected: Vec<f64> = (0..m * n)
            .map(|ij| (0..k).map(|p| va(ij / n, p) * vb(p, ij % n)).sum())
            .collect();
        let (a32, b32): (Vec<f32>, Vec<f32>) = (
            a.iter().map(|&x| x as f32).collect(),
            b.iter().map(|&x| x as f32).collect(),
        );
        for (name, e32, e64) in engines() {
            let mut c64 = vec![MaybeUninit::new(f64::NAN); m * n];
            let mut c32 = vec![MaybeUninit::new(f32::NAN); m * n];
            product(
                e64,
                (threads, 1),
                [m, k, n],
                Operand::new(&a, sa),
                Operand::new(&b, sb),
                &mut c64,
            );
            product(
                e32,
                (threads, 1),
                [m, k, n],
                Operand::new(&a32, sa),
                Operand::new(&b32, sb),
                &mut c32,
            );
            // SAFETY (test): the product wrote every element (a NaN left would fail below)
            let c64: Vec<f64> = c64
                .into_iter()
                .map(|x| unsafe { x.assume_init() })
                .collect();
            let c32: Vec<f64> = c32
                .into_iter()
                .map(|x| unsafe { x.assume_init() } as f64)
                .collect();
            let context = format!("{name}, [{m}, {k}, {n}], {layouts:?}, {threads} threads");
            assert_eq!(c64, expected, "f64: {context}");
            assert_eq!(c32, expected, "f32: {context}");
        }
    }

    #[test]
    fn every_engine_agrees_with_the_naive_loop_on_edges_and_blocks() {
        use Layout::*;
        // 1×1, k = 0, one row, one column, odd sizes around the tiles (12×32, 6×16, 12×16,
        // 6×8); k past a block of 256 (later blocks add); n past a block of 512 columns;
        // m past the 4096 rows packed at once
        let shapes = [
            [1, 1, 1],
            [3, 0, 5],
            [1, 7, 1],
            [1, 300, 37],
            [13, 5, 33],
            [12, 17, 32],
            [25, 257, 17],
            [7, 3, 1030],
            [4099, 2, 3],
            [65, 64, 129],
        ];
        for shape in shapes {
            for layouts in [
                (RowMajor, RowMajor),
                (Transposed, Transposed),
                (Strided, RowMajor),
            ] {
                for threads in [1, 2, 3] {
                    agrees(shape, layouts, threads);
                }
            }
        }
    }

    #[test]
    fn rows_past_a_block_of_a_are_not_touched_by_its_padded_panel() {
        // 4100 rows: the first block of 4096 ends in a panel of 4 real rows (mr = 12 or 6)
        // whose padding once covered rows 4096.. of the next block, adding 0 · ∞ = NaN to
        // them in the second block of k (k = 300 > 256)
        let [m, k, n] = [4100, 300, 3];
        let a = vec![1.0f64; m * k];
        let mut b = vec![1.0f64; k * n];
        b[(k - 1) * n] = f64::INFINITY;
        for (name, _, engine) in engines() {
            for threads in [1, 2] {
                let mut c = vec![MaybeUninit::new(0.0); m * n];
                product(
                    engine,
                    (threads, GRAIN),
                    [m, k, n],
                    Operand::new(&a, [k, 1]),
                    Operand::new(&b, [n, 1]),
                    &mut c,
                );
                for i in 0..m {
                    // SAFETY (test): the product wrote every element
                    let row: Vec<f64> = (0..n)
                        .map(|j| unsafe { c[i * n + j].assume_init() })
                        .collect();
                    assert_eq!(row, [f64::INFINITY, 300.0, 300.0], "{name}, row {i}");
                }
            }
        }
    }

    #[test]
    fn the_split_cuts_whole_tiles_into_disjoint_covering_ranges() {
        for (shape, threads) in [([32, 784, 512], 2), ([784, 128, 512], 3), ([5, 5, 5], 8)] {
            let split = Split::plan(shape, [12, 32], threads, 1);
            let extent = if split.along_n { shape[2] } else { shape[0] };
            let ranges: Vec<_> = (0..split.parts).map(|t| split.range(t, extent)).collect();
            assert_eq!(ranges[0].start, 0);
            assert_eq!(ranges.last().unwrap().end, extent);
            for pair in ranges.windows(2) {
                assert_eq!(pair[0].end, pair[1].start);
                assert_eq!(pair[0].end % split.unit, 0);
            }
        }
        // tiny products stay on one thread; skinny ones split along n
        assert_eq!(Split::plan([5, 5, 5], [12, 32], 8, GRAIN).parts, 1);
        assert!(Split::plan([32, 784, 512], [12, 32], 2, GRAIN).along_n);
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(48))]
        #[test]
        fn random_shapes_layouts_and_threads(
            m in 1usize..40,
            k in 0usize..40,
            n in 1usize..70,
            la in 0usize..3,
            lb in 0usize..3,
            threads in 1usize..4,
        ) {
            let layout = |i| [Layout::RowMajor, Layout::Transposed, Layout::Strided][i];
            agrees([m, k, n], (layout(la), layout(lb)), threads);
        }
    }
}
