//! Texts of the service: quotation terms and reply texts, with `{placeholders}` filled in.
//! Every text under `templates/` is compiled into the binary (`build.rs`), so the service
//! answers with the same words wherever it is started from. `company.templates_dir` may name
//! a directory that overrides them; it must hold every file of the built-in set (checked at
//! start-up), so that no reply ever goes out empty.
//!
//! `company.locale` picks the language: a text under `locales/<locale>/` (same path, e.g.
//! `locales/de/replies/ack.txt`) replaces the English one of that name, from the same source
//! (the override directory when one is set, else the binary); a text the locale lacks stays
//! English. "en" is the base set itself.

use std::path::{Path, PathBuf};

use crate::config::Settings;

include!(concat!(env!("OUT_DIR"), "/templates.rs"));

#[derive(Debug, thiserror::Error)]
pub enum TemplateError {
    #[error("company.templates_dir {dir}: {source}")]
    Unreadable { dir: PathBuf, source: std::io::Error },
    #[error("company.locale {0:?} is not a language tag such as \"en\", \"de\" or \"pt-br\"")]
    BadLocale(String),
    #[error(
        "company.locale {locale:?} has no texts: none under {where_} (the English texts would be used \
         for everything); add them, or set company.locale = \"en\""
    )]
    UnknownLocale { locale: String, where_: String },
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

/// Where a locale's texts live, beside the English ones.
const LOCALES: &str = "locales";

/// The base (English) set: every built-in text that is no locale's.
fn base_set() -> impl Iterator<Item = &'static str> {
    BUILT_IN
        .iter()
        .map(|(name, _)| *name)
        .filter(|name| !name.starts_with(&format!("{LOCALES}/")))
}

/// The configured locale, when it is not the base set's ("en").
fn locale(settings: &Settings) -> Option<&str> {
    let l = settings.company.locale.trim();
    (!l.is_empty() && !l.eq_ignore_ascii_case("en")).then_some(l)
}

/// A language tag as used for a directory name: `de`, `zh-hans`, `pt-br` (lowercase ASCII).
fn is_locale_tag(l: &str) -> bool {
    let mut parts = l.split('-');
    let lang = parts.next().unwrap_or_default();
    (2..=3).contains(&lang.len())
        && lang.chars().all(|c| c.is_ascii_lowercase())
        && parts.all(|p| (2..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit()))
}

/// The paths to look `name` up under, the locale's first.
fn candidates(settings: &Settings, name: &str) -> Vec<String> {
    match locale(settings) {
        Some(l) => vec![format!("{LOCALES}/{l}/{name}"), name.to_string()],
        None => vec![name.to_string()],
    }
}

/// The override directory, when one is configured.
fn override_dir(settings: &Settings) -> Option<&Path> {
    settings
        .company
        .templates_dir
        .as_deref()
        .filter(|d| !d.as_os_str().is_empty())
}

/// Checks the locale (a tag with texts of its own) and that an override directory holds every
/// built-in template of the base set (none configured: fine).
pub fn check(settings: &Settings) -> Result<(), TemplateError> {
    check_locale(settings)?;
    let Some(dir) = override_dir(settings) else {
        return Ok(());
    };
    if let Err(source) = std::fs::read_dir(dir) {
        return Err(TemplateError::Unreadable {
            dir: dir.to_path_buf(),
            source,
        });
    }
    let missing: Vec<&str> = base_set().filter(|name| !dir.join(name).is_file()).collect();
    if missing.is_empty() {
        Ok(())
    } else {
        Err(TemplateError::Incomplete {
            dir: dir.to_path_buf(),
            missing: missing.join(", "),
        })
    }
}

/// A locale other than "en" must be a tag and have texts in the source the texts come from: a
/// misspelt locale would otherwise answer in English without a word.
fn check_locale(settings: &Settings) -> Result<(), TemplateError> {
    let Some(l) = locale(settings) else {
        return Ok(());
    };
    if !is_locale_tag(l) {
        return Err(TemplateError::BadLocale(l.to_string()));
    }
    let prefix = format!("{LOCALES}/{l}/");
    let (found, where_) = match override_dir(settings) {
        Some(dir) => (dir.join(&prefix).is_dir(), dir.join(&prefix).display().to_string()),
        None => (
            BUILT_IN.iter().any(|(n, _)| n.starts_with(&prefix)),
            format!("templates/{prefix} (built in)"),
        ),
    };
    if found {
        Ok(())
    } else {
        Err(TemplateError::UnknownLocale {
            locale: l.to_string(),
            where_,
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
/// override directory when one is configured (checked complete at start-up), else built in;
/// the locale's text when it has one, else the English one.
pub fn render(settings: &Settings, name: &str, vars: &[(&str, String)]) -> String {
    let paths = candidates(settings, name);
    let text = match override_dir(settings) {
        Some(dir) => match paths.iter().map(|p| dir.join(p)).find(|p| p.is_file()) {
            Some(path) => match std::fs::read_to_string(&path) {
                Ok(text) => Some(text),
                Err(e) => {
                    tracing::error!(template = %path.display(), error = %e, "template unreadable; using the built-in text");
                    paths.iter().find_map(|p| built_in(p)).map(str::to_string)
                }
            },
            None => {
                // checked at start-up: removed since. The built-in text rather than nothing.
                tracing::error!(template = %dir.join(name).display(), "template missing; using the built-in text");
                paths.iter().find_map(|p| built_in(p)).map(str::to_string)
            }
        },
        None => paths.iter().find_map(|p| built_in(p)).map(str::to_string),
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

    #[test]
    fn a_locale_is_looked_up_first_and_english_is_the_fallback() {
        let mut settings = Settings::builtin().expect("defaults");
        assert_eq!(settings.company.locale, "en", "the default");
        assert_eq!(candidates(&settings, "replies/ack.txt"), ["replies/ack.txt"]);
        settings.company.locale = "de".into();
        assert_eq!(
            candidates(&settings, "replies/ack.txt"),
            ["locales/de/replies/ack.txt", "replies/ack.txt"]
        );

        let dir = tempfile::tempdir().expect("tempdir");
        export(dir.path(), false).expect("export");
        settings.company.templates_dir = Some(dir.path().to_path_buf());
        let err = check(&settings).expect_err("no German texts yet");
        assert!(matches!(err, TemplateError::UnknownLocale { .. }), "{err}");
        let german = dir.path().join("locales/de/replies");
        std::fs::create_dir_all(&german).expect("mkdir");
        std::fs::write(german.join("ack.txt"), "Danke, {name}. Ihre Referenz: {reference}").expect("write");
        check(&settings).expect("a locale with a text of its own");
        let vars = [("name", "Ann".to_string()), ("reference", "RFP-1".to_string())];
        assert_eq!(
            render(&settings, "replies/ack.txt", &vars),
            "Danke, Ann. Ihre Referenz: RFP-1"
        );
        let english = render(&settings, "replies/no_items.txt", &vars);
        assert_eq!(
            english,
            fill(built_in("replies/no_items.txt").expect("built in"), &vars)
        );

        settings.company.locale = "EN".into();
        assert!(
            render(&settings, "replies/ack.txt", &vars).starts_with("Dear Ann,"),
            "English is the base"
        );
    }

    #[test]
    fn a_misspelt_or_unknown_locale_is_refused() {
        let mut settings = Settings::builtin().expect("defaults");
        for bad in ["de_DE", "German", "d", "de-"] {
            settings.company.locale = bad.into();
            assert!(matches!(check(&settings), Err(TemplateError::BadLocale(_))), "{bad}");
        }
        settings.company.locale = "xx".into();
        let err = check(&settings).expect_err("no built-in texts for xx");
        assert!(err.to_string().contains("templates/locales/xx/"), "{err}");
    }
}
