//! Rendering speed of the quotation PDF: 5 and 250 lines of real catalog products, priced by
//! the real rule, with the embedded fonts subset. `cargo bench --bench render`.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use horme::catalog::Product;
use horme::catalog::tiers::Tier;
use horme::config::Settings;
use horme::pipeline::customer::CustomerInfo;
use horme::pipeline::matching::{LineMatch, MatchStatus, Scored};
use horme::pipeline::quotation::{self, PricingContext, Quotation};
use horme::pipeline::requirements::Requirement;
use rust_decimal::Decimal;

fn quotation(lines: usize) -> Quotation {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let file = horme::catalog::import::read_products(&root.join("deploy/demo/products.csv")).expect("demo catalog");
    let priced: Vec<_> = file.rows.iter().filter(|r| r.price.is_some()).collect();
    let step = priced.len() / lines;
    let matched = priced
        .iter()
        .step_by(step)
        .take(lines)
        .enumerate()
        .map(|(i, r)| {
            let product = Product {
                sku: r.sku.as_str().to_string(),
                name: r.name.clone(),
                brand: r.brand.clone(),
                category: r.category.clone(),
                unit: r.unit.clone().unwrap_or_else(|| "pc".into()),
                price: r.price,
                currency: "SGD".into(),
                stock: r.stock,
                lead_time_days: r.lead_time_days,
                tokens: Vec::new(),
                active: true,
            };
            let req = Requirement {
                description: r.name.to_lowercase(),
                quantity: Decimal::from(1 + i as i64 % 40),
                unit: "pcs".into(),
            };
            let m = LineMatch {
                status: MatchStatus::Matched,
                best: Some(Scored {
                    product,
                    confidence: 0.9,
                }),
                alternatives: Vec::new(),
            };
            (req, m)
        })
        .collect();
    let tiers = [Tier {
        scope: "*".into(),
        min_qty: Decimal::from(10),
        discount_pct: Decimal::from(2),
    }];
    let ctx = PricingContext {
        tiers: &tiers,
        tax_rate: Decimal::new(9, 2),
        currency: "SGD",
        default_lead_time_days: 14,
        customer: None,
        extra_discount_pct: Decimal::ZERO,
    };
    let customer = CustomerInfo {
        company: Some("Keppel Road Fabrication".into()),
        ..Default::default()
    };
    let mut q = quotation::build("bench.pdf", customer, matched, &ctx);
    q.number = Some("Q-2026-000123".into());
    q
}

fn settings() -> Settings {
    let mut s = Settings::builtin().expect("settings");
    s.company.name = "Horme Hardware Pte Ltd".into();
    s
}

fn render(c: &mut Criterion) {
    let settings = settings();
    for n in [5usize, 250] {
        let q = quotation(n);
        // Fonts are parsed once per process: do it before timing.
        horme::quotations::document::render_now(&settings, &q).expect("render");
        c.bench_function(&format!("render {n} lines"), |b| {
            b.iter(|| horme::quotations::document::render_now(&settings, black_box(&q)).expect("render"))
        });
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(30);
    targets = render
}
criterion_main!(benches);
