//! One normaliser for catalog names and requested descriptions, so that both sides of a match
//! speak the same tokens: `4"` = `4 in` = `4 inch` → `4in`; `400 ML` → `400ml`;
//! `100*1.2*16` = `100 x 1.2 x 16` → `100x1.2x16`; `#240` = `G240` = `grit 240` → `g240`;
//! `SIZE:08` = `size 8` = a trailing `- 08` → `size8`; `AN 302-25` keeps `302-25` and adds
//! the parts; `2.0 kg` → `2kg`. Words are lower-cased, accents and ® dropped.

use std::sync::LazyLock;

use regex::Regex;
use rust_decimal::Decimal;
use unicode_normalization::UnicodeNormalization;

use super::units;

mod inches;
mod sizes;
use inches::{inch_fraction_value, is_inch_fraction};
pub use inches::{nominal_equivalent, rounded_inch_mm};
pub use sizes::{is_letter_size, size_equivalents};

/// Words that say nothing about the product ("… or equivalent").
const STOP_WORDS: &[&str] = &[
    "or",
    "equivalent",
    "equiv",
    "eqv",
    "similar",
    "the",
    "of",
    "for",
    "with",
    "and",
    "to",
    "a",
    "is",
    "on",
    "per",
    "approx",
    "model",
    "type",
    "brand",
    "c/w",
    "w/",
    "w",
    // Malay and Indonesian: for, with, or, and, brand, which
    "untuk",
    "utk",
    "dengan",
    "dgn",
    "atau",
    "dan",
    "merk",
    "merek",
    "jenama",
    "yang",
    // Spanish, Portuguese and Dutch: of, with, for, the, by ("sin", "sem" and "zonder",
    // without, are no filler)
    "de",
    "del",
    "con",
    "para",
    "la",
    "el",
    "los",
    "las",
    "por",
    "com",
    "da",
    "dos",
    "das",
    "met",
    "voor",
    "van",
    "het",
    "een",
];

/// Bumped whenever the tokens of a text change: stored tokens and correction keys made by an
/// older version are made again (`catalog::search::retokenize`). 2: units from one table,
/// volumes and weights in ml and g, "3/4-inch", dimensions sharing their unit. 3: "#120-blue"
/// is grit 120. 4: a dot between letters parts two words ("IND.CASTOR"). 5: dimensions
/// marked W/D/H ("410W X 390D X 600HT"), fractions in dimensions ("3/8 x 1"), letter sizes
/// ("size XL", "- XL"), a size hyphened to a word ("MIDSOLE-10", "CONE-30\"", "GREASE-15KG"),
/// "c/w" and "w/" dropped. 6: the container after a volume or weight ("15kg pail") dropped;
/// letter sizes in brackets or alone ("(M)", "XL"), "US 9" a size; a count in a pack one
/// token ("80'S" = "80 sheets" = "80 pcs" = "80/box"); a grit after a dimension's
/// "x" ("9\"X11\"XG320"). 7: a part without a unit in a dimension takes the unit after it
/// ("5\"X2X22MM" = 5in x 2mm x 22mm; "100*50M" = 100mm x 50m); dimensions marked before
/// their numbers ("W190XH255MM"); a measure hyphened to a code ("16MM-WA80"); inches in
/// decimals, a bare inch fraction ("3/8 DR") in inches; grain-and-grit codes ("CC120" states
/// g120); words and short codes glued to a size ("GREASE18KG", "MGB120L"); letter sizes
/// spelt out ("SIZE SMALL"); "SIZE:10.3MM" a measure, not size 10; a decimal comma ("443,5
/// ML"); cc in ml; pairs per pack a count; a count is no dimension part ("3MM X 19PCS"). 8: a
/// model number of four digits or more before a lone "L", "M" or "G" is no measure ("PAIL
/// 7009 L", "COVERALL 8805 - M"). 9: a grain-and-grit code glued to a size's "x" ('7"XCC36'
/// = 7in cc36, as '4" X AA60' already was). 10: a negated word is one token ("W/O ADHESIVE"
/// = "non-adhesive" = "without adhesive" → `nonadhesive`), so "not elbow" never matches
/// "ELBOW". 11: "10S/PKT" a count per pack; the diameter mark "Ø" no letter ("6.0MMØ"); a
/// length per roll no part of a dimension ('3/8" X 100M/ROLL'); "70 PERCENT" = "70%". 12:
/// sizes as shoe, glove and garment names close ("- 10/44", "YEL-03", "MID-SOLE- 11", "UK-04/
/// AU-06", "COVERALL GREY M", "gloves, large"); "#N" and "N grit" a grit only for a grit the
/// trade makes ("#1110", "#11" are numbers); "KWS-701" a code, not a word and a size;
/// "BV-1/4\"" a word and a size; "NO.120" = "NO 120"; a range "280-300ML" both measures; a
/// dimension's last parts take the unit before them ("4in x 5/8"); "(REPLACED BY …)" dropped.
/// 13: inch fractions spelt out ("half inch", "three-quarter inch"); "10'/PKT" a count per pack.
/// 14: a word hyphened to a figure and a letter no unit is, is a model code ("BDD-202C"); a
/// count hyphened to a word two words ("2-STROKE"); measures joined by "/" each a measure
/// ("150BAR/2000W"); a word's abbreviation dotted to a measure ("MAX.150BAR") two tokens; a
/// letter size hyphened to a model code that code's size ("RC35-L"); rolls, sheets, bottles
/// per pack and "12PPP" counts per pack; "3-PLY" = "3 PLY" = "3PLY", "6-POINT" = "6 POINT".
/// 15: "100 pairs per box" a count per pack as "100 prs/box" is; "not the set" negates "set".
/// 16: the marks ™ ® © are dropped before compatibility normalisation spells them out
/// ("ALLRIGHT™" is "allright", not "allrighttm").
/// 17: an inch fraction after a metric size is in inches ("10MM X 3/8" = 10 mm x 0.375 in);
/// a roll's "500mmx50m" = "50mx500mm"; a shoe's size pair "41/42" = "SIZE 41/42" → "size41
/// size42"; "W/OUT X" negates as "without X" does.
/// 18: "no X" negates X as "without X" does ("unit only, no set", "NO SMOKING SIGN"); "no"
/// before a figure is still a number ("No. 5"); "50 pr/pkt" is "50PAIR/PKT"; "box/20", "box of
/// 50" and "pack of 2" are counts per pack; "DIA300XH760MM" = "300mm dia x 760mm high". 19: a
/// decimal comma only in a figure of its own ("0,5 KG", not "15W-40,18L" nor "8338,22KG");
/// Malay and Indonesian function words ("untuk", "dengan", "merk") dropped like "for", "with",
/// "brand"; "saiz" and "ukuran" are "size", "inci" inches; "1/2DR" is "1/2 DR". 20: a hyphen
/// with a space before it parts a figure from a letter ("EXTRA 75 - L" is size L, not 75
/// litres); "feets" are feet; yards a length ("2\" x 36 yd" = "2''X 36YD"); "2-piece" = "2PC".
/// 21: a glove's size in numbers and letters without its label ("black 9/L" = "SIZE 9/L");
/// Spanish, Portuguese and Dutch function words ("de", "con", "para", "met") dropped like "for";
/// a decimal comma in a dimension's middle part ("115 x 2,5 x 22 mm"). 22: a round figure of
/// four digits before a lone "W" is watts ("2300 W"), not a model number and a letter.
pub const VERSION: u8 = 22;

fn unit(s: &str) -> Option<&'static str> {
    units::measure(s).map(|m| m.symbol)
}

static RE_INCH_QUOTES: LazyLock<Regex> = LazyLock::new(|| Regex::new(r#"(\d)\s*(?:''|"|”|“|″|’’)"#).expect("regex"));
/// A dimension separator still to be tidied: spaced, or written "*" or "×".
static RE_DIM_SEP: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(\d(?:mm|cm|m|in|ft)?)(?:\s*[×*]\s*|\s+x\s*|x\s+)(\d)").expect("regex"));
/// A grit written with a hash, possibly joined to the next word: "#120-blue", "# 80".
static RE_HASH_GRIT: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"#\s*(\d{2,4})(?:[-/]|\b)(\S?)").expect("regex"));
/// A number and a unit word, apart or joined by a hyphen: "200 mls", "3/4-inch", "3/4 in.",
/// "5 kgs"; a unit glued to a following "x" ("11-inchx") counts too.
static RE_NUMBER_UNIT: LazyLock<Regex> = LazyLock::new(|| {
    let spellings = units::spellings_longest_first().join("|");
    Regex::new(&format!(r"(?P<n>\d)(?:\s+|-\s*)?(?P<u>{spellings})(?P<t>x|\b)")).expect("regex")
});
/// A count per pack: "500/box", "100 pcs/box", "24's/pkt", "100/B", "12 rolls/pkt", "12PPP"
/// (pieces per pack), "100 pairs per box" (not "10 per carton": what a carton of packs holds),
/// "box/20", "box of 50", "pack of 2".
static RE_PER_PACK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?:(\d{1,5})\s*(?:pcs?|'s|'|pieces|nos|prs?|pairs?|rolls?|sheets?|shts|btls?|bottles?|tubes?|cans?|sets?)?\s*/\s*(?:box|bx|b|pkt|pkts|pack|packet|bag|roll|ctn|carton|case|tin|btl|bottle|tube)|(\d{1,3})s\s*/\s*(?:pkt|pkts|pack|packet|box|bag|roll|tin|tube)|(\d{1,4})\s*ppp|(\d{1,5})\s*(?:pcs?|pieces|nos|prs?|pairs?|rolls?|sheets?|btls?|bottles?|tubes?|cans?)?\s+per\s+(?:box|pkt|pack|packet|bag|roll|tin|tube)|\b(?:box|bx|pkt|pack|packet|bag|tin|tube)\s*(?:/|of)\s*(\d{1,5})(?:\s*(?:pcs?|pieces|nos|prs?|pairs?|'s))?)\b")
        .expect("regex")
});
/// A count and the noun it qualifies, however joined: "3-PLY", "3 PLY", "3PLY"; "6-POINT",
/// "6 POINT"; "2-WAY" → one token ("3ply", "6point", "2way").
static RE_COUNT_NOUN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(\d{1,2})\s*-?\s*(ply|way|point|pin|speed|mode|step|tier|layer|core|gang|hole)s?\b").expect("regex")
});
/// A grain-and-grit code glued to a size's "x": '7"XCC36' ("7in xcc36").
static RE_DIM_GRAIN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(\d(?:in|mm|cm))\s*x(a|aa|wa|gc|za|cc)(\d{2,4})\b").expect("regex"));
/// A grit joined to a dimension by its "x" ("9inx11in xg320", "9x11xp120", "93MMXGRIT:180").
static RE_DIM_GRIT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(\d(?:in|mm|cm|m)?)\s*x\s*(?:[gp#]|grit\s*[:.]?\s*)(\d{2,4})\b").expect("regex"));
/// A dimension whose parts are marked width, depth, height or length: "410W X 390D X 600HT",
/// "480w x 560d x 780h-mm" → "410x390x600". Two marked parts at least: "720W" alone is a power.
static RE_MARKED_DIMS: LazyLock<Regex> = LazyLock::new(|| {
    let part = r"(\d+(?:\.\d+)?)\s?(?:w|d|h|ht|l|dp)";
    Regex::new(&format!(r"\b{part}\s*[x×*]\s*{part}(?:\s*[x×*]\s*{part})?\b")).expect("regex")
});
/// The same, marked before the numbers: "W190XH255MM", "L600 x W400 x H850 mm".
static RE_PREFIX_MARKED_DIMS: LazyLock<Regex> = LazyLock::new(|| {
    let part = r"(?:dia|w|d|h|ht|l|dp)\s?(\d+(?:\.\d+)?)";
    Regex::new(&format!(
        r"\b{part}\s*[x×*]\s*{part}(?:\s*[x×*]\s*{part})?\s?(mm|cm|m|in)?\b"
    ))
    .expect("regex")
});
/// The same, marked by words after the numbers: "300mm dia x 760mm high", "600 wide x 900
/// long mm" → "300x760mm".
static RE_WORD_MARKED_DIMS: LazyLock<Regex> = LazyLock::new(|| {
    let part = r"(\d+(?:\.\d+)?)\s?(mm|cm|in)?\s?(?:dia|diameter|high|height|long|length|wide|width|deep|depth)\b\.?";
    Regex::new(&format!(
        r"\b{part}\s*[x×*]\s*{part}(?:\s*[x×*]\s*{part})?(?:\s?(mm|cm|in)\b)?"
    ))
    .expect("regex")
});
/// A measure hyphened to a code or word after it: "16MM-WA80", "400ML-SPRAY".
static RE_MEASURE_HYPHEN_WORD: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(\d(?:mm|cm|in|ml|kg|g|l|m))-([a-z])").expect("regex"));
/// A word glued to a dimension: "DSIC100MMX16MM", "MACHINE1X2.0AH".
static RE_WORD_DIMS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^([a-z]{4,})(\d+(?:\.\d+)?(?:mm|cm|in)?x\d.*)$").expect("regex"));
/// A word or short code glued to a volume or weight: "GREASE18KG", "PEDAL120L", "MGB120L"
/// (three letters at least: "SS316L" is a steel grade).
static RE_WORD_CONTENT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^([a-z]{3,})(\d+(?:\.\d+)?)(l|lt|ltr|ml|kg)$").expect("regex"));
static RE_FOREIGN_SIZE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\b(?:saiz|ukuran)\b").expect("regex"));
static RE_FRACTION_DRIVE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\b(\d{1,2}/\d{1,2})dr\b").expect("regex"));
static RE_DECIMAL_COMMA: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(^|[\s(\[/:])(\d{1,3}),(\d{1,2})(\s*(?:ml|l|ltr|kg|g|mm|cm|m|in|oz)\b)").expect("regex")
});
/// A decimal comma in a dimension's middle part: "115 x 2,5 x 22 mm".
static RE_DECIMAL_COMMA_DIM: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(x\s*)(\d{1,3}),(\d{1,2})(\s*(?:mm|cm|m|in)?\s*x)").expect("regex"));
/// A length per roll ("100M/ROLL", "100MTR/ROLL"): the length, then the roll, never a part of
/// a dimension ('3/8" X 100M/ROLL' is 3/8in x 100m).
static RE_PER_ROLL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(\d)\s*(m|mtrs?|meters?|metres?|ft|yds?)\s*/\s*(roll|rl|coil|reel)\b").expect("regex")
});
/// A percentage spelt out ("70 PERCENT" = "70%").
static RE_PERCENT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(\d)\s*(?:percent|per\s+cent|pct)\b").expect("regex"));
/// "without X", "w/o X", "w/out X", "non-X", "not X": what the item is not (a bare "no" is
/// too often "No. 5" or "NO BRAND" to tell).
static RE_NEGATION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:\b(?:without|not|non|no)|\bw/o(?:ut)?)[\s\-]*(?:\b(?:the|a|an|any)\s+)?\b([a-z]{3,})\b")
        .expect("regex")
});
/// Inch fractions spelt out: "half inch", "three-quarter inch", "one and a half inches".
static RE_SPELT_INCH: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?:(one|two|three)\s+and\s+a\s+)?(half|quarter|three[\s-]quarters?)(?:\s+of\s+an|\s+an)?[\s-]*(?:inch(?:es)?\b|in\.|in\b)")
        .expect("regex")
});
/// A range of one measure: "280-300ML", "10 to 16 mm" (the smaller first).
static RE_RANGE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(\d+(?:\.\d+)?)\s*(?:-|to|~)\s*(\d+(?:\.\d+)?)(ml|l|g|kg|mm|cm|m|in)\b").expect("regex")
});
/// A note that the product is replaced: "(REPLACED BY DCD805M2T)", "[ DISCONTINUED, TO BE
/// REPLACED BY BE650 ]" names another product, not this one.
static RE_REPLACED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[(\[][^)\]]*\b(?:replaced|superseded)\s+by\b[^)\]]*[)\]]").expect("regex"));
static RE_NUMBER: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^\d+(?:\.\d+)?$").expect("regex"));
static RE_FRACTION: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^(?:\d+-)?\d+/\d+$").expect("regex"));
static RE_MEASURE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^((?:\d+-)?\d+/\d+|\d+(?:\.\d+)?)([a-z]{1,6})$").expect("regex"));

/// Normalised tokens of a product name or a requested description, in order.
pub fn tokens(text: &str) -> Vec<String> {
    let prepared = prepare(text);
    let raw: Vec<&str> = prepared.split_whitespace().collect();
    let mut out: Vec<String> = Vec::with_capacity(raw.len() + 4);
    let mut i = 0;
    while i < raw.len() {
        // "c/w", "w/": stop words before a slash could part them.
        if STOP_WORDS.contains(&raw[i]) {
            i += 1;
            continue;
        }
        let t = raw[i].trim_matches(|c: char| matches!(c, '-' | '/' | '.' | '\''));
        i += 1;
        if t.is_empty() {
            continue;
        }
        // A number followed by a unit word: "400 ml", "2.0 kg", "5 inch".
        if (RE_NUMBER.is_match(t) || RE_FRACTION.is_match(t))
            && raw.get(i).is_some_and(|n| !is_model_number(t, n))
            && let Some(u) = raw.get(i).and_then(|n| unit(n))
        {
            out.push(measure_token(t, u));
            i += 1;
            continue;
        }
        push_token(t, &mut out);
    }
    merge_sizes(&mut out);
    drop_containers(&mut out);
    out.retain(|t| !STOP_WORDS.contains(&t.as_str()));
    out
}

/// Whether `before` ends in a number that, with the one-letter unit after it, is a model
/// number and a size or a variant, not a measure: "PAIL 7009 L", "COVERALL 8805 - M",
/// "S60801-L". Four digits or more before a lone "L", "M" or "G" are never litres, metres or
/// grams in a hardware catalog (a 1000 L tank is written with its three zeros); a round
/// figure before "W" is watts ("chop saw 2300 W").
fn is_model_number(before: &str, unit: &str) -> bool {
    if unit.chars().count() != 1 {
        return false;
    }
    let rest = before.trim_end_matches(|c: char| c.is_ascii_digit());
    let digits = &before[rest.len()..];
    // "2300 W", "1400 W": a power tool's watts are round; a model before a lone "W" is not
    let watts = unit.eq_ignore_ascii_case("w") && digits.ends_with('0');
    digits.len() >= 4 && !watts && !rest.ends_with(['.', ',', '/']) && digits.parse::<u64>().is_ok_and(|v| v > 1000)
}

/// How a volume or weight is packed: "15kg pail", "500ml spray", "1 litre bottle".
const CONTAINERS: &[&str] = &[
    "pail",
    "pails",
    "bottle",
    "bottles",
    "btl",
    "btls",
    "tin",
    "tins",
    "drum",
    "drums",
    "can",
    "cans",
    "tube",
    "tubes",
    "jerrycan",
    "jerrycans",
    "sachet",
    "sachets",
    "jar",
    "jars",
    "tub",
    "tubs",
    "bucket",
    "buckets",
    "pack",
    "packs",
    "spray",
    "aerosol",
];

static RE_CONTENT: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^\d+(?:\.\d+)?(?:ml|g|oz|lb|gal)$").expect("regex"));

/// The container named right after a volume or weight: packing, not the product ("grease
/// 15kg pail" is the grease of "GREASE-15KG"), on both sides alike.
fn drop_containers(tokens: &mut Vec<String>) {
    let mut previous_is_content = false;
    tokens.retain(|t| {
        let drop = previous_is_content && CONTAINERS.contains(&t.as_str());
        previous_is_content = RE_CONTENT.is_match(t);
        !drop
    });
}

/// A negation left before a word the normaliser could not read as one ("not h/d", which the
/// synonyms write "not heavy duty"): the word after it negated, `nonheavy`, as the normaliser
/// writes "not elbow".
pub fn negated(tokens: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(tokens.len());
    let mut negate = false;
    for t in tokens {
        if negate && t.len() >= 3 && t.bytes().all(|b| b.is_ascii_lowercase()) {
            out.pop();
            out.push(format!("non{t}"));
            negate = false;
            continue;
        }
        negate = matches!(t.as_str(), "not" | "without" | "w/o");
        out.push(t);
    }
    out
}

/// The tokens joined by spaces: what the catalog stores as `search_text`.
pub fn normalize(text: &str) -> String {
    tokens(text).join(" ")
}

/// String-level rewrites before splitting into tokens.
fn prepare(text: &str) -> String {
    let mut s: String = text
        // the marks first: compatibility normalisation would spell "™" as "TM"
        .chars()
        .map(|c| {
            if matches!(c, '®' | '™' | '©' | '℠') {
                ' '
            } else {
                c
            }
        })
        .nfkc()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            '‘' | '’' | '′' | '`' | '´' => '\'',
            'ø' | '⌀' => ' ',
            '–' | '—' | '‐' | '‑' => '-',
            c => c,
        })
        .collect();
    s = strip_accents(&s);
    // "saiz L", "ukuran 8": Malay and Indonesian for "size"
    s = RE_FOREIGN_SIZE.replace_all(&s, "size").into_owned();
    // "1/2DR": a drive's size glued to "dr"
    s = RE_FRACTION_DRIVE.replace_all(&s, "${1} dr").into_owned();
    s = RE_REPLACED.replace_all(&s, " ").into_owned();
    s = RE_NEGATION.replace_all(&s, " non${1} ").into_owned();
    s = RE_SPELT_INCH
        .replace_all(&s, |c: &regex::Captures<'_>| {
            let whole = match c.get(1).map(|m| m.as_str()) {
                Some("one") => "1-",
                Some("two") => "2-",
                Some("three") => "3-",
                _ => "",
            };
            let fraction = match &c[2] {
                "half" => "1/2",
                "quarter" => "1/4",
                _ => "3/4",
            };
            format!("{whole}{fraction} inch")
        })
        .into_owned();
    // 410W x 390D x 600HT → 410x390x600 (before "w" can be read as watts)
    s = RE_MARKED_DIMS
        .replace_all(&s, |c: &regex::Captures<'_>| {
            (1..=3)
                .filter_map(|i| c.get(i).map(|m| m.as_str()))
                .collect::<Vec<_>>()
                .join("x")
        })
        .into_owned();
    s = RE_WORD_MARKED_DIMS
        .replace_all(&s, |c: &regex::Captures<'_>| {
            let parts: Vec<&str> = [1, 3, 5].iter().filter_map(|&i| c.get(i).map(|m| m.as_str())).collect();
            let unit = [2, 4, 6, 7].iter().find_map(|&i| c.get(i)).map_or("", |m| m.as_str());
            format!("{}{unit}", parts.join("x"))
        })
        .into_owned();
    s = RE_PREFIX_MARKED_DIMS
        .replace_all(&s, |c: &regex::Captures<'_>| {
            let unit = c.get(4).map_or("", |m| m.as_str());
            let parts: Vec<&str> = (1..=3).filter_map(|i| c.get(i).map(|m| m.as_str())).collect();
            format!("{}{unit}", parts.join("x"))
        })
        .into_owned();
    s = RE_PER_ROLL.replace_all(&s, "${1}${2} ${3}").into_owned();
    s = RE_PERCENT.replace_all(&s, "${1}%").into_owned();
    // "443,5 ML": a decimal comma before a unit (a thousands comma has three digits after it)
    s = RE_DECIMAL_COMMA.replace_all(&s, "${1}${2}.${3}${4}").into_owned();
    s = RE_DECIMAL_COMMA_DIM.replace_all(&s, "${1}${2}.${3}${4}").into_owned();
    // 4" / 4'' / 4” → 4in
    s = RE_INCH_QUOTES.replace_all(&s, "${1}in ").into_owned();
    // "#120-BLUE", "# 80/…": a grit even when a word is joined to it ("#1110", "#11" are
    // a model and a glove's size).
    s = RE_HASH_GRIT
        .replace_all(&s, |c: &regex::Captures<'_>| match c[1].parse::<u32>() {
            Ok(n) if is_standard_grit(n) => format!(" g{n} {}", &c[2]),
            _ => format!(" {}{}", &c[1], &c[2]),
        })
        .into_owned();
    // "500/box", "100PC/BOX", "24'S/PKT": a count per pack, not a model code
    s = RE_PER_PACK.replace_all(&s, "${1}${2}${3}${4}${5}pcs ").into_owned();
    s = sizes::code_letter_size(&s);
    s = RE_COUNT_NOUN.replace_all(&s, "${1}${2}").into_owned();
    // 200 mls / 3/4-inch / 5 kgs → 200ml / 3/4in / 5kg
    s = RE_NUMBER_UNIT
        .replace_all(&s, |c: &regex::Captures<'_>| {
            let start = c.get(0).map_or(0, |m| m.start());
            if is_model_number(&s[..=start], &c["u"]) {
                return c[0].to_string();
            }
            format!("{}{}{}", &c["n"], unit(&c["u"]).unwrap_or(&c["u"]), &c["t"])
        })
        .into_owned();
    // "280-300ml": either measure will do
    s = RE_RANGE
        .replace_all(&s, |c: &regex::Captures<'_>| {
            let (a, b) = (c[1].parse::<Decimal>(), c[2].parse::<Decimal>());
            match (a, b) {
                (Ok(a), Ok(b)) if a < b => format!("{}{u} {}{u}", &c[1], &c[2], u = &c[3]),
                _ => c[0].to_string(),
            }
        })
        .into_owned();
    s = sizes::mark(&s);
    s = RE_MEASURE_HYPHEN_WORD.replace_all(&s, "${1} ${2}").into_owned();
    // 100*1.2*16, 100 x 1.2 x 16, 480w x 560d → joined with "x" (twice for chains).
    for _ in 0..4 {
        let joined = RE_DIM_SEP.replace_all(&s, "${1}x${2}");
        if joined == s {
            break;
        }
        s = joined.into_owned();
    }
    // A grit after a dimension's last "x": 9"X11"XG320 → 9inx11in g320.
    s = RE_DIM_GRIT.replace_all(&s, "${1} g${2}").into_owned();
    s = RE_DIM_GRAIN.replace_all(&s, "${1} ${2}${3}").into_owned();
    // Punctuation that never belongs to a token.
    s.chars()
        .map(|c| match c {
            ',' | '(' | ')' | '[' | ']' | '{' | '}' | ':' | ';' | '+' | '&' | '*' | '!' | '?' | '"' | '=' | '~'
            | '|' | '@' | '<' | '>' | '^' | '_' => ' ',
            c => c,
        })
        .collect()
}

fn strip_accents(s: &str) -> String {
    if s.is_ascii() {
        return s.to_string();
    }
    s.nfd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .collect()
}

/// "2.0" → "2", "04" → "4" (for measures), "1.50" → "1.5".
fn tidy_number(n: &str) -> String {
    if RE_FRACTION.is_match(n) {
        return n.to_string();
    }
    let n = if n.contains('.') {
        n.trim_end_matches('0').trim_end_matches('.')
    } else {
        n
    };
    let trimmed = n.trim_start_matches('0');
    if trimmed.is_empty() || trimmed.starts_with('.') {
        format!("0{trimmed}")
    } else {
        trimmed.to_string()
    }
}

fn push_token(t: &str, out: &mut Vec<String>) {
    // Grit: #240, g240, p240 → g240 ("#8" is a number: a glove's size, a brush's model).
    if let Some(n) = t
        .strip_prefix('#')
        .and_then(|n| n.parse::<u32>().ok())
        .filter(|n| is_standard_grit(*n))
    {
        out.push(format!("g{n}"));
        return;
    }
    if let Some(n) = t.strip_prefix('#') {
        push_token(n, out);
        return;
    }
    // An abbreviation's dot glued to the next word: "IND.CASTOR", "M.PURPOSE", "WH.PU" are
    // two words (a dot between digits or in a code, "NO.1049", "1.5MM", stays).
    if t.contains('.') && !t.bytes().any(|b| b.is_ascii_digit()) {
        for p in t.split('.').filter(|p| !p.is_empty()) {
            push_token(p, out);
        }
        return;
    }
    // "NO.120" = "NO 120": a number's label, then the number
    if let Some((label, number)) = t.split_once('.')
        && matches!(label, "no" | "nr" | "art" | "ref" | "cat" | "item")
        && !number.is_empty()
        && number.bytes().all(|b| b.is_ascii_digit())
    {
        out.push(label.to_string());
        out.push(number.to_string());
        return;
    }
    // "MAX.150BAR", "DIA.10MM": a word's abbreviation, then a measure
    if let Some((label, rest)) = t.split_once('.')
        && label.len() >= 2
        && label.bytes().all(|b| b.is_ascii_alphabetic())
        && rest
            .split(['/', '-'])
            .next()
            .and_then(|m| RE_MEASURE.captures(m))
            .is_some_and(|c| unit(&c[2]).is_some())
    {
        out.push(label.to_string());
        push_token(rest, out);
        return;
    }
    if t.len() >= 3
        && (t.starts_with('p') || t.starts_with('g'))
        && t[1..].bytes().all(|b| b.is_ascii_digit())
        && t.len() <= 5
    {
        out.push(format!("g{}", tidy_number(&t[1..])));
        return;
    }
    // A word glued to its size is the word and the size; a short code ending in a volume
    // or weight ("MGB120L") names that volume too.
    if let Some(c) = RE_WORD_DIMS.captures(t) {
        push_token(&c[1], out);
        push_token(&c[2], out);
        return;
    }
    if let Some(c) = RE_WORD_CONTENT.captures(t) {
        if c[1].len() < 4 {
            out.push(t.to_string());
        }
        out.push(c[1].to_string());
        out.push(measure_token(&c[2], unit(&c[3]).unwrap_or("l")));
        return;
    }
    // An abrasive's grain and grit as one code ("CC120", "WA80", "AA60", "GC100"): the code
    // and the grit, so that "#120" finds "CC120" and tells it from "CC60".
    if let Some(grit) = grain_grit(t) {
        out.push(t.to_string());
        out.push(format!("g{grit}"));
        return;
    }
    // Dimensions: 100x1.2x16, 4inx2.5mm → one token, plus its measures; what follows the
    // measures ("9inx11inxg360") is read on its own.
    if t.contains('x') {
        let parts: Vec<&str> = t.split('x').collect();
        let dims = parts.iter().take_while(|p| is_dimension_part(p)).count();
        if dims >= 2 {
            let canon = canonical_dimensions(&parts[..dims]);
            out.push(canon.join("x"));
            for p in canon {
                if p.chars().any(|c| c.is_ascii_alphabetic()) {
                    out.push(p);
                }
            }
            if dims < parts.len() {
                push_token(&parts[dims..].join("x"), out);
            }
            return;
        }
        // A length times a count ("3mmx19pcs"): each alone.
        if parts.len() == 2 && parts.iter().all(|p| is_measure_like(p)) {
            push_token(parts[0], out);
            push_token(parts[1], out);
            return;
        }
    }
    // A measure written together: 400ml, 2.0kg, 5in, 1-1/2in.
    if let Some(c) = RE_MEASURE.captures(t)
        && let Some(u) = unit(&c[2])
    {
        out.push(measure_token(&c[1], u));
        return;
    }
    if RE_FRACTION.is_match(t) {
        // A fraction of an inch written without its unit ("KTC 3/8 DR"): in inches.
        if is_inch_fraction(t) {
            out.push(measure_token(t, "in"));
        } else {
            out.push(t.to_string());
        }
        return;
    }
    // A word hyphened to its size is the word and the size, not a code: "CONE-30in",
    // "GREASE-15KG", "BV-1/4in" (a code has digits on both sides: "302-25", "W3000-10"; a
    // short word and a bare number of three digits or more is one too: "KWS-701", "JEX-24").
    if let Some((word, size)) = t.split_once('-')
        && word.bytes().all(|b| b.is_ascii_alphabetic())
        && is_measure_like(size)
        && match RE_MEASURE.captures(size) {
            // a letter no unit is closes a model code ("BDD-202C", "TSG-3C"), except a count
            // ("TABLET-30S")
            Some(c) => match unit(&c[2]) {
                Some(u) => word.len() >= 3 || (u == "in" && is_inch_fraction(&c[1])),
                None => word.len() >= 3 && &c[2] == "s",
            },
            None => word.len() >= 4 && size.len() <= 2,
        }
    {
        push_token(word, out);
        push_token(size, out);
        return;
    }
    // A count hyphened to a word is the two words, not a code: "2-STROKE", "4-WHEEL" (the
    // nouns `RE_COUNT_NOUN` joins, "3-PLY", "6-POINT", are one token by now).
    if let Some((count, word)) = t.split_once('-')
        && RE_NUMBER.is_match(count)
        && word.len() >= 3
        && word.bytes().all(|b| b.is_ascii_alphabetic())
        && unit(word).is_none()
    {
        out.push(tidy_number(count));
        out.push(word.to_string());
        return;
    }
    if t.contains('-') || t.contains('/') {
        let parts: Vec<&str> = t.split(['-', '/']).filter(|p| !p.is_empty()).collect();
        // measures side by side are each a measure: "150BAR/2000W", "500ML/415G"
        if parts.len() >= 2
            && parts
                .iter()
                .all(|p| RE_MEASURE.captures(p).is_some_and(|c| unit(&c[2]).is_some()))
        {
            for p in parts {
                push_token(p, out);
            }
            return;
        }
        let has_digit = t.bytes().any(|b| b.is_ascii_digit());
        if has_digit {
            // A code: keep it whole, compacted, and its parts.
            out.push(t.to_string());
            let compact: String = parts.concat();
            if compact != t {
                out.push(compact);
            }
        }
        for p in parts {
            push_token(p, out);
        }
        return;
    }
    let t = t.replace('\'', "");
    if t.is_empty() {
        return;
    }
    if RE_NUMBER.is_match(&t) {
        out.push(tidy_number(&t));
    } else {
        out.push(t);
    }
}

/// A dimension's value without its units when its parts have one: "200mmx20mmx32mm" →
/// "200x20x32". A catalog that writes "200*20*32" means that size: one side's unit is the
/// other's when it states none (see `scoring`).
pub fn bare_dimensions(t: &str) -> Option<String> {
    if !t.contains('x') {
        return None;
    }
    let mut bare = Vec::new();
    let mut any_unit = false;
    for part in t.split('x') {
        if RE_NUMBER.is_match(part) || RE_FRACTION.is_match(part) {
            bare.push(part);
            continue;
        }
        let c = RE_MEASURE.captures(part)?;
        if !units::is_length(&c[2]) {
            return None;
        }
        any_unit = true;
        bare.push(c.get(1).map_or("", |m| m.as_str()));
    }
    (any_unit && bare.len() >= 2).then(|| bare.join("x"))
}

/// The other ways a catalog writes a dimension token when one side states no unit: with
/// units, the bare numbers ("200mmx20mmx32mm" → "200x20x32"); bare, in millimetres and in
/// inches ("200x20x32" → "200mmx20mmx32mm", "200inx20inx32in"). Empty for other tokens.
pub fn dimension_equivalents(t: &str) -> Vec<String> {
    let mut out = written_equivalents(t);
    // a part converted from inches as a catalog rounds it: "115mmx2.5mmx22.23mm" =
    // "115mmx2.5mmx22mm"
    let parts: Vec<String> = t
        .split('x')
        .map(|p| inches::rounded_inch_mm(p).unwrap_or_else(|| p.to_string()))
        .collect();
    let rounded = parts.join("x");
    if rounded != t {
        out.extend(written_equivalents(&rounded));
        out.push(rounded);
    }
    out.dedup();
    out
}

/// The other ways to write a dimension, its parts as written.
fn written_equivalents(t: &str) -> Vec<String> {
    // a roll written width by length or length by width: "1mx50m" = "50mx1m" (both parts in
    // metres; a disc's "100mmx6mm" or a sign's "35cmx25cm" has an order)
    let unit = |p: &str| {
        RE_MEASURE
            .captures(p)
            .filter(|c| units::is_length(&c[2]))
            .map(|c| c[2].to_string())
    };
    // a roll's width in millimetres by its length in metres either way round too: "500mmx50m"
    // = "50mx500mm"
    let metric = |p: &str| unit(p).filter(|u| matches!(u.as_str(), "mm" | "cm" | "m"));
    let swapped = match t.split('x').collect::<Vec<_>>()[..] {
        [a, b] if a != b => match (metric(a), metric(b)) {
            (Some(ua), Some(ub)) if ua == "m" || ub == "m" => Some(format!("{b}x{a}")),
            _ => None,
        },
        _ => None,
    };
    if let Some(bare) = bare_dimensions(t) {
        let mut out = vec![bare];
        out.extend(swapped);
        out.extend(thickness_and_bore_swapped(t));
        // the first part (a disc's or wheel's diameter) in the other system: 4inx6mm = 100mmx6mm
        if let Some((first, rest)) = t.split_once('x') {
            out.extend(nominal_equivalent(first).map(|e| format!("{e}x{rest}")));
        }
        return out;
    }
    let parts: Vec<&str> = t.split('x').collect();
    if parts.len() < 2 || !parts.iter().all(|p| RE_NUMBER.is_match(p) || RE_FRACTION.is_match(p)) {
        return Vec::new();
    }
    let mut out: Vec<String> = ["mm", "in"]
        .iter()
        .map(|u| parts.iter().map(|p| format!("{p}{u}")).collect::<Vec<_>>().join("x"))
        .collect();
    // a wheel's thickness and bore the other way round, with the units too ("355x3x25.4" =
    // "355mmx25.4mmx3mm")
    let swapped: Vec<String> = out.iter().filter_map(|e| thickness_and_bore_swapped(e)).collect();
    out.extend(thickness_and_bore_swapped(t));
    out.extend(swapped);
    out
}

/// A disc's or wheel's diameter, thickness and bore with the last two the other way round:
/// "405mmx3mmx25.4mm" = "405mmx25.4mmx3mm". Only when the first is the largest, all three
/// share one unit, and the last two are far apart (a thickness and a bore); a cabinet's
/// "600x400x300" is another cabinet than "600x300x400".
fn thickness_and_bore_swapped(t: &str) -> Option<String> {
    let parts: Vec<&str> = t.split('x').collect();
    let [a, b, c] = parts[..] else { return None };
    let value = |p: &str| -> Option<(Decimal, String)> {
        if RE_NUMBER.is_match(p) {
            return Some((p.parse().ok()?, String::new()));
        }
        let m = RE_MEASURE.captures(p)?;
        units::is_length(&m[2]).then_some(())?;
        Some((m[1].parse().ok()?, m[2].to_string()))
    };
    let ((va, ua), (vb, ub), (vc, uc)) = (value(a)?, value(b)?, value(c)?);
    let (small, large) = if vb < vc { (vb, vc) } else { (vc, vb) };
    (ua == ub && ub == uc && va > large && small > Decimal::ZERO && large >= small * Decimal::TWO)
        .then(|| format!("{a}x{c}x{b}"))
}

/// Abrasive grains written before a grit: aluminium oxide (A, AA, WA), silicon carbide (GC),
/// zirconia (ZA), closed coat (CC).
const GRAINS: &[&str] = &["a", "aa", "wa", "gc", "za", "cc"];

/// The grit of a grain-and-grit code ("cc120" → 120), when the number is a standard grit.
fn grain_grit(t: &str) -> Option<u32> {
    let digits = t.find(|c: char| c.is_ascii_digit())?;
    let (grain, number) = t.split_at(digits);
    if !GRAINS.contains(&grain) || number.len() < 2 || !number.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n: u32 = number.parse().ok()?;
    let coarse = [12, 14, 16, 20, 22, 24, 30, 36, 40, 46, 54, 60, 70, 80, 90];
    (coarse.contains(&n) || ((100..=3000).contains(&n) && n.is_multiple_of(10))).then_some(n)
}

/// The grits abrasives are made in (FEPA P and F, CAMI, JIS): what "#N" and "N grit" can
/// mean.
const STANDARD_GRITS: &[u32] = &[
    12, 16, 20, 24, 30, 36, 40, 46, 50, 54, 60, 70, 80, 90, 100, 120, 150, 180, 220, 240, 280, 320, 360, 400, 500, 600,
    700, 800, 1000, 1200, 1500, 2000, 2500, 3000, 4000, 5000, 6000, 8000, 10000,
];

pub fn is_standard_grit(n: u32) -> bool {
    STANDARD_GRITS.contains(&n)
}

/// A part of a dimension: a number or a measure, not a count ("3MM X 19PCS" is a size and
/// a count; "1X2.0AH" stays one battery of 2 Ah).
fn is_dimension_part(p: &str) -> bool {
    is_measure_like(p) && RE_MEASURE.captures(p).is_none_or(|c| unit(&c[2]) != Some("pcs"))
}

fn is_measure_like(p: &str) -> bool {
    RE_NUMBER.is_match(p)
        || RE_FRACTION.is_match(p)
        || RE_MEASURE
            .captures(p)
            .is_some_and(|c| unit(&c[2]).is_some() || c[2].len() == 1)
}

/// A number and a canonical unit as one token, metric sizes in their base unit:
/// ("2.0", "kg") → "2000g", ("3/4", "in") → "3/4in".
fn measure_token(number: &str, unit: &str) -> String {
    // inches in decimals: "2-1/2\"" = "2.5\"", "3/4 inch" = "0.75in"
    if unit == "in"
        && let Some(v) = inch_fraction_value(number)
    {
        return format!("{}in", tidy_number(&v.normalize().to_string()));
    }
    let tidy = tidy_number(number);
    match tidy.parse::<Decimal>() {
        Ok(v) => {
            let (v, base) = units::to_base(v, unit);
            format!("{}{base}", tidy_number(&v.to_string()))
        }
        Err(_) => format!("{tidy}{unit}"),
    }
}

/// The parts of a dimension, each canonical; a unit written after a part is the unit of the
/// parts before it that have none ("9x11in" = "9inx11in", "230x6x22mm" = "230mmx6mmx22mm").
fn canonical_dimensions(parts: &[&str]) -> Vec<String> {
    let split: Vec<(String, Option<&str>)> = parts
        .iter()
        .map(|p| match RE_MEASURE.captures(p) {
            Some(c) => (
                c[1].to_string(),
                Some(unit(&c[2]).unwrap_or(c.get(2).map_or("", |m| m.as_str()))),
            ),
            None => (p.to_string(), None),
        })
        .collect();
    // A part without a unit takes the unit of the next part that has a length unit ("9x11in"
    // = 9in x 11in, "5\"X2X22MM" = 5in x 2mm x 22mm); before a length in metres it is a
    // width in millimetres (a roll or tape: "100*50M" = 100mm x 50m); a dimension with a
    // fraction and no unit is in inches ("3/8 x 1").
    let all_bare_fraction =
        split.iter().all(|(_, u)| u.is_none()) && split.iter().any(|(n, _)| RE_FRACTION.is_match(n));
    // After the last unit, an inch fraction after inches is in inches ("4in x 5/8"); other
    // bare parts stay bare ("100mmx2x3").
    let after: Vec<Option<&str>> = (0..split.len())
        .map(|i| {
            if all_bare_fraction {
                return Some("in");
            }
            split[i + 1..]
                .iter()
                .find_map(|(_, u)| *u)
                .filter(|u| units::is_length(u))
                .map(|u| if u == "m" { "mm" } else { u })
                // an inch fraction after the last unit is in inches ("4in x 5/8", "10mm x 3/8":
                // fractions are no metric sizes)
                .or_else(|| is_inch_fraction(&split[i].0).then_some("in"))
        })
        .collect();
    split
        .iter()
        .zip(after)
        .map(|((n, u), trailing)| match u.or(trailing) {
            Some(u) if unit(u).is_some() => measure_token(n, u),
            Some(u) => format!("{}{u}", tidy_number(n)),
            None => tidy_number(n),
        })
        .collect()
}

/// "size 08" / "size uk-8" / "uk 8" → "size8"; "grit 240" = "240 grit" → "g240" ("grit
/// g240" too).
fn merge_sizes(tokens: &mut Vec<String>) {
    let mut out = Vec::with_capacity(tokens.len());
    let mut i = 0;
    while i < tokens.len() {
        let t = tokens[i].as_str();
        // "240 grit" → "g240"
        if tokens.get(i + 1).is_some_and(|g| g == "grit" || g == "grits")
            && let Ok(n) = t.parse::<u32>()
            && is_standard_grit(n)
        {
            out.push(format!("g{n}"));
            i += 2;
            continue;
        }
        if t == "grit"
            && let Some(n) = tokens.get(i + 1)
        {
            if n.bytes().all(|b| b.is_ascii_digit()) {
                out.push(format!("g{}", tidy_number(n)));
                i += 2;
                continue;
            }
            if n.starts_with('g') && n.len() > 1 && n[1..].bytes().all(|b| b.is_ascii_digit()) {
                i += 1;
                continue;
            }
        }
        if t == "size" || t == "sz" || t == "uk" {
            let mut j = i + 1;
            if tokens.get(j).is_some_and(|n| n == "uk") {
                j += 1;
            }
            if let Some(n) = tokens
                .get(j)
                .filter(|n| n.len() <= 3 && n.bytes().all(|b| b.is_ascii_digit()))
            {
                out.push(format!("size{}", tidy_number(n)));
                i = j + 1;
                continue;
            }
            if t != "uk"
                && let Some(n) = tokens.get(j).filter(|n| is_letter_size(n))
            {
                out.push(format!("size{n}"));
                i = j + 1;
                continue;
            }
        }
        out.push(tokens[i].clone());
        i += 1;
    }
    *tokens = out;
}

#[cfg(test)]
mod tests;
