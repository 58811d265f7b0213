//! Edits of a catalog name's words into a buyer's request, for `pairs`: words dropped,
//! words of neighbouring products added, sizes respelled, abbreviations, a typo, another
//! word order, noise. Each word remembers the catalog word it stands for, so that the label
//! is computed from what the request still says.

use super::respell;
use super::rng::Rng;
use crate::catalog::search::index::CatalogIndex;
use crate::catalog::search::normalize;
use crate::catalog::search::scoring::attribute_class;

/// Noise buyers add to a line; kept only where no product holds it together with the
/// request's other words (so that it stays noise).
pub const NOISE: &[&str] = &[
    "or equivalent",
    "or similar",
    "pcs",
    "nos",
    "each",
    "brand new",
    "original",
    "good quality",
    "as per sample",
    "red",
    "blue",
    "black",
    "green",
    "yellow",
    "grey",
    "orange",
];

/// A word of the request: its text now, and the source word it stands for (None: added).
#[derive(Debug, Clone)]
pub struct Word {
    pub text: String,
    pub source: Option<(usize, String)>,
    pub pinned: bool,
}

pub fn words_of(name: &str) -> Vec<Word> {
    name.split_whitespace()
        .enumerate()
        .map(|(i, w)| Word {
            text: w.to_string(),
            source: Some((i, w.to_string())),
            pinned: false,
        })
        .collect()
}

pub fn attribute_classes(word: &str) -> Vec<String> {
    normalize::tokens(word)
        .iter()
        .filter_map(|t| attribute_class(t))
        .collect()
}

pub fn is_attribute(word: &str) -> bool {
    !attribute_classes(word).is_empty()
}

/// A word that says what the product is: letters only, not noise.
pub fn is_content(word: &str) -> bool {
    word.chars().filter(|c| c.is_alphabetic()).count() >= 3
        && !word.chars().any(|c| c.is_ascii_digit())
        && !normalize::tokens(word).is_empty()
}

pub fn is_brand(word: &str, brand: Option<&str>) -> bool {
    brand.is_some_and(|b| {
        let b = normalize::tokens(b);
        let w = normalize::tokens(word);
        !w.is_empty() && w.iter().all(|t| b.contains(t))
    })
}

/// The request's source words as the index reads them (what the request still says).
pub fn kept(index: &CatalogIndex, words: &[Word]) -> Vec<String> {
    let mut src: Vec<&(usize, String)> = words.iter().filter_map(|w| w.source.as_ref()).collect();
    src.sort_by_key(|(i, _)| *i);
    let text: Vec<&str> = src.iter().map(|(_, w)| w.as_str()).collect();
    let mut t = index.query_tokens(&text.join(" "));
    t.sort();
    t.dedup();
    t
}

/// Words buyers leave out: the brand, a bracketed remark, any few words of a long name, a
/// word that says little.
pub fn drop_words(words: &mut Vec<Word>, brand: Option<&str>, rng: &mut Rng) {
    if rng.chance(0.3) {
        words.retain(|w| w.pinned || !is_brand(&w.text, brand));
    }
    if rng.chance(0.15)
        && let Some(open) = words.iter().position(|w| w.text.contains('('))
    {
        let close = words[open..]
            .iter()
            .position(|w| w.text.contains(')'))
            .map_or(words.len(), |c| open + c + 1);
        if words.len() - (close - open) >= 2 {
            words.drain(open..close);
        }
    }
    if rng.chance(0.25) && words.len() > 3 {
        // A long name cut short: a third of its words at most.
        for _ in 0..1 + rng.below(words.len() / 3) {
            let free: Vec<usize> = (0..words.len()).filter(|i| !words[*i].pinned).collect();
            if free.len() > 2 {
                words.remove(*rng.pick(&free));
            }
        }
    }
    if rng.chance(0.25) && words.len() > 2 {
        let content: Vec<usize> = (0..words.len())
            .filter(|i| !words[*i].pinned && is_content(&words[*i].text))
            .collect();
        if !content.is_empty() {
            words.remove(*rng.pick(&content));
        }
    }
}

/// Rewritings that keep the meaning: sizes respelled, abbreviations, a typo, a trailing
/// "- 09" written as "size 9", another word order.
pub fn dress(words: &mut Vec<Word>, brand: Option<&str>, rng: &mut Rng) {
    for w in words.iter_mut() {
        if is_brand(&w.text, brand) {
            continue;
        }
        let respelt = if rng.chance(0.6) {
            respell::size(&w.text, rng)
        } else {
            None
        };
        let respelt = respelt.or_else(|| rng.chance(0.5).then(|| respell::abbreviation(&w.text, rng)).flatten());
        if let Some(r) = respelt {
            w.text = r;
        }
    }
    if let [.., dash, n] = words.as_mut_slice()
        && dash.text == "-"
        && n.text.len() <= 2
        && n.text.chars().all(|c| c.is_ascii_digit())
        && rng.chance(0.5)
    {
        dash.text = "size".into();
        n.text = n.text.trim_start_matches('0').to_string();
    }
    if rng.chance(0.2) {
        let long: Vec<usize> = (0..words.len())
            .filter(|i| words[*i].text.chars().count() >= 6)
            .collect();
        if let Some(i) = (!long.is_empty()).then(|| *rng.pick(&long))
            && let Some(t) = respell::typo(&words[i].text, rng)
        {
            words[i].text = t;
        }
    }
    if rng.chance(0.35) && words.len() >= 2 {
        let i = rng.below(words.len());
        let w = words.remove(i);
        let to = if rng.chance(0.5) { words.len() } else { 0 };
        words.insert(to, w);
    }
}

/// Noise that stays noise: a word or phrase buyers add, kept only where no product holds it
/// together with the request's words.
pub fn add_noise(index: &CatalogIndex, words: &mut Vec<Word>, kept: &[String], rng: &mut Rng) {
    let noise = *rng.pick(NOISE);
    let mut with: Vec<String> = kept.to_vec();
    with.extend(index.query_tokens(noise));
    if index.containing(&with).is_empty() {
        words.push(Word {
            text: noise.to_string(),
            source: None,
            pinned: false,
        });
    }
}

/// Words buyers add that the name does not spell out ("impact resistant", "heavy duty",
/// "retaining compound"): one or two words of a neighbouring product, one that shares a word
/// with the source. Sometimes they replace one of the name's words. Returns the added terms.
pub fn add_neighbour_words(index: &CatalogIndex, words: &mut Vec<Word>, source: u32, rng: &mut Rng) -> Vec<String> {
    let own: Vec<String> = index.terms(source).map(str::to_string).collect();
    let shared: Vec<&String> = own.iter().filter(|t| is_content(t)).collect();
    if shared.is_empty() {
        return Vec::new();
    }
    let neighbours = index.containing(&[(*rng.pick(&shared)).clone()]);
    let neighbour = *rng.pick(&neighbours);
    let mut theirs: Vec<String> = index
        .terms(neighbour)
        // not another maker's name: a buyer who names one asks for that maker's product
        .filter(|t| is_content(t) && !own.iter().any(|o| o == t) && !index.is_brand_word(t))
        .map(str::to_string)
        .collect();
    let mut added = Vec::new();
    for _ in 0..1 + rng.below(2) {
        if theirs.is_empty() {
            break;
        }
        added.push(theirs.remove(rng.below(theirs.len())));
    }
    if rng.chance(0.3) && words.len() > 2 {
        let content: Vec<usize> = (0..words.len())
            .filter(|i| !words[*i].pinned && is_content(&words[*i].text))
            .collect();
        if !content.is_empty() {
            words.remove(*rng.pick(&content));
        }
    }
    for a in &added {
        let at = rng.below(words.len() + 1);
        words.insert(
            at,
            Word {
                text: a.clone(),
                source: None,
                pinned: false,
            },
        );
    }
    added
}
