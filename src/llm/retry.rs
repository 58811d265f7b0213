//! Retries of one HTTP exchange with the model: on 429, 408 and 5xx answers, timeouts and
//! connection failures, with exponential backoff and jitter; a `Retry-After` (or OpenAI's
//! `retry-after-ms`) header wins over the backoff. A Retry-After longer than the configured
//! maximum is not waited out here: the answer goes back up and the job queue retries later.

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use async_openai::error::OpenAIError;
use async_openai::middleware::HttpRequestFactory;
use reqwest13::header::HeaderMap;
use reqwest13::{Response, StatusCode};
use tower::BoxError;

#[derive(Debug, Clone)]
pub(super) struct RetryPolicy {
    pub max_retries: u32,
    pub base: Duration,
    pub cap: Duration,
    pub max_retry_after: Duration,
    pub attempt: u32,
}

impl RetryPolicy {
    /// `base × 2^attempt`, capped, scaled by a random factor in [0.5, 1].
    fn backoff(&self) -> Duration {
        let exp = self.base.saturating_mul(2u32.saturating_pow(self.attempt.min(20)));
        exp.min(self.cap).mul_f64(rand::random_range(0.5..=1.0))
    }

    /// The wait before the next attempt, or None when this result is final.
    fn delay(&self, result: &Result<Response, BoxError>) -> Option<Duration> {
        if self.attempt >= self.max_retries {
            return None;
        }
        match result {
            Ok(response) if retryable_status(response.status()) => match retry_after(response.headers()) {
                Some(wait) if wait > self.max_retry_after => None,
                Some(wait) => Some(wait),
                None => Some(self.backoff()),
            },
            Ok(_) => None,
            Err(e) if retryable_error(e.as_ref()) => Some(self.backoff()),
            Err(_) => None,
        }
    }
}

fn retryable_status(status: StatusCode) -> bool {
    status == StatusCode::TOO_MANY_REQUESTS || status == StatusCode::REQUEST_TIMEOUT || status.is_server_error()
}

fn retryable_error(e: &(dyn std::error::Error + Send + Sync + 'static)) -> bool {
    if e.is::<tower::timeout::error::Elapsed>() {
        return true;
    }
    match e.downcast_ref::<OpenAIError>() {
        Some(OpenAIError::Reqwest(r)) => r.is_connect() || r.is_timeout() || r.is_request(),
        _ => false,
    }
}

/// The server's requested wait: `retry-after-ms`, or `Retry-After` in seconds or as an
/// HTTP date.
pub fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let text = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).map(str::trim);
    if let Some(ms) = text("retry-after-ms").and_then(|v| v.parse::<f64>().ok()) {
        return (ms.is_finite() && ms >= 0.0).then(|| Duration::from_secs_f64(ms / 1000.0));
    }
    let value = text("retry-after")?;
    if let Ok(secs) = value.parse::<f64>() {
        return (secs.is_finite() && secs >= 0.0).then(|| Duration::from_secs_f64(secs));
    }
    let at = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    let wait = at.signed_duration_since(chrono::Utc::now());
    Some(wait.to_std().unwrap_or(Duration::ZERO))
}

impl tower::retry::Policy<HttpRequestFactory, Response, BoxError> for RetryPolicy {
    type Future = Pin<Box<dyn Future<Output = ()> + Send + 'static>>;

    fn retry(
        &mut self,
        _req: &mut HttpRequestFactory,
        result: &mut Result<Response, BoxError>,
    ) -> Option<Self::Future> {
        let wait = self.delay(result)?;
        self.attempt += 1;
        let why = match result {
            Ok(r) => r.status().to_string(),
            Err(e) => e.to_string(),
        };
        tracing::warn!(attempt = self.attempt, wait_ms = wait.as_millis() as u64, %why, "retrying the LLM request");
        Some(Box::pin(tokio::time::sleep(wait)))
    }

    fn clone_request(&mut self, req: &HttpRequestFactory) -> Option<HttpRequestFactory> {
        Some(req.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest13::header::HeaderValue;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_str(v).expect("header"));
        }
        h
    }

    #[test]
    fn retry_after_in_seconds_milliseconds_and_dates() {
        assert_eq!(
            retry_after(&headers(&[("retry-after", "2")])),
            Some(Duration::from_secs(2))
        );
        assert_eq!(
            retry_after(&headers(&[("retry-after", "1"), ("retry-after-ms", "250")])),
            Some(Duration::from_millis(250))
        );
        let later = (chrono::Utc::now() + chrono::Duration::seconds(30)).to_rfc2822();
        let wait = retry_after(&headers(&[("retry-after", &later)])).expect("date");
        assert!(
            wait > Duration::from_secs(25) && wait <= Duration::from_secs(30),
            "{wait:?}"
        );
        assert_eq!(
            retry_after(&headers(&[("retry-after", "Wed, 21 Oct 2015 07:28:00 GMT")])),
            Some(Duration::ZERO)
        );
        assert_eq!(retry_after(&headers(&[("retry-after", "soon")])), None);
        assert_eq!(retry_after(&HeaderMap::new()), None);
    }

    #[test]
    fn backoff_doubles_up_to_the_cap() {
        let mut p = RetryPolicy {
            max_retries: 10,
            base: Duration::from_millis(100),
            cap: Duration::from_secs(1),
            max_retry_after: Duration::from_secs(60),
            attempt: 0,
        };
        let first = p.backoff();
        assert!(first >= Duration::from_millis(50) && first <= Duration::from_millis(100));
        p.attempt = 3;
        let fourth = p.backoff();
        assert!(fourth >= Duration::from_millis(400) && fourth <= Duration::from_millis(800));
        p.attempt = 9;
        assert!(p.backoff() <= Duration::from_secs(1));
    }

    #[test]
    fn statuses_worth_retrying() {
        assert!(retryable_status(StatusCode::TOO_MANY_REQUESTS));
        assert!(retryable_status(StatusCode::BAD_GATEWAY));
        assert!(!retryable_status(StatusCode::BAD_REQUEST));
        assert!(!retryable_status(StatusCode::UNAUTHORIZED));
    }
}
