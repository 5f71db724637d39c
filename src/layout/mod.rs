//! Layouts: turn a document (text, HTML, Word, PDF) into lines of cells.
//!
//! Every layout ends in the same shape, a list of [`Line`]s, so that the one
//! report reader in [`crate::report`] serves them all. A layout only decides
//! where cells start and end (and, where the document places text by
//! position, where each cell sits across the line); it never decides what a
//! cell means: it knows nothing of the form's rows or columns.

pub mod doc;
pub mod docx;
pub mod grid;
pub mod html;
pub mod pandoc;
pub mod pdf;
pub mod text;

use smallvec::SmallVec;
use std::borrow::Cow;

/// What a line's cells are, which tells the reader how far to trust them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// A paragraph or a line of plain text: one cell. Words are told apart
    /// by whitespace; leading spaces are kept, because in space-aligned text
    /// (`pdftotext -layout`) the display column where a word starts tells
    /// which column of a table it is in.
    Text,
    /// A row split at separators (tab-separated text, Markdown pipe rows):
    /// cells in order, but a copy or a converter may have added or dropped
    /// empty cells at the edges of the numbers. Only a row with as many
    /// cells as its table's other rows is read cell by cell.
    Cells,
    /// A row of a table the document defines as one (HTML, Word), spans
    /// expanded (see [`grid`]): every cell is a cell of the grid, and an
    /// empty cell after the row's label is a blank value.
    Grid,
    /// Words placed on a page (PDF): each cell is a word with its left and
    /// right edge ([`Cell::x`]), in reading order.
    Placed,
}

/// One cell of a [`Line`].
#[derive(Debug, Clone, PartialEq)]
pub struct Cell<'a> {
    /// The cell's text: borrowed from the decoded file for plain text (which
    /// then copies nothing), owned where the layout builds it.
    pub text: Cow<'a, str>,
    /// Left and right edge across the line, for [`Kind::Placed`] lines, in
    /// the layout's own unit (PDF points): only distances on one page mean
    /// anything.
    pub x: Option<[f32; 2]>,
    /// In a grid, a copy made by expanding a span (a cell merged across
    /// columns or rows) or padding (Word's `gridBefore`), not a cell of its
    /// own. A copied label is harmless, but a copied number or blank is not a
    /// value: the reader skips those, so `<td colspan=3>128</td>` is one
    /// value, not three.
    pub copied: bool,
}

impl<'a> Cell<'a> {
    /// A cell of text.
    pub fn new(text: impl Into<Cow<'a, str>>) -> Cell<'a> {
        Cell { text: text.into(), x: None, copied: false }
    }

    /// A cell placed between `left` and `right` on its line.
    pub fn placed(text: impl Into<Cow<'a, str>>, left: f32, right: f32) -> Cell<'a> {
        Cell { text: text.into(), x: Some([left, right]), copied: false }
    }

    /// The same cell with text of its own.
    pub fn into_owned(self) -> Cell<'static> {
        Cell { text: Cow::Owned(self.text.into_owned()), x: self.x, copied: self.copied }
    }
}

impl AsRef<str> for Cell<'_> {
    fn as_ref(&self) -> &str {
        &self.text
    }
}

/// One line of a document: a table row or a line of prose, split into cells.
#[derive(Debug, Clone, PartialEq)]
pub struct Line<'a> {
    /// The cells, in reading order. A cell may be empty (a blank table cell or
    /// the padding a copied table leaves); a cell may hold several words.
    /// Most lines of a text report are one cell, kept inline: no allocation.
    pub cells: SmallVec<[Cell<'a>; 1]>,
    /// What the cells are.
    pub kind: Kind,
    /// 1-based line number in the source (a text file's line, or a
    /// paragraph or table row counted in document order), for messages.
    pub number: usize,
    /// The page it is on, counted from 0, where the layout knows pages (a
    /// form feed in text, as `pdftotext` ends each page); 0 elsewhere. Text
    /// laid out by position may place its columns differently on each page.
    pub page: u32,
}

impl<'a> Line<'a> {
    /// A line of plain text: one cell.
    pub fn text(text: impl Into<Cow<'a, str>>, number: usize) -> Line<'a> {
        Line { cells: smallvec::smallvec![Cell::new(text)], kind: Kind::Text, number, page: 0 }
    }

    /// A row split at separators (tabs, pipes).
    pub fn cells(cells: impl IntoIterator<Item = &'a str>, number: usize) -> Line<'a> {
        Line { cells: cells.into_iter().map(Cell::new).collect(), kind: Kind::Cells, number, page: 0 }
    }

    /// A row of a table grid (HTML, Word), each cell with whether it is a
    /// span's copy.
    pub fn grid(cells: impl IntoIterator<Item = (String, bool)>, number: usize) -> Line<'static> {
        let cells = cells.into_iter().map(|(text, copied)| Cell { text: Cow::Owned(text), x: None, copied });
        Line { cells: cells.collect(), kind: Kind::Grid, number, page: 0 }
    }

    /// Words placed on a page, in reading order.
    pub fn placed(cells: impl IntoIterator<Item = Cell<'a>>, number: usize) -> Line<'a> {
        Line { cells: cells.into_iter().collect(), kind: Kind::Placed, number, page: 0 }
    }

    /// Is this a row of a true table grid?
    pub fn is_grid(&self) -> bool {
        self.kind == Kind::Grid
    }

    /// The same line with cells of their own.
    pub fn into_owned(self) -> Line<'static> {
        Line {
            cells: self.cells.into_iter().map(Cell::into_owned).collect(),
            kind: self.kind,
            number: self.number,
            page: self.page,
        }
    }
}

impl PartialEq<&str> for Cell<'_> {
    fn eq(&self, other: &&str) -> bool {
        self.text == *other
    }
}
