//! Output safety: staged writes, refusing folders sitpress does not own.

use crate::support::{fixture_copy, read_tree, sitpress};

#[test]
fn failed_build_leaves_previous_output_intact() {
    let site = fixture_copy("data-site");
    let out = site.path().join("public");
    sitpress().args(["build", "--quiet", "--root"]).arg(site.path()).assert().success();
    let before = read_tree(&out);
    assert!(out.join(".sitpress-output").is_file());
    // Break a briefing: an unknown actor.
    let b1 = site.path().join("content/briefings/b1.md");
    let text = std::fs::read_to_string(&b1).unwrap().replace("actors: [aland]", "actors: [alnd]");
    std::fs::write(&b1, text).unwrap();
    sitpress().args(["build", "--root"]).arg(site.path()).assert().code(1);
    assert_eq!(read_tree(&out), before, "byte-for-byte the previous output");
    let leftovers: Vec<_> = std::fs::read_dir(site.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains("sitpress-"))
        .collect();
    assert!(leftovers.is_empty(), "no staging folder left behind: {leftovers:?}");
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

#[test]
fn refuses_outputs_that_hold_the_sources() {
    let site = fixture_copy("data-site");
    for bad in [".", "content", "content/briefings", ".."] {
        let out = site.path().join(bad);
        sitpress()
            .args(["build", "--root"])
            .arg(site.path())
            .arg("--output")
            .arg(&out)
            .assert()
            .code(2)
            .stderr(predicates::str::contains("refusing"));
    }
    assert!(site.path().join("content/briefings/b1.md").is_file());
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
