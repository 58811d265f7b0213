//! `Idempotency-Key` of `POST /api/rfps`: a key is scoped to the API token that sent it and
//! bound to the content it first came with. The same key with the same content is the same
//! request (the first answer again, `duplicate: true`); with other content it is a client
//! error (409), never a silent drop of the new content.

use sha2::{Digest, Sha256};
use sqlx::PgPool;

/// What a key means for this request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Claim {
    /// First use, or a repeat with the same content: go on (ingest dedupes the repeat).
    Proceed,
    /// The key was used before with other content.
    Conflict,
}

/// The SHA-256 of a request's content, from its parts in order (length-prefixed, so that
/// moving bytes between parts changes it).
#[derive(Default)]
pub struct ContentHash(Sha256);

impl ContentHash {
    pub fn part(&mut self, name: &str, bytes: &[u8]) {
        for b in [name.as_bytes(), bytes] {
            self.0.update((b.len() as u64).to_be_bytes());
            self.0.update(b);
        }
    }

    pub fn finish(self) -> String {
        hex::encode(self.0.finalize())
    }
}

/// Records `key` for `token_fingerprint` with `content` (a [`ContentHash`]), or compares with
/// what it was first used for.
pub async fn claim(pool: &PgPool, token_fingerprint: &str, key: &str, content: &str) -> Result<Claim, sqlx::Error> {
    let first = sqlx::query_scalar!(
        r#"with ins as (
               insert into http_idempotency (token_fingerprint, key, content_sha256) values ($1, $2, $3)
               on conflict (token_fingerprint, key) do nothing
               returning content_sha256
           )
           select content_sha256 as "c!" from ins
           union all
           select content_sha256 from http_idempotency where token_fingerprint = $1 and key = $2
           limit 1"#,
        token_fingerprint,
        key,
        content
    )
    .fetch_optional(pool)
    .await?;
    // A concurrent first use committed after this statement's snapshot: read it now.
    let first = match first {
        Some(c) => c,
        None => {
            sqlx::query_scalar!(
                "select content_sha256 from http_idempotency where token_fingerprint = $1 and key = $2",
                token_fingerprint,
                key
            )
            .fetch_one(pool)
            .await?
        }
    };
    Ok(if first == content {
        Claim::Proceed
    } else {
        Claim::Conflict
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_hashes_see_every_byte_and_boundary() {
        let h = |parts: &[(&str, &[u8])]| {
            let mut c = ContentHash::default();
            for (n, b) in parts {
                c.part(n, b);
            }
            c.finish()
        };
        assert_eq!(h(&[("file", b"ab")]), h(&[("file", b"ab")]));
        assert_ne!(h(&[("file", b"ab")]), h(&[("file", b"ac")]));
        assert_ne!(
            h(&[("file", b"ab"), ("text", b"")]),
            h(&[("file", b"a"), ("text", b"b")])
        );
    }
}
