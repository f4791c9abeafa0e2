//! Several charts side by side in one picture (small multiples).

use plotters::coord::Shift;
use plotters::prelude::*;

use crate::Chart;

/// Charts laid out in a grid, `columns` per row, under one title.
///
/// ```
/// use notebook::{Chart, Figure, Render};
/// let figure = Figure::new("two panels", 2)
///     .panel(Chart::new("left", 0.0..1.0, 0.0..1.0))
///     .panel(Chart::new("right", 0.0..1.0, 0.0..1.0));
/// assert_eq!(figure.len(), 2);
/// assert!(figure.to_svg().unwrap().contains("right"));
/// ```
#[derive(Debug, Clone)]
pub struct Figure {
    title: String,
    columns: usize,
    panel: (u32, u32),
    charts: Vec<Chart>,
}

/// Pixels above the panels for the figure's title.
const TITLE_HEIGHT: u32 = 40;

impl Figure {
    /// An empty figure with `columns` panels per row (each 420 × 360 pixels).
    pub fn new(title: &str, columns: usize) -> Figure {
        Figure {
            title: title.to_string(),
            columns: columns.max(1),
            panel: (420, 360),
            charts: Vec::new(),
        }
    }

    /// The size of each panel in pixels.
    pub fn panel_size(mut self, width: u32, height: u32) -> Figure {
        self.panel = (width, height);
        self
    }

    /// Adds a chart as the next panel.
    pub fn panel(mut self, chart: Chart) -> Figure {
        self.charts.push(chart);
        self
    }

    /// How many charts the figure holds.
    pub fn len(&self) -> usize {
        self.charts.len()
    }

    /// Whether the figure holds no chart.
    pub fn is_empty(&self) -> bool {
        self.charts.is_empty()
    }

    fn rows(&self) -> usize {
        self.charts.len().div_ceil(self.columns).max(1)
    }

    pub(crate) fn pixels(&self) -> (u32, u32) {
        let columns = self.columns.min(self.charts.len().max(1)) as u32;
        (
            columns * self.panel.0,
            self.rows() as u32 * self.panel.1 + TITLE_HEIGHT,
        )
    }

    pub(crate) fn draw(&self, area: &DrawingArea<SVGBackend<'_>, Shift>) -> Result<(), String> {
        let area = area
            .titled(&self.title, ("sans-serif", 22))
            .map_err(|e| e.to_string())?;
        let columns = self.columns.min(self.charts.len().max(1));
        let panels = area.split_evenly((self.rows(), columns));
        for (chart, panel) in self.charts.iter().zip(&panels) {
            chart.draw(panel)?;
        }
        Ok(())
    }
}
