//! The layering of `src/` (docs/ARCHITECTURE.md): a module uses only the layers below it.
//! Fails naming every upward `crate::` reference outside comments and unit tests. `lib.rs`
//! and `error.rs` (the crate's one error enum, used by every layer, naming the types it
//! carries) stand outside the layers.

use std::path::{Path, PathBuf};

/// Bottom to top.
const LAYERS: [&str; 9] = [
    "shape", "dtype", "tensor", "ops", "tape", "var", "autodiff", "debug", "check",
];

/// Names re-exported at the crate root, by the layer that defines them.
const ROOT: &[(&str, &str)] = &[
    ("Shape", "shape"),
    ("DType", "dtype"),
    ("Float", "dtype"),
    ("Tensor", "tensor"),
    ("Op", "ops"),
    ("Real", "ops"),
    ("Unary", "ops"),
    ("Binary", "ops"),
    ("Tape", "tape"),
    ("Anomaly", "tape"),
    ("Var", "var"),
    ("TensorVar", "var"),
    ("Gradients", "autodiff"),
    ("GradientGraph", "autodiff"),
    ("Variable", "autodiff"),
    ("Direction", "autodiff"),
    ("Graph", "debug"),
    ("Explanation", "debug"),
    ("GradCheck", "check"),
];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

fn level(name: &str) -> Option<usize> {
    LAYERS.iter().position(|&l| l == name).or_else(|| {
        ROOT.iter()
            .find(|(n, _)| *n == name)
            .and_then(|(_, l)| LAYERS.iter().position(|x| x == l))
    })
}

#[test]
fn no_module_uses_a_layer_above_its_own() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    assert!(
        files.len() > 30,
        "found only {} files in {src:?}",
        files.len()
    );
    let mut upward = Vec::new();
    for path in &files {
        let rel = path.strip_prefix(&src).unwrap();
        let top = rel
            .components()
            .next()
            .unwrap()
            .as_os_str()
            .to_string_lossy();
        let Some(own) = level(top.trim_end_matches(".rs")) else {
            continue; // lib.rs, error.rs
        };
        let text = std::fs::read_to_string(path).unwrap();
        for (n, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap();
            if code.trim_start().starts_with("mod tests") {
                break; // unit tests may use anything
            }
            for (at, _) in code.match_indices("crate::") {
                let name: String = code[at + 7..]
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if let Some(target) = level(&name).filter(|&l| l > own) {
                    upward.push(format!(
                        "{}:{}: {} uses {} (crate::{name})",
                        rel.display(),
                        n + 1,
                        LAYERS[own],
                        LAYERS[target]
                    ));
                }
            }
        }
    }
    assert!(upward.is_empty(), "upward imports:\n{}", upward.join("\n"));
}
