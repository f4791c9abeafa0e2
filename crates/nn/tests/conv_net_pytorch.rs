//! A small conv net against PyTorch end to end: `Conv2d → ReLU → MaxPool2d → Conv2d →
//! BatchNorm2d → ReLU → Flatten → Dense` with PyTorch's weights, its mean cross-entropy on a
//! batch in training mode and the gradient of every parameter and of the input, computed by
//! torch in float64 (`fixtures/conv_net.safetensors`, written by `make_conv_net_fixture.py`
//! beside it).

mod common;

use autograd::{ConvOptions, Tape};
use common::{assert_close, fixture, floats, integers};
use nn::{
    Activation, BatchNorm2d, Conv2d, Dense, Flatten, MaxPool2d, Module, Parameters, Sequential,
    losses,
};
use rand::{SeedableRng, rngs::StdRng};
use safetensors::SafeTensors;

#[test]
fn a_conv_nets_loss_and_gradients_equal_pytorchs() {
    let bytes = fixture("conv_net.safetensors");
    let file = SafeTensors::deserialize(&bytes).unwrap();
    let mut params = Parameters::<f64>::new();
    let mut rng = StdRng::seed_from_u64(0);
    let model = Sequential::new()
        .then(Conv2d::new(
            &mut params,
            "conv1",
            1,
            4,
            [3, 3],
            ConvOptions::default().padding([1, 1]),
            &mut rng,
        ))
        .then(Activation::Relu)
        .then(MaxPool2d::new([2, 2]))
        .then(Conv2d::new(
            &mut params,
            "conv2",
            4,
            6,
            [3, 3],
            ConvOptions::default(),
            &mut rng,
        ))
        .then(BatchNorm2d::new(&mut params, "bn", 6))
        .then(Activation::Relu)
        .then(Flatten)
        .then(Dense::new(&mut params, "fc", 24, 3, &mut rng));
    // our names against the indices of PyTorch's nn.Sequential (buffers are not trained and
    // not in the file: batch statistics are used in training mode)
    let torch_name = |ours: &str| {
        let (layer, what) = ours.split_once('.').unwrap();
        let index = match layer {
            "conv1" => 0,
            "conv2" => 3,
            "bn" => 4,
            "fc" => 7,
            _ => unreachable!("{ours}"),
        };
        format!("{index}.{what}")
    };
    let trained: Vec<(usize, String)> = params
        .names()
        .iter()
        .enumerate()
        .filter(|&(i, _)| params.trainable()[i])
        .map(|(i, name)| (i, torch_name(name)))
        .collect();
    assert_eq!(
        trained.len(),
        8,
        "four layers with a weight and a bias each"
    );
    for (i, name) in &trained {
        params.tensors_mut()[*i] = floats(&file, name);
    }

    let tape = Tape::new();
    let p = params.record(&tape);
    let x = tape.tensor(floats(&file, "input"));
    let labels = integers(&file, "labels");
    let loss = losses::empirical_risk(losses::cross_entropy(model.forward(&p, x), &labels));
    assert_close(
        &loss.value().try_reshape([1]).unwrap(),
        &floats(&file, "loss"),
        "the mean cross-entropy",
    );
    let grads = loss.backward();
    assert_close(
        &grads.wrt(x),
        &floats(&file, "input.grad"),
        "the input's gradient",
    );
    for (i, name) in &trained {
        assert_close(
            &grads.wrt(p.all()[*i]),
            &floats(&file, &format!("{name}.grad")),
            &format!("{}'s gradient ({name} in PyTorch)", params.names()[*i]),
        );
    }
}
