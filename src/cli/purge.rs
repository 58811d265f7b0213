//! `horme purge [--dry-run]`: the retention purge the maintenance job runs, by hand.

use chrono::Utc;
use clap::Args;

use super::output::{days as in_days, human_bytes, print_stdout};
use crate::config::Settings;
use crate::retention::{self, Item, Kind};

#[derive(Debug, Args)]
pub struct PurgeArgs {
    /// List what would be purged and change nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Print only the totals per kind, not every item.
    #[arg(long)]
    pub summary: bool,
}

pub async fn run(settings: Settings, args: PurgeArgs) -> anyhow::Result<()> {
    let retention = settings.retention;
    let app = super::app(settings).await?;
    let now = Utc::now();
    let items = if args.dry_run {
        retention::plan(&app.pool, &retention, now).await?
    } else {
        retention::purge(&app.pool, &retention, now, "cli", "cli").await?
    };
    if !args.summary && !items.is_empty() {
        let listing: Vec<String> = items
            .iter()
            .map(|i| {
                format!(
                    "{:<14} {:<36} settled {}  {:>10}  {}",
                    kind_name(i.kind),
                    i.candidate.id,
                    i.candidate.settled_at.format("%Y-%m-%d"),
                    human_bytes(i.candidate.bytes.max(0) as u64),
                    i.candidate.label
                )
            })
            .collect();
        print_stdout(&listing.join("\n"))?;
    }
    let verb = if args.dry_run { "would be purged" } else { "purged" };
    for kind in Kind::ALL {
        let days = kind.days(&retention);
        if days == 0 {
            eprintln!("{}: kept forever ({} = 0)", kind.label(), kind.setting());
            continue;
        }
        let of_kind: Vec<&Item> = items.iter().filter(|i| i.kind == kind).collect();
        let bytes: i64 = of_kind.iter().map(|i| i.candidate.bytes).sum();
        eprintln!(
            "{}: {} {verb} ({}), settled more than {} ago ({})",
            kind.label(),
            of_kind.len(),
            human_bytes(bytes.max(0) as u64),
            in_days(days),
            kind.setting()
        );
    }
    Ok(())
}

fn kind_name(kind: Kind) -> &'static str {
    match kind {
        Kind::RawMail => "raw_mail",
        Kind::Document => "document",
        Kind::RenderedPdf => "rendered_pdf",
    }
}
