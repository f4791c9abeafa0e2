//! Convolutions, composed from recorded primitives: `unfold_batched` (the batch's windows
//! as the columns of one matrix), a matrix product with the weight, a broadcast bias and a
//! permutation back to images. Nothing here has a
//! backward rule of its own: the gradients for input, weight and bias (and the second order,
//! and forward mode) come from `unfold`'s, `matmul`'s and `add`'s rules, and the input's
//! gradient is a transposed convolution (`fold` of `Wᵀ · g`) without being written as one.

use super::TensorVar;
use crate::dtype::Float;
use crate::error::{Error, Result};
use crate::tensor::ConvOptions;

impl<'t, F: Float> TensorVar<'t, F> {
    /// The 2-d convolution (cross-correlation, as in every deep-learning library) of images
    /// `[N, C, H, W]` with a `weight` `[O, C / groups, kh, kw]`, plus a `bias` `[O]` if given:
    /// `[N, O, OH, OW]`, PyTorch's `F.conv2d(x, weight, bias, stride, padding, dilation,
    /// groups)`. Lowered to one GEMM over the batch through `unfold_batched` (im2col).
    /// Errors name the shapes: a
    /// weight whose channels do not match the input's (per group), groups that do not divide
    /// both channel counts, a bias of the wrong length, a kernel that does not fit.
    ///
    /// ```
    /// use autograd::{ConvOptions, Tape, Tensor};
    ///
    /// let tape = Tape::new();
    /// let x = tape.tensor(Tensor::<f64>::ones([1, 1, 4, 4]));
    /// let w = tape.tensor(Tensor::<f64>::ones([2, 1, 3, 3]));
    /// let b = tape.tensor(Tensor::<f64>::from_vec(vec![0.0, 1.0], [2]).unwrap());
    /// let y = x.try_conv2d(w, Some(b), ConvOptions::default().padding([1, 1])).unwrap();
    /// assert_eq!(y.dims(), &[1, 2, 4, 4]);
    /// assert_eq!(y.value().at(&[0, 0, 1, 1]), 9.0); // a full 3×3 window of ones
    /// assert_eq!(y.value().at(&[0, 1, 0, 0]), 5.0); // a corner: 4 ones, plus the bias 1
    /// let grads = y.sum().backward();
    /// assert_eq!(grads.wrt(b).to_vec(), vec![16.0, 16.0]); // one per output position
    /// let bad = tape.tensor(Tensor::<f64>::ones([2, 3, 3, 3]));
    /// assert!(x.try_conv2d(bad, None, ConvOptions::default()).is_err()); // 3 channels, not 1
    /// ```
    #[track_caller]
    pub fn try_conv2d(
        self,
        weight: TensorVar<'t, F>,
        bias: Option<TensorVar<'t, F>>,
        options: ConvOptions,
    ) -> Result<Self> {
        let op = "conv2d";
        let mismatch = |rhs: crate::Shape| Error::ShapeMismatch {
            op,
            lhs: self.shape(),
            rhs,
        };
        let (x_dims, w_dims) = (self.dims(), weight.dims());
        let (&[n, c, _, _], &[o, per_group, kh, kw]) = (x_dims.as_slice(), w_dims.as_slice())
        else {
            return Err(mismatch(weight.shape()));
        };
        let groups = options.groups;
        if groups == 0 || c % groups != 0 || o % groups != 0 {
            return Err(Error::InvalidArgument {
                op,
                name: "groups",
                value: groups as f64,
                expected: "at least 1 and a divisor of both channel counts",
            });
        }
        if per_group != c / groups {
            return Err(mismatch(weight.shape()));
        }
        if let Some(b) = bias
            && b.dims() != [o]
        {
            return Err(mismatch(b.shape()));
        }
        let window = options.window([kh, kw]);
        let [oh, ow] = window.output_size(op, [x_dims[2], x_dims[3]], &self.shape())?;
        // every image's windows as the columns of one matrix, [C · kh · kw, N · L], so that
        // the weight meets the whole batch in one product (and its gradient, a sum over the
        // batch, is one product too, not N of them and a sum)
        let cols = self.try_unfold_batched(window)?;
        let columns = n * oh * ow;
        let k = per_group * kh * kw;
        let out = if groups == 1 {
            // [O, K] · [K, N · L] → [O, N · L]
            let cols = cols.try_reshape([k, columns])?;
            weight.try_reshape([o, k])?.try_matmul(cols)?
        } else {
            // block j of the rows (channels j·C/g ..) meets block j of the weight:
            // [g, O/g, K] · [g, K, N · L] → [g, O/g, N · L]
            let cols = cols.try_reshape([groups, k, columns])?;
            weight
                .try_reshape([groups, o / groups, k])?
                .try_matmul(cols)?
        };
        // the bias on the channel-major product (its gradient: a sum of contiguous rows)
        let out = out.try_reshape([o, n, oh * ow])?;
        let out = match bias {
            Some(b) => out + b.try_reshape([o, 1, 1])?,
            None => out,
        };
        out.try_permute(&[1, 0, 2])?.try_reshape([n, o, oh, ow])
    }

    /// The 1-d convolution of sequences `[N, C, L]` with a `weight` `[O, C / groups, k]`,
    /// plus a `bias` `[O]` if given: `[N, O, OL]`, PyTorch's `F.conv1d`. `options` slide the
    /// kernel along the width: its stride, padding and dilation are their second entries
    /// (`ConvOptions::default().stride([1, 2])` is a stride of 2; the first entries must be
    /// 1, 0 and 1). The 2-d convolution of `[N, C, 1, L]`, so the same checks and errors.
    ///
    /// ```
    /// use autograd::{ConvOptions, Tape, Tensor};
    ///
    /// let tape = Tape::new();
    /// let x = tape.tensor(Tensor::<f64>::arange(0.0, 6.0, 1.0).try_reshape([1, 1, 6]).unwrap());
    /// let w = tape.tensor(Tensor::<f64>::from_vec(vec![-1.0, 1.0], [1, 1, 2]).unwrap()); // a difference
    /// let y = x.try_conv1d(w, None, ConvOptions::default()).unwrap();
    /// assert_eq!(y.value().to_vec(), vec![1.0; 5]);
    /// let err = x.try_conv1d(w, None, ConvOptions::default().stride([2, 1])).unwrap_err();
    /// assert!(err.to_string().starts_with("conv1d: stride[0] = 2"), "{err}");
    /// assert_eq!(y.sum().backward().wrt(x).to_vec(), vec![-1.0, 0.0, 0.0, 0.0, 0.0, 1.0]);
    /// ```
    #[track_caller]
    pub fn try_conv1d(
        self,
        weight: TensorVar<'t, F>,
        bias: Option<TensorVar<'t, F>>,
        options: ConvOptions,
    ) -> Result<Self> {
        let op = "conv1d";
        for (name, value, neutral) in [
            ("stride[0]", options.stride[0], 1),
            ("padding[0]", options.padding[0], 0),
            ("dilation[0]", options.dilation[0], 1),
        ] {
            if value != neutral {
                return Err(Error::InvalidArgument {
                    op,
                    name,
                    value: value as f64,
                    expected: "neutral (a sequence has no height: the second entries apply)",
                });
            }
        }
        let (x_dims, w_dims) = (self.dims(), weight.dims());
        let (&[n, c, l], &[o, per_group, k]) = (x_dims.as_slice(), w_dims.as_slice()) else {
            return Err(Error::ShapeMismatch {
                op,
                lhs: self.shape(),
                rhs: weight.shape(),
            });
        };
        let y = self.try_reshape([n, c, 1, l])?.try_conv2d(
            weight.try_reshape([o, per_group, 1, k])?,
            bias,
            options,
        )?;
        let out = y.dims()[3];
        y.try_reshape([n, o, out])
    }
}
