use super::*;

fn t(rows: &[&[&str]]) -> Option<Vec<(String, String, String)>> {
    let rows: Vec<Vec<String>> = rows.iter().map(|r| r.iter().map(|c| c.to_string()).collect()).collect();
    read(&rows).map(|t| {
        t.items
            .into_iter()
            .map(|r| (r.description, r.quantity.to_string(), r.unit))
            .collect()
    })
}

fn one(d: &str, q: &str, u: &str) -> (String, String, String) {
    (d.into(), q.into(), u.into())
}

#[test]
fn header_below_title_rows_and_any_column_order() {
    let got = t(&[
        &["Changi Aero Components", "", ""],
        &["RFQ RFQ-5410/2026", "", "Due 27 Dec 2026"],
        &["UOM", "QTY REQ'D", "Item Description", "Remarks"],
        &["pcs", "30", "Cutting Disc 5 Inch", "urgent"],
        &["ea", "1,000", "Nipple 3/4 inch", ""],
        &["", "1030", "TOTAL", ""],
    ]);
    assert_eq!(
        got,
        Some(vec![
            one("Cutting Disc 5 Inch", "30", "pcs"),
            one("Nipple 3/4 inch", "1000", "ea")
        ])
    );
}

#[test]
fn quantity_cells_with_their_unit() {
    let got = t(&[
        &["S/N", "Description", "Nos"],
        &["1", "Gloves", "24 PCS"],
        &["2", "Mop", "3 sets"],
    ]);
    assert_eq!(got, Some(vec![one("Gloves", "24", "pcs"), one("Mop", "3", "sets")]));
}

/// A right-aligned figure printed across the line between "Qty" and "Unit" lands in the
/// unit's cell when it is short ("40 Box"), in the quantity's when it is long ("1,000 Pair").
#[test]
fn a_quantity_spilt_into_the_unit_column() {
    let got = t(&[
        &["SL", "Item Description", "Brand", "Qty", "Unit", "Remarks"],
        &["01", "Wypall X70 wiper", "Kimberly-Clark", "", "40 Box", ""],
        &["02", "Foam ear plug", "3M", "1,000 Pair", "", ""],
        &["03", "Blow gun L-300", "Taiwan", "", "20 Pcs", "workshop"],
    ]);
    assert_eq!(
        got,
        Some(vec![
            one("Wypall X70 wiper Kimberly-Clark", "40", "boxes"),
            one("Foam ear plug 3M", "1000", "pairs"),
            one("Blow gun L-300 Taiwan", "20", "pcs"),
        ])
    );
}

#[test]
fn price_and_number_columns_are_not_quantities() {
    let got = t(&[
        &["No.", "Item", "Unit Price", "Quantity", "Amount"],
        &["1", "Brush", "", "5", ""],
    ]);
    assert_eq!(got, Some(vec![one("Brush", "5", "pcs")]));
}

#[test]
fn headerless_item_table() {
    let got = t(&[&["1", "Gloves nitrile", "20"], &["2", "Toilet brush", "5"]]);
    assert_eq!(
        got,
        Some(vec![
            one("Gloves nitrile", "20", "pcs"),
            one("Toilet brush", "5", "pcs")
        ])
    );
}

#[test]
fn of_several_description_like_columns_the_one_with_text_wins() {
    let got = t(&[
        &["ITEM", "PART NO", "DESCRIPTION", "QTY", "UOM"],
        &["0010", "HX-M10-50", "Hex bolt M10 x 50", "200", "EA"],
        &["0020", "WSH-M10", "Flat washer M10", "400", "EA"],
    ]);
    assert_eq!(
        got,
        Some(vec![
            one("Hex bolt M10 x 50", "200", "ea"),
            one("Flat washer M10", "400", "ea")
        ])
    );
    // a maker's part numbers name the product with the description
    let got = t(&[
        &["ITEM", "MFR PART NO", "DESCRIPTION", "QTY", "UOM"],
        &["0010", "HR2630X3", "Combi hammer 26mm", "2", "EA"],
        &["0020", "DGA404Z", "Cordless grinder 100mm", "4", "EA"],
    ]);
    assert_eq!(
        got,
        Some(vec![
            one("HR2630X3 Combi hammer 26mm", "2", "ea"),
            one("DGA404Z Cordless grinder 100mm", "4", "ea")
        ])
    );
}

#[test]
fn rows_wider_than_their_header() {
    // Found by the csv fuzz target: the description column lies beyond the header.
    let got = t(&[&["Qty"], &["5", "Mop head cotton"], &["2", "Bucket 10 l"]]);
    assert_eq!(
        got,
        Some(vec![one("Mop head cotton", "5", "pcs"), one("Bucket 10 l", "2", "pcs")])
    );
}

#[test]
fn serial_and_code_columns_and_the_unit_in_the_quantity_cell() {
    let got = t(&[
        &["S/N", "Material No.", "Description", "Qty"],
        &["1.1", "MAT-100234", "Hex bolt M10 x 50", "250 NOS"],
        &["1.2", "MAT-100235", "Flat washer M10", "1,000 EA"],
        &["1.3", "MAT-100301", "Face shield, clear.", "five (5) NO."],
        &["", "", "TOTAL (excl. GST)", "1,255"],
    ]);
    assert_eq!(
        got,
        Some(vec![
            one("Hex bolt M10 x 50", "250", "nos"),
            one("Flat washer M10", "1000", "ea"),
            one("Face shield, clear", "5", "nos")
        ])
    );
}

#[test]
fn a_serial_column_is_never_the_quantity_even_without_headers() {
    let got = t(&[
        &["1.1", "4000123456", "Cable ties 300mm black", "500 PCS"],
        &["1.2", "4000123457", "Duct tape 48mm silver", "12 ROLLS"],
        &["2.1", "4000200001", "Nitrile gloves size L", "40 BOXES"],
    ]);
    assert_eq!(
        got,
        Some(vec![
            one("Cable ties 300mm black", "500", "pcs"),
            one("Duct tape 48mm silver", "12", "rolls"),
            one("Nitrile gloves size L", "40", "boxes")
        ])
    );
}

#[test]
fn two_header_rows() {
    let got = t(&[
        &["Item", "Material", "", "Quantity", "", "Remarks"],
        &["", "Code", "Description", "Qty", "UOM", ""],
        &["1", "A-1001", "Safety helmet white", "60", "PCS", "urgent"],
        &["2", "A-1002", "Ear muff", "twelve (12)", "PRS", ""],
        &["3 A-1003 Hard hat yellow", "", "", "30", "PCS", ""],
    ]);
    assert_eq!(
        got,
        Some(vec![
            one("Safety helmet white", "60", "pcs"),
            one("Ear muff", "12", "pairs"),
            one("Hard hat yellow", "30", "pcs")
        ])
    );
}

#[test]
fn sections_repeated_headers_and_wrapped_descriptions() {
    let got = t(&[
        &["No.", "Description", "Qty", "Unit"],
        &["", "SECTION A - SAFETY", "", ""],
        &["1", "Safety shoes steel toe", "10", "prs"],
        &["", "size 9, black", "", ""],
        &["No.", "Description", "Qty", "Unit"],
        &["2", "Reflective vest orange", "25", "pcs"],
        &["3", "Ear plugs foam 200 PRS", "", ""],
        &["", "Note: all items to site office", "", ""],
        &["", "Sub-total", "35", ""],
        &["", "Add 9% GST", "", ""],
    ]);
    assert_eq!(
        got,
        Some(vec![
            one("Safety shoes steel toe size 9, black", "10", "pairs"),
            one("Reflective vest orange", "25", "pcs"),
            one("Ear plugs foam", "200", "pairs")
        ])
    );
}

#[test]
fn a_sentence_about_the_document_under_the_last_item_is_no_description() {
    let got = t(&[
        &["S/N", "Stock Code", "Description", "Qty", "UOM"],
        &["6", "SOR-10456", "Corded ear plugs", "500", "pairs"],
        &["7", "SOR-10457", "Earmuff", "20", "pcs"],
        &["", "", "Items continue in sheet \"Page2\"", "", ""],
    ]);
    assert_eq!(
        got,
        Some(vec![
            one("Corded ear plugs", "500", "pairs"),
            one("Earmuff", "20", "pcs")
        ])
    );
    let wrapped = t(&[
        &["No.", "Description", "Qty"],
        &["1", "Safety shoes steel toe", "10"],
        &["", "Size 9, black (see size chart)", ""],
    ]);
    assert_eq!(
        wrapped,
        Some(vec![one(
            "Safety shoes steel toe Size 9, black (see size chart)",
            "10",
            "pcs"
        )])
    );
}

#[test]
fn header_words_joined_by_underscores() {
    let got = t(&[
        &[
            "DOC_TYPE",
            "PR_NO",
            "PR_DATE",
            "REQUESTER",
            "REQ_EMAIL",
            "REQ_TEL",
            "LINE_NO",
            "ITEM_CODE",
            "ITEM_DESC",
            "QTY",
            "UOM",
            "UNIT_PRICE",
            "CURRENCY",
            "DELIVERY_ADDR",
        ],
        &[
            "RFQ",
            "PR-000418",
            "2026-04-18",
            "CHONG MEI LING",
            "ml@kps.example",
            "+65 6369 2281",
            "10",
            "KPS-020401",
            "BRASS PIPE NIPPLE, BSP 1/2\" x 2\"",
            "20.00",
            "PCS",
            "",
            "SGD",
            "8 Kranji Loop, Singapore 739555",
        ],
        &[
            "RFQ",
            "PR-000418",
            "2026-04-18",
            "CHONG MEI LING",
            "ml@kps.example",
            "+65 6369 2281",
            "20",
            "KPS-020402",
            "GI DOUBLE BOLT CLAMP 1/2in",
            "50.00",
            "PCS",
            "",
            "SGD",
            "8 Kranji Loop, Singapore 739555",
        ],
    ]);
    assert_eq!(
        got,
        Some(vec![
            one("BRASS PIPE NIPPLE, BSP 1/2\" x 2\"", "20", "pcs"),
            one("GI DOUBLE BOLT CLAMP 1/2in", "50", "pcs")
        ])
    );
}

#[test]
fn a_contact_table_is_not_an_item_list() {
    assert_eq!(
        t(&[&["Company", "Sentosa Services"], &["Phone", "+65 6123 4567"]]),
        None
    );
}

/// A product whose name begins with a total's word ("TOTAL" lubricants, "Discount" is rarer)
/// is an item when its row is numbered like the others; an unnumbered total row is skipped.
#[test]
fn a_numbered_row_is_an_item_whatever_its_first_word() {
    let got = t(&[
        &["Line", "Description", "Qty", "UOM"],
        &["10", "Grease cartridge 400g", "12", "pcs"],
        &["20", "Total Multis MS2 grease 400gm", "24", "pcs"],
        &["", "Total", "36", ""],
    ]);
    assert_eq!(
        got,
        Some(vec![
            one("Grease cartridge 400g", "12", "pcs"),
            one("Total Multis MS2 grease 400gm", "24", "pcs")
        ])
    );
    // a stock report's row with an item code and a unit
    let got = t(&[
        &["Code", "Description", "UOM", "Order Qty"],
        &["LUB-0031", "Molykote 111 grease 100g", "TUBE", "6"],
        &["LUB-0044", "TOTAL MULTIS MS2 GREASE 400G", "CART", "24"],
        &["", "TOTAL ITEMS: 2", "", "30"],
    ]);
    assert_eq!(
        got,
        Some(vec![
            one("Molykote 111 grease 100g", "6", "tubes"),
            one("TOTAL MULTIS MS2 GREASE 400G", "24", "cartridges")
        ])
    );
}

/// Columns that qualify the description (a specification beside it, a size, a colour, a
/// brand) are part of what is asked for; an empty or "any" cell adds nothing.
#[test]
fn specification_size_colour_and_brand_columns_join_the_description() {
    let got = t(&[
        &[
            "Item No",
            "Item Description",
            "Specification",
            "Qty",
            "Unit",
            "Unit Price",
            "Amount",
        ],
        &[
            "1",
            "Cut-off wheel, stainless",
            "4\" x 1.0mm, Stanley STA8060",
            "200",
            "pcs",
            "",
            "",
        ],
        &[
            "2",
            "PU air tubing, black",
            "8mm OD, sold per metre",
            "100",
            "m",
            "",
            "",
        ],
        &["3", "Mop bucket 20L", "", "2", "pcs", "", ""],
    ]);
    assert_eq!(
        got,
        Some(vec![
            one("Cut-off wheel, stainless 4\" x 1.0mm, Stanley STA8060", "200", "pcs"),
            one("PU air tubing, black 8mm OD, sold per metre", "100", "m"),
            one("Mop bucket 20L", "2", "pcs")
        ])
    );
    let got = t(&[
        &["Description", "Size", "Colour", "Brand", "Qty"],
        &["Safety helmet with ratchet", "", "Yellow", "ACE", "20"],
        &["Nitrile gloves", "L", "Blue", "any", "10"],
    ]);
    assert_eq!(
        got,
        Some(vec![
            one("Safety helmet with ratchet Yellow ACE", "20", "pcs"),
            one("Nitrile gloves size L Blue", "10", "pcs")
        ])
    );
    // a pack size in a column of its own is the product's size, not the count
    let got = t(&[
        &["S/No", "Item Description", "Pack Size", "Qty", "UOM"],
        &["1", "Consolidated Max D degreaser", "25 ltr", "4", "drum"],
        &["2", "Orapi Easy-San food safe sanitiser", "5 L", "8", "can"],
    ]);
    assert_eq!(
        got,
        Some(vec![
            one("Consolidated Max D degreaser 25 ltr", "4", "drums"),
            one("Orapi Easy-San food safe sanitiser 5 L", "8", "cans")
        ])
    );
}

/// A specification column alone is the description; two columns the header calls a
/// description leave the one with less text out.
#[test]
fn a_specification_alone_describes_the_item() {
    let got = t(&[
        &["No", "Specification", "Qty", "Unit"],
        &["1", "Cut-off wheel 4\" x 1.0mm stainless", "200", "pcs"],
        &["2", "PU air tubing 8mm black", "100", "m"],
    ]);
    assert_eq!(
        got,
        Some(vec![
            one("Cut-off wheel 4\" x 1.0mm stainless", "200", "pcs"),
            one("PU air tubing 8mm black", "100", "m")
        ])
    );
}

#[test]
fn a_quantity_column_per_size_gives_an_item_per_size() {
    let got = t(&[
        &["No.", "Item Description", "S", "M", "L", "XL", "Total"],
        &["1", "Coverall cotton navy", "", "10", "20", "5", "35"],
        &["2", "Safety goggles clear", "", "", "", "", "12"],
        &["", "TOTAL", "", "10", "20", "5", "47"],
    ]);
    assert_eq!(
        got,
        Some(vec![
            one("Coverall cotton navy size M", "10", "pcs"),
            one("Coverall cotton navy size L", "20", "pcs"),
            one("Coverall cotton navy size XL", "5", "pcs"),
            one("Safety goggles clear", "12", "pcs"),
        ])
    );
    // numbered sizes under a header of two rows, a unit column beside them
    let got = t(&[
        &["Product", "Quantity per size (pairs)", "", "", "UOM"],
        &["", "7", "8", "9", ""],
        &["Safety shoe KWD805", "4", "", "6", "prs"],
    ]);
    assert_eq!(
        got,
        Some(vec![
            one("Safety shoe KWD805 size 7", "4", "pairs"),
            one("Safety shoe KWD805 size 9", "6", "pairs"),
        ])
    );
}

#[test]
fn sizes_in_a_column_of_their_own_or_listed_in_a_cell() {
    // a size column, the product's row without a quantity or with the first size
    let got = t(&[
        &["Item", "Description", "Size", "Qty", "UOM"],
        &["1", "Milwaukee cut level 3 dipped gloves", "", "", ""],
        &["", "", "M", "24", "prs"],
        &["", "", "L", "36", "prs"],
        &["2", "Cotton overall navy", "S", "5", "pcs"],
        &["", "", "XL", "10", "pcs"],
    ]);
    assert_eq!(
        got,
        Some(vec![
            one("Milwaukee cut level 3 dipped gloves size M", "24", "pairs"),
            one("Milwaukee cut level 3 dipped gloves size L", "36", "pairs"),
            one("Cotton overall navy size S", "5", "pcs"),
            one("Cotton overall navy size XL", "10", "pcs"),
        ])
    );
    // sizes listed beside the total, or in the description
    let got = t(&[
        &["No.", "Item", "Sizes & Qty", "Total", "Unit"],
        &["1", "Tychem 2000 hooded coverall yellow", "L-12, XL-10", "22", "pcs"],
        &[
            "2",
            "Ultranitril 493 chemical gloves",
            "8 (10 prs), 9 (15 prs)",
            "25",
            "prs",
        ],
        &[
            "3",
            "Safety Jogger AAK S1P – EU 41 x 4 prs, EU 43 x 6 prs",
            "",
            "10",
            "prs",
        ],
        &["4", "Cartridge 3M 6001", "–", "20", "pcs"],
    ]);
    assert_eq!(
        got,
        Some(vec![
            one("Tychem 2000 hooded coverall yellow size L", "12", "pcs"),
            one("Tychem 2000 hooded coverall yellow size XL", "10", "pcs"),
            one("Ultranitril 493 chemical gloves size 8", "10", "pairs"),
            one("Ultranitril 493 chemical gloves size 9", "15", "pairs"),
            one("Safety Jogger AAK S1P EU41", "4", "pairs"),
            one("Safety Jogger AAK S1P EU43", "6", "pairs"),
            one("Cartridge 3M 6001", "20", "pcs"),
        ])
    );
}

#[test]
fn a_summary_of_numbered_sections_lists_no_items() {
    let got = t(&[
        &["Section", "Description", "Amount (S$)"],
        &["1.0", "ABRASIVES", ""],
        &["2.0", "CHEMICALS & LUBRICANTS", ""],
        &["3.0", "PERSONAL PROTECTIVE EQUIPMENT", ""],
    ]);
    assert!(got.as_ref().is_none_or(|items| items.is_empty()), "{got:?}");
}

#[test]
fn brand_and_model_columns_name_the_product_and_stock_codes_do_not() {
    let got = t(&[
        &["Line", "Stock code", "Description", "Brand", "Model", "UOM", "Qty"],
        &[
            "10",
            "STK-30411",
            "cordless impact wrench 3/4\" (bare)",
            "Makita",
            "DTW1001Z",
            "UNITS",
            "2",
        ],
        &["20", "STK-30418", "", "MAKITA", "GA9020", "UNITS", "3"],
        &[
            "30",
            "STK-30425",
            "hi-coupler socket 1/2\"",
            "Nitto Kohki",
            "40SH",
            "PCS",
            "20",
        ],
    ]);
    assert_eq!(
        got,
        Some(vec![
            one("cordless impact wrench 3/4\" (bare) Makita DTW1001Z", "2", "units"),
            one("MAKITA GA9020", "3", "units"),
            one("hi-coupler socket 1/2\" Nitto Kohki 40SH", "20", "pcs"),
        ])
    );
}

#[test]
fn a_size_column_alone_names_no_product() {
    let got = t(&[
        &["Description", "Size", "Qty", "UOM"],
        &["Hex bolt zinc plated", "M10", "50", "PCS"],
        &["", "M12", "30", "PCS"],
    ]);
    assert_eq!(
        got,
        Some(vec![
            one("Hex bolt zinc plated M10", "50", "pcs"),
            one("Hex bolt zinc plated M12", "30", "pcs"),
        ])
    );
}

/// Quantities split over sites with their total: the total is the quantity ordered.
#[test]
fn quantities_per_site_are_ordered_by_their_total() {
    let got = t(&[
        &[
            "S/N",
            "Description",
            "Site A (Marina Bay)",
            "Site B (Padang)",
            "Total",
            "UOM",
            "Remarks",
        ],
        &["1", "Safety cone 30in PVC", "20", "30", "50", "pcs", ""],
        &[
            "2",
            "Warning tape 48mm x 33m",
            "10",
            "14",
            "24",
            "rolls",
            "pls quote alt brand",
        ],
    ]);
    assert_eq!(
        got,
        Some(vec![
            one("Safety cone 30in PVC", "50", "pcs"),
            one("Warning tape 48mm x 33m", "24", "rolls")
        ])
    );
}

/// A merged "Quantity by Site" over the sites and a "Total Qty" beside them: every column
/// is called a quantity, and the one adding the others up is the quantity ordered, wherever
/// it stands.
#[test]
fn of_columns_all_called_quantities_the_total_is_ordered() {
    let got = t(&[
        &[
            "S/No",
            "Item Description",
            "Unit",
            "Qty by Site",
            "Qty by Site",
            "Total Qty",
            "Remarks",
        ],
        &[
            "S/No",
            "Item Description",
            "Unit",
            "Tower A",
            "Tower B",
            "Total Qty",
            "Remarks",
        ],
        &["1", "Floor stripper 20L", "pail", "2", "-", "2", ""],
        &["2", "Glass cleaner 5L", "can", "3", "4", "7", "pantry"],
        &["3", "Latex gloves size 8", "pr", "12", "6", "18", ""],
    ]);
    assert_eq!(
        got,
        Some(vec![
            one("Floor stripper 20L", "2", "pails"),
            one("Glass cleaner 5L", "7", "cans"),
            one("Latex gloves size 8", "18", "pairs")
        ])
    );
    // the split left blank on some rows: the total alone is the quantity
    let got = t(&[
        &[
            "Item Code",
            "Description",
            "Unit",
            "QUANTITY BY ZONE",
            "",
            "",
            "TOTAL QTY",
            "Remarks",
        ],
        &["", "", "", "L5", "L6-L8", "L9-L12", "", ""],
        &[
            "E-01",
            "Cordless cable cutter 18V",
            "unit",
            "",
            "",
            "",
            "1",
            "site tools",
        ],
        &[
            "E-02",
            "Wire pulling lubricant gel (1 gal)",
            "gal",
            "1",
            "1",
            "2",
            "4",
            "",
        ],
        &["E-03", "Knee pads", "pair", "", "", "", "10", "any brand"],
    ]);
    assert_eq!(
        got,
        Some(vec![
            one("Cordless cable cutter 18V", "1", "units"),
            one("Wire pulling lubricant gel (1 gal)", "4", "gal"),
            one("Knee pads", "10", "pairs")
        ])
    );
    // and under a plain "Total", a word of money
    let got = t(&[
        &[
            "S/N",
            "Description",
            "UOM",
            "Quantity per Level",
            "",
            "",
            "Total",
            "Remarks",
        ],
        &["", "", "", "B1", "L1", "Roof", "", ""],
        &["1", "Safety helmet, blue", "pcs", "", "", "", "30", "new workers"],
        &["2", "Zebra tape 2 inch", "rolls", "10", "10", "5", "25", ""],
        &["3", "Clear silicone sealant", "tubes", "", "12", "", "12", ""],
    ]);
    assert_eq!(
        got,
        Some(vec![
            one("Safety helmet, blue", "30", "pcs"),
            one("Zebra tape 2 inch", "25", "rolls"),
            one("Clear silicone sealant", "12", "tubes")
        ])
    );
    // a merged header cell over the sites (blank to its right), the sites in the row below
    let got = t(&[
        &[
            "S/No",
            "Item Description",
            "Unit",
            "Quantity by Site",
            "",
            "",
            "Total Qty",
            "Remarks",
        ],
        &["", "", "", "HarbourFront", "Keppel Bay", "Telok Blangah", "", ""],
        &["1", "Clorox bleach 4L", "btl", "4", "2", "2", "8", ""],
        &["2", "Toilet bowl cleaner 5L", "can", "3", "0", "1", "4", ""],
        &["3", "Dishwash liquid 5L", "can", "2", "2", "1", "5", "pantry"],
    ]);
    assert_eq!(
        got,
        Some(vec![
            one("Clorox bleach 4L", "8", "bottles"),
            one("Toilet bowl cleaner 5L", "4", "cans"),
            one("Dishwash liquid 5L", "5", "cans")
        ])
    );
    let got = t(&[
        &[
            "No.",
            "Description",
            "Total quantity",
            "Month 1 qty",
            "Month 2 qty",
            "Month 3 qty",
        ],
        &["1", "Mop head cotton 400g", "30", "10", "10", "10"],
        &["2", "Trash bags 36 x 48", "25", "10", "5", "10"],
    ]);
    assert_eq!(
        got,
        Some(vec![
            one("Mop head cotton 400g", "30", "pcs"),
            one("Trash bags 36 x 48", "25", "pcs")
        ])
    );
}

/// Columns of stock figures beside the order quantity add nothing up: the first quantity
/// column stays the one ordered.
#[test]
fn quantity_columns_that_add_nothing_up_keep_the_first() {
    let got = t(&[
        &["No.", "Description", "Order Qty", "Stock Qty", "Min Qty"],
        &["1", "Wire brush 4in", "12", "3", "5"],
        &["2", "Flap disc 4in P80", "50", "10", "20"],
    ]);
    assert_eq!(
        got,
        Some(vec![
            one("Wire brush 4in", "12", "pcs"),
            one("Flap disc 4in P80", "50", "pcs")
        ])
    );
}

/// A form without a quantity column whose description cells give the quantity, beside a
/// column of remarks: every row is an item, remark or not.
#[test]
fn quantities_written_in_the_description_cells() {
    let got = t(&[
        &["No.", "Item Description", "Remarks"],
        &[
            "1.",
            "Perry life buoy 2.5kg c/w reflective tape Qty: 4 pcs",
            "Annual survey - replace faded units",
        ],
        &["2.", "Weicon Rust Shock 400ml Qty: 12 cans", "Deck machinery"],
        &["3.", "3M Marine adhesive sealant 5200, white Qty: 6 tubes", ""],
    ]);
    assert_eq!(
        got,
        Some(vec![
            one("Perry life buoy 2.5kg c/w reflective tape", "4", "pcs"),
            one("Weicon Rust Shock 400ml", "12", "cans"),
            one("3M Marine adhesive sealant 5200, white", "6", "tubes"),
        ])
    );
}

#[test]
fn a_form_of_labelled_fields_is_no_item_list() {
    fn rows<const N: usize>(cells: &[[&str; N]]) -> Vec<Vec<String>> {
        cells
            .iter()
            .map(|r| r.iter().map(|c| c.to_string()).collect())
            .collect()
    }
    assert!(is_form(&rows(&[
        ["RFQ Ref", "EALS-RFQ-26-014"],
        ["Office", "+65 6545 1187"],
        ["Deliver to", "Changi Point Ferry Terminal Store, Singapore 499172"],
        ["Vessels", "Launches EA 11, EA 12 and EA 15"],
    ])));
    assert!(!is_form(&rows(&[
        ["Nitrile gloves, size L", "20 boxes"],
        ["Safety helmet", "12 pcs"],
        ["Ear plugs", "200 pairs"],
    ])));
    // two fields a row
    assert!(is_form(&rows(&[
        ["PR No.", "TLPE/PR/26/0733", "Date", "26/05/2026"],
        [
            "Requested by",
            "Rajesh Kumar a/l Maniam",
            "Cost centre",
            "TA-2026 / Unit 200"
        ],
        ["Tel", "+60 7-257 8830", "Email", "rajesh.kumar@tlpe.com.my"],
    ])));
    assert!(!is_form(&rows(&[
        ["Nitrile gloves", "20 boxes", "Ear plugs", "200 pairs"],
        ["Safety helmet", "12 pcs", "Face shield", "6 pcs"],
    ])));
}
