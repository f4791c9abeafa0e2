//! # 01 · The perceptron as a Boolean gate
//!
//! A threshold unit fires (`y = 1`) when its weighted input exceeds its threshold:
//! `y = 1 if w·x + b > 0 else 0`. With hand-set weights one unit is an AND, an OR, a NOT or a
//! NAND gate; a network of such units computes any Boolean formula. This example builds the
//! lecture's formula `((A ∧ ¬X ∧ Z) ∨ (A ∧ ¬Y)) ∧ ((X ∧ Y) ∨ ¬(X ∧ Z))` as a three-layer
//! network of seven units and checks it against the formula on all 16 inputs.
//!
//! Run: `cargo run --release --example 01_perceptron_gates` (it is quick; `--quick` is
//! accepted). The chapter: `docs/course/01-perceptron-gates.md`.

use nn::Perceptron;
use notebook::Notebook;

fn bit(b: bool) -> f64 {
    if b { 1.0 } else { 0.0 }
}

/// Every combination of `n` bits, in counting order.
fn all_inputs(n: usize) -> Vec<Vec<f64>> {
    (0..1usize << n)
        .map(|k| (0..n).rev().map(|i| bit(k >> i & 1 == 1)).collect())
        .collect()
}

fn gates(nb: &Notebook) {
    nb.section("One unit, one gate");
    // (name, unit, the Boolean function it must compute)
    type Truth = fn(bool, bool) -> bool;
    let gates: [(&str, Perceptron, Truth); 3] = [
        // fires when both inputs are on: 1 + 1 > 1.5
        (
            "AND",
            Perceptron::with_weights(vec![1.0, 1.0], -1.5),
            |a, b| a && b,
        ),
        // fires when either is on: 1 > 0.5
        (
            "OR",
            Perceptron::with_weights(vec![1.0, 1.0], -0.5),
            |a, b| a || b,
        ),
        // fires unless both are on: −1 − 1 + 1.5 < 0
        (
            "NAND",
            Perceptron::with_weights(vec![-1.0, -1.0], 1.5),
            |a, b| !(a && b),
        ),
    ];
    println!("  A B | AND OR NAND");
    let mut wrong = Vec::new();
    for x in all_inputs(2) {
        let outputs: Vec<f64> = gates.iter().map(|(_, unit, _)| unit.predict(&x)).collect();
        println!(
            "  {} {} |  {}   {}   {}",
            x[0], x[1], outputs[0], outputs[1], outputs[2]
        );
        for ((name, _, truth), y) in gates.iter().zip(&outputs) {
            if *y != bit(truth(x[0] == 1.0, x[1] == 1.0)) {
                wrong.push(format!("{name} at {x:?}"));
            }
        }
    }
    nb.claim(
        wrong.is_empty(),
        format!(
            "AND, OR and NAND match their truth tables on all 4 inputs{}",
            if wrong.is_empty() {
                String::new()
            } else {
                format!(" (not {wrong:?})")
            }
        ),
    );
    let not = Perceptron::with_weights(vec![-1.0], 0.5);
    println!(
        "\n  NOT: w = −1, b = 0.5:  NOT 0 = {}, NOT 1 = {}",
        not.predict(&[0.0]),
        not.predict(&[1.0])
    );
    nb.claim(
        (not.predict(&[0.0]), not.predict(&[1.0])) == (1.0, 0.0),
        "NOT inverts its input",
    );
}

/// The lecture's formula, computed directly (written as on the slide, not simplified).
#[allow(clippy::nonminimal_bool)]
fn formula(a: bool, x: bool, y: bool, z: bool) -> bool {
    ((a && !x && z) || (a && !y)) && ((x && y) || !(x && z))
}

/// The same formula as a network of threshold units over the inputs (A, X, Y, Z).
fn network(input: &[f64]) -> f64 {
    // Layer 1: four units, each a conjunction (or its negation) of some inputs.
    let layer1 = [
        Perceptron::with_weights(vec![1.0, -1.0, 0.0, 1.0], -1.5), // A ∧ ¬X ∧ Z: A − X + Z > 1.5
        Perceptron::with_weights(vec![1.0, 0.0, -1.0, 0.0], -0.5), // A ∧ ¬Y: A − Y > 0.5
        Perceptron::with_weights(vec![0.0, 1.0, 1.0, 0.0], -1.5),  // X ∧ Y
        Perceptron::with_weights(vec![0.0, -1.0, 0.0, -1.0], 1.5), // ¬(X ∧ Z)
    ];
    let h: Vec<f64> = layer1.iter().map(|u| u.predict(input)).collect();
    // Layer 2: two ORs; layer 3: their AND.
    let or = Perceptron::with_weights(vec![1.0, 1.0], -0.5);
    let and = Perceptron::with_weights(vec![1.0, 1.0], -1.5);
    let g = [or.predict(&h[0..2]), or.predict(&h[2..4])];
    and.predict(&g)
}

fn main() {
    let nb = Notebook::start(
        "01_perceptron_gates",
        "01 · The perceptron as a Boolean gate",
    );
    gates(&nb);

    nb.section("A network of units: ((A ∧ ¬X ∧ Z) ∨ (A ∧ ¬Y)) ∧ ((X ∧ Y) ∨ ¬(X ∧ Z))");
    nb.say("  layer 1: A∧¬X∧Z, A∧¬Y, X∧Y, ¬(X∧Z)   layer 2: two ORs   layer 3: AND   (7 units)\n");
    println!("  A X Y Z | network formula");
    let mut disagree = Vec::new();
    let inputs = all_inputs(4);
    for input in &inputs {
        let [a, x, y, z] = [0, 1, 2, 3].map(|i| input[i] == 1.0);
        let (net, truth) = (network(input), bit(formula(a, x, y, z)));
        println!(
            "  {} {} {} {} |    {}       {}",
            input[0], input[1], input[2], input[3], net, truth
        );
        if net != truth {
            disagree.push(input.clone());
        }
    }
    nb.claim(
        disagree.is_empty(),
        format!(
            "the network equals the formula on all {} inputs{}",
            inputs.len(),
            if disagree.is_empty() {
                String::new()
            } else {
                format!(" (not at {disagree:?})")
            }
        ),
    );
    nb.finish();
}
