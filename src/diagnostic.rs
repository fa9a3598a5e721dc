//! Diagnostics: what sitpress tells an author about their content.
//!
//! A [`Diagnostic`] is plain data (severity, file, 1-based line and column, message, optional
//! help) so every layer can produce one without knowing how it is shown. Rendering, rustc-style
//! with the offending line and a caret, happens only here and only on request.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

/// A position in a file, 1-based. Line 0 means "the file as a whole".
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Loc {
    /// Path as shown to the user (relative to the site root where possible).
    pub path: String,
    pub line: usize,
    pub column: usize,
}

impl Loc {
    pub fn new(path: impl Into<String>, line: usize, column: usize) -> Loc {
        Loc { path: path.into(), line, column }
    }

    pub fn file(path: impl Into<String>) -> Loc {
        Loc::new(path, 0, 0)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// The lint's stable name for warnings from `sitpress check` (`unsourced-claim`); `None`
    /// for errors of the content format itself.
    pub lint: Option<&'static str>,
    pub loc: Loc,
    /// Characters to underline from the column; 0: the token found there. (32 bits keep a
    /// diagnostic, which `Result`s carry, under 128 bytes.)
    pub len: u32,
    pub message: String,
    pub help: Option<String>,
    /// The edit that fixes it, when one follows from the diagnostic alone (an editor offers it
    /// as a code action; the terminal shows the help).
    pub fix: Option<Box<Fix>>,
}

/// A mechanical fix of a diagnostic, in terms of the content format; `sitpress lsp` turns it
/// into text edits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fix {
    /// Write this instead of the underlined text ([`Diagnostic::span`]): the id a typo meant,
    /// the words of a claim's stated likelihood.
    Replace(String),
    /// Add this actor id to the briefing's `actors:`.
    TagActor(String),
    /// Add `key: value` to the briefing's claim at this index (0-based, as in `claims:`).
    AddClaimKey { claim: usize, key: &'static str, value: String },
}

impl Diagnostic {
    fn new(severity: Severity, lint: Option<&'static str>, loc: Loc, message: String) -> Diagnostic {
        Diagnostic { severity, lint, loc, len: 0, message, help: None, fix: None }
    }

    pub fn error(loc: Loc, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(Severity::Error, None, loc, message.into())
    }

    /// A warning from the named lint.
    pub fn lint(lint: &'static str, loc: Loc, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(Severity::Warning, Some(lint), loc, message.into())
    }

    pub fn warning(loc: Loc, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(Severity::Warning, None, loc, message.into())
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    /// Underlines `len` characters (a phrase of several words) instead of one token.
    pub fn with_len(mut self, len: usize) -> Diagnostic {
        self.len = u32::try_from(len).unwrap_or(u32::MAX);
        self
    }

    pub fn with_fix(mut self, fix: Fix) -> Diagnostic {
        self.fix = Some(Box::new(fix));
        self
    }

    pub fn with_help_opt(mut self, help: Option<String>) -> Diagnostic {
        self.help = help;
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `path:line:col`, or just `path` for whole-file problems.
    pub fn location(&self) -> String {
        let Loc { path, line, column } = &self.loc;
        match (line, column) {
            (0, _) => path.clone(),
            (l, 0) => format!("{path}:{l}"),
            (l, c) => format!("{path}:{l}:{c}"),
        }
    }

    /// The bytes of `line` (the text of the diagnostic's line) that it underlines: `len`
    /// characters from its column, or the token found there (a quoted string, or a run up to
    /// whitespace or YAML punctuation). The terminal and an editor underline the same.
    pub fn span(&self, line: &str) -> std::ops::Range<usize> {
        let start = char_col_to_byte(line, self.loc.column.max(1) - 1);
        let end = match self.len {
            0 => token_end(line, start),
            n => char_col_to_byte(line, self.loc.column.max(1) - 1 + n as usize),
        };
        start..end.max(start)
    }

    /// Renders the diagnostic with the offending line of `source` (the whole file's text, when
    /// available) and a caret under the offending token.
    pub fn render(&self, source: Option<&str>, color: bool) -> String {
        use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};

        let level = match self.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
        };
        let title = format!("{}: {}", self.location(), self.message);
        let line_text = source.and_then(|s| nth_line(s, self.loc.line));
        let mut primary = level.primary_title(title.as_str());
        if let Some(lint) = self.lint {
            primary = primary.id(lint);
        }
        let mut group = Group::with_title(primary);
        if let Some(text) = line_text {
            let span = self.span(text);
            let text = if text.is_empty() { " " } else { text };
            let span =
                if span.is_empty() { span.start..(span.start + 1).min(text.len()).max(span.start) } else { span };
            group = group.element(
                Snippet::source(text).line_start(self.loc.line).annotation(AnnotationKind::Primary.span(span)),
            );
        }
        let mut report = vec![group];
        if let Some(help) = &self.help {
            report.push(Group::with_title(Level::HELP.secondary_title(help.as_str())));
        }
        let renderer = if color { Renderer::styled() } else { Renderer::plain() };
        renderer.render(&report).to_string()
    }
}

/// The error for a file that is not UTF-8, at its first byte that is not (`valid_up_to`, from
/// [`std::str::Utf8Error::valid_up_to`]), with a hint at the encoding it was saved in.
pub fn not_utf8(path: &str, bytes: &[u8], valid_up_to: usize) -> Diagnostic {
    let valid = std::str::from_utf8(&bytes[..valid_up_to]).unwrap_or_default();
    let line_start = valid.rfind('\n').map_or(0, |i| i + 1);
    let line = valid.matches('\n').count() + 1;
    let column = valid[line_start..].chars().count() + 1;
    let loc = Loc::new(path, line, column);
    if bytes.starts_with(&[0xff, 0xfe]) || bytes.starts_with(&[0xfe, 0xff]) {
        return Diagnostic::error(
            loc,
            "the file is not valid UTF-8: it is UTF-16 (it starts with a UTF-16 byte order mark)",
        )
        .with_help("save the file with UTF-8 encoding");
    }
    let byte = bytes.get(valid_up_to).copied().unwrap_or_default();
    Diagnostic::error(
        loc,
        format!("the file is not valid UTF-8: byte 0x{byte:02X} here is not part of a UTF-8 character"),
    )
    .with_help("save the file with UTF-8 encoding (it may have been saved as Windows-1252 or Latin-1)")
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sev = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{}: {sev}", self.location())?;
        if let Some(lint) = self.lint {
            write!(f, "[{lint}]")?;
        }
        write!(f, ": {}", self.message)?;
        if let Some(help) = &self.help {
            write!(f, " (help: {help})")?;
        }
        Ok(())
    }
}

fn nth_line(source: &str, line: usize) -> Option<&str> {
    if line == 0 {
        return None;
    }
    source.lines().nth(line - 1).map(|l| l.trim_end_matches('\r'))
}

fn char_col_to_byte(text: &str, col: usize) -> usize {
    text.char_indices().nth(col).map_or(text.len(), |(i, _)| i)
}

/// The end of the token starting at `start`: a quoted string, or a run up to whitespace or
/// YAML punctuation.
fn token_end(text: &str, start: usize) -> usize {
    let rest = &text[start..];
    let mut chars = rest.char_indices();
    match chars.next() {
        None => start,
        Some((_, q @ ('"' | '\''))) => {
            for (i, c) in chars {
                if c == q {
                    return start + i + 1;
                }
            }
            text.len()
        }
        Some(_) => {
            let stop = rest
                .char_indices()
                .find(|&(i, c)| i > 0 && (c.is_whitespace() || matches!(c, ',' | ']' | '}' | ':')))
                .map_or(rest.len(), |(i, _)| i);
            start + stop
        }
    }
}

/// Sorts diagnostics by file, line, column so output is stable whatever the loading order.
pub fn sort(diags: &mut [Diagnostic]) {
    diags.sort_by(|a, b| a.loc.cmp(&b.loc).then_with(|| a.message.cmp(&b.message)));
}

/// The closest candidate to `word` by edit distance (a swap of two neighbouring letters
/// counts as one edit), if it is close enough to be a likely typo.
pub fn did_you_mean<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let word = word.to_lowercase();
    let mut best: Option<(usize, &str)> = None;
    for cand in candidates {
        let d = strsim::damerau_levenshtein(&word, &cand.to_lowercase());
        let limit = (cand.chars().count().max(word.chars().count()) / 3).max(1) + 1;
        if d <= limit && best.is_none_or(|(bd, bc)| d < bd || (d == bd && cand < bc)) {
            best = Some((d, cand));
        }
    }
    best.map(|(_, c)| c)
}

/// What an author most likely meant by `word`, a value outside a closed vocabulary (`names`):
/// the same word written another way (`Very Likely`, `very_likely`), a synonym the
/// vocabulary's own standard uses (ICD 203's `probable` for `likely`; `synonyms` are written
/// in lower case with `-` for spaces), or else a close spelling.
pub fn suggest<'a>(word: &str, names: &[&'a str], synonyms: &[(&str, &'a str)]) -> Option<&'a str> {
    let words: Vec<String> = word
        .split(|c: char| c.is_whitespace() || c == '_' || c == '-')
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    let norm = words.join("-");
    names
        .iter()
        .find(|n| **n == norm)
        .or_else(|| synonyms.iter().find(|(s, _)| *s == norm).map(|(_, n)| n))
        .copied()
        .or_else(|| did_you_mean(word, names.iter().copied()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_words_only() {
        assert_eq!(did_you_mean("rusia", ["russia", "ukraine"]), Some("russia"));
        assert_eq!(did_you_mean("titel", ["title", "tags"]), Some("title"));
        assert_eq!(did_you_mean("zzz", ["russia", "ukraine"]), None);
        assert_eq!(did_you_mean("lieklY", ["likely", "unlikely"]), Some("likely"));
    }

    #[test]
    fn suggests_the_word_meant_from_a_closed_vocabulary() {
        let names = ["likely", "very-likely", "roughly-even-chance"];
        let synonyms =
            [("probable", "likely"), ("highly-probable", "very-likely"), ("roughly-even-odds", "roughly-even-chance")];
        assert_eq!(suggest("probable", &names, &synonyms), Some("likely"));
        assert_eq!(suggest("Highly Probable", &names, &synonyms), Some("very-likely"));
        assert_eq!(suggest("roughly even odds", &names, &synonyms), Some("roughly-even-chance"));
        assert_eq!(suggest("Very_Likely", &names, &synonyms), Some("very-likely"));
        assert_eq!(suggest("likley", &names, &synonyms), Some("likely"));
        assert_eq!(suggest("zzz", &names, &synonyms), None);
    }

    #[test]
    fn renders_caret_under_token() {
        let d = Diagnostic::error(Loc::new("a.md", 2, 5), "unknown actor `rusia`").with_help("did you mean `russia`?");
        let out = d.render(Some("---\nby: rusia\n---\n"), false);
        assert!(out.contains("a.md:2:5: unknown actor `rusia`"), "{out}");
        assert!(out.contains("by: rusia"), "{out}");
        assert!(out.contains("^^^^^"), "{out}");
        assert!(out.contains("did you mean"), "{out}");
    }
}
