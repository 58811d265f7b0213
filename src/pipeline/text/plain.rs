//! Plain text (TXT files, mail bodies) to blocks: one line per non-blank line, except runs
//! of lines laid out in columns — cells separated by a tab or by two or more spaces, as ERP
//! exports and pasted reports are — which become a table. Cells are placed by their
//! character position under the first line's columns, so an empty cell stays empty and a
//! right-aligned number still lands under its header.

use std::sync::LazyLock;

use regex::Regex;

use super::Block;

/// The time stamp and sender a chat export puts before every message: WhatsApp's
/// "[10:42, 3/4/2026] Ah Seng: " and "3/4/26, 10:42 am - Ah Seng: ", Telegram's
/// "[03.04.2026 10:42] Ah Seng: ".
static CHAT_PREFIX: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^\s*(?:\[\s*\d{1,2}:\d{2}(?::\d{2})?(?:\s?[ap]\.?m\.?)?,\s*\d{1,4}[./-]\d{1,2}[./-]\d{1,4}\s*\]|\[\s*\d{1,4}[./-]\d{1,2}[./-]\d{1,4},?\s+\d{1,2}:\d{2}(?::\d{2})?(?:\s?[ap]\.?m\.?)?\s*\]|\d{1,4}[./-]\d{1,2}[./-]\d{1,4},\s+\d{1,2}:\d{2}(?:\s?[ap]\.?m\.?)?\s+-)\s*[^:\[\]]{1,40}:\s",
    )
    .expect("regex")
});

/// A line that only names a chat message's sender and time, as chat exports put above each
/// message: "Lee Hui Min, [19 May 2026 at 10:02 AM]", "Kelvin | Horme, [19.05.2026 10:06]".
static CHAT_SENDER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*[^\[\]:]{1,60}?,?\s*\[[^\[\]]{0,30}\b\d{1,2}:\d{2}(?::\d{2})?(?:\s?[ap]\.?m\.?)?\s*\]\s*$")
        .expect("regex")
});

/// Running text to blocks.
pub fn lines(text: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut run: Vec<&str> = Vec::new();
    for raw in text.lines() {
        let raw = raw.trim_end_matches('\r');
        // A chat export: the message without its time stamp and sender.
        let line = CHAT_PREFIX.find(raw).map_or(raw, |m| &raw[m.end()..]);
        // A chat export's sender line ("Lee Hui Min, [19 May 2026 at 10:02 AM]") is no text
        // of the conversation: the messages around it read as one.
        if CHAT_SENDER.is_match(line) {
            continue;
        }
        // a table drawn with bars ends at the first line without them ("*** Continued ***"
        // centred under it is no wrapped cell)
        // and begins at its first line with them, apart from columns above it
        let last = run.iter().rev().find(|l| !is_rule(l));
        let in_bars = last.is_some_and(|l| delimited(l).is_some());
        let bars = delimited(line).is_some();
        if (in_bars && !bars && !is_rule(line)) || (last.is_some() && !in_bars && bars) {
            flush(&mut run, &mut blocks);
        }
        if line.trim().is_empty() {
            flush(&mut run, &mut blocks);
        } else if spans(line).len() >= 3
            || bars
            || (!run.is_empty() && (is_rule(line) || is_continuation(line)))
            || is_header_rest(&run, line)
        {
            run.push(line);
        } else {
            flush(&mut run, &mut blocks);
            blocks.push(Block::Line {
                text: line.trim().to_string(),
            });
        }
    }
    flush(&mut run, &mut blocks);
    blocks
}

/// An indented line of one or two cells inside a run of columns: the rest of a cell wrapped
/// onto the next line ("BL EP2 lithium grease blue hi-temp" / "        500g").
fn is_continuation(line: &str) -> bool {
    let indent = line.chars().take_while(|c| *c == ' ' || *c == '\t').count();
    indent >= 4 && (1..=2).contains(&spans(line).len())
}

/// An indented note under a row ("     Comment: for hot work permit kit"): a row of its own,
/// which the item reader leaves out, not the rest of the description above.
fn is_note(line: &str) -> bool {
    static NOTE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)^\s*(?:comments?|notes?|remarks?|reason|purpose|justification|n\.?b\.?)\s*[:：]")
            .expect("regex")
    });
    NOTE.is_match(line)
}

/// A header's second line under its first, the run's only line so far: "No." under "Sl.",
/// "Reqd." under "Qty." — one or two short words without figures, each under a cell of the
/// line above.
fn is_header_rest(run: &[&str], line: &str) -> bool {
    let mut above = run.iter().filter(|l| !is_rule(l));
    let (Some(head), None) = (above.next(), above.next()) else {
        return false;
    };
    let cells = spans(head);
    let words = spans(line);
    cells.len() >= 3
        && (1..=2).contains(&words.len())
        && words.iter().all(|(s, e, t)| {
            t.chars().count() <= 12
                && t.chars().any(char::is_alphabetic)
                && !t.chars().any(|c| c.is_ascii_digit())
                && cells.iter().any(|(cs, ce, _)| *s < ce + 1 && cs < &(e + 1))
        })
}

/// A separator line such as "----  ------  ---", "+----+----+" or "|:---|---:|".
fn is_rule(line: &str) -> bool {
    line.chars().any(|c| matches!(c, '-' | '=' | '_'))
        && line
            .chars()
            .all(|c| matches!(c, '-' | '=' | '_' | '+' | '|' | ':' | ' ' | '\t'))
}

/// The cells of a row drawn with bars ("| 1 | Gloves | 20 |", Markdown and ASCII-art
/// tables): three bars at least, the empty cells outside the outer bars dropped.
fn pipe_cells(line: &str) -> Option<Vec<String>> {
    let t = line.trim();
    if t.matches('|').count() < 3 || is_rule(t) {
        return None;
    }
    let inner = t.strip_prefix('|').unwrap_or(t);
    let inner = inner.strip_suffix('|').unwrap_or(inner);
    Some(inner.split('|').map(|c| c.trim().to_string()).collect())
}

/// The cells of a row of an export pasted as text, separated by semicolons ("10052731;00010;
/// RO-AB-0320;AMPLAS WATERPROOF …;1.500,000;LBR"): three semicolons at least.
fn semicolon_cells(line: &str) -> Option<Vec<String>> {
    let t = line.trim();
    (t.matches(';').count() >= 3).then(|| t.split(';').map(|c| c.trim().to_string()).collect())
}

/// The cells of a row drawn with bars or separated by semicolons.
fn delimited(line: &str) -> Option<Vec<String>> {
    pipe_cells(line).or_else(|| semicolon_cells(line))
}

/// Cells of a line: (first char index, end char index, text), split at tabs and runs of
/// two or more spaces.
fn spans(line: &str) -> Vec<(usize, usize, String)> {
    let chars: Vec<char> = line.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        while i < chars.len() && chars[i].is_whitespace() {
            i += 1;
        }
        let start = i;
        while i < chars.len() {
            let gap = chars[i] == '\t' || (chars[i] == ' ' && chars.get(i + 1).is_some_and(|c| c.is_whitespace()));
            if gap {
                break;
            }
            i += 1;
        }
        if i > start {
            out.push((start, i, chars[start..i].iter().collect::<String>().trim().to_string()));
        }
    }
    out
}

/// Emits a run as a table when it looks like one (two or more lines, numbers in a column),
/// else as lines.
fn flush(run: &mut Vec<&str>, blocks: &mut Vec<Block>) {
    let mut lines: Vec<&str> = run.drain(..).filter(|l| !is_rule(l)).collect();
    // a header's second line ("No." under "Sl."): its words join the header cells above them
    let header_rest = if lines.len() >= 3 && is_header_rest(&lines[..1], lines[1]) {
        Some(lines.remove(1))
    } else {
        None
    };
    // A table drawn with bars (or separated by semicolons): its cells are between them.
    if lines.len() >= 2 && lines.iter().all(|l| delimited(l).is_some()) {
        let rows: Vec<Vec<String>> = lines.iter().filter_map(|l| delimited(l)).collect();
        blocks.push(Block::Table { rows });
        return;
    }
    // Wrapped cells are no rows of their own.
    let body_rows = lines.iter().skip(1).filter(|l| !is_continuation(l)).count();
    let numeric_rows = lines
        .iter()
        .skip(1)
        .filter(|l| !is_continuation(l) && spans(l).iter().any(|(_, _, t)| looks_numeric(t)))
        .count();
    if lines.len() < 2 || body_rows == 0 || numeric_rows * 2 < body_rows {
        blocks.extend(lines.iter().map(|l| Block::Line {
            text: l.trim().to_string(),
        }));
        return;
    }
    // Lines above the header (a requisition's "PR NO : …   BUYER : …" block, laid out in
    // columns too) are not rows: the header is the line above the first row with a number
    // (a "Tel:  6555 0199" line is no row), and what comes before it is read on its own.
    let first_row = (1..lines.len())
        .find(|i| !lines[*i].contains(':') && spans(lines[*i]).iter().any(|(_, _, t)| looks_numeric(t)));
    if let Some(header) = first_row.map(|r| r - 1).filter(|h| *h > 0) {
        let mut above: Vec<&str> = lines[..header].to_vec();
        flush(&mut above, blocks);
        let mut table: Vec<&str> = lines[header..].to_vec();
        flush(&mut table, blocks);
        return;
    }
    if lines.iter().all(|l| l.contains('\t')) {
        // Tab-separated: cells by position in the line, empty ones kept.
        let rows = lines
            .iter()
            .map(|l| l.split('\t').map(|c| c.trim().to_string()).collect())
            .collect();
        blocks.push(Block::Table { rows });
        return;
    }
    let header = header_spans(lines[0], &lines[1..]);
    let gutters = column_starts(&header, &lines[1..]);
    let starts: Vec<usize> = if gutters.len() >= header.len() {
        gutters
    } else {
        header.iter().map(|(s, _, _)| *s).collect()
    };
    let mut first = vec![String::new(); starts.len()];
    for (s, e, text) in header.into_iter().chain(header_rest.map(spans).unwrap_or_default()) {
        let col = column_of(&starts, s, e);
        if !first[col].is_empty() {
            first[col].push(' ');
        }
        first[col].push_str(&text);
    }
    let mut rows: Vec<Vec<String>> = vec![first];
    for line in &lines[1..] {
        let cells = spans(line);
        // a wrapped cell's rest, under a column other than the first, joins the row above
        let wrapped = rows.len() > 1
            && is_continuation(line)
            && !is_note(line)
            && cells.iter().all(|(s, e, _)| column_of(&starts, *s, *e) > 0);
        let mut row = vec![String::new(); starts.len()];
        let target = if wrapped {
            rows.last_mut().expect("a row above")
        } else {
            &mut row
        };
        for (s, e, text) in cells {
            let col = column_of(&starts, s, e);
            if !target[col].is_empty() {
                target[col].push(' ');
            }
            target[col].push_str(&text);
        }
        if !wrapped {
            rows.push(row);
        }
    }
    blocks.push(Block::Table { rows });
}

/// Where the columns of aligned lines begin: at the start of each stretch that some line's
/// cell covers, between gutters that every line leaves blank. Figures aligned to the right
/// ("4", "12", "120") fall into one column whatever their width, which the first line's cells
/// alone cannot tell when it holds the narrowest. Wrapped cells' rests are left out.
fn column_starts(header: &[(usize, usize, String)], body: &[&str]) -> Vec<usize> {
    let mut covered = body_cover(body);
    for (s, e, _) in header {
        if covered.len() < *e {
            covered.resize(*e, false);
        }
        covered[*s..*e].fill(true);
    }
    (0..covered.len())
        .filter(|i| covered[*i] && (*i == 0 || !covered[*i - 1]))
        .collect()
}

/// Which character positions some body line's cell covers (wrapped cells' rests left out).
fn body_cover(body: &[&str]) -> Vec<bool> {
    let mut covered: Vec<bool> = Vec::new();
    for line in body.iter().filter(|l| !is_continuation(l)) {
        for (s, e, _) in spans(line) {
            if covered.len() < e {
                covered.resize(e, false);
            }
            covered[s..e].fill(true);
        }
    }
    covered
}

/// The header line's cells, a cell split where its words stand over different columns of
/// the rows below with a gutter between them: a report's "ROP ORDER QTY" (one space apart)
/// over "6      12" is two headers, "ROP" and "ORDER QTY". A word over a gutter ("ORDER"
/// beside right-aligned figures) belongs with the column of the next word that stands over
/// one, so "UNIT PRICE" over "12.50" stays one cell.
fn header_spans(header: &str, body: &[&str]) -> Vec<(usize, usize, String)> {
    let covered = body_cover(body);
    let is_covered = |i: usize| covered.get(i).copied().unwrap_or(false);
    // the body's column stretches, as (start, end)
    let mut stretches: Vec<(usize, usize)> = Vec::new();
    for i in 0..covered.len() {
        if covered[i] && (i == 0 || !covered[i - 1]) {
            stretches.push((i, i));
        }
        if covered[i]
            && let Some(last) = stretches.last_mut()
        {
            last.1 = i + 1;
        }
    }
    let chars: Vec<char> = header.chars().collect();
    let mut out = Vec::new();
    for (s, e, text) in spans(header) {
        // the cell's words, as (start, end)
        let mut words: Vec<(usize, usize)> = Vec::new();
        let mut i = s;
        while i < e {
            if chars[i].is_whitespace() {
                i += 1;
                continue;
            }
            let start = i;
            while i < e && !chars[i].is_whitespace() {
                i += 1;
            }
            words.push((start, i));
        }
        let over: Vec<Option<usize>> = words
            .iter()
            .map(|(ws, we)| {
                stretches
                    .iter()
                    .enumerate()
                    .map(|(k, (lo, hi))| (k, (*we).min(*hi).saturating_sub((*ws).max(*lo))))
                    .filter(|(_, overlap)| *overlap > 0)
                    .max_by_key(|(_, overlap)| *overlap)
                    .map(|(k, _)| k)
            })
            .collect();
        let column: Vec<Option<usize>> = (0..words.len())
            .map(|w| {
                over[w..]
                    .iter()
                    .flatten()
                    .next()
                    .or_else(|| over[..w].iter().rev().flatten().next())
                    .copied()
            })
            .collect();
        let mut from = 0;
        for w in 1..=words.len() {
            let split = w == words.len()
                || (column[w] != column[w - 1] && (words[w - 1].1..words[w].0).all(|i| !is_covered(i)));
            if split {
                let (cs, ce) = (words[from].0, words[w - 1].1);
                let cell: String = chars[cs..ce].iter().collect();
                out.push((
                    cs,
                    ce,
                    if from == 0 && w == words.len() {
                        text.clone()
                    } else {
                        cell
                    },
                ));
                from = w;
            }
        }
    }
    out
}

/// The column a cell [s, e) overlaps most; column i spans [starts[i], starts[i+1]).
fn column_of(starts: &[usize], s: usize, e: usize) -> usize {
    (0..starts.len())
        .max_by_key(|&i| {
            let lo = starts[i];
            let hi = starts.get(i + 1).copied().unwrap_or(usize::MAX);
            (e.min(hi).saturating_sub(s.max(lo)), usize::MAX - i)
        })
        .unwrap_or(0)
}

fn looks_numeric(t: &str) -> bool {
    let digits = t.chars().filter(char::is_ascii_digit).count();
    digits > 0
        && t.split_whitespace()
            .next()
            .is_some_and(|w| w.chars().all(|c| c.is_ascii_digit() || matches!(c, ',' | '.')))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(t: &str) -> Block {
        Block::Line { text: t.into() }
    }

    #[test]
    fn chat_sender_lines_are_no_text() {
        let text = "Lee Hui Min, [19 May 2026 at 10:03 AM]\ntwo dozen nylon brooms\n\n\
                    Kelvin | Horme, [19.05.2026 10:06]\nOk noted\n";
        assert_eq!(lines(text), vec![line("two dozen nylon brooms"), line("Ok noted")]);
    }

    #[test]
    fn prose_stays_lines() {
        assert_eq!(
            lines("Dear Sir,\r\n\r\n1. Gloves - 20 pcs  \n"),
            vec![line("Dear Sir,"), line("1. Gloves - 20 pcs")]
        );
        let signature = "Tel:  6555 0199    Fax:  6555 0198\nMail:  a@b.example    Web:  b.example\n";
        assert_eq!(lines(signature).len(), 2);
        assert!(lines(signature).iter().all(|b| matches!(b, Block::Line { .. })));
    }

    #[test]
    fn cells_wrapped_onto_indented_lines_stay_in_their_row() {
        let text = "S/N  CODE       DESCRIPTION                           QTY/UOM\n\
                    1    BL866890   BL EP2 lithium grease blue hi-temp    500 NOS\n\
                    \x20               500g\n\
                    2    BL976111   Lifebuoy liquid hand wash 500 ml      200 NOS\n\
                    3    BL522605   Laminate trimmer 550 W Stanley         6 UNIT\n\
                    \x20               ST55\n";
        let Block::Table { rows } = &lines(text)[0] else {
            panic!("a table: {:?}", lines(text));
        };
        assert_eq!(rows.len(), 4);
        assert_eq!(rows[1][2], "BL EP2 lithium grease blue hi-temp 500g");
        assert_eq!(
            rows[3],
            ["3", "BL522605", "Laminate trimmer 550 W Stanley ST55", "6 UNIT"]
        );
    }

    #[test]
    fn an_indented_note_under_a_row_is_a_row_of_its_own() {
        let text = "Pos  Part no   Description                         ROB    Req.  Unit\n\
                    1    330743    DRY POWDER EXTINGUISHER 9KG           6      2  PCS\n\
                    \x20    Comment: replace units due for hydrotest\n\
                    2    330612    FIRE HOSE WHITE 2\" X 20M             10      2  LEN\n";
        let Block::Table { rows } = &lines(text)[0] else {
            panic!("a table: {:?}", lines(text));
        };
        assert_eq!(rows.len(), 4, "{rows:?}");
        assert_eq!(rows[1][2], "DRY POWDER EXTINGUISHER 9KG");
        assert!(rows[2].iter().any(|c| c.starts_with("Comment:")), "{rows:?}");
    }

    #[test]
    fn columns_become_a_table_with_cells_under_their_headers() {
        let text = "ITEM  DESCRIPTION        QTY  UOM   PRICE\n\
                    ----  -----------------  ---  ----  -----\n\
                    0010  Hex bolt M10          200  EA\n\
                    0030  Threadlocker 50ml     6  BTL\n";
        assert_eq!(
            lines(text),
            vec![Block::Table {
                rows: vec![
                    vec![
                        "ITEM".into(),
                        "DESCRIPTION".into(),
                        "QTY".into(),
                        "UOM".into(),
                        "PRICE".into()
                    ],
                    vec![
                        "0010".into(),
                        "Hex bolt M10".into(),
                        "200".into(),
                        "EA".into(),
                        "".into()
                    ],
                    vec![
                        "0030".into(),
                        "Threadlocker 50ml".into(),
                        "6".into(),
                        "BTL".into(),
                        "".into()
                    ],
                ]
            }]
        );
    }

    #[test]
    fn header_words_one_space_apart_over_two_columns_are_two_headers() {
        // a stock report: "ROP" over the reorder point, "ORDER QTY" over what to order; the
        // "UNIT PRICE" over right-aligned figures stays one header
        let text = "ITEM    DESCRIPTION            CUR BAL    ROP ORDER QTY  UNIT PRICE\n\
                    100238  Pneuma-lube spray 400ml      2      6        12       9.50\n\
                    100241  Allround spray 400ml         5     12        24      11.20\n";
        let Block::Table { rows } = &lines(text)[0] else {
            panic!("a table: {:?}", lines(text))
        };
        assert_eq!(
            rows[0],
            ["ITEM", "DESCRIPTION", "CUR BAL", "ROP", "ORDER QTY", "UNIT PRICE"]
        );
        assert_eq!(rows[1], ["100238", "Pneuma-lube spray 400ml", "2", "6", "12", "9.50"]);
        assert_eq!(rows[2], ["100241", "Allround spray 400ml", "5", "12", "24", "11.20"]);
    }

    #[test]
    fn a_header_on_two_lines_is_one_header() {
        let text = "Sl.  Description                   Make          UOM     Qty. Reqd.\n\
                    No.\n\
                    ---------------------------------------------------------------------\n\
                    1.   Cutting Wheel 100 x 2 x 16mm  Sharpstone    Nos            200\n\
                    2.   Flap Disc 4\" Zirconia        BCL           Nos            100\n";
        let Block::Table { rows } = &lines(text)[0] else {
            panic!("a table: {:?}", lines(text))
        };
        assert_eq!(rows[0], ["Sl. No.", "Description", "Make", "UOM", "Qty. Reqd."]);
        assert_eq!(
            rows[1],
            ["1.", "Cutting Wheel 100 x 2 x 16mm", "Sharpstone", "Nos", "200"]
        );
        assert_eq!(rows.len(), 3);
    }

    #[test]
    fn a_block_above_the_header_is_not_part_of_the_table() {
        let text = "PR NO   : PR-2026-004471          PRINT DATE : 2026-04-16 09:42\n\
                    BUYER   : CHONG MEI FEN           TEL        : +65 6368 2245\n\
                    ------------------------------------------------------------------\n\
                    LN  ITEM NO     DESCRIPTION                 REQ DATE      QTY UOM\n\
                    ------------------------------------------------------------------\n\
                    1   WP300117    CHUNIL FLAP WHEEL 30X25 #60  2026-04-30  100.000 EA\n\
                    2   WP300134    KOYO FIBRE DISC 4IN CC60    2026-04-30  200.000 EA\n";
        let blocks = lines(text);
        let table = blocks
            .iter()
            .find_map(|b| match b {
                Block::Table { rows } => Some(rows),
                _ => None,
            })
            .expect("a table");
        assert_eq!(table[0][..3], ["LN", "ITEM NO", "DESCRIPTION"]);
        assert_eq!(table[1][2], "CHUNIL FLAP WHEEL 30X25 #60");
        assert!(
            blocks
                .iter()
                .any(|b| matches!(b, Block::Line { text } if text.starts_with("PR NO")))
        );
    }

    #[test]
    fn a_table_drawn_with_bars_ends_at_a_line_without_them() {
        let text = " Purch.Req. 10093377   Doc.Type NB   Plant TK01\n-----------------------------------------\n|Item |Short text        |  Quantity|Un |\n|-----|------------------|----------|---|\n|00010|CUT OFF WHEEL 7IN |   300.000|PC |\n|00020|FLAP DISC 4IN     |     6.000|PC |\n-----------------------------------------\n                *** Continued ***\n";
        let b = lines(text);
        assert!(
            matches!(&b[1], Block::Table { rows } if rows.len() == 3 && rows[2][1] == "FLAP DISC 4IN"),
            "{b:?}"
        );
        assert_eq!(b[2], line("*** Continued ***"));
    }

    #[test]
    fn a_table_drawn_with_bars() {
        let text = "+------+------------------------------+-----+-------+\n\
                    | No   | Description                  | Qty | Unit  |\n\
                    +======+==============================+=====+=======+\n\
                    | 1    | Bosch GWS12-125CI 5\" grinder | 3   | pcs   |\n\
                    | 2    | Envelopes DL white 500/box   | 3   | boxes |\n\
                    +------+------------------------------+-----+-------+\n";
        let tables: Vec<Block> = lines(text)
            .into_iter()
            .filter(|b| matches!(b, Block::Table { .. }))
            .collect();
        assert_eq!(
            tables,
            vec![Block::Table {
                rows: vec![
                    vec!["No".to_string(), "Description".into(), "Qty".into(), "Unit".into()],
                    vec![
                        "1".to_string(),
                        "Bosch GWS12-125CI 5\" grinder".into(),
                        "3".into(),
                        "pcs".into()
                    ],
                    vec![
                        "2".to_string(),
                        "Envelopes DL white 500/box".into(),
                        "3".into(),
                        "boxes".into()
                    ],
                ]
            }]
        );
        let markdown = "| Item | Qty |\n|:-----|----:|\n| Mop head | 12 |\n";
        assert!(matches!(&lines(markdown)[0], Block::Table { rows } if rows[1] == ["Mop head", "12"]));
    }

    #[test]
    fn a_chat_export_is_read_without_time_stamps_and_senders() {
        let text = "[10:43, 3/4/2026] Ah Seng: Dunlop LP 250ml x 30\n\
                    3/4/26, 10:45 am - Ah Seng: tile grout grey 2.5kg - 10 bags\n\
                    [03.04.2026 10:46] Ah Seng: colron scratch cover 6 btl\n\
                    Note: 10:30 delivery\n";
        assert_eq!(
            lines(text),
            vec![
                line("Dunlop LP 250ml x 30"),
                line("tile grout grey 2.5kg - 10 bags"),
                line("colron scratch cover 6 btl"),
                line("Note: 10:30 delivery")
            ]
        );
    }

    #[test]
    fn semicolon_separated_lines_too() {
        let b = lines(
            "Permintaan Pembelian 10052731\n\nNo. PR;Item;Deskripsi;Jumlah;Satuan\n1005;00010;AMPLAS HAWK #320;1.500,000;LBR\n1005;00020;SEMPROTAN SILIKON 400ML;24,000;KLG\n",
        );
        assert!(
            matches!(&b[1], Block::Table { rows } if rows[1] == vec!["1005", "00010", "AMPLAS HAWK #320", "1.500,000", "LBR"]),
            "{b:?}"
        );
    }

    #[test]
    fn tab_separated_lines_too() {
        let b = lines("No\tItem\tQty\n1\tGloves nitrile\t20\n2\tMop\t3\n");
        assert!(
            matches!(&b[0], Block::Table { rows } if rows[1] == vec!["1", "Gloves nitrile", "20"]),
            "{b:?}"
        );
    }
}
