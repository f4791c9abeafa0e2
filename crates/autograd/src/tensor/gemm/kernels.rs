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
//! `b[p][j]`. Both are padded with zeros to full size, so a kernel never branches on edges.

#![allow(unsafe_code)]

use super::super::isa::Isa;

/// One micro-kernel and the blocking it is tuned for.
#[derive(Clone, Copy)]
pub(super) struct Micro<T> {
    /// Rows of the tile (broadcast side).
    pub(super) mr: usize,
    /// Columns of the tile (vector side).
    pub(super) nr: usize,
    /// Steps of `k` per packed panel: an A panel (`mr × kc`) stays in L1 while the kernel
    /// sweeps the B panels of a block.
    pub(super) kc: usize,
    /// Columns of B per packed block (`kc × nc` in L2: 512 KiB, the smallest L2 among the
    /// CPUs we meet).
    pub(super) nc: usize,
    /// `kernel(kc, a, b, c, ldc, accumulate)`: reads `mr · kc` elements at `a` and `nr · kc`
    /// at `b`; writes (or, with `accumulate`, adds to) `c[i · ldc + j]` for `i < mr`,
    /// `j < nr`.
    ///
    /// # Safety
    /// The CPU runs the kernel's instruction set; `a`, `b` and every `c` element named are
    /// valid for those reads and writes; with `accumulate`, the `c` elements are initialised.
    pub(super) kernel: unsafe fn(usize, *const T, *const T, *mut T, usize, bool),
}

/// The largest tile any kernel has, in elements: room for an edge tile.
pub(super) const MAX_TILE: usize = 12 * 32;

macro_rules! micro_kernel {
    (
        $name:ident, $features:literal, $t:ty, $vector:ty, rows $mr:literal,
        vectors $nv:literal, lanes $lanes:literal,
        $zero:ident, $load:ident, $store:ident, $broadcast:ident, $fmadd:ident, $add:ident
    ) => {
        #[cfg(target_arch = "x86_64")]
        #[target_feature(enable = $features)]
        unsafe fn $name(
            kc: usize,
            a: *const $t,
            b: *const $t,
            c: *mut $t,
            ldc: usize,
            accumulate: bool,
        ) {
            use std::arch::x86_64::*;
            // SAFETY: the caller's contract (`Micro::kernel`): every pointer offset below
            // stays within the panels (`$mr · kc`, `$nr · kc`) and the tile of C.
            unsafe {
                let mut acc: [[$vector; $nv]; $mr] = [[$zero(); $nv]; $mr];
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
                    b = b.add($nv * $lanes);
                }
                for (r, acc_row) in acc.iter().enumerate() {
                    for (v, &sum) in acc_row.iter().enumerate() {
                        let out = c.add(r * ldc + v * $lanes);
                        let value = if accumulate {
                            $add($load(out), sum)
                        } else {
                            sum
                        };
                        $store(out, value);
                    }
                }
            }
        }
    };
}

micro_kernel!(avx512_f32, "avx512f,fma", f32, __m512, rows 12, vectors 2, lanes 16,
    _mm512_setzero_ps, _mm512_loadu_ps, _mm512_storeu_ps, _mm512_set1_ps, _mm512_fmadd_ps,
    _mm512_add_ps);
micro_kernel!(avx512_f64, "avx512f,fma", f64, __m512d, rows 12, vectors 2, lanes 8,
    _mm512_setzero_pd, _mm512_loadu_pd, _mm512_storeu_pd, _mm512_set1_pd, _mm512_fmadd_pd,
    _mm512_add_pd);
micro_kernel!(avx2_f32, "avx2,fma", f32, __m256, rows 6, vectors 2, lanes 8,
    _mm256_setzero_ps, _mm256_loadu_ps, _mm256_storeu_ps, _mm256_set1_ps, _mm256_fmadd_ps,
    _mm256_add_ps);
micro_kernel!(avx2_f64, "avx2,fma", f64, __m256d, rows 6, vectors 2, lanes 4,
    _mm256_setzero_pd, _mm256_loadu_pd, _mm256_storeu_pd, _mm256_set1_pd, _mm256_fmadd_pd,
    _mm256_add_pd);

/// The f32 kernel for `isa`, or `None` where none is written (the portable path).
pub(super) fn f32_kernel(isa: Isa) -> Option<Micro<f32>> {
    match isa {
        #[cfg(target_arch = "x86_64")]
        Isa::Avx512 => Some(Micro {
            mr: 12,
            nr: 32,
            kc: 256,
            nc: 512,
            kernel: avx512_f32,
        }),
        #[cfg(target_arch = "x86_64")]
        Isa::Avx2 => Some(Micro {
            mr: 6,
            nr: 16,
            kc: 256,
            nc: 512,
            kernel: avx2_f32,
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
            kernel: avx512_f64,
        }),
        #[cfg(target_arch = "x86_64")]
        Isa::Avx2 => Some(Micro {
            mr: 6,
            nr: 8,
            kc: 256,
            nc: 256,
            kernel: avx2_f64,
        }),
        _ => None,
    }
}
