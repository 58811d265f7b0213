//! Customers: who a request comes from, their standing discount and their contract prices.
//!
//! A request belongs to the customer whose `email` is exactly the request's customer address
//! (the address the document gives, else the sender's); failing that, to the customer whose
//! `domain` is that address's domain. How a customer changes prices is documented in
//! `pipeline::pricing`. The sales team manages customers with `horme customers …`.

pub mod prices;

use rust_decimal::Decimal;
use serde::Serialize;
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use crate::domain::EmailAddress;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Customer {
    pub id: i64,
    pub name: String,
    pub email: Option<String>,
    pub domain: Option<String>,
    pub discount_pct: Decimal,
}

#[derive(Debug, thiserror::Error)]
pub enum CustomerError {
    #[error("no customer {0} (give a mail address or a domain that `horme customers list` shows)")]
    NotFound(String),
    #[error("no product with SKU {0} in the catalog")]
    UnknownSku(String),
    #[error("a customer with {0} already exists")]
    Duplicate(String),
    #[error("{0}")]
    Invalid(String),
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
}

/// How a customer is named on the command line: a full mail address or a mail domain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CustomerKey {
    Email(String),
    Domain(String),
}

impl CustomerKey {
    pub fn parse(raw: &str) -> Result<Self, CustomerError> {
        let s = raw.trim();
        if s.contains('@') {
            let e = EmailAddress::parse(s).map_err(|e| CustomerError::Invalid(e.to_string()))?;
            return Ok(Self::Email(e.as_str().to_string()));
        }
        let d = s.trim_start_matches('.').to_lowercase();
        if !d.contains('.') || d.ends_with('.') || !d.chars().all(|c| c.is_alphanumeric() || c == '-' || c == '.') {
            return Err(CustomerError::Invalid(format!(
                "{raw:?} is neither a mail address nor a domain"
            )));
        }
        Ok(Self::Domain(d))
    }
}

impl std::fmt::Display for CustomerKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Email(s) | Self::Domain(s) => f.write_str(s),
        }
    }
}

/// The customer of the given addresses (in order of preference): an exact mail address
/// first, else the first address whose domain is a customer's.
pub async fn identify(conn: &mut PgConnection, addresses: &[EmailAddress]) -> Result<Option<Customer>, sqlx::Error> {
    if addresses.is_empty() {
        return Ok(None);
    }
    let emails: Vec<String> = addresses.iter().map(|a| a.as_str().to_string()).collect();
    let domains: Vec<String> = addresses.iter().map(|a| a.domain().to_string()).collect();
    let rows = sqlx::query_as!(
        Customer,
        "select id, name, email, domain, discount_pct from customers where email = any($1) or domain = any($2)",
        &emails,
        &domains
    )
    .fetch_all(conn)
    .await?;
    let by_email = emails
        .iter()
        .find_map(|e| rows.iter().find(|c| c.email.as_deref() == Some(e.as_str())));
    let by_domain = || {
        domains
            .iter()
            .find_map(|d| rows.iter().find(|c| c.domain.as_deref() == Some(d.as_str())))
    };
    Ok(by_email.or_else(by_domain).cloned())
}

/// The customer of a request: its customer address (from the document, else the sender's),
/// then the sender's address.
#[tracing::instrument(skip_all, fields(%rfp))]
pub async fn for_rfp(pool: &PgPool, rfp: Uuid) -> Result<Option<Customer>, sqlx::Error> {
    let row = sqlx::query!(
        r#"select r.customer->>'email' as email, m.sender
           from rfps r join inbound_messages m on m.id = r.inbound_message_id
           where r.id = $1"#,
        rfp
    )
    .fetch_optional(pool)
    .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    let c = for_addresses(pool, &[row.email.as_deref(), Some(row.sender.as_str())]).await?;
    tracing::debug!(customer = c.as_ref().map(|c| c.id), "customer identified");
    Ok(c)
}

/// The customer of a request's addresses, in order of preference (the customer address the
/// document gives, then the sender's); what is not a mail address is ignored.
pub async fn for_addresses(pool: &PgPool, candidates: &[Option<&str>]) -> Result<Option<Customer>, sqlx::Error> {
    let mut addresses: Vec<EmailAddress> = Vec::new();
    for a in candidates.iter().flatten() {
        if let Ok(a) = EmailAddress::parse(a)
            && !addresses.contains(&a)
        {
            addresses.push(a);
        }
    }
    let mut conn = pool.acquire().await?;
    identify(&mut conn, &addresses).await
}

/// The customer named by `key` exactly (mail address or domain).
pub async fn find(conn: &mut PgConnection, key: &CustomerKey) -> Result<Customer, CustomerError> {
    let (email, domain) = match key {
        CustomerKey::Email(e) => (Some(e.as_str()), None),
        CustomerKey::Domain(d) => (None, Some(d.as_str())),
    };
    sqlx::query_as!(
        Customer,
        "select id, name, email, domain, discount_pct from customers where email = $1 or domain = $2",
        email,
        domain
    )
    .fetch_optional(conn)
    .await?
    .ok_or_else(|| CustomerError::NotFound(key.to_string()))
}

pub async fn get(pool: &PgPool, id: i64) -> Result<Option<Customer>, sqlx::Error> {
    sqlx::query_as!(
        Customer,
        "select id, name, email, domain, discount_pct from customers where id = $1",
        id
    )
    .fetch_optional(pool)
    .await
}

pub async fn list(pool: &PgPool) -> Result<Vec<Customer>, sqlx::Error> {
    sqlx::query_as!(
        Customer,
        "select id, name, email, domain, discount_pct from customers order by name, id"
    )
    .fetch_all(pool)
    .await
}

fn check_discount(pct: Decimal) -> Result<(), CustomerError> {
    if pct < Decimal::ZERO || pct > Decimal::ONE_HUNDRED {
        return Err(CustomerError::Invalid(format!(
            "a discount must be between 0 and 100 percent, not {pct}"
        )));
    }
    Ok(())
}

/// Adds a customer recognised by `key`.
pub async fn add(
    pool: &PgPool,
    name: &str,
    key: &CustomerKey,
    discount_pct: Decimal,
) -> Result<Customer, CustomerError> {
    check_discount(discount_pct)?;
    let name = name.trim();
    if name.is_empty() {
        return Err(CustomerError::Invalid("a customer needs a name".into()));
    }
    let (email, domain) = match key {
        CustomerKey::Email(e) => (Some(e.as_str()), None),
        CustomerKey::Domain(d) => (None, Some(d.as_str())),
    };
    sqlx::query_as!(
        Customer,
        r#"insert into customers (name, email, domain, discount_pct) values ($1, $2, $3, $4)
           on conflict do nothing
           returning id, name, email, domain, discount_pct"#,
        name,
        email,
        domain,
        discount_pct
    )
    .fetch_optional(pool)
    .await?
    .ok_or_else(|| CustomerError::Duplicate(key.to_string()))
}

/// Changes a customer's standing discount.
pub async fn set_discount(pool: &PgPool, key: &CustomerKey, discount_pct: Decimal) -> Result<Customer, CustomerError> {
    check_discount(discount_pct)?;
    let mut tx = pool.begin().await?;
    let c = find(&mut tx, key).await?;
    let c = sqlx::query_as!(
        Customer,
        r#"update customers set discount_pct = $2 where id = $1
           returning id, name, email, domain, discount_pct"#,
        c.id,
        discount_pct
    )
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_addresses_or_domains() {
        assert_eq!(
            CustomerKey::parse(" Buyer@Acme.Test ").ok(),
            Some(CustomerKey::Email("buyer@acme.test".into()))
        );
        assert_eq!(
            CustomerKey::parse("ACME.test").ok(),
            Some(CustomerKey::Domain("acme.test".into()))
        );
        assert!(CustomerKey::parse("acme").is_err());
        assert!(CustomerKey::parse("a b.test").is_err());
    }
}
