//! Tracing set-up: human-readable logs on a terminal, JSON lines in production.

use tracing_subscriber::{EnvFilter, fmt, prelude::*};

use crate::config::{LogFormat, LogSettings};

/// Installs the global subscriber. Logs go to stderr so that stdout stays machine-readable
/// (`horme quote --json` prints exactly one JSON object there).
pub fn init(settings: &LogSettings) {
    let filter = EnvFilter::try_from_default_env()
        .or_else(|_| EnvFilter::try_new(&settings.filter))
        .unwrap_or_else(|_| EnvFilter::new("info"));
    let registry = tracing_subscriber::registry().with(filter);
    let result = match settings.format {
        LogFormat::Json => registry
            .with(fmt::layer().json().with_current_span(true).with_writer(std::io::stderr))
            .try_init(),
        LogFormat::Pretty => registry
            .with(fmt::layer().compact().with_writer(std::io::stderr))
            .try_init(),
    };
    // A second init (tests, nested CLI calls) keeps the first subscriber.
    let _ = result;
}
