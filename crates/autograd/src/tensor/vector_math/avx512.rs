//! The AVX-512 loops, written with intrinsics: the instructions the portable lanes cannot name
//! make each function shorter (issue 13 asked for at least PyTorch's single-thread speed).
//!
//! - `vscalefps` multiplies by 2ⁿ with one rounding, subnormal results and overflow included,
//!   so `exp` needs neither the exponent bits nor the two-halves trick of the portable lane;
//! - `vrndscaleps` rounds to an integer in one instruction;
//! - `vgetexpps` and `vgetmantps` split `x = m · 2^e` (a subnormal too), so `ln` needs no
//!   scaling branch;
//! - `vrcp14ps`, one Newton step and one correction of the quotient (Markstein's) replace the
//!   division (`vdivps` on 16 lanes issues once in about ten cycles);
//! - `tanh` is one formula over the whole range (`tanh16`), with no second polynomial.
//!
//! The polynomials and ranges are those of the portable lanes (`super`), and the error bounds
//! stated there hold here too (the tests check each instruction set on its own); the last bit
//! may differ from the AVX2 loop. In-cache, one thread, this loop is 2-3.5× the AVX2 one.

#![allow(unsafe_code)]

#[cfg(target_arch = "x86_64")]
use std::arch::x86_64::*;
use std::mem::MaybeUninit;

use super::{
    ERF_CENTRE, ERF_CLAMP, ERF_SMALL, EXP_HIGH, EXP_LOW, LN2_HI, LN2_LO, LOG2_E, SQRT_HALF,
    TANH_ONE,
};

/// The sign bit of an `f32`.
const SIGN: i32 = i32::MIN;
/// `vrndscaleps`'s immediate: round to nearest, suppress the inexact exception.
const ROUND_NEAREST: i32 = _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC;

/// Vectors computed side by side in one step of the loop. Each function is one long chain of
/// dependent instructions (about 100 cycles from load to store for `tanh`); one vector at a
/// time, the scheduler fills with waiting instructions before the next vector's can start and
/// the loop runs at the chain's latency, not the ports' throughput. Written op by op across
/// `UNROLL` vectors (`V`), the chains advance together. Measured on 16 Ki floats (in cache,
/// one thread, Xeon with AVX-512, two runs): 1 → 8 vectors a step took `tanh` from 0.80-0.98
/// to 0.48-0.49 ns per element and `exp` from 0.45-0.57 to 0.30 (4 vectors: 0.55-0.59 and
/// 0.35-0.37); eight chains fit the 32 registers with few spills.
const UNROLL: usize = 8;

/// `U` vectors of 16 lanes, advanced one instruction at a time across all of them.
type V<const U: usize> = [__m512; U];

/// `f` of each vector: `U` independent instructions, next to each other in the code.
#[inline(always)]
fn map1<const U: usize>(a: V<U>, f: impl Fn(__m512) -> __m512) -> V<U> {
    let mut out = a;
    for i in 0..U {
        out[i] = f(a[i]);
    }
    out
}

/// `f` of each pair of vectors.
#[inline(always)]
fn map2<const U: usize>(a: V<U>, b: V<U>, f: impl Fn(__m512, __m512) -> __m512) -> V<U> {
    let mut out = a;
    for i in 0..U {
        out[i] = f(a[i], b[i]);
    }
    out
}

/// `f` of each triple of vectors.
#[inline(always)]
fn map3<const U: usize>(
    a: V<U>,
    b: V<U>,
    c: V<U>,
    f: impl Fn(__m512, __m512, __m512) -> __m512,
) -> V<U> {
    let mut out = a;
    for i in 0..U {
        out[i] = f(a[i], b[i], c[i]);
    }
    out
}

macro_rules! loops {
    ($($name:ident: $lane:ident),* $(,)?) => {
        $(
            /// The AVX-512 loop over `x` into `out` (one length, asserted; every slot
            /// written): `UNROLL` vectors a step, then one at a time, then the rest under a
            /// mask.
            ///
            /// # Safety
            /// The CPU must have AVX-512F.
            #[target_feature(enable = "avx512f")]
            pub(super) unsafe fn $name(out: &mut [MaybeUninit<f32>], x: &[f32]) {
                assert_eq!(out.len(), x.len(), "vector_math: one length");
                let (src, dst) = (x.as_ptr(), out.as_mut_ptr().cast::<f32>());
                let mut at = 0;
                while x.len() - at >= 16 * UNROLL {
                    // SAFETY: `at + 16 UNROLL <= x.len() = out.len()`: the floats read and
                    // written are inside both.
                    unsafe {
                        let v: V<UNROLL> =
                            std::array::from_fn(|j| _mm512_loadu_ps(src.add(at + 16 * j)));
                        for (j, y) in $lane(v).into_iter().enumerate() {
                            _mm512_storeu_ps(dst.add(at + 16 * j), y);
                        }
                    }
                    at += 16 * UNROLL;
                }
                while x.len() - at >= 16 {
                    // SAFETY: as above, for one vector
                    unsafe {
                        let [y] = $lane([_mm512_loadu_ps(src.add(at))]);
                        _mm512_storeu_ps(dst.add(at), y);
                    }
                    at += 16;
                }
                if at < x.len() {
                    let mask = ((1u32 << (x.len() - at)) - 1) as __mmask16;
                    // SAFETY: the mask covers the floats left in `x` (and as many in `out`);
                    // masked lanes are neither read nor written.
                    unsafe {
                        let [y] = $lane([_mm512_maskz_loadu_ps(mask, src.add(at))]);
                        _mm512_mask_storeu_ps(dst.add(at), mask, y);
                    }
                }
            }
        )*
    };
}

loops!(exp: exp16, tanh: tanh16, sigmoid: sigmoid16, ln: ln16, erf: erf16);

#[inline]
#[target_feature(enable = "avx512f")]
fn splat(c: f32) -> __m512 {
    _mm512_set1_ps(c)
}

/// `a · b + c` of each vector, for constants `b` and `c`.
#[inline]
#[target_feature(enable = "avx512f")]
fn fma_cc<const U: usize>(a: V<U>, b: f32, c: f32) -> V<U> {
    map1(a, |a| _mm512_fmadd_ps(a, splat(b), splat(c)))
}

/// `e^x` of 16 lanes a vector (the portable `exp_lane`, with `vscalefps` for `2ⁿ`).
#[inline]
#[target_feature(enable = "avx512f")]
fn exp16<const U: usize>(x: V<U>) -> V<U> {
    // (`vmaxps`/`vminps` return their second operand when either is NaN: x goes second)
    let c = map1(x, |x| {
        _mm512_min_ps(splat(EXP_HIGH), _mm512_max_ps(splat(EXP_LOW), x))
    });
    exp16_clamped(c)
}

/// `e^c` for `c` in [`EXP_LOW`, `EXP_HIGH`] or NaN.
#[inline]
#[target_feature(enable = "avx512f")]
fn exp16_clamped<const U: usize>(c: V<U>) -> V<U> {
    let (n, s) = exp_parts(c);
    // (1 + s) · 2ⁿ rounded once: a subnormal result too, ∞ past the top
    map2(s, n, |s, n| {
        _mm512_scalef_ps(_mm512_add_ps(s, splat(1.0)), n)
    })
}

/// `e^c = 2ⁿ (1 + s)`: the integer `n` (as a float) and `s = e^r − 1` for the rest
/// `r = c − n ln 2`, `|r| ≤ ln 2 / 2`.
#[inline]
#[target_feature(enable = "avx512f")]
fn exp_parts<const U: usize>(c: V<U>) -> (V<U>, V<U>) {
    let n = map1(c, |c| {
        _mm512_roundscale_ps::<ROUND_NEAREST>(_mm512_mul_ps(c, splat(LOG2_E)))
    });
    let r = map2(n, c, |n, c| _mm512_fnmadd_ps(n, splat(LN2_HI), c));
    let r = map2(n, r, |n, r| _mm512_fnmadd_ps(n, splat(LN2_LO), r));
    // e^r ≈ 1 + r + r² P(r) (Cephes expf)
    let p = fma_cc(r, 1.987_569_1e-4, 1.398_199_9e-3);
    let p = map2(p, r, |p, r| _mm512_fmadd_ps(p, r, splat(8.333_452e-3)));
    let p = map2(p, r, |p, r| _mm512_fmadd_ps(p, r, splat(4.166_579_6e-2)));
    let p = map2(p, r, |p, r| _mm512_fmadd_ps(p, r, splat(1.666_666_5e-1)));
    let p = map2(p, r, |p, r| _mm512_fmadd_ps(p, r, splat(0.5)));
    let r2 = map1(r, |r| _mm512_mul_ps(r, r));
    (n, map3(p, r2, r, |p, r2, r| _mm512_fmadd_ps(p, r2, r)))
}

/// `n / d` to within about half an ulp: `vrcp14ps` (14 bits) and one Newton step for `1 / d`,
/// the product, then one correction by the product's residual, `(n − d·y) / d` (Markstein).
#[inline]
#[target_feature(enable = "avx512f")]
fn quotient16<const U: usize>(n: V<U>, d: V<U>) -> V<U> {
    let q = map1(d, |d| _mm512_rcp14_ps(d));
    let e = map2(d, q, |d, q| _mm512_fnmadd_ps(d, q, splat(1.0)));
    let q = map2(q, e, |q, e| _mm512_fmadd_ps(q, e, q));
    let y = map2(n, q, |n, q| _mm512_mul_ps(n, q));
    let residual = map3(d, y, n, |d, y, n| _mm512_fnmadd_ps(d, y, n));
    map3(residual, q, y, |r, q, y| _mm512_fmadd_ps(r, q, y))
}

/// `|x|` of each lane.
#[inline]
#[target_feature(enable = "avx512f")]
fn abs16<const U: usize>(x: V<U>) -> V<U> {
    map1(x, |x| _mm512_abs_ps(x))
}

/// `tanh x` of 16 lanes a vector: `u / (u + 2)` for `u = e^{2|x|} − 1`, the sign of `x` put
/// back. One formula for the whole range (the portable lane needs a second polynomial below
/// 0.625, where `1 − 2 / (e^{2|x|} + 1)` cancels): `u` keeps its relative accuracy near 0
/// because `2ⁿ (1 + s) − 1` is formed as `2ⁿ s + (2ⁿ − 1)` in one fused step, exact in
/// `2ⁿ − 1`.
#[inline]
#[target_feature(enable = "avx512f")]
fn tanh16<const U: usize>(x: V<U>) -> V<U> {
    let a = abs16(x);
    // tanh rounds to 1 past TANH_ONE; 2|x| ≥ 0, so only the top clamp (NaN goes second)
    let c = map1(a, |a| {
        _mm512_min_ps(splat(2.0 * TANH_ONE), _mm512_add_ps(a, a))
    });
    let (n, s) = exp_parts(c);
    let two_n = map1(n, |n| _mm512_scalef_ps(splat(1.0), n));
    let u = map2(two_n, s, |t, s| {
        _mm512_fmadd_ps(t, s, _mm512_sub_ps(t, splat(1.0)))
    });
    let d = map1(u, |u| _mm512_add_ps(u, splat(2.0)));
    let magnitude = quotient16(u, d);
    with_sign_of(magnitude, x)
}

/// The sign bit of `x` on `magnitude` (ternary logic: the sign from `x`, the rest from the
/// magnitude), for the odd functions.
#[inline]
#[target_feature(enable = "avx512f")]
fn with_sign_of<const U: usize>(magnitude: V<U>, x: V<U>) -> V<U> {
    map2(magnitude, x, |m, x| {
        _mm512_castsi512_ps(_mm512_ternarylogic_epi32::<0xCA>(
            _mm512_set1_epi32(SIGN),
            _mm512_castps_si512(x),
            _mm512_castps_si512(m),
        ))
    })
}

/// `1 / (1 + e^−x)` of 16 lanes a vector (the portable `sigmoid_lane`).
#[inline]
#[target_feature(enable = "avx512f")]
fn sigmoid16<const U: usize>(x: V<U>) -> V<U> {
    // e^{−|x|} ∈ (0, 1]: −|x| ≤ 0, so only the bottom clamp (NaN goes second)
    // (−|x| by setting the sign bit: one instruction, where `0 − |x|` takes two)
    let e = exp16_clamped(map1(x, |x| {
        let negative = _mm512_or_epi32(_mm512_castps_si512(x), _mm512_set1_epi32(SIGN));
        _mm512_max_ps(splat(EXP_LOW), _mm512_castsi512_ps(negative))
    }));
    let d = map1(e, |e| _mm512_add_ps(e, splat(1.0)));
    // 1 / d for x ≥ 0, e / d below (a NaN compares false and takes e / d, which is NaN)
    let numerator = map2(x, e, |x, e| {
        let nonnegative = _mm512_cmp_ps_mask::<_CMP_GE_OQ>(x, splat(0.0));
        _mm512_mask_blend_ps(nonnegative, e, splat(1.0))
    });
    quotient16(numerator, d)
}

/// `ln x` of 16 lanes a vector (the portable `ln_lane`, with `vgetmantps`/`vgetexpps` for
/// frexp).
#[inline]
#[target_feature(enable = "avx512f")]
fn ln16<const U: usize>(x: V<U>) -> V<U> {
    // x = m · 2^(e + 1) with m in [½, 1): a subnormal x is normalised by the instructions
    let m = map1(x, |x| {
        _mm512_getmant_ps::<_MM_MANT_NORM_P5_1, _MM_MANT_SIGN_ZERO>(x)
    });
    let e = map1(x, |x| _mm512_getexp_ps(x));
    // m in [√½, 1): f = m − 1 and the exponent e + 1; m in [½, √½): f = 2m − 1 and e
    let low: [__mmask16; U] =
        std::array::from_fn(|i| _mm512_cmp_ps_mask::<_CMP_LT_OQ>(m[i], splat(SQRT_HALF)));
    let e: V<U> = std::array::from_fn(|i| {
        _mm512_mask_blend_ps(low[i], _mm512_add_ps(e[i], splat(1.0)), e[i])
    });
    let f: V<U> = std::array::from_fn(|i| {
        let doubled = _mm512_add_ps(m[i], m[i]);
        _mm512_sub_ps(_mm512_mask_blend_ps(low[i], m[i], doubled), splat(1.0))
    });
    let p = fma_cc(f, 7.037_683_6e-2, -1.151_461e-1);
    let p = map2(p, f, |p, f| _mm512_fmadd_ps(p, f, splat(1.167_699_9e-1)));
    let p = map2(p, f, |p, f| _mm512_fmadd_ps(p, f, splat(-1.242_014_1e-1)));
    let p = map2(p, f, |p, f| _mm512_fmadd_ps(p, f, splat(1.424_932_3e-1)));
    let p = map2(p, f, |p, f| _mm512_fmadd_ps(p, f, splat(-1.666_805_8e-1)));
    let p = map2(p, f, |p, f| _mm512_fmadd_ps(p, f, splat(2.000_071_4e-1)));
    let p = map2(p, f, |p, f| _mm512_fmadd_ps(p, f, splat(-2.499_999_4e-1)));
    let p = map2(p, f, |p, f| _mm512_fmadd_ps(p, f, splat(3.333_333e-1)));
    let z = map1(f, |f| _mm512_mul_ps(f, f));
    // ln x = e ln 2 + f − f²/2 + f³ P(f)
    let y = map3(f, z, p, |f, z, p| _mm512_mul_ps(_mm512_mul_ps(f, z), p));
    let y = map2(e, y, |e, y| _mm512_fmadd_ps(e, splat(LN2_LO), y));
    let y = map2(z, y, |z, y| _mm512_fmadd_ps(z, splat(-0.5), y));
    let r = map3(e, f, y, |e, f, y| {
        _mm512_fmadd_ps(e, splat(LN2_HI), _mm512_add_ps(f, y))
    });
    // ln 0 = −∞, ln ∞ = ∞, ln of a negative number or NaN is NaN
    map2(x, r, |x, r| {
        let inside = _mm512_cmp_ps_mask::<_CMP_GT_OQ>(x, splat(0.0))
            & _mm512_cmp_ps_mask::<_CMP_LT_OQ>(x, splat(f32::INFINITY));
        let zero = _mm512_cmp_ps_mask::<_CMP_EQ_OQ>(x, splat(0.0));
        let infinite = _mm512_cmp_ps_mask::<_CMP_EQ_OQ>(x, splat(f32::INFINITY));
        let edge = _mm512_mask_mov_ps(splat(f32::NAN), infinite, x);
        let edge = _mm512_mask_mov_ps(edge, zero, splat(f32::NEG_INFINITY));
        _mm512_mask_blend_ps(inside, edge, r)
    })
}

/// `erf x` of 16 lanes a vector (the portable `erf_lane`, its `exp` by `vscalefps`).
#[inline]
#[target_feature(enable = "avx512f")]
fn erf16<const U: usize>(x: V<U>) -> V<U> {
    let a = abs16(x);
    // below ERF_SMALL: |x| + |x| q(x²)
    let s = map1(a, |a| _mm512_mul_ps(a, a));
    let q = fma_cc(s, 8.370_089e-5, -8.142_701_7e-4);
    let q = map2(q, s, |q, s| _mm512_fmadd_ps(q, s, splat(5.201_032e-3)));
    let q = map2(q, s, |q, s| _mm512_fmadd_ps(q, s, splat(-2.685_939_9e-2)));
    let q = map2(q, s, |q, s| _mm512_fmadd_ps(q, s, splat(1.128_369_6e-1)));
    let q = map2(q, s, |q, s| _mm512_fmadd_ps(q, s, splat(-3.761_263_5e-1)));
    let q = map2(q, s, |q, s| _mm512_fmadd_ps(q, s, splat(1.283_791_7e-1)));
    let small = map2(a, q, |a, q| _mm512_fmadd_ps(a, q, a));
    // above: 1 − e^{−c²} Q(c) for c = |x| clamped to [ERF_SMALL, ERF_CLAMP] (NaN goes second)
    let c = map1(a, |a| {
        _mm512_min_ps(splat(ERF_CLAMP), _mm512_max_ps(splat(ERF_SMALL), a))
    });
    let u = map1(c, |c| _mm512_sub_ps(c, splat(ERF_CENTRE)));
    let p = fma_cc(u, 1.280_041_2e-4, 3.377_874_7e-4);
    let p = map2(p, u, |p, u| _mm512_fmadd_ps(p, u, splat(7.636_48e-4)));
    let p = map2(p, u, |p, u| _mm512_fmadd_ps(p, u, splat(-4.916_048_5e-4)));
    let p = map2(p, u, |p, u| _mm512_fmadd_ps(p, u, splat(2.295_994_7e-3)));
    let p = map2(p, u, |p, u| _mm512_fmadd_ps(p, u, splat(-8.212_948e-3)));
    let p = map2(p, u, |p, u| _mm512_fmadd_ps(p, u, splat(2.487_782e-2)));
    let p = map2(p, u, |p, u| _mm512_fmadd_ps(p, u, splat(-7.434_482e-2)));
    let p = map2(p, u, |p, u| _mm512_fmadd_ps(p, u, splat(2.108_083_2e-1)));
    // −c² lies in [−16, −0.85], inside exp's range
    let e = exp16_clamped(map1(c, |c| _mm512_mul_ps(_mm512_sub_ps(splat(0.0), c), c)));
    let large = map2(e, p, |e, p| _mm512_fnmadd_ps(e, p, splat(1.0)));
    // (a NaN compares false and takes `large`, which is NaN)
    let magnitude: V<U> = std::array::from_fn(|i| {
        let is_small = _mm512_cmp_ps_mask::<_CMP_LT_OQ>(a[i], splat(ERF_SMALL));
        _mm512_mask_blend_ps(is_small, large[i], small[i])
    });
    with_sign_of(magnitude, x)
}
