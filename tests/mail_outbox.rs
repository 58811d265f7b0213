//! The outbox drainer against a scripted SMTP server: a 4xx answer is retried with backoff and
//! the reply sent once; a 5xx answer is a permanent failure, kept with the server's words,
//! audited, listed and announced to sales; a reply left `sending` by a process that died is
//! sent exactly once after its lease expired.

mod common;

use std::time::Duration;

use channels::email::Security;
use channels::email::smtp::SmtpSender;
use channels::{ChannelKind, ThreadRef};
use common::smtp_script::ScriptedSmtp;
use horme::outbox::{self, NewReply};
use horme::startup::App;
use sqlx::PgPool;
use tokio_util::sync::CancellationToken;
use uuid::Uuid;

async fn app_for(pool: PgPool, smtp: &ScriptedSmtp) -> App {
    let mut s = common::settings();
    let m = &mut s.mail;
    m.enabled = true;
    m.from_address = "sales@horme.test".into();
    m.sales_address = "sales-team@horme.test".into();
    m.message_id_domain = "horme.test".into();
    m.outbox_poll_interval_ms = 100;
    m.outbox_backoff_base_seconds = 1;
    m.outbox_backoff_max_seconds = 1;
    m.outbox_lease_seconds = 10;
    m.smtp.host = "127.0.0.1".into();
    m.smtp.port = smtp.port;
    m.smtp.security = Security::Plain;
    m.smtp.timeout_seconds = 5;
    common::app_with(pool, s).await
}

fn reply(key: &str) -> NewReply {
    NewReply {
        idempotency_key: key.into(),
        channel: ChannelKind::Email,
        thread: ThreadRef::Email {
            message_id: "rfq-1@customer.test".into(),
            references: vec![],
            subject: "RFQ 1".into(),
            reply_to: "buyer@customer.test".into(),
        },
        kind: "ack".into(),
        subject: None,
        body: "Thank you, we received your request.".into(),
        quotation_id: None,
        rfp_id: None,
        attach_pdf: false,
        recipient: Some("buyer@customer.test".into()),
        automatic: true,
        external_id: Some(format!("horme.ack.{key}@horme.test")),
    }
}

async fn enqueue(app: &App, r: &NewReply) -> Uuid {
    let mut tx = app.pool.begin().await.expect("tx");
    assert!(outbox::enqueue(&mut tx, r).await.expect("enqueue"));
    assert!(
        !outbox::enqueue(&mut tx, r).await.expect("enqueue again"),
        "same key: no second row"
    );
    tx.commit().await.expect("commit");
    sqlx::query_scalar("select id from outbox where idempotency_key = $1")
        .bind(&r.idempotency_key)
        .fetch_one(&app.pool)
        .await
        .expect("row")
}

fn drain(app: &App) -> CancellationToken {
    let stop = CancellationToken::new();
    let sender = SmtpSender::new(&app.settings.mail.smtp_config().expect("smtp settings")).expect("sender");
    tokio::spawn(horme::outbox::drain::run(app.clone(), sender, stop.clone()));
    stop
}

async fn row(app: &App, id: Uuid) -> (String, i32, Option<String>) {
    sqlx::query_as("select status, attempts, last_error from outbox where id = $1")
        .bind(id)
        .fetch_one(&app.pool)
        .await
        .expect("row")
}

async fn until_status(app: &App, id: Uuid, want: &str) -> (String, i32, Option<String>) {
    let got = common::eventually(Duration::from_secs(20), || async {
        let r = row(app, id).await;
        (r.0 == want).then_some(r)
    })
    .await;
    got.unwrap_or_else(|| {
        panic!(
            "outbox row never became {want}: {:?}",
            futures::executor::block_on(row(app, id))
        )
    })
}

#[sqlx::test]
async fn a_4xx_answer_is_retried_and_the_reply_sent_once(pool: PgPool) {
    let smtp = ScriptedSmtp::start(&[451]).await;
    let app = app_for(pool, &smtp).await;
    let id = enqueue(&app, &reply("k1")).await;
    let stop = drain(&app);
    let (_, attempts, error) = until_status(&app, id, "sent").await;
    stop.cancel();
    assert_eq!(attempts, 2, "one temporary failure, then sent");
    assert_eq!(error, None);
    assert_eq!(smtp.attempts(), 2);
    let accepted = smtp.accepted();
    assert_eq!(accepted.len(), 1);
    assert!(
        accepted[0].contains("Message-ID: <horme.ack.k1@horme.test>"),
        "{}",
        accepted[0]
    );
    assert!(accepted[0].contains("In-Reply-To: <rfq-1@customer.test>"));
    assert!(accepted[0].contains("Auto-Submitted: auto-replied"));
}

#[sqlx::test]
async fn a_5xx_answer_is_a_permanent_failure_that_is_shown(pool: PgPool) {
    let smtp = ScriptedSmtp::start(&[550]).await;
    let app = app_for(pool, &smtp).await;
    let id = enqueue(&app, &reply("k2")).await;
    let stop = drain(&app);
    let (_, attempts, error) = until_status(&app, id, "failed").await;
    assert_eq!(attempts, 1, "not retried");
    assert!(error.as_deref().unwrap_or("").contains("550"), "{error:?}");
    let failed = outbox::failed(&app.pool, 10).await.expect("failed list");
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0].recipient.as_deref(), Some("buyer@customer.test"));
    let audited: i64 = sqlx::query_scalar("select count(*) from audit_log where action = 'delivery_failed'")
        .fetch_one(&app.pool)
        .await
        .expect("audit");
    assert_eq!(audited, 1);
    // sales hear of it (and that notice itself goes out)
    let notice: Uuid = sqlx::query_scalar("select id from outbox where kind = 'delivery_failed'")
        .fetch_one(&app.pool)
        .await
        .expect("a notice to sales");
    until_status(&app, notice, "sent").await;
    stop.cancel();
    let sent = smtp.accepted();
    assert_eq!(sent.len(), 1);
    assert!(sent[0].contains("To: sales-team@horme.test"), "{}", sent[0]);
    assert!(sent[0].contains("buyer@customer.test"));
}

#[sqlx::test]
async fn a_reply_left_sending_by_a_dead_process_is_sent_once(pool: PgPool) {
    let smtp = ScriptedSmtp::start(&[]).await;
    let app = app_for(pool, &smtp).await;
    let id = enqueue(&app, &reply("k3")).await;
    // a drainer claimed it and died before sending: its lease has run out
    sqlx::query(
        "update outbox set status = 'sending', attempts = 1, lease_token = $2,
                locked_until = now() - interval '1 second' where id = $1",
    )
    .bind(id)
    .bind(Uuid::new_v4())
    .execute(&app.pool)
    .await
    .expect("simulate");
    let stop = drain(&app);
    let (_, attempts, _) = until_status(&app, id, "sent").await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    stop.cancel();
    assert_eq!(attempts, 2);
    assert_eq!(smtp.accepted().len(), 1, "sent exactly once");
}
