//! Gzip bombs: small files that inflate to far more data. Before the loaders streamed, 1 MB of
//! gzip (1 GiB of zeros) cost `read_csv` 4 GB of memory, 30 s and a 2 GB error message.
//!
//! One test in its own binary, so that the process's peak memory is this test's alone.

use std::path::PathBuf;

use flate2::{Compress, Compression, Crc, FlushCompress};
use nn::data::{Header, Limits, read_bytes, read_csv, read_csv_with, read_idx};

const MIB: usize = 1 << 20;

/// A gzip file of `mib` MiB of `pattern` over and over, made without compressing them all:
/// one MiB is deflated once, sync-flushed (so it ends on a byte boundary; as the start of a
/// stream it refers to nothing before it) and repeated; the checksum is combined, not computed.
fn bomb(pattern: &[u8], mib: usize) -> Vec<u8> {
    let unit: Vec<u8> = pattern.iter().copied().cycle().take(MIB).collect();
    let mut compress = Compress::new(Compression::best(), false);
    let mut block = Vec::with_capacity(MIB);
    compress
        .compress_vec(&unit, &mut block, FlushCompress::Sync)
        .unwrap();
    assert_eq!(compress.total_in(), MIB as u64);
    let (mut unit_crc, mut crc) = (Crc::new(), Crc::new());
    unit_crc.update(&unit);
    let mut gzip = vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff];
    for _ in 0..mib {
        gzip.extend(&block);
        crc.combine(&unit_crc);
    }
    gzip.extend([1, 0, 0, 0xff, 0xff]); // the final block: stored, empty
    gzip.extend(crc.sum().to_le_bytes());
    gzip.extend(((mib * MIB) as u32).to_le_bytes());
    gzip
}

fn temp(name: &str, bytes: &[u8]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("nn-bomb-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

/// The most memory this process has held, in bytes (Linux only).
fn peak_memory() -> Option<usize> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: usize = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

#[test]
fn gzip_bombs_cost_little_memory_and_give_short_errors() {
    // The construction is sound: read back, it is what was repeated.
    let check = temp("check.gz", &bomb(b"ab", 2));
    let bytes = read_bytes(&check).unwrap();
    assert!(bytes.len() == 2 * MIB && bytes.chunks(2).all(|c| c == b"ab"));
    drop(bytes);

    // 64 MiB of NUL bytes from 64 KiB: one record with no line end. The reader holds at
    // most one record, so it stops at the record limit (8 MiB), naming the line.
    let zeros = bomb(&[0], 64);
    assert!(zeros.len() < 128 << 10);
    let csv = temp("zeros.csv.gz", &zeros);
    let err = read_csv::<f32>(&csv, Header::Absent).unwrap_err();
    let expected = format!(
        "{}: the record at line 1 is over the limit of 8388608 bytes (see nn::data::Limits)",
        csv.display()
    );
    assert_eq!(err.to_string(), expected);

    // As IDX the zeros fail at the element type, before anything past byte 4 is inflated.
    let idx = temp("zeros.idx.gz", &zeros);
    let err = read_idx::<f32>(&idx).unwrap_err().to_string();
    assert!(err.contains("element type at byte 2"), "{err}");

    // Rows of valid numbers: only the limit stops them, and nothing past it is held.
    let rows = temp("rows.csv.gz", &bomb(b"0\n", 64));
    let limits = Limits::default().with_max_bytes(MIB as u64);
    let err = read_csv_with::<f32>(&rows, Header::Absent, limits).unwrap_err();
    assert!(
        err.to_string()
            .contains("is over the limit of 1048576 bytes"),
        "{err}"
    );

    // The whole test, bombs and harness included, stays far below what one bomb inflates to.
    if let Some(peak) = peak_memory() {
        assert!(peak < 64 * MIB, "peak memory {} MiB", peak / MIB);
    }
    std::fs::remove_dir_all(check.parent().unwrap()).unwrap();
}
