//! Every tensor op against finite differences over random shapes: broadcasting, size-1 and
//! size-0 dimensions, reused inputs, both sides of kinks; Hessian-vector products for the
//! second order; f32 against f64. A failure prints the op, the shapes and the element.
//!
//! Each op is checked through `f(x) = Σ w ⊙ op(x)` with a fixed random weight `w`, so every
//! element of the op's output carries a different, non-trivial gradient.

use autograd::{
    ConvOptions, Direction, GradCheck, Shape, Tape, Tensor, TensorVar, Window2d,
    check_tensor_gradients, check_tensor_hessian_vector, check_tensor_jvp,
};
use proptest::prelude::*;
use rand::{SeedableRng, rngs::StdRng};

/// Dimensions of 0 to 3 axes, each of size 0 to 3 (so size-0 and size-1 axes are common).
fn dims() -> impl Strategy<Value = Vec<usize>> {
    prop::collection::vec(0usize..=3, 0..=3)
}

/// A shape that broadcasts to `dims`: some leading axes dropped, some axes set to 1.
fn broadcastable(dims: Vec<usize>) -> impl Strategy<Value = Vec<usize>> {
    let n = dims.len();
    (0..=n, prop::collection::vec(any::<bool>(), n)).prop_map(move |(drop, ones)| {
        dims[drop..]
            .iter()
            .zip(&ones[drop..])
            .map(|(&d, &one)| if one { 1 } else { d })
            .collect()
    })
}

/// A tensor of `dims` with elements uniform in `lo..hi` (a seed, so shrinking keeps it).
fn tensor(dims: Vec<usize>, lo: f64, hi: f64) -> impl Strategy<Value = Tensor<f64>> {
    any::<u64>().prop_map(move |seed| {
        Tensor::rand_uniform(dims.clone(), lo, hi, &mut StdRng::seed_from_u64(seed))
    })
}

/// A weight of the given shape, fixed per test case.
fn weight(shape: &Shape, seed: u64) -> Tensor<f64> {
    Tensor::rand_uniform(shape.clone(), -1.0, 1.0, &mut StdRng::seed_from_u64(seed))
}

/// `f(x) = Σ w ⊙ op(x)`.
fn weighted<'a>(
    op: &'a impl for<'t> Fn(&[TensorVar<'t, f64>]) -> TensorVar<'t, f64>,
    w: Tensor<f64>,
) -> impl for<'t> Fn(&[TensorVar<'t, f64>]) -> TensorVar<'t, f64> + 'a {
    move |v| {
        let w = v[0].tape().tensor(w.clone());
        (op(v) * w).sum()
    }
}

/// Checks the op's gradient at `inputs` and its Hessian-vector product along a random
/// direction (for `second_order` ops).
fn check_op(
    name: &str,
    op: impl for<'t> Fn(&[TensorVar<'t, f64>]) -> TensorVar<'t, f64>,
    inputs: &[Tensor<f64>],
    second_order: bool,
) -> Result<(), TestCaseError> {
    let shapes: Vec<String> = inputs.iter().map(|x| x.shape().to_string()).collect();
    let out_shape = {
        let tape = Tape::new();
        let vars: Vec<_> = inputs.iter().map(|x| tape.tensor(x.clone())).collect();
        op(&vars).shape()
    };
    let f = weighted(&op, weight(&out_shape, 7));
    let fail = |e: autograd::Error| TestCaseError::fail(format!("{name} on {shapes:?}: {e}"));
    check_tensor_gradients(&f, inputs, &GradCheck::default()).map_err(fail)?;
    let direction: Vec<_> = inputs.iter().map(|x| weight(x.shape(), 13)).collect();
    check_tensor_jvp(&op, inputs, &direction, &GradCheck::default()).map_err(fail)?;
    forward_agrees_with_reverse(
        &op,
        inputs,
        &direction,
        &weight(&out_shape, 7),
        second_order,
    )
    .map_err(|e| TestCaseError::fail(format!("{name} on {shapes:?}: {e}")))?;
    if second_order {
        let direction: Vec<_> = inputs.iter().map(|x| weight(x.shape(), 11)).collect();
        let config = GradCheck {
            abs_tol: 1e-4,
            rel_tol: 1e-4,
            ..GradCheck::second_order()
        };
        check_tensor_hessian_vector(&f, inputs, &direction, &config).map_err(fail)?;
    }
    Ok(())
}

/// One input of any shape.
/// `u · (J v) = (Jᵀ u) · v`: forward mode (the tangent of `op(x)` along `v`) against reverse
/// mode (the gradient of `Σ u ⊙ op(x)`), both exact up to rounding; with `second_order`, the
/// Hessian-vector product of `Σ u ⊙ op(x)` forward over reverse against reverse over reverse.
fn forward_agrees_with_reverse(
    op: impl for<'t> Fn(&[TensorVar<'t, f64>]) -> TensorVar<'t, f64>,
    inputs: &[Tensor<f64>],
    v: &[Tensor<f64>],
    u: &Tensor<f64>,
    second_order: bool,
) -> Result<(), String> {
    let tape = Tape::new();
    let x: Vec<_> = inputs.iter().map(|x| tape.tensor(x.clone())).collect();
    let y = op(&x);
    let f = (y * tape.constant_tensor(u.clone())).sum();
    let graph = f.backward_graph();
    let grads: Vec<_> = x.iter().map(|&xi| graph.wrt(xi)).collect();
    let direction = x
        .iter()
        .zip(v)
        .fold(Direction::new(), |d, (&xi, vi)| d.along(xi, vi.clone()));
    let tangents = tape.jvp(&direction);
    let dot = |a: &Tensor<f64>, b: &Tensor<f64>| (a * b).sum_all().item().unwrap();
    let forward = dot(u, &tangents.of(y));
    let reverse: f64 = grads.iter().zip(v).map(|(g, vi)| dot(&g.value(), vi)).sum();
    let close = |a: f64, b: f64| (a - b).abs() <= 1e-9 * (1.0 + a.abs().max(b.abs()));
    if !close(forward, reverse) {
        return Err(format!("u·(J v) = {forward} but (Jᵀu)·v = {reverse}"));
    }
    if second_order {
        // H v twice: the tangents of the recorded gradient, and the gradient of ∇f · v
        let grad_dot_v = grads
            .iter()
            .zip(v)
            .map(|(&g, vi)| (g * tape.constant_tensor(vi.clone())).sum())
            .reduce(|a, b| a + b)
            .expect("at least one input");
        let reverse_hv = grad_dot_v.backward();
        for (i, (&g, &xi)) in grads.iter().zip(&x).enumerate() {
            let (a, b) = (tangents_after(&tape, &direction, g), reverse_hv.wrt(xi));
            for (p, q) in a.as_slice().iter().zip(b.as_slice()) {
                if !close(*p, *q) {
                    return Err(format!(
                        "(H v) of input {i}: forward over reverse {p}, reverse over reverse {q}"
                    ));
                }
            }
        }
    }
    Ok(())
}

/// The tangent of `g` (recorded after the direction's variables) along `direction`.
fn tangents_after<'t>(tape: &'t Tape, direction: &Direction, g: TensorVar<'t, f64>) -> Tensor<f64> {
    tape.jvp(direction).of(g)
}

fn one(lo: f64, hi: f64) -> impl Strategy<Value = Tensor<f64>> {
    dims().prop_flat_map(move |d| tensor(d, lo, hi))
}

/// Two inputs whose shapes broadcast together (either may be the smaller).
fn two(lo: f64, hi: f64) -> impl Strategy<Value = (Tensor<f64>, Tensor<f64>)> {
    two_in((lo, hi), (lo, hi))
}

/// Two broadcasting inputs with values in different ranges.
fn two_in(
    (a_lo, a_hi): (f64, f64),
    (b_lo, b_hi): (f64, f64),
) -> impl Strategy<Value = (Tensor<f64>, Tensor<f64>)> {
    dims()
        .prop_flat_map(|d| (broadcastable(d.clone()), broadcastable(d)))
        .prop_flat_map(move |(a, b)| (tensor(a, a_lo, a_hi), tensor(b, b_lo, b_hi)))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(128), ..ProptestConfig::default() })]

    #[test]
    fn add(x in two(-3.0, 3.0)) { check_op("add", |v| v[0] + v[1], &[x.0, x.1], true)?; }
    #[test]
    fn sub(x in two(-3.0, 3.0)) { check_op("sub", |v| v[0] - v[1], &[x.0, x.1], true)?; }
    #[test]
    fn mul(x in two(-3.0, 3.0)) { check_op("mul", |v| v[0] * v[1], &[x.0, x.1], true)?; }
    #[test]
    fn div(x in two_in((-3.0, 3.0), (0.5, 3.0))) {
        check_op("div", |v| v[0] / v[1], &[x.0, x.1], true)?;
    }
    #[test]
    fn reused_input(x in one(-2.0, 2.0)) {
        check_op("x·x + x", |v| v[0] * v[0] + v[0], &[x], true)?;
    }
    #[test]
    fn neg_and_affine(x in one(-3.0, 3.0)) {
        check_op("affine", |v| 2.0 - (-v[0] * 1.5 + 0.25) / 4.0, &[x], true)?;
    }
    #[test]
    fn exp(x in one(-3.0, 3.0)) { check_op("exp", |v| v[0].exp(), &[x], true)?; }
    #[test]
    fn ln(x in one(0.1, 5.0)) { check_op("ln", |v| v[0].ln(), &[x], true)?; }
    #[test]
    fn sqrt(x in one(0.1, 5.0)) { check_op("sqrt", |v| v[0].sqrt(), &[x], true)?; }
    #[test]
    fn powi(x in one(-2.0, 2.0)) { check_op("powi", |v| v[0].powi(3), &[x], true)?; }
    #[test]
    fn powf(x in one(0.1, 3.0)) { check_op("powf", |v| v[0].powf(-1.5), &[x], true)?; }
    #[test]
    fn pow(x in two(0.2, 2.0)) { check_op("pow", |v| v[0].pow(v[1]), &[x.0, x.1], true)?; }
    #[test]
    fn sin_cos(x in one(-4.0, 4.0)) { check_op("sin·cos", |v| v[0].sin() * v[0].cos(), &[x], true)?; }
    #[test]
    fn tanh(x in one(-3.0, 3.0)) { check_op("tanh", |v| v[0].tanh(), &[x], true)?; }
    #[test]
    fn sigmoid(x in one(-6.0, 6.0)) { check_op("sigmoid", |v| v[0].sigmoid(), &[x], true)?; }
    #[test]
    fn ln_1p(x in one(-0.9, 5.0)) { check_op("ln_1p", |v| v[0].ln_1p(), &[x], true)?; }
    #[test]
    fn exp_m1(x in one(-3.0, 3.0)) { check_op("exp_m1", |v| v[0].exp_m1(), &[x], true)?; }
    #[test]
    fn erf(x in one(-3.0, 3.0)) { check_op("erf", |v| v[0].erf(), &[x], true)?; }
    #[test]
    fn relu(x in one(-2.0, 2.0)) { check_op("relu", |v| v[0].relu() * v[0], &[x], true)?; }
    #[test]
    fn abs(x in one(-2.0, 2.0)) { check_op("abs", |v| v[0].abs() * v[0], &[x], true)?; }
    #[test]
    fn max(x in two(-2.0, 2.0)) { check_op("max", |v| v[0].max(v[1]), &[x.0, x.1], true)?; }
    #[test]
    fn min(x in two(-2.0, 2.0)) { check_op("min", |v| v[0].min(v[1]), &[x.0, x.1], true)?; }
    #[test]
    fn step_and_sign(x in one(-2.0, 2.0)) {
        check_op("step·x + sign·x²", |v| v[0].step() * v[0] + v[0].sign() * v[0] * v[0], &[x], true)?;
    }
    #[test]
    fn xlogy(x in two_in((-2.0, 2.0), (0.1, 3.0))) {
        check_op("xlogy", |v| v[0].xlogy(v[1]), &[x.0, x.1], true)?;
    }

    #[test]
    fn sum_axes(
        (x, axes, keepdim) in dims().prop_flat_map(|d| {
            let n = d.len();
            (tensor(d, -2.0, 2.0), prop::sample::subsequence((0..n).collect::<Vec<_>>(), 0..=n), any::<bool>())
        })
    ) {
        check_op("sum_axes", |v| v[0].sum_axes(&axes, keepdim).powi(2), std::slice::from_ref(&x), true)?;
        // The mean over no elements is NaN, as in numpy: checked only where it is defined.
        let count: usize = axes.iter().map(|&a| x.dims()[a]).product();
        if count > 0 {
            check_op("mean_axes", |v| v[0].mean_axes(&axes, keepdim), &[x], false)?;
        }
    }

    #[test]
    fn matmul_batched_and_broadcast(
        (a, b) in (1usize..=3, 1usize..=3, 1usize..=3, 0usize..=2, any::<bool>())
            .prop_flat_map(|(m, k, n, batch, share)| {
                let a_dims = if batch > 0 { vec![batch, m, k] } else { vec![m, k] };
                let b_dims = if batch > 0 && !share { vec![batch, k, n] } else { vec![k, n] };
                (tensor(a_dims, -2.0, 2.0), tensor(b_dims, -2.0, 2.0))
            })
    ) {
        check_op("matmul", |v| v[0].matmul(v[1]), &[a.clone(), b.clone()], true)?;
        // and with both operands reached twice (a product with its own transpose)
        check_op("a·aᵀ", |v| v[0].matmul(v[0].transpose()), &[a], true)?;
    }

    #[test]
    fn reshape_permute_transpose(x in dims().prop_filter("two axes", |d| d.len() >= 2).prop_flat_map(|d| tensor(d, -2.0, 2.0))) {
        let numel = x.numel();
        check_op("reshape", |v| v[0].reshape([numel]).tanh(), std::slice::from_ref(&x), true)?;
        let n = x.ndim();
        let reversed: Vec<usize> = (0..n).rev().collect();
        check_op("permute", move |v| v[0].permute(&reversed).exp(), std::slice::from_ref(&x), true)?;
        check_op("transpose", |v| v[0].transpose().sin(), std::slice::from_ref(&x), true)?;
        // flip the first and last axes, then a nonlinearity so the gradient is not all ones
        let ends = vec![0, n - 1];
        check_op("flip", move |v| (v[0].flip(&ends) * v[0]).sum(), &[x], true)?;
    }

    #[test]
    fn unfold_and_fold(
        (x, window) in (1usize..=2, 1usize..=2, 1usize..=5, 1usize..=5,
                        (1usize..=3, 1usize..=3, 1usize..=2, 1usize..=2, 0usize..=1, 0usize..=1, 1usize..=2, 1usize..=2))
            .prop_filter_map("the window fits", |(n, c, h, w, (kh, kw, sh, sw, ph, pw, dh, dw))| {
                let window = Window2d { kernel: [kh, kw], stride: [sh, sw], padding: [ph, pw], dilation: [dh, dw] };
                window.try_output_size([h, w]).ok().map(|_| (vec![n, c, h, w], window))
            })
            .prop_flat_map(|(dims, window)| (tensor(dims, -2.0, 2.0), Just(window)))
    ) {
        // a nonlinearity after each, so the second order is not zero
        check_op("unfold", move |v| v[0].unfold(window).tanh(), std::slice::from_ref(&x), true)?;
        let (h, w) = (x.dims()[2], x.dims()[3]);
        let cols = x.try_unfold(window).unwrap();
        check_op("fold", move |v| v[0].fold(window, [h, w]).sin(), std::slice::from_ref(&cols), true)?;
        // the batched layout (what conv2d multiplies): its own reverse and tangent rules
        check_op("unfold_batched", move |v| v[0].unfold_batched(window).tanh(), std::slice::from_ref(&x), true)?;
        let cols_batched = cols.try_permute(&[1, 0, 2]).unwrap();
        check_op("fold_batched", move |v| v[0].fold_batched(window, [h, w]).sin(), &[cols_batched], true)?;
        check_op("avg_pool2d", move |v| v[0].avg_pool2d(window).tanh(), std::slice::from_ref(&x), true)?;
        // max pooling where its padding is allowed (at most half the kernel); its kinks
        // (ties) are where the checker looks both sides
        let [ph, pw] = window.padding;
        if 2 * ph <= window.kernel[0] && 2 * pw <= window.kernel[1] {
            check_op("max_pool2d", move |v| v[0].max_pool2d(window).tanh(), std::slice::from_ref(&x), false)?;
        }
        check_op("global_avg_pool2d", |v| v[0].global_avg_pool2d().sin(), &[x], true)?;
    }

    #[test]
    fn conv2d_input_weight_and_bias(
        (inputs, options) in (1usize..=2, 1usize..=2, 1usize..=2, 1usize..=2, 2usize..=5, 2usize..=5,
                              (1usize..=2, 1usize..=2, 1usize..=2, 0usize..=1, 1usize..=2))
            .prop_filter_map("the kernel fits", |(n, groups, c_per, o_per, h, w, (kh, kw, s, p, d))| {
                let options = ConvOptions::default().stride([s, 1]).padding([p, p]).dilation([1, d]).groups(groups);
                options.window([kh, kw]).try_output_size([h, w]).ok()?;
                let (c, o) = (groups * c_per, groups * o_per);
                Some(((vec![n, c, h, w], vec![o, c_per, kh, kw], vec![o]), options))
            })
            .prop_flat_map(|((x, w, b), options)| {
                ((tensor(x, -2.0, 2.0), tensor(w, -1.0, 1.0), tensor(b, -1.0, 1.0)), Just(options))
            })
    ) {
        // the bias too, and a nonlinearity after, so the second order is not zero
        let (x, w, b) = inputs;
        check_op("conv2d", move |v| v[0].conv2d(v[1], Some(v[2]), options).tanh(), &[x.clone(), w.clone(), b.clone()], true)?;
        // and conv1d on the images' first row, with the width's options
        let (n, c, width) = (x.dims()[0], x.dims()[1], x.dims()[3]);
        let (o, per, kw) = (w.dims()[0], w.dims()[1], w.dims()[3]);
        let row = x.try_narrow(2, 0, 1).unwrap().try_reshape([n, c, width]).unwrap();
        let kernel = w.try_narrow(2, 0, 1).unwrap().try_reshape([o, per, kw]).unwrap();
        let along = ConvOptions { stride: [1, options.stride[1]], padding: [0, options.padding[1]], ..options };
        check_op("conv1d", move |v| v[0].conv1d(v[1], Some(v[2]), along).tanh(), &[row, kernel, b], true)?;
    }

    #[test]
    fn broadcast_and_sum_to_shape((x, target) in dims().prop_flat_map(|d| (broadcastable(d.clone()), Just(d)))
        .prop_flat_map(|(small, big)| (tensor(small, -2.0, 2.0), Just(big))))
    {
        let t = target.clone();
        check_op("broadcast_to", move |v| v[0].broadcast_to(t.clone()).powi(2), std::slice::from_ref(&x), true)?;
        let small = x.shape().clone();
        let big = Tensor::<f64>::ones(target.clone());
        check_op("sum_to_shape", move |v| v[0].sum_to_shape(small.clone()).powi(2), &[&big * 0.5 + &x], true)?;
    }

    #[test]
    fn item_and_scalar_mixing(x in one(-2.0, 2.0)) {
        // a scalar variable read out of the tensor and broadcast back into it
        check_op("x · item(Σx)", |v| v[0] * v[0].sum().item(), &[x], true)?;
    }

    #[test]
    fn max_min_logsumexp_over_axes(
        (x, axes, keepdim) in dims().prop_filter("non-empty", |d| d.iter().all(|&n| n > 0)).prop_flat_map(|d| {
            let n = d.len();
            (tensor(d, -2.0, 2.0), prop::sample::subsequence((0..n).collect::<Vec<_>>(), 0..=n), any::<bool>())
        })
    ) {
        check_op("max_axes", |v| v[0].try_max_axes(&axes, keepdim).unwrap(), std::slice::from_ref(&x), true)?;
        check_op("min_axes", |v| v[0].try_min_axes(&axes, keepdim).unwrap(), std::slice::from_ref(&x), true)?;
        check_op("logsumexp", |v| v[0].try_logsumexp(&axes, keepdim).unwrap(), &[x], true)?;
    }

    #[test]
    fn select_clamp(
        (mask, a, b) in dims().prop_flat_map(|d| (broadcastable(d.clone()), broadcastable(d.clone()), Just(d)))
            .prop_flat_map(|(m, a, b)| (tensor(m, -1.0, 1.0), tensor(a, -2.0, 2.0), tensor(b, -2.0, 2.0)))
    ) {
        let mask = mask.map(|v| if v > 0.0 { 1.0 } else { 0.0 });
        check_op("where", move |v| {
            let m = v[0].tape().tensor(mask.clone());
            m.select(v[0], v[1])
        }, &[a.clone(), b], true)?;
        check_op("clamp", |v| v[0].clamp(-0.5, 1.0), &[a], true)?;
    }

    #[test]
    fn narrow_pad_concat_stack(
        (x, y, axis, start) in dims().prop_filter("an axis", |d| !d.is_empty()).prop_flat_map(|d| {
            let n = d.len();
            (Just(d), 0..n)
        }).prop_flat_map(|(d, axis)| {
            let len = d[axis];
            (tensor(d.clone(), -2.0, 2.0), tensor(d, -2.0, 2.0), Just(axis), 0..=len)
        })
    ) {
        let len = x.dims()[axis] - start;
        check_op("narrow", |v| v[0].try_narrow(axis, start, len).unwrap().powi(2), std::slice::from_ref(&x), true)?;
        check_op("pad", |v| v[0].try_pad(axis, start, start + x.dims()[axis] + 1).unwrap().exp(), std::slice::from_ref(&x), true)?;
        check_op("concat", |v| TensorVar::try_concat(&[v[0], v[1], v[0]], axis).unwrap().tanh(), &[x.clone(), y.clone()], true)?;
        check_op("stack", |v| TensorVar::try_stack(&[v[1], v[0]], axis).unwrap().sin(), &[x, y], true)?;
    }

    #[test]
    fn matvec_outer_squeeze((a, u, v) in (1usize..=3, 1usize..=3).prop_flat_map(|(m, k)| {
        (tensor(vec![m, k], -2.0, 2.0), tensor(vec![m], -2.0, 2.0), tensor(vec![k], -2.0, 2.0))
    })) {
        check_op("matvec", |x| x[0].try_matvec(x[1]).unwrap(), &[a.clone(), v.clone()], true)?;
        check_op("outer", |x| x[0].try_outer(x[1]).unwrap(), &[u, v], true)?;
        check_op("unsqueeze/squeeze", |x| x[0].try_unsqueeze(0).unwrap().try_squeeze(0).unwrap().exp(), &[a], true)?;
    }

    #[test]
    fn index_select_and_gather(
        (x, axis, picks, seed) in dims().prop_filter("an axis", |d| !d.is_empty() && d.iter().all(|&n| n > 0))
            .prop_flat_map(|d| { let n = d.len(); (Just(d), 0..n) })
            .prop_flat_map(|(d, axis)| {
                let size = d[axis];
                (tensor(d, -2.0, 2.0), Just(axis), prop::collection::vec(0..size, 0..4), any::<u64>())
            })
    ) {
        check_op("index_select", |v| v[0].try_index_select(axis, &picks).unwrap().powi(2), std::slice::from_ref(&x), true)?;
        // one random index per position, with a random length along the axis
        let mut dims = x.dims().to_vec();
        dims[axis] = picks.len().max(1);
        let shape = Shape::from(dims);
        let size = x.dims()[axis];
        let index: Vec<usize> = (0..shape.numel()).map(|k| ((seed as usize).wrapping_add(k * 7)) % size).collect();
        check_op("gather", |v| v[0].try_gather(axis, &index, &shape).unwrap().exp(), &[x], true)?;
    }

    #[test]
    fn f32_agrees_with_f64(x in two(-2.0, 2.0), m in (1usize..=3, 1usize..=3, 1usize..=3)
        .prop_flat_map(|(r, k, c)| (tensor(vec![r, k], -1.0, 1.0), tensor(vec![k, c], -1.0, 1.0))))
    {
        // Every op family once, in both element types: values and gradients must agree to
        // f32 precision.
        fn run<F: autograd::Float>(
            (a, b): (Tensor<f64>, Tensor<f64>),
            (p, q): (Tensor<f64>, Tensor<f64>),
        ) -> Vec<f64> {
            let tape = Tape::new();
            let (a, b) = (tape.tensor(a.cast::<F>()), tape.tensor(b.cast::<F>()));
            let (p, q) = (tape.tensor(p.cast::<F>()), tape.tensor(q.cast::<F>()));
            let elementwise = (a * b).tanh() + a.exp() / (b * b + 1.0) + a.sigmoid() * b.relu()
                + a.abs().sqrt() * 0.5 + a.max(b) - a.min(b).sin() + (b * b + 1.0).ln() * a.cos();
            let pq = p.matmul(q);
            let reductions = pq.max_axes(&[1], false).sum() + pq.logsumexp(&[0], false).sum()
                + pq.mean() + p.transpose().min_axes(&[0], true).sum();
            let y = elementwise.sum() + reductions;
            let grads = y.backward();
            let mut out: Vec<f64> = y.value().as_slice().iter().map(|v| v.to_f64()).collect();
            for g in [grads.wrt(a), grads.wrt(b), grads.wrt(p), grads.wrt(q)] {
                out.extend(g.as_slice().iter().map(|v| v.to_f64()));
            }
            out
        }
        let wide = run::<f64>(x.clone(), m.clone());
        let narrow = run::<f32>(x, m);
        for (p, q) in wide.iter().zip(&narrow) {
            prop_assert!((p - q).abs() <= 1e-3 * (1.0 + p.abs()), "f64 {p} vs f32 {q}");
        }
    }
}
