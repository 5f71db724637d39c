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

mod lattice;

use super::grid::{self, Down, RawCell, RawRow};
use super::{Cell, Kind, Line};
use crate::error::{RejectKind, Rejection};
use hayro_interpret::font::GlyphRun;
use hayro_interpret::hayro_cmap::{BfString, WritingMode};
use hayro_interpret::hayro_syntax::object::{Name, Object};
use hayro_interpret::hayro_syntax::{Filter, LoadPdfError, Pdf};
use hayro_interpret::kurbo::{Affine, BezPath, PathEl, Point, Rect, Vec2};
use hayro_interpret::{
    BlendMode, ClipPath, Context, Device, DrawMode, DrawProps, Image, ImageDrawProps, InterpreterCache,
    InterpreterSettings, RenderContent, SoftMask, interpret_page,
};
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

/// The device that collects the glyphs of a page (everything else drawn is
/// dropped; images only count towards the page's image cover).
struct Collector<'b> {
    page: PageGlyphs,
    budget: &'b mut Budget,
    /// Glyphs without known text, by font name (for the rejection).
    unknown: &'b mut Vec<(String, usize)>,
    /// The first origin and size of the last run drawn, to drop the stroke
    /// of a fill-and-stroke (render mode 2) run drawn twice.
    last_run: Option<(usize, [f32; 2])>,
}

fn pt(p: Point) -> [f32; 2] {
    [p.x as f32, p.y as f32]
}

fn vec(v: Vec2) -> [f32; 2] {
    [v.x as f32, v.y as f32]
}

impl Collector<'_> {
    fn font_name(glyph: &hayro_interpret::font::Glyph<'_>) -> String {
        match glyph {
            hayro_interpret::font::Glyph::Outline(g) => g
                .font_data()
                .and_then(|d| d.postscript_name)
                .unwrap_or_else(|| "(a Type 1 or standard font)".to_string()),
            hayro_interpret::font::Glyph::Type3(_) => "(a Type 3 font)".to_string(),
        }
    }
}

impl<'a> Device<'a> for Collector<'_> {
    fn draw_path(&mut self, path: &BezPath, props: DrawProps<'a>, mode: &DrawMode) {
        self.budget.tick(0);
        // One more than a page may have, so that a page of too many is known.
        if self.page.rules.len() > lattice::MAX_RULES {
            return;
        }
        let (stroke, fill) = match mode {
            DrawMode::Stroke(_) => (true, false),
            DrawMode::Fill(_) => (false, true),
            DrawMode::FillAndStroke(..) => (true, true),
            DrawMode::Invisible => return,
        };
        let m = props.transform;
        let at = |p: Point| pt(m * p);
        // Each subpath: a stroked straight segment is a rule; a filled
        // subpath that is a thin rectangle is a rule along its length.
        let mut corners: Vec<[f32; 2]> = Vec::new();
        let mut straight = true;
        let mut start = [0.0; 2];
        let mut last = [0.0; 2];
        let rules = &mut self.page.rules;
        let finish = |corners: &mut Vec<[f32; 2]>, straight: bool, rules: &mut Vec<lattice::Rule>| {
            if fill && straight {
                rules.extend(lattice::Rule::rectangle(corners));
            }
            corners.clear();
        };
        for el in path.iter() {
            match el {
                PathEl::MoveTo(p) => {
                    finish(&mut corners, straight, rules);
                    straight = true;
                    (start, last) = (at(p), at(p));
                    corners.push(last);
                }
                PathEl::LineTo(p) => {
                    let q = at(p);
                    if stroke {
                        rules.extend(lattice::Rule::between(last, q));
                    }
                    last = q;
                    corners.push(q);
                }
                PathEl::QuadTo(_, p) | PathEl::CurveTo(_, _, p) => {
                    straight = false;
                    last = at(p);
                }
                PathEl::ClosePath => {
                    if stroke {
                        rules.extend(lattice::Rule::between(last, start));
                    }
                    last = start;
                }
            }
        }
        finish(&mut corners, straight, rules);
    }

    fn push_clip_path(&mut self, _: &ClipPath) {
        // Every form XObject drawn pushes its bounding box: the count of
        // nested forms is bounded here.
        self.budget.tick(0);
    }

    fn push_transparency_group(&mut self, _: f32, _: Option<SoftMask<'a>>, _: BlendMode) {
        self.budget.tick(0);
    }

    fn draw_glyph_run(&mut self, run: &GlyphRun<'_, 'a>, props: DrawProps<'a>, mode: &DrawMode) {
        let glyphs = run.glyphs();
        self.budget.tick(glyphs.len());
        let Some(first) = glyphs.first() else { return };
        let first_origin = pt((props.transform * first.transform()) * Point::ZERO);
        let key = (glyphs.len(), first_origin);
        if matches!(mode, DrawMode::Stroke(_)) && self.last_run == Some(key) {
            return;
        }
        self.last_run = Some(key);
        let vertical = run.writing_mode() == WritingMode::Vertical;
        for g in glyphs {
            let m: Affine = props.transform * g.transform();
            let origin = m * Point::ZERO;
            // Glyph space has 1000 units to the em (the interpreter scales
            // the font's own units to it).
            let up = m * Point::new(0.0, 1000.0) - origin;
            let across = m * Point::new(1000.0, 0.0) - origin;
            let width = match &**g {
                hayro_interpret::font::Glyph::Outline(o) => o.advance_width(),
                hayro_interpret::font::Glyph::Type3(t) => t.advance_width(),
            };
            // A vertical font's advance is downwards: its box is an em wide.
            let width = if vertical { 1000.0 } else { width.filter(|w| w.is_finite() && *w > 0.0).unwrap_or(500.0) };
            let advance = across * (width as f64 / 1000.0);
            // A space ends a word (None); a glyph without known text is kept
            // as U+FFFD and counted against its font.
            let known = |c: char| !is_unknown(c);
            let text = match g.as_unicode() {
                Some(BfString::Char(c)) if known(c) => (!c.is_whitespace()).then_some(Text::One(c)),
                Some(BfString::String(t)) if t.is_empty() => continue,
                Some(BfString::String(t)) if t.chars().all(known) => {
                    let mut cs = t.chars();
                    match (cs.next(), cs.next()) {
                        _ if t.chars().all(char::is_whitespace) => None,
                        (Some(c), None) => Some(Text::One(c)),
                        _ => Some(Text::Many(t.into_boxed_str())),
                    }
                }
                _ => {
                    let name = Self::font_name(g);
                    if let Some((_, k)) = self.unknown.iter_mut().find(|(n, _)| *n == name) {
                        *k += 1;
                    } else if self.unknown.len() < 64 {
                        self.unknown.push((name, 1));
                    }
                    Some(Text::One('\u{FFFD}'))
                }
            };
            let glyph = Glyph { text, origin: pt(origin), advance: vec(advance), up: vec(up), vertical };
            if glyph.origin.iter().chain(&glyph.advance).chain(&glyph.up).all(|v| v.is_finite()) {
                self.page.glyphs.push(glyph);
            }
        }
    }

    fn draw_image(&mut self, image: Image<'a, '_>, props: ImageDrawProps<'a>) {
        // Where the image lands on the page (its pixels are never decoded):
        // the transform maps its pixel grid to the page.
        self.budget.tick(0);
        let (w, h) = (f64::from(image.width()), f64::from(image.height()));
        let corners = [(0.0, 0.0), (w, 0.0), (0.0, h), (w, h)].map(|(x, y)| props.transform * Point::new(x, y));
        let (x0, x1) = corners.iter().fold((f64::MAX, f64::MIN), |(a, b), p| (a.min(p.x), b.max(p.x)));
        let (y0, y1) = corners.iter().fold((f64::MAX, f64::MIN), |(a, b), p| (a.min(p.y), b.max(p.y)));
        let (pw, ph) = (f64::from(self.page.width), f64::from(self.page.height));
        let cw = (x1.min(pw) - x0.max(0.0)).max(0.0);
        let ch = (y1.min(ph) - y0.max(0.0)).max(0.0);
        let cover = (cw * ch / (pw * ph).max(1.0)) as f32;
        if cover.is_finite() {
            self.page.image_cover = (self.page.image_cover + cover).min(1.0);
        }
    }

    fn pop_clip(&mut self) {}

    fn pop_transparency_group(&mut self) {}
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

/// A glyph's font size on the page.
fn size(g: &Glyph) -> f32 {
    g.up[0].hypot(g.up[1])
}

/// The direction text runs in: along the baseline, or down the em box for
/// vertical writing. A unit vector.
fn run_direction(g: &Glyph) -> [f32; 2] {
    let d = if g.vertical { [-g.up[0], -g.up[1]] } else { g.advance };
    let n = d[0].hypot(d[1]);
    if n > 0.0 { [d[0] / n, d[1] / n] } else { [1.0, 0.0] }
}

/// Upright horizontal text (within about 8 degrees).
fn is_upright(g: &Glyph) -> bool {
    run_direction(g)[0] > 0.99
}

/// A word being built.
struct Word {
    text: String,
    left: f32,
    right: f32,
}

/// A line of a page: the y it sorts by, what its cells are, the cells.
type PageLine = (f32, Kind, Vec<Cell<'static>>);

/// The lines of one page, each with the y it sorts by. The rows of a ruled
/// table ([`lattice`]) are grid rows, cell by cell; all other text is
/// placed words.
///
/// `heading` carries a ruled table's first rows from page to page: a table
/// that goes on over a page break repeats them at the top of the next page
/// (Word's and LibreOffice's "repeat heading rows"), and those copies are
/// dropped, so that the rows before and after the break meet as in the
/// document (a row the break cut in two then reads as its two halves one
/// after the other).
fn page_lines(page: &PageGlyphs, ruled: bool, heading: &mut Vec<Vec<String>>) -> Vec<PageLine> {
    let turned_page;
    let quarter = dominant_turn(page);
    let glyphs = match quarter {
        0 => &page.glyphs,
        quarter => {
            turned_page = page.glyphs.iter().map(|g| turn(g, quarter, page)).collect::<Vec<_>>();
            &turned_page
        }
    };
    // A turned page's rules would have to be turned too: its tables are
    // read by positions.
    let mut tables = if quarter == 0 && ruled { lattice::tables(&page.rules) } else { Vec::new() };
    let strikes = if quarter == 0 { lattice::loose_horizontal(&page.rules, &tables) } else { Vec::new() };
    let glyphs: Vec<&Glyph> =
        glyphs.iter().filter(|g| (0.5..=1000.0).contains(&size(g)) && !struck(g, &strikes)).collect();
    // A table with text beside it is not whole: a table wider than the
    // page, whose rules LibreOffice stops at the page's edge while the text
    // of its outer columns goes on past them. It is read by positions.
    tables.retain(|t| {
        let (left, right) = (t.xs[0], t.xs[t.xs.len() - 1]);
        let (top, bottom) = (t.ys[0], t.ys[t.ys.len() - 1]);
        let on_page = left >= -OFF_PAGE && right <= page.width + OFF_PAGE;
        on_page
            && !glyphs.iter().any(|g| {
                let [x, y] = centre(g);
                y > top && y < bottom && (x < left || x > right) && g.text.is_some()
            })
    });
    let mut in_table: Vec<Vec<&Glyph>> = vec![Vec::new(); tables.len()];
    let mut loose: Vec<&Glyph> = Vec::new();
    for g in glyphs {
        let [x, y] = centre(g);
        match tables.iter().position(|t| t.contains(x, y)) {
            Some(t) => in_table[t].push(g),
            None => loose.push(g),
        }
    }
    let mut lines: Vec<PageLine> = Vec::new();
    let mut first = true;
    let mut last_heading = None;
    for (t, glyphs) in tables.iter().zip(in_table) {
        let Some(mut rows) = table_rows(t, &glyphs) else {
            loose.extend(glyphs);
            continue;
        };
        if rows.is_empty() {
            continue;
        }
        let texts = |row: &PageLine| row.2.iter().map(|c| c.text.to_string()).collect::<Vec<String>>();
        let repeated = if first {
            rows.iter()
                .zip(heading.iter())
                .take_while(|(r, h)| texts(r) == **h && h.iter().any(|t| !t.is_empty()))
                .count()
        } else {
            0
        };
        first = false;
        if repeated > 0 && repeated < rows.len() {
            rows.drain(..repeated);
            last_heading = Some(std::mem::take(heading));
        } else {
            last_heading = Some(rows.iter().take(MAX_HEADING_ROWS).map(texts).collect());
        }
        lines.extend(rows);
    }
    *heading = last_heading.unwrap_or_default();
    let (upright, turned): (Vec<&Glyph>, Vec<&Glyph>) = loose.into_iter().partition(|g| is_upright(g));
    lines.extend(upright_lines(upright).into_iter().map(|(y, cells)| (y, Kind::Placed, cells)));
    // Vertical and rotated text: runs, each a cell on a line of its own.
    for (y, cell) in runs(turned) {
        lines.push((y, Kind::Placed, vec![cell]));
    }
    lines.sort_by(|a, b| a.0.total_cmp(&b.0).then(first_left(&a.2).total_cmp(&first_left(&b.2))));
    lines
}

/// Whether a line is drawn through an upright glyph (between a sixth and
/// a half of the font size above its baseline, across its middle): text
/// struck out, as a Word file printed with its tracked changes shows what
/// was deleted. It is not the document's text, as a deletion in the Word
/// file itself is not ([`super::docx`] leaves `w:del` out). An underline
/// (below the baseline: what was inserted) is not a strike.
fn struck(g: &Glyph, strikes: &[lattice::Rule]) -> bool {
    if strikes.is_empty() || !is_upright(g) || g.text.is_none() {
        return false;
    }
    let (s, base) = (size(g), g.origin[1]);
    let x = g.origin[0] + 0.5 * g.advance[0];
    strikes.iter().any(|r| r.at >= base - 0.5 * s && r.at <= base - 0.17 * s && r.from <= x && r.to >= x)
}

/// Where a glyph's em box is: the middle of the box above the baseline.
fn centre(g: &Glyph) -> [f32; 2] {
    // (For vertical writing the interpreter has already moved the origin
    // from the box's top middle to its lower left.)
    let (o, a, u) = (g.origin, g.advance, g.up);
    [o[0] + 0.5 * a[0] + 0.35 * u[0], o[1] + 0.5 * a[1] + 0.35 * u[1]]
}

/// Rows at most that a table's repeated heading may have.
const MAX_HEADING_ROWS: usize = 8;

/// Cells a ruled table may have after its spans are expanded: a report's
/// tables have a few hundred.
const MAX_TABLE_CELLS: usize = 50_000;

/// A ruled table's rows, each cell the text inside its box; `None` when
/// which box a glyph is in is not certain (text running across a border),
/// and the table is then read by positions.
fn table_rows(table: &lattice::Table, glyphs: &[&Glyph]) -> Option<Vec<PageLine>> {
    if glyphs.is_empty() {
        return Some(Vec::new());
    }
    let mut by_region: Vec<Vec<&Glyph>> = vec![Vec::new(); table.regions.len()];
    for g in glyphs {
        let [x, y] = centre(g);
        if is_upright(g) && g.text.is_some() {
            let (left, right) = (g.origin[0], g.origin[0] + g.advance[0]);
            if table.crosses_rule(left, right, y, 0.25 * (right - left)) {
                return None;
            }
        }
        by_region[table.region_at(x, y)?].push(g);
    }
    // Glyphs that touch, one each side of a border: a word running across
    // it (a cell's padding keeps the text of two cells apart).
    let upright: Vec<&Glyph> = glyphs.iter().copied().filter(|g| is_upright(g) && g.text.is_some()).collect();
    for line in baselines(upright) {
        for pair in line.windows(2) {
            let (a, b) = (pair[0], pair[1]);
            let touching = b.origin[0] - (a.origin[0] + a.advance[0]) < 0.1 * size(a).max(size(b));
            let (ca, cb) = (centre(a), centre(b));
            if touching && table.region_at(ca[0], ca[1]) != table.region_at(cb[0], cb[1]) {
                return None;
            }
        }
    }
    let texts: Vec<String> = by_region.into_iter().map(cell_text).collect();
    let mut rows: Vec<RawRow> = vec![RawRow::default(); table.ys.len() - 1];
    for (reg, text) in table.regions.iter().zip(texts) {
        let down = if reg.rows > 1 { Down::Rows(reg.rows) } else { Down::Alone };
        rows[reg.row].cells.push(RawCell { text, cols: reg.cols, down });
    }
    let grid = grid::expand(rows, MAX_TABLE_CELLS).ok()?;
    let ys = &table.ys;
    Some(
        grid.into_iter()
            .enumerate()
            .map(|(r, cells)| {
                let cells = cells.into_iter().map(|(text, copied)| Cell { copied, ..Cell::new(text) }).collect();
                ((ys[r] + ys[r + 1]) / 2.0, Kind::Grid, cells)
            })
            .collect(),
    )
}

/// The text inside one box of a ruled table: its lines top to bottom, the
/// words of a line and the lines joined as a cell of a Word table joins
/// its paragraphs' text (no space between CJK text, a space between other
/// words, so that two numbers stay two words).
fn cell_text(glyphs: Vec<&Glyph>) -> String {
    let (upright, turned): (Vec<&Glyph>, Vec<&Glyph>) = glyphs.into_iter().partition(|g| is_upright(g));
    let mut parts: Vec<(f32, String)> = Vec::new();
    for (y, cells) in upright_lines(upright) {
        for c in cells {
            parts.push((y, c.text.into_owned()));
        }
    }
    for (y, c) in runs(turned) {
        parts.push((y, c.text.into_owned()));
    }
    // Stable: the words of one line keep their order.
    parts.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut text = String::new();
    for (_, p) in parts {
        let wide = |c: Option<char>| c.is_some_and(|c| !c.is_ascii());
        if !text.is_empty() && !wide(text.chars().next_back()) && !wide(p.chars().next()) {
            text.push(' ');
        }
        text.push_str(&p);
    }
    text
}

/// Upright glyphs → lines by baseline, each with the y it sorts by.
fn upright_lines(upright: Vec<&Glyph>) -> Vec<(f32, Vec<Cell<'static>>)> {
    let mut lines = Vec::new();
    for line in baselines(upright) {
        let (sum_y, sum_s) = line.iter().fold((0.0, 0.0), |(y, s), g| (y + g.origin[1], s + size(g)));
        let n = line.len() as f32;
        // Sorted by the middle of the em box above the baseline.
        let y = sum_y / n - 0.35 * sum_s / n;
        let cells = words(&line);
        if !cells.is_empty() {
            lines.push((y, cells));
        }
    }
    lines
}

/// Upright glyphs grouped into lines by baseline, top to bottom, each left
/// to right without fake bold's doubles.
fn baselines(mut upright: Vec<&Glyph>) -> Vec<Vec<&Glyph>> {
    let mut lines = Vec::new();
    upright.sort_by(|a, b| a.origin[1].total_cmp(&b.origin[1]).then(a.origin[0].total_cmp(&b.origin[0])));
    let mut i = 0;
    while i < upright.len() {
        // A glyph joins the line when its baseline is within 0.3 em of the
        // line's last one and 0.5 em of its first: cells of one table row
        // that their cells align a little differently (a label top-aligned,
        // the numbers centred) stay one line; the lines of a wrapped label,
        // a line height apart, do not merge, nor do numbers centred between
        // them.
        let first = upright[i];
        let mut j = i + 1;
        while j < upright.len() {
            let (g, last) = (upright[j], upright[j - 1]);
            let em = size(g).max(size(last)).max(size(first));
            if g.origin[1] - last.origin[1] > 0.3 * em || g.origin[1] - first.origin[1] > 0.5 * em {
                break;
            }
            j += 1;
        }
        let mut line: Vec<&Glyph> = upright[i..j].to_vec();
        i = j;
        line.sort_by(|a, b| a.origin[0].total_cmp(&b.origin[0]));
        lines.push(drop_doubles(line));
    }
    lines
}

/// How many quarter turns (clockwise on the page) most of a page's
/// horizontal text is turned by: a page whose content is drawn sideways
/// (a landscape table on a portrait page, a page rotated by the producer) is
/// read in the direction its text runs, as a viewer turning it would.
fn dominant_turn(page: &PageGlyphs) -> u8 {
    let mut count = [0usize; 4];
    for g in page.glyphs.iter().filter(|g| !g.vertical && g.text.is_some()) {
        let d = run_direction(g);
        let q = match (d[0] > 0.99, d[1] > 0.99, d[0] < -0.99, d[1] < -0.99) {
            (true, ..) => 0,
            (_, true, ..) => 1,
            (_, _, true, _) => 2,
            (.., true) => 3,
            _ => continue,
        };
        count[q] += 1;
    }
    let total: usize = count.iter().sum();
    (1..4).find(|&q| count[q] * 2 > total).unwrap_or(0) as u8
}

/// A glyph as it lies on the page turned back by `quarter` quarter turns
/// (so that text turned by that much is upright), page corner at the origin.
fn turn(g: &Glyph, quarter: u8, page: &PageGlyphs) -> Glyph {
    let (w, h) = (page.width, page.height);
    let v = |[x, y]: [f32; 2]| match quarter {
        1 => [y, -x],
        2 => [-x, -y],
        _ => [-y, x],
    };
    let [x, y] = v(g.origin);
    let origin = match quarter {
        1 => [x, y + w],
        2 => [x + w, y + h],
        _ => [x + h, y],
    };
    Glyph { origin, advance: v(g.advance), up: v(g.up), ..g.clone() }
}

fn first_left(cells: &[Cell<'_>]) -> f32 {
    cells.first().and_then(|c| c.x).map_or(0.0, |x| x[0])
}

/// A line's glyphs without the copies that fake bold draws a hair's
/// breadth from the first (same text, origins within 0.15 em).
fn drop_doubles(line: Vec<&Glyph>) -> Vec<&Glyph> {
    let mut kept: Vec<&Glyph> = Vec::with_capacity(line.len());
    for g in line {
        let near = 0.15 * size(g);
        let double = kept.iter().rev().take_while(|k| g.origin[0] - k.origin[0] <= near).any(|k| {
            k.text == g.text && (k.origin[1] - g.origin[1]).abs() <= near && (size(k) - size(g)).abs() <= near
        });
        if !double {
            kept.push(g);
        }
    }
    kept
}

/// Split a line (glyphs left to right) into words at spaces and gaps wider
/// than a third of the font size.
fn words(line: &[&Glyph]) -> Vec<Cell<'static>> {
    let mut cells = Vec::new();
    let mut cur: Option<Word> = None;
    let flush = |w: Option<Word>, cells: &mut Vec<Cell<'static>>| {
        if let Some(w) = w {
            cells.push(Cell::placed(w.text, w.left, w.right));
        }
    };
    for g in line {
        let Some(text) = &g.text else {
            flush(cur.take(), &mut cells);
            continue;
        };
        let left = g.origin[0];
        let right = left + g.advance[0];
        if let Some(w) = &mut cur {
            if left - w.right > size(g) / 3.0 {
                flush(cur.take(), &mut cells);
            } else {
                text.push_to(&mut w.text);
                w.right = w.right.max(right);
                continue;
            }
        }
        let mut s = String::new();
        text.push_to(&mut s);
        cur = Some(Word { text: s, left, right });
    }
    flush(cur.take(), &mut cells);
    cells
}

/// Vertical and rotated glyphs grouped into runs: glyphs going the same way,
/// on one line across that way (within 0.3 em), less than 1.5 em apart
/// along it. Each run is a cell at its x extent, with the y of its centre.
fn runs(mut glyphs: Vec<&Glyph>) -> Vec<(f32, Cell<'static>)> {
    // Directions are told apart to the degree.
    let angle = |g: &Glyph| {
        let d = run_direction(g);
        (d[1].atan2(d[0]).to_degrees().round() as i32).rem_euclid(360)
    };
    glyphs.sort_by_key(|g| angle(g));
    let mut out = Vec::new();
    for same in glyphs.chunk_by(|a, b| angle(a) == angle(b)) {
        let d = run_direction(same[0]);
        let across = |g: &Glyph| {
            let c = centre(g);
            c[1] * d[0] - c[0] * d[1]
        };
        let along = |g: &Glyph| {
            let c = centre(g);
            c[0] * d[0] + c[1] * d[1]
        };
        let mut sorted: Vec<&Glyph> = same.to_vec();
        sorted.sort_by(|a, b| across(a).total_cmp(&across(b)).then(along(a).total_cmp(&along(b))));
        let mut i = 0;
        while i < sorted.len() {
            let anchor = sorted[i];
            let mut j = i + 1;
            while j < sorted.len() && across(sorted[j]) - across(anchor) <= 0.3 * size(anchor).max(size(sorted[j])) {
                j += 1;
            }
            let mut band: Vec<&Glyph> = sorted[i..j].to_vec();
            i = j;
            band.sort_by(|a, b| along(a).total_cmp(&along(b)));
            // Split the band where the glyphs are far apart along it.
            for run in band.chunk_by(|a, b| along(b) - along(a) <= 1.5 * size(a).max(size(b))) {
                let run = drop_doubles(run.to_vec());
                let mut text = String::new();
                let (mut x0, mut x1, mut y0, mut y1) = (f32::MAX, f32::MIN, f32::MAX, f32::MIN);
                for g in &run {
                    if let Some(t) = &g.text {
                        t.push_to(&mut text);
                    }
                    let c = centre(g);
                    let h = 0.5 * size(g);
                    (x0, x1, y0, y1) = (x0.min(c[0] - h), x1.max(c[0] + h), y0.min(c[1] - h), y1.max(c[1] + h));
                }
                if !text.is_empty() {
                    out.push(((y0 + y1) / 2.0, Cell::placed(text, x0, x1)));
                }
            }
        }
    }
    out
}

/// The lines of all pages, numbered over the document.
fn lines_of(pages: &[PageGlyphs], ruled: bool) -> Vec<Line<'static>> {
    let mut out: Vec<Line<'static>> = Vec::new();
    let mut heading = Vec::new();
    for (p, page) in pages.iter().enumerate() {
        for (_, kind, cells) in page_lines(page, ruled, &mut heading) {
            let number = out.len() + 1;
            out.push(Line { cells: cells.into(), kind, number, page: p as u32 });
        }
    }
    out
}
