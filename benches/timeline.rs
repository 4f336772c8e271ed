//! Placeholder replaced by the timeline frame benchmark.
fn main() {}
