//! # 15 · A convolutional network on the digits
//!
//! The lecture's next structure after the MLP: a layer whose units look only at a small
//! window of the image and share their weights across all its positions (a convolution), and
//! a layer that keeps the strongest response in each neighbourhood (pooling). The example
//! builds `Conv2d → ReLU → MaxPool2d → Conv2d → ReLU → MaxPool2d → Flatten → Dense` from nn's
//! layers, checks that a convolution is a matrix product with the image's unfolded windows
//! (and that its gradient is the "transposed convolution" nobody wrote), trains it on the
//! 1,797 UCI digits over the five stratified 75/25 splits of `data/digits_splits.txt`
//! (scikit-learn's, `random_state` 0 to 4), and draws the first layer's filters and what
//! they see in one digit.
//!
//! Given a folder of MNIST's four IDX files (`train-images-idx3-ubyte`, ... as example 10
//! reads them, plain or `.gz`) it trains a LeNet-5-style network on the 60,000 training
//! images instead and prints its accuracy on the 10,000 test images (not asserted: CI has no
//! MNIST).
//!
//! Run: `cargo run --release --example 15_conv_digits` (`-- --quick` for the CI run: one
//! split, fewer epochs; `-- path/to/mnist` for MNIST). The chapter:
//! `docs/course/15-conv-digits.md`.

use std::error::Error;
use std::path::Path;

use autograd::{ConvOptions, Tape, Tensor, Window2d};
use nn::data::{
    Dataset, Header, Indices, LabelColumn, accuracy, classes_of, read_idx_classification,
    read_labelled_csv,
};
use nn::optim::{Adam, Schedule};
use nn::train::{CrossEntropy, Trainer};
use nn::{Activation, Conv2d, Dense, Flatten, MaxPool2d, Module, Parameters, Sequential, Summary};
use notebook::{ImageGrid, Notebook};
use rand::{SeedableRng, rngs::StdRng};

type Result<T> = std::result::Result<T, Box<dyn Error>>;

/// The held-out accuracy of an RBF support-vector machine (C and gamma searched by 5-fold
/// cross-validation) on the same five splits, measured by `data/make_digits_splits.py`
/// (scikit-learn 1.9.1): the best classical model, the one to beat.
const SVM_MEAN: f64 = 0.9902;

fn main() {
    let nb = Notebook::start(
        "15_conv_digits",
        "15 · A convolutional network on the digits",
    );
    if let Err(err) = run(&nb) {
        eprintln!("15_conv_digits: {err}");
        std::process::exit(1);
    }
    nb.finish();
}

fn run(nb: &Notebook) -> Result<()> {
    match nb.args() {
        [] => {}
        [folder] => return lenet_on_mnist(nb, Path::new(folder)),
        _ => return Err("expected at most one argument: a folder of MNIST IDX files".into()),
    }
    let root = env!("CARGO_MANIFEST_DIR");
    let digits = read_labelled_csv::<f32>(
        format!("{root}/data/digits.csv.gz"),
        Header::Absent,
        LabelColumn::Last,
    )?;
    // pixels 0..16 to [0, 1], each row of 64 an image of one channel, [N, 1, 8, 8]
    let data = digits.data.map_inputs(|x| {
        let n = x.dims()[0];
        (x / 16.0)
            .try_reshape([n, 1, 8, 8])
            .expect("64 pixels a row")
    })?;
    let splits = read_splits(&format!("{root}/data/digits_splits.txt"), data.len())?;

    convolution_is_a_product(nb)?;
    let accuracies = train_on_splits(nb, &data, &splits)?;
    let mean = accuracies.iter().sum::<f64>() / accuracies.len() as f64;
    nb.section("Against the classical models");
    nb.say(format!(
        "Held-out accuracy per split: {}; mean {:.2} %.",
        accuracies
            .iter()
            .map(|a| format!("{:.2} %", 100.0 * a))
            .collect::<Vec<_>>()
            .join(", "),
        100.0 * mean
    ));
    if nb.quick() {
        nb.claim(
            mean >= 0.96,
            "quick mode (one split, 3 epochs): at least 96 % held out",
        );
    } else {
        nb.say(format!(
            "An RBF support-vector machine with searched C and gamma reaches {:.2} % on the \
             same splits; a plain MLP about 97.5 %.",
            100.0 * SVM_MEAN
        ));
        nb.claim(
            mean >= 0.99,
            "the mean held-out accuracy over the five splits is at least 99 %",
        );
        nb.claim(
            mean > SVM_MEAN,
            "and beats the searched RBF support-vector machine",
        );
    }
    Ok(())
}

/// The held-out rows of each split, one line each.
fn read_splits(path: &str, rows: usize) -> Result<Vec<Vec<usize>>> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
    let mut splits = Vec::new();
    for (number, line) in text.lines().enumerate() {
        let held_out: Vec<usize> = line
            .split_whitespace()
            .map(|v| {
                v.parse()
                    .map_err(|e| format!("{path}, line {}: {v:?}: {e}", number + 1))
            })
            .collect::<std::result::Result<_, _>>()?;
        if held_out.iter().any(|&i| i >= rows) {
            return Err(format!("{path}, line {}: a row past {rows}", number + 1).into());
        }
        splits.push(held_out);
    }
    Ok(splits)
}

// ---------------------------------------------------------------------------------------
// What a convolution is

fn convolution_is_a_product(nb: &Notebook) -> Result<()> {
    nb.section("A convolution is a matrix product with the image's windows");
    nb.say(
        "A convolutional unit computes z = b + Σ w·x over a small window of the image, and the \
         same weights are used at every position. Written out, that is one matrix product: \
         `unfold` lays each window of the image out as a column (im2col), and the weight, one \
         row per output channel, multiplies all the columns at once.",
    );
    let tape = Tape::new();
    let mut rng = StdRng::seed_from_u64(1);
    let x = tape.tensor(Tensor::<f64>::rand_uniform(
        [1, 1, 5, 5],
        -1.0,
        1.0,
        &mut rng,
    ));
    let w = tape.tensor(Tensor::<f64>::rand_uniform(
        [2, 1, 3, 3],
        -1.0,
        1.0,
        &mut rng,
    ));
    let conv = x.conv2d(w, None, ConvOptions::default());
    let columns = x.unfold(Window2d::new([3, 3])); // [1, 9, 9]: 9 windows of 9 pixels
    let product = w.reshape([2, 9]).matmul(columns).reshape([1, 2, 3, 3]);
    let gap = max_gap(&conv.value(), &product.value());
    nb.say(format!(
        "A 5 × 5 image and two 3 × 3 filters: the unfolded image is {:?} (9 windows of 9 \
         pixels); the weight as a 2 × 9 matrix times it gives the 2 × 3 × 3 output, the same \
         as conv2d to {gap:.1e}.",
        columns.dims()
    ));
    nb.claim(
        gap == 0.0,
        "conv2d equals the weight times the unfolded image, exactly",
    );
    // The gradient with respect to the image: each pixel collects w from every window it is in
    // (fold, the adjoint of unfold): a "transposed convolution", here never written as one.
    let g = conv.sum().backward().wrt(x);
    let wv = w.value();
    let by_hand = Tensor::<f64>::from_fn([1, 1, 5, 5], |i| {
        let (r, c) = (i[2], i[3]);
        let mut sum = 0.0;
        for o in 0..2 {
            for ki in 0..3 {
                for kj in 0..3 {
                    // the window at (r − ki, c − kj) covers this pixel with weight (ki, kj)
                    if r >= ki && c >= kj && r - ki < 3 && c - kj < 3 {
                        sum += wv.at(&[o, 0, ki, kj]);
                    }
                }
            }
        }
        sum
    });
    let gap = max_gap(&g, &by_hand);
    nb.say(format!(
        "The gradient of Σ conv(x) with respect to the image: each pixel receives the weight \
         of every window position that covers it, the sum the tape computes through unfold's \
         rule (fold: windows added back into place); against the hand sum: {gap:.1e}."
    ));
    nb.claim(
        gap < 1e-12,
        "the image's gradient is the sum of the weights over the windows covering each pixel",
    );
    Ok(())
}

fn max_gap(a: &Tensor<f64>, b: &Tensor<f64>) -> f64 {
    a.as_slice()
        .iter()
        .zip(b.as_slice())
        .map(|(x, y)| (x - y).abs())
        .fold(0.0, f64::max)
}

// ---------------------------------------------------------------------------------------
// Training on the five splits

/// The network: two convolution blocks (32 and 64 filters of 3 × 3, zero padding keeps the
/// size, 2 × 2 max pooling halves it), then one dense layer on the 64 · 2 · 2 features.
fn network(params: &mut Parameters<f32>, rng: &mut StdRng) -> Sequential<f32> {
    let same = ConvOptions::default().padding([1, 1]);
    Sequential::new()
        .then(Conv2d::new(params, "conv1", 1, 32, [3, 3], same, rng)) // [N, 32, 8, 8]
        .then(Activation::Relu)
        .then(MaxPool2d::new([2, 2])) // [N, 32, 4, 4]
        .then(Conv2d::new(params, "conv2", 32, 64, [3, 3], same, rng)) // [N, 64, 4, 4]
        .then(Activation::Relu)
        .then(MaxPool2d::new([2, 2])) // [N, 64, 2, 2]
        .then(Flatten)
        .then(Dense::new(params, "fc", 256, 10, rng))
}

fn train_on_splits(
    nb: &Notebook,
    data: &Dataset<Tensor<f32>, Indices>,
    splits: &[Vec<usize>],
) -> Result<Vec<f64>> {
    nb.section("Training on the five stratified splits");
    let epochs = nb.choose(3, 15);
    let used = nb.choose(1, splits.len());
    let mut accuracies = Vec::new();
    for (seed, held_out) in splits.iter().take(used).enumerate() {
        let mut is_test = vec![false; data.len()];
        for &i in held_out {
            is_test[i] = true;
        }
        let train_rows: Vec<usize> = (0..data.len()).filter(|&i| !is_test[i]).collect();
        let (train, test) = (
            with_shifted_copies(&data.select(&train_rows)?)?,
            data.select(held_out)?,
        );
        let mut rng = StdRng::seed_from_u64(seed as u64);
        let mut params = Parameters::<f32>::new();
        let model = network(&mut params, &mut rng);
        if seed == 0 {
            let summary = model.summary(&params, &Tensor::zeros([1, 1, 8, 8]));
            nb.say(format!(
                "The network ({} trained numbers):\n{summary}",
                summary.total_params
            ));
        }
        // the step size falls in a straight line to 1/30 of its start over the run
        let steps = epochs * train.len().div_ceil(32);
        let mut adam = Adam::new(3e-3).with_schedule(Schedule::Linear {
            initial: 3e-3,
            last: 1e-4,
            steps,
        });
        Trainer::new(&model, &CrossEntropy, &mut adam)
            .epochs(epochs)
            .batch_size(32)
            .fit(&mut params, &train, &mut rng)?;
        let logits = model.predict(&params, test.inputs());
        let held = accuracy(&classes_of(&logits), test.targets().as_slice());
        nb.say(format!(
            "split {seed}: {} training images ({} digits and their copies shifted by one pixel \
             left, right, up and down), {} held-out digits, {epochs} epochs of Adam: {:.2} % \
             held out",
            train.len(),
            train.len() / 5,
            test.len(),
            100.0 * held
        ));
        if seed == 0 {
            draw_filters(nb, &params, &test)?;
        }
        accuracies.push(held);
    }
    Ok(accuracies)
}

/// The images and copies of them shifted by one pixel left, right, up and down (zeros
/// shifted in), with their labels: five times the data, and a network that has seen a digit
/// in five places.
fn with_shifted_copies(
    data: &Dataset<Tensor<f32>, Indices>,
) -> Result<Dataset<Tensor<f32>, Indices>> {
    let (n, side) = (data.len(), 8);
    let source = data.inputs().as_slice();
    let mut pixels = source.to_vec();
    for (dx, dy) in [(1isize, 0isize), (-1, 0), (0, 1), (0, -1)] {
        for image in source.chunks(side * side) {
            for r in 0..side as isize {
                for c in 0..side as isize {
                    let (from_r, from_c) = (r - dy, c - dx);
                    let inside = (0..side as isize).contains(&from_r)
                        && (0..side as isize).contains(&from_c);
                    pixels.push(if inside {
                        image[from_r as usize * side + from_c as usize]
                    } else {
                        0.0
                    });
                }
            }
        }
    }
    let labels = Indices::labels(data.targets().as_slice().repeat(5), 10)?;
    Ok(Dataset::new(
        Tensor::from_vec(pixels, [5 * n, 1, side, side])?,
        labels,
    )?)
}

// ---------------------------------------------------------------------------------------
// Pictures: the filters and what they see

fn draw_filters(
    nb: &Notebook,
    params: &Parameters<f32>,
    test: &Dataset<Tensor<f32>, Indices>,
) -> Result<()> {
    // the store's first two entries are conv1's weight [32, 1, 3, 3] and bias [32]
    let weight = &params.tensors()[0];
    let mut grid = ImageGrid::new("the first layer's 32 filters (3 × 3)", 8).cell_size(48);
    for f in 0..32 {
        let pixels: Vec<f64> = (0..9)
            .map(|k| f64::from(weight.as_slice()[f * 9 + k]))
            .collect();
        grid = grid.image(&pixels, 3, &format!("{f}"));
    }
    nb.say(
        "The first layer's filters after training (the largest magnitude black): small edge \
         and stroke detectors, each applied at every position of the image.",
    );
    nb.save(&grid, "filters.svg")?;

    // one held-out digit through the first convolution and ReLU, then the pooling
    let digit = test.inputs().try_narrow(0, 0, 1)?;
    let tape = Tape::new();
    let p = params.record(&tape);
    let maps = tape
        .constant_tensor(digit.clone())
        .conv2d(
            p.all()[0],
            Some(p.all()[1]),
            ConvOptions::default().padding([1, 1]),
        )
        .relu();
    let pooled = maps.max_pool2d(Window2d::new([2, 2]).stride([2, 2]));
    let mut grid = ImageGrid::new(
        "one digit, and what 8 filters see in it (after ReLU, then pooled)",
        9,
    )
    .cell_size(56);
    let image: Vec<f64> = digit.as_slice().iter().map(|&v| f64::from(v)).collect();
    grid = grid.image(&image, 8, "input");
    for f in 0..8 {
        let map: Vec<f64> = maps.value().as_slice()[f * 64..(f + 1) * 64]
            .iter()
            .map(|&v| f64::from(v))
            .collect();
        grid = grid.image(&map, 8, &format!("filter {f}"));
    }
    grid = grid.image(&image, 8, "input");
    for f in 0..8 {
        let map: Vec<f64> = pooled.value().as_slice()[f * 16..(f + 1) * 16]
            .iter()
            .map(|&v| f64::from(v))
            .collect();
        grid = grid.image(&map, 4, &format!("pooled {f}"));
    }
    nb.say(
        "A held-out digit and the feature maps of eight filters: each map is the filter's \
         response at every position (8 × 8, the padding keeps the size); max pooling keeps \
         the strongest response in each 2 × 2 block (4 × 4), so a stroke moved by a pixel \
         gives nearly the same pooled map.",
    );
    nb.save(&grid, "feature_maps.svg")?;
    Ok(())
}

// ---------------------------------------------------------------------------------------
// MNIST, when its files are given: LeNet-5

/// LeCun et al.'s LeNet-5 shape with ReLU and max pooling: two 5 × 5 convolutions (6 and 16
/// filters) each followed by 2 × 2 pooling, then 120, 84 and 10 units.
fn lenet(params: &mut Parameters<f32>, rng: &mut StdRng) -> Sequential<f32> {
    let pad2 = ConvOptions::default().padding([2, 2]);
    Sequential::new()
        .then(Conv2d::new(params, "conv1", 1, 6, [5, 5], pad2, rng)) // [N, 6, 28, 28]
        .then(Activation::Relu)
        .then(MaxPool2d::new([2, 2])) // [N, 6, 14, 14]
        .then(Conv2d::new(
            params,
            "conv2",
            6,
            16,
            [5, 5],
            ConvOptions::default(),
            rng,
        ))
        .then(Activation::Relu) // [N, 16, 10, 10]
        .then(MaxPool2d::new([2, 2])) // [N, 16, 5, 5]
        .then(Flatten)
        .then(Dense::new(params, "fc1", 400, 120, rng))
        .then(Activation::Relu)
        .then(Dense::new(params, "fc2", 120, 84, rng))
        .then(Activation::Relu)
        .then(Dense::new(params, "fc3", 84, 10, rng))
}

fn lenet_on_mnist(nb: &Notebook, folder: &Path) -> Result<()> {
    nb.section("LeNet-5 on MNIST");
    let train = mnist_part(folder, "train-images-idx3-ubyte", "train-labels-idx1-ubyte")?;
    let test = mnist_part(folder, "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")?;
    if train.inputs().dims()[1..] != test.inputs().dims()[1..] {
        return Err(format!(
            "{}: training images {} but test images {}",
            folder.display(),
            train.inputs().shape(),
            test.inputs().shape()
        )
        .into());
    }
    let mut rng = StdRng::seed_from_u64(5);
    let mut params = Parameters::<f32>::new();
    let model = lenet(&mut params, &mut rng);
    let summary: Summary = model.summary(&params, &test.inputs().try_narrow(0, 0, 1)?);
    nb.say(format!(
        "{} training and {} test images from {}; the network ({} trained numbers):\n{summary}",
        train.len(),
        test.len(),
        folder.display(),
        summary.total_params
    ));
    let epochs = nb.choose(1, 5);
    let started = std::time::Instant::now();
    Trainer::new(&model, &CrossEntropy, &mut Adam::new(1e-3))
        .epochs(epochs)
        .batch_size(64)
        .progress(true)
        .fit(&mut params, &train, &mut rng)?;
    let seconds = started.elapsed().as_secs_f64();
    let logits = model.try_predict_batched(&params, test.inputs(), 1000)?;
    let held = accuracy(&classes_of(&logits), test.targets().as_slice());
    nb.say(format!(
        "{epochs} epochs of Adam (step 1e-3, batches of 64) in {seconds:.0} s: {:.2} % of the \
         test images classified correctly (LeCun et al. report 99.05 % for LeNet-5; not \
         asserted, CI has no MNIST).",
        100.0 * held
    ));
    Ok(())
}

/// One MNIST part from `folder` (as downloaded, `.gz`, or unpacked): its images
/// `[N, 1, rows, cols]` scaled to [0, 1] and their labels.
fn mnist_part(folder: &Path, images: &str, labels: &str) -> Result<Dataset<Tensor<f32>, Indices>> {
    let data = read_idx_classification::<f32>(folder.join(images), folder.join(labels), 10)?;
    Ok(data.map_inputs(|x| {
        let &[n, rows, cols] = x.dims() else {
            unreachable!("read_idx_classification checks images are [N, rows, cols]")
        };
        (x / 255.0)
            .try_reshape([n, 1, rows, cols])
            .expect("the same number of pixels")
    })?)
}
