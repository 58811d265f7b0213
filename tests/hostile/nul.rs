//! NUL and invalid UTF-8 in every header and part: stored (cleaned), processed, and the
//! mailbox moves on.

use channels::email::imap::{Content, Fetched};
use channels::{Attachment, ChannelKind, InboundMessage, Sender, ThreadRef};
use sqlx::PgPool;

use super::common;

#[sqlx::test]
async fn a_message_with_nul_everywhere_is_stored_and_quoted(pool: PgPool) {
    let app = common::app(pool.clone()).await;
    common::import_demo_catalog(&app).await;
    let msg = InboundMessage {
        channel: ChannelKind::Http,
        external_id: "nul\0-1".into(),
        thread: ThreadRef::Http {
            request_id: "r\0".into(),
        },
        sender: Sender {
            address: "buyer\0@customer.test".into(),
            display_name: Some("Bu\0yer".into()),
        },
        subject: Some("RFQ \0".into()),
        text: "Please quote:\n\0Nitrile gloves size M - 20 boxes\n".into(),
        html: Some("<p>\0</p>".into()),
        attachments: vec![Attachment {
            filename: "list\0.csv".into(),
            media_type: "text/csv\0".into(),
            content: b"Item,Qty\nMop head\0,5\n".to_vec(),
        }],
        raw: None,
        forwarded_by: None,
    };
    let stored = horme::ingest::store(&pool, &msg, 3)
        .await
        .expect("stored, not a database error");
    let subject: Option<String> =
        sqlx::query_scalar!("select subject from inbound_messages where id = $1", stored.message_id)
            .fetch_one(&pool)
            .await
            .expect("row");
    assert_eq!(subject.as_deref(), Some("RFQ "));
    let status = horme::jobs::worker::drain_rfp(&app, stored.rfp_id, std::time::Duration::from_secs(60))
        .await
        .expect("drained");
    assert_eq!(status, "done");
}

#[sqlx::test]
async fn a_mail_with_nul_and_invalid_utf8_in_its_headers_does_not_stop_the_mailbox(pool: PgPool) {
    let mut settings = common::settings();
    settings.mail.from_address = "sales@horme.test".into();
    let app = common::app_with(pool.clone(), settings).await;
    let mut raw = b"From: \"Bu\xff\xfeyer\" <buyer@customer.test>\r\n".to_vec();
    raw.extend_from_slice(b"To: sales@horme.test\r\n");
    raw.extend_from_slice(b"Subject: =?utf-8?q?RFQ_=00?=\r\n");
    raw.extend_from_slice(b"Message-ID: <nul\x00id@customer.test>\r\n");
    raw.extend_from_slice(b"X-Odd: \xc3\x28\r\n");
    raw.extend_from_slice(b"Content-Type: text/plain; charset=utf-8\r\n\r\n");
    raw.extend_from_slice(b"Please quote\x00:\r\nNitrile gloves \xff 20 boxes\r\n");
    for uid in [1u32, 2] {
        horme::mail::receive::receive(
            &app,
            "sales",
            Fetched {
                uid,
                uid_validity: 1,
                content: Content::Full(raw.clone()),
            },
        )
        .await
        .expect("stored: the poller's cursor moves on");
    }
    let kinds: Vec<String> = sqlx::query_scalar!("select kind from mail_inbound order by uid")
        .fetch_all(&pool)
        .await
        .expect("rows");
    assert!(!kinds.is_empty(), "kept");
    let raw_kept: i64 = sqlx::query_scalar!(r#"select count(*) as "n!" from inbound_messages where raw is not null"#)
        .fetch_one(&pool)
        .await
        .expect("count");
    assert!(raw_kept >= 1, "the raw bytes are stored");
}
