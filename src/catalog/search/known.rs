//! A request's known words: when words no product uses (another language's, a buyer's own
//! terms: "Basurero pedal acero inox 20L ADL 20SB para los módulos nuevos") outweigh the ones
//! the catalog knows and the whole line finds nothing worth offering, the known words are
//! searched alone and what they find goes to a person to choose, never quoted as matched.

use super::index::CatalogIndex;

/// The request's tokens some product uses, when some are and some are not.
pub fn words(tokens: &[String], index: &CatalogIndex) -> Option<Vec<String>> {
    let vocab = index.vocabulary();
    let known: Vec<String> = tokens.iter().filter(|t| vocab.contains(t)).cloned().collect();
    (!known.is_empty() && known.len() < tokens.len()).then_some(known)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::synonyms::Synonyms;

    #[test]
    fn the_words_no_product_uses_are_left_out() {
        let index = CatalogIndex::build(
            [
                (
                    "1".to_string(),
                    vec!["adl".into(), "20sb".into(), "step".into(), "bin".into()],
                ),
                ("2".to_string(), vec!["pedal".into(), "bin".into()]),
            ],
            Synonyms::default(),
            1,
        );
        let tokens: Vec<String> = ["basurero", "pedal", "acero", "adl", "20sb"].map(String::from).to_vec();
        assert_eq!(
            words(&tokens, &index),
            Some(vec!["pedal".into(), "adl".into(), "20sb".into()])
        );
        let all_known: Vec<String> = ["pedal", "bin"].map(String::from).to_vec();
        assert_eq!(words(&all_known, &index), None);
    }
}
