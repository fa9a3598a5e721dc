//! The one way sitpress writes JSON ([`write`]): serde_json's compact output made HTML-safe,
//! for `data.json`, `stix.json`, the search index's scripts, each page's JSON-LD and the
//! `json_ld` filter.
//!
//! Inside strings, `<`, `>`, `&`, U+2028 and U+2029 are escaped (`\u003c`...). They occur
//! nowhere else in JSON text, and the escape means the same character, so the text is the same
//! JSON, yet inert pasted into HTML, inside a script element, or served with the wrong type:
//! no string can close the element (`</script>`) or end a JavaScript line.

use serde::Serialize;
use serde_json::Value;
use std::io;

/// The escape of what starts `rest`, and how many bytes it replaces, if `rest` starts with
/// something to escape: `<`, `>`, `&`, U+2028 (E2 80 A8) or U+2029 (E2 80 A9).
fn escape_of(rest: &[u8]) -> Option<(&'static [u8], usize)> {
    match rest {
        [b'<', ..] => Some((b"\\u003c", 1)),
        [b'>', ..] => Some((b"\\u003e", 1)),
        [b'&', ..] => Some((b"\\u0026", 1)),
        [0xE2, 0x80, 0xA8, ..] => Some((b"\\u2028", 3)),
        [0xE2, 0x80, 0xA9, ..] => Some((b"\\u2029", 3)),
        _ => None,
    }
}

/// Appends JSON text `json` to `out` with what [`write`] escapes escaped. The five characters
/// occur only inside strings in JSON text, where the escape means the same character, so this
/// pass over serde_json's output needs no parsing. The rare bytes are found with memchr
/// (SIMD), so long runs of ordinary text are copied whole; each of the two searches is run
/// again only once passed, so text full of one is not rescanned for the other.
fn escape_into(out: &mut Vec<u8>, json: &[u8]) {
    let mut last = 0;
    let mut from = 0;
    // The next `<`, `>` or `&`, and the next 0xE2 (which may start U+2028 or U+2029), at or
    // after where they were looked for (`usize::MAX`: none left).
    let (mut markup, mut e2): (Option<usize>, Option<usize>) = (None, None);
    while from < json.len() {
        let rest = &json[from..];
        let at = |found: Option<usize>| found.map_or(usize::MAX, |i| from + i);
        if markup.is_none_or(|m| m < from) {
            markup = Some(at(memchr::memchr3(b'<', b'>', b'&', rest)));
        }
        if e2.is_none_or(|e| e < from) {
            e2 = Some(at(memchr::memchr(0xE2, rest)));
        }
        let Some(i) = markup.min(e2).filter(|&i| i != usize::MAX) else { break };
        let Some((escaped, len)) = escape_of(&json[i..]) else {
            from = i + 1;
            continue;
        };
        out.extend_from_slice(&json[last..i]);
        out.extend_from_slice(escaped);
        last = i + len;
        from = last;
    }
    out.extend_from_slice(&json[last..]);
}

/// A writer that gathers serde_json's many small writes and escapes them into `out` a chunk
/// at a time: a large file (`data.json`, `stix.json`) is neither escaped write by write nor
/// held twice, unescaped and escaped.
struct Chunks<'o> {
    out: &'o mut Vec<u8>,
    chunk: Vec<u8>,
}

impl Chunks<'_> {
    const SIZE: usize = 64 * 1024;

    /// Escapes the gathered bytes into `out`; unless `all`, keeps back the start of a character
    /// cut at the end (an escape spans a whole character).
    fn flush_chunk(&mut self, all: bool) {
        let keep = if all { 0 } else { cut_char(&self.chunk) };
        let n = self.chunk.len() - keep;
        escape_into(self.out, &self.chunk[..n]);
        self.chunk.drain(..n);
    }
}

impl io::Write for Chunks<'_> {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.chunk.extend_from_slice(bytes);
        if self.chunk.len() >= Self::SIZE {
            self.flush_chunk(false);
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// How many bytes at the end of `bytes` begin a UTF-8 character that `bytes` cuts short.
fn cut_char(bytes: &[u8]) -> usize {
    for back in 1..=bytes.len().min(3) {
        let b = bytes[bytes.len() - back];
        if b & 0xC0 != 0x80 {
            // A lead byte (or ASCII): its character's length against the bytes there are.
            let len = match b {
                0xF0.. => 4,
                0xE0.. => 3,
                0xC0.. => 2,
                _ => 1,
            };
            return if len > back { back } else { 0 };
        }
    }
    0
}

/// Appends `value` to `out` as compact, HTML-safe JSON. On error (a map with keys that are not
/// strings), `out` is as it was.
pub fn write<T: Serialize + ?Sized>(out: &mut Vec<u8>, value: &T) -> serde_json::Result<()> {
    let start = out.len();
    let mut chunks = Chunks { out, chunk: Vec::with_capacity(Chunks::SIZE + 4096) };
    let result = serde_json::to_writer(&mut chunks, value);
    chunks.flush_chunk(true);
    if result.is_err() {
        chunks.out.truncate(start);
    }
    result
}

/// `value` as compact, HTML-safe JSON text.
pub fn to_string<T: Serialize + ?Sized>(value: &T) -> serde_json::Result<String> {
    let mut out = Vec::new();
    write(&mut out, value)?;
    // serde_json writes UTF-8, and the escapes are ASCII.
    Ok(String::from_utf8(out).expect("serde_json writes UTF-8"))
}

/// A template's `json_ld` value as text for a script element: members that are null, `""` or
/// `[]` left out, keys sorted (as the built-in JSON-LD is written), HTML-safe.
pub fn script_safe(json: Value) -> String {
    let json = prune(json).unwrap_or(Value::Null);
    to_string(&json).unwrap_or_else(|_| "null".to_string())
}

/// `json` without empty members, keys sorted; `None` when `json` itself is empty.
fn prune(json: Value) -> Option<Value> {
    match json {
        Value::Null => None,
        Value::String(s) if s.is_empty() => None,
        Value::Array(items) => {
            let items: Vec<Value> = items.into_iter().filter_map(prune).collect();
            (!items.is_empty()).then_some(Value::Array(items))
        }
        Value::Object(map) => {
            let mut members: Vec<(String, Value)> =
                map.into_iter().filter_map(|(k, v)| prune(v).map(|v| (k, v))).collect();
            members.sort_by(|a, b| a.0.cmp(&b.0));
            Some(Value::Object(members.into_iter().collect()))
        }
        other => Some(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// What [`write`] should make of `s`: serde_json's string, then each of the five
    /// characters replaced by its escape.
    fn by_hand(s: &str) -> String {
        serde_json::to_string(s)
            .unwrap()
            .replace('<', "\\u003c")
            .replace('>', "\\u003e")
            .replace('&', "\\u0026")
            .replace('\u{2028}', "\\u2028")
            .replace('\u{2029}', "\\u2029")
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

        /// Every character, near misses of U+2028 included (U+2027, U+2A80, U+20AC share its
        /// lead byte or its second), escaped as by hand, and read back as the same string.
        #[test]
        fn strings_escape_each_character_and_read_back(
            s in "[a<>&\"\\\\\n\u{1}\u{2028}\u{2029}\u{2027}\u{20ac}\u{e2}\u{2a80}é]{0,120}"
        ) {
            let json = to_string(&s).unwrap();
            prop_assert_eq!(&json, &by_hand(&s));
            prop_assert_eq!(serde_json::from_str::<String>(&json).unwrap(), s);
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 1000, ..ProptestConfig::default() })]

        /// Long runs of plain text between the characters to escape: the memchr search.
        #[test]
        fn long_strings_escape_each_character(s in "(a{0,70}[<>&\u{2028}\u{2029}\u{2027}\u{e2}é])*a{0,70}") {
            prop_assert_eq!(to_string(&s).unwrap(), by_hand(&s));
        }
    }

    #[test]
    fn a_chunk_keeps_back_a_cut_character() {
        assert_eq!(cut_char("ab".as_bytes()), 0);
        assert_eq!(cut_char(&"a\u{2028}".as_bytes()[..2]), 1);
        assert_eq!(cut_char(&"a\u{2028}".as_bytes()[..3]), 2);
        assert_eq!(cut_char("a\u{2028}".as_bytes()), 0);
        assert_eq!(cut_char(&"é".as_bytes()[..1]), 1);
    }

    #[test]
    fn escapes_across_chunks() {
        // Long enough for several chunks, with U+2028 cut at every offset somewhere.
        let s: String = (0..40_000).map(|i| ["ab", "<", "\u{2028}", "é", "&"][i % 5]).collect();
        assert_eq!(to_string(&s).unwrap(), by_hand(&s));
    }

    #[test]
    fn nothing_can_end_a_script_element() {
        let json = to_string(&serde_json::json!({"k</script>": ["<!--", "&amp;", "\u{2028}"]})).unwrap();
        assert_eq!(json, r#"{"k\u003c/script\u003e":["\u003c!--","\u0026amp;","\u2028"]}"#);
    }

    #[test]
    fn a_failed_write_leaves_the_buffer_as_it_was() {
        struct Fails;
        impl Serialize for Fails {
            fn serialize<S: serde::Serializer>(&self, _: S) -> Result<S::Ok, S::Error> {
                Err(serde::ser::Error::custom("no"))
            }
        }
        let mut out = b"kept".to_vec();
        assert!(write(&mut out, &("a long string first", Fails)).is_err());
        assert_eq!(out, b"kept");
    }

    #[test]
    fn script_safe_leaves_out_empty_members_and_sorts_keys() {
        let v = serde_json::json!({"b": "", "a": [null, "", [], "x"], "c": {"z": 1, "y": null}});
        assert_eq!(script_safe(v), r#"{"a":["x"],"c":{"z":1}}"#);
    }
}
