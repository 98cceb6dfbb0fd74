//! The event stream's connection, the outbox and whether the browser keeps
//! the widget's data, shown discreetly: the agent should notice trouble
//! without being distracted by normal operation.

use leptos::prelude::*;

use super::format::local_clock_time;
use super::{Attr, attr, memo, or_nothing, paragraph};
use crate::config::{Config, origin_of, page_query_and_origin};
use crate::i18n::{Message, Phrase};
use crate::reactive::context;
use crate::store::{Connection, DeskStore};

/// From this failed attempt of the event stream on, the server is named: a
/// dropped connection is usually back before (the second attempt comes a
/// second or two after the first).
const UNREACHABLE_AFTER: u32 = 3;

/// The connection and outbox line under the agent header.
#[component]
pub fn StatusBar() -> impl IntoView {
    let store = context::<DeskStore>();
    let config = context::<Config>();
    let language = config.language;
    // The server the stream tries, named once a few attempts failed (origin
    // only: a path or a token in it is nobody's business on screen); and
    // the page's origin when it is another, since a page's security policy
    // may let it connect only to its own server.
    let page = page_query_and_origin().1;
    let server = origin_of(&config.server);
    let elsewhere = (server != page).then_some(page);
    let connection = move || {
        // The state's name (`data-state`) and its class as literals, not a
        // class formatted here: every other static `class` is a `&str`, and
        // each value type of an attribute compiles its own rendering code.
        let (name, class, words) = match store.connection.get() {
            Connection::Live => (
                "live",
                "wg-status__connection wg-status__connection--live",
                Message::ConnectionLive.text(language).to_owned(),
            ),
            // The server refused the widget's sign-in, which the header
            // tells: it refuses the stream too, and was reached. Said the
            // same way on every attempt, the line stays as it is.
            _ if store.sign_in_refused() => (
                "signed-out",
                "wg-status__connection wg-status__connection--signed-out",
                Message::ConnectionIdle.text(language).to_owned(),
            ),
            Connection::Connecting(attempt) | Connection::Reconnecting(attempt)
                if attempt >= UNREACHABLE_AFTER =>
            {
                (
                    "reconnecting",
                    "wg-status__connection wg-status__connection--reconnecting",
                    Phrase::Unreachable {
                        server: server.clone(),
                        attempt,
                        page: elsewhere.clone(),
                    }
                    .text(language),
                )
            }
            Connection::Reconnecting(attempt) => (
                "reconnecting",
                "wg-status__connection wg-status__connection--reconnecting",
                Phrase::Reconnecting { attempt }.text(language),
            ),
            // A page whose stream never opened is not reconnecting. It is
            // not connected, until its server is named, or the agent's
            // state answers whether the server refuses the widget's sign-in
            // (`Runtime::stream_attempted`).
            _ => (
                "idle",
                "wg-status__connection wg-status__connection--idle",
                Message::ConnectionIdle.text(language).to_owned(),
            ),
        };
        view! {
            <span class=class data-testid="connection" data-state=name>
                <span class="wg-status__dot" {..attr(Attr::AriaHidden, "true")}></span>
                {words}
            </span>
        }
        .into_any()
    };
    let pending = move || {
        let count = store.outbox.with(|outbox| outbox.pending);
        (count > 0).then(|| {
            view! {
                <span class="wg-status__outbox" data-testid="outbox-pending">
                    {Phrase::OutboxPending { count }.text(language)}
                </span>
            }
            .into_any()
        })
    };
    let last_error = move || {
        store.outbox.with(|outbox| outbox.last_error.clone()).map(|error| view! {
            <p class="wg-status__error" data-testid="outbox-error">
                <span class="wg-status__error-label">{Message::OutboxLastError.text(language)}": "</span>
                {error}
            </p>
        }.into_any())
    };
    // The last wrap-up saved: its panel has left, this says it was not lost.
    let saved = memo(move || {
        store.desk.with(|desk| {
            let saved = desk.last_saved()?;
            let text = Phrase::Saved {
                code: saved.code.clone(),
                caller: saved.caller.clone(),
                time: local_clock_time(saved.submitted_at, language),
            };
            Some(text.text(language))
        })
    });
    let last_saved = move || {
        saved
            .get()
            .map(|text| paragraph("wg-status__saved", "last-saved", text).into_any())
    };
    // A reload would lose what the agent types: they should know before.
    let not_kept = move || {
        (!store.storage_kept.get()).then(|| {
            paragraph(
                "wg-status__error",
                "storage-not-kept",
                Message::StorageNotKept.text(language).to_owned(),
            )
            .into_any()
        })
    };
    // Without the agent's lock (`runtime::agent_lock`) another tab of theirs
    // would run the same calls: they should know.
    let unguarded = move || {
        store.open_elsewhere_unknown.get().then(|| {
            paragraph(
                "wg-status__error",
                "open-elsewhere-unknown",
                Message::OpenElsewhereUnknown.text(language).to_owned(),
            )
            .into_any()
        })
    };
    view! {
        <div class="wg-status" role="status">
            <p class="wg-status__line">{move || connection()} {move || or_nothing(pending())}</p>
            {move || or_nothing(not_kept())}
            {move || or_nothing(unguarded())}
            {move || or_nothing(last_saved())}
            {move || or_nothing(last_error())}
        </div>
    }
}
