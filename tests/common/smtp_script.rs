//! A scripted SMTP server for outbox tests: answers each message's end of DATA with the next
//! code of its script (e.g. 451 then 250), and records what it accepted. Everything else in
//! the dialogue is answered 250. [`ScriptedSmtp::start_with_login`] makes it a server that
//! offers `AUTH PLAIN` and accepts one user name and password (535 to anything else).

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

#[derive(Clone)]
pub struct ScriptedSmtp {
    pub port: u16,
    script: Arc<Mutex<VecDeque<u16>>>,
    /// When set, the script answers only messages to this address; others are accepted.
    only_to: Option<String>,
    accepted: Arc<Mutex<Vec<String>>>,
    attempts: Arc<Mutex<usize>>,
    /// The user name and password `AUTH PLAIN` accepts; None: no AUTH offered.
    login: Option<(String, String)>,
    /// Every AUTH received: whether it was accepted.
    auths: Arc<Mutex<Vec<bool>>>,
}

impl ScriptedSmtp {
    /// `script`: the reply code to each DATA in turn; 250 once it is used up.
    pub async fn start(script: &[u16]) -> Self {
        Self::start_for(script, None).await
    }

    /// Like [`start`](Self::start), the script applying only to messages to `only_to`.
    pub async fn start_for(script: &[u16], only_to: Option<&str>) -> Self {
        Self::start_inner(script, only_to, None).await
    }

    /// A server that offers `AUTH PLAIN` and accepts `user` with `password` only.
    pub async fn start_with_login(user: &str, password: &str) -> Self {
        Self::start_inner(&[], None, Some((user.to_string(), password.to_string()))).await
    }

    async fn start_inner(script: &[u16], only_to: Option<&str>, login: Option<(String, String)>) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind smtp");
        let s = Self {
            port: listener.local_addr().expect("addr").port(),
            script: Arc::new(Mutex::new(script.iter().copied().collect())),
            only_to: only_to.map(str::to_string),
            accepted: Arc::default(),
            attempts: Arc::default(),
            login,
            auths: Arc::default(),
        };
        let me = s.clone();
        tokio::spawn(async move {
            while let Ok((sock, _)) = listener.accept().await {
                tokio::spawn(me.clone().session(sock));
            }
        });
        s
    }

    /// Messages accepted (the DATA of each).
    pub fn accepted(&self) -> Vec<String> {
        self.accepted.lock().map(|a| a.clone()).unwrap_or_default()
    }

    /// Every DATA received, accepted or not.
    pub fn attempts(&self) -> usize {
        self.attempts.lock().map(|a| *a).unwrap_or(0)
    }

    /// Every AUTH received, in order: whether its credentials were accepted.
    pub fn auths(&self) -> Vec<bool> {
        self.auths.lock().map(|a| a.clone()).unwrap_or_default()
    }

    /// `AUTH PLAIN` with its initial response (`\0user\0password`, base64), or with the
    /// response on the next line: 235 for the configured credentials, else 535.
    async fn auth<R>(
        &self,
        cmd: &str,
        lines: &mut tokio::io::Lines<R>,
        w: &mut tokio::net::tcp::OwnedWriteHalf,
    ) -> String
    where
        R: tokio::io::AsyncBufRead + Unpin,
    {
        use base64::Engine;
        let Some((user, password)) = &self.login else {
            return "502 5.5.1 no AUTH here\r\n".into();
        };
        let mut words = cmd.split_whitespace().skip(1);
        if !words.next().is_some_and(|m| m.eq_ignore_ascii_case("PLAIN")) {
            return "504 5.5.4 only PLAIN\r\n".into();
        }
        let response = match words.next() {
            Some(r) => r.to_string(),
            None => {
                if w.write_all(b"334 \r\n").await.is_err() {
                    return String::new();
                }
                lines.next_line().await.ok().flatten().unwrap_or_default()
            }
        };
        let expected = format!("\0{user}\0{password}");
        let ok = base64::engine::general_purpose::STANDARD
            .decode(response.trim())
            .is_ok_and(|d| d == expected.as_bytes());
        if let Ok(mut a) = self.auths.lock() {
            a.push(ok);
        }
        if ok {
            "235 2.7.0 Authentication successful\r\n".into()
        } else {
            "535 5.7.8 Authentication credentials invalid\r\n".into()
        }
    }

    async fn session(self, sock: tokio::net::TcpStream) {
        let (r, mut w) = sock.into_split();
        let mut lines = BufReader::new(r).lines();
        if w.write_all(b"220 scripted ESMTP\r\n").await.is_err() {
            return;
        }
        while let Ok(Some(line)) = lines.next_line().await {
            let cmd = line.to_ascii_uppercase();
            let reply: String = if cmd.starts_with("EHLO") {
                if self.login.is_some() {
                    "250-scripted\r\n250-AUTH PLAIN\r\n250 8BITMIME\r\n".into()
                } else {
                    "250-scripted\r\n250 8BITMIME\r\n".into()
                }
            } else if cmd.starts_with("AUTH") {
                self.auth(&line, &mut lines, &mut w).await
            } else if cmd.starts_with("DATA") {
                if w.write_all(b"354 go ahead\r\n").await.is_err() {
                    return;
                }
                let mut data = String::new();
                while let Ok(Some(l)) = lines.next_line().await {
                    if l == "." {
                        break;
                    }
                    data.push_str(&l);
                    data.push('\n');
                }
                if let Ok(mut a) = self.attempts.lock() {
                    *a += 1;
                }
                let scripted = self
                    .only_to
                    .as_ref()
                    .is_none_or(|to| data.lines().any(|l| l == format!("To: {to}")));
                let code = if scripted {
                    self.script.lock().ok().and_then(|mut s| s.pop_front()).unwrap_or(250)
                } else {
                    250
                };
                if code == 250 {
                    if let Ok(mut a) = self.accepted.lock() {
                        a.push(data);
                    }
                    "250 2.0.0 queued\r\n".into()
                } else if code >= 500 {
                    format!("{code} 5.1.1 mailbox unavailable\r\n")
                } else {
                    format!("{code} 4.3.0 try again later\r\n")
                }
            } else if cmd.starts_with("QUIT") {
                let _ = w.write_all(b"221 bye\r\n").await;
                return;
            } else {
                "250 OK\r\n".into()
            };
            if w.write_all(reply.as_bytes()).await.is_err() {
                return;
            }
        }
    }
}
