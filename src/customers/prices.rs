//! Contract prices (`customer_prices`): a net price per customer and SKU that replaces the
//! list price for that customer (see `pipeline::pricing` for the order of the rules).
//! Prices are kept in the quotation currency; setting one in another currency is refused.

use std::collections::HashMap;
use std::path::Path;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::Serialize;
use sqlx::{PgConnection, PgPool};

use super::{Customer, CustomerError, CustomerKey, find};
use crate::domain::Sku;
use crate::pipeline::pricing::CustomerTerms;

/// What pricing needs to know about `customer`: the standing discount and the contract
/// prices in `currency`.
pub async fn terms(pool: &PgPool, customer: &Customer, currency: &str) -> Result<CustomerTerms, sqlx::Error> {
    let rows = sqlx::query!(
        "select sku, price from customer_prices where customer_id = $1 and currency = $2",
        customer.id,
        currency
    )
    .fetch_all(pool)
    .await?;
    Ok(CustomerTerms {
        discount_pct: customer.discount_pct,
        contract_prices: rows.into_iter().map(|r| (r.sku, r.price.normalize())).collect(),
    })
}

/// Sets the contract price of one SKU for a customer (insert or update).
pub async fn set(
    conn: &mut PgConnection,
    customer: &Customer,
    sku: &str,
    price: Decimal,
    currency: &str,
) -> Result<(), CustomerError> {
    if price < Decimal::ZERO {
        return Err(CustomerError::Invalid(format!("a price cannot be negative ({price})")));
    }
    let known = sqlx::query_scalar!(r#"select exists(select 1 from products where sku = $1) as "e!""#, sku)
        .fetch_one(&mut *conn)
        .await?;
    if !known {
        return Err(CustomerError::UnknownSku(sku.to_string()));
    }
    sqlx::query!(
        r#"insert into customer_prices (customer_id, sku, price, currency) values ($1, $2, $3, $4)
           on conflict (customer_id, sku) do update set price = excluded.price, currency = excluded.currency"#,
        customer.id,
        sku,
        price,
        currency
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// One contract price as listed.
#[derive(Debug, Clone, Serialize)]
pub struct ContractPrice {
    pub customer: String,
    pub sku: String,
    pub price: Decimal,
    pub currency: String,
}

pub async fn list(pool: &PgPool) -> Result<Vec<ContractPrice>, sqlx::Error> {
    sqlx::query_as!(
        ContractPrice,
        r#"select coalesce(c.email, c.domain) as "customer!", p.sku, p.price, p.currency
           from customer_prices p join customers c on c.id = p.customer_id
           order by 1, p.sku"#
    )
    .fetch_all(pool)
    .await
}

/// Imports a CSV of contract prices (columns: customer mail address or domain, sku, price;
/// optionally currency) in one transaction: any bad row rejects the whole file, naming the
/// row. Returns the number of prices written.
pub async fn import_csv(pool: &PgPool, path: &Path, currency: &str) -> Result<usize, CustomerError> {
    let name = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| CustomerError::Invalid(format!("cannot read {name}: {e}")))?;
    let rows = parse_csv(&bytes).map_err(|e| CustomerError::Invalid(format!("{name}: {e}")))?;
    let mut tx = pool.begin().await?;
    let mut customers: HashMap<String, Customer> = HashMap::new();
    for r in &rows {
        let at = |e: CustomerError| CustomerError::Invalid(format!("{name} row {}: {e}", r.row));
        if r.currency.as_deref().is_some_and(|c| !c.eq_ignore_ascii_case(currency)) {
            return Err(at(CustomerError::Invalid(format!(
                "currency {} is not the quotation currency {currency}",
                r.currency.as_deref().unwrap_or_default()
            ))));
        }
        let key = CustomerKey::parse(&r.customer).map_err(at)?;
        let customer = match customers.get(&key.to_string()) {
            Some(c) => c.clone(),
            None => {
                let c = find(&mut tx, &key).await.map_err(at)?;
                customers.insert(key.to_string(), c.clone());
                c
            }
        };
        set(&mut tx, &customer, &r.sku, r.price, currency).await.map_err(at)?;
    }
    tx.commit().await?;
    Ok(rows.len())
}

#[derive(Debug, PartialEq)]
struct Row {
    /// The line of the file (the header is line 1).
    row: usize,
    customer: String,
    sku: String,
    price: Decimal,
    currency: Option<String>,
}

fn parse_csv(bytes: &[u8]) -> Result<Vec<Row>, String> {
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(bytes);
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| e.to_string())?
        .iter()
        .map(|h| h.trim().to_ascii_lowercase().replace([' ', '_', '-'], ""))
        .collect();
    let col = |names: &[&str]| header.iter().position(|h| names.contains(&h.as_str()));
    let customer = col(&[
        "customer",
        "email",
        "domain",
        "customeremail",
        "customerdomain",
        "emailordomain",
    ])
    .ok_or("no customer column (customer, email or domain)")?;
    let sku = col(&["sku", "productsku", "itemcode"]).ok_or("no sku column")?;
    let price = col(&["price", "contractprice", "netprice"]).ok_or("no price column")?;
    let currency = col(&["currency", "ccy"]);
    let mut out = Vec::new();
    for (i, rec) in reader.records().enumerate() {
        let rec = rec.map_err(|e| format!("row {}: {e}", i + 2))?;
        let row = rec.position().map_or(i + 2, |p| p.line() as usize);
        let cell = |c: usize| rec.get(c).unwrap_or("").trim().to_string();
        if rec.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let sku_cell = cell(sku);
        let parsed_sku = Sku::parse(&sku_cell).map_err(|e| format!("row {row}: {e}"))?;
        let price_cell = cell(price);
        let parsed_price =
            Decimal::from_str(&price_cell).map_err(|_| format!("row {row}: price {price_cell:?} is not a number"))?;
        out.push(Row {
            row,
            customer: cell(customer),
            sku: parsed_sku.as_str().to_string(),
            price: parsed_price,
            currency: currency.map(cell).filter(|c| !c.is_empty()),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_rows_with_their_spreadsheet_numbers() {
        let rows =
            parse_csv(b"Customer, SKU ,Price\nbuyer@acme.test,0100000001,7.50\nacme.test, 042 ,3\n").expect("csv");
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].row, 2);
        assert_eq!(rows[0].sku, "0100000001");
        assert_eq!(rows[1].row, 3);
        assert_eq!(rows[1].sku, "042");
        assert_eq!(rows[1].price, Decimal::from(3));
    }

    #[test]
    fn names_the_bad_row() {
        let e = parse_csv(b"email,sku,price\nbuyer@acme.test,1,abc\n").expect_err("bad price");
        assert_eq!(e, "row 2: price \"abc\" is not a number");
        assert!(parse_csv(b"sku,price\n1,2\n").is_err());
    }
}
