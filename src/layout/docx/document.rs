//! `word/document.xml` → [`Block`]s: paragraphs (runs joined, breaks and
//! tabs kept, list numbers put back) and tables (rows, cells, spans and
//! merges as Word states them), with what a reader does not see left out
//! (deleted and moved-away text, field codes, text boxes' fallback copies).
//!
//! It owns the XML walk and its limits (blocks, depth, tables nested); it
//! knows nothing of the zip around the part or of how blocks become lines
//! ([`super::out`]).

use super::numbering::Numbering;
use super::{Block, Cell, MAX_BLOCKS, MAX_DEPTH, MAX_SPAN, MAX_TABLE_DEPTH, MC_NS, RESAVE, Row, W_NS, attr, encoding};
use crate::error::{RejectKind, Rejection};
use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};
use quick_xml::name::{NamespaceError, NamespaceResolver, ResolveResult};

/// What an open element was, to undo it at its end tag.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Open {
    Other,
    Table,
    Row,
    Cell,
    Para,
    Run,
    Text,
    /// Content nobody reads (deleted text, fallback copies): skipped whole.
    Skip,
}

/// An open container: the body, a table, a row or a cell.
#[derive(Debug)]
enum Container {
    Blocks(Vec<Block>),
    Table(Vec<Row>),
    Row(Row),
    Cell(Cell),
}

/// A paragraph being read: its text and what decides its list number.
#[derive(Debug, Default)]
struct ParaBuild {
    text: String,
    style: Option<String>,
    num_id: Option<u32>,
    level: Option<usize>,
}

#[derive(Debug)]
struct Parse<'a> {
    numbering: &'a mut Numbering,
    containers: Vec<Container>,
    paras: Vec<ParaBuild>,
    open: Vec<Open>,
    runs: usize,
    texts: usize,
    skip: usize,
    tables: usize,
    /// Blocks added so far (see [`MAX_BLOCKS`]).
    blocks: usize,
}

fn bad_xml(e: impl std::fmt::Display, at: u64) -> Rejection {
    encoding(
        format!("word/document.xml is damaged: not well-formed XML near byte {at} ({e})"),
        format!("Word 文件已损坏（第 {at} 字节附近的 XML 有误）{RESAVE}"),
    )
}

/// Parse WordprocessingML into blocks.
pub(super) fn parse(xml: &str, numbering: &mut Numbering) -> Result<Vec<Block>, Rejection> {
    // A plain reader with the namespace scopes kept here, as `NsReader`
    // keeps them (same bindings, same errors), so that a start tag declaring
    // no namespace skips the attribute scan `NsReader` does on every one.
    let mut reader = Reader::from_str(xml);
    reader.config_mut().expand_empty_elements = true;
    let mut scopes = NamespaceResolver::default();
    let mut p = Parse {
        numbering,
        containers: vec![Container::Blocks(Vec::new())],
        paras: Vec::new(),
        open: Vec::new(),
        runs: 0,
        texts: 0,
        skip: 0,
        tables: 0,
        blocks: 0,
    };
    loop {
        if p.blocks > MAX_BLOCKS || p.open.len() > MAX_DEPTH {
            return Err(Rejection::doc(
                RejectKind::NotAReport,
                format!(
                    "more than {MAX_BLOCKS} paragraphs or elements nested more than {MAX_DEPTH} deep (paragraph and nesting limits): far beyond any annual report, not read"
                ),
                format!("段落超过 {MAX_BLOCKS} 个或元素嵌套超过 {MAX_DEPTH} 层：远超任何年度报告，不读取"),
            ));
        }
        let at = reader.buffer_position();
        let event = reader.read_event().map_err(|e| bad_xml(e, at))?;
        match &event {
            Event::Start(e) => enter_scope(&mut scopes, e).map_err(|e| bad_xml(quick_xml::Error::from(e), at))?,
            Event::End(_) => scopes.pop(),
            _ => {}
        }
        match event {
            Event::Start(e) => {
                if p.skip > 0 {
                    p.skip += 1;
                    continue;
                }
                // Only start tags read here are resolved, not end tags, text
                // or skipped content (resolving scans every binding in scope,
                // and Word declares a few dozen on the root).
                let (ns, _) = scopes.resolve_element(e.name());
                let (w, mc) = match &ns {
                    ResolveResult::Bound(n) => (W_NS.contains(&n.0), n.0 == MC_NS),
                    _ => {
                        let prefix = e.name().prefix().map(|x| x.as_ref().to_string());
                        (prefix.as_deref() == Some("w"), prefix.as_deref() == Some("mc"))
                    }
                };
                let local = e.local_name();
                let open = if w {
                    p.start(local.as_ref(), &e)?
                } else if mc && local.as_ref() == "Fallback" {
                    Open::Skip
                } else {
                    Open::Other
                };
                if open == Open::Skip {
                    p.skip = 1;
                }
                p.open.push(open);
            }
            Event::End(_) => {
                if p.skip > 0 {
                    p.skip -= 1;
                    if p.skip > 0 {
                        continue;
                    }
                }
                let open = p.open.pop().unwrap_or(Open::Other);
                p.end(open);
            }
            Event::Text(t) if p.texts > 0 && p.skip == 0 => p.text(&t.xml10_content()),
            Event::CData(t) if p.texts > 0 && p.skip == 0 => p.text(&t.xml10_content()),
            Event::GeneralRef(r) if p.texts > 0 && p.skip == 0 => {
                let c = match r.resolve_char_ref() {
                    Ok(Some(c)) => Some(c),
                    Ok(None) => match r.as_ref() {
                        "amp" => Some('&'),
                        "lt" => Some('<'),
                        "gt" => Some('>'),
                        "quot" => Some('"'),
                        "apos" => Some('\''),
                        _ => None,
                    },
                    Err(e) => return Err(bad_xml(e, reader.buffer_position())),
                };
                if let Some(c) = c {
                    p.text(c.encode_utf8(&mut [0; 4]));
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    // Close whatever a truncated document left open, innermost first.
    while let Some(open) = p.open.pop() {
        p.end(open);
    }
    while p.containers.len() > 1 {
        p.end_container();
    }
    match p.containers.pop() {
        Some(Container::Blocks(b)) => Ok(b),
        _ => Ok(Vec::new()),
    }
}

/// Enter an element's namespace scope exactly as `NsReader` does with
/// `NamespaceResolver::push`, but without parsing the attributes of a tag
/// that cannot declare a namespace (no `xmlns` in it at all, as almost every
/// tag of a document): then the scope only goes one level deeper, with the
/// same depth limit and error as `push`.
pub(super) fn enter_scope(scopes: &mut NamespaceResolver, e: &BytesStart<'_>) -> Result<(), NamespaceError> {
    if memchr::memmem::find(e.attributes_raw().as_bytes(), b"xmlns").is_some() {
        return scopes.push(e);
    }
    let level = scopes.level().checked_add(1).ok_or(NamespaceError::TooDeeplyNested(u16::MAX as usize))?;
    scopes.set_level(level);
    Ok(())
}

fn number_attr(e: &BytesStart<'_>, default: usize) -> usize {
    attr(e, "val").and_then(|v| v.trim().parse().ok()).unwrap_or(default)
}

impl Parse<'_> {
    fn start(&mut self, local: &str, e: &BytesStart<'_>) -> Result<Open, Rejection> {
        let top = self.containers.last_mut();
        Ok(match (local, top) {
            ("tbl", _) => {
                self.tables += 1;
                if self.tables > MAX_TABLE_DEPTH {
                    return Err(Rejection::doc(
                        RejectKind::NotAReport,
                        format!("tables nested more than {MAX_TABLE_DEPTH} deep: not an annual report"),
                        format!("表格嵌套超过 {MAX_TABLE_DEPTH} 层：不是年度报告"),
                    ));
                }
                self.containers.push(Container::Table(Vec::new()));
                Open::Table
            }
            ("tr", Some(Container::Table(_))) => {
                self.containers.push(Container::Row(Row::default()));
                Open::Row
            }
            ("tc", Some(Container::Row(_))) => {
                self.containers.push(Container::Cell(Cell {
                    span: 1,
                    merged_up: false,
                    merged_left: false,
                    blocks: Vec::new(),
                }));
                Open::Cell
            }
            ("gridBefore", Some(Container::Row(r))) => {
                r.before = number_attr(e, 0).min(MAX_SPAN);
                Open::Other
            }
            ("gridSpan", Some(Container::Cell(c))) => {
                c.span = number_attr(e, 1).clamp(1, MAX_SPAN);
                Open::Other
            }
            ("vMerge", Some(Container::Cell(c))) => {
                c.merged_up = attr(e, "val").is_none_or(|v| v != "restart");
                Open::Other
            }
            ("hMerge", Some(Container::Cell(c))) => {
                c.merged_left = attr(e, "val").is_none_or(|v| v != "restart");
                Open::Other
            }
            ("p", _) => {
                self.paras.push(ParaBuild::default());
                Open::Para
            }
            ("pStyle", _) if self.runs == 0 => {
                if let Some(p) = self.paras.last_mut() {
                    p.style = attr(e, "val");
                }
                Open::Other
            }
            ("numId", _) if self.runs == 0 => {
                if let Some(p) = self.paras.last_mut() {
                    p.num_id = attr(e, "val").and_then(|v| v.trim().parse().ok());
                }
                Open::Other
            }
            ("ilvl", _) if self.runs == 0 => {
                if let Some(p) = self.paras.last_mut() {
                    p.level = attr(e, "val").and_then(|v| v.trim().parse().ok());
                }
                Open::Other
            }
            ("r", _) => {
                self.runs += 1;
                Open::Run
            }
            ("t", _) if self.runs > 0 => {
                self.texts += 1;
                Open::Text
            }
            ("tab", _) if self.runs > 0 => {
                self.text("\t");
                Open::Other
            }
            ("br" | "cr", _) if self.runs > 0 => {
                self.text("\n");
                Open::Other
            }
            ("noBreakHyphen", _) if self.runs > 0 => {
                self.text("-");
                Open::Other
            }
            // Deleted text, field codes, and the old properties that tracked
            // formatting changes keep (an old gridSpan must not count).
            (
                "del" | "moveFrom" | "instrText" | "delText" | "pPrChange" | "rPrChange" | "tcPrChange" | "trPrChange"
                | "tblPrChange" | "tblGridChange" | "sectPrChange" | "numberingChange",
                _,
            ) => Open::Skip,
            _ => Open::Other,
        })
    }

    fn text(&mut self, t: &str) {
        if let Some(p) = self.paras.last_mut() {
            p.text.push_str(t);
        }
    }

    fn add_block(&mut self, b: Block) {
        self.blocks += 1;
        match self.containers.last_mut() {
            Some(Container::Blocks(v)) => v.push(b),
            Some(Container::Cell(c)) => c.blocks.push(b),
            // Text in a table outside any cell (not valid Word): keep it in
            // the enclosing body or cell rather than lose it.
            _ => {
                if let Some(v) = self.containers.iter_mut().rev().find_map(|c| match c {
                    Container::Blocks(v) => Some(v),
                    Container::Cell(c) => Some(&mut c.blocks),
                    _ => None,
                }) {
                    v.push(b);
                }
            }
        }
    }

    fn end(&mut self, open: Open) {
        match open {
            Open::Table | Open::Row | Open::Cell => self.end_container(),
            Open::Para => {
                if let Some(p) = self.paras.pop() {
                    let text = match self.numbering.label(p.num_id, p.level, p.style.as_deref()) {
                        Some(label) => label + &p.text,
                        None => p.text,
                    };
                    self.add_block(Block::Para(text));
                }
            }
            Open::Run => self.runs = self.runs.saturating_sub(1),
            Open::Text => self.texts = self.texts.saturating_sub(1),
            Open::Other | Open::Skip => {}
        }
    }

    fn end_container(&mut self) {
        let Some(c) = self.containers.pop() else {
            return;
        };
        match c {
            Container::Table(rows) => {
                self.tables = self.tables.saturating_sub(1);
                self.add_block(Block::Table(rows));
            }
            Container::Row(row) => {
                if let Some(Container::Table(rows)) = self.containers.last_mut() {
                    rows.push(row);
                }
            }
            Container::Cell(cell) => {
                if let Some(Container::Row(row)) = self.containers.last_mut() {
                    row.cells.push(cell);
                }
            }
            Container::Blocks(b) => self.containers.push(Container::Blocks(b)),
        }
    }
}
