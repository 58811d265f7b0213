//! Slack's request signatures (https://api.slack.com/authentication/verifying-requests-from-slack):
//! `X-Slack-Signature: v0=<hex HMAC-SHA256 of "v0:{timestamp}:{body}" under the signing
//! secret>`, with `X-Slack-Request-Timestamp` no more than five minutes from now (a captured
//! request cannot be replayed later). The comparison is in constant time.

use hmac::{KeyInit, Mac};

type HmacSha256 = hmac::Hmac<sha2_11::Sha256>;

/// How far a request's timestamp may be from our clock.
pub const MAX_SKEW_SECONDS: i64 = 5 * 60;

/// Why a request is not accepted as Slack's.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    #[error("the request has no Slack signature or timestamp")]
    Missing,
    #[error("the request's timestamp is not within five minutes of now")]
    Stale,
    #[error("the request's signature does not match")]
    Mismatch,
}

fn mac(secret: &[u8], timestamp: &str, body: &[u8]) -> HmacSha256 {
    // HMAC takes a key of any length: this cannot fail
    let mut m = <HmacSha256 as KeyInit>::new_from_slice(secret).expect("HMAC accepts any key length");
    m.update(b"v0:");
    m.update(timestamp.as_bytes());
    m.update(b":");
    m.update(body);
    m
}

/// The `X-Slack-Signature` value Slack sends for `body` at `timestamp`.
pub fn sign(secret: &[u8], timestamp: &str, body: &[u8]) -> String {
    format!(
        "v0={}",
        hex::encode(mac(secret, timestamp, body).finalize().into_bytes())
    )
}

/// Checks a request's signature headers against `body`, at `now` (Unix seconds).
pub fn verify(
    secret: &[u8],
    timestamp: Option<&str>,
    signature: Option<&str>,
    body: &[u8],
    now: i64,
) -> Result<(), SignatureError> {
    let (Some(timestamp), Some(signature)) = (timestamp, signature) else {
        return Err(SignatureError::Missing);
    };
    let ts: i64 = timestamp.trim().parse().map_err(|_| SignatureError::Missing)?;
    if (now - ts).abs() > MAX_SKEW_SECONDS {
        return Err(SignatureError::Stale);
    }
    let given = signature
        .trim()
        .strip_prefix("v0=")
        .and_then(|h| hex::decode(h).ok())
        .ok_or(SignatureError::Mismatch)?;
    mac(secret, timestamp.trim(), body)
        .verify_slice(&given)
        .map_err(|_| SignatureError::Mismatch)
}

#[cfg(test)]
mod tests {
    use super::*;

    // The worked example of Slack's documentation.
    const SECRET: &[u8] = b"8f742231b10e8888abcd99yyyzzz85a5";
    const TS: &str = "1531420618";
    const BODY: &[u8] = b"token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";
    const SIG: &str = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";

    #[test]
    fn the_documented_example_signs_and_verifies() {
        assert_eq!(sign(SECRET, TS, BODY), SIG);
        assert_eq!(verify(SECRET, Some(TS), Some(SIG), BODY, 1531420618 + 10), Ok(()));
    }

    #[test]
    fn a_changed_body_or_secret_is_refused() {
        let now = 1531420618;
        assert_eq!(
            verify(SECRET, Some(TS), Some(SIG), b"token=other", now),
            Err(SignatureError::Mismatch)
        );
        assert_eq!(
            verify(b"another-secret", Some(TS), Some(SIG), BODY, now),
            Err(SignatureError::Mismatch)
        );
        assert_eq!(
            verify(SECRET, Some(TS), Some("v0=zz"), BODY, now),
            Err(SignatureError::Mismatch)
        );
    }

    #[test]
    fn an_old_or_missing_timestamp_is_refused() {
        assert_eq!(
            verify(SECRET, Some(TS), Some(SIG), BODY, 1531420618 + 301),
            Err(SignatureError::Stale)
        );
        assert_eq!(verify(SECRET, None, Some(SIG), BODY, 0), Err(SignatureError::Missing));
        assert_eq!(verify(SECRET, Some(TS), None, BODY, 0), Err(SignatureError::Missing));
    }
}
