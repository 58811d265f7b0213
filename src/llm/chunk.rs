//! Documents to chunks of at most `max_chars` characters for the model, at line boundaries,
//! nothing left out: a line longer than a chunk is split between words. A table cut by a
//! chunk boundary starts the next chunk with its header row again, marked
//! `[table continued]`, so the model still knows which column is which.

use crate::pipeline::text::{Block, ExtractedDocument};

/// One request's worth of one document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chunk {
    pub source: String,
    pub text: String,
}

pub fn chunks(docs: &[ExtractedDocument], max_chars: usize) -> Vec<Chunk> {
    let max_chars = max_chars.max(200);
    let mut out = Vec::new();
    for doc in docs {
        let mut packer = Packer {
            source: &doc.name,
            max_chars,
            current: String::new(),
            out: &mut out,
        };
        for block in &doc.blocks {
            match block {
                Block::Line { text } => packer.push(text, None),
                Block::ListItem { text } => packer.push(&format!("- {text}"), None),
                Block::Table { rows } => {
                    let header = rows.first().map(|r| format!("[table continued] {}", r.join(" | ")));
                    for (i, row) in rows.iter().enumerate() {
                        let context = if i == 0 { None } else { header.as_deref() };
                        packer.push(&row.join(" | "), context);
                    }
                }
            }
        }
        packer.flush();
    }
    out
}

struct Packer<'a> {
    source: &'a str,
    max_chars: usize,
    current: String,
    out: &'a mut Vec<Chunk>,
}

impl Packer<'_> {
    /// Adds a line; `context` (a table header) opens the next chunk if this line starts one.
    fn push(&mut self, line: &str, context: Option<&str>) {
        let line = line.trim();
        if line.is_empty() {
            return;
        }
        for piece in split_long(line, self.max_chars / 2) {
            if !self.current.is_empty() && chars(&self.current) + 1 + chars(piece) > self.max_chars {
                self.flush();
                if let Some(header) = context.filter(|h| chars(h) + 1 + chars(piece) <= self.max_chars) {
                    self.current.push_str(header);
                }
            }
            if !self.current.is_empty() {
                self.current.push('\n');
            }
            self.current.push_str(piece);
        }
    }

    fn flush(&mut self) {
        if !self.current.trim().is_empty() {
            self.out.push(Chunk {
                source: self.source.to_string(),
                text: std::mem::take(&mut self.current),
            });
        }
        self.current.clear();
    }
}

fn chars(s: &str) -> usize {
    s.chars().count()
}

/// Pieces of at most `max` characters, cut at the last space before the limit when there is
/// one (inside a word otherwise), on character boundaries.
fn split_long(line: &str, max: usize) -> Vec<&str> {
    let mut pieces = Vec::new();
    let mut rest = line;
    while chars(rest) > max {
        let limit = rest.char_indices().nth(max).map_or(rest.len(), |(i, _)| i);
        let cut = rest[..limit].rfind(' ').filter(|&i| i > 0).unwrap_or(limit);
        pieces.push(rest[..cut].trim_end());
        rest = rest[cut..].trim_start();
    }
    if !rest.is_empty() {
        pieces.push(rest);
    }
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::text::Format;

    fn doc(blocks: Vec<Block>) -> ExtractedDocument {
        ExtractedDocument {
            name: "a.pdf".into(),
            format: Format::Pdf,
            blocks,
        }
    }

    #[test]
    fn a_small_document_is_one_chunk() {
        let c = chunks(
            &[doc(vec![
                Block::Line {
                    text: "Dear Sir".into(),
                },
                Block::ListItem {
                    text: "Gloves 20 pcs".into(),
                },
            ])],
            1000,
        );
        assert_eq!(
            c,
            vec![Chunk {
                source: "a.pdf".into(),
                text: "Dear Sir\n- Gloves 20 pcs".into()
            }]
        );
    }

    #[test]
    fn nothing_is_lost_and_tables_repeat_their_header() {
        let rows: Vec<Vec<String>> = std::iter::once(vec!["Description".to_string(), "Qty".to_string()])
            .chain((1..=100).map(|i| vec![format!("Item number {i} with a longer name"), i.to_string()]))
            .collect();
        let c = chunks(&[doc(vec![Block::Table { rows }])], 500);
        assert!(c.len() > 5, "{}", c.len());
        for chunk in &c {
            assert!(chunk.text.chars().count() <= 500);
        }
        for chunk in &c[1..] {
            assert!(
                chunk.text.starts_with("[table continued] Description | Qty\n"),
                "{}",
                chunk.text
            );
        }
        let all: String = c.iter().map(|c| c.text.as_str()).collect::<Vec<_>>().join("\n");
        for i in 1..=100 {
            assert!(
                all.contains(&format!("Item number {i} with a longer name | {i}\n"))
                    || all.ends_with(&format!("Item number {i} with a longer name | {i}"))
            );
        }
    }

    #[test]
    fn an_overlong_line_is_split_between_words_not_cut() {
        let line = "word ".repeat(1000);
        let c = chunks(&[doc(vec![Block::Line { text: line.clone() }])], 300);
        let words: usize = c.iter().map(|c| c.text.split_whitespace().count()).sum();
        assert_eq!(words, 1000);
        assert!(c.iter().all(|c| c.text.chars().count() <= 300));
        let unbroken = "x".repeat(1000);
        let c = chunks(&[doc(vec![Block::Line { text: unbroken }])], 300);
        assert_eq!(
            c.iter()
                .map(|c| c.text.chars().filter(|ch| *ch == 'x').count())
                .sum::<usize>(),
            1000
        );
    }
}
