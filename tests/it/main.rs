//! Integration tests: the real binary on fixture sites. One test binary, one module per area.

mod support;

mod build;
mod check;
mod data;
mod graph;
mod invalid;
mod props;
mod safety;
mod serve;
mod theme;
mod tidy;
