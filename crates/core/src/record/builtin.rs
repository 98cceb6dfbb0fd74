//! [`FromJson`] for the types every reader is built from: text, numbers,
//! booleans, any JSON value or object, lists, maps whose keys are data, and
//! pairs. Their values and messages are serde's for the same JSON (tested
//! below against serde's own readers).

use litemap::LiteMap;
use serde::de;
use serde_json::{Map, Value};

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
                    list.push(T::from_json(item).map_err(|error| error.at_index(index))?);
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

impl FromJson for Map<String, Value> {
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
        let fields = Map::<String, Value>::from_json(value)?;
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
            Err(_) => Err(ReadError::from(
                <serde_json::Error as de::Error>::invalid_length(
                    length,
                    &if length < 2 {
                        EXPECTED
                    } else {
                        "fewer elements in array"
                    },
                ),
            )),
        }
    }
}

super::from_json_by_serde!(bool, u32, u64, i64);

#[cfg(test)]
mod tests {
    use std::fmt;

    use serde::de::DeserializeOwned;
    use serde_json::json;

    use super::*;

    /// The hand reader of `T` reads `value` as serde reads it: the same
    /// value, or the same message (the hand reader's error at `path`).
    fn reads_as_serde<T>(value: Value, path: &str)
    where
        T: FromJson + DeserializeOwned + PartialEq + fmt::Debug,
    {
        let by_serde = serde_json::from_value::<T>(value.clone()).map_err(|e| e.to_string());
        match T::from_json(value) {
            Ok(read) => assert_eq!(Ok(read), by_serde),
            Err(error) => {
                assert_eq!(Err(error.message.clone()), by_serde);
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
        fn reads_as_serde_map(value: Value, path: &str) {
            let by_serde =
                serde_json::from_value::<std::collections::BTreeMap<String, u32>>(value.clone())
                    .map(|map| map.into_iter().collect::<LiteMap<_, _>>())
                    .map_err(|e| e.to_string());
            match LiteMap::<String, u32>::from_json(value) {
                Ok(read) => assert_eq!(Ok(read), by_serde),
                Err(error) => {
                    assert_eq!(Err(error.message.clone()), by_serde);
                    assert_eq!(error.path(), path, "{error}");
                }
            }
        }
        reads_as_serde_map(json!({"b": 2, "a": 1}), "");
        reads_as_serde_map(json!({"a": 1, "b": -2}), "b");
        reads_as_serde_map(json!({"a": 5_000_000_000_u64}), "a");
        reads_as_serde_map(json!([1]), "");
        reads_as_serde::<Map<String, Value>>(json!({"a": [1], "b": null}), "");
        reads_as_serde::<Map<String, Value>>(json!("a"), "");
    }

    #[test]
    fn a_list_names_the_index_of_a_wrong_item() {
        reads_as_serde::<Vec<bool>>(json!([true, false]), "");
        reads_as_serde::<Vec<bool>>(json!([true, "false"]), "[1]");
        reads_as_serde::<Vec<bool>>(json!("true"), "");
        reads_as_serde::<Vec<Vec<i64>>>(json!([[1], [2, 2.5]]), "[1][1]");
    }
}
