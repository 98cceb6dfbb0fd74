//! The rules of the spec for every request, as errors a person can act on.

use super::agent::{AgentState, ReasonType};
use super::channel::{ChannelIdError, ChannelSelector, ContactCenter};
use super::cti_data::CallDataKey;
use super::request::CilRequest;
use crate::extension::ExtensionError;
use crate::json::Value;
use crate::parse::ParseError;

/// Which channel ids a request accepts. `directTransfer`,
/// `singleStepConference` and `updateWorkitemData` do not list `telephony`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChannelIdForms {
    /// `voice`, `voice_<peripheral_id>`, `voice_-1`.
    Voice,
    /// `voice`, `voice_<peripheral_id>`, `voice_-1`, `telephony`.
    VoiceOrTelephony,
}

impl std::fmt::Display for ChannelIdForms {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str(match self {
            Self::Voice => "`voice`, `voice_<peripheral_id>` or `voice_-1` (CCX)",
            Self::VoiceOrTelephony => {
                "`voice`, `voice_<peripheral_id>`, `voice_-1` (CCX) or `telephony` (WxCC)"
            }
        })
    }
}

/// What is wrong with a request.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RequestProblem {
    /// A required field is missing or empty.
    #[error("`{0}` is required")]
    Missing(&'static str),
    /// The channel id has none of the forms this request accepts.
    #[error("{error}; this request accepts {accepted}")]
    ChannelId {
        /// What is wrong with the id.
        error: ChannelIdError,
        /// The forms the request accepts.
        accepted: ChannelIdForms,
    },
    /// `telephony` given to a request that does not list it.
    #[error("channelId `telephony` is not accepted here; use {0}")]
    TelephonyNotAccepted(ChannelIdForms),
    /// A `voice_<peripheral_id>` that is not the agent's voice channel: the
    /// spec's "Make sure the channel is uniquely identified by this id".
    #[error(
        "channelId: the agent is on channel `{agent_channel}`, not `{channel_id}`; \
         use `{agent_channel}` or `voice`"
    )]
    OtherChannel {
        /// The id as sent.
        channel_id: String,
        /// The agent's voice channel (`voice_-1` for CCX).
        agent_channel: String,
    },
    /// `setAgentState` to a state an agent cannot be set to.
    #[error("state `{0}` cannot be requested; use Ready, NotReady or Logout")]
    AgentState(String),
    /// A reason code with a state that takes none.
    #[error("`reasonCode` applies only to NotReady or Logout, not to `{0}`; leave it empty")]
    ReasonCodeNotApplicable(String),
    /// `getReasonCodeList` for a kind that does not exist.
    #[error("reasonType `{0}` is not a kind of reason code; use Logout, NotReady or Wrapup")]
    ReasonType(String),
    /// A character the contact center does not send as DTMF (CCE: `0-9 * #
    /// A-D`, CCX: `0-9 * #`); not knowing the contact center, CCE's.
    #[error(
        "`dtmf` has `{character}` at position {position}, which is not a DTMF character{}; \
         use {}",
        .center.map_or(String::new(), |center| format!(" on {center}")),
        dtmf_choices(*.center)
    )]
    DtmfCharacter {
        /// The character.
        character: char,
        /// Its position, counting from 1.
        position: usize,
        /// The contact center whose characters were checked, when known.
        center: Option<ContactCenter>,
    },
    /// `updatedData` with nothing in it.
    #[error("`updatedData` is empty; give at least one call variable or `wrapUpReason`")]
    NothingToUpdate,
    /// An `updatedData` key that is not call data.
    #[error(
        "`updatedData` key `{0}` is not call data; use callVariable1 to callVariable10, \
         user.<eccVariable> or wrapUpReason"
    )]
    UnknownKey(String),
    /// An `updatedData` value that is not a string.
    #[error("`updatedData.{key}` must be a string, not {found}; write it in quotes")]
    NotAString {
        /// The key.
        key: String,
        /// What the value is (`a number`, `null`, ...).
        found: &'static str,
    },
    /// A field that must be a number is not (`extendWrapup`'s `seconds`).
    #[error("`{key}` must be a number, not {found}")]
    NotANumber {
        /// The field.
        key: &'static str,
        /// What the value is (`a string`, `null`, ...).
        found: &'static str,
    },
    /// `extendWrapup` by an amount outside the extension limits.
    #[error("`seconds` is {seconds}, but {error}; give 5 to 900 seconds")]
    ExtensionAmount {
        /// The amount as sent.
        seconds: String,
        /// Which limit it breaks.
        error: ExtensionError,
    },
}

/// Why a request was refused: the request's name and the problem.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{request}: {problem}")]
pub struct RequestError {
    /// The request's name (`setAgentState`, ...).
    pub request: &'static str,
    /// What is wrong.
    pub problem: RequestProblem,
}

/// What a CTI system knows of the agent when it checks a request; nothing
/// when the widget checks one on its way to the CTI system.
#[derive(Debug, Clone, Copy, Default)]
struct Agent<'a> {
    /// The agent's voice channel (`voice_-1` for CCX).
    channel: Option<&'a str>,
}

impl Agent<'_> {
    /// The contact center of the agent's channel, when known.
    fn contact_center(self) -> Option<ContactCenter> {
        self.channel.and_then(ContactCenter::of_channel)
    }

    fn check_channel_id(
        self,
        channel_id: &str,
        accepted: ChannelIdForms,
    ) -> Result<(), RequestProblem> {
        let selector = read_channel_id(channel_id, accepted)?;
        match (selector, self.channel) {
            (ChannelSelector::VoicePeripheral(_), Some(agent_channel))
                if !selector.matches(agent_channel) =>
            {
                Err(RequestProblem::OtherChannel {
                    channel_id: channel_id.to_owned(),
                    agent_channel: agent_channel.to_owned(),
                })
            }
            _ => Ok(()),
        }
    }
}

/// The channel `channel_id` names, if it has one of the forms `accepted`.
fn read_channel_id(
    channel_id: &str,
    accepted: ChannelIdForms,
) -> Result<ChannelSelector, RequestProblem> {
    match ChannelSelector::parse(channel_id) {
        Ok(ChannelSelector::Telephony) if accepted == ChannelIdForms::Voice => {
            Err(RequestProblem::TelephonyNotAccepted(accepted))
        }
        Ok(selector) => Ok(selector),
        Err(ChannelIdError::Missing) => Err(RequestProblem::Missing("channelId")),
        Err(error) => Err(RequestProblem::ChannelId { error, accepted }),
    }
}

pub(super) fn check_present(field: &'static str, value: &str) -> Result<(), RequestProblem> {
    if value.trim().is_empty() {
        Err(RequestProblem::Missing(field))
    } else {
        Ok(())
    }
}

/// The characters to use instead, in words.
fn dtmf_choices(center: Option<ContactCenter>) -> &'static str {
    match center {
        Some(ContactCenter::Ccx) => "0-9, * or #",
        Some(ContactCenter::Cce) => "0-9, *, # or A-D",
        None => "0-9, *, # or, on CCE, A-D",
    }
}

fn check_dtmf(dtmf: &str, center: Option<ContactCenter>) -> Result<(), RequestProblem> {
    check_present("dtmf", dtmf)?;
    // Not knowing the contact center, every character the spec names.
    let allowed = center.unwrap_or(ContactCenter::Cce).dtmf_characters();
    match dtmf
        .chars()
        .enumerate()
        // Compared character by character: `str::contains` looks for a
        // character beyond ASCII as text, with a searcher of text (the
        // widget's wasm is smaller without it).
        .find(|(_, character)| !allowed.chars().any(|allowed| allowed == *character))
    {
        Some((index, character)) => Err(RequestProblem::DtmfCharacter {
            character,
            position: index + 1,
            center,
        }),
        None => Ok(()),
    }
}

pub(super) fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// A field serde could not read, worded like a [`RequestProblem`]:
/// "`channelId` must be a string, not a number". Only serde's common shapes
/// ("invalid type: …, expected …" and "missing field `…`") are reworded; any
/// other message keeps serde's words after the field.
pub(super) fn describe_unreadable(error: &ParseError) -> String {
    // Every request is a flat object, so the field at fault is the path's
    // first key; the rest only says where inside the wrong value the reader
    // stopped (`wrapUpReason.a` for an object), which helps no one.
    let field = error.path().split(['.', '[']).next().unwrap_or_default();
    let message = error.message();
    if let Some(missing) = message
        .strip_prefix("missing field `")
        .and_then(|rest| rest.strip_suffix('`'))
    {
        return format!("`{missing}` is required");
    }
    let wrong_type = message
        .strip_prefix("invalid type: ")
        .and_then(split_at_expected);
    match wrong_type {
        _ if field.is_empty() => message.to_owned(),
        Some((found, expected)) => format!(
            "`{field}` must be {}, not {}",
            plain_kind(expected),
            plain_kind(found)
        ),
        None => format!("`{field}`: {message}"),
    }
}

/// serde's words `found, expected wanted` as `(found, wanted)`, split at the
/// first `, expected `. Found by comparing at each character rather than by
/// `split_once`, whose searcher of text the widget's wasm then does without.
fn split_at_expected(words: &str) -> Option<(&str, &str)> {
    (0..words.len()).find_map(|at| {
        let wanted = words.get(at..)?.strip_prefix(", expected ")?;
        Some((words.get(..at)?, wanted))
    })
}

/// serde's word for a kind of value (`map`, `integer `5``) as [`kind_of`]
/// says it (`an object`, `a number`); anything else unchanged.
fn plain_kind(serde_words: &str) -> &str {
    let kind = serde_words.strip_prefix("a ").unwrap_or(serde_words);
    let first = kind.split(' ').next().unwrap_or_default();
    match first {
        "null" | "unit" => "null",
        "boolean" => "a boolean",
        "integer" | "floating" => "a number",
        "string" if kind.starts_with("string or") => serde_words,
        "string" => "a string",
        "sequence" => "an array",
        "map" => "an object",
        _ => serde_words,
    }
}

fn check_updated_data<'a>(
    updated_data: impl IntoIterator<Item = (&'a String, &'a Value)>,
) -> Result<(), RequestProblem> {
    let mut any = false;
    for (key, value) in updated_data {
        any = true;
        if CallDataKey::parse(key).is_none() {
            return Err(RequestProblem::UnknownKey(key.clone()));
        }
        if !value.is_string() {
            return Err(RequestProblem::NotAString {
                key: key.clone(),
                found: kind_of(value),
            });
        }
    }
    if any {
        Ok(())
    } else {
        Err(RequestProblem::NothingToUpdate)
    }
}

impl CilRequest {
    /// Checks the request against the spec's rules; the first problem found
    /// is returned with the request's name. This is what can be checked
    /// without knowing the agent: the widget checks a request so before it
    /// goes to the CTI system.
    pub fn validate(&self) -> Result<(), RequestError> {
        self.check(Agent::default())
    }

    /// Checks the request as the CTI system of an agent whose voice channel
    /// is `agent_channel` (`voice_-1` for CCX) does: the rules of
    /// [`Self::validate`], a `voice_<peripheral_id>` must be that channel
    /// (the spec: "Make sure the channel is uniquely identified by this
    /// id"; `voice` and `telephony` name it whatever its peripheral), and
    /// DTMF tones are those of its contact center (CCX has no `A-D`).
    pub fn validate_on(&self, agent_channel: &str) -> Result<(), RequestError> {
        self.check(Agent {
            channel: Some(agent_channel),
        })
    }

    fn check(&self, agent: Agent<'_>) -> Result<(), RequestError> {
        self.check_rules(agent).map_err(|problem| RequestError {
            request: self.name(),
            problem,
        })
    }

    fn check_rules(&self, agent: Agent<'_>) -> Result<(), RequestProblem> {
        // The channel first, for every request that names one: checked in
        // one place rather than in each request's rules (smaller code).
        if let Some((channel_id, accepted)) = self.channel_rule() {
            agent.check_channel_id(channel_id, accepted)?;
        }
        match self {
            Self::SetAgentState(request) => {
                let has_reason_code = request
                    .reason_code
                    .as_deref()
                    .is_some_and(|code| !code.trim().is_empty());
                match &request.state {
                    None => Err(RequestProblem::Missing("state")),
                    Some(AgentState::Other(text)) if text.trim().is_empty() => {
                        Err(RequestProblem::Missing("state"))
                    }
                    Some(AgentState::NotReady | AgentState::Logout) => Ok(()),
                    Some(AgentState::Ready) if has_reason_code => Err(
                        RequestProblem::ReasonCodeNotApplicable(AgentState::Ready.to_string()),
                    ),
                    Some(AgentState::Ready) => Ok(()),
                    Some(other) => Err(RequestProblem::AgentState(other.to_string())),
                }
            }
            Self::DirectTransfer(request) | Self::SingleStepConference(request) => {
                check_present("address", &request.address)
            }
            Self::DialOrConsult(request) => check_present("address", &request.address),
            Self::GetReasonCodeList(request) => match &request.reason_type {
                None => Err(RequestProblem::Missing("reasonType")),
                Some(ReasonType::Other(text)) if text.trim().is_empty() => {
                    Err(RequestProblem::Missing("reasonType"))
                }
                Some(ReasonType::Other(text)) => Err(RequestProblem::ReasonType(text.clone())),
                Some(_) => Ok(()),
            },
            Self::GetChannel(_) | Self::IsSendDtmfEnabled => Ok(()),
            Self::SendDtmf(request) => check_dtmf(&request.dtmf, agent.contact_center()),
            Self::UpdateWorkitemData(request) => {
                check_present("workitemId", &request.workitem_id)?;
                check_updated_data(&request.updated_data)
            }
            Self::IsUpdateWorkitemDataEnabled(request) => {
                check_present("workitemId", &request.workitem_id)
            }
            Self::SetWrapupReason(request) => {
                check_present("workitemId", &request.workitem_id)?;
                check_present("wrapUpReason", &request.wrap_up_reason)
            }
        }
    }

    /// The request's `channelId` and the forms it accepts; `None` for the
    /// requests without one.
    fn channel_rule(&self) -> Option<(&str, ChannelIdForms)> {
        use ChannelIdForms::{Voice, VoiceOrTelephony};
        Some(match self {
            Self::SetAgentState(request) => (&request.channel_id, VoiceOrTelephony),
            Self::DirectTransfer(request) | Self::SingleStepConference(request) => {
                (&request.channel_id, Voice)
            }
            Self::DialOrConsult(request) => (&request.channel_id, VoiceOrTelephony),
            Self::GetReasonCodeList(request) => (&request.channel_id, VoiceOrTelephony),
            Self::GetChannel(request) => (&request.channel_id, VoiceOrTelephony),
            Self::UpdateWorkitemData(request) => (&request.channel_id, Voice),
            Self::IsUpdateWorkitemDataEnabled(request) => (&request.channel_id, VoiceOrTelephony),
            Self::SetWrapupReason(request) => (&request.channel_id, VoiceOrTelephony),
            Self::SendDtmf(_) | Self::IsSendDtmfEnabled => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::from_json_untracked;

    #[derive(Debug, serde::Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[expect(dead_code, reason = "only read, to make serde's errors")]
    struct Sample {
        channel_id: String,
        #[serde(default)]
        count: Option<u8>,
    }

    fn described(json: &str) -> String {
        from_json_untracked::<Sample>(json)
            .map(|sample| format!("read {sample:?}"))
            .unwrap_or_else(|error| describe_unreadable(&error))
    }

    #[test]
    fn serde_s_common_shapes_are_reworded() {
        assert_eq!(described("{}"), "`channelId` is required");
        assert_eq!(
            described(r#"{"channelId": 1.5}"#),
            "`channelId` must be a string, not a number"
        );
    }

    #[test]
    fn other_messages_keep_serde_s_words_after_the_field() {
        assert_eq!(
            described(r#"{"channelId": "voice", "count": 300}"#),
            "`count`: invalid value: integer `300`, expected u8"
        );
    }
}
