//! Everything stored about one person, found from their mail address.
//!
//! - **messages** they sent (sender or Reply-To), and the messages of their requests;
//! - **requests** whose customer address (from the document or the sender) is theirs;
//! - **chat identities** (`telegram:123`, `slack:U…`, `discord:…`) that sent those messages:
//!   the same person in a chat, so their other chat messages count too;
//! - **quotations** of those requests, or made for their address, or for the customer record
//!   keyed by their address (a customer keyed by a domain is a company: it stays);
//! - **replies** (outbox) in those threads or to their address.

use rust_decimal::Decimal;
use sqlx::PgConnection;
use uuid::Uuid;

/// The customer record keyed by the person's own address.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CustomerRecord {
    pub id: i64,
    pub name: String,
    pub email: Option<String>,
    pub discount_pct: Decimal,
}

#[derive(Debug, Clone, Default)]
pub struct Subject {
    /// Lower-case.
    pub email: String,
    pub customer: Option<CustomerRecord>,
    pub chat_identities: Vec<String>,
    pub messages: Vec<Uuid>,
    pub requests: Vec<Uuid>,
    pub quotations: Vec<Uuid>,
    pub replies: Vec<Uuid>,
}

impl Subject {
    pub fn is_empty(&self) -> bool {
        self.customer.is_none() && self.messages.is_empty() && self.requests.is_empty() && self.quotations.is_empty()
    }

    /// The address and the chat identities, lower-case: what stands for the person in
    /// free-form columns (audit actors, job payloads).
    pub fn identities(&self) -> Vec<String> {
        std::iter::once(self.email.clone())
            .chain(self.chat_identities.iter().map(|c| c.to_lowercase()))
            .collect()
    }
}

/// Finds what is stored about `email` (lower-case), on `conn` (inside the caller's
/// transaction when it is to be changed).
pub async fn find(conn: &mut PgConnection, email: &str) -> Result<Subject, sqlx::Error> {
    let customer: Option<CustomerRecord> =
        sqlx::query_as("select id, name, email, discount_pct from customers where email = $1")
            .bind(email)
            .fetch_optional(&mut *conn)
            .await?;
    let direct: Vec<Uuid> = sqlx::query_scalar(
        "select id from inbound_messages where lower(sender) = $1 or lower(thread->>'reply_to') = $1",
    )
    .bind(email)
    .fetch_all(&mut *conn)
    .await?;
    let own_requests: Vec<Uuid> =
        sqlx::query_scalar("select id from rfps where lower(customer->>'email') = $1 or inbound_message_id = any($2)")
            .bind(email)
            .bind(&direct)
            .fetch_all(&mut *conn)
            .await?;
    let chat_identities: Vec<String> = sqlx::query_scalar(
        r#"select distinct m.sender from inbound_messages m left join rfps r on r.inbound_message_id = m.id
           where (m.id = any($1) or r.id = any($2))
             and m.channel in ('telegram', 'slack', 'discord') and btrim(m.sender) <> ''
           order by 1"#,
    )
    .bind(&direct)
    .bind(&own_requests)
    .fetch_all(&mut *conn)
    .await?;
    let messages: Vec<Uuid> = sqlx::query_scalar(
        r#"select m.id from inbound_messages m left join rfps r on r.inbound_message_id = m.id
           where m.id = any($1) or r.id = any($2) or m.sender = any($3)
           order by m.received_at, m.id"#,
    )
    .bind(&direct)
    .bind(&own_requests)
    .bind(&chat_identities)
    .fetch_all(&mut *conn)
    .await?;
    let requests: Vec<Uuid> = sqlx::query_scalar(
        "select id from rfps where id = any($1) or inbound_message_id = any($2) order by created_at, id",
    )
    .bind(&own_requests)
    .bind(&messages)
    .fetch_all(&mut *conn)
    .await?;
    let quotations: Vec<Uuid> = sqlx::query_scalar(
        r#"select id from quotations
           where rfp_id = any($1) or lower(customer->>'email') = $2 or customer_id = $3
           order by base_number, revision"#,
    )
    .bind(&requests)
    .bind(email)
    .bind(customer.as_ref().map(|c| c.id))
    .fetch_all(&mut *conn)
    .await?;
    let lower_chat: Vec<String> = chat_identities.iter().map(|c| c.to_lowercase()).collect();
    let replies: Vec<Uuid> = sqlx::query_scalar(
        r#"select id from outbox
           where rfp_id = any($1) or quotation_id = any($2) or recipient = $3 or recipient = any($4)
           order by created_at, id"#,
    )
    .bind(&requests)
    .bind(&quotations)
    .bind(email)
    .bind(&lower_chat)
    .fetch_all(&mut *conn)
    .await?;
    Ok(Subject {
        email: email.to_string(),
        customer,
        chat_identities,
        messages,
        requests,
        quotations,
        replies,
    })
}
