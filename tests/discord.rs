//! The Discord channel against a fake Discord (tests/common/fake_discord.rs: REST + gateway
//! websocket) with the production clients pointed at it by `discord.api_url` (the gateway URL
//! comes from the fake's `GET /gateway/bot`, as in production): a file in an allowed channel
//! is stored, acknowledged in a thread started on the message, priced, posted as a draft with
//! the PDF and Approve / Reject buttons to the approvers' channel; an approver's button
//! approves it and the quotation is delivered into the requester's thread. Strangers are
//! refused, oversized files answered, a 429 waited out, a duplicate answered once, an outage
//! of the REST API waited out, a dropped gateway connection resumed without loss.

mod common;

use std::sync::Arc;
use std::time::Duration;

use channels::discord::{Bot, DiscordConfig};
use channels::email::Security;
use channels::email::smtp::SmtpSender;
use channels::{ChannelKind, ThreadRef};
use common::fake_discord::{FakeDiscord, Sent, TOKEN};
use horme::outbox::{self, NewReply, Registry};
use horme::startup::App;
use serde_json::{Value, json};
use sqlx::PgPool;
use tokio_util::sync::CancellationToken;

const GUILD: u64 = 800_000_000_000_000_001;
const ALLOWED: u64 = 810_000_000_000_000_001;
const APPROVALS: u64 = 820_000_000_000_000_001;
const APPROVER: u64 = 770_000_000_000_000_077;
const STRANGER: u64 = 880_000_000_000_000_088;
const REQUESTER: u64 = 550_000_000_000_000_005;
const RFP: &str = "Please quote:\n\n\
1. Molykote 33M Silicone Grease (100G) - 500 sets\n\
2. China Sanding Cloth Roll 1-1/2 Inch X #100 (qty: 60 units)\n\
3. Push In Fitting 10Mm - Male Stud 3/8In - 120 pcs\n";

fn settings(fake: &FakeDiscord) -> horme::config::Settings {
    let mut s = common::settings();
    let d = &mut s.discord;
    d.enabled = true;
    d.api_url = fake.api_url.clone();
    d.bot_token = TOKEN.to_string().into();
    d.approvals_channel_id = APPROVALS;
    d.allowed_channels = vec![ALLOWED];
    d.request_timeout_seconds = 5;
    let m = &mut s.mail;
    m.outbox_poll_interval_ms = 100;
    m.outbox_backoff_base_seconds = 1;
    m.outbox_backoff_max_seconds = 2;
    s.workers.poll_interval_ms = 200;
    s.workers.backoff_base_seconds = 1;
    s
}

/// Channels (receiver + the one drainer) and workers, as `serve` starts them.
struct Running {
    stop: CancellationToken,
}

impl Running {
    async fn start(app: &App, fake: &FakeDiscord) -> Self {
        let stop = CancellationToken::new();
        let mut tasks = horme::startup::spawn_channels(app, &stop).expect("channels start");
        tasks.spawn(horme::jobs::worker::run_pool(app.clone(), 2, stop.clone()));
        tokio::spawn(async move { while tasks.join_next().await.is_some() {} });
        fake.wait_identified(1).await;
        Self { stop }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        self.stop.cancel();
    }
}

/// A MESSAGE_CREATE as the gateway sends it.
fn message(channel: u64, id: u64, author: u64, guild: Option<u64>, extra: Value) -> Value {
    let mut m = json!({
        "id": id.to_string(), "channel_id": channel.to_string(), "type": 0, "content": "",
        "author": {"id": author.to_string(), "username": "marcus", "global_name": "Marcus"},
        "attachments": [], "timestamp": "2026-11-30T10:00:00.000000+00:00",
    });
    if let Some(g) = guild {
        m["guild_id"] = json!(g.to_string());
        m["member"] = json!({"roles": []});
    }
    if let Value::Object(e) = extra {
        for (k, v) in e {
            m[k] = v;
        }
    }
    m
}

/// An INTERACTION_CREATE for a button press in the approvers' channel.
fn press(id: u64, user: u64, custom_id: &str) -> Value {
    json!({"id": id.to_string(), "application_id": "1", "type": 3, "token": format!("itoken-{id}"),
           "version": 1, "guild_id": GUILD.to_string(), "channel_id": APPROVALS.to_string(),
           "data": {"custom_id": custom_id, "component_type": 2},
           "member": {"user": {"id": user.to_string(), "username": "someone", "global_name": "Some One"}, "roles": []},
           "message": {"id": "1", "channel_id": APPROVALS.to_string(), "content": "**Draft quotation** for you"}})
}

async fn wait_sent(fake: &FakeDiscord, what: &str, f: impl Fn(&Sent) -> bool) -> Sent {
    common::eventually(Duration::from_secs(60), || async {
        fake.sent().into_iter().find(|s| f(s))
    })
    .await
    .unwrap_or_else(|| {
        panic!(
            "never sent: {what}; sent: {:#?}",
            fake.sent()
                .iter()
                .map(|s| (&s.what, s.target, &s.body))
                .collect::<Vec<_>>()
        )
    })
}

fn message_to(s: &Sent, channel: u64) -> bool {
    s.what == "message" && s.target == channel
}

fn content(s: &Sent) -> &str {
    s.body["content"].as_str().unwrap_or("")
}

async fn count(app: &App, sql: &'static str, binds: &[String]) -> i64 {
    let mut q = sqlx::query_scalar(sql);
    for b in binds {
        q = q.bind(b);
    }
    q.fetch_one(&app.pool).await.expect("count")
}

async fn quotation_status(app: &App, number: &str) -> String {
    sqlx::query_scalar("select status from quotations where number = $1")
        .bind(number)
        .fetch_one(&app.pool)
        .await
        .expect("quotation")
}

#[sqlx::test]
async fn attachment_to_thread_ack_draft_with_buttons_approval_and_delivery(pool: PgPool) {
    let fake = FakeDiscord::start().await;
    let app = common::app_with(pool, settings(&fake)).await;
    common::import_demo_catalog(&app).await;
    sqlx::query("insert into approvers (identity) values ($1)")
        .bind(format!("discord:{APPROVER}"))
        .execute(&app.pool)
        .await
        .expect("approver");
    let url = fake.add_file("rfq.txt", RFP.as_bytes());
    let _bot = Running::start(&app, &fake).await;
    let identify = &fake.identifies()[0];
    assert_eq!(
        identify["intents"],
        512 + 4096 + 32768,
        "guild + direct messages + content"
    );
    const MSG: u64 = 1_200_000_000_000_000_042;
    fake.dispatch(
        "MESSAGE_CREATE",
        message(
            ALLOWED,
            MSG,
            REQUESTER,
            Some(GUILD),
            json!({"content": "RFQ attached", "attachments": [{"id": "9", "filename": "rfq.txt",
                   "content_type": "text/plain; charset=utf-8", "size": RFP.len(), "url": url}]}),
        ),
    );

    // a thread is started on the request message and the acknowledgement goes into it
    let thread = wait_sent(&fake, "thread", |s| s.what == "thread").await;
    assert_eq!(thread.target, ALLOWED);
    assert!(
        thread.body["name"].as_str().unwrap_or("").contains("RFP-"),
        "{}",
        thread.body
    );
    let ack = wait_sent(&fake, "ack", |s| message_to(s, MSG)).await;
    assert!(content(&ack).contains("RFP-"), "{}", ack.body);
    assert_eq!(
        count(
            &app,
            "select count(*) from inbound_messages where channel = 'discord' and external_id = $1",
            &[format!("{ALLOWED}:{MSG}")]
        )
        .await,
        1
    );

    // the draft goes to the approvers' channel with the PDF and Approve / Reject buttons
    let draft = wait_sent(&fake, "draft", |s| message_to(s, APPROVALS) && !s.files.is_empty()).await;
    let (filename, pdf) = draft.files[0].clone();
    assert!(pdf.starts_with(b"%PDF"), "a PDF");
    assert_eq!(draft.body["attachments"][0]["filename"], filename.as_str());
    let number = filename.trim_end_matches(".pdf").to_string();
    let row = &draft.body["components"][0];
    assert_eq!(row["type"], 1);
    assert_eq!(row["components"][0]["label"], "Approve");
    assert_eq!(row["components"][0]["custom_id"], format!("approve:{number}"));
    assert_eq!(row["components"][1]["custom_id"], format!("reject:{number}"));
    assert_eq!(quotation_status(&app, &number).await, "pending_approval");

    // a stranger's press is refused (only they see it) and changes nothing
    fake.dispatch(
        "INTERACTION_CREATE",
        press(5001, STRANGER, &format!("approve:{number}")),
    );
    let refused = wait_sent(&fake, "refusal", |s| s.what == "interaction" && s.target == 5001).await;
    assert_eq!(refused.body["type"], 4);
    assert_eq!(refused.body["data"]["flags"], 64);
    assert!(
        refused.body["data"]["content"]
            .as_str()
            .unwrap_or("")
            .contains("only approvers")
    );
    assert_eq!(quotation_status(&app, &number).await, "pending_approval");
    assert_eq!(
        count(
            &app,
            "select count(*) from audit_log where action = 'approval_refused' and actor = $1 and channel = 'discord'",
            &[format!("discord:{STRANGER}")]
        )
        .await,
        1
    );

    // the approver's press approves; the quotation goes into the requester's thread and is sent
    fake.dispatch(
        "INTERACTION_CREATE",
        press(5002, APPROVER, &format!("approve:{number}")),
    );
    let answered = wait_sent(&fake, "interaction answer", |s| {
        s.what == "interaction" && s.target == 5002
    })
    .await;
    // the draft is edited: the decision noted under it, its buttons gone
    assert_eq!(answered.body["type"], 7, "{}", answered.body);
    let edited = answered.body["data"]["content"].as_str().unwrap_or("");
    assert!(
        edited.starts_with("**Draft quotation** for you") && edited.contains(&number) && edited.contains("approved"),
        "{edited}"
    );
    assert!(edited.contains(&format!("<@{APPROVER}>")), "{edited}");
    assert_eq!(answered.body["data"]["components"], json!([]));
    let delivered = wait_sent(&fake, "quotation", |s| message_to(s, MSG) && !s.files.is_empty()).await;
    assert_eq!(delivered.files[0].0, format!("{number}.pdf"));
    assert!(content(&delivered).contains(&number));
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
    assert_eq!(approved_by, format!("discord:{APPROVER}"));
    // one thread for the request: the later replies found it
    assert_eq!(fake.sent().iter().filter(|s| s.what == "thread").count(), 1);
}

#[sqlx::test]
async fn a_channel_that_may_not_submit_is_refused_politely(pool: PgPool) {
    let fake = FakeDiscord::start().await;
    let app = common::app_with(pool, settings(&fake)).await;
    let _bot = Running::start(&app, &fake).await;
    const OTHER: u64 = 830_000_000_000_000_001;
    fake.dispatch(
        "MESSAGE_CREATE",
        message(
            OTHER,
            7,
            STRANGER,
            Some(GUILD),
            json!({"content": "please quote 10 gloves"}),
        ),
    );
    let r = wait_sent(&fake, "refusal", |s| message_to(s, OTHER)).await;
    assert_eq!(r.body["message_reference"]["message_id"], "7");
    assert!(content(&r).contains("not set up"), "{}", r.body);
    assert_eq!(count(&app, "select count(*) from inbound_messages", &[]).await, 0);
    assert_eq!(
        count(
            &app,
            "select count(*) from audit_log where action = 'submission_refused' and actor = $1",
            &[format!("discord:{STRANGER}")]
        )
        .await,
        1
    );
    // a person allowed in the chat_access table may write from a direct message
    sqlx::query("insert into chat_access (channel, scope, subject_id) values ('discord', 'user', $1)")
        .bind(REQUESTER.to_string())
        .execute(&app.pool)
        .await
        .expect("access");
    const DM: u64 = 840_000_000_000_000_001;
    fake.dispatch(
        "MESSAGE_CREATE",
        message(DM, 8, REQUESTER, None, json!({"content": "10 pcs nitrile gloves"})),
    );
    let ack = wait_sent(&fake, "ack in the DM", |s| message_to(s, DM)).await;
    assert_eq!(
        ack.body["message_reference"]["message_id"], "8",
        "a DM reply answers the message"
    );
    assert!(content(&ack).contains("RFP-"));
    assert!(fake.sent().iter().all(|s| s.what != "thread"), "no thread in a DM");
}

#[sqlx::test]
async fn a_file_over_the_download_limit_is_answered(pool: PgPool) {
    let fake = FakeDiscord::start().await;
    let app = common::app_with(pool, settings(&fake)).await;
    let _bot = Running::start(&app, &fake).await;
    fake.dispatch(
        "MESSAGE_CREATE",
        message(
            ALLOWED,
            8,
            REQUESTER,
            Some(GUILD),
            json!({"attachments": [{"id": "1", "filename": "huge.pdf", "content_type": "application/pdf",
                   "size": 30 * 1024 * 1024, "url": format!("{}/huge.pdf", fake.cdn_url)}]}),
        ),
    );
    let r = wait_sent(&fake, "too large", |s| message_to(s, ALLOWED)).await;
    let text = content(&r);
    assert!(text.contains("huge.pdf") && text.contains("25 MB"), "{text}");
    assert_eq!(r.body["message_reference"]["message_id"], "8");
    assert_eq!(count(&app, "select count(*) from inbound_messages", &[]).await, 0);
}

#[sqlx::test]
async fn a_429_is_waited_out_for_its_retry_after(pool: PgPool) {
    let fake = FakeDiscord::start().await;
    let app = common::app_with(pool, settings(&fake)).await;
    fake.rate_limit("message", 1, 2.5);
    let _bot = Running::start(&app, &fake).await;
    fake.dispatch(
        "MESSAGE_CREATE",
        message(
            ALLOWED,
            9,
            REQUESTER,
            Some(GUILD),
            json!({"content": "10 pcs nitrile gloves"}),
        ),
    );
    let ack = wait_sent(&fake, "ack", |s| message_to(s, 9)).await;
    let refused = fake.refused();
    assert_eq!(refused.len(), 1);
    assert!(
        ack.at.duration_since(refused[0].1) >= Duration::from_millis(2500),
        "sent again only after retry_after"
    );
    let attempts: i32 = sqlx::query_scalar("select attempts from outbox where kind = 'ack'")
        .fetch_one(&app.pool)
        .await
        .expect("row");
    assert_eq!(attempts, 2);
}

#[sqlx::test]
async fn a_duplicate_message_gets_one_reply(pool: PgPool) {
    let fake = FakeDiscord::start().await;
    let app = common::app_with(pool, settings(&fake)).await;
    let _bot = Running::start(&app, &fake).await;
    let m = message(
        ALLOWED,
        10,
        REQUESTER,
        Some(GUILD),
        json!({"content": "10 pcs nitrile gloves"}),
    );
    fake.dispatch("MESSAGE_CREATE", m.clone());
    fake.dispatch("MESSAGE_CREATE", m);
    wait_sent(&fake, "ack", |s| message_to(s, 10)).await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let acks = fake
        .sent()
        .iter()
        .filter(|s| message_to(s, 10) && content(s).contains("received your request"))
        .count();
    assert_eq!(acks, 1);
    assert_eq!(
        count(
            &app,
            "select count(*) from inbound_messages where channel = 'discord'",
            &[]
        )
        .await,
        1
    );
}

#[sqlx::test]
async fn discord_down_for_a_while_loses_nothing(pool: PgPool) {
    let fake = FakeDiscord::start().await;
    let app = common::app_with(pool, settings(&fake)).await;
    let _bot = Running::start(&app, &fake).await;
    fake.set_down(true);
    fake.dispatch(
        "MESSAGE_CREATE",
        message(
            ALLOWED,
            11,
            REQUESTER,
            Some(GUILD),
            json!({"content": "10 pcs nitrile gloves"}),
        ),
    );
    // stored at once; the acknowledgement waits, tried again while the API answers 502
    let tried = common::eventually(Duration::from_secs(20), || async {
        let attempts: i32 = sqlx::query_scalar("select attempts from outbox where kind = 'ack'")
            .fetch_optional(&app.pool)
            .await
            .ok()??;
        (attempts >= 2).then_some(())
    })
    .await;
    assert!(tried.is_some(), "the ack is retried while Discord is down");
    assert_eq!(
        count(
            &app,
            "select count(*) from inbound_messages where channel = 'discord'",
            &[]
        )
        .await,
        1
    );
    assert!(fake.sent().is_empty());
    fake.set_down(false);
    let ack = wait_sent(&fake, "ack after the outage", |s| message_to(s, 11)).await;
    assert!(content(&ack).contains("RFP-"));
    tokio::time::sleep(Duration::from_millis(1000)).await;
    assert_eq!(fake.sent().iter().filter(|s| message_to(s, 11)).count(), 1, "sent once");
    assert_eq!(
        count(&app, "select count(*) from outbox where status <> 'sent'", &[]).await,
        0
    );
}

#[sqlx::test]
async fn a_dropped_gateway_connection_is_resumed_without_loss(pool: PgPool) {
    let fake = FakeDiscord::start().await;
    let app = common::app_with(pool, settings(&fake)).await;
    let _bot = Running::start(&app, &fake).await;
    fake.dispatch(
        "MESSAGE_CREATE",
        message(
            ALLOWED,
            12,
            REQUESTER,
            Some(GUILD),
            json!({"content": "10 pcs nitrile gloves"}),
        ),
    );
    wait_sent(&fake, "first ack", |s| message_to(s, 12)).await;
    // the connection drops; what happens meanwhile is replayed when the session resumes
    fake.drop_connections();
    fake.dispatch(
        "MESSAGE_CREATE",
        message(
            ALLOWED,
            13,
            REQUESTER,
            Some(GUILD),
            json!({"content": "20 pcs nitrile gloves"}),
        ),
    );
    let ack = wait_sent(&fake, "ack of the message sent while disconnected", |s| {
        message_to(s, 13)
    })
    .await;
    assert!(content(&ack).contains("RFP-"));
    let resumes = fake.resumes();
    assert!(!resumes.is_empty(), "the session was resumed, not identified afresh");
    assert_eq!(resumes[0]["session_id"], "fake-session");
    assert!(resumes[0]["seq"].as_u64() >= Some(1), "{}", resumes[0]);
    assert_eq!(fake.identifies().len(), 1);
}

#[sqlx::test]
async fn messages_written_while_the_bot_was_away_are_read_back(pool: PgPool) {
    let fake = FakeDiscord::start().await;
    let app = common::app_with(pool, settings(&fake)).await;
    let bot = Running::start(&app, &fake).await;
    fake.dispatch(
        "MESSAGE_CREATE",
        message(
            ALLOWED,
            20,
            REQUESTER,
            Some(GUILD),
            json!({"content": "10 pcs nitrile gloves"}),
        ),
    );
    wait_sent(&fake, "first ack", |s| message_to(s, 20)).await;
    // the bot stops; a message arrives meanwhile; a fresh session is not sent what it missed
    drop(bot);
    let closed = common::eventually(Duration::from_secs(20), || async {
        (fake.live_connections() == 0).then_some(())
    })
    .await;
    assert!(closed.is_some(), "the gateway connection closed at shutdown");
    fake.dispatch(
        "MESSAGE_CREATE",
        message(
            ALLOWED,
            21,
            REQUESTER,
            Some(GUILD),
            json!({"content": "20 pcs nitrile gloves"}),
        ),
    );
    let _bot = Running::start(&app, &fake).await;
    fake.wait_identified(2).await;
    let ack = wait_sent(&fake, "ack of the message written while away", |s| message_to(s, 21)).await;
    assert!(content(&ack).contains("RFP-"), "{}", ack.body);
    assert!(fake.resumes().is_empty(), "a fresh session, not a resumed one");
    assert!(
        fake.history_reads().iter().any(|q| q.contains("after=20")),
        "{:?}",
        fake.history_reads()
    );
    tokio::time::sleep(Duration::from_millis(1000)).await;
    assert_eq!(
        fake.sent()
            .iter()
            .filter(|s| message_to(s, 20) && content(s).contains("received your request"))
            .count(),
        1,
        "the message before the gap answered once"
    );
    assert_eq!(
        count(
            &app,
            "select count(*) from inbound_messages where channel = 'discord'",
            &[]
        )
        .await,
        2
    );
}

/// `horme config check` against the fake: the token is verified with `GET /users/@me`.
/// Whether the command succeeded, and its table.
async fn config_check(pool: &PgPool, fake: &FakeDiscord, token: &str) -> (bool, String) {
    let mut cmd = tokio::process::Command::new(env!("CARGO_BIN_EXE_horme"));
    cmd.args(["config", "check"])
        .current_dir(common::repo())
        .env("DATABASE_URL", common::database_url(pool))
        .env("HORME_CONFIG", common::repo().join("tests/fixtures/horme-test.toml"))
        .env("HORME__DISCORD__ENABLED", "true")
        .env("HORME__DISCORD__API_URL", &fake.api_url)
        .env("HORME__DISCORD__BOT_TOKEN", token)
        .env_remove("RUST_LOG");
    let out = cmd.output().await.expect("run horme");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(
        !stdout.contains(token) && !stderr.contains(token),
        "the token is never printed"
    );
    (out.status.success(), format!("{stdout}\n{stderr}"))
}

#[sqlx::test]
async fn config_check_says_whether_the_bot_token_is_live(pool: PgPool) {
    let fake = FakeDiscord::start().await;
    let (ok, live) = config_check(&pool, &fake, TOKEN).await;
    assert!(ok, "{live}");
    let row = live.lines().find(|l| l.starts_with("discord ")).unwrap_or_default();
    assert!(
        row.contains(&fake.api_url) && row.contains("ok: live as horme"),
        "{live}"
    );
    let (ok, refused) = config_check(&pool, &fake, "MTIz.wrong-token-value").await;
    assert!(!ok, "a login that fails fails the check: {refused}");
    let row = refused.lines().find(|l| l.starts_with("discord ")).unwrap_or_default();
    assert!(row.contains("failed:") && row.contains("401"), "{refused}");
    assert!(refused.contains("1 of 2 logins failed: discord"), "{refused}");
}

fn discord_bot(fake: &FakeDiscord) -> Bot {
    Bot::new(DiscordConfig {
        api_url: fake.api_url.clone(),
        token: TOKEN.into(),
        request_timeout: Duration::from_secs(5),
    })
    .expect("bot")
}

fn chat_reply(key: &str, thread: ThreadRef) -> NewReply {
    NewReply {
        idempotency_key: key.into(),
        channel: ChannelKind::Discord,
        thread,
        kind: "ack".into(),
        subject: Some("Quotation request RFP-TEST".into()),
        body: "Thank you.".into(),
        quotation_id: None,
        rfp_id: None,
        attach_pdf: false,
        recipient: None,
        automatic: false,
        external_id: None,
    }
}

/// Drains the outbox with `registry` until every row is sent; the rows by channel.
async fn drain_all(app: &App, registry: Registry) -> Vec<(String, String)> {
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
    done.expect("every reply sent")
}

#[sqlx::test]
async fn mail_and_discord_replies_leave_through_one_drainer(pool: PgPool) {
    let fake = FakeDiscord::start().await;
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
    let mail = NewReply {
        channel: ChannelKind::Email,
        thread: ThreadRef::Email {
            message_id: "rfq-1@customer.test".into(),
            references: vec![],
            subject: "RFQ 1".into(),
            reply_to: "buyer@customer.test".into(),
        },
        subject: None,
        recipient: Some("buyer@customer.test".into()),
        external_id: Some("horme.ack.mail-1@horme.test".into()),
        ..chat_reply("mail-1", ThreadRef::Cli { run_id: String::new() })
    };
    let chat = chat_reply(
        "discord-1",
        ThreadRef::Discord {
            channel_id: ALLOWED,
            message_id: 3,
            guild_id: Some(GUILD),
        },
    );
    let mut tx = app.pool.begin().await.expect("tx");
    assert!(outbox::enqueue(&mut tx, &mail).await.expect("enqueue"));
    assert!(outbox::enqueue(&mut tx, &chat).await.expect("enqueue"));
    tx.commit().await.expect("commit");

    // one drainer, one registry holding both senders behind the one trait
    let mut registry = Registry::new();
    let smtp_sender = SmtpSender::new(&app.settings.mail.smtp_config().expect("smtp settings")).expect("smtp");
    registry.register(Arc::new(horme::outbox::email::MailReplySender::new(
        smtp_sender,
        app.settings.mail.clone(),
    )));
    registry.register(Arc::new(discord_bot(&fake)));
    assert_eq!(registry.channels(), vec!["discord".to_string(), "email".to_string()]);
    assert_eq!(
        drain_all(&app, registry).await,
        vec![("discord".into(), "sent".into()), ("email".into(), "sent".into())]
    );
    assert_eq!(smtp.accepted().len(), 1);
    let thread = wait_sent(&fake, "thread", |s| s.what == "thread").await;
    assert_eq!(thread.body["name"], "Quotation request RFP-TEST");
    wait_sent(&fake, "reply in the thread", |s| message_to(s, 3)).await;
}

#[sqlx::test]
async fn a_deleted_thread_gives_way_to_a_reply_in_the_channel(pool: PgPool) {
    let fake = FakeDiscord::start().await;
    let app = common::app_with(pool, settings(&fake)).await;
    fake.delete_thread(31);
    let reply = chat_reply(
        "discord-31",
        ThreadRef::Discord {
            channel_id: ALLOWED,
            message_id: 31,
            guild_id: Some(GUILD),
        },
    );
    let mut tx = app.pool.begin().await.expect("tx");
    assert!(outbox::enqueue(&mut tx, &reply).await.expect("enqueue"));
    tx.commit().await.expect("commit");
    let mut registry = Registry::new();
    registry.register(Arc::new(discord_bot(&fake)));
    assert_eq!(drain_all(&app, registry).await, vec![("discord".into(), "sent".into())]);
    let sent = wait_sent(&fake, "reply in the channel", |s| message_to(s, ALLOWED)).await;
    assert_eq!(sent.body["message_reference"]["message_id"], "31");
    assert_eq!(content(&sent), "Thank you.");
}

#[sqlx::test]
async fn a_connection_without_heartbeat_acks_is_replaced_and_resumed(pool: PgPool) {
    let fake = FakeDiscord::start().await;
    let app = common::app_with(pool, settings(&fake)).await;
    let _bot = Running::start(&app, &fake).await;
    // heartbeats are acknowledged while the connection is healthy
    let beating = common::eventually(Duration::from_secs(10), || async {
        (fake.heartbeats() >= 2).then_some(())
    })
    .await;
    assert!(beating.is_some(), "the bot sends heartbeats");
    assert!(fake.resumes().is_empty());
    // a zombie connection: the next heartbeat goes unanswered, the bot reconnects and resumes
    fake.set_silent(true);
    let resumed = common::eventually(Duration::from_secs(15), || async {
        (!fake.resumes().is_empty()).then_some(())
    })
    .await;
    assert!(resumed.is_some(), "the bot resumed after a heartbeat went unanswered");
    fake.set_silent(false);
    assert_eq!(fake.identifies().len(), 1);
    fake.dispatch(
        "MESSAGE_CREATE",
        message(
            ALLOWED,
            40,
            REQUESTER,
            Some(GUILD),
            json!({"content": "10 pcs nitrile gloves"}),
        ),
    );
    wait_sent(&fake, "ack on the resumed session", |s| message_to(s, 40)).await;
}

#[sqlx::test]
async fn a_request_without_items_is_answered_in_its_thread(pool: PgPool) {
    let fake = FakeDiscord::start().await;
    let app = common::app_with(pool, settings(&fake)).await;
    common::import_demo_catalog(&app).await;
    let _bot = Running::start(&app, &fake).await;
    fake.dispatch(
        "MESSAGE_CREATE",
        message(
            ALLOWED,
            50,
            REQUESTER,
            Some(GUILD),
            json!({"content": "hello, how are you?"}),
        ),
    );
    let r = wait_sent(&fake, "no items", |s| {
        message_to(s, 50) && content(s).contains("no items")
    })
    .await;
    assert!(content(&r).contains("RFP-"), "{}", r.body);
    let status: String = sqlx::query_scalar("select status from rfps")
        .fetch_one(&app.pool)
        .await
        .expect("rfp");
    assert_eq!(status, "failed");
}

#[sqlx::test]
async fn two_processes_hold_one_gateway_session(pool: PgPool) {
    let fake = FakeDiscord::start().await;
    let app = common::app_with(pool, settings(&fake)).await;
    // a second process (another App on the same database) starts its channels too
    let other = common::app_with(app.pool.clone(), settings(&fake)).await;
    let first = Running::start(&app, &fake).await;
    let _second = Running::start(&other, &fake).await;
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(fake.identifies().len(), 1, "one session per bot");
    assert_eq!(fake.live_connections(), 1);
    fake.dispatch(
        "MESSAGE_CREATE",
        message(
            ALLOWED,
            60,
            REQUESTER,
            Some(GUILD),
            json!({"content": "10 pcs nitrile gloves"}),
        ),
    );
    wait_sent(&fake, "ack", |s| message_to(s, 60)).await;
    // the holder stops: the other process takes the session over
    drop(first);
    fake.wait_identified(2).await;
    fake.dispatch(
        "MESSAGE_CREATE",
        message(
            ALLOWED,
            61,
            REQUESTER,
            Some(GUILD),
            json!({"content": "20 pcs nitrile gloves"}),
        ),
    );
    wait_sent(&fake, "ack from the other process", |s| message_to(s, 61)).await;
    tokio::time::sleep(Duration::from_millis(1000)).await;
    let acks = fake
        .sent()
        .iter()
        .filter(|s| (message_to(s, 60) || message_to(s, 61)) && content(s).contains("received your request"))
        .count();
    assert_eq!(acks, 2, "each message answered once");
}

/// The Change button in Discord: the approver's press asks for the changes (only they see
/// it); their next message in the approvers' channel is read as them, and the revision with
/// the new quantity is approved and delivered into the requester's thread.
#[sqlx::test]
async fn the_change_button_makes_an_approved_revision_from_the_approvers_message(pool: PgPool) {
    let fake = FakeDiscord::start().await;
    let app = common::app_with(pool, settings(&fake)).await;
    common::import_demo_catalog(&app).await;
    sqlx::query("insert into approvers (identity) values ($1)")
        .bind(format!("discord:{APPROVER}"))
        .execute(&app.pool)
        .await
        .expect("approver");
    let _bot = Running::start(&app, &fake).await;
    const MSG: u64 = 1_200_000_000_000_000_077;
    fake.dispatch(
        "MESSAGE_CREATE",
        message(ALLOWED, MSG, REQUESTER, Some(GUILD), json!({"content": RFP})),
    );
    let draft = wait_sent(&fake, "draft", |s| message_to(s, APPROVALS) && !s.files.is_empty()).await;
    let number = draft.files[0].0.trim_end_matches(".pdf").to_string();
    let row = &draft.body["components"][0];
    assert_eq!(row["components"][2]["label"], "Change");
    assert_eq!(row["components"][2]["custom_id"], format!("change:{number}"));

    fake.dispatch("INTERACTION_CREATE", press(6001, APPROVER, &format!("change:{number}")));
    let prompt = wait_sent(&fake, "prompt", |s| s.what == "interaction" && s.target == 6001).await;
    assert_eq!(prompt.body["data"]["flags"], 64, "only the approver sees it");
    assert!(
        prompt.body["data"]["content"].as_str().unwrap_or("").contains(&number),
        "{}",
        prompt.body
    );

    const CHANGE: u64 = 1_200_000_000_000_000_078;
    fake.dispatch(
        "MESSAGE_CREATE",
        message(
            APPROVALS,
            CHANGE,
            APPROVER,
            Some(GUILD),
            json!({"content": "line 1 qty 750"}),
        ),
    );
    let revision = format!("{number}-R2");
    wait_sent(&fake, "revision made", |s| {
        message_to(s, APPROVALS) && content(s).contains(&revision)
    })
    .await;
    let delivered = wait_sent(&fake, "revised quotation", |s| {
        message_to(s, MSG) && !s.files.is_empty()
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
        count(&app, "select count(*) from rfps", &[]).await,
        1,
        "the change is no request"
    );
}
