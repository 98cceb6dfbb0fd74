//! ServiceNow `PUT /now/wrapup/segment/update`: the query string that names
//! the segment (read as axum's `Query` reads it, then
//! `SegmentUpdateQuery::resolve`) and the body (`SegmentUpdateRequest`).
//! The input's first line is the query, the rest the body.
//!
//! Holds: a read query is written and read back equal; resolving it follows
//! the documented precedence, and the key it gives names the same segment
//! again when written as a query; a refusal lists exactly the missing
//! parameters. The body: the three readers agree, and a read body is
//! written back and read equal.
#![no_main]

use libfuzzer_sys::fuzz_target;
use wrapup_core::servicenow::{SegmentKey, SegmentUpdateQuery, SegmentUpdateRequest};
use wrapup_fuzz::{assert_round_trip, read_everywhere};

fuzz_target!(|data: &[u8]| {
    let split = data
        .iter()
        .position(|byte| *byte == b'\n')
        .unwrap_or(data.len());
    let (query, body) = data.split_at(split);
    check_query(query);
    if let Ok(request) = read_everywhere::<SegmentUpdateRequest>(body.get(1..).unwrap_or_default())
    {
        assert_round_trip(&request);
    }
});

fn check_query(query: &[u8]) {
    let Ok(query) = serde_urlencoded::from_bytes::<SegmentUpdateQuery>(query) else {
        return;
    };
    let written = serde_urlencoded::to_string(&query).expect("a query serialises");
    let reread: SegmentUpdateQuery =
        serde_urlencoded::from_str(&written).expect("a written query reads back");
    assert_eq!(
        reread, query,
        "the round trip through ?{written} changed the query"
    );
    match query.resolve() {
        Ok(key) => {
            let expected = if let Some(sys_id) = given(&query.segment_sys_id) {
                SegmentKey::SegmentSysId(sys_id.to_owned())
            } else if let Some(id) = given(&query.external_segment_id) {
                SegmentKey::ExternalSegmentId(id.to_owned())
            } else {
                SegmentKey::AgentInteraction {
                    agent_sys_id: given(&query.agent_sys_id).expect("resolved").to_owned(),
                    interaction_sys_id: given(&query.interaction_sys_id)
                        .expect("resolved")
                        .to_owned(),
                }
            };
            assert_eq!(key, expected, "the precedence was not followed");
            assert_eq!(SegmentUpdateQuery::from(key.clone()).resolve(), Ok(key));
        }
        Err(missing) => {
            assert!(given(&query.segment_sys_id).is_none());
            assert!(given(&query.external_segment_id).is_none());
            let expected: Vec<&str> = [
                ("agent_sys_id", &query.agent_sys_id),
                ("interaction_sys_id", &query.interaction_sys_id),
            ]
            .into_iter()
            .filter(|(_, value)| given(value).is_none())
            .map(|(name, _)| name)
            .collect();
            assert!(!expected.is_empty(), "refused a query that names a segment");
            assert_eq!(missing.missing, expected);
            for name in &missing.missing {
                assert!(missing.to_string().contains(name));
            }
        }
    }
}

/// A parameter that is there and not empty (`?segment_sys_id=` counts as absent).
fn given(value: &Option<String>) -> Option<&str> {
    value.as_deref().filter(|value| !value.is_empty())
}
