//! The approval policy: who may approve, and when a quotation needs no person at all.

use rust_decimal::Decimal;
use sqlx::PgConnection;

use crate::config::ApprovalSettings;
use crate::pipeline::matching::MatchStatus;
use crate::pipeline::quotation::Quotation;

/// Identities are compared in lowercase, without surrounding spaces.
pub fn normalize_identity(identity: &str) -> String {
    identity.trim().to_lowercase()
}

/// Whether `identity` may approve: listed in the configuration or in the `approvers` table.
pub async fn is_approver(
    conn: &mut PgConnection,
    settings: &ApprovalSettings,
    identity: &str,
) -> Result<bool, sqlx::Error> {
    let id = normalize_identity(identity);
    if id.is_empty() {
        return Ok(false);
    }
    if settings.approvers.iter().any(|a| normalize_identity(a) == id) {
        return Ok(true);
    }
    let found = sqlx::query_scalar!(r#"select true as "found!" from approvers where identity = $1"#, id)
        .fetch_optional(conn)
        .await?;
    Ok(found.is_some())
}

/// The largest extra discount `identity` may grant: their own limit in the `approvers` table,
/// else `approval.max_discount_pct`.
pub async fn max_discount_pct(
    conn: &mut PgConnection,
    settings: &ApprovalSettings,
    identity: &str,
) -> Result<Decimal, sqlx::Error> {
    let own = sqlx::query_scalar!(
        "select max_discount_pct from approvers where identity = $1",
        normalize_identity(identity)
    )
    .fetch_optional(conn)
    .await?
    .flatten();
    Ok(own.unwrap_or(settings.max_discount_pct))
}

/// Why a quotation cannot be approved automatically (None: it can).
pub fn auto_approval_blocker(settings: &ApprovalSettings, q: &Quotation) -> Option<String> {
    if !settings.auto_approve {
        return Some("automatic approval is off".into());
    }
    if q.lines.is_empty() {
        return Some("the quotation has no lines".into());
    }
    if let Some(l) = q.lines.iter().find(|l| l.status != MatchStatus::Matched) {
        return Some(format!("line {} is {}", l.line, l.status.as_str()));
    }
    let min = settings.auto_approve_min_confidence;
    if let Some(l) = q
        .lines
        .iter()
        .find(|l| l.matched.as_ref().is_none_or(|m| m.confidence < min))
    {
        return Some(format!("line {} is matched with confidence below {min}", l.line));
    }
    if q.total >= settings.auto_approve_below {
        return Some(format!(
            "the total {} {} is not below {}",
            q.currency, q.total, settings.auto_approve_below
        ));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::quotation::{ProductRef, QuoteLine};
    use crate::pipeline::requirements::Requirement;

    fn settings(on: bool) -> ApprovalSettings {
        ApprovalSettings {
            approvers: vec!["Lead@Example.com".into()],
            auto_approve: on,
            auto_approve_below: Decimal::new(1000, 0),
            auto_approve_min_confidence: 0.9,
            remind_after_hours: 24,
            max_discount_pct: Decimal::new(10, 0),
        }
    }

    fn quotation(status: MatchStatus, confidence: f64, total: i64) -> Quotation {
        Quotation {
            number: None,
            source: "x".into(),
            customer: Default::default(),
            lines: vec![QuoteLine {
                line: 1,
                requested: Requirement {
                    description: "glue".into(),
                    quantity: Decimal::ONE,
                    unit: "pcs".into(),
                },
                matched: Some(ProductRef {
                    sku: "1".into(),
                    name: "GLUE".into(),
                    confidence,
                }),
                alternatives: vec![],
                status,
                list_price: None,
                discount_pct: None,
                unit_price: None,
                line_total: None,
                lead_time_days: None,
            }],
            subtotal: Decimal::new(total, 0),
            tax_rate: Decimal::ZERO,
            tax: Decimal::ZERO,
            total: Decimal::new(total, 0),
            currency: "SGD".into(),
            date: None,
            valid_until: None,
            documents: vec![],
        }
    }

    #[test]
    fn auto_approval_needs_every_line_matched_confidently_and_a_small_total() {
        let s = settings(true);
        assert_eq!(
            auto_approval_blocker(&s, &quotation(MatchStatus::Matched, 0.95, 999)),
            None
        );
        assert!(auto_approval_blocker(&s, &quotation(MatchStatus::Matched, 0.95, 1000)).is_some());
        assert!(auto_approval_blocker(&s, &quotation(MatchStatus::Matched, 0.85, 10)).is_some());
        assert!(auto_approval_blocker(&s, &quotation(MatchStatus::NeedsReview, 0.95, 10)).is_some());
        assert!(auto_approval_blocker(&s, &quotation(MatchStatus::PriceOnRequest, 0.95, 10)).is_some());
        assert!(auto_approval_blocker(&settings(false), &quotation(MatchStatus::Matched, 1.0, 1)).is_some());
    }

    #[test]
    fn identities_compare_without_case() {
        assert_eq!(normalize_identity("  Lead@Example.COM "), "lead@example.com");
    }
}
