//! The specs' two date-time formats, read from text: Tenios' and Genesys'
//! ISO 8601 with milliseconds (`IsoMillisDateTime`, `end_time`,
//! `timestamp`) and ServiceNow's `yyyy-MM-dd HH:mm:ss` (`ServiceNowDateTime`,
//! `opened_on`, `confirmed_on`).
//!
//! And RFC 3339 (b+s timestamps, the stored outbox's `confirmed_on`), which
//! core reads and writes by hand in place of chrono's text code.
//!
//! Holds: reading never panics; a read date-time is written in its exact
//! format (UTC, `Z`, milliseconds; or the ServiceNow shape) and reads back
//! equal; reading a JSON string gives what reading the text gives; a
//! refusal quotes the text and shows the expected format; core's RFC 3339
//! reader accepts exactly what chrono's does, as the same instant, and
//! writes it as chrono does.
#![no_main]

use libfuzzer_sys::fuzz_target;
use chrono::{DateTime, SecondsFormat, Utc};
use wrapup_core::datetime::{IsoMillisDateTime, Rfc3339, ServiceNowDateTime, parse_rfc3339};
use wrapup_fuzz::text;

fuzz_target!(|data: &[u8]| {
    let Some(text) = text(data) else {
        return;
    };
    let as_json = serde_json::to_string(text).expect("a string serialises");
    let iso = text.parse::<IsoMillisDateTime>();
    let iso_json = serde_json::from_str::<IsoMillisDateTime>(&as_json);
    assert_eq!(
        iso.as_ref().ok(),
        iso_json.as_ref().ok(),
        "text and JSON readers disagree"
    );
    match iso {
        Ok(at) => {
            let written = at.to_string();
            assert!(
                shape(&written, "dddd-dd-ddTdd:dd:dd.dddZ"),
                "{text} is written as {written}"
            );
            assert_eq!(
                written.parse::<IsoMillisDateTime>(),
                Ok(at),
                "{text} → {written}"
            );
        }
        Err(error) => {
            let message = error.to_string();
            assert!(message.contains(text) && message.contains("yyyy-MM-ddTHH:mm:ss.SSSZ"));
        }
    }
    let rfc3339 = parse_rfc3339(text);
    let chrono = DateTime::parse_from_rfc3339(text).map(|at| at.with_timezone(&Utc));
    assert_eq!(rfc3339, chrono.ok(), "{text}: core and chrono disagree");
    if let Some(at) = rfc3339 {
        assert_eq!(
            Rfc3339(at).to_string(),
            at.to_rfc3339_opts(SecondsFormat::AutoSi, true)
        );
    }
    let servicenow = text.parse::<ServiceNowDateTime>();
    let servicenow_json = serde_json::from_str::<ServiceNowDateTime>(&as_json);
    assert_eq!(servicenow.as_ref().ok(), servicenow_json.as_ref().ok());
    match servicenow {
        Ok(at) => {
            let written = at.to_string();
            // The format has no zone: what was read is what is written.
            assert_eq!(written, text);
            assert_eq!(written.parse::<ServiceNowDateTime>(), Ok(at));
        }
        Err(error) => {
            let message = error.to_string();
            assert!(message.contains(text) && message.contains("yyyy-MM-dd HH:mm:ss"));
        }
    }
});

/// Whether `text` has `shape`, where `d` is an ASCII digit.
fn shape(text: &str, shape: &str) -> bool {
    text.len() == shape.len()
        && text
            .bytes()
            .zip(shape.bytes())
            .all(|(byte, expected)| match expected {
                b'd' => byte.is_ascii_digit(),
                literal => byte == literal,
            })
}
