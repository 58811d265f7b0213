//! `horme serve` (HTTP + workers + channels) and `horme worker` (workers only), under one
//! `tokio::select!` with graceful shutdown on Ctrl-C or SIGTERM.

use anyhow::Context;
use sqlx::postgres::PgListener;
use tokio_util::sync::CancellationToken;

use crate::catalog::store::CATALOG_CHANNEL;
use crate::config::Settings;
use crate::http::{self, HttpState};
use crate::jobs::worker;
use crate::startup::App;

pub async fn serve(settings: Settings, with_http: bool) -> anyhow::Result<()> {
    let metrics = http::install_recorder();
    let app = super::app(settings).await?;
    for w in app.settings.safety_warnings() {
        tracing::warn!("{w}");
    }
    let shutdown = CancellationToken::new();
    tokio::spawn(signal(shutdown.clone()));
    tokio::spawn(follow_catalog(app.clone(), shutdown.clone()));
    tokio::spawn(crate::jobs::schedule::run(app.clone(), shutdown.clone()));
    let workers = tokio::spawn(worker::run_pool(
        app.clone(),
        app.settings.workers.count,
        shutdown.clone(),
    ));
    // The channels run with the HTTP server; `horme worker` runs jobs only.
    let mut mail = if with_http {
        crate::startup::spawn_channels(&app, &shutdown)?
    } else {
        tokio::task::JoinSet::new()
    };
    if with_http {
        let bind = app.settings.http.bind.clone();
        let backlog = http::server::backlog(app.settings.http.max_connections);
        let listener = http::server::bind(&bind, backlog)
            .await
            .with_context(|| format!("binding {bind}"))?;
        tracing::info!(address = %listener.local_addr()?, "HTTP listening");
        let state = HttpState {
            app: app.clone(),
            metrics,
        };
        let limits = http::server::ServerLimits::from_settings(&app.settings.http);
        let metrics_bind = app.settings.http.metrics_bind.trim().to_string();
        if !metrics_bind.is_empty() {
            let listener = tokio::net::TcpListener::bind(&metrics_bind)
                .await
                .with_context(|| format!("binding http.metrics_bind {metrics_bind}"))?;
            tracing::info!(address = %listener.local_addr()?, "metrics listening");
            let router = http::metrics_router(state.clone());
            tokio::spawn(http::server::serve(listener, router, limits, shutdown.clone()));
        }
        http::server::serve(listener, http::router(state), limits, shutdown.clone()).await;
    } else {
        shutdown.cancelled().await;
    }
    tracing::info!("shutting down: waiting for workers and channels");
    let _ = workers.await;
    while mail.join_next().await.is_some() {}
    Ok(())
}

async fn signal(token: CancellationToken) {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term = match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(t) => t,
            Err(_) => {
                let _ = ctrl_c.await;
                token.cancel();
                return;
            }
        };
        tokio::select! {
            _ = ctrl_c => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    let _ = ctrl_c.await;
    tracing::info!("shutdown requested");
    token.cancel();
}

/// Rebuilds the search index as soon as an import or a synonym change is announced (jobs
/// also check the catalog version before matching, so a missed notification only delays it).
async fn follow_catalog(app: App, shutdown: CancellationToken) {
    let Ok(mut listener) = PgListener::connect_with(&app.pool).await else {
        tracing::warn!("cannot follow catalog changes; restart workers after an import");
        return;
    };
    if listener.listen(CATALOG_CHANNEL).await.is_err() {
        return;
    }
    loop {
        tokio::select! {
            _ = shutdown.cancelled() => return,
            n = listener.recv() => match n {
                Ok(_) => match app.catalog_index().await {
                    Ok(index) => tracing::info!(version = index.version(), "catalog changed: search index rebuilt"),
                    Err(e) => tracing::warn!(error = %e, "cannot rebuild the search index"),
                },
                Err(e) => {
                    tracing::warn!(error = %e, "catalog listener lost its connection");
                    tokio::time::sleep(std::time::Duration::from_secs(2)).await;
                }
            }
        }
    }
}
