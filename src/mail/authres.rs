//! `Authentication-Results` (RFC 8601) as evidence that an approver's reply really comes from
//! the approver. Only headers added by a server we trust (by authserv-id) count; with trust
//! configured, a reply needs a passing DKIM or SPF result and no failing one.

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// No trust configured: the sender address alone decides.
    NotChecked,
    Pass,
    Fail(String),
}

/// Judges the `Authentication-Results` values of a mail (topmost first).
pub fn evaluate(headers: &[String], trusted: &[String]) -> Verdict {
    if trusted.is_empty() {
        return Verdict::NotChecked;
    }
    // The receiving server prepends its header: the first trusted one is the one that counts.
    let Some(header) = headers.iter().find(|h| {
        let id = h
            .split(';')
            .next()
            .unwrap_or("")
            .split_whitespace()
            .next()
            .unwrap_or("");
        trusted.iter().any(|t| t.eq_ignore_ascii_case(id))
    }) else {
        return Verdict::Fail("no Authentication-Results from a trusted server".into());
    };
    let result = |method: &str| -> Option<String> {
        header.split(';').skip(1).find_map(|clause| {
            let c = clause.trim().to_ascii_lowercase();
            let rest = c.strip_prefix(method)?.trim_start();
            let value = rest.strip_prefix('=')?.trim_start();
            Some(
                value
                    .split(|ch: char| ch.is_whitespace() || ch == '(')
                    .next()
                    .unwrap_or("")
                    .to_string(),
            )
        })
    };
    let (dkim, spf, dmarc) = (result("dkim"), result("spf"), result("dmarc"));
    let failing = |v: &Option<String>| {
        v.as_deref()
            .is_some_and(|r| matches!(r, "fail" | "softfail" | "permerror"))
    };
    if failing(&dkim) || failing(&spf) || failing(&dmarc) {
        return Verdict::Fail(format!(
            "dkim={} spf={} dmarc={}",
            dkim.as_deref().unwrap_or("none"),
            spf.as_deref().unwrap_or("none"),
            dmarc.as_deref().unwrap_or("none")
        ));
    }
    if dkim.as_deref() == Some("pass") || spf.as_deref() == Some("pass") {
        Verdict::Pass
    } else {
        Verdict::Fail("neither DKIM nor SPF passed".into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t() -> Vec<String> {
        vec!["mx.horme.example".into()]
    }

    #[test]
    fn trusted_pass_and_fail() {
        let pass =
            vec!["mx.horme.example; dkim=pass header.d=horme.example; spf=pass smtp.mailfrom=horme.example".into()];
        assert_eq!(evaluate(&pass, &t()), Verdict::Pass);
        let fail = vec!["mx.horme.example 1; dkim=fail (bad signature) header.d=horme.example; spf=pass".into()];
        assert!(matches!(evaluate(&fail, &t()), Verdict::Fail(_)));
        let none = vec!["mx.horme.example; dkim=none; spf=neutral".into()];
        assert!(matches!(evaluate(&none, &t()), Verdict::Fail(_)));
    }

    #[test]
    fn only_trusted_servers_count() {
        let forged = vec!["evil.example; dkim=pass; spf=pass".into()];
        assert!(matches!(evaluate(&forged, &t()), Verdict::Fail(_)));
        assert_eq!(evaluate(&forged, &[]), Verdict::NotChecked);
        let ours_first = vec![
            "mx.horme.example; spf=fail smtp.mailfrom=horme.example".into(),
            "mx.horme.example; dkim=pass; spf=pass".into(),
        ];
        assert!(matches!(evaluate(&ours_first, &t()), Verdict::Fail(_)));
    }
}
