//! YAML with positions: serde_yaml errors turned into diagnostics at file lines, with
//! suggestions, and ([`tree`]) the position of any key or value for later validation.
//! A leaf module: config and content both read YAML through it.

mod syntax;
pub mod tree;

use crate::diagnostic::{Diagnostic, Fix, Loc, did_you_mean};
use serde::de::DeserializeOwned;
use tree::{Locator, Seg, parse_path};

/// Deserializes `text`, the YAML block of `path` starting at file line `first_line`.
pub fn from_str<T: DeserializeOwned>(text: &str, path: &str, first_line: usize) -> Result<T, Diagnostic> {
    serde_yaml::from_str(text).map_err(|e| to_diagnostic(&e, text, path, first_line))
}

/// The keys allowed in the mapping reached by a path of key names (list indices left out);
/// `None` for mappings whose keys are not checked.
pub type Schema = fn(&[&str]) -> Option<&'static [&'static str]>;

/// Like [`from_str`], but reports *every* unknown key at once (each with a suggestion), not
/// only the first: a typo in one key should not hide a typo in the next. When unknown keys
/// were the only problem, the value is still returned (with the errors) so that the rest of
/// the file can be validated too.
///
/// `T` must reject the keys `schema` does not allow (`#[serde(deny_unknown_fields)]`).
pub fn from_str_checked<T: DeserializeOwned>(
    text: &str,
    path: &str,
    first_line: usize,
    schema: Schema,
) -> (Option<T>, Vec<Diagnostic>) {
    // The common case, a valid document in the usual shape: the exact reading of `tree`.
    // Anything else goes to serde_yaml.
    if let Some(v) = tree::from_str::<T>(text) {
        return (Some(v), Vec::new());
    }
    // A valid document: one pass straight into `T`. As `T` rejects unknown keys, success means
    // there were none. Only a document with a problem is read again, as a tree, to report all
    // of them.
    let direct = match serde_yaml::from_str::<T>(text) {
        Ok(v) => return (Some(v), Vec::new()),
        Err(e) => e,
    };
    let mut value: serde_yaml::Value = match serde_yaml::from_str(text) {
        Ok(v) => v,
        Err(e) => return (None, vec![to_diagnostic(&e, text, path, first_line)]),
    };
    // Positions are worked out only for the unknown keys found, if any.
    let locator = std::cell::OnceCell::new();
    let mut walk = Walk { schema, text, locator: &locator, path, first_line, out: Vec::new() };
    walk.strip(&mut value, &mut Vec::new());
    let unknown = walk.out;
    if unknown.is_empty() {
        return recover(text.to_string(), direct, path, first_line, Vec::new());
    }
    // With the unknown keys reported, the rest can still be checked: preferably on the text
    // with those keys blanked out (line numbers kept, so later errors are exact), else on the
    // cleaned value.
    if let Some(blanked) = blank_keys(text, &walk_positions(&unknown, first_line)) {
        return match serde_yaml::from_str::<T>(&blanked) {
            Ok(v) => (Some(v), unknown),
            Err(e) => recover(blanked, e, path, first_line, unknown),
        };
    }
    let mut unknown = unknown;
    match serde_yaml::from_value::<T>(value) {
        Ok(v) => (Some(v), unknown),
        Err(e) => {
            unknown.push(to_diagnostic(&e, text, path, first_line));
            (None, unknown)
        }
    }
}

/// How many wrong values one document may have left out before the rest is given up on; each
/// is one more read of the document.
const MAX_RECOVERIES: usize = 64;

/// Reports `err`, the error of reading `text` (a document whose unknown keys, reported in
/// `reported`, are blanked out already), and goes on: a value of the wrong type or outside
/// its vocabulary is blanked out too, and the document read again, so that one wrong value
/// does not hide the mistakes after it. A required key so blanked gets a neutral stand-in
/// value (the first of [`STAND_INS`] its type takes), never reported: content::load drops what
/// resolve says at a line already reported. Gives up at an error that leaves no key to blank,
/// or at a missing required key (reported unless an unknown key was suggested in its place).
fn recover<T: DeserializeOwned>(
    mut text: String,
    mut err: serde_yaml::Error,
    path: &str,
    first_line: usize,
    mut reported: Vec<Diagnostic>,
) -> (Option<T>, Vec<Diagnostic>) {
    let mut blanked: Vec<Blanked> = Vec::new();
    for _ in 0..MAX_RECOVERIES {
        let msg = err.to_string();
        let (at, problem) = split_path(&msg);
        let next = if let Some(rest) = problem.strip_prefix("missing field `") {
            let field = rest.split('`').next().unwrap_or(rest);
            let full = if at.is_empty() { field.to_string() } else { format!("{at}.{field}") };
            match blanked.iter_mut().find(|b| b.path == full) {
                Some(b) => b.stand_in(&text),
                None => {
                    let suggested =
                        reported.iter().any(|u| u.help.as_deref() == Some(&format!("did you mean `{field}`?")));
                    if !suggested {
                        reported.push(to_diagnostic(&err, &text, path, first_line));
                    }
                    return (None, reported);
                }
            }
        } else if let Some(b) = blanked.iter_mut().find(|b| b.path == at && b.tried > 0) {
            // The stand-in does not fit the key's type either: the next one.
            b.stand_in(&text)
        } else {
            reported.push(to_diagnostic(&err, &text, path, first_line));
            let wrong_value = ["invalid type", "invalid value", "unknown variant", "invalid length"]
                .iter()
                .any(|p| problem.starts_with(p));
            let segs = parse_path(at);
            let Some(Seg::Key(key)) = segs.last().copied().filter(|_| wrong_value) else {
                return (None, reported);
            };
            let (line, col) = Locator::new(&text).key(&segs);
            let prefix: String =
                text.lines().nth(line.saturating_sub(1)).unwrap_or("").chars().take(col.saturating_sub(1)).collect();
            blanked.push(Blanked { path: at.to_string(), line, prefix, key: key.to_string(), tried: 0 });
            blank_keys(&text, &[(line, col)])
        };
        let Some(next) = next.filter(|next| *next != text) else {
            return (None, reported);
        };
        text = next;
        err = match serde_yaml::from_str::<T>(&text) {
            Ok(v) => return (Some(v), reported),
            Err(e) => e,
        };
    }
    (None, reported)
}

/// Neutral values for a required key whose own value was wrong, tried in turn until one fits
/// the key's type: text, a list, a number, a mapping.
const STAND_INS: [&str; 4] = ["\"\"", "[]", "0", "{}"];

/// A key [`recover`] blanked out, and where to write a stand-in for it.
struct Blanked {
    /// serde's path of the key (`claims[0].type`).
    path: String,
    /// YAML line of the key, 1-based.
    line: usize,
    /// What stood before the key on its line (indentation, `- `).
    prefix: String,
    key: String,
    /// Stand-ins tried so far.
    tried: usize,
}

impl Blanked {
    /// `text` with the next stand-in written at the key, if any is left.
    fn stand_in(&mut self, text: &str) -> Option<String> {
        let value = STAND_INS.get(self.tried)?;
        self.tried += 1;
        let mut lines: Vec<&str> = text.lines().collect();
        let written = format!("{}{}: {value}", self.prefix, self.key);
        *lines.get_mut(self.line.checked_sub(1)?)? = &written;
        let mut out = lines.join("\n");
        out.push('\n');
        Some(out)
    }
}

/// A path segment that owns its key, for walking a `Value` while building positions.
enum Owned {
    Key(String),
    Index(usize),
}

fn borrowed(segs: &[Owned]) -> Vec<Seg<'_>> {
    segs.iter()
        .map(|s| match s {
            Owned::Key(k) => Seg::Key(k.as_str()),
            Owned::Index(i) => Seg::Index(*i),
        })
        .collect()
}

struct Walk<'a> {
    schema: Schema,
    text: &'a str,
    locator: &'a std::cell::OnceCell<Locator>,
    path: &'a str,
    first_line: usize,
    out: Vec<Diagnostic>,
}

impl Walk<'_> {
    fn strip(&mut self, value: &mut serde_yaml::Value, segs: &mut Vec<Owned>) {
        match value {
            serde_yaml::Value::Mapping(map) => {
                let names: Vec<&str> = segs
                    .iter()
                    .filter_map(|s| match s {
                        Owned::Key(k) => Some(k.as_str()),
                        Owned::Index(_) => None,
                    })
                    .collect();
                let allowed = (self.schema)(&names);
                let keys: Vec<serde_yaml::Value> = map.keys().cloned().collect();
                for key in keys {
                    let Some(k) = key.as_str().map(str::to_string) else {
                        continue;
                    };
                    segs.push(Owned::Key(k.clone()));
                    if let Some(allowed) = allowed
                        && !allowed.contains(&k.as_str())
                    {
                        let (line, col) = self.locator.get_or_init(|| Locator::new(self.text)).key(&borrowed(segs));
                        let ctx = yaml_path(&segs[..segs.len() - 1]);
                        let meant = did_you_mean(&k, allowed.iter().copied());
                        let help = match meant {
                            Some(s) => format!("did you mean `{s}`?"),
                            None => format!("allowed keys here: {}", allowed.join(", ")),
                        };
                        let loc = Loc::new(self.path, self.first_line + line - 1, col);
                        let mut d =
                            Diagnostic::error(loc, format!("unknown key `{k}`{}", context(&ctx))).with_help(help);
                        d.fix = meant.map(|s| Box::new(Fix::Replace(s.to_string())));
                        self.out.push(d);
                        map.remove(&key);
                    } else if let Some(child) = map.get_mut(&key) {
                        self.strip(child, segs);
                    }
                    segs.pop();
                }
            }
            serde_yaml::Value::Sequence(items) => {
                for (i, item) in items.iter_mut().enumerate() {
                    segs.push(Owned::Index(i));
                    self.strip(item, segs);
                    segs.pop();
                }
            }
            _ => {}
        }
    }
}

fn yaml_path(segs: &[Owned]) -> String {
    let mut s = String::new();
    for seg in segs {
        match seg {
            Owned::Key(k) => {
                if !s.is_empty() {
                    s.push('.');
                }
                s.push_str(k);
            }
            Owned::Index(i) => s.push_str(&format!("[{i}]")),
        }
    }
    s
}

/// YAML-relative (line, column) of each reported key.
fn walk_positions(diags: &[Diagnostic], first_line: usize) -> Vec<(usize, usize)> {
    diags.iter().map(|d| (d.loc.line + 1 - first_line, d.loc.column)).collect()
}

/// `text` with the block keys at `positions` (and their nested lines) replaced by blank text.
/// `None` when a key is not the first thing on its line (a flow mapping), which cannot be cut.
fn blank_keys(text: &str, positions: &[(usize, usize)]) -> Option<String> {
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    for &(line, col) in positions {
        let ix = line.checked_sub(1)?;
        let current = lines.get(ix)?.clone();
        let start = current.char_indices().nth(col.checked_sub(1)?).map(|(b, _)| b)?;
        let before = &current[..start];
        if !before.chars().all(|c| c == ' ' || c == '-') {
            return None;
        }
        lines[ix] = before.to_string();
        let key_indent = col - 1;
        for next in lines.iter_mut().skip(ix + 1) {
            let indent = next.len() - next.trim_start_matches(' ').len();
            if next.trim().is_empty() || indent > key_indent {
                next.clear();
            } else {
                break;
            }
        }
    }
    let mut out = lines.join("\n");
    out.push('\n');
    Some(out)
}

fn to_diagnostic(err: &serde_yaml::Error, text: &str, path: &str, first_line: usize) -> Diagnostic {
    if let Some(s) = syntax::explain(&err.to_string(), err.location().map(|l| (l.line(), l.column())), text) {
        return Diagnostic::error(Loc::new(path, first_line + s.line - 1, s.column), s.message).with_help(s.help);
    }
    let full = file_positions(&err.to_string(), first_line);
    // The first position is the diagnostic's own location; a later one (`while parsing a flow
    // sequence at line L`) says where the unclosed construct began and is kept.
    let full = match full.find(" at line ") {
        Some(i) => {
            let after = &full[i + " at line ".len()..];
            let end = after.find(", ").map_or(full.len(), |j| i + " at line ".len() + j);
            format!("{}{}", &full[..i], &full[end..])
        }
        None => full,
    };
    let msg = full.as_str();
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
    } else if let Some(rest) = msg.strip_prefix("duplicate entry with key ") {
        let key = rest.trim_matches('"');
        message = format!("duplicate key `{key}`{}", context(yaml_path));
        let locator = Locator::new(text);
        if let Some(pos) = locator.duplicate_key(&segs, key) {
            (line, col) = pos;
        }
        let mut first = segs.clone();
        first.push(Seg::Key(key));
        let (first_at, _) = locator.key(&first);
        help = Some(format!("`{key}` is already set at line {}; keep one", first_line + first_at - 1));
    } else if segs.is_empty() && msg.starts_with("invalid type: sequence") {
        message = "the front matter is a list (its lines start with `- `), not keys with values".into();
        help = Some("remove the `- ` before each key: write `title: ...` on a line of its own".into());
    } else if segs.is_empty() && msg.starts_with("invalid type:") && !msg.starts_with("invalid type: map") {
        message = "the front matter is a single value, not keys with values".into();
        help = Some("write one `key: value` per line, such as `title: ...`".into());
    } else if msg.starts_with("invalid type") {
        message =
            format!("{}{}", readable_types(&msg.replace("invalid type: ", "wrong type: found ")), context(yaml_path));
        help = Some(shape_help(&segs));
    } else {
        message = format!("{msg}{}", context(yaml_path));
    }
    let file_line = if line == 0 { 1 } else { first_line + line - 1 };
    let col = if line == 0 { 1 } else { col.max(1) };
    Diagnostic::error(Loc::new(path, file_line, col), message).with_help_opt(help)
}

/// Rewrites serde_yaml's " at line L" (lines of the YAML block) to lines of the file.
fn file_positions(msg: &str, first_line: usize) -> String {
    let mut out = String::with_capacity(msg.len());
    let mut rest = msg;
    while let Some(i) = rest.find(" at line ") {
        out.push_str(&rest[..i + " at line ".len()]);
        let after = &rest[i + " at line ".len()..];
        let digits = after.len() - after.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        match after[..digits].parse::<usize>() {
            Ok(n) => out.push_str(&(n + first_line - 1).to_string()),
            Err(_) => out.push_str(&after[..digits]),
        }
        rest = &after[digits..];
    }
    out.push_str(rest);
    out
}

/// serde names the DTO it expected (`struct ClaimFm`); say what the author should write.
fn readable_types(msg: &str) -> String {
    const NAMES: &[(&str, &str)] = &[
        ("struct BriefingFm", "front matter keys (`title: ...`, `date: ...`)"),
        ("struct ActorFm", "front matter keys (`name: ...`)"),
        ("struct PageFm", "front matter keys (`title: ...`)"),
        ("struct ClaimFm", "a claim (a mapping with `type:` and `text:`)"),
        ("struct SourceFm", "a source (a mapping with `id:` and `title:`)"),
        ("struct ResolutionFm", "a resolution (a mapping with `claim:` and `outcome:`)"),
        ("struct RelationFm", "a relation (a mapping with `type:` and `target:`)"),
        ("struct GradedRefFm", "`{ref: <source id>, credibility: 1..6}`"),
        ("struct RawConfig", "configuration keys (`title: ...`)"),
        ("struct RawClaimType", "a claim type (a mapping with `id:` and `label:`)"),
        ("expected f64", "expected a number"),
        ("expected i64", "expected a whole number"),
        ("expected u64", "expected a whole number"),
        ("expected usize", "expected a whole number"),
    ];
    let mut out = msg.to_string();
    for (from, to) in NAMES {
        out = out.replace(from, to);
    }
    out
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

fn shape_help(segs: &[Seg<'_>]) -> String {
    match segs.last() {
        Some(Seg::Key(k)) if LIST_KEYS.contains(k) => {
            format!("`{k}` is a list: write `{k}: [a, b]` or one `- item` per line")
        }
        Some(Seg::Key(k)) => {
            format!("check the value of `{k}`; quote text that YAML could read as something else")
        }
        _ => "check the shape of this value against the content format".to_string(),
    }
}

const LIST_KEYS: &[&str] = &[
    "authors",
    "key_takeaways",
    "actors",
    "tags",
    "sources",
    "claims",
    "resolves",
    "about",
    "disputes",
    "supports",
    "indicators",
    "evidence",
    "aliases",
    "relations",
    "claim_types",
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
    fn a_wrong_value_is_reported_and_left_out_and_the_rest_still_read() {
        #[derive(Debug, Deserialize)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)]
        struct Loose {
            title: String,
            #[serde(default)]
            tags: Vec<String>,
            #[serde(default)]
            items: Vec<Item>,
            score: Option<f64>,
        }
        let schema: Schema = |p| match p {
            [] => Some(&["title", "tags", "items", "score"]),
            ["items"] => Some(&["kind"]),
            _ => None,
        };
        let text = "title: x\ntags: one\nitems:\n  - kind: [a]\n  - kind: b\nscore: high\ntitel: y\n";
        let (v, errors) = from_str_checked::<Loose>(text, "a.md", 2, schema);
        let found: Vec<(usize, &str)> = errors.iter().map(|d| (d.loc.line, d.message.as_str())).collect();
        assert_eq!(found.len(), 4, "{found:#?}");
        assert!(found[0].1.starts_with("unknown key `titel`") && found[0].0 == 8, "{found:#?}");
        assert!(found.iter().any(|(l, m)| *l == 3 && m.contains("in `tags`")), "{found:#?}");
        assert!(found.iter().any(|(l, m)| *l == 5 && m.contains("in `items[0].kind`")), "{found:#?}");
        assert!(found.iter().any(|(l, m)| *l == 7 && m.contains("expected a number in `score`")), "{found:#?}");
        // `items[0].kind` is required: it gets a stand-in, reported once, and the rest is read.
        assert!(v.is_some_and(|v| v.tags.is_empty() && v.items.len() == 2 && v.score.is_none()));
        let (v, errors) = from_str_checked::<Loose>("title: x\ntags: one\nscore: high\n", "a.md", 2, schema);
        assert_eq!(errors.len(), 2, "{errors:#?}");
        assert!(v.is_some_and(|v| v.tags.is_empty() && v.score.is_none()));
        let (v, errors) = from_str_checked::<Loose>("title: [x]\ntags: one\n", "a.md", 2, schema);
        assert_eq!(errors.len(), 2, "each reported once: {errors:#?}");
        assert!(v.is_some_and(|v| v.title.is_empty()), "the stand-in for a required text");
        // A key missing outright is still reported.
        let (v, errors) = from_str_checked::<Loose>("tags: one\n", "a.md", 2, schema);
        assert_eq!(errors.len(), 2, "{errors:#?}");
        assert!(errors[1].message.starts_with("missing required key `title`") && v.is_none(), "{errors:#?}");
    }

    #[test]
    fn wrong_shape() {
        let d = from_str::<Doc>("title: [a, b]\n", "a.md", 2).unwrap_err();
        assert_eq!(d.loc.line, 2, "{d:?}");
        assert!(d.message.starts_with("wrong type"), "{d:?}");
    }
}
