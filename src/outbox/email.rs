//! The mail channel's [`ReplySender`]: an outbox reply as a mail — recipient and threading
//! from the stored thread, our Message-ID, the attachments the drainer loaded — sent by SMTP.

use channels::email::smtp::{OutgoingMail, SmtpSender};
use channels::{ChannelError, ChannelKind, Outgoing, ReplySender, ThreadRef};
use futures::future::BoxFuture;
use sha2::{Digest, Sha256};

use crate::mail::settings::MailSettings;
use crate::mail::threading;

pub use super::Row;

/// Sends mail replies through SMTP.
pub struct MailReplySender {
    smtp: SmtpSender,
    mail: MailSettings,
}

impl MailReplySender {
    pub fn new(smtp: SmtpSender, mail: MailSettings) -> Self {
        Self { smtp, mail }
    }
}

impl ReplySender for MailReplySender {
    fn channel(&self) -> ChannelKind {
        ChannelKind::Email
    }

    fn send<'a>(&'a self, out: &'a Outgoing) -> BoxFuture<'a, Result<(), ChannelError>> {
        Box::pin(async move {
            let mail = compose(&self.mail, out)?;
            self.smtp.send(&mail).await
        })
    }
}

/// Builds the mail; a reply that can never become a mail is `Permanent`.
pub fn compose(mail: &MailSettings, out: &Outgoing) -> Result<OutgoingMail, ChannelError> {
    let ThreadRef::Email {
        message_id: parent,
        references,
        subject,
        reply_to,
    } = out.reply.thread.clone()
    else {
        return Err(ChannelError::Permanent("not a mail thread".into()));
    };
    let parent = parent.trim().to_string();
    let (in_reply_to, references) = if parent.is_empty() {
        (None, references)
    } else {
        (Some(parent.clone()), threading::references(&references, &parent))
    };
    let message_id = out.external_id.clone().unwrap_or_else(|| {
        let key = hex::encode(&Sha256::digest(out.idempotency_key.as_bytes())[..16]);
        format!("horme.{}.{key}@{}", out.kind, mail.id_domain())
    });
    Ok(OutgoingMail {
        from_address: mail.from_address.clone(),
        from_name: Some(mail.from_name.clone()).filter(|n| !n.trim().is_empty()),
        to: vec![reply_to],
        subject: out
            .subject
            .clone()
            .filter(|s| !s.trim().is_empty())
            .unwrap_or_else(|| threading::reply_subject(&subject)),
        message_id,
        in_reply_to,
        references,
        text: out.reply.text.clone(),
        attachments: out.reply.attachments.clone(),
        // the quotation stands for the salesperson's own mail; every other reply is a notice
        auto_submitted: out.kind != "quotation",
    })
}
