//! Reading JSON by hand, field by field: the b+s objects and requests, and
//! the answers of the backends that the widget reads (ServiceNow, openframe,
//! Tenios).
//!
//! Every b+s object keeps the fields the spec does not list (`extra`), which
//! serde can only do with `#[serde(flatten)]`: the derive then buffers each
//! object in its private `Content` and instantiates every field's reader
//! twice, and `serde_path_to_error` wraps all of it again to name the field
//! in an error. In the widget's wasm that was about 20 KB gzipped. Here an
//! object is read into a JSON map once ([`Record`]), each field is taken out
//! by name with the same lenient rules as the serde helpers in
//! [`wire`](crate::bs::wire), and what is left is `extra`. An error carries the
//! path of the field it is about and reads exactly as `serde_path_to_error`
//! writes it: `queueData[0].statistics.callsInQueue: invalid value: …`.
//!
//! The backends' answers are read the same way, for size: the widget parses
//! every body into a JSON value, which it needs for the events anyway, rather
//! than compile serde_json's reader once more for each answer type. Their
//! fields follow serde's derive exactly (unknown fields ignored, `null` an
//! error where the field is not optional), and the leaves (a date, a
//! duration) by hand too, in the words of their serde impls. The readers of
//! text, numbers, lists, maps and pairs are in `builtin.rs`. A JSON value is
//! [`crate::json::Value`], and a [`ReadError`] is a serde error, worded as
//! serde_json words its own.
//!
//! The types keep a `Deserialize` impl ([`deserialize`]) so that the server
//! and the tests read them from text as before, through the same code. From
//! text, [`crate::parse::read`] names the field of an error in
//! [`ParseError::path`]; through `Deserialize` the path is part of the message.

use chrono::{DateTime, Utc};
use serde::de::{self, Deserialize, Deserializer, Unexpected, Visitor};

use crate::bs::wire::{self, ExtraFields};
use crate::json::{Map, Value};

mod builtin;
mod error;
mod fields;

pub use error::ReadError;
pub(crate) use error::invalid_type;
pub use fields::Fields;

/// A type read from JSON by hand (a b+s object, a backend's answer, a list
/// of them, a word of a spec): see the module documentation.
pub trait FromJson: Sized {
    /// Reads `value`, naming the offending field on error.
    fn from_json(value: Value) -> Result<Self, ReadError>;
}

/// The fields of one JSON object, taken out one by one as its type reads them.
#[derive(Debug)]
pub struct Record {
    fields: Map,
}

impl Record {
    /// The object `value`; anything else is an error that names `expected`
    /// (`struct Workitem`, as serde's derive words it).
    pub fn new(value: Value, expected: &str) -> Result<Self, ReadError> {
        match value {
            Value::Object(fields) => Ok(Self::of(fields)),
            other => Err(invalid_type(&other, expected)),
        }
    }

    /// The fields of `object`.
    pub fn of(object: Map) -> Self {
        Self { fields: object }
    }

    /// No fields (what [`Fields::extra`] leaves).
    fn empty() -> Self {
        Self { fields: Map::new() }
    }

    /// Takes field `key` out, if present. Not inlined: the readers of each
    /// type share it (the wasm is smaller).
    #[inline(never)]
    fn take(&mut self, key: &str) -> Option<Value> {
        self.fields.remove(key)
    }

    /// Takes field `key` out, if present and not `null`. Not inlined, as
    /// [`Record::take`].
    #[inline(never)]
    fn take_present(&mut self, key: &str) -> Option<Value> {
        self.take(key).filter(|value| !value.is_null())
    }

    /// Reads field `key` with `read`, the error naming the field; `None` when absent.
    pub fn read<T>(
        &mut self,
        key: &'static str,
        read: impl FnOnce(Value) -> Result<T, ReadError>,
    ) -> Result<Option<T>, ReadError> {
        // Matched rather than through `map` and `transpose`, as the readers
        // below are: the value is then moved once (the wasm is smaller).
        match self.take(key) {
            None => Ok(None),
            Some(value) => match read(value) {
                Ok(value) => Ok(Some(value)),
                Err(error) => Err(error.at_field(key)),
            },
        }
    }

    /// An optional field: absent or `null` is `None`.
    pub fn optional<T: FromJson>(&mut self, key: &'static str) -> Result<Option<T>, ReadError> {
        // Matched here rather than through `read` and `flatten`: a large `T`
        // is then moved once, not through each of those layers (the same
        // for the readers below; the wasm is smaller).
        match self.take(key) {
            None | Some(Value::Null) => Ok(None),
            Some(value) => match T::from_json(value) {
                Ok(value) => Ok(Some(value)),
                Err(error) => Err(error.at_field(key)),
            },
        }
    }

    /// A field that is `default` when absent (`null` is read as a value, as serde does).
    pub fn or<T: FromJson>(&mut self, key: &'static str, default: T) -> Result<T, ReadError> {
        match self.take(key) {
            None => Ok(default),
            Some(value) => match T::from_json(value) {
                Ok(value) => Ok(value),
                Err(error) => Err(error.at_field(key)),
            },
        }
    }

    /// A field with its type's default when absent ([`Record::or`]).
    pub fn or_default<T: FromJson + Default>(&mut self, key: &'static str) -> Result<T, ReadError> {
        self.or(key, T::default())
    }

    /// A field that must be present.
    pub fn required<T: FromJson>(&mut self, key: &'static str) -> Result<T, ReadError> {
        self.required_with(key, T::from_json)
    }

    /// A field that must be present, read with `read`.
    pub fn required_with<T>(
        &mut self,
        key: &'static str,
        read: impl FnOnce(Value) -> Result<T, ReadError>,
    ) -> Result<T, ReadError> {
        match self.take(key) {
            None => Err(missing(key)),
            Some(value) => match read(value) {
                Ok(value) => Ok(value),
                Err(error) => Err(error.at_field(key)),
            },
        }
    }

    /// Text that may come as a number or a boolean; absent or `null` is `None`.
    pub fn lenient_text(&mut self, key: &'static str) -> Result<Option<String>, ReadError> {
        self.read(key, wire::text_of).map(Option::flatten)
    }

    /// Text that may come as a number or a boolean, but not as `null`; absent is `None`.
    pub fn text(&mut self, key: &'static str) -> Result<Option<String>, ReadError> {
        self.read(key, |value| {
            wire::text_of(value)?.ok_or_else(wire::null_for_text)
        })
    }

    /// Text that may come as a number or a boolean, but not as `null`; absent is empty.
    pub fn text_or_empty(&mut self, key: &'static str) -> Result<String, ReadError> {
        self.text(key).map(Option::unwrap_or_default)
    }

    /// Text that must be present ([`Record::text`]).
    pub fn required_text(&mut self, key: &'static str) -> Result<String, ReadError> {
        self.text(key)?.ok_or_else(|| missing(key))
    }

    /// A count that may come as numeric text; absent or `null` is `None`.
    pub fn count(&mut self, key: &'static str) -> Result<Option<u64>, ReadError> {
        self.read(key, wire::count_of).map(Option::flatten)
    }

    /// A timestamp (ISO 8601 or epoch milliseconds); absent or `null` is `None`.
    pub fn timestamp(&mut self, key: &'static str) -> Result<Option<DateTime<Utc>>, ReadError> {
        self.read(key, wire::timestamp_of).map(Option::flatten)
    }

    /// The fields not taken: the type's `extra`, without the event tag.
    pub fn extra(mut self) -> ExtraFields {
        self.fields.remove("event");
        self.fields
    }
}

/// serde's error for a field that must be present.
fn missing(key: &'static str) -> ReadError {
    de::Error::missing_field(key)
}

/// Reads a leaf with a serde visitor of its own (a date, a duration) from
/// `value` as serde_json's value hands itself to a visitor: a list or an
/// object is of the wrong type, as for any visitor that reads neither.
pub(crate) fn read_leaf<'de, V: Visitor<'de>>(
    value: Value,
    visitor: V,
) -> Result<V::Value, ReadError> {
    match value {
        Value::Null => visitor.visit_unit(),
        Value::Bool(flag) => visitor.visit_bool(flag),
        Value::Number(number) => match (number.as_u64(), number.as_i64(), number.as_f64()) {
            (Some(whole), _, _) => visitor.visit_u64(whole),
            (None, Some(whole), _) => visitor.visit_i64(whole),
            (None, None, float) => visitor.visit_f64(float.unwrap_or(f64::NAN)),
        },
        Value::String(text) => visitor.visit_string(text),
        Value::Array(_) => Err(de::Error::invalid_type(Unexpected::Seq, &visitor)),
        Value::Object(_) => Err(de::Error::invalid_type(Unexpected::Map, &visitor)),
    }
}

/// Implements [`FromJson`] for a leaf through its serde visitor ([`read_leaf`]).
macro_rules! from_json_by_visitor {
    ($($name:ty => $visitor:expr),+ $(,)?) => {
        $(
            impl $crate::record::FromJson for $name {
                fn from_json(value: $crate::json::Value) -> Result<Self, $crate::record::ReadError> {
                    $crate::record::read_leaf(value, $visitor)
                }
            }
        )+
    };
}

pub(crate) use from_json_by_visitor;

/// Reads an object tagged by its field `tag` (`{"event": "workitemConnect",
/// …}`, `{"request": "getChannel", …}`) with `read`, which takes the tag and
/// the object without it and answers `None` for a tag that is not one of
/// `names`. Errors are serde's for an internally tagged enum; one about the
/// tag's value names the tag (`request: unknown variant …`).
pub(crate) fn read_tagged<T>(
    value: Value,
    tag: &'static str,
    names: &'static [&'static str],
    read: fn(&str, Map) -> Option<Result<T, ReadError>>,
) -> Result<T, ReadError> {
    let mut object = match value {
        Value::Object(object) => object,
        other => return Err(invalid_type(&other, "a map")),
    };
    let name = match object.remove(tag) {
        Some(Value::String(name)) => name,
        Some(other) => {
            return Err(ReadError::custom(format_args!(
                "invalid type: {other}, expected variant identifier"
            ))
            .at_key(tag));
        }
        None => return Err(missing(tag)),
    };
    match read(&name, object) {
        Some(read) => read,
        None => Err(<ReadError as de::Error>::unknown_variant(&name, names).at_key(tag)),
    }
}

/// `Deserialize` for a [`FromJson`] type: the value, then [`FromJson::from_json`].
pub(crate) fn deserialize<'de, T: FromJson, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<T, D::Error> {
    T::from_json(Value::deserialize(deserializer)?).map_err(de::Error::custom)
}

/// Implements `Deserialize` through [`FromJson`] for the types read by hand.
macro_rules! deserialize_from_json {
    ($($name:ty),+ $(,)?) => {
        $(
            impl<'de> ::serde::Deserialize<'de> for $name {
                fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                    $crate::record::deserialize(deserializer)
                }
            }
        )+
    };
}

pub(crate) use deserialize_from_json;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::json;

    #[test]
    fn an_error_about_the_tag_names_it() {
        fn read(name: &str, _body: Map) -> Option<Result<u8, ReadError>> {
            (name == "one").then_some(Ok(1))
        }
        let tagged = |value| read_tagged(value, "kind", &["one"], read).map_err(|e| e.to_string());
        assert_eq!(tagged(json!({"kind": "one"})), Ok(1));
        assert_eq!(
            tagged(json!({"kind": "two"})),
            Err("kind: unknown variant `two`, expected `one`".to_owned())
        );
        assert_eq!(
            tagged(json!({"kind": 2})),
            Err("kind: invalid type: 2, expected variant identifier".to_owned())
        );
        assert_eq!(tagged(json!({})), Err("missing field `kind`".to_owned()));
        assert_eq!(
            tagged(json!("one")),
            Err("invalid type: string \"one\", expected a map".to_owned())
        );
    }

    /// The leaves read by hand read as their serde impls read serde_json's value.
    #[test]
    fn leaves_read_as_their_serde_impls_read_them() {
        use crate::datetime::{IsoMillisDateTime, ServiceNowDateTime};
        use crate::servicenow::FailureStatus;
        use crate::servicenow::segment_create::WrapUpDuration;

        fn reads_as_serde<T>(value: &serde_json::Value)
        where
            T: FromJson + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug,
        {
            let by_serde = serde_json::from_value::<T>(value.clone()).map_err(|e| e.to_string());
            let by_hand = T::from_json(Value::from(value.clone())).map_err(|e| e.to_string());
            assert_eq!(by_hand, by_serde, "{value}");
        }
        for value in [
            serde_json::json!("2024-09-16 17:52:01"),
            serde_json::json!("2016-01-01T09:00:00.000Z"),
            serde_json::json!("30"),
            serde_json::json!(""),
            serde_json::json!("failure"),
            serde_json::json!("Failure"),
            serde_json::json!({"failure": null}),
            serde_json::json!({"failure": 1}),
            serde_json::json!({"other": null}),
            serde_json::json!({"failure": null, "other": null}),
            serde_json::json!({}),
            serde_json::json!(30),
            serde_json::json!(-30),
            serde_json::json!(2.5),
            serde_json::json!(true),
            serde_json::json!(null),
            serde_json::json!([]),
        ] {
            reads_as_serde::<ServiceNowDateTime>(&value);
            reads_as_serde::<IsoMillisDateTime>(&value);
            reads_as_serde::<WrapUpDuration>(&value);
            reads_as_serde::<FailureStatus>(&value);
        }
    }

    #[test]
    fn a_field_is_named_in_the_path_of_its_error() {
        let mut record = Record::new(json!({"count": "x", "when": "soon"}), "struct S").unwrap();
        let error = record.required::<u64>("count").unwrap_err();
        assert_eq!(
            error.to_string(),
            "count: invalid type: string \"x\", expected u64"
        );
        let error = record
            .required_with("when", |_| Err::<(), _>(ReadError::custom("not a time")))
            .unwrap_err();
        assert_eq!(error.to_string(), "when: not a time");
        assert_eq!(
            record.required::<u64>("gone").unwrap_err().to_string(),
            "missing field `gone`"
        );
        assert_eq!(record.or("gone", 3_u64), Ok(3));
    }
}
