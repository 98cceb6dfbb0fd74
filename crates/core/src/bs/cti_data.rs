//! `ctiData`: the call data of a workitem (call variables, ECC variables,
//! wrap-up reason, ...), and the keys `updateWorkitemData` may change.

use serde::Serialize;

use super::spec_enum::spec_enum;
use super::wire::{self, ExtraFields};
use crate::json::{ToJson, Value, Writer};
use crate::record::{Fields, FromJson, ReadError, deserialize_from_json};

spec_enum! {
    /// Outbound call classification (`outboundClassification`).
    pub enum OutboundClassification {
        /// A person answered.
        Voice => "VOICE",
        /// A fax machine answered.
        Fax => "FAX",
        /// An answering machine answered.
        AnsweringMachine => "ANS_MACHINE",
        /// The number is invalid.
        Invalid => "INVALID",
        /// The number is on a do-not-call list.
        DoNotCall => "DO_NOT_CALL",
        /// The line was busy.
        Busy => "BUSY",
    }
}

/// The prefix of ECC variable names: `user.<variable>`.
pub const ECC_PREFIX: &str = "user.";

/// The call data of a workitem (ctiData reference). Which fields are present
/// depends on the Finesse version, so every field is optional.
///
/// ECC variables (`user.<variable>`) have open-ended names; they live in
/// [`CtiData::extra`] with their full name and are read and written through
/// [`CtiData::ecc_variable`] and [`CtiData::set_ecc_variable`].
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CtiData {
    /// The unique number of the call routed that day (CCE only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub call_key_call_id: Option<String>,
    /// The day the call was routed (CCE only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub call_key_prefix: Option<String>,
    /// Type of the call.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub call_type: Option<String>,
    /// Peripheral variable 1.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub call_variable1: Option<String>,
    /// Peripheral variable 2.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub call_variable2: Option<String>,
    /// Peripheral variable 3.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub call_variable3: Option<String>,
    /// Peripheral variable 4.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub call_variable4: Option<String>,
    /// Peripheral variable 5.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub call_variable5: Option<String>,
    /// Peripheral variable 6.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub call_variable6: Option<String>,
    /// Peripheral variable 7.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub call_variable7: Option<String>,
    /// Peripheral variable 8.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub call_variable8: Option<String>,
    /// Peripheral variable 9.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub call_variable9: Option<String>,
    /// Peripheral variable 10.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub call_variable10: Option<String>,
    /// Dialed number of the call.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dialed_number: Option<String>,
    /// DNIS of the call (the spec spells it in capitals).
    #[serde(rename = "DNIS", skip_serializing_if = "Option::is_none")]
    pub dnis: Option<String>,
    /// Media routing id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub media_id: Option<String>,
    /// Outbound call classification.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outbound_classification: Option<OutboundClassification>,
    /// Name of the queue.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub queue_name: Option<String>,
    /// Queue id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub queue_number: Option<String>,
    /// The call's currently set wrap-up reason.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub wrap_up_reason: Option<String>,
    /// ECC variables (`user.<variable>`, by full name) and fields the spec
    /// does not list, kept as received.
    #[serde(flatten, serialize_with = "wire::extra_fields::serialize")]
    pub extra: ExtraFields,
}

impl FromJson for CtiData {
    fn from_json(value: Value) -> Result<Self, ReadError> {
        let mut fields = Fields::new(value, "struct CtiData")?;
        let data = Self {
            call_key_call_id: fields.lenient_text("callKeyCallId"),
            call_key_prefix: fields.lenient_text("callKeyPrefix"),
            call_type: fields.lenient_text("callType"),
            call_variable1: fields.lenient_text("callVariable1"),
            call_variable2: fields.lenient_text("callVariable2"),
            call_variable3: fields.lenient_text("callVariable3"),
            call_variable4: fields.lenient_text("callVariable4"),
            call_variable5: fields.lenient_text("callVariable5"),
            call_variable6: fields.lenient_text("callVariable6"),
            call_variable7: fields.lenient_text("callVariable7"),
            call_variable8: fields.lenient_text("callVariable8"),
            call_variable9: fields.lenient_text("callVariable9"),
            call_variable10: fields.lenient_text("callVariable10"),
            dialed_number: fields.lenient_text("dialedNumber"),
            dnis: fields.lenient_text("DNIS"),
            media_id: fields.lenient_text("mediaId"),
            outbound_classification: fields.optional("outboundClassification"),
            queue_name: fields.lenient_text("queueName"),
            queue_number: fields.lenient_text("queueNumber"),
            wrap_up_reason: fields.lenient_text("wrapUpReason"),
            extra: fields.extra(),
        };
        fields.finish(data)
    }
}

deserialize_from_json!(CtiData);

// Written by hand for the widget, as `Serialize` writes it (`json::write`).
impl ToJson for CtiData {
    fn write_json(&self, out: &mut Writer) {
        out.begin_object();
        out.optional("callKeyCallId", &self.call_key_call_id);
        out.optional("callKeyPrefix", &self.call_key_prefix);
        out.optional("callType", &self.call_type);
        out.optional("callVariable1", &self.call_variable1);
        out.optional("callVariable2", &self.call_variable2);
        out.optional("callVariable3", &self.call_variable3);
        out.optional("callVariable4", &self.call_variable4);
        out.optional("callVariable5", &self.call_variable5);
        out.optional("callVariable6", &self.call_variable6);
        out.optional("callVariable7", &self.call_variable7);
        out.optional("callVariable8", &self.call_variable8);
        out.optional("callVariable9", &self.call_variable9);
        out.optional("callVariable10", &self.call_variable10);
        out.optional("dialedNumber", &self.dialed_number);
        out.optional("DNIS", &self.dnis);
        out.optional("mediaId", &self.media_id);
        out.optional("outboundClassification", &self.outbound_classification);
        out.optional("queueName", &self.queue_name);
        out.optional("queueNumber", &self.queue_number);
        out.optional("wrapUpReason", &self.wrap_up_reason);
        wire::write_extra(out, &self.extra);
        out.end_object();
    }
}

/// A key of `updatedData` in `updateWorkitemData`: the call data an
/// integrator may change.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum CallDataKey {
    /// `callVariable1` ... `callVariable10` (the number, 1 to 10).
    CallVariable(u8),
    /// `user.<variable>`: an ECC variable (the name without `user.`).
    Ecc(String),
    /// `wrapUpReason`.
    WrapUpReason,
}

impl CallDataKey {
    /// Reads a key as the spec spells it; `None` for anything else.
    pub fn parse(key: &str) -> Option<Self> {
        if key == "wrapUpReason" {
            return Some(Self::WrapUpReason);
        }
        if let Some(name) = key.strip_prefix(ECC_PREFIX) {
            return (!name.is_empty()).then(|| Self::Ecc(name.to_owned()));
        }
        // Only the spec's spellings: not "callVariable01", nor "callVariable+1".
        const NUMBERS: [&str; 10] = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "10"];
        let digits = key.strip_prefix("callVariable")?;
        let index = NUMBERS.iter().position(|number| *number == digits)?;
        u8::try_from(index + 1).ok().map(Self::CallVariable)
    }
}

impl std::fmt::Display for CallDataKey {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::CallVariable(number) => write!(formatter, "callVariable{number}"),
            Self::Ecc(name) => write!(formatter, "{ECC_PREFIX}{name}"),
            Self::WrapUpReason => formatter.write_str("wrapUpReason"),
        }
    }
}

impl CtiData {
    fn call_variable_slot(&mut self, number: u8) -> Option<&mut Option<String>> {
        Some(match number {
            1 => &mut self.call_variable1,
            2 => &mut self.call_variable2,
            3 => &mut self.call_variable3,
            4 => &mut self.call_variable4,
            5 => &mut self.call_variable5,
            6 => &mut self.call_variable6,
            7 => &mut self.call_variable7,
            8 => &mut self.call_variable8,
            9 => &mut self.call_variable9,
            10 => &mut self.call_variable10,
            _ => return None,
        })
    }

    /// Peripheral variable `number` (1 to 10), if set.
    pub fn call_variable(&self, number: u8) -> Option<&str> {
        let slot = match number {
            1 => &self.call_variable1,
            2 => &self.call_variable2,
            3 => &self.call_variable3,
            4 => &self.call_variable4,
            5 => &self.call_variable5,
            6 => &self.call_variable6,
            7 => &self.call_variable7,
            8 => &self.call_variable8,
            9 => &self.call_variable9,
            10 => &self.call_variable10,
            _ => return None,
        };
        slot.as_deref()
    }

    /// The ECC variable `name`, given with or without its `user.` prefix.
    /// `None` when unset or not a string.
    pub fn ecc_variable(&self, name: &str) -> Option<&str> {
        let name = name.strip_prefix(ECC_PREFIX).unwrap_or(name);
        self.extra.get(&format!("{ECC_PREFIX}{name}"))?.as_str()
    }

    /// Sets the ECC variable `name`, given with or without its `user.` prefix.
    pub fn set_ecc_variable(&mut self, name: &str, value: impl Into<String>) {
        let name = name.strip_prefix(ECC_PREFIX).unwrap_or(name);
        self.extra
            .insert(format!("{ECC_PREFIX}{name}"), Value::String(value.into()));
    }

    /// Every ECC variable with a string value, by name without `user.`.
    pub fn ecc_variables(&self) -> impl Iterator<Item = (&str, &str)> {
        self.extra
            .iter()
            .filter_map(|(key, value)| Some((key.strip_prefix(ECC_PREFIX)?, value.as_str()?)))
    }

    /// The value of an `updatedData` key, if set.
    pub fn get(&self, key: &CallDataKey) -> Option<&str> {
        match key {
            CallDataKey::CallVariable(number) => self.call_variable(*number),
            CallDataKey::Ecc(name) => self.ecc_variable(name),
            CallDataKey::WrapUpReason => self.wrap_up_reason.as_deref(),
        }
    }

    /// Sets an `updatedData` key; returns whether the value changed.
    pub fn set(&mut self, key: &CallDataKey, value: &str) -> bool {
        if self.get(key) == Some(value) {
            return false;
        }
        match key {
            CallDataKey::CallVariable(number) => match self.call_variable_slot(*number) {
                Some(slot) => *slot = Some(value.to_owned()),
                // `CallDataKey::parse` only makes numbers 1 to 10.
                None => return false,
            },
            CallDataKey::Ecc(name) => self.set_ecc_variable(name, value),
            CallDataKey::WrapUpReason => self.wrap_up_reason = Some(value.to_owned()),
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_read_as_the_spec_spells_them() {
        assert_eq!(
            CallDataKey::parse("callVariable1"),
            Some(CallDataKey::CallVariable(1))
        );
        assert_eq!(
            CallDataKey::parse("callVariable10"),
            Some(CallDataKey::CallVariable(10))
        );
        assert_eq!(CallDataKey::parse("callVariable11"), None);
        assert_eq!(CallDataKey::parse("callVariable0"), None);
        assert_eq!(CallDataKey::parse("callVariable01"), None);
        assert_eq!(CallDataKey::parse("callvariable1"), None);
        assert_eq!(
            CallDataKey::parse("user.eccVar1"),
            Some(CallDataKey::Ecc("eccVar1".to_owned()))
        );
        assert_eq!(CallDataKey::parse("user."), None);
        assert_eq!(
            CallDataKey::parse("wrapUpReason"),
            Some(CallDataKey::WrapUpReason)
        );
    }

    #[test]
    fn ecc_variables_are_kept_under_their_full_name() -> Result<(), serde_json::Error> {
        let mut data: CtiData =
            serde_json::from_str(r#"{"DNIS": "8001", "user.eccVar1": "999999"}"#)?;
        assert_eq!(data.dnis.as_deref(), Some("8001"));
        assert_eq!(data.ecc_variable("eccVar1"), Some("999999"));
        assert_eq!(data.ecc_variable("user.eccVar1"), Some("999999"));
        data.set_ecc_variable("user.eccVar2", "x");
        assert_eq!(
            data.ecc_variables().collect::<Vec<_>>(),
            [("eccVar1", "999999"), ("eccVar2", "x")]
        );
        Ok(())
    }

    #[test]
    fn set_reports_whether_anything_changed() {
        let mut data = CtiData::default();
        assert!(data.set(&CallDataKey::CallVariable(3), "a"));
        assert!(!data.set(&CallDataKey::CallVariable(3), "a"));
        assert_eq!(data.call_variable(3), Some("a"));
        assert!(data.set(&CallDataKey::WrapUpReason, "Sales"));
        assert_eq!(data.get(&CallDataKey::WrapUpReason), Some("Sales"));
    }
}
