//! One typed [`Settings`] from a TOML file plus an environment overlay.
//!
//! Sources, later ones winning: built-in defaults, the TOML file (`--config`, `HORME_CONFIG`,
//! or `./horme.toml` when present), `HORME__SECTION__KEY` variables, and `DATABASE_URL`.
//! Secrets are [`SecretString`]s: they never reach `Debug` output, logs or `config check`.

use std::path::{Path, PathBuf};

use rust_decimal::Decimal;
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize, Serializer};

/// Why the configuration could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("configuration file {0} does not exist")]
    MissingFile(PathBuf),
    #[error("invalid configuration: {0}")]
    Invalid(#[from] config::ConfigError),
    #[error("invalid configuration: {0}")]
    Rule(String),
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    pub database: DatabaseSettings,
    pub http: HttpSettings,
    pub workers: WorkerSettings,
    pub pipeline: PipelineSettings,
    pub llm: LlmSettings,
    pub matching: MatchingSettings,
    pub pricing: PricingSettings,
    pub company: CompanySettings,
    pub approval: ApprovalSettings,
    pub schedule: ScheduleSettings,
    pub retention: RetentionSettings,
    pub log: LogSettings,
    pub mail: crate::mail::settings::MailSettings,
    pub telegram: crate::telegram::settings::TelegramSettings,
    pub slack: crate::slack::settings::SlackSettings,
    pub discord: crate::discord::settings::DiscordSettings,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct DatabaseSettings {
    #[serde(serialize_with = "redact_url")]
    pub url: SecretString,
    pub max_connections: u32,
    pub acquire_timeout_seconds: u64,
    /// Ping a pooled connection before each use: a connection broken by a database restart is
    /// replaced before a query fails on it, at one round trip per query.
    #[serde(default = "yes")]
    pub test_before_acquire: bool,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct HttpSettings {
    pub bind: String,
    /// Bearer tokens accepted by the upload API. Empty: uploads are refused.
    #[serde(serialize_with = "redact_list")]
    pub api_tokens: Vec<SecretString>,
    pub max_upload_bytes: usize,
    pub request_timeout_seconds: u64,
    /// A client must send a request's headers within this long after connecting (or after
    /// its previous response): slow-header clients and idle keep-alive connections are closed.
    pub header_read_timeout_seconds: u64,
    /// A connection on which nothing moves (no byte read or written) this long is closed.
    pub idle_timeout_seconds: u64,
    /// Open connections at most; more are answered 503 and closed at once. Keep it well
    /// below the process's file limit (`LimitNOFILE` in the systemd unit).
    pub max_connections: usize,
    /// Uploads (`POST /api/rfps`) processed at once; more get 503 with `Retry-After`.
    pub max_concurrent_uploads: usize,
    /// API requests and `/readyz` wait this long for a database connection, then answer 503.
    pub database_wait_ms: u64,
    /// When set, `/metrics` needs `Authorization: Bearer <metrics_token>`.
    #[serde(serialize_with = "redact_secret")]
    pub metrics_token: SecretString,
    /// When set (e.g. "127.0.0.1:9090"), `/metrics` is served on this address only.
    pub metrics_bind: String,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct WorkerSettings {
    pub count: usize,
    pub lease_seconds: u64,
    pub poll_interval_ms: u64,
    pub max_attempts: i32,
    pub backoff_base_seconds: u64,
    pub backoff_max_seconds: u64,
    pub shutdown_grace_seconds: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ExtractorKind {
    Rules,
    Llm,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PipelineSettings {
    pub extractor: ExtractorKind,
    /// Largest single document (attachment or upload) the pipeline reads.
    pub max_document_bytes: usize,
    /// Largest text a document may expand to (guards against zip and XML bombs).
    pub max_text_bytes: usize,
    pub max_pdf_pages: usize,
    /// More requested lines than this in one request: refused with a reply naming the limit.
    pub max_lines: usize,
    /// Address-space limit of the document-reader process.
    pub parse_memory_mib: u64,
    /// CPU-time limit of the document-reader process.
    pub parse_cpu_seconds: u64,
    /// Wall-clock limit of the document-reader process (killed after it).
    pub parse_timeout_seconds: u64,
    /// Read documents in the service's own process (no limits beyond the byte counts).
    /// Only for debugging: a hostile document can then take the service down.
    pub parse_in_process: bool,
    /// The program run as the document reader (`EXE parse-document`); default: this one.
    pub parser_executable: Option<PathBuf>,
}

/// The OpenAI-compatible endpoint behind the `llm` extractor (OpenAI, Azure OpenAI, Ollama,
/// vLLM …). Only read when `pipeline.extractor = "llm"`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct LlmSettings {
    /// The API base, up to and including the version (`https://api.openai.com/v1`,
    /// `http://127.0.0.1:11434/v1` for Ollama, `https://RESOURCE.openai.azure.com/openai`).
    /// Printed with any password in it redacted.
    #[serde(serialize_with = "redact_url_str")]
    pub base_url: String,
    /// Sent as a bearer token (as `api-key` for Azure); empty for servers without auth.
    #[serde(serialize_with = "redact_secret")]
    pub api_key: SecretString,
    /// The model (the deployment name for Azure).
    pub model: String,
    /// Set for Azure OpenAI (e.g. "2024-10-21"): the deployment URL scheme is used.
    pub azure_api_version: Option<String>,
    /// One HTTP attempt may take this long.
    pub timeout_seconds: u64,
    /// Retries of one request on 429, 5xx, timeouts and connection errors.
    pub max_retries: u32,
    /// Backoff before retry n: `backoff_base_ms × 2^(n−1)`, capped; a Retry-After header wins.
    pub backoff_base_ms: u64,
    pub backoff_max_seconds: u64,
    /// A Retry-After longer than this is not waited out in the worker: the job fails
    /// transiently and the queue retries it later.
    pub max_retry_after_seconds: u64,
    /// Documents are sent in chunks of at most this many characters (never truncated).
    pub chunk_chars: usize,
    /// `max_completion_tokens` of a request; unset: the server's default.
    pub max_output_tokens: Option<u32>,
    /// Largest quantity accepted from the model; larger is treated as a misreading.
    pub max_quantity: u32,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct MatchingSettings {
    /// Below this confidence (the calibrated probability of being right) a line is
    /// `needs_review`.
    pub review_threshold: f64,
    /// Below this similarity score nothing is offered: the line is `unmatched`.
    pub unmatched_threshold: f64,
    pub max_alternatives: usize,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PricingSettings {
    pub currency: String,
    #[serde(with = "rust_decimal::serde::str")]
    pub tax_rate: Decimal,
    /// The name the tax has on the quotation ("GST").
    pub tax_label: String,
    pub validity_days: u32,
    /// Lead time quoted when a product has none and is out of stock.
    pub default_lead_time_days: i32,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CompanySettings {
    pub name: String,
    pub address: Vec<String>,
    pub registration_no: String,
    pub gst_no: String,
    pub email: String,
    pub phone: String,
    pub website: String,
    /// A PNG or JPEG logo; relative paths are taken from the working directory.
    pub logo: Option<PathBuf>,
    /// A directory overriding the built-in quotation terms and reply texts; it must hold the
    /// whole set (`horme templates export DIR` writes it). Unset: the texts built into the binary.
    #[serde(default)]
    pub templates_dir: Option<PathBuf>,
    /// The language of the reply texts and quotation terms ("en", "de", "pt-br" …): texts
    /// under `templates/locales/<locale>/` replace the English ones of the same name, and a
    /// text the locale lacks stays English (see `templates`).
    #[serde(default = "english")]
    pub locale: String,
}

fn english() -> String {
    "en".into()
}

/// Who may approve quotations, and when no person needs to.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ApprovalSettings {
    /// Identities allowed to approve (mail addresses, or chat identities such as
    /// "telegram:12345"); the `approvers` table adds to these.
    pub approvers: Vec<String>,
    /// Approve without a person when every line is matched with at least
    /// `auto_approve_min_confidence` and the total is below `auto_approve_below`.
    pub auto_approve: bool,
    #[serde(with = "rust_decimal::serde::str")]
    pub auto_approve_below: Decimal,
    pub auto_approve_min_confidence: f64,
    /// Sales are reminded of quotations waiting for approval longer than this.
    pub remind_after_hours: u32,
    /// The largest extra discount (percent) an approver may grant when approving; an
    /// approver's own `max_discount_pct` in the `approvers` table wins. The CLI is exempt.
    #[serde(with = "rust_decimal::serde::str")]
    pub max_discount_pct: Decimal,
}

/// Scheduled housekeeping (cron expressions with seconds: "sec min hour day month weekday").
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ScheduleSettings {
    /// Expire quotations past their validity and remind approvers of waiting drafts.
    pub maintenance: String,
}

/// How long the bytes of finished requests are kept (README "Data safety"). The scheduled
/// maintenance job purges what is older; `horme purge --dry-run` shows what that would be.
/// 0 keeps forever. Only bytes go: the rows accounting needs (quotation numbers, lines,
/// totals, the audit log) stay, and nothing of a request in progress or an open quotation.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RetentionSettings {
    /// Raw received messages (the `.eml` of a mail, attachments inside it included), in days
    /// after the request was settled.
    pub raw_mail_days: u32,
    /// The contents of attachments and uploaded files, in days after the request was settled.
    pub documents_days: u32,
    /// Rendered quotation PDFs, in days after the quotation was closed.
    pub rendered_pdf_days: u32,
}

impl RetentionSettings {
    /// Whether anything is ever purged.
    pub fn purges_anything(&self) -> bool {
        self.raw_mail_days > 0 || self.documents_days > 0 || self.rendered_pdf_days > 0
    }

    /// A raw mail holds its attachments: purging documents while keeping raw mail longer
    /// keeps the documents' bytes.
    fn warning(&self) -> Option<String> {
        let keeps_raw_longer = self.raw_mail_days == 0 || self.raw_mail_days > self.documents_days;
        (self.documents_days > 0 && keeps_raw_longer).then(|| {
            format!(
                "retention.documents_days is {} but retention.raw_mail_days is {}: a mail's attachments \
                 stay inside its raw message until that is purged too (set raw_mail_days to at most documents_days)",
                self.documents_days, self.raw_mail_days
            )
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Pretty,
    Json,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct LogSettings {
    pub format: LogFormat,
    /// A `tracing_subscriber::EnvFilter` directive; `RUST_LOG` wins when set.
    pub filter: String,
}

/// The built-in defaults: enough to run the demo against a local PostgreSQL.
const DEFAULTS: &str = include_str!("../deploy/config/defaults.toml");

impl Settings {
    /// The built-in defaults alone: no file, no environment (tests and tools start here).
    pub fn builtin() -> Result<Self, ConfigError> {
        let settings: Settings = config::Config::builder()
            .add_source(config::File::from_str(DEFAULTS, config::FileFormat::Toml))
            .build()?
            .try_deserialize()?;
        settings.validate()?;
        Ok(settings)
    }

    /// Loads defaults, then `file` (or the default file if present), then the environment.
    pub fn load(file: Option<&Path>) -> Result<Self, ConfigError> {
        let mut builder =
            config::Config::builder().add_source(config::File::from_str(DEFAULTS, config::FileFormat::Toml));
        let file = match file {
            Some(path) => Some(path.to_path_buf()),
            None => std::env::var_os("HORME_CONFIG").map(PathBuf::from),
        };
        match file {
            Some(path) => {
                if !path.exists() {
                    return Err(ConfigError::MissingFile(path));
                }
                builder = builder.add_source(config::File::from(path));
            }
            None => builder = builder.add_source(config::File::with_name("horme.toml").required(false)),
        }
        builder = builder.add_source(
            config::Environment::with_prefix("HORME")
                .prefix_separator("__")
                .separator("__")
                .list_separator(",")
                .with_list_parse_key("http.api_tokens")
                .with_list_parse_key("company.address")
                .with_list_parse_key("approval.approvers")
                .with_list_parse_key("mail.own_addresses")
                .with_list_parse_key("mail.staff_domains")
                .with_list_parse_key("mail.trusted_authserv_ids")
                .with_list_parse_key("telegram.allowed_chats")
                .with_list_parse_key("slack.allowed_channels")
                .with_list_parse_key("slack.allowed_users")
                .with_list_parse_key("slack.allowed_teams")
                .with_list_parse_key("discord.allowed_channels")
                .try_parsing(true),
        );
        if let Ok(url) = std::env::var("DATABASE_URL") {
            builder = builder.set_override("database.url", url)?;
        }
        let settings: Settings = builder.build()?.try_deserialize()?;
        settings.validate()?;
        Ok(settings)
    }

    fn validate(&self) -> Result<(), ConfigError> {
        let rule = |ok: bool, msg: &str| if ok { Ok(()) } else { Err(ConfigError::Rule(msg.into())) };
        rule(self.workers.count >= 1, "workers.count must be at least 1")?;
        rule(
            self.workers.max_attempts >= 1,
            "workers.max_attempts must be at least 1",
        )?;
        rule(
            self.workers.lease_seconds >= 5,
            "workers.lease_seconds must be at least 5",
        )?;
        rule(
            self.pricing.tax_rate >= Decimal::ZERO && self.pricing.tax_rate < Decimal::ONE,
            "pricing.tax_rate must be a fraction such as \"0.09\"",
        )?;
        rule(
            self.pricing.currency.len() == 3 && self.pricing.currency.chars().all(|c| c.is_ascii_uppercase()),
            "pricing.currency must be an ISO 4217 code such as \"SGD\"",
        )?;
        if let Some(logo) = &self.company.logo {
            rule(logo.is_file(), "company.logo must name an existing PNG or JPEG file")?;
        }
        rule(
            self.schedule.maintenance.parse::<cron::Schedule>().is_ok(),
            "schedule.maintenance must be a cron expression with seconds, e.g. \"0 */15 * * * *\"",
        )?;
        rule(
            self.approval.auto_approve_below >= Decimal::ZERO
                && (0.0..=1.0).contains(&self.approval.auto_approve_min_confidence),
            "approval.auto_approve_below must be >= 0 and auto_approve_min_confidence in 0..=1",
        )?;
        rule(
            self.approval.max_discount_pct >= Decimal::ZERO && self.approval.max_discount_pct < Decimal::ONE_HUNDRED,
            "approval.max_discount_pct must lie in 0..100",
        )?;
        rule(
            (0.0..=1.0).contains(&self.matching.review_threshold)
                && (0.0..=1.0).contains(&self.matching.unmatched_threshold)
                && self.matching.unmatched_threshold <= self.matching.review_threshold,
            "matching thresholds must lie in 0..=1 with unmatched_threshold <= review_threshold",
        )?;
        if self.pipeline.extractor == ExtractorKind::Llm {
            rule(
                !self.llm.base_url.trim().is_empty() && !self.llm.model.trim().is_empty(),
                "pipeline.extractor = \"llm\" needs llm.base_url and llm.model",
            )?;
        }
        rule(self.llm.chunk_chars >= 1000, "llm.chunk_chars must be at least 1000")?;
        rule(
            self.http.header_read_timeout_seconds >= 1
                && self.http.idle_timeout_seconds >= 1
                && self.http.max_connections >= 1
                && self.http.max_concurrent_uploads >= 1,
            "http timeouts, max_connections and max_concurrent_uploads must be at least 1",
        )?;
        rule(
            self.llm.timeout_seconds >= 1 && self.llm.max_quantity >= 1,
            "llm.timeout_seconds and llm.max_quantity must be at least 1",
        )?;
        crate::templates::check(self).map_err(|e| ConfigError::Rule(e.to_string()))?;
        if self.mail.enabled {
            self.mail.validate().map_err(ConfigError::Rule)?;
        }
        if self.telegram.enabled {
            self.telegram.validate().map_err(ConfigError::Rule)?;
        }
        if self.slack.enabled {
            self.slack.validate().map_err(ConfigError::Rule)?;
        }
        if self.discord.enabled {
            self.discord.validate().map_err(ConfigError::Rule)?;
        }
        Ok(())
    }

    /// Settings that run but leave a door open: printed by `config check` and logged at
    /// start-up.
    pub fn safety_warnings(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.mail.enabled && self.mail.trusted_authserv_ids.is_empty() {
            out.push(
                "mail.trusted_authserv_ids is empty: an approval by mail is checked by its thread token only, \
                 not by DKIM/SPF (set it to the authserv-id your mail server writes into Authentication-Results)"
                    .to_string(),
            );
        }
        if self.mail.enabled && !self.mail.approvals_address.trim().is_empty() && self.approval.approvers.is_empty() {
            out.push(format!(
                "mail.approvals_address is {} but approval.approvers is empty: drafts go there, and an \
                 \"approve\" counts only from an approver, so unless `horme approvers list` names some, \
                 nobody can approve (add them to approval.approvers or with `horme approvers add`)",
                self.mail.approvals_address.trim()
            ));
        }
        out.extend(self.retention.warning());
        if let Some(host) = public_bind(&self.http.bind) {
            out.push(format!(
                "http.bind {} listens on {host}, beyond this machine: the API speaks plain HTTP, so put a \
                 TLS-terminating proxy in front of it (or bind 127.0.0.1)",
                self.http.bind
            ));
        }
        out
    }

    /// The effective configuration as TOML, every secret replaced by `[redacted]`.
    pub fn redacted_toml(&self) -> String {
        toml::to_string_pretty(self).unwrap_or_else(|e| format!("# cannot print: {e}"))
    }
}

impl HttpSettings {
    /// Whether `token` is one of the configured API tokens (compared in constant time).
    pub fn accepts_token(&self, token: &str) -> bool {
        self.api_tokens
            .iter()
            .any(|t| constant_time_eq(t.expose_secret().as_bytes(), token.as_bytes()))
    }
}

/// The host of a bind address that is reachable from other machines (not loopback), if so.
fn public_bind(bind: &str) -> Option<String> {
    let addr: std::net::SocketAddr = bind.trim().parse().ok()?;
    (!addr.ip().is_loopback()).then(|| addr.ip().to_string())
}

/// Compares secrets without revealing where they differ.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn redact_secret<S: Serializer>(_: &SecretString, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str("[redacted]")
}

pub(crate) fn redact_list<S: Serializer>(v: &[SecretString], s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(v.iter().map(|_| "[redacted]"))
}

fn redact_url_str<S: Serializer>(v: &str, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&redacted_url(v))
}

/// Shows a database URL with its password replaced.
fn redact_url<S: Serializer>(v: &SecretString, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&redacted_url(v.expose_secret()))
}

/// A database DSN with every password replaced by `[redacted]`, in each form PostgreSQL
/// accepts: the URL's userinfo (`postgres://user:pw@host/db`), `password=` / `sslpassword=`
/// query parameters (`postgres://host/db?user=u&password=pw`), and key=value connection
/// strings (`host=db user=u password='p w'`).
pub fn redacted_url(dsn: &str) -> String {
    let Some((scheme, rest)) = dsn.split_once("://") else {
        return redact_keywords(dsn);
    };
    // The authority ends at the query; its userinfo at the last '@' before that.
    let query_at = rest.find('?').unwrap_or(rest.len());
    let rest = match rest[..query_at].rfind('@') {
        Some(at) => match rest[..at].split_once(':') {
            Some((user, _)) => format!("{user}:[redacted]{}", &rest[at..]),
            None => rest.to_string(),
        },
        None => rest.to_string(),
    };
    format!("{scheme}://{}", redact_query(&rest))
}

/// The password-like keys of a DSN (libpq's `password` and `sslpassword`).
fn is_password_key(key: &str) -> bool {
    let k = key.trim().to_ascii_lowercase();
    k == "password" || k == "sslpassword"
}

fn redact_query(rest: &str) -> String {
    let Some((head, query)) = rest.split_once('?') else {
        return rest.to_string();
    };
    let (query, fragment) = match query.split_once('#') {
        Some((q, f)) => (q, Some(f)),
        None => (query, None),
    };
    let params: Vec<String> = query
        .split('&')
        .map(|p| match p.split_once('=') {
            Some((k, _)) if is_password_key(k) => format!("{k}=[redacted]"),
            _ => p.to_string(),
        })
        .collect();
    let mut out = format!("{head}?{}", params.join("&"));
    if let Some(f) = fragment {
        out.push('#');
        out.push_str(f);
    }
    out
}

/// `host=db password='it''s' user=u` → `host=db password=[redacted] user=u`.
fn redact_keywords(dsn: &str) -> String {
    static RE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let re = RE.get_or_init(|| {
        regex::Regex::new(r"(?i)\b((?:ssl)?password)\s*=\s*('(?:[^'\\]|\\.)*'?|\S*)").expect("static regex")
    });
    re.replace_all(dsn, "$1=[redacted]").into_owned()
}

/// The passwords a DSN carries (in every form [`redacted_url`] knows), to scrub them from
/// text that may echo them, such as a driver's error.
pub fn dsn_passwords(dsn: &str) -> Vec<String> {
    let mut out = Vec::new();
    if let Some((_, rest)) = dsn.split_once("://") {
        let query_at = rest.find('?').unwrap_or(rest.len());
        if let Some(at) = rest[..query_at].rfind('@')
            && let Some((_, pw)) = rest[..at].split_once(':')
        {
            out.push(pw.to_string());
        }
        if let Some((_, query)) = rest.split_once('?') {
            for p in query.split(['&', '#']) {
                if let Some((k, v)) = p.split_once('=')
                    && is_password_key(k)
                {
                    out.push(v.to_string());
                }
            }
        }
    } else {
        let re = regex::Regex::new(r"(?i)\b(?:ssl)?password\s*=\s*('(?:[^'\\]|\\.)*'?|\S*)").expect("static regex");
        for c in re.captures_iter(dsn) {
            let v = &c[1];
            out.push(v.to_string());
            out.push(v.trim_matches('\'').to_string());
        }
    }
    out.retain(|p| !p.is_empty());
    out
}

/// `text` with every occurrence of a password of `dsn` (as written and percent-decoded)
/// replaced by `[redacted]`.
pub fn scrub_dsn_secrets(text: &str, dsn: &str) -> String {
    let mut out = text.to_string();
    for pw in dsn_passwords(dsn) {
        for form in [percent_decode(&pw), pw] {
            if form.len() >= 2 {
                out = out.replace(&form, "[redacted]");
            }
        }
    }
    out
}

/// `%XX` escapes of a URL part decoded (invalid UTF-8 replaced).
pub(crate) fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = |c: u8| char::from(c).to_digit(16);
        if b[i] == b'%'
            && i + 2 < b.len()
            && let (Some(h), Some(l)) = (hex(b[i + 1]), hex(b[i + 2]))
        {
            out.push((h * 16 + l) as u8);
            i += 3;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_load_and_validate() {
        let s = Settings::builtin().expect("defaults are valid");
        assert_eq!(s.pricing.tax_rate, Decimal::new(9, 2));
        assert_eq!(s.pricing.currency, "SGD");
    }

    #[test]
    fn open_doors_are_warned_about() {
        let mut s = Settings::builtin().expect("defaults");
        s.http.bind = "127.0.0.1:8080".into();
        assert!(s.safety_warnings().is_empty(), "{:?}", s.safety_warnings());
        s.http.bind = "0.0.0.0:8080".into();
        s.mail.enabled = true;
        s.mail.approvals_address = "quotes@horme.example".into();
        s.mail.trusted_authserv_ids = vec!["mx.horme.example".into()];
        let w = s.safety_warnings().join("\n");
        assert!(w.contains("http.bind 0.0.0.0:8080") && w.contains("TLS"), "{w}");
        assert!(w.contains("approval.approvers is empty"), "{w}");
        s.approval.approvers = vec!["lead@horme.example".into()];
        s.http.bind = "[::1]:8080".into();
        assert!(s.safety_warnings().is_empty(), "{:?}", s.safety_warnings());
    }

    #[test]
    fn a_retention_that_keeps_attachments_inside_raw_mail_is_warned_about() {
        let mut s = Settings::builtin().expect("defaults");
        assert!(!s.retention.purges_anything(), "the defaults keep everything");
        s.retention.documents_days = 90;
        let w = s.safety_warnings().join("\n");
        assert!(
            w.contains("retention.documents_days is 90 but retention.raw_mail_days is 0"),
            "{w}"
        );
        s.retention.raw_mail_days = 90;
        assert!(s.safety_warnings().is_empty(), "{:?}", s.safety_warnings());
    }

    #[test]
    fn passwords_are_redacted_from_urls() {
        assert_eq!(
            redacted_url("postgres://horme:s3cret@db:5432/horme"),
            "postgres://horme:[redacted]@db:5432/horme"
        );
        assert_eq!(redacted_url("postgres://127.0.0.1/horme"), "postgres://127.0.0.1/horme");
        assert_eq!(redacted_url("postgres://u@db/horme"), "postgres://u@db/horme");
        // a password with '@', ':' and '/' in it
        assert_eq!(
            redacted_url("postgresql://u:p@ss:w/rd@db/horme?sslmode=require"),
            "postgresql://u:[redacted]@db/horme?sslmode=require"
        );
    }

    #[test]
    fn passwords_are_redacted_from_query_parameters() {
        assert_eq!(
            redacted_url("postgres://db/horme?user=u&password=s3cret&sslmode=require"),
            "postgres://db/horme?user=u&password=[redacted]&sslmode=require"
        );
        assert_eq!(
            redacted_url("postgres://db/horme?PASSWORD=s3cret#x"),
            "postgres://db/horme?PASSWORD=[redacted]#x"
        );
        assert_eq!(
            redacted_url("postgres://u:a@db/horme?sslpassword=k3y&application_name=x@y"),
            "postgres://u:[redacted]@db/horme?sslpassword=[redacted]&application_name=x@y"
        );
    }

    #[test]
    fn passwords_are_redacted_from_key_value_strings() {
        assert_eq!(
            redacted_url("host=db user=u password=s3cret dbname=horme"),
            "host=db user=u password=[redacted] dbname=horme"
        );
        assert_eq!(
            redacted_url("host=db password = 'it\\'s a secret' dbname=horme"),
            "host=db password=[redacted] dbname=horme"
        );
        assert_eq!(redacted_url("host=db Password=x"), "host=db Password=[redacted]");
        assert_eq!(redacted_url("host=db sslpassword=x"), "host=db sslpassword=[redacted]");
    }

    #[test]
    fn errors_that_echo_a_password_are_scrubbed() {
        let dsn = "postgres://u:p%40ss-very-secret@db/horme?password=other-very-secret";
        let text = "bad: p@ss-very-secret / p%40ss-very-secret / other-very-secret";
        let clean = scrub_dsn_secrets(text, dsn);
        assert!(!clean.contains("very-secret"), "{clean}");
        let kv = "host=db password='quoted very-secret'";
        assert!(!scrub_dsn_secrets("saw quoted very-secret", kv).contains("very-secret"));
    }

    #[test]
    fn printed_configuration_holds_no_secret() {
        let mut s = Settings::builtin().expect("defaults parse");
        s.http.api_tokens = vec![SecretString::from("tok-very-secret")];
        s.http.metrics_token = SecretString::from("metrics-very-secret");
        s.llm.api_key = SecretString::from("sk-very-secret");
        for url in [
            "postgres://u:pw-very-secret@h/db",
            "postgres://h/db?user=u&password=pw-very-secret",
            "host=h user=u password=pw-very-secret",
            "host=h user=u password='pw very-secret'",
        ] {
            s.database.url = SecretString::from(url);
            let printed = s.redacted_toml();
            assert!(!printed.contains("very-secret"), "{printed}");
            assert!(printed.contains("[redacted]"));
            assert!(!format!("{s:?}").contains("very-secret"));
        }
    }

    #[test]
    fn a_password_in_the_llm_url_is_not_printed() {
        let mut s = Settings::builtin().expect("defaults parse");
        s.llm.base_url = "https://proxy:pw-very-secret@llm.example/v1".into();
        let printed = s.redacted_toml();
        assert!(!printed.contains("very-secret"), "{printed}");
        assert!(printed.contains("https://proxy:[redacted]@llm.example/v1"));
    }

    #[test]
    fn tokens_compare_exactly() {
        let mut h = Settings::builtin().expect("defaults").http;
        h.api_tokens = vec![SecretString::from("abc")];
        assert!(h.accepts_token("abc"));
        assert!(!h.accepts_token("abd"));
        assert!(!h.accepts_token("ab"));
        assert!(!h.accepts_token(""));
    }
}
