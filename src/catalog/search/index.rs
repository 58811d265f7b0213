//! The in-process search index of one worker: an inverted index from normalised terms to
//! products, the term weights, and trigrams of the vocabulary for misspelt words. It is
//! built from PostgreSQL (the source of truth) and rebuilt when the catalog version changes
//! (an import or a synonym edit bumps it and sends `NOTIFY horme_catalog`).
//!
//! Why in process: at a million products a full-text `OR` query over common words ranks tens
//! of thousands of rows per line in PostgreSQL; here the same candidate generation is a walk
//! over a few posting lists (well under a millisecond). The index also keeps the product rows
//! it was built from, so a match shows the products it found without another query; pricing
//! reads prices and stock from PostgreSQL again.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};

use futures::TryStreamExt;
use sqlx::PgPool;

use super::brands::Brands;
use super::compounds;
use super::host::Host;
use super::trigrams::{self, TrigramIndex};
use super::vocabulary::Vocabulary;
use crate::catalog::Product;
use crate::catalog::search::ProductRow;
use crate::catalog::search::calibration::{self, Features};
use crate::catalog::search::normalize;
use crate::catalog::search::scoring::{self, ProductTerm, QueryScorer};
use crate::catalog::synonyms::Synonyms;
/// How far below the best score a product may be and still be put first by its calibrated
/// confidence (see `rank_for`). Beyond it the score's order stands.
const REORDER_WINDOW: f64 = 0.10;

/// How many unknown-word readings are tried per word.
const EXPANSIONS_PER_WORD: usize = 3;
/// Credit of a catalog term that a misspelt word was mapped to (as in the scorer).
const EXPANSION_CREDIT: f32 = 0.85;
/// Credit of a plural or singular form of a request word.
const VARIANT_CREDIT: f32 = 0.7;

/// One indexed product: its SKU and its name's terms (synonyms applied), deduplicated.
#[derive(Debug, Clone)]
struct Doc {
    sku: Box<str>,
    terms: Box<[u32]>,
    /// Σ idf of the terms: the denominator of the scorer's precision.
    weight: f32,
    /// A hash of the name's own tokens before synonyms: "HARD HAT AREA" and "SAFETY HELMET
    /// AREA" have the same terms but are two products, not one listed twice.
    written: u64,
}

/// A product ranked for a request: the scorer's similarity, what it is made of, and the
/// calibrated probability that it is the product asked for.
#[derive(Debug, Clone, PartialEq)]
pub struct Ranked {
    pub sku: String,
    /// This index's id of the product: products with the same id share a name.
    pub doc: u32,
    /// The scorer's similarity in 0..=1 (ranks candidates; decides whether anything fits).
    pub score: f64,
    pub features: Features,
    /// `calibration::confidence` of the features.
    pub confidence: f64,
}

#[derive(Debug, Clone, Default)]
pub struct CatalogIndex {
    vocab: Vocabulary,
    docs: Vec<Doc>,
    postings: Vec<Vec<u32>>,
    trigrams: TrigramIndex,
    /// Per term id: its idf and attribute class, computed once for the scorer.
    term_idf: Vec<f64>,
    term_class: Vec<Option<Box<str>>>,
    /// Per term id: an item or model code ("k294746", "kc06511": letters and digits, no
    /// measure), which a catalog appends to a name and buyers leave out.
    term_code: Vec<bool>,
    synonyms: Synonyms,
    /// The brand column's words (`brands`): a request naming a brand conflicts with other
    /// makers' products.
    brands: Brands,
    version: i64,
    /// Every product as read at `version`, by SKU (sorted): what a match shows of a product.
    catalog: Vec<Product>,
}

thread_local! {
    /// Per-thread scratch accumulators, one slot per product, reset after each query.
    static SCRATCH: RefCell<(Vec<f32>, Vec<f32>)> = const { RefCell::new((Vec::new(), Vec::new())) };
}

impl calibration::Names for CatalogIndex {
    fn same_name(&self, a: u32, b: u32) -> bool {
        CatalogIndex::same_name(self, a, b)
    }
    fn extends(&self, a: u32, b: u32) -> bool {
        CatalogIndex::extends(self, a, b)
    }
}

impl CatalogIndex {
    /// Builds the index from (sku, normalised name tokens) pairs.
    pub fn build(products: impl IntoIterator<Item = (String, Vec<String>)>, synonyms: Synonyms, version: i64) -> Self {
        Self::build_with_brands(
            products.into_iter().map(|(sku, tokens)| (sku, tokens, None)),
            synonyms,
            version,
        )
    }

    /// Builds the index from (sku, normalised name tokens, brand column) triples.
    pub fn build_with_brands(
        products: impl IntoIterator<Item = (String, Vec<String>, Option<String>)>,
        synonyms: Synonyms,
        version: i64,
    ) -> Self {
        let mut idx = Self {
            synonyms,
            version,
            ..Self::default()
        };
        for (sku, tokens, brand) in products {
            idx.push(sku, tokens, Brands::words_of(brand.as_deref()));
        }
        idx.finish();
        idx
    }

    fn push(&mut self, sku: String, tokens: Vec<String>, brand: Vec<String>) {
        self.brands.push(brand);
        let written = {
            let mut own: Vec<&str> = tokens.iter().map(String::as_str).collect();
            own.sort_unstable();
            own.dedup();
            let mut h = std::hash::DefaultHasher::new();
            std::hash::Hash::hash(&own, &mut h);
            std::hash::Hasher::finish(&h)
        };
        let mut terms: Vec<u32> = self
            .with_synonyms(tokens)
            .iter()
            .map(|t| self.vocab.intern(t))
            .collect();
        terms.sort_unstable();
        terms.dedup();
        let doc = u32::try_from(self.docs.len()).unwrap_or(u32::MAX);
        for t in &terms {
            self.vocab.count(*t);
            let t = *t as usize;
            if self.postings.len() <= t {
                self.postings.resize_with(t + 1, Vec::new);
            }
            self.postings[t].push(doc);
        }
        self.docs.push(Doc {
            sku: sku.into(),
            terms: terms.into(),
            weight: 0.0,
            written,
        });
    }

    /// Term weights need the final document frequencies.
    fn finish(&mut self) {
        self.vocab
            .set_products(u32::try_from(self.docs.len()).unwrap_or(u32::MAX));
        for id in 0..self.vocab.len() {
            let id = id as u32;
            let term = self.vocab.term(id);
            self.trigrams.add(id, term);
            self.term_idf.push(self.vocab.idf_id(id));
            let class = scoring::attribute_class(term);
            self.term_code.push(
                class.is_none()
                    && term.bytes().any(|b| b.is_ascii_digit())
                    && term.bytes().any(|b| b.is_ascii_alphabetic()),
            );
            self.term_class.push(class.map(Into::into));
        }
        let idf = &self.term_idf;
        for d in &mut self.docs {
            d.weight = d.terms.iter().map(|t| idf[*t as usize] as f32).sum();
        }
        let (vocab, docs) = (&self.vocab, &self.docs);
        self.brands.finish(
            |d, w| vocab.id(w).is_some_and(|id| docs[d].terms.binary_search(&id).is_ok()),
            |w| vocab.df(w),
        );
    }

    /// Whether a word names a maker (`brands`).
    pub fn is_brand_word(&self, word: &str) -> bool {
        self.brands.is_brand_word(word)
    }

    /// Whether product `doc` carries one of these brand words, in its name or its brand.
    /// `words` are the brand words with their term ids (None: no name uses the word).
    fn carries_brand(&self, doc: u32, words: &[(&str, Option<u32>)]) -> bool {
        let d = &self.docs[doc as usize];
        words.iter().any(|(w, id)| {
            id.is_some_and(|id| d.terms.binary_search(&id).is_ok())
                || self.brands.of(doc as usize).iter().any(|b| b.as_ref() == *w)
        })
    }

    /// Loads the catalog and the synonyms from PostgreSQL in one snapshot, so that the index
    /// holds exactly the rows of the version it records: every active product is indexed, and
    /// every product (inactive ones too, which old quotations and remembered choices name) is
    /// kept for [`CatalogIndex::products_by_sku`].
    #[tracing::instrument(skip_all)]
    pub async fn load(pool: &PgPool) -> Result<Self, sqlx::Error> {
        let started = std::time::Instant::now();
        super::retokenize::ensure_current(pool).await?;
        let mut tx = pool.begin().await?;
        sqlx::query("set transaction isolation level repeatable read, read only")
            .execute(&mut *tx)
            .await?;
        let version = current_version(&mut *tx).await?;
        let synonyms = Synonyms::load(&mut *tx).await?;
        let mut idx = Self {
            synonyms,
            version,
            ..Self::default()
        };
        {
            let mut rows = sqlx::query_as::<_, ProductRow>(
                "select sku, name, brand, category, unit, price, currency, stock, lead_time_days,
                        search_tokens, active
                   from products order by sku",
            )
            .fetch(&mut *tx);
            while let Some(row) = rows.try_next().await? {
                let product = row.into_product();
                if product.active {
                    let brand = Brands::words_of(product.brand.as_deref());
                    idx.push(product.sku.clone(), product.tokens.clone(), brand);
                }
                idx.catalog.push(product);
            }
        }
        tx.commit().await?;
        // By Rust's order, whatever the database's collation.
        idx.catalog.sort_unstable_by(|a, b| a.sku.cmp(&b.sku));
        idx.finish();
        tracing::info!(
            products = idx.docs.len(),
            terms = idx.vocab.len(),
            ms = started.elapsed().as_millis() as u64,
            "catalog index built"
        );
        Ok(idx)
    }

    /// The products with these SKUs as the index read them (inactive ones included), with no
    /// query: at this index's version they are the rows PostgreSQL holds.
    pub fn products_by_sku(&self, skus: &[String]) -> HashMap<String, Product> {
        skus.iter()
            .filter_map(|sku| {
                let at = self.catalog.binary_search_by(|p| p.sku.as_str().cmp(sku)).ok()?;
                Some((sku.clone(), self.catalog[at].clone()))
            })
            .collect()
    }

    pub fn version(&self) -> i64 {
        self.version
    }

    pub fn products(&self) -> usize {
        self.docs.len()
    }

    pub fn vocabulary(&self) -> &Vocabulary {
        &self.vocab
    }

    /// A requested description as the index reads it: normalised, synonyms applied, a plural
    /// the catalog only has in the singular (or the other way) in the catalog's number,
    /// compounds written the catalog's way ("wheelbarrow" = "wheel barrow").
    pub fn query_tokens(&self, description: &str) -> Vec<String> {
        let description = compounds::codes_joined(description, self);
        let tokens = normalize::tokens(&description);
        // "safety specs" is a phrase the synonyms know: its words stay as written
        let in_phrase = self.synonyms.in_phrase(&tokens);
        let tokens = tokens
            .into_iter()
            .zip(in_phrase)
            .map(|(t, phrase)| if phrase { t } else { self.known_number(t) })
            .collect();
        self.without_foreign(&description, compounds::rewrite(self.with_synonyms(tokens), self))
    }

    /// The request's words without those of another language that no product and no
    /// synonym knows: a bilingual description's other half ("Máy mài góc Makita 9556HN /
    /// Angle grinder", "Khẩu trang than hoạt tính 3M 8247 / R95 carbon mask") says nothing the
    /// catalog can find, and would only count as words the product lacks. Such words are told
    /// by their letters (the normaliser folds "máy" to "may"): a word with a letter outside
    /// ASCII, and the unknown words of a half (" / ") that has one; never a code with figures
    /// ("9556HN"). A request of such words alone keeps them.
    fn without_foreign(&self, description: &str, tokens: Vec<String>) -> Vec<String> {
        let accented = |w: &str| w.chars().any(|c| c.is_alphabetic() && !c.is_ascii());
        let halves: Vec<&str> = description.split(" / ").collect();
        let mut foreign: HashSet<String> = HashSet::new();
        for half in &halves {
            if !half.split_whitespace().any(accented) {
                continue;
            }
            for word in half.split_whitespace().filter(|w| halves.len() > 1 || accented(w)) {
                foreign.extend(normalize::tokens(word));
            }
        }
        let unknown = |t: &str| {
            foreign.contains(t)
                && t.chars().all(char::is_alphabetic)
                && !self.vocab.contains(t)
                && !self.synonyms.rewrites_word(t)
        };
        if foreign.is_empty() || tokens.iter().all(|t| unknown(t)) {
            return tokens;
        }
        tokens.into_iter().filter(|t| !unknown(t)).collect()
    }

    /// Tokens with the synonyms applied, and a negation before an abbreviation the synonyms
    /// wrote out ("not h/d" → "not heavy duty" → `nonheavy duty`), on both sides alike.
    fn with_synonyms(&self, tokens: Vec<String>) -> Vec<String> {
        normalize::negated(self.synonyms.apply(tokens))
    }

    /// A word the catalog (or a synonym) only uses in the other number: "dustpans" →
    /// "dustpan", which the synonyms then write "dust pan" (before a misspelling reading could
    /// take it for "dust").
    fn known_number(&self, word: String) -> String {
        let known = |w: &str| self.vocab.contains(w) || self.synonyms.rewrites_word(w);
        if known(&word) {
            return word;
        }
        number_variants(&word).into_iter().find(|v| known(v)).unwrap_or(word)
    }

    /// Unknown request words (4+ characters) → the catalog terms they probably mean
    /// ("ginder" → "grinder").
    pub fn expansions(&self, query: &[String]) -> HashMap<String, Vec<String>> {
        let mut out: HashMap<String, Vec<String>> = HashMap::new();
        for q in query {
            if self.vocab.contains(q)
                || q.chars().count() < 4
                || out.contains_key(q)
                || scoring::negation_only(q, &self.vocab)
            {
                continue;
            }
            // A dimension the catalog writes with (or without) units is no misspelling.
            if normalize::dimension_equivalents(q)
                .iter()
                .any(|e| self.vocab.contains(e))
            {
                continue;
            }
            let hits = self
                .trigrams
                .similar(q, trigrams::THRESHOLD, EXPANSIONS_PER_WORD)
                .into_iter()
                .map(|(id, _)| self.vocab.term(id).to_string())
                // a misspelling is in the letters: "7009" is not "7007" (another model)
                .filter(|t| scoring::same_digits(q, t))
                // and never its opposite: "nonelbow" (not elbow) is no "elbow"
                .filter(|t| !q.starts_with("non") || t.starts_with("non"))
                .collect::<Vec<_>>();
            if !hits.is_empty() {
                out.insert(q.clone(), hits);
            }
        }
        // Two request words that some product writes closed and another apart ("auto
        // scrubber": "AUTOSCRUBBER", "AUTO-SCRUBBER"): the closed word reads each of them.
        // (Where no product writes them apart, `compounds::rewrite` has joined them.)
        for pair in query.windows(2) {
            let [a, b] = pair else { continue };
            let word = |w: &str| w.len() >= 3 && w.bytes().all(|c| c.is_ascii_lowercase());
            if !word(a) || !word(b) {
                continue;
            }
            let joined = format!("{a}{b}");
            if self.vocab.contains(&joined) {
                for w in [a, b] {
                    let e = out.entry(w.clone()).or_default();
                    if !e.contains(&joined) {
                        e.push(joined.clone());
                    }
                }
            }
        }
        out
    }

    /// The `limit` products that best answer `query`, scored exactly as the matcher scores
    /// (best first, ties by SKU). Candidates are found through the posting lists of the
    /// request's terms, their misspelling readings and plural/singular forms, and pre-ranked by
    /// the same F-measure without the attribute checks.
    pub fn rank(&self, query: &[String], expansions: &HashMap<String, Vec<String>>, limit: usize) -> Vec<Ranked> {
        self.rank_for(query, None, expansions, limit)
    }

    /// [`rank`](Self::rank) for a request that may be an item for another product
    /// (`host::of`).
    pub fn rank_for(
        &self,
        query: &[String],
        host: Option<&Host>,
        expansions: &HashMap<String, Vec<String>>,
        limit: usize,
    ) -> Vec<Ranked> {
        let mut uniq: Vec<&str> = query.iter().map(String::as_str).collect();
        uniq.sort_unstable();
        uniq.dedup();
        if uniq.is_empty() || self.docs.is_empty() {
            return Vec::new();
        }
        // (term id, credit, request weight) for every way a request word can hit a product.
        let mut hits: Vec<(u32, f32, f32)> = Vec::new();
        let mut wq = 0.0f32;
        for q in &uniq {
            let w = self.vocab.idf(q) as f32;
            wq += w;
            if let Some(id) = self.vocab.id(q) {
                hits.push((id, 1.0, w));
            }
            for e in expansions.get(*q).into_iter().flatten() {
                if let Some(id) = self.vocab.id(e) {
                    hits.push((id, EXPANSION_CREDIT, w));
                }
            }
            for v in number_variants(q) {
                if let Some(id) = self.vocab.id(&v) {
                    hits.push((id, VARIANT_CREDIT, w));
                }
            }
            // The same dimension written with or without its unit ("200x20x32mm" = "200*20*32").
            if scoring::attribute_class(q).is_some_and(|c| c.starts_with("dims")) {
                for e in normalize::dimension_equivalents(q) {
                    if let Some(id) = self.vocab.id(&e) {
                        hits.push((id, 1.0, w));
                    }
                }
            }
        }
        let candidates = SCRATCH.with(|s| {
            let mut guard = s.borrow_mut();
            let (recall, precision) = &mut *guard;
            if recall.len() < self.docs.len() {
                recall.resize(self.docs.len(), 0.0);
                precision.resize(self.docs.len(), 0.0);
            }
            let mut touched: Vec<u32> = Vec::new();
            for (term, credit, w) in &hits {
                let wp = self.term_idf[*term as usize] as f32;
                for d in &self.postings[*term as usize] {
                    let i = *d as usize;
                    if recall[i] == 0.0 {
                        touched.push(*d);
                    }
                    // An over-count (two request words on one product term) is capped below.
                    recall[i] += credit * w;
                    precision[i] += wp;
                }
            }
            let b2 = (scoring::BETA * scoring::BETA) as f32;
            let mut pre: Vec<(f32, u32)> = touched
                .iter()
                .map(|d| {
                    let i = *d as usize;
                    let r = (recall[i] / wq).min(1.0);
                    let p = (precision[i] / self.docs[i].weight.max(f32::EPSILON)).min(1.0);
                    recall[i] = 0.0;
                    precision[i] = 0.0;
                    let f = if r > 0.0 && p > 0.0 {
                        (1.0 + b2) * p * r / (b2 * p + r)
                    } else {
                        0.0
                    };
                    (f, *d)
                })
                .collect();
            let keep = limit.max(1);
            if pre.len() > keep {
                pre.select_nth_unstable_by(keep - 1, |a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
                pre.truncate(keep);
            }
            pre
        });
        let scorer = QueryScorer::new(query, &self.vocab, expansions).with_host(host);
        // brands the request names: another maker's product conflicts with it
        let named: Vec<(&str, Option<u32>)> = uniq
            .iter()
            .copied()
            .filter(|q| self.brands.is_brand_word(q))
            .map(|q| (q, self.vocab.id(q)))
            .collect();
        let mut terms: Vec<ProductTerm<'_>> = Vec::new();
        let mut scored: Vec<(u32, scoring::Parts)> = candidates
            .into_iter()
            .filter_map(|(_, d)| {
                let doc = &self.docs[d as usize];
                terms.clear();
                terms.extend(doc.terms.iter().map(|t| ProductTerm {
                    text: self.vocab.term(*t),
                    idf: self.term_idf[*t as usize],
                    class: self.term_class[*t as usize].as_deref(),
                }));
                // A maker's word the request names and the product's brand column holds, but
                // not its name ("NITTO KOHKI" for "NITTO HI-COUPLER 20PH"), is the product's
                // word all the same.
                for (w, id) in &named {
                    if let Some(id) = *id
                        && doc.terms.binary_search(&id).is_err()
                        && self.brands.of(d as usize).iter().any(|b| b.as_ref() == *w)
                    {
                        terms.push(ProductTerm {
                            text: self.vocab.term(id),
                            idf: self.term_idf[id as usize],
                            class: None,
                        });
                    }
                }
                let mut parts = scorer.parts(&terms);
                if !named.is_empty() && !self.carries_brand(d, &named) {
                    parts = parts.with_conflict();
                }
                (parts.score > 0.0).then_some((d, parts))
            })
            .collect();
        scored.sort_by(|a, b| {
            b.1.score
                .total_cmp(&a.1.score)
                .then(self.docs[a.0 as usize].sku.cmp(&self.docs[b.0 as usize].sku))
        });
        let margins = calibration::margins(&scored, self);
        scored.truncate(limit);
        let mut ranked: Vec<Ranked> = scored
            .into_iter()
            .zip(margins)
            .map(|((d, parts), margin)| {
                let features = Features::new(parts, margin, &scorer);
                Ranked {
                    sku: self.docs[d as usize].sku.to_string(),
                    doc: d,
                    score: parts.score,
                    confidence: calibration::confidence(&features),
                    features,
                }
            })
            .collect();
        // Of the products close to the best (within `REORDER_WINDOW` of its score), the
        // calibrated confidence picks the first: for "AN 302-72", "AN 302-72" before "AN
        // 302-42"; for "… STANLEY STGS9100", the long name with "STGS9100-XD" before a short
        // one without the code. One promoted so has a margin below the tie margin and goes to a
        // person all the same, with the product the score preferred as an alternative; the
        // others keep their order by score.
        let top = ranked.first().map_or(0.0, |r| r.score);
        let close = ranked.iter().take_while(|r| top - r.score < REORDER_WINDOW).count();
        if let Some(best) =
            (0..close).max_by(|a, b| ranked[*a].confidence.total_cmp(&ranked[*b].confidence).then(b.cmp(a)))
        {
            ranked[..=best].rotate_right(1);
        }
        ranked
    }

    /// Whether two products of this index have the same name (the same terms, written the
    /// same way before synonyms).
    pub fn same_name(&self, a: u32, b: u32) -> bool {
        let name = |d: u32| self.docs.get(d as usize).map(|d| (&d.terms, d.written));
        a == b || name(a) == name(b)
    }

    /// Whether `b`'s name has every word of `a`'s and more, leaving out the item codes each
    /// name ends with ("KAO BLEACH 1500ML - K294746" is extended by "KAO BLEACH LEMON 1500ML -
    /// K193283"). Both sorted: one merge.
    pub fn extends(&self, a: u32, b: u32) -> bool {
        let (Some(a), Some(b)) = (self.docs.get(a as usize), self.docs.get(b as usize)) else {
            return false;
        };
        let words = |d: &'_ Doc| {
            d.terms
                .iter()
                .copied()
                .filter(|t| !self.term_code.get(*t as usize).copied().unwrap_or(false))
                .collect::<Vec<u32>>()
        };
        let (a, b) = (words(a), words(b));
        let mut rest = b.iter();
        b.len() > a.len() && a.iter().all(|t| rest.any(|u| u == t))
    }

    /// The terms of one product's name (synonyms applied).
    pub fn terms(&self, doc: u32) -> impl Iterator<Item = &str> {
        self.docs
            .get(doc as usize)
            .into_iter()
            .flat_map(|d| d.terms.iter().map(|t| self.vocab.term(*t)))
    }

    /// Every product of the index: its id and SKU.
    pub fn skus(&self) -> impl Iterator<Item = (u32, &str)> {
        self.docs.iter().enumerate().map(|(i, d)| (i as u32, &*d.sku))
    }

    /// The products whose names hold every one of `terms` (all of them when empty).
    pub fn containing(&self, terms: &[String]) -> Vec<u32> {
        let mut lists: Vec<&[u32]> = Vec::with_capacity(terms.len());
        for t in terms {
            match self.vocab.id(t).and_then(|id| self.postings.get(id as usize)) {
                Some(p) => lists.push(p),
                None => return Vec::new(),
            }
        }
        lists.sort_by_key(|l| l.len());
        let Some((first, rest)) = lists.split_first() else {
            return (0..self.docs.len() as u32).collect();
        };
        first
            .iter()
            .copied()
            .filter(|d| rest.iter().all(|l| l.binary_search(d).is_ok()))
            .collect()
    }
}

impl compounds::Vocabulary for CatalogIndex {
    fn knows(&self, word: &str) -> bool {
        self.vocab.contains(word)
    }

    fn together(&self, a: &str, b: &str) -> bool {
        let (Some(a), Some(b)) = (self.vocab.id(a), self.vocab.id(b)) else {
            return false;
        };
        let (Some(pa), Some(pb)) = (self.postings.get(a as usize), self.postings.get(b as usize)) else {
            return false;
        };
        // Posting lists are in document order: probe the longer with the shorter.
        let (short, long) = if pa.len() <= pb.len() { (pa, pb) } else { (pb, pa) };
        short.iter().any(|d| long.binary_search(d).is_ok())
    }
}

/// Plural and singular forms of a word ("glove" ↔ "gloves", "brush" ↔ "brushes").
fn number_variants(w: &str) -> Vec<String> {
    if w.chars().count() < 3 || w.bytes().any(|b| b.is_ascii_digit()) {
        return Vec::new();
    }
    let mut out = vec![format!("{w}s"), format!("{w}es")];
    // "ties" is "tie" before "ti", "boxes" is "box" (there is no "boxe")
    if let Some(s) = w.strip_suffix('s') {
        out.push(s.to_string());
    }
    if let Some(s) = w.strip_suffix("es") {
        out.push(s.to_string());
    }
    if let Some(s) = w.strip_suffix("ies") {
        out.push(format!("{s}y"));
    }
    out
}

/// The catalog version: bumped by every import and synonym change (`store::announce_change`).
pub async fn current_version(db: impl sqlx::PgExecutor<'_>) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("select version from catalog_state")
        .fetch_one(db)
        .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::matching::TIE_MARGIN;

    fn index(names: &[(&str, &str)], synonyms: Synonyms) -> CatalogIndex {
        CatalogIndex::build(
            names
                .iter()
                .map(|(sku, name)| (sku.to_string(), normalize::tokens(name))),
            synonyms,
            1,
        )
    }

    fn best(idx: &CatalogIndex, text: &str) -> Option<String> {
        let q = idx.query_tokens(text);
        let e = idx.expansions(&q);
        idx.rank(&q, &e, 10).first().map(|r| r.sku.clone())
    }

    const NAMES: &[(&str, &str)] = &[
        ("W1", "WEICON WEICONLOCK® AN 302-25 200 ML PIPE AND THREAD SEALING"),
        ("W2", "WEICON WEICONLOCK® AN 302-25 50 ML PIPE AND THREAD SEALING"),
        ("C1", "CUT OFF WHEEL 100*1.2*16 - LICON( FOR S/S CUTTING GREEN )"),
        ("C2", "CUT OFF WHEEL 125*1.2*22 - LICON( FOR S/S CUTTING GREEN )"),
        ("G1", "ANGLE GRINDER 100MM 720W"),
        ("N1", "NITRILE GLOVES BLUE SIZE L"),
    ];

    /// A name that adds words to another is its variant, whatever item code each ends with:
    /// the plain bleach is the one the request names without a flavour.
    #[test]
    fn a_variant_extends_the_plain_name_whatever_their_codes() {
        let idx = index(
            &[
                ("B1", "KAO BLEACH 1500ML - K294746"),
                ("B2", "KAO BLEACH LEMON 1500ML - K193283"),
                ("T1", "JUMBO ROLL TISSUE PLAIN KC06511"),
                ("T2", "JUMBO ROLL TISSUE PLAIN KC06514"),
            ],
            Synonyms::default(),
        );
        assert!(idx.extends(0, 1) && !idx.extends(1, 0));
        // the same words and two codes: neither is the plain one
        assert!(!idx.extends(2, 3) && !idx.extends(3, 2));
    }

    #[test]
    fn words_of_another_language_no_product_knows_are_left_out() {
        let idx = index(NAMES, Synonyms::default());
        let q = idx.query_tokens("Máy mài góc / angle grinder 4 inch");
        assert_eq!(q, idx.query_tokens("angle grinder 4 inch"));
        // a code in the other language's half stays
        let q = idx.query_tokens("Máy mài góc Makita 9556HN / Angle grinder");
        assert!(q.iter().any(|t| t == "9556hn"), "{q:?}");
        assert_eq!(best(&idx, "Máy mài góc / angle grinder 4 inch").as_deref(), Some("G1"));
        // a request of such words alone keeps them (and finds nothing)
        assert!(!idx.query_tokens("Máy mài góc").is_empty());
    }

    #[test]
    fn finds_by_name_code_size_and_typo() {
        let idx = index(NAMES, Synonyms::default());
        assert_eq!(
            best(&idx, "Weiconlock AN 302-25 200ml (Weicon or equivalent)").as_deref(),
            Some("W1")
        );
        assert_eq!(best(&idx, "weiconlock 302-25 50 ml").as_deref(), Some("W2"));
        assert_eq!(best(&idx, "cut off wheel 100 x 1.2 x 16").as_deref(), Some("C1"));
        assert_eq!(best(&idx, "angle ginder 4 inch").as_deref(), Some("G1"));
        assert_eq!(best(&idx, "nitrile glove").as_deref(), Some("N1"));
        assert_eq!(best(&idx, "laptop computer"), None);
    }

    /// An index of (sku, name, brand column) rows.
    fn with_brands(names: &[(&str, &str, &str)]) -> CatalogIndex {
        CatalogIndex::build_with_brands(
            names
                .iter()
                .map(|(s, n, b)| (s.to_string(), normalize::tokens(n), Some(b.to_string()))),
            Synonyms::default(),
            1,
        )
    }

    #[test]
    fn a_makers_word_in_the_brand_column_is_the_products_word() {
        // the brand column says "NITTO KOHKI" for both; the plain coupler's name says "NITTO"
        let names = [
            ("P", "NITTO HI-COUPLER 20PH", "NITTO KOHKI"),
            ("S", "NITTO KOHKI HI-COUPLER PLUG 20PH 1/4\" SUS304", "NITTO KOHKI"),
        ];
        let idx = with_brands(&names);
        let q = idx.query_tokens("HI-COUPLER 20PH NITTO KOHKI");
        let ranked = idx.rank(&q, &HashMap::new(), 5);
        assert_eq!(ranked[0].sku, "P", "{ranked:?}");
        assert!((ranked[0].features.recall - 1.0).abs() < 1e-9, "{ranked:?}");
    }

    #[test]
    fn a_request_naming_a_brand_conflicts_with_other_makers_products() {
        let names = [
            ("E", "ENERCOIL-ALKALINE COIL CLEANER 5L", "NO BRAND"),
            ("M", "MR MCKENIC ALKALINE COIL CLEANER (5L) AC1923-P5", "MR.MCKENIC"),
            ("K", "M-KLEEN ALKALINE COIL CLEANER G-28 5L", "M-KLEEN"),
            ("J", "SAFETY JOGGER SAFETY SHOE SIZE 9", "SAFETY JOGGER"),
            ("S", "SAFETY SHOE BLACK SIZE 9", "NO BRAND"),
            ("H", "SAFETY HELMET WHITE", "NO BRAND"),
        ];
        let idx = with_brands(&names);
        assert_eq!(best(&idx, "Mckenic alkaline coil cleaner 5L").as_deref(), Some("M"));
        assert_eq!(best(&idx, "alkaline coil cleaner 5L").as_deref(), Some("E"));
        // "safety" names no maker: SAFETY JOGGER's word is in other products' names
        let q = idx.query_tokens("safety shoe black size 9");
        let ranked = idx.rank(&q, &HashMap::new(), 5);
        assert_eq!(ranked[0].sku, "S");
        assert_eq!(ranked[0].features.conflicts, 0, "{ranked:?}");
    }

    #[test]
    fn two_words_read_a_closed_compound_that_other_products_write_apart() {
        let idx = index(
            &[
                ("L", "LENTECH LT530 BATTERY-OPERATED AUTOSCRUBBER"),
                ("C", "CLEANTOOLS 50B BATTERY OPERATED WALK-BEHIND AUTO-SCRUBBER"),
                ("V", "LENTECH 90 WET / DRY VACUUM CLEANER"),
            ],
            Synonyms::default(),
        );
        assert_eq!(best(&idx, "Lentech LT530 auto scrubber").as_deref(), Some("L"));
        assert_eq!(best(&idx, "walk-behind auto scrubber, battery").as_deref(), Some("C"));
    }

    #[test]
    fn a_model_code_written_apart_is_joined_when_the_catalog_knows_it() {
        let idx = index(
            &[
                ("1", "KARCHER WET AND DRY VACUUM CLEANER WD2.250"),
                ("2", "BOSCH ROTARY HAMMER GBH5-40D SDS-MAX"),
                ("3", "KARCHER WET AND DRY VACUUM CLEANER NT48/1 SINGLE MOTOR"),
                ("4", "BOSCH ROTARY HAMMER GBH2-26RE"),
            ],
            Synonyms::default(),
        );
        let has = |d: &str, t: &str| idx.query_tokens(d).iter().any(|q| q == t);
        assert!(has("Karcher vacuum WD 2.250", "wd2.250"));
        assert!(has("Bosch GBH 5-40 D rotary hammer", "gbh5-40d"));
        assert!(has("Karcher NT 48/1 wet & dry", "nt48/1"));
        assert!(has("rotary hammer GBH 2-26 RE (230V)", "gbh2-26re"));
        // joined only into what the catalog knows
        assert!(has("drill x 2", "x") || !has("drill x 2", "x2"));
        assert!(has("pack 10 pcs", "pack"));
        assert!(has("flap wheel grit 120", "g120"));
    }

    /// Two names the synonyms make alike are still two products.
    #[test]
    fn synonyms_never_make_two_names_one() {
        let idx = index(
            &[
                ("1", "SIGN HARD HAT AREA"),
                ("2", "SIGN SAFETY HELMET AREA"),
                ("3", "SIGN SAFETY HELMET AREA"),
            ],
            Synonyms::new([("hard hat", "safety helmet")]),
        );
        assert!(!idx.same_name(0, 1));
        assert!(idx.same_name(1, 2));
    }

    #[test]
    fn synonyms_work_both_ways() {
        let idx = index(NAMES, Synonyms::new([("s/s", "stainless steel")]));
        assert_eq!(
            best(&idx, "cut off wheel 100 x 1.2 x 16 for stainless steel").as_deref(),
            Some("C1")
        );
    }

    #[test]
    fn a_dimension_matches_with_or_without_its_unit() {
        let names: &[(&str, &str)] = &[
            ("A60", "CARBORUNDUM GRINDING WHEEL [REGULAR ALUM OXIDE]- 200*20*32 A60"),
            ("A80", "CARBORUNDUM GRINDING WHEEL [REGULAR ALUM OXIDE]- 200*20*32 A80"),
            (
                "GC120",
                "CARBORUNDUM GRINDING WHEEL [GREEN SILICONE CARBIDE]-200*20*32 MM GC120",
            ),
            ("150", "CARBORUNDUM GRINDING WHEEL [REGULAR ALUM OXIDE] -150*20*32 A60"),
            ("DISC", "CUT OFF WHEEL 230MMX6MMX22MM"),
        ];
        let idx = index(names, Synonyms::default());
        assert_eq!(
            best(&idx, "Carborundum grinding wheel 200x20x32mm A60").as_deref(),
            Some("A60")
        );
        assert_eq!(
            best(&idx, "grinding wheel 200 x 20 x 32 mm GC120").as_deref(),
            Some("GC120")
        );
        assert_eq!(best(&idx, "cut off wheel 230 x 6 x 22").as_deref(), Some("DISC"));
        // the unit-less name states the size the request states: no size is missed
        let q = idx.query_tokens("grinding wheel 200x20x32mm A60");
        let ranked = idx.rank(&q, &idx.expansions(&q), 3);
        assert_eq!(ranked[0].sku, "A60");
        assert_eq!(ranked[0].features.attributes_missed, 0);
        assert_eq!(ranked[0].features.conflicts, 0);
    }

    #[test]
    fn a_plural_the_catalog_writes_otherwise_reads_as_its_singular() {
        let names: &[(&str, &str)] = &[
            ("PAN", "DUST PAN C/W HANDLE"),
            ("MASK", "PVC DUST MASK"),
            ("BOX", "TOOL BOX"),
        ];
        let idx = index(names, Synonyms::new([("dustpan", "dust pan")]));
        assert_eq!(idx.query_tokens("Dustpans"), ["dust", "pan"]);
        assert_eq!(best(&idx, "Dustpans").as_deref(), Some("PAN"));
        assert_eq!(idx.query_tokens("tool boxes"), ["tool", "box"]);
        let ties = index(
            &[("TI", "WEICON TI EPOXY"), ("TIE", "SECURITY TIE 300MM")],
            Synonyms::default(),
        );
        assert_eq!(ties.query_tokens("cable ties"), ["cable", "tie"]);
    }

    #[test]
    fn a_model_number_one_digit_apart_is_another_model() {
        // "30272" is no misspelling of "30242": before version 8 the two scored alike and only
        // the calibrated confidence put 302-72 first

        let names: &[(&str, &str)] = &[
            ("42", "WEICON WEICONLOCK AN 302-42 200 ML THREADLOCKING"),
            ("72", "WEICON WEICONLOCK AN 302-72 200 ML LOCKING OF THREADS&STUD BOLTS"),
        ];
        let idx = index(names, Synonyms::default());
        let q = idx.query_tokens("Weiconlock AN 302-72 threadlocking, 200ml bottle");
        let ranked = idx.rank(&q, &idx.expansions(&q), 3);
        assert_eq!(ranked[0].sku, "72");
        assert!(ranked[0].score - ranked[1].score > TIE_MARGIN, "{ranked:?}");
    }

    #[test]
    fn a_plural_inside_a_synonym_phrase_stays_for_the_phrase() {
        let names: &[(&str, &str)] = &[("GLASS", "SAFETY GLASS CLEAR"), ("SPEC", "SAFETY OVER SPEC")];
        let idx = index(names, Synonyms::new([("safety specs", "safety glass")]));
        assert_eq!(idx.query_tokens("safety specs, clear"), ["safety", "glass", "clear"]);
        // alone, the plural reads as the catalog's singular
        assert_eq!(idx.query_tokens("over specs"), ["over", "spec"]);
    }

    #[test]
    fn the_scratch_space_is_reset_between_queries() {
        let idx = index(NAMES, Synonyms::default());
        let q = idx.query_tokens("weicon 200 ml");
        let first = idx.rank(&q, &HashMap::new(), 10);
        assert!(!first.is_empty());
        let second = idx.rank(&q, &HashMap::new(), 10);
        assert_eq!(first, second);
    }
}
