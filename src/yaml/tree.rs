//! The one reader of YAML's block structure: a text is parsed once into a tree of nodes that
//! carry their positions, and from that tree come both a serde `Deserializer` (front matter
//! read without libyaml) and the line and column of any key or value (for diagnostics).
//!
//! A briefing's front matter is a few kilobytes of block mappings and sequences of one-line
//! values, and libyaml (behind serde_yaml) spends most of a build's parse phase on it, decoding
//! and scanning one character at a time. serde_yaml also tells where a parse or type error is,
//! but not where a *valid* value sits, which validation needs (an unknown actor id, a claim
//! that lacks `by`). Both needs read the same structure, so one parser serves them, in one of
//! two modes:
//!
//! - *Exact* ([`from_str`]) reads the shape front matter is usually written in (block mappings
//!   and sequences of one-line values: plain, quoted, or flow sequences of them; comments), with
//!   scalars resolved the way serde_yaml resolves them. It is a fast path, never a second
//!   opinion: anything outside the shape (block scalars, anchors, tags, multi-line values, flow
//!   mappings, tabs, carriage returns, unusual escapes) and every error (a type mismatch, an
//!   unknown or missing key) gives `None`, and the caller reads the text with serde_yaml, which
//!   decides and reports. So a document read here has the value serde_yaml gives it; the tests
//!   compare the two on generated documents.
//! - *Tolerant* ([`Locator`]) never fails. It reads the block structure of any text
//!   (indentation, `key:` lines, `- ` items, flow collections on one line) far enough to map a
//!   path such as `claims[2].by` to a position, and keeps what it cannot read (a block scalar, a
//!   value continued on later lines, a flow collection it cannot close) as a value it located
//!   but did not read. A path that leaves the tree answers with the nearest enclosing position.
//!
//! The exact mode is the tolerant one with a refusal wherever the text leaves the shape (and,
//! for speed, keys and flow scalars found by the shape's own rules, which agree with the
//! tolerant ones on every text in it), so where it reads a text, the tolerant mode makes the
//! same tree, positions and all; the tests check it wherever they compare the exact reading
//! with serde_yaml.

use serde::de::{self, DeserializeOwned, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use std::borrow::Cow;

/// One step of a path into a YAML document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Seg<'a> {
    Key(&'a str),
    Index(usize),
}

/// A 1-based line and column (in characters) within the YAML text.
pub type Pos = (usize, usize);

/// `text` deserialized as `T`, or `None` when `text` is outside the exact reading's shape or
/// does not make a `T`.
pub fn from_str<T: DeserializeOwned>(text: &str) -> Option<T> {
    T::deserialize(parse(text, Mode::Exact)?).ok()
}

/// The positions of the keys and values of one YAML text, from its tolerant reading: made
/// only for a text with a diagnostic to place, and kept for the next one.
#[derive(Debug)]
pub struct Locator {
    root: Node<'static>,
}

impl Locator {
    pub fn new(yaml: &str) -> Locator {
        // The tolerant reading never gives up; were it to, nothing is found, as in an empty text.
        let root = parse(yaml, Mode::Tolerant).unwrap_or(Node::absent((1, 1)));
        Locator { root: root.into_owned() }
    }

    /// The position of the value at `path`: an inline value's own position, a list item's
    /// start, or for a block value, its key. Falls back to the nearest enclosing position, and
    /// to `(1, 1)` -- the front matter as a whole -- when nothing matches.
    pub fn value(&self, path: &[Seg<'_>]) -> Pos {
        self.root.find(path, false)
    }

    /// The position of the key at the end of `path` (or of the item, for an index).
    pub fn key(&self, path: &[Seg<'_>]) -> Pos {
        self.root.find(path, true)
    }

    /// The position of the second `key` in the mapping at `parent`: a duplicate key.
    pub fn duplicate_key(&self, parent: &[Seg<'_>], key: &str) -> Option<Pos> {
        match &self.root.get(parent)?.kind {
            Kind::Map(entries) => entries.iter().filter(|e| e.key == key).nth(1).map(|e| e.key_at),
            _ => None,
        }
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

/// A value, and where a diagnostic about it points.
#[derive(Debug, Clone, PartialEq)]
struct Node<'a> {
    /// The value's first character where it is written on its own: a scalar, a flow
    /// collection, a list item's value after its `-` or on the lines below it (a mapping's
    /// first key, a sequence's first item). For a block collection that is a key's value, or
    /// nothing written after a key or `-`, that key or `-`.
    at: Pos,
    kind: Kind<'a>,
}

/// A value as written: scalars keep their style, because serde_yaml resolves plain scalars
/// (`null`, `true`, `12`) and never quoted ones.
#[derive(Debug, Clone, PartialEq)]
enum Kind<'a> {
    /// A plain scalar; nothing written after a key or `-` is the empty one, which YAML reads
    /// as null.
    Plain(Cow<'a, str>),
    /// A quoted scalar, its escapes decoded.
    Quoted(Cow<'a, str>),
    Seq(Vec<Node<'a>>),
    Map(Vec<Entry<'a>>),
    /// A value the tolerant reading located but did not read; the exact one gives up instead.
    Unread,
}

#[derive(Debug, Clone, PartialEq)]
struct Entry<'a> {
    key: Cow<'a, str>,
    key_at: Pos,
    value: Node<'a>,
}

impl<'a> Node<'a> {
    fn absent(at: Pos) -> Node<'a> {
        Node { at, kind: Kind::Plain(Cow::Borrowed("")) }
    }

    /// The position of the value at the end of `path`, or with `want_key` of its key (an
    /// item's position either way); where the path leaves the tree, the last position found.
    fn find(&self, path: &[Seg<'_>], want_key: bool) -> Pos {
        let mut node = self;
        let mut pos = (1, 1);
        for (depth, seg) in path.iter().enumerate() {
            let last = depth + 1 == path.len();
            match (&node.kind, seg) {
                (Kind::Map(entries), Seg::Key(k)) => {
                    let Some(entry) = entries.iter().find(|e| e.key == *k) else {
                        break;
                    };
                    pos = if last && !want_key { entry.value.at } else { entry.key_at };
                    node = &entry.value;
                }
                (Kind::Seq(items), Seg::Index(n)) => {
                    let Some(item) = items.get(*n) else {
                        break;
                    };
                    pos = item.at;
                    node = item;
                }
                _ => break,
            }
        }
        pos
    }

    /// The node at `path` (the first of repeated keys).
    fn get(&self, path: &[Seg<'_>]) -> Option<&Node<'a>> {
        path.iter().try_fold(self, |node, seg| match (&node.kind, seg) {
            (Kind::Map(entries), Seg::Key(k)) => entries.iter().find(|e| e.key == *k).map(|e| &e.value),
            (Kind::Seq(items), Seg::Index(n)) => items.get(*n),
            _ => None,
        })
    }

    /// The same tree, owning its text, to be kept apart from it.
    fn into_owned(self) -> Node<'static> {
        let owned = |s: Cow<'_, str>| Cow::Owned(s.into_owned());
        let kind = match self.kind {
            Kind::Plain(v) => Kind::Plain(owned(v)),
            Kind::Quoted(v) => Kind::Quoted(owned(v)),
            Kind::Seq(items) => Kind::Seq(items.into_iter().map(Node::into_owned).collect()),
            Kind::Map(entries) => Kind::Map(
                entries
                    .into_iter()
                    .map(|e| Entry { key: owned(e.key), key_at: e.key_at, value: e.value.into_owned() })
                    .collect(),
            ),
            Kind::Unread => Kind::Unread,
        };
        Node { at: self.at, kind }
    }
}

/// How a text is read: see the module's documentation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Exact,
    Tolerant,
}

/// The tree of `text`; `None` only in exact mode, when `text` is not in the shape.
fn parse(text: &str, mode: Mode) -> Option<Node<'_>> {
    let exact = mode == Mode::Exact;
    let ascii = match mode {
        Mode::Exact => {
            let ascii = printable_ascii(text);
            if !ascii && !plain_characters(text) {
                return None;
            }
            ascii
        }
        Mode::Tolerant => text.is_ascii(),
    };
    let mut parser = Parser { lines: lines(text, exact)?, pos: 0, exact, ascii, depth: 0 };
    let Some(first) = parser.peek() else {
        // Nothing but blanks and comments: null, a front matter serde_yaml has to judge.
        return (!exact).then(|| Node::absent((1, 1)));
    };
    // The exact reading takes a mapping at the left margin, which reads every line (a deeper
    // one that no key or item takes is refused where it is met). The tolerant reading takes
    // the block at the first line, and leaves whatever follows where that block ends.
    if exact && (first.indent != 0 || is_item(first.text)) {
        return None;
    }
    parser.block(first, None)
}

/// Deeper nesting is given up on: the parser and the deserializer recurse once per level, so
/// a deep document could exhaust the stack. serde_yaml stops at 128 levels too.
const MAX_DEPTH: usize = 128;

/// Deeper indentation is left to serde_yaml by the exact reading.
const MAX_INDENT: usize = 64;

/// One line that is not blank or a comment: its number, its indentation, and the text after
/// it, without trailing white space.
#[derive(Debug, Clone, Copy)]
struct Line<'a> {
    no: usize,
    indent: usize,
    text: &'a str,
}

/// The lines of `text` that hold something; `None` when the exact reading refuses one.
fn lines(text: &str, exact: bool) -> Option<Vec<Line<'_>>> {
    let mut lines = Vec::with_capacity(text.len() / 24);
    for (i, raw) in text.split('\n').enumerate() {
        let content = raw.trim_start_matches(' ');
        if content.is_empty() || content.starts_with('#') {
            continue;
        }
        let indent = raw.len() - content.len();
        let text = if exact { trim_spaces_end(content)? } else { content.trim_end() };
        // A document marker or a directive starts another document.
        if exact
            && (indent > MAX_INDENT
                || indent == 0 && (text.starts_with("---") || text.starts_with("...") || text.starts_with('%')))
        {
            return None;
        }
        if text.is_empty() {
            continue;
        }
        lines.push(Line { no: i + 1, indent, text });
    }
    Some(lines)
}

/// `s` without its trailing spaces; `None` when another space ends it (a Unicode one, which
/// YAML, whose white space is spaces and tabs, takes for part of a value). Tabs and the other
/// ASCII controls are refused before, so only a non-ASCII character can be one.
fn trim_spaces_end(s: &str) -> Option<&str> {
    let trimmed = s.trim_end_matches(' ');
    let other = matches!(trimmed.as_bytes().last(), Some(&b) if b >= 0x80) && trimmed.trim_end().len() != trimmed.len();
    (!other).then_some(trimmed)
}

/// `s` without its leading spaces; `None` when another space follows them (see
/// [`trim_spaces_end`]).
fn trim_spaces_start(s: &str) -> Option<&str> {
    let trimmed = s.trim_start_matches(' ');
    let other =
        matches!(trimmed.as_bytes().first(), Some(&b) if b >= 0x80) && trimmed.trim_start().len() != trimmed.len();
    (!other).then_some(trimmed)
}

/// Whether every byte of `text` is printable ASCII or `\n`: then a column is a byte offset.
fn printable_ascii(text: &str) -> bool {
    text.bytes().all(|b| (b' '..=b'~').contains(&b) || b == b'\n')
}

/// Whether every character of `text` is one libyaml reads as an ordinary printable character
/// or `\n`: no tabs, carriage returns, controls, byte order marks, or Unicode line breaks.
fn plain_characters(text: &str) -> bool {
    text.chars().all(|c| match c {
        ' '..='~' | '\n' => true,
        '\u{0}'..='\u{9f}' | '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{fffe}' | '\u{ffff}' => false,
        _ => true,
    })
}

/// What a line starts: a mapping with the key and the byte offset after its `:`.
enum Starts<'a> {
    Seq,
    Map(Cow<'a, str>, usize),
    Scalar,
}

struct Parser<'a> {
    lines: Vec<Line<'a>>,
    pos: usize,
    exact: bool,
    /// Whether the text is all ASCII, so that a column is a byte offset.
    ascii: bool,
    /// How many blocks enclose the current line.
    depth: usize,
}

impl<'a> Parser<'a> {
    fn peek(&self) -> Option<Line<'a>> {
        self.lines.get(self.pos).copied()
    }

    /// Goes on past what the exact reading does not take: `None` in exact mode.
    fn tolerate(&self) -> Option<()> {
        (!self.exact).then_some(())
    }

    /// A value the tolerant reading locates without reading it; the exact one gives up.
    fn unread(&self) -> Option<Kind<'a>> {
        self.tolerate().map(|()| Kind::Unread)
    }

    /// The position of byte `byte` of line `l`'s text.
    fn at(&self, l: Line<'_>, byte: usize) -> Pos {
        let before = if self.ascii { byte } else { l.text[..byte].chars().count() };
        (l.no, l.indent + before + 1)
    }

    /// `s` without its leading white space, which the exact reading takes to be spaces.
    fn trim_start(&self, s: &'a str) -> Option<&'a str> {
        if self.exact { trim_spaces_start(s) } else { Some(s.trim_start()) }
    }

    /// The key of a `key:` line and the byte offset after its `:`, or `None` when the line is
    /// not a key's. The exact reading takes simple keys only, found in one pass.
    fn key_colon(&self, text: &'a str) -> Option<(Cow<'a, str>, usize)> {
        if !self.exact {
            return key_colon(text);
        }
        match split_key(text) {
            Some((key, after)) => Some((Cow::Borrowed(key), after)),
            None => None,
        }
    }

    /// What a line starts, told by its first characters.
    fn starts(&self, text: &'a str) -> Starts<'a> {
        if is_item(text) {
            Starts::Seq
        } else if let Some((key, after)) = self.key_colon(text) {
            Starts::Map(key, after)
        } else {
            Starts::Scalar
        }
    }

    /// The block that starts at line `l`, the current one, below a key or a `-` alone: a
    /// sequence, a mapping, or (tolerant) a scalar on a line of its own. A collection that is a
    /// key's value is located at `key`.
    fn block(&mut self, l: Line<'a>, key: Option<Pos>) -> Option<Node<'a>> {
        let starts = self.starts(l.text);
        let scalar = matches!(starts, Starts::Scalar);
        if scalar {
            self.tolerate()?;
        }
        let mut node = self.node(l, starts)?;
        if let Some(key) = key
            && !scalar
        {
            node.at = key;
        }
        Some(node)
    }

    /// What line `l`, the current one, starts, at its indentation.
    fn node(&mut self, l: Line<'a>, starts: Starts<'a>) -> Option<Node<'a>> {
        if self.depth == MAX_DEPTH {
            let kind = self.unread()?;
            self.pos += 1;
            self.after_inline(l.indent)?;
            return Some(Node { at: self.at(l, 0), kind });
        }
        self.depth += 1;
        let node = match starts {
            Starts::Seq => self.seq(l.indent)?,
            Starts::Map(key, after) => self.map(l.indent, Some((key, after)))?,
            Starts::Scalar => {
                self.pos += 1;
                let node = self.inline(l, 0)?;
                self.after_inline(l.indent)?;
                node
            }
        };
        self.depth -= 1;
        Some(node)
    }

    /// The sequence whose `-` indicators sit at column `indent`, from the current line.
    fn seq(&mut self, indent: usize) -> Option<Node<'a>> {
        let mut items = Vec::new();
        while let Some(l) = self.peek() {
            if l.indent < indent || (l.indent == indent && !is_item(l.text)) {
                break;
            }
            if l.indent > indent {
                self.tolerate()?;
                break;
            }
            let rest = self.trim_start(&l.text[1..])?;
            if rest.is_empty() || rest.starts_with('#') {
                // `-` alone: the item is the block below it, or null.
                self.pos += 1;
                items.push(match self.peek() {
                    Some(next) if next.indent > indent => self.block(next, None)?,
                    _ => Node::absent(self.at(l, 0)),
                });
            } else {
                // `- value`: read as a line of its own at the value's column, so that a
                // mapping's first key sits where the keys after it do. The item is where its
                // value starts, whatever it is.
                let at = self.at(l, l.text.len() - rest.len());
                let content = Line { no: l.no, indent: at.1 - 1, text: rest };
                self.lines[self.pos] = content;
                let starts = self.starts(rest);
                if matches!(starts, Starts::Seq) {
                    self.tolerate()?;
                }
                items.push(Node { at, ..self.node(content, starts)? });
            }
        }
        // Called at an item, so there is one; a list is where its first item is.
        let at = items.first().map_or((1, 1), |item| item.at);
        Some(Node { at, kind: Kind::Seq(items) })
    }

    /// The mapping whose keys sit at column `indent`, from the current line, whose key is
    /// `first` when it was found already.
    fn map(&mut self, indent: usize, mut first: Option<(Cow<'a, str>, usize)>) -> Option<Node<'a>> {
        let mut entries = Vec::new();
        while let Some(l) = self.peek() {
            if l.indent < indent {
                break;
            }
            if l.indent > indent {
                self.tolerate()?;
                break;
            }
            let found = match first.take() {
                Some(found) => Some(found),
                None => self.key_colon(l.text),
            };
            let Some((key, after)) = found else {
                self.tolerate()?;
                break;
            };
            let key_at = self.at(l, 0);
            let rest = self.trim_start(&l.text[after..])?;
            self.pos += 1;
            let value = if rest.is_empty() || rest.starts_with('#') {
                match self.peek() {
                    // A sequence may sit at its key's own column.
                    Some(next) if next.indent > indent || (next.indent == indent && is_item(next.text)) => {
                        self.block(next, Some(key_at))?
                    }
                    _ => Node::absent(key_at),
                }
            } else {
                let value = self.inline(l, l.text.len() - rest.len())?;
                self.after_inline(indent)?;
                value
            };
            entries.push(Entry { key, key_at, value });
        }
        let at = entries.first().map_or((1, 1), |e| e.key_at);
        Some(Node { at, kind: Kind::Map(entries) })
    }

    /// Past a value written on its line after a key or `-` at column `indent`: a deeper line
    /// after it would continue it over lines, which the exact reading leaves to libyaml and
    /// the tolerant one skips.
    fn after_inline(&mut self, indent: usize) -> Option<()> {
        while self.peek().is_some_and(|next| next.indent > indent) {
            self.tolerate()?;
            self.pos += 1;
        }
        Some(())
    }

    /// The value written on line `l` from byte `start` (after its key or `-`) to the end of
    /// the line: a quoted scalar, a flow collection or a plain scalar, each optionally followed
    /// by a comment.
    fn inline(&self, l: Line<'a>, start: usize) -> Option<Node<'a>> {
        let text = &l.text[start..];
        let at = self.at(l, start);
        let kind = match text.as_bytes()[0] {
            b'"' | b'\'' => match quoted(text) {
                Some((value, rest)) if end_of_value(rest) => Kind::Quoted(value),
                _ => self.unread()?,
            },
            b'[' | b'{' => {
                let mut flow = Flow { parser: self, line: l, pos: start, depth: 0 };
                match flow.value() {
                    Some(node) if !self.exact || end_of_value(&l.text[flow.pos..]) => return Some(node),
                    _ => self.unread()?,
                }
            }
            first if INDICATORS.contains(&first) && !signed(text) => self.unread()?,
            _ => {
                let value = match text.find(" #") {
                    Some(i) => text[..i].trim_end_matches(' '),
                    None => text,
                };
                if value.contains(": ") || value.ends_with(':') {
                    self.unread()?
                } else {
                    Kind::Plain(Cow::Borrowed(value))
                }
            }
        };
        Some(Node { at, kind })
    }
}

/// A flow collection on one line, read from byte `pos` of `line`'s text. The exact reading
/// takes a flow sequence of scalars; the tolerant one nests sequences and mappings.
struct Flow<'p, 'a> {
    parser: &'p Parser<'a>,
    line: Line<'a>,
    pos: usize,
    /// How many collections enclose `pos`.
    depth: usize,
}

impl<'a> Flow<'_, 'a> {
    fn rest(&self) -> &'a str {
        &self.line.text[self.pos..]
    }

    /// The byte at `pos`: the characters that matter here are ASCII.
    fn peek(&self) -> Option<u8> {
        self.rest().as_bytes().first().copied()
    }

    /// Skips white space, which the exact reading takes to be spaces.
    fn skip_blank(&mut self) -> Option<()> {
        if self.peek().is_none_or(|b| b.is_ascii_graphic()) {
            return Some(());
        }
        let rest = self.rest();
        let after = if self.parser.exact { trim_spaces_start(rest)? } else { rest.trim_start() };
        self.pos += rest.len() - after.len();
        Some(())
    }

    /// The value after the white space at `pos`.
    fn value(&mut self) -> Option<Node<'a>> {
        self.skip_blank()?;
        self.item()
    }

    /// The value at `pos`.
    fn item(&mut self) -> Option<Node<'a>> {
        let at = self.parser.at(self.line, self.pos);
        let exact = self.parser.exact;
        let kind = match self.peek()? {
            b'[' if !exact || self.depth == 0 => Kind::Seq(self.seq()?),
            b'{' if !exact => Kind::Map(self.map()?),
            b'"' | b'\'' => Kind::Quoted(self.quoted()?),
            _ => Kind::Plain(Cow::Borrowed(self.plain(false)?)),
        };
        Some(Node { at, kind })
    }

    /// The items of the sequence whose `[` is at `pos`.
    fn seq(&mut self) -> Option<Vec<Node<'a>>> {
        self.enter()?;
        let mut items = Vec::new();
        loop {
            self.skip_blank()?;
            if self.peek()? == b']' {
                // `[a, ]`: a trailing comma is left to libyaml.
                if self.parser.exact && !items.is_empty() {
                    return None;
                }
                self.pos += 1;
                break;
            }
            items.push(self.item()?);
            if self.separator(b']')? {
                break;
            }
        }
        self.depth -= 1;
        Some(items)
    }

    /// The entries of the mapping whose `{` is at `pos`.
    fn map(&mut self) -> Option<Vec<Entry<'a>>> {
        self.enter()?;
        let mut entries = Vec::new();
        loop {
            self.skip_blank()?;
            if self.peek()? == b'}' {
                self.pos += 1;
                break;
            }
            let key_at = self.parser.at(self.line, self.pos);
            let key = match self.peek()? {
                b'"' | b'\'' => self.quoted()?,
                _ => Cow::Borrowed(self.plain(true)?),
            };
            self.skip_blank()?;
            if self.peek() == Some(b':') {
                self.pos += 1;
            }
            let value = self.value()?;
            entries.push(Entry { key, key_at, value });
            if self.separator(b'}')? {
                break;
            }
        }
        self.depth -= 1;
        Some(entries)
    }

    /// Steps past the bracket at `pos` into a collection, unless that nests too deep.
    fn enter(&mut self) -> Option<()> {
        if self.parser.depth + self.depth >= MAX_DEPTH {
            return None;
        }
        self.depth += 1;
        self.pos += 1;
        Some(())
    }

    /// Consumes `,` (false) or the closing bracket `close` (true).
    fn separator(&mut self, close: u8) -> Option<bool> {
        self.skip_blank()?;
        let closed = match self.peek()? {
            b',' => false,
            c if c == close => true,
            _ => return None,
        };
        self.pos += 1;
        Some(closed)
    }

    /// The quoted scalar at `pos`; one the exact reading refuses, the tolerant one takes to the
    /// next quote of its kind.
    fn quoted(&mut self) -> Option<Cow<'a, str>> {
        let rest = self.rest();
        let (value, after) = match quoted(rest) {
            Some(read) => read,
            None => {
                self.parser.tolerate()?;
                to_next_quote(rest)?
            }
        };
        self.pos += rest.len() - after.len();
        Some(value)
    }

    /// The plain scalar at `pos`, up to the `,` or closing bracket after it (or for a `key`,
    /// its `:`).
    fn plain(&mut self, key: bool) -> Option<&'a str> {
        let rest = self.rest();
        let bytes = rest.as_bytes();
        let (end, value) = if self.parser.exact {
            // No indicator first, and none of these inside: what ends the scalar is its `,` or `]`.
            if INDICATORS.contains(bytes.first()?) && !signed(rest) {
                return None;
            }
            let end = rest.find([',', ']', '[', '{', '}', '#', ':'])?;
            if !matches!(bytes[end], b',' | b']') {
                return None;
            }
            (end, trim_spaces_end(&rest[..end])?)
        } else {
            let ends_key = |i: usize| key && matches!(bytes.get(i + 1), None | Some(b' ' | b',' | b'}'));
            let end = (0..bytes.len())
                .find(|&i| matches!(bytes[i], b',' | b']' | b'}') || (bytes[i] == b':' && ends_key(i)))
                .unwrap_or(bytes.len());
            (end, rest[..end].trim_end())
        };
        self.pos += end;
        Some(value)
    }
}

/// Whether a line's text is a sequence item: `-` followed by a space or nothing.
fn is_item(text: &str) -> bool {
    text == "-" || text.starts_with("- ")
}

/// `key: rest` or `key:`: the key (a quoted key's text) and the byte offset after its `:`, or
/// `None` when the line is not a key's.
fn key_colon(text: &str) -> Option<(Cow<'_, str>, usize)> {
    let first = *text.as_bytes().first()?;
    if is_item(text) || b"[{|>&*!%@`".contains(&first) {
        return None;
    }
    if first == b'"' || first == b'\'' {
        let (key, after) = quoted(text).or_else(|| to_next_quote(text))?;
        let rest = after.trim_start().strip_prefix(':')?;
        if !(rest.is_empty() || rest.starts_with(' ')) {
            return None;
        }
        return Some((key, text.len() - rest.len()));
    }
    let bytes = text.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        if b == b':' && (i + 1 == bytes.len() || bytes[i + 1] == b' ') {
            return Some((Cow::Borrowed(text[..i].trim_end()), i + 1));
        }
        if b == b'#' && i > 0 && bytes[i - 1] == b' ' {
            return None;
        }
    }
    None
}

/// `key: rest` or `key:` with a simple key (a letter or `_`, then letters, digits, `_`, `-`;
/// shorter than libyaml's limit of 1024 characters for a key on one line): the key and the
/// byte offset after its `:`. Where it finds one, [`key_colon`] finds the same.
fn split_key(text: &str) -> Option<(&str, usize)> {
    let bytes = text.as_bytes();
    if !bytes.first()?.is_ascii_alphabetic() && bytes[0] != b'_' {
        return None;
    }
    let end = bytes.iter().position(|&b| !(b.is_ascii_alphanumeric() || b == b'_' || b == b'-'))?;
    if bytes[end] != b':' || end > 1000 {
        return None;
    }
    matches!(bytes.get(end + 1), None | Some(b' ')).then(|| (&text[..end], end + 1))
}

/// Characters that give a plain scalar's first character another meaning.
const INDICATORS: &[u8] = b"-?:,[]{}#&*!|>'\"%@`";

/// `-` before a letter or digit (`-3`, `-x`): a plain scalar, not an indicator.
fn signed(text: &str) -> bool {
    text.starts_with('-') && text.as_bytes().get(1).is_some_and(u8::is_ascii_alphanumeric)
}

/// Whether what follows a value on its line is nothing, or a comment.
fn end_of_value(rest: &str) -> bool {
    let trimmed = rest.trim_start_matches(' ');
    trimmed.is_empty() || (trimmed.starts_with('#') && trimmed.len() < rest.len())
}

/// A quoted scalar closed on its line (`text` starts at its opening quote), and the text after
/// its closing quote. Double-quoted escapes other than `\\ \" \/ \n \t \r \uXXXX` are left to
/// libyaml.
fn quoted(text: &str) -> Option<(Cow<'_, str>, &str)> {
    let quote = text.as_bytes()[0];
    let body = &text[1..];
    // Titles, summaries and claims are most of a front matter's text, and most of it quoted:
    // its closing quote (or an escape) is found a word at a time. Both are ASCII, so never
    // inside a character.
    let special = |s: &str| match quote {
        b'"' => memchr::memchr2(b'"', b'\\', s.as_bytes()),
        _ => memchr::memchr(b'\'', s.as_bytes()),
    };
    let first = special(body)?;
    if body.as_bytes()[first] == quote && (quote == b'"' || body.as_bytes().get(first + 1) != Some(&b'\'')) {
        return Some((Cow::Borrowed(&body[..first]), &body[first + 1..]));
    }
    let mut out = String::with_capacity(body.len());
    let mut rest = body;
    loop {
        let i = special(rest)?;
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        if quote == b'\'' {
            match after.strip_prefix('\'') {
                Some(more) => {
                    out.push('\'');
                    rest = more;
                }
                None => return Some((Cow::Owned(out), after)),
            }
        } else if rest.as_bytes()[i] == b'"' {
            return Some((Cow::Owned(out), after));
        } else {
            let (c, more) = match after.as_bytes().first()? {
                b'\\' => ('\\', &after[1..]),
                b'"' => ('"', &after[1..]),
                b'/' => ('/', &after[1..]),
                b'n' => ('\n', &after[1..]),
                b't' => ('\t', &after[1..]),
                b'r' => ('\r', &after[1..]),
                b'u' => {
                    let hex = after.get(1..5)?;
                    if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                        return None;
                    }
                    (char::from_u32(u32::from_str_radix(hex, 16).ok()?)?, &after[5..])
                }
                _ => return None,
            };
            out.push(c);
            rest = more;
        }
    }
}

/// A quoted scalar [`quoted`] does not read (an escape libyaml would judge), taken by the
/// tolerant reading as its text up to the next quote of its kind.
fn to_next_quote(text: &str) -> Option<(Cow<'_, str>, &str)> {
    let quote = text.as_bytes()[0] as char;
    let close = text[1..].find(quote)? + 1;
    Some((Cow::Borrowed(&text[1..close]), &text[close + 1..]))
}

// Scalar resolution, as serde_yaml (yaml_serde 0.10) does it for untagged plain scalars.

fn parse_null(v: &str) -> bool {
    matches!(v, "" | "~" | "null" | "Null" | "NULL")
}

fn parse_bool(v: &str) -> Option<bool> {
    match v {
        "true" | "True" | "TRUE" => Some(true),
        "false" | "False" | "FALSE" => Some(false),
        _ => None,
    }
}

/// Leading zeros followed by digits: a string in YAML 1.2, never a number.
fn digits_but_not_number(v: &str) -> bool {
    let v = v.strip_prefix(['-', '+']).unwrap_or(v);
    v.len() > 1 && v.starts_with('0') && v[1..].bytes().all(|b| b.is_ascii_digit())
}

/// A decimal integer with an optional sign; `None` for other radixes (left to libyaml).
fn decimal(v: &str) -> Option<i128> {
    let digits = v.strip_prefix(['-', '+']).unwrap_or(v);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) || digits_but_not_number(v) {
        return None;
    }
    v.parse().ok()
}

/// A finite decimal number, with or without a fraction; `None` for other notations (`1e3`,
/// `.5`, `.inf`: left to libyaml).
fn float(v: &str) -> Option<f64> {
    let unsigned = v.strip_prefix(['-', '+']).unwrap_or(v);
    let (int, frac) = unsigned.split_once('.').unwrap_or((unsigned, "0"));
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(int) || !digits(frac) {
        return None;
    }
    v.parse::<f64>().ok().filter(|f| f.is_finite())
}

/// Whether a plain scalar may be a number in a notation not resolved here (`0x1f`, `1e3`,
/// `.inf`, `007`): left to libyaml.
fn maybe_other_number(v: &str) -> bool {
    let v = v.strip_prefix(['-', '+']).unwrap_or(v);
    v.starts_with(|c: char| c.is_ascii_digit() || c == '.')
}

/// `YYYY-MM-DD`: a string to serde_yaml (it resolves no timestamps), though it starts with a
/// digit.
fn is_date(v: &str) -> bool {
    let b = v.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter().enumerate().all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}

/// The error of a read this path does not finish; its message is never shown.
#[derive(Debug)]
struct Bail;

impl std::fmt::Display for Bail {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("left to serde_yaml")
    }
}

impl std::error::Error for Bail {}

impl de::Error for Bail {
    fn custom<T: std::fmt::Display>(_: T) -> Bail {
        Bail
    }
}

macro_rules! bail {
    ($($method:ident)*) => {
        $(fn $method<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Bail> {
            Err(Bail)
        })*
    };
}

/// The empty plain scalar: what serde_yaml reads as an empty sequence or mapping too.
fn is_empty_plain(kind: &Kind<'_>) -> bool {
    matches!(kind, Kind::Plain(v) if v.is_empty())
}

impl<'de> Deserializer<'de> for Node<'_> {
    type Error = Bail;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Bail> {
        match self.kind {
            Kind::Plain(v) => {
                if parse_null(&v) {
                    return visitor.visit_unit();
                }
                if let Some(b) = parse_bool(&v) {
                    return visitor.visit_bool(b);
                }
                // serde_yaml tries unsigned before signed integers, then floats.
                if let Some(n) = decimal(&v) {
                    return match (v.starts_with('-'), u64::try_from(n), i64::try_from(n)) {
                        (false, Ok(u), _) => visitor.visit_u64(u),
                        (false, Err(_), _) => visitor.visit_u128(n as u128),
                        (true, _, Ok(i)) => visitor.visit_i64(i),
                        (true, _, Err(_)) => visitor.visit_i128(n),
                    };
                }
                if let Some(f) = float(&v).filter(|_| !digits_but_not_number(&v)) {
                    return visitor.visit_f64(f);
                }
                if maybe_other_number(&v) && !is_date(&v) {
                    return Err(Bail);
                }
                visitor.visit_str(&v)
            }
            Kind::Quoted(v) => visitor.visit_str(&v),
            Kind::Seq(items) => visitor.visit_seq(Items(items.into_iter())),
            Kind::Map(entries) => visitor.visit_map(Entries { entries: entries.into_iter(), value: None }),
            Kind::Unread => Err(Bail),
        }
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Bail> {
        match self.kind {
            Kind::Plain(v) => visitor.visit_bool(parse_bool(&v).ok_or(Bail)?),
            _ => Err(Bail),
        }
    }

    fn deserialize_i64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Bail> {
        match self.kind {
            Kind::Plain(v) if !v.starts_with('+') => {
                visitor.visit_i64(decimal(&v).and_then(|n| i64::try_from(n).ok()).ok_or(Bail)?)
            }
            _ => Err(Bail),
        }
    }

    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Bail> {
        match self.kind {
            // Integers too: serde_yaml reads `1` and `007` as floats here.
            Kind::Plain(v) => visitor.visit_f64(float(&v).ok_or(Bail)?),
            _ => Err(Bail),
        }
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Bail> {
        match self.kind {
            Kind::Plain(v) | Kind::Quoted(v) => visitor.visit_str(&v),
            _ => Err(Bail),
        }
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Bail> {
        self.deserialize_str(visitor)
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Bail> {
        self.deserialize_str(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Bail> {
        match &self.kind {
            Kind::Plain(v) if parse_null(v) => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Bail> {
        match self.kind {
            Kind::Seq(items) => visitor.visit_seq(Items(items.into_iter())),
            // serde_yaml reads an empty value as an empty sequence.
            kind if is_empty_plain(&kind) => visitor.visit_seq(Items(Vec::new().into_iter())),
            _ => Err(Bail),
        }
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Bail> {
        match self.kind {
            Kind::Map(entries) => visitor.visit_map(Entries { entries: entries.into_iter(), value: None }),
            kind if is_empty_plain(&kind) => {
                visitor.visit_map(Entries { entries: Vec::new().into_iter(), value: None })
            }
            _ => Err(Bail),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Bail> {
        self.deserialize_map(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(self, _: &'static str, _: V) -> Result<V::Value, Bail> {
        Err(Bail)
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, _: usize, _: V) -> Result<V::Value, Bail> {
        Err(Bail)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(self, _: &'static str, _: usize, _: V) -> Result<V::Value, Bail> {
        Err(Bail)
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(self, _: &'static str, _: V) -> Result<V::Value, Bail> {
        Err(Bail)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        _: V,
    ) -> Result<V::Value, Bail> {
        Err(Bail)
    }

    bail!(deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i128 deserialize_u8 deserialize_u16
        deserialize_u32 deserialize_u64 deserialize_u128 deserialize_f32 deserialize_char deserialize_bytes
        deserialize_byte_buf deserialize_unit deserialize_ignored_any);
}

struct Items<'a>(std::vec::IntoIter<Node<'a>>);

impl<'de> SeqAccess<'de> for Items<'_> {
    type Error = Bail;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>, Bail> {
        self.0.next().map(|node| seed.deserialize(node)).transpose()
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.0.len())
    }
}

struct Entries<'a> {
    entries: std::vec::IntoIter<Entry<'a>>,
    value: Option<Node<'a>>,
}

impl<'de> MapAccess<'de> for Entries<'_> {
    type Error = Bail;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, Bail> {
        let Some(Entry { key, key_at, value }) = self.entries.next() else {
            return Ok(None);
        };
        self.value = Some(value);
        seed.deserialize(Node { at: key_at, kind: Kind::Plain(key) }).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Bail> {
        seed.deserialize(self.value.take().ok_or(Bail)?)
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.entries.len())
    }
}

#[cfg(test)]
mod tests {
    use super::Seg::{Index, Key};
    use super::*;
    use proptest::prelude::*;
    use serde_yaml::Value;

    /// Both readers' values of `text` as `T`, shown; the exact one `None` when it leaves `text`
    /// to serde_yaml.
    fn both<T: DeserializeOwned + std::fmt::Debug>(text: &str) -> (Option<String>, Result<String, String>) {
        let fast = from_str::<T>(text).map(|v| format!("{v:?}"));
        let slow = serde_yaml::from_str::<T>(text).map(|v| format!("{v:?}")).map_err(|e| e.to_string());
        (fast, slow)
    }

    /// The exact reading's value of `text`, checked against serde_yaml's; and where the exact
    /// reading makes a tree, the tolerant one makes the same.
    fn agreed(text: &str) -> Option<String> {
        let (fast, slow) = both::<Value>(text);
        if let Some(fast) = &fast {
            assert_eq!(Ok(fast), slow.as_ref(), "the readers differ on {text:?}");
        }
        if let Some(exact) = parse(text, Mode::Exact) {
            assert_eq!(parse(text, Mode::Tolerant), Some(exact), "the modes read {text:?} to different trees");
        }
        fast
    }

    #[test]
    fn reads_the_usual_front_matter_as_serde_yaml_does() {
        let text = "\
title: \"Talks resume: a \\\"first\\\" step \\u00e9\"   # quoted
date: 2025-12-31
draft: false
summary: It's plain, with #hash and a: colon-free [brackets] {braces}, trailing  # a comment
authors: ['O''Brien', \"Desk\"]
tags: [cyber, energy , multi word]
empty_list: []
nothing:
tilde: ~
count: 12
negative: -3
zero: -0
ratio: 0.75
big: 18446744073709551615
actors:
  - alpha
  -   beta
claims:
  - type: report
    about: [a]
    sources:
      - ref: s2
        credibility: 2
      - s3
  -
    type: forecast
    probability: 1
indentless:
- one
- two
nested:
    deeper:
        - x
";
        let value = agreed(text).expect("in the fast reader's shape");
        assert!(value.contains("Talks resume: a \\\"first\\\" step é"), "{value}");
    }

    #[test]
    fn leaves_everything_else_to_serde_yaml() {
        for text in [
            "title: x\n  continued\n",
            "title: >\n  folded\n",
            "title: |\n  literal\n",
            "title: &a x\nother: *a\n",
            "title: !tag x\n",
            "title: \"open\n  close\"\n",
            "title: 'open\n  close'\n",
            "list: [a,\n  b]\n",
            "map: {a: 1}\n",
            "title:\tx\n",
            "title: x\r\n",
            "---\ntitle: x\n",
            "title: a: b\n",
            "title: x:\n",
            "\"quoted key\": x\n",
            "key with space: x\n",
            "- a\n- b\n",
            "  title: indented root\n",
            "title: \"bad escape \\x41\"\n",
            "list: [a, [b]]\n",
            "list: [a,]\n",
            "hex: 0x1f\n",
            "exp: 1e3\n",
            "inf: .inf\n",
            "seq:\n  - - nested\n",
            "a: 1\n b: 2\n",
            "title: \u{2028}\n",
            "padded: 007\n",
        ] {
            assert_eq!(from_str::<Value>(text), None, "{text:?}");
        }
    }

    #[test]
    fn unicode_spaces_are_characters_to_yaml() {
        // `trim` takes them for white space, YAML for part of a value.
        for text in [
            "title: x\u{a0}\n",
            "title: \u{a0}x\n",
            "list:\n  - \u{3000}x\n",
            "tags: [\u{a0}a]\n",
            "tags: [a\u{2003}, b]\n",
            "\u{a0}\ntitle: x\n",
        ] {
            agreed(text);
        }
    }

    #[test]
    fn deep_nesting_is_left_to_serde_yaml_without_exhausting_the_stack() {
        let deep: String = (0..5_000).map(|i| format!("{}a:\n", " ".repeat(i))).collect();
        assert_eq!(from_str::<Value>(&deep), None);
        // The tolerant reading goes as deep as it may, and no further.
        let path: Vec<Seg<'_>> = (0..5_000).map(|_| Key("a")).collect();
        assert_eq!(Locator::new(&deep).key(&path), (MAX_DEPTH, MAX_DEPTH));
        let flow = format!("a: {}\n", "[".repeat(5_000));
        assert_eq!(Locator::new(&flow).value(&[Key("a")]), (1, 4));
        let shallow: String = (0..40).map(|i| format!("{}a:\n", " ".repeat(i))).collect();
        assert!(agreed(&shallow).is_some());
    }

    #[test]
    fn typed_values_follow_serde_yaml() {
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Typed {
            s: Option<String>,
            n: Option<i64>,
            f: Option<f64>,
            b: Option<bool>,
            #[serde(default)]
            v: Vec<String>,
        }
        for text in [
            "s: 12\nn: 12\nf: 12\nb: true\nv: [1, x]\n",
            "s: null\nn: -0\nf: 007\nb: False\nv:\n",
            "s: ''\nn: ~\nf: -1.5\nv:\n  - 2025-01-01\n",
            "s:\nf: 1.\n",
            "n: 007\n",
            "n: 99999999999999999999\n",
            "b: yes\n",
            "s: [a]\n",
            "v: a\n",
        ] {
            let (fast, slow) = both::<Typed>(text);
            if let Some(fast) = fast {
                assert_eq!(Ok(fast), slow, "{text:?}");
            }
        }
        assert!(from_str::<Typed>("s: 12\nn: 12\nf: 12\nb: true\nv: [1, x]\n").is_some());
    }

    /// Values written out in the shapes the fast reader takes.
    #[derive(Debug, Clone)]
    enum Tree {
        Scalar(String),
        Seq(Vec<Tree>),
        Map(Vec<(String, Tree)>),
    }

    fn scalar() -> impl Strategy<Value = String> {
        prop_oneof![
            3 => proptest::sample::select(vec![
                "plain", "two words", "Ünïcode ✓", "it's", "a#b", "a #c", "x:y", "~", "", "12", "-3", "1.5",
                "2025-12-31", "-x", "'q'", "\"dq\"", "\"a\\\"b\"", "'it''s'", "[a, 'b', \"c\"]", "[]",
            ])
            .prop_map(str::to_string),
            2 => proptest::sample::select(vec![
                "plain", "two words", "it's", "a#b", "x: y", "x:", "~", "null", "", "true", "False", "12", "-3",
                "+4", "007", "-0", "1.5", "-2.25", "2025-12-31", "1e3", "0x1f", ".inf", "é ü", "[a]", "a, b", "-",
                "- x", "? q", "#", "a #c", "'q'", "\"dq\"", "\"a\\\"b\"", "\"\\u00e9\\n\\t\"", "'it''s'", "\"\\x41\"",
                "[a, 'b', \"c\"]", "[]", "[ ]", "[a,]", "[a, [b]]", "{a: 1}", "&x a", "*x", "!t a", "|", ">", "%x",
                "@x", "`x", "18446744073709551616", "-9223372036854775809", "1_000",
            ])
            .prop_map(str::to_string),
            1 => "[a-z0-9 :#'\"\\[\\],.-]{0,12}",
        ]
    }

    fn key() -> impl Strategy<Value = String> {
        proptest::sample::select(vec!["a", "b", "title", "key_x", "dash-key", "_u", "true", "null", "k1"])
            .prop_map(str::to_string)
    }

    fn tree() -> impl Strategy<Value = Tree> {
        scalar().prop_map(Tree::Scalar).prop_recursive(4, 40, 5, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..4).prop_map(Tree::Seq),
                proptest::collection::vec((key(), inner), 0..4).prop_map(|entries| Tree::Map(unique(entries))),
            ]
        })
    }

    /// `entries` without repeated keys (serde_yaml rejects those).
    fn unique(mut entries: Vec<(String, Tree)>) -> Vec<(String, Tree)> {
        let mut seen = std::collections::HashSet::new();
        entries.retain(|(k, _)| seen.insert(k.clone()));
        entries
    }

    /// `tree` as YAML lines at `indent`, with layout choices taken from `style`.
    fn write(tree: &Tree, indent: usize, style: &mut impl Iterator<Item = u8>, out: &mut String) {
        let pad = " ".repeat(indent);
        match tree {
            Tree::Scalar(s) => {
                out.push_str(&pad);
                out.push_str(s);
                out.push('\n');
            }
            Tree::Seq(items) => {
                for item in items {
                    let s = style.next().unwrap_or(0);
                    match item {
                        Tree::Scalar(v) => out.push_str(&format!("{pad}-{}{v}\n", " ".repeat(1 + (s % 2) as usize))),
                        Tree::Map(entries) if !entries.is_empty() && !s.is_multiple_of(3) => {
                            // `- key: value`, the rest of the keys under the first.
                            let mut first = String::new();
                            write(&Tree::Map(entries.clone()), indent + 2, style, &mut first);
                            out.push_str(&format!("{pad}- {}", &first[indent + 2..]));
                        }
                        _ => {
                            out.push_str(&format!("{pad}-\n"));
                            write(item, indent + 2 + (s % 2) as usize * 2, style, out);
                        }
                    }
                }
            }
            Tree::Map(entries) => {
                for (k, v) in entries {
                    let s = style.next().unwrap_or(0);
                    match v {
                        Tree::Scalar(v) => out.push_str(&format!("{pad}{k}:{}{v}\n", " ".repeat(1 + (s % 2) as usize))),
                        Tree::Seq(items) if s % 4 == 1 && items.iter().all(|i| matches!(i, Tree::Scalar(_))) => {
                            let items: Vec<&str> =
                                items.iter().map(|i| if let Tree::Scalar(v) = i { v.as_str() } else { "" }).collect();
                            out.push_str(&format!("{pad}{k}: [{}]\n", items.join(", ")));
                        }
                        Tree::Seq(_) if s % 4 == 2 => {
                            out.push_str(&format!("{pad}{k}:\n"));
                            write(v, indent, style, out);
                        }
                        _ => {
                            out.push_str(&format!("{pad}{k}:{}\n", if s % 5 == 3 { "  # note" } else { "" }));
                            write(v, indent + 2 + (s % 3) as usize, style, out);
                        }
                    }
                    if s % 7 == 6 {
                        out.push_str(&format!("{pad}# a comment\n\n"));
                    }
                }
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        /// Whatever the fast reader takes, serde_yaml reads to the same value.
        #[test]
        fn written_trees_read_the_same(
            entries in proptest::collection::vec((key(), tree()), 1..6),
            style in proptest::collection::vec(any::<u8>(), 64),
        ) {
            let mut text = String::new();
            write(&Tree::Map(unique(entries)), 0, &mut style.into_iter().cycle(), &mut text);
            agreed(&text);
        }

        /// The same for lines thrown together, mostly not YAML at all.
        #[test]
        fn jumbled_lines_read_the_same(
            lines in proptest::collection::vec(
                (proptest::sample::select(vec![0, 0, 2, 2, 4, 1, 3]), proptest::sample::select(vec!["", "", "- ", "-", "-  "]),
                 proptest::option::weighted(0.8, key()), proptest::sample::select(vec![": ", ": ", ":", " : "]), scalar()),
                1..10,
            )
        ) {
            let mut text = String::new();
            for (indent, dash, key, colon, value) in lines {
                text.push_str(&" ".repeat(indent));
                text.push_str(dash);
                if let Some(key) = key {
                    text.push_str(&key);
                    text.push_str(colon);
                }
                text.push_str(&value);
                text.push('\n');
            }
            agreed(&text);
        }
    }

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
        // A block collection's value is at its key; a block scalar's where it starts.
        assert_eq!(loc.value(&[Key("claims")]), (6, 1));
        assert_eq!(loc.value(&[Key("claims"), Index(0), Key("about")]), (9, 5));
        assert_eq!(loc.value(&[Key("claims"), Index(1), Key("text")]), (14, 13));
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

    #[test]
    fn the_exact_reading_locates_too() {
        // Taken by the exact reading (`é` makes columns count characters, not bytes), and
        // located the same from the tree it makes.
        let text = "title: Café\ntags: [é, 'ü', \"ö\"]\nclaims:\n  - by: x\n    about:\n    - é\n";
        assert!(agreed(text).is_some());
        let loc = Locator::new(text);
        assert_eq!(loc.value(&[Key("tags"), Index(1)]), (2, 11));
        assert_eq!(loc.value(&[Key("tags"), Index(2)]), (2, 16));
        assert_eq!(loc.value(&[Key("claims"), Index(0), Key("by")]), (4, 9));
        assert_eq!(loc.value(&[Key("claims"), Index(0), Key("about")]), (5, 5));
        assert_eq!(loc.value(&[Key("claims"), Index(0), Key("about"), Index(0)]), (6, 7));
        assert_eq!(loc.duplicate_key(&[], "title"), None);
    }

    #[test]
    fn finds_what_the_exact_reading_refuses() {
        // Each is left to serde_yaml, yet its positions are found.
        let cases: &[(&str, &[Seg<'_>], Pos)] = &[
            ("\"quoted key\": x\nb: 'it''s'\n", &[Key("quoted key")], (1, 15)),
            ("a: {k: [1, 2]}\n", &[Key("a"), Key("k"), Index(1)], (1, 12)),
            ("a: x\n  continued\nb: y\n", &[Key("b")], (3, 4)),
            ("a:\n  b: 1\n c: 2\n", &[Key("a"), Key("b")], (2, 6)),
            ("a: 1\nb:\n\t- x\n", &[Key("b")], (2, 1)),
            ("a: [x, 'it''s', \"q\\\"q\",\tz]\n", &[Key("a"), Index(3)], (1, 25)),
            ("a: x\r\nb: y\r\n", &[Key("b")], (2, 4)),
            ("- a: 1\n- b: 2\n", &[Index(1), Key("b")], (2, 6)),
            ("a: b\nb: [unclosed\n", &[Key("b"), Index(0)], (2, 1)),
            ("a:\n- - x\n  - y\n", &[Key("a"), Index(0)], (2, 3)),
        ];
        for (text, path, pos) in cases {
            assert_eq!(from_str::<Value>(text), None, "{text:?}");
            assert_eq!(Locator::new(text).value(path), *pos, "{text:?} {path:?}");
        }
        let dup = Locator::new("a: 1\nb:\n  c: 1\n  c: 2\n");
        assert_eq!(dup.duplicate_key(&[Key("b")], "c"), Some((4, 3)));
        assert_eq!(dup.duplicate_key(&[], "a"), None);
    }
}
