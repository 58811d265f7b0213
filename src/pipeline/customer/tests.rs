use super::*;
use crate::pipeline::text::{Format, lines};

fn doc(text: &str) -> ExtractedDocument {
    ExtractedDocument {
        name: "rfq.txt".into(),
        format: Format::Txt,
        blocks: lines(text),
    }
}

#[test]
fn reads_a_plain_request() {
    let d = doc(
        "Dear Sales Team,\n\nSentosa Maintenance Services would like to request a quotation for the items below (our ref RFQ-8402/2026). Please quote by 24 Jan 2027; delivery within 14 days of PO.\n\n1. Gloves - 5 pcs\nContact: Farah Aziz, +65 68812311\n\nRegards,\nFarah Aziz\nSentosa Maintenance Services\n",
    );
    let c = extract(&[d], &SenderHint::default());
    assert_eq!(c.company.as_deref(), Some("Sentosa Maintenance Services"));
    assert_eq!(c.contact.as_deref(), Some("Farah Aziz"));
    assert_eq!(c.phone.as_deref(), Some("+65 68812311"));
    assert_eq!(c.reference.as_deref(), Some("RFQ-8402/2026"));
    assert_eq!(c.due_date, NaiveDate::from_ymd_opt(2027, 1, 24));
}

#[test]
fn letterhead_and_labels() {
    let d = doc(
        "Changi Aero Components\nREQUEST FOR QUOTATION\nReference: RFQ-6933/2026  Closing date: 09 Dec 2026\nContact: Jonathan Ong (jonathan.ong@changiaero.example, +65 62546727)\n",
    );
    let c = extract(&[d], &SenderHint::default());
    assert_eq!(c.company.as_deref(), Some("Changi Aero Components"));
    assert_eq!(c.contact.as_deref(), Some("Jonathan Ong"));
    assert_eq!(c.email.as_deref(), Some("jonathan.ong@changiaero.example"));
    assert_eq!(c.reference.as_deref(), Some("RFQ-6933/2026"));
    assert_eq!(c.due_date, NaiveDate::from_ymd_opt(2026, 12, 9));
}

#[test]
fn references_keep_their_prefix() {
    for (line, want) in [
        ("REQUEST FOR QUOTATION RFQ-9146/2026", "RFQ-9146/2026"),
        ("RFQ No: 2026/118", "2026/118"),
        ("RFQ#4471", "4471"),
        ("Our ref. PO-7781-A, please quote", "PO-7781-A"),
        ("Enquiry No. ENQ/26/0042", "ENQ/26/0042"),
    ] {
        let c = extract(&[doc(line)], &SenderHint::default());
        assert_eq!(c.reference.as_deref(), Some(want), "{line}");
    }
}

#[test]
fn sender_hint_wins_for_the_address_but_not_our_own() {
    let hint = SenderHint {
        address: Some("sales@horme.example".into()),
        own_domains: vec!["horme.example".into()],
        ..Default::default()
    };
    let c = extract(
        &[doc("Please call +65 6123 4567. Mail me: buyer@client.example")],
        &hint,
    );
    assert_eq!(c.email.as_deref(), Some("buyer@client.example"));
}

#[test]
fn dates_in_several_spellings() {
    let d = NaiveDate::from_ymd_opt(2026, 12, 5);
    for s in [
        "05 Dec 2026",
        "5th December 2026",
        "2026-12-05",
        "05/12/2026",
        "December 5, 2026",
    ] {
        assert_eq!(parse_date(s), d, "{s}");
    }
}

#[test]
fn signatures_give_the_company_and_contact_without_titles() {
    for (text, contact, company) in [
        (
            "Dear Sales,\nPlease quote 5 gloves.\n\nRegards,\nJane Tan\nSenior Buyer\nAcme Engineering Pte Ltd\nTel: +65 6123 4567\n",
            "Jane Tan",
            "Acme Engineering Pte Ltd",
        ),
        (
            "Dear Sales,\nPlease quote 5 gloves.\n\nThanks,\nRahul Menon\nProcurement Executive | Bukit Timah Construction\n",
            "Rahul Menon",
            "Bukit Timah Construction",
        ),
        (
            "Dear Sales,\nPlease quote 5 gloves.\n\nBest regards,\nJane Tan, Purchasing Manager, Acme Pte Ltd\n",
            "Jane Tan",
            "Acme Pte Ltd",
        ),
        (
            "Dear Sales,\nPlease quote 5 gloves.\n\nKind regards,\nMs Siti Rahman (Purchasing)\nPurchasing Officer – Jurong Marine Services Sdn Bhd\n",
            "Siti Rahman",
            "Jurong Marine Services Sdn Bhd",
        ),
        (
            "Dear Sales,\nPlease quote 5 gloves.\nContact: Jane Tan, Purchasing Manager\nProcurement Executive | Bukit Timah Construction\n",
            "Jane Tan",
            "Bukit Timah Construction",
        ),
        (
            "Dear Sales,\nPlease quote 5 gloves.\n\nRegards,\nJohn Lee | Buyer\nChangi Aero\n",
            "John Lee",
            "Changi Aero",
        ),
    ] {
        let c = extract(&[doc(text)], &SenderHint::default());
        assert_eq!(c.contact.as_deref(), Some(contact), "{text}");
        assert_eq!(c.company.as_deref(), Some(company), "{text}");
    }
}

#[test]
fn a_request_sentence_on_the_first_line_is_no_company() {
    for text in [
        "Kindly quote 20 pcs safety helmet\n",
        "Need price for 3 units wheelbarrow\n",
        "Please quote: 10 x nitrile gloves\n",
        "Cable Ties 200mm Black 500 Pcs\n",
        "We Are Looking For A Price On Ladders\n",
    ] {
        let c = extract(&[doc(text)], &SenderHint::default());
        assert_eq!(c.company, None, "{text:?}");
    }
    let c = extract(
        &[doc("Jurong Marine Supplies Pte Ltd\nPlease quote 4 pcs shackle\n")],
        &SenderHint::default(),
    );
    assert_eq!(c.company.as_deref(), Some("Jurong Marine Supplies Pte Ltd"));
}

/// A CSV whose first row is its header names no company there; the company is the segment
/// of a "Requested by …" line that carries a company suffix.
#[test]
fn a_header_row_is_no_letterhead() {
    let rows = |r: &[&[&str]]| r.iter().map(|r| r.iter().map(|c| c.to_string()).collect()).collect();
    let d = ExtractedDocument {
        name: "rfq.csv".into(),
        format: Format::Csv,
        blocks: vec![Block::Table {
            rows: rows(&[
                &["No", "Description", "Qty", "UOM", "Brand"],
                &["1", "Full body harness KB70", "10", "pcs", "KING'S"],
                &[],
                &[
                    "",
                    "Requested by Mohd Hafiz bin Ismail - Klang Valley Scaffolding Sdn Bhd - hafiz@kvscaffold.com.my - +60 3-3344 9017",
                ],
            ]),
        }],
    };
    let c = extract(&[d], &SenderHint::default());
    assert_eq!(c.company.as_deref(), Some("Klang Valley Scaffolding Sdn Bhd"));
    assert_eq!(c.email.as_deref(), Some("hafiz@kvscaffold.com.my"));
}

#[test]
fn a_block_of_fields_above_the_items_names_the_customer() {
    let rows =
        |r: &[&[&str]]| -> Vec<Vec<String>> { r.iter().map(|c| c.iter().map(|s| s.to_string()).collect()).collect() };
    let d = ExtractedDocument {
        name: "export.xlsx".into(),
        format: Format::Xlsx,
        blocks: vec![Block::Table {
            rows: rows(&[
                &["Company", "Tuas Marine Services Pte Ltd", "", ""],
                &["Contact Person", "Rahim Osman", "", ""],
                &["Reference", "PR-2026-0412", "", ""],
                &["Due Date", "15/12/2026", "", ""],
                &["", "", "", ""],
                &["Line", "Item Description", "Qty", "UOM"],
                &["1", "Nitrile gloves", "10", "box"],
                &["2", "Face shield", "5", "pcs"],
            ]),
        }],
    };
    let c = extract(&[d], &SenderHint::default());
    assert_eq!(c.company.as_deref(), Some("Tuas Marine Services Pte Ltd"));
    assert_eq!(c.contact.as_deref(), Some("Rahim Osman"));
    assert_eq!(c.reference.as_deref(), Some("PR-2026-0412"));
    assert_eq!(c.due_date, NaiveDate::from_ymd_opt(2026, 12, 15));
}
