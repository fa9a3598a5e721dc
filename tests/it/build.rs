//! Building real sites: the example site's links all resolve, dossiers and briefings link to
//! each other as data.json says they should, output is deterministic, and hostile strings are
//! escaped everywhere.

use crate::support::{fixture_copy, join_relative, read, read_tree, repo_root, sitpress};
use scraper::{Html, Selector};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Builds the repository's example site into a temp folder with the given base URL.
fn build_example(base_url: &str) -> tempfile::TempDir {
    let out = tempfile::tempdir().unwrap();
    sitpress()
        .args(["build", "--quiet", "--root"])
        .arg(repo_root())
        .arg("--output")
        .arg(out.path().join("public"))
        .args(["--base-url", base_url])
        .assert()
        .success();
    out
}

/// Parsed HTML pages of an output folder, by output path.
fn pages(out: &Path) -> BTreeMap<String, Html> {
    read_tree(out)
        .into_iter()
        .filter(|(p, _)| p.ends_with(".html"))
        .map(|(p, bytes)| (p, Html::parse_document(&String::from_utf8(bytes).expect("UTF-8 HTML"))))
        .collect()
}

fn ids(doc: &Html) -> BTreeSet<String> {
    let sel = Selector::parse("[id]").unwrap();
    doc.select(&sel).filter_map(|e| e.value().attr("id").map(str::to_string)).collect()
}

/// Checks every internal href/src of every page resolves to a file, and every fragment to an
/// id in that file; and that internal links are relative (so the site works from file:// and
/// from any folder), except on the 404 page, which is served at any depth. Returns the problems.
pub(crate) fn broken_links(out: &Path, base_url: &str) -> Vec<String> {
    let base_path = base_url.find("://").map_or("/", |i| {
        let rest = &base_url[i + 3..];
        rest.find('/').map_or("/", |j| &rest[j..])
    });
    let pages = pages(out);
    let ids: BTreeMap<&String, BTreeSet<String>> = pages.iter().map(|(p, d)| (p, ids(d))).collect();
    let sel = Selector::parse("a[href], link[href], img[src], script[src], form[action]").unwrap();
    let mut problems = Vec::new();
    for (page, doc) in &pages {
        for el in doc.select(&sel) {
            let attr = |n| el.value().attr(n);
            let target = attr("href").or(attr("src")).or(attr("action")).unwrap();
            let (link, fragment) = match target.split_once('#') {
                Some((p, f)) => (p, Some(f)),
                None => (target, None),
            };
            let path = if let Some(rest) = link.strip_prefix(base_url) {
                rest.to_string()
            } else if link.starts_with("http://") || link.starts_with("https://") || link.starts_with("mailto:") {
                continue;
            } else if let Some(rest) = link.strip_prefix(base_path) {
                if page != "404.html" {
                    problems.push(format!("{page}: `{target}` is root-relative; internal links are relative"));
                }
                rest.to_string()
            } else if link.starts_with('/') {
                problems.push(format!("{page}: `{target}` is not under the base path `{base_path}`"));
                continue;
            } else if link.is_empty() {
                page.strip_suffix("index.html").unwrap_or(page).to_string()
            } else {
                let Some(path) = join_relative(page, link) else {
                    problems.push(format!("{page}: `{target}` climbs above the site root"));
                    continue;
                };
                path
            };
            let file = if path.is_empty() || path.ends_with('/') { format!("{path}index.html") } else { path };
            if !out.join(&file).is_file() {
                problems.push(format!("{page}: `{target}` -> missing `{file}`"));
                continue;
            }
            if let Some(f) = fragment
                && !f.is_empty()
                && !ids.get(&file).is_some_and(|set| set.contains(f))
            {
                problems.push(format!("{page}: `{target}` -> no id `{f}` in `{file}`"));
            }
        }
    }
    problems
}

#[test]
fn example_site_links_all_resolve() {
    for base in ["https://example.org/", "https://example.org/reports/"] {
        let dir = build_example(base);
        let out = dir.path().join("public");
        let problems = broken_links(&out, base);
        assert!(problems.is_empty(), "{} broken links with base {base}:\n{}", problems.len(), problems.join("\n"));
    }
}

#[test]
fn example_site_has_every_contract_url() {
    let dir = build_example("https://example.org/");
    let out = dir.path().join("public");
    let data: serde_json::Value = serde_json::from_str(&read(out.join("data.json"))).unwrap();
    let mut expected = vec![
        "index.html".to_string(),
        "briefings/index.html".into(),
        "actors/index.html".into(),
        "forecasts/index.html".into(),
        "disputes/index.html".into(),
        "timeline/index.html".into(),
        "atom.xml".into(),
        "sitemap.xml".into(),
        "404.html".into(),
        "data.json".into(),
        "about/index.html".into(),
        "methodology/index.html".into(),
    ];
    for t in ["report", "statement", "denial", "assessment", "assumption", "forecast"] {
        expected.push(format!("claims/{t}/index.html"));
    }
    for b in data["briefings"].as_array().unwrap() {
        expected.push(format!("briefings/{}/index.html", b["id"].as_str().unwrap()));
    }
    for a in data["actors"].as_array().unwrap() {
        expected.push(format!("actors/{}/index.html", a["id"].as_str().unwrap()));
        expected.push(format!("actors/{}/atom.xml", a["id"].as_str().unwrap()));
    }
    expected.push("tags/index.html".into());
    for t in data["tags"].as_array().unwrap() {
        expected.push(format!("tags/{}/index.html", t["slug"].as_str().unwrap()));
        expected.push(format!("tags/{}/atom.xml", t["slug"].as_str().unwrap()));
    }
    let missing: Vec<&String> = expected.iter().filter(|p| !out.join(p).is_file()).collect();
    assert!(missing.is_empty(), "missing: {missing:?}");
    assert!(data["actors"].as_array().unwrap().len() >= 10);
    assert!(data["briefings"].as_array().unwrap().len() >= 4);
    assert!(data["tags"].as_array().unwrap().len() >= 5);
}

#[test]
fn dossiers_and_briefings_link_each_other() {
    let dir = build_example("https://example.org/");
    let out = dir.path().join("public");
    let data: serde_json::Value = serde_json::from_str(&read(out.join("data.json"))).unwrap();
    // Site paths (`briefings/b1/`) the page's main content links to.
    let links = |file: &str| -> BTreeSet<String> {
        let doc = Html::parse_document(&read(out.join(file)));
        let sel = Selector::parse("main a[href]").unwrap();
        doc.select(&sel).filter_map(|e| join_relative(file, e.value().attr("href").unwrap())).collect()
    };
    let mut problems = Vec::new();
    for a in data["actors"].as_array().unwrap() {
        let id = a["id"].as_str().unwrap();
        let hrefs = links(&format!("actors/{id}/index.html"));
        for b in a["briefings"].as_array().unwrap() {
            let url = format!("briefings/{}/", b.as_str().unwrap());
            if !hrefs.contains(&url) {
                problems.push(format!("dossier {id} does not link to {url}"));
            }
        }
    }
    for b in data["briefings"].as_array().unwrap() {
        let id = b["id"].as_str().unwrap();
        let hrefs = links(&format!("briefings/{id}/index.html"));
        for a in b["actors"].as_array().unwrap() {
            let url = format!("actors/{}/", a.as_str().unwrap());
            if !hrefs.contains(&url) {
                problems.push(format!("briefing {id} does not link to {url}"));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn base_path_prefixes_every_link() {
    let site = fixture_copy("data-site");
    let out = site.path().join("out");
    sitpress().args(["build", "--quiet", "--root"]).arg(site.path()).arg("--output").arg(&out).assert().success();
    let problems = broken_links(&out, "https://example.org/reports/");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert!(!out.join("reports").exists(), "the base path is not a folder in the output");
    let feed = read(out.join("atom.xml"));
    assert!(feed.contains("https://example.org/reports/briefings/b3/"), "{feed}");
    let sitemap = read(out.join("sitemap.xml"));
    assert!(sitemap.contains("<loc>https://example.org/reports/actors/lonely/</loc>"), "{sitemap}");
    assert!(!sitemap.contains("404"), "{sitemap}");
}

#[test]
fn two_builds_are_byte_identical() {
    let site = fixture_copy("data-site");
    let (a, b) = (site.path().join("a"), site.path().join("b"));
    for out in [&a, &b] {
        sitpress().args(["build", "--quiet", "--root"]).arg(site.path()).arg("--output").arg(out).assert().success();
    }
    assert_eq!(read_tree(&a), read_tree(&b));
    let x = build_example("https://example.org/");
    let y = build_example("https://example.org/");
    assert_eq!(read_tree(&x.path().join("public")), read_tree(&y.path().join("public")));
}

#[test]
fn feeds_are_atom_with_entries() {
    let site = fixture_copy("data-site");
    let out = site.path().join("out");
    sitpress().args(["build", "--quiet", "--root"]).arg(site.path()).arg("--output").arg(&out).assert().success();
    let feed = atom_syndication::Feed::read_from(read(out.join("atom.xml")).as_bytes()).expect("valid Atom");
    assert_eq!(feed.entries().len(), 4);
    assert_eq!(feed.entries()[0].title().as_str(), "Third");
    let bor = atom_syndication::Feed::read_from(read(out.join("actors/bor/atom.xml")).as_bytes()).unwrap();
    let titles: Vec<&str> = bor.entries().iter().map(|e| e.title().as_str()).collect();
    // Briefings on Bor, and after each briefing the claims in it about Bor.
    assert_eq!(
        titles,
        [
            "Third",
            "Zero",
            "First",
            "Report: Something happened in Bor.",
            "Statement: The president spoke about Bor.",
            "Forecast: Bor does X."
        ]
    );
    let lonely = atom_syndication::Feed::read_from(read(out.join("actors/lonely/atom.xml")).as_bytes()).unwrap();
    assert!(lonely.entries().is_empty(), "an actor no briefing mentions still has a (valid, empty) feed");
}

#[test]
fn hostile_strings_are_escaped_everywhere() {
    let site = fixture_copy("xss-site");
    let out = site.path().join("out");
    sitpress().args(["build", "--quiet", "--root"]).arg(site.path()).arg("--output").arg(&out).assert().success();
    // The theme's one JSON-LD block is data, checked in theme.rs, and its one script is the
    // theme's file (keyboard search, folder links from file://), empty inline; no other script
    // may appear but the theme's own search script, on the search page.
    // The one SVG is the ledger's calibration chart, drawn from numbers (checked below).
    let script = Selector::parse(r#"script:not([type="application/ld+json"]), iframe, svg:not(.chart)"#).unwrap();
    let chart = Selector::parse("svg.chart, svg.chart *").unwrap();
    let any = Selector::parse("*").unwrap();
    let mut problems = Vec::new();
    for (path, doc) in pages(&out) {
        // 404.html is served at any depth: its links start at the site's root.
        let up = if path == "404.html" { "/".to_string() } else { "../".repeat(path.matches('/').count()) };
        let theme_script = |e: &scraper::ElementRef| {
            let src = e.value().attr("src");
            e.value().name() == "script"
                && e.inner_html().is_empty()
                && (src == Some(&format!("{up}sitpress.js"))
                    || (path == "search/index.html" && src == Some("../search.js")))
        };
        if doc.select(&script).any(|e| !theme_script(&e)) {
            problems.push(format!("{path}: a script, iframe or svg element"));
        }
        for el in doc.select(&chart) {
            let allowed = ["svg", "title", "desc", "rect", "circle", "line", "text"];
            if path != "forecasts/index.html" || !allowed.contains(&el.value().name()) {
                problems.push(format!("{path}: `{}` in a chart", el.value().name()));
            }
        }
        for el in doc.select(&any) {
            for (name, value) in el.value().attrs() {
                if name.starts_with("on") {
                    problems.push(format!("{path}: event handler attribute `{name}`"));
                }
                if value.trim_start().to_ascii_lowercase().starts_with("javascript:") {
                    problems.push(format!("{path}: javascript: URL in `{name}`"));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    let briefing = read(out.join("briefings/attack/index.html"));
    assert!(briefing.contains("&lt;script&gt;alert("), "the text is shown, escaped");
    let index = crate::support::read_tree(&out.join("search-index"));
    assert!(!index.is_empty());
    let index: Vec<String> = index.iter().map(|(p, _)| format!("search-index/{p}")).collect();
    for file in ["atom.xml", "actors/evil/atom.xml", "data.json", "sitemap.xml"]
        .into_iter()
        .chain(index.iter().map(String::as_str))
    {
        let text = read(out.join(file));
        assert!(!text.contains("<script"), "{file} contains a raw <script>");
        assert!(!text.contains("<img"), "{file} contains a raw <img");
    }
    // The feed's HTML content, once unescaped by a reader, is still inert.
    let feed = atom_syndication::Feed::read_from(read(out.join("atom.xml")).as_bytes()).unwrap();
    let content = feed.entries()[0].content().and_then(|c| c.value()).unwrap_or_default();
    assert!(!content.contains("<script") && !content.contains("onerror=alert(1)>"), "{content}");
    let data: serde_json::Value = serde_json::from_str(&read(out.join("data.json"))).unwrap();
    assert_eq!(data["briefings"][0]["title"], "Breaking <script>alert('t')</script> & \"quotes\" 'single'");
}

#[test]
fn sanitized_raw_html_cannot_pose_as_the_page() {
    let site = fixture_copy("xss-site");
    let config = site.path().join("sitpress.yaml");
    let yaml = read(&config) + "raw_html: sanitize\n";
    std::fs::write(&config, yaml).unwrap();
    let attack = site.path().join("content/briefings/attack.md");
    let body = "\n<p id=\"claim-c1\" class=\"badge badge--report\">Verified by the site</p>\n\n\
                <div id=\"sitpress-overlay\" onclick=\"alert(1)\">overlay</div>\n\n\
                <span class=\"tag\">fake tag</span>\n";
    std::fs::write(&attack, read(&attack) + body).unwrap();
    let out = site.path().join("out");
    sitpress().args(["build", "--quiet", "--root"]).arg(site.path()).arg("--output").arg(&out).assert().success();
    let html = read(out.join("briefings/attack/index.html"));
    let doc = Html::parse_document(&html);
    // The claim's anchor is the theme's article, once; the raw copies are renamed.
    let ids: Vec<&str> = doc.select(&Selector::parse("[id]").unwrap()).filter_map(|e| e.value().id()).collect();
    let unique: BTreeSet<&str> = ids.iter().copied().collect();
    assert_eq!(ids.len(), unique.len(), "every id on the page is unique: {ids:?}");
    let anchor = doc.select(&Selector::parse("#claim-c1").unwrap()).next().expect("the claim's anchor");
    assert_eq!(anchor.value().name(), "article");
    assert!(doc.select(&Selector::parse("#sitpress-overlay").unwrap()).next().is_none(), "{html}");
    assert!(html.contains("<p id=\"user-content-claim-c1\" class=\"user-content-badge user-content-badge--report\">"));
    assert!(html.contains("<div id=\"user-content-sitpress-overlay\">overlay</div>"), "{html}");
    // No badge or tag in the body: the theme's classes are its own.
    let body_badges = doc.select(&Selector::parse(".prose .badge, .prose .tag").unwrap()).count();
    assert_eq!(body_badges, 0, "{html}");
}
