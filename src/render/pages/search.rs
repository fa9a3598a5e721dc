//! The search page (`/search/`). Its index, written beside it under `search-index/`, is
//! made from the model by `render::search`, not from views.

use crate::render::state::Renderer;
use crate::render::{Dest, Done, urls};

impl Renderer<'_> {
    pub(super) fn search_page(&self, dest: Dest) -> Done {
        self.page(dest, &urls::search(), "search.html", self.context(&urls::search(), "Search", "", "search"))
    }
}
