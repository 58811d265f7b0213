//! Word documents through docx-rs: paragraphs, list items and tables in reading order.

use docx_rs::{DocumentChild, Paragraph, Table, TableCellContent, TableChild, TableRowChild};

use std::io::{Cursor, Write};

use super::{Block, Limits, TextError, zipguard};

pub(super) fn extract(name: &str, bytes: &[u8], limits: &Limits) -> Result<Vec<Block>, TextError> {
    zipguard::check(name, "DOCX", bytes, limits.max_text_bytes)?;
    let slim = without_styles(bytes);
    let docx = docx_rs::read_docx(slim.as_deref().unwrap_or(bytes)).map_err(|e| TextError::Corrupt {
        name: name.into(),
        format: "DOCX",
        detail: e.to_string(),
    })?;
    let mut blocks = Vec::new();
    let mut size = 0usize;
    for child in &docx.document.children {
        match child {
            DocumentChild::Paragraph(p) => {
                let from = blocks.len();
                paragraph_blocks(p, &mut blocks);
                size += blocks[from..].iter().map(block_len).sum::<usize>();
            }
            // a layout table (a form's frame holding the items table): its text and inner
            // tables in reading order
            DocumentChild::Table(t) if holds_tables(t) => {
                let from = blocks.len();
                layout_blocks(t, &mut blocks);
                size += blocks[from..].iter().map(block_len).sum::<usize>();
            }
            DocumentChild::Table(t) => {
                let rows = table_rows(t);
                size += rows.iter().flatten().map(String::len).sum::<usize>();
                blocks.push(Block::Table { rows });
            }
            _ => {}
        }
        if size > limits.max_text_bytes {
            return Err(TextError::Bomb {
                name: name.into(),
                limit: limits.max_text_bytes,
            });
        }
    }
    Ok(blocks)
}

/// The style sheet carries nothing we read (list items are known by their own numbering or
/// style id), yet Word's template makes it the largest part to parse: a copy of the archive
/// with an empty one is several times faster to read. None when the copy cannot be made.
fn without_styles(bytes: &[u8]) -> Option<Vec<u8>> {
    const STYLES: &str = "word/styles.xml";
    const EMPTY: &[u8] = br#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"/>"#;
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::with_capacity(bytes.len())));
    for i in 0..archive.len() {
        let entry = archive.by_index_raw(i).ok()?;
        if entry.name() == STYLES {
            drop(entry);
            let stored = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
            out.start_file(STYLES, stored).ok()?;
            out.write_all(EMPTY).ok()?;
        } else {
            out.raw_copy_file(entry).ok()?;
        }
    }
    out.finish().ok().map(Cursor::into_inner)
}

fn is_list_item(p: &Paragraph) -> bool {
    p.property.numbering_property.is_some()
        || p.property
            .style
            .as_ref()
            .is_some_and(|s| s.val.to_ascii_lowercase().contains("list"))
}

/// Whether a table's cells hold tables of their own.
fn holds_tables(table: &Table) -> bool {
    table.rows.iter().any(|TableChild::TableRow(row)| {
        row.cells
            .iter()
            .any(|TableRowChild::TableCell(cell)| cell.children.iter().any(|c| matches!(c, TableCellContent::Table(_))))
    })
}

/// A table used for layout, read cell by cell: its paragraphs as lines, the tables inside
/// as tables (their own rows and columns, not flattened into the frame's cell).
fn layout_blocks(table: &Table, out: &mut Vec<Block>) {
    for TableChild::TableRow(row) in &table.rows {
        for TableRowChild::TableCell(cell) in &row.cells {
            for content in &cell.children {
                match content {
                    TableCellContent::Paragraph(p) => paragraph_blocks(p, out),
                    TableCellContent::Table(t) if holds_tables(t) => layout_blocks(t, out),
                    TableCellContent::Table(t) => out.push(Block::Table { rows: table_rows(t) }),
                    _ => {}
                }
            }
        }
    }
}

/// A paragraph's blocks: a list item whole, another paragraph a line per manual line break
/// (Shift+Enter: "Item 5: Hand cleaner, 5 litre" / "Quantity: 6 containers", an address
/// over its phone line), as the writer set them.
fn paragraph_blocks(p: &Paragraph, out: &mut Vec<Block>) {
    let raw = p.raw_text();
    if is_list_item(p) {
        let text = clean(&raw);
        if !text.is_empty() {
            out.push(Block::ListItem { text });
        }
        return;
    }
    out.extend(
        raw.split('\n')
            .map(clean)
            .filter(|t| !t.is_empty())
            .map(|text| Block::Line { text }),
    );
}

fn block_len(block: &Block) -> usize {
    match block {
        Block::Line { text } | Block::ListItem { text } => text.len(),
        Block::Table { rows } => rows.iter().flatten().map(String::len).sum(),
    }
}

/// Rows of cell texts; a cell's paragraphs are joined with spaces, nested tables flattened.
/// A cell spanning several grid columns (`gridSpan`, a merged header such as "Quantity"
/// over "Qty | UOM") is followed by empty cells, so that every row's cells stand in the
/// grid columns they cover.
fn table_rows(table: &Table) -> Vec<Vec<String>> {
    table
        .rows
        .iter()
        .map(|TableChild::TableRow(row)| {
            let mut cells = Vec::new();
            for TableRowChild::TableCell(cell) in &row.cells {
                let mut parts = Vec::new();
                for content in &cell.children {
                    match content {
                        TableCellContent::Paragraph(p) => parts.push(p.raw_text()),
                        TableCellContent::Table(t) => parts.extend(table_rows(t).into_iter().map(|r| r.join(" "))),
                        _ => {}
                    }
                }
                cells.push(clean(&parts.join(" ")));
                let span = grid_span(cell);
                cells.extend(std::iter::repeat_n(String::new(), span.saturating_sub(1)));
            }
            cells
        })
        .collect()
}

/// How many grid columns a cell covers. docx-rs keeps the property private but serialises
/// it; a table is a handful of cells, so reading it through serde costs nothing noticeable.
fn grid_span(cell: &docx_rs::TableCell) -> usize {
    serde_json::to_value(&cell.property)
        .ok()
        .and_then(|v| v.get("gridSpan").and_then(serde_json::Value::as_u64))
        .map_or(1, |n| n.clamp(1, 64) as usize)
}

fn clean(s: &str) -> String {
    s.replace('\u{a0}', " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}
