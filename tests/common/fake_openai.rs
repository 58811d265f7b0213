//! A fake OpenAI-compatible server for tests: a real HTTP listener on 127.0.0.1 speaking the
//! `/v1/chat/completions` wire JSON. Each test supplies the behaviour as a closure from the
//! request body to a [`Reply`]; every request is recorded with the time it arrived.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use serde_json::{Value, json};

/// What the fake answers to one request.
pub enum Reply {
    /// A completion whose message content is this text (JSON or not), finish_reason "stop".
    Content(String),
    /// A completion with finish_reason "length" (the output limit was hit).
    Truncated(String),
    /// A completion refused by the model.
    Refusal(String),
    /// An error status with headers and an OpenAI-style error body.
    Status(u16, Vec<(&'static str, String)>),
    /// Waits, then answers.
    Delayed(Duration, Box<Reply>),
}

impl Reply {
    /// A completion listing these items as `{"items": [...]}`.
    pub fn items(items: Value) -> Self {
        Self::Content(json!({ "items": items }).to_string())
    }
}

/// One request as the fake received it.
#[derive(Debug, Clone)]
pub struct Seen {
    pub at: Instant,
    pub authorization: Option<String>,
    pub body: Value,
}

impl Seen {
    /// The text of the user message.
    pub fn user_text(&self) -> String {
        self.body["messages"]
            .as_array()
            .and_then(|m| m.iter().find(|m| m["role"] == "user"))
            .and_then(|m| m["content"].as_str())
            .unwrap_or_default()
            .to_string()
    }
}

type Handler = dyn Fn(usize, &Value) -> Reply + Send + Sync;

#[derive(Clone)]
struct Shared {
    handler: Arc<Handler>,
    seen: Arc<Mutex<Vec<Seen>>>,
    usage: Arc<Mutex<Vec<(u32, u32)>>>,
}

pub struct FakeOpenAi {
    /// The API base to configure as `llm.base_url` (ends in `/v1`).
    pub base_url: String,
    seen: Arc<Mutex<Vec<Seen>>>,
    usage: Arc<Mutex<Vec<(u32, u32)>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for FakeOpenAi {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl FakeOpenAi {
    /// Starts the server; `handler` gets the request's index (0-based) and its JSON body.
    pub async fn start(handler: impl Fn(usize, &Value) -> Reply + Send + Sync + 'static) -> Self {
        let shared = Shared {
            handler: Arc::new(handler),
            seen: Arc::default(),
            usage: Arc::default(),
        };
        let app = axum::Router::new()
            .route("/v1/chat/completions", post(completions))
            .with_state(shared.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("addr");
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Self {
            base_url: format!("http://{addr}/v1"),
            seen: shared.seen,
            usage: shared.usage,
            task,
        }
    }

    pub fn requests(&self) -> Vec<Seen> {
        self.seen.lock().expect("lock").clone()
    }

    /// (prompt_tokens, completion_tokens) of every completion the fake returned.
    pub fn reported_usage(&self) -> Vec<(u32, u32)> {
        self.usage.lock().expect("lock").clone()
    }
}

async fn completions(State(s): State<Shared>, headers: HeaderMap, Json(body): Json<Value>) -> Response {
    let index = {
        let mut seen = s.seen.lock().expect("lock");
        seen.push(Seen {
            at: Instant::now(),
            authorization: headers
                .get("authorization")
                .and_then(|v| v.to_str().ok())
                .map(str::to_string),
            body: body.clone(),
        });
        seen.len() - 1
    };
    let mut reply = (s.handler)(index, &body);
    while let Reply::Delayed(wait, inner) = reply {
        tokio::time::sleep(wait).await;
        reply = *inner;
    }
    let prompt_tokens = (body.to_string().len() / 4) as u32;
    let completion = |content: Value, refusal: Value, finish: &str, usage: &Arc<Mutex<Vec<(u32, u32)>>>| {
        let completion_tokens = (content.as_str().unwrap_or("").len() / 4 + 1) as u32;
        usage.lock().expect("lock").push((prompt_tokens, completion_tokens));
        Json(json!({
            "id": format!("chatcmpl-{index}"),
            "object": "chat.completion",
            "created": 1_790_000_000u32,
            "model": body["model"],
            "choices": [{
                "index": 0,
                "message": {"role": "assistant", "content": content, "refusal": refusal},
                "logprobs": null,
                "finish_reason": finish
            }],
            "usage": {
                "prompt_tokens": prompt_tokens,
                "completion_tokens": completion_tokens,
                "total_tokens": prompt_tokens + completion_tokens
            }
        }))
        .into_response()
    };
    match reply {
        Reply::Content(text) => completion(Value::String(text), Value::Null, "stop", &s.usage),
        Reply::Truncated(text) => completion(Value::String(text), Value::Null, "length", &s.usage),
        Reply::Refusal(text) => completion(Value::Null, Value::String(text), "stop", &s.usage),
        Reply::Status(code, extra) => {
            let status = StatusCode::from_u16(code).expect("status");
            let mut response = (
                status,
                Json(json!({"error": {"message": format!("fake error {code}"), "type": "fake_error", "param": null, "code": null}})),
            )
                .into_response();
            for (name, value) in extra {
                response
                    .headers_mut()
                    .insert(name, value.parse().expect("header value"));
            }
            response
        }
        Reply::Delayed(..) => unreachable!("unwrapped above"),
    }
}
