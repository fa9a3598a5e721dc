//! data.json of a small fixture site, against expectations worked out by hand from docs/format.md.
//!
//! The fixture (tests/fixtures/data-site) is built with SOURCE_DATE_EPOCH = 2025-01-01:
//! b1 (2024-10-01) has seven claims, five of them forecasts; b0 shares b1's date (ties go by
//! id); b2 denies b1#c1 and is about the president; b3 resolves three forecasts. Actors:
//! aland with children aland-pres and aland-mfa, bor, cor and lonely (mentioned nowhere).

use crate::support::{fixture_copy, read, sitpress};
use serde_json::{Value, json};

fn data() -> Value {
    let site = fixture_copy("data-site");
    let out = site.path().join("out");
    sitpress().args(["build", "--quiet", "--root"]).arg(site.path()).arg("--output").arg(&out).assert().success();
    serde_json::from_str(&read(out.join("data.json"))).expect("data.json is JSON")
}

fn find<'a>(list: &'a Value, id: &str) -> &'a Value {
    list.as_array().expect("array").iter().find(|x| x["id"] == id).unwrap_or_else(|| panic!("no `{id}`"))
}

#[test]
fn site_and_generator() {
    let d = data();
    assert_eq!(d["generator"], json!(format!("sitpress {}", env!("CARGO_PKG_VERSION"))));
    assert_eq!(d["site"], json!({"title": "Data fixture", "base_url": "https://example.org/reports/"}));
}

#[test]
fn briefings_newest_first_with_tagged_and_named_actors() {
    let d = data();
    let ids: Vec<&str> = d["briefings"].as_array().unwrap().iter().map(|b| b["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["b3", "b2", "b0", "b1"], "newest first, same-day ties by id");
    let b1 = find(&d["briefings"], "b1");
    assert_eq!(b1["url"], "/reports/briefings/b1/");
    assert_eq!(b1["date"], "2024-10-01");
    assert_eq!(b1["actors"], json!(["aland", "aland-pres", "bor"]));
    assert_eq!(find(&d["briefings"], "b2")["actors"], json!(["aland-mfa", "aland-pres", "cor"]));
    assert_eq!(find(&d["briefings"], "b3")["actors"], json!(["aland", "bor", "cor"]));
    assert_eq!(b1["claims"], json!(["b1#c1", "b1#c2", "b1#c3", "b1#c4", "b1#c5", "b1#c6", "b1#c7"]));
}

#[test]
fn actor_briefings_claims_with_roll_up_and_related() {
    let d = data();
    let actors = &d["actors"];
    let ids: Vec<&str> = actors.as_array().unwrap().iter().map(|a| a["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["aland", "aland-mfa", "aland-pres", "bor", "cor", "lonely"]);

    let aland = find(actors, "aland");
    assert_eq!(aland["briefings"], json!(["b3", "b1"]), "no roll-up for briefings");
    assert_eq!(aland["claims_by"], json!(["b2#c1", "b1#c2"]), "rolled up from both children");
    assert_eq!(aland["claims_about"], json!(["b3#c1", "b2#c2"]), "own and the president's");
    assert_eq!(
        aland["related"],
        json!([{"id": "bor", "weight": 2}, {"id": "aland-pres", "weight": 1}, {"id": "cor", "weight": 1}])
    );
    assert_eq!(aland["parent"], Value::Null);
    assert_eq!(aland["url"], "/reports/actors/aland/");

    let pres = find(actors, "aland-pres");
    assert_eq!(pres["parent"], "aland");
    assert_eq!(pres["kind"], "person");
    assert_eq!(pres["briefings"], json!(["b2", "b1"]));
    assert_eq!(pres["claims_by"], json!(["b1#c2"]));
    assert_eq!(pres["claims_about"], json!(["b2#c2"]));
    assert_eq!(
        pres["related"],
        json!([{"id": "aland", "weight": 1}, {"id": "aland-mfa", "weight": 1}, {"id": "bor", "weight": 1}, {"id": "cor", "weight": 1}])
    );

    let bor = find(actors, "bor");
    assert_eq!(bor["briefings"], json!(["b3", "b0", "b1"]));
    assert_eq!(bor["claims_about"], json!(["b1#c1", "b1#c2", "b1#c3"]));
    assert_eq!(
        bor["related"],
        json!([{"id": "aland", "weight": 2}, {"id": "aland-pres", "weight": 1}, {"id": "cor", "weight": 1}])
    );

    let lonely = find(actors, "lonely");
    assert_eq!(lonely["briefings"], json!([]));
    assert_eq!(lonely["related"], json!([]));
}

#[test]
fn forecast_statuses_and_brier() {
    let d = data();
    let claims = &d["claims"];
    let status = |id: &str| find(claims, id)["status"].clone();
    assert_eq!(status("b1#c3"), "yes");
    assert_eq!(status("b1#c4"), "no");
    assert_eq!(status("b1#c5"), "overdue", "resolves_by 2024-11-01 is before 2025-01-01");
    assert_eq!(status("b1#c6"), "annulled", "its condition b1#c4 resolved no");
    assert_eq!(status("b1#c7"), "open");
    assert_eq!(status("b2#c3"), "ambiguous");
    assert_eq!(status("b1#c1"), Value::Null, "status is for forecasts only");

    let f = &d["forecasts"];
    assert_eq!(f["total"], 6);
    assert_eq!(f["resolved"], 4, "yes, no, ambiguous and the annulled conditional");
    assert_eq!(f["scored"], 2);
    // b1#c3: likely -> 0.70, resolved yes: 0.09; b1#c4: probability 0.4, resolved no: 0.16.
    let brier = f["brier"].as_f64().expect("a number");
    assert!((brier - 0.125).abs() < 1e-9, "{brier}");
}

#[test]
fn claim_fields_and_dispute_pairing() {
    let d = data();
    let claims = &d["claims"];
    let c4 = find(claims, "b1#c4");
    assert_eq!(c4["type"], "forecast");
    assert_eq!(c4["briefing"], "b1");
    assert_eq!(c4["likelihood"], "unlikely");
    assert_eq!(c4["probability"], 0.4);
    assert_eq!(c4["resolves_by"], "2025-06-01");
    assert_eq!(find(claims, "b1#c3")["probability"], Value::Null, "the point value is not data");
    let denial = find(claims, "b2#c1");
    assert_eq!(denial["by"], "aland-mfa");
    assert_eq!(denial["disputes"], json!(["b1#c1"]));
    assert_eq!(find(claims, "b1#c1")["disputed_by"], json!(["b2#c1"]));
    assert_eq!(find(claims, "b2#c2")["confidence"], "high");
    assert_eq!(find(claims, "b1#c2")["about"], json!(["bor"]));
}
