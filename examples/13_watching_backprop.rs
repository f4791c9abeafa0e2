//! # 13 · Watching backpropagation: explained steps, the graph, hooks, anomalies
//!
//! A 2-2-1 network of scalar units trained on one sample is run backward while the tape
//! writes down every chain-rule step in the lecture's notation (node, local derivative,
//! upstream gradient, product, running total). The same graph is drawn (Graphviz DOT, SVG when
//! Graphviz is installed, and text), the hidden units' gradients are read straight from the
//! store, a hook clips one of them, and anomaly mode catches a NaN and names the line of Rust
//! that made it.
//!
//! Run: `cargo run --release --example 13_watching_backprop` (quick either way; `--quick` is
//! accepted). The chapter: `docs/course/13-watching-backprop.md`.

use std::sync::{Arc, Mutex};

use autograd::{Error, Graph, Tape, Var};
use notebook::Notebook;

/// The network's parameters: `w1[j]` holds unit `j`'s two input weights.
const W1: [[f64; 2]; 2] = [[0.6, -0.4], [-0.3, 0.8]];
const B1: [f64; 2] = [0.1, 0.2];
const W2: [f64; 2] = [1.2, -0.7];
const B2: f64 = 0.05;
const X: [f64; 2] = [1.0, 0.5];
const D: f64 = 1.0;

/// The recorded network: parameters, hidden pre-activations and outputs, and the loss.
struct Net<'t> {
    x: Vec<Var<'t>>,
    params: Vec<(Var<'t>, String)>,
    z1: [Var<'t>; 2],
    y1: [Var<'t>; 2],
    z2: Var<'t>,
    y: Var<'t>,
    div: Var<'t>,
}

/// `z^(1) = W1 x + b1`, `y^(1) = tanh z^(1)`, `y = σ(w2 · y^(1) + b2)`, `Div = ½ (y − d)²`.
fn record(tape: &Tape) -> Net<'_> {
    let x = tape.vars(&X);
    let mut params: Vec<(Var, String)> = Vec::new();
    let w1: Vec<[Var; 2]> = (0..2)
        .map(|j| [tape.var(W1[j][0]), tape.var(W1[j][1])])
        .collect();
    let b1 = [tape.var(B1[0]), tape.var(B1[1])];
    let w2 = [tape.var(W2[0]), tape.var(W2[1])];
    let b2 = tape.var(B2);
    let z1 = [0, 1].map(|j| w1[j][0] * x[0] + w1[j][1] * x[1] + b1[j]);
    let y1 = z1.map(|z| z.tanh());
    let z2 = w2[0] * y1[0] + w2[1] * y1[1] + b2;
    let y = z2.sigmoid();
    let div = 0.5 * (y - D).powi(2);
    for (j, row) in w1.iter().enumerate() {
        for (i, &w) in row.iter().enumerate() {
            params.push((w, format!("w{}{}⁽¹⁾", i + 1, j + 1)));
        }
        params.push((b1[j], format!("b{}⁽¹⁾", j + 1)));
        params.push((w2[j], format!("w{}1⁽²⁾", j + 1)));
    }
    params.push((b2, "b⁽²⁾".into()));
    Net {
        x,
        params,
        z1,
        y1,
        z2,
        y,
        div,
    }
}

fn names<'t>(net: &Net<'t>) -> Vec<(Var<'t>, String)> {
    let mut all = net.params.clone();
    all.extend(
        net.x
            .iter()
            .enumerate()
            .map(|(i, &x)| (x, format!("x{}", i + 1))),
    );
    for j in 0..2 {
        all.push((net.z1[j], format!("z{}⁽¹⁾", j + 1)));
        all.push((net.y1[j], format!("y{}⁽¹⁾", j + 1)));
    }
    all.push((net.z2, "z⁽²⁾".into()));
    all.push((net.y, "y".into()));
    all.push((net.div, "Div".into()));
    all
}

fn explained(nb: &Notebook) {
    nb.section("Backpropagation, step by step");
    nb.say(
        "Each line is one use of the chain rule: the local derivative of a node with respect\n\
         to one input, times the gradient that reached the node, added to the input's total.",
    );
    let tape = Tape::new();
    let net = record(&tape);
    let labels = names(&net);
    let named: Vec<(Var, &str)> = labels.iter().map(|(v, n)| (*v, n.as_str())).collect();
    let explanation = net.div.explain_backward(&named).expect("a scalar graph");
    println!("{explanation}");
    let grads = net.div.backward();
    let worst = explanation
        .gradients()
        .into_iter()
        .map(|(node, total)| (total - grads.wrt(tape.entry(node).expect("a scalar node"))).abs())
        .fold(0.0, f64::max);
    nb.claim(
        worst < 1e-15,
        format!(
            "the {} explained steps give the same gradients as backward (largest difference {worst:.1e})",
            explanation.steps().len()
        ),
    );

    nb.section("The graph");
    let mut graph = Graph::of(net.div).gradients(&grads);
    for (v, n) in &labels {
        graph = graph.name(*v, n);
    }
    let text = graph.to_text();
    print!("{text}");
    let dot_path = nb.figure_path("network.dot").expect("figure folder");
    std::fs::write(&dot_path, graph.to_dot()).expect("write the DOT file");
    nb.wrote(&dot_path);
    let svg_path = dot_path.with_extension("svg");
    match graph.save_svg(&svg_path) {
        Ok(()) => nb.wrote(&svg_path),
        Err(err) => println!("  (no SVG: {err})"),
    }
    // inputs 2, parameters 9, hidden 2 × (2 mul, 2 add, tanh), output 2 mul, 2 add, sigmoid,
    // loss 3: 29 nodes
    nb.claim(
        text.lines().count() == tape.len(),
        format!(
            "every one of the {} recorded nodes feeds Div and is drawn",
            tape.len()
        ),
    );

    nb.section("Intermediate gradients need no retain_grad");
    for j in 0..2 {
        println!(
            "  ∂Div/∂z{}⁽¹⁾ = {:+.6}   ∂Div/∂y{}⁽¹⁾ = {:+.6}",
            j + 1,
            grads.wrt(net.z1[j]),
            j + 1,
            grads.wrt(net.y1[j])
        );
    }
    // the lecture's recursion at the hidden layer: ∂Div/∂z = tanh'(z) ∂Div/∂y = (1 − y²) ∂Div/∂y
    let recursion = (0..2)
        .map(|j| {
            let y = net.y1[j].value();
            ((1.0 - y * y) * grads.wrt(net.y1[j]) - grads.wrt(net.z1[j])).abs()
        })
        .fold(0.0, f64::max);
    nb.claim(
        recursion < 1e-15,
        "the store's hidden gradients obey ∂Div/∂z = (1 − y²) ∂Div/∂y",
    );
}

fn hooks(nb: &Notebook) {
    nb.section("A hook clips the gradient flowing through a hidden unit");
    let tape = Tape::new();
    let net = record(&tape);
    let unclipped = net.div.backward();
    let seen = Arc::new(Mutex::new(f64::NAN));
    let spy = seen.clone();
    let limit = 0.01;
    net.y1[0].register_hook(move |g| {
        *spy.lock().unwrap() = g;
        g.clamp(-limit, limit)
    });
    let seen = || *seen.lock().unwrap();
    let clipped = net.div.backward();
    println!(
        "  the hook saw ∂Div/∂y1⁽¹⁾ = {:+.6}, passed on {:+.6}",
        seen(),
        clipped.wrt(net.y1[0])
    );
    nb.claim(
        seen() == unclipped.wrt(net.y1[0]) && clipped.wrt(net.y1[0]).abs() == limit,
        "the hook sees the true gradient and its clipped value replaces it in the store",
    );
    // downstream of the hook, everything scales by the same factor; the other unit is untouched
    let factor = clipped.wrt(net.y1[0]) / unclipped.wrt(net.y1[0]);
    let z_ratio = clipped.wrt(net.z1[0]) / unclipped.wrt(net.z1[0]);
    nb.claim(
        (z_ratio - factor).abs() < 1e-12 && clipped.wrt(net.z1[1]) == unclipped.wrt(net.z1[1]),
        format!("the clipped gradient flows on: ∂Div/∂z1⁽¹⁾ shrinks by the same {factor:.4}, unit 2 is unchanged"),
    );
}

fn anomalies(nb: &Notebook) {
    nb.section("Anomaly mode names the line that made a NaN or an infinity");
    nb.say("A log-loss written by hand: ln(y) is fine, but ln(1 − y) of a saturated unit is not.");
    let tape = Tape::new();
    tape.detect_anomalies(true);
    let z = tape.var(40.0);
    let y = z.sigmoid(); // 1.0 exactly in f64
    let loss = -(1.0 - y).ln(); // ln 0 = −inf: recorded on this line
    let line = line!() - 1;
    match loss.try_backward() {
        Err(Error::Anomaly(anomaly)) => {
            println!("  {anomaly}");
            let location = anomaly.location.clone().unwrap_or_default();
            nb.claim(
                location.contains("13_watching_backprop.rs")
                    && location.contains(&format!(":{line}:")),
                format!("the first non-finite value is traced to this example's line {line}"),
            );
        }
        other => nb.claim(
            false,
            format!("anomaly mode should refuse this loss, got {other:?}"),
        ),
    }
    nb.say(
        "The fix is the stable form: binary cross-entropy from the logit z\n\
         (nn::losses::binary_cross_entropy_with_logits), which never takes ln of 0.",
    );
}

fn main() {
    let nb = Notebook::start(
        "13_watching_backprop",
        "13 · Watching backpropagation: explained steps, the graph, hooks, anomalies",
    );
    explained(&nb);
    hooks(&nb);
    anomalies(&nb);
    nb.finish();
}
