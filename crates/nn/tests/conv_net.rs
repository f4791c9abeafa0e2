//! A small convolutional network built from nn's layers trains on the 8×8 digits: the
//! convolution, pooling and flatten layers compose with `Sequential`, `Trainer` and `predict`
//! like the dense ones, and the held-out accuracy shows the gradients are right end to end.

use nn::data::{Header, LabelColumn, accuracy, classes_of, read_labelled_csv};
use nn::{
    Activation, Conv2d, Dense, Flatten, MaxPool2d, Module, Parameters, Sequential,
    optim::Adam,
    train::{CrossEntropy, Trainer},
};
use rand::{SeedableRng, rngs::StdRng};

use autograd::ConvOptions;

#[test]
fn a_small_conv_net_learns_the_digits() -> Result<(), Box<dyn std::error::Error>> {
    let csv = concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/digits.csv.gz");
    let mut rng = StdRng::seed_from_u64(0);
    let digits = read_labelled_csv::<f32>(csv, Header::Absent, LabelColumn::Last)?;
    // pixels 0..16 to [0, 1], each row of 64 an image [1, 8, 8]
    let data = digits.data.map_inputs(|x| {
        let n = x.dims()[0];
        (x / 16.0)
            .try_reshape([n, 1, 8, 8])
            .expect("64 pixels a row")
    })?;
    let (train, test) = data.train_test_split(0.75, &mut rng)?;
    let mut params = Parameters::<f32>::new();
    let same = ConvOptions::default().padding([1, 1]);
    let model = Sequential::new()
        .then(Conv2d::new(
            &mut params,
            "conv1",
            1,
            8,
            [3, 3],
            same,
            &mut rng,
        )) // [N, 8, 8, 8]
        .then(Activation::Relu)
        .then(MaxPool2d::new([2, 2])) // [N, 8, 4, 4]
        .then(Conv2d::new(
            &mut params,
            "conv2",
            8,
            16,
            [3, 3],
            same,
            &mut rng,
        ))
        .then(Activation::Relu)
        .then(MaxPool2d::new([2, 2])) // [N, 16, 2, 2]
        .then(Flatten)
        .then(Dense::new(&mut params, "fc", 64, 10, &mut rng));
    let summary = model.summary(&params, &autograd::Tensor::zeros([1, 1, 8, 8]));
    assert_eq!(summary.total_params, 80 + 1168 + 650, "{summary}");

    let mut adam = Adam::new(3e-3);
    Trainer::new(&model, &CrossEntropy, &mut adam)
        .epochs(8)
        .batch_size(32)
        .fit(&mut params, &train, &mut rng)?;
    let logits = model.predict(&params, test.inputs());
    let held_out = accuracy(&classes_of(&logits), test.targets().as_slice());
    eprintln!("conv net on the digits: held-out accuracy {held_out:.4}");
    assert!(held_out > 0.95, "held-out accuracy {held_out}");
    Ok(())
}
