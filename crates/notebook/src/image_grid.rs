//! Small grey-scale images in a grid, each with a caption: digits, learned weights.

use plotters::coord::Shift;
use plotters::prelude::*;

/// Images drawn as grey squares (the largest magnitude black, zero white; white squares are
/// left out of the file), `columns` per row.
///
/// ```
/// use notebook::{ImageGrid, Render};
/// // a 2 × 2 checkerboard, twice
/// let grid = ImageGrid::new("checks", 2)
///     .image(&[1.0, 0.0, 0.0, 1.0], 2, "a")
///     .image(&[0.0, 1.0, 1.0, 0.0], 2, "b");
/// assert!(grid.to_svg().unwrap().contains("checks"));
/// ```
#[derive(Debug, Clone)]
pub struct ImageGrid {
    title: String,
    columns: usize,
    cell: u32,
    images: Vec<(Vec<f64>, usize, String)>,
}

/// Pixels above the grid for the title and above each image for its caption.
const TITLE_HEIGHT: u32 = 40;
const CAPTION_HEIGHT: u32 = 20;

impl ImageGrid {
    /// An empty grid with `columns` images per row, each drawn 96 pixels wide.
    pub fn new(title: &str, columns: usize) -> ImageGrid {
        ImageGrid {
            title: title.to_string(),
            columns: columns.max(1),
            cell: 96,
            images: Vec::new(),
        }
    }

    /// The width in pixels each image is drawn at (96 unless set).
    pub fn cell_size(mut self, pixels: u32) -> ImageGrid {
        self.cell = pixels.max(16);
        self
    }

    /// Adds an image of `width` pixels per row (`pixels.len() / width` rows), row-major.
    ///
    /// # Panics
    /// If `width` is zero or does not divide `pixels.len()`.
    #[track_caller]
    pub fn image(mut self, pixels: &[f64], width: usize, caption: &str) -> ImageGrid {
        assert!(
            width > 0 && pixels.len().is_multiple_of(width),
            "ImageGrid::image: {} pixels do not make rows of {width}",
            pixels.len()
        );
        self.images
            .push((pixels.to_vec(), width, caption.to_string()));
        self
    }

    /// How many images the grid holds.
    pub fn len(&self) -> usize {
        self.images.len()
    }

    /// Whether the grid holds no image.
    pub fn is_empty(&self) -> bool {
        self.images.is_empty()
    }

    fn rows(&self) -> usize {
        self.images.len().div_ceil(self.columns).max(1)
    }

    pub(crate) fn pixels(&self) -> (u32, u32) {
        let columns = self.columns.min(self.images.len().max(1)) as u32;
        // wide enough for the title too (about 11 pixels a character at its size)
        let title = 11 * self.title.chars().count() as u32 + 20;
        (
            (columns * self.cell).max(title),
            self.rows() as u32 * (self.cell + CAPTION_HEIGHT) + TITLE_HEIGHT,
        )
    }

    pub(crate) fn draw(&self, area: &DrawingArea<SVGBackend<'_>, Shift>) -> Result<(), String> {
        let area = area
            .titled(&self.title, ("sans-serif", 20))
            .map_err(|e| e.to_string())?;
        let columns = self.columns.min(self.images.len().max(1));
        for (k, (pixels, width, caption)) in self.images.iter().enumerate() {
            let x0 = (k % columns) as i32 * self.cell as i32;
            let y0 = (k / columns) as i32 * (self.cell + CAPTION_HEIGHT) as i32;
            area.draw(&Text::new(
                caption.clone(),
                (x0 + 6, y0 + 3),
                ("sans-serif", 13),
            ))
            .map_err(|e| e.to_string())?;
            let height = pixels.len() / width;
            let side = (self.cell as i32 - 8) / (*width).max(height) as i32;
            let max = pixels.iter().fold(0.0f64, |m, &v| m.max(v.abs()));
            let top = y0 + CAPTION_HEIGHT as i32;
            for (i, &value) in pixels.iter().enumerate() {
                let level = if max > 0.0 { value.abs() / max } else { 0.0 };
                let grey = (255.0 * (1.0 - level)).round() as u8;
                if grey == 255 {
                    continue; // white on the white canvas: nothing to draw
                }
                let (r, c) = ((i / width) as i32, (i % width) as i32);
                let (px, py) = (x0 + 4 + c * side, top + r * side);
                area.draw(&Rectangle::new(
                    [(px, py), (px + side, py + side)],
                    RGBColor(grey, grey, grey).filled(),
                ))
                .map_err(|e| e.to_string())?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[should_panic(expected = "5 pixels do not make rows of 2")]
    fn ragged_images_are_refused() {
        let _ = ImageGrid::new("t", 1).image(&[0.0; 5], 2, "x");
    }

    #[test]
    fn the_canvas_grows_by_rows() {
        let mut grid = ImageGrid::new("t", 3);
        for _ in 0..4 {
            grid = grid.image(&[0.0; 4], 2, "");
        }
        assert_eq!(
            grid.pixels(),
            (3 * 96, 2 * (96 + CAPTION_HEIGHT) + TITLE_HEIGHT)
        );
        assert_eq!(grid.len(), 4);
    }
}
