//! What `sitpress check` adds to reading the site: the lints (`lints.rs`: what is valid but
//! weakens a briefing, each with a stable name) and the policy that makes some of them fail
//! the run (`--strict`, `--deny NAME`), for `check` and `build` alike.
//!
//! The pipeline calls [`lint`] once the content loads without errors and [`dangling_links`]
//! once every page path is known, then [`Policy::apply`]. `check` renders through a sink that
//! keeps only paths (`build::check`), so it needs no more memory than a build.

mod lints;

pub use lints::{LINTS, MentionCache, dangling_links, lint};

use crate::diagnostic::{Diagnostic, Severity, did_you_mean};

/// Which lint warnings fail the run: all of them (`--strict`) or those named (`--deny`).
#[derive(Debug, Clone, Default)]
pub struct Policy {
    strict: bool,
    deny: Vec<String>,
}

/// A `--deny` naming no lint.
#[derive(Debug, thiserror::Error)]
#[error("unknown lint `{name}` in --deny; {hint}")]
pub struct UnknownLint {
    name: String,
    hint: String,
}

impl Policy {
    /// The policy of `--strict` and each `--deny NAME`; a name that is no lint is refused with
    /// the nearest one, or the list.
    pub fn new(strict: bool, deny: Vec<String>) -> Result<Policy, UnknownLint> {
        let known = || LINTS.iter().map(|(n, _)| *n);
        if let Some(name) = deny.iter().find(|name| !known().any(|k| k == name.as_str())) {
            let hint = match did_you_mean(name, known()) {
                Some(s) => format!("did you mean `{s}`?"),
                None => format!("lints: {}", known().collect::<Vec<_>>().join(", ")),
            };
            return Err(UnknownLint { name: name.clone(), hint });
        }
        Ok(Policy { strict, deny })
    }

    /// Makes the warnings of the lints this policy fails on errors.
    pub fn apply(&self, diagnostics: &mut [Diagnostic]) {
        for d in diagnostics {
            if let Some(lint) = d.lint
                && (self.strict || self.deny.iter().any(|x| x == lint))
            {
                d.severity = Severity::Error;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Loc;

    fn warning(lint: &'static str) -> Diagnostic {
        let mut d = Diagnostic::warning(Loc::new("a.md", 1, 1), "x");
        d.lint = Some(lint);
        d
    }

    #[test]
    fn deny_fails_only_the_named_lint_and_strict_fails_all() {
        let mut ds = vec![warning("missing-summary"), warning("empty-body")];
        Policy::new(false, vec!["empty-body".into()]).unwrap().apply(&mut ds);
        assert_eq!([ds[0].is_error(), ds[1].is_error()], [false, true]);
        let mut ds = vec![warning("missing-summary"), warning("empty-body")];
        Policy::new(true, Vec::new()).unwrap().apply(&mut ds);
        assert!(ds.iter().all(Diagnostic::is_error));
        let mut ds = vec![warning("missing-summary")];
        Policy::default().apply(&mut ds);
        assert!(!ds[0].is_error());
    }

    #[test]
    fn an_unknown_lint_is_refused_with_the_nearest_name() {
        let e = Policy::new(false, vec!["empty-bodies".into()]).unwrap_err().to_string();
        assert_eq!(e, "unknown lint `empty-bodies` in --deny; did you mean `empty-body`?");
        let e = Policy::new(false, vec!["zzzzzzzz".into()]).unwrap_err().to_string();
        assert!(e.starts_with("unknown lint `zzzzzzzz` in --deny; lints: missing-summary, "), "{e}");
    }
}
