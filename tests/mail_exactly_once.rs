//! Exactly once over real mail: the same Message-ID delivered twice (with two bots polling the
//! mailbox, as two processes would), an IMAP connection dropped in the middle of a FETCH, and
//! the bot killed with SIGKILL in the middle of the pipeline and restarted — each RFP gets one
//! acknowledgement and one quotation.

mod common;

use std::time::Duration;

use common::bot_process::{self, BotProcess};
use common::mail::{self, Bot, Servers};
use common::tcp_cut::CutProxy;
use sqlx::PgPool;

fn rfp(tag: &str, n: usize) -> (String, String, Vec<u8>) {
    let buyer = mail::buyer(tag, n);
    let id = format!("rfq-{n}-{tag}@customer.test");
    let raw = mail::rfp_mail(&common::fixture("corpus/rfps/rfp-005.eml"), &buyer, &id);
    (buyer, id, raw)
}

async fn count(app: &horme::startup::App, sql: &'static str, id: &str) -> i64 {
    sqlx::query_scalar(sql)
        .bind(id)
        .fetch_one(&app.pool)
        .await
        .expect("count")
}

/// One acknowledgement, one quotation, one stored message, one quotation row; every reply
/// with its text (the service may run far from any `templates/` directory).
async fn assert_once(servers: &Servers, app: &horme::startup::App, buyer: &str, id: &str) {
    let got = servers.inbox(buyer).await;
    // Exactly one of each. Their order is not asserted: after an outage the acknowledgement
    // and the quotation leave from the outbox together and may reach the server either way.
    let mut kinds: Vec<String> = got.iter().map(mail::reply_kind).collect();
    kinds.sort();
    assert_eq!(
        kinds,
        vec!["ack", "quotation"],
        "{buyer}: exactly one acknowledgement and one quotation"
    );
    for m in &got {
        assert_eq!(m.in_reply_to, vec![id.to_string()]);
        let body = &m.message.text;
        assert!(
            body.contains("Kind regards") && body.contains("RFP-") && !body.contains('{'),
            "a reply with its whole text: {body:?}"
        );
        // the acknowledgement keeps the loop guards; the quotation is a normal reply
        assert_eq!(
            m.no_reply_reason.is_some(),
            mail::reply_kind(m) == "ack",
            "{:?}: {:?}",
            mail::reply_kind(m),
            m.no_reply_reason
        );
    }
    assert_eq!(
        count(app, "select count(*) from inbound_messages where external_id = $1", id).await,
        1
    );
    assert_eq!(
        count(
            app,
            "select count(*) from quotations q join rfps r on r.id = q.rfp_id
             join inbound_messages m on m.id = r.inbound_message_id where m.external_id = $1",
            id
        )
        .await,
        1
    );
}

#[sqlx::test]
async fn the_same_message_twice_with_two_pollers_is_answered_once(pool: PgPool) {
    let servers = Servers::from_env();
    let tag = mail::tag();
    let app = common::app_with(pool, mail::settings(&servers, &tag)).await;
    common::import_demo_catalog(&app).await;
    // two bots on one database: like two processes, only one may poll the mailbox
    let first = Bot::start(&app).await;
    let second = Bot::start(&app).await;
    mail::wait_until_polling(&app).await;
    let (buyer, id, raw) = rfp(&tag, 1);
    servers.append(&mail::sales(&tag), "INBOX", &raw).await;
    servers.append(&mail::sales(&tag), "INBOX", &raw).await;
    mail::approve_when_pending(&app, &id, &tag).await;
    servers.wait_for(&buyer, 2, Duration::from_secs(60)).await;
    // a third copy after everything was sent
    servers.append(&mail::sales(&tag), "INBOX", &raw).await;
    mail::wait_quiet(&app, 3).await;
    assert_once(&servers, &app, &buyer, &id).await;
    // every copy was marked \Seen after it was stored
    let mut s = servers.session(&mail::sales(&tag)).await;
    s.select("INBOX").await.expect("select");
    let unseen = s.uid_search("UNSEEN").await.expect("search");
    assert!(unseen.is_empty(), "unseen after processing: {unseen:?}");
    first.stop().await;
    second.stop().await;
}

#[sqlx::test]
async fn an_imap_disconnect_mid_fetch_loses_and_duplicates_nothing(pool: PgPool) {
    let servers = Servers::from_env();
    let tag = mail::tag();
    let proxy = CutProxy::start(servers.imap_port, b"BODY[] {").await;
    let mut settings = mail::settings(&servers, &tag);
    if let Some(m) = settings.mail.mailboxes.get_mut("sales") {
        m.port = proxy.port;
    }
    let app = common::app_with(pool, settings).await;
    common::import_demo_catalog(&app).await;
    let bot = Bot::start(&app).await;
    mail::wait_until_polling(&app).await;
    proxy.arm();
    let (buyer, id, raw) = rfp(&tag, 1);
    servers.append(&mail::sales(&tag), "INBOX", &raw).await;
    mail::approve_when_pending(&app, &id, &tag).await;
    servers.wait_for(&buyer, 2, Duration::from_secs(60)).await;
    mail::wait_quiet(&app, 1).await;
    assert_eq!(
        proxy.cuts(),
        1,
        "the connection was dropped during the FETCH of the message"
    );
    assert_once(&servers, &app, &buyer, &id).await;
    bot.stop().await;
}

#[sqlx::test]
async fn the_bot_killed_mid_pipeline_answers_once_after_restart(pool: PgPool) {
    let servers = Servers::from_env();
    let tag = mail::tag();
    let app = common::app_with(pool.clone(), mail::settings(&servers, &tag)).await;
    common::import_demo_catalog(&app).await;
    let dir = tempfile::tempdir().expect("tempdir");
    let config = bot_process::config_file(dir.path(), &servers, &tag);
    let url = common::database_url(&pool);
    let log = dir.path().join("bot.log");

    // Hold the quotation counter: the pipeline stops in its pricing step, mid-way.
    let mut hold = pool.begin().await.expect("tx");
    sqlx::query(
        "insert into quote_counters (year, last_value) values (extract(year from now())::int, 0)
         on conflict (year) do nothing",
    )
    .execute(&mut *hold)
    .await
    .expect("counter");
    sqlx::query("select 1 from quote_counters where year = extract(year from now())::int for update")
        .execute(&mut *hold)
        .await
        .expect("lock");

    let bot = BotProcess::start(&url, &config, log.clone());
    let (buyer, id, raw) = rfp(&tag, 1);
    servers.append(&mail::sales(&tag), "INBOX", &raw).await;
    servers.wait_for(&buyer, 1, Duration::from_secs(30)).await;
    // the price job claimed (not only queued: a kill before the claim would leave nothing
    // to take over) and held on the counter
    let pricing = common::eventually(Duration::from_secs(30), || async {
        let s: String = sqlx::query_scalar(
            "select r.status from rfps r join inbound_messages m on m.id = r.inbound_message_id
             join jobs j on j.rfp_id = r.id and j.kind = 'rfp.price' and j.status = 'running'
             where m.external_id = $1",
        )
        .bind(&id)
        .fetch_optional(&app.pool)
        .await
        .ok()
        .flatten()?;
        (s == "pricing").then_some(s)
    })
    .await;
    assert!(
        pricing.is_some(),
        "the pipeline reached pricing; log: {}",
        std::fs::read_to_string(&log).unwrap_or_default()
    );
    bot.kill();
    hold.rollback().await.expect("release");

    let _restarted = BotProcess::start(&url, &config, log.clone());
    mail::approve_when_pending(&app, &id, &tag).await;
    servers.wait_for(&buyer, 2, Duration::from_secs(60)).await;
    mail::wait_quiet(&app, 1).await;
    assert_once(&servers, &app, &buyer, &id).await;
    let attempts: i32 = sqlx::query_scalar("select attempts from jobs where kind = 'rfp.price'")
        .fetch_one(&app.pool)
        .await
        .expect("price job");
    assert_eq!(attempts, 2, "the killed step ran again after its lease expired");
    let text = std::fs::read_to_string(&log).expect("log");
    assert!(text.contains("INFO"), "the service logged: {text}");
    assert!(
        !text.contains('\x1b'),
        "the default (pretty) log format writes no colour codes into a file"
    );
}

#[sqlx::test]
async fn a_port_in_use_ends_the_service_before_any_mail_is_fetched(pool: PgPool) {
    let servers = Servers::from_env();
    let tag = mail::tag();
    let app = common::app_with(pool.clone(), mail::settings(&servers, &tag)).await;
    let dir = tempfile::tempdir().expect("tempdir");
    let config = bot_process::config_file(dir.path(), &servers, &tag);
    let (_, id, raw) = rfp(&tag, 1);
    servers.append(&mail::sales(&tag), "INBOX", &raw).await;
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("a port");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_horme"))
        .arg("serve")
        .current_dir(dir.path())
        .env("DATABASE_URL", common::database_url(&pool))
        .env("HORME_CONFIG", &config)
        .env("HORME__HTTP__BIND", taken.local_addr().expect("addr").to_string())
        .env_remove("RUST_LOG")
        .output()
        .expect("run horme serve");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{stderr}");
    assert!(stderr.contains("binding http.bind"), "{stderr}");
    assert_eq!(
        count(
            &app,
            "select count(*) from inbound_messages where external_id = $1",
            &id
        )
        .await,
        0,
        "nothing was fetched before the port failed: {stderr}"
    );
}

/// The IMAP server away for a minute (issue 10's fault suite), with the production reconnect
/// settings: mail that arrived meanwhile is fetched, quoted and answered once each, within
/// 30 s of the server's return, and the mail before the outage is not fetched again.
/// `HORME_TEST_IMAP_OUTAGE_SECONDS` shortens the outage for a quick local run.
#[sqlx::test]
async fn an_imap_outage_of_a_minute_loses_and_duplicates_nothing(pool: PgPool) {
    let outage = std::env::var("HORME_TEST_IMAP_OUTAGE_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(60);
    let servers = Servers::from_env();
    let tag = mail::tag();
    let proxy = CutProxy::start(servers.imap_port, b"\0no cut\0").await;
    let mut settings = mail::settings(&servers, &tag);
    let production = common::settings().mail.imap;
    settings.mail.imap.backoff_min_ms = production.backoff_min_ms;
    settings.mail.imap.backoff_max_seconds = production.backoff_max_seconds;
    settings.mail.imap.poll_interval_seconds = production.poll_interval_seconds;
    settings.mail.imap.idle = production.idle;
    if let Some(m) = settings.mail.mailboxes.get_mut("sales") {
        m.port = proxy.port;
    }
    let app = common::app_with(pool, settings).await;
    common::import_demo_catalog(&app).await;
    let bot = Bot::start(&app).await;
    mail::wait_until_polling(&app).await;

    let (first_buyer, first_id, raw) = rfp(&tag, 1);
    servers.append(&mail::sales(&tag), "INBOX", &raw).await;
    mail::approve_when_pending(&app, &first_id, &tag).await;
    servers.wait_for(&first_buyer, 2, Duration::from_secs(60)).await;

    proxy.set_down(true);
    let during: Vec<_> = (2..=3).map(|n| rfp(&tag, n)).collect();
    for (_, _, raw) in &during {
        servers.append(&mail::sales(&tag), "INBOX", raw).await;
    }
    tokio::time::sleep(Duration::from_secs(outage)).await;
    let stored_while_down: i64 = sqlx::query_scalar("select count(*) from inbound_messages")
        .fetch_one(&app.pool)
        .await
        .expect("count");
    assert_eq!(
        stored_while_down, 1,
        "nothing reached the bot while the server was away"
    );

    proxy.set_down(false);
    let back = std::time::Instant::now();
    for (_, id, _) in &during {
        mail::approve_when_pending(&app, id, &tag).await;
    }
    let drafted = back.elapsed();
    assert!(
        drafted <= Duration::from_secs(30),
        "both requests quoted {drafted:?} after the server came back (at most 30 s)"
    );
    for (buyer, _, _) in &during {
        servers.wait_for(buyer, 2, Duration::from_secs(60)).await;
    }
    mail::wait_quiet(&app, 3).await;
    assert_once(&servers, &app, &first_buyer, &first_id).await;
    for (buyer, id, _) in &during {
        assert_once(&servers, &app, buyer, id).await;
    }
    bot.stop().await;
}
