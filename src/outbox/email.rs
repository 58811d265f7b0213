//! An outbox row as a mail: recipient and threading from the stored thread, our Message-ID,
//! the quotation PDF when the row asks for it.

use channels::email::smtp::OutgoingMail;
use channels::{Attachment, ChannelError, ThreadRef};
use sqlx::PgPool;
use uuid::Uuid;

use crate::mail::settings::MailSettings;
use crate::mail::threading;

/// The parts of a claimed row that make the mail.
#[derive(Debug, Clone)]
pub struct Row {
    pub id: Uuid,
    pub kind: String,
    pub thread: serde_json::Value,
    pub subject: Option<String>,
    pub body: String,
    pub quotation_id: Option<Uuid>,
    pub attach_pdf: bool,
    pub external_id: Option<String>,
    pub idempotency_key: String,
}

/// Builds the mail. A PDF that is not there yet is `Transient` (it is being rendered); a row
/// that can never become a mail is `Permanent`.
pub async fn compose(pool: &PgPool, mail: &MailSettings, row: &Row) -> Result<OutgoingMail, ChannelError> {
    let thread: ThreadRef = serde_json::from_value(row.thread.clone())
        .map_err(|e| ChannelError::Permanent(format!("outbox row has no usable thread: {e}")))?;
    let ThreadRef::Email {
        message_id: parent,
        references,
        subject,
        reply_to,
    } = thread
    else {
        return Err(ChannelError::Permanent("not a mail thread".into()));
    };
    let mut attachments = Vec::new();
    if row.attach_pdf {
        let q = row
            .quotation_id
            .ok_or_else(|| ChannelError::Permanent("a PDF was asked for without a quotation".into()))?;
        let found = sqlx::query!("select number, pdf from quotations where id = $1", q)
            .fetch_optional(pool)
            .await
            .map_err(|e| ChannelError::Transient(format!("loading the quotation PDF: {e}")))?
            .ok_or_else(|| ChannelError::Permanent(format!("quotation {q} no longer exists")))?;
        let pdf = found
            .pdf
            .ok_or_else(|| ChannelError::Transient(format!("the PDF of {} is not rendered yet", found.number)))?;
        attachments.push(Attachment {
            filename: format!("{}.pdf", found.number),
            media_type: "application/pdf".into(),
            content: pdf,
        });
    }
    let parent = parent.trim().to_string();
    let (in_reply_to, references) = if parent.is_empty() {
        (None, references)
    } else {
        (Some(parent.clone()), threading::references(&references, &parent))
    };
    Ok(OutgoingMail {
        from_address: mail.from_address.clone(),
        from_name: Some(mail.from_name.clone()).filter(|n| !n.trim().is_empty()),
        to: vec![reply_to],
        subject: row
            .subject
            .clone()
            .filter(|s| !s.trim().is_empty())
            .unwrap_or_else(|| threading::reply_subject(&subject)),
        message_id: row
            .external_id
            .clone()
            .unwrap_or_else(|| format!("horme.{}.{}@{}", row.kind, row.id.simple(), mail.id_domain())),
        in_reply_to,
        references,
        text: row.body.clone(),
        attachments,
    })
}
