//! Embeds the built-in theme (templates/ and static/) in the binary.
//!
//! Generates `$OUT_DIR/theme.rs` with one `(name, include_str!(..))` entry per file, so adding
//! a template or a stylesheet needs no list kept by hand.

use std::fmt::Write;
use std::path::Path;

fn main() {
    let root = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let mut out = String::new();
    for (konst, dir) in [("BUILTIN", "templates"), ("STATIC", "static")] {
        let base = Path::new(&root).join(dir);
        println!("cargo:rerun-if-changed={}", base.display());
        let mut files = Vec::new();
        collect(&base, &base, &mut files);
        files.sort();
        writeln!(out, "pub const {konst}: &[(&str, &str)] = &[").unwrap();
        for (name, path) in files {
            println!("cargo:rerun-if-changed={path}");
            writeln!(out, "    ({name:?}, include_str!({path:?})),").unwrap();
        }
        writeln!(out, "];").unwrap();
    }
    let dest = Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("theme.rs");
    std::fs::write(dest, out).expect("OUT_DIR is writable");
}

fn collect(base: &Path, dir: &Path, out: &mut Vec<(String, String)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') {
            continue;
        }
        if path.is_dir() {
            println!("cargo:rerun-if-changed={}", path.display());
            collect(base, &path, out);
        } else {
            let rel = path.strip_prefix(base).expect("under base");
            let rel = rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/");
            out.push((rel, path.display().to_string()));
        }
    }
}
