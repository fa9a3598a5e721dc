//! Site configuration: `sitpress.yaml`, raw as typed and resolved as used.
//!
//! [`Config::parse`] is pure (text in, config or diagnostics out); [`Config::load`] reads the
//! file. Every key is optional; unknown keys are errors with a suggestion.

use crate::diagnostic::{Diagnostic, Loc};
use crate::model::{BuiltinType, ClaimType, is_valid_id};
use crate::yaml;
use serde::Deserialize;
use std::path::Path;

pub const FILE_NAME: &str = "sitpress.yaml";
pub const DEFAULT_BASE_URL: &str = "http://localhost:1111/";

/// What the user typed.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    title: Option<String>,
    description: Option<String>,
    base_url: Option<String>,
    language: Option<String>,
    raw_html: Option<RawHtml>,
    autolink_actors: Option<bool>,
    #[serde(default)]
    claim_types: Vec<RawClaimType>,
    paginate: Option<usize>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawClaimType {
    id: String,
    label: String,
    #[serde(default)]
    description: String,
}

/// What to do with raw HTML in Markdown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RawHtml {
    /// Shown as text (the default).
    #[default]
    Escape,
    /// Kept, then cleaned of scripts, event handlers and unsafe URLs.
    Sanitize,
    /// Kept as written: only for sites whose every author is trusted.
    Allow,
}

/// A base URL split into what links need.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseUrl {
    /// `https://example.org/reports/` (always ends in `/`).
    pub absolute: String,
    /// `/reports/` (always starts and ends in `/`).
    pub path: String,
}

impl BaseUrl {
    pub fn parse(text: &str) -> Result<BaseUrl, String> {
        let text = text.trim();
        let url = url::Url::parse(text).map_err(|e| match e {
            url::ParseError::RelativeUrlWithoutBase => format!("`{text}` is not an absolute http(s) URL"),
            url::ParseError::EmptyHost => format!("`{text}` has no host"),
            e => format!("`{text}` is not a valid URL: {e}"),
        })?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(format!("`{text}` is not an absolute http(s) URL"));
        }
        // The URL standard reads `https:///x` as `https://x/`; an author who wrote it forgot the host.
        let written_host = text.split_once("://").is_some_and(|(_, rest)| !rest.starts_with('/'));
        let Some(host) = url.host_str().filter(|h| !h.is_empty() && written_host) else {
            return Err(format!("`{text}` has no host"));
        };
        if url.query().is_some() || url.fragment().is_some() || text.contains(' ') {
            return Err(format!("`{text}` must not have a query, fragment or spaces"));
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(format!("`{text}` must not hold a user name or password: every page would show it"));
        }
        let mut path = url.path().to_string();
        if !path.ends_with('/') {
            path.push('/');
        }
        let port = url.port().map(|p| format!(":{p}")).unwrap_or_default();
        Ok(BaseUrl { absolute: format!("{}://{host}{port}{path}", url.scheme()), path })
    }
}

/// What the build uses.
#[derive(Debug, Clone)]
pub struct Config {
    pub title: String,
    pub description: String,
    pub base_url: BaseUrl,
    pub language: String,
    pub raw_html: RawHtml,
    pub autolink_actors: bool,
    /// Built-in types first, then the configured extras.
    pub claim_types: Vec<ClaimType>,
    /// Briefings per list page.
    pub paginate: usize,
}

impl Default for Config {
    fn default() -> Config {
        Config::resolve(RawConfig::default()).expect("defaults are valid")
    }
}

impl Config {
    /// Parses the text of `sitpress.yaml`. `path` is only used in diagnostics.
    pub fn parse(text: &str, path: &str) -> Result<Config, Vec<Diagnostic>> {
        let raw: RawConfig = if text.trim().is_empty() {
            RawConfig::default()
        } else {
            yaml::from_str(text, path, 1).map_err(|d| vec![d])?
        };
        let locator = crate::yaml::tree::Locator::new(text);
        let at = |segs: &[crate::yaml::tree::Seg<'_>]| {
            let (line, col) = locator.value(segs);
            Loc::new(path, line, col)
        };
        use crate::yaml::tree::Seg::{Index, Key};
        let mut errors = Vec::new();
        if let Some(url) = &raw.base_url
            && let Err(e) = BaseUrl::parse(url)
        {
            errors.push(
                Diagnostic::error(at(&[Key("base_url")]), format!("invalid `base_url`: {e}")).with_help(
                    "write an absolute URL such as `https://example.org/` or `https://example.org/reports/`",
                ),
            );
        }
        for (i, t) in raw.claim_types.iter().enumerate() {
            if !is_valid_id(&t.id) {
                errors.push(Diagnostic::error(
                    at(&[Key("claim_types"), Index(i), Key("id")]),
                    format!("invalid claim type id `{}`: ids are lowercase letters, digits and `-`", t.id),
                ));
            } else if BuiltinType::ALL.iter().any(|b| b.id() == t.id)
                || raw.claim_types[..i].iter().any(|o| o.id == t.id)
            {
                errors.push(
                    Diagnostic::error(
                        at(&[Key("claim_types"), Index(i), Key("id")]),
                        format!("claim type `{}` is defined twice", t.id),
                    )
                    .with_help("built-in types are report, statement, denial, assessment, assumption and forecast"),
                );
            }
        }
        if raw.paginate == Some(0) {
            errors.push(Diagnostic::error(at(&[Key("paginate")]), "`paginate` must be at least 1"));
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Config::resolve(raw).map_err(|e| vec![Diagnostic::error(Loc::new(path, 1, 1), e)])
    }

    /// Reads `<root>/sitpress.yaml` if it exists.
    pub fn load(root: &Path) -> anyhow::Result<Result<Config, Vec<Diagnostic>>> {
        let path = root.join(FILE_NAME);
        match std::fs::read(&path) {
            Ok(bytes) => match String::from_utf8(bytes) {
                Ok(text) => Ok(Config::parse(&text, FILE_NAME)),
                Err(e) => {
                    Ok(Err(vec![crate::diagnostic::not_utf8(FILE_NAME, e.as_bytes(), e.utf8_error().valid_up_to())]))
                }
            },
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Ok(Config::default())),
            Err(e) => Err(anyhow::anyhow!("failed to read `{}`: {e}", path.display())),
        }
    }

    fn resolve(raw: RawConfig) -> Result<Config, String> {
        let base_url = BaseUrl::parse(raw.base_url.as_deref().unwrap_or(DEFAULT_BASE_URL))?;
        let mut claim_types: Vec<ClaimType> = BuiltinType::ALL.into_iter().map(ClaimType::from).collect();
        claim_types.extend(raw.claim_types.into_iter().map(|t| ClaimType {
            id: t.id,
            label: t.label,
            description: t.description,
            builtin: None,
        }));
        Ok(Config {
            title: raw.title.unwrap_or_else(|| "Situation reports".to_string()),
            description: raw.description.unwrap_or_default(),
            base_url,
            language: raw.language.unwrap_or_else(|| "en".to_string()),
            raw_html: raw.raw_html.unwrap_or_default(),
            autolink_actors: raw.autolink_actors.unwrap_or(true),
            claim_types,
            paginate: raw.paginate.unwrap_or(50),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_url_keeps_its_path() {
        let b = BaseUrl::parse("https://example.org/reports").unwrap();
        assert_eq!(b.absolute, "https://example.org/reports/");
        assert_eq!(b.path, "/reports/");
        assert_eq!(BaseUrl::parse("http://x.org").unwrap().path, "/");
        assert!(BaseUrl::parse("example.org").is_err());
        assert!(BaseUrl::parse("ftp://example.org").is_err());
        assert!(BaseUrl::parse("https://user:pw@example.org/").is_err(), "credentials would be on every page");
        assert!(BaseUrl::parse("https:///reports/").is_err());
        assert_eq!(BaseUrl::parse("https://Example.org:8443/r").unwrap().absolute, "https://example.org:8443/r/");
    }

    #[test]
    fn defaults_and_errors() {
        let c = Config::parse("", "sitpress.yaml").unwrap();
        assert_eq!(c.claim_types.len(), 6);
        let errs = Config::parse("titel: x\n", "sitpress.yaml").unwrap_err();
        assert!(errs[0].message.contains("titel"), "{errs:?}");
        assert_eq!(errs[0].help.as_deref(), Some("did you mean `title`?"));
        let errs = Config::parse("claim_types:\n  - id: report\n    label: R\n", "sitpress.yaml").unwrap_err();
        assert_eq!(errs[0].loc.line, 2);
    }
}
