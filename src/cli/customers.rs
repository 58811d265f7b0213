//! `horme customers list|add|set-discount|prices …`: the customers a sales team prices for.

use std::path::PathBuf;

use anyhow::Context;
use clap::{ArgGroup, Args, Subcommand};
use rust_decimal::Decimal;

use crate::config::Settings;
use crate::customers::{self, CustomerKey, prices};

#[derive(Debug, Subcommand)]
pub enum CustomersCommand {
    /// List customers with their discount.
    List,
    /// Add a customer, recognised by a full mail address or by a mail domain.
    Add(AddArgs),
    /// Change a customer's standing discount (best-of with the price tiers, not stacked).
    SetDiscount {
        /// The customer's mail address or domain.
        customer: String,
        /// Percent.
        pct: Decimal,
    },
    /// Contract prices: net prices per customer and SKU.
    Prices {
        #[command(subcommand)]
        command: PricesCommand,
    },
}

#[derive(Debug, Args)]
#[command(group(ArgGroup::new("key").required(true).args(["email", "domain"])))]
pub struct AddArgs {
    #[arg(long)]
    pub name: String,
    /// Requests from exactly this address belong to the customer.
    #[arg(long)]
    pub email: Option<String>,
    /// Requests from any address at this domain belong to the customer.
    #[arg(long)]
    pub domain: Option<String>,
    /// Standing discount in percent.
    #[arg(long, value_name = "PCT", default_value = "0")]
    pub discount: Decimal,
}

#[derive(Debug, Subcommand)]
pub enum PricesCommand {
    /// List contract prices.
    List,
    /// Import contract prices from CSV (columns: customer email or domain, sku, price).
    Import { file: PathBuf },
    /// Set one contract price.
    Set {
        /// The customer's mail address or domain.
        customer: String,
        sku: String,
        price: Decimal,
    },
}

pub async fn run(settings: Settings, command: CustomersCommand) -> anyhow::Result<()> {
    let currency = settings.pricing.currency.clone();
    let app = super::app(settings).await?;
    match command {
        CustomersCommand::List => {
            for c in customers::list(&app.pool).await? {
                println!(
                    "{:<32} {:>6}%  {}",
                    c.email.or(c.domain).unwrap_or_default(),
                    c.discount_pct.normalize(),
                    c.name
                );
            }
        }
        CustomersCommand::Add(a) => {
            let raw = a.email.or(a.domain).unwrap_or_default();
            let key = CustomerKey::parse(&raw)?;
            let c = customers::add(&app.pool, &a.name, &key, a.discount).await?;
            println!(
                "customer {} ({key}) added, discount {}%",
                c.name,
                c.discount_pct.normalize()
            );
        }
        CustomersCommand::SetDiscount { customer, pct } => {
            let key = CustomerKey::parse(&customer)?;
            let c = customers::set_discount(&app.pool, &key, pct).await?;
            println!("{key}: discount {}%", c.discount_pct.normalize());
        }
        CustomersCommand::Prices {
            command: PricesCommand::List,
        } => {
            for p in prices::list(&app.pool).await? {
                println!(
                    "{:<32} {:<16} {} {}",
                    p.customer,
                    p.sku,
                    p.currency,
                    p.price.normalize()
                );
            }
        }
        CustomersCommand::Prices {
            command: PricesCommand::Import { file },
        } => {
            let n = prices::import_csv(&app.pool, &file, &currency).await?;
            println!("{n} contract prices imported from {}", file.display());
        }
        CustomersCommand::Prices {
            command: PricesCommand::Set { customer, sku, price },
        } => {
            let key = CustomerKey::parse(&customer)?;
            let sku = crate::domain::Sku::parse(&sku)?;
            let mut tx = app.pool.begin().await?;
            let c = customers::find(&mut tx, &key).await?;
            prices::set(&mut tx, &c, sku.as_str(), price, &currency).await?;
            tx.commit().await.context("saving the price")?;
            println!("{key}: {} at {currency} {}", sku.as_str(), price.normalize());
        }
    }
    Ok(())
}
