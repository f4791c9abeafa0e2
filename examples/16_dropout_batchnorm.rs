//! # 16 · Dropout and batch normalisation
//!
//! A network with far more weights than training examples learns its training set by heart:
//! its training loss goes to zero while its held-out loss, after a minimum, climbs again
//! (over-fitting). This example trains one deliberately over-fitting MLP on 500 of the UCI
//! digits four ways: plain, with dropout (each hidden unit silenced with probability 0.5 at
//! every training step, the survivors scaled by 2), with batch normalisation (each hidden
//! unit's pre-activation standardised over the batch, then scaled and shifted by two trained
//! numbers), and with both. It draws each one's training and held-out curves side by side,
//! and shows what changes between training and evaluation mode: dropout becomes the
//! identity, and batch norm switches from the batch's statistics to the running averages it
//! kept during training.
//!
//! Run: `cargo run --release --example 16_dropout_batchnorm` (`-- --quick` for the CI run:
//! fewer epochs). The chapter: `docs/course/16-dropout-batchnorm.md`.

use std::error::Error;

use autograd::{Tape, Tensor};
use nn::data::{Dataset, Header, Indices, LabelColumn, classes_of, read_labelled_csv};
use nn::optim::Adam;
use nn::train::{CrossEntropy, Trainer, evaluate};
use nn::{Activation, BatchNorm1d, Dense, Dropout, Mode, Module, Parameters, Sequential};
use notebook::{Chart, Figure, Legend, Notebook};
use rand::{SeedableRng, rngs::StdRng};

type Result<T> = std::result::Result<T, Box<dyn Error>>;

/// Training digits: few, so that a 64-256-256-10 network (85 K weights) learns them by heart.
const TRAIN: usize = 500;
/// Hidden units per layer.
const HIDDEN: usize = 256;

fn main() {
    let nb = Notebook::start(
        "16_dropout_batchnorm",
        "16 · Dropout and batch normalisation",
    );
    if let Err(err) = run(&nb) {
        eprintln!("16_dropout_batchnorm: {err}");
        std::process::exit(1);
    }
    nb.finish();
}

/// The four networks.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Variant {
    Plain,
    Dropout,
    BatchNorm,
    Both,
}

impl Variant {
    const ALL: [Variant; 4] = [
        Variant::Plain,
        Variant::Dropout,
        Variant::BatchNorm,
        Variant::Both,
    ];

    fn name(self) -> &'static str {
        match self {
            Variant::Plain => "plain",
            Variant::Dropout => "dropout",
            Variant::BatchNorm => "batch norm",
            Variant::Both => "batch norm + dropout",
        }
    }
}

/// A trained network, its parameters, and its curves (one entry per epoch, in evaluation
/// mode: the training set's and the held-out set's loss and accuracy).
struct Run {
    variant: Variant,
    model: Sequential<f32>,
    params: Parameters<f32>,
    /// The first batch norm's parameter ids (weight, bias, running mean, running variance).
    first_norm: Option<[nn::ParamId; 4]>,
    /// The first dense layer (the batch norm's input), to compute what it normalises.
    first_dense: Dense,
    train: Vec<(f64, f64)>,
    held_out: Vec<(f64, f64)>,
}

fn run(nb: &Notebook) -> Result<()> {
    let root = env!("CARGO_MANIFEST_DIR");
    let digits = read_labelled_csv::<f32>(
        format!("{root}/data/digits.csv.gz"),
        Header::Absent,
        LabelColumn::Last,
    )?;
    let data = digits.data.map_inputs(|x| x / 16.0)?; // pixels 0..16 to [0, 1]
    // the first stratified split's held-out digits (example 15's), and the first 500 of its
    // training digits
    let held_out_rows = first_split(&format!("{root}/data/digits_splits.txt"))?;
    let mut is_held_out = vec![false; data.len()];
    for &i in &held_out_rows {
        is_held_out[i] = true;
    }
    let train_rows: Vec<usize> = (0..data.len())
        .filter(|&i| !is_held_out[i])
        .take(TRAIN)
        .collect();
    let (train, test) = (data.select(&train_rows)?, data.select(&held_out_rows)?);

    nb.section("Four networks, one over-fitting setting");
    let epochs = nb.choose(25, 150);
    nb.say(format!(
        "{} training digits, {} held out; a 64-{HIDDEN}-{HIDDEN}-10 ReLU network ({} weights: \
         hundreds per training digit), Adam with step 1e-3, batches of 32, {epochs} epochs. \
         After every epoch the network is evaluated (evaluation mode) on both sets.",
        train.len(),
        test.len(),
        64 * HIDDEN + HIDDEN + HIDDEN * HIDDEN + HIDDEN + HIDDEN * 10 + 10
    ));
    let runs: Vec<Run> = Variant::ALL
        .iter()
        .map(|&v| train_variant(v, &train, &test, epochs))
        .collect::<Result<_>>()?;
    for r in &runs {
        let (last_train, last_test) = (r.train[epochs - 1], r.held_out[epochs - 1]);
        let best = r.held_out.iter().map(|p| p.0).fold(f64::INFINITY, f64::min);
        nb.say(format!(
            "{:>22}: training loss {:.4}, accuracy {:.1} %; held-out loss {:.3} (lowest {:.3}), \
             accuracy {:.1} %",
            r.variant.name(),
            last_train.0,
            100.0 * last_train.1,
            last_test.0,
            best,
            100.0 * last_test.1
        ));
    }
    nb.save(&curves(&runs, epochs), "curves.svg")?;
    nb.save(&held_out_losses(&runs, epochs), "held_out_loss.svg")?;
    let [plain, dropout, batch_norm, both] = [&runs[0], &runs[1], &runs[2], &runs[3]];
    let last = epochs - 1;
    let min_loss = |r: &Run| r.held_out.iter().map(|p| p.0).fold(f64::INFINITY, f64::min);

    nb.section("Over-fitting, and what each one changes");
    nb.claim(
        plain.train[last].1 == 1.0,
        "the plain network classifies every training digit correctly",
    );
    nb.claim(
        plain.train[last].1 - plain.held_out[last].1 >= 0.03,
        format!(
            "yet it is {:.1} points worse on the held-out digits",
            100.0 * (plain.train[last].1 - plain.held_out[last].1)
        ),
    );
    if !nb.quick() {
        nb.claim(
            plain.held_out[last].0 > 1.2 * min_loss(plain),
            format!(
                "its held-out loss climbed back from its lowest {:.3} to {:.3}: over-fitting",
                min_loss(plain),
                plain.held_out[last].0
            ),
        );
        nb.claim(
            dropout.held_out[last].0 < plain.held_out[last].0,
            format!(
                "dropout ends with a lower held-out loss ({:.3} against {:.3})",
                dropout.held_out[last].0, plain.held_out[last].0
            ),
        );
    }
    // batch norm: the training loss falls faster in the first epochs
    let early = nb.choose(3, 5) - 1;
    nb.claim(
        batch_norm.train[early].0 < plain.train[early].0,
        format!(
            "with batch norm the training loss falls faster: after {} epochs {:.3} against {:.3}",
            early + 1,
            batch_norm.train[early].0,
            plain.train[early].0
        ),
    );
    nb.say(format!(
        "Held-out accuracy after the last epoch: plain {:.1} %, dropout {:.1} %, batch norm \
         {:.1} %, both {:.1} % (one digit is 0.22 points: with one seed, differences of a \
         point or two are within the run-to-run spread, and are not claimed).",
        100.0 * plain.held_out[last].1,
        100.0 * dropout.held_out[last].1,
        100.0 * batch_norm.held_out[last].1,
        100.0 * both.held_out[last].1
    ));

    dropout_modes(nb, dropout, &test)?;
    batch_norm_modes(nb, batch_norm, &train, &test)?;
    Ok(())
}

/// The first line of `data/digits_splits.txt`: split 0's held-out rows.
fn first_split(path: &str) -> Result<Vec<usize>> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
    let line = text.lines().next().ok_or(format!("{path}: empty"))?;
    line.split_whitespace()
        .map(|v| {
            v.parse()
                .map_err(|e| format!("{path}, line 1: {v:?}: {e}").into())
        })
        .collect()
}

/// The network for `variant`: Dense → [BatchNorm1d] → ReLU → [Dropout], twice, then Dense.
fn network(
    variant: Variant,
    params: &mut Parameters<f32>,
    rng: &mut StdRng,
) -> (Sequential<f32>, Dense, Option<[nn::ParamId; 4]>) {
    let norm = matches!(variant, Variant::BatchNorm | Variant::Both);
    let drop = matches!(variant, Variant::Dropout | Variant::Both);
    let first = Dense::new(params, "fc1", 64, HIDDEN, rng);
    let mut model = Sequential::new().then(first);
    let mut first_norm = None;
    for layer in 1..=2 {
        if layer == 2 {
            model = model.then(Dense::new(params, "fc2", HIDDEN, HIDDEN, rng));
        }
        if norm {
            let bn = BatchNorm1d::new(params, &format!("bn{layer}"), HIDDEN);
            first_norm.get_or_insert(bn.ids());
            model = model.then(bn);
        }
        model = model.then(Activation::Relu);
        if drop {
            // each layer its own seed: two layers with one seed would drop the same units
            model = model.then(Dropout::new(0.5, 100 + layer as u64));
        }
    }
    let model = model.then(Dense::new(params, "out", HIDDEN, 10, rng));
    (model, first, first_norm)
}

fn train_variant(
    variant: Variant,
    train: &Dataset<Tensor<f32>, Indices>,
    test: &Dataset<Tensor<f32>, Indices>,
    epochs: usize,
) -> Result<Run> {
    // one seed for all four: the same initial weights and the same batches
    let mut rng = StdRng::seed_from_u64(7);
    let mut params = Parameters::new();
    let (model, first_dense, first_norm) = network(variant, &mut params, &mut rng);
    let mut adam = Adam::new(1e-3);
    let mut tape = Tape::new();
    let (mut train_curve, mut test_curve) = (Vec::new(), Vec::new());
    for _ in 0..epochs {
        Trainer::new(&model, &CrossEntropy, &mut adam)
            .epochs(1)
            .batch_size(32)
            .fit(&mut params, train, &mut rng)?;
        let (loss, acc) = evaluate(&model, &params, &CrossEntropy, train, &mut tape)?;
        train_curve.push((loss, acc.unwrap_or(0.0)));
        let (loss, acc) = evaluate(&model, &params, &CrossEntropy, test, &mut tape)?;
        test_curve.push((loss, acc.unwrap_or(0.0)));
    }
    Ok(Run {
        variant,
        model,
        params,
        first_norm,
        first_dense,
        train: train_curve,
        held_out: test_curve,
    })
}

// ---------------------------------------------------------------------------------------
// Pictures

fn curves(runs: &[Run], epochs: usize) -> Figure {
    let mut figure = Figure::new(
        "training (blue) and held-out (orange) accuracy, per epoch, in evaluation mode",
        2,
    )
    .panel_size(420, 300);
    let x = 1.0..epochs as f64;
    for r in runs {
        let line = |curve: &[(f64, f64)]| -> Vec<(f64, f64)> {
            curve
                .iter()
                .enumerate()
                .map(|(e, p)| ((e + 1) as f64, 100.0 * p.1))
                .collect()
        };
        figure = figure.panel(
            Chart::new(r.variant.name(), x.clone(), 50.0..100.5)
                .labels("epoch", "accuracy (%)")
                .legend(Legend::LowerRight)
                .line("training", line(&r.train), 0)
                .line("held out", line(&r.held_out), 1),
        );
    }
    figure
}

fn held_out_losses(runs: &[Run], epochs: usize) -> Chart {
    let top = runs
        .iter()
        .flat_map(|r| r.held_out.iter().map(|p| p.0))
        .fold(0.0, f64::max)
        .min(3.0);
    let mut chart = Chart::new(
        "held-out loss per epoch: the plain network's climbs back",
        1.0..epochs as f64,
        0.0..top * 1.05,
    )
    .labels("epoch", "held-out cross-entropy")
    .legend(Legend::UpperRight)
    .size(640, 400);
    for (color, r) in runs.iter().enumerate() {
        let points: Vec<(f64, f64)> = r
            .held_out
            .iter()
            .enumerate()
            .map(|(e, p)| ((e + 1) as f64, p.0.min(top)))
            .collect();
        chart = chart.line(r.variant.name(), points, color);
    }
    chart
}

// ---------------------------------------------------------------------------------------
// Training mode against evaluation mode

fn dropout_modes(nb: &Notebook, r: &Run, test: &Dataset<Tensor<f32>, Indices>) -> Result<()> {
    nb.section("Dropout: random in training, the identity in evaluation");
    let tape = Tape::new();
    let x = test.inputs();
    let pass = |mode: Mode| {
        let p = r.params.record_for(&tape, mode);
        r.model.forward(&p, tape.constant_tensor(x.clone())).value()
    };
    let (eval_a, eval_b) = (pass(Mode::Eval), pass(Mode::Eval));
    let (train_a, train_b) = (pass(Mode::Train), pass(Mode::Train));
    nb.claim(
        eval_a.to_vec() == eval_b.to_vec(),
        "two evaluation passes over the held-out digits give the same outputs",
    );
    nb.claim(
        train_a.to_vec() != train_b.to_vec(),
        "two training passes do not: each silences other units",
    );
    // accuracy of single training-mode passes against the evaluation pass
    let labels = test.targets().as_slice();
    let accuracy_of = |logits: &Tensor<f32>| nn::data::accuracy(&classes_of(logits), labels);
    let passes = nb.choose(5, 20);
    let train_mode: Vec<f64> = (0..passes)
        .map(|_| accuracy_of(&pass(Mode::Train)))
        .collect();
    let mean = train_mode.iter().sum::<f64>() / passes as f64;
    let eval = accuracy_of(&eval_a);
    nb.say(format!(
        "Held-out accuracy of one training-mode pass (half the hidden units silenced, the rest \
         doubled): {:.1} % on average over {passes} passes; of the evaluation pass, which uses \
         every unit unscaled (inverted dropout scaled during training instead): {:.1} %.",
        100.0 * mean,
        100.0 * eval
    ));
    nb.claim(
        eval >= mean,
        "the evaluation pass is at least as accurate as a training-mode pass, on average",
    );
    Ok(())
}

fn batch_norm_modes(
    nb: &Notebook,
    r: &Run,
    train: &Dataset<Tensor<f32>, Indices>,
    test: &Dataset<Tensor<f32>, Indices>,
) -> Result<()> {
    nb.section("Batch norm: the batch's statistics in training, running ones in evaluation");
    let tape = Tape::new();
    let x = test.inputs();
    // digit 0 in two different batches: with itself and the next 31, and with the 31 after
    let batch_a = x.try_narrow(0, 0, 32)?;
    let others = x.try_narrow(0, 32, 31)?;
    let batch_b = Tensor::try_concat(&[x.try_narrow(0, 0, 1)?, others], 0)?;
    let first_output = |batch: &Tensor<f32>, mode: Mode| -> Vec<f32> {
        let p = r.params.record_for(&tape, mode);
        let y = r
            .model
            .forward(&p, tape.constant_tensor(batch.clone()))
            .value();
        y.as_slice()[..10].to_vec()
    };
    let gap = |a: &[f32], b: &[f32]| {
        a.iter()
            .zip(b)
            .map(|(p, q)| f64::from((p - q).abs()))
            .fold(0.0, f64::max)
    };
    let train_gap = gap(
        &first_output(&batch_a, Mode::Train),
        &first_output(&batch_b, Mode::Train),
    );
    let eval_gap = gap(
        &first_output(&batch_a, Mode::Eval),
        &first_output(&batch_b, Mode::Eval),
    );
    nb.say(format!(
        "One held-out digit in two different batches of 32: in training mode its ten outputs \
         move by up to {train_gap:.3} (they depend on its batch-mates through the batch's mean \
         and variance); in evaluation mode by {eval_gap:.1e}."
    ));
    nb.claim(
        train_gap > 1e-3,
        "in training mode a digit's output depends on the rest of its batch",
    );
    nb.claim(
        eval_gap == 0.0,
        "in evaluation mode it does not: the running statistics are fixed numbers",
    );
    // the running mean against the first layer's actual mean pre-activation over the data
    let Some([_, _, running_mean, running_var]) = r.first_norm else {
        return Err("the batch-norm network has a batch norm".into());
    };
    let p = r.params.record_for(&tape, Mode::Eval);
    let z = r
        .first_dense
        .forward(&p, tape.constant_tensor(train.inputs().clone()))
        .value(); // [500, HIDDEN]
    let n = z.dims()[0] as f64;
    let (means, vars) = (r.params.get(running_mean), r.params.get(running_var));
    let (mut worst_mean, mut var_ratios) = (0.0f64, (f64::INFINITY, 0.0f64));
    for unit in 0..HIDDEN {
        let column: Vec<f64> = (0..z.dims()[0])
            .map(|i| f64::from(z.as_slice()[i * HIDDEN + unit]))
            .collect();
        let mean = column.iter().sum::<f64>() / n;
        let var = column.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0);
        // the gap in units of the unit's own spread, and the variances' ratio
        let std = var.sqrt().max(1e-6);
        worst_mean = worst_mean.max((f64::from(means.as_slice()[unit]) - mean).abs() / std);
        let ratio = f64::from(vars.as_slice()[unit]) / var.max(1e-12);
        var_ratios = (var_ratios.0.min(ratio), var_ratios.1.max(ratio));
    }
    nb.say(format!(
        "The running statistics the first batch norm kept (exponential averages over the \
         training batches, momentum 0.1) against its input's mean and variance over all {} \
         training digits with the final weights: the means at most {worst_mean:.3} standard \
         deviations apart, the variances' ratio between {:.2} and {:.2}, over its {HIDDEN} units.",
        train.len(),
        var_ratios.0,
        var_ratios.1
    ));
    nb.claim(
        worst_mean < 0.5 && var_ratios.0 > 0.5 && var_ratios.1 < 2.0,
        "the running statistics are close to the training data's: evaluation normalises as \
         training did",
    );
    Ok(())
}
