//! The development corpus end to end (40 RFPs in ten kinds, the real Horme catalog), scored
//! by the corpus's own `score.py` against its ground truth. A regression net: the thresholds
//! are the acceptance figures of the extraction and matching issues.

mod common;

use sqlx::PgPool;

#[sqlx::test]
async fn the_corpus_scores_at_the_acceptance_thresholds(pool: PgPool) {
    let app = common::app(pool).await;
    common::import_demo_catalog(&app).await;
    let corpus = common::fixture("corpus");
    let results = tempfile::tempdir().expect("tempdir");
    let mut files: Vec<_> = std::fs::read_dir(corpus.join("rfps"))
        .expect("rfps")
        .map(|e| e.expect("entry").path())
        .collect();
    files.sort();
    assert_eq!(files.len(), 40);
    let mut failures = Vec::new();
    for f in &files {
        let name = f.file_name().and_then(|n| n.to_str()).expect("name").to_string();
        match common::quote_file(&app, f).await {
            Ok(q) => std::fs::write(results.path().join(format!("{name}.json")), q.to_string()).expect("write"),
            Err(e) => failures.push(format!("{name}: {e}")),
        }
    }
    assert!(failures.is_empty(), "documents that failed: {failures:#?}");
    let out = std::process::Command::new("python3")
        .arg(corpus.join("score.py"))
        .arg(&corpus)
        .arg(results.path())
        .args([
            "--min-f1",
            "0.98",
            "--min-sku",
            "0.95",
            "--min-flag",
            "0.95",
            "--min-generic",
            "0.90",
        ])
        .args(["--min-price", "1.0"])
        .output()
        .expect("python3 runs score.py");
    let table = String::from_utf8_lossy(&out.stdout);
    println!("{table}");
    assert!(
        out.status.success(),
        "below the thresholds:\n{table}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(table.contains("consistent totals 1.000"), "{table}");
}
