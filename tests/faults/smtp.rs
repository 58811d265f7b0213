//! SMTP answering 4xx, then 5xx (issue 10, acceptance), against `horme serve` (the outbox
//! drainer runs with the channels): the quotation to the customer of a mail request is
//! answered 451, 451, then 550 — retried on each 4xx, then failed visibly (the server's words
//! kept on the reply, listed as failed, a notice to sales, the quotation not `sent`). The
//! mails to staff (the draft, the decision, the notice) are accepted, each once. Nothing is
//! ever sent twice. (Outbox backoff 1 s instead of 30 s, to keep the test short.)

use std::time::Duration;

use horme::quotations::{Actor, lifecycle};

use super::common::smtp_script::ScriptedSmtp;
use super::setup::World;

const APPROVER: &str = "approver@horme.test";
const CUSTOMER: &str = "buyer@customer.test";

async fn outbox(world: &World, kind: &str) -> Option<(String, i32, Option<String>)> {
    sqlx::query_as("select status, attempts, last_error from outbox where kind = $1")
        .bind(kind)
        .fetch_optional(&world.app.pool)
        .await
        .ok()
        .flatten()
}

async fn until(world: &World, kind: &str, status: &str) -> (String, i32, Option<String>) {
    super::common::eventually(Duration::from_secs(30), || async {
        outbox(world, kind).await.filter(|r| r.0 == status)
    })
    .await
    .unwrap_or_else(|| {
        panic!(
            "{kind} never {status}: {:?}",
            futures::executor::block_on(outbox(world, kind))
        )
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn replies_are_retried_on_4xx_failed_visibly_on_5xx_and_never_duplicated() {
    let world = World::start().await;
    let smtp = ScriptedSmtp::start_for(&[451, 451, 550], Some(CUSTOMER)).await;
    let extra = format!(
        "\n[http]\nbind = \"127.0.0.1:0\"\n\n[approval]\napprovers = [\"{APPROVER}\"]\n\n\
         [mail]\nenabled = true\nfrom_address = \"sales@horme.test\"\nsales_address = \"sales-team@horme.test\"\n\
         message_id_domain = \"horme.test\"\noutbox_poll_interval_ms = 200\n\
         outbox_backoff_base_seconds = 1\noutbox_backoff_max_seconds = 1\n\n\
         [mail.smtp]\nhost = \"127.0.0.1\"\nport = {}\nsecurity = \"plain\"\ntimeout_seconds = 5\n",
        smtp.port
    );
    let serve = world.process("serve", 0, &extra, &[]);
    let rfp = world.submit_mail(CUSTOMER, "<rfq-smtp@customer.test>").await;
    assert!(
        world.all_finished(&[rfp], Duration::from_secs(30)).await,
        "{}",
        serve.log_text()
    );

    until(&world, "approval_request", "sent").await;

    // approved, the quotation to the customer: 451, 451, 550: failed and shown
    let mut settings = super::common::settings();
    settings.approval.approvers = vec![APPROVER.into()];
    let app = super::common::app_with(world.app.pool.clone(), settings).await;
    let number: String = sqlx::query_scalar("select number from quotations where rfp_id = $1")
        .bind(rfp)
        .fetch_one(&app.pool)
        .await
        .expect("quotation");
    lifecycle::approve(&app, &number, &Actor::person(APPROVER), "test", &Default::default())
        .await
        .expect("approve");
    let (_, attempts, error) = until(&world, "quotation", "failed").await;
    assert_eq!(attempts, 3, "retried after each 4xx, not after the 5xx");
    assert!(
        error.as_deref().unwrap_or("").contains("550"),
        "the server's words: {error:?}"
    );
    until(&world, "delivery_failed", "sent").await;
    let failed = horme::outbox::failed(&app.pool, 10).await.expect("failed list");
    assert_eq!(failed.len(), 1, "listed as failed");
    let status: String = sqlx::query_scalar("select status from quotations where number = $1")
        .bind(&number)
        .fetch_one(&app.pool)
        .await
        .expect("status");
    assert_ne!(status, "sent", "a quotation that was not delivered is not 'sent'");
    // let a late duplicate show itself if there were one
    tokio::time::sleep(Duration::from_secs(2)).await;

    let rows: Vec<(String, String, i32)> =
        sqlx::query_as("select kind, status, attempts from outbox order by created_at, kind")
            .fetch_all(&world.app.pool)
            .await
            .expect("outbox");
    let sent = rows.iter().filter(|r| r.1 == "sent").count();
    let tries: i32 = rows.iter().map(|r| r.2).sum();
    let accepted = smtp.accepted();
    assert_eq!(accepted.len(), sent, "each sent reply accepted once: {rows:?}");
    assert_eq!(
        smtp.attempts(),
        tries as usize,
        "no attempt the outbox does not know of: {rows:?}"
    );
    let mut ids: Vec<&str> = accepted
        .iter()
        .filter_map(|m| m.lines().find(|l| l.starts_with("Message-ID:")))
        .collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), accepted.len(), "no message twice");
    let to = |who: &str| accepted.iter().filter(|m| m.contains(&format!("To: {who}"))).count();
    assert_eq!(to(CUSTOMER), 0, "{rows:?}");
    assert_eq!(to("sales-team@horme.test"), 1, "one notice of the failed delivery");
    assert_eq!(to(APPROVER), 2, "the draft and the decision, once each");
    eprintln!("outbox: {rows:?}");
    drop(serve);
}
