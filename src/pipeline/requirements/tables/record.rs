//! A table that is one item's record, a field per row: "Item No. | 1", "Description |
//! Flammable liquid safety cabinet", "Technical Specification | Justrite Sure-Grip EX",
//! "Quantity | 2", "Unit of Measure | units" (a request's specification sheets). Several
//! records may follow one another in one table; a field seen again begins the next.

use std::sync::LazyLock;

use regex::Regex;

use super::{Role, header};
use crate::pipeline::requirements::{Requirement, quantity, units};

/// A record's number before its first label: "Item 2 Description", "3. Description".
static NUMBERED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(?:item|line|no\.?)?\s*\d{1,3}[.):]?\s+(?P<label>[A-Za-z].*)$").expect("regex")
});

/// The next record's number after a label: "Unit price (S$) Item 2".
static TRAILING_NUMBER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\s+(?:item|line)\s*\d{1,3}\s*$").expect("regex"));

/// A further field written in the value's cell: "1   Unit of Measure: Unit".
static FIELD_IN_VALUE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?P<value>.*?\S)\s+(?P<label>[A-Za-z][A-Za-z./ ]{1,30}?)\s*:\s*(?P<next>\S.*)$").expect("regex")
});

/// One field of a record: what its label names, the label, and the value.
type Field<'a> = (Role, &'a str, &'a str);

/// The items of a table of records, or None when the table is not one.
pub(super) fn items(rows: &[Vec<String>]) -> Option<Vec<Requirement>> {
    let mut fields: Vec<Field<'_>> = Vec::new();
    let mut named = 0usize;
    for row in rows {
        let cells: Vec<&str> = row.iter().map(|c| c.trim()).filter(|c| !c.is_empty()).collect();
        let (label, value) = match cells.as_slice() {
            [] => continue,
            [label] => (*label, ""),
            [label, value] => (*label, *value),
            _ => return None,
        };
        // the record's number before its first label begins the next record
        let label = NUMBERED
            .captures(label)
            .and_then(|c| c.name("label"))
            .map_or(label, |m| m.as_str());
        // or after the last label of the record before it, where a layout set it
        let label = TRAILING_NUMBER.find(label).map_or(label, |m| &label[..m.start()]);
        // blanks left for the supplier ("________", "......") hold nothing
        let value = if value.chars().all(|c| matches!(c, '_' | '.' | '-' | ' ')) {
            ""
        } else {
            value
        };
        // a label with figures is no field's name ("Nitrile gloves 100's | 5")
        let role = if label.chars().any(|c| c.is_ascii_digit()) {
            Role::Other
        } else {
            header::role(label).unwrap_or(Role::Other)
        };
        named += usize::from(role != Role::Other);
        match FIELD_IN_VALUE.captures(value) {
            Some(c)
                if header::role(&c["label"]).is_some_and(|r| r != Role::Other)
                    && c.name("value").is_some_and(|v| !v.as_str().contains(':')) =>
            {
                let (value, label2, next) = (c.name("value"), c.name("label"), c.name("next"));
                let (Some(value), Some(label2), Some(next)) = (value, label2, next) else {
                    continue;
                };
                fields.push((role, label, value.as_str()));
                let role2 = header::role(label2.as_str()).unwrap_or(Role::Other);
                fields.push((role2, label2.as_str(), next.as_str()));
            }
            _ => fields.push((role, label, value)),
        }
    }
    let has = |r: Role| fields.iter().any(|(role, ..)| *role == r);
    // most labels a column's name ("Remarks" is one we do not read), a description and a
    // quantity among them
    if fields.len() < 3 || named * 2 < fields.len() || !has(Role::Description) || !has(Role::Quantity) {
        return None;
    }
    let mut out = Vec::new();
    let mut record = Record::default();
    for (role, label, value) in fields {
        if matches!(role, Role::Description | Role::Quantity) && record.has(role) {
            out.extend(record.item());
            record = Record::default();
        }
        record.take(role, label, value);
    }
    out.extend(record.item());
    (!out.is_empty()).then_some(out)
}

#[derive(Default)]
struct Record<'a> {
    description: Option<&'a str>,
    qualifiers: Vec<&'a str>,
    quantity: Option<(crate::domain::Quantity, Option<&'static str>)>,
    unit: Option<&'static str>,
    seen_quantity: bool,
}

impl<'a> Record<'a> {
    fn has(&self, role: Role) -> bool {
        match role {
            Role::Description => self.description.is_some(),
            Role::Quantity => self.seen_quantity,
            _ => false,
        }
    }

    fn take(&mut self, role: Role, label: &str, value: &'a str) {
        match role {
            Role::Description if !value.is_empty() => self.description = Some(value),
            // a specification written out in sentences is the salesperson's to read, not
            // part of the product's name ("Direct drive, 24 litre receiver, 230V …")
            Role::Attribute if is_prose_specification(label, value) => {}
            Role::Attribute if !value.is_empty() && value != "-" => self.qualifiers.push(value),
            Role::Quantity => {
                self.seen_quantity = true;
                self.quantity = quantity::cell(value);
            }
            Role::Unit => self.unit = units::canonical_any(value),
            _ => {}
        }
    }

    fn item(&self) -> Option<Requirement> {
        let (q, unit) = self.quantity?;
        let mut description = self.description?.to_string();
        for q in &self.qualifiers {
            description = format!("{description}; {q}");
        }
        Requirement::new(&description, q, self.unit.or(unit).unwrap_or("pcs"))
    }
}

/// A specification or details field written in words, six or more without figures (not
/// "Metz A24, 405 x 3 x 25.4 mm").
fn is_prose_specification(label: &str, value: &str) -> bool {
    let label = label.to_ascii_lowercase();
    let words = value
        .split_whitespace()
        .filter(|w| w.chars().any(char::is_alphabetic) && !w.chars().any(|c| c.is_ascii_digit()))
        .count();
    (label.contains("spec") || label.contains("detail")) && words >= 6
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::requirements::grid as rows;

    #[test]
    fn a_specification_sheet_is_one_item() {
        let got = items(&rows(&[
            &["Item No.", "1"],
            &["Description", "Flammable liquid safety cabinet, 30 gallon"],
            &["Technical Specification", "Justrite Sure-Grip EX, yellow"],
            &["Quantity", "2"],
            &["Unit of Measure", "units"],
            &["Remarks", "-"],
            &["Item No.", "2"],
            &["Description", "Bund pallet for 4 drums"],
            &["Quantity", "3 pcs"],
        ]))
        .expect("records");
        let got: Vec<(&str, String, &str)> = got
            .iter()
            .map(|r| (r.description.as_str(), r.quantity.to_string(), r.unit.as_str()))
            .collect();
        assert_eq!(
            got,
            vec![
                (
                    "Flammable liquid safety cabinet, 30 gallon; Justrite Sure-Grip EX, yellow",
                    "2".to_string(),
                    "units"
                ),
                ("Bund pallet for 4 drums", "3".to_string(), "pcs"),
            ]
        );
    }

    #[test]
    fn numbered_records_with_the_unit_beside_the_quantity() {
        let got = items(&rows(&[
            &["Description", "Michelin 2.0HP 24L air compressor MB24"],
            &[
                "Specification",
                "Direct drive, 24 litre receiver, 230V single phase. For tyre inflation at the estate workshop.",
            ],
            &["Quantity", "1 Unit of Measure: Unit"],
            &["Offered brand / model", "_______________________________"],
            &["Unit price (S$, excl. GST) Item 2", "_______________"],
            &["Description", "DeWalt DCM562N 18V brushless outdoor blower (bare)"],
            &["Specification", "Bare unit"],
            &["Quantity", "2 Unit of Measure: Set"],
            &["Item 3 Description", "Safety helmet, white"],
            &["Quantity", "10"],
        ]))
        .expect("records");
        let got: Vec<(&str, String, &str)> = got
            .iter()
            .map(|r| (r.description.as_str(), r.quantity.to_string(), r.unit.as_str()))
            .collect();
        assert_eq!(
            got,
            vec![
                ("Michelin 2.0HP 24L air compressor MB24", "1".to_string(), "units"),
                (
                    "DeWalt DCM562N 18V brushless outdoor blower (bare); Bare unit",
                    "2".to_string(),
                    "sets"
                ),
                ("Safety helmet, white", "10".to_string(), "pcs"),
            ]
        );
    }

    #[test]
    fn a_list_of_items_is_no_record() {
        assert!(
            items(&rows(&[
                &["Item", "Qty"],
                &["Nitrile gloves", "5"],
                &["Face shield", "2"]
            ]))
            .is_none()
        );
        assert!(items(&rows(&[&["Description", "Qty", "Unit"], &["Gloves", "5", "pairs"]])).is_none());
        // a form of two columns whose labels are mostly not a table's
        assert!(
            items(&rows(&[
                &["Description", "Site survey"],
                &["Quantity", "1"],
                &["Requested by", "Tan"],
                &["Approved by", "Lim"],
                &["Department", "Estates"],
            ]))
            .is_none()
        );
    }
}
