//! One page: its template context (with, when caching, its key), and its rendering through
//! the theme into a buffer each thread keeps, links made relative on the way out.

use super::cache::KeyHasher;
use super::state::Renderer;
use super::views::*;
use super::{Dest, Done, jsonld, urls};
use std::sync::Arc;

thread_local! {
    /// The buffer each thread renders pages into, kept from page to page.
    static PAGE_BUFFER: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// A template context, and (when caching) the page's key: a running hash of everything put
/// into it, in its compact form (see [`KeyHasher`]).
///
/// The Tera context itself is built only when the page is rendered: a page reused from the
/// cache costs its key, not a second copy of its data.
pub(super) struct PageCtx<'a> {
    pub(super) items: Vec<(&'static str, ContextEntry<'a>)>,
    pub(super) key: Option<KeyHasher>,
    /// The page's JSON-LD, made only if the page is rendered (not reused): it is a function of
    /// the site view and of values already in the context, so it adds nothing to the key.
    pub(super) json_ld: Option<DeferredLd<'a>>,
}

/// What a page's JSON-LD is made from when it is needed.
pub(super) struct DeferredLd<'a> {
    title: String,
    description: String,
    canonical_url: String,
    section: &'static str,
    make: MakeLd<'a>,
}

type MakeLd<'a> = Box<dyn FnOnce(&SiteView, &jsonld::Meta) -> String + 'a>;

/// A context entry: a view serialized at render time, or a Tera value made beforehand.
pub(super) enum ContextEntry<'a> {
    View(Box<dyn ToTera + Sync + 'a>),
    Value(tera::Value),
}

impl<'a> PageCtx<'a> {
    pub(super) fn insert<T: serde::Serialize + Sync + 'a>(&mut self, key: &'static str, value: T) {
        if let Some(h) = &mut self.key {
            h.add(key);
            h.add(&value);
        }
        self.items.push((key, ContextEntry::View(Box::new(value))));
    }

    /// Inserts a list of rendered fragments without copying their HTML; the page key sees
    /// their keys.
    pub(super) fn insert_fragments<'f>(&mut self, key: &'static str, fragments: impl Iterator<Item = &'f Fragment>) {
        let mut values = Vec::new();
        for f in fragments {
            if let Some(h) = &mut self.key {
                h.add_key(f.key);
            }
            values.push(f.html.clone());
        }
        if let Some(h) = &mut self.key {
            h.add(key);
            h.add(&values.len());
        }
        self.items.push((key, ContextEntry::Value(tera::Value::from(values))));
    }

    /// The Tera context; `site` is the site view, converted once per build.
    pub(super) fn tera(&self, site: &tera::Value) -> tera::Context {
        let mut ctx = tera::Context::new();
        ctx.insert_value("site", site.clone());
        for (key, item) in &self.items {
            let value = match item {
                ContextEntry::View(v) => v.to_tera(),
                ContextEntry::Value(v) => v.clone(),
            };
            ctx.insert_value(*key, value);
        }
        ctx
    }
}

/// A view of any type, turned into a Tera value when (and only when) the page is rendered.
pub(super) trait ToTera {
    fn to_tera(&self) -> tera::Value;
}

impl<T: serde::Serialize> ToTera for T {
    fn to_tera(&self) -> tera::Value {
        // Views are plain data (strings, numbers, lists, maps): they always serialize.
        tera::Value::try_from_serializable(self).unwrap_or(tera::Value::none())
    }
}

impl Renderer<'_> {
    pub(super) fn context<'c>(
        &self,
        site_path: &str,
        title: &str,
        description: &str,
        section: &'static str,
    ) -> PageCtx<'c> {
        self.context_about(site_path, title, description, section, jsonld::Subject::Page)
    }

    /// A page's context, with JSON-LD that describes `subject`.
    pub(super) fn context_about<'c>(
        &self,
        site_path: &str,
        title: &str,
        description: &str,
        section: &'static str,
        subject: jsonld::Subject,
    ) -> PageCtx<'c> {
        let key = self.caching.then(|| {
            let mut h = KeyHasher::default();
            h.add_key(self.site_key);
            h
        });
        // The site view is the same on every page: hashed once, in `site_key`, and added to
        // the Tera context at render time.
        let mut ctx = PageCtx { items: Vec::new(), key, json_ld: None };
        let description = if description.is_empty() { self.config.description.as_str() } else { description };
        ctx.insert("title", title.to_string());
        ctx.insert("description", description.to_string());
        ctx.insert("page_url", self.urls.link(site_path));
        let canonical_url = self.urls.absolute(site_path);
        if !matches!(subject, jsonld::Subject::Deferred) {
            let meta = jsonld::Meta { canonical_url: &canonical_url, title, description, section };
            ctx.insert("json_ld", jsonld::page(&self.site_view, &meta, subject));
        }
        ctx.insert("canonical_url", canonical_url);
        ctx.insert("section", section);
        ctx.insert("feed", None::<String>);
        ctx
    }

    /// [`Renderer::context_about`] for a page whose JSON-LD is about `view` (a briefing, a
    /// dossier): the JSON-LD is made only if the page is rendered rather than reused.
    pub(super) fn context_deferred<'c, T: serde::Serialize + Sync + Send + 'c>(
        &self,
        site_path: &str,
        title: &str,
        description: &str,
        section: &'static str,
        view: &Arc<T>,
        subject: impl for<'v> FnOnce(&'v T) -> jsonld::Subject<'v> + 'c,
    ) -> PageCtx<'c> {
        let mut ctx = self.context_about(site_path, title, description, section, jsonld::Subject::Deferred);
        let description = if description.is_empty() { self.config.description.as_str() } else { description };
        let view = Arc::clone(view);
        ctx.json_ld = Some(DeferredLd {
            title: title.to_string(),
            description: description.to_string(),
            canonical_url: self.urls.absolute(site_path),
            section,
            make: Box::new(move |site, meta| jsonld::page(site, meta, subject(&view))),
        });
        ctx
    }

    /// Renders one HTML page (or reuses it): its key is the hash of its context and template.
    pub(super) fn page(&self, dest: Dest, site_path: &str, template: &'static str, mut ctx: PageCtx) -> Done {
        let key = ctx.key.take().map(|mut h| {
            h.add(template);
            h.finish()
        });
        let done = dest.make(urls::output_file(site_path), key, || {
            if let Some(ld) = ctx.json_ld.take() {
                let meta = jsonld::Meta {
                    canonical_url: &ld.canonical_url,
                    title: &ld.title,
                    description: &ld.description,
                    section: ld.section,
                };
                let text = (ld.make)(&self.site_view, &meta);
                ctx.items.push(("json_ld", ContextEntry::Value(tera::Value::from(text))));
            }
            // A page is rendered into a buffer of its thread's, kept from page to page, and
            // copied out once with its links made relative.
            PAGE_BUFFER.with_borrow_mut(|html| {
                html.clear();
                self.theme.render_to(template, &ctx.tera(&self.site_value), html)?;
                Ok(urls::relativize(html, self.urls.root(), site_path))
            })
        });
        self.progress.page_done();
        done
    }

    pub(super) fn pagination(&self, page: usize, total: usize, path: impl Fn(usize) -> String) -> PaginationView {
        PaginationView {
            current: page,
            total,
            prev_url: (page > 1).then(|| self.urls.link(&path(page - 1))),
            next_url: (page < total).then(|| self.urls.link(&path(page + 1))),
        }
    }
}

/// One job per page of each list, `per` items a page (an empty list still has its page 1):
/// (list index, page, pages of that list).
pub(super) fn page_jobs<T>(lists: &[Vec<T>], per: usize) -> Vec<(usize, usize, usize)> {
    lists
        .iter()
        .enumerate()
        .flat_map(|(i, list)| {
            let total = list.len().div_ceil(per).max(1);
            (1..=total).map(move |page| (i, page, total))
        })
        .collect()
}
