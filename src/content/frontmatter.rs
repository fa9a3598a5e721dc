//! Splitting a content file into its YAML front matter and Markdown body.

/// A file split at its front matter fences. Line numbers are 1-based lines of the file.
#[derive(Debug, Clone, Copy)]
pub struct Split<'a> {
    pub yaml: &'a str,
    /// File line of the first YAML line (the line after the opening `---`).
    pub yaml_line: usize,
    pub body: &'a str,
    /// File line of the first body line.
    pub body_line: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SplitError {
    Empty,
    NoOpening,
    Unclosed,
}

impl SplitError {
    pub fn message(&self) -> (&'static str, &'static str) {
        match self {
            SplitError::Empty => (
                "the file is empty",
                "start the file with a front matter block: a line `---`, YAML keys, and a closing `---`",
            ),
            SplitError::NoOpening => (
                "missing front matter: the first line must be `---`",
                "did you forget to add `---` before the YAML keys?",
            ),
            SplitError::Unclosed => {
                ("unclosed front matter: no closing `---` line", "add a line `---` after the last YAML key")
            }
        }
    }
}

/// Splits `text` at a first line `---` and the next line that is exactly `---`.
pub fn split(text: &str) -> Result<Split<'_>, SplitError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(SplitError::Empty);
    }
    let first_end = text.find('\n').map_or(text.len(), |i| i + 1);
    if text[..first_end].trim_end() != "---" {
        return Err(SplitError::NoOpening);
    }
    let yaml_start = first_end;
    let mut pos = yaml_start;
    let mut line = 2;
    while pos < text.len() {
        let end = text[pos..].find('\n').map_or(text.len(), |i| pos + i + 1);
        if text[pos..end].trim_end() == "---" {
            return Ok(Split { yaml: &text[yaml_start..pos], yaml_line: 2, body: &text[end..], body_line: line + 1 });
        }
        pos = end;
        line += 1;
    }
    Err(SplitError::Unclosed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_and_counts_lines() {
        let s = split("---\ntitle: x\ndate: 2024-01-01\n---\nBody\n").unwrap();
        assert_eq!(s.yaml, "title: x\ndate: 2024-01-01\n");
        assert_eq!(s.body, "Body\n");
        assert_eq!(s.body_line, 5);
    }

    #[test]
    fn errors() {
        assert_eq!(split("").unwrap_err(), SplitError::Empty);
        assert_eq!(split("title: x\n").unwrap_err(), SplitError::NoOpening);
        assert_eq!(split("---\ntitle: x\n").unwrap_err(), SplitError::Unclosed);
        assert!(split("---\r\ntitle: x\r\n---\r\n").is_ok());
    }
}
