//! What a requested description says to the supplier rather than about the product: a
//! sentence after it that instructs ("… bare tool. To be supplied in original carton with
//! warranty card.", "…; delivery to site in one lot"). The catalog is searched without it;
//! the line keeps the buyer's words. What the product must be ("; must be powder free") is no
//! instruction.

/// Words that open an instruction to the supplier ("To be supplied …", "Please …",
/// "Delivery to site …"); a word ending in `*` stands for the words it begins.
const OPENERS: [&str; 18] = [
    "to be supplied",
    "to be delivered",
    "to be packed",
    "to be quoted",
    "with warranty",
    "supplied",
    "supply",
    "deliver*",
    "please",
    "pls",
    "kindly",
    "warranty",
    "submit*",
    "quote*",
    "indicate",
    "sample*",
    "packed",
    "packing",
];

/// The description without a trailing instruction (a sentence after "." or ";" that opens
/// with one), when words are left before it. A plain scan, not a regular expression: it runs
/// on every requested line.
pub fn without_instructions(description: &str) -> &str {
    for (at, c) in description.char_indices() {
        if c != '.' && c != ';' {
            continue;
        }
        let after = &description[at + 1..];
        if !after.starts_with(char::is_whitespace) {
            continue;
        }
        if opens_instruction(after.trim_start()) && description[..at].split_whitespace().count() >= 2 {
            return &description[..at];
        }
    }
    description
}

fn opens_instruction(text: &str) -> bool {
    OPENERS.iter().any(|opener| {
        let (words, any_ending) = match opener.strip_suffix('*') {
            Some(stem) => (stem, true),
            None => (*opener, false),
        };
        let Some(head) = text.get(..words.len()) else {
            return false;
        };
        if !head.eq_ignore_ascii_case(words) {
            return false;
        }
        let rest = &text[words.len()..];
        any_ending || !rest.chars().next().is_some_and(|c| c.is_alphanumeric() || c == '_')
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_trailing_instruction_is_no_part_of_the_product() {
        assert_eq!(
            without_instructions(
                "Cordless rotary hammer Makita DHR242Z, bare tool (body only). To be supplied in original carton with warranty card."
            ),
            "Cordless rotary hammer Makita DHR242Z, bare tool (body only)"
        );
        assert_eq!(
            without_instructions("Nitrile gloves size L; delivery to site in one lot"),
            "Nitrile gloves size L"
        );
        assert_eq!(
            without_instructions("Nitrile gloves size L; must be powder free"),
            "Nitrile gloves size L; must be powder free"
        );
        // a sentence about the product stays
        assert_eq!(
            without_instructions("Face shield. Clear visor"),
            "Face shield. Clear visor"
        );
        assert_eq!(without_instructions("Supply hose 1/2\""), "Supply hose 1/2\"");
        // whole words only: "Supplyline" and "Pleasant" open no instruction
        assert_eq!(
            without_instructions("Hose reel 15m. Supplyline brand"),
            "Hose reel 15m. Supplyline brand"
        );
        assert_eq!(
            without_instructions("Air freshener refill; Pleasant lavender"),
            "Air freshener refill; Pleasant lavender"
        );
        assert_eq!(
            without_instructions("Safety vest orange; packing 10 pcs/bag"),
            "Safety vest orange"
        );
    }
}
