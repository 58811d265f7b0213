//! The PostgreSQL client tools (`pg_dump`, `pg_restore`): where they are, which version they
//! are, and how they are started — connection in `--dbname` without a password, the password
//! in the child's `PGPASSWORD`, never a prompt.

use std::path::PathBuf;
use std::process::Stdio;

use secrecy::ExposeSecret;
use sqlx::PgConnection;

use super::BackupError;
use super::conninfo::ConnInfo;

/// A PostgreSQL version as a tool or a server reports it ("15.20").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PgVersion {
    pub major: u32,
    pub text: String,
}

impl PgVersion {
    /// The first version number in `s`: "pg_dump (PostgreSQL) 15.20 (Debian 15.20-0+deb12u1)"
    /// → 15.20; "9.6.24" → major 9.
    pub fn parse(s: &str) -> Option<Self> {
        let word = s
            .split_whitespace()
            .find(|w| w.chars().next().is_some_and(|c| c.is_ascii_digit()))?;
        let end = word
            .find(|c: char| !c.is_ascii_digit() && c != '.')
            .unwrap_or(word.len());
        let text = word[..end].trim_end_matches('.');
        let major = text.split('.').next()?.parse().ok()?;
        Some(Self {
            major,
            text: text.to_string(),
        })
    }
}

impl std::fmt::Display for PgVersion {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text)
    }
}

/// The server's version, asked over an open connection.
pub async fn server_version(conn: &mut PgConnection) -> Result<PgVersion, BackupError> {
    let text: String = sqlx::query_scalar("show server_version").fetch_one(conn).await?;
    PgVersion::parse(&text).ok_or_else(|| BackupError::Unexpected(format!("server version {text:?}")))
}

/// Where the tools are looked up: a directory (`--pg-bin`, e.g. /usr/lib/postgresql/16/bin)
/// or the `PATH`.
#[derive(Debug, Clone, Default)]
pub struct PgTools {
    pub dir: Option<PathBuf>,
}

impl PgTools {
    pub fn new(dir: Option<PathBuf>) -> Self {
        Self { dir }
    }

    fn program(&self, tool: &'static str) -> PathBuf {
        match &self.dir {
            Some(d) => d.join(tool),
            None => PathBuf::from(tool),
        }
    }

    fn searched(&self) -> String {
        match &self.dir {
            Some(d) => format!("in {}", d.display()),
            None => "on the PATH".into(),
        }
    }

    /// `tool --version`; [`BackupError::ToolMissing`] when it cannot be started.
    pub async fn version(&self, tool: &'static str, server_major: Option<u32>) -> Result<PgVersion, BackupError> {
        let missing = || BackupError::ToolMissing {
            tool,
            searched: self.searched(),
            server_major,
        };
        let out = tokio::process::Command::new(self.program(tool))
            .arg("--version")
            .stdin(Stdio::null())
            .output()
            .await
            .map_err(|_| missing())?;
        if !out.status.success() {
            return Err(missing());
        }
        let text = String::from_utf8_lossy(&out.stdout);
        PgVersion::parse(&text).ok_or_else(|| BackupError::Unexpected(format!("{tool} --version said {text:?}")))
    }

    /// `tool ARGS…` without a connection (reading an archive).
    pub fn command(&self, tool: &'static str) -> tokio::process::Command {
        let mut cmd = tokio::process::Command::new(self.program(tool));
        cmd.stdin(Stdio::null()).kill_on_drop(true);
        cmd
    }

    /// `tool --no-password --dbname=DSN ARGS…`: the password only in the child's environment.
    pub fn connected(&self, tool: &'static str, conn: &ConnInfo) -> tokio::process::Command {
        let mut cmd = self.command(tool);
        cmd.arg("--no-password").arg(format!("--dbname={}", conn.dsn));
        if let Some(pw) = &conn.password {
            cmd.env("PGPASSWORD", pw.expose_secret());
        }
        cmd
    }
}

/// Runs `cmd` to its end; its stdout, or [`BackupError::ToolFailed`] with its stderr
/// (passwords of `dsn` scrubbed).
pub async fn run(tool: &'static str, mut cmd: tokio::process::Command, dsn: &str) -> Result<Vec<u8>, BackupError> {
    let out = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .output()
        .await
        .map_err(|e| BackupError::Unexpected(format!("cannot start {tool}: {e}")))?;
    if out.status.success() {
        return Ok(out.stdout);
    }
    Err(BackupError::ToolFailed {
        tool,
        status: out
            .status
            .code()
            .map_or_else(|| "a signal".into(), |c| format!("code {c}")),
        stderr: tool_errors(&String::from_utf8_lossy(&out.stderr), dsn),
    })
}

/// What a tool said on stderr, in one line: its error lines (else its last lines), without
/// passwords.
fn tool_errors(stderr: &str, dsn: &str) -> String {
    let lines: Vec<&str> = stderr.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
    let errors: Vec<&str> = lines
        .iter()
        .copied()
        .filter(|l| l.contains("error:") || l.contains("ERROR:") || l.contains("FATAL:"))
        .collect();
    let chosen = if errors.is_empty() {
        &lines[lines.len().saturating_sub(3)..]
    } else {
        &errors[..errors.len().min(3)]
    };
    crate::config::scrub_dsn_secrets(&chosen.join("; "), dsn)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_are_read_as_tools_print_them() {
        let v = PgVersion::parse("pg_dump (PostgreSQL) 15.20 (Debian 15.20-0+deb12u1)").expect("parses");
        assert_eq!((v.major, v.text.as_str()), (15, "15.20"));
        let v = PgVersion::parse("16.4 (Ubuntu 16.4-1.pgdg22.04+1)").expect("parses");
        assert_eq!(v.major, 16);
        assert_eq!(PgVersion::parse("17beta1").map(|v| v.major), Some(17));
        assert!(PgVersion::parse("no digits").is_none());
    }

    #[test]
    fn tool_errors_are_one_line_without_passwords() {
        let stderr =
            "pg_dump: warning: x\npg_dump: error: connection to server failed: password very-secret-pw wrong\n";
        let line = tool_errors(stderr, "postgres://u:very-secret-pw@db/horme");
        assert!(line.starts_with("pg_dump: error: connection"), "{line}");
        assert!(!line.contains("very-secret-pw"), "{line}");
    }
}
