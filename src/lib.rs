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

pub mod build;
pub mod check;
pub mod cli;
pub mod config;
pub mod content;
pub mod diagnostic;
pub mod model;
pub mod output;
pub mod render;
pub mod scaffold;
pub mod serve;
pub mod timings;
pub mod yaml;
