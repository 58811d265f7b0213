use super::*;

fn n(s: &str) -> String {
    normalize(s)
}

#[test]
fn inches_in_every_spelling() {
    for s in ["4\"", "4 inch", "4inch", "4 In", "4”", "4''", "4in"] {
        assert_eq!(n(&format!("disc {s}")), "disc 4in", "{s}");
    }
    assert_eq!(n("1-1/2 Inch"), "1.5in");
    assert_eq!(n("5/16In"), "0.3125in");
}

#[test]
fn inches_joined_hyphenated_or_abbreviated() {
    for s in [
        "3/4 inch",
        "3/4-inch",
        "3/4 in.",
        "3/4''",
        "3/4\"",
        "3/4 Inches",
        "3/4in",
    ] {
        assert_eq!(n(&format!("nipple {s} brass")), "nipple 0.75in brass", "{s}");
    }
    assert_eq!(n("12-volt drill"), "12v drill");
}

#[test]
fn a_unit_after_the_last_dimension_belongs_to_every_part() {
    let catalog = n("SAND PAPER 9X11\" P120");
    assert_eq!(catalog, "sand paper 9inx11in 9in 11in g120");
    assert_eq!(n("sand paper 9\"x11-inchxg120"), catalog);
    assert_eq!(
        n("sandpaper 9 x 11 inch grit 120").split_once(' ').map(|x| x.1),
        Some("9inx11in 9in 11in g120")
    );
    assert_eq!(n("disc 230mmx6mmx22 mm"), n("DISC 230MMX6MMX22MM"));
    assert_eq!(n("disc 230 x 6 x 22mm"), n("DISC 230MMX6MMX22MM"));
}

#[test]
fn metric_sizes_in_every_spelling_are_one_token() {
    for (a, b) in [
        ("200 mls", "200ML"),
        ("5 kgs", "5KG"),
        ("4 litre", "4L"),
        ("4 l", "4 LTR"),
        ("4 Litres", "4000ml"),
        ("0.5 kg", "500 g"),
        ("60 cm", "600mm"),
        ("25-metre", "25M"),
        ("25 mtrs", "25m"),
    ] {
        assert_eq!(n(&format!("x {a}")), n(&format!("x {b}")), "{a} / {b}");
    }
}

#[test]
fn volumes_and_weights() {
    assert_eq!(n("400 ML"), "400ml");
    assert_eq!(n("400ml"), "400ml");
    assert_eq!(n("20 Ltr"), "20000ml");
    assert_eq!(n("2.0 Kg"), "2000g");
    assert_eq!(n("10.0kg"), "10000g");
    assert_eq!(n("500 grams"), "500g");
}

#[test]
fn dimensions_in_every_spelling() {
    assert_eq!(n("100*1.2*16"), "100x1.2x16");
    assert_eq!(n("100 x 1.2 x 16"), "100x1.2x16");
    assert_eq!(n("100X1.2X16"), "100x1.2x16");
    assert_eq!(n("800Mmx300Mm"), "800mmx300mm 800mm 300mm");
    assert_eq!(n("80cm x 30cm"), "800mmx300mm 800mm 300mm");
}

#[test]
fn grits() {
    for s in ["#240", "G240", "grit 240", "Grit:240", "P240", "grit #240"] {
        assert!(
            n(&format!("paper {s}")).ends_with("g240"),
            "{s} → {}",
            n(&format!("paper {s}"))
        );
    }
}

#[test]
fn a_hash_grit_joined_to_a_word() {
    assert_eq!(n("METZ FLAP DISC GRIT #120-BLUE"), "metz flap disc g120 blue");
    assert_eq!(n("paper #80/"), "paper g80");
}

#[test]
fn shoe_sizes() {
    assert_eq!(n("SAFETY SHOE SIZE:08"), "safety shoe size8");
    assert_eq!(n("safety shoe size 8"), "safety shoe size8");
    assert_eq!(n("KING'S SAFETY SHOE KR7000 - 08"), "kings safety shoe kr7000 size8");
    assert_eq!(n("Parkes Zip 512758 (Black) - 06"), "parkes zip 512758 black size6");
    assert_eq!(n("SHOE SIZE:UK-11"), "shoe size11");
}

#[test]
fn part_numbers_keep_whole_and_parts() {
    assert_eq!(n("WEICONLOCK® AN 302-25"), "weiconlock an 302-25 30225 302 25");
    assert_eq!(n("W3000-10"), "w3000-10 w300010 w3000 10");
}

#[test]
fn or_equivalent_is_noise() {
    assert_eq!(n("Glue 1Oz (3M Or Equivalent)"), "glue 1oz 3m");
}

#[test]
fn numbers_drop_leading_zeros() {
    assert_eq!(n("Item 0425"), "item 425");
}

#[test]
fn an_abbreviation_dot_parts_two_words() {
    assert_eq!(n("SKK STD DUTY IND.CASTOR WHEEL"), "skk std duty ind castor wheel");
    assert_eq!(n("BOSTIK M.PURPOSE SEALANT"), "bostik m purpose sealant");
    assert_eq!(n("UN NO.1049 1.5MM"), "un no 1049 1.5mm");
    // a number's label and its number, however written
    assert_eq!(n("PH toilet brush no.120"), n("PH TOILET BRUSH NO 120"));
}

#[test]
fn dimensions_marked_width_depth_height() {
    assert_eq!(n("BIN PB45 (410W X 390D X 600HT)"), n("bin pb45 410 x 390 x 600"));
    assert_eq!(n("bin 480W X 560D X 780H-Mm"), n("bin 480x560x780mm"));
    // one marked part is no dimension: a grinder's power stays a power
    assert_eq!(n("ANGLE GRINDER 100MM 720W"), "angle grinder 100mm 720w");
}

#[test]
fn a_dimension_with_a_fraction_and_no_unit_is_in_inches() {
    assert_eq!(
        n("Brass pipe nipple BSP 3/8 x 1\""),
        n("BRASS PIPE NIPPLE BSP 3/8\"X1\"")
    );
    assert_eq!(n("nipple 3/8 x 1"), "nipple 0.375inx1in 0.375in 1in");
}

#[test]
fn letter_sizes_and_sizes_hyphened_to_a_word() {
    assert_eq!(
        n("PVC HEAVY DUTY RAINCOAT YELLOW - XL"),
        "pvc heavy duty raincoat yellow sizexl"
    );
    assert_eq!(n("raincoat, size XL"), "raincoat sizexl");
    assert_eq!(n("RAIN COAT SIZE:XL"), "rain coat sizexl");
    assert_eq!(n("GLOVES SIZE M"), "gloves sizem");
    // a spaced hyphen parts a model's figure from the size after it; a hyphen glued to the
    // figure still joins a unit
    assert_eq!(
        n("ANSELL RUBBER GLOVE 87950 BLACK - EXTRA 75 - L"),
        "ansell rubber glove 87950 black extra 75 sizel"
    );
    assert_eq!(n("OIL 5-L CAN"), "oil 5000ml");
    assert_eq!(n("ROLL 750MM X 150FEETS"), n("roll 750mm x 150ft"));
    assert_eq!(n("TAPE 766 2’’X 36YD"), n("tape 766, 2\" x 36 yd"));
    assert_eq!(n("PVC 2PC RAINCOAT YELLOW - XL"), n("PVC 2-piece raincoat yellow - XL"));
    assert_eq!(
        n("SAFETY BOOT STEEL TOE CAP & MIDSOLE-10 (YELLOW)"),
        "safety boot steel toe cap midsole size10 yellow"
    );
    // a short name before the hyphen is a product's name, not a size
    assert_eq!(n("WD-40"), "wd-40 wd40 wd 40");
}

#[test]
fn the_other_spellings_of_a_dimension_when_one_side_states_no_unit() {
    // the bare numbers, and the diameter in inches (a 200 mm wheel is an 8" wheel)
    assert_eq!(dimension_equivalents("200mmx20mmx32mm"), ["200x20x32", "8inx20mmx32mm"]);
    assert_eq!(
        dimension_equivalents("200x20x32"),
        ["200mmx20mmx32mm", "200inx20inx32in"]
    );
    assert_eq!(dimension_equivalents("4inx2.5mm"), ["4x2.5", "100mmx2.5mm"]);
    // a wheel's thickness and bore in either order, with or without units
    let wheel = dimension_equivalents("355x3x25.4");
    assert!(wheel.contains(&"355mmx25.4mmx3mm".to_string()), "{wheel:?}");
    assert!(wheel.contains(&"355x25.4x3".to_string()), "{wheel:?}");
    // a decimal comma inside a dimension
    assert_eq!(n("disc 115 x 2,5 x 22 mm"), n("DISC 115 X 2.5 X 22MM"));
    // a bore converted from inches, as the catalog rounds it (22.23 mm = 7/8")
    let disc = dimension_equivalents("115mmx2.5mmx22.23mm");
    assert!(disc.contains(&"115mmx2.5mmx22mm".to_string()), "{disc:?}");
    assert!(disc.contains(&"115x2.5x22".to_string()), "{disc:?}");
    assert!(dimension_equivalents("200ml").is_empty());
    assert!(dimension_equivalents("9inx11inxg360").is_empty());
}

#[test]
fn with_written_short_is_noise() {
    assert_eq!(n("ear plug w/ cord"), n("EAR PLUG W/CORD"));
    assert_eq!(n("hammer drill c/w bits"), "hammer drill bits");
}

#[test]
fn a_size_in_numbers_and_letters_is_both() {
    assert_eq!(n("FOAM COATED GLOVE (SIZE 9/L)"), "foam coated glove size9 sizel");
    assert_eq!(n("impact glove black 9/L"), "impact glove black size9 sizel");
    assert_eq!(n("hose 1/2 l"), n("hose 1/2 l"));
    assert_eq!(n("GRIP GLOVE SIZE:8/M"), "grip glove size8 sizem");
}

#[test]
fn a_word_hyphened_to_its_size_is_two_words() {
    assert_eq!(
        n("SAFETY CONE-30\" WITH 2 REFLECTIVE FILM"),
        "safety cone 30in 2 reflective film"
    );
    assert_eq!(n("BL HEAVY DUTY GREASE-15KG"), "bl heavy duty grease 15000g");
    // digits on both sides: a code, kept whole and in parts
    assert_eq!(n("W3000-10"), "w3000-10 w300010 w3000 10");
}

#[test]
fn the_container_after_a_volume_or_weight_is_packing() {
    assert_eq!(n("BL heavy duty grease 15kg pail"), n("BL HEAVY DUTY GREASE-15KG"));
    assert_eq!(n("WEICON Brake Cleaner 500ml spray"), n("WEICON BRAKE CLEANER 500 ML"));
    assert_eq!(n("Lesfric oil, 1 litre bottle"), "lesfric oil 1000ml");
    // not after a volume: the container is the product
    assert_eq!(n("spray can 400ml"), "spray can 400ml");
    assert_eq!(n("mop bucket 20 litre"), "mop bucket 20000ml");
}

#[test]
fn a_count_in_a_pack_is_one_token() {
    assert_eq!(n("WIPES 80'S HW5367"), "wipes 80pcs hw5367");
    assert_eq!(n("wipes 80 sheets"), "wipes 80pcs");
    assert_eq!(n("wipes, 80 pcs"), "wipes 80pcs");
    assert_eq!(n("GLOVES (100PC/BOX)"), "gloves 100pcs");
    assert_eq!(n("gloves 100 pcs/box"), "gloves 100pcs");
    assert_eq!(n("Vinyl Gloves-(M) 100/B"), "vinyl gloves sizem 100pcs");
    assert_eq!(n("SAFETY PINS 50MM (APPROX 500/BOX)"), "safety pins 50mm 500pcs");
    assert_eq!(n("SANITIZING WIPE 10'/PKT"), "sanitizing wipe 10pcs");
}

#[test]
fn a_grit_after_a_dimensions_x() {
    assert_eq!(
        n("HAWK WATERPROOF SANDPAPER 9\"X11\"XG320"),
        "hawk waterproof sandpaper 9inx11in 9in 11in g320"
    );
    assert_eq!(n("sandpaper 9x11xp120"), "sandpaper 9x11 g120");
}

#[test]
fn letter_sizes_in_brackets_or_alone_and_us_sizes() {
    assert_eq!(
        n("Ironclad Kong Pro Cut 5 gloves (M)"),
        "ironclad kong pro cut 5 gloves sizem"
    );
    assert_eq!(
        n("Ansell 87-950 black rubber glove XL"),
        "ansell 87-950 87950 87 950 black rubber glove sizexl"
    );
    assert_eq!(
        n("ANSELL RUBBER GLOVE 87950 BLACK - EXTRA 75 - XL"),
        "ansell rubber glove 87950 black extra 75 sizexl"
    );
    assert_eq!(n("WORK BOOT P725297 (US 09)"), n("work boot P725297 US9"));
    assert_eq!(n("BROOM (L)95CM"), "broom l 950mm");
}

#[test]
fn a_part_without_a_unit_takes_the_unit_after_it() {
    // abrasives: diameter in inches, thickness and bore in millimetres
    assert_eq!(
        n("HAWK CUT OFF WHEEL 5\"X2X22MM"),
        n("hawk cut off wheel 5 inch x 2mm x 22mm")
    );
    assert_eq!(n("wheel 5\"X2X22MM"), "wheel 5inx2mmx22mm 5in 2mm 22mm");
    assert_eq!(n("disc 4\" x 2.5 x 16 mm"), n("DISC 4\"X2.5MMX16MM"));
    // nothing after: a bare part stays bare
    assert_eq!(n("plate 100mmx2x3"), "plate 100mmx2x3 100mm");
}

#[test]
fn dimensions_marked_before_their_numbers() {
    assert_eq!(n("BIOHAZARD STICKER W190XH255MM"), n("biohazard sticker 190mm x 255mm"));
    assert_eq!(n("cabinet L600 x W400 x H850 mm"), n("cabinet 600 x 400 x 850mm"));
    // a model code is not a dimension
    assert_eq!(n("W3000-10"), "w3000-10 w300010 w3000 10");
}

#[test]
fn a_measure_hyphened_to_a_code_is_two_tokens() {
    assert_eq!(
        n("HAWK FLEX. DISC 100X2.5X16MM-WA80"),
        n("hawk flex disc 100 x 2.5 x 16mm WA80")
    );
    assert_eq!(n("tube 10MM-BLUE"), "tube 10mm blue");
}

#[test]
fn a_bare_inch_fraction_is_in_inches() {
    assert_eq!(n("KTC 3/8 DR AIR SCREWDRIVER"), n("ktc 3/8\" dr air screwdriver"));
    assert_eq!(n("socket 1-1/2"), "socket 1.5in");
    // not every fraction is a size
    assert_eq!(n("open 24/7"), "open 24/7");
    assert_eq!(n("ratio 50/50"), "ratio 50/50");
}

#[test]
fn a_measure_labelled_size_is_a_measure() {
    assert_eq!(n("CASTOR (HOLE SIZE:10.3MM)"), "castor hole size 10.3mm");
    assert_eq!(n("washer size: 12 mm"), "washer size 12mm");
    assert_eq!(n("boot SIZE:08"), "boot size8");
}

#[test]
fn pairs_in_a_pack_are_a_count() {
    assert_eq!(n("EARPLUG (100 PRS/BOX)"), n("earplug 100 pairs/box"));
    assert_eq!(n("GLOVE 50PAIR/PKT"), "glove 50pcs");
}

#[test]
fn a_grain_and_grit_code_states_the_grit() {
    assert_eq!(
        n("KOYO FIBER SAND DISC 6\" CC120"),
        "koyo fiber sand disc 6in cc120 g120"
    );
    assert_eq!(n("FLEX DISC WA80"), "flex disc wa80 g80");
    // glued to the size's "x" as written apart
    assert_eq!(n("KINIK SANDING DISC 7\"XCC36"), "kinik sanding disc 7in cc36 g36");
    // not a grit: model codes with other letters or numbers
    assert_eq!(n("SAFETY EAR MUFF A601"), "safety ear muff a601");
    assert_eq!(n("MOUNTED POINT A11"), "mounted point a11");
}

#[test]
fn letter_sizes_spelt_out() {
    assert_eq!(n("SHELL GLOVE GREY SIZE SMALL-7"), "shell glove grey sizes 7");
    assert_eq!(n("shell glove grey, size S"), "shell glove grey sizes");
    assert_eq!(n("VINYL GLOVE (SMALL)"), n("vinyl glove size s"));
    assert_eq!(n("OVERALL - EXTRA LARGE"), n("overall size XL"));
    // a large bin is no size
    assert_eq!(n("large bin"), "large bin");
}

#[test]
fn a_word_glued_to_its_size() {
    assert_eq!(n("BEARING GREASE18KG"), n("bearing grease 18 kg"));
    assert_eq!(n("FOOT PEDAL120L"), "foot pedal 120000ml");
    assert_eq!(n("FIBRE DSIC100MMX16MM G80"), "fibre dsic 100mmx16mm 100mm 16mm g80");
    // a short code keeps the code and names its volume
    assert_eq!(n("BIN MGB120L"), "bin mgb120l mgb 120000ml");
}

#[test]
fn inches_in_decimals_and_a_decimal_comma() {
    assert_eq!(n("CASTOR SWIVEL 2-1/2\""), n("castor swivel 2.5\""));
    assert_eq!(n("nipple 3/4 inch"), "nipple 0.75in");
    assert_eq!(n("HAND CLEANER 443,5 ML"), n("hand cleaner 443.5ml"));
    assert_eq!(n("WEICON HP 0,5 KG"), n("weicon hp 0.5kg"));
    // a comma after a code or a grade parts two things
    assert_eq!(n("ENGINE OIL RX 15W-40,18L"), n("engine oil rx 15w-40 18l"));
    let nalco = n("NALCO 8338,22KG/PAIL INHIBITOR");
    assert!(
        nalco.split(' ').any(|t| t == "8338") && nalco.split(' ').any(|t| t == "22000g"),
        "{nalco}"
    );
}

#[test]
fn malay_and_indonesian_function_words_are_dropped() {
    assert_eq!(n("Masker 3M 8210 untuk area crusher"), n("masker 3m 8210 area crusher"));
    assert_eq!(
        n("sarung tangan katun dgn bintik PVC, merk bebas"),
        n("sarung tangan katun bintik pvc bebas")
    );
    assert_eq!(n("kasut saiz 8"), n("kasut size 8"));
    assert_eq!(n("sarung tangan saiz L kuning"), n("sarung tangan size L kuning"));
    assert_eq!(n("batu potong 14 inci"), n("batu potong 14\""));
}

#[test]
fn a_drive_glued_to_its_fraction() {
    assert_eq!(n("WRENCH IMPACT 1/2DR 18V"), n("wrench impact 1/2\" dr 18v"));
}

#[test]
fn a_roll_width_before_its_length_in_metres_is_in_millimetres() {
    assert_eq!(n("SANDPAPER ROLL, 100*50M*G120"), n("sandpaper roll 100mm x 50m, G120"));
    assert_eq!(n("ABRASIVE PAPER 93MMXGRIT:180"), "abrasive paper 93mm g180");
}

#[test]
fn nominal_sizes_in_the_other_system() {
    assert_eq!(nominal_equivalent("4in").as_deref(), Some("100mm"));
    assert_eq!(nominal_equivalent("230mm").as_deref(), Some("9in"));
    assert_eq!(nominal_equivalent("101mm"), None);
    assert_eq!(
        dimension_equivalents("100mmx6mm"),
        vec!["100x6".to_string(), "4inx6mm".to_string()]
    );
}

#[test]
fn a_size_times_a_count_is_no_dimension() {
    assert_eq!(n("NEEDLE SCALER 3MM X 19PCS"), "needle scaler 3mm 19pcs");
}

#[test]
fn cubic_centimetres_are_millilitres() {
    assert_eq!(n("spray gun 600cc cup"), n("SPRAY GUN 0.6L CUP"));
}

#[test]
fn a_model_number_before_a_lone_letter_is_no_measure() {
    assert_eq!(n("TOYOGO MOPPY PAIL 7009 L"), "toyogo moppy pail 7009 l");
    assert_eq!(
        n("HSK HD COTTON COVERALL GREY 8805 - M"),
        n("HSK HD COTTON COVERALL GREY 8805 size M")
    );
    // measures stay measures
    assert_eq!(n("tank 1000 L"), "tank 1000000ml");
    assert_eq!(n("bin 120 L"), "bin 120000ml");
    assert_eq!(n("hose 1500 mm"), n("hose 1500mm"));
    assert_eq!(n("oil 1.5 L"), n("oil 1.5L"));
    assert_eq!(n("chop saw (2300 W)"), n("CHOP SAW 2300W"));
}

#[test]
fn a_negated_word_is_its_own_token() {
    for s in [
        "ZEBRA TAPE - W/O ADHESIVE",
        "zebra tape non-adhesive",
        "Zebra tape without adhesive",
        "zebra tape, non adhesive",
    ] {
        assert_eq!(n(s), "zebra tape nonadhesive", "{s}");
    }
    assert_eq!(n("male stud (straight, not elbow)"), "male stud straight nonelbow");
    // one word already, numbers after "without", and words that only begin alike stay
    assert_eq!(n("nonwoven swab"), "nonwoven swab");
    assert_eq!(n("drill without 2 batteries"), "drill without 2 batteries");
    assert_eq!(n("notebook cannot"), "notebook cannot");
}

#[test]
fn counts_per_pack_with_a_bare_s_and_the_diameter_mark() {
    assert_eq!(n("DETTOL WIPE 10S/PKT"), "dettol wipe 10pcs");
    assert_eq!(n("dettol wipes 10's"), "dettol wipes 10pcs");
    assert_eq!(n("CHAIN 6.0MMØ YELLOW"), "chain 6mm yellow");
    // a model code with "S/B" stays a code
    assert!(!n("FITTING 4114S/B").contains("pcs"));
    // rolls per pack, and pieces per pack written "PPP"
    assert_eq!(n("crepe bandage (12 rolls/pkt)"), "crepe bandage 12pcs");
    assert_eq!(n("CREPE BANDAGES -12PPP"), "crepe bandages 12pcs");
    assert_eq!(n("TISSUE 12ROLL/BOX"), "tissue 12pcs");
    assert_eq!(n("ear plugs, 100 pairs per box"), n("EAR PLUGS (100 PRS/BOX)"));
    assert_eq!(n("vinyl glove (50 pr/pkt)"), n("VINYL GLOVE 50PAIR/PKT"));
    assert_eq!(n("N95 respirator, box/20"), n("N95 RESPIRATOR 20PCS/BOX"));
    assert_eq!(n("face mask (box of 50)"), n("FACE MASK 50'S/BOX"));
    assert_eq!(n("paper roll (pack of 2)"), n("PAPER ROLL - 2PPP"));
    assert_eq!(n("wipes (10 per carton)"), "wipes 10 carton");
    // an article between the negation and its word
    assert_eq!(n("grinder (tool only, not the set)"), "grinder tool only nonset");
}

#[test]
fn a_length_per_roll_is_no_part_of_a_dimension() {
    let hose = n("AIR HOSE 100MTR/ROLL- 3/8\"");
    assert!(
        hose.contains("100m") && hose.contains("roll") && hose.contains("0.375in"),
        "{hose}"
    );
    let request = n("air hose 3/8\" x 100m/roll");
    assert!(!request.contains('/'), "{request}");
    assert!(request.contains("100m") && request.contains("roll"), "{request}");
}

#[test]
fn a_percentage_spelt_out() {
    assert_eq!(n("IPA 70 PERCENT ALCOHOL"), n("ipa 70% alcohol"));
    assert_eq!(n("70 per cent"), "70%");
}

#[test]
fn a_roll_written_length_by_width() {
    assert!(dimension_equivalents("1mx50m").contains(&"50mx1m".to_string()));
    assert!(dimension_equivalents("500mmx50m").contains(&"50mx500mm".to_string()));
    assert!(dimension_equivalents("50mx500mm").contains(&"500mmx50m".to_string()));
    assert!(!dimension_equivalents("4inx2.5mm").iter().any(|e| e.starts_with("2.5")));
    assert!(!dimension_equivalents("35cmx25cm").contains(&"25cmx35cm".to_string()));
}

#[test]
fn a_discs_thickness_and_bore_either_way_round() {
    assert!(dimension_equivalents("405mmx3mmx25.4mm").contains(&"405mmx25.4mmx3mm".to_string()));
    assert!(dimension_equivalents("230x6x22").contains(&"230x22x6".to_string()));
    // a cabinet's sides have an order; so do parts in other units
    assert!(!dimension_equivalents("600x400x300").contains(&"600x300x400".to_string()));
    assert!(
        !dimension_equivalents("100mmx3inx25mm")
            .iter()
            .any(|e| e.starts_with("100mmx25mm"))
    );
}

#[test]
fn sizes_as_shoe_glove_and_garment_names_close() {
    // a shoe's UK and EU sizes; other pairs after a hyphen are a code
    assert_eq!(
        n("PVC SAFETY BOOT WITH STEEL TOE CAP -10/44"),
        "pvc safety boot steel toe cap size10 size44"
    );
    assert_eq!(n("APLUS PINNERS AIR NAILER -06/22"), "aplus pinners air nailer 06/22");
    assert_eq!(
        n("STEEL BLUE SHOE ZIP 512719 (WHEAT) UK-04/AU-06"),
        "steel blue shoe zip 512719 wheat size4 size6"
    );
    // hyphened to a colour written short, or after a space
    assert_eq!(n("KING'S PVC BOOT KV20 YEL-03"), "kings pvc boot kv20 yel size3");
    assert_eq!(n("BOOT WITH TOE CAP & MID-SOLE- 11"), "boot toe cap mid sole size11");
    // a letter size closing a name or a request, after a word
    assert_eq!(
        n("DUPONT TYCHEM 6000 HOODED COVERALL GREY M"),
        "dupont tychem 6000 hooded coverall grey sizem"
    );
    assert_eq!(n("coverall grey, medium"), "coverall grey sizem");
    assert_eq!(n("gloves nitrile blue, L"), "gloves nitrile blue sizel");
    assert_eq!(
        n("NITRILE EXAMINATION GLOVES M (100PC/BOX)"),
        "nitrile examination gloves sizem 100pcs"
    );
    assert_eq!(n("overall white extra large"), n("OVERALL WHITE XL"));
    assert_eq!(n("work shirt yellow 2XL"), n("work shirt yellow, size XXL"));
    assert_eq!(n("HI VIS SHIRT 3XL"), "hi vis shirt sizexxxl");
    // after a number it is a unit or a model's variant
    assert_eq!(n("PAIL 7009 L"), "pail 7009 l");
    assert_eq!(n("rope 10 m"), "rope 10m");
}

#[test]
fn a_grit_is_a_grit_the_trade_makes() {
    assert_eq!(n("sandpaper 240 grit"), n("SANDPAPER #240"));
    assert_eq!(n("sandpaper 240 grit"), "sandpaper g240");
    // a model's number and a glove's size after "#" are numbers
    assert_eq!(n("3M corded ear plug #1110"), "3m corded ear plug 1110");
    assert_eq!(n("NITRILE GLOVE # 11"), "nitrile glove 11");
    assert_eq!(n("MOP HEAD #250"), "mop head 250");
}

#[test]
fn codes_and_sizes_hyphened_to_short_words() {
    // a short word and a number of three digits: a code
    assert_eq!(n("King's KWS-701"), "kings kws-701 kws701 kws 701");
    // a figure and a letter no unit is: a code ("BPD-202C" is not "BDD-202C"); a count stays
    assert_eq!(n("M18 BDD-202C"), "m18 bdd-202c bdd202c bdd 202c");
    assert_eq!(n("PLASTER-10S"), "plaster 10s");
    // a letter size hyphened to a model code is that code's size
    assert_eq!(n("DANCEL PVC RAINCOAT RC35-L"), "dancel pvc raincoat rc35 sizel");
    assert_eq!(n("Dancel RC35 PVC raincoat, size L"), "dancel rc35 pvc raincoat sizel");
    assert_eq!(n("HD3512-XXL (BLUE)"), "hd3512 sizexxl blue");
    assert_eq!(n("W3000-10"), "w3000-10 w300010 w3000 10");
    // a count hyphened to a word: two words
    assert_eq!(n("helmet 6-point ratchet"), n("HELMET 6 POINT RATCHET"));
    assert_eq!(n("3-ply face mask"), "3ply face mask");
    assert_eq!(n("3 PLY FACE MASK"), n("3PLY FACE MASK"));
    assert_eq!(n("2-stroke engine oil"), "2 stroke engine oil");
    // measures side by side, and a word's abbreviation dotted to one
    assert_eq!(n("MAX.150BAR/2000W"), "max 150bar 2000w");
    assert_eq!(n("500 ML/415 G"), "500ml 415g");
    // an inch fraction with its mark: a size, however short the word
    assert_eq!(
        n("SUNRISE BRONZE BALL VALVE BV-1/4\""),
        n("sunrise bronze ball valve bv 1/4\"")
    );
}

#[test]
fn ranges_fractions_after_inches_and_replacement_notes() {
    assert_eq!(n("silicone sealant 280-300ml"), "silicone sealant 280ml 300ml");
    assert_eq!(n("hose clip 10 to 16 mm"), "hose clip 10mm 16mm");
    assert_eq!(n("flap wheel 4in x 5/8 thick"), n("FLAP WHEEL 4\" X 5/8\" THICK"));
    assert_eq!(
        n("STANLEY IMPACT DRIVER SBI201D2K (REPLACED BY SBI810D2K-B1)"),
        "stanley impact driver sbi201d2k"
    );
    assert_eq!(
        n("METABO ROTARY DRILL BE561 [ DISCONTINUED, TO BE REPLACED BY BE650 ]"),
        "metabo rotary drill be561"
    );
}

#[test]
fn the_other_spellings_of_a_size() {
    assert_eq!(size_equivalents("size10"), ["10", "s10"]);
    assert_eq!(size_equivalents("s9"), ["size9"]);
    assert!(size_equivalents("s100").is_empty());
    assert_eq!(size_equivalents("sizem"), ["m", "medium"]);
    assert_eq!(size_equivalents("41"), ["size41"]);
    assert_eq!(size_equivalents("medium"), ["sizem"]);
    assert_eq!(size_equivalents("xl"), ["sizexl"]);
    assert_eq!(size_equivalents("2xl"), ["sizexxl"]);
    assert!(size_equivalents("120").is_empty());
    assert!(size_equivalents("08").is_empty());
    assert!(size_equivalents("glove").is_empty());
}

#[test]
fn inch_fractions_spelt_out() {
    assert_eq!(n("Brass nipple half inch x half inch"), n("BRASS NIPPLE 1/2\"X1/2\""));
    assert_eq!(n("ball valve three-quarter inch"), n("ball valve 3/4\""));
    assert_eq!(n("hose one and a half inches"), n("hose 1-1/2\""));
    assert_eq!(n("quarter inch drive socket"), n("1/4 inch drive socket"));
    // not a size
    assert_eq!(n("half mask respirator"), "half mask respirator");
}

#[test]
fn a_negation_before_a_written_out_abbreviation() {
    let t = |s: &str| s.split_whitespace().map(String::from).collect::<Vec<_>>();
    assert_eq!(negated(t("std not heavy duty")), t("std nonheavy duty"));
    assert_eq!(negated(t("w/o 2 pcs")), t("w/o 2 pcs"));
    assert_eq!(negated(t("brush not")), t("brush not"));
}

#[test]
fn trade_marks_are_no_part_of_a_word() {
    assert_eq!(n("ALLRIGHT™ CUT OFF WHEEL"), "allright cut off wheel");
    assert_eq!(n("WEICONLOCK® AN 302-72"), n("WEICONLOCK AN 302-72"));
    assert_eq!(n("3M™ Scotch-Brite™"), n("3M Scotch-Brite"));
}

#[test]
fn an_inch_fraction_after_a_metric_size_is_in_inches() {
    // a push-in fitting for 10 mm tube with a 3/8" thread
    let t = tokens("PUSH IN FITTING 10MM X 3/8 MALE STUD");
    assert!(t.contains(&"0.375in".to_string()), "{t:?}");
    assert!(t.contains(&"10mm".to_string()), "{t:?}");
    assert_eq!(n("10mm x 3/8"), n("10MM X 3/8\""));
}

#[test]
fn a_pair_of_shoe_sizes_reads_alike_labelled_or_not() {
    assert_eq!(n("Oxysafe black size 41/42"), n("OXYSAFE BLACK 41/42"));
    assert_eq!(n("boot SIZE:44/45"), n("boot 44/45"));
    assert!(tokens("SAFETY SHOE (BLACK) 10/44").contains(&"size44".to_string()));
    // not a fraction or a code
    assert!(!tokens("SOCKET 5/16").iter().any(|t| t.starts_with("size")));
    assert!(!tokens("PIPE 12/20").iter().any(|t| t.starts_with("size")));
}

#[test]
fn w_out_negates_as_without() {
    assert_eq!(
        n("SWIVEL BRACKET 135 X 110 W/OUT BRAKE"),
        n("swivel bracket 135 x 110 without brake")
    );
    assert!(tokens("castor w/out brake").contains(&"nonbrake".to_string()));
}

#[test]
fn no_before_a_word_negates_it() {
    assert!(tokens("angle grinder GWS 7-100 (unit only, no set)").contains(&"nonset".to_string()));
    assert_eq!(n("NO SMOKING SIGN"), n("no-smoking sign"));
    // a number's label stays one
    assert!(!tokens("Bill No. 5 item").iter().any(|t| t.starts_with("non")));
    assert!(!tokens("size no 9").iter().any(|t| t.starts_with("non")));
}

#[test]
fn a_diameter_and_height_marked_by_letters_or_words_is_one_dimension() {
    assert_eq!(
        n("stainless steel open top bin, 300mm dia x 760mm high"),
        n("STAINLESS STEEL OPEN TOP BIN DIA300XH760MM")
    );
    assert_eq!(n("tray 600 wide x 400 deep mm"), n("TRAY W600 X D400MM"));
    // a diameter alone stays a size
    assert!(tokens("pipe 20mm dia").contains(&"20mm".to_string()));
}
