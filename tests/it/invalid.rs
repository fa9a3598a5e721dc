//! Invalid content, checked as rustc's UI tests check diagnostics: every folder under
//! tests/fixtures/invalid/ is a site with one or more mistakes, and its `expected.stderr` is
//! exactly what `sitpress build` prints for it (positions, messages, snippets, help and the
//! summary). Each must also exit 1, write nothing, never panic and never name an internal Rust
//! type. A new case is a folder: `SITPRESS_BLESS=1 cargo test --test it invalid` writes its
//! `expected.stderr`; read the diff before committing it.
//!
//! Positions follow docs/format.md: the line of the offending key or value; for a missing
//! required key, the line where the item that lacks it starts (line 1 for the front matter as a
//! whole); for a duplicate, the second occurrence in file-path order; for a YAML syntax error,
//! where the faulty construct begins. Columns are 1-based characters.
//!
//! The tests after the fixture test state the rules that multi-problem fixtures show: one run
//! reports every mistake, in file order, once.

use crate::support;
use std::path::{Path, PathBuf};
use std::process::Output;

/// A valid briefing saved as UTF-16 (with its byte order mark `FF FE`), as some editors do.
fn utf16_briefing() -> Vec<u8> {
    let text = "---\ntitle: Kazan summit, day two\ndate: 2024-10-25\n---\nBody.\n";
    let mut bytes = vec![0xff, 0xfe];
    for unit in text.encode_utf16() {
        bytes.extend(unit.to_le_bytes());
    }
    bytes
}

/// A briefing saved as Windows-1252: `é` is the single byte `E9`, at line 2, column 11.
fn latin1_briefing() -> Vec<u8> {
    b"---\ntitle: Caf\xe9 talks\ndate: 2024-10-25\n---\nBody.\n".to_vec()
}

/// A briefing with Windows line endings whose `by` (line 7) names an unknown actor.
fn crlf_briefing() -> Vec<u8> {
    let lines = [
        "---",
        "title: Kazan summit, day two",
        "date: 2024-10-25",
        "claims:",
        "  - type: statement",
        "    text: Moscow called the summit a success.",
        "    by: rusia",
        "---",
        "Body.",
    ];
    lines.iter().map(|l| format!("{l}\r\n")).collect::<String>().into_bytes()
}

/// The `error:`/`warning:` blocks of stderr: a header line and the lines up to the next header.
fn blocks(stderr: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for line in stderr.lines() {
        let header = line.starts_with("error: ") || line.starts_with("warning: ");
        match out.last_mut() {
            Some(block) if !header => {
                block.push('\n');
                block.push_str(line);
            }
            _ if header => out.push(line.to_string()),
            _ => {} // text before the first diagnostic
        }
    }
    out
}

fn error_blocks(stderr: &str) -> Vec<String> {
    blocks(stderr).into_iter().filter(|b| b.starts_with("error: ")).collect()
}

fn headers(blocks: &[String]) -> String {
    blocks.iter().map(|b| format!("    {}", b.lines().next().unwrap_or(""))).collect::<Vec<_>>().join("\n")
}

/// Builds `root` into `<fresh temp dir>/out`; returns the output, and whether `out` exists after.
fn build(root: &Path) -> (Output, bool) {
    let out_parent = tempfile::tempdir().expect("temp dir");
    let out = out_parent.path().join("out");
    let output = support::sitpress()
        .arg("build")
        .arg("--root")
        .arg(root)
        .arg("--output")
        .arg(&out)
        .output()
        .expect("run sitpress");
    (output, out.exists())
}

fn fixture_dir(name: &str) -> PathBuf {
    support::fixtures().join("invalid").join(name)
}

fn indent(text: &str) -> String {
    text.lines().map(|l| format!("    | {l}")).collect::<Vec<_>>().join("\n")
}

/// Runs a multi-problem fixture and checks that exactly `expected` errors are printed.
fn check_all_reported(fixture: &str, expected: &[(&str, &str)]) {
    let (output, out_exists) = build(&fixture_dir(fixture));
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    let errors = error_blocks(&stderr);
    let mut problems = Vec::new();
    if output.status.code() != Some(1) {
        problems.push(format!("exit code {:?}, expected 1", output.status.code()));
    }
    if out_exists {
        problems.push("the output folder was created".to_string());
    }
    for (loc, message) in expected {
        let prefix = format!("error: {loc}: ");
        if !errors.iter().any(|b| b.starts_with(&prefix) && b.lines().next().unwrap_or("").contains(message)) {
            problems.push(format!("missing `{loc}: {message}`"));
        }
    }
    if errors.len() != expected.len() {
        problems.push(format!("expected {} errors, got {}:\n{}", expected.len(), errors.len(), headers(&errors)));
    }
    let summary = format!("{} errors", expected.len());
    if !stderr.contains(&summary) {
        problems.push(format!("no summary line `{summary}, ...: nothing was written`"));
    }
    assert!(problems.is_empty(), "{fixture}:\n  {}\nfull stderr:\n{}", problems.join("\n  "), indent(&stderr));
}

/// Problems in several files of every kind (dossiers, briefings, an empty file, a page): one run
/// reports them all, a file that fails to parse does not hide the others, and a file with
/// several problems reports each.
#[test]
fn many_problems_across_files_are_all_reported_in_one_run() {
    check_all_reported(
        "many-problems",
        &[
            ("content/actors/russia.md:4:10", "invalid country code `ru`"),
            ("content/actors/vladimir-putin.md:4:9", "unknown actor `rusia`"),
            ("content/briefings/a-kazan.md:2:1", "the value of `title` contains `: `"),
            ("content/briefings/b-talks.md:4:18", "unknown actor `ukrain`"),
            ("content/briefings/b-talks.md:8:10", "`ftp://example.org/readout` is not an http(s) URL"),
            ("content/briefings/b-talks.md:10:5", "a statement needs `by`"),
            ("content/briefings/b-talks.md:15:17", "unknown likelihood term `probable`"),
            ("content/briefings/c-empty.md:1:1", "the file is empty"),
            ("content/pages/forecasts.md:1:1", "page id `forecasts` collides with the built-in path `/forecasts/`"),
        ],
    );
}

/// Five independent mistakes in one briefing are five errors in one run, in file order: an
/// invalid date leaves the briefing out of the site but not out of the checks, and a claim of
/// it that another briefing cites raises nothing more.
#[test]
fn every_mistake_of_a_briefing_is_reported_in_one_run() {
    let expected = [
        ("content/briefings/kazan.md:3:1", "unknown key `dat`"),
        ("content/briefings/kazan.md:4:7", "invalid date `2024-02-30`"),
        ("content/briefings/kazan.md:8:9", "unknown actor `vladimir-putn`"),
        ("content/briefings/kazan.md:12:17", "unknown likelihood term `probable`"),
        ("content/briefings/kazan.md:13:18", "probability `1.4` is outside 0..1"),
    ];
    check_all_reported("five-mistakes", &expected);
    let (output, _) = build(&fixture_dir("five-mistakes"));
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    let order: Vec<String> = error_blocks(&stderr).iter().map(|b| b.lines().next().unwrap_or("").to_string()).collect();
    for (block, (loc, _)) in order.iter().zip(expected) {
        assert!(block.starts_with(&format!("error: {loc}: ")), "in file order: {order:#?}");
    }
    assert!(stderr.contains("help: did you mean `likely`?"), "{stderr}");
}

/// Values of the wrong shape, a required one among them, are each reported and left out, and
/// the rest of the file is still checked; what stands in for them raises nothing more (no
/// "the title is empty", no "unknown claim type").
#[test]
fn wrong_values_do_not_hide_the_mistakes_after_them() {
    check_all_reported(
        "wrong-values-recovered",
        &[
            ("content/briefings/kazan.md:2:8", "wrong type: found sequence, expected a string in `title`"),
            ("content/briefings/kazan.md:4:9", "wrong type: found string \"russia\", expected a sequence in `actors`"),
            ("content/briefings/kazan.md:6:11", "in `claims[0].type`"),
            ("content/briefings/kazan.md:7:9", "unknown actor `vladimir-putn`"),
            ("content/briefings/kazan.md:9:18", "expected a number in `claims[0].probability`"),
        ],
    );
}

/// A content error in one briefing must not hide a dangling link in another.
#[test]
fn content_errors_do_not_hide_link_errors() {
    check_all_reported(
        "content-and-link-errors",
        &[
            ("content/briefings/kazan.md:4:10", "unknown actor `rusia`"),
            ("content/briefings/later.md:5:11", "link to `@/briefings/kazan-summit/`, which does not exist"),
        ],
    );
}

/// A fixture, a path in it, and the bytes of the file written there at run time.
type RuntimeFile = (&'static str, &'static str, fn() -> Vec<u8>);

/// Files that must not live in git as text, written into a copy of their fixture at run time.
const RUNTIME_FILES: &[RuntimeFile] = &[
    ("non-utf8", "content/briefings/notepad.md", utf16_briefing),
    ("non-utf8-latin1", "content/briefings/cafe.md", latin1_briefing),
    ("crlf-line-endings", "content/briefings/crlf.md", crlf_briefing),
];

/// What `sitpress build` prints for a fixture folder, as its `expected.stderr` holds it.
const EXPECTED: &str = "expected.stderr";

/// Every folder under tests/fixtures/invalid, by name.
fn invalid_fixtures() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(support::fixtures().join("invalid"))
        .expect("fixtures/invalid")
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Builds fixture `name` (with its run-time file, if any); what went wrong besides the text.
fn run_fixture(name: &str) -> (String, Vec<String>) {
    let fixture = fixture_dir(name);
    let copy;
    let root: &Path = match RUNTIME_FILES.iter().find(|(n, ..)| *n == name) {
        None => &fixture,
        Some((_, rel, bytes)) => {
            copy = support::fixture_copy(&format!("invalid/{name}"));
            let path = copy.path().join(rel);
            std::fs::create_dir_all(path.parent().expect("has parent")).expect("mkdir");
            std::fs::write(&path, bytes()).expect("write runtime file");
            copy.path()
        }
    };
    let (output, out_exists) = build(root);
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    let mut problems = Vec::new();
    if output.status.code() != Some(1) {
        problems.push(format!("exit code {:?}, expected 1", output.status.code()));
    }
    if stderr.contains("panicked") {
        problems.push("sitpress panicked".to_string());
    }
    if out_exists {
        problems.push("the output folder was created".to_string());
    }
    if fixture.join("public").exists() {
        problems.push("something was written into the fixture folder (public/)".to_string());
    }
    for block in error_blocks(&stderr) {
        let header = block.lines().next().unwrap_or("");
        let leaked = header.contains("struct ")
            || header.split(|c: char| !c.is_ascii_alphanumeric()).any(|w| w.len() > 2 && w.ends_with("Fm"));
        if leaked {
            problems.push(format!("the message names an internal Rust type: {header}"));
        }
    }
    (stderr, problems)
}

/// Every fixture prints exactly what its `expected.stderr` says, as rustc's UI tests check
/// diagnostics: positions, messages, snippets, help and the summary. A new case is a folder;
/// `SITPRESS_BLESS=1 cargo test --test it invalid` writes its `expected.stderr` (and rewrites
/// the others): read the diff before committing it.
#[test]
fn each_invalid_fixture_prints_its_expected_diagnostics() {
    let bless = std::env::var_os("SITPRESS_BLESS").is_some_and(|v| !v.is_empty());
    let mut failures = Vec::new();
    for name in invalid_fixtures() {
        let (stderr, mut problems) = run_fixture(&name);
        let expected_path = fixture_dir(&name).join(EXPECTED);
        if bless {
            std::fs::write(&expected_path, &stderr).expect("write expected.stderr");
        } else {
            match std::fs::read_to_string(&expected_path) {
                Err(_) => problems.push(format!("no {EXPECTED}: run with SITPRESS_BLESS=1 to write it")),
                Ok(expected) if expected != stderr => {
                    problems.push(format!("stderr differs from {EXPECTED}:\n{}", diff(&expected, &stderr)));
                }
                Ok(_) => {}
            }
        }
        if !problems.is_empty() {
            failures.push(format!("--- {name}\n  {}\nfull stderr:\n{}", problems.join("\n  "), indent(&stderr)));
        }
    }
    assert!(failures.is_empty(), "{} invalid-content fixtures failed:\n\n{}", failures.len(), failures.join("\n\n"));
}

/// The lines that differ, `-` expected and `+` printed, in order.
fn diff(expected: &str, actual: &str) -> String {
    let (e, a): (Vec<&str>, Vec<&str>) = (expected.lines().collect(), actual.lines().collect());
    let mut out = Vec::new();
    for i in 0..e.len().max(a.len()) {
        match (e.get(i), a.get(i)) {
            (Some(x), Some(y)) if x == y => {}
            (x, y) => {
                if let Some(x) = x {
                    out.push(format!("    - {x}"));
                }
                if let Some(y) = y {
                    out.push(format!("    + {y}"));
                }
            }
        }
    }
    out.join("\n")
}
