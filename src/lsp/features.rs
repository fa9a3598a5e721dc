//! The editor features, over the [`Index`] of the last analysis and the text of the buffer
//! asked about: completion, hover, definition, references, rename, and the code actions of
//! diagnostics that carry a [`Fix`].

use super::cursor::{self, Cursor, On};
use super::index::{ACTOR_KEYS, CLAIM_REF_KEYS, Index, Occurrence, Target};
use super::text;
use crate::content::dto;
use crate::diagnostic::{Diagnostic, Fix};
use crate::model::{ActorKind, BuiltinType, Confidence, Likelihood, Outcome, RELIABILITY, RelationKind};
use crate::yaml::tree::Seg::{Index as Ix, Key};
use lsp_types::{
    CompletionItem, CompletionItemKind, CompletionTextEdit, Documentation, MarkupContent, MarkupKind, Position, Range,
    TextEdit,
};

/// A file's relative path and text, and a position in it.
pub struct At<'a> {
    pub path: &'a str,
    pub text: &'a str,
    pub pos: Position,
}

impl At<'_> {
    fn cursor(&self) -> Option<Cursor> {
        let (line, byte) = text::offset(self.text, self.pos);
        cursor::at(self.text, line, byte)
    }

    /// The range of the cursor's word.
    fn word_range(&self, c: &Cursor) -> Range {
        text::range_of_bytes(self.text, self.pos.line as usize, c.range.clone())
    }

    /// The id of the briefing being edited: as the index has it, else the file stem.
    fn briefing_id(&self, index: &Index) -> String {
        match index.briefing_at(self.path) {
            Some(b) => b.id.clone(),
            None => stem(self.path).to_string(),
        }
    }
}

fn stem(path: &str) -> &str {
    let name = path.rsplit('/').next().unwrap_or(path);
    name.strip_suffix(".md").unwrap_or(name)
}

fn is_actor_file(path: &str) -> bool {
    path.starts_with("content/actors/")
}

fn path_is(c: &Cursor, keys: &[&[&str]]) -> bool {
    keys.iter().any(|k| c.path.iter().map(String::as_str).eq(k.iter().copied()))
}

fn markdown(value: String) -> Documentation {
    Documentation::MarkupContent(MarkupContent { kind: MarkupKind::Markdown, value })
}

/// An `@/` link of a body around a position: what it names so far, and the bytes of that
/// name in the line.
enum Link {
    Actor(String),
    Briefing(String),
    Claim(String, String),
}

/// The `@/actors/<id>`, `@/briefings/<id>` or `@/briefings/<id>/#<claim>` link whose id holds
/// byte `byte` of `line` (or ends there, being typed).
fn link_at(line: &str, byte: usize) -> Option<(Link, std::ops::Range<usize>)> {
    let start = line[..byte].rfind("@/")?;
    let rest = &line[start + 2..];
    let id_end = |from: usize| {
        rest[from..].find(|c: char| !(c.is_ascii_alphanumeric() || c == '-')).map_or(rest.len(), |i| from + i)
    };
    let cursor = byte - start - 2;
    let (link, from, to) = if rest.starts_with("actors/") {
        let from = "actors/".len();
        (Link::Actor(rest[from..id_end(from)].to_string()), from, id_end(from))
    } else if rest.starts_with("briefings/") {
        let from = "briefings/".len();
        let to = id_end(from);
        let briefing = rest[from..to].to_string();
        match rest[to..].strip_prefix("/#") {
            Some(_) if cursor > to => {
                let from = to + 2;
                (Link::Claim(briefing, rest[from..id_end(from)].to_string()), from, id_end(from))
            }
            _ => (Link::Briefing(briefing), from, to),
        }
    } else {
        return None;
    };
    (from <= cursor && cursor <= to).then_some((link, start + 2 + from..start + 2 + to))
}

/// What the item at the cursor completes to, best first.
pub fn completion(index: &Index, at: &At<'_>) -> Option<(Vec<CompletionItem>, bool)> {
    let Some(c) = at.cursor() else {
        return link_completion(index, at);
    };
    let range = at.word_range(&c);
    let item = |label: String, kind: CompletionItemKind, detail: Option<String>, doc: Option<String>| CompletionItem {
        text_edit: Some(CompletionTextEdit::Edit(TextEdit { range, new_text: label.clone() })),
        label,
        kind: Some(kind),
        detail,
        documentation: doc.map(markdown),
        ..CompletionItem::default()
    };
    let keys: Vec<&str> = c.path.iter().map(String::as_str).collect();
    if c.on == On::Key {
        let schema = if is_actor_file(at.path) { dto::actor_schema(&keys) } else { dto::briefing_schema(&keys) };
        let items = schema?
            .iter()
            .map(|k| {
                let doc = key_doc(&keys, k, is_actor_file(at.path));
                let mut it = item((*k).to_string(), CompletionItemKind::PROPERTY, doc.map(str::to_string), None);
                it.text_edit = Some(CompletionTextEdit::Edit(TextEdit { range, new_text: format!("{k}: ") }));
                it
            })
            .collect();
        return Some((items, false));
    }
    let value = |v: &str, detail: String| item(v.to_string(), CompletionItemKind::ENUM_MEMBER, Some(detail), None);
    let items: Vec<CompletionItem> = if path_is(&c, ACTOR_KEYS) {
        index
            .actors
            .iter()
            .map(|(id, a)| {
                let kind = a.front.kind.as_deref().unwrap_or("other");
                let mut it = item(
                    id.clone(),
                    CompletionItemKind::REFERENCE,
                    Some(format!("{} ({kind})", a.front.name)),
                    Some(actor_doc(index, id)),
                );
                // Typing the name finds the id: `putin` offers `vladimir-putin`.
                it.filter_text = Some(format!("{id} {}", a.front.name));
                it
            })
            .collect()
    } else if path_is(&c, CLAIM_REF_KEYS) || path_is(&c, &[&["resolves", "evidence"]]) {
        let here = at.briefing_id(index);
        let wants = match keys.as_slice() {
            ["claims", "updates" | "condition"] | ["resolves", "claim"] => Some(BuiltinType::Forecast),
            ["claims", "revises"] => Some(BuiltinType::Assessment),
            _ => None,
        };
        let local_only = keys == ["resolves", "evidence"];
        let full_only = keys == ["resolves", "claim"];
        let mut items = Vec::new();
        for b in index.briefings.values() {
            if local_only && b.id != here {
                continue;
            }
            for (id, claim) in b.claim_ids.iter().zip(&b.file.front.claims) {
                if wants.is_some_and(|w| claim.kind != w.id()) {
                    continue;
                }
                let label = if b.id == here && !full_only { id.clone() } else { format!("{}#{id}", b.id) };
                if !matches_typed(&c.word, &label) {
                    continue;
                }
                items.push(item(
                    label,
                    CompletionItemKind::REFERENCE,
                    Some(format!("{}: {}", claim.kind, one_line(&claim.text, 80))),
                    Some(claim_doc(b, claim)),
                ));
            }
        }
        // Thousands of claims: the list is cut, and asked for again as the word grows.
        let cut = items.len() > 200;
        items.truncate(200);
        return Some((items, cut));
    } else if path_is(&c, &[&["claims", "sources"], &["claims", "sources", "ref"]]) {
        let b = index.briefing_at(at.path)?;
        b.file
            .front
            .sources
            .iter()
            .map(|s| {
                let detail = match &s.publisher {
                    Some(p) => format!("{} ({p})", s.title),
                    None => s.title.clone(),
                };
                item(s.id.clone(), CompletionItemKind::REFERENCE, Some(detail), None)
            })
            .collect()
    } else {
        match keys.as_slice() {
            ["claims", "type"] => index
                .claim_types
                .iter()
                .map(|t| {
                    item(
                        t.id.clone(),
                        CompletionItemKind::ENUM_MEMBER,
                        Some(t.label.clone()),
                        Some(t.description.clone()),
                    )
                })
                .collect(),
            ["claims", "likelihood"] | ["claims", "alternatives", "likelihood"] => {
                Likelihood::ALL.iter().map(|l| value(l.id(), likelihood_detail(*l))).collect()
            }
            ["claims", "confidence"] => Confidence::ALL.iter().map(|x| value(x.id(), "confidence".into())).collect(),
            ["resolves", "outcome"] => Outcome::ALL.iter().map(|o| value(o.id(), "outcome".into())).collect(),
            ["kind"] => ActorKind::ALL.iter().map(|k| value(k.id(), k.label().to_string())).collect(),
            ["relations", "type"] => RelationKind::ALL.iter().map(|k| value(k.id(), k.label().to_string())).collect(),
            ["sources", "reliability"] => {
                RELIABILITY.iter().map(|(g, what)| value(&g.to_string(), (*what).to_string())).collect()
            }
            ["claims", "sources", "credibility"] => CREDIBILITY
                .iter()
                .enumerate()
                .map(|(i, what)| value(&(i + 1).to_string(), (*what).to_string()))
                .collect(),
            _ => return None,
        }
    };
    Some((items, false))
}

/// Completion of the id in an `@/` link of a body.
fn link_completion(index: &Index, at: &At<'_>) -> Option<(Vec<CompletionItem>, bool)> {
    let (n, byte) = text::offset(at.text, at.pos);
    let (link, bytes) = link_at(text::line(at.text, n), byte)?;
    let range = text::range_of_bytes(at.text, n, bytes);
    let item = |label: &str, detail: String| CompletionItem {
        label: label.to_string(),
        kind: Some(CompletionItemKind::REFERENCE),
        detail: Some(detail),
        text_edit: Some(CompletionTextEdit::Edit(TextEdit { range, new_text: label.to_string() })),
        ..CompletionItem::default()
    };
    let items = match link {
        Link::Actor(_) => index.actors.iter().map(|(id, a)| item(id, a.front.name.clone())).collect(),
        Link::Briefing(typed) => {
            let mut items: Vec<_> = index
                .briefings
                .values()
                .filter(|b| matches_typed(&typed, &b.id))
                .map(|b| item(&b.id, format!("{} ({})", b.file.front.title, b.file.front.date.text())))
                .collect();
            let cut = items.len() > 200;
            items.truncate(200);
            return Some((items, cut));
        }
        Link::Claim(b, _) => {
            let b = index.briefings.get(&b)?;
            b.claim_ids
                .iter()
                .zip(&b.file.front.claims)
                .map(|(id, c)| item(id, format!("{}: {}", c.kind, one_line(&c.text, 80))))
                .collect()
        }
    };
    Some((items, false))
}

/// Admiralty credibility grades 1..6.
const CREDIBILITY: [&str; 6] =
    ["confirmed by other sources", "probably true", "possibly true", "doubtful", "improbable", "cannot be judged"];

/// Whether `label` may be what `typed` starts: its letters in order.
fn matches_typed(typed: &str, label: &str) -> bool {
    let mut rest = label.chars();
    typed.chars().all(|t| rest.any(|l| l.eq_ignore_ascii_case(&t)))
}

fn one_line(text: &str, max: usize) -> String {
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= max {
        return flat;
    }
    let cut: String = flat.chars().take(max - 1).collect();
    format!("{cut}…")
}

fn likelihood_detail(l: Likelihood) -> String {
    format!("{}: {}, point value {:.2}", l.label(), l.range_label(), l.point())
}

fn actor_doc(index: &Index, id: &str) -> String {
    let Some(a) = index.actors.get(id) else { return format!("`{id}`") };
    let f = &a.front;
    let mut out = format!("**{}** (`{id}`), {}", f.name, f.kind.as_deref().unwrap_or("other"));
    if let Some(p) = &f.parent {
        let name = index.actors.get(p).map_or(p.as_str(), |a| a.front.name.as_str());
        out.push_str(&format!("; part of **{name}** (`{p}`)"));
    }
    if !f.aliases.is_empty() {
        out.push_str(&format!("\n\nAlso: {}", f.aliases.join(", ")));
    }
    let about = a.body.trim();
    if !about.is_empty() {
        let first = about.split("\n\n").next().unwrap_or(about);
        out.push_str(&format!("\n\n{}", one_line(first, 400)));
    }
    out
}

fn claim_doc(b: &super::index::Briefing, c: &dto::ClaimFm) -> String {
    let f = &b.file.front;
    let mut facts = vec![format!("**{}**", c.kind)];
    if let Some(by) = &c.by {
        facts.push(format!("by `{by}`"));
    }
    if let Some(l) = c.likelihood.as_deref().and_then(Likelihood::from_id) {
        facts.push(likelihood_detail(l));
    }
    if let Some(p) = c.probability {
        facts.push(format!("probability {p}"));
    }
    if let Some(x) = &c.confidence {
        facts.push(format!("{x} confidence"));
    }
    if let Some(d) = &c.resolves_by {
        facts.push(format!("resolves by {}", d.text()));
    }
    format!("{}\n\n{}\n\n*{}* ({})", facts.join(", "), c.text.trim(), f.title, f.date.text())
}

/// What the value at the cursor (or the `@/` link of a body) names, and the range of its word.
pub fn target_at(index: &Index, at: &At<'_>) -> Option<(Target, Range)> {
    let Some(c) = at.cursor() else {
        let (n, byte) = text::offset(at.text, at.pos);
        let (link, bytes) = link_at(text::line(at.text, n), byte)?;
        let target = match link {
            Link::Actor(id) => Target::Actor(id),
            Link::Briefing(id) => Target::Briefing(id),
            Link::Claim(briefing, claim) => Target::Claim { briefing, claim },
        };
        return Some((target, text::range_of_bytes(at.text, n, bytes)));
    };
    if c.word.is_empty() {
        return None;
    }
    let range = at.word_range(&c);
    let keys: Vec<&str> = c.path.iter().map(String::as_str).collect();
    let here = || at.briefing_id(index);
    let target = if c.on == On::Key {
        return None;
    } else if path_is(&c, ACTOR_KEYS) {
        Target::Actor(c.word.clone())
    } else if path_is(&c, CLAIM_REF_KEYS) {
        Index::claim_target(&here(), &c.word)
    } else {
        match keys.as_slice() {
            ["resolves", "evidence"] | ["claims", "id"] => Target::Claim { briefing: here(), claim: c.word.clone() },
            ["claims", "sources"] | ["claims", "sources", "ref"] | ["sources", "id"] => {
                Target::Source { briefing: here(), source: c.word.clone() }
            }
            ["name"] if is_actor_file(at.path) => Target::Actor(stem(at.path).to_string()),
            _ => return None,
        }
    };
    Some((target, range))
}

/// Hover: an actor's name, kind, parent and description; a claim; a source; a likelihood's
/// range and point value.
pub fn hover(index: &Index, at: &At<'_>) -> Option<(String, Range)> {
    if let Some((target, range)) = target_at(index, at) {
        let text = match &target {
            Target::Actor(id) if index.actors.contains_key(id) => actor_doc(index, id),
            Target::Briefing(id) => {
                let f = &index.briefings.get(id)?.file.front;
                let summary = f.summary.as_deref().map(|s| format!("\n\n{}", one_line(s, 400))).unwrap_or_default();
                format!("**{}** (`{id}`), {}{summary}", f.title, f.date.text())
            }
            Target::Claim { briefing, claim } => {
                let b = index.briefings.get(briefing)?;
                let (_, c) = b.claim(claim)?;
                format!("`{briefing}#{claim}`: {}", claim_doc(b, c))
            }
            Target::Source { briefing, source } => {
                let b = index.briefings.get(briefing)?;
                let s = b.file.front.sources.iter().find(|s| s.id == *source)?;
                let mut out = format!("**{}**", s.title);
                if let Some(p) = &s.publisher {
                    out.push_str(&format!(", {p}"));
                }
                if let Some(r) =
                    s.reliability.as_deref().and_then(|r| RELIABILITY.iter().find(|(g, _)| r == g.to_string()))
                {
                    out.push_str(&format!("\n\nReliability {}: {}", r.0, r.1));
                }
                if let Some(u) = &s.url {
                    out.push_str(&format!("\n\n<{u}>"));
                }
                out
            }
            Target::Actor(_) => return None,
        };
        return Some((text, range));
    }
    let c = at.cursor()?;
    let keys: Vec<&str> = c.path.iter().map(String::as_str).collect();
    match (c.on, keys.as_slice()) {
        (On::Value, ["claims", "likelihood"] | ["claims", "alternatives", "likelihood"]) => {
            let l = Likelihood::from_id(&c.word)?;
            Some((
                format!("**{}**: {}, point value {:.2} (ICD 203)", l.label(), l.range_label(), l.point()),
                at.word_range(&c),
            ))
        }
        (On::Key, _) => {
            let doc = key_doc(&keys, &c.word, is_actor_file(at.path))?;
            Some((format!("`{}`: {doc}", c.word), at.word_range(&c)))
        }
        _ => None,
    }
}

/// The text of a file by relative path (its buffer when open).
pub type Texts<'a> = dyn Fn(&str) -> Option<std::sync::Arc<str>> + 'a;

/// An occurrence as a range of its file; `name` picks the part a rename replaces.
pub fn occurrence_range(texts: &Texts<'_>, o: &Occurrence, name: bool) -> Option<Range> {
    let text = texts(&o.path)?;
    let cols = if name { o.name.clone() } else { o.whole.clone() };
    Some(text::range_of_chars(&text, o.line - 1, cols))
}

/// The edits that rename `target` to `new`: each occurrence, and for a claim without an
/// explicit `id`, the `id:` it gets. An actor's dossier file is renamed by the caller.
pub fn rename_edits(index: &Index, texts: &Texts<'_>, target: &Target, new: &str) -> Vec<(String, TextEdit)> {
    let mut edits: Vec<(String, TextEdit)> = index
        .occurrences(target)
        .iter()
        .filter_map(|o| {
            Some((o.path.clone(), TextEdit { range: occurrence_range(texts, o, true)?, new_text: new.to_string() }))
        })
        .collect();
    if let Target::Claim { briefing, claim } = target
        && let Some(b) = index.briefings.get(briefing)
        && let Some((i, c)) = b.claim(claim)
        && c.id.is_none()
        && let Some(edit) = insert_claim_key(texts, &b.file, i, "id", new)
    {
        edits.push((b.file.path.clone(), edit));
    }
    edits
}

/// An edit adding `key: value` as the first key of claim `i` of the briefing `f`.
fn insert_claim_key(
    texts: &Texts<'_>,
    f: &crate::content::Parsed<dto::BriefingFm>,
    i: usize,
    key: &str,
    value: &str,
) -> Option<TextEdit> {
    let loc = f.at(&[Key("claims"), Ix(i)]);
    let text = texts(&f.path)?;
    let n = loc.line.checked_sub(1)?;
    let line = text::line(&text, n);
    let byte = text::byte_of_char(line, loc.column.checked_sub(1)?);
    let insert =
        |at: usize, new_text: String| Some(TextEdit { range: text::range_of_bytes(&text, n, at..at), new_text });
    if line[byte..].starts_with('{') {
        // A flow mapping (`- {type: report, ...}`): inside its brace.
        return insert(byte + 1, format!("{key}: {value}, "));
    }
    // A block mapping: a line of its own, indented like the claim's first key.
    insert(byte, format!("{key}: {value}\n{}", " ".repeat(line[..byte].chars().count())))
}

/// The code action of a diagnostic's fix: its title and edit, in the file `path` whose text is
/// `text`; `range` is the diagnostic's.
pub fn fix_edit(
    index: &Index,
    texts: &Texts<'_>,
    path: &str,
    text: &str,
    d: &Diagnostic,
    range: Range,
) -> Option<(String, TextEdit)> {
    match &**d.fix.as_ref()? {
        Fix::Replace(with) => Some((format!("Change to `{with}`"), TextEdit { range, new_text: with.clone() })),
        Fix::TagActor(id) => Some((format!("Add `{id}` to `actors:`"), tag_actor(text, id)?)),
        Fix::AddClaimKey { claim, key, value } => {
            let b = index.briefing_at(path)?;
            let edit = insert_claim_key(texts, &b.file, *claim, key, value)?;
            Some((format!("Add `{key}: {value}`"), edit))
        }
    }
}

/// The edit adding actor `id` to the `actors:` of the front matter in `text`: to its flow or
/// block list, or as a new key before the closing `---`.
fn tag_actor(text: &str, id: &str) -> Option<TextEdit> {
    let front = cursor::front_matter_lines(text)?;
    let lines: Vec<&str> = text.lines().map(|l| l.trim_end_matches('\r')).collect();
    let at = |n: usize, byte: usize, new_text: String| {
        Some(TextEdit { range: text::range_of_bytes(text, n, byte..byte), new_text })
    };
    let Some(n) = front.clone().find(|&n| lines[n].starts_with("actors:")) else {
        return at(front.end, 0, format!("actors: [{id}]\n"));
    };
    let line = lines[n];
    if let Some(close) = line.rfind(']') {
        let inside = line[..close].split_once('[').map_or("", |(_, s)| s);
        let sep = if inside.trim().is_empty() { "" } else { ", " };
        let close = line[..close].trim_end().len();
        return at(n, close, format!("{sep}{id}"));
    }
    // A block list: after its last item, indented like it.
    let items = (n + 1..front.end).take_while(|&k| lines[k].starts_with(' ') || lines[k].trim().is_empty());
    match items.filter(|&k| lines[k].trim_start().starts_with("- ")).last() {
        Some(last) => {
            let indent = lines[last].len() - lines[last].trim_start().len();
            at(last + 1, 0, format!("{}- {id}\n", " ".repeat(indent)))
        }
        None => at(n, line.len(), format!(" [{id}]")),
    }
}

/// What a front-matter key means (the content format's tables, shortened).
fn key_doc(path: &[&str], key: &str, actor: bool) -> Option<&'static str> {
    let docs: &[(&str, &str)] = match (actor, path) {
        (true, []) => &[
            ("name", "display name (required)"),
            ("kind", "state, person, organisation, alliance, igo, armed-group, media or other (the default)"),
            ("aliases", "other names, used to link mentions in briefing bodies to this dossier"),
            ("parent", "actor id: claims by and about this actor roll up to the parent's page"),
            ("country", "ISO 3166-1 alpha-3 code in capitals, such as `RUS`"),
            ("wikidata", "a Wikidata item id such as `Q159`"),
            ("relations", "[{type, target, from?, to?}]: relations to other actors"),
        ],
        (true, ["relations"]) => &[
            ("type", "part-of, member-of, leads, speaks-for, allied-with, party-to, related-to"),
            ("target", "actor id"),
            ("from", "`YYYY`, `YYYY-MM` or `YYYY-MM-DD`"),
            ("to", "`YYYY`, `YYYY-MM` or `YYYY-MM-DD`, not wholly before `from`"),
        ],
        (false, []) => &[
            ("title", "the briefing's title (required)"),
            ("date", "publication time: `2024-10-24` or an RFC 3339 datetime (required)"),
            ("id", "the briefing's id; default: the file stem"),
            ("summary", "bottom line up front, 1-3 sentences"),
            ("updated", "date or datetime of the last update"),
            ("draft", "`true`: built only with `--drafts`"),
            ("authors", "[string]: who wrote it; the forecast ledger scores each"),
            ("key_takeaways", "[string]: bullets shown above the body"),
            ("actors", "[actor id]: actors the briefing is about"),
            ("tags", "[string]: free tags, each with a page"),
            ("sources", "[source]: what the claims cite"),
            ("claims", "[claim]: the statements the briefing makes or reports"),
            ("resolves", "[resolution]: outcomes of earlier forecasts"),
        ],
        (false, ["sources"]) => &[
            ("id", "referenced by this briefing's claims; unique within the briefing (required)"),
            ("title", "the source's title (required)"),
            ("publisher", "who published it"),
            ("url", "`http` or `https` only"),
            ("published", "date `YYYY-MM-DD`"),
            ("reliability", "Admiralty source reliability, `A` (completely reliable) to `F` (cannot be judged)"),
        ],
        (false, ["claims"]) => &[
            ("id", "default `c1`, `c2`, ... by position; the claim's global id is `<briefing-id>#<claim-id>`"),
            (
                "type",
                "report, statement, denial, assessment, assumption, forecast, or a type of sitpress.yaml (required)",
            ),
            ("text", "the claim in the analyst's words, inline Markdown allowed (required)"),
            ("quote", "verbatim words, for statements and denials"),
            ("by", "actor id of who said or did it (statements and denials)"),
            ("about", "[actor id]: actors the claim concerns"),
            ("date", "when it happened or was said"),
            ("sources", "[source id] or [{ref: source id, credibility: 1..6}]"),
            ("confidence", "low, moderate or high: how sure the analyst is of the basis of a judgment"),
            ("likelihood", "an ICD 203 term, such as `likely` (forecasts)"),
            ("probability", "0..1, inside the likelihood's range"),
            ("resolves_by", "date `YYYY-MM-DD` by which a forecast can be judged"),
            ("condition", "claim ref of a forecast: this one holds only if that one resolves `yes`"),
            ("disputes", "[claim ref]: the claims this one rejects (denials)"),
            ("supports", "[claim ref]: claims this one corroborates"),
            ("indicators", "[string]: what would change this judgment"),
            ("updates", "claim ref of an earlier forecast this one restates with a new estimate"),
            ("revises", "claim ref of an earlier assessment this one replaces"),
            ("change", "why the estimate moved (with `updates` or `revises`)"),
            ("alternatives", "[{text, likelihood?, probability?}]: the competing outcomes weighed"),
        ],
        (false, ["claims", "sources"]) => {
            &[("ref", "a source id of this briefing"), ("credibility", "1 confirmed ... 6 cannot be judged")]
        }
        (false, ["claims", "alternatives"]) => &[
            ("text", "the alternative (required)"),
            ("likelihood", "an ICD 203 term"),
            ("probability", "0..1, inside its likelihood's range"),
        ],
        (false, ["resolves"]) => &[
            ("claim", "the full ref `<briefing-id>#<claim-id>` of a forecast (required)"),
            ("outcome", "yes, no, ambiguous or annulled (required)"),
            ("evidence", "[claim id]: claims of this briefing that show the outcome"),
            ("note", "a note on the outcome"),
        ],
        _ => return None,
    };
    docs.iter().find(|(k, _)| *k == key).map(|(_, d)| *d)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn apply(text: &str, e: &TextEdit) -> String {
        let byte = |p| {
            let (line, b) = text::offset(text, p);
            text.lines().take(line).map(|x| x.len() + 1).sum::<usize>() + b
        };
        let (start, end) = (byte(e.range.start), byte(e.range.end));
        format!("{}{}{}", &text[..start], e.new_text, &text[end.min(text.len())..])
    }

    #[test]
    fn tagging_an_actor_extends_the_list_as_written() {
        let flow = "---\ntitle: x\nactors: [russia]\n---\nbody\n";
        assert_eq!(
            apply(flow, &tag_actor(flow, "nato").unwrap()),
            "---\ntitle: x\nactors: [russia, nato]\n---\nbody\n"
        );
        let empty = "---\nactors: []\n---\n";
        assert_eq!(apply(empty, &tag_actor(empty, "nato").unwrap()), "---\nactors: [nato]\n---\n");
        let block = "---\nactors:\n  - russia\n  - ukraine\ntitle: x\n---\n";
        assert_eq!(
            apply(block, &tag_actor(block, "nato").unwrap()),
            "---\nactors:\n  - russia\n  - ukraine\n  - nato\ntitle: x\n---\n"
        );
        let none = "---\ntitle: x\n---\nbody\n";
        assert_eq!(apply(none, &tag_actor(none, "nato").unwrap()), "---\ntitle: x\nactors: [nato]\n---\nbody\n");
    }

    #[test]
    fn links_of_bodies_name_actors_briefings_and_claims() {
        let line = "See [Putin](@/actors/vladimir-putin/) and [the forecast](@/briefings/kazan/#f-combat).";
        let at = |needle: &str| line.find(needle).unwrap() + 1;
        let Some((Link::Actor(id), bytes)) = link_at(line, at("vladimir")) else { panic!("an actor") };
        assert_eq!((id.as_str(), &line[bytes]), ("vladimir-putin", "vladimir-putin"));
        let Some((Link::Briefing(id), _)) = link_at(line, at("kazan")) else { panic!("a briefing") };
        assert_eq!(id, "kazan");
        let Some((Link::Claim(b, c), _)) = link_at(line, at("f-combat")) else { panic!("a claim") };
        assert_eq!((b.as_str(), c.as_str()), ("kazan", "f-combat"));
        // Being typed: the id so far, up to the position.
        let typing = "See [x](@/actors/vla";
        let Some((Link::Actor(id), bytes)) = link_at(typing, typing.len()) else { panic!("an actor") };
        assert_eq!((id.as_str(), bytes), ("vla", 17..20));
        assert!(link_at("See [x](@/timeline/)", 12).is_none());
        assert!(link_at("no link here", 4).is_none());
    }

    #[test]
    fn every_key_of_the_format_has_its_doc() {
        let briefing: &[&[&str]] =
            &[&[], &["sources"], &["claims"], &["claims", "sources"], &["claims", "alternatives"], &["resolves"]];
        for path in briefing {
            for key in dto::briefing_schema(path).expect("a schema") {
                assert!(key_doc(path, key, false).is_some(), "{path:?} {key}");
            }
        }
        for path in [&[][..], &["relations"]] {
            for key in dto::actor_schema(path).expect("a schema") {
                assert!(key_doc(path, key, true).is_some(), "{path:?} {key}");
            }
        }
    }

    #[test]
    fn typed_letters_must_come_in_order() {
        assert!(matches_typed("kzkur", "kazan#kursk"));
        assert!(matches_typed("", "anything"));
        assert!(!matches_typed("kx", "kazan#kursk"));
    }
}
