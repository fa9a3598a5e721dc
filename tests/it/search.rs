//! Search: the index under `/search-index/` (a manifest, term files, document files, facet
//! columns) holds what the search page needs, stably named and the same on every build;
//! every page has the header's search form; the browser's stemmer agrees with the build's;
//! and (with Node and Chromium) the search page works in a real browser, over http and from
//! file:// (`tests/browser/search.mjs`).

use crate::support::{build_ok, fixture_copy, read, repo_root, sitpress};
use serde_json::{Value, json};
use std::path::Path;
use std::process::Command;

/// The value an index file registers: `SITPRESS_SEARCH("name",value);`.
fn registered(out: &Path, file: &str, name: &str) -> Value {
    let js = read(out.join("search-index").join(file));
    let prefix = format!("SITPRESS_SEARCH({},", serde_json::to_string(name).unwrap());
    let json = js.strip_prefix(&prefix).and_then(|s| s.strip_suffix(");\n")).unwrap_or_else(|| panic!("{file}: {js}"));
    serde_json::from_str(json).expect("the registered value is JSON")
}

/// Numbers as the index writes them: base 32, continuation digits from the upper half.
fn nums(s: &str) -> Vec<u64> {
    const DIGITS: &str = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";
    let mut out = Vec::new();
    let mut v = 0;
    for c in s.chars() {
        let d = DIGITS.find(c).expect("a digit") as u64;
        if d >= 32 {
            v = v * 32 + d - 32;
        } else {
            out.push(v * 32 + d);
            v = 0;
        }
    }
    out
}

/// A term's postings: (document, impact), documents absolute.
fn postings(out: &Path, key: &str, term: &str) -> Vec<(u64, u64)> {
    // Letters a-z and digits as they are, others as their code point in hex between `_`.
    let file: String = key
        .chars()
        .map(|c| if c.is_ascii_lowercase() || c.is_ascii_digit() { c.to_string() } else { format!("_{:x}_", c as u32) })
        .collect();
    let shard = registered(out, &format!("t/{file}.js"), &format!("t/{key}"));
    let p = shard.as_array().unwrap().iter().find(|t| t[0] == term).unwrap_or_else(|| panic!("{term} in {shard}"));
    let v = nums(p[1].as_str().unwrap());
    let mut doc = 0;
    v.chunks(2)
        .map(|pair| {
            doc += pair[0];
            (doc, pair[1])
        })
        .collect()
}

/// Every document record, in order.
fn documents(out: &Path) -> Vec<Value> {
    let m = registered(out, "manifest.js", "manifest");
    let chunk = m["chunk"].as_u64().unwrap() as usize;
    let docs = m["docs"].as_u64().unwrap() as usize;
    let mut all = Vec::new();
    for n in 0..docs.div_ceil(chunk) {
        all.extend(registered(out, &format!("d/{n}.js"), &format!("d/{n}")).as_array().unwrap().iter().cloned());
    }
    assert_eq!(all.len(), docs);
    all
}

#[test]
fn the_index_is_a_manifest_term_files_documents_and_facets() {
    let site = fixture_copy("data-site");
    let out = build_ok(site.path());
    let m = registered(&out, "manifest.js", "manifest");
    assert_eq!(m["v"], 2);
    assert_eq!(m["urls"], json!({"briefing": "briefings/{id}/", "actor": "actors/{id}/", "claim": "claim-{id}"}));
    assert_eq!(m["types"][5], json!(["forecast", "Forecast"]));
    // Actors by id with their parent's index.
    assert_eq!(m["actors"][1], json!(["aland-mfa", "Aland Foreign Ministry", 0]));
    assert_eq!(m["actors"][3], json!(["bor", "Bor", -1]));
    assert_eq!(m["tags"], json!([["energy", "Energy"], ["grain", "Grain"]]));
    // Display order: an actor before the newest briefing naming it, a briefing before its
    // claims, newest first; actors named by none last.
    let docs = documents(&out);
    let heads: Vec<String> = docs.iter().map(|d| format!("{}:{}", d[0], d[1].as_str().unwrap())).take(6).collect();
    assert_eq!(heads, ["0:aland", "0:bor", "0:cor", "1:b3", "2:c1", "0:aland-mfa"]);
    assert_eq!(docs.last().unwrap()[1], "lonely");
    assert_eq!(docs[3], json!([1, "b3", "Third", "2024-12-20", "Third briefing.", "Body."]));
    let claim = docs.iter().find(|d| d[0] == 2 && d[3] == "The president spoke about Bor.").unwrap();
    assert_eq!(claim, &json!([2, "c2", 1, "The president spoke about Bor.", "", "b1", "First", "2024-10-01"]));
    // "bor": the actor named Bor scores highest (a title match, in a one-word title).
    let bor = postings(&out, "b", "bor");
    let best = bor.iter().max_by_key(|p| p.1).unwrap();
    assert_eq!(docs[best.0 as usize][2], "Bor");
    assert!(bor.len() >= 5, "{bor:?}");
    // Facets: a kind per document, 2 + type for a claim.
    let f = registered(&out, "facets.js", "facets");
    let kinds = nums(f["k"].as_str().unwrap());
    assert_eq!(kinds.len(), docs.len());
    for (k, d) in kinds.iter().zip(&docs) {
        let want = if d[0] == 2 { 2 + d[2].as_u64().unwrap() } else { d[0].as_u64().unwrap() };
        assert_eq!(*k, want, "{d}");
    }
    // Days: 2024-12-20 is day 20077; then zigzag differences, newest first.
    let days = nums(f["d"].as_str().unwrap());
    assert_eq!(days[0], 20077 * 2);
    assert_eq!(days[1], (20077 - 20028) * 2 - 1, "2024-11-01, 49 days before");
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
         by: zoe\n    text: \"She *said* [it](https://example.org) `twice` in Москва.\"\n    quote: \"Ça suffit.\"\n---\n\n\
         ## Body {#top}\n\nSaid ~~once~~ *twice*, then [a link](https://example.org/).\n\n\
         | a | b |\n|---|---|\n| 1 | 2 |\n\n<div>raw</div>\n",
    )
    .unwrap();
    std::fs::write(root.join("content/briefings/b5.md"), "---\ntitle: Draft\ndate: 2025-01-01\ndraft: true\n---\n")
        .unwrap();
    let out = build_ok(root);
    let docs = documents(&out);
    assert_eq!(docs[0], json!([0, "zoe", "Zoë Ćirić", "Ćirić, Z. C."]));
    // The body's text as its page shows it: no heading attribute, struck text kept, one space
    // between words and cells, no raw HTML.
    assert_eq!(docs[1], json!([1, "b4", "Fourth <b>", "2025-01-01", "", "Body Said once twice, then a link. a b 1 2"]));
    assert_eq!(
        docs[2],
        json!([2, "c1", 1, "She said it twice in Москва.", "Ça suffit.", "b4", "Fourth <b>", "2025-01-01"])
    );
    assert!(!docs.iter().any(|d| d[2] == "Draft"), "the draft is left out");
    let raw = read(out.join("search-index/d/0.js"));
    assert!(raw.contains(r"Fourth \u003cb\u003e") && !raw.contains('<'), "text is inert in a script: {raw}");
    // Terms are folded and stemmed; every file name is ASCII, lower case, safe.
    let m = registered(&out, "manifest.js", "manifest");
    let keys: Vec<&str> = m["keys"].as_array().unwrap().iter().map(|k| k.as_str().unwrap()).collect();
    assert!(keys.contains(&"м"), "{keys:?}");
    assert!(out.join("search-index/t/_43c_.js").is_file());
    assert_eq!(postings(&out, "м", "москва").len(), 1);
    assert_eq!(postings(&out, "c", "ciric").len(), 1, "Ćirić folds to ciric");
    assert_eq!(postings(&out, "s", "suffit").len(), 1, "the quote is indexed");
    for (path, _) in crate::support::read_tree(&out.join("search-index")) {
        assert!(
            path.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"_/.".contains(&b)),
            "{path} is not a safe file name"
        );
    }
    // The sitemap lists pages only.
    assert!(!read(out.join("sitemap.xml")).contains("search-index"));
    // The page exists and every page's header form searches it.
    let page = read(out.join("search/index.html"));
    assert!(page.contains(r#"<script src="../search.js"></script>"#), "{page}");
    assert!(!page.contains("search-index"), "the index is found by the script, from its own URL");
    let home = read(out.join("index.html"));
    assert!(
        home.contains(r#"<form class="site-search" role="search" aria-label="Site" action="search/" method="get">"#)
    );
    assert!(
        !home.contains("search.js") && !home.contains("search-index"),
        "no page but the search page loads the search script or its index"
    );
}

#[test]
fn the_index_is_the_same_on_every_build() {
    let site = fixture_copy("data-site");
    let a = crate::support::read_tree(&build_ok(site.path()).join("search-index"));
    let dir = tempfile::tempdir().unwrap();
    let again = dir.path().join("again");
    sitpress().args(["build", "--quiet", "--root"]).arg(site.path()).arg("--output").arg(&again).assert().success();
    assert_eq!(a, crate::support::read_tree(&again.join("search-index")));
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
            let rust = sitpress::internals::stems(w).join(" ");
            (rust != *js).then(|| format!("{w}: build {rust}, browser {js}"))
        })
        .collect();
    assert!(differ.is_empty(), "{} of {} words stem differently:\n{}", differ.len(), words.len(), differ.join("\n"));
}
