//! `horme bench DIR --extract-only [--synthetic-pages N]`: document understanding alone (read
//! → structured text → rules extractor → customer block), no database. Reports each
//! document's median over the runs, then the median per format; `--synthetic-pages`
//! generates a PDF of N pages with ten item rows each (a table with its header repeated on
//! every page) and times it the same way.

use std::collections::BTreeMap;
use std::time::Instant;

use anyhow::Context;
use printpdf::{BuiltinFont, Mm, Op, PdfDocument, PdfFontHandle, PdfPage, PdfSaveOptions, Point, Pt, TextItem};

use super::bench::BenchArgs;
use crate::config::Settings;
use crate::pipeline::customer::{self, SenderHint};
use crate::pipeline::requirements::extract_rules;
use crate::pipeline::sources::{self, Content, Source};
use crate::pipeline::text::Limits;

/// Item rows per generated page.
const ROWS_PER_PAGE: usize = 10;

struct Sample {
    name: String,
    format: String,
    content: Content,
}

pub fn run(settings: &Settings, args: &BenchArgs) -> anyhow::Result<()> {
    let limits = Limits::from_settings(&settings.pipeline);
    let mut samples = Vec::new();
    let mut files: Vec<_> = std::fs::read_dir(&args.dir)
        .with_context(|| format!("reading {}", args.dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    for path in files {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("?").to_string();
        let Ok(msg) = super::quote::message_from_file(&path, None, &crate::mail::staff::Staff::from_settings(settings))
        else {
            eprintln!("skipping {name}: not an RFP file");
            continue;
        };
        let format = name.rsplit_once('.').map_or("?", |(_, e)| e).to_ascii_lowercase();
        let content = Content::of_message(&msg);
        samples.push(Sample { name, format, content });
    }
    if let Some(pages) = args.synthetic_pages {
        samples.push(Sample {
            name: format!("generated-{pages}-pages.pdf"),
            format: format!("pdf ({pages} pages)"),
            content: Content {
                attachments: vec![Source {
                    name: "generated.pdf".into(),
                    media_type: None,
                    bytes: synthetic_pdf(pages),
                }],
                ..Content::default()
            },
        });
    }
    println!("{:<28} {:>6} {:>10}", "document", "lines", "median ms");
    let mut per_format: BTreeMap<String, Vec<f64>> = BTreeMap::new();
    for s in &samples {
        let mut times = Vec::with_capacity(args.runs);
        let mut lines = 0;
        for _ in 0..args.runs.max(1) {
            let clock = Instant::now();
            let read = sources::read(&s.content, &limits);
            let items = extract_rules(&read.documents);
            let info = customer::extract(&read.documents, &SenderHint::default());
            times.push(clock.elapsed().as_secs_f64() * 1000.0);
            lines = items.map(|i| i.len()).unwrap_or(0);
            std::hint::black_box(info);
        }
        let m = median(times);
        println!("{:<28} {:>6} {:>10.2}", s.name, lines, m);
        per_format.entry(s.format.clone()).or_default().push(m);
    }
    println!(
        "\nmedian extraction time per format ({} runs per document), milliseconds:",
        args.runs.max(1)
    );
    let mut all = Vec::new();
    for (format, v) in &per_format {
        all.extend(v.iter().copied());
        println!(
            "  {format:<18} {:>3} documents  median {:>8.2}  max {:>8.2}",
            v.len(),
            median(v.clone()),
            v.iter().copied().fold(0.0, f64::max)
        );
    }
    println!(
        "  {:<18} {:>3} documents  median {:>8.2}",
        "all",
        all.len(),
        median(all)
    );
    Ok(())
}

fn median(mut v: Vec<f64>) -> f64 {
    if v.is_empty() {
        return 0.0;
    }
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// A request for quotation of `pages` pages: a title, then a table of item rows with its
/// header repeated at the top of every page, ten rows a page.
pub fn synthetic_pdf(pages: usize) -> Vec<u8> {
    let font = || PdfFontHandle::Builtin(BuiltinFont::Helvetica);
    let text = |x: f32, y: f32, s: String| {
        vec![
            Op::StartTextSection,
            Op::SetFont {
                font: font(),
                size: Pt(10.0),
            },
            Op::SetTextCursor {
                pos: Point {
                    x: Mm(x).into_pt(),
                    y: Mm(y).into_pt(),
                },
            },
            Op::ShowText {
                items: vec![TextItem::Text(s)],
            },
            Op::EndTextSection,
        ]
    };
    let mut doc = PdfDocument::new("Generated request for quotation");
    let mut out = Vec::with_capacity(pages);
    for page in 0..pages {
        let mut ops = Vec::new();
        if page == 0 {
            ops.extend(text(20.0, 280.0, "REQUEST FOR QUOTATION RFQ-2027/0500".into()));
            ops.extend(text(
                20.0,
                273.0,
                "Generated benchmark document, please quote by 30 Jan 2027".into(),
            ));
        }
        for (x, h) in [(20.0, "No."), (35.0, "Description"), (150.0, "Qty"), (170.0, "Unit")] {
            ops.extend(text(x, 260.0, h.into()));
        }
        for r in 0..ROWS_PER_PAGE {
            let n = page * ROWS_PER_PAGE + r + 1;
            let y = 250.0 - r as f32 * 8.0;
            ops.extend(text(20.0, y, n.to_string()));
            ops.extend(text(
                35.0,
                y,
                format!("Stainless steel hex bolt M{} x {} mm grade A2", 6 + n % 10, 20 + n % 80),
            ));
            ops.extend(text(150.0, y, (n % 97 + 1).to_string()));
            ops.extend(text(170.0, y, "pcs".into()));
        }
        out.push(PdfPage::new(Mm(210.0), Mm(297.0), ops));
    }
    doc.with_pages(out).save(&PdfSaveOptions::default(), &mut Vec::new())
}
