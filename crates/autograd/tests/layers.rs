//! The layering of `src/` (docs/ARCHITECTURE.md): a module uses only the layers below it.
//! Fails naming every upward `crate::` reference outside comments and unit tests, whether a
//! path (`crate::var::Var`), a name re-exported at the root (`crate::Tape`, the list read
//! from `lib.rs`) or a group (`use crate::{Tape, Var}`). Unit tests (a `mod tests` block, or
//! a `tests.rs` file) may use anything. `lib.rs` and `error.rs` (the crate's
//! one error enum, used by every layer, naming the types it carries) stand outside the layers.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Bottom to top.
const LAYERS: [&str; 9] = [
    "shape", "dtype", "tensor", "ops", "tape", "var", "autodiff", "debug", "check",
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

/// The code of a file: comments cut, and nothing from the unit tests on.
fn code(text: &str) -> String {
    let mut out = String::new();
    for line in text.lines() {
        let code = line.split("//").next().unwrap();
        let trimmed = code.trim_start();
        if trimmed.starts_with("mod tests") || trimmed.starts_with("#[cfg(test)]") {
            break;
        }
        out.push_str(code);
        out.push('\n');
    }
    out
}

fn ident(s: &str) -> String {
    s.chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect()
}

/// The first name of each item of a `{...}` group that starts at `s` (just after the brace),
/// at the group's top level.
fn group_heads(s: &str) -> Vec<String> {
    let (mut depth, mut heads, mut item_start) = (0, Vec::new(), true);
    for (i, c) in s.char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => break,
            '}' => depth -= 1,
            ',' if depth == 0 => item_start = true,
            c if item_start && depth == 0 && (c.is_alphanumeric() || c == '_') => {
                heads.push(ident(&s[i..]));
                item_start = false;
            }
            _ => {}
        }
    }
    heads
}

/// Every name `lib.rs` re-exports, by the layer it comes from.
fn root_names(src: &Path) -> HashMap<String, usize> {
    let lib = code(&std::fs::read_to_string(src.join("lib.rs")).unwrap());
    let mut names = HashMap::new();
    for statement in lib.split(';') {
        let Some(at) = statement.find("pub use ") else {
            continue;
        };
        let path = statement[at + 8..].trim();
        let Some(layer) = LAYERS.iter().position(|&l| l == ident(path)) else {
            continue; // error.rs
        };
        match path.find('{') {
            Some(brace) => {
                for name in group_heads(&path[brace + 1..]) {
                    names.insert(name, layer);
                }
            }
            None => {
                names.insert(ident(path.rsplit("::").next().unwrap()), layer);
            }
        }
    }
    names
}

#[test]
fn no_module_uses_a_layer_above_its_own() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let root = root_names(&src);
    assert!(
        root.contains_key("Tape") && root.contains_key("jvp") && root.contains_key("Constant"),
        "the root names read from lib.rs look wrong: {root:?}"
    );
    let level = |name: &str| {
        LAYERS
            .iter()
            .position(|&l| l == name)
            .or_else(|| root.get(name).copied())
    };
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
        if path.file_name().is_some_and(|f| f == "tests.rs") {
            continue; // a unit-test module in its own file (`#[cfg(test)] mod tests;`)
        }
        let text = code(&std::fs::read_to_string(path).unwrap());
        for (at, _) in text.match_indices("crate::") {
            let rest = &text[at + 7..];
            let names = match rest.strip_prefix('{') {
                Some(group) => group_heads(group),
                None => vec![ident(rest)],
            };
            for name in names {
                if let Some(target) = level(&name).filter(|&l| l > own) {
                    let line = text[..at].lines().count();
                    upward.push(format!(
                        "{}:{line}: {} uses {} (crate::{name})",
                        rel.display(),
                        LAYERS[own],
                        LAYERS[target]
                    ));
                }
            }
        }
    }
    assert!(upward.is_empty(), "upward imports:\n{}", upward.join("\n"));
}

#[test]
fn groups_are_read_item_by_item() {
    assert_eq!(
        group_heads("Binary, ops::{Op, Unary}, Tape}\nrest"),
        ["Binary", "ops", "Tape"]
    );
}
