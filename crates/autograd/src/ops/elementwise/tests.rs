//! The generated property tests: every entry of the table (`Unary::test_cases`,
//! `Binary::test_cases`), at random points of its domain, on every path the engine has.
//! A new primitive is tested here without a line of its own.
//!
//! For each sample: the value on the tape equals the table's function on `f64` to the bit;
//! the first and second derivatives agree with finite differences (samples straddling a kink
//! are reported `near_kink` and not compared); an f64 tensor gives the scalar's values and
//! gradients to the bit; forward mode gives reverse mode's derivative to the bit; an f32
//! tensor agrees with f64 to f32 precision.

use proptest::prelude::*;

use crate::{
    Binary, Direction, Domain, GradCheck, Tape, Tensor, Unary, Var, check_gradients,
    check_second_order,
};

/// Points of `domain` from uniform draws; `None` if a draw falls outside (a pole).
fn points(domain: &Domain, draws: &[(f64, bool)]) -> Vec<f64> {
    draws
        .iter()
        .map(|&(t, negative)| domain.at(t, negative))
        .filter(|&x| domain.contains(x))
        .collect()
}

fn unary_fn(op: Unary) -> impl for<'t> Fn(&[Var<'t>]) -> Var<'t> {
    move |v| v[0].apply(op)
}

fn binary_fn(op: Binary) -> impl for<'t> Fn(&[Var<'t>]) -> Var<'t> {
    move |v| v[0].apply_binary(op, v[1])
}

fn fail(op: &str, what: &str, detail: String) -> TestCaseError {
    TestCaseError::fail(format!("{op}: {what}: {detail}"))
}

/// `|a - b| ≤ tol · max(1, |b|)`, NaN only with NaN.
fn close(a: f64, b: f64, tol: f64) -> bool {
    (a.is_nan() && b.is_nan()) || (a - b).abs() <= tol * b.abs().max(1.0)
}

fn check_unary(op: Unary, xs: &[f64]) -> Result<(), TestCaseError> {
    let name = op.name();
    // scalar: value, first and second order
    for &x in xs {
        let tape = Tape::new();
        let v = tape.var(x);
        let y = v.apply(op);
        if y.value().to_bits() != op.eval(x).to_bits() {
            return Err(fail(
                name,
                "value",
                format!("{} vs {} at {x}", y.value(), op.eval(x)),
            ));
        }
        let f = unary_fn(op);
        check_gradients(&f, &[x], &GradCheck::default())
            .map_err(|e| fail(name, "gradient", e.to_string()))?;
        check_second_order(&f, &[x], &GradCheck::second_order())
            .map_err(|e| fail(name, "second order", e.to_string()))?;
        // forward mode equals reverse mode
        let slope = y.backward().wrt(v);
        let tangent = tape.jvp(&Direction::new().along(v, 1.0)).of(y);
        if tangent.to_bits() != slope.to_bits() && !(tangent == 0.0 && slope == 0.0) {
            return Err(fail(
                name,
                "forward mode",
                format!("{tangent} vs {slope} at {x}"),
            ));
        }
    }
    // an f64 tensor of the same points: the scalar's values and gradients, to the bit
    let tape = Tape::new();
    let t = tape.tensor(Tensor::<f64>::from_vec(xs.to_vec(), [xs.len()]).unwrap());
    let y = t.apply(op);
    let grads = y.sum().backward().wrt(t).to_vec();
    for (i, &x) in xs.iter().enumerate() {
        let scalar_tape = Tape::new();
        let v = scalar_tape.var(x);
        let s = v.apply(op);
        let slope = s.backward().wrt(v);
        let value = y.value().to_vec()[i];
        if value.to_bits() != s.value().to_bits()
            || !(grads[i] == slope || grads[i].to_bits() == slope.to_bits())
        {
            return Err(fail(
                name,
                "f64 tensor",
                format!(
                    "value {value} vs {}, gradient {} vs {slope} at {x}",
                    s.value(),
                    grads[i]
                ),
            ));
        }
    }
    // f32 agrees with f64 to f32 precision (values; gradients where the value is tame)
    let tape = Tape::new();
    let xs32: Vec<f32> = xs.iter().map(|&x| x as f32).collect();
    let t32 = tape.tensor(Tensor::<f32>::from_vec(xs32.clone(), [xs.len()]).unwrap());
    let y32 = t32.apply(op);
    let g32 = y32.sum().backward().wrt(t32).to_vec();
    for (i, &x32) in xs32.iter().enumerate() {
        let x = f64::from(x32);
        let scalar_tape = Tape::new();
        let v = scalar_tape.var(x);
        let s = v.apply(op);
        let slope = s.backward().wrt(v);
        let (value, grad) = (f64::from(y32.value().to_vec()[i]), f64::from(g32[i]));
        if !close(value, s.value(), 1e-5) || !close(grad, slope, 1e-4) {
            return Err(fail(
                name,
                "f32 tensor",
                format!(
                    "value {value} vs {}, gradient {grad} vs {slope} at {x}",
                    s.value()
                ),
            ));
        }
    }
    Ok(())
}

fn check_binary(op: Binary, pairs: &[(f64, f64)]) -> Result<(), TestCaseError> {
    let name = op.name();
    for &(a, b) in pairs {
        let tape = Tape::new();
        let (va, vb) = (tape.var(a), tape.var(b));
        let y = va.apply_binary(op, vb);
        if y.value().to_bits() != op.eval(a, b).to_bits() {
            return Err(fail(name, "value", format!("at ({a}, {b})")));
        }
        let f = binary_fn(op);
        check_gradients(&f, &[a, b], &GradCheck::default())
            .map_err(|e| fail(name, "gradient", e.to_string()))?;
        check_second_order(&f, &[a, b], &GradCheck::second_order())
            .map_err(|e| fail(name, "second order", e.to_string()))?;
        let grads = y.backward();
        let tangents = tape.jvp(&Direction::new().along(va, 1.0).along(vb, 1.0));
        let (reverse, forward) = (grads.wrt(va) + grads.wrt(vb), tangents.of(y));
        if !close(forward, reverse, 1e-15) {
            return Err(fail(
                name,
                "forward mode",
                format!("{forward} vs {reverse} at ({a}, {b})"),
            ));
        }
    }
    // tensors, with the second operand broadcast from a 0-d tensor
    for &(a, b) in pairs {
        let tape = Tape::new();
        let ta = tape.tensor(Tensor::<f64>::full([2], a));
        let tb = tape.tensor(Tensor::<f64>::scalar(b));
        let y = ta.try_apply_binary(op, tb).unwrap();
        let grads = y.sum().backward();
        let scalar_tape = Tape::new();
        let (va, vb) = (scalar_tape.var(a), scalar_tape.var(b));
        let s = va.apply_binary(op, vb);
        let sg = s.backward();
        let ok = y
            .value()
            .to_vec()
            .iter()
            .all(|v| v.to_bits() == s.value().to_bits())
            && grads.wrt(ta).to_vec().iter().all(|&g| g == sg.wrt(va))
            && close(grads.wrt(tb).item().unwrap(), 2.0 * sg.wrt(vb), 1e-15);
        if !ok {
            return Err(fail(name, "f64 tensor", format!("at ({a}, {b})")));
        }
    }
    Ok(())
}

proptest! {
    #[test]
    fn every_unary_primitive_on_every_path(draws in prop::collection::vec((0.0..=1.0f64, any::<bool>()), 3)) {
        for (op, domain) in Unary::test_cases() {
            let xs = points(&domain, &draws);
            if !xs.is_empty() {
                check_unary(op, &xs)?;
            }
        }
    }

    #[test]
    fn every_binary_primitive_on_every_path(
        draws_a in prop::collection::vec((0.0..=1.0f64, any::<bool>()), 2),
        draws_b in prop::collection::vec((0.0..=1.0f64, any::<bool>()), 2),
    ) {
        for (op, (domain_a, domain_b)) in Binary::test_cases() {
            let pairs: Vec<(f64, f64)> = points(&domain_a, &draws_a)
                .into_iter()
                .zip(points(&domain_b, &draws_b))
                .collect();
            check_binary(op, &pairs)?;
        }
    }
}

/// The worked example of `docs/ARCHITECTURE.md`: `cube` exists only in test builds and is
/// one entry of the table. Everything below comes from that entry.
#[test]
fn a_primitive_added_in_one_entry_reaches_every_layer() {
    use crate::Real;
    let tape = Tape::new();
    let x = tape.var(2.0);
    let y = x.cube(); // the method on Var
    assert_eq!((y.value(), y.backward().wrt(x)), (8.0, 12.0));
    assert_eq!(y.op().to_string(), "cube(#0)"); // the Op and its name
    assert_eq!(Real::cube(2.0f64), 8.0); // the Real method on numbers
    let t = tape.tensor(Tensor::<f32>::full([2], 3.0));
    assert_eq!(t.cube().value().to_vec(), vec![27.0; 2]); // on tensor variables
    assert_eq!(Tensor::<f64>::full([1], -1.0).cube().to_vec(), vec![-1.0]); // on raw tensors
    // recorded gradients differentiate again: d²/dx² x³ = 6x
    let dydx = x.cube().backward_graph().wrt(x);
    assert_eq!(dydx.backward().wrt(x), 12.0);
    // and it is in the generated property tests above
    assert!(Unary::test_cases().iter().any(|(op, _)| *op == Unary::Cube));
}
