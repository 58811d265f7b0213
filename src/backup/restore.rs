//! `horme restore FILE`: a backup into the configured database, then the migrations this
//! binary has and the backup lacks.
//!
//! Everything that can be checked is checked before the database is touched: the archive is
//! readable by this pg_restore, it is a Horme database, its migrations are all known to this
//! binary, the server is not older than the one it came from, and nobody else is connected.
//! A database that holds anything is only replaced with `--force`. pg_restore runs in one
//! transaction: a failure restores nothing.

use std::path::{Path, PathBuf};

use secrecy::ExposeSecret;
use serde_json::json;
use sqlx::{PgConnection, PgPool};

use super::archive::{self, ArchiveInfo};
use super::tools::{self, PgTools};
use super::{BackupError, conninfo};
use crate::config::DatabaseSettings;
use crate::db::MIGRATOR;

#[derive(Debug, Clone)]
pub struct RestoreReport {
    pub path: PathBuf,
    /// The database URL, password redacted.
    pub database: String,
    pub archive: ArchiveInfo,
    /// The database held something that `--force` removed first.
    pub replaced: bool,
    /// Migrations applied after the restore (the backup was older than this binary).
    pub migrations_applied: Vec<i64>,
    pub quotations: i64,
    /// The highest quotation number: the next one continues from it.
    pub last_number: Option<String>,
}

/// Restores `path` into the configured database; `actor` is written to the audit log.
#[tracing::instrument(skip_all, fields(path = %path.display()))]
pub async fn restore(
    db: &DatabaseSettings,
    tools: &PgTools,
    path: &Path,
    force: bool,
    actor: &str,
) -> Result<RestoreReport, BackupError> {
    std::fs::File::open(path).map_err(BackupError::io(path))?;
    let url = db.url.expose_secret();
    let conn = conninfo::split(url)?;
    let single = DatabaseSettings {
        max_connections: 1,
        ..db.clone()
    };
    let pool = crate::db::connect(&single).await?;
    let mut c = pool.acquire().await?;
    let server = tools::server_version(&mut c).await?;
    let pg_restore = tools.version("pg_restore", Some(server.major)).await?;
    let info = archive::inspect(tools, path, &pg_restore).await?;
    if !info.has_migrations_table {
        return Err(BackupError::NotHorme(path.to_path_buf()));
    }
    if let Some(from) = &info.dumped_from
        && from.major > server.major
    {
        return Err(BackupError::ServerTooOld {
            from: from.clone(),
            server,
        });
    }
    let unknown: Vec<i64> = archive::migrations(tools, path)
        .await?
        .into_iter()
        .filter(|v| !MIGRATOR.version_exists(*v))
        .collect();
    if !unknown.is_empty() {
        return Err(BackupError::NewerSchema { versions: unknown });
    }
    check_idle(&mut c).await?;
    let (relations, quotations) = contents(&mut c).await?;
    let replaced = relations > 0;
    if replaced && !force {
        return Err(BackupError::NotEmpty {
            database: crate::config::redacted_url(url),
            relations,
            quotations,
        });
    }
    if replaced {
        clear(&mut c).await?;
        tracing::warn!(
            relations,
            quotations,
            "the database's former contents were removed (--force)"
        );
    }
    drop(c);
    pool.close().await;

    let mut cmd = tools.connected("pg_restore", &conn);
    cmd.args([
        "--no-owner",
        "--no-privileges",
        "--single-transaction",
        "--exit-on-error",
    ])
    .arg(path);
    if let Err(e) = tools::run("pg_restore", cmd, url).await {
        return Err(match e {
            BackupError::ToolFailed { status, stderr, .. } => BackupError::RestoreFailed {
                status,
                stderr,
                emptied: replaced,
            },
            other => other,
        });
    }

    // New connections: the schema changed under anything a connection had cached.
    let pool = crate::db::connect(&single).await?;
    let before = applied(&pool).await?;
    crate::db::migrate(&pool).await?;
    let migrations_applied: Vec<i64> = applied(&pool)
        .await?
        .into_iter()
        .filter(|v| !before.contains(v))
        .collect();
    let mut c = pool.acquire().await?;
    record(&mut c, path, &info, replaced, &migrations_applied, actor).await?;
    let quotations: i64 = sqlx::query_scalar("select count(*) from quotations")
        .fetch_one(&mut *c)
        .await?;
    let last_number: Option<String> =
        sqlx::query_scalar("select base_number from quotations order by base_number desc limit 1")
            .fetch_optional(&mut *c)
            .await?;
    drop(c);
    pool.close().await;
    tracing::info!(replaced, migrations = migrations_applied.len(), "backup restored");
    Ok(RestoreReport {
        path: path.to_path_buf(),
        database: crate::config::redacted_url(url),
        archive: info,
        replaced,
        migrations_applied,
        quotations,
        last_number,
    })
}

/// Refuses while other clients (a running `horme serve`, a psql) use the database.
async fn check_idle(c: &mut PgConnection) -> Result<(), BackupError> {
    let (sessions, applications, database): (i64, String, String) = sqlx::query_as(
        r#"select count(*), coalesce(string_agg(distinct coalesce(nullif(application_name, ''), 'unnamed'), ', '), ''),
                  current_database()::text
           from pg_stat_activity
           where datname = current_database() and pid <> pg_backend_pid() and backend_type = 'client backend'"#,
    )
    .fetch_one(c)
    .await?;
    if sessions > 0 {
        return Err(BackupError::InUse {
            database,
            sessions,
            applications,
        });
    }
    Ok(())
}

/// Tables, views and sequences outside the system schemas (extension members not counted),
/// and the quotations among them.
async fn contents(c: &mut PgConnection) -> Result<(i64, i64), BackupError> {
    let relations: i64 = sqlx::query_scalar(
        r#"select count(*) from pg_class c join pg_namespace n on n.oid = c.relnamespace
           where c.relkind in ('r', 'p', 'v', 'm', 'S', 'f')
             and n.nspname not in ('pg_catalog', 'information_schema')
             and n.nspname not like 'pg\_toast%' and n.nspname not like 'pg\_temp%'
             and not exists (select 1 from pg_depend d where d.classid = 'pg_class'::regclass
                             and d.objid = c.oid and d.deptype = 'e')"#,
    )
    .fetch_one(&mut *c)
    .await?;
    let has_quotations: bool = sqlx::query_scalar("select to_regclass('public.quotations') is not null")
        .fetch_one(&mut *c)
        .await?;
    let quotations: i64 = if has_quotations {
        sqlx::query_scalar("select count(*) from public.quotations")
            .fetch_one(&mut *c)
            .await?
    } else {
        0
    };
    Ok((relations, quotations))
}

/// Removes everything in the `public` schema (where Horme keeps its tables).
async fn clear(c: &mut PgConnection) -> Result<(), BackupError> {
    let mut tx = sqlx::Connection::begin(c).await?;
    sqlx::query("drop schema if exists public cascade")
        .execute(&mut *tx)
        .await?;
    sqlx::query("create schema public").execute(&mut *tx).await?;
    tx.commit().await?;
    Ok(())
}

async fn applied(pool: &PgPool) -> Result<Vec<i64>, sqlx::Error> {
    sqlx::query_scalar("select version from _sqlx_migrations where success order by version")
        .fetch_all(pool)
        .await
}

async fn record(
    c: &mut PgConnection,
    path: &Path,
    info: &ArchiveInfo,
    replaced: bool,
    migrations_applied: &[i64],
    actor: &str,
) -> Result<(), sqlx::Error> {
    let database: String = sqlx::query_scalar("select current_database()::text")
        .fetch_one(&mut *c)
        .await?;
    let detail = json!({
        "archive": path.file_name().map(|n| n.to_string_lossy().into_owned()),
        "archive_created_at": info.created_at,
        "dumped_by": info.dumped_by.as_ref().map(ToString::to_string),
        "dumped_from": info.dumped_from.as_ref().map(ToString::to_string),
        "replaced_contents": replaced,
        "migrations_applied": migrations_applied,
    });
    crate::audit::record(
        c,
        crate::audit::Entry {
            entity: "database",
            entity_id: &database,
            action: "restored",
            actor,
            channel: "cli",
            detail,
        },
    )
    .await
}
