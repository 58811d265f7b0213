//! Texts from `templates/`: quotation terms and reply texts, with `{placeholders}` filled in.

use std::path::Path;

use crate::config::Settings;

/// The terms printed on quotations (`templates/quotation_terms.txt`).
pub fn quotation_terms(settings: &Settings) -> String {
    let pct = (settings.pricing.tax_rate * rust_decimal::Decimal::ONE_HUNDRED).normalize();
    let vars = [
        ("validity_days", settings.pricing.validity_days.to_string()),
        ("currency", settings.pricing.currency.clone()),
        ("tax_label", settings.pricing.tax_label.clone()),
        ("tax_rate_pct", pct.to_string()),
        ("company", settings.company.name.clone()),
    ];
    load(&settings.company.templates_dir, "quotation_terms.txt", &vars)
}

/// Reads a template and fills its placeholders; a missing template is logged and empty.
pub fn load(dir: &Path, name: &str, vars: &[(&str, String)]) -> String {
    match std::fs::read_to_string(dir.join(name)) {
        Ok(text) => fill(&text, vars),
        Err(e) => {
            tracing::warn!(template = %dir.join(name).display(), error = %e, "template missing");
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
}
