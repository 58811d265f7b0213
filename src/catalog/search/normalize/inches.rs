//! Inches as catalogs and buyers write them: fractions ("3/8", "1-1/2") read as decimals,
//! and the nominal sizes that name the same disc or wheel in inches and millimetres.

use rust_decimal::Decimal;

/// "3/8", "1-1/2", "5/16": a fraction whose denominator halves an inch (2 … 64) and whose
/// numerator is smaller. "24/7" or "50/50" are not sizes.
pub(super) fn is_inch_fraction(t: &str) -> bool {
    let frac = t.rsplit_once('-').map_or(t, |(_, f)| f);
    let Some((a, b)) = frac.split_once('/') else {
        return false;
    };
    match (a.parse::<u32>(), b.parse::<u32>()) {
        (Ok(a), Ok(b)) => matches!(b, 2 | 4 | 8 | 16 | 32 | 64) && a > 0 && a < b,
        _ => false,
    }
}

/// The value of an inch fraction: "1-1/2" → 1.5, "3/8" → 0.375 (exact: the denominators
/// are powers of two).
pub(super) fn inch_fraction_value(t: &str) -> Option<Decimal> {
    if !is_inch_fraction(t) {
        return None;
    }
    let (whole, frac) = match t.split_once('-') {
        Some((w, f)) => (w.parse::<Decimal>().ok()?, f),
        None => (Decimal::ZERO, t),
    };
    let (a, b) = frac.split_once('/')?;
    Some(whole + a.parse::<Decimal>().ok()? / b.parse::<Decimal>().ok()?)
}

/// Nominal sizes in inches and millimetres that name the same disc, wheel, castor or brush
/// ("4\"(100MM)", "7\" 180MM"): 1 in = 25.4 mm, rounded as the trade rounds.
const NOMINAL_INCH_MM: &[(&str, &str)] = &[
    ("2", "50"),
    ("3", "75"),
    ("4", "100"),
    ("4.5", "115"),
    ("5", "125"),
    ("6", "150"),
    ("7", "180"),
    ("8", "200"),
    ("9", "230"),
    ("10", "250"),
    ("12", "300"),
    ("14", "355"),
    ("16", "400"),
];

/// A length in millimetres converted exactly from inches, as catalogs round it to the
/// millimetre: "22.23mm" (7/8", a disc's bore) → "22mm", "15.88mm" (5/8") → "16mm",
/// "25.4mm" → "25mm". Only whole sixteenths of an inch from 10 mm up: "10.3mm" (a hole) and
/// "2.5mm" (a disc's thickness) are sizes of their own.
pub fn rounded_inch_mm(t: &str) -> Option<String> {
    let n: Decimal = t.strip_suffix("mm")?.parse().ok()?;
    if n < Decimal::TEN || n.fract().is_zero() {
        return None;
    }
    let sixteenths = n * Decimal::from(16) / Decimal::new(254, 1);
    if (sixteenths - sixteenths.round()).abs() > Decimal::new(2, 2) {
        return None;
    }
    Some(format!("{}mm", n.round()))
}

/// The same nominal length in the other system: "4in" → "100mm", "230mm" → "9in".
pub fn nominal_equivalent(t: &str) -> Option<String> {
    if let Some(n) = t.strip_suffix("in") {
        return NOMINAL_INCH_MM
            .iter()
            .find(|(i, _)| *i == n)
            .map(|(_, mm)| format!("{mm}mm"));
    }
    let n = t.strip_suffix("mm")?;
    NOMINAL_INCH_MM
        .iter()
        .find(|(_, mm)| *mm == n)
        .map(|(i, _)| format!("{i}in"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn millimetres_converted_from_inches_are_rounded_as_catalogs_write_them() {
        assert_eq!(rounded_inch_mm("22.23mm").as_deref(), Some("22mm"));
        assert_eq!(rounded_inch_mm("15.88mm").as_deref(), Some("16mm"));
        assert_eq!(rounded_inch_mm("25.4mm").as_deref(), Some("25mm"));
        assert_eq!(rounded_inch_mm("10.3mm"), None);
        assert_eq!(rounded_inch_mm("2.5mm"), None);
        assert_eq!(rounded_inch_mm("22mm"), None);
        assert_eq!(rounded_inch_mm("22.23in"), None);
    }
}
