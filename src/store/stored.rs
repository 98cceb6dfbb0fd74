//! What the store holds that the widget also keeps in the browser's storage
//! (`runtime::storage`): read and written as JSON by hand.

use wrapup_core::json::{ToJson, Value, Writer};
use wrapup_core::record::{Fields, FromJson, ReadError, Record};

/// Not ready, asked for while on calls: where the agent goes when they are
/// over (without it, back to Ready). The CTI system applies it then and
/// tells nothing before; the widget keeps it to show it, across a reload.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NotReadyAfterCalls {
    /// The label of the reason chosen with it, if any.
    pub reason_label: Option<String>,
    /// The reason's code, to ask with again (none without a reason, or as
    /// stored by an earlier version of the widget).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason_code: Option<String>,
    /// Whether this page asked the CTI system for it. A choice restored
    /// after a reload was not: the request of the page before may have been
    /// cut short by the reload, so the header asks again.
    #[serde(skip)]
    pub asked: bool,
}

/// Written as `Serialize` writes it (`asked` is not stored).
impl ToJson for NotReadyAfterCalls {
    fn write_json(&self, out: &mut Writer) {
        out.begin_object();
        out.field("reasonLabel", &self.reason_label);
        out.optional("reasonCode", &self.reason_code);
        out.end_object();
    }
}

impl FromJson for NotReadyAfterCalls {
    fn from_json(value: Value) -> Result<Self, ReadError> {
        let mut record = Record::new(value, "struct NotReadyAfterCalls")?;
        Ok(Self {
            reason_label: record.optional("reasonLabel")?,
            reason_code: record.optional("reasonCode")?,
            asked: false,
        })
    }
}

/// What the agent entered for a wrap-up that was closed without it: its
/// time ran out while no page of the widget was open, and the server saved
/// its default; or, in a CRM page that connected late, the wrap-up was also
/// done in another visit to the page (`runtime::host_copy`). Shown, with the
/// notes to copy, until the agent dismisses it; kept across a reload
/// (`runtime::drafts`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UnsavedDraft {
    /// The workitem whose wrap-up it was.
    pub workitem_id: String,
    /// Who the call was with, if known.
    pub caller: Option<String>,
    /// The code the server saved instead, by its label, if any.
    pub saved_code: Option<String>,
    /// The code the agent had chosen, by its label, if any.
    pub chosen_code: Option<String>,
    /// The agent's notes.
    pub notes: String,
    /// Whether the wrap-up was done in two visits to a CRM page, one of
    /// which had these notes, rather than closed with none of them.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub two_visits: bool,
}

/// Written as `Serialize` writes it.
impl ToJson for UnsavedDraft {
    fn write_json(&self, out: &mut Writer) {
        out.begin_object();
        out.field_str("workitemId", &self.workitem_id);
        out.field("caller", &self.caller);
        out.field("savedCode", &self.saved_code);
        out.field("chosenCode", &self.chosen_code);
        out.field_str("notes", &self.notes);
        if self.two_visits {
            out.field("twoVisits", &true);
        }
        out.end_object();
    }
}

impl FromJson for UnsavedDraft {
    fn from_json(value: Value) -> Result<Self, ReadError> {
        // Read field by field with no `?` between them (see `Fields`).
        let mut fields = Fields::new(value, "struct UnsavedDraft")?;
        let draft = Self {
            workitem_id: fields.required("workitemId"),
            caller: fields.optional("caller"),
            saved_code: fields.optional("savedCode"),
            chosen_code: fields.optional("chosenCode"),
            notes: fields.required("notes"),
            two_visits: fields.or_default("twoVisits"),
        };
        fields.finish(draft)
    }
}
