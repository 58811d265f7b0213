//! Migrations on an empty database.

use sqlx::PgPool;

#[sqlx::test(migrations = false)]
async fn migrations_apply_to_an_empty_database_and_again_as_a_no_op(pool: PgPool) {
    horme::db::migrate(&pool).await.expect("first run");
    horme::db::migrate(&pool).await.expect("second run is a no-op");
    let tables: Vec<String> = sqlx::query_scalar(
        "select table_name::text from information_schema.tables where table_schema = 'public' order by 1",
    )
    .fetch_all(&pool)
    .await
    .expect("tables");
    for t in [
        "products",
        "price_tiers",
        "customers",
        "inbound_messages",
        "documents",
        "rfps",
        "jobs",
        "requirement_lines",
        "quotations",
        "quotation_lines",
        "quote_counters",
        "outbox",
        "audit_log",
    ] {
        assert!(tables.iter().any(|x| x == t), "table {t} missing from {tables:?}");
    }
    // SKUs are text: leading zeros survive.
    let sku_type: String = sqlx::query_scalar(
        "select data_type::text from information_schema.columns where table_name = 'products' and column_name = 'sku'",
    )
    .fetch_one(&pool)
    .await
    .expect("sku column");
    assert_eq!(sku_type, "text");
}
