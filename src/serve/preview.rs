//! The preview of a body-only edit: serve's last good build, kept to show an edited briefing
//! at once. When only a briefing's Markdown body changed, its page is rendered again from that
//! build's model and views (`render::render_briefing`), in milliseconds, while the whole site
//! is rebuilt behind it; the rebuild always follows and wins.

use crate::build::{LoadedSite, RenderSource};
use crate::content;
use crate::model::BriefingIx;
use crate::render;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A serve session's last good build, ready to render one briefing's page again.
pub(super) struct Preview {
    loaded: LoadedSite,
    /// The views every page of that build shared; taken while a page renders, and given back.
    state: Option<render::RenderState>,
    /// The `content/` folder.
    content: PathBuf,
    /// Each briefing's file (as the watcher names it): its front matter as parsed, its index.
    briefings: HashMap<PathBuf, (Arc<content::Parsed<content::dto::BriefingFm>>, BriefingIx)>,
}

impl Preview {
    /// The preview of the build rendered from `source`, whose files `files` parsed.
    pub(super) fn new(root: &Path, source: RenderSource, files: &content::Cache) -> Preview {
        let RenderSource { loaded, state } = source;
        let index: HashMap<&str, BriefingIx> =
            loaded.site.briefings.iter().enumerate().map(|(b, br)| (br.path.as_str(), b)).collect();
        let briefings = files
            .briefings()
            .filter_map(|(path, parsed)| Some((path.clone(), (parsed.clone(), *index.get(parsed.path.as_str())?))))
            .collect();
        Preview { loaded, state: Some(state), content: root.join("content"), briefings }
    }

    /// The pages to show now for the files `changed`, as (output path, bytes): `None` unless
    /// every one is a briefing of this build whose front matter is byte for byte the same and
    /// whose body links to nothing new, so that the new body is all that differs.
    pub(super) fn pages(&mut self, changed: &[PathBuf]) -> Option<Vec<render::OutputFile>> {
        let mut bodies = Vec::new();
        for path in changed {
            let Some((parsed, b)) = self.briefings.get(path) else {
                // A scratch file an editor made and removed again (vim's `4913`) is no change.
                if path.starts_with(&self.content) && !path.exists() && path.extension().is_none_or(|e| e != "md") {
                    continue;
                }
                return None;
            };
            let text = std::fs::read_to_string(path).ok()?;
            let split = content::frontmatter::split(&text).ok()?;
            let old = &self.loaded.site.briefings[*b].links;
            if split.yaml != parsed.yaml
                || split.body_line != parsed.body_line
                || !content::links_within(split.body, old)
            {
                return None;
            }
            bodies.push((*b, split.body.to_string()));
        }
        let LoadedSite { site, config, theme } = &self.loaded;
        let mut pages = Vec::new();
        for (b, body) in bodies {
            let (state, page) = render::render_briefing(site, config, theme, self.state.take()?, b, &body);
            self.state = Some(state);
            pages.push(page.ok()?);
        }
        Some(pages)
    }
}
