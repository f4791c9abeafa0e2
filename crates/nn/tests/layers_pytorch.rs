//! nn's `BatchNorm1d`, `BatchNorm2d`, `LayerNorm` and `Embedding` against PyTorch's: outputs,
//! gradients of input, weight and bias, and batch norm's running statistics over three
//! training steps and its output in evaluation, computed by torch in float64
//! (`fixtures/norm.safetensors` and `embedding.safetensors`, written by the
//! `make_norm_fixture.py` and `make_embedding_fixture.py` beside them).

mod common;

use autograd::Tape;
use common::{assert_close, fixture, floats, integers};
use nn::data::Indices;
use nn::{BatchNorm1d, BatchNorm2d, Embedding, LayerNorm, Mode, Module, ParamId, Parameters};
use rand::{SeedableRng, rngs::StdRng};
use safetensors::SafeTensors;

/// Three training steps and one evaluation of a batch-norm layer made by `make`.
fn check_batch_norm(
    file: &SafeTensors<'_>,
    prefix: &str,
    make: impl Fn(&mut Parameters<f64>) -> (Box<dyn Module<f64>>, [ParamId; 4]),
) {
    let t = |name: &str| floats(file, &format!("{prefix}.{name}"));
    let mut params = Parameters::<f64>::new();
    let (layer, [weight, bias, running_mean, running_var]) = make(&mut params);
    params.set(weight, t("weight")).unwrap();
    params.set(bias, t("bias")).unwrap();
    for step in 0..3 {
        let label = format!("{prefix}, training step {step}");
        let tape = Tape::new();
        let p = params.record(&tape);
        let x = tape.tensor(t(&format!("{step}.x")));
        let y = layer.forward(&p, x);
        assert_close(
            &y.value(),
            &t(&format!("{step}.y")),
            &format!("{label}: output"),
        );
        let v = tape.constant_tensor(t(&format!("{step}.v")));
        let grads = (y * v).sum().backward();
        let want = |name: &str| t(&format!("{step}.{name}"));
        assert_close(
            &grads.wrt(x),
            &want("x_grad"),
            &format!("{label}: input's gradient"),
        );
        assert_close(
            &grads.wrt(p.get(weight)),
            &want("weight_grad"),
            &format!("{label}: weight's"),
        );
        assert_close(
            &grads.wrt(p.get(bias)),
            &want("bias_grad"),
            &format!("{label}: bias's"),
        );
        params.update_buffers(&p).unwrap();
        assert_close(
            params.get(running_mean),
            &want("running_mean"),
            &format!("{label}: running mean"),
        );
        assert_close(
            params.get(running_var),
            &want("running_var"),
            &format!("{label}: running var"),
        );
    }
    let tape = Tape::new();
    let y = layer.forward(
        &params.record_for(&tape, Mode::Eval),
        tape.constant_tensor(t("eval.x")),
    );
    assert_close(
        &y.value(),
        &t("eval.y"),
        &format!("{prefix}: evaluation output"),
    );
}

#[test]
fn batch_norm_matches_pytorch_in_training_and_evaluation() {
    let bytes = fixture("norm.safetensors");
    let file = SafeTensors::deserialize(&bytes).unwrap();
    for (prefix, channels) in [("bn1d", 3), ("bn1d_seq", 2)] {
        check_batch_norm(&file, prefix, |params| {
            let bn = BatchNorm1d::new(params, "bn", channels);
            (Box::new(bn), bn.ids())
        });
    }
    check_batch_norm(&file, "bn2d", |params| {
        let bn = BatchNorm2d::new(params, "bn", 3);
        (Box::new(bn), bn.ids())
    });
}

#[test]
fn layer_norm_matches_pytorch() {
    let bytes = fixture("norm.safetensors");
    let file = SafeTensors::deserialize(&bytes).unwrap();
    for (name, normalized) in [("ln1", vec![6]), ("ln2", vec![4, 5])] {
        let t = |what: &str| floats(&file, &format!("{name}.{what}"));
        let mut params = Parameters::<f64>::new();
        let ln = LayerNorm::new(&mut params, "ln", &normalized);
        let [weight, bias] = ln.ids();
        params.set(weight, t("weight")).unwrap();
        params.set(bias, t("bias")).unwrap();
        let tape = Tape::new();
        let p = params.record(&tape);
        let x = tape.tensor(t("x"));
        let y = ln.forward(&p, x);
        assert_close(&y.value(), &t("y"), &format!("{name}: output"));
        let grads = (y * tape.constant_tensor(t("v"))).sum().backward();
        assert_close(
            &grads.wrt(x),
            &t("x_grad"),
            &format!("{name}: input's gradient"),
        );
        assert_close(
            &grads.wrt(p.get(weight)),
            &t("weight_grad"),
            &format!("{name}: weight's"),
        );
        assert_close(
            &grads.wrt(p.get(bias)),
            &t("bias_grad"),
            &format!("{name}: bias's"),
        );
    }
}

#[test]
fn embedding_matches_pytorch_and_repeated_ids_add_their_gradients() {
    let bytes = fixture("embedding.safetensors");
    let file = SafeTensors::deserialize(&bytes).unwrap();
    let t = |name: &str| floats(&file, name);
    let mut params = Parameters::<f64>::new();
    let embed = Embedding::new(&mut params, "embed", 11, 4, &mut StdRng::seed_from_u64(0));
    params.set(embed.weight(), t("weight")).unwrap();
    let ids = Indices::new(integers(&file, "ids"), [3, 5], 11).unwrap();
    let tape = Tape::new();
    let p = params.record(&tape);
    let y = embed.forward(&p, ids);
    assert_close(&y.value(), &t("y"), "embedding: vectors");
    let grads = (y * tape.constant_tensor(t("v"))).sum().backward();
    assert_close(
        &grads.wrt(p.get(embed.weight())),
        &t("weight_grad"),
        "embedding: gradient",
    );
}
