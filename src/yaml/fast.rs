//! A fast reader for the shape YAML front matter is usually written in: block mappings and
//! sequences of one-line values (plain, quoted, or flow sequences of them), with comments.
//!
//! A briefing's front matter is a few kilobytes of exactly that, and libyaml (behind
//! serde_yaml) spends most of a build's parse phase on it, decoding and scanning one character
//! at a time. This reader takes the common shape in a few passes over the lines and hands it to
//! serde as a small tree, with scalars resolved the way serde_yaml resolves them.
//!
//! It is a fast path, never a second opinion: anything outside the shape (block scalars,
//! anchors, tags, multi-line values, flow mappings, tabs, carriage returns, unusual escapes)
//! and every error (a type mismatch, an unknown or missing key) gives `None`, and the caller
//! reads the text with serde_yaml, which decides and reports. So a document read here has the
//! value serde_yaml gives it; the tests compare the two on generated documents.

use serde::de::{self, DeserializeOwned, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use std::borrow::Cow;

/// `text` deserialized as `T`, or `None` when `text` is outside the fast reader's shape or does
/// not make a `T`.
pub fn from_str<T: DeserializeOwned>(text: &str) -> Option<T> {
    let root = parse(text)?;
    T::deserialize(Node::Map(root)).ok()
}

/// A value as written: scalars keep their style, because serde_yaml resolves plain scalars
/// (`null`, `true`, `12`) and never quoted ones.
#[derive(Debug)]
enum Node<'a> {
    Plain(&'a str),
    Quoted(Cow<'a, str>),
    Seq(Vec<Node<'a>>),
    Map(Vec<(&'a str, Node<'a>)>),
}

/// One line that is not blank or a comment: its indentation and the text after it.
#[derive(Clone, Copy)]
struct Line<'a> {
    indent: usize,
    text: &'a str,
}

/// The document's root mapping, or `None` when `text` is not in the shape.
fn parse(text: &str) -> Option<Vec<(&str, Node<'_>)>> {
    if !plain_characters(text) {
        return None;
    }
    let mut lines = Vec::with_capacity(text.len() / 24);
    for raw in text.split('\n') {
        let content = raw.trim_start_matches(' ');
        if content.is_empty() || content.starts_with('#') {
            continue;
        }
        let indent = raw.len() - content.len();
        // Nesting is bounded by indentation: the parser and the deserializer recurse once per
        // level, so a deep document could exhaust the stack; serde_yaml limits it too.
        if indent > MAX_INDENT {
            return None;
        }
        if indent == 0 && (content.starts_with("---") || content.starts_with("...") || content.starts_with('%')) {
            return None;
        }
        lines.push(Line { indent, text: content.trim_end_matches(' ') });
    }
    let mut parser = Parser { lines, pos: 0 };
    if parser.lines.first()?.indent != 0 {
        return None;
    }
    let root = parser.map(0, Vec::new())?;
    (parser.pos == parser.lines.len()).then_some(root)
}

const MAX_INDENT: usize = 64;

/// Whether every character of `text` is one libyaml reads as an ordinary printable character
/// or `\n`: no tabs, carriage returns, controls, byte order marks, or Unicode line breaks.
fn plain_characters(text: &str) -> bool {
    if text.bytes().all(|b| (b' '..=b'~').contains(&b) || b == b'\n') {
        return true;
    }
    text.chars().all(|c| match c {
        ' '..='~' | '\n' => true,
        '\u{0}'..='\u{9f}' | '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{fffe}' | '\u{ffff}' => false,
        _ => true,
    })
}

struct Parser<'a> {
    lines: Vec<Line<'a>>,
    pos: usize,
}

impl<'a> Parser<'a> {
    fn peek(&self) -> Option<Line<'a>> {
        self.lines.get(self.pos).copied()
    }

    /// The block starting at the current line, whose indentation is `indent`.
    fn block(&mut self, indent: usize) -> Option<Node<'a>> {
        if is_item(self.peek()?.text) {
            self.seq(indent).map(Node::Seq)
        } else {
            self.map(indent, Vec::new()).map(Node::Map)
        }
    }

    /// The mapping whose keys sit at column `indent`, after the `entries` already read (the
    /// first key of a mapping that starts on a sequence item's line).
    fn map(&mut self, indent: usize, mut entries: Vec<(&'a str, Node<'a>)>) -> Option<Vec<(&'a str, Node<'a>)>> {
        while let Some(line) = self.peek() {
            if line.indent < indent {
                break;
            }
            if line.indent > indent || is_item(line.text) {
                return None;
            }
            let (key, rest) = split_key(line.text)?;
            self.pos += 1;
            let value = self.value(indent, rest)?;
            entries.push((key, value));
        }
        Some(entries)
    }

    /// The sequence whose `-` indicators sit at column `indent`.
    fn seq(&mut self, indent: usize) -> Option<Vec<Node<'a>>> {
        let mut items = Vec::new();
        while let Some(line) = self.peek() {
            if line.indent < indent || (line.indent == indent && !is_item(line.text)) {
                break;
            }
            if line.indent > indent {
                return None;
            }
            let after = &line.text[1..];
            let rest = after.trim_start_matches(' ');
            self.pos += 1;
            if rest.is_empty() || rest.starts_with('#') {
                // `-` alone: the item is the block below it, or null.
                match self.peek() {
                    Some(next) if next.indent > indent => items.push(self.block(next.indent)?),
                    _ => items.push(Node::Plain("")),
                }
            } else if let Some((key, value)) = split_key(rest) {
                // `- key: value`: a mapping whose keys sit where this one does.
                let column = indent + 1 + (after.len() - rest.len());
                let first = self.value(column, value)?;
                items.push(Node::Map(self.map(column, vec![(key, first)])?));
            } else if is_item(rest) {
                return None;
            } else {
                items.push(self.inline(indent, rest)?);
            }
        }
        Some(items)
    }

    /// The value of a key at column `indent`, `rest` being what follows its `:` on the line.
    fn value(&mut self, indent: usize, rest: &'a str) -> Option<Node<'a>> {
        let rest = rest.trim_start_matches(' ');
        if !rest.is_empty() && !rest.starts_with('#') {
            return self.inline(indent, rest);
        }
        match self.peek() {
            Some(next) if next.indent > indent => self.block(next.indent),
            // A sequence may sit at its key's own column.
            Some(next) if next.indent == indent && is_item(next.text) => self.seq(indent).map(Node::Seq),
            _ => Some(Node::Plain("")),
        }
    }

    /// A value written on its line after a key or `-` at column `indent`; a deeper line after
    /// it would continue it over lines, which this reader leaves to libyaml.
    fn inline(&mut self, indent: usize, text: &'a str) -> Option<Node<'a>> {
        let node = inline_value(text)?;
        match self.peek() {
            Some(next) if next.indent > indent => None,
            _ => Some(node),
        }
    }
}

/// Whether a line's text is a sequence item: `-` followed by a space or nothing.
fn is_item(text: &str) -> bool {
    text == "-" || text.starts_with("- ")
}

/// `key: rest` or `key:` with a simple key (a letter or `_`, then letters, digits, `_`, `-`;
/// shorter than libyaml's limit of 1024 characters for a key on one line).
fn split_key(text: &str) -> Option<(&str, &str)> {
    let bytes = text.as_bytes();
    if !bytes.first()?.is_ascii_alphabetic() && bytes[0] != b'_' {
        return None;
    }
    let end = bytes.iter().position(|&b| !(b.is_ascii_alphanumeric() || b == b'_' || b == b'-'))?;
    if bytes[end] != b':' || end > 1000 {
        return None;
    }
    let rest = &text[end + 1..];
    (rest.is_empty() || rest.starts_with(' ')).then(|| (&text[..end], rest))
}

/// Characters that give a plain scalar's first character another meaning.
const INDICATORS: &[u8] = b"-?:,[]{}#&*!|>'\"%@`";

/// A whole value on one line: a quoted scalar, a flow sequence, or a plain scalar, each
/// optionally followed by a comment.
fn inline_value(text: &str) -> Option<Node<'_>> {
    match text.as_bytes()[0] {
        b'"' | b'\'' => {
            let (value, rest) = quoted(text)?;
            end_of_value(rest).then_some(Node::Quoted(value))
        }
        b'[' => {
            let (items, rest) = flow_seq(&text[1..])?;
            end_of_value(rest).then_some(Node::Seq(items))
        }
        first if INDICATORS.contains(&first) && !signed(text) => None,
        _ => {
            let value = match text.find(" #") {
                Some(i) => text[..i].trim_end_matches(' '),
                None => text,
            };
            (!value.contains(": ") && !value.ends_with(':')).then_some(Node::Plain(value))
        }
    }
}

/// `-` before a letter or digit (`-3`, `-x`): a plain scalar, not an indicator.
fn signed(text: &str) -> bool {
    text.starts_with('-') && text.as_bytes().get(1).is_some_and(u8::is_ascii_alphanumeric)
}

/// Whether what follows a value on its line is nothing, or a comment.
fn end_of_value(rest: &str) -> bool {
    let trimmed = rest.trim_start_matches(' ');
    trimmed.is_empty() || (trimmed.starts_with('#') && trimmed.len() < rest.len())
}

/// The items of a flow sequence, `text` starting after its `[`, and the text after its `]`.
fn flow_seq(mut text: &str) -> Option<(Vec<Node<'_>>, &str)> {
    let mut items = Vec::new();
    text = text.trim_start_matches(' ');
    if let Some(rest) = text.strip_prefix(']') {
        return Some((items, rest));
    }
    loop {
        let (item, rest) = match text.as_bytes().first()? {
            b'"' | b'\'' => {
                let (value, rest) = quoted(text)?;
                (Node::Quoted(value), rest)
            }
            first if INDICATORS.contains(first) && !signed(text) => return None,
            _ => {
                let end = text.find([',', ']', '[', '{', '}', '#', ':'])?;
                if !matches!(text.as_bytes()[end], b',' | b']') {
                    return None;
                }
                (Node::Plain(text[..end].trim_end_matches(' ')), &text[end..])
            }
        };
        items.push(item);
        let rest = rest.trim_start_matches(' ');
        match rest.as_bytes().first()? {
            b']' => return Some((items, &rest[1..])),
            b',' => {
                text = rest[1..].trim_start_matches(' ');
                if text.starts_with(']') || text.starts_with(',') {
                    return None;
                }
            }
            _ => return None,
        }
    }
}

/// A quoted scalar closed on its line (`text` starts at its opening quote), and the text after
/// its closing quote. Double-quoted escapes other than `\\ \" \/ \n \t \r \uXXXX` are left to
/// libyaml.
fn quoted(text: &str) -> Option<(Cow<'_, str>, &str)> {
    let quote = text.as_bytes()[0];
    let body = &text[1..];
    let special: &[char] = if quote == b'"' { &['"', '\\'] } else { &['\''] };
    let first = body.find(special)?;
    if body.as_bytes()[first] == quote && (quote == b'"' || body.as_bytes().get(first + 1) != Some(&b'\'')) {
        return Some((Cow::Borrowed(&body[..first]), &body[first + 1..]));
    }
    let mut out = String::with_capacity(body.len());
    let mut rest = body;
    loop {
        let i = rest.find(special)?;
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

impl<'de> Deserializer<'de> for Node<'_> {
    type Error = Bail;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Bail> {
        match self {
            Node::Plain(v) => {
                if parse_null(v) {
                    return visitor.visit_unit();
                }
                if let Some(b) = parse_bool(v) {
                    return visitor.visit_bool(b);
                }
                // serde_yaml tries unsigned before signed integers, then floats.
                if let Some(n) = decimal(v) {
                    return match (v.starts_with('-'), u64::try_from(n), i64::try_from(n)) {
                        (false, Ok(u), _) => visitor.visit_u64(u),
                        (false, Err(_), _) => visitor.visit_u128(n as u128),
                        (true, _, Ok(i)) => visitor.visit_i64(i),
                        (true, _, Err(_)) => visitor.visit_i128(n),
                    };
                }
                if let Some(f) = float(v).filter(|_| !digits_but_not_number(v)) {
                    return visitor.visit_f64(f);
                }
                if maybe_other_number(v) && !is_date(v) {
                    return Err(Bail);
                }
                visitor.visit_str(v)
            }
            Node::Quoted(v) => visitor.visit_str(&v),
            Node::Seq(items) => visitor.visit_seq(Items(items.into_iter())),
            Node::Map(entries) => visitor.visit_map(Entries { entries: entries.into_iter(), value: None }),
        }
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Bail> {
        match self {
            Node::Plain(v) => visitor.visit_bool(parse_bool(v).ok_or(Bail)?),
            _ => Err(Bail),
        }
    }

    fn deserialize_i64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Bail> {
        match self {
            Node::Plain(v) if !v.starts_with('+') => {
                visitor.visit_i64(decimal(v).and_then(|n| i64::try_from(n).ok()).ok_or(Bail)?)
            }
            _ => Err(Bail),
        }
    }

    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Bail> {
        match self {
            // Integers too: serde_yaml reads `1` and `007` as floats here.
            Node::Plain(v) => visitor.visit_f64(float(v).ok_or(Bail)?),
            _ => Err(Bail),
        }
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Bail> {
        match self {
            Node::Plain(v) => visitor.visit_str(v),
            Node::Quoted(v) => visitor.visit_str(&v),
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
        match self {
            Node::Plain(v) if parse_null(v) => visitor.visit_none(),
            node => visitor.visit_some(node),
        }
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Bail> {
        match self {
            Node::Seq(items) => visitor.visit_seq(Items(items.into_iter())),
            // serde_yaml reads an empty value as an empty sequence.
            Node::Plain("") => visitor.visit_seq(Items(Vec::new().into_iter())),
            _ => Err(Bail),
        }
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Bail> {
        match self {
            Node::Map(entries) => visitor.visit_map(Entries { entries: entries.into_iter(), value: None }),
            Node::Plain("") => visitor.visit_map(Entries { entries: Vec::new().into_iter(), value: None }),
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

/// `YYYY-MM-DD`: a string to serde_yaml (it resolves no timestamps), though it starts with a
/// digit.
fn is_date(v: &str) -> bool {
    let b = v.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter().enumerate().all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
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
    entries: std::vec::IntoIter<(&'a str, Node<'a>)>,
    value: Option<Node<'a>>,
}

impl<'de> MapAccess<'de> for Entries<'_> {
    type Error = Bail;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, Bail> {
        let Some((key, value)) = self.entries.next() else {
            return Ok(None);
        };
        self.value = Some(value);
        seed.deserialize(Node::Plain(key)).map(Some)
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
    use super::*;
    use proptest::prelude::*;
    use serde_yaml::Value;

    /// Both readers' values of `text` as `T`, shown; the fast one `None` when it leaves `text`
    /// to serde_yaml.
    fn both<T: DeserializeOwned + std::fmt::Debug>(text: &str) -> (Option<String>, Result<String, String>) {
        let fast = from_str::<T>(text).map(|v| format!("{v:?}"));
        let slow = serde_yaml::from_str::<T>(text).map(|v| format!("{v:?}")).map_err(|e| e.to_string());
        (fast, slow)
    }

    /// The fast reader's value of `text`, checked against serde_yaml's.
    fn agreed(text: &str) -> Option<String> {
        let (fast, slow) = both::<Value>(text);
        if let Some(fast) = &fast {
            assert_eq!(Ok(fast), slow.as_ref(), "the readers differ on {text:?}");
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
    fn deep_nesting_is_left_to_serde_yaml_without_exhausting_the_stack() {
        let deep: String = (0..5_000).map(|i| format!("{}a:\n", " ".repeat(i))).collect();
        assert_eq!(from_str::<Value>(&deep), None);
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
}
