//! The application context shared by the CLI, the HTTP server and the workers.

use std::sync::{Arc, RwLock};

use sqlx::PgPool;

use crate::catalog::search::index::{self, CatalogIndex};
use crate::config::Settings;
use crate::pipeline::matching::MatchPolicy;
use crate::pipeline::text::Limits;

#[derive(Clone)]
pub struct App {
    pub pool: PgPool,
    pub settings: Arc<Settings>,
    index: Arc<RwLock<Arc<CatalogIndex>>>,
    /// Held while the index is rebuilt, so that concurrent jobs wait for one build.
    rebuilding: Arc<tokio::sync::Mutex<()>>,
    /// The channels' logins as they last went (for `/readyz`).
    pub logins: crate::login_status::LoginStatus,
}

impl App {
    /// Connects and optionally migrates. The search index is built on first use.
    pub async fn start(settings: Settings, migrate: bool) -> Result<Self, crate::db::DbError> {
        let pool = crate::db::connect(&settings.database).await?;
        if migrate {
            crate::db::migrate(&pool).await?;
        }
        Self::with_pool(pool, settings).await
    }

    pub async fn with_pool(pool: PgPool, settings: Settings) -> Result<Self, crate::db::DbError> {
        Ok(Self {
            pool,
            settings: Arc::new(settings),
            index: Arc::new(RwLock::new(Arc::new(CatalogIndex::build([], Default::default(), -1)))),
            rebuilding: Arc::new(tokio::sync::Mutex::new(())),
            logins: crate::login_status::LoginStatus::default(),
        })
    }

    /// The catalog search index at the current catalog version: rebuilt first when an import
    /// or a synonym change happened since it was built (one cheap query when nothing did).
    pub async fn catalog_index(&self) -> Result<Arc<CatalogIndex>, sqlx::Error> {
        let version = index::current_version(&self.pool).await?;
        self.index_at(version).await
    }

    /// The index as built last, without asking PostgreSQL for the catalog version (one is
    /// built first if none was): for a caller that reads the version with its products and
    /// searches again through [`App::index_at`] if they differ.
    pub async fn last_index(&self) -> Result<Arc<CatalogIndex>, sqlx::Error> {
        let current = self.current_index();
        if current.version() >= 0 {
            return Ok(current);
        }
        self.catalog_index().await
    }

    /// The index at catalog version `version` (just read from PostgreSQL): the current one, or
    /// rebuilt.
    pub async fn index_at(&self, version: i64) -> Result<Arc<CatalogIndex>, sqlx::Error> {
        let current = self.current_index();
        if current.version() == version {
            return Ok(current);
        }
        let _guard = self.rebuilding.lock().await;
        let current = self.current_index();
        if current.version() >= version {
            return Ok(current);
        }
        self.rebuild_index().await
    }

    /// Rebuilds the search index from PostgreSQL now (after a `NOTIFY horme_catalog`).
    pub async fn rebuild_index(&self) -> Result<Arc<CatalogIndex>, sqlx::Error> {
        let fresh = Arc::new(CatalogIndex::load(&self.pool).await?);
        if let Ok(mut v) = self.index.write() {
            *v = Arc::clone(&fresh);
        }
        Ok(fresh)
    }

    fn current_index(&self) -> Arc<CatalogIndex> {
        self.index
            .read()
            .map(|v| Arc::clone(&v))
            .unwrap_or_else(|e| Arc::clone(&e.into_inner()))
    }

    pub fn limits(&self) -> Limits {
        Limits::from_settings(&self.settings.pipeline)
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

/// Starts every configured channel for `serve`: the mail pollers, the Telegram receiver, and
/// the one outbox drainer with a sender registered per channel. The tasks end when
/// `shutdown` is cancelled.
pub fn spawn_channels(
    app: &App,
    shutdown: &tokio_util::sync::CancellationToken,
) -> anyhow::Result<tokio::task::JoinSet<()>> {
    let mut registry = crate::outbox::Registry::new();
    // the sender first: a mail configuration that cannot send starts no poller either
    let mail = crate::mail::reply_sender(app)?;
    let mut tasks = crate::mail::spawn_pollers(app, shutdown)?;
    if let Some(mail) = mail {
        registry.register(Arc::new(mail));
    }
    if let Some(bot) = crate::telegram::bot(app)? {
        registry.register(Arc::new(bot.clone()));
        let mut telegram = crate::telegram::spawn(app, bot, shutdown);
        tasks.spawn(async move { while telegram.join_next().await.is_some() {} });
    }
    // Slack's events arrive on the HTTP server (`slack::http`), or over Socket Mode.
    if let Some(slack) = crate::slack::client(app)? {
        registry.register(Arc::new(slack.clone()));
        if app.settings.slack.socket_mode {
            tasks.spawn(crate::slack::socket::run(app.clone(), slack, shutdown.clone()));
        }
    }
    if let Some(bot) = crate::discord::bot(app)? {
        registry.register(Arc::new(bot.clone()));
        let mut discord = crate::discord::spawn(app, bot, shutdown);
        tasks.spawn(async move { while discord.join_next().await.is_some() {} });
    }
    if !registry.is_empty() {
        tasks.spawn(crate::outbox::drain::run_all(app.clone(), registry, shutdown.clone()));
    }
    Ok(tasks)
}
