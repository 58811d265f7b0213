//! Bad input to `horme quote` gets one clear line on stderr and a non-zero exit: never a panic.

mod common;

use sqlx::PgPool;

fn assert_one_line_error(code: i32, stderr: &str, expected: &str) {
    assert_ne!(code, 0, "must fail: {stderr}");
    assert!(!stderr.contains("panicked"), "panic: {stderr}");
    assert!(!stderr.contains("stack backtrace"), "backtrace: {stderr}");
    let lines: Vec<&str> = stderr.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(lines.len(), 1, "one line expected: {stderr}");
    assert!(lines[0].starts_with("error: "), "{stderr}");
    assert!(
        lines[0].contains(expected),
        "{:?} should mention {expected:?}",
        lines[0]
    );
}

#[sqlx::test]
async fn bad_files_get_a_clear_one_line_error(pool: PgPool) {
    let dir = tempfile::tempdir().expect("tempdir");
    let empty = dir.path().join("empty.txt");
    std::fs::write(&empty, b"").expect("write");
    let odd = dir.path().join("rfp.jpeg");
    std::fs::write(&odd, b"\xff\xd8\xff").expect("write");
    let corrupt = dir.path().join("corrupt.pdf");
    std::fs::write(&corrupt, b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\ngarbage").expect("write");
    let junk = dir.path().join("junk.pdf");
    std::fs::write(&junk, (0..4096u32).map(|i| (i * 7919 % 251) as u8).collect::<Vec<_>>()).expect("write");
    let missing = dir.path().join("nope.pdf");
    let path = |p: &std::path::Path| p.to_str().expect("utf-8 path").to_string();

    let cases = [
        (path(&missing), "cannot read"),
        (path(&odd), "unsupported file type"),
        (path(&empty), "the file is empty"),
        (path(&corrupt), "corrupt.pdf"),
        (path(&junk), "junk.pdf"),
    ];
    for (file, expected) in cases {
        let (code, stdout, stderr) = common::horme(&pool, &["quote", &file, "--json"]);
        assert_one_line_error(code, &stderr, expected);
        assert!(stdout.is_empty(), "nothing on stdout for {file}: {stdout}");
    }
}

#[sqlx::test]
async fn a_document_without_items_fails_with_that_reason(pool: PgPool) {
    let dir = tempfile::tempdir().expect("tempdir");
    let letter = dir.path().join("letter.txt");
    std::fs::write(
        &letter,
        "Dear team,\nplease call me back about our account.\nRegards, Tan",
    )
    .expect("write");
    let (code, _, stderr) = common::horme(&pool, &["quote", letter.to_str().expect("path"), "--json"]);
    assert_one_line_error(code, &stderr, "no line items found");
}

#[sqlx::test]
async fn quote_prints_one_json_object_and_writes_the_pdf(pool: PgPool) {
    let (code, _, stderr) = common::horme(
        &pool,
        &[
            "catalog",
            "import",
            "--products",
            "deploy/demo/products.csv",
            "--tiers",
            "deploy/demo/price_tiers.csv",
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    let dir = tempfile::tempdir().expect("tempdir");
    let pdf = dir.path().join("q.pdf");
    let rfp = common::fixture("corpus/rfps/rfp-001.pdf");
    let (code, stdout, stderr) = common::horme(
        &pool,
        &[
            "quote",
            rfp.to_str().expect("path"),
            "--json",
            "--pdf",
            pdf.to_str().expect("path"),
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    let v: serde_json::Value = serde_json::from_str(stdout.trim()).expect("exactly one JSON object");
    assert_eq!(v["source"], "rfp-001.pdf");
    assert!(!v["lines"].as_array().expect("lines").is_empty());
    for key in ["subtotal", "tax_rate", "tax", "total", "currency"] {
        assert!(v[key].is_string(), "{key} is a string: {v}");
    }
    let bytes = std::fs::read(&pdf).expect("pdf written");
    assert!(bytes.starts_with(b"%PDF-"));
}

/// A mailbox password is needed by the mail channel only: `migrate` and `quotation list` run
/// without it, `serve` refuses to start and names the setting.
#[sqlx::test]
async fn a_mailbox_password_is_required_by_the_mail_channel_only(pool: PgPool) {
    let dir = tempfile::tempdir().expect("tempdir");
    let config = dir.path().join("horme.toml");
    std::fs::write(
        &config,
        "[http]\nbind = \"127.0.0.1:0\"\n\n[mail]\nenabled = true\nfrom_address = \"sales@horme.test\"\n\n\
         [mail.smtp]\nhost = \"127.0.0.1\"\nport = 25\nsecurity = \"plain\"\n\n\
         [mail.mailboxes.sales]\nhost = \"127.0.0.1\"\nusername = \"sales@horme.test\"\n",
    )
    .expect("config");
    let run = |args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_horme"))
            .args(args)
            .current_dir(dir.path())
            .env("DATABASE_URL", common::database_url(&pool))
            .env("HORME_CONFIG", &config)
            .env_remove("RUST_LOG")
            .env_remove("HORME__MAIL__MAILBOXES__SALES__PASSWORD")
            .output()
            .expect("run horme");
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let (code, stderr) = run(&["migrate"]);
    assert_eq!(code, 0, "migrate needs no mailbox password: {stderr}");
    let (code, stderr) = run(&["quotation", "list"]);
    assert_eq!(code, 0, "listing quotations needs no mailbox password: {stderr}");
    let (code, stderr) = run(&["serve"]);
    assert_ne!(code, 0, "serve cannot poll without the password: {stderr}");
    assert!(
        stderr.contains("HORME__MAIL__MAILBOXES__SALES__PASSWORD") && stderr.contains("password_file"),
        "names where the password goes: {stderr}"
    );
    assert_eq!(stderr.matches("has no password").count(), 1, "said once: {stderr}");
}

/// `serve` does not start the mail channel when `mail.smtp.username` is set without a password:
/// it would send without logging in (and the server refuse or, worse, relay it).
#[sqlx::test]
async fn serve_refuses_an_smtp_user_name_without_a_password(pool: PgPool) {
    let dir = tempfile::tempdir().expect("tempdir");
    let config = dir.path().join("horme.toml");
    std::fs::write(
        &config,
        "[http]\nbind = \"127.0.0.1:0\"\n\n[mail]\nenabled = true\nfrom_address = \"sales@horme.test\"\n\n\
         [mail.smtp]\nhost = \"127.0.0.1\"\nport = 25\nsecurity = \"plain\"\nusername = \"sales@horme.test\"\n\n\
         [mail.mailboxes.sales]\nhost = \"127.0.0.1\"\nusername = \"sales@horme.test\"\npassword = \"imap-password\"\n",
    )
    .expect("config");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_horme"))
        .arg("serve")
        .current_dir(dir.path())
        .env("DATABASE_URL", common::database_url(&pool))
        .env("HORME_CONFIG", &config)
        .env_remove("RUST_LOG")
        .env_remove("HORME__MAIL__SMTP__PASSWORD")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run horme");
    // a serve that starts anyway would run until killed
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break Some(status);
        }
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    };
    let mut stderr = String::new();
    if let Some(mut err) = child.stderr.take() {
        use std::io::Read;
        let _ = err.read_to_string(&mut stderr);
    }
    let status = status.unwrap_or_else(|| panic!("serve started without an SMTP password: {stderr}"));
    assert!(!status.success(), "{stderr}");
    assert!(
        stderr.contains("mail.smtp.username is set but no password")
            && stderr.contains("HORME__MAIL__SMTP__PASSWORD")
            && stderr.contains("mail.smtp.password_file"),
        "names where the password goes: {stderr}"
    );
}
