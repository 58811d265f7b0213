//! Forwarded mail: the messages someone passed on, found inline in a body or attached whole.
//!
//! An inline forward starts with a separator line — Gmail's "---------- Forwarded message
//! ---------", Outlook's "-----Original Message-----", Apple Mail's "Begin forwarded message:",
//! Thunderbird's "-------- Forwarded Message --------" and their translations — followed by a
//! header block, or directly with a header block such as Outlook's "From: … Sent: … To: …
//! Subject: …" (labels in English, German, French, Italian, Spanish, Portuguese, Dutch,
//! Scandinavian, Malay and Indonesian). The header block names the original sender and
//! subject; what follows it is the original text, itself searched for a further forward.
//! A `message/rfc822` attachment is a forward with real headers (see `mime`).
//!
//! Whether a forward changes who the request is from depends on who forwarded it, which only
//! the application knows: this module only describes the chain.

use crate::{Attachment, Sender};

/// One forwarded message, as far as it can be read.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Forwarded {
    /// The original sender; `None` when the header block names no mail address.
    pub sender: Option<Sender>,
    pub subject: Option<String>,
    /// Known only for an attached message.
    pub message_id: Option<String>,
    /// The original text (for an inline forward: everything below its header block).
    pub text: String,
    /// The original HTML, from where the forward starts in the forwarder's HTML.
    pub html: Option<String>,
    /// The original's files: for an inline forward, the attachments of the mail that carries it.
    pub attachments: Vec<Attachment>,
}

/// Separator lines (lowercase, without their dashes, underscores and colon).
const SEPARATORS: &[&str] = &[
    "forwarded message",
    "original message",
    "begin forwarded message",
    "weitergeleitete nachricht",
    "anfang der weitergeleiteten nachricht",
    "ursprüngliche nachricht",
    "message transféré",
    "début du message réexpédié",
    "message d'origine",
    "messaggio inoltrato",
    "messaggio originale",
    "inizio messaggio inoltrato",
    "mensaje reenviado",
    "mensaje original",
    "mensagem encaminhada",
    "mensagem original",
    "doorgestuurd bericht",
    "oorspronkelijk bericht",
    "vidarebefordrat meddelande",
    "videresendt melding",
    "pesan yang diteruskan",
    "pesan asli",
    "mesej dimajukan",
    "mesej asal",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Label {
    From,
    Date,
    To,
    Subject,
}

/// Header labels of forwarded header blocks, by language.
fn label(name: &str) -> Option<Label> {
    Some(match name {
        "from" | "von" | "de" | "da" | "dari" | "daripada" | "van" | "från" | "fra" | "od" => Label::From,
        "date" | "sent" | "gesendet" | "datum" | "envoyé" | "date d'envoi" | "inviato" | "data" | "enviado"
        | "fecha" | "dikirim" | "tanggal" | "tarikh" | "verzonden" | "skickat" | "sendt" | "sent at" => Label::Date,
        "to" | "cc" | "an" | "à" | "a" | "para" | "kepada" | "aan" | "till" | "til" | "kopie" | "cci" => Label::To,
        "subject" | "betreff" | "objet" | "oggetto" | "asunto" | "assunto" | "perihal" | "subjek" | "onderwerp"
        | "ämne" | "emne" | "tajuk" => Label::Subject,
        _ => return None,
    })
}

/// The chain of inline forwards in `text`, outermost first; each layer's HTML is cut from
/// `html` where that forward starts, and carries `attachments`.
pub fn inline(text: &str, html: Option<&str>, attachments: &[Attachment]) -> Vec<Forwarded> {
    let mut out = Vec::new();
    let mut rest = text.to_string();
    let mut html_at = 0;
    // a handful of levels is every real chain; the bound keeps hostile input cheap
    for _ in 0..8 {
        let Some(found) = split(&rest) else { break };
        let (html_part, next_at) = match html.map(|h| cut_html(h, html_at, &found)) {
            Some(Some((part, at))) => (Some(part), at),
            Some(None) => (html.map(|h| h[html_at..].to_string()), html_at),
            None => (None, html_at),
        };
        html_at = next_at;
        rest = found.body.clone();
        out.push(Forwarded {
            sender: found.sender,
            subject: found.subject,
            message_id: None,
            text: found.body,
            html: html_part,
            attachments: attachments.to_vec(),
        });
    }
    out
}

/// The text above the first message quoted or forwarded inline ("-----Original Message-----",
/// "From: … Sent: …" header blocks, a reply's attribution line "On Mon, 10 Mar 2025, Jasmine
/// <…> wrote:" or a run of `>`-quoted lines), or None when the text quotes none.
pub fn newest_part(text: &str) -> Option<String> {
    let lines: Vec<&str> = text.lines().collect();
    let at = [split(text).map(|f| f.at_line), attribution(&lines), quoted_run(&lines)]
        .into_iter()
        .flatten()
        .min()?;
    Some(lines[..at].join("\n"))
}

/// The HTML above the first message quoted or forwarded in it: cut where a mail client
/// starts the history (Gmail's `gmail_quote`, Outlook's `divRplyFwdMsg` or the rule above its
/// "From: … Sent: …" block, a quote's `<blockquote type="cite">`, "-----Original Message-----", a "From:" label
/// followed by "Sent:", or by "Date:" and "Subject:"), or None when the HTML shows none of them.
pub fn newest_html(html: &str) -> Option<&str> {
    let lower = html.to_ascii_lowercase();
    // the start of the tag a marker sits in
    let tag_start = |at: usize| lower[..at].rfind('<').unwrap_or(at);
    let in_tag = |at: usize| lower[..at].rfind('<') > lower[..at].rfind('>');
    let mut cuts: Vec<usize> = Vec::new();
    for marker in [
        "gmail_quote",
        "divrplyfwdmsg",
        "border-top:solid #e1e1e1",
        "border-top:solid #b5c4df",
    ] {
        if let Some(at) = lower.find(marker).filter(|at| in_tag(*at)) {
            cuts.push(tag_start(at));
        }
    }
    // a quote's blockquote (Apple Mail's and Thunderbird's `type="cite"`), not one that
    // only indents
    cuts.extend(
        lower
            .match_indices("<blockquote")
            .map(|(at, _)| at)
            .find(|at| lower[*at..].split('>').next().is_some_and(|tag| tag.contains("cite"))),
    );
    cuts.extend(lower.find("-----original message-----"));
    // a header block as text: "From:" then "Sent:", or "Date:" and "Subject:", soon after (as
    // `split` asks of a block without a separator; a form's "From: … Date: …" is no history)
    let mut from = 0;
    while let Some(i) = lower[from..].find("from:") {
        let at = from + i;
        // (a window's end on a character boundary: the mail's text need not be ASCII)
        let mut end = lower.len().min(at + 600);
        while !lower.is_char_boundary(end) {
            end -= 1;
        }
        let window = &lower[at..end];
        if window.contains("sent:") || (window.contains("date:") && window.contains("subject:")) {
            cuts.push(tag_start(at));
            break;
        }
        from = at + 5;
    }
    let cut = cuts.into_iter().min()?;
    Some(&html[..cut])
}

/// The line where a reply's attribution starts ("On …, Name <a@b> wrote:", possibly wrapped
/// onto a second line; "Am … schrieb …:", "Le … a écrit :"), when quoted text follows it.
fn attribution(lines: &[&str]) -> Option<usize> {
    let opens = |l: &str| {
        let l = l.trim().to_lowercase();
        ["on ", "am ", "le ", "el ", "op ", "il ", "pada "]
            .iter()
            .any(|w| l.starts_with(w))
    };
    let closes = |l: &str| {
        let l = l.trim().to_lowercase();
        [
            "wrote:",
            "schrieb:",
            "a écrit :",
            "a écrit:",
            "escribió:",
            "schreef:",
            "ha scritto:",
            "menulis:",
        ]
        .iter()
        .any(|w| l.ends_with(w))
    };
    (0..lines.len()).find(|&i| {
        let wrapped_end = if closes(lines[i]) {
            Some(i)
        } else {
            (i + 1 < lines.len() && closes(lines[i + 1]) && !lines[i + 1].trim_start().starts_with('>'))
                .then_some(i + 1)
        };
        opens(lines[i])
            && !lines[i].trim_start().starts_with('>')
            && wrapped_end.is_some_and(|end| {
                lines[end + 1..]
                    .iter()
                    .find(|l| !l.trim().is_empty())
                    .is_some_and(|l| l.trim_start().starts_with('>'))
            })
    })
}

/// The first of three or more lines in a row quoted with `>` (blank lines between them
/// allowed): an earlier mail quoted below the reply.
fn quoted_run(lines: &[&str]) -> Option<usize> {
    let quoted = |l: &str| l.trim_start().starts_with('>');
    (0..lines.len()).find(|&i| {
        quoted(lines[i])
            && lines[i..]
                .iter()
                .take_while(|l| quoted(l) || l.trim().is_empty())
                .filter(|l| quoted(l))
                .count()
                >= 3
    })
}

/// One inline forward: the header it names and the text below it.
struct Split {
    /// The line where the forwarded or quoted message starts (its separator or header).
    at_line: usize,
    sender: Option<Sender>,
    subject: Option<String>,
    /// The separator phrase or the sender's address, to find the forward in HTML.
    anchor: String,
    body: String,
}

fn split(text: &str) -> Option<Split> {
    let lines: Vec<&str> = text.lines().collect();
    for (i, raw) in lines.iter().enumerate() {
        let line = clean(raw);
        let lower = line.to_lowercase();
        let core = lower.trim_matches(|c: char| c == '-' || c == '_' || c == ':' || c == '*' || c.is_whitespace());
        let separator = SEPARATORS.contains(&core)
            && (lower.starts_with('-') || lower.starts_with("begin") || lower.ends_with(':') || lower.contains("---"));
        let start = if separator {
            // Apple Mail leaves a blank line between the separator and the headers
            (i + 1..lines.len().min(i + 4)).find(|&j| !clean(lines[j]).is_empty())
        } else if header(&line).is_some_and(|(l, _)| l == Label::From) {
            Some(i)
        } else {
            None
        };
        let Some(start) = start else { continue };
        let Some(block) = header_block(&lines, start) else {
            continue;
        };
        // without a separator only a full header block counts (From, Subject, Date or To)
        let full_block = block.subject.is_some() && block.dated;
        if !(separator || full_block) {
            continue;
        }
        let Some(from) = block.from else { continue };
        let sender = address_in(&from).map(|address| Sender {
            display_name: display_name(&from, &address),
            address: address.to_ascii_lowercase(),
        });
        let anchor = if separator {
            core.to_string()
        } else {
            sender.as_ref().map(|s| s.address.clone()).unwrap_or_default()
        };
        return Some(Split {
            at_line: i,
            sender,
            subject: block.subject,
            anchor,
            body: unquote(&lines[block.end..]),
        });
    }
    None
}

struct Block {
    from: Option<String>,
    subject: Option<String>,
    /// A Date/Sent or To line was seen.
    dated: bool,
    /// The first line of the body.
    end: usize,
}

/// The header block starting at `start`: labelled lines up to a blank or unlabelled line.
fn header_block(lines: &[&str], start: usize) -> Option<Block> {
    let mut b = Block {
        from: None,
        subject: None,
        dated: false,
        end: lines.len(),
    };
    let mut seen = 0;
    for (k, raw) in lines.iter().enumerate().skip(start) {
        let line = clean(raw);
        match header(&line) {
            Some((Label::From, v)) if b.from.is_none() => b.from = Some(v),
            Some((Label::Subject, v)) if b.subject.is_none() => b.subject = Some(v).filter(|s| !s.is_empty()),
            Some((Label::Date | Label::To, _)) => b.dated = true,
            Some(_) => {}
            None => {
                b.end = if line.is_empty() { k + 1 } else { k };
                break;
            }
        }
        seen += 1;
    }
    (seen > 0 && b.from.is_some()).then_some(b)
}

/// "From: Jane Tan <jane@acme.example>" → (From, "Jane Tan <jane@acme.example>").
fn header(line: &str) -> Option<(Label, String)> {
    let (name, value) = line.split_once(':')?;
    let name = name.trim().trim_matches('*').trim().to_lowercase();
    if name.len() > 16 {
        return None;
    }
    Some((label(&name)?, value.trim().trim_matches('*').trim().to_string()))
}

/// A line without quoting marks and the bold markers of HTML rendered as text.
fn clean(line: &str) -> String {
    line.trim_start_matches(|c: char| c == '>' || c.is_whitespace())
        .trim()
        .to_string()
}

/// The body lines, with one level of `>` quoting removed when every line carries it.
fn unquote(lines: &[&str]) -> String {
    let quoted = lines
        .iter()
        .filter(|l| !l.trim().is_empty())
        .all(|l| l.trim_start().starts_with('>'));
    let body: Vec<&str> = if quoted {
        lines
            .iter()
            .map(|l| {
                let t = l.trim_start().trim_start_matches('>');
                t.strip_prefix(' ').unwrap_or(t)
            })
            .collect()
    } else {
        lines.to_vec()
    };
    body.join("\n").trim_matches('\n').to_string()
}

/// The first mail address in `s`.
pub(crate) fn address_in(s: &str) -> Option<String> {
    let local = |c: char| c.is_ascii_alphanumeric() || "._%+-".contains(c);
    let domain = |c: char| c.is_ascii_alphanumeric() || ".-".contains(c);
    for (at, _) in s.match_indices('@') {
        let start = s[..at].rfind(|c: char| !local(c)).map_or(0, |i| i + 1);
        let end = s[at + 1..].find(|c: char| !domain(c)).map_or(s.len(), |i| at + 1 + i);
        let (l, d) = (&s[start..at], s[at + 1..end].trim_end_matches('.'));
        if !l.is_empty() && d.contains('.') && !d.starts_with('.') {
            return Some(format!("{l}@{d}"));
        }
    }
    None
}

/// "Jane Tan <jane@…>", "\"Tan, Jane\" [mailto:jane@…]" → the name; none when only the
/// address is given.
fn display_name(from: &str, address: &str) -> Option<String> {
    let cut = from.find(['<', '[', '(']).unwrap_or(from.len());
    let name = from[..cut].replace(address, "");
    let name = name.trim().trim_matches(['"', '\'', ',']).trim();
    (!name.is_empty() && !name.contains('@')).then(|| name.to_string())
}

/// The part of `html` (from byte `from` on) after this forward's separator or sender, and
/// where it starts; after the subject when the header block shows it.
fn cut_html(html: &str, from: usize, split: &Split) -> Option<(String, usize)> {
    if split.anchor.is_empty() {
        return None;
    }
    let lower = html.to_lowercase();
    // lowercasing can change byte lengths outside ASCII: only cut where both agree
    if lower.len() != html.len() {
        return None;
    }
    let at = from + lower.get(from..)?.find(&split.anchor)?;
    let mut cut = at + split.anchor.len();
    if let Some(subject) = &split.subject {
        let window = &lower[cut..lower.len().min(cut + 4000)];
        if let Some(i) = window.find(&subject.to_lowercase()) {
            cut += i + subject.len();
        }
    }
    // continue after the tag the cut fell into, if any
    if let Some(close) = lower[cut..].find('>')
        && lower[cut..cut + close].find('<').is_none()
        && lower[cut..cut + close].contains('"')
    {
        cut += close + 1;
    }
    Some((html[cut..].to_string(), cut))
}

#[cfg(test)]
mod tests;
