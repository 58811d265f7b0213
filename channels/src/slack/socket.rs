//! Slack's Socket Mode (https://api.slack.com/apis/socket-mode): instead of Slack posting to a
//! public URL, we open a websocket (`apps.connections.open` with the app-level token, `xapp-…`)
//! and Slack sends envelopes over it — `hello`, `events_api` (an Events API `event_callback`),
//! `interactive` (a button press), `disconnect` (reconnect, e.g. before a refresh). Each
//! envelope is acknowledged by sending its `envelope_id` back; an envelope not acknowledged
//! within a few seconds is delivered again (`retry_attempt`).
//!
//! The websocket runs over our own TCP and rustls stream (ring, web PKI roots), so that no
//! process-wide TLS provider is needed.

use std::time::Duration;

use futures::{SinkExt, StreamExt};
use serde::Deserialize;
use serde_json::{Value, json};
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpStream;
use tokio_tungstenite::WebSocketStream;
use tokio_tungstenite::tungstenite::Message;

use super::SlackClient;
use crate::ChannelError;

/// What the websocket runs over: plain TCP (a local fake) or TLS.
pub trait Io: AsyncRead + AsyncWrite + Unpin + Send {}
impl<T: AsyncRead + AsyncWrite + Unpin + Send> Io for T {}

/// One message from Slack over the socket.
#[derive(Debug, Clone, Deserialize)]
pub struct Envelope {
    #[serde(rename = "type")]
    pub kind: String,
    pub envelope_id: Option<String>,
    #[serde(default)]
    pub payload: Value,
    /// For `disconnect`: why (`refresh_requested`, `warning`, `link_disabled`).
    pub reason: Option<String>,
    #[serde(default)]
    pub retry_attempt: u32,
}

/// An open Socket Mode connection.
pub struct SocketConnection {
    ws: WebSocketStream<Box<dyn Io>>,
}

impl std::fmt::Debug for SocketConnection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SocketConnection")
    }
}

#[derive(Deserialize)]
struct Opened {
    url: String,
}

fn ws_error(e: tokio_tungstenite::tungstenite::Error) -> ChannelError {
    ChannelError::Transient(format!("slack socket: {e}"))
}

impl SlackClient {
    /// Opens a Socket Mode connection with the app-level token.
    pub async fn open_socket(&self, app_token: &str) -> Result<SocketConnection, ChannelError> {
        let opened: Opened = self.call_with(app_token, "apps.connections.open", &json!({})).await?;
        SocketConnection::connect(&opened.url).await
    }
}

impl SocketConnection {
    async fn connect(url: &str) -> Result<Self, ChannelError> {
        let u =
            reqwest::Url::parse(url).map_err(|e| ChannelError::Permanent(format!("slack socket: bad URL ({e})")))?;
        let tls = match u.scheme() {
            "wss" => true,
            "ws" => false,
            other => return Err(ChannelError::Permanent(format!("slack socket: scheme {other}"))),
        };
        let host = u
            .host_str()
            .ok_or_else(|| ChannelError::Permanent("slack socket: URL without a host".into()))?
            .to_string();
        let port = u.port().unwrap_or(if tls { 443 } else { 80 });
        let tcp = tokio::time::timeout(Duration::from_secs(10), TcpStream::connect((host.as_str(), port)))
            .await
            .map_err(|_| ChannelError::Transient("slack socket: connect timed out".into()))?
            .map_err(|e| ChannelError::Transient(format!("slack socket: {e}")))?;
        let io: Box<dyn Io> = if tls {
            let config = crate::email::tls::client_config(None)?;
            let name = tokio_rustls::rustls::pki_types::ServerName::try_from(host.clone())
                .map_err(|e| ChannelError::Permanent(format!("slack socket: {e}")))?;
            let stream = tokio_rustls::TlsConnector::from(config)
                .connect(name, tcp)
                .await
                .map_err(|e| ChannelError::Transient(format!("slack socket TLS: {e}")))?;
            Box::new(stream)
        } else {
            Box::new(tcp)
        };
        let (ws, _) = tokio::time::timeout(Duration::from_secs(10), tokio_tungstenite::client_async(url, io))
            .await
            .map_err(|_| ChannelError::Transient("slack socket: handshake timed out".into()))?
            .map_err(ws_error)?;
        Ok(Self { ws })
    }

    /// The next envelope; `None` when Slack closed the connection.
    pub async fn next(&mut self) -> Result<Option<Envelope>, ChannelError> {
        while let Some(msg) = self.ws.next().await {
            match msg.map_err(ws_error)? {
                Message::Text(t) => {
                    return serde_json::from_str(t.as_str())
                        .map(Some)
                        .map_err(|e| ChannelError::Transient(format!("slack socket: unreadable envelope ({e})")));
                }
                Message::Close(_) => return Ok(None),
                // pings are answered by tungstenite itself
                _ => {}
            }
        }
        Ok(None)
    }

    /// Acknowledges an envelope: Slack will not deliver it again.
    pub async fn ack(&mut self, envelope_id: &str) -> Result<(), ChannelError> {
        let text = json!({"envelope_id": envelope_id}).to_string();
        self.ws.send(Message::Text(text.into())).await.map_err(ws_error)
    }

    pub async fn close(mut self) {
        let _ = self.ws.close(None).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn envelopes_are_read() {
        let e: Envelope = serde_json::from_value(json!({"type": "events_api", "envelope_id": "e-1",
            "payload": {"type": "event_callback", "event_id": "Ev1", "event": {}},
            "accepts_response_payload": false, "retry_attempt": 1, "retry_reason": "timeout"}))
        .expect("envelope");
        assert_eq!(e.kind, "events_api");
        assert_eq!(e.envelope_id.as_deref(), Some("e-1"));
        assert_eq!(e.payload["event_id"], "Ev1");
        assert_eq!(e.retry_attempt, 1);
        let d: Envelope =
            serde_json::from_value(json!({"type": "disconnect", "reason": "refresh_requested"})).expect("disconnect");
        assert_eq!(d.reason.as_deref(), Some("refresh_requested"));
        assert!(d.envelope_id.is_none());
    }
}
