//! Convolutional layers: [`Conv2d`], [`Conv1d`], the pooling layers [`MaxPool2d`], [`AvgPool2d`] and
//! [`GlobalAvgPool2d`], and [`Flatten`] between them and the dense layers. Each forward is
//! autograd's recorded op (`conv2d`, `max_pool2d`, ...), itself composed from `unfold` and
//! a matrix product: no backward code here.

use autograd::{ConvOptions, Float, Tensor, TensorVar, Window2d};
use rand::Rng;

use crate::init;
use crate::module::{Bound, Module, ParamId, Parameters};

/// A 2-d convolution layer: images `[N, in_channels, H, W]` to `[N, out_channels, OH, OW]`,
/// with a weight `[out_channels, in_channels / groups, kh, kw]` and a bias `[out_channels]`
/// (PyTorch's `nn.Conv2d`, initialised as PyTorch does).
///
/// ```
/// use autograd::{ConvOptions, Tape, Tensor};
/// use nn::{Conv2d, Module, Parameters};
/// use rand::{SeedableRng, rngs::StdRng};
///
/// let mut params = Parameters::<f32>::new();
/// let conv = Conv2d::new(&mut params, "conv1", 1, 6, [5, 5], ConvOptions::default().padding([2, 2]), &mut StdRng::seed_from_u64(0));
/// assert_eq!(params.names(), ["conv1.weight", "conv1.bias"]);
/// let tape = Tape::new();
/// let y = conv.forward(&params.record(&tape), tape.constant_tensor(Tensor::zeros([4, 1, 28, 28])));
/// assert_eq!(y.dims(), &[4, 6, 28, 28]);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Conv2d {
    weight: ParamId,
    bias: Option<ParamId>,
    options: ConvOptions,
}

impl Conv2d {
    /// A layer with PyTorch's default initialisation (weight and bias uniform in
    /// `±1 / √fan_in`, `fan_in = in_channels / groups · kh · kw`), its parameters added to
    /// `params` as `{name}.weight` and `{name}.bias`.
    ///
    /// # Panics
    /// If `options.groups` is 0 or does not divide both channel counts (the message names
    /// them).
    ///
    /// ```
    /// use autograd::ConvOptions;
    /// use nn::{Conv2d, Parameters};
    /// use rand::{SeedableRng, rngs::StdRng};
    /// let mut params = Parameters::<f64>::new();
    /// let depthwise = Conv2d::new(&mut params, "dw", 8, 8, [3, 3], ConvOptions::default().groups(8), &mut StdRng::seed_from_u64(0));
    /// assert_eq!(params.get(depthwise.weight()).dims(), &[8, 1, 3, 3]);
    /// ```
    #[track_caller]
    pub fn new<F: Float>(
        params: &mut Parameters<F>,
        name: &str,
        in_channels: usize,
        out_channels: usize,
        kernel: [usize; 2],
        options: ConvOptions,
        rng: &mut impl Rng,
    ) -> Self {
        let groups = options.groups;
        assert!(
            groups > 0 && in_channels.is_multiple_of(groups) && out_channels.is_multiple_of(groups),
            "Conv2d::new: groups = {groups} must divide both channel counts \
             ({in_channels} in, {out_channels} out)"
        );
        let per_group = in_channels / groups;
        let fan_in = per_group * kernel[0] * kernel[1];
        let shape = [out_channels, per_group, kernel[0], kernel[1]];
        let weight = init::pytorch_uniform(shape, fan_in, rng);
        let bias = init::pytorch_uniform([out_channels], fan_in, rng);
        Self::with_weight(params, name, weight, Some(bias), options)
    }

    /// A layer with the given weight (`[out, in / groups, kh, kw]`) and bias (`[out]`, or
    /// none).
    ///
    /// # Panics
    /// If the weight does not have four axes or the bias's length is not the weight's first.
    ///
    /// ```
    /// use autograd::{ConvOptions, Tensor};
    /// use nn::{Conv2d, Parameters};
    /// let mut params = Parameters::<f64>::new();
    /// let edges = Tensor::from_vec(vec![-1.0, 0.0, 1.0], [1, 1, 1, 3]).unwrap();
    /// let conv = Conv2d::with_weight(&mut params, "edges", edges, None, ConvOptions::default());
    /// assert_eq!((params.names().len(), conv.bias()), (1, None));
    /// ```
    #[track_caller]
    pub fn with_weight<F: Float>(
        params: &mut Parameters<F>,
        name: &str,
        weight: Tensor<F>,
        bias: Option<Tensor<F>>,
        options: ConvOptions,
    ) -> Self {
        assert!(
            weight.dims().len() == 4,
            "Conv2d: the weight must be [out, in / groups, kh, kw], got {}",
            weight.shape()
        );
        if let Some(b) = &bias {
            assert!(
                b.dims() == [weight.dims()[0]],
                "Conv2d: the bias must be [{}], got {}",
                weight.dims()[0],
                b.shape()
            );
        }
        let weight = params.add(format!("{name}.weight"), weight);
        let bias = bias.map(|b| params.add(format!("{name}.bias"), b));
        Conv2d {
            weight,
            bias,
            options,
        }
    }

    /// The weight's id in the store.
    ///
    /// ```
    /// # use autograd::ConvOptions;
    /// # use nn::{Conv2d, Parameters};
    /// # use rand::{SeedableRng, rngs::StdRng};
    /// let mut params = Parameters::<f64>::new();
    /// let conv = Conv2d::new(&mut params, "c", 3, 4, [3, 3], ConvOptions::default(), &mut StdRng::seed_from_u64(0));
    /// assert_eq!(params.get(conv.weight()).dims(), &[4, 3, 3, 3]);
    /// ```
    pub fn weight(&self) -> ParamId {
        self.weight
    }

    /// The bias's id in the store, if the layer has one.
    ///
    /// ```
    /// # use autograd::ConvOptions;
    /// # use nn::{Conv2d, Parameters};
    /// # use rand::{SeedableRng, rngs::StdRng};
    /// let mut params = Parameters::<f64>::new();
    /// let conv = Conv2d::new(&mut params, "c", 3, 4, [3, 3], ConvOptions::default(), &mut StdRng::seed_from_u64(0));
    /// assert_eq!(params.get(conv.bias().unwrap()).dims(), &[4]);
    /// ```
    pub fn bias(&self) -> Option<ParamId> {
        self.bias
    }

    /// How the kernel slides.
    ///
    /// ```
    /// # use autograd::ConvOptions;
    /// # use nn::{Conv2d, Parameters};
    /// # use rand::{SeedableRng, rngs::StdRng};
    /// let options = ConvOptions::default().stride([2, 2]);
    /// let conv = Conv2d::new(&mut Parameters::<f64>::new(), "c", 1, 1, [3, 3], options, &mut StdRng::seed_from_u64(0));
    /// assert_eq!(conv.options(), options);
    /// ```
    pub fn options(&self) -> ConvOptions {
        self.options
    }
}

impl<F: Float> Module<F> for Conv2d {
    /// `[N, in, H, W]` to `[N, out, OH, OW]`.
    #[track_caller]
    fn forward<'t>(&self, params: &Bound<'t, F>, x: TensorVar<'t, F>) -> TensorVar<'t, F> {
        let bias = self.bias.map(|b| params.get(b));
        x.conv2d(params.get(self.weight), bias, self.options)
    }

    fn param_count(&self, params: &Parameters<F>) -> Option<usize> {
        let bias = self.bias.map_or(0, |b| params.get(b).numel());
        Some(params.get(self.weight).numel() + bias)
    }
}

/// A 1-d convolution layer: sequences `[N, in_channels, L]` to `[N, out_channels, OL]`, with
/// a weight `[out_channels, in_channels / groups, k]` and a bias `[out_channels]` (PyTorch's
/// `nn.Conv1d`, initialised as PyTorch does). `options` act along the sequence through their
/// second entries (`ConvOptions::default().stride([1, 2])`).
///
/// ```
/// use autograd::{ConvOptions, Tape, Tensor};
/// use nn::{Conv1d, Module, Parameters};
/// use rand::{SeedableRng, rngs::StdRng};
///
/// let mut params = Parameters::<f32>::new();
/// let conv = Conv1d::new(&mut params, "conv", 4, 8, 3, ConvOptions::default().padding([0, 1]), &mut StdRng::seed_from_u64(0));
/// let tape = Tape::new();
/// let y = conv.forward(&params.record(&tape), tape.constant_tensor(Tensor::zeros([2, 4, 50])));
/// assert_eq!(y.dims(), &[2, 8, 50]);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Conv1d {
    weight: ParamId,
    bias: ParamId,
    options: ConvOptions,
}

impl Conv1d {
    /// A layer with PyTorch's default initialisation (uniform in `±1 / √fan_in`, `fan_in =
    /// in_channels / groups · kernel`), as `{name}.weight` and `{name}.bias`.
    ///
    /// # Panics
    /// If `options.groups` is 0 or does not divide both channel counts.
    ///
    /// ```
    /// use autograd::ConvOptions;
    /// use nn::{Conv1d, Parameters};
    /// use rand::{SeedableRng, rngs::StdRng};
    /// let mut params = Parameters::<f64>::new();
    /// let conv = Conv1d::new(&mut params, "c", 6, 4, 5, ConvOptions::default().groups(2), &mut StdRng::seed_from_u64(0));
    /// assert_eq!(params.get(conv.weight()).dims(), &[4, 3, 5]);
    /// ```
    #[track_caller]
    pub fn new<F: Float>(
        params: &mut Parameters<F>,
        name: &str,
        in_channels: usize,
        out_channels: usize,
        kernel: usize,
        options: ConvOptions,
        rng: &mut impl Rng,
    ) -> Self {
        let groups = options.groups;
        assert!(
            groups > 0 && in_channels.is_multiple_of(groups) && out_channels.is_multiple_of(groups),
            "Conv1d::new: groups = {groups} must divide both channel counts \
             ({in_channels} in, {out_channels} out)"
        );
        let per_group = in_channels / groups;
        let fan_in = per_group * kernel;
        let weight = init::pytorch_uniform([out_channels, per_group, kernel], fan_in, rng);
        let bias = init::pytorch_uniform([out_channels], fan_in, rng);
        Conv1d {
            weight: params.add(format!("{name}.weight"), weight),
            bias: params.add(format!("{name}.bias"), bias),
            options,
        }
    }

    /// The weight's id in the store.
    ///
    /// ```
    /// # use autograd::ConvOptions;
    /// # use nn::{Conv1d, Parameters};
    /// # use rand::{SeedableRng, rngs::StdRng};
    /// let mut params = Parameters::<f64>::new();
    /// let conv = Conv1d::new(&mut params, "c", 1, 2, 3, ConvOptions::default(), &mut StdRng::seed_from_u64(0));
    /// assert_eq!(params.name(conv.weight()), "c.weight");
    /// ```
    pub fn weight(&self) -> ParamId {
        self.weight
    }

    /// The bias's id in the store.
    ///
    /// ```
    /// # use autograd::ConvOptions;
    /// # use nn::{Conv1d, Parameters};
    /// # use rand::{SeedableRng, rngs::StdRng};
    /// let mut params = Parameters::<f64>::new();
    /// let conv = Conv1d::new(&mut params, "c", 1, 2, 3, ConvOptions::default(), &mut StdRng::seed_from_u64(0));
    /// assert_eq!(params.get(conv.bias()).dims(), &[2]);
    /// ```
    pub fn bias(&self) -> ParamId {
        self.bias
    }
}

impl<F: Float> Module<F> for Conv1d {
    /// `[N, in, L]` to `[N, out, OL]`.
    #[track_caller]
    fn forward<'t>(&self, params: &Bound<'t, F>, x: TensorVar<'t, F>) -> TensorVar<'t, F> {
        x.conv1d(
            params.get(self.weight),
            Some(params.get(self.bias)),
            self.options,
        )
    }

    fn param_count(&self, params: &Parameters<F>) -> Option<usize> {
        Some(params.get(self.weight).numel() + params.get(self.bias).numel())
    }
}

/// Max pooling over a window (PyTorch's `nn.MaxPool2d`): `[N, C, H, W]` to `[N, C, OH, OW]`.
///
/// ```
/// use autograd::{Tape, Tensor};
/// use nn::{MaxPool2d, Module, Parameters};
/// let pool = MaxPool2d::new([2, 2]); // stride 2, as PyTorch's default
/// let params = Parameters::<f64>::new();
/// let tape = Tape::new();
/// let y = pool.forward(&params.record(&tape), tape.constant_tensor(Tensor::ones([1, 3, 28, 28])));
/// assert_eq!(y.dims(), &[1, 3, 14, 14]);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MaxPool2d(pub Window2d);

impl MaxPool2d {
    /// A `kernel`-sized window with the stride equal to the kernel (PyTorch's default).
    ///
    /// ```
    /// assert_eq!(nn::MaxPool2d::new([3, 3]).0.stride, [3, 3]);
    /// ```
    pub fn new(kernel: [usize; 2]) -> Self {
        MaxPool2d(Window2d::new(kernel).stride(kernel))
    }
}

impl<F: Float> Module<F> for MaxPool2d {
    #[track_caller]
    fn forward<'t>(&self, _: &Bound<'t, F>, x: TensorVar<'t, F>) -> TensorVar<'t, F> {
        x.max_pool2d(self.0)
    }

    fn param_count(&self, _: &Parameters<F>) -> Option<usize> {
        Some(0)
    }
}

/// Average pooling over a window (PyTorch's `nn.AvgPool2d`, padding counted as zeros).
///
/// ```
/// use autograd::{Tape, Tensor};
/// use nn::{AvgPool2d, Module, Parameters};
/// let params = Parameters::<f64>::new();
/// let tape = Tape::new();
/// let y = AvgPool2d::new([2, 2]).forward(&params.record(&tape), tape.constant_tensor(Tensor::ones([1, 1, 4, 4])));
/// assert_eq!(y.value().to_vec(), vec![1.0; 4]);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AvgPool2d(pub Window2d);

impl AvgPool2d {
    /// A `kernel`-sized window with the stride equal to the kernel (PyTorch's default).
    ///
    /// ```
    /// assert_eq!(nn::AvgPool2d::new([2, 2]).0.stride, [2, 2]);
    /// ```
    pub fn new(kernel: [usize; 2]) -> Self {
        AvgPool2d(Window2d::new(kernel).stride(kernel))
    }
}

impl<F: Float> Module<F> for AvgPool2d {
    #[track_caller]
    fn forward<'t>(&self, _: &Bound<'t, F>, x: TensorVar<'t, F>) -> TensorVar<'t, F> {
        x.avg_pool2d(self.0)
    }

    fn param_count(&self, _: &Parameters<F>) -> Option<usize> {
        Some(0)
    }
}

/// The mean of each channel (`nn.AdaptiveAvgPool2d(1)`): `[N, C, H, W]` to `[N, C, 1, 1]`.
///
/// ```
/// use autograd::{Tape, Tensor};
/// use nn::{GlobalAvgPool2d, Module, Parameters};
/// let params = Parameters::<f64>::new();
/// let tape = Tape::new();
/// let y = GlobalAvgPool2d.forward(&params.record(&tape), tape.constant_tensor(Tensor::ones([2, 5, 7, 7])));
/// assert_eq!(y.dims(), &[2, 5, 1, 1]);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GlobalAvgPool2d;

impl<F: Float> Module<F> for GlobalAvgPool2d {
    #[track_caller]
    fn forward<'t>(&self, _: &Bound<'t, F>, x: TensorVar<'t, F>) -> TensorVar<'t, F> {
        x.global_avg_pool2d()
    }

    fn param_count(&self, _: &Parameters<F>) -> Option<usize> {
        Some(0)
    }
}

/// Every axis after the first joined into one (`nn.Flatten`): `[N, C, H, W]` to
/// `[N, C · H · W]`, between convolutions and dense layers.
///
/// ```
/// use autograd::{Tape, Tensor};
/// use nn::{Flatten, Module, Parameters};
/// let params = Parameters::<f64>::new();
/// let tape = Tape::new();
/// let y = Flatten.forward(&params.record(&tape), tape.constant_tensor(Tensor::ones([4, 16, 5, 5])));
/// assert_eq!(y.dims(), &[4, 400]);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Flatten;

impl<F: Float> Module<F> for Flatten {
    /// # Panics
    /// For a 0-d input (there is no sample axis).
    #[track_caller]
    fn forward<'t>(&self, _: &Bound<'t, F>, x: TensorVar<'t, F>) -> TensorVar<'t, F> {
        let dims = x.dims();
        assert!(
            !dims.is_empty(),
            "Flatten: needs a sample axis, got a 0-d tensor"
        );
        let rest: usize = dims[1..].iter().product();
        x.reshape([dims[0], rest])
    }

    fn param_count(&self, _: &Parameters<F>) -> Option<usize> {
        Some(0)
    }
}
