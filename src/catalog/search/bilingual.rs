//! A name given in two languages, the halves set apart by a spaced slash: "Topi keselamatan
//! kuning / Safety helmet yellow", "Silikon / Silicone BOSTIK S301 280ml", as forms in
//! Malaysia and Indonesia write them. A half the catalog knows no word of weighs in the
//! search as much as the rest while no product can explain it, so the line would read as
//! unsold: it is left out when another half names the product. Kept are halves with a
//! figure (a size, a model) and a single unknown word unlike the other half's words (a maker
//! the store does not carry, "Drill / Festool", must still lower the match).

use std::borrow::Cow;

use super::index::CatalogIndex;

/// The description without the halves in a language the catalog does not use.
pub fn without_foreign_half<'a>(description: &'a str, index: &CatalogIndex) -> Cow<'a, str> {
    if !description.contains(" / ") {
        return Cow::Borrowed(description);
    }
    let parts: Vec<&str> = description.split(" / ").collect();
    let tokens: Vec<Vec<String>> = parts.iter().map(|p| index.query_tokens(p)).collect();
    let vocab = index.vocabulary();
    let known = |t: &[String]| t.iter().filter(|w| vocab.contains(w)).count();
    let foreign = |i: usize| {
        let t = &tokens[i];
        let words = !t.is_empty() && t.iter().all(|w| w.bytes().all(|b| b.is_ascii_alphabetic()));
        let like_another = || {
            t.len() == 1
                && tokens.iter().enumerate().filter(|(j, _)| *j != i).any(|(_, other)| {
                    other
                        .iter()
                        .any(|o| o.len() >= 4 && t[0].len() >= 4 && o[..4] == t[0][..4])
                })
        };
        words && known(t) == 0 && (t.len() >= 2 || like_another())
    };
    let kept: Vec<&str> = (0..parts.len()).filter(|&i| !foreign(i)).map(|i| parts[i]).collect();
    if kept.len() == parts.len() || !(0..parts.len()).any(|i| !foreign(i) && known(&tokens[i]) > 0) {
        return Cow::Borrowed(description);
    }
    Cow::Owned(kept.join(" / "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::search::index::CatalogIndex;
    use crate::catalog::synonyms::Synonyms;

    fn index() -> CatalogIndex {
        let names = [
            ("1", "SAFETY HELMET YELLOW"),
            ("2", "BOSTIK SILICONE SEALANT S301 CLEAR 280ML"),
            ("3", "BOSCH ANGLE GRINDER GWS7-100"),
        ];
        CatalogIndex::build(
            names
                .iter()
                .map(|(s, n)| (s.to_string(), crate::catalog::search::normalize::tokens(n))),
            Synonyms::default(),
            1,
        )
    }

    #[test]
    fn a_half_in_another_language_is_left_out() {
        let idx = index();
        assert_eq!(
            without_foreign_half("Topi keselamatan kuning / Safety helmet yellow", &idx),
            "Safety helmet yellow"
        );
        assert_eq!(
            without_foreign_half("Silikon / Silicone BOSTIK S301 280ml (Clear)", &idx),
            "Silicone BOSTIK S301 280ml (Clear)"
        );
    }

    #[test]
    fn unknown_makers_sizes_and_known_halves_stay() {
        let idx = index();
        for d in [
            "Angle grinder / Festool",
            "Safety helmet / yellow",
            "Kasut 9 / Safety helmet",
            "Zorblat quix / Wobbelmax frunt",
        ] {
            assert_eq!(without_foreign_half(d, &idx), d);
        }
    }
}
