use super::*;

fn chain(text: &str) -> Vec<Forwarded> {
    inline(text, None, &[])
}

fn sender(f: &Forwarded) -> (&str, Option<&str>) {
    let s = f.sender.as_ref().expect("a sender");
    (s.address.as_str(), s.display_name.as_deref())
}

#[test]
fn gmail_forward() {
    let c = chain(
        "pls quote\n\n---------- Forwarded message ---------\nFrom: Jane Tan <Jane.Tan@acme.example>\nDate: Mon, 2 Mar 2026 at 09:12\nSubject: RFQ-5521 gloves\nTo: John <john@horme.example>\n\nDear John,\n1. Gloves - 5 boxes\n",
    );
    assert_eq!(c.len(), 1);
    assert_eq!(sender(&c[0]), ("jane.tan@acme.example", Some("Jane Tan")));
    assert_eq!(c[0].subject.as_deref(), Some("RFQ-5521 gloves"));
    assert_eq!(c[0].text, "Dear John,\n1. Gloves - 5 boxes");
}

#[test]
fn outlook_original_message_and_bare_header_blocks() {
    for (text, name) in [
        (
            "FYI\n-----Original Message-----\nFrom: Tan, Jane [mailto:jane.tan@acme.example]\nSent: Monday, March 2, 2026 9:12 AM\nTo: John Lim\nSubject: RFQ-5521 gloves\n\nDear John,\n",
            Some("Tan, Jane"),
        ),
        (
            "FYI\n________________________________\nFrom: Jane Tan <jane.tan@acme.example>\nSent: 02 March 2026 09:12\nTo: John Lim <john@horme.example>\nSubject: RFQ-5521 gloves\n\nDear John,\n",
            Some("Jane Tan"),
        ),
        (
            "FYI\n*From:* jane.tan@acme.example\n*Sent:* Monday, March 2, 2026\n*To:* sales\n*Subject:* RFQ-5521 gloves\nDear John,\n",
            None,
        ),
        // German, French, Italian, Indonesian Outlook
        (
            "bitte\nVon: Jane Tan <jane.tan@acme.example>\nGesendet: Montag, 2. März 2026 09:12\nAn: John\nBetreff: RFQ-5521 gloves\n\nDear John,\n",
            Some("Jane Tan"),
        ),
        (
            "merci\nDe : Jane Tan <jane.tan@acme.example>\nEnvoyé : lundi 2 mars 2026 09:12\nÀ : John\nObjet : RFQ-5521 gloves\n\nDear John,\n",
            Some("Jane Tan"),
        ),
        (
            "grazie\nDa: Jane Tan <jane.tan@acme.example>\nInviato: lunedì 2 marzo 2026\nA: John\nOggetto: RFQ-5521 gloves\n\nDear John,\n",
            Some("Jane Tan"),
        ),
        (
            "tolong\nDari: Jane Tan <jane.tan@acme.example>\nTanggal: Senin, 2 Maret 2026\nKepada: John\nPerihal: RFQ-5521 gloves\n\nDear John,\n",
            Some("Jane Tan"),
        ),
    ] {
        let c = chain(text);
        assert_eq!(c.len(), 1, "{text}");
        assert_eq!(sender(&c[0]), ("jane.tan@acme.example", name), "{text}");
        assert_eq!(c[0].subject.as_deref(), Some("RFQ-5521 gloves"), "{text}");
        assert_eq!(c[0].text, "Dear John,", "{text}");
    }
}

#[test]
fn apple_mail_forward_with_quoted_body() {
    let c = chain(
        "Can we quote?\n\nBegin forwarded message:\n\n> From: Jane Tan <jane.tan@acme.example>\n> Subject: RFQ-5521 gloves\n> Date: 2 March 2026 at 09:12:00 SGT\n> To: John <john@horme.example>\n> \n> Dear John,\n> 1. Gloves - 5 boxes\n",
    );
    assert_eq!(c.len(), 1);
    assert_eq!(sender(&c[0]).0, "jane.tan@acme.example");
    assert_eq!(c[0].text, "Dear John,\n1. Gloves - 5 boxes");
}

#[test]
fn nested_forwards_are_a_chain() {
    let c = chain(
        "Mary, yours\n---------- Forwarded message ---------\nFrom: John <john@horme.example>\nDate: today\nSubject: Fwd: RFQ\nTo: Mary <mary@horme.example>\n\nsee below\n\n---------- Forwarded message ---------\nFrom: Jane Tan <jane.tan@acme.example>\nDate: yesterday\nSubject: RFQ\nTo: John <john@horme.example>\n\nDear John,\n",
    );
    let senders: Vec<&str> = c.iter().map(|f| sender(f).0).collect();
    assert_eq!(senders, ["john@horme.example", "jane.tan@acme.example"]);
    assert_eq!(c[1].text, "Dear John,");
}

#[test]
fn ordinary_text_is_no_forward() {
    for text in [
        "From: our warehouse in Jurong\n1. Gloves - 5 boxes\n",
        "Date: 2 March 2026\nSubject to availability\nFrom: stock\n",
        "Please quote the original message below:\nGloves - 5",
        "",
    ] {
        assert!(chain(text).is_empty(), "{text}");
    }
}

#[test]
fn html_is_cut_where_the_forward_starts() {
    let html = "<div>pls quote <b>Acme</b></div><div class=\"gmail_quote\">---------- Forwarded message ---------<br>From: <b>Jane Tan</b> &lt;<a href=\"mailto:jane.tan@acme.example\">jane.tan@acme.example</a>&gt;<br>Subject: RFQ-5521 gloves<br>To: John<br></div><table><tr><td>Gloves</td><td>5</td></tr></table>";
    let text = "pls quote Acme\n\n---------- Forwarded message ---------\nFrom: Jane Tan <jane.tan@acme.example>\nSubject: RFQ-5521 gloves\nTo: John\n\nGloves 5\n";
    let c = inline(text, Some(html), &[]);
    let h = c[0].html.as_deref().expect("html");
    assert!(!h.contains("pls quote"), "{h}");
    assert!(h.contains("<table>"), "{h}");
}

#[test]
fn addresses_and_names() {
    assert_eq!(
        address_in("Jane <jane.tan@acme.example>").as_deref(),
        Some("jane.tan@acme.example")
    );
    assert_eq!(address_in("[mailto:j@a.example]").as_deref(), Some("j@a.example"));
    assert_eq!(address_in("Jane Tan"), None);
    assert_eq!(address_in("user@localhost"), None);
    assert_eq!(
        display_name("\"Tan, Jane\" <j@a.example>", "j@a.example").as_deref(),
        Some("Tan, Jane")
    );
    assert_eq!(display_name("j@a.example", "j@a.example"), None);
}

#[test]
fn a_reply_is_read_above_its_attribution_or_quoted_lines() {
    let gmail = "Pls also quote:\nskk castor 5\" x8\n\nThanks\nMuthu\n\nOn Mon, 10 Mar 2025 at 16:22, Jasmine Lee <sales@horme.com.sg>\nwrote:\n\n> Hi Muthu,\n>> 1. ace helmet orange x20\n";
    assert_eq!(
        newest_part(gmail).as_deref(),
        Some("Pls also quote:\nskk castor 5\" x8\n\nThanks\nMuthu\n")
    );
    let bare = "new list:\nhelmet x2\n\n> old list:\n> gloves x5\n>\n> boots x3\n";
    assert_eq!(newest_part(bare).as_deref(), Some("new list:\nhelmet x2\n"));
    // one quoted line is a quotation mark, not a quoted mail; "On site …" is no attribution
    assert_eq!(newest_part("On site by 9am please.\n> see below\nthanks"), None);
}

#[test]
fn a_replys_html_is_cut_where_the_history_starts() {
    let outlook = "<html><body><div class=WordSection1><p class=MsoNormal>Please quote:</p><ul><li>Nylon broom &#8211; 12 pcs</li></ul>\
        <div><div style='border:none;border-top:solid #E1E1E1 1.0pt'><p class=MsoNormal><b>From:</b> Horme Sales &lt;sales@horme.com.sg&gt;<br><b>Sent:</b> Thursday</p></div></div>\
        <p>Dear Ms Tan, our catalogue</p></div></body></html>";
    let top = newest_html(outlook).expect("cut");
    assert!(
        top.contains("Nylon broom") && !top.contains("Horme Sales") && !top.contains("catalogue"),
        "{top}"
    );
    let gmail = "<div dir=\"ltr\">pls quote 2 drills</div><br><div class=\"gmail_quote\"><div dir=\"ltr\" class=\"gmail_attr\">On Mon, Jasmine wrote:</div><blockquote>old</blockquote></div>";
    assert_eq!(
        newest_html(gmail),
        Some("<div dir=\"ltr\">pls quote 2 drills</div><br>")
    );
    let plain_header =
        "<p>need 5 hats</p><p>From: Jane &lt;j@a.example&gt;</p><p>Date: 1 May</p><p>Subject: RFQ</p><p>old list</p>";
    assert_eq!(newest_html(plain_header), Some("<p>need 5 hats</p>"));
    let apple = "<div>2 drills pls</div><blockquote type=\"cite\"><div>old list</div></blockquote>";
    assert_eq!(newest_html(apple), Some("<div>2 drills pls</div>"));
    assert_eq!(
        newest_html("<p>pls quote</p><blockquote><ul><li>hats x5</li></ul></blockquote>"),
        None
    );
    // text that is not ASCII around a header block is cut on character boundaries
    let wide = format!("<p>ok</p><p>From: Jané {}</p>", "é".repeat(400));
    assert_eq!(newest_html(&wide), None);
    // a form's fields are no history
    assert_eq!(
        newest_html("<p>From: Acme Pte Ltd</p><p>Date: 1 May</p><ul><li>hats x5</li></ul>"),
        None
    );
    assert_eq!(
        newest_html("<p>Delivery from: Tuas yard</p><ul><li>hats x5</li></ul>"),
        None
    );
}
