//! The wrap-up countdown: a ring and `m:ss` derived from the deadline and
//! the clock, a band cue that does not rely on colour, and a live region that
//! tells screen-reader users at 60, 30 and 10 seconds.

use chrono::{DateTime, Utc};
use leptos::prelude::*;
use wrapup_core::desk::{Announcement, CountdownBand, crossed_announcement};

use super::{Attr, attr, attr_with, memo, or_nothing, use_language};
use crate::i18n::{Message, Phrase};
use crate::reactive::context;
use crate::store::DeskStore;

/// The ring's radius in the SVG's 44 × 44 view box.
const RING_RADIUS: f64 = 20.0;
/// [`RING_RADIUS`] as the SVG attribute writes it: a literal rather than an
/// `f64` attribute, which would link the float printer (~10 KB of wasm).
const RING_RADIUS_ATTR: &str = "20";

/// `value` (≥ 0) with two decimals, by integer arithmetic rather than `{:.2}`,
/// whose float formatting machinery would be linked for this one attribute.
fn two_decimals(value: f64) -> String {
    let hundredths = (value * 100.0).round() as u64;
    format!("{}.{:02}", hundredths / 100, hundredths % 100)
}

/// The band's words and a shape that tells the bands apart without colour.
fn band_cue(band: CountdownBand) -> (Message, &'static str) {
    match band {
        CountdownBand::Green => (Message::BandGreen, "●"),
        CountdownBand::Yellow => (Message::BandYellow, "◐"),
        CountdownBand::Orange => (Message::BandOrange, "▲"),
        CountdownBand::Red => (Message::BandRed, "■"),
    }
}

/// The countdown of `workitem_id`'s wrap-up; renders nothing when the
/// wrap-up has no deadline.
#[component]
pub fn Countdown(workitem_id: String) -> impl IntoView {
    let store = context::<DeskStore>();
    let language = use_language();
    // The workitem's id kept where `Copy` closures reach it, so that the
    // countdown is read where it is shown rather than kept in a memo of its
    // own type (every memo type compiles Leptos' memo code once more): its
    // readers are texts and attributes, compared before the DOM is touched.
    let id = StoredValue::new(workitem_id);
    let countdown = move || {
        let now = store.now.get();
        id.with_value(|id| {
            store
                .desk
                .with(|desk| desk.session(id).and_then(|session| session.countdown(now)))
        })
    };
    // Read from the Desk rather than kept in a memo of its own type: the
    // announcement's text changes only when what it announces does.
    let deadline = move || {
        id.with_value(|id| {
            store
                .desk
                .with(|desk| desk.session(id).and_then(|session| session.deadline()))
        })
    };
    // The last announcement made, kept until the next threshold is crossed,
    // with the instant last seen, so a crossing is judged between two
    // consecutive clock readings. Kept by the text that tells it (a render
    // function may keep state), which reruns at every reading of the clock
    // and every change of the Desk (as a memo of them would), rather than in
    // a memo of its own type: Leptos' memo code is compiled once per value
    // type.
    let (mut earlier, mut made) = (None::<DateTime<Utc>>, None::<Announcement>);
    let mut announcement = move || {
        let now = store.now.get();
        let deadline = deadline();
        let crossed = deadline
            .zip(earlier)
            .and_then(|(deadline, earlier)| crossed_announcement(deadline, earlier, now));
        earlier = Some(now);
        made = crossed.or(made);
        made.filter(|_| deadline.is_some())
            .map(|made| Phrase::TimeAnnouncement(made).text(language))
    };

    let circumference = 2.0 * std::f64::consts::PI * RING_RADIUS;
    let band = move || countdown().map_or(CountdownBand::Red, |c| c.band());
    let clock = move || countdown().map(|c| c.clock_text()).unwrap_or_default();
    let has_timer = memo(move || countdown().is_some());
    let timer = move || {
        has_timer.get().then(|| {
            view! {
                <div
                    class=move || format!("wg-timer wg-timer--{}", band().as_str())
                    role="timer"
                    {..attr_with(Attr::AriaLabel, move || {
                        format!(
                            "{}: {}",
                            Message::TimeLeft.text(language),
                            Phrase::ClockLeft { clock: clock() }.text(language),
                        )
                    })}
                    data-testid="countdown"
                    data-band=move || band().as_str().to_owned()
                >
                    <svg class="wg-timer__ring" viewBox="0 0 44 44" {..attr(Attr::AriaHidden, "true")}>
                        <circle class="wg-timer__track" cx="22" cy="22" r=RING_RADIUS_ATTR></circle>
                        <circle
                            class="wg-timer__progress"
                            cx="22"
                            cy="22"
                            r=RING_RADIUS_ATTR
                            stroke-dasharray=two_decimals(circumference)
                            stroke-dashoffset=move || {
                                let left = countdown().map_or(0.0, |c| c.fraction_left());
                                two_decimals(circumference * (1.0 - left))
                            }
                        ></circle>
                    </svg>
                    <span class="wg-timer__readout">
                        <span class="wg-timer__clock" data-testid="countdown-clock">
                            {move || clock()}
                        </span>
                        <span class="wg-timer__band" data-testid="countdown-band">
                            <span class="wg-timer__icon" {..attr(Attr::AriaHidden, "true")}>
                                {move || band_cue(band()).1.to_owned()}
                            </span>
                            {move || band_cue(band()).0.text(language).to_owned()}
                        </span>
                    </span>
                </div>
            }
            .into_any()
        })
    };
    view! {
        {move || or_nothing(timer())}
        <p
            class="wg-visually-hidden"
            {..attr(Attr::AriaLive, "polite")}
            {..attr(Attr::AriaAtomic, "true")}
            data-testid="countdown-announcement"
        >
            // An `AnyView` rather than an `Option<String>`: the one render
            // path the widget's other children share (components/mod.rs).
            {move || or_nothing(announcement().map(IntoAny::into_any))}
        </p>
    }
}
