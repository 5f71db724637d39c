//! Writers of the output contract (FORMAT.md section 4).

pub mod csv;
pub mod xlsx;
