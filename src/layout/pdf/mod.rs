//! PDF: the text layer of a published PDF as lines of placed words.
//!
//! Most reports on government websites are PDF attachments (WPS, Word,
//! LibreOffice or a print driver made them). Their text layer is a set of
//! glyphs, each drawn at a position with a font; nothing in the file says
//! which glyphs form a word, a line or a table cell. This layout rebuilds
//! lines and words from the positions and leaves the columns to the report
//! reader, which anchors them on the x-centres of the numbers (as it does
//! for `pdftotext -layout` text):
//!
//! - The pages are interpreted by `hayro-interpret` (pure Rust): each glyph
//!   comes with its Unicode text (the font's ToUnicode map, or the
//!   predefined UCS-2 map of a CID font's character collection), its
//!   transform and its advance. Images are never decoded, annotations not
//!   drawn.
//! - Upright glyphs whose baselines lie within 0.3 × the font size of each
//!   other form a line; lines are ordered top to bottom, pages in order,
//!   and a line's glyphs left to right. A glyph drawn twice at (nearly) the
//!   same spot (fake bold) counts once.
//! - A line is split into words (the cells) at a space glyph or where the
//!   gap between two glyphs exceeds a third of the font size; each cell has
//!   the x of its left and right edge, in PDF points from the page's left.
//! - A page whose text mostly runs sideways or upside down (a landscape
//!   table drawn turned on a portrait page, a page with /Rotate) is read
//!   turned back, in the direction its text runs; x is then measured along
//!   that direction.
//! - Text up to an inch past the page's edge is kept (a table wider than the
//!   page: a viewer and pdftotext cut off its last column, but the numbers
//!   are in the file); text further out is dropped.
//! - Vertical or rotated text (a table's group label written top to bottom,
//!   such as 三、本年度办理结果 in a rowspan cell) is not mixed into the lines
//!   it crosses: each run of it is one cell, its text in reading order (top
//!   to bottom for vertical writing), at the run's x extent, on a line of its
//!   own placed at the run's vertical centre. Horizontal group labels that a
//!   rowspan cell centres vertically come out the same way (a line of their
//!   own between the rows they span), so the reader meets one shape for both.
//! - [`Line::number`] counts lines over the whole document; a page footer
//!   comes out as printed (`-`, `4`, `-` as three cells, or `第 4 页`), for
//!   the reader to drop as a page marker.
//!
//! What is rejected: a file that is not a PDF or is damaged beyond reading;
//! an encrypted PDF hayro cannot open with the empty password; a scan (no
//! text layer, or a few stray characters on pages that are images); a font
//! without a Unicode map (its glyphs have no known text); and anything past
//! the work limits ([`Limits`]: pages, glyphs, decoded stream bytes, time).
//! A file is read under `catch_unwind`: a panic inside the PDF libraries is
//! a rejection, never a crash of the run (the crate must be built with
//! `panic = "unwind"`, Cargo's default).
//!
//! This file owns opening the file, the limits and the rejections; the
//! interpreter draws each page into `device.rs` (glyphs, rules, images),
//! `lines.rs` turns a page's glyphs into lines of cells, and `lattice.rs`
//! a page's rules into the cells of its ruled tables.

mod device;
mod lattice;
mod lines;

use device::Collector;
use lines::lines_of;

use super::Line;
use crate::error::{RejectKind, Rejection};
use hayro_interpret::hayro_syntax::object::{Name, Object};
use hayro_interpret::hayro_syntax::{Filter, LoadPdfError, Pdf};
use hayro_interpret::kurbo::{Affine, Rect};
use hayro_interpret::{Context, InterpreterCache, InterpreterSettings, RenderContent, interpret_page};
use std::time::{Duration, Instant};

/// Bounds on the work one PDF may cause. A report has fewer than 30 pages
/// and some 20 000 glyphs; the defaults are far above any report and far
/// below what would hold up a run.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Pages read at most; a document with more is rejected.
    pub pages: usize,
    /// Glyphs drawn at most, over the document.
    pub glyphs: usize,
    /// Bytes that the document's streams (other than images) may inflate
    /// to, each; checked before any page is drawn, so that a compression bomb
    /// is rejected without being held in memory.
    pub stream_bytes: u64,
    /// The same, over all streams together. The reader keeps what it
    /// inflates (every page's drawing instructions, the fonts) until the
    /// document is done, so this is what one PDF may hold; twice it is
    /// reserved from the run's memory budget ([`crate::memory`]) before any
    /// page is drawn. A report's streams inflate to about 1 MB.
    pub total_stream_bytes: u64,
    /// Bytes of drawing instructions, for a page's content and for each form
    /// XObject: the interpreter works through them without a pause in which
    /// the time could be checked, so they are bounded before it starts. A
    /// report's page is some 50 KB.
    pub content_bytes: u64,
    /// Processor time for the whole document ([`thread_cpu_time`], so a
    /// busy machine does not turn a slow read into a rejection), checked as
    /// glyphs, paths and nested forms are drawn, as streams are inflated and
    /// between pages: the last line of defence against content that loops.
    pub time: Duration,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            pages: 200,
            glyphs: 2_000_000,
            stream_bytes: 64 << 20,
            total_stream_bytes: 64 << 20,
            content_bytes: 8 << 20,
            time: Duration::from_secs(1),
        }
    }
}

/// Read a PDF's text layer into lines of placed words (see the module
/// documentation), within the default [`Limits`].
pub fn read(bytes: &[u8]) -> Result<Vec<Line<'static>>, Rejection> {
    read_with(bytes, &Limits::default())
}

/// [`read`] within the given limits.
pub fn read_with(bytes: &[u8], limits: &Limits) -> Result<Vec<Line<'static>>, Rejection> {
    let pages = extract(bytes, limits)?;
    Ok(lines_of(&pages, true))
}

/// [`read`], and whether text on some page runs past the page's edge: a
/// table wider than the page, whose cut-off part may not be in the file at
/// all. A table that then cannot be read is rejected with that said, so the
/// clerk knows to ask for the Word file instead of checking the numbers.
pub fn read_noting_cuts(bytes: &[u8]) -> Result<(Vec<Line<'static>>, bool), Rejection> {
    let pages = extract(bytes, &Limits::default())?;
    Ok((lines_of(&pages, true), pages.iter().any(|p| p.cut)))
}

/// The text layer as placed words only, ruled tables left as words too:
/// how a PDF whose tables have no rules reads (for tests of that reading).
pub fn read_words(bytes: &[u8]) -> Result<Vec<Line<'static>>, Rejection> {
    let pages = extract(bytes, &Limits::default())?;
    Ok(lines_of(&pages, false))
}

/// The glyphs of one page, as the interpreter placed them, in page space
/// (points, origin at the top left, y growing downwards).
#[derive(Debug, Default)]
struct PageGlyphs {
    width: f32,
    height: f32,
    glyphs: Vec<Glyph>,
    /// The share of the page covered by images (a scan covers all of it).
    image_cover: f32,
    /// The straight lines drawn on it: the borders of ruled tables.
    rules: Vec<lattice::Rule>,
    /// Some of its text runs past the page's edge ([`past_edge`]).
    cut: bool,
}

/// One glyph in page space.
#[derive(Debug, Clone)]
struct Glyph {
    /// Its text; `None` for a space.
    text: Option<Text>,
    /// The origin (on the baseline, at the left for horizontal writing).
    origin: [f32; 2],
    /// The advance across the glyph, along its baseline (horizontal writing).
    advance: [f32; 2],
    /// The glyph's em box from the baseline up (its length is the font size).
    up: [f32; 2],
    /// Drawn with a vertical writing mode (glyphs upright, stacked downwards).
    vertical: bool,
}

/// A glyph's text: most are one character.
#[derive(Debug, Clone, PartialEq)]
enum Text {
    One(char),
    Many(Box<str>),
}

impl Text {
    fn push_to(&self, s: &mut String) {
        match self {
            Text::One(c) => s.push(*c),
            Text::Many(t) => s.push_str(t),
        }
    }
}

/// Why the reading stopped inside the interpreter (carried by an unwind).
enum Stop {
    Glyphs,
    Time,
}

/// The processor time the calling thread has used (clock_gettime on Unix,
/// GetThreadTimes on Windows; where the platform does not say, the time since
/// an arbitrary start): what [`Limits::time`] bounds.
pub fn thread_cpu_time() -> Duration {
    #[cfg(unix)]
    {
        let mut ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
        // SAFETY: clock_gettime writes one timespec through a pointer to a
        // live, writable local.
        if unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) } == 0 {
            return Duration::new(ts.tv_sec.max(0) as u64, ts.tv_nsec.clamp(0, 999_999_999) as u32);
        }
    }
    // Windows: the thread's kernel and user time (in 100 ns units), so an
    // office PC busy with other work (a virus scan) does not turn a slow read
    // into a rejection either.
    #[cfg(windows)]
    {
        use windows_sys::Win32::Foundation::FILETIME;
        use windows_sys::Win32::System::Threading::{GetCurrentThread, GetThreadTimes};
        let (mut created, mut exited, mut kernel, mut user) =
            (FILETIME::default(), FILETIME::default(), FILETIME::default(), FILETIME::default());
        // SAFETY: GetCurrentThread returns a pseudo-handle that needs no
        // closing; GetThreadTimes writes four FILETIMEs through pointers to
        // live, writable locals.
        if unsafe { GetThreadTimes(GetCurrentThread(), &mut created, &mut exited, &mut kernel, &mut user) } != 0 {
            let ticks = |t: FILETIME| (u64::from(t.dwHighDateTime) << 32) | u64::from(t.dwLowDateTime);
            let t = ticks(kernel).saturating_add(ticks(user));
            return Duration::new(t / 10_000_000, (t % 10_000_000) as u32 * 100);
        }
    }
    static START: std::sync::OnceLock<Instant> = std::sync::OnceLock::new();
    START.get_or_init(Instant::now).elapsed()
}

/// The work done so far on one document, against its limits.
struct Budget {
    start: Duration,
    limits: Limits,
    glyphs: usize,
    calls: u32,
}

impl Budget {
    /// Stop the interpreter (by unwinding to [`extract`]'s `catch_unwind`,
    /// without a panic message) once a limit is passed.
    fn tick(&mut self, glyphs: usize) {
        self.glyphs += glyphs;
        if self.glyphs > self.limits.glyphs {
            std::panic::resume_unwind(Box::new(Stop::Glyphs));
        }
        self.calls = self.calls.wrapping_add(1);
        if self.calls.is_multiple_of(64) && self.out_of_time() {
            std::panic::resume_unwind(Box::new(Stop::Time));
        }
    }

    fn out_of_time(&self) -> bool {
        thread_cpu_time().saturating_sub(self.start) > self.limits.time
    }
}

/// Characters that say a glyph's text is not known: no map, U+FFFD, the
/// private use areas (a font's own codes), C0 controls.
fn is_unknown(c: char) -> bool {
    matches!(c, '\u{FFFD}' | '\u{E000}'..='\u{F8FF}' | '\u{F0000}'..='\u{10FFFF}' | '\0'..='\u{8}' | '\u{E}'..='\u{1F}')
}

thread_local! {
    /// Set while a PDF is read on this thread: a panic inside the PDF
    /// libraries becomes a rejection, and its message is not printed.
    static QUIET: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Install (once) a panic hook that stays silent for panics caught while a
/// PDF is read and hands every other panic to the hook it replaced.
fn quiet_panics() {
    static HOOK: std::sync::Once = std::sync::Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !QUIET.with(std::cell::Cell::get) {
                previous(info);
            }
        }));
    });
}

fn damaged(detail: impl std::fmt::Display) -> Rejection {
    Rejection::doc(
        RejectKind::Damaged,
        format!("damaged PDF: {detail}; open it and save or print it to PDF again"),
        format!("PDF 文件已损坏（{detail}）：请打开后重新另存或打印为 PDF，或索取 Word 文件"),
    )
}

/// What a file that is not a PDF looks like, for the message.
fn not_a_pdf(bytes: &[u8]) -> Rejection {
    let (what, zh) = if bytes.starts_with(b"PK\x03\x04") {
        ("it is a zip file (a Word .docx named .pdf?)", "这是 zip 文件（扩展名为 .pdf 的 Word .docx？）")
    } else if bytes.starts_with(b"\xD0\xCF\x11\xE0") {
        ("it is an old Word/WPS file named .pdf", "这是扩展名为 .pdf 的旧版 Word/WPS 文件")
    } else if bytes.starts_with(b"\xFF\xD8") || bytes.starts_with(b"\x89PNG") {
        ("it is an image named .pdf", "这是扩展名为 .pdf 的图片")
    } else if bytes.iter().take(512).find(|b| !b.is_ascii_whitespace()) == Some(&b'<') {
        ("it is a web page (a failed download?)", "这是网页（下载失败？）")
    } else {
        ("it has no %PDF- header", "文件开头没有 %PDF- 标记")
    };
    Rejection::doc(RejectKind::Damaged, format!("not a PDF: {what}"), format!("不是 PDF 文件：{zh}"))
}

/// The glyphs of every page, or why the document cannot be read.
fn extract(bytes: &[u8], limits: &Limits) -> Result<Vec<PageGlyphs>, Rejection> {
    let head = &bytes[..bytes.len().min(1024)];
    if memchr::memmem::find(head, b"%PDF-").is_none() {
        return Err(not_a_pdf(bytes));
    }
    quiet_panics();
    let was_quiet = QUIET.with(|q| q.replace(true));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| extract_inner(bytes, limits)));
    QUIET.with(|q| q.set(was_quiet));
    match result {
        Ok(r) => r,
        Err(payload) => Err(match payload.downcast_ref::<Stop>() {
            Some(Stop::Glyphs) => too_much(format!("more than {} glyphs", limits.glyphs)),
            Some(Stop::Time) => too_slow(limits),
            None => {
                let msg = payload
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| payload.downcast_ref::<String>().cloned())
                    .unwrap_or_default();
                damaged(format!("the PDF reader failed on it ({})", msg.chars().take(120).collect::<String>()))
            }
        }),
    }
}

fn too_much(what: String) -> Rejection {
    Rejection::doc(
        RejectKind::Unsupported,
        format!("{what}: far more than any annual report; not read"),
        format!("PDF 内容过多（{what}），远超任何年度报告：不读取"),
    )
}

fn too_slow(limits: &Limits) -> Rejection {
    Rejection::doc(
        RejectKind::Damaged,
        format!(
            "PDF took more than {:.1} s of processor time to read (damaged, or content that loops): not read; print it to PDF again",
            limits.time.as_secs_f32()
        ),
        format!(
            "读取 PDF 用时超过 {:.1} 秒处理器时间（文件损坏或内容循环）：不读取；请重新打印为 PDF",
            limits.time.as_secs_f32()
        ),
    )
}

/// How far past the page's edge (points) text is still read: an inch.
const OFF_PAGE: f32 = 72.0;

/// Whether a glyph runs past the page's edge (by more than a point, for
/// rounding): a viewer cuts it off, and a converter that made the file may
/// have left out what lay further out (LibreOffice writes no text that
/// starts past the edge of a table wider than the page).
fn past_edge(g: &Glyph, width: f32, height: f32) -> bool {
    let [x0, y0] = g.origin;
    let [x1, y1] = [x0 + g.advance[0], y0 + g.advance[1]];
    let out = |v: f32, max: f32| v < -1.0 || v > max + 1.0;
    out(x0, width) || out(x1, width) || out(y0, height) || out(y1, height)
}

fn extract_inner(bytes: &[u8], limits: &Limits) -> Result<Vec<PageGlyphs>, Rejection> {
    let mut budget = Budget { start: thread_cpu_time(), limits: *limits, glyphs: 0, calls: 0 };
    // What the reader keeps of what it inflates is reserved before it
    // inflates anything (twice: a buffer grows by doubling).
    let raw = check_raw_streams(bytes, limits, &budget)?;
    let _reserved = crate::memory::reserve(usize::try_from(raw.saturating_mul(2)).unwrap_or(usize::MAX));
    let pdf = match Pdf::new(bytes.to_vec()) {
        Ok(p) => p,
        Err(LoadPdfError::Decryption(e)) => {
            return Err(Rejection::doc(
                RejectKind::Encrypted,
                format!(
                    "encrypted PDF ({}): the tool cannot open it; ask for a copy without a password, or open it and print it to a new PDF",
                    match e {
                        hayro_interpret::hayro_syntax::DecryptionError::PasswordProtected => "it needs a password",
                        hayro_interpret::hayro_syntax::DecryptionError::UnsupportedAlgorithm =>
                            "its encryption is of a kind the tool does not read",
                        _ => "its encryption is damaged",
                    }
                ),
                "PDF 文件已加密，无法打开：请索取没有密码的文件，或打开后重新打印为 PDF",
            ));
        }
        Err(LoadPdfError::Invalid) => return Err(damaged("no pages can be found in it")),
    };
    let pages = pdf.pages();
    if pages.len() > limits.pages {
        return Err(too_much(format!("{} pages", pages.len())));
    }
    if pages.is_empty() {
        return Err(damaged("it has no pages"));
    }
    // Streams the count in the file's bytes could not inflate (encrypted).
    let inflated = check_streams(&pdf, limits, &budget)?;
    let _more =
        crate::memory::reserve(usize::try_from(inflated.saturating_sub(raw).saturating_mul(2)).unwrap_or(usize::MAX));

    let settings = InterpreterSettings { render_content: RenderContent::PAGE, ..InterpreterSettings::default() };
    let cache = InterpreterCache::new();
    let mut unknown: Vec<(String, usize)> = Vec::new();
    let mut out = Vec::with_capacity(pages.len());
    for (n, page) in pages.iter().enumerate() {
        if budget.out_of_time() {
            return Err(too_slow(limits));
        }
        if page.page_stream().is_some_and(|s| s.len() as u64 > limits.content_bytes) {
            return Err(too_much(format!(
                "page {} has more than {} MB of drawing instructions",
                n + 1,
                limits.content_bytes >> 20
            )));
        }
        let (width, height) = page.render_dimensions();
        let initial = Affine::new(page.initial_transform(true).as_coeffs());
        let mut ctx = Context::new(
            initial,
            Rect::new(0.0, 0.0, width as f64, height as f64),
            &cache,
            pdf.xref(),
            settings.clone(),
        );
        let mut device = Collector {
            page: PageGlyphs { width, height, ..PageGlyphs::default() },
            budget: &mut budget,
            unknown: &mut unknown,
            last_run: None,
        };
        interpret_page(page, &mut ctx, &mut device);
        let mut page = device.page;
        // Text far off the page is not the document's; text just past its
        // edge is (a table wider than the page: a viewer cuts off its last
        // column, and pdftotext drops it, but the numbers are in the file).
        page.cut = page.glyphs.iter().any(|g| g.text.is_some() && past_edge(g, page.width, page.height));
        let (w, h) = (page.width + OFF_PAGE, page.height + OFF_PAGE);
        page.glyphs.retain(|g| {
            let [x, y] = g.origin;
            x > -OFF_PAGE && x < w && y > -OFF_PAGE && y < h
        });
        out.push(page);
    }
    judge_text(&out, &unknown)?;
    Ok(out)
}

/// Inflate (counting, not keeping) every stream that is not an image, so a
/// compression bomb is rejected before the interpreter decodes it whole;
/// and every page's drawing instructions together, whatever their streams
/// claim to be. What the streams inflate to in all is returned.
fn check_streams(pdf: &Pdf, limits: &Limits, budget: &Budget) -> Result<u64, Rejection> {
    let mut total: u64 = 0;
    let mut sink = vec![0u8; 64 << 10];
    let mut sizes = std::collections::HashMap::new();
    for obj in pdf.objects() {
        let Object::Stream(stream) = obj else { continue };
        let subtype = stream.dict().get::<Name<'_>>(b"Subtype".as_slice());
        if subtype.as_ref().is_some_and(|n| n.as_ref() == b"Image") {
            continue;
        }
        let form = subtype.is_some_and(|n| n.as_ref() == b"Form");
        let cap = if form { limits.content_bytes.min(limits.stream_bytes) } else { limits.stream_bytes };
        let n = inflated_size(&stream, cap, limits, budget, &mut sink)?;
        sizes.insert(stream.obj_id(), n);
        total += n;
        if n > cap || total > limits.total_stream_bytes {
            let mb = (if n > cap { cap } else { limits.total_stream_bytes }) >> 20;
            return Err(too_much(format!("streams that inflate to more than {mb} MB")));
        }
    }
    // A page's instructions are decoded whole (all its streams, one after
    // the other) before they are read: bounded before that.
    use hayro_interpret::hayro_syntax::object::{Array, Stream};
    for (i, page) in pdf.pages().iter().enumerate() {
        let contents = page.raw().get::<Stream<'_>>(b"Contents".as_slice()).map(|s| vec![s]).unwrap_or_else(|| {
            page.raw().get::<Array<'_>>(b"Contents".as_slice()).map_or(Vec::new(), |a| a.iter::<Stream<'_>>().collect())
        });
        let mut n: u64 = 0;
        for stream in contents {
            n += match sizes.get(&stream.obj_id()) {
                Some(&k) => k,
                // A stream that says it is an image, drawn as instructions.
                None => inflated_size(&stream, limits.content_bytes, limits, budget, &mut sink)?,
            };
            if n > limits.content_bytes {
                return Err(too_much(format!(
                    "page {} has more than {} MB of drawing instructions",
                    i + 1,
                    limits.content_bytes >> 20
                )));
            }
        }
    }
    Ok(total)
}

/// What a stream inflates to (past `cap`, some number past it), counted
/// without keeping it. Filters that only re-encode (ASCII hex and base-85,
/// the image codecs, which the reader does not decode here) cost at most
/// 4 × the stream's bytes; one Flate filter is counted. LZW, run-length and
/// chains that inflate after another filter are not read: no producer of
/// today writes them, and they would be decoded whole before any count.
fn inflated_size(
    stream: &hayro_interpret::hayro_syntax::object::Stream<'_>,
    cap: u64,
    limits: &Limits,
    budget: &Budget,
    sink: &mut [u8],
) -> Result<u64, Rejection> {
    let filters = stream.filters();
    let expands = |f: &Filter| matches!(f, Filter::FlateDecode | Filter::LzwDecode | Filter::RunLengthDecode);
    let raw = stream.raw_data();
    match filters.iter().position(expands) {
        None => return Ok(raw.len() as u64 * if filters.is_empty() { 1 } else { 4 }),
        Some(0) if filters[0] == Filter::FlateDecode && !filters[1..].iter().any(expands) => {}
        Some(_) => return Err(unread_filters()),
    }
    inflate_count(raw.as_ref(), cap, limits, budget, sink)
}

/// What Flate-compressed `data` inflates to (stopping just past `cap`),
/// counted in `sink`. The interpreter tries zlib, then raw deflate: so
/// does the count.
fn inflate_count(data: &[u8], cap: u64, limits: &Limits, budget: &Budget, sink: &mut [u8]) -> Result<u64, Rejection> {
    use std::io::Read;
    if budget.out_of_time() {
        return Err(too_slow(limits));
    }
    let mut count = |r: &mut dyn Read| -> Result<u64, Rejection> {
        let mut n = 0u64;
        loop {
            match r.read(sink) {
                Ok(0) | Err(_) => return Ok(n),
                Ok(k) => {
                    n += k as u64;
                    if n > cap {
                        return Ok(n);
                    }
                    if n % (4 << 20) < k as u64 && budget.out_of_time() {
                        return Err(too_slow(limits));
                    }
                }
            }
        }
    };
    let z = count(&mut flate2::read::ZlibDecoder::new(data))?;
    if z == 0 { count(&mut flate2::read::DeflateDecoder::new(data)) } else { Ok(z) }
}

/// A stream compressed in a way whose size cannot be counted before it is
/// decoded whole.
fn unread_filters() -> Rejection {
    Rejection::doc(
        RejectKind::Unsupported,
        "a stream compressed with LZW, run-length or twice (which no producer of today writes; its size cannot be checked before it is decoded): not read; print it to PDF again",
        "PDF 中有以 LZW、行程编码或多重压缩的数据（现今的软件不会这样写，解压前无法检查其大小）：不读取；请重新打印为 PDF",
    )
}

/// Object streams (and cross-reference streams) are inflated, and kept, as
/// the file is opened, before [`check_streams`] can count them. So every
/// stream is found in the file's bytes first, whatever its dictionary says
/// (a name can be spelt with `#` escapes, a dictionary padded), and what
/// it inflates to counted: each to [`Limits::stream_bytes`], all together,
/// images too, to twice [`Limits::total_stream_bytes`]. The total is
/// returned, to be reserved before the file is opened. An object stream
/// whose dictionary names another filter than Flate is not read. (In an
/// encrypted file the streams' bytes cannot be inflated before they are
/// decrypted: there the reader's own checks and the time limit bound what
/// opening it costs.)
fn check_raw_streams(bytes: &[u8], limits: &Limits, budget: &Budget) -> Result<u64, Rejection> {
    let mut total: u64 = 0;
    let mut sink = vec![0u8; 64 << 10];
    // Where the last keyword ended: the stream's dictionary is after it,
    // and each byte is looked at once, whatever the number of keywords.
    let mut seen = 0;
    for at in memchr::memmem::find_iter(bytes, b"stream") {
        let dict = &bytes[seen..at];
        seen = at + b"stream".len();
        if dict.ends_with(b"end") {
            continue;
        }
        let has = |name: &[u8]| memchr::memmem::find(dict, name).is_some();
        if (has(b"/ObjStm") || has(b"/XRef"))
            && [b"/LZW".as_slice(), b"/RunLength", b"/RL", b"/AHx", b"/ASCII", b"/A85"].iter().any(|f| has(f))
        {
            return Err(unread_filters());
        }
        let mut data = &bytes[seen..];
        data = data.strip_prefix(b"\r").unwrap_or(data);
        data = data.strip_prefix(b"\n").unwrap_or(data);
        let cap = limits.stream_bytes;
        let n = inflate_count(data, cap, limits, budget, &mut sink)?;
        total += n;
        let all = limits.total_stream_bytes.saturating_mul(2);
        if n > cap || total > all {
            let mb = (if n > cap { cap } else { all }) >> 20;
            return Err(too_much(format!("streams that inflate to more than {mb} MB")));
        }
    }
    Ok(total)
}

/// Reject a document whose text cannot be read: a scan, or a font without
/// a Unicode map.
fn judge_text(pages: &[PageGlyphs], unknown: &[(String, usize)]) -> Result<(), Rejection> {
    let chars = |p: &PageGlyphs| p.glyphs.iter().filter(|g| g.text.is_some()).count();
    let total: usize = pages.iter().map(chars).sum();
    // A page that is an image with at most a few stray characters on it.
    let image_pages = pages.iter().filter(|p| p.image_cover > 0.4 && chars(p) < 40).count();
    if total == 0 || image_pages * 2 >= pages.len() && total < 40 * pages.len() {
        let (detail, zh) = if total == 0 {
            (
                "scanned PDF: no text layer; the tool does not do OCR: ask for the Word file or a PDF saved from it"
                    .to_string(),
                "扫描件 PDF：没有文字层，本工具不做文字识别：请索取 Word 文件，或由 Word 直接另存的 PDF".to_string(),
            )
        } else {
            (
                format!(
                    "scanned PDF: no text layer ({image_pages} of {} pages are images, with {total} characters in all); the tool does not do OCR: ask for the Word file or a PDF saved from it",
                    pages.len()
                ),
                format!(
                    "扫描件 PDF：没有文字层（{} 页中 {image_pages} 页是图片）；本工具不做文字识别：请索取 Word 文件，或由 Word 直接另存的 PDF",
                    pages.len()
                ),
            )
        };
        return Err(Rejection::doc(RejectKind::Scanned, detail, zh));
    }
    let bad: usize = unknown.iter().map(|(_, n)| n).sum();
    if let Some((font, n)) = unknown.iter().max_by_key(|(_, n)| *n)
        && *n >= 10
        && bad * 20 >= total
    {
        return Err(Rejection::doc(
            RejectKind::Encoding,
            format!(
                "font {font} has no Unicode map ({n} glyphs without known text): the text cannot be read; ask for the Word file"
            ),
            format!("字体 {font} 没有字符映射（{n} 个字无法识别）：文字无法读取；请索取 Word 文件"),
        ));
    }
    Ok(())
}
