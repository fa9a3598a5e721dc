//! Tags: one tag per slug across briefings, named as its oldest briefing spells it, with its
//! pages, its feed and its entry in data.json; drafts count only with `--drafts`.
//!
//! The fixture (tests/fixtures/tags-site, `paginate: 2`): `old` (2024-01-10) tags `Nuclear`
//! and `Energy`; `mid` (2024-03-01) `NUCLEAR` and `nuclear`; `new` (2024-06-01) `nuclear` and
//! `Arms Control`; the draft `secret` (2024-07-01) `nuclear` and `Secret Plans`. `tie-a.md`
//! (id `zz-tie`) and `tie-b.md` (id `aa-tie`) share a date and tag `Cyber` and `CYBER`: the
//! name comes from the first file in path order, though `aa-tie` comes first in site order.

use crate::support::{fixture_copy, read, sitpress};
use scraper::{Html, Selector};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

const BASE: &str = "https://example.org/reports/";

fn build(root: &Path, drafts: bool) -> PathBuf {
    let out = root.join("out");
    let mut cmd = sitpress();
    cmd.args(["build", "--quiet", "--root"]).arg(root).arg("--output").arg(&out);
    if drafts {
        cmd.arg("--drafts");
    }
    cmd.assert().success();
    out
}

fn data(out: &Path) -> Value {
    serde_json::from_str(&read(out.join("data.json"))).expect("data.json is JSON")
}

fn texts(html: &str, selector: &str) -> Vec<String> {
    let doc = Html::parse_document(html);
    let sel = Selector::parse(selector).unwrap();
    doc.select(&sel).map(|e| e.text().collect::<String>().trim().to_string()).collect()
}

fn hrefs(html: &str, selector: &str) -> Vec<String> {
    let doc = Html::parse_document(html);
    let sel = Selector::parse(selector).unwrap();
    doc.select(&sel).filter_map(|e| e.value().attr("href").map(str::to_string)).collect()
}

#[test]
fn data_json_lists_each_tag_once_by_slug_with_its_oldest_spelling() {
    let site = fixture_copy("tags-site");
    let d = data(&build(site.path(), false));
    assert_eq!(
        d["tags"],
        json!([
            {"slug": "arms-control", "name": "Arms Control", "briefings": ["new"]},
            {"slug": "cyber", "name": "Cyber", "briefings": ["aa-tie", "zz-tie"]},
            {"slug": "energy", "name": "Energy", "briefings": ["old"]},
            {"slug": "nuclear", "name": "Nuclear", "briefings": ["new", "mid", "old"]}
        ])
    );
}

#[test]
fn drafts_and_their_tags_count_only_with_drafts() {
    let site = fixture_copy("tags-site");
    let out = build(site.path(), false);
    let everything: String = crate::support::read_tree(&out)
        .into_iter()
        .filter(|(p, _)| !p.ends_with(".css") && !p.ends_with(".js") || p.starts_with("search-index/"))
        .map(|(_, bytes)| String::from_utf8_lossy(&bytes).into_owned())
        .collect();
    assert!(!everything.contains("Secret"), "the draft's title and tag appear nowhere");
    assert!(!out.join("tags/secret-plans").exists());

    let d = data(&build(site.path(), true));
    let nuclear = d["tags"].as_array().unwrap().iter().find(|t| t["slug"] == "nuclear").unwrap();
    assert_eq!(nuclear["briefings"], json!(["secret", "new", "mid", "old"]));
    assert_eq!(nuclear["name"], "Nuclear", "the newest spelling does not rename the tag");
    assert!(
        d["tags"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t == &json!({"slug": "secret-plans", "name": "Secret Plans", "briefings": ["secret"]}))
    );
}

#[test]
fn the_tag_index_and_tag_pages_list_briefings_newest_first_in_pages() {
    let site = fixture_copy("tags-site");
    let out = build(site.path(), false);

    let index = read(out.join("tags/index.html"));
    assert_eq!(texts(&index, ".tag-index a"), ["Arms Control", "Cyber", "Energy", "Nuclear"], "alphabetical");
    assert_eq!(texts(&index, ".tag-index .count"), ["1 briefing", "2 briefings", "1 briefing", "3 briefings"]);
    assert_eq!(hrefs(&index, ".tag-index a")[3], "../tags/nuclear/");

    let first = read(out.join("tags/nuclear/index.html"));
    assert_eq!(texts(&first, "h1"), ["Nuclear"]);
    assert_eq!(texts(&first, ".card__title"), ["Newest", "Middle"], "`paginate: 2` briefings, newest first");
    assert_eq!(hrefs(&first, r#"a[rel="next"]"#), ["../../tags/nuclear/page/2/"]);
    assert_eq!(hrefs(&first, r#"link[rel="alternate"][title^="Tag: Nuclear"]"#), ["../../tags/nuclear/atom.xml"]);
    let second = read(out.join("tags/nuclear/page/2/index.html"));
    assert_eq!(texts(&second, ".card__title"), ["Oldest"]);
    assert_eq!(hrefs(&second, r#"a[rel="prev"]"#), ["../../../../tags/nuclear/"]);
    assert_eq!(
        texts(&read(out.join("tags/cyber/index.html")), ".card__title"),
        ["Tie, second file", "Tie, first file"]
    );

    // Every page's footer links the index; the sitemap lists every tag page.
    assert!(hrefs(&read(out.join("index.html")), ".site-footer a").contains(&"tags/".to_string()));
    let sitemap = read(out.join("sitemap.xml"));
    for page in ["tags/", "tags/nuclear/", "tags/nuclear/page/2/", "tags/arms-control/"] {
        assert!(sitemap.contains(&format!("<loc>{BASE}{page}</loc>")), "{page} in the sitemap");
    }
}

#[test]
fn briefings_link_their_tags_by_the_sites_name() {
    let site = fixture_copy("tags-site");
    let out = build(site.path(), false);
    // `new` writes `nuclear`; the tag is `Nuclear` everywhere. `mid` writes it twice: once.
    let new = read(out.join("briefings/new/index.html"));
    assert_eq!(texts(&new, ".facts a.tag"), ["Nuclear", "Arms Control"]);
    assert_eq!(hrefs(&new, ".facts a.tag"), ["../../tags/nuclear/", "../../tags/arms-control/"]);
    let list = read(out.join("briefings/index.html"));
    assert_eq!(hrefs(&list, ".card__tags a")[..2], ["../tags/nuclear/", "../tags/arms-control/"]);
    assert_eq!(texts(&read(out.join("briefings/mid/index.html")), ".facts a.tag"), ["Nuclear"]);
    let problems = crate::build::broken_links(&out, BASE);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn a_tag_feed_is_atom_of_its_briefings_newest_first() {
    let site = fixture_copy("tags-site");
    let out = build(site.path(), false);
    let feed = read(out.join("tags/nuclear/atom.xml"));
    assert!(feed.contains("<title>Nuclear · Tags fixture</title>"), "{feed}");
    assert!(feed.contains(&format!("<id>{BASE}tags/nuclear/atom.xml</id>")));
    assert!(feed.contains("<updated>2024-06-01T00:00:00+00:00</updated>"), "the newest briefing's date, not now");
    let ids: Vec<&str> =
        feed.split("<entry>").skip(1).filter_map(|e| e.split("<id>").nth(1)?.split("</id>").next()).collect();
    let want: Vec<String> = ["new", "mid", "old"].iter().map(|b| format!("{BASE}briefings/{b}/")).collect();
    assert_eq!(ids, want);
    let again = fixture_copy("tags-site");
    assert_eq!(read(build(again.path(), false).join("tags/nuclear/atom.xml")), feed, "deterministic");
}
