//! One pricing path (issue 9): building a quotation and repricing a revision share one line
//! pricing, so a revision reads the final product's own lead time; and `horme bench` runs the
//! functions the jobs run, so its quotation is `horme quote`'s, corrections and customer
//! prices included.

mod common;

use horme::catalog::corrections;
use horme::customers::{self, CustomerKey};
use horme::mail::staff::Staff;
use horme::quotations::{Actor, Adjustments, lifecycle, store};
use horme::startup::App;
use rust_decimal::Decimal;
use sqlx::PgPool;

const APPROVER: &str = "sales.lead@horme.test";

const CATALOG: &str = "sku,name,brand,category,unit,price,currency,stock,lead_time_days\n\
    0100000001,CUT OFF WHEEL 100*1.2*16 FOR STAINLESS,LICON,Abrasives,pc,0.5556,SGD,500,5\n\
    0400000001,WEICON WEICONLOCK AN 302-25 200 ML PIPE SEALING,WEICON,Chemicals,pc,20.0917,SGD,0,3\n\
    0400000002,WEICON WEICONLOCK AN 302-43 50 ML SCREW LOCKING,WEICON,Chemicals,pc,12.50,SGD,0,21\n\
    0400000003,LOCTITE 243 THREADLOCKER 50 ML,LOCTITE,Chemicals,pc,18.00,SGD,100,30\n\
    0600000001,MAKITA ANGLE GRINDER GA4030,MAKITA,Power Tools,pc,,SGD,,\n\
    0700000001,SAFETY GOGGLES CLEAR ANTI FOG,,PPE,pc,1.25,SGD,,\n";

const TIERS: &str = "scope,min_qty,discount_pct\n*,10,2\n*,50,5\nAbrasives,100,12\nChemicals,24,6\n";

async fn app(pool: PgPool) -> App {
    let mut s = common::settings();
    s.approval.approvers = vec![APPROVER.to_string()];
    let app = common::app_with(pool, s).await;
    common::import_catalog_csv(&app, CATALOG, Some(TIERS)).await;
    app
}

/// Quotes 24 glue at 3 days' lead time, approves with `swap_to` and 5 % extra: the revision's
/// line has `swap_to`'s lead time and price.
async fn swap(pool: PgPool, swap_to: &str, lead: i32, unit_price: Decimal) {
    let app = app(pool).await;
    let body = "Please quote:\n1. Weiconlock AN 302-25 200ml - 24 pcs\n";
    let number = common::quote_mailed(&app, "buyer@customer.test", body).await;
    let before = store::load_by_number(&app.pool, &number)
        .await
        .expect("load")
        .expect("q");
    let line = &before.view.lines[0];
    assert_eq!(line.matched.as_ref().map(|m| m.sku.as_str()), Some("0400000001"));
    assert_eq!(line.lead_time_days, Some(3));
    let adj = Adjustments {
        extra_discount_pct: Some(Decimal::new(5, 0)),
        skus: vec![(line.line, swap_to.into())],
        quantities: vec![],
    };
    let t = lifecycle::approve(&app, &number, &Actor::person(APPROVER), "cli", &adj)
        .await
        .expect("approve with changes");
    let r2 = store::load_by_number(&app.pool, &t.revision.expect("revision"))
        .await
        .expect("load")
        .expect("r2");
    let l = &r2.view.lines[0];
    assert_eq!(l.matched.as_ref().map(|m| m.sku.as_str()), Some(swap_to));
    assert_eq!(l.lead_time_days, Some(lead), "the new product's lead time");
    assert_eq!(l.unit_price, Some(unit_price));
    assert_eq!(l.discount_pct, Some(Decimal::new(107, 1)), "6 % tier, then 5 %");
}

#[sqlx::test]
async fn a_swapped_sku_brings_its_own_lead_time_and_price(pool: PgPool) {
    // no stock: the product's 21 days; 12.50 × 0.94 × 0.95 = 11.1625 → 11.16
    swap(pool, "0400000002", 21, Decimal::new(1116, 2)).await;
}

#[sqlx::test]
async fn a_swapped_sku_in_stock_is_delivered_next_day(pool: PgPool) {
    // 100 in stock for 24: one day; 18.00 × 0.94 × 0.95 = 16.074 → 16.07
    swap(pool, "0400000003", 1, Decimal::new(1607, 2)).await;
}

#[sqlx::test]
async fn bench_quotes_as_the_pipeline_does_with_corrections_and_customer_prices(pool: PgPool) {
    let app = app(pool).await;
    let key = CustomerKey::parse("a.test").expect("key");
    let a = customers::add(&app.pool, "A", &key, Decimal::new(4, 0))
        .await
        .expect("customer");
    let mut conn = app.pool.acquire().await.expect("conn");
    customers::prices::set(&mut conn, &a, "0700000001", "1.10".parse().expect("price"), "SGD")
        .await
        .expect("contract price");
    corrections::record(
        &mut conn,
        Some(a.id),
        "Blue thread glue",
        "0400000001",
        "sales@horme.test",
        "cli",
    )
    .await
    .expect("correction");
    drop(conn);

    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("rfp.txt");
    std::fs::write(
        &file,
        "Please quote:\n1. Cut off wheel 100 x 1.2 x 16 stainless - 150 pcs\n2. blue thread glue - 24 pcs\n\
         3. Safety goggles clear anti fog - 1 pc\n4. Makita angle grinder GA4030 - 2 units\n",
    )
    .expect("write");
    let quoted = horme::cli::quote_once(&app, &file, Some("buyer@a.test"))
        .await
        .expect("quote");
    let staff = Staff::load(&app).await.expect("staff");
    let msg = horme::cli::message_from_file(&file, Some("buyer@a.test"), &staff).expect("message");
    let (benched, times) = horme::cli::quote_in_memory(&app, "rfp.txt", &msg).await.expect("bench");
    assert!(times.iter().all(|t| *t >= 0.0));

    let json = |q: &horme::pipeline::quotation::Quotation| {
        let mut v = serde_json::to_value(q).expect("json");
        for key in ["number", "date", "valid_until"] {
            v.as_object_mut().expect("object").remove(key);
        }
        v
    };
    assert_eq!(
        json(&benched),
        json(&quoted.view),
        "bench and quote make the same quotation"
    );
    // and that quotation has the correction and the customer's prices in it
    let lines = &benched.lines;
    assert_eq!(
        lines[1].matched.as_ref().map(|m| (m.sku.as_str(), m.confidence)),
        Some(("0400000001", 1.0))
    );
    assert_eq!(lines[2].list_price, Some(Decimal::new(110, 2)), "contract price");
    assert_eq!(lines[2].discount_pct, Some(Decimal::ZERO));
    // 150 wheels: the Abrasives tier (12 %) beats the customer's 4 %
    assert_eq!(lines[0].discount_pct, Some(Decimal::new(12, 0)));
}
