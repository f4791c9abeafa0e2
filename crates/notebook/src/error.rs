//! The one error type of `notebook`.

use std::path::PathBuf;

use thiserror::Error;

/// What can go wrong when starting an example or writing its figures.
///
/// ```
/// let err = notebook::Notebook::from_args("x", "X", ["--fast".to_string()]).unwrap_err();
/// assert_eq!(err.to_string(), "unknown option --fast");
/// ```
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum Error {
    /// An option the examples do not know.
    #[error("unknown option {0}")]
    UnknownOption(String),
    /// An option given without its value.
    #[error("option {option} needs a value")]
    MissingValue {
        /// The option, e.g. `--figures`.
        option: &'static str,
    },
    /// A file or folder that could not be written.
    #[error("cannot write {path}: {source}")]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The plotting library refused to draw.
    #[error("cannot draw {path}: {message}")]
    Draw {
        /// The figure's file.
        path: PathBuf,
        /// The plotting library's message.
        message: String,
    },
}

/// `Result` with [`Error`](enum@Error).
pub type Result<T> = std::result::Result<T, Error>;
