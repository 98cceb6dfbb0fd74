//! Durations and clock times as the agent reads them.

use std::cell::RefCell;

use chrono::{DateTime, TimeDelta, Utc};
use wasm_bindgen::JsValue;

use crate::i18n::{Language, Message};

/// Who a call is with, in the agent's words: the caller's number, or
/// "Unknown caller" for a withheld one.
pub fn caller_text(caller: Option<String>, language: Language) -> String {
    caller.unwrap_or_else(|| Message::UnknownCaller.text(language).to_owned())
}

/// An elapsed time as `m:ss`, or `h:mm:ss` from one hour on; negative
/// durations (clocks that disagree) read as zero.
pub fn elapsed_text(elapsed: TimeDelta) -> String {
    let seconds = elapsed.num_seconds().max(0);
    let (hours, minutes, seconds) = (seconds / 3600, seconds / 60 % 60, seconds % 60);
    if hours > 0 {
        format!("{hours}:{minutes:02}:{seconds:02}")
    } else {
        format!("{minutes}:{seconds:02}")
    }
}

/// `instant` as a local clock time in the agent's language (`2:05 PM`,
/// `14:05`), through the browser's `Intl`.
///
/// One `Intl.DateTimeFormat` per language, made on first use: building one
/// (which `Date.toLocaleTimeString` does on every call) costs the browser
/// far more than formatting with it, and the header formats on every
/// change of the desk.
pub fn local_clock_time(instant: DateTime<Utc>, language: Language) -> String {
    thread_local! {
        static FORMATS: RefCell<Vec<(Language, js_sys::Function)>> = const { RefCell::new(Vec::new()) };
    }
    let format = FORMATS.with_borrow_mut(|formats| {
        if let Some((_, format)) = formats.iter().find(|(cached, _)| *cached == language) {
            return format.clone();
        }
        let format = clock_time_format(language).format();
        formats.push((language, format.clone()));
        format
    });
    let date = js_sys::Date::new(&JsValue::from_f64(instant.timestamp_millis() as f64));
    // `format` is the formatter's bound function: it takes a Date and
    // returns a string; it throws only for an invalid Date, which a
    // `DateTime` never makes.
    format
        .call1(&JsValue::NULL, &date)
        .ok()
        .and_then(|text| text.as_string())
        .unwrap_or_default()
}

fn clock_time_format(language: Language) -> js_sys::Intl::DateTimeFormat {
    let options = js_sys::Object::new();
    for (key, value) in [("hour", "numeric"), ("minute", "2-digit")] {
        // Setting a property of a fresh plain object cannot fail.
        let _ = js_sys::Reflect::set(&options, &key.into(), &value.into());
    }
    let locales = js_sys::Array::of1(&language.tag().into());
    js_sys::Intl::DateTimeFormat::new(&locales, &options)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn elapsed_times_read_as_clock_durations() {
        assert_eq!(elapsed_text(TimeDelta::seconds(5)), "0:05");
        assert_eq!(elapsed_text(TimeDelta::seconds(75)), "1:15");
        assert_eq!(elapsed_text(TimeDelta::seconds(3725)), "1:02:05");
        assert_eq!(elapsed_text(TimeDelta::seconds(-3)), "0:00");
    }
}
