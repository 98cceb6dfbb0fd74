//! The wrap-up countdown: ring and `m:ss` derived from the deadline and an
//! injected clock, colour bands with a non-colour cue, screen-reader
//! announcements at 60, 30 and 10 seconds, and the automatic submission, or
//! when there is no code to submit, one message saying so.
#![cfg(target_arch = "wasm32")]

mod components_support;

use components_support::*;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use wrapup_core::desk::Effect;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
async fn bands_and_clock_follow_the_deadline() {
    let store = store_in_wrapup("1", configuration(Some(120)));
    let widget = mount(store, "?agent=a1");
    tick().await;
    let timer = get(&widget, "countdown");
    // (instant, clock, band, band words): green above 50 %, yellow to 25 %,
    // orange below, red at 0.
    for (seconds, clock, band, words) in [
        (0, "2:00", "green", "On time"),
        (59, "1:01", "green", "On time"),
        (60, "1:00", "yellow", "Half time"),
        (90, "0:30", "yellow", "Half time"),
        (91, "0:29", "orange", "Hurry"),
        (119, "0:01", "orange", "Hurry"),
    ] {
        store.set_now(at(seconds));
        tick().await;
        assert_eq!(
            text(&widget, "countdown-clock"),
            clock,
            "clock at {seconds} s"
        );
        assert_eq!(
            timer.get_attribute("data-band").as_deref(),
            Some(band),
            "band at {seconds} s"
        );
        assert!(timer.class_name().contains(&format!("wg-timer--{band}")));
        assert!(
            text(&widget, "countdown-band").ends_with(words),
            "words at {seconds} s"
        );
    }
    // A millisecond before the end there is still a second to show.
    store.set_now(at_ms(119_999));
    tick().await;
    assert_eq!(text(&widget, "countdown-clock"), "0:01");
}

#[wasm_bindgen_test]
async fn announces_one_minute_thirty_and_ten_seconds_once_each() {
    let store = store_in_wrapup("1", configuration(Some(120)));
    let widget = mount(store, "?agent=a1");
    tick().await;
    let announcement = || text(&widget, "countdown-announcement");
    let mut heard = Vec::new();
    for seconds in [30, 59, 60, 61, 80, 89, 90, 95, 109, 110, 111] {
        store.set_now(at(seconds));
        tick().await;
        if heard.last() != Some(&announcement()) && !announcement().is_empty() {
            heard.push(announcement());
        }
    }
    assert_eq!(
        heard,
        [
            "One minute left to wrap up",
            "30 seconds left to wrap up",
            "10 seconds left to wrap up"
        ]
    );
}

#[wasm_bindgen_test]
async fn a_throttled_tab_announces_only_the_most_urgent_crossing() {
    let store = store_in_wrapup("1", configuration(Some(120)));
    let widget = mount(store, "?agent=a1");
    tick().await;
    store.set_now(at(5));
    tick().await;
    assert_eq!(text(&widget, "countdown-announcement"), "");
    store.set_now(at(112));
    tick().await;
    assert_eq!(
        text(&widget, "countdown-announcement"),
        "10 seconds left to wrap up"
    );
}

#[wasm_bindgen_test]
async fn expiry_submits_the_default_code_once_and_shows_it() {
    let store = store_in_wrapup("1", configuration(Some(60)));
    let widget = mount(store, "?agent=a1");
    tick().await;
    store.take_unhandled_effects();
    store.set_now(at(59));
    tick().await;
    assert!(store.take_unhandled_effects().is_empty());
    store.set_now(at(60));
    tick().await;
    store.set_now(at(61));
    tick().await;
    let submissions: Vec<_> = store
        .take_unhandled_effects()
        .into_iter()
        .filter_map(|effect| match effect {
            Effect::SubmitWrapup(submission) => Some(submission),
            _ => None,
        })
        .collect();
    assert_eq!(submissions.len(), 1, "exactly one automatic submission");
    assert!(submissions[0].automatic);
    assert_eq!(submissions[0].code.as_deref(), Some("Billing Issue"));
    assert_eq!(
        get(&widget, "submission-state")
            .get_attribute("data-state")
            .as_deref(),
        Some("saving")
    );
    assert_eq!(text(&widget, "submission-code"), "Billing Issue");
    assert!(
        find(&widget, "countdown").is_none(),
        "the timer is gone once submitted"
    );
}

/// The texts of the live regions in the wrap-up panel that have something to say.
fn spoken(container: &web_sys::HtmlElement) -> Vec<String> {
    let regions = get(container, "wrapup-panel")
        .query_selector_all(
            "[role=alert], [role=status], [role=log], [aria-live]:not([aria-live=off])",
        )
        .unwrap();
    (0..regions.length())
        .filter_map(|index| regions.item(index)?.text_content())
        .map(|text| text.trim().to_owned())
        .filter(|text| !text.is_empty())
        .collect()
}

#[wasm_bindgen_test]
async fn an_expiry_with_no_code_to_submit_is_told_once_with_what_to_do() {
    // Regression: the expiry alert, the countdown's "Time's up" and its last
    // announcement, the reason beside Submit and the Desk's refusal as a
    // notice said the same at once, three of them in live regions.
    let mut no_default = configuration(Some(120));
    no_default.default_code = None;
    let store = store_in_wrapup("1", no_default);
    let widget = mount(store, "?agent=a1&lang=de");
    tick().await;
    store.set_now(at(110));
    tick().await;
    assert_eq!(
        spoken(&widget),
        ["Noch 10 Sekunden für die Nachbearbeitung"]
    );
    store.set_now(at(120));
    tick().await;
    let message = "Es wurde nicht rechtzeitig ein Code gewählt, daher wurde die Nachbearbeitung \
                   nicht abgeschlossen. Wählen Sie einen Code und schließen Sie ab, oder \
                   verwerfen Sie sie.";
    assert_eq!(spoken(&widget), [message]);
    let expired = get(&widget, "wrapup-expired");
    assert_eq!(expired.get_attribute("role").as_deref(), Some("alert"));
    for gone in [
        "countdown",
        "submit-blocked-reason",
        "notice",
        "extend",
        "cancel-wrapup",
    ] {
        assert!(find(&widget, gone).is_none(), "{gone} is shown");
    }
    let submit = get(&widget, "submit");
    assert!(is_disabled(&submit));
    assert_eq!(
        submit.get_attribute("aria-describedby"),
        Some(expired.id()),
        "Submit is disabled for the reason the message gives"
    );
    assert_eq!(text(&widget, "dismiss-wrapup"), "Verwerfen");
}

#[wasm_bindgen_test]
async fn no_timer_without_a_deadline() {
    let store = store_in_wrapup("1", configuration(None));
    let widget = mount(store, "?agent=a1");
    tick().await;
    assert!(find(&widget, "wrapup-panel").is_some());
    assert!(find(&widget, "countdown").is_none());
    assert!(
        find(&widget, "extend").is_none(),
        "nothing to extend without a deadline"
    );
    store.set_now(at(3600));
    tick().await;
    assert!(find(&widget, "countdown").is_none());
    assert_eq!(text(&widget, "countdown-announcement"), "");
    assert!(
        store
            .take_unhandled_effects()
            .iter()
            .all(|effect| !matches!(effect, Effect::SubmitWrapup(_)))
    );
}

#[wasm_bindgen_test]
async fn extend_asks_the_backend_for_the_configured_step() {
    let store = store_in_wrapup("1", configuration(Some(60)));
    let widget = mount(store, "?agent=a1");
    tick().await;
    store.take_unhandled_effects();
    get(&widget, "extend").click();
    tick().await;
    let requested = store
        .take_unhandled_effects()
        .into_iter()
        .find_map(|effect| match effect {
            Effect::RequestExtension {
                current_end,
                requested_end,
                ..
            } => Some(requested_end - current_end),
            _ => None,
        });
    assert_eq!(requested, Some(chrono::TimeDelta::seconds(30)));
    assert_eq!(
        get(&widget, "extend")
            .get_attribute("aria-disabled")
            .as_deref(),
        Some("true"),
        "one extension at a time; the button keeps the focus"
    );
}
