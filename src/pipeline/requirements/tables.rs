//! Item tables: the header (one row or two, anywhere in the first rows, or none), the role
//! of every column from its header word and from its cells (serial number, item code,
//! description, quantity with or without its unit, unit, money), then each row read as an
//! item. Section rows, repeated headers and TOTAL rows are skipped; a description wrapped onto
//! a row of its own is joined to its item. A list printed in columns side by side is read one
//! column group after the other.

mod columns;
mod header;
mod offset;
mod record;
mod side_by_side;

use std::sync::LazyLock;

use regex::Regex;

use self::columns::Profile;
use super::{Requirement, quantity, sizes, units};
use crate::domain::Quantity;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Role {
    Quantity,
    Description,
    Unit,
    /// Serial or line numbers ("1", "1.1"): never a quantity.
    Serial,
    /// Item, part or material codes: not part of the description.
    Code,
    /// Prices and amounts.
    Money,
    /// What qualifies the description in a column of its own: a specification, size, colour
    /// or brand ("Item Description | Specification", "Description | Size | Colour"). Joined
    /// to the description.
    Attribute,
    /// The quantity of one size, its header naming the size ("S | M | L | XL", "UK7 | UK8").
    Size,
    /// Anything else we do not read (remarks, locations, dates).
    Other,
}

static TOTAL_ROW: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(?:(?:add|less|plus)\s+)?(?:\d{1,2}(?:\.\d{1,2})?\s*%\s*)?(?:(?:sub|grand)[- ]?total|total|gst|vat|tax|sales tax|discount|freight|shipping|carriage|delivery charges?|rounding|jumlah|cukai|sst|ppn|diskaun|diskon|ongkos\s+kirim|totaal|totale|gesamt|summe|btw|iva)\b")
        .expect("regex")
});

/// A note under the items ("Note: boots to site office", "Remarks - …"): not a wrapped
/// description.
/// A sentence about the document rather than an item ("Items continue in sheet 2", "Please
/// see the attached drawing"): a note under the table, not wrapped description.
static DOCUMENT_NOTE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:continues?|continued|overleaf|next\s+page|(?:on|in|see)\s+(?:sheet|page|tab)|attached|attachment|please|kindly|refer\s+to)\b")
        .expect("regex")
});
static LABELLED_NOTE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*[A-Za-z][A-Za-z. ]{1,20}\s*[:：]|^\s*(?:N\.?B\.?|PS|P\.S\.)\b").expect("regex"));

/// How a table's columns are read.
#[derive(Debug)]
struct Layout {
    /// The first row after the header.
    first_item: usize,
    roles: Vec<Role>,
    /// The header's cells, to recognise a header repeated on a later page.
    header: Vec<String>,
    /// The header names the quantity column.
    named_quantity: bool,
    /// The columns of quantities per size and the words each size adds to the description.
    sizes: Vec<(usize, String)>,
}

/// The items of a table, and whether the table says outright that it lists quantities.
#[derive(Debug)]
pub(super) struct TableItems {
    pub items: Vec<Requirement>,
    /// A header names the quantity column, or the quantities carry units (a Unit column or
    /// "250 NOS"). A table of names beside numbers without either (employees per company,
    /// votes per candidate) is an item list only in a document that asks for a quotation.
    pub explicit: bool,
}

/// A line of text after an item table, its cells apart by wide spaces, read as a row under
/// the table's header ("2  Worksafe full body harness WSFAB170-01  HSE.FALL  Each  10
/// 06-APR-2026" under "Line | Item Description | Category | UOM | Quantity | Need-By Date |
/// Price", where a layout lost the table at a row of details between its rows). The line
/// fills the columns from the left, one or two blank columns at the end at most.
pub(super) fn row_under(header: &[String], line: &str) -> Option<Requirement> {
    let cells: Vec<String> = line
        .split("  ")
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(str::to_string)
        .collect();
    if cells.len() < 3 || cells.len() > header.len() || cells.len() + 2 < header.len() {
        return None;
    }
    let mut row = cells;
    row.resize(header.len(), String::new());
    let read = read(&[header.to_vec(), row])?;
    match <[Requirement; 1]>::try_from(read.items) {
        Ok([item]) if read.explicit => Some(item),
        _ => None,
    }
}

/// A form of labelled fields: most rows a label (a few words without figures) beside a value
/// that is no quantity ("RFQ Ref | EALS-26-014", "Vessels | Launches EA 11, EA 12 and EA
/// 15"). A two-column item list gives quantities beside its names ("Nitrile gloves | 20
/// pcs"). A row may hold two such fields side by side ("Requested by | R. Kumar | Cost
/// centre | TA-2026 / Unit 200").
pub(super) fn is_form(rows: &[Vec<String>]) -> bool {
    let field = |label: &str, value: &str| {
        label.split_whitespace().count() <= 4
            && !label.bytes().any(|b| b.is_ascii_digit())
            && quantity::cell(value).is_none()
    };
    let fields = rows
        .iter()
        .filter(|r| {
            let filled: Vec<&str> = r.iter().map(|c| c.trim()).filter(|c| !c.is_empty()).collect();
            match filled.as_slice() {
                [label, value] => field(label, value),
                [l1, v1, l2, v2] => field(l1, v1) && field(l2, v2),
                _ => false,
            }
        })
        .count();
    rows.len() >= 2 && 5 * fields >= 3 * rows.len()
}

/// The items of a table with the evidence that it is an item list.
pub(super) fn read(rows: &[Vec<String>]) -> Option<TableItems> {
    let joined = offset::joined(rows);
    let points = quantity::in_decimal_points(&joined);
    let rows: &[Vec<String>] = points.as_deref().unwrap_or(&joined);
    let thousands = quantity::thousands_in_points(rows);
    let rows: &[Vec<String>] = thousands.as_deref().unwrap_or(rows);
    let stacked = side_by_side::stacked(rows);
    let rows: &[Vec<String>] = stacked.as_deref().unwrap_or(rows);
    if let Some(items) = record::items(rows) {
        return Some(TableItems { items, explicit: true });
    }
    let layout = find_layout(rows)?;
    let col = |r: Role| layout.roles.iter().position(|x| *x == r);
    let qty_col = col(Role::Quantity);
    let desc_col = col(Role::Description)?;
    let unit_col = col(Role::Unit);
    let serial_col = col(Role::Serial);
    let code_col = col(Role::Code);
    let mut items: Vec<Requirement> = Vec::new();
    let mut with_units = 0usize;
    let mut last_was_item = false;
    // A row naming a product without a quantity, over rows that give only its sizes ("King's
    // safety shoe KWD805 black" / "size 7 | 5 prs" / "size 8 | 10 prs").
    let mut parent: Option<String> = None;
    // The product of the last item row, for rows below it that give only another size.
    let mut product_above: Option<String> = None;
    for row in &rows[layout.first_item..] {
        let cell = |i: usize| row.get(i).map(String::as_str).unwrap_or("").trim();
        let row_unit = unit_col.and_then(|i| units::canonical_any(cell(i)));
        let description = cell(desc_col);
        let first_text = row.iter().map(|c| c.trim()).find(|c| !c.is_empty()).unwrap_or("");
        // a row numbered like the items is one, whatever its first word ("Total Multis MS2
        // grease 400gm")
        // and so is a row with an item code and a unit ("LUB-0044 | TOTAL MULTIS MS2 GREASE
        // 400G | CART | 24")
        let numbered = serial_col.is_some_and(|c| cell(c).starts_with(|c: char| c.is_ascii_digit()))
            || (row_unit.is_some() && code_col.is_some_and(|c| !cell(c).is_empty()));
        if first_text.is_empty()
            || (TOTAL_ROW.is_match(description) && !numbered)
            || (TOTAL_ROW.is_match(first_text) && !numbered)
            || is_repeated_header(row, &layout.header)
        {
            last_was_item = false;
            continue;
        }
        // a product ordered in several sizes: one item per size with a quantity
        let per_size: Vec<(&str, Quantity, Option<&'static str>)> = layout
            .sizes
            .iter()
            .filter_map(|(c, label)| {
                quantity::column_cell(cell(*c))
                    .filter(|(q, _)| !q.value().is_zero())
                    .map(|(q, u)| (label.as_str(), q, u))
            })
            .collect();
        if !per_size.is_empty() {
            let product = without_numbering(description);
            items.extend(per_size.into_iter().filter_map(|(label, q, u)| {
                with_units += usize::from(u.is_some());
                Requirement::new(&sizes::sized(product, label), q, row_unit.or(u).unwrap_or("pcs"))
            }));
            last_was_item = false;
            parent = None;
            continue;
        }
        let qty_cell = match (qty_col.map(cell), unit_col.map(cell)) {
            // a right-aligned figure with its unit printed across the column line ("Qty | Unit"
            // over "   | 40 Box"): the quantity is in the unit's cell
            (Some(""), Some(u)) if quantity::column_cell(u).is_some_and(|(_, unit)| unit.is_some()) => u,
            (q, _) => q.unwrap_or(""),
        };
        let read = quantity::column_cell(qty_cell).or_else(|| {
            layout
                .named_quantity
                .then(|| quantity::cell_prefix(qty_cell))
                .flatten()
                .map(|(q, u)| (q, Some(u)))
        });
        let Some((quantity, cell_unit)) = read else {
            // The quantity written into the description cell ("Ear plugs 500 PRS"), when the
            // layout put it there.
            if qty_cell.is_empty()
                && let Some(item) = super::lines::item(description).filter(|i| units::canonical(&i.unit).is_some())
            {
                items.push(item);
                last_was_item = true;
                continue;
            }
            // A row holding only more description is the previous item's wrapped text.
            if last_was_item
                && !description.is_empty()
                && let Some(prev) = items.last_mut()
                && is_continuation(row, desc_col, serial_col.is_some(), description, &prev.description)
            {
                prev.description = super::tidy_description(&format!("{} {description}", prev.description));
            } else {
                // a note under the item above names no product for the rows below
                let note = LABELLED_NOTE.is_match(description)
                    || (last_was_item
                        && items
                            .last()
                            .is_some_and(|p| crate::pipeline::text::notes::is_long_text(&p.description, description)));
                last_was_item = false;
                parent = (!description.is_empty() && !note && !super::lines::attribute_only(description))
                    .then(|| without_numbering(description).to_string());
            }
            continue;
        };
        // sizes listed in a cell of the row ("M-4, L-6, XL-2" beside the total, "… – EU 41 x
        // 4 prs, EU 43 x 6 prs" in the description)
        if let Some(split) = listed_sizes(row, &layout, desc_col, Some(quantity), description) {
            with_units += usize::from(row_unit.is_some() || cell_unit.is_some());
            items.extend(split.into_iter().map(|mut r| {
                if let Some(u) = row_unit.or(cell_unit) {
                    r.unit = u.to_string();
                }
                r
            }));
            product_above = Some(without_numbering(description).to_string());
            last_was_item = false;
            parent = None;
            continue;
        }
        let fallback;
        let qualified;
        let mut from_above = false;
        let description = match without_numbering(description) {
            // a row that only gives a size under its product's row ("" | "M" | 15 | pcs)
            "" if layout.roles.contains(&Role::Attribute)
                && (parent.is_some() || product_above.is_some())
                && has_attribute(row, &layout.roles)
                && !names_product(row, &layout) =>
            {
                from_above = true;
                parent.as_deref().or(product_above.as_deref()).unwrap_or_default()
            }
            "" => {
                fallback = text_beside_numbers(row, &layout.roles);
                // Nothing better beside it: the cell as written ("3 HX-M10 bolts").
                if fallback.is_empty() {
                    description
                } else {
                    fallback.as_str()
                }
            }
            d => {
                product_above = Some(d.to_string());
                d
            }
        };
        // a row that names its product by brand and model only ("" | BOSCH | GWS 7-100 ET)
        if description.is_empty() && !names_product(row, &layout) {
            last_was_item = false;
            continue;
        }
        let description = if layout.roles.contains(&Role::Attribute) {
            qualified = with_attributes(row, &layout.roles, desc_col, description);
            qualified.as_str()
        } else {
            description
        };
        with_units += usize::from(cell_unit.is_some());
        let unit = row_unit.or(cell_unit).unwrap_or("pcs");
        // a size's row under its product's: the product in that size ("(L)", "size 7")
        let size = super::tidy_description(description);
        let sized = super::lines::attribute_only(&size);
        let under_parent;
        let description = match parent.as_deref() {
            Some(p) if sized => {
                under_parent = format!("{p} {size}");
                under_parent.as_str()
            }
            _ => description,
        };
        match Requirement::new(description, quantity, unit) {
            Some(r) if sized || from_above => {
                items.push(r);
                // the sizes' rows are not wrapped text of one another
                last_was_item = false;
            }
            Some(r) => {
                items.push(r);
                last_was_item = true;
                parent = None;
            }
            None => last_was_item = false,
        }
    }
    let explicit = layout.named_quantity
        || unit_col.is_some()
        || !layout.sizes.is_empty()
        || (with_units * 2 >= items.len() && with_units > 0);
    Some(TableItems { items, explicit })
}

/// The description and, in column order, the row's attribute cells that say something
/// ("Cut-off wheel, stainless" + "4\" x 1.0mm, Stanley STA8060"; "Safety helmet" + "Yellow";
/// not "-", "N/A" or "any").
fn with_attributes(row: &[String], roles: &[Role], desc_col: usize, description: &str) -> String {
    static NOTHING: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"(?i)^\s*(?:-+|–|—|n/?a|nil|none|any|any\s+brand|no\s+brand|or\s+equivalent|equivalent|tba|tbc|\.)?\s*$",
        )
        .expect("regex")
    });
    let words = |t: &str| -> Vec<String> {
        t.split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect()
    };
    let said = words(description);
    let mut parts: Vec<String> = Vec::new();
    for (i, role) in roles.iter().enumerate() {
        if i == desc_col {
            parts.push(description.to_string());
        } else if *role == Role::Attribute
            && let Some(c) = row.get(i).map(|c| c.trim())
            && !NOTHING.is_match(c)
            // already in the description ("Safety helmet yellow" | "Yellow")
            && !words(c).iter().all(|w| said.contains(w))
        {
            // a size alone says so ("M" → "size M", "UK 8" → "UK8")
            parts.push(sizes::header_label(c).unwrap_or_else(|| c.to_string()));
        }
    }
    super::tidy_description(&parts.join(" "))
}

/// Whether a row's maker and model cells name a product by themselves ("BOSCH" | "GWS 7-100
/// ET"); a size or a colour column never does ("M10", "Yellow" under their product).
fn names_product(row: &[String], layout: &Layout) -> bool {
    let said: Vec<&str> = row
        .iter()
        .zip(&layout.roles)
        .enumerate()
        .filter(|(i, (_, r))| **r == Role::Attribute && layout.header.get(*i).is_some_and(|h| header::names_maker(h)))
        .map(|(_, (c, _))| c.trim())
        .filter(|c| c.chars().any(char::is_alphanumeric) && !super::lines::attribute_only(c))
        .collect();
    let words: Vec<&str> = said.iter().flat_map(|c| c.split_whitespace()).collect();
    let model = words
        .iter()
        .any(|w| w.chars().any(|c| c.is_ascii_digit()) && w.chars().any(char::is_alphabetic));
    let wordy = words
        .iter()
        .filter(|w| w.chars().filter(|c| c.is_alphabetic()).count() >= 2)
        .count();
    !said.is_empty() && (model || (said.len() >= 2 && wordy >= 2))
}

/// Whether a row says something in an attribute column (a size, a colour).
fn has_attribute(row: &[String], roles: &[Role]) -> bool {
    row.iter()
        .zip(roles)
        .any(|(c, r)| *r == Role::Attribute && c.chars().any(char::is_alphanumeric))
}

/// One item per size where a cell of the row lists sizes and their quantities, and these add
/// up to the row's quantity (when it gives one): the description cell ("Safety Jogger AAK –
/// EU 41 x 4 prs, EU 43 x 6 prs" | 10) or a cell of its own ("Coverall" | "M-4, L-6, XL-2" |
/// 12). In a column whose header speaks of sizes, bare numbers are sizes ("8 (10 prs), 9 (15
/// prs)").
fn listed_sizes(
    row: &[String],
    layout: &Layout,
    desc_col: usize,
    total: Option<Quantity>,
    description: &str,
) -> Option<Vec<Requirement>> {
    let adds_up = |items: &Vec<Requirement>| {
        total.is_none_or(|t| items.iter().map(|r| r.quantity).sum::<rust_decimal::Decimal>() == t.value())
    };
    let in_description = sizes::breakdown(description)
        .filter(|i| adds_up(i) && !i.iter().any(|r| super::lines::attribute_only(&r.description)));
    if in_description.is_some() {
        return in_description;
    }
    let product = without_numbering(description);
    if product.is_empty() {
        return None;
    }
    row.iter().enumerate().find_map(|(i, c)| {
        if i == desc_col || !matches!(layout.roles.get(i), Some(Role::Attribute | Role::Other)) {
            return None;
        }
        let said_size = layout
            .header
            .get(i)
            .is_some_and(|h| h.to_ascii_lowercase().contains("size"));
        let items = sizes::breakdown_in(c.trim(), said_size).filter(adds_up)?;
        items
            .into_iter()
            .map(|r| {
                Requirement::new(
                    &sizes::sized(product, &r.description),
                    Quantity::new(r.quantity).ok()?,
                    &r.unit,
                )
            })
            .collect()
    })
}

/// The description without a line number and code the layout left in front of it ("01
/// TPM-310 Dust mop …" → "Dust mop …"); empty when nothing but them is left. A number alone
/// stays ("2 Wheeled Bin 80L").
fn without_numbering(text: &str) -> &str {
    let words: Vec<&str> = text.split_whitespace().collect();
    let skip = match words.as_slice() {
        // "A1 MAT-100 …", "3 HX-M10 …"; not a brand of two letters and its model ("HP 85A")
        [n, c, ..]
            if quantity::is_serial(n)
                && (n.len() == 1 || !n.bytes().all(|b| b.is_ascii_alphabetic()))
                && (columns::is_code(c) || quantity::is_item_code(c)) =>
        {
            2
        }
        [c, ..] if quantity::is_item_code(c) => 1,
        _ => 0,
    };
    if skip == 0 {
        return text;
    }
    let rest: &[&str] = &words[skip..];
    let wordy = rest
        .iter()
        .filter(|w| w.chars().filter(|c| c.is_alphabetic()).count() >= 2)
        .count();
    if wordy < 2 {
        return "";
    }
    let start = text.find(rest[0]).unwrap_or(0);
    &text[start..]
}

/// A description the layout put in the serial or code column ("7 JM7778 Clear silicone
/// sealant" beside an empty description cell): the text after the row's number and code.
fn text_beside_numbers(row: &[String], roles: &[Role]) -> String {
    row.iter()
        .zip(roles)
        .filter(|(_, r)| matches!(r, Role::Serial | Role::Code | Role::Other))
        .map(|(c, _)| {
            let words: Vec<&str> = c.split_whitespace().collect();
            let skip = words
                .iter()
                .take_while(|w| quantity::is_serial(w) || columns::is_code(w) || quantity::is_item_code(w))
                .count();
            words[skip..].join(" ")
        })
        .find(|t| {
            t.split_whitespace()
                .filter(|w| w.chars().filter(|c| c.is_alphabetic()).count() >= 2)
                .count()
                >= 2
        })
        .unwrap_or_default()
}

/// A row holding only more description under an item: wrapped text in a numbered table or
/// text that begins in lower case, or the long text under an ERP's short text, which repeats
/// its words ("COVERALL,CHEM,CHEMPRO 1800,XL" / "Worksafe Chempro 1800 chemical resistant
/// coverall, size XL").
fn is_continuation(row: &[String], desc_col: usize, numbered: bool, text: &str, above: &str) -> bool {
    let only_description = row
        .iter()
        .enumerate()
        .all(|(i, c)| i == desc_col || c.trim().is_empty());
    let shared = super::description::shared_words(above, text);
    // prose under a short text in capitals is a note on it, unless it repeats its words (an
    // ERP's long text describing the item again)
    let note = LABELLED_NOTE.is_match(text)
        || (text.starts_with(char::is_uppercase) && DOCUMENT_NOTE.is_match(text))
        || (shared < 2 && crate::pipeline::text::notes::is_long_text(above, text));
    only_description && !note && (numbered || text.starts_with(|c: char| c.is_lowercase() || c == '(') || shared >= 2)
}

fn is_repeated_header(row: &[String], header: &[String]) -> bool {
    let same = row
        .iter()
        .zip(header)
        .filter(|(a, b)| !a.trim().is_empty() && a.trim().eq_ignore_ascii_case(b.trim()))
        .count();
    same >= 2 || header::looks_like_header(row) && !row.iter().any(|c| quantity::cell(c).is_some())
}

/// The header (one or two rows among the first fifteen) and the column roles, completed and
/// corrected by what the cells below hold; or, without a header, roles from the cells alone.
fn find_layout(rows: &[Vec<String>]) -> Option<Layout> {
    let width = rows.iter().map(Vec::len).max()?;
    for i in 0..rows.len().min(15) {
        let single = header::single(&rows[i]);
        let named = |roles: &[Option<Role>], r: Role| roles.contains(&Some(r));
        let usable = |roles: &[Option<Role>]| {
            named(roles, Role::Quantity) || (named(roles, Role::Description) && roles.iter().flatten().count() >= 2)
        };
        let pair = rows
            .get(i + 1)
            .filter(|lower| header::looks_like_header(lower) && header::is_header_row(&rows[i]))
            .map(|lower| header::double(&rows[i], lower));
        let (roles, first_item) = match pair {
            Some(p) if usable(&p) => (p, i + 2),
            _ if usable(&single) && header::is_header_row(&rows[i]) => (single, i + 1),
            _ => continue,
        };
        let header: Vec<String> = rows[first_item - 1].clone();
        let mut roles = roles;
        // columns named by sizes, in a header that names the description
        let sizes: Vec<(usize, String)> = if roles.contains(&Some(Role::Description)) {
            sizes::header_labels(&header)
                .into_iter()
                .enumerate()
                .filter_map(|(c, l)| Some((c, l?)))
                .collect()
        } else {
            Vec::new()
        };
        for (c, _) in &sizes {
            roles[*c] = Some(Role::Size);
        }
        let named = roles.iter().position(|r| *r == Some(Role::Quantity));
        if let Some(roles) = complete(&rows[first_item..], roles, width) {
            let named_quantity = named.is_some_and(|c| roles.get(c) == Some(&Role::Quantity));
            return Some(Layout {
                first_item,
                roles,
                header,
                named_quantity,
                sizes,
            });
        }
    }
    let roles = complete(rows, vec![None; width], width)?;
    Some(Layout {
        first_item: 0,
        roles,
        header: Vec::new(),
        named_quantity: false,
        sizes: Vec::new(),
    })
}

/// Header roles corrected and completed by the cells: a column of counting numbers is a
/// serial column whatever it is called; a column of codes is not the description; without a
/// quantity header the quantity column is the one of quantities beside the description.
fn complete(body: &[Vec<String>], named: Vec<Option<Role>>, width: usize) -> Option<Vec<Role>> {
    if body.is_empty() {
        return None;
    }
    let profiles: Vec<Profile> = (0..width).map(|c| Profile::of(body, c)).collect();
    let mut roles: Vec<Option<Role>> = named;
    roles.resize(width, None);
    for (c, p) in profiles.iter().enumerate() {
        let r = &mut roles[c];
        match *r {
            Some(Role::Quantity) if p.is_serial() && !p.is_quantity() => *r = Some(Role::Serial),
            Some(Role::Description) | None if p.is_serial() && p.filled >= 2 => *r = Some(Role::Serial),
            Some(Role::Description) | None if p.is_code() => *r = Some(Role::Code),
            // a Model or Mfr column of the buyer's own stock codes says nothing of the product
            Some(Role::Attribute) if columns::internal_codes(body, c) => *r = Some(Role::Code),
            Some(Role::Description) if p.filled == 0 => *r = None,
            None if p.is_money() => *r = Some(Role::Money),
            None if p.is_unit() => *r = Some(Role::Unit),
            _ => {}
        }
    }
    // One description: the named one with the most text, else the column with the most text.
    let text = |c: usize| profiles[c].text_weight();
    let described: Vec<usize> = (0..width).filter(|c| roles[*c] == Some(Role::Description)).collect();
    // Without one, the column of text (a "Specification" alone describes the item).
    let desc = match described.iter().copied().max_by_key(|c| (text(*c), usize::MAX - c)) {
        Some(d) => d,
        None => (0..width)
            .filter(|c| matches!(roles[*c], None | Some(Role::Attribute)) && text(*c) > 0)
            .max_by_key(|c| (text(*c), usize::MAX - c))?,
    };
    for c in described {
        roles[c] = Some(Role::Other);
    }
    roles[desc] = Some(Role::Description);
    // One quantity: the first named one, else the first column of quantities after the
    // description (before it when there is none after).
    // Beside columns per size, the quantity column is the one for products without sizes (a
    // "Total" column of counts), and there may be none.
    let by_size = roles.contains(&Some(Role::Size));
    // Several columns called quantities (per site under a merged "Quantity by Site", and
    // "Total Qty"): the one adding the others up, else the one with most figures (the first
    // of those).
    // (Unnamed columns of quantities right of a named one stand under its merged cell.)
    let mut named: Vec<usize> = Vec::new();
    for c in 0..width {
        // (all quantities, but for the row naming them under the merged cell)
        // (a zone's column may be blank on most rows: one figure will do)
        let quantities = profiles[c].quantities >= 1 && profiles[c].quantities + 1 >= profiles[c].filled;
        let under_merged = named.last().is_some_and(|l| *l + 1 == c) && roles[c].is_none() && quantities;
        if roles[c] == Some(Role::Quantity) || under_merged {
            named.push(c);
        }
    }
    // without a total, the one with most figures (a first site's column may be all blank)
    let most_figures = || named.iter().copied().rev().max_by_key(|c| profiles[*c].quantities);
    // a "Total" of counts beside them ("Quantity per Level | … | Total") adds them up too
    let with_totals: Vec<usize> = (0..width)
        .filter(|c| {
            named.contains(c)
                || (roles[*c] == Some(Role::Money) && profiles[*c].is_quantity() && profiles[*c].filled >= 1)
        })
        .collect();
    let named_qty = (named.len() >= 2)
        .then(|| columns::total_of(body, &with_totals))
        .flatten()
        .or_else(|| columns::total_of(body, &named))
        .or_else(most_figures);
    let qty = named_qty.or_else(|| {
        let counts = |c: &usize| profiles[*c].is_quantity() && profiles[*c].filled >= 1;
        let candidate = |c: &usize| matches!(roles[*c], None | Some(Role::Other)) && counts(c);
        // a "Total" of counts, not of money ("Sizes & Qty | Total": "L-12, XL-10 | 22")
        let total = |c: &usize| roles[*c] == Some(Role::Money) && counts(c);
        // quantities split over several columns (per site, per phase) and their "Total"
        let split = (desc + 1..width).filter(candidate).count() >= 2;
        let total_first = split
            .then(|| {
                let summed: Vec<usize> = (desc + 1..width).filter(|c| candidate(c) || total(c)).collect();
                columns::total_of(body, &summed).or_else(|| (desc + 1..width).find(total))
            })
            .flatten();
        // before the description, numbers counting up are its sections ("1.0 | ABRASIVES")
        total_first
            .or_else(|| (desc + 1..width).find(candidate))
            .or_else(|| (desc + 1..width).find(total))
            .or_else(|| (0..desc).rev().filter(|c| !profiles[*c].is_serial()).find(candidate))
    });
    // without a column of quantities, the description cells may give them ("Perry life buoy
    // 2.5kg Qty: 4 pcs" beside a column of remarks)
    if qty.is_none() && !by_size && !quantities_in_descriptions(body, desc) {
        return None;
    }
    for r in roles.iter_mut() {
        if *r == Some(Role::Quantity) {
            *r = Some(Role::Other);
        }
    }
    if let Some(qty) = qty {
        roles[qty] = Some(Role::Quantity);
    }
    Some(roles.into_iter().map(|r| r.unwrap_or(Role::Other)).collect())
}

/// Whether most filled cells of the description column are item lines with a quantity and
/// a unit of count of their own (two at least).
fn quantities_in_descriptions(body: &[Vec<String>], desc: usize) -> bool {
    let cells: Vec<&str> = body
        .iter()
        .filter_map(|r| r.get(desc).map(|c| c.trim()))
        .filter(|c| !c.is_empty())
        .collect();
    let items = cells
        .iter()
        .filter(|c| super::lines::item(c).is_some_and(|i| units::canonical(&i.unit).is_some()))
        .count();
    items >= 2 && 2 * items > cells.len()
}

#[cfg(test)]
mod tests;
