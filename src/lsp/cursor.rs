//! Where a position is in a file's front matter: the keys above it, whether it is on a key or
//! a value, and the word under it. Read line by line, not parsed: a buffer being typed is
//! seldom valid YAML, and completion is asked for exactly then.

use std::ops::Range;

/// A position in a front matter, as the editor features need it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cursor {
    /// The keys from the top of the front matter down to the one whose value holds the
    /// position (`["claims", "by"]`); for a key being written, the keys of the mapping it is in.
    pub path: Vec<String>,
    pub on: On,
    /// The word under the position: a run of id characters (letters, digits, `-`, `_`, `.`,
    /// `#`), possibly empty, and its byte range in the line.
    pub word: String,
    pub range: Range<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum On {
    Key,
    Value,
}

/// The lines of the front matter of `text`: from the line after the opening `---` up to the
/// closing one (or the end, while it is not written yet), as 0-based line numbers.
pub fn front_matter_lines(text: &str) -> Option<Range<usize>> {
    let mut lines = text.lines();
    if lines.next()?.trim_start_matches('\u{feff}').trim_end() != "---" {
        return None;
    }
    let end = lines.position(|l| l.trim_end() == "---").map_or(text.lines().count(), |i| i + 1);
    Some(1..end)
}

/// The cursor at byte `col` of 0-based `line` in `text`; `None` outside the front matter or
/// in a comment.
pub fn at(text: &str, line: usize, col: usize) -> Option<Cursor> {
    let front = front_matter_lines(text)?;
    if !front.contains(&line) {
        return None;
    }
    let lines: Vec<&str> = text.lines().collect();
    let here = lines.get(line).copied().unwrap_or_default().trim_end_matches('\r');
    let col = floor_char_boundary(here, col.min(here.len()));
    if here[..col].contains(" #") || here.trim_start().starts_with('#') {
        return None;
    }
    let shape = Shape::of(here);
    let (word, range) = word_at(here, col);
    let mut path = parents(&lines[front.start..line], shape.column);
    let value_from = match &shape.key {
        Some((key, _, colon)) if col > *colon => {
            path.push(key.clone());
            colon + 1
        }
        Some(_) => return Some(Cursor { path, on: On::Key, word, range }),
        None => shape.column,
    };
    // In the indentation before a line's content: a key of the mapping there.
    if col < value_from {
        return Some(Cursor { path, on: On::Key, word, range });
    }
    // Inside a flow mapping (`sources: [{ref: s1, credibility: 2}]`): its key before the
    // position, if any, is one more level.
    if let Some(open) = unclosed_brace(&here[value_from..col]) {
        let inside = &here[value_from + open + 1..col];
        let after_key = inside.rsplit([',', '{']).next().unwrap_or_default();
        return match after_key.split_once(':') {
            Some((key, _)) => {
                path.push(key.trim().to_string());
                Some(Cursor { path, on: On::Value, word, range })
            }
            None => Some(Cursor { path, on: On::Key, word, range }),
        };
    }
    let on = match &shape.key {
        Some(_) => On::Value,
        // `- text` in a list of scalars, or a key being written (`  - ty`, `    lik`): a list
        // of mappings takes keys.
        None if shape.dash && !takes_mappings(&path) => On::Value,
        None => On::Key,
    };
    Some(Cursor { path, on, word, range })
}

/// The lists whose items are mappings, by their path.
fn takes_mappings(path: &[String]) -> bool {
    let path: Vec<&str> = path.iter().map(String::as_str).collect();
    matches!(
        path.as_slice(),
        ["sources"] | ["claims"] | ["resolves"] | ["relations"] | ["claims", "alternatives"] | ["claim_types"]
    )
}

/// One line's layout: the column its content starts at (after any `- ` markers), and its key,
/// the key's byte range and the byte index of its `:`.
struct Shape {
    column: usize,
    dash: bool,
    key: Option<(String, Range<usize>, usize)>,
}

impl Shape {
    fn of(line: &str) -> Shape {
        let mut i = line.len() - line.trim_start_matches(' ').len();
        let mut dash = false;
        loop {
            let rest = &line[i..];
            if rest == "-" || rest.starts_with("- ") {
                dash = true;
                i += 1;
                i += line[i..].len() - line[i..].trim_start_matches(' ').len();
            } else {
                break;
            }
        }
        let rest = &line[i..];
        let key_len = rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-')).unwrap_or(rest.len());
        let after = &rest[key_len..];
        let colon = after.len() - after.trim_start_matches(' ').len();
        let key = (key_len > 0 && after[colon..].starts_with(':') && {
            let next = after[colon + 1..].chars().next();
            next.is_none_or(char::is_whitespace)
        })
        .then(|| (rest[..key_len].to_string(), i..i + key_len, i + key_len + colon));
        Shape { column: i, dash, key }
    }
}

/// The keys of the mappings that hold a line whose content starts at `column`, read upwards
/// from the end of `above`.
fn parents(above: &[&str], mut column: usize) -> Vec<String> {
    let mut keys = Vec::new();
    for line in above.iter().rev() {
        if column == 0 {
            break;
        }
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() || line.trim_start().starts_with('#') {
            continue;
        }
        let shape = Shape::of(line);
        if shape.column < column
            && let Some((key, ..)) = shape.key
        {
            keys.push(key);
            column = shape.column;
        } else if shape.column < column && !shape.dash {
            // A line of text less indented than the position (a block scalar's): above it,
            // the keys are no longer this position's.
            column = shape.column;
        }
    }
    keys.reverse();
    keys
}

/// The byte index in `text` of a `{` not closed before its end.
fn unclosed_brace(text: &str) -> Option<usize> {
    let mut open = Vec::new();
    for (i, c) in text.char_indices() {
        match c {
            '{' => open.push(i),
            '}' => {
                open.pop();
            }
            _ => {}
        }
    }
    open.pop()
}

/// Whether `c` can be part of an id, a claim ref or a key.
pub fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | '#')
}

/// The word around byte `col` of `line`, and its byte range.
pub fn word_at(line: &str, col: usize) -> (String, Range<usize>) {
    let start = line[..col]
        .rfind(|c: char| !is_word_char(c))
        .map_or(0, |i| i + line[i..].chars().next().map_or(1, char::len_utf8));
    let end = line[col..].find(|c: char| !is_word_char(c)).map_or(line.len(), |i| col + i);
    (line[start..end].to_string(), start..end)
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The cursor where `|` is in `text` (the `|` taken out).
    fn cursor(text: &str) -> Option<Cursor> {
        let at_bar = text.find('|').expect("a | in the text");
        let text = text.replacen('|', "", 1);
        let line = text[..at_bar].matches('\n').count();
        let col = at_bar - text[..at_bar].rfind('\n').map_or(0, |i| i + 1);
        at(&text, line, col)
    }

    fn path(c: &Cursor) -> Vec<&str> {
        c.path.iter().map(String::as_str).collect()
    }

    #[test]
    fn values_in_block_and_flow_lists_know_their_key() {
        let c = cursor("---\ntitle: x\nactors: [russia, nor|]\n---\n").unwrap();
        assert_eq!((path(&c), c.on, c.word.as_str()), (vec!["actors"], On::Value, "nor"));
        let c = cursor("---\nactors:\n  - russia\n  - no|\n---\n").unwrap();
        assert_eq!((path(&c), c.on, c.word.as_str()), (vec!["actors"], On::Value, "no"));
        let c = cursor("---\nclaims:\n  - id: a\n    type: statement\n    by: vla|dimir\n---\n").unwrap();
        assert_eq!(
            (path(&c), c.on, c.word.as_str(), c.range.clone()),
            (vec!["claims", "by"], On::Value, "vladimir", 8..16)
        );
        let c = cursor("---\nclaims:\n  - by: |\n---\n").unwrap();
        assert_eq!((path(&c), c.on, c.word.as_str()), (vec!["claims", "by"], On::Value, ""));
        let c = cursor("---\nclaims:\n  - about:\n      - rus|\n---\n").unwrap();
        assert_eq!((path(&c), c.on), (vec!["claims", "about"], On::Value));
        let c = cursor("---\nclaims:\n  - disputes: [kazan#c|]\n---\n").unwrap();
        assert_eq!((path(&c), c.word.as_str()), (vec!["claims", "disputes"], "kazan#c"));
    }

    #[test]
    fn flow_mappings_add_their_key() {
        let c = cursor("---\nclaims:\n  - sources: [{ref: blo|, credibility: 2}]\n---\n").unwrap();
        assert_eq!((path(&c), c.on, c.word.as_str()), (vec!["claims", "sources", "ref"], On::Value, "blo"));
        let c = cursor("---\nrelations:\n  - {type: leads, target: |}\n---\n").unwrap();
        assert_eq!((path(&c), c.on), (vec!["relations", "target"], On::Value));
        let c = cursor("---\nrelations:\n  - {ty|}\n---\n").unwrap();
        assert_eq!((path(&c), c.on), (vec!["relations"], On::Key));
    }

    #[test]
    fn keys_being_written_know_their_mapping() {
        let c = cursor("---\ntitle: x\nsum|\n---\n").unwrap();
        assert_eq!((path(&c), c.on, c.word.as_str()), (vec![], On::Key, "sum"));
        let c = cursor("---\nclaims:\n  - type: forecast\n    lik|\n---\n").unwrap();
        assert_eq!((path(&c), c.on), (vec!["claims"], On::Key));
        let c = cursor("---\nclaims:\n  - ty|\n---\n").unwrap();
        assert_eq!((path(&c), c.on), (vec!["claims"], On::Key));
        let c = cursor("---\nclaims:\n  - type: forecast\n    alternatives:\n      - text: x\n        lik|: y\n---\n")
            .unwrap();
        assert_eq!((path(&c), c.on), (vec!["claims", "alternatives"], On::Key));
    }

    proptest::proptest! {
        /// Any text, any position: an answer, never a panic.
        #[test]
        fn any_position_of_any_text_is_answered(
            text in "---\n( {0,4}(- )?[a-z]{0,3}(: ?)?[a-z\\[\\]{},# '\"]{0,5}\n){0,6}(---\n)?",
            line in 0usize..8,
            col in 0usize..16,
        ) {
            let _ = at(&text, line, col);
        }
    }

    #[test]
    fn a_position_in_the_indentation_is_on_a_key() {
        let c = cursor("---\nclaims:\n  - type: x\n |   text: y\n---\n").unwrap();
        assert_eq!((path(&c), c.on), (vec!["claims"], On::Key));
        let c = cursor("---\nactors:\n |   - russia\n---\n").unwrap();
        assert_eq!((path(&c), c.on), (vec!["actors"], On::Key));
    }

    #[test]
    fn outside_the_front_matter_or_in_a_comment_is_nothing() {
        assert_eq!(cursor("---\ntitle: x\n---\nbody |text\n"), None);
        assert_eq!(cursor("no front| matter\n"), None);
        assert_eq!(cursor("---\nactors: [a] # rus|\n---\n"), None);
        // An unclosed front matter is being written: it runs to the end.
        assert!(cursor("---\ntitle: x\nactors: [r|").is_some());
    }
}
