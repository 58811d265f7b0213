//! The configured database URL as the PostgreSQL client tools take it: the password moves
//! out of the connection string into `PGPASSWORD` (the child's environment), so that it
//! never shows on a command line (`ps`), in a log or in an error.

use secrecy::SecretString;

use super::BackupError;
use crate::config::percent_decode;

/// A connection string without a password, and the password apart.
pub struct ConnInfo {
    /// What `--dbname` gets: the URL or key=value string with every password removed.
    pub dsn: String,
    pub password: Option<SecretString>,
}

/// Splits `dsn` (a `postgres://` URL or a libpq key=value string) into a password-free
/// connection string and its password (percent-decoded or unquoted).
pub fn split(dsn: &str) -> Result<ConnInfo, BackupError> {
    let (dsn, password) = match dsn.split_once("://") {
        Some((scheme, rest)) => split_url(scheme, rest)?,
        None => split_keywords(dsn)?,
    };
    Ok(ConnInfo {
        dsn,
        password: password.filter(|p| !p.is_empty()).map(SecretString::from),
    })
}

fn split_url(scheme: &str, rest: &str) -> Result<(String, Option<String>), BackupError> {
    // The authority ends at the query; its userinfo at the last '@' before that (a password
    // may hold '@', ':' and '/').
    let query_at = rest.find('?').unwrap_or(rest.len());
    let (head, query) = rest.split_at(query_at);
    let mut password = None;
    let head = match head.rfind('@') {
        Some(at) => match head[..at].split_once(':') {
            Some((user, pw)) => {
                password = Some(percent_decode(pw));
                format!("{user}{}", &head[at..])
            }
            None => head.to_string(),
        },
        None => head.to_string(),
    };
    let Some(query) = query.strip_prefix('?') else {
        return Ok((format!("{scheme}://{head}"), password));
    };
    let (query, fragment) = match query.split_once('#') {
        Some((q, f)) => (q, Some(f)),
        None => (query, None),
    };
    let mut kept = Vec::new();
    for p in query.split('&').filter(|p| !p.is_empty()) {
        let key = p.split_once('=').map_or(p, |(k, _)| k).trim().to_ascii_lowercase();
        match key.as_str() {
            "password" => password = p.split_once('=').map(|(_, v)| percent_decode(v)),
            "sslpassword" => return Err(BackupError::SslPassword),
            _ => kept.push(p),
        }
    }
    let mut out = format!("{scheme}://{head}");
    if !kept.is_empty() {
        out.push('?');
        out.push_str(&kept.join("&"));
    }
    if let Some(f) = fragment {
        out.push('#');
        out.push_str(f);
    }
    Ok((out, password))
}

/// `host=db password='it\'s' user=u` → (`host=db user=u`, `it's`).
fn split_keywords(dsn: &str) -> Result<(String, Option<String>), BackupError> {
    static RE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let re = RE.get_or_init(|| {
        regex::Regex::new(r"(?i)(?:^|\s)((?:ssl)?password)\s*=\s*('(?:[^'\\]|\\.)*'|\S*)").expect("static regex")
    });
    let mut password = None;
    for c in re.captures_iter(dsn) {
        if c[1].eq_ignore_ascii_case("sslpassword") {
            return Err(BackupError::SslPassword);
        }
        password = Some(unquote(&c[2]));
    }
    let rest = re.replace_all(dsn, "");
    Ok((rest.split_whitespace().collect::<Vec<_>>().join(" "), password))
}

/// A libpq keyword value: single-quoted with `\'` and `\\` escapes, or bare.
fn unquote(v: &str) -> String {
    let Some(inner) = v.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')) else {
        return v.to_string();
    };
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let Some(next) = chars.next() {
                out.push(next);
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use secrecy::ExposeSecret;

    use super::*;

    fn parts(dsn: &str) -> (String, Option<String>) {
        let c = split(dsn).expect("splits");
        (c.dsn, c.password.map(|p| p.expose_secret().to_string()))
    }

    #[test]
    fn the_password_leaves_a_url() {
        assert_eq!(
            parts("postgres://horme:s3cret@db:5432/horme"),
            ("postgres://horme@db:5432/horme".into(), Some("s3cret".into()))
        );
        assert_eq!(
            parts("postgresql://u:p%40ss:w/rd@db/horme?sslmode=require"),
            (
                "postgresql://u@db/horme?sslmode=require".into(),
                Some("p@ss:w/rd".into())
            )
        );
        assert_eq!(
            parts("postgres://127.0.0.1:5432/horme"),
            ("postgres://127.0.0.1:5432/horme".into(), None)
        );
        assert_eq!(
            parts("postgres://u@db/horme?application_name=x@y"),
            ("postgres://u@db/horme?application_name=x@y".into(), None)
        );
    }

    #[test]
    fn the_password_leaves_query_parameters() {
        assert_eq!(
            parts("postgres://db/horme?user=u&password=s%26cret&sslmode=require"),
            (
                "postgres://db/horme?user=u&sslmode=require".into(),
                Some("s&cret".into())
            )
        );
        assert_eq!(
            parts("postgres://db/horme?PASSWORD=x1"),
            ("postgres://db/horme".into(), Some("x1".into()))
        );
    }

    #[test]
    fn the_password_leaves_a_keyword_string() {
        assert_eq!(
            parts("host=db user=u password=s3cret dbname=horme"),
            ("host=db user=u dbname=horme".into(), Some("s3cret".into()))
        );
        assert_eq!(
            parts("password = 'it\\'s a secret' host=db"),
            ("host=db".into(), Some("it's a secret".into()))
        );
    }

    #[test]
    fn an_ssl_password_is_refused() {
        assert!(matches!(
            split("postgres://u@db/horme?sslpassword=k"),
            Err(BackupError::SslPassword)
        ));
        assert!(matches!(split("host=db sslpassword=k"), Err(BackupError::SslPassword)));
    }
}
