//! Unruled tables: a line with two or more cells opens a candidate table whose columns are
//! that line's cells; following lines join it while their cells fall into those columns. A
//! line with a single cell inside one column continues a multi-line cell and goes to the
//! vertically nearest row. A repeat of the header (a table continued on the next page) is
//! dropped.

use super::super::{Block, notes};
use super::layout::Line;

/// Rows further apart than this many line heights are not one table…
const MAX_ROW_GAP: f64 = 3.2;
/// …unless the row lines up with the header's cells: tables padded for readability put
/// rows several line heights apart (cells centred in tall rows), and their cells start (or
/// end, for right-aligned figures) where the header's do.
const MAX_ALIGNED_ROW_GAP: f64 = 12.0;

/// Lines of one row's wrapped cells are set at the text's leading (about 1.2 line heights).
const WRAP_GAP: f64 = 1.6;

/// Whether a line of several cells continues the data row above it rather than starting
/// one: no cell of it is a bare figure (a serial number or a quantity) while the row above
/// has one, and each of its cells sits in a column the row above fills.
fn continues(data: &[Entry], cells: &[String]) -> bool {
    let figure = |t: &str| is_figure(t);
    let Some(above) = data.iter().rev().find_map(|e| match e {
        Entry::Row { cells, .. } => Some(cells),
        Entry::Fragment { .. } => None,
    }) else {
        return false;
    };
    !cells.iter().any(|c| figure(c))
        && above.iter().any(|c| figure(c))
        && cells.iter().zip(above).all(|(c, a)| c.is_empty() || !a.is_empty())
}

/// A bare figure: a serial number or a quantity ("12", "1,000", "2.5").
fn is_figure(t: &str) -> bool {
    !t.is_empty() && t.chars().all(|c| c.is_ascii_digit() || matches!(c, ',' | '.'))
}

/// Column boundaries from a header line: column i owns x in [start_i, start_{i+1}), where a
/// column starts a little left of its header's first glyph (left-aligned text starts there;
/// right-aligned numbers are placed by their centre).
struct Columns {
    starts: Vec<f64>,
    /// The header's lines as written, to drop their repeats on the next page.
    header: Vec<Vec<String>>,
    /// The header cells' left and right edges.
    edges: Vec<(f64, f64)>,
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
            header: vec![texts(line)],
            edges: edges(line),
        }
    }

    /// The columns of a two-row header: a line of labels right under the header that puts
    /// two labels under one header cell ("REQUIREMENT" over "Qty / UOM" and "Delivery")
    /// splits that column; the header rows come back as upper and lower rows, the upper
    /// label in the first of the columns it covers, as a merged cell reads.
    fn with_sub_header(header: &Line, sub: &Line) -> Option<(Self, [Vec<String>; 2])> {
        let top = Self::from_header(header);
        let labels = sub.cells.len() >= 2
            && sub
                .cells
                .iter()
                .all(|c| !c.text.bytes().any(|b| b.is_ascii_digit()) && c.text.chars().count() <= 30);
        if !labels || sub.page != header.page || sub.y - header.y > 2.0 * header.height.max(sub.height) {
            return None;
        }
        let cols: Vec<usize> = sub.cells.iter().map(|c| top.column_of(c.x0 + 0.01)).collect();
        if !cols.windows(2).any(|w| w[0] == w[1]) {
            return None;
        }
        let tolerance = 0.3 * header.height;
        // (start, upper label, lower label), by start
        let mut merged: Vec<(f64, String, String)> = header
            .cells
            .iter()
            .zip(&top.starts)
            .map(|(c, s)| (*s, c.text.clone(), String::new()))
            .collect();
        for c in &sub.cells {
            let start = c.x0 - tolerance;
            match merged.iter_mut().find(|m| (m.0 - start).abs() <= header.height) {
                Some(m) if m.2.is_empty() => m.2 = c.text.clone(),
                _ => merged.push((start, String::new(), c.text.clone())),
            }
        }
        merged.sort_by(|a, b| a.0.total_cmp(&b.0));
        merged[0].0 = f64::NEG_INFINITY;
        let columns = Self {
            starts: merged.iter().map(|m| m.0).collect(),
            header: vec![texts(header), texts(sub)],
            edges: edges(header).into_iter().chain(edges(sub)).collect(),
        };
        let upper = merged.iter().map(|m| m.1.clone()).collect();
        let lower = merged.iter().map(|m| m.2.clone()).collect();
        Some((columns, [upper, lower]))
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
            } else if is_figure(&c.text) && self.ends_a_column(c.x1, line.height) {
                // a right-aligned figure wider than its header
                by_end
            } else {
                self.column_of((c.x0 + c.x1) / 2.0)
            };
            cols.push(col);
        }
        Some(cols)
    }

    /// The line with a figure glued onto the text of the column before it split off ("…
    /// SAFETY JOGGER 1,000.000" where a long right-aligned quantity comes within a cell gap
    /// of the description): the figure starts in a later column, or ends where a header
    /// cell does, and the words before it stay inside their own column. None when no cell
    /// spans columns so.
    fn split_figures(&self, line: &Line) -> Option<Line> {
        let spans = |c: &super::layout::Cell| self.column_of(c.x0) < self.column_of(c.x1 - 0.01);
        if !line.cells.iter().any(|c| spans(c) && !c.breaks.is_empty()) {
            return None;
        }
        let mut cells = Vec::with_capacity(line.cells.len() + 1);
        let mut changed = false;
        for c in &line.cells {
            let (first, last) = (self.column_of(c.x0), self.column_of(c.x1 - 0.01));
            let split = (first < last)
                .then(|| c.breaks.len().checked_sub(1))
                .flatten()
                .filter(|&i| {
                    let (at, left_x1, right_x0) = c.breaks[i];
                    is_figure(&c.text[at..])
                        && self.column_of(left_x1 - 0.01) == first
                        && (self.column_of(right_x0) == last || self.ends_a_column(c.x1, line.height))
                });
            match split {
                Some(i) => {
                    let (left, right) = c.split_at(i);
                    cells.push(left);
                    cells.push(right);
                    changed = true;
                }
                None => cells.push(c.clone()),
            }
        }
        changed.then_some(Line {
            page: line.page,
            y: line.y,
            height: line.height,
            cells,
        })
    }

    /// Whether `x1` is where a header cell ends (within half a line height).
    fn ends_a_column(&self, x1: f64, height: f64) -> bool {
        self.edges.iter().any(|(_, e)| (x1 - e).abs() <= 0.5 * height)
    }

    /// A line of two or more cells, most of them starting or ending where a header cell does
    /// (within half a line height).
    fn lines_up(&self, line: &Line) -> bool {
        let near = |a: f64, b: f64| (a - b).abs() <= 0.5 * line.height;
        let aligned = line
            .cells
            .iter()
            .filter(|c| self.edges.iter().any(|(x0, x1)| near(c.x0, *x0) || near(c.x1, *x1)))
            .count();
        aligned >= 2 && 2 * aligned > line.cells.len()
    }

    /// A line of one cell that starts where a header cell does.
    fn starts_a_column(&self, line: &Line) -> bool {
        line.cells.len() == 1
            && self
                .edges
                .iter()
                .any(|(x0, _)| (line.cells[0].x0 - x0).abs() <= 0.5 * line.height)
    }

    fn is_header_repeat(&self, line: &Line) -> bool {
        self.header.iter().any(|h| texts(line) == *h)
    }
}

fn edges(line: &Line) -> Vec<(f64, f64)> {
    line.cells.iter().map(|c| (c.x0, c.x1)).collect()
}

fn texts(line: &Line) -> Vec<String> {
    line.cells.iter().map(|c| c.text.clone()).collect()
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
        /// Wrapped onto the next line of the row above (beside other cells of it): it
        /// belongs to that row, however near the next row is.
        of_above: bool,
    },
}

impl Entry {
    /// A piece of a multi-line cell in column `col`, found on `line`.
    fn fragment(col: usize, text: String, line: &Line) -> Self {
        Entry::Fragment {
            col,
            text,
            page: line.page,
            y: line.y,
            of_above: false,
        }
    }
}

/// Tries to read a table whose header is `lines[start]`; returns it and the next line index.
pub(super) fn table_at(lines: &[Line], start: usize) -> Option<(Block, usize)> {
    let header = &lines[start];
    let two_rows = lines
        .get(start + 1)
        .and_then(|sub| Columns::with_sub_header(header, sub));
    let (columns, mut entries, mut j) = match two_rows {
        Some((columns, [upper, lower])) => {
            let sub = &lines[start + 1];
            let entries = vec![
                Entry::Row {
                    cells: upper,
                    page: header.page,
                    y: header.y,
                },
                Entry::Row {
                    cells: lower,
                    page: sub.page,
                    y: sub.y,
                },
            ];
            (columns, entries, start + 2)
        }
        None => {
            let columns = Columns::from_header(header);
            let entries = vec![Entry::Row {
                cells: texts(header),
                page: header.page,
                y: header.y,
            }];
            (columns, entries, start + 1)
        }
    };
    let width = columns.starts.len();
    let header_rows = entries.len();
    let (mut last_page, mut last_y) = (lines[j - 1].page, lines[j - 1].y);
    // Whether the rows are padded apart: the first data line below the header tells (a table
    // whose rows follow at the text's leading ends at the first wide gap, even when a title
    // and a table in the same columns come after it).
    let mut padded_rows: Option<bool> = None;
    let mut serials = Serials::default();
    while j < lines.len() {
        let split = columns.split_figures(&lines[j]);
        let line = split.as_ref().unwrap_or(&lines[j]);
        let gap = (line.y - last_y) / line.height.max(header.height);
        // a padded row, or the first line of a cell centred in one (the row's other cells
        // follow right under it)
        let padded = padded_rows != Some(false)
            && gap <= MAX_ALIGNED_ROW_GAP
            && (columns.lines_up(line)
                || lines.get(j + 1).is_some_and(|next| {
                    next.page == line.page
                        && (next.y - line.y) <= MAX_ROW_GAP * next.height.max(line.height)
                        && columns.starts_a_column(line)
                        && columns.lines_up(next)
                }));
        let close = line.page != last_page || gap <= MAX_ROW_GAP || padded;
        // a line of more labels than this table has columns is the header of a wider table
        // below a letterhead's two cells ("MERIDIAN | FACILITIES …" over "Item | Description
        // | Unit | Quantity | Rate | Amount")
        let wider_header = line.cells.len() > width
            && line.cells.len() >= 3
            && !line.cells.iter().any(|c| c.text.bytes().any(|b| b.is_ascii_digit()));
        if !close || wider_header {
            break;
        }
        if columns.is_header_repeat(line) {
            (last_page, last_y) = (line.page, line.y);
            j += 1;
            continue;
        }
        let Some(cols) = columns.assign(line) else { break };
        if padded_rows.is_none() && line.page == last_page {
            padded_rows = Some(gap > MAX_ROW_GAP);
        }
        if cols.iter().all(|c| *c == cols[0]) {
            // Text in a single column only: a continuation of a multi-line cell, if it stays
            // inside that column.
            let col = cols[0];
            let x1 = line.cells.iter().map(|c| c.x1).fold(f64::MIN, f64::max);
            let fits = col + 1 >= width || x1 <= columns.starts[col + 1] + 0.5 * line.height;
            let text = line.cells.iter().map(|c| c.text.as_str()).collect::<Vec<_>>().join(" ");
            // a note wider than its column between rows of the table ("ISO 6789 certificate,
            // SAC-SINGLAS accredited lab. …" under an item): a row of its own
            let table_goes_on = || {
                lines.get(j + 1).is_some_and(|next| {
                    next.page == line.page
                        && next.y - line.y <= MAX_ROW_GAP * next.height.max(line.height)
                        && columns.lines_up(next)
                })
            };
            let note_row = j > start + header_rows && table_goes_on();
            if line.page != last_page || !(fits || note_row) {
                break;
            }
            let next_serial = lines
                .get(j + 1)
                .and_then(|next| next.cells.first())
                .and_then(|c| row_serial(&c.text));
            // a note wider than its column, or a section's heading ("** PNEUMATIC TOOLS &
            // FITTINGS **", "2 Spill Control" between "1.5 …" and "2.1 …"): a row of its own
            if !fits || is_decorated_heading(&text) || serials.is_numbered_heading(col, &text, next_serial.as_deref()) {
                let mut cells = vec![String::new(); width];
                cells[col] = text;
                entries.push(Entry::Row {
                    cells,
                    page: line.page,
                    y: line.y,
                });
            } else {
                entries.push(Entry::fragment(col, text, line));
            }
        } else {
            // two cells apart in one column: a line of the row's details under it ("REQ
            // DATE 06/04/2026   WBS H1127   ACCT 5104200"), not its cells wrapped
            let shares_a_column = cols.windows(2).any(|w| w[0] == w[1]);
            let mut cells = vec![String::new(); width];
            for (cell, col) in line.cells.iter().zip(cols) {
                if !cells[col].is_empty() {
                    cells[col].push(' ');
                }
                cells[col].push_str(&cell.text);
            }
            let tight = line.page == last_page && line.y - last_y <= WRAP_GAP * line.height.max(header.height);
            if tight && !shares_a_column && continues(&entries[header_rows..], &cells) {
                // two cells wrapped onto the row's next line ("… (straight, not" / "elbow)"
                // beside "Compressor room, to" / "replace leaking fittings")
                let wrapped = cells.into_iter().enumerate().filter(|(_, t)| !t.is_empty());
                entries.extend(wrapped.map(|(col, text)| Entry::Fragment {
                    col,
                    text,
                    page: line.page,
                    y: line.y,
                    of_above: true,
                }));
            } else {
                let first = cells.iter().enumerate().find(|(_, t)| !t.is_empty());
                if let Some((c, n)) = first.and_then(|(c, t)| Some((c, row_serial(t)?))) {
                    serials.last = Some((c, n));
                }
                entries.push(Entry::Row {
                    cells,
                    page: line.page,
                    y: line.y,
                });
            }
        }
        (last_page, last_y) = (line.page, line.y);
        j += 1;
    }
    let rows = resolve(entries, header_rows);
    (rows.len() > header_rows).then_some((Block::Table { rows }, j))
}

/// A number that opens a row or a section: "1", "2.", "1.1", "3.2.1" before text.
fn serial(text: &str) -> Option<Vec<u32>> {
    let (first, rest) = text.trim_start().split_once(char::is_whitespace)?;
    (!rest.trim().is_empty()).then(|| serial_number(first)).flatten()
}

/// A cell's number: a row's number alone in its cell ("1.1", "00010") or before its text.
fn row_serial(cell: &str) -> Option<Vec<u32>> {
    serial_number(cell.trim()).or_else(|| serial(cell))
}

/// "1", "2.", "1.1", "3.2.1": up to four numbers of up to five digits between dots.
fn serial_number(token: &str) -> Option<Vec<u32>> {
    let token = token.strip_suffix('.').unwrap_or(token);
    let mut parts = Vec::new();
    for p in token.split('.') {
        if !(1..=5).contains(&p.len()) || !p.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        parts.push(p.parse().ok()?);
    }
    (parts.len() <= 4).then_some(parts)
}

/// The numbering of a table's rows, to tell a section's numbered heading ("2 Spill Control"
/// between "1.5 …" and "2.1 …", "3 Terms" after "2.4 …") from a cell's wrapped line.
#[derive(Default)]
struct Serials {
    /// The last row or heading number seen, with its column.
    last: Option<(usize, Vec<u32>)>,
}

impl Serials {
    /// A line of one cell in the column the rows are numbered in, whose number comes next
    /// after the last (at any level), opens the last one's first subsection, or is the
    /// section of the row below ("1 Personal Protective Equipment" over "1.1 …"); its text
    /// opens with a letter.
    fn is_numbered_heading(&mut self, col: usize, text: &str, next: Option<&[u32]>) -> bool {
        let Some(n) = serial(text) else { return false };
        let worded = text
            .trim_start()
            .split_once(char::is_whitespace)
            .is_some_and(|(_, rest)| rest.trim_start().starts_with(char::is_alphabetic));
        let follows = match &self.last {
            Some((c, last)) if *c == col => {
                let k = n.len() - 1;
                let next_at_level = k < last.len() && n[..k] == last[..k] && n[k] == last[k] + 1;
                let first_child = n.len() == last.len() + 1 && n[..last.len()] == last[..] && n[k] == 1;
                next_at_level || first_child
            }
            Some(_) => false,
            None => {
                col == 0 && next.is_some_and(|m| m.len() == n.len() + 1 && m[..n.len()] == n[..] && m[n.len()] == 1)
            }
        };
        if worded && follows {
            self.last = Some((col, n));
            return true;
        }
        false
    }
}

/// A heading set between marks: "** WELDING **", "== SECTION B ==", "-- Consumables --".
fn is_decorated_heading(text: &str) -> bool {
    let t = text.trim();
    ["**", "==", "--", "##"]
        .iter()
        .any(|m| t.len() > 2 * m.len() + 2 && t.starts_with(m) && t.ends_with(m))
}

/// Attaches each fragment to the nearer of the rows above and below it (above unless the row
/// below is clearly nearer), never to the `header_rows` first rows when a data row follows.
fn resolve(entries: Vec<Entry>, header_rows: usize) -> Vec<Vec<String>> {
    // (entry, page, y, whether a cell begins with a figure: a serial number, a quantity)
    let row_pos: Vec<(usize, u32, f64, bool)> = entries
        .iter()
        .enumerate()
        .filter_map(|(i, e)| match e {
            Entry::Row { page, y, cells } => Some((
                i,
                *page,
                *y,
                cells.iter().any(|c| c.starts_with(|ch: char| ch.is_ascii_digit())),
            )),
            Entry::Fragment { .. } => None,
        })
        .collect();
    // a table with no header over it opens with an item
    let first_is_header = entries.first().is_none_or(is_header_like);
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut prepend: Vec<Vec<(usize, String)>> = Vec::new();
    let mut headings: Vec<Vec<(usize, String)>> = Vec::new();
    let mut appends: Vec<Vec<(usize, String)>> = Vec::new();
    let mut index_of_entry = vec![usize::MAX; entries.len()];
    for (i, e) in entries.iter().enumerate() {
        if let Entry::Row { cells, .. } = e {
            index_of_entry[i] = rows.len();
            rows.push(cells.clone());
            prepend.push(Vec::new());
            headings.push(Vec::new());
            appends.push(Vec::new());
        }
    }
    for (i, e) in entries.iter().enumerate() {
        let Entry::Fragment {
            col,
            text,
            page,
            y,
            of_above,
        } = e
        else {
            continue;
        };
        let above = row_pos.iter().rev().find(|(ri, ..)| *ri < i);
        let below = row_pos.iter().find(|(ri, ..)| *ri > i);
        let dist = |r: &(usize, u32, f64, bool)| if r.1 == *page { (r.2 - y).abs() } else { f64::INFINITY };
        // Never glue a fragment onto the header row when a data row follows closely.
        let target = match (above, below) {
            (Some(a), _) if *of_above => a.0,
            // a row below without figures is a line of the row's details, not an item whose
            // cells are centred around its figures
            (Some(a), Some(b))
                if (b.3 && dist(b) < 0.8 * dist(a))
                    || (a.0 < header_rows && dist(b).is_finite() && first_is_header) =>
            {
                // a labelled line over a row is a heading of its own ("Site: Biopolis, 20
                // Biopolis Way"), not the first line of the row's cell
                if notes::is_labelled_note(text) {
                    headings[index_of_entry[b.0]].push((*col, text.clone()));
                } else {
                    prepend[index_of_entry[b.0]].push((*col, text.clone()));
                }
                continue;
            }
            (Some(a), _) => a.0,
            (None, Some(b)) => b.0,
            (None, None) => continue,
        };
        appends[index_of_entry[target]].push((*col, text.clone()));
    }
    let mut out = Vec::with_capacity(rows.len());
    for (r, mut row) in rows.into_iter().enumerate() {
        for (col, text) in &headings[r] {
            let mut cells = vec![String::new(); row.len()];
            cells[*col].clone_from(text);
            out.push(cells);
        }
        for (col, text) in prepend[r].iter().rev() {
            row[*col] = join_wrapped(text, &row[*col]);
        }
        // lines under a data row that are notes on it (`notes`) are rows of their own, and
        // what wraps below a note is the note's
        let mut notes: Vec<Vec<String>> = Vec::new();
        for (col, text) in &appends[r] {
            let note = (r >= header_rows || !first_is_header) && notes::opens_note(&row[*col], text, !notes.is_empty());
            if note {
                let mut cells = vec![String::new(); row.len()];
                cells[*col].clone_from(text);
                notes.push(cells);
                continue;
            }
            let target = notes.last_mut().unwrap_or(&mut row);
            target[*col] = join_wrapped(&target[*col], text);
        }
        out.push(row);
        out.extend(notes);
    }
    out
}

/// Whether a table's first line reads as a header: fewer than two of its cells hold a figure.
/// A table whose rows are set apart with no header over them opens with an item ("Item 3.2.1
/// | Jumbo roll tissue … | Qty: 40 Ctn"), and what wraps under that line is its own.
fn is_header_like(entry: &Entry) -> bool {
    match entry {
        Entry::Row { cells, .. } => cells.iter().filter(|c| c.bytes().any(|b| b.is_ascii_digit())).count() < 2,
        Entry::Fragment { .. } => true,
    }
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
