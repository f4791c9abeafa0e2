//! Weights in the safetensors format: a file written by PyTorch loads, save-then-load is bit
//! identical, and a file that does not fit is an error naming what does not.

use autograd::{Tape, Tensor};
use nn::{Activation, Dense, Mlp, Module, Parameters, weights};
use proptest::prelude::*;
use rand::{SeedableRng, rngs::StdRng};

#[test]
fn a_file_written_by_pytorch_loads_into_a_dense_layer() {
    let mut params = Parameters::<f32>::new();
    let layer = Dense::new(&mut params, "fc", 3, 2, &mut StdRng::seed_from_u64(0));
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/pytorch_weights.safetensors"
    );
    weights::load(&mut params, path).unwrap();
    assert_eq!(
        params.get(layer.weight()).to_vec(),
        vec![0.5, -1.0, 2.0, 0.25, 0.0, -0.75]
    );
    assert_eq!(params.get(layer.bias()).to_vec(), vec![0.1, -0.2]);
    // and into f64 parameters too
    let mut wide = Parameters::<f64>::new();
    Dense::new(&mut wide, "fc", 3, 2, &mut StdRng::seed_from_u64(0));
    weights::load(&mut wide, path).unwrap();
    assert_eq!(
        wide.tensors()[1].to_vec(),
        vec![f64::from(0.1f32), f64::from(-0.2f32)]
    );
}

#[test]
fn a_sequential_file_loads_into_our_mlp_through_a_name_map_and_predicts_its_outputs() {
    let fixture = |file: &str| format!("{}/tests/fixtures/{file}", env!("CARGO_MANIFEST_DIR"));
    // the file names PyTorch's nn.Sequential(Linear(3, 4), ReLU(), Linear(4, 2)) gives
    let mut params = Parameters::<f64>::new();
    let model = Mlp::new(
        &mut params,
        "mlp",
        &[3, 4, 2],
        Activation::Relu,
        &mut StdRng::seed_from_u64(0),
    );
    let strict = weights::load(&mut params, fixture("sequential_mlp.safetensors")).unwrap_err();
    assert!(
        strict
            .to_string()
            .contains("no tensor named \"mlp.0.weight\""),
        "{strict}"
    );
    weights::load_mapped(
        &mut params,
        fixture("sequential_mlp.safetensors"),
        weights::sequential_names("mlp", 2),
    )
    .unwrap();
    // the input batch and the outputs the reference computed for it
    let mut io = Parameters::<f64>::new();
    io.add("input", Tensor::zeros([5, 3]));
    io.add("output", Tensor::zeros([5, 2]));
    weights::load(&mut io, fixture("sequential_mlp_io.safetensors")).unwrap();
    let predicted = model.predict(&params, &io.tensors()[0]);
    for (ours, theirs) in predicted.as_slice().iter().zip(io.tensors()[1].as_slice()) {
        assert!((ours - theirs).abs() < 1e-12, "{ours} vs {theirs}");
    }
    // a map that misses a tensor names both the file's name and ours
    let err = weights::load_mapped(&mut params, fixture("sequential_mlp.safetensors"), |n| {
        n.replace("mlp.", "net.")
    })
    .unwrap_err();
    assert!(
        err.to_string().contains("(for parameter \"mlp.0.weight\")"),
        "{err}"
    );
}

#[test]
fn save_then_load_gives_bit_identical_parameters_and_outputs() {
    let mut params = Parameters::<f64>::new();
    let model = Mlp::new(
        &mut params,
        "mlp",
        &[4, 8, 3],
        Activation::Gelu,
        &mut StdRng::seed_from_u64(1),
    );
    let path = std::env::temp_dir().join(format!("nn-weights-{}.safetensors", std::process::id()));
    weights::save(&params, &path).unwrap();
    // the same architecture on a store of its own: ids of `model` are not valid there, so the
    // copy runs with the model built on it
    let mut restored = Parameters::<f64>::new();
    let copy = Mlp::new(
        &mut restored,
        "mlp",
        &[4, 8, 3],
        Activation::Gelu,
        &mut StdRng::seed_from_u64(99),
    );
    weights::load(&mut restored, &path).unwrap();
    std::fs::remove_file(&path).unwrap();
    for (a, b) in params.tensors().iter().zip(restored.tensors()) {
        let bits = |t: &Tensor<f64>| t.as_slice().iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        assert_eq!(bits(a), bits(b));
    }
    let x = Tensor::<f64>::rand_uniform([5, 4], -1.0, 1.0, &mut StdRng::seed_from_u64(2));
    let tape = Tape::new();
    let y1 = model
        .forward(&params.record(&tape), tape.constant_tensor(x.clone()))
        .value();
    let y2 = copy
        .forward(&restored.record(&tape), tape.constant_tensor(x))
        .value();
    assert_eq!(y1, y2);
}

#[test]
fn missing_extra_and_misshaped_tensors_are_named_and_change_nothing() {
    let mut source = Parameters::<f32>::new();
    source.add("a", Tensor::ones([2]));
    source.add("b", Tensor::ones([3]));
    let bytes = weights::to_bytes(&source).unwrap();

    let mut missing = Parameters::<f32>::new();
    missing.add("a", Tensor::zeros([2]));
    missing.add("c", Tensor::zeros([1]));
    let err = weights::load_bytes(&mut missing, &bytes, "m.safetensors").unwrap_err();
    assert!(
        err.to_string()
            .starts_with("m.safetensors: no tensor named \"c\""),
        "{err}"
    );
    assert_eq!(missing.tensors()[0].to_vec(), vec![0.0, 0.0]); // nothing was changed

    let mut extra = Parameters::<f32>::new();
    extra.add("a", Tensor::zeros([2]));
    let err = weights::load_bytes(&mut extra, &bytes, "m.safetensors").unwrap_err();
    assert_eq!(
        err.to_string(),
        "m.safetensors: tensor \"b\" matches no parameter"
    );

    let mut misshaped = Parameters::<f32>::new();
    misshaped.add("a", Tensor::zeros([2]));
    misshaped.add("b", Tensor::zeros([4]));
    let err = weights::load_bytes(&mut misshaped, &bytes, "m.safetensors").unwrap_err();
    assert_eq!(
        err.to_string(),
        "m.safetensors: tensor \"b\" has shape [3], the parameter [4]"
    );
}

proptest! {
    #[test]
    fn corrupt_bytes_are_errors_not_panics(bytes in prop::collection::vec(any::<u8>(), 0..300), cut in 0usize..64) {
        let mut params = Parameters::<f32>::new();
        params.add("w", Tensor::zeros([2]));
        let _ = weights::load_bytes(&mut params, &bytes, "random");
        let valid = weights::to_bytes(&params).unwrap();
        let truncated = &valid[..valid.len().saturating_sub(cut + 1)];
        prop_assert!(weights::load_bytes(&mut params, truncated, "t").is_err());
    }
}
