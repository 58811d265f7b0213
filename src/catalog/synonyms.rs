//! Synonyms that staff can extend ("s/s" = "stainless steel", "galvanized" = "galvanised"):
//! a phrase is rewritten to its replacement on both sides of a match, in catalog names when
//! the search index is built and in requested descriptions, so that either spelling finds the
//! other. Stored in PostgreSQL; every change bumps the catalog version so that running
//! workers rebuild their index. The default trade dictionary (`deploy/synonyms/trade.csv`) is
//! a CSV file of such rules, loaded with [`import_file`] like any list staff write.

use std::collections::HashMap;
use std::path::Path;

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
    /// For each first word, the rules that start with it, in `rules`' order: a word is
    /// compared with its own few rules, not with every rule (this runs for every catalog name
    /// and every requested line).
    by_first: HashMap<String, Vec<usize>>,
}

#[derive(Debug, thiserror::Error)]
pub enum SynonymError {
    #[error("a synonym needs a phrase and a replacement that normalise to words (got {0:?})")]
    Empty(String),
    #[error("the phrase {0:?} is not a synonym")]
    NotFound(String),
    #[error("{file}: row {row}: {reason}")]
    File { file: String, row: usize, reason: String },
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
        let mut by_first: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, r) in rules.iter().enumerate() {
            by_first.entry(r.phrase[0].clone()).or_default().push(i);
        }
        Self { rules, by_first }
    }

    pub fn len(&self) -> usize {
        self.rules.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// The tokens with every phrase replaced (one left-to-right pass: a replacement is never
    /// rewritten again, so rules cannot loop).
    /// Whether a rule rewrites this word on its own ("dustpan" → "dust pan").
    pub fn rewrites_word(&self, word: &str) -> bool {
        self.by_first
            .get(word)
            .is_some_and(|rules| rules.iter().any(|k| self.rules[*k].phrase.len() == 1))
    }

    pub fn apply(&self, tokens: Vec<String>) -> Vec<String> {
        if self.rules.is_empty() {
            return tokens;
        }
        let mut out = Vec::with_capacity(tokens.len() + 2);
        let mut i = 0;
        'outer: while i < tokens.len() {
            for r in self
                .by_first
                .get(&tokens[i])
                .into_iter()
                .flatten()
                .map(|k| &self.rules[*k])
            {
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

    /// Per token, whether a phrase of several words covers it where it stands ("specs" in
    /// "safety specs"): such a word is read as the phrase has it, not in the catalog's number.
    pub fn in_phrase(&self, tokens: &[String]) -> Vec<bool> {
        let mut covered = vec![false; tokens.len()];
        for i in 0..tokens.len() {
            let rules = self.by_first.get(&tokens[i]).into_iter().flatten();
            if let Some(r) = rules
                .map(|k| &self.rules[*k])
                .find(|r| r.phrase.len() > 1 && tokens[i..].starts_with(&r.phrase))
            {
                covered[i..i + r.phrase.len()].fill(true);
            }
        }
        covered
    }

    pub async fn load(db: impl sqlx::PgExecutor<'_>) -> Result<Self, sqlx::Error> {
        let rows = sqlx::query!("select phrase, replacement from synonyms")
            .fetch_all(db)
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

/// Adds or replaces synonyms (phrase → replacement), then announces the catalog change. A
/// phrase given twice keeps its last replacement, as if the rows were added one by one.
pub async fn upsert(pool: &PgPool, pairs: &[(String, String)]) -> Result<usize, SynonymError> {
    for (p, r) in pairs {
        if normalize::tokens(p).is_empty() || normalize::tokens(r).is_empty() {
            return Err(SynonymError::Empty(format!("{p} = {r}")));
        }
    }
    let mut last: std::collections::HashMap<String, String> = std::collections::HashMap::new();
    for (p, r) in pairs {
        last.insert(p.trim().to_lowercase(), r.trim().to_lowercase());
    }
    let (phrases, replacements): (Vec<String>, Vec<String>) = last.into_iter().unzip();
    let mut tx = pool.begin().await?;
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

/// The (phrase, replacement) rows of a CSV file with the columns phrase,replacement; a header
/// row is skipped and further columns are ignored.
pub fn read_file(file: &Path) -> Result<Vec<(String, String)>, SynonymError> {
    let failed = |row: usize, reason: String| SynonymError::File {
        file: file.display().to_string(),
        row,
        reason,
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_path(file)
        .map_err(|e| failed(0, e.to_string()))?;
    let mut pairs = Vec::new();
    for (i, row) in reader.records().enumerate() {
        let row = row.map_err(|e| failed(i + 1, e.to_string()))?;
        let (Some(p), Some(r)) = (row.get(0), row.get(1)) else {
            return Err(failed(i + 1, "expected phrase,replacement".into()));
        };
        if i == 0 && p.trim().eq_ignore_ascii_case("phrase") {
            continue;
        }
        pairs.push((p.trim().to_string(), r.trim().to_string()));
    }
    Ok(pairs)
}

/// Adds every rule of a CSV file (see [`read_file`]); returns how many were stored.
pub async fn import_file(pool: &PgPool, file: &Path) -> Result<usize, SynonymError> {
    let pairs = read_file(file)?;
    upsert(pool, &pairs).await
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
    fn files_skip_the_header_and_name_the_bad_row() {
        let dir = tempfile::tempdir().expect("tempdir");
        let good = dir.path().join("good.csv");
        std::fs::write(
            &good,
            "phrase,replacement\n S/S ,stainless steel\ncaster,castor,castors & wheels\n",
        )
        .expect("write");
        assert_eq!(
            read_file(&good).expect("read"),
            [
                ("S/S".to_string(), "stainless steel".to_string()),
                ("caster".to_string(), "castor".to_string())
            ]
        );
        let bad = dir.path().join("bad.csv");
        std::fs::write(&bad, "hd,heavy duty\nlonely\n").expect("write");
        let err = read_file(&bad).expect_err("a row without replacement");
        assert!(err.to_string().contains("row 2"), "{err}");
    }

    #[test]
    fn empty_rules_are_ignored() {
        let s = Synonyms::new([("®", "x"), ("a", "a")]);
        assert!(s.is_empty());
    }
}
