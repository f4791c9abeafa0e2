//! The README's first `nn` example, line for line (but the file paths): read a CSV file,
//! train, save, load, predict. If this test changes, change the README with it.

use std::ops::ControlFlow;

use nn::data::{Header, LabelColumn, accuracy, classes_of, read_labelled_csv};
use nn::{
    Activation, Mlp, Module, Parameters,
    optim::Adam,
    train::{CrossEntropy, Trainer},
};
use rand::{SeedableRng, rngs::StdRng};

#[test]
fn the_readme_trains_saves_loads_and_predicts() -> Result<(), Box<dyn std::error::Error>> {
    let csv = concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/digits.csv.gz");
    let saved = std::env::temp_dir().join(format!("nn-readme-{}.safetensors", std::process::id()));

    let mut rng = StdRng::seed_from_u64(0);
    let digits = read_labelled_csv::<f32>(csv, Header::Absent, LabelColumn::Last)?;
    let data = digits.data.map_inputs(|x| x / 16.0)?; // pixels 0..16 to [0, 1]
    let (train, test) = data.train_test_split(0.8, &mut rng)?; // 80 % to train
    let mut params = Parameters::<f32>::new(); // named, outside the tape
    let model = Mlp::new(
        &mut params,
        "mlp",
        &[64, 32, 10],
        Activation::Relu,
        &mut rng,
    );
    let mut adam = Adam::new(1e-2);
    let mut epochs = 0;
    let history = Trainer::new(&model, &CrossEntropy, &mut adam)
        .epochs(30)
        .batch_size(32)
        .validation(&test) // early stopping; ends with the best epoch's weights
        .on_epoch(|_stats| {
            epochs += 1; // the README prints `stats` here
            ControlFlow::Continue(())
        })
        .fit(&mut params, &train, &mut rng)?;
    nn::weights::save(&params, &saved)?; // opens in PyTorch too

    let mut loaded = Parameters::<f32>::new(); // later, elsewhere:
    let model = Mlp::new(
        &mut loaded,
        "mlp",
        &[64, 32, 10],
        Activation::Relu,
        &mut rng,
    );
    nn::weights::load(&mut loaded, &saved)?; // strict: names and shapes
    let logits = model.predict(&loaded, test.inputs()); // inference: no tape in sight

    let held_out = accuracy(&classes_of(&logits), test.targets().as_slice());
    let best = history
        .iter()
        .filter_map(|s| s.validation_accuracy)
        .fold(0.0, f64::max);
    assert_eq!(epochs, history.len());
    assert!(held_out > 0.93, "held-out accuracy {held_out}");
    assert!(
        held_out >= best - 0.05,
        "{held_out} vs the best epoch's {best}"
    );
    std::fs::remove_file(&saved).unwrap();
    Ok(())
}
