//! Lines under a table row that are notes on it rather than more of its cells: a labelled
//! line ("Item text: …", "Acct. assgt: K  Cost Ctr: 7120") and an ERP's long text, prose in
//! mixed case under a short text in capitals ("GLOVE NITRILE DISPOSABLE" / "Powder free, 100
//! pcs/box, sizes M and L."). Layout readers keep such a line a row of its own; the item
//! reader decides what it is.

use std::sync::LazyLock;

use regex::Regex;

/// "Label: value" at the start of a line, the label one to three words.
static LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*([A-Za-z][A-Za-z./]*(?:\s+[A-Za-z][A-Za-z./]*){0,2})\s*[:：]\s*\S").expect("regex")
});

/// Labels that give the item's own attributes: a wrapped cell, not a note.
const ATTRIBUTE_LABELS: &[&str] = &[
    "size",
    "sizes",
    "colour",
    "color",
    "model",
    "brand",
    "make",
    "type",
    "grade",
    "material",
    "length",
    "width",
    "dia",
    "diameter",
    "thickness",
    "spec",
    "specs",
    "specification",
    "dimension",
    "dimensions",
    "capacity",
    "voltage",
    "finish",
    "part",
    "mfr",
    "maker",
    "pack",
    "packing",
];

/// A labelled line that is no attribute of the item ("Item text: …", "Acct. assgt: K  Cost
/// Ctr: 7120"): a label that names no attribute, with a value of two words or more (a label
/// and one value, "GRIT:2000", "Grip: 180", is how a name gives an attribute); or an
/// attribute's label over prose, a specification written in sentences ("Specification:
/// Recycled fibre, 1-ply. Packs to be delivered to B1 store.").
pub fn is_labelled_note(text: &str) -> bool {
    LABEL.captures(text).is_some_and(|c| {
        let label = c[1].to_ascii_lowercase();
        let first = label.split([' ', '.']).next().unwrap_or_default();
        let value = text[c.get(1).map_or(0, |m| m.end())..].trim_start_matches([' ', ':', '：']);
        let words = value.split_whitespace().count();
        if ATTRIBUTE_LABELS.contains(&first) {
            words >= 8 || (words >= 4 && is_sentences(value))
        } else {
            words >= 2
        }
    })
}

/// Two sentences or more: a full stop after a word of letters, then a capital.
fn is_sentences(text: &str) -> bool {
    text.split_whitespace().collect::<Vec<_>>().windows(2).any(|w| {
        w[0].len() >= 3
            && w[0].ends_with('.')
            && w[0][..w[0].len() - 1].chars().all(|c| c.is_alphabetic() || c == '-')
            && w[1].starts_with(char::is_uppercase)
    })
}

/// Whether `line`, under a cell reading `above`, opens a note of its own: a labelled note, or
/// (unless a note already began under the cell) a long text.
pub fn opens_note(above: &str, line: &str, after_note: bool) -> bool {
    is_labelled_note(line) || (!after_note && is_long_text(above, line))
}

/// Prose in mixed case under a text in capitals: a sentence opening with a capital and two or
/// more words in lower case, below a cell without lower-case letters.
pub fn is_long_text(above: &str, text: &str) -> bool {
    let capitals = above.chars().filter(|c| c.is_alphabetic()).count() >= 3 && !above.chars().any(char::is_lowercase);
    let lower_words = text
        .split_whitespace()
        .filter(|w| w.chars().filter(|c| c.is_lowercase()).count() >= 2)
        .count();
    capitals && text.trim_start().starts_with(char::is_uppercase) && lower_words >= 2
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labelled_notes_but_not_attributes() {
        assert!(is_labelled_note("Item text: For hull block fabrication, Bay 3."));
        assert!(is_labelled_note("Acct. assgt: K Cost Ctr: 7120 Yard Maintenance"));
        assert!(is_labelled_note("Note: deliver before 9am"));
        assert!(!is_labelled_note("Colour: white"));
        assert!(!is_labelled_note("Size: XL"));
        assert!(!is_labelled_note("Model No.: GA9030"));
        assert!(!is_labelled_note("c/w 2 batteries"));
        assert!(!is_labelled_note("GRIT:2000"));
        assert!(!is_labelled_note("GRIP: 180"));
        // a specification in sentences is a note; a short one is the item's
        assert!(is_labelled_note(
            "Specification: Recycled fibre, 1-ply. Packs to be delivered to B1 store."
        ));
        assert!(is_labelled_note(
            "Specification: HDPE shell to ANSI Z89.1 Type I Class E, 4-point ratchet suspension"
        ));
        assert!(!is_labelled_note("Specification: 230V, 13A plug, 2-pin"));
        assert!(!is_labelled_note("Spec: EN388 4121X, size 9"));
    }

    #[test]
    fn long_text_is_prose_under_capitals() {
        assert!(is_long_text(
            "GLOVE NITRILE DISPOSABLE",
            "Powder free, 100 pcs/box, sizes M and L."
        ));
        assert!(is_long_text(
            "ANTI-SEIZE PASTE 400G",
            "For GSE wheel studs. Cartridge type only."
        ));
        assert!(!is_long_text("GLOVE NITRILE DISPOSABLE", "SIZE L, 100 PCS/BOX"));
        assert!(!is_long_text("Nitrile gloves", "Powder free, size L"));
        assert!(!is_long_text("SAFETY SHOE", "Size 8"));
        assert!(!is_long_text("CUTTING DISC 4IN", "c/w flange"));
    }
}
