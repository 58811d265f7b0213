//! The Discord gateway: one websocket session (HELLO, IDENTIFY or RESUME, heartbeats with
//! their ACKs, dispatches) that forwards the events the bot acts on — `MESSAGE_CREATE` and
//! `INTERACTION_CREATE` — to the application, and reconnects: resuming the session (Discord
//! replays what was missed) after a dropped connection, an `op 7 RECONNECT` or a missed
//! heartbeat ACK; identifying afresh after `op 9 INVALID_SESSION`. An authentication or
//! intents failure ends it.
//!
//! Our own client on tokio-tungstenite (handshake only; TLS through tokio-rustls with ring,
//! as IMAP does), not serenity: see the module documentation of `channels::discord`.

use std::time::Duration;

use futures::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::sync::mpsc;
use tokio_tungstenite::tungstenite::Message as Ws;
use tokio_util::sync::CancellationToken;

use super::types::{Interaction, Message};
use crate::ChannelError;

/// GUILD_MESSAGES | DIRECT_MESSAGES | MESSAGE_CONTENT (privileged: enable it for the bot).
pub const INTENTS: u64 = (1 << 9) | (1 << 12) | (1 << 15);

/// How to open the gateway.
#[derive(Clone)]
pub struct GatewayConfig {
    /// `wss://gateway.discord.gg` as `GET /gateway/bot` names it (a `ws://` fake in tests).
    pub url: String,
    pub token: String,
    pub intents: u64,
}

impl std::fmt::Debug for GatewayConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GatewayConfig")
            .field("url", &self.url)
            .field("token", &"[redacted]")
            .finish()
    }
}

/// An event the application acts on.
#[derive(Debug, Clone)]
pub enum Event {
    MessageCreate(Message),
    InteractionCreate(Interaction),
}

/// What the gateway tells the application besides events.
#[derive(Debug, Clone)]
pub enum Signal {
    Event(Box<Event>),
    /// A session is ready: identified afresh (Discord replays nothing from before it), or
    /// resumed (what was missed has been replayed).
    Ready {
        resumed: bool,
    },
}

#[derive(Debug, Clone)]
struct Session {
    id: String,
    resume_url: String,
    seq: Option<u64>,
}

enum Outcome {
    Shutdown,
    /// Connect again, resuming the session when `resume`.
    Reconnect {
        resume: bool,
    },
}

trait Io: AsyncRead + AsyncWrite + Unpin + Send {}
impl<T: AsyncRead + AsyncWrite + Unpin + Send> Io for T {}

/// Runs gateway sessions until `shutdown` or a fatal close (bad token, intents not allowed);
/// events go to `out` in the order Discord dispatched them.
pub async fn run(
    cfg: GatewayConfig,
    out: mpsc::UnboundedSender<Signal>,
    shutdown: CancellationToken,
) -> Result<(), ChannelError> {
    let mut session: Option<Session> = None;
    let mut pause = Duration::from_millis(500);
    let mut failures = 0u32;
    while !shutdown.is_cancelled() {
        let url = session
            .as_ref()
            .map_or(cfg.url.as_str(), |s| s.resume_url.as_str())
            .to_string();
        match connect_once(&cfg, &url, &mut session, &out, &shutdown).await {
            Ok(Outcome::Shutdown) => return Ok(()),
            Ok(Outcome::Reconnect { resume }) => {
                if !resume {
                    session = None;
                }
                pause = Duration::from_millis(500);
                failures = 0;
                tracing::info!(resume, "discord gateway: reconnecting");
            }
            Err(e @ ChannelError::Permanent(_)) => return Err(e),
            Err(e) => {
                tracing::warn!(error = %e, "discord gateway connection failed");
                pause = (pause * 2).min(Duration::from_secs(30));
                failures += 1;
                // a resume URL that keeps failing: identify afresh at the gateway's own URL
                if failures >= 3 && session.take().is_some() {
                    tracing::info!("discord gateway: giving up the session after repeated failures");
                }
            }
        }
        tokio::select! {
            _ = shutdown.cancelled() => return Ok(()),
            _ = tokio::time::sleep(pause) => {}
        }
    }
    Ok(())
}

fn transient(what: &str, e: impl std::fmt::Display) -> ChannelError {
    ChannelError::Transient(format!("discord gateway: {what}: {e}"))
}

/// Opens a TCP (and for `wss` a TLS) connection and the websocket on it.
async fn open(url: &str) -> Result<tokio_tungstenite::WebSocketStream<Box<dyn Io>>, ChannelError> {
    let (tls, rest) = if let Some(r) = url.strip_prefix("wss://") {
        (true, r)
    } else if let Some(r) = url.strip_prefix("ws://") {
        (false, r)
    } else {
        return Err(ChannelError::Permanent(format!(
            "discord gateway: not a websocket url: {url}"
        )));
    };
    let authority = rest.split(['/', '?']).next().unwrap_or(rest);
    let (host, port) = match authority.rsplit_once(':') {
        Some((h, p)) if p.parse::<u16>().is_ok() => (h.to_string(), p.parse().unwrap_or(443)),
        _ => (authority.to_string(), if tls { 443 } else { 80 }),
    };
    let tcp = tokio::time::timeout(
        Duration::from_secs(15),
        tokio::net::TcpStream::connect((host.as_str(), port)),
    )
    .await
    .map_err(|e| transient("connect", e))?
    .map_err(|e| transient("connect", e))?;
    let stream: Box<dyn Io> = if tls {
        let config = crate::email::tls::client_config(None)?;
        let name = tokio_rustls::rustls::pki_types::ServerName::try_from(host.clone())
            .map_err(|e| ChannelError::Permanent(format!("discord gateway: host {host}: {e}")))?;
        let s = tokio_rustls::TlsConnector::from(config)
            .connect(name, tcp)
            .await
            .map_err(|e| transient("TLS", e))?;
        Box::new(s)
    } else {
        Box::new(tcp)
    };
    let sep = if rest.contains('?') { '&' } else { '?' };
    let path_sep = if rest.contains('/') { "" } else { "/" };
    let full = format!("{url}{path_sep}{sep}v=10&encoding=json");
    let (ws, _) = tokio::time::timeout(Duration::from_secs(15), tokio_tungstenite::client_async(full, stream))
        .await
        .map_err(|e| transient("handshake", e))?
        .map_err(|e| transient("handshake", e))?;
    Ok(ws)
}

async fn connect_once(
    cfg: &GatewayConfig,
    url: &str,
    session: &mut Option<Session>,
    out: &mpsc::UnboundedSender<Signal>,
    shutdown: &CancellationToken,
) -> Result<Outcome, ChannelError> {
    let mut ws = open(url).await?;
    // HELLO first: it names the heartbeat interval
    let hello = tokio::time::timeout(Duration::from_secs(15), ws.next())
        .await
        .map_err(|e| transient("HELLO", e))?;
    let interval = match hello {
        Some(Ok(Ws::Text(t))) => serde_json::from_str::<Value>(t.as_str())
            .ok()
            .filter(|v| v["op"] == 10)
            .and_then(|v| v["d"]["heartbeat_interval"].as_u64())
            .ok_or_else(|| transient("HELLO", "unexpected first message"))?,
        other => return Err(transient("HELLO", format!("{other:?}"))),
    };
    let interval = Duration::from_millis(interval.max(1000));
    let first = match session {
        Some(s) => json!({"op": 6, "d": {"token": cfg.token, "session_id": s.id, "seq": s.seq}}),
        None => json!({"op": 2, "d": {"token": cfg.token, "intents": cfg.intents,
                        "properties": {"os": std::env::consts::OS, "browser": "horme", "device": "horme"}}}),
    };
    ws.send(Ws::text(first.to_string()))
        .await
        .map_err(|e| transient("IDENTIFY", e))?;
    let mut seq = session.as_ref().and_then(|s| s.seq);
    let mut acked = true;
    let mut beat = tokio::time::interval_at(tokio::time::Instant::now() + interval / 2, interval);
    loop {
        let msg = tokio::select! {
            _ = shutdown.cancelled() => {
                let _ = ws.close(None).await;
                return Ok(Outcome::Shutdown);
            }
            _ = beat.tick() => {
                if !acked {
                    tracing::warn!("discord gateway: no heartbeat ACK; reconnecting");
                    return Ok(Outcome::Reconnect { resume: true });
                }
                acked = false;
                ws.send(Ws::text(json!({"op": 1, "d": seq}).to_string())).await.map_err(|e| transient("heartbeat", e))?;
                continue;
            }
            m = ws.next() => m,
        };
        let text = match msg {
            Some(Ok(Ws::Text(t))) => t,
            Some(Ok(Ws::Close(frame))) => {
                let code = frame.map(|f| u16::from(f.code)).unwrap_or(1000);
                return close_outcome(code);
            }
            Some(Ok(_)) => continue,
            Some(Err(e)) => return Err(transient("read", e)),
            None => return Ok(Outcome::Reconnect { resume: true }),
        };
        let Ok(v) = serde_json::from_str::<Value>(text.as_str()) else {
            continue;
        };
        if let Some(s) = v["s"].as_u64() {
            seq = Some(s);
            if let Some(sess) = session.as_mut() {
                sess.seq = Some(s);
            }
        }
        match v["op"].as_u64() {
            Some(0) => {
                let d = v["d"].clone();
                match v["t"].as_str().unwrap_or("") {
                    "READY" => {
                        *session = Some(Session {
                            id: d["session_id"].as_str().unwrap_or_default().to_string(),
                            resume_url: d["resume_gateway_url"]
                                .as_str()
                                .filter(|u| !u.is_empty())
                                .unwrap_or(&cfg.url)
                                .to_string(),
                            seq,
                        });
                        tracing::info!("discord gateway: ready");
                        let _ = out.send(Signal::Ready { resumed: false });
                    }
                    "RESUMED" => {
                        tracing::info!("discord gateway: resumed");
                        let _ = out.send(Signal::Ready { resumed: true });
                    }
                    "MESSAGE_CREATE" => match serde_json::from_value::<Message>(d) {
                        Ok(m) => {
                            let _ = out.send(Signal::Event(Box::new(Event::MessageCreate(m))));
                        }
                        Err(e) => tracing::warn!(error = %e, "discord gateway: unreadable MESSAGE_CREATE"),
                    },
                    "INTERACTION_CREATE" => match serde_json::from_value::<Interaction>(d) {
                        Ok(i) => {
                            let _ = out.send(Signal::Event(Box::new(Event::InteractionCreate(i))));
                        }
                        Err(e) => tracing::warn!(error = %e, "discord gateway: unreadable INTERACTION_CREATE"),
                    },
                    _ => {}
                }
            }
            Some(1) => {
                ws.send(Ws::text(json!({"op": 1, "d": seq}).to_string()))
                    .await
                    .map_err(|e| transient("heartbeat", e))?;
            }
            Some(7) => return Ok(Outcome::Reconnect { resume: true }),
            Some(9) => {
                let resumable = v["d"].as_bool().unwrap_or(false);
                // Discord asks for a pause of 1–5 s before identifying again
                tokio::time::sleep(Duration::from_millis(1500)).await;
                return Ok(Outcome::Reconnect { resume: resumable });
            }
            Some(11) => acked = true,
            _ => {}
        }
    }
}

/// What a close code asks for (https://discord.com/developers/docs/topics/opcodes-and-status-codes).
fn close_outcome(code: u16) -> Result<Outcome, ChannelError> {
    match code {
        4004 => Err(ChannelError::Permanent(
            "discord gateway: authentication failed (4004): check the bot token".into(),
        )),
        4010..=4012 => Err(ChannelError::Permanent(format!("discord gateway: closed with {code}"))),
        4013 | 4014 => Err(ChannelError::Permanent(format!(
            "discord gateway: intents refused ({code}): enable the MESSAGE_CONTENT privileged intent for the bot"
        ))),
        // invalid seq, session timed out, rate limited: a fresh session
        4007..=4009 => Ok(Outcome::Reconnect { resume: false }),
        _ => Ok(Outcome::Reconnect { resume: true }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fatal_close_codes_end_the_gateway() {
        assert!(matches!(close_outcome(4004), Err(ChannelError::Permanent(_))));
        assert!(matches!(close_outcome(4014), Err(ChannelError::Permanent(_))));
        assert!(matches!(close_outcome(4009), Ok(Outcome::Reconnect { resume: false })));
        assert!(matches!(close_outcome(1001), Ok(Outcome::Reconnect { resume: true })));
    }

    #[test]
    fn the_intents_are_guild_and_direct_messages_with_content() {
        assert_eq!(INTENTS, 512 + 4096 + 32768);
    }
}
