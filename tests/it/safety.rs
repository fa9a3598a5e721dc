//! Output safety: staged writes, refusing folders sitpress does not own.

use crate::support::{fixture_copy, read, read_tree, sitpress};
use std::collections::BTreeMap;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Names of what a build left beside `out` (staging folders, temporary files).
fn leftovers(out: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(out.parent().expect("a parent"))
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("sitpress-"))
        .collect();
    names.sort();
    names
}

/// A build that fails once pages are staged, in the middle of rendering (a template error in
/// one briefing's page) or on a write that fails (a static file below a generated page, which
/// cannot be made into a folder), leaves the previous output byte for byte, and no staging.
#[test]
fn a_build_that_fails_while_staging_leaves_previous_output_intact() {
    let site = fixture_copy("data-site");
    let out = site.path().join("public");
    sitpress().args(["build", "--quiet", "--root"]).arg(site.path()).assert().success();
    assert!(out.join(".sitpress-output").is_file());
    // Every page changes, so every page rendered before the failure was staged.
    let config = site.path().join("sitpress.yaml");
    let renamed = read(&config).replace("title: Data fixture", "title: Renamed fixture");
    assert!(renamed.contains("Renamed"));
    std::fs::write(&config, renamed).unwrap();
    let before = read_tree(&out);

    // Fails on one briefing's page only: the other briefings, and whatever rendered before,
    // are staged by then.
    let briefing = read(crate::support::repo_root().join("templates/briefing.html"));
    let broken = briefing.replacen(
        "{% block content %}",
        "{% block content %}{% if briefing.id == \"b2\" %}{{ no_such_variable.field }}{% endif %}",
        1,
    );
    assert_ne!(briefing, broken);
    std::fs::create_dir_all(site.path().join("templates")).unwrap();
    std::fs::write(site.path().join("templates/briefing.html"), &broken).unwrap();
    let run = sitpress().args(["build", "--root"]).arg(site.path()).output().unwrap();
    assert_eq!(run.status.code(), Some(1), "{}", String::from_utf8_lossy(&run.stderr));
    assert!(
        String::from_utf8_lossy(&run.stderr).contains("no_such_variable"),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert_eq!(read_tree(&out), before, "byte-for-byte the previous output");
    assert_eq!(leftovers(&out), Vec::<String>::new(), "no staging folder left behind");

    // A write that fails after every page was staged.
    std::fs::remove_dir_all(site.path().join("templates")).unwrap();
    std::fs::create_dir_all(site.path().join("static/index.html")).unwrap();
    std::fs::write(site.path().join("static/index.html/extra.txt"), "x").unwrap();
    let run = sitpress().args(["build", "--root"]).arg(site.path()).output().unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("failed to create") && stderr.contains("index.html"), "{stderr}");
    assert_eq!(read_tree(&out), before, "byte-for-byte the previous output");
    assert_eq!(leftovers(&out), Vec::<String>::new(), "no staging folder left behind");
}

#[test]
fn rebuild_replaces_own_output() {
    let site = fixture_copy("data-site");
    let out = site.path().join("public");
    sitpress().args(["build", "--quiet", "--root"]).arg(site.path()).assert().success();
    std::fs::write(out.join("stale.html"), "old").unwrap();
    sitpress().args(["build", "--quiet", "--root"]).arg(site.path()).assert().success();
    assert!(!out.join("stale.html").exists(), "files the build no longer produces are removed");
}

#[test]
fn refuses_to_replace_a_folder_it_does_not_own() {
    let site = fixture_copy("data-site");
    let out = site.path().join("mine");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join("precious.txt"), "do not delete").unwrap();
    sitpress()
        .args(["build", "--root"])
        .arg(site.path())
        .arg("--output")
        .arg(&out)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("was not created by sitpress"));
    assert_eq!(std::fs::read_to_string(out.join("precious.txt")).unwrap(), "do not delete");
    // An empty folder is fine.
    let empty = site.path().join("empty");
    std::fs::create_dir_all(&empty).unwrap();
    sitpress().args(["build", "--quiet", "--root"]).arg(site.path()).arg("--output").arg(&empty).assert().success();
}

/// Every file under `dir` (hidden ones and `.git` included) with its bytes.
fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let tree = read_tree(dir);
    assert!(tree.iter().any(|(p, _)| p == ".git/HEAD"), "the snapshot sees .git");
    tree
}

/// However the output names the sources (or a folder holding them), the build refuses it
/// before reading anything, exits 2, names the folder it refused, and every file of the site,
/// `.git` included, is still there.
#[test]
fn every_spelling_of_the_sources_is_refused_and_nothing_is_touched() {
    let dir = tempfile::tempdir().unwrap();
    let base = dir.path().canonicalize().unwrap();
    let root = base.join("site");
    crate::support::copy_dir(&crate::support::fixtures().join("data-site"), &root);
    for (file, text) in [
        (".git/HEAD", "ref: refs/heads/main\n"),
        (".git/config", "[core]\n"),
        ("templates/partials/note.html", "{# a partial #}"),
        ("static/robots.txt", "User-agent: *\n"),
    ] {
        std::fs::create_dir_all(root.join(file).parent().unwrap()).unwrap();
        std::fs::write(root.join(file), text).unwrap();
    }
    std::os::unix::fs::symlink(root.join("content"), root.join("drafts-link")).unwrap();
    std::os::unix::fs::symlink(&base, root.join("up")).unwrap();
    let before = snapshot(&root);
    let content = root.join("content");
    let home = base.join("home");
    std::fs::create_dir_all(&home).unwrap();
    // (output as typed, from the site root; the folder the message must name)
    let cases: Vec<(PathBuf, PathBuf)> = vec![
        ("x/../content".into(), content.clone()),
        ("x/..".into(), root.clone()),
        ("x/../".into(), root.clone()),
        ("y/../../site".into(), root.clone()),
        (".".into(), root.clone()),
        ("./".into(), root.clone()),
        ("..".into(), base.clone()),
        ("content".into(), content.clone()),
        ("content/".into(), content.clone()),
        ("./content/briefings/../".into(), content.clone()),
        ("content/briefings/x/y/..".into(), content.join("briefings/x")),
        ("templates/x/..".into(), root.join("templates")),
        ("static/".into(), root.join("static")),
        ("drafts-link".into(), content.clone()),
        ("drafts-link/".into(), content.clone()),
        ("drafts-link/new".into(), content.join("new")),
        ("up/site".into(), root.clone()),
        ("up/site/content/..".into(), root.clone()),
        ("up/x/../site/static/..".into(), root.clone()),
        (root.join("x/../content"), content.clone()),
        (root.clone(), root.clone()),
        (root.join("z/../"), root.clone()),
        ("/".into(), "/".into()),
        ("../../../../../../../../../../../../..".into(), "/".into()),
        (home.clone(), home.clone()),
    ];
    for (spelled, refused) in cases {
        let run = sitpress()
            .current_dir(&root)
            .env("HOME", &home)
            .args(["build", "--root", ".", "--output"])
            .arg(&spelled)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert_eq!(run.status.code(), Some(2), "{}: {stderr}", spelled.display());
        let named = format!("refusing to write the site to `{}`: that is `{}`", spelled.display(), refused.display());
        assert!(stderr.starts_with(&format!("error: {named}")), "{}: {stderr}", spelled.display());
        assert_eq!(snapshot(&root), before, "{}: the site is untouched", spelled.display());
        for made in ["x", "y", "z", "public"] {
            assert!(!root.join(made).exists(), "{}: `{made}` was created", spelled.display());
        }
    }
    // A folder beside the sources is fine, however spelled.
    sitpress().current_dir(&root).args(["build", "--quiet", "--root", ".", "-o", "x/../public/"]).assert().success();
    assert!(root.join("public/index.html").is_file() && !root.join("x").exists());
    assert_eq!(snapshot(&root).into_iter().filter(|(p, _)| !p.starts_with("public/")).collect::<Vec<_>>(), before);
}

#[test]
fn init_and_new_write_a_site_that_builds() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    sitpress().arg("init").arg(&root).assert().success();
    sitpress().args(["build", "--quiet", "--root"]).arg(&root).assert().success();
    sitpress()
        .args(["new", "briefing", "Talks resume in Geneva", "--root"])
        .arg(&root)
        .assert()
        .success()
        .stdout(predicates::str::contains("talks-resume-in-geneva.md"));
    sitpress()
        .args(["new", "actor", "geneva-office", "--name", "UN Office at Geneva", "--root"])
        .arg(&root)
        .assert()
        .success();
    sitpress().args(["build", "--quiet", "--root"]).arg(&root).assert().success();
    // Refuses to clobber.
    sitpress().args(["new", "actor", "geneva-office", "--name", "X", "--root"]).arg(&root).assert().code(2);
    sitpress().arg("init").arg(&root).assert().code(2);
    sitpress().args(["new", "actor", "Bad_Id", "--name", "X", "--root"]).arg(&root).assert().code(2);
}

#[test]
fn usage_errors_exit_2() {
    sitpress().args(["build", "--bogus"]).assert().code(2);
    sitpress().args(["build", "--root", "/nonexistent/sitpress-site"]).assert().code(2);
    let site = fixture_copy("data-site");
    sitpress().args(["build", "--root"]).arg(site.path()).args(["--base-url", "not a url"]).assert().code(2);
    sitpress().arg("--version").assert().success().stdout(predicates::str::contains(env!("CARGO_PKG_VERSION")));
}

#[path = "../../examples/gen_corpus.rs"]
#[allow(dead_code)]
mod gen_corpus;

/// Each file under `dir` with its bytes, by path.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    read_tree(dir).into_iter().collect()
}

/// A generated site of 200 briefings, big enough that a (debug) build stages files for a
/// while: (temp dir, site root).
fn big_site() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    gen_corpus::generate(dir.path(), 200, 40, 1).expect("corpus");
    let root = dir.path().join("sitpress");
    (dir, root)
}

/// [`big_site`], built once into `public`: (temp dir, site root, output, the output's files).
fn big_site_built() -> (tempfile::TempDir, PathBuf, PathBuf, BTreeMap<String, Vec<u8>>) {
    let (dir, root) = big_site();
    let out = root.join("public");
    sitpress().args(["build", "--quiet", "--root"]).arg(&root).assert().success();
    let built = tree(&out);
    (dir, root, out, built)
}

/// Starts a build of `root` into `out`, as a child process this test can kill.
fn spawn_build(root: &Path, out: &Path) -> Child {
    Command::new(assert_cmd::cargo::cargo_bin("sitpress"))
        .env("SOURCE_DATE_EPOCH", crate::support::EPOCH_2025)
        .args(["build", "--quiet", "--root"])
        .arg(root)
        .arg("--output")
        .arg(out)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("starts")
}

/// The staging folder of the build `child` writing `out`.
fn staging_of(out: &Path, child: &Child) -> PathBuf {
    let name = out.file_name().unwrap().to_string_lossy();
    out.parent().unwrap().join(format!(".{name}.sitpress-staging-{}", child.id()))
}

/// Waits until `event` holds, while `child` runs: false if the child ended first. Polls, with
/// a pause of `pause` between looks (none: only yields, for short windows).
fn wait_for(child: &mut Child, pause: Duration, mut event: impl FnMut() -> bool) -> bool {
    let give_up = Instant::now() + Duration::from_secs(300);
    loop {
        if event() {
            return child.try_wait().expect("waits").is_none();
        }
        if child.try_wait().expect("waits").is_some() {
            return false;
        }
        assert!(Instant::now() < give_up, "the build neither ended nor reached the awaited point");
        if pause.is_zero() { std::thread::yield_now() } else { std::thread::sleep(pause) }
    }
}

fn count_files(dir: &Path) -> usize {
    walkdir::WalkDir::new(dir).into_iter().filter_map(Result::ok).filter(|e| e.file_type().is_file()).count()
}

/// How a killed build left `out`: every file is whole, the old build's or the new one's, and
/// none that both builds make is missing. Returns how many files are still old, and how many
/// new, of those the two builds make differently.
fn assert_whole(out: &Path, old: &BTreeMap<String, Vec<u8>>, new: &BTreeMap<String, Vec<u8>>) -> (usize, usize) {
    let now = tree(out);
    let (mut still_old, mut already_new) = (0, 0);
    for (rel, bytes) in &now {
        let (was, will) = (old.get(rel), new.get(rel));
        assert!(was == Some(bytes) || will == Some(bytes), "`{rel}` is neither the old file nor the new one");
        if was != will {
            if was == Some(bytes) {
                still_old += 1;
            } else {
                already_new += 1;
            }
        }
    }
    for rel in old.keys().filter(|rel| new.contains_key(*rel)) {
        assert!(now.contains_key(rel), "`{rel}`, made by both builds, is missing");
    }
    (still_old, already_new)
}

/// A build killed (SIGKILL) at any moment leaves every output file whole, either the previous
/// build's or the new one's, and the next build removes the killed build's staging folder and
/// gives exactly what a fresh build gives. The kills land while nothing is staged yet, early
/// and late in staging, and during the commit (once the first file has been moved into place).
#[test]
fn a_killed_build_leaves_whole_files_and_the_next_build_repairs_the_output() {
    let (_dir, root, out, old) = big_site_built();
    let snapshot = root.join("old-output");
    crate::support::copy_dir(&out, &snapshot);
    // A new title changes every page; a removed briefing (the newest, which no other cites)
    // leaves files to delete.
    let config = root.join("sitpress.yaml");
    let retitled = read(&config).replace("Generated situation reports", "Renamed situation reports");
    assert_ne!(read(&config), retitled);
    std::fs::write(&config, retitled).unwrap();
    let briefing = walkdir::WalkDir::new(root.join("content/briefings"))
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .last()
        .expect("a briefing");
    std::fs::remove_file(briefing.path()).unwrap();
    let fresh = root.join("fresh");
    sitpress().args(["build", "--quiet", "--root"]).arg(&root).arg("-o").arg(&fresh).assert().success();
    let new = tree(&fresh);
    let changed: Vec<&String> = new.keys().filter(|rel| old.get(*rel) != new.get(*rel)).collect();
    assert!(changed.len() > 300 && old.keys().any(|rel| !new.contains_key(rel)), "{}", changed.len());
    // The first file the commit moves into place: its inode changes when the commit begins.
    let first = out.join(changed[0]);
    let inode = || std::fs::metadata(&first).map(|m| m.ino()).ok();

    let reset = || {
        std::fs::remove_dir_all(&out).unwrap();
        crate::support::copy_dir(&snapshot, &out);
    };
    let staged = |staging: &Path, at_least: usize| {
        let staging = staging.to_path_buf();
        move || staging.is_dir() && count_files(&staging) >= at_least
    };
    let mut mid_commit = false;
    let mut timings = Vec::new();
    for (name, attempts) in
        [("staging made", 1), ("a few files staged", 1), ("most files staged", 1), ("during the commit", 8)]
    {
        for _ in 0..attempts {
            reset();
            let first_ino = inode();
            let mut child = spawn_build(&root, &out);
            let staging = staging_of(&out, &child);
            let reached = match name {
                "staging made" => wait_for(&mut child, Duration::from_millis(1), staged(&staging, 0)),
                "a few files staged" => wait_for(&mut child, Duration::from_millis(1), staged(&staging, 20)),
                "most files staged" => {
                    wait_for(&mut child, Duration::from_millis(1), staged(&staging, changed.len() * 9 / 10))
                }
                _ => {
                    wait_for(&mut child, Duration::from_millis(1), staged(&staging, changed.len() / 2))
                        && wait_for(&mut child, Duration::ZERO, || inode() != first_ino)
                }
            };
            child.kill().unwrap();
            child.wait().unwrap();
            let (still_old, already_new) = assert_whole(&out, &old, &new);
            let left = leftovers(&out);
            if name == "during the commit" {
                mid_commit |= reached && still_old > 0 && already_new > 0;
            } else {
                assert!(reached, "{name}: the build ended before the kill");
                assert_eq!(already_new, 0, "{name}: nothing moves before the commit");
                assert_eq!(left, [format!(".public.sitpress-staging-{}", child.id())], "{name}");
            }
            timings.push(format!("{name}: {still_old} old, {already_new} new"));

            // The next build cleans up after the killed one, and repairs the output.
            sitpress().args(["build", "--quiet", "--root"]).arg(&root).assert().success();
            assert!(tree(&out) == new, "{name}: the next build gives exactly a fresh build's output");
            assert_eq!(leftovers(&out), Vec::<String>::new(), "{name}: no staging folder is left");
            if mid_commit {
                break;
            }
        }
    }
    assert!(mid_commit, "no kill landed in the middle of the commit: {timings:?}");

    // A first build killed while staging leaves no output folder at all.
    std::fs::remove_dir_all(&out).unwrap();
    let mut child = spawn_build(&root, &out);
    let staging = staging_of(&out, &child);
    assert!(wait_for(&mut child, Duration::from_millis(1), staged(&staging, changed.len() / 2)));
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(!out.exists(), "a killed first build leaves nothing half made");
    sitpress().args(["build", "--quiet", "--root"]).arg(&root).assert().success();
    assert!(tree(&out) == new);
    assert_eq!(leftovers(&out), Vec::<String>::new());
}

/// Sends `signal` (`STOP`, `CONT`) to the process `child`. A `STOP` returns once every thread
/// of the process is stopped (the signal reaches them asynchronously, and a thread in the
/// middle of a write finishes it first).
fn signal(child: &Child, signal: &str) {
    let sent = Command::new("kill").arg(format!("-{signal}")).arg(child.id().to_string()).status().expect("kill runs");
    assert!(sent.success(), "kill -{signal}");
    if signal == "STOP" {
        let tasks = format!("/proc/{}/task", child.id());
        let all_stopped = || {
            std::fs::read_dir(&tasks).is_ok_and(|threads| {
                threads.filter_map(Result::ok).all(|t| {
                    // The state follows the command name in parentheses: `pid (name) T ...`.
                    std::fs::read_to_string(t.path().join("stat"))
                        .is_ok_and(|stat| stat.rsplit_once(") ").is_some_and(|(_, rest)| rest.starts_with('T')))
                })
            })
        };
        let deadline = std::time::Instant::now() + Duration::from_secs(30);
        while !all_stopped() {
            assert!(std::time::Instant::now() < deadline, "the build did not stop");
            std::thread::yield_now();
        }
    }
}

/// A build stopped in the middle of staging (SIGSTOP, so it is certainly alive) keeps its
/// staging folder: a second build into the same output refuses to start and names it; a build
/// into another folder beside it runs; the first build, resumed, completes. Staging folders and
/// temporary files left by builds that are gone are removed.
#[test]
fn a_running_build_keeps_its_staging_and_dead_ones_are_cleaned() {
    let (_dir, root) = big_site();
    let out = root.join("public");
    let mut first = spawn_build(&root, &out);
    let staging = staging_of(&out, &first);
    let staged = || staging.is_dir() && count_files(&staging) >= 10;
    assert!(wait_for(&mut first, Duration::from_millis(1), staged), "the build ended before it was stopped");
    signal(&first, "STOP");
    let staged_then = count_files(&staging);

    let second = sitpress().args(["build", "--root"]).arg(&root).output().unwrap();
    let stderr = String::from_utf8_lossy(&second.stderr);
    assert_eq!(second.status.code(), Some(2), "{stderr}");
    let named = format!(
        "another sitpress build is writing `{}` now (its staging folder `{}` is in use)",
        out.display(),
        staging.display()
    );
    assert!(stderr.contains(&named), "{stderr}");
    sitpress().args(["build", "--quiet", "--root"]).arg(&root).arg("-o").arg(root.join("public2")).assert().success();
    assert_eq!(count_files(&staging), staged_then, "the stopped build's staging folder is untouched");

    signal(&first, "CONT");
    assert!(first.wait().unwrap().success());
    assert!(tree(&out) == tree(&root.join("public2")), "the resumed build completed");

    // What builds that are gone left: a staging folder beside the output, a temporary file of
    // an interrupted copy inside it. Folders of other outputs, or not named by a pid, stay.
    let dead = root.join(".public.sitpress-staging-4194303");
    std::fs::create_dir_all(dead.join("briefings")).unwrap();
    std::fs::write(dead.join("briefings/index.html"), "half").unwrap();
    std::fs::write(out.join(".index.html.sitpress-tmp-4194303"), "half").unwrap();
    let others = [root.join(".public2.sitpress-staging-4194303"), root.join(".public.sitpress-staging-mine")];
    for other in &others {
        std::fs::create_dir_all(other).unwrap();
    }
    sitpress().args(["build", "--quiet", "--root"]).arg(&root).assert().success();
    assert!(!dead.exists() && !out.join(".index.html.sitpress-tmp-4194303").exists());
    assert!(others.iter().all(|o| o.is_dir()));
}
