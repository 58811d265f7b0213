//! The PostgreSQL pool and the embedded migrations.

use std::time::Duration;

use secrecy::ExposeSecret;
use sqlx::PgPool;
use sqlx::postgres::PgPoolOptions;

use crate::config::DatabaseSettings;

/// Migrations from `migrations/`, compiled into the binary.
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    /// `url` is redacted and `reason` scrubbed of the DSN's passwords: this error is printed.
    #[error("cannot connect to PostgreSQL at {url}: {reason}")]
    Connect { url: String, reason: String },
    #[error("cannot apply migrations: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

/// Opens a pool, failing fast when the server is unreachable.
pub async fn connect(settings: &DatabaseSettings) -> Result<PgPool, DbError> {
    let url = settings.url.expose_secret();
    PgPoolOptions::new()
        .max_connections(settings.max_connections)
        .acquire_timeout(Duration::from_secs(settings.acquire_timeout_seconds))
        .test_before_acquire(settings.test_before_acquire)
        .connect(url)
        .await
        .map_err(|source| DbError::Connect {
            url: crate::config::redacted_url(url),
            reason: crate::config::scrub_dsn_secrets(&source.to_string(), url),
        })
}

/// Applies every pending migration.
pub async fn migrate(pool: &PgPool) -> Result<(), DbError> {
    MIGRATOR.run(pool).await?;
    Ok(())
}
