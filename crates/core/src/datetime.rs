//! The two date-time formats the specs use on the wire.
//!
//! - ServiceNow: `2024-09-16 17:52:01`, UTC, whole seconds ([`ServiceNowDateTime`]).
//! - Tenios and Genesys: ISO-8601 with milliseconds, `2020-01-01T09:00:00.000Z`
//!   ([`IsoMillisDateTime`]).
//!
//! Each newtype holds a `DateTime<Utc>` already cut to the precision of its
//! format, so a value equals itself after a trip over the wire.

use std::fmt;
use std::str::FromStr;

use chrono::{
    DateTime, Datelike, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, SubsecRound, Timelike,
    Utc,
};
use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The error text Tenios documents for an `end_time` in the wrong format,
/// word for word (the `WRAP_UP_DATE_PARSE_ERROR` body).
pub const TENIOS_END_TIME_FORMAT_ERROR: &str = "Parameter 'end_time' value parsing error: format must be yyyy-MM-dd'T'HH:mm:ss.SSSZ. E.g. 2016-01-01T09:00:00.000Z";

/// A date-time string that is not in the format its field requires.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DateTimeError {
    /// Not `yyyy-MM-dd HH:mm:ss`.
    #[error(
        "`{0}` is not a ServiceNow date-time: write it as yyyy-MM-dd HH:mm:ss in UTC, e.g. 2024-09-16 17:52:01"
    )]
    ServiceNow(String),
    /// Not `yyyy-MM-ddTHH:mm:ss.SSS` with a time zone.
    #[error(
        "`{0}` is not an ISO-8601 date-time with milliseconds and a time zone: write it as yyyy-MM-ddTHH:mm:ss.SSSZ, e.g. 2016-01-01T09:00:00.000Z"
    )]
    IsoMillis(String),
}

/// A ServiceNow date-time, `2024-09-16 17:52:01`, in UTC (the REST API's zone).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ServiceNowDateTime(DateTime<Utc>);

impl ServiceNowDateTime {
    /// The format has whole seconds: anything finer is dropped here, not on the wire.
    pub fn new(at: DateTime<Utc>) -> Self {
        Self(at.trunc_subsecs(0))
    }

    /// The instant.
    pub const fn get(&self) -> DateTime<Utc> {
        self.0
    }
}

impl From<DateTime<Utc>> for ServiceNowDateTime {
    fn from(at: DateTime<Utc>) -> Self {
        Self::new(at)
    }
}

impl From<ServiceNowDateTime> for DateTime<Utc> {
    fn from(at: ServiceNowDateTime) -> Self {
        at.0
    }
}

impl FromStr for ServiceNowDateTime {
    type Err = DateTimeError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let error = || DateTimeError::ServiceNow(text.to_owned());
        // chrono alone would take "2024-9-16 17:52:01"; the shape check keeps the format exact.
        if !has_shape(text.as_bytes(), b"dddd-dd-dd dd:dd:dd") {
            return Err(error());
        }
        naive_date_time(text.as_bytes(), 0)
            .map(|naive| Self(naive.and_utc()))
            .ok_or_else(error)
    }
}

impl fmt::Display for ServiceNowDateTime {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_date_time(formatter, &self.0, ' ')
    }
}

/// An ISO-8601 date-time with milliseconds, `2020-01-01T09:00:00.000Z`.
///
/// Read with `Z` or a numeric offset (`+01:00`, `+0100`: Tenios' pattern
/// `yyyy-MM-dd'T'HH:mm:ss.SSSZ` allows one); always written in UTC with `Z`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct IsoMillisDateTime(DateTime<Utc>);

impl IsoMillisDateTime {
    /// The format has milliseconds: anything finer is dropped here, not on the wire.
    pub fn new(at: DateTime<Utc>) -> Self {
        Self(at.trunc_subsecs(3))
    }

    /// The instant.
    pub const fn get(&self) -> DateTime<Utc> {
        self.0
    }
}

impl From<DateTime<Utc>> for IsoMillisDateTime {
    fn from(at: DateTime<Utc>) -> Self {
        Self::new(at)
    }
}

impl From<IsoMillisDateTime> for DateTime<Utc> {
    fn from(at: IsoMillisDateTime) -> Self {
        at.0
    }
}

impl FromStr for IsoMillisDateTime {
    type Err = DateTimeError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        // One error built at one place, however the text fails.
        read_iso_millis(text.as_bytes())
            .map(Self)
            .ok_or_else(|| DateTimeError::IsoMillis(text.to_owned()))
    }
}

/// `yyyy-MM-ddTHH:mm:ss.SSS` and a zone (`Z`, `±hh:mm` or `±hhmm`), in the
/// four-digit years.
fn read_iso_millis(text: &[u8]) -> Option<DateTime<Utc>> {
    let local_part = b"dddd-dd-ddTdd:dd:dd.ddd";
    let (local, zone) = text.split_at_checked(local_part.len())?;
    if !has_shape(local, local_part) {
        return None;
    }
    let at = instant(
        local,
        digits(&local[20..]) * 1_000_000,
        zone,
        Zone::IsoMillis,
    )?;
    // An offset can carry the first or last day of the four-digit years
    // into year -1 or 10000, which this format (always written in UTC)
    // cannot write back: refused as any other date-time it cannot hold.
    (0..=9999).contains(&at.year()).then_some(at)
}

impl fmt::Display for IsoMillisDateTime {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_date_time(formatter, &self.0, 'T')?;
        // Written with a literal `Z`, as every example of the specs does.
        let millis = self.0.nanosecond() % 1_000_000_000 / 1_000_000;
        write!(formatter, ".{millis:03}Z")
    }
}

/// RFC 3339 text read exactly as chrono's `DateTime::parse_from_rfc3339`
/// reads it, as an instant in UTC: `2020-07-28T09:51:17.696Z`, with `T`,
/// `t` or a space between date and time, a 60th second (a leap second), any
/// number of fractional digits (those past the ninth ignored), and `Z`, `z`
/// or an offset `±hh:mm` (`−`, U+2212, also a minus) up to ±23:59.
///
/// Read (and written, [`Rfc3339`]) here rather than by chrono, whose RFC 3339
/// reader and writer add 5 KB (2 KB gzipped) to the widget.
pub fn parse_rfc3339(text: &str) -> Option<DateTime<Utc>> {
    let (local, rest) = text.as_bytes().split_at_checked(19)?;
    if !has_shape(local, b"dddd-dd-dd?dd:dd:dd") || !matches!(local[10], b'T' | b't' | b' ') {
        return None;
    }
    let (nanos, zone) = match rest {
        [b'.', fraction @ ..] => {
            let end = fraction
                .iter()
                .position(|byte| !byte.is_ascii_digit())
                .unwrap_or(fraction.len());
            if end == 0 {
                return None;
            }
            let read = &fraction[..end.min(9)];
            // Scaled to nanoseconds: `5` is 500,000,000.
            let nanos = digits(read) * 10_u32.pow(9 - read.len() as u32);
            (nanos, &fraction[end..])
        }
        _ => (0, rest),
    };
    instant(local, nanos, zone, Zone::Rfc3339)
}

/// An instant written in RFC 3339 exactly as chrono's
/// `to_rfc3339_opts(SecondsFormat::AutoSi, true)` writes it: in UTC with `Z`,
/// with no fractional digits, or 3, 6 or 9, as few as hold the instant
/// (`2024-09-16T18:52:01.500Z`).
#[derive(Debug, Clone, Copy)]
pub struct Rfc3339(pub DateTime<Utc>);

impl fmt::Display for Rfc3339 {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_date_time(formatter, &self.0, 'T')?;
        let nanos = self.0.nanosecond() % 1_000_000_000;
        if nanos != 0 {
            let (fraction, width) = if nanos.is_multiple_of(1_000_000) {
                (nanos / 1_000_000, 3)
            } else if nanos.is_multiple_of(1_000) {
                (nanos / 1_000, 6)
            } else {
                (nanos, 9)
            };
            write!(formatter, ".{fraction:0width$}")?;
        }
        formatter.write_str("Z")
    }
}

/// Which zones a format accepts after its local date-time.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Zone {
    /// RFC 3339 as chrono reads it: `Z`, `z` or `±hh:mm`, with `−` (U+2212)
    /// also a minus.
    Rfc3339,
    /// Tenios' `SSSZ`: `Z`, `±hh:mm` or `±hhmm`.
    IsoMillis,
}

/// The instant of `local` (`yyyy-MM-dd?HH:mm:ss`, already checked to have
/// that shape) plus `nanos`, at the offset `zone` writes, one of those
/// `accepted` takes; offsets up to ±23:59.
///
/// Shared by both readers (one function rather than the date, time and
/// offset code twice), each keeping its own set of zones.
fn instant(local: &[u8], nanos: u32, zone: &[u8], accepted: Zone) -> Option<DateTime<Utc>> {
    let rfc3339 = accepted == Zone::Rfc3339;
    let (sign, hours_minutes): (i32, &[u8]) = match zone {
        b"Z" => (0, b"00:00"),
        b"z" if rfc3339 => (0, b"00:00"),
        [b'+', rest @ ..] => (1, rest),
        [b'-', rest @ ..] => (-1, rest),
        // `−` (U+2212).
        [0xE2, 0x88, 0x92, rest @ ..] if rfc3339 => (-1, rest),
        _ => return None,
    };
    let (hours, minutes) = if has_shape(hours_minutes, b"dd:dd") {
        (&hours_minutes[..2], &hours_minutes[3..])
    } else if !rfc3339 && has_shape(hours_minutes, b"dddd") {
        (&hours_minutes[..2], &hours_minutes[2..])
    } else {
        return None;
    };
    let (hours, minutes) = (digits(hours), digits(minutes));
    if hours > 23 || minutes > 59 {
        return None;
    }
    let offset = FixedOffset::east_opt(sign * i32::try_from(hours * 3600 + minutes * 60).ok()?)?;
    naive_date_time(local, nanos)?
        .and_local_timezone(offset)
        .single()
        .map(|at| at.with_timezone(&Utc))
}

// The two formats are read and written by hand rather than with chrono's
// strftime machinery, which adds 14 KB (6 KB gzipped) to the widget; both follow
// chrono's `%Y-%m-%d?%H:%M:%S` exactly (a 60th second is a leap second).

/// `yyyy-MM-dd?HH:mm:ss` at the start of `text`, already checked to have that
/// shape, plus `nanos`.
fn naive_date_time(text: &[u8], nanos: u32) -> Option<NaiveDateTime> {
    let year = i32::try_from(digits(&text[..4])).ok()?;
    let date = NaiveDate::from_ymd_opt(year, digits(&text[5..7]), digits(&text[8..10]))?;
    let (second, nanos) = match digits(&text[17..19]) {
        second @ 0..=59 => (second, nanos),
        60 => (59, nanos + 1_000_000_000),
        _ => return None,
    };
    let time =
        NaiveTime::from_hms_nano_opt(digits(&text[11..13]), digits(&text[14..16]), second, nanos)?;
    Some(date.and_time(time))
}

/// The value of a run of ASCII digits (checked by [`has_shape`]).
fn digits(text: &[u8]) -> u32 {
    text.iter()
        .fold(0, |value, digit| value * 10 + u32::from(digit - b'0'))
}

/// `yyyy-MM-dd?HH:mm:ss` with `separator` between date and time, as chrono's
/// `%Y` writes years outside 0..=9999 (with a sign).
fn write_date_time(
    formatter: &mut fmt::Formatter<'_>,
    at: &DateTime<Utc>,
    separator: char,
) -> fmt::Result {
    let year = at.year();
    if (0..=9999).contains(&year) {
        write!(formatter, "{year:04}")?;
    } else {
        write!(formatter, "{year:+05}")?;
    }
    // A leap second has nanoseconds past 10⁹ and is written as second 60.
    let second = at.second() + at.nanosecond() / 1_000_000_000;
    write!(
        formatter,
        "-{:02}-{:02}{separator}{:02}:{:02}:{second:02}",
        at.month(),
        at.day(),
        at.hour(),
        at.minute(),
    )
}

/// Whether `text` matches `shape`, where `d` stands for an ASCII digit, `?`
/// for any ASCII character and every other byte for itself.
fn has_shape(text: &[u8], shape: &[u8]) -> bool {
    text.len() == shape.len()
        && text
            .iter()
            .zip(shape)
            .all(|(&byte, &expected)| match expected {
                b'd' => byte.is_ascii_digit(),
                b'?' => byte.is_ascii(),
                literal => byte == literal,
            })
}

/// Serde support shared by both newtypes: a string in, the same format out.
macro_rules! string_serde {
    ($type:ty, $visitor:ident, $expecting:literal) => {
        impl crate::json::ToJson for $type {
            fn write_json(&self, out: &mut crate::json::Writer) {
                out.string(&self.to_string());
            }
        }

        impl Serialize for $type {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.collect_str(self)
            }
        }

        /// Reads the format from a string.
        struct $visitor;

        impl Visitor<'_> for $visitor {
            type Value = $type;

            fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
                formatter.write_str($expecting)
            }

            fn visit_str<E: de::Error>(self, text: &str) -> Result<Self::Value, E> {
                text.parse().map_err(E::custom)
            }
        }

        impl<'de> Deserialize<'de> for $type {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                deserializer.deserialize_str($visitor)
            }
        }

        crate::record::from_json_by_visitor!($type => $visitor);
    };
}

string_serde!(
    ServiceNowDateTime,
    ServiceNowDateTimeVisitor,
    "a ServiceNow date-time string like \"2024-09-16 17:52:01\""
);
string_serde!(
    IsoMillisDateTime,
    IsoMillisDateTimeVisitor,
    "an ISO-8601 date-time string like \"2016-01-01T09:00:00.000Z\""
);

#[cfg(test)]
mod tests;
