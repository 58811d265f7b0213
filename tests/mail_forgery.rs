//! Approvals that cannot be forged (issue 10): a mail claiming to be from the approver that
//! names only the quotation number, or answers the customer's thread, approves nothing and
//! sends nothing to the customer; the real approver is told. With trusted servers configured,
//! a reply in the right thread without a passing `Authentication-Results` is refused too. A
//! discount over the approver's limit is refused with the reason; the plain approval in the
//! thread still goes through.

mod common;

use std::time::Duration;

use common::mail::{self, Bot, Servers};
use horme::quotations::{Actor, Adjustments, LifecycleError, lifecycle};
use rust_decimal::Decimal;
use sqlx::PgPool;

const RFP_BODY: &str = "Dear Sales Team,\r\n\r\nplease quote:\r\n\r\n\
1. Molykote 33M Silicone Grease (100G) - 500 sets\r\n\
2. China Sanding Cloth Roll 1-1/2 Inch X #100 (qty: 60 units)\r\n\r\nRegards,\r\nMarcus Chua\r\n";

const AUTH_PASS: &str =
    "Authentication-Results: mx.horme.test; dkim=pass header.d=horme.test; spf=pass smtp.mailfrom=horme.test\r\n";

async fn status(app: &horme::startup::App, number: &str) -> String {
    sqlx::query_scalar("select status from quotations where number = $1")
        .bind(number)
        .fetch_one(&app.pool)
        .await
        .expect("quotation")
}

async fn refusals(app: &horme::startup::App) -> i64 {
    sqlx::query_scalar("select count(*) from audit_log where action = 'approval_refused'")
        .fetch_one(&app.pool)
        .await
        .expect("audit")
}

/// The reason recorded on a received mail, once its command was handled.
async fn outcome(app: &horme::startup::App, message_id: &str) -> String {
    common::eventually(Duration::from_secs(20), || async {
        sqlx::query_scalar::<_, Option<String>>("select reason from mail_inbound where message_id = $1")
            .bind(message_id)
            .fetch_optional(&app.pool)
            .await
            .ok()
            .flatten()
            .flatten()
            .filter(|r| r.contains("refused") || r.contains("→"))
    })
    .await
    .unwrap_or_else(|| panic!("{message_id} was not handled"))
}

#[sqlx::test]
async fn a_spoofed_approver_naming_the_number_approves_nothing(pool: PgPool) {
    let servers = Servers::from_env();
    let tag = mail::tag();
    let app = common::app_with(pool, mail::settings(&servers, &tag)).await;
    common::import_demo_catalog(&app).await;
    let bot = Bot::start(&app).await;
    mail::wait_until_polling(&app).await;
    let (sales, buyer, approver) = (mail::sales(&tag), mail::buyer(&tag, 1), mail::approver(&tag));

    servers
        .append(
            &sales,
            "INBOX",
            &mail::plain_mail(&buyer, &format!("rfq-{tag}@customer.test"), "RFQ 7", "", RFP_BODY),
        )
        .await;
    let ack = servers.wait_for(&buyer, 1, Duration::from_secs(10)).await.remove(0);
    let draft = servers.wait_for(&approver, 1, Duration::from_secs(60)).await.remove(0);
    let number = mail::quotation_number(&draft).expect("number");
    assert!(
        draft.message.subject.as_deref().unwrap_or("").contains("[approval "),
        "the draft's subject carries the approval tag: {:?}",
        draft.message.subject
    );

    // the customer, From: the approver, no thread headers, the number in the subject
    let spoofed = format!("spoofed-{tag}@customer.test");
    servers
        .append(
            &sales,
            "INBOX",
            &mail::plain_mail(&approver, &spoofed, &number, "", "approve with 5% discount"),
        )
        .await;
    assert!(outcome(&app, &spoofed).await.contains("refused"));
    // the customer, From: the approver, answering the acknowledgement they received
    let in_ack = format!("in-ack-{tag}@customer.test");
    servers
        .append(
            &sales,
            "INBOX",
            &mail::reply_mail(&approver, &ack, &in_ack, "", "approve"),
        )
        .await;
    assert!(outcome(&app, &in_ack).await.contains("refused"));
    assert_eq!(status(&app, &number).await, "pending_approval", "nothing changed");
    assert_eq!(refusals(&app).await, 2);

    // the real approver hears of both refusals; the customer got the acknowledgement only
    let notices = servers.wait_for(&approver, 3, Duration::from_secs(20)).await;
    for n in &notices[1..] {
        assert_eq!(mail::reply_kind(n), "decision");
        assert!(n.message.text.contains("approval request"), "{}", n.message.text);
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(servers.inbox(&buyer).await.len(), 1, "nothing went to the customer");

    // the approver answering the draft itself: approved, the quotation goes out
    let genuine = format!("genuine-{tag}@horme.test");
    servers
        .append(
            &sales,
            "INBOX",
            &mail::reply_mail(&approver, &draft, &genuine, "", "approve"),
        )
        .await;
    assert!(outcome(&app, &genuine).await.contains("→ approved"));
    let both = servers.wait_for(&buyer, 2, Duration::from_secs(30)).await;
    assert_eq!(mail::reply_kind(&both[1]), "quotation");
    bot.stop().await;
}

#[sqlx::test]
async fn trusted_servers_must_vouch_and_discounts_are_capped(pool: PgPool) {
    let servers = Servers::from_env();
    let tag = mail::tag();
    let mut settings = mail::settings(&servers, &tag);
    settings.mail.trusted_authserv_ids = vec!["mx.horme.test".into()];
    let app = common::app_with(pool, settings).await;
    common::import_demo_catalog(&app).await;
    let bot = Bot::start(&app).await;
    mail::wait_until_polling(&app).await;
    let (sales, buyer, approver) = (mail::sales(&tag), mail::buyer(&tag, 1), mail::approver(&tag));

    servers
        .append(
            &sales,
            "INBOX",
            &mail::plain_mail(&buyer, &format!("rfq-{tag}@customer.test"), "RFQ 8", "", RFP_BODY),
        )
        .await;
    let draft = servers.wait_for(&approver, 1, Duration::from_secs(60)).await.remove(0);
    let number = mail::quotation_number(&draft).expect("number");

    // right thread, no Authentication-Results at all
    let bare = format!("bare-{tag}@horme.test");
    servers
        .append(
            &sales,
            "INBOX",
            &mail::reply_mail(&approver, &draft, &bare, "", "approve"),
        )
        .await;
    assert!(outcome(&app, &bare).await.contains("authentication"));
    // right thread, a trusted server says DKIM and SPF failed
    let failing = format!("failing-{tag}@horme.test");
    let fail = "Authentication-Results: mx.horme.test; dkim=fail header.d=horme.test; spf=softfail\r\n";
    servers
        .append(
            &sales,
            "INBOX",
            &mail::reply_mail(&approver, &draft, &failing, fail, "approve"),
        )
        .await;
    assert!(outcome(&app, &failing).await.contains("authentication"));
    // authenticated, in the thread, but over the limit of 10 %
    let greedy = format!("greedy-{tag}@horme.test");
    servers
        .append(
            &sales,
            "INBOX",
            &mail::reply_mail(&approver, &draft, &greedy, AUTH_PASS, "approve with 15% discount"),
        )
        .await;
    let why = outcome(&app, &greedy).await;
    assert!(why.contains("over the limit of 10%"), "{why}");
    assert_eq!(status(&app, &number).await, "pending_approval");
    assert_eq!(refusals(&app).await, 3);
    let notices = servers.wait_for(&approver, 4, Duration::from_secs(20)).await;
    assert!(
        notices[1..].iter().any(|n| n.message.text.contains("over the limit")),
        "the approver is told why"
    );
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(
        servers.inbox(&buyer).await.len(),
        1,
        "the customer got the acknowledgement only"
    );

    // authenticated, in the thread, within the limit
    let genuine = format!("genuine-{tag}@horme.test");
    servers
        .append(
            &sales,
            "INBOX",
            &mail::reply_mail(&approver, &draft, &genuine, AUTH_PASS, "approve with 10% discount"),
        )
        .await;
    assert!(outcome(&app, &genuine).await.contains("→ approved"));
    let both = servers.wait_for(&buyer, 2, Duration::from_secs(30)).await;
    assert_eq!(mail::reply_kind(&both[1]), "quotation");
    assert_eq!(mail::quotation_number(&both[1]), Some(format!("{number}-R2")));
    bot.stop().await;
}

#[sqlx::test]
async fn each_approver_has_a_discount_limit(pool: PgPool) {
    let app = common::app(pool).await;
    common::import_demo_catalog(&app).await;
    let number = common::quote_mailed(&app, "buyer@customer.test", RFP_BODY).await;
    sqlx::query(
        "insert into approvers (identity, max_discount_pct) values ('lead@horme.test', 20), ('junior@horme.test', 2)",
    )
    .execute(&app.pool)
    .await
    .expect("approvers");
    let discount = |pct: i64| Adjustments {
        extra_discount_pct: Some(Decimal::new(pct, 0)),
        skus: vec![],
        quantities: vec![],
    };
    // the junior's own limit (2 %) is below the default (10 %)
    let e = lifecycle::approve(
        &app,
        &number,
        &Actor::person("junior@horme.test"),
        "email",
        &discount(5),
    )
    .await
    .expect_err("over the junior's limit");
    assert!(matches!(e, LifecycleError::NotAllowed { .. }), "{e}");
    assert!(e.to_string().contains("over the limit of 2%"), "{e}");
    // the lead may grant 15 %, above the default
    let t = lifecycle::approve(
        &app,
        &number,
        &Actor::person("lead@horme.test"),
        "telegram",
        &discount(15),
    )
    .await
    .expect("within the lead's limit");
    assert!(t.revision.is_some());
}
