//! Reading the IDX format that MNIST ships in: a 4-byte magic number (two zero bytes, the
//! element type, the number of dimensions), the dimensions as big-endian `u32`s, then the
//! elements, big-endian.

use std::path::Path;

use autograd::{Float, Tensor};

use crate::error::{Error, Result};

/// Reads an IDX file into a tensor of its shape (MNIST images: `[N, 28, 28]`, labels `[N]`);
/// a name ending in `.gz` is decompressed first, so MNIST's files load as downloaded.
///
/// ```no_run
/// let images = nn::data::read_idx::<f32>("mnist/train-images-idx3-ubyte.gz")?;
/// assert_eq!(images.dims(), &[60000, 28, 28]);
/// # Ok::<(), nn::Error>(())
/// ```
pub fn read_idx<F: Float>(path: impl AsRef<Path>) -> Result<Tensor<F>> {
    let path = path.as_ref();
    parse_idx(&super::read_bytes(path)?, &path.display().to_string())
}

/// Parses IDX bytes (`name` is used in errors).
///
/// ```
/// // a 2 × 2 tensor of u8: magic 0 0 0x08 2, dims 2 and 2, then 4 bytes
/// let bytes = [0, 0, 8, 2, 0, 0, 0, 2, 0, 0, 0, 2, 1, 2, 3, 255];
/// let t = nn::data::parse_idx::<f64>(&bytes, "inline").unwrap();
/// assert_eq!((t.dims(), t.to_vec()), (&[2, 2][..], vec![1.0, 2.0, 3.0, 255.0]));
/// let err = nn::data::parse_idx::<f64>(&bytes[..14], "inline").unwrap_err();
/// assert_eq!(err.to_string(), "inline: elements: expected 4 bytes, found 2");
/// ```
pub fn parse_idx<F: Float>(bytes: &[u8], name: &str) -> Result<Tensor<F>> {
    let size_error = |what, expected, found| Error::Size {
        path: name.to_string(),
        what,
        expected,
        found,
    };
    let parse_error = |message: String| Error::Parse {
        path: name.to_string(),
        line: 0,
        message,
    };
    if bytes.len() < 4 {
        return Err(size_error("magic number", 4, bytes.len()));
    }
    if bytes[0] != 0 || bytes[1] != 0 {
        return Err(parse_error(format!(
            "not an IDX file: the magic number starts {:#04x} {:#04x}, expected 0x00 0x00",
            bytes[0], bytes[1]
        )));
    }
    let (kind, ndim) = (bytes[2], bytes[3] as usize);
    let width = match kind {
        0x08 | 0x09 => 1,
        0x0B => 2,
        0x0C | 0x0D => 4,
        0x0E => 8,
        other => {
            return Err(parse_error(format!(
                "unknown element type {other:#04x} (expected 0x08, 0x09, 0x0b, 0x0c, 0x0d or 0x0e)"
            )));
        }
    };
    let header = 4 + 4 * ndim;
    if bytes.len() < header {
        return Err(size_error("dimensions", header, bytes.len()));
    }
    let dims: Vec<usize> = bytes[4..header]
        .chunks(4)
        .map(|c| u32::from_be_bytes([c[0], c[1], c[2], c[3]]) as usize)
        .collect();
    let count = dims
        .iter()
        .try_fold(1usize, |n, &d| n.checked_mul(d))
        .and_then(|n| n.checked_mul(width))
        .ok_or_else(|| parse_error(format!("dimensions {dims:?} overflow")))?;
    let data = &bytes[header..];
    if data.len() != count {
        return Err(size_error("elements", count, data.len()));
    }
    let values = data
        .chunks(width)
        .map(|c| {
            F::from_f64(match kind {
                0x08 => f64::from(c[0]),
                0x09 => f64::from(c[0] as i8),
                0x0B => f64::from(i16::from_be_bytes([c[0], c[1]])),
                0x0C => f64::from(i32::from_be_bytes([c[0], c[1], c[2], c[3]])),
                0x0D => f64::from(f32::from_be_bytes([c[0], c[1], c[2], c[3]])),
                _ => f64::from_be_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]),
            })
        })
        .collect();
    Ok(Tensor::from_vec(values, dims)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_element_type() {
        let mut bytes = vec![0, 0, 0x0D, 1, 0, 0, 0, 2];
        bytes.extend(1.5f32.to_be_bytes());
        bytes.extend((-2.0f32).to_be_bytes());
        assert_eq!(
            parse_idx::<f64>(&bytes, "f").unwrap().to_vec(),
            vec![1.5, -2.0]
        );
        let bytes = [0, 0, 0x09, 1, 0, 0, 0, 1, 0xFF];
        assert_eq!(parse_idx::<f64>(&bytes, "f").unwrap().to_vec(), vec![-1.0]);
        let bytes = [0, 0, 0x0B, 1, 0, 0, 0, 1, 0x01, 0x00];
        assert_eq!(parse_idx::<f64>(&bytes, "f").unwrap().to_vec(), vec![256.0]);
    }

    #[test]
    fn bad_headers_are_named() {
        assert_eq!(
            parse_idx::<f64>(&[1, 0, 8, 1], "f")
                .unwrap_err()
                .to_string(),
            "f: line 0: not an IDX file: the magic number starts 0x01 0x00, expected 0x00 0x00"
        );
        assert!(
            parse_idx::<f64>(&[0, 0, 0x42, 0], "f")
                .unwrap_err()
                .to_string()
                .contains("unknown element type 0x42")
        );
        assert_eq!(
            parse_idx::<f64>(&[0, 0, 8, 2, 0, 0], "f")
                .unwrap_err()
                .to_string(),
            "f: dimensions: expected 12 bytes, found 6"
        );
    }
}
