//! Shared helpers: run the binary on a fixture copy, read outputs.

#![allow(dead_code)]

use assert_cmd::Command;
use std::path::{Path, PathBuf};

/// The fixed day used by tests, so forecast statuses do not depend on the calendar:
/// 2025-01-01T00:00:00Z.
pub const EPOCH_2025: &str = "1735689600";

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `sitpress` with a fixed SOURCE_DATE_EPOCH and no colour.
pub fn sitpress() -> Command {
    let mut cmd = Command::cargo_bin("sitpress").expect("binary builds");
    cmd.env("SOURCE_DATE_EPOCH", EPOCH_2025).env("NO_COLOR", "1");
    cmd
}

/// Copies the fixture site `name` (a folder under tests/fixtures) into a fresh temp dir.
pub fn fixture_copy(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    copy_dir(&fixtures().join(name), dir.path());
    dir
}

pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.expect("readable fixture");
        let rel = entry.path().strip_prefix(from).expect("under root");
        let dest = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).expect("mkdir");
        } else {
            std::fs::copy(entry.path(), &dest).expect("copy");
        }
    }
}

/// Builds `root` into `root/public`; returns the output folder.
pub fn build_ok(root: &Path) -> PathBuf {
    sitpress().args(["build", "--quiet", "--root"]).arg(root).assert().success();
    root.join("public")
}

/// Every file under `dir`, relative, with its bytes.
pub fn read_tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.expect("readable");
        if entry.file_type().is_file() {
            let rel = entry.path().strip_prefix(dir).expect("under").to_string_lossy().replace('\\', "/");
            out.push((rel, std::fs::read(entry.path()).expect("read")));
        }
    }
    out
}

pub fn read(path: impl AsRef<Path>) -> String {
    std::fs::read_to_string(path.as_ref()).unwrap_or_else(|e| panic!("read {}: {e}", path.as_ref().display()))
}

/// Joins a relative link to the folder of `page` (an output path such as
/// `briefings/b1/index.html`), resolving `.` and `..`; `None` if it climbs above the root.
pub fn join_relative(page: &str, link: &str) -> Option<String> {
    let mut parts: Vec<&str> = page.split('/').collect();
    parts.pop();
    let trailing =
        link.is_empty() || link.ends_with('/') || link.ends_with("/.") || link == "." || link.ends_with("..");
    for seg in link.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    let mut path = parts.join("/");
    if trailing && !path.is_empty() {
        path.push('/');
    }
    Some(path)
}

/// Builds `root` into `out` with the given base URL (`--base-url`).
pub fn build_with_base(root: &Path, out: &Path, base_url: &str) {
    sitpress()
        .args(["build", "--quiet", "--root"])
        .arg(root)
        .arg("--output")
        .arg(out)
        .args(["--base-url", base_url])
        .assert()
        .success();
}
