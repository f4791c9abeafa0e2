//! Writing a picture: every figure kind draws itself onto an SVG canvas the same way.

use std::path::Path;

use plotters::coord::Shift;
use plotters::prelude::*;

use crate::{Chart, Error, Figure, ImageGrid, Result};

/// The drawing half of a picture, kept out of the public API (plotters' types stay inside).
mod sealed {
    use plotters::coord::Shift;
    use plotters::prelude::*;

    pub trait Draw {
        /// The canvas size in pixels.
        fn pixels(&self) -> (u32, u32);
        /// Draws onto a white canvas of `pixels()`.
        fn draw_on(&self, area: &DrawingArea<SVGBackend<'_>, Shift>) -> Result<(), String>;
    }
}
use sealed::Draw;

/// A picture that can be written as SVG: [`Chart`], [`Figure`] or [`ImageGrid`].
///
/// ```
/// use notebook::{Chart, Render};
/// let path = std::env::temp_dir().join("notebook-doc-render.svg");
/// Chart::new("empty", 0.0..1.0, 0.0..1.0).save_svg(&path).unwrap();
/// assert!(std::fs::read_to_string(&path).unwrap().contains("empty"));
/// ```
pub trait Render: Draw {
    /// The picture as an SVG document.
    fn to_svg(&self) -> Result<String> {
        let mut svg = String::new();
        {
            let area = SVGBackend::with_string(&mut svg, self.pixels()).into_drawing_area();
            paint(self, &area).map_err(|message| Error::Draw {
                path: "<string>".into(),
                message,
            })?;
        }
        Ok(svg)
    }

    /// Writes the picture as an SVG file at `path`.
    fn save_svg(&self, path: &Path) -> Result<()> {
        // Drawn to a string first: plotters would report a failed write only by panicking
        // when the backend is dropped.
        let svg = self.to_svg().map_err(|err| match err {
            Error::Draw { message, .. } => Error::Draw {
                path: path.to_path_buf(),
                message,
            },
            other => other,
        })?;
        std::fs::write(path, svg).map_err(|source| Error::Io {
            path: path.to_path_buf(),
            source,
        })
    }
}

impl<T: Draw> Render for T {}

fn paint<R: Draw + ?Sized>(
    picture: &R,
    area: &DrawingArea<SVGBackend<'_>, Shift>,
) -> std::result::Result<(), String> {
    area.fill(&WHITE).map_err(|e| e.to_string())?;
    picture.draw_on(area)?;
    area.present().map_err(|e| e.to_string())
}

impl Draw for Chart {
    fn pixels(&self) -> (u32, u32) {
        Chart::pixels(self)
    }

    fn draw_on(
        &self,
        area: &DrawingArea<SVGBackend<'_>, Shift>,
    ) -> std::result::Result<(), String> {
        self.draw(area)
    }
}

impl Draw for Figure {
    fn pixels(&self) -> (u32, u32) {
        Figure::pixels(self)
    }

    fn draw_on(
        &self,
        area: &DrawingArea<SVGBackend<'_>, Shift>,
    ) -> std::result::Result<(), String> {
        self.draw(area)
    }
}

impl Draw for ImageGrid {
    fn pixels(&self) -> (u32, u32) {
        ImageGrid::pixels(self)
    }

    fn draw_on(
        &self,
        area: &DrawingArea<SVGBackend<'_>, Shift>,
    ) -> std::result::Result<(), String> {
        self.draw(area)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_that_cannot_be_written_is_named() {
        let path = Path::new("/nonexistent-folder/chart.svg");
        let err = Chart::new("x", 0.0..1.0, 0.0..1.0)
            .save_svg(path)
            .unwrap_err();
        assert!(
            err.to_string()
                .starts_with("cannot write /nonexistent-folder/chart.svg"),
            "{err}"
        );
    }
}
