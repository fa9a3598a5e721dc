//! How judgments change, on `tests/fixtures/judgments-site`: questions (chains of `updates`),
//! their time-averaged Brier scores overall and per author, judgments (chains of `revises`)
//! and alternatives, in data.json and on the pages, against numbers worked out by hand from
//! docs/format.md.
//!
//! The fixture (days counted from 2024-01-01, the date of q1):
//!
//! | briefing | date (day)      | authors  | forecasts                                   |
//! |----------|-----------------|----------|---------------------------------------------|
//! | q1       | 2024-01-01 (0)  | Ana      | c1 likely (p 0.70); c2 p 0.20               |
//! | q2       | 2024-01-11 (10) | Ben      | c1 p 0.90 updates q1#c1; c3 p 0.60          |
//! | q3       | 2024-01-21 (20) | Ana, Ben | c1 p 0.30 updates q2#c3                     |
//! | r        | 2024-02-10 (40) | Ana      | resolves q1#c1 yes, q1#c2 no, q3#c1 no      |
//!
//! Question q1#c1 = [q1#c1, q2#c1], resolved yes through its first forecast, days [0, 40):
//!   days 0-9 stand at 0.70 (error 0.09), days 10-39 at 0.90 (error 0.01):
//!   (10 * 0.09 + 30 * 0.01) / 40 = 1.2 / 40 = 0.03.
//! Question q1#c2 = [q1#c2], resolved no: (0.2 - 0)^2 = 0.04, as in v1.
//! Question q2#c3 = [q2#c3, q3#c1], resolved no through its latest forecast, days [10, 40):
//!   days 10-19 at 0.60 (0.36), days 20-39 at 0.30 (0.09): (10 * 0.36 + 20 * 0.09) / 30 = 0.18.
//! Site: (0.03 + 0.04 + 0.18) / 3 = 0.25 / 3 = 0.0833...
//! Ana (q1, q3): q1#c1 on days 0-9 only: 0.09; q1#c2: 0.04; q2#c3 on days 20-39 only: 0.09;
//!   (0.09 + 0.04 + 0.09) / 3 = 0.22 / 3 = 0.0733...; 3 forecasts (q1#c1, q1#c2, q3#c1).
//! Ben (q2, q3): q1#c1 on days 10-39: 0.01; q2#c3 on all its days: 0.18; (0.01 + 0.18) / 2 =
//!   0.095; 3 forecasts (q2#c1, q2#c3, q3#c1).
//! v1 would have scored five forecasts: (0.09 + 0.01 + 0.04 + 0.36 + 0.09) / 5 = 0.118.
//!
//! Judgment: q1#c3 (likely, moderate) revised by q2#c2 (very likely, high).

use crate::support::{fixture_copy, read, sitpress};
use serde_json::{Value, json};
use std::path::PathBuf;

fn build() -> (tempfile::TempDir, PathBuf) {
    let site = fixture_copy("judgments-site");
    let out = site.path().join("out");
    sitpress().args(["build", "--quiet", "--root"]).arg(site.path()).arg("--output").arg(&out).assert().success();
    (site, out)
}

fn data() -> Value {
    let (_site, out) = build();
    serde_json::from_str(&read(out.join("data.json"))).expect("data.json is JSON")
}

fn find<'a>(list: &'a Value, id: &str) -> &'a Value {
    list.as_array().expect("array").iter().find(|x| x["id"] == id).unwrap_or_else(|| panic!("no `{id}`"))
}

fn close(v: &Value, want: f64) -> bool {
    v.as_f64().is_some_and(|x| (x - want).abs() < 1e-9)
}

#[test]
fn questions_and_time_averaged_scores_in_data_json() {
    let d = data();
    let f = &d["forecasts"];
    assert_eq!((f["total"].clone(), f["questions"].clone()), (json!(5), json!(3)));
    assert_eq!((f["resolved"].clone(), f["scored"].clone()), (json!(5), json!(5)), "per forecast, as in v1");
    assert!(close(&f["brier"], 0.25 / 3.0), "site score {}", f["brier"]);

    let q = d["questions"].as_array().expect("questions");
    let ids: Vec<&str> = q.iter().map(|q| q["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["q1#c1", "q1#c2", "q2#c3"], "ordered by id");
    assert_eq!(q[0]["forecasts"], json!(["q1#c1", "q2#c1"]), "oldest first");
    assert_eq!(q[0]["status"], "yes");
    assert!(close(&q[0]["brier"], 0.03), "{}", q[0]["brier"]);
    assert_eq!(q[1]["forecasts"], json!(["q1#c2"]));
    assert!(close(&q[1]["brier"], 0.04), "a lone forecast scores as in v1: {}", q[1]["brier"]);
    assert_eq!(q[2]["forecasts"], json!(["q2#c3", "q3#c1"]));
    assert_eq!(q[2]["status"], "no", "resolved through its latest forecast");
    assert!(close(&q[2]["brier"], 0.18), "{}", q[2]["brier"]);
}

#[test]
fn claims_carry_their_chains_in_data_json() {
    let d = data();
    let claims = &d["claims"];
    let first = find(claims, "q1#c1");
    assert_eq!(first["updates"], Value::Null);
    assert_eq!(first["updated_by"], "q2#c1");
    assert_eq!(first["question"], "q1#c1");
    assert_eq!(first["status"], "yes", "every forecast shows its question's status");
    assert_eq!(
        first["alternatives"],
        json!([{"text": "The ceasefire collapses before June.", "likelihood": "unlikely", "probability": null}])
    );
    let update = find(claims, "q2#c1");
    assert_eq!(update["updates"], "q1#c1");
    assert_eq!(update["question"], "q1#c1");
    assert_eq!(update["change"], "Both sides withdrew heavy weapons.");
    assert_eq!(find(claims, "q2#c3")["status"], "no", "the first forecast of a question resolved through its latest");

    let revised = find(claims, "q1#c3");
    assert_eq!((revised["revised_by"].clone(), revised["revises"].clone()), (json!("q2#c2"), Value::Null));
    assert_eq!(revised["question"], Value::Null, "assessments belong to no question");
    let revision = find(claims, "q2#c2");
    assert_eq!(revision["revises"], "q1#c3");
    assert_eq!(revision["change"], "Its delegation tabled a draft treaty.");
    assert_eq!(revision["alternatives"], json!([]));
    assert_eq!(revision["status"], Value::Null);
}

#[test]
fn ledger_scores_authors_over_their_days() {
    let (_site, out) = build();
    let html = read(out.join("forecasts/index.html"));
    // 0.0733 and 0.095, and the site's 0.0833, to three decimals.
    assert!(
        html.contains(
            r#"<tr><th scope="row">Ana</th><td class="num">3</td><td class="num">3</td><td class="num">0.073</td></tr>"#
        ),
        "{html}"
    );
    assert!(
        html.contains(
            r#"<tr><th scope="row">Ben</th><td class="num">3</td><td class="num">2</td><td class="num">0.095</td></tr>"#
        ),
        "{html}"
    );
    assert!(html.contains(r#"<dt>Brier score</dt><dd>0.083</dd>"#), "{html}");
}

fn doc(out: &std::path::Path, path: &str) -> scraper::Html {
    scraper::Html::parse_document(&read(out.join(path)))
}

/// The whitespace-normalised text of every match of `selector`.
fn texts(doc: &scraper::Html, selector: &str) -> Vec<String> {
    let sel = scraper::Selector::parse(selector).expect("selector");
    doc.select(&sel).map(|e| e.text().collect::<String>().split_whitespace().collect::<Vec<_>>().join(" ")).collect()
}

fn attrs(doc: &scraper::Html, selector: &str, attr: &str) -> Vec<String> {
    let sel = scraper::Selector::parse(selector).expect("selector");
    doc.select(&sel).filter_map(|e| e.value().attr(attr)).map(str::to_string).collect()
}

#[test]
fn ledger_lists_questions_and_links_each_page() {
    let (_site, out) = build();
    let ledger = doc(&out, "forecasts/index.html");
    let rows = texts(&ledger, "table.ledger tbody tr");
    assert_eq!(rows.len(), 3, "one row per question, not per forecast: {rows:#?}");
    // Each row is its question's latest forecast, all resolved in r, so in site order.
    let briefings = attrs(&ledger, "table.ledger tbody tr .ledger__note a[href*='#claim-']", "href");
    assert_eq!(briefings, ["../briefings/q3/#claim-c1", "../briefings/q2/#claim-c1", "../briefings/q1/#claim-c2"]);
    let questions = attrs(&ledger, "table.ledger tbody tr .ledger__note a[href^='../forecasts/']", "href");
    assert_eq!(questions, ["../forecasts/q2/c3/", "../forecasts/q1/c1/", "../forecasts/q1/c2/"]);
    assert!(rows.iter().all(|r| !r.contains("Superseded")), "{rows:#?}");
    assert!(
        texts(&ledger, ".note").iter().any(|n| n.contains("time-averaged") && n.contains("3 in all, from 5 forecasts"))
    );
}

#[test]
fn a_question_page_shows_every_forecast_a_step_chart_and_the_score() {
    let (_site, out) = build();
    let q = doc(&out, "forecasts/q1/c1/index.html");
    let svg = scraper::Selector::parse("svg.chart--steps").unwrap();
    let chart = q.select(&svg).next().expect("a step chart");
    assert_eq!(chart.value().attr("role"), Some("img"));
    assert_eq!(texts(&q, "svg.chart--steps title"), ["Probability over time"]);
    assert_eq!(
        texts(&q, "svg.chart--steps desc"),
        [
            "Probability over time: 70% from 1 January 2024; 90% from 11 January 2024. Resolves by 30 June 2024. Resolved yes on 10 February 2024."
        ]
    );
    // Two steps: 70% until day 10, then 90% until the resolution.
    assert_eq!(attrs(&q, "path.chart__step", "d"), ["M48.0 72.8 H79.4 V37.6 H173.5"]);
    assert_eq!(attrs(&q, "line.chart__resolution", "x1"), ["173.5"]);
    assert_eq!(attrs(&q, "line.chart__due", "x1"), ["616.0"]);
    let rows = texts(&q, "table.history tbody tr");
    assert_eq!(
        rows,
        [
            "1 January 2024 likely (55–80%) 70% (point value) — Ana First estimate",
            "11 January 2024 very likely (80–95%) 90% — Ben Both sides withdrew heavy weapons."
        ]
    );
    assert_eq!(texts(&q, ".stats__brier dd"), ["0.030"]);
    assert!(texts(&q, ".note").iter().any(|n| n.contains("over the 40 days")));
    // The resolution's note ends its sentence once, with the note's own full stop.
    let html = std::fs::read_to_string(out.join("forecasts/q1/c1/index.html")).unwrap();
    assert!(html.contains(": Talks resumed on 10 February.</p>"), "{html}");

    // Resolved through its latest forecast: the page of the first shows it.
    let c = doc(&out, "forecasts/q2/c3/index.html");
    assert_eq!(texts(&c, ".stats__brier dd"), ["0.180"]);
    assert_eq!(texts(&c, "table.history tbody tr").len(), 2);
    // An open question is not scored yet, and has no resolution line.
    let single = doc(&out, "forecasts/q1/c2/index.html");
    assert_eq!(texts(&single, ".stats__brier dd"), ["0.040"], "a lone forecast scores as in v1");
}

#[test]
fn briefing_pages_link_each_forecast_to_its_question_both_ways() {
    let (_site, out) = build();
    let q1 = doc(&out, "briefings/q1/index.html");
    let first = texts(&q1, "#claim-c1");
    assert_eq!(first.len(), 1);
    assert!(first[0].contains("Forecast 1 of 2") && first[0].contains("Superseded"), "{first:?}");
    assert!(
        first[0].contains("Superseded by Forecast The ceasefire holds through June. Talks make progress"),
        "{first:?}"
    );
    assert_eq!(
        attrs(&q1, "#claim-c1 .claim__change--later a.claimlink__ref", "href"),
        ["../../briefings/q2/#claim-c1"]
    );
    assert!(attrs(&q1, "#claim-c1 a", "href").contains(&"../../forecasts/q1/c1/".to_string()));
    assert_eq!(
        texts(&q1, "#claim-c1 .claim__alternatives li"),
        ["The ceasefire collapses before June. (unlikely, 20–45%)"]
    );
    assert_eq!(texts(&q1, "#claim-c3 .claim__alternatives .label"), ["Alternatives considered"]);
    assert_eq!(texts(&q1, "#claim-c3 .claim__alternatives li"), ["Aland is stalling for time. (25%)"]);

    let q2 = doc(&out, "briefings/q2/index.html");
    let update = texts(&q2, "#claim-c1 .claim__change");
    assert_eq!(update, ["Updated from likely on 1 January 2024. Why: Both sides withdrew heavy weapons."]);
    assert_eq!(attrs(&q2, "#claim-c1 .claim__change a", "href"), ["../../briefings/q1/#claim-c1"]);
    assert!(!texts(&q2, "#claim-c1").concat().contains("Superseded"), "the latest forecast is not superseded");
}

#[test]
fn judgments_show_each_revision_and_where_it_came_from() {
    let (_site, out) = build();
    let q2 = doc(&out, "briefings/q2/index.html");
    let revision = texts(&q2, "#claim-c2 .claim__change");
    assert_eq!(
        revision[0],
        "Revised from likely (moderate confidence) on 1 January 2024. Why: Its delegation tabled a draft treaty."
    );
    let q1 = doc(&out, "briefings/q1/index.html");
    assert_eq!(
        attrs(&q1, "#claim-c3 .claim__change--later a.claimlink__ref", "href"),
        ["../../briefings/q2/#claim-c2"]
    );
    assert!(attrs(&q1, "#claim-c3 a", "href").contains(&"../../judgments/#judgment-q1.c3".to_string()));

    let page = doc(&out, "judgments/index.html");
    assert_eq!(attrs(&page, "article.judgment", "id"), ["judgment-q1.c3"]);
    assert_eq!(
        texts(&page, "article.judgment tbody tr"),
        [
            "1 January 2024 Aland wants a settlement. likely (55–80%) Moderate Ana First estimate",
            "11 January 2024 Aland wants a settlement. very likely (80–95%) High Ben Its delegation tabled a draft treaty."
        ]
    );
    let dossier = doc(&out, "actors/aland/index.html");
    assert_eq!(attrs(&dossier, "#dossier-judgments article.judgment", "id"), ["judgment-q1.c3"]);
}
