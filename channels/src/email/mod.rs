//! The mail channel: MIME parsing, the IMAP poller and the SMTP sender.

pub mod forward;
pub mod imap;
pub mod mime;
pub mod smtp;
pub(crate) mod tls;

pub use forward::Forwarded;
pub use mime::{MimeError, ParsedMail, parse};

use serde::{Deserialize, Serialize};

/// How a mail connection is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Security {
    /// TLS from the first byte (IMAP 993, SMTP 465).
    Tls,
    /// Plain connect, then `STARTTLS` before anything else (IMAP 143, SMTP 587).
    Starttls,
    /// No encryption at all: refused unless the server is on the loopback interface.
    Plain,
}

/// Whether `host` names this machine (plain text connections are allowed only there).
pub fn is_loopback(host: &str) -> bool {
    let h = host.trim().trim_start_matches('[').trim_end_matches(']');
    if h.eq_ignore_ascii_case("localhost") {
        return true;
    }
    h.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_loopback_counts_as_local() {
        for h in ["127.0.0.1", "localhost", "::1", "[::1]", "127.1.2.3"] {
            assert!(is_loopback(h), "{h}");
        }
        for h in ["10.0.0.1", "imap.gmail.com", "192.168.1.1", ""] {
            assert!(!is_loopback(h), "{h}");
        }
    }
}
