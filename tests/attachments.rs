//! Every attachment accounted for (issue 10 item 7): a request with an oversize and an
//! unreadable attachment next to a readable one is quoted from the readable one, and each
//! skipped attachment is named with its reason in the quotation JSON (`horme quote --json`),
//! the API status, the draft to the approvers and the reply to the customer.

mod common;

use std::time::Duration;

use channels::{Attachment, ChannelKind, InboundMessage, Sender, ThreadRef};
use horme::http::{HttpState, router};
use horme::quotations::{Actor, lifecycle};
use horme::startup::App;
use secrecy::SecretString;
use serde_json::{Value, json};
use sqlx::PgPool;
use tokio_util::sync::CancellationToken;

const TOKEN: &str = "test-token-0123456789";
const APPROVER: &str = "sales.lead@horme.test";
const CUSTOMER: &str = "buyer@customer.test";
const LIMIT: usize = 64 * 1024;

const CATALOG: &str = "sku,name,brand,category,unit,price,currency\n\
    0400000001,WEICON WEICONLOCK AN 302-25 200 ML PIPE SEALING,WEICON,Chemicals,pc,20.0917,SGD\n\
    0500000001,TOILET BOWL BRUSH WITH HOLDER DELUXE,,Cleaning,pc,10.005,SGD\n";

const ITEMS: &str =
    "Please quote:\n1. Weiconlock AN 302-25 200ml - 24 pcs\n2. Toilet bowl brush with holder deluxe - 2 pcs\n";

fn attachment(name: &str, media: &str, content: Vec<u8>) -> Attachment {
    Attachment {
        filename: name.into(),
        media_type: media.into(),
        content,
    }
}

/// Three attachments: over the size limit, damaged, readable.
fn attachments() -> Vec<Attachment> {
    vec![
        attachment("drawings.pdf", "application/pdf", vec![b'%'; LIMIT + 1000]),
        attachment(
            "prices.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            b"this is not a spreadsheet".to_vec(),
        ),
        attachment("items.txt", "text/plain", ITEMS.as_bytes().to_vec()),
    ]
}

fn expected_documents() -> Value {
    json!([
        {"name": "drawings.pdf", "status": "skipped",
         "reason": format!("the file is {} bytes, more than the limit of {LIMIT} bytes", LIMIT + 1000)},
        {"name": "prices.xlsx", "status": "skipped",
         "reason": "the file is damaged or not a valid XLSX file (invalid Zip archive: Could not find EOCD)"},
        {"name": "items.txt", "status": "read"},
    ])
}

async fn app(pool: PgPool) -> App {
    let mut s = common::settings();
    s.approval.approvers = vec![APPROVER.to_string()];
    s.pipeline.max_document_bytes = LIMIT;
    s.http.api_tokens = vec![SecretString::from(TOKEN)];
    // replies by mail are written to the outbox (nothing drains it here)
    s.mail.enabled = true;
    s.mail.from_address = "sales@horme.test".into();
    s.mail.message_id_domain = "horme.test".into();
    let app = common::app_with(pool, s).await;
    common::import_catalog_csv(&app, CATALOG, None).await;
    app
}

/// Polls the outbox for the body of the reply of `kind`.
async fn outbox_body(app: &App, kind: &str) -> String {
    common::eventually(Duration::from_secs(30), || async {
        sqlx::query_scalar::<_, String>("select body from outbox where kind = $1")
            .bind(kind)
            .fetch_optional(&app.pool)
            .await
            .ok()
            .flatten()
    })
    .await
    .unwrap_or_else(|| panic!("no {kind} in the outbox"))
}

fn assert_names_skipped(text: &str, what: &str) {
    let line = format!(
        "We could not read drawings.pdf: the file is {} bytes, more than the limit of {LIMIT} bytes.",
        LIMIT + 1000
    );
    assert!(text.contains(&line), "{what} names the oversize file: {text}");
    assert!(
        text.contains("We could not read prices.xlsx: the file is damaged or not a valid XLSX file"),
        "{what} names the damaged file: {text}"
    );
    assert!(
        !text.contains("items.txt"),
        "{what}: the read file is not listed: {text}"
    );
}

#[sqlx::test]
async fn skipped_attachments_are_named_in_the_status_the_draft_and_the_reply(pool: PgPool) {
    let app = app(pool).await;
    let shutdown = CancellationToken::new();
    tokio::spawn(horme::jobs::worker::run_pool(app.clone(), 2, shutdown.clone()));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
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

    let id = "<three-attachments@customer.test>";
    let msg = InboundMessage {
        channel: ChannelKind::Email,
        external_id: id.into(),
        thread: ThreadRef::Email {
            message_id: id.into(),
            references: vec![],
            subject: "RFQ".into(),
            reply_to: CUSTOMER.into(),
        },
        sender: Sender {
            address: CUSTOMER.into(),
            display_name: Some("Buyer".into()),
        },
        subject: Some("RFQ".into()),
        text: "Dear sales, please quote the attached.".into(),
        html: None,
        attachments: attachments(),
        raw: None,
        forwarded_by: None,
    };
    let stored = horme::ingest::store(&app.pool, &msg, 3).await.expect("store");

    // the API status: done, quoted from the readable file, every attachment listed
    let client = reqwest::Client::new();
    let status = common::eventually(Duration::from_secs(30), || {
        let client = &client;
        let url = format!("{base}/api/rfps/{}", stored.rfp_id);
        async move {
            let v: Value = client
                .get(url)
                .bearer_auth(TOKEN)
                .send()
                .await
                .ok()?
                .json()
                .await
                .ok()?;
            (v["status"] == "done" || v["status"] == "failed").then_some(v)
        }
    })
    .await
    .expect("the request finishes");
    assert_eq!(status["status"], "done", "{status}");
    assert_eq!(status["documents"], expected_documents(), "{status}");
    let q = &status["quotation"];
    assert_eq!(q["documents"], expected_documents(), "the quotation JSON: {q}");
    assert_eq!(q["lines"].as_array().expect("lines").len(), 2, "{q}");

    // the draft to the approvers, then (approved) the reply to the customer
    assert_names_skipped(&outbox_body(&app, "approval_request").await, "the draft");
    let number = q["number"].as_str().expect("number");
    lifecycle::approve(&app, number, &Actor::person(APPROVER), "test", &Default::default())
        .await
        .expect("approve");
    assert_names_skipped(&outbox_body(&app, "quotation").await, "the reply");
    shutdown.cancel();
}

/// `horme quote mail.eml --json`: the top-level `documents` names the skipped attachments
/// (the command refuses a file over the size limit as a whole, so no oversize one here).
#[sqlx::test]
async fn quote_json_lists_every_attachment(pool: PgPool) {
    let app = app(pool.clone()).await;
    drop(app);
    let dir = tempfile::tempdir().expect("tempdir");
    let eml = dir.path().join("rfq.eml");
    let mut raw = String::from(
        "From: Buyer <buyer@customer.test>\r\nTo: sales@horme.test\r\nSubject: RFQ\r\n\
         Message-ID: <cli-attachments@customer.test>\r\nMIME-Version: 1.0\r\n\
         Content-Type: multipart/mixed; boundary=\"XYZ\"\r\n\r\n\
         --XYZ\r\nContent-Type: text/plain\r\n\r\nPlease quote the attached.\r\n",
    );
    use base64::Engine as _;
    let mut files = attachments();
    files[0] = attachment("photo.png", "image/png", b"\x89PNG\r\n".to_vec());
    for a in files {
        raw.push_str(&format!(
            "--XYZ\r\nContent-Type: {}; name=\"{n}\"\r\nContent-Disposition: attachment; filename=\"{n}\"\r\n\
             Content-Transfer-Encoding: base64\r\n\r\n{}\r\n",
            a.media_type,
            base64::engine::general_purpose::STANDARD.encode(&a.content),
            n = a.filename,
        ));
    }
    raw.push_str("--XYZ--\r\n");
    std::fs::write(&eml, raw).expect("write eml");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_horme"))
        .args(["quote", eml.to_str().expect("path"), "--json"])
        .current_dir(common::repo())
        .env("DATABASE_URL", common::database_url(&pool))
        .env("HORME_CONFIG", common::repo().join("tests/fixtures/horme-test.toml"))
        .env("HORME__PIPELINE__MAX_DOCUMENT_BYTES", LIMIT.to_string())
        .env_remove("RUST_LOG")
        .output()
        .expect("run horme");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let q: Value = serde_json::from_str(&stdout).expect("one JSON object");
    let mut expected = expected_documents();
    expected[0] = json!({"name": "photo.png", "status": "skipped",
        "reason": "unsupported file type (we read PDF, DOCX, XLSX, XLS, ODS, CSV, TXT, HTML and EML)"});
    assert_eq!(q["documents"], expected, "{q}");
    assert_eq!(q["lines"].as_array().expect("lines").len(), 2, "{q}");
}
