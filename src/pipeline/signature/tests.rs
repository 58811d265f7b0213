use super::*;

#[test]
fn companies_without_titles() {
    for (line, want) in [
        (
            "Procurement Executive | Bukit Timah Construction",
            Some("Bukit Timah Construction"),
        ),
        ("Jane Tan, Purchasing Manager, Acme Pte Ltd", Some("Acme Pte Ltd")),
        (
            "Senior Buyer – Acme Engineering Pte. Ltd.",
            Some("Acme Engineering Pte. Ltd."),
        ),
        (
            "Purchasing Officer, Jurong Marine Services Sdn Bhd",
            Some("Jurong Marine Services Sdn Bhd"),
        ),
        ("Head of Procurement • Changi Aero", Some("Changi Aero")),
        ("Acme Trading Co., Ltd", Some("Acme Trading Co., Ltd")),
        (
            "Chemicals, Adhesives & Lubricants Trading",
            Some("Chemicals, Adhesives & Lubricants Trading"),
        ),
        ("Changi Aero Components", Some("Changi Aero Components")),
        ("Engineering Manager", None),
        ("Jane Tan | Senior Buyer", None),
        ("Procurement Executive", None),
    ] {
        assert_eq!(company_of(line).as_deref(), want, "{line}");
    }
}

#[test]
fn contacts_without_titles() {
    for (s, want) in [
        ("Jane Tan", Some("Jane Tan")),
        ("Jane Tan, Purchasing Manager", Some("Jane Tan")),
        ("Jane Tan Procurement Executive", Some("Jane Tan")),
        ("Ms. Jane Tan (Procurement)", Some("Jane Tan")),
        ("Purchasing Manager", None),
        ("Acme Pte Ltd", None),
    ] {
        assert_eq!(contact_of(s).as_deref(), want, "{s}");
    }
}

#[test]
fn signature_blocks_in_several_shapes() {
    for (lines, contact, company) in [
        (
            &["Jane Tan", "Senior Buyer", "Acme Engineering Pte Ltd"][..],
            Some("Jane Tan"),
            Some("Acme Engineering Pte Ltd"),
        ),
        (
            &["Jane Tan | Senior Buyer", "Acme Engineering Pte Ltd"][..],
            Some("Jane Tan"),
            Some("Acme Engineering Pte Ltd"),
        ),
        (
            &["Jane Tan, Purchasing Manager, Acme Pte Ltd"][..],
            Some("Jane Tan"),
            Some("Acme Pte Ltd"),
        ),
        (
            &["Rahul Menon", "Procurement Executive | Bukit Timah Construction"][..],
            Some("Rahul Menon"),
            Some("Bukit Timah Construction"),
        ),
        (
            &["Procurement Executive | Bukit Timah Construction"][..],
            None,
            Some("Bukit Timah Construction"),
        ),
        (
            &["Farah Aziz", "Sentosa Maintenance Services"][..],
            Some("Farah Aziz"),
            Some("Sentosa Maintenance Services"),
        ),
        (
            &["John Lee", "Purchasing Dept", "Changi Aero"][..],
            Some("John Lee"),
            Some("Changi Aero"),
        ),
        (
            &["Ms Jane Tan (Procurement)", "Acme Pte Ltd"][..],
            Some("Jane Tan"),
            Some("Acme Pte Ltd"),
        ),
    ] {
        let (c, co) = block(lines);
        assert_eq!((c.as_deref(), co.as_deref()), (contact, company), "{lines:?}");
    }
}
