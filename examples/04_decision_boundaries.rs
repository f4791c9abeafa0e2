//! # 04 · Decision boundaries
//!
//! A threshold unit on real inputs is a linear classifier: it fires on one side of a line.
//! Units compose into networks that fire inside any region: one unit per edge of a convex
//! polygon and an AND unit over them (it fires when all N edge units fire, `Σ y ≥ N`) fire
//! exactly inside the polygon; a third layer ORs two polygons. This example builds both by
//! hand, checks them on a dense grid against the geometry (ray casting, a different
//! algorithm), then trains small MLPs by gradient descent on the tape's gradients to find
//! boundaries for two moons, two circles and two spirals, and draws every boundary.
//!
//! Run: `cargo run --release --example 04_decision_boundaries` (`-- --quick` for the CI
//! run). The chapter: `docs/course/04-decision-boundaries.md`.

use std::ops::Range;

use autograd::{Tape, Tensor};
use nn::data::{Dataset, TwoClasses, circles, spirals, two_moons};
use nn::optim::Adam;
use nn::train::{CrossEntropy, TrainConfig, evaluate, fit};
use nn::{Activation, Mlp, Module, Parameters, Perceptron};
use notebook::{Chart, Figure, Notebook, Shading, text_map};
use rand::{SeedableRng, rngs::StdRng};

type Point = [f64; 2];

/// The ranges of `x₁` and `x₂` a picture shows.
type Plane = (Range<f64>, Range<f64>);

/// The plane of the hand-built polygons.
const PLANE: Range<f64> = -1.6..1.6;

// ---------------------------------------------------------------------------------------
// Part 1: boundaries built by hand

/// A regular polygon's vertices, counter-clockwise.
fn regular_polygon(sides: usize, centre: Point, radius: f64, turn: f64) -> Vec<Point> {
    (0..sides)
        .map(|i| {
            let angle = turn + std::f64::consts::TAU * i as f64 / sides as f64;
            [
                centre[0] + radius * angle.cos(),
                centre[1] + radius * angle.sin(),
            ]
        })
        .collect()
}

/// One threshold unit per edge `vᵢ → vᵢ₊₁`: with the inward normal `w = (−Δy, Δx)` (the
/// left of a counter-clockwise edge) and `b = −w·vᵢ`, `w·x + b > 0` on the polygon's side.
fn edge_units(vertices: &[Point]) -> Vec<Perceptron> {
    let n = vertices.len();
    (0..n)
        .map(|i| {
            let (a, b) = (vertices[i], vertices[(i + 1) % n]);
            let w = [-(b[1] - a[1]), b[0] - a[0]];
            Perceptron::with_weights(w.to_vec(), -(w[0] * a[0] + w[1] * a[1]))
        })
        .collect()
}

/// A layer of threshold units: `y⁽ᵏ⁾ = step(W⁽ᵏ⁾ y⁽ᵏ⁻¹⁾ + b⁽ᵏ⁾)`.
type Layer = Vec<Perceptron>;

/// A network of threshold units, layer after layer.
struct ThresholdNet {
    layers: Vec<Layer>,
}

impl ThresholdNet {
    /// The outputs of every layer for input `x` (the last holds the network's output).
    fn activations(&self, x: Point) -> Vec<Vec<f64>> {
        let mut ys = vec![x.to_vec()];
        for layer in &self.layers {
            let y = layer
                .iter()
                .map(|u| u.predict(ys.last().expect("input")))
                .collect();
            ys.push(y);
        }
        ys
    }

    /// Whether the output unit fires at `x`.
    fn fires(&self, x: Point) -> bool {
        self.activations(x).last().expect("an output layer")[0] == 1.0
    }

    fn units(&self) -> Vec<usize> {
        self.layers.iter().map(Vec::len).collect()
    }
}

/// An AND over `inputs` units, of which those in `own` are wired with weight 1 (the rest 0):
/// `Σ yᵢ > N − ½`, i.e. all N fire.
fn and_unit(inputs: usize, own: Range<usize>) -> Perceptron {
    let n = own.len() as f64;
    let weights = (0..inputs).map(|i| if own.contains(&i) { 1.0 } else { 0.0 });
    Perceptron::with_weights(weights.collect(), -(n - 0.5))
}

/// An OR over `inputs` units: `Σ yᵢ > ½`, i.e. at least one fires.
fn or_unit(inputs: usize) -> Perceptron {
    Perceptron::with_weights(vec![1.0; inputs], -0.5)
}

/// Two layers: the edge units, then their AND.
fn polygon_net(vertices: &[Point]) -> ThresholdNet {
    let n = vertices.len();
    ThresholdNet {
        layers: vec![edge_units(vertices), vec![and_unit(n, 0..n)]],
    }
}

/// Three layers: every polygon's edge units, one AND per polygon, and an OR of the ANDs.
fn union_net(polygons: &[Vec<Point>]) -> ThresholdNet {
    let edges: Layer = polygons.iter().flat_map(|p| edge_units(p)).collect();
    let mut start = 0;
    let ands: Layer = polygons
        .iter()
        .map(|p| {
            let unit = and_unit(edges.len(), start..start + p.len());
            start += p.len();
            unit
        })
        .collect();
    let or = vec![or_unit(ands.len())];
    ThresholdNet {
        layers: vec![edges, ands, or],
    }
}

/// The geometric truth, by a different algorithm than the network's: cast a ray from `x` to
/// the right and count the edges it crosses (odd: inside). It works for any simple polygon.
fn inside(polygon: &[Point], x: Point) -> bool {
    let n = polygon.len();
    let mut crossings = 0;
    for i in 0..n {
        let (a, b) = (polygon[i], polygon[(i + 1) % n]);
        if (a[1] > x[1]) != (b[1] > x[1]) {
            let at = a[0] + (x[1] - a[1]) / (b[1] - a[1]) * (b[0] - a[0]);
            if at > x[0] {
                crossings += 1;
            }
        }
    }
    crossings % 2 == 1
}

/// The cell centres of a `side × side` grid over `plane`, row by row from the bottom (the
/// order `Chart::shade` samples in).
fn grid(plane: &Plane, side: usize) -> Vec<Point> {
    let at = |range: &Range<f64>, i: usize| {
        range.start + (i as f64 + 0.5) * (range.end - range.start) / side as f64
    };
    (0..side * side)
        .map(|k| [at(&plane.0, k % side), at(&plane.1, k / side)])
        .collect()
}

/// A polygon's outline, closed, for a chart.
fn outline(polygon: &[Point]) -> Vec<(f64, f64)> {
    polygon
        .iter()
        .chain(polygon.first())
        .map(|p| (p[0], p[1]))
        .collect()
}

fn class(fires: bool) -> f64 {
    if fires { 1.0 } else { 0.0 }
}

fn hand_built(nb: &Notebook) {
    nb.section("A polygon from threshold units");
    nb.say(
        "Each edge vᵢ → vᵢ₊₁ of a convex polygon is one threshold unit, firing on the polygon's\n\
         side of the edge's line. A second-layer unit with weights 1 and threshold N − ½ fires\n\
         when all N edge units fire (Σ y ≥ N): exactly inside the polygon.\n",
    );
    let pentagon = regular_polygon(5, [-0.55, 0.35], 0.85, 0.3);
    let square = regular_polygon(4, [0.75, -0.55], 0.65, 0.35);
    let net = polygon_net(&pentagon);
    nb.say("  layer 1 of the pentagon (z = w·x + b, fires when z > 0):");
    for (i, unit) in net.layers[0].iter().enumerate() {
        let (w, b) = (unit.weights(), unit.bias());
        nb.say(format!(
            "    edge {i}: w = ({:+.3}, {:+.3}), b = {:+.3}",
            w[0], w[1], b
        ));
    }
    let and = &net.layers[1][0];
    nb.say(format!(
        "  layer 2: weights {:?}, b = {} (fires when Σ y > {}, i.e. all {} fire)\n",
        and.weights(),
        and.bias(),
        -and.bias(),
        pentagon.len()
    ));

    let side = nb.choose(200, 600);
    let points = grid(&(PLANE, PLANE), side);
    let disagree = |net: &ThresholdNet, truth: &dyn Fn(Point) -> bool| {
        let inside_count = points.iter().filter(|&&p| truth(p)).count();
        let wrong = points.iter().filter(|&&p| net.fires(p) != truth(p)).count();
        (inside_count, wrong)
    };
    let (count, wrong) = disagree(&net, &|p| inside(&pentagon, p));
    nb.say(format!(
        "  on a {side} × {side} grid: {count} of {} points lie inside the pentagon (ray casting); \
         the network disagrees on {wrong}",
        points.len()
    ));
    nb.claim(
        wrong == 0 && count > 0,
        format!(
            "the {}-unit network fires exactly for the {count} grid points inside the pentagon",
            net.units().iter().sum::<usize>()
        ),
    );

    nb.section("Two polygons OR-ed: a third layer");
    nb.say(
        "To fire inside the pentagon OR a square, put both polygons' edge units in layer 1,\n\
         one AND per polygon in layer 2, and an OR (Σ y ≥ 1) in layer 3.\n",
    );
    let polygons = [pentagon.clone(), square];
    let union = union_net(&polygons);
    let in_either = |p: Point| polygons.iter().any(|poly| inside(poly, p));
    let (count, wrong) = disagree(&union, &in_either);
    nb.say(format!(
        "  units per layer: {:?}; {count} grid points lie in either polygon; the network \
         disagrees on {wrong}",
        union.units()
    ));
    nb.claim(
        wrong == 0 && count > 0,
        format!(
            "the {}-unit, 3-layer network fires exactly for the {count} grid points inside \
             either polygon",
            union.units().iter().sum::<usize>()
        ),
    );

    let map = text_map(
        PLANE,
        PLANE,
        48,
        16,
        |x, y| if union.fires([x, y]) { '#' } else { '.' },
        &[],
    );
    nb.say(format!("\n  where the network fires ('#'):\n{map}"));

    let edges_firing = |x: f64, y: f64| net.activations([x, y])[1].iter().sum::<f64>();
    let with_outlines = |chart: Chart| {
        polygons
            .iter()
            .fold(chart, |c, p| c.line("", outline(p), 7))
    };
    let figure = Figure::new("Decision boundaries from threshold units", 2)
        .panel(
            Chart::new("layer 1: how many pentagon edges fire", PLANE, PLANE)
                .shade(Shading::Levels { log: false }, 60, edges_firing)
                .line("", outline(&pentagon), 7)
                .text((-1.5, 1.4), "light = 5 of 5"),
        )
        .panel(
            Chart::new("layer 2: fires when Σ y ≥ 5", PLANE, PLANE)
                .shade(Shading::Classes, 60, |x, y| class(net.fires([x, y])))
                .line("", outline(&pentagon), 7),
        )
        .panel(with_outlines(
            Chart::new("3 layers: pentagon OR square", PLANE, PLANE).shade(
                Shading::Classes,
                60,
                |x, y| class(union.fires([x, y])),
            ),
        ))
        .panel(with_outlines(
            Chart::new("the geometry: ray casting", PLANE, PLANE).shade(
                Shading::Classes,
                60,
                |x, y| class(in_either([x, y])),
            ),
        ));
    nb.save(&figure, "polygons.svg")
        .expect("the polygons figure is written");
}

// ---------------------------------------------------------------------------------------
// Part 2: boundaries learned by gradient descent

/// One toy problem and the network that learns it.
struct Problem {
    name: &'static str,
    data: TwoClasses,
    /// Fresh points from the same distribution, to see how the boundary generalises.
    held_out: TwoClasses,
    widths: Vec<usize>,
    epochs: usize,
    /// The training accuracy the example claims.
    target: f64,
}

/// The points as inputs `[N, 2]` and the labels as class indices `[N]` (−1 → 0, +1 → 1).
fn dataset(data: &TwoClasses) -> Dataset<Tensor<f64>> {
    let n = data.len();
    let x = Tensor::from_vec(data.points.iter().flatten().copied().collect(), [n, 2])
        .expect("two coordinates per point");
    let d = data.labels.iter().map(|&l| class(l > 0.0)).collect();
    Dataset::new(x, Tensor::from_vec(d, [n]).expect("one label per point"))
        .expect("as many labels as points")
}

/// A trained classifier: its architecture and its parameters.
struct Classifier {
    model: Mlp,
    params: Parameters<f64>,
}

impl Classifier {
    /// P(class +1 | x) for each point: the softmax of the two outputs, σ(z₁ − z₀).
    fn probabilities(&self, points: &[Point]) -> Vec<f64> {
        let tape = Tape::new();
        let x = Tensor::from_vec(
            points.iter().flatten().copied().collect(),
            [points.len(), 2],
        )
        .expect("two coordinates per point");
        let z = tape.no_grad(|| {
            let p = self.params.record(&tape);
            self.model.forward(&p, tape.constant_tensor(x)).value()
        });
        z.as_slice()
            .chunks(2)
            .map(|z| 1.0 / (1.0 + (z[0] - z[1]).exp()))
            .collect()
    }

    /// The mean Div (cross-entropy) and the accuracy on `data`.
    fn evaluate(&self, data: &TwoClasses) -> (f64, f64) {
        let (div, accuracy) = evaluate(
            &self.model,
            &self.params,
            &CrossEntropy,
            &dataset(data),
            &mut Tape::new(),
        )
        .expect("the data fit the model");
        (div, accuracy.expect("a classifier has an accuracy"))
    }
}

/// Trains an MLP (ReLU hidden units, two outputs) with cross-entropy and Adam on the tape's
/// gradients (`nn::train::fit`), one epoch at a time so that the progress bar moves.
fn train(
    nb: &Notebook,
    name: &str,
    data: &TwoClasses,
    widths: &[usize],
    epochs: usize,
    seed: u64,
) -> Classifier {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut params = Parameters::new();
    let model = Mlp::new(&mut params, name, widths, Activation::Relu, &mut rng);
    let data = dataset(data);
    let mut adam = Adam::new(0.01);
    let config = TrainConfig {
        epochs: 1,
        batch_size: 32,
        ..Default::default()
    };
    let bar = nb.progress(epochs as u64, name);
    for _ in 0..epochs {
        fit(
            &model,
            &mut params,
            &mut adam,
            &CrossEntropy,
            &data,
            None,
            &config,
            &mut rng,
        )
        .expect("the batches fit the model");
        bar.inc(1);
    }
    bar.finish_and_clear();
    Classifier { model, params }
}

/// P(+1 | x) on a `side × side` grid over `plane`, computed in one batch, as a function that
/// looks up the cell holding `(x, y)` (a chart or a text map asks at cell centres).
fn probability_map(
    classifier: &Classifier,
    plane: &Plane,
    side: usize,
) -> impl Fn(f64, f64) -> f64 + use<> {
    let values = classifier.probabilities(&grid(plane, side));
    let plane = plane.clone();
    move |x, y| {
        let cell = |v: f64, range: &Range<f64>| {
            let t = (v - range.start) / (range.end - range.start);
            ((t * side as f64) as usize).min(side - 1)
        };
        values[cell(y, &plane.1) * side + cell(x, &plane.0)]
    }
}

/// The regions in characters, with the training points on the wrong side marked.
fn boundary_text(classifier: &Classifier, data: &TwoClasses, plane: &Plane) -> String {
    let p = classifier.probabilities(&data.points);
    let wrong: Vec<(f64, f64, char)> = data
        .points
        .iter()
        .zip(&data.labels)
        .zip(&p)
        .filter(|&((_, &l), &p)| (p > 0.5) != (l > 0.0))
        .map(|((x, _), _)| (x[0], x[1], '!'))
        .collect();
    // looked up on a 48 × 48 grid, drawn as 48 × 16 characters (each about twice as tall as
    // it is wide)
    let cells = probability_map(classifier, plane, 48);
    let sign = |x, y| if cells(x, y) > 0.5 { '#' } else { '.' };
    text_map(plane.0.clone(), plane.1.clone(), 48, 16, sign, &wrong)
}

/// The points of class `sign` (−1 or +1), for a chart.
fn of_class(data: &TwoClasses, sign: f64) -> Vec<(f64, f64)> {
    let labelled = data.points.iter().zip(&data.labels);
    labelled
        .filter(|(_, l)| **l * sign > 0.0)
        .map(|(p, _)| (p[0], p[1]))
        .collect()
}

fn boundary_chart(classifier: &Classifier, problem: &Problem, plane: &Plane) -> Chart {
    // headroom above the points for the legend
    let (x_range, y) = plane.clone();
    let y_range = y.start..y.end + 0.3 * (y.end - y.start);
    let shown = (x_range.clone(), y_range.clone());
    Chart::new(&format!("{}: P(+1 | x)", problem.name), x_range, y_range)
        .labels("x₁", "x₂")
        .shade(
            Shading::Probability,
            60,
            probability_map(classifier, &shown, 60),
        )
        .points("d = −1", of_class(&problem.data, -1.0), 0)
        .points("d = +1", of_class(&problem.data, 1.0), 1)
}

fn learned(nb: &Notebook) {
    nb.section("A single layer draws a line");
    nb.say(
        "A network without hidden layer (two output units and a softmax: logistic regression)\n\
         has a straight boundary, whatever it learns. No line separates two concentric circles.\n",
    );
    let n = nb.choose(200, 400);
    let mut rng = StdRng::seed_from_u64(4);
    let problems = [
        Problem {
            name: "two moons",
            data: two_moons(n, 0.1, &mut rng),
            held_out: two_moons(n, 0.1, &mut rng),
            widths: vec![2, 16, 16, 2],
            epochs: nb.choose(40, 60),
            target: 0.95,
        },
        Problem {
            name: "circles",
            data: circles(n, 0.08, 0.5, &mut rng),
            held_out: circles(n, 0.08, 0.5, &mut rng),
            widths: vec![2, 16, 16, 2],
            epochs: nb.choose(40, 60),
            target: 0.95,
        },
        Problem {
            name: "spirals",
            data: spirals(n, 0.03, &mut rng),
            held_out: spirals(n, 0.03, &mut rng),
            widths: nb.choose(vec![2, 32, 32, 2], vec![2, 64, 64, 2]),
            epochs: nb.choose(200, 300),
            target: 0.90,
        },
    ];
    let circles = &problems[1].data;
    let linear = train(nb, "linear", circles, &[2, 2], nb.choose(40, 60), 1);
    let (_, accuracy) = linear.evaluate(circles);
    nb.say(format!(
        "  circles, network [2, 2]: training accuracy {:.1} %",
        100.0 * accuracy
    ));
    nb.claim(
        accuracy < 0.75,
        "a network without hidden layer cannot separate the circles: accuracy below 75 %",
    );

    nb.section("Boundaries learned by gradient descent");
    nb.say(
        "MLPs with ReLU hidden units and a softmax output, trained on labelled points: Div =\n\
         cross-entropy, gradients from the tape, Adam steps on every w_ij^(k). The learned\n\
         boundary is where P(+1 | x) = ½. Held-out points come from the same distribution.\n",
    );
    for (seed, problem) in problems.iter().enumerate() {
        let classifier = train(
            nb,
            problem.name,
            &problem.data,
            &problem.widths,
            problem.epochs,
            10 + seed as u64,
        );
        let (div, accuracy) = classifier.evaluate(&problem.data);
        let (_, held_out) = classifier.evaluate(&problem.held_out);
        nb.say(format!(
            "  {}: {} points, MLP {:?}, {} epochs: Div {div:.3},\n    training accuracy \
             {:.1} %, held-out {:.1} %",
            problem.name,
            problem.data.len(),
            problem.widths,
            problem.epochs,
            100.0 * accuracy,
            100.0 * held_out,
        ));
        nb.claim(
            accuracy >= problem.target,
            format!(
                "the MLP separates the {} with training accuracy ≥ {:.0} %",
                problem.name,
                100.0 * problem.target
            ),
        );
        let plane = notebook::bounds(problem.data.points.iter().map(|p| (p[0], p[1])));
        nb.say(format!(
            "  where P(+1 | x) > ½ ('#'), training points on the wrong side ('!'):\n{}",
            boundary_text(&classifier, &problem.data, &plane)
        ));
        let file = format!("learned_{}.svg", problem.name.replace(' ', "_"));
        nb.save(&boundary_chart(&classifier, problem, &plane), &file)
            .expect("the learned boundary is written");
        nb.say("");
    }
}

fn main() {
    let nb = Notebook::start("04_decision_boundaries", "04 · Decision boundaries");
    hand_built(&nb);
    learned(&nb);
    nb.finish();
}
