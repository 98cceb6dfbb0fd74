//! The heading of a wrap-up panel, which names its region: the wrap-up, who
//! the call was with and when it began, so that two wrap-ups of one caller
//! (or of two withheld numbers) are told apart, in the list of headings as
//! on the screen.

use chrono::{DateTime, Utc};
use leptos::prelude::*;
use wrapup_core::desk::{Desk, WrapupSession};

use super::format::{caller_text, local_clock_time};
use super::{Attr, attr, memo, session_text, use_language};
use crate::i18n::{Language, Message};
use crate::reactive::context;
use crate::store::DeskStore;

/// Which call a wrap-up is of, as its heading says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallName {
    /// Who the call was with, if known.
    pub caller: Option<String>,
    /// When the call began (see [`began`]).
    pub began: DateTime<Utc>,
    /// Its place (from 1) among the open wrap-ups of the same caller whose
    /// calls began in the same minute, when there are several: their
    /// headings would be the same otherwise.
    pub place: Option<usize>,
}

/// When the call of `session` began, as the agent knows it: when it was
/// established, else (the CTI system did not say) when its wrap-up began,
/// by the backend's clock once it answered, else by the Desk's. Each stays
/// the same across a reload, which replays the call's events.
fn began(session: &WrapupSession) -> DateTime<Utc> {
    session
        .connected_at()
        .or_else(|| session.opened_on())
        .unwrap_or_else(|| session.started_at())
}

/// Where the panel of `session` goes among the wrap-ups (`App`): the oldest
/// first, whose time runs out first, by the backend's clock (once it
/// answered), then by when the Desk saw it begin. The backend's clock gives
/// seconds: two wrap-ups of a second (a consultation and its call ending
/// together) keep the order they began in, so a new panel never goes above
/// the one the agent is working in, moving it down under their hands.
pub fn panel_order(session: &WrapupSession) -> (bool, Option<DateTime<Utc>>, DateTime<Utc>) {
    (
        session.opened_on().is_none(),
        session.opened_on(),
        session.started_at(),
    )
}

/// The name of the call of wrap-up `workitem_id`, if the Desk holds it.
pub fn call_name(desk: &Desk, workitem_id: &str) -> Option<CallName> {
    let session = desk.session(workitem_id)?;
    // A clock time shows minutes; every time zone's offset is whole minutes.
    let minute = |session: &WrapupSession| began(session).timestamp().div_euclid(60);
    let order = |session: &WrapupSession| (panel_order(session), session.workitem_id().to_owned());
    let same: Vec<&WrapupSession> = desk
        .sessions()
        .filter(|other| other.caller() == session.caller() && minute(other) == minute(session))
        .collect();
    let place = (same.len() > 1).then(|| {
        let mine = order(session);
        1 + same.iter().filter(|other| order(other) < mine).count()
    });
    Some(CallName {
        caller: session.caller().map(str::to_owned),
        began: began(session),
        place,
    })
}

impl CallName {
    /// Who, in the agent's words ("Unknown caller" for a withheld number).
    pub fn caller_text(&self, language: Language) -> String {
        caller_text(self.caller.clone(), language)
    }

    /// When, as a local clock time, and its place among the calls it would
    /// be the same as otherwise (`14:05 (2)`).
    pub fn time_text(&self, language: Language) -> String {
        let time = local_clock_time(self.began, language);
        match self.place {
            Some(place) => format!("{time} ({place})"),
            None => time,
        }
    }
}

/// The `<h2>` of wrap-up `workitem_id`, with element id `id` (which the
/// panel's region is labelled by): "Wrap-up", then the caller and the local
/// clock time the call began, on a line of their own.
#[component]
pub fn WrapupHeading(workitem_id: String, id: String) -> impl IntoView {
    let store = context::<DeskStore>();
    let language = use_language();
    // A memo of the caller (an `Option<String>` like the widget's other text
    // memos: Leptos' memo code is compiled once per value type), told in the
    // text, which compares before it touches the DOM.
    let caller = session_text(store, &workitem_id, |session| {
        session.caller().map(str::to_owned)
    });
    let time = memo(move || {
        store
            .desk
            .with(|desk| call_name(desk, &workitem_id).map(|name| name.time_text(language)))
    });
    view! {
        <h2 id=id class="wg-wrapup__title" {..attr(Attr::Tabindex, "-1")}>
            {Message::WrapupHeading.text(language)}
            " "
            <span class="wg-wrapup__call">
                <span class="wg-wrapup__caller" data-testid="wrapup-caller">{move || caller_text(caller.get(), language)}</span>
                " "
                <span class="wg-wrapup__time" data-testid="wrapup-time">{move || time.get()}</span>
            </span>
        </h2>
    }
}
