//! Reading the fixtures PyTorch wrote (`tests/fixtures/*.safetensors`) and comparing with
//! them, for the tests that check layers and ops against PyTorch.

#![allow(dead_code)] // (each test file uses a part)

use autograd::Tensor;
use safetensors::{Dtype, SafeTensors};

/// The bytes of fixture `file`.
pub fn fixture(file: &str) -> Vec<u8> {
    let path = format!("{}/tests/fixtures/{file}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(path).expect("the committed fixture")
}

/// Tensor `name` of the file, float64, as a `Tensor<f64>`.
pub fn floats(file: &SafeTensors<'_>, name: &str) -> Tensor<f64> {
    let view = file.tensor(name).expect(name);
    assert_eq!(view.dtype(), Dtype::F64, "{name}");
    let values = view
        .data()
        .chunks_exact(8)
        .map(|b| f64::from_le_bytes(b.try_into().unwrap()))
        .collect();
    Tensor::from_vec(values, view.shape().to_vec()).unwrap()
}

/// Tensor `name` of the file, int64, as numbers.
pub fn integers(file: &SafeTensors<'_>, name: &str) -> Vec<usize> {
    let view = file.tensor(name).expect(name);
    assert_eq!(view.dtype(), Dtype::I64, "{name}");
    view.data()
        .chunks_exact(8)
        .map(|b| i64::from_le_bytes(b.try_into().unwrap()) as usize)
        .collect()
}

/// Equal shapes and every element within `1e-12 · (1 + |torch's|)`.
pub fn assert_close(ours: &Tensor<f64>, theirs: &Tensor<f64>, what: &str) {
    assert_eq!(ours.dims(), theirs.dims(), "{what}: shape");
    for (i, (a, b)) in ours.to_vec().iter().zip(theirs.to_vec()).enumerate() {
        assert!(
            (a - b).abs() <= 1e-12 * (1.0 + b.abs()),
            "{what}[{i}]: ours {a}, torch {b}"
        );
    }
}
