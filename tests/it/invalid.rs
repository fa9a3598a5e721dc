//! Invalid content: one fixture per rule of FORMAT.md, each a complete site that is valid except
//! for exactly one problem (tests/fixtures/invalid/<case>/).
//!
//! For every case the build must exit 1, write nothing, and print exactly one error, at the
//! position FORMAT.md prescribes: the line of the offending key or value; for a missing required
//! key, the line where the item that lacks it starts (line 1 for the front matter as a whole);
//! for a duplicate, the second occurrence in file-path order. Lines and columns below were worked
//! out by hand from the fixture files. Columns are 1-based characters; an item of a block list is
//! located at its first key (the column after `- `).
//!
//! The table test runs every case and reports every failing case at once.

use crate::support;
use std::path::{Path, PathBuf};
use std::process::Output;

/// One fixture and the one error it must produce.
struct Case {
    /// Folder under tests/fixtures/invalid.
    fixture: &'static str,
    /// `path:line:col`, the path relative to the site root.
    loc: &'static str,
    /// Substrings of the message (on the `error:` line, after the location).
    message: Vec<&'static str>,
    /// Substring of the `help:` part of the same diagnostic.
    help: Option<&'static str>,
    /// Whether the offending line is shown with a caret (not for files with no text to show).
    snippet: bool,
    /// A file written into a temporary copy of the fixture before building, for bytes that should
    /// not live in git as text.
    runtime_file: Option<RuntimeFile>,
}

/// A relative path and a function producing the file's bytes.
type RuntimeFile = (&'static str, fn() -> Vec<u8>);

fn case(fixture: &'static str, loc: &'static str, message: &'static str) -> Case {
    Case { fixture, loc, message: vec![message], help: None, snippet: true, runtime_file: None }
}

impl Case {
    fn help(mut self, help: &'static str) -> Case {
        self.help = Some(help);
        self
    }

    /// Another substring the message must contain.
    fn and(mut self, more: &'static str) -> Case {
        self.message.push(more);
        self
    }

    fn no_snippet(mut self) -> Case {
        self.snippet = false;
        self
    }

    fn runtime_file(mut self, path: &'static str, bytes: fn() -> Vec<u8>) -> Case {
        self.runtime_file = Some((path, bytes));
        self
    }
}

/// A valid briefing saved as UTF-16 (with its byte order mark `FF FE`), as some editors do.
fn utf16_briefing() -> Vec<u8> {
    let text = "---\ntitle: Kazan summit, day two\ndate: 2024-10-25\n---\nBody.\n";
    let mut bytes = vec![0xff, 0xfe];
    for unit in text.encode_utf16() {
        bytes.extend(unit.to_le_bytes());
    }
    bytes
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

fn cases() -> Vec<Case> {
    vec![
        // --- Front matter framing and YAML syntax ---
        case(
            "missing-opening-fence",
            "content/briefings/kazan.md:1:1",
            "missing front matter: the first line must be `---`",
        )
        .help("did you forget to add `---`"),
        case("unclosed-front-matter", "content/briefings/kazan.md:1:1", "unclosed front matter: no closing `---` line")
            .help("add a line `---` after the last YAML key"),
        case("empty-file", "content/briefings/empty.md:1:1", "the file is empty")
            .help("start the file with a front matter block")
            .no_snippet(),
        case("empty-front-matter", "content/briefings/empty-front.md:1:1", "the front matter is empty")
            .help("add the required keys"),
        case("non-utf8", "content/briefings/notepad.md:1:1", "the file is not valid UTF-8")
            .help("save the file with UTF-8 encoding")
            .no_snippet()
            .runtime_file("content/briefings/notepad.md", utf16_briefing),
        // `title: Kazan: the summit`: the second `: ` is the error.
        case("yaml-syntax-error", "content/briefings/kazan.md:2:13", "mapping values are not allowed"),
        // `title` on lines 3 and 5: the second occurrence is reported.
        case("duplicate-yaml-key", "content/briefings/kazan.md:5:1", "duplicate").and("`title`"),
        // --- Keys and shapes ---
        case("unknown-key-titel", "content/briefings/kazan.md:2:1", "unknown key `titel`")
            .help("did you mean `title`?"),
        case("unknown-key-in-claim", "content/briefings/kazan.md:7:5", "unknown key `confidance`")
            .help("did you mean `confidence`?"),
        case("missing-title", "content/briefings/kazan.md:1:1", "missing required key `title`")
            .help("add `title: ...`"),
        case("missing-claim-type", "content/briefings/kazan.md:7:5", "missing required key `type`")
            .help("add `type: ...`"),
        case("missing-source-title", "content/briefings/kazan.md:5:5", "missing required key `title`")
            .help("add `title: ...`"),
        case("missing-resolution-outcome", "content/briefings/later.md:5:5", "missing required key `outcome`")
            .help("add `outcome: ...`"),
        case("wrong-shape-title-list", "content/briefings/kazan.md:2:8", "wrong type")
            .help("check the value of `title`"),
        case("wrong-shape-actors-string", "content/briefings/kazan.md:4:9", "wrong type").help("`actors` is a list"),
        // --- Dates and ids ---
        case("invalid-date", "content/briefings/kazan.md:3:7", "invalid date `24/10/2024`").help("YYYY-MM-DD"),
        case("invalid-resolves-by", "content/briefings/kazan.md:8:18", "invalid date `2025-02-30`").help("YYYY-MM-DD"),
        case(
            "invalid-briefing-id-field",
            "content/briefings/kazan.md:3:5",
            "`Kazan_Summit` is not a valid briefing id",
        )
        .help("such as `kazan-summit`"),
        case(
            "invalid-briefing-id-file-stem",
            "content/briefings/Kazan Summit.md:1:1",
            "`Kazan Summit` is not a valid briefing id",
        )
        .help("rename the file to `kazan-summit.md`"),
        case("duplicate-briefing-id", "content/briefings/later.md:3:5", "duplicate briefing id `kazan`")
            .help("`content/briefings/kazan.md` already uses it"),
        // 2024-kazan.md (id: kazan, dated later) comes first in path order; kazan.md is the second.
        case("duplicate-briefing-id-from-stem", "content/briefings/kazan.md:1:1", "duplicate briefing id `kazan`")
            .help("`content/briefings/2024-kazan.md` already uses it"),
        case("invalid-claim-id", "content/briefings/kazan.md:5:9", "`C1` is not a valid claim id").help("such as `c1`"),
        case(
            "claim-id-collides-with-default",
            "content/briefings/kazan.md:5:9",
            "claim id `c2` collides with the default id of claim 2",
        ),
        case("duplicate-claim-id", "content/briefings/kazan.md:8:9", "duplicate claim id `meeting`"),
        // --- Actor references in briefings ---
        case("unknown-actor-in-actors", "content/briefings/kazan.md:4:18", "unknown actor `ukrain`")
            .help("did you mean `ukraine`?"),
        case("unknown-actor-in-by", "content/briefings/kazan.md:7:9", "unknown actor `rusia`")
            .help("did you mean `russia`?"),
        case("unknown-actor-in-about", "content/briefings/kazan.md:9:9", "unknown actor `ukriane`")
            .help("did you mean `ukraine`?"),
        case("unknown-actor-without-suggestion", "content/briefings/kazan.md:7:9", "unknown actor `kim-jong-un`")
            .help("create `content/actors/kim-jong-un.md`"),
        // --- Claim rules ---
        case("unknown-claim-type", "content/briefings/kazan.md:5:11", "unknown claim type `asessment`")
            .help("did you mean `assessment`?"),
        case("statement-without-by", "content/briefings/kazan.md:7:5", "a statement needs `by`")
            .help("add `by: <actor id>`"),
        case("denial-without-disputes", "content/briefings/kazan.md:7:5", "a denial needs `disputes`")
            .help("add `disputes:"),
        case("forecast-without-likelihood", "content/briefings/kazan.md:5:5", "a forecast needs `likelihood`")
            .help("ICD 203"),
        case("forecast-without-resolves-by", "content/briefings/kazan.md:5:5", "a forecast needs `resolves_by`")
            .help("add `resolves_by: YYYY-MM-DD`"),
        case("unknown-likelihood", "content/briefings/kazan.md:7:17", "unknown likelihood term `very-likley`")
            .help("did you mean `very-likely`?"),
        case(
            "probability-outside-likelihood",
            "content/briefings/kazan.md:8:18",
            "probability `0.9` lies outside `likely`",
        )
        .and("55–80%")
        .help("the term `very-likely`"),
        case("probability-above-one", "content/briefings/kazan.md:8:18", "probability `1.5` is outside 0..1"),
        case("unknown-confidence", "content/briefings/kazan.md:7:17", "unknown confidence `hihg`")
            .help("did you mean `high`?"),
        case("unknown-claim-ref-in-disputes", "content/briefings/kazan.md:10:16", "unknown claim `c3`")
            .help("did you mean `c1`?"),
        case("unknown-claim-ref-in-other-briefing", "content/briefings/later.md:8:16", "unknown claim `kazan#c9`")
            .help("did you mean `kazan#c1`?"),
        case("condition-not-a-forecast", "content/briefings/kazan.md:11:16", "the condition `c1` is not a forecast"),
        // --- Sources ---
        case("unknown-source-ref", "content/briefings/kazan.md:10:15", "unknown source `s2`")
            .help("did you mean `s1`?"),
        case("credibility-out-of-range", "content/briefings/kazan.md:12:22", "invalid credibility `7`").help("from 1"),
        case("reliability-out-of-range", "content/briefings/kazan.md:7:18", "invalid reliability `G`")
            .help("one capital letter `A`"),
        case(
            "source-url-not-http",
            "content/briefings/kazan.md:7:10",
            "`ftp://example.org/communique.txt` is not an http(s) URL",
        ),
        case("duplicate-source-id", "content/briefings/kazan.md:7:9", "duplicate source id `s1`"),
        // --- Resolutions (kazan#c1 is a report, kazan#c2 a forecast) ---
        case("resolution-unknown-claim", "content/briefings/later.md:5:12", "unknown claim `kazan#2`")
            .help("did you mean `kazan#c2`?"),
        case("resolution-not-full-ref", "content/briefings/later.md:5:12", "`c2` is not a full claim reference")
            .help("<briefing-id>#<claim-id>"),
        case("resolution-of-non-forecast", "content/briefings/later.md:5:12", "`kazan#c1` is not a forecast"),
        // later-a.md is dated after later-b.md but comes first in file-path order.
        case("resolution-twice", "content/briefings/later-b.md:5:12", "`kazan#c2` is resolved twice")
            .help("`content/briefings/later-a.md` already resolves it"),
        case("resolution-evidence-unknown", "content/briefings/later.md:10:16", "unknown claim `c2` in this briefing")
            .help("did you mean `c1`?"),
        case("resolution-unknown-outcome", "content/briefings/later.md:6:14", "unknown outcome `maybe`")
            .help("yes, no, ambiguous, annulled"),
        // --- Questions (chains of `updates`), judgments (`revises`), alternatives ---
        case("update-of-non-forecast", "content/briefings/later.md:7:14", "`kazan#c1` is not a forecast")
            .help("`kazan#c1` is a report"),
        case("update-of-later-briefing", "content/briefings/kazan.md:11:14", "`later#c1` is in a later briefing")
            .help("put `updates` on `later#c1` instead"),
        // later-a.md is dated after later-b.md but comes first in file-path order.
        case("update-twice", "content/briefings/later-b.md:7:14", "`kazan#c2` is already updated by `later-a#c1`")
            .help("`updates: later-a#c1`"),
        case("update-cycle", "content/briefings/a.md:7:14", "`updates` cycle: a#c1 -> b#c1 -> a#c1"),
        case(
            "update-after-resolution",
            "content/briefings/late.md:7:14",
            "comes after its question `kazan#c2` was resolved",
        )
        .help("remove `updates`"),
        case("revision-of-non-assessment", "content/briefings/later.md:7:14", "`kazan#c1` is not an assessment")
            .help("`kazan#c1` is a report"),
        case(
            "updates-on-assessment",
            "content/briefings/later.md:7:14",
            "only a forecast can have `updates`, not an assessment",
        )
        .help("`revises`"),
        case("alternatives-on-report", "content/briefings/kazan.md:7:5", "a report cannot list `alternatives`"),
        case("change-without-updates", "content/briefings/kazan.md:11:13", "`change` explains an update or a revision")
            .help("add `updates:"),
        // res-a.md resolves the question's first forecast, res-b.md (first by date) its update.
        case("question-resolved-twice", "content/briefings/res-b.md:5:12", "the question `kazan#c2`")
            .and("is resolved twice")
            .help("`content/briefings/res-a.md` already resolves it through `kazan#c2`"),
        case(
            "alternative-probability-outside-likelihood",
            "content/briefings/kazan.md:14:22",
            "probability `0.9` lies outside `likely`",
        )
        .help("the term `very-likely`"),
        // --- Actor dossiers ---
        case("actor-unknown-key", "content/actors/russia.md:5:1", "unknown key `alias`")
            .help("did you mean `aliases`?"),
        case("actor-missing-name", "content/actors/ukraine.md:1:1", "missing required key `name`")
            .help("add `name: ...`"),
        case("actor-unknown-kind", "content/actors/russia.md:3:7", "unknown actor kind `State`")
            .help("did you mean `state`?"),
        case("actor-unknown-parent", "content/actors/vladimir-putin.md:4:9", "unknown actor `rusia`")
            .help("did you mean `russia`?"),
        case("actor-parent-cycle", "content/actors/russia.md:5:9", "parent cycle: russia -> vladimir-putin -> russia"),
        case("actor-own-parent", "content/actors/russia.md:5:9", "an actor cannot be its own parent"),
        case("actor-invalid-country", "content/actors/russia.md:4:10", "invalid country code `ru`").help("alpha-3"),
        case("actor-invalid-wikidata", "content/actors/russia.md:5:11", "invalid Wikidata id `q159`").help("`Q159`"),
        case("relation-unknown-type", "content/actors/vladimir-putin.md:5:11", "unknown relation type `lead`")
            .help("did you mean `leads`?"),
        case("relation-unknown-target", "content/actors/vladimir-putin.md:6:13", "unknown actor `rusia`")
            .help("did you mean `russia`?"),
        // --- Pages and site configuration ---
        case(
            "page-reserved-id",
            "content/pages/briefings.md:1:1",
            "page id `briefings` collides with the built-in path `/briefings/`",
        ),
        case("config-unknown-key", "sitpress.yaml:2:1", "unknown key `baseurl`").help("did you mean `base_url`?"),
        case("config-bad-base-url", "sitpress.yaml:2:11", "invalid `base_url`").and("is not an absolute http(s) URL"),
        case("config-claim-type-redefined", "sitpress.yaml:3:9", "claim type `report` is defined twice"),
        // --- Links in Markdown bodies: the error is at the link's `[` ---
        case(
            "dangling-internal-link",
            "content/briefings/kazan.md:11:5",
            "link to `@/briefings/nope/`, which does not exist",
        )
        .help("internal links are written"),
        case(
            "dangling-claim-link-in-dossier",
            "content/actors/ukraine.md:6:14",
            "link to `@/briefings/kazan/#c9`, which does not exist",
        ),
        // --- More edge cases: positions in unusual layouts, configured types, drafts ---
        // `sources: [{ref: s1, credibility: 7}]`: the offending value is the `7`.
        case("credibility-out-of-range-inline", "content/briefings/kazan.md:10:38", "invalid credibility `7`"),
        case("graded-source-unknown-key", "content/briefings/kazan.md:12:9", "unknown key `credibilty`")
            .help("did you mean `credibility`?"),
        case("crlf-line-endings", "content/briefings/crlf.md:7:9", "unknown actor `rusia`")
            .help("did you mean `russia`?")
            .runtime_file("content/briefings/crlf.md", crlf_briefing),
        case("unknown-actor-after-block-scalar", "content/briefings/kazan.md:13:9", "unknown actor `rusia`")
            .help("did you mean `russia`?"),
        case("briefing-in-subfolder", "content/briefings/2024/10/kazan-day-two.md:4:18", "unknown actor `ukriane`")
            .help("did you mean `ukraine`?"),
        case("claim-ref-to-draft", "content/briefings/later.md:8:16", "unknown claim `rumour#c1`")
            .help("drafts count only with --drafts"),
        case("unknown-custom-claim-type", "content/briefings/kazan.md:5:11", "unknown claim type `rumor`")
            .help("did you mean `rumour`?"),
        case("denial-disputes-itself", "content/briefings/kazan.md:10:16", "a claim cannot list itself in `disputes`"),
        case("page-unknown-key", "content/pages/about.md:3:1", "unknown key `date`").help("title"),
        case("config-yaml-syntax-error", "sitpress.yaml:1:17", "mapping values are not allowed"),
        case("actor-invalid-file-stem", "content/actors/North Korea.md:1:1", "`North Korea` is not a valid actor id")
            .help("rename the file to `north-korea.md`"),
        case("relation-invalid-date", "content/actors/vladimir-putin.md:7:11", "invalid date `2000-13`"),
        case("claim-not-a-map", "content/briefings/kazan.md:5:5", "wrong type"),
    ]
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

/// Everything wrong with one case's run, or an empty list.
fn check(case: &Case) -> Vec<String> {
    let fixture = fixture_dir(case.fixture);
    if !fixture.is_dir() {
        return vec![format!("fixture folder {} is missing", fixture.display())];
    }
    let copy;
    let root: &Path = match case.runtime_file {
        None => &fixture,
        Some((rel, bytes)) => {
            copy = support::fixture_copy(&format!("invalid/{}", case.fixture));
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
    let errors = error_blocks(&stderr);
    let header_prefix = format!("error: {}: ", case.loc);
    let matching = errors.iter().find(|b| {
        let header = b.lines().next().unwrap_or("");
        header.starts_with(&header_prefix) && case.message.iter().all(|m| header.contains(m))
    });
    match matching {
        None => problems.push(format!(
            "no error `{}` with message containing {:?}; errors printed:\n{}",
            case.loc,
            case.message,
            if errors.is_empty() { "    (none)".to_string() } else { headers(&errors) }
        )),
        Some(block) => {
            if let Some(help) = case.help {
                let help_text: Vec<&str> = block.lines().filter(|l| l.contains("help:")).collect();
                if !help_text.iter().any(|l| l.contains(help)) {
                    problems.push(format!("help should contain {help:?}; got {help_text:?}"));
                }
            }
            if case.snippet && !block.lines().skip(1).any(|l| l.contains('^')) {
                problems.push(format!("no snippet with a caret under the offending token:\n{block}"));
            }
        }
    }
    for block in &errors {
        let header = block.lines().next().unwrap_or("");
        let leaked = header.contains("struct ")
            || header.split(|c: char| !c.is_ascii_alphanumeric()).any(|w| w.len() > 2 && w.ends_with("Fm"));
        if leaked {
            problems.push(format!("the message names an internal Rust type: {header}"));
        }
    }
    if errors.len() != 1 {
        problems.push(format!(
            "expected exactly one error (the fixture has one problem), got {}:\n{}",
            errors.len(),
            headers(&errors)
        ));
    }
    if !problems.is_empty() {
        problems.push(format!("full stderr:\n{}", indent(&stderr)));
    }
    problems
}

fn indent(text: &str) -> String {
    text.lines().map(|l| format!("    | {l}")).collect::<Vec<_>>().join("\n")
}

#[test]
fn each_invalid_fixture_reports_its_one_error_at_the_right_place() {
    let cases = cases();
    let mut failures = Vec::new();
    for case in &cases {
        let problems = check(case);
        if !problems.is_empty() {
            failures.push(format!("--- {} (expected `{}`)\n  {}", case.fixture, case.loc, problems.join("\n  ")));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} invalid-content cases failed:\n\n{}\n\nfailing cases: {}",
        failures.len(),
        cases.len(),
        failures.join("\n\n"),
        failures
            .iter()
            .map(|f| f.lines().next().unwrap_or("").trim_start_matches("--- "))
            .collect::<Vec<_>>()
            .join(", ")
    );
}

/// Fixtures that the table does not cover are dead weight; fixtures the table names must exist.
#[test]
fn every_invalid_fixture_is_in_the_table() {
    let mut names: Vec<&str> = cases().iter().map(|c| c.fixture).collect();
    names.extend(MULTI_FIXTURES);
    let mut missing = Vec::new();
    for entry in std::fs::read_dir(support::fixtures().join("invalid")).expect("fixtures/invalid") {
        let entry = entry.expect("entry");
        if entry.file_type().expect("type").is_dir() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if !names.contains(&name.as_str()) {
                missing.push(name);
            }
        }
    }
    assert!(missing.is_empty(), "fixtures without a test: {missing:?}");
    let mut seen = std::collections::HashSet::new();
    let dups: Vec<&&str> = names.iter().filter(|n| !seen.insert(**n)).collect();
    assert!(dups.is_empty(), "fixtures listed twice: {dups:?}");
}

const MULTI_FIXTURES: [&str; 2] = ["many-problems", "content-and-link-errors"];

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
            ("content/briefings/a-kazan.md:2:13", "mapping values are not allowed"),
            ("content/briefings/b-talks.md:4:18", "unknown actor `ukrain`"),
            ("content/briefings/b-talks.md:8:10", "`ftp://example.org/readout` is not an http(s) URL"),
            ("content/briefings/b-talks.md:10:5", "a statement needs `by`"),
            ("content/briefings/b-talks.md:15:17", "unknown likelihood term `probable`"),
            ("content/briefings/c-empty.md:1:1", "the file is empty"),
            ("content/pages/forecasts.md:1:1", "page id `forecasts` collides with the built-in path `/forecasts/`"),
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
