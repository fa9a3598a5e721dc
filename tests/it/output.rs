//! Writing the output: unchanged files are left alone, changed ones replaced, stale ones
//! removed; the summary line and the progress bar.

use crate::support::{fixture_copy, read, read_tree, sitpress};
use std::collections::BTreeMap;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

/// Each file's bytes, inode and modification time.
type Stamps = BTreeMap<String, (Vec<u8>, u64, std::time::SystemTime)>;

/// Every file under `dir`: its bytes, inode and modification time.
fn stamps(dir: &Path) -> Stamps {
    read_tree(dir)
        .into_iter()
        .map(|(rel, bytes)| {
            let meta = std::fs::metadata(dir.join(&rel)).expect("stat");
            (rel, (bytes, meta.ino(), meta.modified().expect("mtime")))
        })
        .collect()
}

fn build(root: &Path) -> String {
    let out = sitpress().args(["build", "--root"]).arg(root).output().expect("runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("utf-8")
}

/// Waits long enough that a rewritten file would get a different modification time.
fn tick() {
    std::thread::sleep(std::time::Duration::from_millis(20));
}

#[test]
fn an_identical_rebuild_touches_no_file() {
    let site = fixture_copy("data-site");
    let out = site.path().join("public");
    let first = build(site.path());
    assert!(first.contains(" pages (0 unchanged) "), "{first}");
    let before = stamps(&out);
    tick();
    let second = build(site.path());
    assert_eq!(stamps(&out), before, "same bytes, inodes and modification times");
    let pages = before.keys().filter(|p| p.ends_with(".html")).count();
    assert!(second.starts_with(&format!("Built {pages} pages ({pages} unchanged) and ")), "{second}");
}

#[test]
fn a_changed_briefing_rewrites_only_the_files_that_changed() {
    let (site, out, before) = built_data_site();
    let b1 = site.path().join("content/briefings/b1.md");
    let text = std::fs::read_to_string(&b1).unwrap().replace("Body of the first briefing.", "A revised body.");
    std::fs::write(&b1, text).unwrap();
    let summary = build(site.path());
    let after = stamps(&out);
    // The same files, but for the search index, which gains a term file for the new word
    // ("revised" starts the site's first word in r).
    let not_index = |m: &std::collections::BTreeMap<String, _>| -> Vec<String> {
        m.keys().filter(|p| !p.starts_with("search-index/")).cloned().collect()
    };
    assert_eq!(not_index(&before), not_index(&after), "the same files");
    assert!(after.contains_key("search-index/t/r.js") && !before.contains_key("search-index/t/r.js"));
    let mut changed = Vec::new();
    for (rel, (bytes, ino, mtime)) in &after {
        let Some((old_bytes, old_ino, old_mtime)) = before.get(rel) else { continue };
        if bytes == old_bytes {
            assert_eq!((ino, mtime), (old_ino, old_mtime), "`{rel}` is unchanged but was rewritten");
        } else {
            assert_ne!(mtime, old_mtime, "`{rel}` changed");
            changed.push(rel.as_str());
        }
    }
    assert!(changed.contains(&"briefings/b1/index.html"), "{changed:?}");
    assert!(!changed.contains(&"actors/lonely/index.html"), "{changed:?}");
    let pages = after.keys().filter(|p| p.ends_with(".html")).count();
    let changed_pages = changed.iter().filter(|p| p.ends_with(".html")).count();
    assert!(summary.contains(&format!("({} unchanged)", pages - changed_pages)), "{summary}");

    // What the sync left is exactly a fresh build of the new content.
    let fresh = site.path().join("fresh");
    sitpress().args(["build", "--quiet", "--root"]).arg(site.path()).arg("-o").arg(&fresh).assert().success();
    assert_eq!(read_tree(&out), read_tree(&fresh));
}

#[test]
fn files_no_longer_produced_are_removed_and_edited_ones_restored() {
    let site = fixture_copy("data-site");
    let out = site.path().join("public");
    build(site.path());
    let built = read_tree(&out);
    std::fs::write(out.join("stale.html"), "old").unwrap();
    std::fs::create_dir_all(out.join("gone/deeper")).unwrap();
    std::fs::write(out.join("gone/deeper/page.html"), "old").unwrap();
    std::fs::write(out.join("index.html"), "edited by hand").unwrap();
    // A folder where the build writes a file, and a file where it needs a folder.
    std::fs::remove_file(out.join("404.html")).unwrap();
    std::fs::create_dir_all(out.join("404.html/x")).unwrap();
    std::fs::remove_dir_all(out.join("briefings/b1")).unwrap();
    std::fs::write(out.join("briefings/b1"), "a file").unwrap();
    let summary = build(site.path());
    assert!(summary.contains("removed 2 old files"), "{summary}");
    assert_eq!(read_tree(&out), built);
    assert!(!out.join("gone").exists(), "emptied folders are removed");
}

#[test]
fn summary_line_in_a_pipe_and_no_progress_bar() {
    let site = fixture_copy("data-site");
    let out = sitpress().args(["build", "--root"]).arg(site.path()).output().expect("runs");
    assert!(out.status.success());
    let stdout = String::from_utf8(out.stdout).unwrap();
    let line = stdout.strip_suffix('\n').expect("one line");
    assert!(!line.contains('\n'), "{stdout}");
    let (pages, rest) =
        line.strip_prefix("Built ").and_then(|l| l.split_once(" pages (0 unchanged) and ")).expect(line);
    let (files, rest) = rest.split_once(" files in ").expect(line);
    let secs = rest.strip_suffix(" s").expect(line);
    assert!(pages.parse::<usize>().unwrap() > 5 && files.parse::<usize>().unwrap() > 5, "{line}");
    assert!(secs.parse::<f64>().is_ok() && secs.split_once('.').is_some_and(|(_, d)| d.len() == 2), "{line}");
    // stderr has the fixture's lint warnings, and nothing of a bar.
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.ends_with("0 errors, 3 warnings\n"), "{stderr}");
    for bar in ["\r", "\x1b", "Rendering", "Writing"] {
        assert!(!stderr.contains(bar), "{bar:?} in {stderr:?}");
    }

    sitpress().args(["build", "--quiet", "--root"]).arg(site.path()).assert().success().stdout("");
}

/// The data site, copied and built once: the copy, its output folder and the output's stamps,
/// a tick later, so that any file the next build writes has a new modification time.
fn built_data_site() -> (tempfile::TempDir, PathBuf, Stamps) {
    let site = fixture_copy("data-site");
    let out = site.path().join("public");
    build(site.path());
    let before = stamps(&out);
    tick();
    (site, out, before)
}

/// `out` is as `before` recorded it (bytes, inodes, modification times), with nothing left
/// beside it.
fn assert_untouched(out: &Path, before: &Stamps) {
    assert_eq!(&stamps(out), before, "same files, bytes, inodes and modification times");
    assert_eq!(leftovers(out), Vec::<String>::new(), "no staging folder left behind");
}

/// Files beside `out` left by a build (staging folders, temporary files).
fn leftovers(out: &Path) -> Vec<String> {
    let parent = out.parent().expect("a parent");
    std::fs::read_dir(parent)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("sitpress-"))
        .collect()
}

/// Pages are staged while they render, so errors found only afterwards (a denied lint on the
/// rendered site, a static file clashing with a generated one) must still leave the previous
/// output exactly as it was.
#[test]
fn an_error_found_after_rendering_leaves_the_output_untouched() {
    let (site, out, before) = built_data_site();

    // A link to a page the site does not make: reported once the pages are rendered, and an
    // edit that changes the briefing's page, so the failed build had new bytes to stage.
    let b1 = site.path().join("content/briefings/b1.md");
    let text = std::fs::read_to_string(&b1).unwrap();
    let broken = text.replace("Body of the first briefing.", "See [nowhere](/reports/nowhere/).");
    assert_ne!(text, broken);
    std::fs::write(&b1, &broken).unwrap();
    let run = sitpress().args(["build", "--deny", "dangling-link", "--root"]).arg(site.path()).output().unwrap();
    assert_eq!(run.status.code(), Some(1), "{}", String::from_utf8_lossy(&run.stderr));
    assert!(String::from_utf8_lossy(&run.stderr).contains("error[dangling-link]"));
    assert_untouched(&out, &before);

    // A static file where a generated file goes.
    std::fs::write(&b1, &text).unwrap();
    std::fs::create_dir_all(site.path().join("static")).unwrap();
    std::fs::write(site.path().join("static/sitemap.xml"), "mine").unwrap();
    let run = sitpress().args(["build", "--root"]).arg(site.path()).output().unwrap();
    assert_eq!(run.status.code(), Some(1), "{}", String::from_utf8_lossy(&run.stderr));
    assert!(String::from_utf8_lossy(&run.stderr).contains("would overwrite the generated `/sitemap.xml`"));
    assert_untouched(&out, &before);
}

/// A template error in one page fails the build after other pages were staged.
#[test]
fn a_template_error_leaves_the_output_untouched() {
    let (site, out, before) = built_data_site();
    std::fs::create_dir_all(site.path().join("templates")).unwrap();
    let actor = std::fs::read_to_string(crate::support::repo_root().join("templates/actor.html")).unwrap();
    let broken = actor.replacen("{{", "{{ no_such_variable.field ~ ", 1);
    std::fs::write(site.path().join("templates/actor.html"), broken).unwrap();
    let run = sitpress().args(["build", "--root"]).arg(site.path()).output().unwrap();
    assert_eq!(run.status.code(), Some(1), "{}", String::from_utf8_lossy(&run.stderr));
    assert_untouched(&out, &before);
}

/// A first build moves its whole staging folder into place; one that fails leaves no output
/// folder at all, and an empty folder made beforehand is filled like a missing one.
#[test]
fn a_first_build_makes_the_whole_folder_or_nothing() {
    let site = fixture_copy("data-site");
    let out = site.path().join("public");
    let b1 = site.path().join("content/briefings/b1.md");
    let text = std::fs::read_to_string(&b1).unwrap();
    std::fs::write(&b1, text.replace("Body of the first briefing.", "See [nowhere](/reports/nowhere/).")).unwrap();
    let run = sitpress().args(["build", "--deny", "dangling-link", "--root"]).arg(site.path()).output().unwrap();
    assert_eq!(run.status.code(), Some(1), "{}", String::from_utf8_lossy(&run.stderr));
    assert!(!out.exists(), "no output folder after a failed first build");
    assert_eq!(leftovers(&out), Vec::<String>::new(), "no staging folder left behind");

    std::fs::write(&b1, &text).unwrap();
    std::fs::create_dir(&out).unwrap();
    let summary = build(site.path());
    assert!(summary.contains(" pages (0 unchanged) "), "{summary}");
    assert!(out.join(".sitpress-output").is_file() && out.join("index.html").is_file());
    assert_eq!(leftovers(&out), Vec::<String>::new(), "no staging folder left behind");
    // The next build compares with what the first one made.
    let before = stamps(&out);
    tick();
    build(site.path());
    assert_eq!(stamps(&out), before);
}

/// What sitpress did not make in the output is kept across rebuilds: hidden files and folders
/// (a gh-pages worktree's `.git`, `.nojekyll`, `.well-known/`), at any depth, and links the build
/// does not write through; a hidden file the build itself produces (from `static/`) replaces the
/// output's.
#[test]
fn hidden_files_and_unrelated_links_survive_rebuilds() {
    let (site, out, _) = built_data_site();
    let outside = site.path().join("outside");
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::write(outside.join("video.mp4"), "big file").unwrap();
    let theirs = [
        (".git/HEAD", "ref: refs/heads/gh-pages\n"),
        (".git/objects/ab/cdef", "object"),
        (".nojekyll", ""),
        (".well-known/their.txt", "theirs"),
        (".well-known/security.txt", "old contact"),
        ("briefings/.keep", ""),
        ("briefings/b1/.notes", "a note beside a page the build rewrites"),
    ];
    for (rel, text) in theirs {
        std::fs::create_dir_all(out.join(rel).parent().unwrap()).unwrap();
        std::fs::write(out.join(rel), text).unwrap();
    }
    std::os::unix::fs::symlink(&outside, out.join("media")).unwrap();
    std::os::unix::fs::symlink(outside.join("video.mp4"), out.join("briefings/clip.mp4")).unwrap();
    std::fs::create_dir_all(site.path().join("static/.well-known")).unwrap();
    std::fs::write(site.path().join("static/.well-known/security.txt"), "Contact: x@example.org\n").unwrap();
    let b1 = site.path().join("content/briefings/b1.md");
    std::fs::write(&b1, read(&b1).replace("Body of the first briefing.", "A revised body.")).unwrap();

    build(site.path());
    build(site.path());
    // A folder holding only hidden entries, such as a fresh `git worktree`, is the user's to
    // build into, and they stay.
    let worktree = site.path().join("gh-pages");
    for rel in [".git", ".nojekyll"] {
        std::fs::create_dir_all(&worktree).unwrap();
        std::fs::write(worktree.join(rel), "gitdir: ../.git/worktrees/gh-pages\n").unwrap();
    }
    sitpress().args(["build", "--quiet", "--root"]).arg(site.path()).arg("-o").arg(&worktree).assert().success();
    sitpress().args(["build", "--quiet", "--root"]).arg(site.path()).arg("-o").arg(&worktree).assert().success();
    assert_eq!(read(worktree.join(".git")), "gitdir: ../.git/worktrees/gh-pages\n");
    assert!(worktree.join(".nojekyll").is_file() && worktree.join("index.html").is_file());
    for (rel, text) in theirs.iter().filter(|(rel, _)| *rel != ".well-known/security.txt") {
        assert_eq!(read(out.join(rel)), *text, "`{rel}` is kept");
    }
    assert_eq!(read(out.join(".well-known/security.txt")), "Contact: x@example.org\n", "the build's own file wins");
    for link in ["media", "briefings/clip.mp4"] {
        assert!(out.join(link).symlink_metadata().unwrap().file_type().is_symlink(), "`{link}` is kept");
    }
    assert_eq!(read(outside.join("video.mp4")), "big file");
    assert!(read(out.join("briefings/b1/index.html")).contains("A revised body."));

    // Apart from what it did not make, the output is exactly a fresh build.
    let fresh = site.path().join("fresh");
    sitpress().args(["build", "--quiet", "--root"]).arg(site.path()).arg("-o").arg(&fresh).assert().success();
    let ours = |tree: Vec<(String, Vec<u8>)>| -> Vec<(String, Vec<u8>)> {
        tree.into_iter()
            .filter(|(rel, _)| !theirs.iter().any(|(t, _)| t == rel) || rel.ends_with("security.txt"))
            .collect()
    };
    assert_eq!(ours(read_tree(&out)), read_tree(&fresh));
    // And the links do not make the next build rewrite anything.
    let before = stamps(&out);
    tick();
    build(site.path());
    assert_eq!(stamps(&out), before);
}

/// A link where the build writes a file, or a folder the build writes into, is replaced by a
/// real file or folder: the build never writes through it, and never trusts what it points to
/// as the output's current bytes.
#[test]
fn links_where_the_build_writes_are_replaced_not_written_through() {
    let (site, out, _) = built_data_site();
    let built = read_tree(&out);
    // Copies of what the output holds, elsewhere, linked from where the output had them.
    let elsewhere = site.path().join("elsewhere");
    crate::support::copy_dir(&out.join("actors"), &elsewhere.join("actors"));
    std::fs::copy(out.join("index.html"), elsewhere.join("index.html")).unwrap();
    std::fs::remove_dir_all(out.join("actors")).unwrap();
    std::fs::remove_file(out.join("index.html")).unwrap();
    std::os::unix::fs::symlink(elsewhere.join("actors"), out.join("actors")).unwrap();
    std::os::unix::fs::symlink(elsewhere.join("index.html"), out.join("index.html")).unwrap();
    let elsewhere_before = read_tree(&elsewhere);

    build(site.path());
    for rel in ["actors", "index.html"] {
        assert!(!out.join(rel).symlink_metadata().unwrap().file_type().is_symlink(), "`{rel}` is no longer a link");
    }
    assert_eq!(read_tree(&out), built, "the output is whole again");
    assert_eq!(read_tree(&elsewhere), elsewhere_before, "what the links pointed to is untouched");
}

/// A folder holding something sitpress did not make, where the build now writes a file, stops
/// the commit before anything moves.
#[test]
fn a_folder_of_hidden_files_where_a_page_goes_is_not_deleted() {
    let (site, out, _) = built_data_site();
    std::fs::remove_file(out.join("404.html")).unwrap();
    std::fs::create_dir_all(out.join("404.html")).unwrap();
    std::fs::write(out.join("404.html/.keep"), "mine").unwrap();
    let b1 = site.path().join("content/briefings/b1.md");
    std::fs::write(&b1, read(&b1).replace("Body of the first briefing.", "A revised body.")).unwrap();
    let before = stamps(&out);
    let run = sitpress().args(["build", "--root"]).arg(site.path()).output().unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("404.html/.keep") && stderr.contains("which sitpress did not make"), "{stderr}");
    assert_untouched(&out, &before);
    assert_eq!(read(out.join("404.html/.keep")), "mine");
}
