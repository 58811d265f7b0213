//! `horme backup FILE` and `horme restore FILE` (issue 12) with the real pg_dump and
//! pg_restore: a quoted database restored into a new one holds the same raw mail, documents
//! and PDFs byte for byte, quotes the same request at the same prices there, and numbers the
//! next quotation right after the last one. Refusals and tool problems come as one clear line.

mod common;

use std::path::Path;

use sqlx::PgPool;
use sqlx::postgres::PgPoolOptions;

/// `horme ARGS` against the database at `url`, with `env` added.
fn horme_at(url: &str, args: &[&str], env: &[(&str, &str)]) -> (i32, String, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_horme"))
        .args(args)
        .current_dir(common::repo())
        .env("DATABASE_URL", url)
        .env("HORME_CONFIG", common::repo().join("tests/fixtures/horme-test.toml"))
        .env_remove("RUST_LOG")
        .env_remove("HORME_PG_BIN")
        .envs(env.iter().copied())
        .output()
        .expect("run horme");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn one_line_error(code: i32, stderr: &str, expected: &str) {
    assert_ne!(code, 0, "must fail: {stderr}");
    let lines: Vec<&str> = stderr.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(lines.len(), 1, "one line expected: {stderr}");
    assert!(
        lines[0].starts_with("error: ") && lines[0].contains(expected),
        "{stderr:?} should say {expected:?}"
    );
}

/// A database of its own beside the test's, created empty and dropped at the end.
struct Scratch {
    admin: PgPool,
    name: String,
    url: String,
}

impl Scratch {
    async fn create(admin: &PgPool) -> Self {
        let name = format!("horme_restore_{}", uuid::Uuid::new_v4().simple());
        sqlx::query(sqlx::AssertSqlSafe(format!("create database {name}")))
            .execute(admin)
            .await
            .expect("create database");
        let base = common::database_url(admin);
        let (head, tail) = match base.split_once('?') {
            Some((h, t)) => (h.to_string(), format!("?{t}")),
            None => (base.clone(), String::new()),
        };
        let root = head
            .rsplit_once('/')
            .map(|(r, _)| r.to_string())
            .expect("a URL with a path");
        Self {
            admin: admin.clone(),
            url: format!("{root}/{name}{tail}"),
            name,
        }
    }

    async fn pool(&self) -> PgPool {
        PgPoolOptions::new()
            .max_connections(2)
            .connect(&self.url)
            .await
            .expect("connect to the scratch database")
    }

    /// Waits until no client is connected any more (a closed pool's backends end a moment
    /// after it closed).
    async fn wait_idle(&self) {
        for _ in 0..200 {
            let n: i64 = sqlx::query_scalar(
                "select count(*) from pg_stat_activity where datname = $1 and backend_type = 'client backend'",
            )
            .bind(&self.name)
            .fetch_one(&self.admin)
            .await
            .expect("sessions");
            if n == 0 {
                return;
            }
            tokio::time::sleep(std::time::Duration::from_millis(25)).await;
        }
        panic!("clients still connected to {}", self.name);
    }

    async fn drop(self) {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "drop database if exists {} with (force)",
            self.name
        )))
        .execute(&self.admin)
        .await
        .expect("drop database");
    }
}

fn path(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

/// (id, bytes) of every raw mail, document and PDF, in a stable order.
async fn stored_bytes(pool: &PgPool) -> Vec<(String, Option<Vec<u8>>)> {
    sqlx::query_as(
        r#"select 'mail ' || id, raw from inbound_messages
           union all select 'document ' || id, content from documents
           union all select 'pdf ' || number, pdf from quotations
           order by 1"#,
    )
    .fetch_all(pool)
    .await
    .expect("bytes")
}

fn sequence_no(number: &str) -> u64 {
    number
        .rsplit('-')
        .next()
        .and_then(|n| n.parse().ok())
        .expect("Q-YYYY-NNNNNN")
}

/// The quotation JSON without what differs between two quotations of one request.
fn priced(v: &serde_json::Value) -> serde_json::Value {
    let mut v = v.clone();
    for key in ["number", "date", "valid_until"] {
        if let Some(o) = v.as_object_mut() {
            o.remove(key);
        }
    }
    v
}

#[sqlx::test]
async fn a_quoted_database_survives_backup_and_restore_into_a_new_one(pool: PgPool) {
    let url = common::database_url(&pool);
    let (code, _, stderr) = horme_at(
        &url,
        &[
            "catalog",
            "import",
            "--products",
            "deploy/demo/products.csv",
            "--tiers",
            "deploy/demo/price_tiers.csv",
        ],
        &[],
    );
    assert_eq!(code, 0, "{stderr}");
    let mail = common::fixture("corpus/rfps/rfp-007.eml");
    let (code, first, stderr) = horme_at(&url, &["quote", path(&mail), "--json"], &[]);
    assert_eq!(code, 0, "{stderr}");
    let first: serde_json::Value = serde_json::from_str(&first).expect("json");
    let pdf = common::fixture("corpus/rfps/rfp-001.pdf");
    let (code, second, stderr) = horme_at(&url, &["quote", path(&pdf), "--json"], &[]);
    assert_eq!(code, 0, "{stderr}");
    let second: serde_json::Value = serde_json::from_str(&second).expect("json");
    let before = stored_bytes(&pool).await;
    assert!(
        before.iter().any(|(k, b)| k.starts_with("mail") && b.is_some()),
        "a raw mail is stored: {:?}",
        before.iter().map(|(k, _)| k).collect::<Vec<_>>()
    );
    assert!(before.iter().filter(|(k, _)| k.starts_with("document")).count() >= 2);

    let dir = tempfile::tempdir().expect("tempdir");
    let archive = dir.path().join("horme.dump");
    let (code, _, stderr) = horme_at(&url, &["backup", path(&archive)], &[]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("written to"), "{stderr}");
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(&archive).expect("archive").permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "the backup holds customers' mail: owner only");
    assert_eq!(
        std::fs::read_dir(dir.path()).expect("dir").count(),
        1,
        "no partial file left"
    );
    // a second backup to the same name is refused, --overwrite replaces it
    let (code, _, stderr) = horme_at(&url, &["backup", path(&archive)], &[]);
    one_line_error(code, &stderr, "exists already");
    let (code, _, stderr) = horme_at(&url, &["backup", path(&archive), "--overwrite"], &[]);
    assert_eq!(code, 0, "{stderr}");

    let target = Scratch::create(&pool).await;
    let (code, _, stderr) = horme_at(&target.url, &["restore", path(&archive)], &[]);
    assert_eq!(code, 0, "{stderr}");
    let last = second["number"].as_str().expect("number");
    assert!(
        stderr.contains(&format!("numbering continues after {last}")),
        "{stderr}"
    );
    assert!(stderr.contains("no migrations to apply"), "{stderr}");

    let restored = target.pool().await;
    assert_eq!(
        stored_bytes(&restored).await,
        before,
        "raw mail, documents and PDFs byte for byte"
    );
    let restored_audit: Vec<(String, String)> =
        sqlx::query_as("select entity, action from audit_log where action = 'restored'")
            .fetch_all(&restored)
            .await
            .expect("audit");
    assert_eq!(restored_audit, [("database".to_string(), "restored".to_string())]);
    restored.close().await;

    // the restored database quotes the same request the same way, with the next number
    let (code, again, stderr) = horme_at(&target.url, &["quote", path(&mail), "--json"], &[]);
    assert_eq!(code, 0, "{stderr}");
    let again: serde_json::Value = serde_json::from_str(&again).expect("json");
    assert_eq!(priced(&again), priced(&first), "same lines, prices and totals");
    let next = again["number"].as_str().expect("number");
    assert_eq!(sequence_no(next), sequence_no(last) + 1, "{last} then {next}");
    assert_eq!(next[..7], last[..7], "same year");
    target.drop().await;
}

#[sqlx::test]
async fn restore_refuses_a_database_in_use_or_not_empty_unless_forced(pool: PgPool) {
    let url = common::database_url(&pool);
    sqlx::query("insert into customers (name, email) values ('From the backup', 'kept@backup.test')")
        .execute(&pool)
        .await
        .expect("customer");
    let dir = tempfile::tempdir().expect("tempdir");
    let archive = dir.path().join("horme.dump");
    let (code, _, stderr) = horme_at(&url, &["backup", path(&archive)], &[]);
    assert_eq!(code, 0, "{stderr}");

    let target = Scratch::create(&pool).await;
    let (code, _, stderr) = horme_at(&target.url, &["migrate"], &[]);
    assert_eq!(code, 0, "{stderr}");
    let other = target.pool().await;
    sqlx::query("insert into customers (name, email) values ('Already there', 'there@target.test')")
        .execute(&other)
        .await
        .expect("customer");

    // someone is connected: refused, even with --force
    let (code, _, stderr) = horme_at(&target.url, &["restore", path(&archive), "--force"], &[]);
    one_line_error(code, &stderr, "other session(s) are connected");
    other.close().await;
    target.wait_idle().await;

    let (code, _, stderr) = horme_at(&target.url, &["restore", path(&archive)], &[]);
    one_line_error(code, &stderr, "is not empty");
    assert!(stderr.contains("--force"), "{stderr}");
    let target_pool = target.pool().await;
    let names: Vec<String> = sqlx::query_scalar("select name from customers order by 1")
        .fetch_all(&target_pool)
        .await
        .expect("customers");
    assert_eq!(names, ["Already there"], "a refused restore changes nothing");
    target_pool.close().await;
    target.wait_idle().await;

    let (code, _, stderr) = horme_at(&target.url, &["restore", path(&archive), "--force"], &[]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("replacing its former contents"), "{stderr}");
    let target_pool = target.pool().await;
    let names: Vec<String> = sqlx::query_scalar("select name from customers order by 1")
        .fetch_all(&target_pool)
        .await
        .expect("customers");
    assert_eq!(names, ["From the backup"]);
    target_pool.close().await;
    target.drop().await;
}

#[sqlx::test(migrations = false)]
async fn an_older_backup_is_migrated_and_a_newer_one_refused(pool: PgPool) {
    let all: Vec<i64> = horme::db::MIGRATOR.iter().map(|m| m.version).collect();
    let previous = all[all.len() - 2];
    horme::db::MIGRATOR.run_to(previous, &pool).await.expect("older schema");
    let url = common::database_url(&pool);
    let dir = tempfile::tempdir().expect("tempdir");
    let older = dir.path().join("older.dump");
    let (code, _, stderr) = horme_at(&url, &["backup", path(&older)], &[]);
    assert_eq!(code, 0, "{stderr}");

    let target = Scratch::create(&pool).await;
    let (code, _, stderr) = horme_at(&target.url, &["restore", path(&older)], &[]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("1 migrations applied after the restore"), "{stderr}");
    let restored = target.pool().await;
    let versions: Vec<i64> = sqlx::query_scalar("select version from _sqlx_migrations order by version")
        .fetch_all(&restored)
        .await
        .expect("versions");
    assert_eq!(versions, all);
    restored.close().await;
    target.drop().await;

    // a backup from a newer horme: refused before anything is written
    sqlx::query(
        "insert into _sqlx_migrations (version, description, success, checksum, execution_time)
         values (99990101000000, 'from the future', true, '\\x00', 1)",
    )
    .execute(&pool)
    .await
    .expect("future migration");
    let newer = dir.path().join("newer.dump");
    let (code, _, stderr) = horme_at(&url, &["backup", path(&newer)], &[]);
    assert_eq!(code, 0, "{stderr}");
    let target = Scratch::create(&pool).await;
    let (code, _, stderr) = horme_at(&target.url, &["restore", path(&newer)], &[]);
    one_line_error(code, &stderr, "migrations this horme does not know (99990101000000)");
    let empty = target.pool().await;
    let tables: i64 = sqlx::query_scalar("select count(*) from pg_tables where schemaname = 'public'")
        .fetch_one(&empty)
        .await
        .expect("tables");
    assert_eq!(tables, 0, "nothing restored");
    empty.close().await;

    // not an archive at all
    let junk = dir.path().join("junk.dump");
    std::fs::write(&junk, b"this is not a backup").expect("write");
    let (code, _, stderr) = horme_at(&target.url, &["restore", path(&junk)], &[]);
    one_line_error(code, &stderr, "pg_restore failed");
    target.drop().await;
}

/// A fake tool directory: `pg_dump`/`pg_restore` scripts that record their command line and
/// whether they got a password in the environment, then run the real tool.
fn recording_tools(dir: &Path, version_override: Option<&str>) {
    for tool in ["pg_dump", "pg_restore"] {
        let version = match version_override {
            Some(v) => format!("if [ \"$1\" = --version ]; then echo '{tool} (PostgreSQL) {v}'; exit 0; fi\n"),
            None => String::new(),
        };
        let script = format!(
            "#!/bin/sh\n{version}echo \"$@\" >> '{log}/args'\necho \"PGPASSWORD=$PGPASSWORD\" >> '{log}/env'\nexec {tool} \"$@\"\n",
            log = dir.display()
        );
        let p = dir.join(tool);
        std::fs::write(&p, script).expect("script");
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    }
}

#[sqlx::test]
async fn the_password_goes_through_the_environment_and_tool_problems_are_named(pool: PgPool) {
    // trust authentication ignores the password, so it can be given and traced
    let url = common::database_url(&pool);
    let (scheme, rest) = url.split_once("://").expect("url");
    let with_password = match rest.split_once('@') {
        Some((user, host)) if !user.contains(':') => format!("{scheme}://{user}:s3cret-pw-42@{host}"),
        _ => format!("{scheme}://postgres:s3cret-pw-42@{rest}"),
    };
    let tools = tempfile::tempdir().expect("tempdir");
    recording_tools(tools.path(), None);
    let dir = tempfile::tempdir().expect("tempdir");
    let archive = dir.path().join("horme.dump");
    let (code, _, stderr) = horme_at(
        &with_password,
        &["backup", path(&archive), "--pg-bin", path(tools.path())],
        &[],
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(!stderr.contains("s3cret-pw-42"), "{stderr}");
    let args = std::fs::read_to_string(tools.path().join("args")).expect("args");
    assert!(args.contains("--format=custom") && args.contains("--dbname="), "{args}");
    assert!(
        !args.contains("s3cret-pw-42"),
        "the password is on no command line: {args}"
    );
    let env = std::fs::read_to_string(tools.path().join("env")).expect("env");
    assert!(env.contains("PGPASSWORD=s3cret-pw-42"), "{env}");

    // the tools are missing
    let (code, _, stderr) = horme_at(
        &url,
        &["backup", path(&dir.path().join("b.dump")), "--pg-bin", "/nonexistent"],
        &[],
    );
    one_line_error(code, &stderr, "pg_dump not found in /nonexistent");
    assert!(stderr.contains("postgresql-client-"), "{stderr}");
    let (code, _, stderr) = horme_at(&url, &["restore", path(&archive), "--pg-bin", "/nonexistent"], &[]);
    one_line_error(code, &stderr, "pg_restore not found in /nonexistent");

    // a pg_dump older than the server
    let old = tempfile::tempdir().expect("tempdir");
    recording_tools(old.path(), Some("9.6.24"));
    let (code, _, stderr) = horme_at(
        &url,
        &["backup", path(&dir.path().join("c.dump")), "--pg-bin", path(old.path())],
        &[],
    );
    one_line_error(code, &stderr, "pg_dump 9.6.24 cannot dump a PostgreSQL");
    assert!(!dir.path().join("c.dump").exists());
    assert_eq!(
        std::fs::read_dir(dir.path()).expect("dir").count(),
        1,
        "no partial file left"
    );
}
