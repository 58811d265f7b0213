//! `horme backup FILE`: the whole database into one custom-format archive.
//!
//! pg_dump reads one consistent snapshot, so a backup may run while `horme serve` works. The
//! archive is written beside FILE under a temporary name, readable by its owner only (it
//! holds customers' mail), checked with `pg_restore --list`, synced and only then renamed to
//! FILE: a failed or interrupted backup never leaves a file that looks like a backup.

use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

use secrecy::ExposeSecret;

use super::archive::{self, ArchiveInfo};
use super::tools::{self, PgTools, PgVersion};
use super::{BackupError, conninfo};
use crate::config::DatabaseSettings;

#[derive(Debug, Clone)]
pub struct BackupReport {
    pub path: PathBuf,
    pub bytes: u64,
    /// The database URL, password redacted.
    pub database: String,
    pub server: PgVersion,
    pub pg_dump: PgVersion,
    /// The archive as pg_restore reads it back.
    pub archive: ArchiveInfo,
}

/// Dumps the configured database into `path`.
#[tracing::instrument(skip_all, fields(path = %path.display()))]
pub async fn backup(
    db: &DatabaseSettings,
    tools: &PgTools,
    path: &Path,
    overwrite: bool,
) -> Result<BackupReport, BackupError> {
    if path.exists() && !overwrite {
        return Err(BackupError::Exists(path.to_path_buf()));
    }
    let url = db.url.expose_secret();
    let conn = conninfo::split(url)?;
    let pool = crate::db::connect(db).await?;
    let server = tools::server_version(&mut *pool.acquire().await?).await?;
    pool.close().await;
    let pg_dump = tools.version("pg_dump", Some(server.major)).await?;
    if pg_dump.major < server.major {
        return Err(BackupError::ToolTooOld {
            tool: "pg_dump",
            tool_version: pg_dump.text.clone(),
            problem: format!("cannot dump a PostgreSQL {server} server"),
            needed: server.major,
        });
    }
    let pg_restore = tools.version("pg_restore", Some(server.major)).await?;

    let partial = partial_path(path);
    create_private(&partial).map_err(BackupError::io(path))?;
    let result = async {
        let mut cmd = tools.connected("pg_dump", &conn);
        cmd.arg("--format=custom").arg(format!("--file={}", partial.display()));
        tools::run("pg_dump", cmd, url).await?;
        let archive = archive::inspect(tools, &partial, &pg_restore).await?;
        sync_file(&partial)?;
        Ok::<_, BackupError>(archive)
    }
    .await;
    let archive = match result {
        Ok(a) => a,
        Err(e) => {
            let _ = std::fs::remove_file(&partial);
            return Err(e);
        }
    };
    std::fs::rename(&partial, path).map_err(BackupError::io(path))?;
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        // the rename itself survives a crash only once the directory is synced
        let _ = std::fs::File::open(dir).and_then(|d| d.sync_all());
    }
    let bytes = std::fs::metadata(path).map_err(BackupError::io(path))?.len();
    tracing::info!(bytes, entries = archive.entries, "backup written");
    Ok(BackupReport {
        path: path.to_path_buf(),
        bytes,
        database: crate::config::redacted_url(url),
        server,
        pg_dump,
        archive,
    })
}

/// `DIR/.NAME.partial-PID`, beside the target so that the final rename stays on one
/// file system.
fn partial_path(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.with_file_name(format!(".{name}.partial-{}", std::process::id()))
}

/// Creates an empty file only its owner may read: pg_dump then writes into it (truncating,
/// keeping the mode).
fn create_private(path: &Path) -> std::io::Result<()> {
    let _ = std::fs::remove_file(path);
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)?
        .flush()
}

fn sync_file(path: &Path) -> Result<(), BackupError> {
    std::fs::File::open(path)
        .and_then(|f| f.sync_all())
        .map_err(BackupError::io(path))
}
