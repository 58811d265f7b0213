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
    // The ports first: a port in use ends the process before any mail is fetched or job run.
    let listeners = if with_http {
        Some(bind(&app.settings.http).await?)
    } else {
        None
    };
    let shutdown = CancellationToken::new();
    tokio::spawn(signal(shutdown.clone()));
    tokio::spawn(follow_catalog(app.clone(), shutdown.clone()));
    tokio::spawn(crate::jobs::schedule::run(app.clone(), shutdown.clone()));
    // The channels run with the HTTP server; `horme worker` runs jobs only. A channel whose
    // settings are incomplete (a password missing) ends the process before any work starts.
    let mut mail = if with_http {
        crate::startup::spawn_channels(&app, &shutdown)?
    } else {
        tokio::task::JoinSet::new()
    };
    let workers = tokio::spawn(worker::run_pool(
        app.clone(),
        app.settings.workers.count,
        shutdown.clone(),
    ));
    if let Some((listener, metrics_listener)) = listeners {
        let state = HttpState {
            app: app.clone(),
            metrics,
        };
        let limits = http::server::ServerLimits::from_settings(&app.settings.http);
        if let Some(listener) = metrics_listener {
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

/// The API's listener and, when `http.metrics_bind` is set, the metrics listener.
async fn bind(
    http: &crate::config::HttpSettings,
) -> anyhow::Result<(tokio::net::TcpListener, Option<tokio::net::TcpListener>)> {
    let backlog = http::server::backlog(http.max_connections);
    let listener = http::server::bind(&http.bind, backlog)
        .await
        .with_context(|| format!("binding http.bind {}", http.bind))?;
    tracing::info!(address = %listener.local_addr()?, "HTTP listening");
    let metrics_bind = http.metrics_bind.trim();
    let metrics = if metrics_bind.is_empty() {
        None
    } else {
        let listener = tokio::net::TcpListener::bind(metrics_bind)
            .await
            .with_context(|| format!("binding http.metrics_bind {metrics_bind}"))?;
        tracing::info!(address = %listener.local_addr()?, "metrics listening");
        Some(listener)
    };
    Ok((listener, metrics))
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
