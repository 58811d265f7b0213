//! The HTTP API on a real socket: upload → 202 → status → quotation JSON → PDF; health,
//! readiness and metrics; and every bad request answered with a specific 4xx.

mod common;

use std::time::Duration;

use horme::http::{HttpState, router};
use horme::startup::App;
use reqwest::multipart::{Form, Part};
use reqwest::{Client, StatusCode};
use secrecy::SecretString;
use serde_json::Value;
use sqlx::PgPool;
use tokio_util::sync::CancellationToken;

const TOKEN: &str = "test-token-0123456789";
const OTHER_TOKEN: &str = "other-token-9876543210";

struct Server {
    base: String,
    client: Client,
    shutdown: CancellationToken,
}

impl Drop for Server {
    fn drop(&mut self) {
        self.shutdown.cancel();
    }
}

async fn start(pool: PgPool, max_upload_bytes: usize) -> Server {
    let mut settings = common::settings();
    settings.http.api_tokens = vec![SecretString::from(TOKEN), SecretString::from(OTHER_TOKEN)];
    settings.http.max_upload_bytes = max_upload_bytes;
    let app = common::app_with(pool, settings).await;
    common::import_demo_catalog(&app).await;
    let shutdown = CancellationToken::new();
    tokio::spawn(horme::jobs::worker::run_pool(app.clone(), 2, shutdown.clone()));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    let state = HttpState {
        app: App::clone(&app),
        metrics: horme::http::install_recorder(),
    };
    let limits = horme::http::server::ServerLimits::from_settings(&app.settings.http);
    tokio::spawn(horme::http::server::serve(
        listener,
        router(state),
        limits,
        shutdown.clone(),
    ));
    Server {
        base: format!("http://{addr}"),
        client: Client::new(),
        shutdown,
    }
}

fn file_form(name: &str, bytes: Vec<u8>) -> Form {
    Form::new().part("file", Part::bytes(bytes).file_name(name.to_string()))
}

impl Server {
    async fn upload(&self, token: Option<&str>, form: Form) -> (StatusCode, Value) {
        let mut req = self.client.post(format!("{}/api/rfps", self.base)).multipart(form);
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        let res = req.send().await.expect("send");
        let status = res.status();
        (status, res.json().await.unwrap_or(Value::Null))
    }

    async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(format!("{}{path}", self.base))
            .bearer_auth(TOKEN)
            .send()
            .await
            .expect("get")
    }
}

#[sqlx::test]
async fn upload_is_processed_to_a_quotation_with_a_pdf(pool: PgPool) {
    let s = start(pool.clone(), 1 << 20).await;
    let rfp = std::fs::read(common::fixture("corpus/rfps/rfp-003.xlsx")).expect("fixture");
    let (status, body) = s.upload(Some(TOKEN), file_form("rfp-003.xlsx", rfp)).await;
    assert_eq!(status, StatusCode::ACCEPTED, "{body}");
    let id = body["id"].as_str().expect("id").to_string();
    let done = common::eventually(Duration::from_secs(30), || {
        let s = &s;
        let id = id.clone();
        async move {
            let v: Value = s.get(&format!("/api/rfps/{id}")).await.json().await.ok()?;
            (v["status"] == "done" || v["status"] == "failed").then_some(v)
        }
    })
    .await
    .expect("the request finishes");
    assert_eq!(done["status"], "done", "{done}");
    let q = &done["quotation"];
    assert_eq!(q["source"], "rfp-003.xlsx");
    assert!(!q["lines"].as_array().expect("lines").is_empty());
    let number = q["number"].as_str().expect("number");
    assert!(number.starts_with("Q-"), "{number}");
    let pdf = s.get(done["pdf_url"].as_str().expect("pdf url")).await;
    assert_eq!(pdf.status(), StatusCode::OK);
    assert_eq!(pdf.headers()["content-type"], "application/pdf");
    assert!(pdf.bytes().await.expect("bytes").starts_with(b"%PDF-"));
    let shown: Value = s
        .get(&format!("/api/quotations/{number}"))
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(shown["total"], q["total"]);
    // the retention purge removed the PDF: 410 with what happened, not "no PDF yet"
    sqlx::query("update quotations set pdf = null, pdf_purged_at = now() where number = $1")
        .bind(number)
        .execute(&pool)
        .await
        .expect("purge");
    let gone = s.get(done["pdf_url"].as_str().expect("pdf url")).await;
    assert_eq!(gone.status(), StatusCode::GONE);
    let why: Value = gone.json().await.expect("json");
    assert!(why["error"].as_str().unwrap_or("").contains("retention"), "{why}");

    let metrics = s
        .client
        .get(format!("{}/metrics", s.base))
        .send()
        .await
        .expect("metrics");
    let text = metrics.text().await.expect("text");
    assert!(text.contains("horme_jobs{"), "jobs by state: {text}");
    assert!(text.contains("horme_step_duration_seconds"), "step durations");
    assert!(text.contains("horme_http_request_duration_seconds"), "HTTP latency");
}

#[sqlx::test]
async fn health_and_readiness(pool: PgPool) {
    let s = start(pool, 1 << 20).await;
    let live = s
        .client
        .get(format!("{}/healthz", s.base))
        .send()
        .await
        .expect("healthz");
    assert_eq!(live.status(), StatusCode::OK);
    let ready = s.client.get(format!("{}/readyz", s.base)).send().await.expect("readyz");
    assert_eq!(ready.status(), StatusCode::OK);
}

#[sqlx::test]
async fn bad_requests_get_specific_errors(pool: PgPool) {
    let s = start(pool, 64 * 1024).await;
    let small = || file_form("rfp.txt", b"Gloves - 10 pcs".to_vec());

    let (status, body) = s.upload(None, small()).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["error"], "missing or invalid API token");
    let (status, _) = s.upload(Some("wrong-token"), small()).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    let (status, body) = s
        .upload(Some(TOKEN), file_form("big.txt", vec![b'a'; 200 * 1024]))
        .await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{body}");

    let (status, body) = s
        .upload(Some(TOKEN), file_form("photo.jpg", vec![0xff, 0xd8, 0xff]))
        .await;
    assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert!(body["error"].as_str().expect("error").contains("unsupported file type"));

    let (status, body) = s.upload(Some(TOKEN), file_form("empty.pdf", Vec::new())).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body["error"].as_str().expect("error").contains("empty"));

    let (status, body) = s
        .upload(Some(TOKEN), Form::new().text("customer", "not-an-address"))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");

    let missing = s.get("/api/rfps/00000000-0000-0000-0000-000000000000").await;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    let bad_number = s.get("/api/quotations/nonsense/pdf").await;
    assert_eq!(bad_number.status(), StatusCode::NOT_FOUND);
}

#[sqlx::test]
async fn idempotency_keys_are_per_token_and_bound_to_content(pool: PgPool) {
    let s = start(pool, 1 << 20).await;
    let send = |token: &'static str, key: &'static str, text: &'static str| {
        let s = &s;
        async move {
            let res = s
                .client
                .post(format!("{}/api/rfps", s.base))
                .bearer_auth(token)
                .header("Idempotency-Key", key)
                .multipart(Form::new().text("text", text))
                .send()
                .await
                .expect("send");
            let status = res.status();
            (status, res.json::<Value>().await.unwrap_or(Value::Null))
        }
    };
    let (status, first) = send(TOKEN, "order-1", "10 pcs Molykote 33M grease").await;
    assert_eq!(status, StatusCode::ACCEPTED, "{first}");
    assert_eq!(first["duplicate"], false);
    // the same request again: the first answer, marked duplicate
    let (status, again) = send(TOKEN, "order-1", "10 pcs Molykote 33M grease").await;
    assert_eq!(status, StatusCode::ACCEPTED, "{again}");
    assert_eq!(again["id"], first["id"]);
    assert_eq!(again["duplicate"], true);
    // the same key with other content: refused, nothing dropped silently
    let (status, conflict) = send(TOKEN, "order-1", "20 pcs Molykote 33M grease").await;
    assert_eq!(status, StatusCode::CONFLICT, "{conflict}");
    assert!(
        conflict["error"]
            .as_str()
            .unwrap_or("")
            .contains("already used for a different request"),
        "{conflict}"
    );
    // another client's key of the same name is theirs
    let (status, other) = send(OTHER_TOKEN, "order-1", "20 pcs Molykote 33M grease").await;
    assert_eq!(status, StatusCode::ACCEPTED, "{other}");
    assert_eq!(other["duplicate"], false);
    assert_ne!(other["id"], first["id"]);
}
