//! The one way sitpress writes JSON: serde_json with [`HtmlSafe`], for `data.json`,
//! `stix.json`, the search index's scripts, each page's JSON-LD and the `json_ld` filter.
//!
//! Inside strings, `<`, `>`, `&`, U+2028 and U+2029 are escaped (`\u003c`...). They occur
//! nowhere else in JSON text, and the escape means the same character, so the text is the same
//! JSON, yet inert pasted into HTML, inside a script element, or served with the wrong type:
//! no string can close the element (`</script>`) or end a JavaScript line.

use serde::Serialize;
use serde_json::Value;
use std::io;

/// serde_json's compact output with what matters to an HTML parser or to JavaScript escaped
/// inside strings.
pub struct HtmlSafe;

/// The escape of each byte [`HtmlSafe`] escapes on its own, and `0xE2`, the lead byte of U+2028
/// and U+2029, whose escape depends on the bytes after it.
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

/// The bytes that may start what [`HtmlSafe`] escapes.
static SPECIAL: [bool; 256] = {
    let mut special = [false; 256];
    special[b'<' as usize] = true;
    special[b'>' as usize] = true;
    special[b'&' as usize] = true;
    special[0xE2] = true;
    special
};

impl serde_json::ser::Formatter for HtmlSafe {
    /// `fragment` is a run of a string that needs no JSON escape (serde_json escapes quotes,
    /// backslashes and control characters between fragments); fragments end on whole
    /// characters, so U+2028 is never cut in two.
    fn write_string_fragment<W: ?Sized + io::Write>(&mut self, writer: &mut W, fragment: &str) -> io::Result<()> {
        let bytes = fragment.as_bytes();
        let mut specials = Specials::default();
        let mut last = 0;
        let mut from = 0;
        while let Some(i) = specials.next(bytes, from) {
            match escape_of(&bytes[i..]) {
                Some((escaped, len)) => {
                    writer.write_all(&bytes[last..i])?;
                    writer.write_all(escaped)?;
                    last = i + len;
                    from = last;
                }
                None => from = i + 1,
            }
        }
        writer.write_all(&bytes[last..])
    }
}

/// Finds the bytes that may start what [`HtmlSafe`] escapes. Most strings have none, and
/// `data.json` and `stix.json` are tens of MB of them: long runs are searched with memchr
/// (SIMD), and each of the two searches is run again only once passed, so text full of one
/// special byte is not rescanned for the other.
#[derive(Default)]
struct Specials {
    /// The next `<`, `>` or `&`, and the next 0xE2, at or after where they were last looked
    /// for (`usize::MAX`: none left); `None` before the first search.
    markup: Option<usize>,
    e2: Option<usize>,
}

/// The first byte of `bytes` that may start what [`HtmlSafe`] escapes, eight bytes at a time:
/// most strings are short (ids, names, titles) and have none. A byte equal to `b` is found by
/// the classic zero-byte test on `x ^ b` repeated: its lowest flagged byte is always a true
/// match (only bytes above one may be flagged falsely).
fn find_special(bytes: &[u8]) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let equal = |x: u64, b: u8| {
        let y = x ^ (ONES * u64::from(b));
        y.wrapping_sub(ONES) & !y & HIGH
    };
    let mut chunks = bytes.chunks_exact(8);
    for (n, chunk) in chunks.by_ref().enumerate() {
        let x = u64::from_le_bytes(chunk.try_into().expect("eight bytes"));
        let found = equal(x, b'<') | equal(x, b'>') | equal(x, b'&') | equal(x, 0xE2);
        if found != 0 {
            return Some(n * 8 + (found.trailing_zeros() / 8) as usize);
        }
    }
    let tail = chunks.remainder();
    tail.iter().position(|&b| SPECIAL[usize::from(b)]).map(|i| bytes.len() - tail.len() + i)
}

impl Specials {
    fn next(&mut self, bytes: &[u8], from: usize) -> Option<usize> {
        let rest = &bytes[from..];
        if rest.len() < 64 {
            return find_special(rest).map(|i| from + i);
        }
        let at = |found: Option<usize>| found.map_or(usize::MAX, |i| from + i);
        if self.markup.is_none_or(|m| m < from) {
            self.markup = Some(at(memchr::memchr3(b'<', b'>', b'&', rest)));
        }
        if self.e2.is_none_or(|e| e < from) {
            self.e2 = Some(at(memchr::memchr(0xE2, rest)));
        }
        self.markup.min(self.e2).filter(|&i| i != usize::MAX)
    }
}

/// Appends `value` to `out` as compact, HTML-safe JSON. On error (a map with keys that are not
/// strings), `out` is as it was.
pub fn write<T: Serialize + ?Sized>(out: &mut Vec<u8>, value: &T) -> serde_json::Result<()> {
    let start = out.len();
    let result = value.serialize(&mut serde_json::Serializer::with_formatter(&mut *out, HtmlSafe));
    if result.is_err() {
        out.truncate(start);
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

    /// What [`HtmlSafe`] should make of `s`: serde_json's string, then each of the five
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

    proptest! {
        /// The eight-at-a-time search finds what a byte-by-byte one finds.
        #[test]
        fn find_special_is_the_first_special_byte(bytes in proptest::collection::vec(
            prop_oneof![Just(b'a'), Just(b'<'), Just(b'>'), Just(b'&'), Just(0xE2u8), Just(0xE1u8), Just(b'='), Just(b'%'), any::<u8>()], 0..40)
        ) {
            prop_assert_eq!(find_special(&bytes), bytes.iter().position(|&b| SPECIAL[usize::from(b)]));
        }
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
