//! `sitpress lsp` at the protocol level: the real binary on a copy of the example site,
//! driven over stdio as an editor drives it. (tests/lsp/nvim.lua drives it from Neovim.)

use crate::support::{self, copy_dir, repo_root, sitpress};
use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

/// How long a test waits for a message before it fails (a debug build on a busy machine).
const PATIENCE: Duration = Duration::from_secs(60);

/// An editor: the server's stdin, and every message it sends, read on another thread.
struct Editor {
    child: Child,
    stdin: ChildStdin,
    messages: Receiver<Value>,
    next_id: i64,
    /// Notifications received while waiting for something else, in order.
    seen: Vec<Value>,
}

impl Editor {
    fn start(root: &Path) -> Editor {
        let caps = json!({"workspace": {"workspaceEdit": {"documentChanges": true, "resourceOperations": ["rename"]}}});
        Editor::start_with(root, caps)
    }

    fn start_with(root: &Path, caps: Value) -> Editor {
        let bin = assert_cmd::cargo::cargo_bin("sitpress");
        let mut child = std::process::Command::new(bin)
            .args(["lsp", "--root"])
            .arg(root)
            .env("SOURCE_DATE_EPOCH", support::EPOCH_2025)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("sitpress lsp starts");
        let stdin = child.stdin.take().expect("stdin");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, messages) = channel();
        std::thread::spawn(move || {
            let mut out = BufReader::new(stdout);
            loop {
                let mut len = 0;
                loop {
                    let mut line = String::new();
                    if out.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let line = line.trim();
                    if line.is_empty() {
                        break;
                    }
                    if let Some(n) = line.strip_prefix("Content-Length: ") {
                        len = n.parse().expect("a length");
                    }
                }
                let mut body = vec![0; len];
                out.read_exact(&mut body).expect("a whole message");
                if tx.send(serde_json::from_slice(&body).expect("JSON")).is_err() {
                    return;
                }
            }
        });
        let mut editor = Editor { child, stdin, messages, next_id: 0, seen: Vec::new() };
        let init = editor.request("initialize", json!({"processId": null, "rootUri": null, "capabilities": caps}));
        assert!(init["capabilities"]["renameProvider"].as_bool().unwrap_or(false), "{init}");
        editor.notify("initialized", json!({}));
        editor
    }

    fn send(&mut self, message: Value) {
        let body = message.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).expect("the server reads");
        self.stdin.flush().expect("flush");
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// The result of a request; panics on an error response.
    fn request(&mut self, method: &str, params: Value) -> Value {
        let response = self.try_request(method, params);
        assert!(response.get("error").is_none(), "{method}: {response}");
        response["result"].clone()
    }

    fn try_request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        self.wait_for(|m| m["id"] == id && m.get("method").is_none())
    }

    /// The first message, from now on (notifications seen before included), that `pred`
    /// accepts.
    fn wait_for(&mut self, pred: impl Fn(&Value) -> bool) -> Value {
        if let Some(i) = self.seen.iter().position(&pred) {
            return self.seen.remove(i);
        }
        let deadline = Instant::now() + PATIENCE;
        loop {
            match self.messages.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
                Ok(m) if pred(&m) => return m,
                Ok(m) => self.seen.push(m),
                Err(RecvTimeoutError::Timeout) => panic!("no such message; seen: {:#?}", self.seen),
                Err(RecvTimeoutError::Disconnected) => panic!("the server quit; seen: {:#?}", self.seen),
            }
        }
    }

    /// The diagnostics next published for `uri` that `pred` accepts.
    fn diagnostics(&mut self, uri: &str, pred: impl Fn(&[Value]) -> bool) -> Vec<Value> {
        let m = self.wait_for(|m| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == uri
                && pred(m["params"]["diagnostics"].as_array().expect("a list"))
        });
        m["params"]["diagnostics"].as_array().expect("a list").clone()
    }

    fn open(&mut self, uri: &str, text: &str) {
        let doc = json!({"uri": uri, "languageId": "markdown", "version": 1, "text": text});
        self.notify("textDocument/didOpen", json!({"textDocument": doc}));
    }

    fn change(&mut self, uri: &str, version: i64, text: &str) {
        let doc = json!({"uri": uri, "version": version});
        self.notify("textDocument/didChange", json!({"textDocument": doc, "contentChanges": [{"text": text}]}));
    }

    fn at(uri: &str, (line, character): (usize, usize)) -> Value {
        json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": character}})
    }

    /// A rename's parameters: the name at `at` becomes `new`.
    fn rename(uri: &str, at: (usize, usize), new: &str) -> Value {
        let mut params = Editor::at(uri, at);
        params["newName"] = json!(new);
        params
    }

    fn stop(mut self) {
        self.request("shutdown", Value::Null);
        self.notify("exit", Value::Null);
        let deadline = Instant::now() + PATIENCE;
        while self.child.try_wait().expect("waitable").is_none() {
            assert!(Instant::now() < deadline, "the server did not exit");
            std::thread::sleep(Duration::from_millis(10));
        }
        assert!(self.child.wait().expect("exited").success(), "the server exits cleanly");
    }
}

/// A copy of the example site.
fn example_site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for part in ["content", "static", "templates"] {
        if repo_root().join(part).exists() {
            copy_dir(&repo_root().join(part), &dir.path().join(part));
        }
    }
    std::fs::copy(repo_root().join("sitpress.yaml"), dir.path().join("sitpress.yaml")).expect("config");
    dir
}

fn uri(path: &Path) -> String {
    url::Url::from_file_path(path.canonicalize().expect("exists")).expect("absolute").to_string()
}

const KAZAN: &str = "content/briefings/kazan-summit-dprk-troops.md";

/// A copy of the example site with the Kazan briefing open in an editor: the site, the
/// editor, the briefing's URI and its saved text.
fn open_kazan() -> (tempfile::TempDir, Editor, String, String) {
    let site = example_site();
    let file = site.path().join(KAZAN);
    let saved = std::fs::read_to_string(&file).expect("readable");
    let mut editor = Editor::start(site.path());
    let kazan = uri(&file);
    editor.open(&kazan, &saved);
    (site, editor, kazan, saved)
}

/// The 0-based line and character of the first `needle` in `text`, after `skip` characters.
/// A site of briefings alone, each `(file name, text)` in `content/briefings/`: the site and
/// that folder.
fn briefings_site(files: &[(&str, &str)]) -> (tempfile::TempDir, PathBuf) {
    let site = tempfile::tempdir().expect("temp dir");
    let briefings = site.path().join("content/briefings");
    std::fs::create_dir_all(&briefings).expect("mkdir");
    for (name, text) in files {
        std::fs::write(briefings.join(name), text).expect("written");
    }
    (site, briefings)
}

fn find(text: &str, needle: &str) -> (usize, usize) {
    let at = text.find(needle).unwrap_or_else(|| panic!("`{needle}` in the text"));
    let line = text[..at].matches('\n').count();
    (line, at - text[..at].rfind('\n').map_or(0, |i| i + 1))
}

fn start_of(d: &Value) -> (usize, usize) {
    let s = &d["range"]["start"];
    (s["line"].as_u64().expect("line") as usize, s["character"].as_u64().expect("character") as usize)
}

fn end_of(d: &Value) -> (usize, usize) {
    let s = &d["range"]["end"];
    (s["line"].as_u64().expect("line") as usize, s["character"].as_u64().expect("character") as usize)
}

/// Applies a workspace edit to the files of `root` as an editor would: text edits from the
/// last, then file renames.
fn apply(root: &Path, edit: &Value) {
    let path_of = |uri: &Value| -> PathBuf {
        url::Url::parse(uri.as_str().expect("a URI")).expect("URI").to_file_path().expect("a file")
    };
    for change in edit["documentChanges"].as_array().expect("document changes") {
        if change["kind"] == "rename" {
            std::fs::rename(path_of(&change["oldUri"]), path_of(&change["newUri"])).expect("renamed");
            continue;
        }
        let path = path_of(&change["textDocument"]["uri"]);
        assert!(path.starts_with(root.canonicalize().expect("exists")), "{path:?} is in the site");
        let mut text = std::fs::read_to_string(&path).expect("readable");
        let mut edits: Vec<&Value> = change["edits"].as_array().expect("edits").iter().collect();
        edits.sort_by_key(|e| std::cmp::Reverse(start_of(e)));
        for e in edits {
            let offset = |(line, character): (usize, usize)| {
                let start: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
                let line_text = text[start..].lines().next().unwrap_or_default();
                let mut units = 0;
                let byte = line_text
                    .char_indices()
                    .find(|&(_, c)| {
                        let past = units >= character;
                        units += c.len_utf16();
                        past
                    })
                    .map_or(line_text.len(), |(i, _)| i);
                start + byte
            };
            let (a, b) = (offset(start_of(e)), offset(end_of(e)));
            text.replace_range(a..b, e["newText"].as_str().expect("text"));
        }
        std::fs::write(&path, text).expect("written");
    }
}

#[test]
fn a_misspelled_actor_in_an_unsaved_buffer_is_reported_where_check_reports_it() {
    let site = example_site();
    let root = site.path();
    let file = root.join(KAZAN);
    let saved = std::fs::read_to_string(&file).expect("readable");
    let typo = saved.replacen("  - russia\n", "  - rusia\n", 1);
    let mut editor = Editor::start(root);
    let kazan = uri(&file);
    editor.open(&kazan, &saved);
    editor.change(&kazan, 2, &typo);
    let shown = editor.diagnostics(&kazan, |ds| ds.iter().any(|d| d["message"] == "unknown actor `rusia`"));
    let d = shown.iter().find(|d| d["message"] == "unknown actor `rusia`").expect("shown");
    let (line, col) = find(&typo, "rusia");
    assert_eq!((start_of(d), end_of(d)), ((line, col), (line, col + 5)), "{d}");
    assert_eq!(d["severity"], 1);
    assert_eq!(d["relatedInformation"][0]["message"], "help: did you mean `russia`?");
    // The file on disk is untouched: the buffer was read instead.
    assert_eq!(std::fs::read_to_string(&file).expect("readable"), saved);

    // What check says of the same text, saved: the same diagnostics at the same places.
    let other = example_site();
    std::fs::write(other.path().join(KAZAN), &typo).expect("written");
    let out = sitpress().args(["check", "--format", "json", "--root"]).arg(other.path()).output().expect("runs");
    let checked: Vec<Value> = serde_json::from_slice(&out.stdout).expect("JSON");
    let of_file: Vec<(String, (usize, usize), Value)> = checked
        .iter()
        .filter(|c| c["path"] == KAZAN)
        .map(|c| {
            let at = (c["line"].as_u64().unwrap() as usize - 1, c["column"].as_u64().unwrap() as usize - 1);
            (c["message"].as_str().unwrap().to_string(), at, c["lint"].clone())
        })
        .collect();
    let in_editor: Vec<(String, (usize, usize), Value)> = shown
        .iter()
        .map(|d| {
            (d["message"].as_str().unwrap().to_string(), start_of(d), d.get("code").cloned().unwrap_or(Value::Null))
        })
        .collect();
    assert_eq!(in_editor, of_file);

    // The fix the hint names, as a code action.
    let actions = editor.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": kazan}, "range": d["range"], "context": {"diagnostics": []}}),
    );
    assert_eq!(actions[0]["title"], "Change to `russia`", "{actions}");
    let edit = &actions[0]["edit"]["documentChanges"][0]["edits"][0];
    assert_eq!((edit["newText"].as_str(), start_of(edit)), (Some("russia"), (line, col)));

    // Undoing the typo clears the file.
    editor.change(&kazan, 3, &saved);
    editor.diagnostics(&kazan, <[Value]>::is_empty);
    editor.stop();
}

#[test]
fn a_change_that_breaks_other_files_reports_them_too() {
    let site = example_site();
    let root = site.path();
    // The claim `kazan-summit-dprk-troops#...` some other briefing refers to.
    let briefings = root.join("content/briefings");
    let (referring, reference) = std::fs::read_dir(&briefings)
        .expect("readable")
        .filter_map(|e| {
            let p = e.ok()?.path();
            let text = std::fs::read_to_string(&p).ok()?;
            let at = text.find("kazan-summit-dprk-troops#")?;
            let r: String = text[at..].chars().take_while(|c| c.is_alphanumeric() || *c == '-' || *c == '#').collect();
            Some((p, r))
        })
        .next()
        .expect("a briefing refers to a claim of the Kazan briefing");
    let claim = reference.split_once('#').expect("a ref").1.to_string();
    let file = root.join(KAZAN);
    let saved = std::fs::read_to_string(&file).expect("readable");
    let needle = format!("id: {claim}\n");
    assert!(saved.contains(&needle), "the claim `{claim}` has an explicit id");
    let renamed = saved.replacen(&needle, &format!("id: {claim}-x\n"), 1);
    let mut editor = Editor::start(root);
    editor.open(&uri(&file), &saved);
    editor.change(&uri(&file), 2, &renamed);
    let other = uri(&referring);
    let unknown = format!("unknown claim `{reference}`");
    let shown = editor.diagnostics(&other, |ds| ds.iter().any(|d| d["message"] == unknown));
    let (line, col) = find(&std::fs::read_to_string(&referring).expect("readable"), &reference);
    let d = shown.iter().find(|d| d["message"] == unknown).expect("shown");
    assert_eq!((start_of(d), end_of(d)), ((line, col), (line, col + reference.len())));
    editor.change(&uri(&file), 3, &saved);
    editor.diagnostics(&other, |ds| !ds.iter().any(|d| d["message"] == unknown));
    editor.stop();
}

#[test]
fn a_link_to_no_page_is_reported_as_check_reports_it() {
    let site = example_site();
    let root = site.path();
    let file = root.join(KAZAN);
    let saved = std::fs::read_to_string(&file).expect("readable");
    let linked = format!("{saved}\nSee [the archive](/no-such-page/).\n");
    let mut editor = Editor::start(root);
    let kazan = uri(&file);
    editor.open(&kazan, &saved);
    editor.change(&kazan, 2, &linked);
    let shown = editor.diagnostics(&kazan, |ds| ds.iter().any(|d| d["code"] == "dangling-link"));
    let d = shown.iter().find(|d| d["code"] == "dangling-link").expect("shown");
    assert_eq!(d["message"], "link to `/no-such-page/`, which is not a page of this site");
    assert_eq!(start_of(d), find(&linked, "[the archive]"));
    editor.stop();
}

#[test]
fn completion_offers_every_actor_and_the_values_of_each_key() {
    let (site, mut editor, kazan, saved) = open_kazan();
    let root = site.path();
    let labels = |result: &Value| -> Vec<String> {
        result["items"].as_array().expect("items").iter().map(|i| i["label"].as_str().unwrap().to_string()).collect()
    };
    // In `actors:`, every actor id, labelled by id, detailed by name and kind.
    let (line, col) = find(&saved, "  - russia\n");
    let result = editor.request("textDocument/completion", Editor::at(&kazan, (line, col + 4)));
    let mut actors: Vec<String> = std::fs::read_dir(root.join("content/actors"))
        .expect("readable")
        .map(|e| e.expect("entry").path().file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    actors.sort();
    assert_eq!(labels(&result), actors);
    let russia = result["items"].as_array().unwrap().iter().find(|i| i["label"] == "russia").expect("russia");
    assert_eq!(russia["detail"], "Russia (state)");
    assert_eq!(russia["textEdit"]["range"]["start"]["character"], col + 4);

    // A likelihood, a claim type, a source, a claim ref, a key: each its own vocabulary.
    let edited = saved.replacen("likelihood: ", "likelihood: l", 1);
    editor.change(&kazan, 2, &edited);
    let (line, col) = find(&edited, "likelihood: l");
    let result = editor.request("textDocument/completion", Editor::at(&kazan, (line, col + 13)));
    assert_eq!(labels(&result).len(), 7);
    assert!(
        result["items"].as_array().unwrap().iter().any(|i| i["detail"] == "likely: 55–80%, point value 0.70"),
        "{result}"
    );
    let (line, col) = find(&edited, "type: ");
    let result = editor.request("textDocument/completion", Editor::at(&kazan, (line, col + 6)));
    assert!(labels(&result).contains(&"forecast".to_string()), "{result}");
    let (line, _) = find(&edited, "title: ");
    let result = editor.request("textDocument/completion", Editor::at(&kazan, (line, 2)));
    assert!(labels(&result).contains(&"key_takeaways".to_string()), "{result}");
    editor.stop();
}

#[test]
fn hover_and_definition_of_an_actor_name_its_dossier() {
    let (site, mut editor, kazan, saved) = open_kazan();
    let root = site.path();
    let (line, col) = find(&saved, "  - vladimir-putin\n");
    let hover = editor.request("textDocument/hover", Editor::at(&kazan, (line, col + 6)));
    let text = hover["contents"]["value"].as_str().expect("markdown");
    assert!(text.starts_with("**Vladimir Putin** (`vladimir-putin`), person; part of **Russia** (`russia`)"), "{text}");
    let definition = editor.request("textDocument/definition", Editor::at(&kazan, (line, col + 6)));
    assert_eq!(definition["uri"], uri(&root.join("content/actors/vladimir-putin.md")));
    let references = editor.request(
        "textDocument/references",
        json!({"textDocument": {"uri": kazan}, "position": {"line": line, "character": col + 6},
               "context": {"includeDeclaration": false}}),
    );
    let files: std::collections::BTreeSet<&str> =
        references.as_array().unwrap().iter().map(|l| l["uri"].as_str().unwrap()).collect();
    assert!(files.contains(kazan.as_str()) && files.len() > 2, "{references}");
    editor.stop();
}

#[test]
fn renaming_an_actor_renames_its_dossier_and_every_use_and_the_site_builds() {
    let (site, mut editor, kazan, saved) = open_kazan();
    let root = site.path();
    let (line, col) = find(&saved, "  - north-korea\n");
    let edit = editor.request("textDocument/rename", Editor::rename(&kazan, (line, col + 5), "dprk"));
    let refused = editor.try_request("textDocument/rename", Editor::rename(&kazan, (line, col + 5), "North Korea"));
    assert!(refused["error"]["message"].as_str().unwrap().contains("is not an id"), "{refused}");
    let refused = editor.try_request("textDocument/rename", Editor::rename(&kazan, (line, col + 5), "russia"));
    assert!(refused["error"]["message"].as_str().unwrap().contains("the actor `russia` exists already"), "{refused}");
    editor.stop();
    apply(root, &edit);
    assert!(root.join("content/actors/dprk.md").exists() && !root.join("content/actors/north-korea.md").exists());
    sitpress().args(["check", "--root"]).arg(root).assert().success();
    // Nothing names the old id but prose: every front matter and `@/` link was rewritten.
    for entry in walkdir::WalkDir::new(root.join("content")) {
        let entry = entry.expect("readable");
        if entry.file_type().is_file() {
            let text = std::fs::read_to_string(entry.path()).expect("readable");
            let front = text.split("\n---").next().unwrap_or_default();
            let old = front.lines().find(|l| l.ends_with("- north-korea") || l.ends_with(": north-korea"));
            assert_eq!(old, None, "{:?}", entry.path());
            assert!(!text.contains("@/actors/north-korea/"), "{:?}", entry.path());
        }
    }
    let before = support::read(root.join("content/briefings/kazan-summit-dprk-troops.md"));
    assert!(before.contains("  - dprk\n"));
}

#[test]
fn renaming_a_claim_rewrites_its_refs_and_gives_a_default_id_its_new_one() {
    // Claims without `id` are `c1`, `c2`, ... by position: renaming `c2` writes its `id:`.
    let a = "---\ntitle: A\ndate: 2024-10-01\nsummary: s\nclaims:\n  - type: assessment\n    text: One.\n    confidence: low\n  - type: assessment\n    text: Two.\n    confidence: low\n    supports: [c1]\n---\nBody.\n";
    let b = "---\ntitle: B\ndate: 2024-10-02\nsummary: s\nclaims:\n  - type: assessment\n    text: Three.\n    confidence: low\n    supports: [a#c2, a#c1]\n---\nBody.\n";
    let (site, briefings) = briefings_site(&[("a.md", a), ("b.md", b)]);
    let root = site.path();
    sitpress().args(["check", "--root"]).arg(root).assert().success();
    let mut editor = Editor::start(root);
    let b_uri = uri(&briefings.join("b.md"));
    editor.open(&b_uri, b);
    let (line, col) = find(b, "a#c2");
    // `a` has a `c1` already: a rename onto it would make two claims one.
    let refused = editor.try_request("textDocument/rename", Editor::rename(&b_uri, (line, col + 3), "c1"));
    assert!(
        refused["error"]["message"].as_str().unwrap().contains("the briefing `a` has a claim `c1` already"),
        "{refused}"
    );
    let edit = editor.request("textDocument/rename", Editor::rename(&b_uri, (line, col + 3), "troops"));
    // References of the same claim, from its declaration's file: the two refs.
    let a_uri = uri(&briefings.join("a.md"));
    let (line, col) = find(a, "supports: [c1]");
    let refs = editor.request(
        "textDocument/references",
        json!({"textDocument": {"uri": a_uri}, "position": {"line": line, "character": col + 12},
               "context": {"includeDeclaration": false}}),
    );
    assert_eq!(refs.as_array().map(Vec::len), Some(2), "{refs}");
    editor.stop();
    apply(root, &edit);
    assert_eq!(support::read(briefings.join("b.md")), b.replace("a#c2", "a#troops"));
    assert_eq!(
        support::read(briefings.join("a.md")),
        a.replacen("  - type: assessment\n    text: Two.", "  - id: troops\n    type: assessment\n    text: Two.", 1)
    );
    sitpress().args(["check", "--root"]).arg(root).assert().success();
}

#[test]
fn fixes_of_lints_are_code_actions_that_silence_them() {
    let site = example_site();
    let root = site.path();
    let file = root.join(KAZAN);
    let saved = std::fs::read_to_string(&file).expect("readable");
    // A body naming NATO, which the briefing does not tag: `untagged-mention`.
    assert!(!saved.contains("  - nato\n"));
    let mentioned = format!("{saved}\nNATO is watching.\n");
    let mut editor = Editor::start(root);
    let kazan = uri(&file);
    editor.open(&kazan, &mentioned);
    editor.change(&kazan, 2, &mentioned);
    let shown = editor.diagnostics(&kazan, |ds| ds.iter().any(|d| d["code"] == "untagged-mention"));
    let d = shown.iter().find(|d| d["code"] == "untagged-mention").expect("shown").clone();
    let actions = editor.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": kazan}, "range": d["range"], "context": {"diagnostics": [d]}}),
    );
    assert_eq!(actions[0]["title"], "Add `nato` to `actors:`", "{actions}");
    editor.stop();
    std::fs::write(&file, &mentioned).expect("written");
    apply(root, &actions[0]["edit"]);
    let fixed = support::read(&file);
    assert!(fixed.contains("  - nato\n"), "{fixed}");
    let out = sitpress().args(["check", "--format", "json", "--root"]).arg(root).output().expect("runs");
    let checked: Vec<Value> = serde_json::from_slice(&out.stdout).expect("JSON");
    assert!(!checked.iter().any(|c| c["lint"] == "untagged-mention" && c["path"] == KAZAN), "{checked:#?}");
}

/// Neovim as the editor (tests/lsp/nvim.lua): diagnostics on an unsaved buffer, completion,
/// hover, definition, and a rename applied by Neovim itself, after which the site checks.
/// Skipped without `nvim`, unless `SITPRESS_REQUIRE_NVIM=1` (as in `.ci/run`).
#[test]
fn neovim_drives_the_server() {
    let Ok(version) = std::process::Command::new("nvim").arg("--version").output() else {
        assert!(std::env::var("SITPRESS_REQUIRE_NVIM").is_err(), "nvim is required but missing");
        eprintln!("skipped: no nvim");
        return;
    };
    assert!(version.status.success());
    let site = example_site();
    let out = std::process::Command::new("nvim")
        .args(["--headless", "--clean", "-c"])
        .arg(format!("luafile {}", repo_root().join("tests/lsp/nvim.lua").display()))
        .env("SITPRESS", assert_cmd::cargo::cargo_bin("sitpress"))
        .env("SITE", site.path())
        .env("SOURCE_DATE_EPOCH", support::EPOCH_2025)
        .env("XDG_STATE_HOME", site.path().join(".nvim-state"))
        .env("XDG_CACHE_HOME", site.path().join(".nvim-cache"))
        .output()
        .expect("nvim runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "nvim failed:\n{stdout}\n{stderr}");
    assert!(stdout.contains("ok: rename, then check passes"), "{stdout}\n{stderr}");
}

#[test]
fn likelihood_fixes_use_the_stated_words_or_add_the_missing_likelihood() {
    let text = "---\ntitle: A\ndate: 2024-10-01\nsummary: s\nclaims:\n  - type: assessment\n    text: Likely, Russia deploys.\n    likelihood: unlikely\n  - type: assessment\n    text: Pyongyang is very likely to send more.\n    confidence: low\n---\nBody.\n";
    let (site, briefings) = briefings_site(&[("a.md", text)]);
    let root = site.path();
    let file = briefings.join("a.md");
    let mut editor = Editor::start(root);
    let a = uri(&file);
    editor.open(&a, text);
    let shown = editor.diagnostics(&a, |ds| ds.iter().filter(|d| d["code"] == "likelihood-mismatch").count() == 2);
    let mut titles = Vec::new();
    for d in shown.iter().filter(|d| d["code"] == "likelihood-mismatch") {
        let actions = editor.request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": a}, "range": d["range"], "context": {"diagnostics": [d]}}),
        );
        titles.push(actions[0]["title"].as_str().expect("a title").to_string());
        apply(root, &actions[0]["edit"]);
    }
    editor.stop();
    assert_eq!(titles, ["Change to `Unlikely`", "Add `likelihood: very-likely`"]);
    assert_eq!(
        support::read(&file),
        text.replace("text: Likely,", "text: Unlikely,").replace(
            "  - type: assessment\n    text: Pyongyang",
            "  - likelihood: very-likely\n    type: assessment\n    text: Pyongyang"
        )
    );
    sitpress().args(["check", "--strict", "--root"]).arg(root).assert().success();
}

#[test]
fn hover_shows_a_claim_and_a_likelihood() {
    let site = example_site();
    let root = site.path();
    let referring = root.join("content/briefings/first-clashes-kursk.md");
    let text = std::fs::read_to_string(&referring).expect("readable");
    let mut editor = Editor::start(root);
    let at = uri(&referring);
    editor.open(&at, &text);
    let (line, col) = find(&text, "condition: kazan-summit-dprk-troops#f-combat");
    let hover = editor.request("textDocument/hover", Editor::at(&at, (line, col + 20)));
    let shown = hover["contents"]["value"].as_str().expect("markdown");
    assert!(shown.starts_with("`kazan-summit-dprk-troops#f-combat`: **forecast**"), "{shown}");
    let definition = editor.request("textDocument/definition", Editor::at(&at, (line, col + 20)));
    let kazan = support::read(root.join(KAZAN));
    let (claim_line, _) = find(&kazan, "  - id: f-combat\n");
    assert_eq!(definition["uri"], uri(&root.join(KAZAN)));
    assert_eq!(definition["range"]["start"]["line"], claim_line);
    let (line, col) = find(&text, "likelihood: ");
    let hover = editor.request("textDocument/hover", Editor::at(&at, (line, col + 13)));
    let shown = hover["contents"]["value"].as_str().expect("markdown");
    assert!(shown.contains("point value") && shown.ends_with("(ICD 203)"), "{shown}");
    editor.stop();
}

#[test]
fn links_in_bodies_complete_and_lead_to_what_they_name() {
    let site = example_site();
    let root = site.path();
    let file = root.join(KAZAN);
    let saved = std::fs::read_to_string(&file).expect("readable");
    let typing = format!("{saved}\nSee [Zakharova](@/actors/mari");
    let mut editor = Editor::start(root);
    let kazan = uri(&file);
    editor.open(&kazan, &saved);
    editor.change(&kazan, 2, &typing);
    let last = typing.lines().count() - 1;
    let end = typing.lines().last().expect("a line").len();
    let result = editor.request("textDocument/completion", Editor::at(&kazan, (last, end)));
    let item = result["items"].as_array().expect("items").iter().find(|i| i["label"] == "maria-zakharova").cloned();
    let item = item.unwrap_or_else(|| panic!("maria-zakharova offered: {result}"));
    assert_eq!(start_of(&item["textEdit"]), (last, end - 4));
    let linked = format!("{saved}\nSee [Zakharova](@/actors/maria-zakharova/).\n");
    editor.change(&kazan, 3, &linked);
    let (line, col) = find(&linked, "maria-zakharova/)");
    let definition = editor.request("textDocument/definition", Editor::at(&kazan, (line, col + 3)));
    assert_eq!(definition["uri"], uri(&root.join("content/actors/maria-zakharova.md")));
    // A Markdown file outside the site: no answer, no error.
    let outside = tempfile::tempdir().expect("temp dir");
    let stray = outside.path().join("notes.md");
    std::fs::write(&stray, "---\nactors: [russia]\n---\n").expect("written");
    let hover = editor.request("textDocument/hover", Editor::at(&uri(&stray), (1, 10)));
    assert_eq!(hover, Value::Null);
    editor.stop();
}

#[test]
fn files_changed_by_other_programs_are_read_again_when_the_editor_watches_them() {
    let site = example_site();
    let root = site.path();
    let caps = json!({"workspace": {"didChangeWatchedFiles": {"dynamicRegistration": true}}});
    let mut editor = Editor::start_with(root, caps);
    let register = editor.wait_for(|m| m["method"] == "client/registerCapability");
    let watchers = &register["params"]["registrations"][0]["registerOptions"]["watchers"];
    assert!(watchers.as_array().expect("watchers").iter().any(|w| w["globPattern"] == "**/*.md"), "{register}");
    editor.send(json!({"jsonrpc": "2.0", "id": register["id"], "result": null}));
    // A briefing written by another program, never opened in the editor.
    let file = root.join("content/briefings/new.md");
    std::fs::write(&file, "---\ntitle: New\ndate: 2024-11-01\nsummary: s\nactors: [nobody]\n---\nBody.\n")
        .expect("written");
    let changes = json!({"changes": [{"uri": uri(&file), "type": 1}]});
    editor.notify("workspace/didChangeWatchedFiles", changes);
    let shown = editor.diagnostics(&uri(&file), |ds| !ds.is_empty());
    assert_eq!(shown[0]["message"], "unknown actor `nobody`");
    assert_eq!(start_of(&shown[0]), (4, 9));
    editor.stop();
}

/// What only a render finds (a template's error) comes from the whole check that runs when
/// typing pauses, at the template's place.
#[test]
fn the_whole_check_reports_what_needs_the_render() {
    let site = example_site();
    let root = site.path();
    let template = root.join("templates/page.html");
    std::fs::write(&template, "{% extends \"base.html\" %}{% block content %}{{ no_such_thing.x }}{% endblock %}")
        .expect("written");
    let mut editor = Editor::start(root);
    let shown = editor.diagnostics(&uri(&template), |ds| !ds.is_empty());
    assert!(shown[0]["message"].as_str().expect("a message").contains("`no_such_thing` is not defined"), "{shown:#?}");
    assert_eq!(start_of(&shown[0]), (0, 47));
    editor.stop();
}

#[test]
fn renaming_a_source_rewrites_its_citations_and_refuses_an_id_in_use() {
    let a = "---\ntitle: A\ndate: 2024-10-01\nsummary: s\nsources:\n  - id: wire\n    title: Wire\n  - id: tv\n    title: TV\nclaims:\n  - type: report\n    text: One.\n    sources: [wire]\n  - type: report\n    text: Two.\n    sources: [tv, wire]\n---\nBody.\n";
    let (site, briefings) = briefings_site(&[("a.md", a)]);
    let root = site.path();
    sitpress().args(["check", "--root"]).arg(root).assert().success();
    let mut editor = Editor::start(root);
    let a_uri = uri(&briefings.join("a.md"));
    editor.open(&a_uri, a);
    let (line, col) = find(a, "sources: [wire]");
    let refused = editor.try_request("textDocument/rename", Editor::rename(&a_uri, (line, col + 11), "tv"));
    assert!(
        refused["error"]["message"].as_str().unwrap().contains("the briefing `a` has a source `tv` already"),
        "{refused}"
    );
    let edit = editor.request("textDocument/rename", Editor::rename(&a_uri, (line, col + 11), "reuters"));
    editor.stop();
    apply(root, &edit);
    assert_eq!(
        support::read(briefings.join("a.md")),
        a.replace("wire]", "reuters]").replace("id: wire", "id: reuters")
    );
    sitpress().args(["check", "--root"]).arg(root).assert().success();
}
