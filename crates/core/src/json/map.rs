//! The fields of a JSON object: a vector sorted by key, not a B-tree (see
//! the module above for why).

use serde::de::{self, Deserialize, Deserializer};
use serde::ser::{Serialize, SerializeMap, Serializer};

use super::Value;

/// The fields of a JSON object, sorted by key: a later field of the same
/// name replaces an earlier one, as in serde_json's map.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Map {
    fields: Vec<(String, Value)>,
}

impl Map {
    /// No fields.
    pub fn new() -> Self {
        Self::default()
    }

    fn position(&self, key: &str) -> Result<usize, usize> {
        self.fields
            .binary_search_by(|(name, _)| name.as_str().cmp(key))
    }

    /// Sets field `key` to `value`; the value it had, if any.
    pub fn insert(&mut self, key: String, value: Value) -> Option<Value> {
        match self.position(&key) {
            Ok(index) => Some(std::mem::replace(&mut self.fields[index].1, value)),
            Err(index) => {
                self.fields.insert(index, (key, value));
                None
            }
        }
    }

    /// The value of field `key`.
    pub fn get(&self, key: &str) -> Option<&Value> {
        let index = self.position(key).ok()?;
        Some(&self.fields[index].1)
    }

    /// The value of field `key`, to change.
    pub fn get_mut(&mut self, key: &str) -> Option<&mut Value> {
        let index = self.position(key).ok()?;
        Some(&mut self.fields[index].1)
    }

    /// Whether there is a field `key`.
    pub fn contains_key(&self, key: &str) -> bool {
        self.position(key).is_ok()
    }

    /// Takes field `key` out.
    pub fn remove(&mut self, key: &str) -> Option<Value> {
        let index = self.position(key).ok()?;
        Some(self.fields.remove(index).1)
    }

    /// The value of field `key`, set to what `value` makes first if there is none.
    pub fn get_or_insert_with(&mut self, key: String, value: impl FnOnce() -> Value) -> &mut Value {
        let index = match self.position(&key) {
            Ok(index) => index,
            Err(index) => {
                self.fields.insert(index, (key, value()));
                index
            }
        };
        &mut self.fields[index].1
    }

    /// How many fields there are.
    pub fn len(&self) -> usize {
        self.fields.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.fields.is_empty()
    }

    /// The fields in the order of their keys.
    pub fn iter(&self) -> <&Self as IntoIterator>::IntoIter {
        self.into_iter()
    }

    /// The keys, in order.
    pub fn keys(&self) -> impl Iterator<Item = &String> {
        self.fields.iter().map(|(key, _)| key)
    }

    /// The values, in the order of their keys.
    pub fn values(&self) -> impl Iterator<Item = &Value> {
        self.fields.iter().map(|(_, value)| value)
    }
}

impl IntoIterator for Map {
    type Item = (String, Value);
    type IntoIter = std::vec::IntoIter<(String, Value)>;

    /// The fields in the order of their keys.
    fn into_iter(self) -> Self::IntoIter {
        self.fields.into_iter()
    }
}

impl<'a> IntoIterator for &'a Map {
    type Item = (&'a String, &'a Value);
    type IntoIter = std::iter::Map<
        std::slice::Iter<'a, (String, Value)>,
        fn(&'a (String, Value)) -> (&'a String, &'a Value),
    >;

    /// The fields in the order of their keys.
    fn into_iter(self) -> Self::IntoIter {
        self.fields.iter().map(|(key, value)| (key, value))
    }
}

impl FromIterator<(String, Value)> for Map {
    /// The fields; of two with the same key, the later.
    fn from_iter<I: IntoIterator<Item = (String, Value)>>(fields: I) -> Self {
        let mut map = Self::new();
        map.extend(fields);
        map
    }
}

impl Extend<(String, Value)> for Map {
    fn extend<I: IntoIterator<Item = (String, Value)>>(&mut self, fields: I) {
        for (key, value) in fields {
            self.insert(key, value);
        }
    }
}

impl Serialize for Map {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.len()))?;
        for (key, value) in &self.fields {
            map.serialize_entry(key, value)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for Map {
    /// A JSON object.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        match Value::deserialize(deserializer)? {
            Value::Object(fields) => Ok(fields),
            other => Err(de::Error::invalid_type(
                crate::bs::wire::unexpected(&other),
                &"a map",
            )),
        }
    }
}
