//! The search's words: how text becomes index terms, the same way in the build and in the
//! browser (`static/search/text.js` is the twin of this file; a test runs both on the same
//! words and compares). Text is folded (NFD, combining marks dropped, lower case), split into
//! words (runs of letters and digits, an apostrophe inside a word kept, as Porter2 expects),
//! stop words dropped, and each word stemmed with Snowball's English (Porter2) stemmer. Also
//! the compact number code the index files are written in.

use rust_stemmers::{Algorithm, Stemmer};
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Words too common to search for: not indexed, and dropped from queries (a quoted phrase
/// still checks them in the text). Keep in step with `STOP` in `static/search/text.js`.
pub const STOP: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "from", "has", "have", "he", "her", "his", "in",
    "is", "it", "its", "of", "on", "or", "that", "the", "their", "there", "they", "this", "to", "was", "were", "which",
    "will", "with",
];

/// Case and accents folded: `Bór` and `BOR` are `bor`. Curly apostrophes become `'`.
pub fn fold(text: &str) -> String {
    // Most text is ASCII, which decomposes to itself: lower case is all there is to do.
    if text.is_ascii() {
        return text.to_ascii_lowercase();
    }
    text.nfd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .map(|c| if c == '’' { '\'' } else { c })
        .collect()
}

/// The words of folded text, in order: runs of letters and digits, joined by an apostrophe
/// between two of them (`russia's`).
pub fn words(folded: &str) -> impl Iterator<Item = &str> {
    let b = folded;
    let mut rest = b;
    std::iter::from_fn(move || {
        let start = rest.find(char::is_alphanumeric)?;
        let s = &rest[start..];
        let mut end = 0;
        let mut chars = s.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            if c.is_alphanumeric() {
                end = i + c.len_utf8();
            } else if c == '\'' && chars.peek().is_some_and(|(_, n)| n.is_alphanumeric()) {
                continue;
            } else {
                break;
            }
        }
        rest = &s[end..];
        Some(&s[..end])
    })
}

/// Calls `f` with each word of `fold(text)`, in order, as [`words`] finds them; ASCII text (most
/// text) is not folded as a whole first, only its words with capitals, in `buf`.
pub fn each_word(text: &str, buf: &mut String, mut f: impl FnMut(&str)) {
    if !text.is_ascii() {
        words(&fold(text)).for_each(f);
        return;
    }
    let b = text.as_bytes();
    let n = b.len();
    let mut i = 0;
    while i < n {
        if ASCII_CLASS[b[i] as usize] == 0 {
            i += 1;
            continue;
        }
        let start = i;
        let mut classes = 0;
        while i < n {
            let class = ASCII_CLASS[b[i] as usize];
            if class == 0 {
                // An apostrophe between two letters or digits is part of the word.
                if b[i] == b'\'' && i + 1 < n && ASCII_CLASS[b[i + 1] as usize] != 0 {
                    i += 1;
                    continue;
                }
                break;
            }
            classes |= class;
            i += 1;
        }
        let word = &text[start..i];
        if classes & CAPITAL != 0 {
            buf.clear();
            buf.push_str(word);
            buf.make_ascii_lowercase();
            f(buf);
        } else {
            f(word);
        }
    }
}

/// [`ASCII_CLASS`] of a lower-case letter or a digit.
const SMALL: u8 = 1;
/// [`ASCII_CLASS`] of a capital letter.
const CAPITAL: u8 = 2;
/// What each ASCII byte is in a word: 0 for none.
const ASCII_CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut c = 0;
    while c < 128 {
        let b = c as u8;
        t[c] = if b.is_ascii_uppercase() {
            CAPITAL
        } else if b.is_ascii_alphanumeric() {
            SMALL
        } else {
            0
        };
        c += 1;
    }
    t
};

/// Index terms from words: stop words dropped, the rest stemmed.
pub struct Terms(Stemmer);

impl Default for Terms {
    fn default() -> Self {
        Terms(Stemmer::create(Algorithm::English))
    }
}

impl Terms {
    /// The term of one folded word, or `None` for a stop word.
    pub fn term<'a>(&self, word: &'a str) -> Option<std::borrow::Cow<'a, str>> {
        if STOP.contains(&word) {
            return None;
        }
        Some(self.0.stem(word))
    }

    /// The stem of a folded word, stop word or not (what the browser's stemmer is compared to).
    pub fn stem<'a>(&self, word: &'a str) -> std::borrow::Cow<'a, str> {
        self.0.stem(word)
    }
}

/// The 64 characters numbers are written in, all safe in a JSON string and a file name.
pub const DIGITS: &[u8; 64] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";

/// Appends `n` in base 32, most significant digit first: every digit but the last is written
/// with the upper half of [`DIGITS`], so numbers follow one another without separators
/// (below 32 in one character, below 1024 in two).
pub fn push_num(out: &mut String, n: u64) {
    let mut buf = [0u8; 13];
    let mut i = buf.len();
    let mut n = n;
    i -= 1;
    buf[i] = DIGITS[(n & 31) as usize];
    n >>= 5;
    while n > 0 {
        i -= 1;
        buf[i] = DIGITS[32 + (n & 31) as usize];
        n >>= 5;
    }
    // Only ASCII digits from DIGITS were written.
    out.extend(buf[i..].iter().map(|&b| b as char));
}

/// A file name for an index term prefix: letters a–z and digits as they are, any other
/// character as `_` and its code point in hex and `_`, so names are ASCII, lower case and
/// distinct on every file system. The browser computes the same (`shardName`).
pub fn file_key(prefix: &str) -> String {
    let mut s = String::new();
    for c in prefix.chars() {
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            s.push(c);
        } else {
            s.push_str(&format!("_{:x}_", c as u32));
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(text: &str) -> Vec<String> {
        let t = Terms::default();
        let f = fold(text);
        words(&f).filter_map(|w| t.term(w).map(|s| s.into_owned())).collect()
    }

    #[test]
    fn words_are_folded_split_and_stemmed() {
        assert_eq!(terms("Bór's strikes, on the POWER-plants"), ["bor", "strike", "power", "plant"]);
        assert_eq!(terms("Zoë Ćirić’s 2024 ''quoted''"), ["zoe", "ciric", "2024", "quot"]);
        // Porter2 takes the possessive off: "it's" is not the stop word "it", but stems to it.
        assert_eq!(terms("it's"), ["it"]);
    }

    proptest::proptest! {
        #[test]
        fn each_word_finds_the_words_of_the_folded_text(text in "[a-zA-Z0-9' ,.\\-’é]{0,40}") {
            let mut found = Vec::new();
            each_word(&text, &mut String::new(), |w| found.push(w.to_string()));
            let folded = fold(&text);
            let expected: Vec<&str> = words(&folded).collect();
            proptest::prop_assert_eq!(found, expected);
        }
    }

    #[test]
    fn numbers_are_written_without_separators() {
        let mut s = String::new();
        for n in [0, 31, 32, 1023, 1024, 70000] {
            push_num(&mut s, n);
        }
        // 32 = 1·32 + 0: `X` (the continuation digit 1), then `0`; 70000 = 2·32³ + 4·32² + 11·32 + 16.
        assert_eq!(s, "0VX0_VXW0YahG");
        assert_eq!(file_key("po"), "po");
        assert_eq!(file_key("ći'"), "_107_i_27_");
    }
}
