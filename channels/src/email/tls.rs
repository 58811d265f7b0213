//! rustls client configuration for IMAP (SMTP uses lettre's own).
//!
//! The crypto provider is passed explicitly (ring) instead of relying on a process-wide
//! default: with both ring and aws-lc-rs in the dependency tree, `ClientConfig::builder()`
//! panics when no default was installed.

use std::sync::Arc;

use tokio_rustls::rustls::{self, ClientConfig, RootCertStore, pki_types::CertificateDer, pki_types::pem::PemObject};

use crate::ChannelError;

/// Web PKI roots, plus the certificates of `ca_file` (PEM) for a server with its own CA.
pub(crate) fn client_config(ca_file: Option<&std::path::Path>) -> Result<Arc<ClientConfig>, ChannelError> {
    let mut roots = RootCertStore {
        roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
    };
    if let Some(path) = ca_file {
        let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(path)
            .and_then(|it| it.collect::<Result<_, _>>())
            .map_err(|e| ChannelError::Permanent(format!("cannot read CA file {}: {e}", path.display())))?;
        for c in certs {
            roots
                .add(c)
                .map_err(|e| ChannelError::Permanent(format!("bad certificate in {}: {e}", path.display())))?;
        }
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| ChannelError::Permanent(format!("TLS set-up: {e}")))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(Arc::new(config))
}
