//! Misspelt or unknown request words mapped onto catalog terms by trigram similarity, the
//! same measure as PostgreSQL's pg_trgm (`similarity()`: shared trigrams over all trigrams of
//! the word padded with two blanks before and one after), over the in-memory vocabulary.

use std::cell::RefCell;
use std::collections::HashMap;

/// pg_trgm's default `similarity_threshold`.
pub const THRESHOLD: f64 = 0.3;

#[derive(Debug, Clone, Default)]
pub struct TrigramIndex {
    /// trigram → ids of the terms that contain it
    postings: HashMap<u64, Vec<u32>>,
    /// number of distinct trigrams per term id
    sizes: Vec<u16>,
}

thread_local! {
    /// Per-thread shared-trigram counters, one per term, reset after each lookup.
    static COUNTS: RefCell<Vec<u16>> = const { RefCell::new(Vec::new()) };
}

/// The distinct trigrams of a word, packed into integers.
pub fn trigrams(word: &str) -> Vec<u64> {
    let chars: Vec<char> = "  ".chars().chain(word.chars()).chain(" ".chars()).collect();
    let mut out: Vec<u64> = chars
        .windows(3)
        .map(|w| (u64::from(w[0]) << 42) | (u64::from(w[1]) << 21) | u64::from(w[2]))
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

impl TrigramIndex {
    /// Indexes the term with id `id` (ids are dense and added in order).
    pub fn add(&mut self, id: u32, term: &str) {
        let grams = trigrams(term);
        let idx = id as usize;
        if self.sizes.len() <= idx {
            self.sizes.resize(idx + 1, 0);
        }
        self.sizes[idx] = u16::try_from(grams.len()).unwrap_or(u16::MAX);
        for g in grams {
            self.postings.entry(g).or_default().push(id);
        }
    }

    /// Up to `limit` term ids most similar to `word` with similarity ≥ `threshold`, best first
    /// (ties by id, for determinism), with their similarity.
    pub fn similar(&self, word: &str, threshold: f64, limit: usize) -> Vec<(u32, f64)> {
        let grams = trigrams(word);
        let n = grams.len() as f64;
        // A term can reach the threshold only with this many trigrams at most.
        let longest = (n / threshold).floor();
        let mut hits: Vec<(u32, f64)> = COUNTS.with(|c| {
            let mut counts = c.borrow_mut();
            if counts.len() < self.sizes.len() {
                counts.resize(self.sizes.len(), 0);
            }
            let mut touched: Vec<u32> = Vec::new();
            for g in &grams {
                for id in self.postings.get(g).map_or(&[][..], Vec::as_slice) {
                    let slot = &mut counts[*id as usize];
                    if *slot == 0 {
                        touched.push(*id);
                    }
                    *slot = slot.saturating_add(1);
                }
            }
            touched
                .into_iter()
                .filter_map(|id| {
                    let common = f64::from(std::mem::take(&mut counts[id as usize]));
                    let other = f64::from(self.sizes[id as usize]);
                    if other > longest {
                        return None;
                    }
                    let s = common / (n + other - common);
                    (s >= threshold).then_some((id, s))
                })
                .collect()
        });
        hits.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        hits.truncate(limit);
        hits
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pg_trgm_compatible_similarity() {
        // pg_trgm: similarity('ginder', 'grinder') = 0.5 (5 shared of 10).
        let mut t = TrigramIndex::default();
        t.add(0, "grinder");
        t.add(1, "gloves");
        let hits = t.similar("ginder", THRESHOLD, 3);
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].0, 0);
        assert!((hits[0].1 - 0.5).abs() < 1e-9, "{hits:?}");
    }

    #[test]
    fn nothing_similar() {
        let mut t = TrigramIndex::default();
        t.add(0, "hammer");
        assert!(t.similar("laptop", THRESHOLD, 3).is_empty());
    }
}
