//! The search terms of the catalog with their document frequencies: the weights that make a
//! rare part number count for more than "safety" or "shoe". Terms are interned: the catalog
//! index refers to them by id.

use std::collections::HashMap;

#[derive(Debug, Clone, Default)]
pub struct Vocabulary {
    ids: HashMap<Box<str>, u32>,
    terms: Vec<Box<str>>,
    df: Vec<u32>,
    products: u32,
}

impl Vocabulary {
    /// A vocabulary from term frequencies (tests, and tools that count terms themselves).
    pub fn new(df: HashMap<String, u32>, products: u32) -> Self {
        let mut v = Self::default();
        let mut terms: Vec<(String, u32)> = df.into_iter().collect();
        terms.sort();
        for (t, n) in terms {
            let id = v.intern(&t);
            v.df[id as usize] = n;
        }
        v.products = products;
        v
    }

    /// The id of `term`, adding it (with frequency 0) when new.
    pub(crate) fn intern(&mut self, term: &str) -> u32 {
        if let Some(id) = self.ids.get(term) {
            return *id;
        }
        let id = u32::try_from(self.terms.len()).unwrap_or(u32::MAX);
        self.ids.insert(term.into(), id);
        self.terms.push(term.into());
        self.df.push(0);
        id
    }

    /// Counts one more product that uses the term `id`.
    pub(crate) fn count(&mut self, id: u32) {
        if let Some(n) = self.df.get_mut(id as usize) {
            *n += 1;
        }
    }

    pub(crate) fn set_products(&mut self, products: u32) {
        self.products = products;
    }

    pub fn id(&self, term: &str) -> Option<u32> {
        self.ids.get(term).copied()
    }

    pub fn term(&self, id: u32) -> &str {
        self.terms.get(id as usize).map_or("", |t| t)
    }

    pub fn len(&self) -> usize {
        self.terms.len()
    }

    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    pub fn products(&self) -> u32 {
        self.products
    }

    pub fn df(&self, term: &str) -> u32 {
        self.id(term).map_or(0, |id| self.df[id as usize])
    }

    /// A term some active product uses.
    pub fn contains(&self, term: &str) -> bool {
        self.df(term) > 0
    }

    /// Inverse document frequency, smoothed: terms the catalog never uses weigh the most.
    pub fn idf(&self, term: &str) -> f64 {
        self.idf_of_df(self.df(term))
    }

    pub fn idf_id(&self, id: u32) -> f64 {
        self.idf_of_df(self.df.get(id as usize).copied().unwrap_or(0))
    }

    fn idf_of_df(&self, df: u32) -> f64 {
        let n = f64::from(self.products.max(1));
        ((n + 1.0) / (f64::from(df) + 1.0)).ln() + 1.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rare_terms_weigh_more() {
        let v = Vocabulary::new(
            [("shoe".to_string(), 900), ("dvc151lz".to_string(), 1)]
                .into_iter()
                .collect(),
            1000,
        );
        assert!(v.idf("dvc151lz") > v.idf("shoe"));
        assert!(v.idf("neverseen") > v.idf("dvc151lz"));
        assert!(v.idf("shoe") >= 1.0);
        assert_eq!(v.idf_id(v.id("shoe").expect("id")), v.idf("shoe"));
    }

    #[test]
    fn interning_is_stable() {
        let mut v = Vocabulary::default();
        let a = v.intern("disc");
        let b = v.intern("wheel");
        assert_eq!(v.intern("disc"), a);
        assert_ne!(a, b);
        assert_eq!(v.term(b), "wheel");
        assert!(!v.contains("disc"), "interned but no product uses it yet");
        v.count(a);
        assert!(v.contains("disc"));
    }
}
