//! Quotation states (DESIGN §5) and the transitions between them.
//!
//! `draft → pending_approval → approved → sent → accepted | rejected | expired`; a draft may
//! be approved at once by the auto-approval policy, or fail; a quotation waiting for approval
//! may be replaced by a revision (`revised`, approved with changes); open ones expire.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Draft,
    PendingApproval,
    Approved,
    Sent,
    Accepted,
    Rejected,
    Expired,
    Failed,
    Revised,
}

impl Status {
    pub const ALL: [Status; 9] = [
        Self::Draft,
        Self::PendingApproval,
        Self::Approved,
        Self::Sent,
        Self::Accepted,
        Self::Rejected,
        Self::Expired,
        Self::Failed,
        Self::Revised,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::PendingApproval => "pending_approval",
            Self::Approved => "approved",
            Self::Sent => "sent",
            Self::Accepted => "accepted",
            Self::Rejected => "rejected",
            Self::Expired => "expired",
            Self::Failed => "failed",
            Self::Revised => "revised",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// Whether the lifecycle allows `self → to` at all (who may do it is checked elsewhere).
    pub fn can_become(self, to: Status) -> bool {
        use Status::*;
        matches!(
            (self, to),
            (Draft, PendingApproval | Approved | Failed)
                | (PendingApproval, Approved | Rejected | Expired | Revised)
                | (Approved, Sent | Expired)
                | (Sent, Accepted | Rejected | Expired)
        )
    }

    /// No further transition is possible.
    pub fn is_final(self) -> bool {
        Status::ALL.iter().all(|to| !self.can_become(*to))
    }
}

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for s in Status::ALL {
            assert_eq!(Status::parse(s.as_str()), Some(s));
        }
        assert_eq!(Status::parse("done"), None);
    }

    #[test]
    fn the_happy_path_is_allowed_and_shortcuts_are_not() {
        use Status::*;
        let path = [Draft, PendingApproval, Approved, Sent, Accepted];
        for w in path.windows(2) {
            assert!(w[0].can_become(w[1]), "{} → {}", w[0], w[1]);
        }
        assert!(!Draft.can_become(Sent));
        assert!(!PendingApproval.can_become(Sent));
        assert!(!PendingApproval.can_become(Accepted), "accept before send");
        assert!(!Approved.can_become(Accepted));
        assert!(!Approved.can_become(Rejected));
        for s in [Accepted, Rejected, Expired, Failed, Revised] {
            assert!(s.is_final(), "{s} is final");
        }
        assert!(!Sent.is_final());
    }
}
