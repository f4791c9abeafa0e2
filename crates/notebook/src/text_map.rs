//! A plane drawn in characters, for the terminal: decision regions with the samples on top.

use std::ops::Range;

/// Draws `x_range × y_range` as `rows` lines of `columns` characters: each cell shows
/// `cell(x, y)` at its centre, unless a mark `(x, y, char)` falls in it; the top line is the
/// largest `y`.
///
/// ```
/// // the half-plane x > 0 as '#', one mark at the origin's left
/// let map = notebook::text_map(-1.0..1.0, -1.0..1.0, 4, 2, |x, _| if x > 0.0 { '#' } else { '.' },
///     &[(-0.6, 0.5, 'o')]);
/// assert_eq!(map, "  o.##\n  ..##\n");
/// ```
pub fn text_map(
    x_range: Range<f64>,
    y_range: Range<f64>,
    columns: usize,
    rows: usize,
    cell: impl Fn(f64, f64) -> char,
    marks: &[(f64, f64, char)],
) -> String {
    let (columns, rows) = (columns.max(1), rows.max(1));
    let dx = (x_range.end - x_range.start) / columns as f64;
    let dy = (y_range.end - y_range.start) / rows as f64;
    let mut grid: Vec<Vec<char>> = (0..rows)
        .map(|r| {
            let y = y_range.end - (r as f64 + 0.5) * dy;
            (0..columns)
                .map(|c| cell(x_range.start + (c as f64 + 0.5) * dx, y))
                .collect()
        })
        .collect();
    for &(x, y, mark) in marks {
        let c = ((x - x_range.start) / dx).floor();
        let r = ((y_range.end - y) / dy).floor();
        if c >= 0.0 && r >= 0.0 && (c as usize) < columns && (r as usize) < rows {
            grid[r as usize][c as usize] = mark;
        }
    }
    grid.iter()
        .map(|line| format!("  {}\n", line.iter().collect::<String>()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_outside_the_plane_are_dropped() {
        let map = text_map(
            0.0..1.0,
            0.0..1.0,
            2,
            1,
            |_, _| '.',
            &[(5.0, 0.5, 'x'), (0.5, -3.0, 'x')],
        );
        assert_eq!(map, "  ..\n");
    }

    #[test]
    fn the_top_line_is_the_largest_y() {
        let map = text_map(
            0.0..1.0,
            0.0..2.0,
            1,
            2,
            |_, y| if y > 1.0 { 'T' } else { 'B' },
            &[],
        );
        assert_eq!(map, "  T\n  B\n");
    }
}
