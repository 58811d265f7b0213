//! Configuration that tells the truth (issue 12), against the real loopback Dovecot and SMTP
//! relay of the mail tests, with the right and a wrong password: `horme config check` logs in
//! to every configured service, and `/readyz` is not ready while a mailbox cannot log in.

mod common;

use common::bot_process;
use common::mail::{self, Servers};
use common::smtp_script::ScriptedSmtp;
use common::tcp_cut::CutProxy;
use sqlx::PgPool;
use std::time::Duration;

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

/// [`check`] on a blocking thread, so that servers of this test's runtime (a scripted SMTP
/// server) keep answering meanwhile.
async fn check_async(pool: &PgPool, config: &std::path::Path, env: Vec<(String, String)>) -> (bool, String) {
    let (pool, config) = (pool.clone(), config.to_path_buf());
    tokio::task::spawn_blocking(move || {
        let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        check(&pool, &config, &env)
    })
    .await
    .expect("config check thread")
}

/// A user name without a password used to be dropped silently: the check said "ok: logged in"
/// and the bot sent without logging in. Now it fails and names what is missing.
#[sqlx::test]
async fn an_smtp_user_name_without_a_password_fails_the_check(pool: PgPool) {
    let servers = Servers::from_env();
    let tag = mail::tag();
    let dir = tempfile::tempdir().expect("tempdir");
    let config = bot_process::config_file(dir.path(), &servers, &tag);
    let sales = mail::sales(&tag);

    let (ok, out) = check(&pool, &config, &[("HORME__MAIL__SMTP__USERNAME", &sales)]);
    assert!(!ok, "{out}");
    let smtp = row(&out, "mail: smtp");
    assert!(
        smtp.contains(
            "failed: mail.smtp.username is set but no password: set mail.smtp.password or mail.smtp.password_file"
        ),
        "{out}"
    );
    assert!(out.contains("1 of 3 logins failed: mail: smtp"), "{out}");

    // credentials, but the relay offers no AUTH: not logged in either
    let (ok, out) = check(
        &pool,
        &config,
        &[
            ("HORME__MAIL__SMTP__USERNAME", &sales),
            ("HORME__MAIL__SMTP__PASSWORD", "a-password"),
        ],
    );
    assert!(!ok, "{out}");
    assert!(
        row(&out, "mail: smtp").contains("failed: ") && out.contains("offers no login"),
        "{out}"
    );

    // no user name: connected, and it says that it does not log in
    let (ok, out) = check(&pool, &config, &[]);
    assert!(ok, "{out}");
    assert!(
        row(&out, "mail: smtp").ends_with("ok: connected (no login: mail.smtp.username is empty)"),
        "{out}"
    );
}

/// "logged in" only after the server accepted AUTH; a refused password fails; the password
/// may come from `mail.smtp.password_file`, but not from both places.
#[sqlx::test]
async fn smtp_logged_in_means_the_server_accepted_the_credentials(pool: PgPool) {
    let servers = Servers::from_env();
    let tag = mail::tag();
    let dir = tempfile::tempdir().expect("tempdir");
    let config = bot_process::config_file(dir.path(), &servers, &tag);
    let sales = mail::sales(&tag);
    let smtp = ScriptedSmtp::start_with_login(&sales, "smtp-secret").await;
    let port = smtp.port.to_string();
    // the scripted server's port and our user name, and `extra`
    let with = |extra: &[(&str, &str)]| -> Vec<(String, String)> {
        [
            ("HORME__MAIL__SMTP__PORT", port.as_str()),
            ("HORME__MAIL__SMTP__USERNAME", sales.as_str()),
        ]
        .iter()
        .chain(extra)
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
    };
    let run = |env| check_async(&pool, &config, env);

    let (ok, out) = run(with(&[("HORME__MAIL__SMTP__PASSWORD", "smtp-secret")])).await;
    assert!(ok, "{out}");
    let line = row(&out, "mail: smtp");
    assert!(
        line.contains(&format!("{sales}@")) && line.ends_with("ok: logged in"),
        "{out}"
    );
    assert_eq!(smtp.auths(), vec![true], "one AUTH, accepted");

    let (ok, out) = run(with(&[("HORME__MAIL__SMTP__PASSWORD", "not-the-password")])).await;
    assert!(!ok, "{out}");
    assert!(
        row(&out, "mail: smtp").contains("failed: ") && out.contains("535"),
        "{out}"
    );
    assert!(!out.contains("not-the-password"), "{out}");
    assert_eq!(smtp.auths(), vec![true, false]);

    let file = dir.path().join("smtp-password");
    std::fs::write(&file, "smtp-secret\n").expect("write");
    let file_str = file.to_str().expect("utf-8 path").to_string();
    let (ok, out) = run(with(&[("HORME__MAIL__SMTP__PASSWORD_FILE", &file_str)])).await;
    assert!(ok, "the file's password, without its line break: {out}");
    assert!(row(&out, "mail: smtp").ends_with("ok: logged in"), "{out}");
    assert_eq!(smtp.auths(), vec![true, false, true]);

    let (ok, out) = run(with(&[
        ("HORME__MAIL__SMTP__PASSWORD_FILE", &file_str),
        ("HORME__MAIL__SMTP__PASSWORD", "smtp-secret"),
    ]))
    .await;
    assert!(!ok, "{out}");
    assert!(
        row(&out, "mail: smtp")
            .contains("failed: mail.smtp.password (or its environment variable) and mail.smtp.password_file"),
        "{out}"
    );

    let missing = dir.path().join("no-such-file");
    let missing_str = missing.to_str().expect("utf-8 path").to_string();
    let (ok, out) = run(with(&[("HORME__MAIL__SMTP__PASSWORD_FILE", &missing_str)])).await;
    assert!(!ok, "{out}");
    assert!(
        row(&out, "mail: smtp").contains(&format!("failed: mail.smtp.password_file {missing_str}: ")),
        "names the file: {out}"
    );
    assert_eq!(smtp.auths().len(), 3, "nothing sent to the server without a password");
    assert!(!out.contains("smtp-secret"), "the password is never printed: {out}");
}

/// `/readyz` of a server whose mailbox poller uses `password`: status and body, once the
/// poller has tried to log in.
async fn readiness(pool: PgPool, password: &str) -> (u16, String) {
    let servers = Servers::from_env();
    let tag = mail::tag();
    let mut settings = mail::settings(&servers, &tag);
    if let Some(m) = settings.mail.mailboxes.get_mut("sales") {
        m.password = password.to_string().into();
    }
    let app = common::app_with(pool, settings).await;
    let stop = tokio_util::sync::CancellationToken::new();
    let _pollers = horme::mail::spawn_pollers(&app, &stop).expect("pollers");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    let state = horme::http::HttpState {
        app: app.clone(),
        metrics: None,
    };
    let limits = horme::http::server::ServerLimits::from_settings(&app.settings.http);
    tokio::spawn(horme::http::server::serve(
        listener,
        horme::http::router(state),
        limits,
        stop.clone(),
    ));
    // the poller has logged in (or failed to) once its outcome is recorded
    let tried = common::eventually(std::time::Duration::from_secs(20), || async {
        app.logins
            .all()
            .iter()
            .any(|(what, _)| what == "mailbox sales")
            .then_some(())
    })
    .await;
    assert!(tried.is_some(), "the poller never tried to log in");
    let res = reqwest::get(format!("http://{addr}/readyz"))
        .await
        .expect("GET /readyz");
    let status = res.status().as_u16();
    let body = res.text().await.expect("body");
    stop.cancel();
    (status, body)
}

#[sqlx::test]
async fn readyz_is_not_ready_while_a_mailbox_cannot_log_in(pool: PgPool) {
    let (status, body) = readiness(pool, "not-the-password").await;
    assert_eq!(status, 503, "{body}");
    assert!(body.starts_with("login failing: mailbox sales: "), "{body}");
    assert!(!body.contains("not-the-password"), "{body}");
}

#[sqlx::test]
async fn readyz_is_ready_once_the_mailbox_logged_in(pool: PgPool) {
    let password = Servers::from_env().password;
    let (status, body) = readiness(pool, &password).await;
    assert_eq!((status, body.as_str()), (200, "ready"));
}

/// A wrong mailbox password is not tried again every few seconds, which gets accounts locked
/// at Gmail and Microsoft 365: after the server refused it, the poller waits
/// `mail.imap.auth_failure_backoff_seconds` (300 by default) before the next login, while
/// readiness says why. Its attempts are counted by a TCP proxy in front of Dovecot.
#[sqlx::test]
async fn a_refused_mailbox_password_is_not_retried_quickly(pool: PgPool) {
    let servers = Servers::from_env();
    let tag = mail::tag();
    let proxy = CutProxy::start(servers.imap_port, b"a pattern Dovecot never sends").await;
    let mut settings = mail::settings(&servers, &tag);
    // network trouble is retried after 100 ms to 2 s here (mail::settings); a refusal is not
    assert_eq!(settings.mail.imap.auth_failure_backoff_seconds, 300, "the default");
    if let Some(m) = settings.mail.mailboxes.get_mut("sales") {
        m.port = proxy.port;
        m.password = "not-the-password".to_string().into();
    }
    let app = common::app_with(pool, settings).await;
    let stop = tokio_util::sync::CancellationToken::new();
    let _pollers = horme::mail::spawn_pollers(&app, &stop).expect("pollers");
    let failing = || {
        app.logins
            .failing()
            .into_iter()
            .find(|(what, _)| what == "mailbox sales")
            .map(|(_, why)| why)
    };
    let why = common::eventually(Duration::from_secs(20), || async { failing() })
        .await
        .expect("the poller tried to log in");
    assert!(why.contains("[AUTHENTICATIONFAILED]"), "the server's answer: {why}");
    assert!(!why.contains("not-the-password"), "{why}");
    assert_eq!(proxy.connections(), 1);

    // Dovecot answers a wrong password after about 2 s: quick retries would have come by now
    tokio::time::sleep(Duration::from_secs(5)).await;
    assert_eq!(proxy.connections(), 1, "one login attempt, then the long wait");
    assert_eq!(failing().as_deref(), Some(why.as_str()), "still reported as failing");
    stop.cancel();
}
