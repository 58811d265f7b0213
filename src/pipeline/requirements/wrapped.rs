//! Lines of running text that a mail program or a PDF wrapped at the margin, joined back into
//! the sentence they were: "… quote 24 btl of Kleenex foam soap 1L for the staff toilets, 12
//! cans of 3M" / "zinc spray 14oz 16-501 and a dozen Weicon freeze spray 400ml." A line of a
//! list is never joined: it is short, ends with its quantity, or the next line starts one.

use std::borrow::Cow;
use std::sync::LazyLock;

use regex::Regex;

use super::units;
use crate::pipeline::text::Block;

/// A line this long, of this many words and near the longest line, reached the margin.
const MIN_CHARS: usize = 60;
const MIN_WORDS: usize = 10;

/// The blocks with wrapped lines of prose joined.
pub(super) fn joined(blocks: &[Block]) -> Cow<'_, [Block]> {
    // the margin: the longest line (a chat's messages are lines of every length)
    let margin = blocks
        .iter()
        .filter_map(|b| match b {
            Block::Line { text } => Some(text.chars().count()),
            _ => None,
        })
        .max()
        .unwrap_or(0);
    if !blocks.windows(2).any(|w| wraps_onto(&w[0], &w[1], margin)) {
        return Cow::Borrowed(blocks);
    }
    let mut out: Vec<Block> = Vec::with_capacity(blocks.len());
    for (i, block) in blocks.iter().enumerate() {
        // judged on the lines as written, not as joined so far
        if let (Some(Block::Line { text: prev_text }), Block::Line { text }) = (out.last_mut(), block)
            && i > 0
            && wraps_onto(&blocks[i - 1], block, margin)
        {
            prev_text.push(' ');
            prev_text.push_str(text.trim());
            continue;
        }
        out.push(block.clone());
    }
    Cow::Owned(out)
}

/// Whether `next` continues the sentence `line` was cut in at the margin.
fn wraps_onto(line: &Block, next: &Block, margin: usize) -> bool {
    let (Block::Line { text: line }, Block::Line { text: next }) = (line, next) else {
        return false;
    };
    let line = line.trim_end();
    // a bracket opened on the line and closed on the next ("- 30 boxes (50pcs/box, any
    // brand but must come in box," / "no loose pack)")
    let depth = |t: &str| t.matches('(').count() as i64 - t.matches(')').count() as i64;
    if depth(line) > 0 && depth(next) < 0 && next.chars().count() <= 80 {
        return true;
    }
    let last = line.split_whitespace().last().unwrap_or("");
    let length = line.chars().count();
    length >= MIN_CHARS
        && length * 10 >= margin * 8
        && line.split_whitespace().count() >= MIN_WORDS
        && !line.ends_with(['.', '!', '?', ':', ';', ')', ']'])
        // a list's line ends with its quantity's unit ("… - 10 nos")
        && units::canonical(last).is_none()
        // a chat's message ends with an item read whole ("… and a dozen Dancel earmuff");
        // a wrapped line is cut inside one ("… and 10" / "reams of A4 paper")
        && super::lines::item_in_clause(last_clause(line)).is_none()
        && super::listed::weak_item(last_clause(line)).is_none()
        && next.trim_start().starts_with(|c: char| c.is_lowercase())
}

/// The words after a line's last clause break.
fn last_clause(line: &str) -> &str {
    static BREAK: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?i)[.!?;,]\s+|\s+(?:and|plus|also)\s+").expect("regex"));
    BREAK.find_iter(line).last().map_or(line, |m| &line[m.end()..])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(t: &str) -> Block {
        Block::Line { text: t.into() }
    }

    fn texts(blocks: &[Block]) -> Vec<String> {
        blocks
            .iter()
            .map(|b| match b {
                Block::Line { text } | Block::ListItem { text } => text.clone(),
                Block::Table { .. } => String::new(),
            })
            .collect()
    }

    #[test]
    fn a_sentence_wrapped_at_the_margin_is_one_line() {
        let blocks = [
            line(
                "Also pls quote 24 btl of Kleenex antibac foam soap 1L (KC91554) for the staff toilets, 12 cans of 3M",
            ),
            line("zinc spray 14oz 16-501 and a dozen Weicon freeze spray 400ml for my technicians."),
            line("Regards,"),
        ];
        assert_eq!(
            texts(&joined(&blocks)),
            vec![
                "Also pls quote 24 btl of Kleenex antibac foam soap 1L (KC91554) for the staff toilets, 12 cans of 3M zinc spray 14oz 16-501 and a dozen Weicon freeze spray 400ml for my technicians.",
                "Regards,"
            ]
        );
    }

    #[test]
    fn lines_of_a_list_stay_apart() {
        let blocks = [
            line("Hi-Coupler socket 40SM Rc 1/2 inch stainless SUS304 Nitto Kohki brand - 10 nos"),
            line("cable ties 300mm black UV resistant - 10 pkt"),
            line("Short line without a full stop"),
            line("continues here"),
            // a chat's messages: lines of every length, each a message
            line(
                "two 3M Peltor Optime 101 behind-the-head ear muff H7B, ten Safety Jogger Etosha II earmuff and a dozen Dancel clip-on earmuff",
            ),
            line("also twenty MSA V-Gard full brim safety helmet, ratchet suspension, white"),
        ];
        assert!(matches!(joined(&blocks), Cow::Borrowed(_)));
    }

    #[test]
    fn a_bracket_closed_on_the_next_line_joins_it() {
        let blocks = [
            line("3 ply face mask w ear loop - 30 boxes (50pcs/box, any brand but must come in box,"),
            line("no loose pack)"),
            line("Worksafe vinyl apron 48\" - 50 pcs"),
        ];
        let got = joined(&blocks);
        assert_eq!(got.len(), 2);
        assert!(
            matches!(&got[0], Block::Line { text } if text.ends_with("must come in box, no loose pack)")),
            "{got:?}"
        );
    }
}
