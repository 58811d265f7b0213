//! A fake Slack Web API on 127.0.0.1:0 speaking the real JSON: auth.test, chat.postMessage,
//! files.getUploadURLExternal (form-encoded, as live Slack insists) + the upload URL +
//! files.completeUploadExternal, files.info, private file downloads (bot token required), and
//! interaction `response_url`s; and Socket Mode: apps.connections.open (app-level token) and a
//! websocket that says hello, sends the envelopes a test pushes and records their acks. Tests
//! register files, read what the bot sent, make a method answer 429 with `Retry-After`, and
//! take the Web API down and back up (connections refused meanwhile, on the same port).

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use axum::Router;
use axum::body::Bytes;
use axum::extract::Request;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use hyper_util::rt::TokioIo;
use hyper_util::service::TowerToHyperService;
use serde_json::{Value, json};
use tokio::task::JoinHandle;

pub const TOKEN: &str = "xoxb-test-token-very-secret";
pub const SIGNING_SECRET: &str = "test-signing-secret-very-secret";
pub const APP_TOKEN: &str = "xapp-1-test-app-token-very-secret";

/// One call the bot made to a Web API method (or an upload / response URL).
#[derive(Debug, Clone)]
pub struct Call {
    pub method: String,
    /// JSON body or form fields (as strings).
    pub fields: Value,
    /// For files.completeUploadExternal: (title, bytes) of each file completed.
    pub files: Vec<(String, Vec<u8>)>,
    /// For chat.postMessage: the `ts` the new message got.
    pub ts: Option<String>,
    pub at: Instant,
}

#[derive(Default)]
struct Inner {
    /// Downloadable files by id: (name, bytes, shares).
    files: HashMap<String, (String, Vec<u8>, Value)>,
    /// Reserved uploads: file id → (filename, announced length, bytes once uploaded).
    uploads: HashMap<String, (String, usize, Option<Vec<u8>>)>,
    calls: Vec<Call>,
    downloads: Vec<String>,
    /// method → (answers still to refuse, retry_after)
    limited: HashMap<String, (u32, u64)>,
    refused: Vec<(String, Instant)>,
    seq: u64,
    /// Socket Mode: envelopes waiting to be sent, acks received, connections accepted.
    socket_out: Vec<Value>,
    acks: Vec<String>,
    socket_connections: usize,
    socket_port: u16,
}

#[derive(Clone)]
pub struct FakeSlack {
    /// The server's origin; the Web API is under `{url}/api`.
    pub url: String,
    addr: SocketAddr,
    inner: Arc<Mutex<Inner>>,
    server: Arc<Mutex<Option<JoinHandle<()>>>>,
}

impl FakeSlack {
    pub async fn start() -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("addr");
        let fake = Self {
            url: format!("http://{addr}"),
            addr,
            inner: Arc::new(Mutex::new(Inner::default())),
            server: Arc::new(Mutex::new(None)),
        };
        fake.serve(listener);
        let socket = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind socket");
        fake.inner.lock().expect("lock").socket_port = socket.local_addr().expect("addr").port();
        tokio::spawn(serve_socket(socket, fake.inner.clone()));
        fake
    }

    /// Sends an envelope over every Socket Mode connection (the next one, if none is open).
    pub fn push_socket(&self, envelope: Value) {
        self.inner.lock().expect("lock").socket_out.push(envelope);
    }

    pub fn acks(&self) -> Vec<String> {
        self.inner.lock().expect("lock").acks.clone()
    }

    pub fn socket_connections(&self) -> usize {
        self.inner.lock().expect("lock").socket_connections
    }

    pub fn api_url(&self) -> String {
        format!("{}/api", self.url)
    }

    /// Serves on `listener`; every connection is a task of the server's, so stopping the
    /// server drops open keep-alive connections too.
    fn serve(&self, listener: tokio::net::TcpListener) {
        let inner = self.inner.clone();
        let base = self.url.clone();
        let router = Router::new().fallback(move |req: Request| {
            let state = inner.clone();
            let base = base.clone();
            async move { handle(state, base, req).await }
        });
        let task = tokio::spawn(async move {
            let mut conns = tokio::task::JoinSet::new();
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    continue;
                };
                let svc = TowerToHyperService::new(router.clone());
                conns.spawn(async move {
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), svc)
                        .await;
                });
                while conns.try_join_next().is_some() {}
            }
        });
        *self.server.lock().expect("lock") = Some(task);
    }

    /// Takes the server down: connections are refused until [`Self::restart`].
    pub fn stop(&self) {
        if let Some(t) = self.server.lock().expect("lock").take() {
            t.abort();
        }
    }

    /// Brings the server back on the same port.
    pub async fn restart(&self) {
        let mut tries = 0;
        let listener = loop {
            match tokio::net::TcpListener::bind(self.addr).await {
                Ok(l) => break l,
                Err(e) if tries < 50 => {
                    tries += 1;
                    let _ = e;
                    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                }
                Err(e) => panic!("cannot bind {} again: {e}", self.addr),
            }
        };
        self.serve(listener);
    }

    /// A private file as a message event lists it.
    pub fn add_file(&self, id: &str, name: &str, mimetype: &str, content: &[u8]) -> Value {
        self.inner
            .lock()
            .expect("lock")
            .files
            .insert(id.into(), (name.into(), content.to_vec(), json!({})));
        json!({
            "id": id, "name": name, "title": name, "mimetype": mimetype, "filetype": "text",
            "size": content.len(), "mode": "hosted", "is_external": false,
            "url_private": format!("{}/files-pri/{id}/{name}", self.url),
            "url_private_download": format!("{}/files-pri/{id}/download/{name}", self.url),
        })
    }

    /// Records that `file` was shared in `channel` by the message `ts` (for files.info).
    pub fn share(&self, file: &str, channel: &str, ts: &str) {
        if let Some(f) = self.inner.lock().expect("lock").files.get_mut(file) {
            f.2 = json!({"public": {channel: [{"ts": ts, "channel_name": "sales", "team_id": "T1"}]}});
        }
    }

    /// The next `times` calls of `method` answer 429 with `Retry-After: retry_after`.
    pub fn rate_limit(&self, method: &str, times: u32, retry_after: u64) {
        self.inner
            .lock()
            .expect("lock")
            .limited
            .insert(method.into(), (times, retry_after));
    }

    pub fn calls(&self) -> Vec<Call> {
        self.inner.lock().expect("lock").calls.clone()
    }

    pub fn downloads(&self) -> Vec<String> {
        self.inner.lock().expect("lock").downloads.clone()
    }

    pub fn refused(&self) -> Vec<(String, Instant)> {
        self.inner.lock().expect("lock").refused.clone()
    }
}

fn ok(mut body: Value) -> Response {
    body["ok"] = json!(true);
    axum::Json(body).into_response()
}

/// Slack's errors are HTTP 200 with `ok: false`.
fn err(error: &str) -> Response {
    axum::Json(json!({"ok": false, "error": error})).into_response()
}

fn authorised(headers: &HeaderMap) -> bool {
    headers.get("authorization").and_then(|v| v.to_str().ok()) == Some(&format!("Bearer {TOKEN}"))
}

async fn handle(state: Arc<Mutex<Inner>>, base: String, req: Request) -> Response {
    let path = req.uri().path().to_string();
    let headers = req.headers().clone();
    let content_type = headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let body: Bytes = axum::body::to_bytes(req.into_body(), 64 << 20)
        .await
        .unwrap_or_default();
    let now = Instant::now();
    if let Some(rest) = path.strip_prefix("/files-pri/") {
        if !authorised(&headers) {
            // what Slack does without a token: its sign-in page
            return ([("content-type", "text/html")], "<html>sign in</html>").into_response();
        }
        let id = rest.split('/').next().unwrap_or("").to_string();
        let mut s = state.lock().expect("lock");
        s.downloads.push(id.clone());
        return match s.files.get(&id) {
            Some((_, bytes, _)) => bytes.clone().into_response(),
            None => StatusCode::NOT_FOUND.into_response(),
        };
    }
    if let Some(id) = path.strip_prefix("/upload/") {
        let mut s = state.lock().expect("lock");
        return match s.uploads.get_mut(id) {
            Some(slot) => {
                slot.2 = Some(body.to_vec());
                format!("OK - {}", body.len()).into_response()
            }
            None => StatusCode::NOT_FOUND.into_response(),
        };
    }
    if path.starts_with("/response/") {
        let fields: Value = serde_json::from_slice(&body).unwrap_or(json!({}));
        state.lock().expect("lock").calls.push(Call {
            method: "response_url".into(),
            fields,
            files: vec![],
            ts: None,
            at: now,
        });
        return "ok".into_response();
    }
    let Some(method) = path.strip_prefix("/api/").map(str::to_string) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let token = if method == "apps.connections.open" {
        APP_TOKEN
    } else {
        TOKEN
    };
    if headers.get("authorization").and_then(|v| v.to_str().ok()) != Some(&format!("Bearer {token}")) {
        return err("not_authed");
    }
    {
        let mut s = state.lock().expect("lock");
        if let Some((times, after)) = s.limited.get_mut(&method)
            && *times > 0
        {
            *times -= 1;
            let after = *after;
            s.refused.push((method.clone(), now));
            return (
                StatusCode::TOO_MANY_REQUESTS,
                [("retry-after", after.to_string())],
                axum::Json(json!({"ok": false, "error": "ratelimited"})),
            )
                .into_response();
        }
    }
    let form = content_type.starts_with("application/x-www-form-urlencoded");
    let fields: Value = if form {
        let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(&body).unwrap_or_default();
        Value::Object(pairs.into_iter().map(|(k, v)| (k, Value::String(v))).collect())
    } else if content_type.starts_with("application/json") {
        serde_json::from_slice(&body).unwrap_or(json!({}))
    } else {
        json!({})
    };
    let mut s = state.lock().expect("lock");
    s.seq += 1;
    let seq = s.seq;
    let mut call = Call {
        method: method.clone(),
        fields: fields.clone(),
        files: vec![],
        ts: None,
        at: now,
    };
    let answer = match method.as_str() {
        "apps.connections.open" => ok(json!({"url": format!(
            "ws://127.0.0.1:{}/link/?ticket=t-{seq}&app_id=A1",
            s.socket_port
        )})),
        "auth.test" => ok(
            json!({"url": "https://horme-test.slack.com/", "team": "Horme Test", "user": "horme",
                                 "team_id": "T1", "user_id": "UBOT", "bot_id": "BBOT"}),
        ),
        "chat.postMessage" => {
            let channel = fields["channel"].as_str().unwrap_or("").to_string();
            if !content_type.starts_with("application/json") || channel.is_empty() {
                return err("channel_not_found");
            }
            let ts = format!("1780001{seq:03}.000100");
            call.ts = Some(ts.clone());
            ok(json!({"channel": channel, "ts": ts,
                      "message": {"type": "message", "user": "UBOT", "bot_id": "BBOT", "text": fields["text"], "ts": ts}}))
        }
        "chat.delete" => ok(json!({"channel": fields["channel"], "ts": fields["ts"]})),
        "files.getUploadURLExternal" => {
            // live Slack refuses a JSON body here
            let (Some(name), Some(len)) = (
                fields["filename"].as_str().filter(|_| form),
                fields["length"].as_str().and_then(|l| l.parse::<usize>().ok()),
            ) else {
                return err("invalid_arguments");
            };
            let id = format!("F{seq:04}");
            s.uploads.insert(id.clone(), (name.to_string(), len, None));
            ok(json!({"upload_url": format!("{base}/upload/{id}"), "file_id": id}))
        }
        "files.completeUploadExternal" => {
            let mut done = Vec::new();
            for f in fields["files"].as_array().cloned().unwrap_or_default() {
                let id = f["id"].as_str().unwrap_or("");
                match s.uploads.get(id) {
                    Some((_, len, Some(bytes))) if bytes.len() == *len => {
                        done.push((f["title"].as_str().unwrap_or("").to_string(), bytes.clone()));
                    }
                    _ => return err("file_not_found"),
                }
            }
            if done.is_empty() || fields["channel_id"].as_str().is_none() {
                return err("invalid_arguments");
            }
            call.files = done;
            ok(json!({"files": fields["files"]}))
        }
        "files.info" => {
            let id = fields["file"].as_str().unwrap_or("").to_string();
            match s.files.get(&id) {
                Some((name, bytes, shares)) => ok(json!({"file": {
                    "id": id, "name": name, "title": name, "mimetype": "text/plain", "size": bytes.len(),
                    "url_private_download": format!("{base}/files-pri/{id}/download/{name}"),
                    "shares": shares}})),
                None => err("file_not_found"),
            }
        }
        _ => err("unknown_method"),
    };
    s.calls.push(call);
    answer
}

/// The Socket Mode side: each connection gets `hello`, then the pushed envelopes; text frames
/// from the bot are acks (`{"envelope_id": …}`).
async fn serve_socket(listener: tokio::net::TcpListener, state: Arc<Mutex<Inner>>) {
    use futures::{SinkExt, StreamExt};
    use tokio_tungstenite::tungstenite::Message;
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        let state = state.clone();
        tokio::spawn(async move {
            let Ok(mut ws) = tokio_tungstenite::accept_async(stream).await else {
                return;
            };
            state.lock().expect("lock").socket_connections += 1;
            let hello = json!({"type": "hello", "num_connections": 1, "connection_info": {"app_id": "A1"},
                               "debug_info": {"host": "fake", "approximate_connection_time": 3600}});
            if ws.send(Message::Text(hello.to_string().into())).await.is_err() {
                return;
            }
            let mut tick = tokio::time::interval(std::time::Duration::from_millis(50));
            loop {
                tokio::select! {
                    msg = ws.next() => match msg {
                        Some(Ok(Message::Text(t))) => {
                            let v: Value = serde_json::from_str(t.as_str()).unwrap_or(json!({}));
                            if let Some(id) = v["envelope_id"].as_str() {
                                state.lock().expect("lock").acks.push(id.to_string());
                            }
                        }
                        Some(Ok(Message::Close(_))) | None | Some(Err(_)) => return,
                        Some(Ok(_)) => {}
                    },
                    _ = tick.tick() => {
                        let out: Vec<Value> = std::mem::take(&mut state.lock().expect("lock").socket_out);
                        for e in out {
                            if ws.send(Message::Text(e.to_string().into())).await.is_err() {
                                return;
                            }
                        }
                    }
                }
            }
        });
    }
}
