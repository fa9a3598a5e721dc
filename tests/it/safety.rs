//! Output safety: staged writes, refusing folders sitpress does not own.

use crate::support::{fixture_copy, read, read_tree, sitpress};
use std::path::{Path, PathBuf};

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
