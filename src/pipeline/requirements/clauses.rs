//! A line of running text read clause by clause: "Hi, please quote 10 x gloves and 5 boxes of
//! cable ties. Thanks", "We'd like 3 mop trolleys, 10 dustpans and two boxes of gloves". A
//! clause is read as an item ([`lines::item_in_clause`]) or as a weak one ([`listed`]); two
//! or more items in one line make a list.

use std::sync::LazyLock;

use regex::Regex;

use super::{Requirement, lines, listed, remarks, sizes};

/// Clause breaks inside a sentence that lists several items: sentence ends, semicolons, "and",
/// "plus" or a comma before a number ("10 x gloves and 5 boxes of cable ties").
static CLAUSES: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)[.!?;]\s+|;|\s+(?:and|plus)\s+|,\s+(?:and\s+|plus\s+)?").expect("regex"));

/// The clauses of a line, split where no bracket is open: "scourer with sponge (5 per pack,
/// soft)" is one clause.
fn clauses(line: &str) -> Vec<&str> {
    // the bracket depth at each match, counted once over the line (linear in its length)
    let mut depth = 0i32;
    let mut counted = 0;
    let mut out = Vec::new();
    let mut from = 0;
    for m in CLAUSES.find_iter(line) {
        depth = line[counted..m.start()].chars().fold(depth, |d, c| match c {
            '(' | '[' => d + 1,
            ')' | ']' => (d - 1).max(0),
            _ => d,
        });
        counted = m.start();
        if m.start() >= from
            && depth == 0
            && !after_abbreviation(line, m.start(), m.as_str())
            && !(m.as_str().starts_with('.') && is_count_opening(&line[from..m.start()]))
        {
            out.push(line[from..m.start()].trim());
            from = m.end();
        }
    }
    out.push(line[from..].trim());
    out.retain(|c| !c.is_empty());
    out
}

/// What each pack holds: "50 bags per roll", "100 pcs/box", "12 in a carton".
static PER_PACK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\d[\d,]*\s*[a-z']{0,10}\s*(?:per|/|in\s+(?:a|each|one)|each)\s*[a-z]{2,10}\.?$").expect("regex")
});

/// Units of things made of parts: a count after one, behind a comma and without a unit of
/// its own, says what each is made of.
const COLLECTIONS: [&str; 2] = ["sets", "kits"];

/// A clause that only qualifies the item before it: a colour or size ("orange"), or a short
/// phrase of what it comes with ("with reflective strips", "c/w charger").
fn is_detail(clause: &str) -> bool {
    static WITH: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?i)^(?:with|c/w|w/)\s").expect("regex"));
    lines::attribute_only(clause) || (WITH.is_match(clause) && clause.split_whitespace().count() <= 6)
}

/// Words of a sentence about the request rather than of a product's name.
fn is_prose(clause: &str) -> bool {
    const WORDS: [&str; 24] = [
        "i", "we", "our", "us", "you", "your", "it", "they", "is", "are", "was", "will", "would", "can", "could",
        "please", "pls", "which", "that", "if", "for", "to", "thanks", "need",
    ];
    clause
        .split(|c: char| !c.is_alphanumeric())
        .any(|w| WORDS.contains(&w.to_ascii_lowercase().as_str()))
}

/// A clause so far that ends in a count and its unit, abbreviated, opening it or after a
/// request verb ("200 prs", "pls. include 20 gal"): the full stop after it closes the
/// abbreviation, and what follows is what is counted ("… and 200 prs. Ear plugs w/ cord").
fn is_count_opening(so_far: &str) -> bool {
    static COUNT: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)(?:^|\b(?:include|add|quote|need|supply|and|also|plus)\s+)\d[\d,]*\s*(?P<u>[a-z]{1,5})$")
            .expect("regex")
    });
    COUNT
        .captures(so_far.trim())
        .is_some_and(|c| super::units::canonical_any(&c["u"]).is_some())
}

/// Whether a full stop at `at` closes an abbreviation, not a sentence: "3/8\" dr. Stanley",
/// "approx. 2.2m", "No. 5".
fn after_abbreviation(line: &str, at: usize, brk: &str) -> bool {
    const ABBREVIATIONS: [&str; 14] = [
        "dr", "approx", "dia", "max", "min", "std", "ref", "mfr", "mfg", "vol", "temp", "ext", "pls", "plz",
    ];
    if !brk.starts_with('.') {
        return false;
    }
    let word = line[..at]
        .rsplit(|c: char| c.is_whitespace() || c == '(')
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    ABBREVIATIONS.contains(&word.as_str())
        || (word == "no" && line[at + brk.len()..].starts_with(|c: char| c.is_ascii_digit()))
        || shouted_abbreviation(line, &word)
}

/// A short word cut by a full stop in a line written in capitals ("MOLYKOTE 111 SIL. GREASE",
/// "RETAINING COMPD. 50 ML", "BOLT GALV. M12"): requisitions typed in capitals abbreviate
/// freely, and a capital after the stop tells nothing. A unit of count ("… 4 PCS. EAR PLUGS")
/// still ends its item.
fn shouted_abbreviation(line: &str, word: &str) -> bool {
    (2..=5).contains(&word.len())
        && word.chars().all(|c| c.is_ascii_alphabetic())
        && super::units::canonical_any(word).is_none()
        && line.chars().any(|c| c.is_ascii_uppercase())
        && !line.chars().any(char::is_lowercase)
}

/// Blanks left at the end of a line for the supplier to fill (a bill's rate and amount:
/// "… 12  pail  ..........  ............", "… nos 6 ______ ______", "… 4 $______", "… Qty: 4 Set
/// Rate: ________").
static BLANKS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:\s+(?:(?:unit\s+)?(?:rate|price|amount|total|cost)(?:\s*\((?:s\$|\$|sgd)\))?\s*[:=]?\s*)?(?:(?:s\$|\$|sgd|rm)\s*)?(?:\.{4,}|_{3,}|…{2,}|-{4,}))+\s*$").expect("regex")
});

/// A chat export's stamp before each message: "[14/03/25, 07:42] Faizal Site: …",
/// "14/03/2025, 07:42 - Faizal: …".
static CHAT_STAMP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\[?\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4},?\s+\d{1,2}[:.]\d{2}(?::\d{2})?(?:\s*[ap]\.?m\.?)?\]?\s*(?:[-–]\s*)?[^:\[\]]{1,40}:\s+")
        .expect("regex")
});

/// A postal box in an address ("PO Box 38, Paterson NSW 2421", "Peti Surat 123"): the line is
/// an address, its box number no quantity.
static POSTAL_BOX: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:p\.?\s?o\.?\s*box|post\s+office\s+box|g\.?p\.?o\.?\s*box|locked\s+bag|private\s+bag|peti\s+surat|kotak\s+pos)\s*\d+")
        .expect("regex")
});

/// The line without the blanks it leaves to fill, and without a chat export's stamp.
fn without_blanks(line: &str) -> &str {
    let line = match CHAT_STAMP.find(line) {
        Some(m) => &line[m.end()..],
        None => line,
    };
    match BLANKS.find(line) {
        Some(m) if m.start() > 0 => &line[..m.start()],
        _ => line,
    }
}

/// What one line of running text holds: items, or a weak one that only a list makes an item
/// ([`listed`]).
#[derive(Debug, Default)]
pub(super) struct LineItems {
    pub items: Vec<Requirement>,
    pub weak: Option<Requirement>,
}

/// The items of one line of running text.
pub(super) fn items_in(line: &str) -> Vec<Requirement> {
    read(line).items
}

/// Reads one line of running text: one item per size where it lists sizes ("Coverall M-20,
/// L-30"); the line as one item; else after its lead-in ("Please quote: 10 x gloves"); else
/// the items of its clauses, when the line lists several ("Hi, please quote 10 x gloves and 5
/// boxes of cable ties. Thanks"). Two or more clauses that read as items make a list, so
/// their weak clauses ("… and a dozen toilet brushes") count too; a line with one weak item
/// alone leaves it to the list around it.
pub(super) fn read(line: &str) -> LineItems {
    let line = without_blanks(line);
    if POSTAL_BOX.is_match(line) {
        return LineItems::default();
    }
    // one product in several sizes ("Coverall M-20, L-30, XL-10")
    if let Some(items) = sizes::breakdown(line) {
        return LineItems { items, weak: None };
    }
    let one = lines::item_in_clause;
    let whole = one(line);
    let parts = clauses(line);
    if parts.len() < 2 {
        return match whole {
            Some(w) => LineItems {
                items: vec![w],
                weak: None,
            },
            None => LineItems {
                items: Vec::new(),
                weak: listed::weak_item(line),
            },
        };
    }
    let mut read_parts: Vec<(Requirement, bool)> = Vec::new();
    // where the clauses since the last item begin (byte offset in the line)
    let mut previous: Option<usize> = None;
    let mut joined = false;
    let offset = |c: &str| c.as_ptr() as usize - line.as_ptr() as usize;
    // a weak clause after a bare comma ("… A-frame ladder, 6 steps") may be the item's own
    // detail rather than another item
    let mut comma_weak = false;
    let mut end_before = 0;
    for c in parts {
        let between = line[end_before.min(offset(c))..offset(c)].trim();
        let after_comma = between == ",";
        let after_and = between.eq_ignore_ascii_case("and");
        end_before = offset(c) + c.len();
        // "We also need mop heads, 24 pcs, and …", "… liquid 950ml? We would take 24 bottles",
        // "Freeze spray, Weicon, 400ml can, 2 dozen": a clause of only a quantity counts the
        // clauses before it that named none, back to the sentence's start
        if let Some(from) = previous
            && let Some(q) = remarks::quantity_only(c)
        {
            let before = line[from..offset(c)].trim_end_matches(|ch: char| ch.is_whitespace() || ch == ',');
            let before = match listed::SENTENCE_BREAK.find_iter(before).last() {
                Some(m) => &before[m.end() - 1..],
                None => before,
            };
            if let Some(found) = lines::item(&format!("{} - {q}", lines::without_request_verb(before))) {
                read_parts.push((found, false));
                joined = true;
                previous = None;
                continue;
            }
        }
        // "…, 50 bags per roll": what each holds is the item's own, no order
        if previous.is_none()
            && after_comma
            && PER_PACK.is_match(c)
            && let Some((last, _)) = read_parts.last_mut()
        {
            last.description = format!("{}, {}", last.description, c.trim_end_matches('.'));
            continue;
        }
        if let Some(found) = one(c).map(|r| (r, false)).or_else(|| {
            listed::weak_clause(c).map(|mut r| {
                // whom or where it is for is no part of it ("… bins OT8 for the lift lobbies")
                r.description = remarks::without_remark_in_description(&r.description).to_string();
                (r, true)
            })
        }) {
            // ("… ladder, 6 steps" is a detail, and so is what a set is made of: "2 sets trolley
            // wheels, 2 swivel + 2 rigid"; "…, 1 Bosch GST 750 jigsaw", a model's figures in it,
            // names an item)
            let set_above = read_parts
                .last()
                .is_some_and(|(r, weak)| !weak && COLLECTIONS.contains(&r.unit.as_str()));
            let parts = found.0.description.contains('+')
                || (set_above
                    && found.0.description.split_whitespace().count() <= 4
                    && !found.0.description.bytes().any(|b| b.is_ascii_digit()));
            comma_weak |= found.1 && after_comma && (found.0.description.split_whitespace().count() <= 2 || parts);
            read_parts.push(found);
            previous = None;
            continue;
        }
        // "15 pcs of safety vests, orange, with reflective strips": a colour, a size or a
        // short "with …" after an item's clause is the item's own
        if previous.is_none()
            && after_comma
            && let Some((last, _)) = read_parts.last_mut()
            && let detail = remarks::without_remark(c.trim_end_matches('.'))
            && is_detail(detail)
        {
            last.description = format!("{}, {detail}", last.description);
            continue;
        }
        // "… would like 3 stainless steel open top bins, 300mm dia x 760mm high for the lift
        // lobbies": a clause after a comma that names no item, in no sentence's words once
        // whom or where it is for is left out, goes on with the item's name (its size)
        if previous.is_none()
            && after_comma
            && let Some((last, false)) = read_parts.last_mut()
            && let detail = remarks::without_remark_in_description(c.trim_end_matches('.'))
            && !detail.is_empty()
            && detail.bytes().any(|b| b.is_ascii_digit())
            && detail.split_whitespace().count() <= 8
            && !is_prose(detail)
        {
            last.description = format!("{}, {detail}", last.description);
            continue;
        }
        // "48 cans of Weicon rust loosener and contact aerosol 400 mls": a short clause after
        // "and" that reads as no item and no prose goes on with the item's name
        if previous.is_none()
            && after_and
            && let Some((last, false)) = read_parts.last_mut()
            && c.split_whitespace().count() <= 5
            && !is_prose(c)
        {
            last.description = format!("{} and {}", last.description, c.trim_end_matches('.'));
            continue;
        }
        previous = Some(previous.unwrap_or_else(|| offset(c)));
    }
    let mut parts = read_parts;
    let all = |parts: Vec<(Requirement, bool)>| LineItems {
        items: parts.into_iter().map(|(r, _)| r).collect(),
        weak: None,
    };
    match whole {
        // one item whose description swallowed the next ("gloves and 5 boxes of cable ties");
        // not when its own quantity would be a weak one ("82 brake and spare parts cleaner
        // - 48 sets")
        // (clauses that only give a size or colour, "…, white - 40 lengths", are the item's own)
        Some(w)
            if parts.len() >= 2
                && !parts[0].1
                && parts[1..].iter().all(|(p, _)| {
                    w.description
                        .contains(remarks::without_remark_in_description(&p.description))
                })
                && !parts.iter().any(|(p, _)| lines::attribute_only(&p.description))
                && !comma_weak =>
        {
            all(parts)
        }
        // one item across a sentence's end ("… liquid 950ml? We would take 24 bottles"), or
        // with the words before a quantity of its own ("ear plugs, say 5 boxes"): the clauses
        // read it
        Some(w) if !parts.is_empty() && (joined || listed::SENTENCE_BREAK.is_match(&w.description)) => all(parts),
        Some(w) => LineItems {
            items: vec![w],
            weak: None,
        },
        None if parts.len() >= 2 => all(parts),
        None => match parts.pop() {
            Some((p, false)) => LineItems {
                items: vec![p],
                weak: None,
            },
            // one weak clause in a sentence is a number in prose ("deliver to the loading
            // bay, 10 Bayfront Avenue"); the line must be the weak item whole
            _ => LineItems {
                items: Vec::new(),
                weak: listed::weak_item(line),
            },
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_size_opening_a_clause_is_no_quantity_and_any_make_is_a_remark() {
        let got = items_in("2 inch swivel castor with brake, any make .............. 24 units");
        let read: Vec<(&str, String)> = got
            .iter()
            .map(|r| (r.description.as_str(), r.quantity.to_string()))
            .collect();
        assert_eq!(read, [("2 inch swivel castor with brake", "24".into())]);
        let got = items_in("\"Caution wet floor\" sign board, A-frame – 10 pcs");
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].description, "\"Caution wet floor\" sign board, A-frame");
    }

    #[test]
    fn blanks_left_for_rate_and_amount_are_not_read() {
        let read = |line: &str| -> Vec<(String, String, String)> {
            items_in(line)
                .into_iter()
                .map(|r| (r.description, r.quantity.to_string(), r.unit))
                .collect()
        };
        assert_eq!(
            read("A1  Quicseal 103M Acrylflex grey, 20kg pail  12  pail  ..........  ............"),
            [(
                "Quicseal 103M Acrylflex grey, 20kg pail".into(),
                "12".into(),
                "pails".into()
            )]
        );
        assert_eq!(
            read("7.5 Floor squeegee 24\" c/w aluminium handle nos 6 ______ ______"),
            [(
                "Floor squeegee 24\" c/w aluminium handle".into(),
                "6".into(),
                "nos".into()
            )]
        );
        assert_eq!(
            read("[14/03/25, 07:43] Faizal Site: cone light 5 LED - 20 pcs"),
            [("cone light 5 LED".into(), "20".into(), "pcs".into())]
        );
        // a bill's item reference and a labelled blank for the rate
        assert_eq!(
            read("Item 3.1.2  Mop bucket trolley 36 litre (large)  Qty: 4 Set  Rate: ________"),
            [("Mop bucket trolley 36 litre (large)".into(), "4".into(), "sets".into())]
        );
        assert_eq!(
            read("Item 7  Floor squeegee 24in - 6 nos   Unit Price (S$): .......   Amount: ......."),
            [("Floor squeegee 24in".into(), "6".into(), "nos".into())]
        );
        assert_eq!(
            read("Wypall X60 wipers (150 sheets) - 20 box  S$ ______"),
            [("Wypall X60 wipers (150 sheets)".into(), "20".into(), "boxes".into())]
        );
    }

    #[test]
    fn a_number_in_the_description_is_no_weak_item_of_its_own() {
        let got = items_in("18. 82 brake and spare parts cleaner 500 ml - 48 sets");
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].description, "82 brake and spare parts cleaner 500 ml");
        let got = items_in("4    BL986485   KTC air blow gun, 490mm nozzle          2 NOS");
        assert_eq!(got.len(), 1);
        // a size after a comma is the description's, not "405 x" of another item
        let got = items_in("QTY 25 PCS: Cutting disc Metz A24, 405 x 3 x 25.4 mm");
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].description, "Cutting disc Metz A24, 405 x 3 x 25.4 mm");
        assert_eq!(got[0].quantity.to_string(), "25");
    }

    #[test]
    fn a_clause_of_only_a_quantity_counts_the_clause_before() {
        let got = items_in("We also need mop heads, 24 pcs, and 20 reams of A4 copier paper.");
        let read: Vec<(&str, String)> = got
            .iter()
            .map(|r| (r.description.as_str(), r.quantity.to_string()))
            .collect();
        assert_eq!(read, [("mop heads", "24".into()), ("A4 copier paper", "20".into())]);
        let got = items_in("Thanks. Lastly, 3 drums of bio degreaser 25L for the wash bay.");
        assert_eq!(got.len(), 1);
        // where it is for is the buyer's remark
        assert_eq!(got[0].description, "bio degreaser 25L");
    }

    #[test]
    fn a_quantity_in_the_next_sentence_counts_the_product_named_before() {
        let got = all("Could you also quote us for Ecover washing up liquid 950ml? We would take 24 bottles.");
        assert_eq!(
            got,
            [("Ecover washing up liquid 950ml".into(), "24".into(), "bottles".into())]
        );
        let got = all("Also pls include ear plugs, say 5 boxes.");
        assert_eq!(got, [("ear plugs".into(), "5".into(), "boxes".into())]);
        let got = all("And Magiclean floor cleaner 2L, 30 bottles please.");
        assert_eq!(
            got,
            [("Magiclean floor cleaner 2L".into(), "30".into(), "bottles".into())]
        );
    }

    #[test]
    fn a_short_word_cut_short_in_capitals_is_an_abbreviation() {
        assert_eq!(
            clauses("3) MOLYKOTE 111 SIL. GREASE 100GR X 6 TUBES"),
            vec!["3) MOLYKOTE 111 SIL. GREASE 100GR X 6 TUBES"]
        );
        assert_eq!(
            clauses("SAFETY HELMET WHITE X 10 PCS. EAR PLUG X 5 BOX"),
            vec!["SAFETY HELMET WHITE X 10 PCS", "EAR PLUG X 5 BOX"]
        );
        assert_eq!(clauses("Silicone sil. Grease x 6"), vec!["Silicone sil", "Grease x 6"]);
    }

    #[test]
    fn clauses_do_not_split_inside_brackets() {
        let got = items_in("40 packs of scourer with sponge (5 per pack, soft) and 24 pcs mop heads");
        let read: Vec<(&str, String)> = got
            .iter()
            .map(|r| (r.description.as_str(), r.quantity.to_string()))
            .collect();
        assert_eq!(
            read,
            [
                ("scourer with sponge (5 per pack, soft)", "40".into()),
                ("mop heads", "24".into())
            ]
        );
    }

    fn all(line: &str) -> Vec<(String, String, String)> {
        items_in(line)
            .into_iter()
            .map(|r| (r.description, r.quantity.to_string(), r.unit))
            .collect()
    }

    #[test]
    fn an_item_after_a_lead_in_on_the_same_line() {
        for (line, d, q) in [
            ("Please quote: 10 x nitrile gloves", "nitrile gloves", "10"),
            ("Kindly supply the following - 24 rolls of duct tape", "duct tape", "24"),
            ("RFQ: 6 pcs safety harness full body", "safety harness full body", "6"),
            (
                "Hi Anna, please quote 12 boxes of cable ties 200mm",
                "cable ties 200mm",
                "12",
            ),
            ("We need: 3 x wheelbarrow", "wheelbarrow", "3"),
            (
                "Good morning. Could you quote us 40 pairs of cotton gloves",
                "cotton gloves",
                "40",
            ),
        ] {
            let got = all(line);
            assert_eq!(got.len(), 1, "{line}: {got:?}");
            assert_eq!((got[0].0.as_str(), got[0].1.as_str()), (d, q), "{line}");
        }
    }

    #[test]
    fn a_clause_of_only_a_colour_or_a_count_after_a_comma_is_the_items_own() {
        assert_eq!(
            all("PVC conduit 20mm x 2.9m, white - 40 lengths"),
            vec![("PVC conduit 20mm x 2.9m, white".into(), "40".into(), "lengths".into())]
        );
        assert_eq!(
            all("four (4) units of aluminium A-frame ladder, 6 steps").len(),
            1,
            "{:?}",
            all("four (4) units of aluminium A-frame ladder, 6 steps")
        );
        // what each pack holds
        assert_eq!(
            all("Supply & deliver twelve (12) rolls of clinical waste bags 660 x 915 mm, 50 bags per roll."),
            vec![(
                "clinical waste bags 660 x 915 mm, 50 bags per roll".into(),
                "12".into(),
                "rolls".into()
            )]
        );
        // what a set is made of
        for line in [
            "2 sets Prestar WR5 trolley wheels 300kg, 2 swivel w/o brake + 2 rigid",
            "3 kits first aid box refill, 20 plasters assorted sizes",
            "4 nos castor wheel 5in PU, 2 swivel + 2 fixed with brake",
        ] {
            assert_eq!(all(line).len(), 1, "{line}: {:?}", all(line));
        }
    }

    #[test]
    fn a_bare_count_before_a_named_product_after_a_comma_is_an_item() {
        let got = all("Need a quote for 2 x router RT0700C, 10 pkts velcro disc P120, 1 Bosch GST 750 jigsaw.");
        let names: Vec<&str> = got.iter().map(|g| g.0.as_str()).collect();
        assert_eq!(
            names,
            ["router RT0700C", "velcro disc P120", "Bosch GST 750 jigsaw"],
            "{got:?}"
        );
        let got = all("Kindly quote 3 tins of wood filler, 1 Makita cordless drill DDF485 and 12 pcs sanding sponge");
        assert_eq!(got.len(), 3, "{got:?}");
        // a length after "x" is the size of an item counted before it
        let got = all("Need a quote for 2 x Zeca hose reel AM85/10 10mm ID x 15m, 10 pkts velcro disc P120.");
        assert_eq!(
            got[0],
            ("Zeca hose reel AM85/10 10mm ID x 15m".into(), "2".into(), "pcs".into())
        );
    }

    #[test]
    fn several_items_in_one_sentence() {
        let got = all("Hi, please quote 10 x nitrile gloves and 5 boxes of cable ties. Thanks");
        let names: Vec<&str> = got.iter().map(|g| g.0.as_str()).collect();
        assert_eq!(names, ["nitrile gloves", "cable ties"], "{got:?}");
        // a full stop after an abbreviation ends no sentence
        let got = all("Pls quote air ratchet 3/8\" dr. Stanley STMT78401-8 x 3 pcs and 2 pcs hammer");
        assert_eq!(
            got[0],
            ("air ratchet 3/8\" dr. Stanley".into(), "3".into(), "pcs".into())
        );
        // nor one after a count's unit that opens its clause
        let got = all(
            "Also pls. include 20 gal. of Isopropyl alcohol 70% solution if available, and 200 prs. Ear plugs w/ cord, disposable foam type (any brand is ok).",
        );
        assert_eq!(got.len(), 2, "{got:?}");
        assert_eq!(got[1].1, "200", "{got:?}");
        assert!(got[1].0.starts_with("Ear plugs w/ cord"), "{got:?}");
        let got = all("Pls supply 2 pcs hammer, 4 pcs chisel 25mm; 1 set spanner");
        assert_eq!(got.len(), 3, "{got:?}");
        assert_eq!(got[1], ("chisel 25mm".into(), "4".into(), "pcs".into()));
        // "in addition about 36 cans of …" after a long clause of the first item's
        let got = all(
            "Our engineer has also asked for 48 cans of Weicon rust loosener fluid 400 ml, which we use on the winches, and in addition about 36 cans of a WD-40 type lubricant",
        );
        let names: Vec<&str> = got.iter().map(|g| g.0.as_str()).collect();
        assert_eq!(
            names,
            ["Weicon rust loosener fluid 400 ml", "WD-40 type lubricant"],
            "{got:?}"
        );
        // "and" inside a product's name
        let got = all(
            "We also need 48 cans of Weicon rust loosener and contact aerosol 400 mls, which we use daily, and 6 pcs of wire brush",
        );
        assert_eq!(got[0].0, "Weicon rust loosener and contact aerosol 400 mls", "{got:?}");
        // a colour and a "with …" after the item's clause are the item's
        let got = all(
            "Lastly, please include 10 rolls of masking tape 24mm, and 15 pcs of safety vests, orange, with reflective strips for the mooring gang.",
        );
        assert_eq!(got[1].0, "safety vests, orange, with reflective strips", "{got:?}");
    }

    #[test]
    fn an_item_after_a_request_verb_inside_a_sentence() {
        let got = all("Our site team has also asked for 6 units of Bosch GSH 388 demolition hammers.");
        assert_eq!(
            got,
            [("Bosch GSH 388 demolition hammers".into(), "6".into(), "units".into())]
        );
        let got = all(
            "For the bin centre we need 5 of the 120L wheeled bins in blue, plus 3 stainless steel open top bins OT8 for the lift lobbies.",
        );
        assert_eq!(
            got,
            [
                ("120L wheeled bins in blue".into(), "5".into(), "pcs".into()),
                ("stainless steel open top bins OT8".into(), "3".into(), "pcs".into())
            ]
        );
        let got = all(
            "Our cleaning team would like 3 stainless steel open top bins, 300mm dia x 760mm high for the lift lobbies.",
        );
        assert_eq!(
            got,
            [(
                "stainless steel open top bins, 300mm dia x 760mm high".into(),
                "3".into(),
                "pcs".into()
            )]
        );
        let got = all("Please also add disposable PE aprons - 5 packs, and Liao sponge pads (OCN-G130057), qty: 30.");
        assert_eq!(
            got,
            [
                ("disposable PE aprons".into(), "5".into(), "packs".into()),
                ("Liao sponge pads (OCN-G130057)".into(), "30".into(), "pcs".into())
            ]
        );
        let got = all("If you carry them, we would also like 20 sheets of 18mm marine plywood (4 x 8 ft).");
        assert_eq!(
            got,
            [("18mm marine plywood (4 x 8 ft)".into(), "20".into(), "sheets".into())]
        );
        for line in [
            "The site team would like 2 weeks' notice before delivery.",
            "We would like to thank you for your quotation no. 4411.",
            "Our project needs 3 months to complete.",
        ] {
            assert!(all(line).is_empty(), "{line}: {:?}", all(line));
        }
    }

    #[test]
    fn running_text_without_items_stays_empty() {
        for line in [
            "Please call me back on 9123 4567 tomorrow, thanks.",
            "We need delivery within 2 weeks and 3 days at most.",
            "Please quote: see the attached list.",
            "Dear Sir, we refer to our meeting of 12.03.2026 and your offer no. 4411.",
            "ABN 41 086 552 913 | 1180 Paterson Road, Vacy NSW 2421 | PO Box 38, Paterson NSW 2421",
            "Bulolo Highlands Gold Ltd | P.O. Box 1124, Lae 411, Morobe Province, PNG",
            "Peti Surat 12, 88999 Kota Kinabalu",
        ] {
            assert!(all(line).is_empty(), "{line}: {:?}", all(line));
        }
    }
}
