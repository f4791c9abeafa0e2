//! Random expression graphs, every op, with reused subexpressions, checked against finite
//! differences to first and second order. A failure prints the shrunk program.

use std::fmt;

use autograd::{Direction, GradCheck, Real, Tape, Var, check_gradients, check_second_order};
use proptest::prelude::*;

/// Unary steps. Ops with a restricted domain take `u = a² + ½ > 0`, so every program is
/// defined everywhere; the printed program shows the guard.
#[derive(Debug, Clone, Copy)]
enum Unary {
    Neg,
    Affine(f64, f64),
    Exp,
    LnGuarded,
    SqrtGuarded,
    PowI(i32),
    PowFGuarded(f64),
    Sin,
    Cos,
    Tanh,
    Sigmoid,
    Ln1pGuarded,
    ExpM1,
    Erf,
    Relu,
    Abs,
    Step,
    Sign,
}

#[derive(Debug, Clone, Copy)]
enum Binary {
    Add,
    Sub,
    Mul,
    DivGuarded,
    PowGuarded,
    Max,
    Min,
    XLogYGuarded,
}

/// One step of a program; operand selectors are reduced modulo the number of values so far,
/// so any selector is valid and shrinking keeps programs well formed.
#[derive(Debug, Clone, Copy)]
enum Step {
    Unary(Unary, usize),
    Binary(Binary, usize, usize),
}

/// A straight-line program: `inputs` inputs, then each step computes a new value from any
/// earlier ones (so subexpressions are reused); the output is the last value.
#[derive(Clone)]
struct Program {
    inputs: usize,
    steps: Vec<Step>,
}

fn guard<R: Real>(a: R) -> R {
    a.clone() * a + 0.5
}

impl Program {
    fn eval<R: Real>(&self, x: &[R]) -> R {
        let mut values: Vec<R> = x.to_vec();
        for step in &self.steps {
            let n = values.len();
            let value = match *step {
                Step::Unary(op, a) => {
                    let a = values[a % n].clone();
                    match op {
                        Unary::Neg => -a,
                        Unary::Affine(s, t) => a.affine(s, t),
                        Unary::Exp => a.exp(),
                        Unary::LnGuarded => guard(a).ln(),
                        Unary::SqrtGuarded => guard(a).sqrt(),
                        Unary::PowI(k) if k < 0 => guard(a).powi(k),
                        Unary::PowI(k) => a.powi(k),
                        Unary::PowFGuarded(p) => guard(a).powf(p),
                        Unary::Sin => a.sin(),
                        Unary::Cos => a.cos(),
                        Unary::Tanh => a.tanh(),
                        Unary::Sigmoid => a.sigmoid(),
                        Unary::Ln1pGuarded => guard(a).ln_1p(),
                        Unary::ExpM1 => a.exp_m1(),
                        Unary::Erf => a.erf(),
                        Unary::Relu => a.relu(),
                        Unary::Abs => a.abs(),
                        Unary::Step => a.step(),
                        Unary::Sign => a.sign(),
                    }
                }
                Step::Binary(op, a, b) => {
                    let (a, b) = (values[a % n].clone(), values[b % n].clone());
                    match op {
                        Binary::Add => a + b,
                        Binary::Sub => a - b,
                        Binary::Mul => a * b,
                        Binary::DivGuarded => a / guard(b),
                        Binary::PowGuarded => guard(a).pow(b),
                        Binary::Max => a.max(b),
                        Binary::Min => a.min(b),
                        Binary::XLogYGuarded => a.xlogy(guard(b)),
                    }
                }
            };
            values.push(value);
        }
        values.last().expect("at least one input").clone()
    }

    /// The program is well scaled at `x` if every intermediate value and every first
    /// derivative is finite and moderate: finite differences lose digits on huge values and
    /// steep slopes (their error grows with the third derivative), which says nothing about
    /// the rules under test.
    fn well_scaled_at(&self, x: &[f64]) -> bool {
        let values_moderate = (0..=self.steps.len()).all(|len| {
            let prefix = Program {
                inputs: self.inputs,
                steps: self.steps[..len].to_vec(),
            };
            let v = prefix.eval(x);
            v.is_finite() && v.abs() < 1e3
        });
        let tape = Tape::new();
        let vars = tape.vars(x);
        let grads = self.eval(&vars).backward().wrt_all(&vars);
        values_moderate && grads.iter().all(|g| g.is_finite() && g.abs() < 1e3)
    }
}

impl fmt::Debug for Program {
    /// Prints the program as the maths it computes, one line per step.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = |i: usize| {
            if i < self.inputs {
                format!("x{i}")
            } else {
                format!("t{i}")
            }
        };
        writeln!(
            f,
            "program with inputs {:?}:",
            (0..self.inputs).map(name).collect::<Vec<_>>()
        )?;
        for (k, step) in self.steps.iter().enumerate() {
            let n = self.inputs + k;
            let expr = match *step {
                Step::Unary(op, a) => {
                    let a = name(a % n);
                    let u = format!("({a}² + ½)");
                    match op {
                        Unary::Neg => format!("-{a}"),
                        Unary::Affine(s, t) => format!("{s} · {a} + {t}"),
                        Unary::Exp => format!("exp({a})"),
                        Unary::LnGuarded => format!("ln{u}"),
                        Unary::SqrtGuarded => format!("sqrt{u}"),
                        Unary::PowI(k) if k < 0 => format!("{u}^{k}"),
                        Unary::PowI(k) => format!("{a}^{k}"),
                        Unary::PowFGuarded(p) => format!("{u}^{p}"),
                        Unary::Sin => format!("sin({a})"),
                        Unary::Cos => format!("cos({a})"),
                        Unary::Tanh => format!("tanh({a})"),
                        Unary::Sigmoid => format!("sigmoid({a})"),
                        Unary::Ln1pGuarded => format!("ln_1p{u}"),
                        Unary::ExpM1 => format!("exp_m1({a})"),
                        Unary::Erf => format!("erf({a})"),
                        Unary::Relu => format!("relu({a})"),
                        Unary::Abs => format!("|{a}|"),
                        Unary::Step => format!("step({a})"),
                        Unary::Sign => format!("sign({a})"),
                    }
                }
                Step::Binary(op, a, b) => {
                    let (a, b) = (name(a % n), name(b % n));
                    match op {
                        Binary::Add => format!("{a} + {b}"),
                        Binary::Sub => format!("{a} - {b}"),
                        Binary::Mul => format!("{a} · {b}"),
                        Binary::DivGuarded => format!("{a} / ({b}² + ½)"),
                        Binary::PowGuarded => format!("({a}² + ½)^{b}"),
                        Binary::Max => format!("max({a}, {b})"),
                        Binary::Min => format!("min({a}, {b})"),
                        Binary::XLogYGuarded => format!("{a} · ln({b}² + ½)"),
                    }
                }
            };
            writeln!(f, "  {} = {expr}", name(n))?;
        }
        write!(f, "  output {}", name(self.inputs + self.steps.len() - 1))
    }
}

fn unary() -> impl Strategy<Value = Unary> {
    prop_oneof![
        Just(Unary::Neg),
        (-2.0..2.0, -1.0..1.0).prop_map(|(s, t)| Unary::Affine(s, t)),
        Just(Unary::Exp),
        Just(Unary::LnGuarded),
        Just(Unary::SqrtGuarded),
        (-3i32..4).prop_map(Unary::PowI),
        (-1.5..2.5).prop_map(Unary::PowFGuarded),
        Just(Unary::Sin),
        Just(Unary::Cos),
        Just(Unary::Tanh),
        Just(Unary::Sigmoid),
        Just(Unary::Ln1pGuarded),
        Just(Unary::ExpM1),
        Just(Unary::Erf),
        Just(Unary::Relu),
        Just(Unary::Abs),
        Just(Unary::Step),
        Just(Unary::Sign),
    ]
}

fn binary() -> impl Strategy<Value = Binary> {
    prop_oneof![
        Just(Binary::Add),
        Just(Binary::Sub),
        Just(Binary::Mul),
        Just(Binary::DivGuarded),
        Just(Binary::PowGuarded),
        Just(Binary::Max),
        Just(Binary::Min),
        Just(Binary::XLogYGuarded),
    ]
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        (unary(), any::<usize>()).prop_map(|(op, a)| Step::Unary(op, a)),
        (binary(), any::<usize>(), any::<usize>()).prop_map(|(op, a, b)| Step::Binary(op, a, b)),
    ]
}

/// A program of 1 to 3 inputs and 1 to 10 steps, with a point to evaluate it at.
fn program_and_point() -> impl Strategy<Value = (Program, Vec<f64>)> {
    (1usize..=3, prop::collection::vec(step(), 1..=10)).prop_flat_map(|(inputs, steps)| {
        (
            Just(Program { inputs, steps }),
            prop::collection::vec(-2.0..2.0, inputs),
        )
    })
}

fn config() -> ProptestConfig {
    ProptestConfig {
        // PROPTEST_CASES raises it for a soak run.
        cases: std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|c| c.parse().ok())
            .unwrap_or(512),
        max_global_rejects: 100_000,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn values_on_the_tape_equal_values_on_numbers((program, x) in program_and_point()) {
        let tape = Tape::new();
        let recorded = program.eval(&tape.vars(&x)).value();
        let plain = program.eval(&x);
        prop_assert!(recorded.to_bits() == plain.to_bits() || (recorded.is_nan() && plain.is_nan()));
    }

    #[test]
    fn first_derivatives_match_finite_differences((program, x) in program_and_point()) {
        prop_assume!(program.well_scaled_at(&x));
        let config = GradCheck { abs_tol: 1e-5, rel_tol: 1e-5, ..GradCheck::default() };
        check_gradients(|v: &[Var<'_>]| program.eval(v), &x, &config)
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
    }

    #[test]
    fn second_derivatives_match_finite_differences((program, x) in program_and_point()) {
        prop_assume!(program.well_scaled_at(&x));
        let config = GradCheck { abs_tol: 1e-4, rel_tol: 1e-4, ..GradCheck::second_order() };
        check_second_order(|v: &[Var<'_>]| program.eval(v), &x, &config)
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
    }

    #[test]
    fn forward_mode_agrees_with_reverse_mode_to_second_order(
        (program, x) in program_and_point(),
        v in prop::collection::vec(-1.0f64..1.0, 4),
    ) {
        prop_assume!(program.well_scaled_at(&x));
        let tape = Tape::new();
        let vars = tape.vars(&x);
        let y = program.eval(&vars);
        let graph = y.backward_graph();
        let grad = graph.wrt_all(&vars);
        let direction = vars.iter().zip(&v).fold(Direction::new(), |d, (&xi, &vi)| d.along(xi, vi));
        let tangents = tape.jvp(&direction);
        let close = |a: f64, b: f64| (a - b).abs() <= 1e-9 * (1.0 + a.abs().max(b.abs()));
        // J v (forward) against ∇y · v (reverse)
        let reverse: f64 = grad.iter().zip(&v).map(|(g, vi)| g.value() * vi).sum();
        prop_assert!(close(tangents.of(y), reverse), "y' = {} but ∇y·v = {reverse}", tangents.of(y));
        // H v: tangents of the recorded gradient against the gradient of ∇y · v
        let grad_dot_v = grad.iter().zip(&v).map(|(&g, &vi)| g * vi).reduce(|a, b| a + b).unwrap();
        let hv = grad_dot_v.backward();
        let tangents = tape.jvp(&direction);
        for (g, &xi) in grad.iter().zip(&vars) {
            prop_assert!(close(tangents.of(*g), hv.wrt(xi)), "(H v): {} vs {}", tangents.of(*g), hv.wrt(xi));
        }
    }
}
