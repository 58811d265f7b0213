//! A ruled grid filled with the words inside its cells: a table of rows and cells.
//!
//! A cell's text is its words in reading order, lines joined by a space (a wrapped cell).
//! Two cases where the rules do not tell the rows, both read from the lines themselves:
//! - a cell spanning several columns whose lines fall into more than one of them (a frame
//!   drawn around unruled rows under a ruled header): each line becomes a row, its words
//!   placed in the columns of the grid, and a line holding only one later column continues
//!   the row above;
//! - a row whose every filled cell holds the same [`STACKED`] or more lines on the same
//!   baselines (rules drawn every few rows): each line becomes a row. Two lines in every
//!   cell is how a header or a row wraps, so that is kept as one row.
//!
//! - a row whose numbering or quantity column holds a number on each of several lines (a
//!   bill boxed with column rules but no rules between its rows): each line with such a
//!   number opens a row; the lines under it without one continue it.
//!
//! A grid with fewer than two rows or columns, or one whose single-column cells hold
//! paragraphs, is a frame, not a table: its words stay running text.

use super::super::notes;
use super::rules::Grid;
use super::words::Line;

/// Lines stacked in every filled cell of a row from which they are separate rows.
const STACKED: usize = 3;
/// A single-column cell with more lines than this is a text frame.
const MAX_CELL_LINES: usize = 12;

/// A word as (line index, word index).
type WordId = (usize, usize);

/// The table a grid holds, and the words it used.
pub(super) fn fill(grid: &Grid, lines: &[Line], candidates: &[usize]) -> Option<(Vec<Vec<String>>, Vec<WordId>)> {
    let cols = grid.xs.len().checked_sub(1)?;
    let rows = grid.ys.len().checked_sub(1)?;
    if cols < 2 || rows < 2 {
        return None;
    }
    let band = |values: &[f64], v: f64| values.partition_point(|b| *b <= v).saturating_sub(1);
    // Words of each cell: (line index, word index).
    let mut content: Vec<Vec<(usize, usize)>> = vec![Vec::new(); grid.cells.len()];
    let mut used = Vec::new();
    for &li in candidates {
        let line = &lines[li];
        for (wi, w) in line.words.iter().enumerate() {
            let (cx, cy) = ((w.x0 + w.x1) / 2.0, w.y - 0.3 * w.size);
            if let Some(ci) = grid
                .cells
                .iter()
                .position(|c| c[0] <= cx && cx < c[2] && c[1] <= cy && cy < c[3])
            {
                content[ci].push((li, wi));
                used.push((li, wi));
            }
        }
    }
    if content.iter().filter(|c| !c.is_empty()).count() < 2 {
        return None;
    }
    let mut out: Vec<Vec<String>> = Vec::new();
    for r in 0..rows {
        let row_cells: Vec<usize> = (0..grid.cells.len())
            .filter(|&i| band(&grid.ys, grid.cells[i][1]) == r)
            .collect();
        if row_cells.is_empty() {
            continue;
        }
        let line_sets: Vec<Vec<usize>> = row_cells.iter().map(|&i| line_ids(&content[i])).collect();
        let filled: Vec<usize> = (0..row_cells.len()).filter(|&k| !line_sets[k].is_empty()).collect();
        let spans = |k: usize| {
            let c = grid.cells[row_cells[k]];
            band(&grid.xs, c[2] - 0.01) > band(&grid.xs, c[0])
        };
        // A lone spanning cell with rows inside it.
        if filled.len() == 1 && spans(filled[0]) {
            let k = filled[0];
            let sub = lines_as_rows(&content[row_cells[k]], lines, &grid.xs, cols);
            if sub.len() > 1 {
                out.extend(sub);
                continue;
            }
        }
        for &k in &filled {
            if !spans(k) && line_sets[k].len() > MAX_CELL_LINES {
                return None;
            }
        }
        // rows ruled only at the table's top and bottom (a bill's columns boxed, its rows
        // not): each line with a number in the numbering or quantity column opens a row
        if r > 0
            && let Some(sub) = anchored_rows(&row_cells, &line_sets, &content, lines, grid, cols)
        {
            out.extend(sub);
            continue;
        }
        let stacked = filled.len() >= 2
            && line_sets[filled[0]].len() >= STACKED
            && filled.iter().all(|&k| line_sets[k] == line_sets[filled[0]]);
        let split: Vec<Vec<usize>> = if stacked {
            line_sets[filled[0]].iter().map(|&l| vec![l]).collect()
        } else {
            vec![line_sets.iter().flatten().copied().collect()]
        };
        let whole = split.len() == 1;
        for part in split {
            let mut row = vec![String::new(); cols];
            let mut notes: Vec<Vec<String>> = Vec::new();
            for &ci in &row_cells {
                let col = band(&grid.xs, grid.cells[ci][0]).min(cols - 1);
                let words: Vec<&(usize, usize)> = content[ci].iter().filter(|(l, _)| part.contains(l)).collect();
                if whole && r > 0 {
                    let (own, cell_notes) = with_notes(&words, lines);
                    row[col] = own;
                    for (k, note) in cell_notes.into_iter().enumerate() {
                        if notes.len() <= k {
                            notes.push(vec![String::new(); cols]);
                        }
                        notes[k][col] = note;
                    }
                } else {
                    row[col] = text(words.into_iter(), lines);
                }
            }
            out.push(row);
            out.extend(notes);
        }
    }
    (out.len() >= 2).then_some((out, used))
}

/// The distinct lines of a cell's words, top to bottom.
fn line_ids(words: &[(usize, usize)]) -> Vec<usize> {
    let mut ids: Vec<usize> = words.iter().map(|(l, _)| *l).collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}

/// Words joined in reading order (lines are indexed top to bottom, words left to right).
fn text<'a>(words: impl Iterator<Item = &'a (usize, usize)>, lines: &[Line]) -> String {
    let mut ids: Vec<&(usize, usize)> = words.collect();
    ids.sort_unstable();
    ids.iter()
        .map(|(l, w)| lines[*l].words[*w].text.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

/// A cell's text and the notes written under it in the same cell (`notes`: "Item text: …",
/// "Acct. assgt: …", prose under a short text in capitals), each note with the lines that
/// wrap it.
fn with_notes(words: &[&(usize, usize)], lines: &[Line]) -> (String, Vec<String>) {
    let mut own = String::new();
    let mut notes: Vec<String> = Vec::new();
    let ids: Vec<(usize, usize)> = words.iter().map(|w| **w).collect();
    for line in line_ids(&ids) {
        let text = text(ids.iter().filter(|(l, _)| *l == line), lines);
        if !own.is_empty() && notes::opens_note(&own, &text, !notes.is_empty()) {
            notes.push(String::new());
        }
        let target = notes.last_mut().unwrap_or(&mut own);
        if !target.is_empty() {
            target.push(' ');
        }
        target.push_str(&text);
    }
    (own, notes)
}

/// Each line of a spanning cell as a row, its words in the grid's columns; a line within
/// one later column continues the row above.
fn lines_as_rows(words: &[(usize, usize)], lines: &[Line], xs: &[f64], cols: usize) -> Vec<Vec<String>> {
    let band = |v: f64| xs.partition_point(|b| *b <= v).saturating_sub(1).min(cols - 1);
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut multi = false;
    for l in line_ids(words) {
        let mut row = vec![String::new(); cols];
        let mut ids: Vec<&(usize, usize)> = words.iter().filter(|(li, _)| *li == l).collect();
        ids.sort_unstable();
        for (li, wi) in ids {
            let w = &lines[*li].words[*wi];
            let cell = &mut row[band((w.x0 + w.x1) / 2.0)];
            if !cell.is_empty() {
                cell.push(' ');
            }
            cell.push_str(&w.text);
        }
        let used: Vec<usize> = (0..cols).filter(|&c| !row[c].is_empty()).collect();
        multi |= used.len() > 1;
        match rows.last_mut() {
            Some(prev) if used.len() == 1 && used[0] > 0 => {
                let c = used[0];
                if !prev[c].is_empty() {
                    prev[c].push(' ');
                }
                let add = std::mem::take(&mut row[c]);
                prev[c].push_str(&add);
            }
            _ => rows.push(row),
        }
    }
    if multi { rows } else { Vec::new() }
}

/// A cell's line of text that numbers a row or counts it: one short token of figures, with
/// at most two letters and the marks of a number or an outline ("1.2", "30", "1,200", "B.4",
/// "(3)"), or an outline letter ("(a)", "ii.").
fn is_anchor(text: &str) -> bool {
    let t = text.trim();
    let marks = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | ',' | '(' | ')');
    let letters = t.chars().filter(char::is_ascii_alphabetic).count();
    let figure = t.bytes().any(|b| b.is_ascii_digit()) && letters <= 2;
    let outline = letters > 0
        && letters <= 4
        && t.ends_with([')', '.'])
        && t.chars()
            .all(|c| c.is_ascii_lowercase() || matches!(c, '(' | ')' | '.'));
    !t.is_empty() && t.chars().count() <= 8 && t.chars().all(marks) && (figure || outline)
}

/// The rows of one ruled band that holds several rows: when one column (not spanning) has
/// an anchor ([`is_anchor`]) on each of two or more lines and nothing else, each line with
/// text in that column opens a row; a line without continues the row above, cell by cell.
/// Lines above the first anchor are rows of their own ("Brought forward"). None when no
/// column is such.
fn anchored_rows(
    row_cells: &[usize],
    line_sets: &[Vec<usize>],
    content: &[Vec<WordId>],
    lines: &[Line],
    grid: &Grid,
    cols: usize,
) -> Option<Vec<Vec<String>>> {
    let band = |v: f64| grid.xs.partition_point(|b| *b <= v).saturating_sub(1).min(cols - 1);
    let single = |ci: usize| band(grid.cells[ci][2] - 0.01) == band(grid.cells[ci][0]);
    let (_, anchor_lines) = row_cells.iter().zip(line_sets).find(|(ci, ids)| {
        single(**ci)
            && ids.len() >= 2
            && ids
                .iter()
                .all(|&l| is_anchor(&text(content[**ci].iter().filter(|(li, _)| *li == l), lines)))
    })?;
    // two lines in every filled cell alike is a row wrapped in every cell (a header, "FY2013
    // / FY2014" over its figures), as `STACKED` says
    if anchor_lines.len() < STACKED && line_sets.iter().filter(|l| !l.is_empty()).all(|l| l == anchor_lines) {
        return None;
    }
    let all: Vec<WordId> = row_cells.iter().flat_map(|&ci| content[ci].iter().copied()).collect();
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut opened = false;
    for l in line_ids(&all) {
        let mut row = vec![String::new(); cols];
        for &ci in row_cells {
            let words: Vec<&WordId> = content[ci].iter().filter(|(li, _)| *li == l).collect();
            if !words.is_empty() {
                row[band(grid.cells[ci][0])] = text(words.into_iter(), lines);
            }
        }
        let opens = anchor_lines.contains(&l);
        match rows.last_mut() {
            Some(prev) if opened && !opens => {
                for (cell, add) in prev.iter_mut().zip(row) {
                    if !add.is_empty() {
                        if !cell.is_empty() {
                            cell.push(' ');
                        }
                        cell.push_str(&add);
                    }
                }
            }
            _ => rows.push(row),
        }
        opened |= opens;
    }
    (rows.len() >= 2).then_some(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_anchor_is_a_number_or_an_outline_mark() {
        for a in ["1", "1.2", "30", "1,200", "B.4", "(3)", "(a)", "ii.", "3.2.1"] {
            assert!(is_anchor(a), "{a}");
        }
        for t in ["10＜", "μ≤20", "FY2013 FY2014", "Nos", "Carried", "KC06514X9", "ABC12"] {
            assert!(!is_anchor(t), "{t}");
        }
    }
}
