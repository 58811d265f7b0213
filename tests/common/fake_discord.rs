//! A fake Discord on 127.0.0.1: the REST API under `/api/v10` speaking the real JSON
//! (`users/@me`, `gateway/bot`, create message — JSON or multipart `payload_json` +
//! `files[n]` —, start a thread from a message with the "already created" error 160004, the
//! interaction callback, attachment downloads) and a gateway websocket (HELLO, IDENTIFY →
//! READY, heartbeat → ACK, RESUME → replay → RESUMED, DISPATCH with sequence numbers).
//! Tests push gateway events, read what the bot sent, make a route answer 429 with
//! `retry_after`, take the REST API down, or drop the gateway connection.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Bytes;
use axum::extract::{FromRequest, Multipart, Request};
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Response};
use futures::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio::sync::Notify;
use tokio_tungstenite::tungstenite::Message as Ws;

pub const TOKEN: &str = "MTIzNDU2.fake.discord-token-very-secret";
pub const BOT_ID: u64 = 1_100_000_000_000_000_001;

/// One call the bot made to a sending route.
#[derive(Debug, Clone)]
pub struct Sent {
    /// `message`, `thread` or `interaction`.
    pub what: String,
    /// The channel posted to (message, thread), or the interaction id.
    pub target: u64,
    /// The JSON body (or `payload_json`).
    pub body: Value,
    pub files: Vec<(String, Vec<u8>)>,
    pub at: Instant,
}

#[derive(Default)]
struct Inner {
    /// Every dispatched event, in order: its sequence number is its index + 1.
    events: Vec<(String, Value)>,
    files: HashMap<String, Vec<u8>>,
    sent: Vec<Sent>,
    threads: HashSet<u64>,
    /// threads deleted by a moderator: posting into them answers 404 Unknown Channel
    deleted: HashSet<u64>,
    /// route (`message`, `thread`, `interaction`) → (answers still to refuse, retry_after)
    limited: HashMap<String, (u32, f64)>,
    refused: Vec<(String, Instant)>,
    down: bool,
    identifies: Vec<Value>,
    resumes: Vec<Value>,
    /// bumped to make live gateway connections close (a dropped connection)
    generation: u64,
    /// open gateway connections
    live: usize,
    /// heartbeats go unanswered (a zombie connection)
    silent: bool,
    heartbeats: usize,
    /// channel → the messages posted in it (as REST returns them: without guild_id)
    history: HashMap<u64, Vec<Value>>,
    channel_guilds: HashMap<u64, Value>,
    /// `GET /channels/{id}/messages` calls (their query strings)
    reads: Vec<String>,
    next_id: u64,
}

#[derive(Clone)]
pub struct FakeDiscord {
    /// The REST base, as `discord.api_url` takes it.
    pub api_url: String,
    /// Where files are downloaded from.
    pub cdn_url: String,
    pub gateway_url: String,
    inner: Arc<Mutex<Inner>>,
    wake: Arc<Notify>,
}

impl FakeDiscord {
    pub async fn start() -> Self {
        let inner = Arc::new(Mutex::new(Inner {
            next_id: 1_300_000_000_000_000_000,
            ..Inner::default()
        }));
        let wake = Arc::new(Notify::new());
        let gw = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let gateway_url = format!("ws://{}", gw.local_addr().expect("addr"));
        let rest = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let base = format!("http://{}", rest.local_addr().expect("addr"));
        let fake = Self {
            api_url: format!("{base}/api/v10"),
            cdn_url: format!("{base}/attachments"),
            gateway_url: gateway_url.clone(),
            inner,
            wake,
        };
        let state = fake.clone();
        let app = Router::new().fallback(move |req: Request| {
            let state = state.clone();
            async move { state.rest(req).await }
        });
        tokio::spawn(async move { axum::serve(rest, app).await.ok() });
        let state = fake.clone();
        tokio::spawn(async move {
            while let Ok((tcp, _)) = gw.accept().await {
                let state = state.clone();
                tokio::spawn(async move { state.gateway(tcp).await });
            }
        });
        fake
    }

    /// Dispatches an event to the bot (now if connected, on a resume if it was dropped; a
    /// fresh session gets only what comes after it). A message is kept in its channel's history.
    pub fn dispatch(&self, t: &str, d: Value) {
        let mut s = self.inner.lock().expect("lock");
        if t == "MESSAGE_CREATE" {
            let channel: u64 = d["channel_id"].as_str().and_then(|c| c.parse().ok()).unwrap_or(0);
            if let Some(g) = d.get("guild_id") {
                s.channel_guilds.insert(channel, g.clone());
            }
            let mut m = d.clone();
            if let Some(o) = m.as_object_mut() {
                o.remove("guild_id");
                o.remove("member");
            }
            s.history.entry(channel).or_default().push(m);
        }
        s.events.push((t.into(), d));
        drop(s);
        self.wake.notify_waiters();
    }

    /// A thread on `message` that existed and was deleted.
    pub fn delete_thread(&self, message: u64) {
        let mut s = self.inner.lock().expect("lock");
        s.threads.insert(message);
        s.deleted.insert(message);
    }

    /// Heartbeats go unanswered from now on (or again answered).
    pub fn set_silent(&self, silent: bool) {
        self.inner.lock().expect("lock").silent = silent;
    }

    pub fn heartbeats(&self) -> usize {
        self.inner.lock().expect("lock").heartbeats
    }

    /// Open gateway connections.
    pub fn live_connections(&self) -> usize {
        self.inner.lock().expect("lock").live
    }

    /// The query strings of the bot's reads of a channel's messages.
    pub fn history_reads(&self) -> Vec<String> {
        self.inner.lock().expect("lock").reads.clone()
    }

    pub fn add_file(&self, name: &str, content: &[u8]) -> String {
        self.inner
            .lock()
            .expect("lock")
            .files
            .insert(name.into(), content.to_vec());
        format!("{}/{name}", self.cdn_url)
    }

    /// The next `times` calls of `route` (`message`, `thread`, `interaction`) answer 429.
    pub fn rate_limit(&self, route: &str, times: u32, retry_after: f64) {
        self.inner
            .lock()
            .expect("lock")
            .limited
            .insert(route.into(), (times, retry_after));
    }

    /// While down, every REST call answers 502 (as Discord's edge does in an outage).
    pub fn set_down(&self, down: bool) {
        self.inner.lock().expect("lock").down = down;
    }

    /// Closes every live gateway connection (the bot should resume).
    pub fn drop_connections(&self) {
        self.inner.lock().expect("lock").generation += 1;
        self.wake.notify_waiters();
    }

    pub fn sent(&self) -> Vec<Sent> {
        self.inner.lock().expect("lock").sent.clone()
    }

    pub fn refused(&self) -> Vec<(String, Instant)> {
        self.inner.lock().expect("lock").refused.clone()
    }

    pub fn identifies(&self) -> Vec<Value> {
        self.inner.lock().expect("lock").identifies.clone()
    }

    pub fn resumes(&self) -> Vec<Value> {
        self.inner.lock().expect("lock").resumes.clone()
    }

    /// Waits until the bot has identified `n` times.
    pub async fn wait_identified(&self, n: usize) {
        let ok = super::eventually(Duration::from_secs(30), || async {
            (self.identifies().len() >= n).then_some(())
        })
        .await;
        assert!(ok.is_some(), "the bot never identified on the gateway");
    }

    fn error(status: u16, code: u32, message: &str) -> Response {
        (
            StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_REQUEST),
            axum::Json(json!({"code": code, "message": message})),
        )
            .into_response()
    }

    async fn rest(&self, req: Request) -> Response {
        let path = req.uri().path().to_string();
        let method = req.method().clone();
        if let Some(name) = path.strip_prefix("/attachments/") {
            return match self.inner.lock().expect("lock").files.get(name) {
                Some(b) => b.clone().into_response(),
                None => StatusCode::NOT_FOUND.into_response(),
            };
        }
        if self.inner.lock().expect("lock").down {
            return (StatusCode::BAD_GATEWAY, "upstream unavailable").into_response();
        }
        let Some(route) = path.strip_prefix("/api/v10/") else {
            return Self::error(404, 0, "404: Not Found");
        };
        let parts: Vec<&str> = route.split('/').collect();
        let authorised = req
            .headers()
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v == format!("Bot {TOKEN}"));
        if !authorised && parts.first() != Some(&"interactions") {
            return Self::error(401, 0, "401: Unauthorized");
        }
        let kind = match (&method, parts.as_slice()) {
            (&Method::GET, ["users", "@me"]) => {
                return axum::Json(json!({"id": BOT_ID.to_string(), "username": "horme", "bot": true})).into_response();
            }
            (&Method::GET, ["gateway", "bot"]) => {
                return axum::Json(json!({"url": self.gateway_url, "shards": 1,
                    "session_start_limit": {"total": 1000, "remaining": 999, "reset_after": 0, "max_concurrency": 1}}))
                .into_response();
            }
            (&Method::GET, ["channels", c]) => {
                let id: u64 = c.parse().unwrap_or(0);
                let guild = self.inner.lock().expect("lock").channel_guilds.get(&id).cloned();
                return match guild {
                    Some(g) => axum::Json(json!({"id": id.to_string(), "type": 0, "guild_id": g})).into_response(),
                    None => Self::error(404, 10003, "Unknown Channel"),
                };
            }
            (&Method::GET, ["channels", c, "messages"]) => {
                let id: u64 = c.parse().unwrap_or(0);
                let query = req.uri().query().unwrap_or("").to_string();
                let param = |k: &str| {
                    query
                        .split('&')
                        .find_map(|p| p.strip_prefix(&format!("{k}=")))
                        .and_then(|v| v.parse::<u64>().ok())
                };
                let (after, limit) = (param("after").unwrap_or(0), param("limit").unwrap_or(50) as usize);
                let mut s = self.inner.lock().expect("lock");
                s.reads.push(query.clone());
                let id_of = |m: &Value| m["id"].as_str().and_then(|i| i.parse::<u64>().ok()).unwrap_or(0);
                let mut found: Vec<Value> = s
                    .history
                    .get(&id)
                    .map(|h| h.iter().filter(|m| id_of(m) > after).cloned().collect())
                    .unwrap_or_default();
                // the oldest `limit` after `after`, returned newest first (as Discord does)
                found.sort_by_key(|m| id_of(m));
                found.truncate(limit);
                found.reverse();
                return axum::Json(Value::Array(found)).into_response();
            }
            (&Method::POST, ["channels", _, "messages"]) => "message",
            (&Method::POST, ["channels", _, "messages", _, "threads"]) => "thread",
            (&Method::POST, ["interactions", _, _, "callback"]) => "interaction",
            _ => return Self::error(404, 0, "404: Not Found"),
        };
        {
            let mut s = self.inner.lock().expect("lock");
            if let Some((times, after)) = s.limited.get_mut(kind)
                && *times > 0
            {
                *times -= 1;
                let after = *after;
                s.refused.push((kind.into(), Instant::now()));
                return (
                    StatusCode::TOO_MANY_REQUESTS,
                    [("retry-after", format!("{}", after.ceil() as u64))],
                    axum::Json(
                        json!({"message": "You are being rate limited.", "retry_after": after, "global": false}),
                    ),
                )
                    .into_response();
            }
        }
        let is_multipart = req
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("multipart/"));
        let (body, files) = if is_multipart {
            let Ok(mut mp) = Multipart::from_request(req, &()).await else {
                return Self::error(400, 50035, "Invalid Form Body");
            };
            let mut body = json!({});
            let mut files = Vec::new();
            while let Ok(Some(field)) = mp.next_field().await {
                let name = field.name().unwrap_or("").to_string();
                let filename = field.file_name().map(str::to_string);
                let data: Bytes = field.bytes().await.unwrap_or_default();
                match (name.as_str(), filename) {
                    ("payload_json", _) => body = serde_json::from_slice(&data).unwrap_or(json!({})),
                    (n, Some(f)) if n.starts_with("files[") => files.push((f, data.to_vec())),
                    _ => return Self::error(400, 50035, "Invalid Form Body"),
                }
            }
            (body, files)
        } else {
            let bytes = axum::body::to_bytes(req.into_body(), 1 << 20).await.unwrap_or_default();
            (serde_json::from_slice(&bytes).unwrap_or(json!({})), Vec::new())
        };
        let target: u64 = parts[1].parse().unwrap_or(0);
        let mut s = self.inner.lock().expect("lock");
        match kind {
            "thread" => {
                let message: u64 = parts[3].parse().unwrap_or(0);
                if !s.threads.insert(message) {
                    return Self::error(400, 160004, "A thread has already been created for this message");
                }
                s.sent.push(Sent {
                    what: "thread".into(),
                    target,
                    body: body.clone(),
                    files,
                    at: Instant::now(),
                });
                axum::Json(
                    json!({"id": message.to_string(), "type": 11, "parent_id": target.to_string(),
                                  "name": body["name"]}),
                )
                .into_response()
            }
            "interaction" => {
                s.sent.push(Sent {
                    what: "interaction".into(),
                    target,
                    body,
                    files,
                    at: Instant::now(),
                });
                StatusCode::NO_CONTENT.into_response()
            }
            _ => {
                if s.deleted.contains(&target) {
                    return Self::error(404, 10003, "Unknown Channel");
                }
                if body["content"].as_str().unwrap_or("").chars().count() > 2000 {
                    return Self::error(400, 50035, "Invalid Form Body");
                }
                s.next_id += 1;
                let id = s.next_id;
                let attachments: Vec<Value> = files
                    .iter()
                    .enumerate()
                    .map(|(i, (f, b))| json!({"id": (id + i as u64).to_string(), "filename": f, "size": b.len(), "url": ""}))
                    .collect();
                s.sent.push(Sent {
                    what: "message".into(),
                    target,
                    body: body.clone(),
                    files,
                    at: Instant::now(),
                });
                axum::Json(
                    json!({"id": id.to_string(), "channel_id": target.to_string(), "type": 0,
                    "content": body["content"], "author": {"id": BOT_ID.to_string(), "username": "horme", "bot": true},
                    "attachments": attachments, "components": body.get("components").cloned().unwrap_or(json!([]))}),
                )
                .into_response()
            }
        }
    }

    /// One gateway connection.
    async fn gateway(&self, tcp: tokio::net::TcpStream) {
        let Ok(mut ws) = tokio_tungstenite::accept_async(tcp).await else {
            return;
        };
        let generation = {
            let mut s = self.inner.lock().expect("lock");
            s.live += 1;
            s.generation
        };
        self.session(&mut ws, generation).await;
        self.inner.lock().expect("lock").live -= 1;
    }

    async fn session(&self, ws: &mut tokio_tungstenite::WebSocketStream<tokio::net::TcpStream>, generation: u64) {
        let hello = json!({"op": 10, "d": {"heartbeat_interval": 1500}, "s": null, "t": null});
        if ws.send(Ws::text(hello.to_string())).await.is_err() {
            return;
        }
        // events from this index on are still to send on this connection
        let mut next: Option<usize> = None;
        loop {
            let wake = self.wake.notified();
            let (dropped, pending): (bool, Vec<(usize, String, Value)>) = {
                let s = self.inner.lock().expect("lock");
                let pending = match next {
                    Some(n) => s.events[n.min(s.events.len())..]
                        .iter()
                        .enumerate()
                        .map(|(i, (t, d))| (n + i, t.clone(), d.clone()))
                        .collect(),
                    None => Vec::new(),
                };
                (s.generation != generation, pending)
            };
            if dropped {
                let _ = ws.close(None).await;
                return;
            }
            for (i, t, d) in pending {
                let frame = json!({"op": 0, "s": i + 1, "t": t, "d": d});
                if ws.send(Ws::text(frame.to_string())).await.is_err() {
                    return;
                }
                next = Some(i + 1);
            }
            let msg = tokio::select! {
                _ = wake => continue,
                _ = tokio::time::sleep(Duration::from_millis(100)) => continue,
                m = ws.next() => m,
            };
            let Some(Ok(Ws::Text(text))) = msg else {
                match msg {
                    Some(Ok(_)) => continue,
                    _ => return,
                }
            };
            let v: Value = serde_json::from_str(text.as_str()).unwrap_or(Value::Null);
            match v["op"].as_u64() {
                Some(1) => {
                    let silent = {
                        let mut s = self.inner.lock().expect("lock");
                        s.heartbeats += 1;
                        s.silent
                    };
                    if !silent && ws.send(Ws::text(json!({"op": 11}).to_string())).await.is_err() {
                        return;
                    }
                }
                Some(2) => {
                    if v["d"]["token"] != TOKEN {
                        let _ = ws
                            .close(Some(tokio_tungstenite::tungstenite::protocol::CloseFrame {
                                code: 4004.into(),
                                reason: "Authentication failed.".into(),
                            }))
                            .await;
                        return;
                    }
                    let seq = {
                        let mut s = self.inner.lock().expect("lock");
                        s.identifies.push(v["d"].clone());
                        s.events.len()
                    };
                    let ready = json!({"op": 0, "s": null, "t": "READY", "d": {
                        "v": 10, "session_id": "fake-session", "resume_gateway_url": self.gateway_url,
                        "user": {"id": BOT_ID.to_string(), "username": "horme", "bot": true}, "guilds": []}});
                    if ws.send(Ws::text(ready.to_string())).await.is_err() {
                        return;
                    }
                    // a fresh session receives what happens from now on
                    next = Some(seq);
                }
                Some(6) => {
                    let seq = v["d"]["seq"].as_u64().unwrap_or(0) as usize;
                    self.inner.lock().expect("lock").resumes.push(v["d"].clone());
                    // what the bot missed is replayed, then RESUMED
                    next = Some(seq);
                    let pending: Vec<(usize, String, Value)> = {
                        let s = self.inner.lock().expect("lock");
                        s.events[seq.min(s.events.len())..]
                            .iter()
                            .enumerate()
                            .map(|(i, (t, d))| (seq + i, t.clone(), d.clone()))
                            .collect()
                    };
                    for (i, t, d) in pending {
                        let frame = json!({"op": 0, "s": i + 1, "t": t, "d": d});
                        if ws.send(Ws::text(frame.to_string())).await.is_err() {
                            return;
                        }
                        next = Some(i + 1);
                    }
                    let resumed = json!({"op": 0, "s": null, "t": "RESUMED", "d": {}});
                    if ws.send(Ws::text(resumed.to_string())).await.is_err() {
                        return;
                    }
                }
                _ => {}
            }
        }
    }
}
