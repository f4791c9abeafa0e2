//! A chart described as data (shaded regions, lines, points, labels) and drawn to SVG at the
//! end, so that an example builds its picture in the order it explains it.

use std::ops::Range;

use plotters::coord::Shift;
use plotters::prelude::*;

use crate::palette::{self, Shading};

/// A 2-D chart: axes with fixed ranges and layers drawn in the order they were added.
///
/// ```
/// use notebook::{Chart, Render, Shading};
/// let chart = Chart::new("y = x²", -2.0..2.0, 0.0..4.0)
///     .labels("x", "y")
///     .shade(Shading::Levels { log: false }, 20, |x, y| y - x * x)
///     .line("x²", (-20..=20).map(|i| i as f64 / 10.0).map(|x| (x, x * x)), 0)
///     .points("samples", [(1.0, 1.0), (-1.0, 1.0)], 1)
///     .text((0.0, 3.5), "a parabola");
/// let svg = chart.to_svg().unwrap();
/// assert!(svg.starts_with("<svg") && svg.contains("a parabola"));
/// ```
#[derive(Debug, Clone)]
pub struct Chart {
    title: String,
    x_label: String,
    y_label: String,
    x_range: Range<f64>,
    y_range: Range<f64>,
    size: (u32, u32),
    layers: Vec<Layer>,
    legend: Legend,
}

/// Where a chart's legend goes (upper right unless set).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Legend {
    /// Top left corner.
    UpperLeft,
    /// Top right corner.
    UpperRight,
    /// Bottom left corner.
    LowerLeft,
    /// Bottom right corner.
    LowerRight,
    /// No legend, even for labelled layers.
    Hidden,
}

#[derive(Debug, Clone)]
enum Layer {
    /// `values[row * columns + column]`, sampled at cell centres, row 0 at the bottom.
    Shade {
        columns: usize,
        rows: usize,
        values: Vec<f64>,
        shading: Shading,
    },
    Line {
        label: String,
        points: Vec<(f64, f64)>,
        color: usize,
        markers: bool,
        dashed: bool,
    },
    Points {
        label: String,
        points: Vec<(f64, f64)>,
        color: usize,
        hollow: bool,
    },
    Text {
        at: (f64, f64),
        text: String,
    },
}

impl Chart {
    /// An empty chart over `x_range × y_range` (640 × 480 pixels when saved alone).
    pub fn new(title: &str, x_range: Range<f64>, y_range: Range<f64>) -> Chart {
        Chart {
            title: title.to_string(),
            x_label: String::new(),
            y_label: String::new(),
            x_range,
            y_range,
            size: (640, 480),
            layers: Vec::new(),
            legend: Legend::UpperRight,
        }
    }

    /// Names the axes.
    pub fn labels(mut self, x: &str, y: &str) -> Chart {
        self.x_label = x.to_string();
        self.y_label = y.to_string();
        self
    }

    /// Moves (or hides) the legend.
    pub fn legend(mut self, legend: Legend) -> Chart {
        self.legend = legend;
        self
    }

    /// The line `w₁x + w₂y + b = 0` (a linear unit's decision boundary) across the chart;
    /// nothing if it misses the chart or `w` is zero.
    ///
    /// ```
    /// use notebook::{Chart, Render};
    /// // x + y − 1 = 0 crosses the unit square from (0, 1) to (1, 0)
    /// let chart = Chart::new("a boundary", 0.0..1.0, 0.0..1.0).boundary("x + y = 1", [1.0, 1.0], -1.0, 3);
    /// assert!(chart.to_svg().unwrap().contains("x + y = 1"));
    /// ```
    pub fn boundary(self, label: &str, w: [f64; 2], b: f64, color: usize) -> Chart {
        match line_across(w, b, &self.x_range, &self.y_range) {
            Some(ends) => self.line(label, ends, color),
            None => self,
        }
    }

    /// The size in pixels when the chart is saved on its own.
    pub fn size(mut self, width: u32, height: u32) -> Chart {
        self.size = (width, height);
        self
    }

    /// Shades the whole plane by `f(x, y)` sampled on a `resolution × resolution` grid: a
    /// classifier's output as regions, a loss as levels.
    pub fn shade(
        mut self,
        shading: Shading,
        resolution: usize,
        f: impl Fn(f64, f64) -> f64,
    ) -> Chart {
        let n = resolution.max(1);
        let (dx, dy) = (
            span(&self.x_range) / n as f64,
            span(&self.y_range) / n as f64,
        );
        let values = (0..n * n)
            .map(|k| {
                let (row, column) = (k / n, k % n);
                let x = self.x_range.start + (column as f64 + 0.5) * dx;
                let y = self.y_range.start + (row as f64 + 0.5) * dy;
                f(x, y)
            })
            .collect();
        self.layers.push(Layer::Shade {
            columns: n,
            rows: n,
            values,
            shading,
        });
        self
    }

    /// A line through `points` in the palette's colour `color`; an empty label keeps it out of
    /// the legend.
    pub fn line(
        self,
        label: &str,
        points: impl IntoIterator<Item = (f64, f64)>,
        color: usize,
    ) -> Chart {
        self.add_line(label, points, color, false, false)
    }

    /// A dashed line (a reference curve, a target).
    pub fn dashed(
        self,
        label: &str,
        points: impl IntoIterator<Item = (f64, f64)>,
        color: usize,
    ) -> Chart {
        self.add_line(label, points, color, false, true)
    }

    /// A line with a marker at every point (a trajectory).
    pub fn path(
        self,
        label: &str,
        points: impl IntoIterator<Item = (f64, f64)>,
        color: usize,
    ) -> Chart {
        self.add_line(label, points, color, true, false)
    }

    fn add_line(
        mut self,
        label: &str,
        points: impl IntoIterator<Item = (f64, f64)>,
        color: usize,
        markers: bool,
        dashed: bool,
    ) -> Chart {
        self.layers.push(Layer::Line {
            label: label.to_string(),
            points: points.into_iter().collect(),
            color,
            markers,
            dashed,
        });
        self
    }

    /// Filled dots in colour `color` (one call per class).
    pub fn points(
        self,
        label: &str,
        points: impl IntoIterator<Item = (f64, f64)>,
        color: usize,
    ) -> Chart {
        self.add_points(label, points, color, false)
    }

    /// Rings in colour `color` (held-out samples, mistakes).
    pub fn rings(
        self,
        label: &str,
        points: impl IntoIterator<Item = (f64, f64)>,
        color: usize,
    ) -> Chart {
        self.add_points(label, points, color, true)
    }

    fn add_points(
        mut self,
        label: &str,
        points: impl IntoIterator<Item = (f64, f64)>,
        color: usize,
        hollow: bool,
    ) -> Chart {
        self.layers.push(Layer::Points {
            label: label.to_string(),
            points: points.into_iter().collect(),
            color,
            hollow,
        });
        self
    }

    /// A note written at `at` (in the chart's coordinates).
    pub fn text(mut self, at: (f64, f64), text: &str) -> Chart {
        self.layers.push(Layer::Text {
            at,
            text: text.to_string(),
        });
        self
    }

    /// Draws the chart into one area of a picture.
    pub(crate) fn draw(&self, area: &DrawingArea<SVGBackend<'_>, Shift>) -> Result<(), String> {
        let mut chart = ChartBuilder::on(area)
            .caption(&self.title, ("sans-serif", 17))
            .margin(12)
            .x_label_area_size(if self.x_label.is_empty() { 25 } else { 40 })
            .y_label_area_size(if self.y_label.is_empty() { 40 } else { 55 })
            .build_cartesian_2d(self.x_range.clone(), self.y_range.clone())
            .map_err(|e| e.to_string())?;
        let shaded = self.layers.iter().any(|l| matches!(l, Layer::Shade { .. }));
        let mut mesh = chart.configure_mesh();
        mesh.x_desc(self.x_label.as_str())
            .y_desc(self.y_label.as_str())
            .light_line_style(RGBColor(238, 238, 238))
            .max_light_lines(1);
        if shaded {
            // the shading would hide the grid anyway: keep the axes and labels only
            mesh.disable_mesh();
        }
        mesh.draw().map_err(|e| e.to_string())?;
        let mut legend = false;
        for layer in &self.layers {
            match layer {
                Layer::Shade {
                    columns,
                    rows,
                    values,
                    shading,
                } => {
                    let cells = self.shade_cells(*columns, *rows, values, *shading);
                    chart.draw_series(cells).map_err(|e| e.to_string())?;
                }
                Layer::Line {
                    label,
                    points,
                    color,
                    markers,
                    dashed,
                } => {
                    let style = palette::color(*color).stroke_width(2);
                    let drawn = if *dashed {
                        chart.draw_series(DashedLineSeries::new(
                            points.iter().copied(),
                            8,
                            5,
                            style,
                        ))
                    } else {
                        chart.draw_series(LineSeries::new(points.iter().copied(), style))
                    }
                    .map_err(|e| e.to_string())?;
                    if !label.is_empty() {
                        legend = true;
                        drawn.label(label).legend(move |(x, y)| {
                            PathElement::new(vec![(x, y), (x + 20, y)], style)
                        });
                    }
                    if *markers {
                        let marker = palette::color(*color).filled();
                        chart
                            .draw_series(points.iter().map(|&p| Circle::new(p, 3, marker)))
                            .map_err(|e| e.to_string())?;
                    }
                }
                Layer::Points {
                    label,
                    points,
                    color,
                    hollow,
                } => {
                    let style = if *hollow {
                        palette::color(*color).stroke_width(2)
                    } else {
                        palette::color(*color).filled()
                    };
                    let radius = if *hollow { 5 } else { 3 };
                    let drawn = chart
                        .draw_series(points.iter().map(|&p| Circle::new(p, radius, style)))
                        .map_err(|e| e.to_string())?;
                    if !label.is_empty() {
                        legend = true;
                        drawn
                            .label(label)
                            .legend(move |(x, y)| Circle::new((x + 10, y), radius, style));
                    }
                }
                Layer::Text { at, text } => {
                    chart
                        .draw_series(std::iter::once(Text::new(
                            text.clone(),
                            *at,
                            ("sans-serif", 14),
                        )))
                        .map_err(|e| e.to_string())?;
                }
            }
        }
        let position = match self.legend {
            Legend::UpperLeft => SeriesLabelPosition::UpperLeft,
            Legend::UpperRight => SeriesLabelPosition::UpperRight,
            Legend::LowerLeft => SeriesLabelPosition::LowerLeft,
            Legend::LowerRight => SeriesLabelPosition::LowerRight,
            Legend::Hidden => return Ok(()),
        };
        if legend {
            chart
                .configure_series_labels()
                .position(position)
                .background_style(WHITE.mix(0.85))
                .border_style(RGBColor(180, 180, 180))
                .label_font(("sans-serif", 13))
                .draw()
                .map_err(|e| e.to_string())?;
        }
        Ok(())
    }

    /// The shaded grid as rectangles, neighbouring cells of one band merged along each row so
    /// that a picture stays a few kilobytes.
    fn shade_cells(
        &self,
        columns: usize,
        rows: usize,
        values: &[f64],
        shading: Shading,
    ) -> Vec<Rectangle<(f64, f64)>> {
        let bands = palette::Bands::new(shading, values);
        let dx = span(&self.x_range) / columns as f64;
        let dy = span(&self.y_range) / rows as f64;
        let mut cells = Vec::new();
        for row in 0..rows {
            let mut start = 0;
            while start < columns {
                let band = bands.band(values[row * columns + start]);
                let mut end = start + 1;
                while end < columns && bands.band(values[row * columns + end]) == band {
                    end += 1;
                }
                let x0 = self.x_range.start + start as f64 * dx;
                let y0 = self.y_range.start + row as f64 * dy;
                let x1 = self.x_range.start + end as f64 * dx;
                // each row reaches a little into the next, drawn over it, so that viewers'
                // anti-aliasing leaves no pale seam between rows
                let overlap = if row + 1 < rows { 0.25 * dy } else { 0.0 };
                cells.push(Rectangle::new(
                    [(x0, y0), (x1, y0 + dy + overlap)],
                    bands.color(band).filled(),
                ));
                start = end;
            }
        }
        cells
    }

    pub(crate) fn pixels(&self) -> (u32, u32) {
        self.size
    }
}

/// The ends of the part of the line `w₁x + w₂y + b = 0` inside `x × y`, if it crosses it:
/// a linear unit's decision boundary, ready for [`Chart::line`] or [`Chart::dashed`].
///
/// ```
/// // x = 0.5 crosses the unit square from bottom to top
/// let ends = notebook::line_across([1.0, 0.0], -0.5, &(0.0..1.0), &(0.0..1.0));
/// assert_eq!(ends, Some([(0.5, 0.0), (0.5, 1.0)]));
/// ```
pub fn line_across(w: [f64; 2], b: f64, x: &Range<f64>, y: &Range<f64>) -> Option<[(f64, f64); 2]> {
    let inside = |p: (f64, f64)| {
        p.0.is_finite()
            && p.1.is_finite()
            && p.0 >= x.start - 1e-12
            && p.0 <= x.end + 1e-12
            && p.1 >= y.start - 1e-12
            && p.1 <= y.end + 1e-12
    };
    let mut ends: Vec<(f64, f64)> = Vec::new();
    if w[1] != 0.0 {
        ends.extend([x.start, x.end].map(|xe| (xe, -(w[0] * xe + b) / w[1])));
    }
    if w[0] != 0.0 {
        ends.extend([y.start, y.end].map(|ye| (-(w[1] * ye + b) / w[0], ye)));
    }
    ends.retain(|&p| inside(p));
    // the two ends farthest apart: a corner can be found from both of its edges
    let mut best: Option<([(f64, f64); 2], f64)> = None;
    for (i, &p) in ends.iter().enumerate() {
        for &q in &ends[i + 1..] {
            let length = (p.0 - q.0).hypot(p.1 - q.1);
            if length > 1e-12 && best.is_none_or(|(_, longest)| length > longest) {
                best = Some(([p, q], length));
            }
        }
    }
    best.map(|(segment, _)| segment)
}

fn span(range: &Range<f64>) -> f64 {
    range.end - range.start
}

/// The smallest ranges holding every point, widened by 5 % on each side (a flat range by 1).
///
/// ```
/// let (x, y) = notebook::bounds([(0.0, 1.0), (10.0, 1.0)]);
/// assert_eq!((x.start, x.end), (-0.5, 10.5));
/// assert_eq!((y.start, y.end), (0.0, 2.0));
/// ```
pub fn bounds(points: impl IntoIterator<Item = (f64, f64)>) -> (Range<f64>, Range<f64>) {
    let (mut x0, mut x1, mut y0, mut y1) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
    for (x, y) in points {
        (x0, x1, y0, y1) = (x0.min(x), x1.max(x), y0.min(y), y1.max(y));
    }
    let pad = |lo: f64, hi: f64| {
        if lo > hi {
            -1.0..1.0
        } else if hi - lo == 0.0 {
            lo - 1.0..hi + 1.0
        } else {
            let m = 0.05 * (hi - lo);
            lo - m..hi + m
        }
    };
    (pad(x0, x1), pad(y0, y1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Render;

    #[test]
    fn shading_merges_runs_of_one_band() {
        // left half class 0, right half class 1: two rectangles per row
        let chart = Chart::new("halves", 0.0..1.0, 0.0..1.0)
            .shade(Shading::Classes, 10, |x, _| if x < 0.5 { 0.0 } else { 1.0 });
        let Layer::Shade { values, .. } = &chart.layers[0] else {
            unreachable!()
        };
        assert_eq!(
            chart.shade_cells(10, 10, values, Shading::Classes).len(),
            20
        );
        let svg = chart.to_svg().unwrap();
        assert!(svg.contains("halves"));
    }

    #[test]
    fn labels_reach_the_legend_and_empty_labels_do_not() {
        let svg = Chart::new("t", 0.0..1.0, 0.0..1.0)
            .line("kept", [(0.0, 0.0), (1.0, 1.0)], 0)
            .dashed("", [(0.0, 1.0), (1.0, 0.0)], 1)
            .path("route", [(0.2, 0.2), (0.4, 0.5)], 2)
            .rings("held out", [(0.5, 0.5)], 3)
            .to_svg()
            .unwrap();
        assert!(svg.contains("kept") && svg.contains("route") && svg.contains("held out"));
    }

    #[test]
    fn boundaries_are_clipped_to_the_chart() {
        // x = 0.5: vertical
        let unit = 0.0..1.0;
        // the diagonal through two corners: each corner once
        assert_eq!(
            line_across([1.0, -1.0], 0.0, &unit, &unit),
            Some([(0.0, 0.0), (1.0, 1.0)])
        );
        // misses the box, or no line at all
        assert_eq!(line_across([1.0, 1.0], -5.0, &unit, &unit), None);
        assert_eq!(line_across([0.0, 0.0], 1.0, &unit, &unit), None);
    }

    #[test]
    fn a_hidden_legend_is_not_drawn() {
        let svg = Chart::new("t", 0.0..1.0, 0.0..1.0)
            .line("a label", [(0.0, 0.0), (1.0, 1.0)], 0)
            .legend(Legend::Hidden)
            .to_svg()
            .unwrap();
        assert!(!svg.contains("a label"));
    }

    #[test]
    fn bounds_of_nothing_is_a_unit_square() {
        let (x, y) = bounds(std::iter::empty());
        assert_eq!((x, y), (-1.0..1.0, -1.0..1.0));
    }
}
