//! # 10 · Handwritten digits: softmax, one-hot targets and cross-entropy
//!
//! A multi-class classifier on real handwritten digits (the UCI 8 × 8 digits in
//! `data/digits.csv.gz`, 1,797 images): each label becomes a one-hot vector `d`, the network's
//! last layer is the softmax vector activation `y_i = exp(z_i) / Σ_j exp(z_j)`, and training
//! minimises the cross-entropy `Div(Y, d) = −Σ_i d_i ln y_i` over shuffled mini-batches with
//! Adam. The example checks the softmax Jacobian `∂y_j/∂z_i = y_i (δ_ij − y_j)` and the
//! gradient `∂Div/∂z = y − d` against the tape, reaches at least 97 % accuracy on held-out
//! digits (trained on the images and on copies shifted by one pixel), prints the confusion matrix and draws the learning curves, the misclassified
//! digits and a few correct ones.
//!
//! Given a folder of MNIST's four IDX files (uncompressed: `train-images-idx3-ubyte`,
//! `train-labels-idx1-ubyte`, `t10k-images-idx3-ubyte`, `t10k-labels-idx1-ubyte`) it does the
//! same on MNIST, with a 784-128-10 network, pixels scaled to [0, 1].
//!
//! Run: `cargo run --release --example 10_digits` (`-- --quick` for the CI run;
//! `-- path/to/mnist` for MNIST). The chapter: `docs/course/10-digits.md`.

use std::error::Error;
use std::path::Path;

use autograd::{Tape, Tensor};
use nn::data::{
    ConfusionMatrix, Dataset, Header, LabelColumn, Standardizer, classes_of, one_hot,
    read_idx_classification, read_labelled_csv,
};
use nn::optim::Adam;
use nn::train::{CrossEntropyOneHot, EpochStats, TrainConfig, evaluate, fit};
use nn::{Activation, Mlp, Module, Parameters, losses, softmax};
use notebook::{Chart, Figure, ImageGrid, Notebook};
use rand::{SeedableRng, rngs::StdRng};

type Result<T> = std::result::Result<T, Box<dyn Error>>;

/// Ten digits, ten classes, ten outputs.
const CLASSES: usize = 10;
/// The part of the UCI digits held out for testing (a fixed, seeded split).
const HELD_OUT: f64 = 0.25;

fn main() {
    let nb = Notebook::start(
        "10_digits",
        "10 · Handwritten digits: softmax, one-hot targets and cross-entropy",
    );
    // A missing or malformed file is the user's to fix: say which, without a backtrace.
    if let Err(err) = run(&nb) {
        eprintln!("10_digits: {err}");
        std::process::exit(1);
    }
    nb.finish();
}

/// Labelled images, as raw pixel rows `[N, pixels]`, split into training and held-out parts.
struct Images {
    /// Where they came from, for the output.
    source: String,
    /// Pixels per image row (8 for the UCI digits, 28 for MNIST).
    width: usize,
    train: Tensor<f32>,
    train_labels: Vec<usize>,
    test: Tensor<f32>,
    test_labels: Vec<usize>,
}

/// How big a network and how long to train it, per data set and mode.
struct Plan {
    hidden: usize,
    epochs: usize,
    batch_size: usize,
    /// Adam's η.
    learning_rate: f64,
    /// Whether to add copies of the training images shifted by one pixel.
    shifted_copies: bool,
    /// The held-out accuracy the run must reach.
    target: f64,
}

fn run(nb: &Notebook) -> Result<()> {
    let (images, plan, scale) = match nb.args() {
        [] => (uci_digits()?, digits_plan(nb), Scaling::Standardize),
        [folder] => {
            let images = mnist(nb, Path::new(folder))?;
            let plan = mnist_plan(nb, images.train_labels.len());
            (images, plan, Scaling::UnitRange)
        }
        _ => return Err("expected at most one argument: a folder of MNIST IDX files".into()),
    };
    let (train, test) = show_data(nb, &images, &plan, scale)?;

    let mut rng = StdRng::seed_from_u64(10);
    let mut params = Parameters::<f32>::new();
    let inputs = train.inputs().dims()[1];
    let model = Mlp::new(
        &mut params,
        "digits",
        &[inputs, plan.hidden, CLASSES],
        Activation::Relu,
        &mut rng,
    );
    let summary = model.summary(&params, &Tensor::zeros([1, inputs]));
    nb.say(format_args!(
        "The network, layer by layer (for one input):\n{summary}"
    ));
    nb.claim(
        summary.rows[0].params == Some(params.count()),
        "the layers' parameters add up to the store's",
    );
    softmax_is_a_vector_activation(nb, &model, &params, &test, &images.test_labels);

    let history = train_network(nb, &model, &mut params, &train, &test, &plan, &mut rng)?;
    learning_curves(nb, &history, plan.target)?;

    let probabilities = predict(&model, &params, test.inputs());
    let predicted = classes_of(&probabilities);
    confusion(nb, &predicted, &images.test_labels);
    confidence(nb, &probabilities, &predicted, &images.test_labels);
    pictures(nb, &images, &probabilities, &predicted)?;
    Ok(())
}

// ---------------------------------------------------------------------------------------
// The data

fn digits_plan(nb: &Notebook) -> Plan {
    Plan {
        hidden: 256,
        epochs: nb.choose(20, 40),
        batch_size: 32,
        learning_rate: 3e-3,
        shifted_copies: true,
        target: 0.97,
    }
}

/// MNIST's plan: 10 passes over its 60,000 training images (3 over 10,000 in quick mode). A
/// smaller IDX set gets more epochs, for the same number of images shown.
fn mnist_plan(nb: &Notebook, train_images: usize) -> Plan {
    let shown: usize = nb.choose(3 * 10_000, 10 * 60_000);
    Plan {
        hidden: 128,
        epochs: shown.div_ceil(train_images.max(1)),
        batch_size: 64,
        learning_rate: 1e-3,
        shifted_copies: false,
        target: nb.choose(0.90, 0.97),
    }
}

/// The UCI digits: 64 pixel columns in 0..16, then the label; a quarter held out.
fn uci_digits() -> Result<Images> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/digits.csv.gz");
    // the last column's labels become class indices, checked to be whole numbers
    let digits = read_labelled_csv::<f32>(&path, Header::Absent, LabelColumn::Last)?;
    let (pixels, classes) = (digits.data.inputs().dims()[1], digits.classes.len());
    if pixels != 64 || classes > CLASSES {
        return Err(format!(
            "{}: expected 64 pixel columns and a digit, found {pixels} and {classes} classes",
            path.display()
        )
        .into());
    }
    let split = digits
        .data
        .train_test_split(1.0 - HELD_OUT, &mut StdRng::seed_from_u64(2024));
    let (train, test) = split?;
    Ok(Images {
        source: "The UCI handwritten digits (data/digits.csv.gz)".to_string(),
        width: 8,
        train_labels: train.targets().as_slice().to_vec(),
        test_labels: test.targets().as_slice().to_vec(),
        train: train.inputs().clone(),
        test: test.inputs().clone(),
    })
}

/// MNIST from its four IDX files (in quick mode only the first 10,000 training images).
fn mnist(nb: &Notebook, folder: &Path) -> Result<Images> {
    let (train, train_labels, width) =
        idx_pair(folder, "train-images-idx3-ubyte", "train-labels-idx1-ubyte")?;
    let (test, test_labels, test_width) =
        idx_pair(folder, "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")?;
    if test.dims()[1] != train.dims()[1] || test_width != width {
        return Err(format!(
            "{}: test images of {} pixels but training images of {}",
            folder.display(),
            test.dims()[1],
            train.dims()[1]
        )
        .into());
    }
    let keep = nb.choose(10_000, usize::MAX).min(train_labels.len());
    let kept: Vec<usize> = (0..keep).collect();
    Ok(Images {
        source: format!("MNIST ({})", folder.display()),
        width,
        train: train.try_index_select(0, &kept)?,
        train_labels: train_labels[..keep].to_vec(),
        test,
        test_labels,
    })
}

/// One images file `[N, rows, cols]` and its labels file `[N]` in `folder` (as downloaded,
/// `.gz`, or unpacked): the images flattened to `[N, rows · cols]`, the labels, and the image
/// width.
fn idx_pair(folder: &Path, images: &str, labels: &str) -> Result<(Tensor<f32>, Vec<usize>, usize)> {
    let data = read_idx_classification::<f32>(folder.join(images), folder.join(labels), CLASSES)?;
    let &[n, rows, cols] = data.inputs().dims() else {
        unreachable!("read_idx_classification checks images are [N, rows, cols]")
    };
    Ok((
        data.inputs().try_reshape([n, rows * cols])?,
        data.targets().as_slice().to_vec(),
        cols,
    ))
}

/// How pixels are put on a scale the network trains well on.
#[derive(Clone, Copy)]
enum Scaling {
    /// Each pixel to mean 0, standard deviation 1 over the training set.
    Standardize,
    /// Bytes 0..255 to [0, 1].
    UnitRange,
}

/// Images `[N, pixels]` with one-hot targets `[N, 10]`.
type Digits = Dataset<Tensor<f32>>;

/// Prints the data, one digit in characters and its one-hot target, and builds the datasets
/// the network sees: scaled inputs, one-hot targets.
fn show_data(
    nb: &Notebook,
    images: &Images,
    plan: &Plan,
    scale: Scaling,
) -> Result<(Digits, Digits)> {
    nb.section("The data: images and one-hot targets");
    let pixels = images.train.dims()[1];
    nb.say(format!(
        "{}: {} training and {} held-out images of {} × {} pixels, {CLASSES} classes.",
        images.source,
        images.train_labels.len(),
        images.test_labels.len(),
        images.width,
        pixels / images.width
    ));
    let mut counts = [0usize; CLASSES];
    images.train_labels.iter().for_each(|&l| counts[l] += 1);
    nb.say(format!("Training images per class 0..9: {counts:?}"));
    nb.say(
        "\nThe label is not fed to the network as a number (a 7 is not 'more' than a 3): it \
         becomes a one-hot vector d, ten outputs with a single 1 at the class's position.",
    );
    let first = &images.train.as_slice()[..pixels];
    print!("{}", digit_in_characters(first, images.width));
    let d_first = one_hot::<f32>(&images.train_labels[..1], CLASSES);
    nb.say(format!(
        "  label {}  →  d = {:?}",
        images.train_labels[0],
        d_first
            .as_slice()
            .iter()
            .map(|&v| v as u8)
            .collect::<Vec<_>>()
    ));
    let (x_train, train_labels) = if plan.shifted_copies {
        with_shifted_copies(&images.train, &images.train_labels, images.width)?
    } else {
        (images.train.clone(), images.train_labels.clone())
    };
    let d_train = one_hot::<f32>(&train_labels, CLASSES);
    let d_test = one_hot::<f32>(&images.test_labels, CLASSES);
    let is_one_hot = |d: &Tensor<f32>, labels: &[usize]| {
        d.as_slice()
            .chunks(CLASSES)
            .zip(labels)
            .all(|(row, &l)| (0..CLASSES).all(|c| row[c] == if c == l { 1.0 } else { 0.0 }))
    };
    nb.claim(
        is_one_hot(&d_train, &train_labels) && is_one_hot(&d_test, &images.test_labels),
        "every target is a one-hot vector: a single 1 at its class, nine 0s",
    );
    if plan.shifted_copies {
        nb.say(format!(
            "\nA digit moved by one pixel is still the same digit: each training image is added \
             again shifted left, right, up and down, {} training images in all (the held-out \
             ones are left as they are).",
            train_labels.len()
        ));
    }

    let (x_train, x_test) = match scale {
        Scaling::Standardize => {
            let s = Standardizer::fit(&x_train);
            nb.say(
                "Inputs are standardised with the training set's mean and standard deviation \
                 per pixel (the same shift and scale are applied to the held-out images).",
            );
            (s.apply(&x_train), s.apply(&images.test))
        }
        Scaling::UnitRange => {
            nb.say("Pixels 0..255 are scaled to [0, 1].");
            (x_train.map(|p| p / 255.0), images.test.map(|p| p / 255.0))
        }
    };
    Ok((
        Dataset::new(x_train, d_train)?,
        Dataset::new(x_test, d_test)?,
    ))
}

/// The images `[N, pixels]` followed by four copies shifted by one pixel (right, left, down,
/// up; the pixels shifted in are blank), with their labels.
fn with_shifted_copies(
    images: &Tensor<f32>,
    labels: &[usize],
    width: usize,
) -> Result<(Tensor<f32>, Vec<usize>)> {
    let pixels = images.dims()[1];
    let height = pixels / width;
    let source = images.as_slice();
    let mut shifted = source.to_vec();
    for (dx, dy) in [(1, 0), (-1, 0), (0, 1), (0, -1)] {
        for image in source.chunks(pixels) {
            for r in 0..height as isize {
                for c in 0..width as isize {
                    let (from_r, from_c) = (r - dy, c - dx);
                    let inside = (0..height as isize).contains(&from_r)
                        && (0..width as isize).contains(&from_c);
                    shifted.push(if inside {
                        image[from_r as usize * width + from_c as usize]
                    } else {
                        0.0
                    });
                }
            }
        }
    }
    let labels = labels.repeat(5);
    Ok((Tensor::from_vec(shifted, [labels.len(), pixels])?, labels))
}

/// A grey image as characters, darker pixels as denser ones.
fn digit_in_characters(pixels: &[f32], width: usize) -> String {
    const INK: [char; 5] = [' ', '.', ':', '*', '#'];
    let max = pixels.iter().fold(0.0f32, |m, &p| m.max(p)).max(1e-6);
    pixels
        .chunks(width)
        .map(|row| {
            let line: String = row
                .iter()
                .flat_map(|&p| {
                    let c = INK[((p / max) * 4.0).round() as usize];
                    [c, c]
                })
                .collect();
            format!("  |{line}|\n")
        })
        .collect()
}

// ---------------------------------------------------------------------------------------
// Softmax and cross-entropy

/// The network's probabilities `y = softmax(z)` for each row of `x`, recording nothing to
/// differentiate.
fn predict(model: &Mlp, params: &Parameters<f32>, x: &Tensor<f32>) -> Tensor<f32> {
    let z = model.predict(params, x);
    let tape = Tape::new();
    softmax::softmax(tape.constant_tensor(z), 1).value()
}

/// The untrained network on one held-out digit: its logits `z`, the softmax `y`, and the
/// tape's derivatives against the lecture's formulas.
fn softmax_is_a_vector_activation(
    nb: &Notebook,
    model: &Mlp,
    params: &Parameters<f32>,
    test: &Dataset<Tensor<f32>>,
    labels: &[usize],
) {
    nb.section("Softmax: a vector activation");
    nb.say(
        "The last layer computes ten numbers z_i = Σ_j w_ji y_j + b_i; softmax turns them into \
         y_i = exp(z_i) / Σ_j exp(z_j), read as P(class = i | X). Here is the untrained \
         network on the first held-out digit:",
    );
    let probabilities = predict(model, params, test.inputs());
    let logits = model.predict(params, &test.inputs().try_narrow(0, 0, 1).expect("a digit"));
    // The lecture's formulas are checked in f64, on the network's own logits.
    let z: Vec<f64> = logits.as_slice().iter().map(|&v| f64::from(v)).collect();
    let tape = Tape::new();
    let z_var = tape.tensor(Tensor::from_vec(z.clone(), [CLASSES]).expect("ten logits"));
    let y_var = softmax::softmax(z_var, 0);
    let y = y_var.value().to_vec();
    let row = |v: &[f64]| v.iter().map(|x| format!("{x:>7.3}")).collect::<String>();
    let classes: String = (0..CLASSES).map(|c| format!("{c:>7}")).collect();
    nb.say(format!("  class {classes}"));
    nb.say(format!("  z     {}", row(&z)));
    nb.say(format!("  y     {}", row(&y)));
    nb.say(format!(
        "  true class {}; Σ_i y_i = {:.6}",
        labels[0],
        y.iter().sum::<f64>()
    ));
    let rows_are_distributions = probabilities.as_slice().chunks(CLASSES).all(|r| {
        r.iter().all(|&p| (0.0..=1.0).contains(&p)) && (r.iter().sum::<f32>() - 1.0).abs() < 1e-5
    });
    nb.claim(
        rows_are_distributions,
        format!(
            "softmax outputs are probability vectors: 0 ≤ y_i ≤ 1 and Σ_i y_i = 1 on all {} held-out digits",
            test.len()
        ),
    );

    nb.say(
        "\nA scalar activation's y_i depends on z_i alone; softmax's every y_j depends on every \
         z_i. The tape's Jacobian (one backward pass per output y_j) against the lecture's \
         ∂y_j/∂z_i = y_i (1 − y_i) if i = j, −y_i y_j otherwise:",
    );
    let mut worst: f64 = 0.0;
    let mut smallest_cross: f64 = f64::INFINITY;
    for j in 0..CLASSES {
        let y_j = y_var.try_narrow(0, j, 1).expect("an output").sum();
        let dyj_dz = y_j.backward().wrt(z_var).to_vec();
        for i in 0..CLASSES {
            let formula = if i == j {
                y[i] * (1.0 - y[i])
            } else {
                -y[i] * y[j]
            };
            worst = worst.max((dyj_dz[i] - formula).abs());
            if i != j {
                smallest_cross = smallest_cross.min(dyj_dz[i].abs());
            }
        }
    }
    nb.say(format!(
        "  largest |tape − formula| over the 10 × 10 Jacobian: {worst:.1e}; smallest |∂y_j/∂z_i|, i ≠ j: {smallest_cross:.1e}"
    ));
    nb.claim(
        worst < 1e-12,
        "the tape's softmax Jacobian equals y_i (δ_ij − y_j)",
    );
    nb.claim(
        smallest_cross > 0.0,
        "every off-diagonal ∂y_j/∂z_i is non-zero: changing one z_i changes every y_j",
    );

    nb.say(
        "\nWith a one-hot target the cross-entropy Div(Y, d) = −Σ_i d_i ln y_i is just −ln y_c \
         of the true class c, and its gradient through the softmax is remarkably simple:",
    );
    let d = one_hot::<f64>(&labels[..1], CLASSES);
    let div =
        losses::cross_entropy_one_hot(z_var.reshape([1, CLASSES]), tape.constant_tensor(d.clone()))
            .sum();
    let grad = div.backward().wrt(z_var).to_vec();
    let gap = grad
        .iter()
        .zip(y.iter().zip(d.as_slice()))
        .map(|(g, (y, d))| (g - (y - d)).abs())
        .fold(0.0, f64::max);
    nb.say(format!(
        "  Div = −ln y_{} = {:.4}\n  ∂Div/∂z {}",
        labels[0],
        div.value().item().expect("a scalar"),
        row(&grad)
    ));
    nb.claim(
        gap < 1e-12,
        format!("the tape's ∂Div/∂z equals y − d (largest gap {gap:.1e})"),
    );
}

// ---------------------------------------------------------------------------------------
// Training

fn train_network(
    nb: &Notebook,
    model: &Mlp,
    params: &mut Parameters<f32>,
    train: &Dataset<Tensor<f32>>,
    test: &Dataset<Tensor<f32>>,
    plan: &Plan,
    rng: &mut StdRng,
) -> Result<Vec<EpochStats>> {
    nb.section("Training with mini-batches");
    nb.say(format!(
        "A {}-{}-{CLASSES} ReLU network ({} parameters), cross-entropy against the one-hot \
         targets, Adam with η = {}, {} epochs of shuffled \
         mini-batches of {}. The held-out images are only evaluated, never trained on.",
        train.inputs().dims()[1],
        plan.hidden,
        params.count(),
        plan.learning_rate,
        plan.epochs,
        plan.batch_size
    ));
    let config = TrainConfig {
        epochs: plan.epochs,
        batch_size: plan.batch_size,
        progress: !nb.quick(),
        early_stopping: None,
    };
    let (untrained, _) = evaluate(model, params, &CrossEntropyOneHot, test, &mut Tape::new())?;
    let history = fit(
        model,
        params,
        &mut Adam::new(plan.learning_rate),
        &CrossEntropyOneHot,
        train,
        Some(test),
        &config,
        rng,
    )?;
    nb.say(format!(
        "\n  (untrained: held-out loss {untrained:.4}; a uniform guess y_i = 1/10 would give \
         ln 10 = {:.4})",
        (CLASSES as f64).ln()
    ));
    nb.say("  epoch   train loss   train acc   held-out loss   held-out acc");
    let every = (history.len() / 10).max(1);
    for s in history
        .iter()
        .filter(|s| s.epoch == 1 || s.epoch % every == 0)
    {
        nb.say(format!(
            "  {:>5}   {:>10.4}   {:>8.2} %   {:>13.4}   {:>10.2} %",
            s.epoch,
            s.train_loss,
            100.0 * s.train_accuracy.unwrap_or(f64::NAN),
            s.validation_loss.unwrap_or(f64::NAN),
            100.0 * s.validation_accuracy.unwrap_or(f64::NAN)
        ));
    }
    let last = history[history.len() - 1];
    let accuracy = last.validation_accuracy.unwrap_or(0.0);
    let held_out_loss = last.validation_loss.unwrap_or(f64::INFINITY);
    nb.claim(
        held_out_loss < untrained / 5.0,
        format!(
            "the held-out cross-entropy falls more than five-fold ({untrained:.3} → {held_out_loss:.3})"
        ),
    );
    nb.claim(
        accuracy >= plan.target,
        format!(
            "held-out accuracy {:.2} % ≥ {:.0} %",
            100.0 * accuracy,
            100.0 * plan.target
        ),
    );
    Ok(history)
}

/// Loss and accuracy per epoch, training and held-out, side by side.
fn learning_curves(nb: &Notebook, history: &[EpochStats], target: f64) -> Result<()> {
    let epochs = history.len() as f64;
    let series = |f: &dyn Fn(&EpochStats) -> Option<f64>| -> Vec<(f64, f64)> {
        history
            .iter()
            .filter_map(|s| f(s).map(|v| (s.epoch as f64, v)))
            .collect()
    };
    let train_loss = series(&|s| Some(s.train_loss));
    let test_loss = series(&|s| s.validation_loss);
    let top = train_loss
        .iter()
        .chain(&test_loss)
        .fold(0.0f64, |m, p| m.max(p.1));
    let loss = Chart::new("cross-entropy per epoch", 1.0..epochs, 0.0..top * 1.05)
        .labels("epoch", "mean Div")
        .line("training", train_loss, 0)
        .line("held-out", test_loss, 1);
    let train_acc = series(&|s| s.train_accuracy.map(|a| 100.0 * a));
    let test_acc = series(&|s| s.validation_accuracy.map(|a| 100.0 * a));
    let bottom = train_acc
        .iter()
        .chain(&test_acc)
        .fold(100.0f64, |m, p| m.min(p.1));
    let accuracy = Chart::new(
        "accuracy per epoch",
        1.0..epochs,
        (bottom - 1.0).max(0.0)..100.5,
    )
    .labels("epoch", "accuracy (%)")
    .line("training", train_acc, 0)
    .line("held-out", test_acc, 1)
    .dashed(
        &format!("{:.0} %", 100.0 * target),
        [(1.0, 100.0 * target), (epochs, 100.0 * target)],
        2,
    );
    let figure = Figure::new("learning curves", 2)
        .panel(loss)
        .panel(accuracy);
    nb.save(&figure, "curves.svg")?;
    Ok(())
}

// ---------------------------------------------------------------------------------------
// What the network gets right and wrong

fn confusion(nb: &Notebook, predicted: &[usize], labels: &[usize]) {
    nb.section("The confusion matrix");
    nb.say(
        "Row t, column p counts held-out digits of class t the network called p; the correct \
         ones are on the diagonal.\n",
    );
    let matrix = ConfusionMatrix::new(predicted, labels, CLASSES);
    nb.say(format!("{matrix}\n"));
    let (mut worst, mut pair) = (0, (0, 0));
    for t in 0..CLASSES {
        for p in (0..CLASSES).filter(|&p| p != t) {
            if matrix.count(t, p) > worst {
                (worst, pair) = (matrix.count(t, p), (t, p));
            }
        }
    }
    match worst {
        0 => nb.say("No mistakes at all."),
        1 => nb.say("No confusion happens more than once."),
        _ => nb.say(format!(
            "The most frequent confusion: {worst} digits of class {} taken for class {}.",
            pair.0, pair.1
        )),
    }
    let dominant = (0..CLASSES).all(|t| {
        let off: usize = (0..CLASSES)
            .filter(|&p| p != t)
            .map(|p| matrix.count(t, p))
            .sum();
        matrix.count(t, t) > 4 * off
    });
    nb.claim(
        dominant,
        "the diagonal dominates: in every row the correct count is over four times all the mistakes together",
    );
}

/// Whether `y_i` behaves like `P(class = i | X)`: more confident when right than when wrong.
fn confidence(nb: &Notebook, probabilities: &Tensor<f32>, predicted: &[usize], labels: &[usize]) {
    nb.section("Are the outputs probabilities?");
    let top: Vec<f64> = probabilities
        .as_slice()
        .chunks(CLASSES)
        .zip(predicted)
        .map(|(row, &p)| f64::from(row[p]))
        .collect();
    let mean = |right: bool| {
        let picked: Vec<f64> = top
            .iter()
            .zip(predicted.iter().zip(labels))
            .filter(|(_, (p, l))| (p == l) == right)
            .map(|(t, _)| *t)
            .collect();
        (
            picked.iter().sum::<f64>() / picked.len().max(1) as f64,
            picked.len(),
        )
    };
    let first: Vec<String> = probabilities.as_slice()[..CLASSES]
        .iter()
        .map(|p| format!("{p:.3}"))
        .collect();
    nb.say(format!(
        "After training, the first held-out digit (class {}, predicted {}) gets\n  y = [{}]",
        labels[0],
        predicted[0],
        first.join(", ")
    ));
    let ((right, n_right), (wrong, n_wrong)) = (mean(true), mean(false));
    nb.say(format!(
        "The largest y_i, on average: {right:.3} on the {n_right} digits classified correctly, \
         {wrong:.3} on the {n_wrong} mistakes."
    ));
    if n_wrong > 0 {
        nb.claim(
            right > wrong,
            "on average the network is more confident (a larger max y_i) when it is right than when it is wrong",
        );
    } else {
        nb.say("(No mistakes, so nothing to compare.)");
    }
}

/// The misclassified held-out digits, and two correct ones of each class.
fn pictures(
    nb: &Notebook,
    images: &Images,
    probabilities: &Tensor<f32>,
    predicted: &[usize],
) -> Result<()> {
    nb.section("Pictures");
    let pixels = images.test.dims()[1];
    let image = |i: usize| -> Vec<f64> {
        images.test.as_slice()[i * pixels..(i + 1) * pixels]
            .iter()
            .map(|&p| f64::from(p))
            .collect()
    };
    let y = |i: usize, c: usize| probabilities.as_slice()[i * CLASSES + c];
    let labels = &images.test_labels;
    let mistakes: Vec<usize> = (0..labels.len())
        .filter(|&i| predicted[i] != labels[i])
        .collect();
    // Every pixel is an SVG rectangle: show fewer of MNIST's larger images.
    let budget = (2_600 / pixels).max(10);
    let shown = mistakes.len().min(budget);
    let mut grid = ImageGrid::new(
        &format!(
            "misclassified held-out digits ({shown} of {})",
            mistakes.len()
        ),
        10,
    );
    for &i in &mistakes[..shown] {
        let caption = format!("true {} → {}", labels[i], predicted[i]);
        grid = grid.image(&image(i), images.width, &caption);
    }
    nb.say(format!(
        "{} of the {} mistakes, drawn as the network saw them (true class → predicted class): \
         would you have hesitated too?",
        if shown == mistakes.len() {
            "All"
        } else {
            "The first few"
        },
        mistakes.len()
    ));
    if !grid.is_empty() {
        nb.save(&grid, "mistakes.svg")?;
    }

    let mut grid = ImageGrid::new("correctly classified held-out digits", 10);
    for class in 0..CLASSES {
        let right = (0..labels.len()).filter(|&i| labels[i] == class && predicted[i] == class);
        for i in right.take(if budget >= 20 { 2 } else { 1 }) {
            let caption = format!("{class}: y{} = {:.2}", subscript(class), y(i, class));
            grid = grid.image(&image(i), images.width, &caption);
        }
    }
    nb.say("And correct ones of each class, with the probability the network gave them:");
    nb.save(&grid, "correct.svg")?;
    Ok(())
}

/// A digit as a subscript, for `y₃`.
fn subscript(digit: usize) -> char {
    char::from_u32('₀' as u32 + digit as u32).unwrap_or('?')
}
