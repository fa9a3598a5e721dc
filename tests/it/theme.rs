//! The built-in theme: page metadata and JSON-LD on every page, JSON-LD that hostile strings
//! cannot break out of, and (with Node, Chromium and Java at hand) the Nu Html Checker and the
//! browser checks of `tests/browser/theme.mjs`: console errors, failed requests, axe-core,
//! landmarks, headings, focus, 360 px, dark mode, print, file://, screenshots.
//!
//! The browser test needs `npm ci` (playwright-core, axe-core, vnu-jar), Debian's Chromium
//! (`/usr/bin/chromium`, or `CHROMIUM`) and `java`. Without them it is skipped with a message,
//! unless `SITPRESS_REQUIRE_BROWSER=1` (as in `.ci/run`), which makes a missing tool a failure.

use crate::support::{build_with_base as build, copy_dir, fixture_copy, read, read_tree, repo_root};
use scraper::{Html, Selector};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Every HTML page of an output folder, parsed, by output path.
fn html_pages(out: &Path) -> Vec<(String, Html)> {
    read_tree(out)
        .into_iter()
        .filter(|(p, _)| p.ends_with(".html"))
        .map(|(p, bytes)| (p, Html::parse_document(&String::from_utf8(bytes).expect("UTF-8"))))
        .collect()
}

fn attr(doc: &Html, selector: &str, name: &str) -> Vec<String> {
    let sel = Selector::parse(selector).unwrap();
    doc.select(&sel).filter_map(|e| e.value().attr(name).map(str::to_string)).collect()
}

/// The JSON-LD blocks of a page, parsed.
fn json_ld(doc: &Html) -> Vec<Value> {
    let sel = Selector::parse(r#"script[type="application/ld+json"]"#).unwrap();
    doc.select(&sel)
        .map(|e| {
            let text: String = e.text().collect();
            serde_json::from_str(&text).unwrap_or_else(|err| panic!("JSON-LD does not parse: {err}\n{text}"))
        })
        .collect()
}

fn types(items: &Value) -> Vec<&str> {
    items.as_array().map(|a| a.iter().filter_map(|x| x["@type"].as_str()).collect()).unwrap_or_default()
}

#[test]
fn every_page_has_description_open_graph_canonical_and_json_ld() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let base = "https://example.org/reports/";
    build(&repo_root(), &out, base);
    let data: Value = serde_json::from_str(&read(out.join("data.json"))).unwrap();
    let mut problems = Vec::new();
    let pages = html_pages(&out);
    assert!(pages.len() > 40, "the example site has many pages");
    for (path, doc) in &pages {
        let mut found = Vec::new();
        let mut one = |selector: &str, name: &str| -> Option<String> {
            match attr(doc, selector, name).as_slice() {
                [v] if !v.trim().is_empty() => Some(v.clone()),
                other => {
                    found.push(format!("want one non-empty `{selector}`, found {other:?}"));
                    None
                }
            }
        };
        let canonical = one(r#"link[rel="canonical"]"#, "href");
        one(r#"meta[name="description"]"#, "content");
        for prop in ["og:title", "og:description", "og:type", "og:site_name"] {
            one(&format!(r#"meta[property="{prop}"]"#), "content");
        }
        let og_url = one(r#"meta[property="og:url"]"#, "content");
        if let Some(c) = &canonical {
            if !c.starts_with(base) {
                found.push(format!("canonical `{c}` is not absolute under {base}"));
            }
            if og_url.as_ref() != Some(c) {
                found.push(format!("og:url {og_url:?} differs from canonical {c}"));
            }
        }
        match json_ld(doc).as_slice() {
            [ld] => {
                if ld["@context"] != "https://schema.org" {
                    found.push(format!("JSON-LD @context {}", ld["@context"]));
                }
                let ty = ld["@type"].as_str().unwrap_or_default();
                let want: &[&str] = match path.split('/').collect::<Vec<_>>().as_slice() {
                    ["index.html"] => &["WebSite"],
                    ["briefings", "index.html"] | ["briefings", "page", ..] => &["CollectionPage"],
                    ["briefings", _, "index.html"] => &["Report"],
                    ["actors", "index.html"]
                    | ["claims", ..]
                    | ["actors", _, "claims", ..]
                    | ["forecasts", "index.html"]
                    | ["forecasts", "page", ..]
                    | ["disputes", ..]
                    | ["timeline", ..]
                    | ["tags", ..] => &["CollectionPage"],
                    ["actors", _, "index.html"] => {
                        &["Country", "Person", "Organization", "NewsMediaOrganization", "Thing"]
                    }
                    _ => &["WebPage"],
                };
                if !want.contains(&ty) {
                    found.push(format!("JSON-LD @type {ty}, want one of {want:?}"));
                }
            }
            other => found.push(format!("{} JSON-LD blocks, want 1", other.len())),
        }
        problems.extend(found.into_iter().map(|m| format!("{path}: {m}")));
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));

    // A briefing: a Report with its dates, authors, actors, sources and every claim.
    let b = &data["briefings"][0];
    let id = b["id"].as_str().unwrap();
    let doc = Html::parse_document(&read(out.join(format!("briefings/{id}/index.html"))));
    let report = &json_ld(&doc)[0];
    assert_eq!(report["headline"], b["title"]);
    assert_eq!(report["url"], format!("{base}briefings/{id}/"));
    assert_eq!(report["datePublished"], b["date"]);
    assert!(report["dateModified"].is_string());
    assert_eq!(types(&report["author"]), ["Person"]);
    assert_eq!(report["about"].as_array().unwrap().len(), b["actors"].as_array().unwrap().len());
    assert!(types(&report["citation"]).iter().all(|t| *t == "CreativeWork"));
    let claims = report["hasPart"].as_array().unwrap();
    assert_eq!(claims.len(), b["claims"].as_array().unwrap().len());
    for c in claims {
        assert_eq!(c["@type"], "Claim");
        assert!(c["text"].as_str().is_some_and(|t| !t.is_empty() && !t.contains('<')), "plain text: {c}");
        assert!(c["url"].as_str().unwrap().starts_with(&format!("{base}briefings/{id}/#claim-")));
    }

    // Dossiers: the schema.org type follows the actor's kind.
    for a in data["actors"].as_array().unwrap() {
        let id = a["id"].as_str().unwrap();
        let doc = Html::parse_document(&read(out.join(format!("actors/{id}/index.html"))));
        let ld = &json_ld(&doc)[0];
        let want = match a["kind"].as_str().unwrap() {
            "state" => "Country",
            "person" => "Person",
            "media" => "NewsMediaOrganization",
            "other" => "Thing",
            _ => "Organization",
        };
        assert_eq!(ld["@type"], want, "actor {id}");
        assert_eq!(ld["name"], a["name"]);
        assert_eq!(ld["mainEntityOfPage"]["@type"], "ProfilePage");
    }

    // Claims are described once, on their briefing (above); claim-type pages, which list them
    // in pages, are collections that do not repeat them.
    let doc = Html::parse_document(&read(out.join("claims/forecast/index.html")));
    let ld = &json_ld(&doc)[0];
    assert_eq!(ld["@type"], "CollectionPage");
    assert!(types(&ld["hasPart"]).is_empty());
}

#[test]
fn json_ld_cannot_be_broken_out_of() {
    let site = fixture_copy("xss-site");
    let out = site.path().join("out");
    build(site.path(), &out, "https://example.org/");
    for (path, bytes) in read_tree(&out).into_iter().filter(|(p, _)| p.ends_with(".html")) {
        let html = String::from_utf8(bytes).unwrap();
        let open = r#"<script type="application/ld+json">"#;
        // The search page also loads the search script, from the theme: no content in it.
        let own = usize::from(path == "search/index.html");
        assert_eq!(html.matches("<script").count(), 2 + own, "{path}: the JSON-LD and the theme's script");
        let start = html.find(open).unwrap_or_else(|| panic!("{path}: no JSON-LD")) + open.len();
        let len = html[start..].find("</script>").expect("closed");
        let inner = &html[start..start + len];
        assert!(!inner.contains(['<', '>']), "{path}: raw < or > inside the JSON-LD: {inner}");
        let _: Value = serde_json::from_str(inner).unwrap_or_else(|e| panic!("{path}: {e}: {inner}"));
    }
    // The hostile strings come back exactly, as data.
    let doc = Html::parse_document(&read(out.join("briefings/attack/index.html")));
    let report = &json_ld(&doc)[0];
    assert_eq!(report["headline"], "Breaking <script>alert('t')</script> & \"quotes\" 'single'");
    assert_eq!(report["author"][0]["name"], "<script>alert('author')</script>");
    // The claim's author is described once, in the report's `about`, and named by `@id` after.
    let evil = report["about"].as_array().unwrap().iter().find(|a| a["@id"] == report["hasPart"][0]["author"]["@id"]);
    assert_eq!(evil.unwrap()["name"], "Evil <script>alert('name')</script> \"Corp\"");
    let doc = Html::parse_document(&read(out.join("actors/evil/index.html")));
    assert_eq!(json_ld(&doc)[0]["alternateName"][0], "<img src=x onerror=alert(1)>");
    let title = attr(&doc, r#"meta[property="og:site_name"]"#, "content");
    assert_eq!(title, ["XSS <script>alert('title')</script>"], "attributes unescape to the same text");
}

#[test]
fn dossier_json_ld_lists_the_newest_briefings_and_a_description_cut_at_a_word() {
    let site = fixture_copy("data-site");
    let root = site.path();
    let words = "Lonely Actor is described at length here, ".repeat(8);
    std::fs::write(
        root.join("content/actors/lonely.md"),
        format!("---\nname: Lonely Actor\nkind: other\n---\n\n{words}\n"),
    )
    .unwrap();
    for i in 0..60 {
        let text =
            format!("---\ntitle: News {i:02}\ndate: 2023-{:02}-{:02}\nactors: [lonely]\n---\n", 1 + i / 28, 1 + i % 28);
        std::fs::write(root.join(format!("content/briefings/n{i:02}.md")), text).unwrap();
    }
    let out = root.join("out");
    build(root, &out, "https://example.org/reports/");
    let doc = Html::parse_document(&read(out.join("actors/lonely/index.html")));
    let ld = &json_ld(&doc)[0];

    // Big actors have thousands of briefings: the 50 newest only, newest first.
    let reports = ld["subjectOf"].as_array().unwrap();
    assert_eq!(reports.len(), 50);
    assert_eq!(reports[0]["headline"], "News 59");
    assert_eq!(reports[49]["headline"], "News 10");
    assert_eq!(reports[0]["url"], "https://example.org/reports/briefings/n59/");
    assert_eq!(reports[0]["@id"], "https://example.org/reports/briefings/n59/#report");
    assert!(types(&ld["subjectOf"]).iter().all(|t| *t == "Report"));

    // The description is cut at a whole word, the same in the meta tags and the JSON-LD.
    let description = ld["description"].as_str().unwrap();
    assert_eq!(attr(&doc, r#"meta[name="description"]"#, "content"), [description]);
    let kept = description.strip_suffix('…').expect("marked as cut");
    assert!(kept.chars().count() <= 200 && words.starts_with(&format!("{kept} ")), "{description}");
}

/// What the browser test needs, or why it cannot run.
fn browser_tools() -> Result<PathBuf, String> {
    let root = repo_root();
    for dep in ["node_modules/playwright-core", "node_modules/axe-core", "node_modules/vnu-jar/build/dist/vnu.jar"] {
        if !root.join(dep).exists() {
            return Err(format!("{dep} is missing (run `npm ci --ignore-scripts`)"));
        }
    }
    let chromium = std::env::var_os("CHROMIUM").map_or_else(|| PathBuf::from("/usr/bin/chromium"), PathBuf::from);
    if !chromium.exists() {
        return Err(format!("{} is missing (`apt-get install chromium`)", chromium.display()));
    }
    for (tool, arg) in [("node", "--version"), ("java", "-version")] {
        if !Command::new(tool).arg(arg).output().is_ok_and(|o| o.status.success()) {
            return Err(format!("`{tool}` does not run"));
        }
    }
    Ok(chromium)
}

#[test]
fn theme_passes_the_html_checker_and_the_browser_checks() {
    let chromium = match browser_tools() {
        Ok(c) => c,
        Err(why) if std::env::var("SITPRESS_REQUIRE_BROWSER").as_deref() == Ok("1") => {
            panic!("SITPRESS_REQUIRE_BROWSER=1 but {why}")
        }
        Err(why) => {
            eprintln!("skipping the browser test: {why}");
            return;
        }
    };
    let root = repo_root();
    let dir = tempfile::tempdir().unwrap();
    // Served over http at `/`; opened from file:// with its own folder as the base path, so
    // the root-relative stylesheet and links resolve on disk.
    let http_site = dir.path().join("http");
    build(&root, &http_site, "https://example.org/");
    let file_site = dir.path().join("file");
    let file_path = file_site.to_str().expect("a UTF-8 temp path").trim_start_matches('/');
    build(&root, &file_site, &format!("http://localhost/{file_path}/"));

    let vnu = Command::new("java")
        .args(["-jar", "node_modules/vnu-jar/build/dist/vnu.jar", "--errors-only", "--skip-non-html"])
        .arg(&http_site)
        .current_dir(&root)
        .output()
        .expect("java runs");
    let report = String::from_utf8_lossy(&vnu.stderr);
    assert!(vnu.status.success() && report.trim().is_empty(), "the Nu Html Checker found errors:\n{report}");

    let artefacts = root.join("target/screenshots");
    let run = Command::new("node")
        .arg("tests/browser/theme.mjs")
        .arg("--site")
        .arg(&http_site)
        .arg("--file-site")
        .arg(&file_site)
        .arg("--out")
        .arg(&artefacts)
        .env("CHROMIUM", &chromium)
        .current_dir(&root)
        .output()
        .expect("node runs");
    let stdout = String::from_utf8_lossy(&run.stdout);
    println!("{stdout}");
    assert!(run.status.success(), "browser checks failed:\n{stdout}\n{}", String::from_utf8_lossy(&run.stderr));
    for name in ["home-1280.png", "dossier-375.png", "briefing-1280.png", "briefing-print-a4.pdf"] {
        assert!(artefacts.join(name).is_file(), "{name} was not saved");
    }
}

/// A briefing page lists its claims in one group per claim type, in the site's claim-type
/// order (that of the claim-type navigation), each headed by its count, and names each
/// source's host (without `www.`) beside its link.
#[test]
fn briefing_pages_group_claims_by_type_and_name_source_hosts() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    build(&repo_root(), &out, "https://example.org/");
    let sel = |s: &str| Selector::parse(s).unwrap();
    let (groups, articles, count) = (sel("section.claim-group"), sel("article.claim"), sel("h3 .count"));
    let mut grouped = 0;
    let mut hosts = 0;
    for (path, doc) in html_pages(&out) {
        if !path.starts_with("briefings/") || path.starts_with("briefings/page/") || path == "briefings/index.html" {
            continue;
        }
        let nav: Vec<String> = attr(&doc, "nav.type-nav a", "href")
            .iter()
            .map(|h| h.trim_end_matches('/').rsplit('/').next().unwrap().to_string())
            .collect();
        let mut last = None;
        for group in doc.select(&groups) {
            let class = group.value().attr("class").unwrap();
            let kind = class.split("claim-group--").nth(1).unwrap_or_else(|| panic!("{path}: {class}"));
            let at = nav.iter().position(|t| t == kind).unwrap_or_else(|| panic!("{path}: type {kind} not in {nav:?}"));
            assert!(last < Some(at), "{path}: groups out of claim-type order");
            last = Some(at);
            let n = group.select(&articles).count();
            let shown: usize = group.select(&count).next().unwrap().text().collect::<String>().parse().unwrap();
            assert_eq!(shown, n, "{path}: the count of group {kind}");
            assert!(
                group.select(&articles).all(|a| a.value().attr("class").unwrap().contains(&format!("claim--{kind}")))
            );
            grouped += n;
        }
        assert_eq!(grouped_on(&doc, &articles), doc.select(&sel("#briefing-claims article.claim")).count(), "{path}");
        for title in doc.select(&sel(".source__title")) {
            let (Some(link), Some(host)) = (title.select(&sel("a")).next(), title.select(&sel(".source__host")).next())
            else {
                continue;
            };
            let url = link.value().attr("href").unwrap();
            let expected = url.split('/').nth(2).unwrap().trim_start_matches("www.");
            assert_eq!(host.text().collect::<String>(), expected, "{path}: host of {url}");
            hosts += 1;
        }
    }
    assert!(grouped > 10 && hosts > 5, "the example site's briefings have claims ({grouped}) and sources ({hosts})");
}

/// Claims of a page that sit inside a claim-type group.
fn grouped_on(doc: &Html, articles: &Selector) -> usize {
    let groups = Selector::parse("section.claim-group").unwrap();
    doc.select(&groups).map(|g| g.select(articles).count()).sum()
}

/// A claim's body (`partials/claim_body.html`) is rendered once for its briefing page and its
/// card. A theme whose `partials/claim.html` includes the body itself, as themes written before
/// `body_html` do, gets the very same site; an override of the body shows in both places.
#[test]
fn a_claim_body_is_rendered_once_for_its_page_and_card() {
    let site = tempfile::tempdir().unwrap();
    let outs = tempfile::tempdir().unwrap();
    copy_dir(&repo_root().join("content"), &site.path().join("content"));
    std::fs::copy(repo_root().join("sitpress.yaml"), site.path().join("sitpress.yaml")).unwrap();
    let base = "https://example.org/";
    build(site.path(), &outs.path().join("builtin"), base);

    let partials = site.path().join("templates/partials");
    std::fs::create_dir_all(&partials).unwrap();
    let claim = read(repo_root().join("templates/partials/claim.html"));
    let printed = r#"{% if claim.body_html %}{{ claim.body_html | safe }}{% else %}{% include "partials/claim_body.html" %}{% endif %}"#;
    assert!(claim.contains(printed), "claim.html prints body_html");
    std::fs::write(partials.join("claim.html"), claim.replace(printed, r#"{% include "partials/claim_body.html" %}"#))
        .unwrap();
    build(site.path(), &outs.path().join("included"), base);
    let (builtin, included) = (read_tree(&outs.path().join("builtin")), read_tree(&outs.path().join("included")));
    assert_eq!(builtin.len(), included.len());
    for ((path, a), (_, b)) in builtin.iter().zip(&included) {
        assert!(a == b, "{path} differs when claim.html includes the body itself");
    }

    std::fs::remove_file(partials.join("claim.html")).unwrap();
    std::fs::write(partials.join("claim_body.html"), r#"<p class="own-body">{{ claim.global_id }}</p>"#).unwrap();
    let own = outs.path().join("own");
    build(site.path(), &own, base);
    let bodies = Selector::parse("article.claim > p.own-body").unwrap();
    let count = |page: &str| Html::parse_document(&read(own.join(page))).select(&bodies).count();
    let briefing = builtin
        .iter()
        .find(|(p, _)| {
            p.starts_with("briefings/")
                && p.ends_with("/index.html")
                && !p.starts_with("briefings/page/")
                && p != "briefings/index.html"
        })
        .map(|(p, _)| p.clone())
        .unwrap();
    let claims = Html::parse_document(&read(outs.path().join("builtin").join(&briefing)))
        .select(&Selector::parse("article.claim").unwrap())
        .count();
    assert!(claims > 0, "{briefing} lists claims");
    assert_eq!(count(&briefing), claims, "every claim of {briefing} has the overridden body");
    // Cards are compact: what the claim says and a link to it, never its whole body.
    assert_eq!(count("claims/report/index.html"), 0, "claim cards are compact");
    let cards = Selector::parse("article.claim--card .claim__text").unwrap();
    assert!(Html::parse_document(&read(own.join("claims/report/index.html"))).select(&cards).count() > 0);
}
/// The theme stays light: the stylesheet every page loads under 24 KB, and all its CSS and
/// JavaScript (with the search page's scripts, which load the index in parts, rank and stem)
/// under 56 KB, about 17 KB gzipped. The search index is content, not theme: it grows with
/// the site.
#[test]
fn theme_css_and_js_stay_light() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    build(&repo_root(), &out, "https://example.org/");
    let total: usize = read_tree(&out)
        .iter()
        .filter(|(p, _)| p.ends_with(".css") || p.ends_with(".js") || p.ends_with(".mjs"))
        .filter(|(p, _)| !p.starts_with("search-index/"))
        .map(|(_, bytes)| bytes.len())
        .sum();
    assert!(total > 0 && total < 56 * 1024, "{total} bytes of CSS and JS");
    let css = read(out.join("style.css")).len();
    assert!(css < 24 * 1024, "style.css is {css} bytes");
}

/// The rules every page's JSON-LD follows: keys sorted, no member null, `""` or `[]`, each
/// actor described once (its `@id` with a type and a name) and named by `@id` alone wherever
/// else the page mentions it, and never named by `@id` alone without being described.
fn json_ld_rules(path: &str, ld: &Value, problems: &mut Vec<String>) {
    fn walk<'v>(v: &'v Value, at: &str, described: &mut Vec<&'v str>, named: &mut Vec<&'v str>, out: &mut Vec<String>) {
        match v {
            Value::Object(map) => {
                let keys: Vec<&String> = map.keys().collect();
                if keys.windows(2).any(|w| w[0] > w[1]) {
                    out.push(format!("{at}: keys out of order {keys:?}"));
                }
                if let Some(id) = map.get("@id").and_then(Value::as_str).filter(|id| id.ends_with("#id")) {
                    if map.len() == 1 { named.push(id) } else { described.push(id) }
                }
                for (k, x) in map {
                    walk(x, &format!("{at}.{k}"), described, named, out);
                }
            }
            Value::Array(items) if items.is_empty() => out.push(format!("{at}: empty array")),
            Value::Array(items) => items.iter().for_each(|x| walk(x, at, described, named, out)),
            Value::Null => out.push(format!("{at}: null")),
            Value::String(s) if s.is_empty() => out.push(format!("{at}: empty string")),
            _ => {}
        }
    }
    let (mut described, mut named, mut found) = (Vec::new(), Vec::new(), Vec::new());
    walk(ld, "", &mut described, &mut named, &mut found);
    let mut seen = std::collections::HashSet::new();
    found.extend(described.iter().filter(|id| !seen.insert(**id)).map(|id| format!("{id} described twice")));
    found.extend(named.iter().filter(|id| !seen.contains(**id)).map(|id| format!("{id} named but not described")));
    problems.extend(found.into_iter().map(|m| format!("{path}: {m}")));
}

#[test]
fn json_ld_describes_each_actor_once_and_is_stable() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    build(&repo_root(), &out, "https://example.org/reports/");
    let mut problems = Vec::new();
    let mut by_id_only = 0;
    for (path, doc) in html_pages(&out) {
        for ld in json_ld(&doc) {
            json_ld_rules(&path, &ld, &mut problems);
            by_id_only += ld.to_string().matches(r##"{"@id":"https://example.org/reports/actors/"##).count();
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert!(by_id_only > 10, "actors mentioned again are named by @id ({by_id_only} times)");
    // One page of each kind, whole: what it says is reviewed when it changes.
    for page in [
        "index.html",
        "briefings/kazan-summit-dprk-troops/index.html",
        "actors/russia/index.html",
        "forecasts/index.html",
        "briefings/index.html",
    ] {
        let doc = Html::parse_document(&read(out.join(page)));
        let ld = serde_json::to_string_pretty(&json_ld(&doc)[0]).unwrap();
        let name = page.trim_end_matches("index.html").trim_end_matches('/').replace('/', "_");
        insta::assert_snapshot!(format!("json_ld_{}", if name.is_empty() { "home" } else { &name }), ld);
    }
}
