//! Glyphs to words, words to lines.
//!
//! A word is a run of glyphs drawn one after the other on one baseline with no more than a
//! letter gap between them; it is built in drawing order and never split or interleaved
//! afterwards, so two neighbouring lines cannot be mixed letter by letter ("PBCRSASS" for
//! "PCS" above "BRASS"). Lines are words whose baselines agree within [`BASELINE`] font
//! sizes and which do not overlap horizontally: words that overlap are on different lines
//! however close their baselines are. Words drawn out of order that touch on one baseline
//! are joined afterwards. A glyph painted twice at the same spot (fake bold) counts once.

use std::collections::HashMap;

use super::layout::Glyph;

/// Baselines within this many font sizes are one line.
const BASELINE: f64 = 0.3;
/// A gap of this many font sizes between glyphs is a word space (letters sit closer).
pub(super) const SPACE_GAP: f64 = 0.12;
/// Words overlapping by more than this many font sizes are on different lines.
const OVERLAP: f64 = 0.25;

#[derive(Debug, Clone)]
pub(super) struct Word {
    pub x0: f64,
    pub x1: f64,
    pub y: f64,
    pub size: f64,
    pub text: String,
    /// The word ended at a space glyph: it is not glued to the next one.
    spaced: bool,
}

#[derive(Debug, Clone)]
pub(super) struct Line {
    pub page: u32,
    pub frame: u8,
    pub y: f64,
    pub height: f64,
    pub words: Vec<Word>,
}

/// The lines of every page and frame, in reading order (page, frame, top to bottom).
pub(super) fn lines(glyphs: Vec<Glyph>) -> Vec<Line> {
    let glyphs = dedupe(glyphs);
    let mut words: Vec<(u32, u8, Word)> = Vec::new();
    for g in glyphs {
        let blank = g.text.trim().is_empty();
        if let Some((page, frame, w)) = words.last_mut()
            && *page == g.page
            && *frame == g.frame
            && !w.spaced
            && (g.y - w.y).abs() <= 0.1 * g.size.max(w.size)
            && g.x >= w.x1 - 0.3 * g.size
            && g.x - w.x1 <= SPACE_GAP * g.size
        {
            if blank {
                w.spaced = true;
            } else {
                w.text.push_str(&g.text);
                w.x1 = w.x1.max(g.x + g.width);
            }
            continue;
        }
        if !blank {
            let word = Word {
                x0: g.x,
                x1: g.x + g.width,
                y: g.y,
                size: g.size,
                text: g.text,
                spaced: false,
            };
            words.push((g.page, g.frame, word));
        }
    }
    words.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(&b.1)).then(a.2.y.total_cmp(&b.2.y)));
    let mut out: Vec<Line> = Vec::new();
    let mut open = 0; // lines[open..] are on the current page and frame
    for (page, frame, word) in words {
        if out.last().is_some_and(|l| l.page != page || l.frame != frame) {
            open = out.len();
        }
        let reach = BASELINE * word.size;
        let home = out[open..]
            .iter()
            .enumerate()
            .rev()
            .take_while(|(_, l)| word.y - l.y <= reach.max(BASELINE * l.height) + 0.01)
            .filter(|(_, l)| {
                !l.words
                    .iter()
                    .any(|w| overlap(w, &word) > OVERLAP * word.size.min(w.size))
            })
            .min_by(|a, b| (a.1.y - word.y).abs().total_cmp(&(b.1.y - word.y).abs()))
            .map(|(i, _)| open + i);
        match home {
            Some(i) => {
                out[i].height = out[i].height.max(word.size);
                out[i].words.push(word);
            }
            None => out.push(Line {
                page,
                frame,
                y: word.y,
                height: word.size,
                words: vec![word],
            }),
        }
    }
    for line in &mut out {
        line.words.sort_by(|a, b| a.x0.total_cmp(&b.x0));
        line.words = glue(std::mem::take(&mut line.words));
    }
    out.sort_by(|a, b| {
        a.page
            .cmp(&b.page)
            .then(a.frame.cmp(&b.frame))
            .then(a.y.total_cmp(&b.y))
    });
    out
}

fn overlap(a: &Word, b: &Word) -> f64 {
    a.x1.min(b.x1) - a.x0.max(b.x0)
}

/// Joins words of one line that touch (drawn out of order), unless a space separated them.
fn glue(words: Vec<Word>) -> Vec<Word> {
    let mut out: Vec<Word> = Vec::with_capacity(words.len());
    for w in words {
        match out.last_mut() {
            Some(prev) if !prev.spaced && w.x0 - prev.x1 <= SPACE_GAP * w.size && w.x0 >= prev.x1 - 0.3 * w.size => {
                prev.text.push_str(&w.text);
                prev.x1 = prev.x1.max(w.x1);
                prev.spaced = w.spaced;
            }
            _ => out.push(w),
        }
    }
    out
}

/// Drops a glyph painted again (the same text within a tenth of its size) at one spot.
fn dedupe(glyphs: Vec<Glyph>) -> Vec<Glyph> {
    // Glyphs seen, by page, frame and 2-point square of their position.
    type Spot = (u32, u8, i64, i64);
    let mut seen: HashMap<Spot, Vec<usize>> = HashMap::with_capacity(glyphs.len());
    let mut out: Vec<Glyph> = Vec::with_capacity(glyphs.len());
    for g in glyphs {
        let (bx, by) = ((g.x / 2.0).floor() as i64, (g.y / 2.0).floor() as i64);
        let tol = 0.1 * g.size;
        let twin = !g.text.trim().is_empty()
            && (-1..=1).any(|dx| {
                (-1..=1).any(|dy| {
                    seen.get(&(g.page, g.frame, bx + dx, by + dy)).is_some_and(|v| {
                        v.iter().any(|&i| {
                            let o = &out[i];
                            o.text == g.text && (o.x - g.x).abs() < tol && (o.y - g.y).abs() < tol
                        })
                    })
                })
            });
        if twin {
            continue;
        }
        seen.entry((g.page, g.frame, bx, by)).or_default().push(out.len());
        out.push(g);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn glyphs(y: f64, x0: f64, text: &str, size: f64) -> Vec<Glyph> {
        text.chars()
            .enumerate()
            .map(|(i, c)| Glyph {
                page: 1,
                frame: 0,
                x: x0 + 0.5 * size * i as f64,
                y,
                width: 0.5 * size,
                size,
                text: c.to_string(),
            })
            .collect()
    }

    fn texts(lines: &[Line]) -> Vec<String> {
        lines
            .iter()
            .map(|l| l.words.iter().map(|w| w.text.as_str()).collect::<Vec<_>>().join(" "))
            .collect()
    }

    #[test]
    fn lines_closer_than_their_font_size_are_never_interleaved() {
        // "PCS" above "BRASS", 2 pt apart with a 10 pt font, and other spacings.
        for gap in [1.0, 2.0, 2.9, 4.0, 8.0] {
            let mut g = glyphs(100.0, 50.0, "PCS", 10.0);
            g.extend(glyphs(100.0 + gap, 48.0, "BRASS", 10.0));
            let out = lines(g);
            assert_eq!(texts(&out), vec!["PCS", "BRASS"], "leading {gap}");
        }
    }

    #[test]
    fn out_of_order_glyphs_of_two_lines_stay_apart() {
        // Glyphs of two lines drawn alternately, as some generators do.
        let a = glyphs(200.0, 10.0, "very rare", 8.0);
        let b = glyphs(202.0, 10.0, "000000000", 8.0);
        let mut g = Vec::new();
        for (x, y) in a.into_iter().zip(b) {
            g.push(x);
            g.push(y);
        }
        let out = lines(g);
        assert_eq!(texts(&out), vec!["very rare", "000000000"]);
    }

    #[test]
    fn a_glyph_painted_twice_counts_once_and_cells_on_one_baseline_share_a_line() {
        let mut g = glyphs(50.0, 10.0, "Qty", 10.0);
        g.extend(glyphs(50.2, 10.3, "Qty", 10.0));
        g.extend(glyphs(51.0, 200.0, "12", 10.0));
        assert_eq!(texts(&lines(g)), vec!["Qty 12"]);
    }

    #[test]
    fn frames_and_pages_are_laid_out_apart() {
        let mut g = glyphs(50.0, 10.0, "upright", 10.0);
        let mut turned = glyphs(50.0, 10.0, "turned", 10.0);
        turned.iter_mut().for_each(|g| g.frame = 1);
        g.extend(turned);
        assert_eq!(texts(&lines(g)), vec!["upright", "turned"]);
    }
}
