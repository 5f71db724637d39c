//! The integration tests, one binary (ripgrep's layout): shared helpers in
//! `util`, one module per concern, named regression tests in `regression`.

mod util;

mod cli;
mod converted;
mod golden;
mod hostile;
mod merge;
mod mutation;
mod pdf;
mod roster;
mod roundtrip;
mod streaming;
mod variants;
mod xlsx;
