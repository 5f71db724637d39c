//! The validated run configuration, built from the command line by `main`
//! before any work (ripgrep's two stages: raw flags, then a config).

use crate::lang::Lang;
use std::path::PathBuf;

/// A validated run configuration.
#[derive(Debug, Clone)]
pub struct Config {
    /// The folder of reports.
    pub input: PathBuf,
    /// Where the outputs go (created if missing).
    pub output: PathBuf,
    /// County for reports whose title and folders name none.
    pub county: Option<String>,
    /// Worker threads (None: one per core).
    pub threads: Option<usize>,
    /// Write a UTF-8 BOM at the start of each CSV (for Excel).
    pub bom: bool,
    /// Show a progress bar.
    pub progress: bool,
    /// Also write the workbook.
    pub xlsx: bool,
    /// Exit 1 when an error-severity check fails, too.
    pub strict: bool,
    /// The language of what people read.
    pub lang: Lang,
    /// The office's list of its units.
    pub roster: Option<PathBuf>,
}

impl Config {
    /// A configuration with the defaults: `input` into `output`.
    pub fn new(input: impl Into<PathBuf>, output: impl Into<PathBuf>) -> Config {
        Config {
            input: input.into(),
            output: output.into(),
            county: None,
            threads: None,
            bom: true,
            progress: false,
            xlsx: false,
            strict: false,
            lang: Lang::Zh,
            roster: None,
        }
    }
}
