//! A header cell set beside its column: a left-aligned "Qty" over right-aligned figures
//! (plain text, a PDF) comes out as a header over an empty column next to a column of
//! values without a header. The two are one column.

use std::borrow::Cow;

use super::header;

/// The rows with every header cell that heads an empty column moved over the unheaded
/// column of values beside it, the empty column dropped; unchanged when there is none.
pub(super) fn joined(rows: &[Vec<String>]) -> Cow<'_, [Vec<String>]> {
    let Some(h) = rows.iter().take(15).position(|r| header::is_header_row(r)) else {
        return Cow::Borrowed(rows);
    };
    let body = &rows[h + 1..];
    if body.is_empty() {
        return Cow::Borrowed(rows);
    }
    let cell = |r: &Vec<String>, c: usize| r.get(c).is_some_and(|t| !t.trim().is_empty());
    let width = rows.iter().map(Vec::len).max().unwrap_or(0);
    let empty = |c: usize| body.iter().all(|r| !cell(r, c));
    let valued = |c: usize| 2 * body.iter().filter(|r| cell(r, c)).count() >= body.len();
    let headed = |c: usize| cell(&rows[h], c);
    // (column kept, column dropped)
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    let mut c = 0;
    while c + 1 < width {
        let (a, b) = (c, c + 1);
        if headed(a) && !headed(b) && empty(a) && valued(b) {
            pairs.push((b, a));
        } else if !headed(a) && headed(b) && valued(a) && empty(b) {
            pairs.push((a, b));
        } else {
            c += 1;
            continue;
        }
        c += 2;
    }
    if pairs.is_empty() {
        return Cow::Borrowed(rows);
    }
    let dropped: Vec<usize> = pairs.iter().map(|p| p.1).collect();
    let out = rows
        .iter()
        .enumerate()
        .map(|(i, row)| {
            let mut row = row.clone();
            if i == h {
                for &(kept, gone) in &pairs {
                    if let Some(label) = row.get(gone).cloned()
                        && kept < row.len()
                    {
                        row[kept] = label;
                    }
                }
            }
            row.into_iter()
                .enumerate()
                .filter(|(c, _)| !dropped.contains(c))
                .map(|(_, t)| t)
                .collect()
        })
        .collect();
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::requirements::grid as rows;

    #[test]
    fn a_header_beside_its_right_aligned_figures_heads_them() {
        let table = rows(&[
            &["No.", "Item", "Qty", "", "Unit"],
            &["1.", "Kao Bleach 1500ml", "", "48", "btl"],
            &["2.", "Nylon hand brush", "", "30", "pcs"],
        ]);
        let got = joined(&table);
        assert_eq!(
            got.as_ref(),
            rows(&[
                &["No.", "Item", "Qty", "Unit"],
                &["1.", "Kao Bleach 1500ml", "48", "btl"],
                &["2.", "Nylon hand brush", "30", "pcs"],
            ])
        );
        let table = rows(&[&["No.", "", "Description", "Qty"], &["1", "Nitrile gloves", "", "5"]]);
        let got = joined(&table);
        assert_eq!(
            got.as_ref(),
            rows(&[&["No.", "Description", "Qty"], &["1", "Nitrile gloves", "5"]])
        );
    }

    #[test]
    fn columns_in_their_place_stay() {
        let table = rows(&[
            &["No.", "Item", "Qty", "Remarks"],
            &["1.", "Kao Bleach 1500ml", "48", ""],
            &["2.", "Nylon hand brush", "30", ""],
        ]);
        assert!(matches!(joined(&table), Cow::Borrowed(_)));
    }
}
