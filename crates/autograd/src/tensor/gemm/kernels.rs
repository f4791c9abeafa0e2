//! The register-blocked micro-kernels: `C[MR × NR] (= or +=) A_panel · B_panel`, for AVX-512
//! and for AVX2 with FMA, in f32 and f64.
//!
//! A kernel keeps the whole `MR × NR` tile of C in registers for the `kc` steps of its panels:
//! per step it loads one row of the B panel (`NR` elements, as `NR / lanes` vectors),
//! broadcasts each of the `MR` elements of the A panel's column and does `MR · NR / lanes`
//! fused multiply-adds. With AVX-512 that is 24 accumulators (12 × 2 vectors), 2 loads and 12
//! broadcasts per 24 FMAs, so the FMA units, not the loads, set the pace (matrixmultiply's
//! 16 × 16 f32 kernel does 17 loads per 16 FMAs: issue 13). AVX2 has 16 registers: 6 × 2
//! vectors, 12 accumulators.
//!
//! The panels are packed by `driver.rs`: the A panel holds, for each step `p`, its `MR`
//! elements `a[i][p]` one after another; the B panel, for each `p`, its `NR` elements
//! `b[p][j]`. Both are padded with zeros to full size. A tile cut by C's edge is not computed
//! into a buffer and copied: each kernel exists for every row count up to `MR` (a const
//! parameter: no work on rows past the edge, as when m = 32 leaves 8 of 12), and stores its
//! columns under a mask (AVX-512 mask registers; AVX2 `vmaskmov` only at the edge).

#![allow(unsafe_code)]

#[cfg(target_arch = "x86_64")]
use std::arch::x86_64::*;

use super::super::isa::Isa;

/// `kernel(kc, a, (b, ldb), c, ldc, accumulate, cols)`: reads `MR · kc` elements at `a` (of
/// which it uses its own row count) and `NR` elements of each of `kc` rows at `b`, `ldb`
/// apart (`NR` when packed); writes (or, with `accumulate`, adds to)
/// `c[i · ldc + j]` for `i` below its row count and `j < cols ≤ NR`, and nothing else.
///
/// # Safety
/// The CPU runs the kernel's instruction set; `a`, `b` and every `c` element named are
/// valid for those reads and writes; with `accumulate`, the `c` elements are initialised.
pub(super) type Kernel<T> =
    unsafe fn(usize, *const T, (*const T, usize), *mut T, usize, bool, usize);

/// One micro-kernel, by row count, and the blocking it is tuned for.
#[derive(Clone, Copy)]
pub(super) struct Micro<T: 'static> {
    /// Rows of a full tile (broadcast side), and of a packed A panel.
    pub(super) mr: usize,
    /// Columns of a tile (vector side).
    pub(super) nr: usize,
    /// Steps of `k` per packed panel: an A panel (`mr × kc`) stays in L1 while the kernel
    /// sweeps the B panels of a block.
    pub(super) kc: usize,
    /// Columns of B per packed block (`kc × nc` in L2: 512 KiB, the smallest L2 among the
    /// CPUs we meet).
    pub(super) nc: usize,
    /// `by_rows[r − 1]` computes `r` rows of a tile, for `r` in `1..=mr`.
    pub(super) by_rows: &'static [Kernel<T>],
    /// The packing's transpose of one `GROUP × GROUP` block (see [`Transpose`]).
    pub(super) transpose: Transpose<T>,
}

/// `transpose(source, source_stride, target, target_stride)`: `target[q · target_stride + l] =
/// source[l · source_stride + q]` for `l, q < GROUP` (8 for f32, 4 for f64: one AVX vector).
///
/// # Safety
/// The CPU runs AVX; every element named is valid to read (`source`) or write (`target`).
pub(super) type Transpose<T> = unsafe fn(*const T, usize, *mut T, usize);

/// The side of a transposed block: the lanes of one AVX vector.
pub(super) const fn group<T>() -> usize {
    32 / std::mem::size_of::<T>()
}

/// An 8 × 8 f32 transpose in AVX registers (unpack, shuffle, swap halves: 24 shuffles for 16
/// memory operations, where the element-by-element copy did 128 scalar moves).
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx")]
unsafe fn transpose_f32(source: *const f32, ss: usize, target: *mut f32, ts: usize) {
    // SAFETY: the caller's contract (`Transpose`): rows 0..8 of 8 elements at `source`,
    // `ss` apart, and of `target`, `ts` apart.
    unsafe {
        let r: [__m256; 8] = std::array::from_fn(|l| _mm256_loadu_ps(source.add(l * ss)));
        let t = [
            _mm256_unpacklo_ps(r[0], r[1]),
            _mm256_unpackhi_ps(r[0], r[1]),
            _mm256_unpacklo_ps(r[2], r[3]),
            _mm256_unpackhi_ps(r[2], r[3]),
            _mm256_unpacklo_ps(r[4], r[5]),
            _mm256_unpackhi_ps(r[4], r[5]),
            _mm256_unpacklo_ps(r[6], r[7]),
            _mm256_unpackhi_ps(r[6], r[7]),
        ];
        let u = [
            _mm256_shuffle_ps::<0x44>(t[0], t[2]),
            _mm256_shuffle_ps::<0xEE>(t[0], t[2]),
            _mm256_shuffle_ps::<0x44>(t[1], t[3]),
            _mm256_shuffle_ps::<0xEE>(t[1], t[3]),
            _mm256_shuffle_ps::<0x44>(t[4], t[6]),
            _mm256_shuffle_ps::<0xEE>(t[4], t[6]),
            _mm256_shuffle_ps::<0x44>(t[5], t[7]),
            _mm256_shuffle_ps::<0xEE>(t[5], t[7]),
        ];
        for q in 0..4 {
            _mm256_storeu_ps(
                target.add(q * ts),
                _mm256_permute2f128_ps::<0x20>(u[q], u[q + 4]),
            );
            _mm256_storeu_ps(
                target.add((q + 4) * ts),
                _mm256_permute2f128_ps::<0x31>(u[q], u[q + 4]),
            );
        }
    }
}

/// A 4 × 4 f64 transpose in AVX registers.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx")]
unsafe fn transpose_f64(source: *const f64, ss: usize, target: *mut f64, ts: usize) {
    // SAFETY: the caller's contract (`Transpose`): rows 0..4 of 4 elements at `source`,
    // `ss` apart, and of `target`, `ts` apart.
    unsafe {
        let r: [__m256d; 4] = std::array::from_fn(|l| _mm256_loadu_pd(source.add(l * ss)));
        let t = [
            _mm256_unpacklo_pd(r[0], r[1]),
            _mm256_unpackhi_pd(r[0], r[1]),
            _mm256_unpacklo_pd(r[2], r[3]),
            _mm256_unpackhi_pd(r[2], r[3]),
        ];
        for q in 0..2 {
            _mm256_storeu_pd(
                target.add(q * ts),
                _mm256_permute2f128_pd::<0x20>(t[q], t[q + 2]),
            );
            _mm256_storeu_pd(
                target.add((q + 2) * ts),
                _mm256_permute2f128_pd::<0x31>(t[q], t[q + 2]),
            );
        }
    }
}

macro_rules! micro_kernel {
    (
        $name:ident, $features:literal, $t:ty, $vector:ty, panel $mr:literal,
        vectors $nv:literal, lanes $lanes:literal,
        $zero:ident, $load:ident, $broadcast:ident, $fmadd:ident, $add:ident,
        $load_part:ident, $store_part:ident
    ) => {
        #[cfg(target_arch = "x86_64")]
        #[target_feature(enable = $features)]
        unsafe fn $name<const ROWS: usize>(
            kc: usize,
            a: *const $t,
            (b, ldb): (*const $t, usize),
            c: *mut $t,
            ldc: usize,
            accumulate: bool,
            cols: usize,
        ) {
            // SAFETY: the caller's contract (`Kernel`): every pointer offset below stays
            // within the panels (`$mr · kc`; `kc` rows of `$nv · $lanes`, `ldb` apart) and the tile's `ROWS × cols`
            // elements of C (`$store_part` and `$load_part` touch only the first `live`
            // lanes of a vector).
            unsafe {
                let mut acc: [[$vector; $nv]; ROWS] = [[$zero(); $nv]; ROWS];
                let (mut a, mut b) = (a, b);
                for _ in 0..kc {
                    let mut row: [$vector; $nv] = [$zero(); $nv];
                    for (v, slot) in row.iter_mut().enumerate() {
                        *slot = $load(b.add(v * $lanes));
                    }
                    for (r, acc_row) in acc.iter_mut().enumerate() {
                        let x = $broadcast(*a.add(r));
                        for (slot, &bv) in acc_row.iter_mut().zip(&row) {
                            *slot = $fmadd(x, bv, *slot);
                        }
                    }
                    a = a.add($mr);
                    // (wrapping: after the last row this may point past B, and is not read)
                    b = b.wrapping_add(ldb);
                }
                for (r, acc_row) in acc.iter().enumerate() {
                    for (v, &sum) in acc_row.iter().enumerate() {
                        let live = cols.saturating_sub(v * $lanes).min($lanes);
                        if live == 0 {
                            // a vector wholly past C's edge: not even its address is formed
                            // (it may lie past C's allocation)
                            continue;
                        }
                        let out = c.add(r * ldc + v * $lanes);
                        let value = if accumulate {
                            $add($load_part(out, live), sum)
                        } else {
                            sum
                        };
                        $store_part(out, value, live);
                    }
                }
            }
        }
    };
}

/// The first `live` lanes (`live ≤ lanes`) at `p`, the rest zero; whole vectors unmasked.
macro_rules! part_access {
    ($features:literal, $t:ty, $vector:ty, lanes $lanes:literal,
     $load_part:ident: $load:ident, $masked_load:expr,
     $store_part:ident: $store:ident, $masked_store:expr) => {
        #[cfg(target_arch = "x86_64")]
        #[target_feature(enable = $features)]
        #[inline]
        unsafe fn $load_part(p: *const $t, live: usize) -> $vector {
            // SAFETY: the caller's: the first `live` lanes at `p` are readable.
            unsafe {
                if live >= $lanes {
                    $load(p)
                } else {
                    ($masked_load)(p, live)
                }
            }
        }

        #[cfg(target_arch = "x86_64")]
        #[target_feature(enable = $features)]
        #[inline]
        unsafe fn $store_part(p: *mut $t, v: $vector, live: usize) {
            // SAFETY: the caller's: the first `live` lanes at `p` are writable.
            unsafe {
                if live >= $lanes {
                    $store(p, v)
                } else {
                    ($masked_store)(p, v, live)
                }
            }
        }
    };
}

part_access!("avx512f", f32, __m512, lanes 16,
    load_f32x16: _mm512_loadu_ps,
    |p, live: usize| _mm512_maskz_loadu_ps(((1u32 << live) - 1) as u16, p),
    store_f32x16: _mm512_storeu_ps,
    |p, v, live: usize| _mm512_mask_storeu_ps(p, ((1u32 << live) - 1) as u16, v));
part_access!("avx512f", f64, __m512d, lanes 8,
    load_f64x8: _mm512_loadu_pd,
    |p, live: usize| _mm512_maskz_loadu_pd(((1u32 << live) - 1) as u8, p),
    store_f64x8: _mm512_storeu_pd,
    |p, v, live: usize| _mm512_mask_storeu_pd(p, ((1u32 << live) - 1) as u8, v));
part_access!("avx2", f32, __m256, lanes 8,
    load_f32x8: _mm256_loadu_ps,
    |p, live: usize| _mm256_maskload_ps(p, lanes_below_i32(live)),
    store_f32x8: _mm256_storeu_ps,
    |p, v, live: usize| _mm256_maskstore_ps(p, lanes_below_i32(live), v));
part_access!("avx2", f64, __m256d, lanes 4,
    load_f64x4: _mm256_loadu_pd,
    |p, live: usize| _mm256_maskload_pd(p, lanes_below_i64(live)),
    store_f64x4: _mm256_storeu_pd,
    |p, v, live: usize| _mm256_maskstore_pd(p, lanes_below_i64(live), v));

/// An AVX2 mask of 8 × 32-bit lanes: all ones in the first `live`.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
#[inline]
fn lanes_below_i32(live: usize) -> __m256i {
    _mm256_cmpgt_epi32(
        _mm256_set1_epi32(live as i32),
        _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7),
    )
}

/// An AVX2 mask of 4 × 64-bit lanes: all ones in the first `live`.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
#[inline]
fn lanes_below_i64(live: usize) -> __m256i {
    _mm256_cmpgt_epi64(
        _mm256_set1_epi64x(live as i64),
        _mm256_setr_epi64x(0, 1, 2, 3),
    )
}

micro_kernel!(avx512_f32, "avx512f,fma", f32, __m512, panel 12, vectors 2, lanes 16,
    _mm512_setzero_ps, _mm512_loadu_ps, _mm512_set1_ps, _mm512_fmadd_ps, _mm512_add_ps,
    load_f32x16, store_f32x16);
micro_kernel!(avx512_f64, "avx512f,fma", f64, __m512d, panel 12, vectors 2, lanes 8,
    _mm512_setzero_pd, _mm512_loadu_pd, _mm512_set1_pd, _mm512_fmadd_pd, _mm512_add_pd,
    load_f64x8, store_f64x8);
micro_kernel!(avx2_f32, "avx2,fma", f32, __m256, panel 6, vectors 2, lanes 8,
    _mm256_setzero_ps, _mm256_loadu_ps, _mm256_set1_ps, _mm256_fmadd_ps, _mm256_add_ps,
    load_f32x8, store_f32x8);
micro_kernel!(avx2_f64, "avx2,fma", f64, __m256d, panel 6, vectors 2, lanes 4,
    _mm256_setzero_pd, _mm256_loadu_pd, _mm256_set1_pd, _mm256_fmadd_pd, _mm256_add_pd,
    load_f64x4, store_f64x4);

#[cfg(target_arch = "x86_64")]
static AVX512_F32: [Kernel<f32>; 12] = [
    avx512_f32::<1>,
    avx512_f32::<2>,
    avx512_f32::<3>,
    avx512_f32::<4>,
    avx512_f32::<5>,
    avx512_f32::<6>,
    avx512_f32::<7>,
    avx512_f32::<8>,
    avx512_f32::<9>,
    avx512_f32::<10>,
    avx512_f32::<11>,
    avx512_f32::<12>,
];
#[cfg(target_arch = "x86_64")]
static AVX512_F64: [Kernel<f64>; 12] = [
    avx512_f64::<1>,
    avx512_f64::<2>,
    avx512_f64::<3>,
    avx512_f64::<4>,
    avx512_f64::<5>,
    avx512_f64::<6>,
    avx512_f64::<7>,
    avx512_f64::<8>,
    avx512_f64::<9>,
    avx512_f64::<10>,
    avx512_f64::<11>,
    avx512_f64::<12>,
];
#[cfg(target_arch = "x86_64")]
static AVX2_F32: [Kernel<f32>; 6] = [
    avx2_f32::<1>,
    avx2_f32::<2>,
    avx2_f32::<3>,
    avx2_f32::<4>,
    avx2_f32::<5>,
    avx2_f32::<6>,
];
#[cfg(target_arch = "x86_64")]
static AVX2_F64: [Kernel<f64>; 6] = [
    avx2_f64::<1>,
    avx2_f64::<2>,
    avx2_f64::<3>,
    avx2_f64::<4>,
    avx2_f64::<5>,
    avx2_f64::<6>,
];

/// The f32 kernel for `isa`, or `None` where none is written (the portable path).
pub(super) fn f32_kernel(isa: Isa) -> Option<Micro<f32>> {
    match isa {
        #[cfg(target_arch = "x86_64")]
        Isa::Avx512 => Some(Micro {
            mr: 12,
            nr: 32,
            kc: 256,
            nc: 512,
            by_rows: &AVX512_F32,
            transpose: transpose_f32,
        }),
        #[cfg(target_arch = "x86_64")]
        Isa::Avx2 => Some(Micro {
            mr: 6,
            nr: 16,
            kc: 256,
            nc: 512,
            by_rows: &AVX2_F32,
            transpose: transpose_f32,
        }),
        _ => None,
    }
}

/// The f64 kernel for `isa`, or `None` where none is written (the portable path).
pub(super) fn f64_kernel(isa: Isa) -> Option<Micro<f64>> {
    match isa {
        #[cfg(target_arch = "x86_64")]
        Isa::Avx512 => Some(Micro {
            mr: 12,
            nr: 16,
            kc: 256,
            nc: 256,
            by_rows: &AVX512_F64,
            transpose: transpose_f64,
        }),
        #[cfg(target_arch = "x86_64")]
        Isa::Avx2 => Some(Micro {
            mr: 6,
            nr: 8,
            kc: 256,
            nc: 256,
            by_rows: &AVX2_F64,
            transpose: transpose_f64,
        }),
        _ => None,
    }
}
