//! Matching requested lines against the real Horme catalog (the bundled demo catalog) in a
//! throwaway PostgreSQL database, through the production path: the in-process index built
//! from the database, products and prices read back from it.

mod common;

use horme::catalog::search;
use horme::catalog::synonyms;
use horme::jobs::match_lines;
use horme::pipeline::matching::{LineMatch, MatchStatus};
use horme::startup::App;
use sqlx::PgPool;

async fn matched(app: &App, description: &str) -> LineMatch {
    let index = app.catalog_index().await.expect("index");
    search::match_description(&app.pool, &index, description, &app.match_policy())
        .await
        .expect("match")
}

async fn best_sku(app: &App, description: &str) -> Option<String> {
    matched(app, description).await.best.map(|b| b.product.sku)
}

async fn demo(pool: PgPool) -> App {
    let app = common::app(pool).await;
    common::import_demo_catalog(&app).await;
    app
}

/// Sizes and units written in any of the ways buyers write them reach the same product.
#[sqlx::test]
async fn sizes_and_units_are_normalised(pool: PgPool) {
    let app = demo(pool).await;
    for text in [
        "Weiconlock AN 302-25 200ml (Weicon or equivalent)",
        "WEICONLOCK AN 302-25, 200 ML",
        "weicon weiconlock an 302-25 200 mL pipe sealing",
    ] {
        assert_eq!(best_sku(&app, text).await.as_deref(), Some("0425130225200"), "{text}");
    }
    for text in [
        "cut off wheel 100 x 1.2 x 16",
        "Cut-off wheel 100*1.2*16",
        "CUT OFF WHEEL 100X1.2X16 green",
    ] {
        let m = matched(&app, text).await;
        let name = m.best.expect(text).product.name;
        assert!(name.contains("100*1.2*16"), "{text} → {name}");
    }
}

/// Model and part numbers find their product even inside other words.
#[sqlx::test]
async fn part_numbers_match(pool: PgPool) {
    let app = demo(pool).await;
    assert_eq!(
        best_sku(&app, "CKD filter regulator W3000-10").await.as_deref(),
        Some("021410603")
    );
    assert_eq!(
        best_sku(&app, "Impact wrench 3/4\" drive, King Tony 33681-100")
            .await
            .as_deref(),
        Some("0284033681")
    );
}

/// Near-variants are never confused: the size, volume, grit or shoe size the buyer wrote
/// decides, however it is written.
#[sqlx::test]
async fn near_variants_are_never_confused(pool: PgPool) {
    let app = demo(pool).await;
    let cases = [
        ("cut off wheel 100 x 2 x 16", "010000011"),
        ("cut off wheel 125 x 2.2 x 22", "010000013"),
        ("Weiconlock AN 302-25 50ml", "0425130225150"),
        ("Weiconlock AN 302-25 200 ml", "0425130225200"),
        ("3M Fre Cut sandpaper 215 grit 120", "01104070109"),
        ("3M Fre Cut sandpaper 215 #240", "0110407015"),
        ("Krushers safety shoe 293115 size 8", "21000K29311508"),
        ("Krushers safety shoe 293115, UK size 09", "21000K29311509"),
        ("KRUSHERS SAFETY SHOE 293115 - 09", "21000K29311509"),
    ];
    for (text, sku) in cases {
        assert_eq!(best_sku(&app, text).await.as_deref(), Some(sku), "{text}");
    }
}

/// An item the store does not sell is not forced onto some product.
#[sqlx::test]
async fn an_uncatalogued_item_is_unmatched(pool: PgPool) {
    let app = demo(pool).await;
    for text in [
        "Laptop 14 inch 16GB RAM",
        "Espresso machine, dual boiler",
        "Office chair ergonomic mesh",
    ] {
        let m = matched(&app, text).await;
        assert_eq!(m.status, MatchStatus::Unmatched, "{text}: {m:?}");
        assert!(m.best.is_none());
    }
}

/// A confident match on a product without a price is price on request; a generic request is
/// for a person to choose, with the best fitting products offered.
#[sqlx::test]
async fn price_on_request_and_generic_requests(pool: PgPool) {
    let app = demo(pool).await;
    let m = matched(&app, "Howler Cairns safety shoe 419117 size 9").await;
    assert_eq!(m.status, MatchStatus::PriceOnRequest, "{m:?}");
    assert_eq!(m.best.expect("best").product.sku, "21000H41911709");

    let m = matched(&app, "safety shoe").await;
    assert_eq!(m.status, MatchStatus::NeedsReview, "{m:?}");
    assert!(m.best.is_some());
    assert!(!m.alternatives.is_empty());
    assert!(m.alternatives.len() <= app.settings.matching.max_alternatives);
}

/// Staff teach an abbreviation; running workers pick it up without a restart because the
/// catalog version changed.
#[sqlx::test]
async fn synonyms_added_by_staff_take_effect(pool: PgPool) {
    let app = common::app(pool).await;
    common::import_demo_products(&app).await;
    let text = "metz flap disc 4 inch grit 120 blue for stainless steel";
    let before = matched(&app, text).await;
    synonyms::upsert(&app.pool, &[("s/s".into(), "stainless steel".into())])
        .await
        .expect("synonym");
    let after = matched(&app, text).await;
    let best = after.best.expect("best");
    assert_eq!(best.product.sku, "0158401015");
    // Without the synonym the request's "stainless steel" explained nothing in that name: the
    // product came with less confidence, or another came first.
    let before_confidence = before
        .best
        .filter(|b| b.product.sku == "0158401015")
        .map_or(0.0, |b| b.confidence);
    assert!(
        best.confidence > before_confidence,
        "{} <= {before_confidence}",
        best.confidence
    );
    assert_eq!(synonyms::list(&app.pool).await.expect("list").len(), 1);
    synonyms::remove(&app.pool, "S/S").await.expect("remove");
    assert!(synonyms::remove(&app.pool, "s/s").await.is_err(), "already gone");
}

/// A product deactivated after the index was built is no longer offered, and an import
/// rebuilds the index before the next match.
#[sqlx::test]
async fn catalog_changes_reach_the_index(pool: PgPool) {
    let app = demo(pool).await;
    let text = "CKD filter regulator W3000-10";
    assert_eq!(best_sku(&app, text).await.as_deref(), Some("021410603"));
    sqlx::query("update products set active = false where sku = '021410603'")
        .execute(&app.pool)
        .await
        .expect("deactivate");
    assert_ne!(best_sku(&app, text).await.as_deref(), Some("021410603"));

    common::import_catalog_csv(
        &app,
        "sku,name,brand,category,unit,price,currency\nNEW-1,ZEPHYR TELESCOPIC GANTRY WINCH 2T,ZEPHYR,Lifting,pc,999.00,SGD\n",
        None,
    )
    .await;
    let m = matched(&app, "Zephyr telescopic gantry winch 2 ton").await;
    assert_eq!(m.best.map(|b| b.product.sku).as_deref(), Some("NEW-1"));
}

/// The match step searches with the index as it was last built and reads the catalog version
/// with its products: when an import came in between, it rebuilds and searches again, so
/// neither a new product nor a changed price waits for a later request.
#[sqlx::test]
async fn the_match_step_searches_again_after_an_import(pool: PgPool) {
    let app = demo(pool).await;
    let text = ["Zephyr telescopic gantry winch 2 ton", "CKD filter regulator W3000-10"];
    let no_customer = || async { Ok(None) };
    let before = match_lines::match_descriptions(&app, no_customer(), &text)
        .await
        .expect("match");
    assert_ne!(before[0].best.as_ref().map(|b| b.product.sku.as_str()), Some("NEW-1"));
    assert_eq!(
        before[1].best.as_ref().map(|b| b.product.sku.as_str()),
        Some("021410603")
    );
    let index_before = app.last_index().await.expect("index").version();

    common::import_catalog_csv(
        &app,
        "sku,name,brand,category,unit,price,currency\nNEW-1,ZEPHYR TELESCOPIC GANTRY WINCH 2T,ZEPHYR,Lifting,pc,999.00,SGD\n",
        None,
    )
    .await;
    assert_eq!(
        app.last_index().await.expect("index").version(),
        index_before,
        "nothing rebuilt the index yet"
    );
    let after = match_lines::match_descriptions(&app, no_customer(), &text)
        .await
        .expect("match");
    let best = after[0].best.as_ref().expect("found");
    assert_eq!(best.product.sku, "NEW-1");
    assert_eq!(best.product.price, Some(rust_decimal::Decimal::new(99900, 2)));
    assert_eq!(
        after[1].best.as_ref().map(|b| b.product.sku.as_str()),
        Some("021410603")
    );
    assert!(app.last_index().await.expect("index").version() > index_before);
}

/// Exact and near-exact requests are quoted without a person: the calibrated confidence of a
/// request that names its product is above the review threshold however it is written.
#[sqlx::test]
async fn exact_and_near_exact_requests_are_matched(pool: PgPool) {
    let app = demo(pool).await;
    let cases = [
        (
            "WEICON WEICONLOCK® AN 302-25 200 ML PIPE AND THREAD SEALING",
            "0425130225200",
        ),
        ("Weiconlock AN 302-25 pipe and thread sealing 200ml", "0425130225200"),
        (
            "weicon weiconlock an 302-25 50 mls pipe & thread sealing",
            "0425130225150",
        ),
        ("CKD FILTER-REGULATOR W3000-10", "021410603"),
        ("filter regulator W3000-10 (CKD or equivalent)", "021410603"),
        (
            "King Tony super duty composite impact wrench 3/4-inch DR 33681-100",
            "0284033681",
        ),
        ("3M Fre Cut sandpaper 215 grit 120", "01104070109"),
    ];
    for (text, sku) in cases {
        let m = matched(&app, text).await;
        let best = m.best.as_ref().expect(text);
        assert_eq!(best.product.sku, sku, "{text}");
        assert_eq!(m.status, MatchStatus::Matched, "{text}: confidence {}", best.confidence);
    }
}

/// "Brand CODE" shared by two sizes does not say which one: a person chooses, and both are
/// offered.
#[sqlx::test]
async fn a_code_shared_by_two_sizes_needs_review_with_both(pool: PgPool) {
    let app = demo(pool).await;
    for text in [
        "Weicon AN 302-25",
        "WEICONLOCK AN 302-25",
        "AN 302-25 pipe and thread sealing (Weicon or equivalent)",
    ] {
        let m = matched(&app, text).await;
        assert_eq!(m.status, MatchStatus::NeedsReview, "{text}: {m:?}");
        let offered: Vec<&str> = m
            .best
            .iter()
            .chain(&m.alternatives)
            .map(|s| s.product.sku.as_str())
            .collect();
        for sku in ["0425130225200", "0425130225150"] {
            assert!(offered.contains(&sku), "{text}: {offered:?}");
        }
    }
}
