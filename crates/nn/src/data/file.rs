//! Opening a data file as a stream of bytes, decompressing gzip (`.gz`) on the way (MNIST and
//! the digits set are distributed compressed), within a size limit.
//!
//! The loaders read through [`open`]: nothing is decompressed before the gzip magic number is
//! checked, and no loader ever sees more than [`Limits::max_bytes`] bytes, so a small file that
//! inflates to gigabytes (a "gzip bomb") costs a bounded amount of memory and time.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::Path;

use flate2::bufread::GzDecoder;

use crate::error::{Error, Result};

/// How much a loader may read: a guard against files that are, or inflate to, more data than
/// the caller meant to load.
///
/// `max_bytes` bounds the bytes a loader reads *after* decompression (default
/// [`Limits::DEFAULT_MAX_BYTES`], 4 GiB); past it the loader stops with
/// [`Error::TooLarge`](crate::Error::TooLarge) instead of reading on. The tensor it builds holds
/// the values as `F`, so it may take a few times more memory than the bytes it read (8 bytes per
/// one-byte IDX element as `f64`).
///
/// ```
/// use nn::data::Limits;
/// let limits = Limits::default().with_max_bytes(1 << 20);
/// assert_eq!(limits.max_bytes(), 1 << 20);
/// assert_eq!(Limits::default().max_bytes(), Limits::DEFAULT_MAX_BYTES);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    max_bytes: u64,
    max_record_bytes: u64,
}

impl Limits {
    /// The default `max_bytes`: 4 GiB, far above MNIST (47 MB) yet below what fills memory.
    ///
    /// ```
    /// assert_eq!(nn::data::Limits::DEFAULT_MAX_BYTES, 4 << 30);
    /// ```
    pub const DEFAULT_MAX_BYTES: u64 = 4 << 30;

    /// The same limits with `max_bytes` bytes at most (`u64::MAX` for no limit).
    ///
    /// ```
    /// let limits = nn::data::Limits::default().with_max_bytes(100);
    /// assert_eq!(limits.max_bytes(), 100);
    /// ```
    pub const fn with_max_bytes(self, max_bytes: u64) -> Self {
        Limits { max_bytes, ..self }
    }

    /// The default `max_record_bytes`: 8 MiB, a row of about a million numbers.
    ///
    /// ```
    /// assert_eq!(nn::data::Limits::DEFAULT_MAX_RECORD_BYTES, 8 << 20);
    /// ```
    pub const DEFAULT_MAX_RECORD_BYTES: u64 = 8 << 20;

    /// The same limits with at most `max_record_bytes` bytes in one CSV record (a line, or
    /// more with quoted newlines): a reader holds a whole record, so this bounds its memory
    /// when a file (or a gzip bomb) has no line ends.
    ///
    /// ```
    /// let limits = nn::data::Limits::default().with_max_record_bytes(1 << 10);
    /// assert_eq!(limits.max_record_bytes(), 1 << 10);
    /// ```
    pub const fn with_max_record_bytes(self, max_record_bytes: u64) -> Self {
        Limits {
            max_record_bytes,
            ..self
        }
    }

    /// The most bytes of one CSV record.
    ///
    /// ```
    /// assert_eq!(nn::data::Limits::default().max_record_bytes(), 8 << 20);
    /// ```
    pub const fn max_record_bytes(&self) -> u64 {
        self.max_record_bytes
    }

    /// The most bytes a loader reads, after decompression.
    ///
    /// ```
    /// assert_eq!(nn::data::Limits::default().max_bytes(), 4 << 30);
    /// ```
    pub const fn max_bytes(&self) -> u64 {
        self.max_bytes
    }
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_bytes: Self::DEFAULT_MAX_BYTES,
            max_record_bytes: Self::DEFAULT_MAX_RECORD_BYTES,
        }
    }
}

/// The file's bytes; a name ending in `.gz` is decompressed (every gzip member, as `cat`,
/// bgzip and pigz write them). Errors name the file. Reads at most
/// [`Limits::DEFAULT_MAX_BYTES`]; see [`read_bytes_with`].
///
/// ```
/// let err = nn::data::read_bytes("no/such/file.gz").unwrap_err();
/// assert!(err.to_string().starts_with("no/such/file.gz: "), "{err}");
/// ```
pub fn read_bytes(path: impl AsRef<Path>) -> Result<Vec<u8>> {
    read_bytes_with(path, Limits::default())
}

/// [`read_bytes`] within `limits`: more than `limits.max_bytes()` bytes (after decompression)
/// is [`Error::TooLarge`](crate::Error::TooLarge), and no more than that is ever held.
///
/// ```
/// use nn::data::{Limits, read_bytes_with};
/// let path = concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml");
/// assert!(read_bytes_with(path, Limits::default()).unwrap().starts_with(b"[package]"));
/// let err = read_bytes_with(path, Limits::default().with_max_bytes(10)).unwrap_err();
/// assert!(err.to_string().ends_with("is over the limit of 10 bytes (see nn::data::Limits)"));
/// ```
pub fn read_bytes_with(path: impl AsRef<Path>, limits: Limits) -> Result<Vec<u8>> {
    let mut source = open(path.as_ref(), limits)?;
    let hint = source.len.map_or(0, |n| usize::try_from(n).unwrap_or(0));
    let mut bytes = Vec::with_capacity(hint);
    source
        .reader
        .read_to_end(&mut bytes)
        .map_err(|e| from_io(&source.name, e))?;
    Ok(bytes)
}

/// An open data file: its bytes (decompressed, limited), its name for errors and, for a plain
/// regular file, its length (known before reading, so a loader can check a header against it).
pub(super) struct Source {
    pub(super) reader: Box<dyn BufRead>,
    pub(super) name: String,
    pub(super) len: Option<u64>,
}

/// Opens `path`; read errors that come out of `reader` turn into [`Error`]s by [`from_io`].
pub(super) fn open(path: &Path, limits: Limits) -> Result<Source> {
    let name = path.display().to_string();
    let io_error = |e: io::Error| Error::Io {
        path: name.clone(),
        message: e.to_string(),
    };
    let file = File::open(path).map_err(io_error)?;
    let metadata = file.metadata().map_err(io_error)?;
    // Only a regular file's length is its content's (not so for /dev/zero or a pipe).
    let len = metadata.is_file().then_some(metadata.len());
    let too_large = |what: String| Error::TooLarge {
        path: name.clone(),
        what,
        limit: limits.max_bytes,
    };
    let gzip = path.extension().is_some_and(|e| e == "gz");
    let reader: Box<dyn BufRead> = if gzip {
        let members = Gunzip::new(BufReader::new(file), &name);
        Box::new(BufReader::new(Limited::new(
            members,
            too_large("the decompressed data".into()),
            limits,
        )))
    } else {
        if let Some(n) = len.filter(|&n| n > limits.max_bytes) {
            return Err(too_large(format!("the file ({n} bytes)")));
        }
        Box::new(BufReader::new(Limited::new(
            file,
            too_large("the data".into()),
            limits,
        )))
    };
    Ok(Source {
        reader,
        name,
        len: if gzip { None } else { len },
    })
}

/// The [`Error`] a read from a [`Source`] failed with: ours (carried inside the `io::Error`)
/// as it is, a system error as [`Error::Io`] naming the file.
pub(super) fn from_io(name: &str, e: io::Error) -> Error {
    let message = e.to_string();
    match e.into_inner().map(|inner| inner.downcast::<Error>()) {
        Some(Ok(ours)) => *ours,
        _ => Error::Io {
            path: name.to_string(),
            message,
        },
    }
}

/// Passes on at most `limits.max_bytes` bytes; one more is an error, so the reader above never
/// holds more than the limit.
struct Limited<R> {
    inner: R,
    left: u64,
    error: Error,
}

impl<R: Read> Limited<R> {
    fn new(inner: R, error: Error, limits: Limits) -> Self {
        Limited {
            inner,
            left: limits.max_bytes,
            error,
        }
    }
}

impl<R: Read> Read for Limited<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        if self.left == 0 {
            // At the limit: the data is fine if it ends here, too large if a byte follows.
            return match self.inner.read(&mut [0])? {
                0 => Ok(0),
                _ => Err(io::Error::other(self.error.clone())),
            };
        }
        let room = usize::try_from(self.left)
            .unwrap_or(usize::MAX)
            .min(buf.len());
        let n = self.inner.read(&mut buf[..room])?;
        self.left -= n as u64;
        Ok(n)
    }
}

/// Decompresses every gzip member in a row (RFC 1952 allows many; `cat a.gz b.gz`, bgzip and
/// pigz write them) and rejects anything after the last one that is not a member.
struct Gunzip<R: BufRead> {
    state: Option<State<R>>,
    name: String,
    members: u64,
}

enum State<R: BufRead> {
    /// Between members (or at the start): the next byte is a new member, or the end.
    Between(Counting<R>),
    /// Inside member number `members`, which starts at byte `start`.
    Inside(Box<GzDecoder<Counting<R>>>, u64),
}

impl<R: BufRead> Gunzip<R> {
    fn new(inner: R, name: &str) -> Self {
        let counting = Counting {
            inner,
            offset: 0,
            failed: false,
        };
        Gunzip {
            state: Some(State::Between(counting)),
            name: name.to_string(),
            members: 0,
        }
    }

    fn error(&self, part: String, offset: u64, message: String) -> io::Error {
        io::Error::other(Error::Format {
            path: self.name.clone(),
            part,
            offset,
            message,
        })
    }

    /// At the end of a member (or the start): the next member's decoder, `None` at the end of
    /// the file, or an error if what follows is not a gzip member.
    fn next_member(&mut self, mut reader: Counting<R>) -> io::Result<Option<State<R>>> {
        let at = reader.offset;
        let head = reader.fill_buf()?;
        if head.is_empty() && self.members > 0 {
            return Ok(None);
        }
        // (one byte may be all that is buffered: it must match the first of the magic)
        let n = head.len().min(2);
        let problem = if head.is_empty() {
            Some("it is empty".to_string())
        } else {
            (head[..n] != [0x1f, 0x8b][..n]).then(|| {
                let shown: Vec<String> = head[..n].iter().map(|b| format!("{b:#04x}")).collect();
                format!("it starts {}, expected 0x1f 0x8b", shown.join(" "))
            })
        };
        let members = self.members;
        match problem {
            None => {
                self.members += 1;
                Ok(Some(State::Inside(Box::new(GzDecoder::new(reader)), at)))
            }
            Some(found) if members == 0 => {
                let message = format!("not a valid gzip file: {found}");
                Err(self.error("gzip member 1".into(), at, message))
            }
            Some(found) => {
                let message = format!("not a gzip member after the {members} before it: {found}");
                Err(self.error("trailing data".into(), at, message))
            }
        }
    }

    /// The error for `e`, met inside the member that starts at byte `start`.
    fn member_error(&self, e: io::Error, reader: &Counting<R>, start: u64) -> io::Error {
        if reader.failed {
            return e; // the file could not be read: not the gzip data's fault
        }
        let cause = if e.kind() == io::ErrorKind::UnexpectedEof {
            "the file ends inside it (truncated?)".to_string()
        } else {
            e.to_string()
        };
        let message = format!("{cause} (the member starts at byte {start})");
        let part = format!("gzip member {}", self.members);
        self.error(part, reader.offset, message)
    }
}

impl<R: BufRead> Read for Gunzip<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        loop {
            match self.state.take() {
                None => return Ok(0),
                Some(State::Between(reader)) => match self.next_member(reader)? {
                    None => return Ok(0),
                    next => self.state = next,
                },
                Some(State::Inside(mut decoder, start)) => match decoder.read(buf) {
                    Ok(0) => self.state = Some(State::Between(decoder.into_inner())),
                    Ok(n) => {
                        self.state = Some(State::Inside(decoder, start));
                        return Ok(n);
                    }
                    Err(e) => return Err(self.member_error(e, decoder.get_ref(), start)),
                },
            }
        }
    }
}

/// A reader that counts the bytes taken from it (the offset for errors) and remembers whether
/// the file itself failed to read.
struct Counting<R> {
    inner: R,
    offset: u64,
    failed: bool,
}

impl<R: BufRead> Read for Counting<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let buf = self.fill_buf()?;
        let n = buf.len().min(out.len());
        out[..n].copy_from_slice(&buf[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl<R: BufRead> BufRead for Counting<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        let failed = &mut self.failed;
        self.inner.fill_buf().inspect_err(|_| *failed = true)
    }

    fn consume(&mut self, n: usize) {
        self.offset += n as u64;
        self.inner.consume(n);
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    fn gzip(data: &[u8]) -> Vec<u8> {
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        encoder.write_all(data).unwrap();
        encoder.finish().unwrap()
    }

    fn gunzip(bytes: &[u8]) -> std::result::Result<Vec<u8>, Error> {
        let mut out = Vec::new();
        Gunzip::new(bytes, "m.gz")
            .read_to_end(&mut out)
            .map_err(|e| from_io("m.gz", e))?;
        Ok(out)
    }

    #[test]
    fn gzip_files_are_decompressed_and_bad_ones_named() {
        let dir = std::env::temp_dir().join(format!("nn-read-bytes-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let good = dir.join("x.gz");
        std::fs::write(&good, gzip(b"hello")).unwrap();
        assert_eq!(read_bytes(&good).unwrap(), b"hello");

        let bad = dir.join("y.gz");
        std::fs::write(&bad, b"not gzip").unwrap();
        let err = read_bytes(&bad).unwrap_err().to_string();
        assert_eq!(
            err,
            format!(
                "{}: gzip member 1 at byte 0: not a valid gzip file: it starts 0x6e 0x6f, \
                 expected 0x1f 0x8b",
                bad.display()
            )
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn members_are_all_read_and_what_follows_them_checked() {
        let mut two = gzip(b"ab");
        two.extend(gzip(b""));
        two.extend(gzip(b"cd"));
        assert_eq!(gunzip(&two).unwrap(), b"abcd");
        let first = gzip(b"ab").len();
        let mut junk = gzip(b"ab");
        junk.push(0x1f);
        assert!(gunzip(&junk).is_err(), "a lone 0x1f is not a member");
        junk.extend(b"\x8bxyz");
        let err = gunzip(&junk).unwrap_err().to_string();
        assert!(err.starts_with("m.gz: gzip member 2 at byte "), "{err}");
        let mut zeros = gzip(b"ab");
        zeros.extend([0; 8]);
        assert_eq!(
            gunzip(&zeros).unwrap_err().to_string(),
            format!(
                "m.gz: trailing data at byte {first}: not a gzip member after the 1 before \
                 it: it starts 0x00 0x00, expected 0x1f 0x8b"
            )
        );
        assert!(gunzip(b"").unwrap_err().to_string().contains("empty"));
    }

    #[test]
    fn truncated_and_corrupted_members_say_where() {
        let bytes = gzip(&[7; 1000]);
        let err = gunzip(&bytes[..bytes.len() - 3]).unwrap_err().to_string();
        assert!(
            err.starts_with("m.gz: gzip member 1 at byte ") && err.contains("truncated"),
            "{err}"
        );
        let mut flipped = bytes.clone();
        let crc = flipped.len() - 8;
        flipped[crc] ^= 1;
        let err = gunzip(&flipped).unwrap_err().to_string();
        assert!(err.contains("checksum"), "{err}");
    }

    #[test]
    fn the_limit_is_never_passed() {
        let data = vec![b'x'; 5000];
        let mut limited = Limited::new(&data[..], Error::ZeroBatchSize, Limits::default());
        let mut out = Vec::new();
        limited.read_to_end(&mut out).unwrap();
        assert_eq!(out.len(), 5000);
        for (limit, ok) in [(4999, false), (5000, true), (0, false)] {
            let limits = Limits::default().with_max_bytes(limit);
            let mut limited = Limited::new(&data[..], Error::ZeroBatchSize, limits);
            let mut out = Vec::new();
            let result = limited.read_to_end(&mut out);
            assert_eq!(result.is_ok(), ok, "limit {limit}");
            assert!(out.len() as u64 <= limit);
        }
    }
}
