//! `/stix.json` and `sitpress export stix`: the STIX 2.1 mapping of a small fixture checked
//! object by object (tests/fixtures/stix-site, which uses every actor kind, relation, claim
//! field and resolution), ids that are the same on every build, the example site complete in
//! its bundle, and the OASIS validator and the `stix2` library accepting both bundles.
//!
//! The validator tests need `stix2_validator` and the `stix2` library (PyPI
//! `stix2-validator`, `stix2`) in a Python environment whose `stix2_validator` script is named
//! by `SITPRESS_STIX_VALIDATOR` (`.ci/run` makes one). Without it they are skipped with a
//! message, unless `SITPRESS_REQUIRE_STIX=1` (as in `.ci/run`), which makes it a failure.

use crate::support::{fixture_copy, fixtures, read, repo_root, sitpress};
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

const EXT: &str = "extension-definition--736a505a-c45b-46ca-bbec-1c012173d01c";
const BASE: &str = "https://example.org/reports";

/// Builds `root` into a fresh folder (with `extra` arguments) and returns its `stix.json`.
fn build_bundle(root: &Path, extra: &[&str]) -> (tempfile::TempDir, String) {
    let out = tempfile::tempdir().unwrap();
    sitpress()
        .args(["build", "--quiet", "--root"])
        .arg(root)
        .arg("--output")
        .arg(out.path())
        .args(extra)
        .assert()
        .success();
    let text = read(out.path().join("stix.json"));
    (out, text)
}

fn fixture_bundle(extra: &[&str]) -> Value {
    let (_out, text) = build_bundle(&fixtures().join("stix-site"), extra);
    serde_json::from_str(&text).expect("stix.json is JSON")
}

/// The id the mapping gives `name` (`briefing/b1`, `actor/aland`...) under the fixture's base URL.
fn id(kind: &str, name: &str) -> String {
    format!("{kind}--{}", uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_URL, format!("{BASE}/{name}").as_bytes()))
}

fn objects(bundle: &Value) -> &Vec<Value> {
    bundle["objects"].as_array().expect("objects")
}

fn by_id<'a>(bundle: &'a Value, id: &str) -> &'a Value {
    objects(bundle).iter().find(|o| o["id"] == id).unwrap_or_else(|| panic!("no object `{id}`"))
}

fn ext(object: &Value) -> &Value {
    &object["extensions"][EXT]
}

/// The relationships of a type from `source`, as (target, start, stop).
fn relationships(bundle: &Value, source: &str, kind: &str) -> Vec<(String, Value, Value)> {
    objects(bundle)
        .iter()
        .filter(|o| o["type"] == "relationship" && o["source_ref"] == source && o["relationship_type"] == kind)
        .map(|o| (o["target_ref"].as_str().unwrap().to_string(), o["start_time"].clone(), o["stop_time"].clone()))
        .collect()
}

#[test]
fn every_object_has_the_common_properties_and_millisecond_timestamps() {
    let bundle = fixture_bundle(&[]);
    assert_eq!(bundle["type"], "bundle");
    assert_eq!(bundle["id"], id("bundle", "bundle"));
    let site = id("identity", "site");
    let stamp = |v: &Value| {
        let s = v.as_str().unwrap_or_default();
        s.len() == 24 && s.as_bytes()[10] == b'T' && s.ends_with('Z') && s.as_bytes()[19] == b'.'
    };
    let mut seen = BTreeSet::new();
    for o in objects(&bundle) {
        assert_eq!(o["spec_version"], "2.1", "{o}");
        assert!(seen.insert(o["id"].as_str().unwrap().to_string()), "id twice: {o}");
        assert!(o["id"].as_str().unwrap().starts_with(&format!("{}--", o["type"].as_str().unwrap())), "{o}");
        assert!(stamp(&o["created"]) && stamp(&o["modified"]), "{o}");
        assert!(o["created"].as_str() <= o["modified"].as_str(), "{o}");
        for key in ["start_time", "stop_time", "published"] {
            assert!(o.get(key).is_none_or(stamp), "{key} of {o}");
        }
        // Everything is the site's, except the site itself and the extension's definition and
        // its creator, which are sitpress's.
        let creator = o["created_by_ref"].as_str();
        if o["id"] == site || o["name"] == "sitpress" {
            assert_eq!(creator, None, "{o}");
        } else if o["type"] == "extension-definition" {
            assert_eq!(o["id"], EXT);
            assert_eq!(o["extension_types"], json!(["property-extension"]));
            assert_eq!(creator, objects(&bundle)[0]["id"].as_str());
        } else {
            assert_eq!(creator, Some(site.as_str()), "{o}");
        }
    }
}

#[test]
fn actors_map_to_the_object_and_class_of_their_kind() {
    let bundle = fixture_bundle(&[]);
    let expect = [
        ("aland", "location", None),
        ("aland-army", "identity", Some("group")),
        ("aland-pres", "identity", Some("individual")),
        ("blob", "identity", Some("unknown")),
        ("bor", "identity", Some("organization")), // a state with no country code
        ("guild", "identity", Some("organization")),
        ("nordic-pact", "identity", Some("organization")),
        ("un", "identity", Some("organization")),
        ("wire", "identity", Some("organization")),
    ];
    for (actor, kind, class) in expect {
        let o = by_id(&bundle, &id(kind, &format!("actor/{actor}")));
        assert_eq!(o["identity_class"].as_str(), class, "{actor}");
        assert_eq!(ext(o)["actor_id"], actor);
        assert_eq!(ext(o)["extension_type"], "property-extension");
    }
    let aland = by_id(&bundle, &id("location", "actor/aland"));
    assert_eq!(aland["name"], "Aland");
    assert_eq!(aland["country"], "AX", "ALA as ISO 3166-1 alpha-2");
    assert_eq!(
        ext(aland),
        &json!({"extension_type": "property-extension", "actor_id": "aland", "kind": "state", "aliases": ["Ahvenanmaa"], "country": "ALA", "wikidata": "Q5689"})
    );
    assert_eq!(
        aland["external_references"],
        json!([
            {"source_name": "STIX fixture", "url": "https://example.org/reports/actors/aland/", "external_id": "aland"},
            {"source_name": "wikidata", "url": "https://www.wikidata.org/wiki/Q5689", "external_id": "Q5689"},
        ])
    );
    // Internal links in the dossier, inline and by reference, become absolute URLs.
    assert_eq!(
        aland["description"],
        "A state. Its neighbour is [Bor](https://example.org/reports/actors/bor/); see also [the pact][pact].\n\n\
         [pact]: https://example.org/reports/actors/nordic-pact/"
    );
    // Tagged in b1 only (2024-10-01, updated 2024-10-03T12:30+02:00).
    assert_eq!(
        (&aland["created"], &aland["modified"]),
        (&json!("2024-10-01T00:00:00.000Z"), &json!("2024-10-03T10:30:00.000Z"))
    );
    // Named in no briefing: the epoch.
    let pact = by_id(&bundle, &id("identity", "actor/nordic-pact"));
    assert_eq!(
        (&pact["created"], &pact["modified"]),
        (&json!("1970-01-01T00:00:00.000Z"), &json!("1970-01-01T00:00:00.000Z"))
    );
    assert_eq!(ext(by_id(&bundle, &id("identity", "actor/blob")))["kind"], "other", "no kind is `other`");
}

#[test]
fn relations_parent_and_country_are_relationships() {
    let bundle = fixture_bundle(&[]);
    let aland = id("location", "actor/aland");
    let pres = id("identity", "actor/aland-pres");
    let army = id("identity", "actor/aland-army");
    let wire = id("identity", "actor/wire");
    let none = Value::Null;
    assert_eq!(
        relationships(&bundle, &aland, "member-of"),
        [(id("identity", "actor/nordic-pact"), json!("2019-01-01T00:00:00.000Z"), none.clone())]
    );
    // `to: 2024-06` holds through June: the stop time is the first instant after it.
    assert_eq!(
        relationships(&bundle, &pres, "leads"),
        [(aland.clone(), json!("2020-03-01T00:00:00.000Z"), json!("2024-07-01T00:00:00.000Z"))]
    );
    assert_eq!(relationships(&bundle, &pres, "part-of"), [(aland.clone(), none.clone(), none.clone())], "parent");
    assert_eq!(
        relationships(&bundle, &army, "part-of").len(),
        1,
        "a parent the dossier also relates is one relationship"
    );
    assert_eq!(
        relationships(&bundle, &wire, "related-to"),
        [(id("identity", "actor/guild"), none.clone(), none.clone())]
    );
    // A country is where its state is, or a location of its own when the site has no such state.
    assert_eq!(relationships(&bundle, &pres, "located-at"), [(aland.clone(), none.clone(), none.clone())]);
    let norway = id("location", "country/NOR");
    assert_eq!(relationships(&bundle, &wire, "located-at"), [(norway.clone(), none.clone(), none.clone())]);
    assert_eq!(by_id(&bundle, &norway)["country"], "NO");
    let leads = objects(&bundle).iter().find(|o| o["relationship_type"] == "leads").unwrap();
    assert_eq!(
        ext(leads),
        &json!({"extension_type": "property-extension", "relation": "leads", "from_date": "2020-03", "to_date": "2024-06"})
    );
    let parent =
        objects(&bundle).iter().find(|o| o["source_ref"] == pres && o["relationship_type"] == "part-of").unwrap();
    assert_eq!(ext(parent)["relation"], "parent");
}

#[test]
fn briefings_are_reports_of_what_they_cover() {
    let bundle = fixture_bundle(&[]);
    let b1 = by_id(&bundle, &id("report", "briefing/b1"));
    assert_eq!(b1["name"], "First");
    assert_eq!(b1["description"], "First briefing.");
    assert_eq!(b1["published"], "2024-10-01T00:00:00.000Z");
    assert_eq!(b1["labels"], json!(["border", "talks"]));
    assert_eq!(b1["lang"], "en");
    let notes: Vec<String> = (1..=4).map(|c| id("note", &format!("claim/b1#c{c}"))).collect();
    let mut covered: Vec<String> = ["aland", "aland-pres", "bor", "un"]
        .iter()
        .map(|a| id(if *a == "aland" { "location" } else { "identity" }, &format!("actor/{a}")))
        .collect();
    covered.extend(notes);
    assert_eq!(b1["object_refs"], json!(covered), "tagged and named actors, then claims");
    assert_eq!(
        b1["external_references"],
        json!([
            {"source_name": "STIX fixture", "url": "https://example.org/reports/briefings/b1/", "external_id": "b1"},
            {"source_name": "The Wire", "description": "A wire report", "url": "https://wire.example/report"},
            {"source_name": "A leaflet", "description": "A leaflet"},
        ])
    );
    assert_eq!(
        ext(b1),
        &json!({
            "extension_type": "property-extension",
            "briefing_id": "b1",
            "authors": ["Desk A", "Desk B"],
            "key_takeaways": ["Bor acted."],
            "sources": [
                {"source_id": "s1", "title": "A wire report", "publisher": "The Wire", "url": "https://wire.example/report", "published": "2024-09-30", "reliability": "B"},
                {"source_id": "s2", "title": "A leaflet"},
            ],
        })
    );
    // b2 covers its claims' disputes and supports; b3 the forecast it resolves.
    let b2 = by_id(&bundle, &id("report", "briefing/b2"));
    // Tags `[talks, Talks, talks]`: each tag of the site once, by its one name. A source with a blank title and
    // no publisher or URL is known by its id.
    assert_eq!(b2["labels"], json!(["talks"]));
    assert_eq!(b2["external_references"][1], json!({"source_name": "note", "external_id": "note"}));
    let disputes = id("relationship", "claim/b2#c1/disputes/b1#c1");
    let supports = id("relationship", "claim/b2#c2/supports/b1#c2");
    for r in [&disputes, &supports] {
        assert!(b2["object_refs"].as_array().unwrap().contains(&json!(r)), "{r} in {b2}");
    }
    let b3 = by_id(&bundle, &id("report", "briefing/b3"));
    assert!(b3["object_refs"].as_array().unwrap().contains(&json!(id("note", "claim/b1#c3"))));
    // STIX needs a report to cover something: one that names nothing covers its publisher.
    let empty = by_id(&bundle, &id("report", "briefing/b0-empty"));
    assert_eq!(empty["object_refs"], json!([id("identity", "site")]));
    assert!(empty.get("description").is_none());
}

#[test]
fn claims_are_notes_with_their_grades_in_the_extension() {
    let bundle = fixture_bundle(&[]);
    let report = id("report", "briefing/b1");
    let bor = id("identity", "actor/bor");
    let c1 = by_id(&bundle, &id("note", "claim/b1#c1"));
    assert_eq!(c1["abstract"], "Report: Something happened in Bor.");
    assert_eq!(c1["content"], "Something happened in Bor.", "plain text");
    assert_eq!(c1["authors"], json!(["Desk A", "Desk B"]));
    assert_eq!(c1["object_refs"], json!([report, bor]));
    assert_eq!(c1["labels"], json!(["report"]));
    assert_eq!(
        c1["external_references"],
        json!([
            {"source_name": "STIX fixture", "url": "https://example.org/reports/briefings/b1/#claim-c1", "external_id": "b1#c1"},
            {"source_name": "The Wire", "description": "A wire report", "url": "https://wire.example/report"},
            {"source_name": "A leaflet", "description": "A leaflet"},
        ])
    );
    assert_eq!(
        ext(c1),
        &json!({
            "extension_type": "property-extension",
            "claim_id": "b1#c1",
            "claim_type": "report",
            "about_refs": [bor],
            "date": "2024-09-29",
            "sources": [{"source_id": "s1", "reliability": "B", "credibility": 2}, {"source_id": "s2"}],
        })
    );
    let c2 = by_id(&bundle, &id("note", "claim/b1#c2"));
    assert_eq!(c2["content"], "The president spoke about Bor.\n\n> Bor must stop.");
    assert_eq!(ext(c2)["by_ref"], id("identity", "actor/aland-pres"));
    assert_eq!(ext(c2)["quote"], "Bor must stop.");
    // The forecast, resolved in b3: modified then.
    let c3 = by_id(&bundle, &id("note", "claim/b1#c3"));
    assert_eq!(c3["confidence"], 50, "moderate on STIX's Low/Med/High scale");
    assert_eq!(
        (&c3["created"], &c3["modified"]),
        (&json!("2024-10-01T00:00:00.000Z"), &json!("2024-12-20T00:00:00.000Z"))
    );
    assert_eq!(
        ext(c3),
        &json!({
            "extension_type": "property-extension",
            "claim_id": "b1#c3",
            "claim_type": "forecast",
            "about_refs": [bor],
            "confidence": "moderate",
            "likelihood": "likely",
            "probability": 0.7,
            "resolves_by": "2024-12-01",
            "indicators": ["Troops at the border"],
            "outcome": "yes",
            "resolved_in_ref": id("report", "briefing/b3"),
            "evidence_refs": [id("note", "claim/b3#c1")],
            "resolution_note": "As forecast.",
        })
    );
    // Open or overdue depends on the build's day, not the content: left out.
    let c4 = by_id(&bundle, &id("note", "claim/b1#c4"));
    assert_eq!(ext(c4)["condition_ref"], id("note", "claim/b1#c3"));
    assert!(ext(c4).get("outcome").is_none());
    assert!(c4.get("confidence").is_none());
    // disputes and supports.
    let disputes = by_id(&bundle, &id("relationship", "claim/b2#c1/disputes/b1#c1"));
    assert_eq!(
        (&disputes["source_ref"], &disputes["target_ref"]),
        (&json!(id("note", "claim/b2#c1")), &json!(id("note", "claim/b1#c1")))
    );
    assert_eq!(by_id(&bundle, &id("relationship", "claim/b2#c2/supports/b1#c2"))["relationship_type"], "supports");
}

#[test]
fn drafts_are_left_out_unless_asked_for() {
    let draft = id("report", "briefing/b4-draft");
    let has = |b: &Value| objects(b).iter().any(|o| o["id"] == draft);
    assert!(!has(&fixture_bundle(&[])));
    let with = fixture_bundle(&["--drafts"]);
    assert!(has(&with));
    // The guild is first named in the draft.
    assert_eq!(by_id(&with, &id("identity", "actor/guild"))["created"], "2024-12-01T00:00:00.000Z");
}

#[test]
fn builds_and_the_export_give_the_same_bytes_and_ids_follow_the_base_url() {
    let root = fixtures().join("stix-site");
    let (_a, first) = build_bundle(&root, &[]);
    // Another day: forecast statuses change, the bundle does not.
    let out = tempfile::tempdir().unwrap();
    sitpress()
        .env("SOURCE_DATE_EPOCH", "1900000000")
        .args(["build", "--quiet", "--root"])
        .arg(&root)
        .arg("--output")
        .arg(out.path())
        .assert()
        .success();
    assert_eq!(read(out.path().join("stix.json")), first, "two builds, byte for byte");
    let exported = sitpress().args(["export", "stix", "--root"]).arg(&root).output().unwrap();
    assert!(exported.status.success());
    assert_eq!(String::from_utf8(exported.stdout).unwrap(), first, "export to standard output");
    let file = out.path().join("bundle.json");
    sitpress().args(["export", "stix", "--root"]).arg(&root).arg("-o").arg(&file).assert().success();
    assert_eq!(read(&file), first, "export to a file");

    // Ids are names under the base URL: another site's objects are other objects.
    let (_b, moved) = build_bundle(&root, &["--base-url", "https://elsewhere.example/"]);
    let moved: Value = serde_json::from_str(&moved).unwrap();
    let first: Value = serde_json::from_str(&first).unwrap();
    let ids = |b: &Value| objects(b).iter().map(|o| o["id"].as_str().unwrap().to_string()).collect::<BTreeSet<_>>();
    let shared: Vec<String> = ids(&first).intersection(&ids(&moved)).cloned().collect();
    assert_eq!(shared.len(), 2, "only the extension and sitpress are the same everywhere: {shared:?}");
}

#[test]
fn an_export_of_invalid_content_writes_nothing_and_says_where() {
    let site = fixture_copy("stix-site");
    let dossier = site.path().join("content/actors/aland.md");
    std::fs::write(&dossier, read(&dossier).replace("country: ALA", "country: AX")).unwrap();
    let file = site.path().join("bundle.json");
    std::fs::write(&file, "old").unwrap();
    let out = sitpress().args(["export", "stix", "--root"]).arg(site.path()).arg("-o").arg(&file).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("content/actors/aland.md:5:10: invalid country code `AX`"), "{stderr}");
    assert!(stderr.contains("write the ISO 3166-1 alpha-3 code `ALA`"), "{stderr}");
    assert_eq!(read(&file), "old", "the file is left as it was");
    assert!(out.stdout.is_empty());
}

/// The example site's actors' dossier relations, as (actor, type, target), from the files.
fn example_relations() -> BTreeSet<(String, String, String)> {
    let mut out = BTreeSet::new();
    for entry in std::fs::read_dir(repo_root().join("content/actors")).unwrap() {
        let path = entry.unwrap().path();
        let text = read(&path);
        let yaml = text.split("---").nth(1).unwrap();
        let front: serde_yaml::Value = serde_yaml::from_str(yaml).unwrap();
        let actor = path.file_stem().unwrap().to_string_lossy().to_string();
        for r in front["relations"].as_sequence().into_iter().flatten() {
            let (kind, target) = (r["type"].as_str().unwrap(), r["target"].as_str().unwrap());
            out.insert((actor.clone(), kind.to_string(), target.to_string()));
        }
    }
    out
}

#[test]
fn every_briefing_claim_actor_and_relation_of_the_example_site_is_in_its_bundle() {
    let (out, text) = build_bundle(&repo_root(), &[]);
    let bundle: Value = serde_json::from_str(&text).unwrap();
    let data: Value = serde_json::from_str(&read(out.path().join("data.json"))).unwrap();
    let in_ext = |key: &str| -> BTreeMap<String, &Value> {
        objects(&bundle).iter().filter_map(|o| Some((ext(o).get(key)?.as_str()?.to_string(), o))).collect()
    };
    let ids_of = |list: &str| -> BTreeSet<String> {
        data[list].as_array().unwrap().iter().map(|x| x["id"].as_str().unwrap().to_string()).collect()
    };
    let reports = in_ext("briefing_id");
    let actors = in_ext("actor_id");
    let notes = in_ext("claim_id");
    assert_eq!(reports.keys().cloned().collect::<BTreeSet<_>>(), ids_of("briefings"));
    assert_eq!(actors.keys().cloned().collect::<BTreeSet<_>>(), ids_of("actors"));
    assert_eq!(notes.keys().cloned().collect::<BTreeSet<_>>(), ids_of("claims"));
    assert!(reports.values().all(|r| r["type"] == "report") && notes.values().all(|n| n["type"] == "note"));

    // Every dossier relation, between the right objects.
    let actor_of: BTreeMap<&str, &str> =
        actors.iter().map(|(id, o)| (o["id"].as_str().unwrap(), id.as_str())).collect();
    let found: BTreeSet<(String, String, String)> = objects(&bundle)
        .iter()
        .filter(|o| o["type"] == "relationship" && ext(o).get("relation").is_some_and(|r| r != "parent"))
        .map(|o| {
            let end = |k: &str| actor_of[o[k].as_str().unwrap()].to_string();
            (end("source_ref"), o["relationship_type"].as_str().unwrap().to_string(), end("target_ref"))
        })
        .collect();
    let relations = example_relations();
    assert!(!relations.is_empty());
    assert_eq!(found, relations);

    // Every claim's disputes, as data.json lists them.
    let note_of: BTreeMap<&str, &str> = notes.iter().map(|(id, o)| (o["id"].as_str().unwrap(), id.as_str())).collect();
    let disputes: BTreeSet<(String, String)> = objects(&bundle)
        .iter()
        .filter(|o| o["relationship_type"] == "disputes")
        .map(|o| {
            (
                note_of[o["source_ref"].as_str().unwrap()].to_string(),
                note_of[o["target_ref"].as_str().unwrap()].to_string(),
            )
        })
        .collect();
    let expected: BTreeSet<(String, String)> = data["claims"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|c| {
            let from = c["id"].as_str().unwrap().to_string();
            c["disputes"].as_array().unwrap().iter().map(move |d| (from.clone(), d.as_str().unwrap().to_string()))
        })
        .collect();
    assert!(!expected.is_empty());
    assert_eq!(disputes, expected);
}

/// The Python environment's `stix2_validator` script, or why there is none.
fn validator() -> Option<PathBuf> {
    let found = match std::env::var_os("SITPRESS_STIX_VALIDATOR") {
        None => Err("SITPRESS_STIX_VALIDATOR is not set".to_string()),
        Some(path) if !Path::new(&path).is_file() => Err(format!("SITPRESS_STIX_VALIDATOR={path:?} is not a file")),
        Some(path) => Ok(PathBuf::from(path)),
    };
    match found {
        Ok(path) => Some(path),
        Err(why) if std::env::var("SITPRESS_REQUIRE_STIX").as_deref() == Ok("1") => {
            panic!("SITPRESS_REQUIRE_STIX=1 but {why}")
        }
        Err(why) => {
            eprintln!("skipping the STIX validator test: {why}");
            None
        }
    }
}

/// Runs the OASIS validator (references enforced) and the `stix2` library on `bundle`.
fn validate(validator: &Path, bundle: &Path) -> Result<(), String> {
    let run = std::process::Command::new(validator).arg("--enforce-refs").arg(bundle).output().unwrap();
    let report = String::from_utf8_lossy(&run.stdout).into_owned() + &String::from_utf8_lossy(&run.stderr);
    // Errors are `[X]` lines; warnings (`[!]`: UUIDv5 ids, relationship types of our own,
    // external references without hashes) are allowed.
    if !run.status.success() || !report.contains("STIX JSON: Valid") || report.contains("[X]") {
        return Err(format!("stix2_validator rejects {}:\n{report}", bundle.display()));
    }
    let python = validator.with_file_name("python");
    let script = "import json, stix2, sys\n\
                  text = open(sys.argv[1]).read()\n\
                  bundle = stix2.parse(text, allow_custom=False)\n\
                  assert len(bundle.objects) == len(json.loads(text)['objects'])\n\
                  print(len(bundle.objects))";
    let run = std::process::Command::new(&python).args(["-c", script]).arg(bundle).output().unwrap();
    if !run.status.success() {
        return Err(format!("stix2.parse fails on {}:\n{}", bundle.display(), String::from_utf8_lossy(&run.stderr)));
    }
    Ok(())
}

#[test]
fn the_oasis_validator_and_the_stix2_library_accept_the_bundles() {
    let Some(validator) = validator() else { return };
    let mut failures = Vec::new();
    let example = build_bundle(&repo_root(), &[]);
    let fixture = build_bundle(&fixtures().join("stix-site"), &["--drafts"]);
    for (out, _) in [&example, &fixture] {
        if let Err(e) = validate(&validator, &out.path().join("stix.json")) {
            failures.push(e);
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
