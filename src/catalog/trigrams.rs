//! Misspelt or unknown request words mapped onto catalog terms by trigram similarity, the
//! same measure as PostgreSQL's pg_trgm (`similarity()`: shared trigrams over all trigrams of
//! the word padded with two blanks before and one after), over the in-memory vocabulary.

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
        let mut shared: HashMap<u32, u16> = HashMap::new();
        for g in &grams {
            if let Some(ids) = self.postings.get(g) {
                for id in ids {
                    *shared.entry(*id).or_default() += 1;
                }
            }
        }
        let n = grams.len() as f64;
        let mut hits: Vec<(u32, f64)> = shared
            .into_iter()
            .map(|(id, common)| {
                let other = f64::from(self.sizes.get(id as usize).copied().unwrap_or(0));
                let common = f64::from(common);
                (id, common / (n + other - common))
            })
            .filter(|(_, s)| *s >= threshold)
            .collect();
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
