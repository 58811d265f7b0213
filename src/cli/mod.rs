//! The command line: one binary, subcommands per DESIGN §3.

mod backup;
mod bench;
mod bench_extract;
mod bench_match;
mod calibrate;
mod catalog;
mod config_check;
mod customers;
mod init;
mod logins;
mod mail;
mod mail_bench;
mod output;
mod parse;
mod purge;
mod quotation;
mod quote;
mod serve;
mod synonyms;

use std::path::PathBuf;

use anyhow::Context;
use clap::{Parser, Subcommand};

use crate::config::Settings;
use crate::telemetry::Verbosity;
pub use bench::quote_in_memory;
pub use bench_extract::synthetic_pdf;
pub use parse::parse_document;
pub use quote::{message_from_file, quote_once};

use crate::startup::App;

#[derive(Debug, Parser)]
#[command(name = "horme", version, about = "Requests for quotation in, priced quotations out")]
pub struct Cli {
    /// Configuration file (TOML); default: $HORME_CONFIG, else ./horme.toml if present.
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Write a commented configuration file (from flags, or a few questions), then check it.
    Init(Box<init::InitArgs>),
    /// Apply database migrations.
    Migrate,
    /// Configuration commands.
    Config {
        #[command(subcommand)]
        command: ConfigCommand,
    },
    /// Catalog commands.
    Catalog {
        #[command(subcommand)]
        command: CatalogCommand,
    },
    /// Run the whole pipeline on one RFP file (.pdf .docx .xlsx .xls .ods .csv .txt .html .eml).
    Quote(quote::QuoteArgs),
    /// Print the customer details and requested lines of one RFP file.
    Extract(quote::ExtractArgs),
    /// Run the HTTP API, the workers and every configured channel.
    Serve,
    /// Run workers only.
    Worker,
    /// Quotation lifecycle: show, list, approve, reject, send, accept.
    Quotation {
        #[command(subcommand)]
        command: quotation::QuotationCommand,
    },
    /// Who may approve quotations.
    Approvers {
        #[command(subcommand)]
        command: quotation::ApproversCommand,
    },
    /// Synonyms and abbreviations the matcher reads both ways ("s/s" = "stainless steel").
    Synonyms {
        #[command(subcommand)]
        command: synonyms::SynonymsCommand,
    },
    /// Measure the one-shot pipeline over a directory of RFPs (median and p95 per document).
    Bench(bench::BenchArgs),
    /// Match latency per requested line (one description per line of FILE) against the
    /// catalog in the database.
    BenchMatch(bench_match::BenchMatchArgs),
    /// Fit the match confidence to the catalog in the database: labelled requests generated
    /// from it, the fitted coefficients, the reliability table and the review threshold.
    Calibrate(calibrate::CalibrateArgs),
    /// Back up the whole database (raw mail, documents and PDFs included) into FILE (pg_dump).
    Backup(backup::BackupArgs),
    /// Restore a backup into the configured database, then apply newer migrations (pg_restore).
    Restore(backup::RestoreArgs),
    /// Purge the bytes of old, settled requests as [retention] says (the maintenance job does
    /// it on schedule); --dry-run lists them.
    Purge(purge::PurgeArgs),
    /// Customers: discounts, contract prices; a person's data exported or erased.
    Customers {
        #[command(subcommand)]
        command: customers::CustomersCommand,
    },
    /// The mail channel: outbox state, end-to-end benchmark.
    Mail {
        #[command(subcommand)]
        command: mail::MailCommand,
    },
    /// The built-in reply texts and quotation terms.
    Templates {
        #[command(subcommand)]
        command: TemplatesCommand,
    },
    /// The document reader the pipeline starts per document (internal).
    #[command(hide = true)]
    ParseDocument(parse::ParseDocumentArgs),
}

#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Print the effective configuration (secrets redacted) and check the database.
    Check,
}

#[derive(Debug, Subcommand)]
pub enum TemplatesCommand {
    /// Write the built-in texts into DIR (to edit them, then set company.templates_dir = DIR).
    Export {
        dir: std::path::PathBuf,
        /// Replace files that exist already.
        #[arg(long)]
        overwrite: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum CatalogCommand {
    /// Import products (and price tiers) from CSV or XLSX.
    Import(catalog::ImportArgs),
    /// Search the catalog as the matcher does and show the scored candidates.
    Search(catalog::SearchArgs),
    /// Remember which product a requested description means (for one customer or everybody).
    Correct(catalog::CorrectArgs),
    /// Remembered corrections.
    Corrections {
        #[command(subcommand)]
        command: CorrectionsCommand,
    },
}

#[derive(Debug, Subcommand)]
pub enum CorrectionsCommand {
    /// List remembered corrections, newest first.
    List,
}

pub async fn run(cli: Cli) -> anyhow::Result<()> {
    // before the configuration: it may name the directory this is about to fill
    if let Command::Templates { command } = &cli.command {
        return templates(command);
    }
    // before the configuration: it writes the file the configuration is loaded from
    if let Command::Init(args) = cli.command {
        return init::run(*args, cli.config.as_deref()).await;
    }
    let settings = Settings::load(cli.config.as_deref()).context("loading the configuration")?;
    let verbosity = match cli.command {
        Command::Serve | Command::Worker => Verbosity::Service,
        _ => Verbosity::OneShot,
    };
    crate::telemetry::init(&settings.log, verbosity);
    match cli.command {
        Command::Migrate => {
            let pool = crate::db::connect(&settings.database).await?;
            crate::db::migrate(&pool).await?;
            eprintln!("migrations applied");
            Ok(())
        }
        Command::Config {
            command: ConfigCommand::Check,
        } => config_check::run(settings).await,
        Command::Catalog {
            command: CatalogCommand::Import(args),
        } => catalog::import(settings, args).await,
        Command::Catalog {
            command: CatalogCommand::Search(args),
        } => catalog::search(settings, args).await,
        Command::Catalog {
            command: CatalogCommand::Correct(args),
        } => catalog::correct(settings, args).await,
        Command::Catalog {
            command: CatalogCommand::Corrections {
                command: CorrectionsCommand::List,
            },
        } => catalog::corrections(settings).await,
        Command::Customers { command } => customers::run(settings, command).await,
        Command::Backup(args) => backup::backup(settings, args).await,
        Command::Restore(args) => backup::restore(settings, args).await,
        Command::Purge(args) => purge::run(settings, args).await,
        Command::Quote(args) => quote::quote(settings, args).await,
        Command::Extract(args) => quote::extract(settings, args).await,
        Command::Quotation { command } => quotation::run(settings, command).await,
        Command::Approvers { command } => quotation::approvers(settings, command).await,
        Command::Serve => serve::serve(settings, true).await,
        Command::Worker => serve::serve(settings, false).await,
        Command::Synonyms { command } => synonyms::run(settings, command).await,
        Command::Bench(args) => bench::run(settings, args).await,
        Command::BenchMatch(args) => bench_match::run(settings, args).await,
        Command::Calibrate(args) => calibrate::run(settings, args).await,
        Command::Mail { command } => mail::run(settings, command).await,
        Command::Templates { command } => templates(&command),
        Command::Init(_) => anyhow::bail!("init runs before the configuration is loaded"),
        Command::ParseDocument(_) => anyhow::bail!("parse-document is started by horme itself, before anything else"),
    }
}

fn templates(command: &TemplatesCommand) -> anyhow::Result<()> {
    let TemplatesCommand::Export { dir, overwrite } = command;
    let written = crate::templates::export(dir, *overwrite)
        .with_context(|| format!("writing the templates into {}", dir.display()))?;
    eprintln!(
        "{} of {} templates written into {}",
        written.len(),
        crate::templates::BUILT_IN.len(),
        dir.display()
    );
    Ok(())
}

/// Connects and migrates: every command that needs the database starts here.
async fn app(settings: Settings) -> anyhow::Result<App> {
    App::start(settings, true).await.context("starting")
}
