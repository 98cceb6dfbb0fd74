use super::*;
use chrono::TimeZone;

fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, mo, d, h, mi, s)
        .single()
        .expect("valid date")
}

#[test]
fn servicenow_format_round_trips() {
    let at: ServiceNowDateTime = "2024-09-16 17:52:01".parse().expect("documented format");
    assert_eq!(at.get(), utc(2024, 9, 16, 17, 52, 1));
    assert_eq!(at.to_string(), "2024-09-16 17:52:01");
}

#[test]
fn servicenow_format_is_exact() {
    for text in [
        "2024-9-16 17:52:01",
        "2024-09-16T17:52:01",
        "2024-09-16 17:52:01Z",
        "2024-09-16 17:52",
        "2024-02-30 17:52:01",
        "",
    ] {
        assert_eq!(
            text.parse::<ServiceNowDateTime>(),
            Err(DateTimeError::ServiceNow(text.to_owned())),
            "{text}"
        );
    }
}

#[test]
fn iso_millis_round_trips() {
    let at: IsoMillisDateTime = "2009-05-12T12:05:12.145Z".parse().expect("documented");
    assert_eq!(
        at.get(),
        utc(2009, 5, 12, 12, 5, 12) + chrono::TimeDelta::milliseconds(145)
    );
    assert_eq!(at.to_string(), "2009-05-12T12:05:12.145Z");
}

#[test]
fn iso_millis_accepts_offsets_and_writes_utc() {
    for text in [
        "2020-01-01T10:00:00.000+01:00",
        "2020-01-01T10:00:00.000+0100",
    ] {
        let at: IsoMillisDateTime = text.parse().expect(text);
        assert_eq!(at.to_string(), "2020-01-01T09:00:00.000Z");
    }
}

#[test]
fn iso_millis_refuses_the_tenios_wrong_format_example() {
    let text = "01-01-20020T09:00:00.000";
    assert_eq!(
        text.parse::<IsoMillisDateTime>(),
        Err(DateTimeError::IsoMillis(text.to_owned()))
    );
}

#[test]
fn iso_millis_needs_milliseconds_and_a_zone() {
    for text in [
        "2020-01-01T09:00:00Z",
        "2020-01-01T09:00:00.000",
        "2020-01-01T09:00:00.0000Z",
        "2020-01-01 09:00:00.000Z",
        "2020-01-01T09:00:00.000+1",
        "2020-01-01T09:00:00.000+24:00",
    ] {
        assert!(text.parse::<IsoMillisDateTime>().is_err(), "{text}");
    }
}

#[test]
fn iso_millis_refuses_an_offset_that_leaves_the_four_digit_years() {
    // Found by the date_time fuzz target: `9999-12-31T23:59:60.999-0130`
    // was read as an instant in year 10000 and written back as
    // `+10000-01-01T01:29:60.999Z`, which no reader of the format accepts.
    for text in [
        "9999-12-31T23:59:60.999-0130",
        "9999-12-31T23:00:00.000-01:00",
        "0000-01-01T00:59:59.999+01:00",
    ] {
        assert_eq!(
            text.parse::<IsoMillisDateTime>(),
            Err(DateTimeError::IsoMillis(text.to_owned())),
            "{text}"
        );
    }
    for (text, written) in [
        ("9999-12-31T22:59:59.999-01:00", "9999-12-31T23:59:59.999Z"),
        ("0000-01-01T01:00:00.000+01:00", "0000-01-01T00:00:00.000Z"),
    ] {
        let at: IsoMillisDateTime = text.parse().expect(text);
        assert_eq!(at.to_string(), written);
        assert_eq!(written.parse::<IsoMillisDateTime>(), Ok(at));
    }
}

#[test]
fn construction_cuts_to_the_wire_precision() {
    let at = utc(2024, 9, 16, 17, 52, 1) + chrono::TimeDelta::microseconds(123_456);
    assert_eq!(
        ServiceNowDateTime::new(at).get(),
        utc(2024, 9, 16, 17, 52, 1)
    );
    assert_eq!(
        IsoMillisDateTime::new(at).to_string(),
        "2024-09-16T17:52:01.123Z"
    );
}

#[test]
fn serde_uses_the_wire_format() {
    let at: ServiceNowDateTime = serde_json::from_str(r#""2024-09-16 18:52:01""#).expect("parses");
    assert_eq!(
        serde_json::to_string(&at).expect("serializes"),
        r#""2024-09-16 18:52:01""#
    );
    let error = serde_json::from_str::<IsoMillisDateTime>("5").expect_err("not a string");
    assert!(error.to_string().contains("ISO-8601"), "{error}");
}
