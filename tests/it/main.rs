//! Integration tests: the real binary on fixture sites. One test binary, one module per area.

mod support;

mod analysis;
mod build;
mod check;
mod data;
mod graph;
mod incremental;
mod invalid;
mod judgments;
mod lsp;
mod output;
mod props;
mod safety;
mod search;
mod serve;
mod stix;
mod tags;
mod theme;
mod tidy;
