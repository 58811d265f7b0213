//! Ruling lines straight from a page's content stream: the straight edges of every
//! stroked or filled path, form XObjects included, on the displayed page.
//!
//! pdf-extract reports only some painting operators (`S`, `f`, `F`; not `f*`, `B`, `b`,
//! `s`, which many writers use for table borders), so the path operators are read here
//! with lopdf: `q`/`Q`/`cm` for the current transformation, `m l c v y h re` for the path,
//! any painting operator to emit it, `n` to drop a clipping path.

use pdf_extract::content::Content;
use pdf_extract::{Dictionary, Document, Object, ObjectId};

use super::device::View;
use super::layout::Segment;

/// A path edge is straight when it moves less than this (points) across its direction.
const STRAIGHT: f64 = 0.5;
/// Forms nested deeper than this are not followed (hostile files nest them endlessly).
const MAX_DEPTH: usize = 6;
/// Edges kept per page; beyond this a page is a drawing, not a table.
const MAX_SEGMENTS: usize = 20_000;

type Matrix = [f64; 6];
const IDENTITY: Matrix = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];

/// The ruling segments of one page.
pub(super) fn page_segments(doc: &Document, page: u32, id: ObjectId, view: &View) -> Vec<Segment> {
    let mut out = Vec::new();
    let Ok(content) = doc.get_page_content(id) else {
        return out;
    };
    if !may_paint(&content) {
        return out;
    }
    let resources = inherited(doc, id, b"Resources").and_then(|o| o.as_dict().ok());
    let mut painter = Painter {
        page,
        view,
        out: &mut out,
    };
    painter.run(doc, &content, resources, IDENTITY, 0);
    out
}

/// Whether a content stream has a painting or form operator at all: decoding it costs as
/// much as reading its text, and most text-only pages have none. A string that happens to
/// hold such a word only costs the decoding.
fn may_paint(content: &[u8]) -> bool {
    content
        .split(|b| b.is_ascii_whitespace() || matches!(b, b'[' | b']' | b'<' | b'>' | b'/'))
        .any(|t| {
            matches!(
                t,
                b"S" | b"s" | b"f" | b"F" | b"f*" | b"B" | b"B*" | b"b" | b"b*" | b"Do"
            )
        })
}

/// A page attribute, from the page or the nearest ancestor in the page tree that has it.
pub(super) fn inherited<'a>(doc: &'a Document, mut id: ObjectId, key: &[u8]) -> Option<&'a Object> {
    for _ in 0..32 {
        let dict = doc.get_dictionary(id).ok()?;
        if let Ok(value) = dict.get(key) {
            return doc.dereference(value).ok().map(|(_, o)| o);
        }
        id = dict.get(b"Parent").and_then(Object::as_reference).ok()?;
    }
    None
}

pub(super) fn number(o: &Object) -> Option<f64> {
    match o {
        Object::Integer(i) => Some(*i as f64),
        Object::Real(r) => Some(f64::from(*r)),
        _ => None,
    }
}

struct Painter<'v, 'o> {
    page: u32,
    view: &'v View,
    out: &'o mut Vec<Segment>,
}

impl Painter<'_, '_> {
    fn run(&mut self, doc: &Document, content: &[u8], resources: Option<&Dictionary>, base: Matrix, depth: usize) {
        let Ok(content) = Content::decode(content) else { return };
        let mut ctm = base;
        let mut stack: Vec<Matrix> = Vec::new();
        let mut path: Vec<(f64, f64)> = Vec::new();
        let mut edges: Vec<[(f64, f64); 2]> = Vec::new();
        let mut start = (0.0, 0.0);
        for op in &content.operations {
            let n: Vec<f64> = op.operands.iter().filter_map(number).collect();
            let at = |x: f64, y: f64| (ctm[0] * x + ctm[2] * y + ctm[4], ctm[1] * x + ctm[3] * y + ctm[5]);
            match op.operator.as_str() {
                "q" => stack.push(ctm),
                "Q" => ctm = stack.pop().unwrap_or(base),
                "cm" if n.len() == 6 => ctm = concat(&[n[0], n[1], n[2], n[3], n[4], n[5]], &ctm),
                "m" if n.len() == 2 => {
                    start = at(n[0], n[1]);
                    path = vec![start];
                }
                "l" if n.len() == 2 => line_to(&mut path, &mut edges, at(n[0], n[1])),
                "c" if n.len() == 6 => line_to(&mut path, &mut edges, at(n[4], n[5])),
                "v" | "y" if n.len() == 4 => line_to(&mut path, &mut edges, at(n[2], n[3])),
                "h" => line_to(&mut path, &mut edges, start),
                "re" if n.len() == 4 => {
                    let (x, y, w, h) = (n[0], n[1], n[2], n[3]);
                    let c = [at(x, y), at(x + w, y), at(x + w, y + h), at(x, y + h)];
                    for i in 0..4 {
                        edges.push([c[i], c[(i + 1) % 4]]);
                    }
                    start = c[0];
                    path = vec![start];
                }
                "S" | "s" | "f" | "F" | "f*" | "B" | "B*" | "b" | "b*" => {
                    self.emit(&edges);
                    edges.clear();
                    path.clear();
                }
                "n" => {
                    edges.clear();
                    path.clear();
                }
                "Do" if depth < MAX_DEPTH => {
                    if let Some((form, inner)) = form(doc, resources, op.operands.first()) {
                        let matrix = form_matrix(form);
                        let Ok(bytes) = form
                            .decompressed_content()
                            .or_else(|_| Ok::<_, ()>(form.content.clone()))
                        else {
                            continue;
                        };
                        self.run(doc, &bytes, inner.or(resources), concat(&matrix, &ctm), depth + 1);
                    }
                }
                _ => {}
            }
        }
    }

    fn emit(&mut self, edges: &[[(f64, f64); 2]]) {
        for [(ax, ay), (bx, by)] in edges {
            if self.out.len() >= MAX_SEGMENTS {
                return;
            }
            let (x0, y0) = self.view.point(*ax, *ay);
            let (x1, y1) = self.view.point(*bx, *by);
            let finite = [x0, y0, x1, y1].iter().all(|v| v.is_finite());
            if finite && ((y1 - y0).abs() < STRAIGHT || (x1 - x0).abs() < STRAIGHT) {
                self.out.push(Segment {
                    page: self.page,
                    x0: x0.min(x1),
                    y0: y0.min(y1),
                    x1: x0.max(x1),
                    y1: y0.max(y1),
                });
            }
        }
    }
}

fn line_to(path: &mut Vec<(f64, f64)>, edges: &mut Vec<[(f64, f64); 2]>, p: (f64, f64)) {
    if let Some(&last) = path.last() {
        edges.push([last, p]);
    }
    path.push(p);
}

/// `m` applied after `ctm`.
fn concat(m: &Matrix, ctm: &Matrix) -> Matrix {
    [
        m[0] * ctm[0] + m[1] * ctm[2],
        m[0] * ctm[1] + m[1] * ctm[3],
        m[2] * ctm[0] + m[3] * ctm[2],
        m[2] * ctm[1] + m[3] * ctm[3],
        m[4] * ctm[0] + m[5] * ctm[2] + ctm[4],
        m[4] * ctm[1] + m[5] * ctm[3] + ctm[5],
    ]
}

/// The form XObject a `Do` names, and its own resources.
fn form<'a>(
    doc: &'a Document,
    resources: Option<&'a Dictionary>,
    name: Option<&Object>,
) -> Option<(&'a pdf_extract::Stream, Option<&'a Dictionary>)> {
    let name = name?.as_name().ok()?;
    let xobjects = resources?.get(b"XObject").ok()?;
    let xobjects = doc.dereference(xobjects).ok()?.1.as_dict().ok()?;
    let stream = doc.dereference(xobjects.get(name).ok()?).ok()?.1.as_stream().ok()?;
    if stream.dict.get(b"Subtype").and_then(Object::as_name).ok()? != b"Form" {
        return None;
    }
    let inner = stream
        .dict
        .get(b"Resources")
        .ok()
        .and_then(|r| doc.dereference(r).ok())
        .and_then(|(_, r)| r.as_dict().ok());
    Some((stream, inner))
}

fn form_matrix(form: &pdf_extract::Stream) -> Matrix {
    let Ok(Object::Array(m)) = form.dict.get(b"Matrix") else {
        return IDENTITY;
    };
    let n: Vec<f64> = m.iter().filter_map(number).collect();
    if n.len() == 6 {
        [n[0], n[1], n[2], n[3], n[4], n[5]]
    } else {
        IDENTITY
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_streams_that_paint_are_decoded() {
        assert!(may_paint(b"q 0 0 10 10 re f Q"));
        assert!(may_paint(b"10 20 m 30 20 l\nS"));
        assert!(may_paint(b"/Fm1 Do"));
        assert!(!may_paint(b"BT /F1 10 Tf 72 700 Td (Stainless bolts f) Tj ET"));
    }

    #[test]
    fn transformations_compose_in_pdf_order() {
        // Scale by 2, then move by (10, 0): (1, 1) lands on (12, 2).
        let m = concat(&[2.0, 0.0, 0.0, 2.0, 0.0, 0.0], &[1.0, 0.0, 0.0, 1.0, 10.0, 0.0]);
        assert_eq!(
            (m[0] * 1.0 + m[2] * 1.0 + m[4], m[1] * 1.0 + m[3] * 1.0 + m[5]),
            (12.0, 2.0)
        );
    }
}
