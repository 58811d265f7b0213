//! Untrusted documents are read in a child process: this same program re-executed as
//! `horme parse-document`, the bytes on its stdin, the blocks back as JSON on its stdout.
//! The child limits its own address space and CPU time before it reads anything, and the
//! parent kills it after a wall-clock timeout. Whatever the parser does — allocate without
//! bound, loop, abort — costs one document ("needs more than 512 MiB to read"), never the
//! service, its other jobs or the queue.
//!
//! Plain formats (TXT, CSV, HTML) are read in-process: their memory is bounded by the byte
//! limits, and a process per mail body would only add latency.

use std::io::{Read, Write};
use std::os::unix::process::ExitStatusExt;
use std::path::PathBuf;
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use super::{Block, Format, Limits, TextError};

/// How documents are read out of process.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sandbox {
    /// The program to run as `EXE parse-document …` (this program unless configured).
    pub executable: PathBuf,
    /// Address-space limit of the child.
    pub memory_mib: u64,
    /// CPU-time limit of the child.
    pub cpu_seconds: u64,
    /// Wall-clock limit; the parent kills the child after it.
    pub timeout: Duration,
}

/// Whether a format is read in a child process. Plain text cannot blow up beyond its bytes.
pub(super) fn needed(format: Format) -> bool {
    !matches!(format, Format::Txt | Format::Csv | Format::Html | Format::Eml)
}

/// What the child writes on stdout.
#[derive(Debug, Serialize, Deserialize)]
enum Answer {
    Blocks(Vec<Block>),
    Error(TextError),
}

/// The arguments of `horme parse-document` (built by [`read`], parsed by the CLI).
#[derive(Debug, Clone)]
pub struct ChildArgs {
    pub name: String,
    pub format: Format,
    pub max_text_bytes: usize,
    pub max_pdf_pages: usize,
    pub memory_mib: u64,
    pub cpu_seconds: u64,
}

/// The variables the document reader keeps: the search path and locale for pdftoppm and
/// tesseract, their data and temporary directories, and the OCR switch.
const CHILD_ENV: [&str; 7] = [
    "PATH",
    "LANG",
    "LC_ALL",
    "TMPDIR",
    "TESSDATA_PREFIX",
    "OMP_THREAD_LIMIT",
    "HORME_OCR",
];

/// Reads one document in a child process (the caller checked format, emptiness and size).
pub(super) fn read(
    name: &str,
    format: Format,
    bytes: &[u8],
    limits: &Limits,
    sandbox: &Sandbox,
) -> Result<Vec<Block>, TextError> {
    let unavailable = |e: &dyn std::fmt::Display| {
        tracing::error!(error = %e, executable = %sandbox.executable.display(), "cannot run the document reader");
        TextError::ReaderUnavailable { name: name.into() }
    };
    let started = Instant::now();
    let mut child = Command::new(&sandbox.executable)
        .arg("parse-document")
        .args(["--name", &name.replace('\0', ""), "--format", format.as_str()])
        .args(["--max-text-bytes", &limits.max_text_bytes.to_string()])
        .args(["--max-pdf-pages", &limits.max_pdf_pages.to_string()])
        .args(["--memory-mib", &sandbox.memory_mib.to_string()])
        .args(["--cpu-seconds", &sandbox.cpu_seconds.to_string()])
        // Untrusted bytes get no secrets: the environment is emptied (database URL, tokens and
        // passwords may live there) but for what reading and OCR need.
        .env_clear()
        .envs(std::env::vars_os().filter(|(k, _)| CHILD_ENV.iter().any(|keep| k == keep)))
        // One malloc arena: per-thread arenas reserve address space the limit would count.
        .env("MALLOC_ARENA_MAX", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| unavailable(&e))?;
    let (Some(mut stdin), Some(stdout), Some(stderr)) = (child.stdin.take(), child.stdout.take(), child.stderr.take())
    else {
        let _ = child.kill();
        let _ = child.wait();
        return Err(unavailable(&"no pipes to the child"));
    };
    // The answer is JSON of at most the text limit, with room for escaping and structure.
    let max_answer = (limits.max_text_bytes as u64).saturating_mul(8).saturating_add(1 << 20);
    let answer = std::thread::scope(|scope| {
        // A child that dies early closes its stdin: a failed write is then not our error.
        scope.spawn(move || {
            let _ = stdin.write_all(bytes);
        });
        let out = scope.spawn(move || {
            let mut buf = Vec::new();
            let _ = stdout.take(max_answer).read_to_end(&mut buf);
            buf
        });
        let err = scope.spawn(move || {
            let mut buf = Vec::new();
            let _ = stderr.take(64 * 1024).read_to_end(&mut buf);
            buf
        });
        let status = wait(&mut child, sandbox.timeout);
        (status, out.join().unwrap_or_default(), err.join().unwrap_or_default())
    });
    let (status, stdout, stderr) = answer;
    let stderr = strip_ansi(&String::from_utf8_lossy(&stderr));
    if !stderr.trim().is_empty() {
        // lopdf and friends talk on stderr; it is diagnostics, not the service's log lines.
        tracing::debug!(document = name, output = %stderr.trim(), "document reader said");
    }
    let elapsed = started.elapsed();
    let status = match status {
        Some(Ok(s)) => s,
        Some(Err(e)) => return Err(unavailable(&e)),
        None => {
            tracing::warn!(
                document = name,
                seconds = sandbox.timeout.as_secs(),
                "document reader timed out: killed"
            );
            return Err(TextError::TimedOut {
                name: name.into(),
                seconds: sandbox.timeout.as_secs(),
            });
        }
    };
    if status.success() {
        return match serde_json::from_slice::<Answer>(&stdout) {
            Ok(Answer::Blocks(blocks)) => Ok(blocks),
            Ok(Answer::Error(e)) => Err(e),
            Err(e) if stdout.len() as u64 >= max_answer => {
                tracing::warn!(document = name, error = %e, "document reader answered too much");
                Err(TextError::TooMuchText {
                    name: name.into(),
                    limit: limits.max_text_bytes,
                })
            }
            Err(e) => {
                tracing::warn!(document = name, error = %e, "document reader answered nonsense");
                Err(TextError::Crashed { name: name.into() })
            }
        };
    }
    let signal = status.signal();
    tracing::warn!(document = name, ?signal, code = ?status.code(), ms = elapsed.as_millis() as u64, "document reader failed");
    Err(classify(name, signal, &stderr, sandbox))
}

/// Why a child died: memory (an allocation failed under the address-space limit), CPU time
/// (SIGXCPU, or SIGKILL at the hard limit), or anything else.
fn classify(name: &str, signal: Option<i32>, stderr: &str, sandbox: &Sandbox) -> TextError {
    const SIGKILL: i32 = 9;
    const SIGXCPU: i32 = 24;
    if stderr.contains("memory allocation of")
        || stderr.contains("capacity overflow")
        || stderr.contains("out of memory")
    {
        return TextError::OutOfMemory {
            name: name.into(),
            limit_mib: sandbox.memory_mib,
        };
    }
    if matches!(signal, Some(SIGXCPU) | Some(SIGKILL)) {
        return TextError::TimedOut {
            name: name.into(),
            seconds: sandbox.cpu_seconds,
        };
    }
    TextError::Crashed { name: name.into() }
}

/// Waits for the child up to `timeout`; None (after killing it) when it took longer.
fn wait(child: &mut std::process::Child, timeout: Duration) -> Option<std::io::Result<std::process::ExitStatus>> {
    let deadline = Instant::now() + timeout;
    let mut pause = Duration::from_micros(200);
    loop {
        match child.try_wait() {
            Ok(Some(status)) => return Some(Ok(status)),
            Ok(None) if Instant::now() >= deadline => {
                let _ = child.kill();
                let _ = child.wait();
                return None;
            }
            Ok(None) => {
                std::thread::sleep(pause);
                pause = (pause * 2).min(Duration::from_millis(20));
            }
            Err(e) => return Some(Err(e)),
        }
    }
}

/// Terminal colour codes out (lopdf's log lines are coloured).
fn strip_ansi(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            for d in chars.by_ref() {
                if d.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// `horme parse-document`: limits itself, reads the document on stdin, answers on stdout.
/// Quiet: a parser panic is the answer "damaged", not a message on stderr.
pub fn child(args: &ChildArgs) -> ExitCode {
    std::panic::set_hook(Box::new(|_| {}));
    if let Err(e) = limit_self(args.memory_mib, args.cpu_seconds) {
        eprintln!("cannot set resource limits: {e}");
        return ExitCode::FAILURE;
    }
    let mut bytes = Vec::new();
    if let Err(e) = std::io::stdin().read_to_end(&mut bytes) {
        eprintln!("cannot read the document: {e}");
        return ExitCode::FAILURE;
    }
    let limits = Limits {
        max_document_bytes: usize::MAX,
        max_text_bytes: args.max_text_bytes,
        max_pdf_pages: args.max_pdf_pages,
        sandbox: None,
    };
    let answer = match super::parse(&args.name, args.format, &bytes, &limits) {
        Ok(blocks) => Answer::Blocks(blocks),
        // No room for the parser thread's stack under the address-space limit.
        Err(TextError::Corrupt { name, detail, .. }) if detail.starts_with("cannot start the parser") => {
            Answer::Error(TextError::OutOfMemory {
                name,
                limit_mib: args.memory_mib,
            })
        }
        Err(e) => Answer::Error(e),
    };
    drop(bytes);
    let mut out = std::io::stdout().lock();
    match serde_json::to_writer(&mut out, &answer).map(|()| out.flush()) {
        Ok(Ok(())) => ExitCode::SUCCESS,
        _ => ExitCode::FAILURE,
    }
}

fn limit_self(memory_mib: u64, cpu_seconds: u64) -> rustix::io::Result<()> {
    use rustix::process::{Resource, Rlimit, setrlimit};
    let bytes = memory_mib.saturating_mul(1024 * 1024);
    setrlimit(
        Resource::As,
        Rlimit {
            current: Some(bytes),
            maximum: Some(bytes),
        },
    )?;
    // SIGXCPU at the soft limit, SIGKILL a second later if it is ignored.
    setrlimit(
        Resource::Cpu,
        Rlimit {
            current: Some(cpu_seconds),
            maximum: Some(cpu_seconds + 1),
        },
    )?;
    // No core files of hostile documents.
    setrlimit(
        Resource::Core,
        Rlimit {
            current: Some(0),
            maximum: Some(0),
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colour_codes_are_stripped() {
        assert_eq!(strip_ansi("\u{1b}[31mERROR\u{1b}[0m lopdf"), "ERROR lopdf");
    }

    #[test]
    fn the_reader_sees_no_environment_but_what_it_needs() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("tempdir");
        let script = dir.path().join("reader.sh");
        let seen = dir.path().join("env.txt");
        std::fs::write(&script, format!("#!/bin/sh\nenv > '{}'\nexit 3\n", seen.display())).expect("script");
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).expect("chmod");
        let sandbox = Sandbox {
            executable: script,
            memory_mib: 512,
            cpu_seconds: 5,
            timeout: Duration::from_secs(10),
        };
        let _ = read("a.pdf", Format::Pdf, b"%PDF-1.4", &Limits::default(), &sandbox);
        let env = std::fs::read_to_string(&seen).expect("the child ran");
        let names: Vec<&str> = env.lines().filter_map(|l| l.split_once('=').map(|(k, _)| k)).collect();
        assert!(names.contains(&"PATH"), "{names:?}");
        assert!(names.contains(&"MALLOC_ARENA_MAX"), "{names:?}");
        // the test process has HOME and cargo's variables; the child has none of them
        assert!(std::env::var_os("HOME").is_some() || std::env::vars().any(|(k, _)| k.starts_with("CARGO")));
        for name in &names {
            assert!(
                CHILD_ENV.contains(name) || ["MALLOC_ARENA_MAX", "PWD", "SHLVL", "_"].contains(name),
                "{name} reached the document reader"
            );
        }
    }

    #[test]
    fn deaths_are_told_apart() {
        let s = Sandbox {
            executable: "horme".into(),
            memory_mib: 512,
            cpu_seconds: 20,
            timeout: Duration::from_secs(30),
        };
        assert_eq!(
            classify("a.pdf", Some(6), "memory allocation of 123 bytes failed\n", &s).to_string(),
            "a.pdf: the document needs more than 512 MiB to read"
        );
        assert!(matches!(
            classify("a.pdf", Some(24), "", &s),
            TextError::TimedOut { seconds: 20, .. }
        ));
        assert!(matches!(classify("a.pdf", Some(11), "", &s), TextError::Crashed { .. }));
    }
}
