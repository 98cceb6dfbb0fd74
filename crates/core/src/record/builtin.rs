//! [`FromJson`] for the types every reader is built from: text, numbers,
//! booleans, any JSON value or object, lists, maps whose keys are data, and
//! pairs. Their values and messages are serde's for the same JSON (tested
//! below against serde's own readers).

use litemap::LiteMap;
use serde::de::{self, Unexpected};

use crate::json::{Map, Value};

use super::{FromJson, ReadError, invalid_type};

impl FromJson for String {
    fn from_json(value: Value) -> Result<Self, ReadError> {
        match value {
            Value::String(text) => Ok(text),
            other => Err(invalid_type(&other, "a string")),
        }
    }
}

impl<T: FromJson> FromJson for Vec<T> {
    fn from_json(value: Value) -> Result<Self, ReadError> {
        match value {
            Value::Array(items) => {
                let mut list = Vec::with_capacity(items.len());
                for (index, item) in items.into_iter().enumerate() {
                    // Matched, not through `map_err` and `?`: each item is
                    // moved once (smaller code, see `Record::optional`).
                    match T::from_json(item) {
                        Ok(item) => list.push(item),
                        Err(error) => return Err(error.at_index(index)),
                    }
                }
                Ok(list)
            }
            other => Err(invalid_type(&other, "a sequence")),
        }
    }
}

impl FromJson for Value {
    /// Any JSON value, kept as it is (for fields whose rules validation checks).
    fn from_json(value: Value) -> Result<Self, ReadError> {
        Ok(value)
    }
}

impl FromJson for Map {
    /// Any JSON object, kept as it is (unknown fields, data whose rules
    /// validation checks).
    fn from_json(value: Value) -> Result<Self, ReadError> {
        match value {
            Value::Object(fields) => Ok(fields),
            other => Err(invalid_type(&other, "a map")),
        }
    }
}

impl<T: FromJson> FromJson for LiteMap<String, T> {
    /// A map whose keys are data; an error names the key of the wrong value.
    fn from_json(value: Value) -> Result<Self, ReadError> {
        let fields = Map::from_json(value)?;
        let mut map = LiteMap::with_capacity(fields.len());
        for (key, value) in fields {
            match T::from_json(value) {
                Ok(value) => _ = map.insert(key, value),
                Err(error) => return Err(error.at_key(key)),
            }
        }
        Ok(map)
    }
}

impl<A: FromJson, B: FromJson> FromJson for (A, B) {
    /// A pair, written as a list of two (as serde writes a tuple).
    fn from_json(value: Value) -> Result<Self, ReadError> {
        const EXPECTED: &str = "a tuple of size 2";
        let items = match value {
            Value::Array(items) => items,
            other => return Err(invalid_type(&other, EXPECTED)),
        };
        let length = items.len();
        match <[Value; 2]>::try_from(items) {
            Ok([a, b]) => Ok((
                A::from_json(a).map_err(|error| error.at_index(0))?,
                B::from_json(b).map_err(|error| error.at_index(1))?,
            )),
            // serde_json's words for a list too short for the tuple, or too long.
            Err(_) => Err(de::Error::invalid_length(
                length,
                &if length < 2 {
                    EXPECTED
                } else {
                    "fewer elements in array"
                },
            )),
        }
    }
}

impl FromJson for bool {
    fn from_json(value: Value) -> Result<Self, ReadError> {
        match value {
            Value::Bool(flag) => Ok(flag),
            other => Err(invalid_type(&other, "a boolean")),
        }
    }
}

/// A whole number of type `T`, named `expected` (`u64`) in errors, as
/// serde's reader of `T` takes it from a JSON number: one out of `T`'s range
/// is an invalid value, a float or anything else of the wrong type.
fn whole_number<T>(value: Value, expected: &'static str) -> Result<T, ReadError>
where
    T: TryFrom<u64> + TryFrom<i64>,
{
    let Value::Number(number) = &value else {
        return Err(invalid_type(&value, expected));
    };
    if let Some(whole) = number.as_u64() {
        T::try_from(whole)
            .map_err(|_| de::Error::invalid_value(Unexpected::Unsigned(whole), &expected))
    } else if let Some(whole) = number.as_i64() {
        T::try_from(whole)
            .map_err(|_| de::Error::invalid_value(Unexpected::Signed(whole), &expected))
    } else {
        Err(invalid_type(&value, expected))
    }
}

impl FromJson for u32 {
    fn from_json(value: Value) -> Result<Self, ReadError> {
        whole_number(value, "u32")
    }
}

impl FromJson for u64 {
    fn from_json(value: Value) -> Result<Self, ReadError> {
        whole_number(value, "u64")
    }
}

impl FromJson for i64 {
    fn from_json(value: Value) -> Result<Self, ReadError> {
        whole_number(value, "i64")
    }
}

#[cfg(test)]
mod tests {
    use std::fmt;

    use serde::de::DeserializeOwned;
    use serde_json::json;

    use super::*;

    /// The hand reader of `T` reads `value` as serde reads it: the same
    /// value, or the same message (the hand reader's error at `path`).
    fn reads_as_serde<T>(value: serde_json::Value, path: &str)
    where
        T: FromJson + DeserializeOwned + PartialEq + fmt::Debug,
    {
        let by_serde = serde_json::from_value::<T>(value.clone()).map_err(|e| e.to_string());
        match T::from_json(Value::from(value)) {
            Ok(read) => assert_eq!(Ok(read), by_serde),
            Err(error) => {
                assert_eq!(Err(error.0.message.clone()), by_serde);
                assert_eq!(error.path(), path, "{error}");
            }
        }
    }

    #[test]
    fn a_pair_is_a_list_of_two() {
        reads_as_serde::<(String, u64)>(json!(["w1", 7]), "");
        reads_as_serde::<(String, u64)>(json!(["w1"]), "");
        reads_as_serde::<(String, u64)>(json!(["w1", 7, 8]), "");
        reads_as_serde::<(String, u64)>(json!({"w1": 7}), "");
        reads_as_serde::<(String, u64)>(json!(["w1", "seven"]), "[1]");
    }

    #[test]
    fn a_map_names_the_key_of_a_wrong_value() {
        // serde's reader of the same map, as a BTreeMap (LiteMap has none here).
        fn reads_as_serde_map(value: serde_json::Value, path: &str) {
            let by_serde =
                serde_json::from_value::<std::collections::BTreeMap<String, u32>>(value.clone())
                    .map(|map| map.into_iter().collect::<LiteMap<_, _>>())
                    .map_err(|e| e.to_string());
            match LiteMap::<String, u32>::from_json(Value::from(value)) {
                Ok(read) => assert_eq!(Ok(read), by_serde),
                Err(error) => {
                    assert_eq!(Err(error.0.message.clone()), by_serde);
                    assert_eq!(error.path(), path, "{error}");
                }
            }
        }
        reads_as_serde_map(json!({"b": 2, "a": 1}), "");
        reads_as_serde_map(json!({"a": 1, "b": -2}), "b");
        reads_as_serde_map(json!({"a": 5_000_000_000_u64}), "a");
        reads_as_serde_map(json!([1]), "");
        reads_as_serde::<Map>(json!({"a": [1], "b": null}), "");
        reads_as_serde::<Map>(json!("a"), "");
    }

    #[test]
    fn a_list_names_the_index_of_a_wrong_item() {
        reads_as_serde::<Vec<bool>>(json!([true, false]), "");
        reads_as_serde::<Vec<bool>>(json!([true, "false"]), "[1]");
        reads_as_serde::<Vec<bool>>(json!("true"), "");
        reads_as_serde::<Vec<Vec<i64>>>(json!([[1], [2, 2.5]]), "[1][1]");
    }

    #[test]
    fn whole_numbers_and_booleans_read_as_serde_reads_them() {
        for value in [
            json!(0),
            json!(7),
            json!(-7),
            json!(4_294_967_295_u64),
            json!(4_294_967_296_u64),
            json!(i64::MAX),
            json!(u64::MAX),
            json!(i64::MIN),
            json!(2.0),
            json!(-0.5),
            json!(1e300),
            json!("7"),
            json!(true),
            json!(null),
            json!([7]),
            json!({"n": 7}),
        ] {
            reads_as_serde::<u32>(value.clone(), "");
            reads_as_serde::<u64>(value.clone(), "");
            reads_as_serde::<i64>(value.clone(), "");
            reads_as_serde::<bool>(value, "");
        }
    }
}
