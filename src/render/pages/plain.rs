//! Plain pages: each page of `content/pages/` (`/<id>/`), and the page for a path that does
//! not exist (`404.html`, the one page whose links stay root-relative: a server shows it at
//! any depth).

use crate::render::cache::KeyHasher;
use crate::render::state::Renderer;
use crate::render::views::*;
use crate::render::{Dest, Done, urls};

impl Renderer<'_> {
    pub(super) fn plain_pages(&self, dest: Dest) -> Vec<Done> {
        let mut done = Vec::new();
        for p in &self.site.pages {
            let view = PageView {
                id: p.id.clone(),
                title: p.title.clone(),
                url: self.urls.link(&urls::page(&p.id)),
                content_html: self.simple_body(&p.body),
            };
            let mut ctx = self.context(&urls::page(&p.id), &p.title, "", "page");
            ctx.insert("page", view);
            done.push(self.page(dest, &urls::page(&p.id), "page.html", ctx));
        }
        done
    }

    /// Not found (written as `404.html`, not a folder).
    pub(super) fn not_found_page(&self, dest: Dest) -> Done {
        let ctx = self.context(&urls::not_found(), "Page not found", "", "404");
        let key = ctx.key.as_ref().map(KeyHasher::finish);
        dest.make(urls::not_found(), key, || {
            self.theme.render("404.html", &ctx.tera(&self.site_value)).map(String::into_bytes)
        })
    }
}
