//! # 06 · Depth versus width: n-bit parity
//!
//! The parity of n bits (1 when an odd number of them are on) built two ways from threshold
//! units with hand-set weights: deep, as a tree of XOR blocks of three units each, so
//! `3(n − 1)` units; and shallow, with one hidden layer holding one AND unit per odd-parity
//! pattern, OR-ed by the output unit, so `2^(n−1) + 1` units. Both networks are built, their
//! units counted and both checked on all `2^n` inputs. Then why one hidden layer of ANDs
//! cannot do better, and what changes when the hidden units may be any threshold units.
//!
//! Run: `cargo run --release --example 06_depth_vs_width` (and `-- --quick` for the few-second
//! version). The chapter: `docs/course/06-depth-vs-width.md`.

use nn::Perceptron;
use notebook::{Chart, Notebook};

/// A unit of a network: a threshold unit and the wires it reads.
struct Unit {
    neuron: Perceptron,
    inputs: Vec<usize>,
}

/// A feed-forward network of threshold units, as a circuit: wire `i < n` carries the input
/// `x_i`, wire `n + k` the output of unit `k`. Units are listed so that each reads only earlier
/// wires; the last unit is the network's output.
struct Network {
    n: usize,
    units: Vec<Unit>,
}

impl Network {
    fn new(n: usize) -> Network {
        Network {
            n,
            units: Vec::new(),
        }
    }

    /// Adds a unit reading `inputs` and returns the wire carrying its output.
    fn add(&mut self, weights: Vec<f64>, bias: f64, inputs: Vec<usize>) -> usize {
        assert!(inputs.iter().all(|&w| w < self.n + self.units.len()));
        self.units.push(Unit {
            neuron: Perceptron::with_weights(weights, bias),
            inputs,
        });
        self.n + self.units.len() - 1
    }

    /// The network's output on `x`, every unit computed in order (`wires` is scratch space).
    fn output(&self, x: &[f64], wires: &mut Vec<f64>, gathered: &mut Vec<f64>) -> f64 {
        wires.clear();
        wires.extend_from_slice(x);
        for unit in &self.units {
            gathered.clear();
            gathered.extend(unit.inputs.iter().map(|&w| wires[w]));
            wires.push(unit.neuron.predict(gathered));
        }
        *wires.last().expect("a network has at least one unit")
    }

    fn units(&self) -> usize {
        self.units.len()
    }

    /// Connections (weights), not counting biases.
    fn weights(&self) -> usize {
        self.units.iter().map(|u| u.inputs.len()).sum()
    }

    /// Layers of units on the longest path from an input to the output.
    fn depth(&self) -> usize {
        let mut depth = vec![0; self.n];
        for unit in &self.units {
            let d = unit.inputs.iter().map(|&w| depth[w]).max().unwrap_or(0);
            depth.push(d + 1);
        }
        depth.last().copied().unwrap_or(0)
    }
}

/// XOR of two wires from three threshold units: OR and NAND in one layer, their AND above.
fn xor(net: &mut Network, a: usize, b: usize) -> usize {
    let or = net.add(vec![1.0, 1.0], -0.5, vec![a, b]); // a + b > 0.5
    let nand = net.add(vec![-1.0, -1.0], 1.5, vec![a, b]); // a + b < 1.5
    net.add(vec![1.0, 1.0], -1.5, vec![or, nand]) // both
}

/// Deep parity: XOR neighbouring wires pairwise, level after level, until one wire is left
/// (a balanced tree; an unpaired wire waits for the next level). Also returns the formula.
fn deep_parity(n: usize) -> (Network, String) {
    let mut net = Network::new(n);
    let mut level: Vec<(usize, String)> = (0..n).map(|i| (i, format!("x{}", i + 1))).collect();
    while level.len() > 1 {
        level = level
            .chunks(2)
            .map(|pair| match pair {
                [(a, fa), (b, fb)] => (xor(&mut net, *a, *b), format!("XOR({fa}, {fb})")),
                [single] => single.clone(),
                _ => unreachable!("chunks of two"),
            })
            .collect();
    }
    let formula = level.pop().map(|(_, f)| f).unwrap_or_default();
    (net, formula)
}

/// Shallow parity (an OR of ANDs): one hidden unit per odd-parity pattern `p`, firing on `p`
/// alone, and an OR of them. The unit for `p` has weight +1 on the bits on in `p`, −1 on the
/// others, and bias `−(|p| − ½)`: `w·x` reaches `|p|` only at `x = p`.
fn shallow_parity(n: usize) -> Network {
    let mut net = Network::new(n);
    let hidden: Vec<usize> = (0..1usize << n)
        .filter(|p| p.count_ones() % 2 == 1)
        .map(|p| {
            let bits = bits_of(p, n);
            let weights = bits
                .iter()
                .map(|&b| if b == 1.0 { 1.0 } else { -1.0 })
                .collect();
            let ones = p.count_ones() as f64;
            net.add(weights, -(ones - 0.5), (0..n).collect())
        })
        .collect();
    let count = hidden.len();
    net.add(vec![1.0; count], -0.5, hidden);
    net
}

/// One hidden layer of general threshold units: `h_k` fires when at least `k` bits are on
/// (k = 1..n), and the output weighs them +1, −1, +1, ...: with s bits on, the sum is 1 for
/// odd s and 0 for even s.
fn counting_parity(n: usize) -> Network {
    let mut net = Network::new(n);
    let hidden: Vec<usize> = (1..=n)
        .map(|k| net.add(vec![1.0; n], -(k as f64 - 0.5), (0..n).collect()))
        .collect();
    let weights = (0..n)
        .map(|i| if i % 2 == 0 { 1.0 } else { -1.0 })
        .collect();
    net.add(weights, -0.5, hidden);
    net
}

/// The `n` bits of `k`, most significant first, as 0.0 and 1.0.
fn bits_of(k: usize, n: usize) -> Vec<f64> {
    (0..n).rev().map(|i| (k >> i & 1) as f64).collect()
}

fn parity(k: usize) -> f64 {
    (k.count_ones() % 2) as f64
}

/// How many of the `2^n` inputs the network gets right.
fn correct_on(net: &Network) -> usize {
    let (mut wires, mut gathered) = (Vec::new(), Vec::new());
    (0..1usize << net.n)
        .filter(|&k| net.output(&bits_of(k, net.n), &mut wires, &mut gathered) == parity(k))
        .count()
}

/// Whether some AND of literals over fewer than all `n` variables implies parity (is never on
/// where parity is 0). Terms are written in base 3: per variable absent, `x`, or `¬x`.
fn short_term_implies_parity(n: usize) -> bool {
    let terms = 3usize.pow(n as u32);
    (0..terms).any(|t| {
        let literal = |i: usize| t / 3usize.pow(i as u32) % 3; // 0 absent, 1 x, 2 ¬x
        let short = (0..n).any(|i| literal(i) == 0);
        let satisfies = |k: usize| {
            (0..n).all(|i| match literal(i) {
                1 => k >> i & 1 == 1,
                2 => k >> i & 1 == 0,
                _ => true,
            })
        };
        short && (0..1usize << n).all(|k| !satisfies(k) || parity(k) == 1.0)
    })
}

struct Row {
    n: usize,
    deep: (usize, usize, usize),
    shallow: (usize, usize, usize),
    right: bool,
    counting: (usize, bool),
}

fn main() {
    let nb = Notebook::start("06_depth_vs_width", "06 · Depth versus width: n-bit parity");
    let largest = nb.choose(10, 14);

    nb.section("Two networks for parity");
    nb.say("Parity is 1 when an odd number of the n inputs are on. Deep: a tree of XORs, each");
    nb.say("XOR three threshold units (OR and NAND, then their AND). For n = 4:");
    let (deep4, formula) = deep_parity(4);
    nb.say(format!(
        "\n  y = {formula}   ({} units, {} layers)\n",
        deep4.units(),
        deep4.depth()
    ));
    nb.say("Shallow: one hidden layer with one unit per odd-parity pattern p, firing on p alone");
    nb.say("(weight +1 where p has a 1, −1 where it has a 0, bias −(ones in p − ½)), and an OR.");

    nb.section(&format!(
        "Units counted, every input checked (n = 2..={largest})"
    ));
    nb.say("Each network is built, its units and weights counted from the built network, and its");
    nb.say("output compared with the parity of every one of the 2^n inputs.\n");
    println!(
        "   n | deep: units layers weights | shallow: units layers   weights | all 2^n inputs right"
    );
    let bar = nb.progress((largest - 1) as u64, "n");
    let mut rows = Vec::new();
    for n in 2..=largest {
        let (deep, _) = deep_parity(n);
        let shallow = shallow_parity(n);
        let counting = counting_parity(n);
        let inputs = 1usize << n;
        let right = [&deep, &shallow, &counting].map(correct_on);
        bar.suspend(|| {
            println!(
                "  {n:>2} | {:>11} {:>6} {:>7} | {:>14} {:>6} {:>9} | {} of {inputs}: {}",
                deep.units(),
                deep.depth(),
                deep.weights(),
                shallow.units(),
                shallow.depth(),
                shallow.weights(),
                right[0].min(right[1]),
                if right[0] == inputs && right[1] == inputs {
                    "yes"
                } else {
                    "NO"
                }
            )
        });
        rows.push(Row {
            n,
            deep: (deep.units(), deep.depth(), deep.weights()),
            shallow: (shallow.units(), shallow.depth(), shallow.weights()),
            right: right[0] == inputs && right[1] == inputs,
            counting: (counting.units(), right[2] == inputs),
        });
        bar.inc(1);
    }
    bar.finish_and_clear();
    nb.say("");
    nb.claim(
        rows.iter().all(|r| r.right),
        format!("both networks compute parity on all 2^n inputs, for every n = 2..={largest}"),
    );
    nb.claim(
        rows.iter().all(|r| r.deep.0 == 3 * (r.n - 1)),
        "the deep network has exactly 3(n − 1) units for every n",
    );
    nb.claim(
        rows.iter()
            .all(|r| r.shallow.0 == (1 << (r.n - 1)) + 1 && r.shallow.1 == 2),
        "the shallow network has exactly 2^(n−1) hidden units + 1 output, in 2 layers",
    );
    nb.claim(
        rows.iter()
            .all(|r| r.deep.1 == 2 * (r.n as f64).log2().ceil() as usize),
        "the deep network has 2⌈log₂ n⌉ layers: depth grows like log n",
    );
    let last = rows.last().expect("at least n = 2");
    nb.say(format!(
        "\nAt n = {}: {} units deep against {} shallow ({:.0}× as many), and {} weights against {}.",
        last.n,
        last.deep.0,
        last.shallow.0,
        last.shallow.0 as f64 / last.deep.0 as f64,
        last.deep.2,
        last.shallow.2
    ));
    nb.claim(
        rows.iter().all(|r| (r.n < 5) == (r.shallow.0 <= r.deep.0))
            && rows.windows(2).all(|w| w[1].shallow.0 - 1 == 2 * (w[0].shallow.0 - 1)),
        "from n = 5 on the shallow network is the larger, and its hidden layer doubles with each bit",
    );

    nb.section("Why one hidden layer of ANDs needs 2^(n−1) units");
    nb.say("An AND of literals that leaves out a variable is also on when that variable flips,");
    nb.say(
        "which flips the parity: so it cannot be a hidden AND unit of an OR-of-ANDs for parity.",
    );
    nb.say("Every such unit covers one odd pattern, and there are 2^(n−1) of them. Checked by");
    nb.say("enumerating all 3^n terms (each variable absent, x or ¬x):");
    let exhaustive = largest.min(8);
    nb.claim(
        (1..=exhaustive).all(|n| !short_term_implies_parity(n)),
        format!("for n ≤ {exhaustive}, no AND of fewer than n literals implies parity"),
    );

    nb.section("A caveat: what the hidden units may compute");
    nb.say("The exponential count is for hidden units that are ANDs (the Boolean, sum-of-products");
    nb.say("network). A threshold unit can count: h_k = [x1 + ... + xn > k − ½], k = 1..n, and an");
    nb.say("output weighing them +1, −1, +1, ... computes parity with n + 1 units in 2 layers.");
    nb.claim(
        rows.iter().all(|r| r.counting == (r.n + 1, true)),
        format!(
            "the counting network has n + 1 units and is right on all 2^n inputs for n ≤ {largest}"
        ),
    );
    nb.say("So the exponential gap is about the kind of unit: it holds for AND units (and for any");
    nb.say("depth-2 Boolean circuit of ANDs and ORs); with counting units parity is easy, and the");
    nb.say("functions that need exponential width even then are subtler. The deep tree gets its");
    nb.say("economy from the plainest units there are, each reading just two wires.");

    nb.section("Units against n");
    let log2 = |u: usize| (u as f64).log2();
    let chart = Chart::new(
        "parity of n bits: units needed",
        1.5..largest as f64 + 0.5,
        0.0..(log2(last.shallow.0) + 3.0).ceil(), // room for the legend
    )
    .labels("n (input bits)", "log₂(number of units)")
    .path(
        "one hidden layer of ANDs: 2^(n−1) + 1",
        rows.iter().map(|r| (r.n as f64, log2(r.shallow.0))),
        3,
    )
    .path(
        "deep XOR tree: 3(n − 1)",
        rows.iter().map(|r| (r.n as f64, log2(r.deep.0))),
        0,
    )
    .dashed(
        "one hidden layer, counting units: n + 1",
        rows.iter().map(|r| (r.n as f64, log2(r.counting.0))),
        2,
    )
    .text(
        (last.n as f64 - 2.2, log2(last.shallow.0) + 0.2),
        &format!("{} units", last.shallow.0),
    )
    .text(
        (last.n as f64 - 1.2, log2(last.deep.0) + 0.7),
        &format!("{} units", last.deep.0),
    );
    nb.say(
        "On a log₂ scale 2^(n−1) is a straight line of slope 1; 3(n − 1) bends over like log n.",
    );
    nb.save(&chart, "units.svg").expect("write units.svg");
    nb.finish();
}
