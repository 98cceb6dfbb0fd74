//! What the tests of the JSON writer share.

use serde::Serialize;
use wrapup_core::json::{self, ToJson};

/// Both writers' texts of `value`, which must be the same.
pub fn assert_written_alike<T: ToJson + Serialize>(value: &T) {
    let expected = serde_json::to_string(value).expect("serializes");
    assert_eq!(json::write::to_string(value), expected);
}
