//! A list printed in two (or more) columns side by side to save paper: the header repeats
//! its group of cells ("ITEM | QTY | ITEM | QTY", "Barang / Item | Kuantiti | Barang / Item |
//! Kuantiti"), sometimes with a ruled gutter between ("|"). Each group is a table of its own;
//! stacking them one under the other gives the table the rest of the reader knows.

use super::{Role, header};

/// Header rows are looked for among the first rows only, as `find_layout` does.
const HEADER_WITHIN: usize = 15;

/// The rows with the groups of a side-by-side list stacked (the left group's rows first), or
/// None when no header row repeats a group that names a description and a quantity.
pub(super) fn stacked(rows: &[Vec<String>]) -> Option<Vec<Vec<String>>> {
    (0..rows.len().min(HEADER_WITHIN)).find_map(|at| {
        let (width, gutter, groups) = repeated_group(&rows[at])?;
        let stride = width + gutter;
        let mut out: Vec<Vec<String>> = rows[..at].to_vec();
        out.push(rows[at][..width].iter().map(|c| bare(c).to_string()).collect());
        for g in 0..groups {
            let from = g * stride;
            for row in &rows[at + 1..] {
                let part: Vec<String> = (from..from + width)
                    .map(|c| row.get(c).map_or("", |t| bare(t)).to_string())
                    .collect();
                if part.iter().any(|c| !c.trim().is_empty()) {
                    out.push(part);
                }
            }
        }
        Some(out)
    })
}

/// A header row made of one group of cells repeated: the group's width, the gutter's width
/// (0 or 1 cells that are empty or a rule) and how many groups.
fn repeated_group(row: &[String]) -> Option<(usize, usize, usize)> {
    let cells: Vec<&str> = row.iter().map(|c| bare(c)).collect();
    let last = cells.iter().rposition(|c| !c.is_empty())?;
    let cells = &cells[..=last];
    for width in 2..=cells.len() / 2 {
        let group = &cells[..width];
        let roles = header::single(&row[..width]);
        if !roles.contains(&Some(Role::Description)) || !roles.contains(&Some(Role::Quantity)) {
            continue;
        }
        for gutter in 0..=1 {
            if !cells[width..(width + gutter).min(cells.len())]
                .iter()
                .all(|c| is_rule(c))
            {
                continue;
            }
            let stride = width + gutter;
            let groups = (cells.len() + gutter) / stride;
            let whole = groups >= 2 && groups * stride == cells.len() + gutter;
            let same = (1..groups).all(|g| {
                let part = &cells[g * stride..g * stride + width];
                part.iter().zip(group).all(|(a, b)| a.eq_ignore_ascii_case(b))
                    && (g + 1 == groups || cells[g * stride + width..(g + 1) * stride].iter().all(|c| is_rule(c)))
            });
            if whole && same {
                return Some((width, gutter, groups));
            }
        }
    }
    None
}

/// A cell without the rule of a gutter drawn against it ("| ITEM").
fn bare(cell: &str) -> &str {
    cell.trim().trim_matches(is_rule_char).trim()
}

fn is_rule_char(c: char) -> bool {
    matches!(c, '|' | '¦' | '│')
}

/// A gutter cell: empty or a drawn rule ("|", "||", "¦").
fn is_rule(cell: &str) -> bool {
    cell.chars().all(|c| is_rule_char(c) || c == ' ')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(text: &[&[&str]]) -> Vec<Vec<String>> {
        text.iter().map(|r| r.iter().map(|c| c.to_string()).collect()).collect()
    }

    #[test]
    fn two_lists_side_by_side_are_stacked() {
        let table = rows(&[
            &["ITEM", "QTY", "|", "ITEM", "QTY"],
            &["Mop c/w handle #270", "10 pcs", "|", "Plastic pail 2 gal", "10 pcs"],
            &["Mosquito coil (box)", "20 box", "|", "", ""],
        ]);
        assert_eq!(
            stacked(&table),
            Some(rows(&[
                &["ITEM", "QTY"],
                &["Mop c/w handle #270", "10 pcs"],
                &["Mosquito coil (box)", "20 box"],
                &["Plastic pail 2 gal", "10 pcs"],
            ]))
        );
        // the gutter's rule read into the next cell
        let table = rows(&[
            &["ITEM", "QTY", "| ITEM", "QTY"],
            &[
                "Weicon W44T multi-spray 400ml",
                "24 cans",
                "| Ear muffs, headband type",
                "20 pcs",
            ],
        ]);
        assert_eq!(
            stacked(&table),
            Some(rows(&[
                &["ITEM", "QTY"],
                &["Weicon W44T multi-spray 400ml", "24 cans"],
                &["Ear muffs, headband type", "20 pcs"],
            ]))
        );
        // no gutter, a title row above
        let table = rows(&[
            &["Monthly order", "", "", ""],
            &["Barang / Item", "Kuantiti", "Barang / Item", "Kuantiti"],
            &["Dettol antiseptic 1L", "12 btl", "Kiwi shoe brush", "5 pcs"],
        ]);
        assert_eq!(
            stacked(&table),
            Some(rows(&[
                &["Monthly order", "", "", ""],
                &["Barang / Item", "Kuantiti"],
                &["Dettol antiseptic 1L", "12 btl"],
                &["Kiwi shoe brush", "5 pcs"],
            ]))
        );
    }

    #[test]
    fn a_header_that_repeats_no_item_group_is_left_alone() {
        // quantities per month: "Qty" repeats, the description does not
        let table = rows(&[&["Description", "Qty", "Qty", "Qty"], &["Gloves", "1", "2", "3"]]);
        assert_eq!(stacked(&table), None);
        let table = rows(&[&["S/N", "Description", "Qty", "Unit"], &["1", "Gloves", "2", "pr"]]);
        assert_eq!(stacked(&table), None);
    }
}
