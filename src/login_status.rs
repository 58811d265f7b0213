//! Which channel logins work right now, as the channels' own connections found them (an IMAP
//! mailbox's last login): `/readyz` is not ready while one fails, and a login that succeeds
//! after none or after a failure is logged once at INFO.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

/// Shared by every task of the process (cheap to clone).
#[derive(Clone, Default)]
pub struct LoginStatus {
    /// Per login ("mailbox sales"): None when the last attempt worked, else why it failed.
    state: Arc<Mutex<BTreeMap<String, Option<String>>>>,
}

impl LoginStatus {
    /// Records the outcome of a login; logs a success once per recovery.
    pub fn record(&self, what: &str, result: Result<(), String>) {
        let Ok(mut state) = self.state.lock() else {
            return;
        };
        let before = state.insert(what.to_string(), result.clone().err());
        match result {
            Ok(()) if before != Some(None) => tracing::info!(login = what, "logged in"),
            Ok(()) => {}
            Err(e) if before != Some(Some(e.clone())) => tracing::warn!(login = what, error = %e, "login failed"),
            Err(_) => {}
        }
    }

    /// Every login tried so far: None when it worked, else why not.
    pub fn all(&self) -> Vec<(String, Option<String>)> {
        self.state
            .lock()
            .map(|s| s.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
            .unwrap_or_default()
    }

    /// The failing logins and why, in name order.
    pub fn failing(&self) -> Vec<(String, String)> {
        self.state
            .lock()
            .map(|s| {
                s.iter()
                    .filter_map(|(k, v)| v.as_ref().map(|why| (k.clone(), why.clone())))
                    .collect()
            })
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failure_is_listed_until_the_next_success() {
        let l = LoginStatus::default();
        assert!(l.failing().is_empty());
        l.record("mailbox sales", Err("authentication failed".into()));
        assert_eq!(
            l.failing(),
            vec![("mailbox sales".to_string(), "authentication failed".to_string())]
        );
        l.record("mailbox sales", Ok(()));
        assert!(l.failing().is_empty());
    }
}
