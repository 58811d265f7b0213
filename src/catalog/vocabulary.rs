//! Document frequencies of search terms, cached per process: the weights that make a rare
//! part number count for more than "safety" or "shoe".

use std::collections::HashMap;

use sqlx::PgPool;

#[derive(Debug, Clone, Default)]
pub struct Vocabulary {
    df: HashMap<String, u32>,
    products: u32,
}

impl Vocabulary {
    pub fn new(df: HashMap<String, u32>, products: u32) -> Self {
        Self { df, products }
    }

    /// Loads the whole term table (a few hundred thousand rows even at a million products).
    #[tracing::instrument(skip_all)]
    pub async fn load(pool: &PgPool) -> Result<Self, sqlx::Error> {
        let products = sqlx::query_scalar!(r#"select count(*) as "n!" from products where active"#)
            .fetch_one(pool)
            .await?;
        let rows = sqlx::query!("select term, df from search_terms")
            .fetch_all(pool)
            .await?;
        let df = rows.into_iter().map(|r| (r.term, r.df.max(1) as u32)).collect();
        Ok(Self::new(df, products.max(0) as u32))
    }

    pub fn products(&self) -> u32 {
        self.products
    }

    pub fn df(&self, term: &str) -> u32 {
        self.df.get(term).copied().unwrap_or(0)
    }

    pub fn contains(&self, term: &str) -> bool {
        self.df.contains_key(term)
    }

    /// Inverse document frequency, smoothed: terms the catalog never uses weigh the most.
    pub fn idf(&self, term: &str) -> f64 {
        let n = f64::from(self.products.max(1));
        let df = f64::from(self.df(term));
        ((n + 1.0) / (df + 1.0)).ln() + 1.0
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
    }
}
