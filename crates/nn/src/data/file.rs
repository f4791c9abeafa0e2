//! Reading a data file's bytes, decompressing gzip (`.gz`) on the way: MNIST and the digits
//! set are distributed compressed.

use std::io::Read;
use std::path::Path;

use crate::error::{Error, Result};

/// The file's bytes; a name ending in `.gz` is decompressed. Errors name the file.
///
/// ```
/// let err = nn::data::read_bytes("no/such/file.gz").unwrap_err();
/// assert!(err.to_string().starts_with("no/such/file.gz: "), "{err}");
/// ```
pub fn read_bytes(path: impl AsRef<Path>) -> Result<Vec<u8>> {
    let path = path.as_ref();
    let name = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| Error::Io {
        path: name.clone(),
        message: e.to_string(),
    })?;
    if path.extension().is_none_or(|e| e != "gz") {
        return Ok(bytes);
    }
    let mut plain = Vec::new();
    flate2::read::GzDecoder::new(&bytes[..])
        .read_to_end(&mut plain)
        .map_err(|e| Error::Parse {
            path: name,
            line: 0,
            message: format!("not a valid gzip file: {e}"),
        })?;
    Ok(plain)
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    #[test]
    fn gzip_files_are_decompressed_and_bad_ones_named() {
        let dir = std::env::temp_dir().join(format!("nn-read-bytes-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let good = dir.join("x.gz");
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        encoder.write_all(b"hello").unwrap();
        std::fs::write(&good, encoder.finish().unwrap()).unwrap();
        assert_eq!(read_bytes(&good).unwrap(), b"hello");

        let bad = dir.join("y.gz");
        std::fs::write(&bad, b"not gzip").unwrap();
        let err = read_bytes(&bad).unwrap_err().to_string();
        assert!(
            err.contains("y.gz") && err.contains("not a valid gzip file"),
            "{err}"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
