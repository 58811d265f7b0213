//! Labelled requests generated from the catalog itself, to fit and measure the calibrated
//! confidence (`calibration`, `horme calibrate`). For sampled products, requests the way
//! buyers write them (`Kind::Buyer`: words dropped, reordered, sizes respelled, abbreviated,
//! a typo, noise added), and requests no product answers: the same request with a size the
//! catalog does not have (`OtherSize`), words that fit several products (`Ambiguous`, e.g.
//! "Brand CODE" shared by two sizes), and words of unrelated products mixed (`Foreign`).
//!
//! The labels come from the catalog, never from a person or a corpus: a buyer request is
//! answered by its source product (or one with the same name) unless the words it kept also
//! fit a product with another name, in which case it is ambiguous; the other kinds are
//! answered by nothing, checked against the index so that no product holds all their words.

mod edit;
mod respell;
pub mod rng;

use self::edit::{Word, attribute_classes, dress, drop_words, is_attribute, is_brand, is_content, kept, words_of};
use self::rng::Rng;
use super::index::CatalogIndex;
use super::scoring::attribute_class;

/// What a generated request is, and so what the matcher should make of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// Its source product, written the way buyers write: the one right answer.
    Buyer,
    /// Its words fit several products with different names: nothing to quote unasked.
    Ambiguous,
    /// Its source's request with a size, volume or grit no product has.
    OtherSize,
    /// Words of unrelated products: not in the catalog.
    Foreign,
}

/// One product to make requests from: its id in the index, its name and brand.
#[derive(Debug, Clone)]
pub struct Source {
    pub doc: u32,
    pub name: String,
    pub brand: Option<String>,
}

/// One generated request and what answers it.
#[derive(Debug, Clone)]
pub struct Pair {
    pub request: String,
    pub kind: Kind,
    /// The index id of the product it was made from.
    pub source: u32,
    /// The product (or any with its name) that answers it; None for every kind but `Buyer`.
    pub answer: Option<u32>,
}

impl Pair {
    /// Whether `doc` (the matcher's best product) answers the request.
    pub fn answered_by(&self, index: &CatalogIndex, doc: u32) -> bool {
        self.answer.is_some_and(|a| index.same_name(a, doc))
    }
}

/// `n` labelled requests from `sources` (sampled products), deterministic for one `rng` state.
pub fn generate(index: &CatalogIndex, sources: &[Source], n: usize, rng: &mut Rng) -> Vec<Pair> {
    let mut out = Vec::with_capacity(n);
    let mut attempts = 0;
    while out.len() < n && attempts < n * 8 && !sources.is_empty() {
        attempts += 1;
        let src = rng.pick(sources);
        let roll = rng.below(100);
        // Most lines of a request are catalog products; the rest are what must not be quoted.
        let pair = match roll {
            0..70 => buyer(index, src, rng),
            70..80 => other_size(index, src, rng),
            80..90 => ambiguous(index, src, rng),
            _ => foreign(index, src, rng.pick(sources), rng),
        };
        out.extend(pair);
    }
    out
}

/// The product the kept words ask for: one named by exactly these words (reordered or
/// respelled, the request names it whole); else the source, when no product with another
/// name holds them all; else the plain variant, when every other product holding them is it
/// with words added (a request for "hikoki g10ss2" that does not say "110v" is for the
/// G10SS2, whichever variant its words were taken from); else none (the words fit several
/// products).
fn answer(index: &CatalogIndex, source: u32, kept: &[String]) -> Option<u32> {
    if kept.is_empty() {
        return None;
    }
    let holding = index.containing(kept);
    if let Some(exact) = holding.iter().find(|d| index.terms(**d).count() == kept.len()) {
        return Some(*exact);
    }
    // Empty: a few words read differently without their neighbours; they still came from it.
    if holding.iter().all(|d| index.same_name(*d, source)) {
        return Some(source);
    }
    holding
        .iter()
        .copied()
        .find(|p| holding.iter().all(|d| index.same_name(*p, *d) || index.extends(*p, *d)))
}

fn buyer(index: &CatalogIndex, src: &Source, rng: &mut Rng) -> Option<Pair> {
    let mut words = words_of(&src.name);
    drop_words(&mut words, src.brand.as_deref(), rng);
    let added = if rng.chance(0.35) {
        edit::add_neighbour_words(index, &mut words, src.doc, rng)
    } else {
        Vec::new()
    };
    dress(&mut words, src.brand.as_deref(), rng);
    let kept = kept(index, &words);
    let answer = answer(index, src.doc, &kept);
    if !added.is_empty() {
        // Words the name does not spell out, unless some product holds them with the rest:
        // then they ask for that product instead.
        let mut all = kept.clone();
        all.extend(added);
        if !index.containing(&all).is_empty() {
            return None;
        }
    }
    let kind = if answer.is_some() { Kind::Buyer } else { Kind::Ambiguous };
    finish(index, words, &kept, kind, src.doc, answer, rng)
}

fn other_size(index: &CatalogIndex, src: &Source, rng: &mut Rng) -> Option<Pair> {
    let mut words = words_of(&src.name);
    let classes: Vec<Vec<String>> = words.iter().map(|w| attribute_classes(&w.text)).collect();
    // A size stated twice (UK and EU) changed in one place only is no request a buyer makes.
    let sizes: Vec<usize> = (0..words.len())
        .filter(|i| {
            !classes[*i].is_empty()
                && !is_brand(&words[*i].text, src.brand.as_deref())
                && classes
                    .iter()
                    .enumerate()
                    .all(|(j, c)| j == *i || !c.iter().any(|x| classes[*i].contains(x)))
        })
        .collect();
    if sizes.is_empty() {
        return None;
    }
    let at = *rng.pick(&sizes);
    let original = words[at].text.clone();
    for _ in 0..6 {
        let Some(changed) = respell::other_number(&original, rng) else {
            continue;
        };
        words[at] = Word {
            text: changed.clone(),
            source: Some((at, changed)),
            pinned: true,
        };
        let kept = kept(index, &words);
        if kept.iter().any(|t| attribute_class(t).is_some()) && index.containing(&kept).is_empty() {
            dress(&mut words, src.brand.as_deref(), rng);
            return finish(index, words, &kept, Kind::OtherSize, src.doc, None, rng);
        }
    }
    None
}

fn ambiguous(index: &CatalogIndex, src: &Source, rng: &mut Rng) -> Option<Pair> {
    let all = words_of(&src.name);
    let brand = src.brand.as_deref();
    let codes: Vec<Word> = all
        .iter()
        .filter(|w| is_brand(&w.text, brand) || (w.text.chars().any(|c| c.is_ascii_digit()) && !is_attribute(&w.text)))
        .cloned()
        .collect();
    let mut words = if codes.iter().any(|w| !is_brand(&w.text, brand)) && rng.chance(0.5) {
        // "Brand CODE": the model without the size that tells its variants apart.
        codes
    } else {
        let content: Vec<Word> = all.into_iter().filter(|w| is_content(&w.text)).collect();
        let len = (1 + rng.below(3)).min(content.len());
        let start = rng.below(content.len().saturating_sub(len) + 1);
        content.get(start..start + len)?.to_vec()
    };
    if words.is_empty() {
        return None;
    }
    dress(&mut words, brand, rng);
    let kept = kept(index, &words);
    if answer(index, src.doc, &kept).is_some() {
        return None;
    }
    finish(index, words, &kept, Kind::Ambiguous, src.doc, None, rng)
}

fn foreign(index: &CatalogIndex, src: &Source, other: &Source, rng: &mut Rng) -> Option<Pair> {
    let mut words = Vec::new();
    for (n, s) in [(1 + rng.below(3), src), (2, other)] {
        let mut content: Vec<Word> = words_of(&s.name)
            .into_iter()
            .filter(|w| is_content(&w.text) && !is_brand(&w.text, s.brand.as_deref()))
            .collect();
        // Half of a name at most: a whole name with stray words is a request for that product.
        for _ in 0..n.min(content.len().div_ceil(2)) {
            let mut w = content.remove(rng.below(content.len()));
            // Positions only order the words within one request.
            w.source = w.source.map(|(i, t)| (i + words.len() * 100, t));
            words.push(w);
        }
    }
    let kept = kept(index, &words);
    // Every word is needed to make it foreign: no product holds all but one of them (a
    // product's name plus one stray word would be a request for that product).
    let foreign = (0..kept.len()).all(|i| {
        let mut rest = kept.clone();
        rest.remove(i);
        index.containing(&rest).is_empty()
    });
    if kept.len() < 3 || !foreign {
        return None;
    }
    finish(index, words, &kept, Kind::Foreign, src.doc, None, rng)
}

/// Noise that stays noise, the buyer's case, and the pair.
fn finish(
    index: &CatalogIndex,
    mut words: Vec<Word>,
    kept: &[String],
    kind: Kind,
    source: u32,
    answer: Option<u32>,
    rng: &mut Rng,
) -> Option<Pair> {
    if words.is_empty() {
        return None;
    }
    if rng.chance(0.4) {
        edit::add_noise(index, &mut words, kept, rng);
    }
    let text: Vec<&str> = words.iter().map(|w| w.text.as_str()).collect();
    Some(Pair {
        request: respell::case(&text.join(" "), rng),
        kind,
        source,
        answer,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::search::normalize;
    use crate::catalog::synonyms::Synonyms;

    const NAMES: &[(&str, &str, &str)] = &[
        (
            "W1",
            "WEICON WEICONLOCK AN 302-25 200 ML PIPE AND THREAD SEALING",
            "WEICON",
        ),
        (
            "W2",
            "WEICON WEICONLOCK AN 302-25 50 ML PIPE AND THREAD SEALING",
            "WEICON",
        ),
        (
            "C1",
            "CUT OFF WHEEL 100*1.2*16 - LICON( FOR S/S CUTTING GREEN )",
            "LICON",
        ),
        (
            "C2",
            "CUT OFF WHEEL 125*1.2*22 - LICON( FOR S/S CUTTING GREEN )",
            "LICON",
        ),
        ("G1", "MAKITA ANGLE GRINDER 100MM 720W 9553B", "MAKITA"),
        ("G2", "MAKITA ANGLE GRINDER 100MM 720W 9553B 110V", "MAKITA"),
        ("N1", "NITRILE GLOVES BLUE SIZE:08", "NO BRAND"),
        ("N2", "NITRILE GLOVES BLUE SIZE:09", "NO BRAND"),
        ("S1", "KRUSHERS SAFETY SHOE DALLAS - 08", "KRUSHERS"),
        ("F1", "3M FRE CUT SANDPAPER 215 #120", "3M"),
        ("F2", "3M FRE CUT SANDPAPER 215 #240", "3M"),
    ];

    fn catalog() -> (CatalogIndex, Vec<Source>) {
        let index = CatalogIndex::build(
            NAMES
                .iter()
                .map(|(sku, name, _)| (sku.to_string(), normalize::tokens(name))),
            Synonyms::default(),
            1,
        );
        let sources = index
            .skus()
            .map(|(doc, sku)| {
                let (_, name, brand) = NAMES.iter().find(|(s, _, _)| *s == sku).expect("sku");
                Source {
                    doc,
                    name: name.to_string(),
                    brand: Some(brand.to_string()),
                }
            })
            .collect();
        (index, sources)
    }

    #[test]
    fn the_same_seed_makes_the_same_requests() {
        let (index, sources) = catalog();
        let a = generate(&index, &sources, 200, &mut Rng::new(4));
        let b = generate(&index, &sources, 200, &mut Rng::new(4));
        assert_eq!(a.len(), 200);
        assert!(
            a.iter()
                .zip(&b)
                .all(|(x, y)| x.request == y.request && x.kind == y.kind)
        );
        let c = generate(&index, &sources, 200, &mut Rng::new(5));
        assert!(a.iter().zip(&c).any(|(x, y)| x.request != y.request));
    }

    /// Every kind is made, and each label agrees with the catalog: a buyer request's answer
    /// holds every word it kept; nothing holds every word of a foreign request.
    #[test]
    fn labels_follow_the_catalog() {
        let (index, sources) = catalog();
        let pairs = generate(&index, &sources, 400, &mut Rng::new(1));
        for kind in [Kind::Buyer, Kind::Ambiguous, Kind::OtherSize, Kind::Foreign] {
            assert!(pairs.iter().any(|p| p.kind == kind), "no {kind:?}");
        }
        for p in &pairs {
            assert_eq!(p.answer.is_some(), p.kind == Kind::Buyer, "{p:?}");
            let q = index.query_tokens(&p.request);
            if p.kind == Kind::Foreign {
                let known: Vec<String> = q.into_iter().filter(|t| index.vocabulary().contains(t)).collect();
                assert!(index.containing(&known).is_empty(), "{p:?}");
            }
        }
        // "Brand CODE" without the volume fits both sizes: never a buyer request for one.
        let both = index.query_tokens("weicon an 302-25");
        assert_eq!(answer(&index, 0, &both), None);
        let one = index.query_tokens("weicon weiconlock an 302-25 50 ml pipe and thread sealing");
        let w2 = index.skus().find(|(_, s)| *s == "W2").map(|(d, _)| d);
        assert_eq!(answer(&index, w2.expect("W2"), &one), w2);
        // Words that the grinder and its 110 V variant hold ask for the grinder, whichever of
        // the two they were taken from.
        let doc = |sku: &str| index.skus().find(|(_, s)| *s == sku).map(|(d, _)| d);
        let grinder = index.query_tokens("makita 9553b grinder");
        assert_eq!(answer(&index, doc("G2").expect("G2"), &grinder), doc("G1"));
    }
}
