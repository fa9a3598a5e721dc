//! Analysis pages on `tests/fixtures/ledger-site` (today is 2025-01-01, `paginate: 3`): the
//! forecast ledger's numbers, contested claims and their links both ways, timelines by month,
//! and claims in an actor's feed.
//!
//! The fixture's forecasts (p is `probability`, else the term's point value):
//!
//! | forecast | authors  | term                | p    | status            | (p - o)^2 |
//! |----------|----------|---------------------|------|-------------------|-----------|
//! | f1#c1    | Ann, Ben | likely              | 0.70 | yes (in f3)       | 0.09      |
//! | f1#c2    | Ann, Ben | unlikely            | 0.40 | no (in f3)        | 0.16      |
//! | f1#c3    | Ann, Ben | very-likely         | 0.85 | no (in f3)        | 0.7225    |
//! | f2#c2    | Ann      | likely              | 0.70 | yes (in f3)       | 0.09      |
//! | f2#c3    | Ann      | almost-certain      | 0.95 | open, due 20 Jan  |           |
//! | f2#c4    | Ann      | unlikely            | 0.30 | ambiguous (in f4) |           |
//! | f2#c5    | Ann      | unlikely            | 0.30 | overdue           |           |
//! | f3#c2    | Ben      | roughly-even-chance | 0.50 | open, due 1 June  |           |
//! | f3#c3    | Ben      | likely              | 0.65 | yes (in f4)       | 0.1225    |
//!
//! Brier overall: (0.09 + 0.16 + 0.7225 + 0.09 + 0.1225) / 5 = 1.185 / 5 = 0.237.
//! Ann: (0.09 + 0.16 + 0.7225 + 0.09) / 4 = 1.0625 / 4 = 0.265625 -> 0.266; 7 forecasts.
//! Ben: (0.09 + 0.16 + 0.7225 + 0.1225) / 4 = 1.095 / 4 = 0.27375 -> 0.274; 5 forecasts.
//! Calibration: likely 3 forecasts, 3 yes, 0 no (100%); unlikely 3, 0 yes, 1 no (0%);
//! very likely 1, 0, 1 (0%); almost certain 1, 0, 0 (—); roughly even chance 1, 0, 0 (—).

use crate::support::{build_ok, fixture_copy, join_relative, read};
use scraper::{ElementRef, Html, Selector};
use std::path::Path;

/// A parsed page and its output path, so its relative links can be resolved.
struct Page {
    doc: Html,
    file: String,
}

impl std::ops::Deref for Page {
    type Target = Html;
    fn deref(&self) -> &Html {
        &self.doc
    }
}

fn page(out: &Path, path: &str) -> Page {
    Page { doc: Html::parse_document(&read(out.join(path))), file: path.to_string() }
}

fn text(e: ElementRef) -> String {
    e.text().collect::<Vec<_>>().join(" ").split_whitespace().collect::<Vec<_>>().join(" ")
}

fn all(doc: &Html, selector: &str) -> Vec<String> {
    doc.select(&Selector::parse(selector).unwrap()).map(text).collect()
}

fn one(doc: &Html, selector: &str) -> String {
    match all(doc, selector).as_slice() {
        [x] => x.clone(),
        other => panic!("want one `{selector}`, found {other:?}"),
    }
}

/// The links of `selector` on `page`, as URLs under the fixture's base path `/analysis/`.
fn hrefs(page: &Page, selector: &str) -> Vec<String> {
    let sel = Selector::parse(selector).unwrap();
    page.select(&sel)
        .filter_map(|e| e.value().attr("href"))
        .map(|h| format!("/analysis/{}", join_relative(&page.file, h).expect("inside the site")))
        .collect()
}

/// The cells of a table row, header cell included.
fn cells(doc: &Html, row: &str) -> Vec<String> {
    all(doc, &format!("{row} > th, {row} > td"))
}

#[test]
fn ledger_scores_overall_per_author_and_per_term() {
    let site = fixture_copy("ledger-site");
    let out = build_ok(site.path());
    let doc = page(&out, "forecasts/index.html");

    let stats: Vec<String> = all(&doc, ".stats > div");
    assert_eq!(stats, ["Forecasts 9", "Open 2", "Overdue 1", "Resolved 6", "Scored 5", "Brier score 0.237"], "summary");

    let authors = all(&doc, "#forecasts-authors ~ .table-wrap tbody tr");
    assert_eq!(authors, ["Ann Analyst 7 4 0.266", "Ben Brown 5 4 0.274"], "per author: forecasts, scored, Brier");

    let row = |term: &str| cells(&doc, &format!("tr.calibration__row--{term}"));
    assert_eq!(row("likely"), ["likely", "55–80%", "70%", "3", "3", "0", "100%"]);
    assert_eq!(row("unlikely"), ["unlikely", "20–45%", "30%", "3", "0", "1", "0%"]);
    assert_eq!(row("very-likely"), ["very likely", "80–95%", "85%", "1", "0", "1", "0%"]);
    assert_eq!(row("almost-certain"), ["almost certain", "95–99%", "95%", "1", "0", "0", "—"]);
    assert_eq!(row("roughly-even-chance"), ["roughly even chance", "45–55%", "50%", "1", "0", "0", "—"]);
    assert_eq!(row("almost-no-chance")[3], "0");

    // The chart is inline SVG with a name and a description carrying the same numbers.
    let svg = doc.select(&Selector::parse("svg.chart").unwrap()).next().expect("a calibration chart");
    assert_eq!(svg.value().attr("role"), Some("img"));
    assert!(one(&doc, "svg.chart title").starts_with("Calibration chart"));
    let desc = one(&doc, "svg.chart desc");
    assert!(desc.contains("likely: range 55–80%, observed 100% of 3."), "{desc}");
    assert!(desc.contains("almost certain: range 95–99%, none resolved yes or no."), "{desc}");
    assert_eq!(all(&doc, "svg.chart circle.chart__dot").len(), 1 + 3, "legend dot + three observed terms");

    // Rows: unresolved first (soonest due first), then latest resolution first.
    let rows = hrefs(&doc, "table.ledger tbody tr .ledger__note a[href*='#claim-']");
    let ids: Vec<&str> = rows.iter().map(|h| h.trim_start_matches("/analysis/briefings/")).collect();
    assert_eq!(
        ids,
        [
            "f2/#claim-c5",
            "f2/#claim-c3",
            "f3/#claim-c2",
            "f3/#claim-c3",
            "f2/#claim-c4",
            "f2/#claim-c2",
            "f1/#claim-c1",
            "f1/#claim-c2",
            "f1/#claim-c3"
        ]
    );
    // Due within 30 days is marked in words; one due in June is not.
    let due = all(&doc, "tr.ledger__row--due");
    assert_eq!(due.len(), 1);
    assert!(due[0].contains("Bor signs the accord.") && due[0].contains("Due soon"), "{due:?}");
    let statuses = all(&doc, "table.ledger tbody tr .status");
    assert_eq!(
        statuses,
        [
            "Overdue",
            "Open",
            "Open",
            "Resolved: yes",
            "Resolved: ambiguous",
            "Resolved: yes",
            "Resolved: yes",
            "Resolved: no",
            "Resolved: no"
        ]
    );
    // The probability used for scoring, marked as the point value when none was stated.
    let ambassador =
        all(&doc, "table.ledger tbody tr").into_iter().find(|r| r.contains("recalls its ambassador")).unwrap();
    assert!(ambassador.contains("p = 70% (point value)"), "{ambassador}");
    // The resolving briefing is linked.
    let resolved = all(&doc, "table.ledger tbody tr").into_iter().find(|r| r.contains("expels the attaché")).unwrap();
    assert!(resolved.contains("Year end"), "{resolved}");
    assert!(hrefs(&doc, ".ledger__resolution a").contains(&"/analysis/briefings/f4/#briefing-resolutions".to_string()));
    // Nine forecasts fit on one page: no pagination.
    assert!(!out.join("forecasts/page/2/index.html").exists());
}

#[test]
fn contested_claims_link_both_ways_and_are_listed_with_a_marker() {
    let site = fixture_copy("ledger-site");
    let out = build_ok(site.path());

    // The denial links to the claim it disputes, which carries the marker there too.
    let f2 = page(&out, "briefings/f2/index.html");
    let denial = "#claim-c1";
    assert_eq!(hrefs(&f2, &format!("{denial} .claim__links a.claimlink__ref")), ["/analysis/briefings/f1/#claim-c4"]);
    assert_eq!(all(&f2, &format!("{denial} .claim__links .contested")), ["Contested"]);

    // The disputed claim links back, and says it is contested in its head.
    let f1 = page(&out, "briefings/f1/index.html");
    assert_eq!(one(&f1, "#claim-c4 .claim__head .contested"), "Contested");
    assert!(all(&f1, "#claim-c1 .claim__head .contested").is_empty(), "uncontested claims have no marker");
    let back = hrefs(&f1, "#claim-c4 .claim__links a.claimlink__ref");
    assert!(back.contains(&"/analysis/briefings/f2/#claim-c1".to_string()), "{back:?}");

    // /disputes/ lists it with the marker, the denial against it and the later corroboration.
    let d = page(&out, "disputes/index.html");
    let entries = all(&d, "article.dispute");
    assert_eq!(entries.len(), 1);
    assert_eq!(one(&d, "article.dispute .claim__head .contested"), "Contested");
    assert!(entries[0].contains("Bor calls up its reserves."), "{entries:?}");
    let links = hrefs(&d, "article.dispute a");
    for want in
        ["/analysis/briefings/f1/#claim-c4", "/analysis/briefings/f2/#claim-c1", "/analysis/briefings/f3/#claim-c1"]
    {
        assert!(links.contains(&want.to_string()), "{want} in {links:?}");
    }
    assert!(entries[0].contains("Disputed by Aland Foreign Ministry"), "{entries:?}");
    assert!(entries[0].contains("The ministry says Bor called up no reserves."), "{entries:?}");
    assert!(entries[0].contains("Corroborated since by Report Satellite images show"));
    assert_eq!(hrefs(&d, ".site-nav a[aria-current=page]"), ["/analysis/disputes/"]);
}

#[test]
fn timelines_group_by_month_newest_first_and_paginate() {
    let site = fixture_copy("ledger-site");
    let out = build_ok(site.path());

    // The site timeline: whole months, at least `paginate` (3) entries a page.
    let months = |path: &str| all(&page(&out, path), ".tl-month__title");
    let lines = |path: &str| all(&page(&out, path), ".tl__entry");
    assert_eq!(months("timeline/index.html"), ["December 2024"]);
    assert_eq!(
        lines("timeline/index.html"),
        [
            "28 Dec Briefing Year end",
            "20 Dec Briefing Images confirm",
            "19 Dec Report Satellite images show empty reserve depots in Bor."
        ]
    );
    assert_eq!(months("timeline/page/2/index.html"), ["September 2024", "June 2024"]);
    assert_eq!(
        lines("timeline/page/2/index.html"),
        [
            "15 Sep Briefing Aland denies",
            "14 Sep Denial The ministry says Bor called up no reserves.",
            "1 Jun Briefing Bor mobilises"
        ]
    );
    assert_eq!(months("timeline/page/3/index.html"), ["May 2024"]);
    assert_eq!(lines("timeline/page/3/index.html"), ["30 May Report Contested Bor calls up its reserves."]);
    assert!(!out.join("timeline/page/4/index.html").exists());
    let p2 = page(&out, "timeline/page/2/index.html");
    assert_eq!(hrefs(&p2, "a[rel=prev]"), ["/analysis/timeline/"]);
    assert_eq!(hrefs(&p2, "a[rel=next]"), ["/analysis/timeline/page/3/"]);

    // A dossier: its briefings and its dated claims (about it, or by it and its parts).
    let bor = page(&out, "actors/bor/index.html");
    assert_eq!(
        all(&bor, "#dossier-timeline .tl-month__title"),
        ["December 2024", "September 2024", "June 2024", "May 2024"]
    );
    assert_eq!(
        all(&bor, "#dossier-timeline .tl__entry"),
        [
            "20 Dec Briefing Images confirm",
            "19 Dec Report Satellite images show empty reserve depots in Bor.",
            "15 Sep Briefing Aland denies",
            "1 Jun Briefing Bor mobilises",
            "30 May Report Contested Bor calls up its reserves."
        ]
    );
    let aland = page(&out, "actors/aland/index.html");
    assert_eq!(
        all(&aland, "#dossier-timeline .tl__entry"),
        [
            "28 Dec Briefing Year end",
            "15 Sep Briefing Aland denies",
            "14 Sep Denial The ministry says Bor called up no reserves."
        ],
        "the ministry's denial rolls up to Aland"
    );

    // The dossier's forecasts, open and resolved apart.
    assert_eq!(all(&bor, "#dossier-forecasts h3"), ["Open", "Resolved"]);
    let open = all(&bor, "#dossier-forecasts-open + .table-wrap tbody tr");
    assert!(open.len() == 1 && open[0].contains("Bor signs the accord."), "{open:?}");
    let resolved = all(&bor, "#dossier-forecasts-resolved + .table-wrap tbody tr");
    assert!(resolved.len() == 1 && resolved[0].contains("Bor closes the border."), "{resolved:?}");
}

#[test]
fn actor_feed_carries_claims_about_the_actor() {
    let site = fixture_copy("ledger-site");
    let out = build_ok(site.path());
    let xml = read(out.join("actors/bor/atom.xml"));
    let feed = atom_syndication::Feed::read_from(xml.as_bytes()).expect("valid Atom");
    let ids: Vec<&str> = feed.entries().iter().map(|e| e.id()).collect();
    let base = "https://example.org/analysis/briefings/";
    assert_eq!(
        ids,
        [
            format!("{base}f3/"),
            format!("{base}f3/#claim-c1"),
            format!("{base}f2/"),
            format!("{base}f2/#claim-c3"),
            format!("{base}f1/"),
            format!("{base}f1/#claim-c1"),
            format!("{base}f1/#claim-c4"),
        ]
    );
    let claim = &feed.entries()[1];
    assert_eq!(claim.title().as_str(), "Report: Satellite images show empty reserve depots in Bor.");
    assert_eq!(claim.links()[0].href(), format!("{base}f3/#claim-c1"));
    assert_eq!(claim.published().map(|d| d.to_rfc3339()), Some("2024-12-20T00:00:00+00:00".to_string()));
    // The site feed stays a feed of briefings.
    let site_feed = atom_syndication::Feed::read_from(read(out.join("atom.xml")).as_bytes()).unwrap();
    assert!(site_feed.entries().iter().all(|e| !e.id().contains('#')));
}
