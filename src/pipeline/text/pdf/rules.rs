//! Ruling lines to grids: the lattice a page draws around its table cells.
//!
//! Straight strokes and the edges of filled rectangles (thin rectangles are how many
//! writers draw lines) are snapped to common positions, joined where they continue each
//! other, and crossed: a cell is the smallest rectangle whose four corners are crossings
//! joined by ruling lines, and cells sharing corners make one grid. This is the method
//! of pdfplumber's `lines` strategy, with its default tolerances.

use std::collections::{HashMap, HashSet};

/// Positions within this many points are one ruling line; gaps up to it are joined.
const SNAP: f64 = 3.0;
/// Ruling lines shorter than this are specks, not lines.
const MIN_LEN: f64 = 3.0;

/// A horizontal or vertical line segment: `pos` across, from `a` to `b` along it.
#[derive(Debug, Clone, Copy)]
pub(super) struct Edge {
    pub pos: f64,
    pub a: f64,
    pub b: f64,
}

/// Cells of one grid, as boxes (x0, y0, x1, y1) in the frame's coordinates.
#[derive(Debug, Clone)]
pub(super) struct Grid {
    pub xs: Vec<f64>,
    pub ys: Vec<f64>,
    pub cells: Vec<[f64; 4]>,
}

/// The grids drawn by horizontal and vertical edges (any order, not yet snapped).
pub(super) fn grids(horizontal: Vec<Edge>, vertical: Vec<Edge>) -> Vec<Grid> {
    let (h, v) = (merge(horizontal), merge(vertical));
    if h.len() < 2 || v.len() < 2 {
        return Vec::new();
    }
    let xs = distinct(v.iter().map(|e| e.pos));
    let ys = distinct(h.iter().map(|e| e.pos));
    let index = |values: &[f64], p: f64| values.partition_point(|v| *v < p - 1e-9);
    // Crossings as (column, row) indices into xs and ys.
    let mut points: HashSet<(usize, usize)> = HashSet::new();
    for ve in &v {
        for he in &h {
            if he.a - SNAP <= ve.pos && ve.pos <= he.b + SNAP && ve.a - SNAP <= he.pos && he.pos <= ve.b + SNAP {
                points.insert((index(&xs, ve.pos), index(&ys, he.pos)));
            }
        }
    }
    let joined = |edges: &[Edge], pos: f64, from: f64, to: f64| {
        edges
            .iter()
            .any(|e| (e.pos - pos).abs() < 1e-9 && e.a - SNAP <= from && e.b + SNAP >= to)
    };
    let vjoin = |x: usize, y0: usize, y1: usize| joined(&v, xs[x], ys[y0], ys[y1]);
    let hjoin = |y: usize, x0: usize, x1: usize| joined(&h, ys[y], xs[x0], xs[x1]);
    let mut sorted: Vec<(usize, usize)> = points.iter().copied().collect();
    sorted.sort_by_key(|&(x, y)| (y, x));
    let mut cells: Vec<[usize; 4]> = Vec::new();
    for &(x, y) in &sorted {
        let below = (y + 1..ys.len()).filter(|&b| points.contains(&(x, b)));
        'found: for b in below {
            if !vjoin(x, y, b) {
                continue;
            }
            for r in (x + 1..xs.len()).filter(|&r| points.contains(&(r, y))) {
                if !hjoin(y, x, r) {
                    continue;
                }
                if points.contains(&(r, b)) && vjoin(r, y, b) && hjoin(b, x, r) {
                    cells.push([x, y, r, b]);
                    break 'found;
                }
            }
        }
    }
    group(cells)
        .into_iter()
        .map(|cells| {
            let gx = distinct(cells.iter().flat_map(|c| [xs[c[0]], xs[c[2]]]));
            let gy = distinct(cells.iter().flat_map(|c| [ys[c[1]], ys[c[3]]]));
            let boxes = cells.iter().map(|c| [xs[c[0]], ys[c[1]], xs[c[2]], ys[c[3]]]).collect();
            Grid {
                xs: gx,
                ys: gy,
                cells: boxes,
            }
        })
        .collect()
}

fn distinct(values: impl Iterator<Item = f64>) -> Vec<f64> {
    let mut v: Vec<f64> = values.collect();
    v.sort_by(f64::total_cmp);
    v.dedup_by(|a, b| (*a - *b).abs() < 1e-9);
    v
}

/// Snaps edges within [`SNAP`] of each other to their mean position, joins the ones that
/// continue each other, and drops specks.
fn merge(mut edges: Vec<Edge>) -> Vec<Edge> {
    edges.sort_by(|a, b| a.pos.total_cmp(&b.pos));
    let mut start = 0;
    for i in 1..=edges.len() {
        if i == edges.len() || edges[i].pos - edges[i - 1].pos > SNAP {
            let mean = edges[start..i].iter().map(|e| e.pos).sum::<f64>() / (i - start) as f64;
            edges[start..i].iter_mut().for_each(|e| e.pos = mean);
            start = i;
        }
    }
    edges.sort_by(|a, b| a.pos.total_cmp(&b.pos).then(a.a.total_cmp(&b.a)));
    let mut out: Vec<Edge> = Vec::new();
    for e in edges {
        match out.last_mut() {
            Some(last) if last.pos == e.pos && e.a <= last.b + SNAP => last.b = last.b.max(e.b),
            _ => out.push(e),
        }
    }
    out.retain(|e| e.b - e.a >= MIN_LEN);
    out
}

/// Cells that share a corner belong to one grid.
fn group(cells: Vec<[usize; 4]>) -> Vec<Vec<[usize; 4]>> {
    let mut parent: Vec<usize> = (0..cells.len()).collect();
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    let mut owner: HashMap<(usize, usize), usize> = HashMap::new();
    for (i, c) in cells.iter().enumerate() {
        for corner in [(c[0], c[1]), (c[2], c[1]), (c[0], c[3]), (c[2], c[3])] {
            match owner.get(&corner) {
                Some(&j) => {
                    let (a, b) = (root(&mut parent, i), root(&mut parent, j));
                    parent[a] = b;
                }
                None => {
                    owner.insert(corner, i);
                }
            }
        }
    }
    let mut groups: HashMap<usize, Vec<[usize; 4]>> = HashMap::new();
    for (i, c) in cells.into_iter().enumerate() {
        groups.entry(root(&mut parent, i)).or_default().push(c);
    }
    let mut out: Vec<Vec<[usize; 4]>> = groups.into_values().collect();
    out.sort_by_key(|g| g.iter().map(|c| (c[1], c[0])).min());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e(pos: f64, a: f64, b: f64) -> Edge {
        Edge { pos, a, b }
    }

    #[test]
    fn a_ruled_table_becomes_one_grid_of_its_cells() {
        // 3 columns × 2 rows, drawn as separate strokes a little off each other.
        let h = vec![
            e(100.0, 10.0, 310.0),
            e(120.5, 10.0, 310.0),
            e(140.0, 10.0, 150.0),
            e(140.3, 150.0, 310.0),
        ];
        let v = vec![
            e(10.0, 100.0, 140.0),
            e(101.0, 100.0, 140.0),
            e(200.0, 100.0, 140.0),
            e(310.0, 100.0, 140.0),
        ];
        let grids = grids(h, v);
        assert_eq!(grids.len(), 1);
        assert_eq!(grids[0].cells.len(), 6);
        assert_eq!((grids[0].xs.len(), grids[0].ys.len()), (4, 3));
    }

    #[test]
    fn a_cell_spanning_columns_is_one_cell_and_two_boxes_are_two_grids() {
        // Header cell across both columns; a second box far below.
        let h = vec![e(0.0, 0.0, 200.0), e(20.0, 0.0, 200.0), e(40.0, 0.0, 200.0)];
        let v = vec![e(0.0, 0.0, 40.0), e(100.0, 20.0, 40.0), e(200.0, 0.0, 40.0)];
        let mut h2 = h.clone();
        h2.extend([e(300.0, 0.0, 50.0), e(320.0, 0.0, 50.0)]);
        let mut v2 = v.clone();
        v2.extend([e(0.0, 300.0, 320.0), e(50.0, 300.0, 320.0)]);
        assert_eq!(grids(h, v)[0].cells.len(), 3);
        assert_eq!(grids(h2, v2).len(), 2);
    }
}
