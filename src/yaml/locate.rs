//! Finding the line and column of a key or value in a YAML block.
//!
//! serde_yaml tells where a parse or type error is, but not where a *valid* value sits, and
//! validation (an unknown actor id, a claim that lacks `by`) needs that position. This module
//! reads the block structure of the YAML text — indentation, `key:` lines, `- ` items, inline
//! `[a, b]` lists — enough to map a path such as `claims[2].by` to a position. It never fails:
//! an unexpected shape answers with the nearest enclosing position it did find.

/// One step of a path into the YAML document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Seg<'a> {
    Key(&'a str),
    Index(usize),
}

/// A 1-based line and column within the YAML text.
pub type Pos = (usize, usize);

#[derive(Debug)]
enum Node {
    Map(Vec<(String, Pos, Node)>),
    Seq(Vec<(Pos, Node)>),
    /// A value on the key's line: a scalar, or a flow `[...]`/`{...}` collection.
    Inline(Pos, Box<Node>),
    Empty,
}

#[derive(Debug, Clone, Copy)]
struct Line<'a> {
    no: usize,
    indent: usize,
    text: &'a str,
}

/// The block structure of one YAML document.
#[derive(Debug)]
pub struct Locator {
    root: Node,
}

impl Locator {
    pub fn new(yaml: &str) -> Locator {
        let mut lines: Vec<Line<'_>> = yaml
            .lines()
            .enumerate()
            .filter_map(|(i, raw)| {
                let trimmed = raw.trim_start_matches(' ');
                let text = trimmed.trim_end();
                if text.is_empty() || text.starts_with('#') {
                    return None;
                }
                Some(Line { no: i + 1, indent: raw.len() - trimmed.len(), text })
            })
            .collect();
        let mut i = 0;
        let root = parse_node(&mut lines, &mut i, 0);
        Locator { root }
    }

    /// The position of the value at `path`: an inline value's own position, a list item's
    /// start, or for a block value, its key. Falls back to the nearest enclosing position, and
    /// to `(1, 1)` -- the front matter as a whole -- when nothing matches.
    pub fn value(&self, path: &[Seg<'_>]) -> Pos {
        self.find(path, false)
    }

    /// The position of the key at the end of `path` (or of the item, for an index).
    pub fn key(&self, path: &[Seg<'_>]) -> Pos {
        self.find(path, true)
    }

    /// The position of the second `key` in the mapping at `parent`: a duplicate key.
    pub fn duplicate_key(&self, parent: &[Seg<'_>], key: &str) -> Option<Pos> {
        let mut node = &self.root;
        for seg in parent {
            if let Node::Inline(_, inner) = node {
                node = inner;
            }
            node = match (node, seg) {
                (Node::Map(entries), Seg::Key(k)) => &entries.iter().find(|(name, _, _)| name == k)?.2,
                (Node::Seq(items), Seg::Index(n)) => &items.get(*n)?.1,
                _ => return None,
            };
        }
        if let Node::Inline(_, inner) = node {
            node = inner;
        }
        match node {
            Node::Map(entries) => entries.iter().filter(|(name, _, _)| name == key).nth(1).map(|(_, p, _)| *p),
            _ => None,
        }
    }

    fn find(&self, path: &[Seg<'_>], want_key: bool) -> Pos {
        let mut node = &self.root;
        let mut pos: Option<Pos> = None;
        for (depth, seg) in path.iter().enumerate() {
            let last = depth + 1 == path.len();
            if let Node::Inline(_, inner) = node {
                node = inner;
            }
            match (node, seg) {
                (Node::Map(entries), Seg::Key(k)) => {
                    let Some((_, key_pos, child)) = entries.iter().find(|(key, _, _)| key == k) else {
                        break;
                    };
                    pos = Some(if last && !want_key { inline_pos(child).unwrap_or(*key_pos) } else { *key_pos });
                    node = child;
                }
                (Node::Seq(items), Seg::Index(n)) => {
                    let Some((item_pos, child)) = items.get(*n) else {
                        break;
                    };
                    pos = Some(*item_pos);
                    node = child;
                }
                _ => break,
            }
        }
        pos.unwrap_or((1, 1))
    }
}

fn inline_pos(node: &Node) -> Option<Pos> {
    match node {
        Node::Inline(p, _) => Some(*p),
        _ => None,
    }
}

fn is_seq_item(text: &str) -> bool {
    text == "-" || text.starts_with("- ")
}

/// `key: rest` -> (key, byte offset of rest within text).
fn key_colon(text: &str) -> Option<(String, usize)> {
    let first = text.chars().next()?;
    if is_seq_item(text) || matches!(first, '[' | '{' | '|' | '>' | '&' | '*' | '!' | '%' | '@' | '`') {
        return None;
    }
    if first == '"' || first == '\'' {
        let close = text[1..].find(first)? + 1;
        let after = &text[close + 1..];
        let after_trim = after.trim_start();
        let rest = after_trim.strip_prefix(':')?;
        if !(rest.is_empty() || rest.starts_with(' ')) {
            return None;
        }
        let offset = text.len() - rest.len();
        return Some((text[1..close].to_string(), offset));
    }
    let bytes = text.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        if b == b':' && (i + 1 == bytes.len() || bytes[i + 1] == b' ') {
            return Some((text[..i].trim_end().to_string(), i + 1));
        }
        if b == b'#' && i > 0 && bytes[i - 1] == b' ' {
            return None;
        }
    }
    None
}

fn char_col(text_start_indent: usize, text: &str, byte: usize) -> usize {
    text_start_indent + text[..byte.min(text.len())].chars().count() + 1
}

fn skip_deeper(lines: &[Line<'_>], i: &mut usize, indent: usize) {
    while *i < lines.len() && lines[*i].indent > indent {
        *i += 1;
    }
}

fn parse_node(lines: &mut [Line<'_>], i: &mut usize, min_indent: usize) -> Node {
    let Some(&l) = lines.get(*i) else {
        return Node::Empty;
    };
    if l.indent < min_indent {
        return Node::Empty;
    }
    if is_seq_item(l.text) {
        parse_seq(lines, i, l.indent)
    } else if key_colon(l.text).is_some() {
        parse_map(lines, i, l.indent)
    } else {
        *i += 1;
        skip_deeper(lines, i, l.indent);
        Node::Inline((l.no, l.indent + 1), Box::new(flow(l, 0)))
    }
}

fn parse_seq(lines: &mut [Line<'_>], i: &mut usize, indent: usize) -> Node {
    let mut items = Vec::new();
    while let Some(&l) = lines.get(*i) {
        if l.indent != indent || !is_seq_item(l.text) {
            break;
        }
        let rest = &l.text[1..];
        let content = rest.trim_start();
        if content.is_empty() || content.starts_with('#') {
            *i += 1;
            let child = parse_node(lines, i, indent + 1);
            let pos = first_pos(&child).unwrap_or((l.no, indent + 1));
            items.push((pos, child));
        } else {
            let new_indent = indent + 1 + (rest.len() - content.len());
            lines[*i] = Line { no: l.no, indent: new_indent, text: content };
            let child = parse_node(lines, i, new_indent);
            items.push(((l.no, new_indent + 1), child));
        }
    }
    Node::Seq(items)
}

fn parse_map(lines: &mut [Line<'_>], i: &mut usize, indent: usize) -> Node {
    let mut entries = Vec::new();
    while let Some(&l) = lines.get(*i) {
        if l.indent != indent {
            break;
        }
        let Some((key, after)) = key_colon(l.text) else {
            break;
        };
        let key_pos = (l.no, indent + 1);
        let value = l.text[after..].trim_start();
        let value_byte = l.text.len() - value.len();
        *i += 1;
        let child = if value.is_empty() || value.starts_with('#') {
            match lines.get(*i) {
                Some(next) if next.indent > indent => parse_node(lines, i, indent + 1),
                Some(next) if next.indent == indent && is_seq_item(next.text) => parse_seq(lines, i, indent),
                _ => Node::Empty,
            }
        } else {
            let pos = (l.no, char_col(indent, l.text, value_byte));
            skip_deeper(lines, i, indent);
            Node::Inline(pos, Box::new(flow(l, value_byte)))
        };
        entries.push((key, key_pos, child));
    }
    Node::Map(entries)
}

/// The structure of an inline value starting at byte `start` of the line's text: a flow
/// `[...]` or `{...}` collection with the position of every element, key and value, or
/// [`Node::Empty`] for a scalar (or a collection that continues on later lines).
fn flow(l: Line<'_>, start: usize) -> Node {
    let mut p = Flow { l, pos: start };
    match l.text[start..].chars().next() {
        Some('[' | '{') => p.value().unwrap_or(Node::Empty),
        _ => Node::Empty,
    }
}

struct Flow<'a> {
    l: Line<'a>,
    pos: usize,
}

impl Flow<'_> {
    fn peek(&self) -> Option<char> {
        self.l.text[self.pos..].chars().next()
    }

    fn skip_ws(&mut self) {
        while let Some(c) = self.peek().filter(|c| c.is_whitespace()) {
            self.pos += c.len_utf8();
        }
    }

    fn here(&self) -> Pos {
        (self.l.no, char_col(self.l.indent, self.l.text, self.pos))
    }

    fn value(&mut self) -> Option<Node> {
        self.skip_ws();
        match self.peek()? {
            '[' => {
                self.pos += 1;
                let mut items = Vec::new();
                loop {
                    self.skip_ws();
                    if self.peek()? == ']' {
                        self.pos += 1;
                        return Some(Node::Seq(items));
                    }
                    let at = self.here();
                    let node = self.value()?;
                    items.push((at, Node::Inline(at, Box::new(node))));
                    self.separator(']')?;
                    if self.l.text[..self.pos].ends_with(']') {
                        return Some(Node::Seq(items));
                    }
                }
            }
            '{' => {
                self.pos += 1;
                let mut entries = Vec::new();
                loop {
                    self.skip_ws();
                    if self.peek()? == '}' {
                        self.pos += 1;
                        return Some(Node::Map(entries));
                    }
                    let key_at = self.here();
                    let key = self.scalar(true)?;
                    self.skip_ws();
                    if self.peek() == Some(':') {
                        self.pos += 1;
                    }
                    self.skip_ws();
                    let at = self.here();
                    let node = self.value()?;
                    entries.push((key, key_at, Node::Inline(at, Box::new(node))));
                    self.separator('}')?;
                    if self.l.text[..self.pos].ends_with('}') {
                        return Some(Node::Map(entries));
                    }
                }
            }
            _ => {
                self.scalar(false)?;
                Some(Node::Empty)
            }
        }
    }

    /// Consumes `,` or the closing bracket.
    fn separator(&mut self, close: char) -> Option<()> {
        self.skip_ws();
        match self.peek()? {
            ',' => {
                self.pos += 1;
                Some(())
            }
            c if c == close => {
                self.pos += 1;
                Some(())
            }
            _ => None,
        }
    }

    /// A plain or quoted scalar; `key`: stop at `:` too.
    fn scalar(&mut self, key: bool) -> Option<String> {
        let rest = &self.l.text[self.pos..];
        let q = rest.chars().next()?;
        if q == '"' || q == '\'' {
            let close = rest[1..].find(q)? + 1;
            self.pos += close + 1;
            return Some(rest[1..close].to_string());
        }
        let end = rest
            .char_indices()
            .find(|&(i, c)| {
                matches!(c, ',' | ']' | '}')
                    || (key && c == ':' && rest[i + 1..].starts_with([' ', ',', '}']))
                    || (key && c == ':' && i + 1 == rest.len())
            })
            .map_or(rest.len(), |(i, _)| i);
        self.pos += end;
        Some(rest[..end].trim_end().to_string())
    }
}

fn first_pos(node: &Node) -> Option<Pos> {
    match node {
        Node::Map(e) => e.first().map(|(_, p, _)| *p),
        Node::Seq(items) => items.first().map(|(p, _)| *p),
        Node::Inline(p, _) => Some(*p),
        Node::Empty => None,
    }
}

/// Parses a serde_yaml error path such as `claims[2].sources[0]` into segments.
pub fn parse_path(path: &str) -> Vec<Seg<'_>> {
    let mut segs = Vec::new();
    for part in path.split('.') {
        let (name, mut rest) = match part.find('[') {
            Some(b) => (&part[..b], &part[b..]),
            None => (part, ""),
        };
        if !name.is_empty() {
            segs.push(Seg::Key(name));
        }
        while let Some(stripped) = rest.strip_prefix('[') {
            let Some(close) = stripped.find(']') else {
                break;
            };
            if let Ok(n) = stripped[..close].parse() {
                segs.push(Seg::Index(n));
            }
            rest = &stripped[close + 1..];
        }
    }
    segs
}

#[cfg(test)]
mod tests {
    use super::Seg::{Index, Key};
    use super::*;

    const DOC: &str = "\
title: Kazan
actors: [russia, north-korea,  'south-korea']
tags:
- a
- b
claims:
  - id: c1
    type: report
    about:
      - russia
      - ukraine
  -   type: statement
      by: vladimir-putin
      text: >
        folded
        text
sources:
- id: s1
  url: https://example.org/a#b
";

    #[test]
    fn finds_values_keys_and_items() {
        let loc = Locator::new(DOC);
        assert_eq!(loc.value(&[Key("title")]), (1, 8));
        assert_eq!(loc.value(&[Key("actors"), Index(1)]), (2, 18));
        assert_eq!(loc.value(&[Key("actors"), Index(2)]), (2, 32));
        assert_eq!(loc.value(&[Key("tags"), Index(1)]), (5, 3));
        assert_eq!(loc.value(&[Key("claims"), Index(0)]), (7, 5));
        assert_eq!(loc.value(&[Key("claims"), Index(0), Key("about"), Index(1)]), (11, 9));
        assert_eq!(loc.value(&[Key("claims"), Index(1)]), (12, 7));
        assert_eq!(loc.value(&[Key("claims"), Index(1), Key("by")]), (13, 11));
        assert_eq!(loc.key(&[Key("claims"), Index(1), Key("by")]), (13, 7));
        assert_eq!(loc.value(&[Key("sources"), Index(0), Key("url")]), (19, 8));
        // Missing pieces fall back to the nearest enclosing position.
        assert_eq!(loc.value(&[Key("claims"), Index(1), Key("nope")]), (12, 7));
        assert_eq!(loc.value(&[Key("nope")]), (1, 1));
    }

    #[test]
    fn finds_inside_flow_collections() {
        let loc = Locator::new("sources: [s1, {ref: s2, credibility: 7}]\nabout: {a: [x, 'y, z'], b: 1}\n");
        assert_eq!(loc.value(&[Key("sources"), Index(0)]), (1, 11));
        assert_eq!(loc.value(&[Key("sources"), Index(1)]), (1, 15));
        assert_eq!(loc.value(&[Key("sources"), Index(1), Key("ref")]), (1, 21));
        assert_eq!(loc.value(&[Key("sources"), Index(1), Key("credibility")]), (1, 38));
        assert_eq!(loc.key(&[Key("sources"), Index(1), Key("credibility")]), (1, 25));
        assert_eq!(loc.value(&[Key("about"), Key("a"), Index(1)]), (2, 16));
        assert_eq!(loc.value(&[Key("about"), Key("b")]), (2, 28));
        assert_eq!(loc.value(&[Key("sources")]), (1, 10));
    }

    #[test]
    fn parses_error_paths() {
        assert_eq!(parse_path("claims[2].sources[0]"), vec![Key("claims"), Index(2), Key("sources"), Index(0)]);
        assert_eq!(parse_path("title"), vec![Key("title")]);
    }

    #[test]
    fn never_panics_on_odd_text() {
        for doc in ["- - - x", ": :", "a:\n  - b:\n    -", "'unclosed: x", "[a, {b: c}", "- \"x\"y: 1\n", "é: [ü, 'ö]"]
        {
            let loc = Locator::new(doc);
            let _ = loc.value(&[Key("a"), Index(0), Key("b"), Index(3)]);
        }
    }
}
