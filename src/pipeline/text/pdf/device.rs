//! pdf-extract's output device: every glyph of the page, in the coordinates of the page
//! as displayed (origin top-left, y downwards, the
//! page's `/Rotate` applied), each glyph turned into its own reading frame.
//!
//! A glyph's frame is the quarter turn that makes its text run left to right: text drawn
//! upwards on a landscape table, or a whole page turned by `/Rotate 90`, is then laid out
//! like any upright text. Glyphs more than [`MAX_SKEW`] off a quarter turn (diagonal
//! watermarks) are not text lines and are left out.

use pdf_extract::{MediaBox, OutputDev, OutputError, Transform};

use super::layout::Glyph;

/// Glyphs whose baseline is further than this (radians, about 15°) from a quarter turn.
const MAX_SKEW: f64 = 0.26;

pub(super) struct Collector {
    pub glyphs: Vec<Glyph>,
    /// `/Rotate` of each page (degrees, clockwise), by page number.
    pub rotations: std::collections::BTreeMap<u32, i64>,
    pub max_glyphs: usize,
    page: u32,
    view: View,
}

/// From user space to the displayed page: flip y, then turn by the page's rotation.
#[derive(Clone, Copy, Default)]
pub(super) struct View {
    llx: f64,
    ury: f64,
    width: f64,
    height: f64,
    quarter: u8,
}

impl View {
    pub fn new(media_box: &MediaBox, rotate: i64) -> Self {
        Self {
            llx: media_box.llx,
            ury: media_box.ury,
            width: media_box.urx - media_box.llx,
            height: media_box.ury - media_box.lly,
            quarter: (rotate.rem_euclid(360) / 90) as u8,
        }
    }

    pub fn point(&self, x: f64, y: f64) -> (f64, f64) {
        let (x, y) = (x - self.llx, self.ury - y);
        match self.quarter {
            1 => (self.height - y, x),
            2 => (self.width - x, self.height - y),
            3 => (y, self.width - x),
            _ => (x, y),
        }
    }

    fn vector(&self, dx: f64, dy: f64) -> (f64, f64) {
        let dy = -dy;
        match self.quarter {
            1 => (-dy, dx),
            2 => (-dx, -dy),
            3 => (dy, -dx),
            _ => (dx, dy),
        }
    }
}

impl Collector {
    pub fn new(rotations: std::collections::BTreeMap<u32, i64>, max_glyphs: usize) -> Self {
        Self {
            glyphs: Vec::new(),
            rotations,
            max_glyphs,
            page: 0,
            view: View::default(),
        }
    }
}

impl OutputDev for Collector {
    fn begin_page(
        &mut self,
        page_num: u32,
        media_box: &MediaBox,
        _: Option<(f64, f64, f64, f64)>,
    ) -> Result<(), OutputError> {
        self.page = page_num;
        let rotate = self.rotations.get(&page_num).copied().unwrap_or(0);
        self.view = View::new(media_box, rotate);
        Ok(())
    }

    fn end_page(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn output_character(
        &mut self,
        trm: &Transform,
        width: f64,
        _spacing: f64,
        font_size: f64,
        text: &str,
    ) -> Result<(), OutputError> {
        if self.glyphs.len() >= self.max_glyphs {
            return Err(OutputError::FormatError(std::fmt::Error));
        }
        // The text matrix's x axis is the baseline, its y axis the glyph's up direction.
        let (ax, ay) = self.view.vector(trm.m11, trm.m12);
        let (ux, uy) = self.view.vector(trm.m21, trm.m22);
        let advance = (ax * ax + ay * ay).sqrt();
        let size = font_size.abs() * (ux * ux + uy * uy).sqrt();
        let (x, y) = self.view.point(trm.m31, trm.m32);
        if ![advance, size, x, y].iter().all(|v| v.is_finite()) || size <= 0.0 || advance <= 0.0 {
            return Ok(());
        }
        let angle = ay.atan2(ax);
        let quarter = (angle / std::f64::consts::FRAC_PI_2).round();
        if (angle - quarter * std::f64::consts::FRAC_PI_2).abs() > MAX_SKEW {
            return Ok(());
        }
        let frame = (quarter as i64).rem_euclid(4) as u8;
        let (fx, fy) = to_frame(frame, x, y);
        let width = if width > 0.0 {
            width * font_size.abs() * advance
        } else {
            0.5 * size
        };
        self.glyphs.push(Glyph {
            page: self.page,
            frame,
            x: fx,
            y: fy,
            width,
            size,
            text: text.to_string(),
        });
        Ok(())
    }

    fn begin_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn end_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn end_line(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
}

/// Page coordinates into the frame of text running in direction `frame` (quarter turns
/// clockwise from left-to-right): there the text runs along +x and lines follow along +y.
pub(super) fn to_frame(frame: u8, x: f64, y: f64) -> (f64, f64) {
    match frame {
        1 => (y, -x),
        2 => (-x, -y),
        3 => (-y, x),
        _ => (x, y),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_quarter_turned_page_shows_its_top_left_corner_at_the_top_right() {
        let view = View {
            llx: 0.0,
            ury: 600.0,
            width: 800.0,
            height: 600.0,
            quarter: 1,
        };
        // User space top-left (0, 600) is displayed at the top-right of the turned page.
        assert_eq!(view.point(0.0, 600.0), (600.0, 0.0));
        // Text running along +x in user space runs downwards once turned.
        assert_eq!(view.vector(1.0, 0.0), (0.0, 1.0));
    }

    #[test]
    fn frames_make_text_run_along_x_and_lines_follow_along_y() {
        // Text running down the page (frame 1): the line further right is read first.
        let (a, b) = (to_frame(1, 500.0, 100.0), to_frame(1, 480.0, 100.0));
        assert!(a.1 < b.1);
        assert!(to_frame(1, 500.0, 110.0).0 > a.0);
        // Text running up (frame 3): the leftmost line is read first.
        assert!(to_frame(3, 100.0, 500.0).1 < to_frame(3, 120.0, 500.0).1);
        assert!(to_frame(3, 100.0, 490.0).0 > to_frame(3, 100.0, 500.0).0);
    }
}
