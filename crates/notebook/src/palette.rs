//! Colours: a palette for classes and series, and the banded shadings of a plane.

use plotters::style::RGBColor;

/// Tableau's ten colours: distinct, and readable by most colour-blind people.
const PALETTE: [RGBColor; 10] = [
    RGBColor(31, 119, 180),
    RGBColor(255, 127, 14),
    RGBColor(44, 160, 44),
    RGBColor(214, 39, 40),
    RGBColor(148, 103, 189),
    RGBColor(140, 86, 75),
    RGBColor(227, 119, 194),
    RGBColor(127, 127, 127),
    RGBColor(188, 189, 34),
    RGBColor(23, 190, 207),
];

/// Viridis at five stops: dark (low) to light (high), perceptually even.
const VIRIDIS: [(f64, f64, f64); 5] = [
    (68.0, 1.0, 84.0),
    (59.0, 82.0, 139.0),
    (33.0, 145.0, 140.0),
    (94.0, 201.0, 98.0),
    (253.0, 231.0, 37.0),
];

/// The `i`-th colour of the palette (class `i`'s colour); it repeats after ten.
pub(crate) fn color(i: usize) -> RGBColor {
    PALETTE[i % PALETTE.len()]
}

/// `c` moved towards white, keeping `strength` of the colour.
fn lighten(c: RGBColor, strength: f64) -> RGBColor {
    let mix = |v: u8| (255.0 - (255.0 - v as f64) * strength).round() as u8;
    RGBColor(mix(c.0), mix(c.1), mix(c.2))
}

/// How [`crate::Chart::shade`] colours the plane.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Shading {
    /// Values are class indices; each region gets its class's colour, lightened.
    Classes,
    /// Values are the probability of class 1: class 0's colour through white (0.5) to class
    /// 1's colour, in bands of 0.1.
    Probability,
    /// Any values (a loss surface): 16 bands from dark (lowest) to light (highest), spaced
    /// evenly in the value or, with `log`, in its logarithm.
    Levels {
        /// Space the bands by the logarithm (values must be positive).
        log: bool,
    },
}

/// A shading fitted to the values it colours.
pub(crate) struct Bands {
    shading: Shading,
    low: f64,
    high: f64,
}

const LEVELS: usize = 16;
/// The band of values that cannot be coloured (NaN, infinities, a log of a non-positive).
const NONE: usize = usize::MAX;

impl Bands {
    pub(crate) fn new(shading: Shading, values: &[f64]) -> Bands {
        let (mut low, mut high) = (f64::MAX, f64::MIN);
        if let Shading::Levels { log } = shading {
            for &v in values {
                let v = if log { v.ln() } else { v };
                if v.is_finite() {
                    (low, high) = (low.min(v), high.max(v));
                }
            }
        }
        Bands { shading, low, high }
    }

    pub(crate) fn band(&self, value: f64) -> usize {
        match self.shading {
            Shading::Classes if value.is_finite() && value >= 0.0 => value.round() as usize,
            Shading::Probability if value.is_finite() => {
                ((value.clamp(0.0, 1.0) * 10.0) as usize).min(9)
            }
            Shading::Levels { log } => {
                let v = if log { value.ln() } else { value };
                if !v.is_finite() {
                    NONE
                } else if self.high <= self.low {
                    0
                } else {
                    let t = (v - self.low) / (self.high - self.low);
                    ((t * LEVELS as f64) as usize).min(LEVELS - 1)
                }
            }
            _ => NONE,
        }
    }

    pub(crate) fn color(&self, band: usize) -> RGBColor {
        if band == NONE {
            return RGBColor(220, 220, 220);
        }
        match self.shading {
            Shading::Classes => lighten(color(band), 0.3),
            Shading::Probability => {
                let centre = (band as f64 + 0.5) / 10.0;
                let (class, strength) = if centre < 0.5 {
                    (0, (0.5 - centre) * 2.0)
                } else {
                    (1, (centre - 0.5) * 2.0)
                };
                lighten(color(class), 0.55 * strength)
            }
            Shading::Levels { .. } => {
                let t = (band as f64 + 0.5) / LEVELS as f64 * (VIRIDIS.len() - 1) as f64;
                let i = (t as usize).min(VIRIDIS.len() - 2);
                let f = t - i as f64;
                let (a, b) = (VIRIDIS[i], VIRIDIS[i + 1]);
                let mix = |p: f64, q: f64| (p + (q - p) * f).round() as u8;
                lighten(RGBColor(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2)), 0.75)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn probability_bands_split_at_one_half() {
        let bands = Bands::new(Shading::Probability, &[]);
        assert_eq!(
            (
                bands.band(0.0),
                bands.band(0.49),
                bands.band(0.5),
                bands.band(1.0)
            ),
            (0, 4, 5, 9)
        );
        // the middle bands are nearly white, the ends are the class colours
        let near_white = bands.color(4);
        assert!(near_white.0 > 220 && near_white.1 > 220 && near_white.2 > 220);
        assert_ne!(bands.color(0), bands.color(9));
    }

    #[test]
    fn level_bands_span_the_values_and_skip_non_finite_ones() {
        let values = [1.0, 10.0, 100.0, f64::NAN];
        let bands = Bands::new(Shading::Levels { log: true }, &values);
        assert_eq!(bands.band(1.0), 0);
        assert_eq!(bands.band(100.0), LEVELS - 1);
        assert_eq!(bands.band(10.0), LEVELS / 2);
        assert_eq!(bands.band(f64::NAN), NONE);
        assert_eq!(bands.band(-1.0), NONE);
    }

    #[test]
    fn classes_round_to_their_index() {
        let bands = Bands::new(Shading::Classes, &[]);
        assert_eq!(
            (bands.band(0.2), bands.band(2.0), bands.band(-1.0)),
            (0, 2, NONE)
        );
        assert_eq!(bands.color(1), lighten(color(1), 0.3));
    }
}
