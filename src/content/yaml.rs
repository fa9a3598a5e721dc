//! serde_yaml errors turned into diagnostics at file positions, with suggestions.

use super::locate::{Locator, parse_path};
use crate::diagnostic::{Diagnostic, Loc, did_you_mean};
use serde::de::DeserializeOwned;

/// Deserializes `text`, the YAML block of `path` starting at file line `first_line`.
pub fn from_str<T: DeserializeOwned>(text: &str, path: &str, first_line: usize) -> Result<T, Diagnostic> {
    serde_yaml::from_str(text).map_err(|e| to_diagnostic(&e, text, path, first_line))
}

fn to_diagnostic(err: &serde_yaml::Error, text: &str, path: &str, first_line: usize) -> Diagnostic {
    let full = err.to_string();
    // serde_yaml appends " at line L column C"; the location is taken from `location()`.
    let msg = match full.rfind(" at line ") {
        Some(i) if full[i..].contains(" column ") => &full[..i],
        _ => full.as_str(),
    };
    let (yaml_path, msg) = split_path(msg);
    let segs = parse_path(yaml_path);
    let (mut line, mut col) = match err.location() {
        Some(l) => (l.line(), l.column()),
        None => Locator::new(text).value(&segs),
    };
    let mut help = None;
    let message;
    if let Some(rest) = msg.strip_prefix("unknown field `") {
        let (field, expected) = rest.split_once('`').unwrap_or((rest, ""));
        let candidates: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
        message = format!("unknown key `{field}`{}", context(yaml_path));
        help = Some(match did_you_mean(field, candidates.iter().copied()) {
            Some(s) => format!("did you mean `{s}`?"),
            None => format!("allowed keys here: {}", candidates.join(", ")),
        });
    } else if let Some(rest) = msg.strip_prefix("missing field `") {
        let field = rest.split('`').next().unwrap_or(rest);
        message = format!("missing required key `{field}`{}", context(yaml_path));
        // The item that lacks the key: its first line, or the front matter as a whole.
        (line, col) = if segs.is_empty() { (0, 1) } else { Locator::new(text).key(&segs) };
        help = Some(format!("add `{field}: ...`"));
    } else if let Some(rest) = msg.strip_prefix("unknown variant `") {
        let (variant, expected) = rest.split_once('`').unwrap_or((rest, ""));
        let candidates: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
        message = format!("invalid value `{variant}`{}", context(yaml_path));
        help = Some(match did_you_mean(variant, candidates.iter().copied()) {
            Some(s) => format!("did you mean `{s}`? allowed: {}", candidates.join(", ")),
            None => format!("allowed values: {}", candidates.join(", ")),
        });
    } else if msg.starts_with("data did not match any variant") {
        let in_sources = segs.iter().any(|s| *s == super::locate::Seg::Key("sources"));
        message = if in_sources {
            format!("wrong shape{}: expected a source id or `{{ref: <source id>, credibility: 1..6}}`", context(yaml_path))
        } else {
            format!("wrong type{}: expected text", context(yaml_path))
        };
    } else if msg.starts_with("invalid type") {
        message = format!("{}{}", msg.replace("invalid type: ", "wrong type: found "), context(yaml_path));
        help = Some(shape_help(&segs));
    } else {
        message = format!("{msg}{}", context(yaml_path));
    }
    let file_line = if line == 0 { 1 } else { first_line + line - 1 };
    let col = if line == 0 { 1 } else { col.max(1) };
    Diagnostic::error(Loc::new(path, file_line, col), message).with_help_opt(help)
}

fn context(yaml_path: &str) -> String {
    if yaml_path.is_empty() { String::new() } else { format!(" in `{yaml_path}`") }
}

fn split_path(msg: &str) -> (&str, &str) {
    if let Some((head, rest)) = msg.split_once(": ") {
        let is_path = !head.is_empty()
            && head.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '[' | ']'));
        if is_path {
            return (head, rest);
        }
    }
    ("", msg)
}

fn shape_help(segs: &[super::locate::Seg<'_>]) -> String {
    use super::locate::Seg;
    match segs.last() {
        Some(Seg::Key(k)) if LIST_KEYS.contains(k) => format!("`{k}` is a list: write `{k}: [a, b]` or one `- item` per line"),
        Some(Seg::Key(k)) => format!("check the value of `{k}`; quote text that YAML could read as something else"),
        _ => "check the shape of this value against the content format".to_string(),
    }
}

const LIST_KEYS: &[&str] = &[
    "authors", "key_takeaways", "actors", "tags", "sources", "claims", "resolves", "about", "disputes", "supports",
    "indicators", "evidence", "aliases", "relations", "claim_types",
];

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Doc {
        title: String,
        #[serde(default)]
        items: Vec<Item>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Item {
        kind: String,
    }

    #[test]
    fn unknown_key_with_suggestion() {
        let d = from_str::<Doc>("title: x\ntitel: y\n", "a.md", 2).unwrap_err();
        assert_eq!((d.loc.line, d.loc.column), (3, 1), "{d:?}");
        assert_eq!(d.message, "unknown key `titel`");
        assert_eq!(d.help.as_deref(), Some("did you mean `title`?"));
    }

    #[test]
    fn missing_key_points_at_the_item() {
        let d = from_str::<Doc>("title: x\nitems:\n  - kind: a\n  - knd: b\n", "a.md", 2).unwrap_err();
        assert_eq!(d.loc.line, 5, "{d:?}");
        let d = from_str::<Doc>("title: x\nitems:\n  - kind: a\n  - {}\n", "a.md", 2).unwrap_err();
        assert_eq!(d.loc.line, 5, "{d:?}");
        assert!(d.message.contains("missing required key `kind`"), "{d:?}");
        let d = from_str::<Doc>("items: []\n", "a.md", 2).unwrap_err();
        assert_eq!(d.loc.line, 1, "{d:?}");
    }

    #[test]
    fn wrong_shape() {
        let d = from_str::<Doc>("title: [a, b]\n", "a.md", 2).unwrap_err();
        assert_eq!(d.loc.line, 2, "{d:?}");
        assert!(d.message.starts_with("wrong type"), "{d:?}");
    }
}
