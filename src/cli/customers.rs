//! `horme customers list|add|set-discount|prices …`: the customers a sales team prices for;
//! `export` and `forget`: a person's data on request (see `crate::privacy`).

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use anyhow::Context;
use clap::{ArgGroup, Args, Subcommand};
use rust_decimal::Decimal;

use crate::config::Settings;
use crate::customers::{self, CustomerKey, prices};
use crate::privacy;

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
    /// Everything stored about a person, as one JSON document (their requests, messages,
    /// quotations and lines).
    Export(ExportArgs),
    /// Erase a person's data (names, addresses, mail, documents, chat ids); their quotations
    /// stay, anonymised, with their numbers.
    Forget(ForgetArgs),
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The person's mail address.
    pub email: String,
    /// Write the JSON here (readable by its owner only) instead of to stdout.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Include the raw messages, documents and PDFs themselves (base64).
    #[arg(long)]
    pub with_content: bool,
    /// Who exports (written to the audit log).
    #[arg(long, value_name = "WHO", default_value = "cli")]
    pub by: String,
}

#[derive(Debug, Args)]
pub struct ForgetArgs {
    /// The person's mail address.
    pub email: String,
    /// Erase without asking.
    #[arg(long)]
    pub yes: bool,
    /// Who erases (written to the audit log).
    #[arg(long, value_name = "WHO", default_value = "cli")]
    pub by: String,
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
        CustomersCommand::Export(args) => export(&app.pool, args).await?,
        CustomersCommand::Forget(args) => forget(&app.pool, args).await?,
    }
    Ok(())
}

async fn export(pool: &sqlx::PgPool, args: ExportArgs) -> anyhow::Result<()> {
    let email = crate::domain::EmailAddress::parse(&args.email)?;
    let mut conn = pool.acquire().await?;
    let data = privacy::export(&mut conn, email.as_str(), args.with_content)
        .await
        .context("reading the person's data")?;
    let found = data.customer.is_some() || !data.messages.is_empty() || !data.quotations.is_empty();
    let json = serde_json::to_string_pretty(&data)?;
    match &args.out {
        Some(path) => write_private(path, json.as_bytes()).with_context(|| format!("writing {}", path.display()))?,
        None => super::output::print_stdout(&json)?,
    }
    if !found {
        eprintln!("nothing is stored about {email}");
        return Ok(());
    }
    let detail = serde_json::json!({
        "messages": data.messages.len(),
        "requests": data.requests.len(),
        "quotations": data.quotations.len(),
        "with_content": args.with_content,
    });
    crate::audit::record(
        &mut conn,
        crate::audit::Entry {
            entity: "customer",
            entity_id: email.as_str(),
            action: "exported",
            actor: &args.by,
            channel: "cli",
            detail,
        },
    )
    .await?;
    eprintln!(
        "{email}: {} messages, {} requests, {} quotations, {} replies exported{}",
        data.messages.len(),
        data.requests.len(),
        data.quotations.len(),
        data.replies.len(),
        args.out
            .as_ref()
            .map(|p| format!(" to {}", p.display()))
            .unwrap_or_default()
    );
    Ok(())
}

/// Creates (or replaces) `path` readable by its owner only: it holds personal data.
fn write_private(path: &std::path::Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)?;
    f.write_all(bytes)?;
    f.sync_all()
}

async fn forget(pool: &sqlx::PgPool, args: ForgetArgs) -> anyhow::Result<()> {
    let email = crate::domain::EmailAddress::parse(&args.email)?;
    let (subject, blockers) = privacy::forget::preview(pool, email.as_str()).await?;
    if subject.is_empty() {
        eprintln!("nothing is stored about {email}: nothing to erase");
        return Ok(());
    }
    if !blockers.is_empty() {
        anyhow::bail!(privacy::PrivacyError::Busy(blockers));
    }
    eprintln!(
        "{email}: {} messages (with their raw mail and documents), {} requests and {} replies will be erased; \
         {} quotations anonymised (numbers, lines and totals kept){}{}",
        subject.messages.len(),
        subject.requests.len(),
        subject.replies.len(),
        subject.quotations.len(),
        subject
            .customer
            .as_ref()
            .map(|c| format!("; the customer record \"{}\" deleted with its contract prices", c.name))
            .unwrap_or_default(),
        if subject.chat_identities.is_empty() {
            String::new()
        } else {
            format!("; chat identities {}", subject.chat_identities.join(", "))
        }
    );
    if !args.yes {
        if !std::io::stdin().is_terminal() {
            anyhow::bail!("not erased: pass --yes to erase without a prompt");
        }
        eprint!("This cannot be undone. Type the address again to erase: ");
        std::io::stderr().flush()?;
        let mut answer = String::new();
        std::io::stdin().read_line(&mut answer)?;
        if !answer.trim().eq_ignore_ascii_case(email.as_str()) {
            anyhow::bail!("not erased: the address typed did not match");
        }
    }
    let r = privacy::forget(pool, email.as_str(), &args.by).await?;
    eprintln!(
        "erased: {} messages, {} documents, {} requests, {} replies; {} quotations anonymised{}; erasure reference {}",
        r.messages,
        r.documents,
        r.requests,
        r.replies,
        r.quotations.len(),
        if r.customer_record_deleted {
            ", customer record deleted"
        } else {
            ""
        },
        r.reference
    );
    Ok(())
}
