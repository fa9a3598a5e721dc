//! A deterministic force-directed layout (Fruchterman–Reingold).
//!
//! Pure arithmetic: no I/O, no hashing, no randomness but a seeded generator. Only `+ - * /`
//! and `sqrt` are used, which IEEE 754 defines exactly, so the same input gives the same
//! positions on every platform; they are rounded to a tenth of a unit on the way out so
//! snapshots stay small and stable. Small graphs feel every pair's repulsion; big ones only
//! near pairs, found through a grid, so a round costs about as much as the graph is big.

/// Rounds of the simulation. The temperature falls linearly to zero over them.
pub const ITERATIONS: usize = 250;

/// From this many nodes on, repulsion is felt only within [`REACH`] ideal distances, and pairs
/// that close are found through a grid of cells (Fruchterman and Reingold's own grid variant):
/// the cost per round grows with the number of nodes, not its square.
const GRID_FROM: usize = 150;
const REACH: f64 = 2.5;

/// What to lay out: `n` nodes, weighted springs between them, a frame.
#[derive(Debug, Clone)]
pub struct Input<'a> {
    pub n: usize,
    /// `(a, b, strength)`: a spring between nodes `a` and `b`; strength 1 is a plain FR spring.
    pub springs: &'a [(usize, usize, f64)],
    pub width: f64,
    pub height: f64,
    /// Free space kept between the frame and the outermost node centres.
    pub margin: f64,
    /// A node held at the centre of the frame (the subject of an ego graph).
    pub pinned: Option<usize>,
    pub seed: u64,
}

/// Positions of the nodes, in node order, inside `margin..width-margin` × `margin..height-margin`,
/// each coordinate a multiple of 0.1.
pub fn layout(input: &Input) -> Vec<(f64, f64)> {
    let Input { n, springs, width, height, margin, pinned, seed } = *input;
    if n == 0 {
        return Vec::new();
    }
    let (cx, cy) = (width / 2.0, height / 2.0);
    if n == 1 {
        return vec![(round(cx), round(cy))];
    }
    let mut rng = SplitMix(seed);
    let mut pos: Vec<(f64, f64)> = (0..n).map(|_| (rng.unit() * width, rng.unit() * height)).collect();
    if let Some(p) = pinned {
        pos[p] = (cx, cy);
    }
    // The ideal distance between nodes: the frame shared out equally.
    let k = 0.8 * (width * height / n as f64).sqrt();
    let k2 = k * k;
    // A weak pull to the centre keeps separate components from drifting apart.
    let gravity = 4.0 / width.max(height);
    let mut disp = vec![(0.0f64, 0.0f64); n];
    let mut grid = Grid::default();
    let start = width.max(height) / 8.0;
    for round_ix in 0..ITERATIONS {
        let t = start * (1.0 - round_ix as f64 / ITERATIONS as f64);
        disp.iter_mut().for_each(|d| *d = (0.0, 0.0));
        if n < GRID_FROM {
            for i in 0..n {
                for j in i + 1..n {
                    repel(&pos, &mut disp, i, j, k2, f64::INFINITY);
                }
            }
        } else {
            grid.fill(&pos, REACH * k);
            grid.each_near_pair(|i, j| repel(&pos, &mut disp, i, j, k2, REACH * REACH * k2));
        }
        for &(a, b, s) in springs {
            let (dx, dy) = (pos[a].0 - pos[b].0, pos[a].1 - pos[b].1);
            let d = (dx * dx + dy * dy).sqrt();
            // d²/k along the unit vector: d dx / k.
            let f = d / k * s;
            disp[a].0 -= dx * f;
            disp[a].1 -= dy * f;
            disp[b].0 += dx * f;
            disp[b].1 += dy * f;
        }
        for (i, p) in pos.iter_mut().enumerate() {
            if Some(i) == pinned {
                continue;
            }
            let (gx, gy) = (cx - p.0, cy - p.1);
            let d = (gx * gx + gy * gy).sqrt();
            let (dx, dy) = (disp[i].0 + gx * d * gravity, disp[i].1 + gy * d * gravity);
            let len = (dx * dx + dy * dy).sqrt();
            if len > 0.0 {
                let step = len.min(t) / len;
                p.0 += dx * step;
                p.1 += dy * step;
            }
        }
    }
    fit(&mut pos, width, height, margin, pinned);
    pos.iter().map(|&(x, y)| (round(x), round(y))).collect()
}

/// Pushes `i` and `j` apart with the force k²/d, unless they are `reach2` or more apart (squared).
fn repel(pos: &[(f64, f64)], disp: &mut [(f64, f64)], i: usize, j: usize, k2: f64, reach2: f64) {
    let (mut dx, mut dy) = (pos[i].0 - pos[j].0, pos[i].1 - pos[j].1);
    let mut d2 = dx * dx + dy * dy;
    if d2 >= reach2 {
        return;
    }
    if d2 < 1e-6 {
        // Coincident: separate them along a fixed direction that depends on the pair.
        dx = 0.01 * (1 + (i + j) % 7) as f64;
        dy = 0.01 * (1 + (i * 3 + j) % 5) as f64;
        d2 = dx * dx + dy * dy;
    }
    // k²/d along the unit vector (dx/d, dy/d): k² dx / d².
    let f = k2 / d2;
    disp[i].0 += dx * f;
    disp[i].1 += dy * f;
    disp[j].0 -= dx * f;
    disp[j].1 -= dy * f;
}

/// Nodes bucketed by square cells, each cell's nodes in index order.
#[derive(Default)]
struct Grid {
    cols: usize,
    rows: usize,
    cells: Vec<Vec<usize>>,
}

impl Grid {
    /// At most this many cells a side, however far a node strays.
    const MAX_SIDE: usize = 256;

    fn fill(&mut self, pos: &[(f64, f64)], cell: f64) {
        let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
        for &(x, y) in pos {
            x0 = x0.min(x);
            y0 = y0.min(y);
            x1 = x1.max(x);
            y1 = y1.max(y);
        }
        let cell = cell.max((x1 - x0) / Self::MAX_SIDE as f64).max((y1 - y0) / Self::MAX_SIDE as f64);
        self.cols = ((x1 - x0) / cell) as usize + 1;
        self.rows = ((y1 - y0) / cell) as usize + 1;
        self.cells.iter_mut().for_each(Vec::clear);
        self.cells.resize(self.cols * self.rows, Vec::new());
        for (i, &(x, y)) in pos.iter().enumerate() {
            let c = (((x - x0) / cell) as usize).min(self.cols - 1);
            let r = (((y - y0) / cell) as usize).min(self.rows - 1);
            self.cells[r * self.cols + c].push(i);
        }
    }

    /// Calls `f` once for every pair of nodes in the same or adjacent cells.
    fn each_near_pair(&self, mut f: impl FnMut(usize, usize)) {
        for r in 0..self.rows {
            for c in 0..self.cols {
                let here = &self.cells[r * self.cols + c];
                for (x, &i) in here.iter().enumerate() {
                    for &j in &here[x + 1..] {
                        f(i, j);
                    }
                }
                // Right, and the three cells below: each adjacent pair of cells once.
                for (dc, dr) in [(1isize, 0isize), (-1, 1), (0, 1), (1, 1)] {
                    let (nc, nr) = (c as isize + dc, r as isize + dr);
                    if nc < 0 || nc as usize >= self.cols || nr as usize >= self.rows {
                        continue;
                    }
                    let there = &self.cells[nr as usize * self.cols + nc as usize];
                    for &i in here {
                        for &j in there {
                            f(i, j);
                        }
                    }
                }
            }
        }
    }
}

/// Scales and moves the layout to fill the frame inside the margin. With a pinned node the
/// layout is scaled about that node, which stays at the centre.
fn fit(pos: &mut [(f64, f64)], width: f64, height: f64, margin: f64, pinned: Option<usize>) {
    let (cx, cy) = (width / 2.0, height / 2.0);
    let (inner_w, inner_h) = ((width - 2.0 * margin).max(1.0), (height - 2.0 * margin).max(1.0));
    if let Some(p) = pinned {
        let (px, py) = pos[p];
        let mut reach_x: f64 = 0.0;
        let mut reach_y: f64 = 0.0;
        for &(x, y) in pos.iter() {
            reach_x = reach_x.max((x - px).abs());
            reach_y = reach_y.max((y - py).abs());
        }
        let sx = if reach_x > 0.0 { inner_w / 2.0 / reach_x } else { 1.0 };
        let sy = if reach_y > 0.0 { inner_h / 2.0 / reach_y } else { 1.0 };
        for q in pos.iter_mut() {
            *q = (cx + (q.0 - px) * sx, cy + (q.1 - py) * sy);
        }
        return;
    }
    let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
    for &(x, y) in pos.iter() {
        x0 = x0.min(x);
        y0 = y0.min(y);
        x1 = x1.max(x);
        y1 = y1.max(y);
    }
    let sx = if x1 > x0 { inner_w / (x1 - x0) } else { 0.0 };
    let sy = if y1 > y0 { inner_h / (y1 - y0) } else { 0.0 };
    for q in pos.iter_mut() {
        let x = if sx > 0.0 { margin + (q.0 - x0) * sx } else { cx };
        let y = if sy > 0.0 { margin + (q.1 - y0) * sy } else { cy };
        *q = (x, y);
    }
}

/// To a tenth, so the SVG stays short and identical wherever it is built.
pub fn round(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}

/// SplitMix64: a tiny seeded generator, the same everywhere.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `[0, 1)`, from the top 53 bits.
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(n: usize, springs: &[(usize, usize, f64)]) -> Input<'_> {
        Input { n, springs, width: 600.0, height: 400.0, margin: 20.0, pinned: None, seed: 7 }
    }

    #[test]
    fn same_input_same_positions_inside_the_frame() {
        let springs = [(0, 1, 1.0), (1, 2, 1.0), (2, 0, 1.0), (3, 4, 2.0)];
        let a = layout(&input(6, &springs));
        assert_eq!(a, layout(&input(6, &springs)));
        for &(x, y) in &a {
            assert!((19.9..=580.1).contains(&x) && (19.9..=380.1).contains(&y), "({x}, {y})");
            assert_eq!(round(x), x);
        }
    }

    #[test]
    fn springs_pull_together_and_pinned_stays_central() {
        let springs = [(0, 1, 1.0), (0, 2, 1.0), (0, 3, 1.0), (0, 4, 1.0)];
        let pos = layout(&Input { pinned: Some(0), ..input(5, &springs) });
        assert_eq!(pos[0], (300.0, 200.0));
        let d = |a: (f64, f64), b: (f64, f64)| ((a.0 - b.0).powi(2) + (a.1 - b.1).powi(2)).sqrt();
        for p in &pos[1..] {
            assert!(d(*p, pos[0]) > 30.0, "neighbours do not sit on the centre: {p:?}");
        }
        // Two linked pairs: each pair closer than the pairs are to each other on average.
        let pos = layout(&input(4, &[(0, 1, 1.0), (2, 3, 1.0)]));
        let inside = d(pos[0], pos[1]) + d(pos[2], pos[3]);
        let across = d(pos[0], pos[2]) + d(pos[1], pos[3]);
        assert!(inside < across, "{pos:?}");
    }

    #[test]
    fn big_graphs_use_the_grid_and_stay_in_the_frame() {
        // A ring of 300: only near pairs repel, and the result is still spread and deterministic.
        let n = 300;
        let springs: Vec<(usize, usize, f64)> = (0..n).map(|i| (i, (i + 1) % n, 1.0)).collect();
        let a = layout(&input(n, &springs));
        assert_eq!(a, layout(&input(n, &springs)));
        let distinct: std::collections::BTreeSet<(i64, i64)> =
            a.iter().map(|&(x, y)| ((x * 10.0) as i64, (y * 10.0) as i64)).collect();
        assert_eq!(distinct.len(), n, "no two nodes on one spot");
        assert!(a.iter().all(|&(x, y)| (19.9..=580.1).contains(&x) && (19.9..=380.1).contains(&y)));
    }

    #[test]
    fn degenerate_inputs() {
        assert!(layout(&input(0, &[])).is_empty());
        assert_eq!(layout(&input(1, &[])), [(300.0, 200.0)]);
        let two = layout(&input(2, &[(0, 1, 1.0)]));
        assert_ne!(two[0], two[1]);
    }
}
