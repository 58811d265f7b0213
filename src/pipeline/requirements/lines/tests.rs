use super::*;

fn r(line: &str) -> Option<(String, String, String)> {
    item(line).map(|r| (r.description, r.quantity.to_string(), r.unit))
}

fn some(d: &str, q: &str, u: &str) -> Option<(String, String, String)> {
    Some((d.into(), q.into(), u.into()))
}

#[test]
fn a_price_basis_is_no_quantity() {
    assert_eq!(
        r("Tracking no.: U2-MNT-404  Requisitioner: KUMAR.S  Valuation price: 0.00 SGD / 1 EA"),
        None
    );
    assert_eq!(r("Unit rate: S$ 4.50 per 1 pc"), None);
    assert_eq!(r("Preambles to Bill No. 7"), None);
    assert_eq!(r("Delivery: Lot 2231"), None);
    assert_eq!(r("Delivery: Lot 5"), None);
    assert_eq!(r("Delivery in 3 lots"), None);
    // a percentage is no count
    assert_eq!(r("Add 9% GST"), None);
    assert_eq!(r("Less 5 % discount"), None);
    assert_eq!(r("Cable ties 200mm - 100 pcs"), some("Cable ties 200mm", "100", "pcs"));
}

#[test]
fn only_after_the_quantity_is_no_part_of_the_item() {
    assert_eq!(
        r("makita cordless vacuum pump DVP180Z bare - 1 unit only"),
        some("makita cordless vacuum pump DVP180Z bare", "1", "units")
    );
    assert_eq!(
        r("R32 refrigerant gas 9kg 3 tanks only."),
        some("R32 refrigerant gas 9kg", "3", "tanks")
    );
    assert_eq!(
        r("Castor wheel only 5in - 4 pcs"),
        some("Castor wheel only 5in", "4", "pcs")
    );
}

#[test]
fn a_delivery_date_after_the_quantity_is_no_part_of_the_item() {
    assert_eq!(
        r("00010 31407527   REEL,AIR HOSE,RETRACT,15M        3.000 EA  28.12.2026"),
        some("REEL,AIR HOSE,RETRACT,15M", "3", "ea")
    );
    assert_eq!(
        r("Safety helmet white   12 pcs   15/01/2027"),
        some("Safety helmet white", "12", "pcs")
    );
    assert_eq!(
        r("00040 100006610  FRL UNIT CKD C1000-8  3 EA  08.04.2026 TK01 0002"),
        some("FRL UNIT CKD C1000-8", "3", "ea")
    );
}

#[test]
fn a_bracketed_quantity_first() {
    assert_eq!(
        r("[5 btl] thread locker AN301-43 50 ml weicon"),
        some("thread locker AN301-43 50 ml weicon", "5", "bottles")
    );
    assert_eq!(
        r("(4 pcs) DP100 plus epoxy clear 50ml 3M"),
        some("DP100 plus epoxy clear 50ml 3M", "4", "pcs")
    );
}

#[test]
fn a_count_before_its_x_closing_the_line() {
    assert_eq!(
        r("- Makita DUR365UZ grass trimmer (bare) 2x"),
        some("Makita DUR365UZ grass trimmer (bare)", "2", "pcs")
    );
    assert_eq!(r("Hex bolt M10 x 50 - 12x"), some("Hex bolt M10 x 50", "12", "pcs"));
}

fn clause(line: &str) -> Option<(String, String, String)> {
    item_in_clause(line).map(|r| (r.description, r.quantity.to_string(), r.unit))
}

#[test]
fn asked_to_quote_inside_a_sentence() {
    assert_eq!(
        clause("Besides the PPE we would also like you to quote 24 cans of Weicon freeze spray 400ml"),
        some("Weicon freeze spray 400ml", "24", "cans")
    );
    assert_eq!(
        clause("For the workshop, could you please quote 3 units of Makita GA4030 grinder"),
        some("Makita GA4030 grinder", "3", "units")
    );
    assert_eq!(
        clause("Can also add 1 unit makita angle grinder GA4030"),
        some("makita angle grinder GA4030", "1", "units")
    );
    // the verb marks the figure: no unit needs to follow it
    assert_eq!(
        clause("For the bin centre we need 5 of the 120L wheeled bins with foot pedal WPB120CP in blue"),
        some("120L wheeled bins with foot pedal WPB120CP in blue", "5", "pcs")
    );
    assert_eq!(
        clause("Our stores team would like 3 stainless steel open top bins OT8 (dia 500 x 900mm)"),
        some("stainless steel open top bins OT8 (dia 500 x 900mm)", "3", "pcs")
    );
    assert_eq!(
        clause("The contractor needs 4 Bosch GBH 2-26 rotary hammers for the lift lobbies"),
        some("Bosch GBH 2-26 rotary hammers", "4", "pcs")
    );
    // the count after the product, with its unit
    assert_eq!(
        clause("Please also add disposable PE aprons - 5 packs"),
        some("disposable PE aprons", "5", "packs")
    );
    // a figure after the verb that counts no product stays prose
    assert_eq!(clause("For the delivery we need 2 weeks notice"), None);
}

/// What a buyer adds after the quantity is no part of the item: a remark in brackets, whom
/// or where it is for, courtesy; a bracket or purpose that names the product stays.
#[test]
fn remarks_after_the_quantity_are_left_out() {
    for (line, d, q, u) in [
        (
            "Stanley claw hammer 16oz x 3 (replacements for the old ones)",
            "Stanley claw hammer 16oz",
            "3",
            "pcs",
        ),
        (
            "Cable ties 300mm x 4 packs (we use them on site)",
            "Cable ties 300mm",
            "4",
            "packs",
        ),
        (
            "We also need Bosch jigsaw GST 700 x 2 for the carpentry team.",
            "Bosch jigsaw GST 700",
            "2",
            "pcs",
        ),
        ("3M earmuff 1440 - 15 pcs urgently", "3M earmuff 1440", "15", "pcs"),
        (
            "Floor squeegee 600mm - 8 nos, if possible",
            "Floor squeegee 600mm",
            "8",
            "nos",
        ),
        (
            "Could you please quote us for Karcher filter bags x 6",
            "Karcher filter bags",
            "6",
            "pcs",
        ),
        (
            "14 rolls of masking tape 24mm for the painters' crew",
            "masking tape 24mm",
            "14",
            "rolls",
        ),
        (
            "Our window team asked for Pulex SS window wiper 35 cm - 6 of them.",
            "Pulex SS window wiper 35 cm",
            "6",
            "pcs",
        ),
        (
            "For the laundry: Top detergent Super Color 4 kgs, 12 packs",
            "Top detergent Super Color 4 kgs",
            "12",
            "packs",
        ),
        (
            "05  Pferd flap wheel 60 x 30mm A80  x 20",
            "Pferd flap wheel 60 x 30mm A80",
            "20",
            "pcs",
        ),
        (
            "Weicon contact cleaner 400ml spray (need 24)",
            "Weicon contact cleaner 400ml spray",
            "24",
            "pcs",
        ),
        (
            "Dowsil 791 black 300ml — 60 tubes (2 cartons)",
            "Dowsil 791 black 300ml",
            "60",
            "tubes",
        ),
        (
            "paint roller with tray, 4 sets if you have",
            "paint roller with tray",
            "4",
            "sets",
        ),
        (
            "6    SG-4106     SKK nylon trolley wheel, swivel, 6 inch    16  PCS",
            "SKK nylon trolley wheel, swivel, 6 inch",
            "16",
            "pcs",
        ),
        // a bracket or purpose that names the product stays
        (
            "Grinding disc 4 inch x 10 (FOR PW5001C)",
            "Grinding disc 4 inch (FOR PW5001C)",
            "10",
            "pcs",
        ),
        (
            "6 pcs spare blades for the Stanley knife",
            "spare blades for the Stanley knife",
            "6",
            "pcs",
        ),
    ] {
        assert_eq!(clause(line), some(d, q, u), "{line}");
    }
}

#[test]
fn the_many_ways_of_writing_an_item() {
    assert_eq!(
        r("1. MAKITA VACUUM DVC151LZ (qty: 10 pcs)"),
        some("MAKITA VACUUM DVC151LZ", "10", "pcs")
    );
    assert_eq!(
        r("- 4 ea Stanley Cutting Disc 4Inx2.5Mm-Sta4520Fa"),
        some("Stanley Cutting Disc 4Inx2.5Mm-Sta4520Fa", "4", "ea")
    );
    assert_eq!(
        r("3) Instant Glue 1Oz (3M Or Equivalent) x 10 nos"),
        some("Instant Glue 1Oz (3M Or Equivalent)", "10", "nos")
    );
    assert_eq!(
        r("4. SPRAY CAN WSD 400 - 100 sets"),
        some("SPRAY CAN WSD 400", "100", "sets")
    );
    assert_eq!(
        r("- (3) Makita 18V brushless driver drill kit, DDF486RTE"),
        some("Makita 18V brushless driver drill kit, DDF486RTE", "3", "pcs")
    );
    assert_eq!(
        r("5. 3M 6003 cartridges OV/acid gas (pair) -- 40 pairs"),
        some("3M 6003 cartridges OV/acid gas (pair)", "40", "pairs")
    );
    assert_eq!(
        r("Jabón líquido para manos 500 ml 24 un"),
        some("Jabón líquido para manos 500 ml", "24", "units")
    );
    assert_eq!(
        r("18. crack testing agent 500ml - 1,000 nos"),
        some("crack testing agent 500ml", "1000", "nos")
    );
    assert_eq!(r("Gloves x 20"), some("Gloves", "20", "pcs"));
    assert_eq!(r("(3) 4 pcs of nitrile gloves"), some("nitrile gloves", "4", "pcs"));
    assert_eq!(
        r("We need 20 pcs of safety helmets"),
        some("safety helmets", "20", "pcs")
    );
    assert_eq!(r("Qty 20 - toilet brush"), some("toilet brush", "20", "pcs"));
    assert_eq!(
        r("Also need 3 sets of allen keys (metric)."),
        some("allen keys (metric)", "3", "sets")
    );
    assert_eq!(r("And we need 4 units of ladder 6ft"), some("ladder 6ft", "4", "units"));
    // a tender's schedule: "Supply and deliver Two (2) units of …"
    assert_eq!(
        r("Supply and deliver Two (2) units of pneumatic needle scaler"),
        some("pneumatic needle scaler", "2", "units")
    );
    assert_eq!(
        r("Supply & deliver 12 rolls of twin welding hose 8mm x 50m."),
        some("twin welding hose 8mm x 50m", "12", "rolls")
    );
    assert_eq!(r("Item: Mop head; Qty: 5; Unit: sets"), some("Mop head", "5", "sets"));
    assert_eq!(r("Hose reel 15M - Qty: 2 rolls"), some("Hose reel 15M", "2", "rolls"));
    assert_eq!(
        r("mirka gold velcro disc 5\" P320 qty-100"),
        some("mirka gold velcro disc 5\" P320", "100", "pcs")
    );
    assert_eq!(r("QTY-12 NOS: cable tie 300mm"), some("cable tie 300mm", "12", "nos"));
    assert_eq!(r("20 x Gloves, nitrile"), some("Gloves, nitrile", "20", "pcs"));
    // the last side of a dimension is no count
    assert_eq!(
        r("25 x Noritake cut off wheel 355 x 3 x 25.4"),
        some("Noritake cut off wheel 355 x 3 x 25.4", "25", "pcs")
    );
    assert_eq!(r("Plywood sheet 1220 x 2440 x 18"), None);
    assert_eq!(
        r("Cable ties 4.8 x 300mm x 100"),
        some("Cable ties 4.8 x 300mm", "100", "pcs")
    );
    assert_eq!(r("Ear plugs 50 PRS"), some("Ear plugs", "50", "pairs"));
    assert_eq!(
        r("Item: Goo Gone automotive 16 oz                     Qty: 6"),
        some("Goo Gone automotive 16 oz", "6", "pcs")
    );
}

#[test]
fn a_count_in_brackets_after_the_description() {
    assert_eq!(
        r("1) Ingco air impact wrench 1/2\" dr AIW1256 (4 nos)"),
        some("Ingco air impact wrench 1/2\" dr AIW1256", "4", "nos")
    );
    assert_eq!(
        r("Dettol liquid 5L [12 btl]"),
        some("Dettol liquid 5L", "12", "bottles")
    );
    assert_eq!(r("Sumo wheel (125 mm)"), None);
    // after a letter size, a glove's size or a count
    assert_eq!(bracketed_count("Nitrile glove size L (9)"), None);
    assert_eq!(
        bracketed_count("3M 3200 half mask M/L (20)").map(|r| (r.description, r.quantity.to_string())),
        Some(("3M 3200 half mask M/L".to_string(), "20".to_string()))
    );
}

#[test]
fn a_word_after_the_number_that_is_no_unit_begins_the_description() {
    assert_eq!(
        r("Please add 12 mosaic brooms T902 with wooden handle."),
        some("mosaic brooms T902 with wooden handle", "12", "pcs")
    );
    assert_eq!(
        r("We need 20 pcs of safety helmets"),
        some("safety helmets", "20", "pcs")
    );
    assert_eq!(r("We need 12 of the red helmets"), some("red helmets", "12", "pcs"));
    // after the description, a word that is no unit is no item
    assert_eq!(r("Gloves x 20 today"), None);
    // terms are no items
    assert_eq!(r("Please quote 30 days validity"), None);
    assert_eq!(r("We need 3 working days for approval"), None);
}

#[test]
fn a_bills_unit_then_quantity_after_dot_leaders() {
    assert_eq!(
        r("A3  Safety vest c/w reflective strip, orange ........... no. .... 30"),
        some("Safety vest c/w reflective strip, orange", "30", "nos")
    );
    assert_eq!(
        r("A4  3M 1110 corded ear plug (1 pr/pack) ................ pr ..... 200"),
        some("3M 1110 corded ear plug (1 pr/pack)", "200", "pairs")
    );
    assert_eq!(
        r("Polyethylene backer rod 10mm dia   lm   500"),
        some("Polyethylene backer rod 10mm dia", "500", "m")
    );
    // a size and a figure are no unit and quantity
    assert_eq!(r("Hex bolt   M10   50"), None);
}

#[test]
fn a_measure_is_the_quantity_of_what_is_sold_by_it() {
    assert_eq!(
        r("2. PU air tubing 10mm black (per metre) -- 100 m"),
        some("PU air tubing 10mm black (per metre)", "100", "m")
    );
    assert_eq!(
        r("Euromax yellow air hose 3/8\", per mtr -- 50 m"),
        some("Euromax yellow air hose 3/8\", per mtr", "50", "m")
    );
    assert_eq!(
        r("pu tubing black 10mm - 100 mtr"),
        some("pu tubing black 10mm", "100", "m")
    );
    // a size after a dash is no quantity
    assert_eq!(r("Cable tie black - 300 mm"), None);
    assert_eq!(r("Cable tie black - 3 m"), None);
    assert_eq!(r("Air hose 8mm - 20 m"), None);
}

#[test]
fn a_number_in_the_description_is_not_the_quantity() {
    assert_eq!(
        r("8. 2 Wheeled Bin 80L 480W X 560D (Mgb80L) Green - 12 ea"),
        some("2 Wheeled Bin 80L 480W X 560D (Mgb80L) Green", "12", "ea")
    );
    assert_eq!(
        r("Pu Air Tubing Hose Black 4Mm - Meter x 20 nos"),
        some("Pu Air Tubing Hose Black 4Mm - Meter", "20", "nos")
    );
    assert_eq!(
        r("weicon bio-cut 5 l (qty: 48 pcs)"),
        some("weicon bio-cut 5 l", "48", "pcs")
    );
}

#[test]
fn outline_numbers_spelled_quantities_and_punctuation() {
    assert_eq!(
        r("1.1 Hex bolt M10 x 50 - 250 NOS"),
        some("Hex bolt M10 x 50", "250", "nos")
    );
    assert_eq!(
        r("2.3) Cable ties 300mm 1,000 EA"),
        some("Cable ties 300mm", "1000", "ea")
    );
    assert_eq!(
        r("Face shield, clear - five (5) NO."),
        some("Face shield, clear", "5", "nos")
    );
    assert_eq!(
        r("Safety goggles twelve (12) UNITS."),
        some("Safety goggles", "12", "units")
    );
    assert_eq!(
        r("Supply of face shield. Qty: 60 pcs"),
        some("Supply of face shield", "60", "pcs")
    );
}

#[test]
fn the_buyers_item_codes_are_not_the_description() {
    assert_eq!(
        r("1.1 MAT-100234 Hex bolt M10 x 50 250 NOS"),
        some("Hex bolt M10 x 50", "250", "nos")
    );
    assert_eq!(
        r("Hex bolt M10 x 50 4000123456 250 NOS"),
        some("Hex bolt M10 x 50", "250", "nos")
    );
    assert_eq!(
        r("Makita DVC151LZ vacuum 2 units"),
        some("Makita DVC151LZ vacuum", "2", "units")
    );
}

#[test]
fn a_list_written_as_one_sentence() {
    assert_eq!(
        r("Bosch GWS 8-100 CE 4\" angle grinder (4 pcs);"),
        some("Bosch GWS 8-100 CE 4\" angle grinder", "4", "pcs")
    );
    assert_eq!(
        r("flap disc 4\" #80 - 200 pcs,"),
        some("flap disc 4\" #80", "200", "pcs")
    );
}

#[test]
fn a_quantity_and_its_unit_labelled_before_the_description() {
    assert_eq!(
        r("QTY 48 CANS: Rexco 50 lubricant 500ml"),
        some("Rexco 50 lubricant 500ml", "48", "cans")
    );
    assert_eq!(
        r("Qty 12 nos - Weicon label remover"),
        some("Weicon label remover", "12", "nos")
    );
}

#[test]
fn a_length_ordered_by_x() {
    assert_eq!(
        r("PU air tubing 8mm black x100m"),
        some("PU air tubing 8mm black", "100", "m")
    );
    // a dimension's last side, or a line with its own quantity first
    assert_eq!(r("Masking tape 24mm x 25m"), None);
    assert_ne!(r("10 rolls masking tape x 25m").map(|r| r.2), Some("m".to_string()));
}

#[test]
fn a_makers_code_at_the_end_is_the_description() {
    assert_eq!(
        r("Scott jumbo roll tissue KC06511 - 40 rolls"),
        some("Scott jumbo roll tissue KC06511", "40", "rolls")
    );
}

#[test]
fn request_sentences() {
    assert_eq!(
        r("Please also quote 10 nos of the Dust mop 100cm blue."),
        some("Dust mop 100cm blue", "10", "nos")
    );
    assert_eq!(
        r("And 15 boxes of Instant coffee sachets 3 in 1."),
        some("Instant coffee sachets 3 in 1", "15", "boxes")
    );
    assert_eq!(
        r("We would like to order 6 rolls of masking tape 24mm"),
        some("masking tape 24mm", "6", "rolls")
    );
    assert_eq!(
        r("Kindly quote us for 2 units angle grinder"),
        some("angle grinder", "2", "units")
    );
}

/// A pack's contents after its unit: the quantity is the packs, the contents no part of
/// the description.
#[test]
fn packs_and_what_they_hold() {
    assert_eq!(
        r("Maskin duckbill N95 MS 8225 :: qty 10 boxes of 20"),
        some("Maskin duckbill N95 MS 8225", "10", "boxes")
    );
    assert_eq!(
        r("Nitrile gloves L - 2 boxes of 100"),
        some("Nitrile gloves L", "2", "boxes")
    );
    assert_eq!(
        r("Hand soap 500ml 3 ctn (12 btl)"),
        some("Hand soap 500ml", "3", "cartons")
    );
    assert_eq!(
        r("3 cartons (12 btl) hand soap 500ml"),
        some("hand soap 500ml", "3", "cartons")
    );
    assert_eq!(
        r("2 boxes of 100 nitrile gloves, L"),
        some("nitrile gloves, L", "2", "boxes")
    );
    // a brand after "of" is no pack
    assert_eq!(r("5 boxes of 3M 8210 masks"), some("3M 8210 masks", "5", "boxes"));
}

#[test]
fn a_quantity_on_the_next_line() {
    assert_eq!(
        context("Item 3: Face shield."),
        Context::Description("Face shield.".into())
    );
    assert_eq!(
        context("Description: Nitrile gloves size L"),
        Context::Description("Nitrile gloves size L".into())
    );
    assert_eq!(
        context("Brand: Ansell or equivalent"),
        Context::Attribute(Some("Ansell or equivalent".into()))
    );
    assert_eq!(context("P/N: M1901G"), Context::Attribute(Some("M1901G".into())));
    assert_eq!(context("Colour: red"), Context::Spec("Colour: red".into()));
    assert_eq!(
        context("Voltage: 18V Li-ion"),
        Context::Spec("Voltage: 18V Li-ion".into())
    );
    assert_eq!(context("Ship to: Tuas store, 8 Tuas Ave 2"), Context::Attribute(None));
    assert_eq!(context("Remarks: urgent"), Context::Attribute(None));
    assert_eq!(context("Dear Sir,"), Context::Other);
    // a numbered item written in two languages is long, and still a description
    let bilingual = "1. Găng tay chống cắt cấp 5, phủ nitrile / Cut resistant gloves level 5, nitrile coated, size 9";
    assert!(matches!(context(bilingual), Context::Description(_)));
    // its length counted in letters, not bytes (a Thai letter is three)
    let thai = "7. เครื่องตรวจวัดก๊าซไฮโดรเจนซัลไฟด์ (H2S) แบบพกพา ชนิดก๊าซเดียว / Personal single-gas H2S detector with vibration alarm, 2-year life, with calibration certificate and clip";
    assert!(matches!(context(thai), Context::Description(_)));
    let joined = with_labelled_quantity("Face shield.", "Quantity: 60 pcs").expect("item");
    assert_eq!(
        (
            joined.description.as_str(),
            joined.quantity.to_string().as_str(),
            joined.unit.as_str()
        ),
        ("Face shield", "60", "pcs")
    );
    assert_eq!(with_labelled_quantity("Face shield", "Quantity of gloves: 5"), None);
}

#[test]
fn noise_is_not_an_item() {
    for line in [
        "Contact: Farah Aziz, +65 68812311",
        "Delivery to: 21 Tuas Avenue 3, Singapore 639420 (Gate 2, 8am-5pm)",
        "Budget approved up to SGD 52,000. Payment 30 days.",
        "Please quote by 24 Jan 2027; delivery within 14 days of PO.",
        "Dear Sales Team,",
        "Reference: RFQ-6933/2026 Closing date: 09 Dec 2026",
        "Tel: 6123 4567",
        "Weicon Citrus Cleaner 28 L",
        "Air hose 15 m",
    ] {
        assert_eq!(r(line), None, "{line}");
    }
}

#[test]
fn a_labelled_quantity_opening_the_line_is_the_quantity() {
    assert_eq!(
        r("QTY 4 SETS: SL-6412 drill bit cordless screwdriver set 10pcs"),
        some("SL-6412 drill bit cordless screwdriver set 10pcs", "4", "sets")
    );
    assert_eq!(
        r("Quantity 12 nos - hose clip 20mm"),
        some("hose clip 20mm", "12", "nos")
    );
}

#[test]
fn a_street_number_is_no_quantity() {
    assert_eq!(r("18 Tin Hau Road"), None);
    assert_eq!(r("Unit 1203, 12/F, Nan Fung Industrial City, 18 Tin Hau Road"), None);
    assert_eq!(r("12 Jalan Utas"), None);
    assert_eq!(r("18 Tin Hau Road, Tuen Mun, New Territories, Hong Kong"), None);
    // a product's name ending in a street word is still one
    assert_eq!(r("6 tins road marking paint"), some("road marking paint", "6", "tins"));
}

#[test]
fn long_unit_words_close_the_line() {
    assert_eq!(
        r("Zappy all natural food contact wipes, canister of 70 - 24 canisters"),
        some(
            "Zappy all natural food contact wipes, canister of 70",
            "24",
            "containers"
        )
    );
    assert_eq!(
        r("Latex glove 9\" clean room -- 30 pks"),
        some("Latex glove 9\" clean room", "30", "packs")
    );
}

#[test]
fn a_bulk_measure_set_apart_opens_the_line() {
    assert_eq!(
        r("12 gal. Clorox original bleach 4L"),
        some("Clorox original bleach 4L", "12", "gal")
    );
    assert_eq!(r("20 kg Shell Gadus grease"), some("Shell Gadus grease", "20", "kg"));
    // glued to its figure, or a length, it is the product's size
    assert_eq!(r("5L Clorox bleach"), None);
    assert_eq!(r("10 mm drill bit"), None);
}
