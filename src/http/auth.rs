//! Bearer-token authentication for the API.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;

use super::{ApiError, HttpState};

/// Present in a handler's arguments: the request carried a configured API token. Holds a
/// fingerprint of it (never the token), to scope what belongs to one client.
pub struct ApiToken {
    fingerprint: String,
}

impl ApiToken {
    /// The first 16 hex digits of the token's SHA-256.
    pub fn fingerprint(&self) -> &str {
        &self.fingerprint
    }
}

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
            use sha2::Digest;
            let digest = sha2::Sha256::digest(token.as_bytes());
            Ok(ApiToken {
                fingerprint: hex::encode(&digest[..8]),
            })
        } else {
            Err(ApiError::Unauthorized)
        }
    }
}
