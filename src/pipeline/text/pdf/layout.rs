//! From positioned glyphs and ruling lines to lines, cells and tables.
//!
//! Words and lines come from [`words`](super::words) (never mixing two baselines). Ruled
//! grids ([`rules`](super::rules), [`grid`](super::grid)) become tables first; the rest is
//! running text, where a gap wider than [`CELL_GAP`] font sizes starts a new cell and a
//! line with two or more cells opens a candidate table whose columns are that line's
//! cells; following lines join it while their cells fall into those columns. A line with
//! a single cell inside one column is a continuation of a multi-line cell and goes to the
//! vertically nearest row. A repeat of the header (a table continued on the next page) is
//! dropped, for ruled and unruled tables alike.

use super::super::Block;
use super::device::to_frame;
use super::rules::{self, Edge};
use super::{grid, words};

/// A gap of this many font sizes separates cells; word spaces are about 0.25–0.35.
const CELL_GAP: f64 = 1.0;
/// Rows further apart than this many line heights are not one table.
const MAX_ROW_GAP: f64 = 3.2;

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

#[derive(Debug, Clone)]
struct Cell {
    x0: f64,
    x1: f64,
    text: String,
}

#[derive(Debug, Clone)]
struct Line {
    page: u32,
    y: f64,
    height: f64,
    cells: Vec<Cell>,
}

impl Line {
    fn text(&self) -> String {
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
                cell.text.push_str(&w.text);
                cell.x1 = cell.x1.max(w.x1);
            }
            _ => cells.push(Cell {
                x0: w.x0,
                x1: w.x1,
                text: w.text.clone(),
            }),
        }
    }
    cells
}

/// Column boundaries from a header line: column i owns x in [start_i, start_{i+1}), where a
/// column starts a little left of its header's first glyph (left-aligned text starts there;
/// right-aligned numbers are placed by their centre).
struct Columns {
    starts: Vec<f64>,
    header: Vec<String>,
}

impl Columns {
    fn from_header(line: &Line) -> Self {
        let tolerance = 0.3 * line.height;
        let starts = line
            .cells
            .iter()
            .enumerate()
            .map(|(i, c)| if i == 0 { f64::NEG_INFINITY } else { c.x0 - tolerance })
            .collect();
        Self {
            starts,
            header: line.cells.iter().map(|c| c.text.clone()).collect(),
        }
    }

    fn column_of(&self, x: f64) -> usize {
        self.starts.iter().rposition(|s| x >= *s).unwrap_or(0)
    }

    /// Each cell's column, by the cell's start (left-aligned) or centre (right-aligned
    /// numbers); None when the line spans columns in a way no row does.
    fn assign(&self, line: &Line) -> Option<Vec<usize>> {
        let mut cols = Vec::with_capacity(line.cells.len());
        for c in &line.cells {
            let by_start = self.column_of(c.x0);
            let by_end = self.column_of(c.x1 - 0.01);
            if by_end > by_start + 1 {
                return None;
            }
            let col = if by_start == by_end {
                by_start
            } else {
                self.column_of((c.x0 + c.x1) / 2.0)
            };
            cols.push(col);
        }
        Some(cols)
    }

    fn is_header_repeat(&self, line: &Line) -> bool {
        line.cells.len() == self.header.len() && line.cells.iter().zip(&self.header).all(|(c, h)| c.text == *h)
    }
}

enum Entry {
    Row {
        cells: Vec<String>,
        page: u32,
        y: f64,
    },
    Fragment {
        col: usize,
        text: String,
        page: u32,
        y: f64,
    },
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

/// Tries to read a table whose header is `lines[start]`; returns it and the next line index.
fn table_at(lines: &[Line], start: usize) -> Option<(Block, usize)> {
    let header = &lines[start];
    let columns = Columns::from_header(header);
    let width = columns.header.len();
    let mut entries = vec![Entry::Row {
        cells: columns.header.clone(),
        page: header.page,
        y: header.y,
    }];
    let (mut last_page, mut last_y) = (header.page, header.y);
    let mut j = start + 1;
    while j < lines.len() {
        let line = &lines[j];
        let close = line.page != last_page || (line.y - last_y) <= MAX_ROW_GAP * line.height.max(header.height);
        if !close {
            break;
        }
        if columns.is_header_repeat(line) {
            (last_page, last_y) = (line.page, line.y);
            j += 1;
            continue;
        }
        let Some(cols) = columns.assign(line) else { break };
        if cols.iter().all(|c| *c == cols[0]) {
            // Text in a single column only: a continuation of a multi-line cell, if it stays
            // inside that column.
            let col = cols[0];
            let x1 = line.cells.iter().map(|c| c.x1).fold(f64::MIN, f64::max);
            let fits = col + 1 >= width || x1 <= columns.starts[col + 1] + 0.5 * line.height;
            if !fits || line.page != last_page {
                break;
            }
            let text = line.cells.iter().map(|c| c.text.as_str()).collect::<Vec<_>>().join(" ");
            entries.push(Entry::Fragment {
                col,
                text,
                page: line.page,
                y: line.y,
            });
        } else {
            let mut cells = vec![String::new(); width];
            for (cell, col) in line.cells.iter().zip(cols) {
                if !cells[col].is_empty() {
                    cells[col].push(' ');
                }
                cells[col].push_str(&cell.text);
            }
            entries.push(Entry::Row {
                cells,
                page: line.page,
                y: line.y,
            });
        }
        (last_page, last_y) = (line.page, line.y);
        j += 1;
    }
    let rows = resolve(entries);
    (rows.len() >= 2).then_some((Block::Table { rows }, j))
}

/// Attaches each fragment to the nearer of the rows above and below it (above on a tie).
fn resolve(entries: Vec<Entry>) -> Vec<Vec<String>> {
    let row_pos: Vec<(usize, u32, f64)> = entries
        .iter()
        .enumerate()
        .filter_map(|(i, e)| match e {
            Entry::Row { page, y, .. } => Some((i, *page, *y)),
            Entry::Fragment { .. } => None,
        })
        .collect();
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut prepend: Vec<Vec<(usize, String)>> = Vec::new();
    let mut appends: Vec<Vec<(usize, String)>> = Vec::new();
    let mut index_of_entry = vec![usize::MAX; entries.len()];
    for (i, e) in entries.iter().enumerate() {
        if let Entry::Row { cells, .. } = e {
            index_of_entry[i] = rows.len();
            rows.push(cells.clone());
            prepend.push(Vec::new());
            appends.push(Vec::new());
        }
    }
    for (i, e) in entries.iter().enumerate() {
        let Entry::Fragment { col, text, page, y } = e else {
            continue;
        };
        let above = row_pos.iter().rev().find(|(ri, ..)| *ri < i);
        let below = row_pos.iter().find(|(ri, ..)| *ri > i);
        let dist = |r: &(usize, u32, f64)| if r.1 == *page { (r.2 - y).abs() } else { f64::INFINITY };
        // Never glue a fragment onto the header row when a data row follows closely.
        let target = match (above, below) {
            (Some(a), Some(b)) if dist(b) < dist(a) || (a.0 == 0 && dist(b).is_finite()) => {
                prepend[index_of_entry[b.0]].push((*col, text.clone()));
                continue;
            }
            (Some(a), _) => a.0,
            (None, Some(b)) => b.0,
            (None, None) => continue,
        };
        appends[index_of_entry[target]].push((*col, text.clone()));
    }
    for (r, row) in rows.iter_mut().enumerate() {
        for (col, text) in prepend[r].iter().rev() {
            row[*col] = join_wrapped(text, &row[*col]);
        }
        for (col, text) in &appends[r] {
            row[*col] = join_wrapped(&row[*col], text);
        }
    }
    rows
}

/// Joins two pieces of a wrapped cell: a word broken after a hyphen ("HD3512-M-" +
/// "DISCONTINUED") is joined without a space.
fn join_wrapped(first: &str, second: &str) -> String {
    let broken_word = first.ends_with('-')
        && first.chars().rev().nth(1).is_some_and(char::is_alphanumeric)
        && second.starts_with(char::is_alphanumeric);
    if first.is_empty() || broken_word {
        format!("{first}{second}")
    } else if second.is_empty() {
        first.to_string()
    } else {
        format!("{first} {second}")
    }
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
    fn right_aligned_numbers_land_in_their_column() {
        let mut g = line(1, 100.0, &[(10.0, "Item"), (200.0, "Quantity"), (300.0, "Unit")]);
        g.extend(line(1, 114.0, &[(10.0, "Gloves"), (225.0, "1,000"), (300.0, "pcs")]));
        assert_eq!(table(&blocks(g, &[]))[1], vec!["Gloves", "1,000", "pcs"]);
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
}
