//! A JSON value: what every body, event and stored value is read into before
//! its type takes its fields out ([`crate::record`]), and what the fields a
//! spec does not list are kept as ([`crate::bs::ExtraFields`]).
//!
//! serde_json's `Value` would do, but its object is a `BTreeMap`: the widget's
//! wasm carried the B-tree's node code (insert, remove, rebalance, clone,
//! compare) and serde_json's code around its value (its own readers of every
//! Rust type from a value, its pretty printer) for objects of a few fields.
//! Here an object is a vector of its fields sorted by key, so it iterates,
//! compares and is written in the same order as serde_json's. Numbers are
//! serde_json's [`Number`], read and written exactly as before.
//!
//! The widget writes it, and every type it sends or stores, as JSON text with
//! [`write`] (serde_json's text, without serde's serializer); the server
//! writes it through serde (`Serialize`). The widget reads JSON text into it
//! with [`from_str`], which reads as serde_json reads its own value; the
//! server and the tests read it through serde (`Deserialize`).

use std::fmt;

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{Serialize, Serializer};

pub use map::Map;
pub use read::{SyntaxError, from_str};
pub use serde_json::Number;
pub use write::{ToJson, Writer};

mod map;
mod read;
pub mod write;

/// How [`from_str`] and serde_json's reader of [`Value`] differ on `text`,
/// if they do: they must read the same value, or refuse it in the same
/// words, both at the end of the text or both before it. For the tests and
/// fuzz targets that compare the two.
///
/// [`from_str`] rounds a float as serde_json does without its
/// `float_roundtrip` feature, as the widget builds it. The server turns the
/// feature on, so a build with the server (the workspace's tests, the fuzz
/// targets) links a serde_json that rounds long and extreme numbers exactly:
/// there a float may differ in its last few steps
/// ([`Value::same_but_float_rounding`]).
#[doc(hidden)]
pub fn disagreement_with_serde_json(text: &str) -> Option<String> {
    let ours = from_str(text).map_err(|error| (error.to_string(), error.is_eof()));
    let theirs =
        serde_json::from_str::<Value>(text).map_err(|error| (error.to_string(), error.is_eof()));
    let same = match (&ours, &theirs) {
        (Ok(ours), Ok(theirs)) if serde_json_rounds_exactly() => {
            ours.same_but_float_rounding(theirs, 8)
        }
        _ => ours == theirs,
    };
    (!same).then(|| format!("{ours:?} against serde_json's {theirs:?}"))
}

/// Whether the serde_json linked rounds floats exactly (`float_roundtrip`).
fn serde_json_rounds_exactly() -> bool {
    let text = "0.000000000000000000000000000000123456789012345678901234";
    serde_json::from_str::<f64>(text).ok() == text.parse::<f64>().ok()
}

/// Any JSON value.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Value {
    /// `null`.
    #[default]
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number, as serde_json reads it.
    Number(Number),
    /// A string.
    String(String),
    /// A list.
    Array(Vec<Value>),
    /// An object.
    Object(Map),
}

impl Value {
    /// Whether `self` and `other` are the same but for their floats, each
    /// at most `steps` representable values from the other's
    /// ([`disagreement_with_serde_json`]).
    fn same_but_float_rounding(&self, other: &Self, steps: u64) -> bool {
        match (self, other) {
            (Self::Number(a), Self::Number(b)) if a.is_f64() && b.is_f64() => {
                let (a, b) = (
                    a.as_f64().unwrap_or_default(),
                    b.as_f64().unwrap_or_default(),
                );
                a.to_bits().abs_diff(b.to_bits()) <= steps
            }
            (Self::Array(a), Self::Array(b)) => {
                a.len() == b.len()
                    && a.iter()
                        .zip(b)
                        .all(|(a, b)| a.same_but_float_rounding(b, steps))
            }
            (Self::Object(a), Self::Object(b)) => {
                a.len() == b.len()
                    && a.iter().zip(b.iter()).all(|((key_a, a), (key_b, b))| {
                        key_a == key_b && a.same_but_float_rounding(b, steps)
                    })
            }
            (a, b) => a == b,
        }
    }

    /// Whether this is `null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Self::Null)
    }

    /// The text of a string.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Self::String(text) => Some(text),
            _ => None,
        }
    }

    /// Whether this is a string.
    pub fn is_string(&self) -> bool {
        matches!(self, Self::String(_))
    }

    /// The number as a float (a whole number rounded to the nearest float).
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Self::Number(number) => number.as_f64(),
            _ => None,
        }
    }

    /// The number, if it is a whole number from 0 to `u64::MAX`.
    pub fn as_u64(&self) -> Option<u64> {
        match self {
            Self::Number(number) => number.as_u64(),
            _ => None,
        }
    }

    /// The number, if it is a whole number that fits an `i64`.
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Self::Number(number) => number.as_i64(),
            _ => None,
        }
    }

    /// The items of a list.
    pub fn as_array(&self) -> Option<&Vec<Value>> {
        match self {
            Self::Array(items) => Some(items),
            _ => None,
        }
    }

    /// The items of a list, to change.
    pub fn as_array_mut(&mut self) -> Option<&mut Vec<Value>> {
        match self {
            Self::Array(items) => Some(items),
            _ => None,
        }
    }

    /// The fields of an object.
    pub fn as_object(&self) -> Option<&Map> {
        match self {
            Self::Object(fields) => Some(fields),
            _ => None,
        }
    }

    /// The fields of an object, to change.
    pub fn as_object_mut(&mut self) -> Option<&mut Map> {
        match self {
            Self::Object(fields) => Some(fields),
            _ => None,
        }
    }

    /// Field `key` of an object; `None` for anything else.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.as_object()?.get(key)
    }

    /// Field `key` of an object, to change; `None` for anything else.
    pub fn get_mut(&mut self, key: &str) -> Option<&mut Value> {
        self.as_object_mut()?.get_mut(key)
    }
}

impl fmt::Display for Value {
    /// The value as compact JSON text, as serde_json's value displays.
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(&write::to_string(self))
    }
}

impl From<String> for Value {
    fn from(text: String) -> Self {
        Self::String(text)
    }
}

impl From<&str> for Value {
    fn from(text: &str) -> Self {
        Self::String(text.to_owned())
    }
}

impl From<bool> for Value {
    fn from(flag: bool) -> Self {
        Self::Bool(flag)
    }
}

impl From<u64> for Value {
    fn from(number: u64) -> Self {
        Self::Number(number.into())
    }
}

impl From<i64> for Value {
    fn from(number: i64) -> Self {
        Self::Number(number.into())
    }
}

impl From<f64> for Value {
    /// The number; `null` for NaN and the infinities, which JSON cannot say
    /// (as serde_json converts).
    fn from(number: f64) -> Self {
        Number::from_f64(number).map_or(Self::Null, Self::Number)
    }
}

impl From<Number> for Value {
    fn from(number: Number) -> Self {
        Self::Number(number)
    }
}

impl From<Vec<Value>> for Value {
    fn from(items: Vec<Value>) -> Self {
        Self::Array(items)
    }
}

impl From<Map> for Value {
    fn from(fields: Map) -> Self {
        Self::Object(fields)
    }
}

impl From<serde_json::Value> for Value {
    /// serde_json's value as this one (for the server and tests, which build
    /// values with serde_json).
    fn from(value: serde_json::Value) -> Self {
        match value {
            serde_json::Value::Null => Self::Null,
            serde_json::Value::Bool(flag) => Self::Bool(flag),
            serde_json::Value::Number(number) => Self::Number(number),
            serde_json::Value::String(text) => Self::String(text),
            serde_json::Value::Array(items) => {
                Self::Array(items.into_iter().map(Self::from).collect())
            }
            serde_json::Value::Object(fields) => Self::Object(
                fields
                    .into_iter()
                    .map(|(key, value)| (key, Self::from(value)))
                    .collect(),
            ),
        }
    }
}

impl From<Value> for serde_json::Value {
    fn from(value: Value) -> Self {
        match value {
            Value::Null => Self::Null,
            Value::Bool(flag) => Self::Bool(flag),
            Value::Number(number) => Self::Number(number),
            Value::String(text) => Self::String(text),
            Value::Array(items) => Self::Array(items.into_iter().map(Self::from).collect()),
            Value::Object(fields) => Self::Object(
                fields
                    .into_iter()
                    .map(|(key, value)| (key, Self::from(value)))
                    .collect(),
            ),
        }
    }
}

impl Serialize for Value {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Null => serializer.serialize_unit(),
            Self::Bool(flag) => serializer.serialize_bool(*flag),
            Self::Number(number) => number.serialize(serializer),
            Self::String(text) => serializer.serialize_str(text),
            Self::Array(items) => items.serialize(serializer),
            Self::Object(fields) => fields.serialize(serializer),
        }
    }
}

impl<'de> Deserialize<'de> for Value {
    /// Any JSON value, as serde_json reads its own (a float that is not a
    /// number, which JSON text cannot hold, is `null`).
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ValueVisitor;

        impl<'de> Visitor<'de> for ValueVisitor {
            type Value = Value;

            fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
                formatter.write_str("any valid JSON value")
            }

            fn visit_bool<E>(self, flag: bool) -> Result<Value, E> {
                Ok(Value::Bool(flag))
            }

            fn visit_i64<E>(self, number: i64) -> Result<Value, E> {
                Ok(Value::from(number))
            }

            fn visit_u64<E>(self, number: u64) -> Result<Value, E> {
                Ok(Value::from(number))
            }

            fn visit_f64<E>(self, number: f64) -> Result<Value, E> {
                Ok(Value::from(number))
            }

            fn visit_str<E>(self, text: &str) -> Result<Value, E> {
                Ok(Value::from(text))
            }

            fn visit_string<E>(self, text: String) -> Result<Value, E> {
                Ok(Value::String(text))
            }

            fn visit_none<E>(self) -> Result<Value, E> {
                Ok(Value::Null)
            }

            fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
                Value::deserialize(deserializer)
            }

            fn visit_unit<E>(self) -> Result<Value, E> {
                Ok(Value::Null)
            }

            fn visit_seq<A: SeqAccess<'de>>(self, mut items: A) -> Result<Value, A::Error> {
                let mut list = Vec::new();
                while let Some(item) = items.next_element()? {
                    list.push(item);
                }
                Ok(Value::Array(list))
            }

            fn visit_map<A: MapAccess<'de>>(self, mut entries: A) -> Result<Value, A::Error> {
                let mut fields = Map::new();
                while let Some((key, value)) = entries.next_entry()? {
                    fields.insert(key, value);
                }
                Ok(Value::Object(fields))
            }
        }

        deserializer.deserialize_any(ValueVisitor)
    }
}

/// serde_json's `json!`, made this module's value (for tests).
#[cfg(test)]
macro_rules! json {
    ($($json:tt)+) => {
        $crate::json::Value::from(::serde_json::json!($($json)+))
    };
}

#[cfg(test)]
pub(crate) use json;

#[cfg(test)]
mod tests {
    use super::*;

    /// serde_json's reading and writing, and its order of an object's fields.
    #[test]
    fn reads_and_writes_as_serde_json() {
        for text in [
            r#"{"b": [1, -2, 2.5, "x\n", null, true], "a": {"z": {}, "": []}, "b2": 1e300}"#,
            r#"{"a": 1, "a": 2}"#,
            "[]",
            "\"\\u00e9\"",
            "18446744073709551615",
        ] {
            let ours: Value = serde_json::from_str(text).expect(text);
            let theirs: serde_json::Value = serde_json::from_str(text).expect(text);
            assert_eq!(ours.to_string(), theirs.to_string(), "{text}");
            assert_eq!(serde_json::Value::from(ours.clone()), theirs, "{text}");
            assert_eq!(Value::from(theirs), ours, "{text}");
        }
    }

    #[test]
    fn fields_are_kept_in_the_order_of_their_keys() {
        let mut map = Map::new();
        assert_eq!(map.insert("b".to_owned(), Value::from(1_u64)), None);
        map.insert("a".to_owned(), Value::from("x"));
        assert_eq!(
            map.insert("b".to_owned(), Value::Null),
            Some(Value::from(1_u64))
        );
        assert_eq!(map.keys().collect::<Vec<_>>(), ["a", "b"]);
        assert_eq!(map.remove("a"), Some(Value::from("x")));
        assert_eq!(map.remove("a"), None);
        assert!(map.contains_key("b") && !map.contains_key("a"));
        *map.get_or_insert_with("c".to_owned(), || Value::from(true)) = Value::from(false);
        map.get_or_insert_with("c".to_owned(), || unreachable!("c is there"));
        assert_eq!(Value::Object(map).to_string(), r#"{"b":null,"c":false}"#);
        assert_eq!(json!({"x": 1}).get("x"), Some(&Value::from(1_u64)));
    }
}
