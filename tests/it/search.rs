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

/// The words to stem: every word of the example site's content, tricky suffix cases from the
/// Snowball rules, and each content word with common suffixes added.
fn stem_words() -> Vec<String> {
    let mut text = String::new();
    for entry in walkdir::WalkDir::new(repo_root().join("content")).sort_by_file_name() {
        let entry = entry.unwrap();
        if entry.path().extension().is_some_and(|e| e == "md") {
            text.push_str(&read(entry.path()));
            text.push('\n');
        }
    }
    let folded: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric() && c != '\'' && c != '’')
        .map(|w| w.trim_matches(|c| c == '\'' || c == '’').to_lowercase())
        .filter(|w| !w.is_empty())
        .collect();
    let mut words: std::collections::BTreeSet<String> = folded.into_iter().collect();
    let tricky = "skis skies dying lying tying idly gently ugly early only singly sky news howe atlas cosmos bias andes \
        inning innings outing canning herring earring proceed proceeds exceed succeeded generate generously general \
        communism community communities arsenal arsenic cries ties gas gaps kiwis bus pass caresses ponies ties caress \
        cats feed agreed disabled matting mating meeting milling messing meetings hoped hopping hopeful fluently \
        relational conditional rational valenci hesitanci digitizer conformabli radicalli differentli vileli \
        analogousli vietnamization predication operator feudalism decisiveness hopefulness callousness formaliti \
        sensitiviti sensibiliti triplicate formative formalize electriciti electrical hopeful goodness revival \
        allowance inference airliner gyroscopic adjustable defensible irritant replacement adjustment dependent \
        adoption homologou communism activate angulariti homologous effective bowdlerize probate rate cease \
        controll roll consign consigned consigning consignment consist consisted consistency consistent \
        consistently consisting consists consolation consolations consolatory console consoled consoles \
        consolidate consolidated consolidating consoling consolingly consols consonant consort consorted \
        consorting conspicuous conspicuously conspiracy conspirator conspirators conspire conspired conspiring \
        constable constables constance constancy constant knack knackeries knacks knag knave knaves knavish \
        kneaded kneading knee kneel kneeled kneeling kneels knees knell knelt knew knick knif knife knight \
        knightly knights knit knits knitted knitting knives knob knobs knock knocked knocker knockers knocking \
        knocks knopp knot knots lay yelling saying yes youth boyish buyer yyy 'tis o'clock russia's forces' \
        ying eying sly spying enjoyed destroying employs abbey abbeys dryly anyway happily fly flying \
        ionization dependably suspension tension fusion opinion region union";
    words.extend(tricky.split_whitespace().map(str::to_string));
    let base: Vec<String> = words.iter().filter(|w| w.chars().all(|c| c.is_ascii_lowercase())).cloned().collect();
    for w in &base {
        for suffix in
            ["s", "es", "ed", "ing", "ly", "ness", "ational", "ization", "ement", "ful", "ies", "y", "ion", "ive"]
        {
            words.insert(format!("{w}{suffix}"));
        }
    }
    words.into_iter().collect()
}

#[test]
fn the_browser_stems_every_word_as_the_build_does() {
    if Command::new("node").arg("--version").output().is_err() {
        return;
    }
    let words = stem_words();
    assert!(words.len() > 5000, "{} words", words.len());
    let mut child = Command::new("node")
        .arg("tests/browser/stem.mjs")
        .current_dir(repo_root())
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("node runs");
    let input = words.join("\n");
    std::io::Write::write_all(&mut child.stdin.take().expect("stdin"), input.as_bytes()).expect("writes the words");
    let run = child.wait_with_output().expect("node runs");
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let js = String::from_utf8(run.stdout).expect("UTF-8");
    let js: Vec<&str> = js.split('\n').collect();
    assert_eq!(js.len(), words.len());
    let differ: Vec<String> = words
        .iter()
        .zip(&js)
        .filter_map(|(w, js)| {
            let rust = sitpress::render::search::stems(w).join(" ");
            (rust != *js).then(|| format!("{w}: build {rust}, browser {js}"))
        })
        .collect();
    assert!(differ.is_empty(), "{} of {} words stem differently:\n{}", differ.len(), words.len(), differ.join("\n"));
}
