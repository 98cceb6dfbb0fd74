//! The wrap-up a CTI system announces in a call's data (ECC variables), and
//! the names of the variables the simulator and the widget agree on.
//!
//! A backend without wrap-up segments (the Genesys profile) learns the
//! wrap-up from the call itself: the codes, the default code, the time limit
//! and when the wrap-up began (`opened_on`, the CTI system's clock, so a
//! reload keeps the deadline), plus the Genesys service the call belongs to.
//! The ServiceNow profile reads the same variables when it has to open a
//! segment itself.

use chrono::{DateTime, TimeDelta, Utc};

use crate::bs::CtiData;
use crate::datetime::{IsoMillisDateTime, parse_rfc3339};
use crate::desk::{NotesLimit, WrapupCode, WrapupConfig};

/// `user.wrapupCodes`: the codes the agent may choose, comma-separated.
pub const CODES: &str = "wrapupCodes";
/// `user.wrapupDefaultCode`: the code submitted when the agent picks none.
pub const DEFAULT_CODE: &str = "wrapupDefaultCode";
/// `user.wrapupDuration`: the time limit in seconds; absent for none.
pub const DURATION: &str = "wrapupDuration";
/// `user.wrapupOpenedOn`: when the wrap-up began, ISO 8601 UTC with milliseconds.
pub const OPENED_ON: &str = "wrapupOpenedOn";
/// `user.wrapupSegmentSysId`: the ServiceNow segment the CTI system opened.
pub const SEGMENT_SYS_ID: &str = "wrapupSegmentSysId";
/// `user.genesysServiceId`: the Genesys Context Services service of the call,
/// the `{service_id}` of `POST /services/{service_id}/end`.
pub const GENESYS_SERVICE_ID: &str = "genesysServiceId";

/// The wrap-up announced in call data.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CtiWrapup {
    /// The codes the agent may choose.
    pub codes: Vec<String>,
    /// The code submitted when the agent picks none.
    pub default_code: Option<String>,
    /// The time limit, in seconds; `None` for no limit.
    pub duration_seconds: Option<u64>,
    /// When the wrap-up began.
    pub opened_on: Option<DateTime<Utc>>,
}

impl CtiWrapup {
    /// What `cti` announces; anything missing or malformed is absent.
    pub fn read(cti: Option<&CtiData>) -> Self {
        let variable = |name: &str| {
            cti.and_then(|cti| cti.ecc_variable(name))
                .map(str::trim)
                .filter(|value| !value.is_empty())
        };
        Self {
            codes: variable(CODES)
                .unwrap_or_default()
                .split(',')
                .map(str::trim)
                .filter(|code| !code.is_empty())
                .map(str::to_owned)
                .collect(),
            default_code: variable(DEFAULT_CODE).map(str::to_owned),
            duration_seconds: variable(DURATION).and_then(|seconds| seconds.parse().ok()),
            // ISO 8601 with milliseconds and `Z` is RFC 3339, whose reader
            // the widget has anyway.
            opened_on: variable(OPENED_ON).and_then(parse_rfc3339),
        }
    }

    /// Announces this wrap-up in `cti` (what the simulator does on hang-up).
    pub fn write(&self, cti: &mut CtiData) {
        if !self.codes.is_empty() {
            cti.set_ecc_variable(CODES, self.codes.join(","));
        }
        if let Some(code) = &self.default_code {
            cti.set_ecc_variable(DEFAULT_CODE, code.clone());
        }
        if let Some(seconds) = self.duration_seconds {
            cti.set_ecc_variable(DURATION, seconds.to_string());
        }
        if let Some(at) = self.opened_on {
            cti.set_ecc_variable(OPENED_ON, IsoMillisDateTime::new(at).to_string());
        }
    }

    /// Whether a code is required: there are codes and a default to fall back on.
    pub fn enable_codes(&self) -> bool {
        self.default_code.is_some() && !self.codes.is_empty()
    }

    /// The Desk's configuration of a Genesys wrap-up: these codes, this time
    /// limit, `disposition_desc`'s 64-character limit for the notes, and any
    /// disposition accepted (Genesys keeps whatever it is given).
    pub fn genesys_config(&self) -> WrapupConfig {
        WrapupConfig {
            notes_limit: Some(NotesLimit::GENESYS),
            custom_codes_allowed: true,
            ..self.config()
        }
    }

    /// The Desk's configuration of a ServiceNow wrap-up whose segment could
    /// not be reached: these codes and this time limit, as the segment would
    /// have them, with ServiceNow's 4000-character notes (a segment with
    /// allowed codes takes no other).
    pub fn servicenow_config(&self) -> WrapupConfig {
        WrapupConfig {
            notes_limit: Some(NotesLimit::SERVICENOW),
            custom_codes_allowed: self.codes.is_empty(),
            ..self.config()
        }
    }

    /// The codes and the time limit.
    fn config(&self) -> WrapupConfig {
        WrapupConfig {
            allowed_codes: self.codes.iter().cloned().map(WrapupCode::new).collect(),
            default_code: self.default_code.clone(),
            enable_codes: self.enable_codes(),
            duration: self
                .duration_seconds
                .and_then(|seconds| i64::try_from(seconds).ok())
                .and_then(TimeDelta::try_seconds),
            notes_limit: None,
            custom_codes_allowed: false,
        }
    }
}

/// The Genesys service id `cti` names (a positive integer), if any.
pub fn genesys_service_id(cti: Option<&CtiData>) -> Option<i64> {
    cti?.ecc_variable(GENESYS_SERVICE_ID)?
        .trim()
        .parse()
        .ok()
        .filter(|id| *id > 0)
}
