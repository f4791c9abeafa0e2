//! Pooling over windows of images `[N, C, H, W]`, composed from recorded primitives like the
//! convolution: `unfold` gives each window's elements as a column, a reduction over them
//! (`max_axes` or `mean_axes`) pools. The reverse rules are the primitives': max pooling's
//! gradient goes to the maximum of each window (`max_axes`'s rule), average pooling's is
//! spread evenly (`mean_axes`'s, then `fold`).

use super::TensorVar;
use crate::dtype::Float;
use crate::error::{Error, Result};
use crate::tensor::window::image_dims;
use crate::tensor::{Tensor, Window2d};

impl<'t, F: Float> TensorVar<'t, F> {
    /// The largest element of each position of `window` over images `[N, C, H, W]`:
    /// `[N, C, OH, OW]`, PyTorch's `F.max_pool2d(x, kernel, stride, padding, dilation)`
    /// (note that PyTorch's stride defaults to the kernel size: write it). Padding counts
    /// as −∞, so it is never the maximum; it may be at most half the kernel, as in PyTorch.
    /// The gradient goes to each window's maximum; where elements of one window tie, it is
    /// split equally among them (PyTorch gives all of it to the first). NaN propagates.
    ///
    /// ```
    /// use autograd::{Tape, Tensor, Window2d};
    ///
    /// let tape = Tape::new();
    /// let x = tape.tensor(Tensor::<f64>::arange(0.0, 16.0, 1.0).try_reshape([1, 1, 4, 4]).unwrap());
    /// let y = x.try_max_pool2d(Window2d::new([2, 2]).stride([2, 2])).unwrap();
    /// assert_eq!(y.value().to_vec(), vec![5.0, 7.0, 13.0, 15.0]);
    /// // the gradient reaches each window's largest element only
    /// let g = y.sum().backward().wrt(x).to_vec();
    /// assert_eq!((g[5], g[7], g[0], g.iter().sum::<f64>()), (1.0, 1.0, 0.0, 4.0));
    /// assert!(x.try_max_pool2d(Window2d::new([2, 2]).padding([2, 2])).is_err());
    /// ```
    #[track_caller]
    pub fn try_max_pool2d(self, window: Window2d) -> Result<Self> {
        let op = "max_pool2d";
        let [ph, pw] = window.padding;
        if 2 * ph > window.kernel[0] || 2 * pw > window.kernel[1] {
            return Err(Error::InvalidWindow {
                op,
                window: window.to_string(),
                shape: self.shape(),
                reason: "padding may be at most half the kernel".to_string(),
            });
        }
        let input = if ph == 0 && pw == 0 {
            self
        } else {
            self.padded_with_minus_infinity(op, [ph, pw])?
        };
        let unpadded = Window2d {
            padding: [0, 0],
            ..window
        };
        input.pooled(unpadded, |columns| columns.try_max_axes(&[2], false))
    }

    /// The mean of each position of `window` over images `[N, C, H, W]`: `[N, C, OH, OW]`,
    /// PyTorch's `F.avg_pool2d(x, kernel, stride, padding)` with its defaults (padding
    /// counts as zeros in the mean: `count_include_pad`). The gradient is spread evenly over
    /// each window.
    ///
    /// ```
    /// use autograd::{Tape, Tensor, Window2d};
    ///
    /// let tape = Tape::new();
    /// let x = tape.tensor(Tensor::<f64>::arange(0.0, 16.0, 1.0).try_reshape([1, 1, 4, 4]).unwrap());
    /// let y = x.try_avg_pool2d(Window2d::new([2, 2]).stride([2, 2])).unwrap();
    /// assert_eq!(y.value().to_vec(), vec![2.5, 4.5, 10.5, 12.5]);
    /// assert_eq!(y.sum().backward().wrt(x).to_vec(), vec![0.25; 16]);
    /// ```
    #[track_caller]
    pub fn try_avg_pool2d(self, window: Window2d) -> Result<Self> {
        self.pooled(window, |columns| columns.try_mean_axes(&[2], false))
    }

    /// The mean of each channel of images `[N, C, H, W]`: `[N, C, 1, 1]` (global average
    /// pooling, PyTorch's `F.adaptive_avg_pool2d(x, 1)`). An error for another rank.
    ///
    /// ```
    /// use autograd::{Tape, Tensor};
    ///
    /// let tape = Tape::new();
    /// let x = tape.tensor(Tensor::<f64>::arange(0.0, 8.0, 1.0).try_reshape([1, 2, 2, 2]).unwrap());
    /// assert_eq!(x.try_global_avg_pool2d().unwrap().value().to_vec(), vec![1.5, 5.5]);
    /// ```
    #[track_caller]
    pub fn try_global_avg_pool2d(self) -> Result<Self> {
        image_dims("global_avg_pool2d", &self.shape(), "the whole image")?;
        self.try_mean_axes(&[2, 3], true)
    }

    /// `reduce` over the elements of each window (axis 2 of `[N, C, kh · kw, L]`), back in
    /// the images' layout `[N, C, OH, OW]`.
    #[track_caller]
    fn pooled(self, window: Window2d, reduce: impl FnOnce(Self) -> Result<Self>) -> Result<Self> {
        let columns = self.try_unfold(window)?; // [N, C · kh · kw, L] (the rank is checked)
        let dims = self.dims();
        let (n, c) = (dims[0], dims[1]);
        let [oh, ow] = window.try_output_size([dims[2], dims[3]])?;
        let per_window = window.kernel[0] * window.kernel[1];
        let columns = columns.try_reshape([n, c, per_window, oh * ow])?;
        reduce(columns)?.try_reshape([n, c, oh, ow])
    }

    /// The images inside a frame of −∞ (`padding` wide), for max pooling: zeros placed
    /// around them (`pad`), plus a constant that is −∞ on the frame and 0 inside (so the
    /// gradient inside is untouched).
    #[track_caller]
    fn padded_with_minus_infinity(self, op: &'static str, [ph, pw]: [usize; 2]) -> Result<Self> {
        let [_, _, h, w] = image_dims(op, &self.shape(), "a padded window")?;
        let too_large = || Error::InvalidWindow {
            op,
            window: "a padded window".to_string(),
            shape: self.shape(),
            reason: "the padded image does not fit in memory".to_string(),
        };
        let height = ph
            .checked_mul(2)
            .and_then(|p| p.checked_add(h))
            .ok_or_else(too_large)?;
        let width = pw
            .checked_mul(2)
            .and_then(|p| p.checked_add(w))
            .ok_or_else(too_large)?;
        let padded = self.try_pad(2, ph, height)?.try_pad(3, pw, width)?;
        let frame = Tensor::try_from_fn([1, 1, height, width], |i| {
            let inside = (ph..ph + h).contains(&i[2]) && (pw..pw + w).contains(&i[3]);
            if inside {
                F::ZERO
            } else {
                F::from_f64(f64::NEG_INFINITY)
            }
        })?;
        padded.try_add(self.tape.constant_tensor(frame))
    }
}
