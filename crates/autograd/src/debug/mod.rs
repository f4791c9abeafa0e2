//! What watches a sweep: gradient hooks, anomaly detection, the chain-rule explanation and
//! graph pictures. They reach the tape through its `Watch` (`tape/watch.rs`); the sweep
//! applies hooks and checks gradients with the visitor in `autodiff/watched.rs`.

pub(crate) mod anomaly;
pub(crate) mod explain;
pub(crate) mod graph;
pub(crate) mod hooks;
