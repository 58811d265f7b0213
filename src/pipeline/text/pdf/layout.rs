//! From positioned glyphs and ruling lines to lines, cells and tables.
//!
//! Words and lines come from [`words`](super::words) (never mixing two baselines). Ruled
//! grids ([`rules`](super::rules), [`grid`](super::grid)) become tables first; the rest is
//! running text, where a gap wider than [`CELL_GAP`] font sizes starts a new cell, and
//! aligned lines make unruled tables ([`columns`](super::columns)). A ruled table
//! continued on the next page under the same header is one table.

use super::super::Block;
use super::columns::table_at;
use super::device::to_frame;
use super::rules::{self, Edge};
use super::{grid, words};

/// A gap of this many font sizes separates cells; word spaces are about 0.25–0.35.
const CELL_GAP: f64 = 1.0;

/// One glyph in its reading frame: text runs along +x, lines follow along +y; `y` is
/// the baseline. `frame` is the quarter turn (clockwise) of its text on the page.
#[derive(Debug, Clone)]
pub struct Glyph {
    pub page: u32,
    pub frame: u8,
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub size: f64,
    pub text: String,
}

/// A straight horizontal or vertical piece of a stroke or fill, on the displayed page.
#[derive(Debug, Clone, Copy)]
pub struct Segment {
    pub page: u32,
    pub x0: f64,
    pub y0: f64,
    pub x1: f64,
    pub y1: f64,
}

/// A run of words without a cell gap.
#[derive(Debug, Clone)]
pub(super) struct Cell {
    pub x0: f64,
    pub x1: f64,
    pub text: String,
    /// Where its words meet: the byte offset of the next word in `text`, the end of the
    /// word before and the start of the word after.
    pub breaks: Vec<(usize, f64, f64)>,
}

impl Cell {
    /// The cell split at its break `i`: the words before and the words after.
    pub fn split_at(&self, i: usize) -> (Cell, Cell) {
        let (at, left_x1, right_x0) = self.breaks[i];
        let left = Cell {
            x0: self.x0,
            x1: left_x1,
            text: self.text[..at].trim_end().to_string(),
            breaks: self.breaks[..i].to_vec(),
        };
        let right = Cell {
            x0: right_x0,
            x1: self.x1,
            text: self.text[at..].to_string(),
            breaks: self.breaks[i + 1..].iter().map(|(b, l, r)| (b - at, *l, *r)).collect(),
        };
        (left, right)
    }
}

/// A line of running text as cells.
#[derive(Debug, Clone)]
pub(super) struct Line {
    pub page: u32,
    pub y: f64,
    pub height: f64,
    pub cells: Vec<Cell>,
}

impl Line {
    pub fn text(&self) -> String {
        self.cells
            .iter()
            .map(|c| c.text.as_str())
            .collect::<Vec<_>>()
            .join("  ")
    }
}

/// A ruled table found on a page frame, placed before the text line `before`.
struct Ruled {
    before: usize,
    page: u32,
    rows: Vec<Vec<String>>,
}

pub(super) fn blocks(glyphs: Vec<Glyph>, segments: &[Segment]) -> Vec<Block> {
    let mut lines = words::lines(glyphs);
    let mut ruled = ruled_tables(&mut lines, segments);
    // Frames of one page are laid out one after the other, never as one table.
    let mut text: Vec<Line> = Vec::with_capacity(lines.len());
    let mut index_map = Vec::with_capacity(lines.len() + 1);
    let mut offset = 0.0;
    let mut prev: Option<(u32, u8)> = None;
    let mut max_y = 0.0_f64;
    for l in &lines {
        match prev {
            Some((page, frame)) if page == l.page && frame != l.frame => offset += max_y.abs() + 1000.0,
            Some((page, _)) if page == l.page => {}
            _ => (offset, max_y) = (0.0, 0.0),
        }
        prev = Some((l.page, l.frame));
        index_map.push(text.len());
        max_y = max_y.max(l.y.abs());
        let cells = cells(&l.words);
        if !cells.is_empty() {
            text.push(Line {
                page: l.page,
                y: l.y + offset,
                height: l.height,
                cells,
            });
        }
    }
    index_map.push(text.len());
    for r in &mut ruled {
        r.before = index_map[r.before];
    }
    assemble(&text, ruled)
}

/// Tables drawn with ruling lines, per page and frame; their words leave `lines`.
fn ruled_tables(lines: &mut [words::Line], segments: &[Segment]) -> Vec<Ruled> {
    let mut out = Vec::new();
    let mut start = 0;
    while start < lines.len() {
        let (page, frame) = (lines[start].page, lines[start].frame);
        let end = start
            + lines[start..]
                .iter()
                .take_while(|l| l.page == page && l.frame == frame)
                .count();
        let (mut h, mut v) = (Vec::new(), Vec::new());
        for s in segments.iter().filter(|s| s.page == page) {
            let (ax, ay) = to_frame(frame, s.x0, s.y0);
            let (bx, by) = to_frame(frame, s.x1, s.y1);
            let (x0, x1, y0, y1) = (ax.min(bx), ax.max(bx), ay.min(by), ay.max(by));
            if y1 - y0 < 1.0 && x1 - x0 >= 1.0 {
                h.push(Edge {
                    pos: (y0 + y1) / 2.0,
                    a: x0,
                    b: x1,
                });
            } else if x1 - x0 < 1.0 && y1 - y0 >= 1.0 {
                v.push(Edge {
                    pos: (x0 + x1) / 2.0,
                    a: y0,
                    b: y1,
                });
            }
        }
        let candidates: Vec<usize> = (start..end).collect();
        for g in rules::grids(h, v) {
            let Some((rows, used)) = grid::fill(&g, lines, &candidates) else {
                continue;
            };
            let top = g.ys[0];
            let before = start + lines[start..end].iter().take_while(|l| l.y < top).count();
            for (li, wi) in &used {
                lines[*li].words[*wi].text.clear();
            }
            out.push(Ruled { before, page, rows });
        }
        start = end;
    }
    for l in lines.iter_mut() {
        l.words.retain(|w| !w.text.is_empty());
    }
    out.sort_by_key(|r| r.before);
    out
}

/// Words of one line grouped into cells: a gap of [`CELL_GAP`] font sizes starts a cell.
fn cells(words: &[words::Word]) -> Vec<Cell> {
    let mut cells: Vec<Cell> = Vec::new();
    for w in words {
        match cells.last_mut() {
            Some(cell) if w.x0 - cell.x1 < CELL_GAP * w.size => {
                cell.text.push(' ');
                cell.breaks.push((cell.text.len(), cell.x1, w.x0));
                cell.text.push_str(&w.text);
                cell.x1 = cell.x1.max(w.x1);
            }
            _ => cells.push(Cell {
                x0: w.x0,
                x1: w.x1,
                text: w.text.clone(),
                breaks: Vec::new(),
            }),
        }
    }
    cells
}

/// Running text and ruled tables in reading order; a ruled table continued on a later
/// page under the same header is one table.
fn assemble(lines: &[Line], ruled: Vec<Ruled>) -> Vec<Block> {
    let mut out = Vec::new();
    let mut ruled = ruled.into_iter().peekable();
    // The last ruled table: its block index and page.
    let mut last_ruled: Option<(usize, u32)> = None;
    let mut i = 0;
    loop {
        while let Some(r) = ruled.next_if(|r| r.before <= i) {
            let continued = last_ruled.filter(|(b, p)| {
                *p < r.page && matches!(&out[*b], Block::Table { rows } if rows.first() == r.rows.first())
            });
            if let Some((b, _)) = continued
                && let Block::Table { rows } = &mut out[b]
            {
                rows.extend(r.rows.into_iter().skip(1));
                last_ruled = Some((b, r.page));
            } else {
                out.push(Block::Table { rows: r.rows });
                last_ruled = Some((out.len() - 1, r.page));
            }
        }
        if i >= lines.len() {
            break;
        }
        let limit = ruled.peek().map_or(lines.len(), |r| r.before);
        if lines[i].cells.len() >= 2
            && let Some((table, next)) = table_at(&lines[..limit], i)
        {
            out.push(table);
            i = next;
            continue;
        }
        out.push(Block::Line { text: lines[i].text() });
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Lays out words like a simple PDF writer: 10 pt font, 5 pt per character.
    fn line(page: u32, y: f64, words: &[(f64, &str)]) -> Vec<Glyph> {
        let mut out = Vec::new();
        for (x0, word) in words {
            for (i, ch) in word.chars().enumerate() {
                out.push(Glyph {
                    page,
                    frame: 0,
                    x: x0 + 5.0 * i as f64,
                    y,
                    width: 5.0,
                    size: 10.0,
                    text: ch.to_string(),
                });
            }
        }
        out
    }

    fn table(blocks: &[Block]) -> Vec<Vec<String>> {
        blocks
            .iter()
            .find_map(|b| match b {
                Block::Table { rows } => Some(rows.clone()),
                _ => None,
            })
            .expect("a table")
    }

    #[test]
    fn splits_cells_at_wide_gaps_and_keeps_word_spaces() {
        let mut g = line(1, 100.0, &[(10.0, "No."), (50.0, "Description"), (300.0, "Qty")]);
        g.extend(line(
            1,
            114.0,
            &[(10.0, "1"), (50.0, "Toilet"), (85.0, "brush"), (300.0, "10")],
        ));
        let rows = table(&blocks(g, &[]));
        assert_eq!(rows[1], vec!["1", "Toilet brush", "10"]);
    }

    #[test]
    fn continuation_lines_join_their_cell() {
        let mut g = line(1, 100.0, &[(10.0, "No."), (50.0, "Description"), (300.0, "Qty")]);
        g.extend(line(
            1,
            114.0,
            &[(10.0, "1"), (50.0, "Air"), (75.0, "Hose"), (300.0, "10")],
        ));
        g.extend(line(1, 126.0, &[(50.0, "Yellow"), (90.0, "1in")]));
        g.extend(line(1, 140.0, &[(10.0, "2"), (50.0, "Mop"), (300.0, "4")]));
        g.extend(line(1, 240.0, &[(10.0, "Prices in SGD, payment 30 days")]));
        let b = blocks(g, &[]);
        let rows = table(&b);
        assert_eq!(rows[1], vec!["1", "Air Hose Yellow 1in", "10"]);
        assert_eq!(rows[2], vec!["2", "Mop", "4"]);
        assert!(matches!(b.last(), Some(Block::Line { text }) if text.starts_with("Prices")));
    }

    #[test]
    fn a_table_without_a_header_keeps_what_wraps_under_its_first_item() {
        let item = |y: f64, n: &'static str, d: &'static str, q: &'static str| {
            line(
                1,
                y,
                &[
                    (10.0, "Item"),
                    (35.0, n),
                    (110.0, d),
                    (360.0, "Qty:"),
                    (385.0, q),
                    (400.0, "Ctn"),
                ],
            )
        };
        let mut g = item(100.0, "3.2.1", "Tissue", "40");
        g.extend(line(1, 111.0, &[(110.0, "KC06514")]));
        // a note under the first item that fits its column is a row of its own too
        g.extend(line(1, 119.0, &[(110.0, "Note:"), (140.0, "plain,"), (175.0, "2-ply")]));
        g.extend(line(
            1,
            127.0,
            &[
                (110.0, "Specification:"),
                (185.0, "2-ply,"),
                (220.0, "to"),
                (235.0, "fit"),
                (255.0, "existing"),
                (300.0, "dispensers."),
                (360.0, "Delivered"),
                (410.0, "boxed."),
            ],
        ));
        g.extend(item(150.0, "3.2.2", "Towel", "60"));
        let rows = table(&blocks(g, &[]));
        assert_eq!(rows[0], vec!["Item 3.2.1", "Tissue KC06514", "Qty: 40 Ctn"]);
        assert_eq!(rows[1][1], "Note: plain, 2-ply", "{rows:?}");
        assert!(rows[2][1].starts_with("Specification:"), "{rows:?}");
        assert_eq!(rows[3], vec!["Item 3.2.2", "Towel", "Qty: 60 Ctn"]);
    }

    #[test]
    fn a_line_of_a_rows_details_and_a_section_heading_are_rows_of_their_own() {
        let header = [(10.0, "No."), (50.0, "Description"), (250.0, "UOM"), (300.0, "Qty")];
        let mut g = line(1, 100.0, &header);
        g.extend(line(1, 112.0, &[(50.0, "**"), (65.0, "ABRASIVES"), (115.0, "**")]));
        g.extend(line(
            1,
            124.0,
            &[
                (10.0, "1"),
                (50.0, "Cut-off"),
                (90.0, "wheel"),
                (250.0, "PCS"),
                (300.0, "1,000"),
            ],
        ));
        g.extend(line(1, 136.0, &[(50.0, "STA8060")]));
        // the row's details, nearer the next row, two cells under the description
        g.extend(line(
            1,
            146.0,
            &[
                (50.0, "REQ"),
                (70.0, "DATE"),
                (160.0, "WBS"),
                (180.0, "H1127"),
                (250.0, "MRP"),
                (270.0, "31"),
            ],
        ));
        g.extend(line(
            1,
            160.0,
            &[
                (10.0, "2"),
                (50.0, "Flap"),
                (75.0, "disc"),
                (250.0, "PCS"),
                (300.0, "500"),
            ],
        ));
        let rows = table(&blocks(g, &[]));
        assert_eq!(rows[1], vec!["", "** ABRASIVES **", "", ""]);
        assert_eq!(rows[2], vec!["1", "Cut-off wheel STA8060", "PCS", "1,000"]);
        assert_eq!(rows[3], vec!["", "REQ DATE WBS H1127", "MRP 31", ""]);
        assert_eq!(rows[4], vec!["2", "Flap disc", "PCS", "500"]);
    }

    #[test]
    fn a_table_continues_on_the_next_page_without_its_repeated_header() {
        let mut g = line(1, 100.0, &[(10.0, "No."), (50.0, "Item"), (300.0, "Qty")]);
        g.extend(line(1, 114.0, &[(10.0, "1"), (50.0, "Gloves"), (300.0, "10")]));
        g.extend(line(2, 40.0, &[(10.0, "No."), (50.0, "Item"), (300.0, "Qty")]));
        g.extend(line(2, 54.0, &[(10.0, "2"), (50.0, "Mop"), (300.0, "4")]));
        let rows = table(&blocks(g, &[]));
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[2], vec!["2", "Mop", "4"]);
    }

    #[test]
    fn a_second_header_line_splits_the_column_it_sits_under() {
        let header = |page, y| {
            line(
                page,
                y,
                &[
                    (10.0, "S/N"),
                    (50.0, "Description"),
                    (200.0, "REQUIREMENT"),
                    (330.0, "Remarks"),
                ],
            )
        };
        let sub = |page, y| line(page, y, &[(200.0, "Qty / UOM"), (270.0, "Delivery")]);
        let mut g = header(1, 100.0);
        g.extend(sub(1, 112.0));
        g.extend(line(
            1,
            126.0,
            &[
                (10.0, "A1"),
                (50.0, "Fibre disc 7in"),
                (200.0, "150 NOS"),
                (270.0, "Wk 13"),
            ],
        ));
        g.extend(header(2, 40.0));
        g.extend(sub(2, 52.0));
        g.extend(line(
            2,
            66.0,
            &[
                (10.0, "A2"),
                (50.0, "Chain lube"),
                (200.0, "24 NOS"),
                (270.0, "Wk 14"),
                (330.0, "MSDS"),
            ],
        ));
        let rows = table(&blocks(g, &[]));
        assert_eq!(
            rows,
            vec![
                vec!["S/N", "Description", "REQUIREMENT", "", "Remarks"],
                vec!["", "", "Qty / UOM", "Delivery", ""],
                vec!["A1", "Fibre disc 7in", "150 NOS", "Wk 13", ""],
                vec!["A2", "Chain lube", "24 NOS", "Wk 14", "MSDS"],
            ]
        );
    }

    #[test]
    fn right_aligned_numbers_land_in_their_column() {
        let mut g = line(1, 100.0, &[(10.0, "Item"), (200.0, "Quantity"), (300.0, "Unit")]);
        g.extend(line(1, 114.0, &[(10.0, "Gloves"), (225.0, "1,000"), (300.0, "pcs")]));
        assert_eq!(table(&blocks(g, &[]))[1], vec!["Gloves", "1,000", "pcs"]);
    }

    /// A header whose "Qty" is narrower than its right-aligned figures, and a first row.
    fn narrow_qty_header() -> Vec<Glyph> {
        let mut g = line(
            1,
            100.0,
            &[(10.0, "Item"), (40.0, "Description"), (200.0, "Qty"), (240.0, "Un")],
        );
        g.extend(line(
            1,
            114.0,
            &[
                (10.0, "10"),
                (40.0, "SAFETY"),
                (75.0, "BOOT"),
                (185.0, "24.000"),
                (240.0, "PR"),
            ],
        ));
        g
    }

    #[test]
    fn a_long_right_aligned_quantity_near_the_description_is_its_own_cell() {
        let mut g = narrow_qty_header();
        // "EP" ends at 160, the quantity starts 8 pt later (under a font size: one cell with
        // it), ending 2 pt short of "Qty"'s end
        g.extend(line(
            1,
            128.0,
            &[
                (10.0, "20"),
                (40.0, "EARPLUG"),
                (80.0, "CORDED"),
                (115.0, "ARUSHA"),
                (150.0, "EP"),
                (168.0, "1,000.000"),
                (240.0, "PR"),
            ],
        ));
        // the same a cell gap away
        g.extend(line(
            1,
            142.0,
            &[(10.0, "30"), (40.0, "HELMET"), (170.0, "2,000.000"), (240.0, "EA")],
        ));
        let rows = table(&blocks(g, &[]));
        assert_eq!(rows[1], vec!["10", "SAFETY BOOT", "24.000", "PR"]);
        assert_eq!(rows[2], vec!["20", "EARPLUG CORDED ARUSHA EP", "1,000.000", "PR"]);
        assert_eq!(rows[3], vec!["30", "HELMET", "2,000.000", "EA"]);
    }

    #[test]
    fn a_description_running_into_the_next_column_is_not_split_at_a_number_inside_it() {
        let mut g = narrow_qty_header();
        // the description's last word, a size, ends far from any header edge
        g.extend(line(
            1,
            128.0,
            &[
                (10.0, "20"),
                (40.0, "HOSE"),
                (65.0, "CLAMP"),
                (100.0, "SIZE"),
                (125.0, "100"),
                (300.0, "5"),
            ],
        ));
        let rows = table(&blocks(g, &[]));
        assert_eq!(rows[2][1], "HOSE CLAMP SIZE 100");
    }

    #[test]
    fn prose_stays_lines() {
        let g = line(1, 100.0, &[(10.0, "Dear"), (37.0, "Sir,")]);
        assert_eq!(
            blocks(g, &[]),
            vec![Block::Line {
                text: "Dear Sir,".into()
            }]
        );
    }

    #[test]
    fn a_wide_table_keeps_every_column() {
        for columns in [8usize, 16, 25, 31] {
            let header: Vec<(f64, String)> = (0..columns)
                .map(|c| (10.0 + 30.0 * c as f64, format!("H{c}")))
                .collect();
            let row: Vec<(f64, String)> = (0..columns)
                .map(|c| (10.0 + 30.0 * c as f64, format!("{c}0")))
                .collect();
            let as_refs = |v: &[(f64, String)]| v.iter().map(|(x, t)| (*x, t.clone())).collect::<Vec<_>>();
            let mut g = Vec::new();
            for (y, cells) in [(100.0, as_refs(&header)), (114.0, as_refs(&row))] {
                let words: Vec<(f64, &str)> = cells.iter().map(|(x, t)| (*x, t.as_str())).collect();
                g.extend(line(1, y, &words));
            }
            let rows = table(&blocks(g, &[]));
            assert_eq!(rows[1].len(), columns);
            assert_eq!(rows[1][columns - 1], format!("{}0", columns - 1));
        }
    }

    fn rule(x0: f64, y0: f64, x1: f64, y1: f64) -> Segment {
        Segment {
            page: 1,
            x0,
            y0,
            x1,
            y1,
        }
    }

    #[test]
    fn a_ruled_grid_joins_wrapped_cells_and_splits_rows_stacked_in_every_cell() {
        // Columns at 0, 100, 200; rows at 90, 120, 170. Row 1 wraps its first cell over two
        // lines; row 2 stacks three rows of text with no rules between them.
        let mut segs: Vec<Segment> = [0.0, 100.0, 200.0].iter().map(|&x| rule(x, 90.0, x, 170.0)).collect();
        segs.extend([90.0, 120.0, 170.0].iter().map(|&y| rule(0.0, y, 200.0, y)));
        let mut g = line(1, 105.0, &[(5.0, "Air"), (25.0, "hose"), (105.0, "10")]);
        g.extend(line(1, 115.0, &[(5.0, "yellow")]));
        for (i, y) in [135.0, 148.0, 161.0].iter().enumerate() {
            g.extend(line(
                1,
                *y,
                &[(5.0, ["Mop", "Pail", "Broom"][i]), (105.0, ["1", "2", "3"][i])],
            ));
        }
        let rows = table(&blocks(g, &segs));
        assert_eq!(
            rows,
            vec![
                vec!["Air hose yellow", "10"],
                vec!["Mop", "1"],
                vec!["Pail", "2"],
                vec!["Broom", "3"]
            ]
        );
    }

    #[test]
    fn a_bill_boxed_by_column_rules_alone_has_a_row_per_numbered_line() {
        // Columns at 0, 40, 240, 280, 320; rules under the header and above the last row only.
        let xs = [0.0, 40.0, 240.0, 280.0, 320.0];
        let mut segs: Vec<Segment> = xs.iter().map(|&x| rule(x, 90.0, x, 230.0)).collect();
        segs.extend([90.0, 110.0, 215.0, 230.0].iter().map(|&y| rule(0.0, y, 320.0, y)));
        let mut g = line(
            1,
            104.0,
            &[(5.0, "Item"), (45.0, "Description"), (245.0, "Unit"), (285.0, "Qty")],
        );
        g.extend(line(1, 124.0, &[(5.0, "1"), (45.0, "REFUSE"), (85.0, "BINS")]));
        g.extend(line(
            1,
            140.0,
            &[
                (5.0, "1.1"),
                (45.0, "Garbage"),
                (85.0, "bin"),
                (105.0, "240L"),
                (245.0, "Nos"),
                (285.0, "30"),
            ],
        ));
        g.extend(line(1, 152.0, &[(45.0, "blue"), (70.0, "lid")]));
        g.extend(line(
            1,
            176.0,
            &[
                (5.0, "1.2"),
                (45.0, "Ditto"),
                (75.0, "120L"),
                (245.0, "Nos"),
                (285.0, "4"),
            ],
        ));
        g.extend(line(1, 226.0, &[(45.0, "Carried"), (85.0, "forward")]));
        let rows = table(&blocks(g, &segs));
        assert_eq!(
            rows,
            vec![
                vec!["Item", "Description", "Unit", "Qty"],
                vec!["1", "REFUSE BINS", "", ""],
                vec!["1.1", "Garbage bin 240L blue lid", "Nos", "30"],
                vec!["1.2", "Ditto 120L", "Nos", "4"],
                vec!["", "Carried forward", "", ""],
            ]
        );
    }

    #[test]
    fn rows_padded_far_apart_stay_one_table_while_they_line_up_with_the_header() {
        // 10 pt text, rows 70 pt apart: cells start under the header's (the quantity ends
        // where "Qty" does); a note as far below that lines up with nothing is text.
        let mut g = line(
            1,
            100.0,
            &[(10.0, "No."), (50.0, "Description"), (300.0, "Qty"), (340.0, "Unit")],
        );
        g.extend(line(
            1,
            150.0,
            &[
                (10.0, "1"),
                (50.0, "Safety"),
                (85.0, "spectacle"),
                (305.0, "60"),
                (340.0, "pcs"),
            ],
        ));
        g.extend(line(1, 163.0, &[(50.0, "clear"), (80.0, "lens")]));
        g.extend(line(
            1,
            233.0,
            &[(10.0, "2"), (50.0, "Earmuff"), (305.0, "12"), (340.0, "pcs")],
        ));
        g.extend(line(
            1,
            303.0,
            &[(30.0, "Prepared"), (80.0, "by"), (200.0, "Approved"), (250.0, "by")],
        ));
        let b = blocks(g, &[]);
        let rows = table(&b);
        assert_eq!(
            rows,
            vec![
                vec!["No.", "Description", "Qty", "Unit"],
                vec!["1", "Safety spectacle clear lens", "60", "pcs"],
                vec!["2", "Earmuff", "12", "pcs"]
            ]
        );
        assert!(matches!(b.last(), Some(Block::Line { text }) if text.starts_with("Prepared")));
    }

    #[test]
    fn a_cell_centred_in_a_padded_row_keeps_its_first_line() {
        // The description wraps over three lines centred on the row's line (154 and 178
        // around 166), rows 70 pt apart.
        let mut g = line(1, 100.0, &[(10.0, "No."), (50.0, "Description"), (300.0, "Qty")]);
        g.extend(line(1, 154.0, &[(50.0, "Nitrile"), (90.0, "gloves")]));
        g.extend(line(
            1,
            166.0,
            &[(10.0, "1"), (50.0, "powder"), (85.0, "free"), (305.0, "20")],
        ));
        g.extend(line(1, 178.0, &[(50.0, "size"), (75.0, "L")]));
        g.extend(line(
            1,
            242.0,
            &[(10.0, "2"), (50.0, "Ear"), (70.0, "plugs"), (305.0, "50")],
        ));
        let rows = table(&blocks(g, &[]));
        assert_eq!(
            rows,
            vec![
                vec!["No.", "Description", "Qty"],
                vec!["1", "Nitrile gloves powder free size L", "20"],
                vec!["2", "Ear plugs", "50"]
            ]
        );
    }

    #[test]
    fn cells_wrapped_together_continue_their_row() {
        // Description and remarks both wrap onto the row's next line (12 pt leading).
        let mut g = line(
            1,
            100.0,
            &[(10.0, "No."), (50.0, "Description"), (300.0, "Qty"), (340.0, "Remarks")],
        );
        g.extend(line(
            1,
            114.0,
            &[
                (10.0, "1"),
                (50.0, "Stud"),
                (75.0, "fitting,"),
                (120.0, "not"),
                (305.0, "40"),
                (340.0, "Compressor"),
            ],
        ));
        g.extend(line(1, 126.0, &[(50.0, "elbow"), (340.0, "room")]));
        g.extend(line(
            1,
            140.0,
            &[(10.0, "2"), (50.0, "Mop"), (305.0, "4"), (340.0, "Store")],
        ));
        let rows = table(&blocks(g, &[]));
        assert_eq!(rows[1], vec!["1", "Stud fitting, not elbow", "40", "Compressor room"]);
        assert_eq!(rows[2], vec!["2", "Mop", "4", "Store"]);
    }

    #[test]
    fn a_title_and_a_table_in_the_same_columns_after_a_tight_table_are_not_its_rows() {
        let mut g = line(1, 100.0, &[(10.0, "Code"), (100.0, "Item"), (300.0, "Qty")]);
        g.extend(line(1, 112.0, &[(10.0, "A1"), (100.0, "Gloves"), (300.0, "10")]));
        g.extend(line(1, 124.0, &[(10.0, "A2"), (100.0, "Mops"), (300.0, "4")]));
        g.extend(line(1, 164.0, &[(10.0, "Second"), (45.0, "list")]));
        g.extend(line(1, 178.0, &[(10.0, "Code"), (100.0, "Item"), (300.0, "Qty")]));
        g.extend(line(1, 190.0, &[(10.0, "B1"), (100.0, "Brooms"), (300.0, "6")]));
        let b = blocks(g, &[]);
        let tables: Vec<&Vec<Vec<String>>> = b
            .iter()
            .filter_map(|b| match b {
                Block::Table { rows } => Some(rows),
                _ => None,
            })
            .collect();
        assert_eq!(tables.len(), 2, "{b:?}");
        assert_eq!(tables[0].len(), 3);
    }
}
