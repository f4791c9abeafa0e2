//! A `try_` form never panics, whatever integers and floats it is given: every one is called
//! with arguments drawn from the extremes (0, 1, dim, dim + 1, usize::MAX, usize::MAX/2 + 1,
//! isize::MAX; NaN, ±inf, ±f64::MAX) as well as ordinary values, on small random tensors
//! (sizes 0 to 3 per axis, 0 to 3 axes). An `Ok` must hold a tensor whose shape counts its
//! elements.
//!
//! The extremes are chosen so that no call can ask for a size the machine could grant but
//! not hold (between RAM and the address space): those would be tested by the OOM killer.

use std::panic::{AssertUnwindSafe, catch_unwind};

use autograd::{Shape, Tape, Tensor, TensorVar, Window2d};
use proptest::prelude::*;
use rand::{SeedableRng, rngs::StdRng};

/// An integer argument: small ordinary values and the extremes.
fn int() -> impl Strategy<Value = usize> {
    prop_oneof![
        0usize..=4,
        Just(usize::MAX),
        Just(usize::MAX - 1),
        Just(usize::MAX / 2 + 1),
        Just(isize::MAX as usize),
        Just(1usize << 62),
    ]
}

/// A float argument: ordinary values and the ones that break naive code.
fn float() -> impl Strategy<Value = f64> {
    prop_oneof![
        -3.0..3.0,
        Just(0.0),
        Just(f64::NAN),
        Just(f64::INFINITY),
        Just(f64::NEG_INFINITY),
        Just(f64::MAX),
        Just(-f64::MAX),
        Just(f64::MIN_POSITIVE),
        Just(1e300),
    ]
}

fn dims() -> impl Strategy<Value = Vec<usize>> {
    prop::collection::vec(0usize..=3, 0..=3)
}

fn ints() -> impl Strategy<Value = Vec<usize>> {
    prop::collection::vec(int(), 0..=4)
}

fn tensor(dims: &[usize], seed: u64) -> Tensor<f64> {
    Tensor::rand_uniform(dims.to_vec(), -2.0, 2.0, &mut StdRng::seed_from_u64(seed))
}

/// `f` returns without panicking; an `Ok` tensor is consistent.
fn never_panics(what: &str, f: impl FnOnce() -> Option<Tensor<f64>>) -> Result<(), TestCaseError> {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(Some(t)) => {
            prop_assert_eq!(t.numel(), t.to_vec().len(), "{}: {:?}", what, t.shape());
            Ok(())
        }
        Ok(None) => Ok(()),
        Err(_) => Err(TestCaseError::fail(format!("{what} panicked"))),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn raw_tensor_try_forms(d in dims(), e in dims(), seed in any::<u64>(), a in int(), b in int(),
                            c in int(), list in ints(), x in float(), y in float(), z in float()) {
        let t = tensor(&d, seed);
        let u = tensor(&e, seed ^ 1);
        let list_shape = Shape::from(list.clone());
        never_panics("try_narrow", || t.try_narrow(a, b, c).ok())?;
        never_panics("try_pad", || t.try_pad(a, b, c).ok())?;
        never_panics("try_concat", || Tensor::try_concat(&[t.clone(), u.clone()], a).ok())?;
        never_panics("try_reshape", || t.try_reshape(list.clone()).ok())?;
        never_panics("try_broadcast_to", || t.try_broadcast_to(list.clone()).ok())?;
        never_panics("try_permute", || t.try_permute(&list).ok())?;
        never_panics("try_flip", || t.try_flip(&list).ok())?;
        never_panics("try_transpose", || t.try_transpose().ok())?;
        never_panics("try_sum_axes", || t.try_sum_axes(&list, a % 2 == 0).ok())?;
        never_panics("try_max_axes", || t.try_max_axes(&list, true).ok())?;
        never_panics("try_min_axes", || t.try_min_axes(&list, false).ok())?;
        never_panics("try_argmax", || t.try_argmax(a).ok().map(|i| Tensor::full([i.len()], 0.0)))?;
        never_panics("try_sum_to_shape", || t.try_sum_to_shape(&list_shape).ok())?;
        never_panics("try_index_select", || t.try_index_select(a, &list).ok())?;
        never_panics("try_gather", || t.try_gather(a, &list, &Shape::from(vec![b, c])).ok())?;
        never_panics("try_gather (shape)", || t.try_gather(a, &list, &list_shape).ok())?;
        never_panics("try_matmul", || t.try_matmul(&u).ok())?;
        never_panics("try_select", || t.try_select(&u, &t).ok())?;
        never_panics("try_zip", || t.try_zip("add", &u, |p, q| p + q).ok())?;
        never_panics("get", || t.get(&list).ok().map(Tensor::scalar))?;
        never_panics("item", || t.item().ok().map(Tensor::scalar))?;
        never_panics("from_vec", || Tensor::from_vec(vec![0.0; a.min(8)], list.clone()).ok())?;
        never_panics("try_full", || Tensor::try_full(list.clone(), x).ok())?;
        never_panics("try_zeros", || Tensor::try_zeros(vec![a, b]).ok())?;
        never_panics("try_from_fn", || Tensor::try_from_fn(vec![a, b], |_| 1.0).ok())?;
        never_panics("try_eye", || Tensor::try_eye(a).ok())?;
        never_panics("try_arange", || Tensor::try_arange(x, y, z).ok())?;
        never_panics("try_linspace", || Tensor::try_linspace(x, y, a).ok())?;
        let mut rng = StdRng::seed_from_u64(seed);
        never_panics("try_rand_uniform", || Tensor::try_rand_uniform(vec![a.min(5)], x, y, &mut rng).ok())?;
        never_panics("try_rand_normal", || Tensor::try_rand_normal(vec![a.min(5)], x, y, &mut rng).ok())?;
        let mut target = t.clone();
        never_panics("try_update", || target.try_update(&u, |p, q| p - q).ok().map(|_| target.clone()))?;
    }

    #[test]
    fn window_try_forms(d in prop::collection::vec(0usize..=4, 3..=4), seed in any::<u64>(),
                        w in prop::collection::vec(int(), 10)) {
        // unfold and fold with every field of the window (and the image size) drawn from
        // the edge integers: zero, one, huge
        let window = Window2d { kernel: [w[0], w[1]], stride: [w[2], w[3]], padding: [w[4], w[5]], dilation: [w[6], w[7]] };
        let t = tensor(&d, seed);
        never_panics("try_unfold", || t.try_unfold(window).ok())?;
        never_panics("try_fold", || t.try_fold(window, [w[8], w[9]]).ok())?;
        never_panics("try_unfold_batched", || t.try_unfold_batched(window).ok())?;
        never_panics("try_fold_batched", || t.try_fold_batched(window, [w[8], w[9]]).ok())?;
        never_panics("try_output_size", || window.try_output_size([w[8], w[9]]).ok().map(|_| t.clone()))?;
        let tape = Tape::new();
        let v = tape.tensor(t.clone());
        never_panics("TensorVar::try_unfold", || v.try_unfold(window).ok().map(|y| y.value()))?;
        never_panics("TensorVar::try_fold", || v.try_fold(window, [w[8], w[9]]).ok().map(|y| y.value()))?;
        never_panics("TensorVar::try_unfold_batched", || v.try_unfold_batched(window).ok().map(|y| y.value()))?;
        never_panics("TensorVar::try_fold_batched", || v.try_fold_batched(window, [w[8], w[9]]).ok().map(|y| y.value()))?;
    }

    #[test]
    fn recorded_try_forms(d in dims(), e in dims(), seed in any::<u64>(), a in int(), b in int(),
                          c in int(), list in ints()) {
        let tape = Tape::new();
        let t = tape.tensor(tensor(&d, seed));
        let u = tape.tensor(tensor(&e, seed ^ 1));
        let value = |r: autograd::Result<TensorVar<'_, f64>>| r.ok().map(|v| v.value());
        let list_shape = Shape::from(list.clone());
        never_panics("try_narrow", || value(t.try_narrow(a, b, c)))?;
        never_panics("try_pad", || value(t.try_pad(a, b, c)))?;
        never_panics("try_unsqueeze", || value(t.try_unsqueeze(a)))?;
        never_panics("try_squeeze", || value(t.try_squeeze(a)))?;
        never_panics("try_index_select", || value(t.try_index_select(a, &list)))?;
        never_panics("try_gather", || value(t.try_gather(a, &list, &list_shape)))?;
        never_panics("try_reshape", || value(t.try_reshape(list.clone())))?;
        never_panics("try_broadcast_to", || value(t.try_broadcast_to(list.clone())))?;
        never_panics("try_sum_to_shape", || value(t.try_sum_to_shape(list.clone())))?;
        never_panics("try_permute", || value(t.try_permute(&list)))?;
        never_panics("try_flip", || value(t.try_flip(&list)))?;
        never_panics("try_transpose", || value(t.try_transpose()))?;
        never_panics("try_sum_axes", || value(t.try_sum_axes(&list, false)))?;
        never_panics("try_mean_axes", || value(t.try_mean_axes(&list, true)))?;
        never_panics("try_max_axes", || value(t.try_max_axes(&list, false)))?;
        never_panics("try_min_axes", || value(t.try_min_axes(&list, true)))?;
        never_panics("try_logsumexp", || value(t.try_logsumexp(&list, false)))?;
        never_panics("try_argmax", || t.try_argmax(a).ok().map(|i| Tensor::full([i.len()], 0.0)))?;
        never_panics("try_item", || t.try_item().ok().map(|v| Tensor::scalar(v.value())))?;
        never_panics("try_concat", || value(TensorVar::try_concat(&[t, u], a)))?;
        never_panics("try_stack", || value(TensorVar::try_stack(&[t, u], a)))?;
        never_panics("try_matvec", || value(t.try_matvec(u)))?;
        never_panics("try_outer", || value(t.try_outer(u)))?;
        never_panics("try_matmul", || value(t.try_matmul(u)))?;
        never_panics("try_add", || value(t.try_add(u)))?;
        never_panics("try_pow", || value(t.try_pow(u)))?;
        never_panics("try_select", || value(t.try_gt(u).and_then(|m| m.try_select(t, u))))?;
        never_panics("try_backward", || t.sum().try_backward().ok().map(|g| g.wrt(t)))?;
        never_panics("try_backward (not one element)", || t.try_backward().ok().map(|g| g.wrt(t)))?;
    }
}
