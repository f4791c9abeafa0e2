//! A fixed-seed fuzz loop: valid CSV, IDX and gzip bytes, mutated (bit flips, truncations,
//! insertions, huge dimensions), through every loader. No input may panic, and every error
//! must stay short whatever the input. Same seed, same inputs, so a failure can be replayed
//! from the case number it prints. `--nocapture` shows how many inputs each loader got and
//! refused. (A limit of 16 KiB keeps decompressed garbage, and the loop, small and fast.)

use std::io::Write;
use std::panic::{AssertUnwindSafe, catch_unwind};

use autograd::{Float, Tensor};
use nn::data::{
    Csv, Header, Limits, parse_csv, parse_idx, read_bytes_with, read_csv_with, read_idx_with,
};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

/// Mutated inputs made from each kind of seed (CSV, IDX, gzip).
const CASES: usize = 4000;
/// The longest error message allowed (the file names here are short).
const MAX_MESSAGE: usize = 500;

/// Bytes that mean something to one loader or another.
const SPECIAL: &[&[u8]] = &[
    b",",
    b"\n",
    b"\r\n",
    b"\0",
    b"\xff",
    b"\x1f\x8b\x08",
    b"1e999",
    b"-inf",
    b"\xc2\xa0",
    b"\xe2\x80",
    b",,,,",
    b"\0\0\x08\xff",
    b"\0\0\x0e\x03",
];

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    encoder.write_all(data).unwrap();
    encoder.finish().unwrap()
}

fn csv_seeds() -> Vec<Vec<u8>> {
    let texts = [
        "1,2\n3,4\n",
        "a,b,c\n1.5,-2e3,inf\nNaN,0,7\n",
        "1\r\n\r\n2\r\n",
        " 1 , 2 \n-0.0,+5\n",
        "x,y\n",
        "",
        "0.1,0.2,0.3,0.4\n-1,-2,-3,-4",
    ];
    texts.iter().map(|t| t.as_bytes().to_vec()).collect()
}

fn idx(kind: u8, dims: &[u32], element: &[u8]) -> Vec<u8> {
    let mut bytes = vec![0, 0, kind, dims.len() as u8];
    dims.iter().for_each(|d| bytes.extend(d.to_be_bytes()));
    let count: u32 = dims.iter().product();
    (0..count).for_each(|_| bytes.extend(element));
    bytes
}

fn idx_seeds() -> Vec<Vec<u8>> {
    vec![
        idx(0x08, &[3], &[7]),
        idx(0x09, &[2, 2], &[0xff]),
        idx(0x0B, &[2, 1], &[1, 0]),
        idx(0x0C, &[0, 5], &[0; 4]),
        idx(0x0D, &[2], &1.5f32.to_be_bytes()),
        idx(0x0E, &[1, 1, 2], &(-2.0f64).to_be_bytes()),
        idx(0x08, &[], &[9]),
    ]
}

fn gzip_seeds() -> Vec<Vec<u8>> {
    let mut seeds: Vec<Vec<u8>> = csv_seeds()
        .iter()
        .chain(&idx_seeds())
        .map(|s| gzip(s))
        .collect();
    let mut members = gzip(b"1,2\n");
    members.extend(gzip(b""));
    members.extend(gzip(b"3,4\n"));
    seeds.push(members);
    seeds
}

/// One to three mutations of `seed`.
fn mutate(rng: &mut StdRng, seed: &[u8]) -> Vec<u8> {
    let mut bytes = seed.to_vec();
    for _ in 0..rng.random_range(1..=3) {
        let len = bytes.len();
        let at = rng.random_range(0..=len);
        match rng.random_range(0..9) {
            0 if len > 0 => bytes[at.min(len - 1)] ^= 1 << rng.random_range(0..8),
            1 if len > 0 => bytes[at.min(len - 1)] = rng.random(),
            2 => bytes.truncate(at),
            3 => {
                let junk: Vec<u8> = (0..rng.random_range(1..=16))
                    .map(|_| rng.random())
                    .collect();
                bytes.splice(at..at, junk);
            }
            4 => {
                let special = SPECIAL[rng.random_range(0..SPECIAL.len())];
                bytes.splice(at..at, special.iter().copied());
            }
            // a huge big-endian word where IDX keeps its dimensions (or gzip its header)
            5 if len >= 8 => {
                let start = rng.random_range(0..=len.min(16) - 4);
                let huge = [u32::MAX, 0x8000_0000, 0x0001_0000, rng.random()];
                let word = huge[rng.random_range(0..huge.len())].to_be_bytes();
                bytes[start..start + 4].copy_from_slice(&word);
            }
            // a repeated piece: doubled lines, members, dimensions
            6 if len > 0 => {
                let from = rng.random_range(0..len);
                let to = rng.random_range(from..=len.min(from + 64));
                let piece = bytes[from..to].to_vec();
                bytes.splice(at..at, piece);
            }
            // IDX dimensions rewritten: zeros, ones and huge ones, whose product may overflow
            7 if len >= 4 => {
                let words = (usize::from(bytes[3]) * 4).min(len - 4) / 4;
                for word in bytes[4..4 + 4 * words].chunks_exact_mut(4) {
                    let dims = [0, 1, 3, u32::MAX, 0x8000_0000, 0x0001_0000];
                    word.copy_from_slice(&dims[rng.random_range(0..dims.len())].to_be_bytes());
                }
            }
            // a long run of one byte: a huge field, line or header
            8 => {
                let run = vec![rng.random(); rng.random_range(100..4000)];
                bytes.splice(at..at, run);
            }
            _ => {}
        }
    }
    bytes
}

/// What a loader made of one input: the dimensions of what it returned, or its message.
type Outcome = Result<Vec<usize>, String>;

fn table<F: Float>(result: nn::Result<Csv<F>>) -> Outcome {
    result
        .map(|t| t.values.dims().to_vec())
        .map_err(|e| e.to_string())
}

fn tensor<F: Float>(result: nn::Result<Tensor<F>>) -> Outcome {
    result.map(|t| t.dims().to_vec()).map_err(|e| e.to_string())
}

fn bytes(result: nn::Result<Vec<u8>>) -> Outcome {
    result.map(|_| Vec::new()).map_err(|e| e.to_string())
}

/// Whether every product of `dims` fits a usize, as strides and printing need (zeros count as
/// one: a tensor with no element still has strides).
fn size_fits(dims: &[usize]) -> bool {
    dims.iter()
        .try_fold(1usize, |n, &d| n.checked_mul(d.max(1)))
        .is_some()
}

/// Inputs a loader was given, how many it refused, and the failures: panics, long messages
/// and tensors of a shape too large to work with.
#[derive(Default)]
struct Tally {
    tried: usize,
    refused: usize,
    failures: Vec<String>,
}

impl Tally {
    /// Runs the loader on one input.
    fn check(&mut self, case: usize, input: &[u8], run: impl FnOnce() -> Outcome) {
        self.tried += 1;
        let shown = &input[..input.len().min(64)];
        let failure = match catch_unwind(AssertUnwindSafe(run)) {
            Err(_) => "a panic".to_string(),
            Ok(Err(message)) => {
                self.refused += 1;
                if message.len() <= MAX_MESSAGE {
                    return;
                }
                format!("a {}-byte message", message.len())
            }
            Ok(Ok(dims)) if !size_fits(&dims) => format!("shape {dims:?}"),
            Ok(Ok(_)) => return,
        };
        self.failures
            .push(format!("case {case}: {failure} on {shown:?}…"));
    }
}

#[test]
fn mutated_files_never_panic_and_errors_stay_short() {
    let mut rng = StdRng::seed_from_u64(0x5eed);
    let dir = std::env::temp_dir().join(format!("nn-fuzz-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let limits = Limits::default().with_max_bytes(16 << 10);
    let names = [
        "parse_csv",
        "parse_idx",
        "read_csv_with",
        "read_idx_with",
        "read_bytes_with",
    ];
    let mut tally: [Tally; 5] = Default::default();
    let [
        csv_tally,
        idx_tally,
        csv_gz_tally,
        idx_gz_tally,
        raw_gz_tally,
    ] = &mut tally;

    let (csv, idx, gz) = (csv_seeds(), idx_seeds(), gzip_seeds());
    for case in 0..2 * CASES {
        // each input goes to both parsers: the CSV parser must survive IDX bytes too
        let seeds = if case % 2 == 0 { &csv } else { &idx };
        let seed = &seeds[rng.random_range(0..seeds.len())];
        let input = mutate(&mut rng, seed);
        let (absent, present) = (Header::Absent, Header::Present);
        csv_tally.check(case, &input, || {
            table(parse_csv::<f64>(&input, "f.csv", absent))
        });
        csv_tally.check(case, &input, || {
            table(parse_csv::<f32>(&input, "f.csv", present))
        });
        idx_tally.check(case, &input, || tensor(parse_idx::<f64>(&input, "f.idx")));
    }

    let (csv_gz, idx_gz, raw_gz) = (dir.join("f.csv.gz"), dir.join("f.idx.gz"), dir.join("f.gz"));
    for case in 0..CASES {
        let seed = &gz[rng.random_range(0..gz.len())];
        let input = mutate(&mut rng, seed);
        for path in [&csv_gz, &idx_gz, &raw_gz] {
            std::fs::write(path, &input).unwrap();
        }
        let absent = Header::Absent;
        csv_gz_tally.check(case, &input, || {
            table(read_csv_with::<f64>(&csv_gz, absent, limits))
        });
        idx_gz_tally.check(case, &input, || {
            tensor(read_idx_with::<f32>(&idx_gz, limits))
        });
        raw_gz_tally.check(case, &input, || bytes(read_bytes_with(&raw_gz, limits)));
    }
    std::fs::remove_dir_all(&dir).unwrap();
    for (name, t) in names.iter().zip(&tally) {
        let failed = t.failures.len();
        eprintln!(
            "{name}: {} inputs, {} refused, {failed} failed",
            t.tried, t.refused
        );
        for failure in t.failures.iter().take(3) {
            eprintln!("    {failure}");
        }
    }
    assert!(
        tally.iter().all(|t| t.failures.is_empty()),
        "see the failures above"
    );
    let tried: Vec<usize> = tally.iter().map(|t| t.tried).collect();
    assert_eq!(tried, [4 * CASES, 2 * CASES, CASES, CASES, CASES]);
}
