//! Request and response bodies in JSON or XML, chosen by `Content-Type` and
//! `Accept` as the ServiceNow specs describe (JSON when unsaid). XML documents
//! use the root element `request` / `response`, as ServiceNow does.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde::de::DeserializeOwned;

mod xml;

/// The data format of a body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// `application/json`, the default.
    #[default]
    Json,
    /// `application/xml` (or `text/xml`).
    Xml,
}

impl Format {
    fn of(value: Option<&HeaderValue>) -> Self {
        let value = value.and_then(|value| value.to_str().ok()).unwrap_or("");
        // JSON wins when both are acceptable: it is the documented default.
        if value.contains("xml") && !value.contains("json") {
            Self::Xml
        } else {
            Self::Json
        }
    }

    /// The format the client asked to receive (`Accept`).
    pub fn accepted(headers: &HeaderMap) -> Self {
        Self::of(headers.get(header::ACCEPT))
    }

    /// The format of the request body (`Content-Type`).
    pub fn sent(headers: &HeaderMap) -> Self {
        Self::of(headers.get(header::CONTENT_TYPE))
    }
}

/// The response format a client accepts, as an extractor.
#[derive(Debug, Clone, Copy)]
pub struct Accept(pub Format);

impl<S: Send + Sync> FromRequestParts<S> for Accept {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(Self(Format::accepted(&parts.headers)))
    }
}

/// Parses a request body as JSON or XML per its `Content-Type`; the error
/// names the field at fault.
pub fn decode<T: DeserializeOwned>(headers: &HeaderMap, body: &[u8]) -> Result<T, String> {
    match Format::sent(headers) {
        Format::Json => {
            if body.iter().all(u8::is_ascii_whitespace) {
                return Err("the request body is empty; send a JSON object".to_owned());
            }
            wrapup_core::parse::from_json_slice(body).map_err(|error| error.to_string())
        }
        Format::Xml => {
            let text = std::str::from_utf8(body)
                .map_err(|_| "the XML request body is not UTF-8".to_owned())?;
            xml::from_str(text).map_err(|error| error.to_string())
        }
    }
}

/// Answers `value` with `status` in `format`.
pub fn encode<T: Serialize>(format: Format, status: StatusCode, value: &T) -> Response {
    match format {
        Format::Json => (status, axum::Json(value)).into_response(),
        Format::Xml => match to_xml(value) {
            Ok(xml) => (
                status,
                [(header::CONTENT_TYPE, "application/xml; charset=utf-8")],
                xml,
            )
                .into_response(),
            Err(error) => (
                StatusCode::INTERNAL_SERVER_ERROR,
                format!("cannot write the answer as XML: {error}"),
            )
                .into_response(),
        },
    }
}

/// Serialises `value` as an XML document with a `response` root element.
pub fn to_xml<T: Serialize>(value: &T) -> Result<String, quick_xml::SeError> {
    // Going through a JSON value first gives every type (maps, flattened
    // extras) one shape that the XML serializer handles.
    let value = serde_json::to_value(value).map_err(|error| {
        quick_xml::SeError::Custom(format!("cannot represent the answer: {error}"))
    })?;
    let body = quick_xml::se::to_string_with_root("response", &value)?;
    Ok(format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>{body}"))
}

/// The first value of `name` in a URL query, percent-decoded (`+` is a
/// space, as in forms); malformed escapes are kept as they are.
pub fn query_param(query: &str, name: &str) -> Option<String> {
    query.split('&').find_map(|pair| {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        (key == name).then(|| percent_decode(value))
    })
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        let hex = |at: usize| {
            bytes
                .get(at)
                .and_then(|byte| char::from(*byte).to_digit(16))
        };
        match bytes[index] {
            b'+' => decoded.push(b' '),
            b'%' => match (hex(index + 1), hex(index + 2)) {
                (Some(high), Some(low)) => {
                    decoded.extend(u8::try_from(high * 16 + low).ok());
                    index += 2;
                }
                _ => decoded.push(b'%'),
            },
            byte => decoded.push(byte),
        }
        index += 1;
    }
    String::from_utf8_lossy(&decoded).into_owned()
}

#[cfg(test)]
mod query_tests {
    use super::query_param;

    #[test]
    fn decodes_the_value_of_the_named_parameter() {
        let query = "last_event_id=7&access_token=a%2Bb%3D%2F+c";
        assert_eq!(
            query_param(query, "access_token").as_deref(),
            Some("a+b=/ c")
        );
        assert_eq!(query_param(query, "last_event_id").as_deref(), Some("7"));
        assert_eq!(query_param(query, "missing"), None);
        assert_eq!(query_param("x=%zz%4", "x").as_deref(), Some("%zz%4"));
    }
}
