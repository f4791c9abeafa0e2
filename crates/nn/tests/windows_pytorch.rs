//! autograd's `unfold` and `fold` (im2col and col2im, the base of the convolutions),
//! `conv2d`, `conv1d` and the pooling against PyTorch's `F.unfold`, `F.fold`, `F.conv2d`, `F.conv1d`,
//! `F.max_pool2d`, `F.avg_pool2d` and `F.adaptive_avg_pool2d`: values and gradients that torch
//! computed in float64 for five or six windows each (strides, padding, dilation, groups,
//! several channels and images), committed in `fixtures/unfold_fold.safetensors`,
//! `conv2d.safetensors` and `pool2d.safetensors` (the `make_*_fixture.py` beside them write
//! them).

mod common;

use autograd::{ConvOptions, Gradients, Tape, TensorVar, Window2d};
use common::{assert_close, fixture, floats, integers};
use safetensors::SafeTensors;

/// The fixture's cases: 0, 1, ... while the file has `{case}.{key}`.
fn cases<'a>(file: &'a SafeTensors<'_>, key: &'a str) -> impl Iterator<Item = usize> + 'a {
    (0..).take_while(move |case| file.tensor(&format!("{case}.{key}")).is_ok())
}

/// A window as the fixtures store it: kernel, stride, padding, dilation (then the size).
fn window_of(p: &[usize]) -> Window2d {
    Window2d {
        kernel: [p[0], p[1]],
        stride: [p[2], p[3]],
        padding: [p[4], p[5]],
        dilation: [p[6], p[7]],
    }
}

/// Each variable's gradient against torch's `{name}_grad` of the case.
fn assert_gradients(
    grads: &Gradients,
    wanted: &[(TensorVar<'_, f64>, &str)],
    t: impl Fn(&str) -> autograd::Tensor<f64>,
    label: &str,
) {
    for &(var, name) in wanted {
        assert_close(
            &grads.wrt(var),
            &t(&format!("{name}_grad")),
            &format!("{label}: {name}'s gradient"),
        );
    }
}

#[test]
fn unfold_and_fold_match_pytorch_values_and_gradients() {
    let bytes = fixture("unfold_fold.safetensors");
    let file = SafeTensors::deserialize(&bytes).unwrap();
    for case in cases(&file, "window") {
        let t = |name: &str| floats(&file, &format!("{case}.{name}"));
        let p = integers(&file, &format!("{case}.window"));
        let (window, size) = (window_of(&p), [p[8], p[9]]);
        let label = format!("case {case} ({window})");

        let tape = Tape::new();
        let x = tape.tensor(t("x"));
        let cols = x.unfold(window);
        assert_close(&cols.value(), &t("unfold"), &format!("{label}: unfold"));
        let w = tape.constant_tensor(t("unfold_weight"));
        let grad = (cols * w).sum().backward().wrt(x);
        assert_close(
            &grad,
            &t("unfold_grad"),
            &format!("{label}: unfold's gradient"),
        );

        let y = tape.tensor(t("columns"));
        let image = y.fold(window, size);
        assert_close(&image.value(), &t("fold"), &format!("{label}: fold"));
        let v = tape.constant_tensor(t("fold_weight"));
        let grad = (image * v).sum().backward().wrt(y);
        assert_close(&grad, &t("fold_grad"), &format!("{label}: fold's gradient"));
    }
    assert_eq!(cases(&file, "window").count(), 6, "the fixture's cases");
}

#[test]
fn conv2d_matches_pytorch_values_and_gradients_for_input_weight_and_bias() {
    let bytes = fixture("conv2d.safetensors");
    let file = SafeTensors::deserialize(&bytes).unwrap();
    for case in cases(&file, "options") {
        let t = |name: &str| floats(&file, &format!("{case}.{name}"));
        let p = integers(&file, &format!("{case}.options"));
        let options = ConvOptions::default()
            .stride([p[0], p[1]])
            .padding([p[2], p[3]])
            .dilation([p[4], p[5]])
            .groups(p[6]);
        let label = format!("case {case} ({options:?})");
        let tape = Tape::new();
        let (x, w) = (tape.tensor(t("x")), tape.tensor(t("weight")));
        let b = (p[7] == 1).then(|| tape.tensor(t("bias")));
        let y = x.conv2d(w, b, options);
        assert_close(&y.value(), &t("output"), &format!("{label}: output"));
        let v = tape.constant_tensor(t("output_weight"));
        let grads = (y * v).sum().backward();
        assert_gradients(&grads, &[(x, "x"), (w, "weight")], t, &label);
        if let Some(b) = b {
            assert_gradients(&grads, &[(b, "bias")], t, &label);
        }
    }
    assert_eq!(cases(&file, "options").count(), 6, "the fixture's cases");
}

#[test]
fn pooling_matches_pytorch_values_and_gradients() {
    let bytes = fixture("pool2d.safetensors");
    let file = SafeTensors::deserialize(&bytes).unwrap();
    for case in cases(&file, "window") {
        let t = |name: &str| floats(&file, &format!("{case}.{name}"));
        let window = window_of(&integers(&file, &format!("{case}.window")));
        let mut checked = 0;
        for name in ["max", "avg", "global"] {
            if file.tensor(&format!("{case}.{name}")).is_err() {
                continue; // (avg_pool2d has no dilation)
            }
            let label = format!("case {case} ({window}): {name} pooling");
            let tape = Tape::new();
            let x = tape.tensor(t("x"));
            let y = match name {
                "max" => x.max_pool2d(window),
                "avg" => x.avg_pool2d(window),
                _ => x.global_avg_pool2d(),
            };
            assert_close(&y.value(), &t(name), &label);
            let v = tape.constant_tensor(t(&format!("{name}_weight")));
            let grad = (y * v).sum().backward().wrt(x);
            assert_close(
                &grad,
                &t(&format!("{name}_grad")),
                &format!("{label}, gradient"),
            );
            checked += 1;
        }
        assert!(checked >= 2, "case {case}");
    }
    assert_eq!(cases(&file, "window").count(), 5, "the fixture's cases");
}

#[test]
fn conv1d_matches_pytorch_values_and_gradients() {
    let bytes = fixture("conv1d.safetensors");
    let file = SafeTensors::deserialize(&bytes).unwrap();
    for case in cases(&file, "options") {
        let t = |name: &str| floats(&file, &format!("{case}.{name}"));
        let p = integers(&file, &format!("{case}.options"));
        // along the width: the second entries
        let options = ConvOptions::default()
            .stride([1, p[0]])
            .padding([0, p[1]])
            .dilation([1, p[2]])
            .groups(p[3]);
        let label = format!("conv1d case {case} ({options:?})");
        let tape = Tape::new();
        let (x, w, b) = (
            tape.tensor(t("x")),
            tape.tensor(t("weight")),
            tape.tensor(t("bias")),
        );
        let y = x.conv1d(w, Some(b), options);
        assert_close(&y.value(), &t("output"), &format!("{label}: output"));
        let grads = (y * tape.constant_tensor(t("output_weight")))
            .sum()
            .backward();
        assert_gradients(&grads, &[(x, "x"), (w, "weight"), (b, "bias")], t, &label);
    }
    assert_eq!(cases(&file, "options").count(), 3, "the fixture's cases");
}
