//! Forwarded mail (issue 9) through the real path of `horme quote FILE.eml`: a request one of
//! our colleagues forwards — inline from Gmail, Outlook or Apple Mail, attached as
//! `message/rfc822`, or through another colleague first — is quoted for the original sender,
//! read from the forwarded text only; the colleague is recorded, never the customer. A
//! customer who forwards stays the customer.

mod common;

use horme::startup::App;
use serde_json::Value;
use sqlx::PgPool;

const CATALOG: &str = "sku,name,brand,category,unit,price,currency\n\
    0400000001,WEICON WEICONLOCK AN 302-25 200 ML PIPE SEALING,WEICON,Chemicals,pc,20.0917,SGD\n\
    0500000001,TOILET BOWL BRUSH WITH HOLDER DELUXE,,Cleaning,pc,10.005,SGD\n";

const CUSTOMER: &str = "jane.tan@acme.test";
const STAFF: &str = "john.lim@horme.test";

/// The customer's own mail.
const REQUEST: &str = "Dear John,\r\n\r\nPlease quote our RFQ-7741/2026:\r\n\
    1. Weiconlock AN 302-25 200ml - 24 pcs\r\n2. Toilet bowl brush with holder deluxe - 2 pcs\r\n\r\n\
    Regards,\r\nJane Tan\r\nSenior Buyer\r\nAcme Engineering Pte Ltd\r\nTel: +65 6123 4567\r\n";

/// The colleague's note above the forward: it must not give items or the company.
const NOTE: &str = "Hi team, pls quote this one for me.\r\n\r\nThanks,\r\nJohn Lim\r\n\
    Sales Executive | Horme Test Supplies Pte Ltd\r\n\r\n";

fn mail(from: &str, subject: &str, body: &str) -> String {
    format!(
        "From: John Lim <{from}>\r\nTo: sales@horme.test\r\nSubject: {subject}\r\nMessage-ID: <{}@horme.test>\r\n\
         MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{body}",
        uuid::Uuid::now_v7()
    )
}

fn gmail(from: &str) -> String {
    mail(
        from,
        "Fwd: RFQ-7741/2026 thread glue",
        &format!(
            "{NOTE}---------- Forwarded message ---------\r\nFrom: Jane Tan <{CUSTOMER}>\r\n\
             Date: Mon, 2 Mar 2026 at 09:12\r\nSubject: RFQ-7741/2026 thread glue\r\nTo: John Lim <{STAFF}>\r\n\r\n{REQUEST}"
        ),
    )
}

fn outlook(from: &str) -> String {
    mail(
        from,
        "FW: RFQ-7741/2026 thread glue",
        &format!(
            "{NOTE}________________________________\r\nFrom: Tan, Jane <{CUSTOMER}>\r\nSent: Monday, March 2, 2026 9:12 AM\r\n\
             To: Lim, John <{STAFF}>\r\nSubject: RFQ-7741/2026 thread glue\r\n\r\n{REQUEST}"
        ),
    )
}

fn apple(from: &str) -> String {
    let quoted: String = REQUEST.lines().map(|l| format!("> {l}\r\n")).collect();
    mail(
        from,
        "Fwd: RFQ-7741/2026 thread glue",
        &format!(
            "{NOTE}Begin forwarded message:\r\n\r\n> From: Jane Tan <{CUSTOMER}>\r\n> Subject: RFQ-7741/2026 thread glue\r\n\
             > Date: 2 March 2026 at 09:12:00 SGT\r\n> To: John Lim <{STAFF}>\r\n> \r\n{quoted}"
        ),
    )
}

fn attached(from: &str) -> String {
    format!(
        "From: John Lim <{from}>\r\nTo: sales@horme.test\r\nSubject: Fwd: RFQ-7741/2026 thread glue\r\n\
         Message-ID: <{}@horme.test>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"B\"\r\n\r\n\
         --B\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{NOTE}\r\n\
         --B\r\nContent-Type: message/rfc822\r\nContent-Disposition: attachment; filename=\"RFQ.eml\"\r\n\r\n\
         From: Jane Tan <{CUSTOMER}>\r\nTo: {STAFF}\r\nSubject: RFQ-7741/2026 thread glue\r\n\
         Message-ID: <rfq-7741@acme.test>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{REQUEST}\r\n--B--\r\n",
        uuid::Uuid::now_v7()
    )
}

/// A colleague forwards what another colleague forwarded.
fn nested(from: &str) -> String {
    let inner = gmail(STAFF);
    let body = inner.split_once("\r\n\r\n").map(|(_, b)| b).unwrap_or_default();
    mail(
        from,
        "FW: Fwd: RFQ-7741/2026 thread glue",
        &format!(
            "Mary, can you take this one?\r\n\r\n-----Original Message-----\r\nFrom: John Lim <{STAFF}>\r\n\
             Sent: Monday, March 2, 2026 10:00 AM\r\nTo: Mary Ong <{from}>\r\nSubject: Fwd: RFQ-7741/2026 thread glue\r\n\r\n{body}"
        ),
    )
}

async fn app(pool: PgPool) -> App {
    let mut s = common::settings();
    s.mail.staff_domains = vec!["horme.test".into()];
    let app = common::app_with(pool, s).await;
    common::import_catalog_csv(&app, CATALOG, None).await;
    app
}

async fn quote(app: &App, raw: &str) -> Value {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("forward.eml");
    std::fs::write(&file, raw).expect("write");
    common::quote_file(app, &file).await.expect("quoted")
}

#[sqlx::test]
async fn a_colleagues_forward_is_quoted_for_the_original_sender(pool: PgPool) {
    let app = app(pool).await;
    for (kind, raw, forwarder) in [
        ("gmail", gmail(STAFF), STAFF),
        ("outlook", outlook(STAFF), STAFF),
        ("apple", apple(STAFF), STAFF),
        ("rfc822", attached(STAFF), STAFF),
        ("nested", nested("mary.ong@horme.test"), "mary.ong@horme.test"),
    ] {
        let q = quote(&app, &raw).await;
        let c = &q["customer"];
        assert_eq!(c["email"], CUSTOMER, "{kind}: {c}");
        assert_eq!(c["contact"], "Jane Tan", "{kind}: {c}");
        assert_eq!(c["company"], "Acme Engineering Pte Ltd", "{kind}: {c}");
        assert_eq!(c["reference"], "RFQ-7741/2026", "{kind}: {c}");
        assert_eq!(c["forwarded_by"], forwarder, "{kind}: the forwarder is recorded");
        let skus: Vec<&str> = q["lines"]
            .as_array()
            .expect("lines")
            .iter()
            .filter_map(|l| l["match"]["sku"].as_str())
            .collect();
        assert_eq!(
            skus,
            ["0400000001", "0500000001"],
            "{kind}: only the forwarded items: {q:#}"
        );
    }
}

#[sqlx::test]
async fn a_customer_who_forwards_stays_the_customer(pool: PgPool) {
    let app = app(pool).await;
    let q = quote(&app, &gmail("bob@partner.test")).await;
    assert_eq!(q["customer"]["email"], "bob@partner.test");
    assert!(q["customer"].get("forwarded_by").is_none(), "{q:#}");
}
