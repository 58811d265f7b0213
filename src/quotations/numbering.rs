//! Gapless quotation numbers per year. The counter row stays locked until the creating
//! transaction ends, so numbers are consecutive under concurrency and a rolled-back creation
//! gives its number back.

use sqlx::PgConnection;

use crate::domain::QuoteNumber;

/// Takes the next number of `year` inside the caller's transaction.
pub async fn next(conn: &mut PgConnection, year: i32) -> Result<QuoteNumber, sqlx::Error> {
    let seq = sqlx::query_scalar!(
        r#"
        insert into quote_counters (year, last_value) values ($1, 1)
        on conflict (year) do update set last_value = quote_counters.last_value + 1
        returning last_value
        "#,
        year
    )
    .fetch_one(conn)
    .await?;
    Ok(QuoteNumber::new(year, seq))
}
