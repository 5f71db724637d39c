//! The device the PDF interpreter draws a page into: what this reader keeps
//! of each glyph (its text, origin, advance and em box), of each path (the
//! straight lines that may be a table's rules), and of images (how much of
//! the page they cover, to tell a scan). It owns only that collection and
//! the per-glyph budget ticks; it knows nothing of lines, words or tables.

use super::lattice;
use super::{Budget, Glyph, PageGlyphs, Text, is_unknown};
use hayro_interpret::font::GlyphRun;
use hayro_interpret::hayro_cmap::{BfString, WritingMode};
use hayro_interpret::kurbo::{Affine, BezPath, PathEl, Point, Vec2};
use hayro_interpret::{BlendMode, ClipPath, Device, DrawMode, DrawProps, Image, ImageDrawProps, SoftMask};

/// The device that collects the glyphs of a page (everything else drawn is
/// dropped; images only count towards the page's image cover).
pub(super) struct Collector<'b> {
    pub(super) page: PageGlyphs,
    pub(super) budget: &'b mut Budget,
    /// Glyphs without known text, by font name (for the rejection).
    pub(super) unknown: &'b mut Vec<(String, usize)>,
    /// The first origin and size of the last run drawn, to drop the stroke
    /// of a fill-and-stroke (render mode 2) run drawn twice.
    pub(super) last_run: Option<(usize, [f32; 2])>,
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
