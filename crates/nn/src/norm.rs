//! Normalisation layers: [`BatchNorm1d`] and [`BatchNorm2d`] (batch statistics in training,
//! running statistics, kept as buffers, in evaluation) and [`LayerNorm`] (statistics of each
//! sample). Composed from autograd's recorded ops (means, a square root): no backward code,
//! and the variance is the mean of squared deviations from the mean (two passes: no
//! cancellation as in `E[x²] − E[x]²`).

use autograd::{Float, Tensor, TensorVar};

use crate::module::{Bound, Module, ParamId, Parameters};

/// What every batch-norm layer keeps: a scale and shift per channel (trained), and the running
/// mean and variance (buffers: saved, not trained), as PyTorch's `BatchNorm` has them.
#[derive(Debug, Clone, Copy, PartialEq)]
struct BatchStats {
    weight: ParamId,
    bias: ParamId,
    running_mean: ParamId,
    running_var: ParamId,
    channels: usize,
    momentum: f64,
    eps: f64,
}

impl BatchStats {
    #[track_caller]
    fn new<F: Float>(params: &mut Parameters<F>, name: &str, channels: usize) -> Self {
        BatchStats {
            weight: params.add(format!("{name}.weight"), Tensor::ones([channels])),
            bias: params.add(format!("{name}.bias"), Tensor::zeros([channels])),
            running_mean: params
                .add_buffer(format!("{name}.running_mean"), Tensor::zeros([channels])),
            running_var: params.add_buffer(format!("{name}.running_var"), Tensor::ones([channels])),
            channels,
            momentum: 0.1,
            eps: 1e-5,
        }
    }

    /// Normalises `x` per channel (axis 1) over `axes` (every other axis), then scales and
    /// shifts; `shape` is the per-channel statistics' shape for broadcasting
    /// (`[1, C]`, `[1, C, 1]` or `[1, C, 1, 1]`).
    #[track_caller]
    fn forward<'t, F: Float>(
        &self,
        layer: &str,
        p: &Bound<'t, F>,
        x: TensorVar<'t, F>,
        axes: &[usize],
        shape: &[usize],
    ) -> TensorVar<'t, F> {
        assert_eq!(
            x.dims()[1],
            self.channels,
            "{layer}: expects {} channels on axis 1, got shape {}",
            self.channels,
            x.shape()
        );
        let (mean, var) = if p.is_training() {
            let mean = x.mean_axes(axes, true);
            let centred = x - mean;
            let var = (centred * centred).mean_axes(axes, true);
            // the running statistics, as PyTorch keeps them: the variance unbiased
            let count: usize = axes.iter().map(|&a| x.dims()[a]).product();
            let unbiased = count as f64 / (count.max(2) - 1) as f64;
            let m = F::from_f64(self.momentum);
            let keep = F::from_f64(1.0 - self.momentum);
            let flat =
                |t: TensorVar<'t, F>| t.value().try_reshape([self.channels]).expect("per channel");
            let running_mean = p.get(self.running_mean).value() * keep + flat(mean) * m;
            let running_var =
                p.get(self.running_var).value() * keep + flat(var) * F::from_f64(unbiased) * m;
            p.set_buffer(self.running_mean, running_mean)
                .expect("a buffer of its shape");
            p.set_buffer(self.running_var, running_var)
                .expect("a buffer of its shape");
            (mean, var)
        } else {
            (
                p.get(self.running_mean).reshape(shape),
                p.get(self.running_var).reshape(shape),
            )
        };
        let normalised = (x - mean) / (var + self.eps).sqrt();
        normalised * p.get(self.weight).reshape(shape) + p.get(self.bias).reshape(shape)
    }

    fn param_count<F: Float>(&self, params: &Parameters<F>) -> usize {
        params.get(self.weight).numel() + params.get(self.bias).numel()
    }
}

/// Batch normalisation of `[N, C]` or `[N, C, L]` (PyTorch's `nn.BatchNorm1d`): in training,
/// each channel normalised by its mean and variance over the batch (and `L`), then scaled
/// and shifted by trained `weight` and `bias`, and the running statistics updated
/// (`momentum` 0.1); in evaluation, the running statistics instead. `eps` 1e-5. The running
/// mean and variance are buffers, saved with the weights as `{name}.running_mean` and
/// `{name}.running_var` (PyTorch's names; its `num_batches_tracked` is not kept).
///
/// ```
/// use autograd::{Tape, Tensor};
/// use nn::{BatchNorm1d, Mode, Module, Parameters};
/// let mut params = Parameters::<f64>::new();
/// let bn = BatchNorm1d::new(&mut params, "bn", 2);
/// let x = Tensor::from_vec(vec![1.0, 10.0, 3.0, 30.0], [2, 2]).unwrap();
/// let tape = Tape::new();
/// let p = params.record(&tape); // training mode
/// let y = bn.forward(&p, tape.constant_tensor(x.clone()));
/// // each column normalised over the batch: (1, 3) and (10, 30) both become (−1, 1)
/// let y = y.value().to_vec();
/// assert!((y[0] + 1.0).abs() < 1e-4 && (y[3] - 1.0).abs() < 1e-4);
/// params.update_buffers(&p).unwrap();
/// let at = params.names().iter().position(|n| n == "bn.running_mean").unwrap();
/// let running = params.tensors()[at].to_vec(); // 0.9 · 0 + 0.1 · (2, 20)
/// assert!((running[0] - 0.2).abs() < 1e-12 && (running[1] - 2.0).abs() < 1e-12);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BatchNorm1d(BatchStats);

impl BatchNorm1d {
    /// A layer over `channels` features: weight ones, bias zeros, running mean zeros and
    /// running variance ones (PyTorch's start).
    ///
    /// ```
    /// let mut params = nn::Parameters::<f32>::new();
    /// nn::BatchNorm1d::new(&mut params, "bn", 3);
    /// assert_eq!(params.names(), ["bn.weight", "bn.bias", "bn.running_mean", "bn.running_var"]);
    /// assert_eq!(params.trainable_count(), 6); // weight and bias, 3 each; not the buffers
    /// ```
    #[track_caller]
    pub fn new<F: Float>(params: &mut Parameters<F>, name: &str, channels: usize) -> Self {
        BatchNorm1d(BatchStats::new(params, name, channels))
    }

    /// The ids of the trained `weight` and `bias` and of the `running_mean` and
    /// `running_var` buffers, in that order.
    ///
    /// ```
    /// let mut params = nn::Parameters::<f64>::new();
    /// let bn = nn::BatchNorm1d::new(&mut params, "bn", 2);
    /// let [weight, _, _, running_var] = bn.ids();
    /// assert_eq!((params.get(weight).to_vec(), params.is_trainable(running_var)), (vec![1.0, 1.0], false));
    /// ```
    pub fn ids(&self) -> [ParamId; 4] {
        let s = &self.0;
        [s.weight, s.bias, s.running_mean, s.running_var]
    }
}

impl<F: Float> Module<F> for BatchNorm1d {
    /// # Panics
    /// For an input that is not `[N, C]` or `[N, C, L]` with its channel count.
    #[track_caller]
    fn forward<'t>(&self, p: &Bound<'t, F>, x: TensorVar<'t, F>) -> TensorVar<'t, F> {
        let c = self.0.channels;
        match x.dims().len() {
            2 => self.0.forward("BatchNorm1d", p, x, &[0], &[1, c]),
            3 => self.0.forward("BatchNorm1d", p, x, &[0, 2], &[1, c, 1]),
            _ => panic!(
                "BatchNorm1d: expects [N, C] or [N, C, L], got {}",
                x.shape()
            ),
        }
    }

    fn param_count(&self, params: &Parameters<F>) -> Option<usize> {
        Some(self.0.param_count(params))
    }
}

/// Batch normalisation of images `[N, C, H, W]` (PyTorch's `nn.BatchNorm2d`): as
/// [`BatchNorm1d`], each channel's statistics over the batch and both spatial axes.
///
/// ```
/// use autograd::{Tape, Tensor};
/// use nn::{BatchNorm2d, Mode, Module, Parameters};
/// let mut params = Parameters::<f64>::new();
/// let bn = BatchNorm2d::new(&mut params, "bn", 3);
/// let tape = Tape::new();
/// let x = tape.constant_tensor(Tensor::ones([2, 3, 4, 4]));
/// // in evaluation, at the start: (x − 0) / √(1 + 1e-5)
/// let y = bn.forward(&params.record_for(&tape, Mode::Eval), x);
/// assert!((y.value().at(&[1, 2, 3, 3]) - 1.0 / (1.0f64 + 1e-5).sqrt()).abs() < 1e-12);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BatchNorm2d(BatchStats);

impl BatchNorm2d {
    /// A layer over `channels` channels (PyTorch's start, as [`BatchNorm1d::new`]).
    ///
    /// ```
    /// let mut params = nn::Parameters::<f32>::new();
    /// nn::BatchNorm2d::new(&mut params, "bn1", 16);
    /// assert_eq!(params.count(), 64);
    /// ```
    #[track_caller]
    pub fn new<F: Float>(params: &mut Parameters<F>, name: &str, channels: usize) -> Self {
        BatchNorm2d(BatchStats::new(params, name, channels))
    }

    /// The ids of the trained `weight` and `bias` and of the `running_mean` and
    /// `running_var` buffers, in that order.
    ///
    /// ```
    /// let mut params = nn::Parameters::<f64>::new();
    /// let bn = nn::BatchNorm2d::new(&mut params, "bn", 2);
    /// let [weight, _, _, running_var] = bn.ids();
    /// assert_eq!((params.get(weight).to_vec(), params.is_trainable(running_var)), (vec![1.0, 1.0], false));
    /// ```
    pub fn ids(&self) -> [ParamId; 4] {
        let s = &self.0;
        [s.weight, s.bias, s.running_mean, s.running_var]
    }
}

impl<F: Float> Module<F> for BatchNorm2d {
    /// # Panics
    /// For an input that is not `[N, C, H, W]` with its channel count.
    #[track_caller]
    fn forward<'t>(&self, p: &Bound<'t, F>, x: TensorVar<'t, F>) -> TensorVar<'t, F> {
        assert_eq!(
            x.dims().len(),
            4,
            "BatchNorm2d: expects [N, C, H, W], got {}",
            x.shape()
        );
        let c = self.0.channels;
        self.0
            .forward("BatchNorm2d", p, x, &[0, 2, 3], &[1, c, 1, 1])
    }

    fn param_count(&self, params: &Parameters<F>) -> Option<usize> {
        Some(self.0.param_count(params))
    }
}

/// Layer normalisation (PyTorch's `nn.LayerNorm(normalized_shape)`): each sample normalised
/// by the mean and variance of its last `normalized_shape.len()` axes, then scaled and shifted
/// elementwise by trained `weight` and `bias` of that shape; the same in training and
/// evaluation. `eps` 1e-5.
///
/// ```
/// use autograd::{Tape, Tensor};
/// use nn::{LayerNorm, Module, Parameters};
/// let mut params = Parameters::<f64>::new();
/// let ln = LayerNorm::new(&mut params, "ln", &[3]);
/// let tape = Tape::new();
/// let x = Tensor::from_vec(vec![1.0, 2.0, 3.0, 10.0, 20.0, 30.0], [2, 3]).unwrap();
/// let y = ln.forward(&params.record(&tape), tape.constant_tensor(x)).value().to_vec();
/// // both rows become the same standardised row
/// assert!((y[0] - y[3]).abs() < 1e-4 && (y[0] + (1.5f64).sqrt()).abs() < 1e-4);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct LayerNorm {
    weight: ParamId,
    bias: ParamId,
    normalized: Vec<usize>,
    eps: f64,
}

impl LayerNorm {
    /// A layer over trailing axes of `normalized_shape`: weight ones, bias zeros.
    ///
    /// ```
    /// let mut params = nn::Parameters::<f32>::new();
    /// nn::LayerNorm::new(&mut params, "ln", &[4, 8]);
    /// assert_eq!(params.names(), ["ln.weight", "ln.bias"]);
    /// assert_eq!(params.count(), 64);
    /// ```
    #[track_caller]
    pub fn new<F: Float>(
        params: &mut Parameters<F>,
        name: &str,
        normalized_shape: &[usize],
    ) -> Self {
        LayerNorm {
            weight: params.add(
                format!("{name}.weight"),
                Tensor::ones(normalized_shape.to_vec()),
            ),
            bias: params.add(
                format!("{name}.bias"),
                Tensor::zeros(normalized_shape.to_vec()),
            ),
            normalized: normalized_shape.to_vec(),
            eps: 1e-5,
        }
    }

    /// The ids of the trained `weight` and `bias`.
    ///
    /// ```
    /// let mut params = nn::Parameters::<f64>::new();
    /// let [weight, bias] = nn::LayerNorm::new(&mut params, "ln", &[3]).ids();
    /// assert_eq!((params.get(weight).to_vec(), params.get(bias).to_vec()), (vec![1.0; 3], vec![0.0; 3]));
    /// ```
    pub fn ids(&self) -> [ParamId; 2] {
        [self.weight, self.bias]
    }
}

impl<F: Float> Module<F> for LayerNorm {
    /// # Panics
    /// If the input's trailing axes are not `normalized_shape`.
    #[track_caller]
    fn forward<'t>(&self, p: &Bound<'t, F>, x: TensorVar<'t, F>) -> TensorVar<'t, F> {
        let dims = x.dims();
        let k = self.normalized.len();
        assert!(
            dims.len() >= k && dims[dims.len() - k..] == self.normalized[..],
            "LayerNorm: expects trailing axes {:?}, got shape {}",
            self.normalized,
            x.shape()
        );
        let axes: Vec<usize> = (dims.len() - k..dims.len()).collect();
        let mean = x.mean_axes(&axes, true);
        let centred = x - mean;
        let var = (centred * centred).mean_axes(&axes, true);
        let normalised = centred / (var + self.eps).sqrt();
        normalised * p.get(self.weight) + p.get(self.bias)
    }

    fn param_count(&self, params: &Parameters<F>) -> Option<usize> {
        Some(params.get(self.weight).numel() + params.get(self.bias).numel())
    }
}
