//! Domain newtypes: each one parses and validates once, so the rest of the code can trust it.

mod email;
mod money;
mod quantity;
mod quote_number;
mod sku;

pub use email::EmailAddress;
pub use money::{Money, format_amount, round_half_up};
pub use quantity::Quantity;
pub use quote_number::QuoteNumber;
pub use sku::Sku;

/// A value that failed to parse, with the reason in words a user understands.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{what} {value:?}: {reason}")]
pub struct ParseError {
    pub what: &'static str,
    pub value: String,
    pub reason: &'static str,
}

impl ParseError {
    pub(crate) fn new(what: &'static str, value: &str, reason: &'static str) -> Self {
        Self {
            what,
            value: value.chars().take(80).collect(),
            reason,
        }
    }
}
