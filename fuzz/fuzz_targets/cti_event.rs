//! A b+s CTI event as the widget receives it (SSE from the server,
//! `wrapup:cti-event` from the host page): `CilEvent` read with the widget's
//! reader (a JSON value, then by hand).
//!
//! Holds: the widget's, the server's and the tracked reader agree (value or
//! error); a read event is written (to integrators) and read back
//! equal, with its name as `event`; the wrap-up a workitem's call data
//! announces reads without panicking, and what is written from it reads back
//! the same.
#![no_main]

use libfuzzer_sys::fuzz_target;
use wrapup_core::bs::CilEvent;
use wrapup_core::cti_wrapup::{CtiWrapup, genesys_service_id};
use wrapup_fuzz::{assert_round_trip, read_as_the_widget_does};

fuzz_target!(|data: &[u8]| {
    let Ok(event) = read_as_the_widget_does::<CilEvent>(data) else {
        return;
    };
    let json = assert_round_trip(&event);
    let written: serde_json::Value = serde_json::from_str(&json).expect("written JSON parses");
    assert_eq!(
        written.get("event").and_then(serde_json::Value::as_str),
        Some(event.name()),
        "the event is not written under its name: {json}"
    );
    if let Some((_, workitem)) = event.workitem() {
        let cti = workitem.cti_data.as_ref();
        let announced = CtiWrapup::read(cti);
        assert!(
            announced
                .codes
                .iter()
                .all(|code| !code.is_empty() && code.trim() == code && !code.contains(',')),
            "codes must be trimmed, non-empty and without commas: {announced:?}"
        );
        let mut rewritten = wrapup_core::bs::CtiData::default();
        announced.write(&mut rewritten);
        let reread = CtiWrapup::read(Some(&rewritten));
        assert_eq!(reread.codes, announced.codes);
        assert_eq!(reread.default_code, announced.default_code);
        assert_eq!(reread.duration_seconds, announced.duration_seconds);
        // The wire format has milliseconds: a finer start reads back cut to them.
        let opened_on = announced
            .opened_on
            .map(|at| wrapup_core::datetime::IsoMillisDateTime::new(at).get());
        assert_eq!(reread.opened_on, opened_on, "the wrap-up's start moved");
        if let Some(id) = genesys_service_id(cti) {
            assert!(id > 0, "a Genesys service id is positive: {id}");
        }
    }
});
