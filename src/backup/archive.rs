//! What a custom-format archive holds, read with `pg_restore` before anything is restored:
//! who made it (the versions of pg_dump and of the server it came from), whether it is a
//! Horme database, and which migrations it had applied.

use std::path::Path;

use super::BackupError;
use super::tools::{self, PgTools, PgVersion};

/// The header and contents of an archive (`pg_restore --list`).
#[derive(Debug, Clone)]
pub struct ArchiveInfo {
    pub dumped_from: Option<PgVersion>,
    pub dumped_by: Option<PgVersion>,
    pub created_at: Option<String>,
    /// Entries of its table of contents.
    pub entries: usize,
    /// Whether it holds the `_sqlx_migrations` table (a Horme database).
    pub has_migrations_table: bool,
}

/// Reads the archive's table of contents. An archive this pg_restore cannot read (damaged,
/// or made by a newer pg_dump) is an error saying so.
pub async fn inspect(tools: &PgTools, path: &Path, pg_restore: &PgVersion) -> Result<ArchiveInfo, BackupError> {
    let mut cmd = tools.command("pg_restore");
    cmd.arg("--list").arg(path);
    let listing = match tools::run("pg_restore", cmd, "").await {
        Ok(out) => String::from_utf8_lossy(&out).into_owned(),
        Err(BackupError::ToolFailed { stderr, .. }) if stderr.contains("unsupported version") => {
            return Err(BackupError::ToolTooOld {
                tool: "pg_restore",
                tool_version: pg_restore.text.clone(),
                problem: format!("cannot read {}, made by a newer pg_dump ({stderr})", path.display()),
                needed: pg_restore.major + 1,
            });
        }
        Err(e) => return Err(e),
    };
    let info = parse_listing(&listing);
    if let Some(by) = &info.dumped_by
        && by.major > pg_restore.major
    {
        return Err(BackupError::ToolTooOld {
            tool: "pg_restore",
            tool_version: pg_restore.text.clone(),
            problem: format!("is older than the pg_dump {by} that made {}", path.display()),
            needed: by.major,
        });
    }
    Ok(info)
}

fn parse_listing(listing: &str) -> ArchiveInfo {
    let header = |label: &str| {
        listing
            .lines()
            .filter_map(|l| l.strip_prefix(';'))
            .find_map(|l| l.trim().strip_prefix(label).map(|v| v.trim().to_string()))
    };
    let entries: Vec<&str> = listing
        .lines()
        .filter(|l| !l.starts_with(';') && !l.trim().is_empty())
        .collect();
    ArchiveInfo {
        dumped_from: header("Dumped from database version:").and_then(|v| PgVersion::parse(&v)),
        dumped_by: header("Dumped by pg_dump version:").and_then(|v| PgVersion::parse(&v)),
        created_at: header("Archive created at"),
        entries: entries.len(),
        has_migrations_table: entries.iter().any(|l| l.contains(" TABLE public _sqlx_migrations ")),
    }
}

/// The migration versions the archived database had applied (the data of its
/// `_sqlx_migrations` table, read without restoring anything).
pub async fn migrations(tools: &PgTools, path: &Path) -> Result<Vec<i64>, BackupError> {
    let mut cmd = tools.command("pg_restore");
    cmd.args(["--data-only", "--table=_sqlx_migrations", "--file=-"])
        .arg(path);
    let sql = tools::run("pg_restore", cmd, "").await?;
    Ok(parse_copy_versions(&String::from_utf8_lossy(&sql)))
}

/// The first column of the rows of the `COPY … FROM stdin` block of `_sqlx_migrations`.
fn parse_copy_versions(sql: &str) -> Vec<i64> {
    let mut out = Vec::new();
    let mut in_copy = false;
    for line in sql.lines() {
        if line.starts_with("COPY ") && line.contains("_sqlx_migrations") {
            in_copy = true;
        } else if in_copy && line == "\\." {
            in_copy = false;
        } else if in_copy && let Some(v) = line.split('\t').next().and_then(|v| v.parse().ok()) {
            out.push(v);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const LISTING: &str = ";
; Archive created at 2026-12-03 10:00:00 UTC
;     dbname: horme
;     TOC Entries: 212
;     Compression: gzip
;     Dump Version: 1.14-0
;     Format: CUSTOM
;     Dumped from database version: 15.20 (Debian 15.20-0+deb12u1)
;     Dumped by pg_dump version: 15.20 (Debian 15.20-0+deb12u1)
;
;
; Selected TOC Entries:
;
2; 3079 16385 EXTENSION - pg_trgm
215; 1259 16390 TABLE public _sqlx_migrations postgres
216; 1259 16391 TABLE public quotations postgres
3400; 0 16390 TABLE DATA public _sqlx_migrations postgres
";

    #[test]
    fn the_listing_header_and_entries_are_read() {
        let info = parse_listing(LISTING);
        assert_eq!(info.dumped_from.map(|v| v.major), Some(15));
        assert_eq!(info.dumped_by.map(|v| v.text), Some("15.20".into()));
        assert_eq!(info.created_at.as_deref(), Some("2026-12-03 10:00:00 UTC"));
        assert_eq!(info.entries, 4);
        assert!(info.has_migrations_table);
        assert!(!parse_listing("; x\n1; 1 1 TABLE public products x\n").has_migrations_table);
    }

    #[test]
    fn migration_versions_come_from_the_copy_block() {
        let sql = "SET x = 1;\nCOPY public._sqlx_migrations (version, description) FROM stdin;\n\
                   20261125000001\tinit\t2026\tt\t\\\\x00\t5\n20261126100000\tllm usage\t2026\tt\t\\\\x00\t1\n\\.\n\nSELECT 1;\n";
        assert_eq!(parse_copy_versions(sql), [20261125000001, 20261126100000]);
    }
}
