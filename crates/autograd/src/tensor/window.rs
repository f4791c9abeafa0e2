//! Sliding windows over the two spatial axes of a batch of images, `[N, C, H, W]`: the
//! [`Window2d`] (kernel, stride, zero padding, dilation, as PyTorch names them) and the two
//! kernels every convolution and pooling layer is built from, [`Tensor::try_unfold`]
//! (im2col: each window's elements as a column) and its adjoint [`Tensor::try_fold`]
//! (col2im: columns summed back into place), as PyTorch's `F.unfold` and `F.fold`.
//!
//! A convolution is then a matrix product with the unfolded input, and its gradients are a
//! product and a fold: no convolution-specific backward code (`docs/ARCHITECTURE.md`).

use std::fmt;

use super::Tensor;
use crate::dtype::Float;
use crate::error::{Error, Result};
use crate::shape::Shape;
use crate::threads;

/// A window sliding over the last two axes of `[N, C, H, W]` images: its `kernel` size, the
/// `stride` between positions, the zero `padding` added on both sides, and the `dilation`
/// (spacing) of its elements; each `[height, width]`. As the arguments of PyTorch's
/// `Conv2d`, `MaxPool2d` and `F.unfold`.
///
/// ```
/// use autograd::Window2d;
///
/// let w = Window2d::new([3, 3]).stride([2, 2]).padding([1, 1]);
/// assert_eq!(w.try_output_size([28, 28]).unwrap(), [14, 14]);
/// assert_eq!(w.to_string(), "kernel 3×3, stride 2×2, padding 1×1, dilation 1×1");
/// assert!(Window2d::new([5, 5]).try_output_size([4, 4]).is_err()); // does not fit
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Window2d {
    /// Height and width of the window.
    pub kernel: [usize; 2],
    /// Steps between window positions (at least 1).
    pub stride: [usize; 2],
    /// Zeros added before and after each spatial axis.
    pub padding: [usize; 2],
    /// Spacing of the window's elements (1: adjacent).
    pub dilation: [usize; 2],
}

impl fmt::Display for Window2d {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let pair = |[a, b]: [usize; 2]| format!("{a}×{b}");
        write!(
            f,
            "kernel {}, stride {}, padding {}, dilation {}",
            pair(self.kernel),
            pair(self.stride),
            pair(self.padding),
            pair(self.dilation)
        )
    }
}

impl Window2d {
    /// A `kernel`-sized window with stride 1, no padding and no dilation.
    ///
    /// ```
    /// let w = autograd::Window2d::new([2, 3]);
    /// assert_eq!((w.stride, w.padding, w.dilation), ([1, 1], [0, 0], [1, 1]));
    /// ```
    pub fn new(kernel: [usize; 2]) -> Self {
        Window2d {
            kernel,
            stride: [1, 1],
            padding: [0, 0],
            dilation: [1, 1],
        }
    }

    /// The same window with another stride.
    ///
    /// ```
    /// assert_eq!(autograd::Window2d::new([2, 2]).stride([2, 1]).stride, [2, 1]);
    /// ```
    pub fn stride(self, stride: [usize; 2]) -> Self {
        Window2d { stride, ..self }
    }

    /// The same window with another zero padding.
    ///
    /// ```
    /// assert_eq!(autograd::Window2d::new([3, 3]).padding([1, 1]).padding, [1, 1]);
    /// ```
    pub fn padding(self, padding: [usize; 2]) -> Self {
        Window2d { padding, ..self }
    }

    /// The same window with another dilation.
    ///
    /// ```
    /// assert_eq!(autograd::Window2d::new([3, 3]).dilation([2, 2]).dilation, [2, 2]);
    /// ```
    pub fn dilation(self, dilation: [usize; 2]) -> Self {
        Window2d { dilation, ..self }
    }

    /// The number of window positions along each axis of an image of `size` (`[H, W]`):
    /// `(H + 2·padding − dilation·(kernel − 1) − 1) / stride + 1`. An error if a kernel,
    /// stride or dilation is 0, or the window is larger than the padded image.
    ///
    /// ```
    /// use autograd::Window2d;
    /// assert_eq!(Window2d::new([3, 3]).dilation([2, 2]).try_output_size([7, 9]).unwrap(), [3, 5]);
    /// let err = Window2d::new([3, 0]).try_output_size([7, 7]).unwrap_err();
    /// assert!(err.to_string().contains("kernel width = 0"), "{err}");
    /// ```
    pub fn try_output_size(&self, size: [usize; 2]) -> Result<[usize; 2]> {
        self.output_size("window", size, &Shape::from(size.to_vec()))
    }

    /// [`try_output_size`](Self::try_output_size) for `op` on an input of `shape`, named in
    /// the error.
    pub(crate) fn output_size(
        &self,
        op: &'static str,
        size: [usize; 2],
        shape: &Shape,
    ) -> Result<[usize; 2]> {
        let mut out = [0; 2];
        for (axis, name) in ["height", "width"].into_iter().enumerate() {
            for (value, what) in [
                (self.kernel[axis], "kernel"),
                (self.stride[axis], "stride"),
                (self.dilation[axis], "dilation"),
            ] {
                if value == 0 {
                    return Err(Error::InvalidWindow {
                        op,
                        window: self.to_string(),
                        shape: shape.clone(),
                        reason: format!("{what} {name} = 0, but it must be at least 1"),
                    });
                }
            }
            let too_large = || Error::InvalidWindow {
                op,
                window: self.to_string(),
                shape: shape.clone(),
                reason: format!("a size does not fit in memory along the {name}"),
            };
            // dilation · (kernel − 1) + 1 elements, against size + 2 · padding
            let span = (self.kernel[axis] - 1)
                .checked_mul(self.dilation[axis])
                .and_then(|s| s.checked_add(1))
                .ok_or_else(too_large)?;
            let padded = self.padding[axis]
                .checked_mul(2)
                .and_then(|p| p.checked_add(size[axis]))
                .ok_or_else(too_large)?;
            if span > padded {
                return Err(Error::InvalidWindow {
                    op,
                    window: self.to_string(),
                    shape: shape.clone(),
                    reason: format!(
                        "the window spans {span} along the {name}, the padded input only {padded}"
                    ),
                });
            }
            out[axis] = (padded - span) / self.stride[axis] + 1;
        }
        Ok(out)
    }

    /// The window and an image size as op parameters (the tape stores a list of numbers).
    pub(crate) fn to_param(self, size: [usize; 2]) -> [usize; 10] {
        let [k, s, p, d] = [self.kernel, self.stride, self.padding, self.dilation];
        [
            k[0], k[1], s[0], s[1], p[0], p[1], d[0], d[1], size[0], size[1],
        ]
    }

    /// The window and image size of [`to_param`](Self::to_param)'s list.
    pub(crate) fn from_param(p: &[usize]) -> (Self, [usize; 2]) {
        let window = Window2d {
            kernel: [p[0], p[1]],
            stride: [p[2], p[3]],
            padding: [p[4], p[5]],
            dilation: [p[6], p[7]],
        };
        (window, [p[8], p[9]])
    }
}

/// How a 2-d convolution slides its kernel (whose size is the weight's): `stride`, zero
/// `padding` and `dilation`, each `[height, width]`, and `groups` (the channels split into
/// that many independent convolutions). PyTorch's `F.conv2d` arguments, with its defaults.
///
/// ```
/// let options = autograd::ConvOptions::default().stride([2, 2]).padding([1, 1]);
/// assert_eq!((options.stride, options.padding, options.dilation, options.groups), ([2, 2], [1, 1], [1, 1], 1));
/// assert_eq!(options.window([3, 3]), autograd::Window2d::new([3, 3]).stride([2, 2]).padding([1, 1]));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ConvOptions {
    /// Steps between kernel positions (at least 1).
    pub stride: [usize; 2],
    /// Zeros added before and after each spatial axis.
    pub padding: [usize; 2],
    /// Spacing of the kernel's elements (1: adjacent).
    pub dilation: [usize; 2],
    /// Channel groups: input and output channels are split into `groups` blocks, block `j`
    /// of the output seeing only block `j` of the input (1: every channel sees every one;
    /// the channel count: a depthwise convolution).
    pub groups: usize,
}

impl Default for ConvOptions {
    fn default() -> Self {
        ConvOptions {
            stride: [1, 1],
            padding: [0, 0],
            dilation: [1, 1],
            groups: 1,
        }
    }
}

impl ConvOptions {
    /// The same options with another stride.
    ///
    /// ```
    /// assert_eq!(autograd::ConvOptions::default().stride([2, 1]).stride, [2, 1]);
    /// ```
    pub fn stride(self, stride: [usize; 2]) -> Self {
        ConvOptions { stride, ..self }
    }

    /// The same options with another zero padding.
    ///
    /// ```
    /// assert_eq!(autograd::ConvOptions::default().padding([1, 1]).padding, [1, 1]);
    /// ```
    pub fn padding(self, padding: [usize; 2]) -> Self {
        ConvOptions { padding, ..self }
    }

    /// The same options with another dilation.
    ///
    /// ```
    /// assert_eq!(autograd::ConvOptions::default().dilation([2, 2]).dilation, [2, 2]);
    /// ```
    pub fn dilation(self, dilation: [usize; 2]) -> Self {
        ConvOptions { dilation, ..self }
    }

    /// The same options with another number of groups.
    ///
    /// ```
    /// assert_eq!(autograd::ConvOptions::default().groups(4).groups, 4);
    /// ```
    pub fn groups(self, groups: usize) -> Self {
        ConvOptions { groups, ..self }
    }

    /// The window of a `kernel`-sized weight slid this way.
    ///
    /// ```
    /// let w = autograd::ConvOptions::default().dilation([2, 2]).window([3, 3]);
    /// assert_eq!((w.kernel, w.dilation), ([3, 3], [2, 2]));
    /// ```
    pub fn window(self, kernel: [usize; 2]) -> Window2d {
        Window2d {
            kernel,
            stride: self.stride,
            padding: self.padding,
            dilation: self.dilation,
        }
    }
}

/// What `unfold` and `fold` compute the indices from: an image's sizes and the window.
struct Plan {
    c: usize,
    size: [usize; 2],
    out: [usize; 2],
    window: Window2d,
}

impl Plan {
    /// Rows of the unfolded matrix: one per channel and window element.
    fn rows(&self) -> usize {
        self.c * self.window.kernel[0] * self.window.kernel[1]
    }

    /// Columns of the unfolded matrix: one per window position.
    fn positions(&self) -> usize {
        self.out[0] * self.out[1]
    }

    /// For one image's channels (`[C, H, W]` at `image`) and its columns (`[C · kh · kw, L]`
    /// at `columns`), `run(pixels, cols)` for every run of window elements that lie inside
    /// the image along one output row: `pixels` the image indices (start, step: the
    /// stride), `cols` the column indices (start), `len` of them. Padding is never visited.
    /// A run is found once per row, not per element: the loops below touch each element
    /// with one addition.
    fn runs(&self, mut run: impl FnMut(usize, usize, usize, usize)) {
        let Window2d {
            kernel: [kh, kw],
            stride: [sh, sw],
            padding: [ph, pw],
            dilation: [dh, dw],
        } = self.window;
        let ([h, w], [oh, ow]) = (self.size, self.out);
        let positions = self.positions();
        for ch in 0..self.c {
            let image = ch * h * w;
            for i in 0..kh {
                for j in 0..kw {
                    let row = (ch * kh + i) * kw + j;
                    // the output columns x whose input column x·sw + j·dw − pw is inside
                    // [0, w): from the first with x·sw ≥ pw − j·dw to the last below w
                    let offset = j * dw; // input column = x·sw + offset − pw
                    let first = pw.saturating_sub(offset).div_ceil(sw);
                    let last = (w + pw).saturating_sub(offset).div_ceil(sw).min(ow); // exclusive
                    if first >= last {
                        continue;
                    }
                    for y in 0..oh {
                        let Some(iy) = (y * sh + i * dh).checked_sub(ph).filter(|&r| r < h) else {
                            continue;
                        };
                        let ix = first * sw + offset - pw;
                        run(
                            image + iy * w + ix,
                            sw,
                            row * positions + y * ow + first,
                            last - first,
                        );
                    }
                }
            }
        }
    }

    /// Elements of one image `[C, H, W]` and of its columns `[C · kh · kw, L]`.
    fn per_image(&self) -> (usize, usize) {
        (
            self.c * self.size[0] * self.size[1],
            self.rows() * self.positions(),
        )
    }

    /// Images per part of a batch of `n` whose columns have `columns` elements each: whole
    /// images, at most one part per thread, and none below `GRAIN` column elements (measured:
    /// with 64 Ki, the digits conv net's step, 150 Ki elements a call, ran 20 % slower on two
    /// threads than on one; a ResNet block's 14 M gains).
    fn images_per_part(n: usize, columns: usize) -> usize {
        const GRAIN: usize = 1 << 20;
        let parts = (n.saturating_mul(columns) / GRAIN).clamp(1, threads::num_threads());
        n.div_ceil(parts).max(1)
    }
}

/// The sizes of an `[N, C, H, W]` batch, or an error naming `op`, the `window` (as the
/// error writes it) and the shape: the one rank check of every window op.
pub(crate) fn image_dims(op: &'static str, shape: &Shape, window: &str) -> Result<[usize; 4]> {
    match *shape.dims() {
        [n, c, h, w] => Ok([n, c, h, w]),
        _ => Err(Error::InvalidWindow {
            op,
            window: window.to_string(),
            shape: shape.clone(),
            reason: "needs a batch of images [N, C, H, W] (4 axes)".to_string(),
        }),
    }
}

impl<T: Float> Tensor<T> {
    /// Every position of `window` over a batch of images `[N, C, H, W]`, its elements as a
    /// column: `[N, C · kh · kw, OH · OW]`, row `(c · kh + i) · kw + j` holding element
    /// `(i, j)` of channel `c` (zeros where the window covers padding). PyTorch's
    /// `F.unfold` ("im2col"); [`try_fold`](Self::try_fold) is its adjoint. An error for
    /// another rank or a window that does not fit (see [`Window2d::try_output_size`]).
    ///
    /// ```
    /// use autograd::{Tensor, Window2d};
    ///
    /// // one 3×3 image, 2×2 windows: 4 positions, 4 elements each
    /// let x = Tensor::<f64>::arange(0.0, 9.0, 1.0).try_reshape([1, 1, 3, 3]).unwrap();
    /// let cols = x.try_unfold(Window2d::new([2, 2])).unwrap();
    /// assert_eq!(cols.dims(), &[1, 4, 4]);
    /// // the top-left element of each window, then the top-right, ...
    /// assert_eq!(cols.to_vec()[..4], [0.0, 1.0, 3.0, 4.0]);
    /// assert!(x.try_unfold(Window2d::new([4, 4])).is_err());
    /// ```
    pub fn try_unfold(&self, window: Window2d) -> Result<Tensor<T>> {
        let op = "unfold";
        let [n, c, h, w] = image_dims(op, self.shape(), "any window")?;
        let out = window.output_size(op, [h, w], self.shape())?;
        let plan = Plan {
            c,
            size: [h, w],
            out,
            window,
        };
        let shape = checked_shape(op, &[n, c, window.kernel[0], window.kernel[1]], out)?;
        let mut cols = Tensor::try_zeros(shape)?;
        let (source, target) = (self.as_slice(), cols.as_mut_slice());
        let (pixels, columns) = plan.per_image();
        if pixels > 0 && columns > 0 {
            // whole images a part, split over the pool (each writes only its own columns)
            let k = Plan::images_per_part(n, columns);
            let parts = source
                .chunks(k * pixels)
                .zip(target.chunks_mut(k * columns));
            threads::run_chunks(parts, |(images, all_cols)| {
                let pairs = images.chunks(pixels).zip(all_cols.chunks_mut(columns));
                for (image, cols) in pairs {
                    plan.runs(|from, step, to, len| {
                        let target = &mut cols[to..to + len];
                        if step == 1 {
                            target.copy_from_slice(&image[from..from + len]);
                        } else {
                            for (k, t) in target.iter_mut().enumerate() {
                                *t = image[from + k * step];
                            }
                        }
                    });
                }
            });
        }
        Ok(cols)
    }

    /// The adjoint of [`try_unfold`](Self::try_unfold): columns `[N, C · kh · kw, OH · OW]`
    /// of `window` over images of `size` (`[H, W]`) summed back into `[N, C, H, W]` (an
    /// element covered by several windows receives each one's value; padding is dropped).
    /// PyTorch's `F.fold` ("col2im"). An error if the columns' shape does not match the
    /// window over that size.
    ///
    /// ```
    /// use autograd::{Tensor, Window2d};
    ///
    /// // 2×2 windows over a 3×3 image: the centre lies in all four
    /// let cols = Tensor::<f64>::ones([1, 4, 4]);
    /// let image = cols.try_fold(Window2d::new([2, 2]), [3, 3]).unwrap();
    /// assert_eq!(image.to_vec(), vec![1.0, 2.0, 1.0, 2.0, 4.0, 2.0, 1.0, 2.0, 1.0]);
    /// assert!(cols.try_fold(Window2d::new([2, 2]), [4, 4]).is_err()); // 9 positions, not 4
    /// ```
    pub fn try_fold(&self, window: Window2d, size: [usize; 2]) -> Result<Tensor<T>> {
        let op = "fold";
        let &[n, rows, positions] = self.dims() else {
            return Err(Error::InvalidWindow {
                op,
                window: window.to_string(),
                shape: self.shape().clone(),
                reason: "needs columns [N, C · kh · kw, L] (3 axes)".to_string(),
            });
        };
        let out = window.output_size(op, size, self.shape())?;
        let per_channel = window.kernel[0] * window.kernel[1]; // (≥ 1: checked above)
        if rows % per_channel != 0 || positions != out[0] * out[1] {
            return Err(Error::InvalidWindow {
                op,
                window: window.to_string(),
                shape: self.shape().clone(),
                reason: format!(
                    "over a {}×{} image it needs [N, C · {per_channel}, {}] columns",
                    size[0],
                    size[1],
                    out[0] * out[1]
                ),
            });
        }
        let c = rows / per_channel;
        let plan = Plan {
            c,
            size,
            out,
            window,
        };
        let mut image = Tensor::try_zeros([n, c, size[0], size[1]])?;
        let (source, target) = (self.as_slice(), image.as_mut_slice());
        let (pixels, columns) = plan.per_image();
        if pixels > 0 && columns > 0 {
            // whole images a part (each adds only into its own pixels), in the same order
            // as one thread would: the sums do not depend on the thread count
            let k = Plan::images_per_part(n, columns);
            let parts = source
                .chunks(k * columns)
                .zip(target.chunks_mut(k * pixels));
            threads::run_chunks(parts, |(all_cols, images)| {
                let pairs = all_cols.chunks(columns).zip(images.chunks_mut(pixels));
                for (cols, image) in pairs {
                    plan.runs(|to, step, from, len| {
                        let cols = &cols[from..from + len];
                        if step == 1 {
                            for (t, &v) in image[to..to + len].iter_mut().zip(cols) {
                                *t += v;
                            }
                        } else {
                            for (k, &v) in cols.iter().enumerate() {
                                image[to + k * step] += v;
                            }
                        }
                    });
                }
            });
        }
        Ok(image)
    }
}

/// `[n, c · kh · kw, oh · ow]`, checked.
fn checked_shape(op: &'static str, [n, c, kh, kw]: &[usize; 4], out: [usize; 2]) -> Result<Shape> {
    let overflow = || Error::SizeOverflow {
        op,
        shape: Shape::from(vec![*n, *c, *kh, *kw, out[0], out[1]]),
        elem_bytes: 1,
    };
    let rows = c
        .checked_mul(*kh)
        .and_then(|r| r.checked_mul(*kw))
        .ok_or_else(overflow)?;
    let positions = out[0].checked_mul(out[1]).ok_or_else(overflow)?;
    Ok(Shape::from(vec![*n, rows, positions]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{SeedableRng, rngs::StdRng};

    /// The definition, element by element, with the padding as explicit zeros.
    fn naive_unfold(x: &Tensor<f64>, wd: Window2d) -> Vec<f64> {
        let [n, c, h, w] = image_dims("t", x.shape(), "").unwrap();
        let [oh, ow] = wd.try_output_size([h, w]).unwrap();
        let [kh, kw] = wd.kernel;
        let mut out = Vec::new();
        for b in 0..n {
            for ch in 0..c {
                for i in 0..kh {
                    for j in 0..kw {
                        for y in 0..oh {
                            for xo in 0..ow {
                                let iy = (y * wd.stride[0] + i * wd.dilation[0]) as isize
                                    - wd.padding[0] as isize;
                                let ix = (xo * wd.stride[1] + j * wd.dilation[1]) as isize
                                    - wd.padding[1] as isize;
                                let inside =
                                    (0..h as isize).contains(&iy) && (0..w as isize).contains(&ix);
                                out.push(if inside {
                                    x.at(&[b, ch, iy as usize, ix as usize])
                                } else {
                                    0.0
                                });
                            }
                        }
                    }
                }
            }
        }
        out
    }

    fn windows() -> Vec<Window2d> {
        let mut all = Vec::new();
        for kernel in [[1, 1], [2, 3], [3, 3]] {
            for stride in [[1, 1], [2, 1], [3, 2]] {
                for padding in [[0, 0], [1, 2]] {
                    for dilation in [[1, 1], [2, 1]] {
                        all.push(Window2d {
                            kernel,
                            stride,
                            padding,
                            dilation,
                        });
                    }
                }
            }
        }
        all
    }

    #[test]
    fn unfold_is_the_definition_and_fold_its_adjoint() {
        let mut rng = StdRng::seed_from_u64(3);
        for window in windows() {
            for dims in [[1, 1, 5, 6], [2, 3, 4, 7], [1, 2, 6, 3]] {
                let x = Tensor::<f64>::rand_uniform(dims, -1.0, 1.0, &mut rng);
                let Ok(cols) = x.try_unfold(window) else {
                    // only when the window does not fit the padded image
                    assert!(window.try_output_size([dims[2], dims[3]]).is_err());
                    continue;
                };
                assert_eq!(
                    cols.to_vec(),
                    naive_unfold(&x, window),
                    "{window} on {dims:?}"
                );
                // ⟨unfold(x), y⟩ = ⟨x, fold(y)⟩ for every y: fold is unfold's adjoint
                let y = Tensor::<f64>::rand_uniform(cols.shape().clone(), -1.0, 1.0, &mut rng);
                let folded = y.try_fold(window, [dims[2], dims[3]]).unwrap();
                assert_eq!(folded.dims(), &dims);
                let lhs: f64 = cols
                    .to_vec()
                    .iter()
                    .zip(y.to_vec())
                    .map(|(a, b)| a * b)
                    .sum();
                let rhs: f64 = x
                    .to_vec()
                    .iter()
                    .zip(folded.to_vec())
                    .map(|(a, b)| a * b)
                    .sum();
                assert!(
                    (lhs - rhs).abs() < 1e-12,
                    "{window} on {dims:?}: {lhs} vs {rhs}"
                );
            }
        }
    }

    #[test]
    fn bad_shapes_and_windows_are_named() {
        let x = Tensor::<f64>::zeros([1, 1, 4, 4]);
        let err = Tensor::<f64>::zeros([4, 4]).try_unfold(Window2d::new([2, 2]));
        assert!(err.unwrap_err().to_string().contains("[N, C, H, W]"));
        let err = x
            .try_unfold(Window2d::new([2, 2]).stride([0, 1]))
            .unwrap_err();
        assert!(err.to_string().contains("stride height = 0"), "{err}");
        let err = x
            .try_unfold(Window2d::new([3, 3]).dilation([2, 2]))
            .unwrap_err();
        assert!(
            err.to_string()
                .contains("spans 5 along the height, the padded input only 4"),
            "{err}"
        );
        let cols = Tensor::<f64>::zeros([1, 5, 9]);
        let err = cols.try_fold(Window2d::new([2, 2]), [4, 4]).unwrap_err();
        assert!(
            err.to_string().contains("needs [N, C · 4, 9] columns"),
            "{err}"
        );
        let huge = Window2d::new([2, 2]).padding([usize::MAX, 0]);
        assert!(x.try_unfold(huge).is_err());
        // an empty batch is fine and empty
        let empty = Tensor::<f64>::zeros([0, 2, 3, 3])
            .try_unfold(Window2d::new([2, 2]))
            .unwrap();
        assert_eq!(empty.dims(), &[0, 8, 4]);
    }
}
