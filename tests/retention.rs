//! Retention (issue 12): the bytes of old, settled requests are purged — raw mail, document
//! contents, rendered PDFs — and the rows accounting needs stay; recent data, requests in
//! progress and open quotations are never touched; every purge is audited; a second run
//! finds nothing.

mod common;

use std::time::Duration;

use channels::{Attachment, ChannelKind, InboundMessage, Sender, ThreadRef};
use chrono::Utc;
use horme::config::RetentionSettings;
use horme::retention::{self, Kind};
use horme::startup::App;
use sqlx::PgPool;
use uuid::Uuid;

const CATALOG: &str = "sku,name,brand,category,unit,price,currency\n\
    0400000001,WEICON WEICONLOCK AN 302-25 200 ML PIPE SEALING,WEICON,Chemicals,pc,20.0917,SGD\n\
    0500000001,TOILET BOWL BRUSH WITH HOLDER DELUXE,,Cleaning,pc,10.005,SGD\n";

const ITEMS: &str =
    "Please quote:\n1. Weiconlock AN 302-25 200ml - 24 pcs\n2. Toilet bowl brush with holder deluxe - 2 pcs\n";

const POLICY: RetentionSettings = RetentionSettings {
    raw_mail_days: 180,
    documents_days: 180,
    rendered_pdf_days: 365,
};

async fn app(pool: PgPool) -> App {
    let app = common::app(pool).await;
    common::import_catalog_csv(&app, CATALOG, None).await;
    app
}

/// A mail with its raw bytes and a TXT attachment listing the items.
fn mail(from: &str) -> InboundMessage {
    let id = format!("<{}@customer.test>", Uuid::now_v7());
    let raw = format!(
        "From: Buyer <{from}>\r\nTo: sales@horme.test\r\nSubject: RFQ\r\nMessage-ID: {id}\r\n\r\nPlease see the attached list.\r\n"
    );
    InboundMessage {
        channel: ChannelKind::Email,
        external_id: id.clone(),
        thread: ThreadRef::Email {
            message_id: id,
            references: vec![],
            subject: "RFQ".into(),
            reply_to: from.into(),
        },
        sender: Sender {
            address: from.into(),
            display_name: Some("Buyer".into()),
        },
        subject: Some("RFQ".into()),
        text: "Please see the attached list.".into(),
        html: None,
        attachments: vec![Attachment {
            filename: "rfq.txt".into(),
            media_type: "text/plain".into(),
            content: ITEMS.as_bytes().to_vec(),
        }],
        raw: Some(raw.into_bytes()),
        forwarded_by: None,
    }
}

/// One request stored and (with `run`) quoted: (message id, request id, quotation number).
async fn request(app: &App, from: &str, run: bool) -> (Uuid, Uuid, Option<String>) {
    let stored = horme::ingest::store(&app.pool, &mail(from), 3).await.expect("store");
    if !run {
        return (stored.message_id, stored.rfp_id, None);
    }
    let status = horme::jobs::worker::drain_rfp(app, stored.rfp_id, Duration::from_secs(30))
        .await
        .expect("drain");
    assert_eq!(status, "done");
    let q = horme::quotations::load_by_rfp(&app.pool, stored.rfp_id)
        .await
        .expect("load")
        .expect("quotation");
    assert!(q.has_pdf, "the pipeline rendered a PDF");
    (stored.message_id, stored.rfp_id, Some(q.number))
}

/// Moves a request back in time: received `days` ago, its quotation created then and (with
/// `status`) closed `closed_days` ago.
async fn age(app: &App, message: Uuid, number: Option<&str>, days: i32, status: Option<(&str, i32)>) {
    sqlx::query("update inbound_messages set received_at = now() - make_interval(days => $2) where id = $1")
        .bind(message)
        .bind(days)
        .execute(&app.pool)
        .await
        .expect("age message");
    let Some(number) = number else { return };
    sqlx::query("update quotations set created_at = now() - make_interval(days => $2) where number = $1")
        .bind(number)
        .bind(days)
        .execute(&app.pool)
        .await
        .expect("age quotation");
    if let Some((status, closed_days)) = status {
        sqlx::query(
            "update quotations set status = $2, closed_at = case when $2 in ('accepted', 'rejected', 'expired')
                 then now() - make_interval(days => $3) end where number = $1",
        )
        .bind(number)
        .bind(status)
        .bind(closed_days)
        .execute(&app.pool)
        .await
        .expect("close quotation");
    }
}

#[derive(Debug, PartialEq, Eq)]
struct Bytes {
    raw: Option<usize>,
    documents: Vec<usize>,
    pdf: Option<usize>,
}

async fn bytes_of(app: &App, message: Uuid, number: Option<&str>) -> Bytes {
    let raw: Option<Vec<u8>> = sqlx::query_scalar("select raw from inbound_messages where id = $1")
        .bind(message)
        .fetch_one(&app.pool)
        .await
        .expect("raw");
    let documents: Vec<Vec<u8>> =
        sqlx::query_scalar("select content from documents where inbound_message_id = $1 order by ordinal")
            .bind(message)
            .fetch_all(&app.pool)
            .await
            .expect("documents");
    let pdf: Option<Vec<u8>> = match number {
        Some(n) => sqlx::query_scalar("select pdf from quotations where number = $1")
            .bind(n)
            .fetch_one(&app.pool)
            .await
            .expect("pdf"),
        None => None,
    };
    Bytes {
        raw: raw.map(|r| r.len()),
        documents: documents.iter().map(Vec::len).collect(),
        pdf: pdf.map(|p| p.len()),
    }
}

async fn accounting(app: &App, number: &str) -> (String, String, i64, String) {
    sqlx::query_as(
        r#"select q.number, q.total::text, (select count(*) from quotation_lines l where l.quotation_id = q.id),
                  (select string_agg(coalesce(l.line_total::text, '-'), ',' order by l.line_no)
                   from quotation_lines l where l.quotation_id = q.id)
           from quotations q where q.number = $1"#,
    )
    .bind(number)
    .fetch_one(&app.pool)
    .await
    .expect("accounting rows")
}

#[sqlx::test]
async fn old_settled_bytes_go_and_everything_else_stays(pool: PgPool) {
    let app = app(pool).await;
    // old and closed: everything goes
    let (old_msg, _, old_q) = request(&app, "old@customer.test", true).await;
    age(&app, old_msg, old_q.as_deref(), 400, Some(("rejected", 390))).await;
    // closed recently, though received long ago: the clock starts at the close
    let (recent_msg, _, recent_q) = request(&app, "recent@customer.test", true).await;
    age(&app, recent_msg, recent_q.as_deref(), 400, Some(("accepted", 10))).await;
    // old but still open: a sent quotation not expired
    let (open_msg, _, open_q) = request(&app, "open@customer.test", true).await;
    age(&app, open_msg, open_q.as_deref(), 400, Some(("sent", 0))).await;
    // old but still being processed
    let (busy_msg, busy_rfp, _) = request(&app, "busy@customer.test", false).await;
    age(&app, busy_msg, None, 400, None).await;
    // an old mail that opened no request
    let mut lone = mail("lone@customer.test");
    lone.attachments.clear();
    let mut tx = app.pool.begin().await.expect("tx");
    let lone_msg = horme::ingest::insert_message(&mut tx, &lone)
        .await
        .expect("insert")
        .expect("new");
    tx.commit().await.expect("commit");
    age(&app, lone_msg, None, 400, None).await;

    let before = [
        bytes_of(&app, old_msg, old_q.as_deref()).await,
        bytes_of(&app, recent_msg, recent_q.as_deref()).await,
        bytes_of(&app, open_msg, open_q.as_deref()).await,
        bytes_of(&app, busy_msg, None).await,
    ];
    let old_accounting = accounting(&app, old_q.as_deref().expect("number")).await;

    let plan = retention::plan(&app.pool, &POLICY, Utc::now()).await.expect("plan");
    let planned: Vec<(Kind, String)> = plan.iter().map(|i| (i.kind, i.candidate.label.clone())).collect();
    assert_eq!(plan.len(), 4, "{planned:?}");
    assert_eq!(
        plan.iter().filter(|i| i.kind == Kind::RawMail).count(),
        2,
        "{planned:?}"
    );
    assert!(planned.contains(&(Kind::Document, "rfq.txt".into())), "{planned:?}");
    assert!(
        planned.contains(&(Kind::RenderedPdf, old_q.clone().expect("number"))),
        "{planned:?}"
    );
    // planning changes nothing
    assert_eq!(bytes_of(&app, old_msg, old_q.as_deref()).await, before[0]);

    let purged = retention::purge(&app.pool, &POLICY, Utc::now(), "system:retention", "scheduler")
        .await
        .expect("purge");
    assert_eq!(purged, plan, "the purge takes what the plan listed");

    // the old request: bytes gone, rows kept and marked
    let after = bytes_of(&app, old_msg, old_q.as_deref()).await;
    assert_eq!(
        after,
        Bytes {
            raw: None,
            documents: vec![0],
            pdf: None
        }
    );
    let (raw_purged, doc_purged, doc_size, pdf_purged): (bool, bool, i64, bool) = sqlx::query_as(
        r#"select m.raw_purged_at is not null, d.purged_at is not null, d.size_bytes,
                  (select pdf_purged_at is not null from quotations where number = $2)
           from inbound_messages m join documents d on d.inbound_message_id = m.id where m.id = $1"#,
    )
    .bind(old_msg)
    .bind(old_q.as_deref())
    .fetch_one(&app.pool)
    .await
    .expect("marks");
    assert!(raw_purged && doc_purged && pdf_purged);
    assert_eq!(
        doc_size,
        ITEMS.len() as i64,
        "the document row still describes the file received"
    );
    assert_eq!(
        accounting(&app, old_q.as_deref().expect("number")).await,
        old_accounting
    );
    let body: String = sqlx::query_scalar("select body_text from inbound_messages where id = $1")
        .bind(old_msg)
        .fetch_one(&app.pool)
        .await
        .expect("body");
    assert_eq!(body, "Please see the attached list.", "the message row stays");
    assert_eq!(bytes_of(&app, lone_msg, None).await.raw, None);

    // everything else untouched
    assert_eq!(bytes_of(&app, recent_msg, recent_q.as_deref()).await, before[1]);
    assert_eq!(bytes_of(&app, open_msg, open_q.as_deref()).await, before[2]);
    assert_eq!(bytes_of(&app, busy_msg, None).await, before[3]);
    let busy_status: String = sqlx::query_scalar("select status from rfps where id = $1")
        .bind(busy_rfp)
        .fetch_one(&app.pool)
        .await
        .expect("status");
    assert_eq!(busy_status, "received");

    // each purge audited
    let audit: Vec<(String, String, String, String)> = sqlx::query_as(
        "select entity, entity_id, action, actor from audit_log where action like '%purged' order by id",
    )
    .fetch_all(&app.pool)
    .await
    .expect("audit");
    assert_eq!(audit.len(), 4, "{audit:?}");
    assert!(audit.iter().all(|a| a.3 == "system:retention"));
    assert!(audit.contains(&(
        "quotation".into(),
        old_q.clone().expect("number"),
        "pdf_purged".into(),
        "system:retention".into()
    )));
    assert!(audit.contains(&(
        "inbound_message".into(),
        old_msg.to_string(),
        "raw_purged".into(),
        "system:retention".into()
    )));

    // idempotent
    let again = retention::purge(&app.pool, &POLICY, Utc::now(), "system:retention", "scheduler")
        .await
        .expect("second purge");
    assert!(again.is_empty(), "{again:?}");
    let audited: i64 = sqlx::query_scalar("select count(*) from audit_log where action like '%purged'")
        .fetch_one(&app.pool)
        .await
        .expect("count");
    assert_eq!(audited, 4);
}

#[sqlx::test]
async fn zero_keeps_forever(pool: PgPool) {
    let app = app(pool).await;
    let (msg, _, q) = request(&app, "old@customer.test", true).await;
    age(&app, msg, q.as_deref(), 4000, Some(("expired", 3990))).await;
    let keep = RetentionSettings::default();
    assert!(!keep.purges_anything());
    assert!(
        retention::plan(&app.pool, &keep, Utc::now())
            .await
            .expect("plan")
            .is_empty()
    );
    // only PDFs: the mail and the document stay
    let pdfs_only = RetentionSettings {
        rendered_pdf_days: 30,
        ..keep
    };
    let purged = retention::purge(&app.pool, &pdfs_only, Utc::now(), "cli", "cli")
        .await
        .expect("purge");
    assert_eq!(purged.iter().map(|i| i.kind).collect::<Vec<_>>(), [Kind::RenderedPdf]);
    let b = bytes_of(&app, msg, q.as_deref()).await;
    assert!(
        b.raw.is_some() && b.documents == [ITEMS.len()] && b.pdf.is_none(),
        "{b:?}"
    );
}

#[sqlx::test]
async fn the_maintenance_job_purges_and_the_cli_shows_first(pool: PgPool) {
    let app = app(pool.clone()).await;
    let (msg, _, q) = request(&app, "old@customer.test", true).await;
    age(&app, msg, q.as_deref(), 400, Some(("rejected", 390))).await;
    let env = [
        ("HORME__RETENTION__RAW_MAIL_DAYS", "180"),
        ("HORME__RETENTION__DOCUMENTS_DAYS", "180"),
        ("HORME__RETENTION__RENDERED_PDF_DAYS", "365"),
    ];

    let out = std::process::Command::new(env!("CARGO_BIN_EXE_horme"))
        .args(["purge", "--dry-run"])
        .current_dir(common::repo())
        .env("DATABASE_URL", common::database_url(&pool))
        .env("HORME_CONFIG", common::repo().join("tests/fixtures/horme-test.toml"))
        .envs(env)
        .output()
        .expect("run horme");
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert!(out.status.success(), "{stderr}");
    assert_eq!(stdout.lines().count(), 3, "{stdout}");
    assert!(
        stdout.contains("rfq.txt") && stdout.contains(q.as_deref().expect("number")),
        "{stdout}"
    );
    assert!(stderr.contains("raw messages: 1 would be purged"), "{stderr}");
    assert!(stderr.contains("rendered PDFs: 1 would be purged"), "{stderr}");
    assert!(
        bytes_of(&app, msg, q.as_deref()).await.raw.is_some(),
        "a dry run changes nothing"
    );

    // the scheduled job, with the same settings
    let mut settings = common::settings();
    settings.retention = POLICY;
    let app = common::app_with(pool, settings).await;
    let mut conn = app.pool.acquire().await.expect("conn");
    horme::jobs::queue::enqueue(
        &mut conn,
        horme::jobs::queue::NewJob {
            kind: horme::jobs::maintenance::MAINTENANCE,
            payload: serde_json::json!({}),
            rfp_id: None,
            dedupe_key: None,
            priority: 100,
            max_attempts: 1,
        },
    )
    .await
    .expect("enqueue");
    let job = horme::jobs::queue::claim(&app.pool, "test", Duration::from_secs(30), None)
        .await
        .expect("claim")
        .expect("a job");
    assert_eq!(job.kind, horme::jobs::maintenance::MAINTENANCE);
    horme::jobs::run(&app, &job).await.expect("maintenance runs");
    let b = bytes_of(&app, msg, q.as_deref()).await;
    assert_eq!((b.raw, b.documents, b.pdf), (None, vec![0], None));
    let actors: Vec<String> = sqlx::query_scalar("select distinct actor from audit_log where action like '%purged'")
        .fetch_all(&app.pool)
        .await
        .expect("audit");
    assert_eq!(actors, ["system:retention"]);
}
