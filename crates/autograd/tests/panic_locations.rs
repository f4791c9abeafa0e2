//! Every plain (panicking) form and operator reports the caller's file and line, not a line
//! inside the library: the README promises "panics at your line".
//!
//! A panic hook records the location of each panic on this thread; `panics_here!` runs one
//! call that must panic and checks that the location is this file and the macro's line
//! (rustfmt is told to keep each case on one line, so the call and the macro share it).

use std::cell::RefCell;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;

use autograd::{Gradients, Shape, Tape, Tensor, TensorVar};

thread_local! {
    /// Where the last panic on this thread happened, while a `location_of_panic` waits.
    static LAST: RefCell<Option<Option<(String, u32)>>> = const { RefCell::new(None) };
}

/// Where `f` panicked.
fn location_of_panic(f: impl FnOnce()) -> (String, u32) {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            let here = info.location().map(|l| (l.file().to_string(), l.line()));
            let expected = LAST.with(|last| last.borrow_mut().as_mut().map(|slot| *slot = here));
            // quiet for the panics a case expects; any other (a failed assert) is shown
            if expected.is_none() {
                previous(info);
            }
        }));
    });
    LAST.with(|last| *last.borrow_mut() = Some(None));
    let result = panic::catch_unwind(AssertUnwindSafe(f));
    let seen = LAST.with(|last| last.borrow_mut().take()).flatten();
    assert!(result.is_err(), "expected a panic");
    seen.expect("the hook saw the panic's location")
}

macro_rules! panics_here {
    ($call:expr) => {{
        let line = line!();
        let (file, at) = location_of_panic(|| {
            let _ = $call;
        });
        assert!(
            file.ends_with("panic_locations.rs") && at == line,
            "`{}` panicked at {file}:{at}, not at this file's line {line}",
            stringify!($call)
        );
    }};
}

fn leaf<'t>(tape: &'t Tape, dims: &[usize]) -> TensorVar<'t, f64> {
    tape.tensor(Tensor::ones(dims))
}

#[rustfmt::skip]
#[test]
fn tensor_var_methods_panic_at_the_callers_line() {
    let tape = Tape::new();
    let (a, b, v) = (leaf(&tape, &[2, 3]), leaf(&tape, &[4, 5]), leaf(&tape, &[7]));
    let empty = leaf(&tape, &[0, 3]);
    panics_here!(a.matmul(b));
    panics_here!(a.matmul_transposed(b, true, false));
    panics_here!(a.matvec(v));
    panics_here!(a.outer(v));
    panics_here!(a.reshape([5]));
    panics_here!(a.broadcast_to([4]));
    panics_here!(a.sum_to_shape([4]));
    panics_here!(a.permute(&[0, 0]));
    panics_here!(a.flip(&[0, 0]));
    panics_here!(a.unfold(autograd::Window2d::new([2, 2])));
    panics_here!(a.fold(autograd::Window2d::new([2, 2]), [3, 3]));
    panics_here!(a.unfold_batched(autograd::Window2d::new([2, 2])));
    panics_here!(a.fold_batched(autograd::Window2d::new([2, 2]), [3, 3]));
    panics_here!(a.conv2d(b, None, autograd::ConvOptions::default()));
    panics_here!(a.max_pool2d(autograd::Window2d::new([2, 2])));
    panics_here!(a.avg_pool2d(autograd::Window2d::new([2, 2])));
    panics_here!(a.global_avg_pool2d());
    panics_here!(v.transpose());
    panics_here!(a.item());
    panics_here!(a.sum_axes(&[2], false));
    panics_here!(a.mean_axes(&[0, 0], false));
    panics_here!(a.max_axes(&[5], false));
    panics_here!(empty.min_axes(&[0], false));
    panics_here!(a.logsumexp(&[3], false));
    panics_here!(empty.argmax(0));
    panics_here!(a.gt(b));
    panics_here!(a.ge(b));
    panics_here!(a.lt(b));
    panics_here!(a.le(b));
    panics_here!(a.eq(b));
    panics_here!(a.select(b, a));
    panics_here!(a.narrow(1, usize::MAX, 2));
    panics_here!(a.pad(1, usize::MAX, 2));
    panics_here!(a.unsqueeze(3));
    panics_here!(a.squeeze(1));
    panics_here!(a.index_select(0, &[2]));
    panics_here!(a.gather(1, &[0, 1], &Shape::from([2, 1, 1])));
    panics_here!(TensorVar::concat(&[a, b], 0));
    panics_here!(TensorVar::stack(&[a, b], 0));
    panics_here!(TensorVar::<f64>::concat(&[], 0));
    panics_here!(a.pow(b));
    panics_here!(a.max(b));
    panics_here!(a.min(b));
    panics_here!(a.xlogy(b));
}

#[rustfmt::skip]
#[test]
fn operators_panic_at_the_callers_line() {
    let tape = Tape::new();
    let other = Tape::new();
    let (a, b) = (leaf(&tape, &[2, 3]), leaf(&tape, &[4]));
    panics_here!(a + b);
    panics_here!(a - b);
    panics_here!(a * b);
    panics_here!(a / b);
    panics_here!({ let mut c = a; c += b; c });
    panics_here!({ let mut c = a; c -= b; c });
    panics_here!({ let mut c = a; c *= b; c });
    panics_here!({ let mut c = a; c /= b; c });
    // a variable of another tape
    let (x, y) = (tape.var(1.0), other.var(2.0));
    panics_here!(x + y);
    panics_here!(x * y);
    panics_here!(x.max(y));
    panics_here!(a + other.tensor(Tensor::<f64>::ones([2, 3])));
    // raw tensors
    let (p, q) = (Tensor::<f64>::ones([2, 3]), Tensor::<f64>::ones([4]));
    panics_here!(&p + &q);
    panics_here!(&p - &q);
    panics_here!(&p * &q);
    panics_here!(&p / &q);
    panics_here!(p.clone() + q.clone());
}

#[rustfmt::skip]
#[test]
fn constructors_and_accessors_panic_at_the_callers_line() {
    use rand::{SeedableRng, rngs::StdRng};
    let mut rng = StdRng::seed_from_u64(0);
    let t = Tensor::<f64>::ones([2, 3]);
    panics_here!(t.at(&[2, 0]));
    panics_here!(Tensor::<f32>::zeros([usize::MAX, 2]));
    panics_here!(Tensor::<f32>::ones([usize::MAX, 2]));
    panics_here!(Tensor::<f32>::full([usize::MAX, 2], 1.0));
    panics_here!(Tensor::<f32>::from_fn([usize::MAX, 2], |_| 1.0));
    panics_here!(Tensor::<f32>::eye(usize::MAX));
    panics_here!(Tensor::<f64>::arange(0.0, f64::NAN, 1.0));
    panics_here!(Tensor::<f64>::linspace(0.0, f64::INFINITY, 3));
    panics_here!(Tensor::<f64>::rand_uniform([2], f64::NAN, 1.0, &mut rng));
    panics_here!(Tensor::<f64>::rand_normal([2], 0.0, -1.0, &mut rng));
}

#[rustfmt::skip]
#[test]
fn backward_and_gradient_lookups_panic_at_the_callers_line() {
    let tape = Tape::new();
    let other = Tape::new();
    let a = leaf(&tape, &[2, 3]);
    let x = other.var(1.0);
    let grads = (a * a).sum().backward();
    panics_here!(grads.wrt(x));
    panics_here!(grads.wrt_all(&[x]));
    panics_here!(Gradients::default().wrt(x));
    panics_here!(a.backward());
    panics_here!(a.backward_graph());
    let graph = (a * a).sum().backward_graph();
    panics_here!(graph.wrt(x));
    panics_here!(graph.wrt_all(&[x]));
}
