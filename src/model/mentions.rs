//! Finding names in text: actor names and aliases, likelihood terms, hedging words.
//!
//! One matcher for all of them: leftmost-longest (so "very likely" wins over "likely" and
//! "Russian Federation" over "Russia"), on word boundaries (so "Russia" is not found in
//! "Russians" or "ProRussia"), case-sensitive unless built otherwise.

use aho_corasick::{AhoCorasick, AhoCorasickKind, Anchored, Input, MatchKind, StartKind};
use std::ops::Range;

#[derive(Debug, Clone)]
pub struct Matcher<T> {
    automaton: Option<AhoCorasick>,
    values: Vec<T>,
    /// The bytes a phrase starts with: a match can start nowhere else.
    starts: [bool; 256],
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
        //
        // The search steps through the text with a table of the phrases' first bytes and runs
        // the automaton, anchored, only where a phrase could start (for names, mostly capital
        // letters): a third less time than running it over every byte, with the same matches
        // (see `finds_what_an_unanchored_search_finds`).
        let automaton = AhoCorasick::builder()
            .kind(Some(AhoCorasickKind::DFA))
            .match_kind(MatchKind::LeftmostLongest)
            .start_kind(StartKind::Anchored)
            .ascii_case_insensitive(case_insensitive)
            .build(&texts)
            .ok();
        let mut starts = [false; 256];
        for text in &texts {
            let first = text.as_bytes()[0];
            starts[usize::from(first)] = true;
            if case_insensitive {
                starts[usize::from(first.to_ascii_lowercase())] = true;
                starts[usize::from(first.to_ascii_uppercase())] = true;
            }
        }
        Matcher { automaton, values, starts }
    }

    /// Every match on word boundaries, in text order: (byte range, value). Matches are
    /// leftmost-longest and do not overlap; one that is not on word boundaries is dropped, and
    /// the search goes on after it.
    pub fn find<'s>(&'s self, text: &'s str) -> impl Iterator<Item = (Range<usize>, T)> + 's {
        let bytes = text.as_bytes();
        let mut pos = 0;
        std::iter::from_fn(move || {
            let ac = self.automaton.as_ref()?;
            loop {
                let start = pos + bytes.get(pos..)?.iter().position(|&b| self.starts[usize::from(b)])?;
                let input = Input::new(text).range(start..).anchored(Anchored::Yes);
                // An anchored search of an automaton built for anchored searches cannot fail.
                let Some(m) = ac.try_find(input).ok().flatten() else {
                    pos = start + 1;
                    continue;
                };
                pos = m.end();
                let before = text[..m.start()].chars().next_back();
                let after = text[m.end()..].chars().next();
                let boundary = |c: Option<char>| c.is_none_or(|c| !c.is_alphanumeric() && c != '_');
                if boundary(before) && boundary(after) {
                    return Some((m.range(), self.values[m.pattern().as_usize()]));
                }
            }
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

    /// The matches of an unanchored leftmost-longest search over the whole text, filtered for
    /// word boundaries: what `find` must give.
    fn reference(phrases: &[String], case_insensitive: bool, text: &str) -> Vec<(Range<usize>, usize)> {
        let phrases: Vec<&String> = phrases.iter().filter(|p| !p.trim().is_empty()).collect();
        let ac = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .ascii_case_insensitive(case_insensitive)
            .build(&phrases)
            .unwrap();
        let boundary = |c: Option<char>| c.is_none_or(|c| !c.is_alphanumeric() && c != '_');
        ac.find_iter(text)
            .filter(|m| boundary(text[..m.start()].chars().next_back()) && boundary(text[m.end()..].chars().next()))
            .map(|m| (m.range(), m.pattern().as_usize()))
            .collect()
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(3000))]

        #[test]
        fn finds_what_an_unanchored_search_finds(
            phrases in proptest::collection::vec("[aAbB é_-]{1,5}", 1..6),
            text in "[aAbBcé _-]{0,40}",
            case_insensitive: bool,
        ) {
            let kept: Vec<String> = phrases.iter().filter(|p| !p.trim().is_empty()).cloned().collect();
            let m = Matcher::new(kept.iter().enumerate().map(|(i, p)| (i, p.as_str())), case_insensitive);
            let found: Vec<_> = m.find(&text).collect();
            proptest::prop_assert_eq!(found, reference(&kept, case_insensitive, &text));
        }
    }
}
