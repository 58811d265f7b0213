//! What every fault case needs: its own cluster and database, the catalog, requests to
//! quote, `horme worker` processes, and the exactly-once check.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use channels::{ChannelKind, InboundMessage, Sender, ThreadRef};
use horme::startup::App;
use sqlx::PgPool;
use sqlx::postgres::PgPoolOptions;
use uuid::Uuid;

use super::cluster::Cluster;
use super::common;

pub const CATALOG: &str = "sku,name,brand,category,unit,price,currency\n\
    0400000001,WEICON WEICONLOCK AN 302-25 200 ML PIPE SEALING,WEICON,Chemicals,pc,20.0917,SGD\n\
    0500000001,TOILET BOWL BRUSH WITH HOLDER DELUXE,,Cleaning,pc,10.005,SGD\n";

pub const RFP: &str =
    "Please quote:\n1. Weiconlock AN 302-25 200ml - 24 pcs\n2. Toilet bowl brush with holder deluxe - 2 pcs\n";

/// A cluster with a migrated database holding the catalog, and the library's view of it.
pub struct World {
    pub cluster: Cluster,
    pub app: App,
    pub dir: tempfile::TempDir,
    /// One fault scenario at a time: each stops databases and kills workers on a schedule
    /// that two scenarios on two cores would blur (a gate not reached within its bound).
    _serial: tokio::sync::MutexGuard<'static, ()>,
}

static SERIAL: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

impl World {
    pub async fn start() -> Self {
        let serial = SERIAL.lock().await;
        let cluster = Cluster::start();
        let admin = PgPoolOptions::new()
            .max_connections(1)
            .connect(&cluster.url("postgres"))
            .await
            .expect("connect to the test cluster");
        sqlx::query("create database horme")
            .execute(&admin)
            .await
            .expect("create database");
        admin.close().await;
        let pool = pool(&cluster).await;
        horme::db::migrate(&pool).await.expect("migrate");
        let app = common::app_with(pool, settings()).await;
        common::import_catalog_csv(&app, CATALOG, Some("scope,min_qty,discount_pct\nChemicals,24,6\n")).await;
        Self {
            cluster,
            app,
            dir: tempfile::tempdir().expect("tempdir"),
            _serial: serial,
        }
    }

    pub fn url(&self) -> String {
        self.cluster.url("horme")
    }

    /// A `horme worker` with the default settings (2 workers, 30 s leases) on this database.
    pub fn worker(&self, n: usize) -> Worker {
        self.worker_with(n, &[])
    }

    /// A `horme worker` with settings overridden by `HORME__…` variables.
    pub fn worker_with(&self, n: usize, env: &[(&str, String)]) -> Worker {
        self.process("worker", n, "", env)
    }

    /// `horme <command>` (worker or serve) with the default settings, then `extra` (TOML),
    /// then `env`.
    pub fn process(&self, command: &str, n: usize, extra: &str, env: &[(&str, String)]) -> Worker {
        let config = self.dir.path().join(format!("horme-{n}.toml"));
        std::fs::write(
            &config,
            format!(
                "[company]\nname = \"Horme Test Supplies Pte Ltd\"\n\n\
                 [log]\nfilter = \"info,sqlx=warn\"\n{extra}"
            ),
        )
        .expect("config");
        let log = self.dir.path().join(format!("{command}-{n}.log"));
        let out = std::fs::File::create(&log).expect("log");
        let child = Command::new(env!("CARGO_BIN_EXE_horme"))
            .arg(command)
            .current_dir(common::repo())
            .env("DATABASE_URL", self.url())
            .env("HORME_CONFIG", &config)
            .env_remove("RUST_LOG")
            .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
            .stdout(Stdio::null())
            .stderr(out)
            .spawn()
            .unwrap_or_else(|e| panic!("start horme {command}: {e}"));
        Worker { child, log }
    }

    /// Stores `n` requests (as the HTTP API does); their ids in order.
    pub async fn submit(&self, n: usize) -> Vec<Uuid> {
        let mut ids = Vec::with_capacity(n);
        for _ in 0..n {
            ids.push(self.submit_text(RFP).await);
        }
        ids
    }

    /// Stores one request with this text; its id.
    pub async fn submit_text(&self, text: &str) -> Uuid {
        let id = Uuid::now_v7().to_string();
        self.store(ChannelKind::Http, ThreadRef::Http { request_id: id.clone() }, id, text)
            .await
    }

    /// Stores one request that came by mail from `from` (Message-ID `<id>`); its id.
    pub async fn submit_mail(&self, from: &str, id: &str) -> Uuid {
        let thread = ThreadRef::Email {
            message_id: id.into(),
            references: vec![],
            subject: "RFQ".into(),
            reply_to: from.into(),
        };
        self.store(ChannelKind::Email, thread, id.into(), RFP).await
    }

    async fn store(&self, channel: ChannelKind, thread: ThreadRef, external_id: String, text: &str) -> Uuid {
        {
            let msg = InboundMessage {
                channel,
                external_id,
                thread,
                sender: Sender {
                    address: "buyer@customer.test".into(),
                    display_name: None,
                },
                subject: None,
                text: text.into(),
                html: None,
                attachments: vec![],
                raw: None,
                forwarded_by: None,
            };
            let stored = horme::ingest::store(&self.app.pool, &msg, 5).await.expect("store");
            stored.rfp_id
        }
    }

    /// Waits until every request is done or failed; false on timeout.
    pub async fn all_finished(&self, ids: &[Uuid], timeout: Duration) -> bool {
        let pool = self.app.pool.clone();
        common::eventually(timeout, || {
            let pool = pool.clone();
            async move {
                let open: i64 = sqlx::query_scalar(
                    "select count(*) from rfps where id = any($1) and status not in ('done', 'failed')",
                )
                .bind(ids)
                .fetch_one(&pool)
                .await
                .ok()?;
                (open == 0).then_some(())
            }
        })
        .await
        .is_some()
    }

    /// Every request done with exactly one quotation; the numbers distinct and gapless.
    pub async fn assert_quoted_once(&self, ids: &[Uuid]) {
        let rows: Vec<(Uuid, String, Option<String>, i64)> = sqlx::query_as(
            "select r.id, r.status, r.failure_reason,
                    (select count(*) from quotations q where q.rfp_id = r.id)
             from rfps r where r.id = any($1)",
        )
        .bind(ids)
        .fetch_all(&self.app.pool)
        .await
        .expect("rfps");
        assert_eq!(rows.len(), ids.len());
        for (id, status, reason, quotations) in &rows {
            assert_eq!(status, "done", "request {id}: {reason:?}");
            assert_eq!(*quotations, 1, "request {id}: exactly one quotation");
        }
        let numbers: Vec<String> = sqlx::query_scalar("select number from quotations order by number")
            .fetch_all(&self.app.pool)
            .await
            .expect("numbers");
        assert_eq!(numbers.len(), ids.len(), "no other quotation: {numbers:?}");
        let seq: Vec<u64> = numbers
            .iter()
            .map(|n| n.rsplit('-').next().and_then(|s| s.parse().ok()).expect("number"))
            .collect();
        let expected: Vec<u64> = (1..=ids.len() as u64).collect();
        assert_eq!(seq, expected, "quotation numbers without gaps: {numbers:?}");
        let dead: i64 = sqlx::query_scalar(
            "select count(*) from jobs where status = 'dead' or (kind like 'rfp.%' and status <> 'done')",
        )
        .fetch_one(&self.app.pool)
        .await
        .expect("jobs");
        assert_eq!(dead, 0, "every step's job done, none dead-lettered");
    }
}

pub async fn pool(cluster: &Cluster) -> PgPool {
    PgPoolOptions::new()
        .max_connections(5)
        .acquire_timeout(Duration::from_secs(5))
        .connect(&cluster.url("horme"))
        .await
        .expect("connect")
}

/// The library's settings for the test's side (imports, ingest, checks).
fn settings() -> horme::config::Settings {
    common::settings()
}

pub struct Worker {
    child: Child,
    pub log: PathBuf,
}

impl Worker {
    /// SIGKILL: no shutdown, no cleanup — a crash.
    pub fn kill(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    pub fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
