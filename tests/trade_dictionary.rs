//! The default trade dictionary (`deploy/synonyms/trade.csv`, loaded by `scripts/demo`): every
//! rule is justified by the catalog it ships with, canonical wordings are never rewritten
//! again, and buyers' wordings from each trade reach the product the catalog names otherwise.

mod common;

use std::collections::HashSet;

use horme::catalog::search;
use horme::catalog::search::normalize;
use horme::catalog::synonyms::{self, Synonyms};
use horme::startup::App;
use sqlx::PgPool;

fn rules() -> Vec<(String, String)> {
    synonyms::read_file(&common::trade_dictionary()).expect("the dictionary reads")
}

fn dictionary() -> Synonyms {
    let rules = rules();
    Synonyms::new(rules.iter().map(|(p, r)| (p.as_str(), r.as_str())))
}

fn catalog_names() -> Vec<String> {
    let path = common::repo().join("deploy/demo/products.csv");
    let mut reader = csv::Reader::from_path(&path).expect("products.csv");
    let name = reader
        .headers()
        .expect("header")
        .iter()
        .position(|h| h == "name")
        .expect("a name column");
    reader
        .records()
        .map(|r| r.expect("row").get(name).expect("name").to_string())
        .collect()
}

/// Runs of one to four consecutive words in the given token lists.
fn runs(token_lists: impl Iterator<Item = Vec<String>>) -> HashSet<String> {
    let mut out = HashSet::new();
    for tokens in token_lists {
        for n in 1..=4 {
            for w in tokens.windows(n) {
                out.insert(w.join(" "));
            }
        }
    }
    out
}

/// Each phrase is a rule of its own: two spellings that normalise alike would silently compete.
#[test]
fn every_phrase_is_distinct_once_normalised() {
    let rules = rules();
    assert!(rules.len() >= 200, "a few hundred entries, got {}", rules.len());
    let mut seen = HashSet::new();
    for (p, r) in &rules {
        let phrase = normalize::tokens(p);
        assert!(!phrase.is_empty(), "{p:?} normalises to nothing");
        assert!(!normalize::tokens(r).is_empty(), "{r:?} normalises to nothing");
        assert_ne!(phrase, normalize::tokens(r), "{p:?} = {r:?} does nothing");
        assert!(seen.insert(phrase.join(" ")), "{p:?} repeats an earlier phrase");
    }
    assert_eq!(dictionary().len(), rules.len());
}

/// A replacement is the canonical wording: if another rule rewrote it, catalog names holding it
/// would be rewritten while requests mapped onto it would not, and the two would no longer meet.
#[test]
fn canonical_wordings_are_left_alone() {
    let dictionary = dictionary();
    for (p, r) in rules() {
        let canonical = normalize::tokens(&r);
        assert_eq!(dictionary.apply(canonical.clone()), canonical, "{p} = {r}");
    }
}

/// Every replacement is the catalog's own wording: its words occur in the names as written, and
/// the whole replacement occurs as consecutive words in a name as the index reads it.
#[test]
fn every_replacement_is_how_the_catalog_says_it() {
    let dictionary = dictionary();
    let names = catalog_names();
    let raw = runs(names.iter().map(|n| normalize::tokens(n)));
    let indexed = runs(names.iter().map(|n| dictionary.apply(normalize::tokens(n))));
    let mut unjustified = Vec::new();
    for (p, r) in rules() {
        let canonical = normalize::tokens(&r);
        if !canonical.iter().all(|w| raw.contains(w)) || !indexed.contains(&canonical.join(" ")) {
            unjustified.push(format!("{p} = {r}"));
        }
    }
    assert!(unjustified.is_empty(), "not in the catalog: {unjustified:#?}");
}

async fn best(app: &App, description: &str) -> (Option<String>, f64) {
    let index = app.catalog_index().await.expect("index");
    let m = search::match_description(&app.pool, &index, description, &app.match_policy())
        .await
        .expect("match");
    m.best.map_or((None, 0.0), |b| (Some(b.product.sku), b.confidence))
}

/// Buyers' words from each trade, and the product the catalog names otherwise: with the
/// dictionary (imported as `scripts/demo` does, every row stored) each finds its product, and
/// finds it where it did not before, or with more confidence than before unless the
/// normaliser alone was already certain.
#[sqlx::test]
async fn buyers_wordings_find_the_catalog_product(pool: PgPool) {
    let app = common::app(pool).await;
    common::import_demo_products(&app).await;
    let cases = [
        // safety: hard hat = safety helmet; specs = spectacles; high visibility = hi vis
        ("Dancel hard hat orange", "211491314"),
        ("helmet chin strap for hard hats", "210001510"),
        ("Pyramex Intruder safety specs clear anti-fog", "214612015"),
        ("Alcona high visibility work shirt orange L", "2171202023"),
        // abrasives: cutting disc = cut off wheel; emery paper = sandpaper
        ("Hawk cutting disc 4 inch x 2.5 x 16mm for stainless steel", "015190208"),
        ("Swallow waterproof black emery paper G120", "013430103"),
        // chemicals: thread locker, isopropanol, aerosol
        ("Loctite 275 thread locker 50ml", "042881005"),
        ("Isopropanol 99.9% 1 litre", "210009929235"),
        ("zinc aerosol 400ml (Weicon)", "0425111000400"),
        // power tools: lithium-ion = li-ion, body only = bare
        ("Makita lithium-ion impact wrench DTL063Z body only 18V", "09204220101"),
        // castors: trolley wheel = castor wheel
        ("Ethos pu trolley wheel 5 inch swivel with brake", "030003412"),
        // cleaning: washing up liquid = dishwashing liquid
        ("Selleys washing up liquid lemon 1L", "0553101012"),
        // fittings: one touch fitting = push in fitting
        ("one touch fitting 8mm male stud 1/4\"", "02000401212"),
        // Malay and Indonesian: sarung tangan = glove, kulit = leather, saiz = size, kasut = shoe,
        // topi keselamatan = safety helmet, kuning = yellow, batu potong = cut off wheel
        ("Sarung tangan kulit rigger Prochoice saiz L", "2161401303"),
        ("Kasut keselamatan King's KWS800 saiz 8", "21194WS80008"),
        ("Topi keselamatan ACE kuning", "210001501"),
        ("Batu potong Hawk 14\"", "015190202"),
        // gerinda tangan = angle grinder; oli = oil, hidrolik = hydraulic; gris = grease,
        // serba guna = multi purpose, merah = red
        ("Mesin gerinda tangan Bosch GWS7-100", "091290212"),
        ("Oli hidrolik Fujida AWS68 18L", "0400010141"),
        ("Gris Fujida serba guna merah 2kg", "0400022013"),
        // sabun cuci tangan = hand wash; jas hujan = raincoat; tong sampah = waste bin, bulat = round
        ("Sabun cuci tangan Dettol original 250ml", "0500024243"),
        ("Jas hujan PVC Redwheel kuning saiz XL", "2100018893"),
        ("Tong sampah Inochi bulat 5L biru", "0500017151"),
        // selang = hose, udara = air; injap bola = ball valve, gangsa = bronze
        ("Selang udara kuning Togawa 3/8\"", "020001010"),
        ("Injap bola gangsa Sunrise 1/2\"", "024850113"),
    ];
    let mut before = Vec::new();
    for (text, _) in cases {
        before.push(best(&app, text).await);
    }
    let stored = synonyms::import_file(&app.pool, &common::trade_dictionary())
        .await
        .expect("the dictionary imports");
    assert_eq!(stored, rules().len(), "every row is stored");
    for ((text, sku), (sku_before, confidence_before)) in cases.into_iter().zip(before) {
        let (found, confidence) = best(&app, text).await;
        assert_eq!(found.as_deref(), Some(sku), "{text}");
        assert!(
            sku_before.as_deref() != Some(sku) || confidence > confidence_before || confidence_before >= 0.999,
            "{text}: {confidence} should beat {confidence_before} without the dictionary"
        );
    }
}
