//! What the course examples share, so that each example is only its lesson.
//!
//! A [`Notebook`] parses the example's arguments (`--quick` for CI, `--figures DIR`), prints
//! its output as a notebook (headings, explanations, numbers), checks each claim the example
//! demonstrates (a false claim ends the program with a non-zero status, so CI keeps the course
//! true) and saves its pictures. Pictures are SVG, drawn with plotters and needing nothing
//! installed: a [`Chart`] (shaded regions, lines, points, notes), a [`Figure`] of several charts,
//! an [`ImageGrid`] of small images; [`text_map`] draws a plane in characters for the terminal.
//!
//! ```
//! use notebook::{Chart, Notebook, Shading};
//! let dir = std::env::temp_dir().join("notebook-doc-lib");
//! let args = ["--quick", "--figures", dir.to_str().unwrap()].map(String::from);
//! let nb = Notebook::from_args("00_demo", "The sign of x·y", args).unwrap();
//! nb.section("A picture");
//! let chart = Chart::new("sign of x·y", -1.0..1.0, -1.0..1.0)
//!     .shade(Shading::Classes, 40, |x, y| if x * y > 0.0 { 1.0 } else { 0.0 });
//! let path = nb.save(&chart, "sign.svg").unwrap();
//! nb.claim(path.exists(), "the picture is written");
//! nb.finish();
//! ```

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod chart;
mod error;
mod figure;
mod image_grid;
mod palette;
mod render;
mod session;
mod text_map;

pub use chart::{Chart, Legend, bounds, line_across};
pub use error::{Error, Result};
pub use figure::Figure;
pub use image_grid::ImageGrid;
pub use palette::Shading;
pub use render::Render;
pub use session::{Notebook, QUICK_ENV};
pub use text_map::text_map;
