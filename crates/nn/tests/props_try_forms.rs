//! nn's `try_` forms never panic, whatever integers and floats they are given: class counts
//! and labels at the extremes (0, 1, usize::MAX, usize::MAX/2 + 1, 2^62), non-finite
//! numbers, mismatched lengths; an `Err` is the only way out.

use std::panic::{AssertUnwindSafe, catch_unwind};

use autograd::{Tape, Tensor};
use nn::data::{ConfusionMatrix, Dataset, try_accuracy, try_classes_of, try_one_hot};
use nn::losses::{try_cross_entropy, try_nll};
use nn::optim::try_clip_grad_norm;
use proptest::prelude::*;

fn int() -> impl Strategy<Value = usize> {
    prop_oneof![
        0usize..=4,
        Just(usize::MAX),
        Just(usize::MAX / 2 + 1),
        Just(1usize << 62)
    ]
}

fn float() -> impl Strategy<Value = f64> {
    prop_oneof![
        -3.0..3.0,
        Just(f64::NAN),
        Just(f64::INFINITY),
        Just(-f64::MAX),
        Just(1e300)
    ]
}

fn never_panics<R>(what: &str, f: impl FnOnce() -> R) -> Result<(), TestCaseError> {
    catch_unwind(AssertUnwindSafe(f))
        .map(|_| ())
        .map_err(|_| TestCaseError::fail(format!("{what} panicked")))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn nn_try_forms(classes in int(), labels in prop::collection::vec(int(), 0..4),
                    predicted in prop::collection::vec(int(), 0..4), rows in 0usize..4,
                    columns in 0usize..4, x in float(), y in float()) {
        never_panics("try_one_hot", || try_one_hot::<f32>(&labels, classes).is_ok())?;
        never_panics("try_accuracy", || try_accuracy(&predicted, &labels).is_ok())?;
        never_panics("ConfusionMatrix::try_new", || ConfusionMatrix::try_new(&predicted, &labels, classes).is_ok())?;
        let scores = Tensor::<f64>::full([rows, columns], x);
        never_panics("try_classes_of", || try_classes_of(&scores).is_ok())?;
        let tape = Tape::new();
        let logits = tape.tensor(scores.clone());
        never_panics("try_cross_entropy", || try_cross_entropy(logits, &labels).map(|l| l.value()).is_ok())?;
        never_panics("try_nll", || try_nll(logits, &labels).map(|l| l.value()).is_ok())?;
        let mut grads = vec![Tensor::<f64>::full([columns], x), Tensor::full([rows], y)];
        never_panics("try_clip_grad_norm", || try_clip_grad_norm(&mut grads, y).is_ok())?;
        let targets = Tensor::<f64>::full([rows], y);
        never_panics("Dataset::classification", || Dataset::classification(scores.clone(), targets.clone(), classes).map(|d| d.len()).is_ok())?;
    }
}
