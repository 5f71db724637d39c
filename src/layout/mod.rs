//! Layouts: turn a document (text, HTML, Word) into lines of cells.
//!
//! Every layout ends in the same shape, a list of [`Line`]s, so that the one
//! table reader in [`crate::report`] serves them all. A layout only decides
//! where cells start and end; it never decides what a cell means.

pub mod docx;
pub mod html;
pub mod text;

use smallvec::SmallVec;

/// One line of a document: a table row or a line of prose, split into cells.
/// The cells are owned `String`s for the layouts that build text (HTML,
/// Word), or `&str` slices of the decoded file for plain text, which then
/// copies nothing; the report reader takes either.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line<C = String> {
    /// The cells, in reading order. A cell may be empty (a blank table cell or
    /// the padding a copied table leaves); a cell may hold several words.
    /// Most lines of a text report are one cell, kept inline: no allocation.
    pub cells: SmallVec<[C; 1]>,
    /// The cells sit in a true grid (HTML or Word table with spans expanded):
    /// every empty cell after the row label is a blank value. Lines read from
    /// plain text are not exact: empty cells at the edges of the numbers are
    /// padding from merged cells, not values.
    pub exact: bool,
    /// 1-based line number in the source, for messages.
    pub number: usize,
    /// In a grid, which cells are copies made by expanding a span (a cell
    /// merged across columns or rows) or padding (Word's `gridBefore`),
    /// rather than cells of their own. A copied label is harmless, but a
    /// copied number or blank is not a value: the reader skips those, so
    /// `<td colspan=3>128</td>` is one value, not three. Empty: no copies.
    pub copied: Vec<bool>,
}

impl<C> Line<C> {
    /// A line of plain text (one cell, or cells of a tab/Markdown row).
    pub fn text(cells: impl Into<SmallVec<[C; 1]>>, number: usize) -> Line<C> {
        Line { cells: cells.into(), exact: false, number, copied: Vec::new() }
    }
}

impl Line<&str> {
    /// The same line with cells of its own.
    pub fn into_owned(self) -> Line {
        Line {
            cells: self.cells.into_iter().map(str::to_string).collect(),
            exact: self.exact,
            number: self.number,
            copied: self.copied,
        }
    }
}

impl Line {
    /// A row of a table grid (HTML, Word), with its span copies marked.
    pub fn grid(cells: Vec<String>, number: usize, copied: Vec<bool>) -> Line {
        Line { cells: cells.into(), exact: true, number, copied }
    }
}
