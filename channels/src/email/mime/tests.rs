use super::*;

const PLAIN: &[u8] = b"From: Marcus Chua <marcus.chua@jurong.example>\r\n\
To: sales@horme.example\r\n\
Subject: RFQ RFQ-1826/2026\r\n\
Message-ID: <abc@jurong.example>\r\n\
Content-Type: text/plain; charset=\"utf-8\"\r\n\
Content-Transfer-Encoding: quoted-printable\r\n\
\r\n\
1. Polishing Buff 8 Inch =\r\n\
(qty: 5 sets)\r\n";

#[test]
fn plain_mail_becomes_an_inbound_message() {
    let m = parse(PLAIN).expect("parses");
    assert_eq!(m.message.external_id, "abc@jurong.example");
    assert_eq!(m.message.sender.address, "marcus.chua@jurong.example");
    assert_eq!(m.message.sender.display_name.as_deref(), Some("Marcus Chua"));
    assert_eq!(m.message.subject.as_deref(), Some("RFQ RFQ-1826/2026"));
    assert!(m.message.text.contains("Polishing Buff 8 Inch (qty: 5 sets)"));
    assert!(m.message.html.is_none());
    assert_eq!(m.no_reply_reason, None);
    assert!(
        matches!(m.message.thread, ThreadRef::Email { ref reply_to, .. } if reply_to == "marcus.chua@jurong.example")
    );
}

#[test]
fn rfc2231_names_and_inline_images() {
    let raw = b"From: a@b.example\r\nMessage-ID: <x@b.example>\r\nMIME-Version: 1.0\r\n\
Content-Type: multipart/mixed; boundary=\"B\"\r\n\r\n\
--B\r\nContent-Type: text/plain\r\n\r\nsee attached\r\n\
--B\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; filename*=UTF-8''Anfrage%20Gr%C3%B6%C3%9Fe.pdf\r\nContent-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQK\r\n\
--B\r\nContent-Type: image/png\r\nContent-ID: <logo>\r\nContent-Disposition: inline\r\nContent-Transfer-Encoding: base64\r\n\r\niVBORw0KGgo=\r\n\
--B--\r\n";
    let m = parse(raw).expect("parses");
    assert_eq!(m.message.attachments.len(), 1);
    assert_eq!(m.message.attachments[0].filename, "Anfrage Größe.pdf");
    assert_eq!(m.message.attachments[0].media_type, "application/pdf");
    assert!(m.message.attachments[0].content.starts_with(b"%PDF"));
}

#[test]
fn missing_message_id_is_derived_from_the_bytes() {
    let raw = b"From: a@b.example\r\nSubject: x\r\n\r\nhello\r\n";
    let a = parse(raw).expect("parses");
    let b = parse(raw).expect("parses");
    assert_eq!(a.message.external_id, b.message.external_id);
    assert!(a.message.external_id.starts_with("sha256-"));
}

#[test]
fn robots_and_auto_replies_are_flagged() {
    let auto = b"From: a@b.example\r\nAuto-Submitted: auto-replied\r\n\r\nOut of office\r\n";
    assert!(parse(auto).expect("parses").no_reply_reason.is_some());
    let daemon = b"From: MAILER-DAEMON@b.example\r\n\r\nUndeliverable\r\n";
    assert!(parse(daemon).expect("parses").no_reply_reason.is_some());
    let list = b"From: a@b.example\r\nList-Id: <x.lists.example>\r\n\r\nhi\r\n";
    assert!(parse(list).expect("parses").no_reply_reason.is_some());
    let human = b"From: a@b.example\r\nAuto-Submitted: no\r\n\r\nhi\r\n";
    assert_eq!(parse(human).expect("parses").no_reply_reason, None);
}

/// A mail that forwards `inner` as a `message/rfc822` attachment, with a PDF beside it.
fn forward_attached(from: &str, inner: &str) -> String {
    format!(
        "From: {from}\r\nSubject: Fwd: RFQ\r\nMessage-ID: <f@horme.example>\r\nMIME-Version: 1.0\r\n\
Content-Type: multipart/mixed; boundary=\"F\"\r\n\r\n--F\r\nContent-Type: text/plain\r\n\r\npls quote\r\n\
--F\r\nContent-Type: message/rfc822\r\n\r\n{inner}\r\n--F\r\nContent-Type: application/pdf\r\n\
Content-Disposition: attachment; filename=\"drawing.pdf\"\r\n\r\n%PDF-1.4\r\n--F--\r\n"
    )
}

#[test]
fn an_attached_message_is_the_forwarded_one() {
    let inner = "From: Jane Tan <Jane@acme.example>\r\nSubject: RFQ-1\r\nMessage-ID: <rfq-1@acme.example>\r\n\r\n1. Gloves - 5 boxes\r\n";
    let m = parse(forward_attached("john@horme.example", inner).as_bytes()).expect("parses");
    assert_eq!(m.message.sender.address, "john@horme.example");
    let [f] = m.forwarded.as_slice() else {
        panic!("one forwarded message: {:?}", m.forwarded)
    };
    let sender = f.sender.as_ref().expect("sender");
    assert_eq!(sender.address, "jane@acme.example");
    assert_eq!(sender.display_name.as_deref(), Some("Jane Tan"));
    assert_eq!(f.subject.as_deref(), Some("RFQ-1"));
    assert_eq!(f.message_id.as_deref(), Some("rfq-1@acme.example"));
    assert!(f.text.contains("Gloves - 5 boxes"));
    // the other files of the forwarding mail go with the request; the forward itself not
    let names: Vec<&str> = f.attachments.iter().map(|a| a.filename.as_str()).collect();
    assert_eq!(names, ["drawing.pdf"]);
}

#[test]
fn forwards_inside_attached_messages_are_followed() {
    let innermost = "From: Jane <jane@acme.example>\r\nSubject: RFQ-2\r\n\r\nGloves - 5\r\n";
    let middle = forward_attached("mary@horme.example", innermost);
    let m = parse(forward_attached("john@horme.example", &middle).as_bytes()).expect("parses");
    let senders: Vec<&str> = m
        .forwarded
        .iter()
        .filter_map(|f| f.sender.as_ref().map(|s| s.address.as_str()))
        .collect();
    assert_eq!(senders, ["mary@horme.example", "jane@acme.example"]);
    // an inline forward in an attached message is followed too
    let inline = "From: Mary <mary@horme.example>\r\nSubject: Fwd\r\n\r\nfyi\r\n\r\n---------- Forwarded message ---------\r\nFrom: Jane <jane@acme.example>\r\nSubject: RFQ-3\r\n\r\nGloves - 5\r\n";
    let m = parse(forward_attached("john@horme.example", inline).as_bytes()).expect("parses");
    assert_eq!(m.forwarded.len(), 2);
    assert_eq!(m.forwarded[1].subject.as_deref(), Some("RFQ-3"));
    assert_eq!(parse(PLAIN).expect("parses").forwarded, Vec::new());
}

#[test]
fn garbage_is_refused_with_a_reason() {
    assert_eq!(parse(b"").err(), Some(MimeError::Empty));
    assert!(parse(b"\x00\x01\x02 not a mail").is_err());
}
