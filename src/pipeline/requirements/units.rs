//! Units of count as buyers write them, normalised: "PCS", "pieces", "Nos", "ea", "prs" …;
//! units of measure come from the catalog search's one table (`catalog::search::units`).

/// Canonical unit for a spelling, or None if the word is not a unit of count.
pub fn canonical(word: &str) -> Option<&'static str> {
    let w = word.trim_matches(|c: char| !c.is_alphanumeric()).to_ascii_lowercase();
    Some(match w.as_str() {
        "pc" | "pcs" | "pce" | "pces" | "piece" | "pieces" | "pcs." => "pcs",
        // engineering English: "200 off" is two hundred pieces
        "off" => "pcs",
        // Pieces as other languages write them (de, fr, es, it, ms).
        "stk" | "stck" | "stück" | "stuk" | "stuks" | "pièce" | "pièces" | "pza" | "pzas" | "pieza" | "piezas"
        | "pezzi" | "biji" | "buah" => "pcs",
        "no" | "nos" | "nr" | "nrs" | "number" | "numbers" => "nos",
        "ea" | "each" => "ea",
        "unit" | "units" | "unidad" | "unidades" | "uds" | "un" | "und" | "unid" | "unids" | "unidade" | "unité"
        | "unités" => "units",
        "set" | "sets" | "satz" | "jgo" | "juego" | "juegos" | "jogo" | "jogos" => "sets",
        "box" | "boxes" | "bx" | "kotak" | "caja" | "cajas" | "boîte" | "boîtes" => "boxes",
        "roll" | "rolls" | "rl" | "rol" | "rolle" | "rollen" | "rouleau" | "rouleaux" | "rollo" | "rollos"
        | "gulung" => "rolls",
        "pair" | "pairs" | "pr" | "prs" | "paa" | "paar" | "pasang" | "paire" | "paires" | "par" | "pares" => "pairs",
        "pack" | "packs" | "pk" | "pks" | "pak" | "pkt" | "pkts" | "packet" | "packets" | "paquete" | "paquetes"
        | "pacote" | "pacotes" => "packs",
        "bottle" | "bottles" | "btl" | "btls" | "bt" => "bottles",
        "can" | "cans" => "cans",
        "tin" | "tins" => "tins",
        "drum" | "drums" => "drums",
        "pail" | "pails" => "pails",
        "carton" | "cartons" | "ctn" | "ctns" | "karton" | "kartons" | "kart" => "cartons",
        "bag" | "bags" => "bags",
        "tube" | "tubes" => "tubes",
        "sheet" | "sheets" | "sht" | "shts" => "sheets",
        "dozen" | "doz" | "dz" => "dozen",
        "length" | "lengths" => "lengths",
        "ream" | "reams" => "reams",
        "coil" | "coils" => "coils",
        "lot" | "lots" => "lots",
        "kit" | "kits" => "kits",
        "tray" | "trays" => "trays",
        "case" | "cases" => "cases",
        "jar" | "jars" => "jars",
        "tub" | "tubs" => "tubs",
        "pkg" | "pkgs" | "package" | "packages" => "packs",
        "bundle" | "bundles" | "bdl" | "bdls" => "bundles",
        "reel" | "reels" | "spool" | "spools" => "reels",
        "sack" | "sacks" => "bags",
        "bucket" | "buckets" => "buckets",
        "container" | "containers" | "jerrycan" | "jerrycans" | "jerrican" | "jerricans" | "canister" | "canisters" => {
            "containers"
        }
        // Malay and Indonesian counting words
        "helai" | "lembar" | "lbr" => "sheets",
        "batang" | "btg" => "lengths",
        "karung" | "beg" => "bags",
        "botol" => "bottles",
        "kaleng" | "klg" => "cans",
        "tabung" => "cylinders",
        "dus" | "dos" => "boxes",
        "bungkus" | "bks" | "pek" => "packs",
        "keping" | "kpg" => "pcs",
        "ikat" => "bundles",
        "psg" => "pairs",
        "tiub" => "tubes",
        "cylinder" | "cylinders" | "cyl" => "cylinders",
        "tank" | "tanks" => "tanks",
        "strip" | "strips" => "strips",
        "pad" | "pads" => "pads",
        "cartridge" | "cartridges" | "ctg" | "ctgs" | "cart" => "cartridges",
        "sausage" | "sausages" => "sausages",
        "sleeve" | "sleeves" => "sleeves",
        _ => return None,
    })
}

/// Measures that are units only where the document says so (a Unit column, "qty: 50 m"):
/// in running text "hose 50m" is a size. The table is the catalog search's, so that both
/// read "Ltrs" or "kgs" alike.
pub fn canonical_measure(word: &str) -> Option<&'static str> {
    let w = word.trim_matches(|c: char| !c.is_alphanumeric());
    crate::catalog::search::units::order_unit(w)
}

/// Any unit a Unit column may hold.
pub fn canonical_any(word: &str) -> Option<&'static str> {
    canonical(word).or_else(|| canonical_measure(word))
}

/// Units of time or service that an explicit quantity column may hold ("5 DAYS" of forklift
/// rental); in running text "within 5 days" is a delivery term, so only tables read them.
pub fn service(word: &str) -> Option<&'static str> {
    let w = word.trim_matches(|c: char| !c.is_alphanumeric()).to_ascii_lowercase();
    Some(match w.as_str() {
        "day" | "days" => "days",
        "hr" | "hrs" | "hour" | "hours" => "hours",
        "week" | "weeks" | "wk" | "wks" => "weeks",
        "month" | "months" | "mth" | "mths" => "months",
        "trip" | "trips" => "trips",
        "job" | "jobs" => "jobs",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_normalise() {
        assert_eq!(canonical("PCS"), Some("pcs"));
        assert_eq!(canonical("Pieces"), Some("pcs"));
        assert_eq!(canonical("Nos."), Some("nos"));
        assert_eq!(canonical("ea"), Some("ea"));
        assert_eq!(canonical("prs"), Some("pairs"));
        assert_eq!(canonical("days"), None);
        assert_eq!(canonical("m"), None);
        assert_eq!(canonical_any("Mtrs"), Some("m"));
        assert_eq!(canonical("Stk"), Some("pcs"));
        assert_eq!(canonical("pasang"), Some("pairs"));
        assert_eq!(canonical("klg"), Some("cans"));
        assert_eq!(canonical("dus"), Some("boxes"));
        // "tong sampah" is a waste bin, "baldi mop" a mop bucket: no units
        assert_eq!(canonical("tong"), None);
        assert_eq!(canonical("baldi"), None);
        assert_eq!(canonical("Rolle"), Some("rolls"));
        // SAP's units of measure
        assert_eq!(canonical("PAA"), Some("pairs"));
        assert_eq!(canonical("ROL"), Some("rolls"));
        assert_eq!(canonical("BT"), Some("bottles"));
        assert_eq!(canonical("sleeves"), Some("sleeves"));
        assert_eq!(canonical("off"), Some("pcs"));
    }
}
