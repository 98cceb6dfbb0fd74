//! Core's RFC 3339 reader and writers against chrono's, byte for byte: the
//! widget reads and writes these date-times by hand (chrono's text code
//! costs it 2 KB gzipped), and must read and write what chrono did.

use chrono::{DateTime, NaiveDate, NaiveTime, SecondsFormat, Utc};
use proptest::prelude::*;
use wrapup_core::bs::wire::format_timestamp;
use wrapup_core::datetime::{Rfc3339, parse_rfc3339};

fn chrono_parse(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|at| at.with_timezone(&Utc))
}

fn assert_reads_as_chrono(text: &str) {
    assert_eq!(parse_rfc3339(text), chrono_parse(text), "{text:?}");
}

fn assert_writes_as_chrono(at: DateTime<Utc>) {
    assert_eq!(
        Rfc3339(at).to_string(),
        at.to_rfc3339_opts(SecondsFormat::AutoSi, true),
        "{at:?}"
    );
    assert_eq!(
        format_timestamp(&at),
        at.to_rfc3339_opts(SecondsFormat::Millis, true),
        "{at:?}"
    );
}

#[test]
fn reads_the_edge_cases_as_chrono_does() {
    let accepted = [
        "2020-07-28T09:51:17.696Z",
        "2020-07-28t09:51:17.696z",
        "2020-07-28 09:51:17Z",
        "2024-02-29T00:00:00Z",
        "2000-02-29T00:00:00Z",
        "2016-12-31T23:59:60Z",
        "2016-12-31T23:59:60.5+01:00",
        "0000-01-01T00:00:00Z",
        "0000-01-01T00:00:00+23:59",
        "9999-12-31T23:59:59.999999999-23:59",
        "2020-01-01T09:00:00.1Z",
        "2020-01-01T09:00:00.12Z",
        "2020-01-01T09:00:00.123456789Z",
        "2020-01-01T09:00:00.1234567891234Z",
        "2020-01-01T09:00:00.000000000000000000000001Z",
        "2020-01-01T10:00:00+01:00",
        "2020-01-01T08:00:00-01:00",
        "2020-01-01T08:00:00\u{2212}01:00",
        "2020-01-01T08:00:00-00:00",
    ];
    for text in accepted {
        assert!(chrono_parse(text).is_some(), "chrono reads {text:?}");
        assert_reads_as_chrono(text);
    }
    let refused = [
        "",
        "2020-07-28",
        "2020-07-28T09:51:17",
        "2020-07-28T09:51:17.Z",
        "2020-07-28T09:51:17.696",
        "2020-07-28T09:51:17.696ZZ",
        "2020-07-28T09:51:17.696Z ",
        " 2020-07-28T09:51:17.696Z",
        "2020-07-28X09:51:17Z",
        "2020-7-28T09:51:17Z",
        "+2020-07-28T09:51:17Z",
        "2023-02-29T00:00:00Z",
        "1900-02-29T00:00:00Z",
        "2020-02-30T00:00:00Z",
        "2020-04-31T00:00:00Z",
        "2020-00-10T00:00:00Z",
        "2020-13-10T00:00:00Z",
        "2020-01-00T00:00:00Z",
        "2020-01-01T24:00:00Z",
        "2020-01-01T23:60:00Z",
        "2020-01-01T23:59:61Z",
        "2020-01-01T00:00:00+24:00",
        "2020-01-01T00:00:00+99:00",
        "2020-01-01T00:00:00+01:60",
        "2020-01-01T00:00:00+01:99",
        "2020-01-01T00:00:00+0100",
        "2020-01-01T00:00:00+01",
        "2020-01-01T00:00:00+1:00",
        "2020-01-01T00:00:00+01:0",
        "2020-01-01T00:00:00+01:000",
        "2020-01-01T00:00:00 +01:00",
        "2020-01-01T00:00:00UTC",
        "2020-01-01T00:00:00\u{2013}01:00",
        "2020-01-01T00:00:00.\u{0665}Z",
        "2020-01-01\u{e9}00:00:00Z",
        "\u{0662}020-01-01T00:00:00Z",
    ];
    for text in refused {
        assert!(chrono_parse(text).is_none(), "chrono refuses {text:?}");
        assert_reads_as_chrono(text);
    }
}

#[test]
fn writes_the_edge_cases_as_chrono_does() {
    let at = |y, mo, d, nanos| {
        NaiveDate::from_ymd_opt(y, mo, d)
            .expect("a date")
            .and_time(NaiveTime::from_hms_nano_opt(23, 59, 59, nanos).expect("a time"))
            .and_utc()
    };
    for nanos in [
        0,
        1,
        10,
        999,
        1_000,
        120_000,
        1_000_000,
        500_000_000,
        999_999_999,
        1_000_000_000,
        1_000_001_000,
        1_500_000_000,
        1_999_999_999,
    ] {
        for (y, mo, d) in [
            (2024, 2, 29),
            (0, 1, 1),
            (9999, 12, 31),
            (-1, 12, 31),
            (10000, 1, 1),
            (-12345, 6, 7),
            (123456, 6, 7),
        ] {
            assert_writes_as_chrono(at(y, mo, d, nanos));
        }
    }
    assert_writes_as_chrono(DateTime::<Utc>::MIN_UTC);
    assert_writes_as_chrono(DateTime::<Utc>::MAX_UTC);
}

/// A date-time in any year chrono holds, with leap seconds, and nanoseconds
/// that need 0, 3, 6 or 9 digits.
fn instant() -> impl Strategy<Value = DateTime<Utc>> {
    let nanos = prop_oneof![
        Just(0_u32),
        (0_u32..2_000).prop_map(|millis| millis * 1_000_000),
        (0_u32..2_000_000).prop_map(|micros| micros * 1_000),
        0_u32..2_000_000_000,
    ];
    let year = prop_oneof![-1_i32..=10_000, -262_000_i32..=262_000];
    (year, 1_u32..=366, 0_u32..24, 0_u32..60, 0_u32..60, nanos).prop_filter_map(
        "a valid date-time",
        |(year, ordinal, hour, minute, second, nanos)| {
            let second = if nanos >= 1_000_000_000 { 59 } else { second };
            Some(
                NaiveDate::from_yo_opt(year, ordinal)?
                    .and_time(NaiveTime::from_hms_nano_opt(hour, minute, second, nanos)?)
                    .and_utc(),
            )
        },
    )
}

/// Text near RFC 3339: each part drawn from valid and invalid values, so
/// that most are read and many refused for one reason.
fn near_rfc3339() -> impl Strategy<Value = String> {
    let date = (0_u32..=9999, 0_u32..=13, 0_u32..=32)
        .prop_map(|(year, month, day)| format!("{year:04}-{month:02}-{day:02}"));
    let separator = prop::sample::select(vec!["T", "t", " ", "_", "TT", ""]);
    let time = (0_u32..=25, 0_u32..=61, 0_u32..=61)
        .prop_map(|(hour, minute, second)| format!("{hour:02}:{minute:02}:{second:02}"));
    let fraction = prop_oneof![Just(String::new()), "\\.[0-9]{0,12}", "\\.[0-9]{1,3}[a-z]?",];
    let zone = prop_oneof![
        prop::sample::select(vec!["Z", "z", "", "ZZ", "+", "Z ", "UTC", "+01", "-0130"])
            .prop_map(str::to_owned),
        (
            prop::sample::select(vec!["+", "-", "\u{2212}", "\u{2013}"]),
            0_u32..=25,
            prop::sample::select(vec![":", "", ";"]),
            0_u32..=99,
        )
            .prop_map(|(sign, hours, colon, minutes)| {
                format!("{sign}{hours:02}{colon}{minutes:02}")
            }),
    ];
    (date, separator, time, fraction, zone).prop_map(|(date, separator, time, fraction, zone)| {
        format!("{date}{separator}{time}{fraction}{zone}")
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4096))]

    #[test]
    fn writes_any_instant_as_chrono_does(at in instant()) {
        assert_writes_as_chrono(at);
    }

    #[test]
    fn reads_what_it_writes_as_chrono_does(at in instant()) {
        assert_reads_as_chrono(&Rfc3339(at).to_string());
        assert_reads_as_chrono(&format_timestamp(&at));
    }

    #[test]
    fn reads_text_near_rfc3339_as_chrono_does(text in near_rfc3339()) {
        assert_reads_as_chrono(&text);
    }

    #[test]
    fn reads_a_timestamp_with_one_byte_changed_as_chrono_does(
        at in instant(),
        position in any::<prop::sample::Index>(),
        replacement in prop::sample::select(
            "0123456789:-+.TtZz \u{2212}\u{e9}x".chars().collect::<Vec<_>>(),
        ),
    ) {
        let text = Rfc3339(at).to_string();
        let position = position.index(text.len());
        let mut changed = text[..position].to_owned();
        changed.push(replacement);
        changed.push_str(&text[position + 1..]);
        assert_reads_as_chrono(&changed);
        assert_reads_as_chrono(&text[..position]);
    }

    #[test]
    fn reads_any_offset_as_chrono_does(
        at in instant(),
        offset_minutes in -1_500_i32..=1_500,
    ) {
        let (sign, minutes) = if offset_minutes < 0 { ('-', -offset_minutes) } else { ('+', offset_minutes) };
        let text = Rfc3339(at).to_string();
        let local = text.trim_end_matches('Z');
        let text = format!("{local}{sign}{:02}:{:02}", minutes / 60, minutes % 60);
        assert_reads_as_chrono(&text);
    }
}
