//! The reference server's body reader, `wrapup_server::wire::decode`: JSON
//! or XML by `Content-Type` (the XML root element is `request`), into the
//! API types the server reads through it. The input's first byte chooses the
//! format (bit 0: JSON or XML) and the type (the rest, modulo 5); the rest is
//! the body.
//!
//! Holds: decoding never panics; a JSON body decodes exactly as the core's
//! byte reader reads it, an empty one is refused in words; an XML refusal
//! says it is about the XML body or names the field; whatever either format decodes is written
//! as JSON and read back equal, and decodes again from that JSON.
#![no_main]

use std::fmt::Debug;

use axum::http::{HeaderMap, HeaderValue, header};
use libfuzzer_sys::fuzz_target;
use serde::Serialize;
use serde::de::DeserializeOwned;
use wrapup_core::bs::CilRequest;
use wrapup_core::servicenow::{
    CodePostRequest, SegmentCreateRequest, SegmentUpdateRequest, VoiceInteractionRequest,
};
use wrapup_fuzz::{assert_round_trip, to_json};
use wrapup_server::wire::decode;

fuzz_target!(|data: &[u8]| {
    let Some((choice, body)) = data.split_first() else {
        return;
    };
    let xml = choice & 1 == 1;
    match (choice >> 1) % 5 {
        0 => check::<SegmentCreateRequest>(xml, body),
        1 => check::<SegmentUpdateRequest>(xml, body),
        2 => check::<CodePostRequest>(xml, body),
        3 => check::<VoiceInteractionRequest>(xml, body),
        _ => check::<CilRequest>(xml, body),
    }
});

fn headers(content_type: &'static str) -> HeaderMap {
    let mut headers = HeaderMap::new();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers
}

fn check<T>(xml: bool, body: &[u8])
where
    T: Serialize + DeserializeOwned + PartialEq + Debug,
{
    let json_headers = headers("application/json");
    let decoded = if xml {
        let decoded = decode::<T>(&headers("application/xml; charset=utf-8"), body);
        if let Err(error) = &decoded {
            // Either the body is not XML, or a field of it is wrong or missing
            // and named (`segment.external: …`, "missing field `codes`"), as for JSON.
            assert!(
                error.starts_with("invalid XML body: ")
                    || error.contains("not UTF-8")
                    || error.starts_with("missing field `")
                    || error.split_once(": ").is_some_and(|(path, _)| !path.is_empty()),
                "an XML refusal that names neither the body nor a field: {error}"
            );
        }
        decoded
    } else {
        let decoded = decode::<T>(&json_headers, body);
        if body.iter().all(u8::is_ascii_whitespace) {
            assert!(decoded.as_ref().is_err_and(|error| error.contains("empty")));
        } else {
            let core = wrapup_core::parse::from_json_slice::<T>(body).map_err(|e| e.to_string());
            assert_eq!(decoded, core, "the server reads JSON unlike the core");
        }
        decoded
    };
    if let Ok(value) = decoded {
        assert_round_trip(&value);
        let json = to_json(&value);
        assert_eq!(decode::<T>(&json_headers, json.as_bytes()), Ok(value));
    }
}
