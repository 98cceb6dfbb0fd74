//! What became of a Tenios extend or cancel whose answer was lost after
//! Tenios acted: the widget's second sending (or the browser's, which sends a
//! request again by itself when a reused connection breaks) is refused, and
//! that refusal must not be what the agent is told.

use chrono::{DateTime, TimeDelta, Utc};
use wrapup_core::extension::check_extension;
use wrapup_core::tenios::{
    HeldEnd, TeniosError, TeniosErrorCode as Code, cancel_in_doubt, extended_after_all,
    extension_in_doubt,
};

fn at(seconds: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(1_700_000_000 + seconds, 0).expect("valid timestamp")
}

/// The wrap-up ends at 0 for the widget; the agent asks for 30 s more.
const STEP: i64 = 30;

#[test]
fn an_extension_sent_again_after_it_was_done_is_refused_as_too_short_and_was_done() {
    let (current, requested) = (at(0), at(STEP));
    assert_eq!(check_extension(current, requested), Ok(()));
    // The first sending moved Tenios' end to `requested`; the second asks for
    // the same end, which adds nothing.
    let refusal = TeniosError::from(check_extension(requested, requested).expect_err("too short"));
    assert_eq!(refusal, TeniosError::wrap_up_invalid_extend_time_amount());
    let code = refusal.code();
    assert!(extension_in_doubt(code));
    // Without an end held elsewhere (Genesys), the refusal says where it is.
    assert_eq!(
        extended_after_all(current, requested, code, HeldEnd::Unknown),
        Some(requested)
    );
}

#[test]
fn the_end_the_backend_holds_decides_what_became_of_the_extension() {
    let (current, requested) = (at(0), at(STEP));
    for refusal in [
        None,
        Some(Code::WrapUpInvalidExtendTimeAmount),
        Some(Code::WrapUpExceededLimit),
        Some(Code::AgentNotInWrapUp),
    ] {
        assert!(extension_in_doubt(refusal), "{refusal:?}");
        let after = |held| extended_after_all(current, requested, refusal, held);
        assert_eq!(
            after(HeldEnd::At(requested)),
            Some(requested),
            "{refusal:?}"
        );
        // An earlier extension whose answer was lost moved it further.
        let further = requested + TimeDelta::seconds(STEP);
        assert_eq!(after(HeldEnd::At(further)), Some(further), "{refusal:?}");
        assert_eq!(after(HeldEnd::At(current)), None, "{refusal:?}");
        assert_eq!(after(HeldEnd::Over), None, "{refusal:?}");
    }
    // No answer and no end to read: nothing says it was extended.
    assert_eq!(
        extended_after_all(current, requested, None, HeldEnd::Unknown),
        None
    );
}

#[test]
fn refusals_that_say_nothing_of_the_end_stand() {
    for refusal in [
        Code::AgentNotFound,
        Code::FieldIsRequired,
        Code::WrapUpDateParseError,
    ] {
        assert!(!extension_in_doubt(Some(refusal)), "{refusal:?}");
    }
}

#[test]
fn a_cancel_sent_again_after_it_was_done_finds_no_wrap_up() {
    let refusal = TeniosError::agent_not_in_wrap_up().code();
    assert!(cancel_in_doubt(refusal));
    assert!(cancel_in_doubt(None), "no answer");
    for refusal in [
        Code::AgentNotFound,
        Code::FieldIsRequired,
        Code::WrapUpInvalidExtendTimeAmount,
    ] {
        assert!(!cancel_in_doubt(Some(refusal)), "{refusal:?}");
    }
}
