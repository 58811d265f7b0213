//! A page-at-a-time drawing surface over printpdf ops, with top-down coordinates in mm and
//! automatic page breaks.

use printpdf::{Color, Line, LinePoint, Mm, Op, PaintMode, PdfFontHandle, Point, Pt, Rect, Rgb, TextItem};

use super::fonts::{Fonts, Weight};

pub const PAGE_W: f32 = 210.0;
pub const PAGE_H: f32 = 297.0;
pub const MARGIN: f32 = 15.0;
/// Space kept free at the bottom of every page for the footer.
pub const FOOTER: f32 = 14.0;

pub struct Canvas<'f> {
    pub fonts: &'f Fonts,
    pub font_ids: [printpdf::FontId; 2],
    pub pages: Vec<Vec<Op>>,
    /// The page being drawn on (an index into `pages`).
    pub page: usize,
    /// Current position from the top of the page, in mm.
    pub y: f32,
}

pub const GREY: (f32, f32, f32) = (0.42, 0.42, 0.42);
pub const BLACK: (f32, f32, f32) = (0.0, 0.0, 0.0);
pub const ACCENT: (f32, f32, f32) = (0.11, 0.27, 0.47);

fn pt(mm: f32) -> Pt {
    Mm(mm).into_pt()
}

impl<'f> Canvas<'f> {
    pub fn new(fonts: &'f Fonts, font_ids: [printpdf::FontId; 2]) -> Self {
        Self {
            fonts,
            font_ids,
            pages: vec![Vec::new()],
            page: 0,
            y: MARGIN,
        }
    }

    fn ops(&mut self) -> &mut Vec<Op> {
        &mut self.pages[self.page]
    }

    pub fn new_page(&mut self) {
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
        let font = PdfFontHandle::External(self.font_ids[w as usize].clone());
        let baseline = PAGE_H - top - size * 0.3528;
        let ops = vec![
            Op::StartTextSection,
            Op::SetFillColor { col: rgb(color) },
            Op::SetFont { font, size: Pt(size) },
            Op::SetTextCursor {
                pos: Point {
                    x: pt(x),
                    y: pt(baseline),
                },
            },
            Op::ShowText {
                items: vec![TextItem::Text(s.to_string())],
            },
            Op::EndTextSection,
        ];
        self.ops().extend(ops);
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
