//! Requests too large to quote: a million item rows, a 1-GB (sparse) text file.

use sqlx::PgPool;

use super::common;

#[sqlx::test]
async fn a_million_item_rows_get_a_polite_refusal_naming_the_limit(pool: PgPool) {
    let app = common::app(pool.clone()).await;
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("million.csv");
    // 5 bytes a row: under the 8 MiB text limit, so it is the line limit that answers.
    let mut csv = String::from("Item,Qty\n");
    for _ in 0..1_000_000 {
        csv.push_str("ab,1\n");
    }
    std::fs::write(&file, csv).expect("write");
    let started = std::time::Instant::now();
    let e = common::quote_file(&app, &file).await.expect_err("refused");
    assert!(
        e.contains("more than the 2000 we can quote in one request; please send it in parts of at most 2000 items"),
        "{e}"
    );
    assert!(!e.starts_with("no line items found"), "{e}");
    let stored: i64 = sqlx::query_scalar!(r#"select count(*) as "n!" from requirement_lines"#)
        .fetch_one(&pool)
        .await
        .expect("count");
    assert_eq!(stored, 0, "nothing of it is stored");
    eprintln!("a million rows refused in {:?}", started.elapsed());
}

#[sqlx::test]
async fn a_one_gigabyte_sparse_text_file_is_refused_before_reading(pool: PgPool) {
    let app = common::app(pool).await;
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("huge.txt");
    std::fs::File::create(&file)
        .and_then(|f| f.set_len(1 << 30))
        .expect("sparse file");
    let e = common::quote_file(&app, &file).await.expect_err("refused");
    assert!(
        e.contains("huge.txt: the file is 1073741824 bytes, more than the limit of"),
        "{e}"
    );
}

#[sqlx::test]
async fn many_lines_are_stored_in_one_go(pool: PgPool) {
    let app = common::app(pool.clone()).await;
    common::import_demo_catalog(&app).await;
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("many.csv");
    let mut csv = String::from("Item,Qty\n");
    for i in 0..1500 {
        csv.push_str(&format!("Nitrile gloves size M box {i},{}\n", i % 7 + 1));
    }
    std::fs::write(&file, csv).expect("write");
    let q = common::quote_file(&app, &file).await.expect("quoted");
    assert_eq!(q["lines"].as_array().map(Vec::len), Some(1500));
    assert_eq!(q["lines"][1499]["requested"]["quantity"], 1500 % 7);
}
