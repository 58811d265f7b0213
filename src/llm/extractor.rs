//! The `llm` extractor: every chunk of every document to the model, one request each (a
//! chunk whose answer hit the output limit is split in two and asked again, never cut),
//! every proposed line validated against its chunk. Token usage of each request is kept
//! whatever the outcome, for the job to store.

use std::collections::VecDeque;

use super::client::{ChatClient, Reply};
use super::{Chunk, LlmError, PROMPT_VERSION, Rejection, chunks, parse_answer, render};
use crate::config::LlmSettings;
use crate::pipeline::requirements::Requirement;
use crate::pipeline::text::ExtractedDocument;

/// Token usage of one request.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Usage {
    pub model: String,
    pub prompt_version: &'static str,
    pub chunk_no: u32,
    pub prompt_tokens: u32,
    pub completion_tokens: u32,
    pub total_tokens: u32,
    pub duration_ms: u32,
}

/// What an extraction produced: the lines (or the failure), the lines that failed
/// validation, and the usage of every request made.
#[derive(Debug)]
pub struct LlmOutcome {
    pub items: Result<Vec<Requirement>, LlmError>,
    pub rejected: Vec<Rejection>,
    pub usage: Vec<Usage>,
}

pub struct LlmExtractor {
    client: ChatClient,
    chunk_chars: usize,
    max_quantity: u32,
}

impl LlmExtractor {
    pub fn new(settings: &LlmSettings) -> Result<Self, LlmError> {
        Ok(Self {
            client: ChatClient::new(settings)?,
            chunk_chars: settings.chunk_chars,
            max_quantity: settings.max_quantity,
        })
    }

    pub fn model(&self) -> &str {
        self.client.model()
    }

    /// The request the extractor would send for one chunk (for the prompt snapshot test).
    pub fn request_for(&self, chunk: &Chunk, part: usize, parts: usize) -> serde_json::Value {
        let prompt = render(&chunk.source, part, parts, &chunk.text);
        serde_json::to_value(self.client.request(&prompt)).unwrap_or_default()
    }

    #[tracing::instrument(skip_all, fields(model = %self.client.model(), documents = docs.len()))]
    pub async fn extract(&self, docs: &[ExtractedDocument]) -> LlmOutcome {
        let mut outcome = LlmOutcome {
            items: Ok(Vec::new()),
            rejected: Vec::new(),
            usage: Vec::new(),
        };
        let mut queue: VecDeque<Chunk> = chunks(docs, self.chunk_chars).into();
        // Requests answered per document, for "part k of n".
        let mut done: std::collections::HashMap<String, usize> = Default::default();
        let mut items = Vec::new();
        while let Some(chunk) = queue.pop_front() {
            let part = 1 + done.get(&chunk.source).copied().unwrap_or(0);
            let parts = part + queue.iter().filter(|c| c.source == chunk.source).count();
            let prompt = render(&chunk.source, part, parts, &chunk.text);
            let reply = match self.client.complete(&prompt).await {
                Ok(reply) => reply,
                Err(e) => {
                    outcome.items = Err(e);
                    return outcome;
                }
            };
            outcome
                .usage
                .push(usage(self.client.model(), outcome.usage.len() + 1, &reply));
            if reply.truncated {
                match halves(&chunk) {
                    Some((a, b)) => {
                        tracing::info!(source = %chunk.source, "answer hit the output limit: asking again in two halves");
                        queue.push_front(b);
                        queue.push_front(a);
                        continue;
                    }
                    None => {
                        outcome.items = Err(LlmError::Truncated);
                        return outcome;
                    }
                }
            }
            if let Some(refusal) = reply.refusal.filter(|r| !r.trim().is_empty()) {
                outcome.items = Err(LlmError::Refusal(refusal));
                return outcome;
            }
            let proposed = match parse_answer(reply.content.as_deref().unwrap_or("")) {
                Ok(p) => p,
                Err(e) => {
                    outcome.items = Err(e);
                    return outcome;
                }
            };
            for line in proposed {
                match line.validate(&chunk.text, self.max_quantity) {
                    Ok(req) => items.push(req),
                    Err(rejection) => {
                        tracing::warn!(%rejection, "LLM line rejected");
                        outcome.rejected.push(rejection);
                    }
                }
            }
            *done.entry(chunk.source.clone()).or_default() += 1;
        }
        outcome.items = Ok(items);
        outcome
    }
}

fn usage(model: &str, chunk_no: usize, reply: &Reply) -> Usage {
    Usage {
        model: model.to_string(),
        prompt_version: PROMPT_VERSION,
        chunk_no: chunk_no as u32,
        prompt_tokens: reply.prompt_tokens,
        completion_tokens: reply.completion_tokens,
        total_tokens: reply.total_tokens,
        duration_ms: reply.elapsed.as_millis().min(u32::MAX as u128) as u32,
    }
}

/// Splits a chunk at the line nearest its middle; None for a single line.
fn halves(chunk: &Chunk) -> Option<(Chunk, Chunk)> {
    let lines: Vec<&str> = chunk.text.lines().collect();
    if lines.len() < 2 {
        return None;
    }
    let mid = lines.len() / 2;
    let part = |ls: &[&str]| Chunk {
        source: chunk.source.clone(),
        text: ls.join("\n"),
    };
    Some((part(&lines[..mid]), part(&lines[mid..])))
}
