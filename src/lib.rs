//! sitpress: a static site generator for situation reports.
//!
//! The pipeline, one module per stage, data flowing one way:
//!
//! 1. [`config`] reads `sitpress.yaml` (raw, then resolved).
//! 2. [`content`] reads briefings, dossiers and pages, validates them against the content
//!    format and resolves every id into a [`model::Site`], collecting [`diagnostic`]s.
//! 3. [`model`] computes what the site knows: actors' briefings and claims (rolled up through
//!    `parent`), related actors, forecast status, the Brier score.
//! 4. [`render`] turns the model into pages in memory: Markdown, views, Tera templates, feeds,
//!    sitemap, `data.json`, `stix.json`.
//! 5. [`output`] syncs them into the output folder once everything succeeded, touching only
//!    the files whose bytes changed.
//!
//! [`build`] runs the stages; [`serve`] runs them again on every change, in memory; [`cli`]
//! is the only place that prints or picks an exit code.
//!
//! The binary needs [`cli`] alone. Every other module is private to the crate, so an item
//! nothing uses is reported as dead code; [`internals`] names what the integration tests and
//! the benchmarks reach inside.

mod build;
mod check;
pub mod cli;
mod config;
mod content;
mod diagnostic;
mod lsp;
mod model;
mod output;
mod render;
mod scaffold;
mod serve;
mod timings;
mod yaml;

/// What `tests/` and `benches/` use of the crate's insides, and nothing more. Not an API:
/// it changes with them.
#[doc(hidden)]
pub mod internals {
    pub use crate::build::{Options, RebuildCaches, Report, render_with};
    pub use crate::config::{Config, RawHtml};
    pub use crate::content::{dto, frontmatter, load, parse_file, relative};
    pub use crate::model::Site;
    pub use crate::model::mentions::{Matcher, actor_matcher};
    pub use crate::output::MARKER;
    pub use crate::render::{bench, markdown, search::stems, templates::Theme};
    pub use crate::serve::{HEADER_TIMEOUT, MAX_CONNECTIONS, MAX_EVENT_STREAMS, RELOAD_TAG};
    pub use crate::yaml::tree;
}
