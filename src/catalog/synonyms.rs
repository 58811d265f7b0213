//! Synonyms that staff can extend ("s/s" = "stainless steel", "galvanized" = "galvanised"):
//! a phrase is rewritten to its replacement on both sides of a match, in catalog names when
//! the search index is built and in requested descriptions, so that either spelling finds the
//! other. Stored in PostgreSQL; every change bumps the catalog version so that running
//! workers rebuild their index.

use sqlx::PgPool;

use crate::catalog::search::normalize;

/// One rewrite rule, in normalised tokens.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Rule {
    phrase: Vec<String>,
    replacement: Vec<String>,
}

#[derive(Debug, Clone, Default)]
pub struct Synonyms {
    /// Longest phrases first, so that "s/s steel" wins over "s/s".
    rules: Vec<Rule>,
}

#[derive(Debug, thiserror::Error)]
pub enum SynonymError {
    #[error("a synonym needs a phrase and a replacement that normalise to words (got {0:?})")]
    Empty(String),
    #[error("the phrase {0:?} is not a synonym")]
    NotFound(String),
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

impl Synonyms {
    /// Rules from (phrase, replacement) pairs as staff wrote them.
    pub fn new<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        let mut rules: Vec<Rule> = pairs
            .into_iter()
            .map(|(p, r)| Rule {
                phrase: normalize::tokens(p),
                replacement: normalize::tokens(r),
            })
            .filter(|r| !r.phrase.is_empty() && !r.replacement.is_empty() && r.phrase != r.replacement)
            .collect();
        rules.sort_by(|a, b| b.phrase.len().cmp(&a.phrase.len()).then(a.phrase.cmp(&b.phrase)));
        rules.dedup_by(|a, b| a.phrase == b.phrase);
        Self { rules }
    }

    pub fn len(&self) -> usize {
        self.rules.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// The tokens with every phrase replaced (one left-to-right pass: a replacement is never
    /// rewritten again, so rules cannot loop).
    pub fn apply(&self, tokens: Vec<String>) -> Vec<String> {
        if self.rules.is_empty() {
            return tokens;
        }
        let mut out = Vec::with_capacity(tokens.len() + 2);
        let mut i = 0;
        'outer: while i < tokens.len() {
            for r in &self.rules {
                if tokens[i..].starts_with(&r.phrase) {
                    out.extend(r.replacement.iter().cloned());
                    i += r.phrase.len();
                    continue 'outer;
                }
            }
            out.push(tokens[i].clone());
            i += 1;
        }
        out
    }

    pub async fn load(pool: &PgPool) -> Result<Self, sqlx::Error> {
        let rows = sqlx::query!("select phrase, replacement from synonyms")
            .fetch_all(pool)
            .await?;
        Ok(Self::new(
            rows.iter().map(|r| (r.phrase.as_str(), r.replacement.as_str())),
        ))
    }
}

/// A synonym as stored.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Entry {
    pub phrase: String,
    pub replacement: String,
}

pub async fn list(pool: &PgPool) -> Result<Vec<Entry>, sqlx::Error> {
    sqlx::query_as!(Entry, "select phrase, replacement from synonyms order by phrase")
        .fetch_all(pool)
        .await
}

/// Adds or replaces synonyms (phrase → replacement), then announces the catalog change.
pub async fn upsert(pool: &PgPool, pairs: &[(String, String)]) -> Result<usize, SynonymError> {
    for (p, r) in pairs {
        if normalize::tokens(p).is_empty() || normalize::tokens(r).is_empty() {
            return Err(SynonymError::Empty(format!("{p} = {r}")));
        }
    }
    let mut tx = pool.begin().await?;
    let phrases: Vec<String> = pairs.iter().map(|(p, _)| p.trim().to_lowercase()).collect();
    let replacements: Vec<String> = pairs.iter().map(|(_, r)| r.trim().to_lowercase()).collect();
    let n = sqlx::query!(
        r#"insert into synonyms (phrase, replacement)
           select * from unnest($1::text[], $2::text[])
           on conflict (phrase) do update set replacement = excluded.replacement"#,
        &phrases,
        &replacements
    )
    .execute(&mut *tx)
    .await?
    .rows_affected();
    super::store::announce_change(&mut tx).await?;
    tx.commit().await?;
    Ok(n as usize)
}

pub async fn remove(pool: &PgPool, phrase: &str) -> Result<(), SynonymError> {
    let mut tx = pool.begin().await?;
    let n = sqlx::query!("delete from synonyms where phrase = $1", phrase.trim().to_lowercase())
        .execute(&mut *tx)
        .await?
        .rows_affected();
    if n == 0 {
        return Err(SynonymError::NotFound(phrase.to_string()));
    }
    super::store::announce_change(&mut tx).await?;
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn apply(s: &Synonyms, text: &str) -> String {
        s.apply(normalize::tokens(text)).join(" ")
    }

    #[test]
    fn both_spellings_meet() {
        let s = Synonyms::new([("s/s", "stainless steel"), ("galvanized", "galvanised")]);
        assert_eq!(
            apply(&s, "CUT OFF WHEEL 100*1.2*16 (FOR S/S CUTTING)"),
            "cut off wheel 100x1.2x16 stainless steel cutting"
        );
        assert_eq!(apply(&s, "Galvanized pipe"), "galvanised pipe");
        assert_eq!(apply(&s, "stainless steel bolt"), "stainless steel bolt");
    }

    #[test]
    fn longest_phrase_first_and_no_loops() {
        let s = Synonyms::new([
            ("ss", "stainless steel"),
            ("ss pipe", "stainless steel pipe"),
            ("steel", "ss"),
        ]);
        assert_eq!(apply(&s, "ss pipe"), "stainless steel pipe");
        // "steel" → "ss" but the "ss" it produced is not rewritten again.
        assert_eq!(apply(&s, "steel"), "ss");
    }

    #[test]
    fn empty_rules_are_ignored() {
        let s = Synonyms::new([("®", "x"), ("a", "a")]);
        assert!(s.is_empty());
    }
}
