//! Sending mail through an SMTP submission server with lettre (rustls): implicit TLS (465),
//! STARTTLS (587), or plain text to a loopback relay only.
//!
//! Acknowledgements and notices are marked `Auto-Submitted: auto-replied` (RFC 3834) so that
//! other robots do not answer them; a message a person would send (the quotation itself) is a
//! normal reply (`Auto-Submitted: no`), which procurement systems file rather than drop. Each
//! carries the Message-ID the caller chose (the application puts its
//! quotation token there) and, when it answers a mail, `In-Reply-To`/`References` and the
//! original subject as `Re: …`.

use std::path::PathBuf;
use std::time::Duration;

use lettre::message::header::{ContentType, Header, HeaderName, HeaderValue};
use lettre::message::{Attachment as MimeAttachment, Mailbox, MultiPart, SinglePart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use super::{Security, is_loopback};
use crate::{Attachment, ChannelError};

/// Where and how to submit mail.
#[derive(Clone)]
pub struct SmtpConfig {
    pub host: String,
    pub port: u16,
    pub security: Security,
    pub username: Option<String>,
    pub password: Option<String>,
    /// Extra trusted CA certificates (PEM) for a server with its own CA.
    pub ca_file: Option<PathBuf>,
    pub timeout: Duration,
}

impl std::fmt::Debug for SmtpConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpConfig")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("security", &self.security)
            .field("username", &self.username)
            .field("password", &self.password.as_ref().map(|_| "[redacted]"))
            .finish()
    }
}

/// One mail to send.
#[derive(Debug, Clone)]
pub struct OutgoingMail {
    pub from_address: String,
    pub from_name: Option<String>,
    pub to: Vec<String>,
    pub subject: String,
    /// Without angle brackets: `local@domain`.
    pub message_id: String,
    /// The message answered (without angle brackets), if any.
    pub in_reply_to: Option<String>,
    /// The thread's earlier Message-IDs, oldest first (without angle brackets).
    pub references: Vec<String>,
    pub text: String,
    pub attachments: Vec<Attachment>,
    /// An automatic answer (acknowledgement, notice): loop-guard headers on. False for a
    /// message that stands for a person's (the quotation to the customer).
    pub auto_submitted: bool,
}

/// `Auto-Submitted: auto-replied` (RFC 3834).
#[derive(Debug, Clone)]
struct AutoSubmitted(String);

impl Header for AutoSubmitted {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("Auto-Submitted")
    }

    fn parse(s: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(Self(s.trim().to_string()))
    }

    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), self.0.clone())
    }
}

/// `X-Auto-Response-Suppress: All`: asks Exchange not to send out-of-office notes back.
#[derive(Debug, Clone)]
struct AutoResponseSuppress;

impl Header for AutoResponseSuppress {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("X-Auto-Response-Suppress")
    }

    fn parse(_: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(Self)
    }

    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), "All".into())
    }
}

/// A connection pool to one submission server.
#[derive(Clone)]
pub struct SmtpSender {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    /// Every connection logs in (AUTH) before it is used.
    logs_in: bool,
}

/// What [`SmtpSender::check`] found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmtpCheck {
    /// The server accepted our credentials (AUTH answered 235).
    LoggedIn,
    /// Connected and greeted; no credentials are configured, so none were tried.
    Connected,
}

impl std::fmt::Debug for SmtpSender {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SmtpSender")
    }
}

impl SmtpSender {
    /// Prepares the transport; nothing is connected until the first send. Must be called
    /// inside a Tokio runtime (the connection pool starts a task).
    pub fn new(cfg: &SmtpConfig) -> Result<Self, ChannelError> {
        let tls_params = || -> Result<TlsParameters, ChannelError> {
            let mut b = TlsParameters::builder(cfg.host.clone());
            if let Some(path) = &cfg.ca_file {
                let pem = std::fs::read(path)
                    .map_err(|e| ChannelError::Permanent(format!("cannot read CA file {}: {e}", path.display())))?;
                let cert = Certificate::from_pem(&pem)
                    .map_err(|e| ChannelError::Permanent(format!("bad CA file {}: {e}", path.display())))?;
                b = b.add_root_certificate(cert);
            }
            b.build_rustls()
                .map_err(|e| ChannelError::Permanent(format!("TLS set-up for {}: {e}", cfg.host)))
        };
        let tls = match cfg.security {
            Security::Tls => Tls::Wrapper(tls_params()?),
            Security::Starttls => Tls::Required(tls_params()?),
            Security::Plain if is_loopback(&cfg.host) => Tls::None,
            Security::Plain => {
                return Err(ChannelError::Permanent(format!(
                    "refusing plain-text SMTP to {}: use tls or starttls (plain is for loopback relays only)",
                    cfg.host
                )));
            }
        };
        let mut builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(cfg.host.clone())
            .port(cfg.port)
            .tls(tls)
            .timeout(Some(cfg.timeout));
        let logs_in = match (&cfg.username, &cfg.password) {
            (Some(user), Some(password)) => {
                builder = builder.credentials(Credentials::new(user.clone(), password.clone()));
                true
            }
            (None, None) => false,
            _ => {
                return Err(ChannelError::Permanent(
                    "SMTP credentials need both a user name and a password".into(),
                ));
            }
        };
        Ok(Self {
            transport: builder.build(),
            logs_in,
        })
    }

    /// Connects, greets and logs in (when credentials are set), as a send would: for
    /// `horme config check`. With credentials, `Ok` means the server accepted them: lettre
    /// authenticates every new connection, and a server that offers no AUTH mechanism we speak
    /// is an error then, never a silent send without login.
    pub async fn check(&self) -> Result<SmtpCheck, ChannelError> {
        match self.transport.test_connection().await {
            Ok(true) if self.logs_in => Ok(SmtpCheck::LoggedIn),
            Ok(true) => Ok(SmtpCheck::Connected),
            Ok(false) => Err(ChannelError::Transient("the server did not answer NOOP".into())),
            Err(e) => Err(classify(&e)),
        }
    }

    /// Sends one mail. 4xx answers and network trouble are `Transient`; 5xx answers and
    /// malformed messages are `Permanent`.
    #[tracing::instrument(skip_all, fields(message_id = %mail.message_id, to = ?mail.to))]
    pub async fn send(&self, mail: &OutgoingMail) -> Result<(), ChannelError> {
        let message = build(mail)?;
        match self.transport.send(message).await {
            Ok(response) => {
                tracing::debug!(code = %response.code(), "accepted by the SMTP server");
                Ok(())
            }
            Err(e) => Err(classify(&e)),
        }
    }
}

fn classify(e: &lettre::transport::smtp::Error) -> ChannelError {
    let text = e.to_string();
    if e.is_client() && text.contains("No compatible authentication mechanism") {
        return ChannelError::Permanent(
            "the server offers no login (AUTH PLAIN or LOGIN) although credentials are configured".into(),
        );
    }
    if e.is_permanent() {
        ChannelError::Permanent(text)
    } else if e.is_client() {
        // a message lettre itself refuses to send will never go through
        ChannelError::Permanent(text)
    } else {
        ChannelError::Transient(text)
    }
}

fn mailbox(address: &str, name: Option<&str>) -> Result<Mailbox, ChannelError> {
    let addr = address
        .parse()
        .map_err(|e| ChannelError::Permanent(format!("invalid mail address {address:?}: {e}")))?;
    Ok(Mailbox::new(name.map(str::to_string), addr))
}

fn bracket(id: &str) -> String {
    format!("<{}>", id.trim().trim_start_matches('<').trim_end_matches('>'))
}

/// The MIME message for `mail` (exposed for tests of the headers).
pub fn build(mail: &OutgoingMail) -> Result<Message, ChannelError> {
    if mail.to.is_empty() {
        return Err(ChannelError::Permanent("a mail needs at least one recipient".into()));
    }
    let mut b = Message::builder()
        .from(mailbox(&mail.from_address, mail.from_name.as_deref())?)
        .subject(mail.subject.clone())
        .message_id(Some(bracket(&mail.message_id)))
        .date_now();
    b = if mail.auto_submitted {
        b.header(AutoSubmitted("auto-replied".into()))
            .header(AutoResponseSuppress)
    } else {
        b.header(AutoSubmitted("no".into()))
    };
    for to in &mail.to {
        b = b.to(mailbox(to, None)?);
    }
    if let Some(parent) = &mail.in_reply_to {
        b = b.in_reply_to(bracket(parent));
    }
    if !mail.references.is_empty() {
        let refs: Vec<String> = mail.references.iter().map(|r| bracket(r)).collect();
        b = b.references(refs.join(" "));
    }
    let text = SinglePart::builder()
        .header(ContentType::TEXT_PLAIN)
        .body(mail.text.clone());
    let built = if mail.attachments.is_empty() {
        b.singlepart(text)
    } else {
        let mut parts = MultiPart::mixed().singlepart(text);
        for a in &mail.attachments {
            let ct = ContentType::parse(&a.media_type)
                .unwrap_or_else(|_| ContentType::parse("application/octet-stream").expect("static content type"));
            parts = parts.singlepart(MimeAttachment::new(a.filename.clone()).body(a.content.clone(), ct));
        }
        b.multipart(parts)
    };
    built.map_err(|e| ChannelError::Permanent(format!("cannot build the mail: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> OutgoingMail {
        OutgoingMail {
            from_address: "sales@horme.example".into(),
            from_name: Some("Horme Sales".into()),
            to: vec!["buyer@customer.example".into()],
            subject: "Re: RFQ 1826".into(),
            message_id: "quote.Q-2026-000001.ab12@horme.example".into(),
            in_reply_to: Some("<abc@customer.example>".into()),
            references: vec!["root@customer.example".into(), "abc@customer.example".into()],
            text: "Please find our quotation attached.".into(),
            attachments: vec![Attachment {
                filename: "Q-2026-000001.pdf".into(),
                media_type: "application/pdf".into(),
                content: b"%PDF-1.7\n".to_vec(),
            }],
            auto_submitted: true,
        }
    }

    #[test]
    fn a_quotation_is_a_normal_reply_without_loop_guards() {
        let mail = OutgoingMail {
            auto_submitted: false,
            ..sample()
        };
        let raw = String::from_utf8(build(&mail).expect("builds").formatted()).expect("utf8");
        assert!(raw.contains("Auto-Submitted: no"), "{raw}");
        assert!(!raw.contains("X-Auto-Response-Suppress"), "{raw}");
        let parsed = crate::email::parse(raw.as_bytes()).expect("parses back");
        assert_eq!(
            parsed.no_reply_reason, None,
            "a person may answer it, and we read the answer"
        );
    }

    #[test]
    fn replies_carry_threading_and_loop_headers() {
        let raw = String::from_utf8(build(&sample()).expect("builds").formatted()).expect("utf8");
        assert!(
            raw.contains("Message-ID: <quote.Q-2026-000001.ab12@horme.example>"),
            "{raw}"
        );
        assert!(raw.contains("In-Reply-To: <abc@customer.example>"), "{raw}");
        assert!(
            raw.contains("References: <root@customer.example> <abc@customer.example>"),
            "{raw}"
        );
        assert!(raw.contains("Auto-Submitted: auto-replied"), "{raw}");
        assert!(raw.contains("X-Auto-Response-Suppress: All"), "{raw}");
        assert!(raw.contains("Subject: Re: RFQ 1826"), "{raw}");
        assert!(raw.contains("filename=\"Q-2026-000001.pdf\""), "{raw}");
        let parsed = crate::email::parse(raw.as_bytes()).expect("parses back");
        assert_eq!(parsed.in_reply_to, vec!["abc@customer.example".to_string()]);
        assert_eq!(parsed.message.attachments.len(), 1);
        assert!(parsed.no_reply_reason.is_some(), "our own mail must never be answered");
    }

    #[tokio::test]
    async fn plain_text_only_to_loopback() {
        let cfg = |host: &str| SmtpConfig {
            host: host.into(),
            port: 25,
            security: Security::Plain,
            username: None,
            password: None,
            ca_file: None,
            timeout: Duration::from_secs(5),
        };
        assert!(SmtpSender::new(&cfg("127.0.0.1")).is_ok());
        assert!(matches!(
            SmtpSender::new(&cfg("smtp.gmail.com")),
            Err(ChannelError::Permanent(_))
        ));
    }

    #[test]
    fn a_mail_without_recipient_is_refused() {
        let mut m = sample();
        m.to.clear();
        assert!(matches!(build(&m), Err(ChannelError::Permanent(_))));
    }
}
