//! `horme backup FILE` and `horme restore FILE`: the whole database, with pg_dump and
//! pg_restore (see `crate::backup`).

use std::path::PathBuf;

use anyhow::Context;
use clap::Args;

use super::output::human_bytes;
use crate::backup::{self, PgTools};
use crate::config::Settings;

#[derive(Debug, Args)]
pub struct BackupArgs {
    /// The archive to write (pg_dump custom format, readable by its owner only).
    pub file: PathBuf,
    /// Replace FILE when it exists.
    #[arg(long)]
    pub overwrite: bool,
    /// The directory of pg_dump and pg_restore (default: the PATH), e.g. /usr/lib/postgresql/16/bin.
    #[arg(long, value_name = "DIR", env = "HORME_PG_BIN")]
    pub pg_bin: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct RestoreArgs {
    /// An archive written by `horme backup`.
    pub file: PathBuf,
    /// Replace the contents of a database that is not empty.
    #[arg(long)]
    pub force: bool,
    /// Who restores (written to the audit log).
    #[arg(long, value_name = "WHO", default_value = "cli")]
    pub by: String,
    /// The directory of pg_restore (default: the PATH), e.g. /usr/lib/postgresql/16/bin.
    #[arg(long, value_name = "DIR", env = "HORME_PG_BIN")]
    pub pg_bin: Option<PathBuf>,
}

pub async fn backup(settings: Settings, args: BackupArgs) -> anyhow::Result<()> {
    let tools = PgTools::new(args.pg_bin);
    let r = backup::backup(&settings.database, &tools, &args.file, args.overwrite)
        .await
        .context("backing up")?;
    eprintln!(
        "backup of {} written to {} ({}, {} entries; pg_dump {}, PostgreSQL {})",
        r.database,
        r.path.display(),
        human_bytes(r.bytes),
        r.archive.entries,
        r.pg_dump,
        r.server
    );
    eprintln!("not in it: the configuration file, secrets in the environment, company.templates_dir and company.logo");
    Ok(())
}

pub async fn restore(settings: Settings, args: RestoreArgs) -> anyhow::Result<()> {
    let tools = PgTools::new(args.pg_bin);
    let r = backup::restore(&settings.database, &tools, &args.file, args.force, &args.by)
        .await
        .map_err(|e| {
            let hint = match &e {
                backup::BackupError::Db(crate::db::DbError::Connect { reason, .. })
                    if reason.contains("does not exist") =>
                {
                    " (create it first, e.g. createdb -O OWNER NAME, and restore into it)"
                }
                _ => "",
            };
            anyhow::anyhow!("{e}{hint}")
        })
        .context("restoring")?;
    let made = match (&r.archive.created_at, &r.archive.dumped_from) {
        (Some(at), Some(from)) => format!(" (made {at} from PostgreSQL {from})"),
        _ => String::new(),
    };
    eprintln!(
        "{} restored into {}{made}{}",
        r.path.display(),
        r.database,
        if r.replaced {
            ", replacing its former contents"
        } else {
            ""
        }
    );
    if r.migrations_applied.is_empty() {
        eprintln!("the backup's schema is current: no migrations to apply");
    } else {
        eprintln!(
            "{} migrations applied after the restore (the backup was older than this horme)",
            r.migrations_applied.len()
        );
    }
    match r.last_number {
        Some(n) => eprintln!("{} quotations; numbering continues after {n}", r.quotations),
        None => eprintln!("no quotations"),
    }
    Ok(())
}
