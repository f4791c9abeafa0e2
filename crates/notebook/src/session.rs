//! A course example's session: its mode (quick or full), its output in notebook form, the
//! claims it checks and where its figures go.

use std::cell::Cell;
use std::fmt::Display;
use std::path::{Path, PathBuf};

use indicatif::{ProgressBar, ProgressStyle};

use crate::{Error, Result};

/// Set to `1` (or pass `--quick`) to run an example in its few-second CI mode.
pub const QUICK_ENV: &str = "LEARNGRAD_QUICK";

/// One run of a course example: parses its arguments, prints its notebook-style output, checks
/// its claims (a failed claim ends the program with a non-zero exit) and saves its figures.
///
/// Arguments: `--quick` (or `LEARNGRAD_QUICK=1`) for the few-second mode CI runs,
/// `--figures DIR` to write the figures somewhere other than `target/course/NAME/`, and any
/// positional arguments the example documents (a data folder, say).
///
/// ```
/// use notebook::Notebook;
/// let dir = std::env::temp_dir().join("notebook-doc-session");
/// let args = ["--quick", "--figures", dir.to_str().unwrap()].map(String::from);
/// let nb = Notebook::from_args("00_demo", "A demonstration", args).unwrap();
/// assert!(nb.quick());
/// assert_eq!(nb.choose(10, 1000), 10);
/// nb.section("Arithmetic");
/// nb.claim(1 + 1 == 2, "one plus one is two");
/// assert_eq!(nb.claims_checked(), 1);
/// assert_eq!(nb.figure_path("a.svg").unwrap(), dir.join("a.svg"));
/// ```
#[derive(Debug)]
pub struct Notebook {
    name: String,
    quick: bool,
    figures: PathBuf,
    positional: Vec<String>,
    claims: Cell<usize>,
    saved: Cell<usize>,
}

impl Notebook {
    /// Starts the example `name` (its file name, e.g. `02_rosenblatt`) from the program's own
    /// arguments and prints its title. Bad arguments print the usage and exit with status 2.
    pub fn start(name: &str, title: &str) -> Notebook {
        match Notebook::from_args(name, title, std::env::args().skip(1)) {
            Ok(notebook) => notebook,
            Err(err) => {
                eprintln!("{name}: {err}");
                eprintln!(
                    "usage: cargo run --release --example {name} -- [--quick] [--figures DIR] [ARGS]"
                );
                std::process::exit(2);
            }
        }
    }

    /// As [`Notebook::start`], from the given arguments (without the program name); the
    /// environment variable [`QUICK_ENV`] also selects quick mode.
    pub fn from_args(
        name: &str,
        title: &str,
        args: impl IntoIterator<Item = String>,
    ) -> Result<Notebook> {
        let mut quick = std::env::var(QUICK_ENV).is_ok_and(|v| v == "1");
        let mut figures = Path::new("target").join("course").join(name);
        let mut positional = Vec::new();
        let mut args = args.into_iter();
        while let Some(arg) = args.next() {
            match arg.as_str() {
                "--quick" => quick = true,
                "--figures" => {
                    figures = args
                        .next()
                        .ok_or(Error::MissingValue {
                            option: "--figures",
                        })?
                        .into()
                }
                option if option.starts_with("--") => {
                    return Err(Error::UnknownOption(option.to_string()));
                }
                _ => positional.push(arg),
            }
        }
        println!("# {title}\n");
        if quick {
            println!(
                "(quick mode, as CI runs it: the same claims, on smaller problems where the full run is slow)\n"
            );
        }
        Ok(Notebook {
            name: name.to_string(),
            quick,
            figures,
            positional,
            claims: Cell::new(0),
            saved: Cell::new(0),
        })
    }

    /// The example's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Whether this is the quick (CI) run.
    pub fn quick(&self) -> bool {
        self.quick
    }

    /// `quick` in quick mode, `full` otherwise: the one knob for problem sizes.
    pub fn choose<T>(&self, quick: T, full: T) -> T {
        if self.quick { quick } else { full }
    }

    /// The positional arguments (options removed).
    pub fn args(&self) -> &[String] {
        &self.positional
    }

    /// Prints a section heading.
    pub fn section(&self, heading: &str) {
        println!("\n## {heading}\n");
    }

    /// Prints a paragraph of explanation.
    pub fn say(&self, text: impl Display) {
        println!("{text}");
    }

    /// Checks a claim the example demonstrates: prints it with a tick, or panics naming it, so
    /// that the example exits non-zero and CI fails.
    #[track_caller]
    pub fn claim(&self, holds: bool, statement: impl Display) {
        if !holds {
            panic!("claim failed: {statement}");
        }
        self.claims.set(self.claims.get() + 1);
        println!("  ✓ {statement}");
    }

    /// How many claims have held so far.
    pub fn claims_checked(&self) -> usize {
        self.claims.get()
    }

    /// Where the figure `file` goes (its folder is created).
    pub fn figure_path(&self, file: &str) -> Result<PathBuf> {
        std::fs::create_dir_all(&self.figures).map_err(|source| Error::Io {
            path: self.figures.clone(),
            source,
        })?;
        Ok(self.figures.join(file))
    }

    /// Saves a figure (a [`crate::Chart`], [`crate::Figure`] or [`crate::ImageGrid`]) as
    /// `file` in the figure folder, prints where, and returns the path.
    pub fn save(&self, figure: &impl crate::Render, file: &str) -> Result<PathBuf> {
        let path = self.figure_path(file)?;
        figure.save_svg(&path)?;
        self.saved.set(self.saved.get() + 1);
        println!("  picture: {}", path.display());
        Ok(path)
    }

    /// Notes a file the example wrote itself (a DOT graph, a picture rendered by another
    /// tool): prints where, and counts it with the figures.
    pub fn wrote(&self, path: &Path) {
        self.saved.set(self.saved.get() + 1);
        println!("  picture: {}", path.display());
    }

    /// A progress bar for `len` steps of `what`; hidden in quick mode (and by indicatif when
    /// the output is not a terminal).
    pub fn progress(&self, len: u64, what: &str) -> ProgressBar {
        if self.quick {
            return ProgressBar::hidden();
        }
        let bar = ProgressBar::new(len).with_message(what.to_string());
        if let Ok(style) =
            ProgressStyle::with_template("  {msg:<12} [{bar:30}] {pos}/{len} ({elapsed})")
        {
            bar.set_style(style.progress_chars("=> "));
        }
        bar
    }

    /// Prints the closing summary: how many claims held and how many figures were written.
    pub fn finish(self) {
        let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
        print!("\nDone: {} held", plural(self.claims.get(), "claim"));
        match self.saved.get() {
            0 => println!("."),
            n => println!(", {} in {}.", plural(n, "figure"), self.figures.display()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn options_and_positional_arguments_are_separated() {
        let out = std::env::temp_dir().join("notebook-test-options");
        let list = ["data/mnist", "--figures", out.to_str().unwrap()];
        let nb = Notebook::from_args("t", "T", args(&list)).unwrap();
        assert_eq!(nb.args(), ["data/mnist"]);
        assert_eq!(nb.figure_path("f.svg").ok(), Some(out.join("f.svg")));
    }

    #[test]
    fn bad_arguments_are_named() {
        let err = Notebook::from_args("t", "T", args(&["--fast"])).unwrap_err();
        assert_eq!(err.to_string(), "unknown option --fast");
        let err = Notebook::from_args("t", "T", args(&["--figures"])).unwrap_err();
        assert_eq!(err.to_string(), "option --figures needs a value");
    }

    #[test]
    #[should_panic(expected = "claim failed: two is odd")]
    fn a_false_claim_panics_with_its_statement() {
        let nb = Notebook::from_args("t", "T", args(&["--quick"])).unwrap();
        nb.claim(2 % 2 == 1, "two is odd");
    }

    #[test]
    fn default_figures_go_under_target_course() {
        let nb = Notebook::from_args("07_x", "T", args(&[])).unwrap();
        assert_eq!(nb.figures, Path::new("target/course/07_x"));
        assert_eq!(nb.choose(1, 2), if nb.quick() { 1 } else { 2 });
    }
}
