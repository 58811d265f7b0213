//! Who is one of ours, for forwarded mail: a request a colleague forwards belongs to the
//! original sender (see [`super::forwarded`]).
//!
//! Staff are the addresses the configuration already names as ours — `mail.from_address`,
//! `mail.own_addresses`, the watched mailboxes, `mail.approvals_address`,
//! `mail.sales_address`, `company.email`, the approvers (configuration and, with
//! [`Staff::load`], the `approvers` table) — and every address at a domain listed in
//! `mail.staff_domains`. No domain is ours unless it is listed: a company that sends from a
//! public mail provider must not make every customer there a colleague.

use crate::config::Settings;
use crate::startup::App;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Staff {
    /// Lowercase addresses.
    addresses: Vec<String>,
    /// Lowercase domains, without a leading `@` or dot.
    domains: Vec<String>,
}

impl Staff {
    /// Staff as the configuration names them (the `approvers` table is not read).
    pub fn from_settings(s: &Settings) -> Self {
        let m = &s.mail;
        let mut staff = Self::default();
        let configured = [
            &m.from_address,
            &m.approvals_address,
            &m.sales_address,
            &s.company.email,
        ]
        .into_iter()
        .chain(&m.own_addresses)
        .chain(&s.approval.approvers)
        .chain(m.mailboxes.values().map(|b| &b.username));
        for a in configured {
            staff.add_address(a);
        }
        for d in &m.staff_domains {
            let d = d.trim().trim_start_matches(['@', '.']).to_ascii_lowercase();
            if !d.is_empty() && !staff.domains.contains(&d) {
                staff.domains.push(d);
            }
        }
        staff
    }

    /// Staff as configured plus the approvers added with `horme approvers add`.
    pub async fn load(app: &App) -> Result<Self, sqlx::Error> {
        let mut staff = Self::from_settings(&app.settings);
        let table = sqlx::query_scalar!("select identity from approvers where identity like '%@%'")
            .fetch_all(&app.pool)
            .await?;
        for a in &table {
            staff.add_address(a);
        }
        Ok(staff)
    }

    fn add_address(&mut self, a: &str) {
        let a = a.trim().to_ascii_lowercase();
        if a.contains('@') && !self.addresses.contains(&a) {
            self.addresses.push(a);
        }
    }

    /// Whether `address` is one of ours.
    pub fn contains(&self, address: &str) -> bool {
        let a = address.trim().to_ascii_lowercase();
        let Some((_, domain)) = a.rsplit_once('@') else {
            return false;
        };
        self.addresses.contains(&a) || self.domains.iter().any(|d| d == domain)
    }

    /// The domains whose addresses are never the customer's: `mail.staff_domains` and the
    /// domain of `company.email`.
    pub fn own_domains(&self, settings: &Settings) -> Vec<String> {
        let mut out = self.domains.clone();
        if let Some((_, d)) = settings.company.email.trim().rsplit_once('@') {
            let d = d.to_ascii_lowercase();
            if !out.contains(&d) {
                out.push(d);
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings() -> Settings {
        let mut s = Settings::builtin().expect("built-in settings");
        s.mail.from_address = "sales@horme.example".into();
        s.mail.staff_domains = vec!["@Horme-Group.example".into()];
        s.approval.approvers = vec!["lead@partner.example".into(), "telegram:42".into()];
        s
    }

    #[test]
    fn configured_addresses_and_domains_are_staff() {
        let staff = Staff::from_settings(&settings());
        assert!(staff.contains("Sales@Horme.example"));
        assert!(staff.contains("lead@partner.example"));
        assert!(staff.contains("john.lim@horme-group.example"));
        // only listed domains: a colleague of the from_address is not implied
        assert!(!staff.contains("other@horme.example"));
        assert!(!staff.contains("buyer@acme.example"));
        assert!(!staff.contains("telegram:42"));
        assert!(!staff.contains(""));
    }

    #[test]
    fn own_domains_add_the_company_address() {
        let mut s = settings();
        s.company.email = "info@horme.example".into();
        let staff = Staff::from_settings(&s);
        assert_eq!(staff.own_domains(&s), vec!["horme-group.example", "horme.example"]);
    }
}
