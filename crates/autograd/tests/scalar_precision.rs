//! Numbers of the tensor's precision: `w_f32 * lr_f32` compiles and means what it says, for
//! tensors, tensor variables and scalar variables, with each operator and its assigning form;
//! an `f64` operand and a bare literal still work (a literal is `f64` unless the code says
//! otherwise, and `(w * 2.0).value()` still needs no annotation).

use autograd::{Tape, Tensor};

#[test]
fn f32_and_f64_numbers_combine_with_f32_tensors_to_the_same_values() {
    let lr: f32 = 0.1;
    let w = Tensor::<f32>::from_vec(vec![1.0, -2.0, 4.0], [3]).unwrap();
    for (ours, by_f64) in [
        (&w * lr, &w * f64::from(lr)),
        (&w + lr, &w + f64::from(lr)),
        (&w - lr, &w - f64::from(lr)),
        (&w / lr, &w / f64::from(lr)),
    ] {
        assert_eq!(ours, by_f64);
    }
    let tape = Tape::new();
    let v = tape.tensor(w.clone());
    let step = v * lr; // the line the issue asked for
    assert_eq!(step.value().to_vec(), vec![0.1, -0.2, 0.4]);
    let mut acc = v;
    acc *= lr;
    acc += 1.0f32;
    acc -= 0.5; // a literal: f64 by default
    acc /= 2.0f64;
    let expected: Vec<f32> = w
        .as_slice()
        .iter()
        .map(|&x| (x * lr + 1.0 - 0.5) / 2.0)
        .collect();
    assert_eq!(acc.value().to_vec(), expected);
    // the gradient of the scaled variable
    let grads = (v * lr).sum().backward();
    assert_eq!(grads.wrt(v).to_vec(), vec![lr; 3]);
    // literals still infer with no annotation, methods chained on the result
    assert_eq!((v * 2.0).value().to_vec(), vec![2.0, -4.0, 8.0]);
    assert_eq!((2.0 * v).sum().value().item().unwrap(), 6.0);
}

#[test]
fn scalar_variables_take_f32_numbers_too() {
    let tape = Tape::new();
    let x = tape.var(3.0);
    let lr: f32 = 0.5;
    let y = x * lr - lr;
    assert_eq!(y.value(), 1.0);
    assert_eq!(y.backward().wrt(x), 0.5);
    let mut z = x;
    z *= lr;
    assert_eq!(z.value(), 1.5);
    assert_eq!((x * 2.0).exp().value(), 6f64.exp());
}
