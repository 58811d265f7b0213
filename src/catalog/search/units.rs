//! Units of measure as catalogs and buyers write them, in one table: the normaliser reads
//! sizes with it ("200 mls", "4 litre", "3/4-inch") and the requirement extractor reads a
//! Unit column or "qty: 50 m" with it. Each spelling maps to a canonical symbol, and the
//! metric ones to a base unit so that `4 l` and `4000 ml`, or `60 cm` and `600 mm`, are the
//! same token on both sides of a match.

use rust_decimal::Decimal;

/// A canonical unit of measure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Measure {
    /// The symbol written after the number in normalised text ("ml", "in").
    pub symbol: &'static str,
    /// Whether a quantity may be ordered in it ("50 m of hose", "20 kg"); "in" or "v" are
    /// sizes only.
    pub orderable: bool,
}

const fn m(symbol: &'static str, orderable: bool) -> Measure {
    Measure { symbol, orderable }
}

/// Spellings (lower case, without a trailing dot) and their unit.
const SPELLINGS: &[(&str, Measure)] = &[
    ("mm", m("mm", true)),
    ("millimeter", m("mm", true)),
    ("millimeters", m("mm", true)),
    ("millimetre", m("mm", true)),
    ("millimetres", m("mm", true)),
    ("cm", m("cm", true)),
    ("cms", m("cm", true)),
    ("m", m("m", true)),
    ("mtr", m("m", true)),
    ("mtrs", m("m", true)),
    ("meter", m("m", true)),
    ("meters", m("m", true)),
    ("metre", m("m", true)),
    ("metres", m("m", true)),
    ("lm", m("m", true)),
    ("km", m("km", false)),
    ("in", m("in", false)),
    ("inch", m("in", false)),
    ("inches", m("in", false)),
    ("inci", m("in", false)),
    ("inchi", m("in", false)),
    ("ft", m("ft", true)),
    ("feet", m("ft", true)),
    ("foot", m("ft", true)),
    ("feets", m("ft", true)),
    ("fts", m("ft", true)),
    ("yd", m("yd", true)),
    ("yds", m("yd", true)),
    ("yard", m("yd", true)),
    ("yards", m("yd", true)),
    ("ml", m("ml", true)),
    ("mls", m("ml", true)),
    ("millilitre", m("ml", true)),
    ("millilitres", m("ml", true)),
    ("milliliter", m("ml", true)),
    ("milliliters", m("ml", true)),
    ("cl", m("cl", false)),
    ("l", m("l", true)),
    ("lt", m("l", true)),
    ("lts", m("l", true)),
    ("ltr", m("l", true)),
    ("ltrs", m("l", true)),
    ("litre", m("l", true)),
    ("litres", m("l", true)),
    ("liter", m("l", true)),
    ("liters", m("l", true)),
    ("gal", m("gal", true)),
    ("gals", m("gal", true)),
    ("gallon", m("gal", true)),
    ("gallons", m("gal", true)),
    ("g", m("g", true)),
    ("gm", m("g", true)),
    ("gms", m("g", true)),
    ("gr", m("g", true)),
    ("gram", m("g", true)),
    ("grams", m("g", true)),
    ("gramme", m("g", true)),
    ("grammes", m("g", true)),
    ("kg", m("kg", true)),
    ("kgs", m("kg", true)),
    ("kilo", m("kg", true)),
    ("kilos", m("kg", true)),
    ("kilogram", m("kg", true)),
    ("kilograms", m("kg", true)),
    ("oz", m("oz", false)),
    ("lb", m("lb", true)),
    ("lbs", m("lb", true)),
    ("m2", m("m2", true)),
    ("sqm", m("m2", true)),
    ("m3", m("m3", true)),
    ("cbm", m("m3", true)),
    ("w", m("w", false)),
    ("watt", m("w", false)),
    ("watts", m("w", false)),
    ("kw", m("kw", false)),
    ("v", m("v", false)),
    ("volt", m("v", false)),
    ("volts", m("v", false)),
    ("a", m("a", false)),
    ("amp", m("a", false)),
    ("amps", m("a", false)),
    ("ah", m("ah", false)),
    ("mah", m("mah", false)),
    ("hp", m("hp", false)),
    ("bar", m("bar", false)),
    ("psi", m("psi", false)),
    ("rpm", m("rpm", false)),
    // a cubic centimetre is a millilitre ("600cc cup" = "0.6L TANK")
    ("cc", m("ml", false)),
    ("hz", m("hz", false)),
    ("kva", m("kva", false)),
    ("mpa", m("mpa", false)),
    ("nm", m("nm", false)),
    // A count in a pack: "100PC/BOX", "80'S", "80 sheets" are one token.
    ("pc", m("pcs", false)),
    ("pcs", m("pcs", false)),
    ("'s", m("pcs", false)),
    ("piece", m("pcs", false)),
    ("pieces", m("pcs", false)),
    ("sheets", m("pcs", false)),
    ("pulls", m("pcs", false)),
];

/// The unit a spelling means ("Ltrs" → l, "mls" → ml, "in." → in).
pub fn measure(word: &str) -> Option<Measure> {
    let w = word.trim_end_matches('.');
    if w.is_empty() || w.len() > 12 {
        return None;
    }
    let lower = w.to_ascii_lowercase();
    SPELLINGS.iter().find(|(k, _)| *k == lower).map(|(_, v)| *v)
}

/// A unit a quantity may be ordered in, as the requirement extractor writes it.
pub fn order_unit(word: &str) -> Option<&'static str> {
    measure(word).filter(|m| m.orderable).map(|m| m.symbol)
}

/// Every spelling, longest first: the alternation the normaliser's patterns are built from.
pub fn spellings_longest_first() -> Vec<&'static str> {
    let mut all: Vec<&str> = SPELLINGS.iter().map(|(k, _)| *k).collect();
    all.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
    all
}

/// Units of length: the ones a dimension's parts share ("9x11in").
pub fn is_length(symbol: &str) -> bool {
    matches!(symbol, "mm" | "cm" | "m" | "in" | "ft" | "yd")
}

/// Metric units written in their base unit, so that every spelling of one size is one token:
/// l and cl → ml, kg → g, cm → mm. Metres stay metres: "3m" is as often the brand 3M as a
/// length, and hose and tape lengths are written in metres on both sides anyway.
pub fn to_base(value: Decimal, symbol: &str) -> (Decimal, &str) {
    let (factor, base) = match symbol {
        "l" => (1000, "ml"),
        "cl" => (10, "ml"),
        "kg" => (1000, "g"),
        "cm" => (10, "mm"),
        _ => return (value, symbol),
    };
    ((value * Decimal::from(factor)).normalize(), base)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_read_as_one_unit() {
        for (w, s) in [
            ("mls", "ml"),
            ("ML", "ml"),
            ("Ltrs", "l"),
            ("litre", "l"),
            ("kgs", "kg"),
            ("in.", "in"),
            ("Inches", "in"),
            ("mtr", "m"),
        ] {
            assert_eq!(measure(w).map(|m| m.symbol), Some(s), "{w}");
        }
        assert_eq!(measure("days"), None);
        assert_eq!(measure(""), None);
    }

    #[test]
    fn orderable_units_only() {
        assert_eq!(order_unit("Mtrs"), Some("m"));
        assert_eq!(order_unit("kgs"), Some("kg"));
        assert_eq!(order_unit("inch"), None);
        assert_eq!(order_unit("v"), None);
    }

    #[test]
    fn metric_sizes_in_base_units() {
        let d = |s: &str| s.parse::<Decimal>().expect("decimal");
        assert_eq!(to_base(d("4"), "l"), (d("4000"), "ml"));
        assert_eq!(to_base(d("0.5"), "kg"), (d("500"), "g"));
        assert_eq!(to_base(d("2.5"), "cm"), (d("25"), "mm"));
        assert_eq!(to_base(d("3"), "in"), (d("3"), "in"));
    }
}
