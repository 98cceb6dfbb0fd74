//! Where a submitted wrap-up is: saving → sent → confirmed, or failed (or
//! refused) with the reason, the agent's input, a Retry when the runtime
//! offers one, and Dismiss; when the backend refused it as it is, the agent
//! may take it back to change the code or notes.

use leptos::prelude::*;
use wrapup_core::desk::{AgentAction, Input, SubmissionState, WrapupSession};

use super::confirm::ConfirmButton;
use super::{
    Attr, OutboxActions, attr, handler, memo, or_nothing, paragraph, session_flag, session_text,
    use_language,
};
use crate::i18n::{Message, Phrase};
use crate::reactive::context;
use crate::store::DeskStore;

/// Dismiss: discards a wrap-up that will not be saved as it is (its
/// submission failed, or the time ran out with no code), with its draft,
/// once the agent confirms.
#[component]
pub fn DismissButton(workitem_id: String) -> impl IntoView {
    let store = context::<DeskStore>();
    let dismiss = Callback::new(move |()| {
        store.dispatch(Input::Agent(AgentAction::Dismiss {
            workitem_id: workitem_id.clone(),
        }))
    });
    view! {
        <ConfirmButton
            label=Message::Dismiss
            question=Message::DismissQuestion
            keep=Message::KeepIt
            testid="dismiss-wrapup"
            busy=memo(|| false)
            ask=memo(|| true)
            act=dismiss
        />
    }
}

/// How a submission state is shown: its name (the view's `data-state`), its
/// class and its message. The view's memo keeps the name, a `String` like the
/// widget's other memos (Leptos' memo code is compiled once per value type),
/// and the view looks the rest up here. The class is a literal, not formatted
/// from the name: every other static `class` is a `&str`, and each value type
/// of an attribute compiles its own rendering code.
#[derive(Clone, Copy)]
struct Shown {
    name: &'static str,
    class: &'static str,
    message: Message,
}

impl Shown {
    const ALL: [Self; 5] = [
        Self::new(
            "saving",
            "wg-submission wg-submission--saving",
            Message::SubmissionSaving,
        ),
        Self::new(
            "sent",
            "wg-submission wg-submission--sent",
            Message::SubmissionSent,
        ),
        Self::new(
            "confirmed",
            "wg-submission wg-submission--confirmed",
            Message::SubmissionConfirmed,
        ),
        Self::new(
            "failed",
            "wg-submission wg-submission--failed",
            Message::SubmissionFailed,
        ),
        Self::new(
            "refused",
            "wg-submission wg-submission--refused",
            Message::SubmissionFailed,
        ),
    ];

    const fn new(name: &'static str, class: &'static str, message: Message) -> Self {
        Self {
            name,
            class,
            message,
        }
    }

    fn of(state: &SubmissionState) -> Self {
        Self::ALL[match state {
            SubmissionState::Saving => 0,
            SubmissionState::Sent => 1,
            SubmissionState::Confirmed => 2,
            SubmissionState::Failed { .. } => 3,
            SubmissionState::Refused { .. } => 4,
        }]
    }

    fn named(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|shown| shown.name == name)
    }
}

/// The submission of `workitem_id`'s wrap-up.
#[component]
pub fn SubmissionStatus(workitem_id: String) -> impl IntoView {
    let store = context::<DeskStore>();
    let language = use_language();
    let text = move |message: Message| message.text(language);
    let retry = use_context::<OutboxActions>().and_then(|actions| actions.retry);
    // What the view shows, in memos of `String`s and a `bool` (the widget's
    // usual memo types) rather than one of its own type: Leptos' memo code is
    // compiled once per value type. The view reads them all, so it reruns
    // exactly when one of them changes.
    let read = |f| session_text(store, &workitem_id, f);
    // The state's name (its `data-state`), while there is a submission.
    let state = read(|session| Some(Shown::of(&session.submission()?.state).name.to_owned()));
    let failure = read(|session| match &session.submission()?.state {
        SubmissionState::Failed { reason } | SubmissionState::Refused { reason } => {
            Some(reason.clone())
        }
        _ => None,
    });
    let code = read(WrapupSession::submitted_code_label);
    let automatic = session_flag(store, &workitem_id, |session| {
        session
            .submission()
            .is_some_and(|submission| submission.submitted.automatic)
    });
    // Returned through the view's one render path for its output type (a
    // literal closure in `view!`), not as a closure of its own type, which
    // would compile Leptos' rendering code once more for it alone.
    let content = move || {
        let (state, failure, automatic, code) =
            (state.get(), failure.get(), automatic.get(), code.get());
        let Shown {
            name,
            class,
            message,
        } = Shown::named(&state?)?;
        let refused = name == "refused";
        let workitem_id = workitem_id.clone();
        Some(view! {
            <div class=class data-testid="submission">
                <p class="wg-submission__state" role="status" data-testid="submission-state" data-state=name>
                    <span class="wg-submission__icon" {..attr(Attr::AriaHidden, "true")}></span>
                    {text(message)}
                </p>
                {or_nothing(code.map(|code| paragraph("wg-submission__code", "submission-code", code).into_any()))}
                {or_nothing(automatic.then(|| view! { <p class="wg-submission__note">{text(Message::SubmittedAutomatically)}</p> }.into_any()))}
                {or_nothing(failure.map(|reason| {
                    let dismiss_id = workitem_id.clone();
                    // Refused as it is, the wrap-up is the agent's to change
                    // first: the form comes back with what they submitted.
                    let change_id = workitem_id.clone();
                    let change = refused.then(|| view! {
                        <button
                            type="button"
                            class="wg-button wg-button--primary"
                            data-testid="change-submission"
                            on:click=handler(move |_| store.dispatch(Input::Agent(AgentAction::Reopen {
                                workitem_id: change_id.clone(),
                            })))
                        >
                            {text(Message::ChangeSubmission)}
                        </button>
                    }.into_any());
                    let retry = retry.map(|retry| {
                        view! {
                            <button
                                type="button"
                                class=if refused { "wg-button" } else { "wg-button wg-button--primary" }
                                data-testid="retry-submission"
                                on:click=handler(move |_| retry.run(workitem_id.clone()))
                            >
                                {text(Message::Retry)}
                            </button>
                        }
                        .into_any()
                    });
                    view! {
                        <div class="wg-submission__failure" role="alert">
                            <p data-testid="submission-failure">{Phrase::FailedBecause { reason }.text(language)}</p>
                            <p>{text(Message::InputKept)}</p>
                            <div class="wg-submission__actions">
                                {or_nothing(change)}
                                {or_nothing(retry)}
                                <DismissButton workitem_id=dismiss_id/>
                            </div>
                        </div>
                    }
                    .into_any()
                }))}
            </div>
        }.into_any())
    };
    view! { {move || or_nothing(content())} }
}
