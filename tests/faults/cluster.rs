//! A PostgreSQL cluster of the test's own, on a free port, that the test may stop and start
//! (the shared one on 5432 is never touched). Built with `initdb` and `pg_ctl` from Debian's
//! `postgresql` package (/usr/lib/postgresql/<version>/bin); as root these run as the
//! `postgres` user, since initdb refuses root. `scripts/test` installs the package if absent.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub struct Cluster {
    bin: PathBuf,
    dir: tempfile::TempDir,
    pub port: u16,
    as_postgres: bool,
}

/// The newest installed server's binaries.
fn server_bin() -> PathBuf {
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .expect("/usr/lib/postgresql: install Debian's postgresql package (scripts/test does)")
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let v = e.file_name().to_str()?.parse::<u32>().ok()?;
            let bin = e.path().join("bin");
            bin.join("initdb").exists().then_some((v, bin))
        })
        .collect();
    versions.sort();
    versions.pop().expect("no initdb under /usr/lib/postgresql/*/bin").1
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

impl Cluster {
    /// initdb (trust authentication, no fsync: a throwaway cluster) and start.
    pub fn start() -> Self {
        let as_postgres = is_root();
        let dir = tempfile::Builder::new()
            .prefix("horme-faults-pg")
            .tempdir()
            .expect("tempdir");
        if as_postgres {
            run(Command::new("chown").args(["-R", "postgres:"]).arg(dir.path()));
        }
        let c = Self {
            bin: server_bin(),
            dir,
            port: free_port(),
            as_postgres,
        };
        c.pg(
            "initdb",
            &[
                "-D",
                &c.data().display().to_string(),
                "-U",
                "postgres",
                "-A",
                "trust",
                "--no-sync",
                "--no-instructions",
            ],
        );
        let conf = format!(
            "port = {}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '{}'\n\
             fsync = off\nsynchronous_commit = off\nfull_page_writes = off\nmax_connections = 100\n\
             client_connection_check_interval = 1000\n",
            c.port,
            c.dir.path().display()
        );
        let path = c.data().join("postgresql.conf");
        let mut text = std::fs::read_to_string(&path).expect("postgresql.conf");
        text.push_str(&conf);
        std::fs::write(&path, text).expect("write postgresql.conf");
        c.up();
        c
    }

    fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    /// Server URL of database `db`.
    pub fn url(&self, db: &str) -> String {
        format!("postgres://postgres@127.0.0.1:{}/{db}", self.port)
    }

    /// `pg_ctl start`, waiting until it accepts connections.
    pub fn up(&self) {
        let log = self.dir.path().join("server.log");
        self.pg(
            "pg_ctl",
            &[
                "-D",
                &self.data().display().to_string(),
                "-l",
                &log.display().to_string(),
                "-w",
                "-t",
                "30",
                "start",
            ],
        );
    }

    /// `pg_ctl stop -m fast`: every session is ended, open transactions roll back.
    pub fn down(&self) {
        self.pg(
            "pg_ctl",
            &["-D", &self.data().display().to_string(), "-m", "fast", "-w", "stop"],
        );
    }

    fn pg(&self, tool: &str, args: &[&str]) -> Output {
        let exe = self.bin.join(tool);
        let mut cmd = if self.as_postgres {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(&exe);
            c
        } else {
            Command::new(&exe)
        };
        cmd.args(args).current_dir(self.dir.path());
        run(&mut cmd)
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = self.pg_quiet(&["-D", &self.data().display().to_string(), "-m", "immediate", "stop"]);
    }
}

impl Cluster {
    fn pg_quiet(&self, args: &[&str]) -> std::io::Result<Output> {
        let exe = self.bin.join("pg_ctl");
        if self.as_postgres {
            Command::new("runuser")
                .args(["-u", "postgres", "--"])
                .arg(exe)
                .args(args)
                .output()
        } else {
            Command::new(exe).args(args).output()
        }
    }
}

fn run(cmd: &mut Command) -> Output {
    let out = cmd.output().unwrap_or_else(|e| panic!("{cmd:?}: {e}"));
    assert!(
        out.status.success(),
        "{cmd:?} failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// Whether this process runs as root (initdb refuses root).
fn is_root() -> bool {
    Path::new("/proc/self").exists()
        && std::fs::read_to_string("/proc/self/status")
            .ok()
            .and_then(|s| {
                s.lines()
                    .find(|l| l.starts_with("Uid:"))
                    .and_then(|l| l.split_whitespace().nth(1).map(|u| u == "0"))
            })
            .unwrap_or(false)
}
