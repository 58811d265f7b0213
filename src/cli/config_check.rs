//! `horme config check`: the effective configuration (secrets redacted), its warnings, and a
//! login to every configured service, as a table; a failed login makes the command fail.

use crate::config::Settings;

pub async fn run(settings: Settings) -> anyhow::Result<()> {
    println!("{}", settings.redacted_toml());
    let mut warnings = settings.safety_warnings();
    if settings.http.api_tokens.is_empty() {
        warnings.push("http.api_tokens is empty: the upload API refuses every request".into());
    }
    if settings.company.name.is_empty() {
        warnings.push("company.name is empty: quotations carry no company block".into());
    }
    for w in &warnings {
        println!("# warning: {w}");
    }
    match settings
        .company
        .templates_dir
        .as_deref()
        .filter(|d| !d.as_os_str().is_empty())
    {
        // complete: checked when the configuration was loaded
        Some(dir) => println!(
            "# templates: {} (all {} texts present)",
            dir.display(),
            crate::templates::BUILT_IN.len()
        ),
        None => println!("# templates: built in ({} texts)", crate::templates::BUILT_IN.len()),
    }
    if let Some(path) = &settings.company.logo {
        let img = crate::quotations::document::logo(path)?;
        println!("# logo: {} ({}×{} px)", path.display(), img.width, img.height);
    }
    let rows = super::logins::check_all(&settings).await;
    println!();
    print!("{}", super::logins::table(&rows));
    if let Ok(pool) = crate::db::connect(&settings.database).await {
        let applied = crate::db::MIGRATOR.iter().count();
        let done: i64 = sqlx::query_scalar("select count(*) from _sqlx_migrations where success")
            .fetch_one(&pool)
            .await
            .unwrap_or(0);
        println!("# migrations: {done} of {applied} applied");
    }
    let failed: Vec<&str> = rows
        .iter()
        .filter(|r| r.result.is_err())
        .map(|r| r.feature.as_str())
        .collect();
    if !failed.is_empty() {
        anyhow::bail!(
            "{} of {} logins failed: {}",
            failed.len(),
            rows.len(),
            failed.join(", ")
        );
    }
    Ok(())
}
