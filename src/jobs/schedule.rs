//! The housekeeping schedule (the cron crate, expression from configuration). Every process
//! running it enqueues one job per tick with the tick's time as dedupe key, so however many
//! processes run, each tick's housekeeping runs once.

use chrono::Utc;
use serde_json::json;
use tokio_util::sync::CancellationToken;

use super::maintenance::MAINTENANCE;
use super::queue::{self, NewJob};
use crate::startup::App;

pub async fn run(app: App, shutdown: CancellationToken) {
    let schedule: cron::Schedule = match app.settings.schedule.maintenance.parse() {
        Ok(s) => s,
        Err(e) => {
            tracing::error!(error = %e, "schedule.maintenance is not a cron expression; housekeeping is off");
            return;
        }
    };
    loop {
        let Some(next) = schedule.upcoming(Utc).next() else {
            tracing::warn!("the maintenance schedule has no upcoming time; housekeeping is off");
            return;
        };
        let wait = (next - Utc::now()).to_std().unwrap_or_default();
        tokio::select! {
            _ = shutdown.cancelled() => return,
            _ = tokio::time::sleep(wait) => {}
        }
        if let Err(e) = enqueue_tick(&app, next).await {
            tracing::warn!(error = %e, "cannot enqueue housekeeping");
        }
    }
}

async fn enqueue_tick(app: &App, tick: chrono::DateTime<Utc>) -> Result<(), sqlx::Error> {
    let mut conn = app.pool.acquire().await?;
    queue::enqueue(
        &mut conn,
        NewJob {
            kind: MAINTENANCE,
            payload: json!({ "tick": tick.to_rfc3339() }),
            rfp_id: None,
            dedupe_key: Some(format!("{MAINTENANCE}:{}", tick.timestamp())),
            priority: 0,
            max_attempts: app.settings.workers.max_attempts,
        },
    )
    .await?;
    Ok(())
}
