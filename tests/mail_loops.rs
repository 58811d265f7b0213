//! Loop and abuse protection over real mail (DESIGN §6): auto-replies, bounces, lists, bulk
//! mail, robots and our own address get no answer (but are stored); automatic replies are
//! rate-limited per sender; requests that cannot be quoted get a specific, polite reply.

mod common;

use std::time::Duration;

use common::mail::{self, Bot, Servers};
use sqlx::PgPool;

#[sqlx::test]
async fn robots_lists_bounces_and_our_own_mail_get_no_answer(pool: PgPool) {
    let servers = Servers::from_env();
    let tag = mail::tag();
    let app = common::app_with(pool, mail::settings(&servers, &tag)).await;
    common::import_demo_catalog(&app).await;
    let bot = Bot::start(&app).await;
    mail::wait_until_polling(&app).await;
    let sales = mail::sales(&tag);
    let body = "1. Molykote 33M Silicone Grease (100G) - 500 sets";
    let robots: Vec<(String, String)> = vec![
        (mail::buyer(&tag, 1), "Auto-Submitted: auto-replied\r\n".into()),
        (mail::buyer(&tag, 2), "X-Auto-Response-Suppress: All\r\n".into()),
        (mail::buyer(&tag, 3), "Precedence: bulk\r\n".into()),
        (mail::buyer(&tag, 4), "List-Id: <offers.lists.customer.test>\r\n".into()),
        (mail::buyer(&tag, 5), "X-Loop: crm.customer.test\r\n".into()),
        (format!("noreply-{tag}@customer.test"), String::new()),
        (sales.clone(), String::new()),
    ];
    for (i, (from, headers)) in robots.iter().enumerate() {
        let raw = mail::plain_mail(from, &format!("robot-{i}-{tag}@x.test"), "Your RFQ", headers, body);
        servers.append(&sales, "INBOX", &raw).await;
    }
    let bounce = format!(
        "From: Mail Delivery System <MAILER-DAEMON@customer.test>\r\nTo: {sales}\r\nSubject: Undelivered Mail\r\n\
         Message-ID: <bounce-{tag}@customer.test>\r\nMIME-Version: 1.0\r\n\
         Content-Type: multipart/report; report-type=delivery-status; boundary=\"B\"\r\n\r\n\
         --B\r\nContent-Type: text/plain\r\n\r\nDelivery failed.\r\n--B\r\n\
         Content-Type: message/delivery-status\r\n\r\nStatus: 5.1.1\r\n--B--\r\n"
    );
    servers.append(&sales, "INBOX", bounce.as_bytes()).await;
    // no sender at all: kept as unparseable, visible, never answered
    servers
        .append(
            &sales,
            "INBOX",
            format!("Subject: junk {tag}\r\n\r\nno sender here\r\n").as_bytes(),
        )
        .await;
    // a real request last: once it is answered, every robot mail before it was handled
    let buyer = mail::buyer(&tag, 9);
    let id = format!("real-{tag}@customer.test");
    servers
        .append(&sales, "INBOX", &mail::plain_mail(&buyer, &id, "RFQ", "", body))
        .await;
    servers.wait_for(&buyer, 1, Duration::from_secs(10)).await;
    mail::wait_quiet(&app, 10).await;

    let recipients: Vec<String> = sqlx::query_scalar("select recipient from outbox where kind <> 'approval_request'")
        .fetch_all(&app.pool)
        .await
        .expect("outbox");
    assert_eq!(recipients, vec![buyer.clone()], "only the real request was answered");
    for (from, _) in &robots {
        if from != &sales {
            assert!(servers.inbox(from).await.is_empty(), "{from} got an answer");
        }
    }
    let ignored: Vec<(String, Option<String>)> =
        sqlx::query_as("select kind, reason from mail_inbound where kind = 'ignored' order by uid")
            .fetch_all(&app.pool)
            .await
            .expect("inbound");
    assert_eq!(ignored.len(), 8, "every robot mail is stored as ignored: {ignored:?}");
    let reasons: Vec<String> = ignored.into_iter().filter_map(|(_, r)| r).collect();
    for want in [
        "Auto-Submitted",
        "X-Auto-Response-Suppress",
        "Precedence",
        "List-",
        "X-Loop",
        "robot sender",
        "our own address",
        "delivery report",
    ] {
        assert!(
            reasons.iter().any(|r| r.contains(want)),
            "no mail ignored for {want}: {reasons:?}"
        );
    }
    let unparseable: Vec<(String, Option<String>)> =
        sqlx::query_as("select kind, reason from mail_inbound where kind = 'unparseable'")
            .fetch_all(&app.pool)
            .await
            .expect("inbound");
    assert_eq!(unparseable.len(), 1, "{unparseable:?}");
    let raw_kept: bool = sqlx::query_scalar(
        "select m.raw is not null from inbound_messages m join mail_inbound i on i.inbound_message_id = m.id
         where i.kind = 'unparseable'",
    )
    .fetch_one(&app.pool)
    .await
    .expect("raw");
    assert!(raw_kept, "the unparseable mail's bytes are kept");
    let rfps: i64 = sqlx::query_scalar("select count(*) from rfps")
        .fetch_one(&app.pool)
        .await
        .expect("rfps");
    assert_eq!(rfps, 1, "robot mail starts no request");
    bot.stop().await;
}

#[sqlx::test]
async fn automatic_replies_are_rate_limited_per_sender(pool: PgPool) {
    let servers = Servers::from_env();
    let tag = mail::tag();
    let mut settings = mail::settings(&servers, &tag);
    settings.mail.auto_replies_per_sender_per_hour = 2;
    let app = common::app_with(pool, settings).await;
    let bot = Bot::start(&app).await;
    mail::wait_until_polling(&app).await;
    let buyer = mail::buyer(&tag, 1);
    for i in 0..3 {
        let raw = mail::plain_mail(
            &buyer,
            &format!("m{i}-{tag}@c.test"),
            &format!("Hello {i}"),
            "",
            "Please call me back.",
        );
        servers.append(&mail::sales(&tag), "INBOX", &raw).await;
    }
    mail::wait_quiet(&app, 3).await;
    let failed: i64 = sqlx::query_scalar("select count(*) from rfps where status = 'failed'")
        .fetch_one(&app.pool)
        .await
        .expect("rfps");
    assert_eq!(failed, 3, "three requests without items");
    let got = servers.inbox(&buyer).await;
    assert_eq!(
        got.len(),
        2,
        "three \"no items\" notices (no acknowledgement: none looked like a request), limited to 2 an hour"
    );
    bot.stop().await;
}

#[sqlx::test]
async fn requests_that_cannot_be_quoted_get_a_specific_reply(pool: PgPool) {
    let servers = Servers::from_env();
    let tag = mail::tag();
    let mut settings = mail::settings(&servers, &tag);
    settings.mail.max_message_bytes = 200_000;
    let app = common::app_with(pool, settings).await;
    common::import_demo_catalog(&app).await;
    let bot = Bot::start(&app).await;
    mail::wait_until_polling(&app).await;
    let sales = mail::sales(&tag);
    let (empty, broken, big) = (mail::buyer(&tag, 1), mail::buyer(&tag, 2), mail::buyer(&tag, 3));
    servers
        .append(
            &sales,
            "INBOX",
            &mail::plain_mail(&empty, &format!("e-{tag}@c.test"), "Hello", "", "Can you call me?"),
        )
        .await;
    let pdf = mail::mail_with_attachment(
        &broken,
        &format!("b-{tag}@c.test"),
        "RFQ",
        "rfq.pdf",
        "application/pdf",
        b"%PDF-1.4\nthis is not really a pdf",
    );
    servers.append(&sales, "INBOX", &pdf).await;
    let csv: String = (0..12_000).map(|i| format!("Item {i},{},pcs\n", i % 9 + 1)).collect();
    let large = mail::mail_with_attachment(
        &big,
        &format!("l-{tag}@c.test"),
        "RFQ",
        "items.csv",
        "text/csv",
        csv.as_bytes(),
    );
    assert!(large.len() > 200_000);
    servers.append(&sales, "INBOX", &large).await;

    // The acknowledgement and the answer leave through the outbox; under load the drainer
    // may send them in either order, so each is found by its kind.
    let by_kind = |got: &[channels::email::ParsedMail], kind: &str| {
        got.iter()
            .find(|m| mail::reply_kind(m) == kind)
            .unwrap_or_else(|| {
                let kinds: Vec<String> = got.iter().map(mail::reply_kind).collect();
                panic!("no {kind} reply among {kinds:?}")
            })
            .message
            .text
            .clone()
    };
    // not a request at first sight: no acknowledgement, one answer once the pipeline ran
    let got = servers.wait_for(&empty, 1, Duration::from_secs(30)).await;
    let text = by_kind(&got, "noitems");
    assert!(text.contains("could not find any items"), "{text}");

    let got = servers.wait_for(&broken, 2, Duration::from_secs(30)).await;
    by_kind(&got, "ack");
    let text = by_kind(&got, "unreadable");
    assert!(text.contains("rfq.pdf"), "names the file: {text}");

    let got = servers.wait_for(&big, 1, Duration::from_secs(30)).await;
    assert_eq!(
        mail::reply_kind(&got[0]),
        "toolarge",
        "no acknowledgement, the size answer"
    );
    assert!(got[0].message.text.contains("larger than"), "{}", got[0].message.text);
    let kind: String = sqlx::query_scalar("select kind from mail_inbound where message_id = $1")
        .bind(format!("l-{tag}@c.test"))
        .fetch_one(&app.pool)
        .await
        .expect("stored");
    assert_eq!(kind, "too_large");
    mail::wait_quiet(&app, 3).await;
    for b in [&empty, &broken, &big] {
        let n = servers.inbox(b).await.len();
        assert_eq!(
            n,
            if b == &broken { 2 } else { 1 },
            "{b}: one answer per mail, or ack + answer"
        );
    }
    bot.stop().await;
}
