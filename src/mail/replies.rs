//! The replies the mail channel writes into the outbox, from the texts in
//! `templates/replies/`: to the customer in their thread (acknowledgement, quotation, failure
//! notices — the automatic ones rate-limited per recipient) and to staff (drafts for approval,
//! notices). Each has an idempotency key, so writing it again is a no-op.

use channels::{ChannelKind, ThreadRef};
use sqlx::PgConnection;
use uuid::Uuid;

use super::threading::{self, Token};
use crate::outbox::{self, NewReply};
use crate::startup::App;

/// The customer's side of a request that came by mail.
#[derive(Debug, Clone)]
pub struct CustomerThread {
    /// The request, when the mail opened one.
    pub rfp_id: Option<Uuid>,
    /// What the customer's reference is made from: the request id, else the stored message id.
    pub reference_id: Uuid,
    pub thread: ThreadRef,
    pub name: Option<String>,
    pub sender: String,
}

impl CustomerThread {
    pub fn recipient(&self) -> String {
        match &self.thread {
            ThreadRef::Email { reply_to, .. } => reply_to.to_ascii_lowercase(),
            _ => self.sender.to_ascii_lowercase(),
        }
    }

    pub fn subject(&self) -> String {
        match &self.thread {
            ThreadRef::Email { subject, .. } => subject.clone(),
            _ => String::new(),
        }
    }
}

/// The customer-facing reference of a request, given at once in the acknowledgement.
pub fn reference(rfp_id: Uuid) -> String {
    let hex = rfp_id.simple().to_string().to_ascii_uppercase();
    format!("RFP-{}", &hex[hex.len() - 8..])
}

/// A template's subject line (if it has one) and body, placeholders filled.
pub fn render(app: &App, name: &str, vars: &[(&str, String)]) -> (Option<String>, String) {
    let text = crate::templates::render(&app.settings, &format!("replies/{name}"), vars);
    match text.split_once('\n') {
        Some((first, rest)) if first.starts_with("Subject:") => (
            Some(first.trim_start_matches("Subject:").trim().to_string()),
            rest.trim_start_matches('\n').to_string(),
        ),
        _ => (None, text),
    }
}

/// How a customer is greeted when neither their mail nor their document names them.
pub const NO_NAME: &str = "customer";

/// Placeholders every customer reply knows.
pub fn customer_vars(app: &App, c: &CustomerThread) -> Vec<(&'static str, String)> {
    vec![
        (
            "name",
            c.name
                .clone()
                .filter(|n| !n.trim().is_empty())
                .unwrap_or_else(|| NO_NAME.into()),
        ),
        ("reference", reference(c.reference_id)),
        ("company", app.settings.company.name.clone()),
        ("subject", c.subject()),
        ("sender", c.sender.clone()),
    ]
}

/// What became of a reply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Queued {
    Queued,
    AlreadyQueued,
    /// Over the per-recipient limit of automatic replies: not written.
    RateLimited,
}

/// One reply into the customer's thread.
pub struct ToCustomer<'a> {
    pub kind: &'a str,
    pub template: &'a str,
    pub vars: Vec<(&'static str, String)>,
    pub token: Token,
    /// Distinguishes replies of the same kind for one request (e.g. a quotation revision).
    pub key_suffix: String,
    pub quotation_id: Option<Uuid>,
    pub attach_pdf: bool,
    pub automatic: bool,
}

pub async fn to_customer(
    conn: &mut PgConnection,
    app: &App,
    c: &CustomerThread,
    r: ToCustomer<'_>,
) -> Result<Queued, sqlx::Error> {
    let recipient = c.recipient();
    if r.automatic {
        let sent = outbox::automatic_in_last_hour(conn, &recipient).await?;
        if sent >= i64::from(app.settings.mail.auto_replies_per_sender_per_hour) {
            tracing::warn!(%recipient, kind = r.kind, "automatic reply not sent: per-sender limit reached");
            metrics::counter!("horme_mail_rate_limited_total").increment(1);
            return Ok(Queued::RateLimited);
        }
    }
    let key = format!("email:{}:{}{}", r.kind, c.reference_id, r.key_suffix);
    let (_, body) = render(app, r.template, &r.vars);
    let reply = NewReply {
        external_id: Some(threading::message_id(
            r.kind,
            &r.token,
            &key,
            &app.settings.mail.id_domain(),
        )),
        idempotency_key: key,
        channel: ChannelKind::Email,
        thread: c.thread.clone(),
        kind: r.kind.to_string(),
        subject: None,
        body,
        quotation_id: r.quotation_id,
        rfp_id: c.rfp_id,
        attach_pdf: r.attach_pdf,
        recipient: Some(recipient),
        automatic: r.automatic,
    };
    Ok(if outbox::enqueue(conn, &reply).await? {
        Queued::Queued
    } else {
        Queued::AlreadyQueued
    })
}

/// One mail to staff (approvers, sales), starting a thread or continuing `parent`.
pub struct ToStaff<'a> {
    pub to: String,
    pub kind: &'a str,
    pub template: &'a str,
    pub vars: Vec<(&'static str, String)>,
    pub token: Token,
    pub key: String,
    pub quotation_id: Option<Uuid>,
    pub rfp_id: Option<Uuid>,
    pub attach_pdf: bool,
    /// Answer this thread (Message-ID, references, subject) instead of starting one.
    pub parent: Option<(String, Vec<String>, String)>,
    /// A draft for approval: the quotation's approval token, carried in the Message-ID and
    /// the subject (see [`threading::approval_message_id`]).
    pub approval_token: Option<String>,
}

pub async fn to_staff(conn: &mut PgConnection, app: &App, r: ToStaff<'_>) -> Result<Queued, sqlx::Error> {
    let (subject, body) = render(app, r.template, &r.vars);
    let domain = app.settings.mail.id_domain();
    let (external_id, subject) = match (&r.approval_token, &r.token) {
        (Some(secret), Token::Quotation(number)) => (
            threading::approval_message_id(r.kind, number, secret, &r.key, &domain),
            Some(format!(
                "{} {}",
                subject.unwrap_or_else(|| format!("Quotation {number}")),
                threading::approval_tag(secret)
            )),
        ),
        _ => (threading::message_id(r.kind, &r.token, &r.key, &domain), subject),
    };
    let (parent_id, refs, parent_subject) = r.parent.unwrap_or_default();
    let thread = ThreadRef::Email {
        message_id: parent_id.clone(),
        references: refs,
        subject: parent_subject,
        reply_to: r.to.clone(),
    };
    let reply = NewReply {
        external_id: Some(external_id),
        idempotency_key: r.key,
        channel: ChannelKind::Email,
        thread,
        kind: r.kind.to_string(),
        subject: if parent_id.is_empty() { subject } else { None },
        body,
        quotation_id: r.quotation_id,
        rfp_id: r.rfp_id,
        attach_pdf: r.attach_pdf,
        recipient: Some(r.to.to_ascii_lowercase()),
        automatic: false,
    };
    Ok(if outbox::enqueue(conn, &reply).await? {
        Queued::Queued
    } else {
        Queued::AlreadyQueued
    })
}

/// Where notices for sales go: `mail.sales_address`, else the approvers.
pub async fn sales_recipients(conn: &mut PgConnection, app: &App) -> Result<Vec<String>, sqlx::Error> {
    let s = app.settings.mail.sales_address.trim();
    if !s.is_empty() {
        return Ok(vec![s.to_ascii_lowercase()]);
    }
    super::approval_recipients(conn, app).await
}

/// Tells sales that a reply to a customer could not be delivered (never for staff mail).
pub async fn delivery_failed(
    conn: &mut PgConnection,
    app: &App,
    row: &crate::outbox::email::Row,
    error: &str,
) -> Result<(), sqlx::Error> {
    if super::STAFF_KINDS.contains(&row.kind.as_str()) {
        return Ok(());
    }
    let thread: Option<ThreadRef> = serde_json::from_value(row.thread.clone()).ok();
    let recipient = match &thread {
        Some(ThreadRef::Email { reply_to, .. }) => reply_to.clone(),
        _ => String::new(),
    };
    let rfp = sqlx::query_scalar!("select rfp_id from outbox where id = $1", row.id)
        .fetch_one(&mut *conn)
        .await?;
    let vars = vec![
        ("recipient", recipient),
        ("kind", row.kind.clone()),
        ("error", error.to_string()),
        ("reference", rfp.map(reference).unwrap_or_else(|| row.id.to_string())),
    ];
    for to in sales_recipients(conn, app).await? {
        to_staff(
            conn,
            app,
            ToStaff {
                key: format!("email:delivery_failed:{}:{to}", row.id),
                to,
                kind: "delivery_failed",
                template: "delivery_failed.txt",
                vars: vars.clone(),
                token: rfp.map(Token::Request).unwrap_or(Token::Request(row.id)),
                quotation_id: row.quotation_id,
                rfp_id: rfp,
                attach_pdf: false,
                parent: None,
                approval_token: None,
            },
        )
        .await?;
    }
    Ok(())
}
