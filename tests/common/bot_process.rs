//! The bot as a separate `horme serve` process (to kill it with SIGKILL mid-work), configured
//! through a TOML file for the test's database and loopback mail servers.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

use super::mail::{self, Servers};

pub struct BotProcess {
    child: Child,
    pub log: PathBuf,
}

/// Writes the configuration of a `horme serve` for the test `tag`.
pub fn config_file(dir: &std::path::Path, servers: &Servers, tag: &str) -> PathBuf {
    let text = format!(
        r#"
[http]
bind = "127.0.0.1:0"

[company]
name = "Horme Test Supplies Pte Ltd"

[workers]
count = 2
lease_seconds = 5
poll_interval_ms = 200
backoff_base_seconds = 1
shutdown_grace_seconds = 1

[approval]
approvers = ["{approver}"]

[mail]
enabled = true
from_address = "{sales}"
message_id_domain = "horme.test"
outbox_poll_interval_ms = 200
outbox_lease_seconds = 10
outbox_backoff_base_seconds = 1

[mail.smtp]
host = "{host}"
port = {smtp}
security = "plain"

[mail.imap]
poll_interval_seconds = 1
backoff_min_ms = 100
backoff_max_seconds = 2

[mail.mailboxes.sales]
host = "{host}"
port = {imap}
security = "plain"
username = "{sales}"
password = "{password}"

[log]
filter = "info,sqlx=warn"
"#,
        approver = mail::approver(tag),
        sales = mail::sales(tag),
        host = servers.host,
        smtp = servers.smtp_port,
        imap = servers.imap_port,
        password = servers.password,
    );
    let path = dir.join("horme.toml");
    std::fs::write(&path, text).expect("write config");
    path
}

impl BotProcess {
    pub fn start(database_url: &str, config: &std::path::Path, log: PathBuf) -> Self {
        let out = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&log)
            .expect("log file");
        let child = Command::new(env!("CARGO_BIN_EXE_horme"))
            .arg("serve")
            // not the checkout: the service must carry its texts and fonts itself
            .current_dir(config.parent().unwrap_or(std::path::Path::new("/")))
            .env("DATABASE_URL", database_url)
            .env("HORME_CONFIG", config)
            .env_remove("RUST_LOG")
            .stdout(Stdio::null())
            .stderr(out)
            .spawn()
            .expect("start horme serve");
        Self { child, log }
    }

    /// SIGKILL: no shutdown, no cleanup — a crash.
    pub fn kill(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for BotProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
