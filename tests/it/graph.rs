//! Actor graphs: the `/graph/` page and the dossiers' ego graphs are deterministic inline SVG,
//! every node is a link to a dossier that exists, the text alternative names every drawn actor,
//! and (with Node and Chromium) a click on a node opens that actor's dossier.

use crate::support::{build_with_base as build, fixture_copy, join_relative, read, read_tree, repo_root};
use scraper::{ElementRef, Html, Selector};
use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

fn select<'a>(doc: &'a Html, selector: &str) -> Vec<ElementRef<'a>> {
    let sel = Selector::parse(selector).unwrap();
    doc.select(&sel).collect()
}

fn text(e: &ElementRef) -> String {
    e.text().collect()
}

/// The first `<svg class="graph__svg" ...>...</svg>` of a page, as written.
fn svg_of(html: &str) -> &str {
    let start = html.find(r#"<svg class="graph__svg""#).expect("a graph SVG");
    let len = html[start..].find("</svg>").expect("closed") + "</svg>".len();
    &html[start..start + len]
}

/// `(href, title)` of every node of the graph in `figure`.
/// The nodes of a graph on the page at output path `page`: each link as a URL under the base
/// path `/reports/`, and the node's title.
fn nodes(doc: &Html, page: &str, figure: &str) -> Vec<(String, String)> {
    select(doc, &format!("{figure} svg.graph__svg a.gnode"))
        .iter()
        .map(|a| {
            let title = a.children().filter_map(ElementRef::wrap).find(|c| c.value().name() == "title");
            let href = a.value().attr("href").expect("href");
            let url = format!("/reports/{}", join_relative(page, href).expect("inside the site"));
            (url, title.map(|t| text(&t)).unwrap_or_default())
        })
        .collect()
}

/// The output file a root-relative URL under `/reports/` is served from.
fn file_of(out: &Path, href: &str) -> std::path::PathBuf {
    let rel = href.strip_prefix("/reports/").unwrap_or_else(|| panic!("{href} is not under the base path"));
    out.join(rel).join("index.html")
}

#[test]
fn the_graph_page_is_deterministic_and_its_svg_is_stable() {
    let site = fixture_copy("graph-site");
    let (a, b) = (site.path().join("a"), site.path().join("b"));
    build(site.path(), &a, "https://example.org/reports/");
    build(site.path(), &b, "https://example.org/reports/");
    assert!(read_tree(&a) == read_tree(&b), "two builds of the same site differ");
    let html = read(a.join("graph/index.html"));
    insta::assert_snapshot!("graph_site_svg", svg_of(&html));
}

#[test]
fn every_node_links_to_a_dossier_and_the_list_names_every_node() {
    let site = fixture_copy("graph-site");
    let out = site.path().join("public");
    build(site.path(), &out, "https://example.org/reports/");
    let doc = Html::parse_document(&read(out.join("graph/index.html")));

    let drawn = nodes(&doc, "graph/index.html", "figure.graph--graph");
    let hrefs: BTreeSet<&str> = drawn.iter().map(|(h, _)| h.as_str()).collect();
    assert_eq!(hrefs.len(), drawn.len(), "one node per actor");
    for (href, title) in &drawn {
        assert!(file_of(&out, href).is_file(), "node {href} links to no dossier");
        let dossier = Html::parse_document(&read(file_of(&out, href)));
        let h1 = text(&select(&dossier, "main h1")[0]);
        assert!(title.starts_with(&format!("{h1} (")), "node title {title:?} does not name {h1}");
    }
    // Lonely Actor shares nothing and declares nothing: not drawn. The commission is named in
    // no briefing but declares a relation: drawn.
    let expect: BTreeSet<String> = ["aland", "aland-mfa", "aland-pres", "bor", "cor", "straits-commission"]
        .iter()
        .map(|id| format!("/reports/actors/{id}/"))
        .collect();
    assert_eq!(hrefs.iter().map(|h| h.to_string()).collect::<BTreeSet<_>>(), expect);

    // The text alternative: the first link of every entry, one per drawn node.
    let listed: BTreeSet<String> = select(&doc, "#graph-list > ul > li")
        .iter()
        .map(|li| {
            format!(
                "/reports/{}",
                join_relative("graph/index.html", select_in(li, "a")[0].value().attr("href").unwrap()).unwrap()
            )
        })
        .collect();
    assert_eq!(listed, expect);
    let bor = select(&doc, "#graph-list > ul > li").into_iter().find(|li| text(li).starts_with("Bor")).unwrap();
    let bor = text(&bor);
    for part in [
        "Shared briefings: Aland (3), President of Aland (1), Cor Pact (1)",
        "allied with Cor Pact",
        "member of Cor Pact",
        "related to International",
    ] {
        assert!(bor.contains(part), "Bor's entry lacks {part:?}: {bor}");
    }

    // Long names are cut on the drawing and whole in the title; kinds have their own shapes;
    // typed relations are drawn as arrows in their own style.
    let long = select(&doc, r#"a.gnode[href="../actors/straits-commission/"]"#)[0];
    assert_eq!(text(&select_in(&long, "text")[0]), "International Commissio…");
    assert!(
        text(&select_in(&long, "title")[0])
            .starts_with("International Commission for the Supervision of the Northern Straits (")
    );
    assert_eq!(select_in(&long, "polygon").len(), 1, "an IGO is a hexagon");
    assert_eq!(select(&doc, r#"a.gnode[href="../actors/bor/"] circle"#).len(), 1, "a state is a circle");
    assert_eq!(select(&doc, "svg.graph__svg path.gedge--alignment[marker-end]").len(), 2, "allied with, related to");
    assert_eq!(select(&doc, "svg.graph__svg path.gedge--hierarchy[marker-end]").len(), 3, "two parents, one member of");
    assert!(!select(&doc, "path.gedge--shared").is_empty());
    let svg = select(&doc, "svg.graph__svg")[0];
    assert_eq!(svg.value().attr("viewBox"), Some("0 0 960 760"));
    assert_eq!(svg.value().attr("width"), Some("100%"));
    assert!(!text(&select(&doc, "svg.graph__svg > title")[0]).is_empty());
    assert!(text(&select(&doc, "svg.graph__svg > desc")[0]).contains("6 actors"));
    // The page is in the main navigation.
    assert_eq!(select(&doc, r#".site-nav a[aria-current="page"]"#)[0].value().attr("href"), Some("../graph/"));
}

fn select_in<'a>(e: &ElementRef<'a>, selector: &str) -> Vec<ElementRef<'a>> {
    let sel = Selector::parse(selector).unwrap();
    e.select(&sel).collect()
}

#[test]
fn dossiers_draw_their_ego_graph_next_to_the_network_lists() {
    let site = fixture_copy("graph-site");
    let out = site.path().join("public");
    build(site.path(), &out, "https://example.org/reports/");

    let doc = Html::parse_document(&read(out.join("actors/bor/index.html")));
    let drawn = nodes(&doc, "actors/bor/index.html", "#dossier-network figure.graph--ego");
    for (href, _) in &drawn {
        assert!(file_of(&out, href).is_file(), "ego node {href} links to no dossier");
    }
    let hrefs: BTreeSet<&str> = drawn.iter().map(|(h, _)| h.trim_start_matches("/reports/actors/")).collect();
    let want: BTreeSet<&str> = ["aland/", "aland-pres/", "bor/", "cor/", "straits-commission/"].into();
    assert_eq!(hrefs, want, "itself, who it shares briefings with, and relations both ways");
    let ego = select(&doc, "a.gnode--ego");
    assert_eq!(ego.len(), 1);
    assert_eq!(ego[0].value().attr("href"), Some("../../actors/bor/"), "links are relative to the page");
    // What the lists do not already say, a list of its own says: relations declared towards Bor.
    let incoming: Vec<String> = select(&doc, "#dossier-network .relations li").iter().map(text).collect();
    assert!(
        incoming.iter().any(|t| t.contains("International Commission") && t.contains("related to Bor")),
        "{incoming:?}"
    );
    // Every drawn node is in the section's lists, the drawing's text alternative.
    let listed: BTreeSet<String> = select(&doc, "#dossier-network .network__grid a")
        .iter()
        .map(|a| {
            format!("/reports/{}", join_relative("actors/bor/index.html", a.value().attr("href").unwrap()).unwrap())
        })
        .collect();
    for (href, _) in drawn.iter().filter(|(h, _)| h != "/reports/actors/bor/") {
        assert!(listed.contains(href), "{href} is drawn but not listed");
    }
    assert!(select(&doc, ".toc a[href=\"#dossier-network\"]").len() == 1);

    // An actor with no connection has no graph.
    let lonely = Html::parse_document(&read(out.join("actors/lonely/index.html")));
    assert!(select(&lonely, "figure.graph").is_empty());
}

#[test]
fn the_example_site_graph_stays_small() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    build(&repo_root(), &out, "https://example.org/reports/");
    let html = read(out.join("graph/index.html"));
    let doc = Html::parse_document(&html);
    assert!(nodes(&doc, "graph/index.html", "figure.graph--graph").len() > 20);
    assert!(html.len() < 200_000, "{} bytes", html.len());
}

#[test]
fn clicking_a_node_opens_its_dossier() {
    if !crate::serve::browser_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    build(&repo_root(), &out, "https://example.org/");
    let run =
        Command::new("node").arg(repo_root().join("tests/browser/graph.mjs")).arg(&out).output().expect("node runs");
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(run.status.success(), "graph browser test failed:\n{stdout}\n{}", String::from_utf8_lossy(&run.stderr));
}
