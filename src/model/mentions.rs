//! Finding names in text: actor names and aliases, likelihood terms, hedging words.
//!
//! One matcher for all of them: leftmost-longest (so "very likely" wins over "likely" and
//! "Russian Federation" over "Russia"), on word boundaries (so "Russia" is not found in
//! "Russians" or "ProRussia"), case-sensitive unless built otherwise.

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use std::ops::Range;

#[derive(Debug, Clone)]
pub struct Matcher<T> {
    automaton: Option<AhoCorasick>,
    values: Vec<T>,
}

impl<T: Copy> Matcher<T> {
    /// `phrases`: (value, phrase), one entry per phrase; empty phrases are ignored.
    pub fn new<S: AsRef<str>>(phrases: impl IntoIterator<Item = (T, S)>, case_insensitive: bool) -> Matcher<T> {
        let (values, texts): (Vec<T>, Vec<String>) = phrases
            .into_iter()
            .filter(|(_, p)| !p.as_ref().trim().is_empty())
            .map(|(v, p)| (v, p.as_ref().to_string()))
            .unzip();
        // A DFA, whatever the number of phrases: a site's names make one of a few MB at most,
        // and every body and claim of the site is searched with it (the NFA the builder picks
        // for hundreds of phrases steps several times slower).
        let automaton = AhoCorasick::builder()
            .kind(Some(AhoCorasickKind::DFA))
            .match_kind(MatchKind::LeftmostLongest)
            .ascii_case_insensitive(case_insensitive)
            .build(&texts)
            .ok();
        Matcher { automaton, values }
    }

    /// Every match on word boundaries, in text order: (byte range, value).
    pub fn find<'s>(&'s self, text: &'s str) -> impl Iterator<Item = (Range<usize>, T)> + 's {
        self.automaton.iter().flat_map(move |ac| {
            ac.find_iter(text).filter_map(move |m| {
                let before = text[..m.start()].chars().next_back();
                let after = text[m.end()..].chars().next();
                let boundary = |c: Option<char>| c.is_none_or(|c| !c.is_alphanumeric() && c != '_');
                (boundary(before) && boundary(after)).then(|| (m.range(), self.values[m.pattern().as_usize()]))
            })
        })
    }
}

/// A matcher for every actor's name and aliases, valued by actor index.
pub fn actor_matcher(site_actors: &[super::Actor]) -> Matcher<usize> {
    let phrases = site_actors.iter().enumerate().flat_map(|(a, actor)| {
        std::iter::once((a, actor.name.as_str())).chain(actor.aliases.iter().map(move |al| (a, al.as_str())))
    });
    Matcher::new(phrases, false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn longest_on_word_boundaries() {
        let m = Matcher::new([(0, "Russia"), (0, "Russian Federation"), (1, "North Korea")], false);
        let found: Vec<_> = m.find("Russians, ProRussia, the Russian Federation and North Korea.").collect();
        assert_eq!(found, vec![(25..43, 0), (48..59, 1)]);
        let terms = Matcher::new([(0, "likely"), (1, "very likely"), (2, "unlikely")], true);
        let found: Vec<_> = terms.find("Very likely, not unlikely, likely.").map(|(_, v)| v).collect();
        assert_eq!(found, vec![1, 2, 0]);
    }
}
