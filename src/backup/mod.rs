//! Backups of the whole database and restores of them (`horme backup FILE`, `horme restore
//! FILE`), with the PostgreSQL client tools: `pg_dump --format=custom` and `pg_restore`.
//!
//! Everything Horme keeps is in PostgreSQL — the raw mail (`inbound_messages.raw`), the
//! documents' bytes (`documents.content`), the rendered PDFs (`quotations.pdf`), the
//! quotation counters, the audit log — so one dump is the whole state; the configuration,
//! the secrets and a `company.templates_dir` live outside it. The database password reaches
//! the tools through their environment only (`conninfo`).

pub mod archive;
pub mod conninfo;
pub mod dump;
pub mod restore;
pub mod tools;

use std::path::PathBuf;

pub use dump::{BackupReport, backup};
pub use restore::{RestoreReport, restore};
pub use tools::PgTools;

/// Why a backup or a restore did not happen (or did not finish).
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error(
        "{tool} not found {searched}: install the PostgreSQL client tools{} or name their directory with --pg-bin (HORME_PG_BIN)",
        client_hint(.server_major)
    )]
    ToolMissing {
        tool: &'static str,
        searched: String,
        server_major: Option<u32>,
    },
    #[error(
        "{tool} {tool_version} {problem}; use the client tools of PostgreSQL {needed} or newer (--pg-bin DIR, e.g. /usr/lib/postgresql/{needed}/bin)"
    )]
    ToolTooOld {
        tool: &'static str,
        tool_version: String,
        problem: String,
        needed: u32,
    },
    #[error("the backup comes from PostgreSQL {from} and this server runs {server}: restore it into a server of version {} or newer", .from.major)]
    ServerTooOld {
        from: tools::PgVersion,
        server: tools::PgVersion,
    },
    #[error("{tool} failed ({status}): {stderr}")]
    ToolFailed {
        tool: &'static str,
        status: String,
        stderr: String,
    },
    #[error(
        "pg_restore failed ({status}): {stderr}. Nothing of the backup was restored (it runs in one transaction){}",
        emptied_note(.emptied)
    )]
    RestoreFailed {
        status: String,
        stderr: String,
        emptied: bool,
    },
    #[error(
        "database.url carries an sslpassword, which pg_dump and pg_restore could only get on their command line; \
         use a client key without a passphrase for backups"
    )]
    SslPassword,
    #[error("{0} exists already: name a new file, or pass --overwrite to replace it")]
    Exists(PathBuf),
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{0} is not a Horme backup (it has no _sqlx_migrations table): nothing was restored")]
    NotHorme(PathBuf),
    #[error(
        "the backup holds migrations this horme does not know ({}): it was made by a newer version; restore it with that version. Nothing was restored",
        .versions.iter().map(i64::to_string).collect::<Vec<_>>().join(", ")
    )]
    NewerSchema { versions: Vec<i64> },
    #[error(
        "database {database} is not empty ({relations} tables and sequences{}): a restore replaces everything in it. \
         Back it up first (horme backup FILE), then run the restore with --force; or restore into a new, empty database",
        quotations_note(.quotations)
    )]
    NotEmpty {
        database: String,
        relations: i64,
        quotations: i64,
    },
    #[error(
        "{sessions} other session(s) are connected to database {database} ({applications}): stop horme serve and worker (and other clients) before restoring"
    )]
    InUse {
        database: String,
        sessions: i64,
        applications: String,
    },
    #[error("{0}")]
    Unexpected(String),
    #[error(transparent)]
    Db(#[from] crate::db::DbError),
    #[error("database error: {0}")]
    Sql(#[from] sqlx::Error),
}

fn client_hint(server_major: &Option<u32>) -> String {
    server_major
        .map(|m| format!(" of the server's major version (Debian: apt-get install postgresql-client-{m})"))
        .unwrap_or_default()
}

fn emptied_note(emptied: &bool) -> &'static str {
    if *emptied {
        "; the database's former contents had been removed (--force), so it is empty now"
    } else {
        ""
    }
}

fn quotations_note(quotations: &i64) -> String {
    if *quotations > 0 {
        format!(", {quotations} quotations")
    } else {
        String::new()
    }
}

impl BackupError {
    fn io(path: &std::path::Path) -> impl FnOnce(std::io::Error) -> Self + '_ {
        move |source| Self::Io {
            path: path.to_path_buf(),
            source,
        }
    }
}
