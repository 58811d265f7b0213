//! Gates: a trigger on `rfps` that makes one request's status change wait on an advisory
//! lock the test holds, so that a worker is caught inside a given step (its job claimed and
//! leased, the step's statement or final transaction in flight) for as long as the test likes.

use sqlx::{Connection, PgConnection, PgPool};
use uuid::Uuid;

/// The advisory lock key the gates wait on.
const KEY: i64 = 4_702_111_234_388;

const INSTALL: &str = r#"
create table if not exists fault_gates (rfp_id uuid not null, from_status text not null, to_status text not null);
create or replace function fault_gate() returns trigger language plpgsql as $$
begin
    if exists (select 1 from fault_gates g
               where g.rfp_id = new.id and g.from_status = old.status and g.to_status = new.status) then
        perform pg_advisory_xact_lock_shared(4702111234388); -- KEY
    end if;
    return new;
end $$;
drop trigger if exists fault_gate on rfps;
create trigger fault_gate before update of status on rfps for each row execute function fault_gate();
"#;

/// The status changes of a request, each the first (begin) or last (final transaction)
/// statement of a step: `(step, from, to)`.
pub const POINTS: [(&str, &str, &str); 8] = [
    ("extract: start", "received", "extracting"),
    ("extract: commit", "extracting", "matching"),
    ("match: start", "matching", "matching"),
    ("match: commit", "matching", "pricing"),
    ("price: start", "pricing", "pricing"),
    ("price: commit", "pricing", "rendering"),
    ("render: start", "rendering", "rendering"),
    ("render: commit", "rendering", "done"),
];

/// The test's hold on the gates: while it lives, gated status changes wait.
pub struct Gates {
    conn: PgConnection,
}

impl Gates {
    /// Installs the trigger and takes the lock.
    pub async fn close(pool: &PgPool, url: &str) -> Self {
        sqlx::raw_sql(INSTALL)
            .execute(pool)
            .await
            .expect("install the gate trigger");
        let mut conn = PgConnection::connect(url).await.expect("connect");
        sqlx::query("select pg_advisory_lock($1)")
            .bind(KEY)
            .execute(&mut conn)
            .await
            .expect("lock");
        Self { conn }
    }

    /// Gates `rfp` at the status change `from → to`.
    pub async fn at(pool: &PgPool, rfp: Uuid, from: &str, to: &str) {
        sqlx::query("insert into fault_gates values ($1, $2, $3)")
            .bind(rfp)
            .bind(from)
            .bind(to)
            .execute(pool)
            .await
            .expect("gate");
    }

    /// How many sessions wait at a gate.
    pub async fn waiting(pool: &PgPool) -> i64 {
        sqlx::query_scalar(
            "select count(*) from pg_locks where locktype = 'advisory' and not granted
               and ((classid::bigint << 32) | objid::bigint) = $1",
        )
        .bind(KEY)
        .fetch_one(pool)
        .await
        .unwrap_or(0)
    }

    /// Ends the sessions still waiting at a gate: those of a killed process, which PostgreSQL
    /// would otherwise notice only at its next connection check.
    pub async fn end_orphans(pool: &PgPool) {
        let gone = super::common::eventually(std::time::Duration::from_secs(3), || async {
            (Self::waiting(pool).await == 0).then_some(())
        })
        .await;
        if gone.is_none() {
            sqlx::query(
                "select pg_terminate_backend(pid) from pg_locks where locktype = 'advisory' and not granted
                   and ((classid::bigint << 32) | objid::bigint) = $1",
            )
            .bind(KEY)
            .execute(pool)
            .await
            .expect("terminate");
        }
    }

    /// Removes every gate and lets the waiting sessions (if still alive) through.
    pub async fn open(mut self, pool: &PgPool) {
        sqlx::query("delete from fault_gates")
            .execute(pool)
            .await
            .expect("ungate");
        let _ = sqlx::query("select pg_advisory_unlock_all()")
            .execute(&mut self.conn)
            .await;
        let _ = self.conn.close().await;
    }
}
