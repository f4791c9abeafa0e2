//! Gradient checking: analytic derivatives from the tape against central finite differences.
//!
//! `∂f/∂x_i ≈ (f(x + h e_i) - f(x - h e_i)) / 2h`, with `h = step · max(1, |x_i|)`, all in
//! `f64`. A derivative passes when `|analytic - numeric| ≤ abs_tol + rel_tol · max(|analytic|,
//! |numeric|)`.
//!
//! Finite differences are meaningless across a kink (`relu`, `abs`, `max`, `min`, `step`,
//! `sign`): there the two sides of the difference see different formulas. The checker reads
//! the recorded tape, and when moving `x_i` by `±h` flips the side of any kink, it marks that
//! derivative `near_kink` and does not compare it, rather than report a false failure or
//! hide a real one.

use crate::error::{Error, Result};
use crate::ops::{Kink, NodeId};
use crate::tape::{Tape, Value};
use crate::tensor::Tensor;
use crate::var::Var;

/// Step and tolerances of a gradient check.
///
/// ```
/// use autograd::GradCheck;
///
/// let loose = GradCheck { rel_tol: 1e-4, ..GradCheck::default() };
/// assert_eq!(loose.step, GradCheck::default().step);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GradCheck {
    /// Relative finite-difference step: `h = step · max(1, |x_i|)`.
    pub step: f64,
    /// Absolute tolerance.
    pub abs_tol: f64,
    /// Relative tolerance, scaled by the larger of the two derivatives.
    pub rel_tol: f64,
}

impl Default for GradCheck {
    /// For first derivatives: `h ≈ ∛ε` balances truncation (`h²`) against rounding (`ε/h`).
    fn default() -> Self {
        GradCheck {
            step: 1e-6,
            abs_tol: 1e-6,
            rel_tol: 1e-5,
        }
    }
}

impl GradCheck {
    /// Defaults for [`check_second_order`]: differences of exact first derivatives allow a
    /// slightly larger step.
    ///
    /// ```
    /// use autograd::GradCheck;
    /// assert!(GradCheck::second_order().step > GradCheck::default().step);
    /// ```
    pub fn second_order() -> Self {
        GradCheck {
            step: 1e-5,
            abs_tol: 1e-5,
            rel_tol: 1e-5,
        }
    }

    fn tolerance(&self, analytic: f64, numeric: f64) -> f64 {
        self.abs_tol + self.rel_tol * analytic.abs().max(numeric.abs())
    }
}

/// One derivative compared.
///
/// ```
/// let report = autograd::check_gradients(|v| v[0] * v[0], &[3.0], &Default::default()).unwrap();
/// let check = &report.checks[0];
/// assert_eq!((check.what.as_str(), check.analytic), ("∂f/∂x[0]", 6.0));
/// assert!((check.numeric - 6.0).abs() < 1e-6 && !check.near_kink);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct DerivativeCheck {
    /// Which derivative: `∂f/∂x[1]` or `∂²f/∂x[0]∂x[1]`.
    pub what: String,
    /// From the tape.
    pub analytic: f64,
    /// From central finite differences.
    pub numeric: f64,
    /// `true` when the finite difference straddles a kink: not compared.
    pub near_kink: bool,
}

/// What a passing gradient check compared.
///
/// ```
/// let report = autograd::check_gradients(|v| v[0] * v[1], &[1.0, 2.0], &Default::default());
/// assert_eq!(report.unwrap().checks.len(), 2);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct GradCheckReport {
    /// Every derivative, in order.
    pub checks: Vec<DerivativeCheck>,
}

impl GradCheckReport {
    /// How many derivatives were compared and agreed.
    ///
    /// ```
    /// let report = autograd::check_gradients(|v| v[0].exp(), &[1.0], &Default::default());
    /// assert_eq!(report.unwrap().compared(), 1);
    /// ```
    pub fn compared(&self) -> usize {
        self.checks.iter().filter(|c| !c.near_kink).count()
    }

    /// How many were skipped because the finite difference straddles a kink.
    ///
    /// ```
    /// // relu at exactly 0: the difference straddles the kink
    /// let report = autograd::check_gradients(|v| v[0].relu(), &[0.0], &Default::default());
    /// assert_eq!(report.unwrap().near_kink(), 1);
    /// ```
    pub fn near_kink(&self) -> usize {
        self.checks.iter().filter(|c| c.near_kink).count()
    }
}

/// One evaluation of `f` on a fresh tape: its value, gradient and which side of each kink
/// it is on.
struct Evaluation {
    value: f64,
    gradient: Vec<f64>,
    kinks: Vec<i8>,
}

fn evaluate<F>(f: &F, tape: &mut Tape, x: &[f64], with_gradient: bool) -> Evaluation
where
    F: for<'t> Fn(&[Var<'t>]) -> Var<'t>,
{
    tape.clear();
    let vars = tape.vars(x);
    let out = f(&vars);
    let gradient = if with_gradient {
        out.backward().wrt_all(&vars)
    } else {
        Vec::new()
    };
    Evaluation {
        value: out.value(),
        gradient,
        kinks: kink_sides(tape),
    }
}

/// The side (-1, 0, 1) of every kink the recorded function passes through, element by
/// element for tensors.
pub(crate) fn kink_sides(tape: &Tape) -> Vec<i8> {
    tape.with_contents(|nodes, tensors, params| {
        let value = |id: NodeId| match nodes[id as usize].value() {
            Value::Scalar(v) => Tensor::scalar(v),
            Value::Tensor(slot) => tensors[slot as usize].to_f64(),
        };
        let mut sides = Vec::new();
        for node in nodes {
            let Some(kink) = node.op.kink() else {
                continue;
            };
            let argument = match kink {
                Kink::SignOf(a) => value(a),
                Kink::SignOfDifference(a, b) => value(a).zip("kink", &value(b), |x, y| x - y),
                // 1 where an element is the extreme, 0 elsewhere: a new argmax is a new side.
                Kink::Extreme { x, axes, max } => {
                    let x = value(x);
                    let axes = &params[axes.0 as usize];
                    let extreme = if max {
                        x.try_max_axes(axes, true)
                    } else {
                        x.try_min_axes(axes, true)
                    };
                    let extreme = extreme.expect("the axes were checked when recorded");
                    x.try_eq(&extreme)
                        .expect("a kept reduction broadcasts back")
                }
            };
            sides.extend(argument.as_slice().iter().map(|&x| {
                if x > 0.0 {
                    1
                } else if x < 0.0 {
                    -1
                } else {
                    0
                }
            }));
        }
        sides
    })
}

fn moved(x: &[f64], i: usize, by: f64) -> Vec<f64> {
    let mut x = x.to_vec();
    x[i] += by;
    x
}

pub(crate) fn step_for(config: &GradCheck, x_i: f64) -> f64 {
    config.step * x_i.abs().max(1.0)
}

pub(crate) fn compare(
    config: &GradCheck,
    at: &[f64],
    check: DerivativeCheck,
) -> Result<DerivativeCheck> {
    let tolerance = config.tolerance(check.analytic, check.numeric);
    let error = (check.analytic - check.numeric).abs();
    // Written so that a NaN on either side fails: NaN is never "within tolerance".
    let within = error <= tolerance;
    if !check.near_kink && !within {
        return Err(Error::GradientMismatch {
            what: check.what,
            point: at.to_vec(),
            analytic: check.analytic,
            numeric: check.numeric,
            error,
            tolerance,
        });
    }
    Ok(check)
}

/// Returns `f` unchanged, typed as a function of scalar variables on any tape, so that a
/// closure stored in a `let` can be passed to the checkers more than once.
///
/// (A closure passed straight to a checker gets that type by itself; one stored first is
/// tied to a single tape's lifetime unless it passes through here.)
///
/// ```
/// use autograd::{check_gradients, check_second_order, scalar_function, GradCheck};
///
/// let f = scalar_function(|v| (v[0] * v[1]).exp());
/// check_gradients(&f, &[0.5, 1.5], &GradCheck::default()).unwrap();
/// check_second_order(&f, &[0.5, 1.5], &GradCheck::second_order()).unwrap();
/// ```
pub fn scalar_function<F>(f: F) -> F
where
    F: for<'t> Fn(&[Var<'t>]) -> Var<'t>,
{
    f
}

/// Checks every first derivative of `f` at `at` against central finite differences.
///
/// `f` builds its output from the input variables; it is called on fresh tapes, `2n + 1`
/// times. On failure the error names the input, the analytic and numeric values and the error.
///
/// ```
/// use autograd::{check_gradients, GradCheck, Real};
///
/// // f(x, y) = x·e^y + relu(x - y), written once for numbers and variables
/// fn f<R: Real + Copy>(v: &[R]) -> R {
///     v[0] * v[1].exp() + (v[0] - v[1]).relu()
/// }
/// let report = check_gradients(|v| f(v), &[0.3, -0.7], &GradCheck::default()).unwrap();
/// assert_eq!(report.compared(), 2);
///
/// // On the kink of relu (x = y) the derivatives are not compared, not failed.
/// let report = check_gradients(|v| f(v), &[0.5, 0.5], &GradCheck::default()).unwrap();
/// assert_eq!(report.near_kink(), 2);
/// ```
pub fn check_gradients<F>(f: F, at: &[f64], config: &GradCheck) -> Result<GradCheckReport>
where
    F: for<'t> Fn(&[Var<'t>]) -> Var<'t>,
{
    let mut tape = Tape::new();
    let base = evaluate(&f, &mut tape, at, true);
    if !base.value.is_finite() {
        return Err(Error::NonFiniteValue {
            point: at.to_vec(),
            value: base.value,
        });
    }
    let mut checks = Vec::with_capacity(at.len());
    for i in 0..at.len() {
        let h = step_for(config, at[i]);
        let plus = evaluate(&f, &mut tape, &moved(at, i, h), false);
        let minus = evaluate(&f, &mut tape, &moved(at, i, -h), false);
        let check = DerivativeCheck {
            what: format!("∂f/∂x[{i}]"),
            analytic: base.gradient[i],
            numeric: (plus.value - minus.value) / (2.0 * h),
            near_kink: plus.kinks != base.kinks || minus.kinks != base.kinks,
        };
        checks.push(compare(config, at, check)?);
    }
    Ok(GradCheckReport { checks })
}

/// Checks every second derivative of `f` at `at`: the Hessian from the recorded backward pass
/// ([`Var::backward_graph`]) against central finite differences of first derivatives.
///
/// ```
/// use autograd::{check_second_order, GradCheck};
///
/// // Rosenbrock: f(x, y) = (1 - x)² + 100 (y - x²)²
/// let report = check_second_order(
///     |v| (1.0 - v[0]).powi(2) + 100.0 * (v[1] - v[0] * v[0]).powi(2), &[-1.2, 1.0], &GradCheck::second_order()).unwrap();
/// assert_eq!(report.compared(), 4);
/// ```
pub fn check_second_order<F>(f: F, at: &[f64], config: &GradCheck) -> Result<GradCheckReport>
where
    F: for<'t> Fn(&[Var<'t>]) -> Var<'t>,
{
    let n = at.len();
    let mut tape = Tape::new();
    let (value, hessian) = {
        let vars = tape.vars(at);
        let out = f(&vars);
        let gradient = out.backward_graph().wrt_all(&vars);
        let hessian: Vec<Vec<f64>> = gradient
            .iter()
            .map(|g_i| g_i.backward().wrt_all(&vars))
            .collect();
        (out.value(), hessian)
    };
    if !value.is_finite() {
        return Err(Error::NonFiniteValue {
            point: at.to_vec(),
            value,
        });
    }
    let base_kinks = evaluate(&f, &mut tape, at, false).kinks;
    let mut checks = Vec::with_capacity(n * n);
    for j in 0..n {
        let h = step_for(config, at[j]);
        let plus = evaluate(&f, &mut tape, &moved(at, j, h), true);
        let minus = evaluate(&f, &mut tape, &moved(at, j, -h), true);
        let near_kink = plus.kinks != base_kinks || minus.kinks != base_kinks;
        for (i, row) in hessian.iter().enumerate() {
            let check = DerivativeCheck {
                what: format!("∂²f/∂x[{i}]∂x[{j}]"),
                analytic: row[j],
                numeric: (plus.gradient[i] - minus.gradient[i]) / (2.0 * h),
                near_kink,
            };
            checks.push(compare(config, at, check)?);
        }
    }
    Ok(GradCheckReport { checks })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wrong_derivative_is_reported_with_the_evidence() {
        // x.detach() hides x from the tape, so the analytic derivative of x·x̂ is x, not 2x.
        let err =
            check_gradients(|v| v[0] * v[0].detach(), &[3.0], &GradCheck::default()).unwrap_err();
        match err {
            Error::GradientMismatch {
                what,
                analytic,
                numeric,
                ..
            } => {
                assert_eq!(what, "∂f/∂x[0]");
                assert_eq!(analytic, 3.0);
                assert!((numeric - 6.0).abs() < 1e-6);
            }
            other => panic!("expected a mismatch, got {other:?}"),
        }
    }

    #[test]
    fn a_wrong_second_derivative_is_reported() {
        // The gradient graph of x · detach(x)² sees only the first factor.
        let err = check_second_order(
            |v| v[0] * v[0].detach().powi(2),
            &[2.0],
            &GradCheck::second_order(),
        )
        .unwrap_err();
        assert!(err.to_string().contains("∂²f/∂x[0]∂x[0]"), "{err}");
    }

    #[test]
    fn non_finite_values_are_refused() {
        let err = check_gradients(|v| v[0].ln(), &[-1.0], &GradCheck::default()).unwrap_err();
        assert!(matches!(err, Error::NonFiniteValue { .. }));
    }

    #[test]
    fn kinks_are_detected_only_for_the_inputs_that_reach_them() {
        // |x| at 0 is a kink; y never meets it.
        let report = check_gradients(
            |v| v[0].abs() + v[1] * v[1],
            &[0.0, 1.5],
            &GradCheck::default(),
        )
        .unwrap();
        assert!(report.checks[0].near_kink);
        assert!(!report.checks[1].near_kink);
        assert_eq!(report.checks[1].analytic, 3.0);
    }
}
