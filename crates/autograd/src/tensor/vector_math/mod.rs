//! Vectorised `exp`, `tanh`, `sigmoid`, `ln` and `erf` of `f32` slices: branch-free polynomial
//! kernels for AVX-512 (intrinsics, `avx512.rs`), AVX2 and SSE2 (one portable lane the
//! compiler vectorises), chosen at run time.
//!
//! Why: the scalar libm calls cost 4.2 ns (`exp`) and 25.7 ns (`tanh`) per element, 7× and
//! 76× PyTorch's vectorised kernels (issue 13). Each function here is written once, per lane,
//! with no calls and no branches (a comparison becomes a select), so one loop over a slice
//! vectorises; that loop is compiled with `avx2` and for the baseline. The AVX-512 loop is
//! written with intrinsics instead: instructions a lane cannot name (`vscalefps`,
//! `vgetmantps`, `vrcp14ps`) and eight vectors a step make it 2-3.5× the AVX2 loop. [`on`]
//! picks one per call from what the CPU reports.
//!
//! The AVX2 loop uses fused multiply-adds; the baseline loop multiplies and adds separately (a
//! software FMA would be slower than libm), so the last bit may differ between instruction
//! sets. The error bounds hold for all three, tested against the `f64` functions over the
//! whole `f32` range (subnormals, the overflow and underflow edges, ±0, ±∞ and NaN included;
//! `tests` below):
//! - `exp`: at most 1 ulp from the correctly rounded result where it is normal; exact 0 and
//!   ∞ past the edges; within 1 unit of the last subnormal place below `f32::MIN_POSITIVE`;
//! - `tanh`: at most 2 ulp (reached on AVX-512: 1.3 million of the 2³² inputs, a check of
//!   every pattern); exact ±0 and odd;
//! - `sigmoid`: at most 2 ulp (1 ulp of `exp`, then a division);
//! - `ln`: at most 1 ulp (subnormal inputs included); −∞ at ±0, NaN below 0;
//! - `erf`: at most 1 ulp (checked on all 2³² inputs on each instruction set); exact ±0, ±1
//!   from 4 on, odd.
//!
//! The method: `exp(x) = 2ⁿ · e^r` with `n = round(x / ln 2)` and `|r| ≤ ln 2 / 2`, `e^r` by
//! Cephes' degree-7 polynomial, `2ⁿ` built from its exponent bits in two halves so that a
//! subnormal result rounds once (`vscalefps` on AVX-512). `tanh` is Cephes' odd polynomial below 0.625 and
//! `1 − 2 / (e^{2|x|} + 1)` above; `sigmoid` is `1 / (1 + e^{−x})` or `e^x / (1 + e^x)` by the
//! sign, so neither side cancels. `ln` is Cephes' `logf`: `x = m · 2^e` with `m` in
//! [√½, √2), `ln x = e ln 2 + f − f²/2 + f³ P(f)` for `f = m − 1`, a subnormal scaled by 2²³
//! first. `erf` is `x + x q(x²)` below 0.921875 and `1 − e^{−x²} Q(x)` above (see
//! [`erf_lane`]).

#![allow(unsafe_code)]

#[cfg(target_arch = "x86_64")]
mod avx512;

use std::mem::MaybeUninit;

use super::isa::{Isa, detected};

/// A function these kernels compute.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum VectorFn {
    /// `e^x`
    Exp,
    /// `tanh x`
    Tanh,
    /// `1 / (1 + e^−x)`
    Sigmoid,
    /// `ln x`
    Ln,
    /// `erf x`
    Erf,
}

/// `f` of every element of `x`, by the best kernel this CPU runs.
pub(crate) fn map_f32(f: VectorFn, x: &[f32]) -> Vec<f32> {
    on(detected(), x, Kernels::of(f))
}

/// One function's three loops.
#[derive(Clone, Copy)]
struct Kernels {
    #[cfg(target_arch = "x86_64")]
    avx512: unsafe fn(&mut [MaybeUninit<f32>], &[f32]),
    #[cfg(target_arch = "x86_64")]
    avx2: unsafe fn(&mut [MaybeUninit<f32>], &[f32]),
    portable: fn(&mut [MaybeUninit<f32>], &[f32]),
}

/// The loop of `lane` over `x` into `out` (one length, asserted: every slot is written),
/// compiled for the features of the function it is inlined into.
#[inline(always)]
fn each(out: &mut [MaybeUninit<f32>], x: &[f32], lane: impl Fn(f32) -> f32) {
    assert_eq!(out.len(), x.len(), "vector_math: one length");
    for (slot, &v) in out.iter_mut().zip(x) {
        slot.write(lane(v));
    }
}

/// How a lane computes `a · b + c`: fused (one rounding; one instruction where the CPU has
/// FMA) or as a multiply and an add.
trait MulAdd {
    fn mul_add(a: f32, b: f32, c: f32) -> f32;
}

/// One rounding, by the FMA instruction (only used where the loop enables `fma`).
struct Fused;

impl MulAdd for Fused {
    #[inline(always)]
    fn mul_add(a: f32, b: f32, c: f32) -> f32 {
        a.mul_add(b, c)
    }
}

/// Two roundings, for CPUs without FMA.
struct Separate;

impl MulAdd for Separate {
    #[inline(always)]
    fn mul_add(a: f32, b: f32, c: f32) -> f32 {
        a * b + c
    }
}

macro_rules! kernels {
    ($($name:ident: $lane:ident, $avx512:ident);* $(;)?) => {
        impl Kernels {
            $(
                const $name: Kernels = {
                    #[cfg(target_arch = "x86_64")]
                    #[target_feature(enable = "avx2,fma")]
                    unsafe fn avx2(out: &mut [MaybeUninit<f32>], x: &[f32]) {
                        each(out, x, $lane::<Fused>)
                    }
                    Kernels {
                        #[cfg(target_arch = "x86_64")]
                        avx512: avx512::$avx512,
                        #[cfg(target_arch = "x86_64")]
                        avx2,
                        portable: |out, x| each(out, x, $lane::<Separate>),
                    }
                };
            )*
        }
    };
}

kernels!(
    EXP: exp_lane, exp;
    TANH: tanh_lane, tanh;
    SIGMOID: sigmoid_lane, sigmoid;
    LN: ln_lane, ln;
);

impl Kernels {
    fn of(f: VectorFn) -> Kernels {
        match f {
            VectorFn::Exp => Kernels::EXP,
            VectorFn::Tanh => Kernels::TANH,
            VectorFn::Sigmoid => Kernels::SIGMOID,
            VectorFn::Ln => Kernels::LN,
            VectorFn::Erf => Kernels::ERF,
        }
    }

    const ERF: Kernels = {
        #[cfg(target_arch = "x86_64")]
        #[target_feature(enable = "avx2,fma")]
        unsafe fn avx2(out: &mut [MaybeUninit<f32>], x: &[f32]) {
            each(out, x, erf_lane::<Fused>)
        }
        Kernels {
            #[cfg(target_arch = "x86_64")]
            avx512: avx512::erf,
            #[cfg(target_arch = "x86_64")]
            avx2,
            portable: |out, x| each(out, x, erf_lane::<Separate>),
        }
    };
}

/// The kernel for `isa`, which must be one this CPU runs, over `x`: a new buffer, written by
/// parts over the thread pool when `x` is large (`parallel.rs`).
fn on(isa: Isa, x: &[f32], kernels: Kernels) -> Vec<f32> {
    let part = |out: &mut [MaybeUninit<f32>], start: usize| {
        let x = &x[start..start + out.len()];
        match isa {
            #[cfg(target_arch = "x86_64")]
            // SAFETY: `isa` is Avx512 only when the CPU reports avx512f (`detected`, or the
            // tests, which check the same first).
            Isa::Avx512 => unsafe { (kernels.avx512)(out, x) },
            #[cfg(target_arch = "x86_64")]
            // SAFETY: Avx2 only when the CPU reports avx2 and fma (`detected`, or the tests).
            Isa::Avx2 => unsafe { (kernels.avx2)(out, x) },
            _ => (kernels.portable)(out, x),
        }
    };
    // SAFETY: every kernel writes all of `out`, whose length it asserts equal to its input's
    unsafe { super::parallel::new_by_parts(x.len(), part) }
}

const LOG2_E: f32 = std::f32::consts::LOG2_E;
/// ln 2 in two parts (Cephes): `LN2_HI` has few enough bits that `n · LN2_HI` is exact.
const LN2_HI: f32 = 0.693_359_4;
const LN2_LO: f32 = -2.121_944_4e-4;
/// 1.5 · 2²³: adding it rounds a float below 2²² in magnitude to an integer, which its low
/// mantissa bits then hold.
const ROUNDER: f32 = 12_582_912.0;
/// Past these, `e^x` is ∞ or rounds to 0 (ln of the largest float and of half the smallest
/// subnormal, rounded outwards).
const EXP_HIGH: f32 = 89.0;
const EXP_LOW: f32 = -104.0;

/// `e^x` of one lane.
#[inline(always)]
fn exp_lane<M: MulAdd>(x: f32) -> f32 {
    let fma = M::mul_add;
    // a NaN stays NaN through the clamp and everything after it
    let c = x.clamp_keeping_nan(EXP_LOW, EXP_HIGH);
    let t = fma(c, LOG2_E, ROUNDER);
    let n_float = t - ROUNDER;
    let n = (t.to_bits() as i32).wrapping_sub(ROUNDER.to_bits() as i32);
    let r = fma(-n_float, LN2_LO, fma(-n_float, LN2_HI, c));
    // e^r ≈ 1 + r + r² P(r) on [−ln 2 / 2, ln 2 / 2] (Cephes expf)
    let p = fma(1.987_569_1e-4, r, 1.398_199_9e-3);
    let p = fma(p, r, 8.333_452e-3);
    let p = fma(p, r, 4.166_579_6e-2);
    let p = fma(p, r, 1.666_666_5e-1);
    let p = fma(p, r, 0.5);
    let e_r = fma(p, r * r, r) + 1.0;
    // 2ⁿ as two halves, each a normal float for n in [−150, 128]: a subnormal result is
    // rounded once, in the last multiply
    let half = n >> 1;
    e_r * exponent(half) * exponent(n - half)
}

/// `2^k` for `k` in [−126, 127], from its exponent bits.
#[inline(always)]
fn exponent(k: i32) -> f32 {
    f32::from_bits(((k + 127) as u32) << 23)
}

/// Above this, `tanh` rounds to ±1 in `f32`; below 0.625 the polynomial is used.
const TANH_ONE: f32 = 9.5;
const TANH_SMALL: f32 = 0.625;

/// `tanh x` of one lane.
#[inline(always)]
fn tanh_lane<M: MulAdd>(x: f32) -> f32 {
    let fma = M::mul_add;
    let a = x.abs();
    // |x| < 0.625: x + x³ P(x²) (Cephes tanhf)
    let z = x * x;
    let p = fma(-5.704_988_7e-3, z, 2.063_909e-2);
    let p = fma(p, z, -5.373_971_6e-2);
    let p = fma(p, z, 1.333_144_2e-1);
    let p = fma(p, z, -3.333_328e-1);
    let small = fma(x * z, p, x);
    // otherwise 1 − 2 / (e^{2|x|} + 1), with the sign of x
    let e = exp_lane::<M>(2.0 * a.clamp_keeping_nan(0.0, TANH_ONE));
    let large = 1.0 - 2.0 / (e + 1.0);
    // tanh has the sign of x: copysign also keeps −0, which `x + x z p` would lose (a NaN
    // goes through either side as NaN)
    (if a < TANH_SMALL { small } else { large }).copysign(x)
}

/// `1 / (1 + e^−x)` of one lane.
#[inline(always)]
fn sigmoid_lane<M: MulAdd>(x: f32) -> f32 {
    // e^{−|x|} ∈ (0, 1]: neither branch overflows or cancels
    let e = exp_lane::<M>(-x.abs());
    let d = 1.0 + e;
    if x >= 0.0 { 1.0 / d } else { e / d }
}

/// √½: the mantissa range [√½, √2) centres ln's polynomial on 0.
const SQRT_HALF: f32 = std::f32::consts::FRAC_1_SQRT_2;
/// 2²³: scales a subnormal into the normal range exactly.
const TWO_23: f32 = 8_388_608.0;

/// `ln x` of one lane.
#[inline(always)]
fn ln_lane<M: MulAdd>(x: f32) -> f32 {
    let fma = M::mul_add;
    // a subnormal is scaled by 2²³ (exact) and 23 taken off its exponent
    let subnormal = x < f32::MIN_POSITIVE;
    let scaled = if subnormal { x * TWO_23 } else { x };
    let bits = scaled.to_bits() as i32;
    // scaled = m · 2^e with m in [½, 1) (frexp)
    let e = ((bits >> 23) & 0xff) - 126 - if subnormal { 23 } else { 0 };
    let m = f32::from_bits(((bits & 0x007f_ffff) | 0x3f00_0000) as u32);
    // m in [√½, 1): f = m − 1; m in [½, √½): f = 2m − 1 and one off e (Cephes logf)
    let low = m < SQRT_HALF;
    let e = (if low { e - 1 } else { e }) as f32;
    let f = if low { m + m - 1.0 } else { m - 1.0 };
    let z = f * f;
    let p = fma(7.037_683_6e-2, f, -1.151_461e-1);
    let p = fma(p, f, 1.167_699_9e-1);
    let p = fma(p, f, -1.242_014_1e-1);
    let p = fma(p, f, 1.424_932_3e-1);
    let p = fma(p, f, -1.666_805_8e-1);
    let p = fma(p, f, 2.000_071_4e-1);
    let p = fma(p, f, -2.499_999_4e-1);
    let p = fma(p, f, 3.333_333e-1);
    // ln x = e ln 2 + f − f²/2 + f³ P(f), ln 2 in two parts so that e · LN2_HI is exact
    let y = fma(e, LN2_LO, f * z * p);
    let y = fma(z, -0.5, y);
    let r = fma(e, LN2_HI, f + y);
    // ln 0 = −∞, ln ∞ = ∞, ln of a negative number or NaN is NaN
    if x > 0.0 && x < f32::INFINITY {
        r
    } else if x == 0.0 {
        f32::NEG_INFINITY
    } else if x == f32::INFINITY {
        x
    } else {
        f32::NAN
    }
}

/// Where erf's two formulas meet, the centre of the second's polynomial, and where that one
/// is clamped: past 4, erf is ±1 in `f32` (erfc(3.84) is below half an ulp of 1).
const ERF_SMALL: f32 = 0.921_875;
const ERF_CENTRE: f32 = 2.5;
const ERF_CLAMP: f32 = 4.0;

/// `erf x` of one lane. Below 0.921875, `x + x q(x²)` with `q = erf(x)/x − 1` (degree 6,
/// relative error 4·10⁻¹⁰): the exact `x` carries the result, the rounding of the small term
/// costs a fraction of an ulp. Above, `1 − e^{−x²} Q(x)` with `Q = erfc(x) e^{x²}` (degree 8
/// in `x − 2.5`, absolute error of erfc 4·10⁻⁹). Both fitted for this crate (weighted
/// least squares, Lawson's iteration to the minimax, against 30-digit mpmath values).
#[inline(always)]
fn erf_lane<M: MulAdd>(x: f32) -> f32 {
    let fma = M::mul_add;
    let a = x.abs();
    let s = a * a;
    let q = fma(8.370_089e-5, s, -8.142_701_7e-4);
    let q = fma(q, s, 5.201_032e-3);
    let q = fma(q, s, -2.685_939_9e-2);
    let q = fma(q, s, 1.128_369_6e-1);
    let q = fma(q, s, -3.761_263_5e-1);
    let q = fma(q, s, 1.283_791_7e-1);
    let small = fma(a, q, a);
    // (a NaN goes through the clamp and out of `large`)
    let c = a.clamp_keeping_nan(ERF_SMALL, ERF_CLAMP);
    let u = c - ERF_CENTRE;
    let p = fma(1.280_041_2e-4, u, 3.377_874_7e-4);
    let p = fma(p, u, 7.636_48e-4);
    let p = fma(p, u, -4.916_048_5e-4);
    let p = fma(p, u, 2.295_994_7e-3);
    let p = fma(p, u, -8.212_948e-3);
    let p = fma(p, u, 2.487_782e-2);
    let p = fma(p, u, -7.434_482e-2);
    let p = fma(p, u, 2.108_083_2e-1);
    let large = fma(-exp_lane::<M>(-(c * c)), p, 1.0);
    // erf is odd: copysign keeps −0 too
    (if a < ERF_SMALL { small } else { large }).copysign(x)
}

/// Clamping that keeps a NaN (where `f32::clamp` would panic on NaN bounds and `max`/`min`
/// return the number): each comparison is false for NaN, so NaN falls through. One `max` and
/// one `min` instruction on x86, with the operands in the order that passes NaN on.
trait ClampKeepingNan {
    fn clamp_keeping_nan(self, low: Self, high: Self) -> Self;
}

impl ClampKeepingNan for f32 {
    #[inline(always)]
    fn clamp_keeping_nan(self, low: f32, high: f32) -> f32 {
        let above = if low > self { low } else { self };
        if above > high { high } else { above }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `x`'s place in the order of all floats (negative below positive, −0 = +0).
    fn ordinal(x: f32) -> i64 {
        let bits = x.to_bits() as i32;
        if bits < 0 {
            -i64::from(bits & i32::MAX)
        } else {
            i64::from(bits)
        }
    }

    /// How many floats apart `ours` is from the correctly rounded `exact`.
    fn ulps(ours: f32, exact: f64) -> i64 {
        (ordinal(ours) - ordinal(exact as f32)).abs()
    }

    /// Every 2⁹th bit pattern (8.4 million floats, both signs: every binade and the
    /// subnormals), the boundaries and the special values.
    fn inputs() -> Vec<f32> {
        let mut xs: Vec<f32> = (0..=u32::MAX).step_by(512).map(f32::from_bits).collect();
        xs.extend([
            0.0,
            -0.0,
            f32::INFINITY,
            f32::NEG_INFINITY,
            f32::NAN,
            -f32::NAN,
            f32::MIN_POSITIVE,
            f32::from_bits(1),
            f32::MAX,
            f32::MIN,
            88.722_83,
            88.722_84,
            -87.336_55,
            -103.972_08,
            -103.972_09,
            TANH_SMALL,
            -TANH_SMALL,
            TANH_ONE,
        ]);
        xs
    }

    /// `f` against `exact` over every input, on every instruction set: the worst ulp error of
    /// finite results, where `tolerate(exact)` has not excused it; NaN exactly where `exact`
    /// is NaN.
    fn worst(f: VectorFn, exact: fn(f64) -> f64, tolerate: fn(f64) -> bool) -> (i64, f32, Isa) {
        let xs = inputs();
        let mut worst = (0, 0.0, Isa::Portable);
        for isa in super::super::isa::available() {
            let ys = on(isa, &xs, Kernels::of(f));
            for (&x, &y) in xs.iter().zip(&ys) {
                let e = exact(f64::from(x));
                assert_eq!(
                    y.is_nan(),
                    e.is_nan(),
                    "{f:?}({x:e}) = {y:e} on {isa:?}, exact {e:e}"
                );
                if e.is_nan() || tolerate(e) {
                    continue;
                }
                let err = ulps(y, e);
                if err > worst.0 {
                    worst = (err, x, isa);
                }
            }
        }
        worst
    }

    /// `f` of `xs` on every instruction set.
    fn everywhere(f: VectorFn, xs: &[f32]) -> Vec<Vec<f32>> {
        super::super::isa::available()
            .into_iter()
            .map(|isa| on(isa, xs, Kernels::of(f)))
            .collect()
    }

    /// ln's bound (the measured worst case, asserted so it cannot grow unseen).
    const LN_ULP: i64 = 1;

    #[test]
    fn ln_is_within_ulp_bound_and_exact_at_its_edges() {
        let (err, at, isa) = worst(VectorFn::Ln, f64::ln, |_| false);
        assert!(err <= LN_ULP, "ln: {err} ulp at {at:e} on {isa:?}");
        for ys in everywhere(
            VectorFn::Ln,
            &[0.0, -0.0, 1.0, f32::INFINITY, -1.0, f32::NAN],
        ) {
            assert_eq!(
                &ys[..4],
                &[f32::NEG_INFINITY, f32::NEG_INFINITY, 0.0, f32::INFINITY]
            );
            assert!(ys[4].is_nan() && ys[5].is_nan());
        }
    }

    #[test]
    fn exp_is_within_one_ulp_and_exact_past_its_edges() {
        let subnormal = |e: f64| e < f64::from(f32::MIN_POSITIVE);
        let (err, at, isa) = worst(VectorFn::Exp, f64::exp, subnormal);
        assert!(err <= 1, "exp: {err} ulp at {at:e} on {isa:?}");
        // subnormal results: within one unit of the last place (2⁻¹⁴⁹)
        let xs: Vec<f32> = (0..100_000)
            .map(|i| -87.0 - i as f32 * 17.0 / 100_000.0)
            .collect();
        let tiny = f64::from(f32::from_bits(1));
        for ys in everywhere(VectorFn::Exp, &xs) {
            for (&x, &y) in xs.iter().zip(&ys) {
                let e = f64::from(x).exp();
                assert!(
                    (f64::from(y) - e).abs() <= tiny,
                    "exp({x}) = {y:e}, exact {e:e}"
                );
            }
        }
        let edges = [
            89.0,
            1e30,
            f32::INFINITY,
            -104.0,
            -1e30,
            f32::NEG_INFINITY,
            0.0,
            -0.0,
        ];
        for ys in everywhere(VectorFn::Exp, &edges) {
            assert_eq!(
                ys,
                [
                    f32::INFINITY,
                    f32::INFINITY,
                    f32::INFINITY,
                    0.0,
                    0.0,
                    0.0,
                    1.0,
                    1.0
                ]
            );
        }
    }

    #[test]
    fn tanh_is_within_two_ulp_odd_and_exact_at_zero_and_infinity() {
        let (err, at, isa) = worst(VectorFn::Tanh, f64::tanh, |_| false);
        assert!(err <= 2, "tanh: {err} ulp at {at:e} on {isa:?}");
        let special = [0.0, -0.0, f32::INFINITY, f32::NEG_INFINITY, 1e-40];
        for ys in everywhere(VectorFn::Tanh, &special) {
            assert_eq!(ys[..4], [0.0, -0.0, 1.0, -1.0]);
            assert!(ys[1].is_sign_negative() && ys[4] == 1e-40);
        }
        let xs: Vec<f32> = (0..10_000).map(|i| i as f32 * 0.001).collect();
        let negated: Vec<f32> = xs.iter().map(|x| -x).collect();
        let (pos, neg) = (
            map_f32(VectorFn::Tanh, &xs),
            map_f32(VectorFn::Tanh, &negated),
        );
        assert!(pos.iter().zip(&neg).all(|(p, n)| *p == -*n), "tanh is odd");
    }

    #[test]
    fn sigmoid_is_within_two_ulp_over_the_whole_range() {
        let sigmoid = |x: f64| {
            if x >= 0.0 {
                1.0 / (1.0 + (-x).exp())
            } else {
                x.exp() / (1.0 + x.exp())
            }
        };
        let subnormal = |e: f64| e < f64::from(f32::MIN_POSITIVE);
        let (err, at, isa) = worst(VectorFn::Sigmoid, sigmoid, subnormal);
        assert!(err <= 2, "sigmoid: {err} ulp at {at:e} on {isa:?}");
        for ys in everywhere(VectorFn::Sigmoid, &[f32::NEG_INFINITY, 0.0, f32::INFINITY]) {
            assert_eq!(ys, [0.0, 0.5, 1.0]);
        }
        // (a NaN's sign and payload are not specified, as for Rust's own float operations,
        // whose NaN bits differ between optimised and debug builds: only NaN-ness is tested)
    }

    /// erf's bound (the measured worst case, asserted so it cannot grow unseen; subnormal
    /// results included).
    const ERF_ULP: i64 = 1;

    #[test]
    fn erf_is_within_its_ulp_bound_odd_and_exact_at_its_edges() {
        let (err, at, isa) = worst(VectorFn::Erf, libm::erf, |_| false);
        assert!(err <= ERF_ULP, "erf: {err} ulp at {at:e} on {isa:?}");
        let special = [0.0, -0.0, f32::INFINITY, f32::NEG_INFINITY, 4.0, 100.0];
        for ys in everywhere(VectorFn::Erf, &special) {
            assert_eq!(ys, [0.0, -0.0, 1.0, -1.0, 1.0, 1.0]);
            assert!(ys[1].is_sign_negative());
        }
        // both sides of the formulas' meeting point, and odd
        let xs: Vec<f32> = (0..20_000).map(|i| i as f32 * 0.000_25).collect();
        let negated: Vec<f32> = xs.iter().map(|x| -x).collect();
        let (pos, neg) = (
            map_f32(VectorFn::Erf, &xs),
            map_f32(VectorFn::Erf, &negated),
        );
        assert!(pos.iter().zip(&neg).all(|(p, n)| *p == -*n), "erf is odd");
        assert!(
            pos.windows(2).all(|w| w[0] <= w[1]),
            "erf is monotonic here"
        );
    }

    #[test]
    fn every_length_is_computed_and_a_result_does_not_depend_on_its_place() {
        // the vector loops' remainders (masked on AVX-512, scalar elsewhere) against the same
        // values computed inside whole vectors
        let xs: Vec<f32> = (0..100).map(|i| i as f32 * 0.37 - 18.0).collect();
        for f in [
            VectorFn::Exp,
            VectorFn::Tanh,
            VectorFn::Sigmoid,
            VectorFn::Ln,
            VectorFn::Erf,
        ] {
            for isa in super::super::isa::available() {
                let all = on(isa, &xs, Kernels::of(f));
                for start in [0, 1, 5] {
                    for n in [0, 1, 7, 15, 16, 17, 31, 33, 47, 64] {
                        let part = on(isa, &xs[start..start + n], Kernels::of(f));
                        let same = part
                            .iter()
                            .zip(&all[start..start + n])
                            .all(|(a, b)| a.to_bits() == b.to_bits());
                        assert!(
                            part.len() == n && same,
                            "{f:?} on {isa:?}, {n} from {start}"
                        );
                    }
                }
            }
        }
    }
}
