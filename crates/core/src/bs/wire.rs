//! The b+s wire format's rules for a single value, and the serde helpers
//! built on them.
//!
//! The spec names its fields but types almost none of them, and CTI bridges
//! differ: one sends a call id as a number, another as a string. These
//! helpers accept those variants (a number or a boolean where text is
//! expected, a numeric string where a count is) and `null` for an absent
//! value; a value that cannot be the field (an object for an id, `"soon"`
//! for a time) is an error, which the reader reports under the field's name.
//!
//! Each rule is a function of one JSON value (`text_of`, `count_of`,
//! `timestamp_of`), used by the hand-written readers of the events, requests
//! and answers ([`FromJson`](super::FromJson)) and by the serde helpers below.

use chrono::{DateTime, Datelike, SubsecRound, Utc};
use serde::de::{self, Unexpected};
use serde::{Deserialize, Deserializer, Serializer};

use crate::datetime::{IsoMillisDateTime, parse_rfc3339};
use crate::json::{Map, Value, Writer};

/// Unknown fields of an event, kept so they reach integrators unchanged.
///
/// The `event` key is never kept here: in a [`super::CilEvent`] it is the
/// enum's tag, and keeping it twice would write it twice.
///
/// It is the JSON value's own map, the one a parsed object already is: what the
/// reader leaves is kept as it is, with no copy into another map type (whose
/// code, and the sort that builds it, the widget's wasm would carry too).
pub type ExtraFields = Map;

/// What a text field accepts, in serde's words.
const TEXT: &str = "a string or a number";

/// Reads a string that some sources send as a number or a boolean; `null`
/// is absent, and an array or an object cannot be text.
pub(crate) fn text_of<E: de::Error>(value: Value) -> Result<Option<String>, E> {
    match value {
        Value::String(text) => Ok(Some(text)),
        Value::Number(number) => Ok(Some(number.to_string())),
        Value::Bool(flag) => Ok(Some(flag.to_string())),
        Value::Null => Ok(None),
        shape @ (Value::Array(_) | Value::Object(_)) => {
            Err(E::invalid_type(unexpected(&shape), &TEXT))
        }
    }
}

/// The error for `null` where text is required.
pub(crate) fn null_for_text<E: de::Error>() -> E {
    E::invalid_type(Unexpected::Unit, &TEXT)
}

/// An optional count ("Number" in the spec's queue statistics): a
/// non-negative integer, an integral float or a numeric string, `null` as
/// `None`; anything else is an error.
pub(crate) fn count_of<E: de::Error>(value: Value) -> Result<Option<u64>, E> {
    const COUNT: &str = "a count: a whole number, 0 or more";
    let count = match &value {
        Value::Null => return Ok(None),
        Value::Number(number) => number.as_u64().or_else(|| {
            number
                .as_f64()
                .filter(|float| float.fract() == 0.0 && *float >= 0.0 && *float <= u64::MAX as f64)
                .map(|float| float as u64)
        }),
        Value::String(text) => text.trim().parse().ok(),
        Value::Bool(_) | Value::Array(_) | Value::Object(_) => None,
    };
    count
        .map(Some)
        .ok_or_else(|| E::invalid_value(unexpected(&value), &COUNT))
}

/// An optional timestamp: RFC 3339 text or epoch milliseconds
/// ([`parse_timestamp`]), `null` as `None`; anything else is an error.
pub(crate) fn timestamp_of<E: de::Error>(value: Value) -> Result<Option<DateTime<Utc>>, E> {
    const TIMESTAMP: &str =
        "an ISO 8601 date-time like \"2020-07-28T09:51:17.696Z\" or epoch milliseconds";
    if value.is_null() {
        return Ok(None);
    }
    parse_timestamp(&value)
        .map(Some)
        .ok_or_else(|| E::invalid_value(unexpected(&value), &TIMESTAMP))
}

/// Writes a timestamp the way the spec's example does:
/// `2020-07-28T09:51:17.696Z` (UTC, milliseconds, `Z`).
pub fn format_timestamp(instant: &DateTime<Utc>) -> String {
    // The ISO-8601 format with milliseconds, written as chrono's
    // `to_rfc3339_opts(SecondsFormat::Millis, true)` would.
    IsoMillisDateTime::new(*instant).to_string()
}

/// Reads a timestamp in RFC 3339 / ISO 8601 form (any offset, converted to
/// UTC), or as milliseconds since the Unix epoch.
///
/// The instant is cut to milliseconds and kept only within the years 0 to
/// 9999: that is what [`format_timestamp`] writes and RFC 3339 can say, so a
/// timestamp passed on to integrators reads back as the same instant.
pub fn parse_timestamp(value: &Value) -> Option<DateTime<Utc>> {
    let instant = match value {
        Value::String(text) => parse_rfc3339(text.trim()),
        Value::Number(number) => number.as_i64().and_then(DateTime::from_timestamp_millis),
        _ => None,
    }?;
    (0..=9999)
        .contains(&instant.year())
        .then(|| instant.trunc_subsecs(3))
}

/// An optional timestamp (`connectedAt`, `newStateChangeTime`, ...): `null`
/// is absent, an unreadable one an error.
pub mod timestamp_opt {
    use super::*;

    /// Writes `2020-07-28T09:51:17.696Z`.
    pub fn serialize<S: Serializer>(
        instant: &Option<DateTime<Utc>>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match instant {
            Some(instant) => serializer.serialize_str(&format_timestamp(instant)),
            None => serializer.serialize_none(),
        }
    }

    /// Reads RFC 3339 text or epoch milliseconds, `null` as `None`.
    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<DateTime<Utc>>, D::Error> {
        timestamp_of(Value::deserialize(deserializer)?)
    }
}

/// `value` in serde's words for an error (`string "soon"`, `integer 5`).
pub(crate) fn unexpected(value: &Value) -> Unexpected<'_> {
    match value {
        Value::Null => Unexpected::Unit,
        Value::Bool(flag) => Unexpected::Bool(*flag),
        Value::Number(number) => number
            .as_i64()
            .map(Unexpected::Signed)
            .or_else(|| number.as_u64().map(Unexpected::Unsigned))
            .unwrap_or_else(|| Unexpected::Float(number.as_f64().unwrap_or(f64::NAN))),
        Value::String(text) => Unexpected::Str(text),
        Value::Array(_) => Unexpected::Seq,
        Value::Object(_) => Unexpected::Map,
    }
}

/// The flattened map of unknown fields, minus the `event` tag (see [`ExtraFields`]).
pub mod extra_fields {
    use super::*;

    /// Writes every kept field except `event`.
    pub fn serialize<S: Serializer>(extra: &ExtraFields, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(extra.iter().filter(|(key, _)| key.as_str() != "event"))
    }
}

/// The fields of `extra` written in place, as `#[serde(flatten)]` with
/// [`extra_fields::serialize`] writes them: every one but `event`.
pub(crate) fn write_extra(out: &mut Writer, extra: &ExtraFields) {
    for (key, value) in extra {
        if key != "event" {
            out.field(key, value);
        }
    }
}

/// The field `key` with `instant` if it is there, as
/// [`timestamp_opt::serialize`] writes it.
pub(crate) fn write_timestamp(out: &mut Writer, key: &str, instant: &Option<DateTime<Utc>>) {
    if let Some(instant) = instant {
        out.field_str(key, &format_timestamp(instant));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_are_written_with_milliseconds_and_z() {
        let instant = parse_timestamp(&Value::from("2020-07-28T09:51:17.696Z"));
        assert_eq!(
            instant.as_ref().map(format_timestamp).as_deref(),
            Some("2020-07-28T09:51:17.696Z")
        );
    }

    #[test]
    fn timestamps_with_an_offset_are_converted_to_utc() {
        let instant = parse_timestamp(&Value::from("2020-07-28T11:51:17+02:00"));
        assert_eq!(
            instant.as_ref().map(format_timestamp).as_deref(),
            Some("2020-07-28T09:51:17.000Z")
        );
    }

    #[test]
    fn epoch_milliseconds_are_timestamps_too() {
        let instant = parse_timestamp(&Value::from(1_595_929_877_696_i64));
        assert_eq!(
            instant.as_ref().map(format_timestamp).as_deref(),
            Some("2020-07-28T09:51:17.696Z")
        );
    }

    #[test]
    fn timestamps_read_back_as_written() {
        // Found by the cti_event fuzz target: `connectedAt` as epoch
        // milliseconds in year 31174 was written as `+31174-03-19T…`, which
        // no RFC 3339 reader accepts, and a finer timestamp than milliseconds
        // changed on its way to integrators.
        for value in [
            Value::from(921_595_929_877_696_i64),
            Value::from(-62_167_219_200_001_i64),
            Value::from("9999-12-31T23:59:59.999-01:00"),
        ] {
            assert_eq!(parse_timestamp(&value), None, "{value}");
        }
        let fine = parse_timestamp(&Value::from("2020-07-28T09:51:17.6961Z"));
        let written = fine.as_ref().map(format_timestamp);
        assert_eq!(written.as_deref(), Some("2020-07-28T09:51:17.696Z"));
        assert_eq!(
            written.map(Value::from).as_ref().and_then(parse_timestamp),
            fine
        );
        let earliest = parse_timestamp(&Value::from(-62_167_219_200_000_i64));
        assert_eq!(
            earliest.as_ref().map(format_timestamp).as_deref(),
            Some("0000-01-01T00:00:00.000Z")
        );
    }

    #[test]
    fn unreadable_timestamps_are_absent_not_errors() {
        assert_eq!(parse_timestamp(&Value::from("yesterday")), None);
        assert_eq!(parse_timestamp(&Value::Null), None);
    }
}
