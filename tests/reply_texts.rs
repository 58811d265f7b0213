//! The reply texts reviewed as a set: every template under `templates/replies/` (and a
//! locale's under `templates/locales/<locale>/replies/`), taken from the set built into the
//! binary, rendered by its own channel's render function (mail: subject line split off;
//! Slack: values escaped for mrkdwn) with the variables that channel's code passes, and
//! snapshotted with reference numbers, quotation numbers and dates redacted.
//!
//! A new template without a snapshot fails here (insta writes `.snap.new` for review:
//! `cargo insta review`, or `INSTA_UPDATE=always`), and so does a template that uses a
//! placeholder its channel does not fill, and a snapshot whose template is gone.

use std::sync::OnceLock;

use horme::config::Settings;
use horme::pipeline::sources::{DocumentOutcome, DocumentStatus, skipped_lines};
use horme::startup::App;
use regex::Regex;

type Vars = Vec<(&'static str, String)>;

/// One request, as the channels see it. Reference, number and dates differ on every run,
/// like in production: the snapshots show them redacted.
struct Sample {
    reference: String,
    number: String,
    valid_until: String,
    company: String,
}

impl Sample {
    fn new(company: &str) -> Self {
        let valid = chrono::Local::now().date_naive() + chrono::Days::new(30);
        Self {
            reference: horme::mail::replies::reference(uuid::Uuid::now_v7()),
            number: format!(
                "Q-{}-{:06}",
                chrono::Local::now().format("%Y"),
                rand::random_range(1..999_999)
            ),
            valid_until: valid.format("%-d %B %Y").to_string(),
            company: company.to_string(),
        }
    }

    /// `mail::replies::customer_vars`: the customer's name (or "customer"), the reference, us,
    /// the subject and sender of their mail.
    fn customer(&self) -> Vars {
        vec![
            ("name", "Marcus Tan".into()),
            ("reference", self.reference.clone()),
            ("company", self.company.clone()),
            ("subject", "RFQ-2027/118 safety supplies for MV Orient Star".into()),
            ("sender", "marcus.tan@acme-marine.com.sg".into()),
        ]
    }

    /// `mail::notify::approvals_vars`: the quotation.
    fn quotation(&self) -> Vars {
        let skipped = skipped_lines(&[
            DocumentOutcome {
                name: "rfq-118.xlsx".into(),
                status: DocumentStatus::Read,
                reason: None,
            },
            DocumentOutcome {
                name: "drawing-rev-b.pdf".into(),
                status: DocumentStatus::Skipped,
                reason: Some("the PDF is password-protected (encrypted); please send it without a password".into()),
            },
        ]);
        vec![
            ("number", self.number.clone()),
            ("currency", "SGD".into()),
            ("total", "1,234.50".into()),
            ("tax_label", "GST".into()),
            ("valid_until", self.valid_until.clone()),
            (
                "summary",
                "12 items: 10 priced, 1 to be confirmed by our team, 1 not in our range.".into(),
            ),
            ("skipped", skipped),
            ("customer", "Acme Marine & Offshore Pte Ltd".into()),
        ]
    }

    /// The failure notices' extra placeholders (`mail::jobs::rfp_failed`).
    fn failure(&self) -> Vars {
        vec![
            (
                "details",
                "  - scan-0042.pdf: scanned document without a text layer\n  - photo.heic: unsupported file type"
                    .into(),
            ),
            ("limit", horme::mail::receive::megabytes(25 * 1024 * 1024)),
        ]
    }

    /// What a chat channel's `notify::vars` passes, with the requester as that channel names them.
    fn chat_quotation(&self, name: &str, sender: &str) -> Vars {
        let q = self.quotation();
        let keep = |k: &str| {
            q.iter()
                .find(|(n, _)| *n == k)
                .map(|(_, v)| v.clone())
                .unwrap_or_default()
        };
        vec![
            ("name", name.into()),
            ("sender", sender.into()),
            ("number", self.number.clone()),
            ("reference", self.reference.clone()),
            ("currency", keep("currency")),
            ("total", keep("total")),
            ("tax_label", keep("tax_label")),
            ("valid_until", self.valid_until.clone()),
            ("summary", keep("summary")),
            ("customer", keep("customer")),
            ("company", self.company.clone()),
        ]
    }
}

fn join(parts: &[Vars]) -> Vars {
    parts.concat()
}

/// How one chat channel names people: the requester, their identity, an approver.
struct ChatPeople {
    name: &'static str,
    sender: &'static str,
    actor: &'static str,
}

/// The cases of one template: a label and the variables its code passes in that case.
fn cases(flavour: &str, stem: &str, s: &Sample) -> Vec<(&'static str, Vars)> {
    let company = || ("company", s.company.clone());
    if flavour == "mail" {
        let approver = "lena.koh@straits-industrial.example";
        return match stem {
            "ack" => vec![("", s.customer())],
            "too_large" | "no_items" | "unreadable" | "processing_failed" => {
                vec![("", join(&[s.customer(), s.failure()]))]
            }
            "quotation" | "approval_request" | "accepted_sales" => vec![("", join(&[s.customer(), s.quotation()]))],
            "accepted_customer" => vec![("", join(&[s.customer(), vec![("number", s.number.clone())]]))],
            "decision" => vec![
                (
                    "approved by an approver",
                    vec![
                        ("number", s.number.clone()),
                        ("decision", "approved".into()),
                        ("actor", approver.into()),
                        ("detail", "It goes to the customer now.".into()),
                    ],
                ),
                (
                    "declined by the customer",
                    vec![
                        ("number", s.number.clone()),
                        ("decision", "rejected by the customer".into()),
                        ("actor", "marcus.tan@acme-marine.com.sg".into()),
                        ("detail", "Reason: we ordered elsewhere".into()),
                    ],
                ),
            ],
            "not_an_approver" => vec![(
                "",
                vec![("name", "Marcus Tan".into()), ("number", s.number.clone()), company()],
            )],
            // an approver's command that names no quotation: no number
            "unknown_quotation" => vec![(
                "",
                vec![("name", "Lena Koh".into()), ("number", String::new()), company()],
            )],
            "delivery_failed" => vec![(
                "",
                vec![
                    ("recipient", "marcus.tan@acme-marine.com.sg".into()),
                    ("kind", "quotation".into()),
                    (
                        "error",
                        "550 5.1.1 <marcus.tan@acme-marine.com.sg>: Recipient address rejected: User unknown".into(),
                    ),
                    ("reference", s.reference.clone()),
                ],
            )],
            other => panic!("mail template {other}: add the variables its code passes to tests/reply_texts.rs"),
        };
    }
    let people = match flavour {
        "telegram" => ChatPeople {
            name: "Marcus",
            sender: "telegram:123456789",
            actor: "telegram:987654321",
        },
        // Slack events carry no names: the code passes mentions
        "slack" => ChatPeople {
            name: "<@U0123ABCDEF>",
            sender: "<@U0123ABCDEF>",
            actor: "<@U0987ZYXWVU>",
        },
        "discord" => ChatPeople {
            name: "Marcus",
            sender: "discord:123456789012345678",
            actor: "discord:987654321098765432",
        },
        other => panic!("replies/{other}/: a channel this test does not know; add how it renders"),
    };
    let simple = |extra: Vars| join(&[vec![("name", people.name.to_string()), company()], extra]);
    let notified = || s.chat_quotation(people.name, people.sender);
    match stem {
        "ack" => vec![("", simple(vec![("reference", s.reference.clone())]))],
        "refused" | "help" | "status_usage" => vec![("", simple(vec![]))],
        "too_large" => vec![(
            "",
            simple(vec![
                ("filename", "rfq-118-with-drawings.pdf".into()),
                ("limit", "20 MB".into()),
            ]),
        )],
        "status" => vec![(
            "",
            simple(vec![
                ("number", s.number.clone()),
                ("status", "pending approval".into()),
                ("currency", "SGD".into()),
                ("total", "1,234.50".into()),
                ("valid_until", s.valid_until.clone()),
            ]),
        )],
        "status_unknown" => vec![("", simple(vec![("number", s.number.clone())]))],
        // the Change button's answer to the approver (`pending_edits::prompt_vars`)
        "change_prompt" => vec![("", horme::quotations::pending_edits::prompt_vars(&s.number))],
        "change_done" => vec![(
            "",
            simple(vec![
                ("number", s.number.clone()),
                ("revision", format!("{}-R2", s.number)),
            ]),
        )],
        "change_refused" => vec![(
            "",
            simple(vec![
                ("number", s.number.clone()),
                (
                    "reason",
                    "\"make it cheaper\" is not a change I can read: write for example \"line 2 qty 50\", \"line 3 sku 0400000002\" or \"discount 5%\"".into(),
                ),
            ]),
        )],
        "approval_request" | "quotation" => vec![("", notified())],
        // a request that failed (`notify::on_rfp_failed`): the fewest placeholders
        "no_items" | "processing_failed" => vec![(
            "",
            vec![
                ("name", people.name.to_string()),
                ("reference", s.reference.clone()),
                company(),
            ],
        )],
        "decision" => vec![(
            "",
            join(&[
                notified(),
                vec![("decision", "approved".into()), ("actor", people.actor.to_string())],
            ]),
        )],
        other => panic!("{flavour} template {other}: add the variables its code passes to tests/reply_texts.rs"),
    }
}

/// Reference numbers, quotation numbers and dates, which differ on every run.
fn redact(text: &str) -> String {
    static FILTERS: OnceLock<Vec<(Regex, &'static str)>> = OnceLock::new();
    let filters = FILTERS.get_or_init(|| {
        [
            (r"RFP-[0-9A-F]{8}", "[reference]"),
            (r"Q-\d{4}-\d{6}(-R\d+)?", "[quotation number]"),
            (
                r"\b\d{1,2} (January|February|March|April|May|June|July|August|September|October|November|December) \d{4}\b",
                "[date]",
            ),
        ]
        .into_iter()
        .map(|(re, to)| (Regex::new(re).expect("filter"), to))
        .collect()
    });
    filters
        .iter()
        .fold(text.to_string(), |t, (re, to)| re.replace_all(&t, *to).into_owned())
}

/// A template of the built-in set: its locale (None: English), channel flavour and file.
struct Template {
    path: &'static str,
    locale: Option<String>,
    flavour: String,
    file: String,
}

impl Template {
    fn stem(&self) -> &str {
        self.file.rsplit_once('.').map_or(self.file.as_str(), |(s, _)| s)
    }

    fn snapshot_name(&self) -> String {
        let locale = self.locale.as_deref().map(|l| format!("{l}__")).unwrap_or_default();
        format!("{locale}{}__{}", self.flavour, self.stem())
    }
}

/// Every reply template built into the binary.
fn reply_templates() -> Vec<Template> {
    horme::templates::BUILT_IN
        .iter()
        .filter_map(|(path, _)| {
            let (locale, rest) = match path.strip_prefix("locales/") {
                Some(rest) => {
                    let (l, rest) = rest.split_once('/')?;
                    (Some(l.to_string()), rest)
                }
                None => (None, *path),
            };
            let rest = rest.strip_prefix("replies/")?;
            let (flavour, file) = match rest.split_once('/') {
                Some((channel, file)) => (channel.to_string(), file.to_string()),
                None => ("mail".to_string(), rest.to_string()),
            };
            Some(Template {
                path,
                locale,
                flavour,
                file,
            })
        })
        .collect()
}

fn settings(locale: Option<&str>) -> Settings {
    let mut s = Settings::builtin().expect("built-in settings");
    s.company.name = "Straits Industrial Supplies Pte Ltd".into();
    s.company.locale = locale.unwrap_or("en").to_string();
    s
}

/// The texts need no database: the application context gets a pool that never connects.
async fn app(settings: Settings) -> App {
    let pool = sqlx::postgres::PgPoolOptions::new()
        .connect_lazy("postgres://127.0.0.1:9/unused")
        .expect("lazy pool");
    App::with_pool(pool, settings).await.expect("app")
}

/// The text as its channel sends it: for mail the subject line it starts a thread with.
fn render(app: &App, t: &Template, vars: &Vars) -> String {
    match t.flavour.as_str() {
        "mail" => {
            let (subject, body) = horme::mail::replies::render(app, &t.file, vars);
            let subject = subject.map_or("(none: a reply keeps \"Re: <original subject>\")".into(), |s| s);
            format!("Subject: {subject}\n\n{body}")
        }
        "telegram" => horme::telegram::replies::render(app, &t.file, vars),
        "slack" => horme::slack::replies::render(app, &t.file, vars),
        "discord" => horme::discord::replies::render(app, &t.file, vars),
        other => panic!("replies/{other}/: a channel this test does not know; add how it renders"),
    }
}

#[tokio::test]
async fn every_reply_text_reads_well() {
    let sample = Sample::new("Straits Industrial Supplies Pte Ltd");
    let placeholder = Regex::new(r"\{[a-z_]+\}").expect("regex");
    let templates = reply_templates();
    assert!(
        templates.len() >= 40,
        "the built-in set is enumerated: {}",
        templates.len()
    );
    for t in &templates {
        let app = app(settings(t.locale.as_deref())).await;
        let mut text = String::new();
        for (label, vars) in cases(&t.flavour, t.stem(), &sample) {
            let rendered = render(&app, t, &vars);
            if let Some(left) = placeholder.find(&rendered) {
                panic!(
                    "{}: {} is not filled: its channel's code does not pass it\n{rendered}",
                    t.path,
                    left.as_str()
                );
            }
            assert!(!rendered.trim().is_empty(), "{} renders empty", t.path);
            if !label.is_empty() {
                text.push_str(&format!("--- {label}\n"));
            }
            text.push_str(&rendered);
            text.push('\n');
        }
        insta::with_settings!({
            description => format!("templates/{} ({})", t.path, t.flavour),
            omit_expression => true,
        }, {
            insta::assert_snapshot!(t.snapshot_name(), redact(&text));
        });
    }
}

#[test]
fn every_snapshot_has_its_template() {
    let names: Vec<String> = reply_templates().iter().map(Template::snapshot_name).collect();
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots");
    for entry in std::fs::read_dir(&dir).expect("tests/snapshots") {
        let file = entry.expect("entry").file_name().to_string_lossy().into_owned();
        if let Some(name) = file.strip_prefix("reply_texts__").and_then(|f| f.strip_suffix(".snap")) {
            assert!(
                names.iter().any(|n| n == name),
                "tests/snapshots/{file} has no template any more: delete it"
            );
        }
    }
}

#[test]
fn redaction_hides_what_changes_between_runs() {
    let s = Sample::new("X");
    let text = format!("{} {} {} {}-R2", s.reference, s.number, s.valid_until, s.number);
    assert_eq!(
        redact(&text),
        "[reference] [quotation number] [date] [quotation number]"
    );
}
