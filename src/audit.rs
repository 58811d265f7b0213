//! The audit log: who did what to which record, when, through which channel.

use serde_json::Value;
use sqlx::PgConnection;

pub struct Entry<'a> {
    pub entity: &'a str,
    pub entity_id: &'a str,
    pub action: &'a str,
    pub actor: &'a str,
    pub channel: &'a str,
    pub detail: Value,
}

pub async fn record(conn: &mut PgConnection, e: Entry<'_>) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "insert into audit_log (entity, entity_id, action, actor, channel, detail) values ($1, $2, $3, $4, $5, $6)",
        e.entity,
        e.entity_id,
        e.action,
        e.actor,
        e.channel,
        e.detail
    )
    .execute(conn)
    .await?;
    Ok(())
}
