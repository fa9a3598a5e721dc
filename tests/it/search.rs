//! Search: the index `/search-index.js` holds exactly what the search page needs, compactly;
//! every page has the header's search form; and (with Node and Chromium) the search page
//! works in a real browser, over http and from file:// (`tests/browser/search.mjs`).

use crate::support::{build_ok, fixture_copy, read, repo_root, sitpress};
use serde_json::{Value, json};
use std::path::Path;
use std::process::Command;

const PREFIX: &str = "window.SITPRESS_SEARCH_INDEX = ";

fn index(out: &Path) -> Value {
    let js = read(out.join("search-index.js"));
    let json = js.strip_prefix(PREFIX).and_then(|s| s.strip_suffix(";\n")).expect("one assignment of a JSON value");
    serde_json::from_str(json).expect("the assigned value is JSON")
}

#[test]
fn the_index_lists_briefings_claims_and_actors_as_arrays() {
    let site = fixture_copy("data-site");
    let out = build_ok(site.path());
    let ix = index(&out);
    assert_eq!(ix["v"], 1);
    assert_eq!(ix["urls"], json!({"briefing": "briefings/{id}/", "actor": "actors/{id}/", "claim": "claim-{id}"}));
    assert_eq!(ix["types"][0], json!(["report", "Report"]));
    assert_eq!(ix["types"][5], json!(["forecast", "Forecast"]));
    // Actors by id: [id, name, aliases, index of the newest briefing naming it (4 = none)].
    assert_eq!(
        ix["actors"],
        json!([
            ["aland", "Aland", "", 0],
            ["aland-mfa", "Aland Foreign Ministry", "", 1],
            ["aland-pres", "President of Aland", "", 1],
            ["bor", "Bor", "", 0],
            ["cor", "Cor Pact", "", 0],
            ["lonely", "Lonely Actor", "", 4]
        ])
    );
    // Briefings newest first (ties by id): [id, title, date, summary, tags, [actor], [tag]],
    // the actors being those tagged or named in a claim.
    assert_eq!(
        ix["briefings"],
        json!([
            ["b3", "Third", "2024-12-20", "Third briefing.", "energy", [0, 3, 4], [0]],
            ["b2", "Second", "2024-11-01", "Second briefing.", "grain, Energy", [1, 2, 4], [1, 0]],
            ["b0", "Zero", "2024-10-01", "Same day as the first.", "", [3], []],
            ["b1", "First", "2024-10-01", "First briefing.", "Grain", [0, 2, 3], [1]]
        ])
    );
    // Tags by slug, as in data.json, named as their oldest briefing writes them.
    assert_eq!(ix["tags"], json!([["energy", "Energy"], ["grain", "Grain"]]));
    // Claims: [briefing, id, type, text, quote, [by and about]].
    let claims = ix["claims"].as_array().unwrap();
    assert_eq!(claims.len(), 11);
    assert_eq!(claims[1], json!([1, "c1", 2, "The ministry denies it.", "", [1]]));
    assert_eq!(claims[5], json!([3, "c2", 1, "The president spoke about Bor.", "", [2, 3]]));
    assert_eq!(claims[7], json!([3, "c4", 5, "Bor does Y.", "", []]));
}

#[test]
fn the_index_has_plain_text_aliases_tags_quotes_and_no_drafts() {
    let site = fixture_copy("data-site");
    let root = site.path();
    std::fs::write(
        root.join("content/actors/zoe.md"),
        "---\nname: Zoë Ćirić\nkind: person\naliases: [Ćirić, \"Z. C.\"]\n---\n\nA person.\n",
    )
    .unwrap();
    std::fs::write(
        root.join("content/briefings/b4.md"),
        "---\ntitle: \"Fourth <b>\"\ndate: 2025-01-01\ntags: [energy, cyber]\nclaims:\n  - type: statement\n    \
         by: zoe\n    text: \"She *said* [it](https://example.org) `twice`.\"\n    quote: \"Ça suffit.\"\n---\n\nBody.\n",
    )
    .unwrap();
    std::fs::write(root.join("content/briefings/b5.md"), "---\ntitle: Draft\ndate: 2025-01-01\ndraft: true\n---\n")
        .unwrap();
    let out = build_ok(root);
    let ix = index(&out);
    assert_eq!(ix["actors"][6], json!(["zoe", "Zoë Ćirić", "Ćirić, Z. C.", 0]));
    // A briefing's tags as indices, in the order written.
    assert_eq!(ix["tags"], json!([["cyber", "cyber"], ["energy", "Energy"], ["grain", "Grain"]]));
    assert_eq!(ix["briefings"][0], json!(["b4", "Fourth <b>", "2025-01-01", "", "energy, cyber", [6], [1, 0]]));
    assert_eq!(ix["briefings"].as_array().unwrap().len(), 5, "the draft is left out");
    assert_eq!(ix["claims"][0], json!([0, "c1", 1, "She said it twice.", "Ça suffit.", [6]]));
    // The page exists and every page's header form searches it.
    let page = read(out.join("search/index.html"));
    assert!(page.contains(r#"<script src="../search.js"></script>"#), "{page}");
    assert!(!page.contains("search-index.js"), "the index is found by the script, from its own URL");
    let home = read(out.join("index.html"));
    assert!(
        home.contains(r#"<form class="site-search" role="search" aria-label="Site" action="search/" method="get">"#)
    );
    assert!(!home.contains("<script src="), "no page but the search page loads a script file");
}

#[test]
fn the_search_page_works_in_a_browser_over_http_and_from_file() {
    if !crate::serve::browser_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let fixture = crate::support::fixtures().join("data-site");
    let http_site = dir.path().join("http");
    let file_site = dir.path().join("file");
    let file_path = file_site.to_str().expect("a UTF-8 temp path").trim_start_matches('/');
    for (out, base) in
        [(&http_site, "https://example.org/".to_string()), (&file_site, format!("http://localhost/{file_path}/"))]
    {
        sitpress()
            .args(["build", "--quiet", "--root"])
            .arg(&fixture)
            .arg("--output")
            .arg(out)
            .args(["--base-url", &base])
            .assert()
            .success();
    }
    let run = Command::new("node")
        .arg("tests/browser/search.mjs")
        .arg("--site")
        .arg(&http_site)
        .arg("--file-site")
        .arg(&file_site)
        .current_dir(repo_root())
        .output()
        .expect("node runs");
    let stdout = String::from_utf8_lossy(&run.stdout);
    println!("{stdout}");
    assert!(run.status.success(), "search browser checks failed:\n{stdout}\n{}", String::from_utf8_lossy(&run.stderr));
}
