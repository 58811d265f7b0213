//! A person's data on request (issue 12): `horme customers export EMAIL` gives everything
//! stored about them as JSON; `horme customers forget EMAIL` erases it — mail, documents,
//! names, addresses, chat ids — and keeps their quotations anonymised, numbers and totals
//! untouched. Another customer's data is untouched by both.

mod common;

use std::time::Duration;

use base64::Engine;
use channels::{Attachment, ChannelKind, InboundMessage, Sender, ThreadRef};
use horme::quotations::{Actor, Adjustments, lifecycle};
use horme::startup::App;
use sqlx::PgPool;
use uuid::Uuid;

const APPROVER: &str = "sales.lead@horme.test";
const ALICE: &str = "alice@customer.test";
const BOB: &str = "bob@other.test";
const ALICE_CHAT: &str = "telegram:4242";

const CATALOG: &str = "sku,name,brand,category,unit,price,currency\n\
    0400000001,WEICON WEICONLOCK AN 302-25 200 ML PIPE SEALING,WEICON,Chemicals,pc,20.0917,SGD\n\
    0500000001,TOILET BOWL BRUSH WITH HOLDER DELUXE,,Cleaning,pc,10.005,SGD\n";

const ITEMS: &str =
    "Please quote:\n1. Weiconlock AN 302-25 200ml - 24 pcs\n2. Toilet bowl brush with holder deluxe - 2 pcs\n";

async fn app(pool: PgPool) -> App {
    let mut s = common::settings();
    s.approval.approvers = vec![APPROVER.to_string()];
    let app = common::app_with(pool, s).await;
    common::import_catalog_csv(&app, CATALOG, None).await;
    app
}

fn mail(from: &str, name: &str) -> InboundMessage {
    let id = format!("<{}@mail.test>", Uuid::now_v7());
    let raw = format!(
        "From: {name} <{from}>\r\nTo: sales@horme.test\r\nSubject: RFQ from {name}\r\nMessage-ID: {id}\r\n\r\nPlease see the attached list.\r\n{name}\r\n"
    );
    InboundMessage {
        channel: ChannelKind::Email,
        external_id: id.clone(),
        thread: ThreadRef::Email {
            message_id: id,
            references: vec![],
            subject: format!("RFQ from {name}"),
            reply_to: from.into(),
        },
        sender: Sender {
            address: from.into(),
            display_name: Some(name.into()),
        },
        subject: Some(format!("RFQ from {name}")),
        text: format!("Please see the attached list.\n{name}"),
        html: None,
        attachments: vec![Attachment {
            filename: format!("{}-rfq.txt", name.to_lowercase().replace(' ', "-")),
            media_type: "text/plain".into(),
            content: ITEMS.as_bytes().to_vec(),
        }],
        raw: Some(raw.into_bytes()),
        forwarded_by: None,
    }
}

fn chat(text: &str, message_id: i64) -> InboundMessage {
    InboundMessage {
        channel: ChannelKind::Telegram,
        external_id: format!("4242:{message_id}"),
        thread: ThreadRef::Telegram {
            chat_id: 4242,
            message_id,
            message_thread_id: None,
        },
        sender: Sender {
            address: ALICE_CHAT.into(),
            display_name: Some("Alice Tan".into()),
        },
        subject: None,
        text: text.into(),
        html: None,
        attachments: vec![],
        raw: Some(format!("{{\"message_id\":{message_id},\"text\":{text:?}}}").into_bytes()),
        forwarded_by: None,
    }
}

/// Stores and runs a request: (message id, final status, quotation number if any).
async fn submit(app: &App, msg: &InboundMessage) -> (Uuid, String, Option<String>) {
    let stored = horme::ingest::store(&app.pool, msg, 3).await.expect("store");
    let status = horme::jobs::worker::drain_rfp(app, stored.rfp_id, Duration::from_secs(30))
        .await
        .expect("drain");
    let number = horme::quotations::load_by_rfp(&app.pool, stored.rfp_id)
        .await
        .expect("load")
        .map(|q| q.number);
    (stored.message_id, status, number)
}

/// approve → sent → accepted by the customer.
async fn accept(app: &App, number: &str, customer: &str) {
    lifecycle::approve(app, number, &Actor::person(APPROVER), "email", &Adjustments::default())
        .await
        .expect("approve");
    lifecycle::mark_sent(app, number, &Actor::system("outbox"), "email")
        .await
        .expect("sent");
    lifecycle::accept(app, number, &Actor::person(customer), "email")
        .await
        .expect("accept");
}

struct World {
    alice_mail: Uuid,
    alice_raw: Vec<u8>,
    alice_quote: String,
    alice_chat_quote: String,
    alice_messages: Vec<Uuid>,
    bob_mail: Uuid,
    bob_quote: String,
}

async fn world(app: &App) -> World {
    horme::customers::add(
        &app.pool,
        "Alice Tan",
        &horme::customers::CustomerKey::Email(ALICE.into()),
        rust_decimal::Decimal::new(5, 0),
    )
    .await
    .expect("alice");
    horme::customers::add(
        &app.pool,
        "Other Pte Ltd",
        &horme::customers::CustomerKey::Domain("other.test".into()),
        rust_decimal::Decimal::ZERO,
    )
    .await
    .expect("bob's company");
    let m = mail(ALICE, "Alice Tan");
    let alice_raw = m.raw.clone().expect("raw");
    let (alice_mail, status, q) = submit(app, &m).await;
    assert_eq!(status, "done");
    let alice_quote = q.expect("alice's quotation");
    accept(app, &alice_quote, ALICE).await;
    // in a chat, with her address in the text: the chat identity is hers
    let (chat1, status, q) = submit(app, &chat(&format!("{ITEMS}Alice Tan\n{ALICE}"), 1)).await;
    assert_eq!(status, "done");
    let alice_chat_quote = q.expect("chat quotation");
    // the same chat user again, no address, no items: a failed request, hers too
    let (chat2, status, _) = submit(app, &chat("hello, can you call me back?", 2)).await;
    assert_eq!(status, "failed");
    let (bob_mail, status, q) = submit(app, &mail(BOB, "Bob Lim")).await;
    assert_eq!(status, "done");
    let bob_quote = q.expect("bob's quotation");
    accept(app, &bob_quote, BOB).await;
    sqlx::query(
        "insert into chat_access (channel, scope, subject_id) values ('telegram', 'user', '4242'), ('telegram', 'user', '999')",
    )
    .execute(&app.pool)
    .await
    .expect("chat access");
    // an address that merely ends like hers must survive her erasure
    sqlx::query(
        r#"insert into audit_log (entity, entity_id, action, actor, channel, detail)
           values ('customer', 'malice@customer.test', 'note', 'malice@customer.test', 'cli', '{"who": "malice@customer.test"}')"#,
    )
    .execute(&app.pool)
    .await
    .expect("audit row");
    World {
        alice_mail,
        alice_raw,
        alice_quote,
        alice_chat_quote,
        alice_messages: vec![alice_mail, chat1, chat2],
        bob_mail,
        bob_quote,
    }
}

fn run(pool: &PgPool, args: &[&str]) -> (i32, String, String) {
    common::horme(pool, args)
}

#[sqlx::test]
async fn export_gives_everything_about_the_person_and_nothing_else(pool: PgPool) {
    let app = app(pool.clone()).await;
    let w = world(&app).await;

    let (code, stdout, stderr) = run(&pool, &["customers", "export", "Alice@Customer.test"]);
    assert_eq!(code, 0, "{stderr}");
    let v: serde_json::Value = serde_json::from_str(&stdout).expect("one JSON document");
    assert_eq!(v["email"], ALICE);
    assert_eq!(v["customer"]["name"], "Alice Tan");
    assert_eq!(v["chat_identities"], serde_json::json!([ALICE_CHAT]));
    assert_eq!(v["messages"].as_array().map(Vec::len), Some(3), "{v:#}");
    assert_eq!(v["requests"].as_array().map(Vec::len), Some(3));
    let numbers: Vec<&str> = v["quotations"]
        .as_array()
        .expect("quotations")
        .iter()
        .filter_map(|q| q["number"].as_str())
        .collect();
    assert_eq!(numbers, [w.alice_quote.as_str(), w.alice_chat_quote.as_str()]);
    let first = &v["quotations"][0];
    assert_eq!(first["lines"].as_array().map(Vec::len), Some(2));
    assert!(first["total"].is_string(), "money is a decimal string: {first}");
    let history: Vec<&str> = first["history"]
        .as_array()
        .expect("history")
        .iter()
        .filter_map(|h| h["action"].as_str())
        .collect();
    assert!(history.contains(&"accepted"), "{history:?}");
    let mail = v["messages"]
        .as_array()
        .expect("messages")
        .iter()
        .find(|m| m["channel"] == "email")
        .expect("the mail");
    assert_eq!(mail["documents"][0]["filename"], "alice-tan-rfq.txt");
    assert_eq!(mail["raw_bytes"], w.alice_raw.len());
    assert!(mail.get("raw_base64").is_none(), "bytes only with --with-content");
    assert!(
        !stdout.contains(BOB) && !stdout.contains("Bob Lim"),
        "nothing of Bob: {stdout}"
    );
    assert!(!stdout.contains(&w.bob_quote));

    // to a file, with the bytes
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("alice.json");
    let (code, stdout, stderr) = run(
        &pool,
        &[
            "customers",
            "export",
            ALICE,
            "--with-content",
            "--out",
            out.to_str().expect("path"),
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.is_empty());
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(&out).expect("file").permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "personal data readable by its owner only");
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&out).expect("read")).expect("json");
    let b64 = base64::engine::general_purpose::STANDARD;
    let mail = v["messages"]
        .as_array()
        .expect("messages")
        .iter()
        .find(|m| m["id"] == w.alice_mail.to_string())
        .expect("the mail");
    let raw = b64.decode(mail["raw_base64"].as_str().expect("raw")).expect("base64");
    assert_eq!(raw, w.alice_raw);
    let doc = b64
        .decode(mail["documents"][0]["content_base64"].as_str().expect("content"))
        .expect("base64");
    assert_eq!(doc, ITEMS.as_bytes());
    let pdf = b64
        .decode(v["quotations"][0]["pdf_base64"].as_str().expect("pdf"))
        .expect("base64");
    assert!(pdf.starts_with(b"%PDF-"));

    let audited: Vec<(String, String)> =
        sqlx::query_as("select entity_id, actor from audit_log where action = 'exported' order by id")
            .fetch_all(&pool)
            .await
            .expect("audit");
    let expected = (ALICE.to_string(), "cli".to_string());
    assert_eq!(audited, [expected.clone(), expected]);

    let (code, stdout, stderr) = run(&pool, &["customers", "export", "nobody@nowhere.test"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("nothing is stored about nobody@nowhere.test"),
        "{stderr}"
    );
    let v: serde_json::Value = serde_json::from_str(&stdout).expect("json");
    assert_eq!(v["messages"], serde_json::json!([]));
}

/// Every row of every table, as text, that mentions `needle`.
async fn mentions(pool: &PgPool, needle: &str) -> Vec<String> {
    let tables: Vec<String> = sqlx::query_scalar(
        "select table_name::text from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'",
    )
    .fetch_all(pool)
    .await
    .expect("tables");
    let mut found = Vec::new();
    for t in tables {
        let sql = format!("select x::text from {t} x where x::text ilike '%' || $1 || '%'");
        let rows: Vec<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
            .bind(needle)
            .fetch_all(pool)
            .await
            .expect("scan");
        found.extend(rows.into_iter().map(|r| format!("{t}: {r}")));
    }
    found
}

#[sqlx::test]
async fn forget_erases_the_person_and_keeps_anonymised_quotations(pool: PgPool) {
    let app = app(pool.clone()).await;
    let w = world(&app).await;
    let quotations_before: Vec<(String, String, i64)> = sqlx::query_as(
        r#"select number, total::text, (select count(*) from quotation_lines l where l.quotation_id = q.id)
           from quotations q order by number"#,
    )
    .fetch_all(&pool)
    .await
    .expect("quotations");
    let bob_before: (String, Option<Vec<u8>>, serde_json::Value) = sqlx::query_as(
        "select m.sender, m.raw, r.customer from inbound_messages m join rfps r on r.inbound_message_id = m.id where m.id = $1",
    )
    .bind(w.bob_mail)
    .fetch_one(&pool)
    .await
    .expect("bob");

    // an open quotation is in the way, and named
    let (code, _, stderr) = run(&pool, &["customers", "forget", ALICE, "--yes"]);
    assert_ne!(code, 0);
    assert!(
        stderr.contains(&format!("quotation {} is open (pending_approval)", w.alice_chat_quote)),
        "{stderr}"
    );
    assert!(!mentions(&pool, ALICE).await.is_empty(), "nothing erased yet");
    lifecycle::reject(
        &app,
        &w.alice_chat_quote,
        &Actor::person(APPROVER),
        "email",
        Some("data erasure"),
    )
    .await
    .expect("reject");
    // no prompt possible, no --yes: nothing happens
    let (code, _, stderr) = run(&pool, &["customers", "forget", ALICE]);
    assert_ne!(code, 0);
    assert!(stderr.contains("pass --yes"), "{stderr}");
    assert!(!mentions(&pool, ALICE).await.is_empty(), "nothing erased yet");

    let (code, _, stderr) = run(
        &pool,
        &["customers", "forget", ALICE, "--yes", "--by", "dpo@horme.test"],
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("erasure reference"), "{stderr}");

    // nothing names her any more, anywhere
    for needle in [ALICE, ALICE_CHAT, "Alice Tan", "alice-tan-rfq.txt"] {
        let left: Vec<String> = mentions(&pool, needle)
            .await
            .into_iter()
            .filter(|r| {
                r.to_lowercase()
                    .replace("malice@customer.test", "")
                    .contains(&needle.to_lowercase())
            })
            .collect();
        assert!(left.is_empty(), "{needle} still stored: {left:#?}");
    }
    let (raw, documents): (i64, i64) = sqlx::query_as(
        r#"select (select count(*) from inbound_messages where id = any($1) and (raw is not null or body_text <> '' or forgotten_at is null)),
                  (select count(*) from documents where inbound_message_id = any($1))"#,
    )
    .bind(&w.alice_messages)
    .fetch_one(&pool)
    .await
    .expect("counts");
    assert_eq!((raw, documents), (0, 0));

    // the quotations stay, numbers and totals untouched, anonymised
    let quotations_after: Vec<(String, String, i64)> = sqlx::query_as(
        r#"select number, total::text, (select count(*) from quotation_lines l where l.quotation_id = q.id)
           from quotations q order by number"#,
    )
    .fetch_all(&pool)
    .await
    .expect("quotations");
    assert_eq!(quotations_after, quotations_before);
    let (customer, pdf, decided_by, forgotten): (serde_json::Value, bool, Option<String>, bool) = sqlx::query_as(
        "select customer, pdf is not null, decided_by, forgotten_at is not null from quotations where number = $1",
    )
    .bind(&w.alice_quote)
    .fetch_one(&pool)
    .await
    .expect("quotation");
    assert_eq!(customer, serde_json::json!({}));
    assert!(!pdf && forgotten);
    assert_eq!(decided_by.as_deref(), Some(APPROVER), "staff stay named");
    let history: Vec<String> =
        sqlx::query_scalar("select action from audit_log where entity = 'quotation' and entity_id = $1 order by id")
            .bind(&w.alice_quote)
            .fetch_all(&pool)
            .await
            .expect("history");
    assert!(
        history.contains(&"accepted".to_string()),
        "the history stays: {history:?}"
    );

    // the erasure is audited, without her data
    let (entity_id, actor, detail): (String, String, serde_json::Value) =
        sqlx::query_as("select entity_id, actor, detail from audit_log where action = 'forgotten'")
            .fetch_one(&pool)
            .await
            .expect("audit");
    assert!(entity_id.starts_with("erasure-"), "{entity_id}");
    assert_eq!(actor, "dpo@horme.test");
    assert_eq!(detail["quotations_anonymised"].as_array().map(Vec::len), Some(2));
    assert_eq!(detail["customer_record_deleted"], true);

    // somebody else's data is untouched
    let bob_after: (String, Option<Vec<u8>>, serde_json::Value) = sqlx::query_as(
        "select m.sender, m.raw, r.customer from inbound_messages m join rfps r on r.inbound_message_id = m.id where m.id = $1",
    )
    .bind(w.bob_mail)
    .fetch_one(&pool)
    .await
    .expect("bob");
    assert_eq!(bob_after, bob_before);
    let bob_pdf: bool = sqlx::query_scalar("select pdf is not null from quotations where number = $1")
        .bind(&w.bob_quote)
        .fetch_one(&pool)
        .await
        .expect("bob's quotation");
    assert!(bob_pdf);
    assert!(
        mentions(&pool, BOB)
            .await
            .iter()
            .any(|r| r.starts_with("audit_log:") && r.contains("accepted")),
        "bob's acceptance is still audited under his address"
    );
    assert_eq!(mentions(&pool, "malice@customer.test").await.len(), 1);
    let access: Vec<String> = sqlx::query_scalar("select subject_id from chat_access order by 1")
        .fetch_all(&pool)
        .await
        .expect("access");
    assert_eq!(access, ["999"]);
    let companies: Vec<String> = sqlx::query_scalar("select name from customers order by 1")
        .fetch_all(&pool)
        .await
        .expect("customers");
    assert_eq!(companies, ["Other Pte Ltd"]);

    // again: nothing left to erase
    let (code, _, stderr) = run(&pool, &["customers", "forget", ALICE, "--yes"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("nothing is stored about"), "{stderr}");
    let erasures: i64 = sqlx::query_scalar("select count(*) from audit_log where action = 'forgotten'")
        .fetch_one(&pool)
        .await
        .expect("count");
    assert_eq!(erasures, 1);
}
