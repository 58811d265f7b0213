//! Brands a request names. The catalog's brand column says who makes each product; a word of
//! it that the catalog's names use almost only for that maker's products ("mckenic", "hawk",
//! "stanley", "3m"; not "safety" of SAFETY JOGGER) is a brand word. A request that names a
//! brand asks for that maker's product: a product of another maker, or of none, that does
//! not carry the word in its name conflicts with the request like another size does
//! ("Mckenic alkaline coil cleaner 5L" is not "ENERCOIL-ALKALINE COIL CLEANER 5L").

use std::collections::{HashMap, HashSet};

use super::normalize;

/// Of the products whose names use a brand's word, at least this share must be that
/// brand's for the word to name it.
const BRAND_SHARE: f64 = 0.8;
/// Brand column values that name no maker.
const NO_BRAND: [&str; 4] = ["no brand", "nobrand", "generic", "n/a"];

/// The brand words of a catalog and each product's own.
#[derive(Debug, Clone, Default)]
pub struct Brands {
    /// Per product (the index's document order): the words of its brand column.
    own: Vec<Box<[Box<str>]>>,
    words: HashSet<Box<str>>,
}

impl Brands {
    /// The words of a brand column value ("MR.MCKENIC" → "mr", "mckenic"); none for "NO
    /// BRAND". Words shorter than two letters name nothing.
    pub fn words_of(brand: Option<&str>) -> Vec<String> {
        let Some(b) = brand.map(str::trim).filter(|b| !b.is_empty()) else {
            return Vec::new();
        };
        if NO_BRAND.contains(&b.to_ascii_lowercase().as_str()) {
            return Vec::new();
        }
        normalize::tokens(&b.replace('.', " "))
            .into_iter()
            .filter(|w| w.chars().count() >= 2)
            .collect()
    }

    /// Records the next product's brand words (in the index's document order).
    pub fn push(&mut self, words: Vec<String>) {
        self.own.push(words.into_iter().map(Into::into).collect());
    }

    /// Settles the brand words: `name_has(doc, word)` tells whether a product's name uses a
    /// word, `name_df(word)` how many products' names do. A word of no name at all names its
    /// brand too (it can only be the brand).
    pub fn finish(&mut self, name_has: impl Fn(usize, &str) -> bool, name_df: impl Fn(&str) -> u32) {
        let mut with_brand: HashMap<&str, u32> = HashMap::new();
        for (d, own) in self.own.iter().enumerate() {
            for w in own.iter() {
                let n = with_brand.entry(w).or_default();
                if name_has(d, w) {
                    *n += 1;
                }
            }
        }
        self.words = with_brand
            .into_iter()
            .filter(|(w, n)| {
                let df = name_df(w);
                df == 0 || f64::from(*n) >= BRAND_SHARE * f64::from(df)
            })
            .map(|(w, _)| w.into())
            .collect();
    }

    /// Whether the word names a brand.
    pub fn is_brand_word(&self, word: &str) -> bool {
        self.words.contains(word)
    }

    /// The brand words of product `doc`.
    pub fn of(&self, doc: usize) -> &[Box<str>] {
        self.own.get(doc).map_or(&[], |b| b)
    }
}
