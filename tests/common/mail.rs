//! The mail side of the integration tests: the loopback Dovecot + SMTP relay that
//! `scripts/test` starts (`scripts/mail-servers`), settings that point the bot at them, a bot
//! running in the test process, and IMAP helpers to append mail and read what the bot sent.
//!
//! Every test uses mail addresses of its own (a random tag), so tests running in parallel
//! against the same servers never see each other's mail.

use base64::Engine;
use std::path::Path;
use std::time::{Duration, Instant};

use channels::email::imap::{AfterStore, ImapConfig, ImapSession, connect};
use channels::email::{ParsedMail, Security};
use futures::TryStreamExt;
use horme::config::Settings;
use horme::mail::settings::MailboxSettings;
use horme::startup::App;
use secrecy::SecretString;
use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;

/// Where the loopback mail servers listen (from the environment `scripts/test` sets).
#[derive(Debug, Clone)]
pub struct Servers {
    pub host: String,
    pub imap_port: u16,
    pub smtp_port: u16,
    /// IMAP with TLS from the first byte (the plain port also offers STARTTLS).
    pub imaps_port: u16,
    /// SMTP with TLS from the first byte (the plain port also offers STARTTLS).
    pub smtps_port: u16,
    /// The CA that signed the servers' `localhost` certificate.
    pub ca_file: std::path::PathBuf,
    pub password: String,
}

impl Servers {
    /// Fails the test with instructions when the servers were not started: mail tests must
    /// never pass by skipping.
    pub fn from_env() -> Self {
        let var = |k: &str| {
            std::env::var(k).unwrap_or_else(|_| {
                panic!(
                    "{k} is not set: the mail tests need the loopback mail servers. Run them through \
                     scripts/test (it starts Dovecot and the SMTP relay), or run \
                     `eval \"$(scripts/mail-servers start)\"` before cargo test."
                )
            })
        };
        Self {
            host: var("HORME_TEST_MAIL_HOST"),
            imap_port: var("HORME_TEST_IMAP_PORT")
                .parse()
                .expect("HORME_TEST_IMAP_PORT is a port"),
            smtp_port: var("HORME_TEST_SMTP_PORT")
                .parse()
                .expect("HORME_TEST_SMTP_PORT is a port"),
            imaps_port: var("HORME_TEST_IMAPS_PORT")
                .parse()
                .expect("HORME_TEST_IMAPS_PORT is a port"),
            smtps_port: var("HORME_TEST_SMTPS_PORT")
                .parse()
                .expect("HORME_TEST_SMTPS_PORT is a port"),
            ca_file: var("HORME_TEST_MAIL_CA").into(),
            password: var("HORME_TEST_MAIL_PASSWORD"),
        }
    }

    /// A poller-style configuration for logging in as `user`.
    pub fn imap_config(&self, user: &str) -> ImapConfig {
        ImapConfig {
            name: user.to_string(),
            host: self.host.clone(),
            port: self.imap_port,
            security: Security::Plain,
            username: user.to_string(),
            password: self.password.clone(),
            ca_file: None,
            folder: "INBOX".into(),
            after_store: AfterStore::MarkSeen,
            idle: true,
            poll_interval: Duration::from_secs(1),
            idle_timeout: Duration::from_secs(60),
            max_message_bytes: 64 << 20,
            connect_timeout: Duration::from_secs(10),
            command_timeout: Duration::from_secs(30),
            backoff_min: Duration::from_millis(100),
            backoff_max: Duration::from_secs(2),
            auth_failure_backoff: Duration::from_secs(300),
        }
    }

    pub async fn session(&self, user: &str) -> ImapSession {
        connect(&self.imap_config(user)).await.expect("IMAP login")
    }

    /// APPENDs a raw message to `user`'s folder.
    pub async fn append(&self, user: &str, folder: &str, raw: &[u8]) {
        let mut s = self.session(user).await;
        let _ = s.create(folder).await;
        s.append(folder, None, None, raw).await.expect("APPEND");
        let _ = s.logout().await;
    }

    /// Every message in `user`'s folder, parsed, in UID order.
    pub async fn messages_in(&self, user: &str, folder: &str) -> Vec<ParsedMail> {
        let mut s = self.session(user).await;
        let mailbox = match s.select(folder).await {
            Ok(m) => m,
            Err(_) => return Vec::new(),
        };
        if mailbox.exists == 0 {
            let _ = s.logout().await;
            return Vec::new();
        }
        let mut fetched: Vec<_> = s
            .uid_fetch("1:*", "(UID BODY.PEEK[])")
            .await
            .expect("FETCH")
            .try_collect::<Vec<_>>()
            .await
            .expect("FETCH responses");
        fetched.sort_by_key(|f| f.uid);
        let out = fetched
            .iter()
            .filter_map(|f| f.body())
            .map(|b| channels::email::parse(b).expect("the bot's mail parses"))
            .collect();
        let _ = s.logout().await;
        out
    }

    pub async fn inbox(&self, user: &str) -> Vec<ParsedMail> {
        self.messages_in(user, "INBOX").await
    }

    /// Waits until `user` has at least `n` messages; returns them (fails after `timeout`).
    pub async fn wait_for(&self, user: &str, n: usize, timeout: Duration) -> Vec<ParsedMail> {
        let start = Instant::now();
        loop {
            let got = self.inbox(user).await;
            if got.len() >= n {
                return got;
            }
            assert!(
                start.elapsed() < timeout,
                "{user} has {} of {n} expected messages after {timeout:?}: {:#?}",
                got.len(),
                got.iter().map(|m| &m.message.subject).collect::<Vec<_>>()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

/// A short random tag that makes a test's addresses its own.
pub fn tag() -> String {
    uuid::Uuid::new_v4().simple().to_string()[..10].to_string()
}

/// The sales mailbox of a test.
pub fn sales(tag: &str) -> String {
    format!("sales-{tag}@horme.test")
}

/// The approver of a test.
pub fn approver(tag: &str) -> String {
    format!("approver-{tag}@horme.test")
}

/// A customer address of a test.
pub fn buyer(tag: &str, n: usize) -> String {
    format!("buyer-{tag}-{n}@customer.test")
}

/// Settings with the mail channel on, pointed at the loopback servers; the test's approver
/// is `approver(tag)`.
pub fn settings(servers: &Servers, tag: &str) -> Settings {
    let mut s = super::settings();
    let m = &mut s.mail;
    m.enabled = true;
    m.from_address = sales(tag);
    m.from_name = "Horme Test Sales".into();
    m.message_id_domain = "horme.test".into();
    m.outbox_poll_interval_ms = 200;
    m.outbox_backoff_base_seconds = 1;
    m.outbox_backoff_max_seconds = 2;
    m.smtp.host = servers.host.clone();
    m.smtp.port = servers.smtp_port;
    m.smtp.security = Security::Plain;
    m.smtp.timeout_seconds = 10;
    m.imap.poll_interval_seconds = 1;
    m.imap.backoff_min_ms = 100;
    m.imap.backoff_max_seconds = 2;
    m.imap.connect_timeout_seconds = 10;
    m.mailboxes.insert(
        "sales".into(),
        MailboxSettings {
            host: servers.host.clone(),
            port: servers.imap_port,
            security: Security::Plain,
            username: sales(tag),
            password: SecretString::from(servers.password.clone()),
            password_file: None,
            folder: "INBOX".into(),
            move_to: None,
            ca_file: None,
        },
    );
    s.approval.approvers = vec![approver(tag)];
    s.workers.poll_interval_ms = 200;
    s.workers.backoff_base_seconds = 1;
    s
}

/// The bot inside the test process: workers, pollers and the outbox drainer. Stopped on drop.
pub struct Bot {
    shutdown: CancellationToken,
    tasks: JoinSet<()>,
}

impl Bot {
    /// Starts a bot with a pool of its own (as a separate process would have).
    pub async fn start(app: &App) -> Self {
        let options = (*app.pool.connect_options()).clone();
        let pool = sqlx::postgres::PgPoolOptions::new()
            .max_connections(10)
            .connect_with(options)
            .await
            .expect("bot pool");
        let app = &App::with_pool(pool, (*app.settings).clone()).await.expect("bot app");
        let shutdown = CancellationToken::new();
        let mut tasks = horme::mail::spawn(app, &shutdown).expect("mail channel starts");
        tasks.spawn(horme::jobs::worker::run_pool(app.clone(), 2, shutdown.clone()));
        Self { shutdown, tasks }
    }

    /// Stops and waits for every task (pollers log out, in-flight jobs finish).
    pub async fn stop(mut self) {
        self.shutdown.cancel();
        while self.tasks.join_next().await.is_some() {}
    }
}

impl Drop for Bot {
    fn drop(&mut self) {
        self.shutdown.cancel();
    }
}

/// Waits until the poller of the test's mailbox has synced once (its cursor exists).
pub async fn wait_until_polling(app: &App) {
    let pool = app.pool.clone();
    super::eventually(Duration::from_secs(20), || {
        let pool = pool.clone();
        async move {
            sqlx::query_scalar::<_, i64>("select count(*) from mail_mailboxes")
                .fetch_one(&pool)
                .await
                .ok()
                .filter(|n| *n > 0)
        }
    })
    .await
    .expect("the IMAP poller connects and syncs");
}

/// An RFP file as the mail a customer would send: `.eml` files as they are (with a
/// `Reply-To` to the test's customer address), other files attached to a short mail.
pub fn rfp_mail(path: &Path, reply_to: &str, message_id: &str) -> Vec<u8> {
    let name = path.file_name().and_then(|n| n.to_str()).expect("file name");
    let bytes = std::fs::read(path).expect("read fixture");
    if name.ends_with(".eml") {
        let mut out = format!("Reply-To: {reply_to}\r\n").into_bytes();
        out.extend_from_slice(&replace_message_id(&bytes, message_id));
        return out;
    }
    let media = match name.rsplit('.').next() {
        Some("pdf") => "application/pdf",
        Some("docx") => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        Some("xlsx") => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        Some("csv") => "text/csv",
        _ => "text/plain",
    };
    mail_with_attachment(
        reply_to,
        message_id,
        &format!("Request for quotation ({name})"),
        name,
        media,
        &bytes,
    )
}

/// A plain mail from `from`.
pub fn plain_mail(from: &str, message_id: &str, subject: &str, extra_headers: &str, body: &str) -> Vec<u8> {
    format!(
        "From: Test Buyer <{from}>\r\nTo: sales@horme.test\r\nSubject: {subject}\r\nMessage-ID: <{message_id}>\r\n\
         Date: Mon, 30 Nov 2026 09:00:00 +0000\r\n{extra_headers}MIME-Version: 1.0\r\n\
         Content-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n"
    )
    .into_bytes()
}

/// A reply from `from` to our mail `parent` (threaded by In-Reply-To and References).
pub fn reply_mail(from: &str, parent: &ParsedMail, message_id: &str, extra_headers: &str, body: &str) -> Vec<u8> {
    let subject = parent.message.subject.clone().unwrap_or_default();
    let subject = if subject.starts_with("Re:") {
        subject
    } else {
        format!("Re: {subject}")
    };
    let mut refs: Vec<String> = parent.references.iter().map(|r| format!("<{r}>")).collect();
    refs.push(format!("<{}>", parent.message_id));
    let headers = format!(
        "{extra_headers}In-Reply-To: <{}>\r\nReferences: {}\r\n",
        parent.message_id,
        refs.join(" ")
    );
    let quoted: String = parent.message.text.lines().map(|l| format!("> {l}\r\n")).collect();
    plain_mail(
        from,
        message_id,
        &subject,
        &headers,
        &format!("{body}\r\n\r\nOn Mon, 30 Nov 2026, Horme wrote:\r\n{quoted}"),
    )
}

/// A mail from `from` with one attachment.
pub fn mail_with_attachment(
    from: &str,
    message_id: &str,
    subject: &str,
    name: &str,
    media: &str,
    bytes: &[u8],
) -> Vec<u8> {
    let mut out = format!(
        "From: Test Buyer <{from}>\r\nTo: sales@horme.test\r\nSubject: {subject}\r\nMessage-ID: <{message_id}>\r\n\
         Date: Mon, 30 Nov 2026 09:00:00 +0000\r\nMIME-Version: 1.0\r\n\
         Content-Type: multipart/mixed; boundary=\"XYZ\"\r\n\r\n--XYZ\r\n\
         Content-Type: text/plain; charset=utf-8\r\n\r\nDear sales team,\r\n\r\nplease quote the attached.\r\n\r\n\
         Regards,\r\nTest Buyer\r\n--XYZ\r\nContent-Type: {media}; name=\"{name}\"\r\n\
         Content-Disposition: attachment; filename=\"{name}\"\r\nContent-Transfer-Encoding: base64\r\n\r\n"
    )
    .into_bytes();
    for chunk in base64::engine::general_purpose::STANDARD
        .encode(bytes)
        .as_bytes()
        .chunks(76)
    {
        out.extend_from_slice(chunk);
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(b"--XYZ--\r\n");
    out
}

fn replace_message_id(raw: &[u8], message_id: &str) -> Vec<u8> {
    let text = String::from_utf8_lossy(raw);
    let mut out = String::with_capacity(text.len() + 64);
    let mut replaced = false;
    for line in text.split_inclusive('\n') {
        if !replaced && line.to_ascii_lowercase().starts_with("message-id:") {
            out.push_str(&format!("Message-ID: <{message_id}>\r\n"));
            replaced = true;
        } else {
            out.push_str(line);
        }
    }
    if !replaced {
        out = format!("Message-ID: <{message_id}>\r\n{out}");
    }
    out.into_bytes()
}

/// The quotation number a reply of ours refers to (the token in its Message-ID).
pub fn quotation_number(reply: &ParsedMail) -> Option<String> {
    match horme::mail::threading::token_of(&reply.message_id, "horme.test")? {
        horme::mail::threading::Token::Quotation(n) => Some(n),
        horme::mail::threading::Token::Request(_) => None,
    }
}

/// The kind of one of our replies (`ack`, `quotation` …), from its Message-ID.
pub fn reply_kind(reply: &ParsedMail) -> String {
    reply.message_id.split('.').nth(1).unwrap_or("").to_string()
}

/// Waits until the request of the mail `message_id` has a quotation waiting for approval,
/// and approves it as the test's approver (the conversation by mail has its own test).
pub async fn approve_when_pending(app: &App, message_id: &str, tag: &str) -> String {
    let pool = app.pool.clone();
    let number = super::eventually(Duration::from_secs(120), || {
        let pool = pool.clone();
        let id = message_id.to_string();
        async move {
            sqlx::query_scalar::<_, String>(
                "select q.number from quotations q join rfps r on r.id = q.rfp_id
                 join inbound_messages m on m.id = r.inbound_message_id
                 where m.external_id = $1 and q.status = 'pending_approval'",
            )
            .bind(id)
            .fetch_optional(&pool)
            .await
            .ok()
            .flatten()
        }
    })
    .await
    .unwrap_or_else(|| panic!("no quotation waits for approval for {message_id}"));
    let approver = horme::quotations::Actor::person(&approver(tag));
    horme::quotations::lifecycle::approve(app, &number, &approver, "test", &Default::default())
        .await
        .unwrap_or_else(|e| panic!("approving {number}: {e}"));
    number
}

/// Waits until the poller has finished every message up to `uid` and the outbox is empty:
/// nothing more is on its way.
pub async fn wait_quiet(app: &App, uid: i64) {
    let pool = app.pool.clone();
    let done = super::eventually(Duration::from_secs(60), || {
        let pool = pool.clone();
        async move {
            let last: i64 = sqlx::query_scalar("select coalesce(max(last_uid), 0) from mail_mailboxes")
                .fetch_one(&pool)
                .await
                .ok()?;
            let busy: i64 = sqlx::query_scalar(
                "select (select count(*) from outbox where status in ('pending', 'sending'))
                      + (select count(*) from jobs where status in ('queued', 'running'))",
            )
            .fetch_one(&pool)
            .await
            .ok()?;
            (last >= uid && busy == 0).then_some(())
        }
    })
    .await;
    assert!(
        done.is_some(),
        "the bot did not settle (mail up to UID {uid}, empty outbox and queue)"
    );
    // what was sent last is delivered by the relay within moments
    tokio::time::sleep(Duration::from_millis(300)).await;
}
