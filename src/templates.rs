//! Texts of the service: quotation terms and reply texts, with `{placeholders}` filled in.
//! Every text under `templates/` is compiled into the binary (`build.rs`), so the service
//! answers with the same words wherever it is started from. `company.templates_dir` may name
//! a directory that overrides them; it must hold every file of the built-in set (checked at
//! start-up), so that no reply ever goes out empty.

use std::path::{Path, PathBuf};

use crate::config::Settings;

include!(concat!(env!("OUT_DIR"), "/templates.rs"));

#[derive(Debug, thiserror::Error)]
pub enum TemplateError {
    #[error("company.templates_dir {dir}: {source}")]
    Unreadable { dir: PathBuf, source: std::io::Error },
    #[error(
        "company.templates_dir {dir} is incomplete: it lacks {missing}. Write the built-in set \
         with `horme templates export {dir}` and edit it, or unset templates_dir to use the built-in texts"
    )]
    Incomplete { dir: PathBuf, missing: String },
}

/// The built-in text of template `name` (a path under `templates/`, e.g. `replies/ack.txt`).
pub fn built_in(name: &str) -> Option<&'static str> {
    BUILT_IN.iter().find(|(n, _)| *n == name).map(|(_, text)| *text)
}

/// The override directory, when one is configured.
fn override_dir(settings: &Settings) -> Option<&Path> {
    settings
        .company
        .templates_dir
        .as_deref()
        .filter(|d| !d.as_os_str().is_empty())
}

/// Checks that an override directory holds every built-in template (none configured: fine).
pub fn check(settings: &Settings) -> Result<(), TemplateError> {
    let Some(dir) = override_dir(settings) else {
        return Ok(());
    };
    if let Err(source) = std::fs::read_dir(dir) {
        return Err(TemplateError::Unreadable {
            dir: dir.to_path_buf(),
            source,
        });
    }
    let missing: Vec<&str> = BUILT_IN
        .iter()
        .map(|(name, _)| *name)
        .filter(|name| !dir.join(name).is_file())
        .collect();
    if missing.is_empty() {
        Ok(())
    } else {
        Err(TemplateError::Incomplete {
            dir: dir.to_path_buf(),
            missing: missing.join(", "),
        })
    }
}

/// Writes the built-in set into `dir` (for editing, then naming it in `templates_dir`);
/// existing files are kept unless `overwrite`. Returns the files written.
pub fn export(dir: &Path, overwrite: bool) -> std::io::Result<Vec<PathBuf>> {
    let mut written = Vec::new();
    for (name, text) in BUILT_IN {
        let path = dir.join(name);
        if path.exists() && !overwrite {
            continue;
        }
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(&path, text)?;
        written.push(path);
    }
    Ok(written)
}

/// The terms printed on quotations (`quotation_terms.txt`).
pub fn quotation_terms(settings: &Settings) -> String {
    let pct = (settings.pricing.tax_rate * rust_decimal::Decimal::ONE_HUNDRED).normalize();
    let vars = [
        ("validity_days", settings.pricing.validity_days.to_string()),
        ("currency", settings.pricing.currency.clone()),
        ("tax_label", settings.pricing.tax_label.clone()),
        ("tax_rate_pct", pct.to_string()),
        ("company", settings.company.name.clone()),
    ];
    render(settings, "quotation_terms.txt", &vars)
}

/// Template `name` (a path under `templates/`) with its placeholders filled: from the
/// override directory when one is configured (checked complete at start-up), else built in.
pub fn render(settings: &Settings, name: &str, vars: &[(&str, String)]) -> String {
    let text = match override_dir(settings) {
        Some(dir) => match std::fs::read_to_string(dir.join(name)) {
            Ok(text) => Some(text),
            Err(e) => {
                // checked at start-up: removed since. The built-in text rather than nothing.
                tracing::error!(template = %dir.join(name).display(), error = %e, "template unreadable; using the built-in text");
                built_in(name).map(str::to_string)
            }
        },
        None => built_in(name).map(str::to_string),
    };
    match text {
        Some(text) => fill(&text, vars),
        None => {
            tracing::error!(template = name, "no such template");
            String::new()
        }
    }
}

pub fn fill(text: &str, vars: &[(&str, String)]) -> String {
    let mut out = text.to_string();
    for (k, v) in vars {
        out = out.replace(&format!("{{{k}}}"), v);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fills_placeholders() {
        assert_eq!(
            fill("Valid {validity_days} days, {x}", &[("validity_days", "30".into())]),
            "Valid 30 days, {x}"
        );
    }

    #[test]
    fn every_reply_text_is_built_in_and_not_empty() {
        for name in [
            "quotation_terms.txt",
            "replies/ack.txt",
            "replies/quotation.txt",
            "replies/approval_request.txt",
            "replies/telegram/ack.txt",
            "replies/slack/ack.txt",
            "replies/discord/ack.md",
        ] {
            let text = built_in(name).unwrap_or_else(|| panic!("{name} is not built in"));
            assert!(!text.trim().is_empty(), "{name} is empty");
        }
        assert!(
            BUILT_IN
                .iter()
                .all(|(n, _)| !n.contains('\\') && (n.ends_with(".txt") || n.ends_with(".md")))
        );
        assert!(built_in("replies/README.md").is_none(), "documentation is no template");
    }

    #[test]
    fn an_incomplete_override_is_refused_and_a_complete_one_is_used() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut settings = Settings::builtin().expect("defaults");
        settings.company.templates_dir = Some(dir.path().to_path_buf());
        std::fs::create_dir_all(dir.path().join("replies")).expect("mkdir");
        std::fs::write(dir.path().join("replies/ack.txt"), "Got it, {name}.").expect("write");
        let err = check(&settings).expect_err("incomplete");
        assert!(err.to_string().contains("quotation_terms.txt"), "{err}");
        assert!(!err.to_string().contains("replies/ack.txt"), "{err}");

        let written = export(dir.path(), false).expect("export");
        assert_eq!(written.len(), BUILT_IN.len() - 1, "the edited file is kept");
        check(&settings).expect("complete");
        assert_eq!(
            render(&settings, "replies/ack.txt", &[("name", "Ann".into())]),
            "Got it, Ann."
        );

        settings.company.templates_dir = Some(dir.path().join("nowhere"));
        assert!(matches!(check(&settings), Err(TemplateError::Unreadable { .. })));
    }
}
