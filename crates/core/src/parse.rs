//! The one way the widget and the server read a JSON body: strict, with
//! errors that name the field that is wrong.
//!
//! Plain `serde_json::from_str` says "invalid type: string, expected a
//! boolean at line 3 column 17", which an integrator cannot map back to a
//! field of a nested body. Routing the deserializer through
//! `serde_path_to_error` makes the same error read
//! `segment.external: invalid type: string "yes", expected a boolean`.

use serde::de::DeserializeOwned;

/// A body that could not be read as the expected API type.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", describe(path, message))]
pub struct ParseError {
    path: String,
    message: String,
}

impl ParseError {
    /// Where in the body the error is, as `segment.wrap_up_configuration.allowed_codes[0].code`,
    /// or `.` for the body itself (a syntax error, or a missing top-level field).
    pub fn path(&self) -> &str {
        &self.path
    }

    /// What is wrong there, as serde says it.
    pub fn message(&self) -> &str {
        &self.message
    }
}

fn describe(path: &str, message: &str) -> String {
    // serde_path_to_error renders the root as "."; "message" alone reads better than ".: message".
    if path == "." {
        message.to_owned()
    } else {
        format!("{path}: {message}")
    }
}

/// Parses a JSON body into an API type, naming the offending field on error.
pub fn from_json<T: DeserializeOwned>(json: &str) -> Result<T, ParseError> {
    let mut deserializer = serde_json::Deserializer::from_str(json);
    finish(&mut deserializer)
}

/// Parses a JSON body given as bytes (as a server receives it), naming the offending field on error.
pub fn from_json_slice<T: DeserializeOwned>(json: &[u8]) -> Result<T, ParseError> {
    let mut deserializer = serde_json::Deserializer::from_slice(json);
    finish(&mut deserializer)
}

fn finish<'de, R, T>(deserializer: &mut serde_json::Deserializer<R>) -> Result<T, ParseError>
where
    R: serde_json::de::Read<'de>,
    T: DeserializeOwned,
{
    let value =
        serde_path_to_error::deserialize(&mut *deserializer).map_err(|error| ParseError {
            path: error.path().to_string(),
            message: message_of(error.inner()),
        })?;
    // Trailing garbage after a valid body is a malformed request, not something to ignore.
    deserializer.end().map_err(|error| ParseError {
        path: ".".to_owned(),
        message: error.to_string(),
    })?;
    Ok(value)
}

/// serde_json's message, without the position when the path already says where:
/// "at line 1 column 20" helps find a syntax error, not a wrong value.
fn message_of(error: &serde_json::Error) -> String {
    let message = error.to_string();
    if error.is_data() {
        let position = format!(" at line {} column {}", error.line(), error.column());
        if let Some(bare) = message.strip_suffix(&position) {
            return bare.to_owned();
        }
    }
    message
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Outer {
        inner: Inner,
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Inner {
        flag: bool,
    }

    #[test]
    fn names_the_nested_field() {
        let error = from_json::<Outer>(r#"{"inner": {"flag": 3}}"#).expect_err("3 is no bool");
        assert_eq!(error.path(), "inner.flag");
        assert!(
            error
                .to_string()
                .starts_with("inner.flag: invalid type: integer `3`")
        );
    }

    #[test]
    fn a_missing_top_level_field_has_no_path_prefix() {
        let error = from_json::<Outer>("{}").expect_err("inner is required");
        assert_eq!(error.to_string(), "missing field `inner`");
    }

    #[test]
    fn trailing_content_is_refused() {
        let error = from_json_slice::<Inner>(br#"{"flag": true} {"#).expect_err("trailing");
        assert!(error.message().contains("trailing characters"), "{error}");
    }

    #[test]
    fn syntax_errors_keep_their_position() {
        let error = from_json::<Inner>("{\"flag\": tru}").expect_err("syntax");
        assert!(error.message().contains("at line 1 column"), "{error}");
    }
}
