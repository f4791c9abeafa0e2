//! Anomaly detection: with it on, every value a tape records and every gradient its backward
//! pass computes is checked for NaN and infinity, and the first offender is reported with its
//! op, its inputs' shapes and the line of Rust that recorded it (PyTorch's
//! `detect_anomaly`, naming the source line instead of a Python stack).

use std::fmt;

use crate::ops::NodeId;
use crate::tape::Tape;
use crate::tape::watch::location_of;
pub use crate::tape::watch::{Anomaly, Found};

impl fmt::Display for Anomaly {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let counts = |nan: usize, infinite: usize, of: usize| match (nan, infinite) {
            (n, 0) => format!("{n} NaN of {of}"),
            (0, i) => format!("{i} infinite of {of}"),
            (n, i) => format!("{n} NaN and {i} infinite of {of}"),
        };
        match self.found {
            Found::Value { nan, infinite, of } => write!(
                f,
                "non-finite value ({}) of node #{} = {}",
                counts(nan, infinite, of),
                self.node,
                self.op
            )?,
            Found::Gradient {
                input,
                nan,
                infinite,
                of,
            } => write!(
                f,
                "non-finite gradient ({}) sent to node #{input} by the backward rule of node #{} = {}",
                counts(nan, infinite, of),
                self.node,
                self.op
            )?,
        }
        write!(f, ", inputs [{}]", self.inputs.join(", "))?;
        match &self.location {
            Some(location) => write!(f, ", recorded at {location}"),
            None => write!(f, " (recorded before anomaly detection was on)"),
        }
    }
}

impl Tape {
    /// Turns anomaly detection on or off for this tape. While on, each recorded node
    /// remembers the source line that recorded it (at some cost per node), every recorded
    /// value is checked, and `backward` checks every gradient: the first non-finite number is
    /// reported by [`anomaly`](Self::anomaly) and by `try_backward` as
    /// [`Error::Anomaly`](crate::Error::Anomaly).
    ///
    /// ```
    /// use autograd::{Error, Tape};
    ///
    /// // sqrt is finite at 0, its gradient is not: a backward anomaly
    /// let tape = Tape::new();
    /// tape.detect_anomalies(true);
    /// let x = tape.var(0.0);
    /// let y = x.sqrt() * 2.0;
    /// let Err(Error::Anomaly(anomaly)) = y.try_backward() else { panic!("1/(2·sqrt 0)") };
    /// assert_eq!(anomaly.op, "sqrt(#0)");
    /// assert!(anomaly.to_string().starts_with("non-finite gradient (1 infinite of 1) sent to node #0"));
    /// ```
    pub fn detect_anomalies(&self, on: bool) {
        self.watch.detect.set(on);
    }

    /// Whether anomaly detection is on.
    ///
    /// ```
    /// let tape = autograd::Tape::new();
    /// assert!(!tape.detects_anomalies());
    /// ```
    pub fn detects_anomalies(&self) -> bool {
        self.watch.detect.get()
    }

    /// The first non-finite value recorded while anomaly detection was on, if any.
    ///
    /// ```
    /// let tape = autograd::Tape::new();
    /// tape.detect_anomalies(true);
    /// let x = tape.var(1.0);
    /// let _ = x / 0.0; // +inf
    /// assert_eq!(tape.anomaly().unwrap().node, 1);
    /// ```
    pub fn anomaly(&self) -> Option<Anomaly> {
        self.watch.first_anomaly.borrow().clone()
    }

    /// The source line (`file:line:column`) that recorded node `node`, if anomaly detection
    /// was on when it was recorded.
    ///
    /// ```
    /// let tape = autograd::Tape::new();
    /// tape.detect_anomalies(true);
    /// let x = tape.var(1.0);
    /// let line = line!() - 1;
    /// assert!(tape.recorded_at(x.id()).unwrap().contains(&format!(":{line}:")));
    /// ```
    pub fn recorded_at(&self, node: usize) -> Option<String> {
        location_of(&self.watch.locations.borrow(), NodeId::try_from(node).ok()?)
    }
}

#[cfg(test)]
mod tests {
    use crate::{Error, Tape, Tensor};

    #[test]
    fn the_first_offender_is_reported_not_what_it_poisons() {
        let tape = Tape::new();
        tape.detect_anomalies(true);
        let x = tape.tensor(Tensor::<f64>::from_vec(vec![1.0, -1.0, 4.0], [3]).unwrap());
        let y = x.sqrt(); // one NaN, here
        let line = line!() - 1;
        let z = (y * 2.0).exp().sum(); // NaN again, but not the origin
        let anomaly = tape.anomaly().unwrap();
        assert_eq!(anomaly.node, y.id());
        assert_eq!(anomaly.inputs, vec!["[3]".to_string()]);
        assert!(matches!(
            anomaly.found,
            super::Found::Value {
                nan: 1,
                infinite: 0,
                of: 3
            }
        ));
        let location = anomaly.location.unwrap();
        assert!(
            location.ends_with(&format!("anomaly.rs:{line}:19")),
            "{location}"
        );
        assert!(matches!(z.try_backward(), Err(Error::Anomaly(_))));
    }

    #[test]
    fn without_detection_nothing_is_recorded_or_checked() {
        let tape = Tape::new();
        let x = tape.var(-1.0);
        let y = x.ln();
        assert!(tape.anomaly().is_none() && tape.recorded_at(0).is_none());
        assert!(y.backward().wrt(x).is_finite()); // d ln x / dx = 1/x = -1
    }

    #[test]
    fn clear_forgets_anomalies_and_locations() {
        let mut tape = Tape::new();
        tape.detect_anomalies(true);
        let _ = tape.var(f64::NAN);
        assert!(tape.anomaly().is_some());
        tape.clear();
        assert!(tape.anomaly().is_none() && tape.recorded_at(0).is_none());
        assert!(tape.detects_anomalies());
    }
}
