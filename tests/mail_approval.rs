//! Reply-to-approve over real mail: the draft goes to the approver with its PDF, the
//! approver's "approve with 5% discount" makes a revision that goes to the customer in the
//! customer's original thread and is marked sent, the customer's "accept" marks it accepted
//! and tells sales. A spoofed approver (failing DKIM/SPF by the trusted server, or a stranger)
//! changes nothing.

mod common;

use std::time::Duration;

use common::mail::{self, Bot, Servers};
use sqlx::PgPool;

const RFP_BODY: &str = "Dear Sales Team,\r\n\r\nplease quote:\r\n\r\n\
1. Molykote 33M Silicone Grease (100G) - 500 sets\r\n\
2. China Sanding Cloth Roll 1-1/2 Inch X #100 (qty: 60 units)\r\n\
3. Push In Fitting 10Mm - Male Stud 3/8In - 120 pcs\r\n\r\nRegards,\r\nMarcus Chua\r\n";

async fn status(app: &horme::startup::App, number: &str) -> String {
    sqlx::query_scalar("select status from quotations where number = $1")
        .bind(number)
        .fetch_one(&app.pool)
        .await
        .expect("quotation")
}

async fn wait_status(app: &horme::startup::App, number: &str, want: &str) {
    let ok = common::eventually(Duration::from_secs(20), || async {
        (status(app, number).await == want).then_some(())
    })
    .await;
    assert!(
        ok.is_some(),
        "{number} did not become {want} (is {})",
        status(app, number).await
    );
}

#[sqlx::test]
async fn approve_send_accept_conversation_by_mail(pool: PgPool) {
    let servers = Servers::from_env();
    let tag = mail::tag();
    let mut settings = mail::settings(&servers, &tag);
    let sales_notices = format!("sales-notices-{tag}@horme.test");
    settings.mail.sales_address = sales_notices.clone();
    settings.mail.trusted_authserv_ids = vec!["mx.horme.test".into()];
    let app = common::app_with(pool, settings).await;
    common::import_demo_catalog(&app).await;
    let bot = Bot::start(&app).await;
    mail::wait_until_polling(&app).await;
    let (sales, buyer, approver) = (mail::sales(&tag), mail::buyer(&tag, 1), mail::approver(&tag));

    let rfp_id = format!("rfq-{tag}@customer.test");
    // a From without a display name: the request's signature names the person
    let raw = String::from_utf8(mail::plain_mail(&buyer, &rfp_id, "RFQ 1826/2026", "", RFP_BODY))
        .expect("utf-8")
        .replace("From: Test Buyer <", "From: <");
    servers.append(&sales, "INBOX", raw.as_bytes()).await;
    let ack = &servers.wait_for(&buyer, 1, Duration::from_secs(10)).await[0];
    assert_eq!(mail::reply_kind(ack), "ack");

    // the draft reaches the approver, PDF attached, its Message-ID carrying the number
    let draft = servers.wait_for(&approver, 1, Duration::from_secs(60)).await.remove(0);
    assert_eq!(mail::reply_kind(&draft), "approvalrequest");
    let number = mail::quotation_number(&draft).expect("number in the draft's Message-ID");
    let subject = draft.message.subject.as_deref().unwrap_or("");
    assert!(subject.contains(&number));
    // no company named: the draft names the customer by the contact, the total with its cents
    assert!(
        subject.contains("for Marcus Chua (SGD ") && subject.contains('.'),
        "{subject}"
    );
    assert!(
        draft
            .message
            .attachments
            .iter()
            .any(|a| a.filename == format!("{number}.pdf"))
    );
    assert_eq!(status(&app, &number).await, "pending_approval");

    // a trusted server says the approver's mail failed DKIM and SPF: refused
    let forged = mail::reply_mail(
        &approver,
        &draft,
        &format!("forged-{tag}@horme.test"),
        "Authentication-Results: mx.horme.test; dkim=fail header.d=horme.test; spf=fail smtp.mailfrom=horme.test\r\n",
        "approve",
    );
    servers.append(&sales, "INBOX", &forged).await;
    // a stranger answering the draft thread: no command of theirs counts
    let stranger = mail::reply_mail(
        &format!("mallory-{tag}@evil.test"),
        &draft,
        &format!("stranger-{tag}@evil.test"),
        "Authentication-Results: mx.horme.test; dkim=pass header.d=evil.test; spf=pass\r\n",
        "approve",
    );
    servers.append(&sales, "INBOX", &stranger).await;
    let notice = servers.wait_for(&approver, 2, Duration::from_secs(20)).await.remove(1);
    assert_eq!(mail::reply_kind(&notice), "decision");
    assert!(notice.message.text.contains("refused"), "{}", notice.message.text);
    assert_eq!(
        notice.in_reply_to,
        vec![draft.message_id.clone()],
        "the notice answers the draft: the quotation's story stays in one thread"
    );
    let refused: i64 = sqlx::query_scalar("select count(*) from audit_log where action = 'approval_refused'")
        .fetch_one(&app.pool)
        .await
        .expect("audit");
    assert_eq!(refused, 1);
    let kinds: Vec<(String, Option<String>)> =
        sqlx::query_as("select kind, reason from mail_inbound where message_id like 'stranger-%'")
            .fetch_all(&app.pool)
            .await
            .expect("inbound");
    assert_eq!(kinds.len(), 1);
    assert_eq!(kinds[0].0, "conversation", "a stranger's 'approve' is no command");
    // … and the stranger is told so, politely, in their own thread
    let told = servers
        .wait_for(&format!("mallory-{tag}@evil.test"), 1, Duration::from_secs(20))
        .await;
    assert_eq!(mail::reply_kind(&told[0]), "notapprover");
    assert_eq!(told[0].in_reply_to, vec![format!("stranger-{tag}@evil.test")]);
    assert!(
        told[0].message.text.contains("Only our sales team's approvers"),
        "{}",
        told[0].message.text
    );
    assert!(told[0].message.text.contains(&number), "{}", told[0].message.text);
    assert_eq!(status(&app, &number).await, "pending_approval", "nothing changed");

    // the real approver, authenticated: approve with an extra discount → revision R2
    let genuine = mail::reply_mail(
        &approver,
        &draft,
        &format!("approve-{tag}@horme.test"),
        "Authentication-Results: mx.horme.test; dkim=pass header.d=horme.test; spf=pass smtp.mailfrom=horme.test\r\n",
        "Approve with 5% discount",
    );
    servers.append(&sales, "INBOX", &genuine).await;
    let both = servers.wait_for(&buyer, 2, Duration::from_secs(30)).await;
    let quote = &both[1];
    assert_eq!(mail::reply_kind(quote), "quotation");
    let revised = mail::quotation_number(quote).expect("number");
    assert_eq!(revised, format!("{number}-R2"), "the discount made a revision");
    assert_eq!(
        quote.in_reply_to,
        vec![rfp_id.clone()],
        "in the customer's original thread"
    );
    assert_eq!(quote.message.subject.as_deref(), Some("Re: RFQ 1826/2026"));
    // the mail gave no name: the customer is greeted by the one their request signed with
    assert!(
        quote.message.text.starts_with("Dear Marcus Chua,"),
        "{}",
        quote.message.text
    );
    let pdf = quote
        .message
        .attachments
        .iter()
        .find(|a| a.filename == format!("{revised}.pdf"));
    assert!(pdf.is_some_and(|p| p.content.starts_with(b"%PDF-")));
    assert_eq!(status(&app, &number).await, "revised");
    wait_status(&app, &revised, "sent").await;
    let discount: rust_decimal::Decimal =
        sqlx::query_scalar("select extra_discount_pct from quotations where number = $1")
            .bind(&revised)
            .fetch_one(&app.pool)
            .await
            .expect("discount");
    assert_eq!(discount, rust_decimal::Decimal::new(5, 0));

    // the customer accepts in the thread: accepted, sales told, the customer thanked
    let accept = mail::reply_mail(
        &buyer,
        quote,
        &format!("accept-{tag}@customer.test"),
        "",
        "Accept, thank you!",
    );
    servers.append(&sales, "INBOX", &accept).await;
    wait_status(&app, &revised, "accepted").await;
    let notice = &servers.wait_for(&sales_notices, 1, Duration::from_secs(20)).await[0];
    assert_eq!(mail::reply_kind(notice), "acceptedsales");
    assert!(notice.message.subject.as_deref().unwrap_or("").contains(&revised));
    let thanks = &servers.wait_for(&buyer, 3, Duration::from_secs(20)).await[2];
    assert_eq!(mail::reply_kind(thanks), "accepted");
    bot.stop().await;
}

#[sqlx::test]
async fn approvers_reject_and_customers_cannot_approve(pool: PgPool) {
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
            &mail::plain_mail(&buyer, &format!("r-{tag}@c.test"), "RFQ", "", RFP_BODY),
        )
        .await;
    let draft = servers.wait_for(&approver, 1, Duration::from_secs(60)).await.remove(0);
    let number = mail::quotation_number(&draft).expect("number");
    let ack = servers.wait_for(&buyer, 1, Duration::from_secs(10)).await.remove(0);

    // the customer "accepting" before anything was sent, in the ack's thread: refused
    let early = mail::reply_mail(&buyer, &ack, &format!("early-{tag}@c.test"), "", "We accept");
    servers.append(&sales, "INBOX", &early).await;
    let reason = common::eventually(Duration::from_secs(20), || async {
        sqlx::query_scalar::<_, Option<String>>("select reason from mail_inbound where message_id = $1")
            .bind(format!("early-{tag}@c.test"))
            .fetch_optional(&app.pool)
            .await
            .ok()
            .flatten()
            .flatten()
            .filter(|r| r.contains("refused"))
    })
    .await;
    assert!(reason.is_some(), "the early acceptance is recorded as refused");
    assert_eq!(status(&app, &number).await, "pending_approval");

    let reject = mail::reply_mail(
        &approver,
        &draft,
        &format!("rej-{tag}@h.test"),
        "",
        "reject: prices are outdated",
    );
    servers.append(&sales, "INBOX", &reject).await;
    wait_status(&app, &number, "rejected").await;
    let reason: Option<String> = sqlx::query_scalar("select reason from quotations where number = $1")
        .bind(&number)
        .fetch_one(&app.pool)
        .await
        .expect("reason");
    assert_eq!(reason.as_deref(), Some("prices are outdated"));
    let notice = servers.wait_for(&approver, 2, Duration::from_secs(20)).await.remove(1);
    assert!(notice.message.text.contains("prices are outdated"));
    // the customer got the acknowledgement only
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(servers.inbox(&buyer).await.len(), 1);
    bot.stop().await;
}
