//! The page cache: what a serve session keeps from one render to the next, so a rebuild
//! renders only what its change touched (pages, claim fragments, briefing bodies).

use super::RenderState;
use super::views::Fragment;
use serde::Serialize;
use std::collections::HashMap;
use std::hash::Hasher;
use std::sync::Arc;

/// Pages of an earlier build, reused when what their template would see is unchanged, so a
/// rebuild renders only the pages that depend on what changed. Correct by construction: a
/// page's key is a hash of its whole template context, its template and the theme (made by a
/// [`KeyHasher`]), not a list of dependencies kept by hand.
#[derive(Debug, Default)]
pub struct PageCache {
    pub(super) pages: HashMap<String, (u64, Arc<[u8]>)>,
    /// Claim cards and rows, keyed by a hash of their template name and claim view.
    pub(super) fragments: HashMap<u64, Fragment>,
    /// Rendered briefing bodies, keyed by a hash of everything the Markdown renderer sees.
    pub(super) bodies: HashMap<u64, Body>,
    /// Claim texts as inline HTML and as plain text, keyed by the text itself (all either
    /// depends on).
    pub(super) claim_texts: HashMap<String, (Arc<str>, Arc<str>)>,
    /// Pages rendered and reused by the last build.
    pub rendered: usize,
    pub reused: usize,
    /// The last build's shared views, for [`super::render_briefing`].
    pub(super) state: Option<RenderState>,
}

/// A briefing's body rendered: as its page shows it, and as plain text (for the search index),
/// both from one Markdown parse.
#[derive(Debug, Clone)]
pub(super) struct Body {
    pub(super) html: Arc<str>,
    pub(super) text: Arc<str>,
}

impl PageCache {
    /// Takes the last build's shared views, if that build kept them.
    pub fn take_state(&mut self) -> Option<RenderState> {
        self.state.take()
    }
}

/// The hasher behind every key: fast, and only ever compared within one process.
type Hasher64 = rustc_hash::FxHasher;

/// Makes cache keys: a serde `Serializer` that feeds a value into a hash instead of writing it
/// out, in the value's compact form.
///
/// Keys hash what a page's template would see, but not always as it sees it: a
/// [`Fragment`](super::views::Fragment) (a claim card a page lists) stands for its key, the
/// hash of the view it was rendered from, so a page key costs 8 bytes per card instead of its
/// HTML; an [`ActorRef`](super::views::ActorRef) hashes its fields in their fixed order (its
/// Tera value is a map whose order is not fixed); a [`PageClaim`](super::views::PageClaim)
/// hashes its view's key (the view hashed once a render), however the page gets the view's
/// Tera value. Those types give their
/// compact form to a serializer that is not human-readable (serde's own switch between two
/// forms of one value, `Serializer::is_human_readable`), and this is the only such serializer
/// their values ever meet: templates, `data.json` and JSON-LD all read the human-readable form.
///
/// The encoding is unambiguous (strings and sequences carry their length or an end mark,
/// options and variants a tag), so two values hash alike only when they are alike.
#[derive(Default, Clone)]
pub(super) struct KeyHasher(Hasher64);

impl KeyHasher {
    /// Adds `value`, in its compact form.
    pub(super) fn add<T: Serialize + ?Sized>(&mut self, value: &T) {
        // Hashing cannot fail: `Unkeyable` is never returned.
        let _ = value.serialize(&mut *self);
    }

    /// Adds a key made before (a fragment's, the site's).
    pub(super) fn add_key(&mut self, key: u64) {
        self.0.write_u64(key);
    }

    pub(super) fn finish(&self) -> u64 {
        self.0.finish()
    }
}

/// The key of one value (see [`KeyHasher`]).
pub(super) fn key_of<T: Serialize + ?Sized>(value: &T) -> u64 {
    let mut h = KeyHasher::default();
    h.add(value);
    h.finish()
}

/// Marks written between the parts of a value, so that different shapes hash differently.
const NONE: u8 = 0;
const SOME: u8 = 1;
const UNIT: u8 = 2;
const VARIANT: u8 = 3;
const OPEN: u8 = 4;
const CLOSE: u8 = 5;

/// The error a [`KeyHasher`] would return; it never does, but serde asks for one.
#[derive(Debug)]
pub(super) struct Unkeyable;

impl std::fmt::Display for Unkeyable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("value cannot be hashed")
    }
}

impl std::error::Error for Unkeyable {}

impl serde::ser::Error for Unkeyable {
    fn custom<T: std::fmt::Display>(_: T) -> Unkeyable {
        Unkeyable
    }
}

impl KeyHasher {
    fn bytes(&mut self, b: &[u8]) {
        self.0.write_usize(b.len());
        self.0.write(b);
    }

    fn variant(&mut self, index: u32) {
        self.0.write_u8(VARIANT);
        self.0.write_u32(index);
    }
}

impl serde::Serializer for &mut KeyHasher {
    type Ok = ();
    type Error = Unkeyable;
    type SerializeSeq = Self;
    type SerializeTuple = Self;
    type SerializeTupleStruct = Self;
    type SerializeTupleVariant = Self;
    type SerializeMap = Self;
    type SerializeStruct = Self;
    type SerializeStructVariant = Self;

    /// The one thing that sets this serializer apart: see [`KeyHasher`].
    fn is_human_readable(&self) -> bool {
        false
    }

    fn serialize_bool(self, v: bool) -> Result<(), Unkeyable> {
        self.0.write_u8(v.into());
        Ok(())
    }
    fn serialize_i8(self, v: i8) -> Result<(), Unkeyable> {
        self.serialize_i64(v.into())
    }
    fn serialize_i16(self, v: i16) -> Result<(), Unkeyable> {
        self.serialize_i64(v.into())
    }
    fn serialize_i32(self, v: i32) -> Result<(), Unkeyable> {
        self.serialize_i64(v.into())
    }
    fn serialize_i64(self, v: i64) -> Result<(), Unkeyable> {
        self.0.write_i64(v);
        Ok(())
    }
    fn serialize_i128(self, v: i128) -> Result<(), Unkeyable> {
        self.0.write_i128(v);
        Ok(())
    }
    fn serialize_u8(self, v: u8) -> Result<(), Unkeyable> {
        self.serialize_u64(v.into())
    }
    fn serialize_u16(self, v: u16) -> Result<(), Unkeyable> {
        self.serialize_u64(v.into())
    }
    fn serialize_u32(self, v: u32) -> Result<(), Unkeyable> {
        self.serialize_u64(v.into())
    }
    fn serialize_u64(self, v: u64) -> Result<(), Unkeyable> {
        self.0.write_u64(v);
        Ok(())
    }
    fn serialize_u128(self, v: u128) -> Result<(), Unkeyable> {
        self.0.write_u128(v);
        Ok(())
    }
    fn serialize_f32(self, v: f32) -> Result<(), Unkeyable> {
        self.serialize_f64(v.into())
    }
    fn serialize_f64(self, v: f64) -> Result<(), Unkeyable> {
        self.0.write_u64(v.to_bits());
        Ok(())
    }
    fn serialize_char(self, v: char) -> Result<(), Unkeyable> {
        self.0.write_u32(v.into());
        Ok(())
    }
    fn serialize_str(self, v: &str) -> Result<(), Unkeyable> {
        self.bytes(v.as_bytes());
        Ok(())
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<(), Unkeyable> {
        self.bytes(v);
        Ok(())
    }
    fn serialize_none(self) -> Result<(), Unkeyable> {
        self.0.write_u8(NONE);
        Ok(())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Unkeyable> {
        self.0.write_u8(SOME);
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), Unkeyable> {
        self.0.write_u8(UNIT);
        Ok(())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), Unkeyable> {
        self.serialize_unit()
    }
    fn serialize_unit_variant(self, _: &'static str, index: u32, _: &'static str) -> Result<(), Unkeyable> {
        self.variant(index);
        Ok(())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _: &'static str, value: &T) -> Result<(), Unkeyable> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        index: u32,
        _: &'static str,
        value: &T,
    ) -> Result<(), Unkeyable> {
        self.variant(index);
        value.serialize(self)
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self, Unkeyable> {
        self.0.write_u8(OPEN);
        Ok(self)
    }
    fn serialize_tuple(self, len: usize) -> Result<Self, Unkeyable> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _: &'static str, len: usize) -> Result<Self, Unkeyable> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        index: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self, Unkeyable> {
        self.variant(index);
        self.serialize_seq(None)
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self, Unkeyable> {
        self.serialize_seq(None)
    }
    fn serialize_struct(self, _: &'static str, len: usize) -> Result<Self, Unkeyable> {
        self.serialize_seq(Some(len))
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        index: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self, Unkeyable> {
        self.variant(index);
        self.serialize_seq(None)
    }
}

/// Elements of sequences, tuples and maps, closed by an end mark.
macro_rules! compound {
    ($($trait:ident { $($method:ident),* }),*) => {$(
        impl serde::ser::$trait for &mut KeyHasher {
            type Ok = ();
            type Error = Unkeyable;
            $(fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Unkeyable> {
                value.serialize(&mut **self)
            })*
            fn end(self) -> Result<(), Unkeyable> {
                self.0.write_u8(CLOSE);
                Ok(())
            }
        }
    )*};
}

compound!(
    SerializeSeq { serialize_element },
    SerializeTuple { serialize_element },
    SerializeTupleStruct { serialize_field },
    SerializeTupleVariant { serialize_field },
    SerializeMap { serialize_key, serialize_value }
);

/// Fields of structs, by name (a field left out when empty must not let the next one pass for
/// it), closed by an end mark.
macro_rules! fields {
    ($($trait:ident),*) => {$(
        impl serde::ser::$trait for &mut KeyHasher {
            type Ok = ();
            type Error = Unkeyable;
            fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result<(), Unkeyable> {
                self.bytes(key.as_bytes());
                value.serialize(&mut **self)
            }
            fn end(self) -> Result<(), Unkeyable> {
                self.0.write_u8(CLOSE);
                Ok(())
            }
        }
    )*};
}

fields!(SerializeStruct, SerializeStructVariant);

#[cfg(test)]
mod tests {
    use super::key_of;
    use crate::render::views::{ActorCard, ActorRef, Fragment};

    fn actor(name: &str) -> ActorRef {
        ActorRef::new("kim".into(), name.into(), "person".into(), "/actors/kim/".into())
    }

    #[test]
    fn a_fragment_keys_as_its_key_and_renders_as_its_html() {
        let (a, b) = (Fragment::new("<li>one</li>", 1), Fragment::new("<li>two</li>", 1));
        assert_eq!(key_of(&a), key_of(&b), "the key, not the HTML, stands for a fragment");
        assert_ne!(key_of(&a), key_of(&Fragment::new("<li>one</li>", 2)));
        let value = tera::Value::from_serializable(&a);
        assert_eq!(value.as_str(), Some("<li>one</li>"), "templates see the HTML");
    }

    #[test]
    fn an_actor_keys_by_its_fields() {
        assert_eq!(key_of(&actor("Kim")), key_of(&actor("Kim")), "two references to alike actors");
        assert_ne!(key_of(&actor("Kim")), key_of(&actor("Kim Jong Un")));
        let value = tera::Value::from_serializable(&actor("Kim"));
        assert_eq!(value.get_from_path("name").and_then(|v| v.as_str().map(str::to_owned)).as_deref(), Some("Kim"));
    }

    /// Each actor reference carries its own Tera value, a map in no fixed order: a key that
    /// read it (as it would through `#[serde(flatten)]`) would differ from build to build.
    #[test]
    fn an_actor_card_keys_alike_in_every_build() {
        let card = || ActorCard {
            actor: actor("Kim"),
            kind_label: "Person".into(),
            parent: Some(actor("Kim")),
            briefing_count: 1,
            claim_count: 2,
        };
        let first = key_of(&card());
        assert!((0..20).all(|_| key_of(&card()) == first));
    }

    #[test]
    fn different_shapes_key_differently() {
        assert_ne!(key_of(&("ab", "c")), key_of(&("a", "bc")));
        assert_ne!(key_of(&(vec!["a"], vec!["b"])), key_of(&(vec!["a", "b"], Vec::<&str>::new())));
        assert_ne!(key_of(&Some(0u64)), key_of(&None::<u64>));
        assert_eq!(key_of(&("a", 1u64)), key_of(&("a", 1u64)));
    }
}
