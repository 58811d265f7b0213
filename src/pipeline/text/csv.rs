//! CSV with delimiter sniffing (`,` `;` tab `|`) and encoding detection.

use super::{Block, Limits, TextError, decode};

pub(super) fn extract(name: &str, bytes: &[u8], limits: &Limits) -> Result<Vec<Block>, TextError> {
    let text = decode::decode_limited(name, bytes, limits.max_text_bytes)?;
    let delimiter = sniff_delimiter(&text);
    let mut reader = ::csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    let mut size = 0usize;
    for record in reader.records() {
        let record = record.map_err(|e| TextError::Corrupt {
            name: name.into(),
            format: "CSV",
            detail: e.to_string(),
        })?;
        let row: Vec<String> = record.iter().map(|c| c.trim().to_string()).collect();
        // the reader skips blank lines; a record after them starts (by its position) on one
        let after_blank = record
            .position()
            .and_then(|p| usize::try_from(p.byte()).ok())
            .and_then(|b| text.as_bytes().get(b))
            .is_some_and(|c| matches!(c, b'\n' | b'\r'));
        if after_blank && rows.last().is_some_and(|r: &Vec<String>| !r.is_empty()) {
            rows.push(Vec::new());
        }
        // blank lines collapse into one empty row: it ends a wrapped description ("…" / "" /
        // "Delivery to farm office" is a note, not more of the last item)
        if row.iter().all(String::is_empty) {
            if rows.last().is_some_and(|r: &Vec<String>| !r.is_empty()) {
                rows.push(Vec::new());
            }
            continue;
        }
        size += row.iter().map(String::len).sum::<usize>();
        if size > limits.max_text_bytes {
            return Err(TextError::TooMuchText {
                name: name.into(),
                limit: limits.max_text_bytes,
            });
        }
        rows.push(row);
    }
    if rows.last().is_some_and(Vec::is_empty) {
        rows.pop();
    }
    Ok(vec![Block::Table { rows }])
}

/// The delimiter that splits the first lines into the most consistent number of fields:
/// the most lines agreeing on one non-zero count, weighed by the fields they make, wins.
/// Title lines above the header ("ACME Pte Ltd - Request for Quotation, ref …") have their
/// own commas and do not decide, nor does one decimal comma per line of a semicolon export
/// ("…;1.200,000;PC;…").
fn sniff_delimiter(text: &str) -> u8 {
    let sample: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).take(30).collect();
    let mut best = (b',', (0usize, 0usize));
    for d in [b',', b';', b'\t', b'|'] {
        let counts: Vec<usize> = sample.iter().map(|l| count_outside_quotes(l, d)).collect();
        let mut tally: std::collections::BTreeMap<usize, usize> = std::collections::BTreeMap::new();
        for c in counts.iter().filter(|c| **c > 0) {
            *tally.entry(*c).or_default() += 1;
        }
        let Some((fields, agreeing)) = tally.into_iter().max_by_key(|(c, n)| (*n, *c)) else {
            continue;
        };
        let score = (agreeing * (fields + 1), fields);
        if score > best.1 {
            best = (d, score);
        }
    }
    best.0
}

fn count_outside_quotes(line: &str, d: u8) -> usize {
    let mut quoted = false;
    line.bytes()
        .filter(|b| {
            if *b == b'"' {
                quoted = !quoted;
            }
            !quoted && *b == d
        })
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(bytes: &[u8]) -> Vec<Vec<String>> {
        match extract("a.csv", bytes, &Limits::default()).expect("parses").remove(0) {
            Block::Table { rows } => rows,
            other => panic!("not a table: {other:?}"),
        }
    }

    #[test]
    fn comma_with_quotes_and_grouped_numbers() {
        let r = rows(b"No.,Description,Qty\n1,\"BALL VALVE 1/4\"\" (x)\",\"1,000\"\n");
        assert_eq!(r[1], vec!["1", "BALL VALVE 1/4\" (x)", "1,000"]);
    }

    #[test]
    fn semicolon_and_tab_are_sniffed() {
        assert_eq!(
            rows(b"No;Item;Qty\n1;Gloves, nitrile;20\n")[1],
            vec!["1", "Gloves, nitrile", "20"]
        );
        assert_eq!(rows(b"No\tItem\tQty\n1\tGloves\t20\n")[1], vec!["1", "Gloves", "20"]);
    }

    #[test]
    fn title_lines_with_commas_do_not_decide_the_delimiter() {
        let r = rows(
            b"ACME Pte Ltd, Request for Quotation, ref Q-1\nBy: Tan, Purchasing\nNo;Item;Qty\n1;Gloves, nitrile;20\n2;Mop;3\n",
        );
        assert_eq!(r[3], vec!["1", "Gloves, nitrile", "20"]);
    }

    #[test]
    fn decimal_commas_in_a_semicolon_export_do_not_decide_the_delimiter() {
        let r = rows(
            b"Daftar Permintaan Pembelian\nPT Batam, Gudang GD01\nPemohon: Hendra (h@b.co.id, +62 778)\nNo. PR;Item;Deskripsi;Jumlah;Satuan\n1005;00010;BATU POTONG 9IN;1.200,000;PC\n1005;00020;HELM SAFETY;60,000;PC\n",
        );
        assert_eq!(r[4], vec!["1005", "00010", "BATU POTONG 9IN", "1.200,000", "PC"]);
    }

    #[test]
    fn windows_1252_is_decoded() {
        assert_eq!(rows(b"Item;Qty\nCaster 5\x94;4\n")[1], vec!["Caster 5”", "4"]);
    }

    /// A blank line the reader skips still ends the table's rows: what follows is a note, not
    /// more of the last description. A newline inside a quoted cell is no blank line.
    #[test]
    fn a_blank_line_is_an_empty_row() {
        let r = rows(b"No,Item,Qty\n1,Gloves,20\n\n,Requested by Tan - tan@acme.sg\n");
        assert_eq!(r[2], Vec::<String>::new());
        assert_eq!(r[3], vec!["", "Requested by Tan - tan@acme.sg"]);
        let r = rows(b"No,Item,Qty\n1,\"Gloves\nnitrile\",20\n2,Mop,3\n");
        assert_eq!(r.len(), 3);
    }
}
