//! Words cut short by a full stop, as requisitions typed in a hurry write them ("WEICON
//! CONTACT SPR. 400ML", "GLOVES LEATH. GOATSKIN", "RETAIN. COMPD."): a cut word no product
//! uses reads as the catalog's words it begins, the most common first, so that the scorer
//! can credit whichever the product holds.

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;

use super::vocabulary::Vocabulary;

/// Catalog words one cut word may stand for.
const READINGS: usize = 6;

/// The catalog words each cut word of `description` may stand for, for the cut words among
/// `tokens` that no product uses.
pub fn expansions(description: &str, tokens: &[String], vocab: &Vocabulary) -> HashMap<String, Vec<String>> {
    static CUT: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?i)\b(?P<w>[a-z]{3,6})\.(?:[\s,;)]|$)").expect("regex"));
    let mut out: HashMap<String, Vec<String>> = HashMap::new();
    for c in CUT.captures_iter(description) {
        let cut = c["w"].to_ascii_lowercase();
        if out.contains_key(&cut) || vocab.contains(&cut) || !tokens.contains(&cut) {
            continue;
        }
        let mut words: Vec<(u32, &str)> = (0..vocab.len() as u32)
            .map(|id| vocab.term(id))
            .filter(|t| t.len() > cut.len() && t.starts_with(&cut) && t.bytes().all(|b| b.is_ascii_lowercase()))
            .map(|t| (vocab.df(t), t))
            .collect();
        words.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)));
        if !words.is_empty() {
            out.insert(
                cut,
                words.into_iter().take(READINGS).map(|(_, t)| t.to_string()).collect(),
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vocab() -> Vocabulary {
        let df = [("spray", 40), ("spring", 5), ("leather", 12), ("contact", 3)]
            .into_iter()
            .map(|(t, n)| (t.to_string(), n))
            .collect();
        Vocabulary::new(df, 100)
    }

    #[test]
    fn a_word_cut_by_a_full_stop_reads_as_the_words_it_begins() {
        let tokens: Vec<String> = ["weicon", "contact", "spr", "400ml"].map(String::from).to_vec();
        let read = expansions("WEICON CONTACT SPR. 400ML", &tokens, &vocab());
        assert_eq!(read.get("spr"), Some(&vec!["spray".to_string(), "spring".to_string()]));
        // a known word, or one without its full stop, stays as it is
        assert!(expansions("CONTACT. SPRAY", &["contact".into(), "spray".into()], &vocab()).is_empty());
        assert!(expansions("WEICON SPR 400ML", &tokens, &vocab()).is_empty());
    }
}
