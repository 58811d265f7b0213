//! Opening an authenticated IMAP session: TCP, then implicit TLS, STARTTLS or (loopback only)
//! plain text, then LOGIN.

use std::pin::Pin;
use std::task::{Context, Poll};

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;
use tokio_rustls::client::TlsStream;
use tokio_rustls::rustls::pki_types::ServerName;

use super::ImapConfig;
use crate::ChannelError;
use crate::email::{Security, is_loopback, tls};

/// A logged-in IMAP session.
pub type ImapSession = async_imap::Session<MailStream>;

/// The byte stream under an IMAP session: plain TCP (loopback) or TLS.
#[derive(Debug)]
pub enum MailStream {
    Plain(TcpStream),
    Tls(Box<TlsStream<TcpStream>>),
}

impl AsyncRead for MailStream {
    fn poll_read(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<std::io::Result<()>> {
        match self.get_mut() {
            Self::Plain(s) => Pin::new(s).poll_read(cx, buf),
            Self::Tls(s) => Pin::new(s.as_mut()).poll_read(cx, buf),
        }
    }
}

impl AsyncWrite for MailStream {
    fn poll_write(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<std::io::Result<usize>> {
        match self.get_mut() {
            Self::Plain(s) => Pin::new(s).poll_write(cx, buf),
            Self::Tls(s) => Pin::new(s.as_mut()).poll_write(cx, buf),
        }
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        match self.get_mut() {
            Self::Plain(s) => Pin::new(s).poll_flush(cx),
            Self::Tls(s) => Pin::new(s.as_mut()).poll_flush(cx),
        }
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        match self.get_mut() {
            Self::Plain(s) => Pin::new(s).poll_shutdown(cx),
            Self::Tls(s) => Pin::new(s.as_mut()).poll_shutdown(cx),
        }
    }
}

/// IMAP protocol and I/O errors are worth retrying (after a reconnect).
pub(crate) fn transient(context: &str) -> impl Fn(async_imap::error::Error) -> ChannelError + '_ {
    move |e| ChannelError::Transient(format!("IMAP {context}: {e}"))
}

/// Connects and logs in, within the configured connect timeout.
#[tracing::instrument(skip_all, fields(mailbox = %cfg.name, host = %cfg.host, port = cfg.port))]
pub async fn connect(cfg: &ImapConfig) -> Result<ImapSession, ChannelError> {
    match tokio::time::timeout(cfg.connect_timeout, connect_inner(cfg)).await {
        Ok(r) => r,
        Err(_) => Err(ChannelError::Transient(format!(
            "IMAP connect to {}:{} timed out after {:?}",
            cfg.host, cfg.port, cfg.connect_timeout
        ))),
    }
}

async fn connect_inner(cfg: &ImapConfig) -> Result<ImapSession, ChannelError> {
    if cfg.security == Security::Plain && !is_loopback(&cfg.host) {
        return Err(ChannelError::Permanent(format!(
            "refusing plain-text IMAP to {}: use tls or starttls (plain is for loopback servers only)",
            cfg.host
        )));
    }
    let tcp = TcpStream::connect((cfg.host.as_str(), cfg.port))
        .await
        .map_err(|e| ChannelError::Transient(format!("cannot connect to {}:{}: {e}", cfg.host, cfg.port)))?;
    let _ = tcp.set_nodelay(true);
    let stream = match cfg.security {
        Security::Plain => {
            let mut client = async_imap::Client::new(MailStream::Plain(tcp));
            greeting(&mut client).await?;
            client
        }
        Security::Tls => {
            let tls = tls_wrap(cfg, tcp).await?;
            let mut client = async_imap::Client::new(MailStream::Tls(Box::new(tls)));
            greeting(&mut client).await?;
            client
        }
        Security::Starttls => {
            let mut plain = async_imap::Client::new(tcp);
            greeting(&mut plain).await?;
            plain
                .run_command_and_check_ok("STARTTLS", None)
                .await
                .map_err(|e| ChannelError::Permanent(format!("{} refused STARTTLS: {e}", cfg.host)))?;
            let tls = tls_wrap(cfg, plain.into_inner()).await?;
            async_imap::Client::new(MailStream::Tls(Box::new(tls)))
        }
    };
    stream
        .login(&cfg.username, &cfg.password)
        .await
        .map_err(|(e, _)| login_error(&cfg.username, e))
}

/// What a failed LOGIN means. A NO or BAD answer is the server refusing the credentials
/// (`Unauthorized`: retried rarely, as quick retries can lock the account), unless it says it
/// is only temporarily unable to check them (RFC 5530 `[UNAVAILABLE]`); a password that cannot
/// be sent at all (a line break in it) is `Permanent`; anything else (I/O, a dropped
/// connection) is network trouble.
fn login_error(user: &str, e: async_imap::error::Error) -> ChannelError {
    use async_imap::error::Error;
    match e {
        Error::No(detail) | Error::Bad(detail) if !detail.contains("UNAVAILABLE") => {
            ChannelError::Unauthorized(format!("IMAP login as {user}: {}", server_words(&detail)))
        }
        // the error names the offending character, which may be part of the password
        Error::Validate(_) => ChannelError::Permanent(format!(
            "IMAP login as {user}: the user name or password contains a line break"
        )),
        e => ChannelError::Transient(format!("IMAP login as {user} failed: {e}")),
    }
}

/// The server's own words from async-imap's `code: …, info: Some("…")`.
fn server_words(detail: &str) -> String {
    let Some((code, info)) = detail
        .strip_prefix("code: ")
        .and_then(|rest| rest.split_once(", info: "))
    else {
        return detail.to_string();
    };
    let info = info
        .strip_prefix("Some(\"")
        .and_then(|i| i.strip_suffix("\")"))
        .unwrap_or(info);
    if code == "None" {
        info.to_string()
    } else {
        format!("{code} {info}")
    }
}

async fn greeting<T>(client: &mut async_imap::Client<T>) -> Result<(), ChannelError>
where
    T: AsyncRead + AsyncWrite + Unpin + std::fmt::Debug + Send,
{
    match client.read_response().await {
        Ok(Some(_)) => Ok(()),
        Ok(None) => Err(ChannelError::Transient("the IMAP server closed the connection".into())),
        Err(e) => Err(ChannelError::Transient(format!("IMAP greeting: {e}"))),
    }
}

async fn tls_wrap(cfg: &ImapConfig, tcp: TcpStream) -> Result<TlsStream<TcpStream>, ChannelError> {
    let config = tls::client_config(cfg.ca_file.as_deref())?;
    let name = ServerName::try_from(cfg.host.clone())
        .map_err(|e| ChannelError::Permanent(format!("invalid server name {}: {e}", cfg.host)))?;
    TlsConnector::from(config)
        .connect(name, tcp)
        .await
        .map_err(|e| ChannelError::Transient(format!("TLS handshake with {}: {e}", cfg.host)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use async_imap::error::Error;

    #[test]
    fn a_refused_login_is_told_from_network_trouble() {
        let no = Error::No(r#"code: None, info: Some("[AUTHENTICATIONFAILED] Authentication failed.")"#.into());
        match login_error("sales@example.com", no) {
            ChannelError::Unauthorized(m) => assert_eq!(
                m,
                "IMAP login as sales@example.com: [AUTHENTICATIONFAILED] Authentication failed."
            ),
            other => panic!("{other:?}"),
        }
        let bad = Error::Bad(r#"code: None, info: Some("Invalid arguments")"#.into());
        assert!(matches!(login_error("u", bad), ChannelError::Unauthorized(_)));
        let unavailable =
            Error::No(r#"code: None, info: Some("[UNAVAILABLE] Temporary authentication failure.")"#.into());
        assert!(matches!(login_error("u", unavailable), ChannelError::Transient(_)));
        assert!(matches!(
            login_error("u", Error::ConnectionLost),
            ChannelError::Transient(_)
        ));
        let io = Error::Io(std::io::Error::from(std::io::ErrorKind::ConnectionReset));
        assert!(matches!(login_error("u", io), ChannelError::Transient(_)));
        let newline = Error::Validate(async_imap::error::ValidateError('\n'));
        assert!(matches!(login_error("u", newline), ChannelError::Permanent(_)));
    }
}
