//! A price schedule that names its items only by number: a tender's "Item | Ref. clause | Qty |
//! Unit | Unit Price" table whose descriptions stand in the specification above it ("2.1
//! Item 1: Combination safety shower and eye wash …"). The table's rows take the description
//! their number or clause refers to.

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;

use crate::pipeline::text::Block;

/// A line defining an item: its clause number, if any, then "Item N" and the description
/// ("2.1  Item 1: Combination safety shower …", "Item 3 - Chemical spill kit").
static DEFINITION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(?:(?P<clause>\d{1,2}(?:\.\d{1,2}){1,2})\.?\s+)?(?:item|line)\s*(?:no\.?\s*)?(?P<n>\d{1,3})\s*[:.)\-–]\s*(?P<d>\S.{3,})$")
        .expect("regex")
});

/// A clause's number opening a line ("2.1.2 Supplied with …").
static CLAUSE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^\s*(\d{1,2}(?:\.\d{1,2}){1,3})\.?\s").expect("regex"));

/// The items the document's lines define: by "item:N" and by "clause:2.1"; and the text of
/// their definitions and sub-clauses.
#[derive(Debug, Default)]
pub(super) struct Definitions {
    /// Descriptions by "item:N" and "clause:2.1".
    by_ref: HashMap<String, String>,
    /// The definitions' lines and their sub-clauses, as written.
    texts: Vec<String>,
}

impl Definitions {
    pub(super) fn of(blocks: &[Block]) -> Self {
        let mut map = HashMap::new();
        let mut texts = Vec::new();
        let mut clauses: Vec<String> = Vec::new();
        for block in blocks {
            let (Block::Line { text } | Block::ListItem { text }) = block else {
                continue;
            };
            // a sub-clause of a definition ("2.1.2 Supplied with 1 no. 5 m suction hose")
            if let Some(c) = CLAUSE.captures(text)
                && clauses.iter().any(|k| c[1].starts_with(&format!("{k}.")))
            {
                texts.push(text.clone());
                continue;
            }
            let Some(c) = DEFINITION.captures(text) else {
                continue;
            };
            texts.push(text.clone());
            let description = c["d"].trim().trim_end_matches('.').to_string();
            if let Some(clause) = c.name("clause") {
                map.insert(format!("clause:{}", clause.as_str()), description.clone());
                clauses.push(clause.as_str().to_string());
            }
            map.insert(format!("item:{}", c["n"].trim_start_matches('0')), description);
        }
        Self { by_ref: map, texts }
    }

    fn get(&self, cell: &str) -> Option<&String> {
        let cell = cell.trim().trim_end_matches('.');
        if cell.contains('.') {
            self.by_ref.get(&format!("clause:{cell}"))
        } else {
            self.by_ref.get(&format!("item:{}", cell.trim_start_matches('0')))
        }
    }

    /// Whether an item read from a line is the definition of one of these items ("Item 3:
    /// Zeca hose reel, 10 mm ID x 24 m" read as 24 m): the schedule gives its quantity.
    pub(super) fn defines(&self, description: &str) -> bool {
        let d = description.trim();
        // the schedule's own rows carry the definitions' descriptions
        if self.by_ref.values().any(|v| v == d) {
            return false;
        }
        DEFINITION.captures(d).is_some_and(|c| {
            self.by_ref
                .contains_key(&format!("item:{}", c["n"].trim_start_matches('0')))
        }) || (d.len() >= 4 && self.texts.iter().any(|t| t.contains(d)))
    }

    pub(super) fn is_empty(&self) -> bool {
        self.by_ref.is_empty()
    }

    /// The table with a "Description" column from the definitions its rows refer to, when
    /// no row describes itself (no cell of words) and every row's reference is defined (two
    /// rows at least); None otherwise.
    pub(super) fn described(&self, rows: &[Vec<String>]) -> Option<Vec<Vec<String>>> {
        let (header, body) = rows.split_first()?;
        // rows with a figure (a "Total (SGD)" row has none)
        let figure = |c: &String| {
            let c = c.trim();
            !c.is_empty() && c.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        };
        let body: Vec<&Vec<String>> = body.iter().filter(|r| r.iter().any(figure)).collect();
        if body.len() < 2 || self.is_empty() {
            return None;
        }
        // a row describing itself has a cell of two words or more of letters
        let wordy = |c: &String| {
            c.split_whitespace()
                .filter(|w| w.chars().filter(|ch| ch.is_alphabetic()).count() >= 3)
                .count()
                >= 2
        };
        if body.iter().any(|r| r.iter().any(wordy)) {
            return None;
        }
        // the clause column first (it says more), then the item numbers
        let width = header.len();
        let refers = |col: usize| body.iter().all(|r| r.get(col).is_some_and(|c| self.get(c).is_some()));
        let clause_col =
            (0..width).find(|&c| body.iter().all(|r| r.get(c).is_some_and(|v| v.contains('.'))) && refers(c));
        let col = clause_col.or_else(|| (0..width).find(|&c| refers(c)))?;
        let mut out = Vec::with_capacity(rows.len());
        let mut head = header.clone();
        head.push("Description".to_string());
        out.push(head);
        for row in body {
            let mut r = row.clone();
            r.resize(width, String::new());
            r.push(self.get(&row[col])?.clone());
            out.push(r);
        }
        Some(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::requirements::grid as rows;

    fn line(t: &str) -> Block {
        Block::Line { text: t.to_string() }
    }

    #[test]
    fn a_schedule_of_numbers_takes_the_descriptions_its_rows_refer_to() {
        let defs = Definitions::of(&[
            line("1.1 Quotations shall be in SGD, exclusive of GST."),
            line("2.1  Item 1: Combination safety shower and eye wash (Terysafe SS-S250 or equivalent)"),
            line("2.1.1  Floor-mounted, SS304 construction."),
            line("2.2  Item 2: Flammable liquid safety cabinet, 30 gallon"),
            line("2.3  Item 3: 3M 6800 full facepiece respirator, medium"),
        ]);
        let table = rows(&[
            &["Item", "Ref. clause", "Qty", "Unit", "Unit Price (S$)"],
            &["1", "2.1", "1", "set", ""],
            &["2", "2.2", "3", "units", ""],
        ]);
        let got = defs.described(&table).expect("described");
        assert_eq!(got[0].last().map(String::as_str), Some("Description"));
        assert_eq!(
            got[1].last().map(String::as_str),
            Some("Combination safety shower and eye wash (Terysafe SS-S250 or equivalent)")
        );
        assert_eq!(
            got[2].last().map(String::as_str),
            Some("Flammable liquid safety cabinet, 30 gallon")
        );
        // by item number alone
        let table = rows(&[
            &["No.", "Qty", "UOM", "Total"],
            &["1", "1", "set", ""],
            &["2", "3", "units", ""],
            &["3", "6", "pcs", ""],
            &["", "", "Total (SGD)", ""],
        ]);
        assert_eq!(defs.described(&table).map(|t| t.len()), Some(4));
        // the definition read as an item line is the schedule's
        assert!(defs.defines("Item 2: Flammable liquid safety cabinet, 30 gallon"));
        assert!(!defs.defines("Item 9: Ear plugs x 20"));
        // and so are its sub-clauses' figures
        assert!(defs.defines("Floor-mounted, SS304 construction"));
        assert!(!defs.defines("Flammable liquid safety cabinet, 30 gallon"));
    }

    #[test]
    fn a_table_that_describes_itself_or_refers_to_nothing_defined_is_left_alone() {
        let defs = Definitions::of(&[line("Item 1: Safety shower"), line("Item 2: Safety cabinet")]);
        let described = rows(&[
            &["No.", "Description", "Qty"],
            &["1", "Nitrile gloves", "5"],
            &["2", "Ear plugs", "9"],
        ]);
        assert!(defs.described(&described).is_none());
        let undefined = rows(&[&["No.", "Qty", "UOM"], &["1", "1", "set"], &["7", "3", "units"]]);
        assert!(defs.described(&undefined).is_none());
        assert!(Definitions::default().described(&undefined).is_none());
    }
}
