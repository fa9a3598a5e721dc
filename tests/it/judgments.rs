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
    assert_eq!(revision["change"], "Aland's delegation tabled a draft treaty.");
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
