//! The search index, written as small scripts under `/search-index/` that the `/search/` page
//! (`static/search.js`) loads only when a query needs them.
//!
//! Scripts, not JSON, because a page opened from `file://` may load a script but may not
//! `fetch()` a file: each file is one call, `SITPRESS_SEARCH(name, value);`, of a function
//! the search page defines. Names are ASCII and stable (from the content alone), so a rebuild
//! rewrites only the files whose content changed. Text in them is escaped as in `data.json`.
//!
//! Documents are the actors, briefings and claims, numbered in display order: newest
//! briefing first, an actor just before the newest briefing that names it (actors named by
//! none last), a briefing before its claims. Ties in rank keep this order.
//!
//! Files, version 2:
//!
//! - `manifest.js`: `{"v": 2, "docs": n, "chunk": k, "keys": [term prefix], "urls": {…},
//!   "types": [[id, label]], "actors": [[id, name, parent or -1]], "tags": [[slug, name]]}`.
//! - `t/<key>.js` (key from [`text::file_key`]): the terms that start with a prefix listed in
//!   `keys` and with no longer one, `[[term, postings, histogram]]`, sorted. `postings` is a
//!   string of numbers ([`text::push_num`]): pairs of (document − previous document, impact),
//!   the impact being the term's BM25F score in the document times [`SCALE`], rounded (at
//!   least 1). `histogram` is its documents' facet counts ([`Histogram`]), so a one-word
//!   query needs no `facets.js`.
//!   A prefix whose terms would make a file larger than [`SHARD_BYTES`] is split by its next
//!   character; terms as long as the prefix stay in its file.
//! - `d/<n>.js`: documents `n·k` to `n·k + k − 1`: `[0, id, name, aliases]` for an actor,
//!   `[1, id, title, date, summary, body]` for a briefing, `[2, claim id, type, text, quote,
//!   briefing id, briefing title, date]` for a claim; text plain (Markdown stripped).
//! - `facets.js`: what facets count, for every document, as number strings: `k` a kind per
//!   document (0 actor, 1 briefing, 2 + type for a claim); per briefing, in order, `d` its day
//!   (days since 1970-01-01, then zigzag differences), `a` its actors and `t` its tags (a
//!   count, then indices); per claim `c` its `by` and `about` as a bit mask over its
//!   briefing's actors, which hold them all (0: a count and actor indices follow); per actor
//!   document `x` the actor. A claim has
//!   its briefing's date and tags. Roll-up through `parent` is the client's, from `actors`.
//!
//! Ranking is BM25F (k1 1.2, b 0.75) over four fields: title (an actor's name and aliases, a
//! briefing's title) weighted 3, claim text 2, summary (a briefing's summary, takeaways and
//! tags; an actor's id) 1.5, body (a briefing's, an actor's description, a claim's quote) 1.

mod text;

use text::{Terms, fold, words};

/// The English (Porter2) stem of every word of a text, stop words included: what the
/// browser's stemmer must agree with.
pub fn stems(text: &str) -> Vec<String> {
    let t = Terms::default();
    let folded = fold(text);
    words(&folded).map(|w| t.stem(w).into_owned()).collect()
}

use super::json;
use super::{Sink, markdown, urls};
use crate::model::{ActorIx, ClaimIx, Site};
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::Serialize;
use std::sync::Arc;

/// Where the index files go, relative to the site root.
pub const DIR: &str = "search-index/";
/// The function each file calls; `static/search.js` defines it.
const CALL: &str = "SITPRESS_SEARCH";
/// Documents per `d/` file: a page of results loads a few of them.
const CHUNK: usize = 8;
/// A term file's size above which its prefix is split.
const SHARD_BYTES: usize = 16 * 1024;
/// Impacts are scores times this, rounded: a tenth of a point is finer than ranking needs.
const SCALE: f64 = 10.0;
const K1: f64 = 1.2;
const B: f64 = 0.75;
/// Field weights, in the order of [`DocText::fields`]: title, claim, summary, body.
const WEIGHTS: [f64; 4] = [3.0, 2.0, 1.5, 1.0];

#[derive(Clone, Copy)]
enum Doc {
    Actor(ActorIx),
    Briefing(usize),
    Claim(ClaimIx),
}

/// The documents in display order.
fn documents(site: &Site) -> Vec<Doc> {
    let mut by_recency: Vec<Vec<ActorIx>> = vec![Vec::new(); site.briefings.len() + 1];
    for (a, f) in site.actor_facts.iter().enumerate() {
        by_recency[f.briefings.first().copied().unwrap_or(site.briefings.len())].push(a);
    }
    let mut docs = Vec::with_capacity(site.actors.len() + site.briefings.len() + site.claims.len());
    for (b, briefing) in site.briefings.iter().enumerate() {
        docs.extend(by_recency[b].iter().map(|&a| Doc::Actor(a)));
        docs.push(Doc::Briefing(b));
        docs.extend(briefing.claims.iter().map(|&c| Doc::Claim(c)));
    }
    docs.extend(by_recency[site.briefings.len()].iter().map(|&a| Doc::Actor(a)));
    docs
}

/// A document's text: what is shown (`d/` files) and what is indexed, by field.
struct DocText<'a> {
    record: Record<'a>,
    /// Title, claim, summary, body; a briefing's body is its record's (see [`DocText::fields`]).
    fields: [String; 4],
}

#[derive(Serialize)]
#[serde(untagged)]
enum Record<'a> {
    Actor(u8, &'a str, &'a str, String),
    Briefing(u8, &'a str, &'a str, &'a str, &'a str, &'a str),
    Claim(u8, &'a str, usize, &'a str, &'a str, &'a str, &'a str, &'a str),
}

fn day_of(date: &str) -> &str {
    date.get(..10).unwrap_or(date)
}

/// `plain`: each claim's text as plain text; `bodies`: each briefing's body as plain text.
fn doc_text<'a>(site: &'a Site, plain: &'a [Arc<str>], bodies: &'a [Arc<str>], doc: Doc) -> DocText<'a> {
    match doc {
        Doc::Actor(a) => {
            let actor = &site.actors[a];
            let aliases = actor.aliases.join(", ");
            DocText {
                fields: [
                    format!("{} {}", actor.name, aliases),
                    String::new(),
                    actor.id.clone(),
                    markdown::body_text(&actor.description),
                ],
                record: Record::Actor(0, &actor.id, &actor.name, aliases),
            }
        }
        Doc::Briefing(b) => {
            let briefing = &site.briefings[b];
            let summary = briefing.summary.as_deref().unwrap_or("");
            let mut about = summary.to_string();
            for t in briefing.key_takeaways.iter().chain(&briefing.tags) {
                about.push(' ');
                about.push_str(&markdown::plain_text(t));
            }
            DocText {
                fields: [briefing.title.clone(), String::new(), about, String::new()],
                record: Record::Briefing(
                    1,
                    &briefing.id,
                    &briefing.title,
                    day_of(&briefing.date.text),
                    summary,
                    &bodies[b],
                ),
            }
        }
        Doc::Claim(c) => {
            let claim = &site.claims[c];
            let briefing = &site.briefings[claim.briefing];
            let text = plain[c].trim();
            let quote = claim.quote.as_deref().unwrap_or("");
            DocText {
                fields: [String::new(), text.to_string(), String::new(), quote.to_string()],
                record: Record::Claim(
                    2,
                    &claim.id,
                    claim.kind,
                    text,
                    quote,
                    &briefing.id,
                    &briefing.title,
                    day_of(&briefing.date.text),
                ),
            }
        }
    }
}

impl DocText<'_> {
    /// The indexed fields: a briefing's body is read from its record, not held twice.
    fn fields(&self) -> [&str; 4] {
        let [title, claim, summary, body] = &self.fields;
        let body = match &self.record {
            Record::Briefing(.., body) => body,
            _ => body.as_str(),
        };
        [title, claim, summary, body]
    }
}

/// One document's terms, in no particular order: (term number in its [`Run`], count in each
/// field), and each field's length in terms.
type Counts = (Box<[(u32, [u16; 4])]>, [u32; 4]);

/// A run of documents counted by one thread: their counts, and the terms they number.
struct Run {
    terms: Vec<Arc<str>>,
    counts: Vec<Counts>,
}

/// A stemmer and the terms of the words it has seen (a site repeats its words), each term
/// numbered: what one [`Run`] of documents is counted with.
#[derive(Default)]
struct TermCache {
    stemmer: Terms,
    /// A folded word's term number, or `None` for a stop word: words of up to 16 bytes (most)
    /// by their bytes as one integer, hashed and compared in a few instructions, longer
    /// ones by their text.
    short_words: FxHashMap<u128, Option<u32>>,
    long_words: FxHashMap<Box<str>, Option<u32>>,
    /// Each term by number, and each term's number.
    terms: Vec<Arc<str>>,
    numbers: FxHashMap<Arc<str>, u32>,
    /// Per term number, the document being counted when the term was last seen in one (see
    /// `doc`), and where the term is in that document's list.
    last: Vec<(u32, u32)>,
    /// Documents counted so far, plus one: the current document's mark in `last`.
    doc: u32,
    /// Room for a word folded (see [`text::each_word`]), and for a document's list of terms
    /// while it is counted (a document's list is then allocated once, at its length).
    buf: String,
    list: Vec<(u32, [u16; 4])>,
}

impl TermCache {
    /// Counts the terms of a run of documents.
    fn run(texts: &[DocText<'_>]) -> Run {
        let mut cache = TermCache::default();
        let counts = texts.iter().map(|t| cache.count(t.fields())).collect();
        Run { terms: cache.terms, counts }
    }

    /// The number of the term of a folded word, `None` for a stop word.
    fn number(&mut self, word: &str) -> Option<u32> {
        // A word has no NUL byte (it is letters, digits and apostrophes), so padding with
        // zeros keeps words of different lengths apart.
        let short = (word.len() <= 16).then(|| {
            let mut bytes = [0u8; 16];
            bytes[..word.len()].copy_from_slice(word.as_bytes());
            u128::from_le_bytes(bytes)
        });
        let known = match short {
            Some(key) => self.short_words.get(&key),
            None => self.long_words.get(word),
        };
        if let Some(&n) = known {
            return n;
        }
        let n = self.stemmer.term(word).map(|term| match self.numbers.get(&*term) {
            Some(&n) => n,
            None => {
                let term: Arc<str> = Arc::from(&*term);
                let n = self.terms.len() as u32;
                self.terms.push(term.clone());
                self.numbers.insert(term, n);
                self.last.push((0, 0));
                n
            }
        });
        match short {
            Some(key) => self.short_words.insert(key, n),
            None => self.long_words.insert(word.into(), n),
        };
        n
    }

    fn count(&mut self, fields: [&str; 4]) -> Counts {
        self.doc += 1;
        let mut list = std::mem::take(&mut self.list);
        list.clear();
        let mut lens = [0u32; 4];
        let mut buf = std::mem::take(&mut self.buf);
        for (f, text) in fields.iter().enumerate() {
            text::each_word(text, &mut buf, |word| {
                let Some(n) = self.number(word) else { return };
                lens[f] += 1;
                let last = &mut self.last[n as usize];
                if last.0 == self.doc {
                    let slot = &mut list[last.1 as usize].1[f];
                    *slot = slot.saturating_add(1);
                } else {
                    *last = (self.doc, list.len() as u32);
                    let mut slot = [0u16; 4];
                    slot[f] = 1;
                    list.push((n, slot));
                }
            });
        }
        self.buf = buf;
        let counts = (list.as_slice().into(), lens);
        self.list = list;
        counts
    }
}

/// Writes the index files to `sink`, returning each path with its bytes when the sink keeps
/// them. `plain`: every claim's text as plain text, by claim; `bodies`: every briefing's body
/// as plain text, by briefing (as the render made them).
pub(super) fn index_files(
    site: &Site,
    plain: &[Arc<str>],
    bodies: &[Arc<str>],
    sink: &Sink<'_>,
) -> Vec<(String, Option<Arc<[u8]>>)> {
    let started = std::time::Instant::now();
    let docs = documents(site);
    let texts: Vec<DocText<'_>> = docs.par_iter().map(|&d| doc_text(site, plain, bodies, d)).collect();
    crate::timings::beside("search index: texts", started);
    // A few long runs of documents per thread: each run stems its words once.
    let run = texts.len().div_ceil(4 * rayon::current_num_threads()).max(256);
    let runs: Vec<Run> = texts.par_chunks(run).map(TermCache::run).collect();
    crate::timings::beside("search index: words", started);
    // Postings: every term with its documents and impacts, terms sorted.
    let postings = postings(site, &docs, &runs);
    drop(runs);
    crate::timings::beside("search index: postings", started);
    let shards = shards(&postings);
    let keys: Vec<&str> = shards.iter().map(|s| s.0.as_str()).collect();
    // Each file is handed on from the thread that made it, as pages are.
    let put = |path: String, bytes: Vec<u8>| {
        let kept = sink.take(&path, bytes);
        (path, kept)
    };
    let mut out = vec![put(format!("{DIR}manifest.js"), manifest(site, docs.len(), &keys))];
    out.par_extend(shards.par_iter().map(|(key, range)| {
        let body: Vec<(&str, &str, &str)> =
            postings[range.clone()].iter().map(|(t, p, h)| (t.as_str(), p.as_str(), h.as_str())).collect();
        let size = body.iter().map(|(t, p, h)| t.len() + p.len() + h.len() + 16).sum();
        put(format!("{DIR}t/{}.js", text::file_key(key)), call(&format!("t/{key}"), &body, size))
    }));
    out.par_extend(texts.par_chunks(CHUNK).enumerate().map(|(n, chunk)| {
        let records: Vec<&Record<'_>> = chunk.iter().map(|t| &t.record).collect();
        let size = chunk.iter().map(|t| t.fields().iter().map(|f| f.len()).sum::<usize>() + 128).sum();
        put(format!("{DIR}d/{n}.js"), call(&format!("d/{n}"), &records, size))
    }));
    out.push(put(format!("{DIR}facets.js"), facets(site, &docs)));
    crate::timings::beside("search index", started);
    out
}

/// `SITPRESS_SEARCH("name", value);`
/// `size`: about how long the value's JSON is, so that the file is allocated once.
fn call<T: Serialize + ?Sized>(name: &str, value: &T, size: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(size + name.len() + 32);
    out.extend_from_slice(CALL.as_bytes());
    out.push(b'(');
    // A name is `manifest`, `facets`, `d/` and a number, or `t/` and a term prefix (letters,
    // digits and apostrophes): nothing in it needs the HTML-safe escapes of `json::write`.
    let _ = serde_json::to_writer(&mut out, name);
    out.push(b',');
    if json::write(&mut out, value).is_err() {
        out.extend_from_slice(b"null");
    }
    out.extend_from_slice(b");\n");
    out
}

/// What the facets count of one document: its claim type, its actors rolled up through
/// `parent`, its briefing (for tags and date; none for an actor).
struct DocFacets {
    ty: Option<usize>,
    actors: Vec<usize>,
    briefing: Option<usize>,
}

fn doc_facets(site: &Site, docs: &[Doc]) -> Vec<DocFacets> {
    let up: Vec<Vec<ActorIx>> = (0..site.actors.len()).map(|a| site.ancestors_and_self(a)).collect();
    let roll = |own: &mut dyn Iterator<Item = ActorIx>| {
        let mut v: Vec<usize> = own.flat_map(|a| up[a].iter().copied()).collect();
        v.sort_unstable();
        v.dedup();
        v
    };
    docs.iter()
        .map(|&d| match d {
            Doc::Actor(a) => DocFacets { ty: None, actors: roll(&mut std::iter::once(a)), briefing: None },
            Doc::Briefing(b) => {
                DocFacets { ty: None, actors: roll(&mut site.briefing_actors[b].iter().copied()), briefing: Some(b) }
            }
            Doc::Claim(c) => {
                let claim = &site.claims[c];
                DocFacets {
                    ty: Some(claim.kind),
                    actors: roll(&mut claim.by.iter().chain(&claim.about).copied()),
                    briefing: Some(claim.briefing),
                }
            }
        })
        .collect()
}

/// Counts of a term's documents by facet, as `static/search.js` counts a query's results
/// with no facet chosen: `[n, (type, count)…, n, (actor − previous actor, count)…, n, (tag −
/// previous tag, count)…, n, (year, count)…]`, each list by index (years ascending). A
/// one-word query shows its facets from this, without the facet columns.
struct Histogram {
    types: Vec<u32>,
    actors: Vec<u32>,
    tags: Vec<u32>,
    years: std::collections::BTreeMap<i64, u32>,
}

impl Histogram {
    fn new(site: &Site) -> Self {
        Histogram {
            types: vec![0; site.claim_types.len()],
            actors: vec![0; site.actors.len()],
            tags: vec![0; site.tags.len()],
            years: Default::default(),
        }
    }

    fn write(&mut self, site: &Site, facets: &[DocFacets], years: &[i64], docs: &[(u32, f64)]) -> String {
        for &(d, _) in docs {
            let f = &facets[d as usize];
            if let Some(t) = f.ty {
                self.types[t] += 1;
            }
            for &a in &f.actors {
                self.actors[a] += 1;
            }
            if let Some(b) = f.briefing {
                for &t in &site.briefing_tags[b] {
                    self.tags[t] += 1;
                }
                *self.years.entry(years[b]).or_default() += 1;
            }
        }
        let mut s = String::new();
        for (list, delta) in [(&mut self.types, false), (&mut self.actors, true), (&mut self.tags, true)] {
            text::push_num(&mut s, list.iter().filter(|&&n| n > 0).count() as u64);
            let mut prev = 0;
            for (i, n) in list.iter_mut().enumerate() {
                if *n > 0 {
                    text::push_num(&mut s, (if delta { i - prev } else { i }) as u64);
                    text::push_num(&mut s, u64::from(*n));
                    prev = i;
                    *n = 0;
                }
            }
        }
        text::push_num(&mut s, self.years.len() as u64);
        for (y, n) in std::mem::take(&mut self.years) {
            text::push_num(&mut s, y.max(0) as u64);
            text::push_num(&mut s, u64::from(n));
        }
        s
    }
}

/// Every term, sorted, with its postings string and its [`Histogram`].
fn postings(site: &Site, docs: &[Doc], runs: &[Run]) -> Vec<(String, String, String)> {
    let facets = doc_facets(site, docs);
    let years: Vec<i64> =
        site.briefings.iter().map(|b| b.date.text.get(..4).and_then(|y| y.parse().ok()).unwrap_or(0)).collect();
    let counts = || runs.iter().flat_map(|r| &r.counts);
    let n = counts().count() as f64;
    // Average field lengths over the documents that have the field.
    let avg: [f64; 4] = std::array::from_fn(|f| {
        let (sum, with) = counts().fold((0u64, 0u64), |(s, w), c| (s + u64::from(c.1[f]), w + u64::from(c.1[f] > 0)));
        if with == 0 { 1.0 } else { sum as f64 / with as f64 }
    });
    // Each run's term numbers as site-wide ids, in order of first use; each term's document
    // count, so that each list is allocated once; then the lists; then the terms sorted.
    let mut ids: FxHashMap<&str, u32> = FxHashMap::default();
    let ids_of_runs: Vec<Vec<u32>> = runs
        .iter()
        .map(|run| {
            run.terms
                .iter()
                .map(|term| {
                    let next = ids.len() as u32;
                    *ids.entry(&**term).or_insert(next)
                })
                .collect()
        })
        .collect();
    let mut df = vec![0usize; ids.len()];
    for (run, id) in runs.iter().zip(&ids_of_runs) {
        for (terms, _) in &run.counts {
            terms.iter().for_each(|&(t, _)| df[id[t as usize] as usize] += 1);
        }
    }
    let mut lists: Vec<Vec<(u32, f64)>> = df.iter().map(|&n| Vec::with_capacity(n)).collect();
    let docs = runs.iter().zip(&ids_of_runs).flat_map(|(run, id)| run.counts.iter().map(move |c| (c, id)));
    for (doc, ((terms, lens), id)) in docs.enumerate() {
        for &(t, tf) in terms {
            let mut weighted = 0.0;
            for f in 0..4 {
                if tf[f] > 0 {
                    let norm = 1.0 - B + B * f64::from(lens[f]) / avg[f];
                    weighted += WEIGHTS[f] * f64::from(tf[f]) / norm;
                }
            }
            lists[id[t as usize] as usize].push((doc as u32, weighted));
        }
    }
    let mut sorted: Vec<(&str, u32)> = ids.into_iter().collect();
    sorted.sort_unstable();
    sorted
        .into_par_iter()
        .map_init(
            || Histogram::new(site),
            |hist, (term, id)| {
                let list = &lists[id as usize];
                let df = list.len() as f64;
                let idf = (1.0 + (n - df + 0.5) / (df + 0.5)).ln();
                let mut s = String::with_capacity(list.len() * 3);
                let mut prev = 0;
                for &(doc, tf) in list {
                    let score = idf * tf * (K1 + 1.0) / (tf + K1);
                    text::push_num(&mut s, u64::from(doc - prev));
                    text::push_num(&mut s, ((score * SCALE).round() as u64).max(1));
                    prev = doc;
                }
                (term.to_string(), s, hist.write(site, &facets, &years, list))
            },
        )
        .collect()
}

/// The term files: each key with its range of `postings`, keys sorted.
fn shards(postings: &[(String, String, String)]) -> Vec<(String, std::ops::Range<usize>)> {
    fn size(p: &[(String, String, String)]) -> usize {
        p.iter().map(|(t, s, h)| t.len() + s.len() + h.len() + 9).sum()
    }
    fn split(
        p: &[(String, String, String)],
        start: usize,
        prefix: &str,
        out: &mut Vec<(String, std::ops::Range<usize>)>,
    ) {
        if p.is_empty() {
            return;
        }
        let chars = prefix.chars().count();
        if size(p) <= SHARD_BYTES || p.iter().all(|(t, ..)| t.chars().count() <= chars) {
            out.push((prefix.to_string(), start..start + p.len()));
            return;
        }
        // Sorted, so terms as long as the prefix (that is, equal to it) come first.
        let own = p.iter().take_while(|(t, ..)| t.chars().count() <= chars).count();
        if own > 0 {
            out.push((prefix.to_string(), start..start + own));
        }
        let mut i = own;
        while i < p.len() {
            let next: String = p[i].0.chars().take(chars + 1).collect();
            let n = p[i..].iter().take_while(|(t, ..)| t.starts_with(&next)).count();
            split(&p[i..i + n], start + i, &next, out);
            i += n;
        }
    }
    let mut out = Vec::new();
    let mut i = 0;
    while i < postings.len() {
        let first: String = postings[i].0.chars().take(1).collect();
        let n = postings[i..].iter().take_while(|(t, ..)| t.starts_with(&first)).count();
        split(&postings[i..i + n], i, &first, &mut out);
        i += n;
    }
    out
}

#[derive(Serialize)]
struct Manifest<'a> {
    v: u32,
    docs: usize,
    chunk: usize,
    keys: &'a [&'a str],
    urls: Patterns,
    types: Vec<(&'a str, &'a str)>,
    actors: Vec<(&'a str, &'a str, i64)>,
    tags: Vec<(&'a str, &'a str)>,
}

#[derive(Serialize)]
struct Patterns {
    briefing: String,
    actor: String,
    claim: String,
}

/// What stands for the id in a URL pattern.
const ID: &str = "{id}";

fn manifest(site: &Site, docs: usize, keys: &[&str]) -> Vec<u8> {
    let m = Manifest {
        v: 2,
        docs,
        chunk: CHUNK,
        keys,
        urls: Patterns { briefing: urls::briefing(ID), actor: urls::actor(ID), claim: urls::claim_anchor(ID) },
        types: site.claim_types.iter().map(|t| (t.id.as_str(), t.label.as_str())).collect(),
        actors: site
            .actors
            .iter()
            .map(|a| (a.id.as_str(), a.name.as_str(), a.parent.map_or(-1, |p| p as i64)))
            .collect(),
        tags: site.tags.iter().map(|t| (t.slug.as_str(), t.name.as_str())).collect(),
    };
    call("manifest", &m, 64 * 1024)
}

/// Days since 1970-01-01 of a `YYYY-MM-DD` date (0 if it is not one, which a valid site
/// never has).
fn days(date: &str) -> i64 {
    let num = |r: std::ops::Range<usize>| date.get(r).and_then(|s| s.parse::<i64>().ok());
    let (Some(y), Some(m), Some(d)) = (num(0..4), num(5..7), num(8..10)) else { return 0 };
    // Howard Hinnant's days_from_civil.
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[derive(Serialize)]
struct Facets {
    k: String,
    d: String,
    a: String,
    t: String,
    c: String,
    x: String,
}

fn facets(site: &Site, docs: &[Doc]) -> Vec<u8> {
    let mut f = Facets {
        k: String::new(),
        d: String::new(),
        a: String::new(),
        t: String::new(),
        c: String::new(),
        x: String::new(),
    };
    let mut prev_day = None;
    for &doc in docs {
        match doc {
            Doc::Actor(a) => {
                text::push_num(&mut f.k, 0);
                text::push_num(&mut f.x, a as u64);
            }
            Doc::Briefing(b) => {
                text::push_num(&mut f.k, 1);
                let day = days(day_of(&site.briefings[b].date.text));
                let delta = prev_day.map_or(day, |p: i64| day - p);
                text::push_num(&mut f.d, ((delta << 1) ^ (delta >> 63)) as u64);
                prev_day = Some(day);
                let actors = &site.briefing_actors[b];
                text::push_num(&mut f.a, actors.len() as u64);
                actors.iter().for_each(|&a| text::push_num(&mut f.a, a as u64));
                let tags = &site.briefing_tags[b];
                text::push_num(&mut f.t, tags.len() as u64);
                tags.iter().for_each(|&t| text::push_num(&mut f.t, t as u64));
            }
            Doc::Claim(c) => {
                let claim = &site.claims[c];
                text::push_num(&mut f.k, 2 + claim.kind as u64);
                let mut own: Vec<ActorIx> = claim.by.iter().chain(&claim.about).copied().collect();
                own.sort_unstable();
                own.dedup();
                // A briefing's actors include its claims': a claim's are a bit mask over them
                // (one character for up to five). Should that ever not hold, the mask is 0 and
                // the actors follow it: a count, then indices.
                let of_briefing = &site.briefing_actors[claim.briefing];
                let at: Option<Vec<usize>> = own.iter().map(|a| of_briefing.iter().position(|x| x == a)).collect();
                match at {
                    Some(at) if !own.is_empty() && of_briefing.len() < 64 => {
                        text::push_num(&mut f.c, at.iter().fold(0u64, |m, &i| m | 1 << i));
                    }
                    _ => {
                        text::push_num(&mut f.c, 0);
                        text::push_num(&mut f.c, own.len() as u64);
                        own.iter().for_each(|&a| text::push_num(&mut f.c, a as u64));
                    }
                }
            }
        }
    }
    let size = f.k.len() + f.d.len() + f.a.len() + f.t.len() + f.c.len() + f.x.len() + 64;
    call("facets", &f, size)
}
