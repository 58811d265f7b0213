use std::io::Read;

use super::*;

fn inflate(packed: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    flate2::read::ZlibDecoder::new(packed)
        .read_to_end(&mut out)
        .expect("a zlib stream");
    out
}

fn company() -> CompanySettings {
    CompanySettings {
        name: "Horme Hardware Pte Ltd".into(),
        address: vec!["1 Test Road".into()],
        registration_no: "200000000X".into(),
        gst_no: "M2-0000000-0".into(),
        email: "sales@example.com".into(),
        phone: "+65 6000 0000".into(),
        website: "www.example.com".into(),
        logo: None,
        templates_dir: None,
        locale: "en".into(),
    }
}

fn quotation(descriptions: &[&str]) -> Quotation {
    use crate::pipeline::quotation::ProductRef;
    use crate::pipeline::requirements::Requirement;
    let lines = descriptions
        .iter()
        .zip(1..)
        .map(|(d, n)| QuoteLine {
            line: n,
            requested: Requirement {
                description: (*d).into(),
                quantity: Decimal::new(2, 0),
                unit: "pcs".into(),
            },
            matched: Some(ProductRef {
                sku: format!("SKU-{n}"),
                name: d.to_uppercase(),
                confidence: 0.97,
            }),
            alternatives: vec![],
            status: MatchStatus::Matched,
            list_price: Some(Decimal::new(1250, 2)),
            discount_pct: Some(Decimal::ZERO),
            unit_price: Some(Decimal::new(1250, 2)),
            line_total: Some(Decimal::new(2500, 2)),
            lead_time_days: Some(7),
        })
        .collect();
    Quotation {
        number: Some("Q-2026-000001".into()),
        source: "rfq.txt".into(),
        customer: Default::default(),
        lines,
        subtotal: Decimal::new(2500, 2),
        tax_rate: Decimal::new(9, 0),
        tax: Decimal::new(225, 2),
        total: Decimal::new(2725, 2),
        currency: "SGD".into(),
        date: None,
        valid_until: None,
        documents: vec![],
    }
}

/// The embedded fonts of a rendered PDF: (BaseFont name, font program bytes inflated).
fn embedded_fonts(pdf: &[u8]) -> Vec<(String, Vec<u8>)> {
    let doc = lopdf::Document::load_mem(pdf).expect("the PDF parses");
    let mut fonts = Vec::new();
    for object in doc.objects.values() {
        let Ok(dict) = object.as_dict() else { continue };
        let Ok(file) = dict.get(b"FontFile2").and_then(|f| f.as_reference()) else {
            continue;
        };
        let name = dict
            .get(b"FontName")
            .and_then(|n| n.as_name())
            .map(|n| String::from_utf8_lossy(n).into_owned())
            .expect("a font name");
        let stream = doc.get_object(file).and_then(|o| o.as_stream()).expect("a font stream");
        fonts.push((name, stream.decompressed_content().expect("a readable font program")));
    }
    fonts.sort();
    fonts
}

#[test]
fn common_text_embeds_the_prepacked_faces_and_other_scripts_a_subset() {
    let ctx = |company| RenderContext {
        company,
        tax_label: "GST",
        terms: "Prices in SGD.",
        logo: None,
    };
    let co = company();
    let latin = render(&quotation(&["Café-grade nozzle ½\" – 3 m²", "Gloves № 9 ™"]), &ctx(&co)).expect("renders");
    let fonts = embedded_fonts(&latin);
    assert_eq!(
        fonts.iter().map(|(n, _)| n.as_str()).collect::<Vec<_>>(),
        ["DejaVuSans", "DejaVuSans-Bold"],
        "whole prepacked faces, no per-document subset"
    );
    let common = FONTS.as_ref().and_then(|f| f.common.as_ref()).expect("prepared");
    for ((_, program), face) in fonts.iter().zip(common) {
        assert!(
            face.packed_for(program).is_some(),
            "the program embedded is the prepared one"
        );
    }

    let mixed = render(&quotation(&["Gloves", "Перчатки нитриловые → size Ω"]), &ctx(&co)).expect("renders");
    let fonts = embedded_fonts(&mixed);
    let subset: Vec<_> = fonts.iter().filter(|(n, _)| n.contains('+')).collect();
    assert_eq!(subset.len(), 1, "one subset face for the Cyrillic line: {fonts:?}");
    let parsed = printpdf::ParsedFont::from_bytes(&subset[0].1, 0, &mut Vec::new()).expect("a font");
    assert!(parsed.lookup_glyph_index('П' as u32).is_some());
    assert!(
        fonts.iter().any(|(n, _)| n == "DejaVuSans"),
        "the Latin text keeps the whole face"
    );
}

#[test]
fn one_deflater_packs_stream_after_stream() {
    let content: Vec<u8> = (0..2_000)
        .flat_map(|i| format!("BT /F1 9 Tf {i} 700 Td (line) Tj ET\n").into_bytes())
        .collect();
    let cmap = b"begincmap 1 beginbfchar <0041> <0041> endbfchar endcmap ".repeat(40);
    for data in [&content[..], &cmap[..], &content[..]] {
        let packed = deflate(data).expect("text compresses");
        assert!(packed.len() < data.len());
        assert_eq!(inflate(&packed), data);
    }
}

#[test]
fn what_does_not_shrink_stays_as_it_is() {
    let mut x = 0x9E37_79B9_7F4A_7C15_u64;
    let noise: Vec<u8> = (0..4_096)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect();
    assert_eq!(deflate(&noise), None);
    assert_eq!(deflate(b""), None);
    let packed = deflate(&b"after a refusal the deflater still works ".repeat(20)).expect("packs");
    assert_eq!(
        inflate(&packed),
        b"after a refusal the deflater still works ".repeat(20)
    );
}
