//! What a requested description says to the supplier rather than about the product: a
//! sentence after it that instructs ("… bare tool. To be supplied in original carton with
//! warranty card.", "…; delivery to site in one lot"). The catalog is searched without it;
//! the line keeps the buyer's words. What the product must be ("; must be powder free") is no
//! instruction.

use std::sync::LazyLock;

use regex::Regex;

/// A sentence that begins with an instruction to the supplier, to the end of the text.
static INSTRUCTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?ix)[.;]\s+
        (?:to\s+be\s+(?:supplied|delivered|packed|quoted)|supplied|supply|deliver\w*|please|pls|kindly|warranty
          |with\s+warranty|submit\w*|quote\w*|indicate|sample\w*|packed|packing)
        \b.*$",
    )
    .expect("regex")
});

/// The description without a trailing instruction, when words are left before it.
pub fn without_instructions(description: &str) -> &str {
    match INSTRUCTION.find(description) {
        Some(m) if description[..m.start()].split_whitespace().count() >= 2 => &description[..m.start()],
        _ => description,
    }
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
    }
}
