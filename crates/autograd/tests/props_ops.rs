//! Every scalar op, over its domain, against finite differences to first and second order,
//! and against the same formula on plain numbers.
//!
//! Kinks (`relu`, `abs`, `max`, `min`, `step`, `sign`) are sampled on both sides; a sample
//! whose finite difference straddles a kink is reported `near_kink` by the checker and not
//! compared.

use autograd::{GradCheck, Real, Tape, Var, check_gradients, check_second_order};
use proptest::prelude::*;

/// One property test per op: `name(inputs in domains; parameters in ranges) => |x| body`.
/// The body is expanded twice, once on plain numbers and once on tape variables.
macro_rules! op_props {
    ($($name:ident($($arg:ident in $domain:expr),+ $(; $param:ident in $range:expr)*)
        => |$x:ident| $body:expr;)+) => {
        proptest! {
            $(
                #[test]
                fn $name($($arg in $domain,)+ $($param in $range),*) {
                    let at = [$($arg),+];
                    check_op(|$x: &[f64]| $body, |$x| $body, &at)?;
                }
            )+
        }
    };
}

/// The op's value on the tape equals its value on numbers to the bit, and its first and
/// second derivatives agree with finite differences.
fn check_op(
    plain: impl Fn(&[f64]) -> f64,
    recorded: impl for<'t> Fn(&[Var<'t>]) -> Var<'t>,
    at: &[f64],
) -> Result<(), TestCaseError> {
    let tape = Tape::new();
    let value = recorded(&tape.vars(at)).value();
    prop_assert!(
        value.to_bits() == plain(at).to_bits(),
        "value on the tape {value} differs from plain {}",
        plain(at)
    );
    let report = check_gradients(&recorded, at, &GradCheck::default())
        .map_err(|e| TestCaseError::fail(e.to_string()))?;
    prop_assert_eq!(report.checks.len(), at.len());
    check_second_order(&recorded, at, &GradCheck::second_order())
        .map_err(|e| TestCaseError::fail(e.to_string()))?;
    Ok(())
}

/// A number of either sign whose magnitude lies in `lo..hi`.
fn signed(lo: f64, hi: f64) -> impl Strategy<Value = f64> {
    (lo..hi, any::<bool>()).prop_map(|(m, negative)| if negative { -m } else { m })
}

op_props! {
    add(a in -10.0..10.0, b in -10.0..10.0) => |x| x[0] + x[1];
    sub(a in -10.0..10.0, b in -10.0..10.0) => |x| x[0] - x[1];
    mul(a in -10.0..10.0, b in -10.0..10.0) => |x| x[0] * x[1];
    div(a in -10.0..10.0, b in signed(0.1, 10.0)) => |x| x[0] / x[1];
    neg(a in -10.0..10.0) => |x| -x[0];
    affine(a in -10.0..10.0) => |x| x[0].affine(-2.5, 0.75);
    plus_number(a in -10.0..10.0) => |x| 3.0 - x[0] * 2.0 + x[0] / 4.0;
    exp(a in -5.0..5.0) => |x| x[0].exp();
    ln(a in 0.01..100.0) => |x| x[0].ln();
    sqrt(a in 0.01..100.0) => |x| x[0].sqrt();
    powi_positive(a in -3.0..3.0; n in 0i32..6) => |x| x[0].powi(n);
    powi_negative(a in signed(0.1, 3.0); n in -4i32..0) => |x| x[0].powi(n);
    powf(a in 0.05..10.0; p in -2.5..2.5) => |x| x[0].powf(p);
    pow(a in 0.05..10.0, b in -3.0..3.0) => |x| x[0].pow(x[1]);
    sin(a in -10.0..10.0) => |x| x[0].sin();
    cos(a in -10.0..10.0) => |x| x[0].cos();
    tanh(a in -10.0..10.0) => |x| x[0].tanh();
    sigmoid(a in -30.0..30.0) => |x| x[0].sigmoid();
    ln_1p(a in -0.95..20.0) => |x| x[0].ln_1p();
    exp_m1(a in -5.0..5.0) => |x| x[0].exp_m1();
    erf(a in -4.0..4.0) => |x| Real::erf(x[0]);
    relu(a in -5.0..5.0) => |x| x[0].relu();
    abs(a in -5.0..5.0) => |x| x[0].abs();
    max(a in -3.0..3.0, b in -3.0..3.0) => |x| x[0].max(x[1]);
    min(a in -3.0..3.0, b in -3.0..3.0) => |x| x[0].min(x[1]);
    step(a in -5.0..5.0) => |x| x[0].step() * x[0];
    sign(a in -5.0..5.0) => |x| x[0].sign() * x[0] * x[0];
    xlogy(a in -3.0..3.0, b in 0.05..10.0) => |x| x[0].xlogy(x[1]);
}
