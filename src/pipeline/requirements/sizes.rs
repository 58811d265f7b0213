//! Quantities given per size: a product ordered in several sizes, each its own item. A table
//! may give one quantity column per size ("Description | S | M | L | XL | Total", "Item | 6 |
//! 7 | 8 | 9"); a line may list them ("Safety boots Bata 805: UK7 x 6 prs; UK8 x 12 prs",
//! "coverall M-20, L-30, XL-10", "gloves sizes 8 (10 pairs), 9 (5 pairs)").

use std::sync::LazyLock;

use regex::Regex;

use super::{Requirement, units};
use crate::domain::Quantity;

/// A size as a column header or a list entry: a shoe, glove or garment size, perhaps with its
/// system ("UK8", "EU 42") or the word size ("Size 9", "Sz. L"). Its groups are named with
/// `n` after them, so that one pattern can hold it twice.
fn label(n: &str) -> String {
    format!(
        r"(?:(?P<sys{n}>uk|eu|us)\s?(?P<sysv{n}>\d{{1,2}}(?:\.5)?)|(?:(?P<kw{n}>size|sz)\s*[:.\-]?\s*)?(?P<v{n}>\d{{1,2}}(?:\.5)?|x{{0,3}}[sl]|m|[2-6]xl|small|medium|large|x-large|xx-large))"
    )
}

static HEADER_LABEL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!(r"(?i)^\s*{}\s*$", label(""))).expect("regex"));

/// A unit of count after an entry's quantity ("6 prs", "10 pairs", "20 pcs").
const UNIT: &str = r"(?:\s*(?P<u>pairs?|prs?|pcs?|pieces?|nos?|ea|each|sets?|units?|box(?:es)?|bx|pkts?|packs?|rolls?|btls?|bottles?|cans?|ctns?|cartons?|bags?|dozen|doz))?";

/// One entry of a list of sizes, after the list's start or a separator: "UK7 x 6 prs", "M-20",
/// "L: 30", "8 (10 pairs)", "6 prs x UK7", "10 pairs in size 8".
static ENTRY: LazyLock<Regex> = LazyLock::new(|| {
    let label_first = format!(
        r"{}\s*(?:[x×*:=@]|-|–|\bqty\b)\s*(?P<q1>\d{{1,5}}){}\b\.?",
        label("1"),
        UNIT.replace("?P<u>", "?P<u1>")
    );
    let bracketed = format!(
        r"{}\s*\(\s*(?P<q2>\d{{1,5}}){}\s*\)",
        label("2"),
        UNIT.replace("?P<u>", "?P<u2>")
    );
    let quantity_first = format!(
        r"(?P<fq>\d{{1,5}}){}\s*(?:[x×*]|in|of|@)?\s*(?:size|sz)\.?\s*[:.]?\s*(?P<fv>\d{{1,2}}(?:\.5)?|[xX]{{0,3}}[sSlL]|[mM]|[2-6][xX][lL])\b",
        UNIT.replace("?P<u>", "?P<fu>")
    );
    Regex::new(&format!(
        r"(?i)^(?:\s*(?:[,;/&+]|\band\b)\s*)?\s*(?:{label_first}|{bracketed}|{quantity_first})"
    ))
    .expect("regex")
});

/// Words between the product and its list of sizes: "Safety boots — sizes:", "coverall in
/// sizes", "gloves, size".
static LEAD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:[\s,:;(–—-]*\b(?:in\s+)?(?P<kw>sizes?|sz\.?|size\s+breakdown|breakdown)\b)?[\s,:;(–—-]*$")
        .expect("regex")
});

/// The words a size adds to its product's description: "size 8", "UK8", "size XL".
fn label_text(system: Option<regex::Match<'_>>, value: &str) -> String {
    match system {
        Some(sys) => format!("{}{}", sys.as_str().to_ascii_uppercase(), value),
        None => format!("size {}", value.to_ascii_uppercase()),
    }
}

/// A header cell that names a size: the words it adds to a description ("S" → "size S",
/// "UK 8" → "UK8").
pub(super) fn header_label(cell: &str) -> Option<String> {
    let c = HEADER_LABEL.captures(cell)?;
    let value = c.name("sysv").or_else(|| c.name("v"))?.as_str();
    Some(label_text(c.name("sys"), value))
}

/// The size labels of a header row's cells, where the row names two or more sizes side by
/// side; numbered sizes must count up ("6 | 7 | 8", not "2026 | 1 | 30").
pub(super) fn header_labels(row: &[String]) -> Vec<Option<String>> {
    let labels: Vec<Option<String>> = row.iter().map(|c| header_label(c)).collect();
    let numbers: Vec<f64> = row
        .iter()
        .zip(&labels)
        .filter(|(_, l)| l.is_some())
        .filter_map(|(c, _)| {
            c.trim()
                .trim_start_matches(|ch: char| ch.is_alphabetic() || ch.is_whitespace() || ch == ':' || ch == '.')
                .parse::<f64>()
                .ok()
        })
        .collect();
    let counting_up = numbers.windows(2).all(|w| w[0] < w[1]);
    // the sizes sit side by side ("S | M | L", not "1 | Gloves | 6")
    let at: Vec<usize> = labels
        .iter()
        .enumerate()
        .filter(|(_, l)| l.is_some())
        .map(|(i, _)| i)
        .collect();
    let side_by_side = at.windows(2).all(|w| w[1] == w[0] + 1);
    if at.len() >= 2 && counting_up && side_by_side {
        labels
    } else {
        vec![None; row.len()]
    }
}

/// A product and its size: "Safety boot KWD805" + "size 8" → "Safety boot KWD805 size 8".
pub(super) fn sized(description: &str, label: &str) -> String {
    format!("{} {label}", description.trim())
}

/// A line that orders one product in several sizes: one item per size. The product may be
/// on the line before ("Safety boots Bata 805" / "UK7 x 6 prs, UK8 x 12 prs"): the items are
/// then the sizes alone, for the caller to join to it. A bare number is a size only where the
/// line says so ("sizes 8 (10 pairs), 9 (5 pairs)").
pub(super) fn breakdown(line: &str) -> Option<Vec<Requirement>> {
    breakdown_in(&super::lines::without_marker(line), false)
}

/// As [`breakdown`], for a text whose context already says it gives sizes (a table column
/// headed "Sizes & Qty" holding "8 (10 prs), 9 (15 prs)").
pub(super) fn breakdown_in(line: &str, said_size: bool) -> Option<Vec<Requirement>> {
    // two entries hold two quantities: most lines are passed over here
    let numbers = line
        .as_bytes()
        .windows(2)
        .filter(|w| w[1].is_ascii_digit() && !w[0].is_ascii_digit())
        .count()
        + usize::from(line.starts_with(|c: char| c.is_ascii_digit()));
    if numbers < 2 {
        return None;
    }
    // where a list of two or more entries reaching the end of the line begins: a word that
    // can start a size or a quantity
    let can_start = |c: char| c.is_ascii_digit() || matches!(c.to_ascii_lowercase(), 'u' | 'e' | 's' | 'x' | 'l' | 'm');
    let starts = std::iter::once(0).chain(line.char_indices().filter_map(|(i, c)| {
        let prev = line[..i].chars().next_back();
        (can_start(c) && prev.is_some_and(|p| !p.is_alphanumeric())).then_some(i)
    }));
    for start in starts {
        let Some(entries) = entries(&line[start..]) else {
            continue;
        };
        let head = &line[..start];
        let (lead, lead_says_size) = LEAD
            .captures(head)
            .and_then(|c| Some((c.get(0)?.start(), c.name("kw").is_some())))
            .unwrap_or((head.len(), false));
        let product = &head[..lead];
        let numeric = entries.iter().any(|e| e.bare_number);
        if numeric && !said_size && !lead_says_size && !entries.iter().all(|e| e.keyword) {
            continue;
        }
        // "Safety boots, 30 prs: UK7 x 10, UK8 x 20": the total said before the sizes goes
        let total: u32 = entries.iter().map(|e| e.quantity).sum();
        let product = match super::lines::item(product) {
            Some(r) if r.quantity == rust_decimal::Decimal::from(total) => r.description,
            _ => product.to_string(),
        };
        let items: Vec<Requirement> = entries
            .iter()
            .filter_map(|e| {
                let description = if product.trim().is_empty() {
                    e.label.clone()
                } else {
                    sized(&product, &e.label)
                };
                Requirement::new(&description, Quantity::new(e.quantity.into()).ok()?, e.unit)
            })
            .collect();
        return (items.len() == entries.len()).then_some(items);
    }
    None
}

struct Entry {
    label: String,
    quantity: u32,
    unit: &'static str,
    /// The size is a bare number ("8 (10 pairs)"), not "UK8", "size 8" or a letter size.
    bare_number: bool,
    /// The entry says "size".
    keyword: bool,
}

/// Two or more size entries making up all of `text` (trailing punctuation aside).
fn entries(text: &str) -> Option<Vec<Entry>> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(c) = ENTRY.captures(rest) {
        let whole = c.get(0)?;
        // which of the three forms matched ("1": size first, "2": bracketed), and its groups
        let n = ["1", "2"].into_iter().find(|n| c.name(&format!("q{n}")).is_some());
        let (system, value, q, unit, keyword) = match n {
            Some(n) => {
                let group = |name: &str| c.name(&format!("{name}{n}"));
                (
                    group("sys"),
                    group("sysv").or_else(|| group("v"))?,
                    group("q")?,
                    group("u"),
                    group("kw").is_some(),
                )
            }
            None => (None, c.name("fv")?, c.name("fq")?, c.name("fu"), true),
        };
        let quantity: u32 = q.as_str().parse().ok()?;
        if quantity == 0 {
            return None;
        }
        let unit = match unit {
            Some(u) => units::canonical(u.as_str())?,
            None => "pcs",
        };
        let value = value.as_str();
        out.push(Entry {
            label: label_text(system, value),
            quantity,
            unit,
            bare_number: system.is_none() && value.starts_with(|ch: char| ch.is_ascii_digit()),
            keyword,
        });
        rest = &rest[whole.end()..];
    }
    let tail = rest.trim_matches(|c: char| c.is_whitespace() || matches!(c, '.' | ',' | ';' | '(' | ')' | ':'));
    // the list's unit said once at its end ("M-20, L-30, XL-10 (prs)")
    let closing_unit = units::canonical(tail);
    let tail_ok = tail.is_empty()
        || closing_unit.is_some()
        || tail.eq_ignore_ascii_case("each")
        || tail.eq_ignore_ascii_case("only");
    // a unit given once for the list ("UK7 x 6, UK8 x 12 prs")
    let shared = closing_unit.or_else(|| out.iter().rev().find(|e| e.unit != "pcs").map(|e| e.unit));
    if let Some(u) = shared {
        for e in &mut out {
            e.unit = u;
        }
    }
    (out.len() >= 2 && tail_ok).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(line: &str) -> Option<Vec<(String, String, String)>> {
        breakdown(line).map(|items| {
            items
                .into_iter()
                .map(|r| (r.description, r.quantity.to_string(), r.unit))
                .collect()
        })
    }

    fn one(d: &str, q: &str, u: &str) -> (String, String, String) {
        (d.into(), q.into(), u.into())
    }

    #[test]
    fn sizes_listed_on_one_line() {
        assert_eq!(
            read("Safety boots Bata 805: UK7 x 6 prs; UK8 x 12 prs"),
            Some(vec![
                one("Safety boots Bata 805 UK7", "6", "pairs"),
                one("Safety boots Bata 805 UK8", "12", "pairs")
            ])
        );
        assert_eq!(
            read("Coverall cotton navy M-20, L-30, XL-10"),
            Some(vec![
                one("Coverall cotton navy size M", "20", "pcs"),
                one("Coverall cotton navy size L", "30", "pcs"),
                one("Coverall cotton navy size XL", "10", "pcs")
            ])
        );
        assert_eq!(
            read("Nitrile gloves, sizes 8 (10 pairs), 9 (5 pairs)"),
            Some(vec![
                one("Nitrile gloves size 8", "10", "pairs"),
                one("Nitrile gloves size 9", "5", "pairs")
            ])
        );
        assert_eq!(
            read("Rain suit - 10 pcs size L, 5 pcs size XL"),
            Some(vec![
                one("Rain suit size L", "10", "pcs"),
                one("Rain suit size XL", "5", "pcs")
            ])
        );
        // the total said before the sizes is not part of the product
        assert_eq!(
            read("Safety shoes KWD805, 30 prs: UK7 x 10, UK8 x 20 prs"),
            Some(vec![
                one("Safety shoes KWD805 UK7", "10", "pairs"),
                one("Safety shoes KWD805 UK8", "20", "pairs")
            ])
        );
        // a list marker, a unit said once at the end, boxes
        assert_eq!(
            read("3) Quebee VergeMax-BK impact gloves - M-20, L-30 (prs)"),
            Some(vec![
                one("Quebee VergeMax-BK impact gloves size M", "20", "pairs"),
                one("Quebee VergeMax-BK impact gloves size L", "30", "pairs")
            ])
        );
        assert_eq!(
            read("KleenGuard G10 nitrile gloves: S – 6 boxes, M – 10 boxes"),
            Some(vec![
                one("KleenGuard G10 nitrile gloves size S", "6", "boxes"),
                one("KleenGuard G10 nitrile gloves size M", "10", "boxes")
            ])
        );
        assert_eq!(breakdown_in("8 (10 prs), 9 (15 prs)", true).map(|v| v.len()), Some(2));
        // the sizes alone, under their product's line
        assert_eq!(
            read("size 7 x 5 prs, size 8 x 10 prs"),
            Some(vec![one("size 7", "5", "pairs"), one("size 8", "10", "pairs")])
        );
    }

    #[test]
    fn numbers_that_are_not_sizes() {
        // dimensions and quantities without a word for size
        assert_eq!(read("Cable tie 8 x 300 mm, 4 x 200 mm"), None);
        assert_eq!(read("Hex bolt M10 x 50, 200 pcs"), None);
        assert_eq!(read("Gloves 8 (10 pairs), 9 (5 pairs)"), None);
        // one size is an ordinary item
        assert_eq!(read("Coverall size L x 20 pcs"), None);
        assert_eq!(read("Deliver 2 x 10 boxes and 3 x 5 boxes"), None);
    }

    #[test]
    fn header_cells_that_name_sizes() {
        let row = |cells: &[&str]| cells.iter().map(|c| c.to_string()).collect::<Vec<_>>();
        assert_eq!(
            header_labels(&row(&["Description", "S", "M", "L", "XL", "Total"])),
            vec![
                None,
                Some("size S".into()),
                Some("size M".into()),
                Some("size L".into()),
                Some("size XL".into()),
                None
            ]
        );
        assert_eq!(
            header_labels(&row(&["Item", "UK 7", "UK 8", "Qty"]))[1..3],
            [Some("UK7".into()), Some("UK8".into())]
        );
        assert_eq!(header_labels(&row(&["No", "6", "7", "8"]))[1], Some("size 6".into()));
        assert!(
            header_labels(&row(&["No", "30", "1", "Item"]))
                .iter()
                .all(Option::is_none)
        );
        assert!(header_labels(&row(&["Item", "S", "Qty"])).iter().all(Option::is_none));
        // an item row: its serial number and quantity are no sizes
        assert!(
            header_labels(&row(&["1", "Weicon paste 400g", "6", "nos"]))
                .iter()
                .all(Option::is_none)
        );
    }
}
