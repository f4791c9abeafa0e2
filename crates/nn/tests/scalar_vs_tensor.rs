//! The same network two ways: neuron by neuron on scalar variables, and batched on tensor
//! variables. Both are recorded on one engine, so they must agree on the loss and on every
//! parameter's gradient (to 1e-12 in f64).

use autograd::{Tape, Tensor, TensorVar};
use nn::data::two_moons;
use nn::{Activation, ScalarMlp, losses, regularizers};
use rand::{SeedableRng, rngs::StdRng};

/// The weights `[out, in]` and biases `[out]` of each layer, cut from the scalar network's
/// flat parameters (per neuron: its weights, then its bias).
fn layer_tensors(model: &ScalarMlp, widths: &[usize]) -> Vec<(Tensor<f64>, Tensor<f64>)> {
    let p = model.parameters();
    let mut layers = Vec::new();
    let (mut offset, mut fan_in) = (0, model.in_dim());
    for &width in widths {
        let mut w = Vec::new();
        let mut b = Vec::new();
        for _ in 0..width {
            w.extend_from_slice(&p[offset..offset + fan_in]);
            b.push(p[offset + fan_in]);
            offset += fan_in + 1;
        }
        layers.push((
            Tensor::from_vec(w, [width, fan_in]).unwrap(),
            Tensor::from_vec(b, [width]).unwrap(),
        ));
        fan_in = width;
    }
    layers
}

#[test]
fn scalar_and_tensor_networks_give_the_same_loss_and_gradients() {
    let mut rng = StdRng::seed_from_u64(3);
    let data = two_moons(12, 0.1, &mut rng);
    let widths = [5, 4, 1];
    let model = ScalarMlp::new(2, &widths, Activation::Tanh, &mut rng);

    // Scalar: neuron by neuron, as in micrograd.
    let tape = Tape::new();
    let params = model.param_vars(&tape);
    let scores: Vec<_> = data
        .points
        .iter()
        .map(|p| model.forward(&params, &tape.vars(p))[0])
        .collect();
    let loss =
        losses::mean_hinge(&scores, &data.labels) + 1e-3 * regularizers::sum_of_squares(&params);
    let scalar_grads = loss.backward().wrt_all(&params);

    // Tensor: the whole batch at once, z = Y Wᵀ + b.
    let tape = Tape::new();
    let layers: Vec<(TensorVar<f64>, TensorVar<f64>)> = layer_tensors(&model, &widths)
        .into_iter()
        .map(|(w, b)| (tape.tensor(w), tape.tensor(b)))
        .collect();
    let x: Vec<f64> = data.points.iter().flatten().copied().collect();
    let mut y = tape.tensor(Tensor::from_vec(x, [data.len(), 2]).unwrap());
    for (i, &(w, b)) in layers.iter().enumerate() {
        let z = y.matmul(w.transpose()) + b;
        y = if i + 1 < layers.len() { z.tanh() } else { z };
    }
    let labels = tape.tensor(Tensor::from_vec(data.labels.clone(), [data.len(), 1]).unwrap());
    let hinge = (1.0 - labels * y).relu().mean();
    let l2 = layers
        .iter()
        .map(|&(w, b)| (w * w).sum() + (b * b).sum())
        .reduce(|a, b| a + b)
        .unwrap();
    let tensor_loss = hinge + l2 * 1e-3;
    let grads = tensor_loss.backward();

    assert!((loss.value() - tensor_loss.value().item().unwrap()).abs() < 1e-12);
    // Reassemble the tensor gradients in the scalar network's parameter order.
    let mut tensor_grads = Vec::new();
    for &(w, b) in &layers {
        let (gw, gb) = (grads.wrt(w), grads.wrt(b));
        let fan_in = gw.dims()[1];
        for j in 0..gw.dims()[0] {
            tensor_grads.extend_from_slice(&gw.as_slice()[j * fan_in..(j + 1) * fan_in]);
            tensor_grads.push(gb.as_slice()[j]);
        }
    }
    assert_eq!(tensor_grads.len(), scalar_grads.len());
    for (i, (s, t)) in scalar_grads.iter().zip(&tensor_grads).enumerate() {
        assert!(
            (s - t).abs() < 1e-12,
            "parameter {i}: scalar {s}, tensor {t}"
        );
    }
}
