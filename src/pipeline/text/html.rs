//! HTML (mail bodies) to lines and tables. Walks the DOM with an explicit stack, so deeply
//! nested markup cannot overflow the call stack.

use std::collections::HashSet;

use ego_tree::NodeId;
use scraper::{ElementRef, Html, Node};

/// Nested tables closer than this to their enclosing table make it a layout table.
const LAYOUT_DEPTH: usize = 64;

/// Tables with a table inside: each table marks its nearest enclosing table (looking a
/// bounded number of levels up, so hostile nesting stays linear).
fn layout_tables(doc: &Html) -> HashSet<NodeId> {
    let is_table = |n: &ego_tree::NodeRef<'_, Node>| matches!(n.value(), Node::Element(e) if e.name() == "table");
    let mut layout = HashSet::new();
    for node in doc.tree.nodes().filter(is_table) {
        let mut up = node.parent();
        for _ in 0..LAYOUT_DEPTH {
            match up {
                Some(p) if is_table(&p) => {
                    layout.insert(p.id());
                    break;
                }
                Some(p) => up = p.parent(),
                None => break,
            }
        }
    }
    layout
}

use super::Block;

const BLOCK_ELEMENTS: &[&str] = &[
    "p",
    "div",
    "br",
    "li",
    "ul",
    "ol",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "tr",
    "table",
    "section",
    "article",
    "header",
    "footer",
    "blockquote",
    "pre",
    "hr",
    "dd",
    "dt",
    // Cells of layout tables (data tables are read whole, as rows).
    "td",
    "th",
];
const SKIPPED: &[&str] = &["script", "style", "head", "title", "noscript", "template"];

pub fn html_to_blocks(html: &str) -> Vec<Block> {
    let doc = Html::parse_document(html);
    let mut out = Walker {
        layout: layout_tables(&doc),
        ..Walker::default()
    };
    out.walk(doc.root_element());
    out.flush_line();
    out.blocks
}

#[derive(Default)]
struct Walker {
    /// Tables that hold other tables: page layout (HTML mail), read as running content.
    layout: HashSet<NodeId>,
    blocks: Vec<Block>,
    line: String,
    in_list_item: bool,
}

impl Walker {
    fn walk(&mut self, root: ElementRef<'_>) {
        enum Step<'a> {
            Enter(ego_tree::NodeRef<'a, Node>),
            Exit(&'a str),
        }
        let mut stack = vec![Step::Enter(*root)];
        while let Some(step) = stack.pop() {
            match step {
                Step::Exit(name) => {
                    if BLOCK_ELEMENTS.contains(&name) && !(name == "br" && self.in_list_item) {
                        self.flush_line();
                    }
                    if name == "li" {
                        self.in_list_item = false;
                    }
                }
                Step::Enter(node) => match node.value() {
                    Node::Text(t) => self.push_text(t),
                    Node::Element(e) => {
                        let name = e.name();
                        if SKIPPED.contains(&name) {
                            continue;
                        }
                        if name == "table" && !self.layout.contains(&node.id()) {
                            self.flush_line();
                            if let Some(el) = ElementRef::wrap(node) {
                                self.blocks.push(Block::Table { rows: table_rows(el) });
                            }
                            continue;
                        }
                        if name == "br" && self.in_list_item {
                            // a list item broken over lines is still one item ("Mirka Gold
                            // velcro sanding disc<br>5\" grit 120 — 500 pcs")
                            if !self.line.ends_with(' ') {
                                self.line.push(' ');
                            }
                        } else if BLOCK_ELEMENTS.contains(&name) {
                            self.flush_line();
                        }
                        if name == "li" {
                            self.in_list_item = true;
                        }
                        stack.push(Step::Exit(name));
                        let children: Vec<_> = node.children().collect();
                        stack.extend(children.into_iter().rev().map(Step::Enter));
                    }
                    _ => {
                        let children: Vec<_> = node.children().collect();
                        stack.extend(children.into_iter().rev().map(Step::Enter));
                    }
                },
            }
        }
    }

    fn push_text(&mut self, t: &str) {
        let t = t.replace('\u{a0}', " ");
        if t.starts_with(char::is_whitespace) && !self.line.ends_with(' ') {
            self.line.push(' ');
        }
        self.line.push_str(&t.split_whitespace().collect::<Vec<_>>().join(" "));
        if t.ends_with(char::is_whitespace) {
            self.line.push(' ');
        }
    }

    fn flush_line(&mut self) {
        let text = self.line.trim().to_string();
        self.line.clear();
        if text.is_empty() {
            return;
        }
        self.blocks.push(if self.in_list_item {
            Block::ListItem { text }
        } else {
            Block::Line { text }
        });
    }
}

/// The rows of a table, cells as text; rows of nested tables are not mixed in.
fn table_rows(table: ElementRef<'_>) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut stack: Vec<ElementRef<'_>> = vec![table];
    // Depth-first over this table's own sections in document order ("thead" before "tbody"),
    // stopping at nested tables: children go on the stack last first, rows are taken as
    // they come off it.
    let mut ordered = Vec::new();
    while let Some(el) = stack.pop() {
        if el.value().name() == "tr" {
            ordered.push(el);
            continue;
        }
        for child in el.children().rev().filter_map(ElementRef::wrap) {
            if matches!(child.value().name(), "tr" | "thead" | "tbody" | "tfoot") {
                stack.push(child);
            }
        }
    }
    // Grid columns still covered by a cell of an earlier row (rowspan): (rows left, column).
    let mut covered: Vec<(usize, usize)> = Vec::new();
    for tr in ordered {
        let mut cells: Vec<String> = Vec::new();
        let place = |cells: &mut Vec<String>, covered: &mut Vec<(usize, usize)>| {
            while covered.iter().any(|(left, col)| *left > 0 && *col == cells.len()) {
                cells.push(String::new());
            }
        };
        for c in tr
            .children()
            .filter_map(ElementRef::wrap)
            .filter(|c| matches!(c.value().name(), "td" | "th"))
        {
            place(&mut cells, &mut covered);
            let span = |attr: &str| {
                c.value()
                    .attr(attr)
                    .and_then(|v| v.trim().parse::<usize>().ok())
                    .map_or(1, |n| n.clamp(1, 64))
            };
            let (colspan, rowspan) = (span("colspan"), span("rowspan"));
            let text = c
                .text()
                .collect::<Vec<_>>()
                .join(" ")
                .replace('\u{a0}', " ")
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            let start = cells.len();
            cells.push(text);
            cells.extend(std::iter::repeat_n(String::new(), colspan - 1));
            if rowspan > 1 {
                covered.extend((start..start + colspan).map(|col| (rowspan, col)));
            }
        }
        place(&mut cells, &mut covered);
        for entry in &mut covered {
            entry.0 = entry.0.saturating_sub(1);
        }
        covered.retain(|(left, _)| *left > 0);
        if !cells.iter().all(String::is_empty) {
            rows.push(cells);
        }
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_become_rows_and_text_lines() {
        let b = html_to_blocks(
            "<html><body><p>Dear Sir,</p><p>Please quote (RFQ-1):</p>\
             <table border=1><tr><th>No.</th><th>Description</th><th>Qty</th></tr>\
             <tr><td>1</td><td>weicon zinc  coating&nbsp;375ml</td><td>20</td></tr></table>\
             <p>Regards,<br>Ken</p></body></html>",
        );
        assert_eq!(
            b[0],
            Block::Line {
                text: "Dear Sir,".into()
            }
        );
        assert_eq!(
            b[2],
            Block::Table {
                rows: vec![
                    vec!["No.".into(), "Description".into(), "Qty".into()],
                    vec!["1".into(), "weicon zinc coating 375ml".into(), "20".into()],
                ]
            }
        );
        assert_eq!(
            b[3],
            Block::Line {
                text: "Regards,".into()
            }
        );
        assert_eq!(b[4], Block::Line { text: "Ken".into() });
    }

    #[test]
    fn a_head_section_comes_first_and_row_spans_are_filled() {
        let b = html_to_blocks(
            "<table><thead><tr><th>No.</th><th>Item</th><th>Size</th><th>Qty</th></tr></thead>\
             <tbody><tr><td rowspan=2>1</td><td rowspan=2>Cotton overall navy</td><td>S</td><td>5</td></tr>\
             <tr><td>M</td><td>15</td></tr></tbody><tfoot><tr><td></td><td>Total</td><td></td><td>20</td></tr></tfoot></table>",
        );
        let row = |cells: &[&str]| cells.iter().map(|c| c.to_string()).collect::<Vec<_>>();
        assert_eq!(
            b,
            vec![Block::Table {
                rows: vec![
                    row(&["No.", "Item", "Size", "Qty"]),
                    row(&["1", "Cotton overall navy", "S", "5"]),
                    row(&["", "", "M", "15"]),
                    row(&["", "Total", "", "20"]),
                ]
            }]
        );
    }

    #[test]
    fn list_items_and_inline_markup() {
        let b = html_to_blocks("<ul><li><b>Gloves</b> nitrile - 20 pcs</li><li>Mop</li></ul><style>x{}</style>");
        assert_eq!(
            b[0],
            Block::ListItem {
                text: "Gloves nitrile - 20 pcs".into()
            }
        );
        assert_eq!(b.len(), 2);
        let b = html_to_blocks("<ul><li>Mirka Gold velcro disc<br>5\" grit 120 &nbsp;&mdash; 500 pcs</li></ul>");
        assert_eq!(
            b,
            vec![Block::ListItem {
                text: "Mirka Gold velcro disc 5\" grit 120 \u{2014} 500 pcs".into()
            }]
        );
    }

    #[test]
    fn layout_tables_are_read_as_content_and_their_data_table_as_rows() {
        let b = html_to_blocks(
            "<table><tr><td><p>Dear Sir,</p><table><tr><th>Item</th><th>Qty</th></tr>\
             <tr><td>Mop</td><td>2</td></tr></table><p>Regards</p></td></tr></table>",
        );
        assert_eq!(
            b,
            vec![
                Block::Line {
                    text: "Dear Sir,".into()
                },
                Block::Table {
                    rows: vec![vec!["Item".into(), "Qty".into()], vec!["Mop".into(), "2".into()]]
                },
                Block::Line { text: "Regards".into() },
            ]
        );
    }

    #[test]
    fn deep_nesting_does_not_overflow() {
        let html = "<div>".repeat(100_000) + "x" + &"</div>".repeat(100_000);
        let b = html_to_blocks(&html);
        assert_eq!(b, vec![Block::Line { text: "x".into() }]);
    }
}
