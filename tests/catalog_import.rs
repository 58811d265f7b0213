//! `catalog import`: what is imported, updated and rejected, and why.

mod common;

use rust_decimal::Decimal;
use sqlx::PgPool;

#[sqlx::test]
async fn import_reports_duplicates_missing_prices_and_bad_rows(pool: PgPool) {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("products.csv");
    std::fs::write(
        &file,
        "SKU ,Product Name,Brand,Category,Unit,Price,Currency\n\
         0100000079,CUT OFF WHEEL 14in,NO BRAND,Abrasives,pc,5.0000,SGD\n\
         0100000079,CUT OFF WHEEL again,NO BRAND,Abrasives,pc,6.00,SGD\n\
         0200000001,SAFETY SHOE SIZE:08,KING'S,Safety Products,pr,,SGD\n\
         ,NAMELESS SKU,,,pc,1,SGD\n\
         0300000001,,,Castors,pc,1,SGD\n\
         0400000001,GLUE,,Chemicals,pc,abc,SGD\n\
         0400000002,GLUE NEG,,Chemicals,pc,-3,SGD\n\
         0400000003,GLUE EURO,,Chemicals,pc,3,EURO\n\
         0500000001,MOP POA,,Cleaning,pc,POA,SGD\n",
    )
    .expect("write");
    let report = horme::catalog::import_files(&pool, Some(&file), None, "SGD", |_, _| {})
        .await
        .expect("import");
    assert_eq!(report.rows_read, 9);
    assert_eq!(report.imported, 3);
    assert_eq!(report.without_price, 2, "an empty price and POA are price on request");
    let reasons: Vec<(usize, String)> = report.rejected.iter().map(|r| (r.row, r.reason.clone())).collect();
    assert_eq!(reasons.len(), 6, "{reasons:?}");
    assert!(
        reasons.contains(&(3, "duplicate SKU (first on row 2)".into())),
        "{reasons:?}"
    );
    assert!(reasons.iter().any(|(row, r)| *row == 5 && r.contains("missing SKU")));
    assert!(reasons.iter().any(|(row, r)| *row == 6 && r.contains("missing name")));
    assert!(reasons.iter().any(|(row, r)| *row == 7 && r.contains("not a number")));
    assert!(reasons.iter().any(|(row, r)| *row == 8 && r.contains("negative")));
    assert!(reasons.iter().any(|(row, r)| *row == 9 && r.contains("ISO 4217")));

    // Leading zeros kept; a missing price is NULL (price on request), never zero.
    let rows: Vec<(String, Option<Decimal>)> = sqlx::query_as("select sku, price from products order by sku")
        .fetch_all(&pool)
        .await
        .expect("rows");
    assert_eq!(
        rows,
        vec![
            ("0100000079".to_string(), Some(Decimal::new(50000, 4))),
            ("0200000001".to_string(), None),
            ("0500000001".to_string(), None),
        ]
    );

    // Importing again updates nothing; a changed price is an update.
    let again = horme::catalog::import_files(&pool, Some(&file), None, "SGD", |_, _| {})
        .await
        .expect("reimport");
    assert_eq!((again.imported, again.updated, again.unchanged), (0, 0, 3));
    std::fs::write(
        &file,
        "sku,name,price\n0100000079,CUT OFF WHEEL 14in,5.5\n0600000001,NEW ITEM,1\n",
    )
    .expect("write");
    let changed = horme::catalog::import_files(&pool, Some(&file), None, "SGD", |_, _| {})
        .await
        .expect("update");
    assert_eq!((changed.imported, changed.updated), (1, 1));
}

#[sqlx::test]
async fn tiers_are_validated_and_upserted(pool: PgPool) {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("tiers.csv");
    std::fs::write(
        &file,
        "scope,min_qty,discount_pct\n*,10,2\nAbrasives,100,12\n*,x,5\n*,5,150\n,5,1\n",
    )
    .expect("write");
    let report = horme::catalog::import_files(&pool, None, Some(&file), "SGD", |_, _| {})
        .await
        .expect("import");
    assert_eq!(report.tiers_imported, 2);
    assert_eq!(report.tiers_rejected.len(), 3, "{:?}", report.tiers_rejected);
}

#[sqlx::test]
async fn a_file_without_the_required_columns_is_refused_with_what_was_found(pool: PgPool) {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("products.csv");
    std::fs::write(&file, "item,qty\n1,x\n").expect("write");
    let err = horme::catalog::import_files(&pool, Some(&file), None, "SGD", |_, _| {})
        .await
        .expect_err("refused");
    let msg = err.to_string();
    assert!(msg.contains("no header row") && msg.contains("item, qty"), "{msg}");
}

#[sqlx::test]
async fn the_demo_catalog_imports_whole(pool: PgPool) {
    let app = common::app(pool.clone()).await;
    common::import_demo_catalog(&app).await;
    let (n, priced): (i64, i64) = sqlx::query_as("select count(*), count(price) from products")
        .fetch_one(&pool)
        .await
        .expect("counts");
    assert_eq!(n, 20_790);
    assert_eq!(priced, 20_790 - 17_053);
}
