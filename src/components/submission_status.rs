//! Where a submitted wrap-up is: saving → sent → confirmed, or failed (or
//! refused) with the reason, the agent's input, a Retry when the runtime
//! offers one, and Dismiss; when the backend refused it as it is, the agent
//! may take it back to change the code or notes.

use leptos::prelude::*;
use wrapup_core::desk::{AgentAction, Input, SubmissionState};

use super::confirm::ConfirmButton;
use super::{RetrySubmission, handler, memo, or_nothing, paragraph, use_language};
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

/// The submission of `workitem_id`'s wrap-up.
#[component]
pub fn SubmissionStatus(workitem_id: String) -> impl IntoView {
    let store = context::<DeskStore>();
    let language = use_language();
    let text = move |message: Message| message.text(language);
    let retry = use_context::<RetrySubmission>();
    let id = workitem_id.clone();
    let submission = memo(move || {
        store.desk.with(|desk| {
            let session = desk.session(&id)?;
            let submission = session.submission()?;
            Some((
                submission.state.clone(),
                submission.submitted.automatic,
                session.submitted_code_label(),
            ))
        })
    });
    // Returned through the view's one render path for its output type (a
    // literal closure in `view!`), not as a closure of its own type, which
    // would compile Leptos' rendering code once more for it alone.
    let content = move || {
        let (state, automatic, code) = submission.get()?;
        // The state's name (`data-state`) and its class as literals, not a
        // class formatted here: every other static `class` is a `&str`, and
        // each value type of an attribute compiles its own rendering code.
        let (name, class, message) = match &state {
            SubmissionState::Saving => (
                "saving",
                "wg-submission wg-submission--saving",
                Message::SubmissionSaving,
            ),
            SubmissionState::Sent => (
                "sent",
                "wg-submission wg-submission--sent",
                Message::SubmissionSent,
            ),
            SubmissionState::Confirmed => (
                "confirmed",
                "wg-submission wg-submission--confirmed",
                Message::SubmissionConfirmed,
            ),
            SubmissionState::Failed { .. } => (
                "failed",
                "wg-submission wg-submission--failed",
                Message::SubmissionFailed,
            ),
            SubmissionState::Refused { .. } => (
                "refused",
                "wg-submission wg-submission--refused",
                Message::SubmissionFailed,
            ),
        };
        let refused = matches!(state, SubmissionState::Refused { .. });
        let failure = match state {
            SubmissionState::Failed { reason } | SubmissionState::Refused { reason } => {
                Some(reason)
            }
            _ => None,
        };
        let workitem_id = workitem_id.clone();
        Some(view! {
            <div class=class data-testid="submission">
                <p class="wg-submission__state" role="status" data-testid="submission-state" data-state=name>
                    <span class="wg-submission__icon" aria-hidden="true"></span>
                    {text(message)}
                </p>
                {code.map(|code| paragraph("wg-submission__code", "submission-code", code))}
                {automatic.then(|| view! { <p class="wg-submission__note">{text(Message::SubmittedAutomatically)}</p> })}
                {failure.map(|reason| {
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
                    });
                    let retry = retry.map(|RetrySubmission(retry)| {
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
                    });
                    view! {
                        <div class="wg-submission__failure" role="alert">
                            <p data-testid="submission-failure">{Phrase::FailedBecause { reason }.text(language)}</p>
                            <p>{text(Message::InputKept)}</p>
                            <div class="wg-submission__actions">
                                {change}
                                {retry}
                                <DismissButton workitem_id=dismiss_id/>
                            </div>
                        </div>
                    }
                })}
            </div>
        }.into_any())
    };
    view! { {move || or_nothing(content())} }
}
