//! Errors at the protocol edge, classified by what the caller should do next.

use std::time::Duration;

/// What went wrong talking to a channel, and whether trying again can help.
#[derive(Debug, thiserror::Error)]
pub enum ChannelError {
    /// A network hiccup, a 5xx, a dropped connection: retry with backoff.
    #[error("transient channel error: {0}")]
    Transient(String),
    /// The platform asked us to slow down; retry after the given delay.
    #[error("rate limited by the channel, retry after {retry_after:?}")]
    RateLimited { retry_after: Duration },
    /// The request can never succeed as it is (bad address, message too large, forbidden).
    #[error("permanent channel error: {0}")]
    Permanent(String),
    /// The server refused our credentials (a wrong or revoked password): only a change of
    /// configuration helps, and quick retries can get the account locked, so retry rarely.
    #[error("credentials refused: {0}")]
    Unauthorized(String),
}

impl ChannelError {
    /// Whether a later attempt of the same operation may succeed.
    pub fn is_retryable(&self) -> bool {
        !matches!(self, Self::Permanent(_))
    }

    /// The delay the platform asked for, if any.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Self::RateLimited { retry_after } => Some(*retry_after),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_permanent_errors_are_final() {
        assert!(ChannelError::Transient("reset".into()).is_retryable());
        assert!(
            ChannelError::RateLimited {
                retry_after: Duration::from_secs(3)
            }
            .is_retryable()
        );
        assert!(!ChannelError::Permanent("550 no such user".into()).is_retryable());
        assert!(
            ChannelError::Unauthorized("[AUTHENTICATIONFAILED]".into()).is_retryable(),
            "the password may be fixed meanwhile"
        );
    }

    #[test]
    fn rate_limit_carries_its_delay() {
        let e = ChannelError::RateLimited {
            retry_after: Duration::from_secs(7),
        };
        assert_eq!(e.retry_after(), Some(Duration::from_secs(7)));
        assert_eq!(ChannelError::Transient("x".into()).retry_after(), None);
    }
}
