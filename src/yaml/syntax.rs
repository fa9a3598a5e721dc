//! YAML syntax errors in an author's words, at the place where the faulty construct began.
//!
//! libyaml reports where it gave up, which is often far from the mistake: an unclosed quote is
//! reported at the end of the front matter, a tab at the line after it. Its message carries
//! the start of the construct it was reading (`while scanning a quoted scalar at line 2 column
//! 8`); this module reads both marks and the text, and says what is wrong where the author has
//! to fix it. Lines and columns are 1-based and relative to the YAML block.

/// A syntax error, explained.
#[derive(Debug, PartialEq, Eq)]
pub struct Explained {
    pub line: usize,
    pub column: usize,
    pub message: String,
    pub help: String,
}

/// Explains libyaml's error `raw` (its message, with `problem` its position), or `None` for
/// errors that are not one of the usual mistakes, which are reported as libyaml words them.
pub fn explain(raw: &str, problem: Option<(usize, usize)>, text: &str) -> Option<Explained> {
    let lines: Vec<&str> = text.lines().collect();
    let line_text = |n: usize| lines.get(n.checked_sub(1)?).copied();
    let context = context_mark(raw);
    let explained = |line, column, message: String, help: String| Some(Explained { line, column, message, help });

    if let Some((line, col)) = problem
        && (raw.contains("found a tab character") || raw.contains("cannot start any token"))
        && let Some((tab_line, tab_col)) = first_tab(&lines, context.map_or(line, |(l, _)| l), line)
    {
        let _ = col;
        return explained(
            tab_line,
            tab_col,
            "a tab is used for indentation here; YAML allows only spaces".into(),
            "indent with spaces: replace the tab by spaces (most editors can be set to insert spaces)".into(),
        );
    }
    if raw.contains("while scanning a quoted scalar")
        && let Some((line, col)) = context
    {
        let quote =
            line_text(line).and_then(|l| l.chars().nth(col - 1)).filter(|c| matches!(c, '"' | '\'')).unwrap_or('"');
        let inside = if quote == '"' { "write `\\\"` for a `\"` inside it" } else { "write `''` for a `'` inside it" };
        return explained(
            line,
            col,
            format!("this quoted value is never closed: the `{quote}` here has no closing `{quote}`"),
            format!("end the value with `{quote}` on the same line ({inside})"),
        );
    }
    for (while_, open, close) in [("parsing a flow sequence", '[', ']'), ("parsing a flow mapping", '{', '}')] {
        if raw.contains(&format!("while {while_}"))
            && let Some((line, col)) = context
        {
            let what = if open == '[' { "list" } else { "mapping" };
            return explained(
                line,
                col,
                format!("this {what} `{open}` is never closed"),
                format!("close it with `{close}` on the same line, or write one `- item` per line below the key"),
            );
        }
    }
    if raw.starts_with("mapping values are not allowed")
        && let Some((line, col)) = problem
        && let Some(text) = line_text(line)
    {
        let indent = text.len() - text.trim_start_matches(' ').len();
        let key_colon = text.find(':');
        let key = text[indent..key_colon.unwrap_or(text.len())].trim_start_matches("- ").trim();
        if key_colon.map(|i| text[..i].chars().count() + 1) == Some(col) {
            // The line's own key is where libyaml stopped: the line continues the value above.
            let above = (1..line).rev().filter_map(|n| Some((n, line_text(n)?))).find(|(_, l)| {
                let t = l.trim();
                !t.is_empty() && !t.starts_with('#')
            });
            let help = match above {
                Some((n, l)) => {
                    let above_indent = l.len() - l.trim_start_matches(' ').len();
                    format!(
                        "indent `{key}:` by {above_indent} spaces like line {n}, or, if it belongs inside that line's value, make that value a mapping"
                    )
                }
                None => format!("remove the spaces before `{key}:`"),
            };
            return explained(
                line,
                indent + 1,
                format!(
                    "`{key}:` is indented more than the line above it, so YAML reads it as part of that line's value"
                ),
                help,
            );
        }
        let value = key_colon.map_or("", |i| text[i + 1..].trim());
        let quoted = value.replace('\\', "\\\\").replace('"', "\\\"");
        let start = text.char_indices().nth(indent).map_or(indent, |(b, _)| b);
        let dash = if text[start..].starts_with("- ") { 2 } else { 0 };
        return explained(
            line,
            indent + dash + 1,
            format!("the value of `{key}` contains `: `, which YAML reads as the start of another key"),
            format!("quote the value: `{key}: \"{quoted}\"`"),
        );
    }
    let block = if raw.contains("while parsing a block collection") {
        Some("list item")
    } else if raw.contains("while parsing a block mapping") {
        Some("mapping")
    } else {
        None
    };
    if let (Some(block), Some((line, _)), Some((start_line, start_col))) = (block, problem, context)
        && let Some(text) = line_text(line)
    {
        let indent = text.len() - text.trim_start_matches(' ').len();
        // A list's items start with `-` at `start_col`; their keys two columns further.
        let keys_at = if block == "list item" { start_col + 2 } else { start_col };
        let spaces = |n: usize| format!("{n} space{}", if n == 1 { "" } else { "s" });
        return explained(
            line,
            indent + 1,
            format!(
                "this line is indented by {}, but the keys of the {block} that starts on line {start_line} are indented by {}",
                spaces(indent),
                spaces(keys_at - 1)
            ),
            format!("indent it by {} to line it up with them, with spaces only", spaces(keys_at - 1)),
        );
    }
    None
}

/// The mark of libyaml's context, `while ... at line L column C` (YAML-relative, 1-based).
fn context_mark(raw: &str) -> Option<(usize, usize)> {
    let (_, after) = raw.split_once(", while ")?;
    let (_, mark) = after.rsplit_once(" at line ")?;
    let (line, rest) = mark.split_once(" column ")?;
    let column: String = rest.chars().take_while(char::is_ascii_digit).collect();
    Some((line.trim().parse().ok()?, column.parse().ok()?))
}

/// The first tab in the leading whitespace of lines `from..=to` (1-based), as a position.
fn first_tab(lines: &[&str], from: usize, to: usize) -> Option<(usize, usize)> {
    (from.max(1)..=to).find_map(|n| {
        let text = lines.get(n - 1)?;
        let lead: String = text.chars().take_while(|c| c.is_whitespace()).collect();
        lead.chars().position(|c| c == '\t').map(|i| (n, i + 1))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// libyaml's error for `text`, explained.
    fn explain_yaml(text: &str) -> Explained {
        let err = serde_yaml::from_str::<serde_yaml::Value>(text).expect_err("a syntax error");
        explain(&err.to_string(), err.location().map(|l| (l.line(), l.column())), text)
            .unwrap_or_else(|| panic!("not explained: {err}"))
    }

    #[test]
    fn an_unclosed_quote_is_reported_at_the_quote() {
        let e = explain_yaml("title: \"Kazan summit\ndate: 2024-10-24\n");
        assert_eq!((e.line, e.column), (1, 8), "{e:?}");
        assert!(e.message.contains("never closed") && e.help.contains("`\"`"), "{e:?}");
        let e = explain_yaml("title: x\nsummary: 'it is\ndate: 2024-10-24\n");
        assert_eq!((e.line, e.column), (2, 10), "{e:?}");
        assert!(e.help.contains("''"), "{e:?}");
    }

    #[test]
    fn a_tab_is_reported_where_it_is() {
        let e = explain_yaml("title: Kazan\n\tdate: 2024-10-24\n");
        assert_eq!((e.line, e.column), (2, 1), "{e:?}");
        assert!(e.message.contains("tab") && e.help.contains("spaces"), "{e:?}");
        let e = explain_yaml("claims:\n  - type: report\n  \ttext: x\n");
        assert_eq!((e.line, e.column), (3, 3), "{e:?}");
    }

    #[test]
    fn a_colon_in_a_value_is_reported_at_its_key_with_the_quoted_value() {
        let e = explain_yaml("title: Kazan: the summit\ndate: 2024-10-24\n");
        assert_eq!((e.line, e.column), (1, 1), "{e:?}");
        assert_eq!(e.help, "quote the value: `title: \"Kazan: the summit\"`");
        let e = explain_yaml("claims:\n  - text: He said: no\n");
        assert_eq!((e.line, e.column), (2, 5), "{e:?}");
        assert!(e.message.contains("`text`"), "{e:?}");
    }

    #[test]
    fn a_key_indented_too_far_is_reported_at_its_line() {
        let e = explain_yaml("title: Kazan\n date: 2024-10-24\n");
        assert_eq!((e.line, e.column), (2, 2), "{e:?}");
        assert!(e.message.contains("`date:` is indented more"), "{e:?}");
        assert!(e.help.contains("by 0 spaces like line 1"), "{e:?}");
    }

    #[test]
    fn a_misaligned_key_in_a_list_item_is_reported_at_its_line() {
        let e = explain_yaml("claims:\n  - type: report\n    text: a\n   sources: [x]\n");
        assert_eq!((e.line, e.column), (4, 4), "{e:?}");
        assert!(e.message.contains("indented by 3 spaces") && e.message.contains("indented by 4 spaces"), "{e:?}");
    }

    #[test]
    fn an_unclosed_flow_list_is_reported_at_its_bracket() {
        let e = explain_yaml("actors: [russia, ukraine\ndate: 2024-10-24\n");
        assert_eq!((e.line, e.column), (1, 9), "{e:?}");
        assert!(e.message.contains("`[` is never closed"), "{e:?}");
    }
}
