//! A fake Telegram Bot API server on 127.0.0.1:0 speaking the real JSON: getMe, getUpdates
//! (offset semantics), getFile and the file download path, sendMessage, sendDocument
//! (multipart), answerCallbackQuery. Tests push updates and files, read what the bot sent,
//! and can make a method answer 429 with `retry_after`, or the whole server answer 502 for a
//! while (Telegram unreachable behind a proxy).

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{FromRequest, Multipart, Request};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

pub const TOKEN: &str = "123456:test-token-very-secret";

/// One call the bot made to a sending method.
#[derive(Debug, Clone)]
pub struct Sent {
    pub method: String,
    /// JSON body, or the multipart text fields (JSON-valued ones parsed).
    pub fields: Value,
    pub document: Option<(String, Vec<u8>)>,
    pub at: Instant,
}

#[derive(Default)]
struct Inner {
    updates: VecDeque<Value>,
    files: HashMap<String, Vec<u8>>,
    sent: Vec<Sent>,
    /// method → (answers still to refuse, retry_after)
    limited: HashMap<String, (u32, u64)>,
    refused: Vec<(String, Instant)>,
    /// Every request answers 502 while set.
    down: bool,
    /// getUpdates calls so far.
    polled: usize,
}

#[derive(Clone)]
pub struct FakeTelegram {
    pub url: String,
    inner: Arc<Mutex<Inner>>,
}

impl FakeTelegram {
    pub async fn start() -> Self {
        let inner = Arc::new(Mutex::new(Inner::default()));
        let state = inner.clone();
        let app = Router::new().fallback(move |req: Request| {
            let state = state.clone();
            async move { handle(state, req).await }
        });
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let url = format!("http://{}", listener.local_addr().expect("addr"));
        tokio::spawn(async move { axum::serve(listener, app).await.ok() });
        Self { url, inner }
    }

    /// Makes every request answer 502 Bad Gateway (true) or serves again (false).
    pub fn set_down(&self, down: bool) {
        self.inner.lock().expect("lock").down = down;
    }

    pub fn push_update(&self, update: Value) {
        self.inner.lock().expect("lock").updates.push_back(update);
    }

    pub fn add_file(&self, file_id: &str, content: &[u8]) {
        self.inner
            .lock()
            .expect("lock")
            .files
            .insert(file_id.into(), content.to_vec());
    }

    /// The next `times` calls of `method` answer 429 with `retry_after`.
    pub fn rate_limit(&self, method: &str, times: u32, retry_after: u64) {
        self.inner
            .lock()
            .expect("lock")
            .limited
            .insert(method.into(), (times, retry_after));
    }

    /// How many times getUpdates was called.
    pub fn polled(&self) -> usize {
        self.inner.lock().expect("lock").polled
    }

    pub fn sent(&self) -> Vec<Sent> {
        self.inner.lock().expect("lock").sent.clone()
    }

    pub fn refused(&self) -> Vec<(String, Instant)> {
        self.inner.lock().expect("lock").refused.clone()
    }
}

fn ok(result: Value) -> Response {
    axum::Json(json!({"ok": true, "result": result})).into_response()
}

fn err(code: u16, description: &str, extra: Value) -> Response {
    let mut body = json!({"ok": false, "error_code": code, "description": description});
    if !extra.is_null() {
        body["parameters"] = extra;
    }
    (
        StatusCode::from_u16(code).unwrap_or(StatusCode::BAD_REQUEST),
        axum::Json(body),
    )
        .into_response()
}

async fn handle(state: Arc<Mutex<Inner>>, req: Request) -> Response {
    if state.lock().expect("lock").down {
        return (StatusCode::BAD_GATEWAY, "502 Bad Gateway").into_response();
    }
    let path = req.uri().path().to_string();
    if let Some(rest) = path.strip_prefix(&format!("/file/bot{TOKEN}/")) {
        let file_id = rest.trim_start_matches("documents/").to_string();
        return match state.lock().expect("lock").files.get(&file_id) {
            Some(bytes) => bytes.clone().into_response(),
            None => StatusCode::NOT_FOUND.into_response(),
        };
    }
    let Some(method) = path.strip_prefix(&format!("/bot{TOKEN}/")).map(str::to_string) else {
        return err(401, "Unauthorized", Value::Null);
    };
    {
        let mut s = state.lock().expect("lock");
        if let Some((times, after)) = s.limited.get_mut(&method)
            && *times > 0
        {
            *times -= 1;
            let after = *after;
            s.refused.push((method.clone(), Instant::now()));
            return err(
                429,
                &format!("Too Many Requests: retry after {after}"),
                json!({"retry_after": after}),
            );
        }
    }
    let is_multipart = req
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/"));
    let (fields, document) = if is_multipart {
        let mut mp = match Multipart::from_request(req, &()).await {
            Ok(m) => m,
            Err(_) => return err(400, "Bad Request: multipart", Value::Null),
        };
        let mut fields = json!({});
        let mut document = None;
        while let Ok(Some(field)) = mp.next_field().await {
            let name = field.name().unwrap_or("").to_string();
            let filename = field.file_name().map(str::to_string);
            let data: Bytes = field.bytes().await.unwrap_or_default();
            match filename {
                Some(f) => document = Some((f, data.to_vec())),
                None => {
                    let text = String::from_utf8_lossy(&data).to_string();
                    fields[name] = serde_json::from_str(&text).unwrap_or(Value::String(text));
                }
            }
        }
        (fields, document)
    } else {
        let body = axum::body::to_bytes(req.into_body(), 1 << 20).await.unwrap_or_default();
        (serde_json::from_slice(&body).unwrap_or(json!({})), None)
    };
    match method.as_str() {
        "getMe" => ok(json!({"id": 123456, "is_bot": true, "first_name": "Horme", "username": "horme_test_bot"})),
        "getUpdates" => {
            let offset = fields["offset"].as_i64().unwrap_or(0);
            let pending: Vec<Value> = {
                let mut s = state.lock().expect("lock");
                s.polled += 1;
                // an offset confirms every earlier update (as the real API does)
                s.updates.retain(|u| u["update_id"].as_i64().unwrap_or(0) >= offset);
                s.updates.iter().cloned().collect()
            };
            if pending.is_empty() {
                tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            }
            ok(Value::Array(pending))
        }
        "getFile" => {
            let id = fields["file_id"].as_str().unwrap_or("").to_string();
            let size = state.lock().expect("lock").files.get(&id).map(Vec::len);
            match size {
                Some(n) => ok(
                    json!({"file_id": id, "file_unique_id": id, "file_size": n, "file_path": format!("documents/{id}")}),
                ),
                None => err(400, "Bad Request: invalid file_id", Value::Null),
            }
        }
        "setWebhook" | "deleteWebhook" => {
            state.lock().expect("lock").sent.push(Sent {
                method: method.clone(),
                fields: fields.clone(),
                document,
                at: Instant::now(),
            });
            ok(json!(true))
        }
        "sendMessage" | "sendDocument" | "answerCallbackQuery" => {
            let mut s = state.lock().expect("lock");
            s.sent.push(Sent {
                method: method.clone(),
                fields: fields.clone(),
                document,
                at: Instant::now(),
            });
            if method == "answerCallbackQuery" {
                return ok(json!(true));
            }
            let id = 1000 + s.sent.len() as i64;
            ok(
                json!({"message_id": id, "date": 0, "chat": {"id": fields["chat_id"].as_i64().unwrap_or(0), "type": "group"}}),
            )
        }
        _ => err(404, "Not Found", Value::Null),
    }
}
