//! The product a request is *for*: "paper dust bags for Nilfisk GD930", "battery to fit
//! Makita DHP482", "filter compatible with 3M 6200". The item asked for is the head of the
//! words before "for" (the last word: "bags"), the model after it is the host it fits. A
//! product that names the host's model but not the head is the host itself (the Nilfisk
//! vacuum cleaner), never the accessory asked for: the scorer counts that as a conflict. So is
//! a product named by the words after "for" alone ("spare needles to suit Toku AFC-20N
//! needle scaler" against "TOKU NEEDLE SCALER AFC-20N").
//!
//! Only a host named by a model code is checked: "cutting disc for stainless steel" names a
//! use, and a product that says "FOR S/S CUTTING" and "WHEEL" is still the disc.

use std::sync::LazyLock;

use regex::Regex;

use super::index::CatalogIndex;
use super::scoring;

/// Words that introduce the product an item fits.
static FOR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:suitable\s+for|compatible\s+with|to\s+fit|to\s+suit|fits?|for)\s+(?:use\s+(?:with|on|in)\s+)?(?:the\s+|our\s+|a\s+|an\s+)?")
        .expect("regex")
});

/// The head of a request and the model codes of the product it is for, in the index's tokens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Host {
    /// The last word of the words before "for" ("bags").
    pub head: String,
    /// Model codes after "for" ("gd930").
    pub codes: Vec<String>,
    /// Every word after "for": a product named by them alone is the host, even when its
    /// name holds the head too ("spare needles to suit Toku AFC-20N needle scaler").
    pub words: Vec<String>,
}

/// The host of a requested description, when it names one by a model code.
pub fn of(description: &str, index: &CatalogIndex) -> Option<Host> {
    let m = FOR.find(description)?;
    let (before, after) = (&description[..m.start()], &description[m.end()..]);
    let head = index
        .query_tokens(before)
        .into_iter()
        .rev()
        .find(|t| t.len() >= 3 && t.bytes().all(|b| b.is_ascii_alphabetic()))?;
    let words = index.query_tokens(after);
    let codes: Vec<String> = words.iter().filter(|t| is_code(t)).cloned().collect();
    (!codes.is_empty()).then_some(Host { head, codes, words })
}

/// A model or part number: letters and digits, and no measure, size or grit.
fn is_code(t: &str) -> bool {
    t.bytes().any(|b| b.is_ascii_digit())
        && t.bytes().any(|b| b.is_ascii_alphabetic())
        && scoring::attribute_class(t).is_none()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index() -> CatalogIndex {
        CatalogIndex::build(
            [
                ("1", "NILFISK VACUUM CLEANER GD930"),
                ("2", "NILFISK PAPER DUST BAG GD930 10PCS"),
                ("3", "CUT OFF WHEEL 4\" (FOR S/S CUTTING)"),
            ]
            .into_iter()
            .map(|(sku, name)| (sku.to_string(), crate::catalog::search::normalize::tokens(name))),
            crate::catalog::synonyms::Synonyms::default(),
            1,
        )
    }

    #[test]
    fn the_head_and_the_hosts_model() {
        let idx = index();
        assert_eq!(
            of("Vacuum cleaner paper dust bags for Nilfisk GD930, pack of 10", &idx),
            Some(Host {
                head: "bag".into(),
                codes: vec!["gd930".into()],
                words: ["nilfisk", "gd930", "10pcs"].map(String::from).to_vec(),
            })
        );
        assert_eq!(
            of("Battery to fit Makita DHP482", &idx).map(|h| h.codes),
            Some(vec!["dhp482".to_string()])
        );
        // a use, not a model
        assert_eq!(of("Cutting disc 4\" for stainless steel", &idx), None);
        assert_eq!(of("Cutting disc for 4\" grinder", &idx), None);
    }

    #[test]
    fn the_host_itself_conflicts() {
        let idx = index();
        let d = "paper dust bags for Nilfisk GD930";
        let q = idx.query_tokens(d);
        let host = of(d, &idx);
        let ranked = idx.rank_for(&q, host.as_ref(), &idx.expansions(&q), 5);
        assert_eq!(ranked[0].sku, "2");
        let cleaner = ranked.iter().find(|r| r.sku == "1").expect("ranked");
        assert_eq!(cleaner.features.conflicts, 1);
        // without the reading, only the code and the brand decide
        let plain = idx.rank(&q, &idx.expansions(&q), 5);
        let cleaner = plain.iter().find(|r| r.sku == "1").expect("ranked");
        assert_eq!(cleaner.features.conflicts, 0);
    }

    #[test]
    fn a_host_whose_name_holds_the_head_is_still_the_host() {
        let idx = CatalogIndex::build(
            [("1", "TOKU NEEDLE SCALER AFC-20N")]
                .into_iter()
                .map(|(sku, name)| (sku.to_string(), crate::catalog::search::normalize::tokens(name))),
            crate::catalog::synonyms::Synonyms::default(),
            1,
        );
        let d = "Spare needles to suit Toku AFC-20N needle scaler (3mm, set of 19)";
        let q = idx.query_tokens(d);
        let host = of(d, &idx);
        let ranked = idx.rank_for(&q, host.as_ref(), &idx.expansions(&q), 5);
        assert_eq!(ranked[0].features.conflicts, 1, "{host:?}");
    }
}
