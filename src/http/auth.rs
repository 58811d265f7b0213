//! Bearer-token authentication for the API.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;

use super::{ApiError, HttpState};

/// Present in a handler's arguments: the request carried a configured API token.
pub struct ApiToken;

impl FromRequestParts<HttpState> for ApiToken {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &HttpState) -> Result<Self, Self::Rejection> {
        let token = parts
            .headers
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer ").or_else(|| v.strip_prefix("bearer ")))
            .map(str::trim)
            .ok_or(ApiError::Unauthorized)?;
        if state.app.settings.http.accepts_token(token) {
            Ok(ApiToken)
        } else {
            Err(ApiError::Unauthorized)
        }
    }
}
