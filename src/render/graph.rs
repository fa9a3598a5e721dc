//! Actor relation graphs: the site-wide `/graph/` page and each dossier's ego graph.
//!
//! This module decides what is drawn and where; `templates/partials/graph.html` writes the SVG
//! from the resulting [`GraphView`]. Two kinds of link join actors: *shared* links (the number of
//! briefings naming both, the weights of `ActorFacts::related`) and *typed* links (a dossier's
//! `parent` and `relations`, pointing from the actor that declares them). A big site has far
//! more shared pairs than a page can carry, so the site graph keeps each actor's strongest few
//! under a global cap, and says so; typed links are few and all drawn. Positions come from
//! [`layout`], which is deterministic, so two builds write the same SVG.

mod layout;

use super::views::{
    ActorRef, EgoView, GraphEdgeView, GraphEntryView, GraphKindView, GraphNodeView, GraphPageView, GraphView,
    RelatedView, TypedLinkView,
};
use crate::model::{ActorIx, ActorKind, RelationKind, Site};
use std::collections::{BTreeMap, BTreeSet};

/// The site graph draws at most this many actors (the most covered).
pub const SITE_NODES: usize = 400;
/// Shared links kept per actor in the site graph (its strongest) ...
pub const SITE_TOP_K: usize = 3;
/// ... and in all.
pub const SITE_SHARED: usize = 600;
/// Typed relations drawn in the site graph, at most.
pub const SITE_TYPED: usize = 800;
/// Actors named on the site graph itself (the most covered); the others by their tooltip.
pub const SITE_LABELS: usize = 40;
/// An ego graph shows the actor's strongest shared links ...
pub const EGO_SHARED: usize = 12;
/// ... and its typed relations, in all at most this many actors besides itself.
pub const EGO_NODES: usize = 24;
/// Longer names are cut on the drawing (never in the title or the text alternative).
const LABEL_CHARS: usize = 24;
const SEED: u64 = 0x5349_5450_5245_5353;

/// A typed link as declared by an actor's dossier.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Link {
    Parent,
    Rel(RelationKind),
}

impl Link {
    /// Read from the actor that declares it: `part of`, `member of`.
    fn label(self) -> &'static str {
        match self {
            Link::Parent => "part of",
            Link::Rel(k) => k.label(),
        }
    }

    /// Read from the target: `has part`, `has member`.
    fn inverse(self) -> &'static str {
        match self {
            Link::Parent | Link::Rel(RelationKind::PartOf) => "has part",
            Link::Rel(RelationKind::MemberOf) => "has member",
            Link::Rel(RelationKind::Leads) => "led by",
            Link::Rel(RelationKind::SpeaksFor) => "spoken for by",
            Link::Rel(RelationKind::AlliedWith) => "allied with",
            Link::Rel(RelationKind::PartyTo) => "has party",
            Link::Rel(RelationKind::RelatedTo) => "related to",
        }
    }

    /// How it is drawn: hierarchy (dashed) or alignment (dotted).
    fn class(self) -> &'static str {
        match self {
            Link::Parent
            | Link::Rel(
                RelationKind::PartOf | RelationKind::MemberOf | RelationKind::Leads | RelationKind::SpeaksFor,
            ) => "hierarchy",
            Link::Rel(RelationKind::AlliedWith | RelationKind::PartyTo | RelationKind::RelatedTo) => "alignment",
        }
    }
}

/// Every typed link, indexed both ways; built once per render.
#[derive(Debug, Default)]
pub struct Typed {
    /// Per actor: the links its dossier declares (`parent` first, then `relations` as written).
    out: Vec<Vec<(ActorIx, Link)>>,
    /// Per actor: the links other dossiers declare towards it, in actor order.
    inc: Vec<Vec<(ActorIx, Link)>>,
}

impl Typed {
    pub fn new(site: &Site) -> Typed {
        let n = site.actors.len();
        let mut out = vec![Vec::new(); n];
        let mut inc = vec![Vec::new(); n];
        for (a, actor) in site.actors.iter().enumerate() {
            let links = actor.parent.map(|p| (p, Link::Parent)).into_iter();
            let links = links.chain(actor.relations.iter().map(|r| (r.target, Link::Rel(r.kind))));
            for (t, link) in links {
                // `parent: x` and `part-of x` say the same thing: draw it once.
                let same = |&(u, l): &(ActorIx, Link)| u == t && l.label() == link.label();
                if t == a || out[a].iter().any(same) {
                    continue;
                }
                out[a].push((t, link));
                inc[t].push((a, link));
            }
        }
        Typed { out, inc }
    }
}

/// What one graph draws, before layout: actors, and links as indices into `nodes`.
struct Drawing {
    nodes: Vec<ActorIx>,
    /// Index in `nodes` of the ego graph's subject.
    ego: Option<usize>,
    /// `(a, b, briefings in common)`.
    shared: Vec<(usize, usize, usize)>,
    /// `(from, to, link)`.
    typed: Vec<(usize, usize, Link)>,
}

/// The frame and the style of one kind of graph.
struct Frame {
    id: &'static str,
    width: u32,
    height: u32,
    margin: f64,
    /// Node radius for the least and the most covered actor.
    radius: (f64, f64),
    /// How many nodes may be labelled (the most covered; the ego first), room permitting.
    labels: usize,
    /// Label font size, to place labels under their node.
    font: f64,
    /// Whether shared links carry a title (the site graph's are many, and listed as text).
    shared_titles: bool,
}

const SITE_FRAME: Frame = Frame {
    id: "graph",
    width: 960,
    height: 760,
    margin: 64.0,
    radius: (3.5, 13.0),
    labels: SITE_LABELS,
    font: 11.0,
    shared_titles: false,
};
const EGO_FRAME: Frame = Frame {
    id: "ego",
    width: 640,
    height: 420,
    margin: 64.0,
    radius: (6.0, 15.0),
    labels: usize::MAX,
    font: 12.0,
    shared_titles: true,
};

/// The `/graph/` page: the drawing of the whole site and its text alternative.
pub fn site_page(site: &Site, refs: &[ActorRef], typed: &Typed) -> GraphPageView {
    let count = |a: ActorIx| site.actor_facts[a].briefings.len();
    let connected = |a: &ActorIx| {
        !site.actor_facts[*a].related.is_empty() || !typed.out[*a].is_empty() || !typed.inc[*a].is_empty()
    };
    let mut nodes: Vec<ActorIx> = (0..site.actors.len()).filter(connected).collect();
    let candidates = nodes.len();
    nodes.sort_by(|&x, &y| count(y).cmp(&count(x)).then(x.cmp(&y)));
    nodes.truncate(SITE_NODES);
    nodes.sort_unstable();
    let mut slot = vec![None; site.actors.len()];
    for (i, &a) in nodes.iter().enumerate() {
        slot[a] = Some(i);
    }

    // Shared links: every actor's strongest one, then the others of each actor's top few,
    // strongest first, up to the cap.
    let mut pairs = 0usize;
    let mut strongest: BTreeSet<(usize, usize)> = BTreeSet::new();
    let mut top: BTreeMap<(usize, usize), usize> = BTreeMap::new();
    for (i, &a) in nodes.iter().enumerate() {
        let kept = site.actor_facts[a].related.iter().filter_map(|&(b, w)| slot[b].map(|j| (j, w)));
        for (rank, (j, w)) in kept.enumerate() {
            if j > i {
                pairs += 1;
            }
            if rank < SITE_TOP_K {
                let key = (i.min(j), i.max(j));
                top.insert(key, w);
                if rank == 0 {
                    strongest.insert(key);
                }
            }
        }
    }
    let mut rest: Vec<((usize, usize), usize)> =
        top.iter().filter(|(k, _)| !strongest.contains(k)).map(|(&k, &w)| (k, w)).collect();
    rest.sort_by(|x, y| y.1.cmp(&x.1).then(x.0.cmp(&y.0)));
    let mut first: Vec<((usize, usize), usize)> = strongest.iter().map(|k| (*k, top[k])).collect();
    first.sort_by(|x, y| y.1.cmp(&x.1).then(x.0.cmp(&y.0)));
    let mut shared: Vec<(usize, usize, usize)> =
        first.into_iter().chain(rest).take(SITE_SHARED).map(|((i, j), w)| (i, j, w)).collect();
    shared.sort_unstable();

    let mut all_typed = 0usize;
    let mut typed_links = Vec::new();
    for (i, &a) in nodes.iter().enumerate() {
        for &(t, link) in &typed.out[a] {
            if let Some(j) = slot[t] {
                all_typed += 1;
                if typed_links.len() < SITE_TYPED {
                    typed_links.push((i, j, link));
                }
            }
        }
    }

    let mut note = Vec::new();
    if candidates > nodes.len() {
        note.push(format!(
            "The {} actors with the most briefings are drawn; {} others are left out.",
            nodes.len(),
            candidates - nodes.len()
        ));
    }
    if pairs > shared.len() {
        note.push(format!(
            "Of the {pairs} pairs of actors that share a briefing, {} are drawn: each actor's {SITE_TOP_K} \
             strongest links, at most {SITE_SHARED} in all.",
            shared.len()
        ));
    }
    if all_typed > typed_links.len() {
        note.push(format!("{} of {all_typed} declared relations are drawn.", typed_links.len()));
    }
    let note = note.join(" ");

    let drawing = Drawing { nodes, ego: None, shared, typed: typed_links };
    let entries = entries(site, refs, &drawing);
    if drawing.nodes.is_empty() {
        return GraphPageView { graph: None, entries, note };
    }
    let description = format!(
        "{} actors, {} shared-briefing links and {} declared relations. {}",
        drawing.nodes.len(),
        drawing.shared.len(),
        drawing.typed.len(),
        if note.is_empty() { "Every connection is drawn." } else { note.as_str() }
    );
    let graph = draw(site, refs, &drawing, &SITE_FRAME, "Actor network", description);
    let unnamed = graph.nodes.iter().filter(|n| n.label.is_empty()).count();
    let mut note = note;
    if unnamed > 0 {
        let sep = if note.is_empty() { "" } else { " " };
        let (n, are) = if unnamed == 1 { ("1 actor".to_string(), "is") } else { (format!("{unnamed} actors"), "are") };
        note.push_str(&format!(
            "{sep}{n} {are} not named on the drawing, so that names do not crowd (those with the most briefings \
             are named first); pointing at a node names it."
        ));
    }
    GraphPageView { graph: Some(graph), entries, note }
}

/// The text alternative: each drawn actor, by name, with its drawn connections.
fn entries(site: &Site, refs: &[ActorRef], d: &Drawing) -> Vec<GraphEntryView> {
    let mut shared: Vec<Vec<(usize, usize)>> = vec![Vec::new(); d.nodes.len()];
    for &(i, j, w) in &d.shared {
        shared[i].push((j, w));
        shared[j].push((i, w));
    }
    let mut typed: Vec<Vec<TypedLinkView>> = vec![Vec::new(); d.nodes.len()];
    for &(i, j, link) in &d.typed {
        typed[i].push(TypedLinkView { label: link.label().to_string(), actor: refs[d.nodes[j]].clone() });
        typed[j].push(TypedLinkView { label: link.inverse().to_string(), actor: refs[d.nodes[i]].clone() });
    }
    let mut out: Vec<GraphEntryView> = d
        .nodes
        .iter()
        .enumerate()
        .map(|(i, &a)| {
            let mut s = std::mem::take(&mut shared[i]);
            s.sort_by(|x, y| y.1.cmp(&x.1).then(d.nodes[x.0].cmp(&d.nodes[y.0])));
            GraphEntryView {
                actor: refs[a].clone(),
                kind_label: site.actors[a].kind.singular().to_string(),
                briefing_count: site.actor_facts[a].briefings.len(),
                shared: s
                    .into_iter()
                    .map(|(j, w)| RelatedView { actor: refs[d.nodes[j]].clone(), weight: w })
                    .collect(),
                typed: std::mem::take(&mut typed[i]),
            }
        })
        .collect();
    out.sort_by(|x, y| x.actor.name.to_lowercase().cmp(&y.actor.name.to_lowercase()).then(x.actor.id.cmp(&y.actor.id)));
    out
}

/// A dossier's ego graph: the actor, the actors it shares the most briefings with, and those
/// linked to it by a relation either way. None when it has no connection at all.
pub fn ego(site: &Site, refs: &[ActorRef], typed: &Typed, a: ActorIx) -> Option<EgoView> {
    let related = &site.actor_facts[a].related;
    let mut nodes = vec![a];
    let add = |x: ActorIx, nodes: &mut Vec<ActorIx>| {
        if nodes.len() <= EGO_NODES && !nodes.contains(&x) {
            nodes.push(x);
        }
    };
    for &(t, _) in &typed.out[a] {
        add(t, &mut nodes);
    }
    for &(b, _) in related.iter().take(EGO_SHARED) {
        add(b, &mut nodes);
    }
    for &(s, _) in &typed.inc[a] {
        add(s, &mut nodes);
    }
    if nodes.len() == 1 {
        return None;
    }
    let weight: BTreeMap<ActorIx, usize> = related.iter().copied().collect();
    let shared: Vec<(usize, usize, usize)> =
        (1..nodes.len()).filter_map(|j| weight.get(&nodes[j]).map(|&w| (0, j, w))).collect();
    let mut links = Vec::new();
    for (i, &u) in nodes.iter().enumerate() {
        for &(t, link) in &typed.out[u] {
            if let Some(j) = nodes.iter().position(|&x| x == t) {
                links.push((i, j, link));
            }
        }
    }
    let linked: BTreeSet<ActorIx> = typed.out[a].iter().chain(&typed.inc[a]).map(|&(x, _)| x).collect();
    let missing = linked.iter().filter(|x| !nodes.contains(x)).count();
    let name = &site.actors[a].name;
    let mut description = format!(
        "{name} at the centre with {} connected actors: up to {EGO_SHARED} it shares the most briefings with \
         (solid lines, thicker for more) and those linked to it by a declared relation (arrows).",
        nodes.len() - 1
    );
    if missing > 0 {
        description.push_str(&format!(" {missing} more actors with a relation to {name} are listed but not drawn."));
    }
    let drawing = Drawing { nodes, ego: Some(0), shared, typed: links };
    let graph = draw(site, refs, &drawing, &EGO_FRAME, &format!("Network of {name}"), description);
    let incoming = typed.inc[a]
        .iter()
        .filter(|(_, link)| *link != Link::Parent) // listed as subordinate actors already
        .map(|&(s, link)| TypedLinkView { label: link.label().to_string(), actor: refs[s].clone() })
        .collect();
    Some(EgoView { graph, incoming })
}

/// Lays out a drawing and turns it into SVG numbers.
fn draw(site: &Site, refs: &[ActorRef], d: &Drawing, frame: &Frame, title: &str, description: String) -> GraphView {
    let count = |i: usize| site.actor_facts[d.nodes[i]].briefings.len();
    let max_count = (0..d.nodes.len()).map(count).max().unwrap_or(0).max(1) as f64;
    let max_weight = d.shared.iter().map(|x| x.2).max().unwrap_or(0).max(1) as f64;
    let springs: Vec<(usize, usize, f64)> = d
        .shared
        .iter()
        .map(|&(i, j, w)| (i, j, 0.3 + 0.7 * w as f64 / max_weight))
        .chain(d.typed.iter().map(|&(i, j, _)| (i, j, 1.0)))
        .collect();
    let pos = layout::layout(&layout::Input {
        n: d.nodes.len(),
        springs: &springs,
        width: frame.width as f64,
        height: frame.height as f64,
        margin: frame.margin,
        pinned: d.ego,
        seed: SEED,
    });
    let (r0, r1) = frame.radius;
    let radius: Vec<f64> = (0..d.nodes.len())
        .map(|i| {
            if d.ego == Some(i) {
                r1 * 1.25
            } else {
                layout::round(r0 + (r1 - r0) * (count(i) as f64 / max_count).sqrt())
            }
        })
        .collect();
    // Most covered first: the ones labelled, and the ones drawn last (on top).
    let mut by_count: Vec<usize> = (0..d.nodes.len()).collect();
    by_count.sort_by(|&x, &y| count(y).cmp(&count(x)).then(x.cmp(&y)));
    if let Some(e) = d.ego {
        by_count.retain(|&i| i != e);
        by_count.insert(0, e);
    }
    let labels = place_labels(site, d, frame, &pos, &radius, &by_count);

    let name = |i: usize| &site.actors[d.nodes[i]].name;
    let mut edges: Vec<GraphEdgeView> = d
        .shared
        .iter()
        .map(|&(i, j, w)| GraphEdgeView {
            class: "shared".into(),
            d: format!("M{} {}L{} {}", num(pos[i].0), num(pos[i].1), num(pos[j].0), num(pos[j].1)),
            width: num(layout::round(0.8 + 3.2 * w as f64 / max_weight)),
            directed: false,
            title: if frame.shared_titles {
                format!("{} – {}: {w} shared briefing{}", name(i), name(j), if w == 1 { "" } else { "s" })
            } else {
                String::new()
            },
        })
        .collect();
    // Two relations from one actor to another bend apart, so both are seen.
    let mut seen: BTreeMap<(usize, usize), usize> = BTreeMap::new();
    edges.extend(d.typed.iter().map(|&(i, j, link)| GraphEdgeView {
        class: link.class().into(),
        d: {
            let k = seen.entry((i, j)).or_default();
            *k += 1;
            curve(pos[i], pos[j], radius[j] + 2.0, 0.02 + 0.16 * *k as f64)
        },
        width: "1.6".into(),
        directed: true,
        title: format!("{} {} {}", name(i), link.label(), name(j)),
    }));

    let nodes = by_count
        .iter()
        .rev()
        .map(|&i| {
            let a = d.nodes[i];
            let kind = site.actors[a].kind;
            let (x, y) = pos[i];
            let r = radius[i];
            GraphNodeView {
                actor: refs[a].clone(),
                kind_label: kind.singular().to_string(),
                briefing_count: count(i),
                ego: d.ego == Some(i),
                shape: if shape(kind).is_empty() { "circle" } else { "polygon" }.into(),
                cx: num(x),
                cy: num(y),
                r: num(r),
                points: polygon(shape(kind), x, y, r),
                label: labels[i].as_ref().map(|l| l.0.clone()).unwrap_or_default(),
                label_x: labels[i].as_ref().map(|l| num(l.1)).unwrap_or_default(),
                label_y: labels[i].as_ref().map(|l| num(l.2)).unwrap_or_default(),
            }
        })
        .collect();
    let kinds = ActorKind::ALL
        .into_iter()
        .filter(|&k| d.nodes.iter().any(|&a| site.actors[a].kind == k))
        .map(|k| GraphKindView { id: k.id().into(), label: k.label().into(), points: polygon(shape(k), 0.0, 0.0, 6.0) })
        .collect();
    GraphView {
        id: frame.id.into(),
        width: frame.width,
        height: frame.height,
        title: title.into(),
        description,
        has_hierarchy: d.typed.iter().any(|t| t.2.class() == "hierarchy"),
        has_alignment: d.typed.iter().any(|t| t.2.class() == "alignment"),
        edges,
        nodes,
        kinds,
    }
}

/// Labels (text, x, baseline) for the nodes that get one: in `order`, the first `frame.labels`
/// nodes, each under its node or else above it, wherever it overlaps no label placed before
/// (moved sideways to stay in the frame). A label that fits nowhere is left out: the node's title still names
/// the actor, and the text alternative lists it.
fn place_labels(
    site: &Site,
    d: &Drawing,
    frame: &Frame,
    pos: &[(f64, f64)],
    radius: &[f64],
    order: &[usize],
) -> Vec<Option<(String, f64, f64)>> {
    let mut out = vec![None; d.nodes.len()];
    // Boxes as (left, top, right, bottom); widths estimated from the number of characters.
    let mut placed: Vec<(f64, f64, f64, f64)> = Vec::new();
    let h = frame.font;
    for &i in order.iter().take(frame.labels) {
        let text = short_label(&site.actors[d.nodes[i]].name);
        let w = text.chars().count() as f64 * h * 0.56;
        let (y, r) = (pos[i].1, radius[i]);
        let x = pos[i].0.max(w / 2.0 + 2.0).min(frame.width as f64 - w / 2.0 - 2.0);
        let below = y + r + h + 1.0;
        let above = y - r - 4.0;
        for baseline in [below, above] {
            let b = (x - w / 2.0, baseline - h, x + w / 2.0, baseline + 3.0);
            let inside = b.1 >= 0.0 && b.3 <= frame.height as f64;
            let free = placed.iter().all(|p| b.2 <= p.0 || p.2 <= b.0 || b.3 <= p.1 || p.3 <= b.1);
            if inside && free {
                placed.push(b);
                out[i] = Some((text, layout::round(x), layout::round(baseline)));
                break;
            }
        }
    }
    out
}

/// A curved path from `a` towards `b`, stopping `gap` short of `b`'s centre so an arrowhead
/// there is seen. Curved (by `bend` times the distance, to the left) so that a relation and a
/// shared link between the same two actors, or relations both ways, do not hide each other.
fn curve(a: (f64, f64), b: (f64, f64), gap: f64, bend: f64) -> String {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let control = (a.0 + dx / 2.0 - dy * bend, a.1 + dy / 2.0 + dx * bend);
    let (ex, ey) = (b.0 - control.0, b.1 - control.1);
    let len = (ex * ex + ey * ey).sqrt();
    let end = if len > gap { (b.0 - ex / len * gap, b.1 - ey / len * gap) } else { b };
    let r = layout::round;
    format!(
        "M{} {}Q{} {} {} {}",
        num(a.0),
        num(a.1),
        num(r(control.0)),
        num(r(control.1)),
        num(r(end.0)),
        num(r(end.1))
    )
}

/// Unit outlines by kind (empty: a circle), so that kind is told by shape as well as colour.
/// Written out rather than computed with trigonometry, which may differ between platforms.
fn shape(kind: ActorKind) -> &'static [(f64, f64)] {
    match kind {
        ActorKind::State | ActorKind::Other => &[],
        ActorKind::Person => &[(0.0, -1.25), (1.08, 0.62), (-1.08, 0.62)],
        ActorKind::ArmedGroup => &[(0.0, 1.25), (1.08, -0.62), (-1.08, -0.62)],
        ActorKind::Organisation => &[(-0.9, -0.9), (0.9, -0.9), (0.9, 0.9), (-0.9, 0.9)],
        ActorKind::Alliance => &[(0.0, -1.25), (1.25, 0.0), (0.0, 1.25), (-1.25, 0.0)],
        ActorKind::Igo => &[(1.1, 0.0), (0.55, 0.95), (-0.55, 0.95), (-1.1, 0.0), (-0.55, -0.95), (0.55, -0.95)],
        ActorKind::Media => &[(0.0, -1.1), (1.05, -0.34), (0.65, 0.89), (-0.65, 0.89), (-1.05, -0.34)],
    }
}

fn polygon(unit: &[(f64, f64)], x: f64, y: f64, r: f64) -> String {
    let mut out = String::new();
    for (k, &(ux, uy)) in unit.iter().enumerate() {
        if k > 0 {
            out.push(' ');
        }
        out.push_str(&format!("{},{}", num(layout::round(x + ux * r)), num(layout::round(y + uy * r))));
    }
    out
}

/// An SVG number: at most one decimal, no `-0`.
fn num(v: f64) -> String {
    format!("{}", layout::round(v) + 0.0)
}

/// The name as drawn: whole when short, else cut at a word boundary when one is near, with `…`.
fn short_label(name: &str) -> String {
    if name.chars().count() <= LABEL_CHARS {
        return name.to_string();
    }
    let cut: String = name.chars().take(LABEL_CHARS - 1).collect();
    let cut = match cut.rfind(' ') {
        Some(i) if cut[..i].chars().count() >= LABEL_CHARS * 2 / 3 => cut[..i].to_string(),
        _ => cut,
    };
    format!("{}…", cut.trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_cut_readably() {
        assert_eq!(short_label("Russia"), "Russia");
        assert_eq!(short_label("Ministry of Foreign Affairs of Russia"), "Ministry of Foreign…");
        assert_eq!(short_label(&"A".repeat(30)), format!("{}…", "A".repeat(23)));
        assert_eq!(short_label("Ünïcødé Ünïcødé Ünïcødé Ünïcødé"), "Ünïcødé Ünïcødé Ünïcødé…");
    }

    #[test]
    fn numbers_are_short_and_never_negative_zero() {
        assert_eq!(num(12.0), "12");
        assert_eq!(num(12.34), "12.3");
        assert_eq!(num(-0.01), "0");
        assert_eq!(polygon(shape(ActorKind::Organisation), 10.0, 10.0, 2.0), "8.2,8.2 11.8,8.2 11.8,11.8 8.2,11.8");
    }
}
