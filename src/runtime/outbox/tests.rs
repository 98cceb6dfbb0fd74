use super::*;
use chrono::DateTime;
use wrapup_core::desk::WrapupSubmission;
use wrapup_core::parse::read;

/// An outbox as the version before backends stored it.
const STORED_BEFORE_BACKENDS: &str = r#"{"entries": [{
    "workitem_id": "w1", "segment_id": "s1", "interaction_id": "i1",
    "code": "Billing Issue", "notes": "Müller", "confirmed_on": "2024-09-16T18:52:01.5Z",
    "automatic": false, "attempts": 2, "last_error": "offline"}]}"#;

#[test]
fn entries_stored_before_backends_go_to_servicenow() {
    let outbox: Outbox = read(STORED_BEFORE_BACKENDS).unwrap();
    let entry = outbox.get("w1").unwrap();
    assert_eq!(entry.backend, Backend::ServiceNow);
    assert_eq!(entry.segment_id.as_deref(), Some("s1"));
    assert_eq!(entry.attempts, 2);
}

#[test]
fn a_backend_this_version_does_not_know_keeps_the_outbox_readable() {
    let stored =
        STORED_BEFORE_BACKENDS.replace(r#""workitem_id""#, r#""backend": "pigeon", "workitem_id""#);
    let outbox: Outbox = read(&stored).unwrap();
    assert_eq!(outbox.get("w1").unwrap().backend, Backend::ServiceNow);
}

#[test]
fn an_unreadable_time_is_named() {
    let stored = STORED_BEFORE_BACKENDS.replace("2024-09-16T18:52:01.5Z", "yesterday");
    let error = read::<Outbox>(&stored).unwrap_err();
    assert_eq!(error.path(), "entries[0].confirmed_on");
}

/// Bug: a CRM page that connected late to a frame which had wrapped up a
/// call alone was handed the frame's outbox, which replaced the page's:
/// a wrap-up left unsent by an earlier visit was lost.
#[test]
fn an_outbox_kept_from_an_earlier_visit_joins_this_pages_whose_entries_stay() {
    let stored: Outbox = read(STORED_BEFORE_BACKENDS).unwrap();
    let entry = |workitem_id: &str, notes: &str| OutboxEntry {
        workitem_id: workitem_id.into(),
        notes: notes.into(),
        ..stored.entries()[0].clone()
    };
    let mut older = Outbox::default();
    older.put(entry("unsent", "earlier visit"));
    older.put(entry("both", "earlier visit"));
    older.put(entry("delivered here", "earlier visit"));
    older.put(entry("discarded here", "earlier visit"));
    let mut outbox = Outbox::default();
    outbox.remember_drops();
    outbox.put(entry("delivered here", "this visit"));
    outbox.delivered("delivered here", Some("+4930123456".into()));
    outbox.put(entry("discarded here", "this visit"));
    outbox.remove("discarded here");
    outbox.put(entry("both", "this visit"));
    outbox.put(entry("alone", "this visit"));

    assert_eq!(outbox.merge_older(older), ["unsent"]);
    assert!(outbox.has_had("delivered here"));
    assert!(outbox.has_had("discarded here"));
    assert!(!outbox.has_had("never here"));
    // What this visit saved is remembered for the earlier visit's drafts;
    // a discarded wrap-up saved nothing.
    let (saved, caller) = outbox.delivered_here("delivered here").unwrap();
    assert_eq!(
        (saved.notes.as_str(), caller.as_deref()),
        ("this visit", Some("+4930123456"))
    );
    assert_eq!(outbox.delivered_here("discarded here"), None);
    let merged: Vec<(&str, &str)> = outbox
        .entries()
        .iter()
        .map(|entry| (entry.workitem_id.as_str(), entry.notes.as_str()))
        .collect();
    assert_eq!(
        merged,
        [
            ("unsent", "earlier visit"),
            ("both", "this visit"),
            ("alone", "this visit"),
        ]
    );
    assert_eq!(outbox.status().pending, 3);
}

#[test]
fn a_genesys_entry_keeps_its_backend_across_a_reload() {
    let submission = WrapupSubmission {
        workitem_id: "w2".into(),
        segment_id: Some("36981723".into()),
        code: Some("10".into()),
        notes: "Rückruf".into(),
        confirmed_on: DateTime::from_timestamp(1_700_000_000, 0).unwrap(),
        automatic: true,
    };
    let mut outbox = Outbox::default();
    outbox.put(OutboxEntry::new(&submission, None).to(Backend::Genesys));
    let text = serde_json::to_string(&outbox).unwrap();
    assert!(text.contains(r#""backend":"genesys""#), "{text}");
    let reloaded: Outbox = read(&text).unwrap();
    assert_eq!(reloaded, outbox);
    assert_eq!(reloaded.get("w2").unwrap().submission(), submission);
}

/// Bug: every page remembered every workitem whose entry it dropped, for a
/// merge only a frame started without its CRM page can have, and searched
/// the list at each removal: memory and time grew with every call.
#[test]
fn a_page_that_merges_nothing_remembers_nothing_it_delivered() {
    let stored: Outbox = read(STORED_BEFORE_BACKENDS).unwrap();
    let mut outbox = Outbox::default();
    for call in 0..100 {
        let workitem_id = format!("call {call}");
        outbox.put(OutboxEntry {
            workitem_id: workitem_id.clone(),
            ..stored.entries()[0].clone()
        });
        outbox.remove(&workitem_id);
    }
    assert!(outbox.entries().is_empty());
    assert!(!outbox.has_had("call 0"));
    assert_eq!(outbox, Outbox::default());
}

/// An entry with several unreadable fields is refused for the first of
/// them in the order read, as a reader stopping at the first error would.
#[test]
fn an_entry_is_refused_for_its_first_unreadable_field() {
    let stored = STORED_BEFORE_BACKENDS
        .replace(r#""Müller""#, "5")
        .replace("2024-09-16T18:52:01.5Z", "yesterday")
        .replace(r#""attempts": 2"#, r#""attempts": "two""#);
    let error = read::<Outbox>(&stored).unwrap_err();
    assert_eq!(
        error.to_string(),
        "entries[0].notes: invalid type: integer `5`, expected a string"
    );
    let stored = STORED_BEFORE_BACKENDS.replace(r#""workitem_id": "w1", "#, "");
    let error = read::<Outbox>(&stored).unwrap_err();
    assert_eq!(error.to_string(), "entries[0]: missing field `workitem_id`");
}
