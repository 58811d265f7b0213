//! The Telegram channel against a fake Bot API server (tests/common/fake_telegram.rs) with the
//! production client pointed at it by `telegram.api_url`: a document in an allowed chat is
//! stored, acknowledged in its thread, priced, posted as a draft with Approve / Reject buttons
//! to the approvers' chat; an approver's button approves it and the quotation is delivered to
//! the requester. Strangers are refused, oversized files answered, a 429 waited out, a
//! duplicate update answered once; mail and Telegram replies leave through one drainer.

mod common;

use std::sync::Arc;
use std::time::Duration;

use channels::email::Security;
use channels::email::smtp::SmtpSender;
use channels::telegram::{Bot, TelegramConfig};
use channels::{ChannelKind, ThreadRef};
use common::fake_telegram::{FakeTelegram, Sent, TOKEN};
use horme::outbox::{self, NewReply, Registry};
use horme::startup::App;
use serde_json::{Value, json};
use sqlx::PgPool;
use tokio_util::sync::CancellationToken;

const ALLOWED_CHAT: i64 = -500;
const APPROVALS_CHAT: i64 = -1000;
const APPROVER: i64 = 77;
const RFP: &str = "Please quote:\n\n\
1. Molykote 33M Silicone Grease (100G) - 500 sets\n\
2. China Sanding Cloth Roll 1-1/2 Inch X #100 (qty: 60 units)\n\
3. Push In Fitting 10Mm - Male Stud 3/8In - 120 pcs\n";

fn settings(fake: &FakeTelegram) -> horme::config::Settings {
    let mut s = common::settings();
    let t = &mut s.telegram;
    t.enabled = true;
    t.api_url = fake.url.clone();
    t.bot_token = TOKEN.to_string().into();
    t.approvals_chat_id = APPROVALS_CHAT;
    t.allowed_chats = vec![ALLOWED_CHAT];
    t.poll_timeout_seconds = 1;
    t.request_timeout_seconds = 5;
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
    fn start(app: &App) -> Self {
        let stop = CancellationToken::new();
        let mut tasks = horme::startup::spawn_channels(app, &stop).expect("channels start");
        tasks.spawn(horme::jobs::worker::run_pool(app.clone(), 2, stop.clone()));
        tokio::spawn(async move { while tasks.join_next().await.is_some() {} });
        Self { stop }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        self.stop.cancel();
    }
}

fn message(update_id: i64, chat: i64, message_id: i64, user: i64, extra: Value) -> Value {
    let mut m = json!({
        "message_id": message_id,
        "from": {"id": user, "is_bot": false, "first_name": "Marcus"},
        "chat": {"id": chat, "type": "supergroup", "title": "Sales"},
        "date": 1_780_000_000,
    });
    if let Value::Object(e) = extra {
        for (k, v) in e {
            m[k] = v;
        }
    }
    json!({"update_id": update_id, "message": m})
}

async fn wait_sent(fake: &FakeTelegram, what: &str, f: impl Fn(&Sent) -> bool) -> Sent {
    common::eventually(Duration::from_secs(60), || async {
        fake.sent().into_iter().find(|s| f(s))
    })
    .await
    .unwrap_or_else(|| {
        panic!(
            "never sent: {what}; sent: {:#?}",
            fake.sent().iter().map(|s| (&s.method, &s.fields)).collect::<Vec<_>>()
        )
    })
}

fn to_chat(s: &Sent, chat: i64) -> bool {
    s.fields["chat_id"].as_i64() == Some(chat)
}

async fn quotation_status(app: &App, number: &str) -> String {
    sqlx::query_scalar("select status from quotations where number = $1")
        .bind(number)
        .fetch_one(&app.pool)
        .await
        .expect("quotation")
}

#[sqlx::test]
async fn document_to_draft_with_buttons_to_approval_and_delivery(pool: PgPool) {
    let fake = FakeTelegram::start().await;
    let app = common::app_with(pool, settings(&fake)).await;
    common::import_demo_catalog(&app).await;
    sqlx::query("insert into approvers (identity) values ($1)")
        .bind(format!("telegram:{APPROVER}"))
        .execute(&app.pool)
        .await
        .expect("approver");
    fake.add_file("rfq-file-1", RFP.as_bytes());
    fake.push_update(message(
        1,
        ALLOWED_CHAT,
        42,
        5,
        json!({"message_thread_id": 9, "is_topic_message": true,
               "document": {"file_id": "rfq-file-1", "file_unique_id": "u1", "file_name": "rfq.txt",
                            "mime_type": "text/plain", "file_size": RFP.len()}}),
    ));
    let _bot = Running::start(&app);

    // the acknowledgement answers the user's message, in its forum topic, with the reference
    let ack = wait_sent(&fake, "ack", |s| s.method == "sendMessage" && to_chat(s, ALLOWED_CHAT)).await;
    assert_eq!(ack.fields["reply_parameters"]["message_id"], 42);
    assert_eq!(ack.fields["message_thread_id"], 9);
    // long polling removed any webhook first (getUpdates is refused while one is set)
    assert!(fake.sent().iter().any(|s| s.method == "deleteWebhook"));
    assert!(
        ack.fields["text"].as_str().unwrap_or("").contains("RFP-"),
        "{}",
        ack.fields
    );
    let stored: i64 = sqlx::query_scalar(
        "select count(*) from inbound_messages where channel = 'telegram' and external_id = '-500:42'",
    )
    .fetch_one(&app.pool)
    .await
    .expect("stored");
    assert_eq!(stored, 1);

    // the draft goes to the approvers' chat as a PDF with Approve / Reject buttons
    let draft = wait_sent(&fake, "draft", |s| {
        s.method == "sendDocument" && to_chat(s, APPROVALS_CHAT)
    })
    .await;
    let (filename, pdf) = draft.document.clone().expect("a document");
    assert!(pdf.starts_with(b"%PDF"), "a PDF");
    let number = filename.trim_end_matches(".pdf").to_string();
    let keyboard = &draft.fields["reply_markup"]["inline_keyboard"][0];
    assert_eq!(keyboard[0]["text"], "Approve");
    assert_eq!(keyboard[0]["callback_data"], format!("approve:{number}"));
    assert_eq!(keyboard[1]["callback_data"], format!("reject:{number}"));
    assert_eq!(quotation_status(&app, &number).await, "pending_approval");

    // a stranger's press is refused politely and changes nothing
    let press = |update_id: i64, id: &str, user: i64| {
        json!({"update_id": update_id, "callback_query": {
            "id": id, "from": {"id": user, "is_bot": false, "first_name": "P"},
            "chat_instance": "x", "data": format!("approve:{number}"),
            "message": {"message_id": 1001, "date": 0, "chat": {"id": APPROVALS_CHAT, "type": "group"}}}})
    };
    fake.push_update(press(2, "cb-stranger", 88));
    let refused = wait_sent(&fake, "refusal", |s| {
        s.method == "answerCallbackQuery" && s.fields["callback_query_id"] == "cb-stranger"
    })
    .await;
    assert_eq!(refused.fields["show_alert"], true);
    assert_eq!(quotation_status(&app, &number).await, "pending_approval");
    let audited: i64 = sqlx::query_scalar(
        "select count(*) from audit_log where action = 'approval_refused' and actor = 'telegram:88' and channel = 'telegram'",
    )
    .fetch_one(&app.pool)
    .await
    .expect("audit");
    assert_eq!(audited, 1);

    // the approver's press approves; the quotation goes to the requester's thread and is sent
    fake.push_update(press(3, "cb-approver", APPROVER));
    wait_sent(&fake, "callback answer", |s| {
        s.method == "answerCallbackQuery" && s.fields["callback_query_id"] == "cb-approver"
    })
    .await;
    let delivered = wait_sent(&fake, "quotation", |s| {
        s.method == "sendDocument" && to_chat(s, ALLOWED_CHAT)
    })
    .await;
    assert_eq!(delivered.fields["reply_parameters"]["message_id"], 42);
    assert_eq!(delivered.fields["message_thread_id"], 9);
    assert_eq!(delivered.document.expect("pdf").0, format!("{number}.pdf"));
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
    assert_eq!(approved_by, format!("telegram:{APPROVER}"));
}

#[sqlx::test]
async fn a_chat_that_may_not_submit_is_refused_politely(pool: PgPool) {
    let fake = FakeTelegram::start().await;
    let app = common::app_with(pool, settings(&fake)).await;
    fake.push_update(message(1, -999, 7, 5, json!({"text": "please quote 10 gloves"})));
    let _bot = Running::start(&app);
    let r = wait_sent(&fake, "refusal", |s| s.method == "sendMessage" && to_chat(s, -999)).await;
    assert_eq!(r.fields["reply_parameters"]["message_id"], 7);
    assert!(r.fields["text"].as_str().unwrap_or("").contains("not set up"));
    let stored: i64 = sqlx::query_scalar("select count(*) from inbound_messages")
        .fetch_one(&app.pool)
        .await
        .expect("count");
    assert_eq!(stored, 0, "nothing stored from a chat that may not submit");
}

#[sqlx::test]
async fn a_file_over_the_download_limit_is_answered(pool: PgPool) {
    let fake = FakeTelegram::start().await;
    let app = common::app_with(pool, settings(&fake)).await;
    fake.push_update(message(
        1,
        ALLOWED_CHAT,
        8,
        5,
        json!({"document": {"file_id": "big", "file_unique_id": "b", "file_name": "huge.pdf",
                            "mime_type": "application/pdf", "file_size": 25 * 1024 * 1024}}),
    ));
    let _bot = Running::start(&app);
    let r = wait_sent(&fake, "too large", |s| {
        s.method == "sendMessage" && to_chat(s, ALLOWED_CHAT)
    })
    .await;
    let text = r.fields["text"].as_str().unwrap_or("");
    assert!(text.contains("huge.pdf") && text.contains("20 MB"), "{text}");
    assert_eq!(r.fields["reply_parameters"]["message_id"], 8);
}

#[sqlx::test]
async fn a_429_is_waited_out_for_its_retry_after(pool: PgPool) {
    let fake = FakeTelegram::start().await;
    let app = common::app_with(pool, settings(&fake)).await;
    fake.rate_limit("sendMessage", 1, 2);
    fake.push_update(message(1, ALLOWED_CHAT, 9, 5, json!({"text": "10 pcs nitrile gloves"})));
    let _bot = Running::start(&app);
    let ack = wait_sent(&fake, "ack", |s| s.method == "sendMessage" && to_chat(s, ALLOWED_CHAT)).await;
    let refused = fake.refused();
    assert_eq!(refused.len(), 1);
    assert!(
        ack.at.duration_since(refused[0].1) >= Duration::from_secs(2),
        "sent again only after retry_after"
    );
    let attempts: i32 = sqlx::query_scalar("select attempts from outbox where kind = 'ack'")
        .fetch_one(&app.pool)
        .await
        .expect("row");
    assert_eq!(attempts, 2);
}

#[sqlx::test]
async fn a_duplicate_update_gets_one_reply(pool: PgPool) {
    let fake = FakeTelegram::start().await;
    let app = common::app_with(pool, settings(&fake)).await;
    // the same message delivered twice (a redelivery after a lost confirmation)
    fake.push_update(message(
        1,
        ALLOWED_CHAT,
        10,
        5,
        json!({"text": "10 pcs nitrile gloves"}),
    ));
    fake.push_update(message(
        2,
        ALLOWED_CHAT,
        10,
        5,
        json!({"text": "10 pcs nitrile gloves"}),
    ));
    let _bot = Running::start(&app);
    wait_sent(&fake, "ack", |s| s.method == "sendMessage" && to_chat(s, ALLOWED_CHAT)).await;
    // both updates are confirmed (handled) once the fake holds none
    common::eventually(Duration::from_secs(10), || async {
        let n: i64 = sqlx::query_scalar("select count(*) from outbox where status <> 'sent'")
            .fetch_one(&app.pool)
            .await
            .ok()?;
        (n == 0).then_some(())
    })
    .await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let acks = fake
        .sent()
        .iter()
        .filter(|s| {
            s.method == "sendMessage"
                && to_chat(s, ALLOWED_CHAT)
                && s.fields["text"].as_str().unwrap_or("").contains("RFP-")
        })
        .count();
    assert_eq!(acks, 1);
    let stored: i64 = sqlx::query_scalar("select count(*) from inbound_messages where channel = 'telegram'")
        .fetch_one(&app.pool)
        .await
        .expect("count");
    assert_eq!(stored, 1);
}

#[sqlx::test]
async fn mail_and_telegram_replies_leave_through_one_drainer(pool: PgPool) {
    let fake = FakeTelegram::start().await;
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
    let chat = NewReply {
        channel: ChannelKind::Telegram,
        thread: ThreadRef::Telegram {
            chat_id: ALLOWED_CHAT,
            message_id: 3,
            message_thread_id: None,
        },
        recipient: None,
        external_id: None,
        ..mail("chat-1")
    };
    let mut tx = app.pool.begin().await.expect("tx");
    assert!(outbox::enqueue(&mut tx, &mail("mail-1")).await.expect("enqueue"));
    assert!(outbox::enqueue(&mut tx, &chat).await.expect("enqueue"));
    tx.commit().await.expect("commit");

    // one drainer, one registry holding both senders behind the one trait
    let mut registry = Registry::new();
    let smtp_sender = SmtpSender::new(&app.settings.mail.smtp_config().expect("smtp settings")).expect("smtp");
    registry.register(Arc::new(horme::outbox::email::MailReplySender::new(
        smtp_sender,
        app.settings.mail.clone(),
    )));
    let bot = Bot::new(TelegramConfig {
        api_url: fake.url.clone(),
        token: TOKEN.into(),
        poll_timeout: Duration::from_secs(1),
        request_timeout: Duration::from_secs(5),
    })
    .expect("bot");
    registry.register(Arc::new(bot));
    assert_eq!(registry.channels(), vec!["email".to_string(), "telegram".to_string()]);
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
    assert_eq!(
        done.expect("both replies sent"),
        vec![("email".into(), "sent".into()), ("telegram".into(), "sent".into())]
    );
    assert_eq!(smtp.accepted().len(), 1);
    let sent = fake.sent();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].fields["reply_parameters"]["message_id"], 3);
}

#[sqlx::test]
async fn a_request_without_items_is_answered_in_its_thread(pool: PgPool) {
    let fake = FakeTelegram::start().await;
    let app = common::app_with(pool, settings(&fake)).await;
    common::import_demo_catalog(&app).await;
    fake.push_update(message(1, ALLOWED_CHAT, 11, 5, json!({"text": "hello, how are you?"})));
    let _bot = Running::start(&app);
    let r = wait_sent(&fake, "no items", |s| {
        s.method == "sendMessage" && s.fields["text"].as_str().unwrap_or("").contains("no items")
    })
    .await;
    assert_eq!(r.fields["reply_parameters"]["message_id"], 11);
    let status: String = sqlx::query_scalar("select status from rfps")
        .fetch_one(&app.pool)
        .await
        .expect("rfp");
    assert_eq!(status, "failed");
}

/// `/help` and `/status Q-…`: answered in the thread, never taken as a request; a quotation's
/// status is shown in the chat its request came from, not in another chat.
#[sqlx::test]
async fn help_and_status_commands_are_answered(pool: PgPool) {
    const OTHER_CHAT: i64 = -600;
    let fake = FakeTelegram::start().await;
    let mut s = settings(&fake);
    s.telegram.allowed_chats.push(OTHER_CHAT);
    let app = common::app_with(pool, s).await;
    common::import_demo_catalog(&app).await;
    fake.push_update(message(1, ALLOWED_CHAT, 20, 5, json!({"text": RFP})));
    fake.push_update(message(2, ALLOWED_CHAT, 21, 5, json!({"text": "/help@horme_bot"})));
    let _bot = Running::start(&app);
    let help = wait_sent(&fake, "help", |s| {
        s.method == "sendMessage" && s.fields["reply_parameters"]["message_id"] == 21
    })
    .await;
    assert!(
        help.fields["text"].as_str().unwrap_or("").contains("/status"),
        "{:?}",
        help.fields
    );
    let draft = wait_sent(&fake, "draft", |s| {
        s.method == "sendDocument" && to_chat(s, APPROVALS_CHAT)
    })
    .await;
    let number = draft.document.expect("pdf").0.trim_end_matches(".pdf").to_string();

    fake.push_update(message(
        3,
        ALLOWED_CHAT,
        22,
        5,
        json!({"text": format!("/status {number}")}),
    ));
    fake.push_update(message(
        4,
        OTHER_CHAT,
        23,
        6,
        json!({"text": format!("/status {number}")}),
    ));
    fake.push_update(message(5, ALLOWED_CHAT, 24, 5, json!({"text": "/status"})));
    let status = wait_sent(&fake, "status", |s| s.fields["reply_parameters"]["message_id"] == 22).await;
    let text = status.fields["text"].as_str().unwrap_or("");
    assert!(
        text.contains(&number) && text.contains("pending approval") && text.contains("SGD"),
        "{text}"
    );
    let other = wait_sent(&fake, "status elsewhere", |s| {
        s.fields["reply_parameters"]["message_id"] == 23
    })
    .await;
    let text = other.fields["text"].as_str().unwrap_or("");
    assert!(text.contains("cannot find") && !text.contains("SGD"), "{text}");
    let usage = wait_sent(&fake, "usage", |s| s.fields["reply_parameters"]["message_id"] == 24).await;
    assert!(usage.fields["text"].as_str().unwrap_or("").contains("/status Q-"));
    let requests: i64 = sqlx::query_scalar("select count(*) from rfps")
        .fetch_one(&app.pool)
        .await
        .expect("rfps");
    assert_eq!(requests, 1, "commands are not requests");
}

/// The Bot API unreachable for a while (every call 502): the receiver keeps trying, nothing is
/// lost, and once it is back each message is stored once and answered once.
#[sqlx::test]
async fn telegram_down_for_a_while_loses_nothing(pool: PgPool) {
    let fake = FakeTelegram::start().await;
    let app = common::app_with(pool, settings(&fake)).await;
    common::import_demo_catalog(&app).await;
    let _bot = Running::start(&app);
    // the receiver starts polling, then the server goes away (before or after its getMe: it
    // retries either)
    tokio::time::sleep(Duration::from_secs(1)).await;
    fake.set_down(true);
    fake.push_update(message(1, ALLOWED_CHAT, 30, 5, json!({"text": RFP})));
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert!(
        fake.sent().iter().all(|s| s.method == "deleteWebhook"),
        "no reply goes out while the server is down"
    );
    fake.set_down(false);
    let ack = wait_sent(&fake, "ack after the outage", |s| {
        s.method == "sendMessage" && s.fields["reply_parameters"]["message_id"] == 30
    })
    .await;
    assert!(ack.fields["text"].as_str().unwrap_or("").contains("RFP-"));
    // and the draft follows, once
    wait_sent(&fake, "draft", |s| {
        s.method == "sendDocument" && to_chat(s, APPROVALS_CHAT)
    })
    .await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    let acks = fake
        .sent()
        .iter()
        .filter(|s| s.method == "sendMessage" && s.fields["reply_parameters"]["message_id"] == 30)
        .count();
    assert_eq!(acks, 1, "answered once");
    let stored: i64 = sqlx::query_scalar("select count(*) from rfps")
        .fetch_one(&app.pool)
        .await
        .expect("rfps");
    assert_eq!(stored, 1, "stored once");
}

/// The Change button: the approver is asked for the changes; their next message in the
/// approvers' chat is read as them ("line 1 qty …" and a discount); a revision is priced with
/// the new quantity, approved and delivered to the requester. What is not understood is
/// answered and changes nothing; a stranger cannot open an edit.
#[sqlx::test]
async fn the_change_button_makes_an_approved_revision_from_the_approvers_message(pool: PgPool) {
    let fake = FakeTelegram::start().await;
    let app = common::app_with(pool, settings(&fake)).await;
    common::import_demo_catalog(&app).await;
    sqlx::query("insert into approvers (identity) values ($1)")
        .bind(format!("telegram:{APPROVER}"))
        .execute(&app.pool)
        .await
        .expect("approver");
    fake.push_update(message(1, ALLOWED_CHAT, 42, 5, json!({"text": RFP})));
    let _bot = Running::start(&app);
    let draft = wait_sent(&fake, "draft", |s| {
        s.method == "sendDocument" && to_chat(s, APPROVALS_CHAT)
    })
    .await;
    let number = draft
        .document
        .clone()
        .expect("a document")
        .0
        .trim_end_matches(".pdf")
        .to_string();
    let keyboard = &draft.fields["reply_markup"]["inline_keyboard"][0];
    assert_eq!(keyboard[2]["text"], "Change");
    assert_eq!(keyboard[2]["callback_data"], format!("change:{number}"));
    let quantity_of_line_1 = |n: String| {
        let pool = app.pool.clone();
        async move {
            sqlx::query_scalar::<_, rust_decimal::Decimal>(
                "select l.quantity from quotation_lines l join quotations q on q.id = l.quotation_id
                 where q.number = $1 and l.line_no = 1",
            )
            .bind(n)
            .fetch_one(&pool)
            .await
            .expect("line 1")
        }
    };
    let before = quantity_of_line_1(number.clone()).await;

    let press = |update_id: i64, id: &str, user: i64| {
        json!({"update_id": update_id, "callback_query": {
            "id": id, "from": {"id": user, "is_bot": false, "first_name": "P"},
            "chat_instance": "x", "data": format!("change:{number}"),
            "message": {"message_id": 1001, "date": 0, "chat": {"id": APPROVALS_CHAT, "type": "group"}}}})
    };
    // a stranger's Change is refused and opens nothing
    fake.push_update(press(2, "cb-stranger", 88));
    wait_sent(&fake, "refusal", |s| {
        s.method == "answerCallbackQuery" && s.fields["callback_query_id"] == "cb-stranger"
    })
    .await;
    let open: i64 = sqlx::query_scalar("select count(*) from pending_edits")
        .fetch_one(&app.pool)
        .await
        .expect("edits");
    assert_eq!(open, 0);

    // the approver's Change asks for the changes
    fake.push_update(press(3, "cb-change", APPROVER));
    let prompt = wait_sent(&fake, "prompt", |s| {
        s.method == "answerCallbackQuery" && s.fields["callback_query_id"] == "cb-change"
    })
    .await;
    let text = prompt.fields["text"].as_str().unwrap_or_default();
    assert!(text.contains(&number) && text.contains("line 2 qty 50"), "{text}");
    assert!(
        text.chars().count() <= 200,
        "a callback answer holds 200 characters: {text}"
    );

    // a message that is not a change is answered, changes nothing and keeps the edit open
    fake.push_update(message(
        4,
        APPROVALS_CHAT,
        2001,
        APPROVER,
        json!({"text": "make it cheaper please"}),
    ));
    let refused = wait_sent(&fake, "not understood", |s| {
        s.method == "sendMessage"
            && to_chat(s, APPROVALS_CHAT)
            && s.fields["text"].as_str().unwrap_or("").contains("Nothing was changed")
    })
    .await;
    assert_eq!(refused.fields["reply_parameters"]["message_id"], 2001);
    assert_eq!(quotation_status(&app, &number).await, "pending_approval");

    // the changes: a revision with the new quantity, approved and delivered
    fake.push_update(message(
        5,
        APPROVALS_CHAT,
        2002,
        APPROVER,
        json!({"text": "line 1 qty 750\ndiscount 2%"}),
    ));
    let revision = format!("{number}-R2");
    let done = wait_sent(&fake, "revision made", |s| {
        s.method == "sendMessage"
            && to_chat(s, APPROVALS_CHAT)
            && s.fields["text"].as_str().unwrap_or("").contains(&revision)
            // the change_done reply (the decision's notice names the revision too)
            && s.fields["text"].as_str().unwrap_or("").contains("from your changes")
    })
    .await;
    assert_eq!(done.fields["reply_parameters"]["message_id"], 2002);
    let delivered = wait_sent(&fake, "revised quotation", |s| {
        s.method == "sendDocument" && to_chat(s, ALLOWED_CHAT)
    })
    .await;
    assert_eq!(delivered.document.expect("pdf").0, format!("{revision}.pdf"));
    assert_eq!(quotation_status(&app, &number).await, "revised");
    assert_eq!(
        quantity_of_line_1(revision.clone()).await,
        rust_decimal::Decimal::from(750)
    );
    assert_ne!(before, rust_decimal::Decimal::from(750));
    let changed_by: String = sqlx::query_scalar(
        "select actor from audit_log where entity = 'quotation' and entity_id = $1 and action like '%approved%' limit 1",
    )
    .bind(&revision)
    .fetch_one(&app.pool)
    .await
    .unwrap_or_default();
    assert_eq!(changed_by, format!("telegram:{APPROVER}"));
    // both messages were stored, neither became a request
    let (stored, requests): (i64, i64) = sqlx::query_as(
        "select (select count(*) from inbound_messages where channel = 'telegram'),
                (select count(*) from rfps)",
    )
    .fetch_one(&app.pool)
    .await
    .expect("counts");
    assert_eq!((stored, requests), (3, 1));
}

/// Updates by webhook: the webhook is registered with its secret; a call without the right
/// `X-Telegram-Bot-Api-Secret-Token` is refused; an update is stored and answered 200, handled
/// like a polled one (acknowledged in its chat), and a redelivery is answered once; nothing
/// polls getUpdates meanwhile.
#[sqlx::test]
async fn updates_by_webhook_are_checked_stored_and_answered_once(pool: PgPool) {
    const SECRET: &str = "webhook-Secret_0123456789";
    let fake = FakeTelegram::start().await;
    let mut s = settings(&fake);
    s.telegram.webhook_url = "https://quotes.example.test/telegram/webhook".into();
    s.telegram.webhook_secret = SECRET.to_string().into();
    let app = common::app_with(pool, s).await;
    common::import_demo_catalog(&app).await;
    let _bot = Running::start(&app);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("http://{}/telegram/webhook", listener.local_addr().expect("addr"));
    let router = horme::http::router(horme::http::HttpState {
        app: app.clone(),
        metrics: None,
    });
    let limits = horme::http::server::ServerLimits::from_settings(&app.settings.http);
    let stop = CancellationToken::new();
    tokio::spawn(horme::http::server::serve(listener, router, limits, stop.clone()));

    let registered = wait_sent(&fake, "setWebhook", |s| s.method == "setWebhook").await;
    assert_eq!(registered.fields["url"], "https://quotes.example.test/telegram/webhook");
    assert_eq!(registered.fields["secret_token"], SECRET);

    let http = reqwest::Client::new();
    let update = message(7001, ALLOWED_CHAT, 77, 5, json!({"text": RFP}));
    let post = |secret: Option<&'static str>| {
        let mut req = http.post(&url).json(&update);
        if let Some(s) = secret {
            req = req.header("X-Telegram-Bot-Api-Secret-Token", s);
        }
        req.send()
    };
    assert_eq!(post(None).await.expect("post").status(), 401);
    assert_eq!(post(Some("not-the-secret")).await.expect("post").status(), 401);
    assert_eq!(post(Some(SECRET)).await.expect("post").status(), 200);
    assert_eq!(post(Some(SECRET)).await.expect("post").status(), 200, "a redelivery");

    let ack = wait_sent(&fake, "ack", |s| s.method == "sendMessage" && to_chat(s, ALLOWED_CHAT)).await;
    assert_eq!(ack.fields["reply_parameters"]["message_id"], 77);
    wait_sent(&fake, "draft", |s| {
        s.method == "sendDocument" && to_chat(s, APPROVALS_CHAT)
    })
    .await;
    let acks = fake
        .sent()
        .iter()
        .filter(|s| s.method == "sendMessage" && to_chat(s, ALLOWED_CHAT))
        .count();
    assert_eq!(acks, 1, "one acknowledgement");
    let (stored, jobs): (i64, i64) = sqlx::query_as(
        "select (select count(*) from inbound_messages where channel = 'telegram'),
                (select count(*) from jobs where kind = 'telegram.update')",
    )
    .fetch_one(&app.pool)
    .await
    .expect("counts");
    assert_eq!((stored, jobs), (1, 1));
    assert_eq!(fake.polled(), 0, "no getUpdates while the webhook is set");
    stop.cancel();
}
