//! How well a catalog product answers a requested description, in 0..=1.
//!
//! The score is an F-measure of two idf-weighted coverages: how much of the request the
//! product explains (recall, weighted more) and how much of the product's name the request
//! mentions (precision). Conflicting attributes (100mm vs 125mm, 200ml vs 50ml, G120 vs
//! G240, size 8 vs 9) halve it. The request side is prepared once per line (`QueryScorer`)
//! and each candidate is then scored without allocating much: this runs for every candidate
//! of every line.

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;

use crate::catalog::search::normalize;
use crate::catalog::search::vocabulary::Vocabulary;

/// Recall counts this many times more than precision.
pub const BETA: f64 = 1.6;
/// Each conflicting attribute multiplies the score by this.
const CONFLICT_FACTOR: f64 = 0.5;
/// Credit of a catalog term that a misspelt request word was mapped to.
const EXPANSION_CREDIT: f64 = 0.85;
/// Credit of a near-spelling, plural or prefix.
const FUZZY_CREDIT: f64 = 0.7;
/// Credit of a model code that begins another ("kv20" of "kv20yx", "dga404" of "dga404z"):
/// the family, not the model, so a product naming the model exactly wins.
const CODE_PREFIX_CREDIT: f64 = 0.4;

static MEASURE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:\d+(?:\.\d+)?|(?:\d+-)?\d+/\d+)(?P<u>mm|cm|m|km|in|ft|ml|l|g|kg|oz|lb|w|kw|v|a|ah|mah|hp|bar|psi|rpm|cc|hz|kva|mpa|nm|pcs)$")
        .expect("regex")
});

/// The attribute class of a token whose value must agree between request and product:
/// a unit of measure, "grit", "size", or "dims2"/"dims3" for dimensions.
pub fn attribute_class(t: &str) -> Option<String> {
    if let Some(c) = MEASURE.captures(t) {
        return Some(c["u"].to_string());
    }
    if t.len() >= 2 && t.starts_with('g') && t[1..].parse::<u32>().is_ok_and(is_grit) {
        return Some("grit".into());
    }
    if t.starts_with("size")
        && t.len() > 4
        && (t[4..].bytes().all(|b| b.is_ascii_digit()) || normalize::is_letter_size(&t[4..]))
    {
        return Some("size".into());
    }
    if t.contains('x') && t.split('x').count() >= 2 && t.split('x').all(|p| p.starts_with(|c: char| c.is_ascii_digit()))
    {
        return Some(format!("dims{}", t.split('x').count()));
    }
    None
}

/// A colour word, grey and gray as one.
fn colour(t: &str) -> Option<&str> {
    const COLOURS: [&str; 19] = [
        "beige",
        "black",
        "blue",
        "brown",
        "cream",
        "green",
        "grey",
        "khaki",
        "maroon",
        "navy",
        "orange",
        "pink",
        "purple",
        "red",
        "silver",
        "turquoise",
        "violet",
        "white",
        "yellow",
    ];
    match t {
        "gray" => Some("grey"),
        _ => COLOURS.contains(&t).then_some(t),
    }
}

/// Whether a number after "G" can be an abrasive grit: FEPA and CAMI grits run from 8 to
/// about 5000, and every grit from 100 up is a multiple of ten, so "G3001" is a model code.
fn is_grit(n: u32) -> bool {
    (8..=5000).contains(&n) && (n < 100 || n.is_multiple_of(10))
}

/// "m5" → "5mm": an ISO metric thread names its nominal diameter in millimetres (a riveter
/// or tap "M5" is the catalog's "5MM" one).
fn thread_equivalent(t: &str) -> Option<String> {
    let n = t.strip_prefix('m')?;
    let value: u32 = n.parse().ok().filter(|_| !n.starts_with('0'))?;
    (2..=64).contains(&value).then(|| format!("{value}mm"))
}

/// "70s" → "70pcs": a count as buyers write it without the apostrophe.
fn count_equivalent(t: &str) -> Option<String> {
    let n = t.strip_suffix('s')?;
    (!n.is_empty() && n.len() <= 3 && n.bytes().all(|b| b.is_ascii_digit())).then(|| format!("{n}pcs"))
}

/// Whether `run` is the leading letters or the trailing digits of `code` ("aws" and "68" of
/// "aws68").
fn is_run_of(run: &str, code: &str) -> bool {
    let letters = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphabetic());
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    (letters(run) && code.strip_prefix(run).is_some_and(digits))
        || (digits(run) && code.strip_suffix(run).is_some_and(letters))
}

/// Whether `compact` is `code` without its hyphens and slashes ("an800" of "an-800").
fn compact_eq(code: &str, compact: &str) -> bool {
    compact.len() < code.len() && code.chars().filter(|c| !matches!(c, '-' | '/')).eq(compact.chars())
}

/// What a score is made of: the features `calibration` turns into a probability.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Parts {
    /// The F-measure, conflicts applied.
    pub score: f64,
    /// Share of the request's weight the product explains.
    pub recall: f64,
    /// Share of the product name's weight the request mentions.
    pub precision: f64,
    /// Attribute classes (size, volume, grit …) stated on both sides with different values.
    pub conflicts: u8,
    /// Attribute classes stated on both sides with a value in common.
    pub agreeing: u8,
    /// Attribute values of the request (a size, volume, grit …) the product does not have.
    pub missed: u8,
    /// Other request terms with a digit (model and part numbers) the product does not have.
    pub codes_missed: u8,
    /// Model and part numbers of the request the product names exactly.
    pub codes_hit: u8,
}

impl Parts {
    /// The parts with one more conflicting attribute (a conflict found outside the name's
    /// words, such as another maker than the request names).
    pub fn with_conflict(self) -> Self {
        Parts {
            score: self.score * CONFLICT_FACTOR,
            conflicts: self.conflicts.saturating_add(1),
            ..self
        }
    }
}

/// One distinct product term as the scorer needs it.
#[derive(Debug, Clone, Copy)]
pub struct ProductTerm<'a> {
    pub text: &'a str,
    pub idf: f64,
    pub class: Option<&'a str>,
}

#[derive(Debug)]
struct QueryTerm<'a> {
    text: &'a str,
    weight: f64,
    /// Some product uses the word, or it was read as a catalog word (a misspelling).
    known: bool,
    /// A model or part number: digits, and no attribute class.
    code: bool,
    class: Option<String>,
    /// Long enough, and not an attribute, for near-spellings to count.
    fuzzy: bool,
    chars: usize,
    expansions: &'a [String],
    /// The same dimension as the catalog may write it, one side stating no unit
    /// (`normalize::dimension_equivalents`), or the same nominal size in the other system
    /// ("100mm" = "4in"), those some product uses.
    equivalents: Vec<String>,
    /// The request's dimension this size is a part of ("200mm" of "200mmx20mmx32mm"): the
    /// size is found when the dimension is.
    part_of: Option<usize>,
}

/// A requested description prepared for scoring many products.
#[derive(Debug)]
pub struct QueryScorer<'a> {
    terms: Vec<QueryTerm<'a>>,
    total: f64,
    /// The request's head and the model codes of the product it is for (`host`), as indices
    /// into `terms`, and the words naming that product.
    host: Option<(usize, Vec<usize>, &'a [String])>,
}

impl<'a> QueryScorer<'a> {
    pub fn new(query: &'a [String], vocab: &Vocabulary, expansions: &'a HashMap<String, Vec<String>>) -> Self {
        let mut seen: Vec<&str> = Vec::with_capacity(query.len());
        let mut terms = Vec::with_capacity(query.len());
        let partner = dual_size(query);
        for t in query {
            if seen.contains(&t.as_str()) {
                continue;
            }
            seen.push(t);
            let class = attribute_class(t);
            let chars = t.chars().count();
            let expansions = expansions.get(t).map_or(&[][..], Vec::as_slice);
            let equivalents: Vec<String> = match class.as_deref() {
                Some(c) if c.starts_with("dims") => normalize::dimension_equivalents(t),
                Some("in" | "mm") => normalize::nominal_equivalent(t)
                    .into_iter()
                    .chain(normalize::rounded_inch_mm(t))
                    .chain(measure_partner(query, t))
                    .collect(),
                // "150G" on sandpaper is its grit, not 150 grams
                Some("g") => t
                    .strip_suffix('g')
                    .and_then(|n| n.parse::<u32>().ok())
                    .filter(|n| normalize::is_standard_grit(*n))
                    .map(|n| format!("g{n}"))
                    .into_iter()
                    .collect(),
                Some("size") | None => normalize::size_equivalents(t)
                    .into_iter()
                    // a glove's "9/L": a product stating either size states the one asked
                    .chain(partner(t).into_iter().flat_map(|p| {
                        let mut also = normalize::size_equivalents(&p);
                        also.push(p);
                        also
                    }))
                    // "70s" of wipes is a count: "70'S" = "70pcs"
                    .chain(count_equivalent(t))
                    .chain(thread_equivalent(t))
                    .collect(),
                Some("pcs") => t.strip_suffix("pcs").map(|n| format!("{n}s")).into_iter().collect(),
                _ => Vec::new(),
            }
            .into_iter()
            .filter(|e| vocab.contains(e))
            .collect();
            // "no set" asks for a product without a set, not for a word to find: it only
            // conflicts with products that state the word (`negations`)
            let constraint = negation_only(t, vocab);
            let expansions = if constraint { &[][..] } else { expansions };
            terms.push(QueryTerm {
                text: t,
                weight: if constraint { 0.0 } else { vocab.idf(t) },
                known: constraint || vocab.contains(t) || !expansions.is_empty() || !equivalents.is_empty(),
                equivalents,
                part_of: None,
                code: class.is_none() && t.bytes().any(|b| b.is_ascii_digit()),
                fuzzy: chars >= 4 && class.is_none() && !constraint,
                class,
                chars,
                expansions,
            });
        }
        for k in 0..terms.len() {
            if terms[k].class.is_some() {
                terms[k].part_of = terms.iter().position(|d| {
                    d.class.as_deref().is_some_and(|c| c.starts_with("dims"))
                        && d.text.split('x').any(|p| p == terms[k].text)
                });
            } else {
                // "aws" and "68" read beside the code "aws68" (`compounds`) are found with it
                let run = terms[k].text;
                terms[k].part_of = terms.iter().position(|c| {
                    c.text != run && c.text.bytes().all(|b| b.is_ascii_alphanumeric()) && is_run_of(run, c.text)
                });
            }
        }
        let total = terms.iter().map(|t| t.weight).sum();
        Self {
            terms,
            total,
            host: None,
        }
    }

    /// Reads the request as an item for another product (`host::Host`): a product naming that
    /// product's model but not the item's head, or named by the words after "for" alone, is
    /// the host, a conflict.
    pub fn with_host(mut self, host: Option<&'a crate::catalog::search::host::Host>) -> Self {
        self.host = host.and_then(|h| {
            let at = |w: &str| self.terms.iter().position(|t| t.text == w);
            let codes: Vec<usize> = h.codes.iter().filter_map(|c| at(c)).collect();
            Some((at(&h.head)?, codes, h.words.as_slice())).filter(|(_, c, _)| !c.is_empty())
        });
        self
    }

    /// Distinct request terms.
    pub fn len(&self) -> usize {
        self.terms.len()
    }

    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    /// The share of the request's weight in words no product uses (and not read as a
    /// misspelling of one): what no candidate can explain.
    pub fn unknown_share(&self) -> f64 {
        if self.total <= 0.0 {
            return 0.0;
        }
        self.terms.iter().filter(|t| !t.known).map(|t| t.weight).sum::<f64>() / self.total
    }

    /// The score of one product given its distinct terms.
    pub fn score(&self, product: &[ProductTerm<'_>]) -> f64 {
        self.parts(product).score
    }

    /// The score of one product and what it is made of.
    pub fn parts(&self, product: &[ProductTerm<'_>]) -> Parts {
        if self.terms.is_empty() || product.is_empty() {
            return Parts::default();
        }
        let mut hit = [false; 64];
        let mut hit_more: Vec<bool> = if product.len() > hit.len() {
            vec![false; product.len()]
        } else {
            Vec::new()
        };
        let mut credits: Vec<Option<(f64, Option<usize>)>> = self
            .terms
            .iter()
            .map(|t| self.credit(t, product).map(|(c, i)| (c, Some(i))))
            .collect();
        // A model code the request writes closed and the product apart ("DOT4" against "DOT 4",
        // read beside its runs "dot" and "4"): found, when the request has the code's every run
        // ("kc" alone is not "KC06511") and the product each of them.
        for k in 0..credits.len() {
            if credits[k].is_none() && self.terms[k].code {
                let runs: Vec<usize> = (0..credits.len())
                    .filter(|&j| self.terms[j].part_of == Some(k))
                    .collect();
                let covered: usize = runs.iter().map(|&j| self.terms[j].chars).sum();
                if runs.len() >= 2
                    && covered == self.terms[k].chars
                    && runs
                        .iter()
                        .all(|&j| credits[j].is_some_and(|(c, at)| c >= 1.0 && at.is_some()))
                {
                    credits[k] = Some((1.0, None));
                }
            }
        }
        // A size that is a part of a dimension found is found with it (not of one read as a
        // misspelling of another dimension).
        for k in 0..credits.len() {
            if credits[k].is_none()
                && let Some(d) = self.terms[k].part_of
                && let Some((c, _)) = credits[d]
                && c >= 1.0
            {
                credits[k] = Some((c, None));
            }
        }
        let mut mark = |i: usize| {
            if i < hit.len() {
                hit[i] = true;
            } else {
                hit_more[i] = true;
            }
        };
        let mut matched = 0.0;
        let (mut codes_missed, mut codes_hit) = (0u8, 0u8);
        for (t, credit) in self.terms.iter().zip(&credits) {
            let Some((credit, at)) = *credit else {
                codes_missed += u8::from(t.code);
                continue;
            };
            codes_hit += u8::from(t.code && credit >= 1.0);
            matched += t.weight * credit;
            let Some(i) = at else { continue };
            mark(i);
            // A dimension found also explains its sizes in the product's name.
            if product[i].class.is_some_and(|c| c.starts_with("dims")) {
                for part in product[i].text.split('x') {
                    if let Some(j) = product.iter().position(|p| p.text == part) {
                        mark(j);
                    }
                }
            }
            // A part number found exactly, whole or compacted ("an-800", "an800"), explains its
            // other spellings and its parts ("an", "800"): the name says it once. (Not one a
            // misspelt request word was read as.)
            let coded = credit >= 1.0 && product[i].text.bytes().any(|b| b.is_ascii_digit());
            for (j, code) in product.iter().enumerate().filter(|_| coded) {
                if code.text.contains(['-', '/'])
                    && (code.text == product[i].text || compact_eq(code.text, product[i].text))
                {
                    mark(j);
                    for part in code.text.split(['-', '/']) {
                        if let Some(k) = product.iter().position(|p| p.text == part) {
                            mark(k);
                        }
                    }
                    if let Some(k) = product.iter().position(|p| compact_eq(code.text, p.text)) {
                        mark(k);
                    }
                }
            }
        }
        let (mut wp, mut mp) = (0.0, 0.0);
        for (i, p) in product.iter().enumerate() {
            wp += p.idf;
            if hit.get(i).copied().unwrap_or_else(|| hit_more[i]) {
                mp += p.idf;
            }
        }
        let recall = matched / self.total;
        let precision = mp / wp;
        if recall <= 0.0 || precision <= 0.0 {
            return Parts::default();
        }
        let b2 = BETA * BETA;
        let f = (1.0 + b2) * precision * recall / (b2 * precision + recall);
        let found: Vec<bool> = credits
            .iter()
            .zip(&self.terms)
            .map(|(c, t)| {
                c.is_some_and(|(_, at)| {
                    at.is_none_or(|i| product[i].text == t.text || t.equivalents.iter().any(|e| e == product[i].text))
                })
            })
            .collect();
        let (conflicts, agreeing, missed) = self.attributes(product, &found);
        // a product that shares none of the request's words, only sizes ("GASKET SHEET 3MM
        // 1.5X1.5M" and "FIRE BLANKET 1.5X1.5M"), is another product, unless a model or part
        // number names it
        let mut words = self
            .terms
            .iter()
            .zip(&found)
            .filter(|(t, _)| t.class.is_none() && !t.code)
            .peekable();
        let no_word = codes_hit == 0 && words.peek().is_some() && !words.any(|(_, f)| *f);
        let is_host = self.host.as_ref().is_some_and(|(head, codes, words)| {
            let named_by_host = || {
                let within: f64 = product
                    .iter()
                    .filter(|p| words.iter().any(|w| w == p.text))
                    .map(|p| p.idf)
                    .sum();
                within >= 0.8 * wp
            };
            codes.iter().any(|k| credits[*k].is_some_and(|(c, _)| c >= 1.0))
                && (credits[*head].is_none() || named_by_host())
        });
        let conflicts = conflicts
            .saturating_add(self.negations(product))
            .saturating_add(self.other_colour(product))
            .saturating_add(u8::from(no_word))
            .saturating_add(u8::from(is_host));
        Parts {
            score: f * CONFLICT_FACTOR.powi(i32::from(conflicts)),
            recall,
            precision,
            conflicts,
            agreeing,
            missed,
            codes_missed,
            codes_hit,
        }
    }

    /// Words one side negates and the other states ("not elbow" and "ELBOW", "safety boot"
    /// and "NON SAFETY"; "not SUS" and "SUS304", a grade of it): the normaliser writes a
    /// negated word `non…`.
    fn negations(&self, product: &[ProductTerm<'_>]) -> u8 {
        fn negated(t: &str) -> Option<&str> {
            t.strip_prefix("non").filter(|w| w.len() >= 3)
        }
        let states = |p: &str, w: &str| {
            p == w
                || p.strip_prefix(w)
                    .is_some_and(|grade| !grade.is_empty() && grade.bytes().all(|b| b.is_ascii_digit()))
        };
        let mut n = 0u8;
        for t in &self.terms {
            if let Some(w) = negated(t.text)
                && product.iter().any(|p| states(p.text, w))
            {
                n = n.saturating_add(1);
            }
        }
        for p in product {
            if let Some(w) = negated(p.text)
                && self.terms.iter().any(|t| t.text == w)
            {
                n = n.saturating_add(1);
            }
        }
        n
    }

    /// A product in another colour than the request asks for: both name colours and none in
    /// common ("helmet orange" and "HELMET … - BLUE"; "vest orange" and "VEST ORANGE/YELLOW"
    /// agree).
    fn other_colour(&self, product: &[ProductTerm<'_>]) -> u8 {
        let asked: Vec<&str> = self.terms.iter().filter_map(|t| colour(t.text)).collect();
        if asked.is_empty() {
            return 0;
        }
        let mut stated = product.iter().filter_map(|p| colour(p.text)).peekable();
        u8::from(stated.peek().is_some() && !stated.any(|c| asked.contains(&c)))
    }

    /// Credit for one request term: exact 1.0, a catalog term it was mapped to 0.85, a
    /// near-spelling or a plural/prefix 0.7; and the index of the product term it hit.
    fn credit(&self, t: &QueryTerm<'_>, product: &[ProductTerm<'_>]) -> Option<(f64, usize)> {
        if let Some(i) = product.iter().position(|p| p.text == t.text) {
            return Some((1.0, i));
        }
        if let Some(i) = t
            .equivalents
            .iter()
            .find_map(|e| product.iter().position(|p| p.text == e.as_str()))
        {
            return Some((1.0, i));
        }
        if let Some(i) = t
            .expansions
            .iter()
            .find_map(|e| product.iter().position(|p| p.text == e.as_str()))
        {
            return Some((EXPANSION_CREDIT, i));
        }
        if !t.fuzzy {
            return None;
        }
        product
            .iter()
            .position(|p| {
                p.class.is_none()
                    && p.text.len().abs_diff(t.text.len()) <= 2
                    && ((p.text.len() >= 4 && (p.text.starts_with(t.text) || t.text.starts_with(p.text)))
                        // one letter apart is another model when both are codes ("sbi201d2k",
                        // "sbd201d2k"), a misspelling when they are words
                        || (t.chars >= 5 && !t.code && edit_distance_at_most_one(t.text, p.text)))
                    && same_digits(t.text, p.text)
            })
            .map(|i| (if t.code { CODE_PREFIX_CREDIT } else { FUZZY_CREDIT }, i))
    }

    /// Attribute classes both sides state: with no value in common (conflicts), and with one
    /// (agreeing); and the request's attribute values the product does not have (missed).
    /// `found`: per request term, whether the product states it (or its dimension).
    /// Whether the product is a pack of several ("MAMA LEMON + REFILL (2 X 1L)": "2x1000ml")
    /// where the request states the size of one and no pack ("Mama Lemon 1L"): it holds twice
    /// what was asked for, however well the words agree. Batteries counted by their voltage
    /// or capacity ("2X20V 4.0AH & CHARGER") come with one tool: the tool's 20V is the 20V
    /// asked for.
    fn multipack_unasked(&self, product: &[ProductTerm<'_>]) -> bool {
        product.iter().filter(|p| p.class == Some("dims2")).any(|p| {
            p.text.split_once('x').is_some_and(|(count, size)| {
                count.bytes().all(|b| b.is_ascii_digit())
                    && !self.terms.iter().any(|q| q.text == p.text)
                    && attribute_class(size).is_some_and(|c| {
                        !matches!(c.as_str(), "v" | "ah" | "mah" | "w" | "kw")
                            && self.terms.iter().any(|q| q.class.as_deref() == Some(c.as_str()))
                    })
            })
        })
    }

    fn attributes(&self, product: &[ProductTerm<'_>], found: &[bool]) -> (u8, u8, u8) {
        let (mut n, mut same, mut missed) = (0u8, 0u8, 0u8);
        let mut done: Vec<&str> = Vec::new();
        for (t, found) in self.terms.iter().zip(found) {
            let Some(class) = t.class.as_deref() else {
                continue;
            };
            if !found {
                missed = missed.saturating_add(1);
            }
            if done.contains(&class) {
                continue;
            }
            done.push(class);
            let mut product_states = false;
            let mut agree = false;
            for p in product.iter().filter(|p| p.class == Some(class)) {
                product_states = true;
                agree |= self.terms.iter().any(|q| {
                    q.class.as_deref() == Some(class) && (q.text == p.text || q.equivalents.iter().any(|e| e == p.text))
                });
            }
            if product_states && !agree {
                n = n.saturating_add(1);
            } else if agree {
                same = same.saturating_add(1);
            }
        }
        if self.multipack_unasked(product) {
            n = n.saturating_add(1);
        }
        (n, same, missed)
    }
}

/// A request's one size in numbers and letters ("9/L" → "size9", "sizel"): for either of the
/// two, the other.
fn dual_size(query: &[String]) -> impl Fn(&str) -> Option<String> + '_ {
    let size = |letters: bool| {
        let mut found = query.iter().filter(move |t| {
            t.strip_prefix("size").is_some_and(|s| {
                !s.is_empty()
                    && if letters {
                        normalize::is_letter_size(s)
                    } else {
                        s.bytes().all(|b| b.is_ascii_digit())
                    }
            })
        });
        let first = found.next();
        first.filter(|_| found.next().is_none())
    };
    let pair = size(false).zip(size(true));
    move |t: &str| {
        let (n, l) = pair?;
        if t == n {
            Some(l.clone())
        } else if t == l {
            Some(n.clone())
        } else {
            None
        }
    }
}

/// A length the request gives in both systems side by side ("16 mm (5/8\")", "14\" (355mm)",
/// "5/8\" 16mm"): for either, the other, when they name the same length within 4 % (a
/// converted size is rounded); a product stating either states the size asked.
fn measure_partner(query: &[String], t: &str) -> Option<String> {
    fn mm(t: &str) -> Option<f64> {
        match attribute_class(t)?.as_str() {
            "mm" => t.strip_suffix("mm")?.parse().ok(),
            "in" => t.strip_suffix("in")?.parse::<f64>().ok().map(|i| i * 25.4),
            _ => None,
        }
    }
    let i = query.iter().position(|q| q == t)?;
    let here = mm(t)?;
    let class = attribute_class(t);
    [i.checked_sub(1), Some(i + 1)]
        .into_iter()
        .flatten()
        .filter_map(|j| query.get(j))
        .find(|n| attribute_class(n) != class && mm(n).is_some_and(|v| (v - here).abs() <= 0.04 * here.max(v)))
        .cloned()
}

/// How well `product` answers `query` (both normalised tokens), in 0..=1.
pub fn score(
    query: &[String],
    product: &[String],
    vocab: &Vocabulary,
    expansions: &HashMap<String, Vec<String>>,
) -> f64 {
    let classes: Vec<Option<String>> = product.iter().map(|t| attribute_class(t)).collect();
    QueryScorer::new(query, vocab, expansions).score(&product_terms(product, &classes, vocab))
}

/// A product's distinct terms with their weights and attribute classes (`classes[i]` is
/// `attribute_class(product[i])`).
fn product_terms<'a>(product: &'a [String], classes: &'a [Option<String>], vocab: &Vocabulary) -> Vec<ProductTerm<'a>> {
    let mut terms: Vec<ProductTerm<'a>> = Vec::with_capacity(product.len());
    for (t, class) in product.iter().zip(classes) {
        if terms.iter().any(|p| p.text == t.as_str()) {
            continue;
        }
        terms.push(ProductTerm {
            text: t,
            idf: vocab.idf(t),
            class: class.as_deref(),
        });
    }
    terms
}

/// Levenshtein distance ≤ 1, or one transposition of neighbours.
/// Whether one word may be a misspelling of the other as far as their figures go: a
/// misspelling is in the letters; "30272" against "30242", or "7009" against "7007" or
/// "700", is another model. A word glued to more ("g120x50m" against "g120") keeps its
/// reading.
/// A negated word no product name holds as such ("nonset" of "no set"), whose word some
/// product states: a condition on the product, not a word of its name.
pub fn negation_only(t: &str, vocab: &Vocabulary) -> bool {
    t.strip_prefix("non")
        .is_some_and(|w| w.len() >= 3 && vocab.contains(w) && !vocab.contains(t))
}

pub fn same_digits(a: &str, b: &str) -> bool {
    fn figures(s: &str) -> impl Iterator<Item = u8> + '_ {
        s.bytes().filter(u8::is_ascii_digit)
    }
    if figures(a).eq(figures(b)) {
        return true;
    }
    let number = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit() || b == b'.');
    figures(a).count() != figures(b).count() && !(number(a) && number(b))
}

pub fn edit_distance_at_most_one(a: &str, b: &str) -> bool {
    if a.is_ascii() && b.is_ascii() {
        return within_one(a.as_bytes(), b.as_bytes());
    }
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    within_one(&a, &b)
}

fn within_one<T: PartialEq>(a: &[T], b: &[T]) -> bool {
    if a.len().abs_diff(b.len()) > 1 || a == b {
        return a == b;
    }
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    let mut i = 0;
    while i < short.len() && short[i] == long[i] {
        i += 1;
    }
    if short.len() == long.len() {
        // one substitution, or one transposition
        short[i + 1..] == long[i + 1..]
            || (i + 1 < short.len()
                && short[i] == long[i + 1]
                && short[i + 1] == long[i]
                && short[i + 2..] == long[i + 2..])
    } else {
        short[i..] == long[i + 1..]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::search::normalize::tokens;

    #[test]
    fn conflicting_volume_is_penalised() {
        let v = Vocabulary::new(
            [("weicon", 2), ("spray", 2), ("400ml", 1), ("200ml", 1)]
                .into_iter()
                .map(|(t, n)| (t.to_string(), n))
                .collect(),
            2,
        );
        let q = tokens("weicon spray 400 ml");
        let s400 = score(&q, &tokens("WEICON SPRAY 400ML"), &v, &HashMap::new());
        let s200 = score(&q, &tokens("WEICON SPRAY 200ML"), &v, &HashMap::new());
        assert!(s400 > 0.9 && s200 < 0.5 * s400 + 1e-9, "{s400} {s200}");
    }

    /// "16 mm (5/8\")": one length in two systems; the product stating either has it.
    #[test]
    fn a_length_in_both_systems_is_one_size() {
        let q = |s: &str| normalize::tokens(s);
        let query = q("hammer drill 16 mm (5/8\")");
        let partner = |t: &str| measure_partner(&query, t);
        assert_eq!(partner("16mm").as_deref(), Some("0.625in"));
        assert_eq!(partner("0.625in").as_deref(), Some("16mm"));
        let query = q("cut off wheel 14\" 355mm");
        assert_eq!(measure_partner(&query, "14in").as_deref(), Some("355mm"));
        // two lengths of different sizes are two sizes
        let query = q("hose 1/2\" 20mm");
        assert_eq!(measure_partner(&query, "0.5in"), None);
        let names = ["MAKITA 5/8\" HAMMER DRILL M0801G", "MAKITA HAMMER DRILL 13MM M0801B"];
        let v = vocabulary_of(&names);
        let query = q("makita hammer drill 16 mm (5/8\") m0801g");
        let s = |p: &str| score(&query, &q(p), &v, &HashMap::new());
        assert!(s(names[0]) > 0.95, "{}", s(names[0]));
    }

    #[test]
    fn a_glove_size_in_numbers_and_letters_is_one_size() {
        let v = Vocabulary::new(
            [("superpro", 3), ("glove", 3), ("9", 1), ("10", 1), ("sizel", 1)]
                .into_iter()
                .map(|(t, n)| (t.to_string(), n))
                .collect(),
            3,
        );
        let q = tokens("superpro glove 9/L");
        let s = |p: &str| score(&q, &tokens(p), &v, &HashMap::new());
        let (nine, large, ten) = (
            s("SUPERPRO GLOVE # 9"),
            s("SUPERPRO GLOVE SIZE:L"),
            s("SUPERPRO GLOVE # 10"),
        );
        assert!(nine > 0.9 && large > 0.9, "{nine} {large}");
        assert!(ten < 0.5 * nine, "{ten} {nine}");
    }

    /// A pack of two litres is not the litre asked for, unless the request asks for the pack.
    #[test]
    fn an_unasked_multipack_conflicts() {
        let v = Vocabulary::default();
        let single = tokens("CLEANER 1L");
        let twin = tokens("CLEANER LIQUID REFILL (2 X 1L)");
        let q = tokens("cleaner liquid 1 litre");
        let (s1, s2) = (
            score(&q, &single, &v, &HashMap::new()),
            score(&q, &twin, &v, &HashMap::new()),
        );
        assert!(s1 > s2, "{s1} {s2}");
        let pack = tokens("cleaner liquid refill 2 x 1L");
        let (p1, p2) = (
            score(&pack, &single, &v, &HashMap::new()),
            score(&pack, &twin, &v, &HashMap::new()),
        );
        assert!(p2 > p1, "{p1} {p2}");
        // two batteries of a cordless tool are no pack of tools
        let parts = parts_of(
            "ingco ctli2002 20v crimping tool",
            "INGCO 20V HYDRAULIC CRIMPING TOOL, 2X20V 4.0AH & CHARGER CTLI2002",
        );
        assert_eq!(parts.conflicts, 0, "{parts:?}");
    }

    fn parts_of(q: &str, p: &str) -> Parts {
        let v = Vocabulary::default();
        let (q, p) = (tokens(q), tokens(p));
        let terms: Vec<ProductTerm<'_>> = p
            .iter()
            .map(|t| ProductTerm {
                text: t,
                idf: 1.0,
                class: attribute_class(t).map(|c| &*c.leak()),
            })
            .collect();
        QueryScorer::new(&q, &v, &HashMap::new()).parts(&terms)
    }

    /// A product in another colour conflicts; one in the colour asked, or in several with it
    /// among them, or in none, does not.
    #[test]
    fn another_colour_conflicts() {
        let q = "MSA V-GARD HELMET ORANGE C/W RATCHET GEAR";
        assert_eq!(
            parts_of(q, "MSA V-GARD SAFETY HELMET WITH RATCHET GEAR - BLUE").conflicts,
            1
        );
        assert_eq!(
            parts_of(q, "MSA V-GARD SAFETY HELMET WITH RATCHET GEAR - ORANGE").conflicts,
            0
        );
        assert_eq!(parts_of("safety vest orange", "SAFETY VEST ORANGE/YELLOW").conflicts, 0);
        assert_eq!(parts_of("safety vest orange", "SAFETY VEST").conflicts, 0);
        assert_eq!(parts_of("grey primer 1L", "PRIMER GRAY 1L").conflicts, 0);
    }

    /// A product that shares only sizes with the request, none of its words, conflicts; a
    /// part number found names the product whatever the words.
    #[test]
    fn a_product_sharing_no_word_conflicts() {
        assert_eq!(
            parts_of("GASKET SHEET NON-ASB 3MM 1.5X1.5M", "STRIKERS FIRE BLANKET 1.5X1.5M").conflicts,
            1
        );
        assert_eq!(
            parts_of("fire blanket 1.5x1.5m", "STRIKERS FIRE BLANKET 1.5X1.5M").conflicts,
            0
        );
        assert_eq!(
            parts_of("spanner DVC151LZ", "MAKITA VACUUM CLEANER DVC151LZ").conflicts,
            0
        );
    }

    /// A word one side negates and the other states conflicts, both ways round.
    #[test]
    fn a_negated_word_conflicts_with_the_word() {
        let v = Vocabulary::default();
        let straight = tokens("PUSH IN FITTING 10MM - MALE STUD 3/8\"");
        let elbow = tokens("PUSH IN FITTING 10MM - MALE STUD 3/8\" ELBOW");
        let q = tokens("push-in fitting male stud 10mm x 3/8\" (straight, not elbow)");
        let parts = |q: &[String], p: &[String]| {
            let terms: Vec<ProductTerm<'_>> = p
                .iter()
                .map(|t| ProductTerm {
                    text: t,
                    idf: 1.0,
                    class: None,
                })
                .collect();
            QueryScorer::new(q, &v, &HashMap::new()).parts(&terms)
        };
        assert_eq!(parts(&q, &elbow).conflicts, 1);
        assert_eq!(parts(&q, &straight).conflicts, 0);
        assert!(parts(&q, &straight).score > parts(&q, &elbow).score);
        let boot = tokens("pvc safety boot size 9");
        assert_eq!(parts(&boot, &tokens("KING'S PVC BOOT NON SAFETY - 9")).conflicts, 1);
        assert_eq!(parts(&boot, &tokens("KING'S PVC SAFETY BOOT - 9")).conflicts, 0);
        // a negated word against a grade of it: "not SUS" and "SUS304"
        let plain = tokens("hi-coupler plug 30PH nitto kohki (standard steel, not SUS)");
        assert_eq!(
            parts(&plain, &tokens("NITTO KOHKI HI-COUPLER PLUG 30PH 3/8\" SUS304")).conflicts,
            1
        );
        assert_eq!(parts(&plain, &tokens("NITTO KOHKI HI-COUPLER 30PH")).conflicts, 0);
    }

    /// "no set" is a condition, not a word: the plain product explains the whole request, the
    /// set conflicts with it.
    #[test]
    fn a_negated_word_no_product_holds_is_a_condition() {
        let names = ["KINGS FULL BODY HARNESS KB70P", "KINGS FULL BODY HARNESS SET KB70P"];
        let v = vocabulary_of(&names);
        let q = tokens("King's full body harness KB70P (no set)");
        assert!(q.contains(&"nonset".to_string()), "{q:?}");
        let parts = |p: &str| {
            let p = tokens(p);
            let terms: Vec<ProductTerm<'_>> = p
                .iter()
                .map(|t| ProductTerm {
                    text: t,
                    idf: v.idf(t),
                    class: None,
                })
                .collect();
            QueryScorer::new(&q, &v, &HashMap::new()).parts(&terms)
        };
        let plain = parts(names[0]);
        assert!((plain.recall - 1.0).abs() < 1e-9, "{plain:?}");
        assert_eq!(plain.conflicts, 0);
        assert_eq!(parts(names[1]).conflicts, 1);
        assert_eq!(QueryScorer::new(&q, &v, &HashMap::new()).unknown_share(), 0.0);
    }

    #[test]
    fn a_shared_value_is_no_conflict() {
        let v = Vocabulary::default();
        // The request states 4in and 100mm; the product states 100mm: they agree.
        let with = score(
            &tokens("disc 4 inch 100 mm"),
            &tokens("DISC 100MM"),
            &v,
            &HashMap::new(),
        );
        let without = score(
            &tokens("disc 4 inch 100 mm"),
            &tokens("DISC 125MM"),
            &v,
            &HashMap::new(),
        );
        assert!(with > 2.0 * without, "{with} {without}");
    }

    #[test]
    fn typos_still_match() {
        assert!(edit_distance_at_most_one("ginder", "grinder"));
        assert!(edit_distance_at_most_one("hydraulc", "hydraulic"));
        assert!(edit_distance_at_most_one("lesfric", "lesrfic"));
        assert!(edit_distance_at_most_one("žluť", "žlut"));
        assert!(!edit_distance_at_most_one("disc", "dust"));
        // a misspelling is in the letters: another figure is another model
        assert!(same_digits("dga404z", "dga404"));
        assert!(!same_digits("30272", "30242"));
        assert!(!same_digits("7009", "7007"));
        assert!(!same_digits("7009", "700"));
        assert!(same_digits("g120x50m", "g120"));
    }

    #[test]
    fn near_spellings_earn_partial_credit() {
        let v = Vocabulary::default();
        let exact = score(&tokens("angle grinder"), &tokens("ANGLE GRINDER"), &v, &HashMap::new());
        let typo = score(&tokens("angle ginder"), &tokens("ANGLE GRINDER"), &v, &HashMap::new());
        assert!(exact > typo && typo > 0.5, "{exact} {typo}");
    }

    #[test]
    fn a_part_number_found_explains_its_parts() {
        let v = Vocabulary::default();
        let product = tokens("G-TECH AIR NUT RIVETER 10MM AN-800");
        // the request names the code compacted: the product's "an", "800", "an-800" are said
        let q: Vec<String> = ["air", "nut", "riveter", "10mm", "g", "tech", "an800"]
            .iter()
            .map(|t| t.to_string())
            .collect();
        let s = score(&q, &product, &v, &HashMap::new());
        assert!(s > 0.99, "{s}");
    }

    #[test]
    fn the_runs_of_a_code_are_found_with_it() {
        let v = Vocabulary::default();
        let q: Vec<String> = ["fujida", "aws68", "aws", "68"].iter().map(|t| t.to_string()).collect();
        // the product that writes the code joined explains its runs too
        assert!(score(&q, &tokens("FUJIDA AWS68"), &v, &HashMap::new()) > 0.99);
        assert!(is_run_of("aws", "aws68") && is_run_of("68", "aws68"));
        assert!(!is_run_of("ws", "aws68") && !is_run_of("6", "aws68"));
    }

    #[test]
    fn a_metric_thread_is_its_diameter() {
        assert_eq!(thread_equivalent("m5").as_deref(), Some("5mm"));
        assert_eq!(thread_equivalent("m12").as_deref(), Some("12mm"));
        for t in ["m", "m05", "m1", "m100", "mx5", "m5a"] {
            assert_eq!(thread_equivalent(t), None, "{t}");
        }
        let v = vocabulary_of(&["G-TECH AIR NUT RIVETER 5MM AN-800", "G-TECH AIR NUT RIVETER 6MM AN-800"]);
        let q: Vec<String> = tokens("G-Tech air nut riveter M5 AN-800");
        let five = score(&q, &tokens("G-TECH AIR NUT RIVETER 5MM AN-800"), &v, &HashMap::new());
        let six = score(&q, &tokens("G-TECH AIR NUT RIVETER 6MM AN-800"), &v, &HashMap::new());
        assert!(five > six, "{five} {six}");
    }

    #[test]
    fn a_code_written_apart_in_the_product_is_found_by_its_runs() {
        let v = vocabulary_of(&[
            "BL BRAKE OIL DOT 4 - 1L",
            "CASTROL BRAKE FLUID (DOT4) 1L",
            "BL BRAKE OIL DOT 3 - 1L",
        ]);
        let none = HashMap::new();
        let missed = |query: &[&str], name: &str| {
            let q: Vec<String> = query.iter().map(|t| t.to_string()).collect();
            let scorer = QueryScorer::new(&q, &v, &none);
            let product = tokens(name);
            let classes: Vec<Option<String>> = product.iter().map(|t| attribute_class(t)).collect();
            scorer.parts(&product_terms(&product, &classes, &v)).codes_missed
        };
        // "DOT 4" read as the catalog's code "dot4" beside its runs
        let dot4 = ["brake", "oil", "dot4", "dot", "4", "bl"];
        assert_eq!(missed(&dot4, "BL BRAKE OIL DOT 4 - 1L"), 0);
        // not when a run is missing: DOT 3 is another fluid
        assert!(missed(&dot4, "BL BRAKE OIL DOT 3 - 1L") >= 1);
        // one run of a code is not the code
        assert_eq!(missed(&["kc", "jumbo", "roll", "kc06511"], "KC JUMBO ROLL KC06514"), 1);
    }

    #[test]
    fn a_model_code_after_g_is_no_grit() {
        for grit in ["g24", "g120", "g240", "g1500"] {
            assert_eq!(attribute_class(grit).as_deref(), Some("grit"), "{grit}");
        }
        for code in ["g3001", "g125", "g6000"] {
            assert_eq!(attribute_class(code), None, "{code}");
        }
    }

    /// The vocabulary of a few product names, as the index counts it.
    fn vocabulary_of(names: &[&str]) -> Vocabulary {
        let mut df: HashMap<String, u32> = HashMap::new();
        for n in names {
            for t in tokens(n) {
                *df.entry(t).or_default() += 1;
            }
        }
        Vocabulary::new(df, names.len() as u32)
    }

    /// A size one side writes bare ("KJ404SX-08", "ECOFITZ S1P 41", "blu S") and the other
    /// marks ("size 08", "SIZE 41", "- S") is the same size: the product of that size wins.
    #[test]
    fn a_size_written_bare_or_marked_is_one_size() {
        let names = [
            "KING'S EXECUTIVE SAFETY SHOE KJ404SX-08 WITH TOECAP",
            "KING'S EXECUTIVE SAFETY SHOE KJ404SX-04 WITH TOECAP",
            "SAFETY JOGGER SHOE ECOFITZ BLACK S1P SIZE 41",
            "SAFETY JOGGER SHOE ECOFITZ BLACK S1P SIZE 42",
            "SANDING SPONGE MEDIUM",
            "SANDING SPONGE FINE",
        ];
        let v = vocabulary_of(&names);
        let s = |q: &str, p: &str| score(&tokens(q), &tokens(p), &v, &HashMap::new());
        let q = "executive safety shoe KJ404SX size 08 with toecap";
        assert!(
            s(q, names[0]) > s(q, names[1]) + 0.05,
            "{} {}",
            s(q, names[0]),
            s(q, names[1])
        );
        let q = "Safety Jogger Ecofitz blk S1P 41";
        assert!(
            s(q, names[2]) > s(q, names[3]) + 0.05,
            "{} {}",
            s(q, names[2]),
            s(q, names[3])
        );
        let q = "medium sanding sponge";
        assert!(s(q, names[4]) > 0.95, "{}", s(q, names[4]));
    }

    /// "wipes 70s" is the pack of 70 the catalog writes "70'S".
    #[test]
    fn a_count_without_its_apostrophe() {
        let names = ["GLASS WIPES 70'S", "GLASS WIPES 30'S"];
        let v = vocabulary_of(&names);
        let s = |p: &str| score(&tokens("glass wipes 70s"), &tokens(p), &v, &HashMap::new());
        assert!(
            s(names[0]) > 0.95 && s(names[1]) < 0.6 * s(names[0]),
            "{} {}",
            s(names[0]),
            s(names[1])
        );
    }
}
