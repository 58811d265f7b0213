//! The mail channel over TLS against the loopback servers (certificate for `localhost` from a
//! private CA given as `ca_file`): IMAP with implicit TLS and SMTP with STARTTLS, then IMAP
//! with STARTTLS and SMTP with implicit TLS. An unknown CA is refused, and plain text to a
//! host that is not loopback is refused before connecting.

mod common;

use std::time::Duration;

use channels::ChannelError;
use channels::email::Security;
use common::mail::{self, Bot, Servers};
use sqlx::PgPool;

async fn acknowledged_over(pool: PgPool, imap: (Security, bool), smtp: (Security, bool)) {
    let servers = Servers::from_env();
    let tag = mail::tag();
    let mut settings = mail::settings(&servers, &tag);
    let m = &mut settings.mail;
    m.smtp.host = "localhost".into();
    m.smtp.security = smtp.0;
    m.smtp.port = if smtp.1 { servers.smtps_port } else { servers.smtp_port };
    m.smtp.ca_file = Some(servers.ca_file.clone());
    let b = m.mailboxes.get_mut("sales").expect("mailbox");
    b.host = "localhost".into();
    b.security = imap.0;
    b.port = if imap.1 { servers.imaps_port } else { servers.imap_port };
    b.ca_file = Some(servers.ca_file.clone());
    let app = common::app_with(pool, settings).await;
    let bot = Bot::start(&app).await;
    mail::wait_until_polling(&app).await;
    let buyer = mail::buyer(&tag, 1);
    let raw = mail::plain_mail(
        &buyer,
        &format!("tls-{tag}@c.test"),
        "RFQ",
        "",
        "1. Cable ties 200mm - 50 pcs",
    );
    servers.append(&mail::sales(&tag), "INBOX", &raw).await;
    let got = servers.wait_for(&buyer, 1, Duration::from_secs(20)).await;
    assert_eq!(mail::reply_kind(&got[0]), "ack");
    bot.stop().await;
}

#[sqlx::test]
async fn imaps_and_smtp_starttls(pool: PgPool) {
    acknowledged_over(pool, (Security::Tls, true), (Security::Starttls, false)).await;
}

#[sqlx::test]
async fn imap_starttls_and_smtps(pool: PgPool) {
    acknowledged_over(pool, (Security::Starttls, false), (Security::Tls, true)).await;
}

#[tokio::test]
async fn an_unknown_certificate_authority_is_refused() {
    let servers = Servers::from_env();
    let mut cfg = servers.imap_config("nobody@horme.test");
    cfg.host = "localhost".into();
    cfg.port = servers.imaps_port;
    cfg.security = Security::Tls;
    let Err(err) = channels::email::imap::connect(&cfg).await else {
        panic!("a certificate from an unknown CA must be refused");
    };
    assert!(err.to_string().contains("TLS"), "{err}");
}

#[tokio::test]
async fn plain_text_to_a_remote_host_is_refused() {
    let servers = Servers::from_env();
    let mut cfg = servers.imap_config("nobody@horme.test");
    cfg.host = "imap.example.com".into();
    let Err(err) = channels::email::imap::connect(&cfg).await else {
        panic!("plain text to a remote host must be refused");
    };
    assert!(matches!(err, ChannelError::Permanent(_)), "{err}");
}
