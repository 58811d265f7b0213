//! The `llm` requirement extractor: an OpenAI-compatible chat model (OpenAI, Azure OpenAI,
//! Ollama, vLLM …) reads each chunk of a document with a versioned prompt and answers with
//! structured output (a JSON schema); every proposed line is validated against the source
//! text before it becomes a [`Requirement`](crate::pipeline::requirements::Requirement).
//!
//! The model only *proposes* lines (description, quantity, unit): prices, discounts and
//! approvals never come from it, so text in a request cannot change them.

mod chunk;
mod client;
mod extractor;
mod prompt;
mod retry;
mod validate;

pub use chunk::{Chunk, chunks};
pub use client::ChatClient;
pub use extractor::{LlmExtractor, LlmOutcome, Usage};
pub use prompt::{PROMPT_VERSION, RenderedPrompt, render, response_schema};
pub use retry::retry_after;
pub use validate::{Proposed, Rejection, parse_answer};

/// Why the LLM could not give us line items. [`LlmError::is_transient`] tells the job queue
/// whether trying again later can help.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LlmError {
    #[error("the LLM did not answer within {seconds} s")]
    Timeout { seconds: u64 },
    #[error("the LLM endpoint is rate limiting us: {0}")]
    RateLimited(String),
    #[error("the LLM endpoint failed: {0}")]
    Server(String),
    #[error("cannot reach the LLM endpoint: {0}")]
    Connection(String),
    #[error("the LLM endpoint refused the key or the model (check llm.api_key and llm.model): {0}")]
    Refused(String),
    #[error("the LLM endpoint rejected the request: {0}")]
    BadRequest(String),
    #[error("the LLM answer is not valid JSON: {0}")]
    MalformedJson(String),
    #[error("the LLM answer does not match the schema: {0}")]
    SchemaViolation(String),
    #[error("the LLM refused to answer: {0}")]
    Refusal(String),
    #[error("the LLM answer was cut off at its output limit even for a single line of text")]
    Truncated,
    #[error("the LLM extractor is misconfigured: {0}")]
    Config(String),
}

impl LlmError {
    /// Whether a later attempt may succeed (the queue retries the job with backoff).
    pub fn is_transient(&self) -> bool {
        match self {
            Self::Timeout { .. }
            | Self::RateLimited(_)
            | Self::Server(_)
            | Self::Connection(_)
            | Self::Refused(_)
            // Sampling differs between attempts: a garbled answer may come out right.
            | Self::MalformedJson(_)
            | Self::SchemaViolation(_) => true,
            Self::BadRequest(_) | Self::Refusal(_) | Self::Truncated | Self::Config(_) => false,
        }
    }
}
