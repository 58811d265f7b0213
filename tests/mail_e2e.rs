//! End to end over real mail: RFPs appended to the sales INBOX of the loopback Dovecot are
//! acknowledged at once; once approved, the quotation PDF follows in the same thread, its lines
//! equal to `horme quote` of the same file, and the quotation is then `sent`.

mod common;

use std::time::{Duration, Instant};

use common::mail::{self, Bot, Servers};
use sqlx::PgPool;

/// One RFP of each kind in the corpus: txt, pdf, docx, xlsx, csv attached; plain and HTML mail
/// bodies; mails with PDF, DOCX and XLSX attachments.
const KINDS: [&str; 10] = [
    "rfp-000.txt",
    "rfp-001.pdf",
    "rfp-002.docx",
    "rfp-003.xlsx",
    "rfp-004.csv",
    "rfp-005.eml",
    "rfp-006.eml",
    "rfp-007.eml",
    "rfp-008.eml",
    "rfp-009.eml",
];

#[sqlx::test]
async fn every_kind_of_rfp_is_acknowledged_and_quoted_in_its_thread(pool: PgPool) {
    let servers = Servers::from_env();
    let tag = mail::tag();
    let app = common::app_with(pool, mail::settings(&servers, &tag)).await;
    common::import_demo_catalog(&app).await;
    let bot = Bot::start(&app).await;
    mail::wait_until_polling(&app).await;

    let mut sent = Vec::new();
    for (i, name) in KINDS.iter().enumerate() {
        let path = common::fixture(&format!("corpus/rfps/{name}"));
        let buyer = mail::buyer(&tag, i);
        let id = format!("rfp-{i}-{tag}@customer.test");
        servers
            .append(&mail::sales(&tag), "INBOX", &mail::rfp_mail(&path, &buyer, &id))
            .await;
        sent.push((path, buyer, id, Instant::now()));
    }

    for (path, buyer, id, appended) in &sent {
        // the acknowledgement: within 5 s of the APPEND, in the thread, with the reference
        let deadline = Duration::from_secs(5).saturating_sub(appended.elapsed());
        let first = servers.wait_for(buyer, 1, deadline).await;
        let ack = &first[0];
        assert_eq!(
            mail::reply_kind(ack),
            "ack",
            "{path:?}: the first reply is the acknowledgement"
        );
        assert_eq!(ack.in_reply_to, vec![id.clone()], "{path:?}");
        assert!(ack.message.text.contains("RFP-"), "the reference: {}", ack.message.text);
        assert!(ack.message.subject.as_deref().unwrap_or("").starts_with("Re: "));
    }
    // the approver approves each draft (the conversation by mail is tested in mail_approval)
    for (_, _, id, _) in &sent {
        mail::approve_when_pending(&app, id, &tag).await;
    }
    for (path, buyer, id, _) in &sent {
        let both = servers.wait_for(buyer, 2, Duration::from_secs(60)).await;
        assert_eq!(both.len(), 2, "{path:?}: one acknowledgement and one quotation");
        let quote = &both[1];
        assert_eq!(mail::reply_kind(quote), "quotation", "{path:?}");
        assert_eq!(
            quote.in_reply_to,
            vec![id.clone()],
            "{path:?}: the quotation answers the RFP"
        );
        assert!(quote.references.contains(id), "{path:?}");
        let pdf = quote
            .message
            .attachments
            .iter()
            .find(|a| a.media_type == "application/pdf")
            .unwrap_or_else(|| panic!("{path:?}: the quotation PDF is attached"));
        assert!(pdf.content.starts_with(b"%PDF-"));
        let number = mail::quotation_number(quote).expect("the Message-ID carries the quotation number");
        assert_eq!(pdf.filename, format!("{number}.pdf"));
        assert!(quote.message.text.contains(&number), "{}", quote.message.text);

        let by_mail = horme::quotations::load_by_number(&app.pool, &number)
            .await
            .expect("db")
            .expect("the quotation exists");
        let one_shot = common::quote_file(&app, path)
            .await
            .expect("horme quote of the same file");
        let mailed = serde_json::to_value(&by_mail.view).expect("json");
        assert_eq!(
            lines_without_alternatives(&mailed),
            lines_without_alternatives(&one_shot),
            "{path:?}: the mailed quotation's lines equal `horme quote` of the file"
        );
        for key in ["subtotal", "tax", "total", "currency"] {
            assert_eq!(mailed[key], one_shot[key], "{path:?}: {key}");
        }
        assert_eq!(
            quote.no_reply_reason, None,
            "the quotation is a normal reply (Auto-Submitted: no), which procurement systems file"
        );
        let status = status_eventually(&app, &number, "sent").await;
        assert_eq!(status, "sent", "{path:?}: the delivered quotation is marked sent");
    }
    bot.stop().await;
}

async fn status_eventually(app: &horme::startup::App, number: &str, want: &str) -> String {
    let pool = app.pool.clone();
    let got = common::eventually(Duration::from_secs(20), || {
        let pool = pool.clone();
        let number = number.to_string();
        let want = want.to_string();
        async move {
            let s: String = sqlx::query_scalar("select status from quotations where number = $1")
                .bind(number)
                .fetch_one(&pool)
                .await
                .ok()?;
            (s == want).then_some(s)
        }
    })
    .await;
    got.unwrap_or_else(|| "not reached".into())
}

/// The quotation's lines without the alternatives offered: the matcher breaks ties between
/// equally scored alternatives in no fixed order, so only the lines themselves (request,
/// match, status, prices, lead time) are compared.
fn lines_without_alternatives(q: &serde_json::Value) -> serde_json::Value {
    let mut lines = q["lines"].clone();
    for l in lines.as_array_mut().expect("lines") {
        l.as_object_mut().expect("line").remove("alternatives");
    }
    lines
}

/// Mail arriving while the poller is busy is announced in the responses to its own commands,
/// not while it idles: it must still be picked up at once (no polling to fall back on here).
#[sqlx::test]
async fn a_burst_of_mail_is_acknowledged_without_waiting_for_a_poll(pool: PgPool) {
    let servers = Servers::from_env();
    let tag = mail::tag();
    let mut settings = mail::settings(&servers, &tag);
    settings.mail.imap.poll_interval_seconds = 600;
    let app = common::app_with(pool, settings).await;
    common::import_demo_catalog(&app).await;
    let bot = Bot::start(&app).await;
    mail::wait_until_polling(&app).await;
    let sales = mail::sales(&tag);
    let mut s = servers.session(&sales).await;
    for i in 0..25 {
        let raw = mail::plain_mail(
            &mail::buyer(&tag, i),
            &format!("burst-{i}-{tag}@c.test"),
            "RFQ",
            "",
            "1. Cable ties 200mm - 50 pcs",
        );
        s.append("INBOX", None, None, &raw).await.expect("APPEND");
        // spread over the poller's work, so that mail lands while it fetches and marks
        tokio::time::sleep(Duration::from_millis(15)).await;
    }
    let _ = s.logout().await;
    for i in 0..25 {
        let got = servers
            .wait_for(&mail::buyer(&tag, i), 1, Duration::from_secs(30))
            .await;
        assert_eq!(mail::reply_kind(&got[0]), "ack");
    }
    bot.stop().await;
}

/// Several mailboxes at once, one of them moving what it stored to a folder of its own.
#[sqlx::test]
async fn two_mailboxes_one_moving_processed_mail_away(pool: PgPool) {
    let servers = Servers::from_env();
    let tag = mail::tag();
    let mut settings = mail::settings(&servers, &tag);
    let orders = format!("orders-{tag}@horme.test");
    let mut second = settings.mail.mailboxes["sales"].clone();
    second.username = orders.clone();
    second.move_to = Some("Processed".into());
    settings.mail.mailboxes.insert("orders".into(), second);
    let app = common::app_with(pool, settings).await;
    let bot = Bot::start(&app).await;
    let polling = common::eventually(Duration::from_secs(20), || async {
        let n: i64 = sqlx::query_scalar("select count(*) from mail_mailboxes")
            .fetch_one(&app.pool)
            .await
            .ok()?;
        (n == 2).then_some(())
    })
    .await;
    assert!(polling.is_some(), "both mailboxes are polled");
    let (a, b) = (mail::buyer(&tag, 1), mail::buyer(&tag, 2));
    let body = "1. Cable ties 200mm - 50 pcs";
    servers
        .append(
            &mail::sales(&tag),
            "INBOX",
            &mail::plain_mail(&a, &format!("a-{tag}@c.test"), "RFQ A", "", body),
        )
        .await;
    servers
        .append(
            &orders,
            "INBOX",
            &mail::plain_mail(&b, &format!("b-{tag}@c.test"), "RFQ B", "", body),
        )
        .await;
    assert_eq!(
        mail::reply_kind(&servers.wait_for(&a, 1, Duration::from_secs(20)).await[0]),
        "ack"
    );
    assert_eq!(
        mail::reply_kind(&servers.wait_for(&b, 1, Duration::from_secs(20)).await[0]),
        "ack"
    );
    // stored, then moved: the INBOX of the moving mailbox is empty, Processed has the mail
    let moved = common::eventually(Duration::from_secs(10), || async {
        let inbox = servers.messages_in(&orders, "INBOX").await;
        let processed = servers.messages_in(&orders, "Processed").await;
        (inbox.is_empty() && processed.len() == 1).then_some(processed)
    })
    .await
    .expect("moved to Processed");
    assert_eq!(moved[0].message_id, format!("b-{tag}@c.test"));
    // the other mailbox keeps its mail, marked \Seen
    assert_eq!(servers.messages_in(&mail::sales(&tag), "INBOX").await.len(), 1);
    bot.stop().await;
}
