//! Saving and loading parameters in the safetensors format, so that weights open in PyTorch
//! (`safetensors.torch.load_file`) and other tools, and theirs open here.
//!
//! Loading is strict: every parameter must be in the file with its exact shape, and the file
//! may hold nothing else; anything else is an error naming the tensor and the file. `f32` and
//! `f64` tensors load into either element type.

use std::path::Path;

use autograd::{DType, Float, Tensor};
use safetensors::tensor::{Dtype, SafeTensors, TensorView};

use crate::error::{Error, Result};
use crate::module::Parameters;

/// The parameters as safetensors bytes, each tensor under its parameter name, in the
/// parameters' element type.
///
/// ```
/// use autograd::Tensor;
/// let mut params = nn::Parameters::<f32>::new();
/// params.add("w", Tensor::ones([2, 2]));
/// let bytes = nn::weights::to_bytes(&params).unwrap();
/// let mut copy = nn::Parameters::<f32>::new();
/// copy.add("w", Tensor::zeros([2, 2]));
/// nn::weights::load_bytes(&mut copy, &bytes, "in memory").unwrap();
/// assert_eq!(copy.tensors(), params.tensors());
/// ```
pub fn to_bytes<F: Float>(params: &Parameters<F>) -> Result<Vec<u8>> {
    let dtype = match F::DTYPE {
        DType::F32 => Dtype::F32,
        DType::F64 => Dtype::F64,
    };
    let buffers: Vec<Vec<u8>> = params.tensors().iter().map(little_endian).collect();
    let views = params
        .names()
        .iter()
        .zip(params.tensors())
        .zip(&buffers)
        .map(|((name, t), bytes)| {
            let view = TensorView::new(dtype, t.dims().to_vec(), bytes)
                .map_err(|e| weights_error("(writing)", e))?;
            Ok((name.clone(), view))
        })
        .collect::<Result<Vec<_>>>()?;
    safetensors::serialize(views, None).map_err(|e| weights_error("(writing)", e))
}

/// Writes the parameters to a safetensors file.
///
/// ```no_run
/// # let params = nn::Parameters::<f32>::new();
/// nn::weights::save(&params, "model.safetensors")?;
/// # Ok::<(), nn::Error>(())
/// ```
pub fn save<F: Float>(params: &Parameters<F>, path: impl AsRef<Path>) -> Result<()> {
    let path = path.as_ref();
    let bytes = to_bytes(params)?;
    std::fs::write(path, bytes).map_err(|e| Error::Io {
        path: path.display().to_string(),
        message: e.to_string(),
    })
}

/// Loads a safetensors file into the parameters, by name (see [`load_bytes`]).
///
/// ```no_run
/// # let mut params = nn::Parameters::<f32>::new();
/// nn::weights::load(&mut params, "model.safetensors")?;
/// # Ok::<(), nn::Error>(())
/// ```
pub fn load<F: Float>(params: &mut Parameters<F>, path: impl AsRef<Path>) -> Result<()> {
    let path = path.as_ref();
    let bytes = std::fs::read(path).map_err(|e| Error::Io {
        path: path.display().to_string(),
        message: e.to_string(),
    })?;
    load_bytes(params, &bytes, &path.display().to_string())
}

/// Loads safetensors bytes into the parameters, by name. The parameters are only changed
/// if everything fits: a missing, extra or mis-shaped tensor, an element type other than
/// `f32`/`f64`, or a corrupt file is an error naming it (`name` stands for the file).
///
/// ```
/// use autograd::Tensor;
/// let mut params = nn::Parameters::<f64>::new();
/// params.add("w", Tensor::zeros([3]));
/// let mut other = nn::Parameters::<f64>::new();
/// other.add("w", Tensor::zeros([4]));
/// let bytes = nn::weights::to_bytes(&other).unwrap();
/// let err = nn::weights::load_bytes(&mut params, &bytes, "w.safetensors").unwrap_err();
/// assert_eq!(err.to_string(), "w.safetensors: tensor \"w\" has shape [4], the parameter [3]");
/// ```
pub fn load_bytes<F: Float>(params: &mut Parameters<F>, bytes: &[u8], name: &str) -> Result<()> {
    load_bytes_mapped(params, bytes, name, |param| param.to_string())
}

/// [`load`] with a name map: parameter `p` is read from the file's tensor `map(p)`, for a
/// file whose names are not ours (a PyTorch `nn.Sequential` saves `0.weight`, `2.weight`,
/// where our `Mlp` has `mlp.0.weight`, `mlp.1.weight`: see [`sequential_names`]). As strict
/// as `load`: every parameter must find its tensor with its shape, and every tensor in the
/// file must be some parameter's.
///
/// ```
/// use autograd::Tensor;
/// use nn::{Parameters, weights};
/// let mut theirs = Parameters::<f32>::new();
/// theirs.add("encoder.w", Tensor::ones([2]));
/// let bytes = weights::to_bytes(&theirs).unwrap();
/// let mut ours = Parameters::<f32>::new();
/// ours.add("w", Tensor::zeros([2]));
/// weights::load_bytes_mapped(&mut ours, &bytes, "theirs", |name| format!("encoder.{name}")).unwrap();
/// assert_eq!(ours.tensors()[0].to_vec(), vec![1.0, 1.0]);
/// ```
pub fn load_bytes_mapped<F: Float>(
    params: &mut Parameters<F>,
    bytes: &[u8],
    name: &str,
    map: impl Fn(&str) -> String,
) -> Result<()> {
    let file = SafeTensors::deserialize(bytes).map_err(|e| weights_error(name, e))?;
    let mismatch = |message: String| Error::Weights {
        path: name.to_string(),
        message,
    };
    let mut loaded = Vec::with_capacity(params.len());
    let mapped: Vec<String> = params.names().iter().map(|p| map(p)).collect();
    for ((ours, param), current) in params.names().iter().zip(&mapped).zip(params.tensors()) {
        let view = file.tensor(param).map_err(|_| {
            let wanted = if ours == param {
                String::new()
            } else {
                format!(" (for parameter {ours:?})")
            };
            mismatch(format!(
                "no tensor named {param:?}{wanted} (the file has {:?})",
                file.names()
            ))
        })?;
        if view.shape() != current.dims() {
            return Err(mismatch(format!(
                "tensor {param:?} has shape {}, the parameter {}",
                autograd::Shape::new(view.shape()),
                current.shape()
            )));
        }
        let values: Vec<F> = match view.dtype() {
            Dtype::F32 => view
                .data()
                .chunks_exact(4)
                .map(|c| F::from_f64(f64::from(f32::from_le_bytes([c[0], c[1], c[2], c[3]]))))
                .collect(),
            Dtype::F64 => view
                .data()
                .chunks_exact(8)
                .map(|c| F::from_f64(f64::from_le_bytes(c.try_into().expect("8 bytes"))))
                .collect(),
            other => {
                return Err(mismatch(format!(
                    "tensor {param:?} holds {other:?}; only F32 and F64 load"
                )));
            }
        };
        loaded.push(Tensor::from_vec(values, current.shape().clone())?);
    }
    if let Some(extra) = file
        .names()
        .into_iter()
        .find(|n| !mapped.iter().any(|p| p == *n))
    {
        return Err(mismatch(format!("tensor {extra:?} matches no parameter")));
    }
    for (slot, tensor) in params.tensors_mut().iter_mut().zip(loaded) {
        *slot = tensor;
    }
    Ok(())
}

/// The elements as little-endian bytes, as safetensors stores them.
/// [`load`] with a name map (see [`load_bytes_mapped`]).
///
/// ```no_run
/// use nn::{Activation, Mlp, Parameters, weights};
/// use rand::{SeedableRng, rngs::StdRng};
/// let mut params = Parameters::<f32>::new();
/// Mlp::new(&mut params, "mlp", &[784, 128, 10], Activation::Relu, &mut StdRng::seed_from_u64(0));
/// // a PyTorch nn.Sequential(Linear, ReLU, Linear): its Linears are modules 0 and 2
/// weights::load_mapped(&mut params, "model.safetensors", weights::sequential_names("mlp", 2)).unwrap();
/// ```
pub fn load_mapped<F: Float>(
    params: &mut Parameters<F>,
    path: impl AsRef<Path>,
    map: impl Fn(&str) -> String,
) -> Result<()> {
    let path = path.as_ref();
    let bytes = std::fs::read(path).map_err(|e| Error::Io {
        path: path.display().to_string(),
        message: e.to_string(),
    })?;
    load_bytes_mapped(params, &bytes, &path.display().to_string(), map)
}

/// The name map from our layered models to a PyTorch `nn.Sequential`: our
/// `{prefix}.{i}.{rest}` is its `{i · stride}.{rest}`, where `stride` counts the modules per
/// layer in the Sequential (2 for `Linear, ReLU, Linear, ...`, whose activations have no
/// parameters). Other names are kept.
///
/// ```
/// let map = nn::weights::sequential_names("mlp", 2);
/// assert_eq!(map("mlp.0.weight"), "0.weight");
/// assert_eq!(map("mlp.1.bias"), "2.bias");
/// assert_eq!(map("other.w"), "other.w");
/// ```
pub fn sequential_names(prefix: &str, stride: usize) -> impl Fn(&str) -> String + '_ {
    move |name| {
        let layered = name
            .strip_prefix(prefix)
            .and_then(|rest| rest.strip_prefix('.'))
            .and_then(|rest| rest.split_once('.'))
            .and_then(|(index, rest)| Some((index.parse::<usize>().ok()?, rest)));
        match layered {
            Some((index, rest)) => format!("{}.{rest}", index.saturating_mul(stride)),
            None => name.to_string(),
        }
    }
}

fn little_endian<F: Float>(t: &Tensor<F>) -> Vec<u8> {
    t.as_slice()
        .iter()
        .flat_map(|&x| match F::DTYPE {
            // exact: an f32 widened to f64 and back is the same f32
            DType::F32 => (x.to_f64() as f32).to_le_bytes().to_vec(),
            DType::F64 => x.to_f64().to_le_bytes().to_vec(),
        })
        .collect()
}

fn weights_error(name: &str, e: impl std::fmt::Display) -> Error {
    Error::Weights {
        path: name.to_string(),
        message: format!("not a valid safetensors file: {e}"),
    }
}
