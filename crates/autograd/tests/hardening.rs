//! Regression tests for the defects of the hardening issue, one class per section: sizes that
//! overflow, sums that lose precision, empty reductions, bad random bounds, misleading
//! messages, and the tape's own contracts (Send, hooks, no_grad after a panic).

use autograd::{Error, Gradients, Shape, Tape, Tensor, TensorVar};

/// 3 · K wraps to 2 in 64-bit arithmetic.
const K: usize = 0x5555_5555_5555_5556;

// ---- sizes: checked arithmetic, fallible allocation ----

#[test]
fn a_shape_whose_element_count_wraps_is_refused() {
    let err = Tensor::<f32>::from_vec(vec![1.0, 2.0], [3, K]).unwrap_err();
    assert!(
        matches!(err, Error::SizeOverflow { op: "from_vec", .. }),
        "{err}"
    );
    assert!(err.to_string().contains("too large"), "{err}");
    assert_eq!(Shape::from([3, K]).checked_numel(), None);
    assert_eq!(Shape::from([3, K]).numel(), usize::MAX); // saturates, never wraps
}

#[test]
fn the_matmul_that_read_out_of_bounds_is_an_error() {
    // the reproduction: the operands could not even be built any more
    assert!(Tensor::<f32>::from_vec(vec![0.0; 6], [K, 3]).is_err());
    // empty operands whose product would be huge
    let a = Tensor::<f32>::zeros([1 << 40, 0]);
    let b = Tensor::<f32>::zeros([0, 1 << 40]);
    let err = a.try_matmul(&b).unwrap_err();
    assert!(
        matches!(err, Error::SizeOverflow { op: "matmul", .. }),
        "{err}"
    );
}

#[test]
fn outputs_sized_by_the_caller_are_checked_before_allocating() {
    let too_big = [1usize << 40, 1 << 40];
    assert!(matches!(
        Tensor::<f64>::try_zeros(too_big),
        Err(Error::SizeOverflow { .. })
    ));
    assert!(Tensor::<f64>::try_full([usize::MAX], 1.0).is_err());
    assert!(Tensor::<f64>::try_from_fn(too_big, |_| 0.0).is_err());
    assert!(Tensor::<f32>::try_eye(usize::MAX).is_err());
    assert!(Tensor::<f64>::try_arange(0.0, 1e300, 1.0).is_err());
    assert!(Tensor::<f64>::try_linspace(0.0, 1.0, usize::MAX).is_err());
    // within the address space but more than any machine has: an Err, not an abort
    let err = Tensor::<f64>::try_zeros([1usize << 58]).unwrap_err();
    assert!(matches!(err, Error::AllocationFailed { .. }), "{err}");

    let t = Tensor::<f64>::ones([2, 3]);
    assert!(t.try_broadcast_to([1 << 40, 1 << 40, 3]).is_err());
    assert!(t.try_reshape([3, K]).is_err());
    assert!(t.try_pad(1, 0, usize::MAX).is_err());
    // two empty tensors whose broadcast has no elements but overflowing strides
    let a = Tensor::<f64>::zeros([0, 1, 1 << 40]);
    let b = Tensor::<f64>::zeros([0, 1 << 40, 1]);
    let err = a.try_zip("add", &b, |x, y| x + y).unwrap_err();
    assert!(
        matches!(err, Error::SizeOverflow { op: "add", .. }),
        "{err}"
    );
}

#[test]
fn a_reduction_of_an_empty_tensor_that_would_be_huge_is_an_error() {
    // [2⁵⁸, 0] holds nothing, but summed over its empty axis it is 2⁵⁸ zeros
    let t = Tensor::<f64>::zeros([1 << 58, 0]);
    let err = t.try_sum_axes(&[1], false).unwrap_err();
    assert!(
        matches!(err, Error::AllocationFailed { op: "sum", .. }),
        "{err}"
    );
    assert_eq!(t.try_sum_axes(&[0], false).unwrap().dims(), &[0]);
}

#[test]
fn concat_lengths_that_overflow_are_an_error() {
    let tape = Tape::new();
    // the largest axis an empty f64 tensor may have: twice that is too large, and 17 times
    // that overflows usize itself (the sum is checked, never wrapped)
    let largest = isize::MAX as usize / 8;
    let huge = tape.tensor(Tensor::<f64>::zeros([0, largest]));
    for count in [2, 17] {
        let err = TensorVar::try_concat(&vec![huge; count], 1).unwrap_err();
        assert!(
            matches!(err, Error::SizeOverflow { op: "concat", .. }),
            "{err}"
        );
    }
    assert!(Tensor::<f64>::try_zeros([0, largest + 1]).is_err());
}

#[test]
fn narrow_and_pad_never_panic_on_extreme_integers() {
    let t = Tensor::<f64>::ones([2, 3]);
    for (start, len) in [
        (usize::MAX, 2),
        (1, usize::MAX),
        (usize::MAX / 2 + 1, usize::MAX / 2 + 1),
    ] {
        let err = t.try_narrow(1, start, len).unwrap_err();
        assert!(
            matches!(err, Error::RangeOutOfBounds { op: "narrow", .. }),
            "{err}"
        );
        assert!(t.try_pad(1, start, len).is_err());
    }
    assert!(t.try_narrow(usize::MAX, 0, 0).is_err());
    // recorded: an empty tensor may have an axis past u32::MAX; the op cannot store the
    // position, which is an error, not a panic
    let tape = Tape::new();
    let wide = tape.tensor(Tensor::<f64>::zeros([0, 1 << 33]));
    let err = wide.try_narrow(1, 1 << 32, 1).unwrap_err();
    assert!(
        matches!(
            err,
            Error::TooLargeToRecord {
                op: "narrow",
                what: "start",
                ..
            }
        ),
        "{err}"
    );
    assert!(wide.try_narrow(1, 5, 2).is_ok());
    assert!(wide.try_pad(1, 0, 1 << 34).is_err());
}

// ---- sums: pairwise, in f32 too ----

/// |got - reference| <= (c + log2 n) · ε · Σ|x|: a bound that grows like log n.
fn within_log_bound(got: f64, reference: f64, abs_sum: f64, n: usize, eps: f64) -> bool {
    (got - reference).abs() <= (16.0 + (n as f64).log2()) * eps * abs_sum
}

#[test]
fn f32_means_of_many_elements_are_accurate() {
    // PyTorch: 1.0 and 0.09999996; a one-at-a-time f32 loop gave 0.1678 and 0.1088
    let ones = Tensor::<f32>::ones([100_000_000]);
    let tape = Tape::new();
    let x = tape.constant_tensor(ones);
    assert_eq!(x.mean().value().item().unwrap(), 1.0);
    drop(tape);
    let tenths = Tensor::<f32>::full([10_000_000], 0.1);
    let reference = 0.1f32 as f64; // every term is this f32
    let mean = tenths.sum_all().item().unwrap() as f64 / 1e7;
    assert!(
        within_log_bound(mean, reference, reference, 10_000_000, f32::EPSILON as f64),
        "{mean}"
    );
}

#[test]
fn sums_over_axes_and_their_gradients_are_pairwise() {
    let n = 20_000_000;
    let terms: Vec<f32> = (0..n).map(|i| 0.1 + (i % 11) as f32 * 0.01).collect();
    let reference: f64 = terms.iter().map(|&v| v as f64).sum();
    let t = Tensor::from_vec(terms, [2, n / 2]).unwrap();
    let per_row = t.try_sum_axes(&[1], false).unwrap().to_vec();
    let total = per_row[0] as f64 + per_row[1] as f64;
    assert!(
        within_log_bound(total, reference, reference, n, f32::EPSILON as f64),
        "{total} vs {reference}"
    );
    let down = t.try_sum_axes(&[0, 1], false).unwrap().item().unwrap() as f64;
    assert!(
        within_log_bound(down, reference, reference, n, f32::EPSILON as f64),
        "{down}"
    );

    // the un-broadcast: b + x with b of shape [1] gets Σ of 3e7 ones (naive f32: 16777216)
    let tape = Tape::new();
    let b = tape.tensor(Tensor::<f32>::zeros([1]));
    let x = tape.constant_tensor(Tensor::<f32>::zeros([30_000_000]));
    let grad = (b + x).sum().backward().wrt(b).to_vec();
    assert_eq!(grad, vec![3e7]);

    // mean over an axis, and logsumexp of 1e7 zeros = ln 1e7
    let z = tape.constant_tensor(Tensor::<f32>::zeros([10_000_000]));
    let lse = z.logsumexp(&[0], false).value().item().unwrap();
    assert!((lse as f64 - 1e7f64.ln()).abs() < 1e-5, "{lse}");
    let m = tape
        .constant_tensor(Tensor::<f32>::full([4, 5_000_000], 0.1))
        .mean_axes(&[1], false);
    for v in m.value().to_vec() {
        assert!(
            (v as f64 - 0.1f32 as f64).abs() < 30.0 * f32::EPSILON as f64 * 0.1,
            "{v}"
        );
    }
}

#[test]
fn f64_sums_are_pairwise_too() {
    let n = 10_000_000;
    let terms: Vec<f64> = (0..n).map(|i| 0.1 + (i % 13) as f64 * 1e-3).collect();
    // the reference, summed in exact-enough arithmetic: Kahan in f64
    let (mut sum, mut carry) = (0.0f64, 0.0f64);
    for &x in &terms {
        let y = x - carry;
        let t = sum + y;
        carry = (t - sum) - y;
        sum = t;
    }
    let got = Tensor::from_vec(terms, [n])
        .unwrap()
        .sum_all()
        .item()
        .unwrap();
    assert!(
        within_log_bound(got, sum, sum, n, f64::EPSILON),
        "{got} vs {sum}"
    );
}

// ---- reductions with no identity over an empty axis ----

#[test]
fn max_min_and_argmax_of_an_empty_axis_are_errors() {
    let empty = Tensor::<f64>::zeros([0, 3]);
    for err in [
        empty.try_max_axes(&[0], false).unwrap_err(),
        empty.try_min_axes(&[0], false).unwrap_err(),
        empty
            .try_argmax(0)
            .map(|_| Tensor::scalar(0.0))
            .unwrap_err(),
    ] {
        assert!(
            matches!(err, Error::EmptyReduction { axis: 0, .. }),
            "{err}"
        );
        assert!(err.to_string().contains("is empty"), "{err}");
    }
    // over the non-empty axis of an empty tensor there is nothing to reduce: an empty result
    assert_eq!(empty.try_max_axes(&[1], false).unwrap().dims(), &[0]);
    // sums have an identity: 0, and logsumexp gives ln 0 = -inf, as in PyTorch
    assert_eq!(
        empty.try_sum_axes(&[0], false).unwrap().to_vec(),
        vec![0.0; 3]
    );
    let tape = Tape::new();
    let lse = tape.tensor(empty).logsumexp(&[0], false).value().to_vec();
    assert_eq!(lse, vec![f64::NEG_INFINITY; 3]);
}

// ---- random tensors: no infinite loop on bad bounds ----

#[test]
fn random_bounds_that_are_not_finite_or_reversed_are_errors() {
    use rand::{SeedableRng, rngs::StdRng};
    let mut rng = StdRng::seed_from_u64(7);
    for (low, high) in [
        (f64::NAN, 1.0),
        (0.0, f64::NAN),
        (0.0, f64::INFINITY),
        (f64::NEG_INFINITY, 0.0),
        (2.0, 1.0),
    ] {
        let err = Tensor::<f64>::try_rand_uniform([3], low, high, &mut rng).unwrap_err();
        assert!(
            matches!(
                err,
                Error::InvalidArgument {
                    op: "rand_uniform",
                    ..
                }
            ),
            "{err}"
        );
    }
    for (mean, std) in [(0.0, f64::NAN), (f64::INFINITY, 1.0), (0.0, -1.0)] {
        assert!(Tensor::<f32>::try_rand_normal([3], mean as f32, std as f32, &mut rng).is_err());
    }
    // the widest finite interval ends (its width overflows f64): every draw inside
    let wide = Tensor::<f64>::try_rand_uniform([1000], -f64::MAX, f64::MAX, &mut rng).unwrap();
    assert!(wide.to_vec().iter().all(|x| x.is_finite() && *x < f64::MAX));
    let wide32 = Tensor::<f32>::try_rand_uniform([1000], -f32::MAX, f32::MAX, &mut rng).unwrap();
    assert!(
        wide32
            .to_vec()
            .iter()
            .all(|x| x.is_finite() && *x < f32::MAX)
    );
    // an interval one f32 wide ends too
    let next = f32::from_bits(1f32.to_bits() + 1);
    let narrow = Tensor::<f32>::try_rand_uniform([100], 1.0, next, &mut rng).unwrap();
    assert!(narrow.to_vec().iter().all(|&x| x == 1.0));
}

// ---- messages that said the wrong thing ----

#[test]
fn messages_name_the_real_mistake() {
    let t = Tensor::<f64>::zeros([2, 3]);
    assert_eq!(
        t.try_sum_axes(&[0, 0], false).unwrap_err().to_string(),
        "sum: axis 0 is named twice (axes [0, 0]) for a tensor of shape [2, 3]"
    );
    assert_eq!(
        t.try_permute(&[0, 0]).unwrap_err().to_string(),
        "permute: axes [0, 0] are not a permutation of 0..2 for a tensor of shape [2, 3]"
    );
    let tape = Tape::new();
    let x = tape.tensor(t.clone());
    assert_eq!(
        x.try_squeeze(1).unwrap_err().to_string(),
        "squeeze: axis 1 has size 3, not 1 (shape [2, 3])"
    );
    assert!(matches!(x.try_squeeze(5), Err(Error::InvalidAxis { .. })));
    let err = Gradients::default().try_wrt(tape.var(1.0)).unwrap_err();
    assert!(matches!(err, Error::EmptyGradients { .. }), "{err}");
    assert!(err.to_string().contains("empty"), "{err}");
    assert!(!err.to_string().contains("another tape"), "{err}");
    let err = TensorVar::<f64>::try_concat(&[], 0).unwrap_err();
    assert_eq!(
        err.to_string(),
        "concat: needs at least one tensor, got none"
    );
    assert_eq!(
        TensorVar::<f64>::try_stack(&[], 0).unwrap_err().to_string(),
        "stack: needs at least one tensor, got none"
    );
}

#[test]
fn try_forms_with_operands_of_two_tapes_return_errors() {
    let (one, two) = (Tape::new(), Tape::new());
    let a = one.tensor(Tensor::<f64>::ones([2]));
    let b = two.tensor(Tensor::<f64>::ones([2]));
    assert!(matches!(a.try_add(b), Err(Error::ForeignVariable { .. })));
    assert!(matches!(
        a.try_matmul(b),
        Err(Error::ForeignVariable { .. })
    ));
    assert!(matches!(a.try_gt(b), Err(Error::ForeignVariable { .. })));
    assert!(matches!(
        a.try_select(a, b),
        Err(Error::ForeignVariable { .. })
    ));
    assert!(matches!(
        TensorVar::try_concat(&[a, b], 0),
        Err(Error::ForeignVariable { .. })
    ));
}

// ---- the tape ----

#[test]
fn a_tape_can_move_to_another_thread() {
    fn assert_send<T: Send>() {}
    assert_send::<Tape>();
    let tape = Tape::new();
    let x = tape.var(3.0);
    let h = x * x;
    h.register_hook(|g| g * 2.0);
    let (x_id, h_id) = (x.id(), h.id());
    let gradient = std::thread::spawn(move || {
        let (x, h) = (tape.entry(x_id).unwrap(), tape.entry(h_id).unwrap());
        h.backward().wrt(x)
    })
    .join()
    .unwrap();
    assert_eq!(gradient, 2.0 * 6.0); // the hook moved with the tape
}

thread_local! {
    static TAPE: Tape = Tape::new();
}

#[test]
fn a_hook_that_records_on_its_own_tape_is_told_so() {
    TAPE.with(|tape| {
        let x = tape.var(2.0);
        let y = x * x;
        y.register_hook(|g| TAPE.with(|tape| (tape.var(g) * 2.0).value()));
        let caught =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| (y * 3.0).backward()));
        let message = caught
            .unwrap_err()
            .downcast_ref::<String>()
            .cloned()
            .unwrap();
        assert!(
            message.contains("a gradient hook tried to record on tape"),
            "{message}"
        );
        assert!(!message.contains("already borrowed"), "{message}");
    });
}

#[test]
fn no_grad_is_undone_when_its_closure_panics() {
    let tape = Tape::new();
    let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        tape.no_grad(|| panic!("inside no_grad"));
    }));
    assert!(caught.is_err());
    let x = tape.var(3.0);
    assert_eq!((x * x).backward().wrt(x), 6.0); // recording is back on
}
