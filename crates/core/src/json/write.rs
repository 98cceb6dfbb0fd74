//! JSON text written by hand, exactly as serde_json writes it: compact, keys
//! in the order they are written, strings escaped as serde_json escapes them
//! and numbers as it formats them.
//!
//! The widget writes every request body, stored value and `cil` event with
//! [`to_string`] of a [`ToJson`] type. Their `Serialize` impls remain for the
//! server, which answers with serde_json; the widget's wasm then holds no
//! serde serializer (serde_json's writer and each type's derived impl, with
//! serde's tagged-enum machinery, were 11.5 KB of its gzipped wasm, where
//! this writer and the impls are 5.2 KB). Tests compare the two texts byte
//! for byte (`tests/write_as_serde_json.rs`, and the widget's stored types
//! in its `runtime/storage.rs`).

use std::fmt::Write as _;

use super::{Map, Number, Value};
use crate::text::part;

/// A value that writes itself as JSON, with the keys, renames, skipped
/// fields and tags its `Serialize` impl gives it.
pub trait ToJson {
    /// Writes the value to `out`.
    fn write_json(&self, out: &mut Writer);
}

/// `value` as compact JSON text, as `serde_json::to_string` writes it.
pub fn to_string(value: &dyn ToJson) -> String {
    let mut out = Writer::default();
    value.write_json(&mut out);
    out.text
}

/// JSON text under construction. Values written one after another in an
/// array or object are separated by commas; an object's fields are written
/// as [`Writer::key`] then the value.
#[derive(Debug, Default)]
pub struct Writer {
    text: String,
    /// Whether the next value or key follows a sibling (needs a comma).
    after_value: bool,
}

impl Writer {
    /// A comma before a value that follows a sibling.
    fn start_value(&mut self) {
        if self.after_value {
            self.text.push(',');
        }
        self.after_value = true;
    }

    /// `{`: the fields follow, then [`Writer::end_object`].
    pub fn begin_object(&mut self) {
        self.start_value();
        self.text.push('{');
        self.after_value = false;
    }

    /// `}`.
    pub fn end_object(&mut self) {
        self.text.push('}');
        self.after_value = true;
    }

    /// `[`: the items follow, then [`Writer::end_array`].
    pub fn begin_array(&mut self) {
        self.start_value();
        self.text.push('[');
        self.after_value = false;
    }

    /// `]`.
    pub fn end_array(&mut self) {
        self.text.push(']');
        self.after_value = true;
    }

    /// An object's key; its value is written next.
    pub fn key(&mut self, key: &str) {
        self.string(key);
        self.text.push(':');
        self.after_value = false;
    }

    /// The field `key` with `value`.
    pub fn field(&mut self, key: &str, value: &dyn ToJson) {
        self.key(key);
        value.write_json(self);
    }

    /// The field `key` with the text `value`.
    pub fn field_str(&mut self, key: &str, value: &str) {
        self.key(key);
        self.string(value);
    }

    /// The field `key` if `value` is there (`skip_serializing_if =
    /// "Option::is_none"`).
    pub fn optional<T: ToJson>(&mut self, key: &str, value: &Option<T>) {
        if let Some(value) = value {
            self.field(key, value);
        }
    }

    /// The field `key` with the text `value` if it is there.
    pub fn optional_str(&mut self, key: &str, value: Option<&str>) {
        if let Some(value) = value {
            self.field_str(key, value);
        }
    }

    /// `null`.
    pub fn null(&mut self) {
        self.start_value();
        self.text.push_str("null");
    }

    /// `true` or `false`.
    pub fn bool(&mut self, value: bool) {
        self.start_value();
        self.text.push_str(if value { "true" } else { "false" });
    }

    /// A whole number.
    pub fn i64(&mut self, value: i64) {
        self.start_value();
        let _ = write!(self.text, "{value}");
    }

    /// A whole number, 0 or more.
    pub fn u64(&mut self, value: u64) {
        self.start_value();
        let _ = write!(self.text, "{value}");
    }

    /// A number as serde_json writes it (its `Display` is its JSON text).
    pub fn number(&mut self, value: &Number) {
        self.start_value();
        let _ = write!(self.text, "{value}");
    }

    /// A string, escaped as serde_json escapes it: `"` and `\`, and the
    /// control characters below U+0020 (`\b`, `\t`, `\n`, `\f`, `\r` by
    /// name, the others as `\u00xx`); everything else as it is.
    pub fn string(&mut self, value: &str) {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        self.start_value();
        self.text.push('"');
        let mut start = 0;
        for (index, byte) in value.bytes().enumerate() {
            let escape = match byte {
                b'"' => "\\\"",
                b'\\' => "\\\\",
                b'\n' => "\\n",
                b'\r' => "\\r",
                b'\t' => "\\t",
                0x08 => "\\b",
                0x0c => "\\f",
                0x00..=0x1f => "",
                _ => continue,
            };
            self.text.push_str(part(value, start..index));
            if escape.is_empty() {
                self.text.push_str("\\u00");
                self.text.push(char::from(HEX[usize::from(byte >> 4)]));
                self.text.push(char::from(HEX[usize::from(byte & 0xf)]));
            } else {
                self.text.push_str(escape);
            }
            start = index + 1;
        }
        self.text.push_str(part(value, start..));
        self.text.push('"');
    }
}

impl ToJson for str {
    fn write_json(&self, out: &mut Writer) {
        out.string(self);
    }
}

impl<T: ToJson + ?Sized> ToJson for &T {
    fn write_json(&self, out: &mut Writer) {
        (**self).write_json(out);
    }
}

impl ToJson for String {
    fn write_json(&self, out: &mut Writer) {
        out.string(self);
    }
}

impl ToJson for bool {
    fn write_json(&self, out: &mut Writer) {
        out.bool(*self);
    }
}

impl ToJson for i64 {
    fn write_json(&self, out: &mut Writer) {
        out.i64(*self);
    }
}

impl ToJson for u64 {
    fn write_json(&self, out: &mut Writer) {
        out.u64(*self);
    }
}

impl ToJson for u32 {
    fn write_json(&self, out: &mut Writer) {
        out.u64(u64::from(*self));
    }
}

impl ToJson for Number {
    fn write_json(&self, out: &mut Writer) {
        out.number(self);
    }
}

/// `null` for `None`, as a field that is not skipped writes it.
impl<T: ToJson> ToJson for Option<T> {
    fn write_json(&self, out: &mut Writer) {
        match self {
            Some(value) => value.write_json(out),
            None => out.null(),
        }
    }
}

impl<T: ToJson> ToJson for [T] {
    fn write_json(&self, out: &mut Writer) {
        out.begin_array();
        for item in self {
            item.write_json(out);
        }
        out.end_array();
    }
}

impl<T: ToJson> ToJson for Vec<T> {
    fn write_json(&self, out: &mut Writer) {
        self.as_slice().write_json(out);
    }
}

impl ToJson for Map {
    fn write_json(&self, out: &mut Writer) {
        out.begin_object();
        for (key, value) in self {
            out.field(key, value);
        }
        out.end_object();
    }
}

impl ToJson for Value {
    fn write_json(&self, out: &mut Writer) {
        match self {
            Self::Null => out.null(),
            Self::Bool(flag) => out.bool(*flag),
            Self::Number(number) => out.number(number),
            Self::String(text) => out.string(text),
            Self::Array(items) => items.write_json(out),
            Self::Object(fields) => fields.write_json(out),
        }
    }
}
