//! The mail channel: MIME parsing (and, in later modules, IMAP and SMTP).

pub mod mime;

pub use mime::{ParsedMail, parse};
