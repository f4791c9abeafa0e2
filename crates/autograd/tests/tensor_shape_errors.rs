//! Every shape-checked tensor op: the `try_` form returns an error naming the op and both
//! shapes, and the plain form (method or operator) panics with the same message.

use std::panic::{AssertUnwindSafe, catch_unwind};

use autograd::{Error, Tape, Tensor, TensorVar};

/// The panic message of `f`, which must panic.
fn panic_message<R: std::fmt::Debug>(f: impl FnOnce() -> R) -> String {
    let payload = catch_unwind(AssertUnwindSafe(f)).expect_err("expected a panic");
    payload
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
        .expect("a string panic message")
}

fn leaf<'t>(tape: &'t Tape, dims: &[usize]) -> TensorVar<'t, f64> {
    tape.tensor(Tensor::ones(dims))
}

#[test]
fn broadcasting_ops_name_op_and_both_shapes() {
    let tape = Tape::new();
    let (a, b) = (leaf(&tape, &[2, 3]), leaf(&tape, &[4]));
    type Try<'t> =
        fn(TensorVar<'t, f64>, TensorVar<'t, f64>) -> autograd::Result<TensorVar<'t, f64>>;
    type Plain<'t> = fn(TensorVar<'t, f64>, TensorVar<'t, f64>) -> TensorVar<'t, f64>;
    let cases: [(&str, Try, Plain); 8] = [
        ("add", TensorVar::try_add, |x, y| x + y),
        ("sub", TensorVar::try_sub, |x, y| x - y),
        ("mul", TensorVar::try_mul, |x, y| x * y),
        ("div", TensorVar::try_div, |x, y| x / y),
        ("pow", TensorVar::try_pow, TensorVar::pow),
        ("max", TensorVar::try_max, TensorVar::max),
        ("min", TensorVar::try_min, TensorVar::min),
        ("xlogy", TensorVar::try_xlogy, TensorVar::xlogy),
    ];
    for (op, try_form, plain_form) in cases {
        let err = try_form(a, b).unwrap_err();
        let expected = format!("shape mismatch in {op}: lhs [2, 3], rhs [4]");
        assert_eq!(err.to_string(), expected);
        assert!(matches!(err, Error::ShapeMismatch { .. }));
        assert_eq!(panic_message(|| plain_form(a, b)), expected);
    }
}

#[test]
fn matmul_names_both_shapes() {
    let tape = Tape::new();
    let (a, b) = (leaf(&tape, &[2, 3]), leaf(&tape, &[4, 5]));
    let expected = "shape mismatch in matmul: lhs [2, 3], rhs [4, 5]";
    assert_eq!(a.try_matmul(b).unwrap_err().to_string(), expected);
    assert_eq!(panic_message(|| a.matmul(b)), expected);
    // batch dimensions that do not broadcast
    let (c, d) = (leaf(&tape, &[2, 2, 3]), leaf(&tape, &[3, 3, 1]));
    assert_eq!(
        c.try_matmul(d).unwrap_err().to_string(),
        "shape mismatch in matmul: lhs [2, 2, 3], rhs [3, 3, 1]"
    );
    // vectors need reshaping first
    assert!(leaf(&tape, &[3]).try_matmul(leaf(&tape, &[3, 1])).is_err());
}

#[test]
fn movement_and_reduction_errors_name_their_shapes() {
    let tape = Tape::new();
    let x = leaf(&tape, &[2, 3]);
    let cases: Vec<(String, Box<dyn Fn()>)> = vec![
        (
            x.try_reshape([4]).unwrap_err().to_string(),
            Box::new(move || {
                x.reshape([4]);
            }),
        ),
        (
            x.try_broadcast_to([3, 2]).unwrap_err().to_string(),
            Box::new(move || {
                x.broadcast_to([3, 2]);
            }),
        ),
        (
            x.try_sum_to_shape([4]).unwrap_err().to_string(),
            Box::new(move || {
                x.sum_to_shape([4]);
            }),
        ),
        (
            x.try_permute(&[0]).unwrap_err().to_string(),
            Box::new(move || {
                x.permute(&[0]);
            }),
        ),
        (
            x.try_flip(&[1, 1]).unwrap_err().to_string(),
            Box::new(move || {
                x.flip(&[1, 1]);
            }),
        ),
        (
            x.try_sum_axes(&[2], false).unwrap_err().to_string(),
            Box::new(move || {
                x.sum_axes(&[2], false);
            }),
        ),
        (
            x.try_item().unwrap_err().to_string(),
            Box::new(move || {
                x.item();
            }),
        ),
        (
            x.try_backward().unwrap_err().to_string(),
            Box::new(move || {
                x.backward();
            }),
        ),
    ];
    for (message, plain) in cases {
        assert!(
            message.contains("[2, 3]"),
            "{message} does not name the shape"
        );
        assert_eq!(panic_message(plain), message);
    }
    assert_eq!(
        x.try_reshape([4]).unwrap_err().to_string(),
        "reshape: shape [2, 3] (6 elements) cannot become [4] (4 elements)"
    );
    assert_eq!(
        x.try_sum_axes(&[2], false).unwrap_err().to_string(),
        "sum: axis 2 is out of range for a tensor of shape [2, 3]"
    );
    let one_d = leaf(&tape, &[3]);
    assert!(one_d.try_transpose().is_err());
}

#[test]
fn tensors_of_two_tapes_do_not_mix() {
    let (t1, t2) = (Tape::new(), Tape::new());
    let (a, b) = (leaf(&t1, &[2]), leaf(&t2, &[2]));
    let message = panic_message(|| {
        let _ = a + b;
    });
    assert!(message.contains("belongs to tape"), "{message}");
}

#[test]
fn select_gives_the_branch_not_taken_an_exact_zero() {
    let tape = Tape::new();
    let x = tape.tensor(Tensor::<f64>::from_vec(vec![-1.0, 4.0], [2]).unwrap());
    let zero = tape.tensor(Tensor::scalar(0.0));
    let mask = x.try_gt(zero).unwrap();
    // sqrt(-1) is NaN and 1/x at 0 would be infinite, but those elements are not taken
    let (root, square) = (x.sqrt(), x.powi(2));
    let y = mask.select(root, square);
    assert_eq!(y.value().to_vec(), vec![1.0, 2.0]);
    let grads = y.sum().backward();
    // each branch receives 1 where taken and an exact 0 elsewhere (0 · NaN would be NaN)
    assert_eq!(grads.wrt(root).to_vec(), vec![0.0, 1.0]);
    assert_eq!(grads.wrt(square).to_vec(), vec![1.0, 0.0]);
    // the mask is a constant: nothing flows into it
    assert_eq!(grads.wrt(mask).to_vec(), vec![0.0, 0.0]);
}

/// Each case: the `try_` form's error message, and the plain form run for its panic.
type Case = (String, Box<dyn Fn()>);

fn case<T: std::fmt::Debug>(try_form: autograd::Result<T>, plain: impl Fn() + 'static) -> Case {
    (try_form.unwrap_err().to_string(), Box::new(plain))
}

#[test]
fn every_other_checked_op_panics_with_its_try_message() {
    // 'static tape so the plain forms can be boxed
    let tape: &'static Tape = Box::leak(Box::new(Tape::new()));
    let x = leaf(tape, &[2, 3]);
    let v = leaf(tape, &[4]);
    let wrong = leaf(tape, &[4, 4]);
    let shape = autograd::Shape::from([2, 1]);
    let cases: Vec<Case> = vec![
        case(x.try_max_axes(&[2], false), move || {
            x.max_axes(&[2], false);
        }),
        case(x.try_min_axes(&[0, 0], false), move || {
            x.min_axes(&[0, 0], false);
        }),
        case(x.try_logsumexp(&[3], true), move || {
            x.logsumexp(&[3], true);
        }),
        case(x.try_argmax(2), move || {
            x.argmax(2);
        }),
        case(x.try_gt(wrong), move || {
            x.gt(wrong);
        }),
        case(x.try_eq(wrong), move || {
            x.eq(wrong);
        }),
        case(x.try_select(wrong, x), move || {
            x.select(wrong, x);
        }),
        case(x.try_narrow(1, 2, 2), move || {
            x.narrow(1, 2, 2);
        }),
        case(x.try_pad(1, 2, 4), move || {
            x.pad(1, 2, 4);
        }),
        case(x.try_unsqueeze(3), move || {
            x.unsqueeze(3);
        }),
        case(x.try_squeeze(0), move || {
            x.squeeze(0);
        }),
        case(x.try_matvec(v), move || {
            x.matvec(v);
        }),
        case(x.try_outer(v), move || {
            x.outer(v);
        }),
        case(x.try_index_select(1, &[3]), move || {
            x.index_select(1, &[3]);
        }),
        case(x.try_gather(1, &[0, 5], &shape), move || {
            x.gather(1, &[0, 5], &[2, 1].into());
        }),
        case(TensorVar::try_concat(&[x, wrong], 1), move || {
            TensorVar::concat(&[x, wrong], 1);
        }),
        case(TensorVar::try_stack(&[x, v], 0), move || {
            TensorVar::stack(&[x, v], 0);
        }),
        case(x.try_mean_axes(&[5], false), move || {
            x.mean_axes(&[5], false);
        }),
    ];
    for (message, plain) in cases {
        assert!(
            message.contains('['),
            "{message}: an error should name a shape or an index"
        );
        assert_eq!(panic_message(plain), message);
    }
}
