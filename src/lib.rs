//! county-rollup: sum a county's 政府信息公开工作年度报告 table by table.
//!
//! The pipeline flows one way: [`discover`] the files → [`read`] each one
//! ([`decode`] bytes to text → a [`layout`] turns the document into lines of
//! cells → [`report`] maps cells to the report model, using the one
//! definition of the form in [`schema`] → its [`checks`]) → [`aggregate`]
//! the sums → [`seen`] checks across files → [`output`]. [`mod@run`] drives it
//! (see [`run::run`]); `main.rs` only parses flags into a [`Config`].
#![deny(missing_docs)]

pub mod aggregate;
pub mod checks;
pub mod config;
pub mod decode;
pub mod discover;
pub mod error;
pub mod lang;
pub mod layout;
pub mod memory;
pub mod merge;
pub mod names;
pub mod output;
pub mod read;
pub mod report;
pub mod roster;
pub mod run;
pub mod schema;
pub mod seen;
pub mod summaries;
pub mod text;
pub mod yoy;

pub use config::Config;
pub use read::{read_bytes, read_lines, read_parts};
pub use run::{Summary, run};
