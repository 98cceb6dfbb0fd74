//! One workitem's wrap-up: countdown, code picker, notes and the actions,
//! or where the submission is once it is made.

use chrono::TimeDelta;
use leptos::prelude::*;
use wrapup_core::desk::{AgentAction, Input, Refusal, WrapupPhase};

use super::code_picker::CodePicker;
use super::confirm::ConfirmButton;
use super::countdown::Countdown;
use super::notes_field::NotesField;
use super::submission_status::{DismissButton, SubmissionStatus};
use super::wrapup_cue::WrapupCue;
use super::wrapup_heading::WrapupHeading;
use super::{
    Attr, attr, attr_with, handler, memo, or_nothing, paragraph, present, session_flag,
    session_text, unique_id, use_language,
};
use crate::config::Config;
use crate::i18n::{Language, Message, Phrase, refusal_text};
use crate::reactive::context;
use crate::store::DeskStore;

/// The wrap-up panel of `workitem_id`.
#[component]
pub fn WrapupPanel(workitem_id: String) -> impl IntoView {
    let store = context::<DeskStore>();
    let language = use_language();
    let text = move |message: Message| message.text(language);
    // What the panel's body shows: the form (also once its time is over,
    // and while it is cancelled), the submission, that it was cancelled, or
    // else that the wrap-up opens. What follows the phase reads memos of
    // such flags, not a memo of the phase: Leptos' memo code is compiled
    // once per value type, and `bool` is the widget's most common.
    let open = session_flag(store, &workitem_id, |s| {
        matches!(
            s.phase(),
            WrapupPhase::Open | WrapupPhase::ExpiredUnsubmitted | WrapupPhase::Cancelling
        )
    });
    let submitted = session_flag(store, &workitem_id, |s| s.phase() == WrapupPhase::Submitted);
    let cancelled = session_flag(store, &workitem_id, |s| s.phase() == WrapupPhase::Cancelled);
    // Once the time is over the countdown has nothing left to tell: the
    // panel says so once, in the form's own message.
    let counting = session_flag(store, &workitem_id, |s| {
        matches!(s.phase(), WrapupPhase::Open | WrapupPhase::Cancelling)
    });
    let heading_id = unique_id("wrapup");
    let labelled_by = heading_id.clone();

    let submit = {
        let workitem_id = workitem_id.clone();
        move || {
            store.dispatch(Input::Agent(AgentAction::Submit {
                workitem_id: workitem_id.clone(),
            }))
        }
    };
    let submit_on_key = submit.clone();
    // Ctrl+Enter (⌘+Enter on a Mac) submits from anywhere in the panel.
    let on_keydown = move |event: web_sys::KeyboardEvent| {
        if event.key() == "Enter" && (event.ctrl_key() || event.meta_key()) && open.get_untracked()
        {
            event.prevent_default();
            submit_on_key();
        }
    };

    let form = {
        let workitem_id = workitem_id.clone();
        move |back: bool| form_view(store, language, workitem_id.clone(), back, submit.clone())
    };
    let countdown_id = workitem_id.clone();
    let heading_of = workitem_id.clone();
    let cue_of = workitem_id.clone();
    // The form follows the submission's status only when the agent took a
    // refused submission back to change it: it comes back with the focus
    // on the code picker, where the change usually is.
    let submission_shown = StoredValue::new(false);
    // Reruns when what it shows changes: a flag it read changed (the later
    // flags are read only when the earlier ones are false).
    let panel_body = move || {
        if open.get() {
            let back = submission_shown.get_value();
            submission_shown.set_value(false);
            form(back).into_any()
        } else if submitted.get() {
            submission_shown.set_value(true);
            view! { <SubmissionStatus workitem_id=workitem_id.clone()/> }.into_any()
        } else if cancelled.get() {
            view! {
                <p class="wg-wrapup__status" role="status" data-testid="wrapup-cancelled">
                    {text(Message::Cancelled)}
                </p>
            }
            .into_any()
        } else {
            view! {
                <p class="wg-wrapup__status" role="status" data-testid="wrapup-opening">
                    {text(Message::WrapupOpening)}
                </p>
            }
            .into_any()
        }
    };
    // The heading names the region: with two wrap-ups open (a consultation
    // and the call it came from, two calls of one caller) each is told apart
    // by who it is with and when it began.
    let cue_heading = heading_id.clone();
    view! {
        <WrapupCue workitem_id=cue_of heading_id=cue_heading/>
        <section
            class="wg-wrapup"
            {..attr(Attr::AriaLabelledby, labelled_by)}
            data-testid="wrapup-panel"
            on:keydown=handler(on_keydown)
        >
            <header class="wg-wrapup__header">
                <WrapupHeading workitem_id=heading_of id=heading_id/>
                {move || or_nothing({
                    counting
                        .get()
                        .then(|| view! { <Countdown workitem_id=countdown_id.clone()/> }.into_any())
                })}
            </header>
            {move || panel_body()}
        </section>
    }
}

/// `aria-disabled` for a button that is busy: it keeps the focus (a
/// `disabled` one would drop it to the page) and ignores presses meanwhile.
fn busy(busy: bool) -> Option<String> {
    busy.then(|| "true".to_owned())
}

/// The picker, notes, actions and notices of an open wrap-up; `back`: the
/// agent took its refused submission back to change it just now.
fn form_view(
    store: DeskStore,
    language: Language,
    workitem_id: String,
    back: bool,
    submit: impl Fn() + Clone + 'static,
) -> impl IntoView {
    let text = move |message: Message| message.text(language);
    let code_missing = session_flag(store, &workitem_id, |session| {
        session.configuration().is_some_and(|c| c.enable_codes) && session.selected_code().is_none()
    });
    let has_deadline = session_flag(store, &workitem_id, |s| s.deadline().is_some());
    let extending = session_flag(store, &workitem_id, |s| s.pending_extension().is_some());
    // The texts of the workitem's notices, in a memo: the list is rebuilt
    // only when they change.
    let id = workitem_id.clone();
    let notices = memo(move || {
        store.notices.with(|notices| {
            notices
                .iter()
                // The panel's own message tells that the time ran out with
                // no code; the Desk's refusal would tell it a second time.
                .filter(|notice| {
                    notice.workitem_id == id && !matches!(notice.reason, Refusal::NoCodeAtExpiry)
                })
                .map(|notice| refusal_text(&notice.reason, language))
                .collect::<Vec<_>>()
        })
    });
    // Why the backend refused the submission the agent took back, if so.
    let refused = session_text(store, &workitem_id, |session| {
        session.refused_reason().map(str::to_owned)
    });
    let cancelling = session_flag(store, &workitem_id, |s| {
        s.phase() == WrapupPhase::Cancelling
    });
    let expired = session_flag(store, &workitem_id, |s| {
        s.phase() == WrapupPhase::ExpiredUnsubmitted
    });
    // Why Submit is disabled: the reason beside it, or once the time is over
    // the message that says so and what to do.
    let reason_id = unique_id("submit-reason");
    let expired_id = unique_id("expired");
    let (reason_for, expired_for) = (reason_id.clone(), expired_id.clone());

    // Something to lose by cancelling: notes, or another code than the default.
    let entered = session_flag(store, &workitem_id, |session| {
        let default = session
            .configuration()
            .and_then(|c| c.default_code.as_deref());
        !session.notes().trim().is_empty() || session.selected_code() != default
    });
    let cancel = {
        let workitem_id = workitem_id.clone();
        Callback::new(move |()| {
            store.dispatch(Input::Agent(AgentAction::Cancel {
                workitem_id: workitem_id.clone(),
            }))
        })
    };
    // How much one Extend asks for: the configured step (30 s by default).
    let seconds = i64::from(context::<Config>().extend_step_seconds);
    let extend = {
        let workitem_id = workitem_id.clone();
        move |_| {
            if extending.get_untracked() || cancelling.get_untracked() {
                return;
            }
            store.dispatch(Input::Agent(AgentAction::Extend {
                workitem_id: workitem_id.clone(),
                by: TimeDelta::seconds(seconds),
            }))
        }
    };
    let dismiss_id = workitem_id.clone();

    view! {
        <div class="wg-wrapup__form">
            {move || or_nothing(expired.get().then(|| view! {
                <p id=expired_id.clone() class="wg-notice wg-notice--danger" role="alert" data-testid="wrapup-expired">
                    // Nothing went on its own: for want of a code, or because
                    // the agent took a refused submission back.
                    {text(if refused.with(Option::is_some) {
                        Message::ExpiredSubmitByHand
                    } else {
                        Message::ExpiredChooseCode
                    })}
                </p>
            }.into_any()))}
            {move || or_nothing(refused.get().map(|reason| paragraph(
                "wg-notice wg-notice--warning",
                "refused-reason",
                Phrase::FailedBecause { reason }.text(language),
            ).into_any()))}
            <CodePicker workitem_id=workitem_id.clone() disabled=cancelling focused=back/>
            <NotesField workitem_id=workitem_id.clone() disabled=cancelling/>
            {move || or_nothing((code_missing.get() && !expired.get()).then(|| view! {
                <p id=reason_id.clone() class="wg-wrapup__reason" data-testid="submit-blocked-reason">
                    {text(Message::CodeRequiredReason)}
                </p>
            }.into_any()))}
            <div class="wg-wrapup__actions">
                <button
                    type="button"
                    class="wg-button wg-button--primary wg-wrapup__submit"
                    {..attr_with(Attr::Disabled, move || present(code_missing.get() || cancelling.get()))}
                    {..attr_with(Attr::AriaDescribedby, move || code_missing.get().then(|| {
                        if expired.get() { expired_for.clone() } else { reason_for.clone() }
                    }))}
                    {..attr(Attr::AriaKeyshortcuts, "Control+Enter")}
                    on:click=handler(move |_| submit())
                    data-testid="submit"
                >
                    {text(Message::Submit)}
                    <kbd class="wg-button__shortcut">{text(Message::SubmitShortcut)}</kbd>
                </button>
                // Once the time is over no extension is granted, and the
                // wrap-up is dismissed rather than cancelled.
                {move || or_nothing((has_deadline.get() && !expired.get()).then(|| view! {
                    <button
                        type="button"
                        class="wg-button"
                        {..attr(Attr::AriaLabel, Phrase::ExtendLabel { seconds }.text(language))}
                        {..attr_with(Attr::AriaDisabled, move || busy(extending.get() || cancelling.get()))}
                        on:click=handler(extend.clone())
                        data-testid="extend"
                    >
                        {Phrase::ExtendButton { seconds }.text(language)}
                    </button>
                }.into_any()))}
                {move || or_nothing((!expired.get()).then(|| view! {
                    <ConfirmButton
                        label=Message::CancelWrapup
                        question=Message::CancelWrapupQuestion
                        keep=Message::KeepWrappingUp
                        testid="cancel-wrapup"
                        busy=cancelling
                        ask=entered
                        act=cancel
                    />
                }.into_any()))}
                {move || or_nothing((expired.get() || refused.with(Option::is_some)).then(|| view! {
                    <DismissButton workitem_id=dismiss_id.clone()/>
                }.into_any()))}
            </div>
            <div class="wg-wrapup__live" role="status">
                {move || or_nothing(extending.get().then(|| view! { <p class="wg-wrapup__status">{text(Message::Extending)}</p> }.into_any()))}
                {move || or_nothing(cancelling.get().then(|| view! { <p class="wg-wrapup__status">{text(Message::Cancelling)}</p> }.into_any()))}
            </div>
            <div class="wg-wrapup__notices" {..attr(Attr::AriaLive, "polite")} data-testid="notices">
                {move || notices.get().into_iter().map(|text| {
                    paragraph("wg-notice wg-notice--warning", "notice", text).into_any()
                }).collect_view().into_any()}
            </div>
        </div>
    }
}
