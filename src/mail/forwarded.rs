//! A request a colleague forwarded is the original sender's.
//!
//! When one of our staff (`mail::staff`) forwards a customer's mail to the sales mailbox —
//! inline or attached, possibly through other colleagues first — the request becomes the
//! customer's: sender (address and name), subject and thread are the original message's, so
//! every reply (acknowledgement, quotation, notices) goes to the original sender; the text read
//! for items and the customer block is the forwarded text, without the colleague's own note
//! above it; the colleague is kept as `forwarded_by`. Mail forwarded by anyone else stays the
//! forwarder's: a customer forwarding their colleague's request is still our customer.
//!
//! Which layer of a chain is the customer: forwards by staff are peeled off (the first layer
//! not sent by staff is the request as the customer sent it, and its text is what is read);
//! the customer is the innermost sender of that request who is not staff (a customer's
//! colleague who wrote the request they passed on). A layer whose header names no mail
//! address cannot be answered and is not taken as the customer.

use channels::email::{Forwarded, ParsedMail};
use channels::{InboundMessage, ThreadRef};

use super::staff::Staff;

/// The message as the pipeline should read it: `parsed` itself, or the customer's original
/// when a colleague forwarded it.
pub fn attribute(parsed: &ParsedMail, staff: &Staff) -> InboundMessage {
    let mut msg = parsed.message.clone();
    if !staff.contains(&msg.sender.address) {
        return newest_request(msg);
    }
    let customer_layer = |l: &Forwarded| l.sender.as_ref().is_some_and(|s| !staff.contains(&s.address));
    let chain = &parsed.forwarded;
    let Some(first) = chain.iter().position(customer_layer) else {
        return msg;
    };
    let read = &chain[first];
    let original = chain[first..].iter().rev().find(|l| customer_layer(l)).unwrap_or(read);
    let Some(sender) = original.sender.clone() else {
        return msg;
    };
    let subject = original.subject.clone().or_else(|| msg.subject.clone());
    if matches!(msg.thread, ThreadRef::Email { .. }) {
        msg.thread = ThreadRef::Email {
            message_id: original.message_id.clone().unwrap_or_default(),
            references: Vec::new(),
            subject: subject.clone().unwrap_or_default(),
            reply_to: sender.address.clone(),
        };
    }
    tracing::info!(forwarded_by = %msg.sender.address, customer = %sender.address, "request forwarded by staff");
    msg.forwarded_by = Some(std::mem::replace(&mut msg.sender, sender));
    msg.subject = subject;
    msg.text = read.text.clone();
    msg.html = read.html.clone();
    msg.attachments = read.attachments.clone();
    msg
}

/// A customer's reply above a quoted earlier mail: when the reply itself asks for items, it is
/// the request, and the history below it (an earlier request, our quotation) is not read
/// again. A reply that asks for nothing itself ("see below", a forward) is read whole.
fn newest_request(mut msg: InboundMessage) -> InboundMessage {
    let top = channels::email::forward::newest_part(&msg.text);
    // The HTML holds the history too: only what stands above it (lists and tables keep their
    // structure there, which a text rendered from HTML loses; Gmail's quote is found there when
    // the rendered text shows no quoting marks), or none when the history cannot be found in it.
    let top_html = msg
        .html
        .as_deref()
        .and_then(channels::email::forward::newest_html)
        .map(str::to_string);
    let html_text = top_html.as_deref().map(|h| {
        use crate::pipeline::text::Block;
        let mut lines: Vec<String> = Vec::new();
        for b in crate::pipeline::text::html_to_blocks(h) {
            match b {
                Block::Line { text } | Block::ListItem { text } => lines.push(text),
                Block::Table { rows } => lines.extend(rows.iter().map(|r| r.join("  "))),
            }
        }
        lines.join("\n")
    });
    let asks = |t: &Option<String>| t.as_deref().is_some_and(crate::pipeline::requirements::lists_items);
    if !(asks(&top) || asks(&html_text)) {
        return msg;
    }
    let reply = top.as_deref().or(html_text.as_deref()).unwrap_or_default();
    if refers_below(reply) && !dismisses_below(reply) {
        return msg;
    }
    tracing::info!("reply above quoted mail: reading the reply only");
    msg.text = top.or(html_text).unwrap_or_default();
    msg.html = top_html;
    msg
}

/// Whether a reply sets the mail below aside ("please ignore my earlier list below", "last
/// month's list (in the mail below) was already delivered, pls don't repeat", "the revised list
/// instead").
fn dismisses_below(reply: &str) -> bool {
    static ASIDE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(
            r"(?ix)\b(?:ignore|disregard|don'?t\s+repeat|do\s+not\s+repeat|no\s+need\s+to\s+repeat|instead|supersedes?|replaces?
                |already\s+(?:delivered|supplied|received|ordered|quoted))\b",
        )
        .expect("regex")
    });
    ASIDE.is_match(reply)
}

/// Whether a reply adds to or points at the request quoted below it ("pls add 4 nos of … to
/// the list below", "in addition to my earlier mail", "rest same"): then the history is part
/// of the request.
fn refers_below(reply: &str) -> bool {
    static BELOW: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(
            r"(?ix)
            \b(?:the|my|our|your)\s+(?:list|items?|request|rfq|enquiry|inquiry|order|e-?mail|mail|message)\s+below\b
          | \bbelow\s+(?:list|items|request|rfq|enquiry|order)\b
          | \b(?:in\s+addition\s+to|on\s+top\s+of|together\s+with|add(?:ed)?\s+to)\s+(?:the|my|our|your)\s+(?:earlier|previous|original|first|last)\b
          | \brest\s+(?:same|unchanged|as\s+(?:before|below|per))\b
          | \bother\s+items\s+(?:same|unchanged|as\s+(?:before|below))\b",
        )
        .expect("regex")
    });
    BELOW.is_match(reply)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn staff() -> Staff {
        let mut s = crate::config::Settings::builtin().expect("settings");
        s.mail.from_address = "sales@horme.example".into();
        s.mail.staff_domains = vec!["horme.example".into()];
        Staff::from_settings(&s)
    }

    fn mail(from: &str, body: &str) -> ParsedMail {
        let raw = format!(
            "From: {from}\r\nTo: sales@horme.example\r\nSubject: Fwd: RFQ-5521 gloves\r\nMessage-ID: <fwd-1@horme.example>\r\n\r\n{body}"
        );
        channels::email::parse(raw.as_bytes()).expect("parses")
    }

    const GMAIL: &str = "pls quote, thanks\r\nJohn\r\n\r\n---------- Forwarded message ---------\r\nFrom: Jane Tan <jane.tan@acme.example>\r\nDate: Mon, 2 Mar 2026 at 09:12\r\nSubject: RFQ-5521 gloves\r\nTo: John Lim <john.lim@horme.example>\r\n\r\nDear John,\r\n1. Nitrile gloves M - 20 boxes\r\n\r\nRegards,\r\nJane Tan\r\nAcme Engineering Pte Ltd\r\n";

    #[test]
    fn a_colleagues_forward_is_the_original_senders() {
        let m = attribute(&mail("John Lim <john.lim@horme.example>", GMAIL), &staff());
        assert_eq!(m.sender.address, "jane.tan@acme.example");
        assert_eq!(m.sender.display_name.as_deref(), Some("Jane Tan"));
        assert_eq!(
            m.forwarded_by.as_ref().map(|f| f.address.as_str()),
            Some("john.lim@horme.example")
        );
        assert_eq!(m.subject.as_deref(), Some("RFQ-5521 gloves"));
        assert!(m.text.starts_with("Dear John,"), "{}", m.text);
        assert!(!m.text.contains("pls quote"));
        match &m.thread {
            ThreadRef::Email { reply_to, subject, .. } => {
                assert_eq!(reply_to, "jane.tan@acme.example");
                assert_eq!(subject, "RFQ-5521 gloves");
            }
            other => panic!("{other:?}"),
        }
        // the stored message stays deduplicated on the forward's own Message-ID
        assert_eq!(m.external_id, "fwd-1@horme.example");
    }

    #[test]
    fn a_customer_forwarding_stays_the_customer() {
        let body = GMAIL.replace("jane.tan@acme.example", "bob@other.example");
        let m = attribute(&mail("Jane Tan <jane.tan@acme.example>", &body), &staff());
        assert_eq!(m.sender.address, "jane.tan@acme.example");
        assert!(m.forwarded_by.is_none());
        assert!(m.text.contains("pls quote"));
    }

    #[test]
    fn a_new_request_above_a_quoted_one_is_read_alone() {
        let body = "Hi Jia Hui,\r\n\r\nPlease quote the following:\r\n- Nitto hi coupler 40SM - 10 pcs\r\n\r\nBenjamin\r\n\r\n-----Original Message-----\r\nFrom: Benjamin Koh <ben.koh@gulcircle.example>\r\nSent: Wednesday, 22 April 2026 10:20 AM\r\nTo: sales@horme.example\r\nSubject: RFQ GCF-RFQ-0422\r\n\r\n> Please quote:\r\n> 1. Loctite 275 threadlocker 50ml - 10 btl\r\n";
        let m = attribute(&mail("Benjamin Koh <ben.koh@gulcircle.example>", body), &staff());
        assert!(m.text.contains("40SM"), "{}", m.text);
        assert!(!m.text.contains("Loctite"), "{}", m.text);
        // a reply that asks for nothing itself is read whole
        let m = attribute(&mail("Jane Tan <jane.tan@acme.example>", GMAIL), &staff());
        assert!(m.text.contains("Nitrile gloves"));
    }

    #[test]
    fn a_reply_adding_to_the_list_below_is_read_with_it() {
        let body = "Hi Jason,\r\n\r\nSorry forgot one - pls add 4 nos of Makita GA4030 angle grinder to the list below. Rest same.\r\n\r\nKah Wai\r\n\r\nOn Tue, 19 May 2026 at 16:22, Leong Kah Wai <kw.leong@kranji.example> wrote:\r\n> Pls quote:\r\n>\r\n> - SMC fitting 6mm straight union x 20 pcs\r\n> - Cejn blow gun 208 x 3 pcs\r\n";
        let m = attribute(&mail("Leong Kah Wai <kw.leong@kranji.example>", body), &staff());
        assert!(
            m.text.contains("GA4030") && m.text.contains("Cejn blow gun"),
            "{}",
            m.text
        );
        for reply in [
            "pls add 2 more helmets to the list below",
            "In addition to my earlier mail, 5 boxes of gloves",
            "10 pcs cable ties, rest same",
        ] {
            assert!(refers_below(reply), "{reply}");
        }
        assert!(!refers_below("Please quote the following: 10 pcs cable ties"));
    }

    /// An HTML-only Gmail reply: its new table stands above the quoted mail, whose older list
    /// (set aside in the reply's words) is not read again.
    #[test]
    fn an_html_reply_is_read_above_the_quoted_mail() {
        let html = "<div dir=\"ltr\"><div>Hi Ms Tan,</div><div>Please ignore my earlier list below, kindly quote the revised list instead:</div>\
            <table><tr><th>No.</th><th>Description</th><th>Qty</th><th>UOM</th></tr>\
            <tr><td>1</td><td>Perry life buoy 4.0kg c/w reflective tape</td><td>2</td><td>nos</td></tr>\
            <tr><td>2</td><td>Weicon Galva spray 400ml</td><td>24</td><td>cans</td></tr></table><div>Thank you.</div></div>\
            <div class=\"gmail_quote\"><div class=\"gmail_attr\">On Thu, 12 Mar 2026 at 11:20, Nurul &lt;n@jm.example&gt; wrote:<br></div>\
            <blockquote class=\"gmail_quote\"><div>Pls quote:</div><table><tr><th>No.</th><th>Description</th><th>Qty</th></tr>\
            <tr><td>1</td><td>Life jacket with zip</td><td>20</td></tr></table></blockquote></div>";
        let raw = format!(
            "From: Nurul <n@jm.example>\r\nTo: sales@horme.example\r\nSubject: Re: RFQ\r\nMessage-ID: <r1@jm.example>\r\nContent-Type: text/html; charset=utf-8\r\n\r\n{html}"
        );
        let parsed = channels::email::parse(raw.as_bytes()).expect("parses");
        let m = attribute(&parsed, &staff());
        let html = m.html.as_deref().unwrap_or_default();
        assert!(
            html.contains("Galva spray") && !html.contains("Life jacket with zip"),
            "{html}"
        );
        assert!(!m.text.contains("Life jacket with zip"), "{}", m.text);
        assert!(dismisses_below(
            "last month's list (in the mail below) was already delivered, pls don't repeat"
        ));
        assert!(!dismisses_below("pls add 2 more helmets to the list below"));
    }

    #[test]
    fn forwards_through_colleagues_reach_the_customer() {
        let inner = GMAIL.replace("pls quote, thanks\r\nJohn\r\n\r\n", "");
        let body = format!(
            "Mary, can you take this one?\r\n\r\n-----Original Message-----\r\nFrom: John Lim <john.lim@horme.example>\r\nSent: Monday, March 2, 2026 10:00 AM\r\nTo: Mary <mary@horme.example>\r\nSubject: Fwd: RFQ-5521 gloves\r\n\r\nsee below\r\n\r\n{inner}"
        );
        let m = attribute(&mail("Mary Ong <mary@horme.example>", &body), &staff());
        assert_eq!(m.sender.address, "jane.tan@acme.example");
        assert_eq!(
            m.forwarded_by.as_ref().map(|f| f.address.as_str()),
            Some("mary@horme.example")
        );
        assert!(m.text.starts_with("Dear John,"), "{}", m.text);
        assert!(!m.text.contains("see below") && !m.text.contains("take this one"));
    }

    #[test]
    fn a_forward_without_an_address_changes_nothing() {
        let body = GMAIL.replace("Jane Tan <jane.tan@acme.example>", "Jane Tan");
        let m = attribute(&mail("John Lim <john.lim@horme.example>", &body), &staff());
        assert_eq!(m.sender.address, "john.lim@horme.example");
        assert!(m.forwarded_by.is_none());
    }
}
