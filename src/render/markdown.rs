//! Markdown to HTML: pulldown-cmark with the site's rules layered on the event stream.
//!
//! On top of CommonMark with tables, footnotes, strikethrough and smart punctuation, a body
//! gets: heading ids unique per page; raw HTML escaped, sanitized or allowed per `raw_html`;
//! `javascript:`-style link targets neutralised unless raw HTML is allowed; `@/...` internal
//! links resolved to URLs; and each actor's first mention linked to its dossier.

use crate::config::RawHtml;
use crate::model::mentions::Matcher;
use pulldown_cmark::{CowStr, Event, LinkType, Options, Parser, Tag, TagEnd, TextMergeWithOffset};
use std::collections::{HashMap, HashSet};
use std::sync::Mutex;

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// What a body's rendering needs from the site.
pub struct BodyOptions<'a> {
    pub raw_html: RawHtml,
    /// Autolink actor mentions (None: off): the matcher, and each actor's dossier URL.
    pub actors: Option<(&'a Matcher<usize>, &'a [String])>,
    /// Resolves the part after `@/` to a URL (content validation has made sure it exists;
    /// `None` would become `#`).
    pub internal: &'a dyn Fn(&str) -> Option<String>,
    /// Ids already used on the page (claim and source anchors), kept free for them.
    pub reserved_ids: &'a HashSet<String>,
}

/// Renders a Markdown body to HTML.
pub fn render_body(md: &str, opts: &BodyOptions<'_>) -> String {
    render_body_with_text(md, opts, None)
}

/// Renders a Markdown body to HTML and, into `plain` when given, its text as the page shows
/// it (what the search indexes and quotes): the words of its text and code, blocks and cells
/// kept apart by one space, raw HTML left out. One parse makes both.
pub fn render_body_with_text(md: &str, opts: &BodyOptions<'_>, mut plain: Option<&mut PlainText>) -> String {
    let mut events: Vec<Event<'_>> = Vec::new();
    let mut used_ids: HashSet<String> = opts.reserved_ids.clone();
    let mut linked: HashSet<usize> = HashSet::new();
    // Depth counters for places where actor names must not be linked.
    let (mut in_link, mut in_heading, mut in_code) = (0usize, 0usize, 0usize);
    let mut heading_start: Option<usize> = None;

    let parser = TextMergeWithOffset::new(Parser::new_ext(md, options()).into_offset_iter());
    for (event, _) in parser {
        if let Some(plain) = plain.as_deref_mut() {
            plain.event(&event);
        }
        match event {
            Event::Start(Tag::Link { link_type, dest_url, title, id }) => {
                in_link += 1;
                let dest = resolve_dest(dest_url, opts);
                events.push(Event::Start(Tag::Link { link_type, dest_url: dest, title, id }));
            }
            Event::End(TagEnd::Link) => {
                in_link = in_link.saturating_sub(1);
                events.push(Event::End(TagEnd::Link));
            }
            Event::Start(Tag::Image { link_type, dest_url, title, id }) => {
                in_link += 1;
                let dest = resolve_dest(dest_url, opts);
                events.push(Event::Start(Tag::Image { link_type, dest_url: dest, title, id }));
            }
            Event::End(TagEnd::Image) => {
                in_link = in_link.saturating_sub(1);
                events.push(Event::End(TagEnd::Image));
            }
            Event::Start(Tag::Heading { level, id, .. }) => {
                in_heading += 1;
                heading_start = Some(events.len());
                // Classes and attributes are dropped: `{onclick=...}` must not reach the page.
                events.push(Event::Start(Tag::Heading { level, id, classes: Vec::new(), attrs: Vec::new() }));
            }
            Event::End(TagEnd::Heading(level)) => {
                in_heading = in_heading.saturating_sub(1);
                if let Some(start) = heading_start.take() {
                    assign_heading_id(&mut events, start, &mut used_ids);
                }
                events.push(Event::End(TagEnd::Heading(level)));
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                in_code += 1;
                events.push(Event::Start(Tag::CodeBlock(kind)));
            }
            Event::End(TagEnd::CodeBlock) => {
                in_code = in_code.saturating_sub(1);
                events.push(Event::End(TagEnd::CodeBlock));
            }
            Event::Html(html) | Event::InlineHtml(html) if opts.raw_html == RawHtml::Escape => {
                events.push(Event::Text(html));
            }
            Event::Text(text) if in_link == 0 && in_heading == 0 && in_code == 0 && opts.actors.is_some() => {
                let (matcher, urls) = opts.actors.expect("checked");
                autolink(text, matcher, urls, &mut linked, &mut events);
            }
            other => events.push(other),
        }
    }
    let mut html = String::with_capacity(md.len() * 3 / 2);
    if opts.raw_html == RawHtml::Sanitize {
        let generated = generated_ids(&events);
        pulldown_cmark::html::push_html(&mut html, events.into_iter());
        return sanitize(&html, generated);
    }
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    html
}

/// Renders inline Markdown (a claim's text) without the surrounding paragraph. Raw HTML is
/// always escaped here: claim texts are shown on many pages and in feeds.
pub fn render_inline(md: &str) -> String {
    let events = Parser::new_ext(md, Options::ENABLE_STRIKETHROUGH | Options::ENABLE_SMART_PUNCTUATION).filter_map(
        |e| match e {
            Event::Start(Tag::Paragraph) | Event::End(TagEnd::Paragraph) => None,
            Event::Html(h) | Event::InlineHtml(h) => Some(Event::Text(h)),
            Event::Start(Tag::Link { link_type, dest_url, title, id }) => {
                Some(Event::Start(Tag::Link { link_type, dest_url: neutralise(dest_url), title, id }))
            }
            Event::Start(Tag::Image { link_type, dest_url, title, id }) => {
                Some(Event::Start(Tag::Image { link_type, dest_url: neutralise(dest_url), title, id }))
            }
            Event::Start(Tag::Heading { level, id, .. }) => {
                Some(Event::Start(Tag::Heading { level, id, classes: Vec::new(), attrs: Vec::new() }))
            }
            other => Some(other),
        },
    );
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, events);
    html.trim_end().to_string()
}

/// Text made of words separated by single spaces, however the pieces it is made from were
/// spaced.
#[derive(Debug, Default)]
pub struct PlainText {
    text: String,
    /// A space goes before the next word.
    gap: bool,
}

impl PlainText {
    /// Room for the text of Markdown `len` bytes long, which is shorter.
    pub fn for_markdown(len: usize) -> Self {
        PlainText { text: String::with_capacity(len), gap: false }
    }

    /// Appends the words of `piece`; whitespace at its ends separates it from its neighbours.
    fn push(&mut self, piece: &str) {
        let (before, rest) = match piece.strip_prefix(' ') {
            Some(rest) => (true, rest),
            None => (false, piece),
        };
        let (inner, after) = match rest.strip_suffix(' ') {
            Some(inner) => (inner, true),
            None => (rest, false),
        };
        self.gap |= before;
        // Most pieces are words with single spaces between them, copied whole; the rest are
        // taken apart.
        if is_spaced(inner) {
            self.word(inner);
        } else {
            for (i, word) in inner.split(char::is_whitespace).enumerate() {
                self.gap |= i > 0;
                self.word(word);
            }
        }
        self.gap |= after;
    }

    /// Appends `text` as it is (a word, or words with single spaces between them), after a space
    /// if a gap comes before it.
    fn word(&mut self, text: &str) {
        if text.is_empty() {
            return;
        }
        if self.gap && !self.text.is_empty() {
            self.text.push(' ');
        }
        self.gap = false;
        self.text.push_str(text);
    }

    /// Adds what a parser's event shows as text.
    fn event(&mut self, event: &Event<'_>) {
        match event {
            Event::Text(t) | Event::Code(t) => self.push(t),
            // The end of a span (emphasis, a link) does not end its word: `[link](…).`
            Event::End(
                TagEnd::Emphasis
                | TagEnd::Strong
                | TagEnd::Strikethrough
                | TagEnd::Superscript
                | TagEnd::Subscript
                | TagEnd::Link
                | TagEnd::Image,
            ) => {}
            Event::SoftBreak | Event::HardBreak | Event::End(_) => self.gap = true,
            _ => {}
        }
    }

    pub fn into_string(self) -> String {
        self.text
    }
}

/// Whether `text` is words with single spaces between them: no space at either end, no two in
/// a row, no other whitespace.
fn is_spaced(text: &str) -> bool {
    let mut after_space = true;
    for (i, &b) in text.as_bytes().iter().enumerate() {
        if b > b' ' {
            // A character that is not whitespace, or part of one, or the first byte of a
            // character beyond ASCII, which may be a space of another kind.
            if b >= 0xC0 && text[i..].chars().next().is_some_and(char::is_whitespace) {
                return false;
            }
            after_space = false;
        } else if b == b' ' && !after_space {
            after_space = true;
        } else if b == b' ' || matches!(b, b'\t' | b'\n' | b'\x0B' | b'\x0C' | b'\r') {
            return false;
        } else {
            after_space = false;
        }
    }
    !after_space
}

/// A Markdown body's text, as [`render_body_with_text`] makes it, without the HTML.
pub fn body_text(md: &str) -> String {
    let mut plain = PlainText::for_markdown(md.len());
    for e in Parser::new_ext(md, options()) {
        plain.event(&e);
    }
    plain.into_string()
}

/// Plain text of inline Markdown, for feeds' summaries and meta descriptions.
pub fn plain_text(md: &str) -> String {
    let mut plain = PlainText::default();
    for e in Parser::new_ext(md, Options::ENABLE_SMART_PUNCTUATION) {
        match e {
            Event::Text(t) | Event::Code(t) => plain.push(&t),
            Event::SoftBreak | Event::HardBreak | Event::End(TagEnd::Paragraph) => plain.gap = true,
            _ => {}
        }
    }
    plain.into_string()
}

fn resolve_dest<'a>(dest: CowStr<'a>, opts: &BodyOptions<'_>) -> CowStr<'a> {
    if let Some(target) = dest.strip_prefix("@/") {
        return CowStr::from((opts.internal)(target).unwrap_or_else(|| "#".to_string()));
    }
    if opts.raw_html == RawHtml::Allow { dest } else { neutralise(dest) }
}

/// Replaces script-running URL schemes with `#`.
fn neutralise(dest: CowStr<'_>) -> CowStr<'_> {
    let lower: String =
        dest.chars().filter(|c| !c.is_whitespace() && !c.is_control()).collect::<String>().to_ascii_lowercase();
    if ["javascript:", "vbscript:", "data:"].iter().any(|s| lower.starts_with(s)) { CowStr::from("#") } else { dest }
}

fn assign_heading_id(events: &mut [Event<'_>], start: usize, used: &mut HashSet<String>) {
    let mut text = String::new();
    for e in &events[start + 1..] {
        if let Event::Text(t) | Event::Code(t) = e {
            text.push_str(t);
        }
    }
    let Event::Start(Tag::Heading { id, .. }) = &mut events[start] else {
        return;
    };
    let wanted = match id.as_deref() {
        Some(custom) => slug::slugify(custom),
        None => slug::slugify(&text),
    };
    let base = if wanted.is_empty() { "section".to_string() } else { wanted };
    let mut candidate = base.clone();
    let mut n = 1;
    while used.contains(&candidate) {
        candidate = format!("{base}-{n}");
        n += 1;
    }
    used.insert(candidate.clone());
    *id = Some(CowStr::from(candidate));
}

fn autolink<'a>(
    text: CowStr<'a>,
    matcher: &Matcher<usize>,
    urls: &[String],
    linked: &mut HashSet<usize>,
    events: &mut Vec<Event<'a>>,
) {
    let mut last = 0;
    let s: &str = &text;
    let mut pieces: Vec<Event<'a>> = Vec::new();
    for (range, actor) in matcher.find(s) {
        let Some(url) = urls.get(actor) else { continue };
        if linked.contains(&actor) {
            continue;
        }
        linked.insert(actor);
        if range.start > last {
            pieces.push(Event::Text(CowStr::from(s[last..range.start].to_string())));
        }
        pieces.push(Event::Start(Tag::Link {
            link_type: LinkType::Inline,
            dest_url: CowStr::from(url.clone()),
            title: CowStr::from(""),
            id: CowStr::from(""),
        }));
        pieces.push(Event::Text(CowStr::from(s[range.clone()].to_string())));
        pieces.push(Event::End(TagEnd::Link));
        last = range.end;
    }
    if pieces.is_empty() {
        events.push(Event::Text(text));
        return;
    }
    if last < s.len() {
        pieces.push(Event::Text(CowStr::from(s[last..].to_string())));
    }
    events.extend(pieces);
}

/// What raw HTML's own `id` and `class` values are prefixed with under `raw_html: sanitize`
/// (GitHub's prefix): a body can then neither reuse an id of the page (a claim's anchor, the
/// preview's overlay) nor dress up as the theme (a badge's class).
const USER_CONTENT: &str = "user-content-";

/// The ids the Markdown itself gives elements: headings' and footnote definitions'. Only these
/// keep their value through [`sanitize`].
fn generated_ids(events: &[Event<'_>]) -> HashMap<String, usize> {
    let mut ids = HashMap::new();
    for e in events {
        let id = match e {
            Event::Start(Tag::Heading { id: Some(id), .. }) => id,
            Event::Start(Tag::FootnoteDefinition(label)) => label,
            _ => continue,
        };
        *ids.entry(id.to_string()).or_insert(0) += 1;
    }
    ids
}

/// Whether `class` on `element` is one pulldown-cmark writes for Markdown (footnotes, a fenced
/// code block's language), as opposed to one typed in raw HTML.
fn is_markdown_class(element: &str, class: &str) -> bool {
    match element {
        "sup" => class == "footnote-reference" || class == "footnote-definition-label",
        "div" => class == "footnote-definition",
        "code" => class.starts_with("language-"),
        _ => false,
    }
}

/// Cleans a body rendered with raw HTML: ammonia's safe subset, and raw HTML's ids and classes
/// prefixed with [`USER_CONTENT`]. The Markdown's own heading and footnote ids are kept, each
/// as often as the Markdown made it: ammonia visits elements in document order, so a raw
/// element that copies a heading's id before the heading takes it, and the heading's is then
/// the one prefixed; either way no two elements share an id and none is the page's.
fn sanitize(html: &str, generated: HashMap<String, usize>) -> String {
    let generated = Mutex::new(generated);
    ammonia::Builder::default()
        .add_generic_attributes(["id", "class"])
        .add_tags(["figure", "figcaption", "section", "aside", "details", "summary", "mark", "abbr"])
        .link_rel(Some("noopener noreferrer"))
        .attribute_filter(move |element, attribute, value| match attribute {
            "id" => {
                let may_be_markdown = matches!(element, "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "div");
                let mut left = generated.lock().unwrap_or_else(|e| e.into_inner());
                match left.get_mut(value) {
                    Some(n) if may_be_markdown && *n > 0 => {
                        *n -= 1;
                        Some(value.into())
                    }
                    _ => Some(format!("{USER_CONTENT}{value}").into()),
                }
            }
            "class" => {
                let classes: Vec<String> = value
                    .split_ascii_whitespace()
                    .map(|c| if is_markdown_class(element, c) { c.to_string() } else { format!("{USER_CONTENT}{c}") })
                    .collect();
                Some(classes.join(" ").into())
            }
            _ => Some(value.into()),
        })
        .clean(html)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(md: &str, raw: RawHtml, matcher: Option<(&Matcher<usize>, &[String])>) -> String {
        let reserved = HashSet::from(["claim-c1".to_string()]);
        let internal = |t: &str| (t == "actors/russia/").then(|| "/r/actors/russia/".to_string());
        let opts = BodyOptions { raw_html: raw, actors: matcher, internal: &internal, reserved_ids: &reserved };
        render_body(md, &opts)
    }

    fn matcher() -> (Matcher<usize>, Vec<String>) {
        let m = Matcher::new([(0, "Russia"), (0, "Russian Federation"), (1, "North Korea")], false);
        (m, vec!["/actors/russia/".into(), "/actors/nk/".into()])
    }

    #[test]
    fn raw_html_is_escaped_by_default() {
        let out = body("<script>alert(1)</script>\n\nhi <b onclick=\"x\">b</b>", RawHtml::Escape, None);
        assert!(!out.contains("<script>"), "{out}");
        assert!(out.contains("&lt;script&gt;"), "{out}");
        assert!(!out.contains("<b "), "{out}");
        let out = body("hi <b onclick=\"x\">b</b><script>x</script>", RawHtml::Sanitize, None);
        assert!(out.contains("<b>b</b>") && !out.contains("onclick") && !out.contains("<script"), "{out}");
        let out = body("hi <b>b</b>", RawHtml::Allow, None);
        assert!(out.contains("<b>b</b>"), "{out}");
    }

    #[test]
    fn sanitized_raw_html_keeps_no_id_or_class_of_its_own() {
        let md = "<p id=\"claim-c1\" class=\"badge\">fake</p>\n\n\
                  # Intro\n\n\
                  <h2 id=\"intro\" class=\"x y\">copy</h2>\n\n\
                  Note[^n].\n\n[^n]: The note.\n\n\
                  ```rust\nfn main() {}\n```\n";
        let out = body(md, RawHtml::Sanitize, None);
        assert!(out.contains("<p id=\"user-content-claim-c1\" class=\"user-content-badge\">"), "{out}");
        assert!(out.contains("<h1 id=\"intro\">"), "the heading keeps its id: {out}");
        assert!(out.contains("<h2 id=\"user-content-intro\" class=\"user-content-x user-content-y\">"), "{out}");
        assert!(out.contains("class=\"footnote-reference\"><a href=\"#n\""), "{out}");
        assert!(out.contains("<div class=\"footnote-definition\" id=\"n\">"), "{out}");
        assert!(out.contains("<code class=\"language-rust\">"), "{out}");
        // A raw element that comes first takes the id; the heading's is then the prefixed one.
        let out = body("<h1 id=\"intro\">raw</h1>\n\n# Intro\n", RawHtml::Sanitize, None);
        assert!(
            out.contains("<h1 id=\"intro\">raw</h1>") && out.contains("<h1 id=\"user-content-intro\">Intro</h1>"),
            "{out}"
        );
        // Escape and allow modes are untouched.
        assert!(body("<p id=\"a\">x</p>", RawHtml::Allow, None).contains("<p id=\"a\">"));
    }

    #[test]
    fn script_urls_are_neutralised() {
        let out = body("[x](javascript:alert(1)) [y]( JAVASCRIPT:x)", RawHtml::Escape, None);
        assert!(!out.to_lowercase().contains("javascript"), "{out}");
        assert!(render_inline("[x](javascript:alert(1))").contains("href=\"#\""));
    }

    #[test]
    fn heading_ids_are_unique_and_skip_reserved() {
        let out = body("# Claim c1\n\n## Intro\n\n## Intro\n\n# Title {#x onclick=y}", RawHtml::Escape, None);
        assert!(out.contains("id=\"claim-c1-1\""), "{out}");
        assert!(out.contains("id=\"intro\"") && out.contains("id=\"intro-1\""), "{out}");
        assert!(out.contains("id=\"x\"") && !out.contains("onclick"), "{out}");
    }

    #[test]
    fn first_mention_is_linked_outside_code_links_and_headings() {
        let (m, urls) = matcher();
        let m = (&m, urls.as_slice());
        let md = "# Russia\n\n`Russia` and [Russia](/x) and Russian Federation, Russia again. Northern North Korea.";
        let out = body(md, RawHtml::Escape, Some(m));
        assert_eq!(out.matches("href=\"/actors/russia/\"").count(), 1, "{out}");
        assert!(out.contains("<a href=\"/actors/russia/\">Russian Federation</a>"), "{out}");
        assert!(out.contains("<a href=\"/actors/nk/\">North Korea</a>"), "{out}");
        assert!(out.contains("<code>Russia</code>"), "{out}");
        let out = body("Russias and ProRussia", RawHtml::Escape, Some(m));
        assert!(!out.contains("<a"), "{out}");
    }

    #[test]
    fn internal_links_resolve() {
        let reserved = HashSet::new();
        let internal = |t: &str| (t == "actors/russia/").then(|| "/r/actors/russia/".to_string());
        let opts =
            BodyOptions { raw_html: RawHtml::Escape, actors: None, internal: &internal, reserved_ids: &reserved };
        let html = render_body("See [R](@/actors/russia/).\n\nAnd [X](@/actors/nope/).", &opts);
        assert!(html.contains("href=\"/r/actors/russia/\""), "{html}");
        assert!(html.contains("href=\"#\""), "{html}");
    }

    proptest::proptest! {
        /// Plain text is the words of the pieces and breaks, as if joined and split again.
        #[test]
        fn plain_text_keeps_words_apart_by_one_space(
            pieces in proptest::collection::vec(proptest::option::of("[a b\t\n\u{a0}\u{2003}é.]{0,6}"), 0..8)
        ) {
            let mut plain = PlainText::default();
            let mut joined = String::new();
            for piece in &pieces {
                match piece {
                    Some(p) => {
                        plain.push(p);
                        joined.push_str(p);
                    }
                    None => {
                        plain.gap = true;
                        joined.push(' ');
                    }
                }
            }
            let expected = joined.split_whitespace().collect::<Vec<_>>().join(" ");
            proptest::prop_assert_eq!(plain.into_string(), expected);
        }
    }

    #[test]
    fn body_text_is_what_the_page_shows() {
        let md = "# A *title* {#t}\n\nSome ~~old~~ `code`,\nand a [link](https://example.org/).\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n<div>raw</div>\n";
        assert_eq!(body_text(md), "A title Some old code, and a link. a b 1 2");
    }

    #[test]
    fn inline_drops_paragraph() {
        assert_eq!(render_inline("a *b* <i>c</i>"), "a <em>b</em> &lt;i&gt;c&lt;/i&gt;");
        assert_eq!(plain_text("a *b*\nc"), "a b c");
    }
}
