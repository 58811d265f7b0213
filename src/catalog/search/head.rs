//! A request's head: the name before its specification ("face shields (full face, clear
//! visor, adjustable headband)", "Hydraulic oil ISO VG 68 (anti-wear), in 200 Ltr barrel").
//! When the whole line finds nothing worth offering, because the buyer's specification words
//! outweigh the name the catalog knows, the head is searched alone and what it finds goes to
//! a person to choose, never quoted as matched.

/// The words before the first comma, bracket, semicolon or spaced dash, when they are at
/// least two words and some of the line follows them.
pub fn of(description: &str) -> Option<&str> {
    let cut = description
        .char_indices()
        .find(|(i, c)| matches!(c, ',' | '(' | '[' | ';') || (*c == '-' && description[..*i].ends_with(' ')))
        .map(|(i, _)| i)?;
    let head = description[..cut].trim();
    let rest = description[cut..].trim_matches(|c: char| !c.is_alphanumeric());
    (head.split_whitespace().count() >= 2 && !rest.is_empty()).then_some(head)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_name_before_its_specification() {
        assert_eq!(
            of("face shields (full face, clear visor, adjustable headband)"),
            Some("face shields")
        );
        assert_eq!(
            of("Hydraulic oil ISO VG 68 (anti-wear), in 200 Ltr barrel"),
            Some("Hydraulic oil ISO VG 68")
        );
        assert_eq!(of("Ear muffs - headband type, SNR 25 dB"), Some("Ear muffs"));
        // a hyphen inside a word is no cut; one word is no head; nothing after it, no head
        assert_eq!(of("Anti-fog safety goggles"), None);
        assert_eq!(of("Gloves, nitrile, size L"), None);
        assert_eq!(of("Nitrile gloves size L"), None);
    }
}
