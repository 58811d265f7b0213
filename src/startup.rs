//! The application context shared by the CLI, the HTTP server and the workers.

use std::sync::{Arc, RwLock};

use sqlx::PgPool;

use crate::catalog::vocabulary::Vocabulary;
use crate::config::Settings;
use crate::pipeline::matching::MatchPolicy;
use crate::pipeline::text::Limits;

#[derive(Clone)]
pub struct App {
    pub pool: PgPool,
    pub settings: Arc<Settings>,
    vocabulary: Arc<RwLock<Arc<Vocabulary>>>,
}

impl App {
    /// Connects, optionally migrates, and loads the search vocabulary.
    pub async fn start(settings: Settings, migrate: bool) -> Result<Self, crate::db::DbError> {
        let pool = crate::db::connect(&settings.database).await?;
        if migrate {
            crate::db::migrate(&pool).await?;
        }
        Self::with_pool(pool, settings).await
    }

    pub async fn with_pool(pool: PgPool, settings: Settings) -> Result<Self, crate::db::DbError> {
        let vocab = Vocabulary::load(&pool)
            .await
            .map_err(|source| crate::db::DbError::Connect {
                url: "(loading the search vocabulary)".into(),
                source,
            })?;
        Ok(Self {
            pool,
            settings: Arc::new(settings),
            vocabulary: Arc::new(RwLock::new(Arc::new(vocab))),
        })
    }

    /// The current vocabulary (cheap: an `Arc` clone).
    pub fn vocabulary(&self) -> Arc<Vocabulary> {
        self.vocabulary.read().map(|v| Arc::clone(&v)).unwrap_or_default()
    }

    /// Reloads the vocabulary after a catalog change.
    pub async fn reload_vocabulary(&self) -> Result<(), sqlx::Error> {
        let fresh = Arc::new(Vocabulary::load(&self.pool).await?);
        if let Ok(mut v) = self.vocabulary.write() {
            *v = fresh;
        }
        Ok(())
    }

    pub fn limits(&self) -> Limits {
        let p = &self.settings.pipeline;
        Limits {
            max_document_bytes: p.max_document_bytes,
            max_text_bytes: p.max_text_bytes,
            max_pdf_pages: p.max_pdf_pages,
        }
    }

    pub fn match_policy(&self) -> MatchPolicy {
        let m = &self.settings.matching;
        MatchPolicy {
            review_threshold: m.review_threshold,
            unmatched_threshold: m.unmatched_threshold,
            max_alternatives: m.max_alternatives,
        }
    }
}
