//! [`Fields`]: an object read field by field without stopping at an error.

use chrono::{DateTime, Utc};

use crate::bs::wire::ExtraFields;
use crate::json::{Map, Value};

use super::{FromJson, ReadError, Record};

/// The fields of one JSON object, each read to its value or, when it cannot
/// be read, to its type's default, the first error kept for
/// [`Fields::finish`].
///
/// A type is then read into a struct literal, one call per field and no `?`
/// between them: with a `?` after each field, each reader compiled to a
/// branch per field and a cleanup of the fields read before it (or, read
/// into a default value, a drop of that field's default), once per field
/// (the widget's wasm is smaller this way). The error is the one the reader
/// with `?` returns: the first field's in the order read. The fields after it
/// are read too, and dropped with the rest of the value.
#[derive(Debug)]
pub struct Fields {
    record: Record,
    error: Option<ReadError>,
}

impl Fields {
    /// The object `value`; anything else is an error that names `expected`
    /// (`struct Workitem`, as serde's derive words it).
    pub fn new(value: Value, expected: &str) -> Result<Self, ReadError> {
        match Record::new(value, expected) {
            Ok(record) => Ok(Self {
                record,
                error: None,
            }),
            Err(error) => Err(error),
        }
    }

    /// The fields of `object`.
    pub fn of(object: Map) -> Self {
        Self {
            record: Record::of(object),
            error: None,
        }
    }

    /// The value `read`, or its type's default after keeping its error.
    fn keep<T: Default>(&mut self, read: Result<T, ReadError>) -> T {
        match read {
            Ok(value) => value,
            Err(error) => {
                self.note(error);
                T::default()
            }
        }
    }

    /// Keeps `error` unless an earlier field's is kept. Not inlined: every
    /// field's reader shares it.
    #[inline(never)]
    fn note(&mut self, error: ReadError) {
        if self.error.is_none() {
            self.error = Some(error);
        }
    }

    /// Keeps `error`, about field `key`, unless an earlier field's is
    /// kept. Not inlined: the readers of every type share it, so that each
    /// of their instances only takes the value out and reads it.
    #[inline(never)]
    fn note_at(&mut self, error: ReadError, key: &'static str) {
        self.note(error.at_field(key));
    }

    /// Field `key` read by its type, or `None` after keeping its error.
    fn read<T: FromJson>(&mut self, key: &'static str, value: Value) -> Option<T> {
        match T::from_json(value) {
            Ok(value) => Some(value),
            Err(error) => {
                self.note_at(error, key);
                None
            }
        }
    }

    /// An optional field ([`Record::optional`]).
    pub fn optional<T: FromJson>(&mut self, key: &'static str) -> Option<T> {
        let value = self.record.take_present(key)?;
        self.read(key, value)
    }

    /// A field with its type's default when absent ([`Record::or_default`]).
    pub fn or_default<T: FromJson + Default>(&mut self, key: &'static str) -> T {
        let value = self.record.take(key);
        value
            .and_then(|value| self.read(key, value))
            .unwrap_or_default()
    }

    /// A field that is `default` when absent ([`Record::or`]).
    pub fn or<T: FromJson + Default>(&mut self, key: &'static str, default: T) -> T {
        let Some(value) = self.record.take(key) else {
            return default;
        };
        self.read(key, value).unwrap_or_default()
    }

    /// A field that must be present ([`Record::required`]); its type's
    /// default when it is not (the error is kept).
    pub fn required<T: FromJson + Default>(&mut self, key: &'static str) -> T {
        let read = self.record.required(key);
        self.keep(read)
    }

    /// A field that must be present ([`Record::required`]); `placeholder`
    /// when it is not (the error is kept), for a type without a default.
    pub fn required_or<T: FromJson>(&mut self, key: &'static str, placeholder: T) -> T {
        match self.record.required(key) {
            Ok(value) => value,
            Err(error) => {
                self.note(error);
                placeholder
            }
        }
    }

    /// A count that may come as numeric text ([`Record::count`]).
    #[inline(never)]
    pub fn count(&mut self, key: &'static str) -> Option<u64> {
        let read = self.record.count(key);
        self.keep(read)
    }

    /// Text that may come as a number or a boolean ([`Record::lenient_text`]).
    /// Not inlined, as the readers below: each field is one call.
    #[inline(never)]
    pub fn lenient_text(&mut self, key: &'static str) -> Option<String> {
        let read = self.record.lenient_text(key);
        self.keep(read)
    }

    /// Text, absent is empty ([`Record::text_or_empty`]).
    #[inline(never)]
    pub fn text_or_empty(&mut self, key: &'static str) -> String {
        let read = self.record.text_or_empty(key);
        self.keep(read)
    }

    /// Text that must be present ([`Record::required_text`]).
    #[inline(never)]
    pub fn required_text(&mut self, key: &'static str) -> String {
        let read = self.record.required_text(key);
        self.keep(read)
    }

    /// A timestamp ([`Record::timestamp`]).
    #[inline(never)]
    pub fn timestamp(&mut self, key: &'static str) -> Option<DateTime<Utc>> {
        let read = self.record.timestamp(key);
        self.keep(read)
    }

    /// The fields not taken ([`Record::extra`]).
    pub fn extra(&mut self) -> ExtraFields {
        std::mem::replace(&mut self.record, Record::empty()).extra()
    }

    /// `value`, read from these fields, or the first error of its fields.
    pub fn finish<T>(self, value: T) -> Result<T, ReadError> {
        match self.close() {
            None => Ok(value),
            Some(error) => Err(error),
        }
    }

    /// The first error, the fields left untaken dropped. Not inlined: every
    /// reader shares the drop of its fields (the wasm is smaller).
    #[inline(never)]
    fn close(self) -> Option<ReadError> {
        self.error
    }
}

#[cfg(test)]
mod tests {
    use crate::bs::Workitem;
    use crate::json::json;
    use crate::record::FromJson;

    /// The error is the first field's in the order read, as with a `?` after
    /// each field, however many fields after it are wrong too.
    #[test]
    fn the_first_field_s_error_is_the_reader_s() {
        let error = Workitem::from_json(json!({
            "id": 5,
            "activity": 1,
            "associations": "none",
            "state": [],
        }))
        .unwrap_err();
        assert_eq!(
            error.to_string(),
            "activity: invalid type: integer `1`, expected struct Activity"
        );
        let error = Workitem::from_json(json!({"ctiData": {"queueName": []}})).unwrap_err();
        assert_eq!(
            error.to_string(),
            "ctiData.queueName: invalid type: sequence, expected a string or a number"
        );
        assert_eq!(
            Workitem::from_json(json!({})).unwrap_err().to_string(),
            "missing field `id`"
        );
    }
}
