//! Architecture invariants, checked cheaply on the source text (after rust-analyzer's tidy).

use std::path::Path;

fn sources(dir: &str) -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    walkdir::WalkDir::new(&root)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "rs"))
        .map(|e| (e.path().display().to_string(), std::fs::read_to_string(e.path()).unwrap()))
        .collect()
}

/// Lower layers never reach up.
#[test]
fn layers_depend_downwards_only() {
    let rules: &[(&str, &[&str])] = &[
        ("src/model", &["crate::", "serde", "tera::", "std::fs", "std::io"]),
        ("src/yaml", &["crate::content", "crate::render", "crate::build", "crate::cli", "crate::model", "std::fs"]),
        ("src/content", &["crate::render", "crate::build", "crate::cli", "crate::output", "tera::"]),
        ("src/render", &["crate::content", "crate::build", "crate::cli", "crate::output", "std::fs"]),
        ("src/output.rs", &["crate::"]),
    ];
    let mut problems = Vec::new();
    for (dir, banned) in rules {
        for (path, text) in sources(dir) {
            for line in text.lines().filter(|l| !l.trim_start().starts_with("//")) {
                for b in *banned {
                    // The model's own sub-modules may name each other.
                    let allowed = *dir == "src/model" && line.contains("crate::model");
                    if mentions(line, b) && !allowed {
                        problems.push(format!("{path}: `{b}` in `{}`", line.trim()));
                    }
                }
            }
        }
    }
    assert!(problems.is_empty(), "layering broken:\n{}", problems.join("\n"));
}

/// Whether `line` names `path` (`tera`, `crate::cli`) as a whole word: `Iterator` does not
/// name `tera`, nor `serde_yaml_ext` `serde_yaml`.
fn mentions(line: &str, path: &str) -> bool {
    let ident = |c: char| c.is_alphanumeric() || c == '_';
    line.match_indices(path).any(|(i, _)| {
        let before = line[..i].chars().next_back();
        let after = line[i + path.len()..].chars().next();
        let glued_before = before.is_some_and(ident);
        let glued_after = path.ends_with(ident) && after.is_some_and(ident);
        !glued_before && !glued_after
    })
}

/// Only the CLI prints; everything else returns data. The one exception is the opt-in phase
/// timings for profiling (`SITPRESS_TIMINGS=1`), which print where the phases end.
#[test]
fn only_cli_prints() {
    let offenders: Vec<String> = sources("src")
        .into_iter()
        .filter(|(p, _)| !p.ends_with("src/cli.rs") && !p.ends_with("src/timings.rs"))
        .filter(|(_, t)| t.contains("println!(") || t.contains("eprintln!(") || t.contains("print!("))
        .map(|(p, _)| p)
        .collect();
    assert!(offenders.is_empty(), "{offenders:?}");
}

/// Every source file says what it owns.
#[test]
fn every_file_has_a_module_doc() {
    let missing: Vec<String> =
        sources("src").into_iter().filter(|(_, t)| !t.trim_start().starts_with("//!")).map(|(p, _)| p).collect();
    assert!(missing.is_empty(), "{missing:?}");
}
