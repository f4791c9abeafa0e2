//! The plain (panicking) forms of the `try_` functions panic with the `try_` form's message
//! at the caller's line (`#[track_caller]` all the way down), so a panic points at the call
//! to fix, not at a line inside `nn`.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::{Arc, Mutex};

use autograd::{Tape, Tensor};
use nn::Parameters;
use nn::optim::{Adam, Optimizer, Sgd, clip_grad_norm};

/// The file and line of the panic `f` raises.
fn panic_location(f: impl FnOnce()) -> (String, u32) {
    // one test at a time: the panic hook is global
    static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let caught = Arc::new(Mutex::new(None));
    let sink = caught.clone();
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let location = info.location().map(|l| (l.file().to_string(), l.line()));
        *sink.lock().unwrap() = location;
    }));
    let result = catch_unwind(AssertUnwindSafe(f));
    std::panic::set_hook(previous);
    assert!(result.is_err(), "no panic");
    let location = caught.lock().unwrap().clone();
    location.expect("a location")
}

/// `f` panics at the line it calls `mark` on, plus one: the call under test.
fn check(f: impl FnOnce(&dyn Fn(u32))) {
    let marked = std::cell::Cell::new(0);
    let location = panic_location(|| f(&|line| marked.set(line + 1)));
    assert_eq!(location, (file!().to_string(), marked.get()));
}

#[test]
fn label_checks() {
    check(|mark| {
        mark(line!());
        let _ = nn::data::one_hot::<f64>(&[9], 2);
    });
    check(|mark| {
        mark(line!());
        let _ = nn::data::ConfusionMatrix::new(&[0], &[3], 2);
    });
    let scores = Tensor::<f64>::from_vec(vec![f64::NAN], [1, 1]).unwrap();
    check(|mark| {
        mark(line!());
        let _ = nn::data::classes_of(&scores);
    });
    check(|mark| {
        mark(line!());
        let _ = nn::data::accuracy(&[0], &[]);
    });
    let tape = Tape::new();
    let logits = tape.tensor(Tensor::<f64>::zeros([1, 2]));
    check(|mark| {
        mark(line!());
        let _ = nn::losses::cross_entropy(logits, &[2]);
    });
}

#[test]
fn parameter_ids() {
    let mut a = Parameters::<f64>::new();
    let id = a.add("w", Tensor::zeros([1]));
    let b = Parameters::<f64>::new();
    check(|mark| {
        mark(line!());
        let _ = b.get(id).clone();
    });
    check(|mark| {
        mark(line!());
        let _ = b.name(id).len();
    });
    let tape = Tape::new();
    let bound = b.record(&tape);
    check(|mark| {
        mark(line!());
        let _ = bound.get(id);
    });
}

#[test]
fn optimiser_steps_and_clipping() {
    let grads = [Tensor::<f64>::zeros([2])];
    let mut params = Parameters::new();
    params.add("w", Tensor::<f64>::zeros([1]));
    check(|mark| {
        mark(line!());
        Adam::new(0.1).step(&mut params.clone(), &grads);
    });
    let mut sgd: Box<dyn Optimizer<f64>> = Box::new(Sgd::new(-1.0));
    check(|mark| {
        mark(line!());
        sgd.step(&mut params.clone(), &grads);
    });
    check(|mark| {
        mark(line!());
        let _ = clip_grad_norm(&mut [Tensor::<f32>::ones([1])], f64::NAN);
    });
}
