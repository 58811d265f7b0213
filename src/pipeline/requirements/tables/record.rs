//! A table that is one item's record, a field per row: "Item No. | 1", "Description |
//! Flammable liquid safety cabinet", "Technical Specification | Justrite Sure-Grip EX",
//! "Quantity | 2", "Unit of Measure | units" (a request's specification sheets). Several
//! records may follow one another in one table; a field seen again begins the next.

use super::{Role, header};
use crate::pipeline::requirements::{Requirement, quantity, units};

/// The items of a table of records, or None when the table is not one.
pub(super) fn items(rows: &[Vec<String>]) -> Option<Vec<Requirement>> {
    let mut fields: Vec<(Role, &str)> = Vec::new();
    let mut named = 0usize;
    for row in rows {
        let cells: Vec<&str> = row.iter().map(|c| c.trim()).filter(|c| !c.is_empty()).collect();
        let (label, value) = match cells.as_slice() {
            [] => continue,
            [label] => (*label, ""),
            [label, value] => (*label, *value),
            _ => return None,
        };
        if label.chars().any(|c| c.is_ascii_digit()) {
            return None;
        }
        let role = header::role(label).unwrap_or(Role::Other);
        named += usize::from(role != Role::Other);
        fields.push((role, value));
    }
    let has = |r: Role| fields.iter().any(|(role, _)| *role == r);
    // most labels a column's name ("Remarks" is one we do not read), a description and a
    // quantity among them
    if fields.len() < 3 || named * 2 < fields.len() || !has(Role::Description) || !has(Role::Quantity) {
        return None;
    }
    let mut out = Vec::new();
    let mut record = Record::default();
    for (role, value) in fields {
        if matches!(role, Role::Description | Role::Quantity) && record.has(role) {
            out.extend(record.item());
            record = Record::default();
        }
        record.take(role, value);
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

    fn take(&mut self, role: Role, value: &'a str) {
        match role {
            Role::Description if !value.is_empty() => self.description = Some(value),
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

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(r: &[&[&str]]) -> Vec<Vec<String>> {
        r.iter().map(|r| r.iter().map(|c| c.to_string()).collect()).collect()
    }

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
