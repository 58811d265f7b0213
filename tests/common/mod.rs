//! Shared set-up for integration tests: an [`App`] on the throwaway database that
//! `#[sqlx::test]` created, the bundled demo catalog, and running one request to its end.
#![allow(dead_code)] // each test binary uses a different part of this module

pub mod bot_process;
pub mod fake_discord;
pub mod fake_openai;
pub mod fake_slack;
pub mod fake_telegram;
pub mod mail;
pub mod smtp_script;
pub mod tcp_cut;

use std::path::{Path, PathBuf};
use std::time::Duration;

use horme::config::Settings;
use horme::startup::App;
use sqlx::PgPool;

/// The repository root (tests run with the package directory as working directory).
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn fixture(rel: &str) -> PathBuf {
    repo().join("tests/fixtures").join(rel)
}

/// The built-in settings (texts built in, as in production), whatever the environment says.
pub fn settings() -> Settings {
    let mut s = Settings::builtin().expect("built-in settings");
    s.company.name = "Horme Test Supplies Pte Ltd".into();
    s.workers.lease_seconds = 30;
    // Tests run the library from a test binary: the document reader is the real program.
    s.pipeline.parser_executable = Some(PathBuf::from(env!("CARGO_BIN_EXE_horme")));
    s
}

pub async fn app(pool: PgPool) -> App {
    app_with(pool, settings()).await
}

pub async fn app_with(pool: PgPool, settings: Settings) -> App {
    App::with_pool(pool, settings).await.expect("app")
}

/// What README command (a) (`scripts/demo`) loads: the bundled demo catalog (the real Horme
/// catalog) and the default trade dictionary.
pub async fn import_demo_catalog(app: &App) {
    import_demo_products(app).await;
    let n = horme::catalog::synonyms::import_file(&app.pool, &trade_dictionary())
        .await
        .expect("trade dictionary imports");
    assert!(n > 0, "an empty trade dictionary");
}

/// The default trade dictionary shipped under `deploy/`.
pub fn trade_dictionary() -> PathBuf {
    repo().join("deploy/synonyms/trade.csv")
}

/// Imports the bundled demo catalog alone, without any synonyms.
pub async fn import_demo_products(app: &App) {
    let demo = repo().join("deploy/demo");
    let report = horme::catalog::import_files(
        &app.pool,
        Some(&demo.join("products.csv")),
        Some(&demo.join("price_tiers.csv")),
        "SGD",
        |_, _| {},
    )
    .await
    .expect("demo catalog imports");
    assert!(report.rejected.is_empty(), "{:?}", report.rejected);
}

/// Imports a small catalog written by the test.
pub async fn import_catalog_csv(app: &App, products_csv: &str, tiers_csv: Option<&str>) {
    let dir = tempfile::tempdir().expect("tempdir");
    let products = dir.path().join("products.csv");
    std::fs::write(&products, products_csv).expect("write products");
    let tiers = tiers_csv.map(|t| {
        let p = dir.path().join("tiers.csv");
        std::fs::write(&p, t).expect("write tiers");
        p
    });
    horme::catalog::import_files(&app.pool, Some(&products), tiers.as_deref(), "SGD", |_, _| {})
        .await
        .expect("catalog imports");
}

/// Runs the whole pipeline on one file, as `horme quote` does, and returns the quotation JSON.
pub async fn quote_file(app: &App, path: &Path) -> Result<serde_json::Value, String> {
    horme::cli::quote_once(app, path, None)
        .await
        .map(|q| serde_json::to_value(&q.view).expect("json"))
        .map_err(|e| format!("{e:#}"))
}

/// Polls `f` until it returns Some or the timeout passes.
pub async fn eventually<T, F, Fut>(timeout: Duration, mut f: F) -> Option<T>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let start = std::time::Instant::now();
    loop {
        if let Some(v) = f().await {
            return Some(v);
        }
        if start.elapsed() > timeout {
            return None;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

/// A connection URL for the database behind `pool` (to hand to a `horme` child process).
pub fn database_url(pool: &PgPool) -> String {
    let base = std::env::var("DATABASE_URL").expect("DATABASE_URL");
    let db = pool
        .connect_options()
        .get_database()
        .expect("database name")
        .to_string();
    let (head, tail) = match base.split_once('?') {
        Some((h, t)) => (h.to_string(), format!("?{t}")),
        None => (base.clone(), String::new()),
    };
    let root = match head.rsplit_once('/') {
        Some((r, _)) if r.contains("://") && r.len() > r.find("://").map_or(0, |i| i + 3) => r.to_string(),
        _ => head.trim_end_matches('/').to_string(),
    };
    format!("{root}/{db}{tail}")
}

/// Runs the `horme` binary against the test's database; returns (exit code, stdout, stderr).
pub fn horme(pool: &PgPool, args: &[&str]) -> (i32, String, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_horme"))
        .args(args)
        .current_dir(repo())
        .env("DATABASE_URL", database_url(pool))
        .env("HORME_CONFIG", repo().join("tests/fixtures/horme-test.toml"))
        .env_remove("RUST_LOG")
        .output()
        .expect("run horme");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A request mailed by `from`, run through the pipeline: its quotation number.
pub async fn quote_mailed(app: &App, from: &str, body: &str) -> String {
    let id = uuid::Uuid::now_v7().to_string();
    use channels::{ChannelKind, InboundMessage, Sender, ThreadRef};
    let msg = InboundMessage {
        channel: ChannelKind::Email,
        external_id: format!("<{id}@customer.test>"),
        thread: ThreadRef::Email {
            message_id: format!("<{id}@customer.test>"),
            references: vec![],
            subject: "RFQ".into(),
            reply_to: from.into(),
        },
        sender: Sender {
            address: from.into(),
            display_name: Some("Buyer".into()),
        },
        subject: Some("RFQ".into()),
        text: body.into(),
        html: None,
        attachments: vec![],
        raw: None,
        forwarded_by: None,
    };
    let stored = horme::ingest::store(&app.pool, &msg, 3).await.expect("store");
    let status = horme::jobs::worker::drain_rfp(app, stored.rfp_id, Duration::from_secs(30))
        .await
        .expect("drain");
    assert_eq!(status, "done");
    horme::quotations::store::load_by_rfp(&app.pool, stored.rfp_id)
        .await
        .expect("load")
        .expect("quotation")
        .number
}
