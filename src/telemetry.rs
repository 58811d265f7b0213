//! Tracing set-up: human-readable logs on a terminal, JSON lines in production.

use tracing_subscriber::{EnvFilter, fmt, prelude::*};

use crate::config::{LogFormat, LogSettings};

/// How much a command logs when `RUST_LOG` does not say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verbosity {
    /// Long-running services: the configured filter.
    Service,
    /// One-shot commands: errors only, since the command reports its own outcome (a failed
    /// `horme quote` prints one `error:` line, not a warning and then the same error).
    OneShot,
}

/// Installs the global subscriber. Logs go to stderr so that stdout stays machine-readable
/// (`horme quote --json` prints exactly one JSON object there).
pub fn init(settings: &LogSettings, verbosity: Verbosity) {
    let configured = match verbosity {
        Verbosity::Service => settings.filter.as_str(),
        Verbosity::OneShot => "error",
    };
    let filter = EnvFilter::try_from_default_env()
        .or_else(|_| EnvFilter::try_new(configured))
        .unwrap_or_else(|_| EnvFilter::new("info"));
    let registry = tracing_subscriber::registry().with(filter);
    let result = match settings.format {
        LogFormat::Json => registry
            .with(fmt::layer().json().with_current_span(true).with_writer(std::io::stderr))
            .try_init(),
        LogFormat::Pretty => registry
            // colours only on a terminal: a log file or the journal gets plain text
            .with(
                fmt::layer()
                    .compact()
                    .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
                    .with_writer(std::io::stderr),
            )
            .try_init(),
    };
    // A second init (tests, nested CLI calls) keeps the first subscriber.
    let _ = result;
}
