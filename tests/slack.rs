//! The Slack channel against a fake Slack Web API (tests/common/fake_slack.rs) with the
//! production client pointed at it by `slack.api_url`, and Slack's signed requests posted to
//! the real HTTP server: a file shared in an allowed channel is stored, acknowledged in its
//! thread, priced, and posted as a draft with Approve / Reject buttons and the PDF (both
//! upload steps) to the approvals channel; an approver's button approves it and the quotation
//! is uploaded into the requester's thread. Strangers are refused, oversized files answered,
//! a 429 waited out, redelivered events answered once, forged requests refused, and replies
//! wait out an outage of Slack.

mod common;

use std::time::Duration;

use common::fake_slack::{APP_TOKEN, Call, FakeSlack, SIGNING_SECRET, TOKEN};
use horme::http::HttpState;
use horme::startup::App;
use serde_json::{Value, json};
use sqlx::PgPool;
use tokio_util::sync::CancellationToken;

const SALES: &str = "CSALES";
const APPROVALS: &str = "CAPPROVALS";
const REQUESTER: &str = "UREQUESTER";
const APPROVER: &str = "UAPPROVER";
const RFP: &str = "Please quote:\n\n\
1. Molykote 33M Silicone Grease (100G) - 500 sets\n\
2. China Sanding Cloth Roll 1-1/2 Inch X #100 (qty: 60 units)\n\
3. Push In Fitting 10Mm - Male Stud 3/8In - 120 pcs\n";

fn settings(fake: &FakeSlack) -> horme::config::Settings {
    let mut s = common::settings();
    let k = &mut s.slack;
    k.enabled = true;
    k.api_url = fake.api_url();
    k.bot_token = TOKEN.to_string().into();
    k.signing_secret = SIGNING_SECRET.to_string().into();
    k.approvals_channel = APPROVALS.into();
    k.allowed_channels = vec![SALES.into()];
    k.request_timeout_seconds = 5;
    let m = &mut s.mail;
    m.outbox_poll_interval_ms = 100;
    m.outbox_backoff_base_seconds = 1;
    m.outbox_backoff_max_seconds = 2;
    s.workers.poll_interval_ms = 200;
    s.workers.backoff_base_seconds = 1;
    s.workers.backoff_max_seconds = 2;
    s
}

/// The HTTP server (Slack's requests), the channels (the one drainer) and workers, as
/// `serve` starts them.
struct Running {
    url: String,
    http: reqwest::Client,
    stop: CancellationToken,
}

impl Running {
    async fn start(app: &App) -> Self {
        let stop = CancellationToken::new();
        let mut tasks = horme::startup::spawn_channels(app, &stop).expect("channels start");
        tasks.spawn(horme::jobs::worker::run_pool(app.clone(), 2, stop.clone()));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let url = format!("http://{}", listener.local_addr().expect("addr"));
        let router = horme::http::router(HttpState {
            app: app.clone(),
            metrics: None,
        });
        let limits = horme::http::server::ServerLimits::from_settings(&app.settings.http);
        tasks.spawn(horme::http::server::serve(listener, router, limits, stop.clone()));
        tokio::spawn(async move { while tasks.join_next().await.is_some() {} });
        Self {
            url,
            http: reqwest::Client::new(),
            stop,
        }
    }

    /// Posts a body to one of our Slack endpoints, signed as Slack signs it (or not).
    async fn post(&self, path: &str, body: Vec<u8>, content_type: &str, signature: Signature) -> reqwest::Response {
        let ts = match signature {
            Signature::Stale => chrono::Utc::now().timestamp() - 600,
            _ => chrono::Utc::now().timestamp(),
        }
        .to_string();
        let secret = match signature {
            Signature::WrongSecret => b"not-the-secret".as_slice(),
            _ => SIGNING_SECRET.as_bytes(),
        };
        let sig = channels::slack::signature::sign(secret, &ts, &body);
        let mut req = self
            .http
            .post(format!("{}{path}", self.url))
            .header("content-type", content_type)
            .body(body);
        if !matches!(signature, Signature::Missing) {
            req = req
                .header("x-slack-request-timestamp", ts)
                .header("x-slack-signature", sig);
        }
        if let Signature::Retry(n) = signature {
            req = req
                .header("x-slack-retry-num", n.to_string())
                .header("x-slack-retry-reason", "http_timeout");
        }
        req.send().await.expect("post to horme")
    }

    async fn event(&self, envelope: &Value, signature: Signature) -> u16 {
        let body = serde_json::to_vec(envelope).expect("json");
        self.post("/slack/events", body, "application/json", signature)
            .await
            .status()
            .as_u16()
    }

    async fn press(&self, payload: &Value) -> u16 {
        let body = serde_urlencoded::to_string([("payload", payload.to_string())]).expect("form");
        self.post(
            "/slack/interactions",
            body.into_bytes(),
            "application/x-www-form-urlencoded",
            Signature::Good,
        )
        .await
        .status()
        .as_u16()
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        self.stop.cancel();
    }
}

#[derive(Clone, Copy)]
enum Signature {
    Good,
    Retry(u32),
    WrongSecret,
    Stale,
    Missing,
}

fn envelope(event_id: &str, event: Value) -> Value {
    json!({"token": "unused", "team_id": "T1", "api_app_id": "A1", "type": "event_callback",
           "event_id": event_id, "event_time": 1_780_000_000, "authorizations": [], "event": event})
}

fn message(channel: &str, ts: &str, user: &str, text: &str, files: Vec<Value>) -> Value {
    let mut m = json!({"type": "message", "channel": channel, "channel_type": "channel", "user": user,
                       "text": text, "ts": ts, "team": "T1", "event_ts": ts});
    if !files.is_empty() {
        m["subtype"] = json!("file_share");
        m["files"] = Value::Array(files);
    }
    m
}

async fn wait_call(fake: &FakeSlack, what: &str, f: impl Fn(&Call) -> bool) -> Call {
    common::eventually(Duration::from_secs(60), || async {
        fake.calls().into_iter().find(|c| f(c))
    })
    .await
    .unwrap_or_else(|| {
        panic!(
            "never called: {what}; calls: {:#?}",
            fake.calls().iter().map(|c| (&c.method, &c.fields)).collect::<Vec<_>>()
        )
    })
}

fn post_to(c: &Call, channel: &str) -> bool {
    c.method == "chat.postMessage" && c.fields["channel"] == channel
}

fn text(c: &Call) -> &str {
    c.fields["text"].as_str().unwrap_or("")
}

async fn count(app: &App, sql: &'static str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(&app.pool).await.expect("count")
}

async fn quotation_status(app: &App, number: &str) -> String {
    sqlx::query_scalar("select status from quotations where number = $1")
        .bind(number)
        .fetch_one(&app.pool)
        .await
        .expect("quotation")
}

#[sqlx::test]
async fn file_message_to_draft_with_buttons_to_approval_and_delivery(pool: PgPool) {
    let fake = FakeSlack::start().await;
    let app = common::app_with(pool, settings(&fake)).await;
    common::import_demo_catalog(&app).await;
    // identities are stored in lowercase (as `horme approvers add` writes them)
    sqlx::query("insert into approvers (identity) values ($1)")
        .bind(format!("slack:{}", APPROVER.to_lowercase()))
        .execute(&app.pool)
        .await
        .expect("approver");
    let run = Running::start(&app).await;
    let file = fake.add_file("FRFQ1", "rfq.txt", "text/plain", RFP.as_bytes());
    let ts = "1780000000.000100";
    let ev = envelope(
        "Ev1",
        message(SALES, ts, REQUESTER, "please quote the attached", vec![file]),
    );
    assert_eq!(run.event(&ev, Signature::Good).await, 200);

    // the acknowledgement goes into the message's thread, with the reference
    let ack = wait_call(&fake, "ack", |c| post_to(c, SALES)).await;
    assert_eq!(ack.fields["thread_ts"], ts);
    assert!(text(&ack).contains("RFP-"), "{}", ack.fields);
    assert!(text(&ack).contains(&format!("<@{REQUESTER}>")), "{}", ack.fields);
    assert_eq!(
        fake.downloads(),
        vec!["FRFQ1".to_string()],
        "downloaded with the bot token"
    );
    assert_eq!(
        count(
            &app,
            "select count(*) from inbound_messages where channel = 'slack' and external_id = 'CSALES:1780000000.000100'"
        )
        .await,
        1
    );

    // the draft goes to the approvals channel with Approve / Reject buttons …
    let draft = wait_call(&fake, "draft", |c| post_to(c, APPROVALS)).await;
    let buttons = &draft.fields["blocks"][1]["elements"];
    let value = buttons[0]["value"].as_str().expect("approve value").to_string();
    let number = value.strip_prefix("approve:").expect("approve:<number>").to_string();
    assert_eq!(buttons[0]["text"]["text"], "Approve");
    assert_eq!(buttons[1]["value"], format!("reject:{number}"));
    assert!(
        draft.fields.get("thread_ts").is_none(),
        "a new message in the approvals channel"
    );
    // … and its PDF through both upload steps, into the draft's thread
    let reserved = wait_call(&fake, "upload URL", |c| {
        c.method == "files.getUploadURLExternal" && c.fields["filename"] == format!("{number}.pdf")
    })
    .await;
    assert!(reserved.fields["length"].as_str().is_some_and(|l| l != "0"));
    let pdf = wait_call(&fake, "draft PDF", |c| {
        c.method == "files.completeUploadExternal" && c.fields["channel_id"] == APPROVALS
    })
    .await;
    assert_eq!(
        pdf.fields["thread_ts"].as_str(),
        draft.ts.as_deref(),
        "in the draft's thread"
    );
    assert_eq!(pdf.files[0].0, format!("{number}.pdf"));
    assert!(pdf.files[0].1.starts_with(b"%PDF"), "a PDF");
    assert_eq!(quotation_status(&app, &number).await, "pending_approval");

    // a stranger's press is refused politely, audited, and changes nothing
    let press = |user: &str, trigger: &str| {
        json!({"type": "block_actions", "trigger_id": trigger,
               "user": {"id": user, "username": "someone", "name": "someone", "team_id": "T1"},
               "team": {"id": "T1", "domain": "horme-test"}, "channel": {"id": APPROVALS, "name": "approvals"},
               "container": {"type": "message", "channel_id": APPROVALS},
               "response_url": format!("{}/response/{trigger}", fake.url),
               "actions": [{"type": "button", "action_id": "horme_approve", "block_id": "horme_decision",
                            "value": value, "action_ts": "1780000100.000200"}]})
    };
    assert_eq!(run.press(&press("USTRANGER", "trig-1")).await, 200);
    let refusal = wait_call(&fake, "refusal", |c| c.method == "response_url").await;
    assert_eq!(refusal.fields["response_type"], "ephemeral");
    assert!(
        refusal.fields["text"].as_str().unwrap_or("").contains("only approvers"),
        "{}",
        refusal.fields
    );
    assert_eq!(quotation_status(&app, &number).await, "pending_approval");
    assert_eq!(
        count(&app, "select count(*) from audit_log where action = 'approval_refused' and actor = 'slack:USTRANGER' and channel = 'slack'").await,
        1
    );

    // the approver's press approves; the quotation is uploaded into the requester's thread
    assert_eq!(run.press(&press(APPROVER, "trig-2")).await, 200);
    let delivered = wait_call(&fake, "quotation", |c| {
        c.method == "files.completeUploadExternal" && c.fields["channel_id"] == SALES
    })
    .await;
    assert_eq!(delivered.fields["thread_ts"], ts);
    assert!(
        delivered.fields["initial_comment"]
            .as_str()
            .unwrap_or("")
            .contains(&number),
        "{}",
        delivered.fields
    );
    assert_eq!(delivered.files[0].0, format!("{number}.pdf"));
    assert!(delivered.files[0].1.starts_with(b"%PDF"));
    let sent = common::eventually(Duration::from_secs(20), || async {
        (quotation_status(&app, &number).await == "sent").then_some(())
    })
    .await;
    assert!(sent.is_some(), "the delivered quotation is marked sent");
    let approved_by: String = sqlx::query_scalar(
        "select actor from audit_log where entity = 'quotation' and entity_id = $1 and action like '%approved%' limit 1",
    )
    .bind(&number)
    .fetch_one(&app.pool)
    .await
    .unwrap_or_default();
    assert_eq!(approved_by, format!("slack:{}", APPROVER.to_lowercase()));
}

#[sqlx::test]
async fn a_channel_that_may_not_submit_is_refused_politely(pool: PgPool) {
    let fake = FakeSlack::start().await;
    let app = common::app_with(pool, settings(&fake)).await;
    let run = Running::start(&app).await;
    let ev = envelope(
        "Ev1",
        message(
            "CRANDOM",
            "1780000000.000200",
            "USTRANGER",
            "please quote 10 gloves",
            vec![],
        ),
    );
    assert_eq!(run.event(&ev, Signature::Good).await, 200);
    let r = wait_call(&fake, "refusal", |c| post_to(c, "CRANDOM")).await;
    assert_eq!(r.fields["thread_ts"], "1780000000.000200");
    assert!(text(&r).contains("not set up"), "{}", r.fields);
    assert_eq!(count(&app, "select count(*) from inbound_messages").await, 0);
    assert_eq!(
        count(
            &app,
            "select count(*) from audit_log where action = 'submission_refused' and actor = 'slack:USTRANGER'"
        )
        .await,
        1
    );
    // approvers talking in the approvals channel get neither a request nor a refusal
    let chat = envelope(
        "Ev2",
        message(APPROVALS, "1780000000.000210", APPROVER, "shall we?", vec![]),
    );
    assert_eq!(run.event(&chat, Signature::Good).await, 200);
    common::eventually(Duration::from_secs(20), || async {
        let done: i64 =
            sqlx::query_scalar("select count(*) from jobs where dedupe_key = 'slack.event:Ev2' and status = 'done'")
                .fetch_one(&app.pool)
                .await
                .ok()?;
        (done == 1).then_some(())
    })
    .await
    .expect("handled");
    assert!(!fake.calls().iter().any(|c| post_to(c, APPROVALS)));
    assert_eq!(count(&app, "select count(*) from inbound_messages").await, 0);
}

#[sqlx::test]
async fn a_file_over_the_download_limit_is_answered(pool: PgPool) {
    let fake = FakeSlack::start().await;
    let app = common::app_with(pool, settings(&fake)).await;
    let run = Running::start(&app).await;
    let mut file = fake.add_file("FBIG", "huge.pdf", "application/pdf", b"%PDF-1.7 pretend");
    file["size"] = json!(30 * 1024 * 1024);
    let ev = envelope("Ev1", message(SALES, "1780000000.000300", REQUESTER, "", vec![file]));
    assert_eq!(run.event(&ev, Signature::Good).await, 200);
    let r = wait_call(&fake, "too large", |c| post_to(c, SALES)).await;
    assert!(
        text(&r).contains("huge.pdf") && text(&r).contains("25 MB"),
        "{}",
        r.fields
    );
    assert_eq!(r.fields["thread_ts"], "1780000000.000300");
    assert!(fake.downloads().is_empty(), "an oversized file is not fetched");
    assert_eq!(count(&app, "select count(*) from inbound_messages").await, 0);
}

#[sqlx::test]
async fn a_429_is_waited_out_for_its_retry_after(pool: PgPool) {
    let fake = FakeSlack::start().await;
    let app = common::app_with(pool, settings(&fake)).await;
    fake.rate_limit("chat.postMessage", 1, 2);
    let run = Running::start(&app).await;
    let ev = envelope(
        "Ev1",
        message(SALES, "1780000000.000400", REQUESTER, "10 pcs nitrile gloves", vec![]),
    );
    assert_eq!(run.event(&ev, Signature::Good).await, 200);
    let ack = wait_call(&fake, "ack", |c| post_to(c, SALES)).await;
    let refused = fake.refused();
    assert_eq!(refused.len(), 1);
    assert!(
        ack.at.duration_since(refused[0].1) >= Duration::from_secs(2),
        "sent again only after Retry-After"
    );
    let attempts: i32 = sqlx::query_scalar("select attempts from outbox where kind = 'ack'")
        .fetch_one(&app.pool)
        .await
        .expect("row");
    assert_eq!(attempts, 2);
}

#[sqlx::test]
async fn a_redelivered_event_gets_one_reply(pool: PgPool) {
    let fake = FakeSlack::start().await;
    let app = common::app_with(pool, settings(&fake)).await;
    let run = Running::start(&app).await;
    let ts = "1780000000.000500";
    let file = fake.add_file("FDUP", "rfq.txt", "text/plain", RFP.as_bytes());
    fake.share("FDUP", SALES, ts);
    let ev = envelope("Ev1", message(SALES, ts, REQUESTER, "", vec![file]));
    // Slack's retry of the same event, and the file_shared event of the same upload
    assert_eq!(run.event(&ev, Signature::Good).await, 200);
    assert_eq!(run.event(&ev, Signature::Retry(1)).await, 200);
    let shared = envelope(
        "Ev2",
        json!({"type": "file_shared", "file_id": "FDUP", "user_id": REQUESTER, "channel_id": SALES,
               "file": {"id": "FDUP"}, "event_ts": "1780000000.000600"}),
    );
    assert_eq!(run.event(&shared, Signature::Good).await, 200);
    wait_call(&fake, "ack", |c| post_to(c, SALES) && text(c).contains("RFP-")).await;
    common::eventually(Duration::from_secs(20), || async {
        let open: i64 = sqlx::query_scalar("select count(*) from jobs where kind = 'slack.event' and status <> 'done'")
            .fetch_one(&app.pool)
            .await
            .ok()?;
        (open == 0).then_some(())
    })
    .await
    .expect("both events handled");
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let acks = fake
        .calls()
        .iter()
        .filter(|c| post_to(c, SALES) && text(c).contains("RFP-"))
        .count();
    assert_eq!(acks, 1);
    assert_eq!(
        count(&app, "select count(*) from jobs where kind = 'slack.event'").await,
        2
    );
    assert!(
        fake.calls()
            .iter()
            .any(|c| c.method == "files.info" && c.fields["file"] == "FDUP"),
        "the file_shared event was resolved to its message"
    );
    assert_eq!(fake.downloads().len(), 1, "the file was fetched once");

    // the bot's own upload (a quotation PDF) comes back as file_shared: not a request
    fake.add_file("FOURS", "Q-2026-000001.pdf", "application/pdf", b"%PDF-1.7");
    fake.share("FOURS", SALES, "1780000000.000700");
    let ours = envelope(
        "Ev3",
        json!({"type": "file_shared", "file_id": "FOURS", "user_id": "UBOT", "channel_id": SALES,
               "file": {"id": "FOURS"}, "event_ts": "1780000000.000700"}),
    );
    assert_eq!(run.event(&ours, Signature::Good).await, 200);
    common::eventually(Duration::from_secs(20), || async {
        let done: i64 =
            sqlx::query_scalar("select count(*) from jobs where dedupe_key = 'slack.event:Ev3' and status = 'done'")
                .fetch_one(&app.pool)
                .await
                .ok()?;
        (done == 1).then_some(())
    })
    .await
    .expect("our own file_shared handled");
    assert_eq!(
        count(&app, "select count(*) from inbound_messages where channel = 'slack'").await,
        1
    );
    assert_eq!(fake.downloads().len(), 1, "our own file is not fetched");
    assert!(
        !fake
            .calls()
            .iter()
            .any(|c| c.fields["thread_ts"] == "1780000000.000700"),
        "nothing answered to our own upload"
    );
    assert_eq!(
        count(&app, "select count(*) from inbound_messages where channel = 'slack'").await,
        1
    );
}

#[sqlx::test]
async fn a_request_without_a_valid_signature_is_refused(pool: PgPool) {
    let fake = FakeSlack::start().await;
    let app = common::app_with(pool, settings(&fake)).await;
    let run = Running::start(&app).await;
    let ev = envelope(
        "Ev1",
        message(SALES, "1780000000.000700", REQUESTER, "10 pcs nitrile gloves", vec![]),
    );
    for forged in [Signature::WrongSecret, Signature::Stale, Signature::Missing] {
        assert_eq!(run.event(&ev, forged).await, 401);
    }
    let body = serde_urlencoded::to_string([("payload", "{}")]).expect("form");
    let r = run
        .post(
            "/slack/interactions",
            body.into_bytes(),
            "application/x-www-form-urlencoded",
            Signature::WrongSecret,
        )
        .await;
    assert_eq!(r.status().as_u16(), 401);
    assert_eq!(
        count(&app, "select count(*) from jobs where kind like 'slack.%'").await,
        0
    );

    // the URL handshake, signed, answers the challenge
    let challenge = json!({"token": "unused", "challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P",
                           "type": "url_verification"});
    let r = run
        .post(
            "/slack/events",
            serde_json::to_vec(&challenge).expect("json"),
            "application/json",
            Signature::Good,
        )
        .await;
    assert_eq!(r.status().as_u16(), 200);
    let answer: Value = r.json().await.expect("json answer");
    assert_eq!(answer["challenge"], challenge["challenge"]);
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(fake.calls().is_empty(), "nothing answered to forged requests");
}

#[sqlx::test]
async fn replies_wait_while_slack_is_down_and_go_out_once_it_is_back(pool: PgPool) {
    let fake = FakeSlack::start().await;
    let app = common::app_with(pool, settings(&fake)).await;
    let run = Running::start(&app).await;
    fake.stop();
    // a text request and a file request arrive while Slack's API cannot be reached
    let text_ev = envelope(
        "Ev1",
        message(SALES, "1780000000.000800", REQUESTER, "10 pcs nitrile gloves", vec![]),
    );
    assert_eq!(run.event(&text_ev, Signature::Good).await, 200);
    let file = fake.add_file("FDOWN", "rfq.txt", "text/plain", RFP.as_bytes());
    let file_ev = envelope("Ev2", message(SALES, "1780000000.000900", REQUESTER, "", vec![file]));
    assert_eq!(run.event(&file_ev, Signature::Good).await, 200);
    let failing = common::eventually(Duration::from_secs(20), || async {
        let ack: Option<(String, i32)> =
            sqlx::query_as("select status, attempts from outbox where kind = 'ack' and attempts >= 1 and status = 'pending'")
                .fetch_optional(&app.pool)
                .await
                .ok()?;
        let job: Option<i32> = sqlx::query_scalar(
            "select attempts from jobs where kind = 'slack.event' and dedupe_key = 'slack.event:Ev2' and attempts >= 1 and status = 'queued'",
        )
        .fetch_optional(&app.pool)
        .await
        .ok()?;
        (ack.is_some() && job.is_some()).then_some(())
    })
    .await;
    assert!(
        failing.is_some(),
        "the ack and the download were tried and are waiting to retry"
    );
    assert!(fake.calls().is_empty());
    fake.restart().await;
    // both requests are acknowledged once Slack is back, each once
    for ts in ["1780000000.000800", "1780000000.000900"] {
        wait_call(&fake, "ack after the outage", |c| {
            post_to(c, SALES) && c.fields["thread_ts"] == ts
        })
        .await;
    }
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let acks = fake
        .calls()
        .iter()
        .filter(|c| post_to(c, SALES) && text(c).contains("RFP-"))
        .count();
    assert_eq!(acks, 2);
    assert_eq!(
        count(&app, "select count(*) from inbound_messages where channel = 'slack'").await,
        2
    );
    assert_eq!(
        count(&app, "select count(*) from documents d join inbound_messages m on m.id = d.inbound_message_id where m.external_id = 'CSALES:1780000000.000900'").await,
        1
    );
}

#[sqlx::test]
async fn config_check_says_whether_the_bot_token_is_live(pool: PgPool) {
    let fake = FakeSlack::start().await;
    let app = common::app_with(pool, settings(&fake)).await;
    let live = horme::slack::live(&app.settings).await.expect("slack is on");
    assert_eq!(live, "live as horme (UBOT) in Horme Test (T1)");
    let mut wrong = settings(&fake);
    wrong.slack.bot_token = "xoxb-revoked".to_string().into();
    let dead = horme::slack::live(&wrong).await.expect("slack is on");
    assert!(dead.starts_with("NOT live") && dead.contains("not_authed"), "{dead}");
    assert!(!dead.contains("xoxb-"), "the token is not printed: {dead}");
    let mut off = settings(&fake);
    off.slack.enabled = false;
    assert_eq!(horme::slack::live(&off).await, None);
}

#[sqlx::test]
async fn socket_mode_envelopes_are_stored_acknowledged_and_answered(pool: PgPool) {
    let fake = FakeSlack::start().await;
    let mut s = settings(&fake);
    s.slack.socket_mode = true;
    s.slack.app_token = APP_TOKEN.to_string().into();
    s.slack.signing_secret = String::new().into();
    let app = common::app_with(pool, s).await;
    let run = Running::start(&app).await;
    let first = envelope(
        "Ev1",
        message(SALES, "1780000001.000100", REQUESTER, "10 pcs nitrile gloves", vec![]),
    );
    // with Socket Mode the public endpoints are off
    assert_eq!(run.event(&first, Signature::Good).await, 404);
    let connected = common::eventually(Duration::from_secs(20), || async {
        (fake.socket_connections() == 1).then_some(())
    })
    .await;
    assert!(connected.is_some(), "connected with the app-level token");
    let wrap = |id: &str, kind: &str, payload: &Value, retry: u32| {
        json!({"type": kind, "envelope_id": id, "payload": payload, "accepts_response_payload": false,
               "retry_attempt": retry, "retry_reason": if retry > 0 { "timeout" } else { "" }})
    };
    let acked = |id: &'static str| {
        let fake = fake.clone();
        async move {
            common::eventually(Duration::from_secs(20), || async {
                fake.acks().contains(&id.to_string()).then_some(())
            })
            .await
            .unwrap_or_else(|| panic!("envelope {id} never acknowledged; acks: {:?}", fake.acks()))
        }
    };

    // an event is stored, acknowledged, and answered in its thread
    fake.push_socket(wrap("env-1", "events_api", &first, 0));
    acked("env-1").await;
    let ack = wait_call(&fake, "ack", |c| post_to(c, SALES) && text(c).contains("RFP-")).await;
    assert_eq!(ack.fields["thread_ts"], "1780000001.000100");
    // Slack's redelivery of the same event is acknowledged and changes nothing
    fake.push_socket(wrap("env-2", "events_api", &first, 1));
    acked("env-2").await;

    // a button press over the socket: a stranger is refused
    let press = json!({"type": "block_actions", "trigger_id": "trig-s1",
        "user": {"id": "USTRANGER", "team_id": "T1"}, "team": {"id": "T1"}, "channel": {"id": APPROVALS},
        "response_url": format!("{}/response/trig-s1", fake.url),
        "actions": [{"type": "button", "action_id": "horme_approve", "value": "approve:Q-2026-000001"}]});
    fake.push_socket(wrap("env-3", "interactive", &press, 0));
    acked("env-3").await;
    let refusal = wait_call(&fake, "refusal", |c| c.method == "response_url").await;
    assert!(refusal.fields["text"].as_str().unwrap_or("").contains("only approvers"));

    // Slack asks to reconnect: a new connection, and events keep coming
    fake.push_socket(json!({"type": "disconnect", "reason": "refresh_requested",
                            "debug_info": {"host": "fake"}}));
    let again = common::eventually(Duration::from_secs(20), || async {
        (fake.socket_connections() == 2).then_some(())
    })
    .await;
    assert!(again.is_some(), "reconnected after disconnect");
    let second = envelope(
        "Ev2",
        message(SALES, "1780000001.000200", REQUESTER, "5 pcs safety goggles", vec![]),
    );
    fake.push_socket(wrap("env-4", "events_api", &second, 0));
    acked("env-4").await;
    wait_call(&fake, "second ack", |c| {
        post_to(c, SALES) && c.fields["thread_ts"] == "1780000001.000200"
    })
    .await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let acks = fake
        .calls()
        .iter()
        .filter(|c| post_to(c, SALES) && text(c).contains("RFP-"))
        .count();
    assert_eq!(acks, 2, "one answer per event");
    assert_eq!(
        count(&app, "select count(*) from inbound_messages where channel = 'slack'").await,
        2
    );
}

#[sqlx::test]
async fn mail_telegram_and_slack_replies_leave_through_one_drainer(pool: PgPool) {
    use channels::email::Security;
    use channels::email::smtp::SmtpSender;
    use channels::{ChannelKind, ThreadRef};
    use common::fake_telegram::FakeTelegram;
    use horme::outbox::{self, NewReply, Registry};
    use std::sync::Arc;

    let fake = FakeSlack::start().await;
    let telegram = FakeTelegram::start().await;
    let smtp = common::smtp_script::ScriptedSmtp::start(&[]).await;
    let mut s = settings(&fake);
    let m = &mut s.mail;
    m.from_address = "sales@horme.test".into();
    m.message_id_domain = "horme.test".into();
    m.smtp.host = "127.0.0.1".into();
    m.smtp.port = smtp.port;
    m.smtp.security = Security::Plain;
    m.smtp.timeout_seconds = 5;
    let app = common::app_with(pool, s).await;
    let mail = |key: &str| NewReply {
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
        body: "Thank you.".into(),
        quotation_id: None,
        rfp_id: None,
        attach_pdf: false,
        recipient: Some("buyer@customer.test".into()),
        automatic: false,
        external_id: Some(format!("horme.ack.{key}@horme.test")),
    };
    let tg = NewReply {
        channel: ChannelKind::Telegram,
        thread: ThreadRef::Telegram {
            chat_id: -500,
            message_id: 3,
            message_thread_id: None,
        },
        recipient: None,
        external_id: None,
        ..mail("telegram-1")
    };
    let sl = NewReply {
        channel: ChannelKind::Slack,
        thread: ThreadRef::Slack {
            channel: SALES.into(),
            thread_ts: "1780000002.000100".into(),
        },
        recipient: None,
        external_id: None,
        ..mail("slack-1")
    };
    let mut tx = app.pool.begin().await.expect("tx");
    for r in [mail("mail-1"), tg, sl] {
        assert!(outbox::enqueue(&mut tx, &r).await.expect("enqueue"));
    }
    tx.commit().await.expect("commit");

    // one drainer, one registry holding the three senders behind the one trait
    let mut registry = Registry::new();
    let smtp_sender = SmtpSender::new(&app.settings.mail.smtp_config().expect("smtp settings")).expect("smtp");
    registry.register(Arc::new(horme::outbox::email::MailReplySender::new(
        smtp_sender,
        app.settings.mail.clone(),
    )));
    let bot = channels::telegram::Bot::new(channels::telegram::TelegramConfig {
        api_url: telegram.url.clone(),
        token: common::fake_telegram::TOKEN.into(),
        poll_timeout: Duration::from_secs(1),
        request_timeout: Duration::from_secs(5),
    })
    .expect("bot");
    registry.register(Arc::new(bot));
    registry.register(Arc::new(horme::slack::client(&app).expect("client").expect("slack on")));
    assert_eq!(registry.channels(), vec!["email", "slack", "telegram"]);
    let stop = CancellationToken::new();
    let drainer = tokio::spawn(horme::outbox::drain::run_all(app.clone(), registry, stop.clone()));
    let done = common::eventually(Duration::from_secs(20), || async {
        let rows: Vec<(String, String)> = sqlx::query_as("select channel, status from outbox order by channel")
            .fetch_all(&app.pool)
            .await
            .ok()?;
        rows.iter().all(|(_, s)| s == "sent").then_some(rows)
    })
    .await;
    stop.cancel();
    let _ = drainer.await;
    let sent: Vec<(String, String)> = ["email", "slack", "telegram"]
        .iter()
        .map(|c| (c.to_string(), "sent".to_string()))
        .collect();
    assert_eq!(done.expect("all three replies sent"), sent);
    assert_eq!(smtp.accepted().len(), 1);
    assert_eq!(telegram.sent().len(), 1);
    let posted: Vec<Call> = fake.calls().into_iter().filter(|c| post_to(c, SALES)).collect();
    assert_eq!(posted.len(), 1);
    assert_eq!(posted[0].fields["thread_ts"], "1780000002.000100");
}

#[tokio::test]
async fn a_draft_whose_file_fails_is_taken_back_before_the_retry() {
    use channels::slack::{SlackClient, SlackConfig};
    use channels::{Attachment, ChannelError, OutboundReply, Outgoing, ReplyButton, ReplySender, ThreadRef};

    let fake = FakeSlack::start().await;
    let client = SlackClient::new(SlackConfig {
        api_url: fake.api_url(),
        token: TOKEN.into(),
        request_timeout: Duration::from_secs(5),
    })
    .expect("client");
    let button = |verb: &str| ReplyButton {
        label: verb.into(),
        data: format!("{verb}:Q-2026-000009"),
    };
    let out = Outgoing {
        reply: OutboundReply {
            thread: ThreadRef::Slack {
                channel: APPROVALS.into(),
                thread_ts: String::new(),
            },
            text: "*Draft quotation Q-2026-000009*".into(),
            attachments: vec![Attachment {
                filename: "Q-2026-000009.pdf".into(),
                media_type: "application/pdf".into(),
                content: b"%PDF-1.7 draft".to_vec(),
            }],
            buttons: vec![button("approve"), button("reject")],
        },
        kind: "approval_request".into(),
        subject: None,
        external_id: None,
        idempotency_key: "slack:approval_request:1".into(),
    };
    fake.rate_limit("files.getUploadURLExternal", 1, 1);
    let first = client.send(&out).await;
    assert!(matches!(first, Err(ChannelError::RateLimited { .. })), "{first:?}");
    client.send(&out).await.expect("the retry goes through");
    let calls = fake.calls();
    let posts: Vec<&Call> = calls.iter().filter(|c| post_to(c, APPROVALS)).collect();
    let deleted: Vec<&Call> = calls.iter().filter(|c| c.method == "chat.delete").collect();
    assert_eq!(posts.len(), 2);
    assert_eq!(deleted.len(), 1, "the first draft was taken back");
    assert_eq!(deleted[0].fields["ts"].as_str(), posts[0].ts.as_deref());
    let file = calls
        .iter()
        .find(|c| c.method == "files.completeUploadExternal")
        .expect("the PDF");
    assert_eq!(
        file.fields["thread_ts"].as_str(),
        posts[1].ts.as_deref(),
        "under the live draft"
    );
    assert_eq!(file.files[0].1, b"%PDF-1.7 draft".to_vec());
}

/// The Change button in Slack: the approver's press asks for the changes (ephemeral); their
/// next message in the approvals channel is read as them, and the revision with the new
/// quantity is approved and uploaded into the requester's thread.
#[sqlx::test]
async fn the_change_button_makes_an_approved_revision_from_the_approvers_message(pool: PgPool) {
    let fake = FakeSlack::start().await;
    let app = common::app_with(pool, settings(&fake)).await;
    common::import_demo_catalog(&app).await;
    sqlx::query("insert into approvers (identity) values ($1)")
        .bind(format!("slack:{}", APPROVER.to_lowercase()))
        .execute(&app.pool)
        .await
        .expect("approver");
    let run = Running::start(&app).await;
    let ts = "1780000000.000300";
    let ev = envelope("EvC1", message(SALES, ts, REQUESTER, RFP, vec![]));
    assert_eq!(run.event(&ev, Signature::Good).await, 200);
    let draft = wait_call(&fake, "draft", |c| post_to(c, APPROVALS)).await;
    let buttons = &draft.fields["blocks"][1]["elements"];
    assert_eq!(buttons[2]["text"]["text"], "Change");
    let value = buttons[2]["value"].as_str().expect("change value").to_string();
    let number = value.strip_prefix("change:").expect("change:<number>").to_string();

    let press = json!({"type": "block_actions", "trigger_id": "trig-c",
        "user": {"id": APPROVER, "username": "lead", "name": "lead", "team_id": "T1"},
        "team": {"id": "T1", "domain": "horme-test"}, "channel": {"id": APPROVALS, "name": "approvals"},
        "container": {"type": "message", "channel_id": APPROVALS},
        "response_url": format!("{}/response/trig-c", fake.url),
        "actions": [{"type": "button", "action_id": "horme_change", "block_id": "horme_decision",
                     "value": value, "action_ts": "1780000100.000300"}]});
    assert_eq!(run.press(&press).await, 200);
    let prompt = wait_call(&fake, "prompt", |c| c.method == "response_url").await;
    assert_eq!(prompt.fields["response_type"], "ephemeral");
    assert!(
        prompt.fields["text"].as_str().unwrap_or("").contains(&number),
        "{}",
        prompt.fields
    );

    let change = envelope(
        "EvC2",
        message(APPROVALS, "1780000200.000100", APPROVER, "line 1 qty 750", vec![]),
    );
    assert_eq!(run.event(&change, Signature::Good).await, 200);
    let revision = format!("{number}-R2");
    // the change_done reply (the decision's notice names the revision too, and may come first)
    let done = wait_call(&fake, "revision made", |c| {
        post_to(c, APPROVALS) && text(c).contains(&revision) && text(c).contains("from your changes")
    })
    .await;
    assert_eq!(done.fields["thread_ts"], "1780000200.000100");
    let delivered = wait_call(&fake, "revised quotation", |c| {
        c.method == "files.completeUploadExternal" && c.fields["channel_id"] == SALES
    })
    .await;
    assert_eq!(delivered.files[0].0, format!("{revision}.pdf"));
    assert_eq!(quotation_status(&app, &number).await, "revised");
    let quantity: rust_decimal::Decimal = sqlx::query_scalar(
        "select l.quantity from quotation_lines l join quotations q on q.id = l.quotation_id
         where q.number = $1 and l.line_no = 1",
    )
    .bind(&revision)
    .fetch_one(&app.pool)
    .await
    .expect("line 1");
    assert_eq!(quantity, rust_decimal::Decimal::from(750));
    assert_eq!(
        count(&app, "select count(*) from rfps").await,
        1,
        "the change is no request"
    );
}

/// A workspace allowed in the `chat_access` table: any of its members may submit from any
/// channel; a member of another workspace is still refused.
#[sqlx::test]
async fn a_workspace_in_chat_access_may_submit_from_any_channel(pool: PgPool) {
    let fake = FakeSlack::start().await;
    let app = common::app_with(pool, settings(&fake)).await;
    common::import_demo_catalog(&app).await;
    sqlx::query("insert into chat_access (channel, scope, subject_id) values ('slack', 'workspace', 'T42')")
        .execute(&app.pool)
        .await
        .expect("workspace");
    let run = Running::start(&app).await;
    let mut ours = message("CANYWHERE", "1780000000.000400", "UMEMBER", RFP, vec![]);
    ours["team"] = json!("T42");
    assert_eq!(run.event(&envelope("EvW1", ours), Signature::Good).await, 200);
    let ack = wait_call(&fake, "ack", |c| post_to(c, "CANYWHERE")).await;
    assert!(text(&ack).contains("RFP-"), "{}", ack.fields);

    let mut other = message("COTHER", "1780000000.000500", "UOUTSIDER", RFP, vec![]);
    other["team"] = json!("T99");
    assert_eq!(run.event(&envelope("EvW2", other), Signature::Good).await, 200);
    let refused = wait_call(&fake, "refusal", |c| post_to(c, "COTHER")).await;
    assert!(text(&refused).contains("not set up"), "{}", refused.fields);
    assert_eq!(count(&app, "select count(*) from inbound_messages").await, 1);
}
