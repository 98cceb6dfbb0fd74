//! Scalars that the specs' own examples send as strings.
//!
//! The ServiceNow segment/create example sends `"external": "true"`,
//! `"segmented": "true"` and `"duration": "30"`, while the tables call them a
//! Boolean and a number of seconds. Those fields, and only those, use
//! [`Lenient`]: it accepts the value natively or as a string, remembers
//! which, and writes it back the same way, so the documented body round-trips
//! exactly. Every other field stays strict, and [`crate::parse::from_json`]
//! names it when it is wrong.

use std::fmt;

use serde::de::{self, Unexpected, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::json::{ToJson, Writer};

/// A boolean or number that may arrive as a JSON string (`"true"`, `"30"`),
/// and is serialized back in the form it arrived in.
///
/// Equality includes the form: `"true"` and `true` are different bodies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Lenient<T> {
    /// The value itself.
    pub value: T,
    /// Whether it travels as a JSON string rather than as a JSON bool / number.
    pub sent_as_string: bool,
}

/// A boolean that may be sent as `"true"` / `"false"`.
pub type LenientBool = Lenient<bool>;

/// A non-negative integer that may be sent as a string of digits (`"30"`).
pub type LenientU64 = Lenient<u64>;

impl<T> Lenient<T> {
    /// A value sent as a plain JSON bool / number.
    pub const fn native(value: T) -> Self {
        Self {
            value,
            sent_as_string: false,
        }
    }

    /// A value sent as a JSON string, the way the specs' examples do.
    pub const fn as_string(value: T) -> Self {
        Self {
            value,
            sent_as_string: true,
        }
    }
}

impl<T: Copy> Lenient<T> {
    /// The value, whatever form it travelled in.
    pub const fn get(&self) -> T {
        self.value
    }
}

impl<T> From<T> for Lenient<T> {
    fn from(value: T) -> Self {
        Self::native(value)
    }
}

/// Written as `Serialize` writes it: as sent (text, or its JSON value).
impl<T: ToJson + fmt::Display> ToJson for Lenient<T> {
    fn write_json(&self, out: &mut Writer) {
        if self.sent_as_string {
            out.string(&self.value.to_string());
        } else {
            self.value.write_json(out);
        }
    }
}

impl<T: Serialize + fmt::Display> Serialize for Lenient<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if self.sent_as_string {
            serializer.collect_str(&self.value)
        } else {
            self.value.serialize(serializer)
        }
    }
}

impl<'de> Deserialize<'de> for Lenient<bool> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(BoolVisitor)
    }
}

struct BoolVisitor;

impl Visitor<'_> for BoolVisitor {
    type Value = Lenient<bool>;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str(r#"a boolean, or "true" or "false" as a string"#)
    }

    fn visit_bool<E: de::Error>(self, value: bool) -> Result<Self::Value, E> {
        Ok(Lenient::native(value))
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<Self::Value, E> {
        // Exactly the two spellings: "True", "1" or "yes" are more likely a bug than intent.
        match value {
            "true" => Ok(Lenient::as_string(true)),
            "false" => Ok(Lenient::as_string(false)),
            other => Err(E::invalid_value(Unexpected::Str(other), &self)),
        }
    }
}

impl<'de> Deserialize<'de> for Lenient<u64> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(U64Visitor)
    }
}

struct U64Visitor;

impl Visitor<'_> for U64Visitor {
    type Value = Lenient<u64>;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str(r#"a non-negative whole number, or one written as a string like "30""#)
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<Self::Value, E> {
        Ok(Lenient::native(value))
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<Self::Value, E> {
        u64::try_from(value)
            .map(Lenient::native)
            .map_err(|_| E::invalid_value(Unexpected::Signed(value), &self))
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<Self::Value, E> {
        parse_digits(value)
            .map(Lenient::as_string)
            .ok_or_else(|| E::invalid_value(Unexpected::Str(value), &self))
    }
}

/// Reads a string of ASCII digits only: `u64::from_str` would also take `"+30"`,
/// which could not be written back as it came.
pub(crate) fn parse_digits(value: &str) -> Option<u64> {
    if value.is_empty() || !value.bytes().all(|byte| byte.is_ascii_digit()) {
        return None;
    }
    value.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bools_keep_their_form() {
        for (json, expected) in [
            ("true", Lenient::native(true)),
            ("false", Lenient::native(false)),
            (r#""true""#, Lenient::as_string(true)),
            (r#""false""#, Lenient::as_string(false)),
        ] {
            let parsed: LenientBool = serde_json::from_str(json).expect(json);
            assert_eq!(parsed, expected);
            assert_eq!(serde_json::to_string(&parsed).expect("serializes"), json);
        }
    }

    #[test]
    fn other_bool_spellings_are_refused() {
        for json in [r#""True""#, r#""1""#, r#""yes""#, r#""""#, "1", "null"] {
            assert!(serde_json::from_str::<LenientBool>(json).is_err(), "{json}");
        }
    }

    #[test]
    fn numbers_keep_their_form() {
        for (json, expected) in [
            ("30", Lenient::native(30)),
            (r#""30""#, Lenient::as_string(30)),
            (r#""0""#, Lenient::as_string(0)),
        ] {
            let parsed: LenientU64 = serde_json::from_str(json).expect(json);
            assert_eq!(parsed, expected);
            assert_eq!(serde_json::to_string(&parsed).expect("serializes"), json);
        }
    }

    #[test]
    fn numbers_that_are_not_plain_digits_are_refused() {
        for json in [
            r#""+30""#, r#"" 30""#, r#""30s""#, r#""-1""#, "-1", "30.5", "true",
        ] {
            assert!(serde_json::from_str::<LenientU64>(json).is_err(), "{json}");
        }
    }
}
