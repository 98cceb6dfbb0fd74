//! `POST /now/wrapup/segment/create`: open a wrap-up segment for an interaction.
//!
//! The spec's example sends `"external": "true"`, `"segmented": "true"` and
//! `"duration": "30"` as strings; those three fields are [`Lenient`] and
//! go back out in the form they came in. The rest is strict.

use std::fmt;

use chrono::{DateTime, TimeDelta, Utc};
use serde::de::{self, Unexpected, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::{ValidationError, require};
use crate::cti_wrapup::CtiWrapup;
use crate::datetime::ServiceNowDateTime;
use crate::json::{ToJson, Writer};
use crate::lenient::{Lenient, LenientBool, LenientU64, parse_digits};

/// The body of `POST /now/wrapup/segment/create`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct SegmentCreateRequest {
    /// Sys_id of the agent assigned to the interaction (required).
    pub agent_sys_id: String,
    /// Sys_id of the interaction (required).
    pub interaction_sys_id: String,
    /// Whether the segment comes from an external system (default `false`; may be sent as `"true"`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external: Option<LenientBool>,
    /// Whether the wrap-up is segmented (default `false`; may be sent as `"true"`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub segmented: Option<LenientBool>,
    /// Table holding the interaction segment; required if external and segmented.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub segment_table: Option<String>,
    /// Sys_id of the interaction segment; required if external and segmented.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub segment_id: Option<String>,
    /// The segment's identifier on the external system; required if external.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_segment_id: Option<String>,
    /// Codes and duration of an external wrap-up; required if external.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub configuration: Option<SegmentConfiguration>,
    /// Start of the wrap-up period; required if a duration is given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub opened_on: Option<ServiceNowDateTime>,
    /// Sys_id of the wrap-up configuration to use; required if not external.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wrap_up_configuration_sys_id: Option<String>,
}

/// The `configuration` of an external wrap-up in a [`SegmentCreateRequest`].
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct SegmentConfiguration {
    /// Whether the agent must select a code (default `false`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enable_codes: Option<bool>,
    /// The codes the agent may use; required if external and `enable_codes`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allowed_codes: Option<Vec<AllowedCode>>,
    /// Label of the default code; required if external and `enable_codes`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_code: Option<String>,
    /// Maximum wrap-up duration in seconds; `""` (the default) means no limit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration: Option<WrapUpDuration>,
    /// Whether the timer displays; required when a duration is given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub show_timer: Option<bool>,
}

/// A code the agent may use, in a [`SegmentConfiguration`].
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct AllowedCode {
    /// Label of the code (required).
    pub code: String,
    /// A translation of the label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub translation: Option<AllowedCodeTranslation>,
}

/// The translation of an [`AllowedCode`].
///
/// The spec does not mark its fields required, but a translation without a
/// language or a label cannot be used, so both are.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct AllowedCodeTranslation {
    /// Two-letter language code, e.g. `de`.
    pub language: String,
    /// The translated label.
    pub code: String,
}

/// `configuration.duration`: a number of seconds, or `""` for no time limit.
///
/// The spec types it as a String of seconds and its example sends `"30"`;
/// a plain number is read too. Either way it is written back as it came.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum WrapUpDuration {
    /// `""`: no time limit (the documented default).
    #[default]
    NoLimit,
    /// A limit in seconds.
    Seconds(LenientU64),
}

impl WrapUpDuration {
    /// The limit, or `None` when there is none.
    pub fn limit(&self) -> Option<TimeDelta> {
        match self {
            Self::NoLimit => None,
            // Saturates instead of failing: a limit beyond i64 seconds is no limit in practice.
            Self::Seconds(seconds) => Some(
                i64::try_from(seconds.get())
                    .ok()
                    .and_then(TimeDelta::try_seconds)
                    .unwrap_or(TimeDelta::MAX),
            ),
        }
    }

    /// A limit sent the way the spec's example sends it, as a string (`"30"`).
    pub const fn seconds(seconds: u64) -> Self {
        Self::Seconds(Lenient::as_string(seconds))
    }
}

impl Serialize for WrapUpDuration {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::NoLimit => serializer.serialize_str(""),
            Self::Seconds(seconds) => seconds.serialize(serializer),
        }
    }
}

/// Reads a duration: seconds as a number or as digits, `""` for no limit.
struct DurationVisitor;

impl Visitor<'_> for DurationVisitor {
    type Value = WrapUpDuration;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str(r#"a number of seconds like "30" or 30, or "" for no limit"#)
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<Self::Value, E> {
        Ok(WrapUpDuration::Seconds(Lenient::native(value)))
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<Self::Value, E> {
        u64::try_from(value)
            .map(|value| WrapUpDuration::Seconds(Lenient::native(value)))
            .map_err(|_| E::invalid_value(Unexpected::Signed(value), &self))
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<Self::Value, E> {
        if value.is_empty() {
            return Ok(WrapUpDuration::NoLimit);
        }
        parse_digits(value)
            .map(|value| WrapUpDuration::Seconds(Lenient::as_string(value)))
            .ok_or_else(|| E::invalid_value(Unexpected::Str(value), &self))
    }
}

impl<'de> Deserialize<'de> for WrapUpDuration {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(DurationVisitor)
    }
}

crate::record::from_json_by_visitor!(WrapUpDuration => DurationVisitor);

impl SegmentCreateRequest {
    /// Whether the segment comes from an external system (absent means `false`).
    pub fn is_external(&self) -> bool {
        self.external.is_some_and(|external| external.get())
    }

    /// Whether the wrap-up is segmented (absent means `false`).
    pub fn is_segmented(&self) -> bool {
        self.segmented.is_some_and(|segmented| segmented.get())
    }

    /// The spec's conditional "Required" rules, in the order of its table.
    /// An empty string counts as missing.
    pub fn validate(&self) -> Result<(), ValidationError> {
        require("agent_sys_id", Some(self.agent_sys_id.as_str()), "")?;
        require(
            "interaction_sys_id",
            Some(self.interaction_sys_id.as_str()),
            "",
        )?;
        let configuration = self.configuration.as_ref();
        if self.is_external() {
            let Some(configuration) = configuration else {
                return Err(ValidationError::new(
                    "configuration",
                    "required when external is true",
                ));
            };
            if configuration.enable_codes == Some(true) {
                let when = "when external and configuration.enable_codes are both true";
                if configuration
                    .allowed_codes
                    .as_ref()
                    .is_none_or(Vec::is_empty)
                {
                    return Err(ValidationError::new(
                        "configuration.allowed_codes",
                        format!("required {when}"),
                    ));
                }
                require(
                    "configuration.default_code",
                    configuration.default_code.as_deref(),
                    when,
                )?;
            }
            require(
                "external_segment_id",
                self.external_segment_id.as_deref(),
                "when external is true",
            )?;
            if self.is_segmented() {
                let when = "when external and segmented are both true";
                require("segment_id", self.segment_id.as_deref(), when)?;
                require("segment_table", self.segment_table.as_deref(), when)?;
            }
        } else {
            require(
                "wrap_up_configuration_sys_id",
                self.wrap_up_configuration_sys_id.as_deref(),
                "when external is false",
            )?;
        }
        if let Some(configuration) = configuration {
            for (index, allowed) in configuration.allowed_codes.iter().flatten().enumerate() {
                let at = format!("configuration.allowed_codes[{index}]");
                require(format!("{at}.code"), Some(allowed.code.as_str()), "")?;
                if let Some(translation) = &allowed.translation {
                    let at = format!("{at}.translation");
                    require(
                        format!("{at}.language"),
                        Some(translation.language.as_str()),
                        "",
                    )?;
                    require(format!("{at}.code"), Some(translation.code.as_str()), "")?;
                }
            }
            if configuration.duration.is_some_and(|d| d.limit().is_some()) {
                if configuration.show_timer.is_none() {
                    return Err(ValidationError::new(
                        "configuration.show_timer",
                        "required when configuration.duration is given",
                    ));
                }
                if self.opened_on.is_none() {
                    return Err(ValidationError::new(
                        "opened_on",
                        "required when configuration.duration is given",
                    ));
                }
            }
        }
        Ok(())
    }
}

/// The `segment/create` body of a wrap-up segment the widget opens itself
/// for a call, borrowed from where its parts are kept: written exactly as
/// the [`SegmentCreateRequest`] of the same values is (`external`, the
/// external segment id, and the configuration `announced` in the call data:
/// its codes, default code and time, see [`ExternalSegmentCreate::request`]),
/// without building one: the request and its configuration, each copied,
/// written and dropped, were much code for one body.
#[derive(Debug, Clone, Copy)]
pub struct ExternalSegmentCreate<'a> {
    /// The agent's sys_id.
    pub agent_sys_id: &'a str,
    /// The interaction's sys_id (or the workitem's id when it has none).
    pub interaction_sys_id: &'a str,
    /// The workitem's id, the segment's id on the CTI system.
    pub external_segment_id: &'a str,
    /// The wrap-up the call data announces.
    pub announced: &'a CtiWrapup,
    /// When the wrap-up began.
    pub opened_on: DateTime<Utc>,
}

impl ExternalSegmentCreate<'_> {
    /// The request this body writes, built: the widget only writes the
    /// body, which the tests compare with this.
    pub fn request(&self) -> SegmentCreateRequest {
        let announced = self.announced;
        SegmentCreateRequest {
            agent_sys_id: self.agent_sys_id.to_owned(),
            interaction_sys_id: self.interaction_sys_id.to_owned(),
            external: Some(true.into()),
            external_segment_id: Some(self.external_segment_id.to_owned()),
            configuration: Some(SegmentConfiguration {
                enable_codes: Some(announced.enable_codes()),
                allowed_codes: Some(
                    announced
                        .codes
                        .iter()
                        .map(|code| AllowedCode {
                            code: code.clone(),
                            translation: None,
                        })
                        .collect(),
                ),
                default_code: announced.default_code.clone(),
                duration: Some(self.duration()),
                show_timer: Some(announced.duration_seconds.is_some()),
            }),
            opened_on: Some(ServiceNowDateTime::new(self.opened_on)),
            ..SegmentCreateRequest::default()
        }
    }

    /// The time the call data announces, or none.
    fn duration(&self) -> WrapUpDuration {
        self.announced
            .duration_seconds
            .map_or(WrapUpDuration::NoLimit, WrapUpDuration::seconds)
    }
}

impl ToJson for ExternalSegmentCreate<'_> {
    fn write_json(&self, out: &mut Writer) {
        let announced = self.announced;
        out.begin_object();
        out.field_str("agent_sys_id", self.agent_sys_id);
        out.field_str("interaction_sys_id", self.interaction_sys_id);
        out.field("external", &LenientBool::from(true));
        out.field_str("external_segment_id", self.external_segment_id);
        out.key("configuration");
        out.begin_object();
        out.field("enable_codes", &announced.enable_codes());
        out.key("allowed_codes");
        out.begin_array();
        for code in &announced.codes {
            out.begin_object();
            out.field_str("code", code);
            out.end_object();
        }
        out.end_array();
        out.optional_str("default_code", announced.default_code.as_deref());
        out.field("duration", &self.duration());
        out.field("show_timer", &announced.duration_seconds.is_some());
        out.end_object();
        out.field("opened_on", &ServiceNowDateTime::new(self.opened_on));
        out.end_object();
    }
}

// Written by hand for the widget, as `Serialize` writes them (`json::write`).

impl ToJson for WrapUpDuration {
    fn write_json(&self, out: &mut Writer) {
        match self {
            Self::NoLimit => out.string(""),
            Self::Seconds(seconds) => seconds.write_json(out),
        }
    }
}
