//! `horme init`: the file it writes from flags loads through the real configuration loader
//! with the values given, explains every key it sets and sets nothing the defaults already
//! say; an existing file is kept without `--force`; bad input is refused with a clear error
//! before anything is written; a secret given as a file stays out of the file; with the
//! database up, the new file is checked as `horme config check` does.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use horme::config::Settings;
use secrecy::ExposeSecret;
use sqlx::PgPool;

struct Run {
    ok: bool,
    stdout: String,
    stderr: String,
}

/// `horme init ARGS` in `dir`, with no configuration and no Horme variable in its environment
/// and stdin not a terminal.
fn init(dir: &Path, args: &[&str]) -> Run {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_horme"));
    cmd.arg("init")
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .env_remove("DATABASE_URL")
        .env_remove("HORME_CONFIG")
        .env_remove("RUST_LOG");
    for (key, _) in std::env::vars_os() {
        if key.to_string_lossy().starts_with("HORME__") {
            cmd.env_remove(key);
        }
    }
    let out = cmd.output().expect("run horme init");
    Run {
        ok: out.status.success(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// A PostgreSQL nobody listens on: the file is written, the check is left for later.
const NO_DATABASE: &str = "postgres://horme@127.0.0.1:9/horme";

fn secret_file(dir: &Path, name: &str, content: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, format!("{content}\n")).expect("write secret");
    path
}

/// Each `key = value` line of `text` that is not a comment.
fn set_keys(text: &str) -> Vec<&str> {
    text.lines()
        .filter(|l| !l.trim_start().starts_with('#') && l.contains(" = "))
        .collect()
}

#[test]
fn flags_write_a_file_the_loader_accepts_with_the_values_given() {
    let dir = tempfile::tempdir().expect("tempdir");
    let secrets = dir.path().join("secrets");
    std::fs::create_dir(&secrets).expect("mkdir");
    let imap = secret_file(&secrets, "imap", "imap-very-secret");
    let telegram = secret_file(&secrets, "telegram", "123456:telegram-very-secret");
    let slack = secret_file(&secrets, "slack", "xoxb-slack-very-secret");
    let signing = secret_file(&secrets, "signing", "signing-very-secret");
    let discord = secret_file(&secrets, "discord", "discord-very-secret");
    let file = |p: &Path| format!("file:{}", p.display());
    let config = dir.path().join("etc/horme/horme.toml");
    let run = init(
        dir.path(),
        &[
            "--config",
            config.to_str().expect("utf-8"),
            "--company-name",
            "Straits Industrial Supplies Pte Ltd",
            "--sales-email",
            "Sales@Straits-Industrial.example",
            "--database-url",
            NO_DATABASE,
            "--imap-host",
            "imap.straits-industrial.example",
            "--imap-password",
            &file(&imap),
            "--smtp-host",
            "smtp.straits-industrial.example",
            "--smtp-port",
            "465",
            "--approvers",
            "lead@straits-industrial.example,telegram:987654321",
            "--telegram-token",
            &file(&telegram),
            "--telegram-approvals-chat",
            "-1001234567890",
            "--slack-token",
            &file(&slack),
            "--slack-signing-secret",
            &file(&signing),
            "--slack-approvals-channel",
            "C0123456789",
            "--discord-token",
            &file(&discord),
            "--discord-approvals-channel",
            "1234567890123456789",
        ],
    );
    assert!(run.ok, "{}", run.stderr);
    assert!(
        run.stderr.contains(&format!("wrote {}", config.display())),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("HORME__MAIL__SMTP__PASSWORD"),
        "the variable still to set is named: {}",
        run.stderr
    );
    assert!(
        run.stderr.contains(&format!(
            "once it is reachable, run `horme --config {} config check`",
            config.display()
        )),
        "{}",
        run.stderr
    );

    let text = std::fs::read_to_string(&config).expect("written");
    let toml: toml::Table = text.parse().expect("TOML");
    assert_eq!(toml["database"]["url"].as_str(), Some(NO_DATABASE));

    // the real loader (DATABASE_URL of the test run, if any, wins over the file: not compared)
    let s = Settings::load(Some(&config)).expect("the loader accepts the file");
    assert_eq!(s.company.name, "Straits Industrial Supplies Pte Ltd");
    assert_eq!(s.company.email, "sales@straits-industrial.example");
    assert_eq!(
        s.approval.approvers,
        ["lead@straits-industrial.example", "telegram:987654321"]
    );
    assert!(s.mail.enabled);
    assert_eq!(s.mail.from_address, "sales@straits-industrial.example");
    assert_eq!(s.mail.from_name, "Straits Industrial Supplies Pte Ltd");
    assert_eq!(
        (
            s.mail.smtp.host.as_str(),
            s.mail.smtp.port,
            s.mail.smtp.username.as_str()
        ),
        (
            "smtp.straits-industrial.example",
            465,
            "sales@straits-industrial.example"
        )
    );
    assert_eq!(s.mail.smtp.security, channels::email::Security::Tls);
    let sales = &s.mail.mailboxes["sales"];
    assert_eq!(sales.host, "imap.straits-industrial.example");
    assert_eq!(sales.username, "sales@straits-industrial.example");
    assert_eq!(
        sales.password("sales").expect("from the file").expose_secret(),
        "imap-very-secret"
    );
    assert!(s.telegram.enabled && s.slack.enabled && s.discord.enabled);
    assert_eq!(s.telegram.approvals_chat_id, -1001234567890);
    assert_eq!(
        s.telegram.token().expect("token").expose_secret(),
        "123456:telegram-very-secret"
    );
    assert_eq!(s.slack.approvals_channel, "C0123456789");
    assert_eq!(
        s.slack.signing_secret().expect("secret").expose_secret(),
        "signing-very-secret"
    );
    assert_eq!(s.discord.approvals_channel_id, 1234567890123456789);
    assert_eq!(s.discord.token().expect("token").expose_secret(), "discord-very-secret");
}

#[test]
fn no_secret_given_as_a_file_is_written_and_every_key_is_explained() {
    let dir = tempfile::tempdir().expect("tempdir");
    let imap = secret_file(dir.path(), "imap-password", "imap-very-secret");
    let token = secret_file(dir.path(), "telegram-token", "123456:telegram-very-secret");
    let run = init(
        dir.path(),
        &[
            "--sales-email",
            "sales@straits-industrial.example",
            "--database-url",
            NO_DATABASE,
            "--imap-host",
            "imap.straits-industrial.example",
            "--imap-password",
            &format!("file:{}", imap.display()),
            "--smtp-host",
            "smtp.straits-industrial.example",
            "--telegram-token",
            &format!("file:{}", token.display()),
        ],
    );
    assert!(run.ok, "{}", run.stderr);
    let written = dir.path().join("horme.toml");
    let text = std::fs::read_to_string(&written).expect("written");
    for out in [&text, &run.stdout, &run.stderr] {
        assert!(!out.contains("very-secret"), "a secret leaked:\n{out}");
    }
    assert!(
        text.contains(&format!("password_file = \"{}\"", imap.display())),
        "{text}"
    );
    assert!(
        text.contains(&format!("bot_token_file = \"{}\"", token.display())),
        "{text}"
    );
    assert!(
        text.contains("HORME__MAIL__SMTP__PASSWORD"),
        "where the SMTP password comes from is said: {text}"
    );

    let lines: Vec<&str> = text.lines().collect();
    for (i, line) in lines.iter().enumerate() {
        if set_keys(line).is_empty() {
            continue;
        }
        assert!(
            i > 0 && lines[i - 1].starts_with('#'),
            "{line:?} is not explained by a comment above it:\n{text}"
        );
    }

    // a secret given explicitly is written, and the file is then its owner's alone
    let dir = tempfile::tempdir().expect("tempdir");
    let run = init(
        dir.path(),
        &[
            "--database-url",
            NO_DATABASE,
            "--telegram-token",
            "value:123456:explicit-token",
        ],
    );
    assert!(run.ok, "{}", run.stderr);
    assert!(!run.stderr.contains("explicit-token"), "{}", run.stderr);
    let written = dir.path().join("horme.toml");
    let text = std::fs::read_to_string(&written).expect("written");
    assert!(text.contains("bot_token = \"123456:explicit-token\""), "{text}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&written).expect("metadata").permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "a file with a secret is private");
    }
}

#[test]
fn without_answers_nothing_but_comments_is_written() {
    let dir = tempfile::tempdir().expect("tempdir");
    let run = init(dir.path(), &["--yes"]);
    assert!(run.ok, "{}", run.stderr);
    let text = std::fs::read_to_string(dir.path().join("horme.toml")).expect("written");
    assert!(set_keys(&text).is_empty(), "only what differs is set:\n{text}");
    assert!(text.contains("# url = \"postgres://127.0.0.1:5432/horme\""), "{text}");
    let s = Settings::load(Some(&dir.path().join("horme.toml"))).expect("loads");
    assert!(s.company.name.is_empty() && !s.mail.enabled);
}

#[test]
fn an_existing_file_is_kept_unless_forced() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("horme.toml");
    std::fs::write(&path, "# ours\n[company]\nname = \"Ours\"\n").expect("write");
    let run = init(dir.path(), &["--company-name", "Theirs", "--database-url", NO_DATABASE]);
    assert!(!run.ok, "{}", run.stderr);
    assert!(
        run.stderr.contains("horme.toml exists already") && run.stderr.contains("--force"),
        "{}",
        run.stderr
    );
    assert_eq!(
        std::fs::read_to_string(&path).expect("kept"),
        "# ours\n[company]\nname = \"Ours\"\n"
    );

    let run = init(
        dir.path(),
        &["--company-name", "Theirs", "--database-url", NO_DATABASE, "--force"],
    );
    assert!(run.ok, "{}", run.stderr);
    assert!(
        std::fs::read_to_string(&path)
            .expect("replaced")
            .contains("name = \"Theirs\"")
    );
}

#[test]
fn bad_input_gets_a_clear_error_and_writes_nothing() {
    let cases: &[(&[&str], &str)] = &[
        (
            &["--sales-email", "sales.straits-industrial.example"],
            "--sales-email: mail address \"sales.straits-industrial.example\": has no @",
        ),
        (
            &["--database-url", "mysql://horme:pw-very-secret@db/horme"],
            "--database-url \"mysql://horme:[redacted]@db/horme\": not a PostgreSQL URL",
        ),
        (
            &["--database-url", "postgres://db:port/horme"],
            "--database-url \"postgres://db:port/horme\"",
        ),
        (
            &[
                "--sales-email",
                "sales@x.example",
                "--imap-host",
                "imaps://imap.x.example",
                "--smtp-host",
                "smtp.x.example",
            ],
            "--imap-host \"imaps://imap.x.example\": give a host name",
        ),
        (
            &["--sales-email", "sales@x.example", "--imap-host", "imap.x.example"],
            "--imap-host needs --smtp-host",
        ),
        (&["--approvers", "lead"], "--approvers \"lead\": neither a mail address"),
        (
            &["--telegram-token", "123456:AAH-very-secret"],
            "--telegram-token: give `env`",
        ),
    ];
    for (args, expected) in cases {
        let dir = tempfile::tempdir().expect("tempdir");
        let run = init(dir.path(), args);
        assert!(!run.ok, "{args:?} must fail");
        let lines: Vec<&str> = run.stderr.lines().filter(|l| !l.trim().is_empty()).collect();
        assert_eq!(lines.len(), 1, "one line: {}", run.stderr);
        assert!(
            lines[0].starts_with("error: ") && lines[0].contains(expected),
            "{args:?}: {}",
            run.stderr
        );
        assert!(!run.stderr.contains("very-secret"), "{}", run.stderr);
        assert!(!dir.path().join("horme.toml").exists(), "{args:?}: nothing written");
    }
}

#[sqlx::test]
async fn with_the_database_up_the_file_is_checked_as_config_check_does(pool: PgPool) {
    let dir = tempfile::tempdir().expect("tempdir");
    let url = common::database_url(&pool);
    let run = init(
        dir.path(),
        &[
            "--company-name",
            "Straits Industrial Supplies Pte Ltd",
            "--sales-email",
            "sales@straits-industrial.example",
            "--database-url",
            &url,
        ],
    );
    assert!(run.ok, "{}\n{}", run.stdout, run.stderr);
    assert!(
        run.stderr.contains("checking it as `horme config check` does"),
        "{}",
        run.stderr
    );
    let database = run
        .stdout
        .lines()
        .find(|l| l.starts_with("database "))
        .unwrap_or_else(|| panic!("no database row:\n{}", run.stdout));
    assert!(database.contains("ok: PostgreSQL"), "{}", run.stdout);
    assert!(
        run.stdout.contains("# warning: http.api_tokens is empty"),
        "the check's warnings: {}",
        run.stdout
    );
}
