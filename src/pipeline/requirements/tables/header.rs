//! Header rows of an item table: what each header word says a column holds, for a header of
//! one row or of two (a merged "Material" over "Code | Description", "Quantity" over
//! "Qty | UOM").

use std::sync::LazyLock;

use regex::Regex;

use super::super::sizes;
use super::Role;

static QTY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(?:total\s+|(?:re-?)?order(?:ed)?\s+|(?:sugg(?:ested|\.)?|purchase|proposed|approved|indent(?:ed)?)\s+(?:order\s+)?|req(?:uired|'?d)?(?:\.\s*|\s+)|requested\s+|est(?:imated)?(?:\.\s*|\s+))?(?:q'?ty|qnty|qtty|quantity|quantities|qty\.|no\.?s\.?|nos\.?|no\.? of (?:units|pcs|pieces|items)|pcs|count|menge|anzahl|cantidad|cant\.|quantidade|qtde\.?|quantit[ée]|qt[ée]|quantità|kuantiti|kuantitas|jumlah|jml\.?|bilangan|banyaknya|aantal|hoeveelheid|antal|ilość)(?:\b|$)")
        .expect("regex")
});
/// A quantity header of one word that says the figure is asked for: "Req.", "Req'd",
/// "Required", "Ordered" (a ship's requisition beside its "ROB" column).
static ASKED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^\s*(?:req(?:uired|uested|'?d)?|ordered|to\s+order)\s*\.?\s*$").expect("regex"));
static DESC: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:description|desc\.?|item(?:s)?(?: name| description)?|product(?:s)?(?: name| description)?|particulars|material(?:s)?|goods|specification|specs?|details|name|article|requirement|service|scope|(?:short\s+|long\s+)?text|bezeichnung|artikelbezeichnung|beschreibung|artikel|descripci[óo]n|descri[çc][ãa]o|omschrijving|artikelomschrijving|d[ée]signation|descrizione|articolo|keterangan|barang|perkara|uraian|nama\s+barang)\b")
        .expect("regex")
});
static UNIT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(?:unit(?:s)?|uom|u/m|u\.o\.m\.?|unit of (?:measure|issue)|pack(?:ing)?|measure|einheit|mengeneinheit|me|unidad|unit[ée]|unità|unidade|eenheid|satuan|sat\.?|unit[ée] de mesure|(?:order|issue|purchase|base)\s+unit|unit\s+of\s+measurement)\s*$")
        .expect("regex")
});
static SERIAL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(?:s/?n|s\.\s*n\.?|sr\.?\s*(?:no\.?)?|sl\.?\s*(?:no\.?)?|s\.?\s*no\.?|no\.?|#|(?:item|line)\s*(?:no\.?|#|num(?:ber)?)|line|pos\.?|position|ln|nr\.?|lfd\.?\s*nr\.?|bil\.?|no\.?\s*urut)\s*$")
        .expect("regex")
});
static CODE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:code|kod|kode|part\s*(?:no\.?|number|#)?|p/?n|sku|ref(?:erence)?|cat(?:alog(?:ue)?)?\.?\s*(?:no\.?|#)|art(?:icle|\.)?\s*(?:no\.?|#|nr\.?)|material\s*(?:no\.?|number|#)|stock\s*(?:no\.?|#)|barcode|upc|ean|impa|issa)\b")
        .expect("regex")
});
/// Header words of a column naming who makes the product and its model or part number
/// ("Brand | Model", "Mfr Part No.", "Manufacturer", "Make / Model", "OEM P/N"): the
/// product's identity, joined to the description like an attribute. (A buyer's own stock
/// codes in such a column are told by its cells: see `columns::internal_codes`.) A plain
/// "Part No." or "P/N" is as often the buyer's own item number ("HX-M10-50", "LOCT-243"):
/// a code, not read.
static MAKER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(?:model(?:\s*(?:no\.?|number|#|code))?|mfr|mfg|manufacturer(?:'?s)?|maker(?:'?s)?|mpn|oem)(?:\W|$)",
    )
    .expect("regex")
});
static MONEY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:price|rate|amount|total|cost|value|harga|sgd|usd|eur|myr|s\$|\$)|\$").expect("regex")
});
/// Money words that make a "Qty"-like header a price ("Qty Price" is not a quantity; "Total
/// Qty" is one).
static PRICE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\b(?:price|rate|amount|cost|value|harga)\b|\$").expect("regex"));
static OTHER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:remarks?|notes?|comments?|lead|delivery|date|origin|supplier|vendor|location|site|dept|department|cost cent(?:er|re)|account|budget|stock|availability|weight|standard|e-?mail|address|tel(?:ephone)?|phone|fax|contact|attention|attn|currency|tax|plant|requester|requisitioner|buyer|tarikh|tanggal|tgl|catatan|lokasi|stasiun|gudang|pemohon|tapak|kegunaan|penggunaan|opmerkingen|opmerking|observaciones|observa[çc][õo]es)\b")
        .expect("regex")
});
/// Header words of a stock report's columns beside the quantity to order: what is on hand,
/// the minimum and maximum, the reorder level ("On Hand | Min | Reorder Qty", "QTY ON HAND",
/// "R/LEVEL"). They are quantities, but not the ones asked for.
static STOCK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(?:(?:q'?ty|quantity)\s+)?(?:on[\s-]*hand|in\s+stock|available|avail\.?|(?:cur(?:rent|r?\.)?\s+)?(?:bal(?:ance)?\.?|stock|inventory)|min(?:imum)?\.?|max(?:imum)?\.?|(?:re-?order|r/)\s*(?:level|point|lvl)|rop|rol|par(?:\s+level)?|safety\s+stock|on\s+order|open\s+po|in\s+transit|allocated|reserved|committed|consumption|(?:avg\.?|average|monthly)\s+(?:usage|consumption)|issued|received|used|soh|rob|remaining(?:\s+on\s+board)?|on\s+board)(?:\s+(?:q'?ty|quantity|stock|level))?\s*$")
        .expect("regex")
});
/// Header words of a column that qualifies the description: "Specification", "Size",
/// "Colour", "Brand". (Of a table with no other description, a specification is the
/// description: see `complete`.)
static ATTRIBUTE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(?:size|sizes|(?:pack(?:ing)?|pkg|package|container)\s*(?:/\s*)?size|volume|capacity|colou?rs?|brand|make|brand\s*/\s*make|preferred\s+brand|grade|finish|dimensions?|specs?\.?|specifications?|tech(?:nical)?\s+spec(?:ification)?s?|details|spesifikasi(?:\s+teknis)?|spek|merk|merek|jenama|ukuran|saiz|warna)\s*$")
        .expect("regex")
});

/// Whether a header cell names who makes the product or its model ("Brand", "Make",
/// "Manufacturer", "Model No.", "Mfr Part No."): such columns can name a product by
/// themselves ("" | "BOSCH" | "GWS 7-100 ET").
pub(super) fn names_maker(cell: &str) -> bool {
    static BRAND: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?i)^\s*(?:brand|make|brand\s*/\s*make|preferred\s+brand)\s*$").expect("regex"));
    let spaced = spaced(cell);
    BRAND.is_match(&spaced) || MAKER.is_match(&spaced)
}

/// What a header cell says its column holds; None for an empty cell, `Other` for a header
/// word that names none of the columns we read.
pub(super) fn role(cell: &str) -> Option<Role> {
    // ERP exports join header words with underscores ("ITEM_DESC", "LINE_NO", "UNIT_PRICE")
    // or write them in camel case ("ItemCode", "UnitAmount", "PONumber") or glued
    // ("ORDERQTY", "ITEMNUM").
    let spaced = spaced(cell);
    let c = spaced.as_str();
    if c.is_empty() {
        return None;
    }
    let lower = c.to_ascii_lowercase();
    Some(if UNIT.is_match(c) {
        Role::Unit
    } else if STOCK.is_match(c) {
        Role::Other
    } else if SERIAL.is_match(c) {
        Role::Serial
    } else if (QTY.is_match(c) || ASKED.is_match(c)) && !PRICE.is_match(c) {
        Role::Quantity
    } else if MONEY.is_match(c) {
        Role::Money
    } else if DESC.is_match(c) && lower.contains("description") {
        Role::Description
    } else if ATTRIBUTE.is_match(c) || MAKER.is_match(c) || attribute_parts(c) {
        Role::Attribute
    } else if CODE.is_match(c) {
        Role::Code
    } else if DESC.is_match(c) && !OTHER.is_match(c) {
        Role::Description
    } else {
        Role::Other
    })
}

/// A header of attribute words joined by a slash or "&": "Specification / Make", "Size &
/// Colour".
fn attribute_parts(cell: &str) -> bool {
    let parts: Vec<&str> = cell.split(['/', '&']).map(str::trim).collect();
    parts.len() >= 2
        && parts
            .iter()
            .all(|p| ATTRIBUTE.is_match(p) || MAKER.is_match(p) || p.eq_ignore_ascii_case("make"))
}

/// Words an export's field names are glued from ("ORDERQTY", "ITEMNUM", "PRLINENUM",
/// "UNITCOST", "STORELOC").
const FIELD_WORDS: &[&str] = &[
    "order",
    "ordered",
    "qty",
    "quantity",
    "item",
    "items",
    "num",
    "number",
    "no",
    "line",
    "unit",
    "units",
    "uom",
    "cost",
    "price",
    "amount",
    "total",
    "value",
    "desc",
    "description",
    "code",
    "part",
    "material",
    "mat",
    "store",
    "loc",
    "location",
    "required",
    "requested",
    "req",
    "date",
    "by",
    "vendor",
    "supplier",
    "remark",
    "remarks",
    "account",
    "acct",
    "debit",
    "credit",
    "gl",
    "pr",
    "po",
    "stock",
    "on",
    "hand",
    "name",
    "product",
    "text",
    "short",
    "long",
    "brand",
    "make",
    "model",
    "size",
    "delivery",
    "due",
    "site",
    "dept",
    "tax",
    "net",
    "ext",
    "extended",
    "issue",
    "purchase",
    "request",
    "requisition",
    "buyer",
    "plant",
    "ref",
    "sku",
    "mfr",
    "pos",
    "seq",
    "bin",
    "lead",
    "time",
    "currency",
    "ship",
    "need",
    "notes",
    "note",
    "comment",
    "comments",
    "spec",
    "status",
    "type",
    "group",
    "class",
    "category",
    "id",
];

/// An export's field name of glued words, spaced ("ORDERQTY" → "ORDER QTY", "ITEMNUM" →
/// "ITEM NUM"), when the whole name splits into field words, two or more; None otherwise.
fn glued_spaced(text: &str) -> Option<String> {
    let lower = text.to_ascii_lowercase();
    if lower.len() < 5 || lower.len() > 24 || !lower.bytes().all(|b| b.is_ascii_lowercase()) {
        return None;
    }
    // fewest words covering text[..i]: (count, start of the last word)
    let n = lower.len();
    let mut best: Vec<Option<(usize, usize)>> = vec![None; n + 1];
    best[0] = Some((0, 0));
    for end in 1..=n {
        for w in FIELD_WORDS {
            if let Some(start) = end.checked_sub(w.len())
                && &lower[start..end] == *w
                && let Some((count, _)) = best[start]
                && best[end].is_none_or(|(c, _)| count + 1 < c)
            {
                best[end] = Some((count + 1, start));
            }
        }
    }
    let (count, _) = best[n]?;
    if count < 2 {
        return None;
    }
    let mut words = Vec::with_capacity(count);
    let mut end = n;
    while end > 0 {
        let (_, start) = best[end]?;
        words.push(&text[start..end]);
        end = start;
    }
    words.reverse();
    Some(words.join(" "))
}

/// A header cell with its words apart: underscores, camel case, glued field words.
fn spaced(cell: &str) -> String {
    let spaced = camel_spaced(&cell.trim().replace('_', " "));
    glued_spaced(&spaced).unwrap_or(spaced)
}

/// "ItemCode" → "Item Code", "PONumber" → "PO Number"; other text as it is.
fn camel_spaced(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len() + 4);
    for (i, c) in chars.iter().enumerate() {
        let prev = i.checked_sub(1).map(|p| chars[p]);
        let next = chars.get(i + 1);
        // a capital that begins a word ("UoM", "TaxID" stay whole)
        let boundary = c.is_ascii_uppercase()
            && next.is_some_and(|n| n.is_ascii_lowercase())
            && prev.is_some_and(|p| p.is_ascii_lowercase() || p.is_ascii_uppercase());
        if boundary {
            out.push(' ');
        }
        out.push(*c);
    }
    out
}

/// Whether a cell reads as a header word at all (any role but free text).
pub(super) fn is_header_word(cell: &str) -> bool {
    let c = cell.trim();
    // A field name of an export ("REQ_EMAIL", "doc_type") names a column whatever it says.
    let field_name = c.contains('_')
        && !c.contains(' ')
        && c.chars().all(|ch| ch.is_ascii_alphanumeric() || ch == '_')
        && c.starts_with(|ch: char| ch.is_ascii_alphabetic());
    let spaced = spaced(c);
    // "Material Request: GWD-MR-1147", "Date: 02-Oct-2025": a field and its value above the
    // table, not a column's name
    let labelled_value = c.split_once(':').is_some_and(|(_, v)| !v.trim().is_empty());
    c.len() <= 40
        && !labelled_value
        && (field_name
            || role(c).is_some_and(|r| r != Role::Other || OTHER.is_match(&spaced) || STOCK.is_match(&spaced)))
}

/// The column roles of a one-row header.
pub(super) fn single(row: &[String]) -> Vec<Option<Role>> {
    row.iter().map(|c| role(c)).collect()
}

/// The column roles of a two-row header: a merged upper cell covers the empty cells to its
/// right; the lower row names the column where it says something, the upper one elsewhere.
pub(super) fn double(upper: &[String], lower: &[String]) -> Vec<Option<Role>> {
    let width = upper.len().max(lower.len());
    let mut spanning: Option<&str> = None;
    (0..width)
        .map(|i| {
            let up = upper.get(i).map(|s| s.trim()).unwrap_or("");
            let low = lower.get(i).map(|s| s.trim()).unwrap_or("");
            if !up.is_empty() {
                spanning = Some(up);
            }
            let upper_role = if up.is_empty() {
                // Under a merged cell only when the lower row continues the group.
                spanning.filter(|_| !low.is_empty()).and_then(role)
            } else {
                role(up)
            };
            match role(low) {
                // a column the lower row names as something we do not read ("Delivery"
                // under "Requirement") stays so; free text falls back to the group's role
                Some(Role::Other) if OTHER.is_match(low) => Some(Role::Other),
                Some(Role::Other) | None => upper_role.or(role(low)),
                Some(r) => Some(r),
            }
        })
        .collect()
}

/// Whether a row looks like (the lower half of) a header: mostly header words, at least two.
/// Sizes over quantity columns ("S | M | L | XL" under "Quantity per size") count as words.
pub(super) fn looks_like_header(row: &[String]) -> bool {
    let filled: Vec<&String> = row.iter().filter(|c| !c.trim().is_empty()).collect();
    let mut words = filled.iter().filter(|c| is_header_word(c)).count();
    // sizes, where nothing else in the row is free text
    let sizes = sizes::header_labels(row).iter().flatten().count();
    if sizes > 0 && words + sizes == filled.len() {
        words += sizes;
    }
    words >= 2 && words * 3 >= filled.len() * 2
}

/// Whether a row can be a header: its cells mostly header words (a lone "Qty" counts). Sizes
/// count as words beside a description's header ("Item | 6 | 7 | 8 | Total").
pub(super) fn is_header_row(row: &[String]) -> bool {
    let filled: Vec<&String> = row.iter().filter(|c| !c.trim().is_empty()).collect();
    let mut words = filled.iter().filter(|c| is_header_word(c)).count();
    if row.iter().any(|c| role(c) == Some(Role::Description)) {
        words += sizes::header_labels(row).iter().flatten().count();
    }
    !filled.is_empty() && words * 2 >= filled.len() && (words >= 2 || filled.len() == 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(cells: &[&str]) -> Vec<String> {
        cells.iter().map(|c| c.to_string()).collect()
    }

    #[test]
    fn a_field_and_its_value_is_no_header() {
        assert!(!is_header_row(&row(&[
            "Material Request: GWD-MR-25/1147",
            "",
            "",
            "Date: 02-Oct-2025"
        ])));
        assert!(is_header_row(&row(&["S/No", "Qty", "Unit", "Description"])));
        assert!(is_header_word("Description:"));
    }

    #[test]
    fn header_words() {
        assert_eq!(role("QTY REQ'D"), Some(Role::Quantity));
        assert_eq!(role("Req. Qty"), Some(Role::Quantity));
        assert_eq!(role("Unit Price"), Some(Role::Money));
        assert_eq!(role("Total Qty"), Some(Role::Quantity));
        // a stock report: the quantity to order, not what is on hand
        assert_eq!(role("Reorder Qty"), Some(Role::Quantity));
        assert_eq!(role("ORDER QTY"), Some(Role::Quantity));
        assert_eq!(role("Suggested Order Qty"), Some(Role::Quantity));
        for stock in [
            "On Hand",
            "QTY ON HAND",
            "Min",
            "Max.",
            "R/LEVEL",
            "Reorder Level",
            "Qty Available",
            "SOH",
            "CUR BAL",
            "Current Stock",
            "Bal.",
            "ROP",
            "Safety Stock",
            "On Order",
            "Avg Usage",
            "ROB",
            "Remaining on board",
        ] {
            assert_eq!(role(stock), Some(Role::Other), "{stock}");
        }
        for to_order in [
            "Sugg. Order Qty",
            "Suggested Qty",
            "Approved Qty",
            "ORDER QTY",
            "Indent Qty",
            "REQ.QTY",
            "Req.",
            "Req'd",
            "Aantal",
            "Quantidade",
        ] {
            assert_eq!(role(to_order), Some(Role::Quantity), "{to_order}");
        }
        assert_eq!(role("Total (SGD)"), Some(Role::Money));
        assert_eq!(role("S/N"), Some(Role::Serial));
        assert_eq!(role("Item No."), Some(Role::Serial));
        assert_eq!(role("Material Code"), Some(Role::Code));
        assert_eq!(role("Item Description"), Some(Role::Description));
        assert_eq!(role("Item"), Some(Role::Description));
        assert_eq!(role("UOM"), Some(Role::Unit));
        assert_eq!(role("Remarks"), Some(Role::Other));
        assert_eq!(role(""), None);
        // SAP's "Short Text"; an export's camel case
        assert_eq!(role("Short Text"), Some(Role::Description));
        assert_eq!(role("ItemCode"), Some(Role::Code));
        assert_eq!(role("Stock Code"), Some(Role::Code));
        assert_eq!(role("stock_code"), Some(Role::Code));
        // a maintenance system's glued field names
        assert_eq!(role("ORDERQTY"), Some(Role::Quantity));
        assert_eq!(role("ITEMNUM"), Some(Role::Serial));
        assert_eq!(role("UNITCOST"), Some(Role::Money));
        assert_eq!(role("ORDERUNIT"), Some(Role::Unit));
        assert_eq!(role("STORELOC"), Some(Role::Other));
        assert_eq!(glued_spaced("PRLINENUM").as_deref(), Some("PR LINE NUM"));
        assert_eq!(glued_spaced("Quantity"), None);
        assert_eq!(glued_spaced("Wheelbarrow"), None);
        // Malay and Indonesian forms
        assert_eq!(role("Bil"), Some(Role::Serial));
        assert_eq!(role("Kuantiti"), Some(Role::Quantity));
        assert_eq!(role("Jml"), Some(Role::Quantity));
        assert_eq!(role("Sat"), Some(Role::Unit));
        assert_eq!(role("Uraian Barang"), Some(Role::Description));
        assert_eq!(role("Kode Material"), Some(Role::Code));
        assert_eq!(role("Spesifikasi / Merk"), Some(Role::Attribute));
        assert_eq!(role("Harga Satuan"), Some(Role::Money));
        assert_eq!(role("Jumlah Harga"), Some(Role::Money));
        assert_eq!(role("Tarikh"), Some(Role::Other));
        // Dutch and Portuguese forms; a ship's IMPA code
        assert_eq!(role("Omschrijving"), Some(Role::Description));
        assert_eq!(role("Eenheid"), Some(Role::Unit));
        assert_eq!(role("Opmerking"), Some(Role::Other));
        assert_eq!(role("Descrição"), Some(Role::Description));
        assert_eq!(role("IMPA"), Some(Role::Code));
        // who makes it and its model: the product's identity, read with the description
        assert!(names_maker("mfr_part_no") && names_maker("Brand") && !names_maker("Size"));
        assert_eq!(role("Part No."), Some(Role::Code));
        assert_eq!(role("P/N"), Some(Role::Code));
        for maker in [
            "Model",
            "Model No.",
            "Mfr Part No.",
            "mfr_part_no",
            "Manufacturer",
            "Mfr",
            "Make / Model",
            "OEM P/N",
        ] {
            assert_eq!(role(maker), Some(Role::Attribute), "{maker}");
        }
        assert_eq!(role("UnitAmount"), Some(Role::Money));
        assert_eq!(role("ContactName"), Some(Role::Other));
        assert!(is_header_word("DeliveryAddress") && is_header_word("EmailAddress"));
        assert_eq!(camel_spaced("PONumber"), "PO Number");
        assert_eq!(camel_spaced("UOM"), "UOM");
        assert_eq!(camel_spaced("UoM"), "UoM");
        assert_eq!(role("UoM"), Some(Role::Unit));
        assert_eq!(role("Specification / Make"), Some(Role::Attribute));
        assert_eq!(role("Size & Colour"), Some(Role::Attribute));
        assert_eq!(role("Delivery / Remarks"), Some(Role::Other));
    }

    #[test]
    fn two_header_rows_name_the_columns_together() {
        let upper = row(&["No.", "Material", "", "Quantity", "", "Remarks"]);
        let lower = row(&["", "Code", "Description", "Qty", "UOM", ""]);
        assert_eq!(
            double(&upper, &lower),
            vec![
                Some(Role::Serial),
                Some(Role::Code),
                Some(Role::Description),
                Some(Role::Quantity),
                Some(Role::Unit),
                Some(Role::Other)
            ]
        );
        assert!(looks_like_header(&lower));
        // a group over the quantity and a delivery column: delivery is not read
        let upper = row(&["S/N", "Description of goods", "Requirement", "", "Remarks"]);
        let lower = row(&["", "", "Qty / UOM", "Delivery", ""]);
        assert_eq!(
            double(&upper, &lower),
            vec![
                Some(Role::Serial),
                Some(Role::Description),
                Some(Role::Quantity),
                Some(Role::Other),
                Some(Role::Other)
            ]
        );
        assert!(!looks_like_header(&row(&["1", "MAT-001", "Hex bolt", "20", "EA", ""])));
    }
}
