//! The actor graph page (`/graph/`): which actors appear together in briefings, and how
//! their dossiers relate them. What it draws is decided in `render::graph`.

use crate::render::state::Renderer;
use crate::render::{Dest, Done, graph, urls};

const GRAPH_DESCRIPTION: &str = "Which actors appear together in briefings, and how their dossiers relate them.";

impl Renderer<'_> {
    pub(super) fn graph_page(&self, dest: Dest) -> Done {
        let site = self.site;
        let mut ctx = self.context(&urls::graph(), "Actor network", GRAPH_DESCRIPTION, "graph");
        ctx.insert("graph_page", graph::site_page(site, &self.actor_refs, &self.typed));
        self.page(dest, &urls::graph(), "graph.html", ctx)
    }
}
