//! # 07 · Activation functions and their derivatives
//!
//! Threshold, sigmoid, tanh, ReLU, leaky ReLU, ELU, softplus and GELU (`nn::activations`),
//! each drawn with its derivative, the derivative read off the autograd tape (record `f(z)`,
//! run backward, read `∂f/∂z`), never typed in. The properties the lecture lists
//! (nonlinearity, range, monotonicity, saturation, zero-centring, identity near the origin,
//! smoothness) are then measured from samples on `[−10, 10]` and compared with the textbook's
//! table, and the tape's derivatives with the textbook formulas (`σ' = σ(1 − σ)`,
//! `tanh' = 1 − tanh²`, ...).
//!
//! Run: `cargo run --release --example 07_activations` (and `-- --quick` for the few-second
//! version). The chapter: `docs/course/07-activations.md`.

use autograd::{Tape, Tensor};
use nn::Activation;
use notebook::{Chart, Figure, Notebook, bounds};

/// The leaky ReLU's slope for z < 0: larger than the usual 0.01 so that it shows in the plots.
const ALPHA: f64 = 0.1;
/// Where saturation is judged: `|f'| < SATURATED` at `z = ±10` means no gradient gets through.
const SATURATED: f64 = 1e-3;

/// An end of the stated range of `f`.
#[derive(Debug, Clone, Copy, PartialEq)]
enum End {
    /// Approached but never reached, as σ approaches 0 and 1.
    Open(f64),
    /// Reached, as ReLU reaches 0 (or GELU its minimum).
    Closed(f64),
    /// No bound: `f` keeps growing (its slope at the end of the samples is not small).
    Unbounded,
}

/// What happens to `f` at `z = 0`.
#[derive(Debug, Clone, Copy, PartialEq)]
enum AtZero {
    /// `f'` is continuous.
    Smooth,
    /// `f` is continuous but `f'` jumps (a corner).
    Kink,
    /// `f` itself jumps.
    Jump,
}

/// The textbook's table: what each property should be.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Properties {
    range: (End, End),
    monotonic: bool,
    /// Saturates as z → −∞, as z → +∞ (`f' → 0`).
    saturates: (bool, bool),
    /// The mean output for a standard normal input is about 0.
    zero_centred: bool,
    /// `f(0) = 0` and `f' ≈ 1` on both sides of 0: `f(z) ≈ z` near the origin.
    identity_near_0: bool,
    at_zero: AtZero,
}

struct Subject {
    name: &'static str,
    activation: Activation,
    expected: Properties,
    /// The textbook derivative, away from 0 (where the kinks are).
    formula: fn(f64) -> f64,
}

fn sigma(z: f64) -> f64 {
    1.0 / (1.0 + (-z).exp())
}

/// GELU, `z Φ(z)`, differentiated by hand: `f' = Φ(z) + z φ(z)`, with the normal
/// distribution's CDF `Φ(z) = ½ (1 + erf(z / √2))` and density `φ(z) = e^(−z²/2) / √(2π)`.
fn gelu_slope(z: f64) -> f64 {
    let cdf = 0.5 * (1.0 + autograd::Real::erf(z / std::f64::consts::SQRT_2));
    let density = (-z * z / 2.0).exp() / (2.0 * std::f64::consts::PI).sqrt();
    cdf + z * density
}

fn subjects() -> Vec<Subject> {
    use AtZero::*;
    use End::*;
    let p = |range, monotonic, saturates, zero_centred, identity_near_0, at_zero| Properties {
        range,
        monotonic,
        saturates,
        zero_centred,
        identity_near_0,
        at_zero,
    };
    vec![
        Subject {
            name: "threshold",
            activation: Activation::Threshold,
            expected: p(
                (Closed(0.0), Closed(1.0)),
                true,
                (true, true),
                false,
                false,
                Jump,
            ),
            formula: |_| 0.0,
        },
        Subject {
            name: "sigmoid",
            activation: Activation::Sigmoid,
            expected: p(
                (Open(0.0), Open(1.0)),
                true,
                (true, true),
                false,
                false,
                Smooth,
            ),
            formula: |z| sigma(z) * (1.0 - sigma(z)),
        },
        Subject {
            name: "tanh",
            activation: Activation::Tanh,
            expected: p(
                (Open(-1.0), Open(1.0)),
                true,
                (true, true),
                true,
                true,
                Smooth,
            ),
            formula: |z| 1.0 - z.tanh().powi(2),
        },
        Subject {
            name: "ReLU",
            activation: Activation::Relu,
            expected: p(
                (Closed(0.0), Unbounded),
                true,
                (true, false),
                false,
                false,
                Kink,
            ),
            formula: |z| if z > 0.0 { 1.0 } else { 0.0 },
        },
        Subject {
            name: "leaky ReLU",
            activation: Activation::LeakyRelu(ALPHA),
            expected: p(
                (Unbounded, Unbounded),
                true,
                (false, false),
                false,
                false,
                Kink,
            ),
            formula: |z| if z > 0.0 { 1.0 } else { ALPHA },
        },
        Subject {
            name: "ELU",
            activation: Activation::Elu(1.0),
            expected: p(
                (Open(-1.0), Unbounded),
                true,
                (true, false),
                false,
                true,
                Smooth,
            ),
            formula: |z| if z > 0.0 { 1.0 } else { z.exp() },
        },
        Subject {
            name: "softplus",
            activation: Activation::Softplus,
            expected: p(
                (Open(0.0), Unbounded),
                true,
                (true, false),
                false,
                false,
                Smooth,
            ),
            formula: sigma,
        },
        Subject {
            name: "GELU",
            // its minimum, about −0.170 near z = −0.75, is reached
            activation: Activation::Gelu,
            expected: p(
                (Closed(-0.17), Unbounded),
                false,
                (true, false),
                false,
                false,
                Smooth,
            ),
            formula: gelu_slope,
        },
    ]
}

/// `f` and `f'` at every sample, the derivative from one backward pass: `f` acts elementwise,
/// so `∂(Σ_j f(z_j)) / ∂z_i = f'(z_i)`.
fn values_and_slopes(activation: Activation, z: &Tensor<f64>) -> (Vec<f64>, Vec<f64>) {
    let tape = Tape::new();
    let zs = tape.tensor(z.clone());
    let y = activation.apply(zs);
    let slopes = y.sum().backward().wrt(zs);
    (y.value().to_vec(), slopes.to_vec())
}

/// The properties measured from the samples `z` (sorted, symmetric about 0, 0 included).
struct Measured {
    min: (f64, f64),
    max: f64,
    min_slope: (f64, f64),
    max_slope: f64,
    end_slopes: (f64, f64),
    mean_normal: f64,
    /// The largest distance of `f` from the straight line through its two end samples: 0 for
    /// an affine function, which is what an activation must not be.
    chord_gap: f64,
    properties: Properties,
}

fn measure(z: &[f64], f: &[f64], df: &[f64], stated: (End, End)) -> Measured {
    let n = z.len();
    let mid = n / 2; // z = 0
    let argmin = |v: &[f64]| {
        (0..v.len())
            .min_by(|&a, &b| v[a].total_cmp(&v[b]))
            .expect("samples")
    };
    let (i_min, i_slope) = (argmin(f), argmin(df));
    // the largest value, the last time it is reached (a plateau at the top ends at z = 10)
    let i_max = (0..n)
        .max_by(|&a, &b| f[a].total_cmp(&f[b]))
        .expect("samples");
    let max_slope = df.iter().copied().fold(f64::MIN, f64::max);
    let end_slopes = (df[0], df[n - 1]);
    let inside = |i: usize| i != 0 && i != n - 1;
    let range = (
        judge_end(f[i_min], inside(i_min), f[0], end_slopes.0, stated.0, false),
        judge_end(
            f[i_max],
            inside(i_max),
            f[n - 1],
            end_slopes.1,
            stated.1,
            true,
        ),
    );
    // E f(z) for z ~ N(0, 1), by the rectangle rule on the samples
    let dz = z[1] - z[0];
    let phi = |z: f64| (-z * z / 2.0).exp() / (2.0 * std::f64::consts::PI).sqrt();
    let mean_normal: f64 = z.iter().zip(f).map(|(&z, &f)| f * phi(z) * dz).sum();
    // z = ±0.01, either side of 0
    let offset = ((0.01 / dz).round() as usize).max(1);
    let (left, right) = (mid - offset, mid + offset);
    let at_zero = if (f[right] - f[left]).abs() > 0.5 {
        AtZero::Jump
    } else if (df[right] - df[left]).abs() > 0.05 {
        AtZero::Kink
    } else {
        AtZero::Smooth
    };
    let chord = |z_i: f64| f[0] + (f[n - 1] - f[0]) * (z_i - z[0]) / (z[n - 1] - z[0]);
    let chord_gap = z
        .iter()
        .zip(f)
        .map(|(&z, &f)| (f - chord(z)).abs())
        .fold(0.0, f64::max);
    let identity_near_0 =
        f[mid].abs() < 1e-12 && (df[left] - 1.0).abs() < 0.02 && (df[right] - 1.0).abs() < 0.02;
    Measured {
        min: (f[i_min], z[i_min]),
        max: f[i_max],
        min_slope: (df[i_slope], z[i_slope]),
        max_slope,
        end_slopes,
        mean_normal,
        chord_gap,
        properties: Properties {
            range,
            monotonic: df.iter().all(|&s| s >= 0.0),
            saturates: (
                end_slopes.0.abs() < SATURATED,
                end_slopes.1.abs() < SATURATED,
            ),
            zero_centred: mean_normal.abs() < 0.05,
            identity_near_0,
            at_zero,
        },
    }
}

/// Which kind of end the samples show, judged against the stated one: `extreme` is the
/// smallest (or largest) value seen, `inside` whether it is first reached away from the ends of
/// the samples, `last` the value at the end of the samples and `slope` the derivative there. A
/// stated end the samples contradict comes back as what they show instead.
fn judge_end(extreme: f64, inside: bool, last: f64, slope: f64, stated: End, upper: bool) -> End {
    let crossed = |bound: f64| {
        if upper {
            extreme > bound
        } else {
            extreme < bound
        }
    };
    let still_rising = slope.abs() >= SATURATED && !inside && extreme == last;
    match stated {
        // approached at the end of the samples, never reached nor crossed
        End::Open(b) if !crossed(b) && extreme != b && !inside && (last - b).abs() < 1e-3 => stated,
        // reached: exactly (ReLU's 0), or as a true minimum inside (GELU's, stated to 3 places)
        End::Closed(b) if extreme == b || (inside && (extreme - b).abs() < 1e-3) => stated,
        End::Unbounded if still_rising => stated,
        _ if still_rising => End::Unbounded,
        _ => End::Closed(extreme),
    }
}

fn show_end(end: End, upper: bool) -> String {
    match (end, upper) {
        (End::Open(b), false) => format!("({b}"),
        (End::Closed(b), false) => format!("[{b}"),
        (End::Unbounded, false) => "(−∞".to_string(),
        (End::Open(b), true) => format!("{b})"),
        (End::Closed(b), true) => format!("{b}]"),
        (End::Unbounded, true) => "∞)".to_string(),
    }
}

/// A value for the range column: an integer plainly, one within 10⁻³ of an integer as that
/// integer and the gap (so that open ends show), anything else to three places.
fn show_value(v: f64) -> String {
    let r = v.round();
    let gap = v - r;
    if gap == 0.0 {
        format!("{r}")
    } else if gap.abs() < 1e-3 {
        format!("{r}{}{:.0e}", if gap > 0.0 { "+" } else { "−" }, gap.abs())
    } else {
        format!("{v:.3}")
    }
}

fn yes(b: bool) -> &'static str {
    if b { "yes" } else { "no" }
}

fn main() {
    let nb = Notebook::start(
        "07_activations",
        "07 · Activation functions and their derivatives",
    );
    let samples = nb.choose(2001, 20001); // odd, so that z = 0 is a sample
    let z = Tensor::<f64>::linspace(-10.0, 10.0, samples);
    let zs = z.to_vec();
    let subjects = subjects();

    nb.section("Each activation and its derivative, from the tape");
    nb.say(format!(
        "{samples} samples of z on [−10, 10] go on a tape as one tensor; y = f(z) elementwise, and"
    ));
    nb.say("one backward pass of Σ y gives every f'(z_i), since ∂(Σ_j f(z_j))/∂z_i = f'(z_i).");
    let curves: Vec<(Vec<f64>, Vec<f64>)> = subjects
        .iter()
        .map(|s| values_and_slopes(s.activation, &z))
        .collect();

    nb.section("The tape's derivatives against the textbook formulas");
    nb.say("At every sample except z = 0 (where ReLU and friends have a corner):\n");
    let mut worst_overall: f64 = 0.0;
    for (s, (_, df)) in subjects.iter().zip(&curves) {
        let worst = zs
            .iter()
            .zip(df)
            .filter(|(z, _)| **z != 0.0)
            .map(|(&z, &d)| (d - (s.formula)(z)).abs())
            .fold(0.0, f64::max);
        worst_overall = worst_overall.max(worst);
        println!("  {:<11} max |tape − formula| = {worst:.1e}", s.name);
    }
    nb.say("\n  formulas: threshold' = 0, σ' = σ(1 − σ), tanh' = 1 − tanh², ReLU' = [z > 0],");
    nb.say(format!(
        "  leaky' = 1 or α = {ALPHA}, ELU' = 1 or e^z, softplus' = σ, GELU' = Φ + z φ"
    ));
    nb.claim(
        worst_overall < 1e-12,
        format!("the tape's derivative equals the formula to {worst_overall:.0e} for all eight"),
    );
    let threshold = &curves[0].1;
    nb.claim(
        threshold.iter().all(|&d| d == 0.0),
        "the threshold unit's derivative is 0 at every sample: no gradient flows through it",
    );

    nb.section("The lecture's properties, measured from the samples");
    nb.say("Nonlinear: the largest distance of f from the straight chord through its end samples.");
    nb.say("Range: min and max of f over the samples. Monotonic: f' ≥ 0 at every sample.");
    nb.say(format!(
        "Saturates: |f'| < {SATURATED:.0e} at z = −10 / +10. E f: the mean output for z ~ N(0, 1)."
    ));
    nb.say("Near 0: smooth, kink (f' jumps) or jump (f jumps); ≈ z: f(0) = 0 and f'(±0.01) ≈ 1.\n");
    println!(
        "  {:<11} {:>9}  {:>18}  {:>9}  {:>9}  {:>6}  {:>6}  {:>13}",
        "", "nonlinear", "range (sampled)", "monotonic", "saturates", "E f", "max f'", "near 0"
    );
    let measured: Vec<Measured> = subjects
        .iter()
        .zip(&curves)
        .map(|(s, (f, df))| measure(&zs, f, df, s.expected.range))
        .collect();
    for (s, m) in subjects.iter().zip(&measured) {
        let p = m.properties;
        let saturation = match p.saturates {
            (true, true) => "both",
            (true, false) => "z → −∞",
            (false, true) => "z → +∞",
            (false, false) => "never",
        };
        println!(
            "  {:<11} {:>9.3}  {:>18}  {:>9}  {:>9}  {:>6.3}  {:>6.3}  {:>13}",
            s.name,
            m.chord_gap,
            format!("{} .. {}", show_value(m.min.0), show_value(m.max)),
            yes(p.monotonic),
            saturation,
            m.mean_normal,
            m.max_slope,
            format!(
                "{:?}{}",
                p.at_zero,
                if p.identity_near_0 { ", ≈ z" } else { "" }
            )
            .to_lowercase()
        );
    }
    println!();

    let all = |test: &dyn Fn(&Subject, &Measured) -> bool| {
        subjects.iter().zip(&measured).all(|(s, m)| test(s, m))
    };
    let names = |test: &dyn Fn(&Properties) -> bool| {
        subjects
            .iter()
            .filter(|s| test(&s.expected))
            .map(|s| s.name)
            .collect::<Vec<_>>()
            .join(", ")
    };
    let least_bent = subjects
        .iter()
        .zip(&measured)
        .min_by(|a, b| a.1.chord_gap.total_cmp(&b.1.chord_gap))
        .expect("subjects");
    nb.claim(
        measured.iter().all(|m| m.chord_gap > 0.1),
        format!(
            "all eight are nonlinear: each strays from its chord by at least {:.3} ({})",
            least_bent.1.chord_gap, least_bent.0.name
        ),
    );
    let stated_ranges = subjects
        .iter()
        .map(|s| {
            let (lo, hi) = s.expected.range;
            format!("{} {}, {}", s.name, show_end(lo, false), show_end(hi, true))
        })
        .collect::<Vec<_>>()
        .join("; ");
    nb.claim(
        all(&|s, m| m.properties.range == s.expected.range),
        format!("the sampled ranges agree with the stated ones: {stated_ranges}"),
    );
    nb.claim(
        curves[0].0.iter().all(|&y| y == 0.0 || y == 1.0),
        "the threshold unit outputs only 0 and 1",
    );
    let gelu = &measured[7];
    nb.claim(
        all(&|s, m| m.properties.monotonic == s.expected.monotonic),
        format!(
            "monotonic (f' ≥ 0 everywhere sampled): all but GELU, whose f' reaches {:.3} at z = {:.2}",
            gelu.min_slope.0, gelu.min_slope.1
        ),
    );
    nb.claim(
        all(&|s, m| m.properties.saturates == s.expected.saturates),
        format!(
            "saturating on both sides: {}; only as z → −∞: {}; never: {}",
            names(&|p| p.saturates == (true, true)),
            names(&|p| p.saturates == (true, false)),
            names(&|p| p.saturates == (false, false)),
        ),
    );
    let (sigmoid, tanh, relu) = (&measured[1], &measured[2], &curves[3]);
    nb.claim(
        sigmoid.end_slopes.0 < SATURATED && sigmoid.end_slopes.1 < SATURATED,
        format!(
            "sigmoid saturates: σ'(−10) = {:.1e}, σ'(10) = {:.1e}",
            sigmoid.end_slopes.0, sigmoid.end_slopes.1
        ),
    );
    nb.claim(
        zs.iter()
            .zip(&relu.1)
            .all(|(&z, &d)| if z > 0.0 { d == 1.0 } else { d == 0.0 }),
        "ReLU does not saturate for z > 0: its derivative is exactly 1 there (and 0 for z ≤ 0)",
    );
    nb.claim(
        all(&|s, m| m.properties.zero_centred == s.expected.zero_centred),
        format!(
            "zero-centred (|E f(z)| < 0.05 for z ~ N(0, 1)): only {}; sigmoid's mean is {:.3}",
            names(&|p| p.zero_centred),
            sigmoid.mean_normal
        ),
    );
    let tanh_values = &curves[2].0;
    let n = zs.len();
    nb.claim(
        tanh_values[n / 2] == 0.0
            && (0..n).all(|i| (tanh_values[i] + tanh_values[n - 1 - i]).abs() < 1e-15),
        format!(
            "tanh is zero-centred by symmetry: tanh(0) = 0 and tanh(−z) = −tanh(z) at every sample (E tanh = {:.1e})",
            tanh.mean_normal
        ),
    );
    nb.claim(
        all(&|s, m| m.properties.identity_near_0 == s.expected.identity_near_0),
        format!(
            "identity near the origin (f(z) ≈ z): {}",
            names(&|p| p.identity_near_0)
        ),
    );
    nb.claim(
        all(&|s, m| m.properties.at_zero == s.expected.at_zero),
        format!(
            "differentiable at 0: all but threshold (jumps) and {} (a corner)",
            names(&|p| p.at_zero == AtZero::Kink)
        ),
    );
    nb.claim(
        (sigmoid.max_slope - 0.25).abs() < 1e-12 && (tanh.max_slope - 1.0).abs() < 1e-12,
        "bounded derivatives: max σ' = ¼ and max tanh' = 1, both at z = 0 (backpropagated \
         through k sigmoid layers, ∂Div/∂z picks up k factors σ'(z) ≤ ¼: at most 4^−k)",
    );
    nb.claim(
        gelu.max_slope > 1.0 && (gelu.min.0 + 0.17).abs() < 1e-3,
        format!(
            "GELU overshoots: max f' = {:.3} > 1, and its minimum f = {:.4} is at z = {:.2}",
            gelu.max_slope, gelu.min.0, gelu.min.1
        ),
    );

    nb.section("Pictures");
    let plotted: Vec<usize> = (0..n)
        .filter(|&i| zs[i].abs() <= 4.0 + 1e-9)
        .step_by(nb.choose(5, 50))
        .collect();
    // two figures (squashing units, rectifiers): the grid lines of eight panels in one SVG
    // would take it past 200 KB
    let groups = [
        ("squashing units", "squashing.svg", 0..3),
        ("rectifiers", "rectifiers.svg", 3..8),
    ];
    for (title, file, members) in groups {
        let mut figure = Figure::new(
            &format!("{title}: f(z) solid, f'(z) from the tape dashed"),
            3,
        );
        for k in members {
            let (f, df) = &curves[k];
            let fz: Vec<(f64, f64)> = plotted.iter().map(|&i| (zs[i], f[i])).collect();
            let dfz: Vec<(f64, f64)> = plotted.iter().map(|&i| (zs[i], df[i])).collect();
            let (_, y) = bounds(fz.iter().chain(&dfz).copied());
            figure = figure.panel(
                Chart::new(
                    subjects[k].name,
                    -4.0..4.0,
                    y.start.min(-0.2)..y.end.max(1.2),
                )
                .labels("z", "")
                .line("", fz, 0)
                .dashed("", dfz, 1),
            );
        }
        nb.save(&figure, file)
            .expect("write the activation figures");
    }

    let every = nb.choose(10, 100);
    let mut slopes = Chart::new(
        "derivatives over [−10, 10]: where gradients vanish",
        -10.0..10.0,
        -0.15..1.25,
    )
    .labels("z", "f'(z)");
    for (k, &i) in [1usize, 2, 3, 4, 7].iter().enumerate() {
        let points = (0..n).step_by(every).map(|j| (zs[j], curves[i].1[j]));
        slopes = slopes.line(subjects[i].name, points, k);
    }
    nb.save(&slopes, "derivatives.svg")
        .expect("write derivatives.svg");
    nb.finish();
}
