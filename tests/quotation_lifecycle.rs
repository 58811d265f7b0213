//! The quotation lifecycle (DESIGN §5) against the real database: every allowed transition,
//! every refused one, revisions, expiry, reminders, auto-approval, and gapless numbering
//! under concurrency.

mod common;

use std::collections::HashSet;
use std::time::Duration;

use horme::quotations::{Actor, Adjustments, LifecycleError, Status, housekeeping, lifecycle, store};
use horme::startup::App;
use rust_decimal::Decimal;
use sqlx::PgPool;

const APPROVER: &str = "sales.lead@horme.test";
const CUSTOMER: &str = "buyer@customer.test";

const CATALOG: &str = "sku,name,brand,category,unit,price,currency\n\
    0400000001,WEICON WEICONLOCK AN 302-25 200 ML PIPE SEALING,WEICON,Chemicals,pc,20.0917,SGD\n\
    0400000002,WEICON WEICONLOCK AN 302-43 50 ML SCREW LOCKING,WEICON,Chemicals,pc,12.50,SGD\n\
    0500000001,TOILET BOWL BRUSH WITH HOLDER DELUXE,,Cleaning,pc,10.005,SGD\n";

async fn app_with(pool: PgPool, auto_approve_below: Option<i64>) -> App {
    let mut s = common::settings();
    s.approval.approvers = vec![APPROVER.to_string()];
    if let Some(limit) = auto_approve_below {
        s.approval.auto_approve = true;
        s.approval.auto_approve_below = Decimal::new(limit, 0);
        s.approval.auto_approve_min_confidence = 0.5;
    }
    let app = common::app_with(pool, s).await;
    common::import_catalog_csv(&app, CATALOG, Some("scope,min_qty,discount_pct\nChemicals,24,6\n")).await;
    app
}

async fn status_of(app: &App, number: &str) -> Status {
    let s: String = sqlx::query_scalar("select status from quotations where number = $1")
        .bind(number)
        .fetch_one(&app.pool)
        .await
        .expect("status");
    Status::parse(&s).expect("known status")
}

async fn force_status(app: &App, number: &str, s: Status) {
    sqlx::query("update quotations set status = $2 where number = $1")
        .bind(number)
        .bind(s.as_str())
        .execute(&app.pool)
        .await
        .expect("force");
}

const RFP: &str =
    "Please quote:\n1. Weiconlock AN 302-25 200ml - 24 pcs\n2. Toilet bowl brush with holder deluxe - 2 pcs\n";

fn approver() -> Actor {
    Actor::person(APPROVER)
}

#[sqlx::test]
async fn the_whole_conversation_is_audited_and_announced(pool: PgPool) {
    let app = app_with(pool, None).await;
    let number = common::quote_mailed(&app, CUSTOMER, RFP).await;
    assert_eq!(status_of(&app, &number).await, Status::PendingApproval);

    let none = Adjustments::default();
    let t = lifecycle::approve(&app, &number, &Actor::person("Sales.Lead@HORME.test"), "email", &none)
        .await
        .expect("an approver approves (identity case does not matter)");
    assert_eq!((t.from, t.to), (Status::PendingApproval, Status::Approved));
    lifecycle::mark_sent(&app, &number, &Actor::system("outbox"), "email")
        .await
        .expect("sent");
    lifecycle::accept(&app, &number, &Actor::person(CUSTOMER), "email")
        .await
        .expect("the customer accepts");
    assert_eq!(status_of(&app, &number).await, Status::Accepted);

    let audit: Vec<(String, String, String)> = sqlx::query_as(
        "select action, actor, channel from audit_log where entity = 'quotation' and entity_id = $1 order by id",
    )
    .bind(&number)
    .fetch_all(&app.pool)
    .await
    .expect("audit");
    let expected = [
        ("created", "pipeline", "worker"),
        ("pending_approval", "system:pipeline", "worker"),
        ("approved", APPROVER, "email"),
        ("sent", "system:outbox", "email"),
        ("accepted", CUSTOMER, "email"),
    ];
    let got: Vec<(&str, &str, &str)> = audit
        .iter()
        .map(|(a, b, c)| (a.as_str(), b.as_str(), c.as_str()))
        .collect();
    assert_eq!(got, expected);

    let events: Vec<String> = sqlx::query_scalar(
        "select payload->>'event' from jobs where kind = 'quotation.event' and payload->>'number' = $1 order by id",
    )
    .bind(&number)
    .fetch_all(&app.pool)
    .await
    .expect("events");
    assert_eq!(events, ["pending_approval", "approved", "sent", "accepted"]);
    let (decided_by, sent_at, closed): (
        Option<String>,
        Option<chrono::DateTime<chrono::Utc>>,
        Option<chrono::DateTime<chrono::Utc>>,
    ) = sqlx::query_as("select decided_by, sent_at, closed_at from quotations where number = $1")
        .bind(&number)
        .fetch_one(&app.pool)
        .await
        .expect("row");
    assert_eq!(decided_by.as_deref(), Some(APPROVER));
    assert!(sent_at.is_some() && closed.is_some());
}

#[sqlx::test]
async fn refused_transitions_and_actors(pool: PgPool) {
    let app = app_with(pool, None).await;
    let number = common::quote_mailed(&app, CUSTOMER, RFP).await;
    let none = Adjustments::default();
    let stranger = Actor::person("someone@elsewhere.test");

    let e = lifecycle::approve(&app, &number, &stranger, "email", &none)
        .await
        .expect_err("not an approver");
    assert!(matches!(e, LifecycleError::NotAllowed { .. }), "{e}");
    let e = lifecycle::approve(&app, &number, &Actor::person(CUSTOMER), "email", &none)
        .await
        .expect_err("customer");
    assert!(matches!(e, LifecycleError::NotAllowed { .. }), "{e}");
    let e = lifecycle::approve(&app, &number, &Actor::system("pipeline"), "worker", &none)
        .await
        .expect_err("system");
    assert!(matches!(e, LifecycleError::NotAllowed { .. }), "{e}");
    let e = lifecycle::reject(&app, &number, &Actor::person(CUSTOMER), "email", None)
        .await
        .expect_err("customer rejects a draft");
    assert!(matches!(e, LifecycleError::NotAllowed { .. }), "{e}");
    let e = lifecycle::accept(&app, &number, &Actor::person(CUSTOMER), "email")
        .await
        .expect_err("accept before send");
    assert!(
        matches!(
            e,
            LifecycleError::InvalidTransition {
                from: Status::PendingApproval,
                to: Status::Accepted,
                ..
            }
        ),
        "{e}"
    );
    let e = lifecycle::mark_sent(&app, &number, &Actor::system("outbox"), "email")
        .await
        .expect_err("send before approval");
    assert!(matches!(e, LifecycleError::InvalidTransition { .. }), "{e}");
    assert_eq!(
        status_of(&app, &number).await,
        Status::PendingApproval,
        "nothing changed"
    );

    lifecycle::approve(&app, &number, &approver(), "cli", &none)
        .await
        .expect("approve");
    let e = lifecycle::approve(&app, &number, &approver(), "cli", &none)
        .await
        .expect_err("twice");
    assert!(matches!(e, LifecycleError::InvalidTransition { .. }), "{e}");
    let e = lifecycle::mark_sent(&app, &number, &stranger, "cli")
        .await
        .expect_err("a stranger records sending");
    assert!(matches!(e, LifecycleError::NotAllowed { .. }), "{e}");
    lifecycle::mark_sent(&app, &number, &approver(), "cli")
        .await
        .expect("an approver records a manual delivery");
    let e = lifecycle::accept(&app, &number, &stranger, "email")
        .await
        .expect_err("only the customer accepts");
    assert!(matches!(e, LifecycleError::NotAllowed { .. }), "{e}");
    lifecycle::reject(&app, &number, &Actor::person(CUSTOMER), "email", Some("too expensive"))
        .await
        .expect("the customer declines");
    for s in [Status::Rejected] {
        assert_eq!(status_of(&app, &number).await, s);
    }
    // A final state refuses everything.
    let e = lifecycle::accept(&app, &number, &Actor::person(CUSTOMER), "email")
        .await
        .expect_err("final");
    assert!(
        matches!(
            e,
            LifecycleError::InvalidTransition {
                from: Status::Rejected,
                ..
            }
        ),
        "{e}"
    );
    let e = lifecycle::approve(&app, "Q-2099-000001", &approver(), "cli", &none)
        .await
        .expect_err("unknown");
    assert!(matches!(e, LifecycleError::NotFound(_)), "{e}");
    let reason: Option<String> = sqlx::query_scalar("select reason from quotations where number = $1")
        .bind(&number)
        .fetch_one(&app.pool)
        .await
        .expect("reason");
    assert_eq!(reason.as_deref(), Some("too expensive"));
}

#[sqlx::test]
async fn every_allowed_transition_through_its_function(pool: PgPool) {
    let app = app_with(pool, None).await;
    let number = common::quote_mailed(&app, CUSTOMER, RFP).await;
    let none = Adjustments::default();
    let customer = Actor::person(CUSTOMER);
    let cases: Vec<(Status, Status)> = Status::ALL
        .iter()
        .flat_map(|f| Status::ALL.iter().map(move |t| (*f, *t)))
        .filter(|(f, t)| f.can_become(*t))
        .collect();
    assert_eq!(cases.len(), 12, "{cases:?}");
    for (from, to) in cases {
        force_status(&app, &number, from).await;
        sqlx::query("update quotations set valid_until = current_date + 30 where number = $1")
            .bind(&number)
            .execute(&app.pool)
            .await
            .expect("validity");
        let result: Result<(), LifecycleError> = match (from, to) {
            (Status::Draft, Status::PendingApproval | Status::Approved) => {
                let q = store::load_by_number(&app.pool, &number)
                    .await
                    .expect("load")
                    .expect("q");
                let mut tx = app.pool.begin().await.expect("tx");
                let r = lifecycle::submit_for_approval(&mut tx, &app, &number, &q.view).await;
                tx.commit().await.expect("commit");
                // Auto-approval is off here: a draft goes to pending approval.
                if to == Status::Approved {
                    force_status(&app, &number, Status::Draft).await;
                    let app2 = {
                        let mut s = (*app.settings).clone();
                        s.approval.auto_approve = true;
                        s.approval.auto_approve_below = Decimal::new(1_000_000, 0);
                        s.approval.auto_approve_min_confidence = 0.0;
                        common::app_with(app.pool.clone(), s).await
                    };
                    let q = store::load_by_number(&app.pool, &number)
                        .await
                        .expect("load")
                        .expect("q");
                    let mut tx = app.pool.begin().await.expect("tx");
                    let r = lifecycle::submit_for_approval(&mut tx, &app2, &number, &q.view).await;
                    tx.commit().await.expect("commit");
                    r.map(|_| ())
                } else {
                    r.map(|_| ())
                }
            }
            (Status::Draft, Status::Failed) => {
                let mut tx = app.pool.begin().await.expect("tx");
                let r = lifecycle::fail(&mut tx, &app, &number, "render failed")
                    .await
                    .map(|_| ());
                tx.commit().await.expect("commit");
                r
            }
            (_, Status::Approved) => lifecycle::approve(&app, &number, &approver(), "cli", &none)
                .await
                .map(|_| ()),
            (Status::PendingApproval, Status::Rejected) => {
                lifecycle::reject(&app, &number, &approver(), "cli", Some("no"))
                    .await
                    .map(|_| ())
            }
            (Status::Sent, Status::Rejected) => lifecycle::reject(&app, &number, &customer, "email", None)
                .await
                .map(|_| ()),
            (_, Status::Sent) => lifecycle::mark_sent(&app, &number, &Actor::system("outbox"), "email")
                .await
                .map(|_| ()),
            (_, Status::Accepted) => lifecycle::accept(&app, &number, &customer, "email").await.map(|_| ()),
            (_, Status::Expired) => {
                sqlx::query("update quotations set valid_until = current_date - 1 where number = $1")
                    .bind(&number)
                    .execute(&app.pool)
                    .await
                    .expect("expire");
                housekeeping::expire_due(&app, chrono::Utc::now().date_naive())
                    .await
                    .map(|_| ())
            }
            (_, Status::Revised) => {
                let adj = Adjustments {
                    extra_discount_pct: Some(Decimal::new(5, 0)),
                    skus: vec![],
                    quantities: vec![],
                };
                lifecycle::approve(&app, &number, &approver(), "cli", &adj)
                    .await
                    .map(|_| ())
            }
            other => panic!("no function for {other:?}"),
        };
        result.unwrap_or_else(|e| panic!("{from} → {to}: {e}"));
        assert_eq!(status_of(&app, &number).await, to, "{from} → {to}");
    }
}

#[sqlx::test]
async fn approving_with_changes_makes_an_approved_revision(pool: PgPool) {
    let app = app_with(pool, None).await;
    let number = common::quote_mailed(&app, CUSTOMER, RFP).await;
    let before = store::load_by_number(&app.pool, &number)
        .await
        .expect("load")
        .expect("q");
    let glue = before
        .view
        .lines
        .iter()
        .find(|l| l.matched.as_ref().is_some_and(|m| m.sku == "0400000001"))
        .expect("glue line");
    assert_eq!(glue.unit_price, Some(Decimal::new(1889, 2)));
    let adj = Adjustments {
        extra_discount_pct: Some(Decimal::new(5, 0)),
        skus: vec![(glue.line, "0400000002".into())],
        quantities: vec![],
    };
    let t = lifecycle::approve(&app, &number, &approver(), "email", &adj)
        .await
        .expect("approve with changes");
    let r2 = t.revision.expect("a revision");
    assert_eq!(r2, format!("{number}-R2"));
    assert_eq!(status_of(&app, &number).await, Status::Revised);
    assert_eq!(status_of(&app, &r2).await, Status::Approved);
    let after = store::load_by_number(&app.pool, &r2).await.expect("load").expect("r2");
    assert!(after.has_pdf, "the revision is rendered");
    let line = after.view.lines.iter().find(|l| l.line == glue.line).expect("line");
    assert_eq!(line.matched.as_ref().map(|m| m.sku.as_str()), Some("0400000002"));
    // 12.50 with the Chemicals tier at 24 (6 %) and 5 % extra: 12.50 × 0.94 × 0.95 = 11.1625 → 11.16
    assert_eq!(line.discount_pct, Some(Decimal::new(107, 1)));
    assert_eq!(line.unit_price, Some(Decimal::new(1116, 2)));
    assert_eq!(line.line_total, Some(Decimal::new(26784, 2)));
    // The brush: 10.005 → 10.01 without a tier; with 5 % extra: 9.50475 → 9.50
    let brush = after.view.lines.iter().find(|l| l.line != glue.line).expect("brush");
    assert_eq!(brush.unit_price, Some(Decimal::new(950, 2)));
    assert_eq!(after.view.subtotal, Decimal::new(26784 + 1900, 2));
    assert_eq!(after.view.total, after.view.subtotal + after.view.tax);
    // The original keeps its lines, prices and PDF as history.
    let old = store::load_by_number(&app.pool, &number)
        .await
        .expect("load")
        .expect("old");
    assert_eq!(old.view, before.view);
    assert!(old.has_pdf);

    let bad = Adjustments {
        extra_discount_pct: None,
        skus: vec![(1, "9999999999".into())],
        quantities: vec![],
    };
    let e = lifecycle::approve(&app, &r2, &approver(), "cli", &bad)
        .await
        .expect_err("already approved");
    assert!(matches!(e, LifecycleError::InvalidTransition { .. }), "{e}");
}

#[sqlx::test]
async fn adjustments_are_validated(pool: PgPool) {
    let app = app_with(pool, None).await;
    let number = common::quote_mailed(&app, CUSTOMER, RFP).await;
    for adj in [
        Adjustments {
            extra_discount_pct: Some(Decimal::new(100, 0)),
            skus: vec![],
            quantities: vec![],
        },
        Adjustments {
            extra_discount_pct: Some(Decimal::new(-1, 0)),
            skus: vec![],
            quantities: vec![],
        },
        Adjustments {
            extra_discount_pct: None,
            skus: vec![(99, "0400000002".into())],
            quantities: vec![],
        },
        Adjustments {
            extra_discount_pct: None,
            skus: vec![(1, "0000000000".into())],
            quantities: vec![],
        },
    ] {
        let e = lifecycle::approve(&app, &number, &approver(), "cli", &adj)
            .await
            .expect_err("invalid");
        assert!(matches!(e, LifecycleError::InvalidAdjustment(_)), "{adj:?}: {e}");
    }
    assert_eq!(status_of(&app, &number).await, Status::PendingApproval);
}

#[sqlx::test]
async fn expiry_and_reminders(pool: PgPool) {
    let app = app_with(pool, None).await;
    let open = common::quote_mailed(&app, CUSTOMER, RFP).await;
    let accepted = common::quote_mailed(&app, CUSTOMER, RFP).await;
    force_status(&app, &accepted, Status::Accepted).await;
    sqlx::query("update quotations set valid_until = current_date - 1, submitted_at = now() - interval '25 hours'")
        .execute(&app.pool)
        .await
        .expect("age");

    let reminded = housekeeping::remind_due(&app).await.expect("remind");
    assert_eq!(reminded, vec![open.clone()]);
    assert!(
        housekeeping::remind_due(&app).await.expect("remind").is_empty(),
        "not again at once"
    );

    let today = chrono::Utc::now().date_naive();
    let expired = housekeeping::expire_due(&app, today).await.expect("expire");
    assert_eq!(
        expired.iter().map(|t| t.number.as_str()).collect::<Vec<_>>(),
        [open.as_str()]
    );
    assert_eq!(status_of(&app, &open).await, Status::Expired);
    assert_eq!(status_of(&app, &accepted).await, Status::Accepted, "closed ones stay");
    assert!(housekeeping::expire_due(&app, today).await.expect("again").is_empty());
    let actor: String = sqlx::query_scalar("select actor from audit_log where entity_id = $1 and action = 'expired'")
        .bind(&open)
        .fetch_one(&app.pool)
        .await
        .expect("audit");
    assert_eq!(actor, "system:scheduler");
}

#[sqlx::test]
async fn small_confident_quotations_are_approved_automatically(pool: PgPool) {
    let app = app_with(pool.clone(), Some(1000)).await;
    let small = common::quote_mailed(&app, CUSTOMER, "Toilet bowl brush with holder deluxe - 2 pcs\n").await;
    assert_eq!(status_of(&app, &small).await, Status::Approved);
    let big = common::quote_mailed(&app, CUSTOMER, "Toilet bowl brush with holder deluxe - 200 pcs\n").await;
    assert_eq!(
        status_of(&app, &big).await,
        Status::PendingApproval,
        "total above the limit"
    );
    let why: String = sqlx::query_scalar(
        "select detail->>'needs_approval_because' from audit_log where entity_id = $1 and action = 'pending_approval'",
    )
    .bind(&big)
    .fetch_one(&pool)
    .await
    .expect("reason");
    assert!(why.contains("not below 1000"), "{why}");
}

#[sqlx::test]
async fn fifty_parallel_quotations_get_fifty_consecutive_numbers(pool: PgPool) {
    let mut tasks = Vec::new();
    for i in 0..50 {
        let pool = pool.clone();
        tasks.push(tokio::spawn(async move {
            let mut tx = pool.begin().await.expect("tx");
            let n = horme::quotations::numbering::next(&mut tx, 2026).await.expect("number");
            // Hold the transaction a little so that creations really overlap.
            tokio::time::sleep(Duration::from_millis(5 + (i % 7))).await;
            tx.commit().await.expect("commit");
            n.to_string()
        }));
    }
    let mut numbers = Vec::new();
    for t in tasks {
        numbers.push(t.await.expect("task"));
    }
    let unique: HashSet<&String> = numbers.iter().collect();
    assert_eq!(unique.len(), 50);
    let mut seqs: Vec<i64> = numbers
        .iter()
        .map(|n| horme::domain::QuoteNumber::parse(n).expect("number").sequence)
        .collect();
    seqs.sort();
    assert_eq!(seqs, (1..=50).collect::<Vec<_>>());

    // A creation that rolls back gives its number back: no gap.
    let mut tx = pool.begin().await.expect("tx");
    let lost = horme::quotations::numbering::next(&mut tx, 2026).await.expect("number");
    tx.rollback().await.expect("rollback");
    let mut tx = pool.begin().await.expect("tx");
    let next = horme::quotations::numbering::next(&mut tx, 2026).await.expect("number");
    tx.commit().await.expect("commit");
    assert_eq!(lost, next);
    assert_eq!(next.to_string(), "Q-2026-000051");
}
