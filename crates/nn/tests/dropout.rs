//! Dropout: inverted (the expectation is the input), the identity in evaluation, seeded (the
//! same seed drops the same elements, each training pass draws a new mask), its gradient the
//! mask it applied.

use autograd::{Tape, Tensor};
use nn::{Dropout, Mode, Module, Parameters};

fn pass(dropout: &Dropout, x: &Tensor<f64>, mode: Mode) -> (Vec<f64>, Vec<f64>) {
    let params = Parameters::<f64>::new();
    let tape = Tape::new();
    let v = tape.tensor(x.clone());
    let y = dropout.forward(&params.record_for(&tape, mode), v);
    let grad = y.sum().backward().wrt(v).to_vec();
    (y.value().to_vec(), grad)
}

#[test]
fn the_expectation_is_the_input_and_the_gradient_is_the_mask() {
    let x = Tensor::<f64>::from_fn([200, 500], |i| 1.0 + (i[1] % 7) as f64);
    for p in [0.1, 0.5, 0.9] {
        let dropout = Dropout::new(p, 42);
        let (y, grad) = pass(&dropout, &x, Mode::Train);
        let scale = 1.0 / (1.0 - p);
        let mut dropped = 0;
        for ((&yi, &gi), &xi) in y.iter().zip(&grad).zip(x.as_slice()) {
            if yi == 0.0 {
                dropped += 1;
                assert_eq!(gi, 0.0);
            } else {
                assert!((yi - xi * scale).abs() < 1e-12 && (gi - scale).abs() < 1e-12);
            }
        }
        // 100,000 draws: the dropped share within 4 standard deviations of p
        let n = y.len() as f64;
        let share = dropped as f64 / n;
        assert!(
            (share - p).abs() < 4.0 * (p * (1.0 - p) / n).sqrt(),
            "p = {p}: dropped {share}"
        );
        // the mean of y over the mean of x: 1 within the same noise
        let ratio = y.iter().sum::<f64>() / x.as_slice().iter().sum::<f64>();
        assert!(
            (ratio - 1.0).abs() < 0.02 * scale,
            "p = {p}: E[y] / E[x] = {ratio}"
        );
    }
}

#[test]
fn evaluation_is_the_identity_and_masks_are_seeded() {
    let x = Tensor::<f64>::ones([64]);
    let a = Dropout::new(0.5, 1);
    assert_eq!(pass(&a, &x, Mode::Eval), (vec![1.0; 64], vec![1.0; 64]));
    let (first, _) = pass(&a, &x, Mode::Train);
    let (second, _) = pass(&a, &x, Mode::Train);
    assert_ne!(first, second, "each training pass draws a new mask");
    let b = Dropout::new(0.5, 1);
    assert_eq!(
        pass(&b, &x, Mode::Train).0,
        first,
        "the same seed, the same first mask"
    );
    let c = Dropout::new(0.5, 2);
    assert_ne!(pass(&c, &x, Mode::Train).0, first);
}

#[test]
#[should_panic(expected = "p = 1, but it must be in [0, 1)")]
fn a_probability_of_one_is_refused() {
    let _ = Dropout::new(1.0, 0);
}
