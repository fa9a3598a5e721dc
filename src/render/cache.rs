//! The page cache: what a serve session keeps from one render to the next, so a rebuild
//! renders only what its change touched (pages, claim fragments, briefing bodies).

use super::State;
use super::views::Fragment;
use std::collections::HashMap;
use std::hash::Hasher;
use std::sync::Arc;

/// Pages of an earlier build, reused when what their template would see is unchanged, so a
/// rebuild renders only the pages that depend on what changed. Correct by construction: the
/// key is a hash of the page's whole template context (and of the theme), not a list of
/// dependencies kept by hand.
#[derive(Debug, Default)]
pub struct Cache {
    pub(super) pages: HashMap<String, (u64, Arc<[u8]>)>,
    /// Claim cards and rows, keyed by a hash of their template name and claim view.
    pub(super) fragments: HashMap<u64, Fragment>,
    /// Rendered briefing bodies, keyed by a hash of everything the Markdown renderer sees.
    pub(super) bodies: HashMap<u64, String>,
    /// Pages rendered and reused by the last build.
    pub rendered: usize,
    pub reused: usize,
    /// The last build's shared views, for [`super::render_briefing`].
    pub(super) state: Option<State>,
}

impl Cache {
    /// Takes the last build's shared views, if that build kept them.
    pub fn take_state(&mut self) -> Option<State> {
        self.state.take()
    }
}

/// The page-cache hasher: fast, and only ever compared within one process.
pub(super) type Hasher64 = rustc_hash::FxHasher;

/// Feeds serialized bytes into a hasher.
pub(super) struct HashWriter<'a>(pub(super) &'a mut Hasher64);

impl std::io::Write for HashWriter<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.write(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

pub(super) fn hash_of<T: serde::Serialize + ?Sized>(value: &T) -> u64 {
    let mut h = Hasher64::default();
    super::views::hashing(|| serde_json::to_writer(HashWriter(&mut h), value)).ok();
    h.finish()
}
