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
        ("src/content", &["crate::render", "crate::build", "crate::check", "crate::cli", "crate::output", "tera::"]),
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

/// The crate's top-level modules each file uses, read from `use crate::...` trees (grouped
/// ones included: `use crate::{render::urls, build}` uses `render` and `build`) and from paths
/// written out in code (`crate::output::MARKER`).
fn crate_deps(text: &str) -> std::collections::BTreeSet<String> {
    let code: String = text.lines().filter(|l| !l.trim_start().starts_with("//")).collect::<Vec<_>>().join("\n");
    let mut deps = std::collections::BTreeSet::new();
    for (i, _) in code.match_indices("crate::") {
        if code[..i].chars().next_back().is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue;
        }
        let rest = &code[i + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            // The top-level names of the group, nested groups skipped.
            let mut depth = 0;
            let mut name = String::new();
            let mut at_start = true;
            for c in group.chars() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => at_start = true,
                    c if depth == 0 && at_start && (c.is_alphanumeric() || c == '_') => name.push(c),
                    _ if depth == 0 && at_start && !name.is_empty() => {
                        deps.insert(std::mem::take(&mut name));
                        at_start = false;
                    }
                    _ => {}
                }
            }
            if !name.is_empty() {
                deps.insert(name);
            }
        } else {
            let name: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
            if !name.is_empty() {
                deps.insert(name);
            }
        }
    }
    deps
}

/// The top-level module a source file belongs to (`src/render/urls.rs` is `render`).
fn module_of(path: &str) -> String {
    let rel = path.split("/src/").nth(1).unwrap_or(path);
    rel.split('/').next().unwrap_or(rel).trim_end_matches(".rs").to_string()
}

/// The layers, read from `use` trees: each module may use only the modules listed for it.
#[test]
fn modules_use_only_the_layers_below_them() {
    let allowed: &[(&str, &[&str])] = &[
        ("model", &[]),
        ("diagnostic", &[]),
        ("timings", &[]),
        ("yaml", &["diagnostic"]),
        ("config", &["diagnostic", "yaml", "model"]),
        ("content", &["diagnostic", "yaml", "model", "config", "timings"]),
        ("check", &["diagnostic", "yaml", "model", "config", "content"]),
        ("render", &["diagnostic", "model", "config", "timings"]),
        ("output", &[]),
        ("scaffold", &["model"]),
        ("build", &["diagnostic", "model", "config", "content", "check", "render", "output", "timings"]),
        ("serve", &["diagnostic", "config", "build", "render", "model", "content"]),
        ("lsp", &["diagnostic", "config", "build", "model", "content", "yaml"]),
        (
            "cli",
            &[
                "diagnostic",
                "build",
                "check",
                "content",
                "output",
                "scaffold",
                "serve",
                "lsp",
                "config",
                "model",
                "render",
            ],
        ),
    ];
    let mut problems = Vec::new();
    for (path, text) in sources("src") {
        let module = module_of(&path);
        if module == "main" || module == "lib" {
            continue;
        }
        let Some((_, ok)) = allowed.iter().find(|(m, _)| *m == module) else {
            problems.push(format!("{path}: module `{module}` has no place in the layers of this test"));
            continue;
        };
        for dep in crate_deps(&text) {
            if dep != module && !ok.contains(&dep.as_str()) {
                problems.push(format!("{path}: `{module}` uses `crate::{dep}`"));
            }
        }
    }
    assert!(problems.is_empty(), "layering broken:\n{}", problems.join("\n"));
}

#[test]
fn grouped_use_trees_are_read() {
    let deps =
        crate_deps("use crate::{render::{urls, views}, build};\nfn f() { crate::output::x(); }\n// crate::cli\n");
    assert_eq!(deps.into_iter().collect::<Vec<_>>(), ["build", "output", "render"]);
}

/// Threads are started only by `serve` (its server and watcher), `lsp` (the editor's
/// connection, and the pool whole checks run on) and the CLI (its progress bar); everything
/// else runs on rayon's pool, which the renderer and the loader share.
#[test]
fn threads_only_in_serve_lsp_and_the_cli() {
    let spawns =
        ["thread::spawn", "thread::scope", "thread::Builder", "tokio::spawn", "tokio::runtime", "ThreadPoolBuilder"];
    let offenders: Vec<String> = sources("src")
        .into_iter()
        .filter(|(p, _)| !["serve", "lsp", "cli"].contains(&module_of(p).as_str()))
        .flat_map(|(p, t)| {
            spawns.iter().filter(|s| t.contains(**s)).map(move |s| format!("{p}: {s}")).collect::<Vec<_>>()
        })
        .collect();
    assert!(offenders.is_empty(), "{offenders:?}");
}

/// Only `output` (the site) and `scaffold` (`init`, `new`) write files (unit tests aside).
#[test]
fn files_are_written_only_by_output_and_scaffold() {
    let writes = [
        "fs::write",
        "File::create",
        "OpenOptions",
        "fs::copy",
        "create_dir",
        "remove_file",
        "remove_dir",
        "fs::rename",
    ];
    let offenders: Vec<String> = sources("src")
        .into_iter()
        .filter(|(p, _)| !["output", "scaffold"].contains(&module_of(p).as_str()))
        .flat_map(|(p, t)| {
            // Unit tests may make their own fixtures.
            let code: String = t
                .lines()
                .take_while(|l| l.trim() != "#[cfg(test)]")
                .filter(|l| !l.trim_start().starts_with("//"))
                .collect::<Vec<_>>()
                .join("\n");
            writes.iter().filter(|w| code.contains(**w)).map(move |w| format!("{p}: {w}")).collect::<Vec<_>>()
        })
        .collect();
    assert!(offenders.is_empty(), "{offenders:?}");
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

/// Every module but `cli` (the binary's) is private to the crate, so that the compiler reports
/// an item nothing uses; what tests and benches reach goes through `internals`, by name.
#[test]
fn modules_are_private_so_dead_code_is_reported() {
    let lib = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("src/lib.rs")).unwrap();
    let public: Vec<&str> = lib
        .lines()
        .filter_map(|l| l.trim_start().strip_prefix("pub mod "))
        .map(|rest| rest.trim_end_matches([';', '{', ' ']))
        .collect();
    assert_eq!(public, ["cli", "internals"], "public modules of src/lib.rs");
}
