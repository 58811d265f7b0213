//! A page-at-a-time drawing surface over printpdf ops, with top-down coordinates in mm and
//! automatic page breaks.

use printpdf::{Color, Line, LinePoint, Mm, Op, PaintMode, PdfFontHandle, Point, Pt, Rect, Rgb, TextItem, TextMatrix};

use super::fonts::{Fonts, Weight, is_common};

pub const PAGE_W: f32 = 210.0;
pub const PAGE_H: f32 = 297.0;
pub const MARGIN: f32 = 15.0;
/// Space kept free at the bottom of every page for the footer.
pub const FOOTER: f32 = 14.0;

pub struct Canvas<'f> {
    pub fonts: &'f Fonts,
    pub font_ids: [printpdf::FontId; 2],
    /// The prepacked faces' ids (`fonts::Prepacked`), for text written only in their
    /// characters.
    pub common_ids: Option<[printpdf::FontId; 2]>,
    pub pages: Vec<Vec<Op>>,
    /// The page being drawn on (an index into `pages`).
    pub page: usize,
    /// Current position from the top of the page, in mm.
    pub y: f32,
    /// What each page's content stream has set so far (`pages` index).
    states: Vec<TextState>,
}

/// A page's drawing state as its ops left it: whether a text object is open, and the fill
/// colour and font in force. Text drawn in a row shares one text object and repeats no
/// state, so a quotation's content stream holds about a third of the operators (writing
/// them was most of the rendering time).
#[derive(Default)]
struct TextState {
    in_text: bool,
    fill: Option<(f32, f32, f32)>,
    font: Option<(printpdf::FontId, f32)>,
}

pub const GREY: (f32, f32, f32) = (0.42, 0.42, 0.42);
pub const BLACK: (f32, f32, f32) = (0.0, 0.0, 0.0);
pub const ACCENT: (f32, f32, f32) = (0.11, 0.27, 0.47);

fn pt(mm: f32) -> Pt {
    Mm(mm).into_pt()
}

impl<'f> Canvas<'f> {
    pub fn new(fonts: &'f Fonts, font_ids: [printpdf::FontId; 2], common_ids: Option<[printpdf::FontId; 2]>) -> Self {
        Self {
            fonts,
            font_ids,
            common_ids,
            pages: vec![Vec::new()],
            page: 0,
            y: MARGIN,
            states: vec![TextState::default()],
        }
    }

    /// The page's ops, for drawing other than text (a text object open there is closed).
    fn ops(&mut self) -> &mut Vec<Op> {
        if std::mem::take(&mut self.states[self.page].in_text) {
            self.pages[self.page].push(Op::EndTextSection);
        }
        &mut self.pages[self.page]
    }

    /// Every page's ops, open text objects closed.
    pub fn finish(mut self) -> Vec<Vec<Op>> {
        for (ops, state) in self.pages.iter_mut().zip(&self.states) {
            if state.in_text {
                ops.push(Op::EndTextSection);
            }
        }
        self.pages
    }

    pub fn new_page(&mut self) {
        self.states.push(TextState::default());
        self.pages.push(Vec::new());
        self.page = self.pages.len() - 1;
        self.y = MARGIN;
    }

    /// Starts a new page unless `height` mm still fit above the footer.
    pub fn ensure(&mut self, height: f32) -> bool {
        if self.y + height > PAGE_H - MARGIN - FOOTER {
            self.new_page();
            return true;
        }
        false
    }

    /// Text with its baseline at `top + size` (top-down mm).
    pub fn text(&mut self, x: f32, top: f32, s: &str, size: f32, w: Weight, color: (f32, f32, f32)) {
        let ids = match &self.common_ids {
            Some(common) if is_common(s) => common,
            _ => &self.font_ids,
        };
        let id = ids[w as usize].clone();
        let baseline = PAGE_H - top - size * 0.3528;
        let (ops, state) = (&mut self.pages[self.page], &mut self.states[self.page]);
        if !state.in_text {
            ops.push(Op::StartTextSection);
            state.in_text = true;
        }
        if state.fill != Some(color) {
            ops.push(Op::SetFillColor { col: rgb(color) });
            state.fill = Some(color);
        }
        if state.font.as_ref().is_none_or(|(f, s)| *f != id || *s != size) {
            ops.push(Op::SetFont {
                font: PdfFontHandle::External(id.clone()),
                size: Pt(size),
            });
            state.font = Some((id, size));
        }
        ops.push(Op::SetTextMatrix {
            matrix: TextMatrix::Translate(pt(x), pt(baseline)),
        });
        ops.push(Op::ShowText {
            items: vec![TextItem::Text(s.to_string())],
        });
    }

    pub fn text_right(&mut self, right: f32, top: f32, s: &str, size: f32, w: Weight, color: (f32, f32, f32)) {
        let width_mm = self.fonts.width(s, size, w) * 0.3528;
        self.text(right - width_mm, top, s, size, w, color);
    }

    pub fn hline(&mut self, x0: f32, x1: f32, top: f32, thickness: f32, color: (f32, f32, f32)) {
        let y = pt(PAGE_H - top);
        let ops = vec![
            Op::SetOutlineColor { col: rgb(color) },
            Op::SetOutlineThickness { pt: Pt(thickness) },
            Op::DrawLine {
                line: Line {
                    points: vec![
                        LinePoint {
                            p: Point { x: pt(x0), y },
                            bezier: false,
                        },
                        LinePoint {
                            p: Point { x: pt(x1), y },
                            bezier: false,
                        },
                    ],
                    is_closed: false,
                },
            },
        ];
        self.ops().extend(ops);
    }

    /// An image `height` mm tall at (`x`, `top`), its width from its aspect ratio; returns
    /// the width in mm.
    pub fn image(&mut self, id: printpdf::XObjectId, px: (usize, usize), x: f32, top: f32, height: f32) -> f32 {
        let (w_px, h_px) = (px.0.max(1) as f32, px.1.max(1) as f32);
        // printpdf sizes an image by its dpi: choose the dpi that makes it `height` mm tall.
        let dpi = h_px * 25.4 / height;
        let width = w_px / dpi * 25.4;
        self.ops().push(Op::UseXobject {
            id,
            transform: printpdf::XObjectTransform {
                translate_x: Some(pt(x)),
                translate_y: Some(pt(PAGE_H - top - height)),
                dpi: Some(dpi),
                ..Default::default()
            },
        });
        width
    }

    pub fn fill_rect(&mut self, x: f32, top: f32, w: f32, h: f32, color: (f32, f32, f32)) {
        self.states[self.page].fill = Some(color);
        let ops = vec![
            Op::SetFillColor { col: rgb(color) },
            Op::DrawRectangle {
                rectangle: Rect {
                    x: pt(x),
                    y: pt(PAGE_H - top - h),
                    width: pt(w),
                    height: pt(h),
                    mode: Some(PaintMode::Fill),
                    winding_order: None,
                },
            },
        ];
        self.ops().extend(ops);
    }
}

fn rgb((r, g, b): (f32, f32, f32)) -> Color {
    Color::Rgb(Rgb {
        r,
        g,
        b,
        icc_profile: None,
    })
}
