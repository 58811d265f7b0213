//! One chat-completion exchange with an OpenAI-compatible endpoint through async-openai:
//! structured output (`response_format: json_schema`), a timeout per attempt, retries
//! ([`super::retry`]), and errors sorted into [`LlmError`] kinds.

use std::time::{Duration, Instant};

use async_openai::Client;
use async_openai::config::{AzureConfig, Config, OpenAIConfig};
use async_openai::error::OpenAIError;
use async_openai::middleware::ReqwestService;
use async_openai::types::chat::{
    ChatCompletionRequestMessage, ChatCompletionRequestSystemMessage, ChatCompletionRequestSystemMessageContent,
    ChatCompletionRequestUserMessage, ChatCompletionRequestUserMessageContent, CreateChatCompletionRequest,
    FinishReason, ResponseFormat, ResponseFormatJsonSchema,
};
use secrecy::ExposeSecret;

use super::retry::RetryPolicy;
use super::{LlmError, RenderedPrompt};
use crate::config::LlmSettings;

/// What came back from one request.
#[derive(Debug, Clone)]
pub struct Reply {
    pub content: Option<String>,
    pub refusal: Option<String>,
    /// The output hit its token limit: the answer is incomplete.
    pub truncated: bool,
    pub prompt_tokens: u32,
    pub completion_tokens: u32,
    pub total_tokens: u32,
    pub elapsed: Duration,
}

enum Backend {
    OpenAi(Client<OpenAIConfig>),
    Azure(Client<AzureConfig>),
}

pub struct ChatClient {
    backend: Backend,
    model: String,
    max_output_tokens: Option<u32>,
    timeout: Duration,
}

impl ChatClient {
    pub fn new(settings: &LlmSettings) -> Result<Self, LlmError> {
        if settings.base_url.trim().is_empty() || settings.model.trim().is_empty() {
            return Err(LlmError::Config("llm.base_url and llm.model must be set".into()));
        }
        let timeout = Duration::from_secs(settings.timeout_seconds.max(1));
        let http = reqwest13::Client::builder()
            .connect_timeout(timeout.min(Duration::from_secs(10)))
            .build()
            .map_err(|e| LlmError::Config(format!("cannot build the HTTP client: {e}")))?;
        let policy = RetryPolicy {
            max_retries: settings.max_retries,
            base: Duration::from_millis(settings.backoff_base_ms),
            cap: Duration::from_secs(settings.backoff_max_seconds),
            max_retry_after: Duration::from_secs(settings.max_retry_after_seconds),
            attempt: 0,
        };
        let service = tower::ServiceBuilder::new()
            .retry(policy)
            .timeout(timeout)
            .service(ReqwestService::new(http));
        let base = settings.base_url.trim_end_matches('/');
        let key = settings.api_key.expose_secret();
        let backend = match &settings.azure_api_version {
            Some(version) => Backend::Azure(
                Client::with_config(
                    AzureConfig::new()
                        .with_api_base(base)
                        .with_api_key(key)
                        .with_deployment_id(&settings.model)
                        .with_api_version(version),
                )
                .with_http_service(service),
            ),
            None => Backend::OpenAi(
                Client::with_config(OpenAIConfig::new().with_api_base(base).with_api_key(key))
                    .with_http_service(service),
            ),
        };
        Ok(Self {
            backend,
            model: settings.model.clone(),
            max_output_tokens: settings.max_output_tokens,
            timeout,
        })
    }

    pub fn model(&self) -> &str {
        &self.model
    }

    /// The request body (also what the prompt snapshot test looks at).
    pub fn request(&self, prompt: &RenderedPrompt) -> CreateChatCompletionRequest {
        CreateChatCompletionRequest {
            model: self.model.clone(),
            messages: vec![
                ChatCompletionRequestMessage::System(ChatCompletionRequestSystemMessage {
                    content: ChatCompletionRequestSystemMessageContent::Text(prompt.system.clone()),
                    name: None,
                }),
                ChatCompletionRequestMessage::User(ChatCompletionRequestUserMessage {
                    content: ChatCompletionRequestUserMessageContent::Text(prompt.user.clone()),
                    name: None,
                }),
            ],
            response_format: Some(ResponseFormat::JsonSchema {
                json_schema: ResponseFormatJsonSchema {
                    description: Some("The line items of a request for quotation".into()),
                    name: "requirement_lines".into(),
                    schema: super::response_schema(),
                    strict: Some(true),
                },
            }),
            temperature: Some(0.0),
            max_completion_tokens: self.max_output_tokens,
            ..Default::default()
        }
    }

    #[tracing::instrument(skip_all, fields(model = %self.model))]
    pub async fn complete(&self, prompt: &RenderedPrompt) -> Result<Reply, LlmError> {
        let request = self.request(prompt);
        let started = Instant::now();
        let response = match &self.backend {
            Backend::OpenAi(c) => send(c, request).await,
            Backend::Azure(c) => send(c, request).await,
        }
        .map_err(|e| classify(e, self.timeout))?;
        let usage = response.usage.clone().unwrap_or_default();
        let choice = response
            .choices
            .into_iter()
            .next()
            .ok_or_else(|| LlmError::SchemaViolation("the answer has no choices".into()))?;
        Ok(Reply {
            content: choice.message.content,
            refusal: choice.message.refusal,
            truncated: choice.finish_reason == Some(FinishReason::Length),
            prompt_tokens: usage.prompt_tokens,
            completion_tokens: usage.completion_tokens,
            total_tokens: usage.total_tokens,
            elapsed: started.elapsed(),
        })
    }
}

async fn send<C: Config>(
    client: &Client<C>,
    request: CreateChatCompletionRequest,
) -> Result<async_openai::types::chat::CreateChatCompletionResponse, OpenAIError> {
    client.chat().create(request).await
}

/// Sorts a client error into what the job must do about it.
fn classify(error: OpenAIError, timeout: Duration) -> LlmError {
    match error {
        OpenAIError::ApiError(api) => {
            let detail = api.to_string();
            match api.status_code.as_u16() {
                429 => LlmError::RateLimited(detail),
                408 | 500..=599 => LlmError::Server(detail),
                401 | 403 | 404 => LlmError::Refused(detail),
                _ => LlmError::BadRequest(detail),
            }
        }
        OpenAIError::Boxed(inner) => {
            if inner.is::<tower::timeout::error::Elapsed>() {
                return LlmError::Timeout {
                    seconds: timeout.as_secs(),
                };
            }
            match inner.downcast::<OpenAIError>() {
                Ok(e) => classify(*e, timeout),
                Err(other) => LlmError::Connection(other.to_string()),
            }
        }
        OpenAIError::Reqwest(e) if e.is_timeout() => LlmError::Timeout {
            seconds: timeout.as_secs(),
        },
        OpenAIError::Reqwest(e) => LlmError::Connection(error_chain(&e)),
        OpenAIError::JSONDeserialize(e, _) => {
            LlmError::SchemaViolation(format!("the response is not a chat completion: {e}"))
        }
        OpenAIError::InvalidArgument(e) => LlmError::Config(e),
        other => LlmError::Connection(other.to_string()),
    }
}

/// "error sending request: connection refused" rather than only the outer message.
fn error_chain(e: &dyn std::error::Error) -> String {
    let mut parts = vec![e.to_string()];
    let mut source = e.source();
    while let Some(s) = source {
        parts.push(s.to_string());
        source = s.source();
    }
    parts.dedup();
    parts.join(": ")
}
