//! `horme synonyms list|add|remove|import`: the abbreviations and spellings staff teach the
//! matcher ("s/s" = "stainless steel"). Workers rebuild their search index on the change.

use std::path::PathBuf;

use clap::Subcommand;

use crate::catalog::synonyms;
use crate::config::Settings;

#[derive(Debug, Subcommand)]
pub enum SynonymsCommand {
    /// List every synonym.
    List,
    /// Add (or change) one: `horme synonyms add "s/s" "stainless steel"`.
    Add { phrase: String, replacement: String },
    /// Remove one by its phrase.
    Remove { phrase: String },
    /// Add every row of a CSV file with the columns phrase,replacement (a header row is
    /// skipped).
    Import { file: PathBuf },
}

pub async fn run(settings: Settings, command: SynonymsCommand) -> anyhow::Result<()> {
    let app = super::app(settings).await?;
    match command {
        SynonymsCommand::List => {
            for e in synonyms::list(&app.pool).await? {
                println!("{} = {}", e.phrase, e.replacement);
            }
        }
        SynonymsCommand::Add { phrase, replacement } => {
            synonyms::upsert(&app.pool, &[(phrase.clone(), replacement.clone())]).await?;
            println!("{phrase} = {replacement}");
        }
        SynonymsCommand::Remove { phrase } => {
            synonyms::remove(&app.pool, &phrase).await?;
            println!("removed {phrase}");
        }
        SynonymsCommand::Import { file } => {
            let n = synonyms::import_file(&app.pool, &file).await?;
            println!("{n} synonyms imported from {}", file.display());
        }
    }
    Ok(())
}
