//! The table of elementwise primitives: every one is one entry here, and nowhere else.
//!
//! An entry gives the primitive's method name and `Op` variant (with any constant
//! parameters), its doc line, its value for one element of any [`Float`](crate::Float) type,
//! its derivative written once in [`Real`](crate::Real) operations (so reverse mode, recorded
//! gradient graphs and forward mode all come from it), its kink, an example (the value and
//! the slope it documents and doc-tests), and the domains its generated property tests
//! sample. Each layer turns the table into its part with a macro of its own:
//! `ops/elementwise/mod.rs` (the `Unary`/`Binary` enums, values, derivatives, kinks, test
//! cases), `ops/real.rs` (the `Real` trait and its `f64` and `Tensor` implementations),
//! `var/scalar_methods.rs` and `var/tensor_methods.rs` (the methods on `Var` and
//! `TensorVar`). A primitive missing a field does not compile.
//!
//! The grammar of an entry (`[operator]` marks the ones spelled with `std::ops` operators,
//! which get no method of their own):
//! ```text
//! /// doc line
//! name => Variant { param: Type as Stored, .. } [method | operator] {     // binary: name | try_name => ..
//!     example: (input, param..) => value, slope d,       // binary: slopes (da, db)
//!     value: |x| expression on one element,
//!     derivative: |g, x, y| Some(contribution) or None,   // y is the op's value
//!     kink: none | sign,                                 // binary: none | difference
//!     tests: [Variant { param: v } => Domain::.., ..],
//! }
//! ```
//! A binary entry's derivative is `|g, a, b, y| (contribution to a, contribution to b)`.

/// Calls `$then! { extra.. unary { .. } binary { .. } }` with every elementwise primitive
/// (`extra` is passed through first, for a consumer that needs more than the table).
macro_rules! elementwise_primitives {
    ($then:ident $($extra:tt)*) => {
        $then! {
            $($extra)*
            unary {
                /// `-x`.
                neg => Neg [operator] {
                    example: (2.0) => -2.0, slope -1.0,
                    value: |x| -x,
                    derivative: |g, _, _| Some(-g),
                    kink: none,
                    tests: [Neg => Domain::between(-10.0, 10.0)],
                }
                /// `scale · x + shift`, one node for every mix of a variable with numbers.
                affine => Affine { scale: f64 as Constant, shift: f64 as Constant } [method] {
                    example: (2.0, 3.0, 1.0) => 7.0, slope 3.0,
                    value: |x| x * T::from_f64(scale) + T::from_f64(shift),
                    derivative: |g, _, _| Some(g.affine(scale, 0.0)),
                    kink: none,
                    tests: [Affine { scale: Constant::new(-2.5), shift: Constant::new(0.75) } => Domain::between(-10.0, 10.0)],
                }
                /// `e^x`; derivative `e^x`.
                exp => Exp [method] {
                    example: (0.0) => 1.0, slope 1.0,
                    value: |x| x.exp(),
                    derivative: |g, _, y| Some(g * y),
                    kink: none,
                    tests: [Exp => Domain::between(-5.0, 5.0)],
                }
                /// `ln x`, NaN below 0 and `-inf` at 0 (IEEE); derivative `1/x`.
                ln => Ln [method] {
                    example: (4.0) => 4f64.ln(), slope 0.25,
                    value: |x| x.ln(),
                    derivative: |g, x, _| Some(g / x),
                    kink: none,
                    tests: [Ln => Domain::between(0.01, 100.0)],
                }
                /// `√x`, NaN below 0 (IEEE); derivative `1/(2√x)`.
                sqrt => Sqrt [method] {
                    example: (9.0) => 3.0, slope 1.0 / 6.0,
                    value: |x| x.sqrt(),
                    derivative: |g, _, y| Some((g / y).affine(0.5, 0.0)),
                    kink: none,
                    tests: [Sqrt => Domain::between(0.01, 100.0)],
                }
                /// `x^n` for an integer `n`; derivative `n x^(n-1)`.
                powi => PowI { n: i32 as i32 } [method] {
                    example: (2.0, 3) => 8.0, slope 12.0,
                    value: |x| x.powi(n),
                    // n = 0 is a constant; skipping it also avoids 0 · x^-1 = NaN at x = 0
                    derivative: |g, x, _| (n != 0).then(|| g * x.powi(n - 1).affine(f64::from(n), 0.0)),
                    kink: none,
                    tests: [
                        PowI { n: 0 } => Domain::between(-3.0, 3.0),
                        PowI { n: 1 } => Domain::between(-3.0, 3.0),
                        PowI { n: 3 } => Domain::between(-3.0, 3.0),
                        PowI { n: 5 } => Domain::between(-3.0, 3.0),
                        PowI { n: -1 } => Domain::away_from_zero(0.1, 3.0),
                        PowI { n: -4 } => Domain::away_from_zero(0.1, 3.0),
                    ],
                }
                /// `x^p` for a constant real `p`; derivative `p x^(p-1)`.
                powf => PowF { p: f64 as Constant } [method] {
                    example: (4.0, 1.5) => 8.0, slope 3.0,
                    value: |x| x.powf(T::from_f64(p)),
                    derivative: |g, x, _| (p != 0.0).then(|| g * x.powf(p - 1.0).affine(p, 0.0)),
                    kink: none,
                    tests: [
                        PowF { p: Constant::new(-2.5) } => Domain::between(0.05, 10.0),
                        PowF { p: Constant::new(0.5) } => Domain::between(0.05, 10.0),
                        PowF { p: Constant::new(1.7) } => Domain::between(0.05, 10.0),
                    ],
                }
                /// `sin x`; derivative `cos x`.
                sin => Sin [method] {
                    example: (0.0) => 0.0, slope 1.0,
                    value: |x| x.sin(),
                    derivative: |g, x, _| Some(g * x.cos()),
                    kink: none,
                    tests: [Sin => Domain::between(-10.0, 10.0)],
                }
                /// `cos x`; derivative `-sin x`.
                cos => Cos [method] {
                    example: (0.0) => 1.0, slope 0.0,
                    value: |x| x.cos(),
                    derivative: |g, x, _| Some(-(g * x.sin())),
                    kink: none,
                    tests: [Cos => Domain::between(-10.0, 10.0)],
                }
                /// `tanh x`; derivative `1 - tanh² x`.
                tanh => Tanh [method] {
                    example: (0.0) => 0.0, slope 1.0,
                    value: |x| x.tanh(),
                    derivative: |g, _, y| Some(g * (y.clone() * y).affine(-1.0, 1.0)),
                    kink: none,
                    tests: [Tanh => Domain::between(-10.0, 10.0)],
                }
                /// The logistic sigmoid `σ(x) = 1 / (1 + e^-x)`, finite for any `x`;
                /// derivative `σ(1 - σ)`.
                sigmoid => Sigmoid [method] {
                    example: (0.0) => 0.5, slope 0.25,
                    // two branches so that e^x never overflows: for x < 0, e^x / (1 + e^x)
                    value: |x| if x >= T::ZERO {
                        T::ONE / (T::ONE + (-x).exp())
                    } else {
                        let e = x.exp();
                        e / (T::ONE + e)
                    },
                    derivative: |g, _, y| Some(g * (y.clone() * y.affine(-1.0, 1.0))),
                    kink: none,
                    tests: [Sigmoid => Domain::between(-30.0, 30.0)],
                }
                /// `ln(1 + x)`, accurate for small `x` (`ln(1 + 1e-20)` is `1e-20`, not 0);
                /// derivative `1 / (1 + x)`.
                ln_1p => Ln1p [method] {
                    example: (1e-20) => 1e-20, slope 1.0,
                    value: |x| x.ln_1p(),
                    derivative: |g, x, _| Some(g / x.affine(1.0, 1.0)),
                    kink: none,
                    tests: [Ln1p => Domain::between(-0.95, 20.0)],
                }
                /// `e^x - 1`, accurate for small `x`; derivative `e^x`.
                exp_m1 => ExpM1 [method] {
                    example: (1e-20) => 1e-20, slope 1.0,
                    value: |x| x.exp_m1(),
                    // (e^x - 1)' = e^x = y + 1
                    derivative: |g, _, y| Some(g * y.affine(1.0, 1.0)),
                    kink: none,
                    tests: [ExpM1 => Domain::between(-5.0, 5.0)],
                }
                /// The error function `erf(x) = 2/√π ∫₀^x e^(-t²) dt`; derivative
                /// `2/√π e^(-x²)`.
                erf => Erf [method] {
                    example: (0.0) => 0.0, slope std::f64::consts::FRAC_2_SQRT_PI,
                    value: |x| x.erf(),
                    derivative: |g, x, _| Some(
                        g * (x.clone() * x)
                            .affine(-1.0, 0.0)
                            .exp()
                            .affine(std::f64::consts::FRAC_2_SQRT_PI, 0.0)
                    ),
                    kink: none,
                    tests: [Erf => Domain::between(-4.0, 4.0)],
                }
                /// `max(0, x)`, NaN stays NaN; derivative 1 for `x > 0`, else 0 (so
                /// `relu'(0) = 0`).
                relu => Relu [method] {
                    example: (0.0) => 0.0, slope 0.0,
                    // a select, not `x · step(x)`, which would turn -inf into NaN
                    value: |x| if x > T::ZERO || x.is_nan() { x } else { T::ZERO },
                    derivative: |g, x, _| Some(g * x.step()),
                    kink: sign,
                    tests: [Relu => Domain::between(-5.0, 5.0)],
                }
                /// `|x|`; derivative `sign x`, so `|x|'(0) = 0`.
                abs => Abs [method] {
                    example: (-3.0) => 3.0, slope -1.0,
                    value: |x| x.abs(),
                    derivative: |g, x, _| Some(g * x.sign()),
                    kink: sign,
                    tests: [Abs => Domain::between(-5.0, 5.0)],
                }
                /// The threshold unit `1 if x > 0 else 0` (so `step(0) = 0`, NaN stays NaN).
                /// Its derivative is 0 wherever it exists: no gradient flows through it.
                step => Step [method] {
                    example: (0.3) => 1.0, slope 0.0,
                    value: |x| if x > T::ZERO { T::ONE } else if x.is_nan() { x } else { T::ZERO },
                    derivative: |_, _, _| None,
                    kink: sign,
                    tests: [Step => Domain::between(-5.0, 5.0)],
                }
                /// `-1`, `0` or `1` by the sign of `x`, with `sign(0) = 0` (NaN stays NaN);
                /// derivative 0.
                sign => Sign [method] {
                    example: (-2.5) => -1.0, slope 0.0,
                    // not `signum`, whose value at 0 is 1: the derivative of |x| at 0 must be 0
                    value: |x| if x > T::ZERO {
                        T::ONE
                    } else if x < T::ZERO {
                        -T::ONE
                    } else {
                        x * T::ZERO // 0 stays 0, NaN stays NaN
                    },
                    derivative: |_, _, _| None,
                    kink: sign,
                    tests: [Sign => Domain::between(-5.0, 5.0)],
                }
                /// `x³`: the primitive `docs/ARCHITECTURE.md` adds as its worked example
                /// (test builds only).
                #[cfg(test)]
                cube => Cube [method] {
                    example: (2.0) => 8.0, slope 12.0,
                    value: |x| x * x * x,
                    derivative: |g, x, _| Some(g * (x.clone() * x).affine(3.0, 0.0)),
                    kink: none,
                    tests: [Cube => Domain::between(-3.0, 3.0)],
                }
            }
            binary {
                /// `a + b`.
                add | try_add => Add [operator] {
                    example: (2.0, 3.0) => 5.0, slopes (1.0, 1.0),
                    value: |a, b| a + b,
                    derivative: |g, _, _, _| (Some(g.clone()), Some(g)),
                    kink: none,
                    tests: [Add => (Domain::between(-10.0, 10.0), Domain::between(-10.0, 10.0))],
                }
                /// `a - b`.
                sub | try_sub => Sub [operator] {
                    example: (2.0, 3.0) => -1.0, slopes (1.0, -1.0),
                    value: |a, b| a - b,
                    derivative: |g, _, _, _| (Some(g.clone()), Some(-g)),
                    kink: none,
                    tests: [Sub => (Domain::between(-10.0, 10.0), Domain::between(-10.0, 10.0))],
                }
                /// `a · b`.
                mul | try_mul => Mul [operator] {
                    example: (2.0, 3.0) => 6.0, slopes (3.0, 2.0),
                    value: |a, b| a * b,
                    derivative: |g, a, b, _| (Some(g.clone() * b), Some(g * a)),
                    kink: none,
                    tests: [Mul => (Domain::between(-10.0, 10.0), Domain::between(-10.0, 10.0))],
                }
                /// `a / b`.
                div | try_div => Div [operator] {
                    example: (3.0, 2.0) => 1.5, slopes (0.5, -0.75),
                    value: |a, b| a / b,
                    // ∂(a/b)/∂a = 1/b, ∂(a/b)/∂b = -a/b² = -y/b
                    derivative: |g, _, b, y| {
                        let g_over_b = g / b;
                        (Some(g_over_b.clone()), Some(-(g_over_b * y)))
                    },
                    kink: none,
                    tests: [Div => (Domain::between(-10.0, 10.0), Domain::away_from_zero(0.1, 10.0))],
                }
                /// `a^b` with a variable exponent; derivatives `b a^(b-1)` and `a^b ln a` (NaN
                /// for a negative base, as in PyTorch; 0 at `a = 0`).
                pow | try_pow => Pow [method] {
                    example: (2.0, 3.0) => 8.0, slopes (12.0, 8.0 * 2f64.ln()),
                    value: |a, b| a.powf(b),
                    derivative: |g, base, exponent, y| {
                        // ∂/∂a a^b = b a^(b-1). Only at a = 0 and b = 0 is that 0 · 0^-1 = NaN;
                        // there the power is lifted from -1 to 0 (giving 0 · 1 = 0), by a term
                        // that is 1 only there and has zero derivative, so every other point
                        // keeps its exact first and second derivatives.
                        let base_is_zero = base.clone().sign().abs().affine(-1.0, 1.0);
                        let exponent_is_zero = exponent.clone().sign().abs().affine(-1.0, 1.0);
                        let power = exponent.clone().affine(1.0, -1.0) + base_is_zero * exponent_is_zero;
                        let to_base = g.clone() * (exponent * base.clone().pow(power));
                        // ∂/∂b a^b = a^b ln a, taken as 0 at a = 0 (its limit for b > 0, as
                        // PyTorch): xlogy is 0 where its first factor, a^b · |sign a|, is.
                        let weight = y * base.clone().sign().abs();
                        (Some(to_base), Some(g * weight.xlogy(base)))
                    },
                    kink: none,
                    tests: [Pow => (Domain::between(0.05, 10.0), Domain::between(-3.0, 3.0))],
                }
                /// The larger of two, NaN if either is NaN; a tie sends half the gradient
                /// each way.
                max | try_max => Max [method] {
                    example: (1.0, 1.0) => 1.0, slopes (0.5, 0.5),
                    value: |a, b| a.max(b),
                    derivative: |g, a, b, _| {
                        // sign(a - b) is 1, 0 or -1: the larger side gets (1 ± sign)/2, a tie
                        // 1/2 each
                        let s = (a - b).sign();
                        (Some(g.clone() * s.clone().affine(0.5, 0.5)), Some(g * s.affine(-0.5, 0.5)))
                    },
                    kink: difference,
                    tests: [Max => (Domain::between(-3.0, 3.0), Domain::between(-3.0, 3.0))],
                }
                /// The smaller of two, NaN if either is NaN; a tie sends half the gradient
                /// each way.
                min | try_min => Min [method] {
                    example: (1.0, 2.0) => 1.0, slopes (1.0, 0.0),
                    value: |a, b| a.min(b),
                    derivative: |g, a, b, _| {
                        let s = (a - b).sign();
                        (Some(g.clone() * s.clone().affine(-0.5, 0.5)), Some(g * s.affine(0.5, 0.5)))
                    },
                    kink: difference,
                    tests: [Min => (Domain::between(-3.0, 3.0), Domain::between(-3.0, 3.0))],
                }
                /// `a · ln b`, taken as 0 where `a = 0` whatever `b` (so `0 · ln 0 = 0`, the
                /// limit that entropies `Σ p ln p` need); derivatives `ln b` (0 where `a = 0`)
                /// and `a / b`.
                xlogy | try_xlogy => XLogY [method] {
                    example: (2.0, 4.0) => 2.0 * 4f64.ln(), slopes (4f64.ln(), 0.5),
                    value: |a, b| if a == T::ZERO && !b.is_nan() { T::ZERO } else { a * b.ln() },
                    // ∂/∂a = ln b, and 0 where a = 0 (xlogy of the mask |sign a|)
                    derivative: |g, a, b, _| (
                        Some(g.clone() * a.clone().sign().abs().xlogy(b.clone())),
                        Some(g * (a / b)),
                    ),
                    kink: none,
                    tests: [XLogY => (Domain::between(-3.0, 3.0), Domain::between(0.05, 5.0))],
                }
            }
        }
    };
}

pub(crate) use elementwise_primitives;
