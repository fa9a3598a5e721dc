//! `sitpress check`: the fourteen lints, their positions and texts, the human and JSON reports,
//! `--strict` and `--deny`, and the same policy on `build`.
//!
//! Fixtures: tests/fixtures/lints/<lint-name>/ is a complete site that is clean (summary, body,
//! sourced reports, every actor referenced, dates before 2025-01-01, ...) except for exactly one
//! lint warning; tests/fixtures/lints/clean/ triggers nothing. Lines and columns below were worked
//! out by hand from the fixture files: 1-based, columns in characters; a list item is located at
//! its first key (the column after `- `); a whole-file or whole-front-matter problem at 1:1.
//!
//! tests/fixtures/lints/edge/<case>/ are sites that pin down positions and false positives/
//! negatives beyond the one-lint-per-fixture table (see `lint_edge_cases`).
//!
//! Table tests run every case and report every failing case at once.

use crate::support;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Output;

/// One lint fixture and the one warning it must produce.
struct Case {
    /// The lint's name, which is also the fixture folder under tests/fixtures/lints.
    lint: &'static str,
    path: &'static str,
    line: u64,
    column: u64,
    /// A substring of the message.
    message: &'static str,
    /// A substring of the help.
    help: &'static str,
    /// A lint this fixture does not trigger, for `--deny <other>`.
    other: &'static str,
}

const BRIEFING: &str = "content/briefings/talks.md";

const CASES: &[Case] = &[
    Case {
        lint: "missing-summary",
        path: BRIEFING,
        line: 1,
        column: 1,
        message: "the briefing has no `summary`",
        help: "add `summary:`",
        other: "empty-body",
    },
    // The closing `---` is line 13 and the file ends there.
    Case {
        lint: "empty-body",
        path: BRIEFING,
        line: 13,
        column: 1,
        message: "the briefing has no body",
        help: "below the closing `---`",
        other: "missing-summary",
    },
    // `  - type: statement` (line 13): the item, after `- `.
    Case {
        lint: "unsourced-claim",
        path: BRIEFING,
        line: 13,
        column: 5,
        message: "this statement cites no source",
        help: "add `sources: [<source id>]`",
        other: "missing-summary",
    },
    // `    text: Aland could leave the talks early.`: `could` after 10 + 6 characters.
    Case {
        lint: "unscaled-hedge",
        path: BRIEFING,
        line: 14,
        column: 17,
        message: "this assessment hedges with `could` but states no likelihood or confidence",
        help: "`confidence: low|moderate|high`",
        other: "likelihood-mismatch",
    },
    // `    text: A deal is almost certain by June.`: `almost certain` after 10 + 10 characters.
    Case {
        lint: "likelihood-mismatch",
        path: BRIEFING,
        line: 14,
        column: 21,
        message: "the text says `almost certain` but `likelihood` is `unlikely`",
        help: "change `likelihood` to `almost-certain`",
        other: "unscaled-hedge",
    },
    // Body line 16: `Delegates from Bor attended.`: `Bor` after 15 characters.
    Case {
        lint: "untagged-mention",
        path: BRIEFING,
        line: 16,
        column: 16,
        message: "`Bor` (bor) is mentioned but not tagged",
        help: "add `bor` to `actors:`",
        other: "orphan-actor",
    },
    // `    resolves_by: 2024-12-01`: the value after 4 + 13 characters.
    Case {
        lint: "overdue-forecast",
        path: BRIEFING,
        line: 16,
        column: 18,
        message: "this forecast was due on 2024-12-01 and is not resolved",
        help: "`resolves: [{claim: talks#c2, outcome: yes|no|ambiguous|annulled}]`",
        other: "future-date",
    },
    Case {
        lint: "orphan-actor",
        path: "content/actors/bor.md",
        line: 1,
        column: 1,
        message: "no briefing or actor refers to `bor`",
        help: "remove the dossier",
        other: "untagged-mention",
    },
    // bor.md `  - alandia` (line 6), the second alias; aland.md has `aliases: [Alandia]`.
    Case {
        lint: "ambiguous-alias",
        path: "content/actors/bor.md",
        line: 6,
        column: 5,
        message: "`alandia` also names `aland`",
        help: "remove the alias `alandia` here or from `aland`",
        other: "orphan-actor",
    },
    // Body line 16: `See the [earlier report](/briefings/talks-prep/).`: the link's `[`.
    Case {
        lint: "dangling-link",
        path: BRIEFING,
        line: 16,
        column: 9,
        message: "link to `/briefings/talks-prep/`, which is not a page of this site",
        help: "`@/briefings/<id>/`",
        other: "untagged-mention",
    },
    // `    published: 2025-03-01`: the value after 4 + 11 characters.
    Case {
        lint: "future-date",
        path: BRIEFING,
        line: 9,
        column: 16,
        message: "the source's `published` date `2025-03-01` is in the future (today is 2025-01-01)",
        help: "check the year and month",
        other: "overdue-forecast",
    },
    // `  - claim: talks-deal#c1`: the value after 4 + 7 characters.
    Case {
        lint: "resolution-before-forecast",
        path: BRIEFING,
        line: 14,
        column: 12,
        message: "this briefing (2024-10-01) resolves a forecast made later, in `talks-deal` (2024-10-10)",
        help: "check the claim reference",
        other: "overdue-forecast",
    },
    // `    updates: talks-prep#c1` (line 15): the value after 4 + 9 characters.
    Case {
        lint: "unexplained-change",
        path: BRIEFING,
        line: 15,
        column: 14,
        message: "this update of `talks-prep#c1` moves the estimate (likelihood `unlikely` -> `likely`) without saying why",
        help: "add `change:`",
        other: "incoherent-alternatives",
    },
    // `    alternatives:` (line 17): the key; likely (55%) twice is 110%.
    Case {
        lint: "incoherent-alternatives",
        path: BRIEFING,
        line: 17,
        column: 5,
        message: "their lower bounds add up to 110% (the claim at least 55%, alternative 1 at least 55%)",
        help: "mutually exclusive",
        other: "unexplained-change",
    },
];

fn lints_dir() -> PathBuf {
    support::fixtures().join("lints")
}

/// `sitpress check --root <root> <args>`, with the fixed date.
fn check(root: &Path, args: &[&str]) -> Output {
    support::sitpress().arg("check").arg("--root").arg(root).args(args).output().expect("runs")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn code(out: &Output) -> Option<i32> {
    out.status.code()
}

/// The JSON array printed by `check --format json`.
fn json_items(out: &Output) -> Result<Vec<Value>, String> {
    match serde_json::from_slice::<Value>(&out.stdout) {
        Ok(Value::Array(items)) => Ok(items),
        Ok(other) => Err(format!("not a JSON array: {other}")),
        Err(e) => Err(format!("not JSON ({e}): {}", stdout(out))),
    }
}

fn show(items: &[Value]) -> String {
    serde_json::to_string_pretty(items).unwrap_or_default()
}

/// Checks one lint fixture; every problem found is pushed to `fails`.
fn check_case(case: &Case, fails: &mut Vec<String>) {
    let root = lints_dir().join(case.lint);
    let mut fail = |what: String| fails.push(format!("[{}] {what}", case.lint));
    let loc = format!("{}:{}:{}", case.path, case.line, case.column);

    // Plain check: a warning, exit 0.
    let out = check(&root, &[]);
    let err = stderr(&out);
    if code(&out) != Some(0) {
        fail(format!("`check` exited {:?}, want 0\n{err}", code(&out)));
    }
    let head = format!("warning[{}]: {loc}: ", case.lint);
    if !err.contains(&head) {
        fail(format!("`check` stderr lacks `{head}`\n{err}"));
    }
    if !err.ends_with("0 errors, 1 warning\n") {
        fail(format!("`check` stderr does not end with `0 errors, 1 warning`\n{err}"));
    }

    // JSON: exactly one item, with every field as expected.
    let out = check(&root, &["--format", "json"]);
    if code(&out) != Some(0) {
        fail(format!("`check --format json` exited {:?}, want 0", code(&out)));
    }
    match json_items(&out) {
        Err(e) => fail(e),
        Ok(items) if items.len() != 1 => {
            fail(format!("want exactly 1 diagnostic, got {}:\n{}", items.len(), show(&items)))
        }
        Ok(items) => {
            let d = &items[0];
            let want = [
                ("lint", Value::from(case.lint)),
                ("severity", Value::from("warning")),
                ("path", Value::from(case.path)),
                ("line", Value::from(case.line)),
                ("column", Value::from(case.column)),
            ];
            for (key, value) in want {
                if d[key] != value {
                    fail(format!("`{key}` is {}, want {value}", d[key]));
                }
            }
            let message = d["message"].as_str().unwrap_or_default();
            if !message.contains(case.message) {
                fail(format!("message `{message}` lacks `{}`", case.message));
            }
            let help = d["help"].as_str().unwrap_or_default();
            if help.trim().is_empty() || !help.contains(case.help) {
                fail(format!("help `{help}` is empty or lacks `{}`", case.help));
            }
        }
    }

    // --strict: the same diagnostic as an error, exit 1.
    let out = check(&root, &["--strict"]);
    let err = stderr(&out);
    if code(&out) != Some(1) {
        fail(format!("`check --strict` exited {:?}, want 1", code(&out)));
    }
    let head = format!("error[{}]: {loc}: ", case.lint);
    if !err.contains(&head) || !err.ends_with("1 error, 0 warnings\n") {
        fail(format!("`check --strict` stderr lacks `{head}` or `1 error, 0 warnings`\n{err}"));
    }
    let out = check(&root, &["--strict", "--format", "json"]);
    match json_items(&out) {
        Ok(items) if items.len() == 1 && items[0]["severity"] == "error" && items[0]["lint"] == case.lint => {}
        Ok(items) => fail(format!("`check --strict --format json`: want one error, got\n{}", show(&items))),
        Err(e) => fail(e),
    }

    // --deny <this lint> fails; --deny <another lint> does not.
    let out = check(&root, &["--deny", case.lint]);
    if code(&out) != Some(1) {
        fail(format!("`check --deny {}` exited {:?}, want 1\n{}", case.lint, code(&out), stderr(&out)));
    }
    let out = check(&root, &["--deny", case.other]);
    if code(&out) != Some(0) {
        fail(format!("`check --deny {}` exited {:?}, want 0\n{}", case.other, code(&out), stderr(&out)));
    }
}

#[test]
fn each_lint_fixture_triggers_exactly_its_lint() {
    let mut fails = Vec::new();
    for case in CASES {
        check_case(case, &mut fails);
    }
    assert!(fails.is_empty(), "{} failure(s):\n\n{}", fails.len(), fails.join("\n\n"));
}

#[test]
fn every_lint_has_a_fixture_and_a_case() {
    // The list of lints as the binary knows it: the usage error for an unknown `--deny` name.
    let out = check(&lints_dir().join("clean"), &["--deny", "nonexistent-lint"]);
    let err = stderr(&out);
    let listed = err.split("lints: ").nth(1).unwrap_or_else(|| panic!("no list of lints in\n{err}"));
    let mut known: Vec<&str> = listed.trim().split(", ").collect();
    known.sort_unstable();
    let mut cased: Vec<&str> = CASES.iter().map(|c| c.lint).collect();
    cased.sort_unstable();
    assert_eq!(known, cased, "every lint needs a Case (and a fixture), and no more");
    assert_eq!(known.len(), 14);

    let mut dirs: Vec<String> = std::fs::read_dir(lints_dir())
        .expect("lints fixtures")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n != "clean" && n != "edge")
        .collect();
    dirs.sort_unstable();
    assert_eq!(dirs, cased, "tests/fixtures/lints/ holds one folder per lint, plus clean/ and edge/");
}

#[test]
fn clean_fixture_has_nothing_to_report() {
    let root = lints_dir().join("clean");
    let out = check(&root, &["--strict"]);
    assert_eq!(code(&out), Some(0), "{}", stderr(&out));
    assert_eq!(stderr(&out), "0 errors, 0 warnings\n");
    let out = check(&root, &["--strict", "--format", "json"]);
    assert_eq!(code(&out), Some(0));
    assert_eq!(json_items(&out).expect("JSON"), Vec::<Value>::new());
}

/// Cases beyond the one-lint table: each site must produce exactly these (lint, path, line,
/// column) diagnostics.
#[test]
fn lint_edge_cases() {
    type Want = (&'static str, &'static str, u64, u64);
    let cases: &[(&str, &str, &[Want])] = &[
        (
            "repeated-term",
            // Every occurrence of a mismatched term is reported at its own column:
            // `    text: Likely a deal, likely by June.` -> 11 and 26;
            // `    text: Very likely a deal, and likely by June.` (very-likely) -> only the lone
            // `likely`, at 35, not the `likely` inside `Very likely` (16).
            "a repeated or nested likelihood term is located at each occurrence",
            &[
                ("likelihood-mismatch", BRIEFING, 14, 11),
                ("likelihood-mismatch", BRIEFING, 14, 26),
                ("likelihood-mismatch", BRIEFING, 18, 35),
            ],
        ),
        (
            "non-ascii-column",
            // `    text: İstanbul talks could fail.`: `could` after 10 + 15 characters. (`İ`
            // lowercases to more bytes, which must not lose the column.)
            "a hedge after a non-ASCII letter keeps its column",
            &[("unscaled-hedge", BRIEFING, 14, 26)],
        ),
        (
            "month-may",
            // `The talks resume in May.`: the month, not a hedge.
            "`May` the month is not a hedge",
            &[],
        ),
        (
            "autolink",
            // Body line 16 `Read <https://example.org/briefings/talks-prep/> first.`: the `<`.
            "an autolink to a missing page is dangling, even with no `[..](..)` link in the body",
            &[("dangling-link", BRIEFING, 16, 6)],
        ),
        (
            "judgments",
            // talks.md updates or revises four claims of prep.md and lists alternatives on
            // three: only the update whose probability moved (30% -> 40%, line 14) and the
            // revision whose confidence moved (moderate -> low, line 26) lack `change`; an
            // unchanged update (line 9) and an explained revision (line 20) are fine. Lower
            // bounds: 60% + 20% (+ nothing for an alternative without likelihood) and
            // 0 + 55% + 45% = 100% hold; 70% + 55% (line 48) does not. prep#c5 (due 1 December)
            // and its update (due 15 December, line 55) are both overdue: the question is
            // reported once, at its latest forecast.
            "unexplained changes and incoherent alternatives fire on exactly the claims they concern",
            &[
                ("unexplained-change", BRIEFING, 14, 14),
                ("unexplained-change", BRIEFING, 26, 14),
                ("incoherent-alternatives", BRIEFING, 48, 5),
                ("overdue-forecast", BRIEFING, 55, 18),
            ],
        ),
        (
            "same-name",
            // `ALAND` (bor.md line 2) and `Aland`: one problem, one warning, at bor's name.
            "two names equal but for case are reported once",
            &[("ambiguous-alias", "content/actors/bor.md", 2, 7)],
        ),
    ];
    let mut fails = Vec::new();
    for (dir, what, want) in cases {
        let out = check(&lints_dir().join("edge").join(dir), &["--format", "json"]);
        let items = match json_items(&out) {
            Ok(items) => items,
            Err(e) => {
                fails.push(format!("[{dir}] {e}"));
                continue;
            }
        };
        let got: Vec<(String, String, u64, u64)> = items
            .iter()
            .map(|d| {
                (
                    d["lint"].as_str().unwrap_or("<none>").to_string(),
                    d["path"].as_str().unwrap_or_default().to_string(),
                    d["line"].as_u64().unwrap_or(0),
                    d["column"].as_u64().unwrap_or(0),
                )
            })
            .collect();
        let want: Vec<(String, String, u64, u64)> =
            want.iter().map(|(l, p, line, col)| (l.to_string(), p.to_string(), *line, *col)).collect();
        if got != want {
            fails.push(format!("[{dir}] {what}\n  want {want:?}\n  got  {got:?}\n{}", show(&items)));
        }
    }
    assert!(fails.is_empty(), "{} failure(s):\n\n{}", fails.len(), fails.join("\n\n"));
}

fn check_many() -> PathBuf {
    support::fixtures().join("check-many")
}

#[test]
fn check_many_human_report() {
    let out = check(&check_many(), &[]);
    assert_eq!(code(&out), Some(0), "warnings alone do not fail `check`");
    assert_eq!(stdout(&out), "", "the human report goes to stderr");
    insta::assert_snapshot!("check_many_human", stderr(&out));
}

#[test]
fn check_many_json_report() {
    let out = check(&check_many(), &["--format", "json"]);
    assert_eq!(code(&out), Some(0));
    let items = json_items(&out).expect("a JSON array");
    let fields = ["column", "help", "line", "lint", "message", "path", "severity"];
    let mut fails = Vec::new();
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, d) in items.iter().enumerate() {
        let Some(obj) = d.as_object() else {
            fails.push(format!("item {i} is not an object: {d}"));
            continue;
        };
        let keys: Vec<&str> =
            obj.keys().map(String::as_str).collect::<std::collections::BTreeSet<_>>().into_iter().collect();
        if keys != fields {
            fails.push(format!("item {i} has fields {keys:?}, want {fields:?}"));
        }
        if d["severity"] != "warning" {
            fails.push(format!("item {i}: severity {}, want \"warning\"", d["severity"]));
        }
        for key in ["lint", "path", "message", "help"] {
            if d[key].as_str().is_none_or(|s| s.is_empty()) {
                fails.push(format!("item {i}: `{key}` is {}, want a non-empty string", d[key]));
            }
        }
        for key in ["line", "column"] {
            if d[key].as_u64().is_none_or(|n| n == 0) {
                fails.push(format!("item {i}: `{key}` is {}, want a positive integer", d[key]));
            }
        }
        if !d["path"].as_str().is_some_and(|p| p.starts_with("content/") && p.ends_with(".md")) {
            fails.push(format!("item {i}: path {} is not a content file relative to the root", d["path"]));
        }
        if let Some(lint) = d["lint"].as_str() {
            *counts.entry(lint).or_default() += 1;
        }
    }
    let want: BTreeMap<&str, usize> = [
        ("ambiguous-alias", 2),
        ("dangling-link", 1),
        ("empty-body", 1),
        ("future-date", 1),
        ("likelihood-mismatch", 2),
        ("missing-summary", 1),
        ("orphan-actor", 2),
        ("overdue-forecast", 1),
        ("resolution-before-forecast", 1),
        ("unscaled-hedge", 1),
        ("unsourced-claim", 2),
        ("untagged-mention", 1),
    ]
    .into_iter()
    .collect();
    if counts != want {
        fails.push(format!("counts per lint {counts:?}, want {want:?}"));
    }
    assert_eq!(items.len(), 16);
    // The human report's count agrees.
    assert!(stderr(&check(&check_many(), &[])).ends_with("0 errors, 16 warnings\n"));
    assert!(fails.is_empty(), "{} failure(s):\n{}\n{}", fails.len(), fails.join("\n"), show(&items));
}

/// The example site at the repository root passes `check --strict`, judged on a fixed day (the
/// day it was last brought up to date), so the test does not start failing when its open
/// forecasts come due in June 2027.
#[test]
fn example_site_passes_strict_check() {
    let out = support::sitpress()
        .env("SOURCE_DATE_EPOCH", EXAMPLE_DAY)
        .args(["check", "--strict", "--format", "json", "--root"])
        .arg(support::repo_root())
        .output()
        .expect("runs");
    assert_eq!(code(&out), Some(0), "{}", stdout(&out));
    assert_eq!(json_items(&out).expect("JSON"), Vec::<Value>::new());

    let out = support::sitpress()
        .env("SOURCE_DATE_EPOCH", EXAMPLE_DAY)
        .args(["check", "--strict", "--root"])
        .arg(support::repo_root())
        .output()
        .expect("runs");
    assert_eq!(code(&out), Some(0));
    assert_eq!(stderr(&out), "0 errors, 0 warnings\n");
}

/// On the tests' fixed day, 2025-01-01, the example site has no errors; its only warnings are
/// `future-date`, as most of its briefings (and their sources and claims) postdate that day.
#[test]
fn example_site_on_the_fixed_day_has_only_future_dates() {
    let out = check(&support::repo_root(), &["--format", "json"]);
    assert_eq!(code(&out), Some(0), "{}", stdout(&out));
    let items = json_items(&out).expect("JSON");
    let other: Vec<&Value> =
        items.iter().filter(|d| d["severity"] != "warning" || d["lint"] != "future-date").collect();
    assert!(other.is_empty(), "only future-date warnings expected on 2025-01-01:\n{other:#?}");
}

#[test]
fn build_prints_lints_and_fails_only_when_strict() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let out_dir = tmp.path().join("out");
    let build = |extra: &[&str]| {
        support::sitpress()
            .args(["build", "--root"])
            .arg(check_many())
            .arg("--output")
            .arg(&out_dir)
            .args(extra)
            .output()
            .expect("runs")
    };

    let out = build(&[]);
    let err = stderr(&out);
    assert_eq!(code(&out), Some(0), "{err}");
    assert!(
        err.contains("warning[unsourced-claim]: content/briefings/early.md:10:5: this report cites no source"),
        "{err}"
    );
    assert!(err.ends_with("0 errors, 16 warnings\n"), "{err}");
    assert!(stdout(&out).starts_with("Built "), "{}", stdout(&out));
    assert!(out_dir.join("index.html").is_file());

    std::fs::remove_dir_all(&out_dir).expect("rm");
    let out = build(&["--strict"]);
    let err = stderr(&out);
    assert_eq!(code(&out), Some(1), "{err}");
    assert!(err.contains("error[unsourced-claim]: content/briefings/early.md:10:5:"), "{err}");
    assert!(err.ends_with("16 errors, 0 warnings: nothing was written\n"), "{err}");
    assert_eq!(stdout(&out), "");
    let left: Vec<_> = std::fs::read_dir(tmp.path()).expect("read").collect();
    assert!(left.is_empty(), "a strict build with lint errors wrote {left:?}");

    let out = build(&["--deny", "dangling-link"]);
    let err = stderr(&out);
    assert_eq!(code(&out), Some(1), "{err}");
    assert!(err.contains("error[dangling-link]: content/briefings/early.md:28:72:"), "{err}");
    assert!(err.ends_with("1 error, 15 warnings: nothing was written\n"), "{err}");
    assert!(!out_dir.exists());
}

#[test]
fn unknown_lint_in_deny_is_a_usage_error() {
    let root = lints_dir().join("clean");
    let out = check(&root, &["--deny", "orphan-actors"]);
    let err = stderr(&out);
    assert_eq!(code(&out), Some(2), "{err}");
    assert!(err.contains("unknown lint `orphan-actors` in --deny; did you mean `orphan-actor`?"), "{err}");

    let out = check(&root, &["--deny", "nonexistent-lint"]);
    let err = stderr(&out);
    assert_eq!(code(&out), Some(2), "{err}");
    assert!(err.contains("unknown lint `nonexistent-lint` in --deny"), "{err}");
    assert!(err.contains("lints: missing-summary, empty-body,"), "with no close match, every lint is listed: {err}");

    let tmp = tempfile::tempdir().expect("temp dir");
    let out = support::sitpress()
        .args(["build", "--root"])
        .arg(&root)
        .arg("--output")
        .arg(tmp.path().join("out"))
        .args(["--deny", "dangling-links"])
        .output()
        .expect("runs");
    assert_eq!(code(&out), Some(2));
    assert!(stderr(&out).contains("did you mean `dangling-link`?"), "{}", stderr(&out));
    assert!(!tmp.path().join("out").exists());
}

/// `--deny`'s help says "`sitpress check --help` lists them": it should.
#[test]
fn check_help_lists_every_lint() {
    let out = support::sitpress().args(["check", "--help"]).output().expect("runs");
    let help = stdout(&out);
    let missing: Vec<&str> = CASES.iter().map(|c| c.lint).filter(|l| !help.contains(l)).collect();
    assert!(missing.is_empty(), "`check --help` does not list {missing:?}:\n{help}");
}

/// 2026-11-27T00:00:00Z, the day the example site was last brought up to date.
const EXAMPLE_DAY: &str = "1795737600";

/// Files under content/ that are not Markdown in briefings/, actors/ or pages/ are each
/// reported once, at the file; the site's own files are not.
#[test]
fn stray_content_files_are_reported_and_site_files_are_not() {
    let site = support::fixture_copy("lints/clean");
    let content = site.path().join("content");
    for stray in ["notes.txt", "drafts/idea.md", "briefings/photo.png", "briefings-old/x.md"] {
        let path = content.join(stray);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("folder");
        std::fs::write(&path, "x").expect("write");
    }
    // A hidden file is ignored, like the site's files.
    std::fs::write(content.join("briefings/.swp"), "x").expect("write");
    let out = check(site.path(), &["--format", "json"]);
    let items = json_items(&out).expect("JSON");
    let mut paths: Vec<String> = items
        .iter()
        .filter(|i| i["message"].as_str().is_some_and(|m| m.contains("not part of the site")))
        .map(|i| i["path"].as_str().expect("path").to_string())
        .collect();
    paths.sort();
    assert_eq!(
        paths,
        ["content/briefings-old/x.md", "content/briefings/photo.png", "content/drafts/idea.md", "content/notes.txt"],
        "{}",
        show(&items)
    );
    assert_eq!(items.len(), 4, "nothing else is reported: {}", show(&items));
}

/// `check` does not make `data.json` or `stix.json` (no check reads them), but a body may link
/// to them (under the base path, `/reports/` in this fixture): they count as files of the
/// site, as in a build.
#[test]
fn links_to_the_site_wide_data_files_are_not_dangling() {
    let site = support::fixture_copy("data-site");
    let b1 = site.path().join("content/briefings/b1.md");
    let text = std::fs::read_to_string(&b1).unwrap()
        + "\nThe [data](/reports/data.json) and the [bundle](/reports/stix.json).\n";
    std::fs::write(&b1, text).unwrap();
    let out =
        support::sitpress().args(["check", "--deny", "dangling-link", "--root"]).arg(site.path()).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(!stderr.contains("dangling-link"), "{stderr}");
    // A link to a file no build makes is still reported.
    let text = std::fs::read_to_string(&b1).unwrap() + "\nAnd [nothing](/reports/nothing.json).\n";
    std::fs::write(&b1, text).unwrap();
    let out = support::sitpress().args(["check", "--root"]).arg(site.path()).output().unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("dangling-link"));
}
