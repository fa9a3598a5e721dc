//! Entry points for `cargo bench`: single pages rendered from views built once, so a
//! benchmark can time one page instead of the whole site. Not a stable API.

use super::state::{ClaimTexts, Renderer};
use super::templates::Theme;
use super::{Dest, PageCache, Sink};
use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::model::{ActorIx, BriefingIx, Site};

/// The shared views of a site, built once, ready to render single pages from.
pub struct Pages<'a>(Renderer<'a>);

impl<'a> Pages<'a> {
    pub fn new(site: &'a Site, config: &'a Config, theme: &'a Theme) -> Result<Pages<'a>, Vec<Diagnostic>> {
        let mut r = Renderer::new(site, config, theme, &ClaimTexts::new(site, None))?;
        let mut scratch = PageCache::default();
        r.render_bodies(None, &mut scratch);
        r.render_briefings(None, None, &mut scratch)?;
        Ok(Pages(r))
    }

    /// Renders briefing `b`'s claim fragments (card, row, forecast row) and its page, exactly as
    /// a build does; returns the page.
    pub fn briefing(&self, b: BriefingIx) -> Result<Vec<u8>, Diagnostic> {
        let dest = Dest { old: None, sink: Sink::Memory };
        let (_, page) = self.0.briefing_with_fragments(b, Some(dest), None)?;
        let page = page.expect("a page was asked for");
        page.result.map(|b| b.map(|b| b.to_vec()).unwrap_or_default())
    }

    /// Renders actor `a`'s dossier page, exactly as a build does (view, context, template).
    pub fn dossier(&self, a: ActorIx) -> Result<Vec<u8>, Diagnostic> {
        let dest = Dest { old: None, sink: Sink::Memory };
        self.0.dossier(dest, a).result.map(|b| b.map(|b| b.to_vec()).unwrap_or_default())
    }
}
