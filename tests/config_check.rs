//! `horme config check` logs in to every configured service (issue 12): the real loopback
//! Dovecot and SMTP relay of the mail tests, with the right and a wrong password.

mod common;

use common::bot_process;
use common::mail::{self, Servers};
use sqlx::PgPool;

fn check(pool: &PgPool, config: &std::path::Path, env: &[(&str, &str)]) -> (bool, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_horme"))
        .args(["config", "check"])
        .current_dir(config.parent().expect("dir"))
        .env("DATABASE_URL", common::database_url(pool))
        .env("HORME_CONFIG", config)
        .envs(env.iter().copied())
        .env_remove("RUST_LOG")
        .output()
        .expect("run horme");
    (
        out.status.success(),
        format!(
            "{}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

/// The table's row of `feature` (the lines after the `feature  target  result` header).
fn row<'a>(text: &'a str, feature: &str) -> &'a str {
    text.lines()
        .skip_while(|l| !l.starts_with("feature "))
        .find(|l| l.starts_with(&format!("{feature} ")))
        .unwrap_or_else(|| panic!("no {feature} row in:\n{text}"))
}

#[sqlx::test]
async fn config_check_logs_in_to_the_mailbox_and_the_smtp_server(pool: PgPool) {
    let servers = Servers::from_env();
    let tag = mail::tag();
    let dir = tempfile::tempdir().expect("tempdir");
    let config = bot_process::config_file(dir.path(), &servers, &tag);

    let (ok, out) = check(&pool, &config, &[]);
    assert!(ok, "{out}");
    assert!(row(&out, "database").contains("ok: PostgreSQL"), "{out}");
    let mailbox = row(&out, "mail: mailbox sales");
    assert!(
        mailbox.contains(&mail::sales(&tag)) && mailbox.ends_with("ok: logged in"),
        "{out}"
    );
    assert!(row(&out, "mail: smtp").contains("ok: "), "{out}");
    assert!(!out.contains(&servers.password), "the password is never printed");

    let (ok, out) = check(
        &pool,
        &config,
        &[("HORME__MAIL__MAILBOXES__SALES__PASSWORD", "not-the-password")],
    );
    assert!(!ok, "a failed login fails the check: {out}");
    let mailbox = row(&out, "mail: mailbox sales");
    assert!(mailbox.contains("failed: "), "{out}");
    assert!(out.contains("1 of 3 logins failed: mail: mailbox sales"), "{out}");
    assert!(
        !out.contains("not-the-password"),
        "the password is never printed: {out}"
    );
}
