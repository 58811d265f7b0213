//! DESIGN §4 through the real path: tiers from the database, prices from the catalog.

mod common;

use serde_json::Value;
use sqlx::PgPool;

const CATALOG: &str = "sku,name,brand,category,unit,price,currency\n\
    0100000001,CUT OFF WHEEL 100*1.2*16 FOR STAINLESS,LICON,Abrasives,pc,0.5556,SGD\n\
    0400000001,WEICON WEICONLOCK AN 302-25 200 ML PIPE SEALING,WEICON,Chemicals,pc,20.0917,SGD\n\
    0500000001,TOILET BOWL BRUSH WITH HOLDER DELUXE,,Cleaning,pc,10.005,SGD\n\
    0600000001,MAKITA ANGLE GRINDER GA4030,MAKITA,Power Tools,pc,,SGD\n";

const TIERS: &str = "scope,min_qty,discount_pct\n*,10,2\n*,50,5\nAbrasives,100,12\nChemicals,24,6\n0500000001,5,1\n";

async fn quote(pool: &PgPool, body: &str) -> Value {
    let app = common::app(pool.clone()).await;
    common::import_catalog_csv(&app, CATALOG, Some(TIERS)).await;
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("rfp.txt");
    std::fs::write(&file, body).expect("write");
    common::quote_file(&app, &file).await.expect("quote")
}

fn line<'a>(q: &'a Value, sku: &str) -> &'a Value {
    q["lines"]
        .as_array()
        .expect("lines")
        .iter()
        .find(|l| l["match"]["sku"] == sku)
        .unwrap_or_else(|| panic!("no line matched {sku}: {q:#}"))
}

#[sqlx::test]
async fn best_tier_by_scope_half_up_rounding_and_totals(pool: PgPool) {
    let q = quote(
        &pool,
        "Please quote:\n\
         1. Weiconlock AN 302-25 200ml - 24 pcs\n\
         2. Cut off wheel 100 x 1.2 x 16 stainless - 150 pcs\n\
         3. Toilet bowl brush with holder deluxe - 1 pc\n\
         4. Makita angle grinder GA4030 - 2 units\n",
    )
    .await;
    // Chemicals tier at 24 (6 %) beats * at 10 (2 %): the design's example.
    let glue = line(&q, "0400000001");
    assert_eq!(glue["status"], "matched");
    assert_eq!(glue["discount_pct"], "6");
    assert_eq!(glue["unit_price"], "18.89");
    assert_eq!(glue["line_total"], "453.36");
    // Abrasives at 100 (12 %) beats * at 50 (5 %): 0.5556 × 0.88 = 0.488928 → 0.49.
    let wheel = line(&q, "0100000001");
    assert_eq!(wheel["discount_pct"], "12");
    assert_eq!(wheel["unit_price"], "0.49");
    assert_eq!(wheel["line_total"], "73.50");
    // No tier applies at quantity 1: 10.005 rounds half up to 10.01.
    let brush = line(&q, "0500000001");
    assert_eq!(brush["discount_pct"], "0");
    assert_eq!(brush["unit_price"], "10.01");
    // A product without a price is never priced.
    let grinder = line(&q, "0600000001");
    assert_eq!(grinder["status"], "price_on_request");
    assert_eq!(grinder["line_total"], Value::Null);
    assert_eq!(q["subtotal"], "536.87");
    assert_eq!(q["tax_rate"], "0.09");
    assert_eq!(q["tax"], "48.32");
    assert_eq!(q["total"], "585.19");
    assert_eq!(q["currency"], "SGD");
}
