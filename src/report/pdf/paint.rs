//! Painting: drawing operations to krilla surfaces, bookmarks and metadata.

use super::fonts::Fonts;
use super::layout::{Mark, Op};
use super::*;
use krilla::Document;
use krilla::color::rgb;
use krilla::destination::XyzDestination;
use krilla::geom::{Path, PathBuilder, Point, Rect, Transform};
use krilla::metadata::Metadata;
use krilla::num::NormalizedF32;
use krilla::outline::{Outline, OutlineNode};
use krilla::page::PageSettings;
use krilla::paint::{Fill, FillRule, LineCap, LineJoin, Stroke};
use krilla::surface::Surface;
use krilla::text::TextDirection;

pub(super) fn paint(doc: &Doc, fonts: &Fonts, pages: Vec<Vec<Op>>, marks: &[Mark]) -> Result<Vec<u8>, PdfError> {
    let settings = PageSettings::from_wh(PAGE_W, PAGE_H).ok_or(PdfError::Page)?;
    let mut document = Document::new();
    for ops in &pages {
        let mut page = document.start_page_with(settings.clone());
        let mut surface = page.surface();
        for op in ops {
            draw(&mut surface, fonts, op);
        }
        surface.finish();
        page.finish();
    }
    document.set_outline(outline(marks));
    let mut metadata = Metadata::new().creator("cdf-assess".to_string());
    if !doc.title.trim().is_empty() {
        metadata = metadata.title(doc.title.clone());
    }
    if !doc.subtitle.trim().is_empty() {
        metadata = metadata.description(doc.subtitle.clone());
    }
    document.set_metadata(metadata);
    document.finish().map_err(|e| PdfError::Write(e.to_string()))
}

/// PDF bookmarks: headings at the top level, subheadings under the heading before them.
pub(super) fn outline(marks: &[Mark]) -> Outline {
    let mut outline = Outline::new();
    let mut current: Option<OutlineNode> = None;
    for mark in marks {
        let node = OutlineNode::new(mark.title.clone(), XyzDestination::new(mark.page, Point::from_xy(LEFT, mark.y)));
        match (mark.level, current.as_mut()) {
            (1, _) => {
                if let Some(done) = current.replace(node) {
                    outline.push_child(done);
                }
            }
            (_, Some(parent)) => parent.push_child(node),
            (_, None) => outline.push_child(node),
        }
    }
    if let Some(done) = current {
        outline.push_child(done);
    }
    outline
}

pub(super) fn color(c: Rgb) -> rgb::Color {
    rgb::Color::new(c.0, c.1, c.2)
}

pub(super) fn fill(c: Rgb, opacity: f32) -> Fill {
    Fill {
        paint: color(c).into(),
        opacity: NormalizedF32::new(opacity.clamp(0.0, 1.0)).unwrap_or(NormalizedF32::ONE),
        rule: FillRule::NonZero,
    }
}

pub(super) fn stroke(c: Rgb, width: f32) -> Stroke {
    Stroke { paint: color(c).into(), width, line_cap: LineCap::Butt, line_join: LineJoin::Round, ..Stroke::default() }
}

pub(super) fn polygon(points: &[(f32, f32)], close: bool) -> Option<Path> {
    let (first, rest) = points.split_first()?;
    let mut pb = PathBuilder::new();
    pb.move_to(first.0, first.1);
    for (x, y) in rest {
        pb.line_to(*x, *y);
    }
    if close {
        pb.close();
    }
    pb.finish()
}

/// A circle from four cubic curves (krilla's path builder has no arcs).
pub(super) fn circle(x: f32, y: f32, r: f32) -> Option<Path> {
    const K: f32 = 0.552_284_8;
    let k = K * r;
    let mut pb = PathBuilder::new();
    pb.move_to(x + r, y);
    pb.cubic_to(x + r, y + k, x + k, y + r, x, y + r);
    pb.cubic_to(x - k, y + r, x - r, y + k, x - r, y);
    pb.cubic_to(x - r, y - k, x - k, y - r, x, y - r);
    pb.cubic_to(x + k, y - r, x + r, y - k, x + r, y);
    pb.close();
    pb.finish()
}

pub(super) fn draw(surface: &mut Surface, fonts: &Fonts, op: &Op) {
    match op {
        Op::Text { x, y, text, weight, size, color, rotate } => {
            surface.set_stroke(None);
            surface.set_fill(Some(fill(*color, 1.0)));
            let turned = *rotate != 0.0;
            if turned {
                surface.push_transform(&Transform::from_rotate_at(*rotate, *x, *y));
            }
            let start = Point::from_xy(*x, *y);
            surface.draw_text(start, fonts.pdf(*weight), *size, text, false, TextDirection::LeftToRight);
            if turned {
                surface.pop();
            }
        }
        Op::Rect { x, y, w, h, color } => {
            let mut pb = PathBuilder::new();
            if let Some(rect) = Rect::from_xywh(*x, *y, *w, *h) {
                pb.push_rect(rect);
            }
            if let Some(path) = pb.finish() {
                surface.set_stroke(None);
                surface.set_fill(Some(fill(*color, 1.0)));
                surface.draw_path(&path);
            }
        }
        Op::Line { x1, y1, x2, y2, width, color } => {
            if let Some(path) = polygon(&[(*x1, *y1), (*x2, *y2)], false) {
                surface.set_fill(None);
                surface.set_stroke(Some(stroke(*color, *width)));
                surface.draw_path(&path);
            }
        }
        Op::Polygon { points, fill: inside, stroke: outline } => {
            if inside.is_none() && outline.is_none() {
                return;
            }
            if let Some(path) = polygon(points, true) {
                surface.set_fill(inside.map(|(c, opacity)| fill(c, opacity)));
                surface.set_stroke(outline.map(|(c, width)| stroke(c, width)));
                surface.draw_path(&path);
            }
        }
        Op::Dot { x, y, r, color } => {
            if let Some(path) = circle(*x, *y, *r) {
                surface.set_stroke(None);
                surface.set_fill(Some(fill(*color, 1.0)));
                surface.draw_path(&path);
            }
        }
    }
}
