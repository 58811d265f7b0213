//! Customer-specific pricing and remembered match corrections (issue 4), through the real
//! pipeline: a small RFP quoted as `horme quote --customer` does, against PostgreSQL.

mod common;

use horme::catalog::corrections;
use horme::customers::{self, CustomerKey};
use horme::quotations::{Actor, Adjustments, lifecycle, store};
use horme::startup::App;
use rust_decimal::Decimal;
use serde_json::Value;
use sqlx::PgPool;

const APPROVER: &str = "sales.lead@horme.test";

const CATALOG: &str = "sku,name,brand,category,unit,price,currency\n\
    0100000001,CUT OFF WHEEL 100*1.2*16 FOR STAINLESS,LICON,Abrasives,pc,0.5556,SGD\n\
    0400000001,WEICON WEICONLOCK AN 302-25 200 ML PIPE SEALING,WEICON,Chemicals,pc,20.0917,SGD\n\
    0500000001,TOILET BOWL BRUSH WITH HOLDER DELUXE,,Cleaning,pc,10.005,SGD\n\
    0600000001,MAKITA ANGLE GRINDER GA4030,MAKITA,Power Tools,pc,,SGD\n\
    0700000001,SAFETY GOGGLES CLEAR ANTI FOG,,PPE,pc,1.25,SGD\n";

const TIERS: &str = "scope,min_qty,discount_pct\n*,10,2\n*,50,5\nAbrasives,100,12\nChemicals,24,6\n0500000001,5,1\n";

const RFP: &str = "Please quote:\n\
    1. Cut off wheel 100 x 1.2 x 16 stainless - 150 pcs\n\
    2. Weiconlock AN 302-25 200ml - 24 pcs\n\
    3. Safety goggles clear anti fog - 1 pc\n\
    4. Makita angle grinder GA4030 - 2 units\n";

async fn app(pool: PgPool) -> App {
    let mut s = common::settings();
    s.approval.approvers = vec![APPROVER.to_string()];
    let app = common::app_with(pool, s).await;
    common::import_catalog_csv(&app, CATALOG, Some(TIERS)).await;
    app
}

async fn add_customer(app: &App, name: &str, key: &str, discount: i64) -> customers::Customer {
    let key = CustomerKey::parse(key).expect("key");
    customers::add(&app.pool, name, &key, Decimal::new(discount, 0))
        .await
        .expect("customer added")
}

async fn set_price(app: &App, customer: &customers::Customer, sku: &str, price: &str) {
    let mut conn = app.pool.acquire().await.expect("conn");
    customers::prices::set(&mut conn, customer, sku, price.parse().expect("price"), "SGD")
        .await
        .expect("price set");
}

/// Quotes `body` as a text file sent by `customer` (None: from the command line, nobody).
async fn quote(app: &App, body: &str, customer: Option<&str>) -> Value {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("rfp.txt");
    std::fs::write(&file, body).expect("write");
    let q = horme::cli::quote_once(app, &file, customer).await.expect("quote");
    serde_json::to_value(&q.view).expect("json")
}

fn line<'a>(q: &'a Value, sku: &str) -> &'a Value {
    q["lines"]
        .as_array()
        .expect("lines")
        .iter()
        .find(|l| l["match"]["sku"] == sku)
        .unwrap_or_else(|| panic!("no line matched {sku}: {q:#}"))
}

fn priced(l: &Value) -> (&str, &str, &str, &str) {
    (
        l["list_price"].as_str().unwrap_or("-"),
        l["discount_pct"].as_str().unwrap_or("-"),
        l["unit_price"].as_str().unwrap_or("-"),
        l["line_total"].as_str().unwrap_or("-"),
    )
}

#[sqlx::test]
async fn no_customer_is_exactly_the_design_rule(pool: PgPool) {
    let app = app(pool).await;
    // A customer who did not send this request changes nothing.
    add_customer(&app, "Acme", "acme.test", 10).await;
    for sender in [None, Some("someone@elsewhere.test")] {
        let q = quote(&app, RFP, sender).await;
        assert_eq!(priced(line(&q, "0100000001")), ("0.5556", "12", "0.49", "73.50"));
        assert_eq!(priced(line(&q, "0400000001")), ("20.0917", "6", "18.89", "453.36"));
        assert_eq!(priced(line(&q, "0700000001")), ("1.25", "0", "1.25", "1.25"));
        assert_eq!(line(&q, "0600000001")["status"], "price_on_request");
        assert_eq!(q["subtotal"], "528.11");
        assert_eq!(q["tax"], "47.53");
        assert_eq!(q["total"], "575.64");
    }
}

#[sqlx::test]
async fn customer_discount_is_the_better_of_it_and_the_tier_with_half_up_rounding(pool: PgPool) {
    let app = app(pool).await;
    add_customer(&app, "Acme", "acme.test", 10).await;
    let q = quote(&app, RFP, Some("buyer@acme.test")).await;
    // The Abrasives tier (12 %) beats the customer's 10 %: not stacked.
    assert_eq!(priced(line(&q, "0100000001")), ("0.5556", "12", "0.49", "73.50"));
    // The customer's 10 % beats the Chemicals tier (6 %): 20.0917 × 0.9 = 18.08253.
    assert_eq!(priced(line(&q, "0400000001")), ("20.0917", "10", "18.08", "433.92"));
    // No tier at 1 pc; 1.25 × 0.9 = 1.125 rounds half up to 1.13 (banker's would say 1.12).
    assert_eq!(priced(line(&q, "0700000001")), ("1.25", "10", "1.13", "1.13"));
    // A discount does not price what has no price.
    let grinder = line(&q, "0600000001");
    assert_eq!(grinder["status"], "price_on_request");
    assert_eq!(grinder["line_total"], Value::Null);
    assert_eq!(q["subtotal"], "508.55");
    assert_eq!(q["tax"], "45.77");
    assert_eq!(q["total"], "554.32");
    let customer_id: Option<i64> = sqlx::query_scalar("select customer_id from quotations")
        .fetch_one(&app.pool)
        .await
        .expect("quotation");
    assert!(customer_id.is_some(), "the quotation records its customer");
}

#[sqlx::test]
async fn an_exact_address_beats_the_domain(pool: PgPool) {
    let app = app(pool).await;
    add_customer(&app, "Acme purchasing", "buyer@acme.test", 10).await;
    add_customer(&app, "Acme", "acme.test", 3).await;
    let goggles = "Safety goggles clear anti fog - 1 pc\n";
    for (sender, want) in [
        ("buyer@acme.test", ("1.25", "10", "1.13", "1.13")),
        ("BUYER@Acme.Test", ("1.25", "10", "1.13", "1.13")),
        // 1.25 × 0.97 = 1.2125
        ("other@acme.test", ("1.25", "3", "1.21", "1.21")),
        ("buyer@acme.example", ("1.25", "0", "1.25", "1.25")),
    ] {
        let q = quote(&app, goggles, Some(sender)).await;
        assert_eq!(priced(line(&q, "0700000001")), want, "{sender}");
    }
}

#[sqlx::test]
async fn a_contract_price_is_net_and_prices_a_product_without_list_price(pool: PgPool) {
    let app = app(pool).await;
    let acme = add_customer(&app, "Acme", "acme.test", 10).await;
    add_customer(&app, "Other", "other.test", 10).await;
    set_price(&app, &acme, "0400000001", "15.00").await;
    set_price(&app, &acme, "0600000001", "250").await;
    let q = quote(&app, RFP, Some("buyer@acme.test")).await;
    // Neither the Chemicals tier nor the customer's 10 % apply on top of a contract price.
    assert_eq!(priced(line(&q, "0400000001")), ("15", "0", "15.00", "360.00"));
    let grinder = line(&q, "0600000001");
    assert_eq!(grinder["status"], "matched");
    assert_eq!(priced(grinder), ("250", "0", "250.00", "500.00"));
    // Lines without a contract keep the best-of rule.
    assert_eq!(priced(line(&q, "0100000001")), ("0.5556", "12", "0.49", "73.50"));
    assert_eq!(q["subtotal"], "934.63");

    // Another customer does not get Acme's contract.
    let q = quote(&app, RFP, Some("buyer@other.test")).await;
    assert_eq!(priced(line(&q, "0400000001")), ("20.0917", "10", "18.08", "433.92"));
    assert_eq!(line(&q, "0600000001")["status"], "price_on_request");
}

#[sqlx::test]
async fn a_customers_correction_is_theirs_and_a_global_one_is_everybodys(pool: PgPool) {
    let app = app(pool).await;
    let a = add_customer(&app, "A", "a.test", 0).await;
    add_customer(&app, "B", "b.test", 0).await;
    let mut conn = app.pool.acquire().await.expect("conn");
    corrections::record(
        &mut conn,
        Some(a.id),
        "Blue thread glue",
        "0400000001",
        "sales@horme.test",
        "cli",
    )
    .await
    .expect("customer correction");
    corrections::record(&mut conn, None, "Loo brush", "0500000001", "sales@horme.test", "cli")
        .await
        .expect("global correction");
    let e = corrections::record(&mut conn, None, "Loo brush", "999", "x", "cli")
        .await
        .expect_err("unknown SKU");
    assert!(matches!(e, corrections::CorrectionError::UnknownSku(_)), "{e}");
    drop(conn);

    let body = "Please quote:\n1. blue   THREAD  glue - 6 pcs\n2. LOO brush - 2 pcs\n";
    let q = quote(&app, body, Some("buyer@a.test")).await;
    let glue = line(&q, "0400000001");
    assert_eq!(glue["status"], "matched");
    assert_eq!(glue["match"]["confidence"], 1.0);
    assert_eq!(priced(glue), ("20.0917", "0", "20.09", "120.54"));
    assert_eq!(line(&q, "0500000001")["match"]["confidence"], 1.0);

    for sender in [Some("buyer@b.test"), None] {
        let q = quote(&app, body, sender).await;
        let first = &q["lines"][0];
        assert_ne!(first["match"]["sku"], "0400000001", "A's correction is A's only: {q:#}");
        assert_eq!(line(&q, "0500000001")["match"]["confidence"], 1.0, "global correction");
    }
}

#[sqlx::test]
async fn choosing_another_sku_at_approval_is_remembered_for_that_customer(pool: PgPool) {
    let app = app(pool).await;
    add_customer(&app, "Acme", "acme.test", 10).await;
    let body = "Please quote:\n1. Blue thread glue - 6 pcs\n2. Safety goggles clear anti fog - 1 pc\n";
    let number = common::quote_mailed(&app, "buyer@acme.test", body).await;
    let adj = Adjustments {
        extra_discount_pct: None,
        skus: vec![(1, "0400000001".into())],
        quantities: vec![],
    };
    let t = lifecycle::approve(&app, &number, &Actor::person(APPROVER), "email", &adj)
        .await
        .expect("approved with another SKU");
    let revision = t.revision.expect("a revision");
    let r = store::load_by_number(&app.pool, &revision)
        .await
        .expect("load")
        .expect("revision");
    let l1 = &r.view.lines[0];
    // The chosen product is priced with the customer's terms too (10 % beats no tier).
    assert_eq!(l1.discount_pct, Some(Decimal::new(10, 0)));
    assert_eq!(l1.unit_price, Some(Decimal::new(1808, 2)));

    let (customer, key, sku, actor, channel): (Option<String>, String, String, String, String) = sqlx::query_as(
        "select c.domain, m.description_key, m.sku, m.actor, m.channel
         from match_corrections m left join customers c on c.id = m.customer_id",
    )
    .fetch_one(&app.pool)
    .await
    .expect("one correction");
    assert_eq!(
        (
            customer.as_deref(),
            key.as_str(),
            sku.as_str(),
            actor.as_str(),
            channel.as_str()
        ),
        (Some("acme.test"), "blue thread glue", "0400000001", APPROVER, "email")
    );
    let audited: i64 = sqlx::query_scalar("select count(*) from audit_log where entity = 'match_correction'")
        .fetch_one(&app.pool)
        .await
        .expect("audit");
    assert_eq!(audited, 1);

    // The next identical request from the same customer is matched to the chosen product.
    let next = common::quote_mailed(&app, "colleague@acme.test", body).await;
    let q = store::load_by_number(&app.pool, &next)
        .await
        .expect("load")
        .expect("next");
    let m = q.view.lines[0].matched.as_ref().expect("matched");
    assert_eq!((m.sku.as_str(), m.confidence), ("0400000001", 1.0));
}

#[sqlx::test]
async fn the_sales_team_manages_customers_from_the_command_line(pool: PgPool) {
    let app = app(pool.clone()).await;
    let ok = |args: &[&str]| {
        let (code, out, err) = common::horme(&pool, args);
        assert_eq!(code, 0, "{args:?}: {out}{err}");
        out
    };
    ok(&[
        "customers",
        "add",
        "--name",
        "Acme",
        "--domain",
        "ACME.test",
        "--discount",
        "5",
    ]);
    ok(&["customers", "set-discount", "acme.test", "7.5"]);
    assert!(ok(&["customers", "list"]).contains("acme.test"));
    let (code, _, err) = common::horme(&pool, &["customers", "add", "--name", "Acme", "--domain", "acme.test"]);
    assert_ne!(code, 0);
    assert!(err.contains("already exists"), "{err}");

    let dir = tempfile::tempdir().expect("tempdir");
    let csv = dir.path().join("prices.csv");
    for (content, expected) in [
        (
            "customer,sku,price\nacme.test,0400000001,15\nacme.test,042,1\n",
            "row 3: no product with SKU 042",
        ),
        (
            "customer,sku,price\nnobody.test,0400000001,15\n",
            "row 2: no customer nobody.test",
        ),
    ] {
        std::fs::write(&csv, content).expect("write");
        let (code, _, err) = common::horme(&pool, &["customers", "prices", "import", csv.to_str().expect("path")]);
        assert_ne!(code, 0);
        assert!(err.contains(expected), "{err}");
        assert_eq!(err.trim().lines().count(), 1, "one line: {err}");
    }
    let none: i64 = sqlx::query_scalar("select count(*) from customer_prices")
        .fetch_one(&pool)
        .await
        .expect("count");
    assert_eq!(none, 0, "a rejected file imports nothing");
    std::fs::write(
        &csv,
        "Customer,SKU,Price\nacme.test,0400000001,15\nacme.test,0600000001,250\n",
    )
    .expect("write");
    assert!(ok(&["customers", "prices", "import", csv.to_str().expect("path")]).contains("2 contract prices"));
    ok(&["customers", "prices", "set", "acme.test", "0700000001", "1.10"]);
    assert!(ok(&["customers", "prices", "list"]).contains("0700000001"));

    ok(&[
        "catalog",
        "correct",
        "--description",
        "Loo brush",
        "--sku",
        "0500000001",
    ]);
    ok(&[
        "catalog",
        "correct",
        "--description",
        "Blue glue",
        "--sku",
        "0400000001",
        "--customer",
        "acme.test",
    ]);
    let listed = ok(&["catalog", "corrections", "list"]);
    assert!(listed.contains("loo brush") && listed.contains("acme.test"), "{listed}");
    let (code, _, err) = common::horme(&pool, &["catalog", "correct", "--description", "x y", "--sku", "nope"]);
    assert_ne!(code, 0);
    assert!(err.contains("no product with SKU nope"), "{err}");

    let q = quote(
        &app,
        "Blue glue - 1 pc\nMakita angle grinder GA4030 - 1 unit\n",
        Some("x@acme.test"),
    )
    .await;
    assert_eq!(priced(line(&q, "0400000001")), ("15", "0", "15.00", "15.00"));
    assert_eq!(priced(line(&q, "0600000001")), ("250", "0", "250.00", "250.00"));
}
