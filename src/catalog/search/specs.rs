//! A requested product with its specification sheet: "Cordless drill driver; Make/Model:
//! Makita DDF482RTE; Voltage: 18V Li-ion; Chuck: 13mm keyless; Warranty: 2 years" (a tender's
//! item block, read with its labelled lines). The catalog names a product by what it is, who
//! makes it, its model and size, not by its performance figures or terms: the catalog is
//! searched with the title, the values of the lines that name the product (make, model,
//! type, size, colour, capacity …) and the unlabelled notes ("bare tool"); lines that state
//! performance or terms ("Voltage: 18V", "Warranty: 2 years") are left out. The line keeps
//! the buyer's words.

use std::borrow::Cow;
use std::sync::LazyLock;

use regex::Regex;

/// "Label: value" of a specification line: a label of one to five words without figures.
static LABELLED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(?P<label>[A-Za-z][A-Za-z.'/&()-]*(?:\s+[A-Za-z.'/&()-]+){0,4})\s*:\s*(?P<value>\S.*?)\s*$")
        .expect("regex")
});

/// Labels whose values name the product: who makes it, its model, type, size or colour.
static NAMES_PRODUCT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?ix)^(?:
            make|brand|maker|manufacturer|mfr|mfg|model|models|type|product|item|article
          | part\s*(?:no\.?|number)|p/n|mpn|cat(?:alog(?:ue)?)?\.?\s*no\.?|series|range
          | size|sizes|colou?r|capacity|volume|pack(?:ing)?(?:\s+size)?|pack|contents|dimensions?
          | dia\.?|diameter|length|width|thickness|height|grit|grade|material|finish|thread
          | (?:disc|blade|wheel|pad|tank|bar|guide\s+bar|hose|cable|nozzle|cup|chuck|drive|bore)(?:\s+(?:size|dia\.?|diameter|length|capacity|type))?
        )(?:\s*/\s*(?:make|brand|model|type|size|colou?r|series))*$",
    )
    .expect("regex")
});

/// The text the catalog is searched with: segments after the first ("; " or " | " apart)
/// that label a figure of performance or a term are left out; those naming the product keep
/// their value. Unchanged when no segment is left out.
pub fn identity(description: &str) -> Cow<'_, str> {
    let segments: Vec<&str> = description.split(['|', ';']).map(str::trim).collect();
    if segments.len() < 2 {
        return Cow::Borrowed(description);
    }
    let mut kept: Vec<&str> = Vec::with_capacity(segments.len());
    let mut dropped = false;
    for (i, segment) in segments.iter().enumerate() {
        if segment.is_empty() {
            continue;
        }
        match LABELLED.captures(segment) {
            Some(c) if i > 0 => {
                let label = c.name("label").map_or("", |m| m.as_str()).trim();
                if NAMES_PRODUCT.is_match(label) {
                    kept.push(c.name("value").map_or("", |m| m.as_str()));
                }
                dropped = true;
            }
            _ => kept.push(segment),
        }
    }
    if !dropped || kept.is_empty() {
        return Cow::Borrowed(description);
    }
    Cow::Owned(kept.join("; "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_specification_sheet_is_searched_by_what_names_the_product() {
        assert_eq!(
            identity(
                "Item 1: Cordless Drill Driver; Make/Model: Makita DDF482RTE or approved equivalent; \
                 Voltage: 18V Li-ion; Chuck: 13mm keyless; Battery: 2 x 5.0Ah with rapid charger; Warranty: 2 years"
            ),
            "Item 1: Cordless Drill Driver; Makita DDF482RTE or approved equivalent; 13mm keyless"
        );
        assert_eq!(
            identity("Mop bucket with wringer; Make/model: Supersteam TTS Luxe 30; Colour: Blue; Capacity: 30 litres"),
            "Mop bucket with wringer; Supersteam TTS Luxe 30; Blue; 30 litres"
        );
        assert_eq!(
            identity("Cordless blower | Model: Makita DUB185Z, bare unit | Voltage: 18V | Variable speed trigger"),
            "Cordless blower; Makita DUB185Z, bare unit; Variable speed trigger"
        );
    }

    #[test]
    fn a_description_without_a_specification_is_searched_as_written() {
        for d in [
            "Nitrile gloves size L",
            "Safety helmet: white, with ratchet",
            "Cable ties 300mm; black",
        ] {
            assert_eq!(identity(d), d);
        }
        assert_eq!(identity("Hex bolt M12 x 50; Size: M12"), "Hex bolt M12 x 50; M12");
    }
}
